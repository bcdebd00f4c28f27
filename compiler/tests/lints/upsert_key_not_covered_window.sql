-- Lint case: upsert_key_not_covered over insert-only input (window results).
-- Not a seed statement: the seed peak_hour's Window1 (customers per shop and hour, its
-- first defect: the prose wants the whole mall) written straight into upsert tables.
-- 1. hourly_people is keyed by the hour, which says "one row per window", but a window
--    has one row per shop: the shops of an hour overwrite each other. The lint fires.
-- 2. shop_latest is keyed by the shop without the hour: it keeps each shop's latest
--    hour, the "latest row per key" an upsert table over an append stream is for (the
--    seeds' customer_positions keeps each device's latest position so). No warning.

CREATE TABLE user_wifidata (
    shop_code         varchar,
    occur_time        varchar,
    user_device_mac   varchar,
    ts_occur_time AS TO_TIMESTAMP(cast(cast(occur_time as bigint) * 1000 as bigint)),
    WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000)
) WITH (
    type = 'datahub'
);

CREATE TABLE hourly_people (
    start_time timestamp,
    people_sum bigint,
    PRIMARY KEY (start_time)
) WITH (
    type = 'rds'
);

CREATE TABLE shop_latest (
    shop_code  varchar,
    start_time timestamp,
    people_sum bigint,
    PRIMARY KEY (shop_code)
) WITH (
    type = 'rds'
);

CREATE VIEW Window1 AS
SELECT shop_code,
    TUMBLE_START(ts_occur_time, INTERVAL '1' hour) AS start_time,
    count(distinct user_device_mac) AS people_sum
FROM user_wifidata
GROUP BY shop_code, TUMBLE(ts_occur_time, INTERVAL '1' hour);

INSERT INTO hourly_people
SELECT start_time, people_sum FROM Window1;

INSERT INTO shop_latest
SELECT shop_code, start_time, people_sum FROM Window1;
