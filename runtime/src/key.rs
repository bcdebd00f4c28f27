//! Encoded grouping keys.
//!
//! In: the values of a row's grouping columns, pushed one by one into a reusable
//! [`KeyWriter`]. Out: one byte string per key that is equal exactly when the SQL
//! values are equal (NULL equal to NULL, as `GROUP BY` treats it), so operators can
//! look state up by the borrowed bytes (`&[u8]`) and only allocate an owned [`Key`]
//! when a key is new. [`KeyReader`] reads the fields back when results are emitted.
//!
//! Encoding, per field: a tag byte (0 = NULL, 1 = value), then the value:
//! 1 byte for `bool`, 8 bytes little-endian for `i64` and for `f64` bits, and a u32
//! little-endian length then the bytes for strings and byte strings. Fixed-width
//! fields (`bool`, `i64`, `f64`) are padded with zeros when NULL, so a key made only
//! of them always has the same length and fits a `[u8; N]` key whatever its NULLs.
//! Because every field starts with its tag and variable-width fields carry their
//! length, NULL never collides with a value and a concatenation of fields decodes in
//! exactly one way.
//!
//! [`FastHashMap`] / [`FastHashSet`] use a small deterministic multiply-rotate
//! hasher (the same family as rustc's Fx hash): keys are short and not adversarial,
//! and determinism keeps runs reproducible.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

const NULL: u8 = 0;
const VALUE: u8 = 1;

/// Builds the encoded key of one row, field by field; reused across rows.
///
/// ```
/// use streamsql_runtime::key::{KeyReader, KeyWriter};
/// let mut w = KeyWriter::new();
/// w.push_str(Some("eu"));
/// w.push_i64(None);
/// w.push_f64(Some(-0.0));
/// let mut r = KeyReader::new(w.bytes());
/// assert_eq!(r.str(), Some("eu"));
/// assert_eq!(r.i64(), None);
/// assert!(r.f64().is_some_and(|z| z == 0.0 && z.is_sign_negative()));
/// w.clear();
/// assert!(w.bytes().is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct KeyWriter {
    buf: Vec<u8>,
}

impl KeyWriter {
    /// Encoded width of a `bool` field (NULL included).
    pub const BOOL_WIDTH: usize = 2;
    /// Encoded width of an `i64` field (NULL included).
    pub const I64_WIDTH: usize = 9;
    /// Encoded width of an `f64` field (NULL included).
    pub const F64_WIDTH: usize = 9;

    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets the fields pushed so far, keeping the buffer's capacity.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// The key encoded so far.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    pub fn push_bool(&mut self, v: Option<bool>) {
        match v {
            Some(b) => self.buf.extend_from_slice(&[VALUE, b as u8]),
            None => self.buf.extend_from_slice(&[NULL, 0]),
        }
    }

    /// Every integer type, date and timestamp (the generator widens them to `i64`).
    pub fn push_i64(&mut self, v: Option<i64>) {
        self.push_word(v.map(|v| v.to_le_bytes()));
    }

    /// Every NaN is written as one NaN, so values that SQL
    /// groups together encode the same.
    pub fn push_f64(&mut self, v: Option<f64>) {
        self.push_word(v.map(|v| canonical_f64(v).to_bits().to_le_bytes()));
    }

    pub fn push_str(&mut self, v: Option<&str>) {
        self.push_bytes(v.map(str::as_bytes));
    }

    pub fn push_bytes(&mut self, v: Option<&[u8]>) {
        match v {
            Some(b) => {
                // Longer than u32::MAX cannot come out of a message batch; saturate
                // rather than panic (the key then just compares by its prefix).
                let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
                self.buf.push(VALUE);
                self.buf.extend_from_slice(&len.to_le_bytes());
                self.buf.extend_from_slice(&b[..len as usize]);
            }
            None => self.buf.push(NULL),
        }
    }

    fn push_word(&mut self, v: Option<[u8; 8]>) {
        match v {
            Some(w) => {
                self.buf.push(VALUE);
                self.buf.extend_from_slice(&w);
            }
            None => self.buf.extend_from_slice(&[NULL; 9]),
        }
    }
}

/// One NaN for all NaNs. `-0.0` stays apart from `0.0`: Flink 2.3 groups them as
/// two keys and counts them as two DISTINCT values (it compares their bits).
fn canonical_f64(v: f64) -> f64 {
    if v.is_nan() { f64::NAN } else { v }
}

/// Reads the fields of an encoded key back, in the order they were pushed.
///
/// A malformed or truncated buffer never panics: the missing fields read as NULL.
///
/// ```
/// use streamsql_runtime::key::{KeyReader, KeyWriter};
/// let mut w = KeyWriter::new();
/// w.push_bool(Some(true));
/// w.push_bytes(Some(b"\x00\x01"));
/// let mut r = KeyReader::new(w.bytes());
/// assert_eq!(r.bool(), Some(true));
/// assert_eq!(r.bytes(), Some(&b"\x00\x01"[..]));
/// assert_eq!(r.i64(), None); // past the end
/// ```
#[derive(Clone, Debug)]
pub struct KeyReader<'a> {
    all: &'a [u8],
    rest: &'a [u8],
    /// `all` as text if it is valid UTF-8, checked on the first `str`: one check of
    /// the key instead of one per string field.
    text: Option<Option<&'a str>>,
}

impl<'a> KeyReader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            all: bytes,
            rest: bytes,
            text: None,
        }
    }

    pub fn bool(&mut self) -> Option<bool> {
        let (tag, v) = self.take_fixed::<1>()?;
        (tag == VALUE).then_some(v[0] != 0)
    }

    pub fn i64(&mut self) -> Option<i64> {
        let (tag, v) = self.take_fixed::<8>()?;
        (tag == VALUE).then(|| i64::from_le_bytes(v))
    }

    pub fn f64(&mut self) -> Option<f64> {
        let (tag, v) = self.take_fixed::<8>()?;
        (tag == VALUE).then(|| f64::from_bits(u64::from_le_bytes(v)))
    }

    /// The bytes came from a `&str`; invalid UTF-8 (a corrupted buffer) reads as "".
    pub fn str(&mut self) -> Option<&'a str> {
        let b = self.bytes()?;
        let end = self.all.len() - self.rest.len();
        let all = self.all;
        let whole = *self
            .text
            .get_or_insert_with(|| std::str::from_utf8(all).ok());
        Some(
            whole
                .and_then(|t| t.get(end - b.len()..end))
                .unwrap_or_else(|| std::str::from_utf8(b).unwrap_or_default()),
        )
    }

    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let (&tag, rest) = self.rest.split_first()?;
        if tag != VALUE {
            self.rest = rest;
            return None;
        }
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let Some((v, rest)) = rest.split_at_checked(len) else {
            self.rest = &[];
            return None;
        };
        self.rest = rest;
        Some(v)
    }

    /// Tag and `N` value bytes of a fixed-width field (NULLs are padded too).
    fn take_fixed<const N: usize>(&mut self) -> Option<(u8, [u8; N])> {
        let (&tag, rest) = self.rest.split_first()?;
        let Some((v, rest)) = rest.split_first_chunk::<N>() else {
            self.rest = &[];
            return None;
        };
        self.rest = rest;
        Some((tag, *v))
    }
}

/// An owned encoded key, found in maps by its borrowed bytes.
///
/// `Hash` must agree with `[u8]`'s (the `Borrow` contract): both implementations
/// here hash exactly like the slice.
pub trait Key: Hash + Eq + Borrow<[u8]> + Clone {
    fn from_bytes(b: &[u8]) -> Self;
}

impl Key for Box<[u8]> {
    fn from_bytes(b: &[u8]) -> Self {
        b.into()
    }
}

/// For keys whose fields are all fixed width: no allocation at all.
impl<const N: usize> Key for [u8; N] {
    fn from_bytes(b: &[u8]) -> Self {
        debug_assert_eq!(b.len(), N, "fixed-width key of the wrong length");
        let mut a = [0; N];
        let n = b.len().min(N);
        a[..n].copy_from_slice(&b[..n]);
        a
    }
}

/// A multiply-rotate hasher in the style of rustc's FxHasher: a few cycles per
/// 8 bytes, deterministic across runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher {
    hash: u64,
}

// An odd constant with well-spread bits (the one rustc-hash 2 uses).
const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let (words, tail) = bytes.as_chunks::<8>();
        for w in words {
            self.add(u64::from_le_bytes(*w));
        }
        if !tail.is_empty() {
            let mut w = [0u8; 8];
            w[..tail.len()].copy_from_slice(tail);
            // Slices are length-prefixed by `Hash`, so zero padding is unambiguous.
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves its best bits at the top; hashbrown takes the bucket
        // from the low bits, so rotate them down.
        self.hash.rotate_left(26)
    }
}

pub type FastBuildHasher = BuildHasherDefault<FastHasher>;
pub type FastHashMap<K, V> = HashMap<K, V, FastBuildHasher>;
pub type FastHashSet<K> = HashSet<K, FastBuildHasher>;

/// The hash of an encoded key, as [`FastHashMap`] computes it for `&[u8]`.
pub fn hash_key(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    FastBuildHasher::default().hash_one(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings read back whether the key is text as a whole or not: long strings
    /// (length bytes past ASCII), other characters, NULLs and raw bytes between.
    #[test]
    fn strings_read_back_from_any_key() {
        let long = "é".repeat(100);
        let cases: Vec<Vec<Option<&str>>> = vec![
            vec![Some("a4:5e"), Some(""), None, Some("S009")],
            vec![Some(long.as_str()), Some("x")],
            vec![Some("x"), Some(long.as_str()), Some("日本")],
            vec![None, None],
        ];
        for strs in &cases {
            for raw in [None, Some(&b"\xff\xfe"[..])] {
                let key = enc(|w| {
                    w.push_bytes(raw);
                    for s in strs {
                        w.push_str(*s);
                    }
                });
                let mut r = KeyReader::new(&key);
                assert_eq!(r.bytes(), raw);
                let got: Vec<Option<&str>> = strs.iter().map(|_| r.str()).collect();
                assert_eq!(&got, strs);
            }
        }
    }

    fn enc(f: impl FnOnce(&mut KeyWriter)) -> Vec<u8> {
        let mut w = KeyWriter::new();
        f(&mut w);
        w.bytes().to_vec()
    }

    #[test]
    fn key_null_never_equals_a_value() {
        assert_ne!(enc(|w| w.push_i64(None)), enc(|w| w.push_i64(Some(0))));
        assert_ne!(
            enc(|w| w.push_bool(None)),
            enc(|w| w.push_bool(Some(false)))
        );
        assert_ne!(enc(|w| w.push_f64(None)), enc(|w| w.push_f64(Some(0.0))));
        assert_ne!(enc(|w| w.push_str(None)), enc(|w| w.push_str(Some(""))));
        assert_ne!(
            enc(|w| w.push_bytes(None)),
            enc(|w| w.push_bytes(Some(b"")))
        );
    }

    #[test]
    fn key_concatenations_are_unambiguous() {
        let ab_c = enc(|w| {
            w.push_str(Some("ab"));
            w.push_str(Some("c"));
        });
        let a_bc = enc(|w| {
            w.push_str(Some("a"));
            w.push_str(Some("bc"));
        });
        assert_ne!(ab_c, a_bc);
        let null_then_empty = enc(|w| {
            w.push_str(None);
            w.push_str(Some(""));
        });
        let empty_then_null = enc(|w| {
            w.push_str(Some(""));
            w.push_str(None);
        });
        assert_ne!(null_then_empty, empty_then_null);
        // A string whose bytes look like an encoded i64 is still a string.
        let fake = enc(|w| w.push_bytes(Some(&[1, 7, 0, 0, 0, 0, 0, 0, 0])));
        assert_ne!(fake, enc(|w| w.push_i64(Some(7))));
    }

    #[test]
    fn key_fixed_width_fields_have_fixed_width_with_nulls() {
        assert_eq!(enc(|w| w.push_i64(None)).len(), KeyWriter::I64_WIDTH);
        assert_eq!(enc(|w| w.push_i64(Some(-1))).len(), KeyWriter::I64_WIDTH);
        assert_eq!(enc(|w| w.push_f64(None)).len(), KeyWriter::F64_WIDTH);
        assert_eq!(enc(|w| w.push_bool(None)).len(), KeyWriter::BOOL_WIDTH);
        assert_eq!(
            enc(|w| w.push_bool(Some(true))).len(),
            KeyWriter::BOOL_WIDTH
        );
    }

    #[test]
    fn key_f64_normalised() {
        assert_ne!(
            enc(|w| w.push_f64(Some(-0.0))),
            enc(|w| w.push_f64(Some(0.0))),
            "two keys in Flink"
        );
        let other_nan = f64::from_bits(0x7ff8_dead_beef_0001);
        assert!(other_nan.is_nan());
        assert_eq!(
            enc(|w| w.push_f64(Some(other_nan))),
            enc(|w| w.push_f64(Some(-f64::NAN)))
        );
        assert_ne!(
            enc(|w| w.push_f64(Some(1.0))),
            enc(|w| w.push_f64(Some(-1.0)))
        );
    }

    #[test]
    fn key_round_trip() {
        let bytes = enc(|w| {
            w.push_bool(Some(false));
            w.push_bool(None);
            w.push_i64(Some(i64::MIN));
            w.push_i64(None);
            w.push_f64(Some(2.5));
            w.push_f64(None);
            w.push_str(Some("héllo"));
            w.push_str(None);
            w.push_bytes(Some(&[0, 255]));
        });
        let mut r = KeyReader::new(&bytes);
        assert_eq!(r.bool(), Some(false));
        assert_eq!(r.bool(), None);
        assert_eq!(r.i64(), Some(i64::MIN));
        assert_eq!(r.i64(), None);
        assert_eq!(r.f64(), Some(2.5));
        assert_eq!(r.f64(), None);
        assert_eq!(r.str(), Some("héllo"));
        assert_eq!(r.str(), None);
        assert_eq!(r.bytes(), Some(&[0u8, 255][..]));
        assert_eq!(r.bytes(), None);
    }

    #[test]
    fn key_reader_never_panics_on_garbage() {
        let bytes = enc(|w| {
            w.push_str(Some("abcdef"));
            w.push_i64(Some(5));
        });
        for cut in 0..bytes.len() {
            let mut r = KeyReader::new(&bytes[..cut]);
            let _ = r.str();
            let _ = r.i64();
            let _ = r.f64();
            let _ = r.bool();
            let _ = r.bytes();
        }
        // A length pointing past the end, and invalid UTF-8.
        let mut r = KeyReader::new(&[1, 255, 255, 255, 255, b'x']);
        assert_eq!(r.str(), None);
        let mut r = KeyReader::new(&[1, 2, 0, 0, 0, 0xff, 0xfe]);
        assert_eq!(r.str(), Some(""));
    }

    #[test]
    fn key_array_found_by_borrowed_slice() {
        let bytes = enc(|w| {
            w.push_i64(Some(42));
            w.push_bool(None);
        });
        let mut m: FastHashMap<[u8; 11], u32> = FastHashMap::default();
        m.insert(<[u8; 11]>::from_bytes(&bytes), 7);
        assert_eq!(m.get(&bytes[..]), Some(&7));
        let other = enc(|w| {
            w.push_i64(Some(43));
            w.push_bool(None);
        });
        assert_eq!(m.get(&other[..]), None);

        let mut b: FastHashMap<Box<[u8]>, u32> = FastHashMap::default();
        b.insert(Box::from_bytes(&bytes), 8);
        assert_eq!(b.get(&bytes[..]), Some(&8));
        assert_eq!(hash_key(&bytes), {
            use std::hash::BuildHasher;
            FastBuildHasher::default().hash_one(<[u8; 11]>::from_bytes(&bytes))
        });
    }

    #[test]
    fn key_hasher_spreads_small_keys() {
        // Low bits pick hashbrown's bucket: consecutive integers must not collide there.
        let mut low = FastHashSet::default();
        for i in 0..1024 {
            let k = enc(|w| w.push_i64(Some(i)));
            low.insert(hash_key(&k) & 0xfff);
        }
        assert!(low.len() > 600, "{} distinct low-bit patterns", low.len());
    }
}
