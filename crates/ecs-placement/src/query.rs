//! CQL over a scenario: which instances match an expression, and why.

use crate::cql::{self, ClauseTrace, Expr, InstanceFacts};
use crate::error::{Error, Result};
use crate::model::{ContainerInstance, Task};
use crate::scenario::Scenario;
use crate::time::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// What CQL sees of one instance: the instance and its tasks whose desired status is RUNNING.
#[derive(Debug, Clone)]
pub struct InstanceView<'a> {
    /// The instance.
    pub instance: &'a ContainerInstance,
    /// Its tasks with desired status RUNNING.
    pub tasks: Vec<&'a Task>,
}

impl InstanceFacts for InstanceView<'_> {
    fn agent_connected(&self) -> bool {
        self.instance.agent_connected
    }

    fn agent_version(&self) -> &str {
        &self.instance.agent_version
    }

    fn ec2_instance_id(&self) -> &str {
        &self.instance.ec2_instance_id
    }

    fn registered_at(&self) -> Timestamp {
        self.instance.registered_at
    }

    fn running_tasks_count(&self) -> u64 {
        self.tasks.len() as u64 + u64::from(self.instance.untracked_running_tasks)
    }

    fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.instance.attribute(name)
    }

    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.tasks.iter().any(|t| test(&t.group))
    }
}

/// One view per instance, in scenario order.
pub fn instance_views(scenario: &Scenario) -> Vec<InstanceView<'_>> {
    let mut by_instance: HashMap<&str, Vec<&Task>> = HashMap::new();
    for task in scenario.tasks.iter().filter(|t| t.is_desired_running()) {
        by_instance
            .entry(task.container_instance_arn.as_str())
            .or_default()
            .push(task);
    }
    scenario
        .instances
        .iter()
        .map(|instance| InstanceView {
            instance,
            tasks: by_instance
                .remove(instance.container_instance_arn.as_str())
                .unwrap_or_default(),
        })
        .collect()
}

/// Parses an expression for use as a filter or constraint; errors become an
/// `InvalidParameterException` carrying the diagnostics.
pub fn parse_expression(source: &str) -> Result<(Expr, Vec<crate::Diagnostic>)> {
    let parsed = cql::parse(source);
    match parsed.expr {
        Some(expr) => Ok((expr, parsed.diagnostics)),
        None => {
            let first = parsed
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map_or_else(String::new, |d| d.message.clone());
            Err(Error::invalid_parameter(format!("invalid expression: {first}"))
                .with_diagnostics(source, parsed.diagnostics))
        }
    }
}

/// How one instance fared against an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceMatch {
    /// The instance ARN.
    pub container_instance_arn: String,
    /// Its EC2 instance ID.
    pub ec2_instance_id: String,
    /// Whether the expression holds.
    pub matched: bool,
    /// The clause-by-clause truth table.
    pub clauses: Vec<ClauseTrace>,
}

/// Evaluates `expr` on every instance with its truth table, in scenario order.
pub fn explain_instances(scenario: &Scenario, expr: &Expr) -> Vec<InstanceMatch> {
    instance_views(scenario)
        .iter()
        .map(|view| {
            let clauses = cql::explain(expr, view);
            InstanceMatch {
                container_instance_arn: view.instance.container_instance_arn.clone(),
                ec2_instance_id: view.instance.ec2_instance_id.clone(),
                matched: clauses.first().is_some_and(|c| c.value),
                clauses,
            }
        })
        .collect()
}

/// Renders truth tables as text: one block per instance, one line per clause.
pub fn render_explanations(source: &str, matches: &[InstanceMatch]) -> String {
    let mut out = String::new();
    for m in matches {
        let verdict = if m.matched { "matches" } else { "does not match" };
        out.push_str(&format!(
            "{} ({}): {verdict}\n",
            crate::model::short_id(&m.container_instance_arn),
            m.ec2_instance_id
        ));
        for clause in &m.clauses {
            let text = source.get(clause.span.clone()).unwrap_or("");
            let indent = "  ".repeat(clause.depth + 1);
            let value = if clause.value { "true " } else { "false" };
            out.push_str(&format!("{indent}{value}  {text}"));
            if let Some(actual) = &clause.actual {
                out.push_str(&format!("    [instance: {actual}]"));
            }
            out.push('\n');
            if let Some(note) = &clause.note {
                out.push_str(&format!("{indent}       note: {note}\n"));
            }
        }
    }
    out
}
