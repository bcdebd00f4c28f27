//! The job driver: sources -> the generated per-message function -> sinks.
//!
//! In: a generated [`Job`] and the job binary's command line (`--input`, `--output`,
//! `--set`). Out: rows written to the sinks, a progress line on stderr for long runs,
//! a summary at exit, and an exit status (0 on success, 2 with a one-line reason).
//!
//! The loop is batched: a source fills a [`MessageBatch`]; the job's `process` decodes
//! each message once and runs every INSERT reading that source, encoding output rows
//! straight into per-sink byte buffers; the buffers are written after the batch, and
//! only then would a source's offsets be committed. SIGINT/SIGTERM stop the loop after
//! the current batch: buffers are flushed and the exit is clean.

use crate::batch::{Message, MessageBatch};
use crate::{JobInfo, TableInfo};
use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What happened to the rows, reported at exit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Messages read from sources.
    pub read: u64,
    /// Rows written to sinks.
    pub emitted: u64,
    /// Rows a WHERE removed (per INSERT).
    pub filtered: u64,
    /// Messages that were not valid JSON (their JSON paths are NULL, as in Flink).
    pub decode_errors: u64,
    /// Rows dropped because evaluating them failed (e.g. a CAST error); each also goes
    /// to the dead-letter output when one is configured.
    pub failed: u64,
    /// Rows behind the watermark.
    pub late: u64,
    /// Writes to stores (database statements, Elasticsearch bulk requests).
    pub store_writes: u64,
    /// Rows those writes carried (after coalescing per key: at most `emitted`).
    pub store_rows: u64,
    /// Queries sent to dimension tables by lookup joins (round trips).
    pub lookup_round_trips: u64,
    /// Keys those queries asked for (distinct per round trip).
    pub lookup_keys: u64,
    /// Keys a lookup cache answered without a round trip.
    pub lookup_cache_hits: u64,
}

/// Per-batch context the generated code reads and updates.
#[derive(Debug)]
pub struct Ctx {
    pub counters: Counters,
    /// Processing time of the current batch, epoch milliseconds (what `NOW()`,
    /// `CURRENT_TIMESTAMP` and `PROCTIME()` read; one clock read per batch).
    pub now_ms: i64,
    /// The same moment as an `Instant` (what idle-partition timeouts measure).
    pub now: Instant,
    /// Messages that could not be processed, with the reason (`--dead-letter`).
    pub dead_letters: Vec<u8>,
    dead_letter_enabled: bool,
    /// Rows dropped as late, as their source messages (`--late-rows`).
    pub late_rows: Vec<u8>,
    late_rows_enabled: bool,
    /// `table.exec.source.idle-timeout`: a source partition without rows for this long
    /// stops holding the watermark back. `None`: never.
    pub idle_timeout: Option<Duration>,
    /// `table.exec.emit.allow-lateness` in milliseconds (0: a row behind the watermark
    /// for all its windows is dropped).
    pub allowed_lateness_ms: i64,
    /// `table.exec.state.ttl` in milliseconds: keyed state of group aggregates, joins
    /// and Top-N not written for this long is dropped. `None` (Flink's 0): kept forever.
    pub state_ttl_ms: Option<i64>,
    /// The running job and its options (what lookup joins open their dimension tables
    /// with); `None` outside `driver::run`.
    pub job: Option<(&'static JobInfo, Arc<Options>)>,
    /// Why the job must stop (set by [`Ctx::fail`]): `driver::run` returns it as its
    /// error after the current batch.
    pub fatal: Option<String>,
}

impl Ctx {
    pub fn new(now_ms: i64) -> Self {
        Ctx {
            counters: Counters::default(),
            now_ms,
            now: Instant::now(),
            dead_letters: Vec::new(),
            dead_letter_enabled: false,
            late_rows: Vec::new(),
            late_rows_enabled: false,
            idle_timeout: None,
            allowed_lateness_ms: 0,
            state_ttl_ms: None,
            job: None,
            fatal: None,
        }
    }

    /// Stops the job after the current batch with `reason` (an operator that cannot
    /// go on, e.g. a dimension store unreachable past its reconnect timeout). The first
    /// reason is kept.
    pub fn fail(&mut self, reason: String) {
        self.fatal.get_or_insert(reason);
    }

    /// Records a row dropped because it is behind the watermark for all its windows
    /// (counted; its message kept if `--late-rows` is on).
    pub fn late(&mut self, source: &str, msg: &Message<'_>) {
        self.counters.late += 1;
        if self.late_rows_enabled {
            let _ = writeln!(
                self.late_rows,
                "{{\"source\":{:?},\"partition\":{},\"offset\":{},\"value\":{:?}}}",
                source,
                msg.partition,
                msg.offset,
                String::from_utf8_lossy(msg.value)
            );
        }
    }

    /// Records an operator's output row that could not be computed (e.g. a failing CAST
    /// over an aggregate): counted, and noted in the dead-letter output.
    pub fn dead_letter_row(&mut self, operator: &str, reason: &str) {
        self.counters.failed += 1;
        if self.dead_letter_enabled {
            let _ = writeln!(
                self.dead_letters,
                "{{\"operator\":{operator:?},\"reason\":{reason:?}}}"
            );
        }
    }

    /// Records a sink row that could not be written (a NULL primary key, a value the
    /// store rejects): counted as failed, kept with the reason if dead letters are on.
    pub fn dead_letter_sink(&mut self, sink: &str, row: &str, reason: &str) {
        self.counters.failed += 1;
        if self.dead_letter_enabled {
            let _ = writeln!(
                self.dead_letters,
                "{{\"sink\":{sink:?},\"reason\":{reason:?},\"row\":{row:?}}}"
            );
        }
    }

    /// Records a message the job could not process (counted; kept if dead letters are on).
    pub fn dead_letter(&mut self, source: &str, msg: &Message<'_>, reason: &str) {
        self.counters.failed += 1;
        if self.dead_letter_enabled {
            let _ = writeln!(
                self.dead_letters,
                "{{\"source\":{:?},\"partition\":{},\"offset\":{},\"reason\":{:?},\"value\":{:?}}}",
                source,
                msg.partition,
                msg.offset,
                reason,
                String::from_utf8_lossy(msg.value)
            );
        }
    }
}

/// Encoded output rows of one sink, in order.
#[derive(Debug, Default)]
pub struct SinkBuffer {
    /// The encoded rows, each ending in a newline (what a file sink writes).
    pub bytes: Vec<u8>,
    pub rows: u64,
    /// Where each row ends in `bytes` (after its newline), and its record key's range
    /// in `keys` (a Blink Kafka table's `messageKey`), for sinks that write records.
    ends: Vec<(usize, Option<(usize, usize)>)>,
    keys: Vec<u8>,
}

impl SinkBuffer {
    /// Closes the row just encoded into `bytes` (its newline included).
    #[inline]
    pub fn end_row(&mut self, key: Option<&[u8]>) {
        let key = key.map(|k| {
            let start = self.keys.len();
            self.keys.extend_from_slice(k);
            (start, k.len())
        });
        self.ends.push((self.bytes.len(), key));
        self.rows += 1;
    }

    /// The rows as (key, value) records, the value without its newline.
    ///
    /// ```
    /// let mut b = streamsql_runtime::driver::SinkBuffer::default();
    /// b.bytes.extend_from_slice(b"{\"a\":1}\n");
    /// b.end_row(Some(b"k1"));
    /// b.bytes.extend_from_slice(b"x\n");
    /// b.end_row(None);
    /// let r: Vec<_> = b.records().collect();
    /// assert_eq!(r, [(Some(&b"k1"[..]), &b"{\"a\":1}"[..]), (None, &b"x"[..])]);
    /// assert_eq!(b.rows, 2);
    /// ```
    pub fn records(&self) -> impl Iterator<Item = (Option<&[u8]>, &[u8])> {
        let mut start = 0;
        self.ends.iter().map(move |(end, key)| {
            let value = &self.bytes[start..end.saturating_sub(1).max(start)];
            start = *end;
            (key.map(|(s, l)| &self.keys[s..s + l]), value)
        })
    }

    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.keys.clear();
        self.rows = 0;
    }
}

/// What generated code implements: one function per message, all INSERTs inside.
pub trait Job {
    fn info(&self) -> &'static JobInfo;
    /// Processes one message of source `source` (an index into `info().sources`),
    /// appending encoded rows to `sinks` (indexed like `info().sinks`).
    fn process(
        &mut self,
        source: usize,
        msg: &Message<'_>,
        sinks: &mut [SinkBuffer],
        ctx: &mut Ctx,
    );
    /// Called once before the first message, with the job's settings in `ctx`.
    fn open(&mut self, ctx: &Ctx) {
        let _ = ctx;
    }
    /// Called after every batch: time passes (idle partitions stop holding back the
    /// watermark).
    fn tick(&mut self, sinks: &mut [SinkBuffer], ctx: &mut Ctx) {
        let _ = (sinks, ctx);
    }
    /// The lowest offset of this source partition whose rows the job still holds in
    /// operator state (`None`: nothing held); Kafka commits stay below it.
    fn held_offset(&self, source: usize, topic: &str, partition: i32) -> Option<i64> {
        let _ = (source, topic, partition);
        None
    }
    /// Called once when every (bounded) source has ended: the watermark goes to the
    /// end of time, so every open window fires (as Flink does at the end of input).
    fn finish(&mut self, sinks: &mut [SinkBuffer], ctx: &mut Ctx) {
        let _ = (sinks, ctx);
    }
}

/// Job settings (`SET 'key' = 'value'` in the SQL, overridden by `--set key=value`).
pub fn setting<'a>(info: &'a JobInfo, opts: &'a Options, key: &str) -> Option<&'a str> {
    if let Some((_, v)) = opts.sets.iter().rev().find(|(k, _)| k == key) {
        return Some(v);
    }
    info.settings
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| *v)
}

/// Whether a `table.local-time-zone` value names UTC (`UTC`, `GMT`, `Z`, `Etc/UTC`,
/// `GMT+00:00`, ...).
fn is_utc(zone: &str) -> bool {
    let z = zone.trim().to_ascii_uppercase();
    let z = z.strip_prefix("ETC/").unwrap_or(&z);
    if matches!(z, "Z" | "UCT" | "UNIVERSAL" | "ZULU") {
        return true;
    }
    // UTC, GMT, UT, alone or with a zero offset.
    ["UTC", "GMT", "UT"]
        .iter()
        .find_map(|p| z.strip_prefix(p))
        .is_some_and(|rest| {
            let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            rest.chars().all(|c| c == '0' || c == ':')
        })
}

/// A Flink duration: `500 ms`, `5 s`, `5s`, `1 min`, `2 h`, a bare number of ms.
///
/// ```
/// use streamsql_runtime::driver::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("5 s"), Ok(Duration::from_secs(5)));
/// assert_eq!(parse_duration("250"), Ok(Duration::from_millis(250)));
/// assert_eq!(parse_duration("1min"), Ok(Duration::from_secs(60)));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (e.g. `5 s`, `500 ms`)"))?;
    let ms = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" => 1000,
        "min" | "m" | "minute" | "minutes" => 60_000,
        "h" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        other => return Err(format!("`{text}`: unknown time unit `{other}`")),
    };
    Ok(Duration::from_millis(n.saturating_mul(ms)))
}

/// Parsed command line of a job binary.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--input table=path` (`-` for stdin).
    pub inputs: Vec<(String, String)>,
    /// `--output table=path` (`-` for stdout).
    pub outputs: Vec<(String, String)>,
    /// `--set table.option=value`, overriding `WITH`.
    pub sets: Vec<(String, String)>,
    /// `--dead-letter path`.
    pub dead_letter: Option<String>,
    /// `--late-rows path`: where rows dropped as late go (as their messages).
    pub late_rows: Option<String>,
    /// `--batch-size N`: messages read per batch (at least 1).
    pub batch_size: usize,
    pub quiet: bool,
    /// End a run after this long without messages from any unbounded source (Kafka),
    /// counted from when the source has its partitions ([`crate::kafka::IdleStop`]),
    /// for bounded runs in tests and benchmarks. `None`: run until stopped.
    pub stop_when_idle: Option<Duration>,
}

/// Messages per batch unless `--batch-size` says otherwise.
pub const DEFAULT_BATCH_SIZE: usize = 4096;

impl Default for Options {
    fn default() -> Self {
        Options {
            inputs: Vec::new(),
            outputs: Vec::new(),
            sets: Vec::new(),
            dead_letter: None,
            late_rows: None,
            batch_size: DEFAULT_BATCH_SIZE,
            quiet: false,
            stop_when_idle: None,
        }
    }
}

fn help(info: &JobInfo) -> String {
    let mut s = format!(
        "{name}: a streamsql job ({dialect} SQL)\n\n\
         usage: {name} [--input TABLE=FILE]... [--output TABLE=FILE]... [--set TABLE.OPTION=VALUE]...\n\
         \x20            [--config FILE (lines TABLE.OPTION=VALUE)]\n\
         \x20            [--dead-letter FILE] [--late-rows FILE] [--batch-size N] [--stop-when-idle MS] [--quiet]\n\n\
         FILE is a JSON-lines file, `-` for stdin/stdout. A Kafka-style table (messageKey/message\n\
         columns) reads one message value per line; other tables one JSON object of their columns.\n\
         Options: WITH, then --config files, then $STREAMSQL_SET (`t.k=v;t.k2=v2`), then --set.\n\n",
        name = info.name,
        dialect = info.dialect
    );
    let role = |t: &TableInfo| {
        let r = (info.sources.contains(&t.name), info.sinks.contains(&t.name));
        match r {
            (true, true) => "source+sink",
            (true, false) => "source",
            (false, true) => "sink",
            _ => "dimension",
        }
    };
    s.push_str("tables:\n");
    for t in info.tables {
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|(n, ty)| format!("{n} {ty}"))
            .collect();
        s.push_str(&format!(
            "  {} [{}, {}] ({})\n",
            t.name,
            role(t),
            t.connector,
            cols.join(", ")
        ));
        for (k, v) in t.options {
            s.push_str(&format!("      --set {}.{k}={v}\n", t.name));
        }
    }
    s
}

/// Parses a job binary's arguments.
pub fn parse_args(info: &JobInfo, args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options::default();
    let known = |t: &str| info.tables.iter().any(|x| x.name == t);
    // Option sources, weakest first: WITH < --config files < $STREAMSQL_SET < --set.
    let mut config: Vec<(String, String)> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        let pair = |v: String, flag: &str| -> Result<(String, String), String> {
            let (t, p) = v
                .split_once('=')
                .ok_or(format!("{flag} takes TABLE=VALUE, got `{v}`"))?;
            Ok((t.to_string(), p.to_string()))
        };
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--input" | "--output" => {
                let (t, p) = pair(value(a)?, a)?;
                if !known(&t) {
                    return Err(format!("{a}: no table `{t}` in this job (see --help)"));
                }
                if a == "--input" {
                    o.inputs.push((t, p));
                } else {
                    o.outputs.push((t, p));
                }
            }
            "--set" => {
                let (k, v) = pair(value(a)?, a)?;
                o.sets.push((k, v));
            }
            "--config" => {
                let path = value(a)?;
                let text =
                    std::fs::read_to_string(&path).map_err(|e| format!("--config {path}: {e}"))?;
                for (n, line) in text.lines().enumerate() {
                    let line = line.trim();
                    if line.is_empty() || line.starts_with('#') {
                        continue;
                    }
                    let (k, v) = line.split_once('=').ok_or(format!(
                        "--config {path}:{}: expected TABLE.OPTION=VALUE",
                        n + 1
                    ))?;
                    config.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            "--dead-letter" => o.dead_letter = Some(value(a)?),
            "--late-rows" => o.late_rows = Some(value(a)?),
            "--batch-size" => {
                o.batch_size = value(a)?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--batch-size: expected a whole number of at least 1")?;
            }
            "--quiet" => o.quiet = true,
            "--stop-when-idle" => {
                let ms: u64 = value(a)?
                    .parse()
                    .map_err(|e| format!("--stop-when-idle: {e}"))?;
                o.stop_when_idle = Some(Duration::from_millis(ms));
            }
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    let env: Vec<(String, String)> = std::env::var("STREAMSQL_SET")
        .unwrap_or_default()
        .split(';')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let cli = std::mem::take(&mut o.sets);
    o.sets = config.into_iter().chain(env).chain(cli).collect();
    Ok(Some(o))
}

/// The value of `table`'s option `key`: `--set table.key=value` first, then `WITH`.
pub fn option<'a>(info: &'a JobInfo, opts: &'a Options, table: &str, key: &str) -> Option<&'a str> {
    let full = format!("{table}.{key}");
    if let Some((_, v)) = opts.sets.iter().rev().find(|(k, _)| *k == full) {
        return Some(v);
    }
    info.table(table)?.option(key)
}

/// A table the job declares (sources and sinks come from `info`, so it exists).
fn table_info(info: &JobInfo, table: &str) -> &'static TableInfo {
    info.table(table).expect("a source or sink of the job")
}

/// Where a source's messages come from.
enum Input {
    Lines {
        reader: Box<dyn Read>,
        topic: String,
        line: i64,
        done: bool,
        /// The start of a line the last read cut, for the next batch.
        partial: Vec<u8>,
    },
    #[cfg(feature = "kafka")]
    Kafka {
        source: crate::kafka::KafkaSource,
        /// `--stop-when-idle`: when the bounded read is over.
        stop: Option<crate::kafka::IdleStop>,
    },
}

impl Input {
    /// Appends up to `max` messages; false when the input is exhausted.
    fn fill(&mut self, batch: &mut MessageBatch, max: usize, kafka: &Kafka) -> io::Result<bool> {
        let _ = kafka;
        match self {
            #[cfg(feature = "kafka")]
            Input::Kafka { source, stop } => {
                let rt = kafka.runtime().map_err(io::Error::other)?;
                match rt.block_on(source.next_batch(batch, max, Duration::from_millis(100))) {
                    Ok(got) => Ok(!stop.as_mut().is_some_and(|s| s.over(source, got))),
                    // The broker is away: librdkafka retries; keep polling.
                    Err(e) if !e.is_fatal() => {
                        eprintln!("kafka source: {e} (retrying)");
                        Ok(true)
                    }
                    Err(e) => Err(io::Error::other(e.to_string())),
                }
            }
            Input::Lines {
                reader,
                topic,
                line,
                done,
                partial,
            } => {
                if *done {
                    return Ok(false);
                }
                // Read straight into the batch and register whole lines in place; the
                // cut line at the end waits in `partial` for the next batch.
                let first = batch.byte_len();
                batch.extend(partial);
                partial.clear();
                let mut line_start = first;
                let mut searched = first;
                let mut count = 0;
                let mut commit = |batch: &mut MessageBatch, start: usize, end: usize| {
                    // One message per line, without its line ending (as Flink's `raw`).
                    let data = batch.unregistered(start);
                    let mut len = end - start;
                    if len > 0 && data[len - 1] == b'\r' {
                        len -= 1;
                    }
                    batch.register(start, len, topic, 0, *line, None);
                    *line += 1;
                };
                'fill: loop {
                    while let Some(i) = memchr::memchr(b'\n', batch.unregistered(searched)) {
                        let end = searched + i;
                        commit(batch, line_start, end);
                        line_start = end + 1;
                        searched = line_start;
                        count += 1;
                        if count >= max {
                            break 'fill;
                        }
                    }
                    searched = batch.byte_len();
                    if batch.read_from(reader.as_mut(), READ_CHUNK)? == 0 {
                        if line_start < batch.byte_len() {
                            commit(batch, line_start, batch.byte_len());
                            line_start = batch.byte_len();
                        }
                        *done = true;
                        break;
                    }
                }
                partial.extend_from_slice(batch.unregistered(line_start));
                batch.truncate(line_start);
                Ok(!*done || !batch.is_empty())
            }
        }
    }
}

/// How much a file source asks the kernel for at a time.
const READ_CHUNK: usize = 1 << 16;

enum Output {
    Writer(Box<dyn Write>),
    Discard,
    /// A database or Elasticsearch table: rows buffered, coalesced, flushed.
    Store(Box<crate::store::StoreSink>),
    /// An upsert-kafka table: one keyed record (or tombstone) per change.
    #[cfg(feature = "kafka")]
    UpsertKafka {
        sink: crate::kafka::KafkaSink,
        schema: crate::store::Schema,
    },
    /// One record per encoded row (the row's line without its newline).
    #[cfg(feature = "kafka")]
    Kafka(crate::kafka::KafkaSink),
}

/// The Tokio runtime the Kafka client needs, made on first use.
struct Kafka {
    #[cfg(feature = "kafka")]
    rt: std::cell::OnceCell<tokio::runtime::Runtime>,
    #[cfg_attr(not(feature = "kafka"), allow(dead_code))]
    stop_when_idle: Option<Duration>,
}

impl Kafka {
    #[cfg(feature = "kafka")]
    fn runtime(&self) -> Result<&tokio::runtime::Runtime, String> {
        if let Some(rt) = self.rt.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the Kafka client's runtime: {e}"))?;
        Ok(self.rt.get_or_init(|| rt))
    }
}

/// Brokers of a Kafka table: its options (`properties.bootstrap.servers`,
/// `bootstrap.servers`), else `$STREAMSQL_KAFKA_BROKERS`.
#[cfg(feature = "kafka")]
fn brokers(info: &JobInfo, opts: &Options, table: &str) -> Result<String, String> {
    ["properties.bootstrap.servers", "bootstrap.servers", "servers"]
        .iter()
        .find_map(|k| option(info, opts, table, k).map(str::to_string))
        .or_else(|| std::env::var("STREAMSQL_KAFKA_BROKERS").ok())
        .ok_or(format!(
            "Kafka table `{table}` has no brokers: --set {table}.properties.bootstrap.servers=HOST:PORT (or STREAMSQL_KAFKA_BROKERS)"
        ))
}

fn open_input(info: &JobInfo, opts: &Options, table: &str, kafka: &Kafka) -> Result<Input, String> {
    let _ = kafka;
    let topic = option(info, opts, table, "topic")
        .unwrap_or(table)
        .to_string();
    let path = match opts.inputs.iter().find(|(t, _)| t == table) {
        Some((_, p)) => p.clone(),
        None => {
            let t = table_info(info, table);
            match t.connector {
                #[cfg(feature = "kafka")]
                "kafka" => {
                    use crate::kafka::{KafkaSource, KafkaSourceConfig, StartOffset};
                    let start = match option(info, opts, table, "scan.startup.mode") {
                        Some("earliest-offset") => StartOffset::Earliest,
                        Some("latest-offset") => StartOffset::Latest,
                        _ => StartOffset::Committed,
                    };
                    let group_id = option(info, opts, table, "properties.group.id")
                        .or_else(|| option(info, opts, table, "group.id"))
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("streamsql-{}", info.name));
                    let cfg = KafkaSourceConfig {
                        brokers: brokers(info, opts, table)?,
                        topics: vec![topic.clone()],
                        group_id,
                        start,
                        properties: Vec::new(),
                    };
                    let rt = kafka.runtime()?;
                    let _guard = rt.enter();
                    let source =
                        KafkaSource::new(&cfg).map_err(|e| format!("source `{table}`: {e}"))?;
                    return Ok(Input::Kafka {
                        source,
                        stop: kafka.stop_when_idle.map(crate::kafka::IdleStop::new),
                    });
                }
                "filesystem" => option(info, opts, table, "path")
                    .ok_or(format!(
                        "source `{table}`: the filesystem table has no 'path'"
                    ))?
                    .to_string(),
                other => {
                    return Err(format!(
                        "source `{table}` (connector `{other}`): this build cannot read it yet; pass --input {table}=FILE"
                    ));
                }
            }
        }
    };
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin())
    } else {
        let f = std::fs::File::open(&path).map_err(|e| format!("source `{table}`: {path}: {e}"))?;
        Box::new(f)
    };
    Ok(Input::Lines {
        reader,
        topic,
        line: 0,
        done: false,
        partial: Vec::new(),
    })
}

fn open_output(
    info: &JobInfo,
    opts: &Options,
    table: &str,
    kafka: &Kafka,
) -> Result<Output, String> {
    let _ = kafka;
    let path = match opts.outputs.iter().find(|(t, _)| t == table) {
        Some((_, p)) => p.clone(),
        None => {
            let t = table_info(info, table);
            match t.connector {
                "print" => "-".to_string(),
                "blackhole" => return Ok(Output::Discard),
                #[cfg(feature = "kafka")]
                "kafka" => {
                    use crate::kafka::{KafkaSink, KafkaSinkConfig};
                    let cfg = KafkaSinkConfig {
                        brokers: brokers(info, opts, table)?,
                        topic: option(info, opts, table, "topic")
                            .unwrap_or(table)
                            .to_string(),
                        properties: Vec::new(),
                    };
                    let rt = kafka.runtime()?;
                    let _guard = rt.enter();
                    let sink = KafkaSink::new(&cfg).map_err(|e| format!("sink `{table}`: {e}"))?;
                    return Ok(Output::Kafka(sink));
                }
                #[cfg(feature = "kafka")]
                "upsert-kafka" => {
                    use crate::kafka::{KafkaSink, KafkaSinkConfig};
                    let cfg = KafkaSinkConfig {
                        brokers: brokers(info, opts, table)?,
                        topic: option(info, opts, table, "topic")
                            .unwrap_or(table)
                            .to_string(),
                        properties: Vec::new(),
                    };
                    let rt = kafka.runtime()?;
                    let _guard = rt.enter();
                    let sink = KafkaSink::new(&cfg).map_err(|e| format!("sink `{table}`: {e}"))?;
                    return Ok(Output::UpsertKafka {
                        sink,
                        schema: crate::store::Schema::of(t),
                    });
                }
                "jdbc" | "hbase" | "ots" | "elasticsearch" => {
                    let store = crate::store::StoreSink::open(info, opts, t)?;
                    return Ok(Output::Store(Box::new(store)));
                }
                "filesystem" => {
                    let dir = option(info, opts, table, "path").ok_or(format!(
                        "sink `{table}`: the filesystem table has no 'path'"
                    ))?;
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("sink `{table}`: {dir}: {e}"))?;
                    format!("{dir}/part-0.json")
                }
                other => {
                    return Err(format!(
                        "sink `{table}` (connector `{other}`): this build cannot write it yet; pass --output {table}=FILE"
                    ));
                }
            }
        }
    };
    if path == "-" {
        return Ok(Output::Writer(Box::new(io::BufWriter::with_capacity(
            WRITER_BUFFER,
            io::stdout(),
        ))));
    }
    let f = std::fs::File::create(&path).map_err(|e| format!("sink `{table}`: {path}: {e}"))?;
    Ok(Output::Writer(Box::new(io::BufWriter::with_capacity(
        WRITER_BUFFER,
        f,
    ))))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Runs `job` with these options to the end of its (bounded) inputs or until
/// SIGINT/SIGTERM; returns the counters.
pub fn run(job: &mut dyn Job, opts: &Options, stop: &AtomicBool) -> Result<Counters, String> {
    let info = job.info();
    if opts.batch_size == 0 {
        // Nothing would ever be read: a busy loop, not a job.
        return Err("batch size 0: a batch holds at least one message".into());
    }
    let kafka = Kafka {
        #[cfg(feature = "kafka")]
        rt: std::cell::OnceCell::new(),
        stop_when_idle: opts.stop_when_idle,
    };
    let mut inputs = Vec::new();
    for s in info.sources {
        inputs.push(open_input(info, opts, s, &kafka)?);
    }
    let mut outputs = Vec::new();
    for s in info.sinks {
        outputs.push(open_output(info, opts, s, &kafka)?);
    }
    let mut dead = match &opts.dead_letter {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("--dead-letter {p}: {e}"))?),
        None => None,
    };
    let mut late = match &opts.late_rows {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("--late-rows {p}: {e}"))?),
        None => None,
    };
    let mut ctx = Ctx::new(now_ms());
    ctx.dead_letter_enabled = dead.is_some();
    ctx.late_rows_enabled = late.is_some();
    if let Some(v) = setting(info, opts, "table.exec.source.idle-timeout") {
        let d = parse_duration(v).map_err(|e| format!("table.exec.source.idle-timeout: {e}"))?;
        // Flink: 0 disables idleness detection.
        ctx.idle_timeout = (!d.is_zero()).then_some(d);
    }
    if let Some(v) = setting(info, opts, "table.exec.emit.allow-lateness") {
        let d = parse_duration(v).map_err(|e| format!("table.exec.emit.allow-lateness: {e}"))?;
        if !d.is_zero() {
            // A late firing changes a window's result after it was emitted: Flink then
            // retracts it (-U/+U). Until window results can be updates, refuse rather
            // than emit a second, contradicting row.
            return Err(format!(
                "table.exec.emit.allow-lateness = {v}: late firings (update rows) are not supported yet; use 0"
            ));
        }
        ctx.allowed_lateness_ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    }
    if let Some(v) = setting(info, opts, "table.exec.state.ttl") {
        let d = parse_duration(v).map_err(|e| format!("table.exec.state.ttl: {e}"))?;
        ctx.state_ttl_ms = (!d.is_zero()).then(|| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    }
    if let Some(v) = setting(info, opts, "table.local-time-zone")
        && !is_utc(v)
    {
        // Windows over a TIMESTAMP_LTZ rowtime align to the session zone's days,
        // and LTZ -> TIMESTAMP casts and CURRENT_DATE shift with it; all of that is
        // computed in UTC here. Refuse rather than silently give UTC results.
        return Err(format!(
            "table.local-time-zone = {v}: only UTC is supported yet; use 'UTC'"
        ));
    }
    ctx.job = Some((info, Arc::new(opts.clone())));
    job.open(&ctx);
    let mut sinks: Vec<SinkBuffer> = (0..info.sinks.len())
        .map(|_| SinkBuffer::default())
        .collect();
    let mut batch = MessageBatch::with_capacity(opts.batch_size, opts.batch_size * 256);
    let mut live: Vec<bool> = vec![true; inputs.len()];
    let started = Instant::now();
    let mut last_progress = Instant::now();
    #[cfg(feature = "kafka")]
    let mut last_commit = Instant::now();
    while live.iter().any(|l| *l) && !stop.load(Ordering::Relaxed) {
        for (i, input) in inputs.iter_mut().enumerate() {
            if !live[i] {
                continue;
            }
            batch.clear();
            live[i] = input
                .fill(&mut batch, opts.batch_size, &kafka)
                .map_err(|e| format!("source `{}`: {e}", info.sources[i]))?;
            ctx.now_ms = now_ms();
            ctx.now = Instant::now();
            for m in batch.iter() {
                ctx.counters.read += 1;
                job.process(i, &m, &mut sinks, &mut ctx);
            }
            job.tick(&mut sinks, &mut ctx);
            if let Some(e) = ctx.fatal.take() {
                return Err(e);
            }
            drain(
                &mut sinks,
                &mut outputs,
                &mut ctx,
                &mut dead,
                &mut late,
                &kafka,
                info,
            )?;
        }
        // At-least-once: the sinks have the rows before the sources' offsets commit.
        // Once a second, not per batch: each commit costs broker round trips.
        #[cfg(feature = "kafka")]
        if last_commit.elapsed() >= COMMIT_INTERVAL {
            commit_kafka(&mut inputs, &mut outputs, &kafka, &*job, &mut ctx)?;
            last_commit = Instant::now();
        }
        if !opts.quiet && last_progress.elapsed() > Duration::from_secs(5) {
            last_progress = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "{}: {} rows in, {} out ({:.0} rows/s)",
                info.name,
                ctx.counters.read,
                ctx.counters.emitted,
                ctx.counters.read as f64 / secs
            );
        }
    }
    if !stop.load(Ordering::Relaxed) {
        // Every bounded source ended (not a signal): fire what is still open.
        ctx.now_ms = now_ms();
        ctx.now = Instant::now();
        job.finish(&mut sinks, &mut ctx);
        if let Some(e) = ctx.fatal.take() {
            return Err(e);
        }
        drain(
            &mut sinks,
            &mut outputs,
            &mut ctx,
            &mut dead,
            &mut late,
            &kafka,
            info,
        )?;
    }
    for (k, o) in outputs.iter_mut().enumerate() {
        if let Output::Writer(w) = o {
            w.flush()
                .map_err(|e| format!("sink `{}`: {e}", info.sinks[k]))?;
        }
    }
    // Also on a signal: what the sinks buffered is written before the job stops.
    flush_stores(&mut outputs, &mut ctx)?;
    write_notes(&mut ctx, &mut dead, &mut late)?;
    #[cfg(feature = "kafka")]
    commit_kafka(&mut inputs, &mut outputs, &kafka, &*job, &mut ctx)?;
    Ok(ctx.counters)
}

/// A file or stdout sink's buffer: it gathers small batches; a batch at least this
/// big (the rule under load) goes to the file without being copied into it.
const WRITER_BUFFER: usize = 64 << 10;

/// Hands the sinks' buffered rows to their outputs, and the dead-letter and late-row
/// notes to their files.
fn drain(
    sinks: &mut [SinkBuffer],
    outputs: &mut [Output],
    ctx: &mut Ctx,
    dead: &mut Option<std::fs::File>,
    late: &mut Option<std::fs::File>,
    kafka: &Kafka,
    info: &JobInfo,
) -> Result<(), String> {
    let _ = kafka;
    for (k, buf) in sinks.iter_mut().enumerate() {
        match &mut outputs[k] {
            Output::Writer(w) => w
                .write_all(&buf.bytes)
                .map_err(|e| format!("sink `{}`: {e}", info.sinks[k]))?,
            Output::Discard => {}
            Output::Store(store) => {
                for (_, row) in buf.records() {
                    store.push(row, ctx);
                }
                store.flush_if_due(ctx)?;
            }
            #[cfg(feature = "kafka")]
            Output::UpsertKafka { sink, schema } => {
                let rt = kafka.runtime()?;
                for (_, row) in buf.records() {
                    match crate::store::upsert_kafka::record(row, schema) {
                        Ok(Some((key, value))) => rt
                            .block_on(sink.send(key.as_deref(), value.as_deref()))
                            .map_err(|e| format!("sink `{}`: {e}", info.sinks[k]))?,
                        Ok(None) => {}
                        Err(reason) => ctx.dead_letter_sink(
                            info.sinks[k],
                            &String::from_utf8_lossy(row),
                            &reason,
                        ),
                    }
                }
            }
            #[cfg(feature = "kafka")]
            Output::Kafka(sink) => {
                let rt = kafka.runtime()?;
                for (key, row) in buf.records() {
                    rt.block_on(sink.send(key, Some(row)))
                        .map_err(|e| format!("sink `{}`: {e}", info.sinks[k]))?;
                }
            }
        }
        ctx.counters.emitted += buf.rows;
        buf.clear();
    }
    write_notes(ctx, dead, late)
}

/// Writes the dead-letter and late-row notes gathered so far to their files.
fn write_notes(
    ctx: &mut Ctx,
    dead: &mut Option<std::fs::File>,
    late: &mut Option<std::fs::File>,
) -> Result<(), String> {
    if let Some(d) = dead {
        d.write_all(&ctx.dead_letters)
            .map_err(|e| format!("--dead-letter: {e}"))?;
    }
    ctx.dead_letters.clear();
    if let Some(l) = late {
        l.write_all(&ctx.late_rows)
            .map_err(|e| format!("--late-rows: {e}"))?;
    }
    ctx.late_rows.clear();
    Ok(())
}

/// How often Kafka sources commit (after the sinks flush).
#[cfg(feature = "kafka")]
const COMMIT_INTERVAL: Duration = Duration::from_secs(1);

/// Writes every store sink's buffer (rows coalesced so far), so that what a commit
/// covers is in the stores: before a Kafka commit and at the end of the input.
fn flush_stores(outputs: &mut [Output], ctx: &mut Ctx) -> Result<(), String> {
    for o in outputs.iter_mut() {
        if let Output::Store(store) = o {
            store.flush(ctx)?;
        }
    }
    Ok(())
}

/// Flushes the Kafka and store sinks, then commits every Kafka source's handed-out
/// offsets, but never past a row the job still holds in an open window.
#[cfg(feature = "kafka")]
fn commit_kafka(
    inputs: &mut [Input],
    outputs: &mut [Output],
    kafka: &Kafka,
    job: &dyn Job,
    ctx: &mut Ctx,
) -> Result<(), String> {
    let info = job.info();
    // Without a Kafka source there is nothing to commit: store sinks then flush on
    // their own schedule.
    if inputs.iter().any(|i| matches!(i, Input::Kafka { .. })) {
        flush_stores(outputs, ctx)?;
    }
    flush_kafka_sinks(outputs, kafka, info)?;
    for (i, input) in inputs.iter_mut().enumerate() {
        if let Input::Kafka { source, .. } = input
            && let Err(e) = source.commit_below(|t, p| job.held_offset(i, t, p))
        {
            eprintln!(
                "kafka source `{}`: commit failed, will retry: {e}",
                info.sources[i]
            );
        }
    }
    Ok(())
}

/// Waits until every Kafka sink's records are acknowledged (bounded, so a broker
/// that is away cannot hang the job for librdkafka's five-minute message timeout).
#[cfg(feature = "kafka")]
fn flush_kafka_sinks(outputs: &mut [Output], kafka: &Kafka, info: &JobInfo) -> Result<(), String> {
    for (k, o) in outputs.iter_mut().enumerate() {
        if let Output::Kafka(sink) | Output::UpsertKafka { sink, .. } = o {
            let rt = kafka.runtime()?;
            let flushed = rt.block_on(async {
                tokio::time::timeout(Duration::from_secs(60), sink.flush()).await
            });
            match flushed {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(format!("sink `{}`: {e}", info.sinks[k])),
                Err(_) => {
                    return Err(format!(
                        "sink `{}`: the broker did not acknowledge within 60 s",
                        info.sinks[k]
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The whole job binary: parse arguments, run, print the summary, exit status.
pub fn main(job: &mut dyn Job) -> ExitCode {
    let info = job.info();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(info, &args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{}", help(info));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}: {e}", info.name);
            return ExitCode::from(2);
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(sig, Arc::clone(&stop)) {
            eprintln!("{}: cannot install a signal handler: {e}", info.name);
        }
    }
    match run(job, &opts, &stop) {
        Ok(c) => {
            if !opts.quiet {
                eprintln!(
                    "{}: read {}, emitted {}, filtered {}, decode errors {}, failed {}, late {}",
                    info.name, c.read, c.emitted, c.filtered, c.decode_errors, c.failed, c.late
                );
                if c.store_writes > 0 {
                    eprintln!(
                        "{}: store writes {} ({} rows after coalescing)",
                        info.name, c.store_writes, c.store_rows
                    );
                }
                if c.lookup_round_trips + c.lookup_cache_hits > 0 {
                    eprintln!(
                        "{}: lookups: {} round trips for {} keys, {} cache hits",
                        info.name, c.lookup_round_trips, c.lookup_keys, c.lookup_cache_hits
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", info.name);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INFO: JobInfo = JobInfo {
        name: "j",
        dialect: "Flink",
        tables: &[TableInfo {
            name: "t",
            connector: "kafka",
            options: &[("topic", "from-with"), ("group.id", "g")],
            columns: &[],
            primary_key: &[],
        }],
        sources: &["t"],
        sinks: &[],
        plan: "",
        settings: &[],
    };

    #[test]
    fn settings_come_from_set_statements_and_set_options() {
        static WITH_SETTINGS: JobInfo = JobInfo {
            settings: &[
                ("table.exec.source.idle-timeout", "5 s"),
                ("table.exec.emit.allow-lateness", "0"),
            ],
            ..INFO
        };
        let mut opts = Options::default();
        assert_eq!(
            setting(&WITH_SETTINGS, &opts, "table.exec.source.idle-timeout"),
            Some("5 s")
        );
        opts.sets
            .push(("table.exec.source.idle-timeout".into(), "250 ms".into()));
        assert_eq!(
            setting(&WITH_SETTINGS, &opts, "table.exec.source.idle-timeout"),
            Some("250 ms")
        );
        assert_eq!(setting(&INFO, &Options::default(), "nope"), None);
    }

    /// A job that would need late firings (updates of emitted window results) refuses
    /// to start instead of emitting contradicting rows.
    #[test]
    fn non_zero_allowed_lateness_is_refused() {
        struct Nothing;
        impl Job for Nothing {
            fn info(&self) -> &'static JobInfo {
                &INFO
            }
            fn process(&mut self, _: usize, _: &Message<'_>, _: &mut [SinkBuffer], _: &mut Ctx) {}
        }
        let opts = Options {
            sets: vec![("table.exec.emit.allow-lateness".into(), "1 min".into())],
            inputs: vec![("t".into(), "/dev/null".into())],
            ..Options::default()
        };
        let err = run(&mut Nothing, &opts, &AtomicBool::new(false)).unwrap_err();
        assert!(err.contains("allow-lateness"), "{err}");
    }

    /// Everything time-zone dependent (windows over a TIMESTAMP_LTZ rowtime are
    /// aligned to local days, LTZ -> TIMESTAMP casts, CURRENT_DATE) is computed in UTC:
    /// a job set to another zone refuses to start instead of silently using UTC.
    #[test]
    fn a_local_time_zone_other_than_utc_is_refused() {
        struct Nothing;
        impl Job for Nothing {
            fn info(&self) -> &'static JobInfo {
                &INFO
            }
            fn process(&mut self, _: usize, _: &Message<'_>, _: &mut [SinkBuffer], _: &mut Ctx) {}
        }
        let with_zone = |zone: &str| Options {
            sets: vec![("table.local-time-zone".into(), zone.into())],
            inputs: vec![("t".into(), "/dev/null".into())],
            quiet: true,
            ..Options::default()
        };
        let err = run(
            &mut Nothing,
            &with_zone("Asia/Shanghai"),
            &AtomicBool::new(false),
        )
        .unwrap_err();
        assert!(err.contains("table.local-time-zone"), "{err}");
        for utc in ["UTC", "utc", "Etc/UTC", "GMT", "GMT+00:00", "Z", "Zulu"] {
            run(&mut Nothing, &with_zone(utc), &AtomicBool::new(false)).unwrap();
        }
        assert!(
            run(
                &mut Nothing,
                &with_zone("GMT+08:00"),
                &AtomicBool::new(false)
            )
            .is_err()
        );
    }

    #[test]
    fn options_layer_with_config_and_set() {
        let dir = std::env::temp_dir().join(format!("streamsql-opts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = dir.join("job.conf");
        std::fs::write(&cfg, "# comment\nt.topic = from-config\nt.extra=x\n").unwrap();
        let args: Vec<String> = [
            "--config",
            cfg.to_str().unwrap(),
            "--set",
            "t.extra=from-set",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let o = parse_args(&INFO, &args).unwrap().unwrap();
        assert_eq!(option(&INFO, &o, "t", "topic"), Some("from-config"));
        assert_eq!(option(&INFO, &o, "t", "extra"), Some("from-set"));
        assert_eq!(option(&INFO, &o, "t", "group.id"), Some("g"));
        assert!(parse_args(&INFO, &["--input".into(), "nope=x".into()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A batch of zero messages would read nothing forever: the default reads, and 0 is
    /// refused.
    #[test]
    fn the_batch_size_is_at_least_one() {
        assert_eq!(Options::default().batch_size, DEFAULT_BATCH_SIZE);
        assert_eq!(
            parse_args(&INFO, &[]).unwrap().unwrap().batch_size,
            DEFAULT_BATCH_SIZE
        );
        let zero = ["--batch-size".to_string(), "0".to_string()];
        assert!(parse_args(&INFO, &zero).is_err());
    }
}
