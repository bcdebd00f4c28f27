//! `streamsql explain`: the logical plan, annotated with what code generation decided.
//!
//! In: a planned [`Job`]. Out: indented text. First each source: how its messages
//! map onto columns, the JSON paths its one-pass decoder extracts per message, and
//! whether its offsets are held. Then each INSERT's plan, every node with its output
//! and changelog mode (`insert-only`, or `updating` with the unique key); under a
//! stateful node a `state:` line (what it keeps, keyed by what, for how long), under
//! a Calc that evaluates `JSON_VALUE` per row a line that says so. An operator that
//! several INSERTs share is printed once: a later INSERT's node says `shared:` and
//! where its inputs are. A job code generation cannot run gets its plan and the
//! reason.

use std::fmt::Write;

use crate::codegen::{self, Facts};
use crate::plan::{AggCall, AggFunc, Annotation, Expr, Job, Plan, STATE_TTL, WindowKind};

/// The explain text of `job`.
pub fn explain(job: &Job) -> String {
    let mut out = String::new();
    job.write_header(&mut out);
    let facts = match codegen::facts(job) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(
                out,
                "Not runnable: code generation does not support {}",
                e.0
            );
            job.write_pipelines(&mut out, &mut |_, _| Annotation::default());
            return out;
        }
    };
    for s in &facts.sources {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Source: {} (read by {})",
            s.table,
            pipelines(&s.pipelines)
        );
        let layout = match &s.message_column {
            Some(c) => format!("each message is column `{c}`"),
            None => "each message is a JSON object of the columns".to_string(),
        };
        let _ = writeln!(out, "  {layout}");
        if s.paths.is_empty() {
            let _ = writeln!(out, "  decodes: nothing (no INSERT reads a JSON field)");
        } else {
            let _ = writeln!(
                out,
                "  decodes: {} path(s) in one pass per message: {}",
                s.paths.len(),
                s.paths.join(", ")
            );
        }
        if s.holds_offsets {
            let _ = writeln!(
                out,
                "  offsets: held at the first (it feeds state that outlives a window, and state is not snapshotted)"
            );
        }
    }
    let ttl = job.state_ttl();
    job.write_pipelines(&mut out, &mut |i, node| annotate(node, i, &facts, ttl));
    out
}

/// The lines under `node` of pipeline `pipeline`.
fn annotate(node: &Plan, pipeline: usize, facts: &Facts, ttl: Option<&str>) -> Annotation {
    let mut lines = Vec::new();
    let mut inputs = true;
    if matches!(node, Plan::Sink { .. }) && facts.materialized[pipeline] {
        lines.push(
            "state: upsert materializer (Flink's SinkUpsertMaterializer): the query's rows per primary key, so that a retracted row is replaced by the latest one left"
                .to_string(),
        );
    }
    if let Plan::Calc {
        filter,
        projections,
        ..
    } = node
    {
        let mut calls = 0;
        for e in filter.iter().chain(projections) {
            e.walk(&mut |x| {
                calls += usize::from(matches!(x, Expr::Call { func, .. } if func == "JSON_VALUE"));
            });
        }
        if calls > 0 {
            lines.push(format!(
                "parses JSON per row: {calls} JSON_VALUE call(s) (a table's computed columns are decoded in one pass)"
            ));
        }
    }
    let here = facts.operators.iter().find(|f| std::ptr::eq(f.at, node));
    if let Some(f) = here {
        lines.push(format!("state: {}", state(node, ttl, f.reemits_unchanged)));
        if !f.writers.is_empty() {
            lines.push(format!(
                "sees its own writes: rows written to {} (read-your-writes)",
                f.writers.join(", ")
            ));
        }
        if f.pipelines.len() > 1 {
            lines.push(format!("shared by {}", pipelines(&f.pipelines)));
        }
    } else if let Some(f) = facts.operators.iter().find(|f| f.node == *node) {
        // An equal operator made for an earlier INSERT: this one reads its output.
        let first = f.pipelines.iter().copied().find(|p| *p != pipeline);
        lines.push(match first {
            Some(p) => format!(
                "shared: the operator of pipeline {} (its state and inputs are printed there)",
                p + 1
            ),
            None => "shared: the operator printed above".to_string(),
        });
        inputs = false;
    }
    Annotation { lines, inputs }
}

/// What a stateful node keeps, by which key, for how long.
fn state(node: &Plan, ttl: Option<&str>, reemits: Option<bool>) -> String {
    let kept = match ttl {
        Some(t) => {
            format!("a key's state is dropped {t} after its last change ({STATE_TTL})")
        }
        None => "kept for the job's life (no state TTL)".to_string(),
    };
    match node {
        Plan::WindowAggregate {
            window, keys, aggs, ..
        } => {
            let per = match &window.kind {
                WindowKind::Session { .. } => "per key, each open session",
                _ => "per window and key",
            };
            format!(
                "{per} ({}): {}; dropped when the watermark passes the window's end",
                key_list(keys),
                accumulators(aggs, false, false)
            )
        }
        Plan::GroupAggregate {
            input, keys, aggs, ..
        } => {
            let mut s = format!(
                "per key ({}): {}; {kept}",
                key_list(keys),
                accumulators(aggs, input.is_updating(), true)
            );
            match (ttl, reemits) {
                (Some(_), Some(true)) => s.push_str(
                    "; an unchanged result is re-emitted (-U/+U) to keep the state above alive",
                ),
                (Some(_), Some(false)) => s.push_str(
                    "; an unchanged result is not re-emitted: only a keyed store reads it",
                ),
                _ => {}
            }
            s
        }
        Plan::Join {
            left,
            right,
            kind,
            equi_keys,
            ..
        } => {
            let side = |p: &Plan, cols: Vec<usize>| {
                let names: Vec<&str> = cols
                    .iter()
                    .filter_map(|c| p.schema().fields.get(*c).map(|f| f.name.as_str()))
                    .collect();
                format!("[{}]", names.join(", "))
            };
            let outer = match kind {
                crate::plan::JoinKind::Inner => "",
                _ => ", with each outer row's number of matches",
            };
            format!(
                "each input's rows as multisets by join key: left {}, right {}{outer}; {kept}",
                side(left, equi_keys.iter().map(|(l, _)| *l).collect()),
                side(right, equi_keys.iter().map(|(_, r)| *r).collect()),
            )
        }
        Plan::Rank {
            input,
            partition,
            limit,
            ..
        } => {
            let rows = match (limit, input.is_updating()) {
                (None, _) => "every row".to_string(),
                (Some(_), true) => {
                    "every row (an updating input: a retraction lets the next row move up)"
                        .to_string()
                }
                (Some(n), false) => format!("the top {n} rows (later rows below them are dropped)"),
            };
            format!(
                "per partition ({}): {rows} in order; {kept}",
                key_list(partition)
            )
        }
        Plan::LookupJoin { table, .. } => {
            const CACHE: &[&str] = &[
                "lookup.cache",
                "lookup.partial-cache.max-rows",
                "lookup.partial-cache.expire-after-write",
                "lookup.partial-cache.expire-after-access",
                "lookup.cache.max-rows",
                "lookup.cache.ttl",
                "cache",
                "cacheSize",
                "cacheTTLMs",
            ];
            let cache: Vec<String> = table
                .options
                .iter()
                .filter(|(k, _)| CACHE.iter().any(|c| c.eq_ignore_ascii_case(k)))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let cache = if cache.is_empty() {
                "no cache".to_string()
            } else {
                format!("cache {}", cache.join(", "))
            };
            format!(
                "a batch's rows until their keys are looked up (one query per batch of distinct keys); {cache}"
            )
        }
        _ => "none".to_string(),
    }
}

fn key_list(keys: &[Expr]) -> String {
    if keys.is_empty() {
        return "one, no GROUP BY key".to_string();
    }
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the accumulators of `aggs` hold (`retract`: the input has retractions;
/// `counted`: the operator counts its rows, to know when a key is empty).
fn accumulators(aggs: &[AggCall], retract: bool, counted: bool) -> String {
    let mut running = Vec::new();
    let mut sets = Vec::new();
    for a in aggs {
        let arg = a
            .args
            .first()
            .map(|x| x.to_string())
            .unwrap_or_else(|| "*".to_string());
        let call = a.to_string();
        let keeps_values = retract
            && matches!(
                a.func,
                AggFunc::Min
                    | AggFunc::Max
                    | AggFunc::FirstValue
                    | AggFunc::LastValue
                    | AggFunc::ListAgg
            );
        if a.distinct {
            let counts = if retract { " with their counts" } else { "" };
            sets.push(format!("{call}: the distinct values of {arg}{counts}"));
        } else if keeps_values {
            sets.push(format!(
                "{call}: every value of {arg} with its count, to retract"
            ));
        } else {
            running.push(call);
        }
    }
    let mut parts = Vec::new();
    if counted {
        parts.push("a row count".to_string());
    }
    if !running.is_empty() {
        parts.push(format!("running {}", running.join(", ")));
    }
    parts.extend(sets);
    parts.join("; ")
}

fn pipelines(ps: &[usize]) -> String {
    let n: Vec<String> = ps.iter().map(|p| (p + 1).to_string()).collect();
    match n.len() {
        1 => format!("pipeline {}", n[0]),
        _ => format!("pipelines {}", n.join(", ")),
    }
}
