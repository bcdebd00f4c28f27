-- Flink 2.3 version of peak_hour_counts.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- hour_people.start_time: Blink TIMESTAMP (millisecond precision) -> TIMESTAMP(3)
-- hour_people: RDS sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only window result)
-- Placeholders: ${input.user_wifidata}, ${output.hour_people}

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

-- Sink: customers in the mall per hour (append-only)
CREATE TABLE hour_people (
    start_time timestamp(3), -- hour (window start)
    count_date varchar,      -- day of the hour, yyyy-MM-dd
    people_sum bigint        -- number of customers
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.hour_people}',
    'format' = 'json'
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
