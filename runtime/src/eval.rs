//! Small generic helpers the generated expressions call: SQL's three-valued logic,
//! NULL-propagating comparison, and the conversions of JSON slots into typed values.
//!
//! In/out: `Option<T>` values (NULL is `None`). Everything here is `#[inline]` and
//! generic over the value type, so the generated code stays short and specialised.

use crate::json::Raw;
use std::borrow::Cow;
use std::cmp::Ordering;

/// `a AND b` with SQL's three-valued logic (FALSE wins over NULL).
#[inline]
pub fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// `a OR b` with SQL's three-valued logic (TRUE wins over NULL).
#[inline]
pub fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

#[inline]
pub fn not3(a: Option<bool>) -> Option<bool> {
    a.map(|b| !b)
}

/// WHERE, HAVING and CASE WHEN keep a row only when the condition is TRUE.
#[inline]
pub fn is_true(a: Option<bool>) -> bool {
    a == Some(true)
}

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
    raw.json_value_blink()
}

/// A JSON slot as an integer column: a number, or a string holding one (trimmed).
#[inline]
pub fn json_field_i64(raw: &Raw<'_>) -> Option<i64> {
    match raw {
        Raw::Number(n) => std::str::from_utf8(n).ok()?.parse().ok(),
        Raw::Str { .. } => raw.json_value()?.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON slot as a DOUBLE column.
#[inline]
pub fn json_field_f64(raw: &Raw<'_>) -> Option<f64> {
    match raw {
        Raw::Number(n) => std::str::from_utf8(n).ok()?.parse().ok(),
        Raw::Str { .. } => raw.json_value()?.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON slot as a BOOLEAN column.
#[inline]
pub fn json_field_bool(raw: &Raw<'_>) -> Option<bool> {
    match raw {
        Raw::Bool(b) => Some(*b),
        Raw::Str { .. } => match raw.json_value()?.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A fused `JSON_VALUE` chain: the leaf slot if the scan reached it; otherwise, if a
/// boundary of the chain held a *string* (JSON text inside a string, which the
/// one-pass scan does not enter), the rest of the path evaluated on that text.
/// `boundaries` lists (boundary slot, path after it), deepest first.
pub fn fused_json_value<'a>(
    slots: &[Raw<'a>],
    leaf: usize,
    boundaries: &[(usize, &str)],
    blink: bool,
) -> Option<Cow<'a, str>> {
    let v = &slots[leaf];
    if *v != Raw::Missing {
        return if blink {
            v.json_value_blink()
        } else {
            v.json_value()
        };
    }
    for (slot, rest) in boundaries {
        if let Raw::Str { raw, escaped } = slots[*slot] {
            let text = crate::json::unescape(raw, escaped);
            return crate::json::json_value(&text, rest, blink).map(Cow::Owned);
        }
    }
    None
}

/// `CONCAT(a, b, ...)`: NULL if any argument is NULL (Flink).
#[inline]
pub fn concat(parts: &[Option<&str>]) -> Option<Cow<'static, str>> {
    let mut len = 0;
    for p in parts {
        len += (*p)?.len();
    }
    let mut s = String::with_capacity(len);
    for p in parts.iter().flatten() {
        s.push_str(p);
    }
    Some(Cow::Owned(s))
}

/// `MD5(s)`: lower-case hex of the digest of the UTF-8 bytes.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let d = Md5::digest(bytes);
    let mut s = String::with_capacity(32);
    for b in d {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_valued_logic() {
        let v = [Some(true), Some(false), None];
        for a in v {
            for b in v {
                let and = and3(a, b);
                let or = or3(a, b);
                if a == Some(false) || b == Some(false) {
                    assert_eq!(and, Some(false));
                }
                if a == Some(true) || b == Some(true) {
                    assert_eq!(or, Some(true));
                }
            }
        }
        assert_eq!(and3(Some(true), None), None);
        assert_eq!(or3(Some(false), None), None);
        assert!(!is_true(None));
        assert_eq!(in_list(Some("a"), &[Some("b"), None]), None);
        assert_eq!(in_list(Some("a"), &[Some("b"), Some("a")]), Some(true));
        assert_eq!(compare(Some("a"), None, Ordering::is_lt), None);
        assert_eq!(concat(&[Some("a"), Some("b")]).as_deref(), Some("ab"));
        assert_eq!(concat(&[Some("a"), None]), None);
        assert_eq!(md5_hex(b"9000"), "d5ab8dc7ef67ca92e41d730982c5c602");
    }
}
