// TUMBLE over a TIMESTAMP column that has no WATERMARK (not a time attribute).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, c BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, COUNT(*) FROM src GROUP BY id, TUMBLE(ts, INTERVAL '1' MINUTE);
"#);
}

fn main() {
    let _ = job::Job.info();
}
