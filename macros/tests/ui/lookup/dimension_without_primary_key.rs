// A Blink dimension table (PERIOD FOR SYSTEM_TIME) must say which key it is looked up by.
mod job {
    streamsql_macros::stream_sql!(r#"
create table visits (shop_code varchar, mac varchar) with (type = 'datahub');
create table area_shop (shop_code varchar, shop_name varchar, PERIOD FOR SYSTEM_TIME) with (type = 'rds');
create table out (mac varchar, shop_name varchar) with (type = 'print');
insert into out
select v.mac, s.shop_name
from visits v
join area_shop FOR SYSTEM_TIME AS OF PROCTIME() s on v.shop_code = s.shop_code;
"#);
}

fn main() {
    let _ = job::Job.info();
}
