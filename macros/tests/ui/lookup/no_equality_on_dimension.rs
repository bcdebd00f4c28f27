// A lookup join whose ON has no equality on a dimension column.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE user_wifidata (shop_code VARCHAR, mac VARCHAR) WITH (type = 'datahub');
CREATE TABLE area_shop (
    shop_code VARCHAR,
    shop_name VARCHAR,
    PRIMARY KEY (shop_code),
    PERIOD FOR SYSTEM_TIME
) WITH (type = 'rds');
CREATE TABLE out (mac VARCHAR, shop_name VARCHAR) WITH (type = 'print');
INSERT INTO out
SELECT data.mac, mas.shop_name FROM user_wifidata data
JOIN area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas ON data.shop_code LIKE mas.shop_code;
"#);
}

fn main() {
    let _ = job::Job.info();
}
