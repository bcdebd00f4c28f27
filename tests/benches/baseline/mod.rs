//! Hand-written Rust baselines: seed jobs written directly as single-threaded Rust,
//! the yardstick for the generated code (the `jobs` bench prints generated /
//! hand-written).
//!
//! In: a JSON-lines file of the job's one source. Out: the lines the compiled job
//! writes to its sink for the same file (compared line for line by
//! `tests/tests/baselines.rs`, with processing-time columns masked), and how many
//! events were read and rows written. Each job keeps to what the SQL says (Blink
//! semantics, as the runtime implements them) but none of the generality: its own
//! JSON scanner for its own fields, its own state layout, one pass. Formatting of
//! doubles and strings uses the runtime's leaf encoders (`encode::json_float`,
//! `encode::json_str`), whose output is the contract; no other runtime code.
//!
//! Not modelled, as the benchmarks never reach them: the state TTL (processing time;
//! a run is far shorter than the jobs' 36 h) and dead-letter output (bad rows are
//! skipped as the job skips them).

pub mod av_network_monitoring;
pub mod daily_mall_traffic;
pub mod scan;

use std::io::{self, Read, Write};
use std::path::Path;

/// What a baseline run read and wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub read: u64,
    pub emitted: u64,
}

/// Whether `job` (`domain/job`) has a hand-written baseline.
pub fn has(job: &str) -> bool {
    matches!(
        job,
        "iot/daily_mall_traffic" | "education/av_network_monitoring"
    )
}

/// Runs `job`'s baseline over `input`, writing its sink lines to `out`; `None` when
/// the job has no baseline.
pub fn run(job: &str, input: &Path, out: &mut dyn Write) -> Option<io::Result<Counters>> {
    let file = match std::fs::File::open(input) {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    Some(match job {
        "iot/daily_mall_traffic" => {
            let mut job = daily_mall_traffic::DailyMallTraffic::default();
            for_each_line(file, |line| job.on_line(line, out)).map(|read| Counters {
                read,
                emitted: job.emitted,
            })
        }
        "education/av_network_monitoring" => {
            let mut job = av_network_monitoring::AvNetworkMonitoring::default();
            for_each_line(file, |line| job.on_line(line, out))
                .and_then(|read| {
                    job.finish(out)?;
                    Ok(read)
                })
                .map(|read| Counters {
                    read,
                    emitted: job.emitted,
                })
        }
        _ => return None,
    })
}

/// Calls `f` with each line of `input` (without its newline; a last line without one
/// too), read in large blocks; how many lines.
pub fn for_each_line(
    mut input: impl Read,
    mut f: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut filled = 0;
    let mut lines = 0;
    loop {
        let n = input.read(&mut buf[filled..])?;
        filled += n;
        let mut start = 0;
        while let Some(end) = memchr::memchr(b'\n', &buf[start..filled]) {
            f(&buf[start..start + end])?;
            lines += 1;
            start += end + 1;
        }
        if n == 0 {
            if start < filled {
                f(&buf[start..filled])?;
                lines += 1;
            }
            return Ok(lines);
        }
        buf.copy_within(start..filled, 0);
        filled -= start;
        if filled == buf.len() {
            // A line longer than the buffer: grow it.
            buf.resize(buf.len() * 2, 0);
        }
    }
}
