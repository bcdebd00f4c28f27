//! Event-time windows: assignment, and the per-(key, window) aggregate state.
//!
//! In: rows as (event time, encoded key, an update of the key's accumulator), and
//! watermarks. Out: for every (key, window) whose window the watermark has passed,
//! the key, the window and the final accumulator, in window order; the state is then
//! freed.
//!
//! Semantics are Flink 2.3's, checked in its source:
//! - Assignment (`TimeWindow.getWindowStartWithOffset`, offset 0): a tumble window
//!   starts at `ts - (ts mod size)` with the remainder taken non-negative, so
//!   negative timestamps round down; hop windows are every `[s, s + size)` with
//!   `s ≡ 0 (mod slide)` that contains `ts` (`SlidingEventTimeWindows`); cumulate
//!   windows are `[S, S + k·step)` inside the tumble window `S` of `size`.
//! - Firing: a window fires once the watermark reaches `max_timestamp()` = end − 1
//!   (`TimeWindowUtil.isWindowFired` for window TVFs, `EventTimeTrigger` for group
//!   windows).
//! - Lateness (`WindowOperator.isWindowLate`): a row's window is late, and the row
//!   skips it, when `max_timestamp() + allowed_lateness <= watermark` at arrival.
//!   The slicing operator of window TVFs (`AbstractWindowAggProcessor.
//!   processElement`) drops a row only when the last window of its slice has fired
//!   and otherwise counts it in the windows not yet fired: the same per-window
//!   outcome.
//! - Allowed lateness (group windows' `table.exec.emit.allow-lateness`): a window
//!   fires once when the watermark reaches `max_timestamp()`, and keeps its state
//!   until `max_timestamp() + allowed_lateness <= watermark` (`cleanupTime`). A row
//!   that arrives in between updates it, and the key's window fires again with the
//!   updated accumulator at the next [`WindowAggregate::advance`] (Flink fires it at
//!   once, from `EventTimeTrigger.onElement`; here the caller calls `advance` after
//!   the row). Only the keys updated since the last firing fire again. The caller
//!   turns a repeated firing of a (key, window) into an update.
//! - Sessions (`MergingWindowSet`, `TimeWindow.intersects`/`cover`, and the table
//!   runtime's `MergingWindowProcessFunction`): a row opens `[ts, ts + gap)`; it
//!   merges with every session of its key it intersects (touching counts:
//!   `start <= other.end && end >= other.start`) into their cover; the row is
//!   dropped when that resulting window is late. Accumulators of merged sessions
//!   are merged into the earliest-starting one, in start order.

use std::collections::BTreeSet;

use crate::key::{FastHashMap, FastHashSet, Key, hash_key};

/// A time window `[start, end)` in epoch milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    /// The last millisecond inside the window (`end - 1`): Flink fires a window when
    /// the watermark reaches it.
    pub fn max_timestamp(&self) -> i64 {
        self.end.saturating_sub(1)
    }
}

/// The window functions of Flink SQL (`TUMBLE`, `HOP`, `CUMULATE`, `SESSION`),
/// all sizes in milliseconds and aligned to the epoch (offset 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    Tumble { size: i64 },
    Hop { size: i64, slide: i64 },
    Cumulate { size: i64, step: i64 },
    Session { gap: i64 },
}

impl WindowKind {
    /// Windows containing `ts` (not for Session), in increasing end order. For
    /// `Session` it gives the row's own window `[ts, ts + gap)`, before merging.
    ///
    /// ```
    /// use streamsql_runtime::window::{Window, WindowKind};
    /// let mut ws = vec![];
    /// WindowKind::Hop { size: 10, slide: 5 }.assign(12, &mut |w| ws.push(w));
    /// assert_eq!(ws, [Window { start: 5, end: 15 }, Window { start: 10, end: 20 }]);
    /// ```
    pub fn assign(&self, ts: i64, out: &mut impl FnMut(Window)) {
        for w in self.windows(ts) {
            out(w);
        }
    }

    /// A tumbling window's one window of `ts`, in 64-bit arithmetic; `None` for
    /// other kinds, and where that would overflow ([`WindowKind::windows`] clamps).
    #[inline]
    fn tumble(&self, ts: i64) -> Option<Window> {
        let WindowKind::Tumble { size } = *self else {
            return None;
        };
        let size = size.max(1);
        let start = ts.checked_sub(ts.rem_euclid(size))?;
        Some(Window {
            start,
            end: start.checked_add(size)?,
        })
    }

    /// The same windows as [`assign`](Self::assign), as an iterator.
    pub fn windows(&self, ts: i64) -> Windows {
        // Sizes are validated by the compiler; clamp anyway so nothing divides by 0.
        let (t, ts) = (ts as i128, ts);
        match *self {
            WindowKind::Tumble { size } => {
                let size = size.max(1) as i128;
                let start = t - t.rem_euclid(size);
                Windows::new(start, start + size, 0, 0, 1, start + size)
            }
            WindowKind::Hop { size, slide } => {
                let (size, slide) = (size.max(1) as i128, slide.max(1) as i128);
                // The latest aligned start at or before ts, then back by whole slides
                // while the window still contains ts (start > ts - size).
                let last = t - t.rem_euclid(slide);
                let room = last - (t - size);
                if room <= 0 {
                    // slide > size: ts falls in a gap between windows.
                    return Windows::empty();
                }
                let n = (room - 1) / slide + 1;
                let first = last - (n - 1) * slide;
                Windows::new(first, first + size, slide, slide, n, i128::MAX)
            }
            WindowKind::Cumulate { size, step } => {
                let (size, step) = (size.max(1) as i128, step.max(1) as i128);
                let start = t - t.rem_euclid(size);
                // The first window [start, start + k*step) that contains ts; the last
                // one ends at start + size (Flink requires size to be a multiple of
                // step; the cap keeps other sizes sensible).
                let k0 = (t - start) / step + 1;
                let kmax = (size + step - 1) / step;
                let end = (start + k0 * step).min(start + size);
                Windows::new(start, end, 0, step, kmax - k0 + 1, start + size)
            }
            WindowKind::Session { gap } => {
                let end = ts.saturating_add(gap.max(1));
                Windows::new(t, end as i128, 0, 0, 1, i128::MAX)
            }
        }
    }
}

/// Iterator over the windows of one timestamp (see [`WindowKind::windows`]).
#[derive(Clone, Debug)]
pub struct Windows {
    // i128 so that assignment near i64::MIN/MAX cannot overflow; windows are
    // clamped to i64 when yielded.
    start: i128,
    end: i128,
    start_step: i128,
    end_step: i128,
    left: i128,
    end_cap: i128,
}

impl Windows {
    fn new(start: i128, end: i128, start_step: i128, end_step: i128, n: i128, cap: i128) -> Self {
        Self {
            start,
            end,
            start_step,
            end_step,
            left: n.max(0),
            end_cap: cap,
        }
    }

    fn empty() -> Self {
        Self::new(0, 0, 0, 0, 0, 0)
    }
}

fn clamp(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

impl Iterator for Windows {
    type Item = Window;

    fn next(&mut self) -> Option<Window> {
        if self.left <= 0 {
            return None;
        }
        self.left -= 1;
        let w = Window {
            start: clamp(self.start),
            end: clamp(self.end.min(self.end_cap)),
        };
        self.start += self.start_step;
        self.end += self.end_step;
        Some(w)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.left.max(0)).unwrap_or(usize::MAX);
        (n, Some(n))
    }

    /// The last window without stepping through the others.
    fn last(self) -> Option<Window> {
        if self.left <= 0 {
            return None;
        }
        let k = self.left - 1;
        Some(Window {
            start: clamp(self.start + k * self.start_step),
            end: clamp((self.end + k * self.end_step).min(self.end_cap)),
        })
    }
}

/// What a window keeps per key. Merging is needed for session windows: when two
/// sessions of a key join, the later-starting one is merged into the earlier.
pub trait Accumulator: Default {
    fn merge(&mut self, other: &Self);
}

/// No aggregates (`GROUP BY` only).
impl Accumulator for () {
    fn merge(&mut self, _: &Self) {}
}

// Tuples of accumulators merge field by field, so generated code can use a tuple
// instead of writing a struct and an impl.
macro_rules! tuple_accumulator {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Accumulator),+> Accumulator for ($($name,)+) {
            fn merge(&mut self, other: &Self) {
                $(self.$idx.merge(&other.$idx);)+
            }
        }
    };
}

tuple_accumulator!(A 0);
tuple_accumulator!(A 0, B 1);
tuple_accumulator!(A 0, B 1, C 2);
tuple_accumulator!(A 0, B 1, C 2, D 3);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_accumulator!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// Where a row's window is looked up: aligned kinds keep a few open windows.
#[derive(Clone, Copy, Debug)]
struct WinMeta {
    window: Window,
    /// Emitted at least once (only kept after that when allowed_lateness > 0).
    fired: bool,
    /// Some key was updated after the window fired: fire those keys again.
    dirty: bool,
}

/// The per-key state of one aligned window.
struct Pane<K, A> {
    map: FastHashMap<K, A>,
    /// Keys updated since the window fired (allowed lateness only; rare).
    dirty: FastHashSet<K>,
}

impl<K, A> Pane<K, A> {
    fn new() -> Self {
        Self {
            map: FastHashMap::default(),
            dirty: FastHashSet::default(),
        }
    }
}

/// One session of a key.
struct Session<A> {
    window: Window,
    acc: A,
    fired: bool,
    dirty: bool,
}

/// A key with open sessions; slots are recycled, so their index is a stable handle
/// for the timer index without cloning the key.
struct KeySlot<K, A> {
    key: Option<K>,
    hash: u64,
    /// Next slot with a key of the same 64-bit hash (a collision chain), or NONE.
    next: u32,
    /// Disjoint, sorted by start (and so by end).
    sessions: Vec<Session<A>>,
}

const NONE: u32 = u32::MAX;

/// Session state: keys in a slab, found through their hash; timers in a BTreeSet
/// ordered by (time, window start, slot) so `advance` pops exactly the due ones.
struct Sessions<K, A> {
    heads: FastHashMap<u64, u32>,
    slots: Vec<KeySlot<K, A>>,
    free: Vec<u32>,
    timers: BTreeSet<(i64, i64, u32)>,
    live_keys: usize,
    open: usize,
}

/// Maps of fired windows kept for reuse (enough for hop windows' overlap).
const MAX_FREE_PANES: usize = 16;

/// The state of a windowed `GROUP BY`: one accumulator per (key, window).
///
/// Keys are the bytes of a [`KeyWriter`](crate::key::KeyWriter); the owned key `K`
/// (`Box<[u8]>`, or `[u8; N]` when every key field is fixed width) is made only the
/// first time a key appears in a window. For tumble, hop and cumulate windows the
/// open windows are a short vector sorted by (end, start), each with its own map;
/// fired windows' maps are cleared and reused. Sessions keep, per key, a sorted list
/// of disjoint sessions, and a timer index so that `advance` touches only the
/// sessions it fires.
///
/// ```
/// use streamsql_runtime::agg::SumI64;
/// use streamsql_runtime::window::{Window, WindowAggregate, WindowKind};
///
/// let mut w: WindowAggregate<Box<[u8]>, SumI64> =
///     WindowAggregate::new(WindowKind::Tumble { size: 10 }, 0);
/// assert!(w.add(3, b"a", |s| s.add(Some(1))));
/// assert!(w.add(7, b"a", |s| s.add(Some(2))));
/// assert!(w.add(12, b"b", |s| s.add(Some(5))));
/// let mut out = vec![];
/// w.advance(9, |k, win, s| out.push((k.to_vec(), win, s.value())));
/// assert_eq!(out, [(b"a".to_vec(), Window { start: 0, end: 10 }, Some(3))]);
/// // The watermark passed [0, 10): a row for it is late and dropped.
/// assert!(!w.add(5, b"a", |s| s.add(Some(1))));
/// assert_eq!(w.open_windows(), 1);
/// ```
pub struct WindowAggregate<K: Key, A: Accumulator> {
    kind: WindowKind,
    lateness: i64,
    wm: i64,
    metas: Vec<WinMeta>,
    panes: Vec<Pane<K, A>>,
    free: Vec<Pane<K, A>>,
    /// Index of the window the last row used: consecutive rows mostly share it.
    hint: usize,
    sessions: Sessions<K, A>,
}

impl<K: Key, A: Accumulator> std::fmt::Debug for WindowAggregate<K, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WindowAggregate")
            .field("kind", &self.kind)
            .field("allowed_lateness", &self.lateness)
            .field("watermark", &self.wm)
            .field("open_windows", &self.open_windows())
            .field("open_keys", &self.open_keys())
            .finish()
    }
}

/// `max_timestamp + allowed_lateness`, saturating as Flink's `cleanupTime` does.
fn cleanup_time(w: Window, lateness: i64) -> i64 {
    w.max_timestamp().saturating_add(lateness)
}

/// The index of `w` among windows sorted by (end, start): Ok if present, Err with
/// the insertion point if not. Tries the last used index and its successor first.
fn locate(metas: &[WinMeta], hint: usize, w: Window) -> Result<usize, usize> {
    for i in [hint, hint.wrapping_add(1)] {
        if metas.get(i).is_some_and(|m| m.window == w) {
            return Ok(i);
        }
    }
    metas.binary_search_by(|m| (m.window.end, m.window.start).cmp(&(w.end, w.start)))
}

/// When a session's timer is due: its firing time while it has news to emit, its
/// cleanup time once it has emitted everything.
fn session_timer<A>(s: &Session<A>, lateness: i64) -> i64 {
    if !s.fired || s.dirty {
        s.window.max_timestamp()
    } else {
        cleanup_time(s.window, lateness)
    }
}

impl<K: Key, A: Accumulator> WindowAggregate<K, A> {
    /// `allowed_lateness` in milliseconds (0 for window TVFs and by default).
    pub fn new(kind: WindowKind, allowed_lateness: i64) -> Self {
        Self {
            kind,
            lateness: allowed_lateness.max(0),
            wm: i64::MIN,
            metas: Vec::new(),
            panes: Vec::new(),
            free: Vec::new(),
            hint: 0,
            sessions: Sessions {
                heads: FastHashMap::default(),
                slots: Vec::new(),
                free: Vec::new(),
                timers: BTreeSet::new(),
                live_keys: 0,
                open: 0,
            },
        }
    }

    /// The watermark this operator has seen (i64::MIN at first).
    pub fn watermark(&self) -> i64 {
        self.wm
    }

    /// Adds a row at event time `ts` under the encoded key; calls `update` once for
    /// the accumulator of every window of the row that is not late; returns false
    /// when the row was late for all its windows (dropped; the caller counts it). A
    /// row in no window at all (a hop window's gap when slide > size) is not late.
    pub fn add(&mut self, ts: i64, key: &[u8], mut update: impl FnMut(&mut A)) -> bool {
        // The body is not generic over the closure: one copy per (K, A) only.
        self.add_dyn(ts, key, &mut update)
    }

    /// Advances the watermark to `wm` (ignored if not higher) and fires every window
    /// whose `max_timestamp() <= wm`, calling `emit(&key, window, &acc)` for each
    /// (key, window), windows in order of end then start. A window's state is freed
    /// (its map recycled) once `max_timestamp() + allowed_lateness <= wm`; until then
    /// keys updated by late rows fire again at the next `advance`, even one whose
    /// `wm` is not higher. `wm = i64::MAX` fires everything (end of bounded input).
    pub fn advance(&mut self, wm: i64, mut emit: impl FnMut(&K, Window, &A)) {
        self.wm = self.wm.max(wm);
        if matches!(self.kind, WindowKind::Session { .. }) {
            self.advance_sessions(&mut emit);
        } else {
            self.advance_aligned(&mut emit);
        }
    }

    /// As [`WindowAggregate::advance`], but the fired (key, window, accumulator)s are
    /// appended to `out`, in the same order: moved out of the state this advance frees
    /// (no copy: the common case, without allowed lateness), cloned from state kept for
    /// late rows. For a caller that must run the fired rows through other state of
    /// its own, which it cannot touch while `advance` holds this one.
    pub fn advance_into(&mut self, wm: i64, out: &mut Vec<(K, Window, A)>)
    where
        K: Clone,
        A: Clone,
    {
        self.wm = self.wm.max(wm);
        if matches!(self.kind, WindowKind::Session { .. }) {
            self.advance_sessions(&mut |k: &K, w, a: &A| out.push((k.clone(), w, a.clone())));
            return;
        }
        let wm = self.wm;
        for (meta, pane) in self.metas.iter_mut().zip(&mut self.panes) {
            let w = meta.window;
            if w.max_timestamp() > wm {
                break;
            }
            if !meta.fired {
                if cleanup_time(w, self.lateness) <= wm {
                    // Freed below: hand the entries over. `drain` visits them in the
                    // order `iter` would, and keeps the map's capacity.
                    out.extend(pane.map.drain().map(|(k, a)| (k, w, a)));
                } else {
                    out.extend(pane.map.iter().map(|(k, a)| (k.clone(), w, a.clone())));
                }
                meta.fired = true;
            } else if meta.dirty {
                for k in pane.dirty.drain() {
                    if let Some(acc) = pane.map.get(k.borrow()) {
                        let acc = acc.clone();
                        out.push((k, w, acc));
                    }
                }
            }
            meta.dirty = false;
        }
        self.free_cleaned();
    }

    /// The watermark at which a row at `ts` stops being held: the cleanup time of its
    /// last window (`i64::MAX` for sessions, which grow while rows come).
    pub fn release_time(&self, ts: i64) -> i64 {
        if matches!(self.kind, WindowKind::Session { .. }) {
            return i64::MAX;
        }
        if let Some(w) = self.kind.tumble(ts) {
            return cleanup_time(w, self.lateness);
        }
        // Windows come in increasing end order: the last one is released last.
        self.kind
            .windows(ts)
            .last()
            .map_or(i64::MIN, |w| cleanup_time(w, self.lateness))
    }

    /// Windows held: open aligned windows, or open sessions over all keys.
    pub fn open_windows(&self) -> usize {
        match self.kind {
            WindowKind::Session { .. } => self.sessions.open,
            _ => self.metas.len(),
        }
    }

    /// Keys held: (key, window) entries of aligned windows, or keys with a session.
    pub fn open_keys(&self) -> usize {
        match self.kind {
            WindowKind::Session { .. } => self.sessions.live_keys,
            _ => self.panes.iter().map(|p| p.map.len()).sum(),
        }
    }

    fn is_late(&self, w: Window) -> bool {
        cleanup_time(w, self.lateness) <= self.wm
    }

    fn add_dyn(&mut self, ts: i64, key: &[u8], update: &mut dyn FnMut(&mut A)) -> bool {
        if let WindowKind::Session { gap } = self.kind {
            return self.add_session(ts, gap, key, update);
        }
        // The common case, one tumbling window, without the general iterator (its
        // 128-bit arithmetic is most of the cost of placing a row).
        if let Some(w) = self.kind.tumble(ts) {
            if self.is_late(w) {
                return false;
            }
            self.add_to(w, key, update);
            return true;
        }
        let (mut any, mut late) = (false, false);
        for w in self.kind.windows(ts) {
            if self.is_late(w) {
                late = true;
                continue;
            }
            self.add_to(w, key, update);
            any = true;
        }
        any || !late
    }

    /// Adds the row of `key` to window `w` (not late).
    fn add_to(&mut self, w: Window, key: &[u8], update: &mut dyn FnMut(&mut A)) {
        let i = match locate(&self.metas, self.hint, w) {
            Ok(i) => i,
            Err(i) => {
                let meta = WinMeta {
                    window: w,
                    fired: false,
                    dirty: false,
                };
                self.metas.insert(i, meta);
                let pane = self.free.pop().unwrap_or_else(Pane::new);
                self.panes.insert(i, pane);
                i
            }
        };
        self.hint = i;
        let pane = &mut self.panes[i];
        match pane.map.get_mut(key) {
            Some(acc) => update(acc),
            None => {
                let mut acc = A::default();
                update(&mut acc);
                pane.map.insert(K::from_bytes(key), acc);
            }
        }
        let meta = &mut self.metas[i];
        if meta.fired {
            // Late but within the allowed lateness: fire this key again.
            meta.dirty = true;
            if !pane.dirty.contains(key) {
                pane.dirty.insert(K::from_bytes(key));
            }
        }
    }

    fn advance_aligned(&mut self, emit: &mut dyn FnMut(&K, Window, &A)) {
        let wm = self.wm;
        for (meta, pane) in self.metas.iter_mut().zip(&mut self.panes) {
            let w = meta.window;
            if w.max_timestamp() > wm {
                break; // sorted by end: the rest is not due either
            }
            if !meta.fired {
                for (k, acc) in &pane.map {
                    emit(k, w, acc);
                }
                meta.fired = true;
            } else if meta.dirty {
                for k in pane.dirty.drain() {
                    if let Some(acc) = pane.map.get(k.borrow()) {
                        emit(&k, w, acc);
                    }
                }
            }
            meta.dirty = false;
        }
        self.free_cleaned();
    }

    /// Frees the windows whose cleanup time the watermark has reached, keeping their
    /// maps for reuse.
    fn free_cleaned(&mut self) {
        let wm = self.wm;
        // Cleanup times are ordered like ends, so the windows to free are a prefix.
        let n = self
            .metas
            .partition_point(|m| cleanup_time(m.window, self.lateness) <= wm);
        if n == 0 {
            return;
        }
        self.metas.drain(..n);
        for mut pane in self.panes.drain(..n) {
            if self.free.len() < MAX_FREE_PANES {
                // clear() keeps the capacity: the next window starts at full size.
                pane.map.clear();
                pane.dirty.clear();
                self.free.push(pane);
            }
        }
        self.hint = 0;
    }

    /// The slot of `key` (whose hash is `h`), if it has open sessions.
    fn find_slot(&self, h: u64, key: &[u8]) -> Option<u32> {
        let s = &self.sessions;
        let mut i = *s.heads.get(&h)?;
        while i != NONE {
            let slot = &s.slots[i as usize];
            if slot.key.as_ref().is_some_and(|k| k.borrow() == key) {
                return Some(i);
            }
            i = slot.next;
        }
        None
    }

    fn add_session(
        &mut self,
        ts: i64,
        gap: i64,
        key: &[u8],
        update: &mut dyn FnMut(&mut A),
    ) -> bool {
        let w = Window {
            start: ts,
            end: ts.saturating_add(gap.max(1)),
        };
        let lateness = self.lateness;
        let h = hash_key(key);
        let Some(slot) = self.find_slot(h, key) else {
            if self.is_late(w) {
                return false;
            }
            let mut acc = A::default();
            update(&mut acc);
            let slot = self.new_slot(h, key);
            let s = Session {
                window: w,
                acc,
                fired: false,
                dirty: false,
            };
            let ss = &mut self.sessions;
            ss.timers
                .insert((session_timer(&s, lateness), w.start, slot));
            ss.slots[slot as usize].sessions.push(s);
            ss.open += 1;
            return true;
        };
        let wm = self.wm;
        let ss = &mut self.sessions;
        let list = &mut ss.slots[slot as usize].sessions;
        // Sessions are disjoint and sorted, so those intersecting `w` are a run i..j.
        let i = list.partition_point(|s| s.window.end < w.start);
        let j = i + list[i..].partition_point(|s| s.window.start <= w.end);
        if i == j {
            if cleanup_time(w, lateness) <= wm {
                return false;
            }
            let mut acc = A::default();
            update(&mut acc);
            let s = Session {
                window: w,
                acc,
                fired: false,
                dirty: false,
            };
            ss.timers
                .insert((session_timer(&s, lateness), w.start, slot));
            list.insert(i, s);
            ss.open += 1;
            return true;
        }
        let merged = Window {
            start: w.start.min(list[i].window.start),
            end: w.end.max(list[j - 1].window.end),
        };
        // Flink drops the row when the merged window is late. It cannot be here: it
        // covers an open session, and open sessions are not past their cleanup time.
        if cleanup_time(merged, lateness) <= wm {
            return false;
        }
        // The first session keeps its timer entry when nothing about it changes
        // (the common case: a row inside an open session).
        let first_timer = (session_timer(&list[i], lateness), list[i].window.start);
        for s in &list[i + 1..j] {
            ss.timers
                .remove(&(session_timer(s, lateness), s.window.start, slot));
        }
        // Merge the later-starting sessions into the earliest, in start order.
        let (head, rest) = list.split_at_mut(i + 1);
        let target = &mut head[i];
        for s in &rest[..j - i - 1] {
            target.acc.merge(&s.acc);
            target.fired |= s.fired;
        }
        list.drain(i + 1..j);
        ss.open -= j - i - 1;
        let s = &mut list[i];
        s.window = merged;
        update(&mut s.acc);
        s.dirty = true;
        let timer = (session_timer(s, lateness), merged.start);
        if timer != first_timer {
            ss.timers.remove(&(first_timer.0, first_timer.1, slot));
            ss.timers.insert((timer.0, timer.1, slot));
        }
        true
    }

    /// A slot for a new key: a recycled one (keeping its session vector) or a new one.
    fn new_slot(&mut self, h: u64, key: &[u8]) -> u32 {
        let ss = &mut self.sessions;
        let next = ss.heads.get(&h).copied().unwrap_or(NONE);
        let i = match ss.free.pop() {
            Some(i) => {
                let slot = &mut ss.slots[i as usize];
                slot.key = Some(K::from_bytes(key));
                slot.hash = h;
                slot.next = next;
                i
            }
            None => {
                // u32 slots: 4 billion keys with open sessions is beyond any one job.
                let i = u32::try_from(ss.slots.len()).unwrap_or(NONE - 1);
                ss.slots.push(KeySlot {
                    key: Some(K::from_bytes(key)),
                    hash: h,
                    next,
                    sessions: Vec::with_capacity(1),
                });
                i
            }
        };
        ss.heads.insert(h, i);
        ss.live_keys += 1;
        i
    }

    /// Unlinks a slot with no sessions left from its hash chain and recycles it.
    fn free_slot(&mut self, i: u32) {
        let ss = &mut self.sessions;
        let (h, next) = {
            let slot = &mut ss.slots[i as usize];
            slot.key = None;
            (slot.hash, slot.next)
        };
        match ss.heads.get(&h).copied() {
            Some(head) if head == i => {
                if next == NONE {
                    ss.heads.remove(&h);
                } else {
                    ss.heads.insert(h, next);
                }
            }
            Some(mut p) => {
                while p != NONE {
                    let pn = ss.slots[p as usize].next;
                    if pn == i {
                        ss.slots[p as usize].next = next;
                        break;
                    }
                    p = pn;
                }
            }
            None => {}
        }
        ss.slots[i as usize].next = NONE;
        ss.free.push(i);
        ss.live_keys -= 1;
    }

    fn advance_sessions(&mut self, emit: &mut dyn FnMut(&K, Window, &A)) {
        let (wm, lateness) = (self.wm, self.lateness);
        loop {
            let ss = &mut self.sessions;
            let Some(&(t, start, slot)) = ss.timers.first() else {
                break;
            };
            if t > wm {
                break;
            }
            ss.timers.pop_first();
            let ks = &mut ss.slots[slot as usize];
            let Ok(idx) = ks.sessions.binary_search_by_key(&start, |s| s.window.start) else {
                debug_assert!(false, "timer without its session");
                continue;
            };
            let s = &mut ks.sessions[idx];
            if s.window.max_timestamp() <= wm && (!s.fired || s.dirty) {
                if let Some(k) = &ks.key {
                    emit(k, s.window, &s.acc);
                }
                s.fired = true;
                s.dirty = false;
            }
            if cleanup_time(s.window, lateness) <= wm {
                ks.sessions.remove(idx);
                ss.open -= 1;
                if ks.sessions.is_empty() {
                    self.free_slot(slot);
                }
            } else {
                ss.timers.insert((session_timer(s, lateness), start, slot));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tumbling window placed in 64-bit arithmetic is the window the general
    /// iterator yields, negative times and the ends of the range included; where the
    /// window would overflow, the fast path steps aside.
    #[test]
    fn tumble_fast_path_is_the_general_window() {
        for size in [1, 7, 1000, 60_000, 86_400_000] {
            let kind = WindowKind::Tumble { size };
            let edges = [
                i64::MIN,
                i64::MIN + 1,
                -1_000_001,
                -1,
                0,
                1,
                59_999,
                i64::MAX - 1,
                i64::MAX,
            ];
            for ts in edges.into_iter().chain((-5000..5000).map(|i| i * 997)) {
                let general: Vec<Window> = kind.windows(ts).collect();
                match kind.tumble(ts) {
                    Some(w) => assert_eq!(general, [w], "{size} {ts}"),
                    // Only where the general window had to be clamped to the range.
                    None => assert!(
                        general[0].start == i64::MIN || general[0].end == i64::MAX,
                        "{size} {ts}: {general:?}"
                    ),
                }
            }
        }
        assert_eq!(WindowKind::Hop { size: 10, slide: 5 }.tumble(3), None);
    }

    #[test]
    fn the_last_window_is_the_one_stepping_reaches() {
        let kinds = [
            WindowKind::Tumble { size: 7 },
            WindowKind::Hop { size: 10, slide: 3 },
            WindowKind::Hop { size: 4, slide: 6 },
            WindowKind::Cumulate { size: 12, step: 4 },
            WindowKind::Session { gap: 5 },
        ];
        for kind in kinds {
            for ts in -30..30 {
                let stepped = kind.windows(ts).fold(None, |_, w| Some(w));
                assert_eq!(kind.windows(ts).last(), stepped, "{kind:?} at {ts}");
            }
        }
    }

    fn ws(kind: WindowKind, ts: i64) -> Vec<(i64, i64)> {
        let mut v = vec![];
        kind.assign(ts, &mut |w| v.push((w.start, w.end)));
        v
    }

    #[test]
    fn window_tumble_assignment() {
        let k = WindowKind::Tumble { size: 10 };
        assert_eq!(ws(k, 0), [(0, 10)]);
        assert_eq!(ws(k, 9), [(0, 10)]);
        assert_eq!(ws(k, 10), [(10, 20)]);
        // Negative timestamps round down, not toward zero (getWindowStartWithOffset).
        assert_eq!(ws(k, -1), [(-10, 0)]);
        assert_eq!(ws(k, -10), [(-10, 0)]);
        assert_eq!(ws(k, -11), [(-20, -10)]);
        // Extremes do not overflow.
        assert_eq!(ws(k, i64::MAX).len(), 1);
        assert_eq!(ws(k, i64::MIN).len(), 1);
    }

    #[test]
    fn window_hop_assignment() {
        let k = WindowKind::Hop { size: 10, slide: 5 };
        assert_eq!(ws(k, 12), [(5, 15), (10, 20)]);
        assert_eq!(ws(k, 10), [(5, 15), (10, 20)]);
        assert_eq!(ws(k, 9), [(0, 10), (5, 15)]);
        assert_eq!(ws(k, -1), [(-10, 0), (-5, 5)]);
        assert_eq!(ws(k, -5), [(-10, 0), (-5, 5)]);
        assert_eq!(ws(k, -6), [(-15, -5), (-10, 0)]);
        let k = WindowKind::Hop { size: 10, slide: 3 };
        assert_eq!(ws(k, 0), [(-9, 1), (-6, 4), (-3, 7), (0, 10)]);
        // slide > size leaves gaps that no window covers.
        let k = WindowKind::Hop { size: 2, slide: 5 };
        assert_eq!(ws(k, 1), [(0, 2)]);
        assert_eq!(ws(k, 3), []);
        assert_eq!(ws(k, -4), [(-5, -3)]);
    }

    #[test]
    fn window_cumulate_assignment() {
        let k = WindowKind::Cumulate { size: 10, step: 2 };
        assert_eq!(ws(k, 3), [(0, 4), (0, 6), (0, 8), (0, 10)]);
        assert_eq!(ws(k, 0), [(0, 2), (0, 4), (0, 6), (0, 8), (0, 10)]);
        assert_eq!(ws(k, 9), [(0, 10)]);
        assert_eq!(
            ws(k, 10),
            [(10, 12), (10, 14), (10, 16), (10, 18), (10, 20)]
        );
        assert_eq!(ws(k, -1), [(-10, 0)]);
        assert_eq!(ws(k, -3), [(-10, -2), (-10, 0)]);
    }

    #[test]
    fn window_session_assignment_is_the_row_window() {
        assert_eq!(ws(WindowKind::Session { gap: 5 }, 7), [(7, 12)]);
    }

    type Agg = WindowAggregate<Box<[u8]>, crate::agg::SumI64>;

    fn sum(v: i64) -> impl FnMut(&mut crate::agg::SumI64) {
        move |s| s.add(Some(v))
    }

    /// Fires up to `wm` and returns (key, start, end, sum) in emission order.
    fn fire(w: &mut Agg, wm: i64) -> Vec<(String, i64, i64, i64)> {
        let mut out = vec![];
        w.advance(wm, |k, win, s| {
            let k = String::from_utf8_lossy(k).into_owned();
            out.push((k, win.start, win.end, s.value().unwrap_or(0)));
        });
        out
    }

    /// `advance_into` hands over what `advance` emits, in the same order, and leaves
    /// the same state behind: with and without allowed lateness (a late row refiring
    /// its key), for aligned windows and sessions, and across reused maps.
    #[test]
    fn advance_into_hands_over_what_advance_emits() {
        let kinds = [
            WindowKind::Tumble { size: 10 },
            WindowKind::Hop { size: 10, slide: 5 },
            WindowKind::Cumulate { size: 10, step: 5 },
            WindowKind::Session { gap: 4 },
        ];
        for kind in kinds {
            for lateness in [0, 7] {
                let (mut a, mut b) = (Agg::new(kind, lateness), Agg::new(kind, lateness));
                let mut n = 0;
                for round in 0..6i64 {
                    for i in 0..40i64 {
                        n += 1;
                        let ts = round * 20 + (i * 7) % 23 - 3;
                        let key = format!("k{}", (i * 13 + round) % 9);
                        assert_eq!(
                            a.add(ts, key.as_bytes(), sum(n)),
                            b.add(ts, key.as_bytes(), sum(n))
                        );
                    }
                    let wm = round * 20 + 5;
                    let want = fire(&mut a, wm);
                    let mut got = Vec::new();
                    b.advance_into(wm, &mut got);
                    let got: Vec<_> = got
                        .into_iter()
                        .map(|(k, w, s)| {
                            let k = String::from_utf8_lossy(&k).into_owned();
                            (k, w.start, w.end, s.value().unwrap_or(0))
                        })
                        .collect();
                    assert_eq!(got, want, "{kind:?}, lateness {lateness}, round {round}");
                    assert!(!want.is_empty() || round == 0, "{kind:?}: nothing fired");
                    assert_eq!(
                        (a.open_windows(), a.open_keys()),
                        (b.open_windows(), b.open_keys())
                    );
                }
                let mut rest = Vec::new();
                b.advance_into(i64::MAX, &mut rest);
                assert_eq!(rest.len(), fire(&mut a, i64::MAX).len());
                assert_eq!((b.open_windows(), b.open_keys()), (0, 0));
            }
        }
    }

    fn row(k: &str, start: i64, end: i64, v: i64) -> (String, i64, i64, i64) {
        (k.to_string(), start, end, v)
    }

    #[test]
    fn window_tumble_fires_at_end_minus_one_and_frees_state() {
        let mut w = Agg::new(WindowKind::Tumble { size: 10 }, 0);
        assert_eq!(w.watermark(), i64::MIN);
        assert!(w.add(0, b"a", sum(1)));
        assert!(w.add(9, b"a", sum(2)));
        assert!(w.add(5, b"b", sum(4)));
        assert!(w.add(10, b"a", sum(8)));
        assert_eq!((w.open_windows(), w.open_keys()), (2, 3));
        assert_eq!(fire(&mut w, 8), []);
        let mut got = fire(&mut w, 9);
        got.sort();
        assert_eq!(got, [row("a", 0, 10, 3), row("b", 0, 10, 4)]);
        assert_eq!((w.open_windows(), w.open_keys()), (1, 1));
        assert_eq!(w.watermark(), 9);
        // A lower watermark is ignored.
        assert_eq!(fire(&mut w, 3), []);
        assert_eq!(w.watermark(), 9);
        assert_eq!(fire(&mut w, i64::MAX), [row("a", 10, 20, 8)]);
        assert_eq!((w.open_windows(), w.open_keys()), (0, 0));
    }

    #[test]
    fn window_late_exactly_when_max_timestamp_reached() {
        let mut w = Agg::new(WindowKind::Tumble { size: 10 }, 0);
        fire(&mut w, 8);
        // [0, 10): max_timestamp 9 > watermark 8, on time even at ts = 9.
        assert!(w.add(9, b"a", sum(1)));
        fire(&mut w, 9);
        // Now 9 <= 9: late, dropped, and no state is made for it.
        assert!(!w.add(9, b"a", sum(1)));
        assert!(!w.add(0, b"a", sum(1)));
        assert_eq!(w.open_windows(), 0);
        // The next window is on time.
        assert!(w.add(10, b"a", sum(1)));
    }

    #[test]
    fn window_hop_late_row_counts_in_unfired_windows_only() {
        let mut w = Agg::new(WindowKind::Hop { size: 10, slide: 5 }, 0);
        w.add(7, b"k", sum(1)); // [0,10) and [5,15)
        assert_eq!(fire(&mut w, 9), [row("k", 0, 10, 1)]);
        // ts 8: [0,10) has fired (late), [5,15) has not: counted there only.
        assert!(w.add(8, b"k", sum(10)));
        assert_eq!(w.open_windows(), 1);
        assert_eq!(fire(&mut w, 14), [row("k", 5, 15, 11)]);
        // ts 3 is in [-5,5) and [0,10), both fired: dropped.
        assert!(!w.add(3, b"k", sum(100)));
    }

    #[test]
    fn window_hop_row_in_a_gap_is_not_late() {
        // slide > size: ts 3 is in no window. Flink drops it as no window's row, not
        // as a late one, and so the caller must not count it as late.
        let mut w = Agg::new(WindowKind::Hop { size: 2, slide: 5 }, 0);
        assert!(w.add(3, b"k", sum(1)));
        assert_eq!(w.open_windows(), 0);
        assert!(w.add(1, b"k", sum(1)));
        assert_eq!(fire(&mut w, 1), [row("k", 0, 2, 1)]);
        assert!(!w.add(0, b"k", sum(1)), "late for its only window");
        assert!(
            w.add(3, b"k", sum(1)),
            "in no window, even behind the watermark"
        );
    }

    #[test]
    fn window_fires_in_end_then_start_order() {
        let mut w = Agg::new(WindowKind::Cumulate { size: 6, step: 2 }, 0);
        w.add(1, b"x", sum(1)); // [0,2) [0,4) [0,6)
        w.add(3, b"y", sum(2)); // [0,4) [0,6)
        w.add(7, b"x", sum(4)); // [6,8) [6,10) [6,12)
        let got = fire(&mut w, i64::MAX);
        let windows: Vec<(i64, i64)> = got.iter().map(|r| (r.1, r.2)).collect();
        assert_eq!(
            windows,
            [
                (0, 2),
                (0, 4),
                (0, 4),
                (0, 6),
                (0, 6),
                (6, 8),
                (6, 10),
                (6, 12)
            ]
        );
        let mut at_0_6: Vec<_> = got.iter().filter(|r| (r.1, r.2) == (0, 6)).collect();
        at_0_6.sort();
        assert_eq!(at_0_6, [&row("x", 0, 6, 1), &row("y", 0, 6, 2)]);

        // Rows arriving out of order still fire in window order.
        let mut w = Agg::new(WindowKind::Tumble { size: 10 }, 0);
        for ts in [35, 5, 22, 14, -3] {
            w.add(ts, b"k", sum(ts));
        }
        let starts: Vec<i64> = fire(&mut w, 100).iter().map(|r| r.1).collect();
        assert_eq!(starts, [-10, 0, 10, 20, 30]);
    }

    #[test]
    fn window_maps_are_recycled() {
        let mut w = Agg::new(WindowKind::Tumble { size: 10 }, 0);
        for k in 0..200u32 {
            w.add(1, &k.to_le_bytes(), sum(1));
        }
        let cap = w.panes[0].map.capacity();
        assert!(cap >= 200);
        assert_eq!(fire(&mut w, 9).len(), 200);
        assert_eq!(w.free.len(), 1, "the fired window's map is kept");
        assert_eq!(w.free[0].map.len(), 0);
        w.add(15, b"k", sum(1));
        assert!(w.free.is_empty(), "and reused by the next window");
        assert_eq!(w.panes[0].map.capacity(), cap);
        assert_eq!(w.open_keys(), 1);
    }

    #[test]
    fn window_fixed_width_keys() {
        let mut w: WindowAggregate<[u8; 9], crate::agg::Count> =
            WindowAggregate::new(WindowKind::Tumble { size: 10 }, 0);
        let mut kw = crate::key::KeyWriter::new();
        for v in [Some(1), None, Some(1), None, Some(2)] {
            kw.clear();
            kw.push_i64(v);
            w.add(0, kw.bytes(), |c| c.add());
        }
        let mut got = vec![];
        w.advance(9, |k, _, c| {
            got.push((crate::key::KeyReader::new(k).i64(), c.value()))
        });
        got.sort();
        assert_eq!(got, [(None, 2), (Some(1), 2), (Some(2), 1)]);
    }

    #[test]
    fn window_allowed_lateness_refires_updated_keys() {
        let mut w = Agg::new(WindowKind::Tumble { size: 10 }, 5);
        w.add(1, b"a", sum(1));
        w.add(2, b"b", sum(2));
        let mut got = fire(&mut w, 9);
        got.sort();
        assert_eq!(got, [row("a", 0, 10, 1), row("b", 0, 10, 2)]);
        assert_eq!(w.open_windows(), 1, "kept for the allowed lateness");
        // Late but allowed (9 + 5 > 12): updates the window, fires "a" again at the
        // next advance, even without a higher watermark.
        fire(&mut w, 12);
        assert!(w.add(3, b"a", sum(10)));
        assert!(w.add(4, b"a", sum(100)));
        assert!(w.add(5, b"c", sum(7)));
        let mut got = fire(&mut w, 12);
        got.sort();
        assert_eq!(got, [row("a", 0, 10, 111), row("c", 0, 10, 7)]);
        assert_eq!(fire(&mut w, 13), [], "nothing new to fire");
        // At 9 + 5 <= 14 the state goes and rows for it are dropped.
        assert_eq!(fire(&mut w, 14), []);
        assert_eq!(w.open_windows(), 0);
        assert!(!w.add(3, b"a", sum(1)));
    }

    fn session(gap: i64) -> Agg {
        Agg::new(WindowKind::Session { gap }, 0)
    }

    #[test]
    fn window_session_merges_and_splits_by_gap() {
        let mut w = session(10);
        w.add(0, b"a", sum(1));
        w.add(20, b"a", sum(2)); // a new session: 20 > 0 + 10
        w.add(10, b"a", sum(4)); // [10,20) touches both: all three merge
        w.add(100, b"a", sum(8)); // separate session
        w.add(5, b"b", sum(16)); // another key
        assert_eq!((w.open_windows(), w.open_keys()), (3, 2));
        assert_eq!(fire(&mut w, 14), [row("b", 5, 15, 16)]);
        assert_eq!(fire(&mut w, 28), []);
        assert_eq!(fire(&mut w, 29), [row("a", 0, 30, 7)]);
        assert_eq!((w.open_windows(), w.open_keys()), (1, 1));
        assert_eq!(fire(&mut w, i64::MAX), [row("a", 100, 110, 8)]);
        assert_eq!((w.open_windows(), w.open_keys()), (0, 0));
    }

    #[test]
    fn window_session_merge_keeps_start_order() {
        use crate::agg::{FirstValue, LastValue};
        type Acc = (FirstValue<i64>, LastValue<i64>);
        let mut w: WindowAggregate<Box<[u8]>, Acc> =
            WindowAggregate::new(WindowKind::Session { gap: 5 }, 0);
        let set = |v: i64| {
            move |a: &mut Acc| {
                a.0.add(Some(v));
                a.1.add(Some(v));
            }
        };
        w.add(20, b"k", set(1)); // [20,25)
        w.add(0, b"k", set(2)); // [0,5)
        w.add(10, b"k", set(3)); // [10,15)
        assert_eq!(w.open_windows(), 3);
        w.add(5, b"k", set(4)); // [5,10): joins [0,5) and [10,15)
        w.add(15, b"k", set(5)); // [15,20): joins that and [20,25)
        assert_eq!(w.open_windows(), 1);
        let mut got = vec![];
        w.advance(i64::MAX, |_, win, a| {
            got.push((win, a.0.value(), a.1.value()))
        });
        // Merged earliest-first: first of the [0,5) session, last of the newest row.
        assert_eq!(got, [(Window { start: 0, end: 25 }, Some(2), Some(5))]);
    }

    #[test]
    fn window_session_late_drop() {
        let mut w = session(10);
        w.add(100, b"a", sum(1)); // [100,110)
        fire(&mut w, 50);
        // [30,40): max_timestamp 39 <= 50, no open session to join: dropped.
        assert!(!w.add(30, b"a", sum(1)));
        assert!(!w.add(30, b"new", sum(1)));
        assert_eq!(w.open_keys(), 1);
        // [41,51): max_timestamp 50 <= 50, late; [42,52) is on time.
        assert!(!w.add(41, b"a", sum(1)));
        assert!(w.add(42, b"a", sum(1))); // [42,52)
        // A late row that joins an open session is kept (the merged window is not late).
        assert!(w.add(95, b"a", sum(10))); // [95,105) joins [100,110)
        assert_eq!(w.open_windows(), 2);
        assert_eq!(
            fire(&mut w, i64::MAX),
            [row("a", 42, 52, 1), row("a", 95, 110, 11)]
        );
    }

    #[test]
    fn window_session_allowed_lateness_refires() {
        let mut w = Agg::new(WindowKind::Session { gap: 10 }, 20);
        w.add(0, b"a", sum(1));
        assert_eq!(fire(&mut w, 9), [row("a", 0, 10, 1)]);
        assert_eq!(w.open_windows(), 1, "kept for the allowed lateness");
        // [-5,5) joins the fired [0,10): the merged window is due, fires again.
        assert!(w.add(-5, b"a", sum(2)));
        assert_eq!(fire(&mut w, 9), [row("a", -5, 10, 3)]);
        assert_eq!(fire(&mut w, 9), []);
        // [5,15) extends it to [-5,15): it fires when the watermark reaches 14.
        assert!(w.add(5, b"a", sum(4)));
        assert_eq!(fire(&mut w, 13), []);
        assert_eq!(fire(&mut w, 14), [row("a", -5, 15, 7)]);
        // Cleanup at 14 + 20.
        assert_eq!(fire(&mut w, 33), []);
        assert_eq!(w.open_windows(), 1);
        assert_eq!(fire(&mut w, 34), []);
        assert_eq!((w.open_windows(), w.open_keys()), (0, 0));
        assert!(!w.add(0, b"a", sum(1)));
    }

    #[test]
    fn window_session_timers_fire_only_due_sessions() {
        let mut w = session(10);
        for k in 0..1000i64 {
            w.add(k * 100, &k.to_le_bytes(), sum(k));
        }
        assert_eq!(w.open_keys(), 1000);
        let got = fire(&mut w, 509);
        assert_eq!(got.len(), 6); // starts 0..=500
        assert_eq!(w.sessions.timers.len(), 994);
        assert_eq!(w.open_keys(), 994);
        // Slots are recycled for new keys.
        let slots = w.sessions.slots.len();
        w.add(10_000_000, b"new", sum(1));
        assert_eq!(w.sessions.slots.len(), slots);
        assert_eq!(fire(&mut w, i64::MAX).len(), 995);
        assert!(w.sessions.heads.is_empty());
    }

    #[test]
    fn window_session_hash_chains() {
        // Force three keys onto one hash to exercise the collision chain.
        let mut w = session(10);
        let h = 42;
        let a = w.new_slot(h, b"a");
        let b = w.new_slot(h, b"b");
        let c = w.new_slot(h, b"c");
        for (k, i) in [(&b"a"[..], a), (b"b", b), (b"c", c)] {
            assert_eq!(w.find_slot(h, k), Some(i));
        }
        assert_eq!(w.find_slot(h, b"d"), None);
        w.free_slot(b);
        assert_eq!(w.find_slot(h, b"b"), None);
        assert_eq!(
            (w.find_slot(h, b"a"), w.find_slot(h, b"c")),
            (Some(a), Some(c))
        );
        w.free_slot(c); // the head
        assert_eq!(w.find_slot(h, b"a"), Some(a));
        assert_eq!(w.find_slot(h, b"c"), None);
        w.free_slot(a);
        assert!(w.sessions.heads.is_empty());
        assert_eq!(w.sessions.live_keys, 0);
    }
}
