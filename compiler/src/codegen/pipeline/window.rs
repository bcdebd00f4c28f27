//! Codegen of window aggregates (`GROUP BY TUMBLE/HOP/SESSION(...)` and the window
//! TVFs `TUMBLE/HOP/CUMULATE` grouped by `window_start, window_end`).
//!
//! In: a `WindowAggregate` plan node. Out: the pieces the job's code is made of — the
//! operator's state fields (a `runtime::window::WindowAggregate` keyed by the encoded
//! grouping key, with a generated accumulator struct of `runtime::agg` accumulators),
//! the statements that add one input row, and the firing code that turns each fired
//! (key, window, accumulator) into the operator's output row for what comes above.

use super::agg;
use super::keys::{self, in_place, mark_columns, push_key, read_key};
use super::*;
use crate::plan::{AggCall, AggFunc, Window, WindowKind};
use crate::types::TimeAttr;

/// One window aggregate of the job (`w<index>` in the generated `Job`).
pub(super) struct WindowOp<'p> {
    /// The `WindowAggregate` node it was made from.
    pub node: &'p Plan,
    pub index: usize,
    pub source: usize,
    /// The first window of its INSERT (it receives the source's messages' rows).
    pub first: bool,
    /// Its INSERT has more than one window: rows are held further up too.
    pub cascades: bool,
    window: &'p Window,
    keys: &'p [Expr],
    aggs: &'p [AggCall],
    /// How each of `aggs` is accumulated.
    plans: Vec<agg::AggPlan>,
    schema: &'p Schema,
    /// Width of the operator's input.
    input_len: usize,
    /// For a window TVF input: the position of its `window_start` (then `window_end`,
    /// `window_time`) among the input columns.
    tvf: Option<usize>,
}

/// The position of the window TVF's `window_start` column, when `input` is a window
/// TVF (under filters that keep its columns).
pub(super) fn tvf_under(input: &Plan) -> Option<usize> {
    match input {
        Plan::WindowTableFunction { input, .. } => Some(input.schema().len()),
        Plan::Calc {
            input, projections, ..
        } if projections
            .iter()
            .enumerate()
            .all(|(i, p)| matches!(p, Expr::Column { index, .. } if *index == i)) =>
        {
            tvf_under(input)
        }
        _ => None,
    }
}

/// Epoch milliseconds of a rowtime value `v` (a `Timestamp`, `TimestampLtz` or a Blink
/// epoch-millis `BIGINT`), not wrapped in `Option`.
pub(super) fn millis(v: TokenStream, r: Repr) -> Gen<TokenStream> {
    Ok(match r {
        Repr::Ts | Repr::TsLtz => quote!(#v.0),
        Repr::I64 => quote!(#v),
        other => return unsupported(format!("a rowtime of type {other:?}")),
    })
}

impl<'p> WindowOp<'p> {
    pub fn new(node: &'p Plan, index: usize, tvf: Option<usize>) -> Gen<Self> {
        let Plan::WindowAggregate {
            input,
            window,
            keys,
            aggs,
            schema,
        } = node
        else {
            unreachable!("a WindowAggregate")
        };
        if window.time_attr == TimeAttr::Proctime {
            return unsupported("processing-time windows");
        }
        let plans = aggs
            .iter()
            .map(|a| agg::agg_plan(a, false))
            .collect::<Gen<Vec<_>>>()?;
        Ok(WindowOp {
            node,
            index,
            source: 0,
            first: true,
            cascades: false,
            window,
            keys,
            aggs,
            plans,
            schema,
            input_len: input.schema().len(),
            tvf,
        })
    }

    /// Is key `k` one of the window TVF's own columns (then the window gives it)?
    fn window_column_of(&self, k: &Expr) -> Option<usize> {
        let t = self.tvf?;
        match k {
            Expr::Column { index, .. } if (t..t + 3).contains(index) => Some(index - t),
            _ => None,
        }
    }

    /// Which input columns the operator reads.
    pub fn reads(&self) -> Vec<bool> {
        let mut used = vec![false; self.input_len];
        let mut mark = |e: &Expr| mark_columns(e, &mut used);
        for k in self.keys {
            if self.window_column_of(k).is_none() {
                mark(k);
            }
        }
        for a in self.aggs {
            a.args.iter().for_each(&mut mark);
            a.filter.iter().for_each(&mut mark);
        }
        if let Some(u) = used.get_mut(self.window.time_col) {
            *u = true;
        }
        used
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("{}{}", what, self.index)
    }

    /// Adds the current row (input columns `cols`) to the operator.
    pub fn add_row(
        &self,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        source: Option<&str>,
    ) -> Gen<TokenStream> {
        let w = self.ident("w");
        let kw = self.ident("kw");
        let kw_ = quote!(self.#kw);
        let time = cols
            .get(self.window.time_col)
            .and_then(|c| c.as_ref())
            .ok_or_else(|| Unsupported("the window's time column is not computed".into()))?;
        let t = &time.ident;
        let ts = millis(quote!(t), time.repr)?;
        let fail = cx.fail.with("NULL rowtime");
        let mut stmts = vec![quote! {
            let ts: i64 = match #t { Some(t) => #ts, None => #fail };
            #kw_.clear();
        }];
        for k in self.keys {
            if self.window_column_of(k).is_some() {
                continue;
            }
            // A column is read in place: encoding a key must not copy its string.
            let v = match in_place(k, cols) {
                Some(i) => quote!(#i),
                None => expr(k, cols, cx)?,
            };
            stmts.push(push_key(&kw_, v, repr(k.ty())?));
        }
        let mut updates = Vec::new();
        for (j, (a, plan)) in self.aggs.iter().zip(&self.plans).enumerate() {
            let dw = format_ident!("dw{}_{}", self.index, j);
            let u = agg::agg_update(j, a, plan, &dw, cols, cx)?;
            stmts.extend(u.prelude);
            updates.push(u.add);
        }
        let late = match source {
            Some(s) => quote!(ctx.late(#s, msg);),
            None => quote!(ctx.counters.late += 1;),
        };
        // A source message's row now waits in a window: its offset must not be
        // committed before the window fires (a cascade: before the state empties).
        let hold = match source {
            Some(_) if self.first => {
                let held = format_ident!("held{}", self.source);
                let release = if self.cascades {
                    quote!(i64::MAX)
                } else {
                    quote!(self.#w.release_time(ts))
                };
                quote!(self.#held.hold(msg.topic, msg.partition, msg.offset, #release);)
            }
            _ => quote!(),
        };
        stmts.push(quote! {
            let on_time = self.#w.add(ts, #kw_.bytes(), |acc| { #(#updates)* });
            if on_time {
                #hold
            } else {
                #late
            }
        });
        Ok(quote!(#(#stmts)*))
    }

    /// Locals for the operator's output row inside its firing closure (which has `key`,
    /// `window` and `acc`), and the statements that make them.
    pub fn output_locals(&self) -> Gen<(Vec<Option<Local>>, TokenStream)> {
        let mut cols = Vec::new();
        let mut stmts = vec![quote! {
            let mut kr = ::streamsql_runtime::key::KeyReader::new(::std::borrow::Borrow::<[u8]>::borrow(key));
        }];
        let field_repr = |i: usize| match self.schema.fields.get(i) {
            Some(f) => repr(&f.ty),
            None => unsupported("a window aggregate output wider than its schema"),
        };
        let window_value = |which: usize, r: Repr| -> Gen<TokenStream> {
            let ms = match which {
                0 => quote!(window.start),
                1 => quote!(window.end),
                _ => quote!(window.end - 1),
            };
            Ok(match r {
                Repr::Ts => quote!(Some(::streamsql_runtime::Timestamp(#ms))),
                Repr::TsLtz => quote!(Some(::streamsql_runtime::TimestampLtz(#ms))),
                Repr::I64 => quote!(Some(#ms)),
                other => return unsupported(format!("a window bound of type {other:?}")),
            })
        };
        let mut push = |cols: &mut Vec<Option<Local>>, value: TokenStream, r: Repr, bound: bool| {
            let ident = format_ident!("o{}", cols.len());
            let ty = r.rust();
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #value;));
            cols.push(Some(Local {
                ident,
                repr: r,
                lazy: None,
                direct: None,
                per_window: bound,
            }));
        };
        // Aligned windows fire all their keys one after the other, so what is computed
        // from the bounds alone is worth keeping across rows; sessions are per key.
        let per_window = !matches!(self.window.kind, WindowKind::Session { .. });
        for k in self.keys {
            let i = cols.len();
            let r = field_repr(i)?;
            match self.window_column_of(k) {
                Some(which) => push(&mut cols, window_value(which, r)?, r, per_window),
                None => push(&mut cols, read_key(r), r, false),
            }
        }
        // A group window's output carries the window's bounds; a window TVF's only what
        // it groups by (`window_start`, `window_end`, maybe `window_time`: keys above).
        if self.tvf.is_none() {
            for which in 0..3 {
                let i = cols.len();
                let r = field_repr(i)?;
                push(&mut cols, window_value(which, r)?, r, per_window);
            }
        }
        for (j, (a, plan)) in self.aggs.iter().zip(&self.plans).enumerate() {
            push(&mut cols, agg::agg_value(j, a, plan), plan.out, false);
        }
        Ok((cols, quote!(#(#stmts)*)))
    }

    /// Fires the operator up to watermark `wm`: each (key, window) through each of
    /// `segments` (one per INSERT reading the operator), after `per_fire` (the locals
    /// that keep per-window values across rows); `uses_self`: they reach into other
    /// operators of the job.
    pub fn fire(
        &self,
        decode: TokenStream,
        per_fire: Vec<TokenStream>,
        segments: Vec<Vec<TokenStream>>,
        label: &syn::Lifetime,
        uses_self: bool,
    ) -> TokenStream {
        let w = self.ident("w");
        let body: Vec<TokenStream> = segments
            .iter()
            .map(|stmts| operator_rows(label, stmts, "WindowAggregate"))
            .collect();
        let body = quote!(#(#body)*);
        if uses_self {
            // The rows go on into another operator of the job (`self` again): take
            // the fired windows out first, then run them up.
            return quote! {
                #(#per_fire)*
                let mut fired = ::std::vec::Vec::new();
                self.#w.advance_into(wm, &mut fired);
                for (key, window, acc) in &fired {
                    let (key, window, acc) = (key, *window, acc);
                    #decode
                    #body
                }
            };
        }
        quote! {
            #(#per_fire)*
            self.#w.advance(wm, |key, window, acc| {
                #decode
                #body
            });
        }
    }

    /// The operator's fields of `Job`, their initialisers, and its accumulator type.
    pub fn state(&self) -> (Vec<TokenStream>, Vec<TokenStream>, TokenStream) {
        let w = self.ident("w");
        let kw = self.ident("kw");
        let acc_ty = format_ident!("Acc{}", self.index);
        // Fixed-width keys live inline in the map; others are boxed once per key.
        let key_ty = keys::key_type(keys::key_width(
            self.keys
                .iter()
                .filter(|k| self.window_column_of(k).is_none())
                .map(|k| repr(k.ty())),
        ));
        let kind = match &self.window.kind {
            WindowKind::Tumble { size } => {
                quote!(::streamsql_runtime::window::WindowKind::Tumble { size: #size })
            }
            WindowKind::Hop { slide, size } => {
                quote!(::streamsql_runtime::window::WindowKind::Hop { size: #size, slide: #slide })
            }
            WindowKind::Cumulate { step, size } => {
                quote!(::streamsql_runtime::window::WindowKind::Cumulate { size: #size, step: #step })
            }
            WindowKind::Session { gap } => {
                quote!(::streamsql_runtime::window::WindowKind::Session { gap: #gap })
            }
        };
        let mut fields = vec![
            quote!(#w: ::streamsql_runtime::window::WindowAggregate<#key_ty, #acc_ty>),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter),
        ];
        let mut inits = vec![
            quote!(#w: ::streamsql_runtime::window::WindowAggregate::new(#kind, allowed_lateness)),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter::new()),
        ];
        let mut acc_fields = Vec::new();
        let mut merges = Vec::new();
        for (j, (a, plan)) in self.aggs.iter().zip(&self.plans).enumerate() {
            let acc = format_ident!("a{}", j);
            let t = &plan.acc;
            acc_fields.push(quote!(#acc: #t));
            let mut merge = quote!(self.#acc.merge(&other.#acc););
            if a.distinct
                && let Some(r) = plan.arg
            {
                let dw = format_ident!("dw{}_{}", self.index, j);
                fields.push(quote!(#dw: ::streamsql_runtime::key::KeyWriter));
                inits.push(quote!(#dw: ::streamsql_runtime::key::KeyWriter::new()));
                if !plan.count_distinct {
                    let d = format_ident!("d{}", j);
                    acc_fields.push(quote!(#d: ::streamsql_runtime::agg::Distinct));
                    merge = if matches!(a.func, AggFunc::Sum | AggFunc::Avg) {
                        // A value both sessions saw counts once: add only the other
                        // session's values that are new here (as `add_row` would).
                        let read = match r {
                            Repr::F32 if a.func == AggFunc::Sum => {
                                quote!(f64().map(|x| x as f32))
                            }
                            r if r.is_int() => quote!(i64()),
                            _ => quote!(f64()),
                        };
                        quote! {
                            for v in other.#d.iter() {
                                if self.#d.insert(v) {
                                    self.#acc.add(::streamsql_runtime::key::KeyReader::new(v).#read);
                                }
                            }
                        }
                    } else {
                        quote!(#merge self.#d.merge(&other.#d);)
                    };
                }
            }
            merges.push(merge);
        }
        let doc = format!(" Accumulators of window aggregate `w{}`.", self.index);
        let item = quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default)]
            struct #acc_ty {
                #(#acc_fields,)*
            }
            impl ::streamsql_runtime::window::Accumulator for #acc_ty {
                fn merge(&mut self, other: &Self) {
                    #(#merges)*
                }
            }
        };
        (fields, inits, item)
    }
}
