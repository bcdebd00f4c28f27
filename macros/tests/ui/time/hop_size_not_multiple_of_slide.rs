// A HOP window TVF whose size is not made of whole slides: Flink refuses to slice it.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (ws TIMESTAMP(3), c BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT window_start, COUNT(*)
FROM TABLE(HOP(TABLE src, DESCRIPTOR(ts), INTERVAL '4' MINUTE, INTERVAL '10' MINUTE))
GROUP BY window_start, window_end;
"#);
}

fn main() {
    let _ = job::Job.info();
}
