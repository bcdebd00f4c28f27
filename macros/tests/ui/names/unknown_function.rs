// `DATEFORMAT` instead of `DATE_FORMAT`.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, d VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id, DATEFORMAT(ts, 'yyyy-MM-dd') FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
