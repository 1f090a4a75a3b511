//! The AWS operations end to end: realistic `aws ecs ...` command lines run on the sample cluster
//! (`preset:sample`), each transcript snapshotted as the AWS CLI would print it (the JSON
//! response, or the error text), with the playground's warnings.

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::json::to_pretty;
use serde_json::Value;
use std::fmt::Write as _;

const ARN_PREFIX: &str = "arn:aws:ecs:us-east-1:123456789012:";

fn sample() -> Scenario {
    ecs_placement::presets::sample().unwrap()
}

fn instance_arn(id: &str) -> String {
    format!("{ARN_PREFIX}container-instance/default/{id}")
}

/// The operation a command line names (for error rendering), when it parses.
fn operation(line: &str) -> Option<&'static str> {
    let (words, _) = aws::words::split_command(line).ok()?;
    aws::parse_invocation(&words, &NoFiles).ok().map(|i| i.operation())
}

/// Runs a line: the pretty response (and warnings), or the rendered error.
fn run(scenario: &mut Scenario, line: &str) -> String {
    match aws::run_line(scenario, line, &NoFiles, Options::default()) {
        Ok((_, outcome)) => {
            let mut out = to_pretty(&outcome.response);
            for warning in &outcome.warnings {
                write!(out, "\nwarning: {warning}").unwrap();
            }
            out
        }
        Err(error) => aws::render_error(operation(line), &error),
    }
}

/// The response of a line that must succeed.
fn response(scenario: &mut Scenario, line: &str) -> Value {
    aws::run_line(scenario, line, &NoFiles, Options::default())
        .unwrap_or_else(|e| panic!("{line}: {}", e.detailed()))
        .1
        .response
}

/// Runs every line and writes `$ line` followed by what the CLI would print.
fn transcript(scenario: &mut Scenario, lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        writeln!(out, "$ {line}\n{}\n", run(scenario, line)).unwrap();
    }
    out
}

/// One line per remaining resource of an instance, read from `describe-container-instances`.
fn remaining(scenario: &mut Scenario, id: &str) -> String {
    let line = format!("aws ecs describe-container-instances --container-instances {id}");
    let described = response(scenario, &line);
    let instance = &described["containerInstances"][0];
    let mut out = format!("# {id}: runningTasksCount {}\n", instance["runningTasksCount"]);
    for resource in instance["remainingResources"].as_array().unwrap() {
        let value = match resource.get("stringSetValue") {
            Some(set) => set.to_string(),
            None => resource["integerValue"].to_string(),
        };
        writeln!(out, "#   {} = {value}", resource["name"].as_str().unwrap()).unwrap();
    }
    out
}

#[test]
fn put_attributes_blog_example() {
    let mut scenario = sample();
    let target = instance_arn("3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f");
    let lines = [
        format!("aws ecs put-attributes --attributes name=color,value=blue,targetId={target}"),
        "aws ecs list-attributes --target-type container-instance --attribute-name color --attribute-value blue".to_string(),
        "aws ecs put-attributes --cluster default --attributes name=ecs.capability.gpu-driver,targetType=container-instance,targetId=3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f".to_string(),
        "aws ecs put-attributes --attributes name=color,value=red,targetId=3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f".to_string(),
        "aws ecs put-attributes --attributes name=color,value=red,targetType=container-instance,targetId=i-wxyx7890".to_string(),
        r#"aws ecs put-attributes --attributes '[{"name": "color", "value": " red", "targetType": "container-instance", "targetId": "3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f"}]'"#.to_string(),
        format!("aws ecs delete-attributes --attributes name=color,targetId={target} name=never-set,targetId={target}"),
        "aws ecs list-attributes --target-type container-instance --attribute-name color".to_string(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let out = transcript(&mut scenario, &lines);
    insta::assert_snapshot!(out);
}

#[test]
fn eleventh_custom_attribute_is_rejected() {
    let mut scenario = sample();
    let target = instance_arn("0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c");
    // The instance has `stack` and `color`; eight more make ten.
    let eight: Vec<String> = (1..=8)
        .map(|i| format!("name=custom-{i},value=v{i},targetId={target}"))
        .collect();
    let lines = [
        format!("aws ecs put-attributes --attributes {}", eight.join(" ")),
        format!(
            "aws ecs put-attributes --attributes name=ecs.capability.extra,targetId={target} name=stack,value=qa,targetId={target}"
        ),
        format!(
            "aws ecs put-attributes --attributes name=stack,value=prod,targetId={target} name=eleventh,value=x,targetId={target}"
        ),
        "aws ecs list-attributes --target-type container-instance --attribute-name stack --attribute-value qa"
            .to_string(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let out = transcript(&mut scenario, &lines);
    assert!(!scenario.instances[0].attributes.contains_key("eleventh"));
    insta::assert_snapshot!(out);
}

#[test]
fn more_than_ten_attributes_per_call_is_rejected() {
    let mut scenario = sample();
    let target = instance_arn("4fad4e5a6b7c8d9e0f1a2b3c4d5e6f70");
    let eleven: Vec<String> = (1..=11).map(|i| format!("name=a{i},targetId={target}")).collect();
    let line = format!("aws ecs put-attributes --attributes {}", eleven.join(" "));
    let out = transcript(&mut scenario, &[&line]);
    insta::assert_snapshot!(out);
}

#[test]
fn list_attributes_filters_and_pages() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs list-attributes --target-type container-instance --attribute-name stack --attribute-value dev",
            "aws ecs list-attributes --target-type container-instance --attribute-name ecs.capability.task-eni --max-items 2",
            "aws ecs list-attributes --target-type container-instance --attribute-value dev",
            "aws ecs list-attributes --target-type task",
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn list_attributes_lists_every_attribute() {
    let mut scenario = sample();
    let listed = response(
        &mut scenario,
        "aws ecs list-attributes --target-type container-instance",
    );
    let total: usize = scenario.instances.iter().map(|i| i.attributes.len()).sum();
    assert_eq!(listed["attributes"].as_array().unwrap().len(), total);
}

#[test]
fn drained_instances_receive_no_tasks() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            r#"aws ecs register-task-definition --family worker --container-definitions '[{"name": "app", "image": "busybox", "cpu": 256, "memory": 256}]'"#,
            "aws ecs update-container-instances-state --container-instances 3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f --status DRAINING",
            "aws ecs list-container-instances --status DRAINING",
            r#"aws ecs run-task --task-definition worker --count 4 --placement-constraints 'type=memberOf,expression="attribute:stack == dev"'"#,
            "aws ecs update-container-instances-state --container-instances 3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f --status INACTIVE",
        ],
    );
    let drained = instance_arn("3e9c3d4f5a6b7c8d9e0f1a2b3c4d5e6f");
    let placed: Vec<_> = scenario
        .tasks
        .iter()
        .filter(|t| t.task_definition_arn.ends_with("worker:1"))
        .collect();
    assert_eq!(placed.len(), 4);
    assert!(placed.iter().all(|t| t.container_instance_arn != drained));
    insta::assert_snapshot!(out);
}

#[test]
fn draining_and_reactivating() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs update-container-instances-state --container-instances 61cf607c8d9e0f1a2b3c4d5e6f708192 ghost-instance --status DRAINING",
            "aws ecs list-tasks --container-instance 50be5f6b7c8d9e0f1a2b3c4d5e6f7081",
            "aws ecs update-container-instances-state --container-instances 50be5f6b7c8d9e0f1a2b3c4d5e6f7081 --status DRAINING",
            "aws ecs list-tasks --container-instance 50be5f6b7c8d9e0f1a2b3c4d5e6f7081",
            "aws ecs list-container-instances --status DRAINING",
            "aws ecs update-container-instances-state --container-instances 61cf607c8d9e0f1a2b3c4d5e6f708192 50be5f6b7c8d9e0f1a2b3c4d5e6f7081 --status ACTIVE",
            "aws ecs list-container-instances --status DRAINING",
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn instances_in_other_statuses_cannot_be_updated() {
    let mut scenario = sample();
    scenario.instances[6].status = ecs_placement::model::InstanceStatus::Registering;
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs update-container-instances-state --container-instances 50be5f6b7c8d9e0f1a2b3c4d5e6f7081 61cf607c8d9e0f1a2b3c4d5e6f708192 --status DRAINING",
            "aws ecs list-container-instances --status DRAINING",
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn describe_container_instances() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs describe-container-instances --container-instances 1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d arn:aws:ecs:us-east-1:123456789012:container-instance/default/2d8b2c3e4f5a6b7c8d9e0f1a2b3c4d5e --include TAGS",
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn describe_container_instances_round_trips_through_import() {
    let mut scenario = sample();
    let ids: Vec<&str> = scenario.instances.iter().map(|i| i.short_id()).collect();
    let line = format!(
        "aws ecs describe-container-instances --container-instances {}",
        ids.join(" ")
    );
    let instances = to_pretty(&response(&mut scenario, &line));
    let tasks: Vec<&str> = scenario.tasks.iter().map(|t| t.short_id()).collect();
    let line = format!("aws ecs describe-tasks --tasks {}", tasks.join(" "));
    let tasks = to_pretty(&response(&mut scenario, &line));

    let imported = ecs_placement::import::import(&instances, Some(&tasks)).unwrap();
    assert_eq!(imported.scenario.instances, scenario.instances);

    // Without describe-tasks, the tasks become untracked running tasks.
    let imported = ecs_placement::import::import(&instances, None).unwrap();
    for (back, original) in imported.scenario.instances.iter().zip(&scenario.instances) {
        let running = scenario.running_tasks_on(&original.container_instance_arn).count();
        assert_eq!(back.untracked_running_tasks as usize, running);
        assert_eq!(back.remaining_resources, original.remaining_resources);
        assert_eq!(back.attributes, original.attributes);
    }
}

#[test]
fn missing_resources_are_failures() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs describe-container-instances --container-instances i-ffff1234 arn:aws:ecs:us-east-1:123456789012:container-instance/default/ffffffffffffffffffffffffffffffff",
            "aws ecs describe-tasks --tasks b47c000000000000000000000000000a ffff0000000000000000000000000000",
            "aws ecs update-container-instances-state --container-instances nope --status DRAINING",
            "aws ecs update-container-instances-state --container-instances 61cf607c8d9e0f1a2b3c4d5e6f708192 --status REGISTERING",
            "aws ecs list-tasks --container-instance i-0a1b2c3d4e5f6ffff",
            "aws ecs stop-task --task ffff0000000000000000000000000000",
            "aws ecs describe-task-definition --task-definition nope",
        ],
    );
    insta::assert_snapshot!(out);
}

/// EC2 instance IDs where a container instance is expected: ECS would not find them; the
/// playground uses the instance and warns. The responses are those of the container instance ID.
#[test]
fn ec2_instance_ids_are_read_as_their_container_instance() {
    let mut scenario = sample();
    let out = transcript(
        &mut scenario,
        &[
            "aws ecs update-container-instances-state --container-instances i-0a1b2c3d4e5f60001 --status DRAINING",
            "aws ecs list-tasks --container-instance i-0a1b2c3d4e5f60001",
            "aws ecs put-attributes --attributes name=team,value=web,targetType=container-instance,targetId=i-0a1b2c3d4e5f60001",
            "aws ecs delete-attributes --attributes name=team,targetType=container-instance,targetId=i-0a1b2c3d4e5f60001",
        ],
    );
    insta::assert_snapshot!(out);
    let mut by_ec2 = sample();
    let mut by_id = sample();
    for (ec2, id) in [
        ("i-0a1b2c3d4e5f60001", "1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d"),
        ("i-abcd1234", "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"),
    ] {
        for command in [
            "aws ecs describe-container-instances --container-instances",
            "aws ecs update-container-instances-state --status DRAINING --container-instances",
            "aws ecs list-tasks --container-instance",
        ] {
            let (_, lenient) =
                aws::run_line(&mut by_ec2, &format!("{command} {ec2}"), &NoFiles, Options::default()).unwrap();
            let (_, strict) =
                aws::run_line(&mut by_id, &format!("{command} {id}"), &NoFiles, Options::default()).unwrap();
            assert_eq!(lenient.response, strict.response, "{command}");
            assert!(strict.warnings.is_empty());
            assert_eq!(lenient.warnings.len(), 1, "{command}");
            assert!(lenient.warnings[0].starts_with(&format!("`{ec2}` is an EC2 instance ID")));
        }
    }
    assert_eq!(by_ec2, by_id);
}

#[test]
fn list_describe_and_stop_tasks() {
    let mut scenario = sample();
    let instance = "1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d";
    let mut out = transcript(
        &mut scenario,
        &[
            "aws ecs list-tasks",
            "aws ecs list-tasks --family web --service-name production",
            "aws ecs list-tasks --container-instance 1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d",
            "aws ecs describe-tasks --tasks a1f0000000000000000000000000000a",
        ],
    );
    out.push_str(&remaining(&mut scenario, instance));
    out.push('\n');
    out.push_str(&transcript(
        &mut scenario,
        &[
            "aws ecs stop-task --task arn:aws:ecs:us-east-1:123456789012:task/default/a1f0000000000000000000000000000a --reason 'Scaling down for maintenance'",
        ],
    ));
    out.push_str(&remaining(&mut scenario, instance));
    out.push('\n');
    out.push_str(&transcript(
        &mut scenario,
        &[
            "aws ecs stop-task --task a1f0000000000000000000000000000a",
            "aws ecs stop-task --task cac0000000000000000000000000000a",
        ],
    ));
    out.push_str(&remaining(&mut scenario, instance));
    out.push('\n');
    out.push_str(&transcript(
        &mut scenario,
        &[
            "aws ecs list-tasks --container-instance 1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d",
            "aws ecs list-tasks --desired-status STOPPED",
            "aws ecs list-tasks --desired-status PENDING",
        ],
    ));
    insta::assert_snapshot!(out);
}

#[test]
fn stopping_frees_a_static_port_for_the_next_task() {
    let mut scenario = sample();
    // The three m5.large instances each run a `web:7` task holding host port 80.
    let before = transcript(
        &mut scenario,
        &[
            r#"aws ecs register-task-definition --family web --container-definitions '[{"name": "web", "image": "nginx", "cpu": 256, "memory": 256, "portMappings": [{"containerPort": 80, "hostPort": 80}]}]'"#,
            r#"aws ecs run-task --task-definition web --placement-constraints 'type=memberOf,expression="attribute:ecs.instance-type == m5.large"'"#,
        ],
    );
    assert!(before.contains("RESOURCE:PORTS"), "{before}");
    response(
        &mut scenario,
        "aws ecs stop-task --task a1f0000000000000000000000000000b",
    );
    let after = response(
        &mut scenario,
        r#"aws ecs run-task --task-definition web --placement-constraints 'type=memberOf,expression="attribute:ecs.instance-type == m5.large"'"#,
    );
    assert_eq!(
        after["tasks"][0]["containerInstanceArn"],
        instance_arn("4fad4e5a6b7c8d9e0f1a2b3c4d5e6f70")
    );
}

#[test]
fn task_definitions() {
    let mut scenario = sample();
    let container = r#"'[{"name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512}]'"#;
    let register = format!("aws ecs register-task-definition --family web --container-definitions {container}");
    let register_api = format!("aws ecs register-task-definition --family api --container-definitions {container}");
    let out = transcript(
        &mut scenario,
        &[
            &register,
            &register,
            &register_api,
            "aws ecs describe-task-definition --task-definition web",
            "aws ecs list-task-definitions",
            "aws ecs list-task-definitions --family-prefix we --sort DESC",
            "aws ecs deregister-task-definition --task-definition web:2",
            "aws ecs list-task-definitions --status INACTIVE",
            "aws ecs describe-task-definition --task-definition web",
            "aws ecs describe-task-definition --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/web:2 --include TAGS",
            "aws ecs run-task --task-definition web:2",
            "aws ecs deregister-task-definition --task-definition web",
            "aws ecs deregister-task-definition --task-definition web:7",
            "aws ecs list-task-definitions --status RETIRED",
        ],
    );
    insta::assert_snapshot!(out);
}
