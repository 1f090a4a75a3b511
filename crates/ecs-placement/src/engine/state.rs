//! The per-call state of the funnel: the candidates with their current verdicts, the task groups
//! on each instance, ENIs in use, and the spread counters.

use super::chain_index::{ChainIndex, IndexMemory};
use super::checks::{self, Finding, Fixed, Rechecks, Verdict};
use super::decision::{FunnelCounts, StepCounts};
use super::drawn::DrawnInstances;
use super::explain::SkipCause;
use super::task_ids::TakenIds;
use super::{Constraint, PlacementRequest, Resource, SpreadField, Strategy};
use crate::Name;
use crate::model::{ContainerInstance, InstanceStatus};
use crate::query::{GroupCounts, GroupNames, InstanceView, add_count};
use crate::scenario::Scenario;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// An ACTIVE instance the call may use, and what its checks decide now (the findings, with
/// their words, are built on demand: [`EngineState::findings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateState {
    /// Index of the instance in the scenario.
    pub index: usize,
    /// The checks a placement cannot change.
    fixed: Fixed,
    /// Whether every check passes.
    pub passes: bool,
    /// Whether every cluster check passes (constraints aside).
    pub passes_checks: bool,
}

/// Per-value counters of the group's tasks for one spread strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpreadIndex {
    /// Which bucket each scenario instance falls in (see [`SpreadIndex::bucket`]).
    buckets: Buckets,
    /// The attribute value each bucket of a spread by attribute stands for (`None`: instances
    /// lacking the attribute; empty for a spread by instance).
    pub labels: Vec<Option<String>>,
    /// Tasks of the group per bucket.
    pub counts: Vec<i64>,
}

/// The buckets of a spread's instances.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Buckets {
    /// A spread by instance: each instance is its own bucket, numbered by its scenario index.
    ByInstance,
    /// A spread by attribute: the bucket of each scenario instance.
    ByAttribute(Vec<usize>),
}

impl SpreadIndex {
    /// The bucket of the instance at scenario index `index`.
    pub fn bucket(&self, index: usize) -> Option<usize> {
        match &self.buckets {
            Buckets::ByInstance => (index < self.counts.len()).then_some(index),
            Buckets::ByAttribute(bucket_of) => bucket_of.get(index).copied(),
        }
    }
}

/// The mutable state of one call.
#[derive(Debug, Clone)]
pub struct EngineState {
    /// ACTIVE instances of the right launch type, in scenario order.
    pub candidates: Vec<CandidateState>,
    /// Scenario index → position in `candidates`.
    position: Vec<Option<usize>>,
    /// Instances not considered (not ACTIVE, or the other launch type), with why.
    pub skipped: Vec<(usize, SkipCause)>,
    /// Task groups (desired RUNNING) per instance: (group number, tasks), ascending.
    groups: Vec<Vec<(u32, u32)>>,
    /// The names of the group numbers.
    group_names: GroupNames,
    /// The number of the call's group.
    call_group: u32,
    /// Tasks (desired RUNNING) per instance: the sum of its `groups`.
    pub running: Vec<u32>,
    /// Tasks of the call's group (desired RUNNING) per instance.
    in_group: Vec<u32>,
    /// The other groups' tasks, per group: (instance, tasks) in instance order (the call's
    /// group is in `in_group` until [`EngineState::into_tally`]).
    by_group: FxHashMap<Name, Vec<(u32, u32)>>,
    /// ENIs held per instance.
    pub eni_used: Vec<u32>,
    /// One entry per strategy (spread strategies only).
    pub spread: Vec<Option<SpreadIndex>>,
    /// The IDs of the scenario's tasks whose ARN a new task of this cluster could repeat (the
    /// cluster's task ARN prefix and 32 lowercase hex digits): new tasks must not reuse one.
    pub task_ids: TakenIds,
    /// The cluster's task ARN up to the ID (`arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/`).
    pub task_arn_prefix: Name,
    /// How many candidates pass every check now.
    pub eligible_count: usize,
    /// How many candidates pass every cluster check now (constraints aside).
    pub checks_count: usize,
    /// Remaining CPU and memory per scenario instance (binpack keys, kept in step with the scenario).
    remaining: Vec<[i64; 2]>,
    /// The instances the frames show (kept between calls with the tally).
    pub(crate) drawn: DrawnInstances,
    /// The memory of the chooser's index (kept between calls with the tally).
    pub(crate) index_memory: IndexMemory,
    /// When this state was carried over from the previous call (see [`PreviousCall`]) and that
    /// call used an index: its index, and the instances whose verdict and keys may differ from
    /// that call's (their leaves to read again).
    pub(crate) carried_index: Option<(ChainIndex, Vec<usize>)>,
    /// The call's constraints that a placement can change the verdict of.
    rechecks: Rechecks,
}

/// What a call leaves for the next one of the same kind (see [`EngineState::new`]): its
/// candidates with their verdicts, the spreads' buckets, the remaining resources, and its
/// chooser's index. The service scheduler places a thousand services one after the other, each
/// call over every instance: the next service's call differs from the previous one only on the
/// instances that hold tasks of either service, so it re-reads those and keeps the rest.
#[derive(Debug, Clone)]
pub(crate) struct PreviousCall {
    /// The previous call's request (its group and everything a verdict reads).
    request: PlacementRequest,
    candidates: Vec<CandidateState>,
    position: Vec<Option<usize>>,
    skipped: Vec<(usize, SkipCause)>,
    spread: Vec<Option<SpreadIndex>>,
    remaining: Vec<[i64; 2]>,
    eligible_count: usize,
    checks_count: usize,
    index: Option<ChainIndex>,
}

impl PreviousCall {
    /// Whether a call of `request` decides every instance as the previous call would have but
    /// for its group: the same checks, constraints and chain on the same instances.
    fn serves(&self, scenario: &Scenario, request: &PlacementRequest) -> bool {
        let previous = &self.request;
        self.position.len() == scenario.instances.len()
            && previous.reservation == request.reservation
            && previous.network_mode == request.network_mode
            && previous.required_attributes == request.required_attributes
            && previous.strategies == request.strategies
            && previous.location == request.location
            && previous.external == request.external
            && previous.constraints.len() == request.constraints.len()
            && previous
                .constraints
                .iter()
                .zip(&request.constraints)
                .all(same_constraint)
    }
}

/// The instances of two groups' lists ((instance, tasks), each in instance order), in instance
/// order, each once: an instance holding tasks of both is evaluated and its leaf read once.
fn instances_of_either(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<usize> {
    let mut instances = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&&(x, _)), Some(&&(y, _))) if x == y => {
                b.next();
                a.next()
            }
            (Some(&&(x, _)), Some(&&(y, _))) if y < x => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(&(instance, _)) => instances.push(instance as usize),
            None => return instances,
        }
    }
}

/// Whether two constraints are the same rule (a `memberOf` by its expression's text).
fn same_constraint((a, b): (&Constraint, &Constraint)) -> bool {
    match (a, b) {
        (Constraint::MemberOf { expression: a, .. }, Constraint::MemberOf { expression: b, .. }) => a == b,
        (Constraint::DistinctInstance { .. }, Constraint::DistinctInstance { .. }) => true,
        _ => false,
    }
}

impl EngineState {
    /// Builds the state and evaluates every candidate once. `tally` is what an earlier call on
    /// this scenario left ([`EngineState::into_tally`]); it replaces the pass over the
    /// scenario's tasks when it still matches them (see [`TaskTally`]).
    pub fn new(scenario: &Scenario, request: &PlacementRequest, tally: Option<TaskTally>) -> Self {
        let tally = match tally {
            Some(tally) if tally.matches(scenario) => tally,
            _ => TaskTally::of(scenario),
        };
        debug_assert!(
            tally.same_counts(&TaskTally::of(scenario)),
            "the tally handed to the engine differs from the scenario's tasks"
        );
        let count = scenario.instances.len();
        let TaskTally {
            groups,
            mut group_names,
            running,
            eni_used,
            task_ids,
            by_group,
            drawn,
            mut index_memory,
            previous,
            ..
        } = tally;
        let (previous, stale) = match previous {
            Some(previous) if previous.serves(scenario, request) => (Some(previous), None),
            other => (None, other),
        };
        if let Some(index) = stale.and_then(|stale| stale.index) {
            index.recycle(&mut index_memory);
        }
        let call_group = group_names.number_or_add(&request.group);
        let mut in_group = vec![0u32; count];
        for &(instance, tasks) in by_group.get(request.group.as_str()).into_iter().flatten() {
            if let Some(slot) = in_group.get_mut(instance as usize) {
                *slot = tasks;
            }
        }
        let mut state = EngineState {
            candidates: Vec::new(),
            position: Vec::new(),
            skipped: Vec::new(),
            groups,
            group_names,
            call_group,
            running,
            in_group,
            by_group,
            eni_used,
            spread: Vec::new(),
            task_ids,
            task_arn_prefix: scenario.cluster.resource_arn("task", "").into(),
            eligible_count: 0,
            checks_count: 0,
            remaining: Vec::new(),
            drawn,
            index_memory,
            carried_index: None,
            rechecks: Rechecks::of(request),
        };
        let carried = previous.is_some();
        match previous {
            Some(previous) => state.carry_over(*previous, scenario, request),
            None => state.build(scenario, request),
        }
        debug_assert!(
            !carried || state.same_lists(&EngineState::new(scenario, request, None)),
            "the state carried over from the previous call differs from one built afresh"
        );
        state
    }

    /// Reads every instance: the candidates' verdicts, the spreads' buckets, the remaining
    /// resources.
    fn build(&mut self, scenario: &Scenario, request: &PlacementRequest) {
        self.position = vec![None; scenario.instances.len()];
        self.remaining = scenario
            .instances
            .iter()
            .map(|i| [i.remaining().cpu.into(), i.remaining().memory.into()])
            .collect();
        self.spread = request
            .strategies
            .iter()
            .map(|s| self.spread_index(scenario, s))
            .collect();
        self.select_candidates(scenario, request);
    }

    /// Starts from what the previous call left ([`PreviousCall::serves`] this request): the
    /// instances holding tasks of its group (its placements among them) or of this call's are
    /// re-evaluated, the spreads counted for this call's group; nothing else differs.
    fn carry_over(&mut self, previous: PreviousCall, scenario: &Scenario, request: &PlacementRequest) {
        let PreviousCall {
            request: previous_request,
            candidates,
            position,
            skipped,
            spread,
            remaining,
            eligible_count,
            checks_count,
            index,
        } = previous;
        self.candidates = candidates;
        self.position = position;
        self.skipped = skipped;
        self.remaining = remaining;
        self.eligible_count = eligible_count;
        self.checks_count = checks_count;
        let group = request.group.as_str();
        self.spread = spread
            .into_iter()
            .map(|s| s.map(|s| self.recounted(s, group)))
            .collect();
        let holding = |group: &str| self.by_group.get(group).map_or(&[][..], Vec::as_slice);
        let changed = instances_of_either(holding(&previous_request.group), holding(group));
        for &index in &changed {
            self.reevaluate(scenario, request, index);
        }
        self.carried_index = index.map(|index| (index, changed));
    }

    /// A spread's counters for `group` (this call's), its buckets kept.
    fn recounted(&self, mut spread: SpreadIndex, group: &str) -> SpreadIndex {
        match &spread.buckets {
            Buckets::ByInstance => {
                spread.counts.clear();
                spread
                    .counts
                    .extend(self.in_group.iter().map(|&tasks| i64::from(tasks)));
            }
            Buckets::ByAttribute(bucket_of) => {
                spread.counts.iter_mut().for_each(|count| *count = 0);
                for &(instance, tasks) in self.by_group.get(group).into_iter().flatten() {
                    let bucket = bucket_of.get(instance as usize).and_then(|&b| spread.counts.get_mut(b));
                    if let Some(count) = bucket {
                        *count += i64::from(tasks);
                    }
                }
            }
        }
        spread
    }

    /// Whether the per-call lists equal `other`'s (a state carried over against one built
    /// afresh, in debug builds).
    fn same_lists(&self, other: &EngineState) -> bool {
        self.candidates == other.candidates
            && self.position == other.position
            && self.skipped == other.skipped
            && self.spread == other.spread
            && self.remaining == other.remaining
            && self.in_group == other.in_group
            && self.eligible_count == other.eligible_count
            && self.checks_count == other.checks_count
    }

    /// What the next call on the scenario can start from, once this call's tasks (of
    /// `request`'s group) are in it, with the call's chooser's `index` (if it used one).
    pub fn into_tally(
        mut self,
        scenario: &Scenario,
        request: &PlacementRequest,
        index: Option<ChainIndex>,
    ) -> TaskTally {
        let in_group = sparse(&self.in_group);
        if in_group.is_empty() {
            self.by_group.remove(request.group.as_str());
        } else if let Some(entry) = self.by_group.get_mut(request.group.as_str()) {
            *entry = in_group;
        } else {
            self.by_group.insert(request.group.clone(), in_group);
        }
        let previous = PreviousCall {
            request: request.clone(),
            candidates: self.candidates,
            position: self.position,
            skipped: self.skipped,
            spread: self.spread,
            remaining: self.remaining,
            eligible_count: self.eligible_count,
            checks_count: self.checks_count,
            index,
        };
        TaskTally {
            groups: self.groups,
            group_names: self.group_names,
            running: self.running,
            by_group: self.by_group,
            eni_used: self.eni_used,
            task_ids: self.task_ids,
            drawn: self.drawn,
            index_memory: self.index_memory,
            previous: Some(Box::new(previous)),
            tasks: scenario.tasks.len(),
            instances: scenario.instances.len(),
        }
    }

    fn select_candidates(&mut self, scenario: &Scenario, request: &PlacementRequest) {
        let mut external = PerMap::default();
        // `memberOf(attribute:ecs.instance-type =~ m5.*)` and the like: one evaluation per
        // attribute map (a regular expression took most of the setup at 100,000 instances);
        // the expressions that read other fields of the instance, once per instance.
        let by_attribute_map = checks::has_attribute_member_of(request);
        let mut member_of = PerMap::default();
        for (index, instance) in scenario.instances.iter().enumerate() {
            let external = external.read(instance, || is_external(instance));
            if let Some(why) = skip_cause(instance.status, external, request.external) {
                self.skipped.push((index, why));
                continue;
            }
            let facts = self.facts(instance, index);
            let map_passes =
                !by_attribute_map || member_of.read(instance, || checks::static_member_of_pass(&facts, request, true));
            let static_member_of = map_passes && checks::static_member_of_pass(&facts, request, false);
            let fixed = checks::fixed(instance, request, static_member_of);
            let verdict = self.verdict(fixed, instance, index, request);
            if let Some(slot) = self.position.get_mut(index) {
                *slot = Some(self.candidates.len());
            }
            let candidate = CandidateState {
                index,
                fixed,
                passes: verdict.passes,
                passes_checks: verdict.passes_checks,
            };
            self.eligible_count += usize::from(candidate.passes);
            self.checks_count += usize::from(candidate.passes_checks);
            self.candidates.push(candidate);
        }
    }

    /// The spread counters of `strategy` (`None` unless a spread).
    fn spread_index(&self, scenario: &Scenario, strategy: &Strategy) -> Option<SpreadIndex> {
        let Strategy::Spread(field) = strategy else { return None };
        let SpreadField::Attribute(name) = field else {
            // Each instance is its own bucket, holding the group's tasks on it.
            return Some(SpreadIndex {
                buckets: Buckets::ByInstance,
                labels: Vec::new(),
                counts: self.in_group.iter().map(|&tasks| i64::from(tasks)).collect(),
            });
        };
        let mut labels: Vec<Option<String>> = Vec::new();
        let mut bucket_of = Vec::with_capacity(scenario.instances.len());
        let mut lookup: FxHashMap<Option<&str>, usize> = FxHashMap::default();
        let mut buckets = PerMap::default();
        for instance in &scenario.instances {
            let bucket = buckets.read(instance, || {
                let label = instance.attribute(name).flatten();
                let bucket = *lookup.entry(label).or_insert(labels.len());
                if bucket == labels.len() {
                    labels.push(label.map(str::to_string));
                }
                bucket
            });
            bucket_of.push(bucket);
        }
        let mut counts = vec![0i64; labels.len()];
        for (bucket, tasks) in bucket_of.iter().zip(&self.in_group) {
            if let Some(count) = counts.get_mut(*bucket) {
                *count += i64::from(*tasks);
            }
        }
        Some(SpreadIndex {
            buckets: Buckets::ByAttribute(bucket_of),
            labels,
            counts,
        })
    }

    /// The funnel's counts now, with what each strategy step kept.
    pub fn funnel(&self, strategies: StepCounts) -> FunnelCounts {
        FunnelCounts {
            active: self.candidates.len(),
            passed_checks: self.checks_count,
            passed_constraints: self.eligible_count,
            strategies,
        }
    }

    /// Scenario indexes of the instances that pass every check, in scenario order.
    pub fn eligible(&self) -> Vec<usize> {
        self.candidates.iter().filter(|c| c.passes).map(|c| c.index).collect()
    }

    /// A candidate's ranking key for strategy `k` of the chain (smaller is better): remaining CPU or
    /// memory for binpack (D10), the group's tasks in the instance's bucket for spread (D11).
    pub fn key(&self, strategy: &Strategy, k: usize, index: usize) -> i64 {
        let remaining = self.remaining.get(index);
        match strategy {
            Strategy::Random => 0,
            Strategy::Binpack(Resource::Cpu) => remaining.map_or(i64::MAX, |r| r[0]),
            Strategy::Binpack(Resource::Memory) => remaining.map_or(i64::MAX, |r| r[1]),
            Strategy::Spread(_) => self
                .spread
                .get(k)
                .and_then(Option::as_ref)
                .and_then(|s| s.bucket(index).and_then(|b| s.counts.get(b)))
                .copied()
                .unwrap_or(0),
        }
    }

    /// How many instances the scenario has (candidates or not).
    pub fn instance_count(&self) -> usize {
        self.position.len()
    }

    /// Whether the instance at scenario index `index` is a candidate that passes every check now.
    pub fn passes(&self, index: usize) -> bool {
        let position = self.position.get(index).copied().flatten();
        position.and_then(|p| self.candidates.get(p)).is_some_and(|c| c.passes)
    }

    /// The bucket of the instance at `index` for spread strategy `k` of the chain.
    pub fn bucket(&self, k: usize, index: usize) -> Option<usize> {
        self.spread.get(k)?.as_ref()?.bucket(index)
    }

    /// ENIs held on an instance.
    pub fn eni_used_on(&self, index: usize) -> u32 {
        self.eni_used.get(index).copied().unwrap_or(0)
    }

    /// What CQL sees of an instance now (the call's live task groups).
    pub fn facts<'a>(&'a self, instance: &'a ContainerInstance, index: usize) -> InstanceView<'a> {
        InstanceView {
            instance,
            groups: GroupCounts::Numbered {
                counts: self.groups.get(index).map_or(&[], Vec::as_slice),
                names: &self.group_names,
            },
        }
    }

    /// Records a task of the request's group on `index` and re-evaluates that instance.
    pub fn record_placement(&mut self, scenario: &Scenario, request: &PlacementRequest, index: usize) {
        let had = self.in_group.get(index).copied().unwrap_or(0);
        if let Some(counts) = self.groups.get_mut(index) {
            if had == 0 && self.group_names.is_newest(self.call_group) {
                // The group is not on the instance and sorts last: appended without reading
                // the list (a cache miss per placement when a scale-out spreads over thousands
                // of instances that each run hundreds of groups).
                debug_assert!(counts.last().is_none_or(|(last, _)| *last < self.call_group));
                counts.push((self.call_group, 1));
            } else {
                add_count(counts, self.call_group, 1);
            }
        }
        if let Some(running) = self.running.get_mut(index) {
            *running += 1;
        }
        if let Some(tasks) = self.in_group.get_mut(index) {
            *tasks += 1;
        }
        if request.reservation.eni {
            if let Some(used) = self.eni_used.get_mut(index) {
                *used += 1;
            }
        }
        for spread in self.spread.iter_mut().flatten() {
            let bucket = spread.bucket(index);
            if let Some(count) = bucket.and_then(|b| spread.counts.get_mut(b)) {
                *count += 1;
            }
        }
        if !matches!(self.position.get(index), Some(Some(_))) {
            return;
        }
        if let Some(remaining) = self.remaining.get_mut(index) {
            remaining[0] -= request.reservation.cpu;
            remaining[1] -= request.reservation.memory;
        }
        self.reevaluate(scenario, request, index);
    }

    /// Evaluates the checks of the candidate at scenario index `index` again (nothing for
    /// an instance that is not a candidate).
    fn reevaluate(&mut self, scenario: &Scenario, request: &PlacementRequest, index: usize) {
        let (Some(instance), Some(Some(position))) = (scenario.instances.get(index), self.position.get(index).copied())
        else {
            return;
        };
        let Some(fixed) = self.candidates.get(position).map(|c| c.fixed) else {
            return;
        };
        let verdict = self.verdict(fixed, instance, index, request);
        let Some(candidate) = self.candidates.get_mut(position) else {
            return;
        };
        self.eligible_count -= usize::from(candidate.passes);
        self.checks_count -= usize::from(candidate.passes_checks);
        candidate.passes = verdict.passes;
        candidate.passes_checks = verdict.passes_checks;
        self.eligible_count += usize::from(candidate.passes);
        self.checks_count += usize::from(candidate.passes_checks);
    }

    /// What the checks of the instance at `index` decide now, given their fixed part.
    fn verdict(&self, fixed: Fixed, instance: &ContainerInstance, index: usize, request: &PlacementRequest) -> Verdict {
        let facts = self.facts(instance, index);
        let verdict = checks::verdict(fixed, self.rechecks, instance, &facts, self.eni_used_on(index), request);
        debug_assert_eq!(
            verdict,
            Verdict::of(&checks::evaluate(instance, &facts, self.eni_used_on(index), request)),
            "the verdict differs from the findings' on {}",
            instance.container_instance_arn
        );
        verdict
    }

    /// Every check's finding on the instance at `index` now, with figures and words (for failures
    /// and explanations).
    pub fn findings(&self, scenario: &Scenario, request: &PlacementRequest, index: usize) -> Vec<Finding> {
        let Some(instance) = scenario.instances.get(index) else {
            return Vec::new();
        };
        checks::evaluate(instance, &self.facts(instance, index), self.eni_used_on(index), request)
    }
}

/// What the engine derives from a scenario's tasks: the task groups, running tasks and ENIs of
/// each instance and the task IDs in use. A call computes it with one pass over the tasks; a
/// caller that places repeatedly (the service scheduler) hands each call what the previous one
/// left, as long as nothing but the engine changed the tasks in between. A tally whose task or
/// instance count no longer matches the scenario is not used; one that matches but is stale (a
/// task stopped since) is the caller's error, caught by an assertion in debug builds.
#[derive(Debug, Clone, Default)]
pub struct TaskTally {
    groups: Vec<Vec<(u32, u32)>>,
    group_names: GroupNames,
    running: Vec<u32>,
    by_group: FxHashMap<Name, Vec<(u32, u32)>>,
    eni_used: Vec<u32>,
    task_ids: TakenIds,
    drawn: DrawnInstances,
    index_memory: IndexMemory,
    /// What the last call left for a next one of the same kind.
    previous: Option<Box<PreviousCall>>,
    tasks: usize,
    instances: usize,
}

impl TaskTally {
    /// The tally of the scenario's tasks: one pass over them.
    pub fn of(scenario: &Scenario) -> Self {
        let count = scenario.instances.len();
        let mut groups = vec![Vec::new(); count];
        let mut group_names = GroupNames::default();
        let mut running = vec![0u32; count];
        let mut eni_used = vec![0u32; count];
        let mut index_of = InstanceLookup::new(&scenario.instances);
        for task in &scenario.tasks {
            let Some(i) = index_of.find(&task.container_instance_arn) else {
                continue;
            };
            if task.is_desired_running() {
                if let Some(counts) = groups.get_mut(i) {
                    add_count(counts, group_names.number_or_add(&task.group), 1);
                }
                if let Some(running) = running.get_mut(i) {
                    *running += 1;
                }
            }
            if task.eni && task.holds_resources() {
                if let Some(used) = eni_used.get_mut(i) {
                    *used += 1;
                }
            }
        }
        let mut by_group: FxHashMap<Name, Vec<(u32, u32)>> = FxHashMap::default();
        for (instance, counts) in groups.iter().enumerate() {
            let named = counts
                .iter()
                .filter_map(|(n, tasks)| Some((group_names.name(*n)?, *tasks)));
            for (group, tasks) in named {
                let entry = (u32::try_from(instance).unwrap_or(u32::MAX), tasks);
                match by_group.get_mut(group.as_str()) {
                    Some(list) => list.push(entry),
                    None => {
                        by_group.insert(group.clone(), vec![entry]);
                    }
                }
            }
        }
        TaskTally {
            groups,
            group_names,
            running,
            by_group,
            eni_used,
            task_ids: TakenIds::of(scenario),
            drawn: DrawnInstances::default(),
            index_memory: IndexMemory::default(),
            previous: None,
            tasks: scenario.tasks.len(),
            instances: count,
        }
    }

    /// Whether the next call can start from what the last call left of its candidates, their
    /// verdicts and its index, when it is of the same kind (the same task shape, constraints
    /// and chain; any group). A diagnostic for tests: the placements are the same either way.
    pub fn carries_call(&self) -> bool {
        self.previous.is_some()
    }

    /// Whether it was taken with as many tasks and instances as the scenario has, under its seed.
    fn matches(&self, scenario: &Scenario) -> bool {
        self.tasks == scenario.tasks.len()
            && self.instances == scenario.instances.len()
            && self.task_ids.seed() == scenario.seed.unwrap_or(0)
    }

    /// Per instance, tasks per group name (tallies number groups in the order they met them).
    fn named_groups(&self) -> Vec<BTreeMap<&str, u32>> {
        let names = &self.group_names;
        let named = |counts: &Vec<(u32, u32)>| -> BTreeMap<&str, u32> {
            counts
                .iter()
                .filter_map(|(n, tasks)| Some((names.name(*n)?.as_str(), *tasks)))
                .collect()
        };
        self.groups.iter().map(named).collect()
    }

    /// Whether both count the same groups, running tasks, ENIs and IDs.
    fn same_counts(&self, other: &TaskTally) -> bool {
        self.named_groups() == other.named_groups()
            && self.running == other.running
            && self.by_group == other.by_group
            && self.eni_used == other.eni_used
            && self.task_ids == other.task_ids
    }
}

/// The instances with tasks, and how many: (instance, tasks) in instance order.
fn sparse(per_instance: &[u32]) -> Vec<(u32, u32)> {
    let numbered = per_instance.iter().enumerate();
    let held = numbered.filter(|(_, tasks)| **tasks > 0);
    held.map(|(i, tasks)| (u32::try_from(i).unwrap_or(u32::MAX), *tasks))
        .collect()
}

/// The first `count` free GPU IDs of an instance.
pub fn take_gpus(scenario: &Scenario, index: usize, count: u32) -> Vec<String> {
    if count == 0 {
        return Vec::new();
    }
    scenario
        .instances
        .get(index)
        .map(|i| i.remaining().gpus.iter().take(count as usize).cloned().collect())
        .unwrap_or_default()
}

/// Why an instance is not a candidate at all (decision D14: skipped silently).
pub(crate) fn skip_reason(instance: &ContainerInstance, external: bool) -> Option<SkipCause> {
    skip_cause(instance.status, is_external(instance), external)
}

/// Finds an instance by the ARN a task records, built on the first lookup (a scenario without
/// tasks builds nothing). A task's ARN is usually the instance's own `Name` (a loaded scenario
/// shares them, the engine records them so), found by address without reading its text; any
/// other is found by its text.
struct InstanceLookup<'a> {
    instances: &'a [ContainerInstance],
    by_address: Option<FxHashMap<usize, usize>>,
    by_text: Option<FxHashMap<&'a str, usize>>,
}

impl<'a> InstanceLookup<'a> {
    fn new(instances: &'a [ContainerInstance]) -> Self {
        InstanceLookup {
            instances,
            by_address: None,
            by_text: None,
        }
    }

    /// The scenario index of the instance with ARN `arn`.
    fn find(&mut self, arn: &Name) -> Option<usize> {
        if arn.is_empty() {
            return None;
        }
        let instances = self.instances;
        let by_address = self.by_address.get_or_insert_with(|| {
            let arns = instances.iter().map(|i| i.container_instance_arn.address());
            arns.enumerate().map(|(i, address)| (address, i)).collect()
        });
        if let Some(&index) = by_address.get(&arn.address()) {
            return Some(index);
        }
        let by_text = self.by_text.get_or_insert_with(|| {
            let arns = instances.iter().map(|i| i.container_instance_arn.as_str());
            arns.enumerate().map(|(i, arn)| (arn, i)).collect()
        });
        by_text.get(arn.as_str()).copied()
    }
}

/// A value read from an instance's attribute map, kept for the next instances with the same
/// map: instances with equal attributes share one (`model::Shared`: a cluster's zones times
/// its instance types, listed in any order), so a pass over the instances reads once per map,
/// not once per instance. The maps are told apart by address (valid while the scenario is
/// borrowed, as it is for the whole pass).
#[derive(Default)]
struct PerMap<T> {
    /// The last map read and its value (instances of one map often come in a row).
    last: Option<(usize, T)>,
    /// Every map read, by address.
    read: FxHashMap<usize, T>,
}

impl<T: Copy> PerMap<T> {
    /// `read()` of `instance`, or what it gave for an earlier instance with the same map.
    fn read(&mut self, instance: &ContainerInstance, read: impl FnOnce() -> T) -> T {
        let map = instance.attributes.address();
        if let Some((address, value)) = self.last {
            if address == map {
                return value;
            }
        }
        let value = *self.read.entry(map).or_insert_with(read);
        self.last = Some((map, value));
        value
    }
}

/// Whether an instance is an external one (ECS Anywhere): it has `ecs.capability.external`.
fn is_external(instance: &ContainerInstance) -> bool {
    instance.attributes.contains_key("ecs.capability.external")
}

/// [`skip_reason`] from the instance's status and whether it is external.
fn skip_cause(status: InstanceStatus, is_external: bool, external: bool) -> Option<SkipCause> {
    if status != InstanceStatus::Active {
        return Some(SkipCause::NotActive { status });
    }
    match (external, is_external) {
        (false, true) => Some(SkipCause::External),
        (true, false) => Some(SkipCause::NotExternal),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Explain, StrategySource};
    use crate::model::{Attributes, Resources};
    use crate::scenario::ClusterInfo;
    use crate::taskdef::{NetworkMode, Reservation};
    use std::collections::BTreeMap;

    fn attributes(pairs: &[(&str, Option<&str>)]) -> Attributes {
        let map: BTreeMap<String, Option<String>> = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.map(str::to_string)))
            .collect();
        map.into()
    }

    fn instance(arn: &str, attributes: &Attributes) -> ContainerInstance {
        let mut instance: ContainerInstance =
            serde_json::from_value(serde_json::json!({ "containerInstanceArn": arn })).unwrap();
        instance.status = InstanceStatus::Active;
        instance.registered_resources = Some(Resources::with_agent_ports(1_024, 2_048).into());
        instance.attributes = attributes.clone();
        instance
    }

    fn request(external: bool) -> PlacementRequest {
        PlacementRequest {
            reservation: Reservation {
                cpu: 10,
                memory: 32,
                ..Reservation::default()
            },
            network_mode: NetworkMode::Bridge,
            required_attributes: Vec::new(),
            constraints: Vec::new(),
            strategies: vec![
                Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
                Strategy::Spread(SpreadField::Instance("instanceId".into())),
            ],
            strategy_source: StrategySource::Request,
            group: "family:web".into(),
            count: 1,
            location: None,
            external,
            task_definition_arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1".into(),
            started_by: None,
            explain: Explain::Off,
        }
    }

    #[test]
    fn interleaved_attribute_maps_are_read_once_each() {
        let maps: Vec<Attributes> = (0..12)
            .map(|zone| attributes(&[("ecs.availability-zone", Some(&format!("zone-{zone}")))]))
            .collect();
        let reads_of = |maps: &[Attributes], rounds: usize| {
            let instances: Vec<ContainerInstance> = (0..rounds)
                .flat_map(|_| maps.iter())
                .enumerate()
                .map(|(i, map)| instance(&format!("i{i}"), map))
                .collect();
            let zone_of = |instance: &ContainerInstance| {
                let zone = instance.attribute("ecs.availability-zone").flatten();
                zone.and_then(|z| z.strip_prefix("zone-")?.parse::<usize>().ok())
            };
            let (mut per_map, mut reads) = (PerMap::default(), 0);
            for instance in &instances {
                let zone = per_map.read(instance, || {
                    reads += 1;
                    zone_of(instance)
                });
                assert_eq!(zone, zone_of(instance), "the answer of the instance's own map");
            }
            reads
        };
        assert_eq!(reads_of(&maps, 3), maps.len(), "maps interleaved: one read per map");
        let in_a_row: Vec<Attributes> = maps.iter().flat_map(|m| [m.clone(), m.clone()]).collect();
        assert_eq!(reads_of(&in_a_row, 1), maps.len(), "maps in a row: one read per map");
    }

    #[test]
    fn member_of_expressions_by_attribute_map_and_by_instance_give_each_instance_its_verdict() {
        let prod = attributes(&[("stack", Some("prod"))]);
        let dev = attributes(&[("stack", Some("dev"))]);
        let mut scenario = Scenario::new(ClusterInfo::default());
        scenario.instances = [&prod, &dev, &prod, &dev, &prod]
            .iter()
            .enumerate()
            .map(|(i, map)| {
                let mut instance = instance(&format!("i{i}"), map);
                instance.ec2_instance_id = format!("i-{i}").into();
                instance
            })
            .collect();
        let member_of = |expression: &str| crate::engine::Constraint::MemberOf {
            expression: expression.to_string(),
            expr: crate::cql::parse(expression).expr.expect("valid CQL").into(),
            origin: crate::engine::Origin::Request,
        };
        let mut mixed = request(false);
        mixed.constraints = vec![member_of("attribute:stack == prod"), member_of("ec2InstanceId != i-2")];
        let state = EngineState::new(&scenario, &mixed, None);
        let passing: Vec<usize> = state.candidates.iter().filter(|c| c.passes).map(|c| c.index).collect();
        assert_eq!(passing, [0, 4], "prod, and not i-2 although it shares i-0's map");
    }

    #[test]
    fn attribute_maps_read_once_per_map_give_the_answers_of_every_map() {
        let zone_a = attributes(&[("ecs.availability-zone", Some("us-east-1a"))]);
        let zone_b = attributes(&[("ecs.availability-zone", Some("us-east-1b"))]);
        let external = attributes(&[
            ("ecs.availability-zone", Some("us-east-1a")),
            ("ecs.capability.external", None),
        ]);
        let zone_a_unshared = attributes(&[("ecs.availability-zone", Some("us-east-1a"))]);
        let mut scenario = Scenario::new(ClusterInfo::default());
        scenario.instances = [&zone_a, &zone_a, &external, &zone_b, &zone_a_unshared, &zone_a]
            .iter()
            .enumerate()
            .map(|(i, map)| instance(&format!("i{i}"), map))
            .collect();

        let ec2 = EngineState::new(&scenario, &request(false), None);
        assert_eq!(ec2.skipped, vec![(2, SkipCause::External)]);
        let candidates: Vec<usize> = ec2.candidates.iter().map(|c| c.index).collect();
        assert_eq!(candidates, [0, 1, 3, 4, 5]);
        let Some(Some(zones)) = ec2.spread.first() else {
            panic!("the zone spread's counters");
        };
        let buckets: Vec<Option<usize>> = (0..7).map(|i| zones.bucket(i)).collect();
        assert_eq!(buckets, [Some(0), Some(0), Some(0), Some(1), Some(0), Some(0), None]);
        assert_eq!(
            zones.labels,
            [Some("us-east-1a".to_string()), Some("us-east-1b".to_string())]
        );
        let Some(Some(instances)) = ec2.spread.get(1) else {
            panic!("the instance spread's counters");
        };
        let buckets: Vec<Option<usize>> = (0..7).map(|i| instances.bucket(i)).collect();
        assert_eq!(buckets, [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), None]);
        assert_eq!(instances.counts, [0; 6]);

        let anywhere = EngineState::new(&scenario, &request(true), None);
        let skipped: Vec<usize> = anywhere.skipped.iter().map(|(i, _)| *i).collect();
        assert_eq!(skipped, [0, 1, 3, 4, 5]);
        assert!(anywhere.skipped.iter().all(|(_, why)| *why == SkipCause::NotExternal));
        assert_eq!(anywhere.candidates.len(), 1);
    }

    #[test]
    fn a_carried_call_reads_each_changed_instance_once_in_instance_order() {
        let previous = [(1, 2), (4, 1), (7, 3)];
        let this = [(0, 1), (4, 5), (8, 1)];
        assert_eq!(super::instances_of_either(&previous, &this), [0, 1, 4, 7, 8]);
        assert_eq!(super::instances_of_either(&previous, &previous), [1, 4, 7], "one group");
        assert_eq!(super::instances_of_either(&[], &this), [0, 4, 8]);
        assert_eq!(super::instances_of_either(&previous, &[]), [1, 4, 7]);
    }
}
