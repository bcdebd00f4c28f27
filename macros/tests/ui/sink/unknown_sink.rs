// INSERT INTO a table that is not declared (misspelled).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out_table (id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out_tabel SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
