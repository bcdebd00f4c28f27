-- Job: Student operation signalling ETL (seed: 学生操作日志 ETL 清洗 (分析学生操作在线信令日志))
-- Source: 000_4bc512f899725f26.txt, dialect: Blink (Alibaba Realtime Compute)
-- What it computes: flattens the multi-level JSON signalling log of live classes into
--   single-level JSON and writes one Kafka message per scored student operation (move /
--   hover / draw line / audio play / audio pause / match wrong / match correct), 7 INSERTs.
-- Repairs (seed text -> this file):
--   1. Source DDL: every computed-column line was cut at the page edge -> reconstructed
--      from the input JSON sample as nested Blink JSON_VALUE chains: $.data.<key>
--      (2 levels), $.data.msg.msgtype (3 levels), $.data.msg.msg_data.<key> (4 levels).
--   2. OCR in the source DDL: `JSON VALUE` -> JSON_VALUE; `time stamp` -> time_stamp;
--      `msg msgType` -> msg_msgType; garbage `cast(JSON_VALUE)))` / `cast(JSON_VALUE)`
--      tails -> the full chain; sample key `page index` -> page_index.
--   3. `group.id` = 'timeline analysis student consumer' -> 'timeline-analysis-student-consumer'
--      (the spaces are OCR; hyphenated like the seed's other consumer group
--      'timeline-analysis-student-mashup-consumer').
--   4. WITH clauses: elided `...` removed (connection options come from the job binary).
--   5. All 7 INSERTs: the CONCAT output builder was cut after `NOW()*1000,'` -> rebuilt
--      from the documented output JSON sample with every field of it, in its order:
--      messageCreateTime, timeStamp, messageTimeStamp, userId, roomId, role, msgId, msgType,
--      targetId, targetType, action, subAction, pageIndex, event. timeStamp stays an
--      unquoted number as in the visible fragment; all other values are JSON strings.
--   6. All 7 INSERTs: NOW()*1000 (BIGINT; Blink NOW() = epoch seconds) -> CAST(NOW() * 1000
--      AS VARCHAR), because CONCAT takes strings only (Blink converted implicitly).
--   7. Judgment call: fields that the INSERT's WHERE does not pin down (createTime,
--      time_stamp, userid, roomid, targetId, subAction, pageIndex) are wrapped in
--      COALESCE(x, ''): CONCAT with one NULL argument is NULL, which would send a NULL
--      Kafka value instead of the documented JSON (empty strings as in the sample).
--   8. Judgment call: the value of "event" is cut off in every INSERT -> one constant per
--      operation: PICTURE_MOVE, PICTURE_HOVER, LINE_DRAW, AUDIO_START, AUDIO_PAUSE,
--      MATCH_WRONG, MATCH_CORRECT (upper snake case like the seed's 'PPT_SUCCESS' and
--      '_AUDIO_STATE'); the downstream classroom-performance job groups by it.
--   9. The 'draw line' and 'match wrong' INSERTs were split over two code blocks -> rejoined.

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
    '{ "messageCreateTime": "', COALESCE(createTime, ''),
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
    '", "timeStamp": ', CAST(NOW() * 1000 AS VARCHAR),
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
