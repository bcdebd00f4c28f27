//! Build times of the example jobs as standalone binaries (`streamsql build`, release
//! profile): cold, then after editing one job's SQL; and the lines of Rust each job
//! generates.
//!
//! In: every example job file (`examples/<domain>/<job>.sql`, not the Flink twins);
//! `--warm` keeps the build cache of an earlier run (default: a fresh one, so the
//! first job also compiles the runtime and its dependencies). Out: per job, the seconds
//! its binary took and its lines of generated Rust; then the rebuild of two jobs after
//! a one-line SQL edit each (a date format; a window size), on copies of their files.
//! The cache is `target/build-times/` (`STREAMSQL_CACHE`): one small cargo project
//! per job, all sharing one target directory, so the runtime is compiled once and a
//! job's build compiles only its own module. Prints figures; asserts nothing.
//!
//! `cargo bench -p streamsql-compiler --bench build_times`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let warm = std::env::args().any(|a| a == "--warm");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cache = root.join("target/build-times");
    if !warm {
        let _ = std::fs::remove_dir_all(&cache);
    }
    let out = cache.join("bin");
    let mut jobs: Vec<PathBuf> = ["education", "iot"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join("examples").join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".sql") && !name.ends_with(".flink.sql")
        })
        .collect();
    jobs.sort();

    println!(
        "{:<46} {:>9} {:>14}",
        "job (streamsql build, release)", "seconds", "generated lines"
    );
    let started = Instant::now();
    let (mut total_lines, mut first) = (0, true);
    for job in &jobs {
        let name = job
            .strip_prefix(root.join("examples"))
            .unwrap_or(job)
            .display()
            .to_string();
        let lines = generated_lines(job);
        total_lines += lines;
        let took = build(job, &cache, &out);
        let note = if first && !warm {
            "  (compiles the runtime and its dependencies first)"
        } else {
            ""
        };
        first = false;
        println!("{name:<46} {took:>9} {lines:>14}{note}");
    }
    println!(
        "{:<46} {:>9.1} {total_lines:>14}",
        format!("all {} jobs", jobs.len()),
        started.elapsed().as_secs_f64()
    );

    println!("\nrebuild after editing one job's SQL:");
    let edits = [
        (
            "examples/iot/daily_mall_traffic.sql",
            "'yyyy-MM-dd'",
            "'yyyy/MM/dd'",
        ),
        (
            "examples/education/av_network_monitoring.sql",
            "INTERVAL '30' SECOND",
            "INTERVAL '60' SECOND",
        ),
    ];
    let scratch = cache.join("edited");
    std::fs::create_dir_all(&scratch).unwrap();
    for (file, from, to) in edits {
        let sql = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(sql.contains(from), "{file} has no {from}");
        // A copy with the same file name (the module name), so only the SQL differs.
        let edited = scratch.join(Path::new(file).file_name().unwrap());
        std::fs::write(&edited, sql.replace(from, to)).unwrap();
        let took = build(&edited, &cache, &out);
        println!("{file:<46} {took:>9}  ({from} -> {to})");
    }
}

/// Lines of Rust the compiler generates for `job` (formatted as `generated/` is).
fn generated_lines(job: &Path) -> usize {
    let sql = std::fs::read_to_string(job).unwrap();
    let module = streamsql_compiler::build::module_name(job);
    match streamsql_compiler::compile(&module, &sql) {
        Ok(c) => streamsql_compiler::codegen::format(&c.tokens)
            .lines()
            .count(),
        Err(_) => 0,
    }
}

/// Seconds `streamsql build` took for `job` (wall time: the build is parallel), or why
/// it failed.
fn build(job: &Path, cache: &Path, out: &Path) -> String {
    let t = Instant::now();
    let result = Command::new(env!("CARGO_BIN_EXE_streamsql"))
        .arg("build")
        .arg(job)
        .arg("-o")
        .arg(out)
        .env("STREAMSQL_CACHE", cache)
        .output()
        .unwrap();
    if result.status.success() {
        format!("{:.1}", t.elapsed().as_secs_f64())
    } else {
        format!(
            "FAILED: {}",
            String::from_utf8_lossy(&result.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )
    }
}
