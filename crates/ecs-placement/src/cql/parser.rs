//! Hand-written recursive-descent parser for CQL, one function per production.
//!
//! ```text
//! expr    := or
//! or      := and { ("or" | "||") and }
//! and     := unary { ("and" | "&&") unary }
//! unary   := ("not" | "!") unary | "(" expr ")" | simple
//! simple  := subject ( nullary_op | op value | list_op list )
//! ```
//! Precedence is decision D1: `not` binds tightest, then `and`, then `or`. The parser recovers
//! at `and` / `or` / `)` so that one pass reports several errors.

use super::ast::{Comparison, Expr, ExprKind, Field, Op, Subject};
use super::lexer::{Lexeme, Token, lex};
use super::names;
use crate::diagnostic::{Diagnostic, Span, has_errors};

mod operands;

/// The longest expression AWS accepts, in characters (spec §1.1, decision D13).
pub const MAX_LENGTH: usize = 2000;

/// Texts longer than this many bytes (four bytes per character of [`MAX_LENGTH`], twice over)
/// are not parsed at all: only the too-long error is reported.
const PARSE_LIMIT: usize = 8 * MAX_LENGTH;
/// How deeply parentheses and `not` may nest.
pub const MAX_DEPTH: usize = 64;
/// The longest attribute name AWS accepts (spec §7.4).
pub const MAX_ATTRIBUTE_NAME: usize = 128;

/// The result of parsing: the tree when there were no errors, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The expression, present when no diagnostic is an error.
    pub expr: Option<Expr>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a CQL expression.
pub fn parse(source: &str) -> Parsed {
    // Far past AWS's limit the text is not read at all, only said to be too long (the work and
    // the suggestions would grow with the text).
    let unread = source.len() > PARSE_LIMIT;
    let mut parser = Parser {
        source,
        tokens: if unread { Vec::new() } else { lex(source) },
        pos: 0,
        depth: 0,
        aborted: unread,
        diagnostics: Vec::new(),
    };
    parser.check_length();
    if unread {
        return Parsed {
            expr: None,
            diagnostics: parser.diagnostics,
        };
    }
    let expr = parser.parse_top();
    let mut diagnostics = parser.diagnostics;
    crate::order::sort_stable_by_key(&mut diagnostics, |d| (d.span.start, d.span.end));
    let expr = if has_errors(&diagnostics) { None } else { expr };
    Parsed { expr, diagnostics }
}

struct Parser<'s> {
    source: &'s str,
    tokens: Vec<Lexeme>,
    pos: usize,
    depth: usize,
    aborted: bool,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy, PartialEq)]
enum Connective {
    And,
    Or,
}

impl<'s> Parser<'s> {
    // ----- token access -------------------------------------------------------------------

    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).map(|l| l.token)
    }

    fn current(&self) -> Option<Lexeme> {
        self.tokens.get(self.pos).cloned()
    }

    fn bump(&mut self) -> Option<Lexeme> {
        let lexeme = self.current();
        self.pos += usize::from(lexeme.is_some());
        lexeme
    }

    fn text(&self, span: &Span) -> &'s str {
        self.source.get(span.clone()).unwrap_or("")
    }

    fn eof_span(&self) -> Span {
        self.source.len()..self.source.len()
    }

    /// The span of the current token, or the end of input.
    fn here(&self) -> Span {
        self.current().map_or_else(|| self.eof_span(), |l| l.span)
    }

    fn previous_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |l| l.span.end)
    }

    fn previous_text(&self) -> &'s str {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or("", |l| self.text(&l.span))
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Skips to the next `and` / `or` / unmatched `)` so parsing can go on after an error.
    fn sync(&mut self) {
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket if depth == 0 => return,
                Token::RParen | Token::RBracket => depth -= 1,
                Token::And | Token::Or | Token::AndAnd | Token::OrOr if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    // ----- whole input --------------------------------------------------------------------

    fn check_length(&mut self) {
        let chars = self.source.chars().count();
        if chars > MAX_LENGTH {
            let cut = self
                .source
                .char_indices()
                .nth(MAX_LENGTH)
                .map_or(self.source.len(), |(i, _)| i);
            self.error(
                Diagnostic::error(
                    "too-long",
                    format!("the expression is {chars} characters long; AWS allows at most {MAX_LENGTH}"),
                    cut..self.source.len(),
                )
                .with_help("split the condition, or use `in [...]` lists and custom attributes to shorten it"),
            );
        }
    }

    fn parse_top(&mut self) -> Option<Expr> {
        if self.tokens.is_empty() {
            self.error(
                Diagnostic::error("empty-expression", "expected an expression", 0..self.source.len())
                    .with_help("for example `attribute:ecs.instance-type == t2.small`"),
            );
            return None;
        }
        let expr = self.parse_or();
        while let Some(lexeme) = self.bump() {
            if lexeme.token == Token::Lt && self.report_placeholder(&lexeme) {
                continue;
            }
            self.report_leftover(&lexeme);
            if self.eat_connective(Connective::And) || self.eat_connective(Connective::Or) || self.starts_unary() {
                self.parse_or();
            }
        }
        expr
    }

    /// `service:<daemon-service>`: a value ending in a documentation placeholder. Reports it and
    /// skips the rest of the value; false when the `<` does not open a placeholder.
    fn report_placeholder(&mut self, open: &Lexeme) -> bool {
        let adjacent = self
            .pos
            .checked_sub(2)
            .and_then(|i| self.tokens.get(i))
            .is_some_and(|l| l.span.end == open.span.start);
        let rest = self.source.get(open.span.start..).unwrap_or("");
        let Some(close) = rest.find('>') else {
            return false;
        };
        if !adjacent
            || rest
                .get(1..close)
                .is_none_or(|inside| inside.is_empty() || inside.contains('<'))
        {
            return false;
        }
        let placeholder = rest.get(..=close).unwrap_or("");
        let mut end = open.span.start + close + 1;
        while let Some(lexeme) = self.current() {
            let inside_or_adjacent =
                lexeme.span.start < end || (lexeme.span.start == end && lexeme.token != Token::RParen);
            if !inside_or_adjacent {
                break;
            }
            if lexeme.token == Token::Lt {
                let more = self.source.get(lexeme.span.start..).and_then(|r| r.find('>'));
                end = end.max(lexeme.span.start + more.map_or(1, |m| m + 1));
            }
            end = end.max(lexeme.span.end);
            self.pos += 1;
        }
        self.error(
            Diagnostic::error(
                "placeholder",
                format!("`{placeholder}` is a placeholder from the documentation"),
                open.span.start..end,
            )
            .with_help("replace the placeholder (angle brackets included) with a real value"),
        );
        true
    }

    fn report_leftover(&mut self, lexeme: &Lexeme) {
        let text = self.text(&lexeme.span);
        let diagnostic = match lexeme.token {
            Token::RParen => Diagnostic::error("unmatched-paren", "unmatched `)`", lexeme.span.clone())
                .with_help("remove it, or add the `(` it closes"),
            _ => Diagnostic::error("unexpected-token", format!("unexpected `{text}`"), lexeme.span.clone())
                .with_help("expected `and`, `or` or the end of the expression"),
        };
        self.error(diagnostic);
    }

    // ----- connectives --------------------------------------------------------------------

    fn parse_or(&mut self) -> Option<Expr> {
        let mut items = vec![self.parse_and()];
        while self.eat_connective(Connective::Or) {
            items.push(self.parse_and());
        }
        combine(items, ExprKind::Or)
    }

    fn parse_and(&mut self) -> Option<Expr> {
        let mut items = vec![self.parse_unary()];
        loop {
            if self.eat_connective(Connective::And) {
                items.push(self.parse_unary());
            } else if self.starts_unary() {
                self.report_missing_connective();
                items.push(self.parse_unary());
            } else {
                break;
            }
        }
        combine(items, ExprKind::And)
    }

    fn starts_unary(&self) -> bool {
        matches!(
            self.peek(),
            Some(Token::Word | Token::Not | Token::Bang | Token::LParen)
        )
    }

    fn report_missing_connective(&mut self) {
        let here = self.here();
        let found = self.text(&here);
        self.error(
            Diagnostic::error(
                "missing-connective",
                format!("expected `and` or `or` before `{found}`"),
                here.clone(),
            )
            .with_help("join comparisons with `and` / `&&` or `or` / `||`")
            .with_suggestion(here.start..here.start, "and "),
        );
    }

    /// Consumes a connective of the given kind (`and`, `&&`, or a stray `&` with an error).
    fn eat_connective(&mut self, kind: Connective) -> bool {
        let Some(lexeme) = self.current() else {
            return false;
        };
        let matched = match (kind, lexeme.token) {
            (Connective::And, Token::And | Token::AndAnd) | (Connective::Or, Token::Or | Token::OrOr) => true,
            (Connective::And, Token::Amp) => {
                self.report_single_symbol(&lexeme.span, "&", "&&");
                true
            }
            (Connective::Or, Token::Pipe) => {
                self.report_single_symbol(&lexeme.span, "|", "||");
                true
            }
            _ => false,
        };
        if matched {
            self.check_keyword_case(&lexeme);
            self.pos += 1;
        }
        matched
    }

    fn report_single_symbol(&mut self, span: &Span, found: &str, meant: &str) {
        self.error(
            Diagnostic::error(
                "single-symbol",
                format!("`{found}` is not an operator; did you mean `{meant}`?"),
                span.clone(),
            )
            .with_suggestion(span.clone(), meant),
        );
    }

    /// Decision D2: keywords in any case are accepted, with a warning when not lower-case.
    fn check_keyword_case(&mut self, lexeme: &Lexeme) {
        let text = self.text(&lexeme.span);
        if lexeme.token.is_keyword() && text.chars().any(|c| c.is_ascii_uppercase()) {
            let lower = text.to_ascii_lowercase();
            self.diagnostics.push(
                Diagnostic::warning(
                    "keyword-case",
                    format!("`{text}` is accepted, but AWS documents lower-case `{lower}`"),
                    lexeme.span.clone(),
                )
                .with_suggestion(lexeme.span.clone(), lower),
            );
        }
    }

    // ----- unary and groups ---------------------------------------------------------------

    fn parse_unary(&mut self) -> Option<Expr> {
        match self.peek() {
            Some(Token::Not | Token::Bang) => self.parse_not(),
            Some(Token::LParen) => self.parse_group(),
            _ => self.parse_simple(),
        }
    }

    fn enter(&mut self, span: &Span) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.error(Diagnostic::error(
                "too-deep",
                format!("the expression nests more than {MAX_DEPTH} levels deep"),
                span.clone(),
            ));
            self.pos = self.tokens.len();
            self.aborted = true;
            return false;
        }
        true
    }

    fn parse_not(&mut self) -> Option<Expr> {
        let lexeme = self.bump()?;
        self.check_keyword_case(&lexeme);
        if !self.enter(&lexeme.span) {
            return None;
        }
        let inner = self.parse_unary();
        self.depth -= 1;
        let inner = inner?;
        let span = lexeme.span.start..inner.span.end;
        Some(Expr {
            kind: ExprKind::Not(Box::new(inner)),
            span,
        })
    }

    fn parse_group(&mut self) -> Option<Expr> {
        let open = self.bump()?;
        if !self.enter(&open.span) {
            return None;
        }
        let inner = self.parse_or();
        self.depth -= 1;
        match self.current() {
            Some(Lexeme {
                token: Token::RParen,
                span,
            }) => {
                self.pos += 1;
                inner.map(|e| Expr {
                    span: open.span.start..span.end,
                    ..e
                })
            }
            Some(lexeme) => {
                let found = self.text(&lexeme.span);
                self.error(
                    Diagnostic::error(
                        "expected-close-paren",
                        format!("expected `)`, found `{found}`"),
                        lexeme.span,
                    )
                    .with_label(open.span, "to close this `(`"),
                );
                None
            }
            None if self.aborted => None,
            None => {
                self.error(
                    Diagnostic::error("unclosed-paren", "unclosed `(` opened here", open.span)
                        .with_help("add `)` at the end of the group")
                        .with_suggestion(self.eof_span(), ")"),
                );
                None
            }
        }
    }

    // ----- simple expressions -------------------------------------------------------------

    fn parse_simple(&mut self) -> Option<Expr> {
        let Some(lexeme) = self.current() else {
            self.report_missing_comparison();
            return None;
        };
        if lexeme.token != Token::Word {
            self.report_bad_subject(&lexeme);
            return None;
        }
        self.pos += 1;
        let subject = self.parse_subject(&lexeme.span);
        let subject_text = self.text(&lexeme.span);
        let (op, op_span) = self.parse_op(subject_text)?;
        let op_valid = subject
            .as_ref()
            .is_none_or(|s| self.check_op(s, op, &op_span, subject_text));
        let operand = self.parse_operand(subject.as_ref(), op, &op_span);
        let (subject, operand) = (subject?, operand?);
        if !op_valid {
            return None;
        }
        let end = self.previous_end().max(op_span.end);
        let comparison = Comparison {
            subject,
            subject_span: lexeme.span.clone(),
            op,
            op_span,
            operand,
        };
        self.check_task_group_not_equal(&comparison, lexeme.span.start..end);
        Some(Expr {
            kind: ExprKind::Compare(comparison),
            span: lexeme.span.start..end,
        })
    }

    fn report_missing_comparison(&mut self) {
        if self.aborted {
            return;
        }
        let previous = self.previous_text();
        let message = if previous.is_empty() {
            "expected an expression".to_string()
        } else {
            format!("expected an expression after `{previous}`")
        };
        let eof = self.eof_span();
        self.error(Diagnostic::error("expected-expression", message, eof));
    }

    fn report_bad_subject(&mut self, lexeme: &Lexeme) {
        let found = self.text(&lexeme.span);
        let span = lexeme.span.clone();
        let diagnostic = match lexeme.token {
            Token::RParen => Diagnostic::error("expected-expression", "expected an expression before `)`", span),
            Token::SingleQuoted | Token::DoubleQuoted => Diagnostic::error(
                "expected-subject",
                format!("expected a subject, found the string {found}"),
                span,
            )
            .with_help("subjects are written without quotes: `attribute:<name>`, `task:group`, `agentConnected`, ..."),
            _ => Diagnostic::error(
                "expected-subject",
                format!("expected a subject such as `attribute:<name>`, found `{found}`"),
                span,
            )
            .with_help("a comparison is `subject operator value`, e.g. `attribute:ecs.instance-type == t2.small`"),
        };
        self.error(diagnostic);
        if lexeme.token != Token::RParen {
            self.pos += 1;
            self.sync();
        }
    }

    fn parse_subject(&mut self, span: &Span) -> Option<Subject> {
        let word = self.text(span);
        let (prefixed, rest) = match word.strip_prefix("instance:") {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        if let Some(name) = rest.strip_prefix("attribute:") {
            let name_span = span.end - name.len()..span.end;
            return self.attribute_subject(name, name_span, prefixed);
        }
        if rest == "task:group" && !prefixed {
            return Some(Subject::TaskGroup);
        }
        if let Some(field) = Field::from_name(rest) {
            return Some(Subject::Field { field, prefixed });
        }
        self.report_unknown_subject(word, span);
        None
    }

    fn attribute_subject(&mut self, name: &str, span: Span, prefixed: bool) -> Option<Subject> {
        if name.is_empty() {
            self.error(
                Diagnostic::error(
                    "expected-attribute-name",
                    "expected an attribute name after `attribute:`",
                    span,
                )
                .with_help("for example `attribute:ecs.instance-type`"),
            );
            return None;
        }
        if let Some(bad) = name.chars().find(|c| !is_attribute_name_char(*c)) {
            self.error(
                Diagnostic::error(
                    "invalid-attribute-name",
                    format!("attribute names cannot contain `{bad}`"),
                    span,
                )
                .with_help("attribute names use letters, digits, `-`, `_`, `/`, `\\` and `.`"),
            );
            return None;
        }
        if name.chars().count() > MAX_ATTRIBUTE_NAME {
            self.error(Diagnostic::error(
                "invalid-attribute-name",
                format!("attribute names are at most {MAX_ATTRIBUTE_NAME} characters"),
                span,
            ));
            return None;
        }
        if let Some(known) = names::unknown_built_in(name) {
            self.diagnostics.push(
                Diagnostic::warning(
                    "unknown-attribute",
                    format!("unknown built-in attribute `{name}`; did you mean `{known}`?"),
                    span.clone(),
                )
                .with_help("ECS sets the `ecs.` attributes itself; an instance without this one never matches a comparison on it")
                .with_suggestion(span, known),
            );
        }
        Some(Subject::Attribute {
            name: name.to_string(),
            prefixed,
        })
    }

    fn report_unknown_subject(&mut self, word: &str, span: &Span) {
        let what = if word.contains(':') && !word.starts_with("instance:") {
            "subject"
        } else {
            "field"
        };
        let diagnostic = match names::subject_suggestion(word) {
            Some((replacement, why)) => {
                let d = Diagnostic::error(
                    "unknown-field",
                    format!("unknown {what} `{word}`; did you mean `{replacement}`?"),
                    span.clone(),
                )
                .with_suggestion(span.clone(), replacement);
                match why {
                    Some(why) => d.with_help(why),
                    None => d,
                }
            }
            None => Diagnostic::error("unknown-field", format!("unknown {what} `{word}`"), span.clone()).with_help(
                "subjects are `attribute:<name>`, `task:group`, `agentConnected`, `agentVersion`, `ec2InstanceId`, `registeredAt` and `runningTasksCount`",
            ),
        };
        self.error(diagnostic);
    }

    // ----- operators ----------------------------------------------------------------------

    fn parse_op(&mut self, subject_text: &str) -> Option<(Op, Span)> {
        let Some(lexeme) = self.current() else {
            self.report_missing_op(subject_text, self.eof_span());
            return None;
        };
        let op = match lexeme.token {
            Token::EqEq | Token::Equals => Op::Eq,
            Token::NotEq | Token::NotEquals => Op::NotEq,
            Token::Lt | Token::LessThan => Op::Lt,
            Token::Le | Token::LessThanEqual => Op::Le,
            Token::Gt | Token::GreaterThan => Op::Gt,
            Token::Ge | Token::GreaterThanEqual => Op::Ge,
            Token::In => Op::In,
            Token::NotIn => Op::NotIn,
            Token::TildeMatch | Token::MatchesWord => Op::Matches,
            Token::TildeNotMatch | Token::NotMatchesWord => Op::NotMatches,
            Token::Exists => Op::Exists,
            Token::NotExists => Op::NotExists,
            Token::Bang => return self.parse_bang_op(&lexeme, subject_text),
            Token::SingleEq => {
                self.error(
                    Diagnostic::error(
                        "single-equals",
                        "`=` is not an operator; did you mean `==`?",
                        lexeme.span.clone(),
                    )
                    .with_help("CQL compares with `==` (or `equals`)")
                    .with_suggestion(lexeme.span.clone(), "=="),
                );
                Op::Eq
            }
            _ => {
                self.report_missing_op(subject_text, lexeme.span);
                self.sync();
                return None;
            }
        };
        self.check_keyword_case(&lexeme);
        self.pos += 1;
        Some((op, lexeme.span))
    }

    /// `!in` and `!exists`: a `!` immediately followed by `in` / `exists`.
    fn parse_bang_op(&mut self, bang: &Lexeme, subject_text: &str) -> Option<(Op, Span)> {
        let next = self.tokens.get(self.pos + 1).cloned();
        let op = match next.as_ref().map(|l| l.token) {
            Some(Token::In) => Some(Op::NotIn),
            Some(Token::Exists) => Some(Op::NotExists),
            _ => None,
        };
        match (op, next) {
            (Some(op), Some(next)) if next.span.start == bang.span.end => {
                self.pos += 2;
                Some((op, bang.span.start..next.span.end))
            }
            _ => {
                self.report_missing_op(subject_text, bang.span.clone());
                self.sync();
                None
            }
        }
    }

    fn report_missing_op(&mut self, subject_text: &str, span: Span) {
        let found = self.text(&span);
        let message = if found.is_empty() {
            format!("expected an operator after `{subject_text}`")
        } else {
            format!("expected an operator after `{subject_text}`, found `{found}`")
        };
        self.error(
            Diagnostic::error("expected-operator", message, span)
                .with_help("operators: ==, !=, <, <=, >, >=, in, !in, =~, !~, exists, !exists (or their word forms)"),
        );
    }

    /// Decision D8: the documented operator table per field is enforced.
    fn check_op(&mut self, subject: &Subject, op: Op, span: &Span, subject_text: &str) -> bool {
        let valid = subject.valid_ops();
        if valid.contains(&op) {
            return true;
        }
        let written = self.text(span);
        let list: Vec<&str> = valid.iter().map(|o| o.symbol()).collect();
        let field = subject_text.strip_prefix("instance:").unwrap_or(subject_text);
        self.error(Diagnostic::error(
            "invalid-operator",
            format!("`{written}` is not valid for `{field}` (valid: {})", list.join(", ")),
            span.clone(),
        ));
        false
    }
}

fn combine(items: Vec<Option<Expr>>, make: fn(Vec<Expr>) -> ExprKind) -> Option<Expr> {
    let mut items: Vec<Expr> = items.into_iter().collect::<Option<_>>()?;
    if items.len() == 1 {
        return items.pop();
    }
    let start = items.first()?.span.start;
    let end = items.last()?.span.end;
    Some(Expr {
        kind: make(items),
        span: start..end,
    })
}

fn unquote(text: &str) -> &str {
    text.get(1..text.len().saturating_sub(1)).unwrap_or("")
}

/// The characters AWS allows in attribute names (spec §7.4).
pub fn is_attribute_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '\\' | '.')
}
