//! Top-N: `ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..)` bounded by `rn <= N`.
//!
//! In: a partition's rows, each with its `ORDER BY` values encoded by a
//! [`SortKeyWriter`] into bytes that compare like the SQL values, added
//! ([`TopN::insert`]) or retracted ([`TopN::retract`]). Out: the first N rows in
//! order ([`TopN::top`]), and the changelog that turns the previous top rows into
//! the new ones ([`diff_ranked`] with the rank column, [`diff_rows`] without it).
//!
//! Semantics are Flink 2.3's:
//! - Rows with equal sort keys keep their arrival order: a new row goes after them
//!   (`RetractableTopNFunction` / `TopNBuffer` append to the sort key's list), and a
//!   retraction removes the first equal row with that sort key.
//! - Insert-only input (`AppendOnlyTopNFunction`) keeps at most N rows: a row that
//!   sorts after the N-th (or equal to it, when N rows are held) is dropped for good.
//!   Updating input (`RetractableTopNFunction`, `UpdatableTopNFunction`) keeps every
//!   row, so a retraction lets the next one move up.
//! - Sort keys compare as Flink's generated sort comparator
//!   (`GenerateUtils.generateCompare`) does: integers, dates and timestamps by
//!   value, `BOOLEAN` with `false < true`, strings and byte strings by unsigned
//!   bytes (`BinaryStringData.compareTo`: UTF-8 byte order is code-point order).
//!   `DOUBLE`/`FLOAT` compare with `<`/`>`, so `-0.0` ties with `0.0` (they encode
//!   the same here) and a NaN compares equal to everything, which is no order at
//!   all; here every NaN is one value above `+∞` (as `Double.compare`).

use std::collections::BTreeMap;

use crate::RowKind;

const TAG_NULL_FIRST: u8 = 0x00;
const TAG_VALUE: u8 = 0x01;
const TAG_NULL_LAST: u8 = 0x02;

/// Encodes a row's `ORDER BY` values into one byte string, field by field, such
/// that comparing two encodings as byte slices gives the SQL order of the rows
/// (each field in its direction, NULLs where asked, then the next field).
///
/// Per field: a tag byte (`0x00` NULL with NULLS FIRST, `0x01` a value, `0x02` NULL
/// with NULLS LAST; a NULL has no value bytes), then the value, with every value
/// byte inverted for `DESC`:
/// - `i64`: big-endian with the sign bit flipped (8 bytes);
/// - `f64`: `-0.0` as `0.0` and every NaN as one NaN, then the IEEE bits with the
///   sign bit flipped for positives and all bits flipped for negatives (8 bytes);
/// - `bool`: one byte, 0 or 1;
/// - strings and byte strings: each `0x00` written as `0x00 0xFF`, then the
///   terminator `0x00 0x01`; so no encoding is a prefix of another, and a shorter
///   string sorts first whatever follows it.
///
/// ```
/// use streamsql_runtime::rank::SortKeyWriter;
/// let enc = |v: Option<i64>, s: &str| {
///     let mut w = SortKeyWriter::new();
///     w.push_i64(v, true, false); // DESC NULLS LAST
///     w.push_str(Some(s), false, true); // ASC
///     w.bytes().to_vec()
/// };
/// assert!(enc(Some(5), "b") < enc(Some(3), "a"));
/// assert!(enc(Some(3), "a") < enc(Some(3), "ab"));
/// assert!(enc(Some(i64::MIN), "z") < enc(None, ""));
/// ```
#[derive(Clone, Debug, Default)]
pub struct SortKeyWriter {
    buf: Vec<u8>,
}

impl SortKeyWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets the fields pushed so far, keeping the buffer's capacity.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// The sort key encoded so far.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// True when the field is a value (its bytes follow).
    fn tag(&mut self, is_value: bool, nulls_first: bool) -> bool {
        self.buf.push(match (is_value, nulls_first) {
            (true, _) => TAG_VALUE,
            (false, true) => TAG_NULL_FIRST,
            (false, false) => TAG_NULL_LAST,
        });
        is_value
    }

    fn fixed(&mut self, bytes: [u8; 8], desc: bool) {
        let mask = if desc { 0xff } else { 0 };
        self.buf.extend(bytes.iter().map(|b| b ^ mask));
    }

    /// Every integer type, date, time and timestamp (widened to `i64`).
    pub fn push_i64(&mut self, v: Option<i64>, desc: bool, nulls_first: bool) {
        if self.tag(v.is_some(), nulls_first)
            && let Some(v) = v
        {
            self.fixed(((v as u64) ^ (1 << 63)).to_be_bytes(), desc);
        }
    }

    /// `DOUBLE` and `FLOAT` (widened to `f64`, which keeps the order).
    pub fn push_f64(&mut self, v: Option<f64>, desc: bool, nulls_first: bool) {
        if self.tag(v.is_some(), nulls_first)
            && let Some(v) = v
        {
            let v = if v.is_nan() {
                f64::NAN
            } else if v == 0.0 {
                0.0
            } else {
                v
            };
            let bits = v.to_bits();
            let ordered = if bits >> 63 == 1 {
                !bits
            } else {
                bits ^ (1 << 63)
            };
            self.fixed(ordered.to_be_bytes(), desc);
        }
    }

    pub fn push_bool(&mut self, v: Option<bool>, desc: bool, nulls_first: bool) {
        if self.tag(v.is_some(), nulls_first)
            && let Some(v) = v
        {
            self.buf.push(u8::from(v) ^ if desc { 0xff } else { 0 });
        }
    }

    pub fn push_str(&mut self, v: Option<&str>, desc: bool, nulls_first: bool) {
        self.push_bytes(v.map(str::as_bytes), desc, nulls_first);
    }

    pub fn push_bytes(&mut self, v: Option<&[u8]>, desc: bool, nulls_first: bool) {
        if self.tag(v.is_some(), nulls_first)
            && let Some(v) = v
        {
            let mask = if desc { 0xff } else { 0 };
            let start = self.buf.len();
            // Runs without 0x00 are copied whole; each 0x00 becomes 0x00 0xFF.
            for (i, run) in v.split(|b| *b == 0).enumerate() {
                if i > 0 {
                    self.buf.extend_from_slice(&[0x00, 0xff]);
                }
                self.buf.extend_from_slice(run);
            }
            self.buf.extend_from_slice(&[0x00, 0x01]);
            if desc {
                for b in &mut self.buf[start..] {
                    *b ^= mask;
                }
            }
        }
    }
}

/// The rows of one Top-N partition, sorted by encoded sort key, ties in arrival
/// order.
///
/// Rows are grouped per distinct sort key in a `BTreeMap`, so an insertion or a
/// retraction costs O(log keys) plus the rows sharing its sort key, and
/// [`top`](Self::top) walks only the first N rows.
///
/// ```
/// use streamsql_runtime::rank::TopN;
/// let mut t = TopN::new(2, true);
/// t.insert(b"b", "x");
/// t.insert(b"a", "y");
/// t.insert(b"a", "z"); // after "y": same key, later
/// assert_eq!(t.top().collect::<Vec<_>>(), [&"y", &"z"]);
/// assert!(t.retract(b"a", &"y"));
/// assert_eq!(t.top().collect::<Vec<_>>(), [&"z", &"x"]);
/// assert_eq!(t.len(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct TopN<R> {
    n: usize,
    keep_all: bool,
    rows: BTreeMap<Box<[u8]>, Vec<R>>,
    len: usize,
}

impl<R> TopN<R> {
    /// `n`: the rank bound. `keep_all`: false for insert-only input (rows beyond
    /// rank `n` are dropped for good), true for updating input (every row is kept).
    pub fn new(n: usize, keep_all: bool) -> Self {
        Self {
            n,
            keep_all,
            rows: BTreeMap::new(),
            len: 0,
        }
    }

    /// Adds a row after every row whose sort key is less or equal.
    pub fn insert(&mut self, sort_key: &[u8], row: R) {
        if !self.keep_all {
            if self.n == 0 {
                return;
            }
            // Full: a row that sorts at or after the last one would be dropped.
            if self.len >= self.n
                && self
                    .rows
                    .last_key_value()
                    .is_some_and(|(last, _)| sort_key >= &**last)
            {
                return;
            }
        }
        match self.rows.get_mut(sort_key) {
            Some(rows) => rows.push(row),
            None => {
                self.rows.insert(sort_key.into(), vec![row]);
            }
        }
        self.len += 1;
        if !self.keep_all && self.len > self.n {
            self.pop_last();
        }
    }

    fn pop_last(&mut self) {
        if let Some(mut last) = self.rows.last_entry() {
            last.get_mut().pop();
            if last.get().is_empty() {
                last.remove();
            }
            self.len -= 1;
        }
    }

    /// Removes the earliest row equal to `row` with this sort key; false if there
    /// is none (with `keep_all == false` the row may have been dropped).
    pub fn retract(&mut self, sort_key: &[u8], row: &R) -> bool
    where
        R: PartialEq,
    {
        let Some(rows) = self.rows.get_mut(sort_key) else {
            return false;
        };
        let Some(i) = rows.iter().position(|r| r == row) else {
            return false;
        };
        rows.remove(i);
        if rows.is_empty() {
            self.rows.remove(sort_key);
        }
        self.len -= 1;
        true
    }

    /// Ranks 1..=n, in order.
    pub fn top(&self) -> impl Iterator<Item = &R> {
        self.rows.values().flatten().take(self.n)
    }

    /// Replaces `out` with clones of [`top`](Self::top) (to diff against later).
    pub fn top_into(&self, out: &mut Vec<R>)
    where
        R: Clone,
    {
        out.clear();
        out.extend(self.top().cloned());
    }

    /// Rows held (more than `n` with `keep_all`).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Appends the changes that turn a Top-N with the rank column from `old` into
/// `new` (each the rows of ranks 1, 2, ...): for each rank whose row differs,
/// `(UpdateBefore, rank, old)` then `(UpdateAfter, rank, new)`; a rank only in
/// `old` is `(Delete, rank, old)`, only in `new` `(Insert, rank, new)`. Ranks are
/// 1-based. This is what Flink's `RetractableTopNFunction` emits with the row
/// number: an update per shifted rank.
///
/// ```
/// use streamsql_runtime::{RowKind, rank::diff_ranked};
/// let mut out = vec![];
/// diff_ranked(&["a", "b"], &["a", "c", "b"], &mut out);
/// assert_eq!(out, [
///     (RowKind::UpdateBefore, 2, "b"),
///     (RowKind::UpdateAfter, 2, "c"),
///     (RowKind::Insert, 3, "b"),
/// ]);
/// ```
pub fn diff_ranked<R: PartialEq + Clone>(old: &[R], new: &[R], out: &mut Vec<(RowKind, usize, R)>) {
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(o), Some(n)) if o == n => {}
            (Some(o), Some(n)) => {
                out.push((RowKind::UpdateBefore, i + 1, o.clone()));
                out.push((RowKind::UpdateAfter, i + 1, n.clone()));
            }
            (Some(o), None) => out.push((RowKind::Delete, i + 1, o.clone())),
            (None, Some(n)) => out.push((RowKind::Insert, i + 1, n.clone())),
            (None, None) => {}
        }
    }
}

/// Appends the changes that turn a Top-N without the rank column from `old` into
/// `new`, as multisets: rows of `old` not in `new` are `Delete`s (first, in `old`'s
/// order), rows of `new` not in `old` are `Insert`s (in `new`'s order). A row that
/// only moved emits nothing, as in Flink (`emitRecordsWithoutRowNumber`).
///
/// ```
/// use streamsql_runtime::{RowKind, rank::diff_rows};
/// let mut out = vec![];
/// diff_rows(&["a", "b", "c"], &["a", "d", "b"], &mut out);
/// assert_eq!(out, [(RowKind::Delete, "c"), (RowKind::Insert, "d")]);
/// ```
pub fn diff_rows<R: PartialEq + Clone>(old: &[R], new: &[R], out: &mut Vec<(RowKind, R)>) {
    // Ranks usually change in one place: skip the common prefix and suffix.
    let head = old.iter().zip(new).take_while(|(o, n)| o == n).count();
    let (old, new) = (&old[head..], &new[head..]);
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(o, n)| o == n)
        .count();
    let (old, new) = (&old[..old.len() - tail], &new[..new.len() - tail]);
    if old.is_empty() && new.is_empty() {
        return;
    }
    let mut matched = vec![false; new.len()];
    for o in old {
        match (0..new.len()).find(|&j| !matched[j] && new[j] == *o) {
            Some(j) => matched[j] = true,
            None => out.push((RowKind::Delete, o.clone())),
        }
    }
    for (n, m) in new.iter().zip(&matched) {
        if !m {
            out.push((RowKind::Insert, n.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    /// xorshift64: a fixed, dependency-free stream of test cases.
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
    }

    #[derive(Clone, Debug)]
    enum Field {
        I(Option<i64>),
        F(Option<f64>),
        B(Option<bool>),
        S(Option<String>),
        Y(Option<Vec<u8>>),
    }

    /// One column of an ORDER BY: its type (the Field variant), direction, NULLs.
    #[derive(Clone, Copy, Debug)]
    struct Col {
        ty: usize,
        desc: bool,
        nulls_first: bool,
    }

    fn random_field(r: &mut Rng, ty: usize) -> Field {
        let null = r.below(5) == 0;
        const INTS: [i64; 7] = [i64::MIN, -256, -1, 0, 1, 255, i64::MAX];
        const FLOATS: [f64; 9] = [
            f64::NEG_INFINITY,
            -1.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        const ATOMS: [&[u8]; 6] = [b"", b"\x00", b"\x00\x01", b"a", b"\xff", b"ab"];
        let bytes = |r: &mut Rng| {
            let mut v = vec![];
            for _ in 0..r.below(4) {
                v.extend_from_slice(ATOMS[r.below(ATOMS.len())]);
            }
            v
        };
        match ty {
            0 => Field::I((!null).then(|| INTS[r.below(INTS.len())])),
            1 => Field::F((!null).then(|| FLOATS[r.below(FLOATS.len())])),
            2 => Field::B((!null).then(|| r.below(2) == 0)),
            3 => {
                const STRS: [&str; 7] = ["", "a", "ab", "b", "a\0", "é", "\0"];
                let mut s = String::new();
                for _ in 0..r.below(3) {
                    s.push_str(STRS[r.below(STRS.len())]);
                }
                Field::S((!null).then_some(s))
            }
            _ => Field::Y((!null).then(|| bytes(r))),
        }
    }

    /// Flink's comparison of one field (ASC), with NaN as one value above +inf.
    fn cmp_value(a: &Field, b: &Field) -> Option<Ordering> {
        let f = |x: f64| if x == 0.0 { 0.0 } else { x };
        Some(match (a, b) {
            (Field::I(Some(a)), Field::I(Some(b))) => a.cmp(b),
            (Field::F(Some(a)), Field::F(Some(b))) => match (a.is_nan(), b.is_nan()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => f(*a).partial_cmp(&f(*b))?,
            },
            (Field::B(Some(a)), Field::B(Some(b))) => a.cmp(b),
            (Field::S(Some(a)), Field::S(Some(b))) => a.as_bytes().cmp(b.as_bytes()),
            (Field::Y(Some(a)), Field::Y(Some(b))) => a.cmp(b),
            _ => return None,
        })
    }

    fn is_null(f: &Field) -> bool {
        matches!(
            f,
            Field::I(None) | Field::F(None) | Field::B(None) | Field::S(None) | Field::Y(None)
        )
    }

    fn cmp_rows(cols: &[Col], a: &[Field], b: &[Field]) -> Ordering {
        for ((c, x), y) in cols.iter().zip(a).zip(b) {
            let o = match (is_null(x), is_null(y)) {
                (true, true) => Ordering::Equal,
                (true, false) if c.nulls_first => Ordering::Less,
                (true, false) => Ordering::Greater,
                (false, true) if c.nulls_first => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    let o = cmp_value(x, y).unwrap();
                    if c.desc { o.reverse() } else { o }
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }

    fn encode(cols: &[Col], row: &[Field]) -> Vec<u8> {
        let mut w = SortKeyWriter::new();
        for (c, f) in cols.iter().zip(row) {
            match f {
                Field::I(v) => w.push_i64(*v, c.desc, c.nulls_first),
                Field::F(v) => w.push_f64(*v, c.desc, c.nulls_first),
                Field::B(v) => w.push_bool(*v, c.desc, c.nulls_first),
                Field::S(v) => w.push_str(v.as_deref(), c.desc, c.nulls_first),
                Field::Y(v) => w.push_bytes(v.as_deref(), c.desc, c.nulls_first),
            }
        }
        w.bytes().to_vec()
    }

    #[test]
    fn rank_sort_key_order_is_field_order() {
        let mut r = Rng(0x5eed_1234);
        for _ in 0..300 {
            let cols: Vec<Col> = (0..1 + r.below(3))
                .map(|_| Col {
                    ty: r.below(5),
                    desc: r.below(2) == 0,
                    nulls_first: r.below(2) == 0,
                })
                .collect();
            let rows: Vec<Vec<Field>> = (0..30)
                .map(|_| cols.iter().map(|c| random_field(&mut r, c.ty)).collect())
                .collect();
            for a in &rows {
                for b in &rows {
                    let want = cmp_rows(&cols, a, b);
                    let got = encode(&cols, a).cmp(&encode(&cols, b));
                    assert_eq!(got, want, "{cols:?}\n{a:?}\n{b:?}");
                }
            }
        }
    }

    #[test]
    fn rank_sort_key_floats_like_flink() {
        let enc = |v: f64| {
            encode(
                &[Col {
                    ty: 1,
                    desc: false,
                    nulls_first: true,
                }],
                &[Field::F(Some(v))],
            )
        };
        assert_eq!(enc(-0.0), enc(0.0), "Flink's `<`/`>` tie -0.0 with 0.0");
        assert_eq!(enc(f64::NAN), enc(-f64::NAN));
        assert!(enc(f64::INFINITY) < enc(f64::NAN));
        assert!(enc(f64::NEG_INFINITY) < enc(-f64::MAX));
        assert!(enc(-f64::MIN_POSITIVE) < enc(0.0));
        let mut w = SortKeyWriter::new();
        w.push_i64(Some(1), false, false);
        assert_eq!(w.bytes().len(), 9);
        w.clear();
        assert!(w.bytes().is_empty());
    }

    /// The naive model: a list sorted by (key, arrival).
    #[derive(Default)]
    struct Model {
        rows: Vec<(u8, u32)>,
    }

    impl Model {
        fn insert(&mut self, k: u8, row: u32) {
            let at = self
                .rows
                .iter()
                .position(|(x, _)| *x > k)
                .unwrap_or(self.rows.len());
            self.rows.insert(at, (k, row));
        }
    }

    #[test]
    fn rank_topn_keep_all_matches_a_sorted_list() {
        let mut r = Rng(42);
        for n in [1usize, 3, 10] {
            let mut t = TopN::new(n, true);
            let mut m = Model::default();
            for step in 0..3000u32 {
                let k = r.below(6) as u8;
                if !m.rows.is_empty() && r.below(5) < 2 {
                    let (k, row) = m.rows[r.below(m.rows.len())];
                    let first = m.rows.iter().position(|e| *e == (k, row)).unwrap();
                    m.rows.remove(first);
                    assert!(t.retract(&[k], &row));
                } else if r.below(10) == 0 {
                    // Absent: the row, or its key.
                    assert!(!t.retract(&[k], &u32::MAX));
                    assert!(!t.retract(&[99], &0));
                } else {
                    // Rows repeat (step % 4) so equal rows under one key occur.
                    let row = step % 4;
                    t.insert(&[k], row);
                    m.insert(k, row);
                }
                let want: Vec<u32> = m.rows.iter().take(n).map(|e| e.1).collect();
                assert_eq!(t.top().copied().collect::<Vec<_>>(), want);
                assert_eq!(t.len(), m.rows.len());
                assert_eq!(t.is_empty(), m.rows.is_empty());
            }
        }
    }

    #[test]
    fn rank_topn_append_only_drops_beyond_n() {
        let mut r = Rng(7);
        for n in [0usize, 1, 2, 5] {
            let mut t = TopN::new(n, false);
            let mut m = Model::default();
            for step in 0..2000u32 {
                let k = r.below(8) as u8;
                t.insert(&[k], step);
                m.insert(k, step);
                m.rows.truncate(n);
                assert_eq!(
                    t.top().copied().collect::<Vec<_>>(),
                    m.rows.iter().map(|e| e.1).collect::<Vec<_>>()
                );
                assert!(t.len() <= n);
            }
        }
        // A tie with the N-th row arrives later: it is the one dropped.
        let mut t = TopN::new(2, false);
        t.insert(b"a", 1);
        t.insert(b"b", 2);
        t.insert(b"b", 3);
        assert_eq!(t.top().copied().collect::<Vec<_>>(), [1, 2]);
        t.insert(b"a", 4);
        assert_eq!(t.top().copied().collect::<Vec<_>>(), [1, 4]);
        let mut out = vec![9];
        t.top_into(&mut out);
        assert_eq!(out, [1, 4]);
    }

    fn random_list(r: &mut Rng) -> Vec<u8> {
        (0..r.below(7)).map(|_| r.below(4) as u8).collect()
    }

    #[test]
    fn rank_diff_ranked_folds_old_into_new() {
        let mut r = Rng(3);
        for _ in 0..3000 {
            let (old, new) = (random_list(&mut r), random_list(&mut r));
            let mut out = vec![];
            diff_ranked(&old, &new, &mut out);
            // A table keyed by rank.
            let mut table: BTreeMap<usize, u8> =
                old.iter().enumerate().map(|(i, v)| (i + 1, *v)).collect();
            for (kind, rank, row) in &out {
                match kind {
                    RowKind::Insert | RowKind::UpdateAfter => {
                        assert_eq!(table.insert(*rank, *row), None, "{old:?} {new:?} {out:?}");
                    }
                    RowKind::Delete | RowKind::UpdateBefore => {
                        assert_eq!(table.remove(rank), Some(*row), "{old:?} {new:?} {out:?}");
                    }
                }
            }
            let want: BTreeMap<usize, u8> =
                new.iter().enumerate().map(|(i, v)| (i + 1, *v)).collect();
            assert_eq!(table, want);
            // Nothing for equal lists; -U/+U come in pairs for the same rank.
            if old == new {
                assert!(out.is_empty());
            }
            for w in out.windows(2) {
                if w[0].0 == RowKind::UpdateBefore {
                    assert_eq!((w[1].0, w[1].1), (RowKind::UpdateAfter, w[0].1));
                }
            }
        }
    }

    #[test]
    fn rank_diff_rows_folds_old_into_new() {
        let mut r = Rng(5);
        for _ in 0..3000 {
            let (old, new) = (random_list(&mut r), random_list(&mut r));
            let mut out = vec![];
            diff_rows(&old, &new, &mut out);
            let mut bag = old.clone();
            let mut seen_insert = false;
            for (kind, row) in &out {
                match kind {
                    RowKind::Insert => {
                        seen_insert = true;
                        bag.push(*row);
                    }
                    RowKind::Delete => {
                        assert!(!seen_insert, "deletes first");
                        let p = bag.iter().position(|x| x == row).expect("deleted row held");
                        bag.swap_remove(p);
                    }
                    _ => panic!("only -D and +I"),
                }
            }
            let (mut got, mut want) = (bag, new.clone());
            got.sort();
            want.sort();
            assert_eq!(got, want);
            // Minimal: as many changes as the multisets differ by.
            let mut common = 0;
            let mut rest = new.clone();
            for o in &old {
                if let Some(p) = rest.iter().position(|x| x == o) {
                    rest.swap_remove(p);
                    common += 1;
                }
            }
            assert_eq!(out.len(), old.len() + new.len() - 2 * common);
        }
    }
}
