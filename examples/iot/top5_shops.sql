-- Job: Daily top-5 shops by customers (seed: 每日商场中顾客数量前5的商店)
-- Source: 003_37776ad970a1b887.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: distinct customers per shop and day, the 5 shops with the most
--   customers of each day (ROW_NUMBER Top-N), and their names from area_shop.
-- Repairs (seed text -> this file):
--   1. user_wifidata: the computed column line `ts_occur_time AS TO_TIMESTAMP(cast(cast(
--      occur_time as bigint)*1000 as bigint)` was cut (one `)` and the `,` missing) ->
--      completed; occur_time is epoch seconds, so the rowtime is occur_time * 1000 ms.
--   2. WITH clauses: elided `...` removed; top5_shop DDL had a duplicated `)` before
--      `WITH` (scan) -> removed.
--   3. top5_view: ROW_NUMBER() had no alias while the outer query selects and filters
--      `rownum` (invalid) -> `AS rownum`.
--   4. Logic: the Top-N was PARTITION BY shop_code, date_time - each partition holds one
--      row, so every shop was "top 5" -> PARTITION BY date_time (top 5 within each day).
--   5. Logic: top5_shop PRIMARY KEY (shop_code) merged the days of a shop and made a shop
--      that drops out of one day's top 5 delete another day's row -> PRIMARY KEY
--      (date_time, shop_code), the unique key of the Top-N output.
--   6. The final INSERT lacked its `;` -> added.

-- State TTL: without one, the state of the GROUP BY and Top-5 (not windowed) grows for
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

-- Sink: the 5 shops with the most customers per day
CREATE TABLE top5_shop (
    shop_code    varchar, -- shop code
    shop_name    varchar, -- shop name
    date_time    varchar, -- day the customers entered the shop
    people_sum   bigint,  -- number of customers
    PRIMARY KEY (date_time, shop_code)
) WITH (
    type = 'rds'
);

-- Dimension: shops of the mall
CREATE TABLE area_shop (
    id                bigint,
    shop_code         varchar, -- shop code
    shop_name         varchar, -- shop name
    PRIMARY KEY (shop_code),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'rds'
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
    top5_view top5
inner join area_shop FOR SYSTEM_TIME AS OF PROCTIME() mas
on top5.shop_code = mas.shop_code;
