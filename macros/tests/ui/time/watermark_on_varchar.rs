// WATERMARK on the raw VARCHAR column instead of a computed timestamp.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR,
    occur_time VARCHAR,
    WATERMARK wk FOR occur_time AS WITHOFFSET(occur_time, 5000)
) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (id VARCHAR) WITH (type = 'print');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
