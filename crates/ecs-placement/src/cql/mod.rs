//! The Amazon ECS Cluster Query Language: lexer, parser, diagnostics, evaluator.
//!
//! ```
//! use ecs_placement::cql;
//! let parsed = cql::parse("attribute:ecs.instance-type =~ t2.* and not(task:group == database)");
//! assert!(parsed.expr.is_some() && parsed.diagnostics.is_empty());
//! ```

pub mod ast;
pub mod eval;
pub mod highlight;
pub mod lexer;
pub mod names;
pub mod parser;
pub mod pattern;
pub mod printer;
pub mod value;

pub use ast::{Comparison, Expr, ExprKind, Field, Literal, Op, Operand, Subject};
pub use eval::{ClauseKind, ClauseTrace, InstanceFacts, evaluate, explain};
pub use highlight::{HighlightKind, HighlightToken, highlight};
pub use parser::{MAX_LENGTH, Parsed, parse};

use crate::diagnostic::Diagnostic;

/// Parses `source` and returns only its diagnostics (empty when the expression is clean).
pub fn check(source: &str) -> Vec<Diagnostic> {
    parse(source).diagnostics
}
