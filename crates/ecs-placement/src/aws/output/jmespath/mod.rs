//! JMESPath over `serde_json` values, as the AWS CLI v1 runs it (Python's `jmespath` 1.x): the
//! same grammar and quirks, objects in their order (the response's, or the order written in a
//! multiselect hash), integers where Python computes integers, and Python's error messages.
//!
//! [`compile`] reads an expression into an [`Ast`] (syntax errors only: like Python, unknown
//! functions and wrong argument counts are found when the expression runs); [`search`] runs it.

mod eval;
mod functions;
mod lexer;
mod parser;
mod values;

pub(crate) use parser::Ast;
use serde_json::Value;

/// An expression that does not parse, in the three shapes of Python's errors.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SyntaxError {
    /// Python's `LexerError`: a character or literal that makes no token.
    Lexer { position: usize, message: String },
    /// Python's `ParseError`: a token the grammar does not allow there.
    Parse {
        position: usize,
        message: String,
        token: String,
        kind: &'static str,
    },
    /// Python's `IncompleteExpressionError`: the expression ends too early.
    Incomplete,
    /// Python's `EmptyExpressionError`.
    Empty,
    /// Python's `RecursionError`, for an expression nested too deeply.
    TooDeep,
}

impl SyntaxError {
    fn lexer(position: usize, message: String) -> SyntaxError {
        SyntaxError::Lexer { position, message }
    }

    /// What Python's `str()` of the error is for `expression`.
    pub(crate) fn describe(&self, expression: &str) -> String {
        match self {
            SyntaxError::Lexer { position, message } => {
                format!(
                    "Bad jmespath expression: {message}:\n{expression}\n{}^",
                    " ".repeat(*position)
                )
            }
            SyntaxError::Parse {
                position,
                message,
                token,
                kind,
            } => format!(
                "{message}: Parse error at column {position}, token \"{token}\" ({}), for expression:\n\"{expression}\"\n{}^",
                kind.to_ascii_uppercase(),
                " ".repeat(position + 1)
            ),
            SyntaxError::Incomplete => format!(
                "Invalid jmespath expression: Incomplete expression:\n\"{expression}\"\n{}^",
                " ".repeat(expression.chars().count() + 1)
            ),
            SyntaxError::Empty => "Invalid JMESPath expression: cannot be empty.".into(),
            SyntaxError::TooDeep => "maximum recursion depth exceeded".into(),
        }
    }
}

/// Reads `expression`.
pub(crate) fn compile(expression: &str) -> Result<Ast, SyntaxError> {
    if expression.is_empty() {
        return Err(SyntaxError::Empty);
    }
    parser::parse(lexer::tokenize(expression)?)
}

/// Runs a compiled expression on `value`; the error is the text of the exception Python would
/// raise.
pub(crate) fn search(ast: &Ast, value: &Value) -> Result<Value, String> {
    eval::evaluate(ast, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [("(", ")"), ("[", "]"), ("!", ""), ("{a: ", "}")] {
            let expression = format!("{}a{}", open.repeat(5000), close.repeat(5000));
            assert_eq!(compile(&expression), Err(SyntaxError::TooDeep), "{open}");
        }
        let document = serde_json::json!({"a": 1});
        let nested = format!("{}a{}", "[".repeat(199), "]".repeat(199));
        let found = compile(&nested).map(|ast| search(&ast, &document));
        assert!(matches!(found, Ok(Ok(serde_json::Value::Array(_)))));
        let negated = format!("{}a", "!".repeat(199));
        let found = compile(&negated).map(|ast| search(&ast, &document));
        assert_eq!(found, Ok(Ok(serde_json::json!(false))));
    }
}
