//! Prints a syntax tree back to canonical CQL: symbolic operators, minimal parentheses, values
//! quoted only when they must be. Parsing the printed text gives the same tree.

use super::ast::{Comparison, Expr, ExprKind, Field, Literal, Operand, Subject};
use super::lexer::{Token, lex};
use std::fmt::{self, Display, Formatter};

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Or(items) => join(f, items, " or ", |e| matches!(e.kind, ExprKind::Or(_))),
            ExprKind::And(items) => join(f, items, " and ", |e| {
                matches!(e.kind, ExprKind::Or(_) | ExprKind::And(_))
            }),
            ExprKind::Not(inner) => write!(f, "not({inner})"),
            ExprKind::Compare(c) => c.fmt(f),
        }
    }
}

fn join(f: &mut Formatter<'_>, items: &[Expr], separator: &str, needs_parens: fn(&Expr) -> bool) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(separator)?;
        }
        if needs_parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Display for Comparison {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.op.symbol())?;
        match &self.operand {
            Operand::None => Ok(()),
            Operand::Scalar(value) => write!(f, " {value}"),
            Operand::List(items) => {
                f.write_str(" [")?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl Display for Subject {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Field { field, prefixed } => {
                write!(f, "{}{}", prefix(*prefixed), field.name())
            }
            Subject::Attribute { name, prefixed } => {
                write!(f, "{}attribute:{name}", prefix(*prefixed))
            }
            Subject::TaskGroup => f.write_str("task:group"),
        }
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn prefix(prefixed: bool) -> &'static str {
    if prefixed { "instance:" } else { "" }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (single, double) = (self.text.contains('\''), self.text.contains('"'));
        if is_bare_word(&self.text) || (single && double) {
            // CQL has no escapes, so only a bare pattern glued from adjacent tokens (`a'b"c`)
            // holds both quotes: printed as it was written, it is glued the same way again.
            f.write_str(&self.text)
        } else if single {
            write!(f, "\"{}\"", self.text)
        } else {
            write!(f, "'{}'", self.text)
        }
    }
}

/// True when `text` lexes as exactly one bare word (so it needs no quotes).
fn is_bare_word(text: &str) -> bool {
    let lexemes = lex(text);
    matches!(lexemes.as_slice(), [only] if only.token == Token::Word && only.span == (0..text.len()))
}
