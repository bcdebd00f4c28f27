//! Comparing a job's output from Flink with streamsql's: normalise, fold, diff.
//!
//! In: the rows each engine wrote for one sink (JSON objects; for updating sinks the
//! Debezium-JSON changelog). Out: a [`Verdict`]. Only what legitimately differs in
//! text is normalised — timestamp spelling (`2024-03-02 10:00:00` vs
//! `2024-03-02T10:00:00.000`), number spelling (`1.0` vs `1`), key order — and
//! processing-time columns are compared for presence and type only. Everything else
//! (a `1` vs `"1"`, a missing row, a row too many) is a difference.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How a sink's file is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkFormat {
    /// One JSON object per line, insert-only: compared as a multiset.
    Json,
    /// Debezium-JSON changelog: folded into the final table, then compared as a multiset.
    DebeziumJson,
    /// streamsql's changelog lines, `{"op":"+I"|"-U"|"+U"|"-D", ...columns}`: folded
    /// the same way.
    Changelog,
}

/// A normalised row: sorted keys, canonical value text.
pub type Row = BTreeMap<String, String>;

/// Reads a sink's lines into normalised rows (folding a changelog). Lines that are
/// not JSON objects are an error: an engine must not write them.
pub fn read_rows(
    lines: &[String],
    format: SinkFormat,
    proctime_cols: &BTreeSet<String>,
) -> Result<Vec<Row>, String> {
    let mut rows: BTreeMap<Row, i64> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}: {line}", i + 1))?;
        match format {
            SinkFormat::Json => *rows.entry(normalise_row(&v, proctime_cols)?).or_default() += 1,
            SinkFormat::DebeziumJson => {
                let before = v.get("before").filter(|b| !b.is_null());
                let after = v.get("after").filter(|a| !a.is_null());
                if before.is_none() && after.is_none() {
                    return Err(format!(
                        "line {}: changelog record without before/after: {line}",
                        i + 1
                    ));
                }
                if let Some(b) = before {
                    *rows.entry(normalise_row(b, proctime_cols)?).or_default() -= 1;
                }
                if let Some(a) = after {
                    *rows.entry(normalise_row(a, proctime_cols)?).or_default() += 1;
                }
            }
            SinkFormat::Changelog => {
                let Value::Object(mut map) = v else {
                    return Err(format!("line {}: not a JSON object: {line}", i + 1));
                };
                let sign = match map.remove("op").as_ref().and_then(Value::as_str) {
                    Some("+I" | "+U") => 1,
                    Some("-U" | "-D") => -1,
                    _ => return Err(format!("line {}: no valid \"op\": {line}", i + 1)),
                };
                *rows
                    .entry(normalise_row(&Value::Object(map), proctime_cols)?)
                    .or_default() += sign;
            }
        }
    }
    let mut out = Vec::new();
    for (row, n) in rows {
        if n < 0 {
            return Err(format!(
                "the changelog retracts a row it never inserted: {row:?}"
            ));
        }
        out.extend(std::iter::repeat_n(row, n as usize));
    }
    Ok(out)
}

/// Reads a sink's lines as a table with PRIMARY KEY `key` applies them, in order: an
/// insert (a plain JSON line, Debezium's `after`, `+I`/`+U`) replaces the key's row,
/// an update-before or delete (`before`, `-U`/`-D`) removes it. The rows left, sorted.
/// Key columns are matched by name, ignoring case; a missing one reads as NULL.
pub fn read_rows_keyed(
    lines: &[String],
    format: SinkFormat,
    proctime_cols: &BTreeSet<String>,
    key: &[String],
) -> Result<Vec<Row>, String> {
    let key_of = |row: &Row| -> Vec<String> {
        key.iter()
            .map(|k| {
                row.iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(k))
                    .map_or_else(|| "null".to_string(), |(_, v)| v.clone())
            })
            .collect()
    };
    let mut table: BTreeMap<Vec<String>, Row> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}: {line}", i + 1))?;
        let mut apply = |row: &Value, upsert: bool| -> Result<(), String> {
            let row = normalise_row(row, proctime_cols)?;
            let k = key_of(&row);
            if upsert {
                table.insert(k, row);
            } else {
                table.remove(&k);
            }
            Ok(())
        };
        match format {
            SinkFormat::Json => apply(&v, true)?,
            SinkFormat::DebeziumJson => {
                if let Some(b) = v.get("before").filter(|b| !b.is_null()) {
                    apply(b, false)?;
                }
                if let Some(a) = v.get("after").filter(|a| !a.is_null()) {
                    apply(a, true)?;
                }
            }
            SinkFormat::Changelog => {
                let Value::Object(mut map) = v else {
                    return Err(format!("line {}: not a JSON object: {line}", i + 1));
                };
                let upsert = match map.remove("op").as_ref().and_then(Value::as_str) {
                    Some("+I" | "+U") => true,
                    Some("-U" | "-D") => false,
                    _ => return Err(format!("line {}: no valid \"op\": {line}", i + 1)),
                };
                apply(&Value::Object(map), upsert)?;
            }
        }
    }
    let mut rows: Vec<Row> = table.into_values().collect();
    rows.sort();
    Ok(rows)
}

fn normalise_row(v: &Value, proctime_cols: &BTreeSet<String>) -> Result<Row, String> {
    let Value::Object(map) = v else {
        return Err(format!("not a JSON object: {v}"));
    };
    Ok(map
        .iter()
        .map(|(k, v)| {
            let text = if proctime_cols.contains(k) {
                type_tag(v)
            } else {
                normalise_value(v)
            };
            (k.clone(), text)
        })
        .collect())
}

/// Processing-time values differ between runs: keep only whether there is a value
/// and of which JSON type — except inside a string holding a JSON object (a message
/// built with `CONCAT`), where only the values that are processing times (epoch
/// seconds or milliseconds within a day of now) are masked and the rest compared.
fn type_tag(v: &Value) -> String {
    if let Value::String(s) = v
        && let Ok(Value::Object(o)) = serde_json::from_str::<Value>(s)
    {
        let masked: BTreeMap<&String, String> = o.iter().map(|(k, v)| (k, mask_now(v))).collect();
        return format!("<JSON with processing times masked: {masked:?}>");
    }
    type_tag_only(v)
}

fn mask_now(v: &Value) -> String {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let day = 86_400_000;
    let n = match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse::<i64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if (now_ms - 2 * day..now_ms + day).contains(&n) => "<proc-time ms>".into(),
        Some(n) if ((now_ms - 2 * day) / 1000..(now_ms + day) / 1000).contains(&n) => {
            "<proc-time s>".into()
        }
        _ => normalise_value(v),
    }
}

fn type_tag_only(v: &Value) -> String {
    match v {
        Value::Null => "<proc-time: null>",
        Value::Bool(_) => "<proc-time: boolean>",
        Value::Number(_) => "<proc-time: number>",
        Value::String(_) => "<proc-time: string>",
        Value::Array(_) => "<proc-time: array>",
        Value::Object(_) => "<proc-time: object>",
    }
    .to_string()
}

/// Canonical text of a value: numbers without a redundant fraction, timestamps in one
/// spelling; strings keep their quotes so `"1"` and `1` stay different.
pub fn normalise_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
            (None, Some(f)) => format!("{f}"),
            _ => n.to_string(),
        },
        Value::String(s) => format!("{:?}", normalise_timestamp(s).unwrap_or_else(|| s.clone())),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(normalise_value).collect::<Vec<_>>().join(",")
        ),
        Value::Object(o) => {
            let inner: BTreeMap<&String, String> =
                o.iter().map(|(k, v)| (k, normalise_value(v))).collect();
            format!("{inner:?}")
        }
    }
}

/// `2024-03-02T10:00:00.500Z`, `2024-03-02 10:00:00.5`, `2024-03-02 10:00:00.000`
/// -> `2024-03-02 10:00:00.5` / `2024-03-02 10:00:00`; `None` if not a timestamp.
pub fn normalise_timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shape = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b' ' || b[10] == b'T')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return None;
    }
    let rest = s[19..].strip_suffix('Z').unwrap_or(&s[19..]);
    let frac = match rest.strip_prefix('.') {
        Some(f) if f.bytes().all(|c| c.is_ascii_digit()) => f.trim_end_matches('0'),
        None if rest.is_empty() => "",
        _ => return None,
    };
    let base = format!("{} {}", &s[..10], &s[11..19]);
    Some(if frac.is_empty() {
        base
    } else {
        format!("{base}.{frac}")
    })
}

/// The outcome of comparing one sink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Match,
    Mismatch {
        only_flink: Vec<Row>,
        only_streamsql: Vec<Row>,
    },
}

impl Verdict {
    pub fn is_match(&self) -> bool {
        *self == Verdict::Match
    }
}

/// Multiset difference of two normalised outputs.
pub fn compare(flink: &[Row], streamsql: &[Row]) -> Verdict {
    fn count(rows: &[Row]) -> BTreeMap<&Row, i64> {
        let mut m: BTreeMap<&Row, i64> = BTreeMap::new();
        for r in rows {
            *m.entry(r).or_default() += 1;
        }
        m
    }
    let (f, s) = (count(flink), count(streamsql));
    let mut only_flink = Vec::new();
    let mut only_streamsql = Vec::new();
    for (row, n) in &f {
        let d = n - s.get(row).copied().unwrap_or(0);
        only_flink.extend(std::iter::repeat_n((*row).clone(), d.max(0) as usize));
    }
    for (row, n) in &s {
        let d = n - f.get(row).copied().unwrap_or(0);
        only_streamsql.extend(std::iter::repeat_n((*row).clone(), d.max(0) as usize));
    }
    if only_flink.is_empty() && only_streamsql.is_empty() {
        Verdict::Match
    } else {
        Verdict::Mismatch {
            only_flink,
            only_streamsql,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Match => write!(f, "match"),
            Verdict::Mismatch {
                only_flink,
                only_streamsql,
            } => {
                writeln!(
                    f,
                    "MISMATCH: {} row(s) only from Flink, {} only from streamsql",
                    only_flink.len(),
                    only_streamsql.len()
                )?;
                for r in only_flink.iter().take(5) {
                    writeln!(f, "  flink only:     {r:?}")?;
                }
                for r in only_streamsql.iter().take(5) {
                    writeln!(f, "  streamsql only: {r:?}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn text_differences_that_do_not_matter_are_normalised() {
        let none = BTreeSet::new();
        let flink = read_rows(
            &lines(&[r#"{"a":1.0,"t":"2024-03-02 10:00:00","s":"x"}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        let ours = read_rows(
            &lines(&[r#"{"s":"x","t":"2024-03-02T10:00:00.000","a":1}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        assert!(compare(&flink, &ours).is_match());
    }

    #[test]
    fn a_keyed_table_keeps_the_last_row_per_key() {
        let none = BTreeSet::new();
        let key = ["ID".to_string()];
        let appended = read_rows_keyed(
            &lines(&[
                r#"{"id":1,"v":"a"}"#,
                r#"{"id":2,"v":"b"}"#,
                r#"{"id":1,"v":"c"}"#,
            ]),
            SinkFormat::Json,
            &none,
            &key,
        )
        .unwrap();
        let expected = read_rows(
            &lines(&[r#"{"id":1,"v":"c"}"#, r#"{"id":2,"v":"b"}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        assert_eq!(appended, expected);
        let changelog = read_rows_keyed(
            &lines(&[
                r#"{"op":"+I","id":1,"v":"a"}"#,
                r#"{"op":"+I","id":2,"v":"b"}"#,
                r#"{"op":"-U","id":1,"v":"a"}"#,
                r#"{"op":"+U","id":1,"v":"c"}"#,
                r#"{"op":"-D","id":2,"v":"b"}"#,
            ]),
            SinkFormat::Changelog,
            &none,
            &key,
        )
        .unwrap();
        assert_eq!(changelog, expected[..1]);
    }

    #[test]
    fn differences_that_matter_are_not() {
        let none = BTreeSet::new();
        let a = read_rows(
            &lines(&[r#"{"a":1}"#, r#"{"a":1}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        let b = read_rows(
            &lines(&[r#"{"a":"1"}"#, r#"{"a":1}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        let Verdict::Mismatch {
            only_flink,
            only_streamsql,
        } = compare(&a, &b)
        else {
            panic!()
        };
        assert_eq!((only_flink.len(), only_streamsql.len()), (1, 1));
        // A duplicate row is a difference too (multisets, not sets).
        let c = read_rows(&lines(&[r#"{"a":1}"#]), SinkFormat::Json, &none).unwrap();
        assert!(!compare(&a, &c).is_match());
        // An off-by-one millisecond in a timestamp is a difference.
        let t1 = read_rows(
            &lines(&[r#"{"end":"2024-03-02 10:01:00"}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        let t2 = read_rows(
            &lines(&[r#"{"end":"2024-03-02 10:01:00.001"}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        assert!(!compare(&t1, &t2).is_match());
    }

    #[test]
    fn changelogs_fold_to_the_final_table() {
        let none = BTreeSet::new();
        let log = lines(&[
            r#"{"before":null,"after":{"k":"a","n":1},"op":"c"}"#,
            r#"{"before":{"k":"a","n":1},"after":null,"op":"d"}"#,
            r#"{"before":null,"after":{"k":"a","n":2},"op":"c"}"#,
            r#"{"before":null,"after":{"k":"b","n":1},"op":"c"}"#,
        ]);
        let folded = read_rows(&log, SinkFormat::DebeziumJson, &none).unwrap();
        let ours: Vec<String> = [
            r#"{"op":"+I","k":"a","n":1}"#,
            r#"{"op":"-U","k":"a","n":1}"#,
            r#"{"op":"+U","k":"a","n":2}"#,
            r#"{"op":"+I","k":"b","n":1}"#,
            r#"{"op":"-D","k":"b","n":1}"#,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let ours = read_rows(&ours, SinkFormat::Changelog, &none).unwrap();
        assert_eq!(ours.len(), 1);
        assert_eq!(ours[0]["n"], "2");
        let want = read_rows(
            &lines(&[r#"{"k":"a","n":2}"#, r#"{"k":"b","n":1}"#]),
            SinkFormat::Json,
            &none,
        )
        .unwrap();
        assert!(compare(&folded, &want).is_match());
        let bad = lines(&[r#"{"before":{"k":"z"},"after":null,"op":"d"}"#]);
        assert!(read_rows(&bad, SinkFormat::DebeziumJson, &none).is_err());
    }

    #[test]
    fn proc_time_columns_compare_by_presence_and_type() {
        let pt: BTreeSet<String> = ["created".to_string()].into();
        let a = read_rows(
            &lines(&[r#"{"k":1,"created":"2026-11-21 10:00:00"}"#]),
            SinkFormat::Json,
            &pt,
        )
        .unwrap();
        let b = read_rows(
            &lines(&[r#"{"k":1,"created":"2026-11-21 11:30:07.123"}"#]),
            SinkFormat::Json,
            &pt,
        )
        .unwrap();
        let c = read_rows(
            &lines(&[r#"{"k":1,"created":null}"#]),
            SinkFormat::Json,
            &pt,
        )
        .unwrap();
        assert!(compare(&a, &b).is_match());
        assert!(!compare(&a, &c).is_match());
    }

    #[test]
    fn timestamp_spellings() {
        assert_eq!(
            normalise_timestamp("2024-03-02 10:00:00").as_deref(),
            Some("2024-03-02 10:00:00")
        );
        assert_eq!(
            normalise_timestamp("2024-03-02T10:00:00.500Z").as_deref(),
            Some("2024-03-02 10:00:00.5")
        );
        assert_eq!(
            normalise_timestamp("2024-03-02 10:00:00.000").as_deref(),
            Some("2024-03-02 10:00:00")
        );
        assert_eq!(normalise_timestamp("2024-03-02"), None);
        assert_eq!(normalise_timestamp("2024-03-02 10:00:00 extra"), None);
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fff]` (UTC) -> epoch milliseconds.
pub fn timestamp_millis(s: &str) -> Option<i64> {
    let n = normalise_timestamp(s)?;
    let num = |r: std::ops::Range<usize>| n[r].parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = n.get(20..).unwrap_or("");
    let ms = format!("{frac:0<3}")[..3].parse::<i64>().ok()?;
    // Days from civil (H. Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms)
}

/// Epoch milliseconds -> `YYYY-MM-DD HH:MM:SS[.fff]` (the normalised spelling).
pub fn format_millis(ms: i64) -> String {
    let base = streamsql_examples::datagen::datetime(ms);
    let frac = ms.rem_euclid(1000);
    if frac == 0 {
        base
    } else {
        normalise_timestamp(&format!("{base}.{frac:03}")).unwrap_or(base)
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn millis_round_trip() {
        for ms in [
            0,
            1_709_366_400_000,
            1_709_366_400_001,
            951_782_399_999,
            1_709_366_459_999,
        ] {
            assert_eq!(timestamp_millis(&format_millis(ms)), Some(ms), "{ms}");
        }
        assert_eq!(
            timestamp_millis("2024-03-02T08:00:00.5Z"),
            Some(1_709_366_400_500)
        );
    }
}
