//! `RegisterTaskDefinition`: validate as ECS does, assign the next revision of the family,
//! derive `requiresAttributes`, answer `{taskDefinition, tags}`.

use super::{Outcome, response};
use crate::error::{Error, ErrorKind, Result};
use crate::query::parse_expression;
use crate::scenario::Scenario;
use crate::taskdef::{RequiredAttribute, TaskDefinition, compatibilities};
use serde_json::{Map, Value, json};

pub(super) fn run(scenario: &mut Scenario, request: Map<String, Value>) -> Result<Outcome> {
    let (mut definition, tags) = definition(request)?;
    let latest = scenario
        .task_definitions
        .iter()
        .filter(|d| d.family == definition.family)
        .filter_map(|d| d.revision)
        .max()
        .unwrap_or(0);
    let revision = crate::taskdef::next_revision(latest)?;
    definition.revision = Some(revision);
    definition.task_definition_arn = Some(format!(
        "{}task-definition/{}:{revision}",
        scenario.cluster.arn_prefix(),
        definition.family
    ));
    definition.status = Some("ACTIVE".into());
    definition.requires_attributes = definition
        .derive_requires_attributes()
        .into_iter()
        .map(|name| RequiredAttribute { name, value: None })
        .collect();
    definition.compatibilities = compatibilities(&definition);
    let body = json!({"taskDefinition": response(&definition)?, "tags": tags});
    scenario.task_definitions.push(definition);
    Ok(Outcome::response(body))
}

/// The definition a request registers, checked as RegisterTaskDefinition checks it, and the
/// request's tags.
pub(in crate::aws) fn definition(request: Map<String, Value>) -> Result<(TaskDefinition, Value)> {
    let mut definition: TaskDefinition = crate::json::typed::from_value(Value::Object(request)).map_err(|e| {
        Error::new(ErrorKind::Client, format!("Invalid task definition: {}", e.message)).at_path(e.path)
    })?;
    let tags = definition.other.remove("tags").unwrap_or_else(|| json!([]));
    definition.validate_for_registration()?;
    for constraint in &definition.placement_constraints {
        if let Some(expression) = &constraint.expression {
            parse_expression(expression).map_err(|e| Error {
                kind: ErrorKind::Client,
                ..e
            })?;
        }
    }
    Ok((definition, tags))
}
