//! Codegen of lookup joins (`JOIN dim FOR SYSTEM_TIME AS OF PROCTIME() AS d ON d.k =
//! <expression over the stream row> AND ...`, INNER or LEFT).
//!
//! In: a `LookupJoin` plan node and which of its output columns the segment above
//! reads. Out: its state (a `runtime::lookup::LookupJoin` queueing owned copies of the
//! stream columns read above or by the extra condition — strings in the join's text,
//! as `Held` — with their key values in its reused buffers), the
//! statements that take one input row (joined at once when the runtime answers its
//! key from memory, `LookupJoin::probe`, else queued), the method that resolves the
//! queue once per batch (`flush_l<N>`), the joining of a row with its dimension rows
//! (the extra condition per dimension row, NULL padding for a LEFT join without a
//! match) that both share, and the locals of its output row, read from a borrowed
//! `LookupView<N>` of the input row.
//!
//! Where dimension rows come from, batching many keys into one round trip, caching and
//! retries are the runtime's; the generated code computes keys, copies rows, reads
//! dimension values as typed locals and evaluates the condition. Queued rows are
//! resolved at the end of every batch (in `tick`) and at the end of the input (in
//! `finish`), before the driver hands the sinks' rows on and commits offsets, so no
//! row waits across a commit.
//!
//! A sink of the job that writes the table the join reads ([`writes_table`]) hands the
//! join each row it writes (`LookupJoin::wrote`, emitted after the sink's encoding),
//! and the flush loop shows every row the job's writes so far
//! (`LookupJoin::with_own_writes`): read-your-writes, exact within a batch.

use super::keys::{local, mark_columns, owned_type, to_owned};
use super::*;
use crate::plan::JoinKind;

pub(super) struct LookupOp<'p> {
    pub index: usize,
    left: bool,
    table: &'p TableDesc,
    /// (dimension column, key expression over the input row).
    keys: &'p [(usize, Expr)],
    condition: Option<&'p Expr>,
    input: &'p Schema,
    dim: &'p Schema,
    /// Output columns the segment above reads.
    above: Vec<bool>,
    /// Sinks of the job that write the table this lookup reads (see [`writes_table`]).
    writers: Vec<String>,
}

impl<'p> LookupOp<'p> {
    pub fn new(node: &'p Plan, index: usize) -> Gen<Self> {
        let Plan::LookupJoin {
            input,
            table,
            dim_schema,
            kind,
            keys,
            condition,
            ..
        } = node
        else {
            unreachable!("a LookupJoin")
        };
        let left = match kind {
            JoinKind::Inner => false,
            JoinKind::Left => true,
            other => return unsupported(format!("a {other:?} lookup join")),
        };
        for (d, e) in keys {
            let (a, b) = (repr(&dim_schema.fields[*d].ty)?, repr(e.ty())?);
            if key_family(a) != key_family(b) {
                return unsupported(format!(
                    "a lookup key comparing {a:?} column `{}` with {b:?}",
                    dim_schema.fields[*d].name
                ));
            }
        }
        for f in &dim_schema.fields {
            repr(&f.ty)?;
        }
        let width = input.schema().len() + dim_schema.len();
        Ok(LookupOp {
            index,
            left,
            table,
            keys,
            condition: condition.as_ref(),
            input: input.schema(),
            dim: dim_schema,
            above: vec![true; width],
            writers: Vec::new(),
        })
    }

    /// The dimension table.
    pub fn table(&self) -> &'p TableDesc {
        self.table
    }

    /// Sink `sink` writes the table: its rows are handed to the runtime's join, which
    /// shows them to the rows it emits after (read-your-writes).
    pub fn add_writer(&mut self, sink: &str) {
        self.writers.push(sink.to_string());
    }

    /// The sinks whose rows it sees.
    pub fn writers(&self) -> &[String] {
        &self.writers
    }

    pub fn set_reads_above(&mut self, reads: Vec<bool>) {
        self.above = keys::resized(reads, self.input.len() + self.dim.len());
    }

    /// Output columns needed after the lookup (read above or by the condition).
    fn kept(&self) -> Vec<bool> {
        keys::kept(&self.above, self.condition)
    }

    /// The queued input row's fields: (input column, representation).
    fn stored(&self) -> Gen<Vec<(usize, Repr)>> {
        let kept = self.kept();
        let mut out = Vec::new();
        for (i, f) in self.input.fields.iter().enumerate() {
            if kept[i] {
                out.push((i, repr(&f.ty)?));
            }
        }
        Ok(out)
    }

    /// Input columns read: the stored ones and those the key expressions read.
    pub fn reads(&self) -> Vec<bool> {
        let mut used = vec![false; self.input.len()];
        for (i, _) in self.stored().unwrap_or_default() {
            used[i] = true;
        }
        for (_, e) in self.keys {
            mark_columns(e, &mut used);
        }
        used
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("{}{}", what, self.index)
    }

    /// Locals of the joined row from `l` (`Option<LookupView>`: the input row's
    /// columns, borrowed) and `d` (`Option<&[Value]>`, `None` for a LEFT join's
    /// padding), with their statements.
    fn joined_locals(&self, prefix: &str) -> Gen<(Vec<TokenStream>, Vec<Option<Local>>)> {
        let kept = self.kept();
        let mut stmts = Vec::new();
        let mut cols = vec![None; self.input.len() + self.dim.len()];
        for (i, rp) in self.stored()? {
            let ident = format_ident!("{}{}", prefix, i);
            let f = format_ident!("f{}", i);
            let ty = rp.rust();
            let v = match rp {
                Repr::Str | Repr::Bytes => {
                    quote!(l.and_then(|x| x.#f).map(::std::borrow::Cow::Borrowed))
                }
                _ => quote!(l.and_then(|x| x.#f)),
            };
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #v;));
            cols[i] = Some(local(ident, rp));
        }
        let offset = self.input.len();
        for (i, f) in self.dim.fields.iter().enumerate() {
            if !kept[offset + i] {
                continue;
            }
            let rp = repr(&f.ty)?;
            let ident = format_ident!("{}{}", prefix, offset + i);
            let ty = rp.rust();
            let v = quote!(d.and_then(|d| d.get(#i)));
            let read = match rp {
                Repr::Str => {
                    quote!(#v.and_then(::streamsql_runtime::lookup::str).map(::std::borrow::Cow::Borrowed))
                }
                Repr::Bytes => {
                    quote!(#v.and_then(::streamsql_runtime::lookup::bytes).map(::std::borrow::Cow::Borrowed))
                }
                Repr::Bool => quote!(#v.and_then(::streamsql_runtime::lookup::boolean)),
                r if r.is_int() => {
                    quote!(#v.and_then(::streamsql_runtime::lookup::int).map(|x| x as #ty))
                }
                r if r.is_float() => {
                    quote!(#v.and_then(::streamsql_runtime::lookup::float).map(|x| x as #ty))
                }
                Repr::Ts => quote!(#v.and_then(::streamsql_runtime::lookup::timestamp)),
                Repr::TsLtz => {
                    quote!(#v.and_then(::streamsql_runtime::lookup::timestamp).map(|t| ::streamsql_runtime::TimestampLtz(t.0)))
                }
                Repr::Date => quote!(#v.and_then(::streamsql_runtime::lookup::date)),
                _ => unreachable!("every representation is handled above"),
            };
            stmts.push(quote!(let #ident: ::std::option::Option<#ty> = #read;));
            cols[offset + i] = Some(local(ident, rp));
        }
        Ok((stmts, cols))
    }

    /// One input row: its key values (as the dimension's key columns' values), then
    /// joined at once when the runtime answers it from memory (`LookupJoin::probe`),
    /// else queued with its stored columns.
    pub fn add_row(
        &self,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        kind: TokenStream,
    ) -> Gen<TokenStream> {
        let l = self.ident("l");
        let row_ty = self.ident("LookupIn");
        let view_ty = self.ident("LookupView");
        let mut stmts = Vec::new();
        let mut key_idents = Vec::new();
        for (n, (_, e)) in self.keys.iter().enumerate() {
            let v = expr(e, cols, cx)?;
            let k = format_ident!("lk{}", n);
            let rp = repr(e.ty())?;
            let ty = rp.rust();
            stmts.push(quote!(let #k: ::std::option::Option<#ty> = #v;));
            key_idents.push((k, rp));
        }
        // Key values go into the join's reused buffers; a NULL key gives none (it
        // matches nothing, as SQL `=`).
        let give = key_idents.iter().map(|(k, rp)| match rp {
            Repr::Str => quote!(self.#l.key_str(&#k);),
            _ => {
                let v = value(quote!(#k), *rp);
                quote!(self.#l.key_value(#v);)
            }
        });
        let binds = key_idents.iter().map(|(k, _)| k);
        let pattern = key_idents
            .iter()
            .map(|(k, _)| quote!(::std::option::Option::Some(#k)));
        let key = quote! {
            if let (#(#pattern,)*) = (#(#binds,)*) {
                #(#give)*
            }
        };
        let mut fields = Vec::new();
        let mut viewed = Vec::new();
        for (i, rp) in self.stored()? {
            let f = format_ident!("f{}", i);
            let c = cols
                .get(i)
                .and_then(|c| c.as_ref())
                .ok_or_else(|| Unsupported("a lookup input column that is not computed".into()))?;
            let ident = &c.ident;
            let v = match rp {
                // Strings are copied into the join's text, not allocated one by one.
                Repr::Str => quote!(#ident.as_deref().map(|s| self.#l.hold(s))),
                _ => to_owned(c.value(), rp),
            };
            fields.push(quote!(#f: #v));
            viewed.push(match rp {
                Repr::Str | Repr::Bytes => quote!(#f: #ident.as_deref()),
                _ => quote!(#f: #ident),
            });
        }
        let join = self.join_rows(cx.dialect)?;
        stmts.push(quote! {
            #key
            if let Some(dims) = self.#l.probe(ctx) {
                let l = #view_ty { #(#viewed,)* _text: ::std::marker::PhantomData };
                let kind = #kind;
                #join
            } else {
                let row = #row_ty { #(#fields,)* };
                self.#l.push_row(#kind, row);
            }
        });
        Ok(quote!(#(#stmts)*))
    }

    /// Joins input row `l` (a `LookupView`, of kind `kind`) with its `dims`: each
    /// dimension row the rest of the ON condition holds for, and for a LEFT join the
    /// row padded with NULLs when none does, goes to `emit_l<N>`.
    fn join_rows(&self, dialect: DialectKind) -> Gen<TokenStream> {
        let emit = self.ident("emit_l");
        let view_ty = self.ident("LookupView");
        let matches = match self.condition {
            None => quote!(true),
            Some(c) => {
                let (decode, jcols) = self.joined_locals("m")?;
                let label: syn::Lifetime = syn::parse_str("'cond").expect("label");
                let mut ccx = ExprCx {
                    dialect,
                    fail: Fail::Block(&label),
                    paths: None,
                };
                let cond = expr(c, &jcols, &mut ccx)?;
                quote! {{
                    let (l, d): (::std::option::Option<#view_ty<'_>>, ::std::option::Option<&[::streamsql_runtime::store::Value]>) = (Some(l), Some(d));
                    let t: ::std::result::Result<bool, &'static str> = 'cond: {
                        #(#decode)*
                        Ok(::streamsql_runtime::func::logic::is_true(#cond))
                    };
                    // A condition that fails to evaluate is not TRUE.
                    t.unwrap_or(false)
                }}
            }
        };
        let pad = if self.left {
            quote! {
                if !matched {
                    self.#emit(kind, Some(l), None, sinks, ctx);
                }
            }
        } else {
            quote!()
        };
        Ok(quote! {
            let mut matched = false;
            for d in dims.iter() {
                let d: &[::streamsql_runtime::store::Value] = d;
                if #matches {
                    matched = true;
                    self.#emit(kind, Some(l), Some(d), sinks, ctx);
                }
            }
            #pad
        })
    }

    pub fn output(&self) -> Gen<(TokenStream, TokenStream, Vec<Option<Local>>)> {
        let (stmts, cols) = self.joined_locals("o")?;
        let view_ty = self.ident("LookupView");
        Ok((
            quote!(l: ::std::option::Option<#view_ty<'_>>, d: ::std::option::Option<&[::streamsql_runtime::store::Value]>),
            quote!(#(#stmts)*),
            cols,
        ))
    }

    /// `flush_l<N>`: resolves the queued rows and runs the joined rows up the chain.
    pub fn flush_fn(&self, dialect: DialectKind) -> Gen<TokenStream> {
        let (l, flush) = (self.ident("l"), self.ident("flush_l"));
        let view_ty = self.ident("LookupView");
        let viewed = self.stored()?.into_iter().map(|(i, rp)| {
            let f = format_ident!("f{}", i);
            match rp {
                Repr::Str => quote!(#f: q.#f.map(|h| h.get(text))),
                Repr::Bytes => quote!(#f: q.#f.as_deref()),
                _ => quote!(#f: q.#f),
            }
        });
        let join = self.join_rows(dialect)?;
        let row = quote! {
            let l = #view_ty { #(#viewed,)* _text: ::std::marker::PhantomData };
            #join
        };
        // A table the job also writes: each row sees the rows written before it was
        // emitted, this batch's too.
        let rows_loop = if self.writers.is_empty() {
            quote! {
                for (kind, q, dims) in resolved.iter() {
                    #row
                }
            }
        } else {
            quote! {
                for (i, (kind, q, _)) in resolved.iter().enumerate() {
                    let dims = self.#l.with_own_writes(&resolved, i);
                    #row
                }
            }
        };
        Ok(quote! {
            fn #flush(&mut self, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                if self.#l.is_empty() {
                    return;
                }
                let resolved = match self.#l.resolve(ctx) {
                    Ok(resolved) => resolved,
                    Err(e) => {
                        ctx.fail(e);
                        return;
                    }
                };
                let text: &str = resolved.text();
                #rows_loop
                self.#l.recycle(resolved);
            }
        })
    }

    pub fn state(&self) -> Gen<(Vec<TokenStream>, Vec<TokenStream>, TokenStream)> {
        let l = self.ident("l");
        let row_ty = self.ident("LookupIn");
        let table = &self.table.name;
        let key_cols = self.keys.iter().map(|(d, _)| *d);
        let fields = vec![quote!(#l: ::streamsql_runtime::lookup::LookupJoin<#row_ty>)];
        let writers = &self.writers;
        let init = if writers.is_empty() {
            quote!(::streamsql_runtime::lookup::LookupJoin::new(#table, &[#(#key_cols),*]))
        } else {
            quote!(::streamsql_runtime::lookup::LookupJoin::new(#table, &[#(#key_cols),*]).written_by(&[#(#writers),*]))
        };
        let inits = vec![quote!(#l: #init)];
        let view_ty = self.ident("LookupView");
        let (mut row_fields, mut view_fields) = (Vec::new(), Vec::new());
        for (i, rp) in self.stored()? {
            let f = format_ident!("f{}", i);
            let t = match rp {
                Repr::Str => quote!(::streamsql_runtime::lookup::Held),
                _ => owned_type(rp),
            };
            row_fields.push(quote!(#f: ::std::option::Option<#t>));
            let v = match rp {
                Repr::Str => quote!(&'a str),
                Repr::Bytes => quote!(&'a [u8]),
                _ => rp.rust(),
            };
            view_fields.push(quote!(#f: ::std::option::Option<#v>));
        }
        let doc = format!(
            " An input row queued by lookup join `l{}` (on `{table}`).",
            self.index
        );
        let view_doc = format!(
            " An input row of lookup join `l{}`, borrowed: from the queue, or from the row's locals when it is joined at once.",
            self.index
        );
        let item = quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            struct #row_ty {
                #(#row_fields,)*
            }
            #[doc = #view_doc]
            #[derive(Clone, Copy, Debug)]
            struct #view_ty<'a> {
                #(#view_fields,)*
                _text: ::std::marker::PhantomData<&'a str>,
            }
        };
        Ok((fields, inits, item))
    }
}

/// A `store::Value` from `v`, a (non-NULL) value of representation `r`.
fn value(v: TokenStream, r: Repr) -> TokenStream {
    match r {
        Repr::Str => quote!(::streamsql_runtime::store::Value::Str(#v.into_owned())),
        Repr::Bytes => quote!(::streamsql_runtime::store::Value::Bytes(#v.into_owned())),
        Repr::Bool => quote!(::streamsql_runtime::store::Value::Bool(#v)),
        Repr::Ts | Repr::TsLtz => {
            quote!(::streamsql_runtime::store::Value::Timestamp(::streamsql_runtime::Timestamp(#v.0)))
        }
        Repr::Date => quote!(::streamsql_runtime::store::Value::Date(#v)),
        r if r.is_float() => quote!(::streamsql_runtime::store::Value::Float(#v as f64)),
        _ => quote!(::streamsql_runtime::store::Value::Int(#v as i64)),
    }
}

/// A `store::Value` from the local `ident` (`Option` of representation `r`; NULL
/// for `None`), leaving the local as it is.
pub(super) fn store_value(ident: &Ident, r: Repr) -> TokenStream {
    let v = if r.is_copy() {
        quote!(#ident)
    } else {
        quote!(#ident.as_deref())
    };
    quote!(::streamsql_runtime::lookup::value(#v))
}

/// Whether sink table `sink` writes the table that lookup table `dim` reads, as their
/// `WITH` options say: the same connector family among those that can serve lookups,
/// the same physical table (`table-name`/`tableName`, else the SQL name; ASCII case
/// ignored, as MySQL's default) and the same `url` (or neither has one: the embedded
/// default). The runtime confirms it with the job's final options
/// (`runtime::lookup::LookupJoin::wrote`).
pub(super) fn writes_table(sink: &TableDesc, dim: &TableDesc) -> bool {
    let option = |t: &TableDesc, keys: &[&str]| {
        t.options
            .iter()
            .find(|(k, _)| keys.iter().any(|want| k.eq_ignore_ascii_case(want)))
            .map(|(_, v)| v.clone())
    };
    let physical =
        |t: &TableDesc| option(t, &["table-name", "tableName"]).unwrap_or_else(|| t.name.clone());
    sink.connector == dim.connector
        && matches!(dim.connector.as_str(), "jdbc" | "hbase" | "ots")
        && physical(sink).eq_ignore_ascii_case(&physical(dim))
        && option(sink, &["url"]) == option(dim, &["url"])
}

/// Representations whose values are the same kind of `store::Value` (what a key
/// expression may be compared with a dimension column as).
fn key_family(r: Repr) -> Repr {
    if r.is_int() {
        Repr::I64
    } else if r.is_float() {
        Repr::F64
    } else if r == Repr::TsLtz {
        Repr::Ts
    } else {
        r
    }
}
