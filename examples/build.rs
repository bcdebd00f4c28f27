//! The build-script way in: every job file under `education/` and `iot/` becomes a
//! module `<OUT_DIR>/<job>.rs`; a SQL error fails the build with the rendered diagnostic,
//! and so does a warning: the example jobs are the repaired seeds, lint-free.

fn main() {
    let mut build = streamsql_compiler::Build::new().deny_warnings(true);
    for domain in ["education", "iot"] {
        println!("cargo:rerun-if-changed={domain}");
        let mut jobs: Vec<_> = std::fs::read_dir(domain)
            .expect("examples/<domain> exists")
            .map(|e| e.expect("readable directory").path())
            // `<job>.flink.sql` are the Flink oracle's translations, not streamsql jobs.
            .filter(|p| {
                p.extension().is_some_and(|x| x == "sql")
                    && !p.to_string_lossy().ends_with(".flink.sql")
            })
            .collect();
        jobs.sort();
        for job in jobs {
            build = build.job(job);
        }
    }
    if let Err(e) = build.compile() {
        panic!("\n{e}");
    }
}
