-- Flink 2.3 version of updating_features.sql for the differential harness
-- cc_data_pack_order_info_src, student_da_src, user_da_in: Kafka sources (type = 'kafka010') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- CAST(group_id AS INT), CAST(leads_flow_event_id AS BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- the twelve RDS upsert sinks -> 'connector' = 'filesystem', 'format' = 'debezium-json' (updating results); PRIMARY KEY ... NOT ENFORCED
-- the views, aggregates (FILTER, HAVING, FIRST_VALUE/LAST_VALUE, COUNT DISTINCT), Top-N queries (ROW_NUMBER() OVER ... with rn <= N / rn = 1 in the enclosing WHERE) and joins (INNER/LEFT/RIGHT/FULL OUTER with a non-equality predicate in ON) are the Blink job's, unchanged
-- Placeholders: ${input.cc_data_pack_order_info_src}, ${input.student_da_src}, ${input.user_da_in}, ${output.uf_raw_consultant_status}, ${output.uf_consultant_orders}, ${output.uf_hourly_confirmed}, ${output.uf_top_consultants}, ${output.uf_channel_recent_students}, ${output.uf_latest_registrations}, ${output.uf_latest_order_per_student}, ${output.uf_join_inner}, ${output.uf_join_left}, ${output.uf_join_right}, ${output.uf_join_full}, ${output.uf_registrations_with_channel}

-- State TTL as in the Blink job (36 h). While a TTL is set, Flink re-emits an unchanged
-- aggregate result (-U/+U of the same row) to refresh downstream state; streamsql does
-- too, except into a keyed store, where it changes nothing. The folded results are the same.
SET 'table.exec.state.ttl' = '36 h';

-- Source: course-consultant order/lead records {"id", "leads_flow_event_id", "group_id",
-- "cc_id", "student_id", "order_id", "leads_id", "confirm_date_time", "create_time",
-- "update_time", "order_create_time", "canceled_date_time", "apply_refund_date", "status"}
-- (daily_course_consultant_tracking.sql's DDL plus leads_flow_event_id, group_id, order_id)
create table cc_data_pack_order_info_src (
    `message` STRING,
    -- ID
    `id` as JSON_VALUE(`message`, '$.id'),
    -- leads flow event ID
    `leads_flow_event_id` as JSON_VALUE(`message`, '$.leads_flow_event_id'),
    -- group ID
    `group_id` as JSON_VALUE(`message`, '$.group_id'),
    -- course consultant (CC) ID
    `cc_id` as JSON_VALUE(`message`, '$.cc_id'),
    -- student ID
    `student_id` as JSON_VALUE(`message`, '$.student_id'),
    -- order ID
    `order_id` as JSON_VALUE(`message`, '$.order_id'),
    -- confirmation time
    `confirm_date_time` as JSON_VALUE(`message`, '$.confirm_date_time'),
    -- update time
    `update_time` as JSON_VALUE(`message`, '$.update_time'),
    -- status
    `status` as JSON_VALUE(`message`, '$.status')
) with (
    'connector' = 'filesystem',
    'path' = '${input.cc_data_pack_order_info_src}',
    'format' = 'raw'
);

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

-- Sink 1: raw order messages per consultant and status
create table uf_raw_consultant_status (
    cc_id VARCHAR,
    `status` VARCHAR,
    message_count BIGINT,    -- COUNT(*)
    confirmed_count BIGINT,  -- COUNT(confirm_date_time): messages with a confirmation time
    distinct_orders BIGINT,  -- COUNT(DISTINCT id)
    group_sum INT,           -- SUM of an INT
    group_avg INT,           -- AVG of an INT: INT, truncated
    group_sum_double DOUBLE, -- SUM of a DOUBLE
    group_avg_double DOUBLE, -- AVG of a DOUBLE
    min_update VARCHAR,      -- MIN of a string
    max_order VARCHAR,       -- MAX of a string: 'O99' > 'O450'
    min_leads BIGINT,        -- MIN of a number
    max_leads BIGINT,        -- MAX of a number
    first_order VARCHAR,     -- FIRST_VALUE
    last_student VARCHAR,    -- LAST_VALUE
    group0_count BIGINT,     -- COUNT(*) FILTER (WHERE group_id = '0')
    PRIMARY KEY (cc_id, `status`) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_raw_consultant_status}',
    'format' = 'debezium-json'
);

-- Sink 2: current orders per consultant, consultants with at least 3 orders
create table uf_consultant_orders (
    cc_id VARCHAR,
    order_count BIGINT,      -- COUNT(*)
    confirmed_count BIGINT,  -- COUNT(confirm_date_time)
    distinct_students BIGINT, -- COUNT(DISTINCT student_id)
    group_sum INT,           -- SUM of an INT
    group_avg INT,           -- AVG of an INT: INT, truncated
    group_sum_double DOUBLE, -- SUM of a DOUBLE
    group_avg_double DOUBLE, -- AVG of a DOUBLE
    min_update VARCHAR,      -- MIN of a string (retracts)
    max_update VARCHAR,      -- MAX of a string (retracts)
    min_leads BIGINT,        -- MIN of a number (retracts)
    max_leads BIGINT,        -- MAX of a number (retracts)
    first_order VARCHAR,     -- FIRST_VALUE over updating input
    last_status VARCHAR,     -- LAST_VALUE over updating input
    status3_count BIGINT,    -- COUNT(*) FILTER (WHERE status = '3')
    status4_students BIGINT, -- COUNT(DISTINCT student_id) FILTER (WHERE status = '4')
    PRIMARY KEY (cc_id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_consultant_orders}',
    'format' = 'debezium-json'
);

-- Sink 3: per confirmation hour, over the per-consultant counts
create table uf_hourly_confirmed (
    confirm_hour VARCHAR,
    consultants BIGINT,      -- consultants with a confirmed order in that hour
    confirmed BIGINT,        -- SUM of the per-consultant counts
    min_per_cc BIGINT,       -- MIN of the counts
    max_per_cc BIGINT,       -- MAX of the counts
    avg_per_cc BIGINT,       -- AVG of a BIGINT: BIGINT, truncated
    busy_consultants BIGINT, -- COUNT(*) FILTER (WHERE confirmed >= 2)
    PRIMARY KEY (confirm_hour) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_hourly_confirmed}',
    'format' = 'debezium-json'
);

-- Sink 4: the 3 consultants with the most confirmations per hour
create table uf_top_consultants (
    confirm_hour VARCHAR,
    rn BIGINT,
    cc_id VARCHAR,
    confirmed BIGINT,
    PRIMARY KEY (confirm_hour, rn) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_top_consultants}',
    'format' = 'debezium-json'
);

-- Sink 5: the 3 students updated last per channel
create table uf_channel_recent_students (
    channel_id VARCHAR,
    id VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (channel_id, id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_channel_recent_students}',
    'format' = 'debezium-json'
);

-- Sink 6: the 3 latest registration messages per registration hour
create table uf_latest_registrations (
    reg_hour VARCHAR,
    rn BIGINT,
    id VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (reg_hour, rn) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_latest_registrations}',
    'format' = 'debezium-json'
);

-- Sink 7: each student's most recently updated order
create table uf_latest_order_per_student (
    student_id VARCHAR,
    id VARCHAR,
    cc_id VARCHAR,
    `status` VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (student_id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_latest_order_per_student}',
    'format' = 'debezium-json'
);

-- Sink 8: students with their user record, updated no earlier than registered
create table uf_join_inner (
    id VARCHAR,
    channel_id VARCHAR,
    update_time VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_join_inner}',
    'format' = 'debezium-json'
);

-- Sink 9: every student, with the user record if it is not disabled
create table uf_join_left (
    id VARCHAR,
    channel_id VARCHAR,
    user_id VARCHAR,
    name VARCHAR,
    `status` VARCHAR,
    PRIMARY KEY (id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_join_left}',
    'format' = 'debezium-json'
);

-- Sink 10: every user, with the student record if it was updated before the registration
create table uf_join_right (
    user_id VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    student_id VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (user_id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_join_right}',
    'format' = 'debezium-json'
);

-- Sink 11: students and users, matched when updated no earlier than registered
create table uf_join_full (
    student_id VARCHAR,      -- '-' when the row has no student
    user_id VARCHAR,         -- '-' when the row has no user
    channel_id VARCHAR,
    update_time VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (student_id, user_id) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_join_full}',
    'format' = 'debezium-json'
);

-- Sink 12: registration messages with their student's current channel
create table uf_registrations_with_channel (
    id VARCHAR,
    register_date_time VARCHAR,
    name VARCHAR,
    `status` VARCHAR,
    channel_id VARCHAR,
    PRIMARY KEY (id, register_date_time) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.uf_registrations_with_channel}',
    'format' = 'debezium-json'
);

-- latest state of each order (dedup by id)
create view order_view as
select
    id,
    last_value(leads_flow_event_id) as leads_flow_event_id,
    last_value(group_id) as group_id,
    last_value(cc_id) as cc_id,
    last_value(student_id) as student_id,
    last_value(order_id) as order_id,
    last_value(confirm_date_time) as confirm_date_time,
    last_value(update_time) as update_time,
    last_value(`status`) as `status`
from cc_data_pack_order_info_src
where id is not null
group by id;

-- latest record per student (dedup by id)
create view student_view as
select
    id,
    last_value(channel_id) as channel_id,
    last_value(update_time) as update_time
from student_da_src
where id is not null
group by id;

-- latest record per user (dedup by id)
create view user_view as
select
    id,
    last_value(name) as name,
    last_value(register_date_time) as register_date_time,
    last_value(`status`) as `status`
from user_da_in
where id is not null
group by id;

insert into uf_raw_consultant_status
select
    cc_id,
    `status`,
    COUNT(*) as message_count,
    COUNT(confirm_date_time) as confirmed_count,
    COUNT(DISTINCT id) as distinct_orders,
    SUM(TRY_CAST(group_id AS INT)) as group_sum,
    AVG(TRY_CAST(group_id AS INT)) as group_avg,
    SUM(CAST(TRY_CAST(group_id AS INT) AS DOUBLE) / 4) as group_sum_double,
    AVG(CAST(TRY_CAST(group_id AS INT) AS DOUBLE) / 4) as group_avg_double,
    MIN(update_time) as min_update,
    MAX(order_id) as max_order,
    MIN(TRY_CAST(leads_flow_event_id AS BIGINT)) as min_leads,
    MAX(TRY_CAST(leads_flow_event_id AS BIGINT)) as max_leads,
    FIRST_VALUE(order_id) as first_order,
    LAST_VALUE(student_id) as last_student,
    COUNT(*) FILTER (WHERE group_id = '0') as group0_count
from cc_data_pack_order_info_src
where cc_id is not null and `status` is not null
group by cc_id, `status`;

insert into uf_consultant_orders
select
    cc_id,
    COUNT(*) as order_count,
    COUNT(confirm_date_time) as confirmed_count,
    COUNT(DISTINCT student_id) as distinct_students,
    SUM(TRY_CAST(group_id AS INT)) as group_sum,
    AVG(TRY_CAST(group_id AS INT)) as group_avg,
    SUM(CAST(TRY_CAST(group_id AS INT) AS DOUBLE) / 4) as group_sum_double,
    AVG(CAST(TRY_CAST(group_id AS INT) AS DOUBLE) / 4) as group_avg_double,
    MIN(update_time) as min_update,
    MAX(update_time) as max_update,
    MIN(TRY_CAST(leads_flow_event_id AS BIGINT)) as min_leads,
    MAX(TRY_CAST(leads_flow_event_id AS BIGINT)) as max_leads,
    FIRST_VALUE(order_id) as first_order,
    LAST_VALUE(`status`) as last_status,
    COUNT(*) FILTER (WHERE `status` = '3') as status3_count,
    COUNT(DISTINCT student_id) FILTER (WHERE `status` = '4') as status4_students
from order_view
where cc_id is not null
group by cc_id
having COUNT(*) >= 3;

-- confirmed orders per confirmation hour and consultant (the seed's filter)
create view confirmed_per_cc as
select
    date_format(confirm_date_time, 'yyyy-MM-dd HH') as confirm_hour,
    cc_id,
    COUNT(*) as confirmed
from order_view
where
    confirm_date_time is not null
    and `status` is not null
    and `status` = '3'
    and cc_id is not null
group by date_format(confirm_date_time, 'yyyy-MM-dd HH'), cc_id;

insert into uf_hourly_confirmed
select
    confirm_hour,
    COUNT(*) as consultants,
    SUM(confirmed) as confirmed,
    MIN(confirmed) as min_per_cc,
    MAX(confirmed) as max_per_cc,
    AVG(confirmed) as avg_per_cc,
    COUNT(*) FILTER (WHERE confirmed >= 2) as busy_consultants
from confirmed_per_cc
where confirm_hour is not null
group by confirm_hour;

insert into uf_top_consultants
select confirm_hour, rn, cc_id, confirmed
from (
    select
        confirm_hour, cc_id, confirmed,
        ROW_NUMBER() OVER (PARTITION BY confirm_hour ORDER BY confirmed DESC, cc_id ASC) as rn
    from confirmed_per_cc
    where confirm_hour is not null
)
where rn <= 3;

insert into uf_channel_recent_students
select channel_id, id, update_time
from (
    select
        channel_id, id, update_time,
        ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY update_time DESC, id DESC) as rn
    from student_view
    where channel_id is not null and update_time is not null
)
where rn <= 3;

insert into uf_latest_registrations
select reg_hour, rn, id, name, register_date_time
from (
    select
        reg_hour, id, name, register_date_time,
        ROW_NUMBER() OVER (
            PARTITION BY reg_hour
            ORDER BY register_date_time DESC, id DESC, name DESC) as rn
    from (
        select
            SUBSTRING(register_date_time, 1, 13) as reg_hour,
            id, name, register_date_time
        from user_da_in
        where id is not null and name is not null and register_date_time is not null
    )
)
where rn <= 3;

insert into uf_latest_order_per_student
select student_id, id, cc_id, `status`, update_time
from (
    select
        student_id, id, cc_id, `status`, update_time,
        ROW_NUMBER() OVER (PARTITION BY student_id ORDER BY update_time DESC, id DESC) as rn
    from order_view
    where student_id is not null and update_time is not null
)
where rn = 1;

insert into uf_join_inner
select s.id, s.channel_id, s.update_time, u.name, u.register_date_time
from student_view s
join user_view u on s.id = u.id and s.update_time >= u.register_date_time;

insert into uf_join_left
select s.id, s.channel_id, u.id as user_id, u.name, u.`status`
from student_view s
left join user_view u on s.id = u.id and u.`status` <> 'DISABLED';

insert into uf_join_right
select u.id as user_id, u.name, u.register_date_time, s.id as student_id, s.update_time
from student_view s
right join user_view u on s.id = u.id and s.update_time < u.register_date_time;

insert into uf_join_full
select
    COALESCE(s.id, '-') as student_id,
    COALESCE(u.id, '-') as user_id,
    s.channel_id,
    s.update_time,
    u.register_date_time
from student_view s
full outer join user_view u on s.id = u.id and s.update_time >= u.register_date_time;

insert into uf_registrations_with_channel
select r.id, r.register_date_time, r.name, r.`status`, s.channel_id
from user_da_in r
left join student_view s on r.id = s.id
where r.id is not null and r.register_date_time is not null;
