//! Codegen of regular joins (`a [LEFT|RIGHT|FULL] JOIN b ON a.k = b.k AND ...`).
//!
//! In: a `Join` plan node and which of its output columns the segment above reads.
//! Out: its state (a `runtime::join::Join` holding each side's rows — owned copies of
//! the columns read above or by the non-equality condition — by encoded equality
//! key), the statements that add or retract one row of either side, and the locals of
//! its output row (`None` for the padded side of an outer join's row).
//!
//! The join semantics — which rows match, the null-padded rows of outer joins and
//! their retraction when a first match arrives, state TTL — are the runtime's; the
//! generated code only encodes keys, copies rows and evaluates the condition.

use super::keys::local;
use super::*;
use crate::plan::JoinKind;

pub(super) struct JoinOp<'p> {
    pub index: usize,
    kind: JoinKind,
    equi_keys: &'p [(usize, usize)],
    condition: Option<&'p Expr>,
    left: &'p Schema,
    right: &'p Schema,
    /// Output columns the segment above reads.
    above: Vec<bool>,
}

impl<'p> JoinOp<'p> {
    pub fn new(node: &'p Plan, index: usize) -> Gen<Self> {
        let Plan::Join {
            left,
            right,
            kind,
            equi_keys,
            condition,
            ..
        } = node
        else {
            unreachable!("a Join")
        };
        if equi_keys.is_empty() {
            return unsupported("a join without an equality between its inputs");
        }
        for (l, r) in equi_keys {
            let (a, b) = (
                repr(&left.schema().fields[*l].ty)?,
                repr(&right.schema().fields[*r].ty)?,
            );
            let family = |r: Repr| {
                if r.is_int() || matches!(r, Repr::Ts | Repr::TsLtz | Repr::Date) {
                    Repr::I64
                } else if r.is_float() {
                    Repr::F64
                } else {
                    r
                }
            };
            if family(a) != family(b) {
                return unsupported(format!("a join key comparing {a:?} with {b:?}"));
            }
        }
        let width = left.schema().len() + right.schema().len();
        Ok(JoinOp {
            index,
            kind: *kind,
            equi_keys,
            condition: condition.as_ref(),
            left: left.schema(),
            right: right.schema(),
            above: vec![true; width],
        })
    }

    pub fn set_reads_above(&mut self, reads: Vec<bool>) {
        self.above = keys::resized(reads, self.left.len() + self.right.len());
    }

    /// Output columns kept in the stored rows (read above or by the condition).
    fn kept(&self) -> Vec<bool> {
        keys::kept(&self.above, self.condition)
    }

    /// Side `side`'s stored fields: (column of that side, representation).
    fn stored(&self, side: usize) -> Gen<Vec<(usize, Repr)>> {
        let kept = self.kept();
        let (schema, offset) = self.side(side);
        let mut out = Vec::new();
        for (i, f) in schema.fields.iter().enumerate() {
            if kept[offset + i] {
                out.push((i, repr(&f.ty)?));
            }
        }
        Ok(out)
    }

    fn side(&self, side: usize) -> (&'p Schema, usize) {
        if side == 0 {
            (self.left, 0)
        } else {
            (self.right, self.left.len())
        }
    }

    pub fn reads(&self, side: usize) -> Vec<bool> {
        let (schema, _) = self.side(side);
        let mut used = vec![false; schema.len()];
        for (i, _) in self.stored(side).unwrap_or_default() {
            used[i] = true;
        }
        for (l, r) in self.equi_keys {
            used[if side == 0 { *l } else { *r }] = true;
        }
        used
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("{}{}", what, self.index)
    }

    fn row_ty(&self, side: usize) -> Ident {
        self.ident(if side == 0 { "JoinLeft" } else { "JoinRight" })
    }

    /// Locals of the joined row from `l`/`r` (`Option<&JoinLeft>`/`Option<&JoinRight>`),
    /// into `cols` (the joined width), with the statements that make them.
    fn joined_locals(&self, prefix: &str) -> Gen<(Vec<TokenStream>, Vec<Option<Local>>)> {
        let mut stmts = Vec::new();
        let mut cols = vec![None; self.left.len() + self.right.len()];
        for side in 0..2 {
            let (_, offset) = self.side(side);
            let row = if side == 0 { quote!(l) } else { quote!(r) };
            for (i, rp) in self.stored(side)? {
                let ident = format_ident!("{}{}", prefix, offset + i);
                let f = format_ident!("f{}", i);
                let ty = rp.rust();
                let v = match rp {
                    Repr::Str | Repr::Bytes => {
                        quote!(#row.and_then(|x| x.#f.as_deref()).map(::std::borrow::Cow::Borrowed))
                    }
                    _ => quote!(#row.and_then(|x| x.#f)),
                };
                stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #v;));
                cols[offset + i] = Some(local(ident, rp));
            }
        }
        Ok((stmts, cols))
    }

    pub fn add_row(
        &self,
        side: usize,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        kind: TokenStream,
    ) -> Gen<TokenStream> {
        let j = self.ident("j");
        let kw = self.ident("jkw");
        let emit = self.ident("emit_j");
        let row_ty = self.row_ty(side);
        let kw_ = quote!(self.#kw);
        let mut stmts = vec![quote!(#kw_.clear();)];
        let mut nulls = Vec::new();
        for (l, r) in self.equi_keys {
            let c = if side == 0 { *l } else { *r };
            let local = cols
                .get(c)
                .and_then(|x| x.as_ref())
                .ok_or_else(|| Unsupported("a join key column that is not computed".into()))?;
            let i = &local.ident;
            stmts.push(keys::push_key(&kw_, quote!(#i), local.repr));
            nulls.push(quote!(#i.is_none()));
        }
        let mut fields = Vec::new();
        for (i, rp) in self.stored(side)? {
            let f = format_ident!("f{}", i);
            let l = cols
                .get(i)
                .and_then(|c| c.as_ref())
                .ok_or_else(|| Unsupported("a join input column that is not computed".into()))?;
            let v = keys::to_owned(l.value(), rp);
            fields.push(quote!(#f: #v));
        }
        // The non-equality condition over a (left, right) pair of stored rows.
        let matches = match self.condition {
            None => quote!(|_, _| true),
            Some(c) => {
                let (decode, jcols) = self.joined_locals("m")?;
                let label: syn::Lifetime = syn::parse_str("'cond").expect("label");
                let mut ccx = ExprCx {
                    dialect: cx.dialect,
                    fail: Fail::Block(&label),
                    paths: None,
                };
                let cond = expr(c, &jcols, &mut ccx)?;
                let (lt, rt) = (self.row_ty(0), self.row_ty(1));
                quote! {
                    |l: &#lt, r: &#rt| -> bool {
                        let (l, r) = (Some(l), Some(r));
                        let t: ::std::result::Result<bool, &'static str> = 'cond: {
                            #(#decode)*
                            Ok(::streamsql_runtime::func::logic::is_true(#cond))
                        };
                        // A condition that fails to evaluate is not TRUE.
                        t.unwrap_or(false)
                    }
                }
            }
        };
        let call = if side == 0 {
            format_ident!("left")
        } else {
            format_ident!("right")
        };
        stmts.push(quote! {
            let row = #row_ty { #(#fields,)* };
            let key = if #(#nulls)||* { None } else { Some(#kw_.bytes()) };
            let mut out = ::std::vec::Vec::new();
            self.#j.#call(#kind, key, row, ctx.now_ms, #matches, &mut out);
            for (kind, l, r) in out {
                self.#emit(kind, l.as_ref(), r.as_ref(), sinks, ctx);
            }
        });
        Ok(quote!(#(#stmts)*))
    }

    pub fn output(&self) -> Gen<(TokenStream, TokenStream, Vec<Option<Local>>)> {
        let (stmts, cols) = self.joined_locals("o")?;
        let (lt, rt) = (self.row_ty(0), self.row_ty(1));
        Ok((
            quote!(l: ::std::option::Option<&#lt>, r: ::std::option::Option<&#rt>),
            quote!(#(#stmts)*),
            cols,
        ))
    }

    pub fn state(&self) -> Gen<(Vec<TokenStream>, Vec<TokenStream>, TokenStream)> {
        let j = self.ident("j");
        let kw = self.ident("jkw");
        let (lt, rt) = (self.row_ty(0), self.row_ty(1));
        let kind = match self.kind {
            JoinKind::Inner => quote!(Inner),
            JoinKind::Left => quote!(Left),
            JoinKind::Right => quote!(Right),
            JoinKind::Full => quote!(Full),
        };
        let fields = vec![
            quote!(#j: ::streamsql_runtime::join::Join<#lt, #rt>),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter),
        ];
        let inits = vec![
            quote!(#j: ::streamsql_runtime::join::Join::new(::streamsql_runtime::join::JoinType::#kind, state_ttl)),
            quote!(#kw: ::streamsql_runtime::key::KeyWriter::new()),
        ];
        let mut items = Vec::new();
        for side in 0..2 {
            let ty = self.row_ty(side);
            let mut row_fields = Vec::new();
            for (i, rp) in self.stored(side)? {
                let f = format_ident!("f{}", i);
                let t = keys::owned_type(rp);
                row_fields.push(quote!(#f: ::std::option::Option<#t>));
            }
            let doc = format!(
                " A {} row held by join `j{}`.",
                if side == 0 { "left" } else { "right" },
                self.index
            );
            items.push(quote! {
                #[doc = #doc]
                #[derive(Clone, Debug, PartialEq)]
                struct #ty {
                    #(#row_fields,)*
                }
            });
        }
        Ok((fields, inits, quote!(#(#items)*)))
    }
}
