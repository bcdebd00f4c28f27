//! streamsql-compiler: Flink/Blink streaming SQL -> specialised Rust.
//!
//! Stages, one module each, each with its own input and output types:
//! [`parse`] (text -> [`ast::Script`]), [`bind`] (script -> [`plan::Job`]: catalog,
//! name resolution, types, validation, logical plan), [`lint`] (a job that bound ->
//! warnings), [`codegen`] (job -> Rust tokens).
//! The macro, the build-script API ([`Build`]) and the `streamsql` CLI all call
//! [`compile`], so they produce the same code and the same errors.
//!
//! This library does no IO except in [`Build`] (which reads job files and writes into
//! `OUT_DIR` when a build script asks it to); it never touches `proc_macro`.

pub mod ast;
pub mod bind;
pub mod build;
pub mod codegen;
pub mod diagnostic;
pub mod expand;
pub mod explain;
pub mod lint;
pub mod parse;
pub mod plan;
pub mod types;

pub use build::Build;
pub use diagnostic::{Diagnostic, Diagnostics, Severity, SourceFile, Span};
pub use plan::Job;

/// A job that compiled: its plan, the generated module, and any warnings.
#[derive(Debug)]
pub struct Compiled {
    pub job: Job,
    pub tokens: proc_macro2::TokenStream,
    pub warnings: Diagnostics,
}

impl Compiled {
    /// `--deny-warnings` when `deny`: a job with warnings fails with them as errors.
    pub fn deny_warnings_if(self, deny: bool) -> Result<Compiled, Diagnostics> {
        if deny && !self.warnings.is_empty() {
            Err(self.warnings.deny_warnings())
        } else {
            Ok(self)
        }
    }
}

/// Stack for the compiler's recursive descent over deeply nested SQL (rustc runs on
/// a big-stack thread for the same reason); only the pages touched are committed.
const STACK_BYTES: usize = 256 << 20;

/// Parses, binds and lints `sql`: the logical plan and its warnings, or every error
/// found.
pub fn plan(sql: &str) -> Result<(Job, Diagnostics), Diagnostics> {
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("streamsql-compiler".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, || plan_on_this_thread(sql))
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread available: compile on the caller's stack.
            Err(_) => plan_on_this_thread(sql),
        }
    })
}

fn plan_on_this_thread(sql: &str) -> Result<(Job, Diagnostics), Diagnostics> {
    let (script, mut diags) = parse::parse(sql);
    // Bind what parsed even after syntax errors, so semantic errors show too.
    let (bound, bind_diags) = bind::bind(&script);
    diags.extend(bind_diags);
    match bound {
        Some((job, sites)) if !diags.has_errors() => {
            // Lints look at a job that bound: their warnings never hide an error.
            diags.extend(lint::check(&script, &job, &sites));
            diags.sort();
            Ok((job, diags))
        }
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// Compiles one job: `module` names the generated module (a Rust identifier).
pub fn compile(module: &str, sql: &str) -> Result<Compiled, Diagnostics> {
    let (job, warnings) = plan(sql)?;
    let tokens = codegen::generate(module, &job);
    Ok(Compiled {
        job,
        tokens,
        warnings,
    })
}

/// The generated module as formatted Rust source (what `generated/` holds).
pub fn compile_to_string(module: &str, sql: &str) -> Result<(String, Compiled), Diagnostics> {
    let compiled = compile(module, sql)?;
    Ok((codegen::format(&compiled.tokens), compiled))
}
