//! The JMESPath parser: a Pratt (top-down operator precedence) parser with the binding powers
//! and the node shapes of Python's `jmespath/parser.py`, including its leniencies (arguments
//! and multiselect hash pairs need no comma between them) and its quirk that a slice after an
//! index (`a[0][1:]`) does not start a projection.

use super::SyntaxError;
use super::lexer::{Kind, Token};
use crate::aws::output::python::str_of;
use serde_json::Value;

/// A compiled JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    /// `@`, and the implicit left or right side of projections.
    Identity,
    /// `name` or `"name"`: the field of an object.
    Field(String),
    /// `` `json` `` or `'raw'`.
    Literal(Value),
    /// `[n]`.
    Index(i64),
    /// `[start:stop:step]`.
    Slice([Option<i64>; 3]),
    /// `a.b`, `a | b`: each step applied to the previous one's result.
    Chain(Vec<Ast>),
    /// `a[0][1]`: like a chain (Python's `index_expression`, which later brackets join).
    IndexChain(Vec<Ast>),
    /// `left[*]right`, `left[]right`, a slice's projection: `right` of each item of the array
    /// `left` gives.
    Projection(Box<Ast>, Box<Ast>),
    /// `left.*right`: `right` of each value of the object `left` gives.
    ValueProjection(Box<Ast>, Box<Ast>),
    /// `left[?condition]right`.
    Filter {
        left: Box<Ast>,
        right: Box<Ast>,
        condition: Box<Ast>,
    },
    /// `left[]`: the array with its array items spliced in.
    Flatten(Box<Ast>),
    /// `[a, b]`.
    MultiList(Vec<Ast>),
    /// `{k: a, l: b}`, in the order written.
    MultiHash(Vec<(String, Ast)>),
    /// `a == b`, `a < b`, ...
    Compare(Comparator, Box<Ast>, Box<Ast>),
    /// `a || b`.
    Or(Box<Ast>, Box<Ast>),
    /// `a && b`.
    And(Box<Ast>, Box<Ast>),
    /// `!a`.
    Not(Box<Ast>),
    /// `name(args...)`.
    Function(String, Vec<Ast>),
    /// `&expression`, an argument of `sort_by`, `map`, ...
    ExpRef(Box<Ast>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Comparator {
    /// The operator as Python's error messages write it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "==",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Lte => "<=",
            Comparator::Gt => ">",
            Comparator::Gte => ">=",
        }
    }
}

/// How deeply expressions may nest (Python's recursion limit stops its parser at about 330
/// nested brackets); it keeps parsing and evaluating within the stack of a browser's worker.
const MAX_NESTING: usize = 200;

/// Tokens whose binding power is below this stop a projection.
const PROJECTION_STOP: u8 = 10;

/// How strongly a token binds to the expression on its left (Python's `BINDING_POWER`).
fn binding_power(kind: Kind) -> u8 {
    match kind {
        Kind::Pipe => 1,
        Kind::Or => 2,
        Kind::And => 3,
        Kind::Eq | Kind::Ne | Kind::Lt | Kind::Lte | Kind::Gt | Kind::Gte => 5,
        Kind::Flatten => 9,
        Kind::Star => 20,
        Kind::Filter => 21,
        Kind::Dot => 40,
        Kind::Not => 45,
        Kind::Lbrace => 50,
        Kind::Lbracket => 55,
        Kind::Lparen => 60,
        _ => 0,
    }
}

/// Parses the tokens of an expression.
pub(super) fn parse(tokens: Vec<Token>) -> Result<Ast, SyntaxError> {
    let end = tokens.last().map_or(0, |t| t.start);
    let mut parser = Parser {
        tokens,
        index: 0,
        eof: Token {
            kind: Kind::Eof,
            start: end,
            value: Value::from(""),
        },
        depth: 0,
    };
    let ast = parser.expression(0)?;
    if parser.kind(0) != Kind::Eof {
        let token = parser.token(0);
        let message = format!("Unexpected token: {}", str_of(&token.value));
        return Err(error_at(token, message));
    }
    Ok(ast)
}

/// A parse error at `token`.
fn error_at(token: &Token, message: String) -> SyntaxError {
    SyntaxError::Parse {
        position: token.start,
        message,
        token: str_of(&token.value),
        kind: token.kind.name(),
    }
}

struct Parser {
    tokens: Vec<Token>,
    index: usize,
    eof: Token,
    /// How many expressions are being parsed inside one another.
    depth: usize,
}

type Parsed = Result<Ast, SyntaxError>;

fn boxed(ast: Ast) -> Box<Ast> {
    Box::new(ast)
}

impl Parser {
    fn token(&self, ahead: usize) -> &Token {
        self.tokens.get(self.index + ahead).unwrap_or(&self.eof)
    }

    fn kind(&self, ahead: usize) -> Kind {
        self.token(ahead).kind
    }

    fn advance(&mut self) {
        self.index += 1;
    }

    /// An expression whose operators bind more strongly than `power`; nested deeper than
    /// [`MAX_NESTING`], Python's `RecursionError`.
    fn expression(&mut self, power: u8) -> Parsed {
        if self.depth >= MAX_NESTING {
            return Err(SyntaxError::TooDeep);
        }
        self.depth += 1;
        let parsed = self.operators(power);
        self.depth -= 1;
        parsed
    }

    fn operators(&mut self, power: u8) -> Parsed {
        let token = self.token(0).clone();
        self.advance();
        let mut left = self.prefix(token)?;
        while power < binding_power(self.kind(0)) {
            let kind = self.kind(0);
            if matches!(kind, Kind::Star | Kind::Not | Kind::Lbrace) {
                return Err(error_at(self.token(0), "invalid token".into()));
            }
            self.advance();
            left = self.infix(kind, left)?;
        }
        Ok(left)
    }

    /// What a token starts (Python's `nud` functions).
    fn prefix(&mut self, token: Token) -> Parsed {
        Ok(match token.kind {
            Kind::Literal => Ast::Literal(token.value),
            Kind::UnquotedIdentifier => Ast::Field(name_of(token.value)),
            Kind::QuotedIdentifier => self.quoted_field(token)?,
            Kind::Star => {
                let right = if self.kind(0) == Kind::Rbracket {
                    Ast::Identity
                } else {
                    self.projection_right(binding_power(Kind::Star))?
                };
                Ast::ValueProjection(boxed(Ast::Identity), boxed(right))
            }
            Kind::Filter => self.filter(Ast::Identity)?,
            Kind::Lbrace => self.multi_hash()?,
            Kind::Lparen => {
                let inner = self.expression(0)?;
                self.expect(Kind::Rparen)?;
                inner
            }
            Kind::Flatten => self.flatten(Ast::Identity)?,
            Kind::Not => Ast::Not(boxed(self.expression(binding_power(Kind::Not))?)),
            Kind::Lbracket => self.bracket(Ast::Identity)?,
            Kind::Current => Ast::Identity,
            Kind::Expref => Ast::ExpRef(boxed(self.expression(0)?)),
            Kind::Eof => return Err(SyntaxError::Incomplete),
            _ => return Err(error_at(&token, "invalid token".into())),
        })
    }

    /// What a token does to the expression on its left (Python's `led` functions).
    fn infix(&mut self, kind: Kind, left: Ast) -> Parsed {
        Ok(match kind {
            Kind::Dot => self.dot(left)?,
            Kind::Pipe => Ast::Chain(vec![left, self.expression(binding_power(Kind::Pipe))?]),
            Kind::Or => Ast::Or(boxed(left), boxed(self.expression(binding_power(Kind::Or))?)),
            Kind::And => Ast::And(boxed(left), boxed(self.expression(binding_power(Kind::And))?)),
            Kind::Lparen => self.function(left)?,
            Kind::Filter => self.filter(left)?,
            Kind::Flatten => self.flatten(left)?,
            Kind::Lbracket => self.bracket_after(left)?,
            Kind::Eq => self.compare(Comparator::Eq, left)?,
            Kind::Ne => self.compare(Comparator::Ne, left)?,
            Kind::Lt => self.compare(Comparator::Lt, left)?,
            Kind::Lte => self.compare(Comparator::Lte, left)?,
            Kind::Gt => self.compare(Comparator::Gt, left)?,
            _ => self.compare(Comparator::Gte, left)?,
        })
    }

    fn quoted_field(&mut self, token: Token) -> Parsed {
        if self.kind(0) == Kind::Lparen {
            let next = self.token(0);
            return Err(SyntaxError::Parse {
                position: 0,
                message: "Quoted identifier not allowed for function names.".into(),
                token: str_of(&next.value),
                kind: next.kind.name(),
            });
        }
        Ok(Ast::Field(name_of(token.value)))
    }

    fn compare(&mut self, comparator: Comparator, left: Ast) -> Parsed {
        let right = self.expression(binding_power(Kind::Eq))?;
        Ok(Ast::Compare(comparator, boxed(left), boxed(right)))
    }

    fn dot(&mut self, left: Ast) -> Parsed {
        if self.kind(0) == Kind::Star {
            self.advance();
            let right = self.projection_right(binding_power(Kind::Dot))?;
            return Ok(Ast::ValueProjection(boxed(left), boxed(right)));
        }
        let right = self.dot_right(binding_power(Kind::Dot))?;
        Ok(match left {
            Ast::Chain(mut steps) => {
                steps.push(right);
                Ast::Chain(steps)
            }
            left => Ast::Chain(vec![left, right]),
        })
    }

    fn flatten(&mut self, left: Ast) -> Parsed {
        let right = self.projection_right(binding_power(Kind::Flatten))?;
        Ok(Ast::Projection(boxed(Ast::Flatten(boxed(left))), boxed(right)))
    }

    fn filter(&mut self, left: Ast) -> Parsed {
        let condition = self.expression(0)?;
        self.expect(Kind::Rbracket)?;
        let right = if self.kind(0) == Kind::Flatten {
            Ast::Identity
        } else {
            self.projection_right(binding_power(Kind::Filter))?
        };
        Ok(Ast::Filter {
            left: boxed(left),
            right: boxed(right),
            condition: boxed(condition),
        })
    }

    /// `name(args)`: the arguments need no comma between them, as in Python.
    fn function(&mut self, left: Ast) -> Parsed {
        let Ast::Field(name) = left else {
            let name_token = self
                .index
                .checked_sub(2)
                .and_then(|i| self.tokens.get(i))
                .unwrap_or(&self.eof);
            let message = format!("Invalid function name '{}'", str_of(&name_token.value));
            return Err(error_at(name_token, message));
        };
        let mut arguments = Vec::new();
        while self.kind(0) != Kind::Rparen {
            let argument = self.expression(0)?;
            if self.kind(0) == Kind::Comma {
                self.advance();
            }
            arguments.push(argument);
        }
        self.advance();
        Ok(Ast::Function(name, arguments))
    }

    /// After a `[` that starts an expression: an index, a slice, `[*]` or a multiselect list.
    fn bracket(&mut self, left: Ast) -> Parsed {
        if matches!(self.kind(0), Kind::Number | Kind::Colon) {
            let right = self.index_or_slice()?;
            return self.project_if_slice(left, right);
        }
        if self.kind(0) == Kind::Star && self.kind(1) == Kind::Rbracket {
            self.index += 2;
            let right = self.projection_right(binding_power(Kind::Star))?;
            return Ok(Ast::Projection(boxed(left), boxed(right)));
        }
        self.multi_list()
    }

    /// After a `[` that follows an expression: an index, a slice or `[*]`.
    fn bracket_after(&mut self, left: Ast) -> Parsed {
        if matches!(self.kind(0), Kind::Number | Kind::Colon) {
            let right = self.index_or_slice()?;
            return match left {
                Ast::IndexChain(mut steps) => {
                    steps.push(right);
                    Ok(Ast::IndexChain(steps))
                }
                left => self.project_if_slice(left, right),
            };
        }
        self.expect(Kind::Star)?;
        self.expect(Kind::Rbracket)?;
        let right = self.projection_right(binding_power(Kind::Star))?;
        Ok(Ast::Projection(boxed(left), boxed(right)))
    }

    fn project_if_slice(&mut self, left: Ast, right: Ast) -> Parsed {
        let is_slice = matches!(right, Ast::Slice(_));
        let indexed = Ast::IndexChain(vec![left, right]);
        if !is_slice {
            return Ok(indexed);
        }
        let rest = self.projection_right(binding_power(Kind::Star))?;
        Ok(Ast::Projection(boxed(indexed), boxed(rest)))
    }

    fn index_or_slice(&mut self) -> Parsed {
        if self.kind(0) == Kind::Colon || self.kind(1) == Kind::Colon {
            return self.slice();
        }
        let index = self.token(0).value.as_i64().unwrap_or_default();
        self.advance();
        self.expect(Kind::Rbracket)?;
        Ok(Ast::Index(index))
    }

    fn slice(&mut self) -> Parsed {
        let mut parts = [None; 3];
        let mut part = 0;
        while self.kind(0) != Kind::Rbracket && part < 3 {
            match self.kind(0) {
                Kind::Colon if part < 2 => part += 1,
                Kind::Number => {
                    if let Some(slot) = parts.get_mut(part) {
                        *slot = self.token(0).value.as_i64();
                    }
                }
                _ => return Err(error_at(self.token(0), "syntax error".into())),
            }
            self.advance();
        }
        self.expect(Kind::Rbracket)?;
        Ok(Ast::Slice(parts))
    }

    fn multi_list(&mut self) -> Parsed {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.kind(0) == Kind::Rbracket {
                break;
            }
            self.expect(Kind::Comma)?;
        }
        self.advance();
        Ok(Ast::MultiList(items))
    }

    /// `{key: value, ...}`: pairs need no comma between them, as in Python.
    fn multi_hash(&mut self) -> Parsed {
        let mut pairs = Vec::new();
        loop {
            let key = self.token(0).clone();
            if !matches!(key.kind, Kind::QuotedIdentifier | Kind::UnquotedIdentifier) {
                return Err(self.expected("['quoted_identifier', 'unquoted_identifier']"));
            }
            self.advance();
            self.expect(Kind::Colon)?;
            let value = self.expression(0)?;
            pairs.push((name_of(key.value), value));
            match self.kind(0) {
                Kind::Comma => self.advance(),
                Kind::Rbrace => {
                    self.advance();
                    break;
                }
                _ => {}
            }
        }
        Ok(Ast::MultiHash(pairs))
    }

    /// What a projection applies to each item: nothing when the next token stops it.
    fn projection_right(&mut self, power: u8) -> Parsed {
        match self.kind(0) {
            kind if binding_power(kind) < PROJECTION_STOP => Ok(Ast::Identity),
            Kind::Lbracket | Kind::Filter => self.expression(power),
            Kind::Dot => {
                self.advance();
                self.dot_right(power)
            }
            _ => Err(error_at(self.token(0), "syntax error".into())),
        }
    }

    /// What follows a `.`: an identifier, `*`, a multiselect list or hash.
    fn dot_right(&mut self, power: u8) -> Parsed {
        match self.kind(0) {
            Kind::QuotedIdentifier | Kind::UnquotedIdentifier | Kind::Star => self.expression(power),
            Kind::Lbracket => {
                self.advance();
                self.multi_list()
            }
            Kind::Lbrace => {
                self.advance();
                self.multi_hash()
            }
            kind => {
                let message = format!(
                    "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
                    kind.name()
                );
                Err(error_at(self.token(0), message))
            }
        }
    }

    /// Steps over a token of `kind`, or fails as Python's `_match` does.
    fn expect(&mut self, kind: Kind) -> Result<(), SyntaxError> {
        if self.kind(0) != kind {
            return Err(self.expected(kind.name()));
        }
        self.advance();
        Ok(())
    }

    /// The error for a token other than the `expected` one(s): incomplete at the end.
    fn expected(&self, expected: &str) -> SyntaxError {
        let token = self.token(0);
        if token.kind == Kind::Eof {
            return SyntaxError::Incomplete;
        }
        error_at(token, format!("Expecting: {expected}, got: {}", token.kind.name()))
    }
}

/// The name an identifier token holds.
fn name_of(value: Value) -> String {
    match value {
        Value::String(name) => name,
        other => crate::json::text::compact(&other),
    }
}
