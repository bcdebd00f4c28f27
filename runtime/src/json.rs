//! One-pass JSON extraction: the paths a job reads, straight into slots.
//!
//! In: a message's bytes and a [`JsonPaths`] trie built once per source from the JSON
//! paths its job uses. Out: one [`Raw`] per path — a borrowed slice of the input with
//! its JSON kind — without building a document: values on a path are found by a
//! descent the trie guides; everything else (values of keys no path names, subtrees
//! no path enters) goes through a separate validating skipper, which does no lookups
//! and keeps its nesting on a bit stack instead of the call stack. Strings are
//! borrowed (escapes decoded only when a value is used).
//!
//! Invalid JSON anywhere in the message makes every slot [`Raw::Missing`] and returns
//! an error, as Flink's `JSON_VALUE` (which parses the whole text first) gives NULL
//! for every path of an unparseable message. (UTF-8 is not checked here: values are
//! decoded lossily when used.)
//!
//! Speed comes from the shape of the messages: one source writes its keys in the same
//! order, mostly without whitespace, so in an object the scan first compares the next
//! expected `"key":` with the bytes at the cursor (two masked 8-byte words) instead of
//! scanning and looking up the key; whitespace is looked for only where a byte is
//! ≤ space; a string or number value is recorded in the object loop itself; and
//! strings are scanned eight bytes at a time (SWAR) to the first quote, backslash or
//! control character.

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
    /// A number's text as written (ASCII: the scanner checked its characters).
    Number(&'a str),
    /// A string's contents between the quotes; `escaped` if it holds a backslash.
    Str {
        raw: &'a [u8],
        escaped: bool,
    },
    /// A string without escapes in a message that is valid UTF-8: its text, checked
    /// once for the whole message instead of once per value.
    Text(&'a str),
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
            Raw::Number(n) => Some(Cow::Borrowed(n)),
            Raw::Str { raw, escaped } => Some(unescape(raw, escaped)),
            Raw::Text(t) => Some(Cow::Borrowed(t)),
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
    slot: Option<u16>,
    children: Vec<u16>,
    /// Whether an object (or array) value here may be entered to look for children.
    /// False at a Flink `JSON_VALUE` boundary: there an object is NULL, not a container.
    enter: bool,
    /// What the scan matches, derived from `children` and `enter` by `add`: the key
    /// children (an object here is entered only if there are some) and the index
    /// children (likewise for an array).
    fields: Box<[Field]>,
    items: Box<[(u32, u16)]>,
}

impl Node {
    fn new(key: Step) -> Node {
        Node {
            key,
            slot: None,
            children: Vec::new(),
            enter: true,
            fields: Box::default(),
            items: Box::default(),
        }
    }
}

/// A key child, ready to be compared with the raw bytes of a key.
#[derive(Clone, Debug)]
struct Field {
    key: Box<[u8]>,
    node: u16,
    /// The child's slot, copied here so that a string or number value is recorded
    /// without visiting the child.
    slot: Option<u16>,
    /// `"key":` as compact JSON (and the common pretty style) writes the key without
    /// escapes; empty if it cannot be so written (the key holds `"`, `\` or a control
    /// character, which JSON must escape), so that only the decoded key is compared.
    pattern: Box<[u8]>,
    /// `pattern`'s first 16 bytes as two little-endian words, and the masks of the
    /// bytes that count: a key compares with two loads instead of a `memcmp` call.
    words: [u64; 2],
    masks: [u64; 2],
}

impl Field {
    fn new(key: &str, node: u16, child: &Node) -> Field {
        let raw = !key.bytes().any(|c| c == b'"' || c == b'\\' || c < 0x20);
        let pattern: Box<[u8]> = if raw {
            [b"\"", key.as_bytes(), b"\":"].concat().into()
        } else {
            Box::default()
        };
        let (mut words, mut masks) = ([0u64; 2], [0u64; 2]);
        for (k, &c) in pattern.iter().take(16).enumerate() {
            words[k / 8] |= u64::from(c) << (8 * (k % 8));
            masks[k / 8] |= 0xFF << (8 * (k % 8));
        }
        Field {
            key: key.as_bytes().into(),
            node,
            slot: child.slot,
            pattern,
            words,
            masks,
        }
    }

    /// Is this key (quoted, unescaped, with its `:`) at `b[i..]`?
    #[inline(always)]
    fn is_at(&self, b: &[u8], i: usize) -> bool {
        let p = &*self.pattern;
        match b.get(i..).and_then(<[u8]>::first_chunk::<16>) {
            Some(c) => {
                let (lo, hi) = (word(&c[..8]), word(&c[8..]));
                ((lo ^ self.words[0]) & self.masks[0]) | ((hi ^ self.words[1]) & self.masks[1]) == 0
                    && !p.is_empty()
                    && (p.len() <= 16 || b.get(i + 16..i + p.len()) == p.get(16..))
            }
            None => !p.is_empty() && b.get(i..i + p.len()) == Some(p),
        }
    }
}

/// Eight bytes as a little-endian word.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("8 bytes"))
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
            nodes: vec![Node::new(Step::Key(String::new()))],
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
                    self.nodes.push(Node::new(step.clone()));
                    let c = self.nodes.len() - 1;
                    self.nodes[node].children.push(c as u16);
                    c
                }
            };
            if closed.contains(&i) {
                self.nodes[node].enter = false;
            }
        }
        let slot = match self.nodes[node].slot {
            Some(s) => s as usize,
            None => {
                self.nodes[node].slot = Some(self.slots as u16);
                self.slots += 1;
                self.slots - 1
            }
        };
        self.derive();
        slot
    }

    /// Rebuilds every node's `fields` and `items` (paths are added once per job).
    fn derive(&mut self) {
        for n in 0..self.nodes.len() {
            let (mut fields, mut items) = (Vec::new(), Vec::new());
            if self.nodes[n].enter {
                for &c in &self.nodes[n].children {
                    match &self.nodes[c as usize].key {
                        Step::Key(k) => {
                            fields.push(Field::new(k, c, &self.nodes[c as usize]));
                        }
                        Step::Index(x) => items.push((*x, c)),
                    }
                }
            }
            self.nodes[n].fields = fields.into();
            self.nodes[n].items = items.into();
        }
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Scans `input`, filling `out[slot]` for every path found (others are set to
    /// `Missing`). On invalid JSON all slots are `Missing` and the error is returned.
    pub fn scan<'a>(&self, input: &'a [u8], out: &mut [Raw<'a>]) -> Result<(), JsonError> {
        out.fill(Raw::Missing);
        // One UTF-8 check of the whole message is cheaper than one per value when the
        // values are a good part of it (the flat records of the seeds: ~190
        // instructions for a 180-byte message, against ~100 per value, callgrind); a
        // big message read for a few values is checked per value.
        let text = if input.len() <= WHOLE_CHECK_BYTES_PER_SLOT * out.len() {
            std::str::from_utf8(input).ok()
        } else {
            None
        };
        let mut s = Scanner {
            b: input,
            text,
            nodes: &self.nodes,
            out,
            error: JsonError { at: 0, what: "" },
        };
        match s.document() {
            Ok(()) => Ok(()),
            Err(Fail) => {
                s.out.fill(Raw::Missing);
                Err(s.error)
            }
        }
    }
}

/// Messages up to this many bytes per slot read are checked as UTF-8 once, whole.
const WHOLE_CHECK_BYTES_PER_SLOT: usize = 128;

/// A failed scan; what failed where is in [`Scanner::error`] (a zero-sized error
/// keeps the hot `Result<usize, Fail>` in registers).
struct Fail;

type Scan<T = usize> = Result<T, Fail>;

/// Positions are passed and returned by value: `i` is the index of the next byte.
/// Every value scanner starts at the value's first byte (whitespace already skipped)
/// and returns the index just past it.
struct Scanner<'a, 'p> {
    b: &'a [u8],
    /// `b` as text, when it is valid UTF-8 and was worth checking whole.
    text: Option<&'a str>,
    nodes: &'p [Node],
    out: &'p mut [Raw<'a>],
    error: JsonError,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `x` (little-endian) that end a plain run of string bytes, as the high
/// bit of each: quotes, and the others (`\` or a control character). In each mask
/// the lowest bit is exact, but bits above it may be false (borrows carry upwards),
/// so only the lowest bits are used.
#[inline(always)]
fn specials(x: u64) -> (u64, u64) {
    let quote = x ^ (ONES * u64::from(b'"'));
    let slash = x ^ (ONES * u64::from(b'\\'));
    // A byte is zero (or below 0x20) iff subtracting 1 (or 0x20) borrows into its
    // high bit while its own high bit is clear.
    (
        quote.wrapping_sub(ONES) & !quote & HIGH,
        (slash.wrapping_sub(ONES) & !slash | x.wrapping_sub(ONES * 0x20) & !x) & HIGH,
    )
}

impl<'a> Scanner<'a, '_> {
    #[cold]
    #[inline(never)]
    fn fail(&mut self, at: usize, what: &'static str) -> Fail {
        self.error = JsonError { at, what };
        Fail
    }

    /// Fails at `i` as "unexpected end of input" or with `what`.
    #[cold]
    #[inline(never)]
    fn unexpected(&mut self, i: usize, what: &'static str) -> Fail {
        let what = if i >= self.b.len() {
            "unexpected end of input"
        } else {
            what
        };
        self.fail(i, what)
    }

    fn document(&mut self) -> Scan<()> {
        let root = &self.nodes[0];
        let i = self.ws(0);
        let i = self.value(root, i)?;
        let i = self.ws(i);
        if i == self.b.len() {
            Ok(())
        } else {
            Err(self.fail(i, "trailing characters after the value"))
        }
    }

    /// Skips whitespace. Messages are mostly compact, so one comparison usually
    /// decides there is none.
    #[inline(always)]
    fn ws(&self, i: usize) -> usize {
        match self.b.get(i) {
            Some(&c) if c <= b' ' => self.ws_run(i),
            _ => i,
        }
    }

    fn ws_run(&self, mut i: usize) -> usize {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(i) {
            i += 1;
        }
        i
    }

    /// The string whose contents are `b[start..end]`: its text when the message is
    /// known to be UTF-8 and it has no escapes (the quotes around it are ASCII, so
    /// `start` and `end` are character boundaries).
    #[inline]
    fn string_value(&self, start: usize, end: usize, escaped: bool) -> Raw<'a> {
        match self.text {
            Some(t) if !escaped => Raw::Text(&t[start..end]),
            _ => Raw::Str {
                raw: &self.b[start..end],
                escaped,
            },
        }
    }

    /// The number whose text is `b[start..end]`, which `number` checked holds only
    /// ASCII: sliced from the message's text when it was checked as UTF-8, else
    /// checked (and so never fails).
    #[inline]
    fn number_value(&self, start: usize, end: usize) -> Raw<'a> {
        match self.text {
            Some(t) => Raw::Number(&t[start..end]),
            None => std::str::from_utf8(&self.b[start..end]).map_or(Raw::Missing, Raw::Number),
        }
    }

    /// The value at `i`, on a path: records it in `node`'s slot and descends into
    /// objects and arrays that have children to look for.
    fn value(&mut self, node: &Node, i: usize) -> Scan {
        let b = self.b;
        let (raw, end) = match b.get(i) {
            Some(b'"') => {
                let (end, escaped) = self.string(i + 1)?;
                (self.string_value(i + 1, end, escaped), end + 1)
            }
            Some(b'{') => {
                let end = if node.fields.is_empty() {
                    self.skip_container(i)?
                } else {
                    self.object(node, i)?
                };
                (Raw::Object(&b[i..end]), end)
            }
            Some(b'[') => {
                let end = if node.items.is_empty() {
                    self.skip_container(i)?
                } else {
                    self.array(node, i)?
                };
                (Raw::Array(&b[i..end]), end)
            }
            Some(b'-' | b'0'..=b'9') => {
                let end = self.number(i)?;
                (self.number_value(i, end), end)
            }
            Some(b't') => (Raw::Bool(true), self.literal(i, b"true")?),
            Some(b'f') => (Raw::Bool(false), self.literal(i, b"false")?),
            Some(b'n') => (Raw::Null, self.literal(i, b"null")?),
            _ => return Err(self.unexpected(i, "unexpected character")),
        };
        if let Some(slot) = node.slot {
            self.out[slot as usize] = raw;
        }
        Ok(end)
    }

    /// An object at `i` whose keys are looked up among `node`'s fields.
    fn object(&mut self, node: &Node, i: usize) -> Scan {
        let (b, nodes, fields) = (self.b, self.nodes, &*node.fields);
        let mut i = self.ws(i + 1);
        if b.get(i) == Some(&b'}') {
            return Ok(i + 1);
        }
        // Field-order speculation: messages of one source list their keys in the
        // same order, so the field after the last one matched is tried first, by a
        // direct comparison of `"key":` at the cursor that skips scanning the key.
        let mut expect = 0usize;
        loop {
            let field = match fields.get(expect) {
                Some(f) if f.is_at(b, i) => {
                    i += f.pattern.len();
                    Some((expect, f))
                }
                _ => {
                    if b.get(i) != Some(&b'"') {
                        return Err(self.unexpected(i, "expected a key"));
                    }
                    let (end, escaped) = self.string(i + 1)?;
                    let key = &b[i + 1..end];
                    let found = if escaped {
                        let key = unescape(key, true);
                        fields
                            .iter()
                            .enumerate()
                            .find(|(_, f)| *f.key == *key.as_bytes())
                    } else {
                        fields.iter().enumerate().find(|(_, f)| *f.key == *key)
                    };
                    i = self.ws(end + 1);
                    if b.get(i) != Some(&b':') {
                        return Err(self.unexpected(i, "expected `:`"));
                    }
                    i += 1;
                    found
                }
            };
            i = self.ws(i);
            i = match field {
                // A string or number (the common values) is recorded here, without
                // a call.
                Some((k, f)) if b.get(i) == Some(&b'"') => {
                    expect = k + 1;
                    let (end, escaped) = self.string(i + 1)?;
                    if let Some(slot) = f.slot {
                        self.out[slot as usize] = self.string_value(i + 1, end, escaped);
                    }
                    end + 1
                }
                Some((k, f)) if matches!(b.get(i), Some(b'-' | b'0'..=b'9')) => {
                    expect = k + 1;
                    let end = self.number(i)?;
                    if let Some(slot) = f.slot {
                        self.out[slot as usize] = self.number_value(i, end);
                    }
                    end
                }
                Some((k, f)) => {
                    expect = k + 1;
                    self.value(&nodes[f.node as usize], i)?
                }
                None => self.skip(i)?,
            };
            i = self.ws(i);
            match b.get(i) {
                Some(b',') => i = self.ws(i + 1),
                Some(b'}') => return Ok(i + 1),
                _ => return Err(self.unexpected(i, "expected `,` or `}`")),
            }
        }
    }

    /// An array at `i` whose items are looked up among `node`'s items.
    fn array(&mut self, node: &Node, i: usize) -> Scan {
        let nodes = self.nodes;
        let mut i = self.ws(i + 1);
        if self.b.get(i) == Some(&b']') {
            return Ok(i + 1);
        }
        let mut index = 0u32;
        loop {
            i = match node.items.iter().find(|(x, _)| *x == index) {
                Some(&(_, c)) => self.value(&nodes[c as usize], i)?,
                None => self.skip(i)?,
            };
            index = index.saturating_add(1);
            i = self.ws(i);
            match self.b.get(i) {
                Some(b',') => i = self.ws(i + 1),
                Some(b']') => return Ok(i + 1),
                _ => return Err(self.unexpected(i, "expected `,` or `]`")),
            }
        }
    }

    /// Validates and skips the value at `i`, which no path needs.
    #[inline(always)]
    fn skip(&mut self, i: usize) -> Scan {
        match self.b.get(i) {
            Some(b'"') => Ok(self.string(i + 1)?.0 + 1),
            Some(b'{' | b'[') => self.skip_container(i),
            _ => self.scalar(i),
        }
    }

    /// Validates and skips a number, `true`, `false` or `null` at `i`.
    fn scalar(&mut self, i: usize) -> Scan {
        match self.b.get(i) {
            Some(b'-' | b'0'..=b'9') => self.number(i),
            Some(b't') => self.literal(i, b"true"),
            Some(b'f') => self.literal(i, b"false"),
            Some(b'n') => self.literal(i, b"null"),
            _ => Err(self.unexpected(i, "unexpected character")),
        }
    }

    /// Validates and skips the object or array at `i`: no lookups, and nesting kept
    /// on a bit stack instead of the call stack (so no input nests deep enough to
    /// overflow it).
    fn skip_container(&mut self, mut i: usize) -> Scan {
        let b = self.b;
        let mut open = Nesting::default();
        'value: loop {
            match b.get(i) {
                Some(&c @ (b'{' | b'[')) => {
                    i = self.ws(i + 1);
                    // `{` + 2 is `}` and `[` + 2 is `]`.
                    if b.get(i) == Some(&(c + 2)) {
                        i += 1;
                    } else {
                        open.push(c == b'{');
                        if c == b'{' {
                            i = self.key_colon(i)?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => i = self.string(i + 1)?.0 + 1,
                _ => i = self.scalar(i)?,
            }
            // After a value: a separator, or the closing of its container(s).
            while open.depth > 0 {
                i = self.ws(i);
                let in_object = open.top();
                match b.get(i) {
                    Some(b',') => {
                        i = self.ws(i + 1);
                        if in_object {
                            i = self.key_colon(i)?;
                        }
                        continue 'value;
                    }
                    Some(b'}') if in_object => i += 1,
                    Some(b']') if !in_object => i += 1,
                    _ if in_object => return Err(self.unexpected(i, "expected `,` or `}`")),
                    _ => return Err(self.unexpected(i, "expected `,` or `]`")),
                }
                open.pop();
            }
            return Ok(i);
        }
    }

    /// A key no path needs, its `:` and the whitespace after it.
    #[inline(always)]
    fn key_colon(&mut self, i: usize) -> Scan {
        if self.b.get(i) != Some(&b'"') {
            return Err(self.unexpected(i, "expected a key"));
        }
        let end = self.string(i + 1)?.0;
        let i = self.ws(end + 1);
        if self.b.get(i) != Some(&b':') {
            return Err(self.unexpected(i, "expected `:`"));
        }
        Ok(self.ws(i + 1))
    }

    /// A string's body from `i` (past the opening quote): the index of the closing
    /// quote and whether there are escapes before it.
    #[inline(always)]
    fn string(&mut self, mut i: usize) -> Scan<(usize, bool)> {
        let b = self.b;
        let mut escaped = false;
        loop {
            // Eight bytes at a time to the next quote, backslash or control character;
            // past the end, zeros stand in (as control characters they stop the scan).
            let x = match b.get(i..i + 8) {
                Some(chunk) => word(chunk),
                None => {
                    let mut tail = [0u8; 8];
                    let rest = b.get(i..).unwrap_or_default();
                    tail[..rest.len()].copy_from_slice(rest);
                    u64::from_le_bytes(tail)
                }
            };
            let (quotes, others) = specials(x);
            // The common end, a quote with no other stop before it, is told from the
            // masks alone; checking for other stops is off the quote's critical path.
            let first_quote = quotes & quotes.wrapping_neg();
            if others & first_quote.wrapping_sub(1) == 0 {
                if quotes != 0 {
                    return Ok((i + quotes.trailing_zeros() as usize / 8, escaped));
                }
                i += 8;
                continue;
            }
            i += others.trailing_zeros() as usize / 8;
            match b.get(i) {
                Some(b'\\') => {
                    escaped = true;
                    i = self.escape(i)?;
                }
                Some(_) => return Err(self.fail(i, "control character in string")),
                None => return Err(self.fail(b.len(), "unterminated string")),
            }
        }
    }

    /// The escape at `i` (a backslash); returns the index past it.
    fn escape(&mut self, i: usize) -> Scan {
        match self.b.get(i + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(i + 2),
            Some(b'u')
                if self
                    .b
                    .get(i + 2..i + 6)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                Ok(i + 6)
            }
            Some(b'u') => Err(self.fail(i, "invalid \\u escape")),
            _ => Err(self.fail(i, "invalid escape")),
        }
    }

    /// A number at `i`: `-`? digits (`.` digits)? ([eE] [+-]? digits)?.
    #[inline]
    fn number(&mut self, i: usize) -> Scan {
        let b = self.b;
        let digits = |mut j: usize| {
            while let Some(b'0'..=b'9') = b.get(j) {
                j += 1;
            }
            j
        };
        let mut j = i + usize::from(b.get(i) == Some(&b'-'));
        let k = digits(j);
        // Flink's JSON parser (Jackson, default features) refuses leading zeros.
        if k == j || (b[j] == b'0' && k > j + 1) {
            return Err(self.fail(k, "invalid number"));
        }
        j = k;
        if b.get(j) == Some(&b'.') {
            let k = digits(j + 1);
            if k == j + 1 {
                return Err(self.fail(k, "invalid number"));
            }
            j = k;
        }
        if let Some(b'e' | b'E') = b.get(j) {
            j += 1;
            if let Some(b'+' | b'-') = b.get(j) {
                j += 1;
            }
            let k = digits(j);
            if k == j {
                return Err(self.fail(k, "invalid number"));
            }
            j = k;
        }
        Ok(j)
    }

    #[inline]
    fn literal(&mut self, i: usize, word: &'static [u8]) -> Scan {
        if self.b.get(i..i + word.len()) == Some(word) {
            Ok(i + word.len())
        } else {
            Err(self.fail(i, "invalid literal"))
        }
    }
}

/// The kinds of the containers a skip is inside, innermost last: one bit each
/// (set for an object), spilling to the heap only past 64 levels.
#[derive(Default)]
struct Nesting {
    bits: u64,
    depth: usize,
    spilled: Vec<u64>,
}

impl Nesting {
    #[inline]
    fn push(&mut self, object: bool) {
        if self.depth > 0 && self.depth.is_multiple_of(64) {
            self.spilled.push(self.bits);
            self.bits = 0;
        }
        self.bits = self.bits << 1 | u64::from(object);
        self.depth += 1;
    }

    #[inline]
    fn pop(&mut self) {
        self.bits >>= 1;
        self.depth -= 1;
        if self.depth > 0 && self.depth.is_multiple_of(64) {
            self.bits = self.spilled.pop().unwrap_or_default();
        }
    }

    #[inline]
    fn top(&self) -> bool {
        self.bits & 1 == 1
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

    /// Runs `input` through the scanner and the reference with the same paths
    /// (`(path, closed boundaries)`), asserts they agree, and returns the values.
    fn check(paths: &[(&str, &[usize])], input: &[u8]) -> Result<Vec<Raw<'static>>, ()> {
        let mut fast = JsonPaths::default();
        let mut slow = reference::Paths::new();
        for (path, closed) in paths {
            let steps = parse_path(path).unwrap();
            let a = fast.add_with_boundaries(&steps, closed);
            let b = slow.add_with_boundaries(&steps, closed);
            assert_eq!(a, b);
        }
        // Leaked so the values can outlive this function in the tests' assertions.
        let input: &'static [u8] = Box::leak(input.to_vec().into_boxed_slice());
        let mut got = vec![
            Raw::Str {
                raw: b"stale",
                escaped: false
            };
            fast.slots()
        ];
        let mut want = vec![Raw::Missing; fast.slots()];
        let r = fast.scan(input, &mut got);
        let w = slow.scan(input, &mut want);
        let shown = String::from_utf8_lossy(input);
        assert_eq!(r.is_ok(), w.is_ok(), "{shown:?}: {r:?} vs {w:?}");
        // A plain string is given as text exactly when the message is UTF-8 (and
        // small enough to be checked whole); the reference gives its bytes.
        let checked = std::str::from_utf8(input).is_ok()
            && input.len() <= WHOLE_CHECK_BYTES_PER_SLOT * fast.slots();
        for v in &mut got {
            match *v {
                Raw::Text(t) => {
                    assert!(checked, "{shown:?}: text of an unchecked message");
                    *v = Raw::Str {
                        raw: t.as_bytes(),
                        escaped: false,
                    };
                }
                Raw::Str { escaped, .. } => {
                    assert!(escaped || !checked, "{shown:?}: bytes of a checked message")
                }
                _ => {}
            }
        }
        assert_eq!(got, want, "{shown:?}");
        if let Err(e) = r {
            assert!(e.at <= input.len(), "{shown:?}: {e}");
        }
        r.map(|()| got).map_err(|_| ())
    }

    fn text(r: &Raw<'_>) -> Option<String> {
        r.json_value_blink().map(Cow::into_owned)
    }

    #[test]
    fn whitespace_anywhere_gives_the_same_values() {
        let template = r#"~{~"a"~:~{~"b"~:~"x"~,~"n"~:~-1.5e3~,~"l"~:~[~1~,~{~"c"~:~null~}~,~[~]~,~{~}~]~}~,~"t"~:~true~,~"s"~:~[~"y"~,~false~]~}~"#;
        let paths: &[(&str, &[usize])] = &[
            ("$.a.b", &[]),
            ("$.a.n", &[]),
            ("$.a.l[1].c", &[]),
            ("$.a.l[2]", &[]),
            ("$.t", &[]),
            ("$.s[1]", &[]),
            ("$.a.l[3]", &[]),
        ];
        let compact = check(paths, template.replace('~', "").as_bytes()).unwrap();
        // Objects' and arrays' texts keep their whitespace: compare them without it.
        let compact_text = |r: &Raw<'_>| text(r).map(|t| t.split_whitespace().collect::<String>());
        let shown: Vec<_> = compact.iter().map(compact_text).collect();
        assert_eq!(
            shown,
            [
                Some("x".into()),
                Some("-1.5e3".into()),
                None,
                Some("[]".into()),
                Some("true".into()),
                Some("false".into()),
                Some("{}".into())
            ]
        );
        for ws in [" ", "\n", "\t\t", "\r\n  ", " \n\t\r "] {
            let got = check(paths, template.replace('~', ws).as_bytes()).unwrap();
            assert_eq!(
                got.iter().map(compact_text).collect::<Vec<_>>(),
                shown,
                "{ws:?}"
            );
        }
        // Whitespace only in some places (speculation and skipping see both).
        for k in 0..template.matches('~').count() {
            let mut input = String::new();
            for (j, part) in template.split('~').enumerate() {
                if j > 0 {
                    input.push_str(if j == k + 1 { " \n" } else { "" });
                }
                input.push_str(part);
            }
            let got = check(paths, input.as_bytes()).unwrap();
            assert_eq!(
                got.iter().map(compact_text).collect::<Vec<_>>(),
                shown,
                "{input}"
            );
        }
        // Form feed and vertical tab are not JSON whitespace.
        for bad in ["{\x0c\"a\":1}", "{\"a\":1}\x0b", "\x00{\"a\":1}"] {
            assert!(check(&[("$.a", &[])], bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fields_in_any_order_and_leaves_of_every_kind() {
        let paths: &[(&str, &[usize])] = &[
            ("$.s", &[]),
            ("$.n", &[]),
            ("$.o", &[]),
            ("$.a", &[]),
            ("$.t", &[]),
            ("$.z", &[]),
            ("$.d.x", &[]),
            ("$.d.y", &[]),
        ];
        let shown = |input: &str| {
            check(paths, input.as_bytes())
                .map(|v| v.iter().map(text).collect::<Vec<_>>())
                .unwrap()
        };
        let all = [
            Some("v".to_string()),
            Some("-2.5E-3".into()),
            Some(r#"{"k":[1]}"#.into()),
            Some("[{},2]".into()),
            Some("false".into()),
            None,
            Some("1".into()),
            Some("2".into()),
        ];
        // In the order of the paths, reversed, shuffled, with unknown keys between
        // and with keys missing.
        for input in [
            r#"{"s":"v","n":-2.5E-3,"o":{"k":[1]},"a":[{},2],"t":false,"z":null,"d":{"x":1,"y":2}}"#,
            r#"{"d":{"y":2,"x":1},"z":null,"t":false,"a":[{},2],"o":{"k":[1]},"n":-2.5E-3,"s":"v"}"#,
            r#"{"t":false,"u":1,"s":"v","d":{"q":[],"x":1,"y":2,"w":"x"},"a":[{},2],"n":-2.5E-3,"v":{"s":0},"o":{"k":[1]},"z":null}"#,
        ] {
            assert_eq!(shown(input), all, "{input}");
        }
        let v = shown(r#"{"d":{"y":2},"n":1}"#);
        assert_eq!(
            v,
            [
                None,
                Some("1".into()),
                None,
                None,
                None,
                None,
                None,
                Some("2".into())
            ]
        );
        // A value of another kind than last time, and empty objects.
        assert_eq!(
            shown(r#"{"s":7,"n":"7"}"#)[..2],
            [Some("7".into()), Some("7".into())]
        );
        assert_eq!(
            shown("{}"),
            [None, None, None, None, None, None, None, None]
        );
        assert_eq!(
            shown(r#"{"d":{}}"#),
            [None, None, None, None, None, None, None, None]
        );
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let deep = 200_000;
        let input = format!(
            r#"{{"skip":{}{},"a":1}}"#,
            "[".repeat(deep),
            "]".repeat(deep)
        );
        // (Only the scanner: the recursive reference would overflow the stack.)
        let mut p = JsonPaths::default();
        p.add(&parse_path("$.a").unwrap());
        let mut got = [Raw::Missing];
        p.scan(input.as_bytes(), &mut got).unwrap();
        assert_eq!(text(&got[0]).as_deref(), Some("1"));
        // Unbalanced at depth: an error, not a crash.
        let bad = format!(
            r#"{{"skip":{}{},"a":1}}"#,
            "[".repeat(deep),
            "]".repeat(deep - 1)
        );
        assert!(JsonPaths::default().scan(bad.as_bytes(), &mut []).is_err());
        // Objects and arrays mixed across the 64-level words of the bit stack; a wrong
        // closing bracket or separator at any depth is caught.
        for depth in [1, 2, 63, 64, 65, 127, 128, 129, 200] {
            let (mut open, mut close) = (String::new(), String::new());
            for d in 0..depth {
                if d % 3 == 0 {
                    open.push_str(r#"{"k":"#);
                    close.insert(0, '}');
                } else {
                    open.push_str("[0,");
                    close.insert(0, ']');
                }
            }
            let input = format!(r#"{{"skip":{open}1{close},"a":[2]}}"#);
            let got = check(&[("$.a", &[]), ("$.a[0]", &[])], input.as_bytes()).unwrap();
            assert_eq!(text(&got[1]).as_deref(), Some("2"), "{depth}");
            for at in 0..close.len() {
                let mut wrong = close.clone().into_bytes();
                wrong[at] = if wrong[at] == b'}' { b']' } else { b'}' };
                let input = format!(
                    r#"{{"skip":{open}1{},"a":[2]}}"#,
                    String::from_utf8(wrong).unwrap()
                );
                assert!(check(&[("$.a", &[])], input.as_bytes()).is_err(), "{input}");
            }
            let missing = format!(r#"{{"skip":{open}1{},"a":[2]}}"#, &close[1..]);
            assert!(check(&[("$.a", &[])], missing.as_bytes()).is_err());
        }
        // A tracked path into nested arrays.
        let input = format!("{}7{}", "[".repeat(70), "]".repeat(70));
        let path = format!("${}", "[0]".repeat(70));
        let got = check(&[(&path, &[])], input.as_bytes()).unwrap();
        assert_eq!(text(&got[0]).as_deref(), Some("7"));
    }

    #[test]
    fn escaped_keys_are_compared_decoded() {
        let paths: &[(&str, &[usize])] = &[
            ("$.data.x", &[]),
            ("$['a\"b']", &[]),
            ("$['a\\b']", &[]),
            ("$['é']", &[]),
            ("$.a_key_longer_than_sixteen_bytes", &[]),
        ];
        let shown = |input: &str| {
            check(paths, input.as_bytes())
                .map(|v| v.iter().map(text).collect::<Vec<_>>())
                .unwrap()
        };
        let v = shown(
            r#"{"d\u0061ta":{"x":1},"a\"b":2,"a\\b":3,"\u00e9":4,"a_key_longer_than_sixteen_bytes":5}"#,
        );
        assert_eq!(v, ["1", "2", "3", "4", "5"].map(|s| Some(s.into())));
        let v = shown(r#"{"é":4,"data":{"x":1}}"#);
        assert_eq!(v[3].as_deref(), Some("4"));
        // Near misses: same length, differing in the last byte, in the 17th byte,
        // in the closing quote; a key that is a prefix of another.
        let v = shown(
            r#"{"datb":{"x":1},"a_key_longer_than_sixteen_bytez":5,"a_key_longer_than_sixteen_bytess":6,"dat":{"x":7},"data_":{"x":8}}"#,
        );
        assert_eq!(v, [None, None, None, None, None]);
        // Keys whose quoted form fills the 16 compared bytes exactly, or one more.
        for key in ["fifteen_bytes_k", "sixteen_bytes_ky"] {
            let paths: &[(&str, &[usize])] = &[(&format!("$.{key}"), &[])];
            for (input, want) in [
                (format!(r#"{{"{key}":1,"b":2}}"#), Some("1")),
                (format!(r#"{{"{key}z":1,"b":2}}"#), None),
                (format!(r#"{{"{}":1,"b":2}}"#, &key[1..]), None),
                (format!(r#"{{"{key}":1}}"#), Some("1")),
            ] {
                let got = check(paths, input.as_bytes()).unwrap();
                assert_eq!(text(&got[0]).as_deref(), want, "{input}");
            }
        }
        // A raw `"` or control character in a key is invalid JSON even where the
        // path's key holds one (and is the one expected next).
        assert!(check(paths, br#"{"a"b":2}"#).is_err());
        assert!(check(paths, b"{\"a\x01b\":2}").is_err());
        for key in ["a\"b", "a\u{1}b", "a\nb"] {
            let path = format!("$['{key}']");
            let paths: &[(&str, &[usize])] = &[(&path, &[])];
            assert!(check(paths, format!(r#"{{"{key}":2}}"#).as_bytes()).is_err());
            assert!(check(paths, format!(r#"{{"x":1,"{key}":2}}"#).as_bytes()).is_err());
            let escaped = key.replace('"', "\\\"").replace('\u{1}', "\\u0001");
            let escaped = escaped.replace('\n', "\\n");
            let got = check(paths, format!(r#"{{"{escaped}":2}}"#).as_bytes()).unwrap();
            assert_eq!(text(&got[0]).as_deref(), Some("2"), "{escaped}");
        }
        // Keys ending the input, within 16 bytes of its end.
        assert!(check(paths, br#"{"data"#).is_err());
        assert!(check(paths, br#"{"data":"#).is_err());
        assert!(check(paths, br#"{"data""#).is_err());
        let v = shown(r#"{"data":{"x":9}}"#);
        assert_eq!(v[0].as_deref(), Some("9"));
        // Duplicate keys: the last one wins, escaped or not, on a path or past it.
        let v = shown(r#"{"data":{"x":1,"x":2},"d\u0061ta":{"y":0},"\u00e9":1,"é":2}"#);
        assert_eq!(v[0].as_deref(), Some("2"));
        assert_eq!(v[3].as_deref(), Some("2"));
    }

    #[test]
    fn numbers_are_validated_where_tracked_and_where_skipped() {
        for good in [
            "0",
            "-0",
            "7",
            "-0.5e+10",
            "1E5",
            "1e-3",
            "12.25",
            "123456789012345678901234",
            "0.0",
            "2E+0",
        ] {
            for input in [
                format!(r#"{{"n":{good}}}"#),
                format!(r#"{{"s":{good},"n":1}}"#),
                format!(r#"{{"s":[{good},{good}],"n":{good}}}"#),
                good.to_string(),
            ] {
                check(&[("$.n", &[])], input.as_bytes()).unwrap();
            }
            let got = check(&[("$.n", &[])], format!(r#"{{"n":{good}}}"#).as_bytes());
            assert_eq!(text(&got.unwrap()[0]).as_deref(), Some(good));
        }
        for bad in [
            "-", "1.", ".5", "1e", "1e+", "+1", "--1", "1.e5", "-a", "1.5.3", "1e5e5", "0x1", "1-",
            "Infinity", "NaN", "01", "-012", "00.5",
        ] {
            for input in [
                format!(r#"{{"n":{bad}}}"#),
                format!(r#"{{"s":{bad},"n":1}}"#),
                format!(r#"{{"s":[1,{bad}],"n":1}}"#),
                bad.to_string(),
            ] {
                assert!(check(&[("$.n", &[])], input.as_bytes()).is_err(), "{input}");
            }
        }
    }

    #[test]
    fn invalid_json_is_caught_where_tracked_and_where_skipped() {
        for bad in [
            "tru",
            "nul",
            "fals",
            "truex",
            r#""\q""#,
            r#""\u12g4""#,
            r#""\u12""#,
            "\"x\x01\"",
            "\"x\n\"",
            "\"x\x1f\"",
            r#""unterminated"#,
            r#""ends in backslash\"#,
            "[1,]",
            "[1 2]",
            "[,1]",
            "[1,,2]",
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            "{,}",
            r#"{"a":1 "b":2}"#,
            r#"{"a"::1}"#,
            "[1}",
            r#"{"a":1]"#,
            "{1:2}",
            "{'a':1}",
            r#"{"a"}"#,
            r#"{"a":}"#,
            "[",
            "{",
            "]",
            "}",
            ":",
            ",",
            "x",
        ] {
            let paths: &[(&str, &[usize])] = &[("$.t", &[]), ("$.t.a", &[]), ("$.k", &[])];
            for input in [
                format!(r#"{{"k":1,"t":{bad}}}"#),
                format!(r#"{{"k":1,"s":{bad}}}"#),
                format!(r#"{{"k":1,"s":{{"x":[0,{bad}]}}}}"#),
                format!(r#"{{"k":1,"t":[{bad}]}}"#),
                format!(r#"{{"k":1,"t":{{"b":{bad}}}}}"#),
                format!(r#"{{"k":1,"t":{{"a":{bad}}}}}"#),
                format!(r#"{{"k":1,"t":{{"a":1,"b":2}}}}{bad}"#),
                format!(r#"[{bad}]"#),
            ] {
                assert!(check(paths, input.as_bytes()).is_err(), "{input}");
            }
        }
    }

    #[test]
    fn strings_of_every_length_and_shape() {
        for len in 0..40 {
            let body: String = (0..len).map(|k| (b'a' + (k % 26) as u8) as char).collect();
            for input in [
                format!(r#""{body}""#),
                format!(r#"{{"s":"{body}","k":"{body}"}}"#),
                format!(r#"["{body}"]"#),
            ] {
                let got = check(&[("$", &[]), ("$.s", &[]), ("$[0]", &[])], input.as_bytes());
                assert!(got.is_ok(), "{input}");
                // Unterminated at every length, also when the input ends mid-word.
                let cut = &input.as_bytes()[..input.len() - 1];
                assert!(check(&[("$", &[])], cut).is_err());
            }
            // An escape, a control character, a quote, a non-ASCII byte at each offset.
            for at in 0..=len {
                let (a, b) = body.split_at(at);
                for (mid, ok) in [
                    ("\\n", true),
                    ("\\u00e9", true),
                    ("\\\"", true),
                    ("\\\\", true),
                    ("é", true),
                    ("\u{7f}", true),
                    ("\\x", false),
                    ("\\u00g9", false),
                    ("\t", false),
                    ("\x00", false),
                    ("\"", false),
                ] {
                    let input = format!(r#"{{"s":"{a}{mid}{b}","k":"{a}{mid}{b}"}}"#);
                    let got = check(&[("$.s", &[])], input.as_bytes());
                    assert_eq!(got.is_ok(), ok, "{input:?}");
                    if ok {
                        let want = format!("{a}{}{b}", unescape(mid.as_bytes(), true));
                        assert_eq!(text(&got.unwrap()[0]).as_deref(), Some(&*want));
                    }
                }
            }
        }
    }

    /// xorshift64*: a fixed, dependency-free stream of test cases.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        }

        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.below(from.len())]
        }
    }

    fn generate(r: &mut Rng, depth: usize, out: &mut String) {
        const KEYS: &[&str] = &[
            "a",
            "b",
            "c",
            "ab",
            "a\\u0062",
            "k e",
            "a\\\"b",
            "a_key_longer_than_sixteen_bytes",
            "\\u00e9",
            "é",
            "",
        ];
        const STRINGS: &[&str] = &[
            "\"\"",
            "\"x\"",
            "\"hello world\"",
            "\"esc\\n\\\"q\"",
            "\"\\ud83d\\ude00\"",
            "\"12345678901234567\"",
            "\"é\"",
        ];
        const NUMBERS: &[&str] = &["0", "-1", "3.25", "-0.5e+10", "1E5", "98765432109876543210"];
        const WS: &[&str] = &["", "", "", "", " ", "\n  ", "\t", "\r\n"];
        out.push_str(r.pick(WS));
        match r.below(if depth > 4 { 4 } else { 8 }) {
            0 => out.push_str(r.pick(STRINGS)),
            1 => out.push_str(r.pick(NUMBERS)),
            2 => out.push_str(r.pick(&["true", "false", "null"])),
            3 => {
                out.push('"');
                out.push_str(r.pick(KEYS));
                out.push('"');
            }
            4..=5 => {
                out.push('{');
                for k in 0..r.below(5) {
                    if k > 0 {
                        out.push(',');
                    }
                    out.push_str(r.pick(WS));
                    out.push('"');
                    out.push_str(r.pick(KEYS));
                    out.push('"');
                    out.push_str(r.pick(WS));
                    out.push(':');
                    generate(r, depth + 1, out);
                }
                out.push_str(r.pick(WS));
                out.push('}');
            }
            _ => {
                out.push('[');
                for k in 0..r.below(4) {
                    if k > 0 {
                        out.push(',');
                    }
                    generate(r, depth + 1, out);
                }
                out.push_str(r.pick(WS));
                out.push(']');
            }
        }
        out.push_str(r.pick(WS));
    }

    #[test]
    fn agrees_with_the_reference_on_generated_and_broken_inputs() {
        let sets: &[&[(&str, &[usize])]] = &[
            &[
                ("$.a", &[]),
                ("$.b", &[]),
                ("$.a.b", &[]),
                ("$.a[0]", &[]),
                ("$.a[1].c", &[]),
                ("$['k e']", &[]),
                ("$.ab", &[]),
                ("$.c.a", &[]),
            ],
            &[
                ("$", &[]),
                ("$.b[0][1]", &[]),
                ("$['a\"b']", &[]),
                ("$.a_key_longer_than_sixteen_bytes.a", &[]),
                ("$['é']", &[]),
                ("$['']", &[]),
            ],
            &[
                ("$.a.b", &[0]),
                ("$.b[0].a", &[1]),
                ("$.b", &[]),
                ("$.c.c", &[]),
            ],
            &[
                ("$.a.a.a.a", &[]),
                ("$.c", &[]),
                ("$[1]", &[]),
                ("$[0].a", &[]),
            ],
            &[],
        ];
        const NOISE: &[u8] = b"{}[]\":,\\ 0123456789eE.+-tfnulsa\x01\x80";
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut ok, mut bad) = (0, 0);
        for _ in 0..20_000 {
            let mut doc = String::new();
            generate(&mut r, 0, &mut doc);
            let mut input = doc.into_bytes();
            // Half the inputs are broken by a few random edits.
            if r.below(2) == 0 {
                for _ in 0..1 + r.below(3) {
                    let at = r.below(input.len() + 1);
                    let noise = NOISE[r.below(NOISE.len())];
                    match r.below(4) {
                        0 if at < input.len() => {
                            input.remove(at);
                        }
                        1 if at < input.len() => input[at] = noise,
                        2 => input.truncate(at),
                        _ => input.insert(at, noise),
                    }
                }
            }
            for paths in sets {
                match check(paths, &input) {
                    Ok(_) => ok += 1,
                    Err(()) => bad += 1,
                }
            }
        }
        // Both kinds are well represented.
        assert!(ok > 30_000 && bad > 30_000, "{ok} valid, {bad} invalid");
    }
}

/// The scanner this module had before it was tuned, kept as the reference the fast one
/// must agree with (minus its field-order speculation, which only affects speed — and
/// which let a path key holding `"` match unescaped input).
#[cfg(test)]
mod reference {
    use super::{JsonError, Raw, Step, unescape};

    struct Node {
        key: Step,
        slot: Option<u16>,
        children: Vec<u16>,
        enter: bool,
    }

    pub struct Paths {
        nodes: Vec<Node>,
        slots: usize,
    }

    impl Paths {
        pub fn new() -> Paths {
            Paths {
                nodes: vec![Node {
                    key: Step::Key(String::new()),
                    slot: None,
                    children: Vec::new(),
                    enter: true,
                }],
                slots: 0,
            }
        }

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

    struct Scanner<'a> {
        b: &'a [u8],
        pos: usize,
    }

    impl<'a> Scanner<'a> {
        fn err(&self, what: &'static str) -> JsonError {
            JsonError { at: self.pos, what }
        }

        fn ws(&mut self) {
            while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.pos) {
                self.pos += 1;
            }
        }

        fn peek(&self) -> Option<u8> {
            self.b.get(self.pos).copied()
        }

        fn value(
            &mut self,
            paths: &Paths,
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
                Some(b'-' | b'0'..=b'9') => {
                    Raw::Number(std::str::from_utf8(self.number()?).expect("ASCII digits"))
                }
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
            let first = self.pos;
            if !digits(self) || (self.b[first] == b'0' && self.pos > first + 1) {
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

        fn string(&mut self) -> Result<(&'a [u8], bool), JsonError> {
            self.pos += 1;
            let start = self.pos;
            let mut escaped = false;
            loop {
                let Some(c) = self.peek() else {
                    return Err(self.err("unterminated string"));
                };
                match c {
                    b'"' => {
                        self.pos += 1;
                        return Ok((&self.b[start..self.pos - 1], escaped));
                    }
                    b'\\' => {
                        escaped = true;
                        match self.b.get(self.pos + 1) {
                            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                                self.pos += 2
                            }
                            Some(b'u')
                                if self
                                    .b
                                    .get(self.pos + 2..self.pos + 6)
                                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                            {
                                self.pos += 6
                            }
                            _ => return Err(self.err("invalid escape")),
                        }
                    }
                    0..0x20 => return Err(self.err("control character in string")),
                    _ => self.pos += 1,
                }
            }
        }

        fn object(
            &mut self,
            paths: &Paths,
            node: Option<&Node>,
            out: &mut [Raw<'a>],
        ) -> Result<(), JsonError> {
            self.pos += 1;
            self.ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(());
            }
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.err("expected a key"));
                }
                let (key, escaped) = self.string()?;
                let child = node.and_then(|n| {
                    n.children
                        .iter()
                        .map(|c| *c as usize)
                        .find(|c| match &paths.nodes[*c].key {
                            Step::Key(k) if escaped => unescape(key, true) == k.as_str(),
                            Step::Key(k) => k.as_bytes() == key,
                            Step::Index(_) => false,
                        })
                });
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
            paths: &Paths,
            node: Option<&Node>,
            out: &mut [Raw<'a>],
        ) -> Result<(), JsonError> {
            self.pos += 1;
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
}
