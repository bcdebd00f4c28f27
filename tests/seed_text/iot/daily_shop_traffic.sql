-- Seed text (logic defects kept): Daily shop customer traffic
-- Seed: 003_37776ad970a1b887.txt, section 每日商店的客流量
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed.
-- Defects still in this text:
--   1. shop_area_daily_people PRIMARY KEY (count_date) does not cover the query's unique
--      key (count_date, shop_name): the shops of one day overwrite each other.
--   2. The upsert key column shop_name comes from a LEFT OUTER lookup join, so it can be
--      NULL (lint candidate).

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

-- Sink: customers per shop per day
CREATE TABLE shop_area_daily_people (
    count_date          varchar, -- date
    shop_name           varchar, -- shop name
    people_sum          bigint,  -- number of customers
    primary key (count_date)
) WITH (
    type = 'rds'
);

-- Dimension: shops of the mall
CREATE TABLE area_shop (
    id                bigint,
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    PRIMARY KEY (shop_code),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'rds'
);

INSERT into shop_area_daily_people
select
    DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') count_date,
    mas.shop_name,
    count(distinct data.user_device_mac)
from
    user_wifidata data
left outer join area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas
on data.shop_code = mas.shop_code
group by DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd'), mas.shop_name
;
