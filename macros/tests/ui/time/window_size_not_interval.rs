// A window size given as milliseconds instead of an INTERVAL.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP,
    WATERMARK wk FOR ts AS WITHOFFSET(ts, 5000)
) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (id VARCHAR, c BIGINT) WITH (type = 'rds');
INSERT INTO out SELECT id, COUNT(*) FROM src GROUP BY id, TUMBLE(ts, 60000);
"#);
}

fn main() {
    let _ = job::Job.info();
}
