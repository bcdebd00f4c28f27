//! Bind: [`Script`] -> [`Job`] (catalog, names, types, validation, logical plan).
//!
//! In: the parsed statements in order. Out: the typed logical plan of every INSERT,
//! views inlined, and every error found — the binder reports and goes on (a broken
//! table still enters the catalog with the columns that did bind, a broken view
//! with no rows), so one run shows all the problems without cascades.
//!
//! Submodules: [`expr`] (scalar expressions), [`functions`] (function typing), [`query`] (SELECT,
//! joins, windows, aggregates, Top-N), [`connector`] (what `WITH` options mean).

pub mod connector;
pub mod expr;
pub mod functions;
pub mod query;

use crate::ast::{self, ColumnKind, DialectKind, Script, Statement, TableDdl};
use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::lint::Sites;
use crate::plan::{Expr, Field, Job, Pipeline, Plan, Schema, TableDesc, Watermark};
use crate::types::{SqlType, TimeAttr, TypeKind};
use std::collections::HashMap;

pub use expr::Scope;

/// A table declared by `CREATE TABLE`, bound.
#[derive(Clone, Debug)]
pub struct TableEntry {
    pub desc: TableDesc,
    /// All columns in DDL order (physical, metadata and computed).
    pub schema: Schema,
    /// Computed columns: (position in `schema`, expression over the other positions).
    pub computed: Vec<(usize, Expr)>,
    pub watermark: Option<Watermark>,
    /// Blink `PERIOD FOR SYSTEM_TIME`, or a Flink table whose connector can look up.
    pub is_dimension: bool,
    /// A `PRIMARY KEY` was written (even if some of its columns did not resolve).
    pub pk_declared: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Entry {
    Table(TableEntry),
    /// A view: its plan (inlined wherever it is used) or `None` if it failed to bind.
    View {
        plan: Option<Plan>,
        schema: Schema,
        span: Span,
    },
    /// A declaration that failed to parse: uses of it fail silently (already reported).
    Broken {
        span: Span,
    },
}

/// Binds one script: the job and what the lints need to look at, or `None` when any
/// error was found.
pub fn bind(script: &Script) -> (Option<(Job, Sites)>, Diagnostics) {
    let dialect = script_dialect(script);
    let mut b = Binder {
        catalog: HashMap::new(),
        order: Vec::new(),
        diags: Diagnostics::default(),
        dialect,
        sites: Sites::default(),
    };
    let mut pipelines = Vec::new();
    let mut settings = Vec::new();
    for stmt in &script.statements {
        match stmt {
            Statement::CreateTable(t) => b.create_table(t),
            Statement::CreateView(v) => b.create_view(v),
            Statement::Insert(i) => {
                if let Some(plan) = b.insert(i) {
                    pipelines.push(Pipeline { plan, span: i.span });
                }
            }
            Statement::Set { key, value, .. } => settings.push((key.clone(), value.clone())),
            Statement::Broken {
                declares: Some(name),
            } => b.declare(name, Entry::Broken { span: name.span }),
            Statement::Broken { declares: None } => {}
        }
    }
    // A job without INSERT does nothing; unless a statement failed to parse (it may
    // have been the INSERT), say so.
    if script
        .statements
        .iter()
        .all(|s| !matches!(s, Statement::Insert(_) | Statement::Broken { .. }))
        && !script.statements.is_empty()
    {
        let span = match script.statements.last() {
            Some(Statement::CreateTable(t)) => t.name.span,
            Some(Statement::CreateView(v)) => v.name.span,
            _ => Span::NONE,
        };
        b.diags.push(
            Diagnostic::error("the job has no INSERT INTO: nothing would run", span)
                .with_help("add `INSERT INTO <sink> SELECT ... FROM <source>;`"),
        );
    }
    let tables = b
        .order
        .iter()
        .filter_map(|n| match b.catalog.get(n) {
            Some(Entry::Table(t)) => Some((t.desc.clone(), t.schema.clone())),
            _ => None,
        })
        .collect();
    let mut diags = b.diags;
    diags.sort();
    if diags.has_errors() {
        return (None, diags);
    }
    let job = Job {
        dialect,
        tables,
        pipelines,
        settings,
    };
    (Some((job, b.sites)), diags)
}

/// Blink if any table says `type = ...`, else Flink.
fn script_dialect(script: &Script) -> DialectKind {
    let blink = script.statements.iter().any(|s| {
        matches!(s, Statement::CreateTable(t) if t.option("type").is_some() && t.option("connector").is_none())
    });
    if blink {
        DialectKind::Blink
    } else {
        DialectKind::Flink
    }
}

pub struct Binder {
    pub(crate) catalog: HashMap<String, Entry>,
    order: Vec<String>,
    pub(crate) diags: Diagnostics,
    pub(crate) dialect: DialectKind,
    /// What the lints will look at, recorded where the binder sees it with its span.
    pub(crate) sites: Sites,
}

impl std::fmt::Debug for Binder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binder")
            .field("tables", &self.order)
            .finish()
    }
}

impl Binder {
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Runs a speculative bind (does this expression equal a grouping key?): whatever
    /// it reports, errors and lint sites, is forgotten.
    pub(crate) fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let diags = self.diags.0.len();
        let sites = self.sites.mark();
        let out = f(self);
        self.diags.0.truncate(diags);
        self.sites.truncate(sites);
        out
    }

    fn declare(&mut self, name: &ast::Name, entry: Entry) {
        if let Some(prev) = self.catalog.get(&name.value) {
            let prev_span = match prev {
                Entry::Table(t) => t.span,
                Entry::View { span, .. } | Entry::Broken { span } => *span,
            };
            self.error(
                Diagnostic::error(format!("`{}` is declared twice", name.value), name.span)
                    .with_note(format!("first declared on line {}", prev_span.start.line))
                    .with_help("rename one of them, or remove the repeated declaration"),
            );
            return;
        }
        self.order.push(name.value.clone());
        self.catalog.insert(name.value.clone(), entry);
    }

    /// Names of everything in the catalog (for "did you mean").
    pub(crate) fn relation_names(&self) -> Vec<String> {
        self.order.clone()
    }

    fn create_table(&mut self, t: &TableDdl) {
        let Some(conn) = connector::resolve(self, t) else {
            // Still declare it, so queries over it do not cascade into "unknown table".
            let desc = TableDesc {
                name: t.name.value.clone(),
                connector: "?".into(),
                connector_as_written: "?".into(),
                options: vec![],
                primary_key: vec![],
                dialect: self.dialect,
            };
            let entry = self.table_entry(t, desc);
            self.declare(&t.name, Entry::Table(entry));
            return;
        };
        let dialect = if t.option("connector").is_some() {
            DialectKind::Flink
        } else {
            DialectKind::Blink
        };
        let desc = TableDesc {
            name: t.name.value.clone(),
            connector: conn.name.to_string(),
            connector_as_written: conn.as_written.clone(),
            options: t
                .options
                .iter()
                .map(|o| (o.key.clone(), o.value.clone()))
                .collect(),
            primary_key: vec![],
            dialect,
        };
        let entry = self.table_entry(t, desc);
        self.declare(&t.name, Entry::Table(entry));
    }

    fn table_entry(&mut self, t: &TableDdl, mut desc: TableDesc) -> TableEntry {
        let mut fields: Vec<Field> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut columns: Vec<&ast::ColumnDef> = Vec::new();
        for c in &t.columns {
            if let Some(prev) = seen.get(c.name.value.as_str()).copied() {
                self.error(
                    Diagnostic::error(
                        format!("column `{}` is declared twice", c.name.value),
                        c.name.span,
                    )
                    .with_note(format!("first declared on line {}", prev.start.line))
                    .with_help("rename or remove one of the two columns"),
                );
                continue;
            }
            seen.insert(&c.name.value, c.name.span);
            columns.push(c);
        }
        // Physical and metadata columns first: computed columns are bound over them.
        let mut physical_scope = Scope::default();
        for (i, c) in columns.iter().enumerate() {
            let ty = match &c.kind {
                ColumnKind::Physical { ty, .. } | ColumnKind::Metadata { ty, .. } => ty.clone(),
                ColumnKind::Computed(_) => SqlType::new(TypeKind::Null),
            };
            if !matches!(c.kind, ColumnKind::Computed(_)) {
                physical_scope.push(Some(&t.name.value), &c.name.value, ty.clone(), i);
            }
            fields.push(Field {
                name: c.name.value.clone(),
                ty,
            });
        }
        let mut computed = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if let ColumnKind::Computed(e) = &c.kind {
                let mut ctx = expr::Ctx::plain(&physical_scope);
                let bound = self.bind_expr(e, &mut ctx);
                let bound = match bound {
                    Some(b) => b,
                    None => Expr::Literal {
                        value: crate::plan::Literal::Null,
                        ty: SqlType::new(TypeKind::Null),
                    },
                };
                fields[i].ty = bound.ty().clone();
                computed.push((i, bound));
            }
        }
        // Primary key: columns exist; they become NOT NULL (Flink does the same).
        if let Some(pk) = &t.primary_key {
            for n in &pk.columns {
                match fields.iter().position(|f| f.name == n.value) {
                    Some(i) => {
                        fields[i].ty.nullable = false;
                        desc.primary_key.push(i);
                    }
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        let d = Diagnostic::error(
                            format!(
                                "primary key column `{}` is not a column of `{}`",
                                n.value, t.name.value
                            ),
                            n.span,
                        );
                        self.error(expr::with_suggestion(
                            d,
                            &n.value,
                            names.iter().copied(),
                            "column",
                        ));
                    }
                }
            }
            if desc.dialect == DialectKind::Flink && !pk.not_enforced {
                self.error(
                    Diagnostic::error("Flink does not support ENFORCED primary keys", pk.span)
                        .with_note("Flink does not own the data, so it cannot check the constraint")
                        .with_help("write `PRIMARY KEY (...) NOT ENFORCED`"),
                );
            }
        }
        // Watermark: marks its column as the rowtime attribute.
        let mut watermark = None;
        if let Some(w) = &t.watermark {
            match fields.iter().position(|f| f.name == w.column.value) {
                None => {
                    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                    let d = Diagnostic::error(
                        format!(
                            "watermark column `{}` is not a column of `{}`",
                            w.column.value, t.name.value
                        ),
                        w.column.span,
                    );
                    self.error(expr::with_suggestion(
                        d,
                        &w.column.value,
                        names.iter().copied(),
                        "column",
                    ));
                }
                Some(i) => {
                    let ty = &fields[i].ty;
                    let ok = match ty.kind {
                        TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) => {
                            p <= 3 || desc.dialect == DialectKind::Blink
                        }
                        // Blink: epoch milliseconds in a BIGINT (the seeds' `messageCreateTime`).
                        TypeKind::BigInt => desc.dialect == DialectKind::Blink,
                        _ => false,
                    };
                    if !ok {
                        self.error(
                            Diagnostic::error(
                                format!(
                                    "watermark column `{}` has type {}; a rowtime attribute must be TIMESTAMP(3) or TIMESTAMP_LTZ(3){}",
                                    w.column.value,
                                    ty,
                                    if desc.dialect == DialectKind::Blink { " (or epoch-millis BIGINT in Blink)" } else { "" }
                                ),
                                w.column.span,
                            )
                            .with_help(if ty.is_string() {
                                format!(
                                    "derive a timestamp column and put the watermark on it: `ts AS TO_TIMESTAMP({c})` for 'yyyy-MM-dd HH:mm:ss' text, `ts AS TO_TIMESTAMP_LTZ(CAST({c} AS BIGINT), 3)` for epoch milliseconds",
                                    c = w.column.value
                                )
                            } else {
                                format!(
                                    "derive a timestamp column and put the watermark on it, e.g. `ts AS TO_TIMESTAMP_LTZ({}, 3)` for epoch milliseconds",
                                    w.column.value
                                )
                            }),
                        );
                    } else if let Some(delay_ms) = self.watermark_delay(w, &fields[i].name) {
                        fields[i].ty.time_attr = Some(TimeAttr::Rowtime);
                        watermark = Some(Watermark {
                            column: i,
                            delay_ms,
                        });
                    }
                }
            }
        }
        let is_dimension = t.period_for_system_time.is_some()
            || (desc.dialect == DialectKind::Flink && connector::can_lookup(&desc.connector));
        if let (Some(period), None) = (t.period_for_system_time, &t.primary_key) {
            self.error(
                Diagnostic::error(
                    format!("dimension table `{}` has no PRIMARY KEY", t.name.value),
                    period,
                )
                .with_note("Blink looks dimension rows up by their primary key")
                .with_help("declare the lookup key: `PRIMARY KEY (key_column)`"),
            );
        }
        TableEntry {
            desc,
            pk_declared: t.primary_key.is_some(),
            schema: Schema::new(fields),
            computed,
            watermark,
            is_dimension,
            span: t.name.span,
        }
    }

    /// `WITHOFFSET(ts, ms)` (Blink), `ts - INTERVAL '5' SECOND` or `ts` (Flink).
    fn watermark_delay(&mut self, w: &ast::WatermarkDef, column: &str) -> Option<i64> {
        use sqlparser::ast::{BinaryOperator, Expr as E, Spanned};
        let is_col = |e: &E| match e {
            E::Identifier(i) => i.value == column,
            E::CompoundIdentifier(p) => p.last().is_some_and(|i| i.value == column),
            _ => false,
        };
        let span: Span = w.strategy.span().into();
        let bad = |b: &mut Self, msg: String| {
            b.error(
                Diagnostic::error(msg, span.or(w.span)).with_help(format!(
                    "write `WATERMARK FOR {column} AS {column} - INTERVAL '5' SECOND` (Flink) or `WATERMARK wk FOR {column} AS WITHOFFSET({column}, 5000)` (Blink)"
                )),
            );
            None
        };
        match &w.strategy {
            e if is_col(e) => Some(0),
            E::BinaryOp {
                left,
                op: BinaryOperator::Minus,
                right,
            } if is_col(left) => match expr::interval_millis(right) {
                Some(Ok(ms)) if ms >= 0 => Some(ms),
                _ => bad(
                    self,
                    "the watermark delay must be a non-negative day-time INTERVAL literal".into(),
                ),
            },
            E::Function(f) if f.name.to_string().eq_ignore_ascii_case("WITHOFFSET") => {
                let args = expr::plain_args(f);
                match args.as_slice() {
                    [c, off] if is_col(c) => match expr::int_literal(off) {
                        Some(ms) if ms >= 0 => Some(ms),
                        _ => bad(
                            self,
                            "WITHOFFSET's offset must be a non-negative number of milliseconds"
                                .into(),
                        ),
                    },
                    [c, _] => bad(
                        self,
                        format!(
                            "WITHOFFSET must name the watermark column `{column}`, found `{c}`"
                        ),
                    ),
                    _ => bad(self, "WITHOFFSET takes (column, offset_millis)".into()),
                }
            }
            other => bad(
                self,
                format!(
                    "unsupported watermark strategy `{other}`: only a bounded out-of-orderness delay is supported"
                ),
            ),
        }
    }

    fn create_view(&mut self, v: &ast::ViewDdl) {
        let bound = self.bind_query(&v.query);
        let (plan, mut schema) = match bound {
            Some(q) => (Some(q.plan), q.schema),
            None => (None, Schema::default()),
        };
        if !v.columns.is_empty() && plan.is_some() {
            if v.columns.len() != schema.len() {
                let span = v.columns.first().map(|c| c.span).unwrap_or(v.name.span);
                self.error(
                    Diagnostic::error(
                        format!(
                            "view `{}` names {} columns but its query produces {}",
                            v.name.value,
                            v.columns.len(),
                            schema.len()
                        ),
                        span.union(v.columns.last().map(|c| c.span).unwrap_or(span)),
                    )
                    .with_help("make the column list and the SELECT list the same length"),
                );
            } else {
                for (f, c) in schema.fields.iter_mut().zip(&v.columns) {
                    f.name = c.value.clone();
                }
            }
        }
        let plan = plan.map(|p| rename(p, &schema));
        self.declare(
            &v.name,
            Entry::View {
                plan,
                schema,
                span: v.name.span,
            },
        );
    }

    fn insert(&mut self, ins: &ast::InsertStmt) -> Option<Plan> {
        let bound = self.bind_query(&ins.query);
        let entry = match self.catalog.get(&ins.table.value) {
            Some(Entry::Table(t)) => t.clone(),
            Some(Entry::Broken { .. }) => return None,
            Some(Entry::View { .. }) => {
                self.error(
                    Diagnostic::error(
                        format!("cannot INSERT INTO view `{}`", ins.table.value),
                        ins.table.span,
                    )
                    .with_help("insert into a table declared with CREATE TABLE"),
                );
                return None;
            }
            None => {
                let d = Diagnostic::error(
                    format!("unknown sink table `{}`", ins.table.value),
                    ins.table.span,
                );
                let names = self.relation_names();
                self.error(expr::with_suggestion(
                    d,
                    &ins.table.value,
                    names.iter().map(|s| s.as_str()),
                    "table",
                ));
                return None;
            }
        };
        let q = bound?;
        if let Some(span) = unbounded_rank(&q.plan) {
            self.error(
                Diagnostic::error("ROW_NUMBER() OVER is not followed by a `rn <= N` filter", span)
                    .with_note("streaming Flink supports ROW_NUMBER only as a Top-N: an unbounded ranking would renumber every row")
                    .with_help("alias it (`ROW_NUMBER() OVER (...) AS rn`) in a subquery and filter `WHERE rn <= N` outside it"),
            );
            return None;
        }
        if entry.desc.connector == "?" {
            return None;
        }
        if !connector::can_sink(&entry.desc.connector) {
            self.error(
                Diagnostic::error(
                    format!(
                        "table `{}` (connector `{}`) can only be read, not written",
                        entry.desc.name, entry.desc.connector_as_written
                    ),
                    ins.table.span,
                )
                .with_help(
                    "write into a sink connector such as kafka, jdbc/rds, print or filesystem",
                ),
            );
            return None;
        }
        // Which sink column each query column fills.
        let mut targets: Vec<usize> = Vec::new();
        if ins.columns.is_empty() {
            targets.extend(0..entry.schema.len());
        } else {
            for c in &ins.columns {
                match entry.schema.fields.iter().position(|f| f.name == c.value) {
                    Some(i) => targets.push(i),
                    None => {
                        let d = Diagnostic::error(
                            format!("unknown column `{}` in sink `{}`", c.value, entry.desc.name),
                            c.span,
                        );
                        let names: Vec<&str> = entry
                            .schema
                            .fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect();
                        self.error(expr::with_suggestion(
                            d,
                            &c.value,
                            names.iter().copied(),
                            "column",
                        ));
                        return None;
                    }
                }
            }
        }
        if targets.len() != q.schema.len() {
            let sink_cols: Vec<String> = targets
                .iter()
                .map(|i| {
                    format!(
                        "{}: {}",
                        entry.schema.fields[*i].name, entry.schema.fields[*i].ty
                    )
                })
                .collect();
            let query_cols: Vec<String> = q
                .schema
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.name, f.ty))
                .collect();
            self.error(
                Diagnostic::error(
                    format!(
                        "column count mismatch: sink `{}` has {} columns but the query produces {}",
                        entry.desc.name,
                        targets.len(),
                        q.schema.len()
                    ),
                    q.select_span.or(ins.table.span),
                )
                .with_note(format!("sink columns: [{}]", sink_cols.join(", ")))
                .with_note(format!("query columns: [{}]", query_cols.join(", ")))
                .with_help("select exactly one expression per sink column, in the sink's order"),
            );
            return None;
        }
        let mut ok = true;
        for (qi, &si) in targets.iter().enumerate() {
            let have = &q.schema.fields[qi].ty;
            let want = &entry.schema.fields[si].ty;
            if !have.implicitly_casts_to(want) {
                ok = false;
                let span = q.item_spans.get(qi).copied().unwrap_or(q.select_span);
                self.error(
                    Diagnostic::error(
                        format!(
                            "type mismatch for sink column `{}`: the query gives {}, the sink `{}` expects {}",
                            entry.schema.fields[si].name,
                            have.clone().plain(),
                            entry.desc.name,
                            want.clone().plain()
                        ),
                        span,
                    )
                    .with_help(format!(
                        "convert it explicitly: `CAST(... AS {})`",
                        want.clone().with_nullable(true).plain()
                    )),
                );
            }
        }
        if !ok {
            return None;
        }
        if q.plan.is_updating() {
            if !connector::accepts_updates(&entry.desc) {
                self.error(
                    Diagnostic::error(
                        format!(
                            "sink `{}` (connector `{}`) is append-only, but the query produces updates",
                            entry.desc.name, entry.desc.connector_as_written
                        ),
                        ins.table.span,
                    )
                    .with_note("a GROUP BY without a window, a Top-N or an outer join changes rows it has already emitted")
                    .with_help("write into an upsert sink (upsert-kafka, jdbc/rds, hbase, ...) with a PRIMARY KEY, or aggregate over a window"),
                );
                return None;
            }
            if !entry.pk_declared && connector::upsert_needs_key(&entry.desc) {
                self.error(
                    Diagnostic::error(
                        format!(
                            "sink `{}` has no PRIMARY KEY, but the query produces updates",
                            entry.desc.name
                        ),
                        ins.table.span,
                    )
                    .with_note("an upsert sink finds the row to update or delete by its primary key")
                    .with_help(format!(
                        "declare the key in `{}`: `PRIMARY KEY (...)`, with the columns the query groups by",
                        entry.desc.name
                    )),
                );
                return None;
            }
        }
        Some(Plan::Sink {
            input: Box::new(q.plan),
            table: entry.desc.clone(),
            columns: targets,
            schema: entry.schema.clone(),
        })
    }

    /// The scan of a table, as a plan leaf.
    pub(crate) fn scan(&self, t: &TableEntry) -> Plan {
        Plan::Scan {
            table: t.desc.clone(),
            computed: t.computed.clone(),
            watermark: t.watermark.clone(),
            schema: t.schema.clone(),
        }
    }
}

/// The span of a `ROW_NUMBER()` that no `rn <= N` filter bounded.
fn unbounded_rank(p: &Plan) -> Option<Span> {
    let mut found = None;
    p.walk(&mut |node| {
        if let Plan::Rank {
            limit: None, span, ..
        } = node
        {
            found = found.or(Some(*span));
        }
    });
    found
}

/// Renames a plan's output columns (a view's column list) with a projection.
pub(crate) fn rename(plan: Plan, schema: &Schema) -> Plan {
    if plan
        .schema()
        .fields
        .iter()
        .map(|f| &f.name)
        .eq(schema.fields.iter().map(|f| &f.name))
    {
        return plan;
    }
    let projections = plan.schema().columns();
    Plan::Calc {
        input: Box::new(plan),
        filter: None,
        projections,
        schema: schema.clone(),
    }
}
