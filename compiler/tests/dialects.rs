//! Both dialects through the whole front end: Flink 1.x/2.x jobs (the examples are
//! Blink) compile, and their plans are what Flink would plan. Snapshots are inline
//! (`expect-test`; update with `UPDATE_EXPECT=1`).

use expect_test::{Expect, expect};
use streamsql_compiler::{SourceFile, plan};

fn check_plan(sql: &str, want: Expect) {
    match plan(sql) {
        Ok((job, _)) => want.assert_eq(&job.to_string()),
        Err(d) => panic!("{}", d.render(&SourceFile::new("test.sql", sql))),
    }
}

fn check_err(sql: &str, want: Expect) {
    match plan(sql) {
        Ok((job, _)) => panic!("expected errors, got a plan:\n{job}"),
        Err(d) => want.assert_eq(&d.render(&SourceFile::new("test.sql", sql))),
    }
}

const FLINK_ORDERS: &str = "
CREATE TABLE orders (
    order_id BIGINT,
    shop STRING,
    amount DECIMAL(10, 2),
    payload ROW<channel STRING, tags ARRAY<STRING>>,
    `offset` BIGINT METADATA VIRTUAL,
    ts TIMESTAMP(3),
    p AS PROCTIME(),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'format' = 'json');
CREATE TABLE shops (
    shop STRING,
    name STRING,
    PRIMARY KEY (shop) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'table-name' = 'shops');
";

#[test]
fn flink_window_tvf_statement_set_and_lookup() {
    let sql = format!(
        "{FLINK_ORDERS}
CREATE TABLE per_minute (shop STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), total DECIMAL(10, 2), n BIGINT)
    WITH ('connector' = 'print');
CREATE TABLE named (order_id BIGINT, name STRING) WITH ('connector' = 'blackhole');
SET 'table.exec.state.ttl' = '1 h';
EXECUTE STATEMENT SET BEGIN
INSERT INTO per_minute
SELECT shop, window_start, window_end, SUM(amount), COUNT(*) FILTER (WHERE amount > 10)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
GROUP BY shop, window_start, window_end;
INSERT INTO named
SELECT o.order_id, s.name
FROM orders AS o
LEFT JOIN shops FOR SYSTEM_TIME AS OF o.p AS s ON o.shop = s.shop;
END;"
    );
    check_plan(
        &sql,
        expect![[r#"
        Job: dialect=Flink, 2 pipeline(s)
        Set: table.exec.state.ttl = 1 h

        -- pipeline 1 (line 23)
        Sink: per_minute [connector=print]
          -> (shop: STRING, window_start: TIMESTAMP(3), window_end: TIMESTAMP(3), total: DECIMAL(10, 2), n: BIGINT) insert-only
          Calc: select=[shop#0, window_start#1, window_end#2, EXPR$3 := $agg0#3, EXPR$4 := $agg1#4]
            -> (shop: STRING, window_start: TIMESTAMP(3) NOT NULL, window_end: TIMESTAMP(3) NOT NULL, EXPR$3: DECIMAL(10, 2), EXPR$4: BIGINT NOT NULL) insert-only
            WindowAggregate: window=TUMBLE(size=60000ms, rowtime=#5) keys=[shop#1, window_start#7, window_end#8] aggs=[SUM(amount#2), COUNT(*) FILTER (WHERE (amount#2 > IMPLICIT_CAST(10 AS DECIMAL(10, 2))))]
              -> (shop: STRING, window_start: TIMESTAMP(3) NOT NULL, window_end: TIMESTAMP(3) NOT NULL, $agg0: DECIMAL(10, 2), $agg1: BIGINT NOT NULL) insert-only
              WindowTableFunction: TUMBLE(size=60000ms, rowtime=#5)
                -> (order_id: BIGINT, shop: STRING, amount: DECIMAL(10, 2), payload: ROW<`channel` STRING, `tags` ARRAY<STRING>>, offset: BIGINT, ts: TIMESTAMP(3) *ROWTIME*, p: TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*, window_start: TIMESTAMP(3) NOT NULL, window_end: TIMESTAMP(3) NOT NULL, window_time: TIMESTAMP(3) NOT NULL *ROWTIME*) insert-only
                Scan: orders [connector=kafka] computed=[p := PROCTIME()] watermark=[ts - 5000ms]
                  -> (order_id: BIGINT, shop: STRING, amount: DECIMAL(10, 2), payload: ROW<`channel` STRING, `tags` ARRAY<STRING>>, offset: BIGINT, ts: TIMESTAMP(3) *ROWTIME*, p: TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*) insert-only

        -- pipeline 2 (line 27)
        Sink: named [connector=blackhole]
          -> (order_id: BIGINT, name: STRING) insert-only
          Calc: select=[order_id#0, name#8]
            -> (order_id: BIGINT, name: STRING) insert-only
            LookupJoin: Left shops [connector=jdbc] keys=[shops.shop = shop#1]
              -> (order_id: BIGINT, shop: STRING, amount: DECIMAL(10, 2), payload: ROW<`channel` STRING, `tags` ARRAY<STRING>>, offset: BIGINT, ts: TIMESTAMP(3) *ROWTIME*, p: TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*, shop: STRING, name: STRING) insert-only
              Scan: orders [connector=kafka] computed=[p := PROCTIME()] watermark=[ts - 5000ms]
                -> (order_id: BIGINT, shop: STRING, amount: DECIMAL(10, 2), payload: ROW<`channel` STRING, `tags` ARRAY<STRING>>, offset: BIGINT, ts: TIMESTAMP(3) *ROWTIME*, p: TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*) insert-only
    "#]],
    );
}

#[test]
fn flink_hop_cumulate_and_top_n() {
    let sql = format!(
        "{FLINK_ORDERS}
CREATE TABLE top3 (shop STRING, total DECIMAL(10, 2), rn BIGINT, PRIMARY KEY (shop) NOT ENFORCED)
    WITH ('connector' = 'upsert-kafka', 'topic' = 'top3');
CREATE TABLE hops (window_start TIMESTAMP(3), c BIGINT) WITH ('connector' = 'print');
BEGIN STATEMENT SET;
INSERT INTO top3
SELECT shop, total, rn FROM (
    SELECT shop, total, ROW_NUMBER() OVER (PARTITION BY 'all' ORDER BY total DESC) AS rn
    FROM (SELECT shop, SUM(amount) AS total FROM orders GROUP BY shop)
) WHERE rn <= 3;
INSERT INTO hops
SELECT window_start, COUNT(*) FROM TABLE(HOP(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '1' MINUTE))
GROUP BY window_start, window_end
UNION ALL
SELECT window_start, COUNT(*) FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR))
GROUP BY window_start, window_end;
END;"
    );
    let (job, _) =
        plan(&sql).unwrap_or_else(|d| panic!("{}", d.render(&SourceFile::new("t", &sql))));
    let text = job.to_string();
    assert!(
        text.contains("Rank: ROW_NUMBER partition=['all'] order=[total#1 DESC] rn <= 3"),
        "{text}"
    );
    assert!(text.contains("HOP(slide=10000ms, size=60000ms"), "{text}");
    assert!(
        text.contains("CUMULATE(step=60000ms, size=3600000ms"),
        "{text}"
    );
    assert!(text.contains("Union: ALL"), "{text}");
}

#[test]
fn blink_group_window_on_epoch_millis_bigint() {
    check_plan(
        "create table src (
            `message` VARBINARY,
            user_id as cast(JSON_VALUE(`message`, '$.user_id') as BIGINT),
            t as cast(JSON_VALUE(`message`, '$.t') as BIGINT),
            WATERMARK wk FOR t AS WITHOFFSET(t, 2000)
        ) with (type = 'kafka011', topic = 'src');
        create table out (s TIMESTAMP, e TIMESTAMP, user_id BIGINT, c BIGINT, tick BIGINT) with (type = 'rds');
        insert into out
        select HOP_START(t, INTERVAL '10' SECOND, INTERVAL '30' SECOND), HOP_END(t, INTERVAL '10' SECOND, INTERVAL '30' SECOND),
               user_id, COUNT(*), NOW() * 1000
        from src group by HOP(t, INTERVAL '10' SECOND, INTERVAL '30' SECOND), user_id;",
        expect![[r#"
            Job: dialect=Blink, 1 pipeline(s)

            -- pipeline 1 (line 8)
            Sink: out [connector=rds]
              -> (s: TIMESTAMP(6), e: TIMESTAMP(6), user_id: BIGINT, c: BIGINT, tick: BIGINT) insert-only
              Calc: select=[EXPR$0 := window_start#1, EXPR$1 := window_end#2, user_id#0, EXPR$3 := $agg0#4, EXPR$4 := (NOW() * IMPLICIT_CAST(1000 AS BIGINT))]
                -> (EXPR$0: TIMESTAMP(3) NOT NULL, EXPR$1: TIMESTAMP(3) NOT NULL, user_id: BIGINT, EXPR$3: BIGINT NOT NULL, EXPR$4: BIGINT NOT NULL) insert-only
                WindowAggregate: window=HOP(slide=10000ms, size=30000ms, rowtime=#2) keys=[user_id#1] aggs=[COUNT(*)]
                  -> (user_id: BIGINT, window_start: TIMESTAMP(3) NOT NULL, window_end: TIMESTAMP(3) NOT NULL, window_time: TIMESTAMP(3) NOT NULL *ROWTIME*, $agg0: BIGINT NOT NULL) insert-only
                  Scan: src [connector=kafka011] computed=[user_id := CAST(JSON_VALUE(message#0, '$.user_id') AS BIGINT), t := CAST(JSON_VALUE(message#0, '$.t') AS BIGINT)] watermark=[t - 2000ms]
                    -> (message: BYTES, user_id: BIGINT, t: BIGINT *ROWTIME*) insert-only
        "#]],
    );
}

#[test]
fn the_same_function_types_by_dialect() {
    // NOW() is epoch seconds in Blink, TIMESTAMP_LTZ(3) in Flink.
    check_err(
        "CREATE TABLE s (a INT) WITH ('connector' = 'datagen');
         CREATE TABLE o (x BIGINT) WITH ('connector' = 'print');
         INSERT INTO o SELECT NOW() * 1000 FROM s;",
        expect![[r#"
            error: type mismatch: cannot apply `*` to TIMESTAMP_LTZ(3) NOT NULL and INT NOT NULL
             --> test.sql:3:31
              |
            3 |          INSERT INTO o SELECT NOW() * 1000 FROM s;
              |                               ^^^
             = help: arithmetic needs numeric operands

            error: could not compile `test.sql` due to 1 previous error
        "#]],
    );
}

#[test]
fn every_error_is_reported_once_with_a_help_line() {
    let sql = "CREATE TABLE s (a INT, b STRING) WITH ('connector' = 'datagen');
CREATE TABLE o (x INT, y INT) WITH ('connector' = 'print');
INSERT INTO o SELECT a, b FROM s;
INSERT INTO o SELECT c, a FROM s;
INSERT INTO o SELECT a FROM s;";
    let Err(d) = plan(sql) else {
        panic!("expected errors")
    };
    assert_eq!(d.errors().count(), 3, "{d:?}");
    assert!(
        d.errors().all(|e| e.help.is_some() && !e.span.is_none()),
        "{d:?}"
    );
}

#[test]
fn common_table_expressions_are_local_views() {
    let sql = "CREATE TABLE s (k STRING, v INT) WITH ('connector' = 'datagen');
CREATE TABLE o (k STRING, total INT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO o
WITH positive AS (SELECT k, v FROM s WHERE v > 0),
     totals (key, total) AS (SELECT k, SUM(v) FROM positive GROUP BY k)
SELECT key, total FROM totals;";
    let (job, _) = plan(sql).unwrap_or_else(|d| panic!("{}", d.render(&SourceFile::new("t", sql))));
    let text = job.to_string();
    assert!(
        text.contains("GroupAggregate: keys=[k#0] aggs=[SUM(v#1)]"),
        "{text}"
    );
    assert!(text.contains("where=(v#1 > 0)"), "{text}");
    // The CTE names do not leak into the catalog.
    let leak = format!("{sql}\nINSERT INTO o SELECT k, v FROM positive;");
    let err = plan(&leak)
        .unwrap_err()
        .render(&SourceFile::new("t", &leak));
    assert!(err.contains("unknown table or view `positive`"), "{err}");
}
