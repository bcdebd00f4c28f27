-- Flink 2.3 version of daily_course_consultant_tracking.sql for the differential harness
-- cc_data_pack_order_info_src: Kafka source (type = 'kafka010') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- cast(cc_id as bigint) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job (the NULL is then dropped by the NOT NULL cc_id column)
-- MySQL-style sink types bigint(20) / bigint(10) / int(6) -> BIGINT / BIGINT / INT; timestamp -> TIMESTAMP(3); NOT NULL kept
-- Blink current_timestamp (TIMESTAMP) -> CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) (Flink's is TIMESTAMP_LTZ(3))
-- index_sink: RDS upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- Placeholders: ${input.cc_data_pack_order_info_src}, ${output.index_sink}

-- State TTL as in the Blink job (36 h). While a TTL is set, Flink re-emits an unchanged
-- aggregate result (-U/+U of the same row) to refresh downstream state; streamsql does
-- too, except into a keyed store, where it changes nothing. The folded results are the same.
SET 'table.exec.state.ttl' = '36 h';

-- Source: course-consultant order/lead records {"id", "leads_flow_event_id", "group_id",
-- "cc_id", "student_id", "order_id", "leads_id", "confirm_date_time", "create_time",
-- "update_time", "order_create_time", "canceled_date_time", "apply_refund_date", "status"}
create table cc_data_pack_order_info_src (
    `message` STRING,
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
    'connector' = 'filesystem',
    'path' = '${input.cc_data_pack_order_info_src}',
    'format' = 'raw'
);

-- Sink: per consultant, index type and day
CREATE TABLE index_sink (
    `cc_id` BIGINT NOT NULL,
    `cc_index` BIGINT NOT NULL,
    `type` INT NOT NULL,
    `attribution_time` varchar NOT NULL,
    `update_time` TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (`cc_id`, `type`, `attribution_time`) NOT ENFORCED
) WITH (
    'connector' = 'filesystem',
    'path' = '${output.index_sink}',
    'format' = 'debezium-json'
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
    TRY_CAST(cc_id as bigint) as cc_id,
    count(*) as cc_index,
    cast(1 as int) as `type`,
    date_format(confirm_date_time, 'yyyy-MM-dd') as attribution_time,
    CAST(current_timestamp AS TIMESTAMP(3)) as update_time
from
    cc_data_pack_order_info_view
where
    confirm_date_time is not null
    and `status` is not null
    and `status` = '3'
    and cc_id is not null
group by
    date_format(confirm_date_time, 'yyyy-MM-dd'), cc_id;
