-- Job: Registration level-test log ETL to HBase (seed: 学生注册考试等级日志 ETL 清洗)
-- Source: 000_4bc512f899725f26.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: copies each level-test record of a registering student from Kafka
--   into the HBase table channel_name_dictionary under rowkey MD5(id); the hourly
--   registrations job looks the level up from there.
-- Repairs (seed text -> this file):
--   1. OCR in the source DDL: `english name as JSON VALUE(`message`,'$.english name')`
--      -> english_name as JSON_VALUE(`message`, '$.english_name').
--   2. Source WITH clause: trailing comma after `group.id` removed.
--   3. Sink WITH clause: elided `...` removed (connection options come from the job binary).
--   4. The source DDL was split over two code blocks (after `messageKey VARBINARY,`) and
--      the INSERT after `insert into <table>` -> rejoined.
--   5. Column `level` quoted with backticks everywhere, as the seed itself does in
--      channel_da (LEVEL is a SQL keyword); no change of meaning.
--   (No logic defects: the job does what the prose says.)

-- Source: registration level-test dictionary log
-- {"id", "chinese_name", "english_name", "level", "pid", "create_time", "update_time", "dept_id"}
create table blink_stg_activity__channel_name_dictionary_da (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
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
    type = 'kafka010',
    topic = 'blink_stg_activity__channel_name_dictionary_da',
    `group.id` = 'blink_stg_activity__channel_name_dictionary_da'
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
    primary key (rowkey)
) with (
    type = 'cloudhbase',
    tableName = 'channel_name_dictionary'
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
