-- Seed text (logic defects kept): Registration level-test log ETL to HBase
-- Seed: 000_4bc512f899725f26.txt, section 学生注册考试等级日志 ETL 清洗
-- Repaired only so that it parses: OCR (`english name`, `JSON VALUE`), trailing comma and
-- `...` in the WITH clauses removed, split code blocks rejoined.
-- Defects still in this text: none found (valid input; a positive parse/bind case).
-- Note: `level` is left unquoted as in the seed (LEVEL is a SQL keyword).

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
    level as JSON_VALUE(`message`, '$.level'),
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
    level varchar,
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
    level,
    pid,
    create_time,
    update_time,
    dept_id
from
    blink_stg_activity__channel_name_dictionary_da;
