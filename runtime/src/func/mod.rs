//! Scalar SQL functions that generated code calls once per row.
//!
//! In: SQL values in the Rust forms the compiler generates (`bool`, `i8`..`i64`, `f32`,
//! `f64`, [`Decimal`](crate::Decimal), `&str`, `&[u8]`, [`Timestamp`](crate::Timestamp),
//! [`TimestampLtz`](crate::TimestampLtz), [`Date`](crate::Date)). Out: the result value,
//! `Option` where SQL can yield NULL for a non-NULL input, `Result` where Flink fails the
//! job (the generator turns an [`EvalError`] into a failed row).
//!
//! Semantics are Apache Flink 2.3's (observed on Flink 2.3.0 with PyFlink, JDK 17,
//! `table.local-time-zone = UTC`; each test says which values were observed there), with
//! the Blink / Alibaba Realtime Compute variants where the dialects differ (`try_*`
//! casts, epoch-millis `BIGINT` <-> `TIMESTAMP`, `NOW()` in seconds, `SimpleDateFormat`
//! patterns for `DATE_FORMAT(TIMESTAMP, ..)`).
//!
//! Conventions:
//! - **NULL in, NULL out** is the generator's job: a function that is NULL whenever any
//!   argument is NULL takes plain values, and the generator maps `Option`s around it.
//!   Functions whose NULL handling is not that rule take `Option`s (three-valued logic,
//!   `CONCAT`, `CONCAT_WS`).
//! - **Never panics**, on any input: overflow wraps or is reported, indexes are checked.
//! - **Pure**: "now" is an argument (the driver reads the clock once per batch), the
//!   session time zone is UTC.
//! - **Precompiled** where Flink takes a pattern: [`LikePattern`], [`DateFormat`],
//!   [`SimpleDateFormat`] are built once per call site from the literal.
//!
//! Module map: [`logic`] (AND/OR/NOT), [`arith`] (integer arithmetic), [`cmp`] (string
//! order), [`cast`] (CAST / TRY_CAST), [`string`] (string functions), [`hash`] (MD5,
//! SHA-1, SHA-256), [`like`] (LIKE), [`time`] (date-time functions), [`datefmt`]
//! (`DateTimeFormatter` and `SimpleDateFormat` patterns).

pub mod arith;
pub mod cast;
pub mod cmp;
pub mod datefmt;
pub mod hash;
pub mod like;
pub mod logic;
pub mod string;
pub mod time;

pub(crate) mod calendar;
mod decimal;
mod javanum;

pub use datefmt::{DateFormat, SimpleDateFormat};
pub use like::LikePattern;

use std::fmt;

/// Why a function failed where Flink fails the job.
///
/// Building one allocates (it carries the offending input for the message); the `try_*`
/// variants of the casts never build one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// Integer `/`, `%` or `MOD` by zero (Java's `ArithmeticException: / by zero`).
    DivideByZero,
    /// A value that does not convert: `CAST('abc' AS INT)`.
    Cast {
        /// The SQL type cast to, e.g. `INT`.
        to: &'static str,
        /// The value, as text.
        input: String,
        /// What is wrong with it, e.g. `Invalid character found.`.
        reason: &'static str,
    },
    /// An argument the function rejects: an invalid LIKE escape sequence, an unknown
    /// date-format pattern letter, `INSTR` with a non-positive occurrence.
    InvalidArgument {
        function: &'static str,
        message: String,
    },
}

impl EvalError {
    pub(crate) fn cast(to: &'static str, input: impl fmt::Display, reason: &'static str) -> Self {
        EvalError::Cast {
            to,
            input: input.to_string(),
            reason,
        }
    }

    pub(crate) fn invalid(function: &'static str, message: impl Into<String>) -> Self {
        EvalError::InvalidArgument {
            function,
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::DivideByZero => f.write_str("/ by zero"),
            EvalError::Cast { to, input, reason } => {
                write!(f, "cannot cast '{input}' to {to}: {reason}")
            }
            EvalError::InvalidArgument { function, message } => {
                write!(f, "{function}: {message}")
            }
        }
    }
}

impl std::error::Error for EvalError {}

/// Every function on arbitrary inputs: a result or an error, never a panic (debug
/// builds also trap integer overflow).
#[cfg(test)]
mod no_panic {
    use super::*;
    use crate::{Date, Decimal, Timestamp, TimestampLtz};

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn string(&mut self) -> String {
            const ATOMS: &[&str] = &[
                "0",
                "1",
                "2",
                "9",
                "12",
                "2024",
                "-",
                "+",
                ".",
                " ",
                ":",
                "e",
                "E",
                "T",
                "Z",
                "'",
                "''",
                "%",
                "_",
                "\\",
                "!",
                "y",
                "yyyy",
                "MM",
                "MMM",
                "dd",
                "HH",
                "hh",
                "mm",
                "ss",
                "SSS",
                "a",
                "E",
                "D",
                "u",
                "w",
                "Y",
                "k",
                "K",
                "G",
                "X",
                "XXX",
                "z",
                "[",
                "]",
                "#",
                "é",
                "😀",
                "ｱ",
                "\t",
                "\n",
                "AM",
                "PM",
                "Mar",
                "NaN",
                "Infinity",
                "0x",
                "p",
                "d",
                "f",
                "t",
                "true",
                "99999999999999999999",
                "2024-03-02",
                "10:05:09",
                "1969-12-31 23:59:59.999",
                "-2147483648",
                "9223372036854775807",
            ];
            let n = self.below(8);
            (0..n).map(|_| ATOMS[self.below(ATOMS.len())]).collect()
        }
        fn int(&mut self) -> i64 {
            const EDGES: &[i64] = &[
                0,
                1,
                -1,
                2,
                7,
                -7,
                127,
                128,
                -129,
                255,
                32768,
                i32::MAX as i64,
                i32::MIN as i64,
                i64::MAX,
                i64::MIN,
                1_709_373_909,
                1_709_373_909_123,
                253_402_300_800_000,
                -62_167_219_200_001,
            ];
            if self.below(2) == 0 {
                EDGES[self.below(EDGES.len())]
            } else {
                self.next() as i64 >> self.below(64)
            }
        }
        fn float(&mut self) -> f64 {
            const EDGES: &[f64] = &[
                0.0,
                -0.0,
                0.5,
                -0.5,
                1e300,
                -1e300,
                1e-300,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::MAX,
                f64::MIN_POSITIVE,
                5e-324,
                2147483647.5,
            ];
            if self.below(2) == 0 {
                EDGES[self.below(EDGES.len())]
            } else {
                f64::from_bits(self.next())
            }
        }
    }

    #[test]
    fn arbitrary_inputs() {
        use cast::NumCast;
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let (s, t, u) = (r.string(), r.string(), r.string());
            let (i, j) = (r.int(), r.int());
            let x = r.float();
            let p = r.below(40) as u8;
            let sc = r.below(40) as u8;
            let dec = Decimal {
                unscaled: (i as i128) * (j as i128),
                scale: sc.min(38),
            };
            // arith
            let _ = arith::div(i, j);
            let _ = arith::rem(i as i32, j as i32);
            let _ = arith::add(i as i8, j as i8);
            let _ = arith::abs(i);
            // cast
            let _ = cast::str_to_tinyint(&s);
            let _ = cast::str_to_int(&s);
            let _ = cast::str_to_bigint(&s);
            let _ = cast::str_to_double(&s);
            let _ = cast::str_to_float(&s);
            let _ = cast::str_to_decimal(&s, p, sc);
            let _ = cast::str_to_boolean(&s);
            let _ = cast::str_to_date(&s);
            let _ = cast::str_to_timestamp(&s, sc % 4);
            let _ = cast::double_to_str(x);
            let _ = cast::float_to_str(x as f32);
            let _ = cast::timestamp_to_str(Timestamp(i), sc % 10);
            let _ = cast::date_to_str(Date(i as i32));
            let _ = cast::timestamp_to_date(Timestamp(i));
            let _ = cast::timestamp_to_precision(Timestamp(i), sc % 4);
            let _ = x.to_decimal(p, sc).map(|d| d.map(cast::decimal_to_str));
            let _ = i.to_decimal(p, sc).map(|d| d.map(cast::decimal_to_str));
            let _ = dec.to_decimal(p, sc).map(|d| d.map(cast::decimal_to_str));
            let _ = (dec.to_int(), dec.to_double(), x.to_tinyint(), x.to_bigint());
            let _ = cast::bytes_to_str(s.as_bytes().get(..s.len() / 2).unwrap_or_default());
            // strings
            let _ = string::substring(&s, i, Some(j));
            let _ = string::substring(&s, j, None);
            let _ = string::locate(&t, &s, i);
            let _ = string::instr(&s, &t, i, j % 5);
            let _ = string::lpad(&s, i % 100, &t);
            let _ = string::rpad(&s, j % 100, &t);
            let _ = string::lpad(&s, i % 5000, &t);
            let _ = string::split_index(&s, &t, i % 8);
            let _ = string::replace(&s, &t, &u);
            let _ = string::trim_chars(&s, &t);
            let _ = (string::initcap(&s), string::upper(&s), string::lower(&s));
            let _ = cmp::str_cmp_utf16(&s, &t);
            let _ = hash::md5_hex(&s);
            // like
            if let Ok(l) = LikePattern::new(&t, None) {
                let _ = l.matches(&s);
            }
            if let Ok(l) = LikePattern::new(&t, Some('!')) {
                let _ = l.matches(&s);
            }
            // time
            let _ = time::to_timestamp(&s);
            let _ = time::to_date(&s);
            let _ = time::to_timestamp_ltz(i, (j % 5) as i32);
            let _ = time::to_timestamp_ltz_f64(x, 3);
            let _ = time::to_timestamp_ltz_decimal(dec, 0);
            let _ = time::from_unixtime(i);
            let _ = time::unix_timestamp(&s);
            let _ = time::current_date(TimestampLtz(i));
            let _ = time::to_timestamp_ltz_str(&s);
            if let Ok(f) = DateFormat::new(&t) {
                let _ = f.format(Timestamp(i));
            }
            if let Ok(f) = DateFormat::for_parsing(&t) {
                let _ = time::to_timestamp_with(&s, &f);
                let _ = f.format(Timestamp(j));
            }
            if let Ok(f) = SimpleDateFormat::new(&t) {
                let _ = f.format_millis(i);
                let _ = time::unix_timestamp_with(&s, &f);
                let _ = time::to_date_with(&s, &f);
                let _ = time::date_format_str(&u, &f);
            }
        }
    }
}
