//! `examples/education/av_network_monitoring.sql` by hand: per 30 s event-time tumbling
//! window, the audio losses and the video faults of students, summed, averaged and
//! counted per (user, channel, classroom, event, audio or video uid).
//!
//! In: `qos_agora_record_kafka` message lines. Out: the rows of `user_av_mysql` as the
//! job writes them (`{"start_time":...,"create_time":...}`), each window's rows when
//! the watermark (`messageCreateTime - 60 s`, raised after every row) passes its end,
//! the rest at the end of the input. A row with a NULL `messageCreateTime` is dropped;
//! a row whose window the watermark already passed is late and skipped.

use super::daily_mall_traffic::{civil_from_days, decimal, parse_bigint};
use super::scan::{self, Val};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use streamsql_runtime::encode;

const SIZE: i64 = 30_000;
const DELAY: i64 = 60_000;

/// Accumulators of one group: `SUM(x)`, `AVG(CAST(x AS DOUBLE))`, `COUNT(event)`.
#[derive(Default)]
struct Acc {
    sum: i64,
    sum_f: f64,
    n: i64,
    events: i64,
}

/// Groups per window start; a group's key is its fields encoded into bytes (see
/// [`key`]), so that a lookup allocates nothing.
type Windows = BTreeMap<i64, foldhash::HashMap<Box<[u8]>, Acc>>;

pub struct AvNetworkMonitoring {
    audio: Windows,
    video: Windows,
    watermark: i64,
    key: Vec<u8>,
    out: Vec<u8>,
    pub emitted: u64,
}

impl Default for AvNetworkMonitoring {
    fn default() -> Self {
        AvNetworkMonitoring {
            audio: Windows::new(),
            video: Windows::new(),
            watermark: i64::MIN,
            key: Vec::new(),
            out: Vec::new(),
            emitted: 0,
        }
    }
}

/// The fields of one message the job reads.
#[derive(Default)]
struct Message<'a> {
    classroom: Option<Cow<'a, [u8]>>,
    user_type: Option<Cow<'a, [u8]>>,
    user: Option<i64>,
    channel: Option<i64>,
    event: Option<Cow<'a, [u8]>>,
    video: Option<Val<'a>>,
    audio: Option<Val<'a>>,
    created: Option<i64>,
}

impl AvNetworkMonitoring {
    pub fn on_line(&mut self, line: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let mut m = Message::default();
        let bigint = |v: Val<'_>| v.text().and_then(|t| parse_bigint(&t));
        let valid = scan::object(line, |k, v| match k {
            b"classroom_id" => m.classroom = v.text(),
            b"user_type" => m.user_type = v.text(),
            b"user_id" => m.user = bigint(v),
            b"agora_channel_id" => m.channel = bigint(v),
            b"event" => m.event = v.text(),
            b"agora_videoState" => m.video = Some(v),
            b"agora_audioState" => m.audio = Some(v),
            b"messageCreateTime" => m.created = bigint(v),
            _ => {}
        });
        if !valid {
            return Ok(());
        }
        let Some(ts) = m.created else {
            return Ok(()); // NULL rowtime
        };
        if m.user_type.as_deref() == Some(b"student") {
            let start = ts - ts.rem_euclid(SIZE);
            // Late: the watermark already passed the window's last millisecond.
            if start + SIZE - 1 > self.watermark {
                for (state, value, field) in [
                    (&mut self.audio, m.audio, &b"lost"[..]),
                    (&mut self.video, m.video, &b"fr"[..]),
                ] {
                    let (x, uid) = nested(value, field);
                    let Some(x) = x.filter(|x| *x >= 0) else {
                        continue;
                    };
                    key(&mut self.key, &m, uid);
                    let groups = state.entry(start).or_default();
                    let acc = match groups.get_mut(&self.key[..]) {
                        Some(a) => a,
                        None => groups
                            .entry(self.key.clone().into_boxed_slice())
                            .or_default(),
                    };
                    acc.sum = acc.sum.wrapping_add(x);
                    acc.sum_f += x as f64;
                    acc.n += 1;
                    acc.events += i64::from(m.event.is_some());
                }
            }
        }
        if ts - DELAY > self.watermark {
            self.watermark = ts - DELAY;
            self.fire(self.watermark, out)?;
        }
        Ok(())
    }

    /// The end of the input: every window fires.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.fire(i64::MAX, out)
    }

    /// Emits and drops the windows whose last millisecond is at or before `wm`.
    fn fire(&mut self, wm: i64, out: &mut dyn Write) -> io::Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        for (state, suffix) in [
            (&mut self.audio, &b"_AUDIO_STATE"[..]),
            (&mut self.video, &b"_VIDEO_STATE"[..]),
        ] {
            while let Some(entry) = state.first_entry() {
                let start = *entry.key();
                if start + SIZE - 1 > wm {
                    break;
                }
                for (k, acc) in entry.remove() {
                    self.out.clear();
                    row(&mut self.out, start, &k, &acc, suffix, now);
                    out.write_all(&self.out)?;
                    self.emitted += 1;
                }
            }
        }
        Ok(())
    }
}

/// `JSON_VALUE(CAST(JSON_VALUE(message, '$.state') AS VARCHAR), '$.field')` and the
/// same for `uid`, as BIGINTs: Blink's inner `JSON_VALUE` gives an object's text (or a
/// string's contents), which the outer one parses.
fn nested(state: Option<Val<'_>>, field: &[u8]) -> (Option<i64>, Option<i64>) {
    let Some(text) = state.and_then(Val::text) else {
        return (None, None);
    };
    let (mut x, mut uid) = (None, None);
    let valid = scan::object(&text, |k, v| {
        if k == field {
            x = v.text().and_then(|t| parse_bigint(&t));
        } else if k == b"uid" {
            uid = v.text().and_then(|t| parse_bigint(&t));
        }
    });
    if valid { (x, uid) } else { (None, None) }
}

/// A group's key as bytes: user, channel and uid as a flag and 8 bytes each, then
/// classroom and event as a flag, a length and their bytes. (`user_type` is always
/// 'student' here.)
fn key(buf: &mut Vec<u8>, m: &Message<'_>, uid: Option<i64>) {
    buf.clear();
    for v in [m.user, m.channel, uid] {
        buf.push(u8::from(v.is_some()));
        buf.extend_from_slice(&v.unwrap_or(0).to_le_bytes());
    }
    for s in [&m.classroom, &m.event] {
        buf.push(u8::from(s.is_some()));
        let s = s.as_deref().unwrap_or(&[]);
        buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
        buf.extend_from_slice(s);
    }
}

/// The key's fields back: (user, channel, uid, classroom, event).
#[allow(clippy::type_complexity)]
fn unkey(
    k: &[u8],
) -> (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<&[u8]>,
    Option<&[u8]>,
) {
    let int =
        |at: usize| (k[at] == 1).then(|| i64::from_le_bytes(k[at + 1..at + 9].try_into().unwrap()));
    let text = |at: usize| {
        let len = u32::from_le_bytes(k[at + 1..at + 5].try_into().unwrap()) as usize;
        ((k[at] == 1).then(|| &k[at + 5..at + 5 + len]), at + 5 + len)
    };
    let (classroom, next) = text(27);
    let (event, _) = text(next);
    (int(0), int(9), int(18), classroom, event)
}

fn row(out: &mut Vec<u8>, start: i64, k: &[u8], acc: &Acc, suffix: &[u8], now: i64) {
    let (user, channel, uid, classroom, event) = unkey(k);
    let mut d = [0u8; 20];
    let mut int = |out: &mut Vec<u8>, v: i64| {
        if v < 0 {
            out.push(b'-');
        }
        out.extend_from_slice(decimal(v.unsigned_abs(), &mut d));
    };
    out.extend_from_slice(b"{\"start_time\":\"");
    datetime(out, start);
    out.extend_from_slice(b"\",\"end_time\":\"");
    datetime(out, start + SIZE);
    out.extend_from_slice(b"\",\"user_id\":");
    int(out, user.unwrap_or(-1));
    out.extend_from_slice(b",\"web_server_id\":");
    int(out, channel.unwrap_or(-1));
    out.extend_from_slice(b",\"classroom_id\":");
    encode::json_str(out, &String::from_utf8_lossy(classroom.unwrap_or(b"-1")));
    out.extend_from_slice(b",\"user_type\":\"student\",\"extra_uid\":");
    match uid {
        Some(u) => int(out, u),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"event\":");
    match event {
        Some(e) => {
            // CONCAT(event, suffix): the suffix needs no escaping, so it goes inside
            // the closing quote.
            encode::json_str(out, &String::from_utf8_lossy(e));
            out.pop();
            out.extend_from_slice(suffix);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"event_sum\":");
    int(out, acc.sum);
    out.extend_from_slice(b",\"event_avg\":");
    encode::json_float(out, acc.sum_f / acc.n as f64);
    out.extend_from_slice(b",\"event_count\":");
    int(out, acc.events);
    out.extend_from_slice(b",\"create_time\":\"");
    datetime(out, now);
    out.extend_from_slice(b"\"}\n");
}

/// `yyyy-MM-dd HH:mm:ss[.SSS]` of epoch milliseconds (the fraction only when not 0).
fn datetime(out: &mut Vec<u8>, ms: i64) {
    let secs = ms.div_euclid(1000);
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let two = |out: &mut Vec<u8>, v: i64| {
        out.push(b'0' + (v / 10) as u8);
        out.push(b'0' + (v % 10) as u8);
    };
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, i64::from(m));
    out.push(b'-');
    two(out, i64::from(d));
    out.push(b' ');
    two(out, sod / 3600);
    out.push(b':');
    two(out, sod % 3600 / 60);
    out.push(b':');
    two(out, sod % 60);
    let frac = ms.rem_euclid(1000);
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 100) as u8);
        two(out, frac % 100);
    }
}
