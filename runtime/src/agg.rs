//! Aggregate accumulators for append-only input.
//!
//! In: one column value per row (`add`), and for session windows other accumulators
//! of the same aggregate (`merge`). Out: the aggregate's SQL value (`value`), with
//! Flink's NULL rules: NULL inputs are skipped, and an aggregate that saw no non-NULL
//! input is NULL (except `COUNT`, which is 0).
//!
//! Each type is `Default + Clone + Debug`, has an inherent `merge` (so generated
//! code can call it without importing a trait) and implements
//! [`Accumulator`](crate::window::Accumulator). Tuples of accumulators implement
//! `Accumulator` too, field by field.
//!
//! Checked against Flink 2.3: `SumAggFunction` (NULL until a non-NULL input, Java
//! `long` arithmetic wraps), `AvgAggFunction` (sum and count of non-NULL inputs,
//! `sum / count` in the input's integer type, i.e. truncated toward zero; NULL when
//! the count is 0), `MinAggFunction`/`MaxAggFunction` (strict `<` / `>` against the
//! current value), `FirstValueAggFunction`/`LastValueAggFunction` (NULL inputs are
//! ignored: first non-NULL / last non-NULL in arrival order).

use crate::key::FastHashSet;
use crate::window::Accumulator;

/// `COUNT(*)` (call `add` for every row) or `COUNT(x)` (only for non-NULL `x`).
///
/// ```
/// let mut c = streamsql_runtime::agg::Count::default();
/// c.add();
/// c.add();
/// assert_eq!(c.value(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub n: i64,
}

impl Count {
    pub fn add(&mut self) {
        self.n = self.n.wrapping_add(1);
    }
    pub fn merge(&mut self, other: &Self) {
        self.n = self.n.wrapping_add(other.n);
    }
    pub fn value(&self) -> i64 {
        self.n
    }
}

/// `SUM` of any integer column (widened to `i64`); wraps like Java's `long`.
///
/// ```
/// let mut s = streamsql_runtime::agg::SumI64::default();
/// assert_eq!(s.value(), None);
/// s.add(None);
/// assert_eq!(s.value(), None);
/// s.add(Some(2));
/// s.add(Some(-5));
/// assert_eq!(s.value(), Some(-3));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SumI64 {
    sum: i64,
    any: bool,
}

impl SumI64 {
    pub fn add(&mut self, v: Option<i64>) {
        if let Some(v) = v {
            self.sum = self.sum.wrapping_add(v);
            self.any = true;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        if other.any {
            self.add(Some(other.sum));
        }
    }
    pub fn value(&self) -> Option<i64> {
        self.any.then_some(self.sum)
    }
}

/// `SUM` of a `DOUBLE` column. The first value is taken as it is (Flink's
/// `SumAggFunction` starts from NULL, not 0: a lone `-0.0` sums to `-0.0`).
///
/// ```
/// let mut s = streamsql_runtime::agg::SumF64::default();
/// s.add(Some(0.5));
/// s.add(Some(0.25));
/// assert_eq!(s.value(), Some(0.75));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SumF64 {
    sum: f64,
    any: bool,
}

impl SumF64 {
    pub fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum = if self.any { self.sum + v } else { v };
            self.any = true;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        if other.any {
            self.add(Some(other.sum));
        }
    }
    pub fn value(&self) -> Option<f64> {
        self.any.then_some(self.sum)
    }
}

/// `SUM` of a `FLOAT` column, added in `FLOAT` as Flink does (its sum has the
/// argument's type), so precision is lost where a `DOUBLE` sum would keep it.
///
/// ```
/// let mut s = streamsql_runtime::agg::SumF32::default();
/// for v in [16_777_216.0, 1.0, 1.0] {
///     s.add(Some(v));
/// }
/// assert_eq!(s.value(), Some(16_777_216.0));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SumF32 {
    sum: f32,
    any: bool,
}

impl SumF32 {
    pub fn add(&mut self, v: Option<f32>) {
        if let Some(v) = v {
            self.sum = if self.any { self.sum + v } else { v };
            self.any = true;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        if other.any {
            self.add(Some(other.sum));
        }
    }
    pub fn value(&self) -> Option<f32> {
        self.any.then_some(self.sum)
    }
}

/// `AVG` of an integer column: an integer, truncated toward zero (Flink's
/// `AvgAggFunction` divides the `BIGINT` sum by the count in integer arithmetic;
/// the generator casts the result back to the column's type).
///
/// ```
/// let mut a = streamsql_runtime::agg::AvgI64::default();
/// for v in [Some(-3), None, Some(-4)] {
///     a.add(v);
/// }
/// assert_eq!(a.value(), Some(-3)); // -7 / 2 truncated toward zero
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AvgI64 {
    sum: i64,
    count: i64,
}

impl AvgI64 {
    pub fn add(&mut self, v: Option<i64>) {
        if let Some(v) = v {
            self.sum = self.sum.wrapping_add(v);
            self.count += 1;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.sum = self.sum.wrapping_add(other.sum);
        self.count += other.count;
    }
    pub fn value(&self) -> Option<i64> {
        // Rust's `/` truncates toward zero like Java's; count > 0 here, so no overflow.
        (self.count != 0).then(|| self.sum.wrapping_div(self.count))
    }
}

/// `AVG` of a `FLOAT`/`DOUBLE` column.
///
/// ```
/// let mut a = streamsql_runtime::agg::AvgF64::default();
/// a.add(Some(1.0));
/// a.add(Some(2.0));
/// assert_eq!(a.value(), Some(1.5));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AvgF64 {
    sum: f64,
    count: i64,
}

impl AvgF64 {
    pub fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum += v;
            self.count += 1;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.sum += other.sum;
        self.count += other.count;
    }
    pub fn value(&self) -> Option<f64> {
        (self.count != 0).then(|| self.sum / self.count as f64)
    }
}

/// `MIN` of numbers, timestamps, dates (anything `PartialOrd + Clone`).
///
/// ```
/// let mut m = streamsql_runtime::agg::Min::<i64>::default();
/// for v in [Some(3), None, Some(-1), Some(2)] {
///     m.add(v);
/// }
/// assert_eq!(m.value(), Some(-1));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Min<T> {
    v: Option<T>,
}

/// `MAX` of numbers, timestamps, dates (anything `PartialOrd + Clone`).
///
/// ```
/// let mut m = streamsql_runtime::agg::Max::<f64>::default();
/// m.add(Some(1.5));
/// m.add(Some(-2.0));
/// assert_eq!(m.value(), Some(1.5));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Max<T> {
    v: Option<T>,
}

// Written by hand: `derive(Default)` would require `T: Default`.
impl<T> Default for Min<T> {
    fn default() -> Self {
        Self { v: None }
    }
}

impl<T> Default for Max<T> {
    fn default() -> Self {
        Self { v: None }
    }
}

impl<T: PartialOrd + Clone> Min<T> {
    pub fn add(&mut self, v: Option<T>) {
        // Replace only when strictly smaller, as Flink's `lessThan` does (so a NaN
        // never replaces a number, and a first NaN stays).
        if let Some(v) = v
            && self.v.as_ref().is_none_or(|cur| v < *cur)
        {
            self.v = Some(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.v.clone());
    }
    pub fn value(&self) -> Option<T> {
        self.v.clone()
    }
}

impl<T: PartialOrd + Clone> Max<T> {
    pub fn add(&mut self, v: Option<T>) {
        if let Some(v) = v
            && self.v.as_ref().is_none_or(|cur| v > *cur)
        {
            self.v = Some(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.v.clone());
    }
    pub fn value(&self) -> Option<T> {
        self.v.clone()
    }
}

/// A string slot. Values up to 24 bytes (codes, times, ids: most grouped values) are
/// kept inline, so a new group's accumulators allocate nothing (callgrind, customer
/// positions: ~160 instructions per `MAX(string)` added with a `String`, most of it
/// allocation); a longer one goes to a buffer that later values overwrite.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct StrSlot(Option<compact_str::CompactString>);

impl StrSlot {
    fn is_set(&self) -> bool {
        self.0.is_some()
    }
    fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
    fn put(&mut self, v: &str) {
        match &mut self.0 {
            Some(s) => {
                s.clear();
                s.push_str(v);
            }
            None => self.0 = Some(compact_str::CompactString::new(v)),
        }
    }
}

/// `MIN` of a `STRING` column. Strings compare by UTF-8 bytes (= code points),
/// as Flink's `BinaryStringData.compareTo` does; that is Rust's `str` order.
///
/// ```
/// let mut m = streamsql_runtime::agg::MinStr::default();
/// for v in [Some("b"), None, Some("a"), Some("é")] {
///     m.add(v);
/// }
/// assert_eq!(m.value(), Some("a"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MinStr {
    slot: StrSlot,
}

/// `MAX` of a `STRING` column (see [`MinStr`] for the order).
///
/// ```
/// let mut m = streamsql_runtime::agg::MaxStr::default();
/// for v in [Some("b"), Some("a"), Some("é")] {
///     m.add(v);
/// }
/// assert_eq!(m.value(), Some("é"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MaxStr {
    slot: StrSlot,
}

impl MinStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v
            && self.slot.get().is_none_or(|cur| v < cur)
        {
            self.slot.put(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.value());
    }
    pub fn value(&self) -> Option<&str> {
        self.slot.get()
    }
}

impl MaxStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v
            && self.slot.get().is_none_or(|cur| v > cur)
        {
            self.slot.put(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.value());
    }
    pub fn value(&self) -> Option<&str> {
        self.slot.get()
    }
}

/// `FIRST_VALUE(x)`: the first non-NULL `x` in arrival order (Flink's
/// `FirstValueAggFunction` skips NULLs). Merging keeps `self`'s value (the
/// earlier session) unless it has none.
///
/// ```
/// let mut f = streamsql_runtime::agg::FirstValue::<i64>::default();
/// for v in [None, Some(7), Some(8)] {
///     f.add(v);
/// }
/// assert_eq!(f.value(), Some(7));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FirstValue<T> {
    v: Option<T>,
}

/// `LAST_VALUE(x)`: the last non-NULL `x` in arrival order (Flink's
/// `LastValueAggFunction` skips NULLs). Merging takes `other`'s value (the later
/// session) if it has one.
///
/// ```
/// let mut l = streamsql_runtime::agg::LastValue::<i64>::default();
/// for v in [Some(7), Some(8), None] {
///     l.add(v);
/// }
/// assert_eq!(l.value(), Some(8));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LastValue<T> {
    v: Option<T>,
}

impl<T> Default for FirstValue<T> {
    fn default() -> Self {
        Self { v: None }
    }
}

impl<T> Default for LastValue<T> {
    fn default() -> Self {
        Self { v: None }
    }
}

impl<T: Clone> FirstValue<T> {
    pub fn add(&mut self, v: Option<T>) {
        if self.v.is_none() {
            self.v = v;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        if self.v.is_none() {
            self.v.clone_from(&other.v);
        }
    }
    pub fn value(&self) -> Option<T> {
        self.v.clone()
    }
}

impl<T: Clone> LastValue<T> {
    pub fn add(&mut self, v: Option<T>) {
        if v.is_some() {
            self.v = v;
        }
    }
    pub fn merge(&mut self, other: &Self) {
        if other.v.is_some() {
            self.v.clone_from(&other.v);
        }
    }
    pub fn value(&self) -> Option<T> {
        self.v.clone()
    }
}

/// `FIRST_VALUE` of a `STRING` column (copies the first non-NULL value once).
///
/// ```
/// let mut f = streamsql_runtime::agg::FirstValueStr::default();
/// for v in [None, Some("a"), Some("b")] {
///     f.add(v);
/// }
/// assert_eq!(f.value(), Some("a"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstValueStr {
    slot: StrSlot,
}

/// `LAST_VALUE` of a `STRING` column (overwrites its buffer in place).
///
/// ```
/// let mut l = streamsql_runtime::agg::LastValueStr::default();
/// for v in [Some("a"), Some("b"), None] {
///     l.add(v);
/// }
/// assert_eq!(l.value(), Some("b"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LastValueStr {
    slot: StrSlot,
}

impl FirstValueStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v
            && !self.slot.is_set()
        {
            self.slot.put(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.value());
    }
    pub fn value(&self) -> Option<&str> {
        self.slot.get()
    }
}

impl LastValueStr {
    pub fn add(&mut self, v: Option<&str>) {
        if let Some(v) = v {
            self.slot.put(v);
        }
    }
    pub fn merge(&mut self, other: &Self) {
        self.add(other.value());
    }
    pub fn value(&self) -> Option<&str> {
        self.slot.get()
    }
}

/// The distinct non-NULL values of a column, encoded with
/// [`KeyWriter`](crate::key::KeyWriter) (so NaNs count once; `-0.0` and `0.0` count twice, as in Flink).
/// `COUNT(DISTINCT x)` is [`len`](Self::len); for `SUM(DISTINCT x)` the generator
/// adds `x` only when [`insert`](Self::insert) returns true.
///
/// ```
/// let mut d = streamsql_runtime::agg::Distinct::default();
/// assert!(d.insert(b"\x01a"));
/// assert!(!d.insert(b"\x01a"));
/// assert!(d.insert(b"\x01b"));
/// assert_eq!(d.len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Distinct {
    set: FastHashSet<Box<[u8]>>,
}

impl Distinct {
    /// True when `encoded` was not in the set (allocates only then).
    pub fn insert(&mut self, encoded: &[u8]) -> bool {
        if self.set.contains(encoded) {
            return false;
        }
        self.set.insert(encoded.into())
    }
    pub fn len(&self) -> usize {
        self.set.len()
    }
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
    /// The encoded values, in no particular order (to recompute a `SUM(DISTINCT)`
    /// after a merge).
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.set.iter().map(|b| &b[..])
    }
    /// Union.
    pub fn merge(&mut self, other: &Self) {
        for v in &other.set {
            self.insert(v);
        }
    }
}

// `Accumulator` for every accumulator here: delegate to the inherent `merge`.
macro_rules! accumulator {
    ($($t:ty),* $(,)?) => {$(
        impl Accumulator for $t {
            fn merge(&mut self, other: &Self) {
                <$t>::merge(self, other)
            }
        }
    )*};
}

accumulator!(
    Count,
    SumI64,
    SumF64,
    SumF32,
    AvgI64,
    AvgF64,
    MinStr,
    MaxStr,
    FirstValueStr,
    LastValueStr,
    Distinct,
);

impl<T: PartialOrd + Clone> Accumulator for Min<T> {
    fn merge(&mut self, other: &Self) {
        Min::merge(self, other)
    }
}

impl<T: PartialOrd + Clone> Accumulator for Max<T> {
    fn merge(&mut self, other: &Self) {
        Max::merge(self, other)
    }
}

impl<T: Clone> Accumulator for FirstValue<T> {
    fn merge(&mut self, other: &Self) {
        FirstValue::merge(self, other)
    }
}

impl<T: Clone> Accumulator for LastValue<T> {
    fn merge(&mut self, other: &Self) {
        LastValue::merge(self, other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agg_count_and_merge() {
        let mut a = Count::default();
        a.add();
        let mut b = Count::default();
        b.add();
        b.add();
        a.merge(&b);
        assert_eq!(a.value(), 3);
        assert_eq!(Count::default().value(), 0);
    }

    #[test]
    fn agg_sum_null_rules_and_wrapping() {
        let mut s = SumI64::default();
        s.merge(&SumI64::default());
        assert_eq!(s.value(), None, "merging an empty sum stays NULL");
        s.add(Some(i64::MAX));
        s.add(Some(1));
        assert_eq!(s.value(), Some(i64::MIN), "wraps like a Java long");
        let mut f = SumF64::default();
        f.add(None);
        assert_eq!(f.value(), None);
        let mut g = SumF64::default();
        g.add(Some(-0.5));
        f.merge(&g);
        assert_eq!(f.value(), Some(-0.5));
        let mut z = SumF64::default();
        z.add(Some(-0.0));
        assert!(
            z.value().is_some_and(|v| v.is_sign_negative()),
            "not 0.0 + -0.0"
        );
        let mut h = SumF32::default();
        h.add(None);
        assert_eq!(h.value(), None);
        h.add(Some(16_777_216.0));
        h.add(Some(1.0));
        assert_eq!(h.value(), Some(16_777_216.0), "float arithmetic");
        let mut h2 = SumF32::default();
        h2.add(Some(2.0));
        h.merge(&h2);
        assert_eq!(h.value(), Some(16_777_218.0));
    }

    #[test]
    fn agg_avg_truncates_toward_zero() {
        let mut a = AvgI64::default();
        assert_eq!(a.value(), None);
        a.add(Some(1));
        a.add(Some(2));
        assert_eq!(a.value(), Some(1));
        let mut n = AvgI64::default();
        n.add(Some(-1));
        n.add(Some(-2));
        assert_eq!(n.value(), Some(-1), "not floor (-2)");
        a.merge(&n);
        assert_eq!(a.value(), Some(0));
        let mut f = AvgF64::default();
        f.add(None);
        assert_eq!(f.value(), None);
        f.add(Some(1.0));
        let mut g = AvgF64::default();
        g.add(Some(2.0));
        f.merge(&g);
        assert_eq!(f.value(), Some(1.5));
    }

    #[test]
    fn agg_min_max() {
        let mut mn = Min::default();
        let mut mx = Max::default();
        for v in [None, Some(3i64), Some(-7), Some(10), None] {
            mn.add(v);
            mx.add(v);
        }
        assert_eq!((mn.value(), mx.value()), (Some(-7), Some(10)));
        let mut other = Min::default();
        other.add(Some(-8));
        mn.merge(&other);
        assert_eq!(mn.value(), Some(-8));
        mn.merge(&Min::default());
        assert_eq!(mn.value(), Some(-8));
        assert_eq!(Max::<i64>::default().value(), None);
        let mut f = Max::default();
        f.add(Some(1.0));
        f.add(Some(f64::NAN));
        assert_eq!(f.value(), Some(1.0), "NaN never compares greater");
    }

    #[test]
    fn agg_min_max_str_bytewise_and_in_place() {
        let mut mn = MinStr::default();
        let mut mx = MaxStr::default();
        for v in [
            Some("Zebra"),
            Some("apple"),
            None,
            Some("Äpfel"),
            Some("zz"),
        ] {
            mn.add(v);
            mx.add(v);
        }
        // Bytewise: uppercase before lowercase, non-ASCII after ASCII.
        assert_eq!(mn.value(), Some("Zebra"));
        assert_eq!(mx.value(), Some("Äpfel"));
        let mut other = MinStr::default();
        other.add(Some("A"));
        mn.merge(&other);
        assert_eq!(mn.value(), Some("A"));
        // A long value goes to a buffer, which shorter values then overwrite.
        let long = "a string longer than the inline ones";
        let mut l = LastValueStr::default();
        for v in ["short", long, "0", "", long, "é"] {
            l.add(Some(v));
            assert_eq!(l.value(), Some(v));
        }
        let buf = l.slot.0.as_ref().unwrap();
        assert!(buf.is_heap_allocated() && buf.capacity() >= long.len());
        // Inline and buffered, equal values are equal.
        let (mut inline, mut buffered) = (LastValueStr::default(), LastValueStr::default());
        inline.add(Some("0"));
        buffered.add(Some(long));
        buffered.add(Some("0"));
        assert_eq!(inline, buffered);
        // Exactly the inline size, and one more.
        for n in [24, 25] {
            let high = "é".repeat(n / 2) + &"x".repeat(n % 2);
            assert_eq!(high.len(), n);
            let mut m = MaxStr::default();
            m.add(Some(&high));
            m.add(Some(&"z".repeat(n)));
            assert_eq!(m.value(), Some(high.as_str()));
        }
        assert_eq!(MaxStr::default().value(), None);
        let mut e = MinStr::default();
        e.add(Some(""));
        assert_eq!(e.value(), Some(""), "empty string is not NULL");
    }

    #[test]
    fn agg_first_last_skip_nulls() {
        let mut f = FirstValue::default();
        let mut l = LastValue::default();
        for v in [None, Some(1i64), None, Some(2), None] {
            f.add(v);
            l.add(v);
        }
        assert_eq!((f.value(), l.value()), (Some(1), Some(2)));
        let mut later = FirstValue::default();
        later.add(Some(9));
        f.merge(&later);
        assert_eq!(f.value(), Some(1), "merge keeps the earlier first value");
        let mut empty_first = FirstValue::default();
        empty_first.merge(&later);
        assert_eq!(empty_first.value(), Some(9));
        let mut later_last = LastValue::default();
        later_last.add(Some(5));
        l.merge(&later_last);
        assert_eq!(l.value(), Some(5), "merge takes the later last value");
        l.merge(&LastValue::default());
        assert_eq!(l.value(), Some(5));

        let mut fs = FirstValueStr::default();
        let mut ls = LastValueStr::default();
        for v in [None, Some("a"), Some("b"), None] {
            fs.add(v);
            ls.add(v);
        }
        assert_eq!((fs.value(), ls.value()), (Some("a"), Some("b")));
        let mut later = LastValueStr::default();
        later.add(Some("c"));
        ls.merge(&later);
        fs.merge(&FirstValueStr::default());
        assert_eq!((fs.value(), ls.value()), (Some("a"), Some("c")));
    }

    #[test]
    fn agg_distinct_union() {
        use crate::key::KeyWriter;
        let mut w = KeyWriter::new();
        let mut enc = |v: f64| {
            w.clear();
            w.push_f64(Some(v));
            w.bytes().to_vec()
        };
        let mut a = Distinct::default();
        assert!(a.is_empty());
        assert!(a.insert(&enc(0.0)));
        assert!(a.insert(&enc(-0.0)), "-0.0 is not 0.0 (Flink 2.3)");
        assert!(a.insert(&enc(f64::NAN)));
        assert!(!a.insert(&enc(-f64::NAN)), "one NaN");
        assert!(a.insert(&enc(1.0)));
        let mut b = Distinct::default();
        b.insert(&enc(1.0));
        b.insert(&enc(2.0));
        a.merge(&b);
        assert_eq!(a.len(), 5);
        assert_eq!(a.iter().count(), 5);
    }

    #[test]
    fn agg_tuples_are_accumulators() {
        let mut a = (Count::default(), SumI64::default());
        a.0.add();
        a.1.add(Some(2));
        let b = a.clone();
        Accumulator::merge(&mut a, &b);
        assert_eq!((a.0.value(), a.1.value()), (2, Some(4)));
    }
}
