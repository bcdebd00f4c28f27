//! Store sinks: relational (`jdbc`, Blink `rds`), key-value (`hbase` = Blink
//! cloudhbase, `ots`) and `elasticsearch` tables, and `upsert-kafka` records.
//!
//! In: the lines generated code encodes into a sink's buffer — a changelog row
//! `{"op":"+U", <column>: <value>, ...}` for an updating sink, a plain JSON object
//! (`+I`) for an append-only one — plus the table's description and options. Out:
//! the table's rows in the store: upserts and deletes by primary key, buffered and
//! coalesced per key (the last change of a key wins), flushed as multi-row writes when
//! the buffer holds `sink.buffer-flush.max-rows` keys, when
//! `sink.buffer-flush.interval` has passed, before a Kafka source commits its offsets,
//! and at the end of the input (so delivery is at-least-once).
//!
//! Where a table goes ([`StoreSink::open`]):
//! - `jdbc`: its `url` (`jdbc:mysql://…`, `jdbc:postgresql://…`, `mysql://…`,
//!   `postgres://…`, `sqlite:PATH`), `username`/`userName`, `password`, table
//!   `table-name`/`tableName` (else the SQL name). No url: SQLite, the embedded
//!   default — `$STREAMSQL_SQLITE`, else `./streamsql.db`.
//! - `hbase`, `ots`: the same, as a rowkey → columns table whose primary key is the
//!   table's PRIMARY KEY (SQLite unless given a `url`).
//! - `elasticsearch`: `hosts`, `index` ([`elastic`]).
//!
//! Rows that cannot be written go to the dead letters with the reason (counted as
//! failed): a malformed value or a NULL primary key when the line is read, a row the
//! database rejects when it is written ([`sql`]). A store that is away is retried
//! with backoff ([`retry`]), never dropping buffered rows.
//!
//! The SQL stores need the `db` feature (sqlx); Elasticsearch and the upsert-kafka
//! encoding need nothing beyond the runtime.

pub mod buffer;
pub mod change;
pub mod elastic;
pub mod retry;
#[cfg(feature = "db")]
pub mod sql;
pub mod upsert_kafka;

pub use buffer::{Action, Buffer, Pending};
pub use change::{Change, ColType, Column, Schema, Value, parse_change};
#[cfg(feature = "db")]
pub use sql::{Dialect, Target, drop_table, dump_table};

use crate::driver::{self, Ctx, Options};
use crate::{JobInfo, TableInfo};
use std::time::{Duration, Instant};

/// `sink.reconnect-timeout`'s default: how long a sink keeps retrying a store that is
/// away before the job fails (a restart of the database within it loses nothing).
pub const DEFAULT_RECONNECT_TIMEOUT: Duration = Duration::from_secs(300);

/// When a sink's buffer is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlushPolicy {
    /// Flush when this many keys wait (0: no limit).
    pub max_rows: usize,
    /// Flush when this long has passed since the last flush (`None`: no timer).
    pub interval: Option<Duration>,
}

#[derive(Debug)]
enum Backend {
    #[cfg(feature = "db")]
    Sql(sql::SqlStore),
    Elastic(elastic::ElasticStore),
}

/// A store sink: a buffer of coalesced writes and where they go.
#[derive(Debug)]
pub struct StoreSink {
    sink: String,
    schema: Schema,
    buffer: Buffer,
    policy: FlushPolicy,
    last_flush: Instant,
    backend: Backend,
}

/// The first of `keys` the table sets (WITH, overridden by `--set`).
fn option<'a>(info: &'a JobInfo, opts: &'a Options, table: &str, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| driver::option(info, opts, table, k))
}

fn number<T: std::str::FromStr>(
    info: &JobInfo,
    opts: &Options,
    table: &str,
    key: &str,
    default: T,
) -> Result<T, String> {
    match driver::option(info, opts, table, key) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("sink `{table}`: '{key}' = '{v}' is not a number")),
    }
}

fn duration(
    info: &JobInfo,
    opts: &Options,
    table: &str,
    key: &str,
    default: Duration,
) -> Result<Duration, String> {
    match driver::option(info, opts, table, key) {
        None => Ok(default),
        Some(v) => driver::parse_duration(v).map_err(|e| format!("sink `{table}`: '{key}': {e}")),
    }
}

/// The embedded store's file for tables without a `url`: `$STREAMSQL_SQLITE` (a path
/// or a `sqlite:` URL), else `./streamsql.db`.
///
/// ```
/// use streamsql_runtime::store::default_sqlite;
/// assert_eq!(default_sqlite(None), "./streamsql.db");
/// assert_eq!(default_sqlite(Some("/var/lib/job.db".into())), "/var/lib/job.db");
/// assert_eq!(default_sqlite(Some(String::new())), "./streamsql.db");
/// ```
pub fn default_sqlite(env: Option<String>) -> String {
    env.filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "./streamsql.db".to_string())
}

impl StoreSink {
    /// Opens the sink for `table` (a `jdbc`, `hbase`, `ots` or `elasticsearch` table):
    /// reads its options, connects (waiting, with backoff, for a store that is not up
    /// yet) and creates the table when `sink.create-table` says so.
    pub fn open(info: &JobInfo, opts: &Options, table: &TableInfo) -> Result<StoreSink, String> {
        let name = table.name;
        let schema = Schema::of(table);
        let reconnect_timeout = duration(
            info,
            opts,
            name,
            "sink.reconnect-timeout",
            DEFAULT_RECONNECT_TIMEOUT,
        )?;
        let username = option(info, opts, name, &["username", "userName"]).map(str::to_string);
        let password = option(info, opts, name, &["password"]).map(str::to_string);
        let (policy, backend) = match table.connector {
            "elasticsearch" => {
                let policy = FlushPolicy {
                    max_rows: number(info, opts, name, "sink.bulk-flush.max-actions", 1000)?,
                    interval: Some(duration(
                        info,
                        opts,
                        name,
                        "sink.bulk-flush.interval",
                        Duration::from_secs(1),
                    )?)
                    .filter(|d| !d.is_zero()),
                };
                let settings = elastic::ElasticSettings {
                    hosts: option(info, opts, name, &["hosts", "endPoint"])
                        .ok_or(format!(
                            "sink `{name}`: the elasticsearch table has no 'hosts' (e.g. 'http://127.0.0.1:9200')"
                        ))?
                        .to_string(),
                    index: option(info, opts, name, &["index"])
                        .ok_or(format!("sink `{name}`: the elasticsearch table has no 'index'"))?
                        .to_string(),
                    key_delimiter: option(info, opts, name, &["document-id.key-delimiter"])
                        .unwrap_or("_")
                        .to_string(),
                    username: username.or_else(|| {
                        option(info, opts, name, &["accessId"]).map(str::to_string)
                    }),
                    password: password.or_else(|| {
                        option(info, opts, name, &["accessKey"]).map(str::to_string)
                    }),
                    reconnect_timeout,
                };
                let store = elastic::ElasticStore::open(name, settings, schema.clone())?;
                (policy, Backend::Elastic(store))
            }
            #[cfg(feature = "db")]
            "jdbc" | "hbase" | "ots" => {
                let target = match option(info, opts, name, &["url"]) {
                    Some(url) => {
                        let mut t =
                            Target::parse(url).map_err(|e| format!("sink `{name}`: {e}"))?;
                        t.username = username;
                        t.password = password;
                        t
                    }
                    None => Target::sqlite(&default_sqlite(std::env::var("STREAMSQL_SQLITE").ok())),
                };
                // A SQLite file is the job's own: make its tables. A server's schema
                // belongs to whoever runs it: only when asked.
                let create_default = target.dialect == Dialect::Sqlite;
                let create_table = match driver::option(info, opts, name, "sink.create-table") {
                    None => create_default,
                    Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(format!(
                                "sink `{name}`: 'sink.create-table' = '{v}': expected true or false"
                            ));
                        }
                    },
                };
                let policy = FlushPolicy {
                    max_rows: number(info, opts, name, "sink.buffer-flush.max-rows", 100)?,
                    interval: Some(duration(
                        info,
                        opts,
                        name,
                        "sink.buffer-flush.interval",
                        Duration::from_secs(1),
                    )?)
                    .filter(|d| !d.is_zero()),
                };
                let settings = sql::SqlSettings {
                    target,
                    table: option(info, opts, name, &["table-name", "tableName"])
                        .unwrap_or(name)
                        .to_string(),
                    create_table,
                    max_retries: number(info, opts, name, "sink.max-retries", 3)?,
                    reconnect_timeout,
                };
                let store = sql::SqlStore::open(name, settings, schema.clone())?;
                (policy, Backend::Sql(store))
            }
            other => {
                return Err(format!(
                    "sink `{name}` (connector `{other}`): this build cannot write it (store sinks need the `db` feature)"
                ));
            }
        };
        Ok(StoreSink {
            sink: name.to_string(),
            buffer: Buffer::new(&schema),
            schema,
            policy,
            last_flush: Instant::now(),
            backend,
        })
    }

    /// Adds one sink line to the buffer; a line that cannot be written is
    /// dead-lettered with the reason.
    pub fn push(&mut self, line: &[u8], ctx: &mut Ctx) {
        let text = String::from_utf8_lossy(line);
        let pushed =
            parse_change(line, &self.schema).and_then(|c| self.buffer.push(c, &text, &self.schema));
        if let Err(reason) = pushed {
            ctx.dead_letter_sink(&self.sink, &text, &reason);
        }
    }

    /// Flushes when the buffer is full or the interval has passed (with neither set,
    /// after every batch).
    pub fn flush_if_due(&mut self, ctx: &mut Ctx) -> Result<(), String> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let full = self.policy.max_rows > 0 && self.buffer.len() >= self.policy.max_rows;
        let late = self
            .policy
            .interval
            .is_some_and(|i| self.last_flush.elapsed() >= i);
        let unbuffered = self.policy.max_rows == 0 && self.policy.interval.is_none();
        if full || late || unbuffered {
            self.flush(ctx)?;
        }
        Ok(())
    }

    /// Writes everything buffered; an error only when the store stayed away past
    /// `sink.reconnect-timeout` (or refused the writes as a whole).
    pub fn flush(&mut self, ctx: &mut Ctx) -> Result<(), String> {
        self.last_flush = Instant::now();
        if self.buffer.is_empty() {
            return Ok(());
        }
        let rows = self.buffer.take();
        match &mut self.backend {
            #[cfg(feature = "db")]
            Backend::Sql(s) => s.write(rows, ctx),
            Backend::Elastic(e) => e.write(rows, ctx),
        }
    }

    /// The sink's name in the job.
    pub fn name(&self) -> &str {
        &self.sink
    }
}
