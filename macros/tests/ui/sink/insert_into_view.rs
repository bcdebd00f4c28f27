// INSERT INTO a view instead of a sink table.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR) WITH ('connector' = 'print');
CREATE VIEW v AS SELECT id FROM src;
INSERT INTO v SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
