//! Records of an `upsert-kafka` sink.
//!
//! In: a sink line (a changelog row) and the table's schema. Out: the Kafka record
//! Flink's upsert-kafka connector writes for it: the key is a JSON object of the
//! primary key columns, the value the row's JSON object without `op` (`+I`, `+U`), or
//! no value — a tombstone — for `-D`. `-U` writes nothing (the `+U` after it replaces
//! the row). Nothing is coalesced (Flink's upsert-kafka buffer is off by default).

use super::change::{Schema, parse_change};
use crate::RowKind;

/// A record to send: key and value (`None`: tombstone).
pub type Record = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The record for one sink line; `Ok(None)` when the line writes nothing (`-U`); the
/// reason when it cannot be written (a malformed value, a NULL key).
///
/// ```
/// use streamsql_runtime::store::{upsert_kafka, ColType, Column, Schema};
/// let col = |n: &str, ty| Column { name: n.into(), ty, not_null: false };
/// let s = Schema { columns: vec![col("k", ColType::Str(None)), col("n", ColType::Int(64))], key: vec![0] };
/// let (k, v) = upsert_kafka::record(br#"{"op":"+U","k":"a","n":2}"#, &s).unwrap().unwrap();
/// assert_eq!((k.unwrap(), v.unwrap()), (br#"{"k":"a"}"#.to_vec(), br#"{"k":"a","n":2}"#.to_vec()));
/// let (_, v) = upsert_kafka::record(br#"{"op":"-D","k":"a","n":2}"#, &s).unwrap().unwrap();
/// assert_eq!(v, None);
/// assert_eq!(upsert_kafka::record(br#"{"op":"-U","k":"a","n":1}"#, &s), Ok(None));
/// ```
pub fn record(line: &[u8], schema: &Schema) -> Result<Option<Record>, String> {
    let change = parse_change(line, schema)?;
    let key = (!schema.key.is_empty()).then(|| change.to_json(schema, Some(&schema.key)));
    Ok(match change.kind {
        RowKind::UpdateBefore => None,
        RowKind::Delete => Some((key, None)),
        RowKind::Insert | RowKind::UpdateAfter => Some((key, Some(change.to_json(schema, None)))),
    })
}
