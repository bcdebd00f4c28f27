// A window TVF's DESCRIPTOR names a TIMESTAMP column that is not the watermarked one.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    created TIMESTAMP(3),
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, ws TIMESTAMP(3), c BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT id, window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(created), INTERVAL '1' MINUTE))
GROUP BY id, window_start, window_end;
"#);
}

fn main() {
    let _ = job::Job.info();
}
