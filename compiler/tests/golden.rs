//! Golden files beside their inputs (rust-analyzer's data-driven habit):
//! - `examples/**/<job>.sql` -> `<job>.plan`: the printed logical plan;
//! - `tests/seed_text/**/<job>.sql` -> `<job>.out`: the plan, or the rendered errors
//!   of the seed text as written (its invalid SQL is kept on purpose);
//! - `compiler/tests/errors/*.sql` -> `*.err`: rendered diagnostics.
//!
//! Regenerate with `UPDATE_EXPECT=1 cargo test -p streamsql-compiler --test golden`
//! and review the diff.

use std::path::{Path, PathBuf};
use streamsql_compiler::{SourceFile, plan};

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

/// The text a job file compiles to: its plan, or its rendered diagnostics.
fn outcome(path: &Path) -> (bool, String) {
    let sql = std::fs::read_to_string(path).unwrap();
    let name = path.strip_prefix(root()).unwrap().display().to_string();
    match plan(&sql) {
        Ok((job, warnings)) => {
            let mut s = job.to_string();
            if !warnings.is_empty() {
                s.push('\n');
                s.push_str(&warnings.render(&SourceFile::new(&name, &sql)));
            }
            (true, s)
        }
        Err(diags) => (false, diags.render(&SourceFile::new(&name, &sql))),
    }
}

/// Compares every input's outcome with its golden file; collects all mismatches.
fn check(dir: &str, ext: &str, must_compile: Option<bool>) {
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
    check("examples", "plan", Some(true));
}

#[test]
fn seed_text_outcomes() {
    check("tests/seed_text", "out", None);
}

#[test]
fn error_renderings() {
    check("compiler/tests/errors", "err", Some(false));
}
