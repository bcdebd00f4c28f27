-- Flink 2.3 version of shop_rankings.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- rk_top5_shop, rk_favourite_shop, rk_morethanonce_shop: RDS upsert sinks -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating results); PRIMARY KEY ... NOT ENFORCED
-- the views, the Top-N queries (ROW_NUMBER() OVER ... with rownum <= N in the enclosing WHERE) and the filter are the Blink job's, unchanged
-- Placeholders: ${input.user_wifidata}, ${output.rk_top5_shop}, ${output.rk_favourite_shop}, ${output.rk_morethanonce_shop}

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

-- Sink 1: the 5 shops with the most customers per day
CREATE TABLE rk_top5_shop (
    shop_code    varchar, -- shop code
    date_time    varchar, -- day the customers entered the shop
    people_sum   bigint,  -- number of customers
    PRIMARY KEY (date_time, shop_code) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.rk_top5_shop}',
    'format' = 'debezium-json'
);

-- Sink 2: favourite shop of each customer per day
CREATE TABLE rk_favourite_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac, date_time) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.rk_favourite_shop}',
    'format' = 'debezium-json'
);

-- Sink 3: shops each customer entered more than once per day
CREATE TABLE rk_morethanonce_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac, date_time, shop_code) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.rk_morethanonce_shop}',
    'format' = 'debezium-json'
);

-- customers per shop per day
CREATE VIEW shop_people AS
SELECT shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(distinct user_device_mac) AS people_sum
FROM user_wifidata data
WHERE shop_code IS NOT NULL
GROUP BY shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- probe records of each customer per shop and day
CREATE VIEW customer_shop_records AS
SELECT user_device_mac,
       shop_code,
       DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') AS date_time,
       count(shop_code) AS shop_number
FROM user_wifidata data
WHERE user_device_mac IS NOT NULL AND shop_code IS NOT NULL
GROUP BY user_device_mac, shop_code, DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd');

-- top 5 shops of each day
INSERT INTO rk_top5_shop
SELECT shop_code, date_time, people_sum FROM
(
    SELECT
        shop_code, date_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY date_time ORDER BY people_sum DESC, shop_code ASC) AS rownum
    FROM
        shop_people
)
WHERE rownum <= 5;

-- the shop each customer entered most often that day
INSERT INTO rk_favourite_shop
SELECT user_device_mac, date_time, shop_code, shop_number FROM
(
    SELECT
        user_device_mac, shop_code, date_time, shop_number,
        ROW_NUMBER() OVER (PARTITION BY user_device_mac, date_time
                           ORDER BY shop_number DESC, shop_code ASC) AS rownum
    FROM
        customer_shop_records
)
WHERE rownum <= 1;

-- shops a customer entered more than once (at least twice) that day
INSERT INTO rk_morethanonce_shop
SELECT user_device_mac, date_time, shop_code, shop_number
FROM customer_shop_records
WHERE shop_number >= 2;
