//! Bad input never crashes a job and never loses a row Flink would emit: each kind of
//! bad message is fed to the seed signalling ETL (through the job driver, as its
//! binary runs it) between good ones; the good ones come out, the bad ones are counted.

use std::sync::atomic::AtomicBool;
use streamsql_generated::education::signalling_etl::Job;
use streamsql_runtime::driver::{self, Counters, Options};

/// A message the job's first INSERT (a picture move) keeps.
fn good(user: u32) -> Vec<u8> {
    format!(
        r#"{{"createTime":"1709366400000","data":{{"userid":"{user}","roomid":"1000","timestamp":"1709366400001","role":"2","msgid":"305","msg":{{"msgtype":"116","msg_data":{{"target_id":"pic-1","target_type":"shape","action":"move","sub_action":"","page_index":"3"}}}}}}}}"#
    )
    .into_bytes()
}

/// Runs the job over `messages` (one per line); returns the counters and output lines.
fn run(messages: &[Vec<u8>]) -> (Counters, Vec<String>) {
    let dir = std::env::temp_dir().join(format!(
        "streamsql-bad-input-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    let mut bytes = Vec::new();
    for m in messages {
        bytes.extend_from_slice(m);
        bytes.push(b'\n');
    }
    std::fs::write(&input, bytes).unwrap();
    let output = dir.join("out.jsonl");
    let mut job = Job::default();
    let info = driver::Job::info(&job);
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: vec![(info.sinks[0].to_string(), output.display().to_string())],
        batch_size: 3,
        quiet: true,
        ..Options::default()
    };
    let counters = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
    let out = std::fs::read_to_string(&output).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (counters, out.lines().map(str::to_string).collect())
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn users(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("the message is JSON text");
            v["userId"].as_str().unwrap_or("?").to_string()
        })
        .collect()
}

#[test]
fn non_json_and_truncated_messages_are_counted_and_skipped() {
    let mut bad_truncated = good(2);
    bad_truncated.truncate(120);
    let (c, out) = run(&[
        good(1),
        b"not json".to_vec(),
        bad_truncated,
        b"".to_vec(),
        b"[1,2".to_vec(),
        good(3),
    ]);
    assert_eq!(users(&out), ["1", "3"]);
    assert_eq!(c.read, 6);
    assert_eq!(c.decode_errors, 4);
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let mut m = good(7);
    // Put an invalid byte inside the user id.
    let at = m.windows(3).position(|w| w == b"\"7\"").unwrap() + 1;
    m.insert(at, 0xFF);
    let (c, out) = run(&[m, good(8)]);
    assert_eq!(users(&out), ["\u{FFFD}7", "8"]);
    assert_eq!(c.decode_errors, 0);
}

#[test]
fn a_two_mebibyte_message_decodes() {
    let mut m = good(9);
    // A 2 MiB field the job does not read, before the ones it does.
    let filler = format!(r#"{{"padding":"{}","#, "x".repeat(2 << 20));
    m.splice(0..1, filler.into_bytes());
    let (c, out) = run(&[m, good(10)]);
    assert_eq!(users(&out), ["9", "10"]);
    assert_eq!(c.decode_errors, 0);
}

#[test]
fn wrong_types_and_missing_paths_follow_json_value() {
    // msgid as a number still reads as the text "305" (JSON_VALUE of a number);
    // a missing action or an object where a string was expected is NULL: filtered.
    let number_msgid = String::from_utf8(good(11))
        .unwrap()
        .replace(r#""msgid":"305""#, r#""msgid":305"#);
    let missing_action = String::from_utf8(good(12))
        .unwrap()
        .replace(r#""action":"move","#, "");
    let object_action = String::from_utf8(good(13))
        .unwrap()
        .replace(r#""action":"move""#, r#""action":{"a":1}"#);
    let (c, out) = run(&[
        number_msgid.into_bytes(),
        missing_action.into_bytes(),
        object_action.into_bytes(),
        good(14),
    ]);
    assert_eq!(users(&out), ["11", "14"]);
    assert_eq!(c.decode_errors, 0);
    assert_eq!(c.failed, 0);
}
