//! The README's demo command: `warehouse` generates data, runs every example job on the
//! embedded defaults and reports each one's outputs.

use std::process::Command;

/// Runs `warehouse` with `args` (`--count count` first); checks that every job ran,
/// read every generated record of its sources and reported every sink; its output.
fn run_warehouse(count: usize, args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_warehouse"))
        .args(["--count", &count.to_string()])
        .args(args)
        .arg("--dir")
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("FAILED"), "{text}");
    let jobs = streamsql_examples::runnable_jobs();
    let fed = streamsql_examples::topics_written(jobs.iter().map(|(_, j)| j.info()));
    for (name, job) in &jobs {
        let at = text
            .find(&format!("] {name}\n"))
            .unwrap_or_else(|| panic!("{name} not run:\n{text}"));
        let report = &text[at..];
        let report = &report[..report[1..].find("\n[").map_or(report.len(), |e| e + 1)];
        assert!(report.contains("read "), "{report}");
        // `count` records per generated source table (a source another job feeds reads
        // what that job wrote; checked below).
        let info = job.info();
        let is_fed = |s: &&str| {
            streamsql_examples::kafka_topic(info.table(s).unwrap())
                .is_some_and(|x| fed.contains(&x))
        };
        if !info.sources.iter().any(is_fed) {
            let read = format!("\n        read {} messages ", count * info.sources.len());
            assert!(report.contains(&read), "{read:?}:\n{report}");
        }
        // Every sink's output is reported, with where it went.
        for sink in job.info().sinks {
            assert!(
                report.contains(&format!("        {sink}: ")),
                "{sink}:\n{report}"
            );
        }
    }
    assert!(text.contains(&format!("{} jobs in", jobs.len())), "{text}");
    // Classroom performance reads what the signalling ETL wrote to its topic.
    let classroom = &text[text.find("] education/classroom_performance").unwrap()..];
    assert!(
        !classroom.starts_with("] education/classroom_performance\n        read 0 "),
        "{classroom}"
    );
    text
}

#[test]
fn the_demo_runs_every_job_and_reports_its_outputs() {
    let dir = std::env::temp_dir().join(format!("streamsql-warehouse-{}", std::process::id()));
    run_warehouse(2000, &[], &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's second command: the same warehouse on a Kafka broker and MariaDB
/// (`STREAMSQL_KAFKA_BROKERS`, `STREAMSQL_MYSQL_URL`: tests/run.sh starts both and
/// runs this with `--features kafka`). Without them the test fails, never skips.
#[cfg(feature = "kafka")]
#[test]
fn the_warehouse_runs_on_kafka_and_mariadb() {
    let var = |k: &str| {
        std::env::var(k).unwrap_or_else(|_| {
            panic!("{k} is not set: tests/run.sh starts the broker and the databases")
        })
    };
    let (brokers, url) = (var("STREAMSQL_KAFKA_BROKERS"), var("STREAMSQL_MYSQL_URL"));
    let dir =
        std::env::temp_dir().join(format!("streamsql-warehouse-kafka-{}", std::process::id()));
    let text = run_warehouse(1000, &["--kafka", &brokers, "--rds", &url], &dir);
    // Sources were produced into topics and sinks went to the broker and MariaDB.
    assert!(text.contains("produced 1000 records into topic"), "{text}");
    assert!(text.contains("-> Kafka topic "), "{text}");
    assert!(text.contains("-> mysql://"), "{text}");
    // The signalling ETL feeds classroom performance through a real topic: classroom
    // performance reads every record the ETL wrote there.
    let written = text
        .lines()
        .find(|l| l.contains("rows -> Kafka topic ") && l.ends_with(".timeline_analysis_student"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no timeline_analysis_student topic:\n{text}"));
    let classroom = &text[text.find("] education/classroom_performance").unwrap()..];
    assert!(
        classroom.contains(&format!("\n        read {written} messages ")),
        "the ETL wrote {written} records:\n{classroom}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
