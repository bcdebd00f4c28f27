// The SELECT has two columns, the sink three.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, name VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, name VARCHAR, age INT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, name FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
