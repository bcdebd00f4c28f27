// FOR SYSTEM_TIME AS OF a kafka table, which cannot serve lookups.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE orders (id VARCHAR, shop_code VARCHAR, p AS PROCTIME()) WITH ('connector' = 'kafka', 'topic' = 'o');
CREATE TABLE shops (shop_code VARCHAR, name VARCHAR) WITH ('connector' = 'kafka', 'topic' = 's');
CREATE TABLE out (id VARCHAR, name VARCHAR) WITH ('connector' = 'print');
INSERT INTO out
SELECT o.id, s.name FROM orders o
JOIN shops FOR SYSTEM_TIME AS OF o.p AS s ON o.shop_code = s.shop_code;
"#);
}

fn main() {
    let _ = job::Job.info();
}
