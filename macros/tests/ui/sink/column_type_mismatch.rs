// A VARCHAR written into a BIGINT sink column.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, amount VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, amount BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, amount FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
