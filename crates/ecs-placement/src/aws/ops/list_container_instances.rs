//! `ListContainerInstances`: the instances of the cluster, optionally filtered by a CQL
//! expression and a status, in scenario order.

use super::{Options, Outcome, response};
use crate::aws::Explanation;
use crate::cql;
use crate::error::{Error, Result};
use crate::model::InstanceStatus;
use crate::query::{explain_instances, instance_views, parse_expression};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Request {
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    container_instance_arns: Vec<String>,
}

/// The statuses `--status` accepts.
const FILTERABLE: [InstanceStatus; 5] = [
    InstanceStatus::Active,
    InstanceStatus::Draining,
    InstanceStatus::Registering,
    InstanceStatus::Deregistering,
    InstanceStatus::RegistrationFailed,
];

pub(super) fn run(scenario: &mut Scenario, request: Request, options: Options) -> Result<Outcome> {
    let status = request.status.as_deref().map(parse_status).transpose()?;
    let keep = |s: InstanceStatus| status.map_or(s != InstanceStatus::Inactive, |wanted| s == wanted);
    let mut warnings = Vec::new();
    let mut explanation = None;
    let arns = match &request.filter {
        None => scenario
            .instances
            .iter()
            .filter(|i| keep(i.status))
            .map(|i| i.container_instance_arn.to_string())
            .collect(),
        Some(source) => {
            let (expr, diagnostics) = parse_expression(source)?;
            warnings.extend(diagnostics.iter().map(|d| format!("filter: {}", d.message)));
            if options.explain.any() {
                let mut scoped = scenario.clone();
                scoped.instances.retain(|i| keep(i.status));
                explanation = Some(Explanation::Filter {
                    expression: source.clone(),
                    instances: explain_instances(&scoped, &expr),
                });
            }
            instance_views(scenario)
                .iter()
                .filter(|view| keep(view.instance.status) && cql::evaluate(&expr, *view))
                .map(|view| view.instance.container_instance_arn.to_string())
                .collect()
        }
    };
    let response = response(&Response {
        container_instance_arns: arns,
    })?;
    Ok(Outcome {
        explanation,
        warnings,
        ..Outcome::response(response)
    })
}

fn parse_status(text: &str) -> Result<InstanceStatus> {
    InstanceStatus::parse(text).filter(|s| FILTERABLE.contains(s)).ok_or_else(|| {
        let valid: Vec<&str> = FILTERABLE.iter().map(|s| s.as_str()).collect();
        Error::invalid_parameter(format!(
            "1 validation error detected: Value '{text}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            valid.join(", ")
        ))
    })
}
