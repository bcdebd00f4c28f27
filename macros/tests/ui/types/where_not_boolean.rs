// A WHERE condition that is an INT, not a BOOLEAN.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, status INT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM src WHERE status;
"#);
}

fn main() {
    let _ = job::Job.info();
}
