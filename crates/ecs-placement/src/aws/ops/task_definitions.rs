//! `DescribeTaskDefinition`, `ListTaskDefinitions` and `DeregisterTaskDefinition`.
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::validation::enum_value;
use super::{Outcome, response};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use crate::taskdef::TaskDefinition;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The `TaskDefinitionStatus` enum.
const STATUSES: [&str; 3] = ["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"];
/// The `SortOrder` enum.
const SORT_ORDERS: [&str; 2] = ["ASC", "DESC"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DefinitionRequest {
    task_definition: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListRequest {
    #[serde(default)]
    family_prefix: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    sort: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListResponse {
    task_definition_arns: Vec<String>,
}

/// What a `--task-definition` value names.
#[derive(Debug, PartialEq, Eq)]
struct Reference<'a> {
    family: &'a str,
    revision: Option<u32>,
}

/// Reads `family`, `family:revision` or `arn:...:task-definition/family[:revision]`; `None`
/// when the text cannot name a task definition (a non-numeric revision, a foreign ARN).
fn parse_reference(text: &str) -> Option<Reference<'_>> {
    let name = if text.starts_with("arn:") {
        text.split_once(":task-definition/")?.1
    } else {
        text
    };
    match name.split_once(':') {
        None => Some(Reference {
            family: name,
            revision: None,
        }),
        Some((family, revision)) => Some(Reference {
            family,
            revision: Some(revision.parse().ok()?),
        }),
    }
}

/// The definition a reference names: an exact ARN, `family:revision` (any status), or `family`
/// (its latest ACTIVE revision).
fn find<'a>(scenario: &'a Scenario, text: &str) -> Option<&'a TaskDefinition> {
    let definitions = &scenario.task_definitions;
    if let Some(exact) = definitions
        .iter()
        .find(|d| d.task_definition_arn.as_deref() == Some(text))
    {
        return Some(exact);
    }
    let reference = parse_reference(text)?;
    let family = definitions.iter().filter(|d| d.family == reference.family);
    match reference.revision {
        Some(revision) => family.clone().find(|d| d.revision == Some(revision)),
        None => family.filter(|d| is_active(d)).max_by_key(|d| d.revision),
    }
}

fn is_active(definition: &TaskDefinition) -> bool {
    definition.status.as_deref() != Some("INACTIVE")
}

/// `DescribeTaskDefinition`: `{taskDefinition, tags}`. An INACTIVE revision can be described by
/// its revision or ARN; a family alone names its latest ACTIVE revision. `--include TAGS` is
/// accepted (no tags are simulated).
pub(super) fn describe(scenario: &Scenario, request: DefinitionRequest) -> Result<Outcome> {
    let definition = find(scenario, &request.task_definition)
        .ok_or_else(|| Error::new(ErrorKind::Client, "Unable to describe task definition."))?;
    answer(json!({"taskDefinition": response(definition)?, "tags": []}))
}

/// `ListTaskDefinitions`: ARNs of the definitions with the status (default ACTIVE) and family
/// prefix, sorted by family then revision (`--sort DESC` reverses). `DELETE_IN_PROGRESS` lists
/// nothing: the playground does not simulate deletion.
pub(super) fn list(scenario: &Scenario, request: ListRequest) -> Result<Outcome> {
    let status = enum_value(request.status.as_deref(), "ACTIVE", "status", &STATUSES)?;
    let sort = enum_value(request.sort.as_deref(), "ASC", "sort", &SORT_ORDERS)?;
    let prefix = request.family_prefix.as_deref().unwrap_or("");
    let mut definitions: Vec<&TaskDefinition> = scenario
        .task_definitions
        .iter()
        .filter(|d| d.family.starts_with(prefix) && d.status.as_deref().unwrap_or("ACTIVE") == status)
        .collect();
    crate::order::sort_stable_by(&mut definitions, |a, b| {
        (&a.family, a.revision).cmp(&(&b.family, b.revision))
    });
    if sort == "DESC" {
        definitions.reverse();
    }
    let task_definition_arns = definitions
        .iter()
        .filter_map(|d| d.task_definition_arn.clone())
        .collect();
    answer(response(&ListResponse { task_definition_arns })?)
}

/// `DeregisterTaskDefinition`: the revision becomes INACTIVE (running tasks are not affected;
/// RunTask refuses it). A revision is required: a family alone is a `ClientException`.
/// Deregistering an INACTIVE revision again returns it unchanged.
pub(super) fn deregister(scenario: &mut Scenario, request: DefinitionRequest) -> Result<Outcome> {
    let text = request.task_definition.as_str();
    if parse_reference(text).is_some_and(|r| r.revision.is_none()) {
        return Err(Error::new(
            ErrorKind::Client,
            format!(
                "`{text}` names a family, not a revision: DeregisterTaskDefinition needs family:revision or the full task definition ARN."
            ),
        ));
    }
    let arn = find(scenario, text)
        .and_then(|d| d.task_definition_arn.clone())
        .ok_or_else(|| Error::new(ErrorKind::Client, "The specified task definition does not exist."))?;
    let definition = scenario
        .task_definitions
        .iter_mut()
        .find(|d| d.task_definition_arn.as_deref() == Some(arn.as_str()))
        .ok_or_else(|| Error::new(ErrorKind::Client, "The specified task definition does not exist."))?;
    definition.status = Some("INACTIVE".into());
    answer(json!({"taskDefinition": response(definition)?}))
}

fn answer(response: serde_json::Value) -> Result<Outcome> {
    Ok(Outcome::response(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let mut scenario = crate::presets::sample().unwrap();
        // Only these definitions (not the sample's own).
        scenario.task_definitions.clear();
        let prefix = scenario.cluster.arn_prefix();
        for (family, revision, status) in [
            ("web", 1, "INACTIVE"),
            ("web", 2, "ACTIVE"),
            ("api", 1, "ACTIVE"),
            ("web", 3, "ACTIVE"),
        ] {
            let mut definition: TaskDefinition = serde_json::from_value(json!({
                "family": family,
                "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}],
            }))
            .unwrap();
            definition.revision = Some(revision);
            definition.status = Some(status.into());
            definition.task_definition_arn = Some(format!("{prefix}task-definition/{family}:{revision}"));
            scenario.task_definitions.push(definition);
        }
        scenario
    }

    fn describe_revision(scenario: &Scenario, text: &str) -> Result<Option<u64>> {
        let out = describe(
            scenario,
            DefinitionRequest {
                task_definition: text.into(),
            },
        )?;
        Ok(out.response["taskDefinition"]["revision"].as_u64())
    }

    #[test]
    fn references() {
        assert_eq!(
            parse_reference("web"),
            Some(Reference {
                family: "web",
                revision: None
            })
        );
        assert_eq!(
            parse_reference("web:3"),
            Some(Reference {
                family: "web",
                revision: Some(3)
            })
        );
        assert_eq!(
            parse_reference("arn:aws:ecs:us-east-1:1:task-definition/web:3"),
            Some(Reference {
                family: "web",
                revision: Some(3)
            })
        );
        assert_eq!(parse_reference("web:x"), None);
        assert_eq!(parse_reference("arn:aws:ecs:us-east-1:1:task/web"), None);
    }

    #[test]
    fn describe_by_family_revision_and_arn() {
        let scenario = scenario();
        assert_eq!(describe_revision(&scenario, "web").unwrap(), Some(3));
        assert_eq!(describe_revision(&scenario, "web:1").unwrap(), Some(1));
        assert_eq!(
            describe_revision(&scenario, "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1").unwrap(),
            Some(1)
        );
        let out = describe(
            &scenario,
            DefinitionRequest {
                task_definition: "api".into(),
            },
        )
        .unwrap();
        assert_eq!(out.response["tags"], json!([]));
        let err = describe_revision(&scenario, "nope").unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str()),
            (ErrorKind::Client, "Unable to describe task definition.")
        );
        assert!(describe_revision(&scenario, "web:9").is_err());
    }

    fn listed(
        scenario: &Scenario,
        prefix: Option<&str>,
        status: Option<&str>,
        sort: Option<&str>,
    ) -> Result<Vec<String>> {
        let request = ListRequest {
            family_prefix: prefix.map(Into::into),
            status: status.map(Into::into),
            sort: sort.map(Into::into),
        };
        let out = list(scenario, request)?.response;
        Ok(out["taskDefinitionArns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().rsplit('/').next().unwrap().to_string())
            .collect())
    }

    #[test]
    fn list_sorts_and_filters() {
        let scenario = scenario();
        assert_eq!(
            listed(&scenario, None, None, None).unwrap(),
            ["api:1", "web:2", "web:3"]
        );
        assert_eq!(
            listed(&scenario, None, None, Some("DESC")).unwrap(),
            ["web:3", "web:2", "api:1"]
        );
        assert_eq!(
            listed(&scenario, Some("we"), Some("INACTIVE"), None).unwrap(),
            ["web:1"]
        );
        assert!(
            listed(&scenario, None, Some("DELETE_IN_PROGRESS"), None)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            listed(&scenario, None, Some("active"), None).unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
        assert_eq!(
            listed(&scenario, None, None, Some("UP")).unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn deregister_needs_a_revision() {
        let mut scenario = scenario();
        let out = deregister(
            &mut scenario,
            DefinitionRequest {
                task_definition: "web:3".into(),
            },
        )
        .unwrap();
        assert_eq!(out.response["taskDefinition"]["status"], "INACTIVE");
        assert!(out.response.get("tags").is_none());
        assert_eq!(describe_revision(&scenario, "web").unwrap(), Some(2));
        let again = deregister(
            &mut scenario,
            DefinitionRequest {
                task_definition: "web:3".into(),
            },
        )
        .unwrap();
        assert_eq!(again.response["taskDefinition"]["status"], "INACTIVE");
        for text in ["web", "web:9", "ghost:1"] {
            let err = deregister(
                &mut scenario,
                DefinitionRequest {
                    task_definition: text.into(),
                },
            )
            .unwrap_err();
            assert_eq!(err.kind, ErrorKind::Client, "{text}");
        }
    }
}
