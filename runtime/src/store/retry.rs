//! Waiting between attempts to reach a store that is away.
//!
//! In: the failure just seen. Out: a sleep of 100 ms, doubling up to 5 s, with a line
//! on stderr per attempt (a job waiting for its database says so), or an error once
//! failures have lasted longer than the sink's limit (`sink.reconnect-timeout`):
//! then the job stops instead of spinning silently, and rows not written are not
//! lost — the sources' offsets were not committed past them.

use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_millis(100);
const CAP: Duration = Duration::from_secs(5);

/// Exponential backoff, bounded in total time.
#[derive(Debug)]
pub struct Backoff {
    since: Instant,
    next: Duration,
    limit: Duration,
    attempts: u32,
}

impl Backoff {
    pub fn new(limit: Duration) -> Backoff {
        Backoff {
            since: Instant::now(),
            next: FIRST,
            limit,
            attempts: 0,
        }
    }

    /// Sleeps before the next attempt, or gives up with an error naming the failure.
    pub fn wait(&mut self, sink: &str, failure: &str) -> Result<(), String> {
        let waited = self.since.elapsed();
        if waited >= self.limit {
            return Err(format!(
                "sink `{sink}`: giving up after {} attempts in {:.0} s (sink.reconnect-timeout = {:.0} s): {failure}",
                self.attempts + 1,
                waited.as_secs_f64(),
                self.limit.as_secs_f64()
            ));
        }
        self.attempts += 1;
        let delay = self.next.min(self.limit - waited);
        eprintln!(
            "sink `{sink}`: {failure}; retrying in {:.1} s (attempt {}, {:.0} s of {:.0} s)",
            delay.as_secs_f64(),
            self.attempts,
            waited.as_secs_f64(),
            self.limit.as_secs_f64()
        );
        std::thread::sleep(delay);
        self.next = (self.next * 2).min(CAP);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_after_the_limit() {
        let mut b = Backoff::new(Duration::from_millis(250));
        let start = Instant::now();
        let mut tries = 0;
        while b.wait("s", "refused").is_ok() {
            tries += 1;
        }
        // 100 + 150 (the rest of the limit) ms: two waits, then the error.
        assert_eq!(tries, 2);
        assert!(start.elapsed() >= Duration::from_millis(250));
        assert!(b.wait("s", "refused").unwrap_err().contains("giving up"));
    }
}
