//! `FlinkDialect`: the `sqlparser` dialect for both Blink and Flink 1.x/2.x SQL.
//!
//! In: characters and tokens. Out: `sqlparser` expressions and queries, extended
//! through the `Dialect` hooks only (no fork): backtick identifiers, `FOR SYSTEM_TIME
//! AS OF`, `FILTER (WHERE ...)`, and `TABLE t` as an argument of the window TVFs
//! (`TUMBLE(TABLE t, DESCRIPTOR(ts), ...)`), which `parse_prefix` turns into a call
//! of the pseudo-function [`TABLE_ARG`].

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    ObjectName, ObjectNamePart,
};
use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Name of the pseudo-function that stands for a `TABLE t` argument.
pub const TABLE_ARG: &str = "$TABLE";

#[derive(Debug, Default, Clone, Copy)]
pub struct FlinkDialect;

impl Dialect for FlinkDialect {
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_' || ch == '$'
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }

    fn supports_table_versioning(&self) -> bool {
        true
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }

    fn supports_group_by_expr(&self) -> bool {
        true
    }

    fn parse_prefix(&self, parser: &mut Parser<'_>) -> Option<Result<Expr, ParserError>> {
        // `TABLE name` inside a window TVF's argument list.
        let is_table = matches!(&parser.peek_token_ref().token,
            Token::Word(w) if w.keyword == Keyword::TABLE);
        if !is_table || !matches!(parser.peek_nth_token(1).token, Token::Word(_)) {
            return None;
        }
        let table_tok = parser.next_token();
        Some(parser.parse_object_name(false).map(|name| {
            let mut ident = Ident::new(TABLE_ARG);
            ident.span = table_tok.span;
            let arg = Expr::CompoundIdentifier(
                name.0
                    .iter()
                    .filter_map(|p| match p {
                        ObjectNamePart::Identifier(i) => Some(i.clone()),
                        _ => None,
                    })
                    .collect(),
            );
            Expr::Function(Function {
                name: ObjectName(vec![ObjectNamePart::Identifier(ident)]),
                uses_odbc_syntax: false,
                parameters: FunctionArguments::None,
                args: FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))],
                    clauses: vec![],
                }),
                filter: None,
                null_treatment: None,
                over: None,
                within_group: vec![],
            })
        }))
    }
}
