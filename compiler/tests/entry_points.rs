//! The macro, the build-script API and the CLI give the same code and the same errors
//! (they all go through `compile`); checked on every example and on a broken job.

use std::path::{Path, PathBuf};
use std::process::Command;
use streamsql_compiler::{SourceFile, build, codegen, expand};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn examples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in ["education", "iot"] {
        for e in std::fs::read_dir(root().join("examples").join(d)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "sql")
                && !p.to_string_lossy().ends_with(".flink.sql")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

const BROKEN: &str = "CREATE TABLE s (a INT, b STRING) WITH ('connector' = 'datagen');
CREATE TABLE o (x INT) WITH ('connector' = 'print');
INSERT INTO o SELECT c FROM s;
INSERT INTO o SELECT b FROM s;
";

#[test]
fn macro_expansion_is_the_compiled_job() {
    for f in examples() {
        let sql = std::fs::read_to_string(&f).unwrap();
        let lit = proc_macro2::Literal::string(&sql);
        let from_macro = expand::stream_sql(quote::quote!(#lit)).to_string();
        let job = streamsql_compiler::compile("job", &sql).unwrap().job;
        let direct = codegen::generate_items("job", &job).to_string();
        assert_eq!(from_macro, direct, "{}", f.display());
    }
}

#[test]
fn build_script_output_is_the_committed_output() {
    let out = std::env::temp_dir().join(format!("streamsql-build-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let mut b = build::Build::new().cargo_metadata(false).out_dir(&out);
    for f in examples() {
        b = b.job(f);
    }
    let written = b.compile().unwrap();
    assert_eq!(written.len(), examples().len());
    for f in examples() {
        let module = build::module_name(&f);
        let sql = std::fs::read_to_string(&f).unwrap();
        let got = std::fs::read_to_string(out.join(format!("{module}.rs"))).unwrap();
        let want = build::generate_source(&f.display().to_string(), &module, &sql).unwrap();
        assert_eq!(got, want, "{}", f.display());
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn errors_are_the_same_everywhere() {
    let rendered = streamsql_compiler::plan(BROKEN)
        .unwrap_err()
        .render(&SourceFile::new("broken.sql", BROKEN));
    assert_eq!(rendered.matches("\nerror: ").count() + 1, 3, "{rendered}");

    // The macro: one compile_error! per error, carrying the rendered diagnostic.
    let lit = proc_macro2::Literal::string(BROKEN);
    let tokens = expand::stream_sql(quote::quote!(#lit)).to_string();
    assert_eq!(tokens.matches("compile_error").count(), 2, "{tokens}");
    assert!(tokens.contains("unknown column `c`"), "{tokens}");
    assert!(
        tokens.contains("type mismatch for sink column `x`"),
        "{tokens}"
    );

    // The CLI: the same rendering on stderr, exit status 1.
    let dir = std::env::temp_dir().join(format!("streamsql-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.sql");
    std::fs::write(&file, BROKEN).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_streamsql"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = streamsql_compiler::plan(BROKEN)
        .unwrap_err()
        .render(&SourceFile::new(&file.display().to_string(), BROKEN));
    assert!(stderr.starts_with(&expected), "{stderr}");

    // And the build script reports them too.
    let err = build::Build::new()
        .cargo_metadata(false)
        .out_dir(&dir)
        .job(&file)
        .compile()
        .unwrap_err();
    assert_eq!(err.rendered, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every example and its Flink translation compiles without a warning: the lints do not
/// fire on the repaired seeds.
#[test]
fn cli_checks_every_example() {
    let out = Command::new(env!("CARGO_BIN_EXE_streamsql"))
        .args(["check", "--deny-warnings"])
        .arg(root().join("examples"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        40, // the 20 example jobs (15 seed jobs, 5 derived test jobs) and their Flink translations
        "{stdout}"
    );
}

/// Warnings (lints) do not fail a job; `--deny-warnings` and `Build::deny_warnings` make
/// them errors, with the same rendering as `error[lint]`.
#[test]
fn deny_warnings_turns_a_warning_into_a_failing_exit() {
    let case = root().join("compiler/tests/lints/month_in_time_pattern.sql");
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_streamsql"))
            .args(args)
            .arg(&case)
            .output()
            .unwrap()
    };
    let warned = cli(&["check"]);
    let stderr = String::from_utf8(warned.stderr).unwrap();
    assert!(warned.status.success(), "{stderr}");
    assert!(
        stderr.starts_with("warning[month_in_time_pattern]: "),
        "{stderr}"
    );

    let sql = std::fs::read_to_string(&case).unwrap();
    let expected = streamsql_compiler::plan(&sql)
        .unwrap()
        .1
        .deny_warnings()
        .render(&SourceFile::new(&case.display().to_string(), &sql));
    assert!(
        expected.starts_with("error[month_in_time_pattern]: ")
            && expected.ends_with("due to 1 previous error\n"),
        "{expected}"
    );
    for args in [
        &["check", "--deny-warnings"][..],
        &["generate", "--deny-warnings"],
        // Refused before any cargo build.
        &["build", "--deny-warnings"],
    ] {
        let denied = cli(args);
        let stderr = String::from_utf8(denied.stderr).unwrap();
        assert_eq!(denied.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with(&expected), "{args:?}: {stderr}");
    }

    let dir = std::env::temp_dir().join(format!("streamsql-deny-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let build = |deny: bool| {
        build::Build::new()
            .cargo_metadata(false)
            .out_dir(&dir)
            .deny_warnings(deny)
            .job(&case)
            .compile()
    };
    assert_eq!(build(false).unwrap().len(), 1);
    assert_eq!(build(true).unwrap_err().rendered, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `streamsql run` builds a job binary (cached) and runs it: a Flink-dialect job with
/// a JSON-object source, LIKE, DATE_FORMAT, CONCAT_WS, SUBSTRING and a print sink.
#[test]
fn cli_runs_a_job_binary() {
    let dir = std::env::temp_dir().join(format!("streamsql-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"abc\",\"n\":2,\"ts\":\"2024-03-02 10:05:09\"}\n\
         {\"id\":\"bcd\",\"n\":3,\"ts\":\"2024-03-02 10:05:09\"}\n\
         not json\n\
         {\"id\":\"az\",\"n\":null,\"ts\":\"x\"}\n\
         {\"id\":\"aq\",\"n\":7,\"ts\":\"bad\"}\n",
    )
    .unwrap();
    let job = dir.join("job.sql");
    std::fs::write(
        &job,
        "CREATE TABLE src (id STRING, n INT, ts STRING) WITH ('connector' = 'filesystem', 'path' = 'unused', 'format' = 'json');
         CREATE TABLE out (id STRING, n2 INT, d STRING, up STRING, x STRING) WITH ('connector' = 'print');
         INSERT INTO out
         SELECT id, n * 2, DATE_FORMAT(TO_TIMESTAMP(ts), 'yyyy-MM-dd HH:mm'), UPPER(CONCAT_WS('-', id, 'x')), SUBSTRING(id, 2)
         FROM src WHERE id LIKE 'a%' AND n IS NOT NULL;",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_streamsql"))
        .arg("run")
        .arg(&job)
        .arg("--input")
        .arg(format!("src={}", input.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(
        stdout, "+I[abc, 4, 2024-03-02 10:05, ABC-X, bc]\n+I[aq, 14, null, AQ-X, q]\n",
        "{stderr}"
    );
    assert!(
        stderr.contains("read 5, emitted 2, filtered 3, decode errors 1"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Scan columns are computed on first use, but a computed column whose strict CAST
/// fails still ends the whole message once (dead-lettered, counted), whichever INSERT
/// reads it first, and not at all when no INSERT gets as far as reading it.
#[test]
fn a_failing_scan_column_dead_letters_its_message_once() {
    let dir = std::env::temp_dir().join(format!("streamsql-lazy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        "{\"k\":\"a\",\"s\":\"12\"}\n\
         {\"k\":\"b\",\"s\":\"x\"}\n\
         {\"k\":\"z\",\"s\":\"y\"}\n",
    )
    .unwrap();
    let job = dir.join("job.sql");
    std::fs::write(
        &job,
        "CREATE TABLE src (k STRING, s STRING, n AS CAST(s AS INT)) WITH ('connector' = 'filesystem', 'path' = 'unused', 'format' = 'json');
         CREATE TABLE out (k STRING, n INT) WITH ('connector' = 'print');
         INSERT INTO out SELECT k, 0 FROM src WHERE k = 'a';
         INSERT INTO out SELECT k, n + 1 FROM src WHERE k <> 'z';
         INSERT INTO out SELECT k, n FROM src WHERE k < 'c';",
    )
    .unwrap();
    let dead = dir.join("dead.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_streamsql"))
        .arg("run")
        .arg(&job)
        .arg("--input")
        .arg(format!("src={}", input.display()))
        .arg("--dead-letter")
        .arg(&dead)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout, "+I[a, 0]\n+I[a, 13]\n+I[a, 12]\n", "{stderr}");
    let dead = std::fs::read_to_string(&dead).unwrap();
    assert_eq!(dead.lines().count(), 1, "{dead}");
    assert!(dead.contains("CAST failed"), "{dead}");
    std::fs::remove_dir_all(&dir).unwrap();
}
