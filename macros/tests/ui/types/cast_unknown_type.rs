// CAST to a misspelled type (`STRNG`).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, n VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id, CAST(n AS STRNG) FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
