//! The hand-written baselines of the `jobs` bench (`tests/benches/baseline/`) do what
//! the compiled jobs do: on the same generated input (messy and late rows included)
//! they write the same sink lines, so that the bench's generated/hand-written ratio
//! compares equal work.

#[path = "../benches/baseline/mod.rs"]
#[allow(dead_code)]
mod baseline;

use std::sync::atomic::AtomicBool;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

/// The compiled job's sink lines and the baseline's, for `count` generated rows.
fn both(job: &str, table: Table, count: usize) -> (Vec<String>, Vec<String>) {
    let dir = streamsql_tests::support::temp_dir("baseline");
    let input = dir.join("in.jsonl");
    let mut data = Vec::new();
    let cfg = Config {
        count,
        ..Config::default()
    };
    datagen::generate(table, &cfg, &mut data).unwrap();
    std::fs::write(&input, &data).unwrap();

    let (_, mut compiled) = streamsql_examples::runnable_jobs()
        .into_iter()
        .find(|(n, _)| *n == job)
        .unwrap();
    let info = compiled.info();
    assert_eq!(info.sinks.len(), 1, "{job}");
    let generated = dir.join("generated.jsonl");
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: vec![(info.sinks[0].to_string(), generated.display().to_string())],
        quiet: true,
        ..Options::default()
    };
    let c = driver::run(compiled.as_mut(), &opts, &AtomicBool::new(false)).unwrap();

    let mut out = Vec::new();
    let b = baseline::run(job, &input, &mut out).unwrap().unwrap();
    assert_eq!(b.read, c.read, "{job}: events read");
    assert_eq!(b.emitted, c.emitted, "{job}: rows emitted");
    let lines = |text: &str| text.lines().map(str::to_string).collect::<Vec<_>>();
    let ours = lines(&std::fs::read_to_string(&generated).unwrap());
    let theirs = lines(&String::from_utf8(out).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    (ours, theirs)
}

#[test]
fn daily_mall_traffic_by_hand_writes_the_same_changelog() {
    let (generated, hand) = both("iot/daily_mall_traffic", Table::WifiProbe, 20_000);
    assert!(generated.len() > 1_000, "{}", generated.len());
    // One changelog, in order.
    assert!(generated == hand, "{}", first_difference(&generated, &hand));
}

#[test]
fn av_network_monitoring_by_hand_writes_the_same_rows() {
    let (generated, hand) = both(
        "education/av_network_monitoring",
        Table::AgoraRecord,
        20_000,
    );
    assert!(generated.len() > 1_000, "{}", generated.len());
    // Rows of windows that fire together come in no defined order; the processing
    // time in `create_time` differs.
    let masked = |rows: Vec<String>| {
        let mut rows: Vec<String> = rows
            .into_iter()
            .map(|r| r[..r.find(",\"create_time\":").expect(&r)].to_string())
            .collect();
        rows.sort();
        rows
    };
    let (generated, hand) = (masked(generated), masked(hand));
    assert!(generated == hand, "{}", first_difference(&generated, &hand));
}

fn first_difference(a: &[String], b: &[String]) -> String {
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    format!(
        "{} vs {} lines; first difference at {i}:\ngenerated: {:?}\nby hand:   {:?}",
        a.len(),
        b.len(),
        a.get(i),
        b.get(i)
    )
}
