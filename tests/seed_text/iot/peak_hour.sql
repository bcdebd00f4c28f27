-- Seed text (logic defects kept): Daily peak hour of the mall
-- Seed: 003_37776ad970a1b887.txt, section 每日商场中顾客最多的时间段及顾客数量
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed.
-- Defects still in this text:
--   1. Window1 groups by shop_code as well: it counts customers per shop and hour, not for
--      the whole mall as the prose says.
--   2. Top-1 PARTITION BY start_time: each hour is its own partition, so every hour is
--      emitted (the busiest shop of each hour) instead of the busiest hour of each day.

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

-- Sink: busiest hour of the mall and its number of customers
CREATE TABLE top1_time (
    start_time timestamp, -- hour (window start)
    people_sum bigint,    -- number of customers
    PRIMARY KEY (start_time)
) WITH (
    type = 'rds'
);

-- customers per hour (per shop)
CREATE VIEW Window1 AS
SELECT shop_code,
    TUMBLE_START(ts_occur_time, INTERVAL '1' hour) AS start_time,
    count(distinct user_device_mac) AS people_sum
FROM user_wifidata
GROUP BY shop_code, TUMBLE(ts_occur_time, INTERVAL '1' hour);

INSERT into top1_time
SELECT start_time, people_sum FROM
(
    SELECT
        start_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY start_time ORDER BY people_sum DESC) as rownum
    FROM
        Window1
)
WHERE rownum <= 1;
