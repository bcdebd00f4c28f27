//! Lookup joins: `JOIN dim FOR SYSTEM_TIME AS OF PROCTIME() AS d ON d.k = <expr>`.
//!
//! In: stream rows that generated code queues ([`LookupJoin::push`]) with the values
//! of their equality keys, typed like the dimension's key columns. Out, once per batch
//! ([`LookupJoin::resolve`]): every queued row, in queue order, with the dimension
//! rows its key matched ([`DimRows`]: all the table's columns, as store [`Value`]s;
//! empty for a NULL key or a key that matched nothing). Generated code then evaluates
//! the rest of the ON condition and pads for a LEFT join; the helpers [`str`],
//! [`int`], [`float`], ... read a dimension value as a typed local.
//!
//! Where the dimension's rows are (read on first use, from the job in [`Ctx::job`]):
//! - `--input DIM=FILE`: a JSON-lines file, one object of the table's columns per line
//!   (read as the harness's Flink fixture reads it, see [`dimension_file_rows`]),
//!   loaded into an in-memory SQLite database — "the embedded store", which decides
//!   which rows load, as a table of that schema would — then read back once into an
//!   index by lookup key that answers every lookup (each probe of a batch's keys counts
//!   as a round trip, as a query would);
//! - else the table's `url` (`jdbc:mysql://…`, `jdbc:postgresql://…`, `mysql://…`,
//!   `postgres://…`, `sqlite:PATH`), `username`/`userName`, `password`, table
//!   `table-name`/`tableName` (else the SQL name), as store sinks read them;
//! - else SQLite, the embedded default (`$STREAMSQL_SQLITE`, else `./streamsql.db`).
//!
//! `jdbc` (Blink `rds`), `hbase` (Blink `cloudhbase`) and `ots` tables are served: the
//! key-value ones are rowkey → columns tables in the same stores, as store sinks make
//! them. A SQLite file is the job's own: a table missing there is made (empty), as a
//! sink would make it; a server's table must exist.
//!
//! At once ([`LookupJoin::probe`]): a row whose key is answered from memory — the
//! `--input` dimension's index, or the cache — is joined as it comes, as Flink's
//! synchronous lookup join does, without queueing, while no row is queued before it
//! (rows keep their order) and the job does not write the table.
//!
//! How: the distinct keys of a batch not answered by the cache go out in as few
//! queries as `lookup.batch-size` (default 1000 keys) and the databases' parameter
//! limits allow — `WHERE k IN (?, …)`, or `WHERE (k1 = ? AND k2 = ?) OR …` for a
//! composite key — selecting every column as text, ordered by the primary key (else
//! the key columns). The rows that come back are matched to the keys asked for by
//! exact equality in Rust: MySQL's default collation would also return `abc` for
//! `ABC` and `abc ` for `abc`, and Flink's `=` is exact.
//!
//! Cache ([`LookupCache`]; none by default, as in Flink): LRU by key, bounded in keys,
//! entries expiring after write and/or after access, misses cached or not, set by
//! Flink 2's `lookup.cache` = `PARTIAL` with `lookup.partial-cache.*`, Flink 1.x JDBC's
//! `lookup.cache.max-rows`/`lookup.cache.ttl`, or Blink's `cache` = `LRU`/`ALL` with
//! `cacheSize`/`cacheTTLMs` (see [`CacheSettings`]).
//!
//! A table the job also writes (read-your-writes): a sink writing the table the join
//! reads ([`LookupJoin::written_by`], paired by the compiler from their `WITH` options
//! and confirmed with the job's final options) hands each row it writes to the join
//! ([`LookupJoin::wrote`]), which keeps the latest row per primary key for the job's
//! life. **A lookup row sees every row the job wrote to the table before the join
//! emitted it** — earlier rows of the same batch too, before the sink has flushed them
//! to the store, and whatever the cache holds ([`LookupJoin::with_own_writes`]; see
//! [`OwnWrites`]).
//!
//! Failures: a store unreachable at open or mid-run is retried with backoff until
//! `lookup.reconnect-timeout` (default 5 min); a failing query is retried up to
//! `lookup.max-retries` (default 3) times, a transient conflict past that taken for a
//! lost connection. Then [`LookupJoin::resolve`] returns the error, and the job fails.

use crate::driver::{self, Ctx, Options};
use crate::key::{FastHashMap, hash_key};
use crate::store::change::push_key_value;
use crate::store::{ColType, Schema, Value};
use crate::{Date, Decimal, JobInfo, RowKind, Timestamp};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The dimension rows one key matched: each row is all the dimension table's columns,
/// in table order (`TableInfo::columns` order), as store `Value`s. Shared with the
/// cache.
pub type DimRows = Arc<Vec<Vec<Value>>>;

/// `lookup.batch-size`'s default: keys per query.
pub const DEFAULT_BATCH_SIZE: usize = 1000;
/// `lookup.max-retries`'s default (Flink JDBC's).
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// `lookup.reconnect-timeout`'s default, as `sink.reconnect-timeout`'s.
pub const DEFAULT_RECONNECT_TIMEOUT: Duration = crate::store::DEFAULT_RECONNECT_TIMEOUT;
/// Blink's `cacheSize` default.
const BLINK_CACHE_SIZE: usize = 10_000;

/// The runtime half of one lookup join: queued stream rows and, once opened, the
/// dimension table they are looked up in.
///
/// ```
/// use std::sync::Arc;
/// use streamsql_runtime::driver::{Ctx, Options};
/// use streamsql_runtime::lookup::{self, LookupJoin};
/// use streamsql_runtime::store::Value;
/// use streamsql_runtime::{JobInfo, RowKind, TableInfo};
///
/// static INFO: JobInfo = JobInfo {
///     name: "enrich",
///     dialect: "Flink",
///     tables: &[TableInfo {
///         name: "shops",
///         connector: "jdbc",
///         options: &[],
///         columns: &[("code", "STRING NOT NULL"), ("name", "STRING")],
///         primary_key: &["code"],
///     }],
///     sources: &[],
///     sinks: &[],
///     plan: "",
///     settings: &[],
/// };
/// // The dimension's rows from a file, as `--input shops=FILE` gives them.
/// let file = std::env::temp_dir().join(format!("shops-doc-{}.jsonl", std::process::id()));
/// std::fs::write(&file, "{\"code\":\"s1\",\"name\":\"Mall\"}\n").unwrap();
/// let opts = Options {
///     inputs: vec![("shops".into(), file.display().to_string())],
///     ..Options::default()
/// };
/// let mut ctx = Ctx::new(0);
/// ctx.job = Some((&INFO, Arc::new(opts)));
///
/// // JOIN shops FOR SYSTEM_TIME AS OF PROCTIME() AS s ON s.code = o.shop
/// let mut join = LookupJoin::new("shops", &[0]);
/// join.push(RowKind::Insert, "order 1", Some(vec![Value::Str("s1".into())]));
/// join.push(RowKind::Insert, "order 2", Some(vec![Value::Str("s9".into())]));
/// join.push(RowKind::Insert, "order 3", None);
/// assert_eq!(join.len(), 3);
/// let out = join.resolve(&mut ctx).unwrap();
/// assert!(join.is_empty());
/// let (_, row, dims) = out.get(0);
/// assert_eq!(*row, "order 1");
/// assert_eq!(lookup::str(&dims[0][1]), Some("Mall"));
/// assert!(out.get(1).2.is_empty() && out.get(2).2.is_empty());
/// assert_eq!(ctx.counters.lookup_round_trips, 1);
/// std::fs::remove_file(&file).unwrap();
/// ```
pub struct LookupJoin<R> {
    table: &'static str,
    key_columns: &'static [usize],
    /// Queued rows: kind and row.
    queue: Vec<(RowKind, R)>,
    /// Per queued row, where its key values are in `key_values` (`None`: a NULL key).
    row_keys: Vec<Option<(usize, usize)>>,
    /// The queued rows' key values, `key_len` of them in use: the rest are kept so a
    /// string value's buffer is reused by the next batches ([`LookupJoin::key_str`]).
    key_values: Vec<Value>,
    key_len: usize,
    /// Where the key values of the row being queued start.
    key_start: usize,
    /// The text of the queued rows' string columns ([`LookupJoin::hold`]).
    text: String,
    /// The distinct keys of the batch being resolved.
    batch_keys: BatchKeys,
    /// Opened on the first `resolve` with rows to resolve.
    dim: Option<Dimension>,
    /// Sinks of the job that write this table ([`LookupJoin::written_by`]).
    writers: &'static [&'static str],
    /// What they wrote: made on the first write.
    own: Option<OwnWrites>,
    /// The rows of a key that matched nothing ([`LookupJoin::probe`]'s, one for all).
    none: DimRows,
    /// The encoded key of the row [`LookupJoin::probe`] answers.
    probe_key: Vec<u8>,
}

impl<R> std::fmt::Debug for LookupJoin<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupJoin")
            .field("table", &self.table)
            .field("key_columns", &self.key_columns)
            .field("queued", &self.queue.len())
            .field("dim", &self.dim)
            .field("writers", &self.writers)
            .field("own", &self.own)
            .finish()
    }
}

impl<R> LookupJoin<R> {
    /// `table`: the dimension table's SQL name in the job (`ctx.job`'s
    /// `JobInfo::tables`); `key_columns`: indexes into that table's columns of the
    /// equality keys, in the order `push` gives key values. Opens nothing yet.
    pub fn new(table: &'static str, key_columns: &'static [usize]) -> Self {
        LookupJoin {
            table,
            key_columns,
            queue: Vec::new(),
            row_keys: Vec::new(),
            key_values: Vec::new(),
            key_len: 0,
            key_start: 0,
            text: String::new(),
            batch_keys: BatchKeys::default(),
            dim: None,
            writers: &[],
            own: None,
            none: Arc::new(Vec::new()),
            probe_key: Vec::new(),
        }
    }

    /// The job's sinks `sinks` (SQL names) write the table this join looks up, as
    /// their `WITH` options say: their rows are shown to the rows the join emits after
    /// they were written ([`LookupJoin::wrote`], [`LookupJoin::with_own_writes`]).
    pub fn written_by(mut self, sinks: &'static [&'static str]) -> Self {
        self.writers = sinks;
        self
    }

    /// Sink `sink` wrote `row` (its columns, in the sink table's order) as a change of
    /// `kind`: from now on this join's rows see it, before the sink has flushed it and
    /// whatever the cache holds. On the first write from a sink the job's final
    /// options decide whether that sink really writes this table (see
    /// [`OwnWrites`]); if not, its rows are ignored. `-U` rows are ignored (an upsert
    /// table keeps the `+U`), `-D` deletes the row with that primary key.
    pub fn wrote(&mut self, sink: &'static str, kind: RowKind, row: Vec<Value>, ctx: &Ctx) {
        if !self.writers.contains(&sink) {
            return;
        }
        let own = self
            .own
            .get_or_insert_with(|| OwnWrites::new(self.table, self.key_columns, ctx));
        own.apply(sink, kind, row);
    }

    /// The dimension rows row `i` of `resolved` sees: those it matched (the store's or
    /// the cache's), with the rows the job itself has written to the table so far in
    /// their place.
    pub fn with_own_writes(&self, resolved: &Resolved<R>, i: usize) -> DimRows {
        let dims = resolved.get(i).2.clone();
        match (&self.own, resolved.slots[i]) {
            (Some(own), Some(slot)) => own.over(resolved.keys.key(slot), dims),
            // Nothing written yet, or a NULL key (it matches nothing).
            _ => dims,
        }
    }

    /// Queues one input row with its key values, typed like the key columns (`None`:
    /// a key value is NULL — it matches nothing, as SQL `=`).
    pub fn push(&mut self, kind: RowKind, row: R, key: Option<Vec<Value>>) {
        for v in key.into_iter().flatten() {
            self.key_value(v);
        }
        self.push_row(kind, row);
    }

    /// The next key value of the row about to be queued with [`LookupJoin::push_row`]
    /// (generated code's way: no allocation per row for a string key).
    pub fn key_str(&mut self, s: &str) {
        match self.key_values.get_mut(self.key_len) {
            Some(Value::Str(old)) => {
                old.clear();
                old.push_str(s);
            }
            Some(slot) => *slot = Value::Str(s.to_string()),
            None => self.key_values.push(Value::Str(s.to_string())),
        }
        self.key_len += 1;
    }

    /// The next key value of the row about to be queued, of any type.
    pub fn key_value(&mut self, v: Value) {
        match self.key_values.get_mut(self.key_len) {
            Some(slot) => *slot = v,
            None => self.key_values.push(v),
        }
        self.key_len += 1;
    }

    /// Queues one input row with the key values given since the last row
    /// ([`LookupJoin::key_str`], [`LookupJoin::key_value`]); none given: a NULL key,
    /// which matches nothing (SQL `=`).
    pub fn push_row(&mut self, kind: RowKind, row: R) {
        let key = (self.key_len > self.key_start).then_some((self.key_start, self.key_len));
        self.key_start = self.key_len;
        self.queue.push((kind, row));
        self.row_keys.push(key);
    }

    /// Answers the row about to be queued at once, when that takes no round trip
    /// and keeps the rows in order: no row is queued before it, the table is open (the
    /// first batch opens it), the job does not write the table (read-your-writes goes
    /// through the queue), and its key (given since the last row) is NULL or answered
    /// from memory: the `--input` dimension or the cache. Then those key values are
    /// dropped and the dimension rows returned, which the caller joins at once (as
    /// Flink's lookup join does); else `None`, and the caller queues the row with
    /// [`LookupJoin::push_row`]. A probe of the in-memory dimension counts as a round
    /// trip, as a query of its batch would.
    ///
    /// ```
    /// use streamsql_runtime::lookup::LookupJoin;
    /// let mut join = LookupJoin::<()>::new("shops", &[0]);
    /// let mut ctx = streamsql_runtime::driver::Ctx::new(0);
    /// join.key_str("s1");
    /// // Not opened by a batch yet: the row is queued.
    /// assert!(join.probe(&mut ctx).is_none());
    /// ```
    pub fn probe(&mut self, ctx: &mut Ctx) -> Option<DimRows> {
        if !self.queue.is_empty() || !self.writers.is_empty() {
            return None;
        }
        let dim = self.dim.as_mut()?;
        let values = &self.key_values[self.key_start..self.key_len];
        let rows = if values.is_empty() {
            Some(self.none.clone())
        } else {
            self.probe_key.clear();
            match dim.encode_key(values, &mut self.probe_key) {
                // A key value that equals no value of its column matches nothing.
                Ok(false) => Some(self.none.clone()),
                // The queue's resolve reports it.
                Err(_) => None,
                Ok(true) => dim.cached(&self.probe_key, ctx).or_else(|| {
                    let rows = dim.indexed(&self.probe_key, &self.none)?;
                    ctx.counters.lookup_round_trips += 1;
                    ctx.counters.lookup_keys += 1;
                    Some(rows)
                }),
            }
        };
        if rows.is_some() {
            self.key_len = self.key_start;
        }
        rows
    }

    /// Copies a string column of the row about to be queued into the queue's text:
    /// read it back from the [`Resolved`] rows with [`Held::get`].
    pub fn hold(&mut self, s: &str) -> Held {
        let start = self.text.len();
        self.text.push_str(s);
        Held {
            start,
            end: self.text.len(),
        }
    }

    /// Gives back the buffers of resolved rows once they are consumed, so the next
    /// batches reuse them.
    pub fn recycle(&mut self, resolved: Resolved<R>) {
        let Resolved {
            mut rows,
            mut text,
            keys,
            ..
        } = resolved;
        self.batch_keys = keys;
        if self.queue.is_empty() && rows.capacity() > self.queue.capacity() {
            rows.clear();
            self.queue = rows;
        }
        if self.text.is_empty() && text.capacity() > self.text.capacity() {
            text.clear();
            self.text = text;
        }
    }

    /// Rows queued.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Resolves every queued row, in queue order, emptying the queue: on first use
    /// opens the table (from `ctx.job`), answers keys from the cache when one is
    /// configured, and fetches the distinct remaining keys in as few round trips as
    /// possible (many keys per query). A row whose key matched nothing (or was None)
    /// gets an empty `DimRows`. Err (the job then fails): the table cannot be opened
    /// (bad options, no such table) or its store stayed unreachable past the reconnect
    /// timeout.
    pub fn resolve(&mut self, ctx: &mut Ctx) -> Result<Resolved<R>, String> {
        if self.queue.is_empty() {
            return Ok(Resolved::default());
        }
        let resolved = self.resolve_queued(ctx);
        if resolved.is_err() {
            // The job fails: the queue is emptied all the same.
            self.queue.clear();
            self.row_keys.clear();
            self.text.clear();
            (self.key_len, self.key_start) = (0, 0);
        }
        resolved
    }

    fn resolve_queued(&mut self, ctx: &mut Ctx) -> Result<Resolved<R>, String> {
        let dim = match &mut self.dim {
            Some(d) => d,
            None => self
                .dim
                .insert(Dimension::open(self.table, self.key_columns, ctx)?),
        };
        // Each distinct key once, whatever the cache: keys are encoded into one
        // buffer, kept for the next batches, and a key already seen in this batch is
        // dropped from it again (most rows of a batch repeat a key).
        let mut keys = std::mem::take(&mut self.batch_keys);
        keys.clear();
        let mut slots: Vec<Option<usize>> = Vec::with_capacity(self.queue.len());
        for (row, key) in self.row_keys.iter().enumerate() {
            let slot = match *key {
                None => None,
                Some((from, to)) => {
                    let start = keys.bytes.len();
                    if dim.encode_key(&self.key_values[from..to], &mut keys.bytes)? {
                        Some(keys.intern(start, row))
                    } else {
                        keys.bytes.truncate(start);
                        None
                    }
                }
            };
            slots.push(slot);
        }
        let mut answers: Vec<Option<DimRows>> = vec![None; keys.len()];
        // A key the job has written is answered by what it wrote: no query.
        if let Some(own) = &self.own {
            for (i, answer) in answers.iter_mut().enumerate() {
                if own.answers(keys.key(i)) {
                    *answer = Some(self.none.clone());
                }
            }
        }
        if dim.cache.is_some() {
            for (i, answer) in answers.iter_mut().enumerate() {
                if answer.is_none() {
                    *answer = dim.cached(keys.key(i), ctx);
                }
            }
        }
        let missing: Vec<usize> = (0..keys.len()).filter(|&i| answers[i].is_none()).collect();
        for chunk in missing.chunks(dim.keys_per_query()) {
            let asked: Vec<(&[u8], &[Value])> = chunk
                .iter()
                .map(|&i| {
                    // The values of the first row with the key.
                    let (from, to) = self.row_keys[keys.first_row(i)].expect("a key");
                    (keys.key(i), &self.key_values[from..to])
                })
                .collect();
            let found = dim.answer(&asked, &self.none, ctx)?;
            for (&i, rows) in chunk.iter().zip(found) {
                if let Some(cache) = &mut dim.cache {
                    cache.put(keys.key(i).to_vec(), rows.clone(), ctx.now);
                }
                answers[i] = Some(rows);
            }
        }
        let none = self.none.clone();
        let answers = answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| none.clone()))
            .collect();
        self.row_keys.clear();
        self.key_len = 0;
        self.key_start = 0;
        Ok(Resolved {
            rows: std::mem::take(&mut self.queue),
            slots,
            answers,
            none,
            keys,
            text: std::mem::take(&mut self.text),
        })
    }
}

/// The rows of one [`LookupJoin::resolve`], in queue order: each row's kind, the row
/// as queued, and the dimension rows its key matched (shared by the rows with that
/// key); and the text its [`Held`] strings are in.
#[derive(Debug)]
pub struct Resolved<R> {
    rows: Vec<(RowKind, R)>,
    /// Per row, its key's index in `answers` and `keys` (`None`: a NULL key).
    slots: Vec<Option<usize>>,
    answers: Vec<DimRows>,
    /// What a NULL key matches.
    none: DimRows,
    /// The batch's distinct keys (for [`LookupJoin::with_own_writes`]), given back by
    /// [`LookupJoin::recycle`].
    keys: BatchKeys,
    text: String,
}

impl<R> Default for Resolved<R> {
    fn default() -> Self {
        Resolved {
            rows: Vec::new(),
            slots: Vec::new(),
            answers: Vec::new(),
            none: Arc::new(Vec::new()),
            keys: BatchKeys::default(),
            text: String::new(),
        }
    }
}

impl<R> Resolved<R> {
    /// Rows resolved.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i`: its kind, the row as queued, the dimension rows its key matched.
    /// Panics past the end, as indexing does.
    pub fn get(&self, i: usize) -> (RowKind, &R, &DimRows) {
        let (kind, row) = &self.rows[i];
        let dims = self.slots[i].map_or(&self.none, |s| &self.answers[s]);
        (*kind, row, dims)
    }

    /// The rows in queue order, as [`Resolved::get`] gives them.
    pub fn iter(&self) -> impl Iterator<Item = (RowKind, &R, &DimRows)> {
        (0..self.rows.len()).map(|i| self.get(i))
    }

    /// The text the rows' [`Held`] strings are in.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A string column of a queued row, kept in its join's text ([`LookupJoin::hold`]):
/// no allocation per value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    start: usize,
    end: usize,
}

impl Held {
    /// The string, from the [`Resolved::text`] of the rows it was queued with.
    pub fn get(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// The distinct encoded keys of one batch, in one buffer: each key's bytes, and the
/// first queued row with that key (whose values are asked for).
#[derive(Debug, Default)]
struct BatchKeys {
    bytes: Vec<u8>,
    /// Per key: (start, end) in `bytes`, first row.
    keys: Vec<(usize, usize, usize)>,
    /// Key hash → the last key with that hash; `next` chains the earlier ones.
    heads: FastHashMap<u64, usize>,
    next: Vec<Option<usize>>,
}

impl BatchKeys {
    fn clear(&mut self) {
        self.bytes.clear();
        self.keys.clear();
        self.heads.clear();
        self.next.clear();
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn key(&self, i: usize) -> &[u8] {
        let (start, end, _) = self.keys[i];
        &self.bytes[start..end]
    }

    fn first_row(&self, i: usize) -> usize {
        self.keys[i].2
    }

    /// The index of the key encoded at `bytes[start..]`, queued by `row`: an earlier
    /// key's when equal (the new bytes are dropped), else a new one.
    fn intern(&mut self, start: usize, row: usize) -> usize {
        let h = hash_key(&self.bytes[start..]);
        let mut at = self.heads.get(&h).copied();
        while let Some(i) = at {
            let (s, e, _) = self.keys[i];
            if self.bytes[s..e] == self.bytes[start..] {
                self.bytes.truncate(start);
                return i;
            }
            at = self.next[i];
        }
        let i = self.keys.len();
        self.keys.push((start, self.bytes.len(), row));
        self.next.push(self.heads.insert(h, i));
        i
    }
}

/// The fetched rows whose key values exactly equal one of `asked` (encoded keys), per
/// key, in the order the database returned them; other rows are dropped (a
/// case- or trailing-space-insensitive collation returns more than `=` means).
fn match_rows<'a>(
    rows: Vec<Vec<Value>>,
    schema: &Schema,
    key_columns: &[usize],
    asked: impl Iterator<Item = &'a [u8]>,
) -> HashMap<Vec<u8>, Vec<Vec<Value>>> {
    let mut found: HashMap<Vec<u8>, Vec<Vec<Value>>> =
        asked.map(|k| (k.to_vec(), Vec::new())).collect();
    for row in rows {
        let key = key_bytes(
            key_columns
                .iter()
                .map(|&c| (&row[c], &schema.columns[c].ty)),
        );
        if let Some(matched) = found.get_mut(&key) {
            matched.push(row);
        }
    }
    found
}

/// Key values encoded into bytes that are equal exactly when the values are (as store
/// sinks key their rows: [`push_key_value`]).
fn key_bytes<'a>(values: impl Iterator<Item = (&'a Value, &'a ColType)>) -> Vec<u8> {
    let mut b = Vec::new();
    for (v, ty) in values {
        push_key_value(&mut b, v, ty);
    }
    b
}

/// A key value as its column holds it, where that is exact (an INT for a DECIMAL(p, s)
/// or DOUBLE column, a DECIMAL at the column's scale), so it compares with what the
/// database returns; anything else is kept as given (borrowed: no copy). `None`: NULL,
/// which matches nothing.
fn normalize<'v>(v: &'v Value, ty: &ColType) -> Option<Cow<'v, Value>> {
    Some(Cow::Owned(match (v, ty) {
        (Value::Null, _) => return None,
        (Value::Int(i), ColType::Float | ColType::Double) => Value::Float(*i as f64),
        (Value::Decimal(d), ColType::Float | ColType::Double) => {
            Value::Float(d.to_string().parse().unwrap_or(f64::NAN))
        }
        (Value::Int(i), ColType::Decimal(_, s)) => rescale(
            Decimal {
                unscaled: i128::from(*i),
                scale: 0,
            },
            *s,
        ),
        (Value::Decimal(d), ColType::Decimal(_, s)) => rescale(*d, *s),
        (Value::Decimal(d), ColType::Int(_)) if d.scale == 0 => match i64::try_from(d.unscaled) {
            Ok(i) => Value::Int(i),
            Err(_) => return Some(Cow::Borrowed(v)),
        },
        _ => return Some(Cow::Borrowed(v)),
    }))
}

/// `d` at scale `s` when no digit is lost; else `d` as it is (it then equals no value
/// of the column).
fn rescale(d: Decimal, s: u8) -> Value {
    let exact = if s >= d.scale {
        10i128
            .checked_pow(u32::from(s - d.scale))
            .and_then(|p| d.unscaled.checked_mul(p))
    } else {
        let p = 10i128.pow(u32::from(d.scale - s));
        (d.unscaled % p == 0).then(|| d.unscaled / p)
    };
    Value::Decimal(match exact {
        Some(unscaled) => Decimal { unscaled, scale: s },
        None => d,
    })
}

// ---------------------------------------------------------------------------------
// The job's own writes.

/// The rows the job's sinks wrote to a table one of its lookup joins reads
/// (read-your-writes), by primary key, for the job's life: the latest row written per
/// key, or a deletion. They win over the store and the cache, so a lookup row sees
/// every row written before the join emitted it — also earlier in the same batch, and
/// before the sink has flushed it to the store.
///
/// Whether a sink writes the table is decided on its first write with the job's final
/// options (`--set`, `--input`, `--output`): it does when it goes to its store (no
/// `--output` file), with the same connector family and physical table
/// (`table-name`/`tableName`, else the SQL name; ASCII case ignored) and, unless the
/// dimension is served from a `--input` file (its rows are then the table's rows at
/// the start), the same `url`. Sink columns go to the dimension's columns of the same
/// name; a dimension column the sink does not write is NULL in a written row. The row
/// is identified by the dimension's primary key, else the sink's; with neither, a
/// sink's writes cannot replace rows and are not shown (said once on stderr).
struct OwnWrites {
    table: &'static str,
    schema: Schema,
    /// The lookup key's columns.
    key_columns: &'static [usize],
    /// The columns identifying a row (primary key), if known yet.
    identity: Vec<usize>,
    /// Per sink seen: the dimension column of each of its columns, or `None` when the
    /// sink does not write this table under the job's options.
    sinks: Vec<(&'static str, Option<Vec<Option<usize>>>)>,
    /// Identity → the rows written (one; none: deleted).
    rows: HashMap<Vec<u8>, DimRows>,
    /// Lookup key → identities of rows written with that key, when the key is not the
    /// identity (then a key may match rows the job wrote and rows it did not).
    by_key: HashMap<Vec<u8>, std::collections::BTreeSet<Vec<u8>>>,
    /// The job and its options (`None`: no job, nothing is shown).
    job: Option<(&'static JobInfo, Arc<Options>)>,
}

impl std::fmt::Debug for OwnWrites {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnWrites")
            .field("table", &self.table)
            .field("rows", &self.rows.len())
            .finish()
    }
}

impl OwnWrites {
    fn new(table: &'static str, key_columns: &'static [usize], ctx: &Ctx) -> OwnWrites {
        let job = ctx.job.clone();
        let schema = job
            .as_ref()
            .and_then(|(info, _)| info.table(table))
            .map(Schema::of)
            .unwrap_or(Schema {
                columns: Vec::new(),
                key: Vec::new(),
            });
        OwnWrites {
            table,
            identity: schema.key.clone(),
            schema,
            key_columns,
            sinks: Vec::new(),
            rows: HashMap::new(),
            by_key: HashMap::new(),
            job,
        }
    }

    /// Sink `sink`'s column → dimension column map, made on its first write.
    fn columns_of(&mut self, sink: &'static str) -> Option<&[Option<usize>]> {
        let n = match self.sinks.iter().position(|(s, _)| *s == sink) {
            Some(n) => n,
            None => {
                let map = self.map_sink(sink);
                self.sinks.push((sink, map));
                self.sinks.len() - 1
            }
        };
        self.sinks[n].1.as_deref()
    }

    fn map_sink(&mut self, sink: &'static str) -> Option<Vec<Option<usize>>> {
        let (info, opts) = self.job.as_ref()?;
        let dim = info.table(self.table)?;
        let out = info.table(sink)?;
        if !same_table(info, opts, dim, out) {
            return None;
        }
        let map: Vec<Option<usize>> = out
            .columns
            .iter()
            .map(|(name, _)| {
                self.schema
                    .columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
            .collect();
        if self.identity.is_empty() {
            // No primary key on the dimension: the sink's, if every column maps.
            let key: Option<Vec<usize>> = Schema::of(out).key.iter().map(|&c| map[c]).collect();
            self.identity = key.unwrap_or_default();
        }
        if self.identity.is_empty() {
            eprintln!(
                "lookup `{}`: sink `{sink}` writes the table, but neither has a primary key to tell its rows apart: its writes are not shown to the lookup",
                self.table
            );
            return None;
        }
        Some(map)
    }

    fn apply(&mut self, sink: &'static str, kind: RowKind, values: Vec<Value>) {
        if kind == RowKind::UpdateBefore {
            return;
        }
        let width = self.schema.columns.len();
        let Some(map) = self.columns_of(sink) else {
            return;
        };
        let mut row = vec![Value::Null; width];
        for (v, to) in values.into_iter().zip(map) {
            if let Some(c) = to {
                row[*c] = v;
            }
        }
        let Some(id) = self.encode(&self.identity, &row) else {
            // A NULL primary key: the sink refuses the row too.
            return;
        };
        let rows: DimRows = Arc::new(if kind == RowKind::Delete {
            Vec::new()
        } else {
            vec![row]
        });
        if self.key_columns != self.identity.as_slice() {
            let old_key = self
                .rows
                .get(&id)
                .and_then(|r| r.first())
                .and_then(|r| self.encode(self.key_columns, r));
            if let Some(k) = old_key
                && let Some(ids) = self.by_key.get_mut(&k)
            {
                ids.remove(&id);
            }
            if let Some(k) = rows.first().and_then(|r| self.encode(self.key_columns, r)) {
                self.by_key.entry(k).or_default().insert(id.clone());
            }
        }
        self.rows.insert(id, rows);
    }

    /// `columns` of `row` encoded as lookup keys are (see [`Dimension::encode_key`]);
    /// `None` when one is NULL.
    fn encode(&self, columns: &[usize], row: &[Value]) -> Option<Vec<u8>> {
        let mut b = Vec::new();
        for &c in columns {
            let ty = &self.schema.columns[c].ty;
            let v = normalize(&row[c], ty)?;
            push_key_value(&mut b, &v, ty);
        }
        Some(b)
    }

    /// Whether the rows of lookup key `key` are all known here (the key is the
    /// identity and the job wrote that row): no need to ask the store.
    fn answers(&self, key: &[u8]) -> bool {
        self.key_columns == self.identity.as_slice() && self.rows.contains_key(key)
    }

    /// The rows lookup key `key` matches: `dims` (the store's), with the job's own
    /// rows in place of those it wrote.
    fn over(&self, key: &[u8], dims: DimRows) -> DimRows {
        if self.rows.is_empty() {
            return dims;
        }
        if self.key_columns == self.identity.as_slice() {
            return match self.rows.get(key) {
                Some(rows) => rows.clone(),
                None => dims,
            };
        }
        let mut out: Vec<Vec<Value>> = dims
            .iter()
            .filter(|r| {
                self.encode(&self.identity, r)
                    .is_none_or(|id| !self.rows.contains_key(&id))
            })
            .cloned()
            .collect();
        for id in self.by_key.get(key).into_iter().flatten() {
            if let Some(rows) = self.rows.get(id) {
                out.extend(rows.iter().cloned());
            }
        }
        Arc::new(out)
    }
}

/// Whether sink table `sink` writes dimension table `dim` under the job's final
/// options (see [`OwnWrites`]).
fn same_table(
    info: &JobInfo,
    opts: &Options,
    dim: &crate::TableInfo,
    sink: &crate::TableInfo,
) -> bool {
    if opts.outputs.iter().any(|(t, _)| t == sink.name) {
        return false;
    }
    let get = |t: &crate::TableInfo, keys: &[&str]| {
        keys.iter()
            .find_map(|k| driver::option(info, opts, t.name, k))
    };
    let physical = |t: &crate::TableInfo| get(t, &["table-name", "tableName"]).unwrap_or(t.name);
    dim.connector == sink.connector
        && physical(dim).eq_ignore_ascii_case(physical(sink))
        && (opts.inputs.iter().any(|(t, _)| t == dim.name)
            || get(dim, &["url"]) == get(sink, &["url"]))
}

// ---------------------------------------------------------------------------------
// Options.

/// A lookup cache's settings, from whichever dialect's options the table has.
///
/// - Flink 2: `lookup.cache` = `NONE` | `PARTIAL` (case-insensitive; `PARTIAL` needs
///   at least one of the next three), `lookup.partial-cache.max-rows`,
///   `lookup.partial-cache.expire-after-write`, `lookup.partial-cache.expire-after-access`
///   (durations: `10 min`, `1 h`, `30s`), `lookup.partial-cache.cache-missing-key`
///   (default true).
/// - Flink 1.x JDBC: `lookup.cache.max-rows` (a cache when set) with `lookup.cache.ttl`
///   (expire after write; none: never) and `lookup.cache.caching-missing-key` (true).
/// - Blink: `cache` = `None` | `LRU` | `ALL` (case-insensitive), `cacheSize` (LRU's
///   bound, default 10000), `cacheTTLMs` (expire after write, milliseconds). `ALL` —
///   Blink's whole-table cache, reloaded every `cacheTTLMs` — is served as an LRU
///   without a size bound whose entries expire after `cacheTTLMs`: the same answers,
///   loaded key by key.
///
/// `lookup.cache` wins over the 1.x options, which win over Blink's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    /// Keys (cache entries) kept at most; `None`: no bound.
    pub max_rows: Option<usize>,
    pub expire_after_write: Option<Duration>,
    pub expire_after_access: Option<Duration>,
    /// Whether a key that matched nothing is cached (as an empty answer).
    pub cache_missing_key: bool,
}

impl CacheSettings {
    /// The settings `table`'s options give (`None`: no cache), or an error naming
    /// the table, the option and the bad value.
    pub fn of(
        info: &JobInfo,
        opts: &Options,
        table: &str,
    ) -> Result<Option<CacheSettings>, String> {
        let get = |key: &str| driver::option(info, opts, table, key);
        if let Some(mode) = get("lookup.cache") {
            return match mode.trim().to_ascii_uppercase().as_str() {
                "NONE" => Ok(None),
                "PARTIAL" => {
                    let s = CacheSettings {
                        max_rows: parse_opt(
                            info,
                            opts,
                            table,
                            "lookup.partial-cache.max-rows",
                            count,
                        )?,
                        expire_after_write: parse_opt(
                            info,
                            opts,
                            table,
                            "lookup.partial-cache.expire-after-write",
                            driver::parse_duration,
                        )?,
                        expire_after_access: parse_opt(
                            info,
                            opts,
                            table,
                            "lookup.partial-cache.expire-after-access",
                            driver::parse_duration,
                        )?,
                        cache_missing_key: parse_opt(
                            info,
                            opts,
                            table,
                            "lookup.partial-cache.cache-missing-key",
                            flag,
                        )?
                        .unwrap_or(true),
                    };
                    if s.max_rows.is_none()
                        && s.expire_after_write.is_none()
                        && s.expire_after_access.is_none()
                    {
                        return Err(format!(
                            "lookup `{table}`: 'lookup.cache' = '{mode}' needs 'lookup.partial-cache.max-rows', 'lookup.partial-cache.expire-after-write' or 'lookup.partial-cache.expire-after-access'"
                        ));
                    }
                    Ok(Some(s))
                }
                _ => Err(format!(
                    "lookup `{table}`: 'lookup.cache' = '{mode}': expected NONE or PARTIAL"
                )),
            };
        }
        if let Some(max_rows) = parse_opt(info, opts, table, "lookup.cache.max-rows", count)? {
            return Ok(Some(CacheSettings {
                max_rows: Some(max_rows),
                expire_after_write: parse_opt(
                    info,
                    opts,
                    table,
                    "lookup.cache.ttl",
                    driver::parse_duration,
                )?,
                expire_after_access: None,
                cache_missing_key: parse_opt(
                    info,
                    opts,
                    table,
                    "lookup.cache.caching-missing-key",
                    flag,
                )?
                .unwrap_or(true),
            }));
        }
        if let Some(mode) = get("cache") {
            let max_rows = match mode.trim().to_ascii_uppercase().as_str() {
                "NONE" => return Ok(None),
                "LRU" => Some(
                    parse_opt(info, opts, table, "cacheSize", count)?.unwrap_or(BLINK_CACHE_SIZE),
                ),
                "ALL" => None,
                _ => {
                    return Err(format!(
                        "lookup `{table}`: 'cache' = '{mode}': expected None, LRU or ALL"
                    ));
                }
            };
            return Ok(Some(CacheSettings {
                max_rows,
                expire_after_write: parse_opt(info, opts, table, "cacheTTLMs", |v| {
                    v.trim()
                        .parse::<u64>()
                        .map(Duration::from_millis)
                        .map_err(|_| "expected milliseconds".to_string())
                })?,
                expire_after_access: None,
                cache_missing_key: true,
            }));
        }
        Ok(None)
    }
}

/// An option parsed by `parse` (`None` when the table does not set it), or an error
/// naming the table, the option and its value.
fn parse_opt<T>(
    info: &JobInfo,
    opts: &Options,
    table: &str,
    key: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match driver::option(info, opts, table, key) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .map_err(|e| format!("lookup `{table}`: '{key}' = '{v}': {e}")),
    }
}

fn count<T: std::str::FromStr>(v: &str) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| "expected a whole number".to_string())
}

fn flag(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

// ---------------------------------------------------------------------------------
// The cache.

/// Answers by key, least recently used evicted first when `max_rows` keys are held;
/// an entry older than `expire_after_write`, or not asked for within
/// `expire_after_access`, is a miss (and dropped when asked for, or when it reaches the
/// least-recently-used end). Times are the batches' `Ctx::now`. Keys are encoded key
/// values (what [`LookupJoin`] asks for), any bytes here.
///
/// ```
/// use std::sync::Arc;
/// use std::time::{Duration, Instant};
/// use streamsql_runtime::lookup::{CacheSettings, LookupCache};
/// use streamsql_runtime::store::Value;
///
/// let mut cache = LookupCache::new(CacheSettings {
///     max_rows: Some(2),
///     expire_after_write: Some(Duration::from_secs(60)),
///     expire_after_access: None,
///     cache_missing_key: true,
/// });
/// let now = Instant::now();
/// let rows = Arc::new(vec![vec![Value::Str("Mall".into())]]);
/// cache.put(b"s1".to_vec(), rows.clone(), now);
/// cache.put(b"s2".to_vec(), Arc::new(Vec::new()), now); // a miss, cached
/// assert_eq!(cache.get(b"s1", now), Some(rows));
/// cache.put(b"s3".to_vec(), Arc::new(Vec::new()), now); // evicts s2, used least recently
/// assert_eq!((cache.len(), cache.get(b"s2", now)), (2, None));
/// assert_eq!(cache.get(b"s1", now + Duration::from_secs(60)), None); // expired
/// ```
#[derive(Debug)]
pub struct LookupCache {
    settings: CacheSettings,
    entries: HashMap<Vec<u8>, CacheEntry>,
    /// Keys by their last use, least recent first.
    by_use: BTreeMap<u64, Vec<u8>>,
    uses: u64,
}

#[derive(Debug)]
struct CacheEntry {
    rows: DimRows,
    written: Instant,
    used: Instant,
    /// The entry's key in `by_use`.
    use_stamp: u64,
}

impl LookupCache {
    pub fn new(settings: CacheSettings) -> LookupCache {
        LookupCache {
            settings,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
            uses: 0,
        }
    }

    /// Keys held (expired ones included until they are dropped).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn expired(&self, e: &CacheEntry, now: Instant) -> bool {
        let past = |since: Instant, limit: Option<Duration>| {
            limit.is_some_and(|d| now.saturating_duration_since(since) >= d)
        };
        past(e.written, self.settings.expire_after_write)
            || past(e.used, self.settings.expire_after_access)
    }

    /// The cached answer for `key` (an encoded key), if it is there and fresh.
    pub fn get(&mut self, key: &[u8], now: Instant) -> Option<DimRows> {
        let e = self.entries.get(key)?;
        if self.expired(e, now) {
            self.remove(key);
            return None;
        }
        self.uses += 1;
        let stamp = self.uses;
        let e = self.entries.get_mut(key).expect("checked above");
        let key = self
            .by_use
            .remove(&e.use_stamp)
            .expect("every entry is in by_use");
        self.by_use.insert(stamp, key);
        e.use_stamp = stamp;
        e.used = now;
        Some(e.rows.clone())
    }

    /// Caches `rows` as the answer for `key` (an empty answer only when misses are
    /// cached), evicting the least recently used keys past `max_rows`.
    pub fn put(&mut self, key: Vec<u8>, rows: DimRows, now: Instant) {
        self.remove(&key);
        if rows.is_empty() && !self.settings.cache_missing_key {
            return;
        }
        self.uses += 1;
        self.by_use.insert(self.uses, key.clone());
        self.entries.insert(
            key,
            CacheEntry {
                rows,
                written: now,
                used: now,
                use_stamp: self.uses,
            },
        );
        // The bound, then expired entries at the cold end, so an unbounded cache
        // with a TTL does not keep keys that are never asked for again.
        while let Some((_, oldest)) = self.by_use.first_key_value() {
            let over = self
                .settings
                .max_rows
                .is_some_and(|m| self.entries.len() > m);
            if !over && !self.expired(&self.entries[oldest], now) {
                break;
            }
            let oldest = oldest.clone();
            self.remove(&oldest);
        }
    }

    fn remove(&mut self, key: &[u8]) {
        if let Some(e) = self.entries.remove(key) {
            self.by_use.remove(&e.use_stamp);
        }
    }
}

// ---------------------------------------------------------------------------------
// The dimension table.

/// An opened dimension table: its columns, where its rows are, its cache.
#[derive(Debug)]
struct Dimension {
    name: &'static str,
    schema: Schema,
    key_columns: &'static [usize],
    batch_size: usize,
    cache: Option<LookupCache>,
    /// A dimension served from a `--input` file: every row of its embedded table, by
    /// encoded lookup key (in the order a query returns them). Keys are answered from
    /// here, without a query; the embedded table only decided which rows load.
    index: Option<FastHashMap<Vec<u8>, DimRows>>,
    #[cfg(feature = "db")]
    source: sql_source::SqlSource,
}

impl Dimension {
    fn open(
        name: &'static str,
        key_columns: &'static [usize],
        ctx: &mut Ctx,
    ) -> Result<Dimension, String> {
        let (info, opts) = ctx.job.clone().ok_or_else(|| {
            format!("lookup `{name}`: no job to open the table from (Ctx::job is not set)")
        })?;
        let table = info
            .table(name)
            .ok_or_else(|| format!("lookup `{name}`: the job has no table `{name}`"))?;
        if !matches!(table.connector, "jdbc" | "hbase" | "ots") {
            return Err(format!(
                "lookup `{name}`: connector `{}` cannot serve lookups (jdbc/rds, hbase/cloudhbase and ots tables can)",
                table.connector
            ));
        }
        let schema = Schema::of(table);
        if key_columns.is_empty() || key_columns.iter().any(|&c| c >= schema.columns.len()) {
            return Err(format!(
                "lookup `{name}`: key columns {key_columns:?} are not columns of the table ({} columns)",
                schema.columns.len()
            ));
        }
        let batch_size = parse_opt(info, &opts, name, "lookup.batch-size", |v| {
            count::<usize>(v).and_then(|n| {
                if n == 0 {
                    Err("expected at least 1".to_string())
                } else {
                    Ok(n)
                }
            })
        })?
        .unwrap_or(DEFAULT_BATCH_SIZE);
        let cache = CacheSettings::of(info, &opts, name)?.map(LookupCache::new);
        #[cfg(feature = "db")]
        {
            let mut source =
                sql_source::SqlSource::open(info, &opts, table, &schema, key_columns, ctx)?;
            // An embedded table is read once, whole, into an index: it cannot change
            // behind the job's back, and a query per batch (a thread hop into the
            // database driver) costs more than the join itself.
            let index = if source.in_memory {
                let mut index: FastHashMap<Vec<u8>, Vec<Vec<Value>>> = FastHashMap::default();
                for row in source.all_rows(&schema, ctx)? {
                    let key = key_bytes(
                        key_columns
                            .iter()
                            .map(|&c| (&row[c], &schema.columns[c].ty)),
                    );
                    index.entry(key).or_default().push(row);
                }
                source.close();
                Some(
                    index
                        .into_iter()
                        .map(|(k, rows)| (k, Arc::new(rows)))
                        .collect(),
                )
            } else {
                None
            };
            Ok(Dimension {
                name,
                schema,
                key_columns,
                batch_size,
                cache,
                index,
                source,
            })
        }
        #[cfg(not(feature = "db"))]
        {
            let _ = (batch_size, cache);
            Err(format!(
                "lookup `{name}`: this build cannot read dimension tables (they need the runtime's `db` feature)"
            ))
        }
    }

    /// Appends a queued key to `buf`, each value as its column holds it (see
    /// [`normalize`]), encoded as [`key_bytes`] does: what the batch and the cache are
    /// keyed by. `false` when a value is NULL (the key matches nothing; part of it may
    /// have been written).
    fn encode_key(&self, values: &[Value], buf: &mut Vec<u8>) -> Result<bool, String> {
        if values.len() != self.key_columns.len() {
            return Err(format!(
                "lookup `{}`: a key of {} values for {} key columns",
                self.name,
                values.len(),
                self.key_columns.len()
            ));
        }
        for (v, &c) in values.iter().zip(self.key_columns) {
            let ty = &self.schema.columns[c].ty;
            let Some(v) = normalize(v, ty) else {
                return Ok(false);
            };
            push_key_value(buf, &v, ty);
        }
        Ok(true)
    }

    /// The key values to ask a database for: `values` (not NULL:
    /// [`Dimension::encode_key`] said so) as their columns hold them.
    fn asked_values(&self, values: &[Value]) -> Vec<Value> {
        values
            .iter()
            .zip(self.key_columns)
            .filter_map(|(v, &c)| normalize(v, &self.schema.columns[c].ty))
            .map(Cow::into_owned)
            .collect()
    }

    /// Keys per query: `lookup.batch-size`, and under the databases' parameter limits.
    fn keys_per_query(&self) -> usize {
        #[cfg(feature = "db")]
        let limit = crate::store::sql::MAX_PARAMS / self.key_columns.len();
        #[cfg(not(feature = "db"))]
        let limit = usize::MAX;
        self.batch_size.min(limit).max(1)
    }

    /// The cache's answer for `key`, counted as a hit.
    #[inline]
    fn cached(&mut self, key: &[u8], ctx: &mut Ctx) -> Option<DimRows> {
        let hit = self.cache.as_mut()?.get(key, ctx.now);
        ctx.counters.lookup_cache_hits += u64::from(hit.is_some());
        hit
    }

    /// The in-memory dimension's rows of `key` (`none` when it has none); `None`
    /// when the dimension is not in memory.
    #[inline]
    fn indexed(&self, key: &[u8], none: &DimRows) -> Option<DimRows> {
        let index = self.index.as_ref()?;
        Some(index.get(key).cloned().unwrap_or_else(|| none.clone()))
    }

    /// The rows of each of `keys` (encoded, with the values of a row that asks; at
    /// most `keys_per_query`), in one round trip: a query, or a probe of the index of
    /// a table served from a file.
    fn answer(
        &mut self,
        keys: &[(&[u8], &[Value])],
        none: &DimRows,
        ctx: &mut Ctx,
    ) -> Result<Vec<DimRows>, String> {
        ctx.counters.lookup_round_trips += 1;
        ctx.counters.lookup_keys += keys.len() as u64;
        let indexed: Option<Vec<DimRows>> =
            keys.iter().map(|(k, _)| self.indexed(k, none)).collect();
        if let Some(rows) = indexed {
            return Ok(rows);
        }
        let values: Vec<Vec<Value>> = keys.iter().map(|(_, v)| self.asked_values(v)).collect();
        let asked: Vec<&[Value]> = values.iter().map(Vec::as_slice).collect();
        let rows = self.fetch(&asked, ctx)?;
        let mut found = match_rows(
            rows,
            &self.schema,
            self.key_columns,
            keys.iter().map(|(k, _)| *k),
        );
        Ok(keys
            .iter()
            .map(|(k, _)| Arc::new(found.remove(*k).unwrap_or_default()))
            .collect())
    }

    /// The rows whose keys are among `keys` (and maybe more: see [`match_rows`]), in
    /// one query.
    fn fetch(&mut self, keys: &[&[Value]], ctx: &mut Ctx) -> Result<Vec<Vec<Value>>, String> {
        #[cfg(feature = "db")]
        {
            self.source.fetch(&self.schema, self.key_columns, keys, ctx)
        }
        #[cfg(not(feature = "db"))]
        {
            let _ = (keys, ctx);
            Err(format!("lookup `{}`: no store", self.name))
        }
    }
}

#[cfg(feature = "db")]
mod sql_source {
    //! Dimension rows from a SQL database: the servers, a SQLite file, or a JSON-lines
    //! file loaded into an in-memory SQLite database.

    use super::{
        DEFAULT_MAX_RETRIES, DEFAULT_RECONNECT_TIMEOUT, count, dimension_file_rows, parse_opt,
    };
    use crate::driver::{self, Ctx, Options};
    use crate::store::change::value_from_text;
    use crate::store::retry::Backoff;
    use crate::store::sql::{
        Dialect, Failure, Link, Statement, Target, arg, classify, create_sql, message, param,
        quote, statements,
    };
    use crate::store::{ColType, Schema, Value, default_sqlite};
    use crate::{JobInfo, TableInfo};
    use std::time::Duration;

    #[derive(Debug)]
    pub(super) struct SqlSource {
        name: &'static str,
        link: Link,
        dialect: Dialect,
        /// `SELECT <every column as text> FROM <table> WHERE ` .
        select: String,
        /// ` ORDER BY <primary key, else key columns>`.
        order_by: String,
        /// The in-memory store a file was loaded into: a new connection would be
        /// empty, so its failures are not retried.
        pub(super) in_memory: bool,
        max_retries: u32,
        reconnect_timeout: Duration,
        /// Whether an unreadable value has been reported on stderr (once per table).
        reported_bad_value: bool,
    }

    /// Every column of `schema` as text, NULL kept (BYTES as hex).
    fn text_columns(d: Dialect, schema: &Schema) -> String {
        let exprs: Vec<String> = schema
            .columns
            .iter()
            .map(|c| {
                let q = quote(d, &c.name);
                match (d, &c.ty) {
                    (Dialect::MySql, ColType::Bytes(_)) => format!("HEX({q})"),
                    (Dialect::MySql, _) => format!("CAST({q} AS CHAR)"),
                    (Dialect::Postgres, ColType::Bytes(_)) => format!("encode({q}, 'hex')"),
                    (Dialect::Postgres, _) => format!("CAST({q} AS TEXT)"),
                    // SQLite prints a REAL with 15 digits: 17 (`!`) read back exactly.
                    (Dialect::Sqlite, ColType::Float | ColType::Double) => {
                        format!("CASE WHEN {q} IS NULL THEN NULL ELSE printf('%!.17g', {q}) END")
                    }
                    // hex(NULL) is '', not NULL.
                    (Dialect::Sqlite, ColType::Bytes(_)) => {
                        format!("CASE WHEN {q} IS NULL THEN NULL ELSE hex({q}) END")
                    }
                    (Dialect::Sqlite, _) => format!("CAST({q} AS TEXT)"),
                }
            })
            .collect();
        exprs.join(", ")
    }

    impl SqlSource {
        /// Reads the table's options, loads a `--input` file into the embedded store or
        /// connects to the table's store (waiting for one that is not up yet), and
        /// checks that the table and its columns are there.
        pub(super) fn open(
            info: &JobInfo,
            opts: &Options,
            table: &TableInfo,
            schema: &Schema,
            key_columns: &[usize],
            ctx: &mut Ctx,
        ) -> Result<SqlSource, String> {
            let name = table.name;
            let get = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| driver::option(info, opts, name, k))
            };
            let max_retries = parse_opt(info, opts, name, "lookup.max-retries", count)?
                .unwrap_or(DEFAULT_MAX_RETRIES);
            let reconnect_timeout = parse_opt(
                info,
                opts,
                name,
                "lookup.reconnect-timeout",
                driver::parse_duration,
            )?
            .unwrap_or(DEFAULT_RECONNECT_TIMEOUT);
            let file = opts
                .inputs
                .iter()
                .find(|(t, _)| t == name)
                .map(|(_, p)| p.clone());
            let (target, db_table) = match (&file, get(&["url"])) {
                (Some(_), _) => (Target::sqlite("sqlite::memory:"), name.to_string()),
                (None, url) => {
                    let target = match url {
                        Some(url) => {
                            let mut t =
                                Target::parse(url).map_err(|e| format!("lookup `{name}`: {e}"))?;
                            t.username = get(&["username", "userName"]).map(str::to_string);
                            t.password = get(&["password"]).map(str::to_string);
                            t
                        }
                        None => {
                            Target::sqlite(&default_sqlite(std::env::var("STREAMSQL_SQLITE").ok()))
                        }
                    };
                    let db_table = get(&["table-name", "tableName"])
                        .unwrap_or(name)
                        .to_string();
                    (target, db_table)
                }
            };
            let d = target.dialect;
            let order: Vec<usize> = if schema.key.is_empty() {
                key_columns.to_vec()
            } else {
                schema.key.clone()
            };
            let order: Vec<String> = order
                .iter()
                .map(|&c| quote(d, &schema.columns[c].name))
                .collect();
            let mut s = SqlSource {
                name,
                link: Link::new(&target).map_err(|e| format!("lookup `{name}`: {e}"))?,
                dialect: d,
                select: format!(
                    "SELECT {} FROM {} WHERE ",
                    text_columns(d, schema),
                    quote(d, &db_table)
                ),
                order_by: format!(" ORDER BY {}", order.join(", ")),
                in_memory: file.is_some(),
                max_retries,
                reconnect_timeout,
                reported_bad_value: false,
            };
            // A SQLite database is the job's own: a table missing there is made (the
            // file's rows go into it), as a sink makes its tables.
            if d == Dialect::Sqlite {
                let create = Statement {
                    sql: create_sql(d, &db_table, schema),
                    args: Vec::new(),
                };
                s.run(&[create], false)
                    .map_err(|e| format!("{e} (creating table {db_table})"))?;
            }
            if let Some(path) = &file {
                s.load(path, &db_table, schema, ctx)?;
            }
            // The table and every column must be there.
            let probe = Statement {
                sql: format!("{}1 = 0", s.select),
                args: Vec::new(),
            };
            let refused = format!(
                "table {db_table} is not usable (is it there, with the columns the job declares?)"
            );
            s.query(&probe, schema.columns.len(), 0, &refused)?;
            Ok(s)
        }

        /// Runs statements, reconnecting while the store is away (up to the reconnect
        /// timeout): the message of the failure that ended it.
        fn run(&mut self, stmts: &[Statement], transaction: bool) -> Result<(), String> {
            let mut backoff =
                Backoff::named("lookup", "lookup.reconnect-timeout", self.reconnect_timeout);
            loop {
                match self.link.run(stmts, transaction) {
                    Ok(_) => return Ok(()),
                    Err(e) if classify(&e) == Failure::Connection && !self.in_memory => {
                        self.link.disconnect();
                        backoff.wait(self.name, &message(&e))?;
                    }
                    Err(e) => return Err(format!("lookup `{}`: {}", self.name, message(&e))),
                }
            }
        }

        /// The file's rows into the in-memory table: one transaction, or row by row
        /// when that is refused, so that only the rows SQLite refuses are skipped.
        fn load(
            &mut self,
            path: &str,
            table: &str,
            schema: &Schema,
            ctx: &mut Ctx,
        ) -> Result<(), String> {
            let name = self.name;
            let rows = dimension_file_rows(path, schema, |n, e| {
                ctx.counters.decode_errors += 1;
                eprintln!("lookup `{name}`: {path}:{n}: {e}");
            })
            .map_err(|e| format!("lookup `{name}`: --input {e}"))?;
            let all = statements(Dialect::Sqlite, table, schema, &rows);
            if self.run(&all, true).is_ok() {
                return Ok(());
            }
            for (n, p) in rows.iter().enumerate() {
                let one = statements(Dialect::Sqlite, table, schema, std::slice::from_ref(p));
                if let Err(e) = self.run(&one, false) {
                    ctx.counters.decode_errors += 1;
                    eprintln!(
                        "lookup `{name}`: {path}: row {} ({}): {e}; skipped",
                        n + 1,
                        p.line
                    );
                }
            }
            Ok(())
        }

        /// Runs a query of text columns: a lost connection is retried until the
        /// reconnect timeout, any other failure `retries` times (a transient conflict
        /// then counts as a lost connection; a refused query is an error saying
        /// `refused` and the database's reason).
        fn query(
            &mut self,
            stmt: &Statement,
            columns: usize,
            retries: u32,
            refused: &str,
        ) -> Result<Vec<Vec<Option<String>>>, String> {
            let name = self.name;
            let mut backoff =
                Backoff::named("lookup", "lookup.reconnect-timeout", self.reconnect_timeout);
            let mut failures = 0;
            loop {
                let e = match self.link.fetch_text(stmt, columns) {
                    Ok(rows) => return Ok(rows),
                    Err(e) => e,
                };
                let why = message(&e);
                if self.in_memory {
                    return Err(format!("lookup `{name}`: the embedded store failed: {why}"));
                }
                match classify(&e) {
                    Failure::Connection => {
                        self.link.disconnect();
                        backoff.wait(name, &why)?;
                    }
                    _ if failures < retries => {
                        failures += 1;
                        backoff.wait(name, &why)?;
                    }
                    Failure::Transient => {
                        self.link.disconnect();
                        backoff.wait(name, &why)?;
                    }
                    Failure::Rejected => {
                        return Err(format!("lookup `{name}`: {refused}: {why}"));
                    }
                }
            }
        }

        /// One query for the rows of `keys` (normalized key values, none NULL),
        /// every column decoded by its type; a value that cannot be read is NULL
        /// (counted as a decode error).
        pub(super) fn fetch(
            &mut self,
            schema: &Schema,
            key_columns: &[usize],
            keys: &[&[Value]],
            ctx: &mut Ctx,
        ) -> Result<Vec<Vec<Value>>, String> {
            let d = self.dialect;
            let mut sql = self.select.clone();
            let mut args = Vec::with_capacity(keys.len() * key_columns.len());
            if let [c] = key_columns {
                let col = &schema.columns[*c];
                sql.push_str(&quote(d, &col.name));
                sql.push_str(" IN (");
                for (n, k) in keys.iter().enumerate() {
                    if n > 0 {
                        sql.push_str(", ");
                    }
                    args.push(arg(&k[0], &col.ty));
                    sql.push_str(&param(d, args.len(), &col.ty));
                }
                sql.push(')');
            } else {
                for (n, k) in keys.iter().enumerate() {
                    if n > 0 {
                        sql.push_str(" OR ");
                    }
                    sql.push('(');
                    for (i, (c, v)) in key_columns.iter().zip(k.iter()).enumerate() {
                        if i > 0 {
                            sql.push_str(" AND ");
                        }
                        let col = &schema.columns[*c];
                        args.push(arg(v, &col.ty));
                        sql.push_str(&format!(
                            "{} = {}",
                            quote(d, &col.name),
                            param(d, args.len(), &col.ty)
                        ));
                    }
                    sql.push(')');
                }
            }
            sql.push_str(&self.order_by);
            let stmt = Statement { sql, args };
            let rows = self.query(
                &stmt,
                schema.columns.len(),
                self.max_retries,
                "the lookup query failed",
            )?;
            Ok(self.decode(schema, rows, ctx))
        }

        /// Every row of the table, in the order a lookup query returns them.
        pub(super) fn all_rows(
            &mut self,
            schema: &Schema,
            ctx: &mut Ctx,
        ) -> Result<Vec<Vec<Value>>, String> {
            let stmt = Statement {
                sql: format!("{}1 = 1{}", self.select, self.order_by),
                args: Vec::new(),
            };
            let rows = self.query(
                &stmt,
                schema.columns.len(),
                self.max_retries,
                "reading the table failed",
            )?;
            Ok(self.decode(schema, rows, ctx))
        }

        /// Closes the connection (an embedded table's: its rows are gone with it).
        pub(super) fn close(&mut self) {
            self.link.disconnect();
        }

        /// Rows of text columns decoded by their types; a value that cannot be read is
        /// NULL (counted as a decode error, reported once).
        fn decode(
            &mut self,
            schema: &Schema,
            rows: Vec<Vec<Option<String>>>,
            ctx: &mut Ctx,
        ) -> Vec<Vec<Value>> {
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let mut values = Vec::with_capacity(row.len());
                for (text, col) in row.iter().zip(&schema.columns) {
                    values.push(match text {
                        None => Value::Null,
                        Some(t) => value_from_text(t, &col.ty).unwrap_or_else(|e| {
                            ctx.counters.decode_errors += 1;
                            if !self.reported_bad_value {
                                self.reported_bad_value = true;
                                eprintln!(
                                    "lookup `{}`: column `{}`: {e}; read as NULL (reported once)",
                                    self.name, col.name
                                );
                            }
                            Value::Null
                        }),
                    });
                }
                out.push(values);
            }
            out
        }
    }
}

// ---------------------------------------------------------------------------------
// Row values as store values (what generated code hands to `LookupJoin::wrote`).

/// A value of generated code that a store [`Value`] can hold.
pub trait IntoValue {
    fn into_value(self) -> Value;
}

macro_rules! into_value {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl IntoValue for $t {
            fn into_value(self) -> Value {
                let $v = self;
                $e
            }
        })*
    };
}

into_value! {
    &str => |v| Value::Str(v.to_string()),
    &[u8] => |v| Value::Bytes(v.to_vec()),
    bool => |v| Value::Bool(v),
    i8 => |v| Value::Int(i64::from(v)),
    i16 => |v| Value::Int(i64::from(v)),
    i32 => |v| Value::Int(i64::from(v)),
    i64 => |v| Value::Int(v),
    f32 => |v| Value::Float(f64::from(v)),
    f64 => |v| Value::Float(v),
    Date => |v| Value::Date(v),
    Timestamp => |v| Value::Timestamp(v),
    crate::TimestampLtz => |v| Value::Timestamp(Timestamp(v.0)),
}

/// A nullable value of generated code as a store value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::value(Some("a")), Value::Str("a".into()));
/// assert_eq!(lookup::value(Some(7i32)), Value::Int(7));
/// assert_eq!(lookup::value(None::<f64>), Value::Null);
/// ```
pub fn value<T: IntoValue>(v: Option<T>) -> Value {
    v.map_or(Value::Null, IntoValue::into_value)
}

// ---------------------------------------------------------------------------------
// Dimension values as typed locals.

/// A STRING/VARCHAR/CHAR value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::str(&Value::Str("Mall".into())), Some("Mall"));
/// assert_eq!(lookup::str(&Value::Null), None);
/// assert_eq!(lookup::str(&Value::Int(1)), None);
/// ```
pub fn str(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// A TINYINT/SMALLINT/INT/BIGINT value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::int(&Value::Int(-7)), Some(-7));
/// assert_eq!(lookup::int(&Value::Null), None);
/// assert_eq!(lookup::int(&Value::Str("7".into())), None);
/// ```
pub fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

/// A FLOAT/DOUBLE value (an integer value too).
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::float(&Value::Float(0.5)), Some(0.5));
/// assert_eq!(lookup::float(&Value::Int(2)), Some(2.0));
/// assert_eq!(lookup::float(&Value::Null), None);
/// ```
pub fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// A BOOLEAN value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::boolean(&Value::Bool(true)), Some(true));
/// assert_eq!(lookup::boolean(&Value::Int(1)), None);
/// ```
pub fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// A DECIMAL value (an integer value too, at scale 0).
///
/// ```
/// use streamsql_runtime::{lookup, store::Value, Decimal};
/// let d = Decimal { unscaled: 1025, scale: 2 };
/// assert_eq!(lookup::decimal(&Value::Decimal(d)), Some(d));
/// assert_eq!(lookup::decimal(&Value::Int(3)), Some(Decimal { unscaled: 3, scale: 0 }));
/// assert_eq!(lookup::decimal(&Value::Float(1.5)), None);
/// ```
pub fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some(*d),
        Value::Int(i) => Some(Decimal {
            unscaled: i128::from(*i),
            scale: 0,
        }),
        _ => None,
    }
}

/// A DATE value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value, Date};
/// assert_eq!(lookup::date(&Value::Date(Date(19_784))), Some(Date(19_784)));
/// assert_eq!(lookup::date(&Value::Str("2024-03-02".into())), None);
/// ```
pub fn date(v: &Value) -> Option<Date> {
    match v {
        Value::Date(d) => Some(*d),
        _ => None,
    }
}

/// A TIMESTAMP value (a TIMESTAMP_LTZ column's too: its UTC wall time).
///
/// ```
/// use streamsql_runtime::{lookup, store::Value, Timestamp};
/// assert_eq!(lookup::timestamp(&Value::Timestamp(Timestamp(1_500))), Some(Timestamp(1_500)));
/// assert_eq!(lookup::timestamp(&Value::Int(1_500)), None);
/// ```
pub fn timestamp(v: &Value) -> Option<Timestamp> {
    match v {
        Value::Timestamp(t) => Some(*t),
        _ => None,
    }
}

/// A BYTES/BINARY/VARBINARY value.
///
/// ```
/// use streamsql_runtime::{lookup, store::Value};
/// assert_eq!(lookup::bytes(&Value::Bytes(b"hi".to_vec())), Some(&b"hi"[..]));
/// assert_eq!(lookup::bytes(&Value::Str("hi".into())), None);
/// ```
pub fn bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

/// The rows of a dimension table's JSON-lines file (`--input DIM=FILE`): one JSON
/// object of its columns per line, each an upsert of its row (the last line of a
/// primary key wins), read as the harness's Flink `lookup-file` fixture reads them: a
/// missing key or JSON `null` is NULL; a value given as text (`"12"`, `"true"`, a
/// number for a string column) is read by its column's type; a value that still does
/// not fit its column is NULL — reported to `report` with its line number. A line that
/// is not a JSON object, or whose primary key is NULL, is skipped (reported too). Err:
/// the file cannot be read.
pub fn dimension_file_rows(
    path: &str,
    schema: &Schema,
    mut report: impl FnMut(usize, String),
) -> Result<Vec<crate::store::Pending>, String> {
    use crate::store::{Action, Change, Pending};
    use serde_json::value::RawValue;
    let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let mut rows = Vec::new();
    'lines: for (n, line) in text.split(|b| *b == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let fields: HashMap<String, &RawValue> = match serde_json::from_slice(line) {
            Ok(f) => f,
            Err(e) => {
                report(n + 1, format!("not a JSON object ({e}); line skipped"));
                continue;
            }
        };
        let mut values = Vec::with_capacity(schema.columns.len());
        for (i, col) in schema.columns.iter().enumerate() {
            let v = match fields.get(col.name.as_str()) {
                None => Value::Null,
                Some(raw) => dimension_value(raw.get(), &col.ty).unwrap_or_else(|| {
                    report(
                        n + 1,
                        format!(
                            "column `{}`: {} is not a {:?}; read as NULL",
                            col.name,
                            raw.get(),
                            col.ty
                        ),
                    );
                    Value::Null
                }),
            };
            if v == Value::Null && schema.is_key(i) {
                report(
                    n + 1,
                    format!("NULL primary key column `{}`; line skipped", col.name),
                );
                continue 'lines;
            }
            values.push(v);
        }
        rows.push(Pending {
            action: Action::Upsert,
            change: Change {
                kind: RowKind::Insert,
                values,
            },
            line: String::from_utf8_lossy(line).into_owned(),
        });
    }
    Ok(rows)
}

/// A JSON value (its raw text) of a dimension file as a value of column type `ty`, as
/// the Flink fixture converts it: as JSON, else a string's text by the type (`"12"`,
/// `"2024-03-01"`, `"true"`), a number's text for an integer (`12.0`) or a boolean
/// (`1`/`0`), any JSON for a string column (as written). `None`: it does not fit.
fn dimension_value(raw: &str, ty: &ColType) -> Option<Value> {
    use crate::store::change::{value, value_from_text};
    if let Ok(v) = value(raw, ty) {
        return Some(v);
    }
    let v = match serde_json::from_str::<String>(raw) {
        Ok(s) => value_from_text(&s, ty).ok()?,
        Err(_) => match ty {
            ColType::Str(_) => Value::Str(raw.to_string()),
            ColType::Int(_) | ColType::Bool => value_from_text(raw, ty).ok()?,
            _ => return None,
        },
    };
    match v {
        // Within the column's range, as a JSON number must be.
        Value::Int(i) => value(&i.to_string(), ty).ok(),
        v => Some(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`super::normalize`], owned (what the assertions compare).
    fn normalize(v: &Value, ty: &ColType) -> Option<Value> {
        super::normalize(v, ty).map(Cow::into_owned)
    }

    const NO_TABLES: JobInfo = JobInfo {
        name: "t",
        dialect: "Flink",
        tables: &[],
        sources: &[],
        sinks: &[],
        plan: "",
        settings: &[],
    };

    /// `dim`'s cache settings from `--set dim.K=V` options.
    fn settings(sets: &[(&str, &str)]) -> Result<Option<CacheSettings>, String> {
        let opts = Options {
            sets: sets
                .iter()
                .map(|(k, v)| (format!("dim.{k}"), (*v).to_string()))
                .collect(),
            ..Options::default()
        };
        CacheSettings::of(&NO_TABLES, &opts, "dim")
    }

    fn cache(
        max_rows: Option<usize>,
        write: Option<u64>,
        access: Option<u64>,
        missing: bool,
    ) -> LookupCache {
        LookupCache::new(CacheSettings {
            max_rows,
            expire_after_write: write.map(Duration::from_secs),
            expire_after_access: access.map(Duration::from_secs),
            cache_missing_key: missing,
        })
    }

    fn rows(n: i64) -> DimRows {
        Arc::new(vec![vec![Value::Int(n)]])
    }

    #[test]
    fn no_options_no_cache() {
        assert_eq!(settings(&[]), Ok(None));
        assert_eq!(settings(&[("lookup.cache", "none")]), Ok(None));
        assert_eq!(settings(&[("cache", "None")]), Ok(None));
    }

    #[test]
    fn flink_2_partial_cache_options() {
        let s = settings(&[
            ("lookup.cache", "partial"),
            ("lookup.partial-cache.max-rows", "500"),
            ("lookup.partial-cache.expire-after-write", "10 min"),
            ("lookup.partial-cache.expire-after-access", "30s"),
            ("lookup.partial-cache.cache-missing-key", "false"),
        ]);
        assert_eq!(
            s,
            Ok(Some(CacheSettings {
                max_rows: Some(500),
                expire_after_write: Some(Duration::from_secs(600)),
                expire_after_access: Some(Duration::from_secs(30)),
                cache_missing_key: false,
            }))
        );
        let s = settings(&[
            ("lookup.cache", "PARTIAL"),
            ("lookup.partial-cache.expire-after-write", "1 h"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!((s.max_rows, s.cache_missing_key), (None, true));
        // PARTIAL without a bound, as Flink refuses it.
        let err = settings(&[("lookup.cache", "PARTIAL")]).unwrap_err();
        assert!(
            err.contains("lookup `dim`") && err.contains("max-rows"),
            "{err}"
        );
        // `lookup.cache` wins over the 1.x options.
        assert_eq!(
            settings(&[("lookup.cache", "NONE"), ("lookup.cache.max-rows", "10")]),
            Ok(None)
        );
    }

    #[test]
    fn flink_1_legacy_cache_options() {
        assert_eq!(
            settings(&[
                ("lookup.cache.max-rows", "100"),
                ("lookup.cache.ttl", "10s")
            ]),
            Ok(Some(CacheSettings {
                max_rows: Some(100),
                expire_after_write: Some(Duration::from_secs(10)),
                expire_after_access: None,
                cache_missing_key: true,
            }))
        );
        let s = settings(&[
            ("lookup.cache.max-rows", "1"),
            ("lookup.cache.caching-missing-key", "false"),
        ]);
        assert!(!s.unwrap().unwrap().cache_missing_key);
        // A TTL alone is no cache (Flink needs max-rows).
        assert_eq!(settings(&[("lookup.cache.ttl", "10s")]), Ok(None));
    }

    #[test]
    fn blink_cache_options() {
        assert_eq!(
            settings(&[("cache", "lru"), ("cacheTTLMs", "60000")]),
            Ok(Some(CacheSettings {
                max_rows: Some(10_000),
                expire_after_write: Some(Duration::from_secs(60)),
                expire_after_access: None,
                cache_missing_key: true,
            }))
        );
        let s = settings(&[("cache", "LRU"), ("cacheSize", "5")])
            .unwrap()
            .unwrap();
        assert_eq!((s.max_rows, s.expire_after_write), (Some(5), None));
        let s = settings(&[("cache", "ALL"), ("cacheTTLMs", "1000")])
            .unwrap()
            .unwrap();
        assert_eq!(
            (s.max_rows, s.expire_after_write),
            (None, Some(Duration::from_secs(1)))
        );
    }

    #[test]
    fn bad_cache_options_name_table_option_and_value() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("lookup.cache", "FULL")], "'lookup.cache' = 'FULL'"),
            (
                &[
                    ("lookup.cache", "PARTIAL"),
                    ("lookup.partial-cache.max-rows", "many"),
                ],
                "'lookup.partial-cache.max-rows' = 'many'",
            ),
            (
                &[
                    ("lookup.cache", "PARTIAL"),
                    ("lookup.partial-cache.expire-after-write", "soon"),
                ],
                "'lookup.partial-cache.expire-after-write' = 'soon'",
            ),
            (
                &[
                    ("lookup.cache", "PARTIAL"),
                    ("lookup.partial-cache.max-rows", "1"),
                    ("lookup.partial-cache.cache-missing-key", "maybe"),
                ],
                "'lookup.partial-cache.cache-missing-key' = 'maybe'",
            ),
            (
                &[("lookup.cache.max-rows", "-1")],
                "'lookup.cache.max-rows' = '-1'",
            ),
            (
                &[
                    ("lookup.cache.max-rows", "1"),
                    ("lookup.cache.ttl", "1 fortnight"),
                ],
                "'lookup.cache.ttl' = '1 fortnight'",
            ),
            (&[("cache", "MRU")], "'cache' = 'MRU'"),
            (
                &[("cache", "LRU"), ("cacheSize", "big")],
                "'cacheSize' = 'big'",
            ),
            (
                &[("cache", "LRU"), ("cacheTTLMs", "1 min")],
                "'cacheTTLMs' = '1 min'",
            ),
        ];
        for (sets, says) in cases {
            let err = settings(sets).unwrap_err();
            assert!(err.starts_with("lookup `dim`: "), "{err}");
            assert!(err.contains(says), "{err} should say {says}");
        }
    }

    #[test]
    fn cache_evicts_the_least_recently_used_key_past_max_rows() {
        let mut c = cache(Some(2), None, None, true);
        let t = Instant::now();
        c.put(b"a".to_vec(), rows(1), t);
        c.put(b"b".to_vec(), rows(2), t);
        // `a` used after `b`: `b` is the one to go.
        assert_eq!(c.get(b"a", t), Some(rows(1)));
        c.put(b"c".to_vec(), rows(3), t);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(b"b", t), None);
        assert_eq!(c.get(b"a", t), Some(rows(1)));
        assert_eq!(c.get(b"c", t), Some(rows(3)));
        // Writing a held key again replaces it without growing.
        c.put(b"c".to_vec(), rows(4), t);
        assert_eq!((c.len(), c.get(b"c", t)), (2, Some(rows(4))));
    }

    #[test]
    fn cache_entries_expire_after_write() {
        let mut c = cache(None, Some(10), None, true);
        let t = Instant::now();
        c.put(b"a".to_vec(), rows(1), t);
        // Reading does not extend a write TTL.
        assert!(c.get(b"a", t + Duration::from_secs(9)).is_some());
        assert_eq!(c.get(b"a", t + Duration::from_secs(10)), None);
        assert!(c.is_empty());
    }

    #[test]
    fn cache_entries_expire_after_access() {
        let mut c = cache(None, None, Some(10), true);
        let t = Instant::now();
        c.put(b"a".to_vec(), rows(1), t);
        // Each read restarts the clock.
        for s in [5, 14, 23] {
            assert!(
                c.get(b"a", t + Duration::from_secs(s)).is_some(),
                "at {s} s"
            );
        }
        assert_eq!(c.get(b"a", t + Duration::from_secs(33)), None);
    }

    #[test]
    fn an_unbounded_cache_drops_expired_keys_never_asked_again() {
        let mut c = cache(None, Some(10), None, true);
        let t = Instant::now();
        for i in 0..100u8 {
            c.put(vec![i], rows(1), t);
        }
        c.put(b"late".to_vec(), rows(1), t + Duration::from_secs(11));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn misses_are_cached_only_when_asked() {
        let t = Instant::now();
        let mut on = cache(Some(10), None, None, true);
        on.put(b"gone".to_vec(), Arc::new(Vec::new()), t);
        assert_eq!(on.get(b"gone", t), Some(Arc::new(Vec::new())));
        let mut off = cache(Some(10), None, None, false);
        off.put(b"gone".to_vec(), Arc::new(Vec::new()), t);
        assert_eq!(off.get(b"gone", t), None);
        assert!(off.is_empty());
        off.put(b"here".to_vec(), rows(1), t);
        assert_eq!(off.get(b"here", t), Some(rows(1)));
    }

    #[test]
    fn fetched_rows_match_keys_exactly() {
        let schema = Schema {
            columns: vec![
                crate::store::Column {
                    name: "k".into(),
                    ty: ColType::Str(None),
                    not_null: true,
                },
                crate::store::Column {
                    name: "n".into(),
                    ty: ColType::Int(64),
                    not_null: false,
                },
            ],
            key: vec![0],
        };
        let key = |s: &str| {
            key_bytes(std::iter::once((
                &Value::Str(s.into()),
                &ColType::Str(None),
            )))
        };
        let row = |k: &str, n: i64| vec![Value::Str(k.into()), Value::Int(n)];
        // What a case- and trailing-space-insensitive collation returns for `ABC`, `abc`.
        let fetched = vec![
            row("abc", 1),
            row("ABC", 2),
            row("abc ", 3),
            row("Abc", 4),
            row("abc", 5),
        ];
        let asked = [key("ABC"), key("abc"), key("xyz")];
        let found = match_rows(fetched, &schema, &[0], asked.iter().map(Vec::as_slice));
        assert_eq!(found[&key("ABC")], [row("ABC", 2)]);
        assert_eq!(found[&key("abc")], [row("abc", 1), row("abc", 5)]);
        assert!(found[&key("xyz")].is_empty());
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn key_values_compare_as_their_column_holds_them() {
        let dec = |u: i128, s: u8| {
            Value::Decimal(Decimal {
                unscaled: u,
                scale: s,
            })
        };
        let money = ColType::Decimal(10, 2);
        assert_eq!(normalize(&Value::Int(3), &money), Some(dec(300, 2)));
        assert_eq!(normalize(&dec(15, 1), &money), Some(dec(150, 2)));
        assert_eq!(normalize(&dec(1500, 3), &money), Some(dec(150, 2)));
        // Digits the column cannot hold: kept, so it equals nothing the column holds.
        assert_eq!(normalize(&dec(1005, 3), &money), Some(dec(1005, 3)));
        assert_eq!(
            normalize(&Value::Int(2), &ColType::Double),
            Some(Value::Float(2.0))
        );
        assert_eq!(
            normalize(&dec(7, 0), &ColType::Int(32)),
            Some(Value::Int(7))
        );
        assert_eq!(normalize(&Value::Null, &ColType::Int(32)), None);
        assert_eq!(
            normalize(&Value::Str("a".into()), &ColType::Str(None)),
            Some(Value::Str("a".into()))
        );
    }

    #[test]
    fn opening_needs_a_job_a_table_of_the_job_and_a_store_connector() {
        static INFO: JobInfo = JobInfo {
            name: "j",
            dialect: "Flink",
            tables: &[crate::TableInfo {
                name: "events",
                connector: "kafka",
                options: &[],
                columns: &[("k", "STRING")],
                primary_key: &[],
            }],
            sources: &[],
            sinks: &[],
            plan: "",
            settings: &[],
        };
        let mut ctx = Ctx::new(0);
        let mut join = LookupJoin::new("events", &[0]);
        assert!(
            join.resolve(&mut ctx).unwrap().is_empty(),
            "nothing queued: nothing opened"
        );
        join.push(RowKind::Insert, (), Some(vec![Value::Str("a".into())]));
        let err = join.resolve(&mut ctx).unwrap_err();
        assert!(err.contains("Ctx::job"), "{err}");
        ctx.job = Some((&INFO, Arc::new(Options::default())));
        join.push(RowKind::Insert, (), Some(vec![Value::Str("a".into())]));
        let err = join.resolve(&mut ctx).unwrap_err();
        assert!(err.contains("connector `kafka`"), "{err}");
        let mut join = LookupJoin::<()>::new("nowhere", &[0]);
        join.push(RowKind::Insert, (), None);
        let err = join.resolve(&mut ctx).unwrap_err();
        assert!(err.contains("no table `nowhere`"), "{err}");
        assert!(join.is_empty());
    }

    /// Visits by device (`mac`, the primary key), looked up by shop: a key that is not
    /// the primary key, so a shop matches rows the job wrote and rows it did not.
    static VISITS_JOB: JobInfo = JobInfo {
        name: "visits",
        dialect: "Flink",
        tables: &[
            crate::TableInfo {
                name: "visits",
                connector: "jdbc",
                options: &[],
                columns: &[("mac", "STRING NOT NULL"), ("shop", "STRING")],
                primary_key: &["mac"],
            },
            crate::TableInfo {
                name: "visits_out",
                connector: "jdbc",
                options: &[("table-name", "VISITS")],
                columns: &[("shop", "STRING"), ("mac", "STRING NOT NULL")],
                primary_key: &["mac"],
            },
            crate::TableInfo {
                name: "elsewhere",
                connector: "jdbc",
                options: &[("table-name", "other")],
                columns: &[("mac", "STRING NOT NULL"), ("shop", "STRING")],
                primary_key: &["mac"],
            },
        ],
        sources: &[],
        sinks: &["visits_out", "elsewhere"],
        plan: "",
        settings: &[],
    };

    fn strs(row: &[&str]) -> Vec<Value> {
        row.iter().map(|v| Value::Str((*v).to_string())).collect()
    }

    /// The rows shop `shop` matches after the writes so far.
    fn shop_rows(join: &mut LookupJoin<()>, ctx: &mut Ctx, shop: &str) -> Vec<Vec<Value>> {
        join.push(RowKind::Insert, (), Some(strs(&[shop])));
        let out = join.resolve(ctx).unwrap();
        let mut rows = join.with_own_writes(&out, 0).to_vec();
        rows.sort_by_key(|r| format!("{r:?}"));
        rows
    }

    #[test]
    fn own_writes_replace_the_stores_rows_by_primary_key() {
        let file = std::env::temp_dir().join(format!("visits-{}.jsonl", std::process::id()));
        std::fs::write(
            &file,
            "{\"mac\":\"m1\",\"shop\":\"s1\"}\n{\"mac\":\"m2\",\"shop\":\"s1\"}\n",
        )
        .unwrap();
        let opts = Options {
            inputs: vec![("visits".into(), file.display().to_string())],
            ..Options::default()
        };
        let mut ctx = Ctx::new(0);
        ctx.job = Some((&VISITS_JOB, Arc::new(opts.clone())));
        let mut join = LookupJoin::new("visits", &[1]).written_by(&["visits_out", "elsewhere"]);
        assert_eq!(
            shop_rows(&mut join, &mut ctx, "s1"),
            [strs(&["m1", "s1"]), strs(&["m2", "s1"])]
        );
        // m1 moves to s2 (the sink's columns are in another order: matched by name).
        join.wrote("visits_out", RowKind::Insert, strs(&["s2", "m1"]), &ctx);
        assert_eq!(shop_rows(&mut join, &mut ctx, "s1"), [strs(&["m2", "s1"])]);
        assert_eq!(shop_rows(&mut join, &mut ctx, "s2"), [strs(&["m1", "s2"])]);
        // -U is not a write of an upsert table; -D deletes by primary key; +U moves.
        join.wrote(
            "visits_out",
            RowKind::UpdateBefore,
            strs(&["s9", "m1"]),
            &ctx,
        );
        join.wrote("visits_out", RowKind::Delete, strs(&["s1", "m2"]), &ctx);
        join.wrote(
            "visits_out",
            RowKind::UpdateAfter,
            strs(&["s3", "m3"]),
            &ctx,
        );
        assert!(shop_rows(&mut join, &mut ctx, "s1").is_empty());
        assert_eq!(shop_rows(&mut join, &mut ctx, "s2"), [strs(&["m1", "s2"])]);
        assert_eq!(shop_rows(&mut join, &mut ctx, "s3"), [strs(&["m3", "s3"])]);
        // A sink writing another table, or a NULL key, changes nothing.
        join.wrote("elsewhere", RowKind::Insert, strs(&["m1", "s1"]), &ctx);
        join.wrote(
            "visits_out",
            RowKind::Insert,
            vec![Value::Str("s1".into()), Value::Null],
            &ctx,
        );
        assert!(shop_rows(&mut join, &mut ctx, "s1").is_empty());

        // The same sink sent to a file (`--output`) does not write the table.
        let mut to_file = opts;
        to_file
            .outputs
            .push(("visits_out".into(), "/dev/null".into()));
        let mut ctx = Ctx::new(0);
        ctx.job = Some((&VISITS_JOB, Arc::new(to_file)));
        let mut join = LookupJoin::new("visits", &[1]).written_by(&["visits_out"]);
        join.wrote("visits_out", RowKind::Insert, strs(&["s2", "m1"]), &ctx);
        assert_eq!(
            shop_rows(&mut join, &mut ctx, "s1"),
            [strs(&["m1", "s1"]), strs(&["m2", "s1"])]
        );
        std::fs::remove_file(&file).unwrap();
    }

    /// Looked up by its primary key, a key the job wrote is answered without a query.
    #[test]
    fn a_key_the_job_wrote_needs_no_round_trip() {
        let file = std::env::temp_dir().join(format!("visits-pk-{}.jsonl", std::process::id()));
        std::fs::write(&file, "{\"mac\":\"m1\",\"shop\":\"s1\"}\n").unwrap();
        let opts = Options {
            inputs: vec![("visits".into(), file.display().to_string())],
            ..Options::default()
        };
        let mut ctx = Ctx::new(0);
        ctx.job = Some((&VISITS_JOB, Arc::new(opts)));
        let mut join = LookupJoin::new("visits", &[0]).written_by(&["visits_out"]);
        join.wrote("visits_out", RowKind::Insert, strs(&["s5", "m1"]), &ctx);
        join.push(RowKind::Insert, (), Some(strs(&["m1"])));
        join.push(RowKind::Insert, (), Some(strs(&["m2"])));
        let out = join.resolve(&mut ctx).unwrap();
        assert_eq!(ctx.counters.lookup_keys, 1, "only m2 is asked for");
        let rows: Vec<DimRows> = (0..out.len())
            .map(|i| join.with_own_writes(&out, i))
            .collect();
        assert_eq!(*rows[0], [strs(&["m1", "s5"])]);
        assert!(rows[1].is_empty());
        std::fs::remove_file(&file).unwrap();
    }
}
