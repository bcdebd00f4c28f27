-- Flink 2.3 version of customer_positions_per_second.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint), CAST(data.rssi AS BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- customer_positions_sec: RDS sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only window result)
-- Placeholders: ${input.user_wifidata}, ${output.customer_positions_sec}

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
    'connector' = 'filesystem',
    'path' = '${output.customer_positions_sec}',
    'format' = 'json'
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

INSERT INTO customer_positions_sec
SELECT *
FROM record_sec;
