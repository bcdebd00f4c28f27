// ROW_NUMBER() OVER with PARTITION BY but no ORDER BY.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (shop VARCHAR, day VARCHAR, people BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (shop VARCHAR, day VARCHAR, people BIGINT, PRIMARY KEY (day, shop) NOT ENFORCED) WITH ('connector' = 'jdbc');
INSERT INTO out
SELECT shop, day, people FROM (
    SELECT shop, day, people, ROW_NUMBER() OVER (PARTITION BY day) AS rn FROM src
) WHERE rn <= 5;
"#);
}

fn main() {
    let _ = job::Job.info();
}
