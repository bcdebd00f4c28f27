//! Committed compiler output for every example job (`examples/<domain>/<job>.sql` ->
//! `generated/<domain>/<job>.rs`), compiled here so a change that breaks generated code
//! fails the build. `tests/tests/generated.rs` fails when a file is stale; regenerate with
//! `UPDATE_EXPECT=1 cargo test -p streamsql-tests --test generated` and review the diff.

pub mod education {
    include!("../education/av_network_monitoring.rs");
    include!("../education/classroom_performance.rs");
    include!("../education/daily_course_consultant_tracking.rs");
    include!("../education/hourly_registrations_by_level.rs");
    include!("../education/offline_study_time.rs");
    include!("../education/registration_level_etl.rs");
    include!("../education/signalling_etl.rs");
}

pub mod iot {
    include!("../iot/customer_positions.rs");
    include!("../iot/daily_mall_traffic.rs");
    include!("../iot/daily_new_customers.rs");
    include!("../iot/daily_shop_traffic.rs");
    include!("../iot/favourite_shop.rs");
    include!("../iot/peak_hour.rs");
    include!("../iot/shops_visited_more_than_once.rs");
    include!("../iot/top5_shops.rs");
}
