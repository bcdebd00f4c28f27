// INSERT INTO's column list names a column the sink lacks.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, name VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, name VARCHAR) WITH ('connector' = 'print');
INSERT INTO out (id, nmae) SELECT id, name FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
