// TUMBLE_START's interval differs from the GROUP BY window's.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, w TIMESTAMP(3), c BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT id, TUMBLE_START(ts, INTERVAL '5' MINUTE), COUNT(*)
FROM src GROUP BY id, TUMBLE(ts, INTERVAL '1' MINUTE);
"#);
}

fn main() {
    let _ = job::Job.info();
}
