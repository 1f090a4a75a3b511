//! Token classes for syntax highlighting, straight from the lexer (so the editor and the parser
//! never disagree about where a token starts and ends).

use super::ast::Field;
use super::lexer::{Lexeme, Token, lex};
use crate::diagnostic::Span;
use serde::Serialize;

/// How the editor should colour a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HighlightKind {
    /// `and`, `or`, `not`, `!`, `&&`, `||`.
    Keyword,
    /// Comparison operators, symbolic or word (`==`, `in`, `matches`, `exists`).
    Operator,
    /// `attribute:...`, `task:group`, instance fields.
    Subject,
    /// A bare value.
    Value,
    /// A quoted value.
    String,
    /// Brackets, parentheses and commas.
    Punctuation,
    /// Something the lexer does not accept.
    Invalid,
}

/// A highlighted token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HighlightToken {
    /// The class.
    pub kind: HighlightKind,
    /// The byte range.
    pub span: Span,
}

/// Classifies every token of `source`.
pub fn highlight(source: &str) -> Vec<HighlightToken> {
    let lexemes = lex(source);
    lexemes
        .iter()
        .enumerate()
        .map(|(index, lexeme)| HighlightToken {
            kind: classify(source, &lexemes, index, lexeme),
            span: lexeme.span.clone(),
        })
        .collect()
}

fn classify(source: &str, lexemes: &[Lexeme], index: usize, lexeme: &Lexeme) -> HighlightKind {
    let previous = index.checked_sub(1).and_then(|i| lexemes.get(i)).map(|l| l.token);
    let next = lexemes.get(index + 1);
    match lexeme.token {
        Token::Word if is_subject(source.get(lexeme.span.clone()).unwrap_or(""), next.map(|l| l.token)) => {
            HighlightKind::Subject
        }
        Token::Word => HighlightKind::Value,
        Token::SingleQuoted | Token::DoubleQuoted | Token::Unterminated => HighlightKind::String,
        Token::LParen | Token::RParen | Token::LBracket | Token::RBracket | Token::Comma => HighlightKind::Punctuation,
        Token::Invalid => HighlightKind::Invalid,
        Token::Bang
            if next
                .is_some_and(|n| matches!(n.token, Token::In | Token::Exists) && n.span.start == lexeme.span.end) =>
        {
            HighlightKind::Operator
        }
        Token::In | Token::Exists if previous == Some(Token::Bang) => HighlightKind::Operator,
        Token::And | Token::Or | Token::Not | Token::Bang | Token::AndAnd | Token::OrOr | Token::Amp | Token::Pipe => {
            HighlightKind::Keyword
        }
        t if t.is_keyword() && previous.is_some_and(is_operator) => HighlightKind::Value,
        _ => HighlightKind::Operator,
    }
}

fn is_subject(word: &str, next: Option<Token>) -> bool {
    let bare = word.strip_prefix("instance:").unwrap_or(word);
    bare.starts_with("attribute:")
        || bare == "task:group"
        || Field::from_name(bare).is_some()
        || next.is_some_and(is_operator)
}

fn is_operator(token: Token) -> bool {
    matches!(
        token,
        Token::EqEq
            | Token::NotEq
            | Token::Lt
            | Token::Le
            | Token::Gt
            | Token::Ge
            | Token::TildeMatch
            | Token::TildeNotMatch
            | Token::SingleEq
            | Token::In
            | Token::NotIn
            | Token::Exists
            | Token::NotExists
            | Token::Equals
            | Token::NotEquals
            | Token::GreaterThan
            | Token::GreaterThanEqual
            | Token::LessThan
            | Token::LessThanEqual
            | Token::MatchesWord
            | Token::NotMatchesWord
    )
}
