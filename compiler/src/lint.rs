//! Lints: warnings about jobs that compile but do not do what they were written for.
//!
//! In: a job that bound without errors — the parsed [`Script`] (primary keys and `SET`s
//! with their spans), the [`Job`] (whose aggregates, joins and Top-Ns carry where they
//! were written, [`crate::plan::Loc`]) and the [`Sites`] the binder recorded while
//! typing expressions (date patterns, comparisons that cast strings to numbers). Out:
//! warnings, all of them (a lint never stops at the first), each named by its lint
//! (`warning[name]: ...`), with the span of the offending SQL and a help line with the
//! fix. `--deny-warnings` / `Build::deny_warnings` make them errors.
//!
//! | lint | fires on |
//! |---|---|
//! | `upsert_key_not_covered` | an upsert sink whose PRIMARY KEY does not identify the rows the query updates, so they overwrite each other |
//! | `row_number_partition_keeps_all` | a Top-N whose PARTITION BY holds a unique key of its input (one row per partition) or every ORDER BY column (all rows tie) |
//! | `month_in_time_pattern` | `MM` (month) next to an hour or seconds field in a date pattern literal (`'HH:MM:ss'`) |
//! | `string_number_comparison` | a string column compared with a number: every row's string is cast |
//! | `unbounded_state_without_ttl` | a GROUP BY, join or Top-N without a window in a job that sets no `table.exec.state.ttl` |
//!
//! Lints prefer silence to noise: each fires only where the SQL shows the problem
//! (a key part the primary key is computed from none of; a pattern field that cannot be
//! meant), never on a guess, and never panics.

use crate::ast::{DialectKind, Script, Statement, quote_str};
use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::plan::{AsSql, Expr, Job, Plan, ROW_NUMBER_COLUMN, STATE_TTL};
use crate::types::SqlType;
use std::collections::BTreeSet;

pub const UPSERT_KEY_NOT_COVERED: &str = "upsert_key_not_covered";
pub const ROW_NUMBER_PARTITION_KEEPS_ALL: &str = "row_number_partition_keeps_all";
pub const MONTH_IN_TIME_PATTERN: &str = "month_in_time_pattern";
pub const STRING_NUMBER_COMPARISON: &str = "string_number_comparison";
pub const UNBOUNDED_STATE_WITHOUT_TTL: &str = "unbounded_state_without_ttl";

/// Every lint, by name.
pub const ALL: [&str; 5] = [
    UPSERT_KEY_NOT_COVERED,
    ROW_NUMBER_PARTITION_KEEPS_ALL,
    MONTH_IN_TIME_PATTERN,
    STRING_NUMBER_COMPARISON,
    UNBOUNDED_STATE_WITHOUT_TTL,
];

/// The state TTL a job may set, and the value suggested when it does not (Realtime
/// Compute's default for SQL jobs, and the `state.backend.niagara.ttl.ms = 129600000`
/// of Blink's default job parameters).
const SUGGESTED_TTL: &str = "36 h";

/// What the binder saw while typing expressions that only the lints need, with where it
/// was written (plan expressions carry no spans).
#[derive(Clone, Debug, Default)]
pub struct Sites {
    pub time_patterns: Vec<TimePattern>,
    pub string_numbers: Vec<StringNumber>,
}

/// A string literal passed where a function takes a date pattern (`DATE_FORMAT(ts,
/// 'yyyy-MM-dd')`, `TO_TIMESTAMP(s, fmt)`, ...).
#[derive(Clone, Debug)]
pub struct TimePattern {
    pub function: String,
    pub pattern: String,
    pub span: Span,
}

/// A comparison (`=`, `<`, `IN`, ...) of a per-row string with a number, which casts the
/// string of every row to the number's type.
#[derive(Clone, Debug)]
pub struct StringNumber {
    /// The whole comparison.
    pub span: Span,
    /// The string operand as written (`status`) and its type.
    pub string_side: String,
    pub string_ty: SqlType,
    /// The type every row's string is cast to.
    pub number_ty: SqlType,
    /// The comparison with its number literals quoted (`status = '3'`), when the
    /// number side is literals only.
    pub quoted: Option<String>,
    /// `<`, `<=`, `>`, `>=`: quoting the number would compare text order instead.
    pub ordering: bool,
}

impl Sites {
    /// How much is recorded, for [`Sites::truncate`] after a speculative bind.
    pub(crate) fn mark(&self) -> (usize, usize) {
        (self.time_patterns.len(), self.string_numbers.len())
    }

    pub(crate) fn truncate(&mut self, (patterns, comparisons): (usize, usize)) {
        self.time_patterns.truncate(patterns);
        self.string_numbers.truncate(comparisons);
    }
}

/// Every lint over a job that bound without errors: its warnings, in no order (the
/// caller sorts them with the other diagnostics).
pub fn check(script: &Script, job: &Job, sites: &Sites) -> Diagnostics {
    let mut out = Diagnostics::default();
    upsert_key_not_covered(script, job, &mut out);
    row_number_partition_keeps_all(job, &mut out);
    for p in &sites.time_patterns {
        month_in_time_pattern(p, &mut out);
    }
    for c in &sites.string_numbers {
        out.push(string_number_comparison(c));
    }
    unbounded_state_without_ttl(job, &mut out);
    out
}

/// SQL text set off as code: in backticks, unless it has its own (Blink's quoted
/// identifiers), which would read as nested quotes.
fn code(sql: &str) -> String {
    if sql.contains('`') {
        sql.to_string()
    } else {
        format!("`{sql}`")
    }
}

// ------------------------------------------------------------ upsert_key_not_covered

/// The base values a column is computed from: scan columns, aggregate results, window
/// bounds, row numbers — each an atom. Two rows that agree on a column's atoms agree on
/// the column.
type Atoms = BTreeSet<u32>;

/// One part of a unique key: the atoms of a grouping key, a partition key, ...
#[derive(Clone, Debug)]
struct Part {
    atoms: Atoms,
    /// How to name it when no sink column carries it.
    label: String,
}

/// Per node: the atoms of each output column, and the node's unique keys over atoms.
/// Unlike [`Plan::unique_keys`] (columns), a key over atoms survives a projection that
/// drops its columns: the rows are still told apart by those values, whether or not
/// the sink sees them.
#[derive(Debug, Default)]
struct Lineage {
    cols: Vec<Atoms>,
    keys: Vec<Vec<Part>>,
}

const MAX_KEYS: usize = 16;

#[derive(Default)]
struct Atomizer {
    next: u32,
    /// Atoms that stand for a window (start, end and time of one window aggregate).
    windows: Atoms,
}

impl Atomizer {
    fn fresh(&mut self) -> Atoms {
        self.next += 1;
        BTreeSet::from([self.next])
    }

    /// The lineage of `p`, with at most [`MAX_KEYS`] keys per node (a join's keys are
    /// the products of its sides' keys, which multiply along a chain of joins).
    fn lineage(&mut self, p: &Plan) -> Lineage {
        let mut l = self.lineage_of(p);
        l.keys.truncate(MAX_KEYS);
        l
    }

    fn lineage_of(&mut self, p: &Plan) -> Lineage {
        let of = |cols: &[Atoms], e: &Expr| -> Atoms {
            let mut atoms = Atoms::new();
            e.walk(&mut |x| {
                if let Expr::Column { index, .. } = x
                    && let Some(a) = cols.get(*index)
                {
                    atoms.extend(a.iter().copied());
                }
            });
            atoms
        };
        let part = |cols: &[Atoms], e: &Expr| Part {
            atoms: of(cols, e),
            label: AsSql(e).to_string(),
        };
        // The node's own column keys, as parts.
        let column_keys = |cols: &[Atoms]| -> Vec<Vec<Part>> {
            p.unique_keys()
                .iter()
                .map(|k| {
                    k.iter()
                        .map(|c| Part {
                            atoms: cols.get(*c).cloned().unwrap_or_default(),
                            label: match p.schema().fields.get(*c) {
                                Some(f) if f.name == ROW_NUMBER_COLUMN => "ROW_NUMBER()".into(),
                                Some(f) => f.name.clone(),
                                None => "?".into(),
                            },
                        })
                        .collect()
                })
                .collect()
        };
        match p {
            Plan::Scan {
                schema, computed, ..
            } => {
                let mut cols: Vec<Atoms> = (0..schema.len()).map(|_| self.fresh()).collect();
                for (i, e) in computed {
                    let atoms = of(&cols, e);
                    if let Some(c) = cols.get_mut(*i) {
                        *c = atoms;
                    }
                }
                let keys = column_keys(&cols);
                Lineage { cols, keys }
            }
            Plan::Calc {
                input, projections, ..
            } => {
                let inner = self.lineage(input);
                Lineage {
                    cols: projections.iter().map(|e| of(&inner.cols, e)).collect(),
                    keys: inner.keys,
                }
            }
            Plan::WindowTableFunction { input, .. } => {
                let mut inner = self.lineage(input);
                let w = self.window();
                inner.cols.extend([w.clone(), w.clone(), w]);
                inner
            }
            Plan::WindowAggregate {
                input, keys, aggs, ..
            } => {
                let inner = self.lineage(input);
                let w = self.window();
                let mut cols: Vec<Atoms> = keys.iter().map(|k| of(&inner.cols, k)).collect();
                cols.extend([w.clone(), w.clone(), w.clone()]);
                cols.extend(aggs.iter().map(|_| self.fresh()));
                let mut key: Vec<Part> = keys.iter().map(|k| part(&inner.cols, k)).collect();
                key.push(Part {
                    atoms: w,
                    label: "window".into(),
                });
                Lineage {
                    cols,
                    keys: vec![key],
                }
            }
            Plan::GroupAggregate {
                input, keys, aggs, ..
            } => {
                let inner = self.lineage(input);
                let mut cols: Vec<Atoms> = keys.iter().map(|k| of(&inner.cols, k)).collect();
                cols.extend(aggs.iter().map(|_| self.fresh()));
                let key = keys.iter().map(|k| part(&inner.cols, k)).collect();
                Lineage {
                    cols,
                    keys: vec![key],
                }
            }
            Plan::Join { left, right, .. } => {
                let (l, r) = (self.lineage(left), self.lineage(right));
                let mut cols = l.cols;
                cols.extend(r.cols);
                let mut keys = column_keys(&cols);
                // A joined row is told apart by the pair of rows it joins.
                for lk in &l.keys {
                    for rk in &r.keys {
                        keys.push(lk.iter().chain(rk).cloned().collect());
                    }
                }
                Lineage { cols, keys }
            }
            Plan::LookupJoin {
                input,
                dim_schema,
                keys,
                ..
            } => {
                let mut inner = self.lineage(input);
                // The dimension row is the one its lookup key finds.
                let mut found = Atoms::new();
                for (_, e) in keys {
                    found.extend(of(&inner.cols, e));
                }
                inner
                    .cols
                    .extend((0..dim_schema.len()).map(|_| found.clone()));
                inner
            }
            Plan::Rank { input, .. } => {
                let inner = self.lineage(input);
                let mut cols = inner.cols;
                cols.push(self.fresh());
                let mut keys = column_keys(&cols);
                keys.extend(inner.keys);
                Lineage { cols, keys }
            }
            Plan::Union { inputs, schema } => {
                let mut cols = vec![Atoms::new(); schema.len()];
                for i in inputs {
                    for (c, a) in cols.iter_mut().zip(self.lineage(i).cols) {
                        c.extend(a);
                    }
                }
                Lineage { cols, keys: vec![] }
            }
            Plan::Sink { input, .. } => self.lineage(input),
        }
    }

    fn window(&mut self) -> Atoms {
        let w = self.fresh();
        self.windows.extend(w.iter().copied());
        w
    }

    fn is_window(&self, part: &Part) -> bool {
        !part.atoms.is_empty() && part.atoms.is_subset(&self.windows)
    }

    /// The parts of `key` the primary key (computed from `pk`) cannot tell apart, or
    /// `None` when the key may well identify the rows.
    ///
    /// Updating input: a part the primary key is computed from none of the atoms of
    /// can vary under one primary key value, so rows overwrite each other (and a
    /// retraction deletes another row). Insert-only input: an upsert sink keeps the
    /// latest row per key, which is what a key without the window means (the seeds'
    /// latest position per device); only a key that includes the window says "one row
    /// per window", and then the other parts must be covered too.
    fn uncovered<'k>(&self, key: &'k [Part], pk: &Atoms, updating: bool) -> Option<Vec<&'k Part>> {
        let touches = |p: &Part| !p.atoms.is_disjoint(pk);
        if !updating {
            let mut windows = key.iter().filter(|p| self.is_window(p)).peekable();
            windows.peek()?;
            if !windows.any(touches) {
                return None;
            }
        }
        let missing: Vec<&Part> = key
            .iter()
            .filter(|p| !p.atoms.is_empty() && !touches(p) && (updating || !self.is_window(p)))
            .collect();
        (!missing.is_empty()).then_some(missing)
    }
}

fn upsert_key_not_covered(script: &Script, job: &Job, out: &mut Diagnostics) {
    for p in &job.pipelines {
        let Plan::Sink {
            input,
            table,
            columns,
            schema,
        } = &p.plan
        else {
            continue;
        };
        // Print and blackhole sinks show or drop the changes; they apply nothing by key.
        if table.primary_key.is_empty() || matches!(table.connector.as_str(), "print" | "blackhole")
        {
            continue;
        }
        let updating = input.is_updating();
        // Inserts into an append-only table (a Kafka topic) never overwrite anything,
        // whatever key it declares.
        if !updating && !crate::bind::connector::upsert_needs_key(table) {
            continue;
        }
        // The input column filling each primary-key column (an INSERT with a column
        // list may leave one NULL: nothing to say about that here).
        let Some(pk_inputs) = table
            .primary_key
            .iter()
            .map(|k| columns.iter().position(|c| c == k))
            .collect::<Option<Vec<usize>>>()
        else {
            continue;
        };
        let mut atomizer = Atomizer::default();
        let lineage = atomizer.lineage(input);
        let pk: Atoms = pk_inputs
            .iter()
            .filter_map(|i| lineage.cols.get(*i))
            .flatten()
            .copied()
            .collect();
        // Rows overwrite each other unless some unique key is covered. Report the key
        // with the fewest parts missing, then the shortest.
        let uncovered: Option<Vec<(&[Part], Vec<&Part>)>> = lineage
            .keys
            .iter()
            .map(|key| {
                atomizer
                    .uncovered(key, &pk, updating)
                    .map(|missing| (key.as_slice(), missing))
            })
            .collect();
        let Some((key, missing)) = uncovered
            .into_iter()
            .flatten()
            .min_by_key(|(k, m)| (m.len(), k.len()))
        else {
            continue;
        };
        // Name parts by the sink column that carries exactly them, else by their text.
        let sink_name = |i: usize| {
            columns
                .get(i)
                .and_then(|c| schema.fields.get(*c))
                .map(|f| f.name.clone())
        };
        let column_of = |part: &Part| -> Option<usize> {
            let carriers: Vec<usize> = (0..columns.len())
                .filter(|i| lineage.cols.get(*i) == Some(&part.atoms))
                .collect();
            carriers
                .iter()
                .find(|i| pk_inputs.contains(i))
                .or(carriers.first())
                .copied()
        };
        let name = |part: &Part| {
            column_of(part)
                .and_then(sink_name)
                .unwrap_or_else(|| part.label.clone())
        };
        let list = |parts: &[&Part]| parts.iter().map(|p| name(p)).collect::<Vec<_>>().join(", ");
        let pk_names: Vec<String> = pk_inputs.iter().filter_map(|i| sink_name(*i)).collect();
        // A part no sink column carries, computed only from what the other parts are
        // computed from (the seed's concat(hour, level) beside hour and level), is most
        // likely a function of them: it is left out of what the warning names.
        let redundant = |i: usize, part: &Part| {
            let others: Atoms = key
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, p)| p.atoms.iter().copied())
                .collect();
            column_of(part).is_none() && part.atoms.is_subset(&others)
        };
        let key_parts: Vec<&Part> = key
            .iter()
            .enumerate()
            .filter(|(i, p)| !redundant(*i, p))
            .map(|(_, p)| p)
            .collect();
        let span = script
            .statements
            .iter()
            .find_map(|s| match s {
                Statement::CreateTable(t) if t.name.value == table.name => {
                    t.primary_key.as_ref().map(|k| k.span)
                }
                _ => None,
            })
            .unwrap_or(p.span);
        let (per, rows, replaced) = if updating {
            (
                "updates one row per",
                "rows",
                ", and retracting one deletes the other's row",
            )
        } else {
            ("writes one row per", "rows of one window", "")
        };
        let mut d = Diagnostic::lint(
            UPSERT_KEY_NOT_COVERED,
            format!(
                "rows written to `{}` overwrite each other: its primary key ({}) does not identify the query's rows",
                table.name,
                pk_names.join(", ")
            ),
            span,
        )
        .with_note(format!(
            "the INSERT on line {} {per} ({}); {rows} with the same {} but a different {} replace each other in the table{replaced}",
            p.span.start.line,
            list(&key_parts),
            pk_names.join(", "),
            list(&missing),
        ));
        // Suggest the key itself when sink columns carry all of it.
        let carried: Option<BTreeSet<usize>> = key_parts.iter().map(|p| column_of(p)).collect();
        let names: Vec<String> = carried
            .iter()
            .flatten()
            .filter_map(|i| sink_name(*i))
            .collect();
        d = if !names.is_empty() {
            d.with_help(format!(
                "key the table by what identifies a row: `PRIMARY KEY ({})`",
                names.join(", ")
            ))
        } else {
            d.with_help(format!(
                "select what identifies a row ({}) into `{}` and make it the PRIMARY KEY",
                list(&key_parts),
                table.name
            ))
        };
        out.push(d);
    }
}

// ---------------------------------------------------- row_number_partition_keeps_all

fn row_number_partition_keeps_all(job: &Job, out: &mut Diagnostics) {
    for p in &job.pipelines {
        p.plan.walk(&mut |node| {
            // (Bind refuses a Rank without `rn <= N`.)
            let Plan::Rank {
                input,
                partition,
                order,
                limit: Some(n),
                partition_at,
                ..
            } = node
            else {
                return;
            };
            let keep = format!("`rn <= {n}`");
            let texts = |es: &mut dyn Iterator<Item = &Expr>| {
                es.map(|e| format!("`{}`", AsSql(e)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !order.is_empty() && order.iter().all(|(e, _)| partition.contains(e)) {
                let ordered = texts(&mut order.iter().map(|(e, _)| e));
                out.push(
                    Diagnostic::lint(
                        ROW_NUMBER_PARTITION_KEEPS_ALL,
                        format!(
                            "ROW_NUMBER() is partitioned by what it orders by ({ordered}): every row of a partition ties"
                        ),
                        partition_at.0,
                    )
                    .with_note(format!(
                        "rows with different values of {ordered} never meet in one partition, so {keep} keeps an arbitrary pick of each value's rows instead of ranking them"
                    ))
                    .with_help(format!(
                        "remove {ordered} from PARTITION BY: partition by the group each ranking is within"
                    )),
                );
                return;
            }
            let columns: BTreeSet<usize> = partition
                .iter()
                .filter_map(|e| match e {
                    Expr::Column { index, .. } => Some(*index),
                    _ => None,
                })
                .collect();
            let keys = input.unique_keys();
            let Some(key) = keys.iter().find(|k| k.iter().all(|c| columns.contains(c))) else {
                return;
            };
            let names: Vec<String> = key
                .iter()
                .filter_map(|c| input.schema().fields.get(*c))
                .map(|f| format!("`{}`", f.name))
                .collect();
            let why = if names.is_empty() {
                "its input has at most one row".to_string()
            } else {
                format!(
                    "({}) identifies the rows of its input, and PARTITION BY includes {}",
                    names.join(", "),
                    if names.len() == 1 { "it" } else { "them all" }
                )
            };
            out.push(
                Diagnostic::lint(
                    ROW_NUMBER_PARTITION_KEEPS_ALL,
                    format!(
                        "every partition of this ROW_NUMBER() holds one row, so {keep} keeps every row"
                    ),
                    partition_at.0,
                )
                .with_note(why)
                .with_help(format!(
                    "partition by the group each ranking is within, without the column that tells the ranked rows apart (one of {})",
                    texts(&mut partition.iter())
                )),
            );
        });
    }
}

// ------------------------------------------------------------- month_in_time_pattern

/// The pattern with `MM` turned into `mm` where it stands between an hour and a
/// seconds field (`HH:MM`, `HHMMss`, `MM:ss`), or `None` when no `MM` is misplaced.
/// Quoted text (`'T'`) is skipped, as `SimpleDateFormat` does.
pub fn minutes_written_as_month(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    // Runs of one pattern letter: (letter, start, end) in `chars`.
    let mut runs: Vec<(char, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal text; '' is a quote.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i] == c {
                i += 1;
            }
            runs.push((c, start, i));
            continue;
        }
        i += 1;
    }
    // Between two fields: nothing, or a time separator.
    let joined = |a: &(char, usize, usize), b: &(char, usize, usize)| {
        let between: String = chars[a.2..b.1].iter().collect();
        matches!(between.as_str(), "" | ":")
    };
    let mut fixed = chars.clone();
    let mut any = false;
    for (k, run) in runs.iter().enumerate() {
        if run.0 != 'M' || run.2 - run.1 > 2 {
            continue;
        }
        let after_hour = k > 0 && "HhKk".contains(runs[k - 1].0) && joined(&runs[k - 1], run);
        let before_seconds = runs
            .get(k + 1)
            .is_some_and(|next| next.0 == 's' && joined(run, next));
        if after_hour || before_seconds {
            for c in &mut fixed[run.1..run.2] {
                *c = 'm';
            }
            any = true;
        }
    }
    any.then(|| fixed.into_iter().collect())
}

fn month_in_time_pattern(p: &TimePattern, out: &mut Diagnostics) {
    let Some(fixed) = minutes_written_as_month(&p.pattern) else {
        return;
    };
    out.push(
        Diagnostic::lint(
            MONTH_IN_TIME_PATTERN,
            format!(
                "{} pattern {} has `MM`, the month, where the minutes go",
                p.function,
                quote_str(&p.pattern)
            ),
            p.span,
        )
        .with_note(
            "in date patterns (Java's SimpleDateFormat) `MM` is the month and `mm` the minutes: 14:25:07 on 3 May is written 14:05:07",
        )
        .with_help(format!("write {}", quote_str(&fixed))),
    );
}

// ---------------------------------------------------------- string_number_comparison

fn string_number_comparison(c: &StringNumber) -> Diagnostic {
    let number = c.number_ty.kind.to_string();
    let column = code(&c.string_side);
    let d = Diagnostic::lint(
        STRING_NUMBER_COMPARISON,
        format!(
            "{column} ({}) is compared with a number, so every row's value is cast to {number}",
            c.string_ty.kind
        ),
        c.span,
    )
    .with_note(
        "a value that is not a number fails the cast (Flink stops the job, Blink gives NULL), and '03' equals 3",
    );
    let cast_once = format!(
        "a computed column {} in the table, or a view, and compare that",
        code(&format!(
            "{}_num AS CAST({} AS {number})",
            c.string_side.trim_matches(['`', '"']),
            c.string_side
        ))
    );
    match &c.quoted {
        Some(q) if !c.ordering => d.with_help(format!(
            "compare with a string literal: {} (or, to compare numbers, cast once: {cast_once})",
            code(q)
        )),
        _ => d.with_help(format!("cast once where the value is read: {cast_once}")),
    }
}

// ------------------------------------------------------- unbounded_state_without_ttl

/// An operator whose state grows with its keys.
#[derive(Clone, Copy)]
enum Stateful {
    Aggregation,
    Join,
    TopN,
}

impl Stateful {
    /// What it keeps forever, and its name in a list.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Stateful::Aggregation => (
                "this aggregation without a window keeps an accumulator for every group",
                "aggregation",
            ),
            Stateful::Join => ("this regular join keeps every row of both inputs", "join"),
            Stateful::TopN => (
                "this Top-N keeps the ranked rows of every partition",
                "Top-N",
            ),
        }
    }
}

fn unbounded_state_without_ttl(job: &Job, out: &mut Diagnostics) {
    if job.state_ttl().is_some() {
        return;
    }
    // Every stateful operator without a window: where, and what it is.
    let mut ops: Vec<(Span, Stateful)> = Vec::new();
    for p in &job.pipelines {
        p.plan.walk(&mut |node| match node {
            // A global aggregate of inserts keeps one accumulator (unless it counts
            // distinct values).
            Plan::GroupAggregate {
                input,
                keys,
                aggs,
                at,
                ..
            } if !keys.is_empty() || input.is_updating() || aggs.iter().any(|a| a.distinct) => {
                ops.push((at.0, Stateful::Aggregation));
            }
            Plan::Join { at, .. } => ops.push((at.0, Stateful::Join)),
            Plan::Rank { span, .. } => ops.push((*span, Stateful::TopN)),
            _ => {}
        });
    }
    ops.sort_by_key(|(s, _)| s.start);
    ops.dedup_by_key(|(s, _)| *s);
    let Some(((span, first), rest)) = ops.split_first() else {
        return;
    };
    let (what, _) = first.words();
    let mut d = Diagnostic::lint(
        UNBOUNDED_STATE_WITHOUT_TTL,
        format!("{what} forever: the job sets no state TTL"),
        *span,
    );
    if !rest.is_empty() {
        // "the join on line 12", or "3 joins on line 12" for one line's several.
        let mut groups: Vec<(&str, u32, usize)> = Vec::new();
        for (s, kind) in rest {
            let (_, kind) = kind.words();
            match groups.last_mut() {
                Some((k, line, n)) if *k == kind && *line == s.start.line => *n += 1,
                _ => groups.push((kind, s.start.line, 1)),
            }
        }
        let others: Vec<String> = groups
            .iter()
            .map(|(kind, line, n)| match n {
                1 => format!("the {kind} on line {line}"),
                n => format!("{n} {kind}s on line {line}"),
            })
            .collect();
        d = d.with_note(format!(
            "state grows without bound in {} too",
            others.join(", ")
        ));
    }
    if job.dialect == DialectKind::Blink {
        d = d.with_note(format!(
            "Blink sets this outside the SQL, as the job parameter `state.backend.niagara.ttl.ms` (129600000, 36 h, in Realtime Compute's defaults); streamsql reads `{STATE_TTL}` from the job or from `--set`"
        ));
    }
    out.push(d.with_help(format!(
        "add `SET '{STATE_TTL}' = '{SUGGESTED_TTL}';` to the job: the state of a key not updated for {SUGGESTED_TTL} is dropped (choose longer than a key stays active, e.g. more than a day for daily results)"
    )));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_written_as_month_is_found_between_hour_and_seconds() {
        let fix = |p: &str| minutes_written_as_month(p);
        assert_eq!(
            fix("yyyy-MM-dd HH:MM:ss").as_deref(),
            Some("yyyy-MM-dd HH:mm:ss")
        );
        assert_eq!(fix("yyyyMMddHHMMss").as_deref(), Some("yyyyMMddHHmmss"));
        assert_eq!(fix("hh:MM a").as_deref(), Some("hh:mm a"));
        assert_eq!(fix("MM:ss").as_deref(), Some("mm:ss"));
        // The month where a month is meant, quoted text, month names.
        assert_eq!(fix("yyyy-MM-dd HH:mm:ss"), None);
        assert_eq!(fix("yyyyMMddHH"), None);
        assert_eq!(fix("HH'MM'ss"), None);
        assert_eq!(fix("HH:mm, MMM dd"), None);
        assert_eq!(fix("HH MM"), None);
        assert_eq!(fix(""), None);
    }

    #[test]
    fn plan_columns_print_without_their_index() {
        let e = Expr::Call {
            func: "DATE_FORMAT".into(),
            args: vec![
                Expr::Column {
                    index: 12,
                    name: "ts".into(),
                    ty: SqlType::string(),
                },
                Expr::Literal {
                    value: crate::plan::Literal::String("#1 yyyy".into()),
                    ty: SqlType::string(),
                },
            ],
            ty: SqlType::string(),
        };
        assert_eq!(AsSql(&e).to_string(), "DATE_FORMAT(ts, '#1 yyyy')");
    }
}
