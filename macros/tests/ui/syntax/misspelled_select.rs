// `SELEC` instead of `SELECT`.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELEC id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
