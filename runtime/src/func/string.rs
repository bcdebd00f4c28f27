//! String functions.
//!
//! In: `&str` arguments (and integer positions/lengths as `i64`, whatever their SQL
//! integer type). Out: a borrowed `&str` where the result is a slice of the input
//! (`SUBSTRING`, `TRIM`, `SPLIT_INDEX`), `Cow<str>` where it often is, `String`
//! otherwise; `None` where Flink returns NULL for non-NULL arguments.
//!
//! "Characters" are Unicode code points (Flink's `BinaryStringData` counts UTF-8
//! characters): `CHAR_LENGTH('😀a')` = 2. Exception, as in Flink: `LPAD`/`RPAD` count
//! UTF-16 units (they run on Java `String`s). Semantics observed on Flink 2.3 are
//! pinned in this module's tests.
//!
//! Not implemented: `REGEXP_REPLACE`, `REGEXP_EXTRACT` (Java regular expressions need a
//! regex engine; this crate takes no dependency for it).

use std::borrow::Cow;

use super::EvalError;

/// `CONCAT(a, b, ...)`: NULL if any argument is NULL.
///
/// ```
/// use streamsql_runtime::func::string::concat;
/// assert_eq!(concat(&[Some("a"), Some("b")]).as_deref(), Some("ab"));
/// assert_eq!(concat(&[Some("a"), None]), None);
/// ```
pub fn concat(parts: &[Option<&str>]) -> Option<String> {
    let mut len = 0;
    for p in parts {
        len += (*p)?.len();
    }
    let mut out = String::with_capacity(len);
    for s in parts.iter().flatten() {
        out.push_str(s);
    }
    Some(out)
}

/// `CONCAT(...)` appended to `out` (a sink's buffer): writes nothing and returns false
/// if any argument is NULL (the value is NULL).
///
/// ```
/// use streamsql_runtime::func::string::concat_append;
/// let mut out = b"x".to_vec();
/// assert!(concat_append(&mut out, &[Some("a"), Some("bc")]));
/// assert!(!concat_append(&mut out, &[Some("d"), None]));
/// assert_eq!(out, b"xabc");
/// ```
pub fn concat_append(out: &mut Vec<u8>, parts: &[Option<&str>]) -> bool {
    let mut len = 0;
    for p in parts {
        match p {
            Some(s) => len += s.len(),
            None => return false,
        }
    }
    out.reserve(len);
    for s in parts.iter().flatten() {
        out.extend_from_slice(s.as_bytes());
    }
    true
}

/// `CONCAT(...)` into a reused buffer: clears `out`, returns false (and leaves `out`
/// empty) if any argument is NULL.
pub fn concat_into(out: &mut String, parts: &[Option<&str>]) -> bool {
    out.clear();
    if parts.iter().any(Option::is_none) {
        return false;
    }
    for s in parts.iter().flatten() {
        out.push_str(s);
    }
    true
}

/// `CONCAT_WS(sep, a, b, ...)`: NULL if the separator is NULL; NULL arguments are
/// skipped (empty strings are not); no arguments (or all NULL) give `''`.
///
/// ```
/// use streamsql_runtime::func::string::concat_ws;
/// assert_eq!(concat_ws(Some(","), &[Some("a"), None, Some("c")]).as_deref(), Some("a,c"));
/// assert_eq!(concat_ws(None, &[Some("a")]), None);
/// ```
pub fn concat_ws(sep: Option<&str>, parts: &[Option<&str>]) -> Option<String> {
    let sep = sep?;
    let mut out = String::new();
    let mut first = true;
    for s in parts.iter().flatten() {
        if !first {
            out.push_str(sep);
        }
        out.push_str(s);
        first = false;
    }
    Some(out)
}

/// Byte offset of the `n`th character of `s` (`s.len()` when `n` is past the end).
fn char_offset(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// `CHAR_LENGTH(s)` / `CHARACTER_LENGTH(s)`: the number of code points.
///
/// ```
/// assert_eq!(streamsql_runtime::func::string::char_length("😀a😀b"), 4);
/// ```
pub fn char_length(s: &str) -> i32 {
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `SUBSTRING(s, start [, len])` / `SUBSTR`, 1-based, Flink's rules:
/// - `start > 0` counts from the left (past the end: `''`);
/// - `start < 0` counts from the right (`-1` is the last character; before the
///   beginning: `''`);
/// - `start = 0` is the same as `start = 1` (unlike standard SQL);
/// - `len < 0` is NULL; `len` past the end takes the rest.
///
/// `start` or `len` beyond the `INT` range (a `BIGINT` argument) is NULL, as Flink's
/// `SqlFunctionUtils.subString`.
///
/// ```
/// use streamsql_runtime::func::string::substring;
/// assert_eq!(substring("hello", 2, Some(2)), Some("el"));
/// assert_eq!(substring("hello", 0, Some(2)), Some("he"));
/// assert_eq!(substring("hello", -3, None), Some("llo"));
/// assert_eq!(substring("hello", 1, Some(-1)), None);
/// ```
pub fn substring(s: &str, start: i64, len: Option<i64>) -> Option<&str> {
    let len = len.unwrap_or(i64::from(i32::MAX));
    if len < 0 || len > i64::from(i32::MAX) || start > i64::from(i32::MAX) {
        return None;
    }
    if s.is_empty() {
        return Some("");
    }
    let num_chars = char_length(s) as i64;
    let begin = if start > 0 {
        let b = start - 1;
        if b >= num_chars {
            return Some("");
        }
        b
    } else if start < 0 {
        let b = num_chars + start;
        if b < 0 {
            return Some("");
        }
        b
    } else {
        0
    };
    let end = if num_chars - begin < len {
        num_chars
    } else {
        begin + len
    };
    let from = char_offset(s, begin as usize);
    let to = from + char_offset(&s[from..], (end - begin) as usize);
    Some(&s[from..to])
}

/// `UPPER(s)`: Unicode upper case (Java's `toUpperCase`: `'ß'` becomes `"SS"`).
/// Borrows when nothing changes.
///
/// ```
/// use streamsql_runtime::func::string::upper;
/// assert_eq!(upper("Straße"), "STRASSE");
/// ```
pub fn upper(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if !s.bytes().any(|b| b.is_ascii_lowercase()) {
            return Cow::Borrowed(s);
        }
        return Cow::Owned(s.to_ascii_uppercase());
    }
    Cow::Owned(s.to_uppercase())
}

/// `LOWER(s)`: Unicode lower case (Java's `toLowerCase`, final sigma included).
/// Borrows when nothing changes.
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if !s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Borrowed(s);
        }
        return Cow::Owned(s.to_ascii_lowercase());
    }
    Cow::Owned(s.to_lowercase())
}

/// `TRIM(s)` / `TRIM(BOTH FROM s)`: removes spaces (U+0020 only: tabs and newlines
/// stay, as in Flink).
pub fn trim(s: &str) -> &str {
    s.trim_matches(' ')
}

/// `LTRIM(s)` / `TRIM(LEADING FROM s)`: removes leading spaces (U+0020).
pub fn ltrim(s: &str) -> &str {
    s.trim_start_matches(' ')
}

/// `RTRIM(s)` / `TRIM(TRAILING FROM s)`: removes trailing spaces (U+0020).
pub fn rtrim(s: &str) -> &str {
    s.trim_end_matches(' ')
}

/// `TRIM(BOTH chars FROM s)`: removes, from both ends, every character that occurs in
/// `chars` (a set, not a sequence: `TRIM(BOTH 'bc' FROM 'abcabc')` = `'abca'`).
/// Empty `chars` removes nothing.
pub fn trim_chars<'a>(s: &'a str, chars: &str) -> &'a str {
    rtrim_chars(ltrim_chars(s, chars), chars)
}

/// `TRIM(LEADING chars FROM s)`.
pub fn ltrim_chars<'a>(s: &'a str, chars: &str) -> &'a str {
    if chars.len() == 1 {
        let c = chars.as_bytes()[0];
        return s.trim_start_matches(char::from(c));
    }
    s.trim_start_matches(|c: char| chars.contains(c))
}

/// `TRIM(TRAILING chars FROM s)`.
pub fn rtrim_chars<'a>(s: &'a str, chars: &str) -> &'a str {
    if chars.len() == 1 {
        let c = chars.as_bytes()[0];
        return s.trim_end_matches(char::from(c));
    }
    s.trim_end_matches(|c: char| chars.contains(c))
}

/// `REPLACE(s, search, replacement)`: replaces every non-overlapping occurrence, left
/// to right. An empty `search` inserts `replacement` before every UTF-16 unit and at the
/// end (Java's `String.replace`: `REPLACE('ab', '', '#')` = `'#a#b#'`; a character
/// outside the BMP is split into its two surrogates, each printed as `?`, as observed on
/// Flink 2.3: `REPLACE('😀a', '', '#')` = `'#?#?#a#'`). Borrows when nothing matches.
pub fn replace<'a>(s: &'a str, search: &str, replacement: &str) -> Cow<'a, str> {
    if search.is_empty() {
        let cap = (s.len() + 1).saturating_mul(replacement.len() + 4);
        let mut out = String::with_capacity(cap.min(1 << 20));
        for c in s.chars() {
            out.push_str(replacement);
            if c.len_utf16() == 2 {
                out.push('?');
                out.push_str(replacement);
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out.push_str(replacement);
        return Cow::Owned(out);
    }
    if !s.contains(search) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace(search, replacement))
}

/// `POSITION(needle IN haystack)`: the 1-based character position of the first
/// occurrence, 0 if absent, 1 for an empty needle.
///
/// ```
/// use streamsql_runtime::func::string::position;
/// assert_eq!(position("ö", "héllo wörld"), 8);
/// assert_eq!(position("x", "abc"), 0);
/// ```
pub fn position(needle: &str, haystack: &str) -> i32 {
    locate(needle, haystack, 1)
}

/// `LOCATE(needle, haystack, start)`: as [`position`], searching from the `start`th
/// character (1-based; `start <= 1` searches everything). An empty needle is 1
/// whatever `start` (Flink's `BinaryStringData.indexOf`).
pub fn locate(needle: &str, haystack: &str, start: i64) -> i32 {
    if needle.is_empty() {
        return 1;
    }
    let skip = if start > 1 { (start - 1) as usize } else { 0 };
    let from = char_offset(haystack, skip);
    if skip > 0 && from == haystack.len() {
        return 0;
    }
    match haystack[from..].find(needle) {
        None => 0,
        Some(i) => {
            let chars = char_length(&haystack[..from + i]);
            chars.saturating_add(1)
        }
    }
}

/// `INSTR(s, sub [, start [, nth]])`: the position of the `nth` occurrence of `sub`
/// searching from `start` (negative `start` searches backwards from the end); 0 if
/// absent or `start = 0`; `nth <= 0` is an error (Flink's `SqlFunctionUtils.instr`).
pub fn instr(s: &str, sub: &str, start: i64, nth: i64) -> Result<i32, EvalError> {
    if nth <= 0 {
        return Err(EvalError::invalid(
            "INSTR",
            "nthAppearance must be positive!",
        ));
    }
    if start == 0 {
        return Ok(0);
    }
    if start > 0 {
        let mut from = start;
        let mut index = 0;
        for _ in 0..nth {
            index = locate(sub, s, from);
            if index == 0 {
                return Ok(0);
            }
            from = i64::from(index) + 1;
        }
        return Ok(index);
    }
    let rs: String = s.chars().rev().collect();
    let rsub: String = sub.chars().rev().collect();
    let pos = instr(&rs, &rsub, start.checked_neg().unwrap_or(i64::MAX), nth)?;
    if pos == 0 {
        return Ok(0);
    }
    Ok(char_length(s) + 2 - pos - char_length(sub))
}

/// The longest `LPAD`/`RPAD` result (UTF-16 units) built; longer is an error (Flink
/// would allocate a `char[len]` and, for large `len`, run out of memory).
const MAX_PAD_LEN: i64 = 1 << 26;

/// Builds the UTF-16 result of `LPAD`/`RPAD` as Java does, then encodes it (a lone
/// surrogate left by truncation becomes `?`, as Java's UTF-8 encoder writes it).
fn pad(s: &str, len: i64, pad: &str, left: bool) -> Result<Option<String>, EvalError> {
    if len < 0 || pad.is_empty() {
        return Ok(None);
    }
    if len == 0 {
        return Ok(Some(String::new()));
    }
    if len > MAX_PAD_LEN {
        return Err(EvalError::invalid(
            if left { "LPAD" } else { "RPAD" },
            format!("length {len} is too large"),
        ));
    }
    let len = len as usize;
    if s.is_ascii() && pad.is_ascii() {
        let base = s.as_bytes();
        let p = pad.as_bytes();
        let mut out = Vec::with_capacity(len);
        if left {
            let npad = len.saturating_sub(base.len());
            out.extend(p.iter().cycle().take(npad));
            out.extend_from_slice(&base[..base.len().min(len - npad)]);
        } else {
            out.extend_from_slice(&base[..base.len().min(len)]);
            let npad = len - out.len();
            out.extend(p.iter().cycle().take(npad));
        }
        return Ok(Some(String::from_utf8(out).unwrap_or_default()));
    }
    let base: Vec<u16> = s.encode_utf16().collect();
    let p: Vec<u16> = pad.encode_utf16().collect();
    let mut out: Vec<u16> = Vec::with_capacity(len.min(base.len() + p.len() * 4 + 16));
    if left {
        let npad = len.saturating_sub(base.len());
        out.extend(p.iter().cycle().take(npad));
        out.extend_from_slice(&base[..base.len().min(len - npad)]);
    } else {
        out.extend_from_slice(&base[..base.len().min(len)]);
        let npad = len - out.len();
        out.extend(p.iter().cycle().take(npad));
    }
    Ok(Some(
        char::decode_utf16(out.iter().copied())
            .map(|c| c.unwrap_or('?'))
            .collect(),
    ))
}

/// `LPAD(s, len, pad)`: `s` left-padded with repeats of `pad` to `len`, or cut to
/// `len` when longer. Lengths are UTF-16 units (Java `String`s, as in Flink). NULL if
/// `len < 0` or `pad` is empty; `''` if `len = 0`. A `len` over 2^26 is an error
/// (Flink would allocate it, and fail for large ones).
///
/// ```
/// use streamsql_runtime::func::string::lpad;
/// assert_eq!(lpad("hello", 8, "*").unwrap().as_deref(), Some("***hello"));
/// assert_eq!(lpad("hello", 2, "*").unwrap().as_deref(), Some("he"));
/// assert_eq!(lpad("ab", 1, "").unwrap(), None);
/// ```
pub fn lpad(s: &str, len: i64, pad_str: &str) -> Result<Option<String>, EvalError> {
    pad(s, len, pad_str, true)
}

/// `RPAD(s, len, pad)`: as [`lpad`], padding on the right.
pub fn rpad(s: &str, len: i64, pad_str: &str) -> Result<Option<String>, EvalError> {
    pad(s, len, pad_str, false)
}

/// Java's `Character.isWhitespace`.
fn java_is_whitespace(c: char) -> bool {
    match c {
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | '\u{1C}'..='\u{1F}' => true,
        '\u{A0}' | '\u{2007}' | '\u{202F}' => false,
        ' '
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{205F}'
        | '\u{3000}' => true,
        _ => false,
    }
}

/// `SPLIT_INDEX(s, sep, index)` (Blink; also Flink): splits `s` at every occurrence of
/// `sep` (adjacent separators give empty fields) and returns field `index` (0-based);
/// NULL if `index` is negative or past the last field, or `s` is empty. An empty `sep`
/// splits at whitespace (commons-lang `splitByWholeSeparatorPreserveAllTokens`).
///
/// ```
/// use streamsql_runtime::func::string::split_index;
/// assert_eq!(split_index("a,b,,c", ",", 2), Some(""));
/// assert_eq!(split_index("a,b,,c", ",", 3), Some("c"));
/// assert_eq!(split_index("a,b,,c", ",", 4), None);
/// ```
pub fn split_index<'a>(s: &'a str, sep: &str, index: i64) -> Option<&'a str> {
    if index < 0 || s.is_empty() {
        return None;
    }
    let mut index = usize::try_from(index).ok()?;
    if sep.is_empty() {
        // splitWorker(str, null, -1, preserveAllTokens = true)
        let mut start = 0;
        let mut last_match = false;
        let mut matched = false;
        for (i, c) in s.char_indices() {
            if java_is_whitespace(c) {
                // a token ends here (possibly empty)
                if index == 0 {
                    return Some(&s[start..i]);
                }
                index -= 1;
                matched = false;
                last_match = true;
                start = i + c.len_utf8();
            } else {
                last_match = false;
                matched = true;
            }
        }
        if (matched || last_match) && index == 0 {
            return Some(&s[start..]);
        }
        return None;
    }
    let mut rest = s;
    loop {
        match rest.find(sep) {
            Some(i) => {
                if index == 0 {
                    return Some(&rest[..i]);
                }
                index -= 1;
                rest = &rest[i + sep.len()..];
                if rest.is_empty() {
                    // "a," -> ["a", ""]
                    return if index == 0 { Some("") } else { None };
                }
            }
            None => return if index == 0 { Some(rest) } else { None },
        }
    }
}

/// `INITCAP(s)`: Calcite's rule: a word is a run of ASCII letters and digits; its first
/// letter becomes upper case and the other ASCII letters lower case. Every other
/// character (non-ASCII letters included) separates words and is left unchanged:
/// `INITCAP('héllo wörld')` = `'HéLlo WöRld'` (observed on Flink 2.3).
pub fn initcap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        let mut d = c;
        if start {
            if c.is_ascii_digit() || c.is_ascii_uppercase() {
                start = false;
            } else if c.is_ascii_lowercase() {
                start = false;
                d = c.to_ascii_uppercase();
            }
        } else if c.is_ascii_uppercase() {
            d = c.to_ascii_lowercase();
        } else if !(c.is_ascii_digit() || c.is_ascii_lowercase()) {
            start = true;
        }
        out.push(d);
    }
    out
}

/// `REVERSE(s)`: the characters (code points) in reverse order.
pub fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// `HASH_CODE(s)`: `Math.abs(s.hashCode())` of the Java string (UTF-16 units), so
/// `i32::MIN` stays negative.
pub fn hash_code(s: &str) -> i32 {
    let mut h: i32 = 0;
    for u in s.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(i32::from(u));
    }
    h.wrapping_abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows (s, s2, i) as run on Flink 2.3 (JSON source, so no constant folding).
    const ROWS: [(&str, &str, i64); 11] = [
        ("hello", "l", 2),
        ("héllo wörld", "ö", 0),
        ("😀a😀b", "a", -1),
        ("", "", 3),
        ("  pad  ", " ", -3),
        ("a,b,,c", ",", 10),
        ("Straße İstanbul ΣΑΣ ǅ", "ß", 1),
        ("xxhixx", "x", 5),
        ("\t tab\n", " \t", -10),
        ("abcabc", "bc", 4),
        ("ab", "", 1),
    ];

    #[test]
    fn substring_observed() {
        // SUBSTRING(s, i), SUBSTRING(s, i, 2), SUBSTRING(s, i, 0), SUBSTR(s, i, 3)
        let expect: [(&str, &str, &str); 11] = [
            ("ello", "el", "ell"),
            ("héllo wörld", "hé", "hél"),
            ("b", "b", "b"),
            ("", "", ""),
            ("d  ", "d ", "d  "),
            ("", "", ""),
            ("Straße İstanbul ΣΑΣ ǅ", "St", "Str"),
            ("xx", "xx", "xx"),
            ("", "", ""),
            ("abc", "ab", "abc"),
            ("ab", "ab", "ab"),
        ];
        for ((s, _, i), (a, b, c)) in ROWS.iter().zip(expect) {
            assert_eq!(substring(s, *i, None), Some(a), "{s:?} {i}");
            assert_eq!(substring(s, *i, Some(2)), Some(b), "{s:?} {i}");
            assert_eq!(substring(s, *i, Some(0)), Some(""));
            assert_eq!(substring(s, *i, Some(3)), Some(c), "{s:?} {i}");
            assert_eq!(substring(s, 1, Some(-1)), None);
        }
        assert_eq!(substring("abc", 1, Some(i64::from(i32::MAX) + 1)), None);
        assert_eq!(substring("abc", i64::MIN, Some(2)), Some(""));
    }

    #[test]
    fn case_and_length_observed() {
        let upper_expect = [
            "HELLO",
            "HÉLLO WÖRLD",
            "😀A😀B",
            "",
            "  PAD  ",
            "A,B,,C",
            "STRASSE İSTANBUL ΣΑΣ Ǆ",
            "XXHIXX",
            "\t TAB\n",
            "ABCABC",
            "AB",
        ];
        let len_expect = [5, 11, 4, 0, 7, 6, 21, 6, 6, 6, 2];
        for (((s, _, _), u), l) in ROWS.iter().zip(upper_expect).zip(len_expect) {
            assert_eq!(upper(s), u);
            assert_eq!(char_length(s), l);
        }
        assert_eq!(lower("Straße İstanbul ΣΑΣ ǅ"), "straße i̇stanbul σας ǆ");
        assert_eq!(lower("HÉLLO"), "héllo");
        assert!(matches!(upper("ABC"), Cow::Borrowed(_)));
        assert!(matches!(lower("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn position_observed() {
        // POSITION(s2 IN s), LOCATE(s2, s, i)
        let expect = [
            (3, 3),
            (8, 8),
            (2, 2),
            (1, 1),
            (1, 1),
            (2, 0),
            (5, 5),
            (1, 5),
            (0, 0),
            (2, 5),
            (1, 1),
        ];
        for ((s, s2, i), (p, l)) in ROWS.iter().zip(expect) {
            assert_eq!(position(s2, s), p, "{s2:?} in {s:?}");
            assert_eq!(locate(s2, s, *i), l, "{s2:?} in {s:?} from {i}");
        }
    }

    #[test]
    fn trim_observed() {
        // '[' || TRIM(s) || ']' etc.: only U+0020 is trimmed.
        assert_eq!(trim("  pad  "), "pad");
        assert_eq!(ltrim("  pad  "), "pad  ");
        assert_eq!(rtrim("  pad  "), "  pad");
        assert_eq!(trim("\t tab\n"), "\t tab\n");
        // TRIM(BOTH/LEADING/TRAILING s2 FROM s)
        assert_eq!(trim_chars("xxhixx", "x"), "hi");
        assert_eq!(ltrim_chars("xxhixx", "x"), "hixx");
        assert_eq!(rtrim_chars("xxhixx", "x"), "xxhi");
        assert_eq!(trim_chars("\t tab\n", " \t"), "tab\n");
        assert_eq!(ltrim_chars("\t tab\n", " \t"), "tab\n");
        assert_eq!(rtrim_chars("\t tab\n", " \t"), "\t tab\n");
        assert_eq!(trim_chars("abcabc", "bc"), "abca");
        assert_eq!(ltrim_chars("abcabc", "bc"), "abcabc");
        assert_eq!(trim_chars("ab", ""), "ab");
        assert_eq!(trim_chars("hello", "l"), "hello");
        assert_eq!(trim_chars("😀a😀", "😀"), "a");
    }

    #[test]
    fn replace_observed() {
        let expect = [
            ("he##o", "heo"),
            ("héllo w#rld", "héllo wrld"),
            ("😀#😀b", "😀😀b"),
            ("#", ""),
            ("##pad##", "pad"),
            ("a#b##c", "abc"),
            ("Stra#e İstanbul ΣΑΣ ǅ", "Strae İstanbul ΣΑΣ ǅ"),
            ("##hi##", "hi"),
            ("\t tab\n", "\t tab\n"),
            ("a#a#", "aa"),
            ("#a#b#", "ab"),
        ];
        for ((s, s2, _), (a, b)) in ROWS.iter().zip(expect) {
            assert_eq!(replace(s, s2, "#"), a, "{s:?} {s2:?}");
            assert_eq!(replace(s, s2, ""), b, "{s:?} {s2:?}");
        }
    }

    #[test]
    fn second_run_observed() {
        // INSTR / LOCATE / REPLACE / LPAD / RPAD / TRIM / CONCAT_WS on Flink 2.3.
        assert_eq!(replace("😀a😀b", "", "#"), "#?#?#a#?#?#b#");
        assert_eq!(lpad("😀a😀b", 3, "x").unwrap().as_deref(), Some("😀a"));
        assert_eq!(rpad("😀a😀b", 3, "x").unwrap().as_deref(), Some("😀a"));
        assert_eq!(lpad(" 12a ", 3, "x").unwrap().as_deref(), Some(" 12"));
        assert_eq!(trim_chars("😀a😀b", ""), "😀a😀b");
        assert_eq!(concat_ws(Some(","), &[None, None]).as_deref(), Some(""));
        let rows: [(&str, &str, i64, i32, i32, i32, i32); 4] = [
            ("😀a😀b", "", 3, 1, 1, 5, 1),
            ("abcabc", "bc", -1, 2, 2, 5, 5),
            (" 12a ", "x", -2, 0, 0, 0, 0),
            ("12345678901234567890.125", "", 1, 1, 1, 25, 1),
        ];
        for (s, sub, i, ins, loc, back, second) in rows {
            assert_eq!(instr(s, sub, 1, 1), Ok(ins), "{s:?}");
            assert_eq!(locate(sub, s, i), loc, "{s:?}");
            assert_eq!(instr(s, sub, -1, 1), Ok(back), "{s:?}");
            assert_eq!(instr(s, sub, 2, 2), Ok(second), "{s:?}");
        }
    }

    #[test]
    fn pad_observed() {
        // LPAD(s, i, s2), RPAD(s, i, s2), LPAD(s, 8, '*'), RPAD(s, 8, '-=')
        let expect: [(Option<&str>, Option<&str>, &str, &str); 11] = [
            (Some("he"), Some("he"), "***hello", "hello-=-"),
            (Some(""), Some(""), "héllo wö", "héllo wö"),
            (None, None, "**😀a😀b", "😀a😀b-="),
            (None, None, "********", "-=-=-=-="),
            (None, None, "*  pad  ", "  pad  -"),
            (
                Some(",,,,a,b,,c"),
                Some("a,b,,c,,,,"),
                "**a,b,,c",
                "a,b,,c-=",
            ),
            (Some("S"), Some("S"), "Straße İ", "Straße İ"),
            (Some("xxhix"), Some("xxhix"), "**xxhixx", "xxhixx-="),
            (None, None, "**\t tab\n", "\t tab\n-="),
            (Some("abca"), Some("abca"), "**abcabc", "abcabc-="),
            (None, None, "******ab", "ab-=-=-="),
        ];
        for ((s, s2, i), (l, r, l8, r8)) in ROWS.iter().zip(expect) {
            assert_eq!(lpad(s, *i, s2).unwrap().as_deref(), l, "{s:?}");
            assert_eq!(rpad(s, *i, s2).unwrap().as_deref(), r, "{s:?}");
            assert_eq!(lpad(s, 8, "*").unwrap().as_deref(), Some(l8), "{s:?}");
            assert_eq!(rpad(s, 8, "-=").unwrap().as_deref(), Some(r8), "{s:?}");
        }
        // Cutting a surrogate pair leaves a lone surrogate: Java encodes it as '?'.
        assert_eq!(lpad("😀", 1, "x").unwrap().as_deref(), Some("?"));
        assert!(lpad("a", i64::MAX, "x").is_err());
    }

    #[test]
    fn split_index_observed() {
        // SPLIT_INDEX(s, s2, i), SPLIT_INDEX(s, ',', 2)
        let expect: [(Option<&str>, Option<&str>); 11] = [
            (Some("o"), None),
            (Some("héllo w"), None),
            (None, None),
            (None, None),
            (None, None),
            (None, Some("")),
            (Some("e İstanbul ΣΑΣ ǅ"), None),
            (None, None),
            (None, None),
            (None, None),
            (None, None),
        ];
        for ((s, s2, i), (a, b)) in ROWS.iter().zip(expect) {
            assert_eq!(split_index(s, s2, *i), a, "{s:?} {s2:?} {i}");
            assert_eq!(split_index(s, ",", 2), b, "{s:?}");
        }
        // second run: SPLIT_INDEX(s, ',' | s2 | '', 0 | 1)
        assert_eq!(split_index("héllo wörld", "ö", 1), Some("rld"));
        assert_eq!(split_index("héllo wörld", ",", 0), Some("héllo wörld"));
        assert_eq!(split_index("héllo wörld", "", 0), Some("héllo"));
        assert_eq!(split_index("héllo wörld", "", 1), Some("wörld"));
        assert_eq!(split_index(",x", ",", 0), Some(""));
        assert_eq!(split_index(",x", "", 0), Some(",x"));
        assert_eq!(split_index("a b\tc", "", 1), Some("b"));
        assert_eq!(split_index("x", "x", 0), Some(""));
        assert_eq!(split_index("x", "x", 1), Some(""));
        assert_eq!(split_index("a,", ",", 1), Some(""));
        assert_eq!(split_index(",", ",", 1), Some(""));
        assert_eq!(split_index(",", ",", 2), None);
        assert_eq!(split_index("a-!-b", "-!-", 1), Some("b"));
        assert_eq!(split_index("a b\tc", "", 2), Some("c"));
        assert_eq!(split_index("a  b", "", 1), Some(""));
        assert_eq!(split_index("a ", "", 1), Some(""));
        assert_eq!(split_index("ab", "", 0), Some("ab"));
        assert_eq!(split_index("ab", "", 1), None);
    }

    #[test]
    fn concat_observed() {
        assert_eq!(
            concat(&[Some("hello"), Some("l")]).as_deref(),
            Some("hellol")
        );
        assert_eq!(concat(&[Some("hello"), None]), None);
        assert_eq!(
            concat_ws(Some("l"), &[Some("hello"), None, Some("z")]).as_deref(),
            Some("hellolz")
        );
        assert_eq!(
            concat_ws(Some(""), &[Some(""), None, Some("z")]).as_deref(),
            Some("z")
        );
        assert_eq!(concat_ws(None, &[Some("hello")]), None);
        assert_eq!(concat_ws(Some(","), &[]).as_deref(), Some(""));
        let mut buf = String::from("junk");
        assert!(concat_into(&mut buf, &[Some("a"), Some("b")]));
        assert_eq!(buf, "ab");
        assert!(!concat_into(&mut buf, &[Some("a"), None]));
        assert_eq!(buf, "");
    }

    #[test]
    fn misc_observed() {
        let initcap_expect = [
            "Hello",
            "HéLlo WöRld",
            "😀A😀B",
            "",
            "  Pad  ",
            "A,B,,C",
            "StraßE İStanbul ΣΑΣ ǅ",
            "Xxhixx",
            "\t Tab\n",
            "Abcabc",
            "Ab",
        ];
        let reverse_expect = [
            "olleh",
            "dlröw olléh",
            "b😀a😀",
            "",
            "  dap  ",
            "c,,b,a",
            "ǅ ΣΑΣ lubnatsİ eßartS",
            "xxihxx",
            "\nbat \t",
            "cbacba",
            "ba",
        ];
        let hash_expect = [
            99162322, 1628148953, 984767297, 0, 642099245, 1474341460, 843447073, 745443647,
            290767052, 1424388928, 3105,
        ];
        for (i, (s, _, _)) in ROWS.iter().enumerate() {
            assert_eq!(initcap(s), initcap_expect[i]);
            assert_eq!(reverse(s), reverse_expect[i]);
            assert_eq!(hash_code(s), hash_expect[i]);
        }
    }

    #[test]
    fn instr_rules() {
        assert_eq!(instr("abcabc", "bc", 1, 1), Ok(2));
        assert_eq!(instr("abcabc", "bc", 1, 2), Ok(5));
        assert_eq!(instr("abcabc", "bc", 1, 3), Ok(0));
        assert_eq!(instr("abcabc", "bc", 0, 1), Ok(0));
        assert_eq!(instr("abcabc", "bc", -1, 1), Ok(5));
        assert_eq!(instr("abcabc", "bc", -1, 2), Ok(2));
        assert!(instr("abc", "b", 1, 0).is_err());
    }
}
