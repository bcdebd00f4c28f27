//! Scalar function typing: a call with bound arguments -> its result type.
//!
//! In: the function's upper-case name and its typed arguments. Out: the typed call, or
//! an error naming the argument that does not fit and how to convert it. Signatures
//! follow Flink's built-in function reference; where Blink differs (`NOW()` is epoch
//! seconds, `TO_TIMESTAMP(bigint)` reads epoch millis, `CURRENT_TIMESTAMP` is a
//! `TIMESTAMP`), the job's dialect decides.

use super::Binder;
use super::expr::{AGGREGATES, WINDOW_PROPS, call, implicit_cast, with_suggestion};
use crate::ast::DialectKind;
use crate::diagnostic::{Diagnostic, Span};
use crate::plan::{Expr, Literal};
use crate::types::{SqlType, TimeAttr, TypeKind};

/// Scalar functions the binder knows (for "did you mean").
const SCALARS: &[&str] = &[
    "JSON_VALUE",
    "JSON_QUERY",
    "CONCAT",
    "CONCAT_WS",
    "SUBSTRING",
    "SUBSTR",
    "UPPER",
    "LOWER",
    "TRIM",
    "LTRIM",
    "RTRIM",
    "MD5",
    "SHA1",
    "SHA256",
    "REPLACE",
    "REGEXP_REPLACE",
    "REGEXP_EXTRACT",
    "SPLIT_INDEX",
    "CHAR_LENGTH",
    "CHARACTER_LENGTH",
    "LPAD",
    "RPAD",
    "INITCAP",
    "REVERSE",
    "POSITION",
    "LOCATE",
    "INSTR",
    "DATE_FORMAT",
    "TO_TIMESTAMP",
    "TO_TIMESTAMP_LTZ",
    "TO_DATE",
    "FROM_UNIXTIME",
    "UNIX_TIMESTAMP",
    "NOW",
    "CURRENT_TIMESTAMP",
    "LOCALTIMESTAMP",
    "CURRENT_DATE",
    "PROCTIME",
    "IF",
    "COALESCE",
    "IFNULL",
    "NVL",
    "NULLIF",
    "ABS",
    "MOD",
    "ROUND",
    "FLOOR",
    "CEIL",
    "CEILING",
    "POWER",
    "SQRT",
    "LN",
    "LOG10",
    "EXP",
    "HASH_CODE",
];

impl Binder {
    /// Types a scalar function call whose arguments are bound.
    pub fn type_scalar(
        &mut self,
        name: &str,
        args: Vec<Expr>,
        spans: &[Span],
        span: Span,
    ) -> Option<Expr> {
        let n = args.len();
        let arg_span = |i: usize| spans.get(i).copied().unwrap_or(span);
        let any_nullable = args.iter().any(|a| a.ty().nullable);
        let arity = |b: &mut Self, lo: usize, hi: usize| -> Option<()> {
            if (lo..=hi).contains(&n) {
                return Some(());
            }
            let want = if lo == hi {
                format!("{lo}")
            } else if hi == usize::MAX {
                format!("at least {lo}")
            } else {
                format!("{lo} to {hi}")
            };
            b.error(
                Diagnostic::error(format!("{name} takes {want} argument(s), found {n}"), span)
                    .with_help(format!(
                        "see the signature of {name} in Flink's built-in functions"
                    )),
            );
            None
        };
        let expect = |b: &mut Self, i: usize, ok: fn(&SqlType) -> bool, what: &str, help: &str| {
            let t = args[i].ty();
            if ok(t) || t.is_null() {
                return Some(());
            }
            b.error(
                Diagnostic::error(
                    format!(
                        "type mismatch: argument {} of {name} must be {what}, found {}",
                        i + 1,
                        t.clone().plain()
                    ),
                    arg_span(i),
                )
                .with_help(help),
            );
            None
        };
        let string = |b: &mut Self, i: usize| {
            expect(
                b,
                i,
                SqlType::is_string,
                "a string",
                "convert it with `CAST(... AS STRING)`",
            )
        };
        let numeric = |b: &mut Self, i: usize| {
            expect(
                b,
                i,
                SqlType::is_numeric,
                "numeric",
                "convert it with `CAST(... AS BIGINT)` (or INT, DOUBLE)",
            )
        };
        let blink = self.dialect == DialectKind::Blink;
        let s = SqlType::string().with_nullable(any_nullable);
        let ty = match name {
            "JSON_VALUE" | "JSON_QUERY" => {
                arity(self, 2, 2)?;
                let t = args[0].ty();
                if !(t.is_string() || t.is_binary() || t.is_null()) {
                    string(self, 0)?;
                }
                string(self, 1)?;
                if let Expr::Literal {
                    value: Literal::String(p),
                    ..
                } = &args[1]
                    && !p.starts_with('$')
                {
                    self.error(
                        Diagnostic::error(format!("invalid JSON path '{p}'"), arg_span(1))
                            .with_help(format!("JSON paths start at the root `$`: '$.{p}'")),
                    );
                    return None;
                }
                SqlType::string()
            }
            "CONCAT" => {
                arity(self, 1, usize::MAX)?;
                for i in 0..n {
                    string(self, i)?;
                }
                s
            }
            "CONCAT_WS" => {
                arity(self, 2, usize::MAX)?;
                for i in 0..n {
                    string(self, i)?;
                }
                SqlType::string().with_nullable(args[0].ty().nullable)
            }
            "SUBSTRING" | "SUBSTR" => {
                arity(self, 2, 3)?;
                string(self, 0)?;
                for i in 1..n {
                    numeric(self, i)?;
                }
                s
            }
            "UPPER" | "LOWER" | "TRIM" | "LTRIM" | "RTRIM" | "INITCAP" | "REVERSE" => {
                arity(self, 1, 2)?;
                for i in 0..n {
                    string(self, i)?;
                }
                s
            }
            "MD5" | "SHA1" | "SHA256" => {
                arity(self, 1, 1)?;
                string(self, 0)?;
                s
            }
            "REPLACE" | "REGEXP_REPLACE" => {
                arity(self, 3, 3)?;
                for i in 0..3 {
                    string(self, i)?;
                }
                s
            }
            "REGEXP_EXTRACT" => {
                arity(self, 2, 3)?;
                string(self, 0)?;
                string(self, 1)?;
                if n == 3 {
                    numeric(self, 2)?;
                }
                SqlType::string()
            }
            "SPLIT_INDEX" => {
                arity(self, 3, 3)?;
                string(self, 0)?;
                string(self, 1)?;
                numeric(self, 2)?;
                SqlType::string()
            }
            "LPAD" | "RPAD" => {
                arity(self, 3, 3)?;
                string(self, 0)?;
                numeric(self, 1)?;
                string(self, 2)?;
                s
            }
            "CHAR_LENGTH" | "CHARACTER_LENGTH" => {
                arity(self, 1, 1)?;
                string(self, 0)?;
                SqlType::int().with_nullable(any_nullable)
            }
            "POSITION" | "LOCATE" | "INSTR" => {
                arity(self, 2, 3)?;
                string(self, 0)?;
                string(self, 1)?;
                SqlType::int().with_nullable(any_nullable)
            }
            "HASH_CODE" => {
                arity(self, 1, 1)?;
                string(self, 0)?;
                SqlType::int().with_nullable(any_nullable)
            }
            "DATE_FORMAT" => {
                arity(self, 2, 3)?;
                let t = args[0].ty();
                if !(t.is_timestamp() || t.is_string() || t.is_null() || t.kind == TypeKind::Date) {
                    self.error(
                        Diagnostic::error(
                            format!("type mismatch: DATE_FORMAT formats a TIMESTAMP or a date-time string, found {}", t.clone().plain()),
                            arg_span(0),
                        )
                        .with_help("convert epoch values first: `DATE_FORMAT(TO_TIMESTAMP_LTZ(x, 3), 'yyyy-MM-dd')`"),
                    );
                    return None;
                }
                for i in 1..n {
                    string(self, i)?;
                }
                SqlType::string().with_nullable(true)
            }
            "TO_TIMESTAMP" => {
                arity(self, 1, 2)?;
                let t = args[0].ty();
                if !(t.is_string() || t.is_null() || (blink && t.is_integer() && n == 1)) {
                    self.error(
                        Diagnostic::error(
                            format!("type mismatch: TO_TIMESTAMP parses a string, found {}", t.clone().plain()),
                            arg_span(0),
                        )
                        .with_help(if t.is_integer() {
                            "epoch values: `TO_TIMESTAMP_LTZ(x, 3)` (Flink); `TO_TIMESTAMP(bigint)` is Blink-only"
                        } else {
                            "convert it with `CAST(... AS STRING)`"
                        }),
                    );
                    return None;
                }
                if n == 2 {
                    string(self, 1)?;
                }
                SqlType::timestamp(3).with_nullable(true)
            }
            "TO_TIMESTAMP_LTZ" => {
                // TO_TIMESTAMP_LTZ(numeric, precision) or TO_TIMESTAMP_LTZ(string[, format]).
                arity(self, 1, 2)?;
                if args[0].ty().is_string() {
                    for i in 1..n {
                        string(self, i)?;
                    }
                } else {
                    numeric(self, 0)?;
                    if n == 2 {
                        let ok = matches!(&args[1], Expr::Literal { value: Literal::Number(p), .. } if p == "0" || p == "3");
                        if !ok {
                            self.error(
                                Diagnostic::error("the precision of TO_TIMESTAMP_LTZ(numeric, precision) must be 0 (seconds) or 3 (milliseconds)", arg_span(1))
                                    .with_help("write `TO_TIMESTAMP_LTZ(epoch_millis, 3)` or `TO_TIMESTAMP_LTZ(epoch_seconds, 0)`"),
                            );
                            return None;
                        }
                    }
                }
                SqlType::new(TypeKind::TimestampLtz(3)).with_nullable(true)
            }
            "TO_DATE" => {
                arity(self, 1, 2)?;
                string(self, 0)?;
                SqlType::new(TypeKind::Date)
            }
            "FROM_UNIXTIME" => {
                arity(self, 1, 2)?;
                numeric(self, 0)?;
                if n == 2 {
                    string(self, 1)?;
                }
                s
            }
            "UNIX_TIMESTAMP" => {
                arity(self, 0, 2)?;
                for i in 0..n {
                    string(self, i)?;
                }
                SqlType::bigint().with_nullable(n > 0)
            }
            "NOW" | "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "CURRENT_DATE" | "PROCTIME" => {
                arity(self, 0, 0)?;
                match name {
                    // Blink's NOW() is epoch seconds (the seeds multiply it by 1000).
                    "NOW" if blink => SqlType::not_null(TypeKind::BigInt),
                    "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" if blink => {
                        SqlType::not_null(TypeKind::Timestamp(3))
                    }
                    "LOCALTIMESTAMP" => SqlType::not_null(TypeKind::Timestamp(3)),
                    "CURRENT_DATE" => SqlType::not_null(TypeKind::Date),
                    "PROCTIME" => {
                        let mut t = SqlType::not_null(TypeKind::TimestampLtz(3));
                        t.time_attr = Some(TimeAttr::Proctime);
                        t
                    }
                    _ => SqlType::not_null(TypeKind::TimestampLtz(3)),
                }
            }
            "IF" => {
                arity(self, 3, 3)?;
                self.expect_boolean(&args[0], arg_span(0), "IF")?;
                let items = vec![
                    (args[1].clone(), arg_span(1)),
                    (args[2].clone(), arg_span(2)),
                ];
                let t = self.common_type(&items, "IF branches")?;
                let mut args = args;
                let b = args.pop().unwrap();
                let a = args.pop().unwrap();
                args.push(implicit_cast(a, &t));
                args.push(implicit_cast(b, &t));
                return Some(call(name, args, t));
            }
            "COALESCE" | "IFNULL" | "NVL" | "NULLIF" => {
                if name == "COALESCE" {
                    arity(self, 1, usize::MAX)?;
                } else {
                    arity(self, 2, 2)?;
                }
                let items: Vec<(Expr, Span)> =
                    args.iter().cloned().zip((0..n).map(arg_span)).collect();
                let t = self.common_type(&items, name)?;
                let nullable = if name == "NULLIF" {
                    true
                } else {
                    args.iter().all(|a| a.ty().nullable)
                };
                let t = t.with_nullable(nullable);
                let args = args.into_iter().map(|a| implicit_cast(a, &t)).collect();
                return Some(call(name, args, t));
            }
            "ABS" | "ROUND" | "FLOOR" | "CEIL" | "CEILING" => {
                arity(self, 1, 2)?;
                numeric(self, 0)?;
                args[0].ty().clone().plain()
            }
            "MOD" => {
                arity(self, 2, 2)?;
                numeric(self, 0)?;
                numeric(self, 1)?;
                SqlType::common(args[0].ty(), args[1].ty())?
                    .plain()
                    .with_nullable(true)
            }
            "POWER" | "SQRT" | "LN" | "LOG10" | "EXP" => {
                arity(self, 1, 2)?;
                for i in 0..n {
                    numeric(self, i)?;
                }
                SqlType::double().with_nullable(any_nullable)
            }
            _ => {
                let d = Diagnostic::error(format!("unknown function `{name}`"), span);
                let mut all: Vec<&str> = SCALARS.to_vec();
                all.extend(AGGREGATES);
                all.extend(WINDOW_PROPS);
                self.error(with_suggestion(d, name, all.into_iter(), "function"));
                return None;
            }
        };
        Some(call(name, args, ty))
    }
}
