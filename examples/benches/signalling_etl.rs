//! Messages/s per core of the seed signalling ETL (7 INSERTs over one Kafka-style
//! source: nested JSON decode, filters, CONCAT-built JSON output), file -> /dev/null,
//! through the job driver exactly as the job binary runs it. Prints figures; asserts
//! nothing. `STREAMSQL_BENCH_MESSAGES` (default 10 000 000) sets the input size.
//!
//! With `--features kafka` and `STREAMSQL_KAFKA_BROKERS` set (e.g. from
//! `tests/kafka/broker.sh start`), a second measurement runs Kafka -> Kafka.
//!
//! `cargo bench -p streamsql-examples --bench signalling_etl [--features kafka]`

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_runtime::driver::{self, Options};

fn main() {
    let n: usize = std::env::var("STREAMSQL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("signalling-{n}.jsonl"));
    if !input.exists() {
        let t = Instant::now();
        let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let cfg = Config {
            count: n,
            messy_rate: 0.01,
            ..Config::default()
        };
        datagen::generate(Table::SignallingLog, &cfg, &mut f).unwrap();
        f.flush().unwrap();
        eprintln!(
            "generated {n} messages in {:.1}s",
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&input).unwrap().len();
    let mut job = streamsql_examples::education::signalling_etl::Job::default();
    let info = driver::Job::info(&job);
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: vec![(info.sinks[0].to_string(), "/dev/null".to_string())],
        quiet: true,
        ..Options::default()
    };
    #[cfg(feature = "kafka")]
    if let Ok(brokers) = std::env::var("STREAMSQL_KAFKA_BROKERS") {
        kafka_round(&brokers, &input, n.min(2_000_000));
    }
    for round in 0..2 {
        let cpu0 = streamsql_examples::cpu_seconds();
        let t = Instant::now();
        let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
        let wall = t.elapsed().as_secs_f64();
        let cpu = (streamsql_examples::cpu_seconds() - cpu0).max(1e-9);
        println!(
            "signalling_etl round {round}: {} messages ({:.0} MB) -> {} rows: {:.2} M messages/s per core (CPU {:.2}s, wall {:.2}s, {:.0} MB/s)",
            c.read,
            bytes as f64 / 1e6,
            c.emitted,
            c.read as f64 / cpu / 1e6,
            cpu,
            wall,
            bytes as f64 / wall / 1e6
        );
    }
}

/// Kafka -> Kafka: the messages are produced into a fresh topic first, then the job
/// reads them, runs, and writes its rows to another topic; CPU time is the job's run.
#[cfg(feature = "kafka")]
fn kafka_round(brokers: &str, input: &std::path::Path, n: usize) {
    use std::io::BufRead;
    use streamsql_runtime::kafka::{KafkaSink, KafkaSinkConfig};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let suffix = std::process::id();
    let (input_topic, output_topic) = (format!("bench-in-{suffix}"), format!("bench-out-{suffix}"));
    rt.block_on(async {
        let mut sink = KafkaSink::new(&KafkaSinkConfig {
            brokers: brokers.into(),
            topic: input_topic.clone(),
            properties: vec![],
        })
        .unwrap();
        let f = std::io::BufReader::new(std::fs::File::open(input).unwrap());
        for line in f.split(b'\n').take(n) {
            sink.send(None, Some(&line.unwrap())).await.unwrap();
        }
        sink.flush().await.unwrap();
    });
    let mut job = streamsql_examples::education::signalling_etl::Job::default();
    let info = driver::Job::info(&job);
    let (source, sink) = (info.sources[0], info.sinks[0]);
    let set = |t: &str, k: &str, v: &str| (format!("{t}.{k}"), v.to_string());
    let idle = std::time::Duration::from_secs(3);
    let opts = Options {
        sets: vec![
            set(source, "properties.bootstrap.servers", brokers),
            set(source, "topic", &input_topic),
            set(source, "scan.startup.mode", "earliest-offset"),
            set(sink, "properties.bootstrap.servers", brokers),
            set(sink, "topic", &output_topic),
        ],
        quiet: true,
        stop_when_idle: Some(idle),
        ..Options::default()
    };
    let cpu0 = streamsql_examples::cpu_seconds();
    let t = Instant::now();
    let c = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
    let wall = t.elapsed().as_secs_f64() - idle.as_secs_f64();
    let cpu = (streamsql_examples::cpu_seconds() - cpu0).max(1e-9);
    println!(
        "signalling_etl Kafka -> Kafka: {} messages -> {} rows: {:.2} M messages/s per core (CPU {:.2}s), {:.2} M messages/s end to end (wall {:.2}s without the idle wait; the broker shares the cores)",
        c.read,
        c.emitted,
        c.read as f64 / cpu / 1e6,
        cpu,
        c.read as f64 / wall.max(1e-9) / 1e6,
        wall
    );
}
