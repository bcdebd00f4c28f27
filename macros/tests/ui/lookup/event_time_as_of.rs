// FOR SYSTEM_TIME AS OF an event-time column instead of PROCTIME().
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE orders (
    id VARCHAR,
    shop_code VARCHAR,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'o');
CREATE TABLE shops (shop_code VARCHAR, name VARCHAR, PRIMARY KEY (shop_code) NOT ENFORCED) WITH ('connector' = 'jdbc');
CREATE TABLE out (id VARCHAR, name VARCHAR) WITH ('connector' = 'print');
INSERT INTO out
SELECT o.id, s.name FROM orders o
JOIN shops FOR SYSTEM_TIME AS OF o.ts AS s ON o.shop_code = s.shop_code;
"#);
}

fn main() {
    let _ = job::Job.info();
}
