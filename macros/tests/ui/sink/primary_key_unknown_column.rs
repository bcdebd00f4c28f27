// PRIMARY KEY names a column the table does not declare.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, total BIGINT, PRIMARY KEY (uid) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out SELECT id, SUM(n) FROM src GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
