// HAVING uses a column that is not grouped.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, status INT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, c BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out SELECT id, COUNT(*) FROM src GROUP BY id HAVING status = 3;
"#);
}

fn main() {
    let _ = job::Job.info();
}
