//! Waiting between attempts to reach a store that is away.
//!
//! In: the failure just seen. Out: a sleep of 100 ms, doubling up to 5 s, with a line
//! on stderr per attempt (a job waiting for its database says so), or an error once
//! failures have lasted longer than the limit (a sink's `sink.reconnect-timeout`, a
//! lookup join's `lookup.reconnect-timeout`): then the job stops instead of spinning
//! silently, and rows not written are not lost — the sources' offsets were not
//! committed past them.

use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_millis(100);
const CAP: Duration = Duration::from_secs(5);

/// Exponential backoff, bounded in total time.
#[derive(Debug)]
pub struct Backoff {
    /// What waits, in messages: `sink`, `lookup`.
    what: &'static str,
    /// The option that sets the limit, in messages.
    option: &'static str,
    since: Instant,
    next: Duration,
    limit: Duration,
    attempts: u32,
}

impl Backoff {
    /// A sink's backoff (`sink.reconnect-timeout`).
    pub fn new(limit: Duration) -> Backoff {
        Backoff::named("sink", "sink.reconnect-timeout", limit)
    }

    /// A backoff whose messages say `{what} `name`` and name `option` as the limit.
    pub fn named(what: &'static str, option: &'static str, limit: Duration) -> Backoff {
        Backoff {
            what,
            option,
            since: Instant::now(),
            next: FIRST,
            limit,
            attempts: 0,
        }
    }

    /// Sleeps before the next attempt, or gives up with an error naming the failure.
    pub fn wait(&mut self, name: &str, failure: &str) -> Result<(), String> {
        let (what, option) = (self.what, self.option);
        let waited = self.since.elapsed();
        if waited >= self.limit {
            return Err(format!(
                "{what} `{name}`: giving up after {} attempts in {:.0} s ({option} = {:.0} s): {failure}",
                self.attempts + 1,
                waited.as_secs_f64(),
                self.limit.as_secs_f64()
            ));
        }
        self.attempts += 1;
        let delay = self.next.min(self.limit - waited);
        eprintln!(
            "{what} `{name}`: {failure}; retrying in {:.1} s (attempt {}, {:.0} s of {:.0} s)",
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
        let err = b.wait("s", "refused").unwrap_err();
        assert!(err.starts_with("sink `s`: giving up"), "{err}");
        assert!(err.contains("(sink.reconnect-timeout = 0 s)"), "{err}");
    }

    #[test]
    fn names_what_waits_and_its_option() {
        let mut b = Backoff::named("lookup", "lookup.reconnect-timeout", Duration::ZERO);
        let err = b.wait("dim", "refused").unwrap_err();
        assert!(
            err.starts_with("lookup `dim`: giving up after 1 attempts"),
            "{err}"
        );
        assert!(err.contains("lookup.reconnect-timeout"), "{err}");
    }
}
