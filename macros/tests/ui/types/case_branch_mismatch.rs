// CASE branches of different types (INT and STRING).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n INT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, level VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id, CASE WHEN n > 10 THEN 1 ELSE 'low' END FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
