//! Typing literals for their subject and operator (decision D6), with diagnostics.

use super::ast::{Field, Op, Subject, Typed};
use super::pattern::{Pattern, glob_look};
use crate::diagnostic::{Diagnostic, Span};
use crate::time::Timestamp;

/// Dotted numeric components of a version literal (`1.14.5`); strict.
pub fn parse_version_literal(text: &str) -> Option<Vec<u64>> {
    text.split('.')
        .map(|part| {
            (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        })
        .collect()
}

/// Dotted numeric components of an instance's agent version, leniently (`1.14.5-beta` reads as
/// `1.14.5`): each component contributes its leading digits; a component without any makes the
/// version unreadable.
pub fn parse_agent_version(text: &str) -> Option<Vec<u64>> {
    let text = text.trim_start_matches(['v', 'V']);
    text.split('.')
        .map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Compares dotted versions component-wise; missing components count as 0 (`1.14` = `1.14.0`).
pub fn compare_versions(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    (0..len)
        .map(|i| a.get(i).copied().unwrap_or(0).cmp(&b.get(i).copied().unwrap_or(0)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// A decimal number (`42`, `-1.5`, `.5`); no exponents, no `inf`/`nan`.
pub fn parse_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty()) && !body.ends_with('.');
    if valid { crate::decimal::parse_f64(text) } else { None }
}

/// Converts a literal for `subject op literal`, or explains why it cannot be compared.
/// Warnings (a glob-looking pattern, `agentConnected == yes`) are pushed to `warnings`.
pub fn type_literal(
    subject: &Subject,
    op: Op,
    text: &str,
    span: &Span,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Typed, Box<Diagnostic>> {
    if op.is_pattern() {
        return type_pattern(text, span, warnings);
    }
    match subject {
        Subject::Field { field, .. } => type_field_literal(*field, op, text, span, warnings),
        Subject::Attribute { .. } | Subject::TaskGroup if op.is_ordering() => {
            Ok(parse_number(text).map_or(Typed::Text, Typed::Number))
        }
        Subject::Attribute { .. } | Subject::TaskGroup => Ok(Typed::Text),
    }
}

fn type_field_literal(
    field: Field,
    op: Op,
    text: &str,
    span: &Span,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Typed, Box<Diagnostic>> {
    match field {
        Field::RunningTasksCount => text.parse().map(Typed::Integer).map_err(|_| {
            Box::new(
                Diagnostic::error(
                    "invalid-integer",
                    format!("`{text}` is not a whole number"),
                    span.clone(),
                )
                .with_help("`runningTasksCount` is compared with a whole number, e.g. `runningTasksCount == 1`"),
            )
        }),
        Field::RegisteredAt => {
            Timestamp::parse(text).map(Typed::Instant).ok_or_else(|| {
                Box::new(Diagnostic::error("invalid-date", format!("`{text}` is not a date"), span.clone()).with_help(
                "write `2018-06-18`, `2018-06-18T22:28:28`, `2018-06-18T22:28:28Z` or `2018-06-18T22:28:28+00:00`",
            ))
            })
        }
        Field::AgentVersion if op.is_ordering() => parse_version_literal(text).map(Typed::Version).ok_or_else(|| {
            Box::new(
                Diagnostic::error("invalid-version", format!("`{text}` is not a version"), span.clone())
                    .with_help("agent versions are compared component by component; write one like `1.14.5`"),
            )
        }),
        Field::AgentConnected => {
            if text != "true" && text != "false" {
                warnings.push(
                    Diagnostic::warning(
                        "never-matches",
                        format!("`agentConnected` is `true` or `false`, so `{text}` never matches"),
                        span.clone(),
                    )
                    .with_help("compare with `true` or `false`"),
                );
            }
            Ok(Typed::Text)
        }
        Field::AgentVersion | Field::Ec2InstanceId => Ok(Typed::Text),
    }
}

fn type_pattern(text: &str, span: &Span, warnings: &mut Vec<Diagnostic>) -> Result<Typed, Box<Diagnostic>> {
    let glob = glob_look(text);
    match Pattern::compile(text) {
        Ok(pattern) => {
            if let Some(glob) = glob {
                warnings.push(glob_warning(text, span, &glob));
            }
            Ok(Typed::Pattern(pattern))
        }
        Err(message) => {
            let mut diagnostic = Diagnostic::error("invalid-regex", message, span.clone());
            if let Some(glob) = glob {
                diagnostic = diagnostic
                    .with_help(format!(
                        "`=~` takes a regular expression, not a glob: to match anything there write `{}`",
                        glob.suggestion
                    ))
                    .with_suggestion(span.clone(), glob.suggestion);
            }
            Err(Box::new(diagnostic))
        }
    }
}

fn glob_warning(text: &str, span: &Span, glob: &super::pattern::GlobLook) -> Diagnostic {
    let matched = match glob.examples.as_slice() {
        [] => String::new(),
        examples => {
            let list: Vec<String> = examples.iter().map(|e| format!("`{e}`")).collect();
            format!(": it matches {}, ...", list.join(", "))
        }
    };
    let missed = glob
        .missed
        .as_ref()
        .map(|m| format!(" but not `{m}`"))
        .unwrap_or_default();
    Diagnostic::warning(
        "glob-pattern",
        format!(
            "`{text}` reads like a shell glob, but `=~` takes a regular expression that must match the whole value{matched}{missed}"
        ),
        span.clone(),
    )
    .with_help(format!(
        "in a regular expression `*` repeats the character before it; to match anything there write `{}`",
        glob.suggestion
    ))
    .with_suggestion(span.clone(), glob.suggestion.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn versions_compare_numerically() {
        let a = parse_version_literal("1.9.0").unwrap();
        let b = parse_version_literal("1.14.5").unwrap();
        assert_eq!(compare_versions(&a, &b), Ordering::Less);
        assert_eq!(compare_versions(&[1, 14], &[1, 14, 0]), Ordering::Equal);
        assert_eq!(parse_agent_version("1.14.5-beta"), Some(vec![1, 14, 5]));
        assert_eq!(parse_version_literal("1.x"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("42"), Some(42.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number(".5"), Some(0.5));
        for bad in ["", ".", "1.", "1e5", "inf", "NaN", "1.2.3", "+"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }
}
