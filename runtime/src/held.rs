//! Offsets of source messages whose rows are still held in operator state (open
//! windows), so that a Kafka source never commits past them.
//!
//! In: for each row a window operator keeps, its message's (topic, partition, offset)
//! and the watermark at which its last window is released; then the watermarks as they
//! advance. Out: per partition the lowest offset that may still be held — the highest
//! offset a commit may store. Without state snapshots this is what makes a restart
//! lose nothing: whatever was held is read again. Rows are grouped into buckets of
//! consecutive arrivals, so the bookkeeping is a few words per thousand rows; a bucket
//! is released when the watermark passes its latest release time and every older
//! bucket of its partition is released (conservative: never too early).

use std::collections::VecDeque;

/// Rows per bucket.
const BUCKET: u32 = 1024;

#[derive(Debug)]
struct Bucket {
    first: i64,
    rows: u32,
    release: i64,
}

#[derive(Debug)]
struct Part {
    topic: String,
    partition: i32,
    buckets: VecDeque<Bucket>,
}

/// Held offsets of one source.
///
/// ```
/// use streamsql_runtime::held::HeldOffsets;
/// let mut h = HeldOffsets::default();
/// h.hold("t", 0, 7, 59_999); // in a window released at watermark 59 999
/// h.hold("t", 0, 8, 119_999);
/// assert_eq!(h.lowest("t", 0), Some(7));
/// h.release(60_000);
/// assert_eq!(h.lowest("t", 0), Some(7), "its bucket also holds offset 8");
/// h.release(120_000);
/// assert_eq!(h.lowest("t", 0), None);
/// ```
#[derive(Debug, Default)]
pub struct HeldOffsets {
    parts: Vec<Part>,
}

impl HeldOffsets {
    /// A row of this message is held until the watermark reaches `release`
    /// (`i64::MAX`: until [`HeldOffsets::clear`]).
    pub fn hold(&mut self, topic: &str, partition: i32, offset: i64, release: i64) {
        let i = match self
            .parts
            .iter()
            .position(|p| p.partition == partition && p.topic == topic)
        {
            Some(i) => i,
            None => {
                self.parts.push(Part {
                    topic: topic.to_string(),
                    partition,
                    buckets: VecDeque::new(),
                });
                self.parts.len() - 1
            }
        };
        let buckets = &mut self.parts[i].buckets;
        match buckets.back_mut() {
            Some(b) if b.rows < BUCKET => {
                b.rows += 1;
                b.release = b.release.max(release);
            }
            _ => buckets.push_back(Bucket {
                first: offset,
                rows: 1,
                release,
            }),
        }
    }

    /// The watermark reached `wm`: what was held only until then is free.
    pub fn release(&mut self, wm: i64) {
        for p in &mut self.parts {
            while p.buckets.front().is_some_and(|b| b.release <= wm) {
                p.buckets.pop_front();
            }
        }
    }

    /// Nothing is held any more (the operators' state is empty).
    pub fn clear(&mut self) {
        for p in &mut self.parts {
            p.buckets.clear();
        }
    }

    /// The lowest offset of this partition that may still be held.
    pub fn lowest(&self, topic: &str, partition: i32) -> Option<i64> {
        self.parts
            .iter()
            .find(|p| p.partition == partition && p.topic == topic)
            .and_then(|p| p.buckets.front())
            .map(|b| b.first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_is_released_only_after_the_older_ones() {
        let mut h = HeldOffsets::default();
        for o in 0..(BUCKET as i64) {
            h.hold("t", 0, o, i64::MAX);
        }
        h.hold("t", 0, 5000, 10);
        h.hold("t", 1, 3, 10);
        h.release(100);
        assert_eq!(
            h.lowest("t", 0),
            Some(0),
            "the older bucket holds until cleared"
        );
        assert_eq!(h.lowest("t", 1), None);
        assert_eq!(h.lowest("u", 0), None, "another topic");
        h.clear();
        assert_eq!(h.lowest("t", 0), None);
    }
}
