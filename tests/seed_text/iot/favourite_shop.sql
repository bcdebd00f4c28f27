-- Seed text (logic defects kept): Each customer's favourite shop per day
-- Seed: 003_37776ad970a1b887.txt, section 每日单个顾客最喜欢的商店
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed,
-- split code blocks rejoined, the cut ROW_NUMBER line completed as `ORDER BY shop_number
-- DESC) AS rownum` (the cut hides whether the seed had the alias; top5_shops lacks it),
-- final `;`.
-- Defects still in this text:
--   1. Top-1 PARTITION BY user_device_mac, shop_code, date_time: partitioned by the very
--      column (shop_code) it should rank, so every shop is each customer's favourite.
--   2. favorite_shop PRIMARY KEY (shop_code) does not cover the output's unique key
--      (user_device_mac, date_time): customers and days overwrite each other.

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

-- Sink: favourite shop of each customer per day
CREATE TABLE favorite_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    shop_number       bigint,  -- times entered
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

-- probe records of each customer per shop and day
CREATE VIEW Window1 AS
SELECT user_device_mac,
       shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(shop_code) AS shop_number
FROM user_wifidata data
GROUP BY user_device_mac, shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- the shop each customer entered most often that day
CREATE VIEW top1_view AS
SELECT user_device_mac, shop_code, date_time, shop_number, rownum FROM
(
    SELECT
        user_device_mac, shop_code, date_time, shop_number,
        ROW_NUMBER() OVER (PARTITION BY user_device_mac,shop_code,date_time ORDER BY shop_number DESC) AS rownum
    FROM
        Window1
)
WHERE rownum <= 1;

-- add the shop name and write out
INSERT into favorite_shop
select
    top1.user_device_mac,
    top1.date_time,
    top1.shop_code,
    mas.shop_name,
    top1.shop_number
from
    top1_view top1
inner join area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas
on top1.shop_code = mas.shop_code;
