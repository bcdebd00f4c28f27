// The two sides of a UNION ALL select different numbers of columns.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE a (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE b (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, n BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, n FROM a UNION ALL SELECT id FROM b;
"#);
}

fn main() {
    let _ = job::Job.info();
}
