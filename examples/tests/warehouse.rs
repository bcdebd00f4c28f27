//! The README's demo command: `warehouse` generates data, runs every example job on the
//! embedded defaults and reports each one's outputs.

use std::process::Command;

#[test]
fn the_demo_runs_every_job_and_reports_its_outputs() {
    let dir = std::env::temp_dir().join(format!("streamsql-warehouse-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_warehouse"))
        .args(["--count", "2000", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("FAILED"), "{text}");
    let jobs = streamsql_examples::runnable_jobs();
    for (name, job) in &jobs {
        let at = text
            .find(&format!("] {name}\n"))
            .unwrap_or_else(|| panic!("{name} not run:\n{text}"));
        let report = &text[at..];
        let report = &report[..report[1..].find("\n[").map_or(report.len(), |e| e + 1)];
        assert!(report.contains("read "), "{report}");
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
    let _ = std::fs::remove_dir_all(&dir);
}
