-- Flink 2.3 version of daily_mall_traffic.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- trading_area_daily_people: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- Placeholders: ${input.user_wifidata}, ${output.trading_area_daily_people}

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

-- Sink: customers in the mall per day
CREATE TABLE trading_area_daily_people (
    count_date          varchar, -- date
    people_sum          bigint,  -- number of customers
    PRIMARY KEY (count_date) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.trading_area_daily_people}',
    'format' = 'debezium-json'
);

INSERT into trading_area_daily_people
select
    DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') count_date,
    count(distinct data.user_device_mac)
from
    user_wifidata data
group by DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd')
;
