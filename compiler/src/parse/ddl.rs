//! Flink and Blink `CREATE TABLE`, parsed with `sqlparser`'s token API.
//!
//! In: tokens positioned at `CREATE [TEMPORARY] TABLE`. Out: [`TableDdl`].
//!
//! ```text
//! CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (
//!     col TYPE [NOT NULL] [PRIMARY KEY [NOT ENFORCED]] [COMMENT '...']
//!   | col TYPE METADATA [FROM 'key'] [VIRTUAL]
//!   | col AS expr                                      -- computed column
//!   | WATERMARK [wk] FOR col AS expr                   -- Blink names it, Flink not
//!   | [CONSTRAINT c] PRIMARY KEY (cols) [NOT ENFORCED]
//!   | PERIOD FOR SYSTEM_TIME                           -- Blink dimension table
//! ) [COMMENT '...'] [PARTITIONED BY (cols)] [WITH (key = value, ...)]
//! ```

use super::{located, word_is};
use crate::ast::{ColumnDef, ColumnKind, Name, PrimaryKeyDef, TableDdl, TableOption, WatermarkDef};
use crate::diagnostic::Span;
use crate::types::{SqlType, TypeKind, from_sql_data_type};
use sqlparser::ast::Spanned;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

pub fn parse_create_table(p: &mut Parser<'_>) -> Result<TableDdl, ParserError> {
    let create = p.expect_keyword(Keyword::CREATE)?;
    let _temporary = p.parse_keyword(Keyword::TEMPORARY);
    p.expect_keyword(Keyword::TABLE)?;
    let _if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let obj = p.parse_object_name(false)?;
    let name = super::last_ident(&obj);
    p.expect_token(&Token::LParen)?;
    let mut ddl = TableDdl {
        name,
        columns: Vec::new(),
        watermark: None,
        primary_key: None,
        period_for_system_time: None,
        options: Vec::new(),
        span: Span::NONE,
    };
    loop {
        parse_element(p, &mut ddl)?;
        if p.consume_token(&Token::Comma) {
            if p.peek_token_ref().token == Token::RParen {
                p.prev_token();
                let t = p.next_token();
                return Err(located(
                    "trailing comma before `)` in the column list",
                    "remove the trailing comma",
                    t,
                ));
            }
            continue;
        }
        let t = p.next_token();
        if t.token == Token::RParen {
            break;
        }
        return p.expected("`,` or `)` after a column definition", t);
    }
    if p.parse_keyword(Keyword::COMMENT) {
        p.parse_literal_string()?;
    }
    if p.parse_keywords(&[Keyword::PARTITIONED, Keyword::BY]) {
        p.expect_token(&Token::LParen)?;
        p.parse_comma_separated(|p| p.parse_identifier())?;
        p.expect_token(&Token::RParen)?;
    }
    if p.parse_keyword(Keyword::WITH) {
        ddl.options = parse_with_options(p)?;
    }
    let end = p.peek_token();
    ddl.span = Span::from(create.span).union(Span {
        start: Span::from(create.span).start,
        end: Span::from(end.span).start,
    });
    Ok(ddl)
}

fn parse_element(p: &mut Parser<'_>, ddl: &mut TableDdl) -> Result<(), ParserError> {
    let t0 = p.peek_nth_token(0);
    let t1 = p.peek_nth_token(1).token;
    let t2 = p.peek_nth_token(2).token;
    // WATERMARK [name] FOR col AS expr
    if word_is(&t0.token, "WATERMARK") && (word_is(&t1, "FOR") || word_is(&t2, "FOR")) {
        p.next_token();
        let wm_name = if word_is(&p.peek_token_ref().token, "FOR") {
            None
        } else {
            Some(Name::from(&p.parse_identifier()?))
        };
        p.expect_keyword(Keyword::FOR)?;
        let column = Name::from(&p.parse_identifier()?);
        p.expect_keyword(Keyword::AS)?;
        let strategy = p.parse_expr()?;
        let span = Span::from(t0.span).union(strategy.span().into());
        if ddl.watermark.is_some() {
            return Err(located(
                "a table has at most one WATERMARK",
                "remove one of the WATERMARK clauses",
                t0,
            ));
        }
        ddl.watermark = Some(WatermarkDef {
            name: wm_name,
            column,
            strategy,
            span,
        });
        return Ok(());
    }
    // PERIOD FOR SYSTEM_TIME
    if word_is(&t0.token, "PERIOD") && word_is(&t1, "FOR") {
        p.next_token();
        p.next_token();
        p.expect_keyword(Keyword::SYSTEM_TIME)?;
        ddl.period_for_system_time = Some(t0.span.into());
        return Ok(());
    }
    // [CONSTRAINT name] PRIMARY KEY (cols) [NOT ENFORCED]
    if word_is(&t0.token, "CONSTRAINT") && word_is(&t2, "PRIMARY") {
        p.next_token();
        p.parse_identifier()?;
    }
    let t0 = p.peek_nth_token(0);
    if word_is(&t0.token, "PRIMARY") && word_is(&p.peek_nth_token(1).token, "KEY") {
        p.next_token();
        p.next_token();
        p.expect_token(&Token::LParen)?;
        let cols = p.parse_comma_separated(|p| p.parse_identifier())?;
        let close = p.expect_token(&Token::RParen)?;
        let not_enforced = p.parse_keywords(&[Keyword::NOT, Keyword::ENFORCED]);
        if ddl.primary_key.is_some() {
            return Err(located(
                "a table has at most one PRIMARY KEY",
                "list all key columns in one `PRIMARY KEY (a, b)`",
                t0,
            ));
        }
        ddl.primary_key = Some(PrimaryKeyDef {
            columns: cols.iter().map(Name::from).collect(),
            not_enforced,
            span: Span::from(t0.span).union(close.span.into()),
        });
        return Ok(());
    }
    // A column.
    let ident = p.parse_identifier()?;
    let name = Name::from(&ident);
    if p.parse_keyword(Keyword::AS) {
        let expr = p.parse_expr()?;
        let span = name.span.union(expr.span().into());
        if p.parse_keyword(Keyword::COMMENT) {
            p.parse_literal_string()?;
        }
        ddl.columns.push(ColumnDef {
            name,
            kind: ColumnKind::Computed(expr),
            span,
        });
        return Ok(());
    }
    let ty_start = p.peek_token();
    let mut ty = parse_type(p)?;
    let ty_span = Span::from(ty_start.span).union(prev_span(p));
    let mut metadata: Option<(Option<String>, bool)> = None;
    loop {
        if p.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
            ty.nullable = false;
        } else if p.parse_keyword(Keyword::NULL) {
            ty.nullable = true;
        } else if p.parse_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
            let not_enforced = p.parse_keywords(&[Keyword::NOT, Keyword::ENFORCED]);
            ddl.primary_key = Some(PrimaryKeyDef {
                columns: vec![name.clone()],
                not_enforced,
                span: name.span,
            });
        } else if p.parse_keyword(Keyword::COMMENT) {
            p.parse_literal_string()?;
        } else if p.parse_keyword(Keyword::METADATA) {
            let key = if p.parse_keyword(Keyword::FROM) {
                Some(p.parse_literal_string()?)
            } else {
                None
            };
            let is_virtual = p.parse_keyword(Keyword::VIRTUAL);
            metadata = Some((key, is_virtual));
        } else {
            break;
        }
    }
    let span = name.span.union(prev_span(p));
    let kind = match metadata {
        Some((key, is_virtual)) => ColumnKind::Metadata {
            ty,
            ty_span,
            key,
            is_virtual,
        },
        None => ColumnKind::Physical { ty, ty_span },
    };
    ddl.columns.push(ColumnDef { name, kind, span });
    Ok(())
}

fn prev_span(p: &mut Parser<'_>) -> Span {
    p.prev_token();
    let t = p.next_token();
    t.span.into()
}

/// `WITH (key = value, ...)`: Blink writes `type = 'kafka011'` and `` `group.id` = '...' ``,
/// Flink `'connector' = 'kafka'`.
fn parse_with_options(p: &mut Parser<'_>) -> Result<Vec<TableOption>, ParserError> {
    p.expect_token(&Token::LParen)?;
    let mut out = Vec::new();
    if p.consume_token(&Token::RParen) {
        return Ok(out);
    }
    loop {
        let kt = p.next_token();
        let key = match &kt.token {
            Token::SingleQuotedString(s) => s.clone(),
            Token::Word(w) => {
                let mut k = w.value.clone();
                while p.consume_token(&Token::Period) {
                    k.push('.');
                    k.push_str(&p.parse_identifier()?.value);
                }
                k
            }
            _ => return p.expected("an option name such as 'connector' or type", kt),
        };
        let key_span: Span = kt.span.into();
        p.expect_token(&Token::Eq)?;
        let vt = p.next_token();
        let value = match &vt.token {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => s.clone(),
            Token::Number(n, _) => n.clone(),
            Token::Word(w) => w.value.clone(),
            _ => return p.expected("an option value (a quoted string)", vt),
        };
        out.push(TableOption {
            key,
            value,
            key_span,
            value_span: vt.span.into(),
        });
        if p.consume_token(&Token::Comma) {
            if p.peek_token_ref().token == Token::RParen {
                p.prev_token();
                let t = p.next_token();
                return Err(located(
                    "trailing comma in the WITH options",
                    "remove the trailing comma",
                    t,
                ));
            }
            continue;
        }
        let t = p.next_token();
        if t.token == Token::RParen {
            return Ok(out);
        }
        return p.expected("`,` or `)` in the WITH options", t);
    }
}

/// A Flink type: the `sqlparser` types plus `ROW<...>`, `MAP<k, v>`, `MULTISET<t>`,
/// `ARRAY<t>` and `TIMESTAMP(p) WITH LOCAL TIME ZONE`.
pub fn parse_type(p: &mut Parser<'_>) -> Result<SqlType, ParserError> {
    let t = p.peek_token();
    let word = match &t.token {
        Token::Word(w) => w.value.to_ascii_uppercase(),
        _ => return p.expected("a data type", t),
    };
    let angle = p.peek_nth_token(1).token == Token::Lt;
    match word.as_str() {
        "ROW" if angle || p.peek_nth_token(1).token == Token::LParen => {
            p.next_token();
            let close = if p.consume_token(&Token::Lt) {
                Token::Gt
            } else {
                p.expect_token(&Token::LParen)?;
                Token::RParen
            };
            let mut fields = Vec::new();
            loop {
                let n = p.parse_identifier()?;
                let ft = parse_type(p)?;
                if p.parse_keyword(Keyword::COMMENT) {
                    p.parse_literal_string()?;
                }
                fields.push((n.value, ft));
                if !p.consume_token(&Token::Comma) {
                    break;
                }
            }
            expect_close(p, &close)?;
            Ok(SqlType::new(TypeKind::Row(fields)))
        }
        "MAP" if angle => {
            p.next_token();
            p.next_token();
            let k = parse_type(p)?;
            p.expect_token(&Token::Comma)?;
            let v = parse_type(p)?;
            expect_close(p, &Token::Gt)?;
            Ok(SqlType::new(TypeKind::Map(Box::new(k), Box::new(v))))
        }
        "ARRAY" | "MULTISET" if angle => {
            p.next_token();
            p.next_token();
            let inner = parse_type(p)?;
            expect_close(p, &Token::Gt)?;
            Ok(SqlType::new(if word == "ARRAY" {
                TypeKind::Array(Box::new(inner))
            } else {
                TypeKind::Multiset(Box::new(inner))
            }))
        }
        "TIMESTAMP" => {
            p.next_token();
            let precision = if p.consume_token(&Token::LParen) {
                let n = p.parse_literal_uint()?;
                p.expect_token(&Token::RParen)?;
                n.min(9) as u8
            } else {
                6
            };
            if p.parse_keywords(&[Keyword::WITH, Keyword::LOCAL, Keyword::TIME, Keyword::ZONE]) {
                return Ok(SqlType::new(TypeKind::TimestampLtz(precision)));
            }
            let _without_tz = p.parse_keywords(&[Keyword::WITHOUT, Keyword::TIME, Keyword::ZONE]);
            Ok(SqlType::new(TypeKind::Timestamp(precision)))
        }
        _ => {
            let dt = p.parse_data_type()?;
            from_sql_data_type(&dt).map_err(|name| {
                located(
                    &format!("unknown data type `{name}`"),
                    "use a Flink type such as BIGINT, STRING, DOUBLE, TIMESTAMP(3), DECIMAL(10, 2)",
                    t,
                )
            })
        }
    }
}

/// Expects `>` or `)` (the lexer's `>>` was split into two `>` before parsing).
fn expect_close(p: &mut Parser<'_>, close: &Token) -> Result<(), ParserError> {
    p.expect_token(close).map(|_| ())
}
