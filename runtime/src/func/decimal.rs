//! `DECIMAL(p, s)` conversions with Flink's rounding (`HALF_UP`) and overflow rules.
//!
//! [`Decimal`] carries no precision: the target `(p, s)` is an argument. A value fits
//! `DECIMAL(p, s)` when its unscaled integer has at most `p` digits.

use std::fmt::Write as _;

use crate::Decimal;

/// Largest supported precision (Flink's `DECIMAL` maximum).
pub(crate) const MAX_PRECISION: u8 = 38;

/// `10^n` for `n <= 38`.
pub(crate) fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// Whether `unscaled` has at most `precision` digits.
pub(crate) fn fits(unscaled: i128, precision: u8) -> bool {
    match pow10(u32::from(precision.min(MAX_PRECISION))) {
        Some(p) => unscaled.unsigned_abs() < p.unsigned_abs(),
        None => true,
    }
}

/// ±`digits` × 10^`exp10` (digits are values 0..=9, leading zeros allowed), rounded
/// `HALF_UP` to `scale`; `None` if it does not fit `DECIMAL(precision, scale)`.
pub(crate) fn from_digits(
    neg: bool,
    digits: &[u8],
    exp10: i64,
    precision: u8,
    scale: u8,
) -> Option<Decimal> {
    if scale > MAX_PRECISION {
        return None;
    }
    let first = digits.iter().position(|&d| d != 0);
    let Some(first) = first else {
        return Some(Decimal { unscaled: 0, scale });
    };
    let digits = &digits[first..];
    let len = digits.len() as i64;
    let shift = exp10.saturating_add(i64::from(scale));
    let mut unscaled: i128 = 0;
    if shift >= 0 {
        if len.saturating_add(shift) > i64::from(precision.min(MAX_PRECISION)) {
            return None;
        }
        for &d in digits {
            unscaled = unscaled * 10 + i128::from(d);
        }
        unscaled *= pow10(shift as u32)?;
    } else {
        let drop = shift.unsigned_abs();
        let keep = len - drop.min(len as u64) as i64;
        if keep > i64::from(MAX_PRECISION) {
            return None;
        }
        for &d in &digits[..keep as usize] {
            unscaled = unscaled * 10 + i128::from(d);
        }
        // HALF_UP looks at the first dropped digit only.
        let first_dropped = if drop <= len as u64 {
            digits.get(keep as usize).copied().unwrap_or(0)
        } else {
            0
        };
        if first_dropped >= 5 {
            unscaled += 1;
        }
    }
    if !fits(unscaled, precision) {
        return None;
    }
    Some(Decimal {
        unscaled: if neg { -unscaled } else { unscaled },
        scale,
    })
}

/// Rescales with `HALF_UP` (away from zero on a tie); `None` on `i128` overflow.
pub(crate) fn rescale(d: Decimal, scale: u8) -> Option<i128> {
    let from = u32::from(d.scale);
    let to = u32::from(scale);
    if to >= from {
        d.unscaled.checked_mul(pow10(to - from)?)
    } else {
        let p = pow10(from - to)?;
        let q = d.unscaled / p;
        let r = d.unscaled % p;
        let half = p / 2;
        Some(if r.unsigned_abs() >= half.unsigned_abs() && r != 0 {
            q + d.unscaled.signum()
        } else {
            q
        })
    }
}

/// `CAST(decimal AS DECIMAL(p, s))`: `HALF_UP`, NULL on overflow.
pub(crate) fn cast(d: Decimal, precision: u8, scale: u8) -> Option<Decimal> {
    if scale > MAX_PRECISION {
        return None;
    }
    let unscaled = rescale(d, scale)?;
    fits(unscaled, precision).then_some(Decimal { unscaled, scale })
}

/// `BigDecimal.valueOf(long)` into `DECIMAL(p, s)`.
pub(crate) fn from_i64(v: i64, precision: u8, scale: u8) -> Option<Decimal> {
    if scale > MAX_PRECISION {
        return None;
    }
    let unscaled = i128::from(v).checked_mul(pow10(u32::from(scale))?)?;
    fits(unscaled, precision).then_some(Decimal { unscaled, scale })
}

/// `BigDecimal.valueOf(double)` (the digits of `Double.toString`) into
/// `DECIMAL(p, s)`; `Err` for NaN and infinities.
pub(crate) fn from_f64(v: f64, precision: u8, scale: u8) -> Result<Option<Decimal>, ()> {
    if !v.is_finite() {
        return Err(());
    }
    if v == 0.0 {
        return Ok(from_digits(false, &[], 0, precision, scale));
    }
    let d = super::javanum::f64_digits(v);
    let exp10 = i64::from(d.exp) - (d.n as i64 - 1);
    Ok(from_digits(d.neg, d.as_slice(), exp10, precision, scale))
}

/// `BigDecimal.doubleValue()`: correctly rounded.
pub(crate) fn to_f64(d: Decimal) -> f64 {
    if d.unscaled.unsigned_abs() < (1u128 << 53) && d.scale <= 22 {
        return d.unscaled as f64 / 10f64.powi(i32::from(d.scale));
    }
    let mut buf = StackStr::default();
    let _ = write!(buf, "{}e-{}", d.unscaled, d.scale);
    buf.as_str().parse().unwrap_or(0.0)
}

/// The integer part, truncated toward zero.
pub(crate) fn trunc(d: Decimal) -> i128 {
    match pow10(u32::from(d.scale)) {
        Some(p) => d.unscaled / p,
        None => 0,
    }
}

struct StackStr {
    bytes: [u8; 64],
    len: usize,
}

impl Default for StackStr {
    fn default() -> Self {
        StackStr {
            bytes: [0; 64],
            len: 0,
        }
    }
}

impl StackStr {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("0")
    }
}

impl std::fmt::Write for StackStr {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(std::fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `CAST(string AS DECIMAL(p, s))` exactly as Flink's `BinaryStringDataUtil.toDecimal`:
/// a fast path for `p <= 18` and inputs of at most 18 bytes (with its quirks: the first
/// character after the number is not checked, so `'12a'` is 12 and `'t'` is 0; leading
/// zeros count toward the precision; the precision is checked before rounding), else
/// Java's `BigDecimal` grammar. `Err` is Flink's `NumberFormatException`.
pub(crate) fn parse_flink(s: &str, precision: u8, scale: u8) -> Result<Decimal, ()> {
    if scale > MAX_PRECISION || precision > MAX_PRECISION {
        return Err(());
    }
    if precision > 18 || s.len() > 18 {
        parse_big(s, precision, scale)
    } else {
        parse_compact(s.as_bytes(), precision, scale)
    }
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\n' || b == b'\t'
}

const POW10_I64: [i64; 19] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
];

fn p10(n: i32) -> Result<i64, ()> {
    usize::try_from(n)
        .ok()
        .and_then(|n| POW10_I64.get(n).copied())
        .ok_or(())
}

fn parse_compact(bytes: &[u8], precision: u8, scale: u8) -> Result<Decimal, ()> {
    let size = bytes.len();
    let mut i = 0;
    let mut b = 0u8;
    while i < size {
        b = bytes[i];
        if !is_ws(b) {
            break;
        }
        i += 1;
    }
    if i == size {
        return Err(());
    }
    let negative = b == b'-';
    if negative || b == b'+' {
        i += 1;
        if i == size {
            return Err(());
        }
    }
    let mut significand: i64 = 0;
    let mut exp: i32 = 0;
    let mut len: i32 = 0;
    let mut point: i32 = -1;
    while i < size {
        b = bytes[i];
        i += 1;
        if b.is_ascii_digit() {
            significand = significand * 10 + i64::from(b - b'0');
            len += 1;
        } else if b == b'.' {
            if point >= 0 {
                return Err(());
            }
            point = len;
        } else {
            break;
        }
    }
    if point < 0 {
        point = len;
    }
    if negative {
        significand = -significand;
    }
    if (b == b'e' || b == b'E') && i < size {
        b = bytes[i];
        let exp_neg = b == b'-';
        if exp_neg || b == b'+' {
            i += 1;
            if i == size {
                return Err(());
            }
        }
        let mut digits: i32 = 0;
        while i < size {
            b = bytes[i];
            i += 1;
            if b.is_ascii_digit() {
                if digits < 40 {
                    digits = digits * 10 + i32::from(b - b'0');
                }
            } else {
                break;
            }
        }
        exp += if exp_neg { -digits } else { digits };
    }
    exp -= len - point;
    while i < size {
        b = bytes[i];
        i += 1;
        if !is_ws(b) {
            return Err(());
        }
    }
    let change = exp + i32::from(scale);
    if len + change > i32::from(precision) {
        return Err(());
    }
    if change >= 0 {
        significand = significand.wrapping_mul(p10(change)?);
    } else {
        let k: i64 = if negative { -5 } else { 5 };
        let half = p10(-change - 1)?;
        significand = (significand + k * half) / p10(-change)?;
    }
    Ok(Decimal {
        unscaled: i128::from(significand),
        scale,
    })
}

fn parse_big(s: &str, precision: u8, scale: u8) -> Result<Decimal, ()> {
    let t = s.trim_matches(|c| c == ' ' || c == '\n' || c == '\t');
    let b = t.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let mut digits: Vec<u8> = Vec::new();
    let mut frac = 0i64;
    let mut seen_dot = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                digits.push(c - b'0');
                if seen_dot {
                    frac += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits.is_empty() {
        return Err(());
    }
    let mut exp: i64 = 0;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let mut eneg = false;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            eneg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            exp = exp
                .saturating_mul(10)
                .saturating_add(i64::from(b[i] - b'0'));
            i += 1;
        }
        if i == start || exp > i64::from(i32::MAX) {
            return Err(());
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return Err(());
    }
    from_digits(neg, &digits, exp - frac, precision, scale).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, p: u8, sc: u8) -> Option<String> {
        parse_flink(s, p, sc).ok().map(|d| d.to_string())
    }

    #[test]
    fn string_to_decimal_observed() {
        // TRY_CAST(s AS DECIMAL(10,2)) on Flink 2.3.
        let cases: &[(&str, Option<&str>)] = &[
            ("12", Some("12.00")),
            (" 12 ", Some("12.00")),
            ("\t12\n", Some("12.00")),
            ("+12", Some("12.00")),
            ("-12", Some("-12.00")),
            ("12.5", Some("12.50")),
            ("-12.9", Some("-12.90")),
            ("1e3", Some("1000.00")),
            ("", None),
            (" ", None),
            ("abc", None),
            ("2147483647", None),
            ("1.", Some("1.00")),
            (".5", Some("0.50")),
            ("-.5", Some("-0.50")),
            ("0x10", None),
            ("1_000", None),
            ("12a", Some("12.00")),
            ("+", None),
            ("-", None),
            ("--1", None),
            ("1 2", None),
            ("t", Some("0.00")),
            ("y", Some("0.00")),
            ("true", None),
            ("1.5e2", Some("150.00")),
            ("NaN", None),
            ("Infinity", None),
            ("1d", Some("1.00")),
            ("1.0E10", None),
            ("1e400", None),
            ("1e-400", None),
            ("12345678901234567890.12345", None),
            ("0.00001", Some("0.00")),
            ("123.456", Some("123.46")),
            ("123.455", Some("123.46")),
            ("-123.455", Some("-123.46")),
            ("99999999.995", Some("100000000.00")),
            ("1E2", Some("100.00")),
            ("1e", Some("1.00")),
            ("20240302", Some("20240302.00")),
            ("2024-03-02", None),
        ];
        for (s, want) in cases {
            assert_eq!(dec(s, 10, 2).as_deref(), *want, "{s:?}");
        }
    }

    #[test]
    fn big_path() {
        assert_eq!(
            dec("12345678901234567890.125", 38, 2).as_deref(),
            Some("12345678901234567890.13")
        );
        assert_eq!(dec(" -1.5e3 ", 20, 0).as_deref(), Some("-1500"));
        assert_eq!(dec("1e-400", 20, 2).as_deref(), Some("0.00"));
        assert_eq!(dec("1e400", 20, 2), None);
        assert_eq!(dec("12a", 20, 2), None);
        assert_eq!(
            dec("0000000000000000000001", 10, 2).as_deref(),
            Some("1.00")
        );
    }

    #[test]
    fn numeric_to_decimal_observed() {
        // TRY_CAST(d AS DECIMAL(10,2)) on Flink 2.3: HALF_UP on Double.toString's digits.
        let f = |v: f64| from_f64(v, 10, 2).unwrap().map(|d| d.to_string());
        assert_eq!(f(0.005).as_deref(), Some("0.01"));
        assert_eq!(f(0.015).as_deref(), Some("0.02"));
        assert_eq!(f(1.005).as_deref(), Some("1.01"));
        assert_eq!(f(-0.5).as_deref(), Some("-0.50"));
        assert_eq!(f(-0.0).as_deref(), Some("0.00"));
        assert_eq!(f(123456789.0), None);
        assert_eq!(f(2.0 / 3.0).as_deref(), Some("0.67"));
        assert_eq!(f(1e-7).as_deref(), Some("0.00"));
        assert!(from_f64(f64::NAN, 10, 2).is_err());
        // FLOAT widens to DOUBLE first: 0.005f is 0.004999999888241291.
        let g = |v: f32| {
            from_f64(f64::from(v), 10, 2)
                .unwrap()
                .map(|d| d.to_string())
        };
        assert_eq!(g(0.005).as_deref(), Some("0.00"));
        assert_eq!(g(0.015).as_deref(), Some("0.01"));
        assert_eq!(g(0.025).as_deref(), Some("0.03"));
        // DECIMAL(38,10)
        let h = |v: f64| from_f64(v, 38, 10).unwrap().map(|d| d.to_string());
        assert_eq!(
            h(1e21).as_deref(),
            Some("1000000000000000000000.0000000000")
        );
        assert_eq!(h(1.0 / 3.0).as_deref(), Some("0.3333333333"));
        assert_eq!(from_i64(2147483647, 10, 2), None);
        assert_eq!(
            from_i64(-7, 10, 2).map(|d| d.to_string()).as_deref(),
            Some("-7.00")
        );
    }

    #[test]
    fn decimal_rescale_and_convert() {
        let d = Decimal {
            unscaled: 1500,
            scale: 3,
        };
        assert_eq!(cast(d, 5, 0).map(|d| d.unscaled), Some(2));
        let d = Decimal {
            unscaled: -1500,
            scale: 3,
        };
        assert_eq!(cast(d, 5, 0).map(|d| d.unscaled), Some(-2));
        assert_eq!(cast(d, 1, 1), None);
        let d = Decimal {
            unscaled: 100_000_000_000_000,
            scale: 2,
        };
        assert_eq!(trunc(d) as i64 as i32, -727379968);
        assert_eq!(to_f64(d), 1e12);
        let d = Decimal {
            unscaled: -123956,
            scale: 3,
        };
        assert_eq!(trunc(d), -123);
        let big = Decimal {
            unscaled: 12345678901234567890123456789,
            scale: 10,
        };
        assert_eq!(to_f64(big), 1234567890123456789.0123456789);
    }
}
