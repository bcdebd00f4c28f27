//! Updating results through a real generated job (the seed daily mall traffic:
//! `COUNT(DISTINCT mac)` per day into an upsert sink): the changelog rows it writes,
//! state TTL (`table.exec.state.ttl`), and the offsets a source feeding unbounded
//! state keeps uncommitted. Results against Flink are the harness's (`flink_diff`).

use streamsql_generated::iot::daily_mall_traffic::Job;
use streamsql_runtime::driver::{self, Job as _};

/// A WiFi probe record at `secs` (epoch seconds) from device `mac`.
fn probe(mac: &str, secs: i64) -> String {
    format!(r#"{{"id":"1","shop_code":"S1","occur_time":"{secs}","user_device_mac":"{mac}"}}"#)
}

fn feed(
    job: &mut impl driver::Job,
    offset: i64,
    value: &str,
    sinks: &mut [driver::SinkBuffer],
    ctx: &mut driver::Ctx,
) {
    let m = streamsql_runtime::batch::Message {
        key: None,
        value: value.as_bytes(),
        topic: "t",
        partition: 0,
        offset,
        timestamp: None,
    };
    job.process(0, &m, sinks, ctx);
}

fn lines(sinks: &mut [driver::SinkBuffer]) -> Vec<String> {
    let text = String::from_utf8(sinks[0].bytes.clone()).unwrap();
    sinks[0].clear();
    text.lines().map(str::to_string).collect()
}

const DAY1: i64 = 1_709_366_400; // 2024-03-02 00:00:00 UTC

#[test]
fn a_group_aggregate_writes_inserts_then_update_pairs_and_nothing_when_unchanged() {
    let mut job = Job::default();
    let mut ctx = driver::Ctx::new(0);
    job.open(&ctx);
    let mut sinks = vec![driver::SinkBuffer::default()];
    feed(&mut job, 0, &probe("a", DAY1), &mut sinks, &mut ctx);
    feed(&mut job, 1, &probe("a", DAY1 + 60), &mut sinks, &mut ctx);
    feed(&mut job, 2, &probe("b", DAY1 + 120), &mut sinks, &mut ctx);
    assert_eq!(
        lines(&mut sinks),
        [
            r#"{"op":"+I","count_date":"2024-03-02","people_sum":1}"#,
            // The same device again changes nothing: no rows (Flink's GroupAggFunction).
            r#"{"op":"-U","count_date":"2024-03-02","people_sum":1}"#,
            r#"{"op":"+U","count_date":"2024-03-02","people_sum":2}"#,
        ]
    );
}

#[test]
fn state_older_than_the_ttl_is_dropped_and_the_key_starts_again() {
    let mut job = Job::default();
    let mut ctx = driver::Ctx::new(0);
    ctx.state_ttl_ms = Some(10_000);
    job.open(&ctx);
    let mut sinks = vec![driver::SinkBuffer::default()];
    feed(&mut job, 0, &probe("a", DAY1), &mut sinks, &mut ctx);
    // Within the TTL the state is there. Flink re-emits an unchanged result under a
    // TTL, to refresh downstream state; this job's only reader is an upsert store,
    // where writing the same row again changes nothing, so it is not written.
    ctx.now_ms = 5_000;
    feed(&mut job, 1, &probe("a", DAY1 + 1), &mut sinks, &mut ctx);
    assert_eq!(
        lines(&mut sinks),
        [r#"{"op":"+I","count_date":"2024-03-02","people_sum":1}"#]
    );
    // The row refreshed the state: at 12 s it is still there.
    ctx.now_ms = 12_000;
    job.tick(&mut sinks, &mut ctx);
    feed(&mut job, 2, &probe("b", DAY1 + 2), &mut sinks, &mut ctx);
    assert_eq!(lines(&mut sinks).len(), 2);
    // 10 s after the last write the day's state has expired: a new device counts as
    // the first of a fresh state (+I 1), not as the third (-U 2, +U 3).
    ctx.now_ms = 25_000;
    job.tick(&mut sinks, &mut ctx);
    feed(&mut job, 3, &probe("c", DAY1 + 3), &mut sinks, &mut ctx);
    assert_eq!(
        lines(&mut sinks),
        [r#"{"op":"+I","count_date":"2024-03-02","people_sum":1}"#]
    );
}

/// The daily count of devices under a state TTL, written where each change is
/// seen: a print sink (a changelog), and a store whose rows carry the time of
/// writing.
mod changelog_readers {
    streamsql_macros::stream_sql!(
        changelog_readers,
        r#"
        CREATE TABLE probes (user_device_mac STRING, occur_time STRING)
        WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');
        CREATE TABLE daily_changes (count_date STRING, people_sum BIGINT)
        WITH ('connector' = 'print');
        CREATE TABLE daily_stamped (count_date STRING, first_mac STRING, written BIGINT,
            PRIMARY KEY (count_date) NOT ENFORCED)
        WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://localhost/x', 'table-name' = 'daily');
        INSERT INTO daily_changes
        SELECT DATE_FORMAT(TO_TIMESTAMP_LTZ(CAST(occur_time AS BIGINT), 0), 'yyyy-MM-dd'),
            COUNT(DISTINCT user_device_mac)
        FROM probes
        GROUP BY DATE_FORMAT(TO_TIMESTAMP_LTZ(CAST(occur_time AS BIGINT), 0), 'yyyy-MM-dd');
        INSERT INTO daily_stamped
        SELECT d, n, UNIX_TIMESTAMP() FROM (
            SELECT DATE_FORMAT(TO_TIMESTAMP_LTZ(CAST(occur_time AS BIGINT), 0), 'yyyy-MM-dd') d,
                MIN(user_device_mac) n
            FROM probes
            GROUP BY DATE_FORMAT(TO_TIMESTAMP_LTZ(CAST(occur_time AS BIGINT), 0), 'yyyy-MM-dd'));
        "#
    );
}

/// Where someone can tell, an unchanged result is re-emitted under a state TTL, as
/// Flink's `GroupAggFunction` does: a changelog sink gets `-U 1, +U 1`, and a store
/// row stamped with the clock is written again.
#[test]
fn under_a_ttl_an_unchanged_result_is_re_emitted_where_it_can_be_seen() {
    let mut job = changelog_readers::Job::default();
    let mut ctx = driver::Ctx::new(0);
    ctx.state_ttl_ms = Some(10_000);
    job.open(&ctx);
    let mut sinks = vec![driver::SinkBuffer::default(), driver::SinkBuffer::default()];
    feed(&mut job, 0, &probe("a", DAY1), &mut sinks, &mut ctx);
    feed(&mut job, 1, &probe("a", DAY1 + 1), &mut sinks, &mut ctx);
    let changes = String::from_utf8(sinks[0].bytes.clone()).unwrap();
    let stamped = String::from_utf8(sinks[1].bytes.clone()).unwrap();
    // The second row of "a" changes neither COUNT(DISTINCT) nor MIN.
    assert_eq!(changes.lines().count(), 3, "{changes}");
    assert_eq!(stamped.lines().count(), 3, "{stamped}");
    // Without a TTL nothing refreshes: the unchanged result writes nothing.
    let mut job = changelog_readers::Job::default();
    let mut ctx = driver::Ctx::new(0);
    job.open(&ctx);
    let mut sinks = vec![driver::SinkBuffer::default(), driver::SinkBuffer::default()];
    feed(&mut job, 0, &probe("a", DAY1), &mut sinks, &mut ctx);
    feed(&mut job, 1, &probe("a", DAY1 + 1), &mut sinks, &mut ctx);
    let changes = String::from_utf8(sinks[0].bytes.clone()).unwrap();
    assert_eq!(changes.lines().count(), 1, "{changes}");
}

#[test]
fn a_source_feeding_unbounded_state_keeps_its_first_offset_uncommitted() {
    let mut job = Job::default();
    let ctx0 = driver::Ctx::new(0);
    job.open(&ctx0);
    let mut ctx = driver::Ctx::new(0);
    let mut sinks = vec![driver::SinkBuffer::default()];
    assert_eq!(job.held_offset(0, "t", 0), None);
    for (i, mac) in ["a", "b", "c"].iter().enumerate() {
        feed(
            &mut job,
            40 + i as i64,
            &probe(mac, DAY1),
            &mut sinks,
            &mut ctx,
        );
    }
    job.tick(&mut sinks, &mut ctx);
    // No state snapshot exists, so a restart must read from the first row again.
    assert_eq!(job.held_offset(0, "t", 0), Some(40));
    job.finish(&mut sinks, &mut ctx);
    assert_eq!(job.held_offset(0, "t", 0), Some(40));
}
