-- Job: Daily new customers of the mall (seed: 每日商场新增顾客人数)
-- Source: 003_37776ad970a1b887.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: per 1-second window and device (record_sec), looks up the position
--   (place_info) and the device's visit record (shop_user_record); a device without a
--   record is a new customer. Counts distinct new customers per day, and writes every
--   device seen back into the visit-record table as a regular customer - the table is
--   both a sink and a lookup table of this one job.
-- Repairs (seed text -> this file):
--   1. user_wifidata: the computed column line `ts_occur_time AS TO_TIMESTAMP(cast(cast(
--      occur_time as bigint)*1000 as bigint)` was cut (one `)` and the `,` missing) ->
--      completed; occur_time is epoch seconds, so the rowtime is occur_time * 1000 ms.
--   2. WITH clauses: elided `...` removed; DDL and views split over code blocks rejoined.
--   3. record_sec (same defects as in customer_positions.sql): 'HH:MM:ss' -> 'HH:mm:ss';
--      `grd.shop_code` -> data.shop_code; ungrouped data.occur_time -> max(data.occur_time);
--      judgment call: text min(data.rssi) -> numeric CAST(min(CAST(rssi AS BIGINT)) AS VARCHAR).
--      The unused `as ts` alias is kept (the view's column list names it come_time).
--   4. view1: OCR garbage `left OUTER join place_infomst_buynoplace_infow_ap_info FOR
--      SYSTEM_TIME AS OF PROCTIME() place_infomst_buynoplace_infow_ap_info` -> `place_info
--      FOR SYSTEM_TIME AS OF PROCTIME() mai` (the ON clause and select list use mai; the
--      prose names place_info).
--   5. Logic, record_out / visit-record update (prose: "将新顾客信息更新到顾客来店记录表中标注成
--      常客", store the new customer marked as a regular): the seed wrote back the looked-up
--      first_coming_time / last_coming_time, which are NULL for a new customer and so stayed
--      NULL forever, and stored first_come_flag '1' (first visit). Now record_out computes
--      first_coming_time = COALESCE(looked-up value, come_time) and last_coming_time =
--      come_time, and the update writes first_come_flag '0' (regular). The count still uses
--      record_out.first_come_flag = '1' (no record found = new customer).
--   6. shop_user_record_update (a sink) was declared with PERIOD FOR SYSTEM_TIME, the mark
--      of a dimension table -> removed; the same TableStore table (tableName
--      'shop_user_record') is declared separately as the dimension shop_user_record.
--   7. The final INSERT lacked its `;` -> added.
--   Read-your-writes (streamsql): shop_user_record_update writes the table the lookup
--   shop_user_record reads (same connector, tableName and url), and both INSERTs share the
--   window and the lookups (as Flink reuses common sub-plans), so each row of record_out
--   sees every visit record written before it - even in the same batch, before the sink
--   has flushed: a device is new exactly once, in the first window it is seen in. (In
--   Blink the OTS sink is asynchronous: a device could be flagged new in several windows
--   of its first visit, and COUNT DISTINCT per day hid it within a day.)

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

-- Sink: new customers of the mall per day
CREATE TABLE customer_info_people_sum (
    people_sum          bigint,  -- number of new customers
    come_time           varchar, -- date
    PRIMARY KEY (come_time)
) WITH (
    type = 'rds'
);

-- Sink: customer visit records (the same TableStore table as the dimension shop_user_record)
CREATE TABLE shop_user_record_update (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac)
) WITH (
    type = 'ots',
    tableName = 'shop_user_record'
);

-- Dimension: customer position from the probes
CREATE TABLE place_info (
    user_device_mac   varchar, -- MAC address of the customer's device
    used_x            bigint,  -- customer position x (longitude)
    used_y            bigint,  -- customer position y (latitude)
    min_rssi          bigint,  -- minimum received signal strength
    PRIMARY KEY (user_device_mac),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'rds'
);

-- Dimension: customer visit records (written by this same job, see above)
CREATE TABLE shop_user_record (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac),
    PERIOD FOR SYSTEM_TIME
) WITH (
    type = 'ots',
    tableName = 'shop_user_record'
);

-- 1-second tumbling window: one position record per device, AP and shop per second
CREATE VIEW record_sec
(
    user_device_mac,
    come_time,
    ap_mac,
    occur_time,
    user_loca_x,
    user_loca_y,
    first_come_flag,
    rssi,
    save_time,
    shop_code,
    pt
) as
select data.user_device_mac,
    DATE_FORMAT(TUMBLE_START(data.ts_occur_time, INTERVAL '1' SECOND), 'yyyy-MM-dd HH:mm:ss') as ts,
    data.ap_mac,
    max(data.occur_time),
    '',
    '',
    '',
    CAST(min(CAST(data.rssi AS BIGINT)) AS VARCHAR),
    FROM_UNIXTIME(unix_timestamp()),
    data.shop_code,
    max(data.pt)
from
    user_wifidata data
GROUP BY TUMBLE(data.ts_occur_time, INTERVAL '1' SECOND), data.ap_mac, data.user_device_mac, data.shop_code;

-- position of the customer from the probe dimension table
CREATE view view1 as
select
    a0.user_device_mac,
    a0.come_time,
    a0.ap_mac,
    a0.occur_time,
    mai.used_x,
    mai.used_y,
    a0.first_come_flag,
    a0.rssi,
    a0.save_time,
    a0.pt
from
    record_sec a0
left OUTER join place_info FOR SYSTEM_TIME AS OF PROCTIME() mai
on mai.user_device_mac = a0.user_device_mac;

-- visit record of the customer, if any
CREATE view view2 as
select
    a1.user_device_mac,
    a1.come_time,
    a1.ap_mac,
    a1.occur_time,
    cast(a1.used_x as varchar) as used_x,
    cast(a1.used_y as varchar) as used_y,
    mci.first_come_flag as first_come_flag,
    a1.rssi,
    a1.save_time,
    a1.pt,
    mci.first_coming_time,
    mci.last_coming_time
from
    view1 a1
left OUTER join shop_user_record FOR SYSTEM_TIME AS OF PROCTIME() mci
on mci.user_device_mac = a1.user_device_mac;

-- first_come_flag = '1': no visit record yet, i.e. a new customer
CREATE view record_out as
select
    a2.user_device_mac as user_device_mac,
    a2.come_time as come_time,
    a2.occur_time as occur_time,
    a2.ap_mac as ap_mac,
    a2.used_x as used_x,
    a2.used_y as used_y,
    if(a2.first_come_flag is null, '1', '0') as first_come_flag,
    a2.rssi as rssi,
    a2.save_time as save_time,
    a2.pt as pt,
    COALESCE(a2.first_coming_time, a2.come_time) as first_coming_time,
    a2.come_time as last_coming_time
from
    view2 a2;

-- update the visit records: every customer seen is a regular customer from now on
INSERT into shop_user_record_update
select user_device_mac, '0' as first_come_flag, first_coming_time, last_coming_time
from record_out;

-- new customers of the mall per day
insert into customer_info_people_sum
select t1.people_sum, t1.come_time
from (select count(distinct dt1.user_device_mac) as people_sum, DATE_FORMAT(dt1.come_time, 'yyyy-MM-dd') as come_time
      from record_out dt1 where dt1.first_come_flag = '1'
      group by DATE_FORMAT(dt1.come_time, 'yyyy-MM-dd')) t1;
