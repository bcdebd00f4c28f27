//! `examples/iot/daily_mall_traffic.sql` by hand: distinct device MACs per day of the
//! probe records, an updating result.
//!
//! In: `user_wifidata` lines. Out: the changelog lines of `trading_area_daily_people`
//! (`{"op":"+I","count_date":"2024-03-02","people_sum":1}`, then `-U`/`+U` pairs
//! whenever a day's count grows). A row whose `occur_time` is missing, NULL or not an
//! integer has a NULL rowtime and is dropped (as the job drops it); a NULL MAC still
//! opens its day (count 0) but is not counted.

use super::scan::{self, Val};
use std::collections::hash_map::Entry;
use std::io::{self, Write};

/// One day's distinct MACs and its `count_date` text.
struct Day {
    date: [u8; 10],
    macs: foldhash::HashSet<Box<[u8]>>,
}

#[derive(Default)]
pub struct DailyMallTraffic {
    days: foldhash::HashMap<i64, Day>,
    out: Vec<u8>,
    pub emitted: u64,
}

impl DailyMallTraffic {
    pub fn on_line(&mut self, line: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let (mut occur, mut mac) = (Val::Null, Val::Null);
        let valid = scan::object(line, |key, v| match key {
            b"occur_time" => occur = v,
            b"user_device_mac" => mac = v,
            _ => {}
        });
        if !valid {
            return Ok(());
        }
        // ts_occur_time AS TO_TIMESTAMP(CAST(CAST(occur_time AS BIGINT) * 1000 AS BIGINT))
        let Some(secs) = occur.text().and_then(|t| parse_bigint(&t)) else {
            return Ok(());
        };
        let day = secs.wrapping_mul(1000).div_euclid(86_400_000);
        let mac = mac.text();
        self.out.clear();
        match self.days.entry(day) {
            Entry::Vacant(e) => {
                let mut d = Day {
                    date: date_text(day),
                    macs: foldhash::HashSet::default(),
                };
                if let Some(m) = mac {
                    d.macs.insert(m.into_owned().into_boxed_slice());
                }
                row(&mut self.out, b"+I", &d.date, d.macs.len());
                e.insert(d);
                self.emitted += 1;
            }
            Entry::Occupied(mut e) => {
                let d = e.get_mut();
                let Some(m) = mac else {
                    return Ok(());
                };
                if d.macs.contains(m.as_ref()) {
                    return Ok(());
                }
                d.macs.insert(m.into_owned().into_boxed_slice());
                let n = d.macs.len();
                row(&mut self.out, b"-U", &d.date, n - 1);
                row(&mut self.out, b"+U", &d.date, n);
                self.emitted += 2;
            }
        }
        out.write_all(&self.out)
    }
}

fn row(out: &mut Vec<u8>, op: &[u8], date: &[u8; 10], n: usize) {
    out.extend_from_slice(b"{\"op\":\"");
    out.extend_from_slice(op);
    out.extend_from_slice(b"\",\"count_date\":\"");
    out.extend_from_slice(date);
    out.extend_from_slice(b"\",\"people_sum\":");
    let mut digits = [0u8; 20];
    out.extend_from_slice(decimal(n as u64, &mut digits));
    out.extend_from_slice(b"}\n");
}

/// `n` in decimal, written at the end of `buf`.
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Blink's `CAST(s AS BIGINT)`: spaces trimmed, a sign, digits, an optional `.digits`
/// fraction dropped; anything else (or overflow) is NULL.
pub fn parse_bigint(s: &[u8]) -> Option<i64> {
    let start = s.iter().position(|c| *c != b' ')?;
    let end = s.iter().rposition(|c| *c != b' ')? + 1;
    let b = &s[start..end];
    let (neg, digits) = match b[0] {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() {
        return None;
    }
    let (int, frac) = match digits.iter().position(|c| *c == b'.') {
        Some(p) => (&digits[..p], &digits[p + 1..]),
        None => (digits, &[][..]),
    };
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Accumulate negatively so that i64::MIN fits.
    let mut v: i64 = 0;
    for c in int {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_sub(i64::from(c - b'0'))?;
    }
    if neg { Some(v) } else { v.checked_neg() }
}

/// `yyyy-MM-dd` of a day number (days since 1970-01-01).
pub fn date_text(day: i64) -> [u8; 10] {
    let (y, m, d) = civil_from_days(day);
    let mut t = *b"0000-00-00";
    let y = y.rem_euclid(10_000) as u32;
    for (i, v) in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10]
        .into_iter()
        .enumerate()
    {
        t[i] = b'0' + v as u8;
    }
    t[5] = b'0' + (m / 10) as u8;
    t[6] = b'0' + (m % 10) as u8;
    t[8] = b'0' + (d / 10) as u8;
    t[9] = b'0' + (d % 10) as u8;
    t
}

/// Howard Hinnant's `civil_from_days`: (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
