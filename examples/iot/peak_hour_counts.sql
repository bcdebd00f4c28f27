-- Job: Customers in the mall per hour (the window stage of peak_hour.sql)
-- Source: 003_37776ad970a1b887.txt (每日商场中顾客最多的时间段及顾客数量), dialect: Blink (Alibaba Realtime Compute)
-- What it computes: the 1-hour event-time tumbling window of peak_hour.sql (view Window1):
--   distinct customers (COUNT(DISTINCT user_device_mac)) in the whole mall per hour,
--   written to a sink of its own - every hour, without the Top-1 per day above it.
-- Not a seed job: test material for event-time windows (issue 5). The source DDL and the
--   view Window1 are copied from peak_hour.sql, with its repairs 1 and 3 (computed rowtime
--   completed; the whole mall, not per shop; count_date = the window's day).
-- Sink: append-only (RDS, no primary key): one row per hour.

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

-- Sink: customers in the mall per hour (append-only)
CREATE TABLE hour_people (
    start_time timestamp, -- hour (window start)
    count_date varchar,   -- day of the hour, yyyy-MM-dd
    people_sum bigint     -- number of customers
) WITH (
    type = 'rds'
);

-- customers in the whole mall per hour
CREATE VIEW Window1 AS
SELECT
    TUMBLE_START(ts_occur_time, INTERVAL '1' hour) AS start_time,
    DATE_FORMAT(TUMBLE_START(ts_occur_time, INTERVAL '1' hour), 'yyyy-MM-dd') AS count_date,
    count(distinct user_device_mac) AS people_sum
FROM user_wifidata
GROUP BY TUMBLE(ts_occur_time, INTERVAL '1' hour);

INSERT into hour_people
SELECT start_time, count_date, people_sum
FROM Window1;
