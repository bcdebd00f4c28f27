// The FROM table is misspelled (`scr` for `src`).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT id FROM scr;
"#);
}

fn main() {
    let _ = job::Job.info();
}
