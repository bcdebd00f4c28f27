//! A small validating scanner for one JSON object per line, written for the
//! baselines: it hands each top-level field to a callback as a borrowed [`Val`] and
//! says whether the whole line was valid JSON (an invalid line makes every field NULL,
//! as Flink's `JSON_VALUE` and json format do).

use std::borrow::Cow;

/// A field's value, borrowed from the line.
#[derive(Clone, Copy, Debug)]
pub enum Val<'a> {
    /// A string's bytes between the quotes; `escaped` if it holds a backslash.
    Str(&'a [u8], bool),
    /// A number, `true` or `false`, as written.
    Scalar(&'a [u8]),
    Null,
    /// An object's or array's whole text.
    Nested(&'a [u8]),
}

impl<'a> Val<'a> {
    /// Blink's `JSON_VALUE` / a VARCHAR column: a scalar's text, a nested value's JSON
    /// text, NULL for null.
    pub fn text(self) -> Option<Cow<'a, [u8]>> {
        match self {
            Val::Str(raw, false) => Some(Cow::Borrowed(raw)),
            Val::Str(raw, true) => Some(Cow::Owned(unescape(raw))),
            Val::Scalar(t) | Val::Nested(t) => Some(Cow::Borrowed(t)),
            Val::Null => None,
        }
    }
}

/// Calls `field(key, value)` for each top-level field of the object `line` (keys as
/// written, escapes not decoded), then returns whether the line is exactly one valid
/// JSON object (surrounding whitespace allowed). Fields seen before an error were
/// already handed over: the caller discards them when this is false.
pub fn object<'a>(line: &'a [u8], mut field: impl FnMut(&'a [u8], Val<'a>)) -> bool {
    let mut s = Scanner { b: line, i: 0 };
    s.ws();
    if s.peek() != Some(b'{') {
        return false;
    }
    s.i += 1;
    s.ws();
    if s.peek() == Some(b'}') {
        s.i += 1;
    } else {
        loop {
            s.ws();
            let Some((key, _)) = s.string() else {
                return false;
            };
            s.ws();
            if s.peek() != Some(b':') {
                return false;
            }
            s.i += 1;
            s.ws();
            let Some(v) = s.value() else {
                return false;
            };
            field(key, v);
            s.ws();
            match s.peek() {
                Some(b',') => s.i += 1,
                Some(b'}') => {
                    s.i += 1;
                    break;
                }
                _ => return false,
            }
        }
    }
    s.ws();
    s.i == line.len()
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// A string at the cursor (which is on its quote): its contents and whether they
    /// hold escapes.
    #[inline]
    fn string(&mut self) -> Option<(&'a [u8], bool)> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        loop {
            let k = j + memchr::memchr2(b'"', b'\\', &self.b[j..])?;
            if self.b[k] == b'"' {
                if self.b[j..k].iter().any(|c| *c < 0x20) {
                    return None;
                }
                self.i = k + 1;
                return Some((&self.b[start..k], escaped));
            }
            escaped = true;
            match self.b.get(k + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j = k + 2,
                b'u' => {
                    let hex = self.b.get(k + 2..k + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    j = k + 6;
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self) -> Option<Val<'a>> {
        let start = self.i;
        match self.peek()? {
            b'"' => self.string().map(|(s, e)| Val::Str(s, e)),
            b'{' | b'[' => {
                self.nested()?;
                Some(Val::Nested(&self.b[start..self.i]))
            }
            b'n' => self.literal(b"null").then_some(Val::Null),
            b't' => self
                .literal(b"true")
                .then(|| Val::Scalar(&self.b[start..self.i])),
            b'f' => self
                .literal(b"false")
                .then(|| Val::Scalar(&self.b[start..self.i])),
            _ => {
                self.number()?;
                Some(Val::Scalar(&self.b[start..self.i]))
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    /// `-? digits (. digits)? ([eE] [+-]? digits)?`
    fn number(&mut self) -> Option<()> {
        let digits = |s: &mut Self| {
            let from = s.i;
            while s.peek().is_some_and(|c| c.is_ascii_digit()) {
                s.i += 1;
            }
            (s.i > from).then_some(())
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        digits(self)?;
        if self.peek() == Some(b'.') {
            self.i += 1;
            digits(self)?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            digits(self)?;
        }
        Some(())
    }

    /// An object or array at the cursor, validated and skipped.
    fn nested(&mut self) -> Option<()> {
        let close = if self.peek()? == b'{' { b'}' } else { b']' };
        self.i += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            return Some(());
        }
        loop {
            self.ws();
            if close == b'}' {
                self.string()?;
                self.ws();
                if self.peek() != Some(b':') {
                    return None;
                }
                self.i += 1;
                self.ws();
            }
            self.value()?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// A JSON string's contents with escapes decoded (invalid surrogates as U+FFFD).
pub fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    let hex = |b: &[u8]| -> u32 {
        std::str::from_utf8(b)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .unwrap_or(0xFFFD)
    };
    while i < raw.len() {
        if raw[i] != b'\\' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let c = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let ch = match c {
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = hex(&raw[i..(i + 4).min(raw.len())]);
                i += 4;
                let code = if (0xD800..0xDC00).contains(&hi) && raw[i..].starts_with(b"\\u") {
                    let lo = hex(&raw[i + 2..(i + 6).min(raw.len())]);
                    if (0xDC00..0xE000).contains(&lo) {
                        i += 6;
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        0xFFFD
                    }
                } else {
                    hi
                };
                char::from_u32(code).unwrap_or('\u{FFFD}')
            }
            other => other as char,
        };
        let mut b = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
    }
    out
}
