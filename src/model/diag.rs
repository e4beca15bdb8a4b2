//! Problems found in the content, as values.
//!
//! Loading never stops at the first problem: every step pushes what it finds
//! into a [`Diagnostics`] list so that an author fixes a whole batch per run,
//! the way a compiler reports every error it can.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A place in a content file. Lines and columns count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
    pub fn new(line: u32, column: u32) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
/// Whether a problem stops a build (an error) or is only reported (a
/// warning). Not a nonconformity's `Severity` (major or minor).
pub enum ProblemKind {
    Error,
    Warning,
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub pos: Pos,
    pub severity: ProblemKind,
    pub message: String,
    pub hint: Option<String>,
}

/// The JSON shape of `check --format json`, fixed by the spec.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: u32,
    column: u32,
    severity: ProblemKind,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// Everything found so far, errors and warnings together.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, file: &Path, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.push(file, pos, ProblemKind::Error, message)
    }

    pub fn warning(
        &mut self,
        file: &Path,
        pos: Pos,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(file, pos, ProblemKind::Warning, message)
    }

    fn push(
        &mut self,
        file: &Path,
        pos: Pos,
        severity: ProblemKind,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            file: file.to_path_buf(),
            pos,
            severity,
            message: message.into(),
            hint: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == ProblemKind::Error)
    }

    pub fn count(&self, severity: ProblemKind) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position so that output is stable whatever order
    /// the (parallel) loader found the problems in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.pos.line, a.pos.column, a.severity, &a.message).cmp(&(
                &b.file,
                b.pos.line,
                b.pos.column,
                b.severity,
                &b.message,
            ))
        });
        v
    }

    /// `path:line:column: message`, a hint line, one per problem, then a count.
    pub fn render_human(&self, errors_only: bool) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            if errors_only && d.severity != ProblemKind::Error {
                continue;
            }
            let label = match d.severity {
                ProblemKind::Error => "",
                ProblemKind::Warning => "warning: ",
            };
            let _ = writeln!(
                out,
                "{}:{}:{}: {}{}",
                shown(&d.file),
                d.pos.line,
                d.pos.column,
                label,
                terminal_safe(&d.message)
            );
            if let Some(hint) = &d.hint {
                // Hints may span lines on purpose (Tera's report); each line
                // is made safe on its own.
                let lines: Vec<_> = hint.split('\n').map(terminal_safe).collect();
                let _ = writeln!(out, "  hint: {}", lines.join("\n"));
            }
        }
        let _ = writeln!(out, "{}", self.summary(errors_only));
        out
    }

    pub fn summary(&self, errors_only: bool) -> String {
        let e = self.count(ProblemKind::Error);
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if errors_only {
            plural(e, "error")
        } else {
            format!(
                "{}, {}",
                plural(e, "error"),
                plural(self.count(ProblemKind::Warning), "warning")
            )
        }
    }

    pub fn render_json(&self) -> String {
        let list: Vec<JsonDiagnostic> = self
            .sorted()
            .into_iter()
            .map(|d| JsonDiagnostic {
                file: d.file.display().to_string(),
                line: d.pos.line,
                column: d.pos.column,
                severity: d.severity,
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect();
        serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Text for a terminal, with every control character shown as an escape
/// (`\u{1b}`) instead of sent: a key or file name from the content could
/// otherwise retitle, clear or reprogram the author's terminal, or reorder
/// what is shown with bidirectional overrides. JSON output has its own
/// escaping and does not use this.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path as [`terminal_safe`] text.
pub fn shown(path: &Path) -> String {
    terminal_safe(&path.display().to_string()).into_owned()
}

/// C0 (newline and tab included), DEL and C1 controls, and the Unicode
/// bidirectional embeddings, overrides and isolates.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Diagnostic {
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}
