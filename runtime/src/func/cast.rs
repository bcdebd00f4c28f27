//! `CAST` with Flink 2.3 rules, and `TRY_CAST` / Blink's `CAST` (NULL instead of an
//! error).
//!
//! In: the non-NULL value to cast (NULL casts to NULL; the generator maps it). Out:
//! `Result<Option<T>, EvalError>` for Flink's `CAST` where the input can be invalid
//! (`Err` is the job failure Flink raises; `None` where Flink yields NULL, e.g. a
//! numeric overflow into `DECIMAL`); `Option<T>` for the `try_*` twins (`TRY_CAST`,
//! and Blink's `CAST`, which is NULL on a malformed string); plain `T` where a cast
//! cannot fail.
//!
//! Rules observed on Flink 2.3 (each pinned by a test below):
//! - **STRING -> integer**: spaces (U+0020 only) trimmed; optional sign; digits; a
//!   fraction is allowed and truncated (`'12.9'` is 12, `'.5'` is 0); anything else,
//!   an empty string, or overflow of the target type is an error (`'1e3'`, `'0x10'`,
//!   `'\t12'`, `'128'` as `TINYINT`).
//! - **STRING -> FLOAT/DOUBLE**: Java's `parseFloat`/`parseDouble` (whitespace trimmed,
//!   `NaN`, `Infinity`, `1e3`, `1d`, `1f`, hex floats; `'inf'` is an error; overflow is
//!   ±Infinity).
//! - **STRING -> DECIMAL(p, s)**: `HALF_UP` to `s`; too many digits is an error. Flink's
//!   fast path for `p <= 18` is lax: `'12a'` is 12, `'t'` is 0 (reproduced).
//! - **STRING -> BOOLEAN**: `true/t/yes/y/1`, `false/f/no/n/0`, any case, no trimming.
//! - **STRING -> DATE / TIMESTAMP**: see [`time`]; malformed is an error.
//! - **numeric -> numeric**: integers narrow by wrapping (`CAST(300 AS TINYINT)` =
//!   44); floating point to integer saturates to `INT`/`BIGINT` (NaN is 0), then wraps
//!   for `TINYINT`/`SMALLINT` (Java's `(byte) (int) d`); `DECIMAL` to integer truncates
//!   toward zero then wraps; anything to `DECIMAL` is `HALF_UP` and **NULL on
//!   overflow** (not an error); NaN/Infinity to `DECIMAL` is an error.
//! - **numeric -> BOOLEAN**: non-zero is TRUE (NaN too); **BOOLEAN -> numeric**: 1/0.
//! - **-> STRING**: integers in decimal; `FLOAT`/`DOUBLE` as Java's `toString` (`1.0`,
//!   `1.0E7`, `1.0E-4`, `NaN`); `DECIMAL` with exactly its scale (`0.000`); BOOLEAN as
//!   `TRUE`/`FALSE`; `DATE` as `yyyy-MM-dd`; `TIMESTAMP(p)` as `yyyy-MM-dd HH:mm:ss`
//!   plus `p` fraction digits (`TIMESTAMP(3)` always prints `.SSS`, e.g.
//!   `2024-03-02 10:00:00.000`; this differs from the collected/sink text form, where
//!   Flink omits a zero fraction); BYTES decoded as UTF-8 with U+FFFD for bad bytes.
//! - **TIMESTAMP -> DATE** truncates the millis toward zero (so 1969-12-31 12:00 is
//!   1969-12-31 but 1969-12-30 12:00 is also 1969-12-31), and **TIMESTAMP(3) ->
//!   TIMESTAMP(p < 3)** truncates toward zero too (`1969-12-31 23:59:59.999` becomes
//!   `1970-01-01 00:00:00`): Flink 2.3's arithmetic, reproduced.
//! - Flink rejects casts between numbers and `TIMESTAMP`s; Blink reads `BIGINT` as epoch
//!   millis both ways ([`bigint_to_timestamp`], [`timestamp_to_bigint`]).

use std::borrow::Cow;

use super::calendar::MILLIS_PER_DAY;
use super::{EvalError, decimal, javanum, time};
use crate::{Date, Decimal, Timestamp, TimestampLtz};

// ------------------------------------------------------------------ STRING -> number

/// Flink's `BinaryStringDataUtil.toLong` (after trimming spaces) with the range of the
/// target: sign, digits, an optional `.digits` fraction that is dropped.
#[inline]
fn parse_integer(s: &str, min: i64, max: i64) -> Result<i64, &'static str> {
    // The rule: an optional `-` and up to 18 digits, which cannot overflow an i64.
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.as_bytes()),
        None => (false, s.as_bytes()),
    };
    match plain_digits(digits) {
        Some(v) => {
            let v = if neg { -(v as i64) } else { v as i64 };
            if (min..=max).contains(&v) {
                Ok(v)
            } else {
                Err("Overflow.")
            }
        }
        None => parse_integer_generally(s, min, max),
    }
}

/// [`parse_integer`] of what is not plain digits: spaces, `+`, a fraction, 19 digits
/// or more, or not a number.
#[inline(never)]
fn parse_integer_generally(s: &str, min: i64, max: i64) -> Result<i64, &'static str> {
    let b = s.trim_matches(' ').as_bytes();
    if b.is_empty() {
        return Err("Input is empty.");
    }
    let mut i = 0;
    let neg = b[0] == b'-';
    if neg || b[0] == b'+' {
        i = 1;
        if b.len() == 1 {
            return Err("Input has only positive or negative symbol.");
        }
    }
    let mut v: i64 = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c == b'.' {
            break;
        }
        if !c.is_ascii_digit() {
            return Err("Invalid character found.");
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_sub(i64::from(c - b'0')))
            .ok_or("Overflow.")?;
        if v < min {
            return Err("Overflow.");
        }
    }
    if b[i..].iter().any(|c| !c.is_ascii_digit()) {
        return Err("Invalid character found.");
    }
    if !neg {
        v = v.checked_neg().ok_or("Overflow.")?;
        if v > max {
            return Err("Overflow.");
        }
    }
    Ok(v)
}

/// The value of 1 to 18 ASCII digits, eight at a time; `None` for anything else.
///
/// Casting JSON numbers and numeric strings is a tenth of what some jobs do per event
/// (callgrind, classroom performance: ~130 instructions a cast byte by byte, ~90 this
/// way, the call included).
#[inline]
fn plain_digits(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 18 {
        return None;
    }
    let mut v = 0u64;
    let mut chunks = d.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        v = v * 100_000_000 + eight_digits(word)?;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The last digits left-padded with '0's to eight, which leaves their value
        // unchanged: each shifts in at the top, the pad stays at the bottom.
        let word = rest.iter().fold(0x3030_3030_3030_3030u64, |w, &c| {
            (w >> 8) | u64::from(c) << 56
        });
        v = v * POWERS_OF_TEN[rest.len()] + eight_digits(word)?;
    }
    Some(v)
}

const POWERS_OF_TEN: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// Eight ASCII digits read little-endian (the first digit in the lowest byte) as
/// their value, or `None` if a byte is not a digit.
#[inline]
fn eight_digits(word: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Every byte is 0x30..=0x3F, and adding 6 keeps it below 0x40 only for 0x30..=0x39.
    let high = word & (0xF0 * ONES);
    let over = word.wrapping_add(0x06 * ONES) & (0xF0 * ONES);
    if high != 0x30 * ONES || over != 0x30 * ONES {
        return None;
    }
    // Pairs, then quads, then all eight: each step weighs the earlier (lower) half.
    let v = word - 0x30 * ONES;
    let v = (v.wrapping_mul(10) + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((v.wrapping_mul(10_000) + (v >> 32)) & 0xFFFF_FFFF)
}

macro_rules! str_to_int {
    ($name:ident, $try_name:ident, $t:ty, $sql:literal, $min:expr, $max:expr) => {
        #[doc = concat!("`CAST(s AS ", $sql, ")`: see the module rules (trim spaces, sign, digits, fraction dropped; else an error).")]
        pub fn $name(s: &str) -> Result<Option<$t>, EvalError> {
            // TINYINT and SMALLINT parse as INT, then range-check (Flink's toByte/toShort).
            match parse_integer(s, $min, $max) {
                Ok(v) => Ok(Some(v as $t)),
                Err(reason) => Err(EvalError::cast($sql, s, reason)),
            }
        }

        #[doc = concat!("`TRY_CAST(s AS ", $sql, ")` (and Blink's `CAST`): NULL where `CAST` fails.")]
        pub fn $try_name(s: &str) -> Option<$t> {
            parse_integer(s, $min, $max).ok().map(|v| v as $t)
        }
    };
}

str_to_int!(str_to_tinyint, try_str_to_tinyint, i8, "TINYINT", -128, 127);
str_to_int!(
    str_to_smallint,
    try_str_to_smallint,
    i16,
    "SMALLINT",
    -32768,
    32767
);
str_to_int!(
    str_to_int,
    try_str_to_int,
    i32,
    "INT",
    i64::from(i32::MIN),
    i64::from(i32::MAX)
);
str_to_int!(
    str_to_bigint,
    try_str_to_bigint,
    i64,
    "BIGINT",
    i64::MIN,
    i64::MAX
);

/// `CAST(s AS DOUBLE)`: Java's `Double.parseDouble`.
///
/// ```
/// use streamsql_runtime::func::cast::str_to_double;
/// assert_eq!(str_to_double("\t1.5e2\n"), Ok(Some(150.0)));
/// assert!(str_to_double("inf").is_err());
/// ```
pub fn str_to_double(s: &str) -> Result<Option<f64>, EvalError> {
    match javanum::parse_f64(s) {
        Some(v) => Ok(Some(v)),
        None => Err(EvalError::cast("DOUBLE", s, "Invalid number.")),
    }
}

/// `TRY_CAST(s AS DOUBLE)`.
pub fn try_str_to_double(s: &str) -> Option<f64> {
    javanum::parse_f64(s)
}

/// `CAST(s AS FLOAT)`: Java's `Float.parseFloat`.
pub fn str_to_float(s: &str) -> Result<Option<f32>, EvalError> {
    match javanum::parse_f32(s) {
        Some(v) => Ok(Some(v)),
        None => Err(EvalError::cast("FLOAT", s, "Invalid number.")),
    }
}

/// `TRY_CAST(s AS FLOAT)`.
pub fn try_str_to_float(s: &str) -> Option<f32> {
    javanum::parse_f32(s)
}

/// `CAST(s AS DECIMAL(precision, scale))`.
///
/// ```
/// use streamsql_runtime::{func::cast::str_to_decimal, Decimal};
/// assert_eq!(str_to_decimal("123.455", 10, 2), Ok(Some(Decimal { unscaled: 12346, scale: 2 })));
/// assert!(str_to_decimal("12345678901", 10, 2).is_err());
/// ```
pub fn str_to_decimal(s: &str, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError> {
    match decimal::parse_flink(s, precision, scale) {
        Ok(d) => Ok(Some(d)),
        Err(()) => Err(EvalError::cast("DECIMAL", s, "Overflow.")),
    }
}

/// `TRY_CAST(s AS DECIMAL(precision, scale))`.
pub fn try_str_to_decimal(s: &str, precision: u8, scale: u8) -> Option<Decimal> {
    decimal::parse_flink(s, precision, scale).ok()
}

fn parse_boolean(s: &str) -> Option<bool> {
    const TRUE: [&str; 5] = ["t", "true", "y", "yes", "1"];
    const FALSE: [&str; 5] = ["f", "false", "n", "no", "0"];
    if TRUE.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if FALSE.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(false)
    } else {
        None
    }
}

/// `CAST(s AS BOOLEAN)`: `true/t/yes/y/1` and `false/f/no/n/0`, any case, untrimmed.
pub fn str_to_boolean(s: &str) -> Result<Option<bool>, EvalError> {
    match parse_boolean(s) {
        Some(v) => Ok(Some(v)),
        None => Err(EvalError::cast("BOOLEAN", s, "Cannot parse as BOOLEAN.")),
    }
}

/// `TRY_CAST(s AS BOOLEAN)`.
pub fn try_str_to_boolean(s: &str) -> Option<bool> {
    parse_boolean(s)
}

// ------------------------------------------------------------------ STRING -> time

/// `CAST(s AS DATE)`: Flink's lenient date reader (`'2024-3-2'`, `'2024'`,
/// `'2024-03-02 10:00'` parse; `'2024-02-30'` is an error).
pub fn str_to_date(s: &str) -> Result<Option<Date>, EvalError> {
    match time::parse_date_default(s) {
        Some(d) => Ok(Some(Date(d as i32))),
        None => Err(EvalError::cast("DATE", s, "Invalid date.")),
    }
}

/// `TRY_CAST(s AS DATE)`.
pub fn try_str_to_date(s: &str) -> Option<Date> {
    time::parse_date_default(s).map(|d| Date(d as i32))
}

/// `CAST(s AS TIMESTAMP(precision))`: `yyyy-[M]M-[d]d[ [H]H:[m]m:[s]s[.fffffffff]]`,
/// fraction truncated to `precision` (at most millis).
///
/// ```
/// use streamsql_runtime::{func::cast::str_to_timestamp, Timestamp};
/// assert_eq!(str_to_timestamp("1970-01-01 00:00:01.999", 0), Ok(Some(Timestamp(1000))));
/// assert!(str_to_timestamp("1970-01-01T00:00:01", 3).is_err());
/// ```
pub fn str_to_timestamp(s: &str, precision: u8) -> Result<Option<Timestamp>, EvalError> {
    match try_str_to_timestamp(s, precision) {
        Some(t) => Ok(Some(t)),
        None => Err(EvalError::cast("TIMESTAMP", s, "Invalid timestamp.")),
    }
}

/// `TRY_CAST(s AS TIMESTAMP(precision))`.
pub fn try_str_to_timestamp(s: &str, precision: u8) -> Option<Timestamp> {
    let ms = time::parse_timestamp_default(s)?;
    // positive or negative, the parsed fraction is floored to the precision
    let unit = match precision {
        0 => 1000,
        1 => 100,
        2 => 10,
        _ => 1,
    };
    Some(Timestamp(ms - ms.rem_euclid(unit)))
}

/// `CAST(s AS TIMESTAMP_LTZ(precision))`: the local text in the session zone (UTC).
pub fn str_to_timestamp_ltz(s: &str, precision: u8) -> Result<Option<TimestampLtz>, EvalError> {
    str_to_timestamp(s, precision).map(|t| t.map(|t| TimestampLtz(t.0)))
}

/// `TRY_CAST(s AS TIMESTAMP_LTZ(precision))`.
pub fn try_str_to_timestamp_ltz(s: &str, precision: u8) -> Option<TimestampLtz> {
    try_str_to_timestamp(s, precision).map(|t| TimestampLtz(t.0))
}

// ------------------------------------------------------------------ BYTES

/// `CAST(s AS BYTES)`: the UTF-8 bytes.
pub fn str_to_bytes(s: &str) -> &[u8] {
    s.as_bytes()
}

/// `CAST(b AS STRING)`: UTF-8, each invalid sequence replaced by U+FFFD (observed on
/// Flink 2.3: `x'FFFE'` is two replacement characters, `x'E282'` one). Borrows valid
/// UTF-8.
pub fn bytes_to_str(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

// ------------------------------------------------------------------ -> STRING

/// `CAST(n AS STRING)` for every integer type (widened): its decimal digits.
pub fn bigint_to_string(n: i64) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

/// `CAST(b AS STRING)` for a BOOLEAN (Flink 2; Blink prints `true`/`false`).
pub fn boolean_to_str(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

/// `CAST(d AS STRING)` for a `DOUBLE` (Java's `Double.toString`).
///
/// ```
/// use streamsql_runtime::func::cast::double_to_str;
/// assert_eq!(double_to_str(1e7), "1.0E7");
/// assert_eq!(double_to_str(0.001), "0.001");
/// assert_eq!(double_to_str(12.0), "12.0");
/// ```
pub fn double_to_str(d: f64) -> String {
    let mut s = String::with_capacity(24);
    javanum::write_f64(&mut s, d);
    s
}

/// Appends `CAST(d AS STRING)` of a `DOUBLE` to `out`.
pub fn write_double(out: &mut String, d: f64) {
    javanum::write_f64(out, d);
}

/// `CAST(f AS STRING)` for a `FLOAT` (Java's `Float.toString`).
pub fn float_to_str(f: f32) -> String {
    let mut s = String::with_capacity(16);
    javanum::write_f32(&mut s, f);
    s
}

/// Appends `CAST(f AS STRING)` of a `FLOAT` to `out`.
pub fn write_float(out: &mut String, f: f32) {
    javanum::write_f32(out, f);
}

/// `CAST(d AS STRING)` for a `DECIMAL`: plain notation with exactly its scale.
pub fn decimal_to_str(d: Decimal) -> String {
    d.to_string()
}

/// `CAST(d AS STRING)` for a `DATE`: `yyyy-MM-dd`.
pub fn date_to_str(d: Date) -> String {
    let mut s = String::with_capacity(10);
    time::write_date(&mut s, i64::from(d.0));
    s
}

/// `CAST(ts AS STRING)` for a `TIMESTAMP(precision)`: `yyyy-MM-dd HH:mm:ss` and
/// `precision` fraction digits.
///
/// ```
/// use streamsql_runtime::{func::cast::timestamp_to_str, Timestamp};
/// assert_eq!(timestamp_to_str(Timestamp(1_709_373_600_000), 3), "2024-03-02 10:00:00.000");
/// assert_eq!(timestamp_to_str(Timestamp(1_709_373_600_500), 0), "2024-03-02 10:00:00.5");
/// assert_eq!(timestamp_to_str(Timestamp(1_709_373_600_000), 0), "2024-03-02 10:00:00");
/// ```
///
/// (A value with more fraction digits than `precision` prints them, as Flink does; a
/// `TIMESTAMP(0)` column never holds one.)
pub fn timestamp_to_str(ts: Timestamp, precision: u8) -> String {
    let mut s = String::with_capacity(23);
    time::write_timestamp(&mut s, ts.0, precision);
    s
}

/// Appends `CAST(ts AS STRING)` of a `TIMESTAMP(precision)` to `out`.
pub fn write_timestamp(out: &mut String, ts: Timestamp, precision: u8) {
    time::write_timestamp(out, ts.0, precision);
}

/// `CAST(ts AS STRING)` for a `TIMESTAMP_LTZ(precision)`, in the session zone (UTC).
pub fn timestamp_ltz_to_str(ts: TimestampLtz, precision: u8) -> String {
    timestamp_to_str(Timestamp(ts.0), precision)
}

// ------------------------------------------------------------------ time -> time

/// `CAST(ts AS DATE)`: Flink 2.3 truncates the millis toward zero (observed:
/// `1969-12-30 12:00:00` gives `1969-12-31`).
pub fn timestamp_to_date(ts: Timestamp) -> Date {
    Date((ts.0 / MILLIS_PER_DAY) as i32)
}

/// `CAST(d AS TIMESTAMP)`: midnight.
pub fn date_to_timestamp(d: Date) -> Timestamp {
    Timestamp(i64::from(d.0) * MILLIS_PER_DAY)
}

/// `CAST(ts AS TIMESTAMP(precision))` from `TIMESTAMP(3)`: drops fraction digits,
/// truncating the millis toward zero (Flink 2.3: `1969-12-31 23:59:59.999` as
/// `TIMESTAMP(0)` is `1970-01-01 00:00:00`).
pub fn timestamp_to_precision(ts: Timestamp, precision: u8) -> Timestamp {
    let unit = match precision {
        0 => 1000,
        1 => 100,
        2 => 10,
        _ => return ts,
    };
    Timestamp(ts.0 / unit * unit)
}

/// `CAST(ts AS TIMESTAMP_LTZ)`: the local time in the session zone (UTC).
pub fn timestamp_to_ltz(ts: Timestamp) -> TimestampLtz {
    TimestampLtz(ts.0)
}

/// `CAST(ltz AS TIMESTAMP)`: the local time in the session zone (UTC).
pub fn ltz_to_timestamp(ts: TimestampLtz) -> Timestamp {
    Timestamp(ts.0)
}

/// `CAST(ltz AS DATE)`: the session-zone (UTC) date.
pub fn ltz_to_date(ts: TimestampLtz) -> Date {
    Date(ts.0.div_euclid(MILLIS_PER_DAY) as i32)
}

/// Blink `CAST(bigint AS TIMESTAMP)`: epoch millis.
pub fn bigint_to_timestamp(ms: i64) -> Timestamp {
    Timestamp(ms)
}

/// Blink `CAST(ts AS BIGINT)`: epoch millis.
pub fn timestamp_to_bigint(ts: Timestamp) -> i64 {
    ts.0
}

// ------------------------------------------------------------------ numeric <-> numeric

/// Casts between numeric SQL types (and BOOLEAN), with Flink's rules: see the module
/// docs. Implemented for `i8`, `i16`, `i32`, `i64`, `f32`, `f64`, [`Decimal`], `bool`.
///
/// ```
/// use streamsql_runtime::func::cast::NumCast;
/// assert_eq!(300i32.to_tinyint(), 44);
/// assert_eq!(1e21f64.to_int(), i32::MAX);
/// assert_eq!(f64::NAN.to_bigint(), 0);
/// assert_eq!(1e7f64.to_tinyint(), -128);
/// assert_eq!(0.005f64.to_decimal(10, 2).unwrap().map(|d| d.unscaled), Some(1));
/// assert_eq!(123456789i32.to_decimal(10, 2), Ok(None));
/// ```
pub trait NumCast: Copy {
    fn to_tinyint(self) -> i8;
    fn to_smallint(self) -> i16;
    fn to_int(self) -> i32;
    fn to_bigint(self) -> i64;
    fn to_float(self) -> f32;
    fn to_double(self) -> f64;
    fn to_boolean(self) -> bool;
    /// `CAST(x AS DECIMAL(p, s))`: `Ok(None)` on overflow; `Err` for NaN/Infinity.
    fn to_decimal(self, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError>;
    /// `TRY_CAST(x AS DECIMAL(p, s))`.
    fn try_to_decimal(self, precision: u8, scale: u8) -> Option<Decimal> {
        self.to_decimal(precision, scale).ok().flatten()
    }
}

macro_rules! int_cast {
    ($($t:ty),*) => {$(
        impl NumCast for $t {
            #[inline] fn to_tinyint(self) -> i8 { self as i8 }
            #[inline] fn to_smallint(self) -> i16 { self as i16 }
            #[inline] fn to_int(self) -> i32 { self as i32 }
            #[inline] fn to_bigint(self) -> i64 { self as i64 }
            #[inline] fn to_float(self) -> f32 { self as f32 }
            #[inline] fn to_double(self) -> f64 { self as f64 }
            #[inline] fn to_boolean(self) -> bool { self != 0 }
            fn to_decimal(self, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError> {
                Ok(decimal::from_i64(self as i64, precision, scale))
            }
        }
    )*};
}
int_cast!(i8, i16, i32, i64);

macro_rules! float_cast {
    ($($t:ty),*) => {$(
        impl NumCast for $t {
            // Java: (byte) (int) d, (short) (int) d; (int) and (long) saturate, NaN is 0
            #[inline] fn to_tinyint(self) -> i8 { self as i32 as i8 }
            #[inline] fn to_smallint(self) -> i16 { self as i32 as i16 }
            #[inline] fn to_int(self) -> i32 { self as i32 }
            #[inline] fn to_bigint(self) -> i64 { self as i64 }
            #[inline] fn to_float(self) -> f32 { self as f32 }
            #[inline] fn to_double(self) -> f64 { self as f64 }
            #[inline] fn to_boolean(self) -> bool { self != 0.0 }
            fn to_decimal(self, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError> {
                decimal::from_f64(self as f64, precision, scale).map_err(|()| {
                    EvalError::cast("DECIMAL", self, "Character is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.")
                })
            }
        }
    )*};
}
float_cast!(f32, f64);

impl NumCast for Decimal {
    #[inline]
    fn to_tinyint(self) -> i8 {
        decimal::trunc(self) as i64 as i8
    }
    #[inline]
    fn to_smallint(self) -> i16 {
        decimal::trunc(self) as i64 as i16
    }
    #[inline]
    fn to_int(self) -> i32 {
        decimal::trunc(self) as i64 as i32
    }
    #[inline]
    fn to_bigint(self) -> i64 {
        decimal::trunc(self) as i64
    }
    #[inline]
    fn to_float(self) -> f32 {
        decimal::to_f64(self) as f32
    }
    #[inline]
    fn to_double(self) -> f64 {
        decimal::to_f64(self)
    }
    #[inline]
    fn to_boolean(self) -> bool {
        self.unscaled != 0
    }
    fn to_decimal(self, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError> {
        Ok(decimal::cast(self, precision, scale))
    }
}

impl NumCast for bool {
    #[inline]
    fn to_tinyint(self) -> i8 {
        i8::from(self)
    }
    #[inline]
    fn to_smallint(self) -> i16 {
        i16::from(self)
    }
    #[inline]
    fn to_int(self) -> i32 {
        i32::from(self)
    }
    #[inline]
    fn to_bigint(self) -> i64 {
        i64::from(self)
    }
    #[inline]
    fn to_float(self) -> f32 {
        if self { 1.0 } else { 0.0 }
    }
    #[inline]
    fn to_double(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    #[inline]
    fn to_boolean(self) -> bool {
        self
    }
    fn to_decimal(self, precision: u8, scale: u8) -> Result<Option<Decimal>, EvalError> {
        Ok(decimal::from_i64(i64::from(self), precision, scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-digits fast path of `parse_integer` answers as the general path does
    /// (a leading space sends the same text down the general path).
    #[test]
    fn plain_digits_parse_as_the_general_path() {
        let cases = [
            "0",
            "-0",
            "7",
            "-7",
            "007",
            "127",
            "128",
            "-128",
            "-129",
            "32767",
            "32768",
            "2147483647",
            "2147483648",
            "-2147483649",
            "999999999999999999",
            "-999999999999999999",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "1.5",
            "-",
            "",
            "+5",
            "1e3",
            "12a",
        ];
        let ranges = [
            (-128, 127),
            (-32768, 32767),
            (i64::from(i32::MIN), i64::from(i32::MAX)),
            (i64::MIN, i64::MAX),
        ];
        for s in cases {
            for (min, max) in ranges {
                assert_eq!(
                    parse_integer(s, min, max),
                    parse_integer(&format!(" {s}"), min, max),
                    "{s:?} in {min}..={max}"
                );
            }
        }
    }

    /// Eight digits at a time agree with one at a time on every length, and any
    /// byte that is not a digit, at any position, is refused.
    #[test]
    fn digits_read_eight_at_a_time_as_one_at_a_time() {
        let one_at_a_time = |d: &[u8]| -> Option<u64> {
            if d.is_empty() || d.len() > 18 || !d.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(d.iter().fold(0, |v, &c| v * 10 + u64::from(c - b'0')))
        };
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..=20 {
            for round in 0..200 {
                let mut d: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        b'0' + (seed % 10) as u8
                    })
                    .collect();
                if round % 2 == 1 && len > 0 {
                    // Bytes next to the digits' range, and others, at every position.
                    let bad = [b'/', b':', b'?', b'@', b' ', b'.', 0x00, 0xB0, 0xC3, 0xFF];
                    d[round / 2 % len] = bad[round / 2 % bad.len()];
                }
                assert_eq!(plain_digits(&d), one_at_a_time(&d), "{d:?}");
            }
        }
        assert_eq!(
            plain_digits(b"999999999999999999"),
            Some(999_999_999_999_999_999)
        );
        assert_eq!(plain_digits(b"000000000000000001"), Some(1));
    }

    /// (s, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE) as `TRY_CAST(s AS ..)`
    /// then `CAST(.. AS STRING)` printed on Flink 2.3.
    #[allow(clippy::type_complexity)]
    const ROWS: &[(
        &str,
        Option<&str>,
        [Option<&str>; 4],
        Option<&str>,
        Option<&str>,
    )] = &[
        ("12", None, [Some("12"); 4], Some("12.0"), Some("12.0")),
        (" 12 ", None, [Some("12"); 4], Some("12.0"), Some("12.0")),
        ("\t12\n", None, [None; 4], Some("12.0"), Some("12.0")),
        ("+12", None, [Some("12"); 4], Some("12.0"), Some("12.0")),
        ("-12", None, [Some("-12"); 4], Some("-12.0"), Some("-12.0")),
        ("012", None, [Some("12"); 4], Some("12.0"), Some("12.0")),
        ("12.5", None, [Some("12"); 4], Some("12.5"), Some("12.5")),
        ("12.9", None, [Some("12"); 4], Some("12.9"), Some("12.9")),
        (
            "-12.9",
            None,
            [Some("-12"); 4],
            Some("-12.9"),
            Some("-12.9"),
        ),
        ("1e3", None, [None; 4], Some("1000.0"), Some("1000.0")),
        ("", None, [None; 4], None, None),
        (" ", None, [None; 4], None, None),
        ("abc", None, [None; 4], None, None),
        ("127", None, [Some("127"); 4], Some("127.0"), Some("127.0")),
        (
            "128",
            None,
            [None, Some("128"), Some("128"), Some("128")],
            Some("128.0"),
            Some("128.0"),
        ),
        (
            "-128",
            None,
            [Some("-128"); 4],
            Some("-128.0"),
            Some("-128.0"),
        ),
        (
            "-129",
            None,
            [None, Some("-129"), Some("-129"), Some("-129")],
            Some("-129.0"),
            Some("-129.0"),
        ),
        (
            "32767",
            None,
            [None, Some("32767"), Some("32767"), Some("32767")],
            Some("32767.0"),
            Some("32767.0"),
        ),
        (
            "32768",
            None,
            [None, None, Some("32768"), Some("32768")],
            Some("32768.0"),
            Some("32768.0"),
        ),
        (
            "2147483647",
            None,
            [None, None, Some("2147483647"), Some("2147483647")],
            Some("2.14748365E9"),
            Some("2.147483647E9"),
        ),
        (
            "2147483648",
            None,
            [None, None, None, Some("2147483648")],
            Some("2.14748365E9"),
            Some("2.147483648E9"),
        ),
        (
            "-2147483648",
            None,
            [None, None, Some("-2147483648"), Some("-2147483648")],
            Some("-2.14748365E9"),
            Some("-2.147483648E9"),
        ),
        (
            "-2147483649",
            None,
            [None, None, None, Some("-2147483649")],
            Some("-2.14748365E9"),
            Some("-2.147483649E9"),
        ),
        (
            "9223372036854775807",
            None,
            [None, None, None, Some("9223372036854775807")],
            Some("9.223372E18"),
            Some("9.223372036854776E18"),
        ),
        (
            "9223372036854775808",
            None,
            [None; 4],
            Some("9.223372E18"),
            Some("9.223372036854776E18"),
        ),
        (
            "-9223372036854775808",
            None,
            [None, None, None, Some("-9223372036854775808")],
            Some("-9.223372E18"),
            Some("-9.223372036854776E18"),
        ),
        ("1.", None, [Some("1"); 4], Some("1.0"), Some("1.0")),
        (".5", None, [Some("0"); 4], Some("0.5"), Some("0.5")),
        ("-.5", None, [Some("0"); 4], Some("-0.5"), Some("-0.5")),
        ("0x10", None, [None; 4], None, None),
        ("1_000", None, [None; 4], None, None),
        ("\u{661}\u{662}", None, [None; 4], None, None),
        ("12a", None, [None; 4], None, None),
        ("+", None, [None; 4], None, None),
        ("-", None, [None; 4], None, None),
        ("--1", None, [None; 4], None, None),
        ("1 2", None, [None; 4], None, None),
        ("\u{a0}12", None, [None; 4], None, None),
        ("\u{3000}12", None, [None; 4], None, None),
        ("true", Some("TRUE"), [None; 4], None, None),
        ("TRUE", Some("TRUE"), [None; 4], None, None),
        (" true ", None, [None; 4], None, None),
        ("t", Some("TRUE"), [None; 4], None, None),
        ("yes", Some("TRUE"), [None; 4], None, None),
        ("y", Some("TRUE"), [None; 4], None, None),
        ("1", Some("TRUE"), [Some("1"); 4], Some("1.0"), Some("1.0")),
        ("0", Some("FALSE"), [Some("0"); 4], Some("0.0"), Some("0.0")),
        ("no", Some("FALSE"), [None; 4], None, None),
        ("n", Some("FALSE"), [None; 4], None, None),
        ("f", Some("FALSE"), [None; 4], None, None),
        ("false", Some("FALSE"), [None; 4], None, None),
        ("on", None, [None; 4], None, None),
        ("off", None, [None; 4], None, None),
        ("2", None, [Some("2"); 4], Some("2.0"), Some("2.0")),
        ("1.5e2", None, [None; 4], Some("150.0"), Some("150.0")),
        ("NaN", None, [None; 4], Some("NaN"), Some("NaN")),
        (
            "Infinity",
            None,
            [None; 4],
            Some("Infinity"),
            Some("Infinity"),
        ),
        (
            "-Infinity",
            None,
            [None; 4],
            Some("-Infinity"),
            Some("-Infinity"),
        ),
        ("inf", None, [None; 4], None, None),
        ("1d", None, [None; 4], Some("1.0"), Some("1.0")),
        ("1f", None, [None; 4], Some("1.0"), Some("1.0")),
        ("1.0E10", None, [None; 4], Some("1.0E10"), Some("1.0E10")),
        ("1e400", None, [None; 4], Some("Infinity"), Some("Infinity")),
        ("1e-400", None, [None; 4], Some("0.0"), Some("0.0")),
        (
            "12345678901234567890.12345",
            None,
            [None; 4],
            Some("1.2345679E19"),
            Some("1.2345678901234567E19"),
        ),
        (
            "0.00001",
            None,
            [Some("0"); 4],
            Some("1.0E-5"),
            Some("1.0E-5"),
        ),
        (
            "123.456",
            None,
            [Some("123"); 4],
            Some("123.456"),
            Some("123.456"),
        ),
        (
            "99999999.995",
            None,
            [None, None, Some("99999999"), Some("99999999")],
            Some("1.0E8"),
            Some("9.9999999995E7"),
        ),
        ("0.1", None, [Some("0"); 4], Some("0.1"), Some("0.1")),
        (
            "20240302",
            None,
            [None, None, Some("20240302"), Some("20240302")],
            Some("2.0240302E7"),
            Some("2.0240302E7"),
        ),
        (
            "2024",
            None,
            [None, Some("2024"), Some("2024"), Some("2024")],
            Some("2024.0"),
            Some("2024.0"),
        ),
        ("2024-03-02", None, [None; 4], None, None),
    ];

    #[test]
    fn string_casts_observed() {
        for (s, b, ints, f, d) in ROWS {
            assert_eq!(
                try_str_to_boolean(s).map(boolean_to_str),
                *b,
                "BOOLEAN {s:?}"
            );
            let got = [
                try_str_to_tinyint(s).map(|v| v.to_string()),
                try_str_to_smallint(s).map(|v| v.to_string()),
                try_str_to_int(s).map(|v| v.to_string()),
                try_str_to_bigint(s).map(|v| v.to_string()),
            ];
            for (k, (g, w)) in got.iter().zip(ints).enumerate() {
                assert_eq!(g.as_deref(), *w, "integer #{k} {s:?}");
            }
            assert_eq!(
                try_str_to_float(s).map(float_to_str).as_deref(),
                *f,
                "FLOAT {s:?}"
            );
            assert_eq!(
                try_str_to_double(s).map(double_to_str).as_deref(),
                *d,
                "DOUBLE {s:?}"
            );
            // CAST is TRY_CAST or an error
            assert_eq!(str_to_int(s).ok().flatten(), try_str_to_int(s));
            assert_eq!(str_to_int(s).is_err(), try_str_to_int(s).is_none());
            assert_eq!(str_to_boolean(s).is_err(), try_str_to_boolean(s).is_none());
            assert_eq!(str_to_double(s).is_err(), try_str_to_double(s).is_none());
        }
    }

    #[test]
    fn cast_errors_observed() {
        // CAST('abc' AS INT) failed the Flink 2.3 job: "For input string: 'abc'. Invalid
        // character found."; CAST('12345678901' AS DECIMAL(10,2)): "... Overflow.".
        assert_eq!(
            str_to_int("abc"),
            Err(EvalError::cast("INT", "abc", "Invalid character found."))
        );
        assert_eq!(
            str_to_decimal("12345678901", 10, 2),
            Err(EvalError::cast("DECIMAL", "12345678901", "Overflow."))
        );
        assert!(str_to_tinyint("128").is_err());
        assert!(str_to_date("2024-02-30").is_err());
        assert!(str_to_timestamp("2024-03-02T10:00:00", 3).is_err());
        assert!(f64::NAN.to_decimal(10, 2).is_err());
        assert_eq!(f64::NAN.try_to_decimal(10, 2), None);
    }

    #[test]
    fn numeric_casts_observed() {
        // Integers (INT column i, BIGINT column b) on Flink 2.3.
        let ints: &[(i64, i8, i16)] = &[
            (128, -128, 128),
            (255, -1, 255),
            (300, 44, 300),
            (-129, 127, -129),
            (32767, -1, 32767),
            (32768, 0, -32768),
            (65535, -1, -1),
            (2147483647, -1, -1),
            (-2147483648, 0, 0),
        ];
        for (v, t, s) in ints {
            assert_eq!((*v as i32).to_tinyint(), *t);
            assert_eq!((*v as i32).to_smallint(), *s);
        }
        assert_eq!(1711360000123i64.to_int(), 1963016315);
        assert_eq!(i64::MAX.to_int(), -1);
        assert_eq!(4294967296i64.to_int(), 0);
        assert_eq!(float_to_str(2147483647i32.to_float()), "2.14748365E9");
        assert_eq!(float_to_str(1711360000123i64.to_float()), "1.71136005E12");
        assert_eq!(
            double_to_str(1711360000123i64.to_double()),
            "1.711360000123E12"
        );
        assert!(2i32.to_boolean() && !0i64.to_boolean() && (-1i8).to_boolean());
        assert_eq!(true.to_int(), 1);
        assert_eq!(2147483647i32.to_decimal(10, 2), Ok(None));
        assert_eq!(
            (-7i32)
                .to_decimal(10, 2)
                .unwrap()
                .map(|d| d.to_string())
                .as_deref(),
            Some("-7.00")
        );
        // Doubles (DOUBLE column d) on Flink 2.3: (d, TINYINT, SMALLINT, INT, BIGINT).
        let doubles: &[(f64, i8, i16, i32, i64)] = &[
            (1e7, -128, -27008, 10000000, 10000000),
            (9999999.0, 127, -27009, 9999999, 9999999),
            (123456789.0, 21, -13035, 123456789, 123456789),
            (1e21, -1, -1, 2147483647, 9223372036854775807),
            (-2.5, -2, -2, -2, -2),
            (2147483647.5, -1, -1, 2147483647, 2147483647),
            (-2147483649.0, 0, 0, -2147483648, -2147483649),
            (-1e19, 0, 0, -2147483648, -9223372036854775808),
            (300.7, 44, 300, 300, 300),
            (-300.7, -44, -300, -300, -300),
            (-0.5, 0, 0, 0, 0),
        ];
        for (d, t, s, i, b) in doubles {
            assert_eq!(d.to_tinyint(), *t, "{d}");
            assert_eq!(d.to_smallint(), *s, "{d}");
            assert_eq!(d.to_int(), *i, "{d}");
            assert_eq!(d.to_bigint(), *b, "{d}");
        }
        assert_eq!(float_to_str(123456789.0f64.to_float()), "1.23456792E8");
        assert_eq!(f64::NAN.to_int(), 0);
        assert!(f64::NAN.to_boolean());
        assert!(!(-0.0f64).to_boolean());
        assert_eq!(float_to_str(1e300f64.to_float()), "Infinity");
        assert_eq!((1e301f64).to_bigint(), i64::MAX);
        assert_eq!((-1e300f64).to_tinyint(), 0);
        // DECIMAL: CAST(CAST(x AS DECIMAL(20,2|3)) AS ...) on Flink 2.3.
        let d = |u: i128, s: u8| Decimal {
            unscaled: u,
            scale: s,
        };
        assert_eq!(d(100000000000000, 2).to_int(), -727379968);
        assert_eq!(d(123456, 3).to_int(), 123);
        assert_eq!(d(-123956, 3).to_int(), -123);
        assert_eq!(d(100000000000000, 2).to_tinyint(), 0);
        assert_eq!(d(100000000000000, 2).to_double(), 1e12);
        assert!(d(123456, 3).to_boolean());
        assert_eq!(d(1500, 3).to_decimal(5, 0), Ok(Some(d(2, 0))));
        assert_eq!(d(-1500, 3).to_decimal(5, 0), Ok(Some(d(-2, 0))));
        assert_eq!(d(100000000000000, 2).to_decimal(10, 2), Ok(None));
        assert_eq!(decimal_to_str(d(0, 3)), "0.000");
        assert_eq!(decimal_to_str(d(1, 3)), "0.001");
    }

    #[test]
    fn temporal_casts_observed() {
        // CAST(ts AS DATE) / CAST(ts AS TIMESTAMP(0|1)) on Flink 2.3.
        let ts = |s: &str| Timestamp(time::parse_timestamp_default(s).unwrap());
        let cases = [
            (
                "1969-12-31 00:00:00",
                "1969-12-31",
                "1969-12-31 00:00:00",
                "1969-12-31 00:00:00.0",
            ),
            (
                "1969-12-30 12:00:00",
                "1969-12-31",
                "1969-12-30 12:00:00",
                "1969-12-30 12:00:00.0",
            ),
            (
                "1969-12-31 23:59:59.999",
                "1970-01-01",
                "1970-01-01 00:00:00",
                "1970-01-01 00:00:00.0",
            ),
            (
                "1900-01-01 00:00:00.500",
                "1900-01-02",
                "1900-01-01 00:00:01",
                "1900-01-01 00:00:00.5",
            ),
            (
                "1969-12-31 23:59:59.001",
                "1970-01-01",
                "1970-01-01 00:00:00",
                "1969-12-31 23:59:59.1",
            ),
            (
                "1970-01-01 00:00:00.001",
                "1970-01-01",
                "1970-01-01 00:00:00",
                "1970-01-01 00:00:00.0",
            ),
            (
                "1969-12-30 00:00:00",
                "1969-12-30",
                "1969-12-30 00:00:00",
                "1969-12-30 00:00:00.0",
            ),
            (
                "2024-12-30 23:59:59.999",
                "2024-12-30",
                "2024-12-30 23:59:59",
                "2024-12-30 23:59:59.9",
            ),
        ];
        for (s, date, p0, p1) in cases {
            let t = ts(s);
            assert_eq!(date_to_str(timestamp_to_date(t)), date, "{s}");
            assert_eq!(timestamp_to_str(timestamp_to_precision(t, 0), 0), p0, "{s}");
            assert_eq!(timestamp_to_str(timestamp_to_precision(t, 1), 1), p1, "{s}");
        }
        assert_eq!(
            try_str_to_timestamp("2024-03-02 10:00:00.5", 0)
                .map(|t| timestamp_to_str(t, 0))
                .as_deref(),
            Some("2024-03-02 10:00:00")
        );
        assert_eq!(date_to_timestamp(Date(1)), Timestamp(86_400_000));
        assert_eq!(ltz_to_date(TimestampLtz(-1)), Date(-1));
        assert_eq!(
            timestamp_ltz_to_str(TimestampLtz(0), 3),
            "1970-01-01 00:00:00.000"
        );
        assert_eq!(bigint_to_timestamp(5), Timestamp(5));
        assert_eq!(timestamp_to_bigint(Timestamp(5)), 5);
    }

    #[test]
    fn bytes_observed() {
        // CAST(bs AS STRING) on Flink 2.3.
        assert_eq!(bytes_to_str(b"abc"), "abc");
        assert_eq!(bytes_to_str(b"\xff\xfe"), "\u{FFFD}\u{FFFD}");
        assert_eq!(bytes_to_str("é".as_bytes()), "é");
        assert_eq!(bytes_to_str(b"\xe2\x82"), "\u{FFFD}");
        assert_eq!(str_to_bytes("2024"), b"2024");
    }
}
