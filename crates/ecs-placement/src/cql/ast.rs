//! The CQL syntax tree. Every node carries the byte span it was parsed from.

use super::pattern::Pattern;
use crate::diagnostic::Span;
use crate::time::Timestamp;
use serde::Serialize;

/// An expression node.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Its source range (including surrounding parentheses when it was parenthesised).
    pub span: Span,
}

/// The kinds of expression. `and` and `or` chains are n-ary, so long chains stay shallow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum ExprKind {
    /// `a or b or ...` (two or more operands).
    Or(Vec<Expr>),
    /// `a and b and ...` (two or more operands).
    And(Vec<Expr>),
    /// `not a` / `!a`.
    Not(Box<Expr>),
    /// `subject operator [argument]`.
    Compare(Comparison),
}

/// A simple expression: `subject operator [argument]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// What is compared.
    pub subject: Subject,
    /// Where the subject is.
    pub subject_span: Span,
    /// The operator.
    pub op: Op,
    /// Where the operator is.
    pub op_span: Span,
    /// The argument.
    pub operand: Operand,
}

/// The instance fields CQL can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// `agentConnected`: `true` or `false`.
    AgentConnected,
    /// `agentVersion`: the ECS agent version.
    AgentVersion,
    /// `ec2InstanceId`.
    Ec2InstanceId,
    /// `registeredAt`: registration instant.
    RegisteredAt,
    /// `runningTasksCount`: tasks whose desired status is RUNNING.
    RunningTasksCount,
}

/// The subject of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Subject {
    /// One of the five instance fields, optionally written with the `instance:` prefix (D7).
    Field {
        /// Which field.
        field: Field,
        /// True when written `instance:<field>`.
        prefixed: bool,
    },
    /// `attribute:<name>`.
    Attribute {
        /// The attribute name.
        name: String,
        /// True when written `instance:attribute:<name>`.
        prefixed: bool,
    },
    /// `task:group`.
    TaskGroup,
}

/// The twelve CQL operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// `==` / `equals`
    Eq,
    /// `!=` / `not_equals`
    NotEq,
    /// `<` / `less_than`
    Lt,
    /// `<=` / `less_than_equal`
    Le,
    /// `>` / `greater_than`
    Gt,
    /// `>=` / `greater_than_equal`
    Ge,
    /// `in`
    In,
    /// `!in` / `not_in`
    NotIn,
    /// `=~` / `matches`
    Matches,
    /// `!~` / `not_matches`
    NotMatches,
    /// `exists`
    Exists,
    /// `!exists` / `not_exists`
    NotExists,
}

/// The argument of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum Operand {
    /// `exists` / `!exists` take no argument.
    None,
    /// One value.
    Scalar(Literal),
    /// `[a, b, ...]` for `in` / `!in`.
    List(Vec<Literal>),
}

/// A value as written (quotes stripped), with the typed form the comparison needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Literal {
    /// The text without quotes.
    pub text: String,
    /// Where it is (quotes included).
    pub span: Span,
    /// The form the evaluator compares with.
    #[serde(skip)]
    pub typed: Typed,
}

/// A literal converted for its subject and operator at parse time.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Typed {
    /// Compared as a string (byte-wise for ordering).
    #[default]
    Text,
    /// A number, for ordering comparisons on attributes that are numeric too (D6).
    Number(f64),
    /// A whole number (`runningTasksCount`).
    Integer(u64),
    /// Dotted numeric components (`agentVersion`).
    Version(Vec<u64>),
    /// An instant (`registeredAt`).
    Instant(Timestamp),
    /// A compiled regular expression (`=~`, `!~`).
    Pattern(Pattern),
}

impl Field {
    /// Every field, in documentation order.
    pub const ALL: [Field; 5] = [
        Field::AgentConnected,
        Field::AgentVersion,
        Field::Ec2InstanceId,
        Field::RegisteredAt,
        Field::RunningTasksCount,
    ];

    /// The field's CQL name.
    pub fn name(self) -> &'static str {
        match self {
            Field::AgentConnected => "agentConnected",
            Field::AgentVersion => "agentVersion",
            Field::Ec2InstanceId => "ec2InstanceId",
            Field::RegisteredAt => "registeredAt",
            Field::RunningTasksCount => "runningTasksCount",
        }
    }

    /// Looks a field up by its exact (case-sensitive) name.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The operators the AWS documentation lists for this field (decision D8).
    pub fn valid_ops(self) -> &'static [Op] {
        use Op::*;
        match self {
            Field::AgentConnected | Field::Ec2InstanceId => &[Eq, NotEq, In, NotIn, Matches, NotMatches],
            Field::AgentVersion | Field::RegisteredAt | Field::RunningTasksCount => &[Eq, NotEq, Lt, Le, Gt, Ge],
        }
    }
}

impl Subject {
    /// The operators valid for this subject.
    pub fn valid_ops(&self) -> &'static [Op] {
        match self {
            Subject::Field { field, .. } => field.valid_ops(),
            Subject::Attribute { .. } | Subject::TaskGroup => &Op::ALL,
        }
    }
}

impl Op {
    /// Every operator, in the order diagnostics list them.
    pub const ALL: [Op; 12] = [
        Op::Eq,
        Op::NotEq,
        Op::Lt,
        Op::Le,
        Op::Gt,
        Op::Ge,
        Op::In,
        Op::NotIn,
        Op::Matches,
        Op::NotMatches,
        Op::Exists,
        Op::NotExists,
    ];

    /// The symbolic spelling (`==`, `!in`, `exists`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::NotEq => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
            Op::NotIn => "!in",
            Op::Matches => "=~",
            Op::NotMatches => "!~",
            Op::Exists => "exists",
            Op::NotExists => "!exists",
        }
    }

    /// What kind of argument the operator takes.
    pub fn arity(self) -> Arity {
        match self {
            Op::Exists | Op::NotExists => Arity::Nullary,
            Op::In | Op::NotIn => Arity::List,
            _ => Arity::Scalar,
        }
    }

    /// True for `<`, `<=`, `>`, `>=`.
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

    /// True for `=~`, `!~`.
    pub fn is_pattern(self) -> bool {
        matches!(self, Op::Matches | Op::NotMatches)
    }
}

/// The shape of an operator's argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// No argument.
    Nullary,
    /// One value.
    Scalar,
    /// A bracketed list.
    List,
}

impl Expr {
    /// Whether the expression reads the instance's tasks (`task:group`, `runningTasksCount`):
    /// only such an expression can change its verdict when the instance receives a task.
    pub fn reads_tasks(&self) -> bool {
        match &self.kind {
            ExprKind::Or(items) | ExprKind::And(items) => items.iter().any(Expr::reads_tasks),
            ExprKind::Not(inner) => inner.reads_tasks(),
            ExprKind::Compare(c) => matches!(
                c.subject,
                Subject::TaskGroup
                    | Subject::Field {
                        field: Field::RunningTasksCount,
                        ..
                    }
            ),
        }
    }

    /// Whether every comparison reads an attribute (`attribute:<name>`): then the verdict is
    /// the same for instances with equal attributes.
    pub fn reads_attributes_only(&self) -> bool {
        match &self.kind {
            ExprKind::Or(items) | ExprKind::And(items) => items.iter().all(Expr::reads_attributes_only),
            ExprKind::Not(inner) => inner.reads_attributes_only(),
            ExprKind::Compare(c) => matches!(c.subject, Subject::Attribute { .. }),
        }
    }

    /// Sets every span in the tree to `0..0` (for comparing trees parsed from different text).
    pub fn strip_spans(&mut self) {
        self.span = 0..0;
        match &mut self.kind {
            ExprKind::Or(items) | ExprKind::And(items) => items.iter_mut().for_each(Expr::strip_spans),
            ExprKind::Not(inner) => inner.strip_spans(),
            ExprKind::Compare(c) => {
                c.subject_span = 0..0;
                c.op_span = 0..0;
                match &mut c.operand {
                    Operand::None => {}
                    Operand::Scalar(l) => l.span = 0..0,
                    Operand::List(items) => items.iter_mut().for_each(|l| l.span = 0..0),
                }
            }
        }
    }
}
