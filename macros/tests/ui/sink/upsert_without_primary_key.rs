// An updating GROUP BY into an rds sink that has no PRIMARY KEY.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (shop_code VARCHAR, mac VARCHAR) WITH (type = 'datahub');
CREATE TABLE out (shop_code VARCHAR, people BIGINT) WITH (type = 'rds');
INSERT INTO out SELECT shop_code, COUNT(DISTINCT mac) FROM src GROUP BY shop_code;
"#);
}

fn main() {
    let _ = job::Job.info();
}
