-- Flink 2.3 version of registration_level_etl.sql for the differential harness
-- blink_stg_activity__channel_name_dictionary_da: Kafka source (type = 'kafka010') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- blink_stg_activity__channel_name_dictionary_da_sinkhbase: HBase sink (type = 'cloudhbase') -> 'connector' = 'filesystem', 'format' = 'json' (append-only; fold by the primary key rowkey); PRIMARY KEY ... NOT ENFORCED
-- Placeholders: ${input.blink_stg_activity__channel_name_dictionary_da}, ${output.blink_stg_activity__channel_name_dictionary_da_sinkhbase}

-- Source: registration level-test dictionary log
-- {"id", "chinese_name", "english_name", "level", "pid", "create_time", "update_time", "dept_id"}
create table blink_stg_activity__channel_name_dictionary_da (
    `message` STRING,
    -- ID
    id as JSON_VALUE(`message`, '$.id'),
    -- Chinese name
    chinese_name as JSON_VALUE(`message`, '$.chinese_name'),
    -- English name
    english_name as JSON_VALUE(`message`, '$.english_name'),
    -- test level
    `level` as JSON_VALUE(`message`, '$.level'),
    -- unique ID
    pid as JSON_VALUE(`message`, '$.pid'),
    -- create time
    create_time as JSON_VALUE(`message`, '$.create_time'),
    -- update time
    update_time as JSON_VALUE(`message`, '$.update_time'),
    -- department ID
    dept_id as JSON_VALUE(`message`, '$.dept_id')
) with (
    'connector' = 'filesystem',
    'path' = '${input.blink_stg_activity__channel_name_dictionary_da}',
    'format' = 'raw'
);

-- Sink: HBase table, rowkey = MD5(id)
create table blink_stg_activity__channel_name_dictionary_da_sinkhbase (
    rowkey varchar,
    id varchar,
    chinese_name varchar,
    english_name varchar,
    `level` varchar,
    pid varchar,
    create_time varchar,
    update_time varchar,
    dept_id varchar,
    primary key (rowkey) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.blink_stg_activity__channel_name_dictionary_da_sinkhbase}',
    'format' = 'json'
);

insert into
    blink_stg_activity__channel_name_dictionary_da_sinkhbase
SELECT
    MD5(id) as rowkey,
    id,
    chinese_name,
    english_name,
    `level`,
    pid,
    create_time,
    update_time,
    dept_id
from
    blink_stg_activity__channel_name_dictionary_da;
