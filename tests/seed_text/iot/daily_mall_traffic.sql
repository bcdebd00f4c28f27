-- Seed text (logic defects kept): Daily mall customer traffic
-- Seed: 003_37776ad970a1b887.txt, section 每日商场客流量
-- Repaired only so that it parses: the cut ts_occur_time line completed, `...` removed.
-- Defects still in this text: none found (valid input; a positive parse/bind case).

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
