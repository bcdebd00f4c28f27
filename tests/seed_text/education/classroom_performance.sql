-- Seed text (logic defects kept): Live-class performance per minute
-- Seed: 000_4bc512f899725f26.txt, section 学生在线 (直播) 课程课堂表现统计
-- Repaired only so that it parses: the source DDL is missing from the scan except its
-- WATERMARK line -> the reconstruction of examples/education/classroom_performance.sql is
-- used (webserverId derived from roomId is a choice made there); em-dash comment; `...`
-- removed; OCR `webserver id`.
-- Defects still in this text: none found (valid input; a positive parse/bind case).

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

-- Sink: per-minute operation counts (append-only)
create table timeline_signal_analysis_mysql (
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    webserver_id BIGINT,
    user_id BIGINT,
    role TINYINT,
    event VARCHAR,
    event_count BIGINT,
    create_time TIMESTAMP
) with (
    type = 'RDS',
    tableName = 'timeline_signal_analysis'
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
    CURRENT_TIMESTAMP as create_time
FROM timeline_analysis_student_mashup_stream
GROUP BY TUMBLE(time_stamp, INTERVAL '1' MINUTE),
    userId,
    webserverId,
    role,
    event;
