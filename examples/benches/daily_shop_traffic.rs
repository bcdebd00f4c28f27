//! Events/s per core of the seed daily shop traffic job (a LEFT lookup join of each
//! WiFi probe event on the `area_shop` dimension, then `COUNT(DISTINCT mac)` per day
//! and shop name) from a JSON-lines file into its table in SQLite, the dimension
//! served from a JSON-lines file (`--input area_shop=FILE`, loaded into the embedded
//! store), through the job driver exactly as the job binary runs it.
//!
//! Two runs: with a warm lookup cache (`lookup.cache = PARTIAL`: after the first
//! batches every key is answered from the cache), and with the cache off, where
//! every batch's distinct keys go to the store in one round trip: the figure printed
//! is the keys per round trip. CPU time counts every thread (SQLite's included).
//! Prints figures; asserts nothing. `STREAMSQL_BENCH_MESSAGES` (default 10 000 000)
//! sets the input size.
//!
//! `cargo bench -p streamsql-examples --bench daily_shop_traffic`

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

fn generate(path: &std::path::Path, table: Table, cfg: &Config) {
    if path.exists() {
        return;
    }
    let t = Instant::now();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    datagen::generate(table, cfg, &mut f).unwrap();
    f.flush().unwrap();
    eprintln!(
        "generated {} in {:.1}s",
        path.display(),
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let n: usize = std::env::var("STREAMSQL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = Config {
        count: n,
        span_ms: 30 * 86_400_000,
        messy_rate: 0.01,
        ..Config::default()
    };
    let input = dir.join(format!("wifi-{n}.jsonl"));
    generate(&input, Table::WifiProbe, &cfg);
    let shops = dir.join("area_shop.jsonl");
    generate(&shops, Table::AreaShop, &cfg);
    let bytes = std::fs::metadata(&input).unwrap().len();
    for (label, cache) in [("warm cache", true), ("cache off", false)] {
        let mut job = streamsql_examples::iot::daily_shop_traffic::Job::default();
        let info = driver::Job::info(&job);
        let sink = info.sinks[0];
        let db = dir.join("daily_shop_traffic.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let mut sets = vec![(format!("{sink}.url"), format!("sqlite:{}", db.display()))];
        if cache {
            sets.push(("area_shop.lookup.cache".into(), "PARTIAL".into()));
            sets.push((
                "area_shop.lookup.partial-cache.max-rows".into(),
                "10000".into(),
            ));
        }
        let opts = Options {
            inputs: vec![
                (info.sources[0].to_string(), input.display().to_string()),
                ("area_shop".to_string(), shops.display().to_string()),
            ],
            sets,
            quiet: true,
            ..Options::default()
        };
        let cpu0 = streamsql_examples::cpu_seconds();
        let t = Instant::now();
        let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let cpu = (streamsql_examples::cpu_seconds() - cpu0).max(1e-9);
        println!(
            "daily_shop_traffic, {label}: {} events ({:.0} MB) -> SQLite: {:.2} M events/s per core (CPU {:.2}s, wall {:.2}s, {:.0} MB/s); lookups: {} round trips for {} keys ({:.1} keys per round trip), {} cache hits",
            c.read,
            bytes as f64 / 1e6,
            c.read as f64 / cpu / 1e6,
            cpu,
            wall,
            bytes as f64 / wall / 1e6,
            c.lookup_round_trips,
            c.lookup_keys,
            c.lookup_keys as f64 / c.lookup_round_trips.max(1) as f64,
            c.lookup_cache_hits,
        );
    }
}
