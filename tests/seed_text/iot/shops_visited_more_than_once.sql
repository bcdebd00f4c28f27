-- Seed text (logic defects kept): Shops a customer entered more than once per day
-- Seed: 003_37776ad970a1b887.txt, section 单日单个顾客进入超过一次的商店
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed,
-- split code blocks rejoined, final `;`.
-- Defects still in this text:
--   1. morethanonce_shop PRIMARY KEY (user_device_mac) does not cover the unique key
--      (user_device_mac, date_time, shop_code): a customer's shops and days overwrite each
--      other.
--   2. The comment says "more than twice" while the filter is >= 2 (more than once).

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

-- Sink: shops each customer entered more than once per day
CREATE TABLE morethanonce_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac)
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

-- shops a customer entered more than twice that day
CREATE VIEW exceed2_view AS
SELECT user_device_mac, shop_code, date_time, shop_number FROM
Window1
WHERE shop_number >= 2;

INSERT into morethanonce_shop
select
    exceed2.user_device_mac,
    exceed2.date_time,
    exceed2.shop_code,
    mas.shop_name,
    exceed2.shop_number
from
    exceed2_view exceed2
inner join area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas
on exceed2.shop_code = mas.shop_code;
