//! Codegen of group aggregates without windows (`GROUP BY k` over a stream): an
//! updating operator.
//!
//! In: a `GroupAggregate` plan node. Out: its state (a `runtime::state::KeyedState`
//! from the encoded grouping key to a generated accumulator struct with a record
//! count), the statements that add or retract one input row and emit what changed,
//! and the locals of its output row for the segment above.
//!
//! Follows Flink's `GroupAggFunction`: the first row of a key emits `+I`; a later
//! row emits `-U` of the previous result and `+U` of the new one, or nothing when the
//! result did not change (unless a state TTL is set, as Flink then re-emits, and
//! something above can tell the difference); the
//! retraction of a key's last row emits `-D` and drops its state; a retraction for a
//! key without state is ignored.

use super::agg::{self, AggPlan};
use super::keys::*;
use super::*;
use crate::plan::AggCall;

pub(super) struct GroupOp<'p> {
    pub index: usize,
    keys: &'p [Expr],
    aggs: &'p [AggCall],
    plans: Vec<AggPlan>,
    schema: &'p Schema,
    input_len: usize,
    /// The input has retractions (`-U/-D`).
    retract: bool,
    /// Under a state TTL, emit `-U x`, `+U x` when a row leaves the result unchanged,
    /// as Flink does; false where nothing above can tell (see
    /// `pipeline::unchanged_rows_matter`).
    pub reemit_unchanged: bool,
}

impl<'p> GroupOp<'p> {
    pub fn new(node: &'p Plan, index: usize) -> Gen<Self> {
        let Plan::GroupAggregate {
            input,
            keys,
            aggs,
            schema,
            ..
        } = node
        else {
            unreachable!("a GroupAggregate")
        };
        let retract = input.is_updating();
        let plans = aggs
            .iter()
            .map(|a| agg::agg_plan(a, retract))
            .collect::<Gen<Vec<_>>>()?;
        Ok(GroupOp {
            index,
            keys,
            aggs,
            plans,
            schema,
            input_len: input.schema().len(),
            retract,
            reemit_unchanged: true,
        })
    }

    pub fn reads(&self) -> Vec<bool> {
        let mut used = vec![false; self.input_len];
        let mut mark = |e: &Expr| mark_columns(e, &mut used);
        self.keys.iter().for_each(&mut mark);
        for a in self.aggs {
            a.args.iter().for_each(&mut mark);
            a.filter.iter().for_each(&mut mark);
        }
        used
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("{}{}", what, self.index)
    }

    /// Adds (or retracts, by `kind`) the row `cols` and emits the changed result.
    pub fn add_row(
        &self,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        kind: TokenStream,
    ) -> Gen<TokenStream> {
        let g = self.ident("g");
        let kw = self.ident("gkw");
        let acc_ty = self.ident("GroupAcc");
        let vals_ty = self.ident("GroupValues");
        let emit = self.ident("emit_g");
        let kw_ = quote!(self.#kw);
        let mut stmts = vec![quote!(#kw_.clear();)];
        for k in self.keys {
            let v = match keys::in_place(k, cols) {
                Some(i) => quote!(#i),
                None => expr(k, cols, cx)?,
            };
            stmts.push(keys::push_key(&kw_, v, repr(k.ty())?));
        }
        let mut adds = Vec::new();
        let mut retracts = Vec::new();
        for (j, (a, plan)) in self.aggs.iter().zip(&self.plans).enumerate() {
            let dw = format_ident!("gdw{}_{}", self.index, j);
            let u = agg::agg_update(j, a, plan, &dw, cols, cx)?;
            stmts.extend(u.prelude);
            adds.push(u.add);
            retracts.push(u.retract);
        }
        // The row's updates, written once: a closure borrows only the fields it reads
        // (the DISTINCT key writers), so it runs beside a borrow of the state.
        let (retract_fn, retract_arm) = if self.retract {
            (
                quote!(let retract_row = |acc: &mut #acc_ty| { #(#retracts)* acc.n -= 1; };),
                quote!(retract_row(acc);),
            )
        } else {
            // Insert-only input: a retraction cannot arrive.
            (quote!(), quote!())
        };
        let new_key = key_from_bytes(quote!(#kw_.bytes()), self.key_width());
        let rk = quote!(::streamsql_runtime::RowKind);
        let reemit = if self.reemit_unchanged {
            quote!(|| self.#g.ttl_ms().is_some())
        } else {
            quote!()
        };
        stmts.push(quote! {
            let accumulate = matches!(#kind, #rk::Insert | #rk::UpdateAfter);
            let add_row = |acc: &mut #acc_ty| { #(#adds)* acc.n += 1; };
            #retract_fn
            let mut out: [::std::option::Option<(#rk, #vals_ty)>; 2] = [None, None];
            let mut empty = false;
            match self.#g.get_mut(#kw_.bytes(), ctx.now_ms) {
                Some(acc) => {
                    let prev = acc.values();
                    if accumulate {
                        add_row(acc);
                    } else {
                        #retract_arm
                    }
                    if acc.n <= 0 {
                        empty = true;
                        out[0] = Some((#rk::Delete, prev));
                    } else {
                        let new = acc.values();
                        if new != prev #reemit {
                            out[0] = Some((#rk::UpdateBefore, prev));
                            out[1] = Some((#rk::UpdateAfter, new));
                        }
                    }
                }
                None if accumulate => {
                    let mut acc = #acc_ty::default();
                    add_row(&mut acc);
                    out[0] = Some((#rk::Insert, acc.values()));
                    self.#g.insert(#new_key, acc, ctx.now_ms);
                }
                None => {}
            }
            if empty {
                self.#g.remove(#kw_.bytes());
            }
            if out[0].is_some() {
                let key = #kw_.bytes().to_vec();
                for (kind, values) in out.into_iter().flatten() {
                    self.#emit(kind, &key, &values, sinks, ctx);
                }
            }
        });
        Ok(quote!(#(#stmts)*))
    }

    fn key_width(&self) -> Option<usize> {
        key_width(self.keys.iter().map(|k| repr(k.ty())))
    }

    /// The emit method's parameters after `kind`, the statements that make the output
    /// locals from them, and the locals.
    pub fn output(&self) -> Gen<(TokenStream, TokenStream, Vec<Option<Local>>)> {
        let vals_ty = self.ident("GroupValues");
        let mut stmts = vec![quote! {
            let mut kr = ::streamsql_runtime::key::KeyReader::new(key);
        }];
        let mut cols = Vec::new();
        for i in 0..self.keys.len() {
            let r = repr(&self.schema.fields[i].ty)?;
            let ident = format_ident!("o{}", i);
            let ty = r.rust();
            let v = keys::read_key(r);
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #v;));
            cols.push(Some(local(ident, r)));
        }
        for (j, plan) in self.plans.iter().enumerate() {
            let ident = format_ident!("o{}", self.keys.len() + j);
            let ty = plan.out.rust();
            let field = syn::Index::from(j);
            let v = borrow_owned(quote!(values.#field), plan.out);
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #v;));
            cols.push(Some(local(ident, plan.out)));
        }
        let params = quote!(key: &[u8], values: &#vals_ty);
        Ok((params, quote!(#(#stmts)*), cols))
    }

    /// The operator's fields of `Job`, their initialisers, and its accumulator type.
    pub fn state(&self) -> (Vec<TokenStream>, Vec<TokenStream>, TokenStream) {
        let g = self.ident("g");
        let kw = self.ident("gkw");
        let acc_ty = self.ident("GroupAcc");
        let vals_ty = self.ident("GroupValues");
        let key_ty = key_type(self.key_width());
        let mut fields = vec![
            quote!(#g: ::streamsql_runtime::state::KeyedState<#key_ty, #acc_ty>),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter),
        ];
        let mut inits = vec![
            quote!(#g: ::streamsql_runtime::state::KeyedState::new(state_ttl)),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter::new()),
        ];
        let mut acc_fields = vec![quote!(n: i64)];
        let mut value_tys = Vec::new();
        let mut values = Vec::new();
        for (j, (a, plan)) in self.aggs.iter().zip(&self.plans).enumerate() {
            let acc = format_ident!("a{}", j);
            let t = &plan.acc;
            acc_fields.push(quote!(#acc: #t));
            if a.distinct && plan.arg.is_some() {
                let dw = format_ident!("gdw{}_{}", self.index, j);
                fields.push(quote!(#dw: ::streamsql_runtime::key::KeyWriter));
                inits.push(quote!(#dw: ::streamsql_runtime::key::KeyWriter::new()));
                if !plan.count_distinct {
                    let d = format_ident!("d{}", j);
                    let set = agg::distinct_set(plan);
                    acc_fields.push(quote!(#d: #set));
                }
            }
            value_tys.push(owned_type(plan.out));
            values.push(to_owned(agg::agg_value(j, a, plan), plan.out));
        }
        let doc = format!(" Accumulators of group aggregate `g{}`.", self.index);
        let item = quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default)]
            struct #acc_ty {
                #(#acc_fields,)*
            }
            /// The aggregates' results, owned (compared to decide what to emit).
            #[derive(Clone, Debug, PartialEq)]
            struct #vals_ty(#(::std::option::Option<#value_tys>,)*);
            impl #acc_ty {
                fn values(&self) -> #vals_ty {
                    let acc = self;
                    #vals_ty(#(#values,)*)
                }
            }
        };
        (fields, inits, item)
    }
}
