// ROW_NUMBER() with no `rn <= N` filter on it.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (shop VARCHAR, day VARCHAR, people BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (shop VARCHAR, day VARCHAR, people BIGINT, rn BIGINT, PRIMARY KEY (day, rn) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out
SELECT shop, day, people, ROW_NUMBER() OVER (PARTITION BY day ORDER BY people DESC) AS rn
FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
