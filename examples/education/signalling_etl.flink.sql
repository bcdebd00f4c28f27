-- Flink 2.3 version of signalling_etl.sql for the differential harness
-- timeline_analysis_student_stream: Kafka source (type = 'kafka011') -> 'connector' = 'filesystem', 'format' = 'raw' (one line = one Kafka message, non-JSON lines kept); physical column `message` VARBINARY -> STRING
-- topic/partition/offset columns dropped (unused); messageKey (used by the INSERTs and the sink's key) -> computed constant CAST('' AS VARBINARY): the files carry no Kafka keys, and NULL would be dropped by the sink's NOT NULL primary key
-- nested Blink chains JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.userid') -> one path JSON_VALUE(`message`, '$.data.userid') (likewise $.data.msg.msgtype, $.data.msg.msg_data.<key>)
-- Blink NOW() (epoch seconds, BIGINT) -> UNIX_TIMESTAMP()
-- signal_student_classroom_internation: Kafka sink -> 'connector' = 'filesystem', 'format' = 'json' (append-only; VARBINARY columns are written base64-encoded by the json format); PRIMARY KEY ... NOT ENFORCED
-- Placeholders: ${input.timeline_analysis_student_stream}, ${output.signal_student_classroom_internation}

-- Source: raw client signalling log (multi-level JSON), see the input sample in the seed:
-- {"createTime", "data": {"userid", "roomid", "timestamp", "role", "msgid",
--   "msg": {"msgtype", "msg_data": {"target_id", "target_type", "action", "sub_action", "page_index"}}}}
create table timeline_analysis_student_stream (
    `message` STRING,
    -- Kafka message key: not in the input files (see the header)
    messageKey as CAST('' AS VARBINARY),
    -- event time
    `createTime` as cast(JSON_VALUE(`message`, '$.createTime') as VARCHAR),
    -- user ID
    `userid` as cast(JSON_VALUE(`message`, '$.data.userid') as VARCHAR),
    -- classroom ID
    `roomid` as cast(JSON_VALUE(`message`, '$.data.roomid') as VARCHAR),
    -- operation time
    `time_stamp` as cast(JSON_VALUE(`message`, '$.data.timestamp') as VARCHAR),
    -- role
    `role` as cast(JSON_VALUE(`message`, '$.data.role') as VARCHAR),
    -- message ID
    `msgid` as cast(JSON_VALUE(`message`, '$.data.msgid') as VARCHAR),
    -- message type
    `msg_msgType` as cast(JSON_VALUE(`message`, '$.data.msg.msgtype') as VARCHAR),
    -- message target ID
    `msg_msgData_targetId` as cast(JSON_VALUE(`message`, '$.data.msg.msg_data.target_id') as VARCHAR),
    -- message target type
    `msg_msgData_targetType` as cast(JSON_VALUE(`message`, '$.data.msg.msg_data.target_type') as VARCHAR),
    -- student action
    `msg_msgData_action` as cast(JSON_VALUE(`message`, '$.data.msg.msg_data.action') as VARCHAR),
    -- student sub-action
    `msg_msgData_subAction` as cast(JSON_VALUE(`message`, '$.data.msg.msg_data.sub_action') as VARCHAR),
    -- PPT page index
    `msg_msgData_pageIndex` as cast(JSON_VALUE(`message`, '$.data.msg.msg_data.page_index') as VARCHAR)
) with (
    'connector' = 'filesystem',
    'path' = '${input.timeline_analysis_student_stream}',
    'format' = 'raw'
);

-- Sink: cleaned single-level JSON, one message per scored student operation
create table signal_student_classroom_internation (
    messageKey VARBINARY,
    `message` VARBINARY,
    PRIMARY KEY (messageKey) NOT ENFORCED
) with (
    'connector' = 'filesystem',
    'path' = '${output.signal_student_classroom_internation}',
    'format' = 'json'
);

-- move a picture (word classification exercise)
INSERT INTO signal_student_classroom_internation
SELECT
  cast(messageKey as VARBINARY) as messageKey,
  cast(CONCAT(
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(UNIX_TIMESTAMP() * 1000 AS VARCHAR),
    ', "messageTimeStamp": "', COALESCE(time_stamp, ''),
    '", "userId": "', COALESCE(userid, ''),
    '", "roomId": "', COALESCE(roomid, ''),
    '", "role": "', role,
    '", "msgId": "', msgid,
    '", "msgType": "', msg_msgType,
    '", "targetId": "', COALESCE(msg_msgData_targetId, ''),
    '", "targetType": "', msg_msgData_targetType,
    '", "action": "', msg_msgData_action,
    '", "subAction": "', COALESCE(msg_msgData_subAction, ''),
    '", "pageIndex": "', COALESCE(msg_msgData_pageIndex, ''),
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
