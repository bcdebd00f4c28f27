//! Every seed job, file -> blackhole, on streamsql, on a hand-written Rust baseline
//! where there is one, and on Apache Flink 2.3 (parallelism 1), on the same input in
//! the same run: events/s per core (CPU time, all threads), MB/s of input per core,
//! peak memory, and the ratios generated/hand-written and streamsql/Flink.
//!
//! In: `--events N` (default 10 000 000) rows generated per source table of a job
//! (`datagen`, cached in `target/bench-data/<table>-<N>.jsonl`, Flink's copy without
//! NULL-rowtime rows beside it as the harness gives it; dimension tables at their own
//! sizes); `--only SUBSTRING[,SUBSTRING...]` picks jobs; `--all` adds the example
//! jobs that are not seeds (stages of a seed and test material; updating features'
//! output grows with the square of its input: give it `--events 100000`);
//! `--flink-events M` (default 1 000 000) how many of those events Flink reads;
//! `--no-flink` skips Flink; `--repeat R` (default 1) runs every job R times on each
//! side and keeps each side's least CPU time (on a shared virtual machine, other
//! tenants only ever add time).
//!
//! Out: one line per job as it finishes, then a summary table. How each side runs:
//! - streamsql: the compiled job in a child process of its own (this binary again,
//!   `--child JOB`), so that its peak resident memory (`VmHWM`) and CPU time are its
//!   own. Every sink writes its changelog lines to `/dev/null` (store sinks included),
//!   dimensions are served from files.
//! - hand-written (`baseline/`): the same job as plain Rust over the same file, in a
//!   child process too (`--baseline JOB`), writing the same lines to `/dev/null`.
//! - Flink: the job's Flink translation (`examples/<domain>/<job>.flink.sql`) through
//!   the harness's runner, all jobs in one JVM, every INSERT into a `blackhole` table
//!   (Flink then does not even encode its rows), on the first `--flink-events` events
//!   of the same files (Flink is too slow for 10 M events per job here). CPU time is
//!   the runner's and its JVM's, from creating the job's environment to its end, minus
//!   the same job's on an empty input (planning, code generation and deployment, a
//!   few seconds per job); JVM start-up and a warm-up job are excluded.
//!   When Flink is not installed (`tests/flink/install.sh` installs it) the run says
//!   so and prints no Flink ratio.
//!
//! A job's kind says which target applies: `stateless` and `windowed` jobs aim at
//! at least 20x Flink per core; `updating` ones (unbounded group aggregates, joins, Top-N)
//! have no target. Rows emitted are printed too: a join re-emitting its matches per
//! update makes some outputs grow with the square of the input. Prints figures;
//! asserts nothing.
//!
//! `cargo bench -p streamsql-tests --bench jobs -- --events 1000000`

mod baseline;

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_compiler::plan::Plan;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};
use streamsql_tests::harness::{self, HarnessJob};

/// CPU time below which a run's rate is not printed (raise `--events`).
const MIN_CPU_SECONDS: f64 = 0.5;

/// What one side's run of one job measured.
#[derive(Clone, Copy, Debug)]
struct Figures {
    events: f64,
    cpu: f64,
    peak_kb: f64,
    emitted: f64,
}

impl Figures {
    /// Events per CPU second; `None` when the run was too short to say.
    fn rate(&self) -> Option<f64> {
        (self.cpu >= MIN_CPU_SECONDS).then(|| self.events / self.cpu)
    }
}

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
    if let Some(job) = value("--baseline") {
        baseline_child(&job, &args);
        return;
    }
    let events: usize = value("--events")
        .map(|v| v.replace('_', "").parse().expect("--events N"))
        .unwrap_or(10_000_000);
    // Flink runs tens of times slower: by default it reads the first million events
    // of the same files.
    let flink_limit: usize = value("--flink-events")
        .map(|v| v.replace('_', "").parse().expect("--flink-events N"))
        .unwrap_or(1_000_000)
        .min(events);
    let only = value("--only");
    let all = args.iter().any(|a| a == "--all");
    let repeat: usize = value("--repeat")
        .map(|v| v.parse().expect("--repeat R"))
        .unwrap_or(1)
        .max(1);
    let dir = harness::root().join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let described: BTreeMap<String, HarnessJob> = harness::jobs()
        .unwrap()
        .into_iter()
        .map(|j| (j.name.clone(), j))
        .collect();
    let jobs: Vec<(&str, &streamsql_runtime::JobInfo, &HarnessJob)> =
        streamsql_examples::runnable_jobs()
            .into_iter()
            .map(|(name, job)| (name, job.info(), &described[name]))
            .filter(|(name, _, _)| {
                only.as_ref()
                    .is_none_or(|o| o.split(',').any(|o| name.contains(o)))
            })
            .filter(|(_, _, h)| all || is_seed(h))
            .collect();
    let flink = if args.iter().any(|a| a == "--no-flink") {
        Err("--no-flink".to_string())
    } else {
        installed_flink()
    };
    println!(
        "{:<46} {:>11} {:>14} {:>10} {:>9} {:>10}",
        "streamsql (file -> blackhole)",
        "events",
        "events/s/core",
        "MB/s/core",
        "peak MB",
        "rows out"
    );
    let mut inputs: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut ours: Vec<Option<Figures>> = Vec::new();
    let mut hand: Vec<Option<Figures>> = Vec::new();
    let mut flink_vars = Vec::new();
    let mut flink_empty_vars = Vec::new();
    let mut flink_events = Vec::new();
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    for (name, info, described) in &jobs {
        let mut input_args = Vec::new();
        let mut bytes = 0;
        let mut vars = BTreeMap::new();
        let mut empty_vars = BTreeMap::new();
        let mut in_flink = 0;
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
            input_args.extend(["--input".into(), format!("{}={}", t.name, path.display())]);
            if flink.is_ok() {
                let (kind, file, nothing) = if described.inputs.iter().any(|i| i == t.name) {
                    let (file, lines) = flink_copy(&path, table, events, flink_limit);
                    in_flink += lines;
                    ("input", file, empty.clone())
                } else {
                    ("dim", path.clone(), path.clone())
                };
                let key = format!("{kind}.{}", t.name);
                vars.insert(key.clone(), file.display().to_string());
                empty_vars.insert(key, nothing.display().to_string());
            }
        }
        for s in &described.sinks {
            let out = dir.join("flink-out").join(&s.name);
            vars.insert(format!("output.{}", s.name), out.display().to_string());
            empty_vars.insert(format!("output.{}", s.name), out.display().to_string());
        }
        flink_vars.push(vars);
        flink_empty_vars.push(empty_vars);
        flink_events.push(in_flink as f64);
        let figures = best_of(repeat, || run_child(&["--child", name], &input_args));
        print_line(name, figures.as_ref(), bytes);
        ours.push(figures.ok());
        let baseline = baseline::has(name).then(|| {
            let f = best_of(repeat, || run_child(&["--baseline", name], &input_args));
            print_line(&format!("  hand-written {name}"), f.as_ref(), bytes);
            f.ok()
        });
        hand.push(baseline.flatten());
    }

    let flink_costs: Vec<Option<f64>> = match &flink {
        Ok(_) => flink_net_cpu(
            &jobs,
            &flink_empty_vars,
            &flink_vars,
            flink_limit,
            repeat,
            &dir,
        ),
        Err(why) => {
            println!("\nFlink is not installed here ({why}): no Flink ratio in this run");
            vec![None; jobs.len()]
        }
    };

    println!(
        "\n{:<40} {:>9} {:>11} {:>11} {:>9} {:>13}",
        "job", "kind", "streamsql", "Flink", "vs Flink", "vs hand-made"
    );
    println!(
        "{:<40} {:>9} {:>11} {:>11}",
        "", "", "M ev/s/core", "M ev/s/core"
    );
    for (i, (name, _, described)) in jobs.iter().enumerate() {
        let ours = ours[i].and_then(|f| f.rate());
        let theirs = flink_costs[i]
            .filter(|cpu| *cpu >= MIN_CPU_SECONDS)
            .map(|cpu| flink_events[i] / cpu);
        let hand = hand[i].and_then(|f| f.rate());
        let m = |r: Option<f64>| r.map_or("-".into(), |r| format!("{:.3}", r / 1e6));
        let ratio = |a: Option<f64>, b: Option<f64>, fmt: &dyn Fn(f64) -> String| match (a, b) {
            (Some(a), Some(b)) => fmt(a / b),
            _ => "-".into(),
        };
        println!(
            "{name:<40} {:>9} {:>11} {:>11} {:>9} {:>13}",
            kind(described),
            m(ours),
            m(theirs),
            ratio(ours, theirs, &|r| format!("{r:.1}x")),
            ratio(ours, hand, &|r| format!("{r:.2}")),
        );
    }
}

/// Flink's CPU seconds per job on the first `limit` events (`vars[i]`: job i's
/// placeholders; the least of `repeat` runs), net of the same job on an empty input
/// (`empty_vars[i]`); `None` where it failed. All in one JVM, after one warm-up job.
fn flink_net_cpu(
    jobs: &[(&str, &streamsql_runtime::JobInfo, &HarnessJob)],
    empty_vars: &[BTreeMap<String, String>],
    vars: &[BTreeMap<String, String>],
    limit: usize,
    repeat: usize,
    dir: &Path,
) -> Vec<Option<f64>> {
    println!(
        "\nFlink 2.3, parallelism 1, the first {limit} events of the same input \
         (file -> blackhole), one JVM; each job on an empty input first, whose CPU \
         time (planning, code generation, deployment) is taken off:"
    );
    // The empty runs are the same jobs under other names (their own result
    // files); the first job's runs once more before them all, to warm the JVM
    // (its first job loads the planner: 13 s of CPU here).
    let renamed = |h: &HarnessJob, suffix: &str| HarnessJob {
        name: format!("{}-{suffix}", h.name),
        ..h.clone()
    };
    let mut described: Vec<HarnessJob> = vec![renamed(jobs[0].2, "warm-up")];
    described.extend(jobs.iter().map(|(_, _, h)| renamed(h, "empty")));
    let mut all_vars: Vec<_> = empty_vars[..1].iter().chain(empty_vars).cloned().collect();
    for round in 1..=repeat {
        described.extend(jobs.iter().map(|(_, _, h)| match round {
            1 => (*h).clone(),
            n => renamed(h, &format!("run{n}")),
        }));
        all_vars.extend(vars.iter().cloned());
    }
    let work = dir.join("flink-work");
    match harness::run_flink_runner(&described, &all_vars, &work, true) {
        Ok(results) => {
            let (empties, runs) = results[1..].split_at(jobs.len());
            (0..jobs.len())
                .map(|i| {
                    let empty = empties[i].as_ref();
                    let least = (0..repeat)
                        .map(|round| runs[round * jobs.len() + i].as_ref())
                        .try_fold(f64::INFINITY, |m, r| r.map(|r| m.min(r.cpu_seconds)));
                    match (empty, least) {
                        (Ok(e), Ok(r)) => Some(r - e.cpu_seconds),
                        (Err(e), _) | (_, Err(e)) => {
                            println!("{:<46} FAILED on Flink: {e}", jobs[i].0);
                            None
                        }
                    }
                })
                .collect()
        }
        Err(e) => {
            println!("Flink did not run: {e}");
            vec![None; jobs.len()]
        }
    }
}

/// Whether the job is one of the seeds (its header says `(seed: ...)`), not a stage
/// of one or test material.
fn is_seed(job: &HarnessJob) -> bool {
    std::fs::read_to_string(&job.blink)
        .is_ok_and(|sql| sql.lines().next().is_some_and(|l| l.contains("(seed:")))
}

/// `stateless` (no operator keeps state beyond a lookup cache), `windowed` (state only
/// in event-time windows) or `updating` (unbounded aggregates, joins, Top-N).
fn kind(job: &HarnessJob) -> &'static str {
    let sql = std::fs::read_to_string(&job.blink).unwrap_or_default();
    let Ok((planned, _)) = streamsql_compiler::plan(&sql) else {
        return "?";
    };
    let (mut windows, mut unbounded) = (false, false);
    for p in &planned.pipelines {
        p.plan.walk(&mut |node| match node {
            Plan::WindowAggregate { .. } | Plan::WindowTableFunction { .. } => windows = true,
            Plan::GroupAggregate { .. } | Plan::Join { .. } | Plan::Rank { .. } => unbounded = true,
            _ => {}
        });
    }
    match (windows, unbounded) {
        (_, true) => "updating",
        (true, false) => "windowed",
        (false, false) => "stateless",
    }
}

/// The Flink install's Python, if Flink is installed (`$STREAMSQL_FLINK_PYTHON`, else
/// the default venv of `tests/flink/install.sh`); the bench never installs it.
fn installed_flink() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("STREAMSQL_FLINK_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let python = harness::flink_home().join("venv/bin/python");
    if python.exists() {
        Ok(python)
    } else {
        Err(format!("no {}", python.display()))
    }
}

/// The run of `run` (called `repeat` times) that took the least CPU time; the first
/// failure if one fails.
fn best_of(
    repeat: usize,
    mut run: impl FnMut() -> Result<Figures, String>,
) -> Result<Figures, String> {
    let mut best: Option<Figures> = None;
    for _ in 0..repeat {
        let f = run()?;
        if best.is_none_or(|b| f.cpu < b.cpu) {
            best = Some(f);
        }
    }
    Ok(best.expect("at least one run"))
}

/// Runs this binary with `mode` and `inputs`; the figures its child printed.
fn run_child(mode: &[&str], inputs: &[String]) -> Result<Figures, String> {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(mode)
        .args(inputs)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("figures "))
        .ok_or_else(|| String::from_utf8_lossy(&out.stderr).trim().to_string())?;
    let f: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    Ok(Figures {
        events: f[0],
        cpu: f[1],
        peak_kb: f[2],
        emitted: f[3],
    })
}

fn print_line(name: &str, figures: Result<&Figures, &String>, bytes: u64) {
    let f = match figures {
        Ok(f) => f,
        Err(e) => {
            println!("{name:<46} FAILED: {e}");
            return;
        }
    };
    // The CPU clock counts 10 ms ticks: a shorter run has no rate to print.
    let (rate, mb) = match f.rate() {
        Some(r) => (
            format!("{:.2} M", r / 1e6),
            format!("{:.0}", bytes as f64 / f.cpu / 1e6),
        ),
        None => ("too short".into(), "-".into()),
    };
    println!(
        "{name:<46} {:>11.0} {rate:>14} {mb:>10} {:>9.0} {:>10.0}",
        f.events,
        f.peak_kb / 1024.0,
        f.emitted
    );
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

/// Flink's copy of `table`'s file of `events` rows: its first `limit` lines, without
/// those whose rowtime is NULL as the harness gives Flink (`<file>.flink-<limit>.jsonl`,
/// made once; the file itself when nothing would change); and how many lines it has.
fn flink_copy(path: &Path, table: Table, events: usize, limit: usize) -> (PathBuf, usize) {
    let table = table.name();
    let has_rowtime = harness::ROWTIME_FIELDS.iter().any(|(t, _)| *t == table);
    let copy = if events <= limit && !has_rowtime {
        path.to_path_buf()
    } else {
        path.with_extension(format!("flink-{limit}.jsonl"))
    };
    if !copy.exists() {
        let tmp = copy.with_extension("partial");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp).unwrap());
        let mut reader = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let mut chunk = Vec::new();
        let mut left = limit;
        loop {
            chunk.clear();
            // About 64 MB of whole lines at a time.
            while left > 0
                && chunk.len() < 64 << 20
                && reader.read_until(b'\n', &mut chunk).unwrap() > 0
            {
                left -= 1;
            }
            if chunk.is_empty() {
                break;
            }
            out.write_all(&harness::without_null_rowtime(table, &chunk))
                .unwrap();
        }
        out.flush().unwrap();
        drop(out);
        std::fs::rename(&tmp, &copy).unwrap();
    }
    let lines = baseline::for_each_line(std::fs::File::open(&copy).unwrap(), |_| Ok(())).unwrap();
    (copy, lines as usize)
}

/// The `--input TABLE=PATH` pairs of a child's arguments.
fn input_args(args: &[String]) -> Vec<(String, String)> {
    args.windows(2)
        .filter(|w| w[0] == "--input")
        .filter_map(|w| w[1].split_once('='))
        .map(|(t, p)| (t.to_string(), p.to_string()))
        .collect()
}

/// Runs one job (in the child process) and prints `figures READ CPU_SECONDS PEAK_KB
/// EMITTED` (emitted: changelog rows out, which some jobs make many per event).
fn child(name: &str, args: &[String]) {
    let (_, mut job) = streamsql_examples::runnable_jobs()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a runnable job");
    let info = job.info();
    let opts = Options {
        inputs: input_args(args),
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

/// Runs one job's hand-written baseline (in the child process); prints as [`child`].
fn baseline_child(name: &str, args: &[String]) {
    let inputs = input_args(args);
    let input = Path::new(&inputs[0].1);
    let mut out =
        std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create("/dev/null").unwrap());
    let cpu0 = streamsql_examples::cpu_seconds();
    let c = baseline::run(name, input, &mut out)
        .expect("a baselined job")
        .unwrap();
    out.flush().unwrap();
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
