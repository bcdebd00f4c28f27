//! Every example job, file -> blackhole, in a release build: events/s per core (CPU
//! time of the job's process, all threads), MB/s of input per core, and peak memory.
//!
//! In: `--events N` (default 10 000 000) rows generated per source table of a job
//! (`datagen`, cached in `target/bench-data/<table>-<N>.jsonl`; dimension tables at
//! their own sizes), `--only SUBSTRING` to pick jobs. Out: one line per job. Each job
//! runs in a child process of its own (this binary again, `--child JOB`), so that its
//! peak resident memory (`VmHWM`) and CPU time are its own. The rows a job emits are
//! printed too: a join re-emitting its matches per update makes some jobs' output grow
//! with the square of the input (updating features: 4 M changelog rows for 60 000
//! events), which their throughput reflects. Every sink writes to
//! `/dev/null` (store sinks included: `--output`), dimensions are served from files.
//! Prints figures; asserts nothing.
//!
//! `cargo bench -p streamsql-examples --bench jobs -- --events 1000000`

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

/// CPU time below which a run's rate is not printed (raise `--events`).
const MIN_CPU_SECONDS: f64 = 0.5;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(job) = value("--child") {
        child(&job, &args);
        return;
    }
    let events: usize = value("--events")
        .map(|v| v.replace('_', "").parse().expect("--events N"))
        .unwrap_or(10_000_000);
    let only = value("--only");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let jobs: Vec<(&str, &streamsql_runtime::JobInfo)> = streamsql_examples::runnable_jobs()
        .into_iter()
        .map(|(name, job)| (name, job.info()))
        .filter(|(name, _)| only.as_ref().is_none_or(|o| name.contains(o.as_str())))
        .collect();
    println!(
        "{:<46} {:>11} {:>14} {:>10} {:>9} {:>10}",
        "job (file -> blackhole)", "events", "events/s/core", "MB/s/core", "peak MB", "rows out"
    );
    let mut inputs: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (name, info) in jobs {
        let mut child_args = vec!["--child".to_string(), name.to_string()];
        let mut bytes = 0;
        for t in info.tables {
            let is_source = info.sources.contains(&t.name);
            let is_dim = !is_source && !info.sinks.contains(&t.name);
            let Some(table) = Table::by_name(t.name) else {
                continue;
            };
            if !is_source && !is_dim {
                continue;
            }
            let path = inputs
                .entry(t.name.to_string())
                .or_insert_with(|| generate(&dir, table, events))
                .clone();
            if is_source {
                bytes += std::fs::metadata(&path).map_or(0, |m| m.len());
            }
            child_args.extend(["--input".into(), format!("{}={}", t.name, path.display())]);
        }
        let out = Command::new(std::env::current_exe().unwrap())
            .args(&child_args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let Some(line) = text.lines().find(|l| l.starts_with("figures ")) else {
            println!(
                "{name:<46} FAILED: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        };
        let f: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse().unwrap_or(0.0))
            .collect();
        let (read, cpu, peak_kb, emitted) = (f[0], f[1], f[2], f[3]);
        // The CPU clock counts 10 ms ticks: a shorter run has no rate to print.
        let (rate, mb) = if cpu >= MIN_CPU_SECONDS {
            (
                format!("{:.2} M", read / cpu / 1e6),
                format!("{:.0}", bytes as f64 / cpu / 1e6),
            )
        } else {
            ("too short".into(), "-".into())
        };
        println!(
            "{name:<46} {read:>11.0} {rate:>14} {mb:>10} {:>9.0} {emitted:>10.0}",
            peak_kb / 1024.0
        );
    }
}

/// The rows of `table` for a run of `events` per source, generated once.
fn generate(dir: &Path, table: Table, events: usize) -> PathBuf {
    let path = dir.join(format!("{}-{events}.jsonl", table.name()));
    if !path.exists() {
        let t = Instant::now();
        let tmp = path.with_extension("partial");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp).unwrap());
        let cfg = Config {
            count: events,
            ..Config::default()
        };
        datagen::generate(table, &cfg, &mut f).unwrap();
        f.flush().unwrap();
        drop(f);
        std::fs::rename(&tmp, &path).unwrap();
        eprintln!(
            "generated {} into {} ({:.1} s)",
            table.name(),
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    path
}

/// Runs one job (in the child process) and prints `figures READ CPU_SECONDS PEAK_KB
/// EMITTED` (emitted: changelog rows out, which some jobs make many per event).
fn child(name: &str, args: &[String]) {
    let (_, mut job) = streamsql_examples::runnable_jobs()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a runnable job");
    let info = job.info();
    let inputs = args
        .windows(2)
        .filter(|w| w[0] == "--input")
        .filter_map(|w| w[1].split_once('='))
        .map(|(t, p)| (t.to_string(), p.to_string()))
        .collect();
    let opts = Options {
        inputs,
        outputs: info
            .sinks
            .iter()
            .map(|s| (s.to_string(), "/dev/null".to_string()))
            .collect(),
        quiet: true,
        ..Options::default()
    };
    let cpu0 = streamsql_examples::cpu_seconds();
    let c = driver::run(job.as_mut(), &opts, &AtomicBool::new(false)).unwrap();
    let cpu = streamsql_examples::cpu_seconds() - cpu0;
    println!("figures {} {cpu} {} {}", c.read, peak_kb(), c.emitted);
}

/// Peak resident memory of this process in KiB (`VmHWM`; 0 where unknown).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
