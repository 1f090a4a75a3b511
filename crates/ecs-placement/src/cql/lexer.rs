//! The CQL lexer: one `logos` token enum.
//!
//! Keywords are matched case-insensitively (decision D2); everything that is not punctuation,
//! an operator, a keyword or a quoted string is a [`Token::Word`] (subjects and bare values).

use crate::diagnostic::Span;
use logos::Logos;
use serde::Serialize;

/// A CQL token.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(utf8 = false)]
pub enum Token {
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `[`
    #[token("[")]
    LBracket,
    /// `]`
    #[token("]")]
    RBracket,
    /// `,`
    #[token(",")]
    Comma,
    /// `&&`
    #[token("&&")]
    AndAnd,
    /// `||`
    #[token("||")]
    OrOr,
    /// `!` (negation, or the start of `!in` / `!exists`)
    #[token("!")]
    Bang,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `>`
    #[token(">")]
    Gt,
    /// `>=`
    #[token(">=")]
    Ge,
    /// `<`
    #[token("<")]
    Lt,
    /// `<=`
    #[token("<=")]
    Le,
    /// `=~`
    #[token("=~")]
    TildeMatch,
    /// `!~`
    #[token("!~")]
    TildeNotMatch,
    /// `=` on its own: not an operator (a diagnostic suggests `==`).
    #[token("=")]
    SingleEq,
    /// `&` on its own: not an operator (a diagnostic suggests `&&`).
    #[token("&")]
    Amp,
    /// `|` on its own: not an operator (a diagnostic suggests `||`).
    #[token("|")]
    Pipe,
    /// `and`
    #[token("and", ignore(case))]
    And,
    /// `or`
    #[token("or", ignore(case))]
    Or,
    /// `not`
    #[token("not", ignore(case))]
    Not,
    /// `in`
    #[token("in", ignore(case))]
    In,
    /// `not_in`
    #[token("not_in", ignore(case))]
    NotIn,
    /// `exists`
    #[token("exists", ignore(case))]
    Exists,
    /// `not_exists`
    #[token("not_exists", ignore(case))]
    NotExists,
    /// `equals`
    #[token("equals", ignore(case))]
    Equals,
    /// `not_equals`
    #[token("not_equals", ignore(case))]
    NotEquals,
    /// `greater_than`
    #[token("greater_than", ignore(case))]
    GreaterThan,
    /// `greater_than_equal`
    #[token("greater_than_equal", ignore(case))]
    GreaterThanEqual,
    /// `less_than`
    #[token("less_than", ignore(case))]
    LessThan,
    /// `less_than_equal`
    #[token("less_than_equal", ignore(case))]
    LessThanEqual,
    /// `matches`
    #[token("matches", ignore(case))]
    MatchesWord,
    /// `not_matches`
    #[token("not_matches", ignore(case))]
    NotMatchesWord,
    /// A single-quoted string, quotes included.
    #[regex(r"(?-u)'[^']*'")]
    SingleQuoted,
    /// A double-quoted string, quotes included.
    #[regex(r#"(?-u)"[^"]*""#)]
    DoubleQuoted,
    /// A quoted string that never ends.
    #[regex(r#"(?-u)'[^']*"#)]
    #[regex(r#"(?-u)"[^"]*"#)]
    Unterminated,
    /// A bare word: a subject (`attribute:ecs.instance-type`) or a value (`t2.small`).
    #[regex(r#"(?-u)[^ \t\r\n\f()\[\],'"=!<>&|]+"#)]
    Word,
    /// A character the lexer does not accept (only produced by [`lex`], never by logos).
    Invalid,
}

impl Token {
    /// True for the keyword tokens (`and`, `in`, `matches`, ...), which may also serve as values.
    pub fn is_keyword(self) -> bool {
        matches!(
            self,
            Token::And
                | Token::Or
                | Token::Not
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

    /// True for tokens that can stand where a value is expected.
    pub fn is_value(self) -> bool {
        matches!(self, Token::Word | Token::SingleQuoted | Token::DoubleQuoted) || self.is_keyword()
    }
}

/// A token with its byte span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lexeme {
    /// What kind of token.
    pub token: Token,
    /// Where it is in the source.
    pub span: Span,
}

/// Splits `source` into tokens. Characters logos rejects become [`Token::Invalid`] lexemes so that
/// the parser can report them with their span; lexing never fails.
pub fn lex(source: &str) -> Vec<Lexeme> {
    // Bytes, not characters: every byte of a multi-byte character is a word or string byte, so a
    // token never splits a character, and the lexer needs no UTF-8 decoding states (smaller
    // WebAssembly).
    let mut lexer = Token::lexer(source.as_bytes());
    let mut out = Vec::new();
    while let Some(result) = lexer.next() {
        let token = result.unwrap_or(Token::Invalid);
        out.push(Lexeme {
            token,
            span: lexer.span(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<Token> {
        lex(source).into_iter().map(|l| l.token).collect()
    }

    #[test]
    fn non_ascii_text_stays_whole_in_words_and_strings() {
        let source = "attribute:zone == 'zürich' and attribute:名前 ==東京 AnD exists";
        assert_eq!(
            kinds(source),
            vec![
                Token::Word,
                Token::EqEq,
                Token::SingleQuoted,
                Token::And,
                Token::Word,
                Token::EqEq,
                Token::Word,
                Token::And,
                Token::Exists
            ]
        );
        for lexeme in lex(source) {
            assert!(
                source.get(lexeme.span.start..lexeme.span.end).is_some(),
                "{lexeme:?} splits a character"
            );
        }
    }

    #[test]
    fn operators_without_spaces() {
        assert_eq!(
            kinds("attribute:ecs.availability-zone==us-east-1a"),
            vec![Token::Word, Token::EqEq, Token::Word]
        );
    }

    #[test]
    fn keywords_any_case_but_not_inside_words() {
        assert_eq!(
            kinds("AND and And android"),
            vec![Token::And, Token::And, Token::And, Token::Word]
        );
        assert_eq!(kinds("instanceId in"), vec![Token::Word, Token::In]);
        assert_eq!(kinds("not(x"), vec![Token::Not, Token::LParen, Token::Word]);
        assert_eq!(kinds("not_in not_inx"), vec![Token::NotIn, Token::Word]);
    }

    #[test]
    fn bang_forms() {
        assert_eq!(
            kinds("!= !~ ! !in"),
            vec![Token::NotEq, Token::TildeNotMatch, Token::Bang, Token::Bang, Token::In]
        );
    }

    #[test]
    fn quoted_and_unterminated() {
        assert_eq!(
            kinds("'a b' \"c\" 'open"),
            vec![Token::SingleQuoted, Token::DoubleQuoted, Token::Unterminated]
        );
    }

    #[test]
    fn non_ascii_words() {
        let lexemes = lex("attribute:café == ünïcode🙂");
        assert_eq!(lexemes.len(), 3);
        assert_eq!(lexemes[2].span, 19..32);
    }
}
