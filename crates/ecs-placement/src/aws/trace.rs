//! A run of `aws ecs` commands as a timeline for user interfaces: per command its report, the
//! cluster after it when it changed, and for placements one frame per task (what decided, how the
//! funnel narrowed, the new task and its instance right after). Nothing is explained while the
//! run happens; [`explain_task`] explains the one task someone looks at, by running its command
//! again on the cluster it started from (the same cluster, seed and command place the same tasks,
//! decision D18).

use super::report::{self, CommandReport, run_words};
use super::words::ScriptCommand;
use super::{Explanation, FileSource, Options};
use crate::engine::{Explain, PlacementExplanation};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::service::SchedulerStep;
use crate::view::{ClusterView, cluster_view};
use serde::Serialize;

/// A run of commands.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTrace {
    /// The seed every random choice of the run drew from (decision D18).
    pub seed: u64,
    /// The cluster after the run (with the seed recorded).
    pub scenario: Scenario,
    /// One entry per command run, in order.
    pub commands: Vec<CommandTrace>,
}

/// One command of a run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandTrace {
    /// What the command produced (response or error, warnings, placement frames).
    pub report: CommandReport,
    /// The cluster after the command, when the command changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
    /// What the bins show after the command, when it changed the cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<ClusterView>,
}

/// How far a run has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Commands finished.
    pub done: usize,
    /// Commands in the script.
    pub total: usize,
}

/// Runs every command of a script, stopping at the first failure unless `keep_going`, and
/// records the timeline. `progress` is called after each command. The scenario must have a seed
/// (the caller draws one when it has none, decision D18). Fails only when the script cannot be
/// split into commands (an unclosed quote), or when this build leaves out what one of them asks
/// for ([`report::script_commands`]).
pub fn run_traced(
    scenario: Scenario,
    text: &str,
    files: &dyn FileSource,
    options: Options,
    keep_going: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<RunTrace> {
    let commands = report::script_commands(text)?;
    let total = commands.len();
    let seed = scenario.seed.unwrap_or(0);
    let mut current = scenario;
    let mut trace = Vec::with_capacity(total);
    for (done, command) in commands.into_iter().enumerate() {
        let step = traced(&mut current, |scenario| run_words(scenario, command, files, options));
        let failed = !step.report.succeeded();
        trace.push(step);
        progress(Progress { done: done + 1, total });
        if failed && !keep_going {
            break;
        }
    }
    Ok(RunTrace {
        seed,
        scenario: current,
        commands: trace,
    })
}

/// Runs one command line (`\` continuations allowed) as a one-command timeline. Unlike a
/// script, a line that cannot be split (an unclosed quote) is a failed command, not an error.
pub fn run_traced_command(scenario: Scenario, line: &str, files: &dyn FileSource, options: Options) -> RunTrace {
    let seed = scenario.seed.unwrap_or(0);
    let mut current = scenario;
    let step = traced(&mut current, |scenario| {
        report::run_command(scenario, line, files, options)
    });
    RunTrace {
        seed,
        scenario: current,
        commands: vec![step],
    }
}

/// Runs one command on `current` and records it: its report, and the cluster and its view after
/// the command when the command changed it.
fn traced(current: &mut Scenario, run: impl FnOnce(&mut Scenario) -> CommandReport) -> CommandTrace {
    let before = current.clone();
    let report = run(current);
    let changed = *current != before;
    CommandTrace {
        report,
        view: changed.then(|| cluster_view(current)),
        scenario: changed.then(|| current.clone()),
    }
}

/// The full explanation of task `attempt` (1-based) of a placement command: every instance's
/// checks with their figures, each strategy step with every candidate's value, and what decided.
/// `scenario` is the cluster the command started from and `words` the command as it ran (a
/// [`CommandReport`]'s `words`).
pub fn explain_task(
    scenario: &Scenario,
    words: &[String],
    files: &dyn FileSource,
    what_if: bool,
    attempt: usize,
) -> Result<PlacementExplanation> {
    explain_at(scenario, words, files, what_if, TaskAddress { step: None, attempt })
}

/// Where a placed task is in a command's timeline: `step` is the index of a scheduler step in
/// the command's `scheduler` (a placement step), or `None` for the command's own placement
/// (RunTask); `attempt` is the task's 1-based position in that placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAddress {
    /// The scheduler step, or `None` for the command's own placement.
    #[serde(default)]
    pub step: Option<usize>,
    /// 1-based position of the task in the placement.
    pub attempt: usize,
}

/// Like [`explain_task`], for any placed task of a command: the command's own (RunTask) or one
/// the service scheduler placed after it. The command runs again on a copy of the cluster it
/// started from with only that task explained; the same cluster, seed and command take the same
/// steps (decision D18), so the explanation is of the task the timeline shows.
pub fn explain_at(
    scenario: &Scenario,
    words: &[String],
    files: &dyn FileSource,
    what_if: bool,
    address: TaskAddress,
) -> Result<PlacementExplanation> {
    let Some(position) = address.attempt.checked_sub(1) else {
        return Err(Error::invalid_input("tasks are numbered from 1"));
    };
    let mut scratch = scenario.clone();
    let command = ScriptCommand {
        line: 1,
        words: words.to_vec(),
        repairs: Vec::new(),
    };
    let options = Options {
        explain: Explain::Task(position),
        what_if,
        scheduler_step: address.step,
    };
    let report = run_words(&mut scratch, command, files, options);
    if let Some(error) = report.error {
        return Err(error.error);
    }
    let explanation = match address.step {
        None => match report.explanation {
            Some(Explanation::Placement(explanation)) => Some(*explanation),
            _ => None,
        },
        Some(step) => scheduler_explanation(&report, step)?,
    };
    match explanation {
        Some(explanation) if !explanation.tasks.is_empty() => Ok(explanation),
        Some(_) => Err(Error::invalid_input(format!(
            "the placement attempted fewer than {} tasks",
            address.attempt
        ))),
        None => Err(Error::invalid_input("the command places no tasks")),
    }
}

/// The explanation of scheduler step `step`, which must be a placement.
fn scheduler_explanation(report: &CommandReport, step: usize) -> Result<Option<PlacementExplanation>> {
    match report.scheduler.get(step) {
        Some(SchedulerStep::Placement(placement)) => Ok(placement.explanation.clone()),
        Some(_) => Err(Error::invalid_input(format!(
            "scheduler step {step} of the command is not a placement"
        ))),
        None => Err(Error::invalid_input(format!(
            "the command has {} scheduler steps; there is no step {step}",
            report.scheduler.len()
        ))),
    }
}
