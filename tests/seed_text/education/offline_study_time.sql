-- Seed text (logic defects kept): Recorded-class study time
-- Seed: 000_4bc512f899725f26.txt, section 学生离线 (录播) 课程学习时长统计
-- Repaired only so that it parses: cut-off computed columns extraDataTime / extraMsgIndex
-- reconstructed ($.extra.data_time, $.extra.msg.index), `...` removed, em-dash comment,
-- `</pre>` junk removed.
-- Defects still in this text:
--   1. Self-join with every earlier event: one PPT_SUCCESS row joins all earlier events of
--      the student in the classroom, so it emits N rows with N different spend_time values
--      instead of one row measured from the first play (the prose); a regular join over the
--      raw stream also keeps every event in state forever (no TTL, no interval bound).

-- Source: recorded-class QoS log {"classroom_id", "user_type", "user_id", "event_time",
-- "sub_event", "extra": {"data_time", "msg": {"index"}}} (the seed's sample is missing;
-- paths follow the column names, see the header)
create table qos_log_kafka (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    -- (recorded) classroom ID
    `classroomId` as cast(JSON_VALUE(`message`, '$.classroom_id') as VARCHAR),
    -- user type
    `userType` as cast(JSON_VALUE(`message`, '$.user_type') as VARCHAR),
    -- user ID
    `userId` as cast(JSON_VALUE(`message`, '$.user_id') as BIGINT),
    -- event time (epoch ms)
    `eventTime` as cast(JSON_VALUE(`message`, '$.event_time') as BIGINT),
    -- sub-event
    `subEvent` as cast(JSON_VALUE(`message`, '$.sub_event') as VARCHAR),
    -- PPT play time (epoch ms)
    `extraDataTime` as cast(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.extra') as VARCHAR), '$.data_time') as VARCHAR) as BIGINT),
    -- PPT page index
    `extraMsgIndex` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.extra') as VARCHAR), '$.msg') as VARCHAR), '$.index') as VARCHAR)
) with (
    type = 'kafka011',
    topic = 'qos_log'
);

-- Sink: time from entering the recorded classroom to finishing the courseware
create table user_enter_classroom_take_time_mysql (
    user_id BIGINT,
    classroom_id VARCHAR,
    user_type VARCHAR,
    spend_time BIGINT,
    event_time TIMESTAMP,
    create_time TIMESTAMP
) with (
    type = 'rds',
    tableName = 'user_enter_classroom_take_time'
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

insert into user_enter_classroom_take_time_mysql
SELECT
    a.userId,
    a.classroomId,
    a.userType,
    b.extraDataTime-a.extraDataTime, -- milliseconds
    TO_TIMESTAMP(a.eventTime),
    CURRENT_TIMESTAMP
FROM qos_log_kafka a
JOIN qos_log_kafka_view b ON a.userId=b.userId AND a.classroomId=b.classroomId
WHERE a.extraDataTime<b.extraDataTime;
