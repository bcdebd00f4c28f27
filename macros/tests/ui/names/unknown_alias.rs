// A column qualified by an alias that the FROM clause never declares.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE user_wifidata (shop_code VARCHAR, mac VARCHAR) WITH (type = 'datahub');
CREATE TABLE out (shop_code VARCHAR, mac VARCHAR) WITH (type = 'print');
INSERT INTO out SELECT grd.shop_code, data.mac FROM user_wifidata data;
"#);
}

fn main() {
    let _ = job::Job.info();
}
