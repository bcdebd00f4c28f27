-- Several independent mistakes in one job: all are reported, none cascades.
CREATE TABLE orders (
    id BIGINT,
    amount DOUBLE,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'orders');

CREATE TABLE totals (
    id BIGINT,
    total DOUBLE,
    PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'jdbc');

CREATE TABLE broken (
    a INT
    b INT
) WITH ('connector' = 'print');

INSERT INTO totals SELECT id, SUM(amout) FROM orders GROUP BY id;
INSERT INTO broken SELECT 1, 2 FROM orders;
INSERT INTO totalz SELECT id, amount FROM orders;
