//! Evaluating CQL on one container instance, fast (`evaluate`) or with the value of every
//! sub-expression (`explain`, the clause-by-clause truth table).

use super::ast::{Comparison, Expr, ExprKind, Field, Literal, Op, Operand, Subject, Typed};
use super::value::{compare_versions, parse_agent_version, parse_number};
use crate::diagnostic::Span;
use crate::time::Timestamp;
use serde::Serialize;
use std::cmp::Ordering;

/// What CQL can see of a container instance.
pub trait InstanceFacts {
    /// `agentConnected`.
    fn agent_connected(&self) -> bool;
    /// `agentVersion` (empty when unknown).
    fn agent_version(&self) -> &str;
    /// `ec2InstanceId`.
    fn ec2_instance_id(&self) -> &str;
    /// `registeredAt`.
    fn registered_at(&self) -> Timestamp;
    /// `runningTasksCount`: tasks on the instance whose desired status is RUNNING.
    fn running_tasks_count(&self) -> u64;
    /// `attribute:<name>`: `None` when absent, `Some(None)` when present without a value.
    fn attribute(&self, name: &str) -> Option<Option<&str>>;
    /// Calls `test` on the group of each task (desired status RUNNING) on the instance, stopping
    /// at the first `true`; returns whether any call returned `true`.
    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool;
}

/// Evaluates `expr` on one instance (short-circuiting).
pub fn evaluate(expr: &Expr, facts: &dyn InstanceFacts) -> bool {
    match &expr.kind {
        ExprKind::Or(items) => items.iter().any(|e| evaluate(e, facts)),
        ExprKind::And(items) => items.iter().all(|e| evaluate(e, facts)),
        ExprKind::Not(inner) => !evaluate(inner, facts),
        ExprKind::Compare(c) => compare(c, facts),
    }
}

fn compare(c: &Comparison, facts: &dyn InstanceFacts) -> bool {
    match &c.subject {
        Subject::Field { field, .. } => compare_field(*field, c.op, &c.operand, facts),
        Subject::Attribute { name, .. } => match (facts.attribute(name), c.op) {
            (None, op) => op == Op::NotExists,
            (Some(_), Op::Exists) => true,
            (Some(_), Op::NotExists) => false,
            (Some(value), op) => value.is_some_and(|v| compare_text(op, &c.operand, v)),
        },
        Subject::TaskGroup => match c.op {
            Op::Exists => facts.any_task_group(&mut |_| true),
            Op::NotExists => !facts.any_task_group(&mut |_| true),
            op => facts.any_task_group(&mut |group| compare_text(op, &c.operand, group)),
        },
    }
}

fn compare_field(field: Field, op: Op, operand: &Operand, facts: &dyn InstanceFacts) -> bool {
    match field {
        Field::AgentConnected => compare_text(op, operand, if facts.agent_connected() { "true" } else { "false" }),
        Field::Ec2InstanceId => compare_text(op, operand, facts.ec2_instance_id()),
        Field::AgentVersion if op.is_ordering() => {
            let Some(actual) = parse_agent_version(facts.agent_version()) else {
                return false;
            };
            scalar(operand).is_some_and(|lit| match &lit.typed {
                Typed::Version(wanted) => ordering_holds(op, compare_versions(&actual, wanted)),
                _ => false,
            })
        }
        Field::AgentVersion => !facts.agent_version().is_empty() && compare_text(op, operand, facts.agent_version()),
        Field::RegisteredAt => scalar(operand).is_some_and(|lit| match &lit.typed {
            Typed::Instant(wanted) => ordering_or_equality(op, facts.registered_at().cmp(wanted)),
            _ => false,
        }),
        Field::RunningTasksCount => scalar(operand).is_some_and(|lit| match &lit.typed {
            Typed::Integer(wanted) => ordering_or_equality(op, facts.running_tasks_count().cmp(wanted)),
            _ => false,
        }),
    }
}

fn scalar(operand: &Operand) -> Option<&Literal> {
    match operand {
        Operand::Scalar(lit) => Some(lit),
        _ => None,
    }
}

/// Compares a string value: equality, lists, patterns, and ordering (numeric when both sides
/// are numbers, else byte-wise; decision D6).
fn compare_text(op: Op, operand: &Operand, value: &str) -> bool {
    match (op, operand) {
        (Op::In, Operand::List(items)) => items.iter().any(|l| l.text == value),
        (Op::NotIn, Operand::List(items)) => items.iter().all(|l| l.text != value),
        (Op::Matches, Operand::Scalar(l)) => pattern_matches(l, value),
        (Op::NotMatches, Operand::Scalar(l)) => !pattern_matches(l, value),
        (Op::Eq, Operand::Scalar(l)) => l.text == value,
        (Op::NotEq, Operand::Scalar(l)) => l.text != value,
        (op, Operand::Scalar(l)) if op.is_ordering() => ordering_holds(op, order_values(value, l)),
        _ => false,
    }
}

fn pattern_matches(literal: &Literal, value: &str) -> bool {
    match &literal.typed {
        Typed::Pattern(p) => p.is_match(value),
        _ => false,
    }
}

fn order_values(value: &str, literal: &Literal) -> Ordering {
    match (&literal.typed, parse_number(value)) {
        (Typed::Number(wanted), Some(actual)) => actual.partial_cmp(wanted).unwrap_or(Ordering::Equal),
        _ => value.as_bytes().cmp(literal.text.as_bytes()),
    }
}

fn ordering_holds(op: Op, ordering: Ordering) -> bool {
    match op {
        Op::Lt => ordering.is_lt(),
        Op::Le => ordering.is_le(),
        Op::Gt => ordering.is_gt(),
        Op::Ge => ordering.is_ge(),
        _ => false,
    }
}

fn ordering_or_equality(op: Op, ordering: Ordering) -> bool {
    match op {
        Op::Eq => ordering.is_eq(),
        Op::NotEq => ordering.is_ne(),
        op => ordering_holds(op, ordering),
    }
}

/// The kind of a row of the truth table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ClauseKind {
    /// An `or` chain.
    Or,
    /// An `and` chain.
    And,
    /// A negation.
    Not,
    /// A simple comparison.
    Compare,
}

/// One row of the truth table: a sub-expression and its value on the instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClauseTrace {
    /// The sub-expression's source range.
    pub span: Span,
    /// Nesting depth (0 for the whole expression).
    pub depth: usize,
    /// What kind of sub-expression.
    pub kind: ClauseKind,
    /// Its value on the instance.
    pub value: bool,
    /// For comparisons: what the instance has for the subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// For comparisons, when a rule decided the value (a missing attribute, an unreadable version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Evaluates every sub-expression (no short-circuit) and returns the rows in pre-order.
pub fn explain(expr: &Expr, facts: &dyn InstanceFacts) -> Vec<ClauseTrace> {
    let mut rows = Vec::new();
    explain_into(expr, facts, 0, &mut rows);
    rows
}

fn explain_into(expr: &Expr, facts: &dyn InstanceFacts, depth: usize, rows: &mut Vec<ClauseTrace>) -> bool {
    let index = rows.len();
    let (kind, actual, note) = match &expr.kind {
        ExprKind::Or(_) => (ClauseKind::Or, None, None),
        ExprKind::And(_) => (ClauseKind::And, None, None),
        ExprKind::Not(_) => (ClauseKind::Not, None, None),
        ExprKind::Compare(c) => (
            ClauseKind::Compare,
            Some(actual_value(&c.subject, facts)),
            rule_note(c, facts),
        ),
    };
    rows.push(ClauseTrace {
        span: expr.span.clone(),
        depth,
        kind,
        value: false,
        actual,
        note,
    });
    let value = match &expr.kind {
        ExprKind::Or(items) => children(items, facts, depth, rows).iter().any(|v| *v),
        ExprKind::And(items) => children(items, facts, depth, rows).iter().all(|v| *v),
        ExprKind::Not(inner) => !explain_into(inner, facts, depth + 1, rows),
        ExprKind::Compare(c) => compare(c, facts),
    };
    if let Some(row) = rows.get_mut(index) {
        row.value = value;
    }
    value
}

/// Explains every child (no short-circuit: each row gets its value).
fn children(items: &[Expr], facts: &dyn InstanceFacts, depth: usize, rows: &mut Vec<ClauseTrace>) -> Vec<bool> {
    items.iter().map(|e| explain_into(e, facts, depth + 1, rows)).collect()
}

/// How the instance's value of a subject reads in an explanation.
pub fn actual_value(subject: &Subject, facts: &dyn InstanceFacts) -> String {
    match subject {
        Subject::Field { field, .. } => match field {
            Field::AgentConnected => facts.agent_connected().to_string(),
            Field::AgentVersion => facts.agent_version().to_string(),
            Field::Ec2InstanceId => facts.ec2_instance_id().to_string(),
            Field::RegisteredAt => facts.registered_at().to_string(),
            Field::RunningTasksCount => facts.running_tasks_count().to_string(),
        },
        Subject::Attribute { name, .. } => match facts.attribute(name) {
            None => "(missing)".to_string(),
            Some(None) => "(present, no value)".to_string(),
            Some(Some(value)) => value.to_string(),
        },
        Subject::TaskGroup => {
            let mut groups: Vec<String> = Vec::new();
            facts.any_task_group(&mut |g| {
                if !groups.iter().any(|known| known == g) {
                    groups.push(g.to_string());
                }
                false
            });
            // In name order, however the counts are kept.
            crate::order::sort_stable_by(&mut groups, |a, b| a.cmp(b));
            if groups.is_empty() {
                "(no running tasks)".to_string()
            } else {
                format!("[{}]", groups.join(", "))
            }
        }
    }
}

fn rule_note(c: &Comparison, facts: &dyn InstanceFacts) -> Option<String> {
    match &c.subject {
        Subject::Attribute { name, .. } if !matches!(c.op, Op::Exists | Op::NotExists) => match facts.attribute(name) {
            None => Some(format!(
                "the instance has no attribute `{name}`, so every comparison on it is false (AWS leaves this case open; the playground treats it as no match)"
            )),
            Some(None) => Some(format!(
                "`{name}` is present without a value, so only `exists` holds for it"
            )),
            Some(Some(_)) => None,
        },
        Subject::Field {
            field: Field::AgentVersion,
            ..
        } if c.op.is_ordering() && parse_agent_version(facts.agent_version()).is_none() => Some(format!(
            "agent version `{}` has no dotted numbers to compare, so the comparison is false",
            facts.agent_version()
        )),
        Subject::TaskGroup if !matches!(c.op, Op::Exists | Op::NotExists) && !facts.any_task_group(&mut |_| true) => {
            Some("no task runs on the instance, so every comparison on `task:group` is false".to_string())
        }
        _ => None,
    }
}
