//! Java's number text forms: `Double.toString`/`Float.toString` and
//! `Double.parseDouble`/`Float.parseFloat`, which Flink's casts use.
//!
//! Printing follows JDK 17 (what Flink 2.3 runs on here) for integer values (its
//! `dtoa` shortcut, which prints extra digits for large floats: `2.14748365E9`,
//! `1.00000003E16`) and otherwise uses the shortest digits that round-trip (Rust's
//! algorithm, as JDK 19+). JDK 17's general path is not always shortest: observed
//! `1.0E23` as `9.999999999999999E22`, `2.0E23` as `1.9999999999999998E23`, `8.41E21`
//! as `8.409999999999999E21`, where this prints `1.0E23`, `2.0E23`, `8.41E21`. Both
//! texts parse back to the same number; such values are rare in practice.

use std::fmt::Write as _;

/// A small stack buffer for `{:e}` output.
struct Buf {
    bytes: [u8; 40],
    len: usize,
}

impl std::fmt::Write for Buf {
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

/// Shortest round-trip decimal digits of a finite non-zero value: (digits, exponent)
/// with value = 0.d1d2d3... × 10^(exponent + 1), i.e. `d1.d2d3.. E exponent`.
pub(crate) struct Digits {
    pub neg: bool,
    pub digits: [u8; 24],
    pub n: usize,
    pub exp: i32,
}

impl Digits {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.digits[..self.n]
    }
}

fn digits_of(sci: &[u8]) -> Digits {
    // `{:e}` gives "-1.2345e-7" / "1e7".
    let mut d = Digits {
        neg: false,
        digits: [0; 24],
        n: 0,
        exp: 0,
    };
    let mut i = 0;
    if sci.first() == Some(&b'-') {
        d.neg = true;
        i = 1;
    }
    while i < sci.len() && sci[i] != b'e' {
        if sci[i].is_ascii_digit() && d.n < d.digits.len() {
            d.digits[d.n] = sci[i] - b'0';
            d.n += 1;
        }
        i += 1;
    }
    let mut exp: i32 = 0;
    let mut eneg = false;
    for &c in &sci[(i + 1).min(sci.len())..] {
        if c == b'-' {
            eneg = true;
        } else if c.is_ascii_digit() {
            exp = exp * 10 + i32::from(c - b'0');
        }
    }
    d.exp = if eneg { -exp } else { exp };
    // strip trailing zeros (keep one digit)
    while d.n > 1 && d.digits[d.n - 1] == 0 {
        d.n -= 1;
    }
    d
}

/// JDK 17 `FloatingDecimal.dtoa`'s exact-integer shortcut: an integer value whose
/// binary exponent is in -21..=62 prints its own digits, minus the "insignificant"
/// low digits (rounded half up) when it exceeds the type's precision (53 or 24 bits).
/// This is where JDK 17 prints more digits than the shortest form: `Float.toString(2^31)`
/// is `2.14748365E9`, not `2.1474836E9`.
fn long_digits(
    neg: bool,
    significand: u64,
    bin_exp: i32,
    n_significant_bits: i32,
    mant_bits: i32,
) -> Option<Digits> {
    if !(-21..=62).contains(&bin_exp) || significand == 0 {
        return None;
    }
    let tail = significand.trailing_zeros() as i32;
    let n_fract_bits = mant_bits - tail;
    if n_fract_bits - bin_exp - 1 > 0 {
        return None;
    }
    let shift = bin_exp - (mant_bits - 1);
    let mut value = if shift >= 0 {
        significand << shift
    } else {
        significand >> -shift
    };
    let mut dec_exp: i32 = 0;
    if bin_exp > n_significant_bits {
        let p2 = bin_exp - n_significant_bits - 1;
        let insignificant = if p2 > 1 { (1u64 << p2).ilog10() } else { 0 };
        if insignificant > 0 {
            let pow10 = 10u64.pow(insignificant);
            let residue = value % pow10;
            value /= pow10;
            dec_exp += insignificant as i32;
            if residue >= pow10 / 2 {
                value += 1;
            }
        }
    }
    let mut d = Digits {
        neg,
        digits: [0; 24],
        n: 0,
        exp: 0,
    };
    while value % 10 == 0 && value != 0 {
        value /= 10;
        dec_exp += 1;
    }
    let mut tmp = [0u8; 24];
    let mut k = 0;
    while value != 0 && k < tmp.len() {
        tmp[k] = (value % 10) as u8;
        value /= 10;
        k += 1;
    }
    for i in 0..k {
        d.digits[i] = tmp[k - 1 - i];
    }
    d.n = k.max(1);
    d.exp = dec_exp + k as i32 - 1;
    Some(d)
}

pub(crate) fn f64_digits(v: f64) -> Digits {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as i32;
    if exp != 0 && exp != 0x7FF {
        let significand = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        if let Some(d) = long_digits(v < 0.0, significand, exp - 1023, 53, 53) {
            return d;
        }
    }
    let mut b = Buf {
        bytes: [0; 40],
        len: 0,
    };
    let _ = write!(b, "{v:e}");
    digits_of(&b.bytes[..b.len])
}

fn f32_digits(v: f32) -> Digits {
    let bits = v.to_bits();
    let exp = ((bits >> 23) & 0xFF) as i32;
    if exp != 0 && exp != 0xFF {
        let significand = u64::from((bits & ((1u32 << 23) - 1)) | (1u32 << 23));
        if let Some(d) = long_digits(v < 0.0, significand, exp - 127, 24, 24) {
            return d;
        }
    }
    let mut b = Buf {
        bytes: [0; 40],
        len: 0,
    };
    let _ = write!(b, "{v:e}");
    digits_of(&b.bytes[..b.len])
}

/// Writes the Java form of (digits, exponent): plain for 1e-3 <= |v| < 1e7, else
/// computerized scientific notation (`1.0E7`, `9.99E-4`).
fn write_java(out: &mut String, d: &Digits) {
    if d.neg {
        out.push('-');
    }
    let ds = d.as_slice();
    let digit = |i: usize| char::from(b'0' + ds.get(i).copied().unwrap_or(0));
    if (-3..7).contains(&d.exp) {
        if d.exp >= 0 {
            let int_len = d.exp as usize + 1;
            for i in 0..int_len {
                out.push(digit(i));
            }
            out.push('.');
            if ds.len() > int_len {
                for i in int_len..ds.len() {
                    out.push(digit(i));
                }
            } else {
                out.push('0');
            }
        } else {
            out.push_str("0.");
            for _ in 0..(-d.exp - 1) {
                out.push('0');
            }
            for i in 0..ds.len() {
                out.push(digit(i));
            }
        }
    } else {
        out.push(digit(0));
        out.push('.');
        if ds.len() > 1 {
            for i in 1..ds.len() {
                out.push(digit(i));
            }
        } else {
            out.push('0');
        }
        out.push('E');
        let _ = write!(out, "{}", d.exp);
    }
}

/// `Double.toString(v)` appended to `out`.
pub(crate) fn write_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0.0" } else { "0.0" });
    } else if v.abs() == f64::from_bits(1) {
        // Java prints the smallest subnormal with two digits.
        out.push_str(if v < 0.0 { "-4.9E-324" } else { "4.9E-324" });
    } else {
        write_java(out, &f64_digits(v));
    }
}

/// `Float.toString(v)` appended to `out`.
pub(crate) fn write_f32(out: &mut String, v: f32) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0.0" } else { "0.0" });
    } else if v.abs() == f32::from_bits(1) {
        out.push_str(if v < 0.0 { "-1.4E-45" } else { "1.4E-45" });
    } else {
        write_java(out, &f32_digits(v));
    }
}

/// Java's `String.trim`: strips chars <= U+0020 at both ends.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// The text of a Java floating-point literal after validation: `(negative, body)`
/// where `body` is what Rust's parser accepts, or a special value.
enum JavaFloat<'a> {
    Decimal(&'a str),
    Hex { neg: bool, text: &'a str },
    NaN,
    Inf(bool),
}

fn classify(s: &str) -> Option<JavaFloat<'_>> {
    let t = java_trim(s);
    let b = t.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let rest = &t[i..];
    if rest == "NaN" {
        return Some(JavaFloat::NaN);
    }
    if rest == "Infinity" {
        return Some(JavaFloat::Inf(neg));
    }
    if rest.starts_with("0x") || rest.starts_with("0X") {
        return Some(JavaFloat::Hex {
            neg,
            text: &rest[2..],
        });
    }
    // digits [. digits] [(e|E) [sign] digits] [fFdD]
    let mut j = i;
    let mut mant = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
        mant += 1;
    }
    if j < b.len() && b[j] == b'.' {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
            mant += 1;
        }
    }
    if mant == 0 {
        return None;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        j += 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == start {
            return None;
        }
    }
    let body = &t[..j];
    if j < b.len() && matches!(b[j], b'f' | b'F' | b'd' | b'D') {
        j += 1;
    }
    (j == b.len()).then_some(JavaFloat::Decimal(body))
}

/// Hex float body after `0x`: `h[.h]p[+-]d` (binary exponent required).
fn parse_hex(neg: bool, text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut any = false;
    let mut sticky = false;
    let mut seen_dot = false;
    while i < b.len() {
        let c = b[i];
        if c == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
        } else if let Some(v) = char::from(c).to_digit(16) {
            any = true;
            if mant >> 56 == 0 {
                mant = mant * 16 + u64::from(v);
                if seen_dot {
                    exp -= 4;
                }
            } else {
                sticky |= v != 0;
                if !seen_dot {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any || i >= b.len() || (b[i] != b'p' && b[i] != b'P') {
        return None;
    }
    i += 1;
    let mut eneg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        eneg = b[i] == b'-';
        i += 1;
    }
    let start = i;
    let mut e: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        e = (e * 10 + i64::from(b[i] - b'0')).min(100_000);
        i += 1;
    }
    if i == start {
        return None;
    }
    if i < b.len() && matches!(b[i], b'f' | b'F' | b'd' | b'D') {
        i += 1;
    }
    if i != b.len() {
        return None;
    }
    if sticky {
        mant |= 1;
    }
    let e = exp + if eneg { -e } else { e };
    let mut v = mant as f64;
    // scale by 2^e in steps that stay exact
    let mut e = e.clamp(-2000, 2000) as i32;
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step);
        e += step;
    }
    Some(if neg { -v } else { v })
}

/// `Double.parseDouble(s)`: Java trims chars <= ' ', accepts a sign, `NaN`,
/// `Infinity`, decimal and hex floats and an `f`/`d` suffix; `None` where Java throws.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    match classify(s)? {
        JavaFloat::NaN => Some(f64::NAN),
        JavaFloat::Inf(neg) => Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        JavaFloat::Hex { neg, text } => parse_hex(neg, text),
        JavaFloat::Decimal(body) => body.parse().ok(),
    }
}

/// `Float.parseFloat(s)`.
pub(crate) fn parse_f32(s: &str) -> Option<f32> {
    match classify(s)? {
        JavaFloat::NaN => Some(f32::NAN),
        JavaFloat::Inf(neg) => Some(if neg {
            f32::NEG_INFINITY
        } else {
            f32::INFINITY
        }),
        JavaFloat::Hex { neg, text } => parse_hex(neg, text).map(|v| v as f32),
        JavaFloat::Decimal(body) => body.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: f64) -> String {
        let mut s = String::new();
        write_f64(&mut s, v);
        s
    }

    fn f(v: f32) -> String {
        let mut s = String::new();
        write_f32(&mut s, v);
        s
    }

    #[test]
    fn double_to_string_observed() {
        // CAST(d AS STRING) on Flink 2.3 (JDK 17).
        let cases = [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1e7, "1.0E7"),
            (9999999.0, "9999999.0"),
            (1e-3, "0.001"),
            (9.99e-4, "9.99E-4"),
            (1e-4, "1.0E-4"),
            (123456789.0, "1.23456789E8"),
            (1e21, "1.0E21"),
            (2.5, "2.5"),
            (-2.5, "-2.5"),
            (2147483647.5, "2.1474836475E9"),
            (-2147483649.0, "-2.147483649E9"),
            (300.7, "300.7"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0 / 3.0, "0.6666666666666666"),
            (1e-7, "1.0E-7"),
            (5e-324, "4.9E-324"),
            (4.35, "4.35"),
            (1e16, "1.0E16"),
            (1.2345678901234568e16, "1.2345678901234568E16"),
            (0.005, "0.005"),
            (5e-5, "5.0E-5"),
            (12.0, "12.0"),
            (-12.9, "-12.9"),
            (2.147483647e9, "2.147483647E9"),
            (9.223372036854776e18, "9.223372036854776E18"),
            (9.9999999995e7, "9.9999999995E7"),
            // JDK 17's exact-integer shortcut (second run)
            (1152921504606846976.0, "1.15292150460684698E18"),
            (2305843009213693952.0, "2.305843009213694E18"),
            (123456789012345678.0, "1.2345678901234568E17"),
            (3.0e17, "3.0E17"),
            (4.5e15, "4.5E15"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (v, want) in cases {
            assert_eq!(d(v), want, "{v:e}");
        }
    }

    #[test]
    fn float_to_string_observed() {
        // CAST(f AS STRING) with f FLOAT on Flink 2.3.
        let cases = [
            (0.1f32, "0.1"),
            (123456789.0, "1.23456792E8"),
            (2147483647.5, "2.14748365E9"),
            (1.0 / 3.0, "0.33333334"),
            (2.0 / 3.0, "0.6666667"),
            (1.2345678e16, "1.23456784E16"),
            (1e-5, "1.0E-5"),
            (9.223372e18, "9.223372E18"),
            (4.2949673e9, "4.2949673E9"),
            (1.71136e12, "1.71136005E12"),
            (16777216.0, "1.6777216E7"),
            (1e10, "1.0E10"),
            (3.4028235e38, "3.4028235E38"),
            (1152921504606846976.0, "1.1529215E18"),
            (123456789012345678.0, "1.23456791E17"),
            (3.0e17, "2.99999995E17"),
            (4.5e15, "4.49999991E15"),
        ];
        for (v, want) in cases {
            assert_eq!(f(v), want, "{v:e}");
        }
    }

    #[test]
    fn parse_like_java() {
        // TRY_CAST(s AS DOUBLE) on Flink 2.3.
        assert_eq!(parse_f64("\t12\n"), Some(12.0));
        assert_eq!(parse_f64(" 12 "), Some(12.0));
        assert_eq!(parse_f64("+12"), Some(12.0));
        assert_eq!(parse_f64("1."), Some(1.0));
        assert_eq!(parse_f64(".5"), Some(0.5));
        assert_eq!(parse_f64("-.5"), Some(-0.5));
        assert_eq!(parse_f64("1e3"), Some(1000.0));
        assert_eq!(parse_f64("1d"), Some(1.0));
        assert_eq!(parse_f64("1f"), Some(1.0));
        assert_eq!(parse_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_f64("1e-400"), Some(0.0));
        assert!(parse_f64("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_f64("-Infinity"), Some(f64::NEG_INFINITY));
        for bad in [
            "", " ", "abc", "inf", "nan", "0x10", "1_000", "12a", "+", "-", "--1", "1 2",
            "\u{a0}12", "1e", "١٢", "infinity", "1e+",
        ] {
            assert_eq!(parse_f64(bad), None, "{bad:?}");
        }
        assert_eq!(parse_f64("0x1p3"), Some(8.0));
        assert_eq!(parse_f64("0x1.8p1"), Some(3.0));
        assert_eq!(parse_f64("-0X.8P0d"), Some(-0.5));
        assert_eq!(parse_f32("0.1"), Some(0.1f32));
        assert_eq!(parse_f32("12345678901234567890.12345"), Some(1.2345679e19));
    }
}
