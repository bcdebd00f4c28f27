//! Sample data for every source and dimension table of the seed jobs.
//!
//! In: a [`Config`] (seed, row count, rates of late and messy rows) and a table name.
//! Out: JSON lines, byte-identical for the same config, shaped like what the seed
//! jobs' computed columns read: the nested signalling log (`data.msg.msg_data`), the
//! mashup and QoS logs, Agora audio/video records, the student/user/order change logs
//! (several versions of the same id), the mall WiFi-probe records, and the dimension
//! tables (shops, probe places, channel levels, visit records).
//!
//! Realism that the operators must survive: skewed keys (a few busy classrooms and
//! shops, Zipf-like), event-time disorder within each source's watermark delay, a
//! share of late rows (older than the watermark allows), and messy rows at
//! `messy_rate` — not JSON, a missing field, a `null`, a value of the wrong type.

mod json;
mod rng;

use json::Obj;
pub use rng::Rng;
use std::io::{self, Write};

/// 2024-03-02 08:00:00 UTC, in epoch milliseconds: where generated time starts.
pub const START_MS: i64 = 1_709_366_400_000;

#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    /// Rows to generate for a source table (dimension tables have their own sizes).
    pub count: usize,
    /// Event time covered by the rows, from [`START_MS`].
    pub span_ms: i64,
    /// Share of rows that are not JSON, miss a field, hold a null or a wrong type.
    pub messy_rate: f64,
    /// Share of rows whose event time is older than the source's watermark allows.
    pub late_rate: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            count: 10_000,
            span_ms: 36 * 3_600_000,
            messy_rate: 0.02,
            late_rate: 0.01,
        }
    }
}

/// What a table's rows are, and how much out-of-orderness its watermark allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// `timeline_analysis_student_stream`: raw live-class signalling (nested JSON).
    SignallingLog,
    /// `timeline_analysis_student_mashup_stream`: the cleaned signalling events.
    MashupLog,
    /// `blink_stg_activity__channel_name_dictionary_da`: registration level tests.
    RegistrationLevelLog,
    /// `qos_log_kafka`: recorded-class QoS/PPT log.
    QosLog,
    /// `qos_agora_record_kafka`: Agora audio/video quality records.
    AgoraRecord,
    /// `student_da_src`: student change log (several versions per id).
    StudentChangeLog,
    /// `user_da_in`: user registration change log.
    UserChangeLog,
    /// `cc_data_pack_order_info_src`: course-consultant order change log.
    OrderChangeLog,
    /// `user_wifidata`: mall WiFi-probe records.
    WifiProbe,
    /// `area_shop` (dimension): shops.
    AreaShop,
    /// `place_info` (dimension): probe positions per device.
    PlaceInfo,
    /// `channel_da` (dimension): channel levels, keyed by `MD5(channel_id)`.
    ChannelLevel,
    /// `shop_user_record` (dimension): customers already seen.
    ShopUserRecord,
}

/// Every table, with the name the example jobs give it.
pub const TABLES: &[(&str, Table)] = &[
    ("timeline_analysis_student_stream", Table::SignallingLog),
    ("timeline_analysis_student_mashup_stream", Table::MashupLog),
    (
        "blink_stg_activity__channel_name_dictionary_da",
        Table::RegistrationLevelLog,
    ),
    ("qos_log_kafka", Table::QosLog),
    ("qos_agora_record_kafka", Table::AgoraRecord),
    ("student_da_src", Table::StudentChangeLog),
    ("user_da_in", Table::UserChangeLog),
    ("cc_data_pack_order_info_src", Table::OrderChangeLog),
    ("user_wifidata", Table::WifiProbe),
    ("area_shop", Table::AreaShop),
    ("place_info", Table::PlaceInfo),
    ("channel_da", Table::ChannelLevel),
    ("shop_user_record", Table::ShopUserRecord),
];

impl Table {
    pub fn by_name(name: &str) -> Option<Table> {
        TABLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    pub fn name(self) -> &'static str {
        TABLES
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    pub fn is_dimension(self) -> bool {
        matches!(
            self,
            Table::AreaShop | Table::PlaceInfo | Table::ChannelLevel | Table::ShopUserRecord
        )
    }

    /// The out-of-orderness the jobs' watermark on this source tolerates, in ms.
    pub fn watermark_delay_ms(self) -> i64 {
        match self {
            Table::WifiProbe | Table::AgoraRecord => 60_000,
            // WITHOFFSET(time_stamp, 0): any disorder is lateness.
            Table::MashupLog => 0,
            _ => 5_000,
        }
    }
}

/// Counts of what was written, for the harness's report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub rows: usize,
    pub messy: usize,
    pub late: usize,
}

// Key pools shared by the tables that join on them (same seed -> same keys).
const SHOPS: usize = 40;
const MACS: usize = 2_000;
const CLASSROOMS: usize = 30;
const USERS: usize = 500;
const CHANNELS: usize = 25;
const CONSULTANTS: usize = 20;

fn shop_code(i: usize) -> String {
    format!("S{:03}", i + 1)
}

fn mac(i: usize) -> String {
    let b = (i as u32).to_be_bytes();
    format!("a4:5e:60:{:02x}:{:02x}:{:02x}", b[1], b[2], b[3])
}

fn channel_id(i: usize) -> String {
    format!("{}", 9000 + i)
}

/// `yyyy-MM-dd HH:mm:ss` in UTC (what `DATE_FORMAT` and `TO_TIMESTAMP` read).
pub fn datetime(ms: i64) -> String {
    let mut b = Vec::with_capacity(19);
    streamsql_runtime::encode::timestamp_text(&mut b, ms - ms.rem_euclid(1000));
    String::from_utf8(b).expect("ASCII")
}

/// Event times: increasing through the span, disordered within the watermark delay,
/// with a share of rows pushed behind the watermark (late).
struct Clock {
    i: usize,
    count: usize,
    span_ms: i64,
    delay_ms: i64,
    late_rate: f64,
    max_seen: i64,
}

impl Clock {
    fn new(cfg: &Config, table: Table) -> Self {
        Clock {
            i: 0,
            count: cfg.count.max(1),
            span_ms: cfg.span_ms,
            delay_ms: table.watermark_delay_ms(),
            late_rate: cfg.late_rate,
            max_seen: START_MS,
        }
    }

    /// The next event time, and whether it is late.
    fn next(&mut self, rng: &mut Rng) -> (i64, bool) {
        let base = START_MS + (self.i as i128 * self.span_ms as i128 / self.count as i128) as i64;
        self.i += 1;
        let late = self.i > 10 && rng.chance(self.late_rate);
        let t = if late {
            // Behind the watermark (max - delay) by up to ten minutes.
            self.max_seen - self.delay_ms - 1 - rng.below(600_000) as i64
        } else if self.delay_ms > 0 {
            base - rng.below(self.delay_ms as u64) as i64
        } else {
            base.max(self.max_seen)
        };
        self.max_seen = self.max_seen.max(t);
        (t, late)
    }
}

/// Ways a row can be messy.
#[derive(Clone, Copy)]
enum Mess {
    NotJson,
    MissingField,
    Null,
    WrongType,
}

fn pick_mess(rng: &mut Rng, rate: f64) -> Option<Mess> {
    if !rng.chance(rate) {
        return None;
    }
    Some(match rng.below(4) {
        0 => Mess::NotJson,
        1 => Mess::MissingField,
        2 => Mess::Null,
        _ => Mess::WrongType,
    })
}

/// Applies a mess to one field of a row about to be written.
fn spoil(obj: &mut Obj, mess: Mess, rng: &mut Rng) -> Option<String> {
    match mess {
        Mess::NotJson => Some(
            [
                "not json at all",
                "{\"truncated\": ",
                "<xml>oops</xml>",
                "",
                "[1, 2",
            ][rng.below(5) as usize]
                .to_string(),
        ),
        Mess::MissingField => {
            obj.remove_random(rng);
            None
        }
        Mess::Null => {
            obj.null_random(rng);
            None
        }
        Mess::WrongType => {
            obj.retype_random(rng);
            None
        }
    }
}

/// Writes `table`'s rows as JSON lines.
pub fn generate(table: Table, cfg: &Config, out: &mut dyn Write) -> io::Result<Stats> {
    // One stream per table so tables are independent of generation order.
    let mut rng = Rng::new(cfg.seed ^ (table as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut stats = Stats::default();
    if table.is_dimension() {
        for row in dimension_rows(table, &mut Rng::new(cfg.seed)) {
            writeln!(out, "{row}")?;
            stats.rows += 1;
        }
        return Ok(stats);
    }
    let mut clock = Clock::new(cfg, table);
    let mut versions = Versions::default();
    for _ in 0..cfg.count {
        let (t, late) = clock.next(&mut rng);
        let mut obj = source_row(table, t, &mut rng, &mut versions);
        let mess = pick_mess(&mut rng, cfg.messy_rate);
        let line = match mess.and_then(|m| spoil(&mut obj, m, &mut rng)) {
            Some(garbage) => garbage,
            None => obj.to_string(),
        };
        writeln!(out, "{line}")?;
        stats.rows += 1;
        stats.messy += usize::from(mess.is_some());
        stats.late += usize::from(late);
    }
    Ok(stats)
}

/// Per-id versions of the change-log topics.
#[derive(Default)]
struct Versions {
    next_id: usize,
}

fn source_row(table: Table, t: i64, rng: &mut Rng, v: &mut Versions) -> Obj {
    match table {
        Table::SignallingLog => {
            // A few busy rooms; most messages are the scored student actions.
            let room = 1000 + rng.zipf(CLASSROOMS, 1.1);
            let user = 50_000 + rng.zipf(USERS, 0.8);
            let (target_type, action, sub_action, target_id) = *rng.pick(&[
                ("shape", "move", "", "pic-1"),
                ("shape", "mouse", "over", "pic-2"),
                ("shape", "mouse", "out", "pic-2"),
                ("shape", "add", "", "line-1"),
                ("template", "audio", "start", "audio-1"),
                ("template", "audio", "pause", "audio-1"),
                ("template", "match", "drop:wrong", "match"),
                ("template", "match", "drop:correct", "match"),
                ("template", "page", "turn", "ppt"),
            ]);
            let msg_data = Obj::new()
                .s("target_id", target_id)
                .s("target_type", target_type)
                .s("action", action)
                .s("sub_action", sub_action)
                .s("page_index", &rng.below(30).to_string());
            let msg = Obj::new()
                .s("msgtype", rng.pick_str(&["116", "116", "116", "117"]))
                .o("msg_data", msg_data);
            let data = Obj::new()
                .s("userid", &user.to_string())
                .s("roomid", &room.to_string())
                .s("timestamp", &t.to_string())
                .s("role", rng.pick_str(&["2", "2", "2", "1"]))
                .s("msgid", rng.pick_str(&["305", "305", "305", "306"]))
                .o("msg", msg);
            Obj::new()
                .s("createTime", &(t - rng.below(50) as i64).to_string())
                .o("data", data)
        }
        Table::MashupLog => Obj::new()
            .n("userId", (50_000 + rng.zipf(USERS, 0.8)) as i64)
            .s("roomId", &(1000 + rng.zipf(CLASSROOMS, 1.1)).to_string())
            .s("role", rng.pick_str(&["2", "2", "2", "1"]))
            .s(
                "event",
                rng.pick_str(&[
                    "PICTURE_MOVE",
                    "PICTURE_HOVER",
                    "LINE_DRAW",
                    "AUDIO_START",
                    "AUDIO_PAUSE",
                    "MATCH_WRONG",
                    "MATCH_CORRECT",
                ]),
            )
            .n("timeStamp", t),
        Table::RegistrationLevelLog => {
            let id = rng.below(USERS as u64) as usize;
            Obj::new()
                .s("id", &id.to_string())
                .s("chinese_name", &format!("学生{id}"))
                .s("english_name", &format!("student{id}"))
                .s("level", rng.pick_str(&["A", "B", "C", "D", "E"]))
                .s("pid", &format!("p{}", rng.below(100)))
                .s("create_time", &datetime(t - 86_400_000))
                .s("update_time", &datetime(t))
                .s("dept_id", &rng.below(10).to_string())
        }
        Table::QosLog => {
            let user = 70_000 + rng.zipf(USERS, 0.9);
            let room = format!("R{}", 100 + rng.zipf(CLASSROOMS, 1.1));
            let sub = rng.pick_str(&[
                "PPT_START",
                "PPT_PLAY",
                "PPT_PLAY",
                "PPT_PAGE",
                "PPT_SUCCESS",
            ]);
            let extra = Obj::new()
                .n("data_time", t - rng.below(1000) as i64)
                .o("msg", Obj::new().n("index", rng.below(40) as i64));
            Obj::new()
                .s("classroom_id", &room)
                .s(
                    "user_type",
                    rng.pick_str(&["student", "student", "teacher"]),
                )
                .n("user_id", user as i64)
                .n("event_time", t)
                .s("sub_event", sub)
                .o("extra", extra)
        }
        Table::AgoraRecord => {
            let video = Obj::new()
                .n("fr", rng.below(30) as i64 - 1)
                .n("uid", 800_000 + rng.below(50) as i64);
            let audio = Obj::new()
                .n("lost", rng.below(20) as i64 - 1)
                .n("uid", 900_000 + rng.below(50) as i64);
            Obj::new()
                .s(
                    "classroom_id",
                    &format!("{}", 1000 + rng.zipf(CLASSROOMS, 1.1)),
                )
                .s(
                    "user_type",
                    rng.pick_str(&["student", "student", "student", "teacher"]),
                )
                .n("user_id", (60_000 + rng.zipf(USERS, 0.9)) as i64)
                .n(
                    "agora_channel_id",
                    (3000 + rng.zipf(CLASSROOMS, 1.1)) as i64,
                )
                .s("event", rng.pick_str(&["NETWORK", "NETWORK", "DEVICE"]))
                .o("agora_videoState", video)
                .o("agora_audioState", audio)
                .n("messageCreateTime", t)
        }
        Table::StudentChangeLog => {
            let id = change_log_id(rng, v, USERS);
            Obj::new()
                .s("id", &id.to_string())
                .s("channel_id", &channel_id(rng.zipf(CHANNELS, 1.0)))
                .s("update_time", &datetime(t))
        }
        Table::UserChangeLog => {
            let id = change_log_id(rng, v, USERS);
            let name = match rng.below(20) {
                0 => format!("测试{id}"),
                1 => format!("bM_{id}"),
                2 => format!("test{id}"),
                3 => format!("bMx{id}"),
                _ => format!("user{id}"),
            };
            Obj::new()
                .s("id", &id.to_string())
                .s("name", &name)
                .s(
                    "register_date_time",
                    &datetime(t - rng.below(3_600_000) as i64),
                )
                .s(
                    "status",
                    rng.pick_str(&["NORMAL", "NORMAL", "NORMAL", "DISABLED"]),
                )
        }
        Table::OrderChangeLog => {
            let id = change_log_id(rng, v, USERS * 2);
            let status = rng.pick_str(&["1", "2", "3", "3", "4"]);
            let confirm = if status == "3" || rng.chance(0.3) {
                datetime(t)
            } else {
                String::new()
            };
            let mut o = Obj::new()
                .s("id", &id.to_string())
                .s("leads_flow_event_id", &rng.below(1_000_000).to_string())
                .s("group_id", &rng.below(10).to_string())
                .s("cc_id", &(100 + rng.zipf(CONSULTANTS, 1.0)).to_string())
                .s(
                    "student_id",
                    &(50_000 + rng.below(USERS as u64)).to_string(),
                )
                .s("order_id", &format!("O{id}"));
            o = if confirm.is_empty() {
                o.null("confirm_date_time")
            } else {
                o.s("confirm_date_time", &confirm)
            };
            o.s("create_time", &datetime(t - 86_400_000))
                .s("update_time", &datetime(t))
                .s("order_create_time", &datetime(t - 3_600_000))
                .null("canceled_date_time")
                .null("apply_refund_date")
                .s("status", status)
        }
        Table::WifiProbe => {
            let shop = rng.zipf(SHOPS, 1.0);
            let device = rng.zipf(MACS, 0.7);
            Obj::new()
                .s("id", &format!("{}", rng.next_u64() % 1_000_000_000))
                .s("shop_code", &shop_code(shop))
                .s("ap_ip", &format!("10.0.{}.{}", shop, 1 + rng.below(4)))
                // Epoch seconds, as the probes send it.
                .s("occur_time", &t.div_euclid(1000).to_string())
                .s("user_device_mac", &mac(device))
                .s("rssi", &format!("-{}", 30 + rng.below(60)))
                .s(
                    "ap_mac",
                    &format!("00:1a:2b:{:02x}:00:{:02x}", shop, rng.below(4)),
                )
                .s("pt", &datetime(t)[..10].replace('-', ""))
        }
        dim => unreachable!("{dim:?} is a dimension table"),
    }
}

/// Change logs: mostly new ids early on, later mostly updates of ids already seen.
fn change_log_id(rng: &mut Rng, v: &mut Versions, pool: usize) -> usize {
    if v.next_id < pool && (v.next_id < 5 || rng.chance(0.4)) {
        v.next_id += 1;
        v.next_id - 1
    } else {
        rng.zipf(v.next_id.max(1), 0.6)
    }
}

fn dimension_rows(table: Table, rng: &mut Rng) -> Vec<Obj> {
    match table {
        Table::AreaShop => (0..SHOPS)
            // A few shops are missing from the dimension (lookup misses).
            .filter(|i| i % 13 != 12)
            .map(|i| {
                Obj::new()
                    .n("id", i as i64 + 1)
                    .s("shop_code", &shop_code(i))
                    .s("shop_name", &format!("Shop {}", i + 1))
            })
            .collect(),
        Table::PlaceInfo => (0..MACS)
            .filter(|i| i % 10 != 9)
            .map(|i| {
                Obj::new()
                    .s("user_device_mac", &mac(i))
                    .n("used_x", 120_000 + rng.below(500) as i64)
                    .n("used_y", 30_000 + rng.below(500) as i64)
                    .n("min_rssi", -(30 + rng.below(60) as i64))
            })
            .collect(),
        Table::ChannelLevel => (0..CHANNELS)
            .map(|i| {
                let id = channel_id(i);
                Obj::new()
                    .s("rowkey", &md5_hex(id.as_bytes()))
                    .s("id", &id)
                    .s("level", ["A", "B", "C", "D", "E"][i % 5])
            })
            .collect(),
        Table::ShopUserRecord => (0..MACS)
            // Every fifth device is a known regular.
            .filter(|i| i % 5 == 0)
            .map(|i| {
                let first = START_MS - 86_400_000 * (1 + rng.below(30) as i64);
                Obj::new()
                    .s("user_device_mac", &mac(i))
                    .s("first_come_flag", "0")
                    .s("first_coming_time", &datetime(first))
                    .s("last_coming_time", &datetime(first + 3_600_000))
            })
            .collect(),
        source => unreachable!("{source:?} is not a dimension table"),
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    streamsql_runtime::func::hash::md5_hex(&String::from_utf8_lossy(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(table: Table, cfg: &Config) -> String {
        let mut out = Vec::new();
        generate(table, cfg, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let cfg = Config {
            count: 2_000,
            ..Config::default()
        };
        for (_, t) in TABLES {
            assert_eq!(text(*t, &cfg), text(*t, &cfg), "{t:?}");
        }
        let other = Config {
            seed: 7,
            ..cfg.clone()
        };
        assert_ne!(text(Table::WifiProbe, &cfg), text(Table::WifiProbe, &other));
    }

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(datetime(START_MS), "2024-03-02 08:00:00");
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(md5_hex(b"9000"), "d5ab8dc7ef67ca92e41d730982c5c602");
    }

    #[test]
    fn rows_are_mostly_valid_json_with_the_promised_mess_and_lateness() {
        let cfg = Config {
            count: 20_000,
            messy_rate: 0.05,
            late_rate: 0.02,
            ..Config::default()
        };
        let mut out = Vec::new();
        let stats = generate(Table::WifiProbe, &cfg, &mut out).unwrap();
        assert_eq!(stats.rows, 20_000);
        assert!((700..1300).contains(&stats.messy), "{stats:?}");
        assert!((250..550).contains(&stats.late), "{stats:?}");
        let text = String::from_utf8(out).unwrap();
        let json_lines = text
            .lines()
            .filter(|l| l.starts_with('{') && l.ends_with('}'))
            .count();
        assert!(json_lines > 19_000, "{json_lines}");
        // Skew: the busiest shop has many times the rows of the median one.
        let busiest = text.matches("\"shop_code\":\"S001\"").count();
        let quiet = text.matches("\"shop_code\":\"S020\"").count();
        assert!(busiest > 5 * quiet.max(1), "{busiest} vs {quiet}");
    }

    #[test]
    fn change_logs_update_the_same_ids() {
        let cfg = Config {
            count: 3_000,
            messy_rate: 0.0,
            ..Config::default()
        };
        let text = text(Table::OrderChangeLog, &cfg);
        let mut ids: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split("\"id\":\"").nth(1))
            .filter_map(|r| r.split('"').next())
            .collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert!(ids.len() * 2 < total, "{} distinct of {total}", ids.len());
    }
}

/// The output's fingerprint: a change to any generator shows up here (and is reviewed
/// as a snapshot), so "same seed, same bytes" also holds across versions.
#[cfg(test)]
mod fingerprint {
    use super::*;

    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    #[test]
    fn every_table_has_a_stable_fingerprint() {
        let cfg = Config {
            count: 1_000,
            ..Config::default()
        };
        let mut text = String::new();
        for (name, t) in TABLES {
            let mut out = Vec::new();
            let s = generate(*t, &cfg, &mut out).unwrap();
            text.push_str(&format!(
                "{name}: {} rows, {} messy, {} late, fnv1a {:016x}\n",
                s.rows,
                s.messy,
                s.late,
                fnv1a(&out)
            ));
        }
        expect_test::expect![[r#"
            timeline_analysis_student_stream: 1000 rows, 14 messy, 6 late, fnv1a 58c1a7cbc5fea448
            timeline_analysis_student_mashup_stream: 1000 rows, 22 messy, 10 late, fnv1a f17ab92f39a271bf
            blink_stg_activity__channel_name_dictionary_da: 1000 rows, 22 messy, 15 late, fnv1a d353e0da503d4bfa
            qos_log_kafka: 1000 rows, 15 messy, 8 late, fnv1a ddea55368fdbd8b7
            qos_agora_record_kafka: 1000 rows, 16 messy, 14 late, fnv1a fe69417d3e181e9f
            student_da_src: 1000 rows, 23 messy, 11 late, fnv1a 94e982de8d6a8afa
            user_da_in: 1000 rows, 28 messy, 10 late, fnv1a d4ee6db0cb5fd02f
            cc_data_pack_order_info_src: 1000 rows, 28 messy, 13 late, fnv1a 9d45c3fa4d1dd4d9
            user_wifidata: 1000 rows, 27 messy, 18 late, fnv1a 7be831d2e8c97015
            area_shop: 37 rows, 0 messy, 0 late, fnv1a 116fd41efc05f6a9
            place_info: 1800 rows, 0 messy, 0 late, fnv1a b7a2dd5770efc5d2
            channel_da: 25 rows, 0 messy, 0 late, fnv1a 68cb517814dfa9bf
            shop_user_record: 400 rows, 0 messy, 0 late, fnv1a f089e3de55a24b78
        "#]].assert_eq(&text);
    }
}
