//! `s LIKE pattern [ESCAPE e]`, precompiled.
//!
//! In: the pattern (and escape character) once per call site; then one string per row.
//! Out: whether the whole string matches.
//!
//! Flink 2.3 semantics (Calcite's `Like.sqlToRegexLike`, all observed on Flink 2.3):
//! - `%` matches any sequence of characters, **line breaks included** (`(?s:.*)`);
//! - `_` matches exactly one character (a code point: `'😀' LIKE '_'` is TRUE) that is
//!   **not a line terminator** (Java regex `.`: not `\n`, `\r`, U+0085, U+2028,
//!   U+2029): `'a\nb' LIKE 'a_b'` is FALSE while `'a\nb' LIKE 'a%b'` is TRUE;
//! - every other character matches itself, case-sensitively (regex metacharacters are
//!   literal: `'abc' LIKE 'a.c'` is FALSE);
//! - **there is no default escape character** (FLINK-39424): `'bM\_%'` matches a
//!   literal backslash followed by any character. With `ESCAPE 'e'`, `e` must be
//!   followed by `%`, `_` or `e` (which then match literally); anything else, or `e` at
//!   the end of the pattern, is an error ("Invalid escape sequence").
//!
//! Matching is allocation-free. Fast paths: exact, prefix (`abc%`), suffix (`%abc`),
//! contains (`%abc%`), match-all (`%`); otherwise the pattern is split at `%` into
//! fixed-length segments matched leftmost-first (linear for `_`-free segments, which
//! use substring search).

use super::EvalError;

/// One element of a segment between `%`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Char(char),
    /// `_`
    One,
}

/// A run of the pattern without `%`: fixed length in characters.
#[derive(Clone, Debug)]
struct Segment {
    elems: Vec<Elem>,
    /// The literal text when the segment has no `_`.
    text: Option<String>,
}

impl Segment {
    fn new(elems: Vec<Elem>) -> Self {
        let text = if elems.iter().all(|e| matches!(e, Elem::Char(_))) {
            Some(
                elems
                    .iter()
                    .map(|e| match e {
                        Elem::Char(c) => *c,
                        Elem::One => '_',
                    })
                    .collect(),
            )
        } else {
            None
        };
        Segment { elems, text }
    }

    /// Matches the segment at byte offset `at`; returns the end offset.
    fn match_at(&self, s: &str, at: usize) -> Option<usize> {
        if let Some(t) = &self.text {
            return s[at..].starts_with(t.as_str()).then_some(at + t.len());
        }
        let mut it = s[at..].char_indices();
        for e in &self.elems {
            let (_, c) = it.next()?;
            match e {
                Elem::Char(p) if *p == c => {}
                Elem::One if !is_line_terminator(c) => {}
                _ => return None,
            }
        }
        Some(it.next().map_or(s.len(), |(i, _)| at + i))
    }

    /// The leftmost match starting at or after `from` and ending at or before `to`.
    fn find(&self, s: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        let hay = &s[..to];
        if let Some(t) = &self.text {
            let i = hay[from..].find(t.as_str())?;
            return Some((from + i, from + i + t.len()));
        }
        let mut i = from;
        loop {
            if let Some(e) = self.match_at(hay, i) {
                return Some((i, e));
            }
            if i >= hay.len() {
                return None;
            }
            i += hay[i..].chars().next().map_or(1, char::len_utf8);
        }
    }

    /// Where the segment must start so that it ends exactly at the end of `s`.
    fn suffix_start(&self, s: &str) -> Option<usize> {
        if let Some(t) = &self.text {
            return s.ends_with(t.as_str()).then(|| s.len() - t.len());
        }
        let n = self.elems.len();
        let start = if n == 0 {
            s.len()
        } else {
            s.char_indices().rev().nth(n - 1)?.0
        };
        (self.match_at(s, start)? == s.len()).then_some(start)
    }
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[derive(Clone, Debug)]
enum Kind {
    /// `%` (or `%%`...): everything.
    All,
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
    /// No `%`, some `_`: the whole string is one segment.
    Whole(Segment),
    /// `first % middle... % last`.
    General {
        first: Segment,
        middle: Vec<Segment>,
        last: Segment,
    },
}

/// A compiled LIKE pattern.
///
/// ```
/// use streamsql_runtime::func::LikePattern;
/// let p = LikePattern::new("bM\\_%", None).unwrap();
/// assert!(p.matches("bM\\x1"));   // no default escape: '\' is literal
/// assert!(!p.matches("bM_x1"));
/// let p = LikePattern::new("bM\\_%", Some('\\')).unwrap();
/// assert!(p.matches("bM_x1"));
/// assert!(LikePattern::new("a!b", Some('!')).is_err());
/// ```
#[derive(Clone, Debug)]
pub struct LikePattern {
    kind: Kind,
}

impl LikePattern {
    /// Compiles `pattern`; `escape` is the `ESCAPE` character, if any.
    pub fn new(pattern: &str, escape: Option<char>) -> Result<LikePattern, EvalError> {
        // Parse into segments separated by unescaped '%'.
        let mut segments: Vec<Vec<Elem>> = vec![Vec::new()];
        let mut chars = pattern.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            if Some(c) == escape {
                match chars.next() {
                    Some((_, n)) if n == '%' || n == '_' || Some(n) == escape => {
                        if let Some(seg) = segments.last_mut() {
                            seg.push(Elem::Char(n));
                        }
                    }
                    _ => {
                        return Err(EvalError::invalid(
                            "LIKE",
                            format!("Invalid escape sequence '{pattern}', {i}"),
                        ));
                    }
                }
                continue;
            }
            match c {
                '%' => segments.push(Vec::new()),
                '_' => {
                    if let Some(seg) = segments.last_mut() {
                        seg.push(Elem::One);
                    }
                }
                _ => {
                    if let Some(seg) = segments.last_mut() {
                        seg.push(Elem::Char(c));
                    }
                }
            }
        }
        let mut segments: Vec<Segment> = segments.into_iter().map(Segment::new).collect();
        let kind = if segments.len() == 1 {
            let seg = segments.remove(0);
            match seg.text {
                Some(t) => Kind::Exact(t),
                None => Kind::Whole(seg),
            }
        } else {
            let last = segments.pop();
            let first = segments.remove(0);
            // empty middle segments come from `%%`: they match anything
            let middle: Vec<Segment> = segments
                .into_iter()
                .filter(|s| !s.elems.is_empty())
                .collect();
            let last = last.unwrap_or_else(|| Segment::new(Vec::new()));
            match (&first.text, &last.text, middle.len()) {
                (Some(f), Some(l), 0) if f.is_empty() && l.is_empty() => Kind::All,
                (Some(f), Some(l), 0) if l.is_empty() => Kind::Prefix(f.clone()),
                (Some(f), Some(l), 0) if f.is_empty() => Kind::Suffix(l.clone()),
                (Some(f), Some(l), 1) if f.is_empty() && l.is_empty() => match &middle[0].text {
                    Some(m) => Kind::Contains(m.clone()),
                    None => Kind::General {
                        first,
                        middle,
                        last,
                    },
                },
                _ => Kind::General {
                    first,
                    middle,
                    last,
                },
            }
        };
        Ok(LikePattern { kind })
    }

    /// Whether `s` matches the whole pattern.
    pub fn matches(&self, s: &str) -> bool {
        match &self.kind {
            Kind::All => true,
            Kind::Exact(t) => s == t,
            Kind::Prefix(t) => s.starts_with(t.as_str()),
            Kind::Suffix(t) => s.ends_with(t.as_str()),
            Kind::Contains(t) => s.contains(t.as_str()),
            Kind::Whole(seg) => seg.match_at(s, 0) == Some(s.len()),
            Kind::General {
                first,
                middle,
                last,
            } => {
                let Some(mut pos) = first.match_at(s, 0) else {
                    return false;
                };
                let Some(end) = last.suffix_start(s) else {
                    return false;
                };
                if end < pos {
                    return false;
                }
                for seg in middle {
                    match seg.find(s, pos, end) {
                        Some((_, e)) => pos = e,
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

/// `s LIKE pattern [ESCAPE e]` for a pattern that is not a literal (compiled per row).
pub fn like(s: &str, pattern: &str, escape: Option<char>) -> Result<bool, EvalError> {
    Ok(LikePattern::new(pattern, escape)?.matches(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str, p: &str) -> bool {
        LikePattern::new(p, None).unwrap().matches(s)
    }

    fn me(s: &str, p: &str, e: char) -> bool {
        LikePattern::new(p, Some(e)).unwrap().matches(s)
    }

    #[test]
    fn observed_dynamic_patterns() {
        // Flink 2.3, `s LIKE s2` with both from a JSON source.
        let rows: &[(&str, &str, bool)] = &[
            ("a\nb", "a_b", false),
            ("a\nb", "a%b", true),
            ("a\nb", "%b", true),
            ("a\nb", "a%", true),
            ("x\ny", "%\\n%", false),
            ("a\u{2028}b", "a_b", false),
            ("a\rb", "a_b", false),
            ("a\r\nb", "a%b", true),
            ("😀", "_", true),
            ("😀x", "__", true),
            ("bM\\x1", "bM\\_%", true),
            ("bM_x1", "bM\\_%", false),
            ("ABC", "abc", false),
            ("abc", "a.c", false),
            ("a.c", "a.c", true),
            ("[a]", "[a]", true),
            ("a", "[a]", false),
            ("", "%", true),
            ("", "", true),
            ("", "_", false),
            ("x", "%%", true),
            ("abcabc", "%bc%bc", true),
            ("abc", "a%%c", true),
            ("a\\b", "a\\b", true),
            ("a^b$", "a^b$", true),
            ("a*b", "a*b", true),
            ("aab", "a*b", false),
            ("a(b)", "a(b)", true),
            ("a{1}", "a{1}", true),
            ("a+b|c", "a+b|c", true),
            ("a%b", "a!%b", false),
            ("axb", "a!%b", false),
            ("a_", "a!_", false),
            ("a!", "a!!", false),
            ("ｱ", "😀", false),
            ("a\nbc", "%bc", true),
            ("ab\nc", "ab%", true),
            ("a\nbc\nd", "%bc%", true),
            ("a\nbc", "a%c", true),
            ("a\nc", "a%c", true),
        ];
        for (s, p, want) in rows {
            assert_eq!(m(s, p), *want, "{s:?} LIKE {p:?}");
        }
        // Same rows with ESCAPE '!' (ids 30..41 on Flink).
        let esc: &[(&str, &str, bool)] = &[
            ("a%b", "a!%b", true),
            ("axb", "a!%b", false),
            ("a_", "a!_", true),
            ("a!", "a!!", true),
            ("a\nbc", "%bc", true),
            ("a\nc", "a%c", true),
        ];
        for (s, p, want) in esc {
            assert_eq!(me(s, p, '!'), *want, "{s:?} LIKE {p:?} ESCAPE '!'");
        }
    }

    #[test]
    fn observed_literal_patterns() {
        // Flink 2.3, literal patterns over a column: (s, [a_b, a%b, %b, a%, _, bM\_%,
        // a.c, %bc, ab%, %bc%, a%c, %, '', %b%c]).
        let pats = [
            "a_b", "a%b", "%b", "a%", "_", "bM\\_%", "a.c", "%bc", "ab%", "%bc%", "a%c", "%", "",
            "%b%c",
        ];
        let rows: &[(&str, [bool; 14])] = &[
            (
                "a\nb",
                [
                    false, true, true, true, false, false, false, false, false, false, false, true,
                    false, false,
                ],
            ),
            (
                "😀",
                [
                    false, false, false, false, true, false, false, false, false, false, false,
                    true, false, false,
                ],
            ),
            (
                "abc",
                [
                    false, false, false, true, false, false, false, true, true, true, true, true,
                    false, true,
                ],
            ),
            (
                "a.c",
                [
                    false, false, false, true, false, false, true, false, false, false, true, true,
                    false, false,
                ],
            ),
            (
                "",
                [
                    false, false, false, false, false, false, false, false, false, false, false,
                    true, true, false,
                ],
            ),
            (
                "a*b",
                [
                    true, true, true, true, false, false, false, false, false, false, false, true,
                    false, false,
                ],
            ),
            (
                "a+b|c",
                [
                    false, false, false, true, false, false, false, false, false, false, true,
                    true, false, true,
                ],
            ),
            (
                "a\nbc",
                [
                    false, false, false, true, false, false, false, true, false, true, true, true,
                    false, true,
                ],
            ),
            (
                "ab\nc",
                [
                    false, false, false, true, false, false, false, false, true, false, true, true,
                    false, true,
                ],
            ),
            (
                "a\nbc\nd",
                [
                    false, false, false, true, false, false, false, false, false, true, false,
                    true, false, false,
                ],
            ),
        ];
        for (s, want) in rows {
            for (p, w) in pats.iter().zip(want) {
                assert_eq!(m(s, p), *w, "{s:?} LIKE {p:?}");
            }
        }
        // s LIKE 'bM\_%' ESCAPE '\'
        assert!(me("bM_x1", "bM\\_%", '\\'));
        assert!(!me("bM\\x1", "bM\\_%", '\\'));
    }

    #[test]
    fn invalid_escapes() {
        // Flink 2.3: "Invalid escape sequence 'a!b', 1", "'ab!', 2", "'a_', 1", "'%a', 0".
        for (p, e, at) in [
            ("a!b", '!', 1),
            ("ab!", '!', 2),
            ("a_", '_', 1),
            ("%a", '%', 0),
        ] {
            let err = LikePattern::new(p, Some(e)).unwrap_err();
            assert_eq!(
                err,
                EvalError::invalid("LIKE", format!("Invalid escape sequence '{p}', {at}"))
            );
        }
        // the escape character itself may be % or _
        assert!(me("a%", "a%%", '%'));
        assert!(!me("ab", "a%%", '%'));
        assert!(me("a_", "a__", '_'));
    }

    #[test]
    fn general_segments() {
        assert!(m("abXcdYef", "ab%cd%ef"));
        assert!(!m("abXcdYe", "ab%cd%ef"));
        assert!(m("abcd", "a_%_d"));
        assert!(!m("abd", "a_%_d"));
        assert!(m("xaybzc", "%a_b%c"));
        assert!(!m("xa\nbzc", "%a_b%c"));
        assert!(m("ab", "a%b"));
        assert!(!m("a", "a%a"));
        assert!(m("aa", "a%a"));
        assert!(m("😀x😀", "_%_"));
        assert!(m("😀", "%_"));
        assert!(!m("", "%_"));
        assert!(m("héllo", "h_llo"));
        assert!(m("héllo", "%é%"));
        assert!(like("abc", "a%", None).unwrap());
        assert!(like("abc", "a!", Some('!')).is_err());
    }
}
