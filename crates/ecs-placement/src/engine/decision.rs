//! What decided each task and how the funnel narrowed for it. Recorded for every task of a call,
//! explained or not (a few counters per task), so a timeline of a long run can be drawn and
//! labelled without building an explanation per task.

use super::Strategy;
use crate::view::{InstanceUsage, TaskChip};
use serde::Serialize;

/// What chose the instance of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Decision {
    /// Only one instance passed every check and constraint.
    OnlyCandidate,
    /// Strategy `step` (0-based position in the chain) left a single instance (decision D9).
    Strategy {
        /// Position of the strategy in the chain.
        step: usize,
        /// The strategy.
        strategy: Strategy,
    },
    /// Several instances were equally good after every strategy: the scenario's seeded random
    /// generator drew one (decisions D9 and D18).
    TieBreak {
        /// How many instances were tied.
        among: usize,
        /// The scenario's seed.
        seed: u64,
    },
    /// The chain's `random` strategy chose uniformly among the instances left (seeded, D18).
    RandomStrategy {
        /// How many instances it chose among.
        among: usize,
        /// The scenario's seed.
        seed: u64,
    },
    /// No instance passed every check: the task was not placed.
    Failed,
}

impl Decision {
    /// The decision in words, for terminals ("binpack(memory)", "random tie-break among 3
    /// equally good instances (seed 7)").
    pub fn describe(&self) -> String {
        match self {
            Decision::OnlyCandidate => "only one instance passed every check".into(),
            Decision::Strategy { strategy, .. } => strategy.to_string(),
            Decision::TieBreak { among, seed } => {
                format!("random tie-break among {among} equally good instances (seed {seed})")
            }
            Decision::RandomStrategy { among, seed } => {
                format!("random strategy among {among} equally good instances (seed {seed})")
            }
            Decision::Failed => "no instance passed every check".into(),
        }
    }
}

/// How many instances each stage of the funnel kept for one task: ACTIVE instances → cluster
/// checks → placement constraints → each strategy step → the chosen one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunnelCounts {
    /// Instances the call considered: ACTIVE, of the call's launch type.
    pub active: usize,
    /// Of those, the ones that pass every cluster check (agent, attributes, location, CPU,
    /// memory, GPU, ports, ENI).
    pub passed_checks: usize,
    /// Of those, the ones that also satisfy every placement constraint: the candidates.
    pub passed_constraints: usize,
    /// Candidates kept after each strategy step, in chain order (a `random` step keeps all it
    /// sees and ends the chain).
    pub strategies: StepCounts,
}

/// How many numbers a [`StepCounts`] holds: AWS's limit of five strategies, and one more.
const STEP_CAPACITY: usize = 6;

/// Candidates kept by each strategy step of one task, in chain order. A chain has at most five
/// strategies (AWS's limit), so the numbers are kept inline: recording a task's funnel costs no
/// allocation. Serialized as a JSON array of numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepCounts {
    counts: [u32; STEP_CAPACITY],
    len: u8,
}

impl StepCounts {
    /// Appends a step's count. A chain longer than AWS allows keeps its first six counts.
    pub fn push(&mut self, kept: usize) {
        if let Some(slot) = self.counts.get_mut(usize::from(self.len)) {
            *slot = u32::try_from(kept).unwrap_or(u32::MAX);
            self.len += 1;
        }
    }

    /// The counts, in chain order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.counts
            .iter()
            .take(usize::from(self.len))
            .map(|&count| count as usize)
    }

    /// The last step's count.
    pub fn last(&self) -> Option<usize> {
        self.iter().last()
    }

    /// How many steps are recorded.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether no step is recorded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The counts as a vector.
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }
}

impl FromIterator<usize> for StepCounts {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut counts = StepCounts::default();
        for kept in iter {
            counts.push(kept);
        }
        counts
    }
}

impl Serialize for StepCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Where an instance dropped out of the funnel for one task (explanations only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Fate {
    /// It failed a cluster check (the first failing one, in decision D14's order).
    FailedCheck {
        /// The check.
        check: super::Check,
    },
    /// It passed the cluster checks but not a placement constraint.
    FailedConstraint {
        /// The constraint's check (`memberOf` or `distinctInstance`).
        check: super::Check,
    },
    /// It passed every check; strategy `step` of the chain dropped it.
    Dropped {
        /// Position of the strategy in the chain.
        step: usize,
    },
    /// It was among the equally good instances at the end; the random draw chose another.
    NotDrawn,
    /// It received the task.
    Chosen,
}

/// One attempted task of a call: the decision, the funnel's counts, and (when placed) the new
/// task and its instance's resources right after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFrame {
    /// 1-based position in the call.
    pub attempt: usize,
    /// What chose the instance (or `failed`).
    pub decision: Decision,
    /// How many instances each stage kept.
    pub funnel: FunnelCounts,
    /// The task placed, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskChip>,
    /// The instance that received it, right after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<InstanceUsage>,
}
