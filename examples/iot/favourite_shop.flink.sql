-- Flink 2.3 version of favourite_shop.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- the lookup join: FROM top1_view top1 -> FROM (SELECT *, PROCTIME() AS proc_time FROM top1_view) top1 and FOR SYSTEM_TIME AS OF PROCTIME() -> AS OF top1.proc_time (Flink 2.3 needs a proctime attribute of the left side)
-- area_shop: RDS dimension (PERIOD FOR SYSTEM_TIME) -> 'connector' = 'lookup-file' (test fixture, JSON lines); PRIMARY KEY ... NOT ENFORCED
-- favorite_shop: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- Placeholders: ${input.user_wifidata}, ${dim.area_shop}, ${output.favorite_shop}

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

-- Sink: favourite shop of each customer per day
CREATE TABLE favorite_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac, date_time) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.favorite_shop}',
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

-- probe records of each customer per shop and day
CREATE VIEW Window1 AS
SELECT user_device_mac,
       shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(shop_code) AS shop_number
FROM user_wifidata data
GROUP BY user_device_mac, shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- the shop each customer entered most often that day
CREATE VIEW top1_view AS
SELECT user_device_mac, shop_code, date_time, shop_number, rownum FROM
(
    SELECT
        user_device_mac, shop_code, date_time, shop_number,
        ROW_NUMBER() OVER (PARTITION BY user_device_mac, date_time ORDER BY shop_number DESC) AS rownum
    FROM
        Window1
)
WHERE rownum <= 1;

-- add the shop name and write out
INSERT into favorite_shop
select
    top1.user_device_mac,
    top1.date_time,
    top1.shop_code,
    mas.shop_name,
    top1.shop_number
from
    (SELECT *, PROCTIME() AS proc_time FROM top1_view) top1
inner join area_shop FOR SYSTEM_TIME AS OF top1.proc_time mas
on top1.shop_code = mas.shop_code;
