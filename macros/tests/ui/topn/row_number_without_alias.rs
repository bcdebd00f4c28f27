// The outer query filters `rownum`, but ROW_NUMBER() was never aliased.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (shop VARCHAR, day VARCHAR, people BIGINT) WITH (type = 'datahub');
CREATE TABLE out (shop VARCHAR, day VARCHAR, people BIGINT, PRIMARY KEY (day, shop)) WITH (type = 'rds');
INSERT INTO out
SELECT shop, day, people FROM (
    SELECT shop, day, people, ROW_NUMBER() OVER (PARTITION BY day ORDER BY people DESC) FROM src
) WHERE rownum <= 5;
"#);
}

fn main() {
    let _ = job::Job.info();
}
