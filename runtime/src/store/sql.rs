//! Relational targets over sqlx (feature `db`): MySQL/MariaDB, PostgreSQL, SQLite.
//!
//! In: a table's connection settings ([`Target`]) and batches of coalesced writes
//! ([`Pending`]). Out: multi-row upserts (`INSERT … ON DUPLICATE KEY UPDATE` on MySQL,
//! `INSERT … ON CONFLICT (key) DO UPDATE` on PostgreSQL and SQLite) and key deletes,
//! one transaction per flush; optionally the table itself (`CREATE TABLE IF NOT
//! EXISTS`, the Flink types mapped per database).
//!
//! Failures, by what they mean for the rows:
//! - the connection is gone (refused, reset, timed out, server shutting down): drop
//!   it, reconnect with exponential backoff and write the same batch again — rows are
//!   never dropped; after `sink.reconnect-timeout` of failing the flush is an error
//!   (the job stops, and its source offsets were not committed past those rows);
//! - a transient conflict (deadlock, serialization failure, lock wait, SQLite busy):
//!   the batch is retried up to `sink.max-retries` times;
//! - anything else (a value too long, a constraint, a type): the batch is written
//!   again row by row, so only the rows the database rejects go to the dead letters,
//!   with its message.
//!
//! One connection per sink, driven by the sink's own current-thread Tokio runtime
//! (`block_on` from the synchronous driver).

use super::buffer::{Action, Pending};
use super::change::{ColType, Schema, Value};
use super::retry::Backoff;
use crate::driver::Ctx;
use sqlx::Connection as _;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// Which SQL a database speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    MySql,
    Postgres,
    Sqlite,
}

/// Where a table lives and how to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub dialect: Dialect,
    /// The URL as sqlx reads it (`mysql://…`, `postgres://…`, `sqlite:PATH`).
    pub url: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl Target {
    /// Reads a table's `url` option: `jdbc:mysql://…`, `jdbc:mariadb://…`,
    /// `jdbc:postgresql://…`, `mysql://…`, `mariadb://…`, `postgres[ql]://…`,
    /// `sqlite:PATH`, `jdbc:sqlite:PATH`. JDBC query parameters are dropped (they are
    /// Java driver settings).
    ///
    /// ```
    /// use streamsql_runtime::store::{Dialect, Target};
    /// let t = Target::parse("jdbc:mysql://db:3306/app?useSSL=false").unwrap();
    /// assert_eq!((t.dialect, t.url.as_str()), (Dialect::MySql, "mysql://db:3306/app"));
    /// let t = Target::parse("jdbc:postgresql://db/app").unwrap();
    /// assert_eq!((t.dialect, t.url.as_str()), (Dialect::Postgres, "postgres://db/app"));
    /// assert_eq!(Target::parse("sqlite:/tmp/x.db").unwrap().dialect, Dialect::Sqlite);
    /// assert!(Target::parse("jdbc:oracle:thin:@db").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<Target, String> {
        let u = url.trim();
        let (jdbc, rest) = match u.strip_prefix("jdbc:") {
            Some(r) => (true, r),
            None => (false, u),
        };
        let strip = |scheme_len: usize, dialect: Dialect, scheme: &str| {
            let mut body = rest[scheme_len..].to_string();
            if jdbc && let Some(q) = body.find('?') {
                body.truncate(q);
            }
            Target {
                dialect,
                url: format!("{scheme}{body}"),
                username: None,
                password: None,
            }
        };
        for (prefix, dialect, scheme) in [
            ("mysql:", Dialect::MySql, "mysql:"),
            ("mariadb:", Dialect::MySql, "mysql:"),
            ("postgresql:", Dialect::Postgres, "postgres:"),
            ("postgres:", Dialect::Postgres, "postgres:"),
            ("sqlite:", Dialect::Sqlite, "sqlite:"),
        ] {
            if rest.starts_with(prefix) {
                return Ok(strip(prefix.len(), dialect, scheme));
            }
        }
        Err(format!(
            "url `{url}`: not a MySQL, PostgreSQL or SQLite URL (jdbc:mysql://…, jdbc:postgresql://…, sqlite:PATH)"
        ))
    }

    /// The embedded default: a SQLite file.
    pub fn sqlite(path: &str) -> Target {
        let url = if path.starts_with("sqlite:") {
            path.to_string()
        } else {
            format!("sqlite:{path}")
        };
        Target {
            dialect: Dialect::Sqlite,
            url,
            username: None,
            password: None,
        }
    }
}

/// How long one statement may take before the connection is taken for dead.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Placeholders per statement stay below every database's limit (SQLite: 32766).
pub(crate) const MAX_PARAMS: usize = 30_000;
const MAX_ROWS_PER_STATEMENT: usize = 1000;

enum Options {
    My(MySqlConnectOptions),
    Pg(PgConnectOptions),
    Lite(SqliteConnectOptions),
}

enum Conn {
    My(MySqlConnection),
    Pg(PgConnection),
    Lite(SqliteConnection),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::My(_) => "Conn::MySql",
            Conn::Pg(_) => "Conn::Postgres",
            Conn::Lite(_) => "Conn::Sqlite",
        })
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.write_str("Options")
    }
}

impl Options {
    fn of(target: &Target) -> Result<Options, String> {
        let bad = |e: sqlx::Error| format!("url `{}`: {e}", target.url);
        Ok(match target.dialect {
            Dialect::MySql => {
                let mut o = MySqlConnectOptions::from_str(&target.url).map_err(bad)?;
                if let Some(u) = &target.username {
                    o = o.username(u);
                }
                if let Some(p) = &target.password {
                    o = o.password(p);
                }
                Options::My(o.charset("utf8mb4"))
            }
            Dialect::Postgres => {
                let mut o = PgConnectOptions::from_str(&target.url).map_err(bad)?;
                if let Some(u) = &target.username {
                    o = o.username(u);
                }
                if let Some(p) = &target.password {
                    o = o.password(p);
                }
                Options::Pg(o)
            }
            Dialect::Sqlite => Options::Lite(
                SqliteConnectOptions::from_str(&target.url)
                    .map_err(bad)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal),
            ),
        })
    }

    async fn connect(&self) -> Result<Conn, sqlx::Error> {
        let fut = async {
            Ok(match self {
                Options::My(o) => Conn::My(MySqlConnection::connect_with(o).await?),
                Options::Pg(o) => Conn::Pg(PgConnection::connect_with(o).await?),
                Options::Lite(o) => Conn::Lite(SqliteConnection::connect_with(o).await?),
            })
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, fut).await {
            Ok(r) => r,
            Err(_) => Err(timed_out("connecting")),
        }
    }
}

fn timed_out(what: &str) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        format!("{what} timed out"),
    ))
}

/// A statement parameter, typed for binding.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    Bool(Option<bool>),
    Int(Option<i64>),
    Float(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

pub(crate) fn arg(v: &Value, ty: &ColType) -> Arg {
    match v {
        // A NULL is bound with its column's type (PostgreSQL will not assign a text
        // NULL to an integer column).
        Value::Null => match ty {
            ColType::Bool => Arg::Bool(None),
            ColType::Int(_) => Arg::Int(None),
            ColType::Float | ColType::Double => Arg::Float(None),
            ColType::Bytes(_) => Arg::Bytes(None),
            _ => Arg::Text(None),
        },
        Value::Bool(b) => Arg::Bool(Some(*b)),
        Value::Int(i) => Arg::Int(Some(*i)),
        Value::Float(f) => Arg::Float(Some(*f)),
        Value::Bytes(b) => Arg::Bytes(Some(b.clone())),
        // DECIMAL, DATE and TIMESTAMP go as text: every database converts it exactly
        // (PostgreSQL through the CAST in the placeholder).
        other => Arg::Text(Some(other.text())),
    }
}

/// Binds `args` to a sqlx query of any of the three databases.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Bool(v) => q.bind(v),
                Arg::Int(v) => q.bind(v),
                Arg::Float(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

/// A statement and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Statement {
    pub(crate) sql: String,
    pub(crate) args: Vec<Arg>,
}

pub(crate) fn quote(d: Dialect, name: &str) -> String {
    match d {
        Dialect::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// The `n`-th placeholder (1-based) for a value of type `ty`.
pub(crate) fn param(d: Dialect, n: usize, ty: &ColType) -> String {
    match d {
        Dialect::Postgres => match ty {
            ColType::Decimal(..) => format!("CAST(${n} AS NUMERIC)"),
            ColType::Date => format!("CAST(${n} AS DATE)"),
            ColType::Timestamp(_) | ColType::TimestampLtz(_) => {
                format!("CAST(${n} AS TIMESTAMP)")
            }
            _ => format!("${n}"),
        },
        _ => "?".to_string(),
    }
}

/// The column type a created table gets.
pub(crate) fn column_type(d: Dialect, ty: &ColType, key: bool) -> String {
    use ColType as T;
    use Dialect as D;
    match (d, ty) {
        (_, T::Bool) => "BOOLEAN".into(),
        (D::Postgres, T::Int(8)) | (_, T::Int(16)) => "SMALLINT".into(),
        (_, T::Int(8)) => "TINYINT".into(),
        (D::Sqlite, T::Int(32)) => "INTEGER".into(),
        (_, T::Int(32)) => "INT".into(),
        (_, T::Int(_)) => "BIGINT".into(),
        (D::MySql, T::Float) => "FLOAT".into(),
        (_, T::Float) => "REAL".into(),
        (D::Postgres, T::Double) => "DOUBLE PRECISION".into(),
        (_, T::Double) => "DOUBLE".into(),
        (D::Postgres, T::Decimal(p, s)) => format!("NUMERIC({p}, {s})"),
        (_, T::Decimal(p, s)) => format!("DECIMAL({p}, {s})"),
        // MySQL cannot index TEXT: a STRING key column is VARCHAR(255).
        (D::MySql, T::Str(None) | T::Json) if key => "VARCHAR(255)".into(),
        (D::MySql, T::Str(Some(n))) if *n <= 16_383 => format!("VARCHAR({n})"),
        (D::MySql, T::Str(_) | T::Json) => "LONGTEXT".into(),
        (_, T::Str(Some(n))) => format!("VARCHAR({n})"),
        (_, T::Str(None) | T::Json) => "TEXT".into(),
        (_, T::Date) => "DATE".into(),
        (D::MySql, T::Timestamp(p) | T::TimestampLtz(p)) => format!("DATETIME({})", p.min(&6)),
        (D::Postgres, T::Timestamp(p) | T::TimestampLtz(p)) => {
            format!("TIMESTAMP({})", p.min(&6))
        }
        (D::Sqlite, T::Timestamp(_) | T::TimestampLtz(_)) => "TIMESTAMP".into(),
        (D::MySql, T::Bytes(None)) if key => "VARBINARY(255)".into(),
        (D::MySql, T::Bytes(Some(n))) if *n <= 65_532 => format!("VARBINARY({n})"),
        (D::MySql, T::Bytes(_)) => "LONGBLOB".into(),
        (D::Postgres, T::Bytes(_)) => "BYTEA".into(),
        (D::Sqlite, T::Bytes(Some(n))) => format!("VARBINARY({n})"),
        (D::Sqlite, T::Bytes(None)) => "BLOB".into(),
    }
}

/// `CREATE TABLE IF NOT EXISTS` for the sink's columns; the primary key is the
/// table's PRIMARY KEY. SQLite does not enforce VARCHAR(n)/VARBINARY(n) lengths by
/// itself: a CHECK does, so it rejects what MySQL and PostgreSQL reject.
pub(crate) fn create_sql(d: Dialect, table: &str, schema: &Schema) -> String {
    let mut cols: Vec<String> = schema
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = schema.is_key(i);
            let mut s = format!("{} {}", quote(d, &c.name), column_type(d, &c.ty, key));
            if c.not_null || key {
                s.push_str(" NOT NULL");
            }
            if d == Dialect::Sqlite
                && let ColType::Str(Some(n)) | ColType::Bytes(Some(n)) = c.ty
            {
                s.push_str(&format!(" CHECK (length({}) <= {n})", quote(d, &c.name)));
            }
            s
        })
        .collect();
    if !schema.key.is_empty() {
        let key: Vec<String> = schema
            .key
            .iter()
            .map(|&i| quote(d, &schema.columns[i].name))
            .collect();
        cols.push(format!("PRIMARY KEY ({})", key.join(", ")));
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} ({})",
        quote(d, table),
        cols.join(", ")
    )
}

/// One multi-row upsert (a plain INSERT for a table without a key).
fn upsert(d: Dialect, table: &str, schema: &Schema, rows: &[&Pending]) -> Statement {
    let names: Vec<String> = schema.columns.iter().map(|c| quote(d, &c.name)).collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        quote(d, table),
        names.join(", ")
    );
    let mut args = Vec::with_capacity(rows.len() * names.len());
    for (r, p) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (i, c) in schema.columns.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            args.push(arg(&p.change.values[i], &c.ty));
            sql.push_str(&param(d, args.len(), &c.ty));
        }
        sql.push(')');
    }
    if !schema.key.is_empty() {
        let rest: Vec<&String> = (0..names.len())
            .filter(|i| !schema.is_key(*i))
            .map(|i| &names[i])
            .collect();
        match d {
            Dialect::MySql => {
                // Every column a key column: there is nothing to update, but the
                // clause keeps a repeated row from being an error.
                let sets: Vec<String> = if rest.is_empty() {
                    vec![format!("{0} = {0}", names[schema.key[0]])]
                } else {
                    rest.iter().map(|n| format!("{n} = VALUES({n})")).collect()
                };
                sql.push_str(" ON DUPLICATE KEY UPDATE ");
                sql.push_str(&sets.join(", "));
            }
            _ => {
                let key: Vec<&String> = schema.key.iter().map(|&i| &names[i]).collect();
                let key: Vec<&str> = key.iter().map(|s| s.as_str()).collect();
                sql.push_str(&format!(" ON CONFLICT ({}) ", key.join(", ")));
                if rest.is_empty() {
                    sql.push_str("DO NOTHING");
                } else {
                    let sets: Vec<String> =
                        rest.iter().map(|n| format!("{n} = EXCLUDED.{n}")).collect();
                    sql.push_str("DO UPDATE SET ");
                    sql.push_str(&sets.join(", "));
                }
            }
        }
    }
    Statement { sql, args }
}

/// One delete of the rows with these keys.
fn delete(d: Dialect, table: &str, schema: &Schema, rows: &[&Pending]) -> Statement {
    let mut sql = format!("DELETE FROM {} WHERE ", quote(d, table));
    let mut args = Vec::new();
    for (r, p) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(" OR ");
        }
        sql.push('(');
        for (n, &i) in schema.key.iter().enumerate() {
            if n > 0 {
                sql.push_str(" AND ");
            }
            let c = &schema.columns[i];
            args.push(arg(&p.change.values[i], &c.ty));
            sql.push_str(&format!(
                "{} = {}",
                quote(d, &c.name),
                param(d, args.len(), &c.ty)
            ));
        }
        sql.push(')');
    }
    Statement { sql, args }
}

/// The statements that write `rows` (each group in chunks under the parameter limit).
pub(crate) fn statements(
    d: Dialect,
    table: &str,
    schema: &Schema,
    rows: &[Pending],
) -> Vec<Statement> {
    let per = (MAX_PARAMS / schema.columns.len().max(1)).clamp(1, MAX_ROWS_PER_STATEMENT);
    let ups: Vec<&Pending> = rows.iter().filter(|p| p.action == Action::Upsert).collect();
    let dels: Vec<&Pending> = rows.iter().filter(|p| p.action == Action::Delete).collect();
    let mut out: Vec<Statement> = ups
        .chunks(per)
        .map(|c| upsert(d, table, schema, c))
        .collect();
    out.extend(dels.chunks(per).map(|c| delete(d, table, schema, c)));
    out
}

/// How a failed statement is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection is unusable: reconnect and retry, rows kept.
    Connection,
    /// A conflict that may not happen again: retry the batch.
    Transient,
    /// The database refused the statement: find the rows it refuses.
    Rejected,
}

pub(crate) fn classify(e: &sqlx::Error) -> Failure {
    use sqlx::Error as E;
    match e {
        E::Io(_)
        | E::Tls(_)
        | E::Protocol(_)
        | E::PoolTimedOut
        | E::PoolClosed
        | E::WorkerCrashed
        | E::BeginFailed => Failure::Connection,
        E::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            let mysql = db
                .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                .map(|m| m.number());
            // SQLSTATE class 08: connection exception; 57P01-3: the server is
            // shutting down or starting; MariaDB 70100: the connection was killed.
            if code.starts_with("08")
                || code.starts_with("57P0")
                || code == "70100"
                || matches!(mysql, Some(1053 | 1927 | 2006 | 2013))
            {
                Failure::Connection
            } else if matches!(code.as_str(), "40001" | "40P01")
                || matches!(mysql, Some(1205 | 1213))
                || db
                    .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                    .is_some_and(|_| matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6)))
            {
                Failure::Transient
            } else {
                Failure::Rejected
            }
        }
        _ => Failure::Rejected,
    }
}

pub(crate) fn message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => match db.code() {
            Some(c) => format!("{} (code {c})", db.message()),
            None => db.message().to_string(),
        },
        other => other.to_string(),
    }
}

/// Connection settings of a SQL sink (see [`SqlStore::open`]).
#[derive(Clone, Debug)]
pub struct SqlSettings {
    pub target: Target,
    /// The table's name in the database.
    pub table: String,
    pub create_table: bool,
    pub max_retries: u32,
    pub reconnect_timeout: Duration,
}

/// One connection to a database, made on first use and again after
/// [`Link::disconnect`], driven by its own current-thread Tokio runtime (`block_on`
/// from the synchronous driver). What store sinks write through and lookup joins
/// read through.
#[derive(Debug)]
pub(crate) struct Link {
    rt: tokio::runtime::Runtime,
    options: Options,
    conn: Option<Conn>,
}

impl Link {
    /// Reads the target's settings; connects nothing yet.
    pub(crate) fn new(target: &Target) -> Result<Link, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the database client: {e}"))?;
        Ok(Link {
            rt,
            options: Options::of(target)?,
            conn: None,
        })
    }

    /// Drops the connection (after a failure that left it unusable); the next
    /// statement reconnects.
    pub(crate) fn disconnect(&mut self) {
        self.conn = None;
    }

    /// Runs statements on the (re)connected connection, in one transaction when asked;
    /// a statement that takes too long counts as a lost connection.
    pub(crate) fn run(
        &mut self,
        stmts: &[Statement],
        transaction: bool,
    ) -> Result<u64, sqlx::Error> {
        let (rt, options, conn) = (&self.rt, &self.options, &mut self.conn);
        rt.block_on(async {
            let work = async {
                if conn.is_none() {
                    *conn = Some(options.connect().await?);
                }
                let c = conn.as_mut().expect("connected above");
                macro_rules! on {
                    ($c:expr) => {{
                        let mut done = 0u64;
                        if transaction {
                            let mut tx = $c.begin().await?;
                            for s in stmts {
                                bind_all!(sqlx::query(&s.sql), s.args.iter().cloned())
                                    .execute(&mut *tx)
                                    .await?;
                                done += 1;
                            }
                            tx.commit().await?;
                        } else {
                            for s in stmts {
                                bind_all!(sqlx::query(&s.sql), s.args.iter().cloned())
                                    .execute(&mut *$c)
                                    .await?;
                                done += 1;
                            }
                        }
                        Ok(done)
                    }};
                }
                match c {
                    Conn::My(c) => on!(c),
                    Conn::Pg(c) => on!(c),
                    Conn::Lite(c) => on!(c),
                }
            };
            match tokio::time::timeout(STATEMENT_TIMEOUT, work).await {
                Ok(r) => r,
                Err(_) => Err(timed_out("a statement")),
            }
        })
    }

    /// Runs a query whose first `columns` result columns are text (or NULL), on the
    /// (re)connected connection: its rows, in the order the database returned them.
    /// A query that takes too long counts as a lost connection.
    pub(crate) fn fetch_text(
        &mut self,
        stmt: &Statement,
        columns: usize,
    ) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        let (rt, options, conn) = (&self.rt, &self.options, &mut self.conn);
        rt.block_on(async {
            let work = async {
                if conn.is_none() {
                    *conn = Some(options.connect().await?);
                }
                let c = conn.as_mut().expect("connected above");
                macro_rules! on {
                    ($c:expr) => {{
                        use sqlx::Row as _;
                        let rows = bind_all!(sqlx::query(&stmt.sql), stmt.args.iter().cloned())
                            .fetch_all(&mut *$c)
                            .await?;
                        let mut out = Vec::with_capacity(rows.len());
                        for r in rows {
                            let mut vals = Vec::with_capacity(columns);
                            for i in 0..columns {
                                vals.push(r.try_get::<Option<String>, _>(i)?);
                            }
                            out.push(vals);
                        }
                        Ok(out)
                    }};
                }
                match c {
                    Conn::My(c) => on!(c),
                    Conn::Pg(c) => on!(c),
                    Conn::Lite(c) => on!(c),
                }
            };
            match tokio::time::timeout(STATEMENT_TIMEOUT, work).await {
                Ok(r) => r,
                Err(_) => Err(timed_out("a query")),
            }
        })
    }
}

/// A sink writing into one SQL table.
#[derive(Debug)]
pub struct SqlStore {
    /// The job's name for the sink (in messages).
    sink: String,
    settings: SqlSettings,
    schema: Schema,
    link: Link,
}

impl SqlStore {
    /// Connects (retrying while the database is unreachable, up to the reconnect
    /// timeout), creates the table if asked, and checks that the table is there.
    pub fn open(sink: &str, settings: SqlSettings, schema: Schema) -> Result<SqlStore, String> {
        let link = Link::new(&settings.target).map_err(|e| format!("sink `{sink}`: {e}"))?;
        let mut s = SqlStore {
            sink: sink.to_string(),
            settings,
            schema,
            link,
        };
        let d = s.settings.target.dialect;
        let table = quote(d, &s.settings.table);
        let prepare = if s.settings.create_table {
            create_sql(d, &s.settings.table, &s.schema)
        } else {
            format!("SELECT 1 FROM {table} WHERE 1 = 0")
        };
        let stmt = Statement {
            sql: prepare,
            args: Vec::new(),
        };
        let mut backoff = Backoff::new(s.settings.reconnect_timeout);
        loop {
            match s.link.run(std::slice::from_ref(&stmt), false) {
                Ok(_) => return Ok(s),
                Err(e) if classify(&e) == Failure::Connection => {
                    s.link.disconnect();
                    backoff.wait(&s.sink, &message(&e))?;
                }
                Err(e) if s.settings.create_table => {
                    return Err(format!(
                        "sink `{sink}`: cannot create table {table}: {}",
                        message(&e)
                    ));
                }
                Err(e) => {
                    return Err(format!(
                        "sink `{sink}`: table {table} is not usable ({}); create it, or set '{sink}.sink.create-table' = 'true'",
                        message(&e)
                    ));
                }
            }
        }
    }

    /// Writes one flush's coalesced rows (see the module docs for failures).
    pub fn write(&mut self, rows: Vec<Pending>, ctx: &mut Ctx) -> Result<(), String> {
        if rows.is_empty() {
            return Ok(());
        }
        let d = self.settings.target.dialect;
        let stmts = statements(d, &self.settings.table, &self.schema, &rows);
        let mut backoff = Backoff::new(self.settings.reconnect_timeout);
        let mut conflicts = 0;
        loop {
            match self.link.run(&stmts, true) {
                Ok(n) => {
                    ctx.counters.store_writes += n;
                    ctx.counters.store_rows += rows.len() as u64;
                    return Ok(());
                }
                Err(e) => match classify(&e) {
                    Failure::Connection => {
                        self.link.disconnect();
                        backoff.wait(&self.sink, &message(&e))?;
                    }
                    Failure::Transient if conflicts < self.settings.max_retries => {
                        conflicts += 1;
                        backoff.wait(&self.sink, &message(&e))?;
                    }
                    _ => break,
                },
            }
        }
        // The batch was refused: row by row, each in its own statement, so that only
        // the rows the database refuses are dead-lettered.
        for p in &rows {
            let stmt = statements(
                d,
                &self.settings.table,
                &self.schema,
                std::slice::from_ref(p),
            );
            let mut backoff = Backoff::new(self.settings.reconnect_timeout);
            let mut conflicts = 0;
            loop {
                match self.link.run(&stmt, false) {
                    Ok(n) => {
                        ctx.counters.store_writes += n;
                        ctx.counters.store_rows += 1;
                        break;
                    }
                    Err(e) => match classify(&e) {
                        Failure::Connection => {
                            self.link.disconnect();
                            backoff.wait(&self.sink, &message(&e))?;
                        }
                        Failure::Transient if conflicts < self.settings.max_retries => {
                            conflicts += 1;
                            backoff.wait(&self.sink, &message(&e))?;
                        }
                        _ => {
                            ctx.dead_letter_sink(
                                &self.sink,
                                &p.line,
                                &format!("rejected by the database: {}", message(&e)),
                            );
                            break;
                        }
                    },
                }
            }
        }
        Ok(())
    }
}

/// Every row of a table as a JSON object line (column names as keys, columns in
/// table order, lines sorted), with values spelled the same whichever database holds
/// them: numbers as JSON numbers without trailing zeros, booleans as JSON booleans,
/// TIMESTAMP as `yyyy-MM-dd HH:mm:ss[.fff]`, bytes as base64. For tests that compare
/// a table across stores.
pub fn dump_table(url: &str, table: &str) -> Result<Vec<String>, String> {
    let target = if url.contains("://") || url.starts_with("jdbc:") {
        Target::parse(url)?
    } else {
        Target::sqlite(url)
    };
    let d = target.dialect;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let options = Options::of(&target)?;
    rt.block_on(async {
        let mut conn = options.connect().await.map_err(|e| message(&e))?;
        let columns_sql = match d {
            Dialect::MySql => "SELECT CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ORDINAL_POSITION",
            Dialect::Postgres => "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            Dialect::Sqlite => "SELECT name, type FROM pragma_table_info(?) ORDER BY cid",
        };
        macro_rules! fetch_columns {
            ($c:expr) => {
                sqlx::query_as::<_, (String, String)>(columns_sql)
                    .bind(table)
                    .fetch_all(&mut *$c)
                    .await
            };
        }
        let columns = match &mut conn {
            Conn::My(c) => fetch_columns!(c),
            Conn::Pg(c) => fetch_columns!(c),
            Conn::Lite(c) => fetch_columns!(c),
        }
        .map_err(|e| message(&e))?;
        if columns.is_empty() {
            return Err(format!("no table `{table}` (or it has no columns)"));
        }
        let kinds: Vec<Kind> = columns.iter().map(|(_, t)| Kind::of(t)).collect();
        let exprs: Vec<String> = columns
            .iter()
            .zip(&kinds)
            .map(|((n, _), k)| {
                let c = quote(d, n);
                match (d, k) {
                    (Dialect::MySql, Kind::Bytes) => format!("TO_BASE64({c})"),
                    (Dialect::MySql, _) => format!("CAST({c} AS CHAR)"),
                    (Dialect::Postgres, Kind::Bytes) => format!("encode({c}, 'base64')"),
                    (Dialect::Postgres, _) => format!("CAST({c} AS TEXT)"),
                    // 17 significant digits (`!`: past printf's 16), so every double reads back exactly.
                    (Dialect::Sqlite, Kind::Float) => {
                        format!("CASE WHEN {c} IS NULL THEN NULL ELSE printf('%!.17g', {c}) END")
                    }
                    // hex(NULL) is '', not NULL.
                    (Dialect::Sqlite, Kind::Bytes) => {
                        format!("CASE WHEN {c} IS NULL THEN NULL ELSE hex({c}) END")
                    }
                    (Dialect::Sqlite, _) => format!("CAST({c} AS TEXT)"),
                }
            })
            .collect();
        let sql = format!("SELECT {} FROM {}", exprs.join(", "), quote(d, table));
        macro_rules! fetch_rows {
            ($c:expr) => {{
                use sqlx::Row as _;
                let rows = sqlx::query(&sql).fetch_all(&mut *$c).await.map_err(|e| message(&e))?;
                let mut out = Vec::new();
                for r in rows {
                    let mut vals = Vec::new();
                    for i in 0..columns.len() {
                        vals.push(r.try_get::<Option<String>, _>(i).map_err(|e| message(&e))?);
                    }
                    out.push(vals);
                }
                out
            }};
        }
        let rows: Vec<Vec<Option<String>>> = match &mut conn {
            Conn::My(c) => fetch_rows!(c),
            Conn::Pg(c) => fetch_rows!(c),
            Conn::Lite(c) => fetch_rows!(c),
        };
        let mut lines: Vec<String> = rows
            .into_iter()
            .map(|vals| {
                let mut b = Vec::new();
                b.push(b'{');
                for (i, v) in vals.iter().enumerate() {
                    if i > 0 {
                        b.push(b',');
                    }
                    crate::encode::json_str(&mut b, &columns[i].0);
                    b.push(b':');
                    kinds[i].write(&mut b, v.as_deref(), d);
                }
                b.push(b'}');
                String::from_utf8_lossy(&b).into_owned()
            })
            .collect();
        lines.sort();
        Ok(lines)
    })
}

/// Drops a table if it exists (for tests that make a table per run on a shared
/// server).
pub fn drop_table(url: &str, table: &str) -> Result<(), String> {
    let target = if url.contains("://") || url.starts_with("jdbc:") {
        Target::parse(url)?
    } else {
        Target::sqlite(url)
    };
    let sql = format!("DROP TABLE IF EXISTS {}", quote(target.dialect, table));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let options = Options::of(&target)?;
    rt.block_on(async {
        let conn = options.connect().await.map_err(|e| message(&e))?;
        let done = match conn {
            Conn::My(mut c) => sqlx::query(&sql).execute(&mut c).await.map(drop),
            Conn::Pg(mut c) => sqlx::query(&sql).execute(&mut c).await.map(drop),
            Conn::Lite(mut c) => sqlx::query(&sql).execute(&mut c).await.map(drop),
        };
        done.map_err(|e| message(&e))
    })
}

/// How [`dump_table`] spells a column, from the database's type name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    /// DOUBLE/FLOAT/REAL: written as the shortest text that reads back as the same
    /// double, whatever the database printed (SQLite's text has 15 digits only).
    Float,
    Number,
    Timestamp,
    Bytes,
    Text,
}

impl Kind {
    fn of(db_type: &str) -> Kind {
        let t = db_type.to_ascii_lowercase();
        if t.starts_with("bool") || t == "tinyint(1)" {
            Kind::Bool
        } else if t.contains("real") || t.contains("float") || t.contains("double") {
            Kind::Float
        } else if t.contains("int") || t.contains("dec") || t.contains("numeric") {
            Kind::Number
        } else if t.contains("timestamp") || t.contains("datetime") {
            Kind::Timestamp
        } else if t.contains("blob") || t.contains("binary") || t == "bytea" {
            Kind::Bytes
        } else {
            Kind::Text
        }
    }

    fn write(self, b: &mut Vec<u8>, v: Option<&str>, d: Dialect) {
        let Some(v) = v else {
            b.extend_from_slice(b"null");
            return;
        };
        match self {
            Kind::Bool => b.extend_from_slice(if matches!(v, "1" | "t" | "true") {
                b"true"
            } else {
                b"false"
            }),
            Kind::Float => match v.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => b.extend_from_slice(format!("{f}").as_bytes()),
                _ => crate::encode::json_str(b, v),
            },
            Kind::Number => {
                // 12.50 (MySQL, PostgreSQL) and 12.5 (SQLite) are one number.
                let n = if v.contains('.') && !v.contains(['e', 'E']) {
                    v.trim_end_matches('0').trim_end_matches('.')
                } else {
                    v
                };
                b.extend_from_slice(n.as_bytes());
            }
            Kind::Timestamp => match super::change::timestamp(v) {
                Ok(ms) => crate::encode::json_timestamp(b, crate::Timestamp(ms)),
                Err(_) => crate::encode::json_str(b, v),
            },
            Kind::Bytes => {
                let bytes = if d == Dialect::Sqlite {
                    (0..v.len() / 2)
                        .filter_map(|i| u8::from_str_radix(&v[2 * i..2 * i + 2], 16).ok())
                        .collect()
                } else {
                    super::change::base64(v).unwrap_or_default()
                };
                crate::encode::json_bytes(b, &bytes);
            }
            Kind::Text => crate::encode::json_str(b, v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::change::{Column, parse_change};

    fn schema() -> Schema {
        let col = |n: &str, ty: ColType| Column {
            name: n.into(),
            ty,
            not_null: false,
        };
        Schema {
            columns: vec![
                col("k", ColType::Str(None)),
                col("n", ColType::Int(32)),
                col("m", ColType::Decimal(10, 2)),
                col("name", ColType::Str(Some(5))),
            ],
            key: vec![0],
        }
    }

    fn pending(line: &str, s: &Schema) -> Pending {
        let change = parse_change(line.as_bytes(), s).unwrap();
        let action = match change.kind {
            crate::RowKind::Delete | crate::RowKind::UpdateBefore => Action::Delete,
            _ => Action::Upsert,
        };
        Pending {
            action,
            change,
            line: line.into(),
        }
    }

    #[test]
    fn upserts_per_dialect() {
        let s = schema();
        let rows = [
            pending(r#"{"k":"a","n":1,"m":1.5,"name":"x"}"#, &s),
            pending(r#"{"k":"b","n":null,"m":null,"name":null}"#, &s),
        ];
        let refs: Vec<&Pending> = rows.iter().collect();
        let my = upsert(Dialect::MySql, "t", &s, &refs);
        assert_eq!(
            my.sql,
            "INSERT INTO `t` (`k`, `n`, `m`, `name`) VALUES (?, ?, ?, ?), (?, ?, ?, ?) ON DUPLICATE KEY UPDATE `n` = VALUES(`n`), `m` = VALUES(`m`), `name` = VALUES(`name`)"
        );
        assert_eq!(my.args[2], Arg::Text(Some("1.50".into())));
        assert_eq!(my.args[5], Arg::Int(None));
        let pg = upsert(Dialect::Postgres, "t", &s, &refs[..1]);
        assert_eq!(
            pg.sql,
            r#"INSERT INTO "t" ("k", "n", "m", "name") VALUES ($1, $2, CAST($3 AS NUMERIC), $4) ON CONFLICT ("k") DO UPDATE SET "n" = EXCLUDED."n", "m" = EXCLUDED."m", "name" = EXCLUDED."name""#
        );
        let del = delete(Dialect::Sqlite, "t", &s, &refs);
        assert_eq!(del.sql, r#"DELETE FROM "t" WHERE ("k" = ?) OR ("k" = ?)"#);
    }

    #[test]
    fn tables_per_dialect() {
        let s = schema();
        assert_eq!(
            create_sql(Dialect::MySql, "t", &s),
            "CREATE TABLE IF NOT EXISTS `t` (`k` VARCHAR(255) NOT NULL, `n` INT, `m` DECIMAL(10, 2), `name` VARCHAR(5), PRIMARY KEY (`k`))"
        );
        assert_eq!(
            create_sql(Dialect::Sqlite, "t", &s),
            r#"CREATE TABLE IF NOT EXISTS "t" ("k" TEXT NOT NULL, "n" INTEGER, "m" DECIMAL(10, 2), "name" VARCHAR(5) CHECK (length("name") <= 5), PRIMARY KEY ("k"))"#
        );
        assert_eq!(
            column_type(Dialect::Postgres, &ColType::Timestamp(3), false),
            "TIMESTAMP(3)"
        );
        assert_eq!(
            column_type(Dialect::Postgres, &ColType::Int(8), false),
            "SMALLINT"
        );
    }

    #[test]
    fn big_batches_split_under_the_parameter_limit() {
        let s = schema();
        let rows: Vec<Pending> = (0..2500)
            .map(|i| pending(&format!(r#"{{"k":"{i}","n":1}}"#), &s))
            .collect();
        let st = statements(Dialect::Sqlite, "t", &s, &rows);
        assert_eq!(st.len(), 3);
        assert!(st.iter().all(|s| s.args.len() <= MAX_PARAMS));
    }

    /// Table `t` with `schema`, created in a fresh SQLite file: the file's directory
    /// (removed by the caller), the file, the store.
    fn sqlite_table(
        test: &str,
        schema: &Schema,
    ) -> (std::path::PathBuf, std::path::PathBuf, SqlStore) {
        let dir = std::env::temp_dir().join(format!("streamsql-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let settings = SqlSettings {
            target: Target::sqlite(path.to_str().unwrap()),
            table: "t".into(),
            create_table: true,
            max_retries: 3,
            reconnect_timeout: Duration::from_secs(5),
        };
        let store = SqlStore::open("sink", settings, schema.clone()).unwrap();
        (dir, path, store)
    }

    /// SQLite, in a temporary file: upserts, deletes, a CHECK-rejected row
    /// dead-lettered alone, and the dump.
    #[test]
    fn sqlite_round_trip() {
        let s = schema();
        let (dir, path, mut store) = sqlite_table("sql", &s);
        let mut ctx = Ctx::new(0);
        store
            .write(
                vec![
                    pending(r#"{"k":"a","n":1,"m":1.5,"name":"x"}"#, &s),
                    pending(r#"{"k":"b","n":2,"m":0.25,"name":"toolong"}"#, &s),
                    pending(r#"{"k":"c","n":3,"m":null,"name":"z"}"#, &s),
                ],
                &mut ctx,
            )
            .unwrap();
        assert_eq!(ctx.counters.failed, 1);
        store
            .write(vec![pending(r#"{"op":"-D","k":"c"}"#, &s)], &mut ctx)
            .unwrap();
        let rows = dump_table(path.to_str().unwrap(), "t").unwrap();
        assert_eq!(rows, [r#"{"k":"a","n":1,"m":1.5,"name":"x"}"#]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// SQLite prints a REAL with 15 digits: the dump reads every double back exactly
    /// (as MySQL and PostgreSQL print them), and keeps NULL a NULL.
    #[test]
    fn sqlite_dump_keeps_every_digit_of_a_double() {
        let col = |n: &str, ty: ColType| Column {
            name: n.into(),
            ty,
            not_null: false,
        };
        let s = Schema {
            columns: vec![col("k", ColType::Int(32)), col("d", ColType::Double)],
            key: vec![0],
        };
        let (dir, path, mut store) = sqlite_table("dbl", &s);
        let rows = [
            r#"{"k":1,"d":1.6666666666666667}"#,
            r#"{"k":2,"d":0.1}"#,
            r#"{"k":3,"d":5.0}"#,
            r#"{"k":4,"d":null}"#,
        ];
        let pending: Vec<Pending> = rows.iter().map(|l| pending(l, &s)).collect();
        store.write(pending, &mut Ctx::new(0)).unwrap();
        let rows = dump_table(path.to_str().unwrap(), "t").unwrap();
        assert_eq!(
            rows,
            [
                r#"{"k":1,"d":1.6666666666666667}"#,
                r#"{"k":2,"d":0.1}"#,
                r#"{"k":3,"d":5}"#,
                r#"{"k":4,"d":null}"#,
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
