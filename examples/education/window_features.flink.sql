-- Flink 2.3 version of window_features.sql for the differential harness
-- timeline_analysis_student_mashup_stream: as in classroom_performance.flink.sql: Kafka source (type = 'kafka011') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- cast(JSON_VALUE(...) as BIGINT / TINYINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- time_stamp: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- WATERMARK wk FOR time_stamp AS WITHOFFSET(time_stamp, 0) -> WATERMARK FOR time_stamp AS time_stamp - INTERVAL '0' SECOND
-- sink TIMESTAMP columns -> TIMESTAMP(3); the seven RDS sinks -> 'connector' = 'filesystem', 'format' = 'json' (append-only window results)
-- wf_tumble_event, wf_hop_room, wf_session_room: the same group windows as the Blink job (TUMBLE/HOP/SESSION with their _START/_END/_ROWTIME)
-- wf_tumble_role: GROUP BY TUMBLE(time_stamp, 5 min), role -> window TVF TABLE(TUMBLE(TABLE ..., DESCRIPTOR(time_stamp), 5 min)) GROUP BY window_start, window_end, window_time, role (TUMBLE_START/_END/_ROWTIME -> window_start/window_end/window_time); HAVING kept
-- wf_hop_event: GROUP BY HOP(time_stamp, 10 min, 30 min), event -> window TVF TABLE(HOP(TABLE ..., DESCRIPTOR(time_stamp), 10 min, 30 min)) (HOP_ROWTIME -> window_time)
-- wf_cumulate_role: the three Blink INSERTs with HOP(15 min, 5 min), HOP(15 min, 10 min) and TUMBLE(15 min) -> one INSERT with window TVF TABLE(CUMULATE(TABLE ..., DESCRIPTOR(time_stamp), 5 min, 15 min)), the windows [s, s+5), [s, s+10), [s, s+15) of every 15-minute period s
-- wf_cascade_role: view minute_counts GROUP BY TUMBLE(time_stamp, 1 min) with TUMBLE_ROWTIME -> TABLE(TUMBLE(...)) with window_time; the 10-minute window over it GROUP BY TUMBLE(minute_rowtime, 10 min) -> TABLE(TUMBLE(TABLE minute_counts, DESCRIPTOR(minute_rowtime), 10 min))
-- Placeholders: ${input.timeline_analysis_student_mashup_stream}, ${output.wf_tumble_event}, ${output.wf_tumble_role}, ${output.wf_hop_room}, ${output.wf_hop_event}, ${output.wf_session_room}, ${output.wf_cumulate_role}, ${output.wf_cascade_role}

-- Source: output of the signalling ETL job (topic timeline_analysis_student), one
-- single-level JSON per scored operation: {"userId", "roomId", "role", "event", "timeStamp", ...}
-- timeStamp is epoch milliseconds (written by the ETL as NOW()*1000).
create table timeline_analysis_student_mashup_stream (
    `message` STRING,
    -- user ID
    `userId` as TRY_CAST(JSON_VALUE(`message`, '$.userId') as BIGINT),
    -- classroom (live room) ID
    `roomId` as cast(JSON_VALUE(`message`, '$.roomId') as VARCHAR),
    -- web server ID: the live room the student is connected to (= roomId as a number)
    `webserverId` as TRY_CAST(JSON_VALUE(`message`, '$.roomId') as BIGINT),
    -- role
    `role` as TRY_CAST(JSON_VALUE(`message`, '$.role') as TINYINT),
    -- scored operation
    `event` as cast(JSON_VALUE(`message`, '$.event') as VARCHAR),
    -- event time
    `time_stamp` as CAST(TO_TIMESTAMP_LTZ(TRY_CAST(JSON_VALUE(`message`, '$.timeStamp') as BIGINT), 3) AS TIMESTAMP(3)),
    WATERMARK FOR time_stamp AS time_stamp - INTERVAL '0' SECOND -- watermark for the rowtime
) with (
    'connector' = 'filesystem',
    'path' = '${input.timeline_analysis_student_mashup_stream}',
    'format' = 'raw'
);

-- Sink 1: per 10 minutes and event
create table wf_tumble_event (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    window_rowtime TIMESTAMP(3),
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
    'connector' = 'filesystem',
    'path' = '${output.wf_tumble_event}',
    'format' = 'json'
);

-- Sink 2: per 5 minutes and role, windows with at least 2 rows
create table wf_tumble_role (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    window_rowtime TIMESTAMP(3),
    role TINYINT,
    row_count BIGINT,
    distinct_events BIGINT,
    first_event VARCHAR,
    last_event VARCHAR,
    min_event VARCHAR,
    max_event VARCHAR,
    user_avg BIGINT          -- AVG of a BIGINT: BIGINT, truncated
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_tumble_role}',
    'format' = 'json'
);

-- Sink 3: per 15 minutes every 5 minutes and room
create table wf_hop_room (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    room_id VARCHAR,
    row_count BIGINT,
    distinct_users BIGINT,
    role_sum INT,
    max_event VARCHAR,
    min_user BIGINT
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_hop_room}',
    'format' = 'json'
);

-- Sink 4: per 30 minutes every 10 minutes and event
create table wf_hop_event (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    window_rowtime TIMESTAMP(3),
    event VARCHAR,
    row_count BIGINT,
    distinct_rooms BIGINT,
    role_avg_double DOUBLE,
    max_user BIGINT
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_hop_event}',
    'format' = 'json'
);

-- Sink 5: sessions of a room (10-minute gap)
create table wf_session_room (
    session_start TIMESTAMP(3),
    session_end TIMESTAMP(3),
    room_id VARCHAR,
    row_count BIGINT,
    distinct_users BIGINT,
    min_event VARCHAR,
    max_event VARCHAR,
    role_sum INT,
    max_user BIGINT
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_session_room}',
    'format' = 'json'
);

-- Sink 6: cumulating windows per role: [s, s+5), [s, s+10), [s, s+15) minutes
create table wf_cumulate_role (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    role TINYINT,
    row_count BIGINT,
    distinct_users BIGINT,
    max_user BIGINT,
    webserver_sum BIGINT
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_cumulate_role}',
    'format' = 'json'
);

-- Sink 7: per 10 minutes and role, from the per-minute counts
create table wf_cascade_role (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    role TINYINT,
    active_minutes BIGINT,   -- minutes with at least one row
    row_count BIGINT,        -- SUM of the per-minute counts
    max_per_minute BIGINT,   -- MAX of the per-minute counts
    first_minute TIMESTAMP(3)   -- MIN of the minutes' starts
) with (
    'connector' = 'filesystem',
    'path' = '${output.wf_cascade_role}',
    'format' = 'json'
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
    window_start,
    window_end,
    window_time as window_rowtime,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT event) as distinct_events,
    FIRST_VALUE(event) as first_event,
    LAST_VALUE(event) as last_event,
    MIN(event) as min_event,
    MAX(event) as max_event,
    AVG(userId) as user_avg
FROM TABLE(TUMBLE(TABLE timeline_analysis_student_mashup_stream, DESCRIPTOR(time_stamp), INTERVAL '5' MINUTE))
GROUP BY window_start, window_end, window_time, role
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
    window_start,
    window_end,
    window_time as window_rowtime,
    event,
    COUNT(*) as row_count,
    COUNT(DISTINCT roomId) as distinct_rooms,
    AVG(CAST(role AS DOUBLE)) as role_avg_double,
    MAX(userId) as max_user
FROM TABLE(HOP(TABLE timeline_analysis_student_mashup_stream, DESCRIPTOR(time_stamp), INTERVAL '10' MINUTE, INTERVAL '30' MINUTE))
GROUP BY window_start, window_end, window_time, event;

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
    window_start,
    window_end,
    role,
    COUNT(*) as row_count,
    COUNT(DISTINCT userId) as distinct_users,
    MAX(userId) as max_user,
    SUM(webserverId) as webserver_sum
FROM TABLE(CUMULATE(TABLE timeline_analysis_student_mashup_stream, DESCRIPTOR(time_stamp), INTERVAL '5' MINUTE, INTERVAL '15' MINUTE))
GROUP BY window_start, window_end, role;

-- per-minute counts per role; minute_rowtime is the window's rowtime (end - 1 ms)
create view minute_counts as
select
    window_start as minute_start,
    window_time as minute_rowtime,
    role,
    COUNT(*) as cnt
FROM TABLE(TUMBLE(TABLE timeline_analysis_student_mashup_stream, DESCRIPTOR(time_stamp), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, role;

insert into wf_cascade_role
select
    window_start,
    window_end,
    role,
    COUNT(*) as active_minutes,
    SUM(cnt) as row_count,
    MAX(cnt) as max_per_minute,
    MIN(minute_start) as first_minute
FROM TABLE(TUMBLE(TABLE minute_counts, DESCRIPTOR(minute_rowtime), INTERVAL '10' MINUTE))
GROUP BY window_start, window_end, role;
