-- Blink: a window on a column without a watermark, and a TUMBLE_END that does not match.
create table src (
    `message` VARBINARY,
    user_id as cast(JSON_VALUE(`message`, '$.user_id') as BIGINT),
    ts as TO_TIMESTAMP(cast(JSON_VALUE(`message`, '$.ts') as BIGINT)),
    ts2 as TO_TIMESTAMP(cast(JSON_VALUE(`message`, '$.ts2') as BIGINT)),
    WATERMARK wk FOR ts AS WITHOFFSET(ts, 1000)
) with (type = 'kafka011', topic = 'src');

create table out (
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    user_id BIGINT,
    cnt BIGINT
) with (type = 'rds', tableName = 'out');

insert into out
select TUMBLE_START(ts2, INTERVAL '1' MINUTE), TUMBLE_END(ts2, INTERVAL '1' MINUTE), user_id, COUNT(*)
from src
group by TUMBLE(ts2, INTERVAL '1' MINUTE), user_id;

insert into out
select TUMBLE_START(ts, INTERVAL '1' MINUTE), TUMBLE_END(ts, INTERVAL '2' MINUTE), user_id, COUNT(*)
from src
group by TUMBLE(ts, INTERVAL '1' MINUTE), user_id;
