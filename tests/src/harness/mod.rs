//! The differential harness: every example job on Apache Flink 2.3 and on streamsql,
//! same generated input, outputs compared.
//!
//! In: the example jobs (`examples/<domain>/<job>.sql`, Blink, what streamsql runs)
//! with their Flink 2.3 translations (`<job>.flink.sql`, what the oracle runs; their
//! `${input.T}`, `${dim.T}` and `${output.S}` placeholders name the files), and a
//! [`datagen::Config`]. Out: a [`Report`] with one line per job — Flink rows, streamsql
//! rows, verdict — where a job streamsql cannot run yet says so by name.
//!
//! The oracle runs all jobs in one JVM (`tests/flink/runner.py`). Flink aborts on a
//! NULL rowtime where streamsql drops and counts the row, so Flink is fed a copy of
//! each watermarked source without such rows ([`ROWTIME_FIELDS`]).

pub mod compare;

use compare::{Row, SinkFormat, Verdict};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use streamsql_compiler::plan::{Expr, Plan};
use streamsql_compiler::types::TimeAttr;
use streamsql_examples::datagen::{self, Table};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// For each watermarked source: the JSON field its rowtime is computed from, as an
/// integer (epoch seconds or millis). A row where it is missing or not an integer has
/// a NULL rowtime.
pub const ROWTIME_FIELDS: &[(&str, &str)] = &[
    ("user_wifidata", "occur_time"),
    ("qos_agora_record_kafka", "messageCreateTime"),
    ("timeline_analysis_student_mashup_stream", "timeStamp"),
];

/// One example job and what it reads and writes.
#[derive(Clone, Debug)]
pub struct HarnessJob {
    /// `education/classroom_performance`
    pub name: String,
    pub blink: PathBuf,
    pub flink: PathBuf,
    pub inputs: Vec<String>,
    pub dims: Vec<String>,
    pub sinks: Vec<SinkSpec>,
}

#[derive(Clone, Debug)]
pub struct SinkSpec {
    pub name: String,
    pub format: SinkFormat,
    /// Columns computed from processing time: compared for presence and type only.
    pub proctime_cols: BTreeSet<String>,
    /// A Blink Kafka-style sink (`message` column): compared by the message value,
    /// which streamsql writes one per line and Flink's json format as base64 BYTES.
    pub message: bool,
}

/// Every example job that has a Flink translation, in name order.
pub fn jobs() -> Result<Vec<HarnessJob>, String> {
    let mut out = Vec::new();
    for domain in ["education", "iot"] {
        let dir = root().join("examples").join(domain);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.to_string_lossy().ends_with(".sql")
                    && !p.to_string_lossy().ends_with(".flink.sql")
            })
            .collect();
        files.sort();
        for blink in files {
            let stem = blink.file_stem().unwrap().to_string_lossy().to_string();
            let flink = dir.join(format!("{stem}.flink.sql"));
            if !flink.exists() {
                return Err(format!(
                    "{} has no Flink translation {}",
                    blink.display(),
                    flink.display()
                ));
            }
            out.push(describe(format!("{domain}/{stem}"), blink, flink)?);
        }
    }
    Ok(out)
}

fn placeholders(sql: &str, kind: &str) -> Vec<String> {
    let mut out: Vec<String> = sql
        .split("${")
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .filter_map(|p| p.strip_prefix(&format!("{kind}.")).map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn describe(name: String, blink: PathBuf, flink: PathBuf) -> Result<HarnessJob, String> {
    let flink_sql = std::fs::read_to_string(&flink).map_err(|e| e.to_string())?;
    // The Flink translation is compiled by streamsql too: its sinks' formats and the
    // plan's processing-time columns come from there.
    let (job, _) = streamsql_compiler::plan(&flink_sql).map_err(|d| {
        d.render(&streamsql_compiler::SourceFile::new(
            &flink.display().to_string(),
            &flink_sql,
        ))
    })?;
    let mut sinks = Vec::new();
    for sink in placeholders(&flink_sql, "output") {
        let (desc, schema) = job
            .tables
            .iter()
            .find(|(d, _)| {
                d.options
                    .iter()
                    .any(|(k, v)| k == "path" && v.contains(&format!("${{output.{sink}}}")))
            })
            .ok_or(format!("{name}: no table writes ${{output.{sink}}}"))?;
        let format = match desc
            .options
            .iter()
            .find(|(k, _)| k == "format")
            .map(|(_, v)| v.as_str())
        {
            Some("debezium-json") => SinkFormat::DebeziumJson,
            Some("json") => SinkFormat::Json,
            other => {
                return Err(format!(
                    "{name}: sink {sink} has format {other:?}; the harness reads json and debezium-json"
                ));
            }
        };
        let mut proctime_cols = BTreeSet::new();
        for p in &job.pipelines {
            if let Plan::Sink { table, .. } = &p.plan
                && table.name == desc.name
            {
                for (j, f) in schema.fields.iter().enumerate() {
                    if depends_on_proctime(&p.plan, j) {
                        proctime_cols.insert(f.name.clone());
                    }
                }
            }
        }
        let message = blink_message_sink(&blink, &sink)?;
        sinks.push(SinkSpec {
            name: sink,
            format,
            proctime_cols,
            message,
        });
    }
    Ok(HarnessJob {
        name,
        blink,
        inputs: placeholders(&flink_sql, "input"),
        dims: placeholders(&flink_sql, "dim"),
        flink,
        sinks,
    })
}

/// Is `sink` a Blink Kafka-style table (connector kafka, a `message` column) in the
/// Blink job?
fn blink_message_sink(blink: &Path, sink: &str) -> Result<bool, String> {
    let sql = std::fs::read_to_string(blink).map_err(|e| e.to_string())?;
    let (job, _) = streamsql_compiler::plan(&sql)
        .map_err(|_| format!("{} does not compile", blink.display()))?;
    Ok(job.tables.iter().any(|(d, schema)| {
        d.name == sink
            && d.connector == "kafka"
            && schema
                .fields
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case("message"))
    }))
}

/// Standard base64 (Flink's json format writes BYTES so).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let b: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::with_capacity(b.len() * 3 / 4);
    for chunk in b.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// A message sink's lines as rows of one column, `message` (the value's text).
pub fn message_rows(lines: Vec<String>, from_flink: bool) -> Result<Vec<String>, String> {
    lines
        .into_iter()
        .map(|l| {
            let text = if from_flink {
                let v: serde_json::Value =
                    serde_json::from_str(&l).map_err(|e| format!("{e}: {l}"))?;
                match v.get("message") {
                    Some(serde_json::Value::String(b64)) => {
                        let bytes =
                            base64_decode(b64).ok_or(format!("message is not base64: {b64}"))?;
                        String::from_utf8_lossy(&bytes).into_owned()
                    }
                    _ => return Err(format!("a message row without a message: {l}")),
                }
            } else {
                l
            };
            Ok(serde_json::json!({ "message": text }).to_string())
        })
        .collect()
}

fn expr_depends(e: &Expr, input: Option<&Plan>) -> bool {
    let mut yes = e.reads_clock();
    e.walk(&mut |x| {
        if let Expr::Column { index, ty, .. } = x {
            yes |= ty.time_attr == Some(TimeAttr::Proctime)
                || input.is_some_and(|p| depends_on_proctime(p, *index));
        }
    });
    yes
}

/// Does output column `col` of `plan` depend on processing time?
pub fn depends_on_proctime(plan: &Plan, col: usize) -> bool {
    match plan {
        Plan::Sink { input, columns, .. } => columns
            .iter()
            .position(|c| *c == col)
            .is_some_and(|i| depends_on_proctime(input, i)),
        Plan::Calc {
            input, projections, ..
        } => projections
            .get(col)
            .is_some_and(|e| expr_depends(e, Some(input))),
        Plan::Scan { computed, .. } => computed
            .iter()
            .any(|(i, e)| *i == col && expr_depends(e, None)),
        Plan::WindowTableFunction { input, .. } | Plan::Rank { input, .. } => {
            col < input.schema().len() && depends_on_proctime(input, col)
        }
        Plan::GroupAggregate {
            input, keys, aggs, ..
        }
        | Plan::WindowAggregate {
            input, keys, aggs, ..
        } => {
            if let Some(k) = keys.get(col) {
                return expr_depends(k, Some(input));
            }
            aggs.iter()
                .any(|a| a.args.iter().any(|e| expr_depends(e, Some(input))))
                && col >= plan.schema().len() - aggs.len()
        }
        Plan::Join { left, right, .. } => {
            let n = left.schema().len();
            if col < n {
                depends_on_proctime(left, col)
            } else {
                depends_on_proctime(right, col - n)
            }
        }
        Plan::LookupJoin { input, .. } => {
            col < input.schema().len() && depends_on_proctime(input, col)
        }
        Plan::Union { inputs, .. } => inputs.iter().any(|p| depends_on_proctime(p, col)),
    }
}

/// Writes every input and dimension file of `job` into `dir`: the full data for
/// streamsql (`<table>.jsonl`) and Flink's copy without NULL-rowtime rows
/// (`<table>.flink.jsonl`). Returns the placeholder values for the Flink job.
pub fn write_inputs(
    job: &HarnessJob,
    cfg: &datagen::Config,
    dir: &Path,
) -> Result<BTreeMap<String, String>, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut vars = BTreeMap::new();
    for (kind, tables) in [("input", &job.inputs), ("dim", &job.dims)] {
        for t in tables {
            let table =
                Table::by_name(t).ok_or(format!("{}: no generator for table {t}", job.name))?;
            let mut data = Vec::new();
            datagen::generate(table, cfg, &mut data).map_err(|e| e.to_string())?;
            let full = dir.join(format!("{t}.jsonl"));
            std::fs::write(&full, &data).map_err(|e| e.to_string())?;
            let flink_copy = dir.join(format!("{t}.flink.jsonl"));
            std::fs::write(&flink_copy, without_null_rowtime(t, &data))
                .map_err(|e| e.to_string())?;
            vars.insert(format!("{kind}.{t}"), flink_copy.display().to_string());
        }
    }
    for s in &job.sinks {
        let out = dir.join("flink-out").join(&s.name);
        // The filesystem sink appends to an existing folder: start empty.
        let _ = std::fs::remove_dir_all(&out);
        vars.insert(format!("output.{}", s.name), out.display().to_string());
    }
    Ok(vars)
}

/// The lines of a source file whose rowtime is not NULL (all lines if the table has
/// no watermark).
pub fn without_null_rowtime(table: &str, data: &[u8]) -> Vec<u8> {
    let Some((_, field)) = ROWTIME_FIELDS.iter().find(|(t, _)| *t == table) else {
        return data.to_vec();
    };
    let mut out = Vec::with_capacity(data.len());
    for line in data.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let keep = serde_json::from_slice::<serde_json::Value>(line)
            .ok()
            .is_some_and(|v| match v.get(*field) {
                Some(serde_json::Value::Number(n)) => n.as_i64().is_some(),
                Some(serde_json::Value::String(s)) => s.trim().parse::<i64>().is_ok(),
                _ => false,
            });
        if keep {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out
}

/// Every line of every data file a sink directory holds (hidden in-progress files
/// and `_SUCCESS`-style markers skipped).
pub fn read_sink_dir(dir: &Path) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.map_err(|e| e.to_string())?.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        lines.extend(text.lines().map(str::to_string));
    }
    Ok(lines)
}

/// The Kafka broker for tests: `$STREAMSQL_KAFKA_BROKERS`, else the one
/// `tests/kafka/broker.sh start` starts (or finds running); panics when there is none,
/// so a test needing a broker fails rather than skips.
pub fn kafka_brokers() -> String {
    if let Ok(b) = std::env::var("STREAMSQL_KAFKA_BROKERS")
        && !b.trim().is_empty()
    {
        return b;
    }
    let out = Command::new("bash")
        .arg(root().join("tests/kafka/broker.sh"))
        .arg("start")
        .output()
        .expect("run tests/kafka/broker.sh");
    assert!(
        out.status.success(),
        "broker.sh start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Where `tests/flink/install.sh` installs Flink 2.3: `$STREAMSQL_FLINK_HOME`, else
/// `~/.cache/streamsql/flink-2.3.0`.
pub fn flink_home() -> PathBuf {
    std::env::var_os("STREAMSQL_FLINK_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
                .join(".cache/streamsql/flink-2.3.0")
        })
}

/// The Python of the Flink 2.3 install: `$STREAMSQL_FLINK_PYTHON`, or what
/// `tests/flink/install.sh` (idempotent) prints on its last line.
pub fn flink_python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("STREAMSQL_FLINK_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let out = Command::new("bash")
        .arg(root().join("tests/flink/install.sh"))
        .output()
        .map_err(|e| format!("cannot run tests/flink/install.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "tests/flink/install.sh failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("").trim().to_string();
    if last.is_empty() {
        return Err("tests/flink/install.sh printed no python path".into());
    }
    Ok(PathBuf::from(last))
}

/// What the Flink side of one job gave.
#[derive(Clone, Debug)]
pub enum FlinkOutcome {
    Ok {
        seconds: f64,
        /// Each sink's rows (a changelog folded).
        sinks: BTreeMap<String, Vec<Row>>,
        /// Each sink's lines as Flink wrote them, in order (messages decoded).
        lines: BTreeMap<String, Vec<String>>,
    },
    Failed(String),
}

/// Runs `jobs` on Flink in one JVM; `vars[i]` are job i's placeholder values.
pub fn run_flink(
    jobs: &[HarnessJob],
    vars: &[BTreeMap<String, String>],
    work: &Path,
) -> Result<Vec<FlinkOutcome>, String> {
    let results = run_flink_runner(jobs, vars, work, false)?;
    let mut outcomes = Vec::new();
    for ((job, v), r) in jobs.iter().zip(vars).zip(results) {
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                outcomes.push(FlinkOutcome::Failed(e));
                continue;
            }
        };
        let mut sinks = BTreeMap::new();
        let mut sink_lines = BTreeMap::new();
        for s in &job.sinks {
            let dir = PathBuf::from(&v[&format!("output.{}", s.name)]);
            let mut lines = read_sink_dir(&dir)?;
            if s.message {
                lines = message_rows(lines, true)?;
            }
            let rows = compare::read_rows(&lines, s.format, &s.proctime_cols)
                .map_err(|e| format!("{} sink {}: {e}", job.name, s.name))?;
            sinks.insert(s.name.clone(), rows);
            sink_lines.insert(s.name.clone(), lines);
        }
        outcomes.push(FlinkOutcome::Ok {
            seconds: r.seconds,
            sinks,
            lines: sink_lines,
        });
    }
    Ok(outcomes)
}

/// How long one Flink job ran: wall seconds, and CPU seconds of the runner and its JVM
/// (every thread) from creating the job's environment to its end.
#[derive(Clone, Copy, Debug)]
pub struct FlinkCost {
    pub seconds: f64,
    pub cpu_seconds: f64,
}

/// Runs `jobs` through `tests/flink/runner.py` in one JVM (`vars[i]`: job i's
/// placeholder values; `blackhole`: every INSERT into a blackhole table instead, for
/// benchmarks). Per job, its cost, or why it failed.
pub fn run_flink_runner(
    jobs: &[HarnessJob],
    vars: &[BTreeMap<String, String>],
    work: &Path,
    blackhole: bool,
) -> Result<Vec<Result<FlinkCost, String>>, String> {
    let python = flink_python()?;
    let jar = flink_home().join("fixture.jar");
    let result_of = |job: &HarnessJob| {
        work.join(job.name.replace('/', "__"))
            .join("flink-result.json")
    };
    let mut manifest_jobs = Vec::new();
    for (job, v) in jobs.iter().zip(vars) {
        let result = result_of(job);
        let _ = std::fs::remove_file(&result);
        manifest_jobs.push(serde_json::json!({
            "name": job.name,
            "sql_file": job.flink.display().to_string(),
            "vars": v,
            "result_file": result.display().to_string(),
            "blackhole_sinks": blackhole,
        }));
    }
    let manifest = serde_json::json!({
        "jars": if jar.exists() { vec![jar.display().to_string()] } else { vec![] },
        "jobs": manifest_jobs,
    });
    std::fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    let manifest_path = work.join("manifest.json");
    std::fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .map_err(|e| e.to_string())?;
    let status = Command::new(&python)
        .arg(root().join("tests/flink/runner.py"))
        .arg(&manifest_path)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    let _ = status; // per-job results below say what failed
    let mut out = Vec::new();
    for job in jobs {
        let r: serde_json::Value = match std::fs::read(result_of(job)) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| e.to_string())?,
            Err(_) => {
                out.push(Err("the runner wrote no result".into()));
                continue;
            }
        };
        if r["status"] != "ok" {
            out.push(Err(r["error"]
                .as_str()
                .unwrap_or("?")
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join(" | ")));
            continue;
        }
        out.push(Ok(FlinkCost {
            seconds: r["seconds"].as_f64().unwrap_or(0.0),
            cpu_seconds: r["cpu_seconds"].as_f64().unwrap_or(0.0),
        }));
    }
    Ok(out)
}

/// What streamsql gave for one job.
#[derive(Clone, Debug)]
pub enum StreamsqlOutcome {
    Ok(BTreeMap<String, Vec<Row>>),
    /// The compiler cannot run this job yet: which part is missing.
    NotRunnable(String),
    /// It ran and failed (an error, not a difference in results).
    Failed(String),
}

/// Where a harness run's relational and key-value sinks (connectors `jdbc`, `hbase`,
/// `ots`) write. Other sinks (Kafka-style, filesystem, print) always go to files.
#[derive(Clone, Debug)]
pub enum SinkStore {
    /// One JSON-lines file per sink (changelog lines for an updating sink), folded by
    /// the comparison as Flink's changelog is.
    Files,
    /// Tables in a database — `sqlite:PATH`, `mysql://…`, `postgres://…` — created by
    /// the run (`sink.create-table`) and read back with `store::dump_table`: the final
    /// table as a user of the job sees it, after upserts, deletes and coalescing.
    Database { name: &'static str, url: String },
}

/// What one run wrote: the rows per sink, and for a database run each store sink's
/// dumped table (`store::dump_table` lines, spelled alike whichever database holds
/// them, for comparing stores with each other).
#[derive(Clone, Debug)]
pub struct StreamsqlRun {
    pub outcome: StreamsqlOutcome,
    pub dumps: BTreeMap<String, Vec<String>>,
}

/// The job's description from the committed generated code.
fn generated_info(job: &HarnessJob) -> Option<&'static streamsql_runtime::JobInfo> {
    streamsql_generated::jobs()
        .into_iter()
        .find(|(n, ..)| *n == job.name)
        .map(|(_, info, _)| info)
}

/// The sinks [`SinkStore::Database`] puts in the database: connectors `jdbc`,
/// `hbase`, `ots`.
fn store_sinks(
    info: &'static streamsql_runtime::JobInfo,
) -> impl Iterator<Item = &'static streamsql_runtime::TableInfo> {
    info.tables
        .iter()
        .filter(|t| info.sinks.contains(&t.name) && ["jdbc", "hbase", "ots"].contains(&t.connector))
}

/// The job's tables of connector family `kafka` (Kafka, DataHub), which
/// [`Transport::Kafka`] puts on the broker.
fn kafka_tables(info: &'static streamsql_runtime::JobInfo) -> impl Iterator<Item = &'static str> {
    info.tables
        .iter()
        .filter(|t| t.connector == "kafka")
        .map(|t| t.name)
}

/// Whether a job reads a Kafka-family source.
pub fn reads_kafka(job: &HarnessJob) -> bool {
    generated_info(job).is_some_and(|info| kafka_tables(info).any(|t| info.sources.contains(&t)))
}

/// Whether a job writes any sink a database run would put in the database.
pub fn has_store_sink(job: &HarnessJob) -> bool {
    generated_info(job).is_some_and(|info| store_sinks(info).next().is_some())
}

/// Flink's outcome as the job's store tables would hold it: each store sink with a
/// PRIMARY KEY gets Flink's output applied in order by that key (an insert or
/// update-after replaces the key's row, an update-before or delete removes it) — what
/// Flink's own JDBC/HBase sink leaves in the table — instead of folded as a multiset.
/// An append-only job writing one key twice keeps the later row, as an HBase rowkey
/// does.
pub fn flink_as_stored(job: &HarnessJob, flink: &FlinkOutcome) -> FlinkOutcome {
    let FlinkOutcome::Ok {
        seconds,
        sinks,
        lines,
    } = flink
    else {
        return flink.clone();
    };
    let Some(info) = generated_info(job) else {
        return flink.clone();
    };
    let mut stored = sinks.clone();
    for s in &job.sinks {
        let Some(t) = store_sinks(info).find(|t| t.name == s.name) else {
            continue;
        };
        if t.primary_key.is_empty() {
            continue;
        }
        let key: Vec<String> = t.primary_key.iter().map(|k| k.to_string()).collect();
        let empty = Vec::new();
        let sink_lines = lines.get(&s.name).unwrap_or(&empty);
        match compare::read_rows_keyed(sink_lines, s.format, &s.proctime_cols, &key) {
            Ok(rows) => {
                stored.insert(s.name.clone(), rows);
            }
            Err(e) => return FlinkOutcome::Failed(format!("sink {} by key: {e}", s.name)),
        }
    }
    FlinkOutcome::Ok {
        seconds: *seconds,
        sinks: stored,
        lines: lines.clone(),
    }
}

/// A table name for `sink` of `job` on a shared server: unique per job, sink and
/// transport (tests of one binary run at once, and may run one job on one database
/// both from files and from Kafka), at most 63 bytes (PostgreSQL's limit; MySQL's is
/// 64), lower case.
fn store_table(job: &str, sink: &str, transport: &Transport) -> String {
    let via = match transport {
        Transport::Files => "files",
        Transport::Kafka { .. } => "kafka",
    };
    // FNV-1a: stable across runs and Rust versions (a rerun replaces its own table).
    let hash = format!("{job}/{sink}/{via}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let mut name = format!("h{:08x}_{}", hash as u32, sink.to_ascii_lowercase());
    name.truncate(63);
    name
}

/// Creates `table` in the database at `url` (dropping an earlier run's) and writes the
/// rows of the JSON-lines `file` into it as the dimension table `dim` describes them
/// (its PRIMARY KEY the table's key; the lines a job's `--input` would skip are left
/// out: `lookup::dimension_file_rows`).
fn load_dimension(
    url: &str,
    table: &str,
    dim: &streamsql_runtime::TableInfo,
    file: &Path,
) -> Result<(), String> {
    use streamsql_runtime::store::{self, Schema};
    store::drop_table(url, table)?;
    let schema = Schema::of(dim);
    let path = file.display().to_string();
    let rows = streamsql_runtime::lookup::dimension_file_rows(&path, &schema, |_, _| {})?;
    let settings = store::sql::SqlSettings {
        target: store::Target::parse(url)?,
        table: table.to_string(),
        create_table: true,
        max_retries: 3,
        reconnect_timeout: std::time::Duration::from_secs(30),
    };
    let mut sql = store::sql::SqlStore::open(dim.name, settings, schema)?;
    let mut ctx = streamsql_runtime::driver::Ctx::new(0);
    sql.write(rows, &mut ctx)
}

/// `user` and `password` of a `scheme://user:password@host/...` URL: set as the
/// table's `username`/`password` so that the seed's own (`userName = '...'`) do not
/// replace them.
fn url_credentials(url: &str) -> Option<(String, String)> {
    let rest = url.split_once("://")?.1;
    let (auth, _) = rest.split_once('@')?;
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    Some((user.to_string(), password.to_string()))
}

/// Where a harness run's Kafka tables (connector family `kafka`: Blink's `kafka010`,
/// `kafka011`, `datahub`; Flink's `kafka`) are read and written.
#[derive(Clone, Debug)]
pub enum Transport {
    /// Sources read their generated JSON-lines file; sinks write a file.
    Files,
    /// Each source's generated lines are produced, one record per line and in order,
    /// into a topic of its own on `brokers`, which the job reads from the earliest
    /// offset; each Kafka sink writes a topic of its own, read back after the run.
    /// The run ends when the sources have been idle for 3 s (then it fires what is
    /// open, as at the end of a file).
    Kafka { brokers: String },
}

/// Runs the Blink job on streamsql with its store sinks in files.
pub fn run_streamsql(job: &HarnessJob, dir: &Path) -> StreamsqlOutcome {
    run_streamsql_on(job, dir, &SinkStore::Files).outcome
}

/// Runs the Blink job on streamsql from files, its store sinks writing to `store`.
pub fn run_streamsql_on(job: &HarnessJob, dir: &Path, store: &SinkStore) -> StreamsqlRun {
    run_streamsql_via(job, dir, store, &Transport::Files)
}

/// A topic name no earlier run used for `table` of `job` (the broker outlives runs,
/// and a reused topic would hand this run another run's records).
fn run_topic(job: &str, table: &str) -> String {
    let mut t = format!(
        "harness-{}-{table}-{}",
        job.replace('/', "."),
        crate::support::unique()
    );
    t.truncate(249);
    t
}

/// Runs the Blink job on streamsql — the committed generated code (`generated/`, kept
/// fresh by its test) in this process, through the same driver a job binary uses —
/// on the full generated input, messy rows and NULL rowtimes included, its store
/// sinks writing to `store` and its Kafka tables on `transport`.
pub fn run_streamsql_via(
    job: &HarnessJob,
    dir: &Path,
    store: &SinkStore,
    transport: &Transport,
) -> StreamsqlRun {
    let failed = |outcome| StreamsqlRun {
        outcome,
        dumps: BTreeMap::new(),
    };
    let blink_sql = std::fs::read_to_string(&job.blink).unwrap_or_default();
    let plan = match streamsql_compiler::plan(&blink_sql) {
        Ok((plan, _)) => plan,
        Err(_) => return failed(StreamsqlOutcome::NotRunnable("does not compile".into())),
    };
    if let Err(streamsql_compiler::codegen::Unsupported(why)) =
        streamsql_compiler::codegen::runnable(&plan)
    {
        return failed(StreamsqlOutcome::NotRunnable(why));
    }
    let Some((_, info, Some(mut runner))) = streamsql_generated::jobs()
        .into_iter()
        .find(|(n, ..)| *n == job.name)
    else {
        return failed(StreamsqlOutcome::NotRunnable(
            "generated/ has no runnable code for it (regenerate)".into(),
        ));
    };
    let out_dir = match store {
        SinkStore::Files => dir.join("streamsql-out"),
        SinkStore::Database { name, .. } => dir.join(format!("streamsql-out-{name}")),
    };
    let _ = std::fs::remove_dir_all(&out_dir);
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        return failed(StreamsqlOutcome::Failed(e.to_string()));
    }
    // The sinks that go to the database, with their tables there.
    let mut tables: BTreeMap<String, String> = BTreeMap::new();
    let mut sets = Vec::new();
    // Dimension tables: served from their generated file (`--input dim=FILE`), or
    // loaded into the database and looked up there.
    let mut dim_inputs = Vec::new();
    let mut dim_tables = Vec::new();
    for dim in &job.dims {
        let file = dir.join(format!("{dim}.jsonl"));
        match store {
            SinkStore::Files => dim_inputs.push((dim.clone(), file.display().to_string())),
            SinkStore::Database { url, .. } => {
                let Some(t) = info.table(dim) else {
                    return failed(StreamsqlOutcome::Failed(format!(
                        "no dimension table {dim}"
                    )));
                };
                let table = store_table(&job.name, dim, transport);
                if let Err(e) = load_dimension(url, &table, t, &file) {
                    return failed(StreamsqlOutcome::Failed(format!(
                        "loading {dim} into {url}: {e}"
                    )));
                }
                sets.push((format!("{dim}.url"), url.clone()));
                sets.push((format!("{dim}.table-name"), table.clone()));
                if let Some((user, password)) = url_credentials(url) {
                    sets.push((format!("{dim}.username"), user));
                    sets.push((format!("{dim}.password"), password));
                }
                dim_tables.push(table);
            }
        }
    }
    if let SinkStore::Database { url, .. } = store {
        for t in store_sinks(info) {
            let table = store_table(&job.name, t.name, transport);
            if let Err(e) = streamsql_runtime::store::drop_table(url, &table) {
                return failed(StreamsqlOutcome::Failed(format!(
                    "{url}: dropping {table}: {e}"
                )));
            }
            let mut set = |k: &str, v: &str| sets.push((format!("{}.{k}", t.name), v.to_string()));
            set("url", url);
            set("table-name", &table);
            set("sink.create-table", "true");
            if let Some((user, password)) = url_credentials(url) {
                set("username", &user);
                set("password", &password);
            }
            tables.insert(t.name.to_string(), table);
        }
    }
    // Kafka tables on a broker: sources fed from their files, sinks into topics.
    let mut topics: BTreeMap<String, String> = BTreeMap::new();
    let mut stop_when_idle = None;
    if let Transport::Kafka { brokers } = transport {
        let mut set = |t: &str, k: &str, v: &str| sets.push((format!("{t}.{k}"), v.to_string()));
        for t in kafka_tables(info).filter(|t| info.sources.contains(t)) {
            let topic = run_topic(&job.name, t);
            let file = dir.join(format!("{t}.jsonl"));
            let data = match std::fs::read(&file) {
                Ok(d) => d,
                Err(e) => {
                    return failed(StreamsqlOutcome::Failed(format!("{}: {e}", file.display())));
                }
            };
            if let Err(e) = streamsql_runtime::kafka::produce_lines(brokers, &topic, &data) {
                return failed(StreamsqlOutcome::Failed(format!(
                    "producing {t} into {topic}: {e}"
                )));
            }
            set(t, "topic", &topic);
            set(t, "properties.bootstrap.servers", brokers);
            set(t, "scan.startup.mode", "earliest-offset");
            set(t, "properties.group.id", &format!("{topic}-job"));
            topics.insert(t.to_string(), topic);
        }
        for t in kafka_tables(info).filter(|t| info.sinks.contains(t)) {
            let topic = run_topic(&job.name, t);
            // One partition: the rows are read back in the order the job wrote them.
            if let Err(e) = streamsql_runtime::kafka::ensure_ordered_topic(brokers, &topic) {
                return failed(StreamsqlOutcome::Failed(format!("creating {topic}: {e}")));
            }
            set(t, "topic", &topic);
            set(t, "properties.bootstrap.servers", brokers);
            topics.insert(t.to_string(), topic);
        }
        stop_when_idle = Some(std::time::Duration::from_secs(3));
    }
    let opts = streamsql_runtime::driver::Options {
        inputs: info
            .sources
            .iter()
            .filter(|t| !topics.contains_key(**t))
            .map(|t| {
                (
                    t.to_string(),
                    dir.join(format!("{t}.jsonl")).display().to_string(),
                )
            })
            .chain(dim_inputs)
            .collect(),
        outputs: info
            .sinks
            .iter()
            .filter(|t| !tables.contains_key(**t) && !topics.contains_key(**t))
            .map(|t| {
                (
                    t.to_string(),
                    out_dir.join(format!("{t}.jsonl")).display().to_string(),
                )
            })
            .collect(),
        sets,
        dead_letter: Some(out_dir.join("dead-letters.jsonl").display().to_string()),
        batch_size: 1024,
        quiet: true,
        stop_when_idle,
        ..Default::default()
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    if let Err(e) = streamsql_runtime::driver::run(runner.as_mut(), &opts, &stop) {
        return failed(StreamsqlOutcome::Failed(e));
    }
    let mut sinks = BTreeMap::new();
    let mut dumps = BTreeMap::new();
    for s in &job.sinks {
        let (lines, format) = match (tables.get(&s.name), store) {
            (Some(table), SinkStore::Database { name, url }) => {
                match streamsql_runtime::store::dump_table(url, table) {
                    Ok(lines) => {
                        dumps.insert(s.name.clone(), lines.clone());
                        (lines, SinkFormat::Json)
                    }
                    Err(e) => {
                        return failed(StreamsqlOutcome::Failed(format!(
                            "sink {} on {name}: dump {table}: {e}",
                            s.name
                        )));
                    }
                }
            }
            _ => {
                let mut lines: Vec<String> = match (topics.get(&s.name), transport) {
                    (Some(topic), Transport::Kafka { brokers }) => {
                        let idle = std::time::Duration::from_secs(2);
                        match streamsql_runtime::kafka::read_values(brokers, topic, idle) {
                            Ok(values) => values
                                .iter()
                                .map(|v| String::from_utf8_lossy(v).into_owned())
                                .collect(),
                            Err(e) => {
                                return failed(StreamsqlOutcome::Failed(format!(
                                    "sink {}: reading topic {topic}: {e}",
                                    s.name
                                )));
                            }
                        }
                    }
                    _ => {
                        let path = out_dir.join(format!("{}.jsonl", s.name));
                        let text = std::fs::read_to_string(&path).unwrap_or_default();
                        text.lines().map(str::to_string).collect()
                    }
                };
                if s.message {
                    match message_rows(lines, false) {
                        Ok(l) => lines = l,
                        Err(e) => return failed(StreamsqlOutcome::Failed(e)),
                    }
                }
                // An updating sink's file holds streamsql's changelog rows.
                let format = match s.format {
                    SinkFormat::DebeziumJson => SinkFormat::Changelog,
                    other => other,
                };
                (lines, format)
            }
        };
        match compare::read_rows(&lines, format, &s.proctime_cols) {
            Ok(rows) => {
                sinks.insert(s.name.clone(), rows);
            }
            Err(e) => {
                return failed(StreamsqlOutcome::Failed(format!("sink {}: {e}", s.name)));
            }
        }
    }
    // Read back: the tables go (a run that failed before this leaves its tables, to
    // look at; the next run drops them first).
    if let SinkStore::Database { url, .. } = store {
        for table in tables.values().chain(&dim_tables) {
            let _ = streamsql_runtime::store::drop_table(url, table);
        }
    }
    StreamsqlRun {
        outcome: StreamsqlOutcome::Ok(sinks),
        dumps,
    }
}

/// One line of the report.
#[derive(Clone, Debug)]
pub struct Line {
    pub job: String,
    pub flink_rows: Option<usize>,
    pub streamsql_rows: Option<usize>,
    pub verdict: LineVerdict,
}

#[derive(Clone, Debug)]
pub enum LineVerdict {
    Match,
    Mismatch(String),
    NotRunnable(String),
    FlinkFailed(String),
}

/// Compares one job's outcomes sink by sink.
pub fn judge(job: &HarnessJob, flink: &FlinkOutcome, ours: &StreamsqlOutcome) -> Line {
    let flink_rows = match flink {
        FlinkOutcome::Ok { sinks, .. } => Some(sinks.values().map(Vec::len).sum()),
        FlinkOutcome::Failed(_) => None,
    };
    let streamsql_rows = match ours {
        StreamsqlOutcome::Ok(sinks) => Some(sinks.values().map(Vec::len).sum()),
        StreamsqlOutcome::NotRunnable(_) | StreamsqlOutcome::Failed(_) => None,
    };
    let verdict = match (flink, ours) {
        (FlinkOutcome::Failed(e), _) => LineVerdict::FlinkFailed(e.clone()),
        (_, StreamsqlOutcome::NotRunnable(why)) => LineVerdict::NotRunnable(why.clone()),
        (_, StreamsqlOutcome::Failed(e)) => LineVerdict::Mismatch(format!("streamsql failed: {e}")),
        (FlinkOutcome::Ok { sinks: f, .. }, StreamsqlOutcome::Ok(s)) => {
            let mut problems = String::new();
            for sink in &job.sinks {
                let empty = Vec::new();
                let v = compare::compare(
                    f.get(&sink.name).unwrap_or(&empty),
                    s.get(&sink.name).unwrap_or(&empty),
                );
                if let Verdict::Mismatch { .. } = v {
                    problems.push_str(&format!("sink {}: {v}", sink.name));
                }
            }
            if problems.is_empty() {
                LineVerdict::Match
            } else {
                LineVerdict::Mismatch(problems)
            }
        }
    };
    Line {
        job: job.name.clone(),
        flink_rows,
        streamsql_rows,
        verdict,
    }
}

/// The per-job table the harness prints.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub lines: Vec<Line>,
}

impl Report {
    pub fn mismatches(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| matches!(l.verdict, LineVerdict::Mismatch(_)))
            .count()
    }
    pub fn flink_failures(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| matches!(l.verdict, LineVerdict::FlinkFailed(_)))
            .count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        writeln!(
            f,
            "{:<46} {:>10} {:>14}  verdict",
            "job", "Flink rows", "streamsql rows"
        )?;
        for l in &self.lines {
            let verdict = match &l.verdict {
                LineVerdict::Match => "match".to_string(),
                LineVerdict::Mismatch(d) => format!("MISMATCH\n{d}"),
                LineVerdict::NotRunnable(why) => format!("streamsql cannot run it yet: {why}"),
                LineVerdict::FlinkFailed(e) => format!("FLINK FAILED: {e}"),
            };
            writeln!(
                f,
                "{:<46} {:>10} {:>14}  {verdict}",
                l.job,
                rows(l.flink_rows),
                rows(l.streamsql_rows)
            )?;
        }
        let count =
            |p: fn(&LineVerdict) -> bool| self.lines.iter().filter(|l| p(&l.verdict)).count();
        write!(
            f,
            "{} jobs: {} match, {} mismatch, {} not runnable by streamsql yet, {} failed on Flink",
            self.lines.len(),
            count(|v| matches!(v, LineVerdict::Match)),
            count(|v| matches!(v, LineVerdict::Mismatch(_))),
            count(|v| matches!(v, LineVerdict::NotRunnable(_))),
            count(|v| matches!(v, LineVerdict::FlinkFailed(_))),
        )
    }
}
