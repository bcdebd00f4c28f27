-- Flink 2.3 version of top5_shops.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- the lookup join: FROM top5_view top5 -> FROM (SELECT *, PROCTIME() AS proc_time FROM top5_view) top5 and FOR SYSTEM_TIME AS OF PROCTIME() -> AS OF top5.proc_time (Flink 2.3 needs a proctime attribute of the left side)
-- area_shop: RDS dimension (PERIOD FOR SYSTEM_TIME) -> 'connector' = 'lookup-file' (test fixture, JSON lines); PRIMARY KEY ... NOT ENFORCED
-- top5_shop: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- Placeholders: ${input.user_wifidata}, ${dim.area_shop}, ${output.top5_shop}

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

-- Sink: the 5 shops with the most customers per day
CREATE TABLE top5_shop (
    shop_code    varchar, -- shop code
    shop_name    varchar, -- shop name
    date_time    varchar, -- day the customers entered the shop
    people_sum   bigint,  -- number of customers
    PRIMARY KEY (date_time, shop_code) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.top5_shop}',
    'format' = 'debezium-json'
);

-- Dimension: shops of the mall
CREATE TABLE area_shop (
    id                bigint,
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    PRIMARY KEY (shop_code) NOT ENFORCED
) WITH (
    'connector' = 'lookup-file',
    'path' = '${dim.area_shop}'
);

-- customers per shop per day
CREATE VIEW Window1 AS
SELECT shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(distinct user_device_mac) AS people_sum
FROM user_wifidata data
GROUP BY shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- top 5 shops of each day
CREATE VIEW top5_view AS
SELECT shop_code, date_time, people_sum, rownum FROM
(
    SELECT
        shop_code, date_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY date_time ORDER BY people_sum DESC) AS rownum
    FROM
        Window1
)
WHERE rownum <= 5;

INSERT into top5_shop
select
    top5.shop_code,
    mas.shop_name,
    top5.date_time,
    top5.people_sum
from
    (SELECT *, PROCTIME() AS proc_time FROM top5_view) top5
inner join area_shop FOR SYSTEM_TIME AS OF top5.proc_time mas
on top5.shop_code = mas.shop_code;
