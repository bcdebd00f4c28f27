-- Job: Real-time customer positions (seed: 顾客的实时位置)
-- Source: 003_37776ad970a1b887.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: aggregates the probe records of each device per 1-second tumbling
--   window (record_sec), looks up the device's position (used_x, used_y) in place_info
--   (view1), and upserts the latest position per device into TableStore for the live
--   customer-density map.
-- Repairs (seed text -> this file):
--   1. user_wifidata: the computed column line `ts_occur_time AS TO_TIMESTAMP(cast(cast(
--      occur_time as bigint)*1000 as bigint)` was cut (one `)` and the `,` missing) ->
--      completed; occur_time is epoch seconds, so the rowtime is occur_time * 1000 ms.
--   2. WITH clauses: elided `...` removed; area_customer_info_allday DDL split over two code
--      blocks -> rejoined.
--   3. record_sec: DATE_FORMAT(..., 'yyyy-MM-dd HH:MM:ss') -> 'yyyy-MM-dd HH:mm:ss'
--      (MM is the month; minutes were meant).
--   4. record_sec: `grd.shop_code` - no table has alias grd -> data.shop_code.
--   5. record_sec: data.occur_time was selected but is not in the GROUP BY (invalid) ->
--      max(data.occur_time). All rows of one 1-second window share occur_time (the rowtime
--      is occur_time in whole seconds), so this is exactly that value.
--   6. record_sec: the GROUP BY line was cut (`shop_c`) -> shop_code; its columns qualified
--      with data. like the select list (cosmetic).
--   7. Judgment call: min(data.rssi) compared the VARCHAR values as text ('-45' < '-70') ->
--      CAST(min(CAST(data.rssi AS BIGINT)) AS VARCHAR), the numeric minimum, still VARCHAR
--      as the sink column. RSSI values are negative dBm numbers, so a text minimum picks
--      the wrong record.
--   Not a defect: PRIMARY KEY (user_device_mac) keeps only the latest position per device,
--   which is what a real-time position table wants. `select *` from view1 matches the
--   sink's 10 columns in order and type.

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

-- Sink: latest position of every customer (TableStore)
CREATE TABLE area_customer_info_allday (
    user_device_mac   varchar, -- MAC address of the customer's device
    come_time         varchar, -- arrival time (window start)
    ap_mac            varchar, -- MAC address of the WiFi access point
    occur_time        varchar, -- record time
    used_x            bigint,  -- customer position x (longitude)
    used_y            bigint,  -- customer position y (latitude)
    first_come_flag   varchar, -- first visit?
    rssi              varchar, -- received signal strength
    save_time         varchar, -- time of writing
    pt                varchar, -- partition (pt)
    PRIMARY KEY (user_device_mac)
) WITH (
    type = 'ots'
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

INSERT into area_customer_info_allday
select *
from view1;
