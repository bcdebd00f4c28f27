-- Job: Per-second device records (the first stage of customer_positions.sql)
-- Source: 003_37776ad970a1b887.txt (顾客的实时位置), dialect: Blink (Alibaba Realtime Compute)
-- What it computes: the 1-second event-time tumbling window of customer_positions.sql
--   (view record_sec) on its own: one record per device, AP and shop per second with the
--   second's occur_time, the numeric minimum rssi and the partition, written to a sink of
--   its own - no lookup join, no upsert by device.
-- Not a seed job: test material for event-time windows (issue 5). The source DDL and the
--   view record_sec are copied from customer_positions.sql, with its repairs 1, 3-7
--   (computed rowtime completed, HH:mm, data.shop_code, max(occur_time), numeric min(rssi)).
-- Sink: record_sec's 11 columns in order; append-only (RDS, no primary key), so every
--   window row is kept. save_time is processing time (FROM_UNIXTIME(unix_timestamp())).

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

-- Sink: one record per device, AP and shop per second (append-only)
CREATE TABLE customer_positions_sec (
    user_device_mac   varchar, -- MAC address of the customer's device
    come_time         varchar, -- window start, yyyy-MM-dd HH:mm:ss
    ap_mac            varchar, -- MAC address of the WiFi access point
    occur_time        varchar, -- record time (epoch seconds)
    user_loca_x       varchar, -- (empty in this stage)
    user_loca_y       varchar, -- (empty in this stage)
    first_come_flag   varchar, -- (empty in this stage)
    rssi              varchar, -- minimum received signal strength in the second
    save_time         varchar, -- time of writing
    shop_code         varchar, -- shop code
    pt                varchar  -- partition (pt)
) WITH (
    type = 'rds'
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
    DATE_FORMAT(TUMBLE_START(data.ts_occur_time, INTERVAL '1' SECOND), 'yyyy-MM-dd HH:mm:ss'),
    data.ap_mac,
    max(data.occur_time),
    '',
    '',
    '',
    CAST(min(CAST(data.rssi AS BIGINT)) AS VARCHAR),
    FROM_UNIXTIME(unix_timestamp()),
    data.shop_code,
    max(data.pt)
from
    user_wifidata data
GROUP BY TUMBLE(data.ts_occur_time, INTERVAL '1' SECOND), data.ap_mac, data.user_device_mac, data.shop_code;

INSERT INTO customer_positions_sec
SELECT *
FROM record_sec;
