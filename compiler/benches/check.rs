//! How long checking a job takes: parse + bind + plan of a generated 30-statement
//! job (10 sources with nested JSON_VALUE columns, 10 views with windows, joins and
//! Top-N, 10 INSERTs), and of every example job. Prints figures; asserts nothing.
//!
//! `cargo bench -p streamsql-compiler --bench check`

use std::time::{Duration, Instant};

fn thirty_statement_job() -> String {
    let mut sql = String::new();
    for i in 0..10 {
        sql.push_str(&format!(
            "create table src{i} (
                messageKey VARBINARY, `message` VARBINARY, topic VARCHAR, `partition` INT, `offset` BIGINT,
                user_id as cast(JSON_VALUE(`message`, '$.user_id') as BIGINT),
                shop as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.shop') as VARCHAR),
                amount as cast(JSON_VALUE(cast(JSON_VALUE(`message`, '$.data') as VARCHAR), '$.amount') as DOUBLE),
                ts as TO_TIMESTAMP(cast(JSON_VALUE(`message`, '$.ts') as BIGINT)),
                WATERMARK wk FOR ts AS WITHOFFSET(ts, 5000)
            ) with (type = 'kafka011', topic = 't{i}');
"
        ));
    }
    sql.push_str(
        "create table dim (shop VARCHAR, name VARCHAR, PRIMARY KEY (shop), PERIOD FOR SYSTEM_TIME) with (type = 'rds');\n",
    );
    for i in 0..10 {
        let body = match i % 3 {
            0 => format!(
                "select TUMBLE_START(ts, INTERVAL '1' MINUTE) as ws, shop, COUNT(DISTINCT user_id) as n, SUM(amount) as total
                 from src{i} where amount > 0 and shop is not null
                 group by TUMBLE(ts, INTERVAL '1' MINUTE), shop"
            ),
            1 => format!(
                "select shop, n, rn from (
                    select shop, n, ROW_NUMBER() OVER (PARTITION BY d ORDER BY n DESC) as rn
                    from (select DATE_FORMAT(ts, 'yyyy-MM-dd') as d, shop, COUNT(*) as n from src{i} group by DATE_FORMAT(ts, 'yyyy-MM-dd'), shop)
                 ) where rn <= 5"
            ),
            _ => format!(
                "select s.shop, d.name, s.amount from src{i} s
                 left join dim FOR SYSTEM_TIME AS OF PROCTIME() d on s.shop = d.shop
                 where s.amount > 10"
            ),
        };
        sql.push_str(&format!("create view v{i} as {body};\n"));
    }
    // Sinks are declared inline with the INSERTs' shapes: 10 INSERT statements.
    for i in 0..10 {
        let (cols, key) = match i % 3 {
            0 => ("ws TIMESTAMP, shop VARCHAR, n BIGINT, total DOUBLE", ""),
            1 => ("shop VARCHAR, n BIGINT, rn BIGINT", ", PRIMARY KEY (shop)"),
            _ => ("shop VARCHAR, name VARCHAR, amount DOUBLE", ""),
        };
        sql.push_str(&format!(
            "create table out{i} ({cols}{key}) with (type = 'rds');\n"
        ));
        sql.push_str(&format!("insert into out{i} select * from v{i};\n"));
    }
    sql
}

fn time(sql: &str, iterations: u32) -> (Duration, Duration) {
    let mut samples = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let t = Instant::now();
        let r = streamsql_compiler::plan(sql);
        samples.push(t.elapsed());
        assert!(r.is_ok(), "benchmark job does not compile: {:?}", r.err());
    }
    samples.sort();
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}

fn main() {
    let job = thirty_statement_job();
    let statements = job.matches(';').count();
    let (median, p99) = time(&job, 300);
    println!(
        "check of a {statements}-statement job (10 sources, 1 dimension, 10 views, 10 sinks, 10 INSERTs) ({} bytes): median {:.2} ms, p99 {:.2} ms",
        job.len(),
        median.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    for domain in ["education", "iot"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join("examples").join(domain))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        for f in files {
            let sql = std::fs::read_to_string(&f).unwrap();
            let (median, _) = time(&sql, 100);
            println!(
                "check of examples/{domain}/{}: median {:.2} ms",
                f.file_name().unwrap().to_string_lossy(),
                median.as_secs_f64() * 1e3
            );
        }
    }
}
