//! Sink lines as typed changes.
//!
//! In: one line of a sink buffer — a changelog row `{"op":"+U","k":1,...}` (updating
//! sinks) or a plain JSON object of the columns (append-only sinks, `+I`) — and the
//! table's columns with their Flink type strings (`STRING NOT NULL`, `DECIMAL(10, 2)`,
//! `TIMESTAMP(3) *ROWTIME*`, ...). Out: a [`Change`]: its [`RowKind`] and one typed
//! [`Value`] per column, in table order, or a reason the line cannot be written (a
//! malformed value, a NULL primary key) for the dead-letter output.
//!
//! Values are read as `encode::json_field` writes them: TIMESTAMP as
//! `yyyy-MM-dd HH:mm:ss[.fff]`, TIMESTAMP_LTZ as an ISO instant, DATE as `yyyy-MM-dd`,
//! BYTES as base64, non-finite doubles as the strings `NaN`/`Infinity`/`-Infinity`.

use crate::encode;
use crate::func::calendar::days_from_civil;
use crate::{Date, Decimal, RowKind, TableInfo, Timestamp};
use serde_json::value::RawValue;
use std::collections::HashMap;

/// A column's type, as far as storing it matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColType {
    Bool,
    /// TINYINT (8), SMALLINT (16), INT (32), BIGINT (64).
    Int(u8),
    Float,
    Double,
    Decimal(u8, u8),
    /// CHAR(n), VARCHAR(n) (`Some(n)`), STRING (`None`).
    Str(Option<u32>),
    Date,
    /// TIMESTAMP(p).
    Timestamp(u8),
    /// TIMESTAMP_LTZ(p): stored as its UTC wall time.
    TimestampLtz(u8),
    /// BINARY(n), VARBINARY(n) (`Some(n)`), BYTES (`None`).
    Bytes(Option<u32>),
    /// Anything else (TIME, ARRAY, MAP, ROW, ...): kept as its JSON text.
    Json,
}

/// Flink's largest length (`STRING` is `VARCHAR(2147483647)`).
const MAX_LEN: u32 = i32::MAX as u32;

impl ColType {
    /// Parses a Flink type string as the compiler prints it (nullability and time
    /// attributes after the type are ignored here; see [`Column::not_null`]).
    ///
    /// ```
    /// use streamsql_runtime::store::ColType;
    /// assert_eq!(ColType::parse("VARCHAR(10) NOT NULL"), ColType::Str(Some(10)));
    /// assert_eq!(ColType::parse("DECIMAL(10, 2)"), ColType::Decimal(10, 2));
    /// assert_eq!(ColType::parse("TIMESTAMP(3) *ROWTIME*"), ColType::Timestamp(3));
    /// assert_eq!(ColType::parse("ARRAY<INT>"), ColType::Json);
    /// ```
    pub fn parse(text: &str) -> ColType {
        let t = text.trim().to_ascii_uppercase();
        // The type's own text ends at the first space outside parentheses.
        let mut depth = 0i32;
        let end = t
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' | '<' => depth += 1,
                    ')' | '>' => depth -= 1,
                    _ => {}
                }
                c == ' ' && depth == 0
            })
            .map_or(t.len(), |(i, _)| i);
        let t = &t[..end];
        let (name, args) = match t.split_once('(') {
            Some((n, rest)) => (n.trim(), rest.trim_end_matches(')')),
            None => (t, ""),
        };
        let nums: Vec<u32> = args
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        let arg = |i: usize, default: u32| nums.get(i).copied().unwrap_or(default);
        let len = |default: u32| Some(arg(0, default)).filter(|n| *n != MAX_LEN);
        let small = |v: u32| u8::try_from(v).unwrap_or(u8::MAX);
        match name {
            "BOOLEAN" | "BOOL" => ColType::Bool,
            "TINYINT" => ColType::Int(8),
            "SMALLINT" => ColType::Int(16),
            "INT" | "INTEGER" => ColType::Int(32),
            "BIGINT" => ColType::Int(64),
            "FLOAT" | "REAL" => ColType::Float,
            "DOUBLE" => ColType::Double,
            "DECIMAL" | "NUMERIC" | "DEC" => ColType::Decimal(small(arg(0, 10)), small(arg(1, 0))),
            "STRING" => ColType::Str(None),
            "VARCHAR" => ColType::Str(len(1)),
            "CHAR" => ColType::Str(len(1)),
            "BYTES" => ColType::Bytes(None),
            "VARBINARY" | "BINARY" => ColType::Bytes(len(1)),
            "DATE" => ColType::Date,
            "TIMESTAMP" => ColType::Timestamp(small(arg(0, 6))),
            "TIMESTAMP_LTZ" => ColType::TimestampLtz(small(arg(0, 6))),
            _ => ColType::Json,
        }
    }
}

/// A column of a store table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColType,
    pub not_null: bool,
}

/// The columns of a sink table and which of them make its primary key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    pub columns: Vec<Column>,
    /// Indexes into `columns`, in PRIMARY KEY order (empty: no key, append only).
    pub key: Vec<usize>,
}

impl Schema {
    pub fn of(table: &TableInfo) -> Schema {
        let columns: Vec<Column> = table
            .columns
            .iter()
            .map(|(n, t)| Column {
                name: (*n).to_string(),
                ty: ColType::parse(t),
                not_null: t.to_ascii_uppercase().contains("NOT NULL"),
            })
            .collect();
        let key = table
            .primary_key
            .iter()
            .filter_map(|k| columns.iter().position(|c| c.name == *k))
            .collect();
        Schema { columns, key }
    }

    pub fn is_key(&self, column: usize) -> bool {
        self.key.contains(&column)
    }
}

/// A typed column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Decimal(Decimal),
    Str(String),
    Date(Date),
    /// TIMESTAMP and TIMESTAMP_LTZ (its UTC wall time), milliseconds.
    Timestamp(Timestamp),
    Bytes(Vec<u8>),
    /// A value of a type kept as JSON text.
    Json(String),
}

impl Value {
    /// The value as a string for text-typed parameters and document ids: DATE and
    /// TIMESTAMP as `encode` writes them (unquoted), numbers as JSON numbers.
    pub fn text(&self) -> String {
        let mut b = Vec::new();
        match self {
            Value::Null => return String::new(),
            Value::Str(s) | Value::Json(s) => return s.clone(),
            Value::Date(d) => encode::date_text(&mut b, *d),
            Value::Timestamp(t) => encode::timestamp_text(&mut b, t.0),
            Value::Decimal(d) => return d.to_string(),
            Value::Bytes(_) | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                self.write_json(&mut b, &ColType::Double);
                if let Value::Bytes(_) = self {
                    // Base64 without the quotes.
                    b.pop();
                    b.remove(0);
                }
            }
        }
        String::from_utf8(b).unwrap_or_default()
    }

    /// The value in Flink's json format (what the job encoded), for records and
    /// documents written as JSON.
    pub fn write_json(&self, buf: &mut Vec<u8>, ty: &ColType) {
        match self {
            Value::Null => encode::json_null(buf),
            Value::Bool(b) => encode::json_bool(buf, *b),
            Value::Int(i) => encode::json_int(buf, *i),
            Value::Float(f) if *ty == ColType::Float => encode::json_float32(buf, *f as f32),
            Value::Float(f) => encode::json_float(buf, *f),
            Value::Decimal(d) => buf.extend_from_slice(d.to_string().as_bytes()),
            Value::Str(s) => encode::json_str(buf, s),
            Value::Date(d) => encode::json_date(buf, *d),
            Value::Timestamp(t) if matches!(ty, ColType::TimestampLtz(_)) => {
                encode::json_timestamp_ltz(buf, crate::TimestampLtz(t.0));
            }
            Value::Timestamp(t) => encode::json_timestamp(buf, *t),
            Value::Bytes(b) => encode::json_bytes(buf, b),
            Value::Json(s) => buf.extend_from_slice(s.as_bytes()),
        }
    }
}

/// Appends one value of a key to its encoding: the value's JSON text as its column's
/// type writes it, then a unit separator — equal bytes exactly when the keys are equal
/// (store sinks coalesce by it, lookups dedupe and cache by it).
pub(crate) fn push_key_value(buf: &mut Vec<u8>, v: &Value, ty: &ColType) {
    v.write_json(buf, ty);
    buf.push(0x1f);
}

/// One row for a sink table: what it means and its values in table order.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub kind: RowKind,
    pub values: Vec<Value>,
}

impl Change {
    /// The primary key's values into `key` (cleared first), encoded into bytes that
    /// compare equal exactly when the keys are equal (each value's JSON text, then a
    /// unit separator). A buffer, so a caller keying many changes reuses it.
    pub fn write_key(&self, schema: &Schema, key: &mut Vec<u8>) {
        key.clear();
        for &i in &schema.key {
            push_key_value(key, &self.values[i], &schema.columns[i].ty);
        }
    }

    /// The row as a JSON object of its columns (no `op`): Flink's json format.
    pub fn to_json(&self, schema: &Schema, only: Option<&[usize]>) -> Vec<u8> {
        let mut b = Vec::new();
        encode::row_start(&mut b);
        let all: Vec<usize> = (0..schema.columns.len()).collect();
        for (n, &i) in only.unwrap_or(&all).iter().enumerate() {
            if n > 0 {
                b.push(b',');
            }
            encode::json_str(&mut b, &schema.columns[i].name);
            b.push(b':');
            self.values[i].write_json(&mut b, &schema.columns[i].ty);
        }
        b.push(b'}');
        b
    }
}

/// Parses one sink line into a change typed by `schema`. A missing column is NULL.
/// Errors name the column and what was wrong; a NULL in a primary-key column is an
/// error (such a row cannot be stored or keyed).
///
/// ```
/// use streamsql_runtime::store::{parse_change, ColType, Column, Schema, Value};
/// use streamsql_runtime::RowKind;
/// let schema = Schema {
///     columns: vec![
///         Column { name: "k".into(), ty: ColType::Int(64), not_null: true },
///         Column { name: "s".into(), ty: ColType::Str(None), not_null: false },
///     ],
///     key: vec![0],
/// };
/// let c = parse_change(br#"{"op":"-D","k":7,"s":null}"#, &schema).unwrap();
/// assert_eq!((c.kind, &c.values[..]), (RowKind::Delete, &[Value::Int(7), Value::Null][..]));
/// assert!(parse_change(br#"{"k":null,"s":"x"}"#, &schema).unwrap_err().contains("NULL"));
/// ```
pub fn parse_change(line: &[u8], schema: &Schema) -> Result<Change, String> {
    let fields: HashMap<String, &RawValue> =
        serde_json::from_slice(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let kind = match fields.get("op").map(|v| v.get()) {
        None => RowKind::Insert,
        Some(r#""+I""#) => RowKind::Insert,
        Some(r#""-U""#) => RowKind::UpdateBefore,
        Some(r#""+U""#) => RowKind::UpdateAfter,
        Some(r#""-D""#) => RowKind::Delete,
        Some(other) if schema.columns.iter().any(|c| c.name == "op") => {
            // A table with its own `op` column writes plain rows.
            let _ = other;
            RowKind::Insert
        }
        Some(other) => {
            return Err(format!(
                "unknown change kind {other} (expected +I, -U, +U or -D)"
            ));
        }
    };
    let mut values = Vec::with_capacity(schema.columns.len());
    for (i, col) in schema.columns.iter().enumerate() {
        let v = match fields.get(col.name.as_str()) {
            None => Value::Null,
            Some(raw) => value(raw.get(), &col.ty)
                .map_err(|e| format!("column `{}` ({}): {e}", col.name, raw.get()))?,
        };
        if v == Value::Null && schema.is_key(i) {
            return Err(format!(
                "NULL in primary key column `{}`: the row cannot be keyed",
                col.name
            ));
        }
        values.push(v);
    }
    Ok(Change { kind, values })
}

fn json_string(raw: &str) -> Result<String, String> {
    serde_json::from_str::<String>(raw).map_err(|_| "expected a JSON string".to_string())
}

/// One JSON value (its raw text) as a value of type `ty`.
pub(crate) fn value(raw: &str, ty: &ColType) -> Result<Value, String> {
    if raw == "null" {
        return Ok(Value::Null);
    }
    Ok(match ty {
        ColType::Bool => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("expected true or false".into()),
        },
        ColType::Int(bits) => {
            let n: i64 = raw.parse().map_err(|_| "expected an integer".to_string())?;
            let max = if *bits >= 64 {
                i64::MAX
            } else {
                (1i64 << (bits - 1)) - 1
            };
            if n > max || n < -max - 1 {
                return Err(format!("out of range for a {bits}-bit integer"));
            }
            Value::Int(n)
        }
        ColType::Float | ColType::Double => {
            let f = if raw.starts_with('"') {
                match json_string(raw)?.as_str() {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    _ => return Err("expected a number".into()),
                }
            } else {
                raw.parse().map_err(|_| "expected a number".to_string())?
            };
            Value::Float(f)
        }
        ColType::Decimal(p, s) => Value::Decimal(decimal(raw.trim_matches('"'), *p, *s)?),
        ColType::Str(_) => Value::Str(json_string(raw)?),
        ColType::Date => Value::Date(Date(date(&json_string(raw)?)?)),
        ColType::Timestamp(_) | ColType::TimestampLtz(_) => {
            Value::Timestamp(Timestamp(timestamp(&json_string(raw)?)?))
        }
        ColType::Bytes(_) => Value::Bytes(base64(&json_string(raw)?)?),
        ColType::Json => Value::Json(raw.to_string()),
    })
}

/// A column value as a database spelled it in text (what a lookup reads: every column
/// CAST to text, BYTES as hex) as a value of type `ty`. Lenient where the databases
/// differ: booleans as `1`/`0`/`t`/`f`/`true`/`false`, an integer column read from
/// `12.0`, a timestamp with a UTC offset (`+02`, `-05:30`, `Z`) moved to UTC.
pub(crate) fn value_from_text(text: &str, ty: &ColType) -> Result<Value, String> {
    let t = text.trim();
    Ok(match ty {
        ColType::Bool => match t.to_ascii_lowercase().as_str() {
            "1" | "t" | "true" => Value::Bool(true),
            "0" | "f" | "false" => Value::Bool(false),
            _ => return Err(format!("`{t}` is not a boolean")),
        },
        ColType::Int(_) => {
            // `12.0`: an integer in a DECIMAL or floating-point column.
            let whole = match t.split_once('.') {
                Some((int, frac)) if frac.bytes().all(|b| b == b'0') => int,
                _ => t,
            };
            Value::Int(
                whole
                    .parse()
                    .map_err(|_| format!("`{t}` is not an integer"))?,
            )
        }
        ColType::Float | ColType::Double => {
            let lower = t.to_ascii_lowercase();
            Value::Float(match lower.trim_start_matches(['+', '-']) {
                "nan" => f64::NAN,
                "inf" | "infinity" if lower.starts_with('-') => f64::NEG_INFINITY,
                "inf" | "infinity" => f64::INFINITY,
                _ => t.parse().map_err(|_| format!("`{t}` is not a number"))?,
            })
        }
        ColType::Decimal(p, s) => Value::Decimal(decimal(t, *p, *s)?),
        // Text is kept as the database holds it, spaces included.
        ColType::Str(_) => Value::Str(text.to_string()),
        ColType::Date => Value::Date(Date(date(t)?)),
        ColType::Timestamp(_) | ColType::TimestampLtz(_) => {
            let (local, offset_ms) = split_utc_offset(t);
            Value::Timestamp(Timestamp(timestamp(local)? - offset_ms))
        }
        ColType::Bytes(_) => Value::Bytes(hex(t)?),
        ColType::Json => Value::Json(text.to_string()),
    })
}

/// A timestamp's text without its trailing UTC offset (`+02`, `+05:30`, `-0800`),
/// and the offset in milliseconds (0 when there is none).
#[cfg_attr(not(feature = "db"), allow(dead_code))]
fn split_utc_offset(t: &str) -> (&str, i64) {
    // The offset's sign comes after the time (past `yyyy-MM-dd`'s own dashes).
    let Some(i) = t.rfind(['+', '-']).filter(|&i| i > 10) else {
        return (t, 0);
    };
    let digits: String = t[i + 1..].chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (&digits[..2], "0"),
        4 => (&digits[..2], &digits[2..]),
        _ => return (t, 0),
    };
    match (h.parse::<i64>(), m.parse::<i64>()) {
        (Ok(h), Ok(m)) => {
            let sign = if t.as_bytes()[i] == b'-' { -1 } else { 1 };
            (&t[..i], sign * (h * 60 + m) * 60_000)
        }
        _ => (t, 0),
    }
}

/// Hexadecimal digits (either case) as bytes.
#[cfg_attr(not(feature = "db"), allow(dead_code))]
pub(crate) fn hex(s: &str) -> Result<Vec<u8>, String> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err("not hex: an odd number of digits".into());
    }
    b.chunks(2)
        .map(|p| match (digit(p[0]), digit(p[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            _ => Err(format!("`{s}` is not hex")),
        })
        .collect()
}

/// A decimal number's text as DECIMAL(p, s): extra fraction digits round half up
/// (as Flink's casts do); more integer digits than `p - s` is an error.
fn decimal(text: &str, p: u8, s: u8) -> Result<Decimal, String> {
    let err = || format!("`{text}` is not a DECIMAL({p}, {s})");
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    // Exponent forms (1.5E3) come from DOUBLE-typed expressions; read them as such.
    if t.contains(['e', 'E']) {
        let f: f64 = text.parse().map_err(|_| err())?;
        return decimal(&format!("{f:.*}", usize::from(s)), p, s);
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    let mut unscaled: i128 = 0;
    let push = |u: i128, d: u8| {
        u.checked_mul(10)
            .and_then(|u| u.checked_add(i128::from(d - b'0')))
    };
    for d in int.bytes() {
        unscaled = push(unscaled, d).ok_or_else(err)?;
    }
    let fb = frac.as_bytes();
    for i in 0..usize::from(s) {
        unscaled = push(unscaled, fb.get(i).copied().unwrap_or(b'0')).ok_or_else(err)?;
    }
    if fb.get(usize::from(s)).is_some_and(|d| *d >= b'5') {
        unscaled += 1;
    }
    if unscaled >= 10i128.pow(u32::from(p.min(38))) {
        return Err(format!("`{text}` does not fit DECIMAL({p}, {s})"));
    }
    Ok(Decimal {
        unscaled: if neg { -unscaled } else { unscaled },
        scale: s,
    })
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `yyyy-MM-dd` as days since the epoch.
pub(crate) fn date(s: &str) -> Result<i32, String> {
    let err = || format!("`{s}` is not a date (yyyy-MM-dd)");
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (
        it.next().and_then(num).ok_or_else(err)?,
        it.next().and_then(num).ok_or_else(err)?,
        it.next().and_then(num).ok_or_else(err)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(err());
    }
    i32::try_from(days_from_civil(y, m as u32, d)).map_err(|_| err())
}

/// `yyyy-MM-dd[ T]HH:mm:ss[.f...][Z]` as epoch milliseconds (sub-millisecond digits
/// are dropped, as the runtime's timestamps are milliseconds).
pub(crate) fn timestamp(s: &str) -> Result<i64, String> {
    let err = || format!("`{s}` is not a timestamp (yyyy-MM-dd HH:mm:ss[.fff])");
    let t = s.strip_suffix('Z').unwrap_or(s);
    let (d, time) = t.split_once([' ', 'T']).unwrap_or((t, "00:00:00"));
    let days = i64::from(date(d).map_err(|_| err())?);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut it = hms.splitn(3, ':');
    let h = it.next().and_then(num).ok_or_else(err)?;
    let mi = it.next().and_then(num).ok_or_else(err)?;
    let sec = it.next().map_or(Some(0), num).ok_or_else(err)?;
    if h > 23 || mi > 59 || sec > 59 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    let ms = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0i64, |a, b| a * 10 + i64::from(b - b'0'));
    Ok(((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms)
}

/// Standard base64, padding optional; whitespace (line breaks) ignored.
pub(crate) fn base64(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return Err("not base64".into()),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(cols: &[(&str, &str)], key: &[usize]) -> Schema {
        Schema {
            columns: cols
                .iter()
                .map(|(n, t)| Column {
                    name: (*n).into(),
                    ty: ColType::parse(t),
                    not_null: false,
                })
                .collect(),
            key: key.to_vec(),
        }
    }

    #[test]
    fn type_strings_as_the_compiler_prints_them() {
        assert_eq!(ColType::parse("STRING NOT NULL"), ColType::Str(None));
        assert_eq!(ColType::parse("CHAR(3)"), ColType::Str(Some(3)));
        assert_eq!(ColType::parse("TINYINT"), ColType::Int(8));
        assert_eq!(ColType::parse("INT NOT NULL"), ColType::Int(32));
        assert_eq!(ColType::parse("DOUBLE"), ColType::Double);
        assert_eq!(ColType::parse("BYTES"), ColType::Bytes(None));
        assert_eq!(ColType::parse("VARBINARY(16)"), ColType::Bytes(Some(16)));
        assert_eq!(
            ColType::parse("TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*"),
            ColType::TimestampLtz(3)
        );
        assert_eq!(ColType::parse("MAP<STRING, INT>"), ColType::Json);
        assert_eq!(ColType::parse("TIME(0)"), ColType::Json);
    }

    #[test]
    fn every_type_reads_what_encode_writes() {
        let s = schema(
            &[
                ("b", "BOOLEAN"),
                ("i", "INT"),
                ("f", "FLOAT"),
                ("d", "DOUBLE"),
                ("m", "DECIMAL(10, 2)"),
                ("s", "VARCHAR(5)"),
                ("dt", "DATE"),
                ("ts", "TIMESTAMP(3)"),
                ("lt", "TIMESTAMP_LTZ(3)"),
                ("by", "BYTES"),
                ("a", "ARRAY<INT>"),
            ],
            &[1],
        );
        let line = br#"{"op":"+U","b":true,"i":-3,"f":0.5,"d":"-Infinity","m":12.345,"s":"h\u00e9","dt":"2024-03-02","ts":"2024-03-02 08:00:00.5","lt":"1970-01-01T00:00:01.500Z","by":"aGVsbG8=","a":[1,2]}"#;
        let c = parse_change(line, &s).unwrap();
        assert_eq!(c.kind, RowKind::UpdateAfter);
        assert_eq!(
            c.values,
            [
                Value::Bool(true),
                Value::Int(-3),
                Value::Float(0.5),
                Value::Float(f64::NEG_INFINITY),
                Value::Decimal(Decimal {
                    unscaled: 1235,
                    scale: 2
                }),
                Value::Str("hé".into()),
                Value::Date(Date(19_784)),
                Value::Timestamp(Timestamp(1_709_366_400_500)),
                Value::Timestamp(Timestamp(1_500)),
                Value::Bytes(b"hello".to_vec()),
                Value::Json("[1,2]".into()),
            ]
        );
        // And back: the JSON the row was (modulo the rounded decimal and `op`).
        assert_eq!(
            String::from_utf8(c.to_json(&s, None)).unwrap(),
            r#"{"b":true,"i":-3,"f":0.5,"d":"-Infinity","m":12.35,"s":"hé","dt":"2024-03-02","ts":"2024-03-02 08:00:00.500","lt":"1970-01-01T00:00:01.500Z","by":"aGVsbG8=","a":[1,2]}"#
        );
        let mut key = Vec::new();
        c.write_key(&s, &mut key);
        assert_eq!(key, b"-3\x1f");
    }

    #[test]
    fn bad_values_name_their_column() {
        let s = schema(
            &[("k", "STRING"), ("n", "TINYINT"), ("m", "DECIMAL(3, 1)")],
            &[0],
        );
        let err = |l: &str| parse_change(l.as_bytes(), &s).unwrap_err();
        assert!(err(r#"{"k":"a","n":300}"#).contains("column `n`"));
        assert!(err(r#"{"k":"a","n":"x"}"#).contains("integer"));
        assert!(err(r#"{"k":"a","m":123.4}"#).contains("does not fit"));
        assert!(err(r#"{"k":1}"#).contains("column `k`"));
        assert!(err(r#"{"op":"+X","k":"a"}"#).contains("change kind"));
        assert!(err(r#"{"n":1}"#).contains("NULL in primary key column `k`"));
        assert!(err("not json").contains("JSON"));
        assert_eq!(
            parse_change(br#"{"k":"a","m":-0.05}"#, &s).unwrap().values[2],
            Value::Decimal(Decimal {
                unscaled: -1,
                scale: 1
            })
        );
    }

    #[test]
    fn values_as_each_database_spells_them_in_text() {
        let v = |t: &str, ty: &str| value_from_text(t, &ColType::parse(ty));
        assert_eq!(v("1", "BOOLEAN"), Ok(Value::Bool(true)));
        assert_eq!(v("f", "BOOLEAN"), Ok(Value::Bool(false)));
        assert_eq!(v("false", "BOOLEAN"), Ok(Value::Bool(false)));
        assert!(v("yes", "BOOLEAN").is_err());
        assert_eq!(v("-42", "BIGINT"), Ok(Value::Int(-42)));
        assert_eq!(v("42.0", "INT"), Ok(Value::Int(42)));
        assert!(v("42.5", "INT").is_err());
        assert!(v("42.04", "INT").is_err());
        assert_eq!(
            v("1.6666666666666667", "DOUBLE"),
            Ok(Value::Float(1.6666666666666667))
        );
        assert_eq!(
            v("-Infinity", "DOUBLE"),
            Ok(Value::Float(f64::NEG_INFINITY))
        );
        assert_eq!(v("-inf", "FLOAT"), Ok(Value::Float(f64::NEG_INFINITY)));
        assert!(matches!(v("NaN", "DOUBLE"), Ok(Value::Float(f)) if f.is_nan()));
        assert_eq!(
            v("11.0", "DECIMAL(10, 2)"),
            Ok(Value::Decimal(Decimal {
                unscaled: 1100,
                scale: 2
            }))
        );
        assert_eq!(v("abc ", "STRING"), Ok(Value::Str("abc ".into())));
        assert_eq!(v("2024-03-02", "DATE"), Ok(Value::Date(Date(19_784))));
        let ts = |ms| Ok(Value::Timestamp(Timestamp(ms)));
        assert_eq!(
            v("2024-03-02 08:00:00.5", "TIMESTAMP(3)"),
            ts(1_709_366_400_500)
        );
        assert_eq!(
            v("2024-03-02 08:00:00.500000", "TIMESTAMP(6)"),
            ts(1_709_366_400_500)
        );
        assert_eq!(
            v("2024-03-02 10:00:00.5+02", "TIMESTAMP_LTZ(3)"),
            ts(1_709_366_400_500)
        );
        assert_eq!(
            v("2024-03-02 02:30:00.5-05:30", "TIMESTAMP_LTZ(3)"),
            ts(1_709_366_400_500)
        );
        assert_eq!(
            v("68656C6c6f", "BYTES"),
            Ok(Value::Bytes(b"hello".to_vec()))
        );
        assert!(v("686", "BYTES").is_err());
        assert_eq!(v("[1,2]", "ARRAY<INT>"), Ok(Value::Json("[1,2]".into())));
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(date("1970-01-01"), Ok(0));
        assert_eq!(date("1969-12-31"), Ok(-1));
        assert!(date("2024-13-01").is_err());
        assert_eq!(timestamp("1970-01-01 00:00:01"), Ok(1000));
        assert_eq!(timestamp("1970-01-01T00:00:00.123456Z"), Ok(123));
        assert!(timestamp("1970-01-01 25:00:00").is_err());
        assert_eq!(base64("aGVsbG8"), Ok(b"hello".to_vec()));
    }
}
