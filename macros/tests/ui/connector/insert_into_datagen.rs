// INSERT INTO a datagen table, which can only be read.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'datagen');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
