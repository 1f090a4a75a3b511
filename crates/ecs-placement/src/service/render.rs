//! The scheduler's steps in words, for terminals: its events as AWS words them, and with
//! explanations the placements' full explanations and why each stopped task was chosen.

use super::steps::{DaemonCause, PlaceReason, ScaleInChoice, SchedulerStep, StopReason, StopWhy};
use crate::engine::Decision;
use crate::model::short_id;
use std::fmt::Write as _;

impl SchedulerStep {
    /// The step for a terminal: an event as one `scheduler: ...` line; with `explain`, also
    /// placements (their full explanation when recorded) and stops (why each task).
    pub fn render(&self, explain: bool) -> String {
        match self {
            SchedulerStep::Event(step) => format!("scheduler: {}\n", step.event.message),
            SchedulerStep::Note(step) => format!("scheduler note: {}\n", step.message),
            SchedulerStep::Placement(step) if explain => {
                let mut out = format!(
                    "Service scheduler, {}: placing tasks ({})\n",
                    step.service,
                    place_reason(step.reason)
                );
                if let Some(explanation) = &step.explanation {
                    out.push_str(&explanation.render());
                }
                out
            }
            SchedulerStep::Stop(step) if explain => {
                let mut out = String::new();
                for task in &step.tasks {
                    let _ = writeln!(
                        out,
                        "Service scheduler, {}: stopped task {} on {} ({}): {}",
                        step.service,
                        short_id(&task.task_arn),
                        short_id(&task.container_instance_arn),
                        stop_reason(step.reason),
                        why(&task.why)
                    );
                }
                out
            }
            SchedulerStep::Fargate(step) if explain => fargate_words(step),
            _ => String::new(),
        }
    }
}

/// A Fargate step for a terminal: each task started with the zone counts that chose its zone
/// (decision D19), or each task stopped with its zone.
fn fargate_words(step: &super::steps::FargateStep) -> String {
    let mut out = String::new();
    match &step.action {
        super::steps::FargateAction::Started { reason, tasks } => {
            for task in tasks {
                let why = task.placement.as_ref().map_or_else(String::new, |p| {
                    let counts: Vec<String> = p.zones.iter().map(|z| format!("{} {}", z.zone, z.tasks)).collect();
                    let drawn = if p.drawn { ", tie drawn with the seed" } else { "" };
                    format!(
                        ": tasks of {} per zone before it: {}{drawn}",
                        p.group,
                        counts.join(", ")
                    )
                });
                let _ = writeln!(
                    out,
                    "Service scheduler, {}: started task {} on Fargate in subnet {} ({}){why}",
                    step.service,
                    short_id(&task.task_arn),
                    task.subnet_id,
                    place_reason(*reason),
                );
            }
        }
        super::steps::FargateAction::Stopped { reason, tasks } => {
            for task in tasks {
                let _ = writeln!(
                    out,
                    "Service scheduler, {}: stopped task {} on Fargate in {} ({})",
                    step.service,
                    short_id(&task.task_arn),
                    task.availability_zone,
                    stop_reason(*reason),
                );
            }
        }
    }
    out
}

fn place_reason(reason: PlaceReason) -> &'static str {
    match reason {
        PlaceReason::ScaleOut => "fewer running than desired",
        PlaceReason::ReplaceDraining => "replacing tasks on a draining instance",
        PlaceReason::Daemon => "a daemon task for an instance without one",
        PlaceReason::Rebalance => "AZ rebalancing",
    }
}

fn stop_reason(reason: StopReason) -> &'static str {
    match reason {
        StopReason::ScaleIn => "scale-in",
        StopReason::Draining => "draining",
        StopReason::DaemonIneligible => "daemon no longer eligible",
        StopReason::Rebalance => "AZ rebalancing",
        StopReason::Delete => "service deleted",
    }
}

/// Why a task was stopped, in words.
pub fn why(why: &StopWhy) -> String {
    match why {
        StopWhy::ScaleIn(choice) => format!("the service's strategies, reversed: {}", scale_in_words(choice)),
        StopWhy::InstanceDraining => "its instance is DRAINING".into(),
        StopWhy::DaemonIneligible { cause } => match cause {
            DaemonCause::NotActive => "the daemon's instance is not ACTIVE".into(),
            DaemonCause::ConstraintUnsatisfied { expression } => {
                format!("memberOf `{expression}` is false on its instance")
            }
            DaemonCause::Duplicate => "a second copy of the daemon on its instance".into(),
        },
        StopWhy::Rebalance {
            zone,
            zone_tasks,
            fewest_zone,
            fewest_tasks,
            choice,
        } => format!(
            "{zone} had {zone_tasks} tasks, {fewest_zone} {fewest_tasks}; within {zone}: {}",
            scale_in_words(choice)
        ),
        StopWhy::ServiceDeleted => "the service was deleted".into(),
    }
}

/// `us-east-1b: 3 tasks of the service (most) -> random tie-break among 2 tasks (seed 7)`.
fn scale_in_words(choice: &ScaleInChoice) -> String {
    let mut parts: Vec<String> = choice
        .steps
        .iter()
        .map(|s| format!("{} kept {} ({})", s.strategy, s.kept, s.label))
        .collect();
    parts.push(match &choice.decision {
        Decision::OnlyCandidate => "the only task".into(),
        Decision::Strategy { strategy, .. } => format!("{strategy} decided"),
        Decision::TieBreak { among, seed } => format!("random tie-break among {among} tasks (seed {seed})"),
        Decision::RandomStrategy { among, seed } => format!("random among {among} tasks (seed {seed})"),
        Decision::Failed => "no task".into(),
    });
    parts.join(" -> ")
}
