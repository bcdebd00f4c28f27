//! Flink's `SinkUpsertMaterializer`: an updating result written into a sink whose
//! primary key does not identify the result's rows.
//!
//! In: the changelog rows bound for one sink, each as its encoded line
//! (`{"op":"+U",...}\n`, see [`crate::encode::op_field`]), with the encoded sink
//! primary key and, when the query has one, its unique key. Out: the lines the sink
//! receives, so that a store upserting by primary key ends with what Flink's ends
//! with: per primary key the latest row still present.
//!
//! Per primary key the rows currently present are kept in arrival order. A `+I`/`+U`
//! replaces the row with the same unique key (or the same content, without one) or is
//! appended, and is written as `+I` (first row of the key) or `+U`. A `-U`/`-D`
//! removes that row; if it was the latest, the new latest is written as `+U`, or, when
//! none is left, the removed row as `-D`; removing an older row writes nothing.

use crate::RowKind;
use crate::key::FastHashMap;

/// Length of the `{"op":"+I",` prefix every changelog line starts with.
const OP_PREFIX: usize = 11;

/// The materializer state of one sink.
///
/// ```
/// use streamsql_runtime::{RowKind, materialize::UpsertMaterializer};
/// let mut m = UpsertMaterializer::default();
/// let mut out = Vec::new();
/// // Two result rows (unique keys r1, r2) share the sink key `k`.
/// m.apply(b"k", Some(b"r1"), b"{\"op\":\"+I\",\"v\":1}\n", &mut out);
/// m.apply(b"k", Some(b"r2"), b"{\"op\":\"+I\",\"v\":2}\n", &mut out);
/// m.apply(b"k", Some(b"r2"), b"{\"op\":\"-D\",\"v\":2}\n", &mut out);
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "{\"op\":\"+I\",\"v\":1}\n{\"op\":\"+U\",\"v\":2}\n{\"op\":\"+U\",\"v\":1}\n"
/// );
/// ```
#[derive(Debug, Default)]
pub struct UpsertMaterializer {
    /// Per primary key, the rows present.
    rows: FastHashMap<Box<[u8]>, Vec<Present>>,
}

/// A row present under a primary key: (its identity, its line without the op prefix).
type Present = (Box<[u8]>, Box<[u8]>);

impl UpsertMaterializer {
    /// Applies one changelog `line` of the sink row with primary key `pk` and unique
    /// key `uk`; appends what the sink receives to `out` and returns how many lines
    /// that is (0 or 1).
    pub fn apply(&mut self, pk: &[u8], uk: Option<&[u8]>, line: &[u8], out: &mut Vec<u8>) -> usize {
        let (Some(kind), Some(body)) = (kind_of(line), line.get(OP_PREFIX..)) else {
            // Not a changelog line: pass it through untouched.
            out.extend_from_slice(line);
            return 1;
        };
        let identity = uk.unwrap_or(body);
        match kind {
            RowKind::Insert | RowKind::UpdateAfter => {
                let rows = match self.rows.get_mut(pk) {
                    Some(r) => r,
                    None => self.rows.entry(Box::from(pk)).or_default(),
                };
                let first = rows.is_empty();
                match rows.iter_mut().find(|(id, _)| **id == *identity) {
                    Some(r) => r.1 = Box::from(body),
                    None => rows.push((Box::from(identity), Box::from(body))),
                }
                write(
                    out,
                    if first {
                        RowKind::Insert
                    } else {
                        RowKind::UpdateAfter
                    },
                    body,
                );
                1
            }
            RowKind::UpdateBefore | RowKind::Delete => {
                let Some(rows) = self.rows.get_mut(pk) else {
                    return 0;
                };
                let Some(i) = rows.iter().rposition(|(id, _)| **id == *identity) else {
                    return 0;
                };
                let latest = i + 1 == rows.len();
                let (_, removed) = rows.remove(i);
                if !latest {
                    return 0;
                }
                match rows.last() {
                    Some((_, now)) => write(out, RowKind::UpdateAfter, now),
                    None => {
                        write(out, RowKind::Delete, &removed);
                        self.rows.remove(pk);
                    }
                }
                1
            }
        }
    }

    /// Primary keys with at least one row.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn kind_of(line: &[u8]) -> Option<RowKind> {
    match line.get(..OP_PREFIX)? {
        b"{\"op\":\"+I\"," => Some(RowKind::Insert),
        b"{\"op\":\"-U\"," => Some(RowKind::UpdateBefore),
        b"{\"op\":\"+U\"," => Some(RowKind::UpdateAfter),
        b"{\"op\":\"-D\"," => Some(RowKind::Delete),
        _ => None,
    }
}

fn write(out: &mut Vec<u8>, kind: RowKind, body: &[u8]) {
    out.extend_from_slice(b"{\"op\":\"");
    out.extend_from_slice(kind.short().as_bytes());
    out.extend_from_slice(b"\",");
    out.extend_from_slice(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: &str, v: u32) -> Vec<u8> {
        format!("{{\"op\":\"{kind}\",\"v\":{v}}}\n").into_bytes()
    }

    #[test]
    fn the_latest_row_of_a_key_wins_and_the_last_retraction_deletes() {
        let mut m = UpsertMaterializer::default();
        let mut out = Vec::new();
        assert_eq!(m.apply(b"k", None, &line("+I", 1), &mut out), 1);
        assert_eq!(m.apply(b"k", None, &line("+I", 2), &mut out), 1);
        // Retracting the older row changes nothing the sink sees.
        assert_eq!(m.apply(b"k", None, &line("-U", 1), &mut out), 0);
        assert_eq!(m.apply(b"k", None, &line("-D", 2), &mut out), 1);
        assert!(m.is_empty());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"op\":\"+I\",\"v\":1}\n{\"op\":\"+U\",\"v\":2}\n{\"op\":\"-D\",\"v\":2}\n"
        );
        // A retraction of a row never seen is ignored.
        let mut out = Vec::new();
        assert_eq!(m.apply(b"k", None, &line("-D", 9), &mut out), 0);
        assert!(out.is_empty());
    }

    #[test]
    fn a_unique_key_identifies_rows_whose_content_changed() {
        let mut m = UpsertMaterializer::default();
        let mut out = Vec::new();
        m.apply(b"k", Some(b"a"), &line("+I", 1), &mut out);
        // The -U carries other content (a processing-time column) but the same key.
        m.apply(b"k", Some(b"a"), &line("-U", 7), &mut out);
        assert!(m.is_empty());
    }
}
