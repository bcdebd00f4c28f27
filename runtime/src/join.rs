//! Regular (non-windowed) equi-joins: `INNER`, `LEFT`, `RIGHT` and `FULL` over
//! insert-only or updating inputs.
//!
//! In: rows of either input with their kind (`+I`/`+U` accumulate, `-U`/`-D`
//! retract), the encoded equality key, the processing time and the join's
//! non-equality predicate. Out: the joined and null-padded rows, as a changelog
//! whose fold is the join of the folded inputs.
//!
//! Semantics are Flink 2.3's `StreamingJoinOperator` (checked in its source, with
//! `AbstractStreamingJoinOperator`, `JoinRecordStateViews` and
//! `OuterJoinRecordStateViews`, for inputs without a unique key):
//! - Each input's rows are stored per join key as a multiset: a row, how many times
//!   it is held, and for an outer input its number of associations (the other
//!   side's matching rows, copies counted).
//! - Accumulate: the row is stored and joined with every matching row of the other
//!   side (each copy). Into an outer input's row with no match it emits
//!   `+I[row, NULL]`. A matching row of an outer other side that had no association
//!   first has its `-D[NULL, other]` emitted, then its joined row. Joined rows are
//!   `+I`, except in an inner join, which forwards the input's kind (`+I`/`+U`).
//! - Retract: the row is taken out of the store (if there), and its joined rows are
//!   retracted: `-D` from an outer input, else the input's kind (`-U`/`-D`), even
//!   when the row was not found. With no matching row, an outer input emits
//!   `-D[row, NULL]`. A matching row of an outer other side that is losing its last
//!   association gets its `+I[NULL, other]` back.
//! - Per matching other row, its null-padding change comes next to its joined row
//!   (`-D[NULL, other]` before `+I[row, other]`; `+I[NULL, other]` after
//!   `-D[row, other]`), as in Flink's current operator; the order between rows
//!   follows the store.
//! - A `None` key (a NULL in a key column compared with `=`) matches nothing: an
//!   outer input's row is emitted null-padded (`+I`, and `-D` for its retraction);
//!   an inner input's row emits nothing. Such rows are not stored (Flink stores
//!   them, to no visible effect). For `IS NOT DISTINCT FROM` keys the caller
//!   encodes NULL as a value and passes `Some`.
//! - State TTL (`table.exec.state.ttl`, see [`state`](crate::state)): a stored row
//!   not written (added, retracted or its association count changed) for the TTL
//!   is dropped without output, and never matched once expired.

use std::collections::BinaryHeap;

use crate::RowKind;
use crate::key::FastHashMap;
use crate::state::{Due, effective_ttl, expired};

/// Which inputs are outer (their unmatched rows are emitted null-padded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinType {
    Inner,
    Left,
    Right,
    Full,
}

impl JoinType {
    fn left_outer(self) -> bool {
        matches!(self, JoinType::Left | JoinType::Full)
    }

    fn right_outer(self) -> bool {
        matches!(self, JoinType::Right | JoinType::Full)
    }
}

/// One distinct stored row of a key.
#[derive(Clone, Debug)]
struct Rec<T> {
    row: T,
    count: u32,
    /// Matching rows of the other side (outer inputs only; Flink's
    /// `numOfAssociations`, an `int`).
    assoc: i32,
    written: i64,
}

#[derive(Debug)]
struct Bucket<T> {
    recs: Vec<Rec<T>>,
    /// Identifies this bucket's schedule in `Side::due`.
    ticket: u64,
}

/// One input's stored rows.
#[derive(Debug)]
struct Side<T> {
    buckets: FastHashMap<Box<[u8]>, Bucket<T>>,
    /// Rows held, copies counted.
    rows: usize,
    /// With a TTL: each bucket scheduled no later than its oldest write.
    due: BinaryHeap<Due<Box<[u8]>>>,
    tickets: u64,
}

impl<T> Side<T> {
    fn new() -> Self {
        Self {
            buckets: FastHashMap::default(),
            rows: 0,
            due: BinaryHeap::new(),
            tickets: 0,
        }
    }
}

/// Drops a bucket's expired rows (Flink never returns them); returns how many
/// rows, copies counted.
fn purge<T>(bucket: &mut Bucket<T>, ttl: Option<i64>, now: i64) -> usize {
    if ttl.is_none() {
        return 0;
    }
    let mut dropped = 0;
    bucket.recs.retain(|r| {
        let keep = !expired(r.written, ttl, now);
        if !keep {
            dropped += r.count as usize;
        }
        keep
    });
    dropped
}

impl<T: PartialEq> Side<T> {
    /// The live rows of `key`, expired ones dropped first.
    fn bucket(&mut self, key: &[u8], ttl: Option<i64>, now: i64) -> Option<&mut Bucket<T>> {
        let b = self.buckets.get_mut(key)?;
        self.rows -= purge(b, ttl, now);
        Some(b)
    }

    /// Forgets `key` if its rows are all gone (after a purge or a retraction).
    fn drop_if_empty(&mut self, key: &[u8]) {
        if self.buckets.get(key).is_some_and(|b| b.recs.is_empty()) {
            self.buckets.remove(key);
        }
    }

    /// Flink's `addRecord(record, numOfAssociations)`: one more copy, and the
    /// association count set for all copies.
    fn add(&mut self, key: &[u8], row: T, assoc: i32, ttl: Option<i64>, now: i64) {
        self.rows += 1;
        if let Some(b) = self.bucket(key, ttl, now) {
            match b.recs.iter_mut().find(|r| r.row == row) {
                Some(r) => {
                    r.count = r.count.saturating_add(1);
                    r.assoc = assoc;
                    r.written = now;
                }
                None => b.recs.push(Rec {
                    row,
                    count: 1,
                    assoc,
                    written: now,
                }),
            }
            return;
        }
        let ticket = self.tickets;
        self.tickets += 1;
        if ttl.is_some() {
            self.due.push(Due {
                at: now,
                ticket,
                key: key.into(),
            });
        }
        let recs = vec![Rec {
            row,
            count: 1,
            assoc,
            written: now,
        }];
        self.buckets.insert(key.into(), Bucket { recs, ticket });
    }

    /// Flink's `retractRecord`: one copy less; nothing if the row is not held.
    fn retract(&mut self, key: &[u8], row: &T, ttl: Option<i64>, now: i64) {
        let Some(b) = self.bucket(key, ttl, now) else {
            return;
        };
        if let Some(i) = b.recs.iter().position(|r| r.row == *row) {
            let r = &mut b.recs[i];
            if r.count > 1 {
                r.count -= 1;
                r.written = now;
            } else {
                b.recs.remove(i);
            }
            self.rows -= 1;
        }
        self.drop_if_empty(key);
    }

    /// Drops the rows that expired by `now`; returns how many (copies counted).
    fn expire(&mut self, ttl: i64, now: i64) -> usize {
        let mut dropped = 0;
        while let Some(top) = self.due.peek() {
            if !expired(top.at, Some(ttl), now) {
                break;
            }
            let Some(mut due) = self.due.pop() else {
                break;
            };
            let Some(b) = self.buckets.get_mut(&due.key) else {
                continue; // the key's rows are all gone
            };
            if b.ticket != due.ticket {
                continue; // gone, and the key created again since
            }
            let n = purge(b, Some(ttl), now);
            self.rows -= n;
            dropped += n;
            match b.recs.iter().map(|r| r.written).min() {
                Some(oldest) => {
                    due.at = oldest;
                    self.due.push(due);
                }
                None => {
                    self.buckets.remove(&due.key);
                }
            }
        }
        dropped
    }
}

/// The state of a regular equi-join of `L` rows with `R` rows.
///
/// Per input, a hash map from the encoded join key to the distinct rows held under
/// it (compared with `PartialEq`), each with its count. A row is joined by scanning
/// the other input's rows of its key, evaluating the predicate once per distinct
/// row. With a TTL, keys are scheduled in a min-heap by their oldest write, so
/// [`expire`](Self::expire) touches only keys that may hold expired rows.
///
/// ```
/// use streamsql_runtime::RowKind::{self, *};
/// use streamsql_runtime::join::{Join, JoinType};
///
/// let mut j: Join<&str, &str> = Join::new(JoinType::Left, None);
/// let mut out = vec![];
/// let any = |_: &&str, _: &&str| true;
/// j.left(Insert, Some(b"k"), "l1", 0, any, &mut out);
/// assert_eq!(out, [(Insert, Some("l1"), None)]);
/// out.clear();
/// j.right(Insert, Some(b"k"), "r1", 0, any, &mut out);
/// assert_eq!(out, [(Delete, Some("l1"), None), (Insert, Some("l1"), Some("r1"))]);
/// out.clear();
/// j.right(Delete, Some(b"k"), "r1", 0, any, &mut out);
/// assert_eq!(out, [(Delete, Some("l1"), Some("r1")), (Insert, Some("l1"), None)]);
/// assert_eq!(j.len(), 1);
/// ```
#[derive(Debug)]
pub struct Join<L, R> {
    kind: JoinType,
    ttl: Option<i64>,
    now: i64,
    left: Side<L>,
    right: Side<R>,
}

impl<L: Clone + PartialEq, R: Clone + PartialEq> Join<L, R> {
    /// `ttl_ms`: Flink's `table.exec.state.ttl` in milliseconds (`None` or `<= 0`:
    /// rows are kept until retracted).
    pub fn new(kind: JoinType, ttl_ms: Option<i64>) -> Self {
        Self {
            kind,
            ttl: effective_ttl(ttl_ms),
            now: i64::MIN,
            left: Side::new(),
            right: Side::new(),
        }
    }

    pub fn join_type(&self) -> JoinType {
        self.kind
    }

    fn tick(&mut self, now_ms: i64) -> i64 {
        self.now = self.now.max(now_ms);
        self.now
    }

    /// A row of the left input. `key`: its encoded equality key (`None` if a key
    /// column is NULL); `matches`: the non-equality part of the join condition,
    /// true when it is SQL TRUE. Appends the output changes to `out`.
    pub fn left(
        &mut self,
        kind: RowKind,
        key: Option<&[u8]>,
        row: L,
        now_ms: i64,
        matches: impl FnMut(&L, &R) -> bool,
        out: &mut Vec<(RowKind, Option<L>, Option<R>)>,
    ) {
        let now = self.tick(now_ms);
        let sides = Sides {
            input_outer: self.kind.left_outer(),
            other_outer: self.kind.right_outer(),
            ttl: self.ttl,
            now,
        };
        sides.process(
            &mut self.left,
            &mut self.right,
            kind,
            key,
            row,
            matches,
            |k, l, r| out.push((k, l, r)),
        );
    }

    /// A row of the right input (see [`left`](Self::left)).
    pub fn right(
        &mut self,
        kind: RowKind,
        key: Option<&[u8]>,
        row: R,
        now_ms: i64,
        mut matches: impl FnMut(&L, &R) -> bool,
        out: &mut Vec<(RowKind, Option<L>, Option<R>)>,
    ) {
        let now = self.tick(now_ms);
        let sides = Sides {
            input_outer: self.kind.right_outer(),
            other_outer: self.kind.left_outer(),
            ttl: self.ttl,
            now,
        };
        sides.process(
            &mut self.right,
            &mut self.left,
            kind,
            key,
            row,
            |r, l| matches(l, r),
            |k, r, l| out.push((k, l, r)),
        );
    }

    /// Drops the rows not written for the TTL by `now_ms`, without output; returns
    /// how many (copies counted). Without a TTL it does nothing.
    pub fn expire(&mut self, now_ms: i64) -> usize {
        let Some(ttl) = self.ttl else {
            return 0;
        };
        let now = self.tick(now_ms);
        self.left.expire(ttl, now) + self.right.expire(ttl, now)
    }

    /// Rows held by both inputs, copies counted (including rows that expired since
    /// the last [`expire`](Self::expire)).
    pub fn len(&self) -> usize {
        self.left.rows + self.right.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows held by the left input (see [`len`](Self::len)).
    pub fn left_len(&self) -> usize {
        self.left.rows
    }

    /// Rows held by the right input (see [`len`](Self::len)).
    pub fn right_len(&self) -> usize {
        self.right.rows
    }
}

/// What one input row is processed with, seen from its side.
#[derive(Clone, Copy, Debug)]
struct Sides {
    input_outer: bool,
    other_outer: bool,
    ttl: Option<i64>,
    now: i64,
}

impl Sides {
    /// Flink's `StreamingJoinOperator.processElement`, with the input's row first
    /// in `matches` and `emit` whichever side it is.
    #[allow(clippy::too_many_arguments)]
    fn process<I: Clone + PartialEq, O: Clone + PartialEq>(
        self,
        input: &mut Side<I>,
        other: &mut Side<O>,
        kind: RowKind,
        key: Option<&[u8]>,
        row: I,
        mut matches: impl FnMut(&I, &O) -> bool,
        mut emit: impl FnMut(RowKind, Option<I>, Option<O>),
    ) {
        let accumulate = matches!(kind, RowKind::Insert | RowKind::UpdateAfter);
        let Some(key) = key else {
            if self.input_outer {
                let k = if accumulate {
                    RowKind::Insert
                } else {
                    RowKind::Delete
                };
                emit(k, Some(row), None);
            }
            return;
        };
        let (ttl, now) = (self.ttl, self.now);
        if accumulate {
            let joined = if self.input_outer || self.other_outer {
                RowKind::Insert
            } else {
                kind
            };
            let mut associations: i32 = 0;
            if let Some(b) = other.bucket(key, ttl, now) {
                for rec in b.recs.iter_mut().filter(|r| matches(&row, &r.row)) {
                    // Every copy sees the count from before this row (Flink iterates
                    // a snapshot), so each copy's null-padded row is retracted.
                    for _ in 0..rec.count {
                        if self.other_outer && rec.assoc == 0 {
                            emit(RowKind::Delete, None, Some(rec.row.clone()));
                        }
                        emit(joined, Some(row.clone()), Some(rec.row.clone()));
                    }
                    if self.other_outer {
                        rec.assoc = rec.assoc.saturating_add(1);
                        rec.written = now;
                    }
                    associations = associations.saturating_add_unsigned(rec.count);
                }
                other.drop_if_empty(key);
            }
            if self.input_outer && associations == 0 {
                emit(RowKind::Insert, Some(row.clone()), None);
            }
            let assoc = if self.input_outer { associations } else { -1 };
            input.add(key, row, assoc, ttl, now);
        } else {
            input.retract(key, &row, ttl, now);
            let joined = if self.input_outer {
                RowKind::Delete
            } else {
                kind
            };
            let mut any = false;
            if let Some(b) = other.bucket(key, ttl, now) {
                for rec in b.recs.iter_mut().filter(|r| matches(&row, &r.row)) {
                    any = true;
                    for _ in 0..rec.count {
                        emit(joined, Some(row.clone()), Some(rec.row.clone()));
                        if self.other_outer && rec.assoc == 1 {
                            emit(RowKind::Insert, None, Some(rec.row.clone()));
                        }
                    }
                    if self.other_outer {
                        rec.assoc = rec.assoc.saturating_sub(1);
                        rec.written = now;
                    }
                }
                other.drop_if_empty(key);
            }
            if !any && self.input_outer {
                emit(RowKind::Delete, Some(row), None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RowKind::*;

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

    /// (join key, payload); rows repeat often.
    type Row = (Option<i64>, i64);
    type Out = (Option<Row>, Option<Row>);

    fn key(r: &Row) -> Option<[u8; 8]> {
        r.0.map(i64::to_le_bytes)
    }

    fn pred(l: &Row, r: &Row) -> bool {
        (l.1 + r.1) % 3 != 0
    }

    /// The join of two multisets, from scratch.
    fn model(kind: JoinType, ls: &[Row], rs: &[Row]) -> Vec<Out> {
        let m = |l: &Row, r: &Row| l.0.is_some() && l.0 == r.0 && pred(l, r);
        let mut out = vec![];
        for l in ls {
            let mut any = false;
            for r in rs.iter().filter(|r| m(l, r)) {
                any = true;
                out.push((Some(*l), Some(*r)));
            }
            if !any && kind.left_outer() {
                out.push((Some(*l), None));
            }
        }
        for r in rs {
            if kind.right_outer() && !ls.iter().any(|l| m(l, r)) {
                out.push((None, Some(*r)));
            }
        }
        out.sort();
        out
    }

    /// Folds a changelog into a multiset; a retraction must find its row.
    fn fold(table: &mut Vec<Out>, changes: &[(RowKind, Option<Row>, Option<Row>)]) {
        for (k, l, r) in changes {
            match k {
                Insert | UpdateAfter => table.push((*l, *r)),
                Delete | UpdateBefore => {
                    let p = table
                        .iter()
                        .position(|x| *x == (*l, *r))
                        .unwrap_or_else(|| panic!("retracts a row not emitted: {l:?} {r:?}"));
                    table.swap_remove(p);
                }
            }
        }
    }

    #[test]
    fn join_fold_equals_join_of_folds() {
        for kind in [
            JoinType::Inner,
            JoinType::Left,
            JoinType::Right,
            JoinType::Full,
        ] {
            for seed in 1..=12u64 {
                let mut r = Rng(seed * 0x9e37_79b9);
                let mut j: Join<Row, Row> = Join::new(kind, None);
                let (mut ls, mut rs): (Vec<Row>, Vec<Row>) = (vec![], vec![]);
                let mut table: Vec<Out> = vec![];
                let mut out = vec![];
                for _ in 0..250 {
                    let left = r.below(2) == 0;
                    let held = if left { &mut ls } else { &mut rs };
                    let (kind_in, row) = if !held.is_empty() && r.below(5) < 2 {
                        let row = held.swap_remove(r.below(held.len()));
                        ([Delete, UpdateBefore][r.below(2)], row)
                    } else {
                        let k = [None, Some(0), Some(1), Some(2)][r.below(4)];
                        let row = (k, r.below(4) as i64);
                        held.push(row);
                        ([Insert, UpdateAfter][r.below(2)], row)
                    };
                    let k = key(&row);
                    out.clear();
                    if left {
                        j.left(kind_in, k.as_ref().map(|k| &k[..]), row, 0, pred, &mut out);
                    } else {
                        j.right(kind_in, k.as_ref().map(|k| &k[..]), row, 0, pred, &mut out);
                    }
                    if kind != JoinType::Inner {
                        assert!(out.iter().all(|c| c.0 != UpdateAfter), "{out:?}");
                    } else {
                        let same = |c: &RowKind| *c == kind_in;
                        assert!(
                            out.iter().all(|c| same(&c.0)),
                            "inner join forwards the kind"
                        );
                    }
                    fold(&mut table, &out);
                    table.sort();
                    assert_eq!(table, model(kind, &ls, &rs), "{kind:?} seed {seed}");
                    let stored = |v: &[Row]| v.iter().filter(|r| r.0.is_some()).count();
                    assert_eq!(j.left_len(), stored(&ls));
                    assert_eq!(j.right_len(), stored(&rs));
                }
            }
        }
    }

    #[test]
    fn join_null_keys_pad_and_never_match() {
        let mut j: Join<Row, Row> = Join::new(JoinType::Full, None);
        let mut out = vec![];
        let t = |_: &Row, _: &Row| true;
        j.left(Insert, None, (None, 1), 0, t, &mut out);
        j.right(Insert, None, (None, 1), 0, t, &mut out);
        j.left(UpdateBefore, None, (None, 1), 0, t, &mut out);
        assert_eq!(
            out,
            [
                (Insert, Some((None, 1)), None),
                (Insert, None, Some((None, 1))),
                (Delete, Some((None, 1)), None),
            ]
        );
        assert!(j.is_empty());
        let mut inner: Join<Row, Row> = Join::new(JoinType::Inner, None);
        out.clear();
        inner.left(Insert, None, (None, 1), 0, t, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn join_duplicates_each_get_their_padding() {
        let mut j: Join<&str, &str> = Join::new(JoinType::Full, None);
        let mut out = vec![];
        let t = |_: &&str, _: &&str| true;
        j.left(Insert, Some(b"k"), "l", 0, t, &mut out);
        j.left(Insert, Some(b"k"), "l", 0, t, &mut out);
        out.clear();
        j.right(Insert, Some(b"k"), "r", 0, t, &mut out);
        assert_eq!(
            out,
            [
                (Delete, Some("l"), None),
                (Insert, Some("l"), Some("r")),
                (Delete, Some("l"), None),
                (Insert, Some("l"), Some("r")),
            ]
        );
        out.clear();
        // An inner-side retraction (Right side is outer here too) uses -D.
        j.right(UpdateBefore, Some(b"k"), "r", 0, t, &mut out);
        assert_eq!(
            out,
            [
                (Delete, Some("l"), Some("r")),
                (Insert, Some("l"), None),
                (Delete, Some("l"), Some("r")),
                (Insert, Some("l"), None),
            ]
        );
        // In a LEFT join the right side is inner: its -U is forwarded.
        let mut j: Join<&str, &str> = Join::new(JoinType::Left, None);
        out.clear();
        j.left(Insert, Some(b"k"), "l", 0, t, &mut out);
        j.right(UpdateAfter, Some(b"k"), "r", 0, t, &mut out);
        j.right(UpdateBefore, Some(b"k"), "r", 0, t, &mut out);
        assert_eq!(
            out,
            [
                (Insert, Some("l"), None),
                (Delete, Some("l"), None),
                (Insert, Some("l"), Some("r")),
                (UpdateBefore, Some("l"), Some("r")),
                (Insert, Some("l"), None),
            ]
        );
    }

    #[test]
    fn join_ttl_drops_rows_silently() {
        let mut j: Join<&str, &str> = Join::new(JoinType::Left, Some(10));
        let mut out = vec![];
        let t = |_: &&str, _: &&str| true;
        j.left(Insert, Some(b"a"), "l", 0, t, &mut out);
        j.right(Insert, Some(b"a"), "r", 8, t, &mut out);
        // The association update at 8 rewrote the left row: nothing expires at 15.
        assert_eq!(j.expire(15), 0);
        assert_eq!(j.len(), 2);
        assert_eq!(j.expire(18), 2);
        assert!(j.is_empty());
        out.clear();
        // Expired rows are gone: a new right row matches nothing (inner side)...
        j.right(Insert, Some(b"a"), "r2", 19, t, &mut out);
        assert!(out.is_empty());
        // ... and a retraction of the expired left row still retracts what it sees.
        j.left(Delete, Some(b"a"), "l", 19, t, &mut out);
        assert_eq!(out, [(Delete, Some("l"), Some("r2"))]);
        // Expired but not yet collected: still never matched.
        out.clear();
        j.left(Insert, Some(b"b"), "l3", 20, t, &mut out);
        j.right(Insert, Some(b"b"), "r3", 30, t, &mut out);
        assert_eq!(out, [(Insert, Some("l3"), None)]);
        assert_eq!(j.expire(1_000), 2);
        assert_eq!(j.expire(1_000), 0);
        assert!(j.left.buckets.is_empty() && j.right.buckets.is_empty());
        // No TTL: nothing ever expires.
        let mut k: Join<&str, &str> = Join::new(JoinType::Inner, Some(0));
        k.left(Insert, Some(b"a"), "l", 0, t, &mut out);
        assert_eq!(k.expire(i64::MAX), 0);
        assert_eq!(k.len(), 1);
        assert_eq!(k.join_type(), JoinType::Inner);
    }

    /// Rows expire by their last write (an added or retracted copy rewrites the
    /// row); keys whose rows all left are forgotten and scheduled again when they
    /// come back.
    #[test]
    fn join_ttl_bookkeeping_under_churn() {
        let mut r = Rng(77);
        let mut j: Join<Row, Row> = Join::new(JoinType::Full, Some(50));
        let mut out = vec![];
        let mut now = 0;
        // (row, copies, last write)
        let mut model: Vec<(Row, usize, i64)> = vec![];
        for _ in 0..3000 {
            now += r.below(3) as i64;
            model.retain(|(_, _, t)| t + 50 > now);
            let row = (Some(r.below(3) as i64), r.below(2) as i64);
            let k = key(&row).unwrap();
            let held = model.iter().position(|(x, _, _)| *x == row);
            if r.below(2) == 0 {
                j.left(Insert, Some(&k), row, now, pred, &mut out);
                match held {
                    Some(p) => model[p] = (row, model[p].1 + 1, now),
                    None => model.push((row, 1, now)),
                }
            } else if let Some(p) = held {
                j.left(Delete, Some(&k), row, now, pred, &mut out);
                if model[p].1 == 1 {
                    model.remove(p);
                } else {
                    model[p] = (row, model[p].1 - 1, now);
                }
            }
            if r.below(20) == 0 {
                j.expire(now);
                assert_eq!(j.left_len(), model.iter().map(|m| m.1).sum::<usize>());
                let keys: std::collections::BTreeSet<_> = model.iter().map(|m| m.0.0).collect();
                assert_eq!(j.left.buckets.len(), keys.len());
                assert!(j.left.due.len() <= j.left.buckets.len() + 3000);
            }
        }
    }
}
