//! The `streamsql` CLI: `check`, `explain`, `generate`, `build` and `run`.
//!
//! In: paths of job files (or directories, searched for `*.sql`). Out: rendered
//! diagnostics on stderr; plans (`explain`) or generated Rust (`generate`) on stdout
//! or into `-o <dir>`; standalone job binaries (`build`, cached by content); a job
//! run (`run`). Warnings (lints) are printed and do not fail a job, unless
//! `--deny-warnings` makes them errors. Exit status 1 when any job has errors.

mod jobbin;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use streamsql_compiler::{SourceFile, build};

const USAGE: &str = "\
streamsql: compile Flink/Blink streaming SQL jobs to Rust

usage:
  streamsql check    <job.sql | dir>...          report errors and warnings
  streamsql explain  <job.sql | dir>...          print each job's logical plan
  streamsql generate <job.sql | dir>... [-o dir] print (or write) the generated module
  streamsql build    <job.sql> [-o dir]          build a standalone job binary (release)
  streamsql run      <job.sql> [job options]     build (cached) and run it; see its --help

  --deny-warnings (after the command, before the job for build/run): warnings are errors
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    if cmd == "build" || cmd == "run" {
        // Options after the job file are the job binary's (`run`).
        let (deny_warnings, rest) = match rest.split_first() {
            Some((flag, rest)) if flag == "--deny-warnings" => (true, rest),
            _ => (false, rest),
        };
        return jobbin::command(cmd, rest, deny_warnings);
    }
    let mut out_dir: Option<PathBuf> = None;
    let mut deny_warnings = false;
    let mut inputs = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        if a == "-o" {
            out_dir = it.next().map(PathBuf::from);
        } else if a == "--deny-warnings" {
            deny_warnings = true;
        } else {
            inputs.push(PathBuf::from(a));
        }
    }
    if !matches!(cmd.as_str(), "check" | "explain" | "generate") {
        eprint!("unknown command `{cmd}`\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let files = match collect(&inputs) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprint!("no job files given\n\n{USAGE}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        let name = file.display().to_string();
        let sql = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot read {name}: {e}");
                failed += 1;
                continue;
            }
        };
        let src = SourceFile::new(&name, &sql);
        let module = build::module_name(file);
        let compiled = match streamsql_compiler::compile(&module, &sql)
            .and_then(|c| c.deny_warnings_if(deny_warnings))
        {
            Ok(c) => c,
            Err(diags) => {
                eprint!("{}", diags.render(&src));
                failed += 1;
                continue;
            }
        };
        if !compiled.warnings.is_empty() {
            eprint!("{}", compiled.warnings.render(&src));
        }
        let text = match cmd.as_str() {
            "check" => format!(
                "ok: {name} ({} pipeline(s))\n",
                compiled.job.pipelines.len()
            ),
            "explain" => format!(
                "== {name}\n{}\n",
                streamsql_compiler::explain::explain(&compiled.job)
            ),
            _ => match build::generate_source(&name, &module, &sql) {
                Ok(t) => t,
                Err(e) => {
                    eprint!("{e}");
                    failed += 1;
                    continue;
                }
            },
        };
        let written = match (&out_dir, cmd.as_str()) {
            (Some(dir), "generate") => {
                let out = dir.join(format!("{module}.rs"));
                std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&out, text))
            }
            _ => stdout.write_all(text.as_bytes()),
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: cannot write output: {e}");
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} job(s) failed", files.len());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Expands directories into their `*.sql` files (recursively, sorted).
fn collect(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        walk(p, &mut out)?;
    }
    Ok(out)
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for e in entries {
            walk(&e, out)?;
        }
    } else if p.extension().is_some_and(|e| e == "sql") || !p.exists() {
        if !p.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} does not exist", p.display()),
            ));
        }
        out.push(p.to_path_buf());
    }
    Ok(())
}
