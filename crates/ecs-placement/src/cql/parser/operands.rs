//! Operands: the value of a comparison, a bracketed list for `in`, nothing for `exists`; and
//! the checks that need the whole comparison.

use super::{Lexeme, Parser, Token, unquote};
use crate::cql::ast::{Arity, Comparison, Literal, Op, Operand, Subject};
use crate::cql::value::type_literal;
use crate::diagnostic::{Diagnostic, Span};

impl Parser<'_> {
    pub(super) fn parse_operand(&mut self, subject: Option<&Subject>, op: Op, op_span: &Span) -> Option<Operand> {
        match op.arity() {
            Arity::Nullary => self.parse_no_value(op_span),
            Arity::Scalar => self.parse_scalar(subject, op, op_span).map(Operand::Scalar),
            Arity::List => self.parse_list(subject, op, op_span),
        }
    }

    fn parse_no_value(&mut self, op_span: &Span) -> Option<Operand> {
        match self.current() {
            Some(l) if matches!(l.token, Token::Word | Token::SingleQuoted | Token::DoubleQuoted) => {
                let op = self.text(op_span);
                self.error(
                    Diagnostic::error("unexpected-value", format!("`{op}` takes no value"), l.span.clone())
                        .with_suggestion(l.span, ""),
                );
                self.pos += 1;
                None
            }
            _ => Some(Operand::None),
        }
    }

    fn parse_scalar(&mut self, subject: Option<&Subject>, op: Op, op_span: &Span) -> Option<Literal> {
        let op_text = self.text(op_span);
        let Some(lexeme) = self.current() else {
            self.report_missing_value(op_text, self.eof_span());
            return None;
        };
        let (text, span) = match lexeme.token {
            Token::LBracket if !op.is_pattern() => {
                return self.report_list_for_scalar(op_text, &lexeme);
            }
            Token::Unterminated => return self.report_unterminated(&lexeme),
            Token::SingleQuoted | Token::DoubleQuoted => {
                self.pos += 1;
                (unquote(self.text(&lexeme.span)).to_string(), lexeme.span)
            }
            Token::And | Token::Or | Token::Not | Token::AndAnd | Token::OrOr | Token::RParen | Token::Comma => {
                self.report_missing_value(op_text, lexeme.span);
                return None;
            }
            _ if op.is_pattern() => self.glue_pattern(),
            t if t.is_value() => {
                self.pos += 1;
                (self.text(&lexeme.span).to_string(), lexeme.span)
            }
            _ => {
                self.report_missing_value(op_text, lexeme.span);
                self.sync();
                return None;
            }
        };
        self.literal(subject, op, text, span)
    }

    fn literal(&mut self, subject: Option<&Subject>, op: Op, text: String, span: Span) -> Option<Literal> {
        let subject = subject?;
        let mut warnings = Vec::new();
        let typed = type_literal(subject, op, &text, &span, &mut warnings);
        self.diagnostics.extend(warnings);
        match typed {
            Ok(typed) => Some(Literal { text, span, typed }),
            Err(diagnostic) => {
                self.error(*diagnostic);
                None
            }
        }
    }

    /// A bare regular expression runs over adjacent tokens (`(g2|p2).*`, `[tm]5.*`) up to
    /// whitespace, or a `)` / `]` / `,` / `&&` / `||` that is not part of it.
    fn glue_pattern(&mut self) -> (String, Span) {
        let start = self.here().start;
        let mut end = start;
        let mut depth = 0usize;
        while let Some(lexeme) = self.current() {
            if lexeme.span.start != end {
                break;
            }
            match lexeme.token {
                Token::RParen | Token::RBracket | Token::Comma | Token::AndAnd | Token::OrOr if depth == 0 => {
                    break;
                }
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth -= 1,
                _ => {}
            }
            end = lexeme.span.end;
            self.pos += 1;
        }
        (self.text(&(start..end)).to_string(), start..end)
    }

    fn report_missing_value(&mut self, op_text: &str, span: Span) {
        let found = self.text(&span);
        let mut diagnostic = Diagnostic::error("expected-value", format!("expected a value after `{op_text}`"), span);
        if !found.is_empty() {
            diagnostic = diagnostic.with_help(format!(
                "found `{found}`; to compare with that text itself, quote it: '{found}'"
            ));
        }
        self.error(diagnostic);
    }

    fn report_list_for_scalar(&mut self, op_text: &str, lexeme: &Lexeme) -> Option<Literal> {
        self.error(
            Diagnostic::error(
                "list-for-scalar",
                format!("`{op_text}` compares with one value, not a list"),
                lexeme.span.clone(),
            )
            .with_help("to test membership in a list, use `in [a, b]`"),
        );
        self.sync();
        None
    }

    fn report_unterminated(&mut self, lexeme: &Lexeme) -> Option<Literal> {
        let text = self.text(&lexeme.span);
        let quote = text.chars().next().unwrap_or('\'');
        self.error(
            Diagnostic::error(
                "unterminated-string",
                format!("unterminated string: missing the closing {quote}"),
                lexeme.span.clone(),
            )
            .with_suggestion(lexeme.span.end..lexeme.span.end, quote.to_string()),
        );
        self.pos += 1;
        None
    }

    fn parse_list(&mut self, subject: Option<&Subject>, op: Op, op_span: &Span) -> Option<Operand> {
        let op_text = self.text(op_span);
        let open = match self.current() {
            Some(l) if l.token == Token::LBracket => l,
            Some(l) if l.token.is_value() && !matches!(l.token, Token::And | Token::Or | Token::Not) => {
                let value = self.text(&l.span);
                self.error(
                    Diagnostic::error(
                        "expected-list",
                        format!("`{op_text}` takes a list like `[{value}, ...]`"),
                        l.span.clone(),
                    )
                    .with_suggestion(l.span.clone(), format!("[{value}]")),
                );
                self.pos += 1;
                return None;
            }
            other => {
                let span = other.map_or_else(|| self.eof_span(), |l| l.span);
                self.error(
                    Diagnostic::error("expected-list", format!("expected a list after `{op_text}`"), span)
                        .with_help("for example `attribute:ecs.instance-type in [t2.small, t2.medium]`"),
                );
                return None;
            }
        };
        self.pos += 1;
        let items = self.parse_list_items(subject, op, &open.span)?;
        Some(Operand::List(items))
    }

    fn parse_list_items(&mut self, subject: Option<&Subject>, op: Op, open: &Span) -> Option<Vec<Literal>> {
        let mut items = Vec::new();
        let mut ok = true;
        loop {
            let Some(lexeme) = self.current() else {
                self.error(
                    Diagnostic::error("unclosed-bracket", "unclosed `[` opened here", open.clone())
                        .with_suggestion(self.eof_span(), "]"),
                );
                return None;
            };
            if lexeme.token == Token::RBracket && items.is_empty() && ok {
                self.pos += 1;
                self.error(
                    Diagnostic::error("empty-list", "the list is empty", open.start..lexeme.span.end)
                        .with_help("a list needs at least one value: `[a]` or `[a, b]`"),
                );
                return None;
            }
            match self.parse_list_item(subject, op, &lexeme) {
                Some(Some(literal)) => items.push(literal),
                Some(None) => ok = false,
                None => return None,
            }
            match self.current().map(|l| l.token) {
                Some(Token::Comma) => self.pos += 1,
                Some(Token::RBracket) => {
                    self.pos += 1;
                    return ok.then_some(items);
                }
                None => {
                    self.error(
                        Diagnostic::error("unclosed-bracket", "unclosed `[` opened here", open.clone())
                            .with_suggestion(self.eof_span(), "]"),
                    );
                    return None;
                }
                _ => {
                    let here = self.here();
                    let found = self.text(&here);
                    self.error(
                        Diagnostic::error(
                            "expected-list-separator",
                            format!("expected `,` or `]`, found `{found}`"),
                            here,
                        )
                        .with_label(open.clone(), "in the list opened here")
                        .with_help("quote values that contain spaces: 'a b'"),
                    );
                    self.sync();
                    return None;
                }
            }
        }
    }

    /// Returns `None` to abandon the list, `Some(None)` for a bad item, `Some(Some(..))` for a value.
    fn parse_list_item(&mut self, subject: Option<&Subject>, op: Op, lexeme: &Lexeme) -> Option<Option<Literal>> {
        let text = match lexeme.token {
            Token::SingleQuoted | Token::DoubleQuoted => unquote(self.text(&lexeme.span)).to_string(),
            Token::Unterminated => {
                self.report_unterminated(lexeme);
                return None;
            }
            t if t.is_value() => self.text(&lexeme.span).to_string(),
            _ => {
                let previous = self.previous_text();
                self.error(Diagnostic::error(
                    "expected-value",
                    format!("expected a value after `{previous}`"),
                    lexeme.span.clone(),
                ));
                if lexeme.token != Token::RBracket {
                    self.sync();
                    return None;
                }
                return Some(None);
            }
        };
        self.pos += 1;
        Some(self.literal(subject, op, text, lexeme.span.clone()))
    }

    pub(super) fn check_task_group_not_equal(&mut self, comparison: &Comparison, span: Span) {
        if comparison.subject != Subject::TaskGroup || comparison.op != Op::NotEq {
            return;
        }
        let Operand::Scalar(value) = &comparison.operand else {
            return;
        };
        let group = self.text(&value.span);
        self.diagnostics.push(
            Diagnostic::warning(
                "task-group-not-equal",
                format!("`task:group != {group}` is true on any instance that runs a task of another group"),
                span.clone(),
            )
            .with_help(format!(
                "to keep tasks away from instances that run `{}` (anti-affinity), write `not(task:group == {group})`",
                value.text
            ))
            .with_suggestion(span, format!("not(task:group == {group})")),
        );
    }
}
