// TUMBLE_END in a query whose GROUP BY has no window.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, w TIMESTAMP(3), c BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out
SELECT id, TUMBLE_END(ts, INTERVAL '1' MINUTE), COUNT(*)
FROM src GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
