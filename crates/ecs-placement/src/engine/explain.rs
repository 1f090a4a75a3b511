//! The explanation of a placement call as data (for the page) and as text (for the CLI): for
//! each task, every instance's checks with their figures and memberOf truth tables, each
//! strategy's candidates before and after with the figures it ranked by, and what decided.

use super::checks::{Check, Finding};
use super::decision::{Decision, Fate, FunnelCounts};
use super::state::EngineState;
use super::strategy::Choice;
use super::{Constraint, Origin, PlacementRequest, Strategy, StrategySource};
use crate::Name;
use crate::cql::{self, ClauseTrace};
use crate::model::{InstanceStatus, short_id};
use crate::scenario::Scenario;
use crate::taskdef::Reservation;
use serde::Serialize;
use std::fmt::Write as _;

/// Why a call placed its tasks where it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementExplanation {
    /// The task group.
    pub group: Name,
    /// What each task reserves.
    pub reservation: Reservation,
    /// The network mode.
    pub network_mode: String,
    /// Attributes every instance must have.
    pub required_attributes: Vec<String>,
    /// The constraints, task definition first.
    pub constraints: Vec<ConstraintSummary>,
    /// The strategy chain, in AWS's `{type, field}` shape.
    pub strategies: Vec<Strategy>,
    /// Where the chain came from: the request, or a default (decision D12).
    pub strategy_source: StrategySource,
    /// The default in words, for terminals (interfaces word `strategySource` themselves).
    #[serde(skip)]
    pub strategy_note: Option<String>,
    /// The seed of the random choices.
    pub seed: u64,
    /// Instances the call did not consider.
    pub skipped: Vec<SkippedInstance>,
    /// One report per attempted task.
    pub tasks: Vec<TaskReport>,
    /// Remarks about the call as a whole.
    pub notes: Vec<String>,
}

/// A constraint as the explanation shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstraintSummary {
    /// `memberOf` or `distinctInstance` (AWS's `type`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The expression (memberOf).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Where it came from.
    pub origin: Origin,
}

/// An instance the call did not consider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedInstance {
    /// The instance.
    pub container_instance_arn: Name,
    /// Why, as data.
    pub cause: SkipCause,
    /// Why, in words.
    pub reason: String,
}

/// Why the funnel did not consider an instance at all (decision D14: no failure entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SkipCause {
    /// Only ACTIVE instances receive tasks.
    NotActive {
        /// Its status.
        status: InstanceStatus,
    },
    /// An external instance, for launch type EC2.
    External,
    /// An EC2 instance, for launch type EXTERNAL.
    NotExternal,
}

/// One attempted task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskReport {
    /// 1-based position in the call.
    pub attempt: usize,
    /// Every candidate instance, with its checks before this task was placed.
    pub instances: Vec<InstanceReport>,
    /// The strategy steps.
    pub steps: Vec<StrategyStep>,
    /// What decided (`failed` when no instance passed every check).
    pub decision: Decision,
    /// How many instances each stage of the funnel kept.
    pub funnel: FunnelCounts,
    /// Instances tied at the end, when a random draw chose among them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tied: Vec<Name>,
    /// Where the task went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placed_on: Option<Name>,
    /// The new task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<Name>,
}

/// One instance's checks for one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceReport {
    /// The instance.
    pub container_instance_arn: Name,
    /// Its EC2 ID.
    pub ec2_instance_id: Name,
    /// `ecs.instance-type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// `ecs.availability-zone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Whether every check passed.
    pub eligible: bool,
    /// The AWS reason of the first failing check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where it dropped out of the funnel (or that it received the task).
    pub fate: Fate,
    /// Every check.
    pub findings: Vec<Finding>,
    /// The truth table of each memberOf expression.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<MemberOfReport>,
}

/// A memberOf expression's value and truth table on one instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberOfReport {
    /// The expression.
    pub expression: String,
    /// Its value.
    pub value: bool,
    /// Clause by clause.
    pub clauses: Vec<ClauseTrace>,
}

/// One strategy's step: the candidates it saw, with their figures, and how many it kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyStep {
    /// The strategy, in AWS's `{type, field}` shape.
    pub strategy: Strategy,
    /// The candidates before the step.
    pub candidates: Vec<CandidateScore>,
    /// How many it kept.
    pub kept: usize,
    /// The best (smallest) value, the one the kept candidates share.
    pub best: i64,
}

/// A candidate's figure for a strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateScore {
    /// The instance.
    pub container_instance_arn: Name,
    /// The ranking value (smaller is better).
    pub value: i64,
    /// The value in words ("us-east-1a: 2 tasks of family:web").
    pub label: String,
    /// Whether the step kept it.
    pub kept: bool,
}

/// The explanation's header: request, chain and skipped instances.
pub fn start(scenario: &Scenario, request: &PlacementRequest, state: &EngineState, seed: u64) -> PlacementExplanation {
    PlacementExplanation {
        group: request.group.clone(),
        reservation: request.reservation.clone(),
        network_mode: request.network_mode.as_str().to_string(),
        required_attributes: request
            .required_attributes
            .iter()
            .map(|(n, v)| v.as_ref().map_or_else(|| n.clone(), |v| format!("{n}={v}")))
            .collect(),
        constraints: request.constraints.iter().map(summarize).collect(),
        strategies: request.strategies.clone(),
        strategy_source: request.strategy_source,
        strategy_note: strategy_note(request.strategy_source),
        seed,
        skipped: state
            .skipped
            .iter()
            .map(|(i, cause)| SkippedInstance {
                container_instance_arn: scenario
                    .instances
                    .get(*i)
                    .map(|x| x.container_instance_arn.clone())
                    .unwrap_or_default(),
                cause: *cause,
                reason: skip_reason_text(*cause),
            })
            .collect(),
        tasks: Vec::new(),
        notes: Vec::new(),
    }
}

/// A skip cause in words.
fn skip_reason_text(cause: SkipCause) -> String {
    match cause {
        SkipCause::NotActive { status } => format!("{} (only ACTIVE instances receive tasks)", status.as_str()),
        SkipCause::External => "external instance (launch type EC2 uses EC2 instances only)".into(),
        SkipCause::NotExternal => "EC2 instance (launch type EXTERNAL uses external instances only)".into(),
    }
}

fn summarize(constraint: &Constraint) -> ConstraintSummary {
    match constraint {
        Constraint::MemberOf { expression, origin, .. } => ConstraintSummary {
            kind: "memberOf",
            expression: Some(expression.clone()),
            origin: *origin,
        },
        Constraint::DistinctInstance { origin } => ConstraintSummary {
            kind: "distinctInstance",
            expression: None,
            origin: *origin,
        },
    }
}

fn strategy_note(source: StrategySource) -> Option<String> {
    match source {
        StrategySource::Request => None,
        StrategySource::RunTaskDefault => {
            Some("no strategy given: RunTask places tasks randomly by default (the ECS default)".into())
        }
        StrategySource::ServiceDefault => Some(
            "no strategy given: services spread across Availability Zones, then instances (the ECS default)".into(),
        ),
        StrategySource::Daemon => {
            Some("a daemon service: one task on each instance, no strategy (the seeded draw picks the order)".into())
        }
        StrategySource::StartTask => Some(
            "StartTask: the task goes on the container instance the request names, if it passes the checks (no strategy, no placement constraints)".into(),
        ),
    }
}

/// The report of one attempted task; `choice` is `None` when no instance passed.
pub fn task_report(
    attempt: usize,
    scenario: &Scenario,
    request: &PlacementRequest,
    state: &EngineState,
    choice: Option<&Choice>,
) -> TaskReport {
    let instances = state
        .candidates
        .iter()
        .map(|c| {
            let findings = state.findings(scenario, request, c.index);
            instance_report(scenario, request, state, c.index, &findings, choice)
        })
        .collect();
    let arn = |i: usize| {
        scenario
            .instances
            .get(i)
            .map(|x| x.container_instance_arn.clone())
            .unwrap_or_default()
    };
    let funnel = state.funnel(choice.map(|c| c.kept).unwrap_or_default());
    match choice {
        Some(choice) => TaskReport {
            attempt: attempt + 1,
            instances,
            decision: choice.decision.clone(),
            funnel,
            tied: if choice.tied.len() > 1 {
                choice.tied.iter().map(|i| arn(*i)).collect()
            } else {
                Vec::new()
            },
            placed_on: Some(arn(choice.instance)),
            steps: choice.steps.clone(),
            task_arn: None,
        },
        None => TaskReport {
            attempt: attempt + 1,
            instances,
            steps: Vec::new(),
            decision: Decision::Failed,
            funnel,
            tied: Vec::new(),
            placed_on: None,
            task_arn: None,
        },
    }
}

/// Where an instance dropped out of the funnel for this task. `first_failure` is its first
/// failing check in D14's order, where every cluster check comes before the constraints.
fn fate(first_failure: Option<&Finding>, index: usize, arn: &str, choice: Option<&Choice>) -> Fate {
    if let Some(failed) = first_failure {
        let check = failed.check;
        return if check.is_constraint() {
            Fate::FailedConstraint { check }
        } else {
            Fate::FailedCheck { check }
        };
    }
    let Some(choice) = choice else {
        return Fate::NotDrawn;
    };
    if choice.instance == index {
        return Fate::Chosen;
    }
    let dropped = choice
        .steps
        .iter()
        .position(|s| s.candidates.iter().any(|c| !c.kept && c.container_instance_arn == arn));
    match dropped {
        Some(step) => Fate::Dropped { step },
        None => Fate::NotDrawn,
    }
}

fn instance_report(
    scenario: &Scenario,
    request: &PlacementRequest,
    state: &EngineState,
    index: usize,
    findings: &[Finding],
    choice: Option<&Choice>,
) -> InstanceReport {
    let Some(instance) = scenario.instances.get(index) else {
        return InstanceReport {
            container_instance_arn: Name::default(),
            ec2_instance_id: Name::default(),
            instance_type: None,
            availability_zone: None,
            eligible: false,
            reason: None,
            fate: Fate::NotDrawn,
            findings: Vec::new(),
            member_of: Vec::new(),
        };
    };
    let facts = state.facts(instance, index);
    let member_of = request
        .constraints
        .iter()
        .filter_map(|c| match c {
            Constraint::MemberOf { expression, expr, .. } => {
                let clauses = cql::explain(expr, &facts);
                Some(MemberOfReport {
                    expression: expression.clone(),
                    value: clauses.first().is_some_and(|c| c.value),
                    clauses,
                })
            }
            Constraint::DistinctInstance { .. } => None,
        })
        .collect();
    let first_failure = findings.iter().find(|f| !f.passed);
    InstanceReport {
        container_instance_arn: instance.container_instance_arn.clone(),
        ec2_instance_id: instance.ec2_instance_id.clone(),
        instance_type: instance.instance_type().map(str::to_string),
        availability_zone: instance.availability_zone().map(str::to_string),
        eligible: first_failure.is_none(),
        reason: first_failure.map(|f| f.check.reason().to_string()),
        fate: fate(first_failure, index, &instance.container_instance_arn, choice),
        findings: findings.to_vec(),
        member_of,
    }
}

/// Notes that the tasks after a failed one were not attempted (state did not change).
pub fn note_remaining(report: &mut PlacementExplanation, attempt: usize, count: usize) {
    let left = count.saturating_sub(attempt + 1);
    if left > 0 {
        report.notes.push(format!(
            "task {} found no instance; the remaining {left} task{} of the call fail for the same reasons (nothing changed in between)",
            attempt + 1,
            if left == 1 { "" } else { "s" }
        ));
    }
}

/// Sums up the placed tasks past [`super::MAX_EXPLAINED_TASKS`] that got no full explanation:
/// how many, on how many instances, and what decided them.
pub fn note_unexplained(report: &mut PlacementExplanation, frames: &super::Frames) {
    let rest = frames
        .iter()
        .skip(super::MAX_EXPLAINED_TASKS)
        .filter(|f| f.decision != super::Decision::Failed);
    let mut attempts: Option<(usize, usize)> = None;
    let mut count = 0;
    let mut decided: Vec<(String, usize)> = Vec::new();
    let mut instances: rustc_hash::FxHashSet<Name> = rustc_hash::FxHashSet::default();
    for frame in rest {
        attempts = Some((attempts.map_or(frame.attempt, |(first, _)| first), frame.attempt));
        count += 1;
        let what = match &frame.decision {
            super::Decision::OnlyCandidate => "the only candidate".to_string(),
            super::Decision::Strategy { strategy, .. } => strategy.to_string(),
            super::Decision::TieBreak { .. } => "a random tie-break".to_string(),
            super::Decision::RandomStrategy { .. } => "the random strategy".to_string(),
            super::Decision::Failed => continue,
        };
        match decided.iter_mut().find(|(w, _)| *w == what) {
            Some((_, n)) => *n += 1,
            None => decided.push((what, 1)),
        }
        if let Some(task) = frame.task {
            instances.insert(task.container_instance_arn);
        }
    }
    let Some((first, last)) = attempts else {
        return;
    };
    let decided: Vec<String> = decided.iter().map(|(w, n)| format!("{w} {n}")).collect();
    report.notes.push(format!(
        "tasks {}-{} ({} tasks) are not explained one by one, to keep the explanation small (the first {} and a failed one are): they went to {} instance{}; decided by {}",
        first,
        last,
        count,
        super::MAX_EXPLAINED_TASKS,
        instances.len(),
        if instances.len() == 1 { "" } else { "s" },
        decided.join(", ")
    ));
}

impl PlacementExplanation {
    /// Plain-text rendering for terminals.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_header(&mut out);
        for task in &self.tasks {
            render_task(&mut out, task);
        }
        for note in &self.notes {
            let _ = writeln!(out, "Note: {note}");
        }
        out
    }

    fn render_header(&self, out: &mut String) {
        let r = &self.reservation;
        let mut needs = format!("{} CPU units, {} MiB", r.cpu, r.memory);
        if r.gpus > 0 {
            let _ = write!(needs, ", {} GPU", r.gpus);
        }
        let ports: Vec<String> = r
            .ports
            .iter()
            .map(|p| format!("{p}/tcp"))
            .chain(r.ports_udp.iter().map(|p| format!("{p}/udp")))
            .collect();
        if !ports.is_empty() {
            let _ = write!(needs, ", host ports {}", ports.join(" "));
        }
        if r.eni {
            needs.push_str(", 1 ENI");
        }
        let _ = writeln!(
            out,
            "Placing tasks of group {} ({} network mode; each reserves {needs})",
            self.group, self.network_mode
        );
        if !self.required_attributes.is_empty() {
            let _ = writeln!(out, "Required attributes: {}", self.required_attributes.join(", "));
        }
        for c in &self.constraints {
            let from = match c.origin {
                Origin::TaskDefinition => "task definition",
                Origin::Request => "request",
                Origin::Daemon => "daemon scheduler",
                Origin::Rebalance => "AZ rebalancing",
            };
            match &c.expression {
                Some(e) => writeln!(out, "Constraint ({from}): {} `{e}`", c.kind),
                None => writeln!(out, "Constraint ({from}): {}", c.kind),
            }
            .ok();
        }
        let chain = if self.strategies.is_empty() {
            "none".to_string()
        } else {
            let names: Vec<String> = self.strategies.iter().map(ToString::to_string).collect();
            names.join(" -> ")
        };
        let _ = writeln!(out, "Strategies: {chain}");
        if let Some(note) = &self.strategy_note {
            let _ = writeln!(out, "  ({note})");
        }
        let _ = writeln!(out, "Random choices use seed {}", self.seed);
        for s in &self.skipped {
            let _ = writeln!(out, "Skipped {}: {}", short_id(&s.container_instance_arn), s.reason);
        }
    }
}

fn render_task(out: &mut String, task: &TaskReport) {
    let verdict = match (&task.placed_on, &task.decision) {
        (Some(on), decision) if *decision != Decision::Failed => {
            let task_id = task.task_arn.as_deref().map(short_id).unwrap_or_default();
            let why = match decision {
                Decision::Strategy { strategy, .. } => format!("decided by {strategy}"),
                other => other.describe(),
            };
            format!("placed on {} ({why}) as task {task_id}", short_id(on))
        }
        _ => "not placed: no instance passed every check".to_string(),
    };
    let _ = writeln!(out, "\nTask {}: {verdict}", task.attempt);
    let mut header = vec!["instance".to_string(), "type".into(), "zone".into(), "checks".into()];
    header.extend(
        task.steps
            .iter()
            .map(|s| format!("{} ({} of {} kept)", s.strategy, s.kept, s.candidates.len())),
    );
    let rows: Vec<Vec<String>> = task.instances.iter().map(|i| instance_row(task, i)).collect();
    render_table(out, &header, &rows);
}

/// One table row: the instance, its checks, and its figure and fate at each strategy step.
fn instance_row(task: &TaskReport, instance: &InstanceReport) -> Vec<String> {
    let chosen = task.placed_on.as_deref() == Some(instance.container_instance_arn.as_str());
    let marker = if chosen { "=> " } else { "   " };
    let mut row = vec![
        format!("{marker}{}", short_id(&instance.container_instance_arn)),
        instance.instance_type.clone().unwrap_or_default(),
        instance.availability_zone.clone().unwrap_or_default(),
        checks_cell(instance),
    ];
    for step in &task.steps {
        let cell = step
            .candidates
            .iter()
            .find(|c| c.container_instance_arn == instance.container_instance_arn)
            .map_or_else(
                || "-".to_string(),
                |c| format!("{} {}", if c.kept { "kept" } else { "out " }, c.label),
            );
        row.push(cell);
    }
    row
}

/// `ok`, or every failing check: resources with their figures, constraints by name (their
/// expressions are in the header).
fn checks_cell(instance: &InstanceReport) -> String {
    let failures: Vec<String> = instance
        .findings
        .iter()
        .filter(|f| !f.passed)
        .map(|f| match f.check {
            Check::MemberOf => "MemberOf".to_string(),
            Check::DistinctInstance => "DistinctInstance".to_string(),
            check => format!("{} ({})", check.reason(), f.detail),
        })
        .collect();
    if failures.is_empty() {
        "ok".to_string()
    } else {
        failures.join("; ")
    }
}

/// Left-aligned columns separated by two spaces.
fn render_table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let width = |column: usize| {
        rows.iter()
            .chain(std::iter::once(&header.to_vec()))
            .filter_map(|r| r.get(column))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    for row in std::iter::once(&header.to_vec()).chain(rows) {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
}
