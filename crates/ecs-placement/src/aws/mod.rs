//! Speaking AWS: `aws ecs ...` command lines in, AWS-shaped JSON responses and AWS-worded
//! errors out.
//!
//! The pipeline is: [`words`] (shell splitting and blog-paste repairs) → [`cli`] (the AWS CLI's
//! argument rules, shorthand, JSON, `file://`) → [`execute`] (the operation on a [`Scenario`])
//! → the response JSON, plus an optional explanation. [`compose`] maps the page's run builder to
//! and from `run-task` scripts.

pub mod api;
pub mod cli;
pub mod commands;
pub mod compose;
pub(crate) mod ops;
pub mod output;
pub mod report;
pub mod shape;
pub mod shorthand;
pub mod trace;
pub mod words;

pub use cli::{FileMap, FileSource, Invocation, NoFiles, parse_invocation};
pub use report::{CommandError, CommandReport, run_command, run_script};

use crate::error::{Error, ErrorKind, Result};
use crate::query::{InstanceMatch, render_explanations};
use crate::scenario::Scenario;
use crate::service::SchedulerStep;
use serde::Serialize;
use serde_json::Value;

/// What running a command produced.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The AWS-shaped response.
    pub response: Value,
    /// Why the result is what it is (when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// Notes for the user (expression warnings, lenient readings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// A placement's call summary and per-task frames (RunTask; recorded even unexplained).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<crate::engine::PlacementTrace>,
    /// What the service scheduler did after the command, step by step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scheduler: Vec<SchedulerStep>,
}

impl Outcome {
    /// An outcome that is only a response (`Value::Null`: nothing is printed, as for a waiter);
    /// operations with more to say set the other fields over it (`..Outcome::response(value)`).
    pub fn response(response: Value) -> Outcome {
        Outcome {
            response,
            explanation: None,
            warnings: Vec::new(),
            placement: None,
            scheduler: Vec::new(),
        }
    }
}

/// The explanation of a command's result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Explanation {
    /// A `--filter`: each instance's truth table.
    Filter {
        /// The expression.
        expression: String,
        /// One entry per instance considered.
        instances: Vec<InstanceMatch>,
    },
    /// A placement: every task's checks, strategy steps and decision.
    Placement(Box<crate::engine::PlacementExplanation>),
}

impl Explanation {
    /// Plain-text rendering for terminals.
    pub fn render(&self) -> String {
        match self {
            Explanation::Filter { expression, instances } => {
                format!("Filter: {expression}\n{}", render_explanations(expression, instances))
            }
            Explanation::Placement(placement) => placement.render(),
        }
    }
}

/// How to run a command.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Which placements to explain (filters are explained whenever this is not `Off`). `All`
    /// also explains every placement of the service scheduler after the command.
    pub explain: crate::engine::Explain,
    /// Allow what-if requests beyond AWS's limits (RunTask counts above 10), clearly labelled.
    pub what_if: bool,
    /// When set, `explain` applies to the scheduler's step at this index (in the command's
    /// `scheduler` steps) and to nothing else: how a page explains a task the scheduler placed.
    pub scheduler_step: Option<usize>,
}

/// The operations after which the service scheduler runs: the ones that can change what
/// services need (their definition, the instances they may use, their tasks).
const RECONCILING: [&str; 8] = [
    "DeregisterContainerInstance",
    "CreateService",
    "UpdateService",
    "DeleteService",
    "UpdateContainerInstancesState",
    "StopTask",
    "PutAttributes",
    "DeleteAttributes",
];

/// Runs a parsed command on the scenario (which it may change) and applies the AWS CLI's
/// `--max-items` / `--starting-token` pagination to the response.
///
/// After an operation that can change what services need, the service scheduler settles the
/// cluster ([`crate::service::reconcile`]); its steps are the outcome's `scheduler`. The
/// response is the operation's own, from before the scheduler acted (as AWS answers).
pub fn execute(scenario: &mut Scenario, invocation: &Invocation, options: Options) -> Result<Outcome> {
    check_cluster(scenario, invocation)?;
    let own = match options.scheduler_step {
        Some(_) => Options {
            explain: crate::engine::Explain::Off,
            ..options
        },
        None => options,
    };
    let mut outcome = ops::dispatch(scenario, invocation, own)?;
    if let Some(key) = invocation.command.paginated {
        paginate(&mut outcome.response, key, &invocation.paging)?;
    }
    outcome.warnings.splice(0..0, invocation.warnings.iter().cloned());
    if RECONCILING.contains(&invocation.operation()) && invocation.command.waiter.is_none() {
        let reconcile = crate::service::ReconcileOptions {
            explain: options.explain,
            step: options.scheduler_step,
        };
        outcome.scheduler = crate::service::reconcile(scenario, reconcile);
    }
    Ok(outcome)
}

/// Splits, parses and runs one command line.
pub fn run_line(
    scenario: &mut Scenario,
    line: &str,
    files: &dyn FileSource,
    options: Options,
) -> Result<(Invocation, Outcome)> {
    let (words, repairs) = words::split_command(line)?;
    let mut invocation = parse_invocation(&words, files)?;
    invocation.warnings.splice(0..0, repairs);
    let outcome = execute(scenario, &invocation, options)?;
    Ok((invocation, outcome))
}

/// `--cluster` (default `default`) and `--region` must name the scenario's cluster. Commands
/// without `--cluster` (task definitions are regional) only check the region.
fn check_cluster(scenario: &Scenario, invocation: &Invocation) -> Result<()> {
    let takes_cluster = invocation.command.params.iter().any(|p| p.member == "cluster");
    let cluster = invocation
        .request
        .get("cluster")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let cluster_ok = !takes_cluster || scenario.cluster.matches(cluster);
    let region_ok = invocation
        .region
        .as_deref()
        .is_none_or(|r| r == scenario.cluster.region);
    if cluster_ok && region_ok {
        return Ok(());
    }
    let hint = if region_ok {
        format!(
            " The scenario's cluster is `{}`: pass --cluster {}.",
            scenario.cluster.name, scenario.cluster.name
        )
    } else {
        format!(
            " The scenario's cluster is in {}: drop --region or pass --region {}.",
            scenario.cluster.region, scenario.cluster.region
        )
    };
    Err(Error::new(
        ErrorKind::ClusterNotFound,
        format!("Cluster not found.{hint}"),
    ))
}

fn paginate(response: &mut Value, key: &str, paging: &cli::Paging) -> Result<()> {
    if paging.max_items.is_none() && paging.starting_token.is_none() {
        return Ok(());
    }
    let start = match &paging.starting_token {
        Some(token) => token
            .parse::<usize>()
            .map_err(|_| Error::usage(format!("Bad starting token: {token}")))?,
        None => 0,
    };
    let Some(Value::Array(items)) = response.get_mut(key) else {
        return Ok(());
    };
    let total = items.len();
    let end = paging.max_items.map_or(total, |m| start.saturating_add(m).min(total));
    *items = items.drain(..).skip(start).take(end.saturating_sub(start)).collect();
    if end < total {
        if let Some(object) = response.as_object_mut() {
            object.insert("NextToken".into(), Value::String(end.to_string()));
        }
    }
    Ok(())
}

/// The text the AWS CLI prints on stderr for an error: service errors as
/// `An error occurred (Exception) when calling the Operation operation: message`, command-line
/// errors as the CLI's own messages.
pub fn render_error(operation: Option<&str>, error: &Error) -> String {
    match (error.kind.aws_exception(), operation) {
        (Some(exception), Some(operation)) => format!(
            "An error occurred ({exception}) when calling the {operation} operation: {}",
            error.detailed()
        ),
        _ => error.detailed(),
    }
}

/// The process exit code the AWS CLI uses: 254 for service errors, 252 for command-line errors,
/// 255 otherwise (a waiter that gives up included).
pub fn exit_code(error: &Error) -> i32 {
    match error.kind {
        ErrorKind::Usage => 252,
        kind if kind.aws_exception().is_some() => 254,
        _ => 255,
    }
}
