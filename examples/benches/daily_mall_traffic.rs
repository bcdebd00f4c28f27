//! Events/s per core of the seed daily mall traffic job (`COUNT(DISTINCT mac)` per
//! day, an updating result) from a JSON-lines file into its `jdbc` table in SQLite (the
//! embedded store, a fresh file per round), through the job driver exactly as the job
//! binary runs it: events/s per core (CPU time of every thread, the database's
//! included), and per million events the changelog rows the job emits and the
//! database writes (statements) and rows those became after coalescing per key.
//! Prints figures; asserts nothing. `STREAMSQL_BENCH_MESSAGES` (default 10 000 000)
//! sets the input size; the events span 30 days.
//!
//! `cargo bench -p streamsql-examples --bench daily_mall_traffic`

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

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
        let db = dir.join(format!("daily_mall_traffic-{round}.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let opts = Options {
            inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
            sets: vec![(format!("{sink}.url"), format!("sqlite:{}", db.display()))],
            quiet: true,
            ..Options::default()
        };
        let cpu0 = streamsql_examples::cpu_seconds();
        let t = Instant::now();
        let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let cpu = (streamsql_examples::cpu_seconds() - cpu0).max(1e-9);
        let per_million = |x: u64| x as f64 * 1e6 / c.read.max(1) as f64;
        let rows = streamsql_runtime::store::dump_table(db.to_str().unwrap(), sink)
            .unwrap()
            .len();
        println!(
            "daily_mall_traffic round {round}: {} events ({:.0} MB) -> SQLite ({rows} rows in {sink}): {:.2} M events/s per core (CPU {:.2}s, wall {:.2}s, {:.0} MB/s); per 1 M events: {:.1} changelog rows, {:.1} database writes of {:.1} rows after coalescing",
            c.read,
            bytes as f64 / 1e6,
            c.read as f64 / cpu / 1e6,
            cpu,
            wall,
            bytes as f64 / wall / 1e6,
            per_million(c.emitted),
            per_million(c.store_writes),
            per_million(c.store_rows),
        );
    }
}
