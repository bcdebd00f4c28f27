//! Codegen of Top-N: `ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) ... WHERE rn <= N`.
//!
//! In: a `Rank` plan node and which of its output columns the segment above reads.
//! Out: its state (per encoded partition key a `runtime::rank::TopN` of owned rows
//! ordered by a memcmp-comparable sort key), the statements that add or retract one
//! input row, and the locals of its output row.
//!
//! Each input row compares the partition's top N before and after it: with the rank
//! number in the output every changed rank is updated (`-U/+U`, `+I`, `-D` per
//! position), without it only rows that left or entered the top N are deleted or
//! inserted — in both cases folding the changes gives Flink's table. Insert-only
//! input keeps only the top N rows (Flink's `AppendOnlyTopNFunction`: a row pushed out
//! never returns); updating input keeps every row so a retraction lets the next one
//! move up (`RetractableTopNFunction`). Ties keep arrival order. Keep-first
//! deduplication on processing time (`ORDER BY proctime ASC` with `rn <= 1`) is the
//! same operator: the first row stays first.

use super::keys::{borrow_owned, key_from_bytes, key_type, key_width, local, mark_columns};
use super::*;

pub(super) struct RankOp<'p> {
    pub index: usize,
    partition: &'p [Expr],
    order: &'p [(Expr, bool)],
    limit: u64,
    input_schema: &'p Schema,
    /// Every row is kept (the input has retractions).
    keep_all: bool,
    /// Input columns the segment above reads (kept in the stored rows), and whether it
    /// reads the row number.
    above: Vec<bool>,
    rownum_used: bool,
}

impl<'p> RankOp<'p> {
    pub fn new(node: &'p Plan, index: usize) -> Gen<Self> {
        let Plan::Rank {
            input,
            partition,
            order,
            limit,
            ..
        } = node
        else {
            unreachable!("a Rank")
        };
        let Some(limit) = limit else {
            return unsupported("ROW_NUMBER() without `rn <= N` (an unbounded rank)");
        };
        Ok(RankOp {
            index,
            partition,
            order,
            limit: *limit,
            input_schema: input.schema(),
            keep_all: input.is_updating(),
            above: vec![true; input.schema().len()],
            rownum_used: true,
        })
    }

    /// Which output columns the segment above reads (the last is the row number).
    pub fn set_reads_above(&mut self, reads: Vec<bool>) {
        let n = self.input_schema.len();
        self.rownum_used = reads.get(n).copied().unwrap_or(false);
        self.above = keys::resized(reads, n);
    }

    pub fn reads(&self) -> Vec<bool> {
        let mut used = self.above.clone();
        for e in self
            .partition
            .iter()
            .chain(self.order.iter().map(|(e, _)| e))
        {
            mark_columns(e, &mut used);
        }
        used
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("{}{}", what, self.index)
    }

    /// The stored row's fields: (input column, representation).
    fn stored(&self) -> Gen<Vec<(usize, Repr)>> {
        let mut out = Vec::new();
        for (i, f) in self.input_schema.fields.iter().enumerate() {
            if self.above[i] {
                out.push((i, repr(&f.ty)?));
            }
        }
        Ok(out)
    }

    pub fn add_row(
        &self,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        kind: TokenStream,
    ) -> Gen<TokenStream> {
        let r = self.ident("r");
        let kw = self.ident("rkw");
        let sk = self.ident("rsk");
        let row_ty = self.ident("RankRow");
        let emit = self.ident("emit_r");
        let kw_ = quote!(self.#kw);
        let sk_ = quote!(self.#sk);
        let mut stmts = vec![quote!(#kw_.clear(); #sk_.clear();)];
        for p in self.partition {
            let v = match keys::in_place(p, cols) {
                Some(i) => quote!(#i),
                None => expr(p, cols, cx)?,
            };
            stmts.push(keys::push_key(&kw_, v, repr(p.ty())?));
        }
        for (o, desc) in self.order {
            let v = match keys::in_place(o, cols) {
                Some(i) => quote!(#i),
                None => expr(o, cols, cx)?,
            };
            // Flink orders NULL as the smallest value: first ascending, last descending.
            let nulls_first = !desc;
            let push = match repr(o.ty())? {
                Repr::Bool => quote!(#sk_.push_bool(#v, #desc, #nulls_first);),
                r if r.is_int() => {
                    quote!(#sk_.push_i64((#v).map(|x| x as i64), #desc, #nulls_first);)
                }
                r if r.is_float() => {
                    quote!(#sk_.push_f64((#v).map(|x| x as f64), #desc, #nulls_first);)
                }
                Repr::Str => quote!(#sk_.push_str((#v).as_deref(), #desc, #nulls_first);),
                Repr::Bytes => quote!(#sk_.push_bytes((#v).as_deref(), #desc, #nulls_first);),
                Repr::Ts | Repr::TsLtz => {
                    quote!(#sk_.push_i64((#v).map(|t| t.0), #desc, #nulls_first);)
                }
                Repr::Date => quote!(#sk_.push_i64((#v).map(|d| d.0 as i64), #desc, #nulls_first);),
                _ => unreachable!("every representation is covered"),
            };
            stmts.push(push);
        }
        let mut fields = Vec::new();
        for (i, rp) in self.stored()? {
            let f = format_ident!("f{}", i);
            let l = cols
                .get(i)
                .and_then(|c| c.as_ref())
                .ok_or_else(|| Unsupported("a Top-N input column that is not computed".into()))?;
            let v = keys::to_owned(l.value(), rp);
            fields.push(quote!(#f: #v));
        }
        let n = self.limit as usize;
        let keep_all = self.keep_all;
        let new_key = key_from_bytes(quote!(#kw_.bytes()), self.key_width());
        let rk = quote!(::streamsql_runtime::RowKind);
        let (diff, each) = if self.rownum_used {
            (
                quote!(::streamsql_runtime::rank::diff_ranked(&old, &new, &mut changes);),
                quote! {
                    for (kind, rank, row) in changes {
                        self.#emit(kind, &row, rank as i64, sinks, ctx);
                    }
                },
            )
        } else {
            (
                quote!(::streamsql_runtime::rank::diff_rows(&old, &new, &mut changes);),
                quote! {
                    for (kind, row) in changes {
                        self.#emit(kind, &row, 0, sinks, ctx);
                    }
                },
            )
        };
        stmts.push(quote! {
            let row = #row_ty { #(#fields,)* };
            let accumulate = matches!(#kind, #rk::Insert | #rk::UpdateAfter);
            if accumulate && self.#r.get_mut(#kw_.bytes(), ctx.now_ms).is_none() {
                self.#r.insert(#new_key, ::streamsql_runtime::rank::TopN::new(#n, #keep_all), ctx.now_ms);
            }
            let mut changes = ::std::vec::Vec::new();
            let mut empty = false;
            if let Some(top) = self.#r.get_mut(#kw_.bytes(), ctx.now_ms) {
                let old: ::std::vec::Vec<#row_ty> = top.top().cloned().collect();
                if accumulate {
                    top.insert(#sk_.bytes(), row);
                } else {
                    top.retract(#sk_.bytes(), &row);
                }
                let new: ::std::vec::Vec<#row_ty> = top.top().cloned().collect();
                empty = top.is_empty();
                #diff
            }
            if empty {
                self.#r.remove(#kw_.bytes());
            }
            #each
        });
        Ok(quote!(#(#stmts)*))
    }

    fn key_width(&self) -> Option<usize> {
        key_width(self.partition.iter().map(|k| repr(k.ty())))
    }

    pub fn output(&self) -> Gen<(TokenStream, TokenStream, Vec<Option<Local>>)> {
        let row_ty = self.ident("RankRow");
        let mut stmts = Vec::new();
        let mut cols: Vec<Option<Local>> = vec![None; self.input_schema.len()];
        for (i, r) in self.stored()? {
            let ident = format_ident!("o{}", i);
            let f = format_ident!("f{}", i);
            let ty = r.rust();
            let v = borrow_owned(quote!(row.#f), r);
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #v;));
            cols[i] = Some(local(ident, r));
        }
        let rn = format_ident!("o{}", self.input_schema.len());
        stmts.push(quote!(let #rn: ::std::option::Option<i64> = Some(rank);));
        cols.push(Some(local(rn, Repr::I64)));
        Ok((quote!(row: &#row_ty, rank: i64), quote!(#(#stmts)*), cols))
    }

    pub fn state(&self) -> Gen<(Vec<TokenStream>, Vec<TokenStream>, TokenStream)> {
        let r = self.ident("r");
        let kw = self.ident("rkw");
        let sk = self.ident("rsk");
        let row_ty = self.ident("RankRow");
        let key_ty = key_type(self.key_width());
        let fields = vec![
            quote!(#r: ::streamsql_runtime::state::KeyedState<#key_ty, ::streamsql_runtime::rank::TopN<#row_ty>>),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter),
            quote!(#sk: ::streamsql_runtime::rank::SortKeyWriter),
        ];
        let inits = vec![
            quote!(#r: ::streamsql_runtime::state::KeyedState::new(state_ttl)),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter::new()),
            quote!(#sk: ::streamsql_runtime::rank::SortKeyWriter::new()),
        ];
        let mut row_fields = Vec::new();
        for (i, rp) in self.stored()? {
            let f = format_ident!("f{}", i);
            let t = keys::owned_type(rp);
            row_fields.push(quote!(#f: ::std::option::Option<#t>));
        }
        let doc = format!(" A row held by Top-N `r{}`.", self.index);
        let item = quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            struct #row_ty {
                #(#row_fields,)*
            }
        };
        Ok((fields, inits, item))
    }
}
