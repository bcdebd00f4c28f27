// A TIMESTAMP column compared with an epoch-millis number.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM src WHERE ts > 1600000000000;
"#);
}

fn main() {
    let _ = job::Job.info();
}
