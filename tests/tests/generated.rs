//! The committed `generated/` modules are exactly what the compiler produces now, and
//! `generated/src/lib.rs` includes every one (rust-analyzer's "generated code is
//! committed and checked" habit). Regenerate with
//! `UPDATE_EXPECT=1 cargo test -p streamsql-tests --test generated`, then review the diff.

use std::path::{Path, PathBuf};
use streamsql_compiler::build::{generate_source, module_name};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn generated_modules_are_fresh() {
    let root = root();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let lib = std::fs::read_to_string(root.join("generated/src/lib.rs")).unwrap();
    let mut stale = Vec::new();
    let mut count = 0;
    for domain in ["education", "iot"] {
        let mut jobs: Vec<PathBuf> = std::fs::read_dir(root.join("examples").join(domain))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "sql")
                    && !p.to_string_lossy().ends_with(".flink.sql")
            })
            .collect();
        jobs.sort();
        for job in jobs {
            count += 1;
            let rel = format!(
                "examples/{domain}/{}",
                job.file_name().unwrap().to_str().unwrap()
            );
            let module = module_name(&job);
            let sql = std::fs::read_to_string(&job).unwrap();
            let fresh = generate_source(&rel, &module, &sql)
                .unwrap_or_else(|e| panic!("{rel} does not compile:\n{e}"));
            let out = root
                .join("generated")
                .join(domain)
                .join(format!("{module}.rs"));
            if update {
                std::fs::write(&out, &fresh).unwrap();
            } else if std::fs::read_to_string(&out).ok().as_deref() != Some(fresh.as_str()) {
                stale.push(out.display().to_string());
            }
            let include = format!("include!(\"../{domain}/{module}.rs\");");
            if !lib.contains(&include) {
                stale.push(format!("generated/src/lib.rs lacks `{include}`"));
            }
        }
    }
    assert!(count >= 15, "expected the 15 seed jobs, found {count}");
    assert!(
        stale.is_empty(),
        "stale generated code (regenerate with UPDATE_EXPECT=1 cargo test -p streamsql-tests --test generated):\n{}",
        stale.join("\n")
    );
}

#[test]
fn generated_jobs_describe_themselves() {
    use streamsql_generated::iot::daily_mall_traffic as job;
    let info = job::Job.info();
    assert_eq!(info.name, "daily_mall_traffic");
    assert_eq!(info.dialect, "Blink");
    let sink = info
        .tables
        .iter()
        .find(|t| t.name == "trading_area_daily_people")
        .unwrap();
    assert_eq!(sink.connector, "jdbc");
    assert_eq!(sink.primary_key, ["count_date"]);
    assert!(info.plan.contains("GroupAggregate"), "{}", info.plan);
    let row = job::TradingAreaDailyPeopleRow {
        count_date: "2024-03-02".into(),
        people_sum: Some(3),
    };
    assert_eq!(row.people_sum, Some(3));
}
