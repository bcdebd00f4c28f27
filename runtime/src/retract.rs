//! Aggregate accumulators for updating (changelog) input: `GROUP BY` over rows that
//! can be retracted.
//!
//! In: one column value per row, through `add` (the row is accumulated: `+I`/`+U`)
//! or `retract` (`-U`/`-D`). Out: the aggregate's SQL value (`value`) over the rows
//! accumulated and not retracted. NULL inputs are ignored; an aggregate with no
//! non-NULL input left is NULL (`COUNT`: 0).
//!
//! Each type is `Default + Clone + Debug`. Checked against Flink 2.3:
//! - `CountAggFunction` / `Count1AggFunction`: `count ± 1`, so a retraction before
//!   its accumulation drives the count negative, as in Flink.
//! - `SumWithRetractAggFunction`: a sum and a count of non-NULL inputs; the sum
//!   starts as NULL and takes the first value as it is (`0 - v` for a first
//!   retraction); the result is NULL while the count is 0. The sum is not reset when
//!   the count returns to 0, so floating-point residue carries on, as in Flink.
//! - `AvgAggFunction` (it retracts too): sum from 0 and count; NULL when the count
//!   is 0; integer AVG divides the `BIGINT` sum by the count, truncating toward 0.
//! - `MinWithRetractAggFunction` / `MaxWithRetractAggFunction`: a map value → count
//!   (Flink's `MapView`), so retracting the current minimum finds the next one.
//!   Values compare with Java's `compareTo` ([`SqlOrd`]): for `DOUBLE`/`FLOAT`,
//!   `-0.0 < 0.0` (two map entries) and NaN is above every number (all NaNs one
//!   entry), so `MAX` of anything with a NaN is NaN and `MIN` ignores NaNs unless
//!   only NaNs remain. Counts may go negative (a retraction before its
//!   accumulation cancels it later, as Flink's map does); only values with a
//!   positive count are candidates. (Flink's `updateMin` would also consider values
//!   with a negative count: that needs malformed input, and is not copied.)
//! - `FirstValueWithRetractAggFunction` / `LastValueWithRetractAggFunction`: values
//!   ordered by arrival (Flink orders by the processing-time millisecond, then by
//!   arrival within one); a retraction removes the earliest-added remaining equal
//!   value; the result is the earliest / latest remaining value.
//! - `COUNT(DISTINCT x)` and other DISTINCT aggregates: Flink keeps a per-value
//!   count in a `MapView` and feeds the aggregate only when a value appears (0 → 1)
//!   or disappears (1 → 0): [`DistinctR`].

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use std::hash::Hash;

use crate::key::FastHashMap;
use crate::{Date, Time, Timestamp, TimestampLtz};

/// `COUNT(*)` (call `add`/`retract` for every row) or `COUNT(x)` (only for
/// non-NULL `x`) over updating input.
///
/// ```
/// let mut c = streamsql_runtime::retract::CountR::default();
/// c.add();
/// c.add();
/// c.retract();
/// assert_eq!(c.value(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountR {
    n: i64,
}

impl CountR {
    pub fn add(&mut self) {
        self.n = self.n.wrapping_add(1);
    }
    pub fn retract(&mut self) {
        self.n = self.n.wrapping_sub(1);
    }
    pub fn value(&self) -> i64 {
        self.n
    }
}

macro_rules! sum_r {
    ($(#[$doc:meta])* $name:ident, $t:ty, $zero:expr, $plus:expr, $minus:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            sum: Option<$t>,
            count: i64,
        }

        impl $name {
            pub fn add(&mut self, v: Option<$t>) {
                if let Some(v) = v {
                    let plus: fn($t, $t) -> $t = $plus;
                    self.sum = Some(self.sum.map_or(v, |s| plus(s, v)));
                    self.count += 1;
                }
            }
            pub fn retract(&mut self, v: Option<$t>) {
                if let Some(v) = v {
                    let minus: fn($t, $t) -> $t = $minus;
                    self.sum = Some(minus(self.sum.unwrap_or($zero), v));
                    self.count -= 1;
                }
            }
            /// NULL while no non-NULL value is left (count 0).
            pub fn value(&self) -> Option<$t> {
                if self.count == 0 { None } else { self.sum }
            }
        }
    };
}

sum_r!(
    /// `SUM` of an integer column (widened to `i64`) over updating input; wraps like
    /// Java's `long`.
    ///
    /// ```
    /// let mut s = streamsql_runtime::retract::SumRI64::default();
    /// s.add(Some(2));
    /// s.add(Some(5));
    /// s.retract(Some(2));
    /// assert_eq!(s.value(), Some(5));
    /// s.retract(Some(5));
    /// assert_eq!(s.value(), None);
    /// ```
    SumRI64,
    i64,
    0,
    i64::wrapping_add,
    i64::wrapping_sub
);

sum_r!(
    /// `SUM` of a `DOUBLE` column over updating input (see the module docs for the
    /// residue Flink keeps).
    ///
    /// ```
    /// let mut s = streamsql_runtime::retract::SumRF64::default();
    /// s.add(Some(0.5));
    /// s.add(None);
    /// s.add(Some(0.25));
    /// s.retract(Some(0.5));
    /// assert_eq!(s.value(), Some(0.25));
    /// ```
    SumRF64,
    f64,
    0.0,
    |a, b| a + b,
    |a, b| a - b
);

sum_r!(
    /// `SUM` of a `FLOAT` column over updating input, added in `FLOAT` as Flink does.
    ///
    /// ```
    /// let mut s = streamsql_runtime::retract::SumRF32::default();
    /// s.retract(Some(1.5));
    /// s.add(Some(1.5));
    /// s.add(Some(2.0));
    /// assert_eq!(s.value(), Some(2.0));
    /// ```
    SumRF32,
    f32,
    0.0,
    |a, b| a + b,
    |a, b| a - b
);

/// `AVG` of an integer column over updating input: the `BIGINT` sum divided by the
/// count, truncated toward zero (as [`AvgI64`](crate::agg::AvgI64)).
///
/// ```
/// let mut a = streamsql_runtime::retract::AvgRI64::default();
/// for v in [-3, -4, 100] {
///     a.add(Some(v));
/// }
/// a.retract(Some(100));
/// assert_eq!(a.value(), Some(-3)); // -7 / 2
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AvgRI64 {
    sum: i64,
    count: i64,
}

impl AvgRI64 {
    pub fn add(&mut self, v: Option<i64>) {
        if let Some(v) = v {
            self.sum = self.sum.wrapping_add(v);
            self.count += 1;
        }
    }
    pub fn retract(&mut self, v: Option<i64>) {
        if let Some(v) = v {
            self.sum = self.sum.wrapping_sub(v);
            self.count -= 1;
        }
    }
    pub fn value(&self) -> Option<i64> {
        // `wrapping_div`: only i64::MIN / -1 (a negative count) would overflow.
        (self.count != 0).then(|| self.sum.wrapping_div(self.count))
    }
}

/// `AVG` of a `FLOAT`/`DOUBLE` column over updating input (sum in `DOUBLE`).
///
/// ```
/// let mut a = streamsql_runtime::retract::AvgRF64::default();
/// a.add(Some(1.0));
/// a.add(Some(2.0));
/// a.add(Some(6.0));
/// a.retract(Some(6.0));
/// assert_eq!(a.value(), Some(1.5));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AvgRF64 {
    sum: f64,
    count: i64,
}

impl AvgRF64 {
    pub fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum += v;
            self.count += 1;
        }
    }
    pub fn retract(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum -= v;
            self.count -= 1;
        }
    }
    pub fn value(&self) -> Option<f64> {
        (self.count != 0).then(|| self.sum / self.count as f64)
    }
}

/// The order `MIN`/`MAX` with retraction compare values in: Java's `compareTo` of
/// the value's boxed type, a total order.
///
/// Integers, `bool` (`false < true`), dates and timestamps use their natural order.
/// `f64`/`f32` follow `Double.compare`: `-0.0 < 0.0`, and every NaN equals every
/// other NaN and is greater than `+∞`.
///
/// ```
/// use std::cmp::Ordering;
/// use streamsql_runtime::retract::SqlOrd;
/// assert_eq!((-0.0f64).sql_cmp(&0.0), Ordering::Less);
/// assert_eq!(f64::NAN.sql_cmp(&f64::INFINITY), Ordering::Greater);
/// assert_eq!(f64::NAN.sql_cmp(&-f64::NAN), Ordering::Equal);
/// ```
pub trait SqlOrd: Copy + PartialOrd {
    fn sql_cmp(&self, other: &Self) -> Ordering;
}

macro_rules! sql_ord_total {
    ($($t:ty),*) => {$(
        impl SqlOrd for $t {
            fn sql_cmp(&self, other: &Self) -> Ordering {
                Ord::cmp(self, other)
            }
        }
    )*};
}

sql_ord_total!(i8, i16, i32, i64, bool, Timestamp, TimestampLtz, Date, Time);

macro_rules! sql_ord_float {
    ($($t:ty),*) => {$(
        impl SqlOrd for $t {
            fn sql_cmp(&self, other: &Self) -> Ordering {
                match (self.is_nan(), other.is_nan()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    // Without NaNs `total_cmp` is IEEE order with -0.0 < 0.0.
                    (false, false) => self.total_cmp(other),
                }
            }
        }
    )*};
}

sql_ord_float!(f32, f64);

/// A value ordered by [`SqlOrd`], to key a `BTreeMap`.
#[derive(Clone, Copy, Debug)]
struct ByOrd<T>(T);

impl<T: SqlOrd> PartialEq for ByOrd<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.sql_cmp(&other.0) == Ordering::Equal
    }
}

impl<T: SqlOrd> Eq for ByOrd<T> {}

impl<T: SqlOrd> PartialOrd for ByOrd<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: SqlOrd> Ord for ByOrd<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.sql_cmp(&other.0)
    }
}

/// Ordered value → count (Flink's `MapView` plus its `mapSize`): counts may be
/// negative; `live` is the number of values with a positive count.
#[derive(Clone, Debug)]
struct Counts<K> {
    map: BTreeMap<K, i64>,
    live: usize,
}

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Self {
            map: BTreeMap::new(),
            live: 0,
        }
    }
}

impl<K: Ord> Counts<K> {
    /// `own` makes the owned key, only when the value is not in the map.
    fn add<Q: ?Sized + Ord>(&mut self, q: &Q, own: impl FnOnce(&Q) -> K)
    where
        K: Borrow<Q>,
    {
        match self.map.get_mut(q) {
            Some(c) => {
                // From -1 to 0: the value cancels an earlier retraction. (0 is never
                // stored, so no count goes from 0 to 1 here.)
                *c += 1;
                if *c == 0 {
                    self.map.remove(q);
                }
            }
            None => {
                self.map.insert(own(q), 1);
                self.live += 1;
            }
        }
    }

    fn retract<Q: ?Sized + Ord>(&mut self, q: &Q, own: impl FnOnce(&Q) -> K)
    where
        K: Borrow<Q>,
    {
        match self.map.get_mut(q) {
            Some(c) => {
                *c -= 1;
                if *c == 0 {
                    self.map.remove(q);
                    self.live -= 1;
                }
            }
            None => {
                self.map.insert(own(q), -1);
            }
        }
    }

    fn min(&self) -> Option<&K> {
        if self.live == 0 {
            return None;
        }
        self.map.iter().find(|(_, c)| **c > 0).map(|(k, _)| k)
    }

    fn max(&self) -> Option<&K> {
        if self.live == 0 {
            return None;
        }
        self.map.iter().rev().find(|(_, c)| **c > 0).map(|(k, _)| k)
    }
}

/// `MIN` over updating input of numbers, `bool`, dates and timestamps (see
/// [`SqlOrd`] for the order and the module docs for Flink's rules).
///
/// ```
/// let mut m = streamsql_runtime::retract::MinR::<i64>::default();
/// for v in [Some(3), None, Some(1), Some(1), Some(2)] {
///     m.add(v);
/// }
/// m.retract(Some(1));
/// assert_eq!(m.value(), Some(1)); // one 1 is left
/// m.retract(Some(1));
/// assert_eq!(m.value(), Some(2));
/// ```
#[derive(Clone, Debug)]
pub struct MinR<T> {
    counts: Counts<ByOrd<T>>,
}

/// `MAX` over updating input (see [`MinR`]).
///
/// ```
/// let mut m = streamsql_runtime::retract::MaxR::<f64>::default();
/// m.add(Some(1.5));
/// m.add(Some(f64::NAN));
/// assert!(m.value().is_some_and(f64::is_nan)); // NaN is the greatest, as in Java
/// m.retract(Some(f64::NAN));
/// assert_eq!(m.value(), Some(1.5));
/// ```
#[derive(Clone, Debug)]
pub struct MaxR<T> {
    counts: Counts<ByOrd<T>>,
}

impl<T> Default for MinR<T> {
    fn default() -> Self {
        Self {
            counts: Counts::default(),
        }
    }
}

impl<T> Default for MaxR<T> {
    fn default() -> Self {
        Self {
            counts: Counts::default(),
        }
    }
}

impl<T: SqlOrd> MinR<T> {
    pub fn add(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.counts.add(&ByOrd(v), |k| *k);
        }
    }
    pub fn retract(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.counts.retract(&ByOrd(v), |k| *k);
        }
    }
    pub fn value(&self) -> Option<T> {
        self.counts.min().map(|k| k.0)
    }
}

impl<T: SqlOrd> MaxR<T> {
    pub fn add(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.counts.add(&ByOrd(v), |k| *k);
        }
    }
    pub fn retract(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.counts.retract(&ByOrd(v), |k| *k);
        }
    }
    pub fn value(&self) -> Option<T> {
        self.counts.max().map(|k| k.0)
    }
}

/// `MIN` of a `STRING` column over updating input. Strings compare by UTF-8 bytes,
/// as Flink's `BinaryStringData.compareTo` (and [`MinStr`](crate::agg::MinStr)).
/// A value is copied only the first time it is seen.
///
/// ```
/// let mut m = streamsql_runtime::retract::MinRStr::default();
/// for v in [Some("b"), Some("a"), None, Some("é")] {
///     m.add(v);
/// }
/// m.retract(Some("a"));
/// assert_eq!(m.value(), Some("b"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct MinRStr {
    counts: Counts<Box<str>>,
}

/// `MAX` of a `STRING` column over updating input (see [`MinRStr`]).
///
/// ```
/// let mut m = streamsql_runtime::retract::MaxRStr::default();
/// for v in [Some("b"), Some("a"), Some("é")] {
///     m.add(v);
/// }
/// m.retract(Some("é"));
/// assert_eq!(m.value(), Some("b"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct MaxRStr {
    counts: Counts<Box<str>>,
}

impl MinRStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v {
            self.counts.add(v, |s: &str| s.into());
        }
    }
    pub fn retract(&mut self, v: Option<&str>) {
        if let Some(v) = v {
            self.counts.retract(v, |s: &str| s.into());
        }
    }
    pub fn value(&self) -> Option<&str> {
        self.counts.min().map(|s| &**s)
    }
}

impl MaxRStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v {
            self.counts.add(v, |s: &str| s.into());
        }
    }
    pub fn retract(&mut self, v: Option<&str>) {
        if let Some(v) = v {
            self.counts.retract(v, |s: &str| s.into());
        }
    }
    pub fn value(&self) -> Option<&str> {
        self.counts.max().map(|s| &**s)
    }
}

/// Reference counts of the distinct non-NULL values of a column, for `COUNT(DISTINCT
/// x)` ([`len`](Self::len)) and other DISTINCT aggregates over updating input: the
/// generator feeds the inner aggregate only when [`add`](Self::add) returns true
/// (the value appeared) and retracts from it only when [`retract`](Self::retract)
/// returns true (it disappeared).
///
/// `K` is the owned value (`i64`, `Box<str>`, an encoded key `Box<[u8]>`), looked up
/// by its borrowed form (`&i64`, `&str`, `&[u8]`): a value already present costs one
/// hash lookup and no allocation. Floating-point values should go through
/// [`KeyWriter`](crate::key::KeyWriter) (one NaN, `-0.0` apart from `0.0`, as Flink).
///
/// ```
/// use streamsql_runtime::retract::DistinctR;
/// let mut macs: DistinctR<Box<str>> = DistinctR::default();
/// assert!(macs.add("aa:bb"));
/// assert!(!macs.add("aa:bb"));
/// assert!(macs.add("cc:dd"));
/// assert!(!macs.retract("aa:bb")); // one "aa:bb" is left
/// assert!(macs.retract("aa:bb"));
/// assert!(!macs.retract("ee:ff")); // absent: ignored
/// assert_eq!(macs.len(), 1);
///
/// let mut ids: DistinctR<i64> = DistinctR::default();
/// assert!(ids.add(&7));
/// assert_eq!(ids.len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct DistinctR<K> {
    counts: FastHashMap<K, u64>,
}

impl<K> Default for DistinctR<K> {
    fn default() -> Self {
        Self {
            counts: FastHashMap::default(),
        }
    }
}

impl<K: Hash + Eq> DistinctR<K> {
    /// Counts one more `v`; true when it was absent (the count went 0 → 1).
    pub fn add<Q>(&mut self, v: &Q) -> bool
    where
        K: Borrow<Q> + From<Q::Owned>,
        Q: ?Sized + Hash + Eq + ToOwned,
    {
        if let Some(c) = self.counts.get_mut(v) {
            *c += 1;
            return false;
        }
        self.counts.insert(K::from(v.to_owned()), 1);
        true
    }

    /// Counts one `v` less; true when it became absent (1 → 0). Retracting an
    /// absent value is ignored (false).
    pub fn retract<Q>(&mut self, v: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        match self.counts.get_mut(v) {
            Some(c) if *c > 1 => {
                *c -= 1;
                false
            }
            Some(_) => {
                self.counts.remove(v);
                true
            }
            None => false,
        }
    }

    pub fn contains<Q>(&self, v: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.counts.contains_key(v)
    }

    /// The number of distinct values present.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The distinct values, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.counts.keys()
    }
}

/// Equal as Java's `equals` of a boxed value: like `==`, except that NaN equals NaN.
/// (`-0.0 == 0.0` here, where `Double.equals` tells them apart.)
#[allow(clippy::eq_op)]
fn same<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b || (a != a && b != b)
}

/// The values accumulated and not retracted, in arrival order.
#[derive(Clone, Debug)]
struct Arrivals<T> {
    values: VecDeque<T>,
}

impl<T> Default for Arrivals<T> {
    fn default() -> Self {
        Self {
            values: VecDeque::new(),
        }
    }
}

impl<T: PartialEq> Arrivals<T> {
    fn retract(&mut self, v: &T) {
        if let Some(i) = self.values.iter().position(|x| same(x, v)) {
            self.values.remove(i);
        }
    }
}

/// `LAST_VALUE(x)` over updating input: the latest-added non-NULL value not
/// retracted (Flink's `LastValueWithRetractAggFunction`). A retraction removes the
/// earliest-added remaining equal value; retracting an absent value is ignored.
///
/// ```
/// let mut l = streamsql_runtime::retract::LastValueR::<i64>::default();
/// for v in [Some(1), Some(2), None, Some(1)] {
///     l.add(v);
/// }
/// assert_eq!(l.value(), Some(&1));
/// l.retract(Some(&1)); // the first 1
/// assert_eq!(l.value(), Some(&1));
/// l.retract(Some(&1));
/// assert_eq!(l.value(), Some(&2));
/// ```
#[derive(Clone, Debug)]
pub struct LastValueR<T> {
    arrivals: Arrivals<T>,
}

/// `FIRST_VALUE(x)` over updating input: the earliest-added non-NULL value not
/// retracted (Flink's `FirstValueWithRetractAggFunction`).
///
/// ```
/// let mut f = streamsql_runtime::retract::FirstValueR::<Box<str>>::default();
/// for v in ["a", "b", "a"] {
///     f.add(Some(v.into()));
/// }
/// f.retract(Some(&"a".into()));
/// assert_eq!(f.value().map(|s| &**s), Some("b"));
/// ```
#[derive(Clone, Debug)]
pub struct FirstValueR<T> {
    arrivals: Arrivals<T>,
}

impl<T> Default for LastValueR<T> {
    fn default() -> Self {
        Self {
            arrivals: Arrivals::default(),
        }
    }
}

impl<T> Default for FirstValueR<T> {
    fn default() -> Self {
        Self {
            arrivals: Arrivals::default(),
        }
    }
}

impl<T: Clone + PartialEq> LastValueR<T> {
    pub fn add(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.arrivals.values.push_back(v);
        }
    }
    pub fn retract(&mut self, v: Option<&T>) {
        if let Some(v) = v {
            self.arrivals.retract(v);
        }
    }
    pub fn value(&self) -> Option<&T> {
        self.arrivals.values.back()
    }
}

impl<T: Clone + PartialEq> FirstValueR<T> {
    pub fn add(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.arrivals.values.push_back(v);
        }
    }
    pub fn retract(&mut self, v: Option<&T>) {
        if let Some(v) = v {
            self.arrivals.retract(v);
        }
    }
    pub fn value(&self) -> Option<&T> {
        self.arrivals.values.front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64: a fixed, dependency-free stream of test cases.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn retract_count_goes_negative_like_flink() {
        let mut c = CountR::default();
        c.retract();
        assert_eq!(c.value(), -1);
        c.add();
        c.add();
        assert_eq!(c.value(), 1);
    }

    #[test]
    fn retract_sum_null_rules() {
        let mut s = SumRI64::default();
        s.add(None);
        assert_eq!(s.value(), None);
        s.add(Some(i64::MAX));
        s.add(Some(1));
        assert_eq!(s.value(), Some(i64::MIN), "wraps");
        s.retract(Some(1));
        s.retract(None);
        assert_eq!(s.value(), Some(i64::MAX));
        s.retract(Some(i64::MAX));
        assert_eq!(s.value(), None, "count 0: NULL even though sum is 0");
        // A retraction first: 0 - v, count -1, which is not 0: Flink shows the sum.
        let mut r = SumRI64::default();
        r.retract(Some(3));
        assert_eq!(r.value(), Some(-3));
        r.add(Some(3));
        assert_eq!(r.value(), None);

        let mut f = SumRF64::default();
        f.add(Some(-0.0));
        assert!(f.value().is_some_and(|v| v == 0.0 && v.is_sign_negative()));
        f.add(Some(0.1));
        f.add(Some(0.2));
        f.retract(Some(0.1));
        f.retract(Some(0.2));
        f.retract(Some(-0.0));
        assert_eq!(f.value(), None);
        f.add(Some(1.0));
        // The residue of 0.1 + 0.2 - 0.1 - 0.2 stays in the sum, as in Flink.
        let residue = ((-0.0 + 0.1) + 0.2 - 0.1) - 0.2 - -0.0;
        assert_eq!(f.value(), Some(residue + 1.0));

        let mut g = SumRF32::default();
        g.add(Some(16_777_216.0));
        g.add(Some(1.0));
        assert_eq!(g.value(), Some(16_777_216.0), "FLOAT arithmetic");
        g.retract(Some(16_777_216.0));
        assert_eq!(g.value(), Some(0.0));
    }

    #[test]
    fn retract_avg() {
        let mut a = AvgRI64::default();
        assert_eq!(a.value(), None);
        a.add(Some(-1));
        a.add(Some(-2));
        assert_eq!(a.value(), Some(-1), "truncates toward zero");
        a.retract(Some(-1));
        a.retract(Some(-2));
        assert_eq!(a.value(), None);
        let mut f = AvgRF64::default();
        f.add(None);
        assert_eq!(f.value(), None);
        f.add(Some(3.0));
        f.retract(Some(3.0));
        f.retract(None);
        assert_eq!(f.value(), None);
    }

    #[test]
    fn retract_min_max_against_a_multiset() {
        let mut r = Rng(0x1234_5678);
        for _ in 0..200 {
            let mut mn = MinR::<i64>::default();
            let mut mx = MaxR::<i64>::default();
            let mut smn = MinRStr::default();
            let mut smx = MaxRStr::default();
            let mut bag: Vec<i64> = vec![];
            for _ in 0..60 {
                let v = r.below(8) as i64 - 4;
                let s = format!("s{v}");
                if !bag.is_empty() && r.below(3) == 0 {
                    let v = bag.swap_remove(r.below(bag.len()));
                    let s = format!("s{v}");
                    mn.retract(Some(v));
                    mx.retract(Some(v));
                    smn.retract(Some(&s));
                    smx.retract(Some(&s));
                } else if r.below(6) == 0 {
                    mn.add(None);
                    smx.add(None);
                } else {
                    bag.push(v);
                    mn.add(Some(v));
                    mx.add(Some(v));
                    smn.add(Some(&s));
                    smx.add(Some(&s));
                }
                assert_eq!(mn.value(), bag.iter().copied().min());
                assert_eq!(mx.value(), bag.iter().copied().max());
                let strs: Vec<String> = bag.iter().map(|v| format!("s{v}")).collect();
                assert_eq!(smn.value(), strs.iter().map(String::as_str).min());
                assert_eq!(smx.value(), strs.iter().map(String::as_str).max());
            }
        }
    }

    #[test]
    fn retract_min_max_floats_java_order() {
        let mut mn = MinR::<f64>::default();
        let mut mx = MaxR::<f64>::default();
        for v in [0.0, -0.0, f64::NAN, 1.0] {
            mn.add(Some(v));
            mx.add(Some(v));
        }
        assert!(mn.value().is_some_and(|v| v == 0.0 && v.is_sign_negative()));
        assert!(mx.value().is_some_and(f64::is_nan));
        mn.retract(Some(-0.0));
        assert!(mn.value().is_some_and(|v| v == 0.0 && v.is_sign_positive()));
        // A NaN with another payload is the same entry.
        mx.retract(Some(-f64::NAN));
        assert_eq!(mx.value(), Some(1.0));
        mn.retract(Some(0.0));
        mn.retract(Some(1.0));
        assert!(mn.value().is_some_and(f64::is_nan), "only NaN left");
        let mut d = MinR::<Date>::default();
        d.add(Some(Date(3)));
        d.add(Some(Date(-3)));
        assert_eq!(d.value(), Some(Date(-3)));
        let mut b = MaxR::<bool>::default();
        b.add(Some(false));
        b.add(Some(true));
        b.retract(Some(true));
        assert_eq!(b.value(), Some(false));
    }

    #[test]
    fn retract_min_before_add_cancels() {
        let mut m = MinR::<i32>::default();
        m.retract(Some(1));
        assert_eq!(m.value(), None);
        m.add(Some(5));
        assert_eq!(m.value(), Some(5));
        m.add(Some(1));
        assert_eq!(m.value(), Some(5), "the early retraction cancelled this 1");
        m.add(Some(1));
        assert_eq!(m.value(), Some(1));
        m.retract(Some(5));
        m.retract(Some(1));
        assert_eq!(m.value(), None);
        let mut s = MaxRStr::default();
        s.retract(Some("z"));
        s.add(Some("a"));
        assert_eq!(s.value(), Some("a"));
    }

    #[test]
    fn retract_distinct_counts_references() {
        let mut d: DistinctR<Box<str>> = DistinctR::default();
        assert!(d.is_empty());
        assert!(d.add("a"));
        assert!(!d.add("a"));
        assert!(!d.retract("b"));
        assert!(!d.retract("a"));
        assert!(d.contains("a"));
        assert!(d.retract("a"));
        assert!(!d.retract("a"), "absent again: ignored");
        assert!(d.add("a"), "0 -> 1 again");
        assert_eq!(d.len(), 1);
        let mut b: DistinctR<Box<[u8]>> = DistinctR::default();
        assert!(b.add(&b"\x01x"[..]));
        assert_eq!(b.iter().count(), 1);
        let mut r = Rng(99);
        let mut i: DistinctR<i64> = DistinctR::default();
        let mut model: Vec<i64> = vec![];
        for _ in 0..2000 {
            let v = r.below(10) as i64;
            if r.below(2) == 0 {
                let was = model.contains(&v);
                model.push(v);
                assert_eq!(i.add(&v), !was);
            } else {
                let pos = model.iter().position(|x| *x == v);
                if let Some(p) = pos {
                    model.swap_remove(p);
                }
                assert_eq!(i.retract(&v), pos.is_some() && !model.contains(&v));
            }
            let mut distinct = model.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(i.len(), distinct.len());
        }
    }

    #[test]
    fn retract_first_last_value_arrival_order() {
        let mut r = Rng(7);
        for _ in 0..100 {
            let mut f = FirstValueR::<i64>::default();
            let mut l = LastValueR::<i64>::default();
            let mut model: Vec<i64> = vec![];
            for _ in 0..40 {
                let v = r.below(5) as i64;
                match r.below(4) {
                    0 => {
                        f.retract(Some(&v));
                        l.retract(Some(&v));
                        if let Some(p) = model.iter().position(|x| *x == v) {
                            model.remove(p);
                        }
                    }
                    1 => {
                        f.add(None);
                        l.retract(None);
                    }
                    _ => {
                        f.add(Some(v));
                        l.add(Some(v));
                        model.push(v);
                    }
                }
                assert_eq!(f.value(), model.first());
                assert_eq!(l.value(), model.last());
            }
        }
        let mut n = LastValueR::<f64>::default();
        n.add(Some(1.0));
        n.add(Some(f64::NAN));
        n.retract(Some(&f64::NAN));
        assert_eq!(n.value(), Some(&1.0), "NaN retracts NaN, as Double.equals");
    }
}
