//! `PutAttributes`, `DeleteAttributes` and `ListAttributes` on container instances (spec §7.4,
//! decision D13): at most 10 attributes per call and 10 custom attributes per instance, names
//! and values as the API allows, targets named by ARN or by short ID with `targetType` (or,
//! leniently and with a warning, by EC2 instance ID).
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::validation::{AwsAnswer, Resolved, check_batch, enum_error, resolve_instance};
use super::{Outcome, response};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Attributes, ContainerInstance};
use crate::scenario::{MAX_ATTRIBUTE_VALUE, Scenario, check_attribute_name};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Attributes per PutAttributes / DeleteAttributes call (AWS limit).
pub const MAX_PER_CALL: usize = 10;
/// Custom attributes per container instance (AWS limit).
pub const MAX_CUSTOM: usize = 10;
/// The only attribute target type.
const CONTAINER_INSTANCE: &str = "container-instance";
/// Prefixes of the attributes ECS sets; attributes named so are not custom.
const RESERVED_PREFIXES: [&str; 2] = ["com.amazonaws.ecs.", "ecs."];
/// How the reserved-prefix warning ends for PutAttributes.
const PUT_RESERVED: &str = "accepts it to simulate an agent capability";
/// How the reserved-prefix warning ends for DeleteAttributes.
const DELETE_RESERVED: &str = "deletes it to simulate an instance without that capability";

/// An API `Attribute`: in requests as given, in responses as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Attribute {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_id: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ChangeRequest {
    attributes: Vec<Attribute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListRequest {
    target_type: String,
    #[serde(default)]
    attribute_name: Option<String>,
    #[serde(default)]
    attribute_value: Option<String>,
}

#[derive(Serialize)]
struct Response {
    attributes: Vec<Attribute>,
}

/// An attribute of the request with the instance it targets.
struct Change<'a> {
    attribute: &'a Attribute,
    instance: usize,
    /// Set when the target was an EC2 instance ID.
    warning: Option<String>,
}

/// `PutAttributes`: creates or overwrites; the whole call is rejected (nothing changed) when a
/// name, value or target is invalid or an instance would hold more than 10 custom attributes.
pub(super) fn put(scenario: &mut Scenario, request: ChangeRequest) -> Result<Outcome> {
    let changes = resolve(scenario, &request.attributes, "PutAttributes", true)?;
    check_custom_limit(scenario, &changes)?;
    apply_put(scenario, &changes);
    let warnings = change_warnings(&changes, &request.attributes, PUT_RESERVED);
    answer(echo(scenario, &changes), warnings)
}

/// `DeleteAttributes`: removes the named attributes (values are ignored); an attribute the
/// instance does not have is not an error.
pub(super) fn delete(scenario: &mut Scenario, request: ChangeRequest) -> Result<Outcome> {
    let changes = resolve(scenario, &request.attributes, "DeleteAttributes", false)?;
    apply_delete(scenario, &changes);
    let warnings = change_warnings(&changes, &request.attributes, DELETE_RESERVED);
    answer(echo(scenario, &changes), warnings)
}

/// Puts one attribute on the instance at `index` with PutAttributes' checks (name, value, at
/// most 10 custom attributes per instance); nothing changes on error. Returns the warning for
/// a name with a prefix ECS reserves, as PutAttributes gives it.
pub(crate) fn put_attribute(
    scenario: &mut Scenario,
    index: usize,
    name: &str,
    value: Option<&str>,
) -> Result<Vec<String>> {
    let attribute = Attribute {
        name: name.to_string(),
        value: value.map(str::to_string),
        target_type: None,
        target_id: None,
    };
    check_attribute(&attribute, &format!("attribute `{name}`"), true)?;
    let changes = [Change {
        attribute: &attribute,
        instance: index,
        warning: None,
    }];
    check_custom_limit(scenario, &changes)?;
    apply_put(scenario, &changes);
    Ok(reserved_warnings(std::slice::from_ref(&attribute), PUT_RESERVED))
}

/// Deletes one attribute of the instance at `index` with DeleteAttributes' checks (the name);
/// an attribute the instance does not have is not an error. Returns the reserved-prefix
/// warning as DeleteAttributes gives it.
pub(crate) fn delete_attribute(scenario: &mut Scenario, index: usize, name: &str) -> Result<Vec<String>> {
    let attribute = Attribute {
        name: name.to_string(),
        value: None,
        target_type: None,
        target_id: None,
    };
    check_attribute(&attribute, &format!("attribute `{name}`"), false)?;
    let changes = [Change {
        attribute: &attribute,
        instance: index,
        warning: None,
    }];
    apply_delete(scenario, &changes);
    Ok(reserved_warnings(std::slice::from_ref(&attribute), DELETE_RESERVED))
}

fn apply_put(scenario: &mut Scenario, changes: &[Change<'_>]) {
    for change in changes {
        if let Some(instance) = scenario.instances.get_mut(change.instance) {
            let attribute = change.attribute;
            let previous = instance
                .attributes
                .insert(attribute.name.clone(), attribute.value.clone());
            if previous.as_ref() != Some(&attribute.value) {
                instance.record_change();
            }
        }
    }
}

fn apply_delete(scenario: &mut Scenario, changes: &[Change<'_>]) {
    for change in changes {
        if let Some(instance) = scenario.instances.get_mut(change.instance) {
            if remove_attribute(&mut instance.attributes, &change.attribute.name) {
                instance.record_change();
            }
        }
    }
}

/// Takes attribute `name` out of `attributes`, saying whether it was there. The map is rebuilt
/// rather than shrunk with `BTreeMap::remove`, whose code would be the module's only for
/// attribute maps; it is copied first when shared, as a removal copied it.
fn remove_attribute(attributes: &mut Attributes, name: &str) -> bool {
    let attributes: &mut BTreeMap<String, Option<String>> = attributes;
    if !attributes.contains_key(name) {
        return false;
    }
    for (key, value) in std::mem::take(attributes) {
        if key != name {
            attributes.insert(key, value);
        }
    }
    true
}

/// The request's attributes as the response echoes them; a target given as an EC2 instance ID
/// is answered with the container instance ID it was read as.
fn echo(scenario: &Scenario, changes: &[Change<'_>]) -> Vec<Attribute> {
    changes
        .iter()
        .map(|change| {
            let mut attribute = change.attribute.clone();
            if change.warning.is_some() {
                let instance = scenario.instances.get(change.instance);
                attribute.target_id = instance.map(|i| i.short_id().to_string());
            }
            attribute
        })
        .collect()
}

/// The EC2-instance-ID warnings (once each), then the reserved-prefix ones.
fn change_warnings(changes: &[Change<'_>], attributes: &[Attribute], reserved: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    for change in changes {
        super::validation::push_warning(&mut warnings, change.warning.clone());
    }
    warnings.extend(reserved_warnings(attributes, reserved));
    warnings
}

/// `ListAttributes`: every attribute (built-in ones included) of every instance, instances in
/// scenario order and names in order, optionally only those with a name (and value).
pub(super) fn list(scenario: &Scenario, request: ListRequest) -> Result<Outcome> {
    if request.target_type != CONTAINER_INSTANCE {
        return Err(enum_error(&request.target_type, "targetType", &[CONTAINER_INSTANCE]));
    }
    if request.attribute_value.is_some() && request.attribute_name.is_none() {
        return Err(Error::invalid_parameter(
            "attributeValue can only be given together with attributeName.",
        ));
    }
    let name = request.attribute_name.as_deref();
    let value = request.attribute_value.as_deref();
    let attributes = scenario
        .instances
        .iter()
        .flat_map(|instance| listed(instance, name, value))
        .collect();
    answer(attributes, Vec::new())
}

fn listed<'a>(
    instance: &'a ContainerInstance,
    name: Option<&'a str>,
    value: Option<&'a str>,
) -> impl Iterator<Item = Attribute> + 'a {
    instance
        .attributes
        .iter()
        .filter(move |(n, v)| name.is_none_or(|w| w == n.as_str()) && value.is_none_or(|w| v.as_deref() == Some(w)))
        .map(|(n, v)| Attribute {
            name: n.clone(),
            value: v.clone(),
            target_type: Some(CONTAINER_INSTANCE.to_string()),
            target_id: Some(instance.container_instance_arn.to_string()),
        })
}

fn answer(attributes: Vec<Attribute>, warnings: Vec<String>) -> Result<Outcome> {
    Ok(Outcome {
        warnings,
        ..Outcome::response(response(&Response { attributes })?)
    })
}

/// Checks the batch size, every name, every value (when `values` is set) and every target;
/// returns the targeted instances.
fn resolve<'a>(
    scenario: &Scenario,
    attributes: &'a [Attribute],
    operation: &str,
    values: bool,
) -> Result<Vec<Change<'a>>> {
    check_batch(operation, "attributes", attributes.len(), MAX_PER_CALL)?;
    attributes
        .iter()
        .enumerate()
        .map(|(index, attribute)| {
            check_attribute(attribute, &format!("attribute {}", index + 1), values)?;
            let Resolved { index, warning } = target(scenario, attribute, index + 1)?;
            Ok(Change {
                attribute,
                instance: index,
                warning,
            })
        })
        .collect()
}

/// Checks an attribute's name and, when `values` is set, its value; `what` names the attribute
/// in the message (`attribute 2`).
fn check_attribute(attribute: &Attribute, what: &str, values: bool) -> Result<()> {
    check_attribute_name(&attribute.name).map_err(|e| Error::invalid_parameter(e.message))?;
    match (values, &attribute.value) {
        (true, Some(value)) => check_value(value, what),
        _ => Ok(()),
    }
}

/// The instance an attribute targets: a container instance ARN, or its short ID together with
/// `targetType: container-instance` (leniently also its EC2 instance ID, with a warning).
/// `position` is 1-based, as in AWS validation messages.
fn target(scenario: &Scenario, attribute: &Attribute, position: usize) -> Result<Resolved> {
    if let Some(kind) = attribute.target_type.as_deref().filter(|k| *k != CONTAINER_INSTANCE) {
        let path = format!("attributes.{position}.member.targetType");
        return Err(enum_error(kind, &path, &[CONTAINER_INSTANCE]));
    }
    let Some(id) = attribute.target_id.as_deref() else {
        return Err(Error::invalid_parameter(format!(
            "attribute {position} (`{}`) has no targetId: give the container instance ARN, or its ID with targetType=container-instance.",
            attribute.name
        )));
    };
    let by_arn = id.starts_with("arn:");
    if !by_arn && attribute.target_type.is_none() {
        return Err(Error::invalid_parameter(format!(
            "targetType is required when targetId `{id}` is not an ARN: add targetType=container-instance or give the full container instance ARN."
        )));
    }
    let found = if by_arn {
        let index = scenario.instances.iter().position(|i| i.container_instance_arn == id);
        index.map(|index| Resolved { index, warning: None })
    } else {
        resolve_instance(scenario, id, AwsAnswer::TargetNotFound)
    };
    found.ok_or_else(|| target_not_found(scenario, id))
}

fn target_not_found(scenario: &Scenario, id: &str) -> Error {
    Error::new(
        ErrorKind::TargetNotFound,
        format!("Could not find {id} in cluster {}.", scenario.cluster.name),
    )
}

/// Values: 1-128 letters, digits, `-`, `_`, `.`, `@`, `/`, `\`, `:` or spaces, with no leading
/// or trailing space (spec §7.4). `what` names the attribute in the message.
pub(crate) fn check_value(value: &str, what: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/' | '\\' | ':' | ' ');
    let valid = !value.is_empty()
        && value.chars().count() <= MAX_ATTRIBUTE_VALUE
        && value.chars().all(allowed)
        && !value.starts_with(' ')
        && !value.ends_with(' ');
    if valid {
        return Ok(());
    }
    Err(Error::invalid_parameter(format!(
        "invalid value `{value}` for {what}: use 1-{MAX_ATTRIBUTE_VALUE} letters, digits, spaces, `-`, `_`, `.`, `@`, `/`, `\\` or `:`, with no leading or trailing space"
    )))
}

/// True for attributes users set (not `ecs.*` or `com.amazonaws.ecs.*`).
pub(crate) fn is_custom(name: &str) -> bool {
    !RESERVED_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// No instance may end up with more than [`MAX_CUSTOM`] custom attributes.
fn check_custom_limit(scenario: &Scenario, changes: &[Change<'_>]) -> Result<()> {
    // The instances in index order, each with the custom attributes it would have.
    let added_to = |index: usize| {
        changes
            .iter()
            .filter(move |c| c.instance == index && is_custom(&c.attribute.name))
            .map(|c| c.attribute.name.as_str())
    };
    for (index, instance) in scenario.instances.iter().enumerate() {
        if added_to(index).next().is_none() {
            continue;
        }
        let mut custom: BTreeSet<&str> =
            crate::order::set_of(instance.attributes.keys().map(String::as_str).filter(|n| is_custom(n)));
        custom.extend(added_to(index));
        if custom.len() > MAX_CUSTOM {
            return Err(Error::new(
                ErrorKind::AttributeLimitExceeded,
                format!(
                    "Container instance {} would have {} custom attributes; the limit is {MAX_CUSTOM} per container instance \
                     (attributes named `ecs.*` or `com.amazonaws.ecs.*` do not count). No attribute was changed.",
                    instance.short_id(),
                    custom.len()
                ),
            ));
        }
    }
    Ok(())
}

/// One warning per attribute named with a prefix ECS reserves.
fn reserved_warnings(attributes: &[Attribute], what: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    attributes
        .iter()
        .filter(|a| seen.insert(a.name.as_str()))
        .filter_map(|a| {
            let prefix = RESERVED_PREFIXES.iter().find(|p| a.name.starts_with(*p))?;
            Some(format!(
                "attribute `{}`: AWS reserves the `{prefix}` prefix for attributes ECS sets; the playground {what}",
                a.name
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::sample;
    use serde_json::json;

    const FIRST: &str =
        "arn:aws:ecs:us-east-1:123456789012:container-instance/default/0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c";

    fn attribute(name: &str, value: Option<&str>, target_type: Option<&str>, target_id: &str) -> Attribute {
        Attribute {
            name: name.into(),
            value: value.map(str::to_string),
            target_type: target_type.map(str::to_string),
            target_id: Some(target_id.into()),
        }
    }

    fn put_one(scenario: &mut Scenario, attribute: Attribute) -> Result<Outcome> {
        put(
            scenario,
            ChangeRequest {
                attributes: vec![attribute],
            },
        )
    }

    fn first_attribute(scenario: &Scenario, name: &str) -> Option<Option<String>> {
        scenario.instances.first().unwrap().attributes.get(name).cloned()
    }

    #[test]
    fn put_by_arn_creates_and_echoes() {
        let mut scenario = sample().unwrap();
        let out = put_one(&mut scenario, attribute("team", Some("payments"), None, FIRST)).unwrap();
        assert_eq!(
            out.response,
            json!({"attributes": [{"name": "team", "value": "payments", "targetId": FIRST}]})
        );
        assert!(out.warnings.is_empty());
        assert_eq!(first_attribute(&scenario, "team"), Some(Some("payments".into())));
    }

    #[test]
    fn put_overwrites_and_takes_short_ids_with_a_target_type() {
        let mut scenario = sample().unwrap();
        put_one(
            &mut scenario,
            attribute(
                "color",
                Some("red"),
                Some("container-instance"),
                "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c",
            ),
        )
        .unwrap();
        assert_eq!(first_attribute(&scenario, "color"), Some(Some("red".into())));
        put_one(
            &mut scenario,
            attribute(
                "flag",
                None,
                Some("container-instance"),
                "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c",
            ),
        )
        .unwrap();
        assert_eq!(first_attribute(&scenario, "flag"), Some(None));
    }

    #[test]
    fn short_ids_need_the_target_type() {
        let mut scenario = sample().unwrap();
        let err = put_one(
            &mut scenario,
            attribute("a", None, None, "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
        let err = put_one(&mut scenario, attribute("a", None, Some("task"), FIRST)).unwrap_err();
        assert!(
            err.message.contains("at 'attributes.1.member.targetType'"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_targets_are_not_found() {
        let mut scenario = sample().unwrap();
        for id in [
            "arn:aws:ecs:us-east-1:123456789012:container-instance/default/nope",
            "i-ffff1234",
        ] {
            let err = put_one(&mut scenario, attribute("a", None, Some("container-instance"), id)).unwrap_err();
            assert_eq!(err.kind, ErrorKind::TargetNotFound, "{id}");
            assert_eq!(err.message, format!("Could not find {id} in cluster default."));
        }
        let missing = Attribute {
            target_id: None,
            ..attribute("a", None, None, "")
        };
        assert_eq!(
            put_one(&mut scenario, missing).unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn ec2_instance_ids_target_their_container_instance_with_a_warning() {
        let mut scenario = sample().unwrap();
        let out = put_one(
            &mut scenario,
            attribute("team", Some("payments"), Some("container-instance"), "i-abcd1234"),
        )
        .unwrap();
        assert_eq!(first_attribute(&scenario, "team"), Some(Some("payments".into())));
        assert_eq!(
            out.response,
            json!({"attributes": [{"name": "team", "value": "payments", "targetType": "container-instance",
                "targetId": "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"}]})
        );
        assert_eq!(
            out.warnings,
            [
                "`i-abcd1234` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here \
              (it would answer TargetNotFoundException). The playground used container instance \
              `0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c`."
            ]
        );
        let request = ChangeRequest {
            attributes: vec![attribute("team", None, Some("container-instance"), "i-abcd1234")],
        };
        let out = delete(&mut scenario, request).unwrap();
        assert_eq!(first_attribute(&scenario, "team"), None);
        assert_eq!(out.warnings.len(), 1);
        let err = put_one(&mut scenario, attribute("team", None, None, "i-abcd1234")).unwrap_err();
        assert!(err.message.starts_with("targetType is required"), "{}", err.message);
    }

    #[test]
    fn one_attribute_at_a_time_has_the_same_rules() {
        let mut scenario = sample().unwrap();
        assert!(put_attribute(&mut scenario, 0, "team", Some("a")).unwrap().is_empty());
        assert_eq!(first_attribute(&scenario, "team"), Some(Some("a".into())));
        let warnings = put_attribute(&mut scenario, 0, "ecs.capability.foo", None).unwrap();
        assert!(warnings[0].contains("AWS reserves the `ecs.` prefix"), "{warnings:?}");
        let err = put_attribute(&mut scenario, 0, "team", Some(" lead")).unwrap_err();
        assert!(
            err.message.starts_with("invalid value ` lead` for attribute `team`"),
            "{}",
            err.message
        );
        let err = put_attribute(&mut scenario, 0, "bad name", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
        for i in 0..7 {
            put_attribute(&mut scenario, 0, &format!("c{i}"), None).unwrap();
        }
        let before = scenario.clone();
        let err = put_attribute(&mut scenario, 0, "eleventh", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::AttributeLimitExceeded);
        assert_eq!(scenario, before);
        assert!(delete_attribute(&mut scenario, 0, "never").unwrap().is_empty());
        delete_attribute(&mut scenario, 0, "team").unwrap();
        assert_eq!(first_attribute(&scenario, "team"), None);
        assert_eq!(
            delete_attribute(&mut scenario, 0, "").unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn names_and_values_are_validated() {
        let mut scenario = sample().unwrap();
        for (name, value) in [
            ("bad name", None),
            ("", None),
            ("ok", Some(" lead")),
            ("ok", Some("trail ")),
            ("ok", Some("a,b")),
            ("ok", Some("")),
        ] {
            let err = put_one(&mut scenario, attribute(name, value, None, FIRST)).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidParameter, "{name:?} {value:?}");
        }
        let long = "v".repeat(129);
        assert!(put_one(&mut scenario, attribute("ok", Some(&long), None, FIRST)).is_err());
        assert!(put_one(&mut scenario, attribute("ok", Some("a b@c:d/e\\f.g_h-1"), None, FIRST)).is_ok());
        assert!(
            put_one(
                &mut scenario,
                attribute(&"n".repeat(128), Some(&"v".repeat(128)), None, FIRST)
            )
            .is_ok()
        );
    }

    #[test]
    fn at_most_ten_per_call() {
        let mut scenario = sample().unwrap();
        let attributes: Vec<Attribute> = (0..11)
            .map(|i| attribute(&format!("a{i}"), None, None, FIRST))
            .collect();
        let err = put(
            &mut scenario,
            ChangeRequest {
                attributes: attributes.clone(),
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
        assert!(delete(&mut scenario, ChangeRequest { attributes }).is_err());
    }

    #[test]
    fn at_most_ten_custom_attributes_per_instance() {
        let mut scenario = sample().unwrap();
        // The instance already has `stack` and `color`: eight more fit.
        let eight: Vec<Attribute> = (0..8).map(|i| attribute(&format!("c{i}"), None, None, FIRST)).collect();
        put(&mut scenario, ChangeRequest { attributes: eight }).unwrap();
        put_one(&mut scenario, attribute("color", Some("red"), None, FIRST)).unwrap();
        put_one(&mut scenario, attribute("ecs.capability.extra", None, None, FIRST)).unwrap();
        let before = scenario.clone();
        let err = put(
            &mut scenario,
            ChangeRequest {
                attributes: vec![
                    attribute("color", Some("x"), None, FIRST),
                    attribute("eleventh", None, None, FIRST),
                ],
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::AttributeLimitExceeded);
        assert_eq!(scenario, before);
    }

    #[test]
    fn reserved_prefixes_are_accepted_with_a_warning() {
        let mut scenario = sample().unwrap();
        let out = put_one(&mut scenario, attribute("ecs.capability.foo", None, None, FIRST)).unwrap();
        assert_eq!(out.warnings.len(), 1);
        assert!(out.warnings.first().unwrap().contains("AWS reserves the `ecs.` prefix"));
        assert!(out.warnings.first().unwrap().contains("simulate an agent capability"));
    }

    #[test]
    fn delete_removes_and_ignores_absent_names() {
        let mut scenario = sample().unwrap();
        let request = ChangeRequest {
            attributes: vec![
                attribute("color", Some("ignored"), None, FIRST),
                attribute("never", None, None, FIRST),
            ],
        };
        let out = delete(&mut scenario, request).unwrap();
        assert_eq!(out.response["attributes"].as_array().unwrap().len(), 2);
        assert_eq!(first_attribute(&scenario, "color"), None);
        let err = delete(
            &mut scenario,
            ChangeRequest {
                attributes: vec![attribute("a", None, None, "ghost")],
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
    }

    fn list_of(scenario: &Scenario, name: Option<&str>, value: Option<&str>) -> Result<serde_json::Value> {
        let request = ListRequest {
            target_type: CONTAINER_INSTANCE.into(),
            attribute_name: name.map(str::to_string),
            attribute_value: value.map(str::to_string),
        };
        list(scenario, request).map(|o| o.response)
    }

    #[test]
    fn list_filters_by_name_and_value() {
        let scenario = sample().unwrap();
        let all = list_of(&scenario, None, None).unwrap();
        let total: usize = scenario.instances.iter().map(|i| i.attributes.len()).sum();
        assert_eq!(all["attributes"].as_array().unwrap().len(), total);
        let blue = list_of(&scenario, Some("color"), Some("blue")).unwrap();
        let blue = blue["attributes"].as_array().unwrap();
        assert_eq!(blue.len(), 2);
        assert_eq!(
            blue.first().unwrap(),
            &json!({"name": "color", "value": "blue", "targetType": "container-instance", "targetId": FIRST})
        );
        assert!(
            list_of(&scenario, Some("color"), Some("purple")).unwrap()["attributes"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let flags = list_of(&scenario, Some("ecs.capability.task-eni"), None).unwrap();
        assert!(
            flags["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a.get("value").is_none())
        );
    }

    #[test]
    fn list_checks_its_parameters() {
        let scenario = sample().unwrap();
        assert_eq!(
            list_of(&scenario, None, Some("blue")).unwrap_err().kind,
            ErrorKind::InvalidParameter
        );
        let request = ListRequest {
            target_type: "task".into(),
            attribute_name: None,
            attribute_value: None,
        };
        let err = list(&scenario, request).unwrap_err();
        assert!(
            err.message.contains("enum value set: [container-instance]"),
            "{}",
            err.message
        );
    }
}
