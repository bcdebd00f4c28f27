-- Flink 2.3 version of av_network_monitoring.sql for the differential harness
-- qos_agora_record_kafka: Kafka source (type = 'kafka011') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- nested Blink chains JSON_VALUE(cast(JSON_VALUE(`message`, '$.agora_videoState') as VARCHAR), '$.fr') -> one path '$.agora_videoState.fr' (likewise .uid, '$.agora_audioState.lost', .uid)
-- cast(JSON_VALUE(...) as BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- messageCreateTime: epoch-millis BIGINT rowtime -> TIMESTAMP_LTZ(3) computed column TO_TIMESTAMP_LTZ(<epoch ms>, 3) (same name; Flink rowtimes must be TIMESTAMP/TIMESTAMP_LTZ)
-- WATERMARK wk FOR messageCreateTime AS WITHOFFSET(messageCreateTime, 60000) -> messageCreateTime - INTERVAL '60' SECOND
-- TUMBLE_START/TUMBLE_END (TIMESTAMP_LTZ(3) on an LTZ rowtime) -> CAST(... AS TIMESTAMP(3)) for the sink's TIMESTAMP columns (table.local-time-zone = UTC)
-- Blink CURRENT_TIMESTAMP (TIMESTAMP) -> CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) (Flink's is TIMESTAMP_LTZ(3)); sink TIMESTAMP columns -> TIMESTAMP(3)
-- user_av_mysql: RDS sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only window results of both INSERTs)
-- Placeholders: ${input.qos_agora_record_kafka}, ${output.user_av_mysql}

-- Source: live-class audio/video QoS records
-- {"classroom_id", "user_type", "user_id", "agora_channel_id", "event",
--  "agora_videoState": {"fr", "uid"}, "agora_audioState": {"lost", "uid"}, "messageCreateTime"}
create table qos_agora_record_kafka (
    `message` STRING,
    -- live classroom ID
    `classroomId` as cast(JSON_VALUE(`message`, '$.classroom_id') as VARCHAR),
    -- user type
    `userType` as cast(JSON_VALUE(`message`, '$.user_type') as VARCHAR),
    -- user ID
    `userId` as TRY_CAST(JSON_VALUE(`message`, '$.user_id') as BIGINT),
    -- channel ID
    `agoraChannelId` as TRY_CAST(JSON_VALUE(`message`, '$.agora_channel_id') as BIGINT),
    -- event
    `event` as cast(JSON_VALUE(`message`, '$.event') as VARCHAR),
    -- video fault record
    `agoraVideoStateFr` as TRY_CAST(JSON_VALUE(`message`, '$.agora_videoState.fr') as BIGINT),
    -- video fault unique ID
    `agoraVideoStateUid` as TRY_CAST(JSON_VALUE(`message`, '$.agora_videoState.uid') as BIGINT),
    -- audio loss record
    `agoraAudioStateLost` as TRY_CAST(JSON_VALUE(`message`, '$.agora_audioState.lost') as BIGINT),
    -- audio loss unique ID
    `agoraAudioStateUid` as TRY_CAST(JSON_VALUE(`message`, '$.agora_audioState.uid') as BIGINT),
    -- event time (epoch ms in the message)
    `messageCreateTime` as TO_TIMESTAMP_LTZ(TRY_CAST(JSON_VALUE(`message`, '$.messageCreateTime') as BIGINT), 3),
    WATERMARK FOR messageCreateTime AS messageCreateTime - INTERVAL '60' SECOND
) with (
    'connector' = 'filesystem',
    'path' = '${input.qos_agora_record_kafka}',
    'format' = 'raw'
);

-- Sink: 30 s audio/video quality per user and stream (append-only)
create table user_av_mysql (
    -- window start
    start_time TIMESTAMP(3),
    -- window end
    end_time TIMESTAMP(3),
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
    create_time TIMESTAMP(3)
) with (
    'connector' = 'filesystem',
    'path' = '${output.user_av_mysql}',
    'format' = 'json'
);

-- live class audio network monitoring
insert into user_av_mysql
select
    CAST(TUMBLE_START(messageCreateTime, INTERVAL '30' SECOND) AS TIMESTAMP(3)) as start_time,
    CAST(TUMBLE_END(messageCreateTime, INTERVAL '30' SECOND) AS TIMESTAMP(3)) as end_time,
    CASE WHEN `userId` is NULL THEN -1 else userId END as user_id,
    CASE WHEN `agoraChannelId` is NULL THEN -1 else agoraChannelId END as web_server_id,
    CASE WHEN `classroomId` is NULL THEN '-1' else classroomId END as classroom_id,
    userType as user_type,
    agoraAudioStateUid as extra_uid,
    CONCAT(event, '_AUDIO_STATE') as event,
    SUM(agoraAudioStateLost) as event_sum,
    AVG(CAST(agoraAudioStateLost AS DOUBLE)) as event_avg,
    COUNT(event) as event_count,
    CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) as create_time
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
    CAST(TUMBLE_START(messageCreateTime, INTERVAL '30' SECOND) AS TIMESTAMP(3)) as start_time,
    CAST(TUMBLE_END(messageCreateTime, INTERVAL '30' SECOND) AS TIMESTAMP(3)) as end_time,
    CASE WHEN `userId` is NULL THEN -1 else userId END as user_id,
    CASE WHEN `agoraChannelId` is NULL THEN -1 else agoraChannelId END as web_server_id,
    CASE WHEN `classroomId` is NULL THEN '-1' else classroomId END as classroom_id,
    userType as user_type,
    agoraVideoStateUid as extra_uid,
    CONCAT(event, '_VIDEO_STATE') as event,
    SUM(agoraVideoStateFr) as event_sum,
    AVG(CAST(agoraVideoStateFr AS DOUBLE)) as event_avg,
    COUNT(event) as event_count,
    CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) as create_time
FROM qos_agora_record_kafka
WHERE agoraVideoStateFr >= 0 AND userType = 'student'
GROUP BY TUMBLE(messageCreateTime, INTERVAL '30' SECOND),
    userId,
    agoraChannelId,
    classroomId,
    userType,
    event,
    agoraVideoStateUid;
