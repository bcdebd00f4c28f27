//! `streamsql explain` on forms the example jobs lack: nested `JSON_VALUE` over a Blink
//! message column, a session window, an upsert materializer, a Top-N of inserts, a
//! regular join and a job without a state TTL. (Each example's explain output is a
//! golden file, `examples/**/<job>.plan`.)

use streamsql_compiler::{SourceFile, explain::explain, plan};

fn explained(sql: &str) -> String {
    match plan(sql) {
        Ok((job, _)) => explain(&job),
        Err(d) => panic!("{}", d.render(&SourceFile::new("test.sql", sql))),
    }
}

fn has(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l.trim() == line),
        "no line `{line}` in:\n{text}"
    );
}

#[test]
fn nested_json_values_are_one_decoded_path_per_chain() {
    let text = explained(
        r#"
        CREATE TABLE src (
            message VARBINARY,
            user_id AS JSON_VALUE(JSON_VALUE(message, '$.data'), '$.user.id'),
            kind AS JSON_VALUE(message, '$.kind'),
            ts AS TO_TIMESTAMP(CAST(JSON_VALUE(message, '$.at') AS BIGINT)),
            WATERMARK FOR ts AS withOffset(ts, 1000)
        ) WITH (type = 'kafka011', topic = 't');
        CREATE TABLE sessions (user_id VARCHAR, events BIGINT, kinds BIGINT) WITH (type = 'print');
        INSERT INTO sessions
        SELECT user_id, COUNT(*), COUNT(DISTINCT kind) FROM src
        GROUP BY SESSION(ts, INTERVAL '30' SECOND), user_id;
        "#,
    );
    has(&text, "each message is column `message`");
    // Through an object at `data` (Blink), or parsing the JSON text `data` holds.
    has(
        &text,
        "decodes: 4 path(s) in one pass per message: $.data.user.id, $.data, $.kind, $.at",
    );
    has(
        &text,
        "state: per key, each open session (user_id#1): running COUNT(*); COUNT(DISTINCT kind#2): the distinct values of kind#2; dropped when the watermark passes the window's end",
    );
    // Flink's JSON_VALUE of an object is NULL: the nested call never goes through one.
    let flink = explained(
        r#"
        CREATE TABLE src (message STRING,
            user_id AS JSON_VALUE(JSON_VALUE(message, '$.data'), '$.user.id'))
        WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'raw');
        CREATE TABLE ids (id STRING, kind STRING) WITH ('connector' = 'print');
        INSERT INTO ids SELECT user_id, JSON_VALUE(message, '$.kind') FROM src;
        "#,
    );
    has(
        &flink,
        "decodes: 2 path(s) in one pass per message: $.data.user.id (not through an object at $.data), $.data",
    );
    // A JSON_VALUE in the query is evaluated where it is written.
    has(
        &flink,
        "parses JSON per row: 1 JSON_VALUE call(s) (a table's computed columns are decoded in one pass)",
    );
    // Windows alone hold no state past the watermark: offsets are committed.
    assert!(!text.contains("offsets: held"), "{text}");
}

#[test]
fn unbounded_state_says_how_long_it_is_kept() {
    let text = explained(
        r#"
        CREATE TABLE visits (mac STRING, shop STRING, ms BIGINT)
        WITH ('connector' = 'kafka', 'topic' = 'v', 'format' = 'json');
        CREATE TABLE shops (shop STRING, owner STRING)
        WITH ('connector' = 'kafka', 'topic' = 's', 'format' = 'json');
        CREATE TABLE top_visits (shop STRING, mac STRING, ms BIGINT, owner STRING,
            PRIMARY KEY (shop) NOT ENFORCED)
        WITH ('connector' = 'jdbc', 'table-name' = 'top_visits');
        INSERT INTO top_visits
        SELECT v.shop, v.mac, v.ms, s.owner
        FROM (SELECT * FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY ms DESC) AS rn
                FROM visits) WHERE rn <= 2) v
        LEFT JOIN shops s ON v.shop = s.shop;
        "#,
    );
    has(
        &text,
        "state: per partition (shop#1): the top 2 rows (later rows below them are dropped) in order; kept for the job's life (no state TTL)",
    );
    has(
        &text,
        "state: each input's rows as multisets by join key: left [shop], right [shop], with each outer row's number of matches; kept for the job's life (no state TTL)",
    );
    // Two rows per shop go to a table keyed by shop: Flink's materializer keeps them.
    assert!(
        text.contains("state: upsert materializer"),
        "no materializer in:\n{text}"
    );
    has(
        &text,
        "offsets: held at the first (it feeds state that outlives a window, and state is not snapshotted)",
    );
}
