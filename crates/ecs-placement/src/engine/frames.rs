//! The frames of a call, one per attempted task, kept compact: a page plays a call task by
//! task from them, and a call of a million tasks records a million.
//!
//! A [`TaskFrame`] repeats what every task of the call shares (the task group, the instance's
//! ARN, EC2 ID, type, zone, status and registered resources) and takes a dozen shared names to
//! write. [`Frames`] keeps per task only what changes (the number a draw chose among, the
//! task's ARN as its prefix's number and its ID's bits, and the instance's remaining resources,
//! ENIs and running tasks: a 72-byte record that counts no reference to a shared name), and in
//! small tables what tasks repeat: the decisions without their number (a tie-break, binpack at
//! step 1, ...) with the funnel's counts (they change when an instance fills up), the strategy
//! steps' counts one after the other (4 bytes a step), the host ports of instances that hold any, the tasks'
//! group, size and status, the ARN prefixes, and per call one copy of what a call does not
//! change for each instance it placed on. It builds the [`TaskFrame`]s when they are read or
//! written as JSON: the same frames, in the same JSON, at a fraction of the cost of recording
//! them. The calls of one scale-out share the
//! per-instance table (see `engine/drawn.rs`).

use super::decision::{Decision, FunnelCounts, StepCounts, TaskFrame};
use super::drawn::StillTable;
use crate::model::Task;
use crate::view::{InstanceLive, LiveNumbers, TaskChip, usage_of};
use crate::{Name, TaskArn};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

/// The frames of one call (or of the calls a StartTask request makes), in attempt order.
#[derive(Debug, Clone, Default)]
pub struct Frames {
    records: Vec<Record>,
    /// The records' decisions (without the number a draw chose among), funnel counts and
    /// number of strategy steps.
    funnels: Vec<Funnel>,
    /// The records' strategy step counts, one after the other.
    steps: Vec<u32>,
    /// The host ports of the placed tasks' instances, where they hold any.
    ports: Vec<Box<[String]>>,
    /// What a call does not change of each instance it placed on (and of others: the table
    /// is shared with the other calls of a caller that places repeatedly).
    stills: StillTable,
    /// The placed tasks' group, size and status.
    shapes: Vec<TaskShape>,
    /// The task ARN prefixes of the placed tasks' numbered ARNs (one per cluster).
    prefixes: Vec<Name>,
    /// The placed tasks' ARNs that are not numbered.
    texts: Vec<TaskArn>,
}

/// One attempted task.
#[derive(Debug, Clone)]
struct Record {
    attempt: u32,
    /// Index in `funnels`.
    funnel: u32,
    /// How many instances a draw chose among (a tie-break, a `random` step), else 0.
    among: u32,
    /// Where the funnel's strategy step counts start in `steps`.
    steps: u32,
    placed: Option<Placed>,
}

/// What the tasks of a call share but for a few: the decision without the number a draw chose
/// among, the funnel's counts (they change when an instance fills up) and its number of strategy
/// steps (the steps' counts change from task to task: they are kept apart).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Funnel {
    decision: Decision,
    /// The funnel's instances considered, passing the checks, passing the constraints.
    counts: [u32; 3],
    /// How many strategy steps the funnel has.
    steps: u8,
}

/// A placed task and its instance right after.
#[derive(Debug, Clone)]
struct Placed {
    arn: ArnRef,
    /// Index in `stills`.
    still: u32,
    /// Index in `shapes`.
    shape: u32,
    live: LiveNumbers,
    /// Index in `ports`, or [`NO_PORTS`].
    ports: u32,
}

/// The `ports` index of an instance that holds no host port.
const NO_PORTS: u32 = u32::MAX;

/// A placed task's ARN as a record keeps it: the table of [`Frames`] holds what tasks share, so
/// that a record neither holds a shared name of its own nor counts a reference to one.
#[derive(Debug, Clone, Copy)]
enum ArnRef {
    /// A numbered ARN: its prefix's place in `prefixes` and its ID's bits, from the highest
    /// (32-bit parts: the record is aligned to 4 bytes).
    Numbered { prefix: u32, bits: [u32; 4] },
    /// Any other ARN: its place in `texts`.
    Text(u32),
}

/// What the placed tasks of a call have in common.
#[derive(Debug, Clone)]
struct TaskShape {
    group: Name,
    stopping: bool,
    cpu: i64,
    memory: i64,
}

impl TaskShape {
    /// `task`'s group, size and status.
    fn of(task: &Task) -> Self {
        TaskShape {
            group: task.group.clone(),
            stopping: !task.is_desired_running(),
            cpu: task.cpu,
            memory: task.memory,
        }
    }

    /// Whether `task` has this group, size and status.
    fn is_of(&self, task: &Task) -> bool {
        self.group == task.group
            && self.stopping != task.is_desired_running()
            && self.cpu == task.cpu
            && self.memory == task.memory
    }
}

/// How many of the latest table entries a new record looks among for its own.
const RECENT: usize = 4;

/// Which instance a placed task's frame shows: a position in the table of
/// [`Frames::use_instances`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InstanceRef(pub(crate) u32);

impl Frames {
    /// The bytes each attempted task's record takes (the tables beside it grow only when a task
    /// brings something new): with a `Task` and a `Placement`, what a placed task writes.
    pub const RECORD_BYTES: usize = std::mem::size_of::<Record>();

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
    pub fn decisions(&self) -> impl DoubleEndedIterator<Item = Decision> + ExactSizeIterator + '_ {
        self.records.iter().map(|record| self.decision(record))
    }

    /// Records a task that could not be placed.
    pub(crate) fn push_failed(&mut self, attempt: usize, funnel: FunnelCounts) {
        let record = self.record(attempt, Decision::Failed, funnel, None);
        self.records.push(record);
    }

    /// The table of what the call does not change of the instances its tasks went to (the
    /// [`InstanceRef`]s of [`Self::push_placed`] are positions in it).
    pub(crate) fn use_instances(&mut self, stills: &StillTable) {
        self.stills = stills.clone();
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
        let ports = if live.host_ports.is_empty() {
            NO_PORTS
        } else {
            index_in(&mut self.ports, live.host_ports)
        };
        let placed = Placed {
            arn: self.arn_ref(&task.task_arn),
            still: instance.0,
            shape: self.shape_of(task),
            live: live.numbers,
            ports,
        };
        let record = self.record(attempt, decision, funnel, Some(placed));
        self.records.push(record);
    }

    /// Where `task`'s group, size and status are in `shapes`: among the latest few, compared
    /// before anything is copied (a call's tasks share one), or a new last one.
    fn shape_of(&mut self, task: &Task) -> u32 {
        let recent = self.shapes.len().saturating_sub(RECENT);
        let found = self
            .shapes
            .get(recent..)
            .and_then(|latest| latest.iter().rposition(|s| s.is_of(task)));
        match found {
            Some(at) => index_u32(recent + at),
            None => {
                self.shapes.push(TaskShape::of(task));
                index_u32(self.shapes.len() - 1)
            }
        }
    }

    /// How a record keeps `arn`.
    fn arn_ref(&mut self, arn: &TaskArn) -> ArnRef {
        match arn.numbered_parts() {
            Some((prefix, bits)) => ArnRef::Numbered {
                prefix: self.prefix_index(prefix),
                bits: [
                    (bits >> 96) as u32,
                    (bits >> 64) as u32,
                    (bits >> 32) as u32,
                    bits as u32,
                ],
            },
            None => {
                self.texts.push(arn.clone());
                ArnRef::Text(index_u32(self.texts.len() - 1))
            }
        }
    }

    /// The place of `prefix` in `prefixes` (the same shared name), added when new.
    fn prefix_index(&mut self, prefix: &Name) -> u32 {
        let found = self.prefixes.iter().rposition(|p| p.address() == prefix.address());
        match found {
            Some(at) => index_u32(at),
            None => {
                self.prefixes.push(prefix.clone());
                index_u32(self.prefixes.len() - 1)
            }
        }
    }

    /// The ARN a record keeps as `arn`.
    fn task_arn(&self, arn: ArnRef) -> TaskArn {
        match arn {
            ArnRef::Numbered { prefix, bits } => self
                .prefixes
                .get(prefix as usize)
                .map(|prefix| {
                    let id = bits.iter().fold(0u128, |id, &part| (id << 32) | u128::from(part));
                    TaskArn::numbered(prefix, id)
                })
                .unwrap_or_default(),
            ArnRef::Text(at) => self.texts.get(at as usize).cloned().unwrap_or_default(),
        }
    }

    /// The record of a task: its decision (without its number) and funnel counts found in (or
    /// added to) the table.
    fn record(
        &mut self,
        attempt: usize,
        mut decision: Decision,
        funnel: FunnelCounts,
        placed: Option<Placed>,
    ) -> Record {
        let among = match &mut decision {
            Decision::TieBreak { among, .. } | Decision::RandomStrategy { among, .. } => std::mem::take(among),
            _ => 0,
        };
        let steps = index_u32(self.steps.len());
        self.steps.extend(funnel.strategies.iter().map(index_u32));
        let funnel = Funnel {
            decision,
            counts: [funnel.active, funnel.passed_checks, funnel.passed_constraints].map(index_u32),
            steps: u8::try_from(funnel.strategies.len()).unwrap_or(u8::MAX),
        };
        Record {
            attempt: index_u32(attempt),
            funnel: index_in(&mut self.funnels, funnel),
            among: index_u32(among),
            steps,
            placed,
        }
    }

    /// A record's decision, with its number.
    fn decision(&self, record: &Record) -> Decision {
        let mut decision = self
            .funnel(record)
            .map_or(Decision::Failed, |funnel| funnel.decision.clone());
        if let Decision::TieBreak { among, .. } | Decision::RandomStrategy { among, .. } = &mut decision {
            *among = record.among as usize;
        }
        decision
    }

    /// A record's entry in `funnels`.
    fn funnel(&self, record: &Record) -> Option<&Funnel> {
        self.funnels.get(record.funnel as usize)
    }

    /// Room for `tasks` more frames.
    pub(crate) fn reserve(&mut self, tasks: usize) {
        self.records.reserve(tasks);
        self.steps.reserve(tasks.saturating_mul(2));
    }

    /// Numbers every frame `attempt` (StartTask places one task per instance, each in its own
    /// call).
    pub(crate) fn renumber(&mut self, attempt: usize) {
        for record in &mut self.records {
            record.attempt = index_u32(attempt);
        }
    }

    /// Appends another call's frames.
    pub(crate) fn append(&mut self, other: Frames) {
        let stills = if self.stills.extends(&other.stills) {
            0
        } else if other.stills.extends(&self.stills) {
            self.stills = other.stills;
            0
        } else {
            self.stills.append(other.stills)
        };
        let (funnels, shapes) = (index_u32(self.funnels.len()), index_u32(self.shapes.len()));
        let (texts, ports) = (index_u32(self.texts.len()), index_u32(self.ports.len()));
        let steps = index_u32(self.steps.len());
        let prefixes: Vec<u32> = other.prefixes.iter().map(|p| self.prefix_index(p)).collect();
        self.funnels.extend(other.funnels);
        self.shapes.extend(other.shapes);
        self.texts.extend(other.texts);
        self.ports.extend(other.ports);
        self.steps.extend(other.steps);
        self.records.extend(other.records.into_iter().map(|mut record| {
            record.funnel += funnels;
            record.steps += steps;
            if let Some(placed) = record.placed.as_mut() {
                placed.still += stills;
                placed.shape += shapes;
                if placed.ports != NO_PORTS {
                    placed.ports += ports;
                }
                placed.arn = match placed.arn {
                    ArnRef::Numbered { prefix, bits } => ArnRef::Numbered {
                        prefix: prefixes.get(prefix as usize).copied().unwrap_or(u32::MAX),
                        bits,
                    },
                    ArnRef::Text(at) => ArnRef::Text(at + texts),
                };
            }
            record
        }));
    }

    fn frame(&self, record: &Record) -> TaskFrame {
        let placed = record.placed.as_ref();
        let still = placed.and_then(|p| self.stills.get(p.still));
        let funnel = self.funnel(record);
        let [active, passed_checks, passed_constraints] =
            funnel.map_or([0; 3], |f| f.counts.map(|count| count as usize));
        TaskFrame {
            attempt: record.attempt as usize,
            decision: self.decision(record),
            funnel: FunnelCounts {
                active,
                passed_checks,
                passed_constraints,
                strategies: self.steps_of(record, funnel),
            },
            task: placed.zip(still).map(|(placed, still)| {
                let shape = self.shapes.get(placed.shape as usize);
                TaskChip {
                    task_arn: self.task_arn(placed.arn).to_name(),
                    container_instance_arn: still.arn().clone(),
                    group: shape.map(|s| s.group.clone()).unwrap_or_default(),
                    cpu: shape.map_or(0, |s| s.cpu),
                    memory: shape.map_or(0, |s| s.memory),
                    stopping: shape.is_some_and(|s| s.stopping),
                }
            }),
            instance: placed
                .zip(still)
                .map(|(placed, still)| usage_of(still, self.live(placed))),
        }
    }

    /// A record's strategy step counts.
    fn steps_of(&self, record: &Record, funnel: Option<&Funnel>) -> StepCounts {
        let (start, len) = (record.steps as usize, funnel.map_or(0, |f| usize::from(f.steps)));
        let counts = self.steps.get(start..start + len).unwrap_or_default();
        counts.iter().map(|&count| count as usize).collect()
    }

    /// The instance's changing part a placed task's record keeps.
    fn live(&self, placed: &Placed) -> InstanceLive {
        InstanceLive {
            numbers: placed.live,
            host_ports: self.ports.get(placed.ports as usize).cloned().unwrap_or_default(),
        }
    }
}

/// An index of the tables above, or a count (a call places at most 2^32 tasks).
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The index of `entry` in `table`: one of the latest few, or a new last one.
fn index_in<T: PartialEq>(table: &mut Vec<T>, entry: T) -> u32 {
    let recent = table.len().saturating_sub(RECENT);
    let found = table
        .get(recent..)
        .and_then(|latest| latest.iter().rposition(|e| *e == entry));
    match found {
        Some(at) => index_u32(recent + at),
        None => {
            table.push(entry);
            index_u32(table.len() - 1)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::{Decision, Frames, FunnelCounts, index_in};

    /// The record a million-task call writes a million times (the module documentation's
    /// figure; 64-bit targets).
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_record_is_72_bytes() {
        assert_eq!(std::mem::size_of::<super::Record>(), 72);
        assert_eq!(Frames::RECORD_BYTES, 72);
    }

    #[test]
    fn a_table_entry_is_found_among_the_latest_or_added() {
        let mut table = Vec::new();
        assert_eq!(index_in(&mut table, 'a'), 0);
        assert_eq!(index_in(&mut table, 'b'), 1);
        assert_eq!(index_in(&mut table, 'a'), 0, "found among the latest");
        for c in ['c', 'd', 'e', 'f'] {
            index_in(&mut table, c);
        }
        assert_eq!(index_in(&mut table, 'a'), 6, "too old: added again");
        assert_eq!(table.len(), 7);
    }

    #[test]
    fn decisions_come_back_with_their_numbers_after_an_append() {
        let funnel = |n: usize| FunnelCounts {
            active: n,
            passed_checks: n,
            passed_constraints: n,
            strategies: [n].into_iter().collect(),
        };
        // The third task's funnel counts are the first's.
        let same_as_first = |n: usize| if n == 2 { 0 } else { n };
        let decisions = [
            Decision::TieBreak { among: 7, seed: 3 },
            Decision::OnlyCandidate,
            Decision::TieBreak { among: 9, seed: 3 },
            Decision::RandomStrategy { among: 2, seed: 3 },
            Decision::TieBreak { among: 5, seed: 3 },
            Decision::Failed,
        ];
        let (mut first, mut second) = (Frames::default(), Frames::default());
        for (n, decision) in decisions.iter().enumerate() {
            let frames = if n < 3 { &mut first } else { &mut second };
            let record = frames.record(n + 1, decision.clone(), funnel(same_as_first(n)), None);
            frames.records.push(record);
        }
        first.append(second);
        let back: Vec<(usize, Decision, FunnelCounts)> =
            first.iter().map(|f| (f.attempt, f.decision, f.funnel)).collect();
        let expected: Vec<(usize, Decision, FunnelCounts)> = decisions
            .iter()
            .enumerate()
            .map(|(n, d)| (n + 1, d.clone(), funnel(same_as_first(n))))
            .collect();
        assert_eq!(back, expected);
        assert_eq!(first.decisions().collect::<Vec<_>>(), decisions.to_vec());
        assert_eq!(
            first.funnels.len(),
            5,
            "the first call's two tie-breaks (and funnel counts) share an entry"
        );
    }
}
