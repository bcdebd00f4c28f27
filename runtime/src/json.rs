//! One-pass JSON extraction: the paths a job reads, straight into slots.
//!
//! In: a message's bytes and a [`JsonPaths`] trie built once per source from the JSON
//! paths its job uses. Out: one [`Raw`] per path — a borrowed slice of the input with
//! its JSON kind — without building a document: keys the trie does not name are
//! skipped, subtrees are skipped by bracket matching, strings are borrowed (escapes
//! decoded only when a value is used).
//!
//! Invalid JSON anywhere in the message makes every slot [`Raw::Missing`] and returns
//! an error, as Flink's `JSON_VALUE` (which parses the whole text first) gives NULL
//! for every path of an unparseable message.

use std::borrow::Cow;
use std::fmt;

/// One step of a JSON path: `.name`, `['name']` or `[index]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(u32),
}

/// Parses a JSON path such as `$.data.msg`, `$['a b'][0].c`.
///
/// ```
/// use streamsql_runtime::json::{parse_path, Step};
/// assert_eq!(parse_path("$.a[2]['b c']").unwrap(),
///            vec![Step::Key("a".into()), Step::Index(2), Step::Key("b c".into())]);
/// assert!(parse_path("a.b").is_err());
/// ```
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let rest = path
        .trim()
        .strip_prefix('$')
        .ok_or_else(|| format!("JSON path `{path}` must start with `$`"))?;
    let b = rest.as_bytes();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'.' && b[j] != b'[' {
                    j += 1;
                }
                if j == start {
                    return Err(format!("empty key in JSON path `{path}`"));
                }
                steps.push(Step::Key(rest[start..j].to_string()));
                i = j;
            }
            b'[' => {
                let close = rest[i..]
                    .find(']')
                    .map(|k| i + k)
                    .ok_or_else(|| format!("unclosed `[` in JSON path `{path}`"))?;
                let inner = rest[i + 1..close].trim();
                if let Some(q) = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                {
                    steps.push(Step::Key(q.to_string()));
                } else {
                    let n = inner.parse::<u32>().map_err(|_| {
                        format!(
                            "`[{inner}]` in JSON path `{path}` is neither an index nor a quoted key"
                        )
                    })?;
                    steps.push(Step::Index(n));
                }
                i = close + 1;
            }
            b' ' => i += 1,
            _ => {
                return Err(format!(
                    "unexpected `{}` in JSON path `{path}`",
                    b[i] as char
                ));
            }
        }
    }
    Ok(steps)
}

/// A value found at a path, borrowed from the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Raw<'a> {
    /// The path is absent (or the message is not valid JSON).
    #[default]
    Missing,
    Null,
    Bool(bool),
    /// A number's text as written.
    Number(&'a [u8]),
    /// A string's contents between the quotes; `escaped` if it holds a backslash.
    Str {
        raw: &'a [u8],
        escaped: bool,
    },
    /// An object's or array's whole text.
    Object(&'a [u8]),
    Array(&'a [u8]),
}

impl<'a> Raw<'a> {
    /// Flink's `JSON_VALUE`: the text of a scalar; NULL for null, objects and arrays.
    pub fn json_value(&self) -> Option<Cow<'a, str>> {
        match *self {
            Raw::Missing | Raw::Null | Raw::Object(_) | Raw::Array(_) => None,
            Raw::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            Raw::Number(n) => Some(utf8(n)),
            Raw::Str { raw, escaped } => Some(unescape(raw, escaped)),
        }
    }

    /// Blink's `JSON_VALUE`: like Flink's, but an object or array gives its JSON text.
    pub fn json_value_blink(&self) -> Option<Cow<'a, str>> {
        match *self {
            Raw::Object(t) | Raw::Array(t) => Some(utf8(t)),
            other => other.json_value(),
        }
    }
}

/// Text of input bytes; invalid UTF-8 is replaced (U+FFFD), as Flink decodes bytes.
#[inline]
fn utf8(b: &[u8]) -> Cow<'_, str> {
    // `from_utf8` is much faster than `from_utf8_lossy` on the valid text that is the rule.
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// Decodes a JSON string's contents (the bytes between the quotes).
pub fn unescape(raw: &[u8], escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return utf8(raw);
    }
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c != b'\\' || i + 1 >= raw.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = raw[i + 1];
        i += 2;
        let simple = match e {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        // \uXXXX, with surrogate pairs.
        let hex = |at: usize| -> Option<u32> {
            let h = raw.get(at..at + 4)?;
            u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        };
        let Some(mut cp) = hex(i) else {
            out.push(b'?');
            continue;
        };
        i += 4;
        if (0xD800..0xDC00).contains(&cp)
            && raw.get(i) == Some(&b'\\')
            && raw.get(i + 1) == Some(&b'u')
            && let Some(lo) = hex(i + 2).filter(|lo| (0xDC00..0xE000).contains(lo))
        {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub at: usize,
    pub what: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.at, self.what)
    }
}

impl std::error::Error for JsonError {}

#[derive(Clone, Debug)]
struct Node {
    key: Step,
    /// The key's bytes, for matching without going through `Step`.
    key_bytes: Box<[u8]>,
    slot: Option<u16>,
    children: Vec<u16>,
    /// Whether an object (or array) value here may be entered to look for children.
    /// False at a Flink `JSON_VALUE` boundary: there an object is NULL, not a container.
    enter: bool,
}

/// The set of paths one source reads, as a trie; slot `i` is the `i`-th path added.
///
/// ```
/// use streamsql_runtime::json::{JsonPaths, Raw, parse_path};
/// let mut paths = JsonPaths::default();
/// let user = paths.add(&parse_path("$.data.userid").unwrap());
/// let kind = paths.add(&parse_path("$.data.msg.msgtype").unwrap());
/// let mut slots = vec![Raw::Missing; paths.slots()];
/// paths.scan(br#"{"data":{"skip":[1,{"x":2}],"userid":"42","msg":{"msgtype":"116"}}}"#, &mut slots).unwrap();
/// assert_eq!(slots[user].json_value().as_deref(), Some("42"));
/// assert_eq!(slots[kind].json_value().as_deref(), Some("116"));
/// ```
#[derive(Clone, Debug)]
pub struct JsonPaths {
    nodes: Vec<Node>,
    slots: usize,
}

impl Default for JsonPaths {
    fn default() -> Self {
        JsonPaths {
            nodes: vec![Node {
                key: Step::Key(String::new()),
                key_bytes: Box::default(),
                slot: None,
                children: Vec::new(),
                enter: true,
            }],
            slots: 0,
        }
    }
}

impl JsonPaths {
    /// Adds a path and returns its slot (the same slot for the same path).
    pub fn add(&mut self, steps: &[Step]) -> usize {
        self.add_with_boundaries(steps, &[])
    }

    /// Adds a path whose steps after index `b` for each `b` in `closed` must not be
    /// reached through an object at step `b` (a Flink `JSON_VALUE` of an object is
    /// NULL, so a chain through it never sees the object's fields).
    pub fn add_with_boundaries(&mut self, steps: &[Step], closed: &[usize]) -> usize {
        let mut node = 0usize;
        for (i, step) in steps.iter().enumerate() {
            let found = self.nodes[node]
                .children
                .iter()
                .copied()
                .find(|c| self.nodes[*c as usize].key == *step);
            node = match found {
                Some(c) => c as usize,
                None => {
                    self.nodes.push(Node {
                        key: step.clone(),
                        key_bytes: match step {
                            Step::Key(k) => k.as_bytes().into(),
                            Step::Index(_) => Box::default(),
                        },
                        slot: None,
                        children: Vec::new(),
                        enter: true,
                    });
                    let c = self.nodes.len() - 1;
                    self.nodes[node].children.push(c as u16);
                    c
                }
            };
            if closed.contains(&i) {
                self.nodes[node].enter = false;
            }
        }
        if let Some(s) = self.nodes[node].slot {
            return s as usize;
        }
        self.nodes[node].slot = Some(self.slots as u16);
        self.slots += 1;
        self.slots - 1
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Scans `input`, filling `out[slot]` for every path found (others are set to
    /// `Missing`). On invalid JSON all slots are `Missing` and the error is returned.
    pub fn scan<'a>(&self, input: &'a [u8], out: &mut [Raw<'a>]) -> Result<(), JsonError> {
        out.iter_mut().for_each(|s| *s = Raw::Missing);
        let mut s = Scanner { b: input, pos: 0 };
        let r = s.value(self, Some(0), out).and_then(|()| {
            s.ws();
            if s.pos == s.b.len() {
                Ok(())
            } else {
                Err(s.err("trailing characters after the value"))
            }
        });
        if r.is_err() {
            out.iter_mut().for_each(|s| *s = Raw::Missing);
        }
        r
    }
}

/// Key equality without a `memcmp` call: keys are short, and most candidates
/// differ in length or first byte.
#[inline]
fn same_key(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Does any byte of `x` end a plain run of string bytes (`"`, `\\` or < 0x20)?
#[inline]
fn special_byte(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    // A byte < 0x20: subtracting 0x20 borrows into its high bit (for bytes < 0x80).
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
    has_zero(x ^ (ONES * u64::from(b'"'))) || has_zero(x ^ (ONES * u64::from(b'\\'))) || below_space
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn err(&self, what: &'static str) -> JsonError {
        JsonError { at: self.pos, what }
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Scans one value; if `node` is a trie node, records its slot and descends.
    fn value(
        &mut self,
        paths: &JsonPaths,
        node: Option<usize>,
        out: &mut [Raw<'a>],
    ) -> Result<(), JsonError> {
        self.ws();
        let start = self.pos;
        let n = node.map(|i| &paths.nodes[i]);
        let raw = match self.peek() {
            None => return Err(self.err("unexpected end of input")),
            Some(b'{') => {
                match n.filter(|n| n.enter && !n.children.is_empty()) {
                    Some(n) => self.object(paths, Some(n), out)?,
                    None => self.object(paths, None, out)?,
                }
                Raw::Object(&self.b[start..self.pos])
            }
            Some(b'[') => {
                match n.filter(|n| n.enter && !n.children.is_empty()) {
                    Some(n) => self.array(paths, Some(n), out)?,
                    None => self.array(paths, None, out)?,
                }
                Raw::Array(&self.b[start..self.pos])
            }
            Some(b'"') => {
                let (raw, escaped) = self.string()?;
                Raw::Str { raw, escaped }
            }
            Some(b't') => self.literal(b"true", Raw::Bool(true))?,
            Some(b'f') => self.literal(b"false", Raw::Bool(false))?,
            Some(b'n') => self.literal(b"null", Raw::Null)?,
            Some(b'-' | b'0'..=b'9') => Raw::Number(self.number()?),
            Some(_) => return Err(self.err("unexpected character")),
        };
        if let Some(slot) = n.and_then(|n| n.slot) {
            out[slot as usize] = raw;
        }
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8], v: Raw<'a>) -> Result<Raw<'a>, JsonError> {
        if self.b[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn number(&mut self) -> Result<&'a [u8], JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |s: &mut Self| {
            let d = s.pos;
            while matches!(s.peek(), Some(b'0'..=b'9')) {
                s.pos += 1;
            }
            s.pos > d
        };
        if !digits(self) {
            return Err(self.err("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.err("invalid number"));
            }
        }
        Ok(&self.b[start..self.pos])
    }

    /// A string at `pos` (the opening quote): its contents and whether it has escapes.
    #[inline]
    fn string(&mut self) -> Result<(&'a [u8], bool), JsonError> {
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        let b = self.b;
        let mut i = self.pos;
        loop {
            // Eight bytes at a time to the next quote, backslash or control character.
            while let Some(chunk) = b.get(i..i + 8) {
                let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                if special_byte(x) {
                    break;
                }
                i += 8;
            }
            let Some(&c) = b.get(i) else {
                self.pos = b.len();
                return Err(self.err("unterminated string"));
            };
            if c == b'"' {
                self.pos = i + 1;
                return Ok((&b[start..i], escaped));
            }
            if c == b'\\' {
                escaped = true;
                match b.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let ok = b
                            .get(i + 2..i + 6)
                            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
                        if !ok {
                            self.pos = i;
                            return Err(self.err("invalid \\u escape"));
                        }
                        i += 6;
                    }
                    _ => {
                        self.pos = i;
                        return Err(self.err("invalid escape"));
                    }
                }
                continue;
            }
            if c < 0x20 {
                self.pos = i;
                return Err(self.err("control character in string"));
            }
            i += 1;
        }
    }

    fn object(
        &mut self,
        paths: &JsonPaths,
        node: Option<&Node>,
        out: &mut [Raw<'a>],
    ) -> Result<(), JsonError> {
        self.pos += 1; // {
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut expect = 0usize;
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a key"));
            }
            // Field-order speculation: messages of one source list their keys in the
            // same order, so the key after the last one matched is tried first, by a
            // direct comparison at the cursor that skips parsing the key.
            let speculated = node.and_then(|n| {
                let c = *n.children.get(expect)? as usize;
                let k = &paths.nodes[c].key_bytes;
                let at = self.pos + 1;
                // (A key with a backslash would compare escaped bytes to unescaped ones.)
                let fits = !k.is_empty()
                    && !k.contains(&b'\\')
                    && self.b.get(at + k.len()) == Some(&b'"')
                    && self.b.get(at..at + k.len()).is_some_and(|b| same_key(b, k));
                fits.then(|| {
                    self.pos = at + k.len() + 1;
                    c
                })
            });
            let child = match speculated {
                Some(c) => Some(c),
                None => {
                    let (key, escaped) = self.string()?;
                    node.and_then(|n| {
                        n.children.iter().map(|c| *c as usize).find(|c| {
                            let cn = &paths.nodes[*c];
                            match &cn.key {
                                Step::Key(k) if escaped => unescape(key, true) == k.as_str(),
                                Step::Key(_) => same_key(&cn.key_bytes, key),
                                Step::Index(_) => false,
                            }
                        })
                    })
                }
            };
            if let (Some(n), Some(c)) = (node, child) {
                expect = n
                    .children
                    .iter()
                    .position(|x| *x as usize == c)
                    .map_or(0, |i| i + 1);
            }
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:`"));
            }
            self.pos += 1;
            self.value(paths, child, out)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }

    fn array(
        &mut self,
        paths: &JsonPaths,
        node: Option<&Node>,
        out: &mut [Raw<'a>],
    ) -> Result<(), JsonError> {
        self.pos += 1; // [
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut index = 0u32;
        loop {
            let child = node.and_then(|n| {
                n.children
                    .iter()
                    .map(|c| *c as usize)
                    .find(|c| paths.nodes[*c].key == Step::Index(index))
            });
            self.value(paths, child, out)?;
            index += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }
}

/// `JSON_VALUE(text, path)` for a text and path known only at run time (the slow,
/// general path; the compiler fuses literal paths over source columns into
/// [`JsonPaths`] instead). `blink` selects Blink's result for objects and arrays.
pub fn json_value(text: &str, path: &str, blink: bool) -> Option<String> {
    let steps = parse_path(path).ok()?;
    let mut paths = JsonPaths::default();
    let slot = paths.add(&steps);
    let mut out = [Raw::Missing];
    debug_assert_eq!(slot, 0);
    paths.scan(text.as_bytes(), &mut out).ok()?;
    let v = if blink {
        out[0].json_value_blink()
    } else {
        out[0].json_value()
    };
    v.map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(paths: &[&str], input: &str) -> Vec<Option<String>> {
        let mut p = JsonPaths::default();
        for path in paths {
            p.add(&parse_path(path).unwrap());
        }
        let mut out = vec![Raw::Missing; p.slots()];
        let _ = p.scan(input.as_bytes(), &mut out);
        out.iter()
            .map(|r| r.json_value().map(Cow::into_owned))
            .collect()
    }

    #[test]
    fn finds_nested_paths_and_skips_the_rest() {
        let got = scan(
            &[
                "$.createTime",
                "$.data.userid",
                "$.data.msg.msg_data.action",
                "$.data.msg.missing",
                "$.arr[1].x",
            ],
            r#"{"createTime":"1","data":{"userid":"u\"1","junk":{"a":[1,2,{"b":"}"}]},
                "msg":{"msgtype":"116","msg_data":{"action":"move"}}},"arr":[{"x":1},{"x":2.5e3}]}"#,
        );
        assert_eq!(
            got,
            [
                Some("1".into()),
                Some("u\"1".into()),
                Some("move".into()),
                None,
                Some("2.5e3".into())
            ]
        );
    }

    #[test]
    fn scalars_objects_and_nulls_follow_flink_and_blink() {
        let mut p = JsonPaths::default();
        let a = p.add(&parse_path("$.a").unwrap());
        let o = p.add(&parse_path("$.o").unwrap());
        let n = p.add(&parse_path("$.n").unwrap());
        let t = p.add(&parse_path("$.t").unwrap());
        let mut out = vec![Raw::Missing; p.slots()];
        let input = br#"{"a":1.0,"o":{"k": [1, "x"]},"n":null,"t":true}"#;
        p.scan(input, &mut out).unwrap();
        assert_eq!(out[a].json_value().as_deref(), Some("1.0"));
        assert_eq!(out[o].json_value(), None);
        assert_eq!(
            out[o].json_value_blink().as_deref(),
            Some(r#"{"k": [1, "x"]}"#)
        );
        assert_eq!(out[n].json_value(), None);
        assert_eq!(out[t].json_value().as_deref(), Some("true"));
    }

    #[test]
    fn invalid_json_gives_missing_everywhere() {
        for bad in [
            "not json",
            r#"{"a":"1""#,
            r#"{"a":"1"} trailing"#,
            r#"{"a":"1",}"#,
            r#"{"a":tru}"#,
            r#"{"a":"\q"}"#,
            "{\"a\":\"x\u{1}\"}",
            r#"{"a":01x}"#,
            "",
            r#"{"a":"1","b":{"c":[1,2}}"#,
        ] {
            let got = scan(&["$.a"], bad);
            assert_eq!(got, [None], "{bad}");
        }
    }

    #[test]
    fn escapes_and_unicode() {
        let got = scan(
            &["$.s", "$['k e']"],
            r#"{"s":"a\u00e9\ud83d\ude00\n","k e":"v"}"#,
        );
        assert_eq!(got, [Some("aé😀\n".into()), Some("v".into())]);
        assert_eq!(
            json_value(r#"{"a":{"b":"c"}}"#, "$.a", true).as_deref(),
            Some(r#"{"b":"c"}"#)
        );
        assert_eq!(json_value(r#"{"a":{"b":"c"}}"#, "$.a", false), None);
    }

    #[test]
    fn a_closed_boundary_does_not_enter_objects() {
        let mut p = JsonPaths::default();
        // Flink: JSON_VALUE(JSON_VALUE(m, '$.data'), '$.x'): the inner one is NULL for an object.
        let s = p.add_with_boundaries(&parse_path("$.data.x").unwrap(), &[0]);
        let mut out = vec![Raw::Missing; p.slots()];
        p.scan(br#"{"data":{"x":"1"}}"#, &mut out).unwrap();
        assert_eq!(out[s], Raw::Missing);
    }
}
