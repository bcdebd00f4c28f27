//! Writes sample data for the seed jobs' tables as JSON lines.
//!
//! ```text
//! datagen [--seed N] [--count N] [--span-hours H] [--messy R] [--late R] TABLE [-o FILE]
//! datagen [--seed N] [--count N] ... --all DIR     every table into DIR/<table>.jsonl
//! datagen --list
//! ```

use std::io::Write;
use std::process::ExitCode;
use streamsql_examples::datagen::{Config, TABLES, Table, generate};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("datagen: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut cfg = Config::default();
    let mut table = None;
    let mut out: Option<String> = None;
    let mut all: Option<String> = None;
    let mut it = args.into_iter();
    let num = |v: Option<String>, what: &str| -> Result<f64, String> {
        v.ok_or(format!("{what} needs a value"))?
            .parse::<f64>()
            .map_err(|e| format!("{what}: {e}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => cfg.seed = num(it.next(), "--seed")? as u64,
            "--count" => cfg.count = num(it.next(), "--count")? as usize,
            "--span-hours" => cfg.span_ms = (num(it.next(), "--span-hours")? * 3_600_000.0) as i64,
            "--messy" => cfg.messy_rate = num(it.next(), "--messy")?,
            "--late" => cfg.late_rate = num(it.next(), "--late")?,
            "-o" => out = it.next(),
            "--all" => all = it.next(),
            "--list" => {
                for (name, t) in TABLES {
                    let kind = if t.is_dimension() {
                        "dimension"
                    } else {
                        "source"
                    };
                    println!("{name}\t{kind}");
                }
                return Ok(());
            }
            name => {
                table = Some(
                    Table::by_name(name).ok_or(format!("unknown table `{name}` (see --list)"))?,
                )
            }
        }
    }
    if let Some(dir) = all {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{dir}: {e}"))?;
        for (name, t) in TABLES {
            let path = format!("{dir}/{name}.jsonl");
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(|e| format!("{path}: {e}"))?,
            );
            let s = generate(*t, &cfg, &mut f).map_err(|e| e.to_string())?;
            f.flush().map_err(|e| e.to_string())?;
            eprintln!(
                "{path}: {} rows ({} messy, {} late)",
                s.rows, s.messy, s.late
            );
        }
        return Ok(());
    }
    let table = table.ok_or("name a table, or --all DIR (see --list)")?;
    let stats = match out {
        Some(path) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(|e| format!("{path}: {e}"))?,
            );
            let s = generate(table, &cfg, &mut f).map_err(|e| e.to_string())?;
            f.flush().map_err(|e| e.to_string())?;
            s
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let s = generate(table, &cfg, &mut lock).map_err(|e| e.to_string())?;
            lock.flush().map_err(|e| e.to_string())?;
            s
        }
    };
    eprintln!(
        "{}: {} rows ({} messy, {} late)",
        table.name(),
        stats.rows,
        stats.messy,
        stats.late
    );
    Ok(())
}
