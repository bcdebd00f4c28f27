-- Flink 2.3 version of peak_hour.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- top1_time.start_time: Blink TIMESTAMP (millisecond precision) -> TIMESTAMP(3)
-- top1_time: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result: Top-1 per day); primary key NOT ENFORCED
-- Placeholders: ${input.user_wifidata}, ${output.top1_time}

-- State TTL as in the Blink job (36 h). While a TTL is set, Flink re-emits an unchanged
-- aggregate result (-U/+U of the same row) to refresh downstream state; streamsql does
-- too, except into a keyed store, where it changes nothing. The folded results are the same.
SET 'table.exec.state.ttl' = '36 h';

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

-- Sink: busiest hour of the mall and its number of customers
CREATE TABLE top1_time (
    start_time timestamp(3), -- hour (window start)
    people_sum bigint,       -- number of customers
    PRIMARY KEY (start_time) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.top1_time}',
    'format' = 'debezium-json'
);

-- customers in the whole mall per hour
CREATE VIEW Window1 AS
SELECT
    TUMBLE_START(ts_occur_time, INTERVAL '1' hour) AS start_time,
    DATE_FORMAT(TUMBLE_START(ts_occur_time, INTERVAL '1' hour), 'yyyy-MM-dd') AS count_date,
    count(distinct user_device_mac) AS people_sum
FROM user_wifidata
GROUP BY TUMBLE(ts_occur_time, INTERVAL '1' hour);

-- the busiest hour of each day
INSERT into top1_time
SELECT start_time, people_sum FROM
(
    SELECT
        start_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY count_date ORDER BY people_sum DESC) as rownum
    FROM
        Window1
)
WHERE rownum <= 1;
