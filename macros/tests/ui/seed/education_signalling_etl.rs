// The seed's own text of `education/signalling_etl` (tests/seed_text/education/signalling_etl.sql): invalid SQL kept as
// written, so the error a user of the original job meets stays tested.
mod job {
    streamsql_macros::stream_sql!(r##"
-- Seed text (logic defects kept): Student operation signalling ETL
-- Seed: 000_4bc512f899725f26.txt, section 学生操作日志 ETL 清洗 (分析学生操作在线信令日志)
-- Repaired only so that it parses: cut-off computed columns and CONCAT builders
-- reconstructed (from the input/output JSON samples), OCR (`JSON VALUE`, `time stamp`,
-- `msg msgType`, group.id spaces), `...` removed, split code blocks rejoined.
-- Defects still in this text:
--   1. CONCAT(..., NOW()*1000, ...): a BIGINT argument to CONCAT, which takes strings only
--      (Blink converted it implicitly; Flink's type check rejects it).
--   2. CONCAT over nullable fields (createTime, userid, targetId, subAction, pageIndex...):
--      one missing JSON field makes the whole Kafka value NULL.
--   3. The "event" values are not in the seed (cut off); the constants here are the ones
--      chosen for examples/education/signalling_etl.sql.

-- Source: raw client signalling log (multi-level JSON), see the input sample in the seed:
-- {"createTime", "data": {"userid", "roomid", "timestamp", "role", "msgid",
--   "msg": {"msgtype", "msg_data": {"target_id", "target_type", "action", "sub_action", "page_index"}}}}
create table timeline_analysis_student_stream (
    messageKey VARBINARY,
    `message` VARBINARY,
    topic VARCHAR,
    `partition` INT,
    `offset` BIGINT,
    -- event time
    `createTime` as cast(JSON_VALUE(`message`, '$.createTime') as VARCHAR),
    -- user ID
    `userid` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.userid') as VARCHAR),
    -- classroom ID
    `roomid` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.roomid') as VARCHAR),
    -- operation time
    `time_stamp` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.timestamp') as VARCHAR),
    -- role
    `role` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.role') as VARCHAR),
    -- message ID
    `msgid` as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msgid') as VARCHAR),
    -- message type
    `msg_msgType` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msgtype') as VARCHAR),
    -- message target ID
    `msg_msgData_targetId` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msg_data') as VARCHAR), '$.target_id') as VARCHAR),
    -- message target type
    `msg_msgData_targetType` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msg_data') as VARCHAR), '$.target_type') as VARCHAR),
    -- student action
    `msg_msgData_action` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msg_data') as VARCHAR), '$.action') as VARCHAR),
    -- student sub-action
    `msg_msgData_subAction` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msg_data') as VARCHAR), '$.sub_action') as VARCHAR),
    -- PPT page index
    `msg_msgData_pageIndex` as cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.msg') as VARCHAR), '$.msg_data') as VARCHAR), '$.page_index') as VARCHAR)
) with (
    type = 'kafka011',
    topic = 'timeline_client_topic',
    `group.id` = 'timeline-analysis-student-consumer'
);

-- Sink: cleaned single-level JSON, one message per scored student operation
create table signal_student_classroom_internation (
    messageKey VARBINARY,
    `message` VARBINARY,
    PRIMARY KEY (messageKey)
) with (
    type = 'kafka011',
    topic = 'timeline_analysis_student'
);

-- move a picture (word classification exercise)
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "PICTURE_MOVE" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetType = 'shape' AND
  msg_msgData_action = 'move';

-- hover over a picture (pronunciation)
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "PICTURE_HOVER" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetType = 'shape' AND
  msg_msgData_action = 'mouse' AND
  msg_msgData_subAction = 'over';

-- draw a line (picture/word matching exercise)
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "LINE_DRAW" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetType = 'shape' AND
  msg_msgData_action = 'add';

-- play the courseware audio
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "AUDIO_START" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetType = 'template' AND
  msg_msgData_action = 'audio' AND
  msg_msgData_subAction = 'start';

-- pause the courseware audio
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "AUDIO_PAUSE" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetType = 'template' AND
  msg_msgData_action = 'audio' AND
  msg_msgData_subAction = 'pause';

-- picture/word match result: wrong
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "MATCH_WRONG" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetId = 'match' AND
  msg_msgData_targetType = 'template' AND
  msg_msgData_action = 'match' AND
  msg_msgData_subAction = 'drop:wrong';

-- picture/word match result: correct
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', createTime,
    '", "timeStamp": ', NOW()*1000,
    ', "messageTimeStamp": "', time_stamp,
    '", "userId": "', userid,
    '", "roomId": "', roomid,
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', msg_msgData_targetId,
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', msg_msgData_subAction,
    '", "pageIndex": "', msg_msgData_pageIndex,
    '", "event": "MATCH_CORRECT" }'
  ) as VARBINARY) as message
FROM timeline_analysis_student_stream
WHERE
  msgid = '305' AND
  msg_msgType = '116' AND
  role = '2' AND
  msg_msgData_targetId = 'match' AND
  msg_msgData_targetType = 'template' AND
  msg_msgData_action = 'match' AND
  msg_msgData_subAction = 'drop:correct';
"##);
}

fn main() {
    let _ = job::Job.info();
}
