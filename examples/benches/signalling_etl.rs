//! Messages/s per core of the seed signalling ETL (7 INSERTs over one Kafka-style
//! source: nested JSON decode, filters, CONCAT-built JSON output), file -> /dev/null,
//! through the job driver exactly as the job binary runs it. Prints figures; asserts
//! nothing. `STREAMSQL_BENCH_MESSAGES` (default 10 000 000) sets the input size.
//!
//! `cargo bench -p streamsql-examples --bench signalling_etl`

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

/// User + system CPU seconds of this process (Linux `/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the `)`.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let n: usize = std::env::var("STREAMSQL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("signalling-{n}.jsonl"));
    if !input.exists() {
        let t = Instant::now();
        let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let cfg = Config {
            count: n,
            messy_rate: 0.01,
            ..Config::default()
        };
        datagen::generate(Table::SignallingLog, &cfg, &mut f).unwrap();
        f.flush().unwrap();
        eprintln!(
            "generated {n} messages in {:.1}s",
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&input).unwrap().len();
    let mut job = streamsql_examples::education::signalling_etl::Job;
    let info = driver::Job::info(&job);
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: vec![(info.sinks[0].to_string(), "/dev/null".to_string())],
        batch_size: 4096,
        quiet: true,
        ..Options::default()
    };
    for round in 0..2 {
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let cpu = (cpu_seconds() - cpu0).max(1e-9);
        println!(
            "signalling_etl round {round}: {} messages ({:.0} MB) -> {} rows: {:.2} M messages/s per core (CPU {:.2}s, wall {:.2}s, {:.0} MB/s)",
            c.read,
            bytes as f64 / 1e6,
            c.emitted,
            c.read as f64 / cpu / 1e6,
            cpu,
            wall,
            bytes as f64 / wall / 1e6
        );
    }
}
