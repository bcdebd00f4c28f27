//! INSERTs of one job share the stateful operators whose plans (with everything below
//! them) are equal, as Flink reuses common sub-plans across the INSERTs of a statement
//! set: state is kept once, and every INSERT sees the same lookup answer and firing.

use streamsql_compiler::{SourceFile, compile_to_string};

/// The generated code of `sql`, a job that runs.
fn code(sql: &str) -> String {
    let code = match compile_to_string("job", sql) {
        Ok((code, _)) => code,
        Err(d) => panic!("{}", d.render(&SourceFile::new("test.sql", sql))),
    };
    let flat: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("NOT_RUNNABLE:::std::option::Option<&str>=::std::option::Option::None"),
        "{code}"
    );
    code
}

/// How many fields of the generated `Job` hold state of this runtime type.
fn operators(code: &str, ty: &str) -> usize {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    code.matches(&format!(":::streamsql_runtime::{ty}<"))
        .count()
}

const TABLES: &str = "
CREATE TABLE visits (
    mac STRING,
    shop STRING,
    ms BIGINT,
    ts AS TO_TIMESTAMP_LTZ(ms, 3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'visits', 'format' = 'json');
CREATE TABLE shops (
    shop STRING,
    name STRING,
    PRIMARY KEY (shop) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'table-name' = 'shops');
CREATE TABLE per_minute (shop STRING, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE busy (shop STRING, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE named (mac STRING, name STRING) WITH ('connector' = 'print');
CREATE TABLE totals (shop STRING, n BIGINT, PRIMARY KEY (shop) NOT ENFORCED)
    WITH ('connector' = 'jdbc', 'table-name' = 'totals');
CREATE TABLE big_totals (shop STRING, n BIGINT, PRIMARY KEY (shop) NOT ENFORCED)
    WITH ('connector' = 'jdbc', 'table-name' = 'big_totals');
";

#[test]
fn inserts_over_one_windowed_view_share_its_window() {
    let sql = format!(
        "{TABLES}
        CREATE VIEW counts AS
            SELECT shop, COUNT(*) AS n FROM visits GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), shop;
        INSERT INTO per_minute SELECT shop, n FROM counts;
        INSERT INTO busy SELECT shop, n FROM counts WHERE n > 10;"
    );
    assert_eq!(operators(&code(&sql), "window::WindowAggregate"), 1);
}

#[test]
fn different_windows_are_not_shared() {
    let sql = format!(
        "{TABLES}
        INSERT INTO per_minute
            SELECT shop, COUNT(*) FROM visits GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), shop;
        INSERT INTO busy
            SELECT shop, COUNT(*) FROM visits GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), shop;"
    );
    assert_eq!(operators(&code(&sql), "window::WindowAggregate"), 2);
}

#[test]
fn inserts_share_lookups_and_group_aggregates() {
    let sql = format!(
        "{TABLES}
        CREATE VIEW enriched AS
            SELECT v.mac, v.shop, s.name
            FROM (SELECT *, PROCTIME() AS p FROM visits) AS v
            JOIN shops FOR SYSTEM_TIME AS OF v.p AS s ON s.shop = v.shop;
        CREATE VIEW per_shop AS SELECT shop, COUNT(*) AS n FROM enriched GROUP BY shop;
        INSERT INTO named SELECT mac, name FROM enriched;
        INSERT INTO totals SELECT shop, n FROM per_shop;
        INSERT INTO big_totals SELECT shop, n FROM per_shop WHERE n > 100;"
    );
    let code = code(&sql);
    assert_eq!(operators(&code, "lookup::LookupJoin"), 1);
    assert_eq!(operators(&code, "state::KeyedState"), 1);
}
