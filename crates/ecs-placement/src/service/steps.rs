//! What the service scheduler did after a command, step by step, as typed data: the timeline a
//! page plays. A placement step carries the same call summary and per-task frames as RunTask's
//! `placement`; a stop step names each stopped task, why it was chosen and its instance right
//! after; an event step is the AWS-worded service event the scheduler recorded.

use super::model::ServiceEvent;
use crate::engine::{Decision, Failure, PlacementExplanation, PlacementTrace, Strategy, StrategySource};
use crate::time::Timestamp;
use crate::view::InstanceUsage;
use serde::Serialize;

/// One step of the scheduler. JSON: `{"kind": "placement" | "stop" | "event", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SchedulerStep {
    /// Tasks placed through the placement funnel (boxed: it holds the call's summary).
    Placement(Box<PlacementStep>),
    /// Tasks stopped.
    Stop(StopStep),
    /// A service event.
    Event(EventStep),
    /// Something the playground cannot simulate for the service (not an AWS event), e.g. a
    /// task definition the scenario does not have.
    Note(NoteStep),
    /// Tasks of a Fargate service started or stopped (no container instance, so no funnel).
    Fargate(FargateStep),
}

impl SchedulerStep {
    /// The service the step belongs to.
    pub fn service(&self) -> &str {
        match self {
            SchedulerStep::Placement(step) => &step.service,
            SchedulerStep::Stop(step) => &step.service,
            SchedulerStep::Event(step) => &step.service,
            SchedulerStep::Note(step) => &step.service,
            SchedulerStep::Fargate(step) => &step.service,
        }
    }

    /// The event, when the step is one.
    pub fn event(&self) -> Option<&ServiceEvent> {
        match self {
            SchedulerStep::Event(step) => Some(&step.event),
            _ => None,
        }
    }
}

/// Why the scheduler placed tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceReason {
    /// Fewer tasks run than the desired count (a new service, a higher count, a stopped task).
    ScaleOut,
    /// Replacements for tasks on DRAINING instances.
    ReplaceDraining,
    /// A daemon service's task on an instance that has none.
    Daemon,
    /// AZ rebalancing (decision D17): a task in the zone with the fewest.
    Rebalance,
}

/// Why the scheduler stopped tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// More tasks run than the desired count (decision D16 chooses which).
    ScaleIn,
    /// Their instance is DRAINING.
    Draining,
    /// A daemon task on an instance the daemon no longer belongs on.
    DaemonIneligible,
    /// AZ rebalancing (decision D17): a task in the zone with the most.
    Rebalance,
    /// The service was deleted.
    Delete,
}

/// Tasks placed by the scheduler.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementStep {
    /// The service name.
    pub service: String,
    /// Why.
    pub reason: PlaceReason,
    /// When, on the scenario's clock.
    pub at: Timestamp,
    /// The call's summary and one frame per attempted task, exactly as RunTask records them.
    pub placement: PlacementTrace,
    /// When a task could not be placed: one entry per rejected instance (decision D14), the
    /// playground's explanation beside AWS's event text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Failure>,
    /// The full explanation, when asked for (`--explain`, or a page explaining one task).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<PlacementExplanation>,
}

/// Tasks stopped by the scheduler.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopStep {
    /// The service name.
    pub service: String,
    /// Why.
    pub reason: StopReason,
    /// When, on the scenario's clock.
    pub at: Timestamp,
    /// The stopped tasks, in the order they were stopped.
    pub tasks: Vec<StoppedTask>,
}

/// One stopped task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoppedTask {
    /// The task.
    pub task_arn: String,
    /// The instance it ran on.
    pub container_instance_arn: String,
    /// Why this task.
    pub why: StopWhy,
    /// Its instance right after the stop (what the bin shows).
    pub instance: InstanceUsage,
}

/// Why the scheduler chose a task to stop. JSON: `{"kind": "scaleIn", ...}`, fields in camelCase.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum StopWhy {
    /// Decision D16 chose it among the service's tasks.
    ScaleIn(ScaleInChoice),
    /// Its instance is DRAINING.
    InstanceDraining,
    /// A daemon task whose instance the daemon no longer belongs on.
    DaemonIneligible {
        /// What disqualifies the instance.
        cause: DaemonCause,
    },
    /// AZ rebalancing: it ran in the zone with the most tasks; D16 chose it there.
    Rebalance {
        /// The zone it ran in.
        zone: String,
        /// The service's tasks in that zone before the stop.
        zone_tasks: usize,
        /// The zone with the fewest tasks.
        fewest_zone: String,
        /// The service's tasks there.
        fewest_tasks: usize,
        /// How D16 chose the task within the zone.
        choice: ScaleInChoice,
    },
    /// The service was deleted.
    ServiceDeleted,
}

/// What disqualifies an instance for a daemon task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum DaemonCause {
    /// The instance is DRAINING (or otherwise not ACTIVE).
    NotActive,
    /// A `memberOf` constraint of the service or its task definition is false there.
    ConstraintUnsatisfied {
        /// The expression.
        expression: String,
    },
    /// The instance runs another task of the daemon (one per instance).
    Duplicate,
}

/// How decision D16 chose a task to stop: the chain applied with each step reversed (spread:
/// the value with the most tasks; binpack: the instance with the most left after the stop),
/// then a seeded random draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleInChoice {
    /// The service's running tasks considered.
    pub candidates: usize,
    /// The chain and where it came from (the service's, or the default of decision D12).
    pub strategy_source: StrategySource,
    /// Each step, in chain order.
    pub steps: Vec<ScaleInStep>,
    /// What decided: a strategy (`strategy`), a random draw (`tieBreak`, `randomStrategy`) or
    /// the only candidate.
    pub decision: Decision,
}

/// One reversed strategy step of a scale-in choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleInStep {
    /// The strategy.
    pub strategy: Strategy,
    /// Tasks it kept (those sharing the worst value).
    pub kept: usize,
    /// The value they share: tasks of the service on the value (spread), or CPU units / MiB left
    /// on the instance after the stop (binpack).
    pub value: i64,
    /// The value in words ("us-east-1b: 3 tasks of the service").
    pub label: String,
}

/// Why the scheduler could not act for a service, in the playground's words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteStep {
    /// The service name.
    pub service: String,
    /// What stopped it.
    pub message: String,
}

/// A service event the scheduler recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventStep {
    /// The service name.
    pub service: String,
    /// The event (also in the service's `events`, newest first).
    pub event: ServiceEvent,
}

/// Tasks of a Fargate service the scheduler started or stopped: each with its zone and why it
/// went there or was chosen (decision D19).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateStep {
    /// The service name.
    pub service: String,
    /// When, on the scenario's clock.
    pub at: Timestamp,
    /// Started or stopped, why, and the tasks.
    pub action: FargateAction,
}

/// What a [`FargateStep`] did. JSON: `{"kind": "started" | "stopped", "reason": ..., "tasks": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FargateAction {
    /// Tasks started, each in the zone of the service's subnets with the fewest of its tasks.
    Started {
        /// Why the scheduler started them.
        reason: PlaceReason,
        /// The new tasks, as their lane shows them.
        tasks: Vec<crate::fargate::FargateTaskView>,
    },
    /// Tasks stopped.
    Stopped {
        /// Why the scheduler stopped them.
        reason: StopReason,
        /// The stopped tasks, in the order they were stopped.
        tasks: Vec<FargateStopped>,
    },
}

/// A stopped Fargate task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateStopped {
    /// The task.
    pub task_arn: String,
    /// The zone it ran in.
    pub availability_zone: String,
    /// For scale-in: the service's tasks per zone before the stop, and how many the zones with
    /// the most held (the seeded draw chose among them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<crate::fargate::StopChoice>,
}
