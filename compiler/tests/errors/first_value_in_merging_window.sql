-- FIRST_VALUE/LAST_VALUE where Flink 2.3 merges accumulators (session windows, and the
-- slices of hop and cumulate windows): "Could not find an implementation method 'merge'".
CREATE TABLE src (
    id STRING,
    room STRING,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'x');

CREATE TABLE snk (ws TIMESTAMP(3), we TIMESTAMP(3), v STRING) WITH ('connector' = 'print');

INSERT INTO snk
SELECT window_start, window_end, FIRST_VALUE(id)
FROM TABLE(HOP(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
GROUP BY window_start, window_end, room;

INSERT INTO snk
SELECT window_start, window_end, LAST_VALUE(id)
FROM TABLE(CUMULATE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
GROUP BY window_start, window_end, room;

INSERT INTO snk
SELECT HOP_START(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE), HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE), MAX(id)
FROM src
GROUP BY HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE), room
HAVING FIRST_VALUE(id) <> 'x';

-- TUMBLE does not merge: fine.
INSERT INTO snk
SELECT window_start, window_end, FIRST_VALUE(id)
FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, room;
