//! The timeline contract between the core and user interfaces (`aws::trace`): a run records per
//! command its report, the cluster after it when it changed, and for placements one frame per
//! task; a page draws every step from these alone and explains the task it shows on demand.

use ecs_placement::aws::trace::{Progress, RunTrace, TaskAddress, explain_at, explain_task, run_traced};
use ecs_placement::aws::words::ScriptCommand;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::engine::{Decision, Explain, TaskFrame};
use ecs_placement::presets;
use ecs_placement::service::SchedulerStep;
use ecs_placement::view::{ClusterView, cluster_view};
use std::collections::BTreeMap;

const JAKE: &str = include_str!("../../../tests/scenarios/jake.sh");

fn blog() -> ecs_placement::Scenario {
    presets::load("blog").unwrap()
}

fn run(script: &str) -> RunTrace {
    let mut seen = Vec::new();
    let trace = run_traced(blog(), script, &NoFiles, Options::default(), true, &mut |p| {
        seen.push(p)
    })
    .unwrap();
    let total = trace.commands.len();
    let expected: Vec<Progress> = (1..=total).map(|done| Progress { done, total }).collect();
    assert_eq!(seen, expected, "one progress call per command");
    trace
}

/// What a page does with a command's frames: the view before, with each placed task added and
/// its instance replaced by the frame's figures. Nothing is computed, only copied.
fn apply(before: &ClusterView, frames: impl IntoIterator<Item = TaskFrame>) -> ClusterView {
    let mut view = before.clone();
    for frame in frames {
        if let (Some(task), Some(instance)) = (frame.task, frame.instance) {
            view.tasks.push(task);
            let slot = view
                .instances
                .iter_mut()
                .find(|i| i.container_instance_arn == instance.container_instance_arn)
                .expect("the frame's instance is in the view");
            *slot = instance;
        }
    }
    view
}

#[test]
fn jake_frames_rebuild_the_cluster_after_the_run() {
    let trace = run(JAKE);
    assert_eq!(trace.commands.len(), 1);
    let command = &trace.commands[0];
    let placement = command.report.placement.as_ref().expect("a placement");
    assert_eq!(placement.frames.len(), 9);
    assert!(
        command.report.explanation.is_none(),
        "nothing is explained while running"
    );
    let after = command.view.as_ref().expect("the run changed the cluster");
    assert_eq!(&apply(&cluster_view(&blog()), &placement.frames), after);
    assert_eq!(after, &cluster_view(&trace.scenario));
    let zones: BTreeMap<_, usize> = placement.frames.iter().fold(BTreeMap::new(), |mut zones, frame| {
        let zone = frame.instance.as_ref().unwrap().availability_zone.clone().unwrap();
        *zones.entry(zone).or_default() += 1;
        zones
    });
    assert_eq!(zones.values().copied().collect::<Vec<_>>(), [3, 3, 3]);
    for frame in &placement.frames {
        assert_eq!(frame.funnel.active, 12);
        assert_eq!(frame.funnel.strategies.len(), 2);
        assert_ne!(frame.decision, Decision::Failed);
    }
}

/// StartTask places one task per named instance, each in its own call, and joins the calls'
/// frames: the joined frames still name each task and instance as the cluster after shows them.
#[test]
fn start_task_frames_joined_over_instances_rebuild_the_cluster() {
    let scenario = blog();
    let instances: Vec<String> = scenario
        .instances
        .iter()
        .take(3)
        .map(|i| i.container_instance_arn.to_string())
        .collect();
    let family = scenario
        .task_definitions
        .first()
        .expect("a task definition")
        .family
        .clone();
    let script = format!(
        "aws ecs start-task --task-definition {family} --container-instances {}",
        instances.join(" ")
    );
    let trace = run(&script);
    let command = &trace.commands[0];
    let placement = command.report.placement.as_ref().expect("a placement");
    assert_eq!(placement.frames.len(), 3, "a frame per instance");
    let arns: Vec<String> = placement
        .frames
        .iter()
        .map(|f| f.task.expect("placed").task_arn.to_string())
        .collect();
    let mut distinct = arns.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "three tasks: {arns:?}");
    let after = command.view.as_ref().expect("the run changed the cluster");
    assert_eq!(&apply(&cluster_view(&blog()), &placement.frames), after);
    assert_eq!(after, &cluster_view(&trace.scenario));
}

#[test]
fn explaining_a_task_on_demand_matches_explaining_the_whole_run() {
    let trace = run(JAKE);
    let command = &trace.commands[0];
    let mut scenario = blog();
    let words = command.report.words.join(" ");
    let options = Options {
        explain: Explain::All,
        what_if: false,
        scheduler_step: None,
    };
    let (_, outcome) = aws::run_line(&mut scenario, &words, &NoFiles, options).unwrap();
    let Some(aws::Explanation::Placement(all)) = outcome.explanation else {
        panic!("a placement explanation")
    };
    for attempt in 1..=9 {
        let one = explain_task(&blog(), &command.report.words, &NoFiles, false, attempt).unwrap();
        assert_eq!(one.tasks.len(), 1);
        let (a, b) = (
            serde_json::to_value(&one.tasks[0]).unwrap(),
            serde_json::to_value(&all.tasks[attempt - 1]).unwrap(),
        );
        assert_eq!(a, b, "task {attempt}");
    }
    let error = explain_task(&blog(), &command.report.words, &NoFiles, false, 10).unwrap_err();
    assert!(error.message.contains("fewer than 10"), "{}", error.message);
    let describe = ["aws", "ecs", "list-container-instances"].map(String::from);
    let error = explain_task(&blog(), &describe, &NoFiles, false, 1).unwrap_err();
    assert!(error.message.contains("places no tasks"), "{}", error.message);
}

#[test]
fn only_commands_that_change_the_cluster_carry_it() {
    let script = "aws ecs list-container-instances\n\
                  aws ecs run-task --task-definition nouvelleApp --count 2\n\
                  aws ecs run-task --task-definition nope\n\
                  aws ecs describe-container-instances --container-instances a1-micro";
    let trace = run(script);
    let changed: Vec<bool> = trace.commands.iter().map(|c| c.scenario.is_some()).collect();
    assert_eq!(changed, [false, true, false, false]);
    assert!(trace.commands.iter().all(|c| c.scenario.is_some() == c.view.is_some()));
    assert!(trace.commands[2].report.error.is_some());
    assert_eq!(trace.scenario.tasks.len(), blog().tasks.len() + 2);
    assert_eq!(trace.seed, blog().seed.unwrap());
}

/// The serialized contract a page reads, pinned: Jake's run (reports, frames, views).
#[test]
fn jake_trace_snapshot() {
    let trace = run(JAKE);
    let mut value = serde_json::to_value(&trace).unwrap();
    // The scenarios are the scenario format (tested elsewhere); keep the snapshot to the timeline.
    value["scenario"] = serde_json::Value::String("<scenario after the run>".into());
    value["commands"][0]["scenario"] = serde_json::Value::String("<scenario after the command>".into());
    insta::assert_json_snapshot!(value);
}

/// The explanation a page shows for one task, pinned: Jake's fourth task.
#[test]
fn jake_task_explanation_snapshot() {
    let trace = run(JAKE);
    let explanation = explain_task(&blog(), &trace.commands[0].report.words, &NoFiles, false, 4).unwrap();
    insta::assert_json_snapshot!(explanation);
}

/// A single command line that cannot be split is a failed command of a one-command timeline.
#[test]
fn an_unclosed_quote_is_a_failed_command() {
    let trace = ecs_placement::aws::trace::run_traced_command(
        blog(),
        "aws ecs run-task --task-definition 'nouvelleApp",
        &NoFiles,
        Options::default(),
    );
    assert_eq!(trace.commands.len(), 1);
    let error = trace.commands[0].report.error.as_ref().expect("a failed command");
    assert!(error.text.contains("quote"), "{}", error.text);
    assert!(trace.commands[0].scenario.is_none());
}

/// What a page does with the scheduler's steps after a command: placements like RunTask's
/// frames; stops remove the task and show its instance as the step recorded it.
fn apply_scheduler(before: &ClusterView, steps: &[SchedulerStep]) -> ClusterView {
    let mut view = before.clone();
    for step in steps {
        match step {
            SchedulerStep::Placement(p) => view = apply(&view, &p.placement.frames),
            SchedulerStep::Stop(stop) => {
                for task in &stop.tasks {
                    view.tasks.retain(|chip| chip.task_arn != task.task_arn);
                    let slot = view
                        .instances
                        .iter_mut()
                        .find(|i| i.container_instance_arn == task.container_instance_arn)
                        .expect("the stopped task's instance is in the view");
                    *slot = task.instance.clone();
                }
            }
            // Fargate tasks are drawn from the view's lanes, not from the instances' bins.
            SchedulerStep::Event(_) | SchedulerStep::Note(_) | SchedulerStep::Fargate(_) => {}
        }
    }
    view
}

fn example_trace(name: &str) -> (ecs_placement::Scenario, RunTrace) {
    let example = presets::example(name).unwrap();
    let scenario = presets::load(example.preset).unwrap();
    let files = presets::ExampleFiles(example.files);
    let trace = run_traced(
        scenario.clone(),
        example.script(),
        &files,
        Options::default(),
        false,
        &mut |_| {},
    )
    .unwrap();
    (scenario, trace)
}

/// Every command of the service use cases: the view before, with the command's frames and the
/// scheduler's steps applied, is the view after. A page draws the scheduler from the trace alone.
/// (The services' own lines — counts, events — come with each command's view, not from steps.)
#[test]
fn scheduler_steps_rebuild_the_cluster_after_each_command() {
    for name in ["ebs-mysql", "efs-space", "ming-ya", "mariya", "aditya"] {
        let (start, trace) = example_trace(name);
        let mut view = cluster_view(&start);
        for command in &trace.commands {
            let own = command.report.placement.iter().flat_map(|p| &p.frames);
            let mut after = apply_scheduler(&apply(&view, own), &command.report.scheduler);
            if let Some(expected) = &command.view {
                after.services = expected.services.clone();
                assert_eq!(&after, expected, "{name}: {}", command.report.words.join(" "));
                view = expected.clone();
            } else {
                assert_eq!(after, view, "{name}: a command that changed nothing drew nothing");
            }
        }
    }
}

/// The timeline contract of the scheduler, pinned: the EBS walkthrough's drain (a stop step
/// with the drained instance after, a placement step with RunTask-like frames, events).
#[test]
fn ebs_drain_scheduler_snapshot() {
    let (_, trace) = example_trace("ebs-mysql");
    let drain = trace
        .commands
        .iter()
        .find(|c| c.report.operation == Some("UpdateContainerInstancesState"))
        .unwrap();
    insta::assert_json_snapshot!(drain.report.scheduler);
}

/// A task the scheduler placed is explained on demand by its command, step and attempt, exactly
/// as explaining every placement of the command does.
#[test]
fn explaining_a_scheduler_task_matches_explaining_the_whole_command() {
    let example = presets::example("ebs-mysql").unwrap();
    let files = presets::ExampleFiles(example.files);
    let (start, trace) = example_trace("ebs-mysql");
    let mut before = start;
    for command in &trace.commands {
        let steps = &command.report.scheduler;
        let mut all_explained = before.clone();
        let options = Options {
            explain: Explain::All,
            ..Options::default()
        };
        let line = ScriptCommand {
            line: 1,
            words: command.report.words.clone(),
            repairs: Vec::new(),
        };
        let explained = aws::report::run_words(&mut all_explained, line, &files, options);
        for (index, step) in steps.iter().enumerate() {
            let SchedulerStep::Placement(placement) = step else {
                continue;
            };
            let SchedulerStep::Placement(full) = &explained.scheduler[index] else {
                panic!("same steps")
            };
            let full = full.explanation.as_ref().expect("explained");
            for attempt in 1..=placement.placement.frames.len() {
                let address = TaskAddress {
                    step: Some(index),
                    attempt,
                };
                let one = explain_at(&before, &command.report.words, &files, false, address).unwrap();
                assert_eq!(
                    serde_json::to_value(&one.tasks[0]).unwrap(),
                    serde_json::to_value(&full.tasks[attempt - 1]).unwrap()
                );
                assert_eq!(
                    one.tasks[0].decision,
                    placement.placement.frames.get(attempt - 1).unwrap().decision
                );
            }
        }
        if let Some(after) = &command.scenario {
            before = after.clone();
        }
    }
    let words = &trace.commands[1].report.words;
    let error = explain_at(
        &trace.scenario,
        words,
        &files,
        false,
        TaskAddress {
            step: Some(9),
            attempt: 1,
        },
    )
    .unwrap_err();
    assert!(error.message.contains("no step 9"), "{}", error.message);
}
