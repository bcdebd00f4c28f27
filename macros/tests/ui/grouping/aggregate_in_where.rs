// An aggregate in WHERE (it belongs in HAVING).
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (id VARCHAR, c BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out SELECT id, COUNT(*) FROM src WHERE COUNT(*) > 1 GROUP BY id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
