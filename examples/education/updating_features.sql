-- Job: Updating features over the order, student and user change logs (test material, not a seed job)
-- Source: the inputs of daily_course_consultant_tracking.sql and hourly_registrations_by_level.sql
--   (000_4bc512f899725f26.txt, 每日课程顾问追踪统计 / 每小时不同 level 的学生注册人数统计),
--   dialect: Blink (Alibaba Realtime Compute)
-- What it computes: twelve updating results, one upsert sink each, together covering the
--   updating operators of issue 6 (group aggregation without windows, Top-N, regular joins):
--   Views: order_view, student_view, user_view deduplicate each change log to the latest
--     version of every id, the seeds' pattern (`last_value(x) ... GROUP BY id`); they select
--     the group key `id` itself (the seeds' `last_value(id) as id` hides the unique key from
--     the planner, in Flink too) and skip rows without an id. Every version of an id moves it:
--     an order's cc_id, student_id, status and group_id, a student's channel_id are drawn
--     anew per version, so the views retract (-U) and the operators above them must too.
--   1. uf_raw_consultant_status: GROUP BY over insert-only input (the raw order messages) per
--      consultant and status: COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM and AVG of an INT
--      (AVG keeps the type: INT, truncated), SUM and AVG of a DOUBLE, MIN/MAX of strings and
--      of a BIGINT, FIRST_VALUE/LAST_VALUE, FILTER (WHERE ...).
--   2. uf_consultant_orders: GROUP BY over the updating order_view per consultant: the same
--      aggregates over retracting input (MIN/MAX must retract when an order's new version
--      changes its value or moves it to another consultant), FIRST_VALUE/LAST_VALUE over
--      updating input, COUNT(DISTINCT) FILTER, HAVING COUNT(*) >= 3 (a consultant falling
--      below is deleted).
--   3. uf_hourly_confirmed: a WHERE on the updating view before grouping (the seed's
--      status = '3'), counts per confirmation hour and consultant (view confirmed_per_cc),
--      then a two-level aggregation per hour over those counts (COUNT, SUM, MIN, MAX, AVG of
--      a BIGINT, FILTER), with a WHERE on the updating first level.
--   4. uf_top_consultants: Top-N over updating input (the counts of confirmed_per_cc), the 3
--      consultants with the most confirmations per hour, rank column in the sink.
--   5. uf_channel_recent_students: Top-N over the updating student_view, the 3 students
--      updated last per channel, without the rank column (a student changing channel or
--      update time enters and leaves the ranking).
--   6. uf_latest_registrations: Top-N over insert-only input (raw registration messages), the
--      3 latest registrations per registration hour, rank column in the sink.
--   7. uf_latest_order_per_student: Top-1 over the updating order_view: each student's most
--      recently updated order.
--   8.-11. regular joins of student_view and user_view on id with an extra non-equality
--      predicate in ON: uf_join_inner (INNER, s.update_time >= u.register_date_time),
--      uf_join_left (LEFT, u.status <> 'DISABLED': a predicate on the right side only, which
--      must not drop left rows), uf_join_right (RIGHT, s.update_time < u.register_date_time),
--      uf_join_full (FULL OUTER, s.update_time >= u.register_date_time).
--   12. uf_registrations_with_channel: a join (LEFT) of an insert-only source (the raw
--      registration messages) with an updating view (student_view): every message with its
--      student's current channel, revised when the student changes channel.
-- Determinism (Flink reads each file in its own source task, so rows of different sources
--   interleave arbitrarily; within one source the file order is the arrival order):
--   Top-N orderings end in a unique column (cc_id, id; raw messages: every output column),
--   so there are no ties; FIRST_VALUE/LAST_VALUE only read one source (never a join's
--   output); the joins' results folded into tables depend only on the views' final states.
--   FIRST_VALUE/LAST_VALUE over updating input (2) are the first/last non-NULL value of the
--   group's live rows in arrival order, where a retraction removes the earliest live
--   occurrence of its value (Flink's FirstValueWithRetract/LastValueWithRetract). Every
--   sink's final table was checked against one computed from the inputs directly.
-- Keys: every sink's PRIMARY KEY is its query's unique key: the group keys (1-3); partition
--   key + rank (4, 6); partition key + the view's unique id (5); the partition key (7); the
--   preserved side's id (8: s.id, 9: s.id, 10: u.id); both ids, COALESCEd to '-' on the
--   padded side (11: a student and a user with the same id that fail the ON predicate are
--   two rows); the message's id and registration time (12: assumed unique per message,
--   which holds for the generated data, one registration time per message drawn to the
--   second).
-- Sinks: RDS upsert tables with primary keys (updating results).

-- State TTL: without one, the state of the GROUP BYs, Top-Ns and joins (not windowed) grows for
-- ever; 36 h is what Blink's default job parameters gave the seed jobs
-- (state.backend.niagara.ttl.ms = 129600000). streamsql lint: unbounded_state_without_ttl.
SET 'table.exec.state.ttl' = '36 h';

-- Source: course-consultant order/lead records {"id", "leads_flow_event_id", "group_id",
-- "cc_id", "student_id", "order_id", "leads_id", "confirm_date_time", "create_time",
-- "update_time", "order_create_time", "canceled_date_time", "apply_refund_date", "status"}
-- (daily_course_consultant_tracking.sql's DDL plus leads_flow_event_id, group_id, order_id)
create table cc_data_pack_order_info_src (
    `messageKey` VARBINARY,
    `message` VARBINARY,
    `topic` VARCHAR,
    `partition` INT,
    `offset` BIGINT,
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
    type = 'kafka010',
    topic = 'data_pack_order_info',
    `group.id` = 'data_pack_order_info'
);

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
    PRIMARY KEY (cc_id, `status`)
) with (
    type = 'rds',
    tableName = 'uf_raw_consultant_status'
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
    PRIMARY KEY (cc_id)
) with (
    type = 'rds',
    tableName = 'uf_consultant_orders'
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
    PRIMARY KEY (confirm_hour)
) with (
    type = 'rds',
    tableName = 'uf_hourly_confirmed'
);

-- Sink 4: the 3 consultants with the most confirmations per hour
create table uf_top_consultants (
    confirm_hour VARCHAR,
    rn BIGINT,
    cc_id VARCHAR,
    confirmed BIGINT,
    PRIMARY KEY (confirm_hour, rn)
) with (
    type = 'rds',
    tableName = 'uf_top_consultants'
);

-- Sink 5: the 3 students updated last per channel
create table uf_channel_recent_students (
    channel_id VARCHAR,
    id VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (channel_id, id)
) with (
    type = 'rds',
    tableName = 'uf_channel_recent_students'
);

-- Sink 6: the 3 latest registration messages per registration hour
create table uf_latest_registrations (
    reg_hour VARCHAR,
    rn BIGINT,
    id VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (reg_hour, rn)
) with (
    type = 'rds',
    tableName = 'uf_latest_registrations'
);

-- Sink 7: each student's most recently updated order
create table uf_latest_order_per_student (
    student_id VARCHAR,
    id VARCHAR,
    cc_id VARCHAR,
    `status` VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (student_id)
) with (
    type = 'rds',
    tableName = 'uf_latest_order_per_student'
);

-- Sink 8: students with their user record, updated no earlier than registered
create table uf_join_inner (
    id VARCHAR,
    channel_id VARCHAR,
    update_time VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (id)
) with (
    type = 'rds',
    tableName = 'uf_join_inner'
);

-- Sink 9: every student, with the user record if it is not disabled
create table uf_join_left (
    id VARCHAR,
    channel_id VARCHAR,
    user_id VARCHAR,
    name VARCHAR,
    `status` VARCHAR,
    PRIMARY KEY (id)
) with (
    type = 'rds',
    tableName = 'uf_join_left'
);

-- Sink 10: every user, with the student record if it was updated before the registration
create table uf_join_right (
    user_id VARCHAR,
    name VARCHAR,
    register_date_time VARCHAR,
    student_id VARCHAR,
    update_time VARCHAR,
    PRIMARY KEY (user_id)
) with (
    type = 'rds',
    tableName = 'uf_join_right'
);

-- Sink 11: students and users, matched when updated no earlier than registered
create table uf_join_full (
    student_id VARCHAR,      -- '-' when the row has no student
    user_id VARCHAR,         -- '-' when the row has no user
    channel_id VARCHAR,
    update_time VARCHAR,
    register_date_time VARCHAR,
    PRIMARY KEY (student_id, user_id)
) with (
    type = 'rds',
    tableName = 'uf_join_full'
);

-- Sink 12: registration messages with their student's current channel
create table uf_registrations_with_channel (
    id VARCHAR,
    register_date_time VARCHAR,
    name VARCHAR,
    `status` VARCHAR,
    channel_id VARCHAR,
    PRIMARY KEY (id, register_date_time)
) with (
    type = 'rds',
    tableName = 'uf_registrations_with_channel'
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
    SUM(CAST(group_id AS INT)) as group_sum,
    AVG(CAST(group_id AS INT)) as group_avg,
    SUM(CAST(CAST(group_id AS INT) AS DOUBLE) / 4) as group_sum_double,
    AVG(CAST(CAST(group_id AS INT) AS DOUBLE) / 4) as group_avg_double,
    MIN(update_time) as min_update,
    MAX(order_id) as max_order,
    MIN(CAST(leads_flow_event_id AS BIGINT)) as min_leads,
    MAX(CAST(leads_flow_event_id AS BIGINT)) as max_leads,
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
    SUM(CAST(group_id AS INT)) as group_sum,
    AVG(CAST(group_id AS INT)) as group_avg,
    SUM(CAST(CAST(group_id AS INT) AS DOUBLE) / 4) as group_sum_double,
    AVG(CAST(CAST(group_id AS INT) AS DOUBLE) / 4) as group_avg_double,
    MIN(update_time) as min_update,
    MAX(update_time) as max_update,
    MIN(CAST(leads_flow_event_id AS BIGINT)) as min_leads,
    MAX(CAST(leads_flow_event_id AS BIGINT)) as max_leads,
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
