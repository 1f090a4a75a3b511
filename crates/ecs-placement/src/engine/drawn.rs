//! The instances a call's frames show ([`DrawnInstances`]): each instance's unchanging part
//! ([`InstanceStill`]) is read once per call into the call's [`Frames`], and kept between the
//! calls of a caller that places repeatedly (the service scheduler hands the engine a
//! [`super::TaskTally`], which carries it), so that the thousand calls of a large scale-out
//! share one record per instance instead of reading and storing one per call.

use super::frames::{Frames, InstanceRef};
use crate::Name;
use crate::model::{Attributes, ContainerInstance, InstanceStatus, Resources, Shared};
use crate::view::{InstanceLabels, InstanceStill};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The instances drawn by the current call, and the records kept from earlier calls.
#[derive(Debug, Clone, Default)]
pub(crate) struct DrawnInstances {
    /// By scenario index: the instance's record in this call's frames; allocated on the
    /// call's first placement.
    recorded: Vec<Option<InstanceRef>>,
    /// By scenario index: the record an earlier call read, with what it was read from.
    kept: Vec<Option<(StillSource, Arc<InstanceStill>)>>,
    /// Type and zone per attribute map, for the current call: instances with equal attributes
    /// share one map (and one pair of labels), so a call that places on thousands of instances
    /// reads a handful.
    labels: FxHashMap<usize, InstanceLabels>,
}

/// What an instance's record is read from: its shared names, attribute map and registered
/// resources (held, so that their addresses cannot be reused while kept, and compared by
/// address) and its plain fields. While all of it is the same, so is the record.
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

    /// Whether `instance` is still what the record was read from.
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
    /// Forgets the previous call's frame records and labels (the kept records stay).
    pub(crate) fn start_call(&mut self) {
        self.recorded.clear();
        self.labels.clear();
    }

    /// The record of the instance at `index` in `frames`: added on its first placement of
    /// the call, from the kept record when the instance is unchanged since it was read.
    pub(crate) fn record(
        &mut self,
        frames: &mut Frames,
        instance: &ContainerInstance,
        index: usize,
        instances: usize,
    ) -> Option<InstanceRef> {
        if self.recorded.is_empty() {
            self.recorded = vec![None; instances];
        }
        if self.kept.len() != instances {
            self.kept = vec![None; instances];
        }
        if let Some(Some(recorded)) = self.recorded.get(index) {
            return Some(*recorded);
        }
        let still = match self.kept.get(index) {
            Some(Some((source, still))) if source.describes(instance) => Arc::clone(still),
            _ => {
                let still = Arc::new(self.read(instance));
                if let Some(slot) = self.kept.get_mut(index) {
                    *slot = Some((StillSource::of(instance), Arc::clone(&still)));
                }
                still
            }
        };
        let recorded = frames.add_instance(still);
        if let Some(slot) = self.recorded.get_mut(index) {
            *slot = Some(recorded);
        }
        Some(recorded)
    }

    /// The instance's unchanging part, its labels read once per attribute map.
    fn read(&mut self, instance: &ContainerInstance) -> InstanceStill {
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

    fn kept(drawn: &DrawnInstances, index: usize) -> *const InstanceStill {
        let (_, still) = drawn.kept[index].as_ref().unwrap();
        Arc::as_ptr(still)
    }

    #[test]
    fn an_unchanged_instance_keeps_its_record_between_calls_and_a_changed_one_is_read_again() {
        let mut instances = [instance("a"), instance("b")];
        let mut drawn = DrawnInstances::default();
        let mut frames = Frames::default();
        let first = drawn.record(&mut frames, &instances[0], 0, 2).unwrap();
        assert_eq!(
            drawn.record(&mut frames, &instances[0], 0, 2),
            Some(first),
            "once per call"
        );
        let read = kept(&drawn, 0);

        drawn.start_call();
        let mut frames = Frames::default();
        drawn.record(&mut frames, &instances[0], 0, 2).unwrap();
        assert_eq!(kept(&drawn, 0), read, "the same instance: the kept record");

        instances[0].status = InstanceStatus::Draining;
        drawn.start_call();
        drawn.record(&mut Frames::default(), &instances[0], 0, 2).unwrap();
        assert_ne!(kept(&drawn, 0), read, "a changed status: read again");
        let draining = kept(&drawn, 0);

        instances[0].attributes = (*instances[0].attributes).clone().into();
        drawn.start_call();
        drawn.record(&mut Frames::default(), &instances[0], 0, 2).unwrap();
        assert_ne!(kept(&drawn, 0), draining, "another attribute map: read again");
        assert!(drawn.kept[1].is_none(), "instance b was never drawn");
    }
}
