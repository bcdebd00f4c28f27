-- Flink 2.3 version of classroom_performance.sql for the differential harness
-- timeline_analysis_student_mashup_stream: Kafka source (type = 'kafka011') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- cast(JSON_VALUE(...) as BIGINT / TINYINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- time_stamp: Blink TO_TIMESTAMP(epoch ms) -> CAST(TO_TIMESTAMP_LTZ(epoch ms, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- WATERMARK wk FOR time_stamp AS WITHOFFSET(time_stamp, 0) -> WATERMARK FOR time_stamp AS time_stamp - INTERVAL '0' SECOND
-- Blink CURRENT_TIMESTAMP (TIMESTAMP) -> CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) (Flink's is TIMESTAMP_LTZ(3)); sink TIMESTAMP columns -> TIMESTAMP(3)
-- timeline_signal_analysis_mysql: RDS sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only window result)
-- Placeholders: ${input.timeline_analysis_student_mashup_stream}, ${output.timeline_signal_analysis_mysql}

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

-- Sink: per-minute operation counts (append-only)
create table timeline_signal_analysis_mysql (
    start_time TIMESTAMP(3),
    end_time TIMESTAMP(3),
    webserver_id BIGINT,
    user_id BIGINT,
    role TINYINT,
    event VARCHAR,
    event_count BIGINT,
    create_time TIMESTAMP(3)
) with (
    'connector' = 'filesystem',
    'path' = '${output.timeline_signal_analysis_mysql}',
    'format' = 'json'
);

insert into timeline_signal_analysis_mysql
select
    TUMBLE_START(time_stamp, INTERVAL '1' MINUTE) as start_time,
    TUMBLE_END(time_stamp, INTERVAL '1' MINUTE) as end_time,
    webserverId as webserver_id,
    userId as user_id,
    role as role,
    event as event,
    COUNT(event) as event_count,
    CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) as create_time
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '1' MINUTE),
    userId,
    webserverId,
    role,
    event;
