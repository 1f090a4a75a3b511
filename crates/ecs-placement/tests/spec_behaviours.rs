//! One case per documented placement behaviour of `ecs-placement-spec.md` §2-§5 and decisions
//! D9-D15, run through the AWS command layer as users run them.

use ecs_placement::aws::{self, NoFiles, Options, Outcome};
use ecs_placement::engine::Explain;
use ecs_placement::model::short_id;
use ecs_placement::{Error, Scenario};
use serde_json::{Value, json};

/// An instance: short ID, zone, CPU, memory, extra attributes.
fn instance(id: &str, zone: &str, cpu: i64, memory: i64) -> Value {
    json!({
        "containerInstanceArn": id,
        "ec2InstanceId": format!("i-{id}"),
        "registeredResources": {"cpu": cpu, "memory": memory},
        "attributes": {"ecs.availability-zone": zone, "ecs.instance-type": "m5.large", "ecs.subnet-id": format!("subnet-{zone}"), "ecs.vpc-id": "vpc-1"}
    })
}

fn with(mut value: Value, key: &str, field: Value) -> Value {
    value[key] = field;
    value
}

fn attr(mut value: Value, name: &str, field: Value) -> Value {
    value["attributes"][name] = field;
    value
}

fn scenario(instances: Vec<Value>, tasks: Vec<Value>) -> Scenario {
    let definitions = json!([
        {"family": "app", "containerDefinitions": [{"name": "app", "cpu": 256, "memory": 512}]},
        {"family": "big", "containerDefinitions": [{"name": "big", "cpu": 256, "memory": 1500}]},
        {"family": "web80", "containerDefinitions": [{"name": "web", "cpu": 10, "memory": 10, "portMappings": [{"containerPort": 80, "hostPort": 80}]}]},
        {"family": "dyn", "containerDefinitions": [{"name": "dyn", "cpu": 10, "memory": 10, "portMappings": [{"containerPort": 80}]}]},
        {"family": "dns", "containerDefinitions": [{"name": "dns", "cpu": 10, "memory": 10, "portMappings": [{"containerPort": 53, "hostPort": 53, "protocol": "udp"}]}]},
        {"family": "ssh", "containerDefinitions": [{"name": "ssh", "cpu": 10, "memory": 10, "portMappings": [{"containerPort": 22, "hostPort": 22}]}]},
        {"family": "soft", "containerDefinitions": [{"name": "soft", "cpu": 10, "memory": 300, "memoryReservation": 128}]},
        {"family": "sized", "cpu": "1 vCPU", "memory": "2GB", "containerDefinitions": [{"name": "s", "memory": 100}]},
        {"family": "eni", "networkMode": "awsvpc", "containerDefinitions": [{"name": "e", "cpu": 10, "memory": 10}]},
        {"family": "gpu", "containerDefinitions": [{"name": "g", "cpu": 10, "memory": 10, "resourceRequirements": [{"type": "GPU", "value": "2"}]}]},
        {"family": "ebs", "containerDefinitions": [{"name": "db", "cpu": 10, "memory": 10}], "volumes": [{"name": "v", "dockerVolumeConfiguration": {"driver": "rexray/ebs", "scope": "shared"}}]},
        {"family": "pinned", "containerDefinitions": [{"name": "p", "cpu": 10, "memory": 10}], "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone == a"}]},
        {"family": "fargate", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "f"}]}
    ]);
    let value =
        json!({"version": 1, "seed": 99, "instances": instances, "tasks": tasks, "taskDefinitions": definitions});
    Scenario::from_value(value).unwrap()
}

fn task(id: &str, on: &str, group: &str) -> Value {
    json!({"taskArn": id, "containerInstanceArn": on, "group": group, "cpu": 0, "memory": 0})
}

fn run(scenario: &mut Scenario, line: &str) -> Result<Outcome, Error> {
    let options = Options {
        explain: Explain::All,
        what_if: false,
        scheduler_step: None,
    };
    aws::run_line(scenario, line, &NoFiles, options).map(|(_, outcome)| outcome)
}

fn placed(outcome: &Outcome) -> Vec<String> {
    outcome.response["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| short_id(t["containerInstanceArn"].as_str().unwrap()).to_string())
        .collect()
}

fn failures(outcome: &Outcome) -> Vec<(String, String)> {
    outcome.response["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                short_id(f["arn"].as_str().unwrap()).to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ok(scenario: &mut Scenario, line: &str) -> Outcome {
    run(scenario, line).unwrap_or_else(|e| panic!("{line}: {}", e.detailed()))
}

#[test]
fn binpack_chooses_the_least_remaining_that_still_fits() {
    let mut s = scenario(
        vec![
            instance("m1000", "a", 4096, 1000),
            instance("m2000", "a", 4096, 2000),
            instance("m3000", "a", 4096, 3000),
        ],
        vec![],
    );
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition big --placement-strategy type=binpack,field=memory",
    );
    assert_eq!(
        placed(&out),
        ["m2000"],
        "1000 MiB does not fit 1500; 2000 is the least that does"
    );
}

#[test]
fn spread_counts_only_the_tasks_of_the_same_group() {
    let tasks = (0..5)
        .map(|i| task(&format!("o{i}"), "busy", "other"))
        .chain([task("g0", "quiet", "family:app")])
        .collect();
    let mut s = scenario(
        vec![instance("busy", "a", 4096, 4096), instance("quiet", "a", 4096, 4096)],
        tasks,
    );
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --placement-strategy type=spread,field=instanceId",
    );
    assert_eq!(
        placed(&out),
        ["busy"],
        "busy runs 5 tasks of another group and none of family:app"
    );
}

#[test]
fn spread_counts_a_zones_full_and_draining_instances_too() {
    let full = instance("a-full", "a", 4096, 100);
    let draining = with(instance("b-drain", "b", 4096, 4096), "status", json!("DRAINING"));
    let tasks = vec![
        task("t1", "a-full", "family:app"),
        task("t2", "b-drain", "family:app"),
        task("t3", "b-drain", "family:app"),
    ];
    let mut s = scenario(
        vec![
            full,
            draining,
            instance("a-free", "a", 4096, 4096),
            instance("b-free", "b", 4096, 4096),
        ],
        tasks,
    );
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --placement-strategy type=spread,field=attribute:ecs.availability-zone",
    );
    assert_eq!(
        placed(&out),
        ["a-free"],
        "zone a has 1 task of the group (on a full instance), zone b 2 (on a draining one)"
    );
}

#[test]
fn spread_puts_instances_lacking_the_attribute_in_their_own_bucket() {
    let mut no_zone = instance("nozone", "a", 4096, 4096);
    no_zone["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("ecs.availability-zone");
    let mut s = scenario(
        vec![instance("a1", "a", 4096, 4096), no_zone],
        vec![task("t", "a1", "family:app")],
    );
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --placement-strategy type=spread,field=attribute:ecs.availability-zone",
    );
    assert_eq!(
        placed(&out),
        ["nozone"],
        "the `missing` bucket has 0 tasks, zone a has 1"
    );
}

#[test]
fn static_host_ports_conflict_dynamic_ones_do_not() {
    let mut s = scenario(vec![instance("only", "a", 4096, 4096)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition web80 --count 2");
    assert_eq!(placed(&out), ["only"]);
    assert_eq!(failures(&out), [("only".to_string(), "RESOURCE:PORTS".to_string())]);
    let out = ok(&mut s, "aws ecs run-task --task-definition dyn --count 5");
    assert_eq!(placed(&out).len(), 5, "dynamic host ports never conflict");
    let out = ok(&mut s, "aws ecs run-task --task-definition ssh");
    assert_eq!(
        failures(&out),
        [("only".to_string(), "RESOURCE:PORTS".to_string())],
        "22 is reserved by the agent"
    );
    let out = ok(&mut s, "aws ecs run-task --task-definition dns --count 2");
    assert_eq!(placed(&out).len(), 1, "53/udp once");
}

#[test]
fn memory_reservation_is_reserved_not_the_hard_limit() {
    let mut s = scenario(vec![instance("small", "a", 4096, 200)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition soft");
    assert_eq!(
        placed(&out),
        ["small"],
        "memoryReservation 128 fits in 200 although memory is 300"
    );
    assert_eq!(s.instances[0].remaining().memory, 72);
}

#[test]
fn task_level_sizes_win_and_accept_units() {
    let mut s = scenario(vec![instance("i", "a", 1024, 2048)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition sized");
    assert_eq!(out.response["tasks"][0]["cpu"], "1024");
    assert_eq!(out.response["tasks"][0]["memory"], "2048");
    assert_eq!(
        (s.instances[0].remaining().cpu, s.instances[0].remaining().memory),
        (0, 0)
    );
}

#[test]
fn awsvpc_tasks_take_an_eni_slot_each() {
    let limited = with(instance("two", "a", 4096, 4096), "taskEniLimit", json!(2));
    let mut s = scenario(vec![attr(limited, "ecs.capability.task-eni", Value::Null)], vec![]);
    let line = "aws ecs run-task --task-definition eni --count 3 --network-configuration awsvpcConfiguration={subnets=[subnet-a]}";
    let out = ok(&mut s, line);
    assert_eq!(placed(&out).len(), 2);
    assert_eq!(failures(&out), [("two".to_string(), "RESOURCE:ENI".to_string())]);
}

#[test]
fn eni_limits_come_from_the_catalog_and_trunking() {
    let c5 = attr(
        attr(instance("c5", "a", 4096, 4096), "ecs.instance-type", json!("c5.large")),
        "ecs.capability.task-eni",
        Value::Null,
    );
    let trunk = attr(c5.clone(), "ecs.awsvpc-trunk-id", json!("eni-trunk"));
    let s = scenario(vec![c5, with(trunk, "containerInstanceArn", json!("c5t"))], vec![]);
    assert_eq!(
        s.instances[0].eni_limit(),
        Some(2),
        "c5.large: 3 interfaces minus the primary"
    );
    assert_eq!(
        s.instances[1].eni_limit(),
        Some(10),
        "c5.large with ENI trunking: twelve ENIs, less the primary and the trunk ENIs"
    );
    // Issue 11, divergence 2: every type of AWS's trunking table, not only the c5.large.
    let m5 = attr(
        attr(instance("m5", "a", 4096, 4096), "ecs.instance-type", json!("m5.xlarge")),
        "ecs.awsvpc-trunk-id",
        json!("eni-trunk"),
    );
    let a1 = attr(
        attr(instance("a1", "a", 4096, 4096), "ecs.instance-type", json!("a1.medium")),
        "ecs.awsvpc-trunk-id",
        json!("eni-trunk"),
    );
    let s = scenario(vec![m5, a1], vec![]);
    assert_eq!(s.instances[0].eni_limit(), Some(20), "m5.xlarge: 3 -> 20");
    assert_eq!(s.instances[1].eni_limit(), Some(10), "a1.medium: 1 -> 10");
}

#[test]
fn gpus_are_counted_and_assigned_by_id() {
    let one = with(
        instance("one", "a", 4096, 4096),
        "registeredResources",
        json!({"cpu": 4096, "memory": 4096, "gpus": ["g0"]}),
    );
    let four = with(
        instance("four", "a", 4096, 4096),
        "registeredResources",
        json!({"cpu": 4096, "memory": 4096, "gpus": ["h0", "h1", "h2", "h3"]}),
    );
    let mut s = scenario(vec![one, four], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition gpu --count 3");
    assert_eq!(placed(&out), ["four", "four"]);
    assert_eq!(
        failures(&out),
        [
            ("one".to_string(), "RESOURCE:GPU".to_string()),
            ("four".to_string(), "RESOURCE:GPU".to_string())
        ]
    );
    let ids: Vec<&[String]> = s.tasks.iter().map(|t| &*t.details().gpu_ids).collect();
    assert_eq!(
        ids,
        [
            &["h0".to_string(), "h1".to_string()],
            &["h2".to_string(), "h3".to_string()]
        ]
    );
}

#[test]
fn a_missing_volume_driver_is_an_attribute_failure() {
    let with_plugin = attr(
        instance("plugin", "a", 4096, 4096),
        "ecs.capability.docker-plugin.rexray/ebs",
        Value::Null,
    );
    let mut s = scenario(vec![instance("plain", "a", 4096, 4096), with_plugin], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition ebs --count 2");
    assert_eq!(placed(&out), ["plugin", "plugin"]);
    let mut s = scenario(vec![instance("plain", "a", 4096, 4096)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition ebs");
    assert_eq!(failures(&out), [("plain".to_string(), "ATTRIBUTE".to_string())]);
}

#[test]
fn draining_instances_are_never_chosen_and_not_listed_as_failures() {
    let draining = with(instance("draining", "a", 8192, 8192), "status", json!("DRAINING"));
    let mut s = scenario(vec![draining, instance("tiny", "a", 100, 100)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition app");
    assert!(placed(&out).is_empty());
    assert_eq!(failures(&out), [("tiny".to_string(), "RESOURCE:CPU".to_string())]);
}

#[test]
fn a_disconnected_agent_is_an_agent_failure_first() {
    let down = with(instance("down", "a", 100, 100), "agentConnected", json!(false));
    let mut s = scenario(vec![down], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition app");
    assert_eq!(
        failures(&out),
        [("down".to_string(), "AGENT".to_string())],
        "AGENT comes before RESOURCE:CPU (D14)"
    );
}

#[test]
fn awsvpc_subnets_decide_the_zone() {
    let eni = |id: &str, zone: &str| {
        attr(
            with(instance(id, zone, 4096, 4096), "taskEniLimit", json!(3)),
            "ecs.capability.task-eni",
            Value::Null,
        )
    };
    let mut s = scenario(vec![eni("in-a", "a"), eni("in-b", "b")], vec![]);
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition eni --count 2 --network-configuration awsvpcConfiguration={subnets=[subnet-b]}",
    );
    assert_eq!(placed(&out), ["in-b", "in-b"]);
    assert_eq!(
        out.response["tasks"][0]["attachments"][0]["details"][0]["value"],
        "subnet-b"
    );
    let err = run(&mut s, "aws ecs run-task --task-definition eni").unwrap_err();
    assert_eq!(
        err.message,
        "Network Configuration must be provided when networkMode 'awsvpc' is specified."
    );
    let err = run(
        &mut s,
        "aws ecs run-task --task-definition eni --network-configuration awsvpcConfiguration={subnets=[subnet-zzz]}",
    )
    .unwrap_err();
    assert!(err.message.contains("InvalidSubnetID.NotFound"), "{}", err.message);
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition eni --network-configuration awsvpcConfiguration={subnets=[subnet-a]} --placement-constraints type=memberOf,expression=attribute:ecs.availability-zone==b",
    );
    assert_eq!(
        failures(&out),
        [
            (
                "in-a".to_string(),
                "MemberOf placement constraint unsatisfied.".to_string()
            ),
            ("in-b".to_string(), "LOCATION".to_string())
        ]
    );
}

#[test]
fn limits_reject_the_whole_request() {
    let mut s = scenario(vec![instance("i", "a", 8192, 8192)], vec![]);
    let before = s.clone();
    let cases = [
        (
            "aws ecs run-task --task-definition app --count 11",
            "count must be between 1 and 10",
        ),
        (
            "aws ecs run-task --task-definition app --count 0",
            "count must be between 1 and 10",
        ),
        (
            "aws ecs run-task --task-definition pinned --placement-constraints type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance type=distinctInstance",
            "11 placement constraints",
        ),
        (
            "aws ecs run-task --task-definition app --placement-strategy type=random type=random type=random type=random type=random type=random",
            "the maximum is 5",
        ),
        (
            "aws ecs run-task --task-definition app --placement-constraints type=distinctInstance,expression=x",
            "distinctInstance expression should not be specified.",
        ),
        (
            "aws ecs run-task --task-definition app --placement-constraints type=memberOf",
            "memberOf constraints need an expression",
        ),
        (
            "aws ecs run-task --task-definition app --placement-strategy type=binpack,field=disk",
            "binpack needs field cpu or memory",
        ),
        (
            "aws ecs run-task --task-definition app --placement-strategy type=spread",
            "spread needs a field",
        ),
        (
            "aws ecs run-task --task-definition app --placement-strategy type=pack",
            "Member must satisfy enum value set: [random, spread, binpack]",
        ),
        ("aws ecs run-task --task-definition nope", "TaskDefinition not found."),
        (
            "aws ecs run-task --task-definition fargate --network-configuration awsvpcConfiguration={subnets=[subnet-a]}",
            "Task definition does not support launch_type EC2.",
        ),
    ];
    for (line, message) in cases {
        let err = run(&mut s, line).unwrap_err();
        assert!(err.message.contains(message), "{line}: {}", err.message);
        assert!(err.kind.aws_exception().is_some(), "{line}: a service error");
    }
    let long = format!("attribute:a in [{}]", vec!["v"; 1000].join(", "));
    let err = run(
        &mut s,
        &format!(
            "aws ecs run-task --task-definition app --placement-constraints 'type=memberOf,expression=\"{long}\"'"
        ),
    )
    .unwrap_err();
    assert!(err.detailed().contains("AWS allows at most 2000"), "{}", err.detailed());
    assert_eq!(s, before, "nothing changed");
}

#[test]
fn register_task_definition_rejects_distinct_instance() {
    let mut s = scenario(vec![instance("i", "a", 8192, 8192)], vec![]);
    let err = run(&mut s, r#"aws ecs register-task-definition --family x --container-definitions '[{"name":"x","memory":10}]' --placement-constraints type=distinctInstance"#).unwrap_err();
    assert_eq!(err.message, "constraint.type 'distinctInstance' is not supported.");
    assert_eq!(err.kind.aws_exception(), Some("ClientException"));
}

#[test]
fn an_empty_cluster_is_an_invalid_parameter() {
    let mut s = scenario(vec![], vec![]);
    let err = run(&mut s, "aws ecs run-task --task-definition app").unwrap_err();
    assert_eq!(err.message, "No Container Instances were found in your cluster.");
}

#[test]
fn the_first_failing_check_is_the_reason() {
    let mut s = scenario(vec![instance("small", "b", 100, 100)], vec![]);
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition pinned --placement-constraints type=memberOf,expression=attribute:stack==prod",
    );
    assert!(placed(&out).is_empty());
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --placement-constraints type=memberOf,expression=attribute:stack==prod",
    );
    assert_eq!(
        failures(&out),
        [("small".to_string(), "RESOURCE:CPU".to_string())],
        "resources before constraints"
    );
    let explanation = out.explanation.unwrap().render();
    assert!(
        explanation.contains("RESOURCE:CPU") && explanation.contains("MemberOf"),
        "the explanation lists every failing check: {explanation}"
    );
}

#[test]
fn distinct_instance_ignores_tasks_whose_desired_status_is_stopped() {
    let stopping = json!({"taskArn": "old", "containerInstanceArn": "only", "group": "family:app", "desiredStatus": "STOPPED", "lastStatus": "RUNNING"});
    let mut s = scenario(vec![instance("only", "a", 4096, 4096)], vec![stopping]);
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --placement-constraints type=distinctInstance",
    );
    assert_eq!(placed(&out), ["only"]);
}

#[test]
fn tasks_placed_earlier_in_the_call_count() {
    let mut s = scenario(
        vec![instance("x", "a", 8192, 8192), instance("y", "a", 8192, 8192)],
        vec![],
    );
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --count 4 --placement-constraints type=memberOf,expression=runningTasksCount<2",
    );
    let mut sorted = placed(&out);
    sorted.sort();
    assert_eq!(sorted, ["x", "x", "y", "y"]);
    let out = ok(
        &mut s,
        "aws ecs run-task --task-definition app --group g --count 3 --placement-constraints type=distinctInstance",
    );
    assert_eq!(placed(&out).len(), 2);
}

#[test]
fn groups_default_to_the_family() {
    let mut s = scenario(vec![instance("x", "a", 8192, 8192)], vec![]);
    let out = ok(&mut s, "aws ecs run-task --task-definition app");
    assert_eq!(out.response["tasks"][0]["group"], "family:app");
    let out = ok(&mut s, "aws ecs run-task --task-definition app --group webserver");
    assert_eq!(out.response["tasks"][0]["group"], "webserver");
}

#[test]
fn task_definition_constraints_apply_with_the_requests() {
    let mut s = scenario(
        vec![instance("in-a", "a", 8192, 8192), instance("in-b", "b", 8192, 8192)],
        vec![],
    );
    let out = ok(&mut s, "aws ecs run-task --task-definition pinned --count 3");
    assert_eq!(placed(&out), ["in-a", "in-a", "in-a"]);
}

#[test]
fn the_default_run_task_strategy_is_random_and_said_so() {
    let mut s = scenario(
        vec![instance("x", "a", 8192, 8192), instance("y", "a", 8192, 8192)],
        vec![],
    );
    let out = ok(&mut s, "aws ecs run-task --task-definition app");
    let text = out.explanation.unwrap().render();
    assert!(
        text.contains("RunTask places tasks randomly by default (the ECS default)"),
        "{text}"
    );
    assert!(
        text.contains("random tie-break among 2 equally good instances (seed 99)")
            || text.contains("random strategy among 2"),
        "{text}"
    );
}

#[test]
fn what_if_counts_go_beyond_ten_only_when_asked() {
    let mut s = scenario(vec![instance("x", "a", 100_000, 100_000)], vec![]);
    let options = Options {
        explain: Explain::Off,
        what_if: true,
        scheduler_step: None,
    };
    let (_, out) = aws::run_line(
        &mut s,
        "aws ecs run-task --task-definition app --count 50",
        &NoFiles,
        options,
    )
    .unwrap();
    assert_eq!(placed(&out).len(), 50);
    assert!(out.warnings.iter().any(|w| w.contains("beyond AWS's limit")));
}

#[test]
fn the_same_seed_gives_the_same_placements() {
    let build = || {
        scenario(
            (0..8).map(|i| instance(&format!("n{i}"), "a", 8192, 8192)).collect(),
            vec![],
        )
    };
    let line = "aws ecs run-task --task-definition app --count 10";
    let (mut a, mut b) = (build(), build());
    assert_eq!(ok(&mut a, line).response, ok(&mut b, line).response);
    let mut c = build();
    c.seed = Some(100);
    let different = (0..5).any(|_| placed(&ok(&mut c, line)) != placed(&ok(&mut a, line)));
    assert!(different, "another seed draws differently");
}

#[test]
fn json_arguments_work_like_shorthand() {
    let build = || {
        let eni = |id: &str, zone: &str| {
            attr(
                with(instance(id, zone, 4096, 4096), "taskEniLimit", json!(4)),
                "ecs.capability.task-eni",
                Value::Null,
            )
        };
        scenario(vec![eni("a1", "a"), eni("a2", "a"), eni("b1", "b")], vec![])
    };
    let shorthand = "aws ecs run-task --task-definition eni --count 4 \
        --network-configuration awsvpcConfiguration={subnets=[subnet-a,subnet-b]} \
        --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory \
        --placement-constraints type=memberOf,expression=agentConnected==true";
    let json = r#"aws ecs run-task --task-definition eni --count 4 \
        --network-configuration '{"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"]}}' \
        --placement-strategy '[{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]' \
        --placement-constraints '[{"type": "memberOf", "expression": "agentConnected == true"}]'"#;
    let (mut a, mut b) = (build(), build());
    let (from_shorthand, from_json) = (ok(&mut a, shorthand), ok(&mut b, json));
    assert_eq!(placed(&from_shorthand), placed(&from_json));
    assert_eq!(placed(&from_json).len(), 4);
    let mut c = build();
    let cli_input = r#"aws ecs run-task --cli-input-json '{"taskDefinition": "eni", "count": 2, "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-b"]}}}'"#;
    assert_eq!(placed(&ok(&mut c, cli_input)), ["b1", "b1"]);
}
