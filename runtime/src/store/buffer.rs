//! The write buffer of a store sink: changes coalesced per primary key.
//!
//! In: typed changes in arrival order. Out: at flush time, one pending write per
//! distinct key — the last change of that key wins — as an upsert or a delete (Flink's
//! upsert semantics: `+I`/`+U` upsert, `-D` deletes, and `-U` deletes unless a `+U` of
//! the same key follows it, which then replaces it). A table without a primary key is
//! append only: every `+I` is kept, in order.

use super::change::{Change, Schema};
use crate::RowKind;
use std::collections::HashMap;

/// What a pending write does to its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Insert, or replace the row with this key.
    Upsert,
    /// Delete the row with this key.
    Delete,
}

/// One write waiting for the next flush.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub action: Action,
    pub change: Change,
    /// The line the job wrote (what the dead-letter output shows if it is rejected).
    pub line: String,
}

/// Pending writes, at most one per key.
#[derive(Debug, Default)]
pub struct Buffer {
    keyed: bool,
    index: HashMap<Vec<u8>, usize>,
    entries: Vec<Pending>,
    /// Changes folded into an entry that was already there (what coalescing saved).
    pub coalesced: u64,
    /// The key of the change being pushed (reused: no allocation per change).
    key_buf: Vec<u8>,
}

impl Buffer {
    pub fn new(schema: &Schema) -> Buffer {
        Buffer {
            keyed: !schema.key.is_empty(),
            ..Buffer::default()
        }
    }

    /// Adds a change; the reason if it cannot be applied (an update or delete for a
    /// table without a primary key: there is nothing to find the row by).
    ///
    /// ```
    /// use streamsql_runtime::store::{parse_change, Action, Buffer, ColType, Column, Schema};
    /// let schema = Schema {
    ///     columns: vec![Column { name: "k".into(), ty: ColType::Int(32), not_null: true },
    ///                   Column { name: "v".into(), ty: ColType::Int(32), not_null: false }],
    ///     key: vec![0],
    /// };
    /// let mut b = Buffer::new(&schema);
    /// for l in [r#"{"op":"+I","k":1,"v":1}"#, r#"{"op":"-U","k":1,"v":1}"#,
    ///           r#"{"op":"+U","k":1,"v":2}"#, r#"{"op":"+I","k":2,"v":5}"#,
    ///           r#"{"op":"-D","k":2,"v":5}"#] {
    ///     b.push(parse_change(l.as_bytes(), &schema).unwrap(), l, &schema).unwrap();
    /// }
    /// let w = b.take();
    /// assert_eq!(w.len(), 2);
    /// assert_eq!((w[0].action, w[0].line.as_str()), (Action::Upsert, r#"{"op":"+U","k":1,"v":2}"#));
    /// assert_eq!(w[1].action, Action::Delete);
    /// ```
    pub fn push(&mut self, change: Change, line: &str, schema: &Schema) -> Result<(), String> {
        let action = match change.kind {
            RowKind::Insert | RowKind::UpdateAfter => Action::Upsert,
            RowKind::UpdateBefore | RowKind::Delete => Action::Delete,
        };
        if !self.keyed {
            if action == Action::Delete {
                return Err(format!(
                    "a {} row for a table without a PRIMARY KEY: there is no key to find the row by",
                    change.kind.short()
                ));
            }
            self.entries.push(Pending {
                action,
                change,
                line: line.to_string(),
            });
            return Ok(());
        }
        // Most changes replace a waiting one of the same key: the key goes into a
        // reused buffer and the entry's line keeps its allocation.
        let mut key = std::mem::take(&mut self.key_buf);
        change.write_key(schema, &mut key);
        match self.index.get(key.as_slice()) {
            Some(&i) => {
                let e = &mut self.entries[i];
                e.action = action;
                e.change = change;
                e.line.clear();
                e.line.push_str(line);
                self.coalesced += 1;
            }
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push(Pending {
                    action,
                    change,
                    line: line.to_string(),
                });
            }
        }
        self.key_buf = key;
        Ok(())
    }

    /// Distinct keys (rows, for an append-only table) waiting.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pending writes, in the order their keys first arrived; the buffer is empty
    /// afterwards.
    pub fn take(&mut self) -> Vec<Pending> {
        self.index.clear();
        std::mem::take(&mut self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::change::{ColType, Column, parse_change};

    fn schema(key: Vec<usize>) -> Schema {
        Schema {
            columns: vec![
                Column {
                    name: "k".into(),
                    ty: ColType::Str(None),
                    not_null: true,
                },
                Column {
                    name: "v".into(),
                    ty: ColType::Int(64),
                    not_null: false,
                },
            ],
            key,
        }
    }

    fn push(b: &mut Buffer, s: &Schema, line: &str) -> Result<(), String> {
        b.push(parse_change(line.as_bytes(), s).unwrap(), line, s)
    }

    #[test]
    fn many_changes_of_one_key_are_one_write() {
        let s = schema(vec![0]);
        let mut b = Buffer::new(&s);
        for v in 0..100 {
            push(&mut b, &s, &format!(r#"{{"op":"+U","k":"a","v":{v}}}"#)).unwrap();
        }
        assert_eq!(b.len(), 1);
        assert_eq!(b.coalesced, 99);
        let w = b.take();
        assert_eq!(w[0].change.values[1], crate::store::Value::Int(99));
        assert!(b.is_empty());
    }

    #[test]
    fn a_lone_update_before_deletes_and_an_insert_after_a_delete_wins() {
        let s = schema(vec![0]);
        let mut b = Buffer::new(&s);
        push(&mut b, &s, r#"{"op":"-U","k":"a","v":1}"#).unwrap();
        push(&mut b, &s, r#"{"op":"-D","k":"b","v":1}"#).unwrap();
        push(&mut b, &s, r#"{"op":"+I","k":"b","v":2}"#).unwrap();
        let w = b.take();
        assert_eq!(
            w.iter().map(|p| p.action).collect::<Vec<_>>(),
            [Action::Delete, Action::Upsert]
        );
    }

    #[test]
    fn without_a_key_rows_append_and_deletes_are_refused() {
        let s = schema(vec![]);
        let mut b = Buffer::new(&s);
        push(&mut b, &s, r#"{"k":"a","v":1}"#).unwrap();
        push(&mut b, &s, r#"{"k":"a","v":1}"#).unwrap();
        assert!(
            push(&mut b, &s, r#"{"op":"-D","k":"a","v":1}"#)
                .unwrap_err()
                .contains("PRIMARY KEY")
        );
        assert_eq!(b.len(), 2);
    }
}
