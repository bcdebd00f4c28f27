// A function call's `(` is never closed before FROM.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, n BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, ABS(n FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
