// A string literal in double quotes (MySQL habit); Flink reads it as an identifier.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, status VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM src WHERE status = "done";
"#);
}

fn main() {
    let _ = job::Job.info();
}
