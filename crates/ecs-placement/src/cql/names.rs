//! Names CQL knows: built-in attributes and the spellings people reach for by mistake.

use super::ast::Field;
use crate::similar;

/// Built-in and optional attributes ECS sets (spec §2.4).
pub const BUILT_IN_ATTRIBUTES: &[&str] = &[
    "ecs.ami-id",
    "ecs.availability-zone",
    "ecs.instance-type",
    "ecs.os-type",
    "ecs.os-family",
    "ecs.cpu-architecture",
    "ecs.vpc-id",
    "ecs.subnet-id",
    "ecs.awsvpc-trunk-id",
    "ecs.outpost-arn",
    "ecs.capability.external",
];

/// Capability attributes are open-ended (`ecs.capability.docker-plugin.<driver>`, ...).
const CAPABILITY_PREFIX: &str = "ecs.capability.";

/// For an `ecs.*` attribute name ECS does not define: the closest known name.
pub fn unknown_built_in(name: &str) -> Option<&'static str> {
    if !name.starts_with("ecs.") || name.starts_with(CAPABILITY_PREFIX) || BUILT_IN_ATTRIBUTES.contains(&name) {
        return None;
    }
    similar::nearest(name, BUILT_IN_ATTRIBUTES.iter().copied()).map(|(n, _)| n)
}

/// What an unknown subject most likely meant, as a replacement subject and an explanation.
pub fn subject_suggestion(word: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(hint) = well_known_mistake(word) {
        return Some(hint);
    }
    if let Some(name) = word.strip_prefix("attributes:").or_else(|| word.strip_prefix("attr:")) {
        return Some((format!("attribute:{name}"), None));
    }
    if word.starts_with("ecs.") {
        return Some((
            format!("attribute:{word}"),
            Some("attributes are written `attribute:<name>`"),
        ));
    }
    let bare = word.strip_prefix("instance:").unwrap_or(word);
    let candidates = Field::ALL.iter().map(|f| f.name()).chain(["task:group"]);
    similar::closest(bare, candidates).map(|s| (s.to_string(), None))
}

fn well_known_mistake(word: &str) -> Option<(String, Option<&'static str>)> {
    let bare = word.strip_prefix("instance:").unwrap_or(word).to_ascii_lowercase();
    let (replacement, why) = match bare.as_str() {
        "instancetype" | "instance-type" | "type" => (
            "attribute:ecs.instance-type",
            "there is no `instanceType` field; the instance type is the built-in attribute `ecs.instance-type`",
        ),
        "availabilityzone" | "availability-zone" | "az" | "zone" => (
            "attribute:ecs.availability-zone",
            "the Availability Zone is the built-in attribute `ecs.availability-zone`",
        ),
        "instanceid" | "containerinstanceid" => ("ec2InstanceId", "the EC2 instance ID field is `ec2InstanceId`"),
        "group" | "taskgroup" | "task:groups" => ("task:group", "task groups are compared with `task:group`"),
        _ => return None,
    };
    Some((replacement.to_string(), Some(why)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ecs_attributes_get_the_closest_name() {
        assert_eq!(unknown_built_in("ecs.instance_type"), Some("ecs.instance-type"));
        assert_eq!(unknown_built_in("ecs.availability_zone"), Some("ecs.availability-zone"));
        assert_eq!(unknown_built_in("ecs.instance-type"), None);
        assert_eq!(unknown_built_in("ecs.capability.task-eni"), None);
        assert_eq!(unknown_built_in("stack"), None);
    }

    #[test]
    fn subjects() {
        assert_eq!(subject_suggestion("agentconnected").unwrap().0, "agentConnected");
        assert_eq!(
            subject_suggestion("instanceType").unwrap().0,
            "attribute:ecs.instance-type"
        );
        assert_eq!(subject_suggestion("attributes:color").unwrap().0, "attribute:color");
        assert_eq!(subject_suggestion("task:grup").unwrap().0, "task:group");
        assert_eq!(subject_suggestion("ecs.os-type").unwrap().0, "attribute:ecs.os-type");
        assert_eq!(subject_suggestion("qqqqqqqq"), None);
    }
}
