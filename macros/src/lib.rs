//! `stream_sql!`: compiles a Flink/Blink streaming-SQL job into Rust items at build
//! time; errors point at the SQL. All the work is in `streamsql_compiler::expand`.
//!
//! ```
//! mod daily_mall_traffic {
//!     streamsql_macros::stream_sql!(r#"
//!         CREATE TABLE user_wifidata (
//!             user_device_mac VARCHAR,
//!             occur_time VARCHAR,
//!             ts AS TO_TIMESTAMP(CAST(occur_time AS BIGINT) * 1000),
//!             WATERMARK FOR ts AS WITHOFFSET(ts, 60000)
//!         ) WITH (type = 'datahub');
//!         CREATE TABLE trading_area_daily_people (
//!             count_date VARCHAR, people_sum BIGINT, PRIMARY KEY (count_date)
//!         ) WITH (type = 'rds');
//!         INSERT INTO trading_area_daily_people
//!         SELECT DATE_FORMAT(ts, 'yyyy-MM-dd'), COUNT(DISTINCT user_device_mac)
//!         FROM user_wifidata GROUP BY DATE_FORMAT(ts, 'yyyy-MM-dd');
//!     "#);
//! }
//! assert_eq!(daily_mall_traffic::INFO.tables.len(), 2);
//! ```

use proc_macro::TokenStream;

/// Compiles the job in the string literal; see the crate docs.
#[proc_macro]
pub fn stream_sql(input: TokenStream) -> TokenStream {
    streamsql_compiler::expand::stream_sql(input.into()).into()
}
