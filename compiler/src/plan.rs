//! The typed logical plan: what [`crate::bind`] produces and codegen consumes.
//!
//! In: nothing (data types only). Out: [`Job`] — the catalog of tables and one
//! [`Plan`] tree per INSERT, each ending in a [`Plan::Sink`]. Views are already
//! inlined. `Display` prints an indented tree; that text is the golden `.plan` file
//! beside every example job.

use crate::ast::DialectKind;
use crate::diagnostic::Span;
use crate::types::{SqlType, TimeAttr};
use std::fmt::{self, Write as _};

/// A column of a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: SqlType,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub fields: Vec<Field>,
}

impl Schema {
    pub fn new(fields: Vec<Field>) -> Self {
        Schema { fields }
    }
    pub fn len(&self) -> usize {
        self.fields.len()
    }
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
    /// A reference to every column, in order (an identity projection).
    pub fn columns(&self) -> Vec<Expr> {
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| Expr::Column {
                index: i,
                name: f.name.clone(),
                ty: f.ty.clone(),
            })
            .collect()
    }

    pub fn concat(&self, other: &Schema) -> Schema {
        let mut fields = self.fields.clone();
        fields.extend(other.fields.iter().cloned());
        Schema { fields }
    }
}

/// A literal value, kept as SQL text for exact codegen.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Boolean(bool),
    /// Integer or decimal literal as written.
    Number(String),
    String(String),
    /// A day-time interval, normalised to milliseconds.
    IntervalMillis(i64),
    /// `TIMESTAMP '...'`, `DATE '...'`, `TIME '...'` text.
    Typed(String),
}

/// A typed scalar expression over the columns of a node's input.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Input column by position (name kept for printing).
    Column {
        index: usize,
        name: String,
        ty: SqlType,
    },
    Literal {
        value: Literal,
        ty: SqlType,
    },
    /// A scalar function or operator, by its upper-case SQL name (`=`, `AND`,
    /// `JSON_VALUE`, `LIKE`, ...).
    Call {
        func: String,
        args: Vec<Expr>,
        ty: SqlType,
    },
    /// `CAST`, `TRY_CAST` (`safe`), and the implicit casts the binder inserts.
    Cast {
        expr: Box<Expr>,
        ty: SqlType,
        safe: bool,
        implicit: bool,
    },
    /// `CASE WHEN c THEN r ... ELSE e END` (a simple `CASE x WHEN` is desugared).
    Case {
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
        ty: SqlType,
    },
}

impl Expr {
    pub fn ty(&self) -> &SqlType {
        match self {
            Expr::Column { ty, .. }
            | Expr::Literal { ty, .. }
            | Expr::Call { ty, .. }
            | Expr::Cast { ty, .. }
            | Expr::Case { ty, .. } => ty,
        }
    }

    /// Visits this expression and every sub-expression, pre-order.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Column { .. } | Expr::Literal { .. } => {}
            Expr::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            Expr::Cast { expr, .. } => expr.walk(f),
            Expr::Case {
                whens, otherwise, ..
            } => {
                for (c, r) in whens {
                    c.walk(f);
                    r.walk(f);
                }
                if let Some(o) = otherwise {
                    o.walk(f);
                }
            }
        }
    }

    /// Does it read the clock (`NOW()`, `CURRENT_TIMESTAMP`, `LOCALTIMESTAMP`,
    /// `CURRENT_DATE`, `PROCTIME()`, `UNIX_TIMESTAMP()` without an argument)? Then the
    /// same input row can give another value each time it is evaluated.
    pub fn reads_clock(&self) -> bool {
        let mut clock = false;
        self.walk(&mut |e| {
            if let Expr::Call { func, args, .. } = e {
                clock |= matches!(
                    func.as_str(),
                    "NOW" | "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "CURRENT_DATE" | "PROCTIME"
                ) || (func == "UNIX_TIMESTAMP" && args.is_empty());
            }
        });
        clock
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    FirstValue,
    LastValue,
    ListAgg,
}

impl AggFunc {
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::Count => "COUNT",
            AggFunc::Sum => "SUM",
            AggFunc::Avg => "AVG",
            AggFunc::Min => "MIN",
            AggFunc::Max => "MAX",
            AggFunc::FirstValue => "FIRST_VALUE",
            AggFunc::LastValue => "LAST_VALUE",
            AggFunc::ListAgg => "LISTAGG",
        }
    }
}

/// One aggregate call of a (window or group) aggregate.
#[derive(Clone, Debug, PartialEq)]
pub struct AggCall {
    pub func: AggFunc,
    /// Empty for `COUNT(*)`.
    pub args: Vec<Expr>,
    pub distinct: bool,
    /// `FILTER (WHERE ...)`.
    pub filter: Option<Expr>,
    pub ty: SqlType,
}

/// Window assignment of a window aggregate or window TVF; sizes in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowKind {
    Tumble { size: i64 },
    Hop { slide: i64, size: i64 },
    Session { gap: i64 },
    Cumulate { step: i64, size: i64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub kind: WindowKind,
    /// The time attribute column of the input the windows are assigned by.
    pub time_col: usize,
    pub time_attr: TimeAttr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
}

/// Where a table's rows come from or go to, from its `WITH` options.
#[derive(Clone, Debug, PartialEq)]
pub struct TableDesc {
    pub name: String,
    /// The normalised connector (`kafka`, `jdbc`, `hbase`, ...).
    pub connector: String,
    /// The connector as written (`kafka011`, `rds`, `cloudhbase`, ...).
    pub connector_as_written: String,
    pub options: Vec<(String, String)>,
    pub primary_key: Vec<usize>,
    pub dialect: DialectKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Watermark {
    /// The rowtime column (an index into the scan's output).
    pub column: usize,
    /// Out-of-orderness bound in milliseconds (`WITHOFFSET(ts, ms)`, `ts - INTERVAL`).
    pub delay_ms: i64,
}

/// Where in the SQL a plan node was written, for warnings (the `GROUP BY` of an
/// aggregate, a join, a `PARTITION BY`). Positions never make two plans different:
/// `==` ignores them, so INSERTs whose sub-plans are equal share them (Flink's sub-plan
/// reuse) however and wherever those were written.
#[derive(Clone, Copy, Debug, Default)]
pub struct Loc(pub Span);

impl PartialEq for Loc {
    fn eq(&self, _: &Loc) -> bool {
        true
    }
}

/// One node of the logical plan. Every node knows its output schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Reads a source table. `schema` lists its columns in DDL order; `computed` gives,
    /// for each computed column, its position and its expression over the other
    /// (physical and metadata) positions; the watermark is on one of them.
    Scan {
        table: TableDesc,
        computed: Vec<(usize, Expr)>,
        watermark: Option<Watermark>,
        schema: Schema,
    },
    /// Filter, then project (Flink's `Calc`).
    Calc {
        input: Box<Plan>,
        filter: Option<Expr>,
        projections: Vec<Expr>,
        schema: Schema,
    },
    /// A window TVF: the input's columns plus `window_start`, `window_end`, `window_time`.
    WindowTableFunction {
        input: Box<Plan>,
        window: Window,
        schema: Schema,
    },
    /// Aggregation per key per window: keys, aggregates, then window start/end/time.
    WindowAggregate {
        input: Box<Plan>,
        window: Window,
        keys: Vec<Expr>,
        aggs: Vec<AggCall>,
        schema: Schema,
    },
    /// Aggregation per key without windows (an updating result): keys, then aggregates.
    GroupAggregate {
        input: Box<Plan>,
        keys: Vec<Expr>,
        aggs: Vec<AggCall>,
        schema: Schema,
        /// The `GROUP BY` list (or the `SELECT DISTINCT` list).
        at: Loc,
    },
    /// A regular join on `condition` over the left columns followed by the right ones.
    Join {
        left: Box<Plan>,
        right: Box<Plan>,
        kind: JoinKind,
        /// Equality keys (left column, right column), taken out of `condition`.
        equi_keys: Vec<(usize, usize)>,
        /// Whatever else the ON clause asks.
        condition: Option<Expr>,
        schema: Schema,
        /// The joined relation and its ON condition.
        at: Loc,
    },
    /// `JOIN dim FOR SYSTEM_TIME AS OF PROCTIME()`: input columns followed by the dimension's.
    LookupJoin {
        input: Box<Plan>,
        table: TableDesc,
        dim_schema: Schema,
        kind: JoinKind,
        /// (dimension column, expression over the input) pairs.
        keys: Vec<(usize, Expr)>,
        /// Extra predicate over the joined row.
        condition: Option<Expr>,
        schema: Schema,
    },
    /// `ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..)` with `rn <= limit`; appends the
    /// row number column.
    Rank {
        input: Box<Plan>,
        partition: Vec<Expr>,
        order: Vec<(Expr, bool)>,
        limit: Option<u64>,
        schema: Schema,
        /// Where `ROW_NUMBER()` was written (for the "no `rn <= N`" error).
        span: Span,
        /// The `PARTITION BY` list (`ROW_NUMBER()` when there is none).
        partition_at: Loc,
    },
    Union {
        inputs: Vec<Plan>,
        schema: Schema,
    },
    /// Writes into a table; `columns[i]` is the sink column the i-th input column fills.
    Sink {
        input: Box<Plan>,
        table: TableDesc,
        columns: Vec<usize>,
        schema: Schema,
    },
}

impl Plan {
    pub fn schema(&self) -> &Schema {
        match self {
            Plan::Scan { schema, .. }
            | Plan::Calc { schema, .. }
            | Plan::WindowTableFunction { schema, .. }
            | Plan::WindowAggregate { schema, .. }
            | Plan::GroupAggregate { schema, .. }
            | Plan::Join { schema, .. }
            | Plan::LookupJoin { schema, .. }
            | Plan::Rank { schema, .. }
            | Plan::Union { schema, .. }
            | Plan::Sink { schema, .. } => schema,
        }
    }

    /// Visits this node and every node below it, pre-order (inputs in order).
    pub fn walk<'p>(&'p self, f: &mut dyn FnMut(&'p Plan)) {
        f(self);
        for i in self.inputs() {
            i.walk(f);
        }
    }

    pub fn inputs(&self) -> Vec<&Plan> {
        match self {
            Plan::Scan { .. } => vec![],
            Plan::Calc { input, .. }
            | Plan::WindowTableFunction { input, .. }
            | Plan::WindowAggregate { input, .. }
            | Plan::GroupAggregate { input, .. }
            | Plan::LookupJoin { input, .. }
            | Plan::Rank { input, .. }
            | Plan::Sink { input, .. } => vec![input],
            Plan::Join { left, right, .. } => vec![left, right],
            Plan::Union { inputs, .. } => inputs.iter().collect(),
        }
    }

    /// Does this node emit updates (`-U/+U/-D`), not only inserts? (Flink's changelog
    /// mode, coarse: the full derivation with unique keys comes with the optimizer.)
    pub fn is_updating(&self) -> bool {
        match self {
            Plan::Scan { table, .. } => table.connector == "upsert-kafka",
            Plan::GroupAggregate { .. } => true,
            // Keep-first deduplication on processing time never revises its output
            // (Flink's proctime `Deduplicate` with keepLastRow = false).
            Plan::Rank {
                input,
                order,
                limit: Some(1),
                ..
            } if matches!(order.as_slice(), [(e, false)] if e.ty().time_attr == Some(TimeAttr::Proctime)) => {
                input.is_updating()
            }
            Plan::Rank { .. } => true,
            Plan::Join {
                left, right, kind, ..
            } => *kind != JoinKind::Inner || left.is_updating() || right.is_updating(),
            other => other.inputs().iter().any(|p| p.is_updating()),
        }
    }
}

impl Plan {
    /// Columns whose values identify a row of this node's result (Flink's unique key,
    /// which an upsert sink's primary key should cover); `None` when none is known.
    /// Empty: the result has at most one row (a global aggregate).
    pub fn unique_key(&self) -> Option<Vec<usize>> {
        self.unique_keys().into_iter().next()
    }

    /// Every unique key derived for this node, the preferred one first.
    pub fn unique_keys(&self) -> Vec<Vec<usize>> {
        match self {
            Plan::Scan { table, .. } if !table.primary_key.is_empty() => {
                vec![table.primary_key.clone()]
            }
            Plan::Scan { .. } | Plan::Union { .. } | Plan::WindowTableFunction { .. } => vec![],
            Plan::Calc {
                input, projections, ..
            } => {
                // A key column survives a projection as itself or cast (Flink keeps
                // the key through a CAST of the column).
                let column_of = |p: &Expr| match p {
                    Expr::Column { index, .. } => Some(*index),
                    Expr::Cast { expr, .. } => match &**expr {
                        Expr::Column { index, .. } => Some(*index),
                        _ => None,
                    },
                    _ => None,
                };
                input
                    .unique_keys()
                    .iter()
                    .filter_map(|key| {
                        key.iter()
                            .map(|k| projections.iter().position(|p| column_of(p) == Some(*k)))
                            .collect::<Option<Vec<usize>>>()
                    })
                    .collect()
            }
            Plan::GroupAggregate { keys, .. } => vec![(0..keys.len()).collect()],
            // The grouping keys and the window's bounds.
            Plan::WindowAggregate { aggs, schema, .. } => {
                vec![(0..schema.len() - aggs.len()).collect()]
            }
            Plan::Rank {
                input,
                partition,
                limit,
                ..
            } => {
                let mut keys = Vec::new();
                let partition: Option<Vec<usize>> = partition
                    .iter()
                    .map(|p| match p {
                        Expr::Column { index, .. } => Some(*index),
                        _ => None,
                    })
                    .collect();
                if let Some(mut p) = partition {
                    if *limit != Some(1) {
                        // The row number identifies a row within its partition.
                        p.push(input.schema().len());
                    }
                    keys.push(p);
                }
                // A row is ranked once: the input's keys stay keys.
                keys.extend(input.unique_keys());
                keys
            }
            Plan::Join {
                left,
                right,
                kind,
                equi_keys,
                ..
            } => {
                let offset = left.schema().len();
                let (lk, rk) = (left.unique_keys(), right.unique_keys());
                let shift = |k: &Vec<usize>| k.iter().map(|c| c + offset).collect::<Vec<_>>();
                let mut keys = Vec::new();
                // Each row of one side matches at most one row of the other when the
                // join keys cover the other side's unique key.
                let covers = |ks: &[Vec<usize>], side: &dyn Fn(&(usize, usize)) -> usize| {
                    ks.iter()
                        .any(|k| k.iter().all(|c| equi_keys.iter().any(|e| side(e) == *c)))
                };
                if matches!(kind, JoinKind::Inner | JoinKind::Left) && covers(&rk, &|e| e.1) {
                    keys.extend(lk.iter().cloned());
                }
                if matches!(kind, JoinKind::Inner | JoinKind::Right) && covers(&lk, &|e| e.0) {
                    keys.extend(rk.iter().map(shift));
                }
                for l in &lk {
                    for r in &rk {
                        keys.push(l.iter().cloned().chain(shift(r)).collect());
                    }
                }
                keys
            }
            Plan::LookupJoin { input, .. } => input.unique_keys(),
            Plan::Sink { input, .. } => input.unique_keys(),
        }
    }
}

/// One INSERT, planned.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub plan: Plan,
    pub span: Span,
}

/// A whole job file, planned.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub dialect: DialectKind,
    /// Every table the DDL declares, in order, with its full schema.
    pub tables: Vec<(TableDesc, Schema)>,
    pub pipelines: Vec<Pipeline>,
    /// `SET 'key' = 'value'` statements.
    pub settings: Vec<(String, String)>,
}

/// The job option that bounds the state of unwindowed operators.
pub const STATE_TTL: &str = "table.exec.state.ttl";

/// The name of the row-number column a `Rank` node appends.
pub const ROW_NUMBER_COLUMN: &str = "$rownum";

impl Job {
    /// The state TTL the job sets (`table.exec.state.ttl`, the last one), as written;
    /// `None` when it sets none or zero. A value the runtime cannot read fails the job
    /// at start, so it counts as set.
    pub fn state_ttl(&self) -> Option<&str> {
        self.settings
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(STATE_TTL))
            .map(|(_, v)| v.as_str())
            .filter(|v| {
                let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
                digits.is_empty() || digits.chars().any(|c| c != '0')
            })
    }
}

// ---------------------------------------------------------------- printing

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => write!(f, "NULL"),
            Literal::Boolean(b) => write!(f, "{}", if *b { "TRUE" } else { "FALSE" }),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::IntervalMillis(ms) => write!(f, "{ms}ms"),
            Literal::Typed(t) => write!(f, "{t}"),
        }
    }
}

const INFIX: &[&str] = &[
    "=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "AND", "OR", "||", "LIKE", "NOT LIKE",
];

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(self, f, false)
    }
}

/// An expression printed as SQL, for messages: columns by name (no `#index`), and
/// without the casts the binder made explicit (`IMPLICIT_CAST`).
#[derive(Debug)]
pub struct AsSql<'a>(pub &'a Expr);

impl fmt::Display for AsSql<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(self.0, f, true)
    }
}

/// Prints `e` as the plan shows it, or as SQL (`sql`: see [`AsSql`]).
fn write_expr(e: &Expr, f: &mut fmt::Formatter<'_>, sql: bool) -> fmt::Result {
    let sub = |e: &Expr, f: &mut fmt::Formatter<'_>| write_expr(e, f, sql);
    match e {
        Expr::Column { name, .. } if sql => write!(f, "{name}"),
        Expr::Column { index, name, .. } => write!(f, "{name}#{index}"),
        Expr::Literal { value, .. } => write!(f, "{value}"),
        Expr::Call { func, args, .. } if func.ends_with("LIKE") && args.len() == 3 => {
            write!(f, "(")?;
            sub(&args[0], f)?;
            write!(f, " {func} ")?;
            sub(&args[1], f)?;
            write!(f, " ESCAPE ")?;
            sub(&args[2], f)?;
            write!(f, ")")
        }
        Expr::Call { func, args, .. } if INFIX.contains(&func.as_str()) && args.len() >= 2 => {
            write!(f, "(")?;
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    write!(f, " {func} ")?;
                }
                sub(a, f)?;
            }
            write!(f, ")")
        }
        Expr::Call { func, args, .. } => {
            write!(f, "{func}(")?;
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                sub(a, f)?;
            }
            write!(f, ")")
        }
        Expr::Cast {
            expr,
            implicit: true,
            ..
        } if sql => sub(expr, f),
        Expr::Cast {
            expr,
            ty,
            safe,
            implicit,
        } => {
            let name = match (safe, implicit) {
                (_, true) => "IMPLICIT_CAST",
                (true, _) => "TRY_CAST",
                _ => "CAST",
            };
            write!(f, "{name}(")?;
            sub(expr, f)?;
            write!(f, " AS {})", ty.clone().with_nullable(true).plain())
        }
        Expr::Case {
            whens, otherwise, ..
        } => {
            write!(f, "CASE")?;
            for (c, r) in whens {
                write!(f, " WHEN ")?;
                sub(c, f)?;
                write!(f, " THEN ")?;
                sub(r, f)?;
            }
            if let Some(o) = otherwise {
                write!(f, " ELSE ")?;
                sub(o, f)?;
            }
            write!(f, " END")
        }
    }
}

impl fmt::Display for AggCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.func.name())?;
        if self.distinct {
            write!(f, "DISTINCT ")?;
        }
        if self.args.is_empty() {
            write!(f, "*")?;
        }
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{a}")?;
        }
        write!(f, ")")?;
        if let Some(c) = &self.filter {
            write!(f, " FILTER (WHERE {c})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let attr = match self.time_attr {
            TimeAttr::Rowtime => "rowtime",
            TimeAttr::Proctime => "proctime",
        };
        match &self.kind {
            WindowKind::Tumble { size } => write!(f, "TUMBLE(size={size}ms")?,
            WindowKind::Hop { slide, size } => write!(f, "HOP(slide={slide}ms, size={size}ms")?,
            WindowKind::Session { gap } => write!(f, "SESSION(gap={gap}ms")?,
            WindowKind::Cumulate { step, size } => {
                write!(f, "CUMULATE(step={step}ms, size={size}ms")?
            }
        }
        write!(f, ", {attr}=#{})", self.time_col)
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn schema_text(s: &Schema) -> String {
    s.fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.ty))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a printed plan node is followed by: lines under it, and whether its inputs
/// are printed (`false` when printed elsewhere).
#[derive(Debug)]
pub struct Annotation {
    pub lines: Vec<String>,
    pub inputs: bool,
}

impl Default for Annotation {
    /// No lines; the inputs are printed.
    fn default() -> Self {
        Annotation {
            lines: Vec::new(),
            inputs: true,
        }
    }
}

impl Plan {
    fn write_tree(&self, out: &mut String, depth: usize) {
        self.write_annotated(out, depth, &mut |_| Annotation::default());
    }

    /// Prints the tree from this node at `depth`, each node followed by the lines
    /// `annotate` gives for it.
    pub fn write_annotated(
        &self,
        out: &mut String,
        depth: usize,
        annotate: &mut dyn FnMut(&Plan) -> Annotation,
    ) {
        let pad = "  ".repeat(depth);
        let line = match self {
            Plan::Scan {
                table,
                watermark,
                computed,
                ..
            } => {
                let mut s = format!(
                    "Scan: {} [connector={}]",
                    table.name, table.connector_as_written
                );
                if !computed.is_empty() {
                    let c: Vec<String> = computed
                        .iter()
                        .map(|(i, e)| format!("{} := {e}", self.schema().fields[*i].name))
                        .collect();
                    s.push_str(&format!(" computed=[{}]", c.join(", ")));
                }
                if let Some(w) = watermark {
                    s.push_str(&format!(
                        " watermark=[{} - {}ms]",
                        self.schema().fields[w.column].name,
                        w.delay_ms
                    ));
                }
                s
            }
            Plan::Calc {
                filter,
                projections,
                ..
            } => {
                let mut s = "Calc:".to_string();
                if let Some(c) = filter {
                    s.push_str(&format!(" where={c}"));
                }
                let names = &self.schema().fields;
                let p: Vec<String> = projections
                    .iter()
                    .zip(names)
                    .map(|(e, f)| match e {
                        Expr::Column { name, .. } if *name == f.name => e.to_string(),
                        _ => format!("{} := {e}", f.name),
                    })
                    .collect();
                s.push_str(&format!(" select=[{}]", p.join(", ")));
                s
            }
            Plan::WindowTableFunction { window, .. } => format!("WindowTableFunction: {window}"),
            Plan::WindowAggregate {
                window, keys, aggs, ..
            } => format!(
                "WindowAggregate: window={window} keys=[{}] aggs=[{}]",
                list(keys),
                list(aggs)
            ),
            Plan::GroupAggregate { keys, aggs, .. } => {
                format!(
                    "GroupAggregate: keys=[{}] aggs=[{}]",
                    list(keys),
                    list(aggs)
                )
            }
            Plan::Join {
                kind,
                equi_keys,
                condition,
                ..
            } => {
                let k: Vec<String> = equi_keys
                    .iter()
                    .map(|(l, r)| format!("#{l} = #{r}"))
                    .collect();
                let mut s = format!("Join: {kind:?} keys=[{}]", k.join(", "));
                if let Some(c) = condition {
                    s.push_str(&format!(" condition={c}"));
                }
                s
            }
            Plan::LookupJoin {
                table,
                kind,
                keys,
                condition,
                dim_schema,
                ..
            } => {
                let k: Vec<String> = keys
                    .iter()
                    .map(|(d, e)| format!("{}.{} = {e}", table.name, dim_schema.fields[*d].name))
                    .collect();
                let mut s = format!(
                    "LookupJoin: {kind:?} {} [connector={}] keys=[{}]",
                    table.name,
                    table.connector_as_written,
                    k.join(", ")
                );
                if let Some(c) = condition {
                    s.push_str(&format!(" condition={c}"));
                }
                s
            }
            Plan::Rank {
                partition,
                order,
                limit,
                ..
            } => {
                let o: Vec<String> = order
                    .iter()
                    .map(|(e, desc)| format!("{e} {}", if *desc { "DESC" } else { "ASC" }))
                    .collect();
                let lim = match limit {
                    Some(n) => format!("rn <= {n}"),
                    None => "unbounded".to_string(),
                };
                format!(
                    "Rank: ROW_NUMBER partition=[{}] order=[{}] {lim}",
                    list(partition),
                    o.join(", ")
                )
            }
            Plan::Union { .. } => "Union: ALL".to_string(),
            Plan::Sink { table, .. } => format!(
                "Sink: {} [connector={}{}]",
                table.name,
                table.connector_as_written,
                if table.primary_key.is_empty() {
                    ""
                } else {
                    ", upsert"
                }
            ),
        };
        let mut mode = if self.is_updating() {
            "updating".to_string()
        } else {
            "insert-only".to_string()
        };
        if self.is_updating()
            && !matches!(self, Plan::Sink { .. })
            && let Some(key) = self.unique_key()
        {
            let names: Vec<&str> = key
                .iter()
                .filter_map(|k| self.schema().fields.get(*k).map(|f| f.name.as_str()))
                .collect();
            mode.push_str(&format!(" key=[{}]", names.join(", ")));
        }
        let _ = writeln!(out, "{pad}{line}");
        let _ = writeln!(out, "{pad}  -> ({}) {mode}", schema_text(self.schema()));
        let note = annotate(self);
        for l in &note.lines {
            let _ = writeln!(out, "{pad}  {l}");
        }
        if note.inputs {
            for i in self.inputs() {
                i.write_annotated(out, depth + 1, annotate);
            }
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_tree(&mut s, 0);
        f.write_str(&s)
    }
}

impl Job {
    /// Prints the job's first lines: dialect, number of pipelines, `SET`s.
    pub fn write_header(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "Job: dialect={:?}, {} pipeline(s)",
            self.dialect,
            self.pipelines.len()
        );
        for (k, v) in &self.settings {
            let _ = writeln!(out, "Set: {k} = {v}");
        }
    }

    /// Prints each pipeline's plan, every node followed by the lines `annotate` gives
    /// for it (with the pipeline's index).
    pub fn write_pipelines(
        &self,
        out: &mut String,
        annotate: &mut dyn FnMut(usize, &Plan) -> Annotation,
    ) {
        for (i, p) in self.pipelines.iter().enumerate() {
            let _ = writeln!(out, "\n-- pipeline {} (line {})", i + 1, p.span.start.line);
            p.plan
                .write_annotated(out, 0, &mut |node| annotate(i, node));
        }
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_header(&mut s);
        self.write_pipelines(&mut s, &mut |_, _| Annotation::default());
        f.write_str(&s)
    }
}
