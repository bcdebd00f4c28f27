//! Throughput of the one-pass JSON extraction on signalling-log-shaped messages (the
//! seed ETL's 11 nested paths). Prints figures; asserts nothing.
//! `cargo bench -p streamsql-runtime --bench json_scan`

use std::time::Instant;
use streamsql_runtime::json::{JsonPaths, Raw, parse_path};

fn main() {
    let n = 2_000_000usize;
    let mut messages = Vec::with_capacity(n);
    for i in 0..n {
        messages.push(format!(
            r#"{{"createTime":"{}","data":{{"userid":"{}","roomid":"{}","timestamp":"{}","role":"2","msgid":"305","msg":{{"msgtype":"116","msg_data":{{"target_id":"pic-{}","target_type":"shape","action":"move","sub_action":"","page_index":"{}"}}}}}}}}"#,
            1_709_366_400_000u64 + i as u64,
            50_000 + i % 500,
            1000 + i % 30,
            1_709_366_400_000u64 + i as u64,
            i % 7,
            i % 30
        ));
    }
    let bytes: usize = messages.iter().map(String::len).sum();
    let mut paths = JsonPaths::default();
    for p in [
        "$.createTime",
        "$.data.userid",
        "$.data.roomid",
        "$.data.timestamp",
        "$.data.role",
        "$.data.msgid",
        "$.data.msg.msgtype",
        "$.data.msg.msg_data.target_id",
        "$.data.msg.msg_data.target_type",
        "$.data.msg.msg_data.action",
        "$.data.msg.msg_data.sub_action",
        "$.data.msg.msg_data.page_index",
    ] {
        paths.add(&parse_path(p).unwrap());
    }
    let mut slots = vec![Raw::Missing; paths.slots()];
    for round in 0..3 {
        let t = Instant::now();
        let mut found = 0usize;
        for m in &messages {
            paths.scan(m.as_bytes(), &mut slots).unwrap();
            found += slots.iter().filter(|s| **s != Raw::Missing).count();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "round {round}: {:.2} M messages/s, {:.0} MB/s ({} bytes avg, {found} values)",
            n as f64 / secs / 1e6,
            bytes as f64 / secs / 1e6,
            bytes / n
        );
    }
}
