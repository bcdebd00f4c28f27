//! Codegen of stateless jobs: `Sink <- Calc* <- Scan` pipelines as one function per
//! source that decodes each message once and runs every INSERT reading it.
//!
//! In: a planned [`Job`]. Out: the tokens of `impl driver::Job for Job` (or the reason
//! the job cannot run yet: an operator or a function that has no code generator).
//!
//! Per message: the source's JSON paths — every `JSON_VALUE` chain over the message
//! column, fused into one path each (`JSON_VALUE(JSON_VALUE(m,'$.data'),'$.msg')` is
//! `$.data.msg`), and every physical column of a `format = 'json'` table — are read
//! in one scan into borrowed slots; the scan columns the job uses are computed once;
//! then each INSERT's filter and projections run as straight-line code inside a
//! labelled block (`break 'pN` ends that INSERT for this row), encoding the output row
//! into its sink's buffer.

use super::source_and_sink_tables;
use crate::ast::DialectKind;
use crate::plan::{Expr, Job, Literal, Plan, Schema, TableDesc};
use crate::types::{SqlType, TypeKind};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

mod agg;
mod group;
mod join;
mod keys;
mod lookup;
mod rank;
mod window;

/// Why a job cannot be generated yet (shown by the harness and `streamsql run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

type Gen<T> = Result<T, Unsupported>;

fn unsupported<T>(what: impl Into<String>) -> Gen<T> {
    Err(Unsupported(what.into()))
}

/// How a SQL type is held in generated code (always inside `Option`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Str,
    Bytes,
    Ts,
    TsLtz,
    Date,
}

fn repr(t: &SqlType) -> Gen<Repr> {
    Ok(match &t.kind {
        TypeKind::Boolean => Repr::Bool,
        TypeKind::TinyInt => Repr::I8,
        TypeKind::SmallInt => Repr::I16,
        TypeKind::Int => Repr::I32,
        TypeKind::BigInt => Repr::I64,
        TypeKind::Float => Repr::F32,
        TypeKind::Double => Repr::F64,
        TypeKind::Char(_) | TypeKind::Varchar(_) => Repr::Str,
        TypeKind::Binary(_) | TypeKind::Varbinary(_) => Repr::Bytes,
        TypeKind::Timestamp(_) => Repr::Ts,
        TypeKind::TimestampLtz(_) => Repr::TsLtz,
        TypeKind::Date => Repr::Date,
        other => return unsupported(format!("values of type {other}")),
    })
}

impl Repr {
    fn is_int(self) -> bool {
        matches!(self, Repr::I8 | Repr::I16 | Repr::I32 | Repr::I64)
    }
    fn is_float(self) -> bool {
        matches!(self, Repr::F32 | Repr::F64)
    }
    fn is_copy(self) -> bool {
        !matches!(self, Repr::Str | Repr::Bytes)
    }
    fn rust(self) -> TokenStream {
        match self {
            Repr::Bool => quote!(bool),
            Repr::I8 => quote!(i8),
            Repr::I16 => quote!(i16),
            Repr::I32 => quote!(i32),
            Repr::I64 => quote!(i64),
            Repr::F32 => quote!(f32),
            Repr::F64 => quote!(f64),
            Repr::Str => quote!(::std::borrow::Cow<'_, str>),
            Repr::Bytes => quote!(::std::borrow::Cow<'_, [u8]>),
            Repr::Ts => quote!(::streamsql_runtime::Timestamp),
            Repr::TsLtz => quote!(::streamsql_runtime::TimestampLtz),
            Repr::Date => quote!(::streamsql_runtime::Date),
        }
    }
}

/// A value in scope: the local holding it and its type.
#[derive(Clone)]
struct Local {
    ident: Ident,
    repr: Repr,
    /// The scan column this is (or aliases) when that column is computed on first
    /// use: code reading it must first [`force`] it.
    lazy: Option<usize>,
    /// A `CONCAT` that is a raw message sink's value, not computed into the local:
    /// its parts (`Option<&str>` views) are written straight into the sink's buffer.
    direct: Option<Vec<TokenStream>>,
    /// The same for every row of one window's firing: a window bound, or computed
    /// from bounds and constants only (then computed once per window, see
    /// [`segment`]).
    per_window: bool,
}

impl Local {
    /// The value as an owned expression (`Cow` clones are pointer copies when borrowed).
    fn value(&self) -> TokenStream {
        let i = &self.ident;
        if self.repr.is_copy() {
            quote!(#i)
        } else {
            quote!(#i.clone())
        }
    }
}

/// Per source: the JSON paths its scan reads.
#[derive(Default)]
struct Paths {
    /// (steps, boundary indexes closed to objects), in slot order.
    paths: Vec<(Vec<String>, Vec<usize>)>,
    /// The fused `JSON_VALUE` chains over those slots (`FUSED[k]` in the source's fn).
    fused: Vec<TokenStream>,
}

impl Paths {
    fn slot(&mut self, steps: Vec<String>, closed: Vec<usize>) -> usize {
        match self
            .paths
            .iter()
            .position(|(s, c)| *s == steps && *c == closed)
        {
            Some(i) => i,
            None => {
                self.paths.push((steps, closed));
                self.paths.len() - 1
            }
        }
    }
}

/// How a source's messages map onto its columns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SourceStyle {
    /// Blink Kafka style or `format = 'raw'`: the message value is the `message` column.
    Message { column: usize },
    /// Each message is a JSON object of the physical columns.
    JsonObject,
}

struct ExprCx<'a> {
    dialect: DialectKind,
    /// What a failing row does (e.g. a strict CAST that fails).
    fail: Fail<'a>,
    /// The JSON paths of the current source, and which column holds the message.
    paths: Option<(&'a mut Paths, usize)>,
}

/// Where a failing expression goes.
#[derive(Clone, Copy)]
enum Fail<'a> {
    /// Leave the INSERT's block with `Err(reason)`: the row is dead-lettered.
    Block(&'a syn::Lifetime),
    /// A scan column failed: dead-letter the message and skip every INSERT for it
    /// (Flink would fail the whole job on it).
    Message {
        label: &'a syn::Lifetime,
        source: &'a str,
    },
}

impl Fail<'_> {
    fn with(self, reason: &str) -> TokenStream {
        match self {
            Fail::Block(label) => quote!(break #label Err(#reason)),
            Fail::Message { label, source } => quote!({
                ctx.dead_letter(#source, msg, #reason);
                break #label;
            }),
        }
    }
}

/// One operator of an INSERT above its scan, bottom-up.
#[derive(Clone, Copy)]
enum Stage<'p> {
    Calc(&'p Plan),
    /// A window TVF under its window aggregate (which assigns the windows itself).
    Tvf,
    /// A window aggregate: an index into the job's window operators.
    Window(usize),
}

/// A stateful operator other than a window aggregate: rows come in through the
/// chains that end at it and go out through the one chain that starts at it (by a
/// generated `emit_*` method).
enum Op<'p> {
    Group(group::GroupOp<'p>),
    Rank(rank::RankOp<'p>),
    Join(join::JoinOp<'p>),
    Lookup(lookup::LookupOp<'p>),
}

/// An operator and whether its output is updating (Flink's changelog mode).
struct OpNode<'p> {
    /// The plan node it was made from.
    node: &'p Plan,
    op: Op<'p>,
    updating: bool,
    /// Width of its output rows.
    width: usize,
}

impl<'p> OpNode<'p> {
    /// Operator `index` of the job, from its plan node.
    fn new(node: &'p Plan, index: usize) -> Gen<Self> {
        let op = match node {
            Plan::GroupAggregate { .. } => Op::Group(group::GroupOp::new(node, index)?),
            Plan::Rank { .. } => Op::Rank(rank::RankOp::new(node, index)?),
            Plan::Join { .. } => Op::Join(join::JoinOp::new(node, index)?),
            Plan::LookupJoin { .. } => Op::Lookup(lookup::LookupOp::new(node, index)?),
            other => return unsupported(operator_name(other)),
        };
        Ok(OpNode {
            node,
            op,
            updating: node.is_updating(),
            width: node.schema().len(),
        })
    }

    fn updating(&self) -> bool {
        self.updating
    }

    /// Which columns of input `side` the operator reads (or keeps for above).
    fn reads(&self, side: usize) -> Vec<bool> {
        match &self.op {
            Op::Group(g) => g.reads(),
            Op::Rank(r) => r.reads(),
            Op::Join(j) => j.reads(side),
            Op::Lookup(l) => l.reads(),
        }
    }

    fn set_reads_above(&mut self, reads: Vec<bool>) {
        match &mut self.op {
            Op::Group(_) => {}
            Op::Rank(r) => r.set_reads_above(reads),
            Op::Join(j) => j.set_reads_above(reads),
            Op::Lookup(l) => l.set_reads_above(reads),
        }
    }

    fn add_row(
        &self,
        side: usize,
        cols: &[Option<Local>],
        cx: &mut ExprCx<'_>,
        kind: TokenStream,
    ) -> Gen<TokenStream> {
        match &self.op {
            Op::Group(g) => g.add_row(cols, cx, kind),
            Op::Rank(r) => r.add_row(cols, cx, kind),
            Op::Join(j) => j.add_row(side, cols, cx, kind),
            Op::Lookup(l) => l.add_row(cols, cx, kind),
        }
    }

    /// The `emit_*` method's name and (after `kind`) parameters, the statements that
    /// make its output locals, and the locals.
    fn output(&self) -> Gen<(Ident, TokenStream, TokenStream, Vec<Option<Local>>)> {
        let (name, (params, decode, cols)) = match &self.op {
            Op::Group(g) => (format_ident!("emit_g{}", g.index), g.output()?),
            Op::Rank(r) => (format_ident!("emit_r{}", r.index), r.output()?),
            Op::Join(j) => (format_ident!("emit_j{}", j.index), j.output()?),
            Op::Lookup(l) => (format_ident!("emit_l{}", l.index), l.output()?),
        };
        Ok((name, params, decode, cols))
    }

    fn state(&self) -> Gen<(Vec<TokenStream>, Vec<TokenStream>, TokenStream)> {
        match &self.op {
            Op::Group(g) => Ok(g.state()),
            Op::Rank(r) => r.state(),
            Op::Join(j) => j.state(),
            Op::Lookup(l) => l.state(),
        }
    }

    /// The field holding the operator's keyed state (expired with the state TTL);
    /// `None` for a lookup join, which keeps rows only until the end of the batch.
    fn state_field(&self) -> Option<Ident> {
        match &self.op {
            Op::Group(g) => Some(format_ident!("g{}", g.index)),
            Op::Rank(r) => Some(format_ident!("r{}", r.index)),
            Op::Join(j) => Some(format_ident!("j{}", j.index)),
            Op::Lookup(_) => None,
        }
    }

    fn name(&self) -> &'static str {
        match &self.op {
            Op::Group(_) => "GroupAggregate",
            Op::Rank(_) => "Rank",
            Op::Join(_) => "Join",
            Op::Lookup(_) => "LookupJoin",
        }
    }
}

/// Where a chain's rows come from.
#[derive(Clone, Copy)]
enum Start<'p> {
    /// Each message of source `source` (an index into the job's sources).
    Scan { source: usize, scan: &'p Plan },
    /// The output of stateful operator `ops[i]`.
    Op(usize),
    /// The rows window aggregate `windows[w]` fires, when another INSERT's chain runs
    /// through it (the INSERTs share it).
    Window(usize),
}

/// Where a chain's rows go.
#[derive(Clone, Copy)]
enum End<'p> {
    /// Index into the job's sinks, and the sink node's parts.
    Sink {
        k: usize,
        table: &'p TableDesc,
        columns: &'p [usize],
        schema: &'p Schema,
        /// The sink consumes a changelog (`-U/+U/-D` rows), not only inserts.
        updating: bool,
        /// Its primary key does not identify the query's rows: Flink's upsert
        /// materializer runs in front of it (see `runtime::materialize`).
        materialize: Option<&'p Materialize>,
    },
    /// Input `side` (0, or 1 for a join's right input) of stateful operator `ops[op]`.
    Op { op: usize, side: usize },
}

/// A path of an INSERT between stateful operators: from a scan or an operator's
/// output, through Calcs (and window aggregates, which keep it insert-only), to a
/// sink or an operator's input.
struct Chain<'p> {
    pipeline: usize,
    start: Start<'p>,
    stages: Vec<Stage<'p>>,
    end: End<'p>,
    /// The rows carry a `kind` (they come from an updating operator).
    updating: bool,
}

impl<'p> Chain<'p> {
    /// Where a segment of this chain ends: window operator `w`, else the chain's end.
    fn terminal(&self, w: Option<usize>) -> Terminal<'p> {
        match w {
            Some(w) => Terminal::Window(w),
            None => match self.end {
                End::Sink {
                    k,
                    table,
                    columns,
                    schema,
                    updating,
                    materialize,
                } => Terminal::Sink {
                    k,
                    table,
                    columns,
                    schema,
                    updating,
                    materialize,
                },
                End::Op { op, side } => Terminal::Op { op, side },
            },
        }
    }

    /// The source whose messages this chain runs for, per message.
    fn scans(&self) -> Option<usize> {
        match self.start {
            Start::Scan { source, .. } => Some(source),
            Start::Op(_) | Start::Window(_) => None,
        }
    }

    /// The source whose messages start this chain: per message, or through the
    /// window it starts at.
    fn source(&self, windows: &[window::WindowOp<'_>]) -> Option<usize> {
        match self.start {
            Start::Scan { source, .. } => Some(source),
            Start::Window(w) => Some(windows[w].source),
            Start::Op(_) => None,
        }
    }
}

/// Where the rows of a segment of a chain go.
enum Terminal<'p> {
    Sink {
        k: usize,
        table: &'p TableDesc,
        columns: &'p [usize],
        schema: &'p Schema,
        updating: bool,
        materialize: Option<&'p Materialize>,
    },
    Window(usize),
    Op {
        op: usize,
        side: usize,
    },
}

/// The keys an upsert materializer in front of a sink needs, as input columns of the
/// sink's segment.
#[derive(Clone, Debug)]
struct Materialize {
    primary_key: Vec<usize>,
    unique_key: Option<Vec<usize>>,
}

/// When an updating query's unique key is not covered by its sink's primary key (or it
/// has none), the keys Flink's `SinkUpsertMaterializer` works with.
fn materialize(input: &Plan, table: &TableDesc, columns: &[usize]) -> Option<Materialize> {
    if !input.is_updating() || table.primary_key.is_empty() || table.connector == "print" {
        return None;
    }
    let primary_key: Vec<usize> = table
        .primary_key
        .iter()
        .map(|pk| columns.iter().position(|c| c == pk))
        .collect::<Option<_>>()?;
    let keys = input.unique_keys();
    if keys
        .iter()
        .any(|uk| uk.iter().all(|c| primary_key.contains(c)))
    {
        return None;
    }
    Some(Materialize {
        primary_key,
        unique_key: keys.into_iter().next(),
    })
}

/// The plan nodes the job's stateful operators were made from, by index.
#[derive(Default)]
struct Made<'p> {
    windows: Vec<&'p Plan>,
    ops: Vec<&'p Plan>,
}

impl Made<'_> {
    /// Where a chain whose next node down is `node` starts, if an operator equal to
    /// `node` (with everything below it) was made already.
    fn start_of(&self, node: &Plan) -> Option<Start<'static>> {
        if let Some(w) = self.windows.iter().position(|m| *m == node) {
            return Some(Start::Window(w));
        }
        self.ops.iter().position(|m| *m == node).map(Start::Op)
    }
}

/// Splits each INSERT into chains between stateful operators; every window aggregate
/// and every other stateful operator becomes an operator of the job — once: an INSERT
/// whose operator and everything below it equals one another INSERT already has
/// shares it (Flink's sub-plan reuse across the INSERTs of a job,
/// `table.optimizer.reuse-sub-plan-enabled`), and a chain starts at its output. So
/// state is kept once, and each row gets one answer from a lookup, one firing time,
/// whichever INSERTs read it.
fn chains<'p>(
    job: &'p Job,
    sources: &[String],
    sinks: &[String],
    materializers: &'p [Option<Materialize>],
    windows: &mut Vec<window::WindowOp<'p>>,
    ops: &mut Vec<OpNode<'p>>,
) -> Gen<Vec<Chain<'p>>> {
    let mut out = Vec::new();
    let mut made = Made::default();
    for (pi, p) in job.pipelines.iter().enumerate() {
        let Plan::Sink {
            input,
            table,
            columns,
            schema: sink_schema,
        } = &p.plan
        else {
            return unsupported("a pipeline without a sink");
        };
        let m = &materializers[pi];
        let end = End::Sink {
            materialize: m.as_ref(),
            k: sinks
                .iter()
                .position(|s| *s == table.name)
                .expect("sink listed"),
            table,
            columns,
            schema: sink_schema,
            updating: input.is_updating(),
        };
        chain_from(input, end, pi, sources, windows, ops, &mut made, &mut out)?;
    }
    Ok(out)
}

/// The chain that ends at `end` with `node` as its top, and (first) the chains below
/// the stateful operator it starts at (none when that operator is shared).
#[allow(clippy::too_many_arguments)]
fn chain_from<'p>(
    top: &'p Plan,
    end: End<'p>,
    pi: usize,
    sources: &[String],
    windows: &mut Vec<window::WindowOp<'p>>,
    ops: &mut Vec<OpNode<'p>>,
    made: &mut Made<'p>,
    out: &mut Vec<Chain<'p>>,
) -> Gen<()> {
    let mut stages = Vec::new();
    let mut node: &Plan = top;
    let start = loop {
        // An operator another INSERT already has: this chain starts at its output.
        if let Some(shared) = made.start_of(node) {
            break shared;
        }
        match node {
            Plan::Calc { input, .. } => {
                stages.push(Stage::Calc(node));
                node = input;
            }
            Plan::WindowAggregate { input, .. } => {
                if input.is_updating() {
                    return unsupported("a window aggregate over updating rows");
                }
                let tvf = window::tvf_under(input);
                let index = windows.len();
                windows.push(window::WindowOp::new(node, index, tvf)?);
                made.windows.push(node);
                stages.push(Stage::Window(index));
                node = input;
            }
            Plan::WindowTableFunction { input, .. }
                if matches!(stages.last(), Some(Stage::Window(_)))
                    || matches!(stages.as_slice(), [.., Stage::Window(_), Stage::Calc(_)]) =>
            {
                stages.push(Stage::Tvf);
                node = input;
            }
            Plan::WindowTableFunction { .. } => {
                return unsupported("a window TVF whose rows are not aggregated by window");
            }
            Plan::Scan { table: t, .. } => {
                let source = sources
                    .iter()
                    .position(|s| *s == t.name)
                    .expect("scanned table listed");
                break Start::Scan { source, scan: node };
            }
            Plan::GroupAggregate { .. }
            | Plan::Rank { .. }
            | Plan::Join { .. }
            | Plan::LookupJoin { .. } => {
                let o = ops.len();
                ops.push(OpNode::new(node, o)?);
                made.ops.push(node);
                // One chain into each input (a join's left is side 0, its right side 1).
                for (side, input) in node.inputs().into_iter().enumerate() {
                    chain_from(
                        input,
                        End::Op { op: o, side },
                        pi,
                        sources,
                        windows,
                        ops,
                        made,
                        out,
                    )?;
                }
                break Start::Op(o);
            }
            other => return unsupported(operator_name(other)),
        }
    };
    stages.reverse();
    let from_window = match start {
        Start::Scan { source, .. } => Some((source, None)),
        Start::Window(w) => Some((windows[w].source, Some(w))),
        Start::Op(_) => None,
    };
    if let Some((source, shared)) = from_window {
        let mut first_window = shared.is_none();
        let n_windows = stages
            .iter()
            .filter(|x| matches!(x, Stage::Window(_)))
            .count()
            + usize::from(shared.is_some());
        if let Some(w) = shared
            && n_windows > 1
        {
            // Its rows are now held in a window above too.
            windows[w].cascades = true;
        }
        for s in &stages {
            if let Stage::Window(w) = s {
                windows[*w].source = source;
                // Rows of a source message are held in the first window; its output
                // may be held again by later ones (released when state empties).
                windows[*w].cascades = n_windows > 1;
                windows[*w].first = first_window;
                first_window = false;
            }
        }
    } else if stages.iter().any(|s| matches!(s, Stage::Window(_))) {
        return unsupported("a window aggregate above a group aggregate, join or Top-N");
    }
    let updating = match start {
        Start::Scan { scan, .. } if scan.is_updating() => {
            return unsupported("reading an upsert-kafka source");
        }
        Start::Scan { .. } | Start::Window(_) => false,
        Start::Op(o) => ops[o].updating(),
    };
    out.push(Chain {
        pipeline: pi,
        start,
        stages,
        end,
        updating,
    });
    Ok(())
}

/// The segment of a chain that runs per message: its first Calcs, and the window
/// operator they feed (if any: else the sink).
fn first_segment<'p>(c: &Chain<'p>) -> (Vec<&'p Plan>, Option<usize>) {
    segment_of(&c.stages)
}

/// The Calcs at the start of `stages`, and the window operator they feed (if any:
/// else the sink).
fn segment_of<'p>(stages: &[Stage<'p>]) -> (Vec<&'p Plan>, Option<usize>) {
    let mut calcs = Vec::new();
    for s in stages {
        match s {
            Stage::Calc(p) => calcs.push(*p),
            Stage::Tvf => {}
            Stage::Window(w) => return (calcs, Some(*w)),
        }
    }
    (calcs, None)
}

/// Everything that generating one segment of a chain needs.
struct Segment<'a, 'p> {
    dialect: DialectKind,
    /// Calcs bottom-up, then where their rows go.
    calcs: Vec<&'p Plan>,
    terminal: Terminal<'p>,
    label: &'a syn::Lifetime,
    windows: &'a [window::WindowOp<'p>],
    ops: &'a [OpNode<'p>],
    /// Per sink, the lookup joins (operator indexes) reading the table it writes:
    /// each row written is handed to them too (read-your-writes).
    writes: &'a [Vec<usize>],
    /// The rows carry a `kind: RowKind` local (else they are all inserts).
    updating: bool,
    /// The source table, when the segment runs per message (late rows name it).
    source: Option<&'a str>,
    /// WHERE conjuncts over the scan that several INSERTs test, each with the local
    /// (`Option<bool>`, per message) that remembers its outcome.
    shared: &'a [(&'p Expr, Ident)],
}

/// Statements of one segment: its Calcs over `cols`, then its terminal. Projections
/// over per-window locals only (see [`Local::per_window`]) keep their value in a local
/// declared in `per_fire`, which the caller puts before its loop over fired windows.
fn segment(
    seg: &Segment<'_, '_>,
    mut cols: Vec<Option<Local>>,
    lazy: &[Option<Lazy>],
    forced: &mut BTreeSet<usize>,
    per_fire: &mut Vec<TokenStream>,
) -> Gen<Vec<TokenStream>> {
    let label = seg.label;
    let mut stmts = Vec::new();
    // Forces the lazy scan columns `e` reads, before `e` runs.
    let prepare = |e: &Expr,
                   cols: &[Option<Local>],
                   forced: &mut BTreeSet<usize>,
                   stmts: &mut Vec<TokenStream>| {
        e.walk(&mut |x| {
            if let Expr::Column { index, .. } = x
                && let Some(Some(Local { lazy: Some(c), .. })) = cols.get(*index)
            {
                force(*c, lazy, forced, stmts);
            }
        });
    };
    let top_used = match &seg.terminal {
        Terminal::Sink { .. } => None,
        Terminal::Window(w) => Some(seg.windows[*w].reads()),
        Terminal::Op { op, side } => Some(seg.ops[*op].reads(*side)),
    };
    let used = used_projections(&seg.calcs, top_used);
    // The projection that is a Blink Kafka-style sink's `message` (the record value).
    let message_column = match &seg.terminal {
        Terminal::Sink {
            table,
            columns,
            schema,
            ..
        } => blink_kafka_column(table, schema, "message")
            .and_then(|m| columns.iter().position(|c| *c == m)),
        Terminal::Window(_) | Terminal::Op { .. } => None,
    };
    for (level, calc) in seg.calcs.iter().enumerate() {
        let Plan::Calc {
            filter,
            projections,
            ..
        } = calc
        else {
            unreachable!()
        };
        let mut cx = ExprCx {
            dialect: seg.dialect,
            fail: Fail::Block(label),
            paths: None,
        };
        if let Some(f) = filter {
            // WHERE keeps a row only if every conjunct is TRUE: test them one
            // by one and stop at the first that is not (3VL AND need not finish).
            let mut parts = Vec::new();
            conjuncts(f, &mut parts);
            for part in parts {
                let memo = (level == 0)
                    .then(|| seg.shared.iter().find(|(e, _)| *e == part))
                    .flatten();
                let mut forces = Vec::new();
                prepare(part, &cols, forced, &mut forces);
                let cond = expr(part, &cols, &mut cx)?;
                match memo {
                    // Tested once per message, whichever INSERT gets there first.
                    Some((_, m)) => stmts.push(quote! {
                        if #m.is_none() {
                            #(#forces)*
                            #m = Some(::streamsql_runtime::func::logic::is_true(#cond));
                        }
                        if #m != Some(true) {
                            ctx.counters.filtered += 1;
                            break #label Ok(());
                        }
                    }),
                    None => stmts.push(quote! {
                        #(#forces)*
                        if !::streamsql_runtime::func::logic::is_true(#cond) {
                            ctx.counters.filtered += 1;
                            break #label Ok(());
                        }
                    }),
                }
            }
        }
        let mut next = Vec::new();
        for (j, p) in projections.iter().enumerate() {
            if !used[level][j] {
                // Nothing above reads it (Flink prunes it too).
                next.push(None);
                continue;
            }
            if let Expr::Column { index, .. } = p
                && let Some(Some(l)) = cols.get(*index)
            {
                // A plain column reference: the same local, not a copy.
                next.push(Some(l.clone()));
                continue;
            }
            prepare(p, &cols, forced, &mut stmts);
            let r = repr(p.ty())?;
            let ident = format_ident!("v{}_{}", level, j);
            if level + 1 == seg.calcs.len()
                && message_column == Some(j)
                && let Some(args) = concat_args(p)
            {
                // The message is built in the sink's buffer: no String per row.
                let mut parts = Vec::new();
                for a in args {
                    parts.push(str_view(a, &cols, &mut cx)?);
                }
                next.push(Some(Local {
                    ident,
                    repr: r,
                    lazy: None,
                    direct: Some(parts),
                    per_window: false,
                }));
                continue;
            }
            let ty = r.rust();
            let value = expr(p, &cols, &mut cx)?;
            let per_window = per_window_expr(p, &cols);
            if per_window && !r.is_copy() && !matches!(p, Expr::Literal { .. }) {
                stmts.push(kept_per_window(&ident, r, value, per_fire));
            } else {
                stmts.push(quote! { let #ident: ::std::option::Option<#ty> = #value; });
            }
            next.push(Some(Local {
                ident,
                repr: r,
                lazy: None,
                direct: None,
                per_window,
            }));
        }
        cols = next;
    }
    match &seg.terminal {
        Terminal::Sink {
            k,
            table,
            columns,
            schema,
            updating,
            materialize,
        } => {
            for l in cols.iter().flatten() {
                if let Some(c) = l.lazy {
                    force(c, lazy, forced, &mut stmts);
                }
            }
            // An updating sink gets each row's kind; rows of an insert-only segment
            // into it are inserts.
            let kind = match (updating, seg.updating) {
                (false, _) => None,
                (true, true) => Some(quote!(kind)),
                (true, false) => Some(quote!(::streamsql_runtime::RowKind::Insert)),
            };
            let encode = encode_row(table, schema, columns, &cols, label, kind)?;
            let end_row = end_row(table, schema, columns, &cols);
            let materialize = match materialize {
                None => quote!(),
                Some(m) => {
                    let (mkw, m_) = (format_ident!("mkw{}", k), format_ident!("m{}", k));
                    let mkw_ = quote!(self.#mkw);
                    let mut keys = vec![quote!(#mkw_.clear();)];
                    let push = |c: &usize, keys: &mut Vec<TokenStream>| -> Gen<()> {
                        let l = cols.get(*c).and_then(|l| l.as_ref()).ok_or_else(|| {
                            Unsupported("a sink key column that is not computed".into())
                        })?;
                        let i = &l.ident;
                        keys.push(keys::push_key(&mkw_, quote!(#i), l.repr));
                        Ok(())
                    };
                    for c in &m.primary_key {
                        push(c, &mut keys)?;
                    }
                    keys.push(quote!(let pk_len = #mkw_.bytes().len();));
                    let uk = match &m.unique_key {
                        Some(uk) => {
                            for c in uk {
                                push(c, &mut keys)?;
                            }
                            quote!(Some(&#mkw_.bytes()[pk_len..]))
                        }
                        None => quote!(None),
                    };
                    quote! {
                        #(#keys)*
                        let line = out.bytes.split_off(start);
                        if self.#m_.apply(&#mkw_.bytes()[..pk_len], #uk, &line, &mut out.bytes) == 0 {
                            break #label Ok(());
                        }
                    }
                }
            };
            let start = if materialize.is_empty() {
                quote!()
            } else {
                quote!(let start = out.bytes.len();)
            };
            // The row, as the lookup joins reading this sink's table see it.
            let wrote = if seg.writes[*k].is_empty() {
                quote!()
            } else {
                let sink = &table.name;
                let values: Vec<TokenStream> = (0..schema.fields.len())
                    .map(|j| {
                        match columns
                            .iter()
                            .position(|c| *c == j)
                            .and_then(|i| cols[i].as_ref())
                        {
                            Some(l) => lookup::store_value(&l.ident, l.repr),
                            None => quote!(::streamsql_runtime::store::Value::Null),
                        }
                    })
                    .collect();
                let kind = match (updating, seg.updating) {
                    (true, true) => quote!(kind),
                    _ => quote!(::streamsql_runtime::RowKind::Insert),
                };
                let calls = seg.writes[*k].iter().enumerate().map(|(n, o)| {
                    let l = format_ident!("l{}", o);
                    // The last reader takes the row, the others a copy.
                    let row = if n + 1 == seg.writes[*k].len() {
                        quote!(row)
                    } else {
                        quote!(row.clone())
                    };
                    quote!(self.#l.wrote(#sink, #kind, #row, ctx);)
                });
                quote! {
                    let row = ::std::vec![#(#values),*];
                    #(#calls)*
                }
            };
            stmts.push(quote! {
                let out = &mut sinks[#k];
                #start
                #encode
                #materialize
                #end_row
                #wrote
            });
        }
        Terminal::Window(w) => {
            let op = &seg.windows[*w];
            for i in op
                .reads()
                .iter()
                .enumerate()
                .filter(|(_, u)| **u)
                .map(|(i, _)| i)
            {
                if let Some(Some(Local { lazy: Some(c), .. })) = cols.get(i) {
                    force(*c, lazy, forced, &mut stmts);
                }
            }
            let mut cx = ExprCx {
                dialect: seg.dialect,
                fail: Fail::Block(label),
                paths: None,
            };
            stmts.push(op.add_row(&cols, &mut cx, seg.source)?);
        }
        Terminal::Op { op, side } => {
            for (i, u) in seg.ops[*op].reads(*side).iter().enumerate() {
                if *u && let Some(Some(Local { lazy: Some(c), .. })) = cols.get(i) {
                    force(*c, lazy, forced, &mut stmts);
                }
            }
            let mut cx = ExprCx {
                dialect: seg.dialect,
                fail: Fail::Block(label),
                paths: None,
            };
            let kind = if seg.updating {
                quote!(kind)
            } else {
                quote!(::streamsql_runtime::RowKind::Insert)
            };
            stmts.push(seg.ops[*op].add_row(*side, &cols, &mut cx, kind)?);
        }
    }
    Ok(stmts)
}

/// Whether `e` has the same value for every row of one window's firing: it reads
/// per-window locals only (every function is deterministic given the firing's
/// processing time).
fn per_window_expr(e: &Expr, cols: &[Option<Local>]) -> bool {
    let mut only_window = true;
    e.walk(&mut |x| {
        if let Expr::Column { index, .. } = x {
            only_window &=
                matches!(cols.get(*index), Some(Some(l)) if l.per_window && l.direct.is_none());
        }
    });
    only_window && cols.iter().flatten().any(|l| l.per_window)
}

/// Local `ident` (of `r`, a string or bytes) computed by `value` for the first row
/// of each window, then borrowed by the rest: a window fires many rows, so
/// `DATE_FORMAT(TUMBLE_START(..))` is formatted and allocated once, not once per row
/// (numbers are cheaper to recompute than to keep). The kept value is declared in
/// `per_fire`, before the firing loop, numbered across the firing's segments (two
/// INSERTs reading the window each have a `v0_1` of their own), and owned, as the
/// value may borrow from another per-window local.
fn kept_per_window(
    ident: &Ident,
    r: Repr,
    value: TokenStream,
    per_fire: &mut Vec<TokenStream>,
) -> TokenStream {
    let (ty, owned_ty) = (r.rust(), keys::owned_type(r));
    let kept = format_ident!("per_window_{}", per_fire.len());
    per_fire.push(quote! {
        let mut #kept: ::std::option::Option<(
            ::streamsql_runtime::window::Window,
            ::std::option::Option<#owned_ty>,
        )> = None;
    });
    let owned = keys::to_owned(quote!(v), r);
    quote! {
        if #kept.as_ref().map(|k| k.0) != Some(window) {
            let v: ::std::option::Option<#ty> = #value;
            #kept = Some((window, #owned));
        }
        let #ident: ::std::option::Option<#ty> =
            #kept.as_ref().and_then(|k| k.1.as_deref()).map(::std::borrow::Cow::Borrowed);
    }
}

/// `impl driver::Job for Job` (and the `Job` struct with its operators' state).
pub fn job_impl(job: &Job) -> Gen<TokenStream> {
    job_parts(job).map(|(tokens, _)| tokens)
}

/// What code generation decides about a job beyond its logical plan (for `explain`).
pub fn facts(job: &Job) -> Gen<Facts> {
    job_parts(job).map(|(_, facts)| facts)
}

/// What code generation decided about a job that its logical plan does not say.
#[derive(Debug)]
pub struct Facts {
    /// Per table the job reads, in the order of the generated sources.
    pub sources: Vec<SourceFacts>,
    /// The job's stateful operators: window aggregates, then the others.
    pub operators: Vec<OperatorFacts>,
    /// Per pipeline: an upsert materializer runs in front of its sink.
    pub materialized: Vec<bool>,
}

/// How one source's messages are decoded.
#[derive(Debug)]
pub struct SourceFacts {
    pub table: String,
    /// The column that holds the whole message (Blink's Kafka `message`, `raw`
    /// format); `None`: each message is a JSON object of the table's columns.
    pub message_column: Option<String>,
    /// The JSON paths its one-pass decoder extracts, per message, for every INSERT
    /// reading the table (`$.a.b`). Nested `JSON_VALUE(JSON_VALUE(m, '$.a'), '$.b')`
    /// reads `$.a.b` and `$.a` (for when `a` holds JSON text).
    pub paths: Vec<String>,
    /// It feeds state that lives past a window, so its offsets are held at the first
    /// one (a restart reads everything again).
    pub holds_offsets: bool,
    /// INSERTs whose rows start at its messages.
    pub pipelines: Vec<usize>,
}

/// One stateful operator of the job.
#[derive(Debug)]
pub struct OperatorFacts {
    /// The plan node it was made from (an INSERT sharing it has an equal node)...
    pub node: Plan,
    /// ... and where that node is in the job (compared, never read).
    pub at: *const Plan,
    /// The INSERTs (pipeline indexes) whose rows go through it.
    pub pipelines: Vec<usize>,
    /// A group aggregate: whether, under a state TTL, it re-emits a result that a
    /// row left unchanged (only where something above can tell).
    pub reemits_unchanged: Option<bool>,
    /// A lookup join: the sinks whose rows it sees (read-your-writes).
    pub writers: Vec<String>,
}

/// The generated tokens and the facts behind them.
fn job_parts(job: &Job) -> Gen<(TokenStream, Facts)> {
    let (sources, sinks) = source_and_sink_tables(job);
    let mut windows = Vec::new();
    let mut ops = Vec::new();
    let materializers: Vec<Option<Materialize>> = job
        .pipelines
        .iter()
        .map(|p| match &p.plan {
            Plan::Sink {
                input,
                table,
                columns,
                ..
            } => materialize(input, table, columns),
            _ => None,
        })
        .collect();
    let chains = chains(
        job,
        &sources,
        &sinks,
        &materializers,
        &mut windows,
        &mut ops,
    )?;
    // What each operator's output chains read decides what its state keeps: the
    // operators its rows go into first, so their own reads are known.
    let levels = levels(&chains, ops.len());
    let mut consumers_first: Vec<usize> = (0..ops.len()).collect();
    consumers_first.sort_by_key(|&o| (levels[o], o));
    for &o in &consumers_first {
        let mut reads = vec![false; ops[o].width];
        for c in op_chains(&chains, o) {
            let (calcs, _) = segment_of(&c.stages);
            let top_used = match c.end {
                End::Sink { .. } => None,
                End::Op { op, side } => Some(ops[op].reads(side)),
            };
            let used = segment_reads(&calcs, top_used, ops[o].width);
            for (r, u) in reads.iter_mut().zip(used) {
                *r |= u;
            }
        }
        ops[o].set_reads_above(reads);
    }
    // A group aggregate re-emits an unchanged result under a state TTL only where
    // someone can tell.
    for (o, node) in ops.iter_mut().enumerate() {
        if let Op::Group(g) = &mut node.op {
            g.reemit_unchanged = unchanged_rows_matter(&chains, o);
        }
    }
    // Per sink, the lookup joins reading the table it writes (read-your-writes).
    let writes: Vec<Vec<usize>> = sinks
        .iter()
        .map(|sink| {
            let (desc, _) = job
                .tables
                .iter()
                .find(|(d, _)| d.name == *sink)
                .expect("a sink is in the catalog");
            (0..ops.len())
                .filter(|&o| matches!(&ops[o].op, Op::Lookup(l) if lookup::writes_table(desc, l.table())))
                .collect()
        })
        .collect();
    for (k, readers) in writes.iter().enumerate() {
        for &o in readers {
            if let Op::Lookup(l) = &mut ops[o].op {
                l.add_writer(&sinks[k]);
            }
        }
    }
    let mut source_fns = Vec::new();
    let mut source_facts = Vec::new();
    let mut path_builders = Vec::new();
    let mut arms = Vec::new();
    // Per source with a watermark: (source index, delay).
    let mut watermarks: Vec<(usize, i64)> = Vec::new();
    // Per source with windows: its held-offsets field.
    let mut helds: Vec<(usize, Ident)> = Vec::new();
    let mut advance_fns = Vec::new();
    for (si, source) in sources.iter().enumerate() {
        let (desc, schema) = job
            .tables
            .iter()
            .find(|(d, _)| d.name == *source)
            .expect("a scanned table is in the catalog");
        let style = source_style(desc, schema);
        let mut paths = Paths::default();
        // The chains this source's rows run through (per message, or from its windows),
        // and those that run per message.
        let fed: Vec<&Chain<'_>> = chains
            .iter()
            .filter(|c| c.source(&windows) == Some(si))
            .collect();
        let mine: Vec<&Chain<'_>> = fed
            .iter()
            .copied()
            .filter(|c| c.scans() == Some(si))
            .collect();
        let mut facts = SourceFacts {
            table: source.clone(),
            message_column: match style {
                SourceStyle::Message { column } => Some(schema.fields[column].name.clone()),
                SourceStyle::JsonObject => None,
            },
            paths: Vec::new(),
            holds_offsets: false,
            pipelines: pipelines_of(&chains, |c| c.source(&windows) == Some(si)),
        };
        let Some(first) = mine.first() else {
            path_builders.push(quote!(::streamsql_runtime::json::JsonPaths::default()));
            source_facts.push(facts);
            continue;
        };
        let Start::Scan {
            scan:
                Plan::Scan {
                    computed,
                    watermark,
                    ..
                },
            ..
        } = first.start
        else {
            unreachable!()
        };
        // Scan columns used by any INSERT (and what computed ones need).
        let mut needed: BTreeSet<usize> = BTreeSet::new();
        for c in &mine {
            let (calcs, w) = first_segment(c);
            match calcs.first() {
                Some(Plan::Calc {
                    filter,
                    projections,
                    ..
                }) => {
                    for e in filter.iter().chain(projections.iter()) {
                        e.walk(&mut |x| {
                            if let Expr::Column { index, .. } = x {
                                needed.insert(*index);
                            }
                        });
                    }
                }
                _ => {
                    let reads = match (w, c.end) {
                        (Some(w), _) => windows[w].reads(),
                        (None, End::Op { op, side }) => ops[op].reads(side),
                        (None, End::Sink { .. }) => vec![true; schema.len()],
                    };
                    for (i, u) in reads.iter().enumerate() {
                        if *u {
                            needed.insert(i);
                        }
                    }
                }
            }
        }
        if let Some(w) = watermark {
            needed.insert(w.column);
        }
        for (i, e) in computed {
            if needed.contains(i) {
                e.walk(&mut |x| {
                    if let Expr::Column { index, .. } = x {
                        needed.insert(*index);
                    }
                });
            }
        }
        let src_label: syn::Lifetime = syn::parse_str(&format!("'s{si}")).expect("label");
        let mut scan_stmts = Vec::new();
        // Group aggregates, joins and Top-N keep state for as long as the job runs, and
        // state is not snapshotted: a source feeding them never commits past its first
        // offset, so a restart reads everything again instead of losing what the state
        // held (upserts make the re-emitted results idempotent).
        let holds_forever = fed
            .iter()
            .any(|c| matches!(c.end, End::Op { op, .. } if keeps_rows(&chains, &ops, op)));
        if holds_forever {
            let held = format_ident!("held{}", si);
            helds.push((si, held.clone()));
            scan_stmts
                .push(quote!(self.#held.hold(msg.topic, msg.partition, msg.offset, i64::MAX);));
        }
        let mut locals: Vec<Option<Local>> = vec![None; schema.len()];
        // Scan columns other than the message's own fields are computed on first use
        // (most messages fail some filter long before all columns are read).
        let mut lazy: Vec<Option<Lazy>> = vec![None; schema.len()];
        // Physical columns first, then computed ones (which read them).
        for pass in [false, true] {
            for (i, f) in schema.fields.iter().enumerate() {
                let comp = computed.iter().find(|(c, _)| *c == i).map(|(_, e)| e);
                if comp.is_some() != pass || !needed.contains(&i) {
                    continue;
                }
                let r = repr(&f.ty)?;
                let ident = format_ident!("c{}", i);
                let ty = r.rust();
                let (value, cheap) = match comp {
                    Some(e) => {
                        let mut cx = ExprCx {
                            dialect: job.dialect,
                            fail: Fail::Message {
                                label: &src_label,
                                source,
                            },
                            paths: match style {
                                SourceStyle::Message { column } => Some((&mut paths, column)),
                                SourceStyle::JsonObject => None,
                            },
                        };
                        (expr(e, &locals, &mut cx)?, false)
                    }
                    None => (
                        physical_column(style, i, &f.name, r, &mut paths)?,
                        matches!(style, SourceStyle::Message { .. }),
                    ),
                };
                if cheap {
                    scan_stmts.push(quote! { let #ident: ::std::option::Option<#ty> = #value; });
                } else {
                    let ready = format_ident!("c{}_ready", i);
                    scan_stmts.push(quote! {
                        let mut #ident: ::std::option::Option<#ty> = None;
                        let mut #ready = false;
                    });
                    let mut deps = BTreeSet::new();
                    if let Some(e) = comp {
                        e.walk(&mut |x| {
                            if let Expr::Column { index, .. } = x {
                                deps.insert(*index);
                            }
                        });
                    }
                    lazy[i] = Some(Lazy {
                        value,
                        deps: deps.into_iter().collect(),
                    });
                }
                locals[i] = Some(Local {
                    ident,
                    repr: r,
                    lazy: (!cheap).then_some(i),
                    direct: None,
                    per_window: false,
                });
            }
        }
        // Columns computed for every message, before any INSERT.
        let mut scan_forced = BTreeSet::new();
        let mut observe = quote!();
        if let Some(w) = watermark {
            force(w.column, &lazy, &mut scan_forced, &mut scan_stmts);
            // Flink aborts on a NULL rowtime; streamsql drops the message and counts it.
            let l = locals[w.column].as_ref().expect("rowtime computed");
            let ident = &l.ident;
            scan_stmts.push(quote! {
                if #ident.is_none() {
                    ctx.dead_letter(#source, msg, "NULL rowtime");
                    break #src_label;
                }
            });
            let millis = window::millis(quote!(rt), l.repr)?;
            let field = format_ident!("wm{}", si);
            let advance = format_ident!("advance_{}", si);
            watermarks.push((si, w.delay_ms));
            // After every INSERT saw the row: Flink's watermark follows each row
            // (pipeline.auto-watermark-interval = 0), so lateness never depends on batching.
            observe = quote! {
                if let Some(rt) = #ident {
                    if let Some(wm) = self.#field.observe(msg.partition, #millis, ctx.now) {
                        self.#advance(wm, sinks, ctx);
                    }
                }
            };
            // Fires this source's window operators, upstream first (a window's chain
            // comes before the chains of INSERTs that share it).
            let mut order: Vec<usize> = Vec::new();
            for c in &fed {
                let started = match c.start {
                    Start::Window(w) => Some(w),
                    _ => None,
                };
                let above = c.stages.iter().filter_map(|s| match s {
                    Stage::Window(w) => Some(*w),
                    _ => None,
                });
                for w in started.into_iter().chain(above) {
                    if !order.contains(&w) {
                        order.push(w);
                    }
                }
            }
            let mut fires = Vec::new();
            for w in order {
                let label: syn::Lifetime = syn::parse_str(&format!("'w{w}")).expect("label");
                let (cols, decode) = windows[w].output_locals()?;
                let mut segments = Vec::new();
                let mut per_fire = Vec::new();
                let mut uses_self = false;
                // The segments above window `w`, one per chain through it: to the next
                // window, an operator or the sink.
                for c in &fed {
                    let rest = match c.start {
                        Start::Window(x) if x == w => &c.stages[..],
                        _ => match c
                            .stages
                            .iter()
                            .position(|s| matches!(s, Stage::Window(x) if *x == w))
                        {
                            Some(pos) => &c.stages[pos + 1..],
                            None => continue,
                        },
                    };
                    let (calcs, next) = segment_of(rest);
                    let seg = Segment {
                        dialect: job.dialect,
                        calcs,
                        terminal: c.terminal(next),
                        label: &label,
                        windows: &windows,
                        ops: &ops,
                        writes: &writes,
                        updating: false,
                        source: None,
                        shared: &[],
                    };
                    let stmts =
                        segment(&seg, cols.clone(), &[], &mut BTreeSet::new(), &mut per_fire)?;
                    uses_self |= match seg.terminal {
                        Terminal::Op { .. } => true,
                        Terminal::Sink { k, .. } => !writes[k].is_empty(),
                        Terminal::Window(_) => false,
                    };
                    segments.push(stmts);
                }
                fires.push(windows[w].fire(decode, per_fire, segments, &label, uses_self));
            }
            // Offsets held in this source's windows: released with the watermark, all
            // of them once no window holds anything.
            let mine_windows: Vec<Ident> = windows
                .iter()
                .filter(|w| w.source == si)
                .map(|w| format_ident!("w{}", w.index))
                .collect();
            let release = if mine_windows.is_empty() {
                quote!()
            } else if holds_forever {
                let held = format_ident!("held{}", si);
                quote!(self.#held.release(wm);)
            } else {
                let held = format_ident!("held{}", si);
                helds.push((si, held.clone()));
                quote! {
                    self.#held.release(wm);
                    if #(self.#mine_windows.open_windows() == 0)&&* {
                        self.#held.clear();
                    }
                }
            };
            advance_fns.push(quote! {
                fn #advance(&mut self, wm: i64, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                    #(#fires)*
                    #release
                }
            });
        }
        // WHERE conjuncts over the scan that more than one INSERT tests.
        let mut seen: Vec<(&Expr, usize)> = Vec::new();
        for c in &mine {
            if let (calcs, _) = first_segment(c)
                && let Some(Plan::Calc {
                    filter: Some(f), ..
                }) = calcs.first()
            {
                let mut parts = Vec::new();
                conjuncts(f, &mut parts);
                parts.dedup();
                for part in parts {
                    match seen.iter_mut().find(|(e, _)| *e == part) {
                        Some((_, n)) => *n += 1,
                        None => seen.push((part, 1)),
                    }
                }
            }
        }
        let shared: Vec<(&Expr, Ident)> = seen
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .enumerate()
            .map(|(i, (e, _))| (e, format_ident!("m{}", i)))
            .collect();
        for (_, m) in &shared {
            scan_stmts.push(quote!(let mut #m: ::std::option::Option<bool> = None;));
        }
        let mut bodies = Vec::new();
        for c in &mine {
            let label: syn::Lifetime = syn::parse_str(&format!("'p{}", c.pipeline)).expect("label");
            let (calcs, w) = first_segment(c);
            let terminal = c.terminal(w);
            let seg = Segment {
                dialect: job.dialect,
                calcs,
                terminal,
                label: &label,
                windows: &windows,
                ops: &ops,
                writes: &writes,
                updating: false,
                source: Some(source),
                shared: &shared,
            };
            let mut forced = scan_forced.clone();
            let stmts = segment(&seg, locals.clone(), &lazy, &mut forced, &mut Vec::new())?;
            bodies.push(quote! {
                let r: ::std::result::Result<(), &'static str> = #label: {
                    #(#stmts)*
                    Ok(())
                };
                if let Err(reason) = r {
                    ctx.dead_letter(#source, msg, reason);
                }
            });
        }
        let fn_name = format_ident!("source_{}", si);
        let slots = paths.paths.len();
        let fused = &paths.fused;
        let scan = if slots > 0 {
            let s = si;
            quote! {
                const FUSED: &[::streamsql_runtime::eval::FusedPath] = &[#(#fused),*];
                let mut slots = [::streamsql_runtime::json::Raw::Missing; #slots];
                if PATHS.get_or_init(build_paths)[#s].scan(msg.value, &mut slots).is_err() {
                    ctx.counters.decode_errors += 1;
                }
            }
        } else {
            quote!()
        };
        source_fns.push(quote! {
            fn #fn_name(&mut self, msg: &::streamsql_runtime::batch::Message<'_>, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                #scan
                #src_label: {
                    #(#scan_stmts)*
                    #(#bodies)*
                    #observe
                }
            }
        });
        let adds = paths.paths.iter().map(|(steps, closed)| {
            quote! {
                p.add_with_boundaries(
                    &[#(::streamsql_runtime::json::Step::Key(#steps.to_string())),*],
                    &[#(#closed),*],
                );
            }
        });
        path_builders.push(quote! {{
            let mut p = ::streamsql_runtime::json::JsonPaths::default();
            #(#adds)*
            p
        }});
        arms.push(quote! { #si => self.#fn_name(msg, sinks, ctx), });
        facts.paths = paths.paths.iter().map(|(s, c)| path_text(s, c)).collect();
        facts.holds_offsets = holds_forever;
        source_facts.push(facts);
    }
    // The Job: one field per window operator, its key writers, and per source its watermark.
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut items = Vec::new();
    for (si, delay) in &watermarks {
        let field = format_ident!("wm{}", si);
        fields.push(quote!(#field: ::streamsql_runtime::watermark::Watermarks));
        inits.push(
            quote!(#field: ::streamsql_runtime::watermark::Watermarks::new(#delay, idle_timeout)),
        );
    }
    for (_, held) in &helds {
        fields.push(quote!(#held: ::streamsql_runtime::held::HeldOffsets));
        inits.push(quote!(#held: ::streamsql_runtime::held::HeldOffsets::default()));
    }
    let held_arms = helds
        .iter()
        .map(|(si, held)| quote!(#si => self.#held.lowest(topic, partition),));
    for w in &windows {
        let (f, i, it) = w.state();
        fields.extend(f);
        inits.extend(i);
        items.push(it);
    }
    // Per sink behind an upsert materializer: its state and key writer.
    let mut materialized: BTreeSet<usize> = BTreeSet::new();
    for c in &chains {
        if let End::Sink {
            k,
            materialize: Some(_),
            ..
        } = c.end
            && materialized.insert(k)
        {
            let (mkw, m_) = (format_ident!("mkw{}", k), format_ident!("m{}", k));
            fields.push(quote!(#m_: ::streamsql_runtime::materialize::UpsertMaterializer));
            fields.push(quote!(#mkw: ::streamsql_runtime::key::KeyWriter));
            inits.push(quote!(#m_: ::std::default::Default::default()));
            inits.push(quote!(#mkw: ::streamsql_runtime::key::KeyWriter::new()));
        }
    }
    // Per operator: its state, and the method that runs its output rows up the chain
    // above it.
    let mut emit_fns = Vec::new();
    let mut expiries = Vec::new();
    let mut flushes: Vec<(usize, usize, TokenStream)> = Vec::new();
    for (o, op) in ops.iter().enumerate() {
        let (f, i, it) = op.state()?;
        fields.extend(f);
        inits.extend(i);
        items.push(it);
        if let Some(state) = op.state_field() {
            expiries.push(quote!(self.#state.expire(ctx.now_ms);));
        }
        if let Op::Lookup(l) = &op.op {
            emit_fns.push(l.flush_fn(job.dialect)?);
            let flush = format_ident!("flush_l{}", o);
            flushes.push((levels[o], o, quote!(self.#flush(sinks, ctx);)));
        }
        let label: syn::Lifetime = syn::parse_str(&format!("'o{o}")).expect("label");
        let (name, params, decode, cols) = op.output()?;
        // One segment per chain reading the operator (INSERTs sharing it).
        let mut bodies = Vec::new();
        for c in op_chains(&chains, o) {
            let (calcs, _) = segment_of(&c.stages);
            let seg = Segment {
                dialect: job.dialect,
                calcs,
                terminal: c.terminal(None),
                label: &label,
                windows: &windows,
                ops: &ops,
                writes: &writes,
                updating: c.updating,
                source: None,
                shared: &[],
            };
            let stmts = segment(
                &seg,
                cols.clone(),
                &[],
                &mut BTreeSet::new(),
                &mut Vec::new(),
            )?;
            bodies.push(operator_rows(&label, &stmts, op.name()));
        }
        emit_fns.push(quote! {
            fn #name(&mut self, kind: ::streamsql_runtime::RowKind, #params, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                #decode
                #(#bodies)*
            }
        });
    }
    // A lookup join's queue is resolved at the end of every batch, the operators
    // furthest from the sinks first, so a lookup feeding another is resolved first.
    flushes.sort_by_key(|(level, o, _)| (std::cmp::Reverse(*level), std::cmp::Reverse(*o)));
    let flushes: Vec<TokenStream> = flushes.into_iter().map(|(_, _, f)| f).collect();
    // Expired state (`table.exec.state.ttl`) is swept once a second.
    let expire = if expiries.is_empty() {
        quote!()
    } else {
        fields.push(quote!(swept_ms: i64));
        inits.push(quote!(swept_ms: 0));
        quote! {
            if ctx.now_ms - self.swept_ms >= 1000 {
                self.swept_ms = ctx.now_ms;
                #(#expiries)*
            }
        }
    };
    let ticks = watermarks.iter().map(|(si, _)| {
        let field = format_ident!("wm{}", si);
        let advance = format_ident!("advance_{}", si);
        quote! {
            if let Some(wm) = self.#field.tick(ctx.now) {
                self.#advance(wm, sinks, ctx);
            }
        }
    });
    let finishes = watermarks.iter().map(|(si, _)| {
        let advance = format_ident!("advance_{}", si);
        quote!(self.#advance(i64::MAX, sinks, ctx);)
    });
    let facts = Facts {
        sources: source_facts,
        operators: operator_facts(&chains, &windows, &ops),
        materialized: materializers.iter().map(Option::is_some).collect(),
    };
    let tokens = quote! {
        /// The job: `main()` runs it; `Job` processes messages for the driver and holds
        /// its operators' state.
        #[derive(Debug)]
        pub struct Job {
            #(#fields,)*
        }
        #[allow(unused_variables, unused_labels, unused_assignments, unused_mut, clippy::all)]
        impl Job {
            /// The job's description.
            pub fn info(&self) -> &'static ::streamsql_runtime::JobInfo {
                &INFO
            }
            fn with(allowed_lateness: i64, idle_timeout: ::std::option::Option<::std::time::Duration>, state_ttl: ::std::option::Option<i64>) -> Self {
                Job { #(#inits,)* }
            }
            #(#source_fns)*
            #(#advance_fns)*
            #(#emit_fns)*
        }
        impl ::std::default::Default for Job {
            fn default() -> Self {
                Job::with(0, None, None)
            }
        }
        #(#items)*
        static PATHS: ::std::sync::OnceLock<::std::vec::Vec<::streamsql_runtime::json::JsonPaths>> =
            ::std::sync::OnceLock::new();
        fn build_paths() -> ::std::vec::Vec<::streamsql_runtime::json::JsonPaths> {
            ::std::vec![#(#path_builders),*]
        }
        #[allow(unused_variables)]
        impl ::streamsql_runtime::driver::Job for Job {
            fn info(&self) -> &'static ::streamsql_runtime::JobInfo {
                &INFO
            }
            fn open(&mut self, ctx: &::streamsql_runtime::driver::Ctx) {
                *self = Job::with(ctx.allowed_lateness_ms, ctx.idle_timeout, ctx.state_ttl_ms);
            }
            fn process(
                &mut self,
                source: usize,
                msg: &::streamsql_runtime::batch::Message<'_>,
                sinks: &mut [::streamsql_runtime::driver::SinkBuffer],
                ctx: &mut ::streamsql_runtime::driver::Ctx,
            ) {
                match source {
                    #(#arms)*
                    _ => {}
                }
            }
            fn tick(&mut self, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                #(#ticks)*
                #(#flushes)*
                #expire
            }
            fn finish(&mut self, sinks: &mut [::streamsql_runtime::driver::SinkBuffer], ctx: &mut ::streamsql_runtime::driver::Ctx) {
                #(#finishes)*
                #(#flushes)*
            }
            fn held_offset(&self, source: usize, topic: &str, partition: i32) -> ::std::option::Option<i64> {
                match source {
                    #(#held_arms)*
                    _ => None,
                }
            }
        }
        /// Runs the job with the command line's options; see `--help`.
        pub fn main() -> ::std::process::ExitCode {
            ::streamsql_runtime::driver::main(&mut Job::default())
        }
    };
    Ok((tokens, facts))
}

/// A decoded path as `$.a.b`; a path of nested Flink `JSON_VALUE`s, which must not go
/// through an object where an inner call ends (`closed`), says so.
fn path_text(steps: &[String], closed: &[usize]) -> String {
    let text = |steps: &[String]| {
        format!(
            "${}",
            steps.iter().map(|s| format!(".{s}")).collect::<String>()
        )
    };
    let mut out = text(steps);
    for b in closed {
        out.push_str(&format!(
            " (not through an object at {})",
            text(&steps[..=*b])
        ));
    }
    out
}

/// The INSERTs (pipeline indexes, ascending, once each) of the chains `through` picks.
fn pipelines_of(chains: &[Chain<'_>], through: impl Fn(&Chain<'_>) -> bool) -> Vec<usize> {
    let mut p: Vec<usize> = chains
        .iter()
        .filter(|c| through(c))
        .map(|c| c.pipeline)
        .collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// The facts of the job's window aggregates and other stateful operators.
fn operator_facts(
    chains: &[Chain<'_>],
    windows: &[window::WindowOp<'_>],
    ops: &[OpNode<'_>],
) -> Vec<OperatorFacts> {
    let windowed = windows.iter().map(|w| OperatorFacts {
        node: w.node.clone(),
        at: w.node,
        pipelines: pipelines_of(chains, |c| {
            matches!(c.start, Start::Window(x) if x == w.index)
                || c.stages
                    .iter()
                    .any(|s| matches!(s, Stage::Window(x) if *x == w.index))
        }),
        reemits_unchanged: None,
        writers: Vec::new(),
    });
    let others = ops.iter().enumerate().map(|(o, node)| OperatorFacts {
        node: node.node.clone(),
        at: node.node,
        pipelines: pipelines_of(chains, |c| {
            matches!(c.start, Start::Op(x) if x == o)
                || matches!(c.end, End::Op { op, .. } if op == o)
        }),
        reemits_unchanged: match &node.op {
            Op::Group(g) => Some(g.reemit_unchanged),
            _ => None,
        },
        writers: match &node.op {
            Op::Lookup(l) => l.writers().to_vec(),
            _ => Vec::new(),
        },
    });
    windowed.chain(others).collect()
}

/// A segment run for one row an operator emits (`stmts` break out of `label` with
/// `Err(reason)` when the row fails): a failed row is dead-lettered under the
/// operator's name and the operator goes on.
fn operator_rows(label: &syn::Lifetime, stmts: &[TokenStream], operator: &str) -> TokenStream {
    quote! {
        let r: ::std::result::Result<(), &'static str> = #label: {
            #(#stmts)*
            Ok(())
        };
        if let Err(reason) = r {
            ctx.dead_letter_row(#operator, reason);
        }
    }
}

/// Whether rows given to operator `o` stay in state past the batch: a group
/// aggregate, join or Top-N does; a lookup join only if something it feeds does.
fn keeps_rows(chains: &[Chain<'_>], ops: &[OpNode<'_>], o: usize) -> bool {
    match ops[o].op {
        Op::Lookup(_) => op_chains(chains, o).any(|c| match c.end {
            End::Op { op, .. } => keeps_rows(chains, ops, op),
            End::Sink { .. } => false,
        }),
        _ => true,
    }
}

/// Whether operator `o` emitting an unchanged row again (`-U x`, `+U x`) can make a
/// difference above it. Flink's group aggregate does that under a state TTL, so that
/// the state of the operators it feeds is touched and does not expire. It matters
/// where the rows reach another operator (its state, or a lookup that may now find
/// another dimension row), a sink that records each change (Kafka, upsert-kafka,
/// files, print, a changelog format), a sink behind an upsert materializer, or a Calc
/// that reads the clock. An idempotent keyed store (JDBC, HBase, OTS, Elasticsearch
/// by primary key) would write the same row again, which changes nothing: there the
/// re-emit costs a store write per input row and is skipped.
fn unchanged_rows_matter(chains: &[Chain<'_>], o: usize) -> bool {
    op_chains(chains, o).any(|c| {
        let clock = c.stages.iter().any(|s| match s {
            Stage::Calc(Plan::Calc {
                filter,
                projections,
                ..
            }) => filter.iter().chain(projections).any(Expr::reads_clock),
            _ => false,
        });
        clock
            || match c.end {
                End::Op { .. } => true,
                End::Sink {
                    table, materialize, ..
                } => materialize.is_some() || !crate::bind::connector::writes_in_place(table),
            }
    })
}

/// The chains that start at operator `o`'s output: one per INSERT reading it.
fn op_chains<'c, 'p>(chains: &'c [Chain<'p>], o: usize) -> impl Iterator<Item = &'c Chain<'p>> {
    chains
        .iter()
        .filter(move |c| matches!(c.start, Start::Op(x) if x == o))
}

/// Per operator, the longest path of operators from its output to a sink: an
/// operator's rows go only into operators of a lower level.
fn levels(chains: &[Chain<'_>], n: usize) -> Vec<usize> {
    fn level(chains: &[Chain<'_>], o: usize, memo: &mut [Option<usize>]) -> usize {
        if let Some(l) = memo[o] {
            return l;
        }
        let mut l = 0;
        for c in op_chains(chains, o) {
            if let End::Op { op, .. } = c.end {
                l = l.max(1 + level(chains, op, memo));
            }
        }
        memo[o] = Some(l);
        l
    }
    let mut memo = vec![None; n];
    (0..n).map(|o| level(chains, o, &mut memo)).collect()
}

/// Which of its `width` input columns a segment reads: its Calcs (bottom-up) and,
/// above them, `top_used` (`None`: everything, a sink).
fn segment_reads(calcs: &[&Plan], top_used: Option<Vec<bool>>, width: usize) -> Vec<bool> {
    let Some(Plan::Calc {
        filter,
        projections,
        ..
    }) = calcs.first()
    else {
        return top_used.unwrap_or_else(|| vec![true; width]);
    };
    let used = used_projections(calcs, top_used);
    let mut reads = vec![false; width];
    filter
        .iter()
        .for_each(|f| keys::mark_columns(f, &mut reads));
    for (p, u) in projections.iter().zip(&used[0]) {
        if *u {
            keys::mark_columns(p, &mut reads);
        }
    }
    reads
}

/// A scan column computed on first use: its value expression and the columns it reads.
#[derive(Clone)]
struct Lazy {
    value: TokenStream,
    deps: Vec<usize>,
}

/// Emits the computation of lazy scan column `i` (after what it reads) unless this
/// straight-line code has already done it; `c{i}_ready` guards it across INSERTs.
fn force(
    i: usize,
    lazy: &[Option<Lazy>],
    forced: &mut BTreeSet<usize>,
    out: &mut Vec<TokenStream>,
) {
    let Some(l) = &lazy[i] else { return };
    if !forced.insert(i) {
        return;
    }
    for d in &l.deps {
        force(*d, lazy, forced, out);
    }
    let ident = format_ident!("c{}", i);
    let ready = format_ident!("c{}_ready", i);
    let v = &l.value;
    out.push(quote! {
        if !#ready {
            #ident = #v;
            #ready = true;
        }
    });
}

/// Per Calc of a segment (given bottom-up; index 0 = the bottom one), which projections
/// some operator above reads: `top_used` for the top one (all when it feeds a sink).
fn used_projections(calcs: &[&Plan], top_used: Option<Vec<bool>>) -> Vec<Vec<bool>> {
    let mut used: Vec<Vec<bool>> = Vec::new();
    let mut wanted: Option<Vec<bool>> = top_used;
    for calc in calcs.iter().rev() {
        let Plan::Calc {
            filter,
            projections,
            ..
        } = calc
        else {
            unreachable!("a chain holds Calcs")
        };
        let mut this = wanted
            .take()
            .unwrap_or_else(|| vec![true; projections.len()]);
        this.resize(projections.len(), false);
        let mut below = Vec::new();
        let mut mark = |e: &Expr| {
            e.walk(&mut |x| {
                if let Expr::Column { index, .. } = x {
                    if below.len() <= *index {
                        below.resize(*index + 1, false);
                    }
                    below[*index] = true;
                }
            })
        };
        filter.iter().for_each(&mut mark);
        projections
            .iter()
            .zip(&this)
            .filter(|(_, u)| **u)
            .for_each(|(p, _)| mark(p));
        used.push(this);
        wanted = Some(below);
    }
    // Bottom first, like the levels of the loop that generates them.
    used.reverse();
    used
}

/// An `Option<&str>` view of a string expression that borrows what it can: columns in
/// place, literals as `&'static str`, `COALESCE` of those without building a value.
fn str_view(e: &Expr, cols: &[Option<Local>], cx: &mut ExprCx<'_>) -> Gen<TokenStream> {
    match e {
        Expr::Column { index, .. } if repr(e.ty())? == Repr::Str => {
            if let Some(Some(l)) = cols.get(*index)
                && l.direct.is_none()
            {
                let i = &l.ident;
                return Ok(quote!(#i.as_deref()));
            }
        }
        Expr::Literal {
            value: Literal::String(s),
            ..
        } => return Ok(quote!(Some(#s))),
        Expr::Cast { expr: inner, .. }
            if repr(inner.ty())? == Repr::Str && repr(e.ty())? == Repr::Str =>
        {
            return str_view(inner, cols, cx);
        }
        Expr::Call { func, args, .. }
            if matches!(func.as_str(), "COALESCE" | "IFNULL" | "NVL") && !args.is_empty() =>
        {
            let mut views = Vec::new();
            for a in args {
                views.push(str_view(a, cols, cx)?);
            }
            let mut it = views.into_iter();
            let first = it.next().expect("not empty");
            return Ok(it.fold(first, |acc, v| quote!((#acc).or(#v))));
        }
        _ => {}
    }
    let v = expr(e, cols, cx)?;
    Ok(as_ref(v, repr(e.ty())?))
}

/// The arguments of `CONCAT(...)` (also under a `CAST` to `BYTES`/`STRING`).
fn concat_args(e: &Expr) -> Option<&[Expr]> {
    match e {
        Expr::Call { func, args, .. } if func == "CONCAT" => Some(args),
        Expr::Cast {
            expr, ty, safe: _, ..
        } if matches!(
            ty.kind,
            TypeKind::Varbinary(_) | TypeKind::Binary(_) | TypeKind::Varchar(_) | TypeKind::Char(_)
        ) =>
        {
            concat_args(expr)
        }
        _ => None,
    }
}

/// `a AND b AND c` -> `[a, b, c]`.
fn conjuncts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Call { func, args, .. } if func == "AND" => {
            args.iter().for_each(|a| conjuncts(a, out))
        }
        other => out.push(other),
    }
}

fn operator_name(p: &Plan) -> String {
    let (op, issue) = match p {
        Plan::WindowAggregate { .. } | Plan::WindowTableFunction { .. } => ("WindowAggregate", 5),
        Plan::GroupAggregate { .. } => ("GroupAggregate", 6),
        Plan::Join { .. } => ("Join", 6),
        Plan::Rank { .. } => ("Rank", 6),
        Plan::LookupJoin { .. } => ("LookupJoin", 7),
        Plan::Union { .. } => ("Union", 6),
        _ => ("this operator", 4),
    };
    format!("no code generator for {op} yet (issue {issue})")
}

fn source_style(desc: &TableDesc, schema: &Schema) -> SourceStyle {
    let raw = desc
        .options
        .iter()
        .any(|(k, v)| k == "format" && v == "raw");
    if raw && let Some(column) = column_named(schema, "message") {
        return SourceStyle::Message { column };
    }
    match blink_kafka_column(desc, schema, "message") {
        Some(column) => SourceStyle::Message { column },
        None => SourceStyle::JsonObject,
    }
}

/// A Blink Kafka-style table's `message` / `messageKey` column (the record value/key).
fn blink_kafka_column(table: &TableDesc, schema: &Schema, name: &str) -> Option<usize> {
    (table.connector == "kafka" && table.dialect == DialectKind::Blink)
        .then(|| column_named(schema, name))
        .flatten()
}

fn column_named(schema: &Schema, name: &str) -> Option<usize> {
    schema
        .fields
        .iter()
        .position(|f| f.name.eq_ignore_ascii_case(name))
}

/// A physical (or metadata) column's value from the message.
fn physical_column(
    style: SourceStyle,
    i: usize,
    name: &str,
    r: Repr,
    paths: &mut Paths,
) -> Gen<TokenStream> {
    match style {
        SourceStyle::Message { column } if i == column => Ok(match r {
            Repr::Bytes => quote!(Some(::std::borrow::Cow::Borrowed(msg.value))),
            Repr::Str => quote!(Some(::std::string::String::from_utf8_lossy(msg.value))),
            _ => return unsupported("a message column that is neither STRING nor BYTES"),
        }),
        SourceStyle::Message { .. } => Ok(match (name.to_ascii_lowercase().as_str(), r) {
            ("messagekey", Repr::Bytes) => quote!(msg.key.map(::std::borrow::Cow::Borrowed)),
            ("messagekey", Repr::Str) => {
                quote!(msg.key.map(::std::string::String::from_utf8_lossy))
            }
            ("topic", Repr::Str) => quote!(Some(::std::borrow::Cow::Borrowed(msg.topic))),
            ("partition", Repr::I32) => quote!(Some(msg.partition)),
            ("offset", Repr::I64) => quote!(Some(msg.offset)),
            _ => quote!(None),
        }),
        SourceStyle::JsonObject => {
            let slot = paths.slot(vec![name.to_string()], vec![]);
            Ok(match r {
                Repr::Str => quote!(::streamsql_runtime::eval::json_field_text(&slots[#slot])),
                Repr::I64 => quote!(::streamsql_runtime::eval::json_field_i64(&slots[#slot])),
                Repr::I32 | Repr::I16 | Repr::I8 => {
                    let t = r.rust();
                    quote!(::streamsql_runtime::eval::json_field_i64(&slots[#slot]).and_then(|v| #t::try_from(v).ok()))
                }
                Repr::F64 => quote!(::streamsql_runtime::eval::json_field_f64(&slots[#slot])),
                Repr::F32 => {
                    quote!(::streamsql_runtime::eval::json_field_f64(&slots[#slot]).map(|v| v as f32))
                }
                Repr::Bool => quote!(::streamsql_runtime::eval::json_field_bool(&slots[#slot])),
                other => return unsupported(format!("reading a {other:?} column from JSON")),
            })
        }
    }
}

/// Peels `CAST(x AS STRING)` (what Blink writes around each nested `JSON_VALUE`).
fn peel_string_cast(e: &Expr) -> &Expr {
    match e {
        Expr::Cast { expr, ty, .. }
            if ty.is_string() && (expr.ty().is_string() || expr.ty().is_binary()) =>
        {
            peel_string_cast(expr)
        }
        other => other,
    }
}

/// `JSON_VALUE(...JSON_VALUE(message, p1)..., pn)` with literal paths over the message
/// column: the fused steps, the step indexes where one call's path ends, and each
/// call's path text.
fn fuse_json_value(e: &Expr, message: usize) -> Option<(Vec<String>, Vec<usize>, Vec<String>)> {
    let Expr::Call { func, args, .. } = e else {
        return None;
    };
    if func != "JSON_VALUE" || args.len() != 2 {
        return None;
    }
    let Expr::Literal {
        value: Literal::String(path),
        ..
    } = &args[1]
    else {
        return None;
    };
    let steps = fusable_path(path)?;
    let inner = peel_string_cast(&args[0]);
    match inner {
        Expr::Column { index, .. } if *index == message => {
            Some((steps, vec![], vec![path.clone()]))
        }
        other => {
            let (mut s, mut bounds, mut texts) = fuse_json_value(other, message)?;
            bounds.push(s.len() - 1);
            s.extend(steps);
            texts.push(path.clone());
            Some((s, bounds, texts))
        }
    }
}

/// Dotted and bracket-quoted keys (`$.a.b`, `$['a']`); array indexes are not fused.
fn fusable_path(path: &str) -> Option<Vec<String>> {
    let rest = path.trim().strip_prefix('$')?;
    let mut out = Vec::new();
    for part in rest.split('.').skip(1) {
        if part.is_empty() || part.contains('[') || part.contains(' ') {
            return None;
        }
        out.push(part.to_string());
    }
    if out.is_empty() || rest.is_empty() || !rest.starts_with('.') {
        None
    } else {
        Some(out)
    }
}

/// Generates an expression of type `Option<T>`.
fn expr(e: &Expr, cols: &[Option<Local>], cx: &mut ExprCx<'_>) -> Gen<TokenStream> {
    let fail = cx.fail;
    let blink = cx.dialect == DialectKind::Blink;
    match e {
        Expr::Column { index, name, .. } => match cols.get(*index).and_then(|c| c.as_ref()) {
            Some(l) => Ok(l.value()),
            None => unsupported(format!("column `{name}` read before it is computed")),
        },
        Expr::Literal { value, ty } => literal(value, ty),
        Expr::Cast {
            expr: inner,
            ty,
            safe,
            ..
        } => {
            let to = repr(ty)?;
            if inner.ty().kind == TypeKind::Null {
                // `CAST(NULL AS t)`: a typed NULL.
                return Ok(quote!(None));
            }
            let from = repr(inner.ty())?;
            let v = expr(inner, cols, cx)?;
            cast(v, from, to, *safe || blink, blink, fail)
        }
        Expr::Case {
            whens, otherwise, ..
        } => {
            let mut out = match otherwise {
                Some(o) => expr(o, cols, cx)?,
                None => quote!(None),
            };
            for (c, r) in whens.iter().rev() {
                let c = expr(c, cols, cx)?;
                let r = expr(r, cols, cx)?;
                out = quote! { if ::streamsql_runtime::func::logic::is_true(#c) { #r } else { #out } };
            }
            Ok(out)
        }
        Expr::Call { func, args, ty } => {
            if func == "JSON_VALUE"
                && let Some((paths, message)) = cx.paths.as_mut()
                && let Some((steps, bounds, texts)) = fuse_json_value(e, *message)
            {
                // Flink: a JSON_VALUE of an object is NULL, so a chain never
                // enters objects at a boundary; Blink: it is the object's text.
                let closed = if blink { vec![] } else { bounds.clone() };
                let leaf = paths.slot(steps.clone(), closed);
                let mut fallbacks = Vec::new();
                for (bi, b) in bounds.iter().enumerate().rev() {
                    let bslot = paths.slot(steps[..=*b].to_vec(), vec![]);
                    let rest: Vec<&str> = texts[bi + 1..]
                        .iter()
                        .map(|t| t.trim().trim_start_matches('$'))
                        .collect();
                    let rest = format!("${}", rest.concat());
                    fallbacks.push(quote! { (#bslot, #rest) });
                }
                let k = paths.fused.len();
                paths.fused.push(quote! {
                    ::streamsql_runtime::eval::FusedPath { leaf: #leaf, boundaries: &[#(#fallbacks),*], blink: #blink }
                });
                return Ok(quote!(FUSED[#k].get(&slots)));
            }
            call(func, args, ty, cols, cx)
        }
    }
}

fn literal(value: &Literal, ty: &SqlType) -> Gen<TokenStream> {
    Ok(match value {
        Literal::Null => quote!(None),
        Literal::Boolean(b) => quote!(Some(#b)),
        Literal::String(s) => quote!(Some(::std::borrow::Cow::Borrowed(#s))),
        Literal::Number(n) => match repr(ty) {
            Ok(r) if r.is_int() => {
                let v: i64 = n
                    .parse()
                    .map_err(|_| Unsupported(format!("integer literal {n}")))?;
                let t = r.rust();
                quote!(Some(#v as #t))
            }
            Ok(r) if r.is_float() => {
                let v: f64 = n
                    .parse()
                    .map_err(|_| Unsupported(format!("number literal {n}")))?;
                let t = r.rust();
                quote!(Some(#v as #t))
            }
            _ => return unsupported(format!("DECIMAL literal {n} (issue 4: decimals)")),
        },
        other => return unsupported(format!("literal {other}")),
    })
}

/// `Option<&T>` view of a value expression, for comparisons and `IN`.
fn as_ref(v: TokenStream, r: Repr) -> TokenStream {
    match r {
        Repr::Str | Repr::Bytes => quote!((#v).as_deref()),
        _ => quote!((#v).as_ref()),
    }
}

fn cast(
    v: TokenStream,
    from: Repr,
    to: Repr,
    lenient: bool,
    blink: bool,
    fail: Fail<'_>,
) -> Gen<TokenStream> {
    if from == to {
        return Ok(v);
    }
    let t = to.rust();
    // A failing strict CAST (Flink) ends the row: dead-lettered, the job goes on.
    let fail = fail.with("CAST failed");
    Ok(match (from, to) {
        (f, t2) if (f.is_int() || f.is_float()) && (t2.is_int() || t2.is_float()) => {
            quote!((#v).map(|x| x as #t))
        }
        (f, Repr::Str) if f.is_int() => quote! {
            (#v).map(|x| ::std::borrow::Cow::<str>::Owned(::streamsql_runtime::func::cast::bigint_to_string(x as i64)))
        },
        // Flink prints `TRUE`/`FALSE` since 1.15 (FLINK-25158); Blink, as Java does.
        (Repr::Bool, Repr::Str) if blink => {
            quote!((#v).map(|x| ::std::borrow::Cow::Borrowed(if x { "true" } else { "false" })))
        }
        (Repr::Bool, Repr::Str) => quote! {
            (#v).map(|x| ::std::borrow::Cow::Borrowed(::streamsql_runtime::func::cast::boolean_to_str(x)))
        },
        (Repr::Str, t2) if t2.is_int() || t2.is_float() || t2 == Repr::Bool => {
            let name = match t2 {
                Repr::I8 => "tinyint",
                Repr::I16 => "smallint",
                Repr::I32 => "int",
                Repr::I64 => "bigint",
                Repr::F32 => "float",
                Repr::F64 => "double",
                _ => "boolean",
            };
            if lenient {
                let f = format_ident!("try_str_to_{}", name);
                quote!((#v).and_then(|s| ::streamsql_runtime::func::cast::#f(&s)))
            } else {
                let f = format_ident!("str_to_{}", name);
                quote!(match (#v) {
                    None => None,
                    Some(s) => match ::streamsql_runtime::func::cast::#f(&s) {
                        Ok(x) => x,
                        Err(_) => #fail,
                    },
                })
            }
        }
        (Repr::Str, Repr::Bytes) => {
            quote!((#v).map(|s| ::std::borrow::Cow::<[u8]>::Owned(s.into_owned().into_bytes())))
        }
        (Repr::Bytes, Repr::Str) => {
            quote!((#v).map(|b| ::std::borrow::Cow::<str>::Owned(::std::string::String::from_utf8_lossy(&b).into_owned())))
        }
        (Repr::I64, Repr::Ts) => {
            quote!((#v).map(::streamsql_runtime::func::time::to_timestamp_millis))
        }
        (Repr::Ts, Repr::Str) | (Repr::TsLtz, Repr::Str) => quote!((#v).map(|t| {
            let mut b = ::std::vec::Vec::new();
            ::streamsql_runtime::encode::timestamp_text(&mut b, t.0);
            ::std::borrow::Cow::<str>::Owned(::std::string::String::from_utf8(b).unwrap_or_default())
        })),
        (Repr::TsLtz, Repr::Ts) => quote!((#v).map(|t| ::streamsql_runtime::Timestamp(t.0))),
        (Repr::Ts, Repr::TsLtz) => quote!((#v).map(|t| ::streamsql_runtime::TimestampLtz(t.0))),
        (f, t2) => return unsupported(format!("CAST from {f:?} to {t2:?}")),
    })
}

fn call(
    func: &str,
    args: &[Expr],
    ty: &SqlType,
    cols: &[Option<Local>],
    cx: &mut ExprCx<'_>,
) -> Gen<TokenStream> {
    let blink = cx.dialect == DialectKind::Blink;
    let fail = cx.fail;
    let fail_invalid_like_pattern = fail.with("invalid LIKE pattern");
    let fail_invalid_date_format_pattern = fail.with("invalid DATE_FORMAT pattern");
    let fail_to_timestamp_ltz_failed = fail.with("TO_TIMESTAMP_LTZ failed");
    let fail_division_by_zero = fail.with("division by zero");
    let mut vals = Vec::new();
    let mut reprs = Vec::new();
    // `Option<&T>` views for the functions that only read their arguments: a column
    // is borrowed in place rather than cloned (an owned string would be copied).
    let mut refs = Vec::new();
    for a in args {
        let v = expr(a, cols, cx)?;
        let r = repr(a.ty())?;
        refs.push(match a {
            Expr::Column { index, .. } if cols.get(*index).is_some_and(|c| c.is_some()) => {
                let ident = &cols[*index].as_ref().expect("checked").ident;
                as_ref(quote!(#ident), r)
            }
            _ => as_ref(v.clone(), r),
        });
        vals.push(v);
        reprs.push(r);
    }
    let out = repr(ty)?;
    Ok(match func {
        "AND" | "OR" => {
            let f = if func == "AND" {
                quote!(and3)
            } else {
                quote!(or3)
            };
            let mut it = vals.into_iter();
            let first = it.next().unwrap_or_else(|| quote!(None));
            it.fold(
                first,
                |acc, v| quote!(::streamsql_runtime::func::logic::#f(#acc, #v)),
            )
        }
        "NOT" => {
            let v = &vals[0];
            quote!(::streamsql_runtime::func::logic::not3(#v))
        }
        "IS NULL" | "IS NOT NULL" => {
            let v = &vals[0];
            if func == "IS NULL" {
                quote!(Some((#v).is_none()))
            } else {
                quote!(Some((#v).is_some()))
            }
        }
        "=" | "<>" | "<" | "<=" | ">" | ">=" => {
            let ord = match func {
                "=" => quote!(is_eq),
                "<>" => quote!(is_ne),
                "<" => quote!(is_lt),
                "<=" => quote!(is_le),
                ">" => quote!(is_gt),
                _ => quote!(is_ge),
            };
            let (a, b) = (&refs[0], &refs[1]);
            match (func, reprs[0], reprs[1]) {
                ("=", Repr::Str, Repr::Str) => quote!(::streamsql_runtime::eval::str_eq(#a, #b)),
                ("<>", Repr::Str, Repr::Str) => {
                    quote!(::streamsql_runtime::func::logic::not3(::streamsql_runtime::eval::str_eq(#a, #b)))
                }
                _ => quote!(::streamsql_runtime::eval::compare(#a, #b, ::std::cmp::Ordering::#ord)),
            }
        }
        "IN" | "NOT IN" => {
            let x = &refs[0];
            let list = &refs[1..];
            let r = quote!(::streamsql_runtime::eval::in_list(#x, &[#(#list),*]));
            if func == "IN" {
                r
            } else {
                quote!(::streamsql_runtime::func::logic::not3(#r))
            }
        }
        "COALESCE" | "IFNULL" | "NVL" => {
            let mut it = vals.into_iter();
            let first = it.next().unwrap_or_else(|| quote!(None));
            it.fold(first, |acc, v| quote!((#acc).or_else(|| #v)))
        }
        "IF" => {
            let (c, a, b) = (&vals[0], &vals[1], &vals[2]);
            quote!(if ::streamsql_runtime::func::logic::is_true(#c) { #a } else { #b })
        }
        "CONCAT" => {
            let parts = &refs;
            quote!(::streamsql_runtime::func::string::concat(&[#(#parts),*]).map(::std::borrow::Cow::<str>::Owned))
        }
        "UPPER" | "LOWER" => {
            let v = &vals[0];
            let f = format_ident!("{}", func.to_ascii_lowercase());
            quote!((#v).map(|s| ::std::borrow::Cow::<str>::Owned(::streamsql_runtime::func::string::#f(&s).into_owned())))
        }
        "TRIM" | "LTRIM" | "RTRIM" if vals.len() == 1 => {
            let v = &vals[0];
            let f = format_ident!("{}", func.to_ascii_lowercase());
            quote!((#v).map(|s| ::std::borrow::Cow::<str>::Owned(::streamsql_runtime::func::string::#f(&s).to_string())))
        }
        "SUBSTRING" | "SUBSTR" if reprs[1].is_int() => {
            let (s, start) = (&vals[0], &vals[1]);
            // NULL in, NULL out: a NULL length makes the result NULL too.
            let len = match vals.get(2) {
                Some(l) => quote!(match #l { Some(l) => Some(Some(i64::from(l))), None => None }),
                None => quote!(Some(None)),
            };
            quote!(match (#s, #start, #len) {
                (Some(s), Some(st), Some(len)) => ::streamsql_runtime::func::string::substring(&s, i64::from(st), len)
                    .map(|r| ::std::borrow::Cow::<str>::Owned(r.to_string())),
                _ => None,
            })
        }
        "LIKE" | "NOT LIKE" => {
            let s = &vals[0];
            let escape = match args.get(2) {
                Some(Expr::Literal {
                    value: Literal::String(e),
                    ..
                }) => {
                    let c = e.chars().next().unwrap_or('\\');
                    quote!(Some(#c))
                }
                _ => quote!(None),
            };
            let test = match &args[1] {
                Expr::Literal {
                    value: Literal::String(p),
                    ..
                } => quote! {{
                    static PATTERN: ::std::sync::OnceLock<
                        ::std::result::Result<::streamsql_runtime::func::LikePattern, ::streamsql_runtime::func::EvalError>,
                    > = ::std::sync::OnceLock::new();
                    match PATTERN.get_or_init(|| ::streamsql_runtime::func::LikePattern::new(#p, #escape)) {
                        Ok(p) => (#s).map(|s| p.matches(&s)),
                        Err(_) => #fail_invalid_like_pattern,
                    }
                }},
                _ => {
                    let p = &vals[1];
                    quote!(match (#s, #p) {
                        (Some(s), Some(p)) => match ::streamsql_runtime::func::like::like(&s, &p, #escape) {
                            Ok(b) => Some(b),
                            Err(_) => #fail_invalid_like_pattern,
                        },
                        _ => None,
                    })
                }
            };
            if func == "LIKE" {
                test
            } else {
                quote!(::streamsql_runtime::func::logic::not3(#test))
            }
        }
        "DATE_FORMAT" if vals.len() == 2 => {
            let Expr::Literal {
                value: Literal::String(pattern),
                ..
            } = &args[1]
            else {
                return unsupported("DATE_FORMAT with a pattern that is not a literal");
            };
            let v = &vals[0];
            match reprs[0] {
                // Flink formats a TIMESTAMP with DateTimeFormatter; Blink, and every
                // DATE_FORMAT(STRING) (parse, then format), with SimpleDateFormat.
                Repr::Ts | Repr::TsLtz if !blink => {
                    let arg = if reprs[0] == Repr::Ts {
                        quote!(t)
                    } else {
                        quote!(::streamsql_runtime::Timestamp(t.0))
                    };
                    quote! {{
                        static FMT: ::std::sync::OnceLock<
                            ::std::result::Result<::streamsql_runtime::func::DateFormat, ::streamsql_runtime::func::EvalError>,
                        > = ::std::sync::OnceLock::new();
                        match FMT.get_or_init(|| ::streamsql_runtime::func::DateFormat::new(#pattern)) {
                            Ok(f) => (#v).map(|t| ::std::borrow::Cow::<str>::Owned(f.format(#arg))),
                            Err(_) => #fail_invalid_date_format_pattern,
                        }
                    }}
                }
                Repr::Ts | Repr::TsLtz | Repr::Str => {
                    let apply = match reprs[0] {
                        Repr::Str => {
                            quote!((#v).and_then(|s| ::streamsql_runtime::func::time::date_format_str(&s, f).map(::std::borrow::Cow::<str>::Owned)))
                        }
                        Repr::Ts => {
                            quote!((#v).map(|t| ::std::borrow::Cow::<str>::Owned(f.format_timestamp(t))))
                        }
                        _ => {
                            quote!((#v).map(|t| ::std::borrow::Cow::<str>::Owned(f.format_timestamp(::streamsql_runtime::Timestamp(t.0)))))
                        }
                    };
                    quote! {{
                        static FMT: ::std::sync::OnceLock<
                            ::std::result::Result<::streamsql_runtime::func::SimpleDateFormat, ::streamsql_runtime::func::EvalError>,
                        > = ::std::sync::OnceLock::new();
                        match FMT.get_or_init(|| ::streamsql_runtime::func::SimpleDateFormat::new(#pattern)) {
                            Ok(f) => #apply,
                            Err(_) => #fail_invalid_date_format_pattern,
                        }
                    }}
                }
                other => return unsupported(format!("DATE_FORMAT of {other:?}")),
            }
        }
        "TO_TIMESTAMP" if vals.len() == 1 => {
            let v = &vals[0];
            match reprs[0] {
                Repr::Str => {
                    quote!((#v).and_then(|s| ::streamsql_runtime::func::time::to_timestamp(&s)))
                }
                r if r.is_int() => {
                    quote!((#v).map(|ms| ::streamsql_runtime::func::time::to_timestamp_millis(i64::from(ms))))
                }
                other => return unsupported(format!("TO_TIMESTAMP of {other:?}")),
            }
        }
        "CONCAT_WS" => {
            let (sep, parts) = (&refs[0], &refs[1..]);
            quote!(::streamsql_runtime::func::string::concat_ws(#sep, &[#(#parts),*]).map(::std::borrow::Cow::<str>::Owned))
        }
        "TO_TIMESTAMP_LTZ" if vals.len() == 2 && reprs[0].is_int() && reprs[1].is_int() => {
            let (n, p) = (&vals[0], &vals[1]);
            quote!(match (#n, #p) {
                (Some(n), Some(p)) => match ::streamsql_runtime::func::time::to_timestamp_ltz(i64::from(n), i32::from(p)) {
                    Ok(t) => t,
                    Err(_) => #fail_to_timestamp_ltz_failed,
                },
                _ => None,
            })
        }
        "UNIX_TIMESTAMP" if vals.len() == 1 && reprs[0] == Repr::Str => {
            let v = &vals[0];
            quote!((#v).map(|s| ::streamsql_runtime::func::time::unix_timestamp(&s)))
        }
        "CURRENT_DATE" => quote!(Some(::streamsql_runtime::func::time::current_date(
            ::streamsql_runtime::TimestampLtz(ctx.now_ms)
        ))),
        "FROM_UNIXTIME" if vals.len() == 1 && reprs[0].is_int() => {
            let v = &vals[0];
            quote!((#v).map(|s| ::std::borrow::Cow::<str>::Owned(::streamsql_runtime::func::time::from_unixtime(i64::from(s)))))
        }
        "CHAR_LENGTH" | "CHARACTER_LENGTH" => {
            let v = &vals[0];
            quote!((#v).map(|s| s.chars().count() as i32))
        }
        "MD5" => {
            let v = &vals[0];
            quote!((#v).map(|s| ::std::borrow::Cow::<str>::Owned(::streamsql_runtime::func::hash::md5_hex(&s))))
        }
        "JSON_VALUE" => {
            let (t, p) = (&vals[0], &vals[1]);
            quote!(match ((#t).as_deref(), (#p).as_deref()) {
                (Some(t), Some(p)) => ::streamsql_runtime::json::json_value(t, p, #blink).map(::std::borrow::Cow::<str>::Owned),
                _ => None,
            })
        }
        "NOW" if blink => quote!(Some(ctx.now_ms.div_euclid(1000))),
        "UNIX_TIMESTAMP" if vals.is_empty() => quote!(Some(ctx.now_ms.div_euclid(1000))),
        "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "NOW" | "PROCTIME" => match out {
            Repr::Ts => quote!(Some(::streamsql_runtime::Timestamp(ctx.now_ms))),
            _ => quote!(Some(::streamsql_runtime::TimestampLtz(ctx.now_ms))),
        },
        "+" | "-" | "*" | "/" | "%" if out.is_int() || out.is_float() => {
            let (a, b) = (&vals[0], &vals[1]);
            let op = match (func, out.is_int()) {
                ("+", true) => quote!(x.wrapping_add(y)),
                ("-", true) => quote!(x.wrapping_sub(y)),
                ("*", true) => quote!(x.wrapping_mul(y)),
                ("+", false) => quote!(x + y),
                ("-", false) => quote!(x - y),
                ("*", false) => quote!(x * y),
                ("/", false) => quote!(x / y),
                ("%", false) => quote!(x % y),
                // Integer division by zero is an error in Flink: the row fails.
                ("/", true) => {
                    quote!(match x.checked_div(y) { Some(v) => v, None => #fail_division_by_zero })
                }
                _ => {
                    quote!(match x.checked_rem(y) { Some(v) => v, None => #fail_division_by_zero })
                }
            };
            quote!(match (#a, #b) { (Some(x), Some(y)) => Some(#op), _ => None })
        }
        "NEGATE" if out.is_int() || out.is_float() => {
            let v = &vals[0];
            if out.is_int() {
                quote!((#v).map(|x| x.wrapping_neg()))
            } else {
                quote!((#v).map(|x| -x))
            }
        }
        other => return unsupported(format!("no code generator for {other} yet")),
    })
}

/// Closes the row in its sink buffer; a Blink Kafka table's `messageKey` is the key.
fn end_row(
    table: &TableDesc,
    schema: &Schema,
    columns: &[usize],
    cols: &[Option<Local>],
) -> TokenStream {
    let key = blink_kafka_column(table, schema, "messageKey")
        .and_then(|k| columns.iter().position(|c| *c == k))
        .and_then(|i| cols[i].clone());
    match key {
        Some(Local {
            ident,
            repr: Repr::Bytes,
            ..
        }) => quote!(out.end_row(#ident.as_deref());),
        Some(Local {
            ident,
            repr: Repr::Str,
            ..
        }) => quote!(out.end_row(#ident.as_deref().map(str::as_bytes));),
        _ => quote!(out.end_row(None);),
    }
}

/// Encodes one output row into `out` (a `SinkBuffer`) in the sink's format.
fn encode_row(
    table: &TableDesc,
    schema: &Schema,
    columns: &[usize],
    cols: &[Option<Local>],
    label: &syn::Lifetime,
    kind: Option<TokenStream>,
) -> Gen<TokenStream> {
    let value_of = |sink_col: usize| {
        columns
            .iter()
            .position(|c| *c == sink_col)
            .and_then(|i| cols[i].clone())
    };
    // Flink's not-null enforcer: a NULL in a NOT NULL sink column (primary-key columns
    // are NOT NULL; a store keyed by its primary key needs them) fails the job, or with
    // `table.exec.sink.not-null-enforcer = DROP` drops the row. Here the row is
    // dead-lettered and the job goes on.
    let keyed = matches!(
        table.connector.as_str(),
        "jdbc" | "hbase" | "ots" | "elasticsearch" | "upsert-kafka"
    );
    let mut key_checks = Vec::new();
    for (j, f) in schema.fields.iter().enumerate() {
        let pk = table.primary_key.contains(&j);
        if f.ty.nullable && !(keyed && pk) {
            continue;
        }
        let reason = if pk {
            "NULL primary key"
        } else {
            "NULL in a NOT NULL column"
        };
        match value_of(j) {
            Some(l) => {
                let i = &l.ident;
                key_checks.push(quote! {
                    if #i.is_none() {
                        break #label Err(#reason);
                    }
                });
            }
            None => key_checks.push(quote!(break #label Err(#reason);)),
        }
    }
    // A Blink Kafka-style sink: the `message` column is the record value, one per line.
    if let Some(m) = blink_kafka_column(table, schema, "message") {
        let Some(l) = value_of(m) else {
            return unsupported("a Kafka sink row without a message");
        };
        if let Some(parts) = &l.direct {
            return Ok(quote! {
                ::streamsql_runtime::func::string::concat_append(&mut out.bytes, &[#(#parts),*]);
                out.bytes.push(b'\n');
            });
        }
        let i = &l.ident;
        let bytes = match l.repr {
            Repr::Bytes => quote!(&v[..]),
            Repr::Str => quote!(v.as_bytes()),
            _ => return unsupported("a message that is neither STRING nor BYTES"),
        };
        return Ok(quote! {
            if let Some(v) = &#i {
                out.bytes.extend_from_slice(#bytes);
            }
            out.bytes.push(b'\n');
        });
    }
    // `print`: Flink's changelog-tagged text, `+I[v1, v2, ...]` (append-only jobs).
    if table.connector == "print" {
        let mut parts = Vec::new();
        for j in 0..schema.fields.len() {
            let sep = if j == 0 {
                quote!()
            } else {
                quote!(out.bytes.extend_from_slice(b", ");)
            };
            let value = match value_of(j) {
                None => quote!(out.bytes.extend_from_slice(b"null");),
                Some(l) => {
                    let i = &l.ident;
                    let v = as_ref(quote!(#i), l.repr);
                    quote!(::streamsql_runtime::encode::print_value(&mut out.bytes, #v);)
                }
            };
            parts.push(quote! { #sep #value });
        }
        let open = match &kind {
            Some(k) => quote! {
                out.bytes.extend_from_slice((#k).short().as_bytes());
                out.bytes.push(b'[');
            },
            None => quote!(out.bytes.extend_from_slice(b"+I[");),
        };
        return Ok(quote! {
            #(#key_checks)*
            #open
            #(#parts)*
            out.bytes.extend_from_slice(b"]\n");
        });
    }
    let mut fields = Vec::new();
    for (j, f) in schema.fields.iter().enumerate() {
        let mut key = Vec::new();
        streamsql_json_str(&mut key, &f.name);
        key.push(b':');
        let key = proc_macro2::Literal::byte_string(&key);
        let first = j == 0 && kind.is_none();
        fields.push(match value_of(j) {
            None => quote! {
                ::streamsql_runtime::encode::field(&mut out.bytes, #first, #key);
                ::streamsql_runtime::encode::json_null(&mut out.bytes);
            },
            Some(l) => {
                let i = &l.ident;
                let v = as_ref(quote!(#i), l.repr);
                quote!(::streamsql_runtime::encode::json_field(&mut out.bytes, #first, #key, #v);)
            }
        });
    }
    let op = kind.map(|k| quote!(::streamsql_runtime::encode::op_field(&mut out.bytes, #k);));
    Ok(quote! {
        #(#key_checks)*
        ::streamsql_runtime::encode::row_start(&mut out.bytes);
        #op
        #(#fields)*
        ::streamsql_runtime::encode::row_end(&mut out.bytes);
    })
}

/// A JSON string literal for a field name, escaped at compile time.
fn streamsql_json_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    for c in s.chars() {
        match c {
            '"' => buf.extend_from_slice(b"\\\""),
            '\\' => buf.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                buf.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut b = [0u8; 4];
                buf.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    buf.push(b'"');
}
