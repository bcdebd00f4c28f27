//! What a table's `WITH` options mean: which connector, and what it can do.
//!
//! In: a table's DDL. Out: the normalised connector name (Blink's `kafka011`,
//! `rds`, `cloudhbase` map onto the runtime's families) and its capabilities:
//! read, write, look up, accept updates.

use super::Binder;
use crate::ast::TableDdl;
use crate::diagnostic::Diagnostic;
use crate::plan::TableDesc;

#[derive(Debug)]
pub struct Connector {
    pub name: &'static str,
    pub as_written: String,
}

/// (as written, runtime family). Blink names first, then Flink's.
const CONNECTORS: &[(&str, &str)] = &[
    ("kafka", "kafka"),
    ("kafka010", "kafka"),
    ("kafka011", "kafka"),
    ("upsert-kafka", "upsert-kafka"),
    ("datahub", "kafka"),
    ("rds", "jdbc"),
    ("jdbc", "jdbc"),
    ("mysql", "jdbc"),
    ("postgres", "jdbc"),
    ("sqlite", "jdbc"),
    ("cloudhbase", "hbase"),
    ("hbase", "hbase"),
    ("hbase-2.2", "hbase"),
    ("ots", "ots"),
    ("elasticsearch", "elasticsearch"),
    ("elasticsearch-7", "elasticsearch"),
    ("filesystem", "filesystem"),
    ("print", "print"),
    ("blackhole", "blackhole"),
    ("datagen", "datagen"),
    // A dimension table served from a JSON-lines file (`'path' = ...`): the harness's
    // lookup source for Flink, and streamsql's embedded store loaded from a file.
    ("lookup-file", "lookup-file"),
];

pub fn resolve(b: &mut Binder, t: &TableDdl) -> Option<Connector> {
    let opt = t.option("connector").or_else(|| t.option("type"));
    let Some(opt) = opt else {
        b.error(
            Diagnostic::error(format!("table `{}` has no connector", t.name.value), t.name.span)
                .with_help("add `WITH ('connector' = 'kafka', ...)` (Flink) or `WITH (type = 'kafka011', ...)` (Blink)"),
        );
        return None;
    };
    let written = opt.value.to_ascii_lowercase();
    match CONNECTORS.iter().find(|(w, _)| *w == written) {
        Some((_, family)) => Some(Connector {
            name: family,
            as_written: written,
        }),
        None => {
            let d = Diagnostic::error(
                format!("unsupported connector `{}`", opt.value),
                opt.value_span,
            )
            .with_note(format!(
                "supported: {}",
                CONNECTORS
                    .iter()
                    .map(|(w, _)| *w)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            b.error(super::expr::with_suggestion(
                d,
                &written,
                CONNECTORS.iter().map(|(w, _)| *w),
                "connector",
            ));
            None
        }
    }
}

/// Can rows be written into it?
pub fn can_sink(family: &str) -> bool {
    !matches!(family, "datagen" | "lookup-file")
}

/// Can it serve `FOR SYSTEM_TIME AS OF` lookups?
pub fn can_lookup(family: &str) -> bool {
    matches!(family, "jdbc" | "hbase" | "ots" | "lookup-file")
}

/// Can it be the source of a scan?
pub fn can_scan(family: &str) -> bool {
    matches!(
        family,
        "kafka" | "upsert-kafka" | "filesystem" | "datagen" | "jdbc"
    )
}

/// Formats that encode the change kind of each row (Flink's changelog formats).
const CHANGELOG_FORMATS: &[&str] = &["debezium-json", "canal-json", "maxwell-json", "ogg-json"];

fn changelog_format(desc: &TableDesc) -> bool {
    desc.options.iter().any(|(k, v)| {
        (k == "format" || k == "value.format") && CHANGELOG_FORMATS.contains(&v.as_str())
    })
}

/// Does it apply `-U/+U/-D` (upsert or retract), not only `+I`? A connector that
/// writes a changelog format (`'format' = 'debezium-json'`) accepts them as records.
pub fn accepts_updates(desc: &TableDesc) -> bool {
    changelog_format(desc)
        || matches!(
            desc.connector.as_str(),
            "upsert-kafka" | "jdbc" | "hbase" | "ots" | "elasticsearch" | "print" | "blackhole"
        )
}

/// Does applying updates need the table's primary key? (Not when each change is
/// written as a changelog record.)
pub fn upsert_needs_key(desc: &TableDesc) -> bool {
    !changelog_format(desc)
        && matches!(
            desc.connector.as_str(),
            "upsert-kafka" | "jdbc" | "hbase" | "ots" | "elasticsearch"
        )
}

/// Does it keep one row per primary key, which writing the same row again leaves as
/// it was (a store table, not a log of changes such as an upsert-kafka topic)?
pub fn writes_in_place(desc: &TableDesc) -> bool {
    upsert_needs_key(desc) && desc.connector != "upsert-kafka"
}
