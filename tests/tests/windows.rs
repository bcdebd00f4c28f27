//! Event-time windows through a real generated job (the seed's classroom performance:
//! a 1-minute TUMBLE, watermark = rowtime): firing on the watermark, Flink's late-row
//! rule, `--late-rows`, the end of bounded input, and results that do not depend on
//! the batch size. (Equality with Flink on generated data is the harness's job.)

use std::sync::atomic::AtomicBool;
use streamsql_generated::education::classroom_performance::Job;
use streamsql_runtime::driver::{self, Counters, Options};
use streamsql_tests::support::run_lines;

/// 2024-03-02 10:00:00 UTC in epoch milliseconds.
const T0: i64 = 1_709_373_600_000;

fn msg(user: i64, event: &str, at_ms: i64) -> String {
    format!(
        r#"{{"userId":{user},"roomId":"7","role":2,"event":"{event}","timeStamp":{}}}"#,
        T0 + at_ms
    )
}

struct Out {
    counters: Counters,
    rows: Vec<serde_json::Value>,
    late: Vec<String>,
}

fn run(lines: &[String], batch_size: usize) -> Out {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "streamsql-windows-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let (output, late) = (dir.join("out.jsonl"), dir.join("late.jsonl"));
    let mut job = Job::default();
    let info = driver::Job::info(&job);
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: vec![(info.sinks[0].to_string(), output.display().to_string())],
        late_rows: Some(late.display().to_string()),
        batch_size,
        quiet: true,
        ..Options::default()
    };
    let counters = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
    let rows = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let late = std::fs::read_to_string(&late)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    Out {
        counters,
        rows,
        late,
    }
}

/// (start_time, user_id, event, event_count) of each output row, sorted (windows fire
/// in time order, keys within a window in no particular order).
fn summary(rows: &[serde_json::Value]) -> Vec<(String, i64, String, i64)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r["start_time"].as_str().unwrap().to_string(),
                r["user_id"].as_i64().unwrap(),
                r["event"].as_str().unwrap().to_string(),
                r["event_count"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn input() -> Vec<String> {
    vec![
        msg(1, "A", 5_000),
        msg(1, "A", 30_000),
        // Watermark 10:01:10: the 10:00 window fires (end - 1 ms <= watermark).
        msg(1, "A", 70_000),
        // Behind the watermark for its only window: dropped, counted, kept aside.
        msg(1, "A", 50_000),
        // Exactly at the watermark, but its window [10:01, 10:02) is still open.
        msg(2, "B", 70_000),
        // No rowtime: Flink would fail the job; streamsql dead-letters the message.
        r#"{"userId":3,"roomId":"7","role":2,"event":"C"}"#.to_string(),
    ]
}

#[test]
fn windows_fire_on_the_watermark_and_late_rows_are_dropped_as_flink_drops_them() {
    let out = run(&input(), 1024);
    let t = |s: &str| format!("2024-03-02 {s}");
    assert_eq!(
        summary(&out.rows),
        [
            (t("10:00:00"), 1, "A".to_string(), 2),
            // The end of the bounded input fires what is open.
            (t("10:01:00"), 1, "A".to_string(), 1),
            (t("10:01:00"), 2, "B".to_string(), 1),
        ]
    );
    assert_eq!(out.rows[0]["end_time"], t("10:01:00"));
    assert_eq!(out.counters.late, 1);
    assert_eq!(out.late.len(), 1);
    assert!(
        out.late[0].contains(&(T0 + 50_000).to_string()),
        "{:?}",
        out.late
    );
    assert_eq!(out.counters.failed, 1, "the NULL-rowtime message");
    assert_eq!(out.counters.read, 6);
}

#[test]
fn results_do_not_depend_on_the_batch_size() {
    let mut lines = Vec::new();
    // Three minutes of rows, a little disorder, some of it late.
    for i in 0..600i64 {
        let at = i * 300 - if i % 7 == 0 { 1_500 } else { 0 };
        lines.push(msg(i % 5, ["A", "B"][(i % 2) as usize], at.max(0)));
    }
    let one = run(&lines, 1);
    let many = run(&lines, 4096);
    assert_eq!(summary(&one.rows), summary(&many.rows));
    assert_eq!(one.counters.late, many.counters.late);
    assert!(one.counters.late > 0, "the input has late rows");
    let total: i64 = summary(&one.rows).iter().map(|r| r.3).sum();
    assert_eq!(total as u64 + one.counters.late, 600);
}

/// Feeds one message of `partition` to the generated job by hand.
fn feed(
    job: &mut Job,
    partition: i32,
    value: &str,
    sinks: &mut [driver::SinkBuffer],
    ctx: &mut driver::Ctx,
) {
    use driver::Job as _;
    let m = streamsql_runtime::batch::Message {
        key: None,
        value: value.as_bytes(),
        topic: "t",
        partition,
        offset: 0,
        timestamp: None,
    };
    job.process(0, &m, sinks, ctx);
}

/// The job's watermark is the minimum over its source's partitions: a partition that
/// went quiet holds every window back, until `table.exec.source.idle-timeout` passes.
#[test]
fn an_idle_partition_holds_the_watermark_back_until_its_idle_timeout() {
    use driver::Job as _;
    for idle in [None, Some(std::time::Duration::from_millis(100))] {
        let mut job = Job::default();
        let mut ctx = driver::Ctx::new(0);
        ctx.idle_timeout = idle;
        job.open(&ctx);
        let mut sinks = vec![driver::SinkBuffer::default()];
        feed(&mut job, 1, &msg(9, "Z", 5_000), &mut sinks, &mut ctx);
        // A second later (the driver ticks after every batch), partition 0 alone goes
        // on to 10:02:10.
        ctx.now += std::time::Duration::from_secs(1);
        job.tick(&mut sinks, &mut ctx);
        for at in [10_000, 70_000, 130_000] {
            feed(&mut job, 0, &msg(1, "A", at), &mut sinks, &mut ctx);
        }
        let fired = sinks[0].rows;
        match idle {
            // Partition 1 is idle: the watermark is partition 0's, 10:02:10, so the
            // windows of 10:00 (users 9 and 1) and 10:01 (user 1) fire.
            Some(_) => assert_eq!(fired, 3),
            // Partition 1 (10:00:05) holds the watermark: nothing fires.
            None => assert_eq!(fired, 0),
        }
        job.finish(&mut sinks, &mut ctx);
        assert_eq!(sinks[0].rows, 4, "the end of input fires the rest");
    }
}

mod session_distinct {
    streamsql_macros::stream_sql!(
        session_distinct,
        r#"
        CREATE TABLE src (k STRING, n INT, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt - INTERVAL '1' MINUTE)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (k STRING, c BIGINT, s INT, a INT, cd BIGINT, sf INT)
        WITH ('connector' = 'print');
        INSERT INTO snk SELECT k, COUNT(*), SUM(DISTINCT n), AVG(DISTINCT n), COUNT(DISTINCT n),
            SUM(DISTINCT n) FILTER (WHERE n > 3)
        FROM src GROUP BY SESSION(rt, INTERVAL '10' SECOND), k;
        "#
    );
}

/// Sessions that merge merge their DISTINCT values as sets: a value both sessions saw
/// is summed once (Flink 2.3: SUM(DISTINCT) 8, AVG(DISTINCT) 4 here).
#[test]
fn merged_sessions_sum_each_distinct_value_once() {
    let (counters, rows) = run_lines(
        &mut session_distinct::Job::default(),
        &[
            r#"{"k":"a","n":5,"ts":1000}"#,
            r#"{"k":"a","n":5,"ts":30000}"#,
            r#"{"k":"a","n":3,"ts":15000}"#,
            // Joins [15 s, 25 s) and [30 s, 40 s), then [1 s, 11 s) and the rest.
            r#"{"k":"a","n":5,"ts":22000}"#,
            r#"{"k":"a","n":5,"ts":10000}"#,
        ],
    );
    assert_eq!(rows, ["+I[a, 5, 8, 4, 2, 5]"]);
    assert_eq!(counters.late, 0);
}

mod float_sums {
    streamsql_macros::stream_sql!(
        float_sums,
        r#"
        CREATE TABLE src (k STRING, f FLOAT, d DOUBLE, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (k STRING, sf FLOAT, sd DOUBLE, af FLOAT)
        WITH ('connector' = 'print');
        INSERT INTO snk SELECT k, SUM(f), SUM(d), AVG(f)
        FROM src GROUP BY TUMBLE(rt, INTERVAL '10' SECOND), k;
        "#
    );
}

/// SUM of a FLOAT adds in FLOAT, as Flink's does (16777216 + 1 is 16777216 in
/// float arithmetic; AVG adds in DOUBLE), and a SUM's first value is taken as it
/// is (-0.0 stays -0.0).
#[test]
fn sum_of_a_float_adds_in_float() {
    let (_, rows) = run_lines(
        &mut float_sums::Job::default(),
        &[
            r#"{"k":"a","f":16777216,"d":1,"ts":1000}"#,
            r#"{"k":"a","f":1,"d":2,"ts":1001}"#,
            r#"{"k":"a","f":1,"d":3,"ts":1002}"#,
            r#"{"k":"b","f":-0.0,"d":-0.0,"ts":1003}"#,
        ],
    );
    assert_eq!(
        rows,
        [
            "+I[a, 1.6777216E7, 6.0, 5592406.0]",
            "+I[b, -0.0, -0.0, 0.0]"
        ]
    );
}

mod window_constants {
    streamsql_macros::stream_sql!(
        window_constants,
        r#"
        CREATE TABLE src (k STRING, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (k STRING, ws TIMESTAMP(3), c BIGINT, n INT, s STRING, z BIGINT, b BOOLEAN)
        WITH ('connector' = 'print');
        INSERT INTO snk SELECT k, window_start, COUNT(*), 42, 'x', CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN)
        FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(rt), INTERVAL '10' SECOND))
        GROUP BY window_start, window_end, k;
        "#
    );
}

/// Constants in a window's output, typed NULLs (`CAST(NULL AS ...)`) among them.
#[test]
fn window_output_with_constants_and_typed_nulls() {
    let (_, rows) = run_lines(
        &mut window_constants::Job::default(),
        &[r#"{"k":"a","ts":1000}"#, r#"{"k":"a","ts":2000}"#],
    );
    assert_eq!(rows, ["+I[a, 1970-01-01 00:00:00, 2, 42, x, null, null]"]);
}

mod not_null_sink {
    streamsql_macros::stream_sql!(
        not_null_sink,
        r#"
        CREATE TABLE src (k STRING, n INT, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (k STRING NOT NULL, c BIGINT, s INT NOT NULL)
        WITH ('connector' = 'print');
        INSERT INTO snk SELECT k, COUNT(*), SUM(n)
        FROM src GROUP BY TUMBLE(rt, INTERVAL '10' SECOND), k;
        "#
    );
}

/// A NULL for a NOT NULL sink column is not written: Flink's not-null enforcer fails
/// the job (or drops the row); streamsql dead-letters the row.
#[test]
fn a_null_in_a_not_null_sink_column_is_not_written() {
    let (counters, rows) = run_lines(
        &mut not_null_sink::Job::default(),
        &[
            r#"{"k":"a","n":1,"ts":1000}"#,
            r#"{"k":null,"n":2,"ts":2000}"#,
            r#"{"k":"b","ts":3000}"#,
        ],
    );
    assert_eq!(rows, ["+I[a, 1, 1]"]);
    assert_eq!(counters.failed, 2);
}

mod per_window_strings {
    streamsql_macros::stream_sql!(
        per_window_strings,
        r#"
        CREATE TABLE src (k STRING, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt - INTERVAL '30' SECOND)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE snk (k STRING, s STRING, w STRING, ks STRING, c BIGINT)
        WITH ('connector' = 'print');
        CREATE VIEW per_window AS
        SELECT k, DATE_FORMAT(TUMBLE_START(rt, INTERVAL '10' SECOND), 'HH:mm:ss') AS s,
            COUNT(*) AS c
        FROM src GROUP BY TUMBLE(rt, INTERVAL '10' SECOND), k;
        INSERT INTO snk SELECT k, s, UPPER(CONCAT('w', s)), CONCAT(k, '@', s), c FROM per_window;
        "#
    );
}

/// Strings computed from a window's bounds only are computed once per window and
/// shared by its rows (`Local::per_window`): each row still gets its own window's,
/// when one watermark fires several windows at once, and through a second level of
/// projections; an expression that also reads a row column is the row's.
#[test]
fn strings_of_a_window_bound_belong_to_each_rows_window() {
    let (_, rows) = run_lines(
        &mut per_window_strings::Job::default(),
        &[
            r#"{"k":"a","ts":1000}"#,
            r#"{"k":"b","ts":2000}"#,
            r#"{"k":"a","ts":11000}"#,
            r#"{"k":"b","ts":12000}"#,
            r#"{"k":"c","ts":13000}"#,
            r#"{"k":"a","ts":21000}"#,
            // Fires the three windows above in one advance (the watermark is 30 s
            // behind), then the end of input this one.
            r#"{"k":"z","ts":100000}"#,
        ],
    );
    assert_eq!(
        rows,
        [
            "+I[a, 00:00:00, W00:00:00, a@00:00:00, 1]",
            "+I[a, 00:00:10, W00:00:10, a@00:00:10, 1]",
            "+I[a, 00:00:20, W00:00:20, a@00:00:20, 1]",
            "+I[b, 00:00:00, W00:00:00, b@00:00:00, 1]",
            "+I[b, 00:00:10, W00:00:10, b@00:00:10, 1]",
            "+I[c, 00:00:10, W00:00:10, c@00:00:10, 1]",
            "+I[z, 00:01:40, W00:01:40, z@00:01:40, 1]",
        ]
    );
}

mod two_readers {
    streamsql_macros::stream_sql!(
        two_readers,
        r#"
        CREATE TABLE src (k STRING, ts BIGINT, rt AS TO_TIMESTAMP_LTZ(ts, 3),
            WATERMARK FOR rt AS rt - INTERVAL '30' SECOND)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE a (k STRING, s STRING) WITH ('connector' = 'print');
        CREATE TABLE b (k STRING, s STRING) WITH ('connector' = 'print');
        CREATE VIEW per_window AS
        SELECT k, DATE_FORMAT(TUMBLE_START(rt, INTERVAL '10' SECOND), 'HH:mm:ss') AS s
        FROM src GROUP BY TUMBLE(rt, INTERVAL '10' SECOND), k;
        INSERT INTO a SELECT k, CONCAT('a:', s) FROM per_window;
        INSERT INTO b SELECT k, CONCAT('b:', s) FROM per_window;
        "#
    );
}

/// Two INSERTs reading one window each keep their own per-window values, though
/// their projections sit at the same places.
#[test]
fn per_window_values_of_two_readers_are_their_own() {
    let (_, sinks) = streamsql_tests::support::run_sinks(
        &mut two_readers::Job::default(),
        &[
            r#"{"k":"x","ts":1000}"#,
            r#"{"k":"y","ts":12000}"#,
            r#"{"k":"z","ts":100000}"#,
        ],
    );
    assert_eq!(
        sinks[0],
        [
            "+I[x, a:00:00:00]",
            "+I[y, a:00:00:10]",
            "+I[z, a:00:01:40]"
        ]
    );
    assert_eq!(
        sinks[1],
        [
            "+I[x, b:00:00:00]",
            "+I[y, b:00:00:10]",
            "+I[z, b:00:01:40]"
        ]
    );
}
