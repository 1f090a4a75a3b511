//! The instances a call's frames show ([`DrawnInstances`]): what placing tasks does not change
//! of an instance ([`InstanceStill`]) is read once into a table that the call's [`Frames`]
//! share, and the table is kept between the calls of a caller that places repeatedly (the
//! service scheduler hands the engine a [`super::TaskTally`], which carries it). The thousand
//! calls of a large scale-out then share one table instead of reading and storing a record of
//! each instance per call.

use super::frames::{Frames, InstanceRef};
use crate::Name;
use crate::model::{Attributes, ContainerInstance, InstanceStatus, Resources, Shared};
use crate::view::{InstanceLabels, InstanceStill};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// What frames show of the instances they were drawn on: a table that only grows, kept in
/// shared chunks. Frames take the table as it is at the end of a call; a later call that reads
/// more instances then starts a chunk of its own instead of copying the table (a scale-out's
/// calls read new instances for a while: on 5,000 instances the table was copied whole 34
/// times, each copy counting four shared names per entry).
#[derive(Debug, Clone, Default)]
pub(crate) struct StillTable {
    chunks: Vec<Arc<Vec<InstanceStill>>>,
    /// The position in the table of each chunk's first entry.
    starts: Vec<u32>,
    len: u32,
}

impl StillTable {
    /// The entry at `at`.
    pub(crate) fn get(&self, at: u32) -> Option<&InstanceStill> {
        let chunk = self.starts.partition_point(|&start| start <= at).checked_sub(1)?;
        let start = *self.starts.get(chunk)?;
        self.chunks.get(chunk)?.get((at - start) as usize)
    }

    /// Adds an entry at the end: in the last chunk when no frames share it, else in a new one.
    fn push(&mut self, still: InstanceStill) -> u32 {
        let at = self.len;
        match self.chunks.last_mut().and_then(Arc::get_mut) {
            Some(chunk) => chunk.push(still),
            None => {
                self.chunks.push(Arc::new(vec![still]));
                self.starts.push(at);
            }
        }
        self.len += 1;
        at
    }

    /// Whether `self` holds every chunk of `other` in the same places (the same entries at
    /// the same positions, `self` perhaps with more after them).
    pub(crate) fn extends(&self, other: &StillTable) -> bool {
        other.chunks.len() <= self.chunks.len() && other.chunks.iter().zip(&self.chunks).all(|(a, b)| Arc::ptr_eq(a, b))
    }

    /// Appends `other`'s chunks after this table's entries: `other`'s positions move by the
    /// returned offset.
    pub(crate) fn append(&mut self, other: StillTable) -> u32 {
        let offset = self.len;
        self.starts.extend(other.starts.iter().map(|start| start + offset));
        self.chunks.extend(other.chunks);
        self.len += other.len;
        offset
    }
}

/// The table of instances the frames show, and where each scenario instance is in it.
#[derive(Debug, Clone, Default)]
pub(crate) struct DrawnInstances {
    /// What the frames show of each instance read so far (shared with the frames of the
    /// calls that read them).
    table: StillTable,
    /// By scenario index: 1 + the position in `sources` of the instance's entry, 0 when it
    /// was not read (zeroed memory: a call that places on a few of 10,000 instances touches a
    /// few pages of it, where a vector of the entries themselves was written whole).
    slot_of: Vec<u32>,
    /// What each instance's entry in `table` was read from, and where it is.
    sources: Vec<(StillSource, InstanceRef)>,
    /// Type and zone per attribute map, for the current call: instances with equal attributes
    /// share one map (and one pair of labels), so a call that places on thousands of instances
    /// reads a handful.
    labels: FxHashMap<usize, InstanceLabels>,
}

/// What an instance's entry is read from: its shared names, attribute map and registered
/// resources (held, so that their addresses cannot be reused while kept, and compared by
/// address) and its plain fields. While all of it is the same, so is the entry.
#[derive(Debug, Clone)]
struct StillSource {
    arn: Name,
    ec2_instance_id: Name,
    attributes: Attributes,
    registered: Option<Shared<Resources>>,
    status: InstanceStatus,
    agent_connected: bool,
    task_eni_limit: Option<u32>,
    untracked_running_tasks: u32,
}

impl StillSource {
    fn of(instance: &ContainerInstance) -> Self {
        StillSource {
            arn: instance.container_instance_arn.clone(),
            ec2_instance_id: instance.ec2_instance_id.clone(),
            attributes: instance.attributes.clone(),
            registered: instance.registered_resources.clone(),
            status: instance.status,
            agent_connected: instance.agent_connected,
            task_eni_limit: instance.task_eni_limit,
            untracked_running_tasks: instance.untracked_running_tasks,
        }
    }

    /// Whether `instance` is still what the entry was read from.
    fn describes(&self, instance: &ContainerInstance) -> bool {
        self.arn.address() == instance.container_instance_arn.address()
            && self.ec2_instance_id.address() == instance.ec2_instance_id.address()
            && self.attributes.address() == instance.attributes.address()
            && self.registered.as_ref().map(Shared::address)
                == instance.registered_resources.as_ref().map(Shared::address)
            && self.status == instance.status
            && self.agent_connected == instance.agent_connected
            && self.task_eni_limit == instance.task_eni_limit
            && self.untracked_running_tasks == instance.untracked_running_tasks
    }
}

impl DrawnInstances {
    /// Starts a call on a scenario of `instances` instances (a different count: the scenario
    /// changed, nothing read is kept).
    pub(crate) fn start_call(&mut self, instances: usize) {
        self.labels.clear();
        if self.slot_of.len() != instances {
            self.slot_of = vec![0; instances];
            self.sources.clear();
            self.table = StillTable::default();
        }
    }

    /// The entry of the instance at scenario `index`: read now when the instance was not read
    /// yet or changed since.
    pub(crate) fn entry(&mut self, instance: &ContainerInstance, index: usize) -> Option<InstanceRef> {
        let source = (self.slot_of.get(index)?.checked_sub(1)).map(|s| s as usize);
        if let Some((read_from, entry)) = source.and_then(|s| self.sources.get(s)) {
            if read_from.describes(instance) {
                return Some(*entry);
            }
        }
        let still = self.read_still(instance);
        let entry = InstanceRef(self.table.push(still));
        let read = (StillSource::of(instance), entry);
        match source.and_then(|s| self.sources.get_mut(s)) {
            Some(slot) => *slot = read,
            None => {
                self.sources.push(read);
                let number = u32::try_from(self.sources.len()).ok()?;
                if let Some(slot) = self.slot_of.get_mut(index) {
                    *slot = number;
                }
            }
        }
        Some(entry)
    }

    /// Gives the call's frames the table their entries are in.
    pub(crate) fn finish_call(&self, frames: &mut Frames) {
        frames.use_instances(&self.table);
    }

    /// The instance's unchanging part, its labels read once per attribute map.
    fn read_still(&mut self, instance: &ContainerInstance) -> InstanceStill {
        let labels = self
            .labels
            .entry(instance.attributes.address())
            .or_insert_with(|| crate::view::instance_labels(instance))
            .clone();
        crate::view::still_of(instance, labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(id: &str) -> ContainerInstance {
        let mut instance: ContainerInstance =
            serde_json::from_value(serde_json::json!({ "containerInstanceArn": id })).unwrap();
        instance.status = InstanceStatus::Active;
        instance
    }

    #[test]
    fn an_unchanged_instance_keeps_its_entry_between_calls_and_a_changed_one_is_read_again() {
        let mut instances = [instance("a"), instance("b")];
        let mut drawn = DrawnInstances::default();
        drawn.start_call(2);
        let first = drawn.entry(&instances[0], 0).unwrap();
        assert_eq!(drawn.entry(&instances[0], 0), Some(first), "read once");
        let mut frames = Frames::default();
        drawn.finish_call(&mut frames);
        let shared = drawn.table.clone();

        drawn.start_call(2);
        assert_eq!(
            drawn.entry(&instances[0], 0),
            Some(first),
            "the same instance: the same entry"
        );
        assert!(
            drawn.table.extends(&shared) && shared.extends(&drawn.table),
            "nothing read: the table is shared"
        );

        instances[0].status = InstanceStatus::Draining;
        let draining = drawn.entry(&instances[0], 0).unwrap();
        assert_ne!(draining, first, "a changed status: read again");
        assert_eq!(shared.len, 1, "the frames' table is not changed");
        assert!(drawn.table.extends(&shared), "the shared chunk is kept, not copied");
        assert_eq!(drawn.table.chunks.len(), 2, "the new entry is in a chunk of its own");
        assert_eq!((first.0, draining.0, drawn.table.len), (0, 1, 2));
        assert!(drawn.table.get(0).is_some() && drawn.table.get(1).is_some() && drawn.table.get(2).is_none());

        instances[0].attributes = (*instances[0].attributes).clone().into();
        let again = drawn.entry(&instances[0], 0);
        assert_ne!(again, Some(draining), "another attribute map: read again");
        assert_eq!(drawn.table.chunks.len(), 2, "an unshared chunk grows");
        assert_eq!(drawn.slot_of[1], 0, "instance b was never drawn");
        assert_eq!(
            drawn.sources.len(),
            1,
            "one instance read, its entry replaced when it changed"
        );

        drawn.start_call(3);
        assert_eq!(
            drawn.entry(&instances[1], 1),
            Some(InstanceRef(0)),
            "another scenario: read anew"
        );
    }
}
