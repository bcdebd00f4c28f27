-- Job: Hourly student registrations per level (seed: 每小时不同 level 的学生注册人数统计)
-- Source: 000_4bc512f899725f26.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: deduplicates students and users to their latest record (LAST_VALUE
--   grouped by id), joins them, looks up each student's channel level-test level in HBase,
--   drops test accounts, and counts distinct registered students per registration hour and
--   level (A/B/C/D, else 'other') into Elasticsearch (document id uk = hour || level).
-- Repairs (seed text -> this file):
--   1. OCR: table name `user da in` -> user_da_in.
--   2. Em-dash comments (`—用户 ID`, `——用户名称`, `——注册和...`) after the column lines -> `--`
--      comments; the cut `——注册和` comment completed as "registration time".
--   3. WITH clauses: elided `...` removed.
--   4. Cut line merged with the WHERE line: `ch.rowkey = MD5(t.chawhere u.name ...` ->
--      `ON ch.rowkey = MD5(t.channel_id)` + `where u.name ...` (the level table's rowkey is
--      MD5(id), as written by the registration ETL; the student row carries channel_id).
--   5. The cut-off last GROUP BY item `concat(date_format(...),case when level in
--      ('A','B','C','D')` completed with `then level else 'other' end)`, and the missing `;`.
--   6. Logic: uk, the sink's primary key / Elasticsearch document id, was only the level
--      case, while the query groups by hour and level - every hour's count of a level
--      overwrote the previous hour's. The intended key is the third GROUP BY item,
--      concat(hour, level), which the seed computed but never selected -> uk = that concat.
--   7. `u.name not LIKE '%测试%'` appeared twice -> the duplicate removed.
--   8. `u.name not LIKE 'bM\\_%'` (MySQL-style escaping; in Flink 2.3 LIKE has no default
--      escape character, so it would look for a literal backslash) -> `u.name not LIKE
--      'bM\_%' ESCAPE '\'`, i.e. "does not start with bM_" (test accounts).
--   9. Judgment call (prose over option): channel_da tableName 'databus:activity.channel'
--      -> 'channel_name_dictionary'. The prose says the level table IS the result table of
--      the registration-level ETL, which writes HBase table channel_name_dictionary with
--      rowkey MD5(id); with the same name the two example jobs work together. Set the
--      option at run time to read another copy.
--  10. `level` and `register_date_time` qualified (ch.`level`, u.register_date_time) and
--      `level` backtick-quoted (a SQL keyword, quoted as in the seed's channel_da); the
--      select alias `levels` -> `level` like the sink column (the INSERT is positional, so
--      only cosmetic).
--   Kept on purpose: LEFT JOIN user_da_in_view plus WHERE on u.* behaves as an inner join
--   (students without a user record cannot have a registration hour anyway).
--   Assumed: register_date_time is 'yyyy-MM-dd HH:mm:ss' text, which DATE_FORMAT(VARCHAR,
--   fmt) parses in Blink and Flink.

-- State TTL: without one, the state of the GROUP BYs and join (not windowed) grows for
-- ever; 36 h is what Blink's default job parameters gave the seed jobs
-- (state.backend.niagara.ttl.ms = 129600000). streamsql lint: unbounded_state_without_ttl.
SET 'table.exec.state.ttl' = '36 h';

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
    tableName = 'channel_name_dictionary'
);

-- Sink: registrations per hour and level (Elasticsearch, document id = uk)
create table sink_table (
    uk varchar,
    reg_date bigint,
    `level` varchar,
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
    concat(date_format(u.register_date_time, 'yyyyMMddHH'),
        case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end) as uk
    ,cast(date_format(u.register_date_time, 'yyyyMMddHH') as bigint) as reg_date
    ,case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end as `level`
    ,COUNT(distinct t.id) AS leads
FROM
    student_da_src_view t
LEFT JOIN user_da_in_view u ON u.id = t.id
LEFT JOIN channel_da FOR SYSTEM_TIME AS OF PROCTIME() ch ON ch.rowkey = MD5(t.channel_id)
where u.name not LIKE '%测试%'
and u.name not LIKE 'bM\_%' ESCAPE '\'
and u.name not LIKE '%test%'
and u.status = 'NORMAL'
group by date_format(u.register_date_time, 'yyyyMMddHH')
    ,case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end
    ,concat(date_format(u.register_date_time, 'yyyyMMddHH'),
        case when ch.`level` in ('A', 'B', 'C', 'D') then ch.`level` else 'other' end);
