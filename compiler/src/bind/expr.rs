//! Scalar expressions: `sqlparser` [`E`] -> typed [`Expr`] over a [`Scope`].
//!
//! In: an expression and the columns it may name. Out: a typed expression with
//! implicit casts made explicit, or `None` after reporting why (unknown column with
//! "did you mean", wrong argument types, a column that is neither grouped nor
//! aggregated, ...). Function typing follows Flink's built-in function reference;
//! where Blink differs (`NOW()` is epoch seconds, `TO_TIMESTAMP(bigint)` takes epoch
//! millis, `CAST` between `BIGINT` and `TIMESTAMP`) the job's dialect decides.

use super::Binder;
use crate::ast::DialectKind;
use crate::diagnostic::{Diagnostic, Span};
use crate::lint::{StringNumber, TimePattern};
use crate::parse::TABLE_ARG;
use crate::plan::{AggCall, AggFunc, Expr, Literal, Window};
use crate::types::{Family, SqlType, TimeAttr, TypeKind, from_sql_data_type};
use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr as E, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentClause, FunctionArguments, Spanned, UnaryOperator, Value,
};

/// The columns an expression can name: (qualifier, name, type) -> input position.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub cols: Vec<ScopeCol>,
}

#[derive(Clone, Debug)]
pub struct ScopeCol {
    pub qualifier: Option<String>,
    pub name: String,
    pub ty: SqlType,
    pub index: usize,
}

impl Scope {
    pub fn push(&mut self, qualifier: Option<&str>, name: &str, ty: SqlType, index: usize) {
        self.cols.push(ScopeCol {
            qualifier: qualifier.map(str::to_string),
            name: name.to_string(),
            ty,
            index,
        });
    }

    /// A scope over a plan's output, all columns under one qualifier.
    pub fn of(schema: &crate::plan::Schema, qualifier: Option<&str>, offset: usize) -> Scope {
        let mut s = Scope::default();
        for (i, f) in schema.fields.iter().enumerate() {
            s.push(qualifier, &f.name, f.ty.clone(), offset + i);
        }
        s
    }

    pub fn merge(mut self, other: Scope) -> Scope {
        self.cols.extend(other.cols);
        self
    }

    pub fn qualifiers(&self) -> Vec<String> {
        let mut q: Vec<String> = self
            .cols
            .iter()
            .filter_map(|c| c.qualifier.clone())
            .collect();
        q.dedup();
        q
    }
}

/// State of an aggregating SELECT: its grouping keys, window and aggregate calls.
/// Output columns: keys, then (with a window) start/end/rowtime, then aggregates.
#[derive(Clone, Debug)]
pub struct AggState {
    pub input: Scope,
    pub keys: Vec<Expr>,
    pub window: Option<GroupWindow>,
    pub aggs: Vec<AggCall>,
}

#[derive(Clone, Debug)]
pub struct GroupWindow {
    /// `TUMBLE`, `HOP` or `SESSION`.
    pub func: String,
    pub window: Window,
    /// The arguments as written, to match `TUMBLE_START(ts, INTERVAL ...)` against.
    pub args_text: Vec<String>,
    pub time_ty: SqlType,
}

impl AggState {
    pub fn agg_offset(&self) -> usize {
        self.keys.len() + if self.window.is_some() { 3 } else { 0 }
    }
}

/// What an expression may contain where it is being bound.
#[derive(Debug)]
pub struct Ctx<'s> {
    pub scope: &'s Scope,
    pub agg: Option<&'s mut AggState>,
}

impl<'s> Ctx<'s> {
    pub fn plain(scope: &'s Scope) -> Self {
        Ctx { scope, agg: None }
    }

    /// Inside an aggregating SELECT: names resolve against `state.input`.
    pub fn aggregate(state: &'s mut AggState) -> Self {
        static EMPTY: Scope = Scope { cols: Vec::new() };
        Ctx {
            scope: &EMPTY,
            agg: Some(state),
        }
    }
}

pub fn lit(value: Literal, ty: SqlType) -> Expr {
    Expr::Literal { value, ty }
}

pub(super) fn call(func: &str, args: Vec<Expr>, ty: SqlType) -> Expr {
    Expr::Call {
        func: func.to_string(),
        args,
        ty,
    }
}

pub(super) fn implicit_cast(e: Expr, to: &SqlType) -> Expr {
    if e.ty().kind == to.kind || e.ty().is_null() {
        return e;
    }
    let nullable = e.ty().nullable;
    Expr::Cast {
        expr: Box::new(e),
        ty: to.clone().plain().with_nullable(nullable),
        safe: false,
        implicit: true,
    }
}

/// Levenshtein distance, for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Adds "did you mean `x`?" when a candidate is close, else a list of what exists.
pub fn with_suggestion<'a>(
    d: Diagnostic,
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
    what: &str,
) -> Diagnostic {
    let cands: Vec<&str> = candidates.collect();
    let best = cands
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => d.with_help(format!("did you mean {what} `{c}`?")),
        None if cands.is_empty() => d.with_help(format!("no {what} is in scope here")),
        None => {
            let mut shown: Vec<&str> = cands.iter().take(12).copied().collect();
            shown.dedup();
            let more = if cands.len() > 12 { ", ..." } else { "" };
            let plural = if what.ends_with('s') {
                format!("{what}es")
            } else {
                format!("{what}s")
            };
            d.with_help(format!("{plural} in scope: {}{more}", shown.join(", ")))
        }
    }
}

/// The positional arguments of a call as `sqlparser` expressions.
pub fn plain_args(f: &Function) -> Vec<&E> {
    match &f.args {
        FunctionArguments::List(l) => l
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                FunctionArg::Named {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => Some(e),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

pub fn int_literal(e: &E) -> Option<i64> {
    match e {
        E::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        E::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => int_literal(expr).map(|n| -n),
        E::Nested(e) => int_literal(e),
        _ => None,
    }
}

/// `INTERVAL '5' SECOND` -> 5000; `None` if `e` is not an interval literal,
/// `Some(Err)` if it is one we cannot read as a fixed duration.
pub fn interval_millis(e: &E) -> Option<Result<i64, String>> {
    let E::Interval(iv) = e else {
        return None;
    };
    let text = match &*iv.value {
        E::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => s.trim().to_string(),
            Value::Number(n, _) => n.clone(),
            _ => return Some(Err("interval value must be a literal".into())),
        },
        _ => return Some(Err("interval value must be a literal".into())),
    };
    let unit_ms: f64 = match iv.leading_field.as_ref() {
        Some(DateTimeField::Millisecond | DateTimeField::Milliseconds) => 1.0,
        Some(DateTimeField::Second | DateTimeField::Seconds) | None => 1_000.0,
        Some(DateTimeField::Minute | DateTimeField::Minutes) => 60_000.0,
        Some(DateTimeField::Hour | DateTimeField::Hours) => 3_600_000.0,
        Some(DateTimeField::Day | DateTimeField::Days) => 86_400_000.0,
        Some(DateTimeField::Week(_)) => 7.0 * 86_400_000.0,
        Some(other) => return Some(Err(format!("interval unit {other} has no fixed length"))),
    };
    // `INTERVAL '1:30' MINUTE TO SECOND` and friends are not needed by the jobs.
    if iv.last_field.is_some() {
        return Some(Err(
            "compound intervals (`... TO ...`) are not supported".into()
        ));
    }
    match text.parse::<f64>() {
        Ok(v) => Some(Ok((v * unit_ms).round() as i64)),
        Err(_) => Some(Err(format!("`{text}` is not a number"))),
    }
}

/// Flink type names, for "did you mean".
pub const TYPE_NAMES: &[&str] = &[
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INT",
    "INTEGER",
    "BIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "CHAR",
    "VARCHAR",
    "STRING",
    "BINARY",
    "VARBINARY",
    "BYTES",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMP_LTZ",
];

pub(super) const AGGREGATES: &[&str] = &[
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "FIRST_VALUE",
    "LAST_VALUE",
    "LISTAGG",
];

pub(super) const WINDOW_PROPS: &[&str] = &[
    "TUMBLE_START",
    "TUMBLE_END",
    "TUMBLE_ROWTIME",
    "TUMBLE_PROCTIME",
    "HOP_START",
    "HOP_END",
    "HOP_ROWTIME",
    "HOP_PROCTIME",
    "SESSION_START",
    "SESSION_END",
    "SESSION_ROWTIME",
    "SESSION_PROCTIME",
];

pub fn is_aggregate_name(n: &str) -> bool {
    AGGREGATES.contains(&n)
}

/// Does `e` contain an aggregate call (outside OVER windows)?
pub fn contains_aggregate(e: &E) -> bool {
    match e {
        E::Function(f) => {
            let name = f.name.to_string().to_ascii_uppercase();
            if f.over.is_none() && is_aggregate_name(&name) {
                return true;
            }
            plain_args(f).into_iter().any(contains_aggregate)
        }
        E::BinaryOp { left, right, .. } => contains_aggregate(left) || contains_aggregate(right),
        E::UnaryOp { expr, .. }
        | E::Nested(expr)
        | E::Cast { expr, .. }
        | E::IsNull(expr)
        | E::IsNotNull(expr)
        | E::IsTrue(expr)
        | E::IsFalse(expr) => contains_aggregate(expr),
        E::InList { expr, list, .. } => {
            contains_aggregate(expr) || list.iter().any(contains_aggregate)
        }
        E::Between {
            expr, low, high, ..
        } => contains_aggregate(expr) || contains_aggregate(low) || contains_aggregate(high),
        E::Like { expr, pattern, .. } | E::ILike { expr, pattern, .. } => {
            contains_aggregate(expr) || contains_aggregate(pattern)
        }
        E::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            operand.as_deref().is_some_and(contains_aggregate)
                || conditions
                    .iter()
                    .any(|c| contains_aggregate(&c.condition) || contains_aggregate(&c.result))
                || else_result.as_deref().is_some_and(contains_aggregate)
        }
        _ => false,
    }
}

fn span_of(e: &E) -> Span {
    e.span().into()
}

impl Binder {
    /// Binds `e`, reporting errors; `None` when it could not be bound.
    pub fn bind_expr(&mut self, e: &E, ctx: &mut Ctx<'_>) -> Option<Expr> {
        // Inside an aggregating SELECT, a sub-expression equal to a grouping key is
        // that key's output column.
        if let Some(agg) = ctx.agg.as_deref()
            && !matches!(e, E::Value(_) | E::Nested(_))
            && !contains_aggregate(e)
        {
            let input = agg.input.clone();
            let bound = self.quietly(|b| b.bind_expr(e, &mut Ctx::plain(&input)));
            if let Some(b) = bound {
                let agg = ctx.agg.as_deref().unwrap();
                if let Some(i) = agg.keys.iter().position(|k| *k == b) {
                    let ty = agg.keys[i].ty().clone();
                    let name = key_name(&agg.keys[i], i);
                    return Some(Expr::Column { index: i, name, ty });
                }
            }
        }
        let span = span_of(e);
        match e {
            E::Identifier(i) => self.bind_column(None, &i.value, i.span.into(), ctx),
            E::CompoundIdentifier(parts) => match parts.as_slice() {
                [q, c] => self.bind_column(Some(&q.value), &c.value, span, ctx),
                _ => {
                    self.error(
                        Diagnostic::error(format!("cannot resolve `{e}`"), span)
                            .with_help("refer to a column as `column` or `alias.column`"),
                    );
                    None
                }
            },
            E::Value(v) => self.bind_value(&v.value, span),
            E::Nested(inner) => self.bind_expr(inner, ctx),
            E::TypedString(ts) => {
                let ty = from_sql_data_type(&ts.data_type).ok()?;
                Some(lit(
                    Literal::Typed(format!("{} {}", ty.kind, ts.value)),
                    ty.with_nullable(false),
                ))
            }
            E::Interval(_) => match interval_millis(e) {
                Some(Ok(ms)) => Some(lit(
                    Literal::IntervalMillis(ms),
                    SqlType::not_null(TypeKind::IntervalDayTime),
                )),
                Some(Err(msg)) => {
                    self.error(
                        Diagnostic::error(format!("unsupported interval: {msg}"), span)
                            .with_help("write a day-time interval such as `INTERVAL '30' SECOND`"),
                    );
                    None
                }
                None => None,
            },
            E::UnaryOp { op, expr } => {
                let x = self.bind_expr(expr, ctx)?;
                match op {
                    UnaryOperator::Not => {
                        self.expect_boolean(&x, span_of(expr), "NOT")?;
                        let ty = SqlType::boolean().with_nullable(x.ty().nullable);
                        Some(call("NOT", vec![x], ty))
                    }
                    UnaryOperator::Minus | UnaryOperator::Plus => {
                        if !x.ty().is_numeric() && !x.ty().is_interval() {
                            self.error(
                                Diagnostic::error(
                                    format!(
                                        "cannot apply unary `{op}` to {}",
                                        x.ty().clone().plain()
                                    ),
                                    span,
                                )
                                .with_help("unary minus needs a numeric operand; CAST it first"),
                            );
                            return None;
                        }
                        if *op == UnaryOperator::Plus {
                            return Some(x);
                        }
                        let ty = x.ty().clone().plain();
                        Some(call("NEGATE", vec![x], ty))
                    }
                    _ => {
                        self.unsupported(span, &format!("operator `{op}`"));
                        None
                    }
                }
            }
            E::BinaryOp { left, op, right } => {
                let l = self.bind_expr(left, ctx);
                let r = self.bind_expr(right, ctx);
                let (l, r) = (l?, r?);
                let site = string_number(op, (&l, left), (&r, right), span);
                let bound = self.bind_binary(op, l, r, span_of(left), span_of(right), span)?;
                self.sites.string_numbers.extend(site);
                Some(bound)
            }
            E::IsNull(x) | E::IsNotNull(x) => {
                let x = self.bind_expr(x, ctx)?;
                let f = if matches!(e, E::IsNull(_)) {
                    "IS NULL"
                } else {
                    "IS NOT NULL"
                };
                Some(call(f, vec![x], SqlType::not_null(TypeKind::Boolean)))
            }
            E::IsTrue(x) | E::IsFalse(x) | E::IsNotTrue(x) | E::IsNotFalse(x) => {
                let b = self.bind_expr(x, ctx)?;
                self.expect_boolean(&b, span_of(x), "IS TRUE/FALSE")?;
                let f = match e {
                    E::IsTrue(_) => "IS TRUE",
                    E::IsFalse(_) => "IS FALSE",
                    E::IsNotTrue(_) => "IS NOT TRUE",
                    _ => "IS NOT FALSE",
                };
                Some(call(f, vec![b], SqlType::not_null(TypeKind::Boolean)))
            }
            E::InList {
                expr,
                list,
                negated,
            } => {
                let x = self.bind_expr(expr, ctx)?;
                let mut items = Vec::new();
                for i in list {
                    items.push((self.bind_expr(i, ctx)?, span_of(i)));
                }
                let mut common = x.ty().clone();
                for (it, sp) in &items {
                    match comparison_type(&common, it.ty()) {
                        Some(t) => common = t,
                        None => {
                            self.error(
                                Diagnostic::error(
                                    format!(
                                        "type mismatch in IN list: cannot compare {} with {}",
                                        x.ty().clone().plain(),
                                        it.ty().clone().plain()
                                    ),
                                    *sp,
                                )
                                .with_help("make every IN list value the same type as the tested expression"),
                            );
                            return None;
                        }
                    }
                }
                if per_row_string(&x) && common.family() == Family::Numeric {
                    let numbers: Option<Vec<String>> = list.iter().map(number_literal).collect();
                    self.sites.string_numbers.push(StringNumber {
                        span,
                        string_side: expr.to_string(),
                        string_ty: x.ty().clone(),
                        number_ty: common.clone(),
                        quoted: numbers.map(|ns| {
                            let quoted: Vec<String> = ns.iter().map(|n| format!("'{n}'")).collect();
                            let not = if *negated { "NOT " } else { "" };
                            format!("{expr} {not}IN ({})", quoted.join(", "))
                        }),
                        ordering: false,
                    });
                }
                let nullable = x.ty().nullable || items.iter().any(|(i, _)| i.ty().nullable);
                let mut args = vec![implicit_cast(x, &common)];
                args.extend(items.into_iter().map(|(i, _)| implicit_cast(i, &common)));
                let f = if *negated { "NOT IN" } else { "IN" };
                Some(call(f, args, SqlType::boolean().with_nullable(nullable)))
            }
            E::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let x = self.bind_expr(expr, ctx)?;
                let lo = self.bind_expr(low, ctx)?;
                let hi = self.bind_expr(high, ctx)?;
                let site = string_number(&BinaryOperator::GtEq, (&x, expr), (&lo, low), span)
                    .or_else(|| {
                        string_number(&BinaryOperator::LtEq, (&x, expr), (&hi, high), span)
                    });
                self.sites.string_numbers.extend(site);
                let ge = self.bind_binary(
                    &BinaryOperator::GtEq,
                    x.clone(),
                    lo,
                    span_of(expr),
                    span_of(low),
                    span,
                )?;
                let le = self.bind_binary(
                    &BinaryOperator::LtEq,
                    x,
                    hi,
                    span_of(expr),
                    span_of(high),
                    span,
                )?;
                let both = self.bind_binary(&BinaryOperator::And, ge, le, span, span, span)?;
                if *negated {
                    let ty = both.ty().clone();
                    Some(call("NOT", vec![both], ty))
                } else {
                    Some(both)
                }
            }
            E::Like {
                negated,
                expr,
                pattern,
                escape_char,
                any,
            } => {
                if *any {
                    self.unsupported(span, "LIKE ANY");
                    return None;
                }
                let x = self.bind_expr(expr, ctx)?;
                let p = self.bind_expr(pattern, ctx)?;
                self.expect_string(&x, span_of(expr), "LIKE")?;
                self.expect_string(&p, span_of(pattern), "LIKE")?;
                let mut args = vec![x, p];
                if let Some(esc) = escape_char {
                    let esc_b = self.bind_expr(esc, ctx)?;
                    match &esc_b {
                        Expr::Literal {
                            value: Literal::String(s),
                            ..
                        } if s.chars().count() == 1 => {}
                        _ => {
                            self.error(
                                Diagnostic::error(
                                    "the ESCAPE of LIKE must be a one-character string literal",
                                    span_of(esc),
                                )
                                .with_help("write `ESCAPE '\\'`"),
                            );
                            return None;
                        }
                    }
                    args.push(esc_b);
                }
                let nullable = args.iter().any(|a| a.ty().nullable);
                let f = if *negated { "NOT LIKE" } else { "LIKE" };
                Some(call(f, args, SqlType::boolean().with_nullable(nullable)))
            }
            E::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let op = match operand {
                    Some(o) => Some((self.bind_expr(o, ctx)?, span_of(o))),
                    None => None,
                };
                let mut whens = Vec::new();
                let mut results = Vec::new();
                for cw in conditions {
                    let c = self.bind_expr(&cw.condition, ctx)?;
                    let c = match &op {
                        Some((o, osp)) => self.bind_binary(
                            &BinaryOperator::Eq,
                            o.clone(),
                            c,
                            *osp,
                            span_of(&cw.condition),
                            span_of(&cw.condition),
                        )?,
                        None => {
                            self.expect_boolean(&c, span_of(&cw.condition), "CASE WHEN")?;
                            c
                        }
                    };
                    let r = self.bind_expr(&cw.result, ctx)?;
                    results.push((r.clone(), span_of(&cw.result)));
                    whens.push((c, r));
                }
                let otherwise = match else_result {
                    Some(e2) => {
                        let b = self.bind_expr(e2, ctx)?;
                        results.push((b.clone(), span_of(e2)));
                        Some(b)
                    }
                    None => None,
                };
                let ty = self.common_type(&results, "CASE branches")?;
                let ty = if otherwise.is_none() {
                    ty.with_nullable(true)
                } else {
                    ty
                };
                let whens = whens
                    .into_iter()
                    .map(|(c, r)| (c, implicit_cast(r, &ty)))
                    .collect();
                Some(Expr::Case {
                    whens,
                    otherwise: otherwise.map(|o| Box::new(implicit_cast(o, &ty))),
                    ty,
                })
            }
            E::Cast {
                kind,
                expr,
                data_type,
                ..
            } => {
                let x = self.bind_expr(expr, ctx)?;
                let target = match from_sql_data_type(data_type) {
                    Ok(t) => t,
                    Err(name) => {
                        // An unknown type parses as a custom name, which has a span.
                        let ty_span = match data_type {
                            sqlparser::ast::DataType::Custom(n, _) => Span::from(n.span()),
                            _ => Span::NONE,
                        };
                        let d = Diagnostic::error(
                            format!("unknown data type `{name}`"),
                            ty_span.or(span),
                        );
                        let d = with_suggestion(d, &name, TYPE_NAMES.iter().copied(), "type");
                        self.error(d);
                        return None;
                    }
                };
                let safe = matches!(kind, CastKind::TryCast | CastKind::SafeCast);
                self.bind_cast(x, target, safe, span)
            }
            E::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.bind_expr(expr, ctx)?];
                if let Some(f) = substring_from {
                    args.push(self.bind_expr(f, ctx)?);
                }
                if let Some(f) = substring_for {
                    args.push(self.bind_expr(f, ctx)?);
                }
                self.type_scalar("SUBSTRING", args, &[span_of(expr)], span)
            }
            E::Trim {
                expr, trim_what, ..
            } => {
                let mut args = vec![self.bind_expr(expr, ctx)?];
                if let Some(w) = trim_what {
                    args.push(self.bind_expr(w, ctx)?);
                }
                self.type_scalar("TRIM", args, &[span_of(expr)], span)
            }
            E::Ceil { expr, .. } | E::Floor { expr, .. } => {
                let x = self.bind_expr(expr, ctx)?;
                let name = if matches!(e, E::Ceil { .. }) {
                    "CEIL"
                } else {
                    "FLOOR"
                };
                self.type_scalar(name, vec![x], &[span_of(expr)], span)
            }
            E::Position { expr, r#in } => {
                let a = self.bind_expr(expr, ctx)?;
                let b = self.bind_expr(r#in, ctx)?;
                self.type_scalar(
                    "POSITION",
                    vec![a, b],
                    &[span_of(expr), span_of(r#in)],
                    span,
                )
            }
            E::Function(f) => self.bind_function(f, ctx, span),
            other => {
                self.unsupported(span, &format!("expression `{other}`"));
                None
            }
        }
    }

    fn unsupported(&mut self, span: Span, what: &str) {
        self.error(
            Diagnostic::error(format!("{what} is not supported"), span)
                .with_help("rewrite it with the supported Flink SQL functions and operators"),
        );
    }

    fn bind_value(&mut self, v: &Value, span: Span) -> Option<Expr> {
        match v {
            Value::Number(n, _) => {
                if n.contains(['e', 'E']) {
                    Some(lit(
                        Literal::Number(n.clone()),
                        SqlType::not_null(TypeKind::Double),
                    ))
                } else if let Some((int, frac)) = n.split_once('.') {
                    let p = (int.trim_start_matches('-').len() + frac.len()).max(1) as u8;
                    Some(lit(
                        Literal::Number(n.clone()),
                        SqlType::not_null(TypeKind::Decimal(p, frac.len() as u8)),
                    ))
                } else {
                    match n.parse::<i64>() {
                        Ok(x) if i32::try_from(x).is_ok() => Some(lit(
                            Literal::Number(n.clone()),
                            SqlType::not_null(TypeKind::Int),
                        )),
                        Ok(_) => Some(lit(
                            Literal::Number(n.clone()),
                            SqlType::not_null(TypeKind::BigInt),
                        )),
                        Err(_) => Some(lit(
                            Literal::Number(n.clone()),
                            SqlType::not_null(TypeKind::Decimal(38, 0)),
                        )),
                    }
                }
            }
            Value::SingleQuotedString(s) => Some(lit(
                Literal::String(s.clone()),
                SqlType::not_null(TypeKind::Char(s.chars().count() as u32)),
            )),
            Value::Boolean(b) => Some(lit(
                Literal::Boolean(*b),
                SqlType::not_null(TypeKind::Boolean),
            )),
            Value::Null => Some(lit(Literal::Null, SqlType::new(TypeKind::Null))),
            Value::DoubleQuotedString(s) => {
                self.error(
                    Diagnostic::error(
                        format!("\"{s}\" is not a string literal in Flink SQL"),
                        span,
                    )
                    .with_help(format!("write string literals in single quotes: '{s}'")),
                );
                None
            }
            other => {
                self.unsupported(span, &format!("literal `{other}`"));
                None
            }
        }
    }

    fn bind_column(
        &mut self,
        qualifier: Option<&str>,
        name: &str,
        span: Span,
        ctx: &mut Ctx<'_>,
    ) -> Option<Expr> {
        // In an aggregating SELECT, names resolve against the aggregate's input.
        let agg_input = ctx.agg.as_deref().map(|a| a.input.clone());
        let scope = agg_input.as_ref().unwrap_or(ctx.scope);
        if let Some(q) = qualifier
            && !scope.cols.iter().any(|c| c.qualifier.as_deref() == Some(q))
        {
            let quals = scope.qualifiers();
            let d = Diagnostic::error(format!("unknown table or alias `{q}`"), span);
            self.error(with_suggestion(
                d,
                q,
                quals.iter().map(|s| s.as_str()),
                "alias",
            ));
            return None;
        }
        let matches: Vec<&ScopeCol> = scope
            .cols
            .iter()
            .filter(|c| {
                c.name == name && (qualifier.is_none() || c.qualifier.as_deref() == qualifier)
            })
            .collect();
        match matches.as_slice() {
            [] => {
                let what = match qualifier {
                    Some(q) => format!("unknown column `{name}` in `{q}`"),
                    None => format!("unknown column `{name}`"),
                };
                let cands: Vec<&str> = scope
                    .cols
                    .iter()
                    .filter(|c| qualifier.is_none() || c.qualifier.as_deref() == qualifier)
                    .map(|c| c.name.as_str())
                    .collect();
                let mut d = with_suggestion(
                    Diagnostic::error(what, span),
                    name,
                    cands.into_iter(),
                    "column",
                );
                if name.contains(' ') {
                    d = d.with_note("the name contains a space; an underscore may be missing");
                }
                if scope.cols.iter().any(|c| c.name.starts_with("EXPR$")) {
                    d = d.with_note(
                        "a select item without an alias is named EXPR$<n>: name it with `AS`",
                    );
                }
                self.error(d);
                None
            }
            [c] => {
                if ctx.agg.is_some() {
                    // Not a grouping key (those matched above), not inside an aggregate.
                    let full = match qualifier {
                        Some(q) => format!("{q}.{name}"),
                        None => name.to_string(),
                    };
                    self.error(
                        Diagnostic::error(
                            format!("column `{full}` is neither grouped nor aggregated"),
                            span,
                        )
                        .with_note("every column in the SELECT list and HAVING of a GROUP BY query must be a grouping key or inside an aggregate function")
                        .with_help(format!(
                            "add `{full}` to the GROUP BY list, or aggregate it, e.g. `LAST_VALUE({full})`"
                        )),
                    );
                    return None;
                }
                Some(Expr::Column {
                    index: c.index,
                    name: c.name.clone(),
                    ty: c.ty.clone(),
                })
            }
            many => {
                let quals: Vec<String> = many.iter().filter_map(|c| c.qualifier.clone()).collect();
                self.error(
                    Diagnostic::error(format!("column `{name}` is ambiguous"), span)
                        .with_note(format!("it is a column of: {}", quals.join(", ")))
                        .with_help(format!(
                            "qualify it, e.g. `{}.{name}`",
                            quals.first().cloned().unwrap_or_default()
                        )),
                );
                None
            }
        }
    }

    pub fn expect_boolean(&mut self, e: &Expr, span: Span, ctxt: &str) -> Option<()> {
        if matches!(e.ty().kind, TypeKind::Boolean | TypeKind::Null) {
            return Some(());
        }
        self.error(
            Diagnostic::error(
                format!(
                    "{ctxt} needs a BOOLEAN condition, found {}",
                    e.ty().clone().plain()
                ),
                span,
            )
            .with_help("compare the value, e.g. `x = 'value'` or `x IS NOT NULL`"),
        );
        None
    }

    fn expect_string(&mut self, e: &Expr, span: Span, f: &str) -> Option<()> {
        if e.ty().is_string() || e.ty().is_null() {
            return Some(());
        }
        self.error(
            Diagnostic::error(
                format!(
                    "type mismatch: {f} expects a string, found {}",
                    e.ty().clone().plain()
                ),
                span,
            )
            .with_help("convert it with `CAST(... AS STRING)`"),
        );
        None
    }

    pub(super) fn common_type(&mut self, items: &[(Expr, Span)], what: &str) -> Option<SqlType> {
        let mut ty = SqlType::new(TypeKind::Null);
        for (e, sp) in items {
            match SqlType::common(&ty, e.ty()) {
                Some(t) => ty = t,
                None => {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "type mismatch in {what}: {} and {} have no common type",
                                ty.clone().plain(),
                                e.ty().clone().plain()
                            ),
                            *sp,
                        )
                        .with_help("CAST the values to one type"),
                    );
                    return None;
                }
            }
        }
        Some(ty)
    }

    fn bind_binary(
        &mut self,
        op: &BinaryOperator,
        l: Expr,
        r: Expr,
        lspan: Span,
        rspan: Span,
        span: Span,
    ) -> Option<Expr> {
        use BinaryOperator as B;
        let nullable = l.ty().nullable || r.ty().nullable;
        match op {
            B::And | B::Or => {
                let name = if *op == B::And { "AND" } else { "OR" };
                self.expect_boolean(&l, lspan, name)?;
                self.expect_boolean(&r, rspan, name)?;
                Some(call(
                    name,
                    vec![l, r],
                    SqlType::boolean().with_nullable(nullable),
                ))
            }
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq => {
                let name = match op {
                    B::Eq => "=",
                    B::NotEq => "<>",
                    B::Lt => "<",
                    B::LtEq => "<=",
                    B::Gt => ">",
                    _ => ">=",
                };
                let Some(common) = comparison_type(l.ty(), r.ty()) else {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "type mismatch: cannot compare {} {name} {}",
                                l.ty().clone().plain(),
                                r.ty().clone().plain()
                            ),
                            span,
                        )
                        .with_help("CAST one side to the other's type"),
                    );
                    return None;
                };
                Some(call(
                    name,
                    vec![implicit_cast(l, &common), implicit_cast(r, &common)],
                    SqlType::boolean().with_nullable(nullable),
                ))
            }
            B::StringConcat => {
                self.expect_string(&l, lspan, "`||`")?;
                self.expect_string(&r, rspan, "`||`")?;
                Some(call(
                    "||",
                    vec![l, r],
                    SqlType::string().with_nullable(nullable),
                ))
            }
            B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo => {
                let name = match op {
                    B::Plus => "+",
                    B::Minus => "-",
                    B::Multiply => "*",
                    B::Divide => "/",
                    _ => "%",
                };
                let (lt, rt) = (l.ty().clone(), r.ty().clone());
                // Datetime arithmetic with intervals.
                if lt.is_datetime() && rt.is_interval() && matches!(name, "+" | "-") {
                    let ty = lt.plain().with_nullable(nullable);
                    return Some(call(name, vec![l, r], ty));
                }
                if lt.is_interval() && rt.is_datetime() && name == "+" {
                    let ty = rt.plain().with_nullable(nullable);
                    return Some(call(name, vec![l, r], ty));
                }
                let numeric = |t: &SqlType| t.is_numeric() || t.is_null();
                if !numeric(&lt) || !numeric(&rt) {
                    let (bad, bad_span) = if numeric(&lt) {
                        (&rt, rspan)
                    } else {
                        (&lt, lspan)
                    };
                    self.error(
                        Diagnostic::error(
                            format!(
                                "type mismatch: cannot apply `{name}` to {} and {}",
                                lt.clone().plain(),
                                rt.clone().plain()
                            ),
                            bad_span.or(span),
                        )
                        .with_help(if bad.is_string() {
                            "convert the string first: `CAST(... AS BIGINT)` (or DOUBLE)"
                                .to_string()
                        } else {
                            "arithmetic needs numeric operands".to_string()
                        }),
                    );
                    return None;
                }
                let common = SqlType::common(&lt, &rt)?;
                Some(call(
                    name,
                    vec![implicit_cast(l, &common), implicit_cast(r, &common)],
                    common
                        .plain()
                        .with_nullable(nullable || name == "/" || name == "%"),
                ))
            }
            other => {
                self.unsupported(span, &format!("operator `{other}`"));
                None
            }
        }
    }

    pub fn bind_cast(&mut self, x: Expr, target: SqlType, safe: bool, span: Span) -> Option<Expr> {
        let from = x.ty().clone();
        if !can_cast(&from, &target, self.dialect) {
            self.error(
                Diagnostic::error(
                    format!("cannot CAST {} to {}", from.clone().plain(), target),
                    span,
                )
                .with_help(match (&from.kind, &target.kind) {
                    (k, TypeKind::Timestamp(_) | TypeKind::TimestampLtz(_)) if from.is_integer() => {
                        let _ = k;
                        "convert epoch values with `TO_TIMESTAMP_LTZ(x, 3)` (milliseconds) or `TO_TIMESTAMP_LTZ(x, 0)` (seconds)".to_string()
                    }
                    _ => "Flink has no such conversion; go through STRING or use a function".to_string(),
                }),
            );
            return None;
        }
        let nullable = from.nullable || safe || from.is_null();
        let ty = target.with_nullable(nullable);
        Some(Expr::Cast {
            expr: Box::new(x),
            ty,
            safe,
            implicit: false,
        })
    }

    fn bind_function(&mut self, f: &Function, ctx: &mut Ctx<'_>, span: Span) -> Option<Expr> {
        let name = f.name.to_string().to_ascii_uppercase();
        if f.over.is_some() {
            self.error(
                Diagnostic::error(format!("`{name}() OVER (...)` is only supported as a Top-N"), span)
                    .with_help("select `ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) AS rn` in a subquery and filter `WHERE rn <= N` outside it"),
            );
            return None;
        }
        if name == TABLE_ARG || name == "DESCRIPTOR" {
            self.error(
                Diagnostic::error(
                    format!(
                        "`{}` is only valid as a window TVF argument",
                        if name == TABLE_ARG {
                            "TABLE t"
                        } else {
                            "DESCRIPTOR"
                        }
                    ),
                    span,
                )
                .with_help(
                    "write `FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))`",
                ),
            );
            return None;
        }
        if matches!(name.as_str(), "TUMBLE" | "HOP" | "SESSION" | "CUMULATE") {
            self.error(
                Diagnostic::error(
                    format!("group window `{name}(...)` is only valid in GROUP BY"),
                    span,
                )
                .with_help(format!(
                    "group by it and select `{name}_START(...)`/`{name}_END(...)`"
                )),
            );
            return None;
        }
        if name == "WITHOFFSET" {
            self.error(
                Diagnostic::error("WITHOFFSET is only valid in a WATERMARK definition", span)
                    .with_help(
                        "write `WATERMARK wk FOR ts AS WITHOFFSET(ts, 5000)` in the CREATE TABLE",
                    ),
            );
            return None;
        }
        if is_aggregate_name(&name) {
            return self.bind_aggregate(&name, f, ctx, span);
        }
        if WINDOW_PROPS.contains(&name.as_str()) {
            return self.bind_window_prop(&name, f, ctx, span);
        }
        if matches!(name.as_str(), "ROW_NUMBER" | "RANK" | "DENSE_RANK") {
            self.error(
                Diagnostic::error(format!("{name}() needs an OVER clause"), span).with_help(
                    format!("write `{name}() OVER (PARTITION BY ... ORDER BY ...)`"),
                ),
            );
            return None;
        }
        if let FunctionArguments::List(l) = &f.args
            && l.duplicate_treatment.is_some()
        {
            self.error(
                Diagnostic::error(
                    format!("DISTINCT is only valid in aggregate functions, not in {name}"),
                    span,
                )
                .with_help("remove DISTINCT"),
            );
            return None;
        }
        let raw = plain_args(f);
        let mut args = Vec::with_capacity(raw.len());
        let mut spans = Vec::with_capacity(raw.len());
        let mut ok = true;
        for a in &raw {
            spans.push(span_of(a));
            match self.bind_expr(a, ctx) {
                Some(b) => args.push(b),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // JSON_VALUE(... RETURNING <type>)
        if name == "JSON_VALUE"
            && let FunctionArguments::List(l) = &f.args
        {
            for c in &l.clauses {
                if let FunctionArgumentClause::JsonReturningClause(r) = c {
                    let t = match from_sql_data_type(&r.data_type) {
                        Ok(t) => t,
                        Err(n) => {
                            self.error(
                                Diagnostic::error(format!("unknown data type `{n}`"), span)
                                    .with_help(
                                        "RETURNING takes STRING, BOOLEAN, INT, BIGINT, DOUBLE, ...",
                                    ),
                            );
                            return None;
                        }
                    };
                    let base = self.type_scalar(&name, args, &spans, span)?;
                    return Some(Expr::Cast {
                        expr: Box::new(base),
                        ty: t.with_nullable(true),
                        safe: true,
                        implicit: false,
                    });
                }
            }
        }
        // Date-pattern literals, for the lints (recorded once the call typed).
        let patterns: Vec<TimePattern> = if PATTERN_FUNCTIONS.contains(&name.as_str()) {
            args.iter()
                .zip(&spans)
                .skip(1)
                .filter_map(|(a, s)| match a {
                    Expr::Literal {
                        value: Literal::String(p),
                        ..
                    } => Some(TimePattern {
                        function: name.clone(),
                        pattern: p.clone(),
                        span: *s,
                    }),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let bound = self.type_scalar(&name, args, &spans, span)?;
        self.sites.time_patterns.extend(patterns);
        Some(bound)
    }

    fn bind_aggregate(
        &mut self,
        name: &str,
        f: &Function,
        ctx: &mut Ctx<'_>,
        span: Span,
    ) -> Option<Expr> {
        let Some(agg) = ctx.agg.as_deref() else {
            self.error(
                Diagnostic::error(
                    format!("aggregate function {name} is not allowed here"),
                    span,
                )
                .with_help(
                    "aggregates belong in the SELECT list or HAVING of a query with GROUP BY",
                ),
            );
            return None;
        };
        let input = agg.input.clone();
        let mut ictx = Ctx::plain(&input);
        let (distinct, star) = match &f.args {
            FunctionArguments::List(l) => (
                matches!(
                    l.duplicate_treatment,
                    Some(sqlparser::ast::DuplicateTreatment::Distinct)
                ),
                l.args
                    .iter()
                    .any(|a| matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Wildcard))),
            ),
            _ => (false, false),
        };
        let raw = plain_args(f);
        for a in &raw {
            if contains_aggregate(a) {
                self.error(
                    Diagnostic::error("aggregate calls cannot be nested", span_of(a))
                        .with_help("aggregate in a view first, then aggregate its result"),
                );
                return None;
            }
        }
        let mut args = Vec::new();
        for a in &raw {
            args.push(self.bind_expr(a, &mut ictx)?);
        }
        let func = match name {
            "COUNT" => AggFunc::Count,
            "SUM" => AggFunc::Sum,
            "AVG" => AggFunc::Avg,
            "MIN" => AggFunc::Min,
            "MAX" => AggFunc::Max,
            "FIRST_VALUE" => AggFunc::FirstValue,
            "LAST_VALUE" => AggFunc::LastValue,
            _ => AggFunc::ListAgg,
        };
        let want = match func {
            AggFunc::Count => {
                if star {
                    0..=0
                } else {
                    1..=1
                }
            }
            AggFunc::ListAgg => 1..=2,
            _ => 1..=1,
        };
        if !want.contains(&args.len()) || (star && func != AggFunc::Count) {
            self.error(
                Diagnostic::error(
                    format!(
                        "{name} takes {} argument(s), found {}",
                        want.end(),
                        args.len()
                    ),
                    span,
                )
                .with_help(format!("write `{name}(column)`")),
            );
            return None;
        }
        let ty = match func {
            AggFunc::Count => SqlType::not_null(TypeKind::BigInt),
            AggFunc::Sum | AggFunc::Avg => {
                let t = args[0].ty();
                if !t.is_numeric() {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "type mismatch: {name} needs a numeric argument, found {}",
                                t.clone().plain()
                            ),
                            raw.first().map(|a| span_of(a)).unwrap_or(span),
                        )
                        .with_help("convert it first: `CAST(... AS BIGINT)` (or DOUBLE)"),
                    );
                    return None;
                }
                // Flink keeps the argument type (`AVG` of an INT is an INT).
                t.clone().plain().with_nullable(true)
            }
            AggFunc::Min | AggFunc::Max | AggFunc::FirstValue | AggFunc::LastValue => {
                args[0].ty().clone().plain().with_nullable(true)
            }
            AggFunc::ListAgg => SqlType::string(),
        };
        let filter = match &f.filter {
            Some(c) => {
                let b = self.bind_expr(c, &mut ictx)?;
                self.expect_boolean(&b, span_of(c), "FILTER (WHERE ...)")?;
                Some(b)
            }
            None => None,
        };
        let call = AggCall {
            func,
            args,
            distinct,
            filter,
            ty: ty.clone(),
        };
        let agg = ctx.agg.as_deref_mut().unwrap();
        let j = match agg.aggs.iter().position(|a| *a == call) {
            Some(j) => j,
            None => {
                agg.aggs.push(call);
                agg.aggs.len() - 1
            }
        };
        Some(Expr::Column {
            index: agg.agg_offset() + j,
            name: format!("$agg{j}"),
            ty,
        })
    }

    fn bind_window_prop(
        &mut self,
        name: &str,
        f: &Function,
        ctx: &mut Ctx<'_>,
        span: Span,
    ) -> Option<Expr> {
        let (family, prop) = name.split_once('_').unwrap_or((name, ""));
        let window = ctx.agg.as_deref().and_then(|a| a.window.clone());
        let Some(w) = window else {
            self.error(
                Diagnostic::error(
                    format!("{name} needs a `GROUP BY {family}(...)` window"),
                    span,
                )
                .with_help(format!(
                    "add `{family}(time_column, INTERVAL ...)` to the GROUP BY list"
                )),
            );
            return None;
        };
        // Same time column and same sizes as the GROUP BY window (however qualified).
        let raw = plain_args(f);
        let input = ctx.agg.as_deref().unwrap().input.clone();
        let time = self.quietly(|b| {
            raw.first()
                .and_then(|a| b.bind_expr(a, &mut Ctx::plain(&input)))
        });
        let sizes: Vec<Option<i64>> = raw
            .iter()
            .skip(1)
            .map(|a| interval_millis(a).and_then(|r| r.ok()))
            .collect();
        let want_sizes: Vec<Option<i64>> = match w.window.kind {
            crate::plan::WindowKind::Tumble { size } => vec![Some(size)],
            crate::plan::WindowKind::Hop { slide, size } => vec![Some(slide), Some(size)],
            crate::plan::WindowKind::Session { gap } => vec![Some(gap)],
            crate::plan::WindowKind::Cumulate { step, size } => vec![Some(step), Some(size)],
        };
        let same_time =
            matches!(&time, Some(Expr::Column { index, .. }) if *index == w.window.time_col);
        if w.func != family || !same_time || sizes != want_sizes {
            let args: Vec<String> = raw.iter().map(|a| a.to_string()).collect();
            self.error(
                Diagnostic::error(
                    format!(
                        "{name}({}) does not match the query's group window {}({})",
                        args.join(", "),
                        w.func,
                        w.args_text.join(", ")
                    ),
                    span,
                )
                .with_help(format!(
                    "write `{}_{prop}({})`",
                    w.func,
                    w.args_text.join(", ")
                )),
            );
            return None;
        }
        let k = ctx.agg.as_deref().unwrap().keys.len();
        let (offset, ty, name) = match prop {
            "START" => (0, SqlType::not_null(TypeKind::Timestamp(3)), "window_start"),
            "END" => (1, SqlType::not_null(TypeKind::Timestamp(3)), "window_end"),
            "ROWTIME" => {
                let mut t = SqlType::not_null(TypeKind::Timestamp(3));
                if w.time_ty.kind == TypeKind::TimestampLtz(3) {
                    t.kind = TypeKind::TimestampLtz(3);
                }
                t.time_attr = Some(TimeAttr::Rowtime);
                (2, t, "window_time")
            }
            _ => {
                let mut t = SqlType::not_null(TypeKind::TimestampLtz(3));
                t.time_attr = Some(TimeAttr::Proctime);
                (2, t, "window_time")
            }
        };
        Some(Expr::Column {
            index: k + offset,
            name: name.to_string(),
            ty,
        })
    }
}

/// The name a grouping key gets in the aggregate's output.
pub fn key_name(k: &Expr, i: usize) -> String {
    match k {
        Expr::Column { name, .. } => name.clone(),
        _ => format!("$key{i}"),
    }
}

/// Functions whose arguments after the first, when string literals, are date patterns
/// (Java's `SimpleDateFormat`): `DATE_FORMAT(ts, fmt)`, Blink's `DATE_FORMAT(s, from,
/// to)`, `TO_TIMESTAMP(s, fmt)`, `FROM_UNIXTIME(n, fmt)`, ...
const PATTERN_FUNCTIONS: &[&str] = &[
    "DATE_FORMAT",
    "TO_TIMESTAMP",
    "TO_TIMESTAMP_LTZ",
    "TO_DATE",
    "FROM_UNIXTIME",
    "UNIX_TIMESTAMP",
];

/// A string computed per row (not a literal, which is cast once).
fn per_row_string(e: &Expr) -> bool {
    e.ty().family() == Family::Character && !matches!(e, Expr::Literal { .. })
}

/// A number literal as written (`3`, `-1.5`), through parentheses.
fn number_literal(e: &E) -> Option<String> {
    match e {
        E::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.clone()),
            _ => None,
        },
        E::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => number_literal(expr).map(|n| format!("-{n}")),
        E::Nested(x) => number_literal(x),
        _ => None,
    }
}

/// A comparison `l op r` of a per-row string with a number (which casts the string of
/// every row), for the `string_number_comparison` lint.
fn string_number(
    op: &BinaryOperator,
    (l, left): (&Expr, &E),
    (r, right): (&Expr, &E),
    span: Span,
) -> Option<StringNumber> {
    use BinaryOperator as B;
    let ordering = match op {
        B::Eq | B::NotEq => false,
        B::Lt | B::LtEq | B::Gt | B::GtEq => true,
        _ => return None,
    };
    let numeric = |e: &Expr| e.ty().family() == Family::Numeric;
    let (s, s_ast, n_ast, string_left) = if per_row_string(l) && numeric(r) {
        (l, left, right, true)
    } else if per_row_string(r) && numeric(l) {
        (r, right, left, false)
    } else {
        return None;
    };
    let number_ty = comparison_type(l.ty(), r.ty())?;
    let quoted = number_literal(n_ast).map(|n| {
        if string_left {
            format!("{left} {op} '{n}'")
        } else {
            format!("'{n}' {op} {right}")
        }
    });
    Some(StringNumber {
        span,
        string_side: s_ast.to_string(),
        string_ty: s.ty().clone(),
        number_ty,
        quoted,
        ordering,
    })
}

/// The type both sides of a comparison are cast to; strings compare with numbers and
/// date-times by casting the string (Calcite's implicit coercion).
fn comparison_type(a: &SqlType, b: &SqlType) -> Option<SqlType> {
    if let Some(t) = SqlType::common(a, b) {
        return Some(t);
    }
    match (a.family(), b.family()) {
        (Family::Character, Family::Numeric | Family::Datetime | Family::Boolean) => {
            Some(b.clone().plain().with_nullable(a.nullable || b.nullable))
        }
        (Family::Numeric | Family::Datetime | Family::Boolean, Family::Character) => {
            Some(a.clone().plain().with_nullable(a.nullable || b.nullable))
        }
        _ => None,
    }
}

/// Flink's explicit-cast table (`LogicalTypeCasts`), with Blink's epoch conversions.
pub fn can_cast(from: &SqlType, to: &SqlType, dialect: DialectKind) -> bool {
    use Family as F;
    if from.is_null() {
        return true;
    }
    match (from.family(), to.family()) {
        (a, b) if a == b && a != F::Constructed => true,
        (F::Constructed, F::Constructed) => from.kind == to.kind,
        (F::Constructed, F::Character) => true,
        (F::Character, F::Numeric | F::Boolean | F::Datetime | F::Binary) => true,
        (F::Numeric | F::Boolean | F::Datetime | F::Binary | F::Interval, F::Character) => true,
        (F::Numeric, F::Boolean) | (F::Boolean, F::Numeric) => true,
        (F::Numeric, F::Datetime) => {
            dialect == DialectKind::Blink && from.is_integer() && to.is_timestamp()
        }
        (F::Datetime, F::Numeric) => {
            dialect == DialectKind::Blink && from.is_timestamp() && to.is_integer()
        }
        _ => false,
    }
}
