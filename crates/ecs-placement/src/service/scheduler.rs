//! The scheduler's loop and its primitives. After a command, [`Scheduler::settle`] runs passes
//! over the services until a pass changes nothing: daemons place first, then each REPLICA
//! service (draining, scale-out or scale-in, AZ rebalancing), then daemons stop last, then
//! deleted services stop their tasks. Every placement goes through `engine::place`; every step
//! is recorded for the timeline.

use super::events;
use super::model::{MAX_TASKS_PER_SERVICE, Service, ServiceStatus};
use super::request;
use super::steps::{
    EventStep, NoteStep, PlaceReason, PlacementStep, SchedulerStep, StopReason, StopStep, StopWhy, StoppedTask,
};
use super::{daemon, fargate, rebalance, replica};
use crate::aws::ops::tasks::stop_task_as;
use crate::engine::{self, Chooser, Constraint, Decision, Explain, PlacementTrace, Records, TaskTally};
use crate::model::{InstanceStatus, Task};
use crate::scenario::Scenario;
use crate::time::Timestamp;
use crate::{Name, TaskArn};
use rustc_hash::FxHashMap;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// Passes over the services before the scheduler gives up settling (each pass that changes
/// nothing ends the loop earlier).
const MAX_PASSES: usize = 16;
/// The stop code of tasks the scheduler stops.
pub const STOP_CODE: &str = "ServiceSchedulerInitiated";

/// The scheduler acting on a scenario after one command.
pub struct Scheduler<'a> {
    /// The cluster.
    pub scenario: &'a mut Scenario,
    /// What it did.
    pub steps: Vec<SchedulerStep>,
    explain: Explain,
    explain_step: Option<usize>,
    /// Bumped by every placement or stop: a service whose placement failed is not retried until
    /// the cluster changed.
    generation: u64,
    failed_at: HashMap<(String, &'static str), u64>,
    /// The scenario's tasks by group, each with its instance: what a census reads.
    tasks: TaskIndex,
    /// What the last placement left for the next one (see [`TaskTally`]); dropped when a task
    /// stops.
    tally: Option<TaskTally>,
    /// [`Self::open_zones`] for EC2 (0) and EXTERNAL (1) services, once found.
    open_zones: [Option<Vec<String>>; 2],
}

/// A group's tasks: (task index, instance index as [`slot`] keeps it), in scenario order.
type GroupTasks = Vec<(u32, u32)>;

/// An index as the task index keeps it: in four bytes, `u32::MAX` for none (a million tasks
/// keep a million entries in each of two lists, written as the tasks are placed).
fn slot(index: Option<usize>) -> u32 {
    index.and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX)
}

/// The index a [`slot`] keeps.
fn from_slot(slot: u32) -> Option<usize> {
    (slot != u32::MAX).then_some(slot as usize)
}

/// The scenario's tasks by group, each with the index of its instance, kept in step with the
/// tasks while the scheduler settles (tasks are only added then, at the end, and never change
/// group or instance; a stop changes only their status, which a census reads).
#[derive(Debug, Default)]
struct TaskIndex {
    /// Task group → (task index, instance index) of its tasks, in scenario order.
    by_group: FxHashMap<Name, GroupTasks>,
    /// Instance ARN → index (instances are neither added nor removed while settling).
    instance_of: FxHashMap<Name, usize>,
    /// Task index → the index of its instance (a [`slot`]).
    task_instance: Vec<u32>,
    /// Task index → whether its desired status is RUNNING (kept in step by
    /// [`Scheduler::stop_task`]).
    desired_running: Vec<bool>,
    /// Instance index → the number of its Availability Zone in `zones` (attributes do not
    /// change while settling).
    zone_of: Vec<Option<usize>>,
    /// The zones' names, by number.
    zones: Vec<Name>,
    /// How many of the scenario's tasks are indexed.
    indexed: usize,
}

impl TaskIndex {
    fn new(scenario: &Scenario) -> Self {
        let instance_of = scenario
            .instances
            .iter()
            .enumerate()
            .map(|(i, instance)| (instance.container_instance_arn.clone(), i))
            .collect();
        let mut zones: Vec<Name> = Vec::new();
        let zone_of = scenario
            .instances
            .iter()
            .map(|instance| {
                let zone = instance.availability_zone()?;
                Some(zones.iter().position(|z| z == zone).unwrap_or_else(|| {
                    zones.push(zone.into());
                    zones.len() - 1
                }))
            })
            .collect();
        let mut index = TaskIndex {
            by_group: FxHashMap::default(),
            instance_of,
            task_instance: Vec::new(),
            desired_running: Vec::new(),
            zone_of,
            zones,
            indexed: 0,
        };
        index.catch_up(scenario, &[]);
        index
    }

    /// Whether the desired status of task `task` is RUNNING.
    fn is_desired_running(&self, task: usize) -> bool {
        self.desired_running.get(task).copied().unwrap_or(false)
    }

    /// Records whether the desired status of task `task` is RUNNING.
    fn set_desired_running(&mut self, task: usize, running: bool) {
        if let Some(slot) = self.desired_running.get_mut(task) {
            *slot = running;
        }
    }

    /// Indexes the tasks added since the last call. `placed_on` are the instances of the
    /// tasks of the call that added them (`PlacementOutcome::instance_indexes`), when they were
    /// all added by one engine call (in its order): their instances are then known without
    /// looking their ARNs up.
    fn catch_up(&mut self, scenario: &Scenario, placed_on: &[usize]) {
        let new_tasks = scenario.tasks.get(self.indexed..).unwrap_or_default();
        let known = (placed_on.len() == new_tasks.len()).then_some(placed_on);
        let mut group: Option<(&Name, &mut GroupTasks)> = None;
        self.task_instance.reserve(new_tasks.len());
        self.desired_running.reserve(new_tasks.len());
        for (offset, task) in new_tasks.iter().enumerate() {
            let i = self.indexed + offset;
            let instance = match known.and_then(|placed_on| placed_on.get(offset)) {
                Some(&instance) => {
                    debug_assert_eq!(
                        scenario.instances.get(instance).map(|i| &i.container_instance_arn),
                        Some(&task.container_instance_arn),
                        "instances in task order"
                    );
                    Some(instance)
                }
                None => instance_index(&self.instance_of, scenario, &task.container_instance_arn),
            };
            self.task_instance.push(slot(instance));
            self.desired_running.push(task.is_desired_running());
            // A call's tasks share their group: its list is looked up once.
            let same_group = group.as_ref().is_some_and(|(name, _)| **name == task.group);
            if !same_group {
                let tasks = self.by_group.entry(task.group.clone()).or_default();
                // A call's tasks share their group: room for the rest of them.
                tasks.reserve(new_tasks.len() - offset);
                group = Some((&task.group, tasks));
            }
            if let Some((_, tasks)) = group.as_mut() {
                tasks.push((slot(Some(i)), slot(instance)));
            }
        }
        self.indexed = scenario.tasks.len();
    }
}

/// The index of the instance an ARN (or short ID) names.
fn instance_index(instance_of: &FxHashMap<Name, usize>, scenario: &Scenario, reference: &str) -> Option<usize> {
    match instance_of.get(reference) {
        Some(&i) => Some(i),
        None => scenario.instance_index(reference),
    }
}

/// The result of a placement attempt.
#[derive(Debug, Default)]
pub struct Placed {
    /// The new tasks: their indexes in the scenario's tasks (a call adds its tasks at the end).
    pub tasks: Range<usize>,
    /// Whether a task could not be placed.
    pub failed: bool,
}

/// A service's tasks with desired status RUNNING (scenario indexes), and those of them on an
/// instance that is not ACTIVE.
#[derive(Debug, Default)]
pub struct Census {
    /// Every running task.
    pub running: Vec<usize>,
    /// The ones on DRAINING (or otherwise not ACTIVE) instances.
    pub draining: Vec<usize>,
}

impl Census {
    /// Whether `service` (the one counted) has settled ([`Service::is_steady`]).
    pub fn is_steady(&self, service: &Service) -> bool {
        service.is_steady(self.running.len() as u64, self.draining.len() as u64)
    }
}

impl<'a> Scheduler<'a> {
    /// A scheduler; `explain` applies to every placement step unless `explain_step` names one.
    pub fn new(scenario: &'a mut Scenario, explain: Explain, explain_step: Option<usize>) -> Self {
        Scheduler {
            steps: Vec::new(),
            explain,
            explain_step,
            generation: 0,
            failed_at: HashMap::default(),
            tasks: TaskIndex::new(scenario),
            tally: None,
            open_zones: [None, None],
            scenario,
        }
    }

    /// Runs passes until nothing changes, then records steady states.
    pub fn settle(&mut self) {
        for _ in 0..MAX_PASSES {
            let before = self.generation;
            self.pass();
            if self.generation == before {
                break;
            }
        }
        self.steady_events();
    }

    fn pass(&mut self) {
        for index in self.services(ServiceStatus::Active, Some(true)) {
            daemon::place_missing(self, index);
        }
        for index in self.services(ServiceStatus::Active, Some(false)) {
            replica::reconcile(self, index);
            rebalance::reconcile(self, index);
        }
        for index in self.services(ServiceStatus::Active, Some(true)) {
            daemon::stop_ineligible(self, index);
        }
        for index in self.services(ServiceStatus::Draining, None) {
            self.finish_delete(index);
        }
    }

    /// Indexes of the services with `status` (and daemon or not, when given).
    fn services(&self, status: ServiceStatus, daemon: Option<bool>) -> Vec<usize> {
        let services = self.scenario.services.iter().enumerate();
        services
            .filter(|(_, s)| s.status == status && daemon.is_none_or(|d| s.is_daemon() == d))
            .map(|(i, _)| i)
            .collect()
    }

    /// Which tasks the next placement step explains.
    fn explain_next(&self) -> Explain {
        match self.explain_step {
            Some(step) if step == self.steps.len() => self.explain,
            Some(_) => Explain::Off,
            None if self.explain == Explain::All => Explain::All,
            None => Explain::Off,
        }
    }

    /// The running tasks of service `index`.
    pub fn census(&self, index: usize) -> Census {
        let Some(service) = self.scenario.services.get(index) else {
            return Census::default();
        };
        debug_assert_eq!(
            self.tasks.indexed,
            self.scenario.tasks.len(),
            "a task was added unindexed"
        );
        let group = service.group();
        let mut census = Census::default();
        // The tasks' statuses are read from the index, not from the tasks (a thousand services
        // of a thousand tasks: a census read a task record per task, most of them cache misses).
        for &(i, instance) in self.tasks.by_group.get(group.as_str()).into_iter().flatten() {
            let (i, instance) = (i as usize, from_slot(instance));
            if !self.tasks.is_desired_running(i) {
                continue;
            }
            census.running.push(i);
            let status = instance
                .and_then(|at| self.scenario.instances.get(at))
                .map(|at| at.status);
            if status != Some(InstanceStatus::Active) && !self.scenario.tasks.get(i).is_some_and(Task::is_fargate) {
                census.draining.push(i);
            }
        }
        debug_assert!(
            self.tasks
                .by_group
                .get(group.as_str())
                .into_iter()
                .flatten()
                .all(|&(i, _)| {
                    let i = i as usize;
                    self.tasks.is_desired_running(i) == self.scenario.tasks.get(i).is_some_and(Task::is_desired_running)
                }),
            "the task index's statuses differ from the tasks'"
        );
        census
    }

    /// Stops task `task` of service `index` as [`stop_task_as`] does, with the scheduler's stop
    /// code and AWS's reason for a scaling activity of the service's deployment, and records its
    /// status in the task index.
    pub(super) fn stop_task(&mut self, index: usize, task: usize) -> Option<(Task, bool)> {
        let deployment = &self.scenario.services.get(index)?.deployment_id;
        let reason = format!("Scaling activity initiated by (deployment {deployment})");
        let stopped = stop_task_as(self.scenario, task, &reason, STOP_CODE);
        let running = self.scenario.tasks.get(task).is_some_and(Task::is_desired_running);
        self.tasks.set_desired_running(task, running);
        stopped
    }

    /// The index of the instance task `task` runs on.
    pub fn instance_of_task(&self, task: usize) -> Option<usize> {
        self.tasks.task_instance.get(task).copied().and_then(from_slot)
    }

    /// The Availability Zone of the instance task `task` runs on, as a number (see
    /// [`Self::zone_name`]).
    pub fn zone_of_task(&self, task: usize) -> Option<usize> {
        self.tasks.zone_of.get(self.instance_of_task(task)?).copied().flatten()
    }

    /// The name of zone `number` (see [`Self::zone_of_task`]).
    pub fn zone_name(&self, number: usize) -> Option<&str> {
        self.tasks.zones.get(number).map(Name::as_str)
    }

    /// The zones of the instances a service without `memberOf` constraints may run on (ACTIVE,
    /// of its launch type: EXTERNAL or not), sorted; found once per settle (instances do not
    /// change while the scheduler settles).
    pub fn open_zones(&mut self, external: bool) -> &[String] {
        let (scenario, tasks) = (&*self.scenario, &self.tasks);
        let Some(slot) = self.open_zones.get_mut(usize::from(external)) else {
            return &[];
        };
        slot.get_or_insert_with(|| {
            let zones: std::collections::BTreeSet<&str> = crate::order::set_of(
                scenario
                    .instances
                    .iter()
                    .enumerate()
                    .filter(|(_, instance)| engine::skip_reason(instance, external).is_none())
                    .filter_map(|(i, _)| tasks.zone_of.get(i).copied().flatten())
                    .filter_map(|zone| tasks.zones.get(zone).map(Name::as_str)),
            );
            zones.into_iter().map(str::to_string).collect()
        })
    }

    /// Whether a placement of `kind` for service `index` failed and nothing changed since.
    pub fn failed_recently(&self, index: usize, kind: &'static str) -> bool {
        let name = self.service_name(index);
        self.failed_at.get(&(name, kind)) == Some(&self.generation)
    }

    fn service_name(&self, index: usize) -> String {
        self.scenario
            .services
            .get(index)
            .map(|s| s.service_name.clone())
            .unwrap_or_default()
    }

    /// A copy of service `index` without its events: what placements, stops and their
    /// messages read. (Events are added to the scenario's service; a service keeps up to a
    /// hundred, so a whole copy cost more than the placement of a few tasks.)
    pub fn service_copy(&mut self, index: usize) -> Option<Service> {
        let service = self.scenario.services.get_mut(index)?;
        let events = std::mem::take(&mut service.events);
        let copy = service.clone();
        service.events = events;
        Some(copy)
    }

    /// Places up to `count` tasks of service `index` (at most the per-service quota of running
    /// tasks) and records the step and its events. `zone` is set for AZ rebalancing.
    pub fn place(&mut self, index: usize, count: usize, reason: PlaceReason, zone: Option<&str>) -> Placed {
        let running = self.census(index).running.len();
        let count = count.min(MAX_TASKS_PER_SERVICE.saturating_sub(running));
        let Some(service) = self.service_copy(index) else {
            return Placed::default();
        };
        if count == 0 {
            return Placed::default();
        }
        if fargate::is_fargate(&service) {
            let placed = fargate::place(self, index, count, reason);
            // The new tasks hold task IDs the carried tally does not know: recount next time.
            self.tally = None;
            self.tasks.catch_up(self.scenario, &[]);
            return placed;
        }
        let built = zone.map(request::zone_constraint).transpose().and_then(|extra| {
            let explain = self.explain_next();
            request::build(self.scenario, &service, count, explain, extra, &mut Vec::new())
        });
        let request = match built {
            Ok(request) => request,
            Err(error) => return self.cannot_place(index, &error.message, zone.is_some()),
        };
        let at = events::tick(self.scenario);
        let first = self.scenario.tasks.len();
        let outcome = engine::place_keeping(
            self.scenario,
            &request,
            Chooser::Auto,
            &mut self.tally,
            Records::InstanceIndexes,
        );
        self.tasks.catch_up(self.scenario, &outcome.instance_indexes);
        let tasks = first..self.scenario.tasks.len();
        let failed = outcome.frames.decisions().next_back() == Some(Decision::Failed);
        self.date_new_tasks(tasks.clone(), at);
        let failures = outcome.failures.clone();
        self.steps.push(SchedulerStep::Placement(Box::new(PlacementStep {
            service: service.service_name.clone(),
            reason,
            at,
            placement: PlacementTrace {
                call: outcome.call,
                frames: outcome.frames,
            },
            failures: failures.clone(),
            explanation: outcome.explanation,
        })));
        self.after_placement(index, tasks.clone(), failed, &failures, zone);
        Placed { tasks, failed }
    }

    /// The service's tasks cannot be placed at all (its task definition is missing, ...): a note
    /// step, once until the cluster changes.
    pub(super) fn cannot_place(&mut self, index: usize, reason: &str, rebalance: bool) -> Placed {
        let service = self.service_name(index);
        let kind = if rebalance { "rebalance" } else { "place" };
        self.failed_at.insert((service.clone(), kind), self.generation);
        let message = format!("the scheduler cannot start tasks of service {service}: {reason}");
        self.steps.push(SchedulerStep::Note(NoteStep { service, message }));
        Placed {
            tasks: 0..0,
            failed: true,
        }
    }

    /// Dates the new tasks (scenario indexes) `at`.
    pub(super) fn date_new_tasks(&mut self, tasks: Range<usize>, at: Timestamp) {
        for task in self.scenario.tasks.get_mut(tasks).unwrap_or_default() {
            task.created_at = Some(at);
        }
    }

    /// Events after a placement: the tasks started, and why the rest could not be placed.
    pub(super) fn after_placement(
        &mut self,
        index: usize,
        tasks: Range<usize>,
        failed: bool,
        failures: &[engine::Failure],
        zone: Option<&str>,
    ) {
        let Some(service) = self.service_copy(index) else {
            return;
        };
        if !tasks.is_empty() {
            self.generation += 1;
            self.touch(index);
            let new_tasks = self.scenario.tasks.get(tasks).unwrap_or_default();
            let messages: Vec<String> = new_tasks
                .chunks(events::TASKS_PER_EVENT)
                .map(|chunk| {
                    let arns = chunk.iter().map(|t| &t.task_arn);
                    match zone {
                        Some(zone) => events::az_started(&service, zone, arns),
                        None => events::started(&service, arns),
                    }
                })
                .collect();
            for message in messages {
                self.event(index, message);
            }
        }
        if failed {
            let message = match zone {
                Some(zone) => events::az_unable(&service, zone),
                None => events::unable_to_place(&service, failures, self.scenario.instances.len()),
            };
            self.event(index, message);
            let kind = if zone.is_some() { "rebalance" } else { "place" };
            self.failed_at
                .insert((service.service_name.clone(), kind), self.generation);
        }
    }

    /// Records an event step (unless it repeats the service's newest event).
    pub fn event(&mut self, index: usize, message: String) {
        if let Some(event) = events::record(self.scenario, index, message) {
            let service = self.service_name(index);
            self.steps.push(SchedulerStep::Event(EventStep { service, event }));
        }
    }

    /// Stops one task for service `index`: its desired and last status become STOPPED and its
    /// resources go back. Returns what the stop step shows of it.
    pub fn stop_one(&mut self, index: usize, task: usize, why: StopWhy) -> Option<StoppedTask> {
        self.tally = None;
        let (stopped, _) = self.stop_task(index, task)?;
        let instance = self.scenario.instance_index(&stopped.container_instance_arn)?;
        Some(StoppedTask {
            instance: crate::view::instance_usage_at(self.scenario, instance)?,
            task_arn: stopped.task_arn.to_string(),
            container_instance_arn: stopped.container_instance_arn.to_string(),
            why,
        })
    }

    /// Records a stop step (and its event) for tasks already stopped with [`Self::stop_one`].
    pub fn record_stop(
        &mut self,
        index: usize,
        reason: StopReason,
        at: Timestamp,
        tasks: Vec<StoppedTask>,
        zone: Option<&str>,
    ) {
        let Some(service) = self.service_copy(index) else {
            return;
        };
        if tasks.is_empty() {
            return;
        }
        self.generation += 1;
        self.touch(index);
        let arns: Vec<TaskArn> = tasks.iter().map(|t| TaskArn::from(t.task_arn.as_str())).collect();
        self.steps.push(SchedulerStep::Stop(StopStep {
            service: service.service_name.clone(),
            reason,
            at,
            tasks,
        }));
        for chunk in arns.chunks(events::TASKS_PER_EVENT) {
            let message = match zone {
                Some(zone) => events::az_stopped(&service, zone, chunk.iter()),
                None => events::stopped(&service, chunk.iter()),
            };
            self.event(index, message);
        }
    }

    /// Stops the given tasks (all for one reason, the same `why` builder) in one step.
    pub fn stop_all(&mut self, index: usize, reason: StopReason, tasks: Vec<(usize, StopWhy)>) {
        if tasks.is_empty() {
            return;
        }
        let at = events::tick(self.scenario);
        let stopped = tasks
            .into_iter()
            .filter_map(|(task, why)| self.stop_one(index, task, why))
            .collect();
        self.record_stop(index, reason, at, stopped, None);
    }

    /// Records that the scheduler changed service `index` now (a placement or a stop).
    pub(super) fn changed(&mut self, index: usize) {
        self.generation += 1;
        self.touch(index);
    }

    /// Marks the service as changed now.
    fn touch(&mut self, index: usize) {
        let now = events::now(self.scenario);
        if let Some(service) = self.scenario.services.get_mut(index) {
            service.updated_at = now;
        }
    }

    /// A deleted (DRAINING) service stops its tasks and becomes INACTIVE.
    fn finish_delete(&mut self, index: usize) {
        let running = self.census(index).running;
        if self.scenario.services.get(index).is_some_and(fargate::is_fargate) {
            fargate::stop_all(self, index, StopReason::Delete, running);
        } else {
            let tasks = running.into_iter().map(|t| (t, StopWhy::ServiceDeleted)).collect();
            self.stop_all(index, StopReason::Delete, tasks);
        }
        if let Some(service) = self.scenario.services.get_mut(index) {
            service.status = ServiceStatus::Inactive;
            service.desired_count = 0;
        }
        self.generation += 1;
    }

    /// `has reached a steady state` for every ACTIVE service that runs its desired count, has no
    /// task on a draining instance, and did not say so last.
    fn steady_events(&mut self) {
        for index in self.services(ServiceStatus::Active, None) {
            let census = self.census(index);
            let Some(service) = self.scenario.services.get(index) else {
                continue;
            };
            let message = events::steady(service);
            let said = service.events.first().is_some_and(|e| e.message == message);
            if census.is_steady(service) && !said {
                self.event(index, message);
            }
        }
    }

    /// The `memberOf` constraints of the service at `index` (its own and its task definition's),
    /// parsed; `distinctInstance` is left out. Daemons and rebalancing evaluate them on instances
    /// directly. Empty when the service or its task definition is missing.
    pub fn member_of(&self, index: usize) -> Vec<Constraint> {
        let Some(service) = self.scenario.services.get(index) else {
            return Vec::new();
        };
        request::definition(self.scenario, service)
            .and_then(|d| request::constraints(d, service, &mut Vec::new()))
            .map(|all| {
                all.into_iter()
                    .filter(|c| matches!(c, Constraint::MemberOf { .. }))
                    .collect()
            })
            .unwrap_or_default()
    }
}
