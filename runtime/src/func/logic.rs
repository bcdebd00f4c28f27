//! SQL three-valued logic: `NULL` is "unknown".
//!
//! In: nullable booleans. Out: the SQL result. `WHERE`, `HAVING`, `ON` and `CASE WHEN`
//! keep a row only when the condition is TRUE: use [`is_true`].

/// `a AND b`: FALSE if either is FALSE, else NULL if either is NULL, else TRUE.
///
/// ```
/// use streamsql_runtime::func::logic::and3;
/// assert_eq!(and3(None, Some(false)), Some(false));
/// assert_eq!(and3(None, Some(true)), None);
/// ```
#[inline]
pub fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// `a OR b`: TRUE if either is TRUE, else NULL if either is NULL, else FALSE.
///
/// ```
/// use streamsql_runtime::func::logic::or3;
/// assert_eq!(or3(None, Some(true)), Some(true));
/// assert_eq!(or3(None, Some(false)), None);
/// ```
#[inline]
pub fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// `NOT a`: NULL stays NULL.
#[inline]
pub fn not3(a: Option<bool>) -> Option<bool> {
    a.map(|v| !v)
}

/// `a IS TRUE`: what `WHERE a` keeps (NULL and FALSE drop the row).
#[inline]
pub fn is_true(a: Option<bool>) -> bool {
    a == Some(true)
}

/// `a IS FALSE`.
#[inline]
pub fn is_false(a: Option<bool>) -> bool {
    a == Some(false)
}

/// `a IS NOT TRUE` (FALSE or NULL).
#[inline]
pub fn is_not_true(a: Option<bool>) -> bool {
    a != Some(true)
}

/// `a IS NOT FALSE` (TRUE or NULL).
#[inline]
pub fn is_not_false(a: Option<bool>) -> bool {
    a != Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Option<bool>; 3] = [Some(true), Some(false), None];

    #[test]
    fn truth_tables() {
        // SQL:2016 truth tables, rows a, columns b (TRUE, FALSE, NULL).
        let and = [
            [Some(true), Some(false), None],
            [Some(false), Some(false), Some(false)],
            [None, Some(false), None],
        ];
        let or = [
            [Some(true), Some(true), Some(true)],
            [Some(true), Some(false), None],
            [Some(true), None, None],
        ];
        for (i, a) in ALL.iter().enumerate() {
            for (j, b) in ALL.iter().enumerate() {
                assert_eq!(and3(*a, *b), and[i][j], "{a:?} AND {b:?}");
                assert_eq!(or3(*a, *b), or[i][j], "{a:?} OR {b:?}");
            }
        }
        assert_eq!(not3(None), None);
        assert_eq!(not3(Some(true)), Some(false));
    }

    #[test]
    fn where_keeps_only_true() {
        assert!(is_true(Some(true)));
        assert!(!is_true(Some(false)));
        assert!(!is_true(None));
        assert!(is_false(Some(false)) && !is_false(None));
        assert!(is_not_true(None) && is_not_true(Some(false)) && !is_not_true(Some(true)));
        assert!(is_not_false(None) && !is_not_false(Some(false)));
    }
}
