//! Date-time functions.
//!
//! In: [`Timestamp`] / [`TimestampLtz`] (epoch millis), [`Date`] (epoch days),
//! strings, epoch numbers, and — for the "now" functions — the instant the driver read
//! from the clock once for the batch. Out: the SQL result; the session time zone is
//! UTC, so a `TIMESTAMP_LTZ` prints like the `TIMESTAMP` with the same millis.
//!
//! Which Java formatter Flink uses matters, and differs per function (observed on
//! Flink 2.3):
//! - `DATE_FORMAT(TIMESTAMP | TIMESTAMP_LTZ, fmt)` and `TO_TIMESTAMP(s, fmt)`: Java's
//!   `DateTimeFormatter` ([`DateFormat`]);
//! - `DATE_FORMAT(STRING, fmt)`, `FROM_UNIXTIME`, `UNIX_TIMESTAMP(s, fmt)`,
//!   `TO_DATE(s, fmt)`: `SimpleDateFormat` ([`SimpleDateFormat`]: lenient parsing,
//!   Julian calendar before 1582-10-15);
//! - `CAST(s AS TIMESTAMP)`, `TO_TIMESTAMP(s)`: a fixed `yyyy-[M]M-[d]d[ [H]H:[m]m:[s]s[.f]]`
//!   parser; `CAST(s AS DATE)`, `TO_DATE(s)`: Flink's own lenient date parser.
//!
//! Blink (Alibaba) differences: `TO_TIMESTAMP(bigint)` reads epoch millis
//! ([`to_timestamp_millis`]), `NOW()` is epoch seconds ([`now_blink`]),
//! `CURRENT_TIMESTAMP` is a `TIMESTAMP` ([`localtimestamp`]), and `DATE_FORMAT` of a
//! timestamp takes `SimpleDateFormat` patterns ([`SimpleDateFormat::format_timestamp`]).

use std::sync::OnceLock;

use super::EvalError;
use super::calendar::{self, Fields, MILLIS_PER_DAY};
use super::datefmt::{DateFormat, SimpleDateFormat};
use super::decimal;
use super::javanum::java_trim;
use crate::{Date, Decimal, Timestamp, TimestampLtz};

/// 0000-01-01 00:00:00.000 UTC, Flink's smallest `TIMESTAMP_LTZ`.
const MIN_EPOCH_MILLIS: i64 = -62_167_219_200_000;
/// 9999-12-31 23:59:59.999 UTC, Flink's largest `TIMESTAMP_LTZ`.
const MAX_EPOCH_MILLIS: i64 = 253_402_300_799_999;
const MIN_EPOCH_SECONDS: i64 = -62_167_219_200;
const MAX_EPOCH_SECONDS: i64 = 253_402_300_799;

// ------------------------------------------------------------------ text forms

/// A stack buffer in front of a `String`: formatting writes bytes here and the text
/// reaches the `String` in one `push_str` (per 64 bytes), instead of one `push` per
/// character.
pub(crate) struct TextBuf<'a> {
    out: &'a mut String,
    buf: [u8; 64],
    len: usize,
}

impl<'a> TextBuf<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        TextBuf {
            out,
            buf: [0; 64],
            len: 0,
        }
    }

    /// Moves the buffered text to the `String`.
    pub(crate) fn flush(&mut self) {
        // Only whole `&str`s and ASCII bytes are buffered, so this is valid UTF-8.
        if let Ok(s) = std::str::from_utf8(&self.buf[..self.len]) {
            self.out.push_str(s);
        }
        self.len = 0;
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        if self.len + s.len() > self.buf.len() {
            self.flush();
            if s.len() > self.buf.len() {
                self.out.push_str(s);
                return;
            }
        }
        if s.len() <= 4 {
            // short literals (`-`, `:`, ` `): a byte loop beats a `memmove` call
            for &b in s.as_bytes() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        } else {
            self.buf[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        }
    }

    pub(crate) fn push(&mut self, c: char) {
        if c.is_ascii() {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = c as u8;
            self.len += 1;
        } else {
            let mut b = [0u8; 4];
            self.push_str(c.encode_utf8(&mut b));
        }
    }
}

impl Drop for TextBuf<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Appends `v` in decimal, zero-padded to `width` digits (a `-` before the padding).
pub(crate) fn write_padded(out: &mut TextBuf<'_>, v: i64, width: usize) {
    let mut n = v.unsigned_abs();
    let len = n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let total = width.max(len) + usize::from(v < 0);
    if out.len + total > out.buf.len() {
        out.flush();
        if total > out.buf.len() {
            // absurd widths: through the String
            if v < 0 {
                out.out.push('-');
            }
            for _ in len..width {
                out.out.push('0');
            }
            let digits = n.to_string();
            out.out.push_str(&digits);
            return;
        }
    }
    let start = out.len;
    let end = start + total;
    if v < 0 {
        out.buf[start] = b'-';
    }
    let mut i = end;
    for _ in 0..len {
        i -= 1;
        out.buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let zeros_from = start + usize::from(v < 0);
    for b in &mut out.buf[zeros_from..i] {
        *b = b'0';
    }
    out.len = end;
}

/// Appends `yyyy-MM-dd` of epoch days (Flink's `CAST(DATE AS STRING)`).
pub(crate) fn write_date(out: &mut String, days: i64) {
    write_date_buf(&mut TextBuf::new(out), days);
}

fn write_date_buf(out: &mut TextBuf<'_>, days: i64) {
    let (y, m, d) = calendar::civil_from_days(days);
    write_padded(out, y, 4);
    out.push('-');
    write_padded(out, i64::from(m), 2);
    out.push('-');
    write_padded(out, i64::from(d), 2);
}

/// Appends `yyyy-MM-dd HH:mm:ss[.fff]` of epoch millis as Flink's
/// `CAST(TIMESTAMP(p) AS STRING)` does: the fraction is padded to `precision` digits
/// (`.000` for `TIMESTAMP(3)`), none for `TIMESTAMP(0)`.
pub(crate) fn write_timestamp(out: &mut String, ms: i64, precision: u8) {
    let f = Fields::proleptic(ms);
    if (1..=9999).contains(&f.year) && precision <= 9 {
        // fast path: fixed layout
        let mut b = *b"0000-00-00 00:00:00.000000000";
        let put = |b: &mut [u8; 29], at: usize, v: u32| {
            b[at] = b'0' + (v / 10 % 10) as u8;
            b[at + 1] = b'0' + (v % 10) as u8;
        };
        let y = f.year as u32;
        put(&mut b, 0, y / 100);
        put(&mut b, 2, y % 100);
        put(&mut b, 5, f.month);
        put(&mut b, 8, f.day);
        put(&mut b, 11, f.hour);
        put(&mut b, 14, f.minute);
        put(&mut b, 17, f.second);
        b[20] = b'0' + (f.millis / 100) as u8;
        b[21] = b'0' + (f.millis / 10 % 10) as u8;
        b[22] = b'0' + (f.millis % 10) as u8;
        // fraction: at least `precision` digits, more if the millis need them
        let mut frac = 9;
        while frac > usize::from(precision) && b[20 + frac - 1] == b'0' {
            frac -= 1;
        }
        let len = if frac == 0 { 19 } else { 20 + frac };
        if let Ok(s) = std::str::from_utf8(&b[..len]) {
            out.push_str(s);
        }
        return;
    }
    let out = &mut TextBuf::new(out);
    write_date_buf(out, f.days);
    out.push(' ');
    write_padded(out, i64::from(f.hour), 2);
    out.push(':');
    write_padded(out, i64::from(f.minute), 2);
    out.push(':');
    write_padded(out, i64::from(f.second), 2);
    // 9 fraction digits, trailing zeros stripped down to `precision` digits
    let mut digits = [b'0'; 9];
    digits[0] = b'0' + (f.millis / 100) as u8;
    digits[1] = b'0' + (f.millis / 10 % 10) as u8;
    digits[2] = b'0' + (f.millis % 10) as u8;
    let mut len = 9;
    while len > usize::from(precision) && digits[len - 1] == b'0' {
        len -= 1;
    }
    if len > 0 {
        out.push('.');
        for &d in &digits[..len] {
            out.push(char::from(d));
        }
    }
}

// ------------------------------------------------------------------ CAST parsers

/// Reads ASCII digits at `*i` (at most `max`), returning (value, count).
fn digits(b: &[u8], i: &mut usize, max: usize) -> (i64, usize) {
    let mut v: i64 = 0;
    let mut n = 0;
    while *i < b.len() && n < max && b[*i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add(i64::from(b[*i] - b'0'));
        *i += 1;
        n += 1;
    }
    (v, n)
}

/// `[XX][X]`: two digits, then optionally more digits that must repeat the value; or
/// one or more digits (`DateTimeFormatter`'s optional fixed/variable width pair).
fn two_or_one(b: &[u8], i: &mut usize) -> Option<i64> {
    let save = *i;
    let (v2, n2) = digits(b, i, 2);
    if n2 == 2 {
        let (v1, n1) = digits(b, i, 19);
        if n1 > 0 && v1 != v2 {
            return None;
        }
        return Some(v2);
    }
    *i = save;
    let (v1, n1) = digits(b, i, 19);
    (n1 > 0).then_some(v1)
}

/// The default `TIMESTAMP` parser (`yyyy-[MM][M]-[dd][d][ [HH][H]:[mm][m]:[ss][s][.f]]`,
/// strict, SMART resolution): epoch millis (fraction truncated to millis), or `None`.
///
/// Observed on Flink 2.3 (`CAST(s AS TIMESTAMP(3))`): `2024-3-2` and `2024-03-02 1:2:3`
/// parse; `2024-02-30` is clamped to `2024-02-29`; `24:00:00` is the next midnight;
/// `2024-03-02T10:00:00`, `2024-03-02 10:00`, leading/trailing spaces, 10 fraction
/// digits, `25:00:00`, `10:00:60` and 5-digit years are NULL.
pub(crate) fn parse_timestamp_default(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = 0;
    let (year, n) = digits(b, &mut i, 19);
    if n != 4 || year == 0 {
        return None;
    }
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let month = two_or_one(b, &mut i)?;
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let day = two_or_one(b, &mut i)?;
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0);
    let mut nanos_zero = true;
    if i < b.len() {
        if b[i] != b' ' {
            return None;
        }
        i += 1;
        hour = two_or_one(b, &mut i)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        minute = two_or_one(b, &mut i)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        second = two_or_one(b, &mut i)?;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            let (_, n) = digits(b, &mut i, 9);
            let frac = &b[start..start + n];
            nanos_zero = frac.iter().all(|&d| d == b'0');
            for k in 0..3 {
                millis = millis * 10 + frac.get(k).map_or(0, |d| i64::from(d - b'0'));
            }
        }
        if i != b.len() {
            return None;
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if !(0..=59).contains(&minute) || !(0..=59).contains(&second) {
        return None;
    }
    let mut extra_day = 0;
    if hour == 24 {
        // SMART resolution: 24:00:00 is the end of the day.
        if minute != 0 || second != 0 || !nanos_zero {
            return None;
        }
        hour = 0;
        extra_day = 1;
    } else if !(0..=23).contains(&hour) {
        return None;
    }
    let day = day.min(i64::from(calendar::month_len(year, month as u32)));
    let days = calendar::days_from_civil(year, month as u32, day) + extra_day;
    Some(days * MILLIS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis)
}

fn is_integer(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Java's `Integer.parseInt` of an all-digits string (overflow: `None`).
fn parse_int(s: &str) -> Option<i64> {
    let v: i64 = s.parse().ok()?;
    (v <= i64::from(i32::MAX)).then_some(v)
}

/// Flink's `DateTimeUtils.parseDate(String)` (`CAST(s AS DATE)`, `TO_DATE(s)`):
/// cut at the first space (when not leading), then `y`, `y-m` or `y-m-d` with each
/// part trimmed and all digits; year 0..=9999 and a real calendar day.
///
/// Observed on Flink 2.3: `'12'` is `0012-01-01`, `'2024-03'` is `2024-03-01`,
/// `'2024-3-2'` and `'2024-03-02 10:00'` parse; `'+12'`, `'2024-02-30'`,
/// `'2024-03-02T10:00:00'`, `'2024/03/02'` are NULL.
pub(crate) fn parse_date_default(s: &str) -> Option<i64> {
    let mut s = s;
    if let Some(ws) = s.find(' ')
        && ws > 0
    {
        s = &s[..ws];
    }
    let part = |p: &str| {
        let t = java_trim(p);
        if is_integer(t) { parse_int(t) } else { None }
    };
    let (y, m, d) = match s.find('-') {
        None => (part(s)?, 1, 1),
        Some(h1) => {
            let y = part(&s[..h1])?;
            match s[h1 + 1..].find('-') {
                None => (y, part(&s[h1 + 1..])?, 1),
                Some(h2) => {
                    let h2 = h1 + 1 + h2;
                    (y, part(&s[h1 + 1..h2])?, part(&s[h2 + 1..])?)
                }
            }
        }
    };
    if !(0..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if d > i64::from(calendar::month_len(y, m as u32)) {
        return None;
    }
    Some(calendar::days_from_civil(y, m as u32, d))
}

/// `java.sql.Timestamp.valueOf(s)` / `java.sql.Date.valueOf(s)` as `TO_TIMESTAMP(s,
/// fmt)`'s fallback uses them: `s` trimmed; with a space `yyyy-[m]m-[d]d
/// hh:mm:ss[.f...]`, else `yyyy-[m]m-[d]d`; month 1..=12 and day 1..=31 checked, then
/// everything rolls over leniently (`02-30` is March 1st, `25:00` the next day).
fn java_sql_timestamp(s: &str) -> Option<i64> {
    let s = java_trim(s);
    let int = |p: &str| -> Option<i64> {
        let p = p.strip_prefix('+').unwrap_or(p);
        let (neg, digits) = match p.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, p),
        };
        if !is_integer(digits) {
            return None;
        }
        let v = parse_int(digits)?;
        Some(if neg { -v } else { v })
    };
    let ymd = |date: &str| -> Option<(i64, i64, i64)> {
        let d1 = date.find('-')?;
        let d2 = d1 + 1 + date[d1 + 1..].find('-')?;
        if d1 == 0 || d2 + 1 >= date.len() {
            return None;
        }
        let (yy, mm, dd) = (&date[..d1], &date[d1 + 1..d2], &date[d2 + 1..]);
        let ok = yy.len() == 4 && (1..=2).contains(&mm.len()) && (1..=2).contains(&dd.len());
        if !ok {
            return None;
        }
        let (y, m, d) = (int(yy)?, int(mm)?, int(dd)?);
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
    };
    match s.find(' ') {
        None => {
            let (y, m, d) = ymd(s)?;
            Some(calendar::days_from_civil(y, m as u32, d) * MILLIS_PER_DAY)
        }
        Some(sp) => {
            let (y, m, d) = ymd(&s[..sp])?;
            let time = &s[sp + 1..];
            let c1 = time.find(':')?;
            let c2 = c1 + 1 + time[c1 + 1..].find(':')?;
            if c1 == 0 || c2 + 1 >= time.len() {
                return None;
            }
            let hour = int(&time[..c1])?;
            let minute = int(&time[c1 + 1..c2])?;
            let rest = &time[c2 + 1..];
            let (second, millis) = match rest.find('.') {
                Some(p) => {
                    let frac = &rest[p + 1..];
                    if frac.is_empty() || frac.len() > 9 || !frac.as_bytes()[0].is_ascii_digit() {
                        return None;
                    }
                    let nanos = int(frac)? * 10i64.pow(9 - frac.len() as u32);
                    (int(&rest[..p])?, nanos / 1_000_000)
                }
                None => (int(rest)?, 0),
            };
            let days = calendar::days_from_civil(y, m as u32, d);
            Some(
                days.saturating_mul(MILLIS_PER_DAY)
                    .saturating_add(hour * 3_600_000 + minute * 60_000 + second * 1000)
                    .saturating_add(millis),
            )
        }
    }
}

// ------------------------------------------------------------------ TO_TIMESTAMP etc.

/// `TO_TIMESTAMP(s)`: the default `TIMESTAMP` parser (as `CAST(s AS TIMESTAMP(3))`), NULL
/// when it fails.
///
/// ```
/// use streamsql_runtime::{func::time::to_timestamp, Timestamp};
/// assert_eq!(to_timestamp("1970-01-01 00:00:01.5"), Some(Timestamp(1500)));
/// assert_eq!(to_timestamp("1970-01-01T00:00:01"), None);
/// ```
pub fn to_timestamp(s: &str) -> Option<Timestamp> {
    parse_timestamp_default(s).map(Timestamp)
}

/// `TO_TIMESTAMP(s, fmt)`, `fmt` compiled with [`DateFormat::for_parsing`] (which
/// accepts offset letters): parses with the `DateTimeFormatter` pattern (fields it lacks
/// default to 1970-01-01 00:00:00; millisecond precision); when that fails, falls back
/// to `java.sql.Timestamp.valueOf` (if `s` has a space) or `java.sql.Date.valueOf`
/// (lenient); NULL if both fail. Observed on Flink 2.3: `TO_TIMESTAMP('2024-03-02
/// 10:05:09.123', 'yyyy-MM-dd HH:mm:ss')` keeps the `.123` (through the fallback),
/// `TO_TIMESTAMP('2024-02-30 10:00:00', 'yyyy-MM-dd')` is `2024-03-01 10:00:00`.
pub fn to_timestamp_with(s: &str, fmt: &DateFormat) -> Option<Timestamp> {
    fmt.parse_millis(s)
        .or_else(|| java_sql_timestamp(s))
        .map(Timestamp)
}

/// Blink `TO_TIMESTAMP(bigint)`: epoch millis to `TIMESTAMP`.
pub fn to_timestamp_millis(ms: i64) -> Timestamp {
    Timestamp(ms)
}

fn bad_precision(precision: i32) -> EvalError {
    EvalError::invalid(
        "TO_TIMESTAMP_LTZ",
        format!(
            "The precision value '{precision}' for function TO_TIMESTAMP_LTZ(numeric, precision) is unsupported, the supported value is '0' for second or '3' for millisecond."
        ),
    )
}

/// `TO_TIMESTAMP_LTZ(n, precision)` for an integer `n`: epoch seconds (`precision` 0) or
/// millis (3); NULL outside 0000-01-01 .. 9999-12-31 23:59:59.999; any other precision
/// is an error.
///
/// ```
/// use streamsql_runtime::{func::time::to_timestamp_ltz, TimestampLtz};
/// assert_eq!(to_timestamp_ltz(1_709_373_909, 0), Ok(Some(TimestampLtz(1_709_373_909_000))));
/// assert_eq!(to_timestamp_ltz(253_402_300_800_000, 3), Ok(None));
/// ```
pub fn to_timestamp_ltz(n: i64, precision: i32) -> Result<Option<TimestampLtz>, EvalError> {
    match precision {
        0 => Ok((MIN_EPOCH_SECONDS..=MAX_EPOCH_SECONDS)
            .contains(&n)
            .then(|| TimestampLtz(n * 1000))),
        3 => Ok((MIN_EPOCH_MILLIS..=MAX_EPOCH_MILLIS)
            .contains(&n)
            .then_some(TimestampLtz(n))),
        p => Err(bad_precision(p)),
    }
}

/// `TO_TIMESTAMP_LTZ(x, precision)` for a `DOUBLE`/`FLOAT` `x`: NULL outside the range
/// (and for NaN); fractions are kept to the millisecond, rounding toward negative
/// infinity (`-0.5` ms is `1969-12-31 23:59:59.999`). As in Flink the value goes
/// through nanoseconds in an `i64`, which saturates before 1677-09-21 and after
/// 2262-04-11 (observed: `TO_TIMESTAMP_LTZ(-62167219199.5, 0)` is
/// `1677-09-21 00:12:43.145`).
pub fn to_timestamp_ltz_f64(x: f64, precision: i32) -> Result<Option<TimestampLtz>, EvalError> {
    let (lo, hi, scale) = match precision {
        0 => (MIN_EPOCH_SECONDS as f64, MAX_EPOCH_SECONDS as f64, 1e9),
        3 => (MIN_EPOCH_MILLIS as f64, MAX_EPOCH_MILLIS as f64, 1e6),
        p => return Err(bad_precision(p)),
    };
    if !(lo <= x && x <= hi) {
        return Ok(None);
    }
    let nanos = (x * scale) as i64;
    Ok(Some(TimestampLtz(nanos.div_euclid(1_000_000))))
}

/// `TO_TIMESTAMP_LTZ(x, precision)` for a `DECIMAL` `x`: truncated toward zero to whole
/// seconds (0) or millis (3); NULL outside the range.
pub fn to_timestamp_ltz_decimal(
    x: Decimal,
    precision: i32,
) -> Result<Option<TimestampLtz>, EvalError> {
    let whole = decimal::trunc(x) as i64;
    let ms = match precision {
        0 => whole.wrapping_mul(1000),
        3 => whole,
        p => return Err(bad_precision(p)),
    };
    Ok((MIN_EPOCH_MILLIS..=MAX_EPOCH_MILLIS)
        .contains(&ms)
        .then_some(TimestampLtz(ms)))
}

/// `TO_TIMESTAMP_LTZ(s)`: `s` read as a local `TIMESTAMP` (the `CAST` parser) in the
/// session zone (UTC). Flink fails the job on an unparseable string (observed on Flink
/// 2.3: `'bad'`), hence `Err`.
pub fn to_timestamp_ltz_str(s: &str) -> Result<TimestampLtz, EvalError> {
    parse_timestamp_default(s)
        .map(TimestampLtz)
        .ok_or_else(|| EvalError::cast("TIMESTAMP_LTZ", s, "Text could not be parsed."))
}

/// `TO_TIMESTAMP_LTZ(s, fmt)`: as [`to_timestamp_with`] (fallback included), read in
/// UTC; NULL when it fails (observed on Flink 2.3, unlike the one-argument form).
pub fn to_timestamp_ltz_str_with(s: &str, fmt: &DateFormat) -> Option<TimestampLtz> {
    to_timestamp_with(s, fmt).map(|t| TimestampLtz(t.0))
}

/// `TO_DATE(s)`: Flink's date parser (as `CAST(s AS DATE)`), NULL when it fails.
pub fn to_date(s: &str) -> Option<Date> {
    parse_date_default(s).map(|d| Date(d as i32))
}

/// `TO_DATE(s, fmt)`: parses with the `SimpleDateFormat` pattern (lenient) in UTC and
/// takes the day. NULL when it fails (Flink 2.3 returns a garbage date there,
/// `5471-09-27`, computed from `Long.MIN_VALUE`).
pub fn to_date_with(s: &str, fmt: &SimpleDateFormat) -> Option<Date> {
    let ms = fmt.parse_millis(s)?;
    Some(Date(ms.div_euclid(MILLIS_PER_DAY) as i32))
}

fn default_sdf() -> &'static SimpleDateFormat {
    static F: OnceLock<SimpleDateFormat> = OnceLock::new();
    F.get_or_init(|| {
        SimpleDateFormat::new("yyyy-MM-dd HH:mm:ss").unwrap_or_else(|_| unreachable!())
    })
}

/// `FROM_UNIXTIME(seconds)`: `yyyy-MM-dd HH:mm:ss` in UTC (`SimpleDateFormat`, so the
/// Julian calendar before 1582-10-15; seconds × 1000 wraps like Java's `long`).
///
/// ```
/// use streamsql_runtime::func::time::from_unixtime;
/// assert_eq!(from_unixtime(1_709_373_909), "2024-03-02 10:05:09");
/// ```
pub fn from_unixtime(seconds: i64) -> String {
    from_unixtime_with(seconds, default_sdf())
}

/// `FROM_UNIXTIME(seconds, fmt)` with a `SimpleDateFormat` pattern.
pub fn from_unixtime_with(seconds: i64, fmt: &SimpleDateFormat) -> String {
    let mut out = String::with_capacity(24);
    fmt.format_millis_into(seconds.wrapping_mul(1000), &mut out);
    out
}

/// `UNIX_TIMESTAMP()`: the batch's "now" in epoch seconds.
pub fn unix_timestamp_now(now: TimestampLtz) -> i64 {
    now.0 / 1000
}

/// `UNIX_TIMESTAMP(s)`: `s` parsed with `yyyy-MM-dd HH:mm:ss` (`SimpleDateFormat`,
/// lenient, trailing text ignored) in UTC, in epoch seconds. **Flink returns
/// `i64::MIN` (`Long.MIN_VALUE`), not NULL, when `s` does not parse** (observed on
/// Flink 2.3), and so does this function.
pub fn unix_timestamp(s: &str) -> i64 {
    unix_timestamp_with(s, default_sdf())
}

/// `UNIX_TIMESTAMP(s, fmt)` with a `SimpleDateFormat` pattern (`i64::MIN` on failure).
pub fn unix_timestamp_with(s: &str, fmt: &SimpleDateFormat) -> i64 {
    match fmt.parse_millis(s) {
        Some(ms) => ms / 1000,
        None => i64::MIN,
    }
}

/// `DATE_FORMAT(ts, fmt)` for a `TIMESTAMP` (Flink: `DateTimeFormatter` patterns).
pub fn date_format(ts: Timestamp, fmt: &DateFormat) -> String {
    fmt.format(ts)
}

/// `DATE_FORMAT(ts, fmt)` for a `TIMESTAMP_LTZ` (in the session zone, UTC).
pub fn date_format_ltz(ts: TimestampLtz, fmt: &DateFormat) -> String {
    fmt.format(Timestamp(ts.0))
}

/// `DATE_FORMAT(s, fmt)` for a string: `s` is parsed with `yyyy-MM-dd HH:mm:ss`
/// (`SimpleDateFormat`, lenient: a fraction or other trailing text is ignored, so the
/// milliseconds are always 0), then formatted with the `SimpleDateFormat` pattern
/// `fmt`; NULL when `s` does not parse.
///
/// ```
/// use streamsql_runtime::func::{time::date_format_str, SimpleDateFormat};
/// let f = SimpleDateFormat::new("yyyyMMdd").unwrap();
/// assert_eq!(date_format_str("2024-03-02 10:05:09.123", &f).as_deref(), Some("20240302"));
/// assert_eq!(date_format_str("2024-03-02", &f), None);
/// ```
pub fn date_format_str(s: &str, fmt: &SimpleDateFormat) -> Option<String> {
    date_format_str_from(s, default_sdf(), fmt)
}

/// Blink's `DATE_FORMAT(s, from_fmt, to_fmt)`: parse with one `SimpleDateFormat`
/// pattern, format with another; NULL when `s` does not parse.
pub fn date_format_str_from(
    s: &str,
    from: &SimpleDateFormat,
    to: &SimpleDateFormat,
) -> Option<String> {
    let ms = from.parse_millis(s)?;
    let mut out = String::with_capacity(24);
    to.format_millis_into(ms, &mut out);
    Some(out)
}

/// Flink `CURRENT_TIMESTAMP` / `NOW()`: the batch's instant as `TIMESTAMP_LTZ(3)`.
pub fn current_timestamp(now: TimestampLtz) -> TimestampLtz {
    now
}

/// `LOCALTIMESTAMP` (and Blink's `CURRENT_TIMESTAMP`): the batch's instant as a local
/// `TIMESTAMP(3)` in the session zone (UTC).
pub fn localtimestamp(now: TimestampLtz) -> Timestamp {
    Timestamp(now.0)
}

/// `CURRENT_DATE`: the session-zone (UTC) date of the batch's instant.
pub fn current_date(now: TimestampLtz) -> Date {
    Date(now.0.div_euclid(MILLIS_PER_DAY) as i32)
}

/// Blink `NOW()`: the batch's instant in epoch seconds (`BIGINT`).
pub fn now_blink(now: TimestampLtz) -> i64 {
    now.0.div_euclid(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts_str(ms: i64, p: u8) -> String {
        let mut s = String::new();
        write_timestamp(&mut s, ms, p);
        s
    }

    fn cast_ts(s: &str) -> Option<String> {
        parse_timestamp_default(s).map(|ms| ts_str(ms, 3))
    }

    fn cast_date(s: &str) -> Option<String> {
        parse_date_default(s).map(|d| {
            let mut o = String::new();
            write_date(&mut o, d);
            o
        })
    }

    #[test]
    fn cast_string_to_timestamp_and_date_observed() {
        // TRY_CAST(s AS TIMESTAMP(3)) and TRY_CAST(s AS DATE) on Flink 2.3.
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("12", None, Some("0012-01-01")),
            (" 12 ", None, Some("0012-01-01")),
            ("\t12\n", None, Some("0012-01-01")),
            ("+12", None, None),
            ("012", None, Some("0012-01-01")),
            ("1 2", None, Some("0001-01-01")),
            ("0", None, Some("0000-01-01")),
            (
                "2024-03-02",
                Some("2024-03-02 00:00:00.000"),
                Some("2024-03-02"),
            ),
            (
                "2024-3-2",
                Some("2024-03-02 00:00:00.000"),
                Some("2024-03-02"),
            ),
            (
                "2024-03-02 10:00:00",
                Some("2024-03-02 10:00:00.000"),
                Some("2024-03-02"),
            ),
            ("2024-03-02T10:00:00", None, None),
            (
                "2024-03-02 10:00:00.5",
                Some("2024-03-02 10:00:00.500"),
                Some("2024-03-02"),
            ),
            (
                "2024-03-02 10:00:00.123456",
                Some("2024-03-02 10:00:00.123"),
                Some("2024-03-02"),
            ),
            ("2024-03-02 10:00", None, Some("2024-03-02")),
            (
                "2024-03-02 1:2:3",
                Some("2024-03-02 01:02:03.000"),
                Some("2024-03-02"),
            ),
            ("2024-02-30", Some("2024-02-29 00:00:00.000"), None),
            (
                "2024-02-29",
                Some("2024-02-29 00:00:00.000"),
                Some("2024-02-29"),
            ),
            ("2023-02-29", Some("2023-02-28 00:00:00.000"), None),
            ("2024-13-01", None, None),
            (" 2024-03-02 ", None, Some("2024-03-02")),
            ("2024-03-02 25:00:00", None, Some("2024-03-02")),
            ("20240302", None, None),
            ("2024/03/02", None, None),
            ("99999-01-01", None, None),
            (
                "0001-01-01",
                Some("0001-01-01 00:00:00.000"),
                Some("0001-01-01"),
            ),
            ("2024-03-02 10:00:00.1234567891", None, Some("2024-03-02")),
            ("2024-03-02 10:00:00Z", None, Some("2024-03-02")),
            (
                "2024-03-02 10:00:00.",
                Some("2024-03-02 10:00:00.000"),
                Some("2024-03-02"),
            ),
            ("2024-03-02 10:00:60", None, Some("2024-03-02")),
            (
                "2024-03-02 23:59:59.9999",
                Some("2024-03-02 23:59:59.999"),
                Some("2024-03-02"),
            ),
            ("2024", None, Some("2024-01-01")),
            ("2024-03", None, Some("2024-03-01")),
            ("2024-03-02 10", None, Some("2024-03-02")),
            ("2024-03-02  10:00:00", None, Some("2024-03-02")),
            ("+2024-03-02", None, None),
            ("2024-03-02 10:00:00 ", None, Some("2024-03-02")),
            (
                "1969-12-31 23:59:59.999",
                Some("1969-12-31 23:59:59.999"),
                Some("1969-12-31"),
            ),
            ("abc", None, None),
            ("", None, None),
            // second batch
            (
                "2024-03-02 24:00:00",
                Some("2024-03-03 00:00:00.000"),
                Some("2024-03-02"),
            ),
            ("2024-123-01", None, None),
            ("02024-03-02", None, Some("2024-03-02")),
            ("2024-033-01", Some("2024-03-01 00:00:00.000"), None),
            (
                "2024-03-02 10:00:00.1234",
                Some("2024-03-02 10:00:00.123"),
                Some("2024-03-02"),
            ),
        ];
        for (s, ts, d) in cases {
            assert_eq!(cast_ts(s).as_deref(), *ts, "TIMESTAMP {s:?}");
            assert_eq!(cast_date(s).as_deref(), *d, "DATE {s:?}");
        }
    }

    #[test]
    fn timestamp_text_observed() {
        // CAST(ts AS STRING), CAST(CAST(ts AS TIMESTAMP(0/6)) AS STRING) on Flink 2.3.
        let ms = parse_timestamp_default("2024-03-02 10:05:09.123").unwrap();
        assert_eq!(ts_str(ms, 3), "2024-03-02 10:05:09.123");
        assert_eq!(ts_str(ms, 6), "2024-03-02 10:05:09.123000");
        let ms = parse_timestamp_default("2024-03-02 00:00:00").unwrap();
        assert_eq!(ts_str(ms, 3), "2024-03-02 00:00:00.000");
        assert_eq!(ts_str(ms, 0), "2024-03-02 00:00:00");
        assert_eq!(ts_str(ms, 1), "2024-03-02 00:00:00.0");
        let ms = parse_timestamp_default("2024-03-02 10:00:00.5").unwrap();
        assert_eq!(ts_str(ms, 3), "2024-03-02 10:00:00.500");
        assert_eq!(ts_str(ms, 2), "2024-03-02 10:00:00.50");
        assert_eq!(ts_str(-1, 3), "1969-12-31 23:59:59.999");
        assert_eq!(ts_str(MAX_EPOCH_MILLIS, 3), "9999-12-31 23:59:59.999");
        assert_eq!(ts_str(MIN_EPOCH_MILLIS, 3), "0000-01-01 00:00:00.000");
    }

    #[test]
    fn to_timestamp_observed() {
        // TO_TIMESTAMP(s) on Flink 2.3.
        assert_eq!(
            to_timestamp("2024-03-02 10:05:09.123")
                .map(|t| ts_str(t.0, 3))
                .as_deref(),
            Some("2024-03-02 10:05:09.123")
        );
        assert_eq!(
            to_timestamp("2024-02-30 10:00:00")
                .map(|t| ts_str(t.0, 3))
                .as_deref(),
            Some("2024-02-29 10:00:00.000")
        );
        assert_eq!(to_timestamp(" 2024-03-02 10:05:09"), None);
        assert_eq!(to_timestamp("2024-03-02 25:00:00"), None);
        assert_eq!(to_timestamp("2024-03-02 10:05:09xyz"), None);
    }

    #[test]
    fn java_sql_fallback() {
        let f = |s: &str| java_sql_timestamp(s).map(|ms| ts_str(ms, 3));
        assert_eq!(
            f("2024-03-02 10:05:09.123").as_deref(),
            Some("2024-03-02 10:05:09.123")
        );
        assert_eq!(
            f("2024-3-2 1:2:3").as_deref(),
            Some("2024-03-02 01:02:03.000")
        );
        assert_eq!(
            f("2024-02-30 10:00:00").as_deref(),
            Some("2024-03-01 10:00:00.000")
        );
        assert_eq!(
            f("2024-03-02 25:00:00").as_deref(),
            Some("2024-03-03 01:00:00.000")
        );
        assert_eq!(
            f("2024-03-02 10:61:00").as_deref(),
            Some("2024-03-02 11:01:00.000")
        );
        assert_eq!(
            f(" 2024-03-02 10:05:09").as_deref(),
            Some("2024-03-02 10:05:09.000")
        );
        assert_eq!(f("2024-03-02  10:05:09"), None);
        assert_eq!(f("2024-13-01 00:00:00"), None);
        assert_eq!(f("2024-03-02 10:05:09xyz"), None);
        assert_eq!(f("2024-03-02 10:05"), None);
        assert_eq!(f("2024-03-02").as_deref(), Some("2024-03-02 00:00:00.000"));
        assert_eq!(f("99999-01-01 00:00:00"), None);
        assert_eq!(
            f("2024-03-02 10:05:09.1234567").as_deref(),
            Some("2024-03-02 10:05:09.123")
        );
    }

    #[test]
    fn to_timestamp_ltz_observed() {
        // CAST(TO_TIMESTAMP_LTZ(b, 0 | 3) AS STRING) etc. on Flink 2.3.
        let s = |r: Result<Option<TimestampLtz>, EvalError>| r.unwrap().map(|t| ts_str(t.0, 3));
        assert_eq!(
            s(to_timestamp_ltz(1709373909, 0)).as_deref(),
            Some("2024-03-02 10:05:09.000")
        );
        assert_eq!(
            s(to_timestamp_ltz(1709373909, 3)).as_deref(),
            Some("1970-01-20 18:49:33.909")
        );
        assert_eq!(s(to_timestamp_ltz(1709373909123, 0)), None);
        assert_eq!(
            s(to_timestamp_ltz(-1001, 3)).as_deref(),
            Some("1969-12-31 23:59:58.999")
        );
        assert_eq!(
            s(to_timestamp_ltz(253402300799, 0)).as_deref(),
            Some("9999-12-31 23:59:59.000")
        );
        assert_eq!(s(to_timestamp_ltz(253402300800, 0)), None);
        assert_eq!(
            s(to_timestamp_ltz(253402300799999, 3)).as_deref(),
            Some("9999-12-31 23:59:59.999")
        );
        assert_eq!(s(to_timestamp_ltz(253402300800000, 3)), None);
        assert_eq!(
            s(to_timestamp_ltz(-62167219200, 0)).as_deref(),
            Some("0000-01-01 00:00:00.000")
        );
        assert_eq!(s(to_timestamp_ltz(-62167219201, 0)), None);
        assert_eq!(s(to_timestamp_ltz(-62167219200001, 3)), None);
        assert_eq!(s(to_timestamp_ltz(i64::MAX, 3)), None);
        assert_eq!(
            s(to_timestamp_ltz(-12219292801, 0)).as_deref(),
            Some("1582-10-14 23:59:59.000")
        );
        assert!(to_timestamp_ltz(1, 6).is_err());
        // DOUBLE d = b + 0.5
        assert_eq!(
            s(to_timestamp_ltz_f64(0.5, 0)).as_deref(),
            Some("1970-01-01 00:00:00.500")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(0.5, 3)).as_deref(),
            Some("1970-01-01 00:00:00.000")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(1709373909.5, 0)).as_deref(),
            Some("2024-03-02 10:05:09.500")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(1709373909123.5, 3)).as_deref(),
            Some("2024-03-02 10:05:09.123")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(-0.5, 3)).as_deref(),
            Some("1969-12-31 23:59:59.999")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(-1000.5, 0)).as_deref(),
            Some("1969-12-31 23:43:19.500")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(-1000.5, 3)).as_deref(),
            Some("1969-12-31 23:59:58.999")
        );
        assert_eq!(s(to_timestamp_ltz_f64(253402300799.5, 0)), None);
        assert_eq!(
            s(to_timestamp_ltz_f64(-62167219199.5, 0)).as_deref(),
            Some("1677-09-21 00:12:43.145")
        );
        assert_eq!(
            s(to_timestamp_ltz_f64(-62167219199999.5, 3)).as_deref(),
            Some("1677-09-21 00:12:43.145")
        );
        assert_eq!(s(to_timestamp_ltz_f64(253402300799999.5, 3)), None);
        assert_eq!(s(to_timestamp_ltz_f64(f64::NAN, 3)), None);
        // DECIMAL(20,4) dm = b / 1000
        let dec = |u: i128| Decimal {
            unscaled: u,
            scale: 4,
        };
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(17093739090), 0)).as_deref(),
            Some("1970-01-20 18:49:33.000")
        );
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(17093739090), 3)).as_deref(),
            Some("1970-01-01 00:28:29.373")
        );
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(-621672192000), 0)).as_deref(),
            Some("1968-01-12 11:19:41.000")
        );
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(-621672192000010), 0)).as_deref(),
            Some("0000-01-01 00:00:00.000")
        );
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(-10010), 0)).as_deref(),
            Some("1969-12-31 23:59:59.000")
        );
        assert_eq!(
            s(to_timestamp_ltz_decimal(dec(-10010), 3)).as_deref(),
            Some("1969-12-31 23:59:59.999")
        );
    }

    #[test]
    fn to_timestamp_ltz_string_observed() {
        // TO_TIMESTAMP_LTZ(s) / TO_TIMESTAMP_LTZ(s, 'yyyy-MM-dd HH:mm:ss') on Flink 2.3.
        let f = DateFormat::for_parsing("yyyy-MM-dd HH:mm:ss").unwrap();
        let s = |t: TimestampLtz| ts_str(t.0, 3);
        assert_eq!(
            to_timestamp_ltz_str("2024-03-02 10:00:00")
                .map(s)
                .as_deref(),
            Ok("2024-03-02 10:00:00.000")
        );
        assert!(to_timestamp_ltz_str("bad").is_err());
        assert_eq!(to_timestamp_ltz_str_with("bad", &f), None);
        assert_eq!(
            to_timestamp_ltz_str_with("2024-3-2 1:2:3", &f)
                .map(s)
                .as_deref(),
            Some("2024-03-02 01:02:03.000")
        );
        assert_eq!(
            to_timestamp_ltz_str_with("2024-03-02", &f)
                .map(s)
                .as_deref(),
            Some("2024-03-02 00:00:00.000")
        );
    }

    #[test]
    fn from_unixtime_observed() {
        // FROM_UNIXTIME(b) on Flink 2.3.
        let cases = [
            (0, "1970-01-01 00:00:00"),
            (1709373909, "2024-03-02 10:05:09"),
            (1709373909123, "56137-11-26 05:52:03"),
            (-1, "1969-12-31 23:59:59"),
            (-1001, "1969-12-31 23:43:19"),
            (253402300800, "10000-01-01 00:00:00"),
            (253402300799999, "8031969-03-31 23:59:59"),
            (-62167219200, "0001-01-03 00:00:00"),
            (-62167219200000, "1967992-08-31 00:00:00"),
            (i64::MAX, "1969-12-31 23:59:59"),
            (i64::MIN, "1970-01-01 00:00:00"),
            (-12219292800, "1582-10-15 00:00:00"),
            (-12219292801, "1582-10-04 23:59:59"),
        ];
        for (b, want) in cases {
            assert_eq!(from_unixtime(b), want, "{b}");
        }
        let f = SimpleDateFormat::new("yyyy-MM-dd HH:mm:ss.SSS E u").unwrap();
        assert_eq!(from_unixtime_with(0, &f), "1970-01-01 00:00:00.000 Thu 4");
        assert_eq!(
            from_unixtime_with(1709373909, &f),
            "2024-03-02 10:05:09.000 Sat 6"
        );
        assert_eq!(
            from_unixtime_with(-62167219200000, &f),
            "1967992-08-31 00:00:00.000 Tue 2"
        );
        let g = SimpleDateFormat::new("yyyy-MM-dd G").unwrap();
        let bc = [
            (1, "1336-03-15 AD"),
            (2, "0702-06-11 AD"),
            (3, "0068-09-05 AD"),
            (4, "0567-12-02 BC"),
            (5, "1200-02-26 BC"),
            (6, "1834-05-25 BC"),
        ];
        for (i, want) in bc {
            assert_eq!(from_unixtime_with(i * -20_000_000_000, &g), want);
        }
    }

    #[test]
    fn unix_timestamp_observed() {
        // UNIX_TIMESTAMP(s) and UNIX_TIMESTAMP(s, 'yyyy-MM-dd'), 'yyyyMMdd' on Flink 2.3.
        let ymd = SimpleDateFormat::new("yyyy-MM-dd").unwrap();
        let compact = SimpleDateFormat::new("yyyyMMdd").unwrap();
        let cases: &[(&str, i64, i64, i64)] = &[
            ("2024-03-02 10:05:09", 1709373909, 1709337600, 1701561600),
            (
                "2024-03-02 10:05:09.123",
                1709373909,
                1709337600,
                1701561600,
            ),
            ("2024-03-02", i64::MIN, 1709337600, 1701561600),
            ("2024-3-2 1:2:3", 1709341323, 1709337600, 1693267200),
            ("2024-03-02T10:05:09", i64::MIN, 1709337600, 1701561600),
            ("2024-02-30 10:00:00", 1709287200, 1709251200, 1701475200),
            ("2024-13-01 00:00:00", 1735689600, 1735689600, 1698969600),
            ("2024-03-02 25:00:00", 1709427600, 1709337600, 1701561600),
            ("2024-03-02 10:61:00", 1709377260, 1709337600, 1701561600),
            (" 2024-03-02 10:05:09", 1709373909, 1709337600, -55785283200),
            ("2024-03-02 10:05:09 ", 1709373909, 1709337600, 1701561600),
            ("2024-03-02  10:05:09", 1709373909, 1709337600, 1701561600),
            ("2024-03-02 10:05", i64::MIN, 1709337600, 1701561600),
            ("abc", i64::MIN, i64::MIN, i64::MIN),
            ("", i64::MIN, i64::MIN, i64::MIN),
            ("20240302", i64::MIN, i64::MIN, 1709337600),
            ("1969-12-31 23:59:59", -1, -86400, -36720000),
            (
                "99999-01-01 00:00:00",
                3093496444800,
                3093496444800,
                253391587200,
            ),
            ("2024/03/02 10:05:09", i64::MIN, i64::MIN, i64::MIN),
            ("2024-03-02 10:05:09xyz", 1709373909, 1709337600, 1701561600),
            ("2024-03-0210:05:09", i64::MIN, 1727308800, 1701561600),
            ("+2024-03-02 10:05:09", i64::MIN, i64::MIN, i64::MIN),
            ("2024-003-02 10:05:09", 1709373909, 1709337600, 1701561600),
            (
                "0000-01-01 00:00:00",
                -62167392000,
                -62167392000,
                -62170070400,
            ),
            ("2024-03-02 1:2:3.45", 1709341323, 1709337600, 1701561600),
        ];
        for (s, a, b, c) in cases {
            assert_eq!(unix_timestamp(s), *a, "{s:?}");
            assert_eq!(unix_timestamp_with(s, &ymd), *b, "{s:?} yyyy-MM-dd");
            assert_eq!(unix_timestamp_with(s, &compact), *c, "{s:?} yyyyMMdd");
        }
        assert_eq!(
            unix_timestamp_now(TimestampLtz(1_795_267_619_033)),
            1_795_267_619
        );
    }

    #[test]
    fn date_format_str_observed() {
        // DATE_FORMAT(s, 'yyyy-MM-dd HH:mm:ss') on Flink 2.3.
        let f = SimpleDateFormat::new("yyyy-MM-dd HH:mm:ss").unwrap();
        let cases: &[(&str, Option<&str>)] = &[
            ("2024-03-02 10:05:09.123", Some("2024-03-02 10:05:09")),
            ("2024-03-02", None),
            ("2024-02-30 10:00:00", Some("2024-03-01 10:00:00")),
            ("2024-13-01 00:00:00", Some("2025-01-01 00:00:00")),
            ("2024-03-02 25:00:00", Some("2024-03-03 01:00:00")),
            ("99999-01-01 00:00:00", Some("99999-01-01 00:00:00")),
            ("-2024-03-02 10:05:09", Some("2025-03-02 10:05:09")),
            ("0000-01-01 00:00:00", Some("0001-01-01 00:00:00")),
            ("2024-03-0210:05:09", None),
        ];
        for (s, want) in cases {
            assert_eq!(date_format_str(s, &f).as_deref(), *want, "{s:?}");
        }
    }

    #[test]
    fn to_date_observed() {
        // TO_DATE(s) / TO_DATE(s, 'yyyy-MM-dd') on Flink 2.3.
        let f = SimpleDateFormat::new("yyyy-MM-dd").unwrap();
        let d = |v: Option<Date>| {
            v.map(|d| {
                let mut o = String::new();
                write_date(&mut o, i64::from(d.0));
                o
            })
        };
        assert_eq!(
            d(to_date("2024-03-02 10:05:09")).as_deref(),
            Some("2024-03-02")
        );
        assert_eq!(d(to_date("2024-03-02T10:05:09")), None);
        assert_eq!(
            d(to_date_with("2024-03-02T10:05:09", &f)).as_deref(),
            Some("2024-03-02")
        );
        assert_eq!(
            d(to_date_with("2024-13-01 00:00:00", &f)).as_deref(),
            Some("2025-01-01")
        );
        assert_eq!(
            d(to_date_with("2024-03-0210:05:09", &f)).as_deref(),
            Some("2024-09-26")
        );
        assert_eq!(d(to_date_with("abc", &f)), None);
        let g = SimpleDateFormat::new("yyyyMMdd").unwrap();
        assert_eq!(
            d(to_date_with("20240302", &g)).as_deref(),
            Some("2024-03-02")
        );
        assert_eq!(d(to_date("2024-3-2")).as_deref(), Some("2024-03-02"));
    }

    #[test]
    fn now_functions() {
        let now = TimestampLtz(1_709_373_909_123);
        assert_eq!(current_timestamp(now), now);
        assert_eq!(localtimestamp(now), Timestamp(1_709_373_909_123));
        assert_eq!(now_blink(now), 1_709_373_909);
        assert_eq!(current_date(now), Date(19784));
        assert_eq!(current_date(TimestampLtz(-1)), Date(-1));
        assert_eq!(to_timestamp_millis(5), Timestamp(5));
    }
}
