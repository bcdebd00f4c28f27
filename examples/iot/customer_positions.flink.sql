-- Flink 2.3 version of customer_positions.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint), CAST(data.rssi AS BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- view1: FROM record_sec a0 -> FROM (SELECT *, PROCTIME() AS proc_time FROM record_sec) a0 and FOR SYSTEM_TIME AS OF PROCTIME() -> AS OF a0.proc_time (Flink 2.3 needs a proctime attribute of the left side)
-- place_info: RDS dimension (PERIOD FOR SYSTEM_TIME) -> 'connector' = 'lookup-file' (test fixture, JSON lines); PRIMARY KEY ... NOT ENFORCED
-- area_customer_info_allday: TableStore upsert sink -> 'connector' = 'filesystem', 'format' = 'json' (the query is append-only: window + lookup; fold by the primary key to get the table); primary key NOT ENFORCED
-- Placeholders: ${input.user_wifidata}, ${dim.place_info}, ${output.area_customer_info_allday}

-- Source: WiFi probe records of customers' devices (DataHub -> JSON-lines file)
CREATE TABLE user_wifidata (
    id                varchar,
    shop_code         varchar, -- shop code
    ap_ip             varchar, -- IP address of the WiFi access point
    occur_time        varchar, -- record time (epoch seconds)
    user_device_mac   varchar, -- MAC address of the customer's device
    rssi              varchar, -- received signal strength
    ap_mac            varchar, -- MAC address of the WiFi access point
    pt                varchar, -- partition (pt)
    ts_occur_time AS CAST(TO_TIMESTAMP_LTZ(CAST(TRY_CAST(occur_time AS BIGINT) * 1000 AS BIGINT), 3) AS TIMESTAMP(3)),
    WATERMARK FOR ts_occur_time AS ts_occur_time - INTERVAL '60' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = '${input.user_wifidata}',
    'format' = 'json',
    'json.ignore-parse-errors' = 'true'
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
    PRIMARY KEY (user_device_mac) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.area_customer_info_allday}',
    'format' = 'json'
);

-- Dimension: customer position from the probes
CREATE TABLE place_info (
    user_device_mac   varchar, -- MAC address of the customer's device
    used_x            bigint,  -- customer position x (longitude)
    used_y            bigint,  -- customer position y (latitude)
    min_rssi          bigint,  -- minimum received signal strength
    PRIMARY KEY (user_device_mac) NOT ENFORCED
) WITH (
    'connector' = 'lookup-file',
    'path' = '${dim.place_info}'
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
    CAST(min(TRY_CAST(data.rssi AS BIGINT)) AS VARCHAR),
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
    (SELECT *, PROCTIME() AS proc_time FROM record_sec) a0
left OUTER join place_info FOR SYSTEM_TIME AS OF a0.proc_time mai
on mai.user_device_mac = a0.user_device_mac;

INSERT into area_customer_info_allday
select *
from view1;
