-- Job: Window features over the live-class events (test material, not a seed job)
-- Source: the input of classroom_performance.sql (000_4bc512f899725f26.txt, 学生在线 (直播)
--   课程课堂表现统计), dialect: Blink (Alibaba Realtime Compute)
-- What it computes: seven event-time window aggregates over the cleaned signalling events,
--   one sink each, together covering the window forms and aggregates of issue 5:
--   1. wf_tumble_event: TUMBLE 10 min per event with TUMBLE_START/_END/_ROWTIME; COUNT(*),
--      COUNT(x), COUNT(DISTINCT x), SUM and AVG of integer columns (AVG keeps the integer
--      type: TINYINT, INT), SUM/AVG of a DOUBLE, MIN/MAX of strings (string order:
--      '99' > '450') and of a number, FIRST_VALUE/LAST_VALUE, FILTER (WHERE ...).
--   2. wf_tumble_role: TUMBLE 5 min per role with HAVING; FIRST_VALUE/LAST_VALUE of a string,
--      AVG of a BIGINT. FIRST_VALUE/LAST_VALUE take the first/last non-NULL value in arrival
--      order (the file's order), which for a late row still in an open window is not
--      event-time order.
--   3. wf_hop_room: HOP 15 min every 5 min per room with HOP_START/HOP_END.
--   4. wf_hop_event: HOP 30 min every 10 min per event with HOP_ROWTIME.
--   5. wf_session_room: SESSION with a 10-minute gap per room with SESSION_START/SESSION_END
--      (rows are ~65 s apart overall, minutes to hours apart per room: ~950 sessions). A
--      late row can open a new session that overlaps one of its room that already fired.
--   6. wf_cumulate_role: what Flink's CUMULATE(step 5 min, size 15 min) per role gives,
--      written with group windows as Blink has no window TVFs: the windows [s, s+5),
--      [s, s+10), [s, s+15) of every 15-minute period s are HOP(slide 15, size 5),
--      HOP(slide 15, size 10) and TUMBLE(15) (a hop window starts at a multiple of its
--      slide): three INSERTs into the one sink.
--   7. wf_cascade_role: a cascaded window: per-minute counts per role (view minute_counts,
--      rowtime TUMBLE_ROWTIME), then per 10 minutes the number of active minutes, the sum
--      and the maximum of those counts.
--   The Flink translation writes 2, 4, 6 and 7 with the window TVFs TUMBLE, HOP and
--   CUMULATE (window_start/window_end/window_time) and 1, 3, 5 with the same group windows.
-- The source DDL is classroom_performance.sql's (same table, same generated rows): events
--   are ~65 s apart (the harness's 2000 rows over 36 hours) and the watermark has no delay
--   (WITHOFFSET(time_stamp, 0)), so every row behind the newest one is behind the
--   watermark: the late rows, up to 10 minutes old, are dropped by the windows that already
--   fired and still counted by the ones still open.
-- Sinks: append-only window results (RDS, no primary key).

-- Source: output of the signalling ETL job (topic timeline_analysis_student), one
-- single-level JSON per scored operation: {"userId", "roomId", "role", "event", "timeStamp", ...}
-- timeStamp is epoch milliseconds (written by the ETL as NOW()*1000).
create table timeline_analysis_student_mashup_stream (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    -- user ID
    `userId` as cast(JSON_VALUE(`message`, '$.userId') as BIGINT),
    -- classroom (live room) ID
    `roomId` as cast(JSON_VALUE(`message`, '$.roomId') as VARCHAR),
    -- web server ID: the live room the student is connected to (= roomId as a number)
    `webserverId` as cast(JSON_VALUE(`message`, '$.roomId') as BIGINT),
    -- role
    `role` as cast(JSON_VALUE(`message`, '$.role') as TINYINT),
    -- scored operation
    `event` as cast(JSON_VALUE(`message`, '$.event') as VARCHAR),
    -- event time
    `time_stamp` as TO_TIMESTAMP(cast(JSON_VALUE(`message`, '$.timeStamp') as BIGINT)),
    WATERMARK wk FOR time_stamp AS WITHOFFSET(time_stamp, 0) -- watermark for the rowtime
) with (
    type = 'kafka011',
    topic = 'timeline_analysis_student',
    `group.id` = 'timeline-analysis-student-mashup-consumer'
);

-- Sink 1: per 10 minutes and event
create table wf_tumble_event (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    window_rowtime TIMESTAMP,
    event VARCHAR,
    row_count BIGINT,        -- COUNT(*)
    user_count BIGINT,       -- COUNT(userId): rows with a user
    distinct_users BIGINT,   -- COUNT(DISTINCT userId)
    webserver_sum BIGINT,    -- SUM of a BIGINT
    role_sum INT,            -- SUM of an INT
    role_avg TINYINT,        -- AVG of a TINYINT: TINYINT, truncated
    webserver_avg INT,       -- AVG of an INT: INT, truncated
    role_avg_double DOUBLE,  -- AVG of a DOUBLE
    role_sum_double DOUBLE,  -- SUM of a DOUBLE
    min_room VARCHAR,        -- MIN of a string
    max_room VARCHAR,        -- MAX of a string
    max_user_text VARCHAR,   -- MAX of a string: '99' > '450'
    min_user BIGINT,         -- MIN of a number
    max_user BIGINT,         -- MAX of a number
    first_user BIGINT,       -- FIRST_VALUE of a number
    last_room VARCHAR,       -- LAST_VALUE of a string
    teacher_rows BIGINT,     -- COUNT(*) FILTER (WHERE role = 1)
    student_users BIGINT,    -- COUNT(DISTINCT userId) FILTER (WHERE role = 2)
    busy_room_sum BIGINT     -- SUM(webserverId) FILTER (WHERE roomId = '1000')
) with (
    type = 'RDS',
    tableName = 'wf_tumble_event'
);

-- Sink 2: per 5 minutes and role, windows with at least 2 rows
create table wf_tumble_role (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    window_rowtime TIMESTAMP,
    role TINYINT,
    row_count BIGINT,
    distinct_events BIGINT,
    first_event VARCHAR,
    last_event VARCHAR,
    min_event VARCHAR,
    max_event VARCHAR,
    user_avg BIGINT          -- AVG of a BIGINT: BIGINT, truncated
) with (
    type = 'RDS',
    tableName = 'wf_tumble_role'
);

-- Sink 3: per 15 minutes every 5 minutes and room
create table wf_hop_room (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    room_id VARCHAR,
    row_count BIGINT,
    distinct_users BIGINT,
    role_sum INT,
    max_event VARCHAR,
    min_user BIGINT
) with (
    type = 'RDS',
    tableName = 'wf_hop_room'
);

-- Sink 4: per 30 minutes every 10 minutes and event
create table wf_hop_event (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    window_rowtime TIMESTAMP,
    event VARCHAR,
    row_count BIGINT,
    distinct_rooms BIGINT,
    role_avg_double DOUBLE,
    max_user BIGINT
) with (
    type = 'RDS',
    tableName = 'wf_hop_event'
);

-- Sink 5: sessions of a room (10-minute gap)
create table wf_session_room (
    session_start TIMESTAMP,
    session_end TIMESTAMP,
    room_id VARCHAR,
    row_count BIGINT,
    distinct_users BIGINT,
    min_event VARCHAR,
    max_event VARCHAR,
    role_sum INT,
    max_user BIGINT
) with (
    type = 'RDS',
    tableName = 'wf_session_room'
);

-- Sink 6: cumulating windows per role: [s, s+5), [s, s+10), [s, s+15) minutes
create table wf_cumulate_role (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    role TINYINT,
    row_count BIGINT,
    distinct_users BIGINT,
    max_user BIGINT,
    webserver_sum BIGINT
) with (
    type = 'RDS',
    tableName = 'wf_cumulate_role'
);

-- Sink 7: per 10 minutes and role, from the per-minute counts
create table wf_cascade_role (
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    role TINYINT,
    active_minutes BIGINT,   -- minutes with at least one row
    row_count BIGINT,        -- SUM of the per-minute counts
    max_per_minute BIGINT,   -- MAX of the per-minute counts
    first_minute TIMESTAMP   -- MIN of the minutes' starts
) with (
    type = 'RDS',
    tableName = 'wf_cascade_role'
);

insert into wf_tumble_event
select
    TUMBLE_START(time_stamp, INTERVAL '10' MINUTE) as window_start,
    TUMBLE_END(time_stamp, INTERVAL '10' MINUTE) as window_end,
    TUMBLE_ROWTIME(time_stamp, INTERVAL '10' MINUTE) as window_rowtime,
    event,
    COUNT(*) as row_count,
    COUNT(userId) as user_count,
    COUNT(DISTINCT userId) as distinct_users,
    SUM(webserverId) as webserver_sum,
    SUM(CAST(role AS INT)) as role_sum,
    AVG(role) as role_avg,
    AVG(CAST(webserverId AS INT)) as webserver_avg,
    AVG(CAST(role AS DOUBLE)) as role_avg_double,
    SUM(CAST(role AS DOUBLE)) as role_sum_double,
    MIN(roomId) as min_room,
    MAX(roomId) as max_room,
    MAX(CAST(userId - 50000 AS VARCHAR)) as max_user_text,
    MIN(userId) as min_user,
    MAX(userId) as max_user,
    FIRST_VALUE(userId) as first_user,
    LAST_VALUE(roomId) as last_room,
    COUNT(*) FILTER (WHERE role = 1) as teacher_rows,
    COUNT(DISTINCT userId) FILTER (WHERE role = 2) as student_users,
    SUM(webserverId) FILTER (WHERE roomId = '1000') as busy_room_sum
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '10' MINUTE), event;

insert into wf_tumble_role
select
    TUMBLE_START(time_stamp, INTERVAL '5' MINUTE) as window_start,
    TUMBLE_END(time_stamp, INTERVAL '5' MINUTE) as window_end,
    TUMBLE_ROWTIME(time_stamp, INTERVAL '5' MINUTE) as window_rowtime,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT event) as distinct_events,
    FIRST_VALUE(event) as first_event,
    LAST_VALUE(event) as last_event,
    MIN(event) as min_event,
    MAX(event) as max_event,
    AVG(userId) as user_avg
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '5' MINUTE), role
HAVING COUNT(*) >= 2;

insert into wf_hop_room
select
    HOP_START(time_stamp, INTERVAL '5' MINUTE, INTERVAL '15' MINUTE) as window_start,
    HOP_END(time_stamp, INTERVAL '5' MINUTE, INTERVAL '15' MINUTE) as window_end,
    roomId as room_id,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    SUM(CAST(role AS INT)) as role_sum,
    MAX(event) as max_event,
    MIN(userId) as min_user
FROM timeline_analysis_student_mashup_stream
GROUP BY HOP(time_stamp, INTERVAL '5' MINUTE, INTERVAL '15' MINUTE), roomId;

insert into wf_hop_event
select
    HOP_START(time_stamp, INTERVAL '10' MINUTE, INTERVAL '30' MINUTE) as window_start,
    HOP_END(time_stamp, INTERVAL '10' MINUTE, INTERVAL '30' MINUTE) as window_end,
    HOP_ROWTIME(time_stamp, INTERVAL '10' MINUTE, INTERVAL '30' MINUTE) as window_rowtime,
    event,
    COUNT(*) as row_count,
    COUNT(DISTINCT roomId) as distinct_rooms,
    AVG(CAST(role AS DOUBLE)) as role_avg_double,
    MAX(userId) as max_user
FROM timeline_analysis_student_mashup_stream
GROUP BY HOP(time_stamp, INTERVAL '10' MINUTE, INTERVAL '30' MINUTE), event;

insert into wf_session_room
select
    SESSION_START(time_stamp, INTERVAL '10' MINUTE) as session_start,
    SESSION_END(time_stamp, INTERVAL '10' MINUTE) as session_end,
    roomId as room_id,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    MIN(event) as min_event,
    MAX(event) as max_event,
    SUM(CAST(role AS INT)) as role_sum,
    MAX(userId) as max_user
FROM timeline_analysis_student_mashup_stream
GROUP BY SESSION(time_stamp, INTERVAL '10' MINUTE), roomId;

insert into wf_cumulate_role
select
    HOP_START(time_stamp, INTERVAL '15' MINUTE, INTERVAL '5' MINUTE) as window_start,
    HOP_END(time_stamp, INTERVAL '15' MINUTE, INTERVAL '5' MINUTE) as window_end,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    MAX(userId) as max_user,
    SUM(webserverId) as webserver_sum
FROM timeline_analysis_student_mashup_stream
GROUP BY HOP(time_stamp, INTERVAL '15' MINUTE, INTERVAL '5' MINUTE), role;

insert into wf_cumulate_role
select
    HOP_START(time_stamp, INTERVAL '15' MINUTE, INTERVAL '10' MINUTE) as window_start,
    HOP_END(time_stamp, INTERVAL '15' MINUTE, INTERVAL '10' MINUTE) as window_end,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    MAX(userId) as max_user,
    SUM(webserverId) as webserver_sum
FROM timeline_analysis_student_mashup_stream
GROUP BY HOP(time_stamp, INTERVAL '15' MINUTE, INTERVAL '10' MINUTE), role;

insert into wf_cumulate_role
select
    TUMBLE_START(time_stamp, INTERVAL '15' MINUTE) as window_start,
    TUMBLE_END(time_stamp, INTERVAL '15' MINUTE) as window_end,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    MAX(userId) as max_user,
    SUM(webserverId) as webserver_sum
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '15' MINUTE), role;

-- per-minute counts per role; minute_rowtime is the window's rowtime (end - 1 ms)
create view minute_counts as
select
    TUMBLE_START(time_stamp, INTERVAL '1' MINUTE) as minute_start,
    TUMBLE_ROWTIME(time_stamp, INTERVAL '1' MINUTE) as minute_rowtime,
    role,
    COUNT(*) as cnt
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '1' MINUTE), role;

insert into wf_cascade_role
select
    TUMBLE_START(minute_rowtime, INTERVAL '10' MINUTE) as window_start,
    TUMBLE_END(minute_rowtime, INTERVAL '10' MINUTE) as window_end,
    role,
    COUNT(*) as active_minutes,
    SUM(cnt) as row_count,
    MAX(cnt) as max_per_minute,
    MIN(minute_start) as first_minute
FROM minute_counts
GROUP BY TUMBLE(minute_rowtime, INTERVAL '10' MINUTE), role;
