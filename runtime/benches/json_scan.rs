//! Throughput of the one-pass JSON extraction on signalling-log-shaped messages (the
//! seed ETL's 12 nested paths). Prints figures; asserts nothing. The machine is often
//! shared, so look at the best rounds.
//! `cargo bench -p streamsql-runtime --bench json_scan`
//!
//! The headline rounds read all 12 paths of compact messages (every key is on a path).
//! Then: 2 of the paths (most of each message goes through the skipper), and all 12
//! of the same messages written with a space after each `:` and `,`.

use std::time::Instant;
use streamsql_runtime::json::{JsonPaths, Raw, parse_path};

const ALL: [&str; 12] = [
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
];

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
    run("", &messages, &ALL, 5);
    run(
        "2 paths: ",
        &messages,
        &["$.createTime", "$.data.msg.msgtype"],
        3,
    );
    // Only keys and values hold no `:` or `,` here, so this spaces the separators.
    let spaced: Vec<String> = messages
        .iter()
        .map(|m| m.replace("\":", "\": ").replace(",\"", ", \""))
        .collect();
    run("spaced: ", &spaced, &ALL, 3);
}

fn run(label: &str, messages: &[String], wanted: &[&str], rounds: usize) {
    let n = messages.len();
    let bytes: usize = messages.iter().map(String::len).sum();
    let mut paths = JsonPaths::default();
    for p in wanted {
        paths.add(&parse_path(p).unwrap());
    }
    let mut slots = vec![Raw::Missing; paths.slots()];
    for round in 0..rounds {
        let t = Instant::now();
        let mut found = 0usize;
        for m in messages {
            paths.scan(m.as_bytes(), &mut slots).unwrap();
            found += slots.iter().filter(|s| **s != Raw::Missing).count();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{label}round {round}: {:.2} M messages/s, {:.0} MB/s ({} bytes avg, {found} values)",
            n as f64 / secs / 1e6,
            bytes as f64 / secs / 1e6,
            bytes / n
        );
    }
}
