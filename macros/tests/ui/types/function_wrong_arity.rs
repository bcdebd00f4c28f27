// DATE_FORMAT called with too many arguments.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, d VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id, DATE_FORMAT(ts, 'yyyy-MM-dd', 'UTC', 'x') FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
