//! The seed warehouses end to end on the embedded defaults (the README's first
//! command):
//!
//! ```text
//! warehouse [--dir DIR] [--count N] [--job NAME]...
//! ```
//!
//! In: nothing but the example jobs compiled into this crate. It generates sample data
//! for every source and dimension table (`datagen`, `--count` rows per source, default
//! 20 000), runs every example job — JSON-lines files in, dimension tables served from
//! their files (`--input`), store sinks (`jdbc`/`rds`, `hbase`, `ots`) into one SQLite
//! database per job, other sinks into JSON-lines files — and prints, per job, what it
//! read and what it produced where, with a few rows of each output.
//!
//! Jobs chained through Kafka in the seeds stay chained: a job whose Kafka source
//! reads the topic another job's Kafka sink writes (classroom performance reads the
//! signalling ETL's `timeline_analysis_student`) runs after it, on its output file.
//! Everything goes under `DIR` (default `target/warehouse`), replaced on each run.
//!
//! ```text
//! warehouse --kafka BROKERS --rds URL [...]      (built with `--features kafka`)
//! ```
//!
//! The same warehouse on Kafka and a database (`examples/warehouse-kafka.sh` starts a
//! broker and MariaDB and runs this): each source table's generated rows go into a
//! topic, every job reads its sources from their topics and writes its Kafka sinks to
//! topics (so the signalling ETL feeds classroom performance through
//! `timeline_analysis_student`, as in the seed), and its store sinks into the database
//! at `URL`, one table `<job>_<table>` each. Topics and consumer groups carry a
//! per-run prefix; dimension tables are still served from their files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_examples::{kafka_topic as topic, topics_written};
use streamsql_runtime::driver::{self, Job, Options};
use streamsql_runtime::{JobInfo, TableInfo, store};

/// Connectors whose tables go to the job's SQLite database.
const STORES: [&str; 3] = ["jdbc", "hbase", "ots"];
/// Rows of each output shown.
const SHOWN: usize = 3;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("warehouse: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    dir: PathBuf,
    count: usize,
    only: Vec<String>,
    kafka: Option<String>,
    rds: Option<String>,
}

/// A run on Kafka and a database.
struct Remote {
    brokers: String,
    rds: String,
    /// Topics and consumer groups of this run start with it.
    prefix: String,
}

impl Remote {
    fn topic(&self, topic: &str) -> String {
        format!("{}.{topic}", self.prefix)
    }

    /// The database table for `table` of job `job` (`domain/job`).
    fn table(&self, job: &str, table: &str) -> String {
        let job = job.rsplit('/').next().unwrap_or(job);
        let mut t = format!("{job}_{table}").to_ascii_lowercase();
        t.truncate(63);
        t
    }
}

fn parse(args: Vec<String>) -> Result<Args, String> {
    let mut a = Args {
        dir: PathBuf::from("target/warehouse"),
        count: 20_000,
        only: Vec::new(),
        kafka: None,
        rds: None,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--dir" => a.dir = PathBuf::from(value()?),
            "--count" => {
                a.count = value()?.parse().map_err(|e| format!("--count: {e}"))?;
            }
            "--job" => a.only.push(value()?),
            "--kafka" => a.kafka = Some(value()?),
            "--rds" => a.rds = Some(value()?),
            "-h" | "--help" => {
                return Err(
                    "usage: warehouse [--dir DIR] [--count N] [--job NAME]... (see the README)"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

fn table(info: &JobInfo, name: &str) -> &'static TableInfo {
    info.table(name).expect("a source or sink the job declares")
}

/// The table a store sink writes, as its options name it.
fn physical(t: &TableInfo) -> &str {
    t.option("table-name")
        .or_else(|| t.option("tableName"))
        .unwrap_or(t.name)
}

/// Where a sink's rows went.
enum Output {
    Table { url: String, table: String },
    File(PathBuf),
    Topic(String),
}

fn run(args: Vec<String>) -> Result<bool, String> {
    let args = parse(args)?;
    let remote = match (&args.kafka, &args.rds) {
        (None, None) => None,
        (Some(brokers), Some(rds)) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            Some(Remote {
                brokers: brokers.clone(),
                rds: rds.clone(),
                prefix: format!("warehouse-{nanos}"),
            })
        }
        _ => return Err("--kafka and --rds go together".into()),
    };
    let mut jobs = streamsql_examples::runnable_jobs();
    if !args.only.is_empty() {
        jobs.retain(|(name, _)| args.only.iter().any(|o| name.contains(o.as_str())));
    }
    let jobs = in_chain_order(jobs);
    let _ = std::fs::remove_dir_all(&args.dir);
    let data = args.dir.join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;

    // Topics a job of this run writes: their readers read the writer's output file.
    let written = topics_written(jobs.iter().map(|(_, j)| j.info()));
    let started = Instant::now();
    let cfg = Config {
        count: args.count,
        ..Config::default()
    };
    let mut generated: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut rows = 0;
    for (_, job) in &jobs {
        let info = job.info();
        for t in info.tables {
            let fed =
                info.sources.contains(&t.name) && topic(t).is_some_and(|x| written.contains(&x));
            let Some(generator) = Table::by_name(t.name) else {
                continue;
            };
            if fed || generated.contains_key(t.name) {
                continue;
            }
            let path = data.join(format!("{}.jsonl", t.name));
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?,
            );
            rows += datagen::generate(generator, &cfg, &mut f)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .rows;
            generated.insert(t.name.to_string(), path);
        }
    }
    println!(
        "generated {rows} rows for {} tables into {} ({:.1} s)",
        generated.len(),
        data.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(r) = &remote {
        // Each source table's rows into its topic, once for every job reading it.
        let mut topics: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (_, job) in &jobs {
            for s in job.info().sources {
                if let (Some(x), Some(path)) = (topic(table(job.info(), s)), generated.get(*s)) {
                    topics.insert(r.topic(x), path.clone());
                }
            }
        }
        for (t, path) in &topics {
            let n = kafka::produce(&r.brokers, t, path)?;
            println!("produced {n} records into topic {t} on {}", r.brokers);
        }
    }
    println!();

    let mut topic_files: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut ok = true;
    let total = jobs.len();
    for (n, (name, mut job)) in jobs.into_iter().enumerate() {
        println!("[{:>2}/{total}] {name}", n + 1);
        match run_job(
            name,
            job.as_mut(),
            &args.dir,
            &generated,
            &mut topic_files,
            remote.as_ref(),
        ) {
            Ok(report) => println!("{report}"),
            Err(e) => {
                ok = false;
                println!("        FAILED: {e}\n");
            }
        }
    }
    println!(
        "{total} jobs in {:.1} s; everything is under {}",
        started.elapsed().as_secs_f64(),
        args.dir.display()
    );
    Ok(ok)
}

/// Jobs ordered so that a job reading a topic another job writes runs after it (else
/// in name order).
fn in_chain_order(
    mut jobs: Vec<(&'static str, Box<dyn Job>)>,
) -> Vec<(&'static str, Box<dyn Job>)> {
    let topics = |j: &dyn Job, of: &[&str]| -> Vec<String> {
        of.iter()
            .filter_map(|t| topic(table(j.info(), t)).map(str::to_string))
            .collect()
    };
    let mut out = Vec::new();
    while !jobs.is_empty() {
        let writes: Vec<Vec<String>> = jobs
            .iter()
            .map(|(_, j)| topics(j.as_ref(), j.info().sinks))
            .collect();
        let next = (0..jobs.len())
            .find(|&i| {
                let reads = topics(jobs[i].1.as_ref(), jobs[i].1.info().sources);
                !(0..jobs.len()).any(|w| w != i && writes[w].iter().any(|t| reads.contains(t)))
            })
            // A cycle: run in name order.
            .unwrap_or(0);
        out.push(jobs.remove(next));
    }
    out
}

/// Runs one job on the embedded defaults; its report.
fn run_job(
    name: &str,
    job: &mut dyn Job,
    dir: &Path,
    generated: &BTreeMap<String, PathBuf>,
    topic_files: &mut BTreeMap<String, PathBuf>,
    remote: Option<&Remote>,
) -> Result<String, String> {
    let info = job.info();
    let out = dir.join("out").join(name);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let db = dir.join("out").join(format!("{name}.db"));
    let url = match remote {
        Some(r) => r.rds.clone(),
        None => format!("sqlite:{}", db.display()),
    };
    let place = match remote {
        // The URL without its password.
        Some(r) => match (r.rds.find("://"), r.rds.rfind('@')) {
            (Some(s), Some(at)) if at > s => match r.rds[s + 3..at].split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &r.rds[..s + 3], &r.rds[at..]),
                None => r.rds.clone(),
            },
            _ => r.rds.clone(),
        },
        None => format!("SQLite {}", db.display()),
    };
    let mut opts = Options {
        quiet: true,
        dead_letter: Some(out.join("dead-letters.jsonl").display().to_string()),
        ..Options::default()
    };
    let mut set = |t: &str, k: &str, v: &str| opts.sets.push((format!("{t}.{k}"), v.to_string()));
    let job_name = name.rsplit('/').next().unwrap_or(name);
    for s in info.sources {
        let t = table(info, s);
        if let (Some(r), Some(x)) = (remote, topic(t)) {
            set(s, "topic", &r.topic(x));
            set(s, "properties.bootstrap.servers", &r.brokers);
            set(s, "scan.startup.mode", "earliest-offset");
            set(
                s,
                "properties.group.id",
                &format!("{}-{job_name}", r.prefix),
            );
            continue;
        }
        let path = topic(t)
            .and_then(|x| topic_files.get(x))
            .or_else(|| generated.get(*s))
            .ok_or(format!("no data for source `{s}`"))?;
        opts.inputs
            .push((s.to_string(), path.display().to_string()));
    }
    // On a database, every store table of the job is `<job>_<table>` there; a
    // dimension keeps its file but takes the name too, so a sink writing the same
    // table still writes the table the job looks up.
    if let Some(r) = remote {
        for t in info.tables {
            if STORES.contains(&t.connector) {
                set(t.name, "table-name", &r.table(name, physical(t)));
            }
        }
    }
    // Dimension tables: every other table with generated rows.
    for t in info.tables {
        if !info.sources.contains(&t.name)
            && !info.sinks.contains(&t.name)
            && let Some(path) = generated.get(t.name)
        {
            opts.inputs
                .push((t.name.to_string(), path.display().to_string()));
        }
    }
    let mut outputs = Vec::new();
    for s in info.sinks {
        let t = table(info, s);
        if STORES.contains(&t.connector) {
            opts.sets.push((format!("{s}.url"), url.clone()));
            let db_table = match remote {
                Some(r) => {
                    let db_table = r.table(name, physical(t));
                    opts.sets
                        .push((format!("{s}.sink.create-table"), "true".into()));
                    // A rerun starts from an empty table.
                    let _ = store::drop_table(&url, &db_table);
                    db_table
                }
                None => physical(t).to_string(),
            };
            outputs.push((
                *s,
                Output::Table {
                    url: url.clone(),
                    table: db_table,
                },
            ));
        } else if let (Some(r), Some(x)) = (remote, topic(t)) {
            opts.sets.push((format!("{s}.topic"), r.topic(x)));
            opts.sets.push((
                format!("{s}.properties.bootstrap.servers"),
                r.brokers.clone(),
            ));
            outputs.push((*s, Output::Topic(r.topic(x))));
        } else {
            let path = out.join(format!("{s}.jsonl"));
            opts.outputs
                .push((s.to_string(), path.display().to_string()));
            if let Some(x) = topic(t) {
                topic_files.insert(x.to_string(), path.clone());
            }
            outputs.push((*s, Output::File(path)));
        }
    }
    if remote.is_some() {
        // Bounded: the job ends once its topics have been idle this long.
        opts.stop_when_idle = Some(Duration::from_secs(3));
    }
    let started = Instant::now();
    let c = driver::run(job, &opts, &AtomicBool::new(false))?;
    let secs = started.elapsed().as_secs_f64();
    let mut report = format!(
        "        read {} messages in {secs:.2} s; {} rows out, {} filtered, {} late, {} bad (decode errors {}, dead-lettered {})\n",
        c.read,
        c.emitted,
        c.filtered,
        c.late,
        c.decode_errors + c.failed,
        c.decode_errors,
        c.failed
    );
    if c.lookup_round_trips > 0 {
        report.push_str(&format!(
            "        lookups: {} keys in {} round trips, {} cache hits\n",
            c.lookup_keys, c.lookup_round_trips, c.lookup_cache_hits
        ));
    }
    let mut tables: Vec<&str> = Vec::new();
    for (sink, output) in &outputs {
        let (place, lines) = match output {
            Output::Table { url, table } => {
                // Two sinks of one table: show it once.
                if tables.contains(&table.as_str()) {
                    continue;
                }
                tables.push(table);
                let lines = store::dump_table(url, table)
                    .map_err(|e| format!("reading back {table}: {e}"))?;
                (format!("{place} table {table}"), lines)
            }
            Output::Topic(t) => {
                let brokers = remote.map(|r| r.brokers.as_str()).unwrap_or_default();
                (format!("Kafka topic {t}"), kafka::read(brokers, t)?)
            }
            Output::File(path) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let lines = text.lines().map(str::to_string).collect();
                (path.display().to_string(), lines)
            }
        };
        report.push_str(&format!(
            "        {sink}: {} rows -> {place}\n",
            lines.len()
        ));
        for l in lines.iter().take(SHOWN) {
            report.push_str(&format!("          {}\n", shorten(l, 110)));
        }
        if lines.len() > SHOWN {
            report.push_str("          ...\n");
        }
    }
    Ok(report)
}

/// `s`, cut to `n` characters.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}

/// Records into and out of topics (the `kafka` feature).
#[cfg(feature = "kafka")]
mod kafka {
    use std::path::Path;
    use std::time::Duration;

    /// Each line of `path` as a record of `topic`; how many.
    pub fn produce(brokers: &str, topic: &str, path: &Path) -> Result<usize, String> {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        streamsql_runtime::kafka::produce_lines(brokers, topic, &data)
    }

    /// Every record of `topic`, read until it has been idle for two seconds.
    pub fn read(brokers: &str, topic: &str) -> Result<Vec<String>, String> {
        let values = streamsql_runtime::kafka::read_values(brokers, topic, Duration::from_secs(2))?;
        Ok(values
            .iter()
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect())
    }
}

/// Without the `kafka` feature: `--kafka` is refused.
#[cfg(not(feature = "kafka"))]
mod kafka {
    use std::path::Path;

    const NO: &str = "this build has no Kafka client: build with `--features kafka` (examples/warehouse-kafka.sh does)";

    pub fn produce(_: &str, _: &str, _: &Path) -> Result<usize, String> {
        Err(NO.into())
    }

    pub fn read(_: &str, _: &str) -> Result<Vec<String>, String> {
        Err(NO.into())
    }
}
