// A column is misspelled (`user_nmae` for `user_name`).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (user_id VARCHAR, user_name VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (user_name VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT user_nmae FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
