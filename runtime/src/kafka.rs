//! Kafka source and sink (feature `kafka`), over librdkafka.
//!
//! In: a consumer configuration (brokers, topics, group, start offset) or a producer
//! configuration (brokers, topic). Out: [`KafkaSource::next_batch`] appends records to
//! a [`MessageBatch`] (one copy, from librdkafka's fetch buffer into the batch);
//! [`KafkaSink::send`] queues records in librdkafka, which batches them per partition.
//!
//! Delivery is at-least-once: the source tracks the offsets it has handed out and
//! commits them only when asked ([`KafkaSource::commit`], after the sinks hold the
//! rows, i.e. after [`KafkaSink::flush`]); the sink never drops a record (a full queue
//! makes `send` wait) and reports a record librdkafka gave up on at the next `send` or
//! `flush`.
//!
//! Broker trouble (a broker that goes away, a connection refused) is retried inside
//! librdkafka; what it reports comes back as a [`KafkaError`] whose
//! [`is_fatal`](KafkaError::is_fatal) says whether the client can go on. Nothing here
//! panics on a broker error.
//!
//! Both halves need a Tokio runtime with the time driver (they sleep while waiting).

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_util::Stream;
use rdkafka::ClientConfig;
use rdkafka::Offset;
use rdkafka::TopicPartitionList;
use rdkafka::client::ClientContext;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, RebalanceProtocol, StreamConsumer,
};
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::{DeliveryResult, Message as _};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::types::{RDKafkaErrorCode, RDKafkaRespErr};

use crate::batch::MessageBatch;

/// An error from Kafka or from librdkafka's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaError {
    /// What we were doing (`"consume"`, `"commit"`, `"produce"`, ...).
    op: &'static str,
    message: String,
    code: Option<RDKafkaErrorCode>,
    fatal: bool,
}

impl KafkaError {
    fn new(op: &'static str, message: impl Into<String>) -> Self {
        KafkaError {
            op,
            message: message.into(),
            code: None,
            fatal: false,
        }
    }

    fn from_rd(op: &'static str, e: &RdError) -> Self {
        let code = e.rdkafka_error_code();
        let fatal = matches!(
            e,
            RdError::MessageConsumptionFatal(_)
                | RdError::ClientConfig(..)
                | RdError::ClientCreation(_)
                | RdError::Subscription(_)
        ) || code == Some(RDKafkaErrorCode::Fatal);
        KafkaError {
            op,
            message: e.to_string(),
            code,
            fatal,
        }
    }

    /// The operation that failed (`"consume"`, `"commit"`, `"produce"`, `"delivery"`,
    /// `"config"`, ...).
    pub fn op(&self) -> &'static str {
        self.op
    }

    /// librdkafka's error code, when there is one.
    pub fn code(&self) -> Option<RDKafkaErrorCode> {
        self.code
    }

    /// True when the client cannot go on (bad configuration, a fatal librdkafka
    /// error). Other errors are reports of trouble librdkafka keeps retrying: log them
    /// and call again.
    pub fn is_fatal(&self) -> bool {
        self.fatal
    }
}

impl fmt::Display for KafkaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kafka {}: {}", self.op, self.message)?;
        if self.fatal {
            f.write_str(" (fatal)")?;
        }
        Ok(())
    }
}

impl std::error::Error for KafkaError {}

/// Where a consumer starts in a partition it has not read before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StartOffset {
    /// The first offset still held by the broker, whatever the group committed.
    Earliest,
    /// The end of the partition (only records produced from now on), whatever the
    /// group committed.
    Latest,
    /// The group's committed offset; the earliest offset where there is none.
    #[default]
    Committed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaSourceConfig {
    /// `host:port[,host:port...]` (librdkafka's `bootstrap.servers`).
    pub brokers: String,
    pub topics: Vec<String>,
    pub group_id: String,
    pub start: StartOffset,
    /// Passed through to librdkafka, after (so overriding) this module's defaults.
    pub properties: Vec<(String, String)>,
}

/// This module's consumer defaults (the config's `properties` override them).
///
/// `session.timeout.ms` is 6000: the lowest a stock Kafka broker accepts
/// (`group.min.session.timeout.ms`) and within what Tansu handles (1000-6000; a
/// group join there takes about half of it).
pub const SOURCE_DEFAULTS: &[(&str, &str)] = &[
    ("enable.auto.commit", "false"),
    ("enable.auto.offset.store", "false"),
    ("enable.partition.eof", "false"),
    ("session.timeout.ms", "6000"),
    ("heartbeat.interval.ms", "1500"),
    ("fetch.wait.max.ms", "100"),
];

/// Offsets handed out for one partition.
#[derive(Debug)]
struct Position {
    topic: String,
    partition: i32,
    /// The next offset to read (last handed out + 1): what a commit stores.
    next: i64,
    /// Handed out since the last commit.
    dirty: bool,
}

/// What the rebalance callback shares with the source.
#[derive(Debug, Default)]
struct RebalanceState {
    /// Partitions assigned at least once (the start offset applies only before that).
    seen: Vec<(String, i32)>,
    /// Partitions revoked since the source last looked.
    revoked: Vec<(String, i32)>,
    /// The last rebalance error, reported by the next `next_batch`.
    error: Option<KafkaError>,
}

/// Shared by the rebalance callback (which librdkafka runs inside the source's own
/// polls) and the source.
#[derive(Debug, Default)]
struct Shared {
    /// Set when `state` has revocations or an error to look at (checked per record).
    news: AtomicBool,
    state: Mutex<RebalanceState>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, RebalanceState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct SourceContext {
    start: StartOffset,
    shared: Arc<Shared>,
}

impl ClientContext for SourceContext {}

impl SourceContext {
    fn lock(&self) -> std::sync::MutexGuard<'_, RebalanceState> {
        self.shared.lock()
    }
}

impl ConsumerContext for SourceContext {
    // librdkafka's default rebalance, plus: a partition seen for the first time starts
    // at `start` (Earliest/Latest ignore the committed offset, as Flink's
    // `earliest-offset`/`latest-offset` do), and revoked partitions are remembered so
    // their uncommitted positions are dropped (the next owner re-reads them).
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        tpl: &mut TopicPartitionList,
    ) {
        let cooperative = matches!(
            consumer.rebalance_protocol(),
            RebalanceProtocol::Cooperative
        );
        let result = match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                {
                    let mut st = self.lock();
                    let parts: Vec<(String, i32)> = tpl
                        .elements()
                        .iter()
                        .map(|e| (e.topic().to_string(), e.partition()))
                        .collect();
                    for (topic, partition) in parts {
                        if st.seen.iter().any(|(t, p)| *t == topic && *p == partition) {
                            continue;
                        }
                        let offset = match self.start {
                            StartOffset::Earliest => Some(Offset::Beginning),
                            StartOffset::Latest => Some(Offset::End),
                            StartOffset::Committed => None,
                        };
                        if let Some(offset) = offset {
                            // Cannot fail: the partition is in the list.
                            let _ = tpl.set_partition_offset(&topic, partition, offset);
                        }
                        st.seen.push((topic, partition));
                    }
                }
                if cooperative {
                    consumer.incremental_assign(tpl)
                } else {
                    consumer.assign(tpl)
                }
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                self.lock().revoked.extend(
                    tpl.elements()
                        .iter()
                        .map(|e| (e.topic().to_string(), e.partition())),
                );
                if cooperative {
                    consumer.incremental_unassign(tpl)
                } else {
                    consumer.unassign()
                }
            }
            other => {
                let code: RDKafkaErrorCode = other.into();
                let e = KafkaError::new("rebalance", code.to_string());
                self.lock().error = Some(e);
                consumer.unassign()
            }
        };
        if let Err(e) = result {
            self.lock().error = Some(KafkaError::from_rd("rebalance", &e));
        }
        self.shared.news.store(true, Ordering::Release);
    }
}

/// A consumer-group member reading records into [`MessageBatch`]es.
pub struct KafkaSource {
    consumer: StreamConsumer<SourceContext>,
    shared: Arc<Shared>,
    positions: Vec<Position>,
    /// An error met after some records of a batch were already taken: reported by the
    /// next call.
    pending: Option<KafkaError>,
}

impl fmt::Debug for KafkaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaSource")
            .field("positions", &self.positions)
            .finish_non_exhaustive()
    }
}

fn client_config(
    brokers: &str,
    defaults: &[(&str, &str)],
    extra: &[(&str, &str)],
    properties: &[(String, String)],
) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", brokers);
    for (k, v) in defaults.iter().chain(extra) {
        cfg.set(*k, *v);
    }
    for (k, v) in properties {
        cfg.set(k, v);
    }
    cfg
}

impl KafkaSource {
    /// Creates the consumer and subscribes to the topics (the group join itself happens
    /// in the background, during the first [`KafkaSource::next_batch`] calls). Call it
    /// inside a Tokio runtime (with the time driver): outside one it is an error.
    pub fn new(cfg: &KafkaSourceConfig) -> Result<Self, KafkaError> {
        if cfg.topics.is_empty() {
            return Err(KafkaError {
                fatal: true,
                ..KafkaError::new("config", "a Kafka source needs at least one topic")
            });
        }
        // rdkafka's stream consumer spawns a Tokio task when it is created.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(KafkaError {
                fatal: true,
                ..KafkaError::new(
                    "config",
                    "a Kafka source must be created inside a Tokio runtime",
                )
            });
        }
        let reset = match cfg.start {
            StartOffset::Latest => "latest",
            StartOffset::Earliest | StartOffset::Committed => "earliest",
        };
        let config = client_config(
            &cfg.brokers,
            SOURCE_DEFAULTS,
            &[("group.id", &cfg.group_id), ("auto.offset.reset", reset)],
            &cfg.properties,
        );
        let shared = Arc::new(Shared::default());
        let context = SourceContext {
            start: cfg.start,
            shared: shared.clone(),
        };
        let consumer: StreamConsumer<SourceContext> = config
            .create_with_context(context)
            .map_err(|e| KafkaError::from_rd("config", &e))?;
        let topics: Vec<&str> = cfg.topics.iter().map(String::as_str).collect();
        consumer
            .subscribe(&topics)
            .map_err(|e| KafkaError::from_rd("subscribe", &e))?;
        Ok(KafkaSource {
            consumer,
            shared,
            positions: Vec::new(),
            pending: None,
        })
    }

    fn take_rebalance_news(&mut self) -> Result<(), KafkaError> {
        rebalance_news(&self.shared, &mut self.positions)
    }

    /// Appends up to `max` messages to `batch` (key, value, topic, partition, offset,
    /// timestamp), waiting at most `wait` for the first one; the rest are only those
    /// already fetched. Returns how many arrived (0 when `wait` passed).
    ///
    /// A tombstone (a record without a value) arrives with an empty value. Errors that
    /// librdkafka reports while it retries (a broker down, an offset reset) come back
    /// as non-fatal [`KafkaError`]s: the source stays usable.
    pub async fn next_batch(
        &mut self,
        batch: &mut MessageBatch,
        max: usize,
        wait: Duration,
    ) -> Result<usize, KafkaError> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        self.take_rebalance_news()?;
        if max == 0 {
            return Ok(0);
        }
        let deadline = tokio::time::Instant::now() + wait;
        let KafkaSource {
            consumer,
            shared,
            positions,
            pending,
        } = self;
        let mut stream = consumer.stream();
        let mut n = 0;
        let mut last = usize::MAX;
        // A rebalance runs inside a poll: its revocations apply before the next record.
        let news = |positions: &mut Vec<Position>, last: &mut usize| {
            if shared.news.load(Ordering::Acquire) {
                *last = usize::MAX;
                rebalance_news(shared, positions)
            } else {
                Ok(())
            }
        };
        // The first record: wait for it.
        while n == 0 {
            let next = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx));
            let r = tokio::time::timeout_at(deadline, next).await;
            news(positions, &mut last)?;
            match r {
                Err(_) | Ok(None) => return Ok(0),
                Ok(Some(Ok(m))) => {
                    take(batch, positions, &mut last, &m);
                    n += 1;
                }
                Ok(Some(Err(RdError::PartitionEOF(_)))) => {}
                Ok(Some(Err(e))) => return Err(KafkaError::from_rd("consume", &e)),
            }
        }
        // The rest: only what is already fetched.
        let mut cx = Context::from_waker(Waker::noop());
        while n < max {
            let r = Pin::new(&mut stream).poll_next(&mut cx);
            if let Err(e) = news(positions, &mut last) {
                *pending = Some(e);
                break;
            }
            match r {
                Poll::Ready(Some(Ok(m))) => {
                    take(batch, positions, &mut last, &m);
                    n += 1;
                }
                Poll::Ready(Some(Err(RdError::PartitionEOF(_)))) => {}
                Poll::Ready(Some(Err(e))) => {
                    *pending = Some(KafkaError::from_rd("consume", &e));
                    break;
                }
                Poll::Ready(None) | Poll::Pending => break,
            }
        }
        Ok(n)
    }

    /// Commits, for every partition, the offsets of all messages handed out so far
    /// (call only after the sinks have the rows: at-least-once). Blocks for one round
    /// trip to the group coordinator; does nothing when nothing new was handed out.
    pub fn commit(&mut self) -> Result<(), KafkaError> {
        self.commit_below(|_, _| None)
    }

    /// Like [`KafkaSource::commit`], but never past `held(topic, partition)`: the
    /// lowest offset whose rows the job still holds in operator state (open windows),
    /// so a restart reads those again instead of losing them.
    pub fn commit_below(
        &mut self,
        held: impl Fn(&str, i32) -> Option<i64>,
    ) -> Result<(), KafkaError> {
        self.take_rebalance_news()?;
        let mut tpl = TopicPartitionList::new();
        let mut done = Vec::new();
        for (i, p) in self.positions.iter().enumerate().filter(|(_, p)| p.dirty) {
            let to = held(&p.topic, p.partition).map_or(p.next, |h| h.min(p.next));
            tpl.add_partition_offset(&p.topic, p.partition, Offset::Offset(to))
                .map_err(|e| KafkaError::from_rd("commit", &e))?;
            // Clamped: commit again later, when the held rows are out.
            if to == p.next {
                done.push(i);
            }
        }
        if tpl.count() == 0 {
            return Ok(());
        }
        self.consumer
            .commit(&tpl, CommitMode::Sync)
            .map_err(|e| KafkaError::from_rd("commit", &e))?;
        for i in done {
            self.positions[i].dirty = false;
        }
        Ok(())
    }

    /// Whether the group has given this consumer any partitions yet (the join happens
    /// during the first polls and takes seconds).
    pub fn is_assigned(&self) -> bool {
        self.consumer.assignment().is_ok_and(|l| l.count() > 0)
    }

    /// The next offset to read per partition handed out so far (what
    /// [`KafkaSource::commit`] would store), as `(topic, partition, offset)`.
    pub fn positions(&self) -> Vec<(&str, i32, i64)> {
        self.positions
            .iter()
            .map(|p| (p.topic.as_str(), p.partition, p.next))
            .collect()
    }
}

/// Applies what rebalances left: drops the positions of revoked partitions (their
/// uncommitted records go to the next owner) and returns a rebalance error.
fn rebalance_news(shared: &Shared, positions: &mut Vec<Position>) -> Result<(), KafkaError> {
    shared.news.store(false, Ordering::Release);
    let (revoked, error) = {
        let mut st = shared.lock();
        (std::mem::take(&mut st.revoked), st.error.take())
    };
    if !revoked.is_empty() {
        positions.retain(|p| {
            !revoked
                .iter()
                .any(|(t, part)| *t == p.topic && *part == p.partition)
        });
    }
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Copies one record into the batch and advances its partition's position. `last` is
/// the index of the previous record's position (records come in runs per partition).
fn take(
    batch: &mut MessageBatch,
    positions: &mut Vec<Position>,
    last: &mut usize,
    m: &rdkafka::message::BorrowedMessage<'_>,
) {
    let topic = m.topic();
    let partition = m.partition();
    let offset = m.offset();
    batch.push(
        m.key(),
        m.payload().unwrap_or(&[]),
        topic,
        partition,
        offset,
        m.timestamp().to_millis(),
    );
    let i = match positions.get(*last) {
        Some(p) if p.partition == partition && p.topic == topic => *last,
        _ => match positions
            .iter()
            .position(|p| p.partition == partition && p.topic == topic)
        {
            Some(i) => i,
            None => {
                positions.push(Position {
                    topic: topic.to_string(),
                    partition,
                    next: offset + 1,
                    dirty: true,
                });
                positions.len() - 1
            }
        },
    };
    // Not `max`: after an offset reset (a log that shrank, a seek) the position goes
    // back, and a commit must store where reading goes on.
    let p = &mut positions[i];
    p.next = offset + 1;
    p.dirty = true;
    *last = i;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaSinkConfig {
    pub brokers: String,
    pub topic: String,
    /// Passed through to librdkafka, after (so overriding) this module's defaults.
    pub properties: Vec<(String, String)>,
}

/// This module's producer defaults (the config's `properties` override them): large
/// batches after a short linger, delivery reports only for failures.
pub const SINK_DEFAULTS: &[(&str, &str)] = &[
    ("linger.ms", "5"),
    ("batch.num.messages", "10000"),
    ("batch.size", "1000000"),
    ("queue.buffering.max.messages", "200000"),
    ("queue.buffering.max.kbytes", "1048576"),
    ("delivery.report.only.error", "true"),
    ("acks", "all"),
];

/// Records that librdkafka gave up on (after its retries and `message.timeout.ms`).
#[derive(Debug, Default)]
struct Failures {
    count: u64,
    first: Option<KafkaError>,
}

struct SinkContext {
    failures: Mutex<Failures>,
}

impl ClientContext for SinkContext {}

impl ProducerContext for SinkContext {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, _)) = result {
            let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
            f.count += 1;
            if f.first.is_none() {
                f.first = Some(KafkaError::from_rd("delivery", e));
            }
        }
    }
}

/// A producer to one topic. Records go to partitions by key (librdkafka's default
/// partitioner); records without a key are spread.
pub struct KafkaSink {
    producer: BaseProducer<SinkContext>,
    topic: String,
    since_poll: u32,
}

impl fmt::Debug for KafkaSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaSink")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

/// Serve delivery reports every this many records.
const POLL_EVERY: u32 = 1024;
/// How long `send` and `flush` sleep between looks at librdkafka's queue.
const BACKOFF: Duration = Duration::from_millis(1);

impl KafkaSink {
    pub fn new(cfg: &KafkaSinkConfig) -> Result<Self, KafkaError> {
        let config = client_config(&cfg.brokers, SINK_DEFAULTS, &[], &cfg.properties);
        let producer = config
            .create_with_context(SinkContext {
                failures: Mutex::new(Failures::default()),
            })
            .map_err(|e| KafkaError::from_rd("config", &e))?;
        Ok(KafkaSink {
            producer,
            topic: cfg.topic.clone(),
            since_poll: 0,
        })
    }

    fn take_failure(&self) -> Result<(), KafkaError> {
        let mut f = self
            .producer
            .context()
            .failures
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match f.first.take() {
            Some(mut e) => {
                if f.count > 1 {
                    e.message = format!("{} (and {} more records failed)", e.message, f.count - 1);
                }
                f.count = 0;
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// Queues one record (a `None` value is a tombstone); back-pressure by waiting
    /// when librdkafka's queue is full, never by dropping. An error is either this
    /// record refused (too large, unknown topic, ...) or an earlier record that
    /// librdkafka gave up on.
    pub async fn send(
        &mut self,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
    ) -> Result<(), KafkaError> {
        loop {
            let mut record = BaseRecord::<[u8], [u8]>::to(&self.topic);
            if let Some(k) = key {
                record = record.key(k);
            }
            if let Some(v) = value {
                record = record.payload(v);
            }
            match self.producer.send(record) {
                Ok(()) => break,
                Err((RdError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    self.producer.poll(Duration::ZERO);
                    self.take_failure()?;
                    tokio::time::sleep(BACKOFF).await;
                }
                Err((e, _)) => return Err(KafkaError::from_rd("produce", &e)),
            }
        }
        self.since_poll += 1;
        if self.since_poll >= POLL_EVERY {
            self.since_poll = 0;
            self.producer.poll(Duration::ZERO);
            self.take_failure()?;
        }
        Ok(())
    }

    /// Waits until every queued record is acknowledged by the broker (or given up on
    /// by librdkafka after `message.timeout.ms`, an error). Wrap it in a timeout to
    /// bound the wait while a broker is down.
    pub async fn flush(&mut self) -> Result<(), KafkaError> {
        loop {
            self.producer.poll(Duration::ZERO);
            if self.producer.in_flight_count() == 0 {
                break;
            }
            tokio::time::sleep(BACKOFF).await;
        }
        self.since_poll = 0;
        self.take_failure()
    }

    /// Records queued or in flight, not yet acknowledged.
    pub fn in_flight(&self) -> usize {
        usize::try_from(self.producer.in_flight_count()).unwrap_or(0)
    }
}

/// Creates a topic (replication factor 1) unless it exists. For tests and tools: a
/// job's topics are expected to exist.
pub async fn create_topic(brokers: &str, topic: &str, partitions: i32) -> Result<(), KafkaError> {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;

    let admin: AdminClient<DefaultClientContext> =
        client_config(brokers, &[], &[], &[])
            .create()
            .map_err(|e| KafkaError::from_rd("config", &e))?;
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let results = admin
        .create_topics([&new], &opts)
        .await
        .map_err(|e| KafkaError::from_rd("create topic", &e))?;
    for r in results {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => {
                return Err(KafkaError {
                    code: Some(code),
                    ..KafkaError::new("create topic", format!("{name}: {code}"))
                });
            }
        }
    }
    Ok(())
}

/// When a bounded read of a source is over: once the source has its partitions, after
/// it has given nothing for `idle`. The group join does not count against `idle` (on a
/// loaded machine it alone can take longer), but a source never assigned anything gives
/// up after [`IdleStop::JOIN_WAIT`].
#[derive(Debug)]
pub struct IdleStop {
    idle: Duration,
    since: Option<std::time::Instant>,
    assigned: bool,
}

impl IdleStop {
    /// How long a source may wait for its first partitions.
    pub const JOIN_WAIT: Duration = Duration::from_secs(60);

    pub fn new(idle: Duration) -> Self {
        IdleStop {
            idle,
            since: None,
            assigned: false,
        }
    }

    /// Call after each poll of `source` with how many records it gave: true when the
    /// read is over.
    pub fn over(&mut self, source: &KafkaSource, got: usize) -> bool {
        if got > 0 {
            self.since = None;
            return false;
        }
        if !self.assigned && source.is_assigned() {
            // The clock starts again when the partitions arrive.
            self.assigned = true;
            self.since = None;
        }
        let since = *self.since.get_or_insert_with(std::time::Instant::now);
        let limit = if self.assigned {
            self.idle
        } else {
            self.idle.max(Self::JOIN_WAIT)
        };
        since.elapsed() >= limit
    }
}

/// A current-thread Tokio runtime for the blocking helpers below.
fn blocking_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// Creates `topic` with one partition unless it exists, so that its records keep the
/// order they were produced in (a topic the broker creates on first use may have
/// several). For tools and tests.
pub fn ensure_ordered_topic(brokers: &str, topic: &str) -> Result<(), String> {
    blocking_runtime()?
        .block_on(create_topic(brokers, topic, 1))
        .map_err(|e| e.to_string())
}

/// Each line of `data` as one record of `topic` (no key; an empty line is an empty
/// record, as a file source reads it; a final newline ends the last line), in order:
/// a new topic gets one partition. How many. For tools and tests that stage a job's
/// input.
pub fn produce_lines(brokers: &str, topic: &str, data: &[u8]) -> Result<usize, String> {
    blocking_runtime()?.block_on(async {
        create_topic(brokers, topic, 1)
            .await
            .map_err(|e| e.to_string())?;
        let mut sink = KafkaSink::new(&KafkaSinkConfig {
            brokers: brokers.to_string(),
            topic: topic.to_string(),
            properties: Vec::new(),
        })
        .map_err(|e| e.to_string())?;
        let mut n = 0;
        if !data.is_empty() {
            let text = data.strip_suffix(b"\n").unwrap_or(data);
            for line in text.split(|b| *b == b'\n') {
                sink.send(None, Some(line))
                    .await
                    .map_err(|e| e.to_string())?;
                n += 1;
            }
        }
        sink.flush().await.map_err(|e| e.to_string())?;
        Ok(n)
    })
}

/// Every record value of `topic` from its earliest offset, read until the topic has
/// given nothing for `idle`. For tools and tests that read a job's output back.
pub fn read_values(brokers: &str, topic: &str, idle: Duration) -> Result<Vec<Vec<u8>>, String> {
    blocking_runtime()?.block_on(async {
        let mut src = KafkaSource::new(&KafkaSourceConfig {
            brokers: brokers.to_string(),
            topics: vec![topic.to_string()],
            group_id: format!("{topic}-reader"),
            start: StartOffset::Earliest,
            properties: vec![("session.timeout.ms".into(), "2000".into())],
        })
        .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let mut batch = MessageBatch::default();
        let mut stop = IdleStop::new(idle);
        loop {
            batch.clear();
            let got = src
                .next_batch(&mut batch, 4096, Duration::from_millis(300))
                .await
                .map_err(|e| e.to_string())?;
            out.extend(batch.iter().map(|m| m.value.to_vec()));
            if stop.over(&src, got) {
                return Ok(out);
            }
        }
    })
}
