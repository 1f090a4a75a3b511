//! Diagnostics as data: severity, message, the byte span they are about, labels and help.
//!
//! Rendering is separate from the data: [`render_plain`] draws the source line with carets for
//! terminals; the web page draws squiggles from the same spans.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::ops::Range;

/// A byte range into the source text (`start..end`, UTF-8 offsets).
pub type Span = Range<usize>;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The expression cannot be used.
    Error,
    /// The expression works, but probably not as intended.
    Warning,
}

/// A secondary span with a short message ("opened here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Label {
    /// The byte range the label points at.
    pub span: Span,
    /// What the label says.
    pub message: String,
}

/// A machine-applicable fix: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The byte range to replace.
    pub span: Span,
    /// The text to put there.
    pub replacement: String,
}

/// One problem found in a piece of source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case identifier of the kind of problem (e.g. `expected-value`).
    pub code: String,
    /// The one-line message.
    pub message: String,
    /// The byte range the message is about.
    pub span: Span,
    /// Further spans worth pointing at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    /// A help line, where one helps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// A fix that can be applied automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    /// A new error about `span`.
    pub fn error(code: &str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Error, code, message, span)
    }

    /// A new warning about `span`.
    pub fn warning(code: &str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Warning, code, message, span)
    }

    fn new(severity: Severity, code: &str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a machine-applicable replacement.
    pub fn with_suggestion(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Renders diagnostics as plain text with the source line and carets under the span.
///
/// ```text
/// error: `=` is not an operator; did you mean `==`?
///   |
/// 1 | attribute:color = blue
///   |                 ^
///   = help: CQL compares with `==` (or `equals`)
/// ```
pub fn render_plain(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        render_one(&mut out, source, diagnostic);
    }
    out
}

fn render_one(out: &mut String, source: &str, diagnostic: &Diagnostic) {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{severity}: {}", diagnostic.message);
    let lines = LineIndex::new(source);
    let gutter = lines.gutter_width();
    let _ = writeln!(out, "{:gutter$} |", "");
    draw_span(out, source, &lines, &diagnostic.span, "", gutter);
    for label in &diagnostic.labels {
        draw_span(out, source, &lines, &label.span, &label.message, gutter);
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{:gutter$} = help: {help}", "");
    }
    if let Some(fix) = &diagnostic.suggestion {
        match fix.replacement.as_str() {
            "" => writeln!(out, "{:gutter$} = fix: remove it", ""),
            text => writeln!(out, "{:gutter$} = fix: `{text}`", ""),
        }
        .ok();
    }
}

/// Lines longer than this are shown as a window around the span.
const WINDOW: usize = 100;

fn draw_span(out: &mut String, source: &str, lines: &LineIndex, span: &Span, note: &str, gutter: usize) {
    let (line_no, line_start, line_text) = lines.line_of(source, span.start);
    let line_end = line_start + line_text.len();
    let before = source.get(line_start..span.start.min(line_end)).unwrap_or("");
    let covered = source
        .get(span.start.min(line_end)..span.end.min(line_end).max(span.start))
        .unwrap_or("");
    let chars: Vec<char> = line_text.chars().collect();
    let caret_at = before.chars().count();
    let first = if chars.len() > WINDOW {
        caret_at.saturating_sub(WINDOW / 3)
    } else {
        0
    };
    let last = (first + WINDOW).min(chars.len());
    let lead = if first > 0 { "…" } else { "" };
    let tail = if last < chars.len() { "…" } else { "" };
    let shown: String = chars.get(first..last).unwrap_or_default().iter().collect();
    let pad = caret_at - first + lead.chars().count();
    let width = covered
        .chars()
        .count()
        .clamp(1, (last + 1).saturating_sub(caret_at).max(1));
    let _ = writeln!(out, "{line_no:>gutter$} | {lead}{shown}{tail}");
    let carets = "^".repeat(width);
    let sep = if note.is_empty() { "" } else { " " };
    let _ = writeln!(out, "{:gutter$} | {:pad$}{carets}{sep}{note}", "", "");
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn gutter_width(&self) -> usize {
        self.starts.len().to_string().len()
    }

    /// Returns (1-based line number, byte start of the line, the line's text without newline).
    fn line_of<'a>(&self, source: &'a str, offset: usize) -> (usize, usize, &'a str) {
        let index = self.starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.starts.get(index).copied().unwrap_or(0);
        let rest = source.get(start..).unwrap_or("");
        let text = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
        (index + 1, start, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_span() {
        let source = "attribute:color = blue";
        let d = Diagnostic::error("single-equals", "`=` is not an operator; did you mean `==`?", 16..17)
            .with_help("CQL compares with `==`");
        let text = render_plain(source, &[d]);
        assert_eq!(
            text,
            "error: `=` is not an operator; did you mean `==`?\n  |\n1 | attribute:color = blue\n  |                 ^\n  = help: CQL compares with `==`\n"
        );
    }

    #[test]
    fn span_at_end_of_input_draws_one_caret() {
        let text = render_plain("a ==", &[Diagnostic::error("x", "m", 4..4)]);
        assert!(text.contains("  |     ^"), "{text}");
    }

    #[test]
    fn multi_line_source_picks_the_right_line() {
        let source = "a == b and\n  c = d";
        let text = render_plain(source, &[Diagnostic::error("x", "m", 15..16)]);
        assert!(text.contains("2 |   c = d\n  |     ^"), "{text}");
    }
}
