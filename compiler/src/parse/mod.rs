//! Parse: SQL text -> [`Script`].
//!
//! In: one job file (DDL, views, INSERTs, statement sets, `SET`), Blink or Flink
//! dialect, mixed freely. Out: a [`Script`] and every syntax error found, each a
//! [`Diagnostic`] with a span. After an error the parser skips to the next `;` and
//! goes on, so one run reports every broken statement.
//!
//! Statements are driven here on top of `sqlparser`'s public `Parser` API:
//! `CREATE TABLE` goes to [`ddl`] (Flink DDL has no `sqlparser` AST), everything
//! else to `Parser::parse_statement` with [`FlinkDialect`]'s hooks.

pub mod ddl;
pub mod dialect;

use crate::ast::{InsertStmt, Name, Script, Statement, ViewDdl};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, Span};
pub use dialect::{FlinkDialect, TABLE_ARG};
use sqlparser::ast::Spanned;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// Parses a whole job file. Returns what parsed and the errors of what did not.
pub fn parse(sql: &str) -> (Script, Diagnostics) {
    let mut diags = Diagnostics::default();
    let dialect = FlinkDialect;
    let tokens = match Tokenizer::new(&dialect, sql)
        .with_unescape(true)
        .tokenize_with_location()
    {
        Ok(t) => t,
        Err(e) => {
            let pos = Pos {
                line: e.location.line as u32,
                col: e.location.column as u32,
            };
            diags.push(tokenizer_error(&e.message, pos, sql));
            return (Script::default(), diags);
        }
    };
    // Flink has no shift operators, so `>>` only ever closes two type brackets
    // (`ROW<a ARRAY<INT>>`): split it into two `>` tokens.
    let tokens: Vec<TokenWithSpan> = tokens
        .into_iter()
        .flat_map(|t| match t.token {
            Token::ShiftRight => {
                let mut first = t.span;
                first.end.column = first.start.column + 1;
                let mut second = t.span;
                second.start.column = first.end.column;
                vec![
                    TokenWithSpan::new(Token::Gt, first),
                    TokenWithSpan::new(Token::Gt, second),
                ]
            }
            _ => vec![t],
        })
        .collect();
    if let Some(d) = stray_characters(&tokens) {
        diags.extend(d);
        return (Script::default(), diags);
    }
    let mut parser = Parser::new(&dialect)
        .with_options(ParserOptions::new().with_trailing_commas(false))
        .with_recursion_limit(64)
        .with_tokens_with_locations(tokens.clone());
    let mut script = Script::default();
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        if parser.peek_token_ref().token == Token::EOF {
            break;
        }
        let start = parser.index();
        let declares = declared_name(&parser);
        match parse_statement(&mut parser, &mut script) {
            Ok(()) => {
                let next = parser.peek_token();
                if !matches!(next.token, Token::SemiColon | Token::EOF) {
                    let starts_next = starts_statement(&next.token);
                    diags.push(
                        Diagnostic::error(
                            format!(
                                "expected `;` after the statement, found {}",
                                describe(&next.token)
                            ),
                            next.span.into(),
                        )
                        .with_help("end each statement with `;`"),
                    );
                    if !starts_next {
                        skip_statement(&mut parser);
                    }
                }
            }
            Err(e) => {
                diags.push(parser_error(e, &parser, &tokens));
                script.statements.push(Statement::Broken { declares });
                if parser.index() == start {
                    parser.next_token();
                }
                skip_statement(&mut parser);
            }
        }
    }
    (script, diags)
}

/// The name a `CREATE [TEMPORARY] TABLE|VIEW [IF NOT EXISTS] name` is about to declare.
fn declared_name(parser: &Parser<'_>) -> Option<Name> {
    let mut i = 0;
    let mut next = || {
        let t = parser.peek_nth_token(i);
        i += 1;
        t
    };
    if !word_is(&next().token, "CREATE") {
        return None;
    }
    let mut t = next();
    if word_is(&t.token, "TEMPORARY") {
        t = next();
    }
    if !word_is(&t.token, "TABLE") && !word_is(&t.token, "VIEW") {
        return None;
    }
    let mut t = next();
    if word_is(&t.token, "IF") {
        next();
        next();
        t = next();
    }
    match t.token {
        Token::Word(w) => Some(Name {
            value: w.value,
            span: t.span.into(),
        }),
        _ => None,
    }
}

/// Words that begin a statement and never occur inside one.
fn starts_statement(t: &Token) -> bool {
    ["CREATE", "INSERT", "EXECUTE"]
        .iter()
        .any(|w| word_is(t, w))
}

/// Skips to just past the next `;` outside parentheses, or to just before the next
/// `CREATE`/`INSERT` (error recovery).
fn skip_statement(parser: &mut Parser<'_>) {
    let mut depth = 0i32;
    let mut first = true;
    loop {
        let t = parser.next_token();
        if !first && depth <= 0 && starts_statement(&t.token) {
            parser.prev_token();
            return;
        }
        first = false;
        match t.token {
            Token::EOF => {
                parser.prev_token();
                return;
            }
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::SemiColon if depth <= 0 => return,
            _ => {}
        }
    }
}

fn word_is(t: &Token, w: &str) -> bool {
    matches!(t, Token::Word(word) if word.quote_style.is_none() && word.value.eq_ignore_ascii_case(w))
}

fn parse_statement(parser: &mut Parser<'_>, script: &mut Script) -> Result<(), ParserError> {
    let t0 = parser.peek_nth_token(0).token;
    let t1 = parser.peek_nth_token(1).token;
    let t2 = parser.peek_nth_token(2).token;
    if word_is(&t0, "CREATE")
        && (word_is(&t1, "TABLE") || (word_is(&t1, "TEMPORARY") && word_is(&t2, "TABLE")))
    {
        let ddl = ddl::parse_create_table(parser)?;
        script.statements.push(Statement::CreateTable(ddl));
        return Ok(());
    }
    if word_is(&t0, "EXECUTE") && word_is(&t1, "STATEMENT") && word_is(&t2, "SET") {
        // Flink: EXECUTE STATEMENT SET BEGIN INSERT ...; INSERT ...; END;
        parser.next_token();
        parser.next_token();
        parser.next_token();
        parser.expect_keyword(Keyword::BEGIN)?;
        return parse_statement_set_body(parser, script);
    }
    if word_is(&t0, "BEGIN") && word_is(&t1, "STATEMENT") && word_is(&t2, "SET") {
        // Flink SQL client: BEGIN STATEMENT SET; INSERT ...; END;
        parser.next_token();
        parser.next_token();
        parser.next_token();
        parser.expect_token(&Token::SemiColon)?;
        return parse_statement_set_body(parser, script);
    }
    if word_is(&t0, "SET") {
        let start = parser.next_token();
        let key = parse_set_part(parser)?;
        parser.expect_token(&Token::Eq)?;
        let value = parse_set_part(parser)?;
        let end = parser.peek_token();
        script.statements.push(Statement::Set {
            key,
            value,
            span: Span::from(start.span).union(Span {
                start: Span::from(end.span).start,
                end: Span::from(end.span).start,
            }),
        });
        return Ok(());
    }
    let start = parser.peek_token();
    let stmt = parser.parse_statement()?;
    let span = Span::from(stmt.span()).or(start.span.into());
    match stmt {
        sqlparser::ast::Statement::Insert(ins) => {
            script
                .statements
                .push(Statement::Insert(insert_from(ins, span, false)?));
        }
        sqlparser::ast::Statement::CreateView(cv) => {
            let name = last_ident(&cv.name);
            script.statements.push(Statement::CreateView(ViewDdl {
                name,
                columns: cv.columns.iter().map(|c| Name::from(&c.name)).collect(),
                query: cv.query,
                span,
            }));
        }
        sqlparser::ast::Statement::Query(_) => {
            return Err(located(
                "a bare SELECT has nowhere to write its rows",
                "a streaming job writes with `INSERT INTO <sink> SELECT ...`",
                start,
            ));
        }
        other => {
            let kw = other.to_string();
            let kw: String = kw.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
            return Err(located(
                &format!("unsupported statement `{kw}`"),
                "a job holds CREATE TABLE, CREATE VIEW, INSERT INTO, statement sets and SET",
                start,
            ));
        }
    }
    Ok(())
}

fn parse_statement_set_body(
    parser: &mut Parser<'_>,
    script: &mut Script,
) -> Result<(), ParserError> {
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        if parser.parse_keyword(Keyword::END) {
            return Ok(());
        }
        let start = parser.peek_token();
        if start.token == Token::EOF {
            return parser.expected("`END` closing the statement set", start);
        }
        match parser.parse_statement()? {
            sqlparser::ast::Statement::Insert(ins) => {
                let span = Span::from(ins.span()).or(start.span.into());
                script
                    .statements
                    .push(Statement::Insert(insert_from(ins, span, true)?));
            }
            _ => {
                return Err(located(
                    "a statement set holds only INSERT INTO statements",
                    "move CREATE and SET statements before the statement set",
                    start,
                ));
            }
        }
        let next = parser.peek_token();
        if !matches!(next.token, Token::SemiColon) && !word_is(&next.token, "END") {
            return parser.expected("`;`", next);
        }
    }
}

fn parse_set_part(parser: &mut Parser<'_>) -> Result<String, ParserError> {
    let t = parser.next_token();
    match t.token {
        Token::SingleQuotedString(s) => Ok(s),
        Token::Number(n, _) => Ok(n),
        Token::Word(w) => {
            let mut s = w.value;
            while parser.consume_token(&Token::Period) {
                s.push('.');
                s.push_str(&parser.parse_identifier()?.value);
            }
            Ok(s)
        }
        _ => parser.expected("a quoted configuration key or value", t),
    }
}

fn last_ident(name: &sqlparser::ast::ObjectName) -> Name {
    let span: Span = name.span().into();
    let value = name
        .0
        .last()
        .map(|p| match p.as_ident() {
            Some(i) => i.value.clone(),
            None => p.to_string(),
        })
        .unwrap_or_default();
    Name { value, span }
}

fn insert_from(
    ins: sqlparser::ast::Insert,
    span: Span,
    in_statement_set: bool,
) -> Result<InsertStmt, ParserError> {
    let table = match &ins.table {
        sqlparser::ast::TableObject::TableName(n) => last_ident(n),
        other => {
            return Err(ParserError::ParserError(format!(
                "INSERT target must be a table name, found {other}"
            )));
        }
    };
    let Some(query) = ins.source else {
        return Err(ParserError::ParserError(
            "INSERT needs a SELECT or VALUES source".into(),
        ));
    };
    Ok(InsertStmt {
        table,
        columns: ins.columns.iter().map(last_ident).collect(),
        query,
        span,
        in_statement_set,
    })
}

/// A parser error located at `tok` (sqlparser's own format, so it is parsed back the same way).
/// `help` travels after a `\u{1f}` separator and becomes the diagnostic's help line.
pub(crate) fn located(msg: &str, help: &str, tok: TokenWithSpan) -> ParserError {
    ParserError::ParserError(format!(
        "{msg}\u{1f}{help} at Line: {}, Column: {}",
        tok.span.start.line, tok.span.start.column
    ))
}

fn describe(t: &Token) -> String {
    match t {
        Token::EOF => "end of input".to_string(),
        other => format!("`{other}`"),
    }
}

/// Characters outside strings and comments that are not SQL: full-width punctuation,
/// curly quotes and dashes pasted from documents. Reported all at once, with the ASCII
/// character meant, before parsing (which would only say "expected ..." about them).
fn stray_characters(tokens: &[TokenWithSpan]) -> Option<Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Char(c) = tokens[i].token else {
            i += 1;
            continue;
        };
        // Merge a run of the same character (`——`).
        let mut span: Span = tokens[i].span.into();
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].token == Token::Char(c) {
            span = span.union(tokens[j].span.into());
            j += 1;
        }
        let (what, help) = match c {
            '—' | '–' | '―' => (
                "a dash",
                "comments start with `--`; replace the dashes with `--`".to_string(),
            ),
            '（' => ("a full-width parenthesis", "write `(`".to_string()),
            '）' => ("a full-width parenthesis", "write `)`".to_string()),
            '，' => ("a full-width comma", "write `,`".to_string()),
            '；' => ("a full-width semicolon", "write `;`".to_string()),
            '‘' | '’' => (
                "a curly quote",
                "quote strings with the ASCII `'`".to_string(),
            ),
            '“' | '”' => (
                "a curly quote",
                "quote strings with `'`, identifiers with backticks".to_string(),
            ),
            c if c.is_ascii() => (
                "a character",
                format!("`{c}` has no meaning here; remove it"),
            ),
            _ => (
                "a character",
                "outside string literals and comments only ASCII SQL syntax is allowed".to_string(),
            ),
        };
        diags.push(
            Diagnostic::error(format!("`{c}` is {what}, not SQL syntax"), span).with_help(help),
        );
        i = j;
    }
    if diags.is_empty() { None } else { Some(diags) }
}

fn tokenizer_error(msg: &str, pos: Pos, sql: &str) -> Diagnostic {
    let line = sql
        .split('\n')
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let ch = line.chars().nth(pos.col.saturating_sub(1) as usize);
    let help = match ch {
        Some('—') | Some('–') => "comments start with `--`; an em dash is not SQL".to_string(),
        Some('\'') => {
            "close the string literal with `'` (write `''` for a quote inside it)".to_string()
        }
        Some('`') => "close the quoted identifier with a backtick".to_string(),
        Some(c) if !c.is_ascii() => format!(
            "`{c}` is not SQL syntax; outside string literals and comments only ASCII is allowed"
        ),
        _ => "check the characters at this position".to_string(),
    };
    Diagnostic::error(
        format!("invalid token: {msg}"),
        Span {
            start: pos,
            end: Pos {
                line: pos.line,
                col: pos.col + 1,
            },
        },
    )
    .with_help(help)
}

/// Turns a `sqlparser` error ("Expected: X, found: Y at Line: l, Column: c") into a
/// diagnostic whose span covers the offending token.
fn parser_error(e: ParserError, parser: &Parser<'_>, tokens: &[TokenWithSpan]) -> Diagnostic {
    let raw = match e {
        ParserError::ParserError(m) | ParserError::TokenizerError(m) => m,
        ParserError::RecursionLimitExceeded => {
            let t = parser.peek_token();
            return Diagnostic::error("expression nested too deeply", t.span.into())
                .with_help("split the expression into views or simplify it");
        }
    };
    let (msg, pos) = match raw.rfind(" at Line: ") {
        Some(i) => {
            let loc = &raw[i + " at Line: ".len()..];
            let mut it = loc.split(", Column: ");
            let line = it.next().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
            let col = it.next().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
            (raw[..i].to_string(), Pos { line, col })
        }
        None => (raw.clone(), Span::from(parser.peek_token().span).start),
    };
    let tok = tokens
        .iter()
        .find(|t| Span::from(t.span).start == pos)
        .cloned();
    let span = match &tok {
        Some(t) if t.token != Token::EOF => Span::from(t.span),
        _ => Span {
            start: pos,
            end: pos,
        },
    };
    let (message, help) = humanize(&msg, tok.as_ref().map(|t| &t.token));
    Diagnostic::error(message, span).with_help(help)
}

fn humanize(msg: &str, found: Option<&Token>) -> (String, String) {
    if let Some((m, help)) = msg.split_once('\u{1f}') {
        return (m.to_string(), help.to_string());
    }
    if let Some(rest) = msg.strip_prefix("Expected: ") {
        let (expected, found_txt) = match rest.split_once(", found: ") {
            Some((e, f)) => (e.to_string(), f.to_string()),
            None => (rest.to_string(), String::new()),
        };
        let found_desc = if found_txt == "EOF" {
            "end of input".to_string()
        } else {
            format!("`{found_txt}`")
        };
        // `)` -> `` `)` ``; keyword lists stay as they are.
        let expected = if expected.chars().count() == 1 {
            format!("`{expected}`")
        } else {
            expected
        };
        let close =
            |e: &str| e.contains("SELECT") || e.contains("statement") || e.contains("keyword");
        if let Some(Token::Word(w)) = found {
            let keyword = expected
                .split(|c: char| !c.is_ascii_alphabetic() && c != '_')
                .filter(|k| k.len() > 2 && k.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .map(|k| (crate::bind::expr::edit_distance(k, &w.value), k))
                .filter(|(d, _)| *d > 0 && *d <= 2)
                .min_by_key(|(d, _)| *d);
            let statement = [
                "SELECT", "INSERT", "CREATE", "FROM", "WHERE", "GROUP", "TABLE", "VIEW", "INTO",
                "JOIN",
            ]
            .iter()
            .map(|k| (crate::bind::expr::edit_distance(k, &w.value), *k))
            .filter(|(d, _)| *d > 0 && *d <= 1)
            .min_by_key(|(d, _)| *d);
            if let Some((_, k)) = keyword.or(if close(&expected) { statement } else { None }) {
                return (
                    format!("expected {expected}, found {found_desc}"),
                    format!("did you mean `{k}`?"),
                );
            }
        }
        let help = match found {
            Some(Token::Period) if found_txt == "." => {
                "`...` elisions from documentation are not SQL: remove them (connection details go in the job binary's options)".to_string()
            }
            Some(Token::Comma) if expected.contains(')') || expected.contains("identifier") => {
                "remove the trailing comma".to_string()
            }
            Some(Token::Word(w)) if expected == "`)`" => format!(
                "a parenthesis is not closed: add `)` before `{}`",
                w.value
            ),
            Some(Token::Word(w)) if w.quote_style.is_none() && expected.contains(')') => format!(
                "a separator is missing before `{}`: add `,` or an operator, or quote a name with spaces in backticks",
                w.value
            ),
            Some(Token::EOF) => "the statement is cut off: complete it".to_string(),
            _ => format!("write {expected} here"),
        };
        return (format!("expected {expected}, found {found_desc}"), help);
    }
    (
        msg.to_string(),
        "see the Flink SQL syntax of this statement".to_string(),
    )
}
