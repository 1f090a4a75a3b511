//! The ECS placement funnel (spec §3.7): ACTIVE instances → cluster checks (agent, required
//! attributes, location, CPU, memory, GPU, ports, ENI) → placement constraints (`memberOf`,
//! `distinctInstance`) → chained strategies (`binpack`, `spread`, `random`; decisions D9-D11) →
//! a seeded random tie-break (D18) → commit. Tasks of one call are placed one after another,
//! each seeing the ones before.
//!
//! Per call, each instance's checks are evaluated once and re-evaluated only for the instance
//! that received the last task (a check depends only on its own instance). A call of more than
//! one task indexes the candidates for its strategy chain ([`Chooser::Indexed`], see
//! `chain_index.rs`), so a task costs O(groups + log n) rather than a pass over the candidates;
//! the scan ([`Chooser::Scan`]) is kept as the reference it is property-tested against.

mod chain_index;
mod checks;
mod decision;
mod drawn;
mod explain;
mod frames;
mod state;
mod strategy;
mod task_ids;
mod tie_marks;

pub use checks::{Check, Figures, Finding};
pub use decision::{Decision, Fate, FunnelCounts, StepCounts, TaskFrame};
pub use explain::{
    CandidateScore, ConstraintSummary, InstanceReport, MemberOfReport, PlacementExplanation, SkipCause,
    SkippedInstance, StrategyStep, TaskReport,
};
pub use frames::{FrameIter, Frames};

use crate::cql::Expr;
use crate::model::{Task, TaskDetails, TaskStatus};
use crate::rng::{Rng, hex_id};
use crate::scenario::Scenario;
use crate::taskdef::{NetworkMode, Reservation};
use crate::{Name, TaskArn};
use chain_index::{ChainIndex, IndexMemory};
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use state::EngineState;
pub use state::TaskTally;
pub(crate) use state::skip_reason;
use std::collections::BTreeSet;
pub(crate) use task_ids::TakenIds;

/// A placement strategy. Serialized in AWS's shape: `{"type": "binpack", "field": "memory"}`,
/// `{"type": "spread", "field": "attribute:ecs.availability-zone"}`, `{"type": "random"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// Uniformly at random among the candidates left.
    Random,
    /// The least remaining CPU or memory that still fits (D10).
    Binpack(Resource),
    /// Fewest tasks of the group per value of the field (D11).
    Spread(SpreadField),
}

/// A binpack resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Resource {
    /// CPU units.
    Cpu,
    /// Memory (MiB).
    Memory,
}

/// A spread field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
pub enum SpreadField {
    /// `instanceId` or `host` (the same, spec §3.3), keeping the user's spelling.
    Instance(String),
    /// `attribute:<name>`.
    Attribute(String),
}

impl Strategy {
    /// The AWS strategy type: `random`, `binpack` or `spread`.
    pub fn kind(&self) -> &'static str {
        match self {
            Strategy::Random => "random",
            Strategy::Binpack(_) => "binpack",
            Strategy::Spread(_) => "spread",
        }
    }

    /// The AWS `field` as written in a request (`memory`, `attribute:ecs.availability-zone`,
    /// `instanceId`); `None` for `random`.
    pub fn field(&self) -> Option<String> {
        match self {
            Strategy::Random => None,
            Strategy::Binpack(Resource::Cpu) => Some("cpu".into()),
            Strategy::Binpack(Resource::Memory) => Some("memory".into()),
            Strategy::Spread(SpreadField::Instance(spelling)) => Some(spelling.clone()),
            Strategy::Spread(SpreadField::Attribute(name)) => Some(format!("attribute:{name}")),
        }
    }
}

impl Serialize for Strategy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        let mut out = serializer.serialize_struct("Strategy", if field.is_some() { 2 } else { 1 })?;
        out.serialize_field("type", self.kind())?;
        if let Some(field) = field {
            out.serialize_field("field", &field)?;
        }
        out.end()
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Strategy::Random => f.write_str("random"),
            Strategy::Binpack(Resource::Cpu) => f.write_str("binpack(cpu)"),
            Strategy::Binpack(Resource::Memory) => f.write_str("binpack(memory)"),
            Strategy::Spread(SpreadField::Instance(spelling)) => write!(f, "spread({spelling})"),
            Strategy::Spread(SpreadField::Attribute(name)) => write!(f, "spread(attribute:{name})"),
        }
    }
}

/// Where a constraint came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    /// The task definition.
    TaskDefinition,
    /// The RunTask / service request.
    Request,
    /// The daemon scheduler: one task of the service per instance (a `distinctInstance` the
    /// scheduler adds).
    Daemon,
    /// AZ rebalancing (decision D17): the task must go to the zone with the fewest tasks (a
    /// `memberOf` the scheduler adds).
    Rebalance,
}

/// A placement constraint, parsed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Constraint {
    /// The instance must satisfy the expression.
    MemberOf {
        /// The expression as written.
        expression: String,
        /// Parsed.
        #[serde(skip)]
        expr: Box<Expr>,
        /// Where it came from.
        origin: Origin,
    },
    /// No two tasks of the group on one instance.
    DistinctInstance {
        /// Where it came from.
        origin: Origin,
    },
}

/// Where awsvpc tasks may go: the Availability Zones (and VPC) of the requested subnets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The subnets requested.
    pub subnets: Vec<String>,
    /// Their Availability Zones.
    pub zones: BTreeSet<String>,
    /// Their VPC, when known.
    pub vpc: Option<String>,
}

/// Why the strategy chain is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StrategySource {
    /// Given in the request.
    Request,
    /// No strategy given to RunTask: `random` (decision D12).
    RunTaskDefault,
    /// No strategy given to a service: AZ spread then instance spread (decision D12).
    ServiceDefault,
    /// A daemon service: no strategy (one task per instance; the seeded draw orders them).
    Daemon,
    /// StartTask: no strategy and no placement constraints; the request names the instance.
    StartTask,
}

/// How many tasks of one call [`Explain::All`] explains in full: AWS's RunTask limit of 10 tasks
/// per call. A what-if call beyond explains its first 10 tasks and a failed one in full, and
/// sums up the others in a note (a full explanation costs a report per instance, so 10,000
/// tasks on 1,000 instances would mean ten million of them).
pub const MAX_EXPLAINED_TASKS: usize = 10;

/// Which tasks of a call get a full explanation (every instance's checks and every strategy
/// step). Building one costs a pass over every instance, so a large what-if run explains only the
/// task someone is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explain {
    /// No explanation (the per-task frames are always recorded).
    #[default]
    Off,
    /// Every task of the call, up to [`MAX_EXPLAINED_TASKS`], and a failed one; the others are
    /// summed up in a note.
    All,
    /// Only the task at this 0-based position in the call.
    Task(usize),
}

impl Explain {
    /// Whether any task is explained.
    pub fn any(self) -> bool {
        self != Explain::Off
    }

    /// Whether the task at `attempt` (0-based) is explained.
    pub fn covers(self, attempt: usize) -> bool {
        match self {
            Explain::Off => false,
            Explain::All => attempt < MAX_EXPLAINED_TASKS,
            Explain::Task(only) => only == attempt,
        }
    }
}

impl From<bool> for Explain {
    fn from(all: bool) -> Self {
        if all { Explain::All } else { Explain::Off }
    }
}

/// Everything the funnel needs to place `count` copies of a task.
#[derive(Debug, Clone)]
pub struct PlacementRequest {
    /// What one task reserves.
    pub reservation: Reservation,
    /// The task's network mode.
    pub network_mode: NetworkMode,
    /// Attributes every instance must have (`requiresAttributes`): name and optional value.
    pub required_attributes: Vec<(String, Option<String>)>,
    /// Constraints (task definition first, then request).
    pub constraints: Vec<Constraint>,
    /// The strategy chain.
    pub strategies: Vec<Strategy>,
    /// Where the chain came from.
    pub strategy_source: StrategySource,
    /// The task group (`family:<name>`, `service:<name>` or custom).
    pub group: Name,
    /// How many tasks.
    pub count: usize,
    /// For awsvpc: the subnets' zones.
    pub location: Option<Location>,
    /// Only instances registered as external (`ecs.capability.external`) for EXTERNAL, only
    /// EC2 ones otherwise.
    pub external: bool,
    /// Recorded on the created tasks.
    pub task_definition_arn: Name,
    /// Recorded on the created tasks.
    pub started_by: Option<Name>,
    /// Which tasks to explain.
    pub explain: Explain,
}

/// One placed task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// The new task's ARN.
    pub task_arn: TaskArn,
    /// Where it went.
    pub container_instance_arn: Name,
    /// Index of the instance in the scenario.
    pub instance_index: usize,
}

/// A failure entry (`{arn, reason, detail}`, decision D14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// The rejected container instance.
    pub arn: String,
    /// The AWS reason string (`RESOURCE:MEMORY`, `MemberOf placement constraint unsatisfied.`, ...).
    pub reason: String,
    /// The numbers behind it.
    pub detail: String,
}

/// The result of a call.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementOutcome {
    /// Placed tasks, in order ([`Records::Placements`]; empty for [`Records::InstanceIndexes`]).
    pub placements: Vec<Placement>,
    /// The scenario index of each placed task's instance, in order ([`Records::InstanceIndexes`];
    /// empty for [`Records::Placements`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instance_indexes: Vec<usize>,
    /// Failures, one per (instance, reason), de-duplicated over the call.
    pub failures: Vec<Failure>,
    /// The call as the funnel saw it: request, chain, seed and skipped instances (no tasks).
    pub call: PlacementExplanation,
    /// One frame per attempted task: what decided, how the funnel narrowed, and the chosen
    /// instance's resources right after (cheap: recorded whether or not anything is explained).
    pub frames: Frames,
    /// The explanation, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<PlacementExplanation>,
}

/// A placement call for a timeline: the call's summary and one frame per attempted task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementTrace {
    /// Request, chain, seed and skipped instances (`tasks` is empty).
    pub call: PlacementExplanation,
    /// One frame per attempted task.
    pub frames: Frames,
}

/// Places `request.count` tasks on the scenario, adding them to `scenario.tasks` and updating
/// the instances' remaining resources.
///
/// The call's random generator is seeded from the scenario's seed and the number of tasks the
/// scenario records (decision D18), so a saved scenario replays exactly, whether its commands
/// run in one script, one at a time, natively or in the browser.
pub fn place(scenario: &mut Scenario, request: &PlacementRequest) -> PlacementOutcome {
    place_using(scenario, request, Chooser::Auto)
}

/// How many tasks a call must place for [`Chooser::Auto`] to index the candidates: building the
/// index costs about as much as one or two scans of the candidates.
pub const INDEX_FROM_TASKS: usize = 16;

/// The most tasks a call reserves room for before it places them (a call that fails early
/// leaves at most this much unused capacity behind).
const RESERVE_AT_MOST: usize = 1 << 20;

/// How unexplained tasks are chosen. All give the same placements, decisions and funnel counts
/// (property-tested); an explained task is always chosen by the step-by-step filter its
/// explanation records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Chooser {
    /// The index for calls of at least [`INDEX_FROM_TASKS`] tasks, the scan for smaller ones.
    #[default]
    Auto,
    /// Indexed candidates: O(groups + log n) per task, after O(n) to build the index.
    Indexed,
    /// A scan of every candidate per task: the reference the indexed chooser is tested and
    /// benchmarked against.
    Scan,
}

/// [`place`], choosing unexplained tasks with `chooser`.
pub fn place_using(scenario: &mut Scenario, request: &PlacementRequest, chooser: Chooser) -> PlacementOutcome {
    place_keeping(scenario, request, chooser, &mut None, Records::Placements)
}

/// [`place`], writing `records` of the placed tasks into the outcome.
pub fn place_recording(scenario: &mut Scenario, request: &PlacementRequest, records: Records) -> PlacementOutcome {
    place_keeping(scenario, request, Chooser::Auto, &mut None, records)
}

/// What a call writes into its outcome for each task it places, besides the task itself (the
/// scenario's new last [`Task`]s, in placement order) and its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Records {
    /// A [`Placement`] in [`PlacementOutcome::placements`]: the task's ARN, its instance's ARN
    /// and the instance's index.
    #[default]
    Placements,
    /// Only the instance's index, in [`PlacementOutcome::instance_indexes`], for a caller that
    /// reads the new tasks from the scenario (RunTask, the service scheduler). A `Placement` holds two
    /// shared names, and counting a reference to a shared name is an atomic instruction: the
    /// two counted and later dropped, with the placement's 56 bytes, were about a tenth of the
    /// C1M-like run.
    InstanceIndexes,
}

/// [`place_using`] for a caller that places repeatedly: the call starts from `tally` (what the
/// previous call left, when it still matches the scenario: see [`TaskTally`]) instead of a pass
/// over every task of the scenario, and leaves its own there. The placements are the same;
/// `records` says how the outcome lists them.
pub fn place_keeping(
    scenario: &mut Scenario,
    request: &PlacementRequest,
    chooser: Chooser,
    tally: &mut Option<TaskTally>,
    records: Records,
) -> PlacementOutcome {
    let seed = scenario.seed.unwrap_or(0);
    let mut stream = seed ^ (scenario.tasks.len() as u64).wrapping_mul(0xA076_1D64_78BD_642F);
    let mut rng = Rng::new(crate::rng::splitmix64(&mut stream));
    let rng = &mut rng;
    let mut state = EngineState::new(scenario, request, tally.take());
    let indexed = match chooser {
        Chooser::Auto => request.count >= INDEX_FROM_TASKS,
        Chooser::Indexed => true,
        Chooser::Scan => false,
    };
    let mut index = chooser_index(&mut state, request, indexed);
    let call = explain::start(scenario, request, &state, seed);
    let mut report = request.explain.any().then(|| call.clone());
    // Room for the call's tasks up front: growing these vectors task by task copied every
    // task and frame about once more (a quarter of the time of a large call).
    let expected = request.count.min(RESERVE_AT_MOST);
    scenario.tasks.reserve(expected);
    let mut outcome = PlacementOutcome {
        placements: Vec::new(),
        instance_indexes: Vec::new(),
        failures: Vec::new(),
        call,
        frames: Frames::default(),
        explanation: None,
    };
    outcome.frames.reserve(expected);
    match records {
        Records::Placements => outcome.placements.reserve(expected),
        Records::InstanceIndexes => outcome.instance_indexes.reserve(expected),
    }
    let mut drawn = std::mem::take(&mut state.drawn);
    drawn.start_call(scenario.instances.len());
    for attempt in 0..request.count {
        let explained = request.explain.covers(attempt);
        if state.eligible_count == 0 {
            let explained = explained || request.explain == Explain::All;
            record_failures(&state, scenario, request, &mut outcome.failures);
            outcome
                .frames
                .push_failed(attempt + 1, state.funnel(StepCounts::default()));
            if let Some(report) = report.as_mut() {
                if explained {
                    report
                        .tasks
                        .push(explain::task_report(attempt, scenario, request, &state, None));
                }
                if request.explain == Explain::All {
                    explain::note_remaining(report, attempt, request.count);
                }
            }
            break;
        }
        let choice = strategy::choose(scenario, &state, request, rng, explained, index.as_mut());
        let chosen = choice.instance;
        let task_report = explained.then(|| explain::task_report(attempt, scenario, request, &state, Some(&choice)));
        let funnel = state.funnel(choice.kept);
        let created = commit(scenario, request, &mut state, chosen, seed);
        if let Some(index) = index.as_mut() {
            index.update(&state, chosen);
        }
        if let (Some(report), Some(mut task_report)) = (report.as_mut(), task_report) {
            task_report.task_arn = scenario
                .tasks
                .last()
                .filter(|_| created)
                .map(|task| task.task_arn.to_name());
            report.tasks.push(task_report);
        }
        record_frame(
            &mut outcome.frames,
            &mut drawn,
            (scenario, &state),
            (attempt, choice.decision, funnel),
            chosen,
        );
        if created {
            list_placement(&mut outcome, scenario, records, chosen);
        }
    }
    if let Some(report) = report.as_mut() {
        if request.explain == Explain::All {
            explain::note_unexplained(report, &outcome.frames);
        }
    }
    outcome.explanation = report;
    drawn.finish_call(&mut outcome.frames);
    state.drawn = drawn;
    // The index is kept for a next call of the same kind (see `state::PreviousCall`).
    *tally = Some(state.into_tally(scenario, request, index));
    outcome
}

/// The call's indexed chooser when `indexed`: the previous call's carried over when the state
/// was ([`EngineState::carried_index`]), else built in the memory earlier indexes left.
fn chooser_index(state: &mut EngineState, request: &PlacementRequest, indexed: bool) -> Option<ChainIndex> {
    let chain = strategy::ranking_chain(&request.strategies);
    match state.carried_index.take() {
        Some((mut index, changed)) if indexed => {
            index.carry_over(state, &changed);
            debug_assert!(
                index.same_trees(&ChainIndex::new(state, chain, &mut IndexMemory::default())),
                "the index carried over from the previous call differs from one built afresh"
            );
            Some(index)
        }
        carried => {
            if let Some((index, _)) = carried {
                index.recycle(&mut state.index_memory);
            }
            let mut memory = std::mem::take(&mut state.index_memory);
            let index = indexed.then(|| ChainIndex::new(state, chain, &mut memory));
            state.index_memory = memory;
            index
        }
    }
}

/// Lists the task just placed (the scenario's last) on the instance at `index` in `outcome`, as
/// `records` says.
fn list_placement(outcome: &mut PlacementOutcome, scenario: &Scenario, records: Records, index: usize) {
    match records {
        Records::Placements => outcome.placements.extend(scenario.tasks.last().map(|task| Placement {
            task_arn: task.task_arn.clone(),
            container_instance_arn: task.container_instance_arn.clone(),
            instance_index: index,
        })),
        Records::InstanceIndexes => outcome.instance_indexes.push(index),
    }
}

/// Records the frame of the task just placed (the scenario's last) on the instance at `index`.
fn record_frame(
    frames: &mut Frames,
    drawn: &mut drawn::DrawnInstances,
    (scenario, state): (&Scenario, &EngineState),
    (attempt, decision, funnel): (usize, Decision, FunnelCounts),
    index: usize,
) {
    let (Some(instance), Some(task)) = (scenario.instances.get(index), scenario.tasks.last()) else {
        return;
    };
    let Some(recorded) = drawn.entry(instance, index) else {
        return;
    };
    let running = state.running.get(index).copied().unwrap_or(0);
    let live = crate::view::live_of(instance, state.eni_used_on(index), running);
    frames.push_placed(attempt + 1, decision, funnel, recorded, task, live);
}

/// One failure per rejected instance (its first failing check), de-duplicated over the call.
fn record_failures(state: &EngineState, scenario: &Scenario, request: &PlacementRequest, failures: &mut Vec<Failure>) {
    for candidate in state.candidates.iter().filter(|c| !c.passes) {
        let findings = state.findings(scenario, request, candidate.index);
        let Some(finding) = findings.iter().find(|f| !f.passed) else {
            continue;
        };
        let Some(instance) = scenario.instances.get(candidate.index) else {
            continue;
        };
        let failure = Failure {
            arn: instance.container_instance_arn.to_string(),
            reason: finding.check.reason().to_string(),
            detail: finding.detail.clone(),
        };
        if !failures
            .iter()
            .any(|f| f.arn == failure.arn && f.reason == failure.reason)
        {
            failures.push(failure);
        }
    }
}

/// The ARN of the next task: numbered by the scenario's task count, skipping numbers whose ARN
/// is taken (tasks removed with their instance leave gaps in the numbering).
pub(crate) fn fresh_task_arn(scenario: &Scenario, taken: &mut TakenIds) -> String {
    let sequence = taken.take_from(scenario.tasks.len() as u64);
    scenario.cluster.resource_arn("task", &hex_id(taken.seed(), sequence))
}

/// [`fresh_task_arn`] for a placement, with the state's task IDs: the cluster's task ARN
/// prefix and the ID's bits, written out as text only when something reads it (`TaskArn`).
fn next_task_arn(scenario: &Scenario, state: &mut EngineState, seed: u64) -> TaskArn {
    debug_assert_eq!(
        state.task_ids.seed(),
        seed,
        "the IDs taken are numbered under the call's seed"
    );
    let sequence = state.task_ids.take_from(scenario.tasks.len() as u64);
    let arn = TaskArn::numbered(&state.task_arn_prefix, crate::rng::id_bits(seed, sequence));
    debug_assert_eq!(arn, *scenario.cluster.resource_arn("task", &hex_id(seed, sequence)));
    arn
}

/// Creates the task on the chosen instance (the scenario's new last task) and updates both the
/// scenario and the state. False for an index that names no instance (nothing created).
fn commit(
    scenario: &mut Scenario,
    request: &PlacementRequest,
    state: &mut EngineState,
    index: usize,
    seed: u64,
) -> bool {
    let task_arn = next_task_arn(scenario, state, seed);
    let gpu_ids = state::take_gpus(scenario, index, request.reservation.gpus);
    let Some(instance) = scenario.instances.get_mut(index) else {
        return false;
    };
    let mut task = Task {
        task_arn,
        container_instance_arn: instance.container_instance_arn.clone(),
        group: request.group.clone(),
        task_definition_arn: request.task_definition_arn.clone(),
        desired_status: TaskStatus::Running,
        last_status: TaskStatus::Running,
        cpu: request.reservation.cpu,
        memory: request.reservation.memory,
        eni: request.reservation.eni,
        started_by: request.started_by.clone(),
        ..Task::default()
    };
    // `with_details` drops empty details itself, but building and comparing them for every task
    // cost 9 % more instructions on a million tasks (callgrind): a task that holds no port or
    // GPU skips it.
    let (ports, ports_udp) = (&request.reservation.ports, &request.reservation.ports_udp);
    if !(ports.is_empty() && ports_udp.is_empty() && gpu_ids.is_empty()) {
        task = task.with_details(TaskDetails {
            ports: ports.as_slice().into(),
            ports_udp: ports_udp.as_slice().into(),
            gpu_ids,
            ..TaskDetails::default()
        });
    }
    if instance.remaining_resources.is_none() {
        instance.remaining_resources = Some(instance.registered().clone());
    }
    if let Some(remaining) = instance.remaining_resources.as_mut() {
        crate::scenario::hold(remaining, &task);
    }
    instance.record_change();
    scenario.tasks.push(task);
    state.record_placement(scenario, request, index);
    true
}
