//! The run builder's two-way mapping between a structured [`RunSpec`] and the `aws ecs` script
//! that does the same thing, so that the page's form never implements AWS CLI logic.
//!
//! [`compose_script`] writes the script the way the AWS documentation prints commands (one
//! command per line, ` \` before each `--option`, shorthand for structures) and checks it by
//! reading it back with this crate's own shell splitter and argument parser and validating it as
//! the operations do, so every limit and message is the operations' own. [`parse_run_spec`] is
//! the inverse: it reads the last `run-task` of a script, and the task definition it runs.
//!
//! # Quoting
//!
//! The script must read the same in bash, in [`words`](super::words) and in the AWS CLI (v1 and
//! v2, whose shorthand parser is `awscli/shorthand.py`):
//!
//! * A word made only of `A-Z a-z 0-9 - _ . / : = , @ % +` is written bare; any other word is
//!   single-quoted, with each `'` written `'\''` (and the typographic `‘` `’`, which
//!   [`words`](super::words) also reads as quotes, written `'\‘'` and `'\’'`). An empty word is
//!   `''`.
//! * A value that starts with a dash is attached to its option (`--group=-x`), as argparse and
//!   the typographic-dash repair would otherwise read it as an option.
//! * `--placement-strategy`: shorthand words (`type=spread,field=attribute:ecs.availability-zone
//!   type=binpack,field=memory`) when every field is made of `A-Z a-z 0-9 - _ . / : \`, which
//!   both shorthand parsers read unquoted; otherwise the JSON list.
//! * `--placement-constraints`: shorthand words with the expression double-quoted inside the
//!   shorthand (`'type=memberOf,expression="attribute:ecs.instance-type == t2.small"'`), as the
//!   AWS docs write it. Inside double quotes the AWS CLI takes spaces, commas, brackets, `=` and
//!   single quotes literally (`in [a, b]` is safe); only `"` and `\` are escapes, which the two
//!   parsers unescape differently. An expression containing `"` or `\` therefore switches the
//!   whole option to the JSON list (`'[{"type":"memberOf","expression":"..."}]'`): one option
//!   cannot mix shorthand and JSON.
//! * `--network-configuration`: shorthand
//!   (`'awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=ENABLED}'`)
//!   when every ID is made of `A-Z a-z 0-9 - _ . / :`; otherwise JSON.
//! * `--container-definitions` is always JSON, as in the AWS docs.

mod read;
mod script;

use super::{FileSource, NoFiles, Options};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// A RunTask as the run builder shows it: the task definition, how many tasks, their group, the
/// placement constraints and strategies, and the awsvpc network configuration.
///
/// JSON (`camelCase`; unknown fields are refused): `{taskDefinition, count, group, startedBy,
/// constraints, strategies, subnets, securityGroups, assignPublicIp, cluster}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunSpec {
    /// The task definition to run, and whether the script registers it first.
    pub task_definition: TaskDefinitionSpec,
    /// `--count`: 1 to 10 (up to 10,000 with the playground's what-if mode).
    pub count: u32,
    /// `--group` (RunTask's default is `family:<family>`).
    #[serde(default)]
    pub group: Option<String>,
    /// `--started-by`.
    #[serde(default)]
    pub started_by: Option<String>,
    /// `--placement-constraints`, in order.
    #[serde(default)]
    pub constraints: Vec<ConstraintSpec>,
    /// `--placement-strategy`, in order (at most 5); empty means RunTask's default, `random`.
    #[serde(default)]
    pub strategies: Vec<StrategySpec>,
    /// awsvpc only: `--network-configuration awsvpcConfiguration={subnets=[...]}`.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// awsvpc only: `securityGroups` of the network configuration (no effect on placement).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// awsvpc only: `assignPublicIp` of the network configuration, `ENABLED` or `DISABLED` (no
    /// effect on placement).
    #[serde(default)]
    pub assign_public_ip: Option<String>,
    /// `--cluster`, omitted when `None` (the AWS CLI then uses `default`).
    #[serde(default)]
    pub cluster: Option<String>,
}

/// The task definition of a [`RunSpec`].
///
/// JSON: `{family, revision, register, networkMode, cpu, memory, ports, image}`.
///
/// With `register: true` the script registers a definition with one container named like the
/// family, of this `cpu` and `memory` and with these ports, then runs the family. With
/// `register: false` the definition is already registered in the scenario: the script runs
/// `family` (or `family:revision`), and the other fields only describe it (what one task
/// reserves, as the engine computes it, decision D15, and its port mappings); they are not
/// written to the script, and `networkMode` only decides whether the network configuration is
/// required or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskDefinitionSpec {
    /// The family.
    pub family: String,
    /// A revision to run (`family:revision`); only with `register: false` (registering
    /// assigns the next revision, and the script runs the latest).
    #[serde(default)]
    pub revision: Option<u32>,
    /// True: the script registers this definition first. False: it is already registered.
    pub register: bool,
    /// `bridge`, `host`, `awsvpc` or `none`.
    pub network_mode: String,
    /// CPU units one task reserves (the container's `cpu` when registering).
    pub cpu: i64,
    /// MiB one task reserves (the container's `memory` when registering).
    pub memory: i64,
    /// Port mappings.
    #[serde(default)]
    pub ports: Vec<PortSpec>,
    /// The container image; `nginx` when registering without one.
    #[serde(default)]
    pub image: Option<String>,
}

/// A port mapping. JSON: `{containerPort, hostPort, protocol}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortSpec {
    /// The container port.
    pub container_port: u16,
    /// The host port; 0 leaves it out of the definition: a dynamic port in bridge mode, the
    /// container port in host and awsvpc modes.
    #[serde(default)]
    pub host_port: u16,
    /// `tcp` (default) or `udp`.
    #[serde(default)]
    pub protocol: Protocol,
}

/// A port mapping's protocol.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// `tcp`.
    #[default]
    Tcp,
    /// `udp`.
    Udp,
}

impl Protocol {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// A placement constraint. JSON: `{"type": "memberOf", "expression": "..."}` or
/// `{"type": "distinctInstance"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", try_from = "Fields")]
pub enum ConstraintSpec {
    /// The instance must satisfy the CQL expression.
    MemberOf {
        /// The expression.
        expression: String,
    },
    /// No two tasks of the group on one instance.
    DistinctInstance,
}

/// A placement strategy. JSON: `{"type": "random"}`, `{"type": "binpack", "field": "cpu"}` (or
/// `memory`) or `{"type": "spread", "field": "attribute:..."}` (or `instanceId`, `host`); the
/// field keeps its spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", try_from = "Fields")]
pub enum StrategySpec {
    /// Uniformly at random.
    Random,
    /// The least remaining `cpu` or `memory` that still fits.
    Binpack {
        /// `cpu` or `memory`.
        field: String,
    },
    /// Evenly over the values of a field.
    Spread {
        /// `instanceId`, `host` or `attribute:<name>`.
        field: String,
    },
}

impl StrategySpec {
    /// `random`, `binpack` or `spread`.
    pub fn kind(&self) -> &'static str {
        match self {
            StrategySpec::Random => "random",
            StrategySpec::Binpack { .. } => "binpack",
            StrategySpec::Spread { .. } => "spread",
        }
    }

    /// The field (none for `random`).
    pub fn field(&self) -> Option<&str> {
        match self {
            StrategySpec::Random => None,
            StrategySpec::Binpack { field } | StrategySpec::Spread { field } => Some(field),
        }
    }
}

/// A constraint or strategy as JSON gives it: the type and the members (serde's internally
/// tagged enums would accept unknown members on `distinctInstance` and `random`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    expression: Option<String>,
    #[serde(default)]
    field: Option<String>,
}

impl TryFrom<Fields> for ConstraintSpec {
    type Error = String;

    fn try_from(fields: Fields) -> std::result::Result<Self, String> {
        match (fields.kind.as_str(), fields.expression, fields.field) {
            (_, _, Some(_)) => Err("unknown field `field`, expected `type` or `expression`".into()),
            ("memberOf", Some(expression), None) => Ok(ConstraintSpec::MemberOf { expression }),
            ("memberOf", None, None) => Err("memberOf needs an `expression`".into()),
            ("distinctInstance", None, None) => Ok(ConstraintSpec::DistinctInstance),
            ("distinctInstance", Some(_), None) => Err("distinctInstance takes no `expression`".into()),
            (other, _, _) => Err(format!(
                "unknown constraint type `{other}`, expected `memberOf` or `distinctInstance`"
            )),
        }
    }
}

impl TryFrom<Fields> for StrategySpec {
    type Error = String;

    fn try_from(fields: Fields) -> std::result::Result<Self, String> {
        match (fields.kind.as_str(), fields.field, fields.expression) {
            (_, _, Some(_)) => Err("unknown field `expression`, expected `type` or `field`".into()),
            ("random", None, None) => Ok(StrategySpec::Random),
            ("random", Some(_), None) => Err("random takes no `field`".into()),
            ("binpack", Some(field), None) => Ok(StrategySpec::Binpack { field }),
            ("spread", Some(field), None) => Ok(StrategySpec::Spread { field }),
            ("binpack" | "spread", None, None) => Err(format!("{} needs a `field`", fields.kind)),
            (other, _, _) => Err(format!(
                "unknown strategy type `{other}`, expected `random`, `binpack` or `spread`"
            )),
        }
    }
}

/// The script that runs `spec` (registering its task definition first when asked), within
/// AWS's limits (RunTask counts 1 to 10). Fails with the operations' own errors when the
/// request is not valid: the count, the group, at most 10 constraints and 5 strategies,
/// strategy fields, CQL expressions, the network configuration, the task definition.
pub fn compose_script(spec: &RunSpec) -> Result<String> {
    compose_script_with(spec, Options::default())
}

/// [`compose_script`] with the options the script will run with: `what_if` allows counts up
/// to 10,000, as running does.
pub fn compose_script_with(spec: &RunSpec, options: Options) -> Result<String> {
    check_spec(spec)?;
    let text = script::render(spec)?;
    read::check_composed(&text, spec, options)?;
    Ok(text)
}

/// The [`RunSpec`] of a script's last `run-task` command, for loading a command back into the
/// builder. The task definition comes from the script's last `register-task-definition` of
/// that family before it (`register: true`), or else from the scenario (`register: false`),
/// with the figures the engine reserves. `file://` arguments cannot be read (see
/// [`parse_run_spec_with_files`]). What RunTask ignores or defaults is dropped: a `random`
/// strategy's field, `--launch-type EC2`, `--region` when it is the scenario's. Counts up to
/// the what-if limit load (composing them back needs [`compose_script_with`] and `what_if`).
///
/// Errors: a script without `run-task`, and commands the builder cannot represent (overrides,
/// capacity provider strategies, tags, a registered definition with several containers, GPUs,
/// volumes, ...), fail with an `InvalidParameter` error whose message names what is missing and
/// whose hint is [`NOT_IN_BUILDER`]; a command that is not valid fails as running it would.
pub fn parse_run_spec(scenario: &Scenario, script: &str) -> Result<RunSpec> {
    parse_run_spec_with_files(scenario, script, &NoFiles)
}

/// [`parse_run_spec`], reading `file://` arguments from `files`.
pub fn parse_run_spec_with_files(scenario: &Scenario, script: &str, files: &dyn FileSource) -> Result<RunSpec> {
    read::parse(scenario, script, files)
}

/// The hint of the errors of [`parse_run_spec`] for commands the builder cannot represent.
pub const NOT_IN_BUILDER: &str = "not-in-builder";

/// An error for something the builder cannot represent.
fn not_in_builder(message: impl Into<String>) -> Error {
    Error::invalid_parameter(message).with_hint(NOT_IN_BUILDER)
}

/// The checks with no operation counterpart: a family, a revision only for registered
/// definitions, and a task size when registering.
fn check_spec(spec: &RunSpec) -> Result<()> {
    let definition = &spec.task_definition;
    if definition.family.is_empty() {
        return Err(Error::invalid_parameter("the task definition needs a family"));
    }
    if definition.register && definition.revision.is_some() {
        return Err(Error::invalid_parameter(
            "a revision can only be run when the definition is already registered (register: false): registering assigns the next revision",
        ));
    }
    if definition.register && (definition.cpu < 0 || definition.memory < 1) {
        return Err(Error::invalid_parameter(format!(
            "the task size must be at least 0 CPU units and 1 MiB, not {} CPU units and {} MiB",
            definition.cpu, definition.memory
        )));
    }
    Ok(())
}
