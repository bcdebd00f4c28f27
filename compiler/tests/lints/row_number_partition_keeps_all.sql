-- Lint case: row_number_partition_keeps_all (and upsert_key_not_covered) on a seed.
-- From tests/seed_text/iot/top5_shops.sql (003_37776ad970a1b887.txt, 每日商场中顾客数量前5的商店).
-- Repaired so that it compiles, and nothing else: `AS rownum` added to ROW_NUMBER() (the
-- outer query filters `rownum`); the state TTL set, so that only these lints show.
-- The seed's defects, which the warnings point at:
--   1. Top-N PARTITION BY shop_code, date_time: (shop_code, date_time) is the unique key of
--      the counts, so every partition holds one shop and every shop is "top 5".
--   2. top5_shop PRIMARY KEY (shop_code) does not cover (date_time, shop_code): a shop's
--      days overwrite each other.

SET 'table.exec.state.ttl' = '36 h';
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

-- Sink: the 5 shops with the most customers per day
CREATE TABLE top5_shop (
    shop_code    varchar, -- shop code
    shop_name    varchar, -- shop name
    date_time    varchar, -- day the customers entered the shop
    people_sum   bigint,  -- number of customers
    PRIMARY KEY (shop_code)
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

-- customers per shop per day
CREATE VIEW Window1 AS
SELECT shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(distinct user_device_mac) AS people_sum
FROM user_wifidata data
GROUP BY shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- top 5 shops of each day
CREATE VIEW top5_view AS
SELECT shop_code, date_time, people_sum, rownum FROM
(
    SELECT
        shop_code, date_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY shop_code,date_time ORDER BY people_sum DESC) AS rownum
    FROM
        Window1
)
WHERE rownum <= 5;

INSERT into top5_shop
select
    top5.shop_code,
    mas.shop_name,
    top5.date_time,
    top5.people_sum
from
    top5_view top5
inner join area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas
on top5.shop_code = mas.shop_code;
