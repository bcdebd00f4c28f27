-- Job: Daily shop rankings without the shop names (test material, not a seed job)
-- Source: the group-aggregation and Top-N stages of top5_shops.sql, favourite_shop.sql and
--   shops_visited_more_than_once.sql (003_37776ad970a1b887.txt, 每日商场中顾客数量前5的商店 /
--   每日单个顾客最喜欢的商店 / 单日单个顾客进入超过一次的商店), dialect: Blink (Alibaba Realtime Compute)
-- What it computes: the three seeds' logic as repaired there, without their `area_shop` lookup
--   join (lookup joins are a later issue), so each sink has shop_code instead of shop_name:
--   1. rk_top5_shop: distinct customers per shop and day (COUNT DISTINCT, GROUP BY over
--      insert-only input), then the 5 shops with the most customers per day (Top-N over the
--      updating counts, rank column not in the sink).
--   2. rk_favourite_shop: probe records per customer, shop and day (COUNT), then each
--      customer's shop with the most records per day (Top-1 over the updating counts).
--   3. rk_morethanonce_shop: the (customer, shop, day) counts with at least 2 records (a WHERE
--      over the updating counts: a row appears once its count reaches 2).
-- Changes against the seeds' logic, so that results are well defined:
--   - Ties: the seeds order by the count alone, so which of two shops with the same count
--     is in the top 5 (or is the favourite) depends on arrival order. Here the order ends in
--     shop_code ASC: of equal counts the smaller shop code ranks first.
--   - Keys: the seed text keys top5_shop by shop_code alone (a shop's days overwrite each
--     other, and a shop dropping out of one day's top 5 deletes its other days' row),
--     favorite_shop and morethanonce_shop by shop_code / user_device_mac alone. Here every
--     sink is keyed by its query's unique key: (date_time, shop_code) for the Top-5 without
--     rank column (the partition key and the counts' unique shop_code), (user_device_mac,
--     date_time) for the Top-1 (its partition key), (user_device_mac, date_time, shop_code)
--     for the filtered counts (the group keys).
--   - Rows without a shop code or device MAC (messy probe records) are skipped before
--     counting: their NULL would be a NULL primary-key column, and a NULL shop_code would
--     rank by NULL ordering.
-- Assumptions as in the seeds: count(shop_code) counts probe records, not separate entries;
--   the day is the UTC day of the probe's occur_time; the watermark does not drop late rows
--   (these are unbounded aggregates, not windows).
-- Sinks: RDS upsert tables with primary keys (updating results).

-- State TTL: without one, the state of the GROUP BYs and Top-Ns (not windowed) grows for
-- ever; 36 h is what Blink's default job parameters gave the seed jobs
-- (state.backend.niagara.ttl.ms = 129600000). streamsql lint: unbounded_state_without_ttl.
SET 'table.exec.state.ttl' = '36 h';

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

-- Sink 1: the 5 shops with the most customers per day
CREATE TABLE rk_top5_shop (
    shop_code    varchar, -- shop code
    date_time    varchar, -- day the customers entered the shop
    people_sum   bigint,  -- number of customers
    PRIMARY KEY (date_time, shop_code)
) WITH (
    type = 'rds',
    tableName = 'rk_top5_shop'
);

-- Sink 2: favourite shop of each customer per day
CREATE TABLE rk_favourite_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac, date_time)
) WITH (
    type = 'rds',
    tableName = 'rk_favourite_shop'
);

-- Sink 3: shops each customer entered more than once per day
CREATE TABLE rk_morethanonce_shop (
    user_device_mac   varchar, -- MAC address of the customer's device
    date_time         varchar, -- day the customer entered the shop
    shop_code         varchar, -- shop code
    shop_number       bigint,  -- times entered
    PRIMARY KEY (user_device_mac, date_time, shop_code)
) WITH (
    type = 'rds',
    tableName = 'rk_morethanonce_shop'
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
