-- Seed text (logic defects kept): Daily course-consultant tracking
-- Seed: 000_4bc512f899725f26.txt, section 每日课程顾问追踪统计
-- Repaired only so that it parses: OCR `'update time' as JSON VALUE ('message', ...)`,
-- trailing comma and `...` in the WITH clauses removed, split code blocks rejoined.
-- Defects still in this text:
--   1. `status` = 3: VARCHAR column compared with an INT literal (relies on Blink's
--      implicit conversion; a strict binder should reject it or insert a cast).
--   2. cc_id may be NULL (last_value of a missing JSON field) but the sink column is
--      NOT NULL: a NULL reaches the sink at run time (NOT NULL enforcer).

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
    cast(1 as int) as type,
    date_format(confirm_date_time, 'yyyy-MM-dd') as attribution_time,
    current_timestamp as update_time
from
    cc_data_pack_order_info_view
where
    confirm_date_time is not null
    and `status` is not null
    and `status` = 3
group by
    date_format(confirm_date_time, 'yyyy-MM-dd'), cc_id;
