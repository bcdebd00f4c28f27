// SUM over a VARCHAR column.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, amount VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, total BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out SELECT id, SUM(amount) FROM src GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
