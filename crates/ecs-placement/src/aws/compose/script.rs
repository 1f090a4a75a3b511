//! Writing a [`RunSpec`] as an `aws ecs` script, with the quoting rules of the module
//! documentation.

use super::{ConstraintSpec, RunSpec, StrategySpec, TaskDefinitionSpec};
use crate::aws::words::{DASHES, SINGLE_QUOTES};
use crate::error::{Error, Result};
use crate::taskdef::PlacementConstraint;
use serde::Serialize;
use serde_json::{Value, json};

/// The image registered when the spec names none.
pub(super) const DEFAULT_IMAGE: &str = "nginx";

/// The whole script: the registration (when asked) and the run.
pub(super) fn render(spec: &RunSpec) -> Result<String> {
    let mut text = String::new();
    if spec.task_definition.register {
        text.push_str(&register_command(&spec.task_definition)?);
    }
    text.push_str(&run_command(spec)?);
    Ok(text)
}

/// One command: `aws ecs NAME`, then ` \`, a new line and four spaces before each option.
struct Command {
    text: String,
}

impl Command {
    fn new(name: &str) -> Command {
        Command {
            text: format!("aws ecs {name}"),
        }
    }

    /// `--flag word...` (words already quoted).
    fn words(&mut self, flag: &str, words: &[String]) {
        self.text.push_str(" \\\n    --");
        self.text.push_str(flag);
        for word in words {
            self.text.push(' ');
            self.text.push_str(word);
        }
    }

    /// `--flag value`, or `--flag=value` when the value starts like an option.
    fn value(&mut self, flag: &str, value: &str) {
        if value.starts_with('-') || value.starts_with(DASHES) {
            self.text.push_str(" \\\n    --");
            self.text.push_str(flag);
            self.text.push('=');
            self.text.push_str(&shell_word(value));
        } else {
            self.words(flag, &[shell_word(value)]);
        }
    }

    fn finish(mut self) -> String {
        self.text.push('\n');
        self.text
    }
}

fn register_command(definition: &TaskDefinitionSpec) -> Result<String> {
    let mut command = Command::new("register-task-definition");
    command.value("family", &definition.family);
    command.value("network-mode", &definition.network_mode);
    let containers = json_text(&[container(definition)])?;
    command.words("container-definitions", &[shell_word(&containers)]);
    Ok(command.finish())
}

fn run_command(spec: &RunSpec) -> Result<String> {
    let mut command = Command::new("run-task");
    if let Some(cluster) = &spec.cluster {
        command.value("cluster", cluster);
    }
    command.value("task-definition", &reference(&spec.task_definition));
    command.value("count", &spec.count.to_string());
    if let Some(group) = &spec.group {
        command.value("group", group);
    }
    if let Some(started_by) = &spec.started_by {
        command.value("started-by", started_by);
    }
    if let Some(network) = network_configuration(spec)? {
        command.words("network-configuration", &[network]);
    }
    if !spec.constraints.is_empty() {
        command.words("placement-constraints", &constraints(&spec.constraints)?);
    }
    if !spec.strategies.is_empty() {
        command.words("placement-strategy", &strategies(&spec.strategies)?);
    }
    Ok(command.finish())
}

/// `family` or `family:revision`.
fn reference(definition: &TaskDefinitionSpec) -> String {
    match definition.revision {
        Some(revision) => format!("{}:{revision}", definition.family),
        None => definition.family.clone(),
    }
}

/// The one container the builder registers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Container<'a> {
    name: &'a str,
    image: &'a str,
    cpu: i64,
    memory: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    port_mappings: Vec<Port>,
    essential: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Port {
    container_port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_port: Option<u16>,
    protocol: &'static str,
}

/// The container of a definition spec (host port 0 is left out).
pub(super) fn container(definition: &TaskDefinitionSpec) -> Container<'_> {
    Container {
        name: &definition.family,
        image: definition.image.as_deref().unwrap_or(DEFAULT_IMAGE),
        cpu: definition.cpu,
        memory: definition.memory,
        port_mappings: definition
            .ports
            .iter()
            .map(|p| Port {
                container_port: p.container_port,
                host_port: (p.host_port != 0).then_some(p.host_port),
                protocol: p.protocol.as_str(),
            })
            .collect(),
        essential: true,
    }
}

fn network_configuration(spec: &RunSpec) -> Result<Option<String>> {
    if spec.subnets.is_empty() && spec.security_groups.is_empty() && spec.assign_public_ip.is_none() {
        return Ok(None);
    }
    let ids = spec
        .subnets
        .iter()
        .chain(&spec.security_groups)
        .chain(&spec.assign_public_ip);
    let text = if ids.clone().all(|id| is_shorthand_id(id)) {
        let mut members = Vec::new();
        if !spec.subnets.is_empty() {
            members.push(format!("subnets=[{}]", spec.subnets.join(",")));
        }
        if !spec.security_groups.is_empty() {
            members.push(format!("securityGroups=[{}]", spec.security_groups.join(",")));
        }
        if let Some(assign) = &spec.assign_public_ip {
            members.push(format!("assignPublicIp={assign}"));
        }
        format!("awsvpcConfiguration={{{}}}", members.join(","))
    } else {
        let mut awsvpc = serde_json::Map::new();
        if !spec.subnets.is_empty() {
            awsvpc.insert("subnets".into(), json!(spec.subnets));
        }
        if !spec.security_groups.is_empty() {
            awsvpc.insert("securityGroups".into(), json!(spec.security_groups));
        }
        if let Some(assign) = &spec.assign_public_ip {
            awsvpc.insert("assignPublicIp".into(), json!(assign));
        }
        json_text(&json!({ "awsvpcConfiguration": Value::Object(awsvpc) }))?
    };
    Ok(Some(shell_word(&text)))
}

/// Shorthand words, or one JSON word when an expression holds `"` or `\`.
fn constraints(constraints: &[ConstraintSpec]) -> Result<Vec<String>> {
    let quotable = |c: &ConstraintSpec| match c {
        ConstraintSpec::MemberOf { expression } => !expression.contains(['"', '\\']),
        ConstraintSpec::DistinctInstance => true,
    };
    if constraints.iter().all(quotable) {
        let words = constraints.iter().map(|c| match c {
            ConstraintSpec::MemberOf { expression } => format!("type=memberOf,expression=\"{expression}\""),
            ConstraintSpec::DistinctInstance => "type=distinctInstance".to_string(),
        });
        return Ok(words.map(|w| shell_word(&w)).collect());
    }
    let list: Vec<PlacementConstraint> = constraints
        .iter()
        .map(|c| match c {
            ConstraintSpec::MemberOf { expression } => PlacementConstraint {
                kind: "memberOf".into(),
                expression: Some(expression.clone()),
            },
            ConstraintSpec::DistinctInstance => PlacementConstraint {
                kind: "distinctInstance".into(),
                expression: None,
            },
        })
        .collect();
    Ok(vec![shell_word(&json_text(&list)?)])
}

/// Shorthand words, or one JSON word when a field holds other characters than the plain ones.
fn strategies(strategies: &[StrategySpec]) -> Result<Vec<String>> {
    let plain = |s: &StrategySpec| s.field().is_none_or(is_shorthand_field);
    if strategies.iter().all(plain) {
        let words = strategies.iter().map(|s| match s.field() {
            Some(field) => format!("type={},field={field}", s.kind()),
            None => format!("type={}", s.kind()),
        });
        return Ok(words.map(|w| shell_word(&w)).collect());
    }
    let list: Vec<Value> = strategies
        .iter()
        .map(|s| match s.field() {
            Some(field) => json!({"type": s.kind(), "field": field}),
            None => json!({"type": s.kind()}),
        })
        .collect();
    Ok(vec![shell_word(&json_text(&list)?)])
}

/// A value both shorthand parsers read unquoted as the last value of a word.
fn is_shorthand_field(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '\\'))
}

/// A value both shorthand parsers read unquoted inside `[...]` and `{...}`.
fn is_shorthand_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':'))
}

fn json_text<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    crate::json::text::to_text(value).map_err(|e| Error::invalid_input(format!("cannot write JSON: {e}")))
}

/// A word for bash and [`words`](crate::aws::words): bare when plain, else single-quoted.
pub(super) fn shell_word(text: &str) -> String {
    let plain =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '%' | '+');
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    let mut word = String::with_capacity(text.len() + 2);
    word.push('\'');
    for c in text.chars() {
        if SINGLE_QUOTES.contains(&c) {
            word.push_str("'\\");
            word.push(c);
            word.push('\'');
        } else {
            word.push(c);
        }
    }
    word.push('\'');
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::words::split_command;

    #[test]
    fn shell_words_read_back() {
        for text in [
            "plain",
            "",
            "a b",
            "it's",
            "‘curly’ “double”",
            "$HOME `x` \\ # *",
            "-x",
            "a\nb",
        ] {
            let word = shell_word(text);
            let (words, _) = split_command(&format!("aws {word}")).unwrap();
            assert_eq!(words, ["aws", text], "{word}");
        }
        assert_eq!(
            shell_word("type=spread,field=attribute:ecs.availability-zone"),
            "type=spread,field=attribute:ecs.availability-zone"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
