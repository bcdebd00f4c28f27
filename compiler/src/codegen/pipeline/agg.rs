//! Codegen of aggregate calls, shared by window and group aggregates.
//!
//! In: an [`AggCall`] and whether its input is updating. Out: the accumulator's type
//! (`runtime::agg` for insert-only input, `runtime::retract` for input with
//! retractions), the statements that read its argument for one row, the statement
//! that adds (or retracts) that row, and the expression of its current value.

use super::*;
use crate::plan::{AggCall, AggFunc};

/// How one aggregate call is accumulated: the accumulator's type, and whether it
/// keeps its own set of distinct values (`COUNT(DISTINCT x)` is just that set).
pub(super) struct AggPlan {
    pub acc: TokenStream,
    pub arg: Option<Repr>,
    pub out: Repr,
    pub count_distinct: bool,
    /// Accumulated with retractions (`runtime::retract`).
    pub retract: bool,
}

/// The accumulator of `a`; `retract` when its input has `-U/-D` rows.
pub(super) fn agg_plan(a: &AggCall, retract: bool) -> Gen<AggPlan> {
    let out = repr(&a.ty)?;
    let arg = match a.args.as_slice() {
        [] => None,
        [x] => Some(repr(x.ty())?),
        _ => return unsupported(format!("{} with several arguments", a.func.name())),
    };
    let numeric = |r: Repr, int: TokenStream, float: TokenStream| -> Gen<TokenStream> {
        if r.is_int() {
            Ok(int)
        } else if r.is_float() {
            Ok(float)
        } else {
            unsupported(format!("{} of a {r:?} value", a.func.name()))
        }
    };
    let count_distinct = a.func == AggFunc::Count && a.distinct && arg.is_some();
    let acc = if retract {
        let r_ = quote!(::streamsql_runtime::retract);
        match (a.func, arg) {
            (AggFunc::Count, _) if count_distinct => {
                quote!(#r_::DistinctR<::std::boxed::Box<[u8]>>)
            }
            (AggFunc::Count, _) => quote!(#r_::CountR),
            (AggFunc::Sum, Some(Repr::F32)) => quote!(#r_::SumRF32),
            (AggFunc::Sum, Some(r)) => numeric(r, quote!(#r_::SumRI64), quote!(#r_::SumRF64))?,
            (AggFunc::Avg, Some(r)) => numeric(r, quote!(#r_::AvgRI64), quote!(#r_::AvgRF64))?,
            (AggFunc::Min, Some(Repr::Str)) => quote!(#r_::MinRStr),
            (AggFunc::Max, Some(Repr::Str)) => quote!(#r_::MaxRStr),
            (AggFunc::FirstValue, Some(Repr::Str)) => {
                quote!(#r_::FirstValueR<::std::boxed::Box<str>>)
            }
            (AggFunc::LastValue, Some(Repr::Str)) => {
                quote!(#r_::LastValueR<::std::boxed::Box<str>>)
            }
            (_, Some(Repr::Bytes)) => {
                return unsupported(format!("{} of BYTES", a.func.name()));
            }
            (
                f @ (AggFunc::Min | AggFunc::Max | AggFunc::FirstValue | AggFunc::LastValue),
                Some(r),
            ) => {
                let t = r.rust();
                match f {
                    AggFunc::Min => quote!(#r_::MinR<#t>),
                    AggFunc::Max => quote!(#r_::MaxR<#t>),
                    AggFunc::FirstValue => quote!(#r_::FirstValueR<#t>),
                    _ => quote!(#r_::LastValueR<#t>),
                }
            }
            (f, _) => return unsupported(format!("the aggregate {} over updates", f.name())),
        }
    } else {
        let a_ = quote!(::streamsql_runtime::agg);
        match (a.func, arg) {
            (AggFunc::Count, _) if count_distinct => quote!(#a_::Distinct),
            (AggFunc::Count, _) => quote!(#a_::Count),
            // Flink adds a FLOAT sum in FLOAT (its sum has the argument's type).
            (AggFunc::Sum, Some(Repr::F32)) => quote!(#a_::SumF32),
            (AggFunc::Sum, Some(r)) => numeric(r, quote!(#a_::SumI64), quote!(#a_::SumF64))?,
            (AggFunc::Avg, Some(r)) => numeric(r, quote!(#a_::AvgI64), quote!(#a_::AvgF64))?,
            (
                f @ (AggFunc::Min | AggFunc::Max | AggFunc::FirstValue | AggFunc::LastValue),
                Some(r),
            ) => {
                let (generic, text) = match f {
                    AggFunc::Min => (quote!(#a_::Min), quote!(#a_::MinStr)),
                    AggFunc::Max => (quote!(#a_::Max), quote!(#a_::MaxStr)),
                    AggFunc::FirstValue => (quote!(#a_::FirstValue), quote!(#a_::FirstValueStr)),
                    _ => (quote!(#a_::LastValue), quote!(#a_::LastValueStr)),
                };
                match r {
                    Repr::Str => text,
                    Repr::Bytes => return unsupported(format!("{} of BYTES", a.func.name())),
                    other => {
                        let t = other.rust();
                        quote!(#generic<#t>)
                    }
                }
            }
            (f, _) => return unsupported(format!("the aggregate {} in a window", f.name())),
        }
    };
    Ok(AggPlan {
        acc,
        arg,
        out,
        count_distinct,
        retract,
    })
}

/// What adding (and, over updates, retracting) one row does to aggregate `j`.
pub(super) struct AggUpdate {
    /// Statements that read the row's argument (and filter) before the state is touched.
    pub prelude: Vec<TokenStream>,
    pub add: TokenStream,
    /// Only for a retracting plan.
    pub retract: TokenStream,
}

/// The update statements of aggregate `j` (`a` planned as `plan`) over input `cols`,
/// inside a closure or block where `acc` is the accumulator struct. `dw` is the key
/// writer (a `Job` field) that encodes a DISTINCT argument.
pub(super) fn agg_update(
    j: usize,
    a: &AggCall,
    plan: &AggPlan,
    dw: &Ident,
    cols: &[Option<Local>],
    cx: &mut ExprCx<'_>,
) -> Gen<AggUpdate> {
    let mut prelude = Vec::new();
    let acc = format_ident!("a{}", j);
    let arg = format_ident!("x{}", j);
    if let (Some(x), Some(r)) = (a.args.first(), plan.arg) {
        match keys::in_place(x, cols) {
            // A string column is borrowed (`Option<&str>`), not cloned per row.
            Some(i) if !r.is_copy() => prelude.push(quote!(let #arg = #i.as_deref();)),
            _ => {
                let v = expr(x, cols, cx)?;
                let ty = r.rust();
                prelude.push(quote!(let #arg: ::std::option::Option<#ty> = #v;));
            }
        }
    }
    // `op` is `add` or `retract`: the accumulators share their argument conventions.
    let call = |op: &str| -> Gen<TokenStream> {
        let op = format_ident!("{}", op);
        Ok(match (a.func, plan.arg) {
            (AggFunc::Count, None) => quote!(acc.#acc.#op();),
            (AggFunc::Count, Some(_)) if plan.count_distinct => {
                if plan.retract {
                    quote!(if #arg.is_some() { acc.#acc.#op(self.#dw.bytes()); })
                } else {
                    quote!(if #arg.is_some() { acc.#acc.insert(self.#dw.bytes()); })
                }
            }
            (AggFunc::Count, Some(_)) => quote!(if #arg.is_some() { acc.#acc.#op(); }),
            (AggFunc::Sum | AggFunc::Avg, Some(r)) if r.is_int() => {
                quote!(acc.#acc.#op(#arg.map(|x| x as i64));)
            }
            (AggFunc::Sum, Some(Repr::F32)) => quote!(acc.#acc.#op(#arg);),
            (AggFunc::Sum | AggFunc::Avg, Some(_)) => {
                quote!(acc.#acc.#op(#arg.map(|x| x as f64));)
            }
            // FIRST/LAST_VALUE with retraction keep owned values.
            (AggFunc::FirstValue | AggFunc::LastValue, Some(Repr::Str)) if plan.retract => {
                if op == "add" {
                    quote!(acc.#acc.add(#arg.as_deref().map(::std::boxed::Box::<str>::from));)
                } else {
                    quote!(acc.#acc.retract(#arg.as_deref().map(::std::boxed::Box::<str>::from).as_ref());)
                }
            }
            (AggFunc::FirstValue | AggFunc::LastValue, Some(_))
                if plan.retract && op == "retract" =>
            {
                quote!(acc.#acc.retract(#arg.as_ref());)
            }
            (_, Some(Repr::Str)) => quote!(acc.#acc.#op(#arg.as_deref());),
            (_, Some(_)) => quote!(acc.#acc.#op(#arg);),
            (f, None) => return unsupported(format!("{}(*)", f.name())),
        })
    };
    let mut add = call("add")?;
    let mut retract = if plan.retract {
        call("retract")?
    } else {
        quote!()
    };
    // DISTINCT (other than COUNT's own set): only a value's first occurrence counts
    // (and, retracting, its last).
    if a.distinct && !plan.count_distinct && plan.arg.is_some() {
        let d = format_ident!("d{}", j);
        add = if plan.retract {
            quote!(if #arg.is_some() && acc.#d.add(self.#dw.bytes()) { #add })
        } else {
            quote!(if #arg.is_some() && acc.#d.insert(self.#dw.bytes()) { #add })
        };
        retract = quote!(if #arg.is_some() && acc.#d.retract(self.#dw.bytes()) { #retract });
    }
    if a.distinct
        && let Some(r) = plan.arg
    {
        let dw_ = quote!(self.#dw);
        let push = keys::push_key(&dw_, quote!(#arg), r);
        prelude.push(quote!(#dw_.clear(); #push));
    }
    if let Some(f) = &a.filter {
        let fv = expr(f, cols, cx)?;
        let fi = format_ident!("f{}", j);
        prelude.push(quote!(let #fi: bool = ::streamsql_runtime::func::logic::is_true(#fv);));
        add = quote!(if #fi { #add });
        retract = quote!(if #fi { #retract });
    }
    Ok(AggUpdate {
        prelude,
        add,
        retract,
    })
}

/// The accumulator field type of the set a non-COUNT DISTINCT aggregate keeps.
pub(super) fn distinct_set(plan: &AggPlan) -> TokenStream {
    if plan.retract {
        quote!(::streamsql_runtime::retract::DistinctR<::std::boxed::Box<[u8]>>)
    } else {
        quote!(::streamsql_runtime::agg::Distinct)
    }
}

/// The current value of aggregate `j` of `acc`, as an `Option<T>` of the output's
/// representation (strings borrowed as `Cow`).
pub(super) fn agg_value(j: usize, a: &AggCall, plan: &AggPlan) -> TokenStream {
    let acc = format_ident!("a{}", j);
    let t = plan.out.rust();
    match (a.func, plan.arg) {
        (AggFunc::Count, _) if plan.count_distinct => quote!(Some(acc.#acc.len() as #t)),
        (AggFunc::Count, _) => quote!(Some(acc.#acc.value() as #t)),
        (AggFunc::Sum | AggFunc::Avg, _) => quote!(acc.#acc.value().map(|x| x as #t)),
        (AggFunc::FirstValue | AggFunc::LastValue, Some(Repr::Str)) if plan.retract => {
            quote!(acc.#acc.value().map(|s| ::std::borrow::Cow::Borrowed(&**s)))
        }
        (AggFunc::FirstValue | AggFunc::LastValue, Some(_)) if plan.retract => {
            quote!(acc.#acc.value().copied())
        }
        (_, Some(Repr::Str)) => quote!(acc.#acc.value().map(::std::borrow::Cow::Borrowed)),
        _ => quote!(acc.#acc.value()),
    }
}
