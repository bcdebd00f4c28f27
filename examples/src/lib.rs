//! The seed jobs, compiled by `build.rs` through `streamsql_compiler::Build`: one module
//! per job file, included from `OUT_DIR`; and [`datagen`], sample data for their tables.

pub mod datagen;

/// User + system CPU seconds of this process, all threads (Linux `/proc/self/stat`;
/// 0 elsewhere): what the benchmarks divide by for events/s per core.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

pub mod education {
    include!(concat!(env!("OUT_DIR"), "/av_network_monitoring.rs"));
    include!(concat!(env!("OUT_DIR"), "/classroom_performance.rs"));
    include!(concat!(
        env!("OUT_DIR"),
        "/daily_course_consultant_tracking.rs"
    ));
    include!(concat!(
        env!("OUT_DIR"),
        "/hourly_registrations_by_level.rs"
    ));
    include!(concat!(env!("OUT_DIR"), "/offline_study_time.rs"));
    include!(concat!(env!("OUT_DIR"), "/registration_level_etl.rs"));
    include!(concat!(env!("OUT_DIR"), "/signalling_etl.rs"));
    include!(concat!(env!("OUT_DIR"), "/updating_features.rs"));
    include!(concat!(env!("OUT_DIR"), "/window_features.rs"));
}

pub mod iot {
    include!(concat!(env!("OUT_DIR"), "/customer_positions.rs"));
    include!(concat!(
        env!("OUT_DIR"),
        "/customer_positions_per_second.rs"
    ));
    include!(concat!(env!("OUT_DIR"), "/daily_mall_traffic.rs"));
    include!(concat!(env!("OUT_DIR"), "/daily_new_customers.rs"));
    include!(concat!(env!("OUT_DIR"), "/daily_shop_traffic.rs"));
    include!(concat!(env!("OUT_DIR"), "/favourite_shop.rs"));
    include!(concat!(env!("OUT_DIR"), "/peak_hour.rs"));
    include!(concat!(env!("OUT_DIR"), "/peak_hour_counts.rs"));
    include!(concat!(env!("OUT_DIR"), "/shop_rankings.rs"));
    include!(concat!(env!("OUT_DIR"), "/shops_visited_more_than_once.rs"));
    include!(concat!(env!("OUT_DIR"), "/top5_shops.rs"));
}

/// The Kafka topic a Kafka table reads or writes.
pub fn kafka_topic(t: &streamsql_runtime::TableInfo) -> Option<&str> {
    (t.connector == "kafka").then(|| t.option("topic").unwrap_or(t.name))
}

/// The Kafka topics the sinks of `jobs` write: a source reading one of them is fed by
/// that job rather than by generated data.
pub fn topics_written<'a>(
    jobs: impl IntoIterator<Item = &'a streamsql_runtime::JobInfo>,
) -> Vec<&'a str> {
    jobs.into_iter()
        .flat_map(|info| {
            info.sinks
                .iter()
                .filter_map(|s| info.table(s))
                .filter_map(kafka_topic)
        })
        .collect()
}

/// Every example job, runnable: its name (`domain/job`) and a fresh instance.
pub fn runnable_jobs() -> Vec<(&'static str, Box<dyn streamsql_runtime::driver::Job>)> {
    macro_rules! jobs {
        ($($domain:ident :: $job:ident),* $(,)?) => {
            vec![$((
                concat!(stringify!($domain), "/", stringify!($job)),
                Box::new($domain::$job::Job::default()) as Box<dyn streamsql_runtime::driver::Job>,
            )),*]
        };
    }
    jobs![
        education::av_network_monitoring,
        education::classroom_performance,
        education::daily_course_consultant_tracking,
        education::hourly_registrations_by_level,
        education::offline_study_time,
        education::registration_level_etl,
        education::signalling_etl,
        education::updating_features,
        education::window_features,
        iot::customer_positions,
        iot::customer_positions_per_second,
        iot::daily_mall_traffic,
        iot::daily_new_customers,
        iot::daily_shop_traffic,
        iot::favourite_shop,
        iot::peak_hour,
        iot::peak_hour_counts,
        iot::shop_rankings,
        iot::shops_visited_more_than_once,
        iot::top5_shops,
    ]
}

/// Every example job, in file order.
pub const JOBS: [&streamsql_runtime::JobInfo; 20] = [
    &education::av_network_monitoring::INFO,
    &education::classroom_performance::INFO,
    &education::daily_course_consultant_tracking::INFO,
    &education::hourly_registrations_by_level::INFO,
    &education::offline_study_time::INFO,
    &education::registration_level_etl::INFO,
    &education::signalling_etl::INFO,
    &education::updating_features::INFO,
    &education::window_features::INFO,
    &iot::customer_positions::INFO,
    &iot::customer_positions_per_second::INFO,
    &iot::daily_mall_traffic::INFO,
    &iot::daily_new_customers::INFO,
    &iot::daily_shop_traffic::INFO,
    &iot::favourite_shop::INFO,
    &iot::peak_hour::INFO,
    &iot::peak_hour_counts::INFO,
    &iot::shop_rankings::INFO,
    &iot::shops_visited_more_than_once::INFO,
    &iot::top5_shops::INFO,
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_job_is_compiled_by_the_build_script() {
        assert_eq!(super::JOBS.len(), 20);
        for job in super::JOBS {
            assert!(job.plan.contains("Sink: "), "{}", job.name);
            assert_eq!(job.dialect, "Blink", "{}", job.name);
        }
    }
}
