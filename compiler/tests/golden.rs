//! Golden files beside their inputs (rust-analyzer's data-driven habit):
//! - `examples/**/<job>.sql` -> `<job>.plan`: what `streamsql explain` prints (the
//!   logical plan annotated with decoded JSON paths, state and shared operators);
//! - `tests/seed_text/**/<job>.sql` -> `<job>.out`: the plan, or the rendered errors
//!   of the seed text as written (its invalid SQL is kept on purpose);
//! - `compiler/tests/errors/*.sql` -> `*.err`: rendered diagnostics;
//! - `compiler/tests/lints/<lint>[_<case>].sql` -> `*.warn`: the warnings of a job that
//!   compiles, among them the lint the file is named after (seed statements repaired
//!   just enough to compile, or forms the seeds lack; each file says which).
//!
//! Regenerate with `UPDATE_EXPECT=1 cargo test -p streamsql-compiler --test golden`
//! and review the diff.

use std::path::{Path, PathBuf};
use streamsql_compiler::{Job, SourceFile, explain, lint, plan};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// What a job file compiles to, printed by `print` and followed by its warnings; or
/// its rendered errors.
fn outcome_with(path: &Path, print: fn(&Job) -> String) -> (bool, String) {
    let sql = std::fs::read_to_string(path).unwrap();
    let name = path.strip_prefix(root()).unwrap().display().to_string();
    match plan(&sql) {
        Ok((job, warnings)) => {
            let mut s = print(&job);
            if !warnings.is_empty() {
                if !s.is_empty() {
                    s.push('\n');
                }
                s.push_str(&warnings.render(&SourceFile::new(&name, &sql)));
            }
            (true, s)
        }
        Err(diags) => (false, diags.render(&SourceFile::new(&name, &sql))),
    }
}

/// The text a job file compiles to: its plan, or its rendered diagnostics.
fn outcome(path: &Path) -> (bool, String) {
    outcome_with(path, Job::to_string)
}

/// What `streamsql explain` prints for a job file (with its warnings).
fn explained(path: &Path) -> (bool, String) {
    outcome_with(path, explain::explain)
}

/// The warnings a job file compiles with (or its errors).
fn warnings(path: &Path) -> (bool, String) {
    outcome_with(path, |_| String::new())
}

/// Compares every input's outcome with its golden file; collects all mismatches.
fn check(dir: &str, ext: &str, must_compile: Option<bool>) {
    check_with(dir, ext, must_compile, outcome);
}

fn check_with(
    dir: &str,
    ext: &str,
    must_compile: Option<bool>,
    outcome: fn(&Path) -> (bool, String),
) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let files = sql_files(&root().join(dir));
    assert!(!files.is_empty(), "no .sql files under {dir}");
    let mut failures = Vec::new();
    for f in files {
        let (ok, text) = outcome(&f);
        if let Some(want) = must_compile
            && ok != want
        {
            failures.push(format!(
                "{}: expected it to {}compile:\n{text}",
                f.display(),
                if want { "" } else { "fail to " }
            ));
        }
        let golden = f.with_extension(ext);
        if update {
            std::fs::write(&golden, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(old) if old == text => {}
            Ok(old) => failures.push(format!(
                "{} differs from its golden {}:\n--- golden\n{old}\n+++ now\n{text}",
                f.display(),
                golden.display()
            )),
            Err(_) => failures.push(format!(
                "{} has no golden file {}",
                f.display(),
                golden.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(regenerate with UPDATE_EXPECT=1 and review the diff)",
        failures.join("\n\n")
    );
}

#[test]
fn example_plans() {
    check_with("examples", "plan", Some(true), explained);
}

#[test]
fn seed_text_outcomes() {
    check("tests/seed_text", "out", None);
}

#[test]
fn error_renderings() {
    check("compiler/tests/errors", "err", Some(false));
}

#[test]
fn lint_renderings() {
    check_with("compiler/tests/lints", "warn", Some(true), warnings);
}

/// The seed statements each lint was written for: the seed texts that compile as
/// written (their `.out` holds the warnings), and cases in `compiler/tests/lints/` made
/// from seed texts that do not (repaired just enough to compile).
const SEED_CASES: &[(&str, &[&str])] = &[
    (
        lint::UPSERT_KEY_NOT_COVERED,
        &[
            "tests/seed_text/iot/daily_shop_traffic.sql",
            "tests/seed_text/iot/favourite_shop.sql",
            "tests/seed_text/iot/shops_visited_more_than_once.sql",
            "tests/seed_text/education/hourly_registrations_by_level.sql",
            "compiler/tests/lints/row_number_partition_keeps_all.sql",
        ],
    ),
    (
        lint::ROW_NUMBER_PARTITION_KEEPS_ALL,
        &[
            "tests/seed_text/iot/favourite_shop.sql",
            "compiler/tests/lints/row_number_partition_keeps_all.sql",
        ],
    ),
    (
        lint::MONTH_IN_TIME_PATTERN,
        &["compiler/tests/lints/month_in_time_pattern.sql"],
    ),
    (
        lint::STRING_NUMBER_COMPARISON,
        &["tests/seed_text/education/daily_course_consultant_tracking.sql"],
    ),
    (
        lint::UNBOUNDED_STATE_WITHOUT_TTL,
        &[
            "tests/seed_text/education/offline_study_time.sql",
            "tests/seed_text/education/daily_course_consultant_tracking.sql",
            "tests/seed_text/education/hourly_registrations_by_level.sql",
            "tests/seed_text/iot/daily_mall_traffic.sql",
            "tests/seed_text/iot/daily_shop_traffic.sql",
            "tests/seed_text/iot/favourite_shop.sql",
            "tests/seed_text/iot/peak_hour.sql",
            "tests/seed_text/iot/shops_visited_more_than_once.sql",
        ],
    ),
];

/// Every lint fires on the seed statements it was written for, and every case in
/// `compiler/tests/lints/` shows the lint it is named after.
#[test]
fn every_lint_fires_on_its_seed_statements() {
    let shows = |file: &Path, name: &str| {
        let (ok, text) = warnings(file);
        assert!(ok, "{} does not compile:\n{text}", file.display());
        assert!(
            text.contains(&format!("warning[{name}]")),
            "{} does not show `{name}`:\n{text}",
            file.display()
        );
    };
    for name in lint::ALL {
        let (_, files) = SEED_CASES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no seed statements listed for `{name}`"));
        for f in *files {
            shows(&root().join(f), name);
        }
    }
    for case in sql_files(&root().join("compiler/tests/lints")) {
        let stem = case.file_stem().unwrap().to_str().unwrap().to_string();
        let name = lint::ALL
            .iter()
            .find(|n| stem == **n || stem.starts_with(&format!("{n}_")))
            .unwrap_or_else(|| panic!("{} is not named after a lint", case.display()));
        shows(&case, name);
    }
}
