// FIRST_VALUE over a SESSION group window: session windows merge, FIRST_VALUE cannot.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    room VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (ws TIMESTAMP(3), first_id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out
SELECT SESSION_START(ts, INTERVAL '10' MINUTE), FIRST_VALUE(id)
FROM src
GROUP BY SESSION(ts, INTERVAL '10' MINUTE), room;
"#);
}

fn main() {
    let _ = job::Job.info();
}
