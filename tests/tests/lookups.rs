//! Lookup joins' runtime half (`lookup::LookupJoin`) against real dimension tables:
//! SQLite (a temp file), MariaDB and PostgreSQL (`STREAMSQL_MYSQL_URL`,
//! `STREAMSQL_POSTGRES_URL`, from `tests/db/servers.sh`), and a JSON-lines file
//! (`--input dim=FILE`, served from the in-memory embedded store).
//!
//! Each test makes its tables with unique names (written through the store sinks) and
//! drops them when it passes. A TCP proxy in this file stands between the lookups and
//! a database to make it refuse connections at start, or cut them mid-run.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streamsql_runtime::driver::{Ctx, Options};
use streamsql_runtime::lookup::{DimRows, LookupJoin};
use streamsql_runtime::store::{self, StoreSink, Value};
use streamsql_runtime::{Date, Decimal, JobInfo, RowKind, TableInfo, Timestamp};
use streamsql_tests::support::{Proxy, server_addr, temp_dir, unique};

// ---------------------------------------------------------------------------------
// The job's dimension tables.

const SHOPS: TableInfo = TableInfo {
    name: "shops",
    connector: "jdbc",
    options: &[("connector", "jdbc")],
    columns: &[
        ("code", "STRING NOT NULL"),
        ("name", "VARCHAR(16)"),
        ("score", "DOUBLE"),
        ("amount", "DECIMAL(10, 2)"),
        ("active", "BOOLEAN"),
        ("day", "DATE"),
        ("ts", "TIMESTAMP(3)"),
        ("payload", "BYTES"),
    ],
    primary_key: &["code"],
};

/// A composite key (`region`, `shop`).
const STOCK: TableInfo = TableInfo {
    name: "stock",
    connector: "jdbc",
    options: &[("connector", "jdbc")],
    columns: &[
        ("region", "STRING NOT NULL"),
        ("shop", "INT NOT NULL"),
        ("qty", "BIGINT"),
    ],
    primary_key: &["region", "shop"],
};

/// No primary key: a key may match several rows.
const VISITS: TableInfo = TableInfo {
    name: "visits",
    connector: "jdbc",
    options: &[("connector", "jdbc")],
    columns: &[("mac", "STRING NOT NULL"), ("shop", "STRING")],
    primary_key: &[],
};

/// A Blink cloudhbase table with an LRU cache of two keys.
const PROFILES: TableInfo = TableInfo {
    name: "profiles",
    connector: "hbase",
    options: &[
        ("type", "cloudhbase"),
        ("zkQuorum", "zk:2181"),
        ("columnFamily", "cf"),
        ("cache", "LRU"),
        ("cacheSize", "2"),
    ],
    columns: &[("rowkey", "STRING NOT NULL"), ("visits", "BIGINT")],
    primary_key: &["rowkey"],
};

/// A Kafka table, which cannot serve lookups.
const EVENTS: TableInfo = TableInfo {
    name: "events",
    connector: "kafka",
    options: &[("connector", "kafka")],
    columns: &[("k", "STRING")],
    primary_key: &[],
};

static INFO: JobInfo = JobInfo {
    name: "lookups_test",
    dialect: "Flink",
    tables: &[SHOPS, STOCK, VISITS, PROFILES, EVENTS],
    sources: &[],
    sinks: &[],
    plan: "",
    settings: &[],
};

/// Shop `j`'s row as a JSON line (NULLs here and there) and as the values a lookup
/// must return.
fn shop(j: i64) -> (String, Vec<Value>) {
    let null_or = |null: bool, v: Value| if null { Value::Null } else { v };
    let name = format!("shop {j}");
    let score = j as f64 / 3.0;
    let amount = Decimal {
        unscaled: i128::from(j - 20) * 125,
        scale: 2,
    };
    let d = j % 28 + 1;
    let s = j % 60;
    let payload = vec![j as u8, 0xff, b'x'];
    let line = format!(
        r#"{{"code":"s{j}","name":{},"score":{score:?},"amount":{amount},"active":{},"day":"2024-03-{d:02}","ts":"2024-03-02 08:00:{s:02}.500","payload":{}}}"#,
        if j % 7 == 0 {
            "null".to_string()
        } else {
            format!("\"{name}\"")
        },
        if j % 5 == 0 {
            "null".to_string()
        } else {
            (j % 2 == 0).to_string()
        },
        if j % 3 == 0 {
            "null".to_string()
        } else {
            format!("\"{}\"", base64(&payload))
        },
    );
    let values = vec![
        Value::Str(format!("s{j}")),
        null_or(j % 7 == 0, Value::Str(name)),
        Value::Float(score),
        Value::Decimal(amount),
        null_or(j % 5 == 0, Value::Bool(j % 2 == 0)),
        Value::Date(Date(19_782 + d as i32)),
        Value::Timestamp(Timestamp(1_709_366_400_500 + s * 1000)),
        null_or(j % 3 == 0, Value::Bytes(payload)),
    ];
    (line, values)
}

fn base64(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn key(s: &str) -> Option<Vec<Value>> {
    Some(vec![Value::Str(s.into())])
}

// ---------------------------------------------------------------------------------
// Where the dimension rows are.

/// A store to serve dimension tables from: a database (its URL) or `--input` files.
struct Store {
    name: &'static str,
    /// `None`: the `--input` file store.
    url: Option<String>,
    /// Files (and the SQLite database), removed at the end.
    dir: std::path::PathBuf,
    /// Tables made on a server, dropped at the end of a passed test.
    tables: Mutex<Vec<String>>,
}

impl Store {
    fn sqlite() -> Store {
        let dir = temp_dir("lookups");
        Store {
            name: "sqlite",
            url: Some(format!("sqlite:{}", dir.join("dims.db").display())),
            dir,
            tables: Mutex::new(Vec::new()),
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
            url: Some(url),
            dir: temp_dir("lookups"),
            tables: Mutex::new(Vec::new()),
        }
    }

    fn file() -> Store {
        Store {
            name: "file",
            url: None,
            dir: temp_dir("lookups"),
            tables: Mutex::new(Vec::new()),
        }
    }

    fn all() -> Vec<Store> {
        vec![
            Store::sqlite(),
            Store::server("mariadb", "STREAMSQL_MYSQL_URL"),
            Store::server("postgres", "STREAMSQL_POSTGRES_URL"),
            Store::file(),
        ]
    }

    fn servers() -> Vec<Store> {
        vec![
            Store::server("mariadb", "STREAMSQL_MYSQL_URL"),
            Store::server("postgres", "STREAMSQL_POSTGRES_URL"),
        ]
    }

    /// Job options that serve `table` from this store holding `lines` (a new table,
    /// written through the store sink), plus `extra` options of the table.
    fn serve(&self, table: &TableInfo, lines: &[String], extra: &[(&str, &str)]) -> Options {
        let set = |k: &str, v: &str| (format!("{}.{k}", table.name), v.to_string());
        let mut opts = Options::default();
        match &self.url {
            None => {
                let path = self.dir.join(format!("{}-{}.jsonl", table.name, unique()));
                let mut f = std::fs::File::create(&path).unwrap();
                for l in lines {
                    writeln!(f, "{l}").unwrap();
                }
                opts.inputs
                    .push((table.name.to_string(), path.display().to_string()));
            }
            Some(url) => {
                let db_table = format!("{}_{}", table.name, unique());
                // A Blink key-value table names its table `tableName`.
                let name_option = if table.connector == "hbase" {
                    "tableName"
                } else {
                    "table-name"
                };
                opts.sets.push(set("url", url));
                opts.sets.push(set(name_option, &db_table));
                opts.sets.push(set("sink.create-table", "true"));
                self.tables.lock().unwrap().push(db_table);
                write_rows(&opts, table, lines);
            }
        }
        opts.sets.extend(extra.iter().map(|(k, v)| set(k, v)));
        opts
    }

    /// The same table through another URL (a proxy).
    fn via(&self, opts: &Options, table: &TableInfo, url: &str) -> Options {
        let mut o = opts.clone();
        o.sets
            .push((format!("{}.url", table.name), url.to_string()));
        o
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        // A shared server keeps no table of a passed test (a failed one's stays, to
        // look at).
        if let Some(url) = &self.url
            && !url.starts_with("sqlite:")
            && !std::thread::panicking()
        {
            for t in self.tables.lock().unwrap().drain(..) {
                let _ = store::drop_table(url, &t);
            }
        }
    }
}

/// Writes `lines` (rows as JSON objects) into the table `opts` point `table` at.
fn write_rows(opts: &Options, table: &TableInfo, lines: &[String]) {
    let mut ctx = Ctx::new(0);
    let mut sink = StoreSink::open(&INFO, opts, table).unwrap();
    for l in lines {
        sink.push(l.as_bytes(), &mut ctx);
        // One flush per row: rows of keys a collation takes for one stay in order.
        sink.flush(&mut ctx).unwrap();
    }
    assert_eq!(ctx.counters.failed, 0, "rows of {}", table.name);
}

fn ctx_for(opts: Options) -> Ctx {
    let mut ctx = Ctx::new(0);
    ctx.job = Some((&INFO, Arc::new(opts)));
    ctx
}

// ---------------------------------------------------------------------------------
// Lookups.

/// 1000 queued rows over 50 distinct keys (40 in the table, 10 not) and some NULL
/// keys: one round trip for the 50 keys, every row back in queue order with its kind
/// and the right dimension row, typed; `lookup.batch-size` splits the keys.
#[test]
fn a_thousand_rows_over_fifty_keys_resolve_in_one_round_trip() {
    let shops: Vec<(String, Vec<Value>)> = (0..40).map(shop).collect();
    let lines: Vec<String> = shops.iter().map(|(l, _)| l.clone()).collect();
    for s in Store::all() {
        let opts = s.serve(&SHOPS, &lines, &[]);
        let mut ctx = ctx_for(opts.clone());
        let mut join = LookupJoin::new("shops", &[0]);
        let kind = |i: usize| {
            if i.is_multiple_of(2) {
                RowKind::Insert
            } else {
                RowKind::UpdateAfter
            }
        };
        for i in 0..1000 {
            let k = if i % 100 == 99 {
                None
            } else {
                key(&format!("s{}", i % 50))
            };
            join.push(kind(i), i, k);
        }
        assert_eq!(join.len(), 1000);
        let out = join.resolve(&mut ctx).unwrap();
        assert!(join.is_empty());
        assert_eq!(out.len(), 1000, "{}", s.name);
        for (i, (k, row, dims)) in out.iter().enumerate() {
            assert_eq!((k, *row), (kind(i), i), "{}: queue order", s.name);
            let expected: Vec<Vec<Value>> = match i % 50 {
                _ if i % 100 == 99 => vec![],
                j if j < 40 => vec![shops[j].1.clone()],
                _ => vec![],
            };
            assert_eq!(**dims, expected, "{}: row {i}", s.name);
        }
        let c = ctx.counters;
        assert_eq!(
            (c.lookup_round_trips, c.lookup_keys, c.lookup_cache_hits),
            (1, 50, 0),
            "{}",
            s.name
        );
        assert_eq!(c.decode_errors, 0, "{}", s.name);

        // 20 keys a query: three round trips for the same 50 keys.
        let mut o = opts;
        o.sets.push(("shops.lookup.batch-size".into(), "20".into()));
        let mut ctx = ctx_for(o);
        let mut join = LookupJoin::new("shops", &[0]);
        for i in 0..1000 {
            join.push(RowKind::Insert, i, key(&format!("s{}", i % 50)));
        }
        let out = join.resolve(&mut ctx).unwrap();
        assert_eq!(**out.get(7).2, [shops[7].1.clone()], "{}", s.name);
        assert_eq!(
            (ctx.counters.lookup_round_trips, ctx.counters.lookup_keys),
            (3, 50),
            "{}",
            s.name
        );
    }
}

/// A composite key matches on both columns; a key that matches several rows (a table
/// without a primary key) gets them all, in a stable order.
#[test]
fn composite_keys_and_keys_with_several_rows() {
    let stock: Vec<String> = [("north", 1, 10), ("north", 2, 20), ("south", 1, 30)]
        .iter()
        .map(|(r, s, q)| format!(r#"{{"region":"{r}","shop":{s},"qty":{q}}}"#))
        .collect();
    let visits: Vec<String> = [("m1", "a"), ("m2", "b"), ("m1", "c")]
        .iter()
        .map(|(m, s)| format!(r#"{{"mac":"{m}","shop":"{s}"}}"#))
        .collect();
    for s in Store::all() {
        let mut ctx = ctx_for(s.serve(&STOCK, &stock, &[]));
        let mut join = LookupJoin::new("stock", &[0, 1]);
        let k = |r: &str, s: i64| Some(vec![Value::Str(r.into()), Value::Int(s)]);
        join.push(RowKind::Insert, "n1", k("north", 1));
        join.push(RowKind::Insert, "s1", k("south", 1));
        join.push(RowKind::Insert, "s2", k("south", 2));
        join.push(RowKind::Insert, "n2", k("north", 2));
        join.push(
            RowKind::Insert,
            "null",
            Some(vec![Value::Str("north".into()), Value::Null]),
        );
        let out = join.resolve(&mut ctx).unwrap();
        let qty: Vec<(&str, Vec<Value>)> = out
            .iter()
            .map(|(_, r, d)| (*r, d.iter().map(|row| row[2].clone()).collect()))
            .collect();
        assert_eq!(
            qty,
            [
                ("n1", vec![Value::Int(10)]),
                ("s1", vec![Value::Int(30)]),
                ("s2", vec![]),
                ("n2", vec![Value::Int(20)]),
                ("null", vec![]),
            ],
            "{}",
            s.name
        );
        assert_eq!(
            (ctx.counters.lookup_round_trips, ctx.counters.lookup_keys),
            (1, 4),
            "{}",
            s.name
        );

        let mut ctx = ctx_for(s.serve(&VISITS, &visits, &[]));
        let mut join = LookupJoin::new("visits", &[0]);
        join.push(RowKind::Insert, 0, key("m1"));
        join.push(RowKind::Insert, 1, key("m2"));
        let out = join.resolve(&mut ctx).unwrap();
        let mut m1: Vec<Value> = out.get(0).2.iter().map(|r| r[1].clone()).collect();
        m1.sort_by_key(|v| format!("{v:?}"));
        assert_eq!(
            m1,
            [Value::Str("a".into()), Value::Str("c".into())],
            "{}",
            s.name
        );
        assert_eq!(out.get(1).2.len(), 1, "{}", s.name);
    }
}

/// With a cache, a second batch of the same keys makes no round trip and counts its
/// hits (misses too, unless `cache-missing-key` is off); without one, it asks again.
#[test]
fn a_cache_answers_repeated_keys_without_a_round_trip() {
    let lines: Vec<String> = (0..10).map(|j| shop(j).0).collect();
    let keys = ["s1", "s2", "s3", "nope"];
    let batch = |join: &mut LookupJoin<usize>, ctx: &mut Ctx| -> Vec<DimRows> {
        for (i, k) in keys.iter().enumerate() {
            join.push(RowKind::Insert, i, key(k));
        }
        join.resolve(ctx)
            .unwrap()
            .iter()
            .map(|(_, _, d)| d.clone())
            .collect()
    };
    let counters = |ctx: &Ctx| {
        let c = ctx.counters;
        (c.lookup_round_trips, c.lookup_keys, c.lookup_cache_hits)
    };
    for s in Store::all() {
        let cached = [
            ("lookup.cache", "PARTIAL"),
            ("lookup.partial-cache.max-rows", "100"),
        ];
        let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &cached));
        let mut join = LookupJoin::new("shops", &[0]);
        let first = batch(&mut join, &mut ctx);
        assert_eq!(counters(&ctx), (1, 4, 0), "{}", s.name);
        let second = batch(&mut join, &mut ctx);
        assert_eq!(first, second, "{}", s.name);
        assert_eq!(*second[0], [shop(1).1], "{}", s.name);
        assert!(second[3].is_empty(), "{}", s.name);
        assert_eq!(counters(&ctx), (1, 4, 4), "{}: all from the cache", s.name);

        // Misses not cached: the second batch asks for the missing key alone.
        let no_misses = [
            ("lookup.cache", "PARTIAL"),
            ("lookup.partial-cache.max-rows", "100"),
            ("lookup.partial-cache.cache-missing-key", "false"),
        ];
        let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &no_misses));
        let mut join = LookupJoin::new("shops", &[0]);
        batch(&mut join, &mut ctx);
        batch(&mut join, &mut ctx);
        assert_eq!(counters(&ctx), (2, 5, 3), "{}", s.name);

        // No cache: the same four keys again.
        let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &[]));
        let mut join = LookupJoin::new("shops", &[0]);
        batch(&mut join, &mut ctx);
        let again = batch(&mut join, &mut ctx);
        assert_eq!(again, first, "{}", s.name);
        assert_eq!(counters(&ctx), (2, 8, 0), "{}", s.name);
    }
}

/// `LookupJoin::probe` answers a row at once only when that keeps rows in order and
/// takes no round trip: not before the first batch opened the table, never behind a
/// queued row, from the in-memory dimension or the cache; a NULL key matches nothing.
#[test]
fn a_probe_answers_from_memory_and_never_overtakes_the_queue() {
    let lines: Vec<String> = (0..10).map(|j| shop(j).0).collect();
    let cached = [
        ("lookup.cache", "PARTIAL"),
        ("lookup.partial-cache.max-rows", "100"),
    ];
    // The in-memory dimension: every key, after the first batch.
    let s = Store::file();
    let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &[]));
    let mut join = LookupJoin::new("shops", &[0]);
    join.key_str("s1");
    assert!(join.probe(&mut ctx).is_none(), "not opened yet");
    join.push_row(RowKind::Insert, 0);
    assert_eq!(**join.resolve(&mut ctx).unwrap().get(0).2, [shop(1).1]);
    join.key_str("s2");
    assert_eq!(*join.probe(&mut ctx).unwrap(), [shop(2).1]);
    join.key_str("nope");
    assert!(join.probe(&mut ctx).unwrap().is_empty());
    assert!(join.probe(&mut ctx).unwrap().is_empty(), "a NULL key");
    assert!(join.is_empty(), "nothing was queued");
    let c = ctx.counters;
    assert_eq!((c.lookup_round_trips, c.lookup_keys), (3, 3));

    // A database with a cache: a cached key at once, another queued — and then the
    // cached one too, behind it.
    let s = Store::sqlite();
    let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &cached));
    let mut join = LookupJoin::new("shops", &[0]);
    join.key_str("s1");
    join.push_row(RowKind::Insert, 0);
    join.resolve(&mut ctx).unwrap();
    join.key_str("s1");
    assert_eq!(
        *join.probe(&mut ctx).unwrap(),
        [shop(1).1],
        "from the cache"
    );
    assert_eq!(ctx.counters.lookup_cache_hits, 1);
    join.key_str("s3");
    assert!(join.probe(&mut ctx).is_none(), "not cached: queued");
    join.push_row(RowKind::Insert, 1);
    join.key_str("s1");
    assert!(join.probe(&mut ctx).is_none(), "behind a queued row");
    join.push_row(RowKind::Insert, 2);
    let out = join.resolve(&mut ctx).unwrap();
    let rows: Vec<(usize, Vec<Vec<Value>>)> =
        out.iter().map(|(_, r, d)| (*r, (**d).clone())).collect();
    assert_eq!(rows, [(1, vec![shop(3).1]), (2, vec![shop(1).1])]);
    assert_eq!(ctx.counters.lookup_round_trips, 2);

    // A table the job writes: always through the queue (read-your-writes).
    let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &cached));
    let mut join = LookupJoin::new("shops", &[0]).written_by(&["shops_sink"]);
    join.key_str("s1");
    join.push_row(RowKind::Insert, 0);
    join.resolve(&mut ctx).unwrap();
    join.key_str("s1");
    assert!(join.probe(&mut ctx).is_none());
}

/// The other dialects' cache options: Flink 1.x JDBC's and Blink's LRU (the profiles
/// table keeps two keys: of three, the least recently used is asked again).
#[test]
fn flink_1_and_blink_cache_options() {
    let lines: Vec<String> = (0..10).map(|j| shop(j).0).collect();
    let profiles: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"rowkey":"u{i}","visits":{i}}}"#))
        .collect();
    for s in [Store::sqlite(), Store::file()] {
        let legacy = [("lookup.cache.max-rows", "10"), ("lookup.cache.ttl", "1 h")];
        let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &legacy));
        let mut join = LookupJoin::new("shops", &[0]);
        for _ in 0..2 {
            join.push(RowKind::Insert, (), key("s1"));
            join.resolve(&mut ctx).unwrap();
        }
        let c = ctx.counters;
        assert_eq!(
            (c.lookup_round_trips, c.lookup_cache_hits),
            (1, 1),
            "{}",
            s.name
        );

        let mut ctx = ctx_for(s.serve(&PROFILES, &profiles, &[]));
        let mut join = LookupJoin::new("profiles", &[0]);
        for _ in 0..2 {
            for u in ["u0", "u1", "u2"] {
                join.push(RowKind::Insert, u, key(u));
            }
            let out = join.resolve(&mut ctx).unwrap();
            assert_eq!(out.get(2).2[0][1], Value::Int(2), "{}", s.name);
        }
        let c = ctx.counters;
        assert_eq!(
            (c.lookup_round_trips, c.lookup_keys, c.lookup_cache_hits),
            (2, 4, 2),
            "{}: u0 evicted by u2, u1 and u2 hits",
            s.name
        );
    }
}

/// MariaDB's default collation takes `abc`, `ABC` and `abc ` for one key; a lookup
/// matches exactly, as Flink's `=` does.
#[test]
fn the_key_abc_matches_only_abc_on_mariadb() {
    let s = Store::server("mariadb", "STREAMSQL_MYSQL_URL");
    let opts = s.serve(
        &VISITS,
        &[r#"{"mac":"abc","shop":"lower"}"#.to_string()],
        &[],
    );
    let mut ctx = ctx_for(opts.clone());
    // The premise: this database returns `abc` for `ABC`.
    let url = s.url.clone().unwrap();
    let table = s.tables.lock().unwrap()[0].clone();
    let mut join = LookupJoin::new("visits", &[0]);
    join.push(RowKind::Insert, "upper", key("ABC"));
    join.push(RowKind::Insert, "lower", key("abc"));
    join.push(RowKind::Insert, "spaced", key("abc "));
    join.push(RowKind::Insert, "mixed", key("Abc"));
    let out = join.resolve(&mut ctx).unwrap();
    let matched: Vec<(&str, usize)> = out.iter().map(|(_, r, d)| (*r, d.len())).collect();
    assert_eq!(
        matched,
        [("upper", 0), ("lower", 1), ("spaced", 0), ("mixed", 0)]
    );
    assert_eq!(ctx.counters.lookup_round_trips, 1);
    assert_collation_folds_case(&url, &table);
}

/// Checks that the MariaDB table really is case-insensitive (else the test above
/// proves nothing): a second row `ABC` written through a keyed sink lands on `abc`.
fn assert_collation_folds_case(url: &str, table: &str) {
    static KEYED: JobInfo = JobInfo {
        name: "collation_probe",
        dialect: "Flink",
        tables: &[TableInfo {
            name: "probe",
            connector: "jdbc",
            options: &[],
            columns: &[("mac", "STRING NOT NULL"), ("shop", "STRING")],
            primary_key: &["mac"],
        }],
        sources: &[],
        sinks: &[],
        plan: "",
        settings: &[],
    };
    let probe_table = format!("{table}_probe");
    let opts = Options {
        sets: vec![
            ("probe.url".into(), url.into()),
            ("probe.table-name".into(), probe_table.clone()),
            ("probe.sink.create-table".into(), "true".into()),
        ],
        ..Options::default()
    };
    let mut ctx = Ctx::new(0);
    let mut sink = StoreSink::open(&KEYED, &opts, &KEYED.tables[0]).unwrap();
    for l in [r#"{"mac":"abc","shop":"1"}"#, r#"{"mac":"ABC","shop":"2"}"#] {
        sink.push(l.as_bytes(), &mut ctx);
        sink.flush(&mut ctx).unwrap();
    }
    let rows = store::dump_table(url, &probe_table).unwrap();
    store::drop_table(url, &probe_table).unwrap();
    assert_eq!(
        rows,
        [r#"{"mac":"abc","shop":"2"}"#],
        "the collation folds case"
    );
}

/// A Blink cloudhbase table is a rowkey table named by `tableName` in the store.
#[test]
fn hbase_tables_are_looked_up_by_rowkey() {
    let profiles: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"rowkey":"u{i}","visits":{i}}}"#))
        .collect();
    for s in Store::all() {
        let mut ctx = ctx_for(s.serve(&PROFILES, &profiles, &[]));
        let mut join = LookupJoin::new("profiles", &[0]);
        join.push(RowKind::Insert, (), key("u1"));
        join.push(RowKind::Insert, (), key("u9"));
        let out = join.resolve(&mut ctx).unwrap();
        assert_eq!(
            **out.get(0).2,
            [vec![Value::Str("u1".into()), Value::Int(1)]],
            "{}",
            s.name
        );
        assert!(out.get(1).2.is_empty(), "{}", s.name);
    }
}

/// A dimension file is read as the harness's Flink `lookup-file` fixture reads it: a
/// line that is not JSON or has a NULL primary key is skipped; a value that does not
/// fit its column is NULL (the row is kept); text forms of numbers, booleans and dates
/// are read by the column's type; the last line of a key wins. Each problem counts as
/// a decode error.
#[test]
fn a_dimension_file_is_read_as_flinks_fixture_reads_it() {
    let s = Store::file();
    let lines = vec![
        shop(1).0,
        "not json".to_string(),
        r#"{"code":null,"name":"nokey"}"#.to_string(),
        r#"{"code":"s7","score":"high","active":"1","day":"2024-03-05"}"#.to_string(),
        r#"{"code":"s8","name":42,"score":"2.5","amount":"3.10","active":"maybe"}"#.to_string(),
        String::new(),
        shop(2).0,
        r#"{"code":"s1","name":"shop 1, again"}"#.to_string(),
    ];
    let mut ctx = ctx_for(s.serve(&SHOPS, &lines, &[]));
    let mut join = LookupJoin::new("shops", &[0]);
    for k in ["s1", "s2", "s7", "s8"] {
        join.push(RowKind::Insert, k, key(k));
    }
    let out = join.resolve(&mut ctx).unwrap();
    let mut s1 = vec![Value::Null; 8];
    s1[0] = Value::Str("s1".into());
    s1[1] = Value::Str("shop 1, again".into());
    assert_eq!(**out.get(0).2, [s1], "the last line of s1");
    assert_eq!(**out.get(1).2, [shop(2).1]);
    let s7 = vec![
        Value::Str("s7".into()),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Bool(true),
        Value::Date(Date(19_787)),
        Value::Null,
        Value::Null,
    ];
    assert_eq!(**out.get(2).2, [s7], "a score that is not a number is NULL");
    let s8 = vec![
        Value::Str("s8".into()),
        Value::Str("42".into()),
        Value::Float(2.5),
        Value::Decimal(Decimal {
            unscaled: 310,
            scale: 2,
        }),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
    ];
    assert_eq!(**out.get(3).2, [s8]);
    // Not JSON, a NULL key, "high", "maybe".
    assert_eq!(ctx.counters.decode_errors, 4);
}

/// Tables that cannot be served fail the job at the first lookup, saying why: a
/// server's table that is not there, a `--input` file that is not there, a connector
/// that is not a store, a bad option.
/// (A SQLite file is the job's own: a missing table there is made, empty.)
#[test]
fn tables_that_cannot_be_served_are_errors() {
    for s in Store::servers() {
        let mut opts = Options::default();
        opts.sets.push(("shops.url".into(), s.url.clone().unwrap()));
        opts.sets
            .push(("shops.table-name".into(), format!("absent_{}", unique())));
        let mut ctx = ctx_for(opts);
        let mut join = LookupJoin::new("shops", &[0]);
        join.push(RowKind::Insert, (), key("s1"));
        let err = join.resolve(&mut ctx).unwrap_err();
        assert!(
            err.starts_with("lookup `shops`: table absent_") && err.contains("not usable"),
            "{}: {err}",
            s.name
        );
    }
    let s = Store::sqlite();
    let mut opts = Options::default();
    opts.sets.push(("shops.url".into(), s.url.clone().unwrap()));
    let mut ctx = ctx_for(opts);
    let mut join = LookupJoin::new("shops", &[0]);
    join.push(RowKind::Insert, (), key("s1"));
    assert!(join.resolve(&mut ctx).unwrap().get(0).2.is_empty());

    let mut ctx = ctx_for(Options {
        inputs: vec![(
            "shops".into(),
            s.dir.join("absent.jsonl").display().to_string(),
        )],
        ..Options::default()
    });
    let mut join = LookupJoin::new("shops", &[0]);
    join.push(RowKind::Insert, (), key("a"));
    let err = join.resolve(&mut ctx).unwrap_err();
    assert!(
        err.starts_with("lookup `shops`: --input ") && err.contains("absent.jsonl"),
        "{err}"
    );

    let mut ctx = ctx_for(Options::default());
    let mut join = LookupJoin::new("events", &[0]);
    join.push(RowKind::Insert, (), key("a"));
    let err = join.resolve(&mut ctx).unwrap_err();
    assert!(err.contains("connector `kafka`"), "{err}");

    let mut ctx = ctx_for(s.serve(&SHOPS, &[], &[("lookup.cache", "sometimes")]));
    let mut join = LookupJoin::new("shops", &[0]);
    join.push(RowKind::Insert, (), key("a"));
    let err = join.resolve(&mut ctx).unwrap_err();
    assert_eq!(
        err,
        "lookup `shops`: 'lookup.cache' = 'sometimes': expected NONE or PARTIAL"
    );
}

// ---------------------------------------------------------------------------------
// A database that is away (through support::Proxy).

/// A database that refuses connections when the first lookup opens it: the lookup
/// waits (with backoff) and is answered once it is up.
#[test]
fn a_database_down_at_start_is_waited_for() {
    let lines: Vec<String> = (0..5).map(|j| shop(j).0).collect();
    for s in Store::servers() {
        let opts = s.serve(&SHOPS, &lines, &[]);
        let proxy = Proxy::start(server_addr(s.url.as_ref().unwrap()), false);
        proxy.open_after(Duration::from_secs(2));
        let mut ctx = ctx_for(s.via(&opts, &SHOPS, &proxy.url(s.url.as_ref().unwrap())));
        let mut join = LookupJoin::new("shops", &[0]);
        join.push(RowKind::Insert, (), key("s3"));
        let started = Instant::now();
        let out = join.resolve(&mut ctx).unwrap();
        assert!(started.elapsed() >= Duration::from_secs(2), "{}", s.name);
        assert_eq!(**out.get(0).2, [shop(3).1], "{}", s.name);
    }
}

/// Connections cut mid-run and refused for two seconds: the next batch's lookups
/// wait for the database and are answered.
#[test]
fn a_database_that_goes_away_mid_run_is_waited_for() {
    let lines: Vec<String> = (0..5).map(|j| shop(j).0).collect();
    for s in Store::servers() {
        let opts = s.serve(&SHOPS, &lines, &[]);
        let proxy = Proxy::start(server_addr(s.url.as_ref().unwrap()), true);
        let mut ctx = ctx_for(s.via(&opts, &SHOPS, &proxy.url(s.url.as_ref().unwrap())));
        let mut join = LookupJoin::new("shops", &[0]);
        join.push(RowKind::Insert, (), key("s1"));
        assert_eq!(**join.resolve(&mut ctx).unwrap().get(0).2, [shop(1).1]);
        proxy.cut_for(Duration::from_secs(2));
        join.push(RowKind::Insert, (), key("s2"));
        let started = Instant::now();
        let out = join.resolve(&mut ctx).unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(1500),
            "{}",
            s.name
        );
        assert_eq!(**out.get(0).2, [shop(2).1], "{}", s.name);
        assert_eq!(ctx.counters.lookup_round_trips, 2, "{}", s.name);
    }
}

/// A database that never comes back fails the lookup after
/// `lookup.reconnect-timeout`, saying so.
#[test]
fn a_database_that_stays_away_fails_after_the_reconnect_timeout() {
    for s in Store::servers() {
        let opts = s.serve(&SHOPS, &[shop(1).0], &[("lookup.reconnect-timeout", "1 s")]);
        let proxy = Proxy::start(server_addr(s.url.as_ref().unwrap()), false);
        let mut ctx = ctx_for(s.via(&opts, &SHOPS, &proxy.url(s.url.as_ref().unwrap())));
        let mut join = LookupJoin::new("shops", &[0]);
        join.push(RowKind::Insert, (), key("s1"));
        let started = Instant::now();
        let err = join.resolve(&mut ctx).unwrap_err();
        assert!(started.elapsed() >= Duration::from_secs(1), "{}", s.name);
        assert!(started.elapsed() < Duration::from_secs(30), "{}", s.name);
        assert!(
            err.starts_with("lookup `shops`: giving up"),
            "{}: {err}",
            s.name
        );
        assert!(
            err.contains("lookup.reconnect-timeout = 1 s"),
            "{}: {err}",
            s.name
        );
    }
}

// ---------------------------------------------------------------------------------
// A table the job writes and looks up: daily new customers.

use std::collections::BTreeMap;
use streamsql_generated::iot::daily_new_customers as new_customers;

/// 2024-03-01 00:00:00 UTC, in seconds.
const DAY1: i64 = 1_709_251_200;

/// WiFi probes: (seconds after `DAY1`, device, access point).
const PROBES: &[(i64, &str, &str)] = &[
    // A: two access points in one second (two rows of one window), then again.
    (10 * 3600, "A", "ap1"),
    (10 * 3600, "A", "ap2"),
    (11 * 3600, "A", "ap1"),
    // B: a customer the visit records already hold.
    (12 * 3600, "B", "ap1"),
    (86_400 + 9 * 3600, "A", "ap1"),
    (86_400 + 9 * 3600 + 1800, "C", "ap2"),
    // D: the last second of day 2 and the first of day 3.
    (2 * 86_400 - 1, "D", "ap1"),
    (2 * 86_400 + 1, "D", "ap1"),
    (2 * 86_400 + 8 * 3600, "C", "ap1"),
];

/// B's visit record before the job runs.
const B_RECORD: &str = r#"{"user_device_mac":"B","first_come_flag":"0","first_coming_time":"2024-01-05 08:00:00","last_coming_time":"2024-02-20 18:00:00"}"#;

/// How a run of daily new customers is set up.
struct NewCustomersRun<'a> {
    /// The database both sinks (and, unless `records_from_file`, the visit records
    /// looked up) are in.
    url: &'a str,
    /// The visit records served from a `--input` file (their rows at the start).
    records_from_file: bool,
    /// The visit-record sink goes to a `--output` file, not to the table.
    records_to_file: bool,
    sets: &'a [(&'a str, &'a str)],
    batch_size: usize,
}

/// What a run left: new customers per day, and per device its visit record
/// (first_come_flag, first_coming_time, last_coming_time).
type NewCustomers = (
    BTreeMap<String, i64>,
    BTreeMap<String, (String, String, String)>,
);

fn run_new_customers(run: &NewCustomersRun<'_>, dir: &std::path::Path) -> NewCustomers {
    let info = &new_customers::INFO;
    let file = |name: &str, lines: &[String]| {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path.display().to_string()
    };
    let probes: Vec<String> = PROBES
        .iter()
        .enumerate()
        .map(|(n, (at, mac, ap))| {
            format!(
                r#"{{"id":"{n}","shop_code":"s1","ap_ip":"10.0.0.1","occur_time":"{}","user_device_mac":"{mac}","rssi":"-50","ap_mac":"{ap}","pt":"p"}}"#,
                DAY1 + at
            )
        })
        .collect();
    let places =
        vec![r#"{"user_device_mac":"A","used_x":1,"used_y":2,"min_rssi":-40}"#.to_string()];
    let (people, records) = (
        format!("people_{}", unique()),
        format!("records_{}", unique()),
    );
    let mut opts = Options {
        inputs: vec![
            ("user_wifidata".into(), file("probes.jsonl", &probes)),
            ("place_info".into(), file("places.jsonl", &places)),
        ],
        batch_size: run.batch_size,
        quiet: true,
        dead_letter: Some(dir.join("dead-letters.jsonl").display().to_string()),
        ..Options::default()
    };
    let mut set = |t: &str, k: &str, v: &str| opts.sets.push((format!("{t}.{k}"), v.to_string()));
    for (t, name) in [
        ("customer_info_people_sum", &people),
        ("shop_user_record_update", &records),
        ("shop_user_record", &records),
    ] {
        set(t, "url", run.url);
        set(t, "table-name", name);
        set(t, "sink.create-table", "true");
    }
    for (k, v) in run.sets {
        set("shop_user_record", k, v);
    }
    let b_record = vec![B_RECORD.to_string()];
    if run.records_from_file {
        opts.inputs
            .push(("shop_user_record".into(), file("records.jsonl", &b_record)));
    } else {
        // B's record in the table the job reads and writes.
        let t = info.table("shop_user_record_update").unwrap();
        let mut ctx = Ctx::new(0);
        let mut sink = StoreSink::open(info, &opts, t).unwrap();
        sink.push(B_RECORD.as_bytes(), &mut ctx);
        sink.flush(&mut ctx).unwrap();
        assert_eq!(ctx.counters.failed, 0);
    }
    if run.records_to_file {
        opts.outputs.push((
            "shop_user_record_update".into(),
            dir.join("records-out.jsonl").display().to_string(),
        ));
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut job = new_customers::Job::default();
    let counters = streamsql_runtime::driver::run(&mut job, &opts, &stop).unwrap();
    assert_eq!(
        (counters.failed, counters.decode_errors),
        (0, 0),
        "{counters:?}"
    );
    let read = |table: &str| -> Vec<serde_json::Value> {
        let lines = store::dump_table(run.url, table).unwrap();
        let _ = store::drop_table(run.url, table);
        lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("NULL").to_string();
    let per_day = read(&people)
        .iter()
        .map(|r| (text(&r["come_time"]), r["people_sum"].as_i64().unwrap()))
        .collect();
    let visits = if run.records_to_file {
        BTreeMap::new()
    } else {
        read(&records)
            .iter()
            .map(|r| {
                let v = |c: &str| text(&r[c]);
                (
                    v("user_device_mac"),
                    (
                        v("first_come_flag"),
                        v("first_coming_time"),
                        v("last_coming_time"),
                    ),
                )
            })
            .collect()
    };
    (per_day, visits)
}

/// The seed's intent: a device with no visit record is a new customer, and the job
/// records every device it sees, so each device counts as new once — on the day of
/// its first visit — whatever the batching, the cache, or where the table is. A
/// device seen twice in its first second (two access points) counts once and keeps
/// that second as its first visit; B, on record before the run, is never new; D, seen
/// in the last second of day 2 and the first of day 3, is new on day 2 only.
#[test]
fn a_table_the_job_writes_and_looks_up_counts_each_customer_new_once() {
    let expected_days: BTreeMap<String, i64> =
        [("2024-03-01".to_string(), 1), ("2024-03-02".to_string(), 2)].into();
    let record = |first: &str, last: &str| ("0".to_string(), first.to_string(), last.to_string());
    let expected_records: BTreeMap<String, (String, String, String)> = [
        ("A", record("2024-03-01 10:00:00", "2024-03-02 09:00:00")),
        ("B", record("2024-01-05 08:00:00", "2024-03-01 12:00:00")),
        ("C", record("2024-03-02 09:30:00", "2024-03-03 08:00:00")),
        ("D", record("2024-03-02 23:59:59", "2024-03-03 00:00:01")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let dir = temp_dir("new-customers");
    let sqlite = format!("sqlite:{}", dir.join("store.db").display());
    let servers = Store::servers();
    let cache: &[(&str, &str)] = &[("cache", "LRU"), ("cacheTTLMs", "3600000")];
    let mut runs = vec![
        (
            "sqlite, records from a file, one message a batch".to_string(),
            NewCustomersRun {
                url: &sqlite,
                records_from_file: true,
                records_to_file: false,
                sets: &[],
                batch_size: 1,
            },
        ),
        (
            "sqlite, one table read and written, cached".to_string(),
            NewCustomersRun {
                url: &sqlite,
                records_from_file: false,
                records_to_file: false,
                sets: cache,
                batch_size: 1000,
            },
        ),
    ];
    for s in &servers {
        runs.push((
            format!("{}, one table read and written, cached", s.name),
            NewCustomersRun {
                url: s.url.as_deref().unwrap(),
                records_from_file: false,
                records_to_file: false,
                sets: cache,
                batch_size: 3,
            },
        ));
    }
    for (what, run) in &runs {
        let (days, records) = run_new_customers(run, &dir);
        assert_eq!(days, expected_days, "{what}: new customers per day");
        assert_eq!(records, expected_records, "{what}: visit records");
    }

    // The visit records written to a file instead: the job cannot see its writes, as
    // the Flink oracle of the harness (a read-only dimension file): a device with no
    // record is new on every day it comes.
    let (days, _) = run_new_customers(
        &NewCustomersRun {
            url: &sqlite,
            records_from_file: true,
            records_to_file: true,
            sets: &[],
            batch_size: 1000,
        },
        &dir,
    );
    let unseen: BTreeMap<String, i64> = [
        ("2024-03-01".to_string(), 1),
        ("2024-03-02".to_string(), 3),
        ("2024-03-03".to_string(), 2),
    ]
    .into();
    assert_eq!(days, unseen, "writes not to the table are not seen");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------
// Updating input.

mod counts_by_shop {
    streamsql_macros::stream_sql!(
        counts_by_shop,
        r#"
        CREATE TABLE visits (mac STRING, shop STRING)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE shops (code STRING, name STRING, PRIMARY KEY (code) NOT ENFORCED)
        WITH ('connector' = 'jdbc', 'table-name' = 'shops');
        CREATE TABLE named (shop STRING, n BIGINT, name STRING) WITH ('connector' = 'print');
        CREATE TABLE known (shop STRING, n BIGINT, name STRING) WITH ('connector' = 'print');
        CREATE VIEW counts AS SELECT shop, COUNT(*) AS n FROM visits GROUP BY shop;
        INSERT INTO named
        SELECT c.shop, c.n, s.name FROM (SELECT *, PROCTIME() AS p FROM counts) AS c
        LEFT JOIN shops FOR SYSTEM_TIME AS OF c.p AS s ON s.code = c.shop;
        INSERT INTO known
        SELECT c.shop, c.n, s.name FROM (SELECT *, PROCTIME() AS p FROM counts) AS c
        JOIN shops FOR SYSTEM_TIME AS OF c.p AS s ON s.code = c.shop;
        "#
    );
}

mod shop_names {
    streamsql_macros::stream_sql!(
        shop_names,
        r#"
        CREATE TABLE visits (mac STRING, shop STRING, p AS PROCTIME())
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE shops (code STRING, name STRING, floor INT, PRIMARY KEY (code) NOT ENFORCED)
        WITH ('connector' = 'jdbc', 'table-name' = 'shops');
        CREATE TABLE named (mac STRING, shop STRING, name STRING, floor INT)
        WITH ('connector' = 'print');
        INSERT INTO named
        SELECT v.mac, v.shop, s.name, s.floor FROM visits AS v
        LEFT JOIN shops FOR SYSTEM_TIME AS OF v.p AS s ON s.code = v.shop AND s.floor > 0;
        "#
    );
}

/// The rows a lookup join answers at once (once the first batch opened the
/// dimension) are the rows the per-batch queue gives, in the same order: matched,
/// unmatched, a NULL key, a row the rest of the ON condition drops to padding.
#[test]
fn rows_joined_at_once_are_the_queued_rows() {
    let dir = temp_dir("lookup-probe");
    let write = |name: &str, lines: &[&str]| {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path.display().to_string()
    };
    let visits: Vec<String> = (0..9)
        .map(|i| match i % 4 {
            0 => format!(r#"{{"mac":"m{i}","shop":"s1"}}"#),
            1 => format!(r#"{{"mac":"m{i}","shop":"s2"}}"#),
            2 => format!(r#"{{"mac":"m{i}","shop":null}}"#),
            _ => format!(r#"{{"mac":"m{i}","shop":"basement"}}"#),
        })
        .collect();
    let visits: Vec<&str> = visits.iter().map(String::as_str).collect();
    let input = write("visits.jsonl", &visits);
    let shops = write(
        "shops.jsonl",
        &[
            r#"{"code":"s1","name":"Mall","floor":1}"#,
            r#"{"code":"basement","name":"Cellar","floor":-1}"#,
        ],
    );
    let run = |batch_size: usize| {
        let out = dir.join(format!("named-{batch_size}.txt"));
        let opts = Options {
            inputs: vec![
                ("visits".into(), input.clone()),
                ("shops".into(), shops.clone()),
            ],
            outputs: vec![("named".into(), out.display().to_string())],
            batch_size,
            quiet: true,
            ..Options::default()
        };
        let mut job = shop_names::Job::default();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let c = streamsql_runtime::driver::run(&mut job, &opts, &stop).unwrap();
        let rows: Vec<String> = std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        (rows, (c.lookup_round_trips, c.lookup_keys))
    };
    let (queued, queued_counts) = run(1000);
    let (probed, probed_counts) = run(3);
    assert_eq!(
        queued,
        [
            "+I[m0, s1, Mall, 1]",
            "+I[m1, s2, null, null]",
            "+I[m2, null, null, null]",
            "+I[m3, basement, null, null]",
            "+I[m4, s1, Mall, 1]",
            "+I[m5, s2, null, null]",
            "+I[m6, null, null, null]",
            "+I[m7, basement, null, null]",
            "+I[m8, s1, Mall, 1]",
        ]
    );
    assert_eq!(probed, queued);
    // One batch: one round trip for its 3 distinct keys. Batches of three: the first
    // queued (one round trip, 2 keys: m2's is NULL), then each non-NULL key probed
    // alone (m3 to m8 but m6).
    assert_eq!(queued_counts, (1, 3));
    assert_eq!(probed_counts, (1 + 5, 2 + 5));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A changelog passes a lookup join row by row with its kind: a LEFT join pads a key
/// that matches nothing (s2) with NULLs in the `+I`, the `-U` and the `+U` alike (so
/// the `-U` retracts exactly what was emitted), an INNER join drops all three.
#[test]
fn updates_pass_a_lookup_join_with_their_kinds() {
    let dir = temp_dir("lookup-updates");
    let file = |name: &str, lines: &[&str]| {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path.display().to_string()
    };
    let out = |name: &str| dir.join(name).display().to_string();
    let opts = Options {
        inputs: vec![
            (
                "visits".into(),
                file(
                    "visits.jsonl",
                    &[
                        r#"{"mac":"a","shop":"s1"}"#,
                        r#"{"mac":"b","shop":"s2"}"#,
                        r#"{"mac":"c","shop":"s1"}"#,
                        r#"{"mac":"d","shop":"s2"}"#,
                    ],
                ),
            ),
            (
                "shops".into(),
                file("shops.jsonl", &[r#"{"code":"s1","name":"Mall"}"#]),
            ),
        ],
        outputs: vec![
            ("named".into(), out("named.txt")),
            ("known".into(), out("known.txt")),
        ],
        batch_size: 1000,
        quiet: true,
        ..Options::default()
    };
    let mut job = counts_by_shop::Job::default();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let counters = streamsql_runtime::driver::run(&mut job, &opts, &stop).unwrap();
    assert_eq!((counters.failed, counters.decode_errors), (0, 0));
    let rows = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        rows("named.txt"),
        [
            "+I[s1, 1, Mall]",
            "+I[s2, 1, null]",
            "-U[s1, 1, Mall]",
            "+U[s1, 2, Mall]",
            "-U[s2, 1, null]",
            "+U[s2, 2, null]",
        ]
    );
    assert_eq!(
        rows("known.txt"),
        ["+I[s1, 1, Mall]", "-U[s1, 1, Mall]", "+U[s1, 2, Mall]"]
    );
    assert_eq!(
        counters.lookup_round_trips, 2,
        "one batch: one round trip per lookup join"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
