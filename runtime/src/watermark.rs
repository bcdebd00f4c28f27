//! Per-source event-time watermarks.
//!
//! In: the rowtime of every row a source reads, with its partition and the time it
//! was seen; periodic ticks for idleness. Out: the source's watermark, and whether a
//! row or tick advanced it (the caller then advances its window operators).
//!
//! Flink 2.3 semantics, as checked in its source:
//! - The watermark of a partition is `max(rowtime) - delay`: the SQL
//!   `WATERMARK FOR ts AS ts - INTERVAL ...` expression evaluated on every row, kept
//!   at its maximum (`WatermarkAssignerOperator.processElement`, and
//!   `DefaultWatermarkGenerator` when pushed into the source). There is no extra
//!   `- 1` as the DataStream API's `BoundedOutOfOrdernessWatermarks` has. With
//!   `pipeline.auto-watermark-interval=0` Flink emits it after every row, and so
//!   does this module: batching never changes which rows are late.
//! - A source with several partitions (Kafka) takes the minimum over its partitions
//!   that are not idle, and never goes back (`CombinedWatermarkStatus`/
//!   `WatermarkOutputMultiplexer`: the combined watermark only moves up; when every
//!   partition is idle it holds).
//! - A partition that has not produced a row for `idle_timeout`
//!   (`table.exec.source.idle-timeout`, `WatermarksWithIdleness`) is idle: it stops
//!   holding the watermark back until its next row.
//!
//! Not modelled: Flink's SQL `WatermarkAssignerOperator` (a source without
//! watermark push-down) starts its watermark at 0, so it never emits one below 0;
//! before 1970 the difference shows (here the watermark follows the rows).

use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
struct Partition {
    id: i32,
    /// max(rowtime) - delay over this partition's rows.
    wm: i64,
    last_seen: Instant,
    idle: bool,
}

/// The watermark of one source over its partitions.
///
/// ```
/// use std::time::{Duration, Instant};
/// use streamsql_runtime::watermark::Watermarks;
///
/// let t0 = Instant::now();
/// let mut w = Watermarks::new(5_000, Some(Duration::from_secs(60)));
/// assert_eq!(w.current(), i64::MIN);
/// assert_eq!(w.observe(0, 20_000, t0), Some(15_000));
/// assert_eq!(w.observe(0, 19_000, t0), None); // out of order: no change
/// // Partition 1 lags; the source watermark waits for it (and never goes back).
/// assert_eq!(w.observe(1, 10_000, t0), None);
/// assert_eq!(w.observe(1, 22_000, t0), None);
/// let t30 = t0 + Duration::from_secs(30);
/// assert_eq!(w.observe(0, 30_000, t30), Some(17_000));
/// // Partition 1 goes quiet: after the idle timeout only partition 0 counts.
/// assert_eq!(w.tick(t0 + Duration::from_secs(61)), Some(25_000));
/// assert_eq!(w.current(), 25_000);
/// ```
#[derive(Clone, Debug)]
pub struct Watermarks {
    delay: i64,
    idle_timeout: Option<Duration>,
    parts: Vec<Partition>,
    /// Index of the partition of the last row (rows come in runs per partition).
    last: usize,
    current: i64,
}

impl Watermarks {
    /// `delay_ms`: the watermark is max(rowtime) - delay_ms (Flink SQL's watermark
    /// expression evaluated per row, emitted per row with
    /// pipeline.auto-watermark-interval=0). `idle_timeout`: a partition with no row
    /// for that long stops holding the watermark back (Flink's
    /// table.exec.source.idle-timeout / WatermarksWithIdleness); None = never idle.
    pub fn new(delay_ms: i64, idle_timeout: Option<Duration>) -> Self {
        Self {
            delay: delay_ms,
            idle_timeout,
            parts: Vec::new(),
            last: 0,
            current: i64::MIN,
        }
    }

    /// A row of `partition` with this rowtime, seen at `now`; returns the source's
    /// new watermark if it advanced.
    pub fn observe(&mut self, partition: i32, rowtime: i64, now: Instant) -> Option<i64> {
        let i = self.index(partition, now);
        let p = &mut self.parts[i];
        p.last_seen = now;
        let was_idle = std::mem::replace(&mut p.idle, false);
        let before = p.wm;
        p.wm = p.wm.max(rowtime.saturating_sub(self.delay));
        // While some partition is active, `current` >= the minimum over the active
        // ones. So a partition that did not move, or that was above `current` (not
        // the minimum), cannot advance the source. One back from idleness can: when
        // every partition was idle there was no minimum to hold `current`.
        if was_idle || (p.wm > before && before <= self.current) {
            self.recompute()
        } else {
            None
        }
    }

    /// Re-evaluates idleness at `now` (called periodically); returns the new
    /// watermark if it advanced.
    pub fn tick(&mut self, now: Instant) -> Option<i64> {
        let timeout = self.idle_timeout?;
        let mut changed = false;
        for p in &mut self.parts {
            if !p.idle && now.saturating_duration_since(p.last_seen) >= timeout {
                p.idle = true;
                changed = true;
            }
        }
        if changed { self.recompute() } else { None }
    }

    /// The current watermark: min over the active partitions of their
    /// max(rowtime) - delay; i64::MIN before any row; if every partition is idle, it
    /// holds its last value (never goes back).
    pub fn current(&self) -> i64 {
        self.current
    }

    /// Partitions seen so far, and how many of them are idle (for metrics).
    pub fn partitions(&self) -> (usize, usize) {
        let idle = self.parts.iter().filter(|p| p.idle).count();
        (self.parts.len(), idle)
    }

    fn index(&mut self, partition: i32, now: Instant) -> usize {
        if self.parts.get(self.last).is_some_and(|p| p.id == partition) {
            return self.last;
        }
        // A linear scan: sources have few partitions, and runs of rows per
        // partition make the cached index above the common case.
        let i = match self.parts.iter().position(|p| p.id == partition) {
            Some(i) => i,
            None => {
                self.parts.push(Partition {
                    id: partition,
                    wm: i64::MIN,
                    last_seen: now,
                    idle: false,
                });
                self.parts.len() - 1
            }
        };
        self.last = i;
        i
    }

    /// Raises `current` to the minimum over the active partitions if that is higher.
    fn recompute(&mut self) -> Option<i64> {
        let min = self.parts.iter().filter(|p| !p.idle).map(|p| p.wm).min()?;
        if min > self.current {
            self.current = min;
            Some(min)
        } else {
            None
        }
    }
}

/// The watermark of an operator with several inputs: the lowest of them.
///
/// ```
/// assert_eq!(streamsql_runtime::watermark::combine(5, 3), 3);
/// ```
pub fn combine(a: i64, b: i64) -> i64 {
    a.min(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(t0: Instant, s: u64) -> Instant {
        t0 + Duration::from_secs(s)
    }

    #[test]
    fn watermark_is_max_rowtime_minus_delay_and_never_decreases() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(1_000, None);
        assert_eq!(w.current(), i64::MIN);
        assert_eq!(w.observe(0, 5_000, t0), Some(4_000));
        assert_eq!(w.observe(0, 3_000, t0), None);
        assert_eq!(w.current(), 4_000);
        assert_eq!(w.observe(0, 5_000, t0), None, "equal is not an advance");
        assert_eq!(w.observe(0, 5_001, t0), Some(4_001));
        assert_eq!(w.tick(secs(t0, 1_000)), None, "no idleness configured");
        assert_eq!(w.current(), 4_001);
    }

    #[test]
    fn watermark_zero_delay_and_extremes() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(0, None);
        assert_eq!(w.observe(0, -10, t0), Some(-10));
        let mut w = Watermarks::new(5, None);
        assert_eq!(w.observe(0, i64::MIN, t0), None, "saturates, no overflow");
        assert_eq!(w.observe(0, i64::MIN + 6, t0), Some(i64::MIN + 1));
    }

    #[test]
    fn watermark_min_over_partitions() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(0, None);
        assert_eq!(w.observe(0, 100, t0), Some(100));
        // A new partition can only hold the watermark back; it never goes back.
        assert_eq!(w.observe(1, 50, t0), None);
        assert_eq!(w.observe(2, 70, t0), None);
        assert_eq!(w.current(), 100);
        assert_eq!(w.observe(0, 200, t0), None);
        assert_eq!(w.observe(1, 300, t0), None, "partition 2 is at 70");
        assert_eq!(w.observe(2, 150, t0), Some(150));
        assert_eq!(w.observe(2, 400, t0), Some(200));
        assert_eq!(w.observe(0, 250, t0), Some(250));
        assert_eq!(w.partitions(), (3, 0));
    }

    #[test]
    fn watermark_idle_partition_stops_holding_back() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(0, Some(Duration::from_secs(10)));
        w.observe(0, 1_000, t0);
        w.observe(1, 500, t0);
        assert_eq!(w.current(), 1_000);
        w.observe(0, 2_000, secs(t0, 5));
        assert_eq!(
            w.current(),
            1_000,
            "partition 1 (500) holds it; it never went down"
        );
        assert_eq!(w.tick(secs(t0, 9)), None);
        // Partition 1 silent for 10 s: idle. Partition 0 (seen at 5 s) is not.
        assert_eq!(w.tick(secs(t0, 10)), Some(2_000));
        assert_eq!(w.partitions(), (2, 1));
        assert_eq!(w.observe(0, 3_000, secs(t0, 11)), Some(3_000));
        // Partition 1 comes back behind: active again, holds later advances.
        assert_eq!(w.observe(1, 600, secs(t0, 12)), None);
        assert_eq!(w.current(), 3_000);
        assert_eq!(w.observe(0, 4_000, secs(t0, 12)), None);
        assert_eq!(w.observe(1, 3_500, secs(t0, 13)), Some(3_500));
        // Everything idle: the watermark holds.
        assert_eq!(w.tick(secs(t0, 100)), None);
        assert_eq!(w.partitions(), (2, 2));
        assert_eq!(w.current(), 3_500);
    }

    #[test]
    fn watermark_resumes_when_all_partitions_were_idle() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(0, Some(Duration::from_secs(1)));
        w.observe(0, 100, t0);
        w.observe(1, 200, t0);
        assert_eq!(w.current(), 100);
        assert_eq!(w.tick(secs(t0, 5)), None, "all idle: holds");
        // Partition 1 alone is active again: its 200 (even without a newer row
        // time) is the minimum over the active partitions.
        assert_eq!(w.observe(1, 150, secs(t0, 6)), Some(200));
        // Partition 0 back, behind: holds further advances only.
        assert_eq!(w.observe(0, 120, secs(t0, 6)), None);
        assert_eq!(w.observe(1, 300, secs(t0, 6)), None);
        assert_eq!(w.observe(0, 250, secs(t0, 6)), Some(250));
    }

    #[test]
    fn watermark_single_partition_idles_and_resumes() {
        let t0 = Instant::now();
        let mut w = Watermarks::new(0, Some(Duration::from_millis(100)));
        assert_eq!(w.tick(t0), None, "no partitions yet");
        assert_eq!(w.observe(0, 10, t0), Some(10));
        assert_eq!(w.tick(secs(t0, 1)), None);
        assert_eq!(w.current(), 10);
        assert_eq!(w.observe(0, 5, secs(t0, 2)), None);
        assert_eq!(w.observe(0, 20, secs(t0, 2)), Some(20));
    }

    #[test]
    fn watermark_combine_is_min() {
        assert_eq!(combine(i64::MIN, 7), i64::MIN);
        assert_eq!(combine(7, 9), 7);
    }
}
