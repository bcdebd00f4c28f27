//! Store sinks through the real job driver (`driver::run`), against SQLite (a temp
//! file), MariaDB and PostgreSQL (`STREAMSQL_MYSQL_URL`, `STREAMSQL_POSTGRES_URL`, from
//! `tests/db/servers.sh`), a Kafka broker for upsert-kafka (`STREAMSQL_KAFKA_BROKERS`
//! or `tests/kafka/broker.sh`) and a stand-in Elasticsearch (an HTTP server in
//! this file speaking the `_bulk` request/response format; no Elasticsearch can be
//! installed here).
//!
//! The job is hand-written: it copies each input line — a changelog row as generated
//! code encodes it — into its sink's buffer, so these tests depend only on the driver
//! and the store sinks. A TCP proxy in this file stands between the job and a database
//! to make it refuse connections at start, or cut them mid-run.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streamsql_runtime::batch::Message;
use streamsql_runtime::driver::{self, Counters, Ctx, Options, SinkBuffer};
use streamsql_runtime::{JobInfo, TableInfo, store};
use streamsql_tests::support::{Proxy, server_addr, temp_dir, unique};

// ---------------------------------------------------------------------------------
// The job: input lines straight into the sink buffer.

const SOURCE: TableInfo = TableInfo {
    name: "changes",
    connector: "filesystem",
    options: &[],
    columns: &[],
    primary_key: &[],
};

const COLUMNS: &[(&str, &str)] = &[
    ("id", "BIGINT NOT NULL"),
    ("name", "VARCHAR(8)"),
    ("score", "DOUBLE"),
    ("amount", "DECIMAL(10, 2)"),
    ("active", "BOOLEAN"),
    ("day", "DATE"),
    ("ts", "TIMESTAMP(3)"),
    ("payload", "BYTES"),
];

static JDBC: JobInfo = JobInfo {
    name: "stores_test",
    dialect: "Flink",
    tables: &[
        SOURCE,
        TableInfo {
            name: "scores",
            connector: "jdbc",
            options: &[("connector", "jdbc")],
            columns: COLUMNS,
            primary_key: &["id"],
        },
    ],
    sources: &["changes"],
    sinks: &["scores"],
    plan: "",
    settings: &[],
};

static ES: JobInfo = JobInfo {
    name: "es_test",
    dialect: "Flink",
    tables: &[
        SOURCE,
        TableInfo {
            name: "people",
            connector: "elasticsearch",
            options: &[("connector", "elasticsearch-7"), ("index", "people")],
            columns: &[
                ("id", "INT NOT NULL"),
                ("region", "STRING NOT NULL"),
                ("name", "STRING"),
            ],
            primary_key: &["id", "region"],
        },
    ],
    sources: &["changes"],
    sinks: &["people"],
    plan: "",
    settings: &[],
};

static UPSERT_KAFKA: JobInfo = JobInfo {
    name: "upsert_kafka_test",
    dialect: "Flink",
    tables: &[
        SOURCE,
        TableInfo {
            name: "totals",
            connector: "upsert-kafka",
            options: &[("connector", "upsert-kafka")],
            columns: &[("k", "STRING NOT NULL"), ("n", "BIGINT")],
            primary_key: &["k"],
        },
    ],
    sources: &["changes"],
    sinks: &["totals"],
    plan: "",
    settings: &[],
};

/// A Blink cloudhbase table: a rowkey -> columns table in the same stores.
static HBASE: JobInfo = JobInfo {
    name: "hbase_test",
    dialect: "Blink",
    tables: &[
        SOURCE,
        TableInfo {
            name: "user_profile",
            connector: "hbase",
            options: &[
                ("type", "cloudhbase"),
                ("zkQuorum", "zk:2181"),
                ("tableName", "profiles"),
                ("columnFamily", "cf"),
            ],
            columns: &[
                ("rowkey", "STRING NOT NULL"),
                ("visits", "BIGINT"),
                ("last_shop", "STRING"),
            ],
            primary_key: &["rowkey"],
        },
    ],
    sources: &["changes"],
    sinks: &["user_profile"],
    plan: "",
    settings: &[],
};

/// Copies every message into the sink; `at` runs before message `n` (0-based).
struct Replay {
    info: &'static JobInfo,
    seen: usize,
    at: Option<(usize, Box<dyn FnMut()>)>,
}

impl driver::Job for Replay {
    fn info(&self) -> &'static JobInfo {
        self.info
    }

    fn process(&mut self, _: usize, msg: &Message<'_>, sinks: &mut [SinkBuffer], _: &mut Ctx) {
        if let Some((n, f)) = &mut self.at
            && *n == self.seen
        {
            f();
        }
        self.seen += 1;
        sinks[0].bytes.extend_from_slice(msg.value);
        sinks[0].bytes.push(b'\n');
        sinks[0].end_row(None);
    }
}

/// A run of the replay job over `lines`: its counters and dead letters.
struct Run {
    counters: Counters,
    dead_letters: Vec<String>,
}

fn run_job(
    info: &'static JobInfo,
    lines: &[String],
    sets: &[(&str, String)],
    batch_size: usize,
    at: Option<(usize, Box<dyn FnMut()>)>,
) -> Result<Run, String> {
    let dir = temp_dir("stores");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let dead = dir.join("dead.jsonl");
    let sink = info.sinks[0];
    let opts = Options {
        inputs: vec![("changes".into(), input.display().to_string())],
        sets: sets
            .iter()
            .map(|(k, v)| (format!("{sink}.{k}"), v.clone()))
            .collect(),
        dead_letter: Some(dead.display().to_string()),
        batch_size,
        quiet: true,
        ..Options::default()
    };
    let mut job = Replay { info, seen: 0, at };
    let counters = driver::run(&mut job, &opts, &AtomicBool::new(false))?;
    let dead_letters = std::fs::read_to_string(&dead)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(Run {
        counters,
        dead_letters,
    })
}

// ---------------------------------------------------------------------------------
// The stores.

/// A database to test against: its URL and a fresh table name in it.
struct Store {
    name: &'static str,
    url: String,
    table: String,
    /// The SQLite file's directory, removed at the end.
    dir: Option<std::path::PathBuf>,
}

impl Store {
    fn sqlite() -> Store {
        let dir = temp_dir("stores");
        Store {
            name: "sqlite",
            url: format!("sqlite:{}", dir.join("store.db").display()),
            table: format!("scores_{}", unique()),
            dir: Some(dir),
        }
    }

    /// A server from the environment; the test fails (never skips) without it.
    fn server(name: &'static str, var: &str) -> Store {
        let url = std::env::var(var).unwrap_or_else(|_| {
            panic!(
                "{var} is not set: start the test databases with `eval \"$(bash tests/db/servers.sh start | tail -n 2)\"` (tests/run.sh does this)"
            )
        });
        Store {
            name,
            url,
            table: format!("scores_{}", unique()),
            dir: None,
        }
    }

    fn all() -> Vec<Store> {
        vec![
            Store::sqlite(),
            Store::server("mariadb", "STREAMSQL_MYSQL_URL"),
            Store::server("postgres", "STREAMSQL_POSTGRES_URL"),
        ]
    }

    /// The job options that point the sink at this store's table.
    fn sets(&self, url: &str) -> Vec<(&'static str, String)> {
        vec![
            ("url", url.to_string()),
            ("table-name", self.table.clone()),
            ("sink.create-table", "true".into()),
        ]
    }

    fn dump(&self) -> Vec<String> {
        store::dump_table(&self.url, &self.table)
            .unwrap_or_else(|e| panic!("{}: dump {}: {e}", self.name, self.table))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        match &self.dir {
            Some(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            // A shared server keeps no table of a passed test (a failed one's stays,
            // to look at).
            None if !std::thread::panicking() => {
                let _ = store::drop_table(&self.url, &self.table);
            }
            None => {}
        }
    }
}

/// A row of the `scores` table as a changelog line.
fn row(op: &str, id: i64, name: &str, score: f64, amount: &str) -> String {
    format!(
        r#"{{"op":"{op}","id":{id},"name":"{name}","score":{score:?},"amount":{amount},"active":{},"day":"2024-03-0{}","ts":"2024-03-02 08:00:0{}.500","payload":"aGVsbG8="}}"#,
        id % 2 == 0,
        id % 9 + 1,
        id % 10
    )
}

/// The dump line of the same row (numbers without trailing zeros).
fn dumped(id: i64, name: &str, score: f64, amount: &str) -> String {
    format!(
        r#"{{"id":{id},"name":"{name}","score":{score},"amount":{amount},"active":{},"day":"2024-03-0{}","ts":"2024-03-02 08:00:0{}.500","payload":"aGVsbG8="}}"#,
        id % 2 == 0,
        id % 9 + 1,
        id % 10
    )
}

/// Inserts, updates (-U/+U pairs), deletes, a delete then re-insert and a row of
/// NULLs fold to the same final table in every store.
#[test]
fn changes_fold_to_the_same_table_in_every_store() {
    let lines = vec![
        row("+I", 1, "alice", 1.5, "10.25"),
        row("+I", 2, "bob", 2.0, "3.00"),
        row("+I", 3, "carol", 0.25, "-7.5"),
        row("-U", 1, "alice", 1.5, "10.25"),
        row("+U", 1, "alice2", 2.5, "11"),
        row("-D", 3, "carol", 0.25, "-7.5"),
        row("-D", 2, "bob", 2.0, "3.00"),
        row("+I", 2, "bob2", 4.0, "0.01"),
        r#"{"op":"+I","id":4,"name":null,"score":null,"amount":null,"active":null,"day":null,"ts":null,"payload":null}"#.to_string(),
        row("+I", 5, "eve", -1.0, "99999999.99"),
        row("-U", 5, "eve", -1.0, "99999999.99"),
    ];
    let expected = vec![
        dumped(1, "alice2", 2.5, "11"),
        dumped(2, "bob2", 4.0, "0.01"),
        r#"{"id":4,"name":null,"score":null,"amount":null,"active":null,"day":null,"ts":null,"payload":null}"#.to_string(),
    ];
    for s in Store::all() {
        // Flushes every two keys, three messages a batch: the changes of one key
        // cross flushes.
        let mut sets = s.sets(&s.url);
        sets.push(("sink.buffer-flush.max-rows", "2".into()));
        let r = run_job(&JDBC, &lines, &sets, 3, None).unwrap();
        assert_eq!(s.dump(), expected, "{}", s.name);
        assert_eq!(r.counters.emitted, lines.len() as u64, "{}", s.name);
        assert_eq!(r.counters.failed, 0, "{}: {:?}", s.name, r.dead_letters);
        assert!(r.counters.store_rows < r.counters.emitted, "{}", s.name);
    }
}

/// Many changes of one key between flushes are one row written.
#[test]
fn changes_of_one_key_coalesce_into_one_write() {
    let lines: Vec<String> = (0..50)
        .map(|i| row("+U", 7, &format!("v{i}"), f64::from(i), "1"))
        .collect();
    for s in Store::all() {
        let r = run_job(&JDBC, &lines, &s.sets(&s.url), 4096, None).unwrap();
        assert_eq!(r.counters.emitted, 50, "{}", s.name);
        assert_eq!(r.counters.store_rows, 1, "{}", s.name);
        assert_eq!(r.counters.store_writes, 1, "{}", s.name);
        assert_eq!(s.dump(), [dumped(7, "v49", 49.0, "1")], "{}", s.name);
    }
}

/// A NULL key and a value not of its column's type are dead-lettered when read, an
/// over-long VARCHAR when the database rejects it; the other rows of the same batch
/// land.
#[test]
fn a_null_key_a_mistyped_value_and_an_over_long_value_are_dead_lettered_alone() {
    let lines = vec![
        row("+I", 1, "ok", 1.0, "1"),
        r#"{"op":"+I","id":null,"name":"nokey","score":1.0,"amount":1,"active":true,"day":null,"ts":null,"payload":null}"#.to_string(),
        r#"{"op":"+I","id":4,"name":"typo","score":"high","amount":1,"active":true,"day":null,"ts":null,"payload":null}"#.to_string(),
        row("+I", 2, "much-too-long", 2.0, "2"),
        row("+I", 3, "fine", 3.0, "3"),
    ];
    for s in Store::all() {
        let r = run_job(&JDBC, &lines, &s.sets(&s.url), 4096, None).unwrap();
        assert_eq!(
            s.dump(),
            [dumped(1, "ok", 1.0, "1"), dumped(3, "fine", 3.0, "3")],
            "{}",
            s.name
        );
        assert_eq!(r.counters.failed, 3, "{}", s.name);
        assert_eq!(r.dead_letters.len(), 3, "{}: {:?}", s.name, r.dead_letters);
        let null_key: serde_json::Value = serde_json::from_str(&r.dead_letters[0]).unwrap();
        assert_eq!(null_key["sink"], "scores");
        assert!(
            null_key["reason"]
                .as_str()
                .unwrap()
                .contains("NULL in primary key column `id`"),
            "{null_key}"
        );
        let mistyped: serde_json::Value = serde_json::from_str(&r.dead_letters[1]).unwrap();
        let reason = mistyped["reason"].as_str().unwrap();
        assert!(reason.contains("column `score`"), "{reason}");
        assert!(mistyped["row"].as_str().unwrap().contains("typo"));
        let too_long: serde_json::Value = serde_json::from_str(&r.dead_letters[2]).unwrap();
        let reason = too_long["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("rejected by the database: "),
            "{}: {reason}",
            s.name
        );
        // Each database's own words.
        let says = match s.name {
            "sqlite" => "CHECK constraint failed",
            "mariadb" => "Data too long",
            _ => "value too long",
        };
        assert!(reason.contains(says), "{}: {reason}", s.name);
        assert!(too_long["row"].as_str().unwrap().contains("much-too-long"));
    }
}

/// An hbase (Blink cloudhbase) table is a rowkey -> columns table named by its
/// `tableName`, upserted by rowkey, in whichever store its url names.
#[test]
fn hbase_tables_are_rowkey_tables_in_the_store() {
    let lines: Vec<String> = [
        r#"{"op":"+I","rowkey":"u1","visits":1,"last_shop":"a"}"#,
        r#"{"op":"+I","rowkey":"u2","visits":1,"last_shop":"b"}"#,
        r#"{"op":"-U","rowkey":"u1","visits":1,"last_shop":"a"}"#,
        r#"{"op":"+U","rowkey":"u1","visits":2,"last_shop":"c"}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in Store::all() {
        // Blink's own table name, made unique per run.
        let table = format!("profiles_{}", unique());
        let sets = [
            ("url", s.url.clone()),
            ("tableName", table.clone()),
            ("sink.create-table", "true".into()),
        ];
        let r = run_job(&HBASE, &lines, &sets, 4096, None).unwrap();
        assert_eq!(r.counters.failed, 0, "{}", s.name);
        assert_eq!(
            store::dump_table(&s.url, &table).unwrap(),
            [
                r#"{"rowkey":"u1","visits":2,"last_shop":"c"}"#,
                r#"{"rowkey":"u2","visits":1,"last_shop":"b"}"#
            ],
            "{}",
            s.name
        );
        store::drop_table(&s.url, &table).unwrap();
    }
}

// ---------------------------------------------------------------------------------
// A TCP proxy that can refuse and cut connections.

fn servers() -> Vec<Store> {
    vec![
        Store::server("mariadb", "STREAMSQL_MYSQL_URL"),
        Store::server("postgres", "STREAMSQL_POSTGRES_URL"),
    ]
}

/// A database that refuses connections when the job starts: the job waits (with
/// backoff) and writes everything once it is up.
#[test]
fn a_database_down_at_start_loses_nothing() {
    let lines: Vec<String> = (1..=20).map(|i| row("+I", i, "n", 1.0, "1")).collect();
    let expected: Vec<String> = {
        let mut e: Vec<String> = (1..=20).map(|i| dumped(i, "n", 1.0, "1")).collect();
        e.sort();
        e
    };
    for s in servers() {
        let proxy = Proxy::start(server_addr(&s.url), false);
        proxy.open_after(Duration::from_secs(2));
        let started = Instant::now();
        let r = run_job(&JDBC, &lines, &s.sets(&proxy.url(&s.url)), 5, None).unwrap();
        assert!(started.elapsed() >= Duration::from_secs(2), "{}", s.name);
        assert_eq!(s.dump(), expected, "{}", s.name);
        assert_eq!(r.counters.failed, 0, "{}", s.name);
    }
}

/// A database whose connections are cut mid-run and refused for three seconds: the
/// flushes in between are retried until it is back, and no row is lost.
#[test]
fn a_database_that_goes_away_mid_run_loses_nothing() {
    let lines: Vec<String> = (1..=30).map(|i| row("+I", i, "n", 1.0, "1")).collect();
    let expected: Vec<String> = {
        let mut e: Vec<String> = (1..=30).map(|i| dumped(i, "n", 1.0, "1")).collect();
        e.sort();
        e
    };
    for s in servers() {
        let proxy = Arc::new(Proxy::start(server_addr(&s.url), true));
        let p = proxy.clone();
        let cut: Box<dyn FnMut()> = Box::new(move || p.cut_for(Duration::from_secs(3)));
        let mut sets = s.sets(&proxy.url(&s.url));
        // A flush per message: the cut falls between flushes, and the ones after it
        // must wait for the database.
        sets.push(("sink.buffer-flush.max-rows", "1".into()));
        let started = Instant::now();
        let r = run_job(&JDBC, &lines, &sets, 1, Some((10, cut))).unwrap();
        assert!(started.elapsed() >= Duration::from_secs(3), "{}", s.name);
        assert_eq!(s.dump(), expected, "{}", s.name);
        assert_eq!(r.counters.failed, 0, "{}", s.name);
        assert_eq!(r.counters.store_rows, 30, "{}", s.name);
    }
}

/// A database that never comes back fails the job after `sink.reconnect-timeout`,
/// with a message saying so (it does not spin forever).
#[test]
fn a_database_that_stays_away_fails_the_job_after_the_reconnect_timeout() {
    let s = Store::server("postgres", "STREAMSQL_POSTGRES_URL");
    let proxy = Proxy::start(server_addr(&s.url), false);
    let mut sets = s.sets(&proxy.url(&s.url));
    sets.push(("sink.reconnect-timeout", "1 s".into()));
    let lines = vec![row("+I", 1, "n", 1.0, "1")];
    let err = run_job(&JDBC, &lines, &sets, 1, None).err().unwrap();
    assert!(err.contains("giving up"), "{err}");
    assert!(err.contains("sink.reconnect-timeout"), "{err}");
}

// ---------------------------------------------------------------------------------
// upsert-kafka.

/// Keyed records, `-U` dropped, `-D` a tombstone, on a real broker
/// (`STREAMSQL_KAFKA_BROKERS`, as tests/run.sh exports, else `tests/kafka/broker.sh`).
#[test]
fn upsert_kafka_writes_keys_values_and_tombstones() {
    use streamsql_runtime::batch::MessageBatch;
    use streamsql_runtime::kafka::{KafkaSource, KafkaSourceConfig, StartOffset};
    let brokers = streamsql_tests::harness::kafka_brokers();
    let topic = format!("upsert-{}", unique());
    let lines: Vec<String> = [
        r#"{"op":"+I","k":"a","n":1}"#,
        r#"{"op":"+I","k":"b","n":1}"#,
        r#"{"op":"-U","k":"a","n":1}"#,
        r#"{"op":"+U","k":"a","n":2}"#,
        r#"{"op":"-D","k":"b","n":1}"#,
        r#"{"op":"+I","k":null,"n":3}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let sets = [
        ("properties.bootstrap.servers", brokers.clone()),
        ("topic", topic.clone()),
    ];
    let r = run_job(&UPSERT_KAFKA, &lines, &sets, 4096, None).unwrap();
    assert_eq!(r.counters.failed, 1, "the NULL key: {:?}", r.dead_letters);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let records = rt.block_on(async {
        let mut src = KafkaSource::new(&KafkaSourceConfig {
            brokers,
            topics: vec![topic.clone()],
            group_id: format!("reader-{topic}"),
            start: StartOffset::Earliest,
            properties: vec![],
        })
        .unwrap();
        let mut out = Vec::new();
        let mut batch = MessageBatch::default();
        let deadline = Instant::now() + Duration::from_secs(60);
        while out.len() < 4 && Instant::now() < deadline {
            batch.clear();
            src.next_batch(&mut batch, 64, Duration::from_millis(500))
                .await
                .unwrap();
            out.extend(batch.iter().map(|m| {
                (
                    String::from_utf8_lossy(m.key.unwrap_or_default()).into_owned(),
                    String::from_utf8_lossy(m.value).into_owned(),
                )
            }));
        }
        out
    });
    // Records are partitioned by key: the order holds per key (a stable sort by key
    // keeps it).
    let mut pairs: Vec<(&str, &str)> = records
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort_by_key(|(k, _)| *k);
    assert_eq!(
        pairs,
        [
            (r#"{"k":"a"}"#, r#"{"k":"a","n":1}"#),
            (r#"{"k":"a"}"#, r#"{"k":"a","n":2}"#),
            (r#"{"k":"b"}"#, r#"{"k":"b","n":1}"#),
            // The tombstone: no value (read back as an empty one).
            (r#"{"k":"b"}"#, ""),
        ]
    );
}

// ---------------------------------------------------------------------------------
// Elasticsearch.

/// A stand-in for Elasticsearch's `_bulk` endpoint: records each request's path and
/// body; answers the first with 503 (the client must retry), then a bulk response
/// with one item per action, failing documents whose name is "bad" as Elasticsearch
/// fails a document its mapping refuses.
/// The requests a server saw: (path, body).
type Requests = Arc<Mutex<Vec<(String, String)>>>;

fn fake_elasticsearch() -> (u16, Requests) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (n, conn) in listener.incoming().enumerate() {
            let Ok(mut conn) = conn else { continue };
            let (path, body) = read_request(&mut conn);
            log.lock().unwrap().push((path, body.clone()));
            let (status, response) = if n == 0 {
                ("503 Service Unavailable", r#"{"error":"busy"}"#.to_string())
            } else {
                ("200 OK", bulk_response(&body))
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{response}",
                response.len()
            );
        }
    });
    (port, seen)
}

fn read_request(conn: &mut TcpStream) -> (String, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = conn.read(&mut chunk).unwrap();
        assert!(n > 0, "the request ended early");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-ndjson"),
        "{head}"
    );
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    while buf.len() < head_end + len {
        let n = conn.read(&mut chunk).unwrap();
        buf.extend_from_slice(&chunk[..n]);
    }
    let path = head.split(' ').nth(1).unwrap().to_string();
    (
        path,
        String::from_utf8_lossy(&buf[head_end..head_end + len]).into_owned(),
    )
}

/// The bulk response Elasticsearch gives for this NDJSON body.
fn bulk_response(body: &str) -> String {
    let mut items = Vec::new();
    let mut errors = false;
    let mut lines = body.lines();
    while let Some(action) = lines.next() {
        let a: serde_json::Value = serde_json::from_str(action).unwrap();
        let (verb, meta) = a.as_object().unwrap().iter().next().unwrap();
        let doc = if verb == "index" { lines.next() } else { None };
        let mut item = serde_json::json!({
            "_index": meta["_index"],
            "_id": meta["_id"],
            "status": if verb == "delete" { 404 } else { 201 },
        });
        if doc.is_some_and(|d| d.contains(r#""name":"bad""#)) {
            errors = true;
            item["status"] = 400.into();
            item["error"] = serde_json::json!({
                "type": "mapper_parsing_exception",
                "reason": "failed to parse field [name] of type [long]",
            });
        }
        items.push(serde_json::json!({ verb.as_str(): item }));
    }
    serde_json::json!({ "took": 3, "errors": errors, "items": items }).to_string()
}

/// Upserts become `index` actions and deletes `delete` actions, coalesced per
/// document id (the key joined by `_`), in one NDJSON bulk request; a failed request
/// is sent again and a failed item is dead-lettered with Elasticsearch's reason.
#[test]
fn elasticsearch_bulk_requests() {
    let (port, seen) = fake_elasticsearch();
    let lines: Vec<String> = [
        r#"{"op":"+I","id":1,"region":"eu","name":"a"}"#,
        r#"{"op":"-U","id":1,"region":"eu","name":"a"}"#,
        r#"{"op":"+U","id":1,"region":"eu","name":"b"}"#,
        r#"{"op":"+I","id":2,"region":"us","name":"bad"}"#,
        r#"{"op":"+I","id":3,"region":"eu","name":"c"}"#,
        r#"{"op":"-D","id":3,"region":"eu","name":"c"}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let sets = [("hosts", format!("http://127.0.0.1:{port}"))];
    let r = run_job(&ES, &lines, &sets, 4096, None).unwrap();
    let expected = concat!(
        r#"{"index":{"_index":"people","_id":"1_eu"}}"#,
        "\n",
        r#"{"id":1,"region":"eu","name":"b"}"#,
        "\n",
        r#"{"index":{"_index":"people","_id":"2_us"}}"#,
        "\n",
        r#"{"id":2,"region":"us","name":"bad"}"#,
        "\n",
        r#"{"delete":{"_index":"people","_id":"3_eu"}}"#,
        "\n",
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            ("/_bulk".to_string(), expected.to_string()),
            ("/_bulk".to_string(), expected.to_string())
        ],
        "the 503 answer makes the client send the same request again"
    );
    assert_eq!(r.counters.store_writes, 1);
    assert_eq!(r.counters.store_rows, 2);
    assert_eq!(r.counters.failed, 1);
    assert!(
        r.dead_letters[0].contains("mapper_parsing_exception"),
        "{:?}",
        r.dead_letters
    );
}
