// OCR split `time_stamp` into `time stamp` (quoted) in the query.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, time_stamp VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, time_stamp VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id, `time stamp` FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
