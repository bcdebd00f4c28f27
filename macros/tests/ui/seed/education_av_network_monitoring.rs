// The seed's own text of `education/av_network_monitoring` (tests/seed_text/education/av_network_monitoring.sql): invalid SQL kept as
// written, so the error a user of the original job meets stays tested.
mod job {
    streamsql_macros::stream_sql!(r##"
-- Seed text (logic defects kept): Live-class audio and video network monitoring
-- Seed: 000_4bc512f899725f26.txt, sections 直播课程(音频)网络监控 and 直播课程(视频)网络监控
-- Repaired only so that it parses: OCR (`gos_agora_record_kafka` -> qos_agora_record_kafka
-- so the queries' table name resolves, `JSON VALUE`, `TUMBLE END`, `end time`, `event sum`),
-- cut-off lines completed (`as BI` -> as BIGINT, `web_ser` -> web_server_id, the nested
-- agora_* chains), cut em-dash comment and trailing comma removed.
-- Defects still in this text:
--   1. (accepted) messageCreateTime is an epoch-millis BIGINT used as the WATERMARK/TUMBLE
--      rowtime; streamsql supports that in Blink jobs, so it is not a defect here.
--   2. CASE WHEN classroomId IS NULL THEN -1 ELSE classroomId END: INT and VARCHAR branches
--      (in both INSERTs).
--   3. Video INSERT selects userId (as user_id) without grouping by it.
--   4. AVG over BIGINT columns into the DOUBLE column event_avg: integer (truncated)
--      average (runs; lint candidate).

-- Source: live-class audio/video QoS records
-- {"classroom_id", "user_type", "user_id", "agora_channel_id", "event",
--  "agora_videoState": {"fr", "uid"}, "agora_audioState": {"lost", "uid"}, "messageCreateTime"}
create table qos_agora_record_kafka (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    -- live classroom ID
    `classroomId` as cast(JSON_VALUE(`message`, '$.classroom_id') as VARCHAR),
    -- user type
    `userType` as cast(JSON_VALUE(`message`, '$.user_type') as VARCHAR),
    -- user ID
    `userId` as cast(JSON_VALUE(`message`, '$.user_id') as BIGINT),
    -- channel ID
    `agoraChannelId` as cast(JSON_VALUE(`message`, '$.agora_channel_id') as BIGINT),
    -- event
    `event` as cast(JSON_VALUE(`message`, '$.event') as VARCHAR),
    -- video fault record
    `agoraVideoStateFr` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.agora_videoState') as VARCHAR), '$.fr') as BIGINT),
    -- video fault unique ID
    `agoraVideoStateUid` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.agora_videoState') as VARCHAR), '$.uid') as BIGINT),
    -- audio loss record
    `agoraAudioStateLost` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.agora_audioState') as VARCHAR), '$.lost') as BIGINT),
    -- audio loss unique ID
    `agoraAudioStateUid` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.agora_audioState') as VARCHAR), '$.uid') as BIGINT),
    -- event time
    `messageCreateTime` as cast(JSON_VALUE(`message`, '$.messageCreateTime') as BIGINT),
    WATERMARK wk FOR messageCreateTime AS WITHOFFSET(messageCreateTime, 60000)
) with (
    type = 'kafka011',
    topic = 'agora_record'
);

-- Sink: 30 s audio/video quality per user and stream (append-only)
create table user_av_mysql (
    -- window start
    start_time TIMESTAMP,
    -- window end
    end_time TIMESTAMP,
    -- user ID
    user_id BIGINT,
    web_server_id BIGINT,
    -- live classroom ID
    classroom_id VARCHAR,
    -- user type
    user_type VARCHAR,
    extra_uid BIGINT,
    event VARCHAR,
    -- sum of the fault values
    event_sum BIGINT,
    -- average fault value
    event_avg DOUBLE,
    -- number of fault records
    event_count BIGINT,
    create_time TIMESTAMP
) with (
    type = 'rds',
    tableName = 'user_av_record'
);

-- live class audio network monitoring
insert into user_av_mysql
select
    TUMBLE_START(messageCreateTime, INTERVAL '30' SECOND) as start_time,
    TUMBLE_END(messageCreateTime, INTERVAL '30' SECOND) as end_time,
    CASE WHEN `userId` is NULL THEN -1 else userId END as user_id,
    CASE WHEN `agoraChannelId` is NULL THEN -1 else agoraChannelId END as web_server_id,
    CASE WHEN `classroomId` is NULL THEN -1 else classroomId END as classroom_id,
    userType as user_type,
    agoraAudioStateUid as extra_uid,
    CONCAT(event, '_AUDIO_STATE') as event,
    SUM(agoraAudioStateLost) as event_sum,
    AVG(agoraAudioStateLost) as event_avg,
    COUNT(event) as event_count,
    CURRENT_TIMESTAMP as create_time
FROM qos_agora_record_kafka
WHERE agoraAudioStateLost >= 0 AND userType = 'student'
GROUP BY TUMBLE(messageCreateTime, INTERVAL '30' SECOND),
    userId,
    agoraChannelId,
    classroomId,
    userType,
    event,
    agoraAudioStateUid;

-- live class video network monitoring
insert into user_av_mysql
select
    TUMBLE_START(messageCreateTime, INTERVAL '30' SECOND) as start_time,
    TUMBLE_END(messageCreateTime, INTERVAL '30' SECOND) as end_time,
    CASE WHEN `userId` is NULL THEN -1 else userId END as user_id,
    CASE WHEN `agoraChannelId` is NULL THEN -1 else agoraChannelId END as web_server_id,
    CASE WHEN `classroomId` is NULL THEN -1 else classroomId END as classroom_id,
    userType as user_type,
    agoraVideoStateUid as extra_uid,
    CONCAT(event, '_VIDEO_STATE') as event,
    SUM(agoraVideoStateFr) as event_sum,
    AVG(agoraVideoStateFr) as event_avg,
    COUNT(event) as event_count,
    CURRENT_TIMESTAMP as create_time
FROM qos_agora_record_kafka
WHERE agoraVideoStateFr >= 0 AND userType = 'student'
GROUP BY TUMBLE(messageCreateTime, INTERVAL '30' SECOND),
    agoraChannelId,
    classroomId,
    userType,
    event,
    agoraVideoStateUid;
"##);
}

fn main() {
    let _ = job::Job.info();
}
