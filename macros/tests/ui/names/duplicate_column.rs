// A table declares the same column twice.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, name VARCHAR, id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
