// Reading FROM a print table, which can only be written.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'print');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'blackhole');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
