// `'kafak'` instead of `'kafka'`.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'kafak', 'topic' = 'x');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
