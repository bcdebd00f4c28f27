//! streamsql-runtime: what generated jobs link against. Knows no SQL.
//!
//! In: rows of the concrete types the compiler generates. Out: changelog streams
//! through operators into connectors. This first version holds the value types and
//! the job description the generated code names; operators, time and connectors
//! arrive with the issues that need them.

pub mod agg;
pub mod batch;
pub mod driver;
pub mod encode;
pub mod eval;
pub mod func;
pub mod held;
pub mod join;
pub mod json;
#[cfg(feature = "kafka")]
pub mod kafka;
pub mod key;
pub mod lookup;
pub mod materialize;
pub mod rank;
pub mod retract;
pub mod state;
pub mod store;
pub mod types;
pub mod watermark;
pub mod window;

pub use types::{Date, Decimal, Time, Timestamp, TimestampLtz};

/// Jobs allocate many small, short-lived values (window keys and accumulators, the
/// strings of fired rows); mimalloc serves them with a fraction of the instructions
/// glibc's malloc needs (README "Measured"). A program that sets its own allocator
/// turns off the `mimalloc` feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Flink's `RowKind`: what a row means to the table it flows into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// `+I`
    Insert,
    /// `-U`: the previous version of a row that is about to change.
    UpdateBefore,
    /// `+U`: the new version of a changed row.
    UpdateAfter,
    /// `-D`
    Delete,
}

impl RowKind {
    /// Flink's short form (`+I`, `-U`, `+U`, `-D`).
    ///
    /// ```
    /// assert_eq!(streamsql_runtime::RowKind::UpdateAfter.short(), "+U");
    /// ```
    pub fn short(self) -> &'static str {
        match self {
            RowKind::Insert => "+I",
            RowKind::UpdateBefore => "-U",
            RowKind::UpdateAfter => "+U",
            RowKind::Delete => "-D",
        }
    }
}

/// A table a job reads or writes, as the compiler resolved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableInfo {
    pub name: &'static str,
    /// The runtime connector family (`kafka`, `jdbc`, `hbase`, ...).
    pub connector: &'static str,
    /// `WITH` options as written (the job binary's options override them).
    pub options: &'static [(&'static str, &'static str)],
    /// Column names and their Flink types, in DDL order.
    pub columns: &'static [(&'static str, &'static str)],
    pub primary_key: &'static [&'static str],
}

impl TableInfo {
    /// The `WITH` option `key` as written (key case ignored, as Flink's and Blink's
    /// option keys are); `driver::option` puts `--set` in front of it.
    pub fn option(&self, key: &str) -> Option<&'static str> {
        self.options
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
    }
}

/// What every generated job module exposes about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobInfo {
    pub name: &'static str,
    /// `Blink` or `Flink`.
    pub dialect: &'static str,
    pub tables: &'static [TableInfo],
    /// Tables the job reads as streams, in the order `Job::process` numbers them.
    pub sources: &'static [&'static str],
    /// Tables the job writes, in the order of the sink buffers.
    pub sinks: &'static [&'static str],
    /// The logical plan, printed (the same text as the job's golden `.plan` file).
    pub plan: &'static str,
    /// The job's `SET 'key' = 'value'` statements (`--set key=value` overrides them).
    pub settings: &'static [(&'static str, &'static str)],
}

impl JobInfo {
    /// The table the job declares under `name`.
    pub fn table(&self, name: &str) -> Option<&'static TableInfo> {
        self.tables.iter().find(|t| t.name == name)
    }
}
