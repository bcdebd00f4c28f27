// A window TVF aggregation that groups by window_start but not window_end.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, ws TIMESTAMP(3), c BIGINT) WITH ('connector' = 'kafka', 'topic' = 'y');
INSERT INTO out
SELECT id, window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY id, window_start;
"#);
}

fn main() {
    let _ = job::Job.info();
}
