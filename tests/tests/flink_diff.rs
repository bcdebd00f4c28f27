//! The differential harness: every example job on Apache Flink 2.3 (the oracle) and on
//! streamsql, same generated input, results compared; prints the per-job table.
//!
//! Flink is installed by `tests/flink/install.sh` on first use (idempotent; or point
//! `STREAMSQL_FLINK_PYTHON` at a PyFlink 2.3 interpreter). `STREAMSQL_HARNESS_ROWS`
//! sets the rows per source (default 2000), `STREAMSQL_HARNESS_SEED` the seed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use streamsql_examples::datagen::Config;
use streamsql_tests::harness::compare::{self, Row};
use streamsql_tests::harness::{
    self, FlinkOutcome, HarnessJob, LineVerdict, Report, SinkStore, StreamsqlOutcome,
};

struct Run {
    jobs: Vec<HarnessJob>,
    dirs: Vec<PathBuf>,
    flink: Vec<FlinkOutcome>,
}

/// One Flink batch (one JVM) per test binary, shared by the tests below.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let env = |k: &str, d: u64| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(d)
        };
        let cfg = Config {
            seed: env("STREAMSQL_HARNESS_SEED", 42),
            count: env("STREAMSQL_HARNESS_ROWS", 2000) as usize,
            ..Config::default()
        };
        let jobs = harness::jobs().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            jobs.len(),
            20,
            "every example job needs its Flink translation"
        );
        let work = harness::root().join("target/flink-harness");
        let mut dirs = Vec::new();
        let mut vars = Vec::new();
        for job in &jobs {
            let dir = work.join(job.name.replace('/', "__"));
            vars.push(harness::write_inputs(job, &cfg, &dir).unwrap_or_else(|e| panic!("{e}")));
            dirs.push(dir);
        }
        let flink = harness::run_flink(&jobs, &vars, &work).unwrap_or_else(|e| panic!("{e}"));
        Run { jobs, dirs, flink }
    })
}

#[test]
fn every_example_job_against_flink() {
    let run = run();
    let mut report = Report::default();
    for ((job, dir), flink) in run.jobs.iter().zip(&run.dirs).zip(&run.flink) {
        let ours = harness::run_streamsql(job, dir);
        report.lines.push(harness::judge(job, flink, &ours));
    }
    println!("\n{report}\n");
    // Kept for CI to print (cargo captures test output).
    let _ = std::fs::write(
        harness::root().join("target/flink-harness/report.txt"),
        format!("{report}\n"),
    );
    assert_eq!(
        report.flink_failures(),
        0,
        "the oracle must run every job:\n{report}"
    );
    for l in &report.lines {
        assert!(
            l.flink_rows.unwrap_or(0) > 0,
            "{}: Flink produced no rows, so the comparison would prove nothing",
            l.job
        );
    }
    assert_eq!(
        report.mismatches(),
        0,
        "streamsql differs from Flink:\n{report}"
    );
    // The jobs whose operators streamsql generates must stay runnable (and so matched).
    for name in MUST_MATCH {
        let l = report
            .lines
            .iter()
            .find(|l| l.job == *name)
            .unwrap_or_else(|| panic!("{name} is not in the report"));
        assert!(
            matches!(l.verdict, LineVerdict::Match),
            "{name} must match Flink:\n{report}"
        );
    }
}

/// Stateless ETL (issue 4), event-time windows (issue 5), updating results: group
/// aggregates, Top-N, joins, upsert materialization (issue 6), and lookup joins
/// (issue 7): every example job.
const MUST_MATCH: &[&str] = &[
    "education/signalling_etl",
    "education/registration_level_etl",
    "education/classroom_performance",
    "education/av_network_monitoring",
    "education/window_features",
    "iot/customer_positions_per_second",
    "iot/peak_hour_counts",
    "education/daily_course_consultant_tracking",
    "education/offline_study_time",
    "education/updating_features",
    "iot/daily_mall_traffic",
    "iot/peak_hour",
    "iot/shop_rankings",
    // Lookup joins (issue 7).
    "education/hourly_registrations_by_level",
    "iot/customer_positions",
    "iot/daily_new_customers",
    "iot/daily_shop_traffic",
    "iot/favourite_shop",
    "iot/shops_visited_more_than_once",
    "iot/top5_shops",
];

/// The test databases: an SQLite file, MariaDB and PostgreSQL from the environment
/// (`tests/db/servers.sh`, started by tests/run.sh). Without a server the test fails,
/// never skips.
fn stores(dir: &std::path::Path) -> Vec<SinkStore> {
    let server = |name, var: &str| {
        SinkStore::Database {
        name,
        url: std::env::var(var).unwrap_or_else(|_| {
            panic!(
                "{var} is not set: start the test databases with `eval \"$(bash tests/db/servers.sh start | tail -n 2)\"` (tests/run.sh does this)"
            )
        }),
    }
    };
    vec![
        SinkStore::Database {
            name: "sqlite",
            url: format!("sqlite:{}", dir.join("harness.db").display()),
        },
        server("mariadb", "STREAMSQL_MYSQL_URL"),
        server("postgres", "STREAMSQL_POSTGRES_URL"),
    ]
}

/// Every job that must match Flink and writes a relational or key-value table, run
/// with those tables — and its dimension tables, loaded from the generated files and
/// looked up there — in SQLite, MariaDB and PostgreSQL: each database's final tables
/// must equal Flink's folded changelog, and the three databases must hold the same
/// rows (dumped alike by `store::dump_table`).
#[test]
fn store_sinks_match_flink_on_every_database() {
    let run = run();
    let work = harness::root().join("target/flink-harness");
    let _ = std::fs::remove_file(work.join("harness.db"));
    let stores = stores(&work);
    let mut report = Report::default();
    let mut differ = Vec::new();
    let mut jobs = 0;
    for ((job, dir), flink) in run.jobs.iter().zip(&run.dirs).zip(&run.flink) {
        if !MUST_MATCH.contains(&job.name.as_str()) || !harness::has_store_sink(job) {
            continue;
        }
        jobs += 1;
        let stored = harness::flink_as_stored(job, flink);
        let mut first: Option<(&str, BTreeMap<String, Vec<String>>)> = None;
        for store in &stores {
            let SinkStore::Database { name, .. } = store else {
                unreachable!()
            };
            let ours = harness::run_streamsql_on(job, dir, store);
            let mut line = harness::judge(job, &stored, &ours.outcome);
            line.job = format!("{} on {name}", job.name);
            report.lines.push(line);
            if ours.dumps.is_empty() {
                continue;
            }
            let dumps = without_proctime(job, ours.dumps);
            match &first {
                None => first = Some((name, dumps)),
                Some((first_name, dumps)) => {
                    for (sink, lines) in dumps {
                        let theirs = dumps.get(sink).map_or(&[][..], Vec::as_slice);
                        if theirs != lines.as_slice() {
                            let first_diff = lines
                                .iter()
                                .zip(theirs)
                                .find(|(a, b)| a != b)
                                .map(|(a, b)| format!("\n  {first_name}: {a}\n  {name}: {b}"))
                                .unwrap_or_default();
                            differ.push(format!(
                                "{} sink {sink}: {name} holds other rows than {first_name} ({} rows, {} rows){first_diff}",
                                job.name,
                                theirs.len(),
                                lines.len()
                            ));
                        }
                    }
                }
            }
        }
    }
    println!("\n{report}\n");
    let _ = std::fs::write(work.join("stores-report.txt"), format!("{report}\n"));
    assert!(jobs >= 8, "only {jobs} jobs write a store table");
    for l in &report.lines {
        assert!(
            matches!(l.verdict, LineVerdict::Match),
            "{} must match Flink:\n{report}",
            l.job
        );
    }
    assert!(
        differ.is_empty(),
        "the databases differ:\n{}",
        differ.join("\n")
    );
}

/// The seeds' deployment: every job that must match Flink, its Kafka sources read
/// from topics of a real broker (the generated lines produced into them, one record
/// each), its Kafka sinks writing topics that are read back, its RDS/HBase/OTS tables
/// and dimension tables in MariaDB. Each must equal Flink's result, as files and
/// SQLite do.
#[test]
fn every_job_matches_flink_on_kafka_and_mariadb() {
    let run = run();
    let brokers = harness::kafka_brokers();
    let transport = harness::Transport::Kafka { brokers };
    let mariadb = stores(&harness::root().join("target/flink-harness"))
        .into_iter()
        .find(|s| {
            matches!(
                s,
                SinkStore::Database {
                    name: "mariadb",
                    ..
                }
            )
        })
        .expect("MariaDB among the stores");
    let mut report = Report::default();
    let mut topics_read = 0;
    for ((job, dir), flink) in run.jobs.iter().zip(&run.dirs).zip(&run.flink) {
        if !MUST_MATCH.contains(&job.name.as_str()) {
            continue;
        }
        let stored = harness::flink_as_stored(job, flink);
        let ours = harness::run_streamsql_via(job, dir, &mariadb, &transport);
        let mut line = harness::judge(job, &stored, &ours.outcome);
        line.job = format!("{} on Kafka + MariaDB", job.name);
        report.lines.push(line);
        topics_read += usize::from(harness::reads_kafka(job));
    }
    println!("\n{report}\n");
    let _ = std::fs::write(
        harness::root().join("target/flink-harness/kafka-mariadb-report.txt"),
        format!("{report}\n"),
    );
    assert_eq!(report.lines.len(), MUST_MATCH.len());
    // Every seed job reads Kafka-family sources (Kafka, DataHub): all of them ran on
    // the broker, none fell back to files.
    assert_eq!(topics_read, MUST_MATCH.len(), "jobs without a Kafka source");
    for l in &report.lines {
        assert!(
            matches!(l.verdict, LineVerdict::Match),
            "{} must match Flink:\n{report}",
            l.job
        );
    }
}

/// Dumped table lines without the sink's processing-time columns (which differ
/// between runs), sorted again.
fn without_proctime(
    job: &HarnessJob,
    dumps: BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    dumps
        .into_iter()
        .map(|(sink, lines)| {
            let spec = job.sinks.iter().find(|s| s.name == sink);
            let mut lines: Vec<String> = lines
                .into_iter()
                .map(|l| {
                    let mut v: serde_json::Value =
                        serde_json::from_str(&l).unwrap_or_else(|e| panic!("{e}: {l}"));
                    if let (Some(spec), Some(o)) = (spec, v.as_object_mut()) {
                        o.retain(|k, _| !spec.proctime_cols.contains(k));
                    }
                    v.to_string()
                })
                .collect();
            lines.sort();
            (sink, lines)
        })
        .collect()
}

/// The harness itself: a deliberately wrong result (window ends one millisecond
/// early, as an off-by-one `window_end - 1` would give) must fail it, a dropped row
/// must fail it, and Flink's own rows must pass.
#[test]
fn a_wrong_result_fails_the_harness() {
    let run = run();
    let i = run
        .jobs
        .iter()
        .position(|j| j.name == "education/classroom_performance")
        .unwrap();
    let (job, flink) = (&run.jobs[i], &run.flink[i]);
    let FlinkOutcome::Ok { sinks, .. } = flink else {
        panic!("Flink failed on {}: {flink:?}", job.name)
    };
    let (sink, rows) = sinks.iter().next().unwrap();
    assert!(!rows.is_empty(), "no window fired on Flink");

    let same = StreamsqlOutcome::Ok(sinks.clone());
    assert!(matches!(
        harness::judge(job, flink, &same).verdict,
        LineVerdict::Match
    ));

    let off_by_one: Vec<Row> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let end = r.get_mut("end_time").expect("the window sink has end_time");
            let ms =
                compare::timestamp_millis(end.trim_matches('"')).expect("end_time is a timestamp");
            *end = format!("{:?}", compare::format_millis(ms - 1));
            r
        })
        .collect();
    let wrong = StreamsqlOutcome::Ok(BTreeMap::from([(sink.clone(), off_by_one)]));
    let line = harness::judge(job, flink, &wrong);
    let LineVerdict::Mismatch(why) = &line.verdict else {
        panic!("an off-by-one window end passed: {line:?}")
    };
    println!("off-by-one window end, as the harness reports it:\n{why}");

    let mut dropped = rows.clone();
    dropped.pop();
    let wrong = StreamsqlOutcome::Ok(BTreeMap::from([(sink.clone(), dropped)]));
    assert!(matches!(
        harness::judge(job, flink, &wrong).verdict,
        LineVerdict::Mismatch(_)
    ));
}
