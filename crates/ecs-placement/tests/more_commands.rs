//! Issue 11's commands and output options end to end on the sample cluster, each transcript
//! snapshotted as the AWS CLI would print it: the response (formatted by `--query` and
//! `--output` when given), or the error text and exit code, with the playground's warnings.

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::json::to_pretty;
use std::fmt::Write as _;

fn sample() -> Scenario {
    ecs_placement::presets::sample().unwrap()
}

/// Runs every line and writes `$ line` followed by what the AWS CLI would print.
fn transcript(scenario: &mut Scenario, lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        let report = aws::run_command(scenario, line, &NoFiles, Options::default());
        writeln!(out, "$ {line}").unwrap();
        for warning in &report.warnings {
            writeln!(out, "warning: {warning}").unwrap();
        }
        match (&report.output, &report.response) {
            (Some(output), _) => out.push_str(output),
            (None, Some(response)) => writeln!(out, "{}", to_pretty(response)).unwrap(),
            (None, None) => {}
        }
        if let Some(error) = &report.error {
            writeln!(out, "{}\n(exit {})", error.text, error.exit_code).unwrap();
        }
        out.push('\n');
    }
    out
}

const FIRST: &str = "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c";
const SECOND: &str = "1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d";

#[test]
fn query_and_output() {
    let mut scenario = sample();
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            "aws ecs list-container-instances --query 'containerInstanceArns[0]' --output text",
            "aws ecs list-container-instances --query 'length(containerInstanceArns)'",
            "aws ecs list-container-instances --output text --max-items 2",
            "aws ecs describe-container-instances --container-instances 0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c 1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d --query 'containerInstances[].{Id: ec2InstanceId, Tasks: runningTasksCount}' --output table",
            "aws ecs list-task-definitions --output=table",
            "aws ecs list-container-instances --query 'containerInstanceArns[' --output text",
            "aws ecs list-container-instances --output yaml",
            "aws ecs list-container-instances --query 'abs(containerInstanceArns)'",
        ],
    ));
}

#[test]
fn start_task() {
    let mut scenario = sample();
    let two = format!(
        "aws ecs start-task --task-definition webserver --container-instances {FIRST} {SECOND} nope --started-by nightly"
    );
    let eleven = format!(
        "aws ecs start-task --task-definition webserver --container-instances {}",
        [FIRST; 11].join(" ")
    );
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            &two,
            "aws ecs list-tasks --started-by nightly",
            &eleven,
            "aws ecs start-task --task-definition webserver",
            "aws ecs start-task --task-definition nothing --container-instances 0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c",
        ],
    ));
}

#[test]
fn clusters() {
    let mut scenario = sample();
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            "aws ecs list-clusters",
            "aws ecs describe-clusters",
            "aws ecs describe-clusters --cluster default",
            "aws ecs describe-clusters --clusters default elsewhere arn:aws:ecs:us-east-1:123456789012:cluster/other --include STATISTICS SETTINGS",
            "aws ecs describe-clusters --include NOTHING",
            "aws ecs describe-clusters --query 'clusters[0].[runningTasksCount, registeredContainerInstancesCount]' --output text",
        ],
    ));
}

#[test]
fn deregister_container_instance() {
    let mut scenario = sample();
    let busy = format!("aws ecs deregister-container-instance --container-instance {SECOND}");
    let forced = format!("{busy} --force --query 'containerInstance.[status, agentConnected]' --output text");
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            &busy,
            &forced,
            "aws ecs list-container-instances --query 'length(containerInstanceArns)'",
            "aws ecs list-tasks --desired-status STOPPED --query 'taskArns' --output text",
            "aws ecs describe-clusters --query 'clusters[0].registeredContainerInstancesCount'",
            "aws ecs deregister-container-instance --container-instance nope",
            "aws ecs deregister-container-instance",
        ],
    ));
}

#[test]
fn task_definition_families() {
    let mut scenario = sample();
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            "aws ecs list-task-definition-families",
            "aws ecs deregister-task-definition --task-definition batch-job:1",
            "aws ecs list-task-definition-families --status ACTIVE",
            "aws ecs list-task-definition-families --status INACTIVE",
            "aws ecs list-task-definition-families --family-prefix c --output text",
            "aws ecs list-task-definition-families --status GONE",
        ],
    ));
}

#[test]
fn task_waiters() {
    let mut scenario = sample();
    let run = aws::run_command(
        &mut scenario,
        "aws ecs run-task --task-definition webserver",
        &NoFiles,
        Options::default(),
    );
    let task = run.response.unwrap()["tasks"][0]["taskArn"]
        .as_str()
        .unwrap()
        .to_string();
    let running = format!("aws ecs wait tasks-running --tasks {task}");
    let stopped = format!("aws ecs wait tasks-stopped --tasks {task}");
    let stop = format!("aws ecs stop-task --task {task} --query task.lastStatus --output text");
    insta::assert_snapshot!(transcript(
        &mut scenario,
        &[
            &running,
            &stopped,
            &stop,
            &stopped,
            &running,
            "aws ecs wait tasks-running --tasks nope",
            "aws ecs wait tasks-stopped --tasks nope",
            "aws ecs wait tasks-gone --tasks nope",
        ],
    ));
}
