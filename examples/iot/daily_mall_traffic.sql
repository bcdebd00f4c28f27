-- Job: Daily mall customer traffic (seed: 每日商场客流量)
-- Source: 003_37776ad970a1b887.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: the number of distinct customer devices seen in the mall per day
--   (COUNT DISTINCT of the device MAC grouped by day), upserted per day into RDS.
-- Repairs (seed text -> this file):
--   1. user_wifidata: the computed column line `ts_occur_time AS TO_TIMESTAMP(cast(cast(
--      occur_time as bigint)*1000 as bigint)` was cut (one `)` and the `,` missing) ->
--      completed; occur_time is epoch seconds, so the rowtime is occur_time * 1000 ms.
--   2. WITH clauses: elided `...` removed (`type = 'datahub',...` -> type only).
--   (No logic defects: the query does what the prose says.)

-- State TTL: without one, the state of the GROUP BY (not windowed) grows for
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

-- Sink: customers in the mall per day
CREATE TABLE trading_area_daily_people (
    count_date          varchar, -- date
    people_sum          bigint,  -- number of customers
    primary key (count_date)
) WITH (
    type = 'rds'
);

INSERT into trading_area_daily_people
select
    DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd') count_date,
    count(distinct data.user_device_mac)
from
    user_wifidata data
group by DATE_FORMAT(data.ts_occur_time, 'yyyy-MM-dd')
;
