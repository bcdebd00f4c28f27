//! Integer arithmetic with Flink's (that is, Java's) overflow rules.
//!
//! In: two operands of the same integer type (the generator widens mixed operands to
//! the result type first, as Flink's type inference does: `INT + BIGINT` is `BIGINT`,
//! `TINYINT + TINYINT` stays `TINYINT`). Out: the result in that type.
//!
//! Observed on Flink 2.3 (`TINYINT`..`BIGINT` columns):
//! - `+`, `-`, `*`, unary `-` and `ABS` **wrap** like Java: `INT` 2147483647 + 1 =
//!   -2147483648, `TINYINT` 127 + 1 = -128, `-BIGINT_MIN` = `BIGINT_MIN`,
//!   `ABS(INT_MIN)` = `INT_MIN`.
//! - `/` **truncates** toward zero (`-7 / 2 = -3`), `%` and `MOD` take the dividend's
//!   sign (`-7 % 2 = -1`, `MOD(-7, 3) = -1`); `BIGINT_MIN / -1` = `BIGINT_MIN` and
//!   `BIGINT_MIN % -1` = 0 (Java wraps, Rust's plain operators would panic).
//! - `/`, `%` and `MOD` **by zero fail the job** (`ArithmeticException: / by zero`) for
//!   every integer type: [`EvalError::DivideByZero`].
//! - `DOUBLE`/`FLOAT` arithmetic is IEEE (Rust's operators): `x / 0.0` is ±Infinity or
//!   NaN, never an error. `%` on `DOUBLE` does not type-check in Flink.

use super::EvalError;

/// An integer SQL type: `TINYINT`, `SMALLINT`, `INT` or `BIGINT`.
pub trait SqlInt: Copy + Eq {
    const ZERO: Self;
    fn wrapping_add(self, other: Self) -> Self;
    fn wrapping_sub(self, other: Self) -> Self;
    fn wrapping_mul(self, other: Self) -> Self;
    fn wrapping_div(self, other: Self) -> Self;
    fn wrapping_rem(self, other: Self) -> Self;
    fn wrapping_neg(self) -> Self;
    fn wrapping_abs(self) -> Self;
}

macro_rules! sql_int {
    ($($t:ty),*) => {$(
        impl SqlInt for $t {
            const ZERO: Self = 0;
            #[inline]
            fn wrapping_add(self, other: Self) -> Self { <$t>::wrapping_add(self, other) }
            #[inline]
            fn wrapping_sub(self, other: Self) -> Self { <$t>::wrapping_sub(self, other) }
            #[inline]
            fn wrapping_mul(self, other: Self) -> Self { <$t>::wrapping_mul(self, other) }
            #[inline]
            fn wrapping_div(self, other: Self) -> Self { <$t>::wrapping_div(self, other) }
            #[inline]
            fn wrapping_rem(self, other: Self) -> Self { <$t>::wrapping_rem(self, other) }
            #[inline]
            fn wrapping_neg(self) -> Self { <$t>::wrapping_neg(self) }
            #[inline]
            fn wrapping_abs(self) -> Self { <$t>::wrapping_abs(self) }
        }
    )*};
}
sql_int!(i8, i16, i32, i64);

/// `a + b`, wrapping on overflow.
///
/// ```
/// use streamsql_runtime::func::arith::add;
/// assert_eq!(add(i32::MAX, 1), i32::MIN);
/// assert_eq!(add(127i8, 1), -128);
/// ```
#[inline]
pub fn add<T: SqlInt>(a: T, b: T) -> T {
    a.wrapping_add(b)
}

/// `a - b`, wrapping on overflow.
#[inline]
pub fn sub<T: SqlInt>(a: T, b: T) -> T {
    a.wrapping_sub(b)
}

/// `a * b`, wrapping on overflow.
#[inline]
pub fn mul<T: SqlInt>(a: T, b: T) -> T {
    a.wrapping_mul(b)
}

/// `a / b`, truncating toward zero; by zero is an error. `MIN / -1` is `MIN`.
///
/// ```
/// use streamsql_runtime::func::{arith::div, EvalError};
/// assert_eq!(div(-7, 2), Ok(-3));
/// assert_eq!(div(i64::MIN, -1), Ok(i64::MIN));
/// assert_eq!(div(1, 0), Err(EvalError::DivideByZero));
/// ```
#[inline]
pub fn div<T: SqlInt>(a: T, b: T) -> Result<T, EvalError> {
    if b == T::ZERO {
        return Err(EvalError::DivideByZero);
    }
    Ok(a.wrapping_div(b))
}

/// `a % b` and `MOD(a, b)`: the remainder with the dividend's sign; by zero is an error.
#[inline]
pub fn rem<T: SqlInt>(a: T, b: T) -> Result<T, EvalError> {
    if b == T::ZERO {
        return Err(EvalError::DivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// Unary `-a`, wrapping (`-MIN` is `MIN`).
#[inline]
pub fn neg<T: SqlInt>(a: T) -> T {
    a.wrapping_neg()
}

/// `ABS(a)`, wrapping (`ABS(MIN)` is `MIN`, as Java's `Math.abs`).
#[inline]
pub fn abs<T: SqlInt>(a: T) -> T {
    a.wrapping_abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Observed on Flink 2.3: columns i INT, b BIGINT; TINYINT/SMALLINT via CAST.
    #[test]
    fn wraps_like_flink() {
        assert_eq!(add(2147483647i32, 1), -2147483648);
        assert_eq!(mul(2147483647i32, 2), -2);
        assert_eq!(sub(-2147483648i32, 1), 2147483647);
        assert_eq!(neg(-2147483648i32), -2147483648);
        assert_eq!(abs(-2147483648i32), -2147483648);
        assert_eq!(add(127i8, 1), -128);
        assert_eq!(mul(127i8, 2), -2);
        assert_eq!(mul(-128i8, 2), 0);
        assert_eq!(add(32767i16, 1), -32768);
        assert_eq!(add(9223372036854775807i64, 1), -9223372036854775808);
        assert_eq!(mul(9223372036854775807i64, 2), -2);
        assert_eq!(neg(i64::MIN), i64::MIN);
        assert_eq!(abs(i64::MIN), i64::MIN);
    }

    #[test]
    fn division_truncates() {
        assert_eq!(div(-7i32, 2), Ok(-3));
        assert_eq!(div(7i32, 2), Ok(3));
        assert_eq!(div(-129i32, 2), Ok(-64));
        assert_eq!(rem(-7i32, 2), Ok(-1));
        assert_eq!(rem(-7i32, 3), Ok(-1));
        assert_eq!(rem(7i32, -3), Ok(1));
        assert_eq!(div(i64::MIN, -1), Ok(i64::MIN));
        assert_eq!(rem(i64::MIN, -1), Ok(0));
        assert_eq!(div(i8::MIN, -1), Ok(i8::MIN));
    }

    #[test]
    fn by_zero_fails() {
        // Flink 2.3: `i / 0`, `i % 0`, `MOD(i, 0)`, `b / 0`, TINYINT / 0 all fail the job
        // with "java.lang.ArithmeticException: / by zero".
        assert_eq!(div(1i32, 0), Err(EvalError::DivideByZero));
        assert_eq!(rem(1i32, 0), Err(EvalError::DivideByZero));
        assert_eq!(div(1i64, 0), Err(EvalError::DivideByZero));
        assert_eq!(div(0i8, 0), Err(EvalError::DivideByZero));
        assert_eq!(rem(0i16, 0), Err(EvalError::DivideByZero));
    }
}
