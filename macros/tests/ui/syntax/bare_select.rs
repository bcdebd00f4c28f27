// A bare SELECT with no INSERT INTO: the result goes nowhere.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
