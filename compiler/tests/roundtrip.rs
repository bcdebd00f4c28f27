//! Round trips per dialect (sqlparser-rs's habit): the DDL we parse ourselves prints
//! in a canonical form that parses back to the same statement, for every table of
//! every example (Blink) and of the Flink-dialect cases below.

use std::path::Path;
use streamsql_compiler::ast::Statement;
use streamsql_compiler::parse::parse;

fn tables(sql: &str) -> Vec<String> {
    let (script, diags) = parse(sql);
    assert!(diags.is_empty(), "{diags:?}\n{sql}");
    script
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::CreateTable(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

fn assert_round_trip(sql: &str) -> usize {
    let once = tables(sql);
    let twice = tables(&once.join(";\n"));
    assert_eq!(once, twice, "printing is not a fixed point");
    once.len()
}

#[test]
fn blink_examples_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut n = 0;
    for d in ["education", "iot"] {
        for e in std::fs::read_dir(root.join("examples").join(d)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "sql") {
                n += assert_round_trip(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    assert!(n >= 40, "only {n} tables");
}

#[test]
fn flink_ddl_round_trips() {
    let sql = "
CREATE TEMPORARY TABLE IF NOT EXISTS orders (
    order_id BIGINT NOT NULL,
    `shop name` STRING,
    amount DECIMAL(10, 2),
    payload ROW<channel STRING, tags ARRAY<STRING>, attrs MAP<STRING, INT>>,
    `offset` BIGINT METADATA VIRTUAL,
    headers MAP<STRING, BYTES> METADATA FROM 'headers',
    ts TIMESTAMP(3),
    ltz TIMESTAMP(3) WITH LOCAL TIME ZONE,
    p AS PROCTIME(),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
    PRIMARY KEY (order_id) NOT ENFORCED
) COMMENT 'orders' WITH (
    'connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'localhost:9092',
    'format' = 'json', 'json.ignore-parse-errors' = 'true'
);
CREATE TABLE dim (k STRING, v STRING, CONSTRAINT pk PRIMARY KEY (k) NOT ENFORCED)
    WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://localhost:3306/db', 'table-name' = 'dim');";
    let printed = tables(sql);
    assert_eq!(assert_round_trip(sql), 2);
    assert!(
        printed[0].contains("`ltz` TIMESTAMP_LTZ(3)"),
        "{}",
        printed[0]
    );
    assert!(
        printed[0].contains("`headers` MAP<STRING, BYTES> METADATA FROM 'headers'"),
        "{}",
        printed[0]
    );
    assert!(
        printed[0].contains("PRIMARY KEY (`order_id`) NOT ENFORCED"),
        "{}",
        printed[0]
    );
}
