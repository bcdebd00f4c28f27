//! A JSON object writer that keeps field order and types exactly as built, and can
//! spoil one field on purpose (remove it, make it null, give it the wrong type).

use super::Rng;
use std::fmt;

#[derive(Clone, Debug)]
enum Value {
    Str(String),
    Num(i64),
    Null,
    Obj(Obj),
}

#[derive(Clone, Debug, Default)]
pub struct Obj {
    fields: Vec<(String, Value)>,
}

impl Obj {
    pub fn new() -> Self {
        Obj::default()
    }
    pub fn s(mut self, k: &str, v: &str) -> Self {
        self.fields.push((k.into(), Value::Str(v.into())));
        self
    }
    pub fn n(mut self, k: &str, v: i64) -> Self {
        self.fields.push((k.into(), Value::Num(v)));
        self
    }
    pub fn null(mut self, k: &str) -> Self {
        self.fields.push((k.into(), Value::Null));
        self
    }
    pub fn o(mut self, k: &str, v: Obj) -> Self {
        self.fields.push((k.into(), Value::Obj(v)));
        self
    }

    /// A random field at any depth: the path of indexes to it.
    fn random_path(&self, rng: &mut Rng) -> Vec<usize> {
        let mut path = Vec::new();
        let mut cur = self;
        loop {
            if cur.fields.is_empty() {
                return path;
            }
            let i = rng.below(cur.fields.len() as u64) as usize;
            path.push(i);
            match &cur.fields[i].1 {
                // Descend half the time, so nested fields get spoiled too.
                Value::Obj(o) if rng.chance(0.5) && !o.fields.is_empty() => cur = o,
                _ => return path,
            }
        }
    }

    fn at(&mut self, path: &[usize]) -> Option<(&mut Obj, usize)> {
        let (last, init) = path.split_last()?;
        let mut cur = self;
        for i in init {
            match &mut cur.fields[*i].1 {
                Value::Obj(o) => cur = o,
                _ => return None,
            }
        }
        Some((cur, *last))
    }

    pub fn remove_random(&mut self, rng: &mut Rng) {
        let path = self.random_path(rng);
        if let Some((o, i)) = self.at(&path) {
            o.fields.remove(i);
        }
    }

    pub fn null_random(&mut self, rng: &mut Rng) {
        let path = self.random_path(rng);
        if let Some((o, i)) = self.at(&path) {
            o.fields[i].1 = Value::Null;
        }
    }

    /// Strings become numbers or words that do not parse as numbers; numbers become
    /// strings; objects become scalars.
    pub fn retype_random(&mut self, rng: &mut Rng) {
        let path = self.random_path(rng);
        let choice = rng.below(3);
        if let Some((o, i)) = self.at(&path) {
            let v = &mut o.fields[i].1;
            *v = match v {
                Value::Str(_) if choice == 0 => Value::Num(-7),
                Value::Str(_) => {
                    Value::Str(["abc", "1e999", "12.5x", "true"][choice as usize].into())
                }
                Value::Num(n) => Value::Str(format!("{n}!")),
                Value::Obj(_) => Value::Str("{not an object}".into()),
                Value::Null => Value::Num(0),
            };
        }
    }
}

fn write_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write_str(f, k)?;
            f.write_str(":")?;
            match v {
                Value::Str(s) => write_str(f, s)?,
                Value::Num(n) => write!(f, "{n}")?,
                Value::Null => f.write_str("null")?,
                Value::Obj(o) => write!(f, "{o}")?,
            }
        }
        f.write_str("}")
    }
}
