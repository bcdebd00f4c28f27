// The seed's own text of `iot/daily_new_customers` (tests/seed_text/iot/daily_new_customers.sql): invalid SQL kept as
// written, so the error a user of the original job meets stays tested.
mod job {
    streamsql_macros::stream_sql!(r##"
-- Seed text (logic defects kept): Daily new customers of the mall
-- Seed: 003_37776ad970a1b887.txt, section 每日商场新增顾客人数
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed,
-- split code blocks rejoined, OCR garbage table/alias
-- `place_infomst_buynoplace_infow_ap_info` -> `place_info ... mai`, final `;`.
-- Defects still in this text:
--   1. record_sec selects `grd.shop_code`: there is no table or alias grd.
--   2. record_sec selects data.occur_time, which is neither grouped nor aggregated.
--   3. DATE_FORMAT(..., 'yyyy-MM-dd HH:MM:ss'): MM (month) where minutes (mm) were meant.
--   4. min(data.rssi) over a VARCHAR column of numbers: text order (lint candidate).
--   5. The visit-record update writes back the looked-up first_coming_time /
--      last_coming_time, NULL for every new customer, so they are never filled in; and it
--      stores first_come_flag '1' where the prose says to mark the customer as a regular.
--   6. The sink shop_user_record_update is declared with PERIOD FOR SYSTEM_TIME (a
--      dimension-table declaration used as an INSERT target).

-- Source: WiFi probe records of customers' devices (DataHub)
CREATE TABLE user_wifidata (
    id                varchar,
    shop_code         varchar, -- shop code
    ap_ip             varchar, -- IP address of the WiFi access point
    occur_time        varchar, -- record time (epoch seconds)
    user_device_mac   varchar, -- MAC address of the customer's device
    rssi              varchar, -- received signal strength
    ap_mac            varchar, -- MAC address of the WiFi access point
    pt                varchar, -- partition (pt)
    ts_occur_time AS TO_TIMESTAMP(cast(cast(occur_time as bigint) * 1000 as bigint)),
    WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000)
) WITH (
    type = 'datahub'
);

-- Sink: new customers of the mall per day
CREATE TABLE customer_info_people_sum (
    people_sum          bigint,  -- number of new customers
    come_time           varchar, -- date
    PRIMARY KEY (come_time)
) WITH (
    type = 'rds'
);

-- Sink: customer visit records (the same TableStore table as the dimension shop_user_record)
CREATE TABLE shop_user_record_update (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'ots',
    tableName = 'shop_user_record'
);

-- Dimension: customer position from the probes
CREATE TABLE place_info (
    user_device_mac   varchar, -- MAC address of the customer's device
    used_x            bigint,  -- customer position x (longitude)
    used_y            bigint,  -- customer position y (latitude)
    min_rssi          bigint,  -- minimum received signal strength
    PRIMARY KEY (user_device_mac),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'rds'
);

-- Dimension: customer visit records (written by this same job, see above)
CREATE TABLE shop_user_record (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'ots',
    tableName = 'shop_user_record'
);

-- 1-second tumbling window: one position record per device, AP and shop per second
CREATE VIEW record_sec
(
    user_device_mac,
    come_time,
    ap_mac,
    occur_time,
    user_loca_x,
    user_loca_y,
    first_come_flag,
    rssi,
    save_time,
    shop_code,
    pt
) as
select data.user_device_mac,
    DATE_FORMAT(TUMBLE_START(data.ts_occur_time, INTERVAL '1' SECOND), 'yyyy-MM-dd HH:MM:ss') as ts,
    data.ap_mac,
    data.occur_time,
    '',
    '',
    '',
    min(data.rssi),
    FROM_UNIXTIME(unix_timestamp()),
    grd.shop_code,
    max(data.pt)
from
    user_wifidata data
GROUP BY TUMBLE(ts_occur_time, INTERVAL '1' SECOND), ap_mac, user_device_mac, shop_code;

-- position of the customer from the probe dimension table
CREATE view view1 as
select
    a0.user_device_mac,
    a0.come_time,
    a0.ap_mac,
    a0.occur_time,
    mai.used_x,
    mai.used_y,
    a0.first_come_flag,
    a0.rssi,
    a0.save_time,
    a0.pt
from
    record_sec a0
left OUTER join place_info FOR SYSTEM_TIME AS OF PROCTIME() mai
on mai.user_device_mac = a0.user_device_mac;

-- visit record of the customer, if any
CREATE view view2 as
select
    a1.user_device_mac,
    a1.come_time,
    a1.ap_mac,
    a1.occur_time,
    cast(a1.used_x as varchar) as used_x,
    cast(a1.used_y as varchar) as used_y,
    mci.first_come_flag as first_come_flag,
    a1.rssi,
    a1.save_time,
    a1.pt,
    mci.first_coming_time,
    mci.last_coming_time
from
    view1 a1
left OUTER join shop_user_record FOR SYSTEM_TIME AS OF PROCTIME() mci
on mci.user_device_mac = a1.user_device_mac;

CREATE view record_out as
select
    a2.user_device_mac as user_device_mac,
    a2.come_time as come_time,
    a2.occur_time as occur_time,
    a2.ap_mac as ap_mac,
    a2.used_x as used_x,
    a2.used_y as used_y,
    if(a2.first_come_flag is null , '1', '0') as first_come_flag, --first_come_flag,
    a2.rssi as rssi,
    a2.save_time as save_time,
    a2.pt as pt,
    a2.first_coming_time as first_coming_time,
    a2.last_coming_time as last_coming_time
from
    view2 a2 ;

-- update the visit records of shop_user_record
INSERT into shop_user_record_update
select user_device_mac , first_come_flag, first_coming_time, last_coming_time
from record_out ;

-- new customers per day
insert into customer_info_people_sum
select t1.people_sum, t1.come_time
from (select count(distinct dt1.user_device_mac) as people_sum, DATE_FORMAT(dt1.come_time, 'yyyy-MM-dd') as come_time
      from record_out dt1 where dt1.first_come_flag = '1'
      group by DATE_FORMAT(dt1.come_time, 'yyyy-MM-dd')) t1;
"##);
}

fn main() {
    let _ = job::Job.info();
}
