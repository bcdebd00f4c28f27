//! Comparisons where Rust's operators and Flink differ.
//!
//! Numbers, booleans, dates and timestamps compare as Rust's operators do (the
//! generator casts both sides to their common type first; `NULL` compares as unknown,
//! which the generator expresses with `Option::zip`). Strings are the exception.
//!
//! **String order in Flink depends on how the value is held.** Flink's
//! `BinaryStringData.compareTo` compares the Java `String`s (UTF-16 code units) when
//! both values are still Java objects — the case for values fresh from a JSON source,
//! compared in the same operator (`WHERE s < 'x'`) — and the UTF-8 bytes otherwise
//! (values that were serialised: keys after a shuffle, state, `MIN`/`MAX`
//! accumulators). The two orders differ only when a supplementary character
//! (U+10000 and up, e.g. emoji) meets a character in U+E000..U+FFFF: observed on Flink
//! 2.3, a JSON-sourced `'ｱ' < '😀'` (U+FF71 vs U+1F600) is FALSE (UTF-16 order), where
//! UTF-8 byte order says TRUE.
//!
//! - [`str_cmp_utf16`]: Java `String.compareTo` order, for predicates on source values.
//! - Rust's `str` ordering (`a < b`) is UTF-8 byte order (= code point order), what
//!   Flink uses for serialised values; use it for keys and accumulators.
//!
//! Equality is the same in both (`a == b`). Comparison is binary: case-sensitive, no
//! collation, no trimming.

use std::cmp::Ordering;

/// Java `String.compareTo` order: by UTF-16 code units.
///
/// Allocation-free: finds the first differing byte, then compares the two characters
/// there by their first UTF-16 unit (a supplementary character's high surrogate,
/// 0xD800..0xDBFF, sorts below U+E000..U+FFFF).
///
/// ```
/// use std::cmp::Ordering;
/// use streamsql_runtime::func::cmp::str_cmp_utf16;
/// assert_eq!(str_cmp_utf16("ｱ", "😀"), Ordering::Greater);
/// assert!("ｱ" < "😀"); // UTF-8 byte order
/// assert_eq!(str_cmp_utf16("abc", "abd"), Ordering::Less);
/// ```
pub fn str_cmp_utf16(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let common = ab.iter().zip(bb).take_while(|(x, y)| x == y).count();
    if common == ab.len() || common == bb.len() {
        return ab.len().cmp(&bb.len());
    }
    // Back up to the start of the character that differs (same start in both strings,
    // since the prefixes are equal).
    let mut start = common;
    while start > 0 && !a.is_char_boundary(start) {
        start -= 1;
    }
    let ca = a[start..].chars().next().map_or(0, u32::from);
    let cb = b[start..].chars().next().map_or(0, u32::from);
    utf16_key(ca).cmp(&utf16_key(cb)).then(ca.cmp(&cb))
}

/// The first UTF-16 code unit of a code point.
#[inline]
fn utf16_key(c: u32) -> u32 {
    if c >= 0x1_0000 {
        0xD800 + ((c - 0x1_0000) >> 10)
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java_cmp(a: &str, b: &str) -> Ordering {
        a.encode_utf16().cmp(b.encode_utf16())
    }

    #[test]
    fn matches_utf16_order() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "b",
            "Z",
            "é",
            "z",
            "ｱ",
            "😀",
            "😀a",
            "😁",
            "\u{FFFF}",
            "\u{E000}",
            "\u{10FFFF}",
            "a😀",
            "aｱ",
            "\u{7FF}",
            "\u{800}",
        ];
        for a in words {
            for b in words {
                assert_eq!(str_cmp_utf16(a, b), java_cmp(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn observed_on_flink() {
        // Flink 2.3, JSON source, `s < s2`: ('ｱ','😀') FALSE, ('é','z') FALSE,
        // ('Z','a') TRUE, ('a!','a!!') TRUE.
        assert_eq!(str_cmp_utf16("ｱ", "😀"), Ordering::Greater);
        assert_eq!(str_cmp_utf16("é", "z"), Ordering::Greater);
        assert_eq!(str_cmp_utf16("Z", "a"), Ordering::Less);
        assert_eq!(str_cmp_utf16("a!", "a!!"), Ordering::Less);
    }
}
