//! The signalling ETL Kafka -> Kafka through a real Kafka-protocol broker (Tansu,
//! started by `tests/kafka/broker.sh` unless `STREAMSQL_KAFKA_BROKERS` names one): the
//! same generated messages give the same rows as the file -> file run, and the job
//! commits its source offsets only after its sink has the rows.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use streamsql_examples::datagen::{self, Config, Table};
use streamsql_generated::education::signalling_etl::Job;
use streamsql_runtime::batch::MessageBatch;
use streamsql_runtime::driver::{self, Options};
use streamsql_runtime::kafka::{
    KafkaSink, KafkaSinkConfig, KafkaSource, KafkaSourceConfig, StartOffset,
};
use streamsql_tests::harness::{self, compare};
use streamsql_tests::support;

/// The job's rows as comparable rows (message values, processing times masked).
fn rows(lines: Vec<String>) -> Vec<compare::Row> {
    let lines = harness::message_rows(lines, false).unwrap();
    let proctime: BTreeSet<String> = ["message".to_string()].into();
    compare::read_rows(&lines, compare::SinkFormat::Json, &proctime).unwrap()
}

#[test]
fn signalling_etl_kafka_to_kafka_equals_file_to_file() {
    let brokers = harness::kafka_brokers();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let suffix = support::unique();
    let (input_topic, output_topic) = (format!("sig-in-{suffix}"), format!("sig-out-{suffix}"));

    // The generated input, as a file and as records of the input topic.
    let cfg = Config {
        count: 3_000,
        ..Config::default()
    };
    let mut data = Vec::new();
    datagen::generate(Table::SignallingLog, &cfg, &mut data).unwrap();
    let dir = harness::root().join("target/kafka-e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let input_file = dir.join("signalling.jsonl");
    std::fs::write(&input_file, &data).unwrap();
    rt.block_on(async {
        let mut sink = KafkaSink::new(&KafkaSinkConfig {
            brokers: brokers.clone(),
            topic: input_topic.clone(),
            properties: vec![],
        })
        .unwrap();
        // One record per line, empty lines included (an empty message, as in the file).
        let text = data.strip_suffix(b"\n").unwrap_or(&data);
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            sink.send(Some(format!("k{i}").as_bytes()), Some(line))
                .await
                .unwrap();
        }
        sink.flush().await.unwrap();
    });

    // File -> file, the reference.
    let mut job = Job::default();
    let info = driver::Job::info(&job);
    let (source, sink) = (info.sources[0], info.sinks[0]);
    let file_out = dir.join("out.jsonl");
    let file_opts = Options {
        inputs: vec![(source.into(), input_file.display().to_string())],
        outputs: vec![(sink.into(), file_out.display().to_string())],
        batch_size: 512,
        quiet: true,
        ..Options::default()
    };
    let file_counts = driver::run(&mut job, &file_opts, &AtomicBool::new(false)).unwrap();
    let from_file: Vec<String> = std::fs::read_to_string(&file_out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();

    // Kafka -> Kafka: the table options point at the broker and the test's topics.
    let set = |t: &str, k: &str, v: &str| (format!("{t}.{k}"), v.to_string());
    let kafka_opts = Options {
        sets: vec![
            set(source, "properties.bootstrap.servers", &brokers),
            set(source, "topic", &input_topic),
            set(source, "scan.startup.mode", "earliest-offset"),
            set(source, "properties.group.id", &format!("g-{suffix}")),
            set(sink, "properties.bootstrap.servers", &brokers),
            set(sink, "topic", &output_topic),
        ],
        batch_size: 512,
        quiet: true,
        stop_when_idle: Some(Duration::from_secs(4)),
        ..Options::default()
    };
    let kafka_counts = driver::run(&mut job, &kafka_opts, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        kafka_counts.read, file_counts.read,
        "every input record read once"
    );
    assert_eq!(kafka_counts.emitted, file_counts.emitted);

    // Read the output topic back.
    let (from_kafka, keys): (Vec<String>, Vec<Option<Vec<u8>>>) = rt.block_on(async {
        let mut src = KafkaSource::new(&KafkaSourceConfig {
            brokers: brokers.clone(),
            topics: vec![output_topic.clone()],
            group_id: format!("reader-{suffix}"),
            start: StartOffset::Earliest,
            properties: vec![("session.timeout.ms".into(), "2000".into())],
        })
        .unwrap();
        let mut out = Vec::new();
        let mut keys = Vec::new();
        let mut batch = MessageBatch::default();
        let deadline = Instant::now() + Duration::from_secs(60);
        while out.len() < from_file.len() && Instant::now() < deadline {
            batch.clear();
            src.next_batch(&mut batch, 1024, Duration::from_millis(500))
                .await
                .unwrap();
            out.extend(
                batch
                    .iter()
                    .map(|m| String::from_utf8_lossy(m.value).into_owned()),
            );
            keys.extend(batch.iter().map(|m| m.key.map(<[u8]>::to_vec)));
        }
        (out, keys)
    });
    // The Blink sink's messageKey (= the source record's key) is the record key.
    assert!(
        keys.iter()
            .all(|k| k.as_deref().is_some_and(|k| k.starts_with(b"k"))),
        "{keys:?}"
    );
    assert_eq!(
        from_kafka.len(),
        from_file.len(),
        "every output row reached the topic"
    );
    assert!(compare::compare(&rows(from_file), &rows(from_kafka)).is_match());
}

/// Rows held in open windows when a job is stopped (a signal fires nothing) are not
/// lost: the source's committed offsets stay below them, so the restarted job reads
/// them again and emits their windows.
#[test]
fn window_rows_held_at_a_stop_are_read_again_after_a_restart() {
    use streamsql_generated::education::classroom_performance::Job as WindowJob;
    let brokers = harness::kafka_brokers();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let suffix = support::unique();
    let topic = format!("win-in-{suffix}");
    // Five actions of one user within one minute: one window, open until the end.
    rt.block_on(async {
        let mut sink = KafkaSink::new(&KafkaSinkConfig {
            brokers: brokers.clone(),
            topic: topic.clone(),
            properties: vec![],
        })
        .unwrap();
        for i in 0..5i64 {
            let m = format!(
                r#"{{"userId":1,"roomId":"7","role":2,"event":"A","timeStamp":{}}}"#,
                1_709_373_600_000i64 + i * 1_000
            );
            sink.send(None, Some(m.as_bytes())).await.unwrap();
        }
        sink.flush().await.unwrap();
    });
    let mut job = WindowJob::default();
    let info = driver::Job::info(&job);
    let (source, sink) = (info.sources[0], info.sinks[0]);
    let dir = harness::root().join(format!("target/kafka-e2e/win-{suffix}"));
    std::fs::create_dir_all(&dir).unwrap();
    let set = |t: &str, k: &str, v: &str| (format!("{t}.{k}"), v.to_string());
    let opts = |out: &str, idle: Option<Duration>| Options {
        sets: vec![
            set(source, "properties.bootstrap.servers", &brokers),
            set(source, "topic", &topic),
            set(source, "scan.startup.mode", "group-offsets"),
            set(source, "properties.group.id", &format!("g-{suffix}")),
        ],
        outputs: vec![(sink.into(), dir.join(out).display().to_string())],
        batch_size: 64,
        quiet: true,
        stop_when_idle: idle,
        ..Options::default()
    };
    // First run: stopped as by SIGTERM while the window is open.
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let stopper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(12));
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        })
    };
    let first = driver::run(&mut job, &opts("first.jsonl", None), &stop).unwrap();
    stopper.join().unwrap();
    assert_eq!(first.read, 5, "the first run read the topic");
    assert_eq!(first.emitted, 0, "the window was still open");
    // Second run, same consumer group: the held rows come again and fire at the end.
    let mut job = WindowJob::default();
    let second = driver::run(
        &mut job,
        &opts("second.jsonl", Some(Duration::from_secs(4))),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(second.read, 5, "nothing held was committed");
    let out = std::fs::read_to_string(dir.join("second.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["event_count"], 5, "{out}");
}

/// `--stop-when-idle` counts from when the source has its partitions: a group join
/// slower than the idle time (Tansu's takes seconds) does not end the run before it has
/// read anything.
#[test]
fn a_bounded_run_waits_for_its_partitions_before_counting_idle_time() {
    let brokers = harness::kafka_brokers();
    let topic = format!("idle-in-{}", support::unique());
    let lines: String = (0..7)
        .map(|i| format!("{{\"eventType\":\"signal\",\"seq\":{i}}}\n"))
        .collect();
    assert_eq!(
        streamsql_runtime::kafka::produce_lines(&brokers, &topic, lines.as_bytes()).unwrap(),
        7
    );
    let mut job = Job::default();
    let info = driver::Job::info(&job);
    let (source, sink) = (info.sources[0], info.sinks[0]);
    let dir = harness::root().join("target/kafka-e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let set = |k: &str, v: &str| (format!("{source}.{k}"), v.to_string());
    let opts = Options {
        sets: vec![
            set("properties.bootstrap.servers", &brokers),
            set("topic", &topic),
            set("scan.startup.mode", "earliest-offset"),
            set("properties.group.id", &format!("g-{topic}")),
        ],
        outputs: vec![(
            sink.into(),
            dir.join(format!("{topic}.jsonl")).display().to_string(),
        )],
        quiet: true,
        // Far shorter than a group join.
        stop_when_idle: Some(Duration::from_millis(200)),
        ..Options::default()
    };
    let started = Instant::now();
    let report = driver::run(&mut job, &opts, &AtomicBool::new(false)).unwrap();
    assert_eq!(report.read, 7, "after {:?}", started.elapsed());
}
