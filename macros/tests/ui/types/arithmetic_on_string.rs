// Arithmetic on a VARCHAR column.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, score VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, score BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, score * 10 FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
