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
    job: &mut Job,
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
    // Within the TTL the state is there; with a TTL Flink re-emits even an unchanged
    // result (it refreshes downstream state).
    ctx.now_ms = 5_000;
    feed(&mut job, 1, &probe("a", DAY1 + 1), &mut sinks, &mut ctx);
    assert_eq!(lines(&mut sinks).len(), 3);
    // 10 s after the last write the day's state has expired: a new device counts as
    // the first of a fresh state (+I 1), not as the second (-U 1, +U 2).
    ctx.now_ms = 15_000;
    job.tick(&mut sinks, &mut ctx);
    feed(&mut job, 2, &probe("b", DAY1 + 2), &mut sinks, &mut ctx);
    assert_eq!(
        lines(&mut sinks),
        [r#"{"op":"+I","count_date":"2024-03-02","people_sum":1}"#]
    );
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
