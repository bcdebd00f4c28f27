-- Flink 2.3 version of offline_study_time.sql for the differential harness
-- qos_log_kafka: Kafka source (type = 'kafka011') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING; messageKey/topic/partition/offset dropped (unused)
-- nested Blink chains JSON_VALUE(cast(JSON_VALUE(`message`, '$.extra') as VARCHAR), '$.data_time') -> one path '$.extra.data_time' (likewise '$.extra.msg.index')
-- cast(<JSON text> as BIGINT) -> TRY_CAST: Blink's CAST yields NULL on a malformed value, Flink 2.3's CAST fails the job
-- Blink TO_TIMESTAMP(a.eventTime) (epoch ms) -> CAST(TO_TIMESTAMP_LTZ(a.eventTime, 3) AS TIMESTAMP(3)) (the runner sets table.local-time-zone = UTC)
-- Blink CURRENT_TIMESTAMP (TIMESTAMP) -> CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) (Flink's is TIMESTAMP_LTZ(3)); sink TIMESTAMP columns -> TIMESTAMP(3)
-- user_enter_classroom_take_time_mysql: RDS sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only: keep-first dedup + inner join of append-only inputs)
-- Placeholders: ${input.qos_log_kafka}, ${output.user_enter_classroom_take_time_mysql}

-- State TTL as in the Blink job (36 h). While a TTL is set, Flink re-emits an unchanged
-- aggregate result (-U/+U of the same row) to refresh downstream state; streamsql does
-- too, except into a keyed store, where it changes nothing. The folded results are the same.
SET 'table.exec.state.ttl' = '36 h';

-- Source: recorded-class QoS log {"classroom_id", "user_type", "user_id", "event_time",
-- "sub_event", "extra": {"data_time", "msg": {"index"}}} (the seed's sample is missing;
-- paths follow the column names, see the Blink file's header)
create table qos_log_kafka (
    `message` STRING,
    -- (recorded) classroom ID
    `classroomId` as cast(JSON_VALUE(`message`, '$.classroom_id') as VARCHAR),
    -- user type
    `userType` as cast(JSON_VALUE(`message`, '$.user_type') as VARCHAR),
    -- user ID
    `userId` as TRY_CAST(JSON_VALUE(`message`, '$.user_id') as BIGINT),
    -- event time (epoch ms)
    `eventTime` as TRY_CAST(JSON_VALUE(`message`, '$.event_time') as BIGINT),
    -- sub-event
    `subEvent` as cast(JSON_VALUE(`message`, '$.sub_event') as VARCHAR),
    -- PPT play time (epoch ms)
    `extraDataTime` as TRY_CAST(cast(JSON_VALUE(`message`, '$.extra.data_time') as VARCHAR) as BIGINT),
    -- PPT page index
    `extraMsgIndex` as cast(JSON_VALUE(`message`, '$.extra.msg.index') as VARCHAR),
    -- processing time: orders the keep-first dedup below
    proc_time as PROCTIME()
) with (
    'connector' = 'filesystem',
    'path' = '${input.qos_log_kafka}',
    'format' = 'raw'
);

-- Sink: time from entering the recorded classroom to finishing the courseware
create table user_enter_classroom_take_time_mysql (
    user_id BIGINT,
    classroom_id VARCHAR,
    user_type VARCHAR,
    spend_time BIGINT,
    event_time TIMESTAMP(3),
    create_time TIMESTAMP(3)
) with (
    'connector' = 'filesystem',
    'path' = '${output.user_enter_classroom_take_time_mysql}',
    'format' = 'json'
);

-- completion events
CREATE VIEW qos_log_kafka_view AS
SELECT
    `userId`,
    `classroomId`,
    `userType`,
    `eventTime`,
    subEvent,
    `extraDataTime`
FROM qos_log_kafka
WHERE subEvent = 'PPT_SUCCESS';

-- first event of each student in each recorded classroom (keep-first dedup on
-- processing time): the moment the student started playing the courseware
CREATE VIEW qos_log_kafka_first_view AS
SELECT `userId`, `classroomId`, `userType`, `eventTime`, `extraDataTime`
FROM (
    SELECT `userId`, `classroomId`, `userType`, `eventTime`, `extraDataTime`,
        ROW_NUMBER() OVER (PARTITION BY `userId`, `classroomId` ORDER BY proc_time ASC) AS rownum
    FROM qos_log_kafka
    WHERE `extraDataTime` IS NOT NULL
)
WHERE rownum = 1;

insert into user_enter_classroom_take_time_mysql
SELECT
    a.userId,
    a.classroomId,
    a.userType,
    b.extraDataTime - a.extraDataTime, -- milliseconds
    CAST(TO_TIMESTAMP_LTZ(a.eventTime, 3) AS TIMESTAMP(3)),
    CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3))
FROM qos_log_kafka_first_view a
JOIN qos_log_kafka_view b ON a.userId = b.userId AND a.classroomId = b.classroomId
WHERE a.extraDataTime < b.extraDataTime;
