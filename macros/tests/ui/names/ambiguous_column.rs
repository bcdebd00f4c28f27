// An unqualified column that both sides of a join have.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE orders (id VARCHAR, shop_id VARCHAR) WITH ('connector' = 'datagen');
CREATE TABLE shops (shop_id VARCHAR, name VARCHAR) WITH ('connector' = 'kafka', 'topic' = 'shops');
CREATE TABLE out (id VARCHAR, shop_id VARCHAR) WITH ('connector' = 'print');
INSERT INTO out SELECT o.id, shop_id FROM orders o JOIN shops s ON o.shop_id = s.shop_id;
"#);
}

fn main() {
    let _ = job::Job.info();
}
