//! Queries: `sqlparser` [`Query`] -> [`Plan`].
//!
//! In: a SELECT (with joins, lookup joins, window TVFs, group windows, GROUP BY,
//! HAVING, `ROW_NUMBER() OVER`, UNION ALL, subqueries, views). Out: the plan and its
//! schema, plus the span of every select item (for sink type errors).
//!
//! Recognised shapes, as Flink plans them: `GROUP BY TUMBLE(ts, ...)` or window TVF
//! keys `window_start, window_end` -> `WindowAggregate`; other `GROUP BY` or
//! `DISTINCT` -> `GroupAggregate`; `JOIN d FOR SYSTEM_TIME AS OF PROCTIME()` ->
//! `LookupJoin`; `ROW_NUMBER() OVER (...)` filtered by `rn <= N` (here or in an
//! enclosing query) -> `Rank`.

use super::expr::{
    AggState, Ctx, GroupWindow, Scope, contains_aggregate, interval_millis, key_name, plain_args,
    with_suggestion,
};
use super::{Binder, Entry, connector};
use crate::diagnostic::{Diagnostic, Span};
use crate::parse::TABLE_ARG;
use crate::plan::{Expr, Field, JoinKind, Literal, Loc, Plan, Schema, Window, WindowKind};
use crate::types::{SqlType, TimeAttr, TypeKind};
use sqlparser::ast::{
    Expr as E, Function, JoinConstraint, JoinOperator, OrderBySort, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, Spanned, TableFactor,
    TableVersion, TableWithJoins, WindowType,
};

/// A bound query: its plan, output schema, and where each output column was written.
#[derive(Debug)]
pub struct BoundQuery {
    pub plan: Plan,
    pub schema: Schema,
    pub item_spans: Vec<Span>,
    pub select_span: Span,
}

fn span_of<T: Spanned>(t: &T) -> Span {
    t.span().into()
}

fn identity(schema: &Schema) -> Vec<Expr> {
    schema.columns()
}

/// The SELECT list over `input` (after `filter`, the HAVING of an aggregate).
fn project(
    input: Plan,
    filter: Option<Expr>,
    projections: Vec<Expr>,
    names: Vec<String>,
    item_spans: Vec<Span>,
    select_span: Span,
) -> BoundQuery {
    let names = unique_names(names);
    let schema = Schema::new(
        projections
            .iter()
            .zip(&names)
            .map(|(e, n)| Field {
                name: n.clone(),
                ty: e.ty().clone(),
            })
            .collect(),
    );
    let plan = Plan::Calc {
        input: Box::new(input),
        filter,
        projections,
        schema: schema.clone(),
    };
    BoundQuery {
        plan,
        schema,
        item_spans,
        select_span,
    }
}

/// Splits `a AND b AND c` into its conjuncts.
fn conjuncts(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Call { func, args, .. } if func == "AND" => {
            for a in args {
                conjuncts(a, out);
            }
        }
        other => out.push(other),
    }
}

fn and_all(mut es: Vec<Expr>) -> Option<Expr> {
    let first = if es.is_empty() {
        return None;
    } else {
        es.remove(0)
    };
    Some(es.into_iter().fold(first, |acc, e| {
        let nullable = acc.ty().nullable || e.ty().nullable;
        Expr::Call {
            func: "AND".into(),
            args: vec![acc, e],
            ty: SqlType::boolean().with_nullable(nullable),
        }
    }))
}

/// Flink's default names: alias, column name, else `EXPR$i`; duplicates get a suffix.
fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        let mut candidate = n.clone();
        let mut k = 0;
        while out.contains(&candidate) {
            candidate = format!("{n}{k}");
            k += 1;
        }
        out.push(candidate);
    }
    out
}

/// Follows a column down through projections to a `Rank` whose row number it is.
fn rank_limit_of(plan: &mut Plan, col: usize) -> Option<&mut Option<u64>> {
    match plan {
        Plan::Calc {
            input, projections, ..
        } => match projections.get(col) {
            Some(Expr::Column { index, .. }) => rank_limit_of(input, *index),
            _ => None,
        },
        Plan::Rank { input, limit, .. } if col == input.schema().len() => Some(limit),
        _ => None,
    }
}

impl Binder {
    /// `WITH a AS (...), b AS (...) SELECT ...`: each CTE is a view visible to the
    /// ones after it and to the body, and shadows a table of the same name meanwhile.
    fn bind_with(&mut self, w: &sqlparser::ast::With, q: &Query) -> Option<BoundQuery> {
        if w.recursive {
            self.error(
                Diagnostic::error(
                    "WITH RECURSIVE is not supported in streaming",
                    span_of(&w.with_token.0),
                )
                .with_help("remove RECURSIVE; streaming jobs cannot iterate"),
            );
            return None;
        }
        let mut shadowed = Vec::new();
        let mut ok = true;
        for cte in &w.cte_tables {
            let name = cte.alias.name.value.clone();
            let bound = self.bind_query(&cte.query);
            let entry = match bound {
                Some(b) => {
                    let mut schema = b.schema;
                    let mut plan = b.plan;
                    if !cte.alias.columns.is_empty() {
                        if cte.alias.columns.len() != schema.len() {
                            self.error(
                                Diagnostic::error(
                                    format!(
                                        "`{name}` names {} columns, its query produces {}",
                                        cte.alias.columns.len(),
                                        schema.len()
                                    ),
                                    cte.alias.name.span.into(),
                                )
                                .with_help("name every column of the query, or none"),
                            );
                            ok = false;
                        }
                        for (f, c) in schema.fields.iter_mut().zip(&cte.alias.columns) {
                            f.name = c.name.value.clone();
                        }
                        plan = super::rename(plan, &schema);
                    }
                    Entry::View {
                        plan: Some(plan),
                        schema,
                        span: cte.alias.name.span.into(),
                    }
                }
                None => {
                    ok = false;
                    Entry::Broken {
                        span: cte.alias.name.span.into(),
                    }
                }
            };
            shadowed.push((name.clone(), self.catalog.insert(name, entry)));
        }
        let body = Query {
            with: None,
            ..q.clone()
        };
        let result = if ok { self.bind_query(&body) } else { None };
        for (name, previous) in shadowed.into_iter().rev() {
            match previous {
                Some(p) => self.catalog.insert(name, p),
                None => self.catalog.remove(&name),
            };
        }
        result
    }

    pub fn bind_query(&mut self, q: &Query) -> Option<BoundQuery> {
        if let Some(w) = &q.with {
            return self.bind_with(w, q);
        }
        if let Some(o) = &q.order_by {
            self.error(
                Diagnostic::error("ORDER BY on a streaming query is not supported", span_of(o).or(span_of(&*q.body)))
                    .with_help("for the first N rows per group, use `ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)` and `WHERE rn <= N`"),
            );
            return None;
        }
        if q.limit_clause.is_some() || q.fetch.is_some() {
            self.error(
                Diagnostic::error(
                    "LIMIT on a streaming query is not supported",
                    span_of(&*q.body),
                )
                .with_help("use a Top-N: `ROW_NUMBER() OVER (...)` and `WHERE rn <= N`"),
            );
            return None;
        }
        self.bind_set_expr(&q.body)
    }

    fn bind_set_expr(&mut self, body: &SetExpr) -> Option<BoundQuery> {
        match body {
            SetExpr::Select(s) => self.bind_select(s),
            SetExpr::Query(q) => self.bind_query(q),
            SetExpr::SetOperation {
                op: SetOperator::Union,
                set_quantifier,
                left,
                right,
            } => {
                let l = self.bind_set_expr(left);
                let r = self.bind_set_expr(right);
                let (l, r) = (l?, r?);
                if *set_quantifier != SetQuantifier::All {
                    self.error(
                        Diagnostic::error(
                            "UNION without ALL (set semantics) is not supported",
                            span_of(body),
                        )
                        .with_help("write UNION ALL, and deduplicate with GROUP BY if needed"),
                    );
                    return None;
                }
                if l.schema.len() != r.schema.len() {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "UNION ALL inputs have {} and {} columns",
                                l.schema.len(),
                                r.schema.len()
                            ),
                            r.select_span,
                        )
                        .with_help("select the same number of columns on both sides"),
                    );
                    return None;
                }
                let mut fields = Vec::new();
                for (i, (a, b)) in l.schema.fields.iter().zip(&r.schema.fields).enumerate() {
                    match SqlType::common(&a.ty, &b.ty) {
                        Some(t) => fields.push(Field {
                            name: a.name.clone(),
                            ty: t,
                        }),
                        None => {
                            self.error(
                                Diagnostic::error(
                                    format!(
                                        "UNION ALL column {} is {} on the left and {} on the right",
                                        i + 1,
                                        a.ty,
                                        b.ty
                                    ),
                                    r.item_spans.get(i).copied().unwrap_or(r.select_span),
                                )
                                .with_help("CAST both sides to one type"),
                            );
                            return None;
                        }
                    }
                }
                let schema = Schema::new(fields);
                let mut inputs = vec![l.plan, r.plan];
                // Flatten nested unions.
                let mut flat = Vec::new();
                for p in inputs.drain(..) {
                    match p {
                        Plan::Union { inputs, .. } => flat.extend(inputs),
                        other => flat.push(other),
                    }
                }
                Some(BoundQuery {
                    plan: Plan::Union {
                        inputs: flat,
                        schema: schema.clone(),
                    },
                    schema,
                    item_spans: l.item_spans,
                    select_span: l.select_span,
                })
            }
            other => {
                self.error(
                    Diagnostic::error("this kind of query is not supported", span_of(other))
                        .with_help("a job reads with SELECT ... FROM; UNION ALL combines selects"),
                );
                None
            }
        }
    }

    fn bind_select(&mut self, s: &Select) -> Option<BoundQuery> {
        let select_span = s
            .projection
            .iter()
            .map(span_of)
            .fold(Span::NONE, Span::union)
            .or(span_of(&s.select_token.0));
        let (mut plan, scope) = match s.from.as_slice() {
            [] => {
                self.error(
                    Diagnostic::error("SELECT without FROM has no input stream", select_span)
                        .with_help("read from a source table: `SELECT ... FROM <table>`"),
                );
                return None;
            }
            [one] => self.bind_from(one)?,
            [_, second, ..] => {
                self.error(
                    Diagnostic::error(
                        "comma-separated FROM (an implicit cross join) is not supported",
                        span_of(second),
                    )
                    .with_help("write `JOIN ... ON <condition>`"),
                );
                return None;
            }
        };
        if let Some(w) = &s.selection {
            if contains_aggregate(w) {
                self.error(
                    Diagnostic::error("aggregate functions are not allowed in WHERE", span_of(w))
                        .with_help("filter aggregated values with HAVING"),
                );
                return None;
            }
            let pred = self.bind_expr(w, &mut Ctx::plain(&scope))?;
            self.expect_boolean(&pred, span_of(w), "WHERE")?;
            plan = self.filter(plan, pred);
        }
        let group_exprs: &[E] = match &s.group_by {
            sqlparser::ast::GroupByExpr::Expressions(es, _) => es,
            sqlparser::ast::GroupByExpr::All(_) => {
                self.error(
                    Diagnostic::error("GROUP BY ALL is not supported", select_span)
                        .with_help("list the grouping columns"),
                );
                return None;
            }
        };
        let distinct = s.distinct.is_some();
        let has_agg = !group_exprs.is_empty()
            || distinct
            || s.having.is_some()
            || s.projection.iter().any(|i| match i {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    contains_aggregate(e)
                }
                _ => false,
            });
        if has_agg {
            self.bind_aggregate_select(s, plan, scope, group_exprs, distinct, select_span)
        } else {
            self.bind_plain_select(s, plan, scope, select_span)
        }
    }

    /// A filter on top of `plan`; `rn <= N` over a `Rank`'s row number becomes its limit.
    fn filter(&mut self, mut plan: Plan, pred: Expr) -> Plan {
        let mut parts = Vec::new();
        conjuncts(pred, &mut parts);
        let mut rest = Vec::new();
        for p in parts {
            let unwrap = |e: &Expr| match e {
                Expr::Cast {
                    expr,
                    implicit: true,
                    ..
                } => (**expr).clone(),
                other => other.clone(),
            };
            let limit = match &p {
                Expr::Call { func, args, .. } if args.len() == 2 => {
                    match (&args[0], &unwrap(&args[1])) {
                        (
                            Expr::Column { index, .. },
                            Expr::Literal {
                                value: Literal::Number(n),
                                ..
                            },
                        ) => n.parse::<u64>().ok().and_then(|n| match func.as_str() {
                            "<=" => Some((*index, n)),
                            "<" if n > 0 => Some((*index, n - 1)),
                            "=" if n == 1 => Some((*index, 1)),
                            _ => None,
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
            match limit.and_then(|(col, n)| rank_limit_of(&mut plan, col).map(|l| (l, n))) {
                Some((slot, n)) if slot.is_none() => *slot = Some(n),
                _ => rest.push(p),
            }
        }
        let Some(pred) = and_all(rest) else {
            return plan;
        };
        let schema = plan.schema().clone();
        match plan {
            // Merge into a projection-free Calc.
            Plan::Calc {
                input,
                filter: None,
                projections,
                schema: s,
            } if projections == identity(input.schema()) => Plan::Calc {
                input,
                filter: Some(pred),
                projections,
                schema: s,
            },
            other => Plan::Calc {
                projections: identity(&schema),
                input: Box::new(other),
                filter: Some(pred),
                schema,
            },
        }
    }

    fn bind_from(&mut self, twj: &TableWithJoins) -> Option<(Plan, Scope)> {
        if let TableFactor::Table {
            version: Some(_),
            name,
            ..
        } = &twj.relation
        {
            self.error(
                Diagnostic::error(
                    "FOR SYSTEM_TIME AS OF must be on the right side of a JOIN",
                    span_of(name),
                )
                .with_help(
                    "write `FROM stream s JOIN dim FOR SYSTEM_TIME AS OF PROCTIME() AS d ON ...`",
                ),
            );
            return None;
        }
        let (mut plan, mut scope) = self.bind_factor(&twj.relation)?;
        for j in &twj.joins {
            let (kind, constraint) = match &j.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, c),
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, c),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, c),
                JoinOperator::FullOuter(c) => (JoinKind::Full, c),
                _ => {
                    self.error(
                        Diagnostic::error(
                            "this kind of join is not supported",
                            span_of(&j.relation),
                        )
                        .with_help("use [INNER | LEFT | RIGHT | FULL] JOIN ... ON <condition>"),
                    );
                    return None;
                }
            };
            let on = match constraint {
                JoinConstraint::On(e) => e,
                _ => {
                    self.error(
                        Diagnostic::error("a join needs an ON condition", span_of(&j.relation))
                            .with_help("write `JOIN t ON a.key = t.key`; USING, NATURAL and CROSS joins are not supported"),
                    );
                    return None;
                }
            };
            if let TableFactor::Table {
                name,
                alias,
                version: Some(v),
                ..
            } = &j.relation
            {
                (plan, scope) =
                    self.bind_lookup_join(plan, scope, name, alias.as_ref(), v, kind, on)?;
                continue;
            }
            let (rplan, rscope) = self.bind_factor(&j.relation)?;
            let offset = plan.schema().len();
            let rscope = Scope {
                cols: rscope
                    .cols
                    .into_iter()
                    .map(|mut c| {
                        c.index += offset;
                        c
                    })
                    .collect(),
            };
            let merged = scope.merge(rscope);
            let cond = self.bind_expr(on, &mut Ctx::plain(&merged))?;
            self.expect_boolean(&cond, span_of(on), "ON")?;
            let mut parts = Vec::new();
            conjuncts(cond, &mut parts);
            let mut equi = Vec::new();
            let mut rest = Vec::new();
            for p in parts {
                if let Expr::Call { func, args, .. } = &p
                    && func == "="
                    && let [Expr::Column { index: a, .. }, Expr::Column { index: b, .. }] =
                        args.as_slice()
                {
                    if *a < offset && *b >= offset {
                        equi.push((*a, *b - offset));
                        continue;
                    }
                    if *b < offset && *a >= offset {
                        equi.push((*b, *a - offset));
                        continue;
                    }
                }
                rest.push(p);
            }
            if equi.is_empty() {
                self.error(
                    Diagnostic::error(
                        "a streaming join needs at least one equality between the two sides",
                        span_of(on),
                    )
                    .with_help("join on a key: `ON a.id = b.id`"),
                );
                return None;
            }
            // A regular join materialises rowtime attributes (its output is not ordered
            // by them); a proctime attribute stays one, as in Flink.
            let mut schema = plan.schema().concat(rplan.schema());
            for f in &mut schema.fields {
                if f.ty.time_attr == Some(TimeAttr::Rowtime) {
                    f.ty.time_attr = None;
                }
            }
            let nullable_left = matches!(kind, JoinKind::Right | JoinKind::Full);
            let nullable_right = matches!(kind, JoinKind::Left | JoinKind::Full);
            for (i, f) in schema.fields.iter_mut().enumerate() {
                if (i < offset && nullable_left) || (i >= offset && nullable_right) {
                    f.ty.nullable = true;
                }
            }
            let mut new_scope = merged;
            for c in &mut new_scope.cols {
                c.ty = schema.fields[c.index].ty.clone();
            }
            plan = Plan::Join {
                left: Box::new(plan),
                right: Box::new(rplan),
                kind,
                equi_keys: equi,
                condition: and_all(rest),
                schema,
                at: Loc(span_of(&j.relation).union(span_of(on))),
            };
            scope = new_scope;
        }
        Some((plan, scope))
    }

    #[allow(clippy::too_many_arguments)]
    fn bind_lookup_join(
        &mut self,
        plan: Plan,
        scope: Scope,
        name: &sqlparser::ast::ObjectName,
        alias: Option<&sqlparser::ast::TableAlias>,
        version: &TableVersion,
        kind: JoinKind,
        on: &E,
    ) -> Option<(Plan, Scope)> {
        let tname = name
            .0
            .last()
            .map(|p| p.to_string().trim_matches('`').to_string())
            .unwrap_or_default();
        let name_span = span_of(name);
        let entry = match self.catalog.get(&tname) {
            Some(Entry::Table(t)) => t.clone(),
            Some(Entry::Broken { .. }) => return None,
            Some(Entry::View { .. }) => {
                self.error(
                    Diagnostic::error(format!("`{tname}` is a view; FOR SYSTEM_TIME AS OF needs a dimension table"), name_span)
                        .with_help("look up a table declared with PERIOD FOR SYSTEM_TIME (Blink) or a lookup connector such as jdbc (Flink)"),
                );
                return None;
            }
            None => {
                let d = Diagnostic::error(format!("unknown table `{tname}`"), name_span);
                let names = self.relation_names();
                self.error(with_suggestion(
                    d,
                    &tname,
                    names.iter().map(|s| s.as_str()),
                    "table",
                ));
                return None;
            }
        };
        let TableVersion::ForSystemTimeAsOf(at) = version else {
            self.error(
                Diagnostic::error("only FOR SYSTEM_TIME AS OF is supported", name_span)
                    .with_help("write `FOR SYSTEM_TIME AS OF PROCTIME()`"),
            );
            return None;
        };
        let at_b = self.bind_expr(at, &mut Ctx::plain(&scope))?;
        if at_b.ty().time_attr != Some(TimeAttr::Proctime) {
            self.error(
                Diagnostic::error(
                    "only processing-time lookup joins are supported: the AS OF time must be PROCTIME() or a proctime attribute",
                    span_of(at),
                )
                .with_help("write `FOR SYSTEM_TIME AS OF PROCTIME()`, or declare `p AS PROCTIME()` on the stream and use `AS OF <stream alias>.p`"),
            );
            return None;
        }
        if !entry.is_dimension || entry.desc.connector == "?" {
            self.error(
                Diagnostic::error(
                    format!("table `{tname}` (connector `{}`) cannot serve lookups", entry.desc.connector_as_written),
                    name_span,
                )
                .with_help("declare it as a dimension table: add `PERIOD FOR SYSTEM_TIME` (Blink) or use a lookup connector such as jdbc, hbase (Flink)"),
            );
            return None;
        }
        if !matches!(kind, JoinKind::Inner | JoinKind::Left) {
            self.error(
                Diagnostic::error("a lookup join is INNER or LEFT", name_span)
                    .with_help("write `JOIN` or `LEFT JOIN` before the dimension table"),
            );
            return None;
        }
        let qualifier = alias.map(|a| a.name.value.clone()).unwrap_or(tname.clone());
        let offset = plan.schema().len();
        let dim_scope = Scope::of(&entry.schema, Some(&qualifier), offset);
        let merged = scope.clone().merge(dim_scope);
        let cond = self.bind_expr(on, &mut Ctx::plain(&merged))?;
        self.expect_boolean(&cond, span_of(on), "ON")?;
        let mut parts = Vec::new();
        conjuncts(cond, &mut parts);
        let mut keys = Vec::new();
        let mut rest = Vec::new();
        let refs_dim = |e: &Expr| {
            let mut any = false;
            e.walk(&mut |x| {
                if let Expr::Column { index, .. } = x {
                    any |= *index >= offset;
                }
            });
            any
        };
        for p in parts {
            if let Expr::Call { func, args, .. } = &p
                && func == "="
                && args.len() == 2
            {
                let (a, b) = (&args[0], &args[1]);
                let key = match (a, b) {
                    (Expr::Column { index, .. }, other) if *index >= offset && !refs_dim(other) => {
                        Some((*index - offset, other.clone()))
                    }
                    (other, Expr::Column { index, .. }) if *index >= offset && !refs_dim(other) => {
                        Some((*index - offset, other.clone()))
                    }
                    _ => None,
                };
                if let Some(k) = key {
                    keys.push(k);
                    continue;
                }
            }
            rest.push(p);
        }
        if keys.is_empty() {
            self.error(
                Diagnostic::error(
                    format!(
                        "the lookup join on `{tname}` has no equality on a column of `{tname}`"
                    ),
                    span_of(on),
                )
                .with_help(format!(
                    "look up by key: `ON {qualifier}.<key column> = <expression over the stream>`"
                )),
            );
            return None;
        }
        let mut dim_schema = entry.schema.clone();
        for f in &mut dim_schema.fields {
            f.ty.time_attr = None;
            if kind == JoinKind::Left {
                f.ty.nullable = true;
            }
        }
        let schema = plan.schema().concat(&dim_schema);
        let scope = scope.merge(Scope::of(&dim_schema, Some(&qualifier), offset));
        let plan = Plan::LookupJoin {
            input: Box::new(plan),
            table: entry.desc.clone(),
            dim_schema,
            kind,
            keys,
            condition: and_all(rest),
            schema,
        };
        Some((plan, scope))
    }

    fn bind_factor(&mut self, f: &TableFactor) -> Option<(Plan, Scope)> {
        match f {
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let tname = name
                    .0
                    .last()
                    .map(|p| {
                        p.as_ident()
                            .map(|i| i.value.clone())
                            .unwrap_or(p.to_string())
                    })
                    .unwrap_or_default();
                let qualifier = alias
                    .as_ref()
                    .map(|a| a.name.value.clone())
                    .unwrap_or(tname.clone());
                let span = span_of(name);
                match self.catalog.get(&tname).cloned() {
                    Some(Entry::Table(t)) => {
                        if t.desc.connector == "?" {
                            return None;
                        }
                        if !connector::can_scan(&t.desc.connector)
                            || (t.is_dimension && t.desc.dialect == crate::ast::DialectKind::Blink)
                        {
                            self.error(
                                Diagnostic::error(
                                    format!("table `{tname}` (connector `{}`) cannot be read as a stream", t.desc.connector_as_written),
                                    span,
                                )
                                .with_help(if t.is_dimension {
                                    format!("join it as a dimension table: `JOIN {tname} FOR SYSTEM_TIME AS OF PROCTIME() AS d ON ...`")
                                } else {
                                    "read from a source connector such as kafka, datahub or filesystem".to_string()
                                }),
                            );
                            return None;
                        }
                        let plan = self.scan(&t);
                        let scope = Scope::of(&t.schema, Some(&qualifier), 0);
                        Some((plan, scope))
                    }
                    Some(Entry::Broken { .. }) => None,
                    Some(Entry::View { plan, schema, .. }) => {
                        let plan = plan?;
                        Some((plan, Scope::of(&schema, Some(&qualifier), 0)))
                    }
                    None => {
                        let d = Diagnostic::error(format!("unknown table or view `{tname}`"), span);
                        let names = self.relation_names();
                        self.error(with_suggestion(
                            d,
                            &tname,
                            names.iter().map(|s| s.as_str()),
                            "table",
                        ));
                        None
                    }
                }
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let q = self.bind_query(subquery)?;
                let qualifier = alias.as_ref().map(|a| a.name.value.clone());
                let mut schema = q.schema.clone();
                if let Some(a) = alias
                    && !a.columns.is_empty()
                {
                    if a.columns.len() != schema.len() {
                        self.error(
                            Diagnostic::error(
                                format!(
                                    "alias `{}` names {} columns, the subquery has {}",
                                    a.name.value,
                                    a.columns.len(),
                                    schema.len()
                                ),
                                a.name.span.into(),
                            )
                            .with_help("name every column of the subquery, or none"),
                        );
                        return None;
                    }
                    for (f, c) in schema.fields.iter_mut().zip(&a.columns) {
                        f.name = c.name.value.clone();
                    }
                }
                let scope = Scope::of(&schema, qualifier.as_deref(), 0);
                Some((q.plan, scope))
            }
            TableFactor::TableFunction { expr, alias } => {
                self.bind_window_tvf(expr, alias.as_ref())
            }
            TableFactor::Function {
                name, args, alias, ..
            } if name.to_string().eq_ignore_ascii_case("TABLE") => {
                match args.as_slice() {
                    [
                        sqlparser::ast::FunctionArg::Unnamed(
                            sqlparser::ast::FunctionArgExpr::Expr(e),
                        ),
                    ] => self.bind_window_tvf(e, alias.as_ref()),
                    _ => {
                        self.error(
                            Diagnostic::error("TABLE(...) takes one window function call", span_of(name))
                                .with_help("write `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))`"),
                        );
                        None
                    }
                }
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => self.bind_from(table_with_joins),
            other => {
                self.error(
                    Diagnostic::error("this kind of FROM item is not supported", span_of(other))
                        .with_help("read from a table, a view, a subquery or a window TVF"),
                );
                None
            }
        }
    }

    /// `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size))`, `HOP(..., slide, size)`,
    /// `CUMULATE(..., step, size)`.
    fn bind_window_tvf(
        &mut self,
        e: &E,
        alias: Option<&sqlparser::ast::TableAlias>,
    ) -> Option<(Plan, Scope)> {
        let span = span_of(e);
        let E::Function(f) = e else {
            self.error(
                Diagnostic::error(
                    "TABLE(...) needs a window function: TUMBLE, HOP or CUMULATE",
                    span,
                )
                .with_help("write `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))`"),
            );
            return None;
        };
        let func = f.name.to_string().to_ascii_uppercase();
        let args = plain_args(f);
        let help = format!("write `TABLE({func}(TABLE t, DESCRIPTOR(ts), INTERVAL ...))`");
        if !matches!(func.as_str(), "TUMBLE" | "HOP" | "CUMULATE") {
            self.error(
                Diagnostic::error(format!("unknown window TVF `{func}`"), span)
                    .with_help("use TUMBLE, HOP or CUMULATE"),
            );
            return None;
        }
        let want = if func == "TUMBLE" { 3 } else { 4 };
        if args.len() != want {
            self.error(
                Diagnostic::error(
                    format!("{func} takes {want} arguments, found {}", args.len()),
                    span,
                )
                .with_help(help),
            );
            return None;
        }
        // TABLE t
        let (input, scope) = match args[0] {
            E::Function(tf) if tf.name.to_string() == TABLE_ARG => {
                let inner = plain_args(tf);
                let name = match inner.first() {
                    Some(E::CompoundIdentifier(parts)) => parts.last().cloned(),
                    Some(E::Identifier(i)) => Some(i.clone()),
                    _ => None,
                }?;
                let factor = TableFactor::Table {
                    name: sqlparser::ast::ObjectName(vec![
                        sqlparser::ast::ObjectNamePart::Identifier(name),
                    ]),
                    alias: None,
                    args: None,
                    with_hints: vec![],
                    version: None,
                    with_ordinality: false,
                    partitions: vec![],
                    json_path: None,
                    sample: None,
                    index_hints: vec![],
                };
                self.bind_factor(&factor)?
            }
            other => {
                self.error(
                    Diagnostic::error(
                        "the first argument of a window TVF is `TABLE <name>`",
                        span_of(other),
                    )
                    .with_help(help),
                );
                return None;
            }
        };
        // DESCRIPTOR(ts)
        let time_col = match args[1] {
            E::Function(df) if df.name.to_string().eq_ignore_ascii_case("DESCRIPTOR") => {
                let inner = plain_args(df);
                match inner.first() {
                    Some(c) => self.bind_expr(c, &mut Ctx::plain(&scope))?,
                    None => return None,
                }
            }
            other => {
                self.error(
                    Diagnostic::error(
                        "the second argument of a window TVF is `DESCRIPTOR(time_column)`",
                        span_of(other),
                    )
                    .with_help(help),
                );
                return None;
            }
        };
        let (time_index, time_attr) = self.time_attribute(&time_col, span_of(args[1]))?;
        let mut sizes = Vec::new();
        for a in &args[2..] {
            sizes.push(self.window_size(a)?);
        }
        let kind = match func.as_str() {
            "TUMBLE" => WindowKind::Tumble { size: sizes[0] },
            "HOP" => WindowKind::Hop {
                slide: sizes[0],
                size: sizes[1],
            },
            _ => WindowKind::Cumulate {
                step: sizes[0],
                size: sizes[1],
            },
        };
        // Flink's window TVF aggregation slices windows: the size must be made of whole
        // slides (steps). Legacy HOP group windows have no such rule.
        if let WindowKind::Hop { slide: unit, size } | WindowKind::Cumulate { step: unit, size } =
            kind
            && (unit <= 0 || size % unit != 0)
        {
            let (name, what) = if func == "HOP" {
                ("HOP", "slide")
            } else {
                ("CUMULATE", "step")
            };
            self.error(
                Diagnostic::error(
                    format!(
                        "{name} window size must be an integral multiple of its {what}, but got size {size} ms and {what} {unit} ms"
                    ),
                    span_of(args[3]),
                )
                .with_help(format!(
                    "pick a size that is a multiple of the {what} (e.g. {} ms)",
                    (size / unit.max(1)).max(1) * unit.max(1)
                )),
            );
            return None;
        }
        let window = Window {
            kind,
            time_col: time_index,
            time_attr,
        };
        let mut schema = input.schema().clone();
        let ts = SqlType::not_null(TypeKind::Timestamp(3));
        let mut wt = time_col.ty().clone().with_nullable(false);
        if wt.kind == TypeKind::BigInt {
            wt.kind = TypeKind::Timestamp(3);
        }
        schema.fields.push(Field {
            name: "window_start".into(),
            ty: ts.clone(),
        });
        schema.fields.push(Field {
            name: "window_end".into(),
            ty: ts,
        });
        schema.fields.push(Field {
            name: "window_time".into(),
            ty: wt,
        });
        let qualifier = alias.map(|a| a.name.value.clone());
        let scope = Scope::of(&schema, qualifier.as_deref(), 0);
        Some((
            Plan::WindowTableFunction {
                input: Box::new(input),
                window,
                schema,
            },
            scope,
        ))
    }

    /// Checks that `e` is a time attribute column; returns its index and kind.
    fn time_attribute(&mut self, e: &Expr, span: Span) -> Option<(usize, TimeAttr)> {
        match e {
            Expr::Column { index, ty, name } => match ty.time_attr {
                Some(a) => Some((*index, a)),
                None => {
                    self.error(
                        Diagnostic::error(format!("`{name}` is not a time attribute, so it cannot define a window"), span)
                            .with_note(format!("`{name}` has type {ty}"))
                            .with_help(format!(
                                "declare a watermark on it in the source table (`WATERMARK FOR {name} AS {name} - INTERVAL '5' SECOND`), or use a PROCTIME() column"
                            )),
                    );
                    None
                }
            },
            _ => {
                self.error(
                    Diagnostic::error("a window is defined on a time attribute column, not an expression", span)
                        .with_help("declare the expression as a computed column with a watermark in the source table"),
                );
                None
            }
        }
    }

    fn window_size(&mut self, e: &E) -> Option<i64> {
        match interval_millis(e) {
            Some(Ok(ms)) if ms > 0 => Some(ms),
            Some(Ok(_)) => {
                self.error(
                    Diagnostic::error("a window size must be positive", span_of(e))
                        .with_help("write e.g. `INTERVAL '1' MINUTE`"),
                );
                None
            }
            Some(Err(m)) => {
                self.error(
                    Diagnostic::error(format!("unsupported window interval: {m}"), span_of(e))
                        .with_help("write e.g. `INTERVAL '30' SECOND`"),
                );
                None
            }
            None => {
                self.error(
                    Diagnostic::error(
                        format!("window size must be an INTERVAL literal, found `{e}`"),
                        span_of(e),
                    )
                    .with_help("write e.g. `INTERVAL '1' MINUTE`"),
                );
                None
            }
        }
    }

    fn item_name(&self, item: &SelectItem, i: usize) -> String {
        match item {
            SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
            SelectItem::UnnamedExpr(E::Identifier(id)) => id.value.clone(),
            SelectItem::UnnamedExpr(E::CompoundIdentifier(p)) => {
                p.last().map(|i| i.value.clone()).unwrap_or_default()
            }
            _ => format!("EXPR${i}"),
        }
    }

    /// Expands `*` / `t.*`; `None` for an expression item.
    fn expand_wildcard(
        &mut self,
        item: &SelectItem,
        scope: &Scope,
    ) -> Option<Option<Vec<(Expr, String)>>> {
        let cols: Vec<_> = match item {
            SelectItem::Wildcard(_) => scope.cols.iter().collect(),
            SelectItem::QualifiedWildcard(kind, _) => {
                let q = match kind {
                    SelectItemQualifiedWildcardKind::ObjectName(n) => n.to_string(),
                    SelectItemQualifiedWildcardKind::Expr(e) => e.to_string(),
                };
                let cols: Vec<_> = scope
                    .cols
                    .iter()
                    .filter(|c| c.qualifier.as_deref() == Some(q.as_str()))
                    .collect();
                if cols.is_empty() {
                    let d =
                        Diagnostic::error(format!("unknown table or alias `{q}`"), span_of(item));
                    let quals = scope.qualifiers();
                    self.error(with_suggestion(
                        d,
                        &q,
                        quals.iter().map(|s| s.as_str()),
                        "alias",
                    ));
                    return None;
                }
                cols
            }
            _ => return Some(None),
        };
        Some(Some(
            cols.into_iter()
                .map(|c| {
                    (
                        Expr::Column {
                            index: c.index,
                            name: c.name.clone(),
                            ty: c.ty.clone(),
                        },
                        c.name.clone(),
                    )
                })
                .collect(),
        ))
    }

    fn bind_plain_select(
        &mut self,
        s: &Select,
        mut plan: Plan,
        mut scope: Scope,
        select_span: Span,
    ) -> Option<BoundQuery> {
        let mut projections = Vec::new();
        let mut names = Vec::new();
        let mut item_spans = Vec::new();
        let mut ok = true;
        let mut has_rank = false;
        for (i, item) in s.projection.iter().enumerate() {
            let Some(expanded) = self.expand_wildcard(item, &scope) else {
                ok = false;
                continue;
            };
            if let Some(cols) = expanded {
                for (e, n) in cols {
                    projections.push(e);
                    names.push(n);
                    item_spans.push(span_of(item));
                }
                continue;
            }
            let expr = match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                _ => unreachable!("wildcards handled above"),
            };
            let bound = if let E::Function(f) = expr {
                if f.over.is_some() {
                    if has_rank {
                        self.error(
                            Diagnostic::error(
                                "only one ROW_NUMBER() OVER per SELECT is supported",
                                span_of(expr),
                            )
                            .with_help("compute further rankings in an enclosing query"),
                        );
                        None
                    } else {
                        has_rank = true;
                        let r = self.bind_rank(f, plan.clone(), &scope, span_of(expr));
                        r.map(|(p, col)| {
                            plan = p;
                            let ty = col.ty().clone();
                            scope.push(None, &self.item_name(item, i), ty, plan.schema().len() - 1);
                            col
                        })
                    }
                } else {
                    self.bind_expr(expr, &mut Ctx::plain(&scope))
                }
            } else {
                self.bind_expr(expr, &mut Ctx::plain(&scope))
            };
            match bound {
                Some(b) => {
                    projections.push(b);
                    names.push(self.item_name(item, i));
                    item_spans.push(span_of(item));
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(project(
            plan,
            None,
            projections,
            names,
            item_spans,
            select_span,
        ))
    }

    /// `ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..)`: a `Rank` over `input`, and the
    /// row-number column (the last column of the rank's output).
    fn bind_rank(
        &mut self,
        f: &Function,
        input: Plan,
        scope: &Scope,
        span: Span,
    ) -> Option<(Plan, Expr)> {
        let name = f.name.to_string().to_ascii_uppercase();
        if name != "ROW_NUMBER" {
            self.error(
                Diagnostic::error(
                    format!("{name}() OVER is not supported; only ROW_NUMBER() for Top-N"),
                    span,
                )
                .with_help("write `ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)`"),
            );
            return None;
        }
        let Some(WindowType::WindowSpec(spec)) = &f.over else {
            self.error(
                Diagnostic::error("named windows are not supported", span)
                    .with_help("write the OVER (...) clause inline"),
            );
            return None;
        };
        if spec.order_by.is_empty() {
            self.error(
                Diagnostic::error("ROW_NUMBER() OVER needs an ORDER BY", span)
                    .with_help("rank rows by a column: `OVER (PARTITION BY k ORDER BY v DESC)`"),
            );
            return None;
        }
        let mut partition = Vec::new();
        for p in &spec.partition_by {
            partition.push(self.bind_expr(p, &mut Ctx::plain(scope))?);
        }
        let mut order = Vec::new();
        for o in &spec.order_by {
            let e = self.bind_expr(&o.expr, &mut Ctx::plain(scope))?;
            order.push((e, matches!(o.options.sort, Some(OrderBySort::Desc))));
        }
        let mut schema = input.schema().clone();
        let ty = SqlType::not_null(TypeKind::BigInt);
        schema.fields.push(Field {
            name: crate::plan::ROW_NUMBER_COLUMN.into(),
            ty: ty.clone(),
        });
        let index = schema.len() - 1;
        let partition_at = spec
            .partition_by
            .iter()
            .map(span_of)
            .fold(Span::NONE, Span::union)
            .or(span);
        let plan = Plan::Rank {
            input: Box::new(input),
            partition,
            order,
            limit: None,
            schema,
            span,
            partition_at: Loc(partition_at),
        };
        Some((
            plan,
            Expr::Column {
                index,
                name: crate::plan::ROW_NUMBER_COLUMN.into(),
                ty,
            },
        ))
    }

    fn bind_aggregate_select(
        &mut self,
        s: &Select,
        plan: Plan,
        scope: Scope,
        group_exprs: &[E],
        distinct: bool,
        select_span: Span,
    ) -> Option<BoundQuery> {
        let mut keys = Vec::new();
        let mut window: Option<GroupWindow> = None;
        let mut ok = true;
        for g in group_exprs {
            if let E::Function(f) = g {
                let fname = f.name.to_string().to_ascii_uppercase();
                if matches!(fname.as_str(), "TUMBLE" | "HOP" | "SESSION") {
                    if window.is_some() {
                        self.error(
                            Diagnostic::error(
                                "a GROUP BY has at most one group window",
                                span_of(g),
                            )
                            .with_help("remove the second window"),
                        );
                        ok = false;
                        continue;
                    }
                    match self.bind_group_window(&fname, f, &scope, span_of(g)) {
                        Some(w) => window = Some(w),
                        None => ok = false,
                    }
                    continue;
                }
            }
            if contains_aggregate(g) {
                self.error(
                    Diagnostic::error(
                        "aggregate functions are not allowed in GROUP BY",
                        span_of(g),
                    )
                    .with_help("group by columns or expressions over columns"),
                );
                ok = false;
                continue;
            }
            match self.bind_expr(g, &mut Ctx::plain(&scope)) {
                Some(k) => keys.push(k),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // Window TVF: grouping by its window_start and window_end makes a window aggregate.
        let mut tvf_window = None;
        if window.is_none()
            && let Plan::WindowTableFunction {
                window: w, input, ..
            } = strip_filter(&plan)
        {
            let n = input.schema().len();
            let has = |i: usize| {
                keys.iter()
                    .any(|k| matches!(k, Expr::Column { index, .. } if *index == i))
            };
            match (has(n), has(n + 1)) {
                (true, true) => tvf_window = Some(w.clone()),
                (false, false) => {}
                (start, _) => {
                    let missing = if start { "window_end" } else { "window_start" };
                    let span = group_exprs
                        .iter()
                        .map(span_of)
                        .fold(Span::NONE, Span::union);
                    self.error(
                            Diagnostic::error(
                                format!("a window TVF aggregation groups by window_start and window_end; `{missing}` is missing"),
                                span,
                            )
                            .with_help(format!("add `{missing}` to the GROUP BY list")),
                        );
                    return None;
                }
            }
        }
        if distinct {
            if !keys.is_empty() || window.is_some() {
                self.error(
                    Diagnostic::error(
                        "SELECT DISTINCT with GROUP BY is not supported",
                        select_span,
                    )
                    .with_help("remove DISTINCT; GROUP BY already makes rows distinct"),
                );
                return None;
            }
            // SELECT DISTINCT a, b == GROUP BY a, b.
            for item in &s.projection {
                match item {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                        keys.push(self.bind_expr(e, &mut Ctx::plain(&scope))?);
                    }
                    _ => {
                        for (e, _) in self.expand_wildcard(item, &scope)?.unwrap_or_default() {
                            keys.push(e);
                        }
                    }
                }
            }
        }
        // Flink merges the accumulators of session windows, and of the slices that
        // make up hop and cumulate windows; FIRST_VALUE and LAST_VALUE have no merge
        // (Flink 2.3: "Could not find an implementation method 'merge'").
        let merging = match window.as_ref().map(|w| &w.window).or(tvf_window.as_ref()) {
            Some(w) => match w.kind {
                WindowKind::Session { .. } => Some("SESSION"),
                WindowKind::Hop { .. } => Some("HOP"),
                WindowKind::Cumulate { .. } => Some("CUMULATE"),
                WindowKind::Tumble { .. } => None,
            },
            None => None,
        };
        let mut state = AggState {
            input: scope,
            keys,
            window,
            aggs: Vec::new(),
        };
        let mut projections = Vec::new();
        let mut names = Vec::new();
        let mut item_spans = Vec::new();
        for (i, item) in s.projection.iter().enumerate() {
            match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let before = order_dependent(&state);
                    let b = self.bind_expr(e, &mut Ctx::aggregate(&mut state));
                    if order_dependent(&state) > before
                        && let Some(kind) = merging
                    {
                        self.error(first_value_in_merging_window(kind, span_of(item)));
                        ok = false;
                    }
                    match b {
                        Some(b) => {
                            projections.push(b);
                            names.push(self.item_name(item, i));
                            item_spans.push(span_of(item));
                        }
                        None => ok = false,
                    }
                }
                _ if distinct => {
                    for (k, (e, n)) in self
                        .expand_wildcard(item, &state.input.clone())?
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                    {
                        let _ = e;
                        let idx = projections.len() + k;
                        let ty = state.keys[idx].ty().clone();
                        projections.push(Expr::Column {
                            index: idx,
                            name: n.clone(),
                            ty,
                        });
                        names.push(n);
                        item_spans.push(span_of(item));
                    }
                }
                _ => {
                    self.error(
                        Diagnostic::error(
                            "`*` cannot be selected in a GROUP BY query",
                            span_of(item),
                        )
                        .with_help("list the grouping columns and aggregates explicitly"),
                    );
                    ok = false;
                }
            }
        }
        let having = match &s.having {
            Some(h) => {
                let before = order_dependent(&state);
                let b = self.bind_expr(h, &mut Ctx::aggregate(&mut state));
                if order_dependent(&state) > before
                    && let Some(kind) = merging
                {
                    self.error(first_value_in_merging_window(kind, span_of(h)));
                    return None;
                }
                match b {
                    Some(b) => {
                        self.expect_boolean(&b, span_of(h), "HAVING")?;
                        Some(b)
                    }
                    None => {
                        ok = false;
                        None
                    }
                }
            }
            None => None,
        };
        if !ok {
            return None;
        }
        let AggState {
            keys, window, aggs, ..
        } = state;
        let mut fields: Vec<Field> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Field {
                name: key_name(k, i),
                ty: k.ty().clone().plain(),
            })
            .collect();
        if let Some(w) = &window {
            let ts = SqlType::not_null(TypeKind::Timestamp(3));
            fields.push(Field {
                name: "window_start".into(),
                ty: ts.clone(),
            });
            fields.push(Field {
                name: "window_end".into(),
                ty: ts,
            });
            let mut rt = SqlType::not_null(TypeKind::Timestamp(3));
            rt.time_attr = Some(w.window.time_attr);
            fields.push(Field {
                name: "window_time".into(),
                ty: rt,
            });
        }
        for (j, a) in aggs.iter().enumerate() {
            fields.push(Field {
                name: format!("$agg{j}"),
                ty: a.ty.clone(),
            });
        }
        let agg_schema = Schema::new(fields);
        let agg_plan = match (window, tvf_window) {
            (Some(w), _) => Plan::WindowAggregate {
                input: Box::new(plan),
                window: w.window,
                keys,
                aggs,
                schema: agg_schema.clone(),
            },
            (None, Some(w)) => Plan::WindowAggregate {
                input: Box::new(plan),
                window: w,
                keys,
                aggs,
                schema: agg_schema.clone(),
            },
            (None, None) => Plan::GroupAggregate {
                input: Box::new(plan),
                keys,
                aggs,
                schema: agg_schema.clone(),
                at: Loc(if group_exprs.is_empty() {
                    select_span
                } else {
                    group_exprs
                        .iter()
                        .map(span_of)
                        .fold(Span::NONE, Span::union)
                }),
            },
        };
        Some(project(
            agg_plan,
            having,
            projections,
            names,
            item_spans,
            select_span,
        ))
    }

    /// `TUMBLE(ts, size)`, `HOP(ts, slide, size)`, `SESSION(ts, gap)` in GROUP BY.
    fn bind_group_window(
        &mut self,
        func: &str,
        f: &Function,
        scope: &Scope,
        span: Span,
    ) -> Option<GroupWindow> {
        let args = plain_args(f);
        let want = if func == "HOP" { 3 } else { 2 };
        if args.len() != want {
            self.error(
                Diagnostic::error(
                    format!("{func} takes {want} arguments, found {}", args.len()),
                    span,
                )
                .with_help(match func {
                    "HOP" => "write `HOP(time_attr, INTERVAL slide, INTERVAL size)`",
                    "SESSION" => "write `SESSION(time_attr, INTERVAL gap)`",
                    _ => "write `TUMBLE(time_attr, INTERVAL '1' MINUTE)`",
                }),
            );
            return None;
        }
        let time = self.bind_expr(args[0], &mut Ctx::plain(scope))?;
        let (time_col, time_attr) = self.time_attribute(&time, span_of(args[0]))?;
        let mut sizes = Vec::new();
        for a in &args[1..] {
            sizes.push(self.window_size(a)?);
        }
        let kind = match func {
            "TUMBLE" => WindowKind::Tumble { size: sizes[0] },
            "HOP" => WindowKind::Hop {
                slide: sizes[0],
                size: sizes[1],
            },
            _ => WindowKind::Session { gap: sizes[0] },
        };
        Some(GroupWindow {
            func: func.to_string(),
            window: Window {
                kind,
                time_col,
                time_attr,
            },
            args_text: args.iter().map(|a| a.to_string()).collect(),
            time_ty: time.ty().clone(),
        })
    }
}

fn strip_filter(p: &Plan) -> &Plan {
    match p {
        Plan::Calc {
            input, projections, ..
        } if *projections == identity(input.schema()) => strip_filter(input),
        other => other,
    }
}

/// How many FIRST_VALUE/LAST_VALUE calls an aggregate has so far.
fn order_dependent(st: &AggState) -> usize {
    st.aggs
        .iter()
        .filter(|a| {
            matches!(
                a.func,
                crate::plan::AggFunc::FirstValue | crate::plan::AggFunc::LastValue
            )
        })
        .count()
}

/// FIRST_VALUE/LAST_VALUE in a window whose accumulators Flink merges (`kind`).
fn first_value_in_merging_window(kind: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        format!("FIRST_VALUE and LAST_VALUE cannot be used in a {kind} window"),
        span,
    )
    .with_help("use a TUMBLE window, or MIN/MAX")
}
