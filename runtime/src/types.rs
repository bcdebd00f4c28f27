//! SQL value types that have no exact Rust primitive.
//!
//! In/out: plain values; each is a thin wrapper over an integer so rows stay `Copy`
//! where their columns are, and keys stay fixed-width.

/// `TIMESTAMP(p)`: milliseconds since 1970-01-01 00:00:00, no time zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// `TIMESTAMP_LTZ(p)`: an instant, milliseconds since the epoch (UTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampLtz(pub i64);

/// `DATE`: days since 1970-01-01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

/// `TIME(p)`: milliseconds since midnight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i32);

/// `DECIMAL(p, s)`: an unscaled integer and the scale.
///
/// ```
/// let d = streamsql_runtime::Decimal { unscaled: 1234, scale: 2 };
/// assert_eq!(d.to_string(), "12.34");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal {
    pub unscaled: i128,
    pub scale: u8,
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.unscaled);
        }
        let pow = 10i128.pow(u32::from(self.scale));
        let sign = if self.unscaled < 0 { "-" } else { "" };
        let abs = self.unscaled.unsigned_abs();
        let pow = pow.unsigned_abs();
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / pow,
            abs % pow,
            width = usize::from(self.scale)
        )
    }
}
