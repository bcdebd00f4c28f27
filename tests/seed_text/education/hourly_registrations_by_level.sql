-- Seed text (logic defects kept): Hourly student registrations per level
-- Seed: 000_4bc512f899725f26.txt, section 每小时不同 level 的学生注册人数统计
-- Repaired only so that it parses: OCR `user da in`, em-dash comments, `...` removed, the
-- cut `MD5(t.cha` + WHERE line split into `MD5(t.channel_id)` / `where`, the cut last
-- GROUP BY item completed, final `;`.
-- Defects still in this text:
--   1. uk (sink primary key = Elasticsearch document id) is the level only, while the
--      GROUP BY is hour + level: rows of different hours overwrite each other (the intended
--      key concat(hour, level) is grouped by but not selected). Narrow upsert key.
--   2. `u.name not LIKE '%测试%'` duplicated.
--   3. `u.name not LIKE 'bM\\_%'` has no ESCAPE: Flink 2.3 has no default escape
--      character, so the pattern needs a literal backslash and never filters "bM_..." names.
--   4. LEFT JOIN user_da_in_view + WHERE on u.* columns: an inner join written as an
--      outer one (harmless; lint candidate).
--   5. channel_da reads HBase table 'databus:activity.channel', not the
--      'channel_name_dictionary' that the prose says it is (the ETL's result table).

-- Source: students {"id", "channel_id", "update_time"}
create table student_da_src (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    `id` as JSON_VALUE(`message`, '$.id'), -- user ID
    `channel_id` as JSON_VALUE(`message`, '$.channel_id'), -- channel ID
    `update_time` as JSON_VALUE(`message`, '$.update_time') -- update time
) with (
    type = 'kafka010',
    topic = 'uc_account-student'
);

-- Source: user registrations {"id", "name", "register_date_time", "status"}
create table user_da_in (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    `id` as JSON_VALUE(`message`, '$.id'), -- user ID
    `name` as JSON_VALUE(`message`, '$.name'), -- user name
    `register_date_time` as JSON_VALUE(`message`, '$.register_date_time'), -- registration time
    `status` as JSON_VALUE(`message`, '$.status') -- status
) with (
    type = 'kafka010',
    topic = 'uc_account-user',
    `group.id` = 'uc_account-user'
);

-- Dimension: level-test table (HBase, rowkey = MD5(id))
create table channel_da (
    rowkey varchar,
    id VARCHAR,
    `level` VARCHAR,
    primary key (rowkey),
    PERIOD FOR SYSTEM_TIME
) with (
    type = 'cloudhbase',
    tableName = 'databus:activity.channel'
);

-- Sink: registrations per hour and level (Elasticsearch, document id = uk)
create table sink_table (
    uk varchar,
    reg_date bigint,
    level varchar,
    leads bigint,
    primary key (uk)
) with (
    type = 'elasticsearch',
    index = 'vk_app_es_sign_csh',
    typeName = 'vk_app_es_sign_csh'
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
     case when level in ('A', 'B', 'C', 'D') then level else 'other' end as uk
    ,cast(date_format(register_date_time,'yyyyMMddHH') as bigint) as reg_date
    ,case when level in ('A','B','C','D') then level else 'other' end as levels
    ,COUNT(distinct t.id) AS leads
FROM
    student_da_src_view t
LEFT JOIN user_da_in_view u ON u.id = t.id
LEFT JOIN channel_da FOR SYSTEM_TIME AS OF PROCTIME() ch ON ch.rowkey = MD5(t.channel_id)
where u.name not LIKE '%测试%'
and u.name not LIKE '%测试%'
and u.name not LIKE 'bM\\_%'
and u.name not LIKE '%test%'
and u.status='NORMAL'
group by date_format(register_date_time,'yyyyMMddHH')
    ,case when level in ('A','B','C','D') then level else 'other' end
    ,concat(date_format(register_date_time,'yyyyMMddHH'),case when level in ('A','B','C','D') then level else 'other' end);
