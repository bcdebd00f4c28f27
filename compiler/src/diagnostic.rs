//! Diagnostics: what every stage reports instead of panicking.
//!
//! In: a message, a [`Span`] over the SQL text, notes, a help line, and for warnings
//! the lint that found them. Out: rustc-style text (`error: ...` or
//! `warning[lint]: ...`, `--> file:line:col`, the SQL line, a caret under the token)
//! from [`Diagnostic::render`].
//!
//! Spans are line/column positions (1-based, columns counted in characters), the
//! same coordinates `sqlparser` gives every token, so a span from any stage can be
//! rendered against the original text without re-lexing it.

use std::fmt;

/// A position in the SQL text: 1-based line and character column.
/// `line == 0` means "no position known" (rendered without a snippet).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A half-open range `[start, end)` of the SQL text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const NONE: Span = Span {
        start: Pos { line: 0, col: 0 },
        end: Pos { line: 0, col: 0 },
    };

    pub fn is_none(&self) -> bool {
        self.start.line == 0
    }

    /// The smallest span covering both; an unknown span yields the other.
    pub fn union(self, other: Span) -> Span {
        if self.is_none() {
            return other;
        }
        if other.is_none() {
            return self;
        }
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// `self` if known, else `fallback`.
    pub fn or(self, fallback: Span) -> Span {
        if self.is_none() { fallback } else { self }
    }
}

impl From<sqlparser::tokenizer::Span> for Span {
    fn from(s: sqlparser::tokenizer::Span) -> Self {
        Span {
            start: Pos {
                line: s.start.line as u32,
                col: s.start.column as u32,
            },
            end: Pos {
                line: s.end.line as u32,
                col: s.end.column as u32,
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the SQL, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Extra context, each rendered as `= note: ...`.
    pub notes: Vec<String>,
    /// A suggested fix, rendered as `= help: ...`.
    pub help: Option<String>,
    /// The lint that found it (`warning[name]: ...`), for warnings from [`crate::lint`].
    pub lint: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            notes: Vec::new(),
            help: None,
            lint: None,
        }
    }

    pub fn warning(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    /// A warning found by the lint `name` (rendered `warning[name]: ...`).
    pub fn lint(name: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            lint: Some(name),
            ..Diagnostic::warning(message, span)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders rustc-style against the source the span refers to.
    pub fn render(&self, file: &SourceFile<'_>) -> String {
        let mut out = String::new();
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.lint {
            Some(name) => out.push_str(&format!("{level}[{name}]: {}\n", self.message)),
            None => out.push_str(&format!("{level}: {}\n", self.message)),
        }
        let line_text = file.line(self.span.start.line);
        match line_text {
            Some(text) if !self.span.is_none() => {
                let Pos { line, col } = self.span.start;
                let gutter = line.to_string().len();
                let pad = " ".repeat(gutter);
                out.push_str(&format!("{pad}--> {}:{line}:{col}\n", file.name));
                out.push_str(&format!("{pad} |\n"));
                let text = text.trim_end();
                out.push_str(&format!("{line} | {}\n", text.replace('\t', " ")));
                let width = text.chars().count() as u32;
                let start = col.max(1).min(width + 1);
                let end = if self.span.end.line == line && self.span.end.col > start {
                    self.span.end.col.min(width + 1)
                } else {
                    // Multi-line or empty span: underline to the end of the word.
                    let rest: String = text.chars().skip(start as usize - 1).collect();
                    let word = rest
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .count()
                        .max(1);
                    start + word as u32
                };
                let carets = "^".repeat((end.saturating_sub(start)).max(1) as usize);
                // Wide (CJK) characters take two columns in a terminal.
                let lead_width: usize = text.chars().take(start as usize - 1).map(char_width).sum();
                out.push_str(&format!("{pad} | {}{carets}\n", " ".repeat(lead_width)));
            }
            _ => {
                out.push_str(&format!(" --> {}\n", file.name));
            }
        }
        for note in &self.notes {
            out.push_str(&format!(" = note: {note}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!(" = help: {help}\n"));
        }
        out
    }
}

fn char_width(c: char) -> usize {
    // East Asian wide ranges that appear in the seeds' comments and literals.
    let u = c as u32;
    if (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
    {
        2
    } else {
        1
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// The SQL text a span points into, with the name used in `-->` lines.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> SourceFile<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        SourceFile { name, text }
    }

    /// The 1-based line `n`, without its line ending.
    pub fn line(&self, n: u32) -> Option<&'a str> {
        if n == 0 {
            return None;
        }
        self.text.split('\n').nth(n as usize - 1)
    }
}

/// All diagnostics of one compilation, errors and warnings, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// `--deny-warnings`: every warning becomes an error (rendered `error[lint]: ...`).
    pub fn deny_warnings(mut self) -> Diagnostics {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
        self
    }

    /// Sorts by position so the rendering reads top to bottom.
    pub fn sort(&mut self) {
        self.0
            .sort_by_key(|d| (d.span.start, d.severity, d.message.clone()));
        self.0.dedup();
    }

    /// Every diagnostic rendered, separated by blank lines, with a summary line.
    pub fn render(&self, file: &SourceFile<'_>) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(file));
            out.push('\n');
        }
        let errors = self.errors().count();
        let warnings = self.0.len() - errors;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if warnings > 0 {
            out.push_str(&format!(
                "warning: `{}` generated {warnings} warning{}\n",
                file.name,
                plural(warnings)
            ));
        }
        if errors > 0 {
            out.push_str(&format!(
                "error: could not compile `{}` due to {errors} previous error{}\n",
                file.name,
                plural(errors)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn span(line: u32, col: u32, end: u32) -> Span {
        Span {
            start: Pos { line, col },
            end: Pos { line, col: end },
        }
    }

    #[test]
    fn caret_under_the_token_after_wide_characters() {
        let sql = "SELECT '测试', x\nFROM t";
        let d =
            Diagnostic::error("unknown column `x`", span(1, 14, 15)).with_help("did you mean `y`?");
        expect![[r#"
            error: unknown column `x`
             --> job.sql:1:14
              |
            1 | SELECT '测试', x
              |                ^
             = help: did you mean `y`?
        "#]]
        .assert_eq(&d.render(&SourceFile::new("job.sql", sql)));
    }

    #[test]
    fn multi_line_span_underlines_the_first_word_and_unknown_span_has_no_snippet() {
        let sql = "a\n  CASE WHEN x\n  END";
        let d = Diagnostic::error(
            "bad case",
            Span {
                start: Pos { line: 2, col: 3 },
                end: Pos { line: 3, col: 6 },
            },
        )
        .with_note("a note");
        expect![[r#"
            error: bad case
             --> job.sql:2:3
              |
            2 |   CASE WHEN x
              |   ^^^^
             = note: a note
        "#]]
        .assert_eq(&d.render(&SourceFile::new("job.sql", sql)));
        let nowhere = Diagnostic::warning("somewhere", Span::NONE);
        expect![[r#"
            warning: somewhere
             --> job.sql
        "#]]
        .assert_eq(&nowhere.render(&SourceFile::new("job.sql", sql)));
    }

    #[test]
    fn diagnostics_sort_by_position_and_count_errors() {
        let mut ds = Diagnostics::default();
        ds.push(Diagnostic::error("second", span(2, 1, 2)));
        ds.push(Diagnostic::warning("first", span(1, 1, 2)));
        ds.push(Diagnostic::error("second", span(2, 1, 2)));
        ds.sort();
        let messages: Vec<&str> = ds.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["first", "second"]);
        assert!(
            ds.render(&SourceFile::new("j", "a\nb"))
                .ends_with("due to 1 previous error\n")
        );
    }
}
