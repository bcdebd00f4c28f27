-- Flink 2.3 version of daily_new_customers.sql for the differential harness
-- user_wifidata: DataHub source (type = 'datahub') -> 'connector' = 'filesystem', 'format' = 'json', 'json.ignore-parse-errors' = 'true' (non-JSON lines skipped; missing keys NULL); same VARCHAR columns
-- ts_occur_time: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- cast(occur_time as bigint), CAST(data.rssi AS BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000) -> ts_occur_time - INTERVAL '60' SECOND
-- view1 / view2: FROM <view> a -> FROM (SELECT *, PROCTIME() AS proc_time FROM <view>) a and FOR SYSTEM_TIME AS OF PROCTIME() -> AS OF a.proc_time (Flink 2.3 needs a proctime attribute of the left side)
-- place_info (RDS), shop_user_record (TableStore): dimensions (PERIOD FOR SYSTEM_TIME) -> 'connector' = 'lookup-file' (test fixture, JSON lines); PRIMARY KEY ... NOT ENFORCED
-- shop_user_record_update: TableStore upsert sink -> 'connector' = 'filesystem', 'format' = 'json' (the query is append-only: window + lookups; fold by the primary key); primary key NOT ENFORCED
-- customer_info_people_sum: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- LIMITATION: in Blink, shop_user_record_update and the dimension shop_user_record are the same TableStore table, so the
--   job sees its own writes: a device is new only until its record is written back. Here the dimension is the read-only
--   file ${dim.shop_user_record} and the sink a separate directory, so the oracle never sees its own writes: a device
--   missing from the dimension file is new in every 1-second window of the run, i.e. it is counted on every day it
--   appears (Blink: only on its first day), and each written-back row has first_coming_time = that window's come_time
--   (Blink: the first window's). Compare against a streamsql run whose lookup table is the same fixed file.
-- Placeholders: ${input.user_wifidata}, ${dim.place_info}, ${dim.shop_user_record}, ${output.customer_info_people_sum}, ${output.shop_user_record_update}

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

-- Sink: new customers of the mall per day
CREATE TABLE customer_info_people_sum (
    people_sum          bigint,  -- number of new customers
    come_time           varchar, -- date
    PRIMARY KEY (come_time) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.customer_info_people_sum}',
    'format' = 'debezium-json'
);

-- Sink: customer visit records (in Blink the same TableStore table as the dimension shop_user_record)
CREATE TABLE shop_user_record_update (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.shop_user_record_update}',
    'format' = 'json'
);

-- Dimension: customer position from the probes
CREATE TABLE place_info (
    user_device_mac   varchar, -- MAC address of the customer's device
    used_x            bigint,  -- customer position x (longitude)
    used_y            bigint,  -- customer position y (latitude)
    min_rssi          bigint,  -- minimum received signal strength
    PRIMARY KEY (user_device_mac) NOT ENFORCED
) WITH (
    'connector' = 'lookup-file',
    'path' = '${dim.place_info}'
);

-- Dimension: customer visit records (read-only here, see LIMITATION above)
CREATE TABLE shop_user_record (
    user_device_mac     varchar, -- MAC address of the customer's device
    first_come_flag     varchar, -- first visit?
    first_coming_time   varchar, -- first arrival time
    last_coming_time    varchar, -- latest arrival time
    PRIMARY KEY (user_device_mac) NOT ENFORCED
) WITH (
    'connector' = 'lookup-file',
    'path' = '${dim.shop_user_record}'
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
    CAST(min(TRY_CAST(data.rssi AS BIGINT)) AS VARCHAR),
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
    (SELECT *, PROCTIME() AS proc_time FROM record_sec) a0
left OUTER join place_info FOR SYSTEM_TIME AS OF a0.proc_time mai
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
    (SELECT *, PROCTIME() AS proc_time FROM view1) a1
left OUTER join shop_user_record FOR SYSTEM_TIME AS OF a1.proc_time mci
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
