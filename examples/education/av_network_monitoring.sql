-- Job: Live-class audio and video network monitoring (seed: 直播课程(音频)网络监控 + 直播课程(视频)网络监控, 场景三: 运维/网络监控)
-- Source: 000_4bc512f899725f26.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: per 30 s event-time tumbling window and per (user, channel, classroom,
--   user type, event, stream uid), the sum, average and count of students' audio packet
--   loss and video fault values; both INSERTs write the RDS table user_av_record.
-- Repairs (seed text -> this file):
--   1. Source table name: `gos_agora_record_kafka` in the DDL vs `qos_agora_record_kafka`
--      in both queries -> qos_agora_record_kafka everywhere (q/g OCR confusion; "qos" =
--      quality of service, as in the seed's qos_log_kafka).
--   2. Source DDL lines cut at the page edge -> completed: agoraChannelId `as BIGINT`,
--      the four nested agora_videoState / agora_audioState chains ($.fr, $.uid, $.lost,
--      $.uid, cast to BIGINT: the sink stores their SUM in BIGINT and the uid in
--      extra_uid BIGINT), messageCreateTime; OCR `JSON VALUE` -> JSON_VALUE; JSON sample
--      keys `user id` -> user_id, `agora videoState` -> agora_videoState.
--   3. (not a repair) messageCreateTime stays an epoch-millis BIGINT rowtime: Blink's
--      WITHOFFSET watermark accepts it, and streamsql supports BIGINT rowtimes in Blink jobs.
--   4. WATERMARK line ended with a cut em-dash comment `-` -> removed; source WITH clause
--      was cut (no closing options) -> ends after topic; sink WITH: trailing comma removed.
--   5. Sink DDL comment `---用户 ID` -> `-- user ID`.
--   6. Both INSERTs: `... as web_ser` cut -> `as web_server_id`.
--   7. Both INSERTs: `CASE WHEN classroomId is NULL THEN -1 else classroomId END` mixes INT
--      and VARCHAR (Blink cast implicitly; strict typing rejects the CASE) -> THEN '-1'.
--   8. Both INSERTs: AVG(<BIGINT>) is a BIGINT average (truncated) while the sink's
--      event_avg is DOUBLE ("异常平均值") -> AVG(CAST(x AS DOUBLE)).
--   9. Video INSERT: OCR `TUMBLE END` -> TUMBLE_END, `end time` -> end_time,
--      `event sum` -> event_sum.
--  10. Video INSERT: selects userId (user_id) but did not group by it (invalid SQL; the
--      prose groups by userId, agoraChannelId, classroomId, userType, event and the uid)
--      -> userId added to its GROUP BY, as in the audio INSERT.

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
    CASE WHEN `classroomId` is NULL THEN '-1' else classroomId END as classroom_id,
    userType as user_type,
    agoraAudioStateUid as extra_uid,
    CONCAT(event, '_AUDIO_STATE') as event,
    SUM(agoraAudioStateLost) as event_sum,
    AVG(CAST(agoraAudioStateLost AS DOUBLE)) as event_avg,
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
    CASE WHEN `classroomId` is NULL THEN '-1' else classroomId END as classroom_id,
    userType as user_type,
    agoraVideoStateUid as extra_uid,
    CONCAT(event, '_VIDEO_STATE') as event,
    SUM(agoraVideoStateFr) as event_sum,
    AVG(CAST(agoraVideoStateFr AS DOUBLE)) as event_avg,
    COUNT(event) as event_count,
    CURRENT_TIMESTAMP as create_time
FROM qos_agora_record_kafka
WHERE agoraVideoStateFr >= 0 AND userType = 'student'
GROUP BY TUMBLE(messageCreateTime, INTERVAL '30' SECOND),
    userId,
    agoraChannelId,
    classroomId,
    userType,
    event,
    agoraVideoStateUid;
