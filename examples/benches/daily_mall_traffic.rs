//! Events/s per core of the seed daily mall traffic job (`COUNT(DISTINCT mac)` per
//! day, an updating result) from a JSON-lines file, through the job driver exactly as
//! the job binary runs it, and how many changelog rows it emits per million events.
//! The sink is the changelog file (`/dev/null`); the SQLite store sink (with its
//! database writes per million events) is not merged yet (issue 6).
//! Prints figures; asserts nothing. `STREAMSQL_BENCH_MESSAGES` (default 10 000 000)
//! sets the input size; the events span 30 days.
//!
//! `cargo bench -p streamsql-examples --bench daily_mall_traffic`

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
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let n: usize = std::env::var("STREAMSQL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("wifi-{n}.jsonl"));
    if !input.exists() {
        let t = Instant::now();
        let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let cfg = Config {
            count: n,
            span_ms: 30 * 86_400_000,
            messy_rate: 0.01,
            ..Config::default()
        };
        datagen::generate(Table::WifiProbe, &cfg, &mut f).unwrap();
        f.flush().unwrap();
        eprintln!("generated {n} events in {:.1}s", t.elapsed().as_secs_f64());
    }
    let bytes = std::fs::metadata(&input).unwrap().len();
    for round in 0..2 {
        let mut job = streamsql_examples::iot::daily_mall_traffic::Job::default();
        let info = driver::Job::info(&job);
        let sink = info.sinks[0];
        let opts = Options {
            inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
            outputs: vec![(sink.to_string(), "/dev/null".to_string())],
            batch_size: 4096,
            quiet: true,
            ..Options::default()
        };
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let cpu = (cpu_seconds() - cpu0).max(1e-9);
        let per_million = |x: u64| x as f64 * 1e6 / c.read.max(1) as f64;
        println!(
            "daily_mall_traffic round {round}: {} events ({:.0} MB) -> {} changelog rows: {:.2} M events/s per core (CPU {:.2}s, wall {:.2}s, {:.0} MB/s); {:.1} changelog rows per 1 M events",
            c.read,
            bytes as f64 / 1e6,
            c.emitted,
            c.read as f64 / cpu / 1e6,
            cpu,
            wall,
            bytes as f64 / wall / 1e6,
            per_million(c.emitted),
        );
    }
}
