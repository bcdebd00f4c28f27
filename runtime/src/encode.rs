//! Writing output rows: JSON objects (Flink's `json` format), Flink's `print` format,
//! and raw message values.
//!
//! In: typed values from generated code. Out: bytes appended to a sink buffer; no
//! allocation per value (integers and floats are formatted in place).

use crate::{Date, Timestamp, TimestampLtz};
use std::fmt::Write as _;

/// Appends `s` as a JSON string literal.
///
/// ```
/// let mut b = Vec::new();
/// streamsql_runtime::encode::json_str(&mut b, "a\"b\n");
/// assert_eq!(b, br#""a\"b\n""#);
/// ```
pub fn json_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                buf.extend_from_slice(&bytes[start..i]);
                let _ = write!(Hex(buf), "\\u{:04x}", c);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        buf.extend_from_slice(esc);
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

struct Hex<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Hex<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

pub fn json_null(buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"null");
}

pub fn json_bool(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

pub fn json_int(buf: &mut Vec<u8>, v: i64) {
    let _ = write!(Hex(buf), "{v}");
}

/// Doubles as Java prints them in Flink's JSON (`1.0`, `0.5`, `1.0E10`).
pub fn json_float(buf: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        // JSON has no NaN/Infinity; Flink's json format writes them as strings.
        json_str(buf, &format!("{v}"));
    } else if v == v.trunc() && v.abs() < 1e7 {
        let _ = write!(Hex(buf), "{v:.1}");
    } else {
        let _ = write!(Hex(buf), "{v}");
    }
}

/// `TIMESTAMP(p)` as Flink's json format writes it (`yyyy-MM-dd HH:mm:ss[.fff]`).
pub fn json_timestamp(buf: &mut Vec<u8>, t: Timestamp) {
    buf.push(b'"');
    timestamp_text(buf, t.0);
    buf.push(b'"');
}

/// `TIMESTAMP_LTZ(p)` as an ISO instant (`yyyy-MM-ddTHH:mm:ss[.fff]Z`).
pub fn json_timestamp_ltz(buf: &mut Vec<u8>, t: TimestampLtz) {
    buf.push(b'"');
    let start = buf.len();
    timestamp_text(buf, t.0);
    buf[start + 10] = b'T';
    buf.extend_from_slice(b"Z\"");
}

pub fn json_date(buf: &mut Vec<u8>, d: Date) {
    let (y, m, day) = crate::func::calendar::civil_from_days(i64::from(d.0));
    let _ = write!(Hex(buf), "\"{y:04}-{m:02}-{day:02}\"");
}

/// Base64 (standard alphabet, padded), as Flink's json format writes BYTES.
pub fn json_bytes(buf: &mut Vec<u8>, b: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    buf.push(b'"');
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        buf.push(ALPHABET[(n >> 18) as usize & 63]);
        buf.push(ALPHABET[(n >> 12) as usize & 63]);
        buf.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        buf.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63]
        } else {
            b'='
        });
    }
    buf.push(b'"');
}

/// `yyyy-MM-dd HH:mm:ss` plus `.fff` when the milliseconds are not zero.
pub fn timestamp_text(buf: &mut Vec<u8>, ms: i64) {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = crate::func::calendar::civil_from_days(days);
    let _ = write!(
        Hex(buf),
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    if millis != 0 {
        let _ = write!(Hex(buf), ".{millis:03}");
    }
}

/// Starts a JSON object row: `{`.
pub fn row_start(buf: &mut Vec<u8>) {
    buf.push(b'{');
}

/// A field name, pre-escaped by the compiler (`"name":`), after a comma if not first.
pub fn field(buf: &mut Vec<u8>, first: bool, key_with_colon: &[u8]) {
    if !first {
        buf.push(b',');
    }
    buf.extend_from_slice(key_with_colon);
}

/// Ends a row: `}` and a newline.
pub fn row_end(buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_flink_json_writes_them() {
        let mut b = Vec::new();
        json_timestamp(&mut b, Timestamp(1_709_366_400_000));
        json_timestamp(&mut b, Timestamp(1_709_366_400_500));
        json_timestamp_ltz(&mut b, TimestampLtz(0));
        json_date(&mut b, Date(19_784));
        json_bytes(&mut b, b"hello");
        json_float(&mut b, 2.0);
        json_float(&mut b, 0.25);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            r#""2024-03-02 08:00:00""2024-03-02 08:00:00.500""1970-01-01T00:00:00Z""2024-03-02""aGVsbG8="2.00.25"#
        );
    }
}
