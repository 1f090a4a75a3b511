//! The frames of a call, one per attempted task, kept compact: a page plays a call task by
//! task from them, and a call of a million tasks records a million.
//!
//! A [`TaskFrame`] repeats what every task of the call shares (the task group, the instance's
//! ARN, EC2 ID, type, zone, status and registered resources) and takes a dozen shared names to
//! write. [`Frames`] keeps per task only what changes (the decision, the funnel's counts, the
//! task's ARN and size, and the instance's remaining resources, ENIs, running tasks and host
//! ports), and per call one copy of what a call does not change for each instance it placed on,
//! and builds the [`TaskFrame`]s when they are read or written as JSON: the same frames, in the
//! same JSON, at a fraction of the cost of recording them. The calls of one scale-out share
//! that per-instance table (see `engine/drawn.rs`).

use super::decision::{Decision, FunnelCounts, TaskFrame};
use crate::Name;
use crate::model::Task;
use crate::view::{InstanceLive, InstanceStill, TaskChip, usage_of};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use std::sync::Arc;

/// The frames of one call (or of the calls a StartTask request makes), in attempt order.
#[derive(Debug, Clone, Default)]
pub struct Frames {
    records: Vec<Record>,
    /// What a call does not change of each instance it placed on (and of others: the table
    /// is shared with the other calls of a caller that places repeatedly).
    stills: Arc<Vec<InstanceStill>>,
    /// The task groups of the placed tasks.
    groups: Vec<Name>,
}

/// One attempted task.
#[derive(Debug, Clone)]
struct Record {
    attempt: usize,
    decision: Decision,
    funnel: FunnelCounts,
    placed: Option<Placed>,
}

/// A placed task and its instance right after.
#[derive(Debug, Clone)]
struct Placed {
    task_arn: crate::TaskArn,
    /// Index in `stills`.
    still: u32,
    /// Index in `groups`.
    group: u32,
    stopping: bool,
    cpu: i64,
    memory: i64,
    live: InstanceLive,
}

/// Which instance a placed task's frame shows: a position in the table of
/// [`Frames::use_instances`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InstanceRef(pub(crate) u32);

impl Frames {
    /// How many tasks were attempted.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no task was attempted.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The frame of the `n`-th (0-based) attempted task.
    pub fn get(&self, n: usize) -> Option<TaskFrame> {
        self.records.get(n).map(|record| self.frame(record))
    }

    /// Every frame, in attempt order.
    pub fn iter(&self) -> FrameIter<'_> {
        FrameIter {
            frames: self,
            records: self.records.iter(),
        }
    }

    /// Every frame's decision, in attempt order (without building the frames).
    pub fn decisions(&self) -> impl DoubleEndedIterator<Item = &Decision> + ExactSizeIterator {
        self.records.iter().map(|record| &record.decision)
    }

    /// Records a task that could not be placed.
    pub(crate) fn push_failed(&mut self, attempt: usize, funnel: FunnelCounts) {
        self.records.push(Record {
            attempt,
            decision: Decision::Failed,
            funnel,
            placed: None,
        });
    }

    /// The table of what the call does not change of the instances its tasks went to (the
    /// [`InstanceRef`]s of [`Self::push_placed`] are positions in it).
    pub(crate) fn use_instances(&mut self, stills: &Arc<Vec<InstanceStill>>) {
        self.stills = Arc::clone(stills);
    }

    /// Records a placed task (`task`, as the scenario holds it now) on `instance`, which shows
    /// `live` right after.
    pub(crate) fn push_placed(
        &mut self,
        attempt: usize,
        decision: Decision,
        funnel: FunnelCounts,
        instance: InstanceRef,
        task: &Task,
        live: InstanceLive,
    ) {
        if self.groups.last() != Some(&task.group) {
            self.groups.push(task.group.clone());
        }
        let placed = Placed {
            task_arn: task.task_arn.clone(),
            still: instance.0,
            group: index_u32(self.groups.len() - 1),
            stopping: !task.is_desired_running(),
            cpu: task.cpu,
            memory: task.memory,
            live,
        };
        self.records.push(Record {
            attempt,
            decision,
            funnel,
            placed: Some(placed),
        });
    }

    /// Room for `tasks` more frames.
    pub(crate) fn reserve(&mut self, tasks: usize) {
        self.records.reserve(tasks);
    }

    /// Numbers every frame `attempt` (StartTask places one task per instance, each in its own
    /// call).
    pub(crate) fn renumber(&mut self, attempt: usize) {
        for record in &mut self.records {
            record.attempt = attempt;
        }
    }

    /// Appends another call's frames.
    pub(crate) fn append(&mut self, other: Frames) {
        let stills = if Arc::ptr_eq(&self.stills, &other.stills) {
            0
        } else if self.stills.is_empty() {
            self.stills = other.stills;
            0
        } else {
            let offset = index_u32(self.stills.len());
            Arc::make_mut(&mut self.stills).extend(other.stills.iter().cloned());
            offset
        };
        let groups = index_u32(self.groups.len());
        self.groups.extend(other.groups);
        self.records.extend(other.records.into_iter().map(|mut record| {
            if let Some(placed) = record.placed.as_mut() {
                placed.still += stills;
                placed.group += groups;
            }
            record
        }));
    }

    fn frame(&self, record: &Record) -> TaskFrame {
        let placed = record.placed.as_ref();
        let still = placed.and_then(|p| self.stills.get(p.still as usize));
        TaskFrame {
            attempt: record.attempt,
            decision: record.decision.clone(),
            funnel: record.funnel.clone(),
            task: placed.zip(still).map(|(placed, still)| TaskChip {
                task_arn: placed.task_arn.to_name(),
                container_instance_arn: still.arn().clone(),
                group: self.groups.get(placed.group as usize).cloned().unwrap_or_default(),
                cpu: placed.cpu,
                memory: placed.memory,
                stopping: placed.stopping,
            }),
            instance: placed
                .zip(still)
                .map(|(placed, still)| usage_of(still, placed.live.clone())),
        }
    }
}

/// An index of the tables above (a call places at most 2^32 tasks).
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

impl PartialEq for Frames {
    /// The same frames (however they are kept).
    fn eq(&self, other: &Frames) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Serialize for Frames {
    /// A JSON array of [`TaskFrame`]s.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for frame in self.iter() {
            seq.serialize_element(&frame)?;
        }
        seq.end()
    }
}

impl<'a> IntoIterator for &'a Frames {
    type Item = TaskFrame;
    type IntoIter = FrameIter<'a>;

    fn into_iter(self) -> FrameIter<'a> {
        self.iter()
    }
}

/// The frames of a [`Frames`], built one by one.
#[derive(Debug, Clone)]
pub struct FrameIter<'a> {
    frames: &'a Frames,
    records: std::slice::Iter<'a, Record>,
}

impl Iterator for FrameIter<'_> {
    type Item = TaskFrame;

    fn next(&mut self) -> Option<TaskFrame> {
        self.records.next().map(|record| self.frames.frame(record))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl DoubleEndedIterator for FrameIter<'_> {
    fn next_back(&mut self) -> Option<TaskFrame> {
        self.records.next_back().map(|record| self.frames.frame(record))
    }
}

impl ExactSizeIterator for FrameIter<'_> {}
