-- Lint case: row_number_partition_keeps_all, a Top-N partitioned by what it orders by.
-- Not a seed statement: the repaired peak_hour job (examples/iot/peak_hour.sql) with the
-- count it ranks by also in PARTITION BY, so each partition holds the hours of one day
-- with one count, all tied: the "busiest hour" is an arbitrary hour per (day, count).

SET 'table.exec.state.ttl' = '36 h';

CREATE TABLE user_wifidata (
    occur_time        varchar,
    user_device_mac   varchar,
    ts_occur_time AS TO_TIMESTAMP(cast(cast(occur_time as bigint) * 1000 as bigint)),
    WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000)
) WITH (
    type = 'datahub'
);

CREATE TABLE top1_time (
    start_time timestamp,
    people_sum bigint,
    PRIMARY KEY (start_time)
) WITH (
    type = 'rds'
);

CREATE VIEW Window1 AS
SELECT
    TUMBLE_START(ts_occur_time, INTERVAL '1' hour) AS start_time,
    DATE_FORMAT(TUMBLE_START(ts_occur_time, INTERVAL '1' hour), 'yyyy-MM-dd') AS count_date,
    count(distinct user_device_mac) AS people_sum
FROM user_wifidata
GROUP BY TUMBLE(ts_occur_time, INTERVAL '1' hour);

INSERT into top1_time
SELECT start_time, people_sum FROM
(
    SELECT
        start_time, people_sum,
        ROW_NUMBER() OVER (PARTITION BY count_date, people_sum ORDER BY people_sum DESC) as rownum
    FROM
        Window1
)
WHERE rownum <= 1;
