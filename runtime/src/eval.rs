//! Small generic helpers the generated expressions call: NULL-propagating comparison
//! and `IN`, and the conversions of JSON slots into typed values. (SQL's functions and
//! three-valued logic are in [`crate::func`].)
//!
//! In/out: `Option<T>` values (NULL is `None`). Everything here is `#[inline]` and
//! generic over the value type, so the generated code stays short and specialised.

use crate::json::Raw;
use std::borrow::Cow;
use std::cmp::Ordering;

/// A NULL-propagating comparison: `None` if either side is NULL.
#[inline]
pub fn compare<T: PartialOrd + ?Sized>(
    a: Option<&T>,
    b: Option<&T>,
    want: fn(Ordering) -> bool,
) -> Option<bool> {
    match (a, b) {
        (Some(x), Some(y)) => x.partial_cmp(y).map(want),
        _ => None,
    }
}

/// String `=`: lengths first, then bytes, inline (filters compare short strings to
/// literals, where a `memcmp` call costs more than the comparison).
#[inline]
pub fn str_eq(a: Option<&str>, b: Option<&str>) -> Option<bool> {
    let (a, b) = (a?.as_bytes(), b?.as_bytes());
    Some(a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y))
}

/// `x IN (a, b, ...)`: TRUE if equal to one, else NULL if any side is NULL, else FALSE.
#[inline]
pub fn in_list<T: PartialEq + ?Sized>(x: Option<&T>, list: &[Option<&T>]) -> Option<bool> {
    let x = x?;
    let mut saw_null = false;
    for v in list {
        match v {
            Some(v) if *v == x => return Some(true),
            Some(_) => {}
            None => saw_null = true,
        }
    }
    if saw_null { None } else { Some(false) }
}

/// A JSON slot as a STRING column of a `format = 'json'` table: a string's text, a
/// number's or boolean's text, an object's or array's JSON text (as Flink's json
/// format reads a non-string into a STRING field).
#[inline]
pub fn json_field_text<'a>(raw: &Raw<'a>) -> Option<Cow<'a, str>> {
    match *raw {
        // The common case, kept inline: a plain string or a number.
        Raw::Text(t) | Raw::Number(t) => Some(Cow::Borrowed(t)),
        _ => raw.json_value_blink(),
    }
}

/// A JSON slot as an integer column: a number, or a string holding one (trimmed).
#[inline]
pub fn json_field_i64(raw: &Raw<'_>) -> Option<i64> {
    match raw {
        Raw::Number(n) => n.parse().ok(),
        Raw::Str { .. } | Raw::Text(_) => raw.json_value()?.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON slot as a DOUBLE column.
#[inline]
pub fn json_field_f64(raw: &Raw<'_>) -> Option<f64> {
    match raw {
        Raw::Number(n) => n.parse().ok(),
        Raw::Str { .. } | Raw::Text(_) => raw.json_value()?.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON slot as a BOOLEAN column.
#[inline]
pub fn json_field_bool(raw: &Raw<'_>) -> Option<bool> {
    match raw {
        Raw::Bool(b) => Some(*b),
        Raw::Str { .. } | Raw::Text(_) => {
            match raw.json_value()?.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A fused `JSON_VALUE` chain over a source's scan slots (generated as a constant):
/// the leaf slot if the scan reached it; otherwise, if a boundary of the chain held a
/// *string* (JSON text inside a string, which the one-pass scan does not enter), the
/// rest of the path evaluated on that text.
///
/// ```
/// use streamsql_runtime::eval::FusedPath;
/// use streamsql_runtime::json::{JsonPaths, Raw, parse_path};
/// let mut paths = JsonPaths::default();
/// let leaf = paths.add(&parse_path("$.data.msgid").unwrap());
/// let data = paths.add(&parse_path("$.data").unwrap());
/// const BOUNDS: &[(usize, &str)] = &[(1, "$.msgid")];
/// let msgid = FusedPath { leaf: 0, boundaries: BOUNDS, blink: true };
/// let mut slots = [Raw::Missing; 2];
/// paths.scan(br#"{"data":{"msgid":"305"}}"#, &mut slots).unwrap();
/// assert_eq!(msgid.get(&slots).as_deref(), Some("305"));
/// // Blink sources often carry the inner JSON as a string:
/// paths.scan(br#"{"data":"{\"msgid\":\"306\"}"}"#, &mut slots).unwrap();
/// assert_eq!(msgid.get(&slots).as_deref(), Some("306"));
/// # let _ = (leaf, data);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FusedPath {
    pub leaf: usize,
    /// (boundary slot, path after it), deepest first.
    pub boundaries: &'static [(usize, &'static str)],
    /// Blink's `JSON_VALUE` (an object gives its text) rather than Flink's (NULL).
    pub blink: bool,
}

impl FusedPath {
    #[inline]
    pub fn get<'a>(&self, slots: &[Raw<'a>]) -> Option<Cow<'a, str>> {
        match slots[self.leaf] {
            // The common cases, kept inline: a plain string value or a number.
            Raw::Text(t) | Raw::Number(t) => Some(Cow::Borrowed(t)),
            Raw::Str {
                raw,
                escaped: false,
            } => Some(match std::str::from_utf8(raw) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(raw),
            }),
            _ => self.get_slow(slots),
        }
    }

    #[inline(never)]
    fn get_slow<'a>(&self, slots: &[Raw<'a>]) -> Option<Cow<'a, str>> {
        let v = &slots[self.leaf];
        if *v != Raw::Missing {
            return if self.blink {
                v.json_value_blink()
            } else {
                v.json_value()
            };
        }
        for (slot, rest) in self.boundaries {
            let text = match slots[*slot] {
                Raw::Str { raw, escaped } => Some(crate::json::unescape(raw, escaped)),
                Raw::Text(t) => Some(Cow::Borrowed(t)),
                _ => None,
            };
            if let Some(text) = text {
                return crate::json::json_value(&text, rest, self.blink).map(Cow::Owned);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_propagation() {
        assert_eq!(in_list(Some("a"), &[Some("b"), None]), None);
        assert_eq!(in_list(Some("a"), &[Some("b"), Some("a")]), Some(true));
        assert_eq!(in_list(Some("a"), &[Some("b")]), Some(false));
        assert_eq!(compare(Some("a"), None, Ordering::is_lt), None);
        assert_eq!(compare(Some(&1), Some(&2), Ordering::is_lt), Some(true));
        assert_eq!(str_eq(Some("305"), Some("305")), Some(true));
        assert_eq!(str_eq(Some("305"), Some("30")), Some(false));
        assert_eq!(str_eq(None, Some("30")), None);
    }
}
