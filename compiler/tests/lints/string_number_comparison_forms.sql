-- Lint case: string_number_comparison in its other forms (not seed statements): a number
-- on the left, IN, BETWEEN and an ordering comparison (where quoting the number would
-- compare text order, so the help casts once instead). A string literal compared with a
-- number column is cast once and gets no warning.

CREATE TABLE orders (
    `status` varchar,
    amount   varchar,
    code     int
) WITH (
    type = 'datahub'
);

CREATE TABLE picked (
    `status` varchar
) WITH (
    type = 'rds'
);

INSERT INTO picked
SELECT `status`
FROM orders
WHERE 3 = `status`
   OR `status` IN (1, 2)
   OR amount BETWEEN 10 AND 20
   OR amount > 100
   OR code = '7';
