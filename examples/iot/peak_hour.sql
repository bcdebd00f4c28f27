-- Job: Daily peak hour of the mall (seed: 每日商场中顾客最多的时间段及顾客数量)
-- Source: 003_37776ad970a1b887.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: distinct customers in the whole mall per 1-hour event-time tumbling
--   window, then the hour with the most customers of each day (Top-1 per day).
-- Repairs (seed text -> this file):
--   1. user_wifidata: the computed column line `ts_occur_time AS TO_TIMESTAMP(cast(cast(
--      occur_time as bigint)*1000 as bigint)` was cut (one `)` and the `,` missing) ->
--      completed; occur_time is epoch seconds, so the rowtime is occur_time * 1000 ms.
--   2. WITH clauses: elided `...` removed.
--   3. Logic: Window1 grouped by shop_code too, i.e. counted per shop, while the prose
--      counts the customers of the whole mall ("统计商场顾客数量") -> grouped by the window
--      only (shop_code dropped).
--   4. Logic: the Top-1 was PARTITION BY start_time - every hour is its own partition, so
--      each hour was emitted (with the seed's per-shop counts: the busiest shop of each hour)
--      -> PARTITION BY the day of the window: Window1 gets count_date = DATE_FORMAT(
--      TUMBLE_START(...), 'yyyy-MM-dd') and the Top-1 partitions by it ("每日...最多的时间段").
--   Kept on purpose: top1_time PRIMARY KEY (start_time). The Top-1 output is keyed by day;
--   when a busier hour appears, the old hour's row is retracted (deleted by its start_time)
--   and the new one inserted, so the table holds one row per day.

-- State TTL: without one, the state of the Top-1 (not windowed) grows for
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

-- Sink: busiest hour of the mall and its number of customers
CREATE TABLE top1_time (
    start_time timestamp, -- hour (window start)
    people_sum bigint,    -- number of customers
    PRIMARY KEY (start_time)
) WITH (
    type = 'rds'
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
