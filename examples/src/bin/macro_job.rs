//! The macro way in: a job written inline with `stream_sql!`, its plan printed.
//! `cargo run -p streamsql-examples --bin macro_job`

mod daily_mall_traffic {
    streamsql_macros::stream_sql!(
        daily_mall_traffic,
        r#"
        -- Daily mall traffic (the IoT seed's first job), inline.
        CREATE TABLE user_wifidata (
            id              varchar,
            shop_code       varchar,
            occur_time      varchar,
            user_device_mac varchar,
            ts_occur_time AS TO_TIMESTAMP(CAST(occur_time AS BIGINT) * 1000),
            WATERMARK FOR ts_occur_time AS withOffset(ts_occur_time, 60000)
        ) WITH (type = 'datahub');

        CREATE TABLE trading_area_daily_people (
            count_date varchar,
            people_sum bigint,
            PRIMARY KEY (count_date)
        ) WITH (type = 'rds');

        INSERT INTO trading_area_daily_people
        SELECT DATE_FORMAT(ts_occur_time, 'yyyy-MM-dd'), COUNT(DISTINCT user_device_mac)
        FROM user_wifidata
        GROUP BY DATE_FORMAT(ts_occur_time, 'yyyy-MM-dd');
        "#
    );
}

fn main() {
    let info = &daily_mall_traffic::INFO;
    println!("job {} ({} dialect)", info.name, info.dialect);
    for t in info.tables {
        println!(
            "  table {} [{}] key {:?}",
            t.name, t.connector, t.primary_key
        );
    }
    println!("{}", info.plan);
    let row = daily_mall_traffic::TradingAreaDailyPeopleRow {
        count_date: "2024-03-02".to_string(),
        people_sum: Some(42),
    };
    println!("a sink row: {row:?}");
}
