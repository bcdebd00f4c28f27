// WITHOFFSET used in a query; it only defines a WATERMARK.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    ts TIMESTAMP,
    WATERMARK wk FOR ts AS WITHOFFSET(ts, 5000)
) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (id VARCHAR, t TIMESTAMP) WITH (type = 'print');
INSERT INTO out SELECT id, WITHOFFSET(ts, 1000) FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
