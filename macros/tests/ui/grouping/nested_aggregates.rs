// An aggregate inside an aggregate.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, m BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out SELECT id, MAX(SUM(n)) FROM src GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
