-- Lint case: month_in_time_pattern on a seed.
-- From tests/seed_text/iot/customer_positions.sql (003_37776ad970a1b887.txt, 顾客的实时位置).
-- Repaired so that it compiles, and nothing else: record_sec's `grd.shop_code` (no such
-- alias) -> data.shop_code, its ungrouped data.occur_time -> max(data.occur_time), as in
-- examples/iot/customer_positions.sql.
-- The seed's defect the warning points at: DATE_FORMAT(..., 'yyyy-MM-dd HH:MM:ss') writes
-- the month where the minutes go (line 73 of the seed text).

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
    DATE_FORMAT(TUMBLE_START(data.ts_occur_time, INTERVAL '1' SECOND), 'yyyy-MM-dd HH:MM:ss'),
    data.ap_mac,
    max(data.occur_time),
    '',
    '',
    '',
    min(data.rssi),
    FROM_UNIXTIME(unix_timestamp()),
    data.shop_code,
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

INSERT into area_customer_info_allday
select *
from view1;
