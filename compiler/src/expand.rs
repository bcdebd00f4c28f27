//! The `stream_sql!` expansion, as a library function over `proc_macro2` so it can be
//! tested without a compiler (serde_derive's habit: the proc-macro crate is glue).
//!
//! In: the macro's input tokens (one string literal holding the job's SQL). Out: the
//! job's items, or one `compile_error!` per diagnostic — each message is the rendered
//! diagnostic with the SQL line and a caret — followed by fallback items (`Job`,
//! `INFO`) so that code using the job does not cascade into more errors. Warnings
//! (lints) are dropped: a procedural macro cannot emit a warning on stable Rust; the
//! CLI (`streamsql check`) and the build-script API report them.

use crate::diagnostic::SourceFile;
use proc_macro2::TokenStream;
use quote::quote_spanned;

/// What the SQL is called in rendered diagnostics (`--> stream_sql!:3:5`).
pub const SOURCE_NAME: &str = "stream_sql!";

/// The macro's input: `[name,] "SQL"`.
struct Input {
    name: Option<syn::Ident>,
    sql: syn::LitStr,
}

impl syn::parse::Parse for Input {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let name = if input.peek(syn::Ident) {
            let n: syn::Ident = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            Some(n)
        } else {
            None
        };
        let sql = input.parse()?;
        Ok(Input { name, sql })
    }
}

/// Expands `stream_sql!([job_name,] "SQL")`; the name (default `job`) is what the
/// job's `INFO.name` says.
pub fn stream_sql(input: TokenStream) -> TokenStream {
    let Input { name, sql: lit } = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => {
            let mut out = syn::Error::new(
                e.span(),
                "stream_sql! takes the job's SQL as a string literal, optionally after a name: stream_sql!(daily_traffic, r#\"CREATE TABLE ...; INSERT INTO ...\"#)",
            )
            .to_compile_error();
            out.extend(fallback(proc_macro2::Span::call_site()));
            return out;
        }
    };
    let name = name
        .map(|n| n.to_string())
        .unwrap_or_else(|| "job".to_string());
    let sql = lit.value();
    match crate::compile(&name, &sql) {
        Ok(c) => crate::codegen::generate_items(&name, &c.job),
        Err(diags) => {
            let src = SourceFile::new(SOURCE_NAME, &sql);
            let span = lit.span();
            let mut out = TokenStream::new();
            for d in diags.errors() {
                // rustc prints its own `error: ` before the message.
                let msg = d.render(&src);
                let msg = msg.strip_prefix("error: ").unwrap_or(&msg).trim_end();
                out.extend(quote_spanned! {span=> ::core::compile_error!{ #msg } });
            }
            out.extend(fallback(span));
            out
        }
    }
}

fn fallback(span: proc_macro2::Span) -> TokenStream {
    quote_spanned! {span=>
        /// Placeholder: the job's SQL has errors.
        pub const INFO: ::streamsql_runtime::JobInfo = ::streamsql_runtime::JobInfo {
            name: "job",
            dialect: "?",
            tables: &[],
            sources: &[],
            sinks: &[],
            plan: "",
            settings: &[],
        };
        /// Placeholder: the job's SQL has errors.
        #[derive(Debug, Default, Clone, Copy)]
        pub struct Job;
        impl Job {
            pub fn info(&self) -> &'static ::streamsql_runtime::JobInfo {
                &INFO
            }
        }
    }
}
