-- Job: Daily course-consultant tracking (seed: 每日课程顾问追踪统计)
-- Source: 000_4bc512f899725f26.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: deduplicates order/lead records to their latest state (LAST_VALUE
--   grouped by id), then counts per day of confirm_date_time and per course consultant
--   the confirmed records (status 3): how often each consultant confirmed a student's
--   study progress / booking that day; upserted into RDS staff_index with type = 1.
-- Repairs (seed text -> this file):
--   1. OCR in the source DDL: `'update time' as JSON VALUE ('message', '$.update time')`
--      (quotes instead of backticks, spaces for underscores) -> `update_time` as
--      JSON_VALUE(`message`, '$.update_time'); JSON sample key `student id` -> student_id.
--   2. Source WITH clause: trailing comma after `group.id` removed; sink WITH: `...` removed.
--   3. The source DDL (after `id`) and the view (before `group by`) were split over two
--      code blocks -> rejoined.
--   4. `status` = 3 compared the VARCHAR JSON value with an INT (Blink converted implicitly)
--      -> `status` = '3'.
--   5. Judgment call: added `and cc_id is not null`. The sink declares cc_id NOT NULL and
--      a record without a consultant would fail the sink (Flink's default NOT NULL
--      enforcer stops the job); such records cannot be attributed to a consultant anyway.
--   6. Select alias `type` backtick-quoted like the sink column (cosmetic).
--   (The aggregation itself matches the prose.)

-- State TTL: without one, the state of the GROUP BYs (not windowed) grows for
-- ever; 36 h is what Blink's default job parameters gave the seed jobs
-- (state.backend.niagara.ttl.ms = 129600000). streamsql lint: unbounded_state_without_ttl.
SET 'table.exec.state.ttl' = '36 h';

-- Source: course-consultant order/lead records {"id", "leads_flow_event_id", "group_id",
-- "cc_id", "student_id", "order_id", "leads_id", "confirm_date_time", "create_time",
-- "update_time", "order_create_time", "canceled_date_time", "apply_refund_date", "status"}
create table cc_data_pack_order_info_src (
    `messageKey` VARBINARY,
    `message` VARBINARY,
    `topic` VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    -- ID
    `id` as JSON_VALUE(`message`, '$.id'),
    -- course consultant (CC) ID
    `cc_id` as JSON_VALUE(`message`, '$.cc_id'),
    -- student ID
    `student_id` as JSON_VALUE(`message`, '$.student_id'),
    -- confirmation time
    `confirm_date_time` as JSON_VALUE(`message`, '$.confirm_date_time'),
    -- create time
    `create_time` as JSON_VALUE(`message`, '$.create_time'),
    -- update time
    `update_time` as JSON_VALUE(`message`, '$.update_time'),
    -- order create time
    `order_create_time` as JSON_VALUE(`message`, '$.order_create_time'),
    -- order cancel time
    `canceled_date_time` as JSON_VALUE(`message`, '$.canceled_date_time'),
    -- refund request date
    `apply_refund_date` as JSON_VALUE(`message`, '$.apply_refund_date'),
    -- status
    `status` as JSON_VALUE(`message`, '$.status')
) with (
    type = 'kafka010',
    topic = 'data_pack_order_info',
    `group.id` = 'data_pack_order_info'
);

-- Sink: per consultant, index type and day
CREATE TABLE index_sink (
    `cc_id` bigint(20) NOT NULL,
    `cc_index` bigint(10) NOT NULL,
    `type` int(6) NOT NULL,
    `attribution_time` varchar NOT NULL,
    `update_time` timestamp NOT NULL,
    PRIMARY KEY (`cc_id`, `type`, `attribution_time`)
) WITH (
    type = 'rds',
    tableName = 'staff_index'
);

-- latest state of each record (dedup by id)
CREATE VIEW cc_data_pack_order_info_view as
select
    last_value(cc_id) as cc_id,
    last_value(confirm_date_time) as confirm_date_time,
    last_value(`status`) as `status`
from
    cc_data_pack_order_info_src
group by
    id;

insert into index_sink
select
    cast(cc_id as bigint) as cc_id,
    count(*) as cc_index,
    cast(1 as int) as `type`,
    date_format(confirm_date_time, 'yyyy-MM-dd') as attribution_time,
    current_timestamp as update_time
from
    cc_data_pack_order_info_view
where
    confirm_date_time is not null
    and `status` is not null
    and `status` = '3'
    and cc_id is not null
group by
    date_format(confirm_date_time, 'yyyy-MM-dd'), cc_id;
