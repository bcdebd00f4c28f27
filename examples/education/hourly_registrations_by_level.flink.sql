-- Flink 2.3 version of hourly_registrations_by_level.sql for the differential harness
-- student_da_src, user_da_in: Kafka sources (type = 'kafka010') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- channel_da: HBase dimension (PERIOD FOR SYSTEM_TIME) -> 'connector' = 'lookup-file' (test fixture, JSON lines, e.g. the output of registration_level_etl); PRIMARY KEY ... NOT ENFORCED
-- the lookup join: FROM student_da_src_view t -> FROM (SELECT *, PROCTIME() AS proc_time FROM student_da_src_view) t and FOR SYSTEM_TIME AS OF PROCTIME() -> AS OF t.proc_time (Flink 2.3 needs a proctime attribute of the left side)
-- sink_table: Elasticsearch upsert sink -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating result); primary key NOT ENFORCED
-- Placeholders: ${input.student_da_src}, ${input.user_da_in}, ${dim.channel_da}, ${output.sink_table}

-- State TTL as in the Blink job (36 h). While a TTL is set, Flink re-emits an unchanged
-- aggregate result (-U/+U of the same row) to refresh downstream state; streamsql does
-- too, except into a keyed store, where it changes nothing. The folded results are the same.
SET 'table.exec.state.ttl' = '36 h';

-- Source: students {"id", "channel_id", "update_time"}
create table student_da_src (
    `message` STRING,
    `id` as JSON_VALUE(`message`, '$.id'), -- user ID
    `channel_id` as JSON_VALUE(`message`, '$.channel_id'), -- channel ID
    `update_time` as JSON_VALUE(`message`, '$.update_time') -- update time
) with (
    'connector' = 'filesystem',
    'path' = '${input.student_da_src}',
    'format' = 'raw'
);

-- Source: user registrations {"id", "name", "register_date_time", "status"}
create table user_da_in (
    `message` STRING,
    `id` as JSON_VALUE(`message`, '$.id'), -- user ID
    `name` as JSON_VALUE(`message`, '$.name'), -- user name
    `register_date_time` as JSON_VALUE(`message`, '$.register_date_time'), -- registration time
    `status` as JSON_VALUE(`message`, '$.status') -- status
) with (
    'connector' = 'filesystem',
    'path' = '${input.user_da_in}',
    'format' = 'raw'
);

-- Dimension: level-test table (HBase, rowkey = MD5(id))
create table channel_da (
    rowkey varchar,
    id VARCHAR,
    `level` VARCHAR,
    primary key (rowkey) NOT ENFORCED
) with (
    'connector' = 'lookup-file',
    'path' = '${dim.channel_da}'
);

-- Sink: registrations per hour and level (Elasticsearch, document id = uk)
create table sink_table (
    uk varchar,
    reg_date bigint,
    `level` varchar,
    leads bigint,
    primary key (uk) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.sink_table}',
    'format' = 'debezium-json'
);

-- latest record per student (dedup by id)
create view student_da_src_view as
SELECT
    last_value(id) as id,
    last_value(update_time) as update_time,
    last_value(channel_id) as channel_id
from student_da_src
group by id;

-- latest record per user (dedup by id)
create view user_da_in_view as
SELECT
    last_value(id) as id,
    last_value(name) as name,
    last_value(register_date_time) as register_date_time,
    last_value(status) as status
from user_da_in
group by id;

insert into
    sink_table
SELECT
    concat(date_format(u.register_date_time, 'yyyyMMddHH'),
        case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end) as uk
    ,cast(date_format(u.register_date_time, 'yyyyMMddHH') as bigint) as reg_date
    ,case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end as `level`
    ,COUNT(distinct t.id) AS leads
FROM
    (SELECT *, PROCTIME() AS proc_time FROM student_da_src_view) t
LEFT JOIN user_da_in_view u ON u.id = t.id
LEFT JOIN channel_da FOR SYSTEM_TIME AS OF t.proc_time ch ON ch.rowkey = MD5(t.channel_id)
where u.name not LIKE '%测试%'
and u.name not LIKE 'bM\_%' ESCAPE '\'
and u.name not LIKE '%test%'
and u.status = 'NORMAL'
group by date_format(u.register_date_time, 'yyyyMMddHH')
    ,case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end
    ,concat(date_format(u.register_date_time, 'yyyyMMddHH'),
        case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end);
