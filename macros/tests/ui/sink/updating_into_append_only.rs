// An unwindowed GROUP BY (updating) into plain kafka (append-only).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'x');
CREATE TABLE out (id VARCHAR, total BIGINT) WITH ('connector' = 'kafka', 'topic' = 'y');
INSERT INTO out SELECT id, SUM(n) FROM src GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
