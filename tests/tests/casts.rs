//! Casts to STRING through generated jobs, per dialect: Flink prints a BOOLEAN as
//! `TRUE`/`FALSE` (since 1.15, FLINK-25158), Blink as Java does (`true`/`false`);
//! integers of every width print their decimal digits in both.

use streamsql_tests::support::run_lines;

mod flink_casts {
    streamsql_macros::stream_sql!(
        flink_casts,
        r#"
        CREATE TABLE src (b BOOLEAN, t TINYINT, s SMALLINT, i INT, n BIGINT)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (b STRING, t STRING, s STRING, i STRING, n STRING)
        WITH ('connector' = 'print');
        INSERT INTO snk SELECT CAST(b AS STRING), CAST(t AS STRING), CAST(s AS STRING),
            CAST(i AS STRING), CAST(n AS STRING) FROM src;
        "#
    );
}

mod blink_casts {
    streamsql_macros::stream_sql!(
        blink_casts,
        r#"
        CREATE TABLE src (b BOOLEAN, t TINYINT, s SMALLINT, i INT, n BIGINT)
        WITH (type = 'datahub');
        CREATE TABLE snk (b VARCHAR, t VARCHAR, s VARCHAR, i VARCHAR, n VARCHAR)
        WITH (type = 'print');
        INSERT INTO snk SELECT CAST(b AS VARCHAR), CAST(t AS VARCHAR), CAST(s AS VARCHAR),
            CAST(i AS VARCHAR), CAST(n AS VARCHAR) FROM src;
        "#
    );
}

const LINES: &[&str] = &[
    r#"{"b":true,"t":-128,"s":-32768,"i":-2147483648,"n":-9223372036854775808}"#,
    r#"{"b":false,"t":127,"s":32767,"i":2147483647,"n":9223372036854775807}"#,
    r#"{"b":null,"t":0,"s":7,"i":-10,"n":1000000}"#,
];

#[test]
fn flink_casts_to_string() {
    let (_, rows) = run_lines(&mut flink_casts::Job::default(), LINES);
    assert_eq!(
        rows,
        [
            "+I[FALSE, 127, 32767, 2147483647, 9223372036854775807]",
            "+I[TRUE, -128, -32768, -2147483648, -9223372036854775808]",
            "+I[null, 0, 7, -10, 1000000]",
        ]
    );
}

#[test]
fn blink_casts_to_string() {
    let (_, rows) = run_lines(&mut blink_casts::Job::default(), LINES);
    assert_eq!(
        rows,
        [
            "+I[false, 127, 32767, 2147483647, 9223372036854775807]",
            "+I[null, 0, 7, -10, 1000000]",
            "+I[true, -128, -32768, -2147483648, -9223372036854775808]",
        ]
    );
}
