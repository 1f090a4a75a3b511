//! `StartTask`: one task on each container instance the request names (at most 10), with no
//! placement strategy and no placement constraints: each instance only has to pass the cluster
//! checks (agent, required attributes, CPU, memory, GPUs, ports, ENIs, subnets' zones). The
//! request is validated as RunTask validates its members, without `count` (one task per
//! instance), `placementConstraints` and `placementStrategy`, which StartTask does not take.
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::run_task::{self, resolve_definition};
use super::task_shape::task_json_on;
use super::validation::{AwsAnswer, Failure, check_batch, push_warning, resolve_instance};
use super::{Invocation, Options, Outcome, response};
use crate::aws::Explanation;
use crate::engine::{self, PlacementExplanation, PlacementRequest, PlacementTrace, StrategySource};
use crate::error::{Error, Result};
use crate::model::TaskStatus;
use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// Container instances per StartTask call (AWS limit).
pub const MAX_INSTANCES: usize = 10;

/// Runs StartTask on the scenario.
pub(super) fn run(scenario: &mut Scenario, invocation: &Invocation, options: Options) -> Result<Outcome> {
    let mut members = invocation.request.clone();
    let targets: Vec<String> = members
        .remove("containerInstances")
        .map(crate::json::typed::from_value)
        .transpose()
        .map_err(|e| Error::invalid_parameter(e.message).at_path("containerInstances"))?
        .unwrap_or_default();
    check_batch("StartTask", "containerInstances", targets.len(), MAX_INSTANCES)?;
    let request: run_task::Request = crate::json::typed::from_value(Value::Object(members))
        .map_err(|e| Error::invalid_parameter(e.message).at_path(e.path))?;
    let definition = resolve_definition(scenario, &request.task_definition)?.clone();
    let mut warnings = Vec::new();
    let mut placement = run_task::build(scenario, &request, &definition, options, &mut warnings)?;
    placement.count = 1;
    placement.constraints.clear();
    placement.strategies.clear();
    placement.strategy_source = StrategySource::StartTask;
    let mut started = Started::default();
    let details = run_task::RequestDetails::of(&request);
    for target in &targets {
        match resolve_instance(scenario, target, AwsAnswer::Missing) {
            Some(resolved) => {
                push_warning(&mut warnings, resolved.warning);
                start_on(scenario, (&placement, &details), resolved.index, &mut started)?;
            }
            None => started.failures.push(response(&Failure::missing(target))?),
        }
    }
    let mut body = Map::new();
    body.insert("tasks".into(), Value::Array(started.tasks));
    body.insert("failures".into(), Value::Array(started.failures));
    Ok(Outcome {
        explanation: started.explanation.map(|e| Explanation::Placement(Box::new(e))),
        warnings,
        placement: started.trace,
        ..Outcome::response(Value::Object(body))
    })
}

/// What the call produced so far, instance after instance.
#[derive(Default)]
struct Started {
    tasks: Vec<Value>,
    failures: Vec<Value>,
    explanation: Option<PlacementExplanation>,
    trace: Option<PlacementTrace>,
}

/// Places one task on the instance at `index` alone: the engine runs on a copy of the scenario
/// that holds only that instance (and every task, for the task IDs and groups), and what it
/// placed is copied back, with what DescribeTasks shows of the request (`details`).
fn start_on(
    scenario: &mut Scenario,
    (placement, details): (&PlacementRequest, &run_task::RequestDetails),
    index: usize,
    started: &mut Started,
) -> Result<()> {
    let Some(instance) = scenario.instances.get(index).cloned() else {
        return Ok(());
    };
    let mut alone = scenario.clone();
    alone.instances = vec![instance.clone()];
    let outcome = engine::place(&mut alone, placement);
    let attempt = started.tasks.len() + started.failures.len() + 1;
    merge_explanation(started, outcome.explanation, outcome.call, outcome.frames, attempt);
    match (outcome.placements.first(), alone.tasks.last(), alone.instances.first()) {
        (Some(_), Some(task), Some(after)) => {
            if let Some(slot) = scenario.instances.get_mut(index) {
                *slot = after.clone();
            }
            scenario.tasks.push(task.clone());
            let new = scenario.tasks.len().saturating_sub(1);
            details.record(scenario, &[new]);
            let on = scenario.instances.get(index);
            if let Some(task) = scenario.tasks.get(new) {
                started
                    .tasks
                    .push(task_json_on(scenario, task, on, Some(TaskStatus::Pending)));
            }
        }
        _ => {
            let failure = match outcome.failures.first() {
                Some(failure) => response(failure)?,
                None => not_active(&instance),
            };
            started.failures.push(failure);
        }
    }
    Ok(())
}

/// The failure for an instance the engine skipped: it is not ACTIVE (or not of the launch type).
fn not_active(instance: &crate::model::ContainerInstance) -> Value {
    serde_json::json!({
        "arn": instance.container_instance_arn,
        "reason": instance.status.as_str(),
        "detail": format!(
            "the container instance is {}: only ACTIVE container instances start tasks",
            instance.status.as_str()
        ),
    })
}

/// Adds one instance's explanation and frames to the call's, numbering its task `attempt`.
fn merge_explanation(
    started: &mut Started,
    explanation: Option<PlacementExplanation>,
    call: PlacementExplanation,
    mut frames: engine::Frames,
    attempt: usize,
) {
    if let Some(mut explanation) = explanation {
        for task in &mut explanation.tasks {
            task.attempt = attempt;
        }
        match started.explanation.as_mut() {
            Some(merged) => {
                merged.skipped.extend(explanation.skipped);
                merged.tasks.extend(explanation.tasks);
                merged.notes.extend(explanation.notes);
            }
            None => started.explanation = Some(explanation),
        }
    }
    frames.renumber(attempt);
    match started.trace.as_mut() {
        Some(trace) => {
            trace.call.skipped.extend(call.skipped);
            trace.frames.append(frames);
        }
        None => started.trace = Some(PlacementTrace { call, frames }),
    }
}
