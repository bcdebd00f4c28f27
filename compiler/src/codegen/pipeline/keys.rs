//! Operator state in generated code: encoded keys and owned values.
//!
//! In: the representations of key columns and of values an operator keeps. Out: the
//! tokens that encode a key into a `runtime::key::KeyWriter` (and read it back), the
//! type of an owned key in a state map (inline `[u8; N]` when fixed-width, else boxed),
//! and conversions between a row's borrowed locals and owned values in state.

use super::*;

/// The local holding column `e`, when `e` is a plain column computed into one.
pub(super) fn in_place<'c>(e: &Expr, cols: &'c [Option<Local>]) -> Option<&'c Ident> {
    match e {
        Expr::Column { index, .. } => cols
            .get(*index)
            .and_then(|c| c.as_ref())
            .filter(|l| l.direct.is_none())
            .map(|l| &l.ident),
        _ => None,
    }
}

/// Bytes an encoded key field takes when fixed (`None`: variable, strings and bytes).
pub(super) fn fixed_width(r: Repr) -> Option<usize> {
    match r {
        Repr::Bool => Some(2),
        Repr::Str | Repr::Bytes => None,
        _ => Some(9),
    }
}

/// Appends a key field (an `Option<T>` expression) to the key writer `w`.
pub(super) fn push_key(w: &TokenStream, v: TokenStream, r: Repr) -> TokenStream {
    match r {
        Repr::Bool => quote!(#w.push_bool(#v);),
        Repr::I8 | Repr::I16 | Repr::I32 | Repr::I64 => {
            quote!(#w.push_i64((#v).map(|x| x as i64));)
        }
        Repr::F32 | Repr::F64 => quote!(#w.push_f64((#v).map(|x| x as f64));),
        Repr::Str => quote!(#w.push_str((#v).as_deref());),
        Repr::Bytes => quote!(#w.push_bytes((#v).as_deref());),
        Repr::Ts | Repr::TsLtz => quote!(#w.push_i64((#v).map(|t| t.0));),
        Repr::Date => quote!(#w.push_i64((#v).map(|d| d.0 as i64));),
    }
}

/// Reads a key field back from the key reader `kr`, as an `Option<T>` expression.
pub(super) fn read_key(r: Repr) -> TokenStream {
    let t = r.rust();
    match r {
        Repr::Bool => quote!(kr.bool()),
        Repr::I8 | Repr::I16 | Repr::I32 | Repr::I64 => quote!(kr.i64().map(|x| x as #t)),
        Repr::F32 | Repr::F64 => quote!(kr.f64().map(|x| x as #t)),
        Repr::Str => quote!(kr.str().map(::std::borrow::Cow::Borrowed)),
        Repr::Bytes => quote!(kr.bytes().map(::std::borrow::Cow::Borrowed)),
        Repr::Ts => quote!(kr.i64().map(::streamsql_runtime::Timestamp)),
        Repr::TsLtz => quote!(kr.i64().map(::streamsql_runtime::TimestampLtz)),
        Repr::Date => quote!(kr.i64().map(|d| ::streamsql_runtime::Date(d as i32))),
    }
}

/// Marks the columns `e` reads.
pub(super) fn mark_columns(e: &Expr, used: &mut [bool]) {
    e.walk(&mut |x| {
        if let Expr::Column { index, .. } = x
            && let Some(u) = used.get_mut(*index)
        {
            *u = true;
        }
    })
}

/// A local of an operator's output row.
pub(super) fn local(ident: Ident, repr: Repr) -> Local {
    Local {
        ident,
        repr,
        lazy: None,
        direct: None,
        per_window: false,
    }
}

/// Width of an encoded key made of these fields when fixed (`None`: variable).
pub(super) fn key_width(fields: impl Iterator<Item = Gen<Repr>>) -> Option<usize> {
    let mut width = 0;
    for r in fields {
        width += r.ok().and_then(fixed_width)?;
    }
    Some(width)
}

/// The owned key type of operator state: inline when fixed-width, else boxed.
pub(super) fn key_type(width: Option<usize>) -> TokenStream {
    match width {
        Some(n) => quote!([u8; #n]),
        None => quote!(::std::boxed::Box<[u8]>),
    }
}

/// An owned key from encoded key bytes `b` (a `&[u8]` expression).
pub(super) fn key_from_bytes(b: TokenStream, width: Option<usize>) -> TokenStream {
    match width {
        Some(n) => quote! {{
            let mut k = [0u8; #n];
            k.copy_from_slice(#b);
            k
        }},
        None => quote!(::std::boxed::Box::<[u8]>::from(#b)),
    }
}

/// How a value of `r` is held in operator state (owned, no lifetime).
pub(super) fn owned_type(r: Repr) -> TokenStream {
    match r {
        Repr::Str => quote!(::std::boxed::Box<str>),
        Repr::Bytes => quote!(::std::boxed::Box<[u8]>),
        other => other.rust(),
    }
}

/// An owned `Option` from an `Option<Cow>`-or-copy expression `v` of `r`.
pub(super) fn to_owned(v: TokenStream, r: Repr) -> TokenStream {
    match r {
        Repr::Str => quote!((#v).map(|c| ::std::boxed::Box::<str>::from(&*c))),
        Repr::Bytes => quote!((#v).map(|c| ::std::boxed::Box::<[u8]>::from(&*c))),
        _ => v,
    }
}

/// A local's `Option<Cow>`-or-copy value borrowed from an owned `Option` place `v`.
pub(super) fn borrow_owned(v: TokenStream, r: Repr) -> TokenStream {
    match r {
        Repr::Str | Repr::Bytes => quote!(#v.as_deref().map(::std::borrow::Cow::Borrowed)),
        _ => quote!(#v),
    }
}

/// `reads` (which output columns the segment above reads; it may be shorter) as
/// exactly `width` flags, unread past its end.
pub(super) fn resized(mut reads: Vec<bool>, width: usize) -> Vec<bool> {
    reads.resize(width, false);
    reads
}

/// The output columns an operator keeps: those read `above` and those its extra
/// `condition` reads.
pub(super) fn kept(above: &[bool], condition: Option<&Expr>) -> Vec<bool> {
    let mut kept = above.to_vec();
    if let Some(c) = condition {
        mark_columns(c, &mut kept);
    }
    kept
}
