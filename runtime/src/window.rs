//! Event-time windows: assignment, and the per-(key, window) aggregate state.
//!
//! In: rows as (event time, encoded key, an update of the key's accumulator), and
//! watermarks. Out: for every (key, window) whose window the watermark has passed,
//! the key, the window and the final accumulator, in window order; the state is then
//! freed.
//!
//! (Window aggregate state: being written.)

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
