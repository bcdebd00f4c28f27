//! Java date-time patterns, precompiled: [`DateFormat`] (`java.time`'s
//! `DateTimeFormatter`) and [`SimpleDateFormat`] (`java.text`'s), in the US locale and
//! the UTC session zone.
//!
//! In: the pattern once per call site (an invalid pattern is the error Flink raises on
//! the first row); then one instant per row. Out: text appended to a caller's buffer
//! (`format_into`, no allocation) or a new `String`; parsed epoch millis.
//!
//! Flink uses both (see [`time`](super::time) for which function uses which). They
//! differ on several letters, observed on Flink 2.3 for 2024-03-02 10:05:09.123:
//!
//! | pattern | `DateFormat` | `SimpleDateFormat` |
//! |---|---|---|
//! | `S SS SSS SSSS` | `1 12 123 1230` (fraction) | `123 123 123 0123` (millis) |
//! | `u` | `2024` (year) | `6` (day of week, Monday = 1) |
//! | `MMMMM` | `M` (narrow) | `March` |
//! | `F` | `2` (aligned day of week in month) | `1` (day-of-week in month) |
//! | `n N A B` | nanos, nano/milli of day, day period | error |
//! | `z Z X` | error (no zone in a `TIMESTAMP`) | `UTC +0000 Z` |
//! | before 1582-10-15 | proleptic Gregorian | Julian calendar |
//!
//! Common to both: `yyyy`/`yy`/`y`, `MM`/`M`/`MMM`/`MMMM`, `dd`, `HH`, `hh` (1-12), `KK`
//! (0-11), `kk` (1-24), `mm`, `ss`, `a` (`AM`/`PM`), `E`/`EEEE` (`Sat`/`Saturday`), `D`
//! (day of year), `w`/`W`/`Y` (US weeks: Sunday first, week 1 holds January 1st),
//! quoted literals (`'T'`, `''` for a quote); other non-letters are literal.
//!
//! Formatting cost (release build, one core of this project's machines): the usual
//! all-numeric patterns (`yyyy-MM-dd HH:mm:ss`, `yyyyMMddHH`, `yyyy-MM-dd`) take a
//! template fast path, ~35-40 ns per call with `format_into` (no allocation), ~50 ns
//! with `format`; other patterns ~70-120 ns. Parsing (`TO_TIMESTAMP(s, fmt)`,
//! `UNIX_TIMESTAMP(s)`) ~60-75 ns.

use std::time::{SystemTime, UNIX_EPOCH};

use super::EvalError;
use super::calendar::{self, Fields, MILLIS_PER_DAY};
use super::time::{TextBuf, write_padded};
use crate::Timestamp;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// 1 = Monday .. 7 = Sunday.
fn day_name(dow: u32) -> &'static str {
    DAYS[(dow.clamp(1, 7) - 1) as usize]
}

fn push_short(out: &mut TextBuf<'_>, full: &str) {
    out.push_str(full.get(..3).unwrap_or(full));
}

fn push_narrow(out: &mut TextBuf<'_>, full: &str) {
    out.push_str(full.get(..1).unwrap_or(full));
}

/// A literal or a run of one pattern letter.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Lit(String),
    Field {
        letter: u8,
        count: u8,
        /// `DateFormat` parsing: digits reserved for the adjacent fixed-width fields
        /// that follow (`yyyyMMdd`); -1 once this field is itself fixed-width.
        subsequent: i32,
    },
    /// `[` (`DateFormat` only): an optional section.
    OptStart,
    /// `]`
    OptEnd,
}

fn push_lit(items: &mut Vec<Item>, c: &str) {
    if let Some(Item::Lit(s)) = items.last_mut() {
        s.push_str(c);
    } else {
        items.push(Item::Lit(c.to_string()));
    }
}

// =================================================================== DateFormat

/// A `java.time.format.DateTimeFormatter` pattern (`DateTimeFormatter.ofPattern`),
/// as Flink's `DATE_FORMAT(TIMESTAMP, fmt)` and `TO_TIMESTAMP(s, fmt)` use it.
///
/// ```
/// use streamsql_runtime::{func::DateFormat, Timestamp};
/// let f = DateFormat::new("yyyy-MM-dd HH:mm:ss").unwrap();
/// assert_eq!(f.format(Timestamp(1_709_373_909_123)), "2024-03-02 10:05:09");
/// let mut buf = String::new();
/// DateFormat::new("yyyyMMddHH").unwrap().format_into(Timestamp(1_709_373_909_123), &mut buf);
/// assert_eq!(buf, "2024030210");
/// assert!(DateFormat::new("yyyy-MM-ddTHH").is_err()); // Unknown pattern letter: T
/// ```
#[derive(Clone, Debug)]
pub struct DateFormat {
    items: Vec<Item>,
    fast: Option<Fast>,
    /// Identifies the pattern for [`LAST_FORMATTED`].
    id: u64,
}

/// A fixed-width numeric field of a [`Fast`] template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Year4,
    Year2,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    /// The first 1..=3 digits of the milliseconds.
    Millis(u8),
}

/// The fast path for the common patterns (`yyyy-MM-dd HH:mm:ss`, `yyyyMMddHH`, ...):
/// literals and fixed-width numbers only, so the text is a template whose digit
/// positions are overwritten; used for years 1..=9999.
#[derive(Clone, Debug)]
struct Fast {
    template: [u8; 48],
    len: usize,
    slots: Vec<(Slot, usize)>,
}

const TWO_DIGITS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

impl Fast {
    /// `letter`/`count` to a slot: `sdf` selects `SimpleDateFormat` meanings.
    fn slot(letter: u8, count: u8, sdf: bool) -> Option<(Slot, usize)> {
        Some(match (letter, count) {
            (b'y', 4) => (Slot::Year4, 4),
            (b'u', 4) if !sdf => (Slot::Year4, 4),
            (b'y', 2) => (Slot::Year2, 2),
            (b'u', 2) if !sdf => (Slot::Year2, 2),
            (b'M', 2) => (Slot::Month, 2),
            (b'd', 2) => (Slot::Day, 2),
            (b'H', 2) => (Slot::Hour, 2),
            (b'm', 2) => (Slot::Minute, 2),
            (b's', 2) => (Slot::Second, 2),
            (b'S', 3) => (Slot::Millis(3), 3),
            (b'S', n @ 1..=2) if !sdf => (Slot::Millis(n), usize::from(n)),
            _ => return None,
        })
    }

    fn build(items: &[Item], sdf: bool) -> Option<Fast> {
        let mut fast = Fast {
            template: [b'0'; 48],
            len: 0,
            slots: Vec::new(),
        };
        for item in items {
            match item {
                Item::Lit(s) => {
                    let end = fast.len + s.len();
                    fast.template
                        .get_mut(fast.len..end)?
                        .copy_from_slice(s.as_bytes());
                    fast.len = end;
                }
                Item::Field { letter, count, .. } => {
                    let (slot, width) = Fast::slot(*letter, *count, sdf)?;
                    if fast.len + width > fast.template.len() {
                        return None;
                    }
                    fast.slots.push((slot, fast.len));
                    fast.len += width;
                }
                Item::OptStart | Item::OptEnd => {}
            }
        }
        Some(fast)
    }

    /// Appends the text for `f`; false (nothing written) when the year needs the
    /// general path.
    fn write(&self, f: &Fields, out: &mut String) -> bool {
        if !(1..=9999).contains(&f.year) {
            return false;
        }
        let mut buf = self.template;
        let two = |buf: &mut [u8; 48], at: usize, v: u32| {
            let k = (v % 100) as usize * 2;
            buf[at] = TWO_DIGITS[k];
            buf[at + 1] = TWO_DIGITS[k + 1];
        };
        for &(slot, at) in &self.slots {
            match slot {
                Slot::Year4 => {
                    let y = f.year as u32;
                    two(&mut buf, at, y / 100);
                    two(&mut buf, at + 2, y);
                }
                Slot::Year2 => two(&mut buf, at, f.year as u32),
                Slot::Month => two(&mut buf, at, f.month),
                Slot::Day => two(&mut buf, at, f.day),
                Slot::Hour => two(&mut buf, at, f.hour),
                Slot::Minute => two(&mut buf, at, f.minute),
                Slot::Second => two(&mut buf, at, f.second),
                Slot::Millis(n) => {
                    let ms = f.millis;
                    let digits = [ms / 100, ms / 10 % 10, ms % 10];
                    for k in 0..usize::from(n) {
                        buf[at + k] = b'0' + digits[k] as u8;
                    }
                }
            }
        }
        match std::str::from_utf8(&buf[..self.len]) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        }
    }
}

fn dtf_error(msg: impl Into<String>) -> EvalError {
    EvalError::invalid("DATE_FORMAT", msg)
}

/// Whether a compiled `DateFormat` field parses as a fixed-width number (and so
/// joins adjacent value parsing).
fn dtf_fixed_width(letter: u8, count: u8) -> Option<usize> {
    match (letter, count) {
        (b'M' | b'L' | b'd' | b'H' | b'h' | b'K' | b'k' | b'm' | b's' | b'y' | b'u' | b'Y', 2) => {
            Some(2)
        }
        (b'D', 3) => Some(3),
        (b'S', n) => Some(usize::from(n)),
        _ => None,
    }
}

fn dtf_is_numeric(letter: u8, count: u8) -> bool {
    match letter {
        b'M' | b'L' | b'Q' | b'q' => count <= 2,
        b'e' => count <= 2,
        b'c' => count == 1,
        b'y' | b'u' | b'Y' | b'd' | b'D' | b'H' | b'h' | b'K' | b'k' | b'm' | b's' | b'S'
        | b'A' | b'n' | b'N' | b'w' | b'W' | b'F' => true,
        _ => false,
    }
}

impl DateFormat {
    /// Compiles a pattern; `Err` where Java's `DateTimeFormatter.ofPattern` (or
    /// formatting a `LocalDateTime` with it) fails: unknown letters (`T`), too many
    /// letters (`ddd`, `aa`, `MMMMMM`), reserved characters (`#`, `{`, `}`), an
    /// unclosed quote, a `]` without `[`, and zone letters (`z`, `Z`, `X`, `x`, `O`, `V`,
    /// `v`: a `TIMESTAMP` has no zone). Not supported (also `Err`): the pad modifier
    /// `p`.
    pub fn new(pattern: &str) -> Result<DateFormat, EvalError> {
        DateFormat::compile(pattern, false)
    }

    /// Compiles a pattern for parsing only (`TO_TIMESTAMP(s, fmt)`): as [`new`](Self::new)
    /// but offset letters (`Z`, `X`, `x`) are accepted; the parsed offset is ignored,
    /// as Flink reads the local fields (observed: `TO_TIMESTAMP('2024-03-02
    /// 10:30:00+0800', 'yyyy-MM-dd HH:mm:ssZ')` is `2024-03-02 10:30:00`). Formatting
    /// with such a format prints nothing for the offset letters.
    pub fn for_parsing(pattern: &str) -> Result<DateFormat, EvalError> {
        DateFormat::compile(pattern, true)
    }

    fn compile(pattern: &str, allow_offsets: bool) -> Result<DateFormat, EvalError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut items = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_alphabetic() {
                let mut n = 1;
                while i + n < chars.len() && chars[i + n] == c {
                    n += 1;
                }
                i += n;
                let letter = c as u8;
                let too_many = || dtf_error(format!("Too many pattern letters: {c}"));
                let count = u8::try_from(n).unwrap_or(u8::MAX);
                match letter {
                    b'G' | b'Q' | b'q' | b'M' | b'L' | b'E' | b'e' if n > 5 => {
                        return Err(too_many());
                    }
                    b'c' if n == 2 => return Err(dtf_error("Invalid pattern \"cc\"")),
                    b'c' if n > 5 => return Err(too_many()),
                    b'a' | b'W' | b'F' if n > 1 => return Err(too_many()),
                    b'd' | b'h' | b'H' | b'k' | b'K' | b'm' | b's' | b'w' if n > 2 => {
                        return Err(too_many());
                    }
                    b'D' if n > 3 => return Err(too_many()),
                    b'y' | b'u' | b'Y' | b'A' | b'n' | b'N' if n > 19 => {
                        return Err(dtf_error(format!(
                            "The minimum width must be from 1 to 19 inclusive but was {n}"
                        )));
                    }
                    b'S' if n > 9 => {
                        return Err(dtf_error(format!(
                            "Minimum width must be from 0 to 9 inclusive but was {n}"
                        )));
                    }
                    b'B' if !matches!(n, 1 | 4 | 5) => {
                        return Err(dtf_error(format!("Wrong number of pattern letters: {c}")));
                    }
                    b'Z' | b'X' | b'x' if allow_offsets && n <= 5 => {}
                    b'z' | b'Z' | b'X' | b'x' | b'O' | b'V' | b'v' => {
                        return Err(dtf_error(format!(
                            "pattern letter '{c}' needs a time zone, which a TIMESTAMP does not have (Java: Unable to extract ZoneId)"
                        )));
                    }
                    b'p' => return Err(dtf_error("the pad modifier 'p' is not supported")),
                    b'G' | b'u' | b'y' | b'D' | b'M' | b'L' | b'd' | b'Q' | b'q' | b'Y' | b'w'
                    | b'W' | b'E' | b'e' | b'c' | b'F' | b'a' | b'h' | b'K' | b'k' | b'H'
                    | b'm' | b's' | b'S' | b'A' | b'n' | b'N' | b'B' => {}
                    _ => return Err(dtf_error(format!("Unknown pattern letter: {c}"))),
                }
                items.push(Item::Field {
                    letter,
                    count,
                    subsequent: 0,
                });
            } else if c == '\'' {
                let start = i;
                i += 1;
                let mut lit = String::new();
                loop {
                    if i >= chars.len() {
                        let rest: String = chars[start..].iter().collect();
                        return Err(dtf_error(format!(
                            "Pattern ends with an incomplete string literal: {rest}"
                        )));
                    }
                    if chars[i] == '\'' {
                        if i + 1 < chars.len() && chars[i + 1] == '\'' {
                            lit.push('\'');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    lit.push(chars[i]);
                    i += 1;
                }
                if i - start == 2 {
                    lit.push('\'');
                }
                push_lit(&mut items, &lit);
            } else {
                match c {
                    '[' => {
                        depth += 1;
                        items.push(Item::OptStart);
                    }
                    ']' => {
                        if depth == 0 {
                            return Err(dtf_error(
                                "Pattern invalid as it contains ] without previous [",
                            ));
                        }
                        depth -= 1;
                        items.push(Item::OptEnd);
                    }
                    '{' | '}' | '#' => {
                        return Err(dtf_error(format!(
                            "Pattern includes reserved character: '{c}'"
                        )));
                    }
                    _ => {
                        let mut b = [0u8; 4];
                        push_lit(&mut items, c.encode_utf8(&mut b));
                    }
                }
                i += 1;
            }
        }
        // Adjacent value parsing (DateTimeFormatterBuilder.appendValue).
        let mut active: Option<usize> = None;
        for k in 0..items.len() {
            let (letter, count) = match &items[k] {
                Item::Field { letter, count, .. } if dtf_is_numeric(*letter, *count) => {
                    (*letter, *count)
                }
                _ => {
                    active = None;
                    continue;
                }
            };
            if let Some(a) = active {
                if let Some(w) = dtf_fixed_width(letter, count) {
                    if let Item::Field { subsequent, .. } = &mut items[a]
                        && *subsequent >= 0
                    {
                        *subsequent += w as i32;
                    }
                    if let Item::Field { subsequent, .. } = &mut items[k] {
                        *subsequent = -1;
                    }
                    continue;
                }
                if let Item::Field { subsequent, .. } = &mut items[a] {
                    *subsequent = -1;
                }
            }
            active = Some(k);
        }
        let fast = Fast::build(&items, false);
        Ok(DateFormat {
            items,
            fast,
            id: next_format_id(),
        })
    }

    /// Formats a `TIMESTAMP` (or a `TIMESTAMP_LTZ`'s millis, in UTC).
    pub fn format(&self, ts: Timestamp) -> String {
        let mut out = String::with_capacity(32);
        self.format_into(ts, &mut out);
        out
    }

    /// Appends the formatted `ts` to `out`.
    pub fn format_into(&self, ts: Timestamp, out: &mut String) {
        remembered(self.id, ts.0, out, |out| self.format_fields(ts.0, out));
    }

    fn format_fields(&self, ms: i64, out: &mut String) {
        let f = Fields::proleptic(ms);
        if let Some(fast) = &self.fast
            && fast.write(&f, out)
        {
            return;
        }
        let out = &mut TextBuf::new(out);
        for item in &self.items {
            match item {
                Item::Lit(s) => out.push_str(s),
                Item::Field { letter, count, .. } => dtf_field(out, &f, *letter, *count),
                Item::OptStart | Item::OptEnd => {}
            }
        }
    }

    /// `DateTimeFormatter.parse` then Flink's defaults (1970-01-01 00:00:00 for absent
    /// fields) at millisecond precision: local epoch millis, `None` on failure.
    pub(crate) fn parse_millis(&self, s: &str) -> Option<i64> {
        let mut p = DtfParsed::default();
        let mut pos = 0;
        if !dtf_parse_items(&self.items, s, &mut pos, &mut p) || pos != s.len() {
            return None;
        }
        p.resolve()
    }
}

/// Appends a `DateTimeFormatter` number: `count` 1 is unpadded, otherwise padded to
/// `count`; `exceeds_pad` adds `+` when the value is wider than the pad.
fn dtf_number(out: &mut TextBuf<'_>, v: i64, count: u8, exceeds_pad: bool) {
    if exceeds_pad && count >= 4 && v >= 0 && v >= 10i64.saturating_pow(u32::from(count)) {
        out.push('+');
    }
    write_padded(out, v, if count <= 1 { 1 } else { usize::from(count) });
}

fn year_of_era(year: i64) -> i64 {
    if year >= 1 { year } else { 1 - year }
}

fn dtf_year(out: &mut TextBuf<'_>, v: i64, count: u8) {
    if count == 2 {
        write_padded(out, v.rem_euclid(100), 2);
    } else {
        dtf_number(out, v, count, count >= 4);
    }
}

fn day_period(minute_of_day: u32) -> &'static str {
    match minute_of_day {
        0 => "midnight",
        720 => "noon",
        360..=719 => "in the morning",
        721..=1079 => "in the afternoon",
        1080..=1259 => "in the evening",
        _ => "at night",
    }
}

fn dtf_field(out: &mut TextBuf<'_>, f: &Fields, letter: u8, count: u8) {
    let num = |out: &mut TextBuf<'_>, v: u32| dtf_number(out, i64::from(v), count, false);
    let text = |out: &mut TextBuf<'_>, full: &str| match count {
        4 => out.push_str(full),
        5 => push_narrow(out, full),
        _ => push_short(out, full),
    };
    match letter {
        b'G' => {
            let ad = f.year >= 1;
            match count {
                4 => out.push_str(if ad { "Anno Domini" } else { "Before Christ" }),
                5 => out.push_str(if ad { "A" } else { "B" }),
                _ => out.push_str(if ad { "AD" } else { "BC" }),
            }
        }
        b'y' => dtf_year(out, year_of_era(f.year), count),
        b'u' => dtf_year(out, f.year, count),
        b'Y' => dtf_year(out, f.us_week(false).1, count),
        b'M' | b'L' => match count {
            1 | 2 => num(out, f.month),
            _ => text(out, month_name(f.month)),
        },
        b'd' => num(out, f.day),
        b'D' => dtf_number(out, f.day_of_year(false), count, false),
        b'Q' | b'q' => {
            let q = (f.month - 1) / 3 + 1;
            match count {
                3 => {
                    out.push('Q');
                    write_padded(out, i64::from(q), 1);
                }
                4 => out.push_str(
                    ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]
                        [(q - 1) as usize % 4],
                ),
                5 => write_padded(out, i64::from(q), 1),
                _ => num(out, q),
            }
        }
        b'w' => dtf_number(out, f.us_week(false).0, count, false),
        b'W' => dtf_number(out, f.us_week_of_month(), count, false),
        b'E' => text(out, day_name(f.iso_dow())),
        b'e' | b'c' => match count {
            1 | 2 => num(out, f.iso_dow() % 7 + 1),
            _ => text(out, day_name(f.iso_dow())),
        },
        // JDK 17 maps F to ALIGNED_DAY_OF_WEEK_IN_MONTH
        b'F' => num(out, (f.day - 1) % 7 + 1),
        b'a' => out.push_str(if f.hour < 12 { "AM" } else { "PM" }),
        b'B' => {
            let p = day_period(f.hour * 60 + f.minute);
            if count == 5 {
                // narrow forms
                out.push_str(match p {
                    "midnight" => "mi",
                    "noon" => "n",
                    _ => p,
                });
            } else {
                out.push_str(p);
            }
        }
        b'h' => num(
            out,
            if f.hour.is_multiple_of(12) {
                12
            } else {
                f.hour % 12
            },
        ),
        b'K' => num(out, f.hour % 12),
        b'k' => num(out, if f.hour == 0 { 24 } else { f.hour }),
        b'H' => num(out, f.hour),
        b'm' => num(out, f.minute),
        b's' => num(out, f.second),
        b'S' => {
            let digits = [
                (f.millis / 100) as u8,
                (f.millis / 10 % 10) as u8,
                (f.millis % 10) as u8,
            ];
            for k in 0..usize::from(count) {
                out.push(char::from(b'0' + digits.get(k).copied().unwrap_or(0)));
            }
        }
        b'A' => dtf_number(
            out,
            i64::from(f.hour) * 3_600_000
                + i64::from(f.minute) * 60_000
                + i64::from(f.second) * 1000
                + i64::from(f.millis),
            count,
            false,
        ),
        b'n' => dtf_number(out, i64::from(f.millis) * 1_000_000, count, false),
        b'N' => dtf_number(
            out,
            (i64::from(f.hour) * 3_600_000
                + i64::from(f.minute) * 60_000
                + i64::from(f.second) * 1000
                + i64::from(f.millis))
                * 1_000_000,
            count,
            false,
        ),
        _ => {}
    }
}

/// Fields a `DateTimeFormatter` parse collected, before resolution.
#[derive(Clone, Copy, Debug, Default)]
struct DtfParsed {
    year_of_era: Option<i64>,
    year: Option<i64>,
    bc: Option<bool>,
    month: Option<i64>,
    day: Option<i64>,
    day_of_year: Option<i64>,
    dow: Option<u32>,
    hour_of_day: Option<i64>,
    clock_hour_of_day: Option<i64>,
    hour_of_ampm: Option<i64>,
    clock_hour_of_ampm: Option<i64>,
    pm: Option<bool>,
    minute: Option<i64>,
    second: Option<i64>,
    nano: Option<i64>,
}

/// Sets a parsed field; a second, different value for the same field fails the parse.
fn set<T: PartialEq + Copy>(slot: &mut Option<T>, v: T) -> bool {
    match slot {
        Some(old) => *old == v,
        None => {
            *slot = Some(v);
            true
        }
    }
}

impl DtfParsed {
    /// SMART resolution, then Flink's `fromTemporalAccessor` defaults.
    fn resolve(&self) -> Option<i64> {
        // year
        let mut year = self.year;
        if let Some(yoe) = self.year_of_era {
            if yoe < 1 {
                return None;
            }
            let y = if self.bc == Some(true) { 1 - yoe } else { yoe };
            if !set(&mut year, y) {
                return None;
            }
        }
        // time of day
        let mut hod = self.hour_of_day;
        if let Some(k) = self.clock_hour_of_day
            && (!(1..=24).contains(&k) || !set(&mut hod, if k == 24 { 0 } else { k }))
        {
            return None;
        }
        let mut hap = self.hour_of_ampm;
        if let Some(h) = self.clock_hour_of_ampm
            && (!(1..=12).contains(&h) || !set(&mut hap, if h == 12 { 0 } else { h }))
        {
            return None;
        }
        if let (Some(pm), Some(h)) = (self.pm, hap) {
            if !(0..=11).contains(&h) || !set(&mut hod, h + if pm { 12 } else { 0 }) {
                return None;
            }
        } else if let (Some(pm), Some(h)) = (self.pm, hod)
            && (0..=23).contains(&h)
            && (h >= 12) != pm
        {
            return None;
        }
        let minute = self.minute.unwrap_or(0);
        let second = self.second.unwrap_or(0);
        let nano = self.nano.unwrap_or(0);
        if !(0..=59).contains(&minute) || !(0..=59).contains(&second) {
            return None;
        }
        let mut extra_day = 0;
        let mut hour = hod.unwrap_or(0);
        if hour == 24 && self.hour_of_day.is_some() {
            if minute != 0 || second != 0 || nano != 0 {
                return None;
            }
            hour = 0;
            extra_day = 1;
        } else if !(0..=23).contains(&hour) {
            return None;
        }
        // date
        let y = year.unwrap_or(1970);
        if !(-999_999_999..=999_999_999).contains(&y) {
            return None;
        }
        let days = match (self.month, self.day, self.day_of_year) {
            (_, _, Some(doy)) if year.is_some() && self.month.is_none() => {
                let max = if calendar::is_leap(y) { 366 } else { 365 };
                if !(1..=max).contains(&doy) {
                    return None;
                }
                calendar::days_from_civil(y, 1, doy)
            }
            (m, d, _) => {
                let m = m.unwrap_or(1);
                let d = d.unwrap_or(1);
                if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                    return None;
                }
                let d = d.min(i64::from(calendar::month_len(y, m as u32)));
                calendar::days_from_civil(y, m as u32, d)
            }
        };
        if let Some(dow) = self.dow
            && year.is_some()
            && self.month.is_some()
            && self.day.is_some()
            && calendar::iso_dow(days) != dow
        {
            return None;
        }
        let days = days
            + if year.is_some() && self.month.is_some() && self.day.is_some() {
                extra_day
            } else {
                0
            };
        days.checked_mul(MILLIS_PER_DAY)?
            .checked_add(hour * 3_600_000 + minute * 60_000 + second * 1000 + nano / 1_000_000)
    }
}

/// Parses `items` (which may contain optional sections) from `s` at `*pos`.
fn dtf_parse_items(items: &[Item], s: &str, pos: &mut usize, p: &mut DtfParsed) -> bool {
    let mut k = 0;
    while k < items.len() {
        match &items[k] {
            Item::Lit(lit) => {
                if !s[*pos..].starts_with(lit.as_str()) {
                    return false;
                }
                *pos += lit.len();
            }
            Item::OptStart => {
                // find the matching OptEnd
                let mut depth = 0;
                let mut end = k;
                for (j, it) in items.iter().enumerate().skip(k) {
                    match it {
                        Item::OptStart => depth += 1,
                        Item::OptEnd => {
                            depth -= 1;
                            if depth == 0 {
                                end = j;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if end == k {
                    end = items.len();
                }
                let (save_pos, save_p) = (*pos, *p);
                if !dtf_parse_items(&items[k + 1..end], s, pos, p) {
                    *pos = save_pos;
                    *p = save_p;
                }
                k = end;
            }
            Item::OptEnd => {}
            Item::Field {
                letter,
                count,
                subsequent,
            } => {
                if !dtf_parse_field(s, pos, p, *letter, *count, *subsequent) {
                    return false;
                }
            }
        }
        k += 1;
    }
    true
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    Normal,
    ExceedsPad,
    NotNegative,
}

/// `NumberPrinterParser.parse` in strict mode.
fn dtf_parse_number(
    s: &str,
    pos: &mut usize,
    min: usize,
    max: usize,
    sign: Sign,
    subsequent: i32,
) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = *pos;
    let mut neg = false;
    let mut plus = false;
    match b.get(i) {
        Some(b'-') if sign != Sign::NotNegative => {
            neg = true;
            i += 1;
        }
        Some(b'+') if sign == Sign::ExceedsPad => {
            plus = true;
            i += 1;
        }
        _ => {}
    }
    let start = i;
    let mut eff_max = max + subsequent.max(0) as usize;
    let mut n = 0;
    while start + n < b.len() && n < eff_max && b[start + n].is_ascii_digit() {
        n += 1;
    }
    if subsequent > 0 {
        eff_max = min.max(n.saturating_sub(subsequent as usize));
        n = n.min(eff_max);
    }
    if n < min {
        return None;
    }
    if sign == Sign::ExceedsPad {
        // strict: a '+' is required exactly when the value is wider than the pad
        if plus != (n > min) {
            return None;
        }
    }
    let mut v: i64 = 0;
    for &d in &b[start..start + n] {
        v = v.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    *pos = start + n;
    Some(if neg { -v } else { v })
}

fn dtf_parse_text(s: &str, pos: &mut usize, options: &[(&str, i64)]) -> Option<i64> {
    let rest = &s[*pos..];
    // longest match first
    let mut best: Option<(usize, i64)> = None;
    for (t, v) in options {
        if rest.starts_with(t) && best.is_none_or(|(l, _)| t.len() > l) {
            best = Some((t.len(), *v));
        }
    }
    let (len, v) = best?;
    *pos += len;
    Some(v)
}

fn dtf_parse_field(
    s: &str,
    pos: &mut usize,
    p: &mut DtfParsed,
    letter: u8,
    count: u8,
    subsequent: i32,
) -> bool {
    let c = usize::from(count);
    let simple = |pos: &mut usize| -> Option<i64> {
        if c == 2 {
            dtf_parse_number(s, pos, 2, 2, Sign::NotNegative, subsequent)
        } else {
            dtf_parse_number(s, pos, 1, 19, Sign::Normal, subsequent)
        }
    };
    match letter {
        b'y' | b'u' => {
            let v = if c == 2 {
                dtf_parse_number(s, pos, 2, 2, Sign::NotNegative, subsequent).map(|v| 2000 + v)
            } else if c < 4 {
                dtf_parse_number(s, pos, c.max(1), 19, Sign::Normal, subsequent)
            } else {
                dtf_parse_number(s, pos, c, 19, Sign::ExceedsPad, subsequent)
            };
            match v {
                Some(v) if letter == b'y' => set(&mut p.year_of_era, v),
                Some(v) => set(&mut p.year, v),
                None => false,
            }
        }
        b'G' => {
            let opts: &[(&str, i64)] = match count {
                4 => &[("Anno Domini", 0), ("Before Christ", 1)],
                5 => &[("A", 0), ("B", 1)],
                _ => &[("AD", 0), ("BC", 1)],
            };
            dtf_parse_text(s, pos, opts).is_some_and(|v| set(&mut p.bc, v == 1))
        }
        b'M' | b'L' => {
            let v = match count {
                1 | 2 => simple(pos),
                _ => {
                    let mut opts: [(&str, i64); 12] = [("", 0); 12];
                    for (i, name) in MONTHS.iter().enumerate() {
                        opts[i] = (
                            match count {
                                3 => &name[..3],
                                4 => name,
                                _ => &name[..1],
                            },
                            i as i64 + 1,
                        );
                    }
                    dtf_parse_text(s, pos, &opts)
                }
            };
            v.is_some_and(|v| set(&mut p.month, v))
        }
        b'd' => simple(pos).is_some_and(|v| set(&mut p.day, v)),
        b'D' => {
            let v = match count {
                1 => dtf_parse_number(s, pos, 1, 19, Sign::Normal, subsequent),
                2 => dtf_parse_number(s, pos, 2, 3, Sign::NotNegative, subsequent),
                _ => dtf_parse_number(s, pos, 3, 3, Sign::NotNegative, subsequent),
            };
            v.is_some_and(|v| set(&mut p.day_of_year, v))
        }
        b'H' => simple(pos).is_some_and(|v| set(&mut p.hour_of_day, v)),
        b'k' => simple(pos).is_some_and(|v| set(&mut p.clock_hour_of_day, v)),
        b'K' => simple(pos).is_some_and(|v| set(&mut p.hour_of_ampm, v)),
        b'h' => simple(pos).is_some_and(|v| set(&mut p.clock_hour_of_ampm, v)),
        b'm' => simple(pos).is_some_and(|v| set(&mut p.minute, v)),
        b's' => simple(pos).is_some_and(|v| set(&mut p.second, v)),
        b'S' => dtf_parse_number(s, pos, c, c, Sign::NotNegative, subsequent)
            .is_some_and(|v| set(&mut p.nano, v * 10i64.pow(9 - c as u32))),
        b'a' => {
            dtf_parse_text(s, pos, &[("AM", 0), ("PM", 1)]).is_some_and(|v| set(&mut p.pm, v == 1))
        }
        b'E' => {
            let mut opts: [(&str, i64); 7] = [("", 0); 7];
            for (i, name) in DAYS.iter().enumerate() {
                opts[i] = (
                    match count {
                        4 => name,
                        5 => &name[..1],
                        _ => &name[..3],
                    },
                    i as i64 + 1,
                );
            }
            dtf_parse_text(s, pos, &opts).is_some_and(|v| set(&mut p.dow, v as u32))
        }
        b'Z' | b'X' | b'x' => {
            let b = s.as_bytes();
            if letter == b'X' && b.get(*pos) == Some(&b'Z') {
                *pos += 1;
                return true;
            }
            if !matches!(b.get(*pos), Some(b'+' | b'-')) {
                return false;
            }
            let mut i = *pos + 1;
            let two = |i: &mut usize| {
                let ok = *i + 2 <= b.len() && b[*i].is_ascii_digit() && b[*i + 1].is_ascii_digit();
                if ok {
                    *i += 2;
                }
                ok
            };
            if !two(&mut i) {
                return false;
            }
            if b.get(i) == Some(&b':') {
                let mut j = i + 1;
                if two(&mut j) {
                    i = j;
                }
            } else {
                two(&mut i);
            }
            *pos = i;
            true
        }
        // Week-based fields, quarters, day periods, nanos of day...: not parsed here
        // (TO_TIMESTAMP then falls back to java.sql.Timestamp.valueOf).
        _ => false,
    }
}

// ============================================================== SimpleDateFormat

/// A `java.text.SimpleDateFormat` pattern (US locale, UTC, lenient), as Flink's
/// `DATE_FORMAT(STRING, ..)`, `FROM_UNIXTIME`, `UNIX_TIMESTAMP(s, fmt)` and Blink's
/// `DATE_FORMAT(TIMESTAMP, ..)` use it. Dates before 1582-10-15 are Julian; years
/// before 1 AD print as years of the BC era.
///
/// ```
/// use streamsql_runtime::{func::SimpleDateFormat, Timestamp};
/// let f = SimpleDateFormat::new("yyyy-MM-dd HH:mm:ss.SSS E").unwrap();
/// assert_eq!(f.format_timestamp(Timestamp(1_709_373_909_123)), "2024-03-02 10:05:09.123 Sat");
/// assert!(SimpleDateFormat::new("yyyy-MM-ddTHH").is_err()); // Illegal pattern character 'T'
/// ```
#[derive(Clone, Debug)]
pub struct SimpleDateFormat {
    items: Vec<Item>,
    fast: Option<Fast>,
    /// Two-digit years parse into the century starting at this year (Java: 80 years
    /// before the formatter was created).
    century_start: i64,
    /// Identifies the pattern for [`LAST_FORMATTED`] (unique per `new`; a clone has
    /// the same pattern, so shares it).
    id: u64,
}

static NEXT_FORMAT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A new formatter's id: unique per compiled pattern.
fn next_format_id() -> u64 {
    NEXT_FORMAT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Appends formatter `id`'s text for epoch millis `ms` to `out`: the last text it
/// wrote on this thread when that was for `ms`, else what `format` writes.
fn remembered(id: u64, ms: i64, out: &mut String, format: impl FnOnce(&mut String)) {
    LAST_FORMATTED.with_borrow_mut(|last| {
        let (last_id, at, text) = &mut last[id as usize % REMEMBERED];
        if *last_id == id && *at == ms {
            out.push_str(text);
            return;
        }
        let from = out.len();
        format(out);
        (*last_id, *at) = (id, ms);
        text.clear();
        text.push_str(&out[from..]);
    })
}

/// Formatters remembered per thread (by id modulo this), so that the few formatters
/// of one row (a window start and the current time, say) do not evict each other.
const REMEMBERED: usize = 8;

thread_local! {
    /// The last text formatters wrote on this thread: (formatter id, epoch millis,
    /// text). Rows format the same instant again and again (a window's start for
    /// every row the window emits, the current second for a whole batch), and the
    /// calendar arithmetic is the expensive part.
    static LAST_FORMATTED: std::cell::RefCell<[(u64, i64, String); REMEMBERED]> =
        const {
            std::cell::RefCell::new(
                [const { (u64::MAX, 0, String::new()) }; REMEMBERED],
            )
        };
}

fn sdf_error(msg: impl Into<String>) -> EvalError {
    EvalError::invalid("SimpleDateFormat", msg)
}

const SDF_LETTERS: &[u8] = b"GyMdkHmsSEDFwWahKzZYuXL";

fn current_year() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    calendar::civil_from_days(secs.div_euclid(86_400)).0
}

impl SimpleDateFormat {
    /// Compiles a pattern; `Err` where Java's constructor throws: a letter outside
    /// `GyMdkHmsSEDFwWahKzZYuXL` ("Illegal pattern character"), an unterminated quote,
    /// `XXXX`.
    pub fn new(pattern: &str) -> Result<SimpleDateFormat, EvalError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut items = Vec::new();
        let mut in_quote = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                if i + 1 < chars.len() && chars[i + 1] == '\'' {
                    push_lit(&mut items, "'");
                    i += 2;
                    continue;
                }
                in_quote = !in_quote;
                i += 1;
                continue;
            }
            if in_quote || !c.is_ascii_alphabetic() {
                let mut b = [0u8; 4];
                push_lit(&mut items, c.encode_utf8(&mut b));
                i += 1;
                continue;
            }
            if !SDF_LETTERS.contains(&(c as u8)) {
                return Err(sdf_error(format!("Illegal pattern character '{c}'")));
            }
            let mut n = 1;
            while i + n < chars.len() && chars[i + n] == c {
                n += 1;
            }
            if c == 'X' && n > 3 {
                return Err(sdf_error(format!("invalid ISO 8601 format: length={n}")));
            }
            items.push(Item::Field {
                letter: c as u8,
                count: u8::try_from(n).unwrap_or(u8::MAX),
                subsequent: 0,
            });
            i += n;
        }
        if in_quote {
            return Err(sdf_error("Unterminated quote"));
        }
        let fast = Fast::build(&items, true);
        Ok(SimpleDateFormat {
            items,
            fast,
            century_start: current_year() - 80,
            id: next_format_id(),
        })
    }

    /// Sets the first year of the century that two-digit years (`yy`) parse into.
    pub fn with_century_start(mut self, year: i64) -> Self {
        self.century_start = year;
        self
    }

    /// Formats epoch millis (UTC).
    pub fn format_millis(&self, ms: i64) -> String {
        let mut out = String::with_capacity(32);
        self.format_millis_into(ms, &mut out);
        out
    }

    /// Formats a `TIMESTAMP` (Blink's `DATE_FORMAT(ts, fmt)`).
    pub fn format_timestamp(&self, ts: Timestamp) -> String {
        self.format_millis(ts.0)
    }

    /// Appends the formatted epoch millis (UTC) to `out`.
    pub fn format_millis_into(&self, ms: i64, out: &mut String) {
        remembered(self.id, ms, out, |out| self.format_fields(ms, out));
    }

    fn format_fields(&self, ms: i64, out: &mut String) {
        let f = Fields::hybrid(ms);
        if let Some(fast) = &self.fast
            && fast.write(&f, out)
        {
            return;
        }
        let out = &mut TextBuf::new(out);
        for item in &self.items {
            match item {
                Item::Lit(s) => out.push_str(s),
                Item::Field { letter, count, .. } => sdf_field(out, &f, *letter, *count),
                Item::OptStart | Item::OptEnd => {}
            }
        }
    }

    /// `SimpleDateFormat.parse(s)` (lenient, UTC unless the text has a zone): epoch
    /// millis, `None` where Java throws `ParseException`. Trailing text is ignored;
    /// spaces and tabs before a field are skipped; out-of-range values roll over
    /// (`2024-13-01` is 2025-01-01, `25:00` the next day). Day-of-week and week fields
    /// are read but do not move the date.
    pub fn parse_millis(&self, s: &str) -> Option<i64> {
        let mut st = SdfParsed::default();
        let mut pos = 0;
        for (k, item) in self.items.iter().enumerate() {
            match item {
                Item::Lit(lit) => {
                    if !s[pos..].starts_with(lit.as_str()) {
                        return None;
                    }
                    pos += lit.len();
                }
                Item::Field { letter, count, .. } => {
                    let obey = match self.items.get(k + 1) {
                        Some(Item::Field { letter, count, .. }) => sdf_obey_count(*letter, *count),
                        _ => false,
                    };
                    pos = self.parse_field(s, pos, *letter, *count, obey, &mut st)?;
                }
                Item::OptStart | Item::OptEnd => {}
            }
        }
        if pos == 0 && !self.items.is_empty() {
            return None;
        }
        st.resolve()
    }

    fn parse_field(
        &self,
        s: &str,
        start: usize,
        letter: u8,
        count: u8,
        obey: bool,
        st: &mut SdfParsed,
    ) -> Option<usize> {
        let b = s.as_bytes();
        let mut pos = start;
        while pos < b.len() && (b[pos] == b' ' || b[pos] == b'\t') {
            pos += 1;
        }
        if pos >= b.len() {
            return None;
        }
        let actual_start = pos;
        let limit = if obey {
            let l = start + usize::from(count);
            if l > b.len() {
                return None;
            }
            l
        } else {
            b.len()
        };
        let number = |pos: &mut usize| -> Option<i64> {
            // DecimalFormat: optional '-', digits
            let mut i = *pos;
            let neg = i < limit && b[i] == b'-';
            if neg {
                i += 1;
            }
            let ds = i;
            let mut v: i64 = 0;
            while i < limit && b[i].is_ascii_digit() {
                v = v.saturating_mul(10).saturating_add(i64::from(b[i] - b'0'));
                i += 1;
            }
            if i == ds {
                return None;
            }
            *pos = i;
            // Number.intValue()
            let v = if neg { -v } else { v };
            Some(i64::from(v as i32))
        };
        let mut stamp = || {
            st.counter += 1;
            st.counter
        };
        match letter {
            b'G' => {
                let v = sdf_match(s, &mut pos, &["AD", "BC"])?;
                st.bc = v == 1;
            }
            b'y' | b'Y' => {
                let mut v = number(&mut pos)?;
                if count <= 2
                    && pos - actual_start == 2
                    && b[actual_start].is_ascii_digit()
                    && b[actual_start + 1].is_ascii_digit()
                {
                    let amb = self.century_start.rem_euclid(100);
                    v += self.century_start.div_euclid(100) * 100 + if v < amb { 100 } else { 0 };
                }
                st.year = Some(v);
            }
            b'M' | b'L' => {
                if count <= 2 {
                    st.month = Some(number(&mut pos)? - 1);
                } else {
                    let mut names = [""; 24];
                    for (i, m) in MONTHS.iter().enumerate() {
                        names[i] = m;
                        names[12 + i] = &m[..3];
                    }
                    st.month = Some((sdf_match(s, &mut pos, &names)? % 12) as i64);
                }
                st.month_stamp = stamp();
            }
            b'd' => {
                st.day = Some(number(&mut pos)?);
                st.day_stamp = stamp();
            }
            b'D' => {
                st.day_of_year = Some(number(&mut pos)?);
                st.doy_stamp = stamp();
            }
            b'k' => {
                let v = number(&mut pos)?;
                st.hour_of_day = Some(if v == 24 { 0 } else { v });
                st.hod_stamp = stamp();
            }
            b'H' => {
                st.hour_of_day = Some(number(&mut pos)?);
                st.hod_stamp = stamp();
            }
            b'h' => {
                let v = number(&mut pos)?;
                st.hour = Some(if v == 12 { 0 } else { v });
                st.hour_stamp = stamp();
            }
            b'K' => {
                st.hour = Some(number(&mut pos)?);
                st.hour_stamp = stamp();
            }
            b'a' => {
                st.pm = Some(sdf_match(s, &mut pos, &["AM", "PM"])? == 1);
                st.ampm_stamp = stamp();
            }
            b'm' => st.minute = Some(number(&mut pos)?),
            b's' => st.second = Some(number(&mut pos)?),
            b'S' => st.millis = Some(number(&mut pos)?),
            b'E' => {
                let mut names = [""; 14];
                for (i, d) in DAYS.iter().enumerate() {
                    names[i] = d;
                    names[7 + i] = &d[..3];
                }
                sdf_match(s, &mut pos, &names)?;
            }
            b'F' | b'w' | b'W' | b'u' => {
                number(&mut pos)?;
            }
            b'z' | b'Z' | b'X' => {
                st.offset_minutes = Some(sdf_parse_zone(s, &mut pos, letter)?);
            }
            _ => return None,
        }
        Some(pos)
    }
}

/// `SimpleDateFormat.shouldObeyCount`: the next field is numeric.
fn sdf_obey_count(letter: u8, count: u8) -> bool {
    match letter {
        b'M' | b'L' => count <= 2,
        b'y' | b'd' | b'k' | b'H' | b'm' | b's' | b'S' | b'D' | b'F' | b'w' | b'W' | b'h'
        | b'K' | b'Y' | b'u' => true,
        _ => false,
    }
}

/// Case-insensitive match of the longest option at `*pos`; its index.
fn sdf_match(s: &str, pos: &mut usize, options: &[&str]) -> Option<usize> {
    let rest = &s.as_bytes()[*pos..];
    let mut best: Option<(usize, usize)> = None;
    for (i, o) in options.iter().enumerate() {
        let o = o.as_bytes();
        if rest.len() >= o.len()
            && rest[..o.len()].eq_ignore_ascii_case(o)
            && best.is_none_or(|(l, _)| o.len() > l)
        {
            best = Some((o.len(), i));
        }
    }
    let (len, i) = best?;
    *pos += len;
    Some(i)
}

/// Zones `SimpleDateFormat` reads: `Z`/`UTC`/`GMT`, `[GMT|UTC]±hh[[:]mm]`.
fn sdf_parse_zone(s: &str, pos: &mut usize, letter: u8) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = *pos;
    if letter == b'X' && b.get(i) == Some(&b'Z') {
        *pos = i + 1;
        return Some(0);
    }
    let rest = &s[i..];
    if letter != b'X' {
        for name in ["GMT", "UTC"] {
            if rest.len() >= 3 && rest.as_bytes()[..3].eq_ignore_ascii_case(name.as_bytes()) {
                i += 3;
                if !matches!(b.get(i), Some(b'+' | b'-')) {
                    *pos = i;
                    return Some(0);
                }
                break;
            }
        }
    }
    let neg = match b.get(i) {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return None,
    };
    i += 1;
    let two = |i: &mut usize| -> Option<i64> {
        if *i + 2 <= b.len() && b[*i].is_ascii_digit() && b[*i + 1].is_ascii_digit() {
            let v = i64::from(b[*i] - b'0') * 10 + i64::from(b[*i + 1] - b'0');
            *i += 2;
            Some(v)
        } else {
            None
        }
    };
    let h = two(&mut i)?;
    let mut m = 0;
    if b.get(i) == Some(&b':') {
        let mut j = i + 1;
        if let Some(v) = two(&mut j) {
            m = v;
            i = j;
        }
    } else if let Some(v) = two(&mut i) {
        m = v;
    }
    *pos = i;
    let off = h * 60 + m;
    Some(if neg { -off } else { off })
}

/// Calendar fields a `SimpleDateFormat` parse set, with `Calendar`'s set order.
#[derive(Debug, Default)]
struct SdfParsed {
    counter: u32,
    bc: bool,
    year: Option<i64>,
    month: Option<i64>,
    month_stamp: u32,
    day: Option<i64>,
    day_stamp: u32,
    day_of_year: Option<i64>,
    doy_stamp: u32,
    hour_of_day: Option<i64>,
    hod_stamp: u32,
    hour: Option<i64>,
    hour_stamp: u32,
    pm: Option<bool>,
    ampm_stamp: u32,
    minute: Option<i64>,
    second: Option<i64>,
    millis: Option<i64>,
    offset_minutes: Option<i64>,
}

impl SdfParsed {
    /// Lenient `GregorianCalendar` computation (Julian before the cut-over).
    fn resolve(&self) -> Option<i64> {
        let y = self.year.unwrap_or(1970);
        let y = if self.bc { 1 - y } else { y };
        let days = if self.day_of_year.is_some()
            && self.doy_stamp > self.month_stamp.max(self.day_stamp)
        {
            calendar::hybrid_to_days(y, 1, 1) + self.day_of_year.unwrap_or(1) - 1
        } else {
            let m = self.month.unwrap_or(0);
            let y = y + m.div_euclid(12);
            let m = m.rem_euclid(12) as u32 + 1;
            let first = calendar::hybrid_to_days(y, m, 1);
            first + self.day.unwrap_or(1) - 1
        };
        // HOUR_OF_DAY vs HOUR + AM_PM: the most recently set wins.
        let hour_stamp = if self.hour_stamp > 0 && self.ampm_stamp > 0 {
            self.hour_stamp.max(self.ampm_stamp)
        } else {
            0
        };
        let use_hod = if hour_stamp == 0 && self.hod_stamp == 0 {
            false
        } else {
            self.hod_stamp >= hour_stamp
        };
        let hours = if use_hod {
            self.hour_of_day.unwrap_or(0)
        } else {
            self.hour.unwrap_or(0) + if self.pm == Some(true) { 12 } else { 0 }
        };
        let tod = hours * 3_600_000
            + self.minute.unwrap_or(0) * 60_000
            + self.second.unwrap_or(0) * 1000
            + self.millis.unwrap_or(0);
        let offset = self.offset_minutes.unwrap_or(0) * 60_000;
        days.checked_mul(MILLIS_PER_DAY)?
            .checked_add(tod)?
            .checked_sub(offset)
    }
}

fn sdf_field(out: &mut TextBuf<'_>, f: &Fields, letter: u8, count: u8) {
    let pad = usize::from(count);
    let num = |out: &mut TextBuf<'_>, v: i64| write_padded(out, v, pad);
    match letter {
        b'G' => out.push_str(if f.year >= 1 { "AD" } else { "BC" }),
        b'y' | b'Y' => {
            let y = if letter == b'y' {
                year_of_era(f.year)
            } else {
                year_of_era(f.us_week(true).1)
            };
            if count == 2 {
                write_padded(out, y % 100, 2);
            } else {
                num(out, y);
            }
        }
        b'M' | b'L' => match count {
            1 | 2 => num(out, i64::from(f.month)),
            3 => push_short(out, month_name(f.month)),
            _ => out.push_str(month_name(f.month)),
        },
        b'd' => num(out, i64::from(f.day)),
        b'D' => num(out, f.day_of_year(true)),
        b'F' => num(out, i64::from((f.day - 1) / 7 + 1)),
        b'w' => num(out, f.us_week(true).0),
        b'W' => num(out, f.us_week_of_month()),
        b'E' => {
            if count >= 4 {
                out.push_str(day_name(f.iso_dow()));
            } else {
                push_short(out, day_name(f.iso_dow()));
            }
        }
        b'u' => num(out, i64::from(f.iso_dow())),
        b'a' => out.push_str(if f.hour < 12 { "AM" } else { "PM" }),
        b'H' => num(out, i64::from(f.hour)),
        b'k' => num(out, i64::from(if f.hour == 0 { 24 } else { f.hour })),
        b'K' => num(out, i64::from(f.hour % 12)),
        b'h' => num(
            out,
            i64::from(if f.hour.is_multiple_of(12) {
                12
            } else {
                f.hour % 12
            }),
        ),
        b'm' => num(out, i64::from(f.minute)),
        b's' => num(out, i64::from(f.second)),
        b'S' => num(out, i64::from(f.millis)),
        b'z' => out.push_str(if count >= 4 {
            "Coordinated Universal Time"
        } else {
            "UTC"
        }),
        b'Z' => out.push_str("+0000"),
        b'X' => out.push('Z'),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::time::parse_timestamp_default;

    /// The remembered last text is per formatter and per instant: formatters that
    /// alternate on one instant, and one formatter on alternating instants, each get
    /// their own text.
    #[test]
    fn remembered_text_belongs_to_its_formatter_and_instant() {
        let day = SimpleDateFormat::new("yyyy-MM-dd").unwrap();
        let time = SimpleDateFormat::new("HH:mm:ss").unwrap();
        let iso = DateFormat::new("yyyy-MM-dd'T'HH:mm").unwrap();
        let (a, b) = (Timestamp(1_709_373_909_123), Timestamp(1_709_460_000_000));
        for _ in 0..2 {
            assert_eq!(day.format_timestamp(a), "2024-03-02");
            assert_eq!(time.format_timestamp(a), "10:05:09");
            assert_eq!(iso.format(a), "2024-03-02T10:05");
            assert_eq!(day.format_timestamp(a), "2024-03-02");
            assert_eq!(day.format_timestamp(b), "2024-03-03");
            assert_eq!(day.clone().format_timestamp(b), "2024-03-03");
            assert_eq!(iso.format(b), "2024-03-03T10:00");
        }
        // More formatters than remembered slots: ids that share a slot.
        let many: Vec<SimpleDateFormat> = (0..3 * REMEMBERED)
            .map(|i| SimpleDateFormat::new(["yyyy", "MM", "dd"][i % 3]).unwrap())
            .collect();
        for _ in 0..2 {
            for (i, f) in many.iter().enumerate() {
                assert_eq!(f.format_timestamp(a), ["2024", "03", "02"][i % 3]);
            }
        }
    }

    fn ts(s: &str) -> Timestamp {
        Timestamp(parse_timestamp_default(s).unwrap())
    }

    const TS: [&str; 14] = [
        "2024-03-02 10:05:09.123",
        "2024-03-02 00:00:00",
        "2024-03-02 10:00:00.5",
        "2024-03-02 10:00:00.120",
        "2024-01-01 12:00:00",
        "2024-12-30 23:59:59.999",
        "1969-12-31 23:59:59.999",
        "0001-01-01 00:00:00",
        "2023-01-01 00:30:00.007",
        "2021-01-03 13:00:00",
        "2020-12-31 01:00:00",
        "1970-01-01 00:00:00",
        "9999-12-31 23:59:59.999",
        "2024-07-04 15:04:05.060",
    ];

    fn check_dtf(pattern: &str, want: [&str; 14]) {
        let f = DateFormat::new(pattern).unwrap();
        for (t, w) in TS.iter().zip(want) {
            assert_eq!(f.format(ts(t)), w, "DATE_FORMAT({t:?}, {pattern:?})");
        }
    }

    #[test]
    fn date_format_timestamp_observed() {
        // DATE_FORMAT(ts, pattern) with ts TIMESTAMP(3) on Flink 2.3.
        check_dtf(
            "yyyy-MM-dd HH:MM:ss",
            [
                "2024-03-02 10:03:09",
                "2024-03-02 00:03:00",
                "2024-03-02 10:03:00",
                "2024-03-02 10:03:00",
                "2024-01-01 12:01:00",
                "2024-12-30 23:12:59",
                "1969-12-31 23:12:59",
                "0001-01-01 00:01:00",
                "2023-01-01 00:01:00",
                "2021-01-03 13:01:00",
                "2020-12-31 01:12:00",
                "1970-01-01 00:01:00",
                "9999-12-31 23:12:59",
                "2024-07-04 15:07:05",
            ],
        );
        check_dtf(
            "yy/M/d H:m:s",
            [
                "24/3/2 10:5:9",
                "24/3/2 0:0:0",
                "24/3/2 10:0:0",
                "24/3/2 10:0:0",
                "24/1/1 12:0:0",
                "24/12/30 23:59:59",
                "69/12/31 23:59:59",
                "01/1/1 0:0:0",
                "23/1/1 0:30:0",
                "21/1/3 13:0:0",
                "20/12/31 1:0:0",
                "70/1/1 0:0:0",
                "99/12/31 23:59:59",
                "24/7/4 15:4:5",
            ],
        );
        check_dtf(
            "y yyy yyyyy",
            [
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "1969 1969 01969",
                "1 001 00001",
                "2023 2023 02023",
                "2021 2021 02021",
                "2020 2020 02020",
                "1970 1970 01970",
                "9999 9999 09999",
                "2024 2024 02024",
            ],
        );
        check_dtf(
            "S SS SSS SSSS",
            [
                "1 12 123 1230",
                "0 00 000 0000",
                "5 50 500 5000",
                "1 12 120 1200",
                "0 00 000 0000",
                "9 99 999 9990",
                "9 99 999 9990",
                "0 00 000 0000",
                "0 00 007 0070",
                "0 00 000 0000",
                "0 00 000 0000",
                "0 00 000 0000",
                "9 99 999 9990",
                "0 06 060 0600",
            ],
        );
        check_dtf(
            "MMM MMMM MMMMM",
            [
                "Mar March M",
                "Mar March M",
                "Mar March M",
                "Mar March M",
                "Jan January J",
                "Dec December D",
                "Dec December D",
                "Jan January J",
                "Jan January J",
                "Jan January J",
                "Dec December D",
                "Jan January J",
                "Dec December D",
                "Jul July J",
            ],
        );
        check_dtf(
            "E EE EEE EEEE",
            [
                "Sat Sat Sat Saturday",
                "Sat Sat Sat Saturday",
                "Sat Sat Sat Saturday",
                "Sat Sat Sat Saturday",
                "Mon Mon Mon Monday",
                "Mon Mon Mon Monday",
                "Wed Wed Wed Wednesday",
                "Mon Mon Mon Monday",
                "Sun Sun Sun Sunday",
                "Sun Sun Sun Sunday",
                "Thu Thu Thu Thursday",
                "Thu Thu Thu Thursday",
                "Fri Fri Fri Friday",
                "Thu Thu Thu Thursday",
            ],
        );
        check_dtf(
            "a h hh K k kk",
            [
                "AM 10 10 10 10 10",
                "AM 12 12 0 24 24",
                "AM 10 10 10 10 10",
                "AM 10 10 10 10 10",
                "PM 12 12 0 12 12",
                "PM 11 11 11 23 23",
                "PM 11 11 11 23 23",
                "AM 12 12 0 24 24",
                "AM 12 12 0 24 24",
                "PM 1 01 1 13 13",
                "AM 1 01 1 1 01",
                "AM 12 12 0 24 24",
                "PM 11 11 11 23 23",
                "PM 3 03 3 15 15",
            ],
        );
        check_dtf(
            "'T'HH''mm",
            [
                "T10'05", "T00'00", "T10'00", "T10'00", "T12'00", "T23'59", "T23'59", "T00'00",
                "T00'30", "T13'00", "T01'00", "T00'00", "T23'59", "T15'04",
            ],
        );
        check_dtf(
            "D DD DDD",
            [
                "62 62 062",
                "62 62 062",
                "62 62 062",
                "62 62 062",
                "1 01 001",
                "365 365 365",
                "365 365 365",
                "1 01 001",
                "1 01 001",
                "3 03 003",
                "366 366 366",
                "1 01 001",
                "365 365 365",
                "186 186 186",
            ],
        );
        check_dtf(
            "u",
            [
                "2024", "2024", "2024", "2024", "2024", "2024", "1969", "1", "2023", "2021",
                "2020", "1970", "9999", "2024",
            ],
        );
        check_dtf(
            "w W Y YYYY",
            [
                "9 1 2024 2024",
                "9 1 2024 2024",
                "9 1 2024 2024",
                "9 1 2024 2024",
                "1 1 2024 2024",
                "1 5 2025 2025",
                "1 5 1970 1970",
                "1 1 1 0001",
                "1 1 2023 2023",
                "2 2 2021 2021",
                "1 5 2021 2021",
                "1 1 1970 1970",
                "1 5 10000 +10000",
                "27 1 2024 2024",
            ],
        );
        check_dtf(
            "F G",
            [
                "2 AD", "2 AD", "2 AD", "2 AD", "1 AD", "2 AD", "3 AD", "1 AD", "1 AD", "3 AD",
                "3 AD", "1 AD", "3 AD", "4 AD",
            ],
        );
        check_dtf(
            "yyyy-MM-dd'T'HH:mm:ss.SSS",
            [
                "2024-03-02T10:05:09.123",
                "2024-03-02T00:00:00.000",
                "2024-03-02T10:00:00.500",
                "2024-03-02T10:00:00.120",
                "2024-01-01T12:00:00.000",
                "2024-12-30T23:59:59.999",
                "1969-12-31T23:59:59.999",
                "0001-01-01T00:00:00.000",
                "2023-01-01T00:30:00.007",
                "2021-01-03T13:00:00.000",
                "2020-12-31T01:00:00.000",
                "1970-01-01T00:00:00.000",
                "9999-12-31T23:59:59.999",
                "2024-07-04T15:04:05.060",
            ],
        );
        let f = DateFormat::new("n N A").unwrap();
        assert_eq!(f.format(ts(TS[0])), "123000000 36309123000000 36309123");
        let f = DateFormat::new("GGGG GGGGG QQQ QQQQ q e ee eee c MMMMM LLLL EEEEE").unwrap();
        assert_eq!(
            f.format(ts(TS[6])),
            "Anno Domini A Q4 4th quarter 4 4 04 Wed 4 D December W"
        );
    }

    #[test]
    fn fast_path_matches_general_path() {
        let patterns = [
            "yyyy-MM-dd HH:mm:ss",
            "yyyyMMddHH",
            "yyyy-MM-dd",
            "yy/MM/dd'T'HH:mm:ss.SSS",
            "uuuu-MM-dd HH:mm:ss.SS S",
            "HH:mm 'Uhr' é",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for p in patterns {
            let fast = DateFormat::new(p).unwrap();
            assert!(fast.fast.is_some(), "{p}");
            let mut slow = fast.clone();
            slow.fast = None;
            let sfast =
                SimpleDateFormat::new(&p.replace('u', "y").replace(".SS S", ".SSS")).unwrap();
            let mut sslow = sfast.clone();
            sslow.fast = None;
            for _ in 0..2000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let ms = (x % 600_000_000_000_000) as i64 - 300_000_000_000_000;
                assert_eq!(
                    fast.format(Timestamp(ms)),
                    slow.format(Timestamp(ms)),
                    "{p} {ms}"
                );
                assert_eq!(sfast.format_millis(ms), sslow.format_millis(ms), "{p} {ms}");
            }
        }
        assert!(DateFormat::new("y-M-d").unwrap().fast.is_none());
        assert!(SimpleDateFormat::new("S").unwrap().fast.is_none());
    }

    #[test]
    fn day_periods_observed() {
        // DATE_FORMAT(ts, 'B h:mm') and 'k K' on Flink 2.3.
        let f = DateFormat::new("B h:mm").unwrap();
        let g = DateFormat::new("k K").unwrap();
        let cases = [
            ("00:00:00", "midnight 12:00", "24 0"),
            ("00:00:30", "midnight 12:00", "24 0"),
            ("00:01:00", "at night 12:01", "24 0"),
            ("05:59:00", "at night 5:59", "5 5"),
            ("06:00:00", "in the morning 6:00", "6 6"),
            ("11:59:59", "in the morning 11:59", "11 11"),
            ("12:00:00", "noon 12:00", "12 0"),
            ("12:00:59", "noon 12:00", "12 0"),
            ("12:01:00", "in the afternoon 12:01", "12 0"),
            ("17:59:00", "in the afternoon 5:59", "17 5"),
            ("18:00:00", "in the evening 6:00", "18 6"),
            ("20:59:00", "in the evening 8:59", "20 8"),
            ("21:00:00", "at night 9:00", "21 9"),
            ("23:59:00", "at night 11:59", "23 11"),
        ];
        for (t, a, b) in cases {
            let t = ts(&format!("2024-03-02 {t}"));
            assert_eq!(f.format(t), a);
            assert_eq!(g.format(t), b);
        }
    }

    #[test]
    fn invalid_patterns_observed() {
        // Each failed the Flink 2.3 job (IllegalArgumentException / DateTimeException).
        for p in [
            "yyyy-MM-ddTHH",
            "aa",
            "ddd",
            "SSSSSSSSSS",
            "'unclosed",
            "yyyy-MM-dd#",
            "MMMMMM",
            "yyyyyyyyyyyyyyyyyyyy",
            "z Z X",
            "Q QQQ q L LLL e c V O x B",
            "]",
        ] {
            assert!(DateFormat::new(p).is_err(), "{p:?}");
        }
        for p in ["yyyy-MM-ddTHH", "yyyy-MM-dd b", "'unclosed", "XXXX"] {
            assert!(SimpleDateFormat::new(p).is_err(), "{p:?}");
        }
        assert!(DateFormat::new("yyyy-MM-dd[ HH]").is_ok());
        assert!(DateFormat::new("").is_ok());
    }

    #[test]
    fn simple_date_format_observed() {
        // DATE_FORMAT(s, pattern) with s a 'yyyy-MM-dd HH:mm:ss[.fff]' string, Flink 2.3.
        let check = |pattern: &str, want: [&str; 14]| {
            let f = SimpleDateFormat::new(pattern).unwrap();
            for (t, w) in TS.iter().zip(want) {
                let got = crate::func::time::date_format_str(t, &f);
                assert_eq!(got.as_deref(), Some(w), "DATE_FORMAT({t:?}, {pattern:?})");
            }
        };
        check("S SS SSS SSSS", ["0 00 000 0000"; 14]);
        check(
            "u",
            [
                "6", "6", "6", "6", "1", "1", "3", "6", "7", "7", "4", "4", "5", "4",
            ],
        );
        check(
            "w W Y YYYY",
            [
                "9 1 2024 2024",
                "9 1 2024 2024",
                "9 1 2024 2024",
                "9 1 2024 2024",
                "1 1 2024 2024",
                "1 5 2025 2025",
                "1 5 1970 1970",
                "1 1 1 0001",
                "1 1 2023 2023",
                "2 2 2021 2021",
                "1 5 2021 2021",
                "1 1 1970 1970",
                "1 5 10000 10000",
                "27 1 2024 2024",
            ],
        );
        check(
            "y yyy yyyyy",
            [
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "2024 2024 02024",
                "1969 1969 01969",
                "1 001 00001",
                "2023 2023 02023",
                "2021 2021 02021",
                "2020 2020 02020",
                "1970 1970 01970",
                "9999 9999 09999",
                "2024 2024 02024",
            ],
        );
        check(
            "E EEEE a h K k",
            [
                "Sat Saturday AM 10 10 10",
                "Sat Saturday AM 12 0 24",
                "Sat Saturday AM 10 10 10",
                "Sat Saturday AM 10 10 10",
                "Mon Monday PM 12 0 12",
                "Mon Monday PM 11 11 23",
                "Wed Wednesday PM 11 11 23",
                "Sat Saturday AM 12 0 24",
                "Sun Sunday AM 12 0 24",
                "Sun Sunday PM 1 1 13",
                "Thu Thursday AM 1 1 1",
                "Thu Thursday AM 12 0 24",
                "Fri Friday PM 11 11 23",
                "Thu Thursday PM 3 3 15",
            ],
        );
        check(
            "MMM MMMM MMMMM D DDD F G",
            [
                "Mar March March 62 062 1 AD",
                "Mar March March 62 062 1 AD",
                "Mar March March 62 062 1 AD",
                "Mar March March 62 062 1 AD",
                "Jan January January 1 001 1 AD",
                "Dec December December 365 365 5 AD",
                "Dec December December 365 365 5 AD",
                "Jan January January 1 001 1 AD",
                "Jan January January 1 001 1 AD",
                "Jan January January 3 003 1 AD",
                "Dec December December 366 366 5 AD",
                "Jan January January 1 001 1 AD",
                "Dec December December 365 365 5 AD",
                "Jul July July 186 186 1 AD",
            ],
        );
        let f = SimpleDateFormat::new("z Z X").unwrap();
        assert_eq!(f.format_millis(0), "UTC +0000 Z");
        let f = SimpleDateFormat::new(
            "yyyy-MM-dd HH:mm:ss.SSS zzzz ZZZZ XXX XX G GGGG MMMMM EEEEEE aaa",
        )
        .unwrap();
        assert_eq!(
            f.format_millis(ts("2024-03-02 00:00:00").0),
            "2024-03-02 00:00:00.000 Coordinated Universal Time +0000 Z Z AD AD March Saturday AM"
        );
    }

    #[test]
    fn to_timestamp_with_format_observed() {
        // CAST(TO_TIMESTAMP(s, f) AS STRING) and UNIX_TIMESTAMP(s, f) on Flink 2.3.
        let cases: &[(&str, &str, Option<&str>, i64)] = &[
            (
                "2024-03-02T10:30:00",
                "yyyy-MM-dd'T'HH:mm:ss",
                Some("2024-03-02 10:30:00.000"),
                1709375400,
            ),
            (
                "2024/3/2",
                "yyyy/M/d",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            ("10:30", "HH:mm", Some("1970-01-01 10:30:00.000"), 37800),
            (
                "2024-03-02 10:30:00.123",
                "yyyy-MM-dd HH:mm:ss.SSS",
                Some("2024-03-02 10:30:00.123"),
                1709375400,
            ),
            (
                "Mar 2 2024",
                "MMM d yyyy",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            ("mar 2 2024", "MMM d yyyy", None, 1709337600),
            (
                "2024-03-02 01:30:00 PM",
                "yyyy-MM-dd hh:mm:ss a",
                Some("2024-03-02 13:30:00.000"),
                1709386200,
            ),
            (
                "2024-03-02 1:30:00",
                "yyyy-MM-dd HH:mm:ss",
                Some("2024-03-02 01:30:00.000"),
                1709343000,
            ),
            (
                "2024-03-02",
                "yyyy-MM-dd HH:mm:ss",
                Some("2024-03-02 00:00:00.000"),
                i64::MIN,
            ),
            (
                "  2024-03-02",
                "yyyy-MM-dd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024-03-02",
                " yyyy-MM-dd",
                Some("2024-03-02 00:00:00.000"),
                i64::MIN,
            ),
            (
                "2024-3-2",
                "yyyy-MM-dd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024-03-02 10:30:00.5",
                "yyyy-MM-dd HH:mm:ss.SSS",
                Some("2024-03-02 10:30:00.500"),
                1709375400,
            ),
            ("2024-03-02 10:30", "yyyy-MM-dd HH:mm:ss", None, i64::MIN),
            (
                "2024-03-02 25:30:00",
                "yyyy-MM-dd HH:mm:ss",
                Some("2024-03-03 01:30:00.000"),
                1709429400,
            ),
            (
                "24-03-02",
                "yy-MM-dd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024-03-02 10",
                "yyyy-MM-dd HH",
                Some("2024-03-02 10:00:00.000"),
                1709373600,
            ),
            (
                "20240302 1030",
                "yyyyMMdd HHmm",
                Some("2024-03-02 10:30:00.000"),
                1709375400,
            ),
            (
                "2024-03-02 13:30:00 PM",
                "yyyy-MM-dd HH:mm:ss a",
                Some("2024-03-02 13:30:00.000"),
                1709386200,
            ),
            (
                "2024-03-02 12:30:00 AM",
                "yyyy-MM-dd hh:mm:ss a",
                Some("2024-03-02 00:30:00.000"),
                1709339400,
            ),
            (
                "2024-061",
                "yyyy-DDD",
                Some("2024-03-01 00:00:00.000"),
                1709251200,
            ),
            (
                "Sat 2024-03-02",
                "EEE yyyy-MM-dd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            ("Mon 2024-03-02", "EEE yyyy-MM-dd", None, 1709337600),
            (
                "2024-03-02 10:30:00+0800",
                "yyyy-MM-dd HH:mm:ssZ",
                Some("2024-03-02 10:30:00.000"),
                1709346600,
            ),
            ("2024", "yyyy", Some("2024-01-01 00:00:00.000"), 1704067200),
            (
                "2024-03",
                "yyyy-MM",
                Some("2024-03-01 00:00:00.000"),
                1709251200,
            ),
            (
                "March 2, 2024",
                "MMMM d, yyyy",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024-02-30",
                "yyyy-MM-dd",
                Some("2024-02-29 00:00:00.000"),
                1709251200,
            ),
            ("2024-13-01", "yyyy-MM-dd", None, 1735689600),
            (
                "2023-02-29 10:00:00",
                "yyyy-MM-dd HH:mm:ss",
                Some("2023-02-28 10:00:00.000"),
                1677664800,
            ),
            (
                "2024-03-02 24:00:00",
                "yyyy-MM-dd HH:mm:ss",
                Some("2024-03-03 00:00:00.000"),
                1709424000,
            ),
            (
                "2024-03-02 24:00:00",
                "yyyy-MM-dd kk:mm:ss",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024-03-02 12:30",
                "yyyy-MM-dd hh:mm",
                Some("2024-03-02 00:30:00.000"),
                1709339400,
            ),
            (
                "2024-03-02 10:30:00.123456",
                "yyyy-MM-dd HH:mm:ss.SSSSSS",
                Some("2024-03-02 10:30:00.123"),
                1709375523,
            ),
            (
                "99-03-02",
                "yy-MM-dd",
                Some("2099-03-02 00:00:00.000"),
                920332800,
            ),
            (
                "45-03-02",
                "yy-MM-dd",
                Some("2045-03-02 00:00:00.000"),
                2372025600,
            ),
            (
                "2024-03-02 10:30:00",
                "yyyy-MM-dd HH:mm:ss.SSS",
                Some("2024-03-02 10:30:00.000"),
                i64::MIN,
            ),
            (
                "20240302",
                "yyyyMMdd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            (
                "2024 03 02",
                "yyyy MM dd",
                Some("2024-03-02 00:00:00.000"),
                1709337600,
            ),
            ("2024-03-02 x", "yyyy-MM-dd", None, 1709337600),
            (
                "20240302103000",
                "yyyyMMddHHmmss",
                Some("2024-03-02 10:30:00.000"),
                1709375400,
            ),
            ("202403021", "yyyyMMdd", None, i64::MAX),
        ];
        for (s, f, want, unix) in cases {
            let dtf = DateFormat::for_parsing(f).unwrap();
            let got = crate::func::time::to_timestamp_with(s, &dtf).map(|t| {
                let mut o = String::new();
                crate::func::time::write_timestamp(&mut o, t.0, 3);
                o
            });
            assert_eq!(got.as_deref(), *want, "TO_TIMESTAMP({s:?}, {f:?})");
            let sdf = SimpleDateFormat::new(f).unwrap().with_century_start(1946);
            if *unix != i64::MAX {
                assert_eq!(
                    crate::func::time::unix_timestamp_with(s, &sdf),
                    *unix,
                    "UNIX_TIMESTAMP({s:?}, {f:?})"
                );
            }
        }
    }
}
