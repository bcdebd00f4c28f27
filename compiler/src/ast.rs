//! The parsed job: what [`crate::parse`] produces and [`crate::bind`] consumes.
//!
//! Flink DDL (`CREATE TABLE` with computed columns, watermarks, metadata columns,
//! `PERIOD FOR SYSTEM_TIME`, `WITH` options) has its own types here because
//! `sqlparser` has no place for them; queries, views and expressions stay
//! `sqlparser` ASTs, whose nodes carry spans.

use crate::diagnostic::Span;
use crate::types::SqlType;
pub use sqlparser::ast::{Expr, Ident, Query};

/// A SQL identifier with its span (the span of `sqlparser::ast::Ident`).
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub value: String,
    pub span: Span,
}

impl From<&Ident> for Name {
    fn from(i: &Ident) -> Self {
        Name {
            value: i.value.clone(),
            span: i.span.into(),
        }
    }
}

/// Which dialect a statement is written in, decided per `CREATE TABLE` by its
/// `WITH` options (`type=` is Blink, `'connector'=` is Flink).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialectKind {
    Blink,
    Flink,
}

/// One job file: DDL, views and INSERTs in source order.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug)]
pub enum Statement {
    CreateTable(TableDdl),
    CreateView(ViewDdl),
    Insert(InsertStmt),
    /// A statement that failed to parse (already reported). If it was a `CREATE
    /// TABLE`/`CREATE VIEW`, its name is still known, so later uses of it report
    /// nothing more (no cascade of "unknown table").
    Broken {
        declares: Option<Name>,
    },
    /// `SET 'key' = 'value'` (job configuration, e.g. `table.exec.state.ttl`).
    Set {
        key: String,
        value: String,
        span: Span,
    },
}

#[derive(Clone, Debug)]
pub struct TableDdl {
    pub name: Name,
    pub columns: Vec<ColumnDef>,
    pub watermark: Option<WatermarkDef>,
    pub primary_key: Option<PrimaryKeyDef>,
    /// Blink's `PERIOD FOR SYSTEM_TIME`: the table is a dimension (lookup) table.
    pub period_for_system_time: Option<Span>,
    pub options: Vec<TableOption>,
    pub span: Span,
}

impl TableDdl {
    pub fn option(&self, key: &str) -> Option<&TableOption> {
        self.options
            .iter()
            .find(|o| o.key.eq_ignore_ascii_case(key))
    }
}

#[derive(Clone, Debug)]
pub struct ColumnDef {
    pub name: Name,
    pub kind: ColumnKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ColumnKind {
    /// `name TYPE [NOT NULL]`
    Physical { ty: SqlType, ty_span: Span },
    /// `name AS expr` (computed column)
    Computed(Expr),
    /// `name TYPE METADATA [FROM 'key'] [VIRTUAL]`
    Metadata {
        ty: SqlType,
        ty_span: Span,
        key: Option<String>,
        is_virtual: bool,
    },
}

#[derive(Clone, Debug)]
pub struct WatermarkDef {
    /// Blink's `WATERMARK wk FOR ...` names the watermark; Flink's does not.
    pub name: Option<Name>,
    pub column: Name,
    pub strategy: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct PrimaryKeyDef {
    pub columns: Vec<Name>,
    pub not_enforced: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct TableOption {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug)]
pub struct ViewDdl {
    pub name: Name,
    /// `CREATE VIEW v (a, b) AS ...` renames the query's columns.
    pub columns: Vec<Name>,
    pub query: Box<Query>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct InsertStmt {
    pub table: Name,
    /// `INSERT INTO t (a, b) SELECT ...`; empty means all columns in order.
    pub columns: Vec<Name>,
    pub query: Box<Query>,
    pub span: Span,
    /// Part of an `EXECUTE STATEMENT SET` / `BEGIN STATEMENT SET` block.
    pub in_statement_set: bool,
}

// ---------------------------------------------------------------- printing
//
// Canonical text of the DDL, which parses back to the same statement (the round-trip
// tests in `tests/roundtrip.rs`). Option keys are always quoted; types print in
// Flink's spelling.

use std::fmt;

fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

pub(crate) fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl fmt::Display for TableDdl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "CREATE TABLE {} (", quote_ident(&self.name.value))?;
        let mut items: Vec<String> = Vec::new();
        for c in &self.columns {
            let name = quote_ident(&c.name.value);
            items.push(match &c.kind {
                ColumnKind::Physical { ty, .. } => {
                    let null = if ty.nullable { "" } else { " NOT NULL" };
                    format!("{name} {}{null}", ty.kind)
                }
                ColumnKind::Computed(e) => format!("{name} AS {e}"),
                ColumnKind::Metadata {
                    ty,
                    key,
                    is_virtual,
                    ..
                } => {
                    let mut s = format!("{name} {} METADATA", ty.kind);
                    if let Some(k) = key {
                        s.push_str(&format!(" FROM {}", quote_str(k)));
                    }
                    if *is_virtual {
                        s.push_str(" VIRTUAL");
                    }
                    s
                }
            });
        }
        if let Some(w) = &self.watermark {
            let name = w
                .name
                .as_ref()
                .map(|n| format!("{} ", quote_ident(&n.value)))
                .unwrap_or_default();
            items.push(format!(
                "WATERMARK {name}FOR {} AS {}",
                quote_ident(&w.column.value),
                w.strategy
            ));
        }
        if let Some(pk) = &self.primary_key {
            let cols: Vec<String> = pk.columns.iter().map(|c| quote_ident(&c.value)).collect();
            let ne = if pk.not_enforced { " NOT ENFORCED" } else { "" };
            items.push(format!("PRIMARY KEY ({}){ne}", cols.join(", ")));
        }
        if self.period_for_system_time.is_some() {
            items.push("PERIOD FOR SYSTEM_TIME".to_string());
        }
        writeln!(f, "    {}", items.join(",\n    "))?;
        write!(f, ")")?;
        if !self.options.is_empty() {
            let opts: Vec<String> = self
                .options
                .iter()
                .map(|o| format!("{} = {}", quote_str(&o.key), quote_str(&o.value)))
                .collect();
            write!(f, " WITH ({})", opts.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statement::CreateTable(t) => write!(f, "{t}"),
            Statement::CreateView(v) => {
                write!(f, "CREATE VIEW {}", quote_ident(&v.name.value))?;
                if !v.columns.is_empty() {
                    let cols: Vec<String> =
                        v.columns.iter().map(|c| quote_ident(&c.value)).collect();
                    write!(f, " ({})", cols.join(", "))?;
                }
                write!(f, " AS {}", v.query)
            }
            Statement::Insert(i) => {
                write!(f, "INSERT INTO {}", quote_ident(&i.table.value))?;
                if !i.columns.is_empty() {
                    let cols: Vec<String> =
                        i.columns.iter().map(|c| quote_ident(&c.value)).collect();
                    write!(f, " ({})", cols.join(", "))?;
                }
                write!(f, " {}", i.query)
            }
            Statement::Set { key, value, .. } => {
                write!(f, "SET {} = {}", quote_str(key), quote_str(value))
            }
            Statement::Broken { declares } => match declares {
                Some(n) => write!(f, "-- broken declaration of {}", n.value),
                None => write!(f, "-- broken statement"),
            },
        }
    }
}
