//! Writing output rows: JSON objects (Flink's `json` format), Flink's `print` format,
//! and raw message values.
//!
//! In: typed values from generated code. Out: bytes appended to a sink buffer; no
//! allocation per value (integers and floats are formatted in place).

use crate::{Date, Timestamp, TimestampLtz};
use std::fmt::Write as _;

/// Appends `s` as a JSON string literal.
///
/// ```
/// let mut b = Vec::new();
/// streamsql_runtime::encode::json_str(&mut b, "a\"b\n");
/// assert_eq!(b, br#""a\"b\n""#);
/// ```
#[inline]
pub fn json_str(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // The rule, a clean string: one scan (a word at a time), one reservation, one
    // copy.
    if is_clean(bytes) {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(bytes);
        buf.push(b'"');
        return;
    }
    json_str_escaped(buf, bytes);
}

/// [`json_str`] of a string with something to escape.
fn json_str_escaped(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.push(b'"');
    let mut start = 0;
    loop {
        // Copy each clean run at once.
        let i = start + clean_prefix(&bytes[start..]);
        buf.extend_from_slice(&bytes[start..i]);
        let Some(&c) = bytes.get(i) else { break };
        match c {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            _ => {
                let _ = write!(Hex(buf), "\\u{:04x}", c);
            }
        }
        start = i + 1;
    }
    buf.push(b'"');
}

/// Whether a byte must be escaped in a JSON string: `"`, `\` and controls.
#[inline]
fn needs_escape(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// Whether `bytes` has nothing to escape: a word at a time, the last word read
/// overlapping the one before (no byte loop for the tail).
#[inline]
fn is_clean(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n < 8 {
        return !bytes.iter().any(|&c| needs_escape(c));
    }
    let mut found = 0;
    let mut i = 0;
    while i + 8 <= n {
        found |= escapes_in(word_at(bytes, i));
        i += 8;
    }
    found |= escapes_in(word_at(bytes, n - 8));
    found == 0
}

/// The eight bytes of `bytes` at `i` as a little-endian word.
#[inline]
fn word_at(bytes: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"))
}

/// High bits set in the bytes of `x` to escape (and maybe in bytes after them: only
/// zero or not is exact).
#[inline]
fn escapes_in(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = x ^ (ONES * u64::from(b'"'));
    let backslash = x ^ (ONES * u64::from(b'\\'));
    ((x.wrapping_sub(ONES * 0x20) & !x)
        | (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash))
        & HIGH
}

/// The length of the longest prefix of `bytes` with nothing to escape, eight bytes
/// at a time: a byte below 0x20, or equal to `"` or `\`, shows as a high bit in
/// `(x - 0x01..) & !x` of the word (or of the word xor the byte repeated), and bytes of
/// multi-byte UTF-8 characters (high bit set) never do.
#[inline]
fn clean_prefix(bytes: &[u8]) -> usize {
    let mut i = 0;
    while i + 8 <= bytes.len() && escapes_in(word_at(bytes, i)) == 0 {
        i += 8;
    }
    while i < bytes.len() && !needs_escape(bytes[i]) {
        i += 1;
    }
    i
}

struct Hex<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Hex<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[inline]
pub fn json_null(buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"null");
}

pub fn json_bool(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

/// An integer in decimal.
///
/// Written digit pairs at a time rather than through `core::fmt`: integers and
/// timestamps are most of what a sink writes, and the formatting machinery was a
/// third of the CPU of a window job that writes a row per event (`jobs` bench).
///
/// ```
/// let mut b = Vec::new();
/// streamsql_runtime::encode::json_int(&mut b, i64::MIN);
/// assert_eq!(b, b"-9223372036854775808");
/// ```
#[inline]
pub fn json_int(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    uint_text(buf, v.unsigned_abs());
}

/// "00" to "99".
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

#[inline]
fn uint_text(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[n as usize * 2..n as usize * 2 + 2]);
    } else {
        i -= 1;
        tmp[i] = b'0' + n as u8;
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// `v` (0..=99) as two digits.
#[inline]
fn two_digits(buf: &mut Vec<u8>, v: i64) {
    let v = v as usize * 2;
    buf.extend_from_slice(&DIGIT_PAIRS[v..v + 2]);
}

/// A year as at least four digits (a sign before a negative one).
#[inline]
fn year_text(buf: &mut Vec<u8>, y: i64) {
    if (0..10_000).contains(&y) {
        two_digits(buf, y / 100);
        two_digits(buf, y % 100);
    } else {
        let _ = write!(Hex(buf), "{y:04}");
    }
}

/// Doubles as Java prints them in Flink's JSON (`1.0`, `0.5`, `1.0E10`).
pub fn json_float(buf: &mut Vec<u8>, v: f64) {
    json_float_of(buf, v);
}

/// A `FLOAT` in Flink's JSON: the shortest text of the float itself (`0.1`, where
/// its widening to a double would print `0.10000000149011612`).
pub fn json_float32(buf: &mut Vec<u8>, v: f32) {
    json_float_of(buf, v);
}

/// A `DOUBLE` as Java's `Double.toString` writes it (the `print` format): `0.5`,
/// `100.0`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`, `-Infinity`. The digits are the
/// shortest that read back as `v`; Java 17 sometimes writes more (`5.0331648E7`
/// for the float `5.033165E7`): the same value, another spelling.
pub fn float_text(buf: &mut Vec<u8>, v: f64) {
    float_text_of(buf, v);
}

/// A `FLOAT` as Java's `Float.toString` writes it (see [`float_text`]).
pub fn float32_text(buf: &mut Vec<u8>, v: f32) {
    float_text_of(buf, v);
}

fn json_float_of<T: Copy + Into<f64> + std::fmt::Display + std::fmt::LowerExp>(
    buf: &mut Vec<u8>,
    v: T,
) {
    let x: f64 = v.into();
    if !x.is_finite() {
        // JSON has no NaN/Infinity; Flink's json format writes them as strings.
        buf.push(b'"');
        float_text_of(buf, v);
        buf.push(b'"');
    } else if x == x.trunc() && x.abs() < 1e7 {
        whole_float_text(buf, x);
    } else {
        let _ = write!(Hex(buf), "{v}");
    }
}

/// A whole float below 1e7 in magnitude as Java prints it: `3.0`, `-0.0`.
#[inline]
fn whole_float_text(buf: &mut Vec<u8>, x: f64) {
    if x.is_sign_negative() {
        buf.push(b'-');
    }
    uint_text(buf, x.abs() as u64);
    buf.extend_from_slice(b".0");
}

fn float_text_of<T: Copy + Into<f64> + std::fmt::Display + std::fmt::LowerExp>(
    buf: &mut Vec<u8>,
    v: T,
) {
    let x: f64 = v.into();
    if x.is_nan() {
        buf.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        buf.extend_from_slice(if x > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else if x == 0.0 || (1e-3..1e7).contains(&x.abs()) {
        // Plain notation, at least one digit after the point.
        if x == x.trunc() {
            whole_float_text(buf, x);
        } else {
            let _ = write!(Hex(buf), "{v}");
        }
    } else {
        // Computerised scientific notation: the shortest digits as d.ddd, then E±n.
        let s = format!("{v:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let point = if m.contains('.') { "" } else { ".0" };
        let _ = write!(Hex(buf), "{m}{point}E{e}");
    }
}

/// `TIMESTAMP(p)` as Flink's json format writes it (`yyyy-MM-dd HH:mm:ss[.fff]`).
pub fn json_timestamp(buf: &mut Vec<u8>, t: Timestamp) {
    buf.push(b'"');
    timestamp_text(buf, t.0);
    buf.push(b'"');
}

/// `TIMESTAMP_LTZ(p)` as an ISO instant (`yyyy-MM-ddTHH:mm:ss[.fff]Z`).
pub fn json_timestamp_ltz(buf: &mut Vec<u8>, t: TimestampLtz) {
    buf.push(b'"');
    timestamp_ltz_text(buf, t);
    buf.push(b'"');
}

/// `TIMESTAMP_LTZ(p)` as an ISO instant, unquoted (the `print` format, Java's
/// `Instant.toString`: `1970-01-01T00:00:01.500Z`).
pub fn timestamp_ltz_text(buf: &mut Vec<u8>, t: TimestampLtz) {
    let start = buf.len();
    timestamp_text(buf, t.0);
    buf[start + 10] = b'T';
    buf.push(b'Z');
}

pub fn json_date(buf: &mut Vec<u8>, d: Date) {
    buf.push(b'"');
    date_text(buf, d);
    buf.push(b'"');
}

/// `yyyy-MM-dd`, unquoted (the `print` format).
pub fn date_text(buf: &mut Vec<u8>, d: Date) {
    let (y, m, day) = crate::func::calendar::civil_from_days(i64::from(d.0));
    year_text(buf, y);
    buf.push(b'-');
    two_digits(buf, i64::from(m));
    buf.push(b'-');
    two_digits(buf, i64::from(day));
}

/// Base64 (standard alphabet, padded), as Flink's json format writes BYTES.
pub fn json_bytes(buf: &mut Vec<u8>, b: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    buf.push(b'"');
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        buf.push(ALPHABET[(n >> 18) as usize & 63]);
        buf.push(ALPHABET[(n >> 12) as usize & 63]);
        buf.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        buf.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63]
        } else {
            b'='
        });
    }
    buf.push(b'"');
}

/// `yyyy-MM-dd HH:mm:ss` plus `.fff` when the milliseconds are not zero.
pub fn timestamp_text(buf: &mut Vec<u8>, ms: i64) {
    if !(FIRST_FOUR_DIGIT_YEAR_MS..FIRST_FIVE_DIGIT_YEAR_MS).contains(&ms) {
        return long_year_timestamp_text(buf, ms);
    }
    RECENT_TIMESTAMPS.with_borrow_mut(|recent| {
        if let Some(i) = recent.ms.iter().position(|&m| m == ms) {
            // All 23 bytes and then the length: a copy of known size, without a call.
            let end = buf.len() + recent.len[i] as usize;
            buf.extend_from_slice(&recent.text[i]);
            buf.truncate(end);
            return;
        }
        // The rule: the whole text on the stack, one copy.
        let (y, rest, n) = timestamp_after_year(ms);
        let mut t = [0; 23];
        put_pair(&mut t[0..], y as usize / 100);
        put_pair(&mut t[2..], y as usize % 100);
        t[4..].copy_from_slice(&rest);
        let len = 4 + n;
        buf.extend_from_slice(&t[..len]);
        let i = recent.next;
        recent.next = (i + 1) % RECENT_TIMESTAMP_TEXTS;
        (recent.ms[i], recent.text[i], recent.len[i]) = (ms, t, len as u8);
    })
}

/// A timestamp outside the years 0000-9999 (Flink's years are signed and unpadded
/// beyond four digits); out of line, so that the common path stays small.
#[cold]
fn long_year_timestamp_text(buf: &mut Vec<u8>, ms: i64) {
    let (y, rest, n) = timestamp_after_year(ms);
    year_text(buf, y);
    buf.extend_from_slice(&rest[..n]);
}

/// The year of `ms`, and the text after it: `-MM-dd HH:mm:ss.fff` and its length
/// (without `.fff` when the milliseconds are zero).
#[inline]
fn timestamp_after_year(ms: i64) -> (i64, [u8; 19], usize) {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000) as usize;
    let sod = secs.rem_euclid(86_400) as usize;
    let (y, m, d) = crate::func::calendar::civil_from_days(secs.div_euclid(86_400));
    let mut t = *b"-MM-dd HH:mm:ss.fff";
    put_pair(&mut t[1..], m as usize);
    put_pair(&mut t[4..], d as usize);
    put_time(&mut t[7..], sod, millis);
    (y, t, if millis == 0 { 15 } else { 19 })
}

/// 0000-01-01 and 10000-01-01 as epoch millis: the years written with four digits.
const FIRST_FOUR_DIGIT_YEAR_MS: i64 = -62_167_219_200_000;
const FIRST_FIVE_DIGIT_YEAR_MS: i64 = 253_402_300_800_000;

/// How many timestamp texts a thread remembers.
const RECENT_TIMESTAMP_TEXTS: usize = 4;

/// The last timestamps a thread wrote, by value (replaced round-robin). A row's
/// timestamps are mostly the ones the rows before it had: every row a window fires
/// has its window's start and end, every row of a batch the same current time; so
/// remembering a few saves most of the formatting (callgrind: ~200 instructions a
/// timestamp formatted, ~55 remembered).
struct RecentTimestamps {
    /// `i64::MIN` (outside the four-digit years, so never looked up) in unused slots.
    ms: [i64; RECENT_TIMESTAMP_TEXTS],
    text: [[u8; 23]; RECENT_TIMESTAMP_TEXTS],
    len: [u8; RECENT_TIMESTAMP_TEXTS],
    next: usize,
}

thread_local! {
    static RECENT_TIMESTAMPS: std::cell::RefCell<RecentTimestamps> = const {
        std::cell::RefCell::new(RecentTimestamps {
            ms: [i64::MIN; RECENT_TIMESTAMP_TEXTS],
            text: [[0; 23]; RECENT_TIMESTAMP_TEXTS],
            len: [0; RECENT_TIMESTAMP_TEXTS],
            next: 0,
        })
    };
}

/// `v` (0..=99) as two digits at the start of `at`.
#[inline]
fn put_pair(at: &mut [u8], v: usize) {
    at[..2].copy_from_slice(&DIGIT_PAIRS[v * 2..v * 2 + 2]);
}

/// `HH:mm:ss.fff` of second-of-day `sod` and `millis` at the start of `at` (12 bytes).
#[inline]
fn put_time(at: &mut [u8], sod: usize, millis: usize) {
    put_pair(at, sod / 3600);
    put_pair(&mut at[3..], sod % 3600 / 60);
    put_pair(&mut at[6..], sod % 60);
    at[9] = b'0' + (millis / 100) as u8;
    put_pair(&mut at[10..], millis % 100);
}

/// Starts a JSON object row: `{`.
#[inline]
pub fn row_start(buf: &mut Vec<u8>) {
    buf.push(b'{');
}

/// A field name, pre-escaped by the compiler (`"name":`), after a comma if not first.
#[inline]
pub fn field(buf: &mut Vec<u8>, first: bool, key_with_colon: &[u8]) {
    if !first {
        buf.push(b',');
    }
    buf.extend_from_slice(key_with_colon);
}

/// The first field of a changelog row: its kind, `"op":"+U"` (an updating sink's
/// JSON-lines form, `{"op":"+I"|"-U"|"+U"|"-D", ...columns}`).
///
/// ```
/// use streamsql_runtime::{RowKind, encode};
/// let mut b = Vec::new();
/// encode::row_start(&mut b);
/// encode::op_field(&mut b, RowKind::UpdateBefore);
/// encode::json_field(&mut b, false, b"\"n\":", Some(&3i64));
/// encode::row_end(&mut b);
/// assert_eq!(b, b"{\"op\":\"-U\",\"n\":3}\n");
/// ```
pub fn op_field(buf: &mut Vec<u8>, kind: crate::RowKind) {
    buf.extend_from_slice(b"\"op\":\"");
    buf.extend_from_slice(kind.short().as_bytes());
    buf.push(b'"');
}

/// Ends a row: `}` and a newline.
#[inline]
pub fn row_end(buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a writer appends to an empty buffer, as text.
    fn text(f: &dyn Fn(&mut Vec<u8>)) -> String {
        let mut b = Vec::new();
        f(&mut b);
        String::from_utf8(b).unwrap()
    }

    /// A timestamp's text spelled with `core::fmt`.
    fn timestamp_by_fmt(ms: i64) -> String {
        let secs = ms.div_euclid(1000);
        let (y, m, d) = crate::func::calendar::civil_from_days(secs.div_euclid(86_400));
        let sod = secs.rem_euclid(86_400);
        let mut t = format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            sod / 3600,
            sod % 3600 / 60,
            sod % 60
        );
        if ms.rem_euclid(1000) != 0 {
            t.push_str(&format!(".{:03}", ms.rem_euclid(1000)));
        }
        t
    }

    /// The word-at-a-time scan escapes exactly what a byte-by-byte escaper does: every
    /// ASCII byte at every position of strings around the word size, and UTF-8.
    #[test]
    fn json_str_escapes_as_byte_by_byte() {
        fn by_byte(s: &str) -> Vec<u8> {
            let mut b = vec![b'"'];
            for c in s.chars() {
                match c {
                    '"' => b.extend_from_slice(b"\\\""),
                    '\\' => b.extend_from_slice(b"\\\\"),
                    '\n' => b.extend_from_slice(b"\\n"),
                    '\r' => b.extend_from_slice(b"\\r"),
                    '\t' => b.extend_from_slice(b"\\t"),
                    c if (c as u32) < 0x20 => {
                        b.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
                    }
                    c => b.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                }
            }
            b.push(b'"');
            b
        }
        let mut cases: Vec<String> =
            vec![String::new(), "é€😀 plain".into(), "\u{7f}\u{80}ÿ".into()];
        for len in [1, 7, 8, 9, 15, 16, 17, 24] {
            for at in 0..len {
                for c in 0u8..0x80 {
                    let mut s = "a".repeat(len);
                    s.replace_range(at..at + 1, &char::from(c).to_string());
                    cases.push(s);
                }
            }
        }
        for s in &cases {
            let mut b = Vec::new();
            json_str(&mut b, s);
            assert_eq!(b, by_byte(s), "{s:?}");
        }
    }

    /// A remembered timestamp text is the text of that instant: instants repeated,
    /// alternated and evicted, with and without milliseconds (texts of two lengths
    /// sharing a slot), and the first and last instants of the four-digit years.
    #[test]
    fn remembered_timestamps_are_their_own_text() {
        let pool = [
            1_709_366_400_000i64,
            1_709_366_460_000,
            1_709_366_400_123,
            1_795_000_000_007,
            0,
            -1,
            FIRST_FOUR_DIGIT_YEAR_MS,
            FIRST_FOUR_DIGIT_YEAR_MS - 1,
            FIRST_FIVE_DIGIT_YEAR_MS - 1,
            FIRST_FIVE_DIGIT_YEAR_MS,
        ];
        assert_eq!(
            timestamp_by_fmt(FIRST_FOUR_DIGIT_YEAR_MS),
            "0000-01-01 00:00:00"
        );
        assert_eq!(
            timestamp_by_fmt(FIRST_FIVE_DIGIT_YEAR_MS),
            "10000-01-01 00:00:00"
        );
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Few instants at first (all remembered), then more than are remembered.
            let n = if round < 500 { 3 } else { pool.len() };
            let ms = pool[(x % n as u64) as usize];
            assert_eq!(
                text(&|b| timestamp_text(b, ms)),
                timestamp_by_fmt(ms),
                "{ms}"
            );
        }
    }

    /// The digit writers spell numbers, dates and times exactly as `core::fmt` does.
    #[test]
    fn digit_writers_match_the_formatting_machinery() {
        let mut ints = vec![0, 1, 9, 10, 99, 100, 101, 999, 1000, i64::MAX, i64::MIN];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ints.push(x as i64 >> (x % 64));
        }
        for &v in &ints {
            assert_eq!(text(&|b| json_int(b, v)), v.to_string());
            let f = (v % 10_000_000) as f64;
            assert_eq!(text(&|b| json_float(b, f)), format!("{f:.1}"), "{v}");
            assert_eq!(text(&|b| float_text(b, f)), format!("{f:.1}"), "{v}");
            // Millis from 1 BC to year 10 000 and beyond.
            let ms = v % 400_000_000_000_000;
            assert_eq!(text(&|b| timestamp_text(b, ms)), timestamp_by_fmt(ms));
            let day = (v % 5_000_000) as i32;
            let (y, m, d) = crate::func::calendar::civil_from_days(i64::from(day));
            assert_eq!(
                text(&|b| date_text(b, Date(day))),
                format!("{y:04}-{m:02}-{d:02}")
            );
        }
        assert_eq!(text(&|b| json_float(b, -0.0)), "-0.0");
    }

    #[test]
    fn values_as_flink_json_writes_them() {
        let mut b = Vec::new();
        json_timestamp(&mut b, Timestamp(1_709_366_400_000));
        json_timestamp(&mut b, Timestamp(1_709_366_400_500));
        json_timestamp_ltz(&mut b, TimestampLtz(0));
        json_date(&mut b, Date(19_784));
        json_bytes(&mut b, b"hello");
        json_float(&mut b, 2.0);
        json_float(&mut b, 0.25);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            r#""2024-03-02 08:00:00""2024-03-02 08:00:00.500""1970-01-01T00:00:00Z""2024-03-02""aGVsbG8="2.00.25"#
        );
    }

    /// Flink 2.3's json format and print sink, observed: FLOAT 0.1 is `0.1`, the
    /// non-finite doubles are Java's names (quoted in JSON); print writes numbers as
    /// Java's toString does and DATE and TIMESTAMP_LTZ unquoted.
    #[test]
    fn floats_dates_and_instants_as_flink_writes_them() {
        assert_eq!(text(&|b| json_float32(b, 0.1)), "0.1");
        assert_eq!(text(&|b| json_float32(b, 16_777_216.0)), "16777216");
        assert_eq!(text(&|b| json_float32(b, 2.0)), "2.0");
        assert_eq!(text(&|b| json_float(b, f64::INFINITY)), r#""Infinity""#);
        assert_eq!(
            text(&|b| json_float(b, f64::NEG_INFINITY)),
            r#""-Infinity""#
        );
        assert_eq!(text(&|b| json_float(b, f64::NAN)), r#""NaN""#);
        assert_eq!(text(&|b| json_float32(b, f32::INFINITY)), r#""Infinity""#);
        assert_eq!(text(&|b| float_text(b, f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(text(&|b| float32_text(b, 0.1)), "0.1");
        assert_eq!(text(&|b| float_text(b, -0.0)), "-0.0");
        assert_eq!(text(&|b| float32_text(b, 16_777_216.0)), "1.6777216E7");
        assert_eq!(text(&|b| float32_text(b, 1e-4)), "1.0E-4");
        assert_eq!(text(&|b| float32_text(b, -3.5e20)), "-3.5E20");
        assert_eq!(text(&|b| float_text(b, 1e7)), "1.0E7");
        assert_eq!(text(&|b| float_text(b, 123_456_789.125)), "1.23456789125E8");
        assert_eq!(text(&|b| float_text(b, 0.001)), "0.001");
        assert_eq!(text(&|b| float_text(b, 100.0)), "100.0");
        assert_eq!(text(&|b| float_text(b, 1e308)), "1.0E308");
        assert_eq!(text(&|b| date_text(b, Date(19_784))), "2024-03-02");
        assert_eq!(
            text(&|b| timestamp_ltz_text(b, TimestampLtz(1_500))),
            "1970-01-01T00:00:01.500Z"
        );
    }
}

/// A column value a sink can write, in Flink's `json` and `print` spellings. Generated
/// code writes every field with one call ([`json_field`], [`print_value`]) instead of
/// spelling out the match per column.
pub trait SinkValue {
    fn json(&self, buf: &mut Vec<u8>);
    fn print(&self, buf: &mut Vec<u8>);
}

macro_rules! int_sink_value {
    ($($t:ty),*) => {$(
        impl SinkValue for $t {
            #[inline]
            fn json(&self, buf: &mut Vec<u8>) {
                json_int(buf, i64::from(*self));
            }
            fn print(&self, buf: &mut Vec<u8>) {
                json_int(buf, i64::from(*self));
            }
        }
    )*};
}
int_sink_value!(i8, i16, i32, i64);

impl SinkValue for bool {
    fn json(&self, buf: &mut Vec<u8>) {
        json_bool(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        json_bool(buf, *self);
    }
}

impl SinkValue for f32 {
    fn json(&self, buf: &mut Vec<u8>) {
        json_float32(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        float32_text(buf, *self);
    }
}

impl SinkValue for f64 {
    fn json(&self, buf: &mut Vec<u8>) {
        json_float(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        float_text(buf, *self);
    }
}

impl SinkValue for str {
    #[inline]
    fn json(&self, buf: &mut Vec<u8>) {
        json_str(buf, self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self.as_bytes());
    }
}

impl SinkValue for [u8] {
    fn json(&self, buf: &mut Vec<u8>) {
        json_bytes(buf, self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        json_bytes(buf, self);
    }
}

impl SinkValue for Timestamp {
    fn json(&self, buf: &mut Vec<u8>) {
        json_timestamp(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        timestamp_text(buf, self.0);
    }
}

impl SinkValue for TimestampLtz {
    fn json(&self, buf: &mut Vec<u8>) {
        json_timestamp_ltz(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        timestamp_ltz_text(buf, *self);
    }
}

impl SinkValue for Date {
    fn json(&self, buf: &mut Vec<u8>) {
        json_date(buf, *self);
    }
    fn print(&self, buf: &mut Vec<u8>) {
        date_text(buf, *self);
    }
}

/// One field of a JSON row: the key (with its colon), then the value or `null`.
///
/// ```
/// use streamsql_runtime::encode::{json_field, row_end, row_start};
/// let mut b = Vec::new();
/// row_start(&mut b);
/// json_field(&mut b, true, br#""n":"#, Some(&7i32));
/// json_field::<str>(&mut b, false, br#""s":"#, None);
/// row_end(&mut b);
/// assert_eq!(b, b"{\"n\":7,\"s\":null}\n");
/// ```
// Inlined into the generated row encoders, where the key is a constant: its copy
// becomes a few stores instead of a `memcpy` call.
#[inline(always)]
pub fn json_field<T: SinkValue + ?Sized>(
    buf: &mut Vec<u8>,
    first: bool,
    key_with_colon: &[u8],
    v: Option<&T>,
) {
    field(buf, first, key_with_colon);
    match v {
        Some(v) => v.json(buf),
        None => json_null(buf),
    }
}

/// One value of a `print` row, or `null`.
#[inline]
pub fn print_value<T: SinkValue + ?Sized>(buf: &mut Vec<u8>, v: Option<&T>) {
    match v {
        Some(v) => v.print(buf),
        None => buf.extend_from_slice(b"null"),
    }
}
