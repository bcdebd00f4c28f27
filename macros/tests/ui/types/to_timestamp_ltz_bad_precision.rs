// TO_TIMESTAMP_LTZ(numeric, precision) only knows precision 0 (seconds) and 3 (milliseconds).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, occur_time BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, ts TIMESTAMP_LTZ(3)) WITH ('connector' = 'print');
INSERT INTO out SELECT id, TO_TIMESTAMP_LTZ(occur_time, 6) FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
