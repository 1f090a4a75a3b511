//! Regression tests for the seven divergences from ECS that an audit found (issue 11), one test
//! per divergence, each run through the AWS command layer as users run the commands, and a check
//! of the responses against botocore's output shapes (`fixtures/botocore/`, extracted from
//! botocore's ECS service model by the script beside it).

use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::model::short_id;
use ecs_placement::{Error, Scenario};
use serde_json::{Value, json};
use std::path::Path;

fn scenario_file(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/scenarios")
        .join(name);
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run(scenario: &mut Scenario, line: &str) -> Result<Value, Error> {
    aws::run_line(scenario, line, &NoFiles, Options::default()).map(|(_, outcome)| {
        assert!(outcome.warnings.is_empty(), "{line}: {:?}", outcome.warnings);
        outcome.response
    })
}

fn ok(scenario: &mut Scenario, line: &str) -> Value {
    run(scenario, line).unwrap_or_else(|e| panic!("{line}: {}", e.message))
}

fn err(scenario: &mut Scenario, line: &str) -> Error {
    match run(scenario, line) {
        Ok(response) => panic!("{line} should fail, answered {response}"),
        Err(error) => error,
    }
}

/// Short IDs of the instances a RunTask response placed its tasks on.
fn placed(response: &Value) -> Vec<String> {
    response["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| short_id(t["containerInstanceArn"].as_str().unwrap()).to_string())
        .collect()
}

fn reasons(response: &Value) -> Vec<String> {
    response["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap().to_string())
        .collect()
}

/// A cluster of the given instances (short ID, type, extra attributes) in one subnet.
fn cluster(instances: &[(&str, &str, Value)]) -> Scenario {
    let instances: Vec<Value> = instances
        .iter()
        .map(|(id, kind, extra)| {
            let mut attributes = json!({
                "ecs.instance-type": kind, "ecs.availability-zone": "us-east-1a",
                "ecs.subnet-id": "subnet-a", "ecs.vpc-id": "vpc-1", "ecs.capability.task-eni": null
            });
            for (name, value) in extra.as_object().unwrap() {
                attributes[name] = value.clone();
            }
            json!({"containerInstanceArn": id, "ec2InstanceId": format!("i-{id}"), "attributes": attributes})
        })
        .collect();
    let definitions = json!([
        {"family": "eni", "networkMode": "awsvpc", "containerDefinitions": [{"name": "e", "cpu": 1, "memory": 1}]},
        {"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 128, "memory": 256},
                                                    {"name": "side", "cpu": 0, "memory": 64}]},
        {"family": "creds", "containerDefinitions": [{"name": "c", "memory": 64,
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub"}}]}
    ]);
    Scenario::from_value(json!({"version": 1, "seed": 7, "instances": instances, "taskDefinitions": definitions}))
        .unwrap()
}

/// 1. Private registry authentication requires `ecs.capability.private-registry-authentication.secretsmanager`,
///    the name real container instances carry (the AWS CLI's `update-container-instances-state`
///    example output); the `com.amazonaws.` spelling satisfies nothing.
#[test]
fn private_registry_authentication_requires_the_agents_attribute_name() {
    let mut s = cluster(&[
        (
            "real",
            "m5.large",
            json!({"ecs.capability.private-registry-authentication.secretsmanager": null}),
        ),
        (
            "wrong",
            "m5.large",
            json!({"com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager": null}),
        ),
    ]);
    let definition = ok(&mut s, "aws ecs describe-task-definition --task-definition creds");
    assert_eq!(
        definition["taskDefinition"]["requiresAttributes"],
        json!([{"name": "ecs.capability.private-registry-authentication.secretsmanager"}])
    );
    let response = ok(&mut s, "aws ecs run-task --task-definition creds --count 2");
    assert_eq!(placed(&response), ["real", "real"]);
    let mut only_wrong = cluster(&[(
        "wrong",
        "m5.large",
        json!({"com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager": null}),
    )]);
    let response = ok(&mut only_wrong, "aws ecs run-task --task-definition creds");
    assert_eq!(reasons(&response), ["ATTRIBUTE"], "the instance with the wrong name");
    // The blog cluster's instances carry the real name: the walkthrough's EC2 step places.
    let mut blog = scenario_file("blog-cluster.json");
    ok(
        &mut blog,
        r#"aws ecs register-task-definition --family space-td-ec2 --container-definitions '[{"name":"space","image":"tiffanyfay/space","memory":256,"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"}}]'"#,
    );
    let response = ok(&mut blog, "aws ecs run-task --task-definition space-td-ec2 --count 3");
    assert_eq!(response["tasks"].as_array().unwrap().len(), 3);
}

/// 2. ENI trunking: AWS's "Elastic network interface trunking" table for every type it lists.
///    A trunked c5.large has "an increased ENI limit of twelve" (primary + trunk + 10 task ENIs)
///    and runs ten tasks; a trunked m5.xlarge 20 (3 untrunked).
#[test]
fn trunked_instances_take_aws_documented_task_counts() {
    let trunk = json!({"ecs.awsvpc-trunk-id": "eni-trunk"});
    let network = "--network-configuration awsvpcConfiguration={subnets=[subnet-a]}";
    let mut c5 = cluster(&[("c5", "c5.large", trunk.clone())]);
    let first = ok(
        &mut c5,
        &format!("aws ecs run-task --task-definition eni --count 10 {network}"),
    );
    assert_eq!(placed(&first).len(), 10);
    let eleventh = ok(&mut c5, &format!("aws ecs run-task --task-definition eni {network}"));
    assert_eq!(reasons(&eleventh), ["RESOURCE:ENI"]);

    let mut m5 = cluster(&[("m5", "m5.xlarge", trunk), ("plain", "m5.xlarge", json!({}))]);
    for _ in 0..2 {
        ok(
            &mut m5,
            &format!(
                "aws ecs run-task --task-definition eni --count 10 --placement-constraints 'type=memberOf,expression=attribute:ecs.awsvpc-trunk-id exists' {network}"
            ),
        );
    }
    let full = ok(
        &mut m5,
        &format!(
            "aws ecs run-task --task-definition eni --count 4 --placement-strategy type=binpack,field=memory {network}"
        ),
    );
    assert_eq!(placed(&full), ["plain", "plain", "plain"], "3 untrunked task ENIs");
    assert_eq!(reasons(&full), ["RESOURCE:ENI", "RESOURCE:ENI"], "both full");
    let on_trunked = m5
        .tasks
        .iter()
        .filter(|t| short_id(&t.container_instance_arn) == "m5")
        .count();
    assert_eq!(on_trunked, 20);
}

/// 3. `assignPublicIp=ENABLED` is for Fargate only: EC2 (given or the default) refuses it.
#[test]
fn public_ips_are_refused_for_the_ec2_launch_type() {
    let mut s = cluster(&[("c5", "c5.large", json!({}))]);
    for launch_type in ["", "--launch-type EC2 "] {
        let error = err(
            &mut s,
            &format!(
                "aws ecs run-task --task-definition eni {launch_type}--network-configuration awsvpcConfiguration={{subnets=[subnet-a],assignPublicIp=ENABLED}}"
            ),
        );
        assert_eq!(error.message, "Assign public IP is not supported for this launch type.");
        assert_eq!(error.kind.aws_exception(), Some("InvalidParameterException"));
    }
    let error = err(
        &mut s,
        "aws ecs create-service --service-name web --task-definition eni --desired-count 1 --network-configuration awsvpcConfiguration={subnets=[subnet-a],assignPublicIp=ENABLED}",
    );
    assert_eq!(error.message, "Assign public IP is not supported for this launch type.");
    let disabled = ok(
        &mut s,
        "aws ecs run-task --task-definition eni --network-configuration awsvpcConfiguration={subnets=[subnet-a],assignPublicIp=DISABLED}",
    );
    assert_eq!(placed(&disabled), ["c5"]);
}

/// 4. Shorthand as AWS CLI 1.45.11 reads it. Spaces in an unquoted expression are fine, with no
///    warning; a comma splits the value into a list, and botocore refuses the list. The error is
///    what `aws ecs run-task --task-definition app --placement-constraints 'type=memberOf,expression=attribute:ecs.availability-zone in [us-east-1a, us-east-1b]' --endpoint-url http://127.0.0.1:9`
///    prints.
#[test]
fn shorthand_reads_as_the_aws_cli_does() {
    let mut s = cluster(&[("m5", "m5.large", json!({})), ("t2", "t2.small", json!({}))]);
    let spaces = ok(
        &mut s,
        r#"aws ecs run-task --task-definition app --placement-constraints type="memberOf",expression="attribute:ecs.instance-type == t2.small""#,
    );
    assert_eq!(placed(&spaces), ["t2"]);
    let error = err(
        &mut s,
        "aws ecs run-task --task-definition app --placement-constraints 'type=memberOf,expression=attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'",
    );
    assert_eq!(
        error.message,
        "Parameter validation failed:\nInvalid type for parameter placementConstraints[0].expression, value: ['attribute:ecs.availability-zone in [us-east-1a', 'us-east-1b]'], type: <class 'list'>, valid types: <class 'str'>"
    );
    let quoted = ok(
        &mut s,
        r#"aws ecs run-task --task-definition app --placement-constraints 'type=memberOf,expression="attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"'"#,
    );
    assert_eq!(placed(&quoted).len(), 1);
}

/// 4, continued: 800 random shorthand texts read exactly as AWS CLI 1.45.11's own parser reads
/// them: the same value, or the same error (first line) with the caret at the same place. The
/// expectations come from `fixtures/shorthand/generate.py`, which runs that parser.
#[test]
fn shorthand_agrees_with_aws_cli_on_random_texts() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/shorthand/aws-cli-cases.json")).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 800);
    for case in cases {
        let input = case["input"].as_str().unwrap();
        match (aws::shorthand::parse(input), case.get("value")) {
            (Ok(value), Some(expected)) => assert_eq!(&value, expected, "{input:?}"),
            (Err(error), None) => {
                let mut lines = error.message.lines();
                assert_eq!(lines.next(), case["error"].as_str(), "{input:?}");
                let caret = lines.nth(1).map(|l| l.chars().count() - 1);
                assert_eq!(caret, case["caret"].as_u64().map(|c| c as usize), "{input:?}");
            }
            (got, _) => panic!("{input:?}: got {got:?}, the AWS CLI: {case}"),
        }
    }
}

/// 5. `startedBy`: up to 128 letters, numbers, hyphens, forward slashes and underscores.
#[test]
fn started_by_is_validated() {
    let mut s = cluster(&[("m5", "m5.large", json!({}))]);
    let long = "a".repeat(151);
    for bad in ["'nightly job.1'", long.as_str()] {
        let error = err(
            &mut s,
            &format!("aws ecs run-task --task-definition app --started-by {bad}"),
        );
        assert_eq!(
            error.message,
            "startedBy: Up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slash (/), and underscores (_) are allowed."
        );
        assert_eq!(error.kind.aws_exception(), Some("InvalidParameterException"));
    }
    let longest = "b".repeat(128);
    for good in ["nightly-job/1_A", longest.as_str()] {
        let response = ok(
            &mut s,
            &format!("aws ecs run-task --task-definition app --started-by {good}"),
        );
        assert_eq!(response["tasks"][0]["startedBy"], good);
    }
}

/// 6. Response details: `createdAt`, `enableExecuteCommand`, `attributes`, the `overrides` echo
///    with its values, an ENI attachment ATTACHED with its details once the task runs, a
///    container instance's `version` counting every change, and containers for preset tasks.
#[test]
fn responses_carry_the_details_real_ones_have() {
    let mut s = cluster(&[("m5", "m5.large", json!({}))]);
    let run = ok(
        &mut s,
        "aws ecs run-task --task-definition app --enable-execute-command --overrides containerOverrides=[{name=app,cpu=64,environment=[{name=A,value=1}]}]",
    );
    let task = &run["tasks"][0];
    assert_eq!(task["enableExecuteCommand"], true);
    assert_eq!(
        task["attributes"],
        json!([{"name": "ecs.cpu-architecture", "value": "x86_64"}])
    );
    let created = task["createdAt"].as_str().unwrap().to_string();
    let expected_overrides = json!({
        "containerOverrides": [
            {"name": "app", "cpu": 64, "environment": [{"name": "A", "value": "1"}]},
            {"name": "side"}
        ],
        "inferenceAcceleratorOverrides": []
    });
    assert_eq!(task["overrides"], expected_overrides);
    let arn = task["taskArn"].as_str().unwrap().to_string();
    let described = ok(&mut s, &format!("aws ecs describe-tasks --tasks {arn}"));
    let described = &described["tasks"][0];
    assert_eq!(described["overrides"], expected_overrides, "kept for describe-tasks");
    assert_eq!(described["createdAt"], created.as_str());
    assert_eq!(described["enableExecuteCommand"], true);
    assert_eq!(described["containers"].as_array().unwrap().len(), 2);

    // The ENI: PRECREATED with its subnet in RunTask's answer, ATTACHED with details after.
    let eni = ok(
        &mut s,
        "aws ecs run-task --task-definition eni --network-configuration awsvpcConfiguration={subnets=[subnet-a]}",
    );
    let attachment = &eni["tasks"][0]["attachments"][0];
    assert_eq!(attachment["status"], "PRECREATED");
    assert_eq!(
        attachment["details"],
        json!([{"name": "subnetId", "value": "subnet-a"}])
    );
    let arn = eni["tasks"][0]["taskArn"].as_str().unwrap().to_string();
    let running = ok(&mut s, &format!("aws ecs describe-tasks --tasks {arn}"));
    let attachment = &running["tasks"][0]["attachments"][0];
    assert_eq!(attachment["status"], "ATTACHED");
    let names: Vec<&str> = attachment["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "subnetId",
            "networkInterfaceId",
            "macAddress",
            "privateDnsName",
            "privateIPv4Address"
        ]
    );
    assert_eq!(attachment["details"][0]["value"], "subnet-a");
    let interface = &running["tasks"][0]["containers"][0]["networkInterfaces"][0];
    assert_eq!(interface["attachmentId"], attachment["id"]);
    assert_eq!(interface["privateIpv4Address"], attachment["details"][4]["value"]);

    // The instance's version: 1, then one more per task placed, stopped, attribute and status.
    let version = |s: &mut Scenario| {
        ok(s, "aws ecs describe-container-instances --container-instances m5")["containerInstances"][0]["version"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(version(&mut s), 3, "two tasks placed");
    ok(&mut s, &format!("aws ecs stop-task --task {arn}"));
    assert_eq!(version(&mut s), 4);
    ok(
        &mut s,
        "aws ecs put-attributes --attributes name=stack,value=prod,targetType=container-instance,targetId=m5",
    );
    assert_eq!(version(&mut s), 5);
    ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances m5 --status DRAINING",
    );
    assert_eq!(version(&mut s), 6);
    let stopped = ok(&mut s, &format!("aws ecs describe-tasks --tasks {arn}"));
    assert_eq!(stopped["tasks"][0]["attachments"][0]["status"], "DELETED");

    // Preset tasks whose definition the scenario lacks get a container named after the family.
    let mut sample = ecs_placement::presets::sample().unwrap();
    let tasks = ok(
        &mut sample,
        "aws ecs describe-tasks --tasks a1f0000000000000000000000000000a",
    );
    let containers = &tasks["tasks"][0]["containers"];
    assert_eq!(containers[0]["name"], "web");
    assert_eq!(containers[0]["networkBindings"][0]["hostPort"], 80);
}

/// 7. A volume driver with a tag: the required attribute has `.` for the tag's `:` (as the ECS
///    agent registers plugins), and the task places on the EBS blog cluster.
#[test]
fn tagged_volume_drivers_place_on_the_ebs_cluster() {
    let mut s = scenario_file("ebs-cluster.json");
    ok(
        &mut s,
        r#"aws ecs register-task-definition --family tagged --container-definitions '[{"name":"db","image":"mysql","memory":256}]' --volumes '[{"name":"v","dockerVolumeConfiguration":{"driver":"rexray/ebs:latest","scope":"shared","autoprovision":true}}]'"#,
    );
    let definition = ok(&mut s, "aws ecs describe-task-definition --task-definition tagged");
    let required: Vec<&str> = definition["taskDefinition"]["requiresAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(required, ["ecs.capability.docker-plugin.rexray/ebs.latest"]);
    let response = ok(
        &mut s,
        "aws ecs run-task --cluster rexray-demo --task-definition tagged --count 3",
    );
    let mut on = placed(&response);
    on.sort();
    assert!(
        on.iter().all(|i| i.starts_with("ebs-node-")),
        "only the instances with the plugin: {on:?}"
    );
    assert_eq!(reasons(&response), Vec::<String>::new());
}

/// botocore's output shapes of the operations the responses come from.
const SHAPES: &str = include_str!("fixtures/botocore/ecs-output-shapes.json");

/// Checks `value` against the botocore shape `name`: every member is one the shape has, with
/// the JSON type its shape wants (timestamps as the ISO-8601 text the AWS CLI prints).
fn check_shape(shapes: &Value, name: &str, value: &Value, path: &str, errors: &mut Vec<String>) {
    let shape = &shapes[name];
    let kind = shape["type"].as_str().unwrap_or_default();
    match (kind, value) {
        ("structure", Value::Object(members)) => {
            for (key, member) in members {
                match shape["members"][key].as_str() {
                    Some(member_shape) => check_shape(shapes, member_shape, member, &format!("{path}.{key}"), errors),
                    None => errors.push(format!("{path}.{key}: not a member of {name}")),
                }
            }
        }
        ("list", Value::Array(items)) => {
            let inner = shape["member"].as_str().unwrap_or_default();
            for (index, item) in items.iter().enumerate() {
                check_shape(shapes, inner, item, &format!("{path}[{index}]"), errors);
            }
        }
        ("map", Value::Object(entries)) => {
            let inner = shape["value"].as_str().unwrap_or_default();
            for (key, item) in entries {
                check_shape(shapes, inner, item, &format!("{path}.{key}"), errors);
            }
        }
        ("string", Value::String(text)) => {
            if let Some(allowed) = shape["enum"].as_array() {
                if !allowed.iter().any(|a| a == text) {
                    errors.push(format!("{path}: `{text}` is not one of {name}'s values"));
                }
            }
        }
        ("integer" | "long", Value::Number(n)) if n.is_i64() => {}
        ("double" | "float", Value::Number(_)) | ("boolean", Value::Bool(_)) => {}
        ("timestamp", Value::String(text)) => {
            if ecs_placement::time::Timestamp::parse(text).is_none() {
                errors.push(format!("{path}: `{text}` is not a timestamp"));
            }
        }
        _ => errors.push(format!("{path}: {value} is not a {kind} ({name})")),
    }
}

fn assert_shape(operation: &str, response: &Value) {
    let shapes: Value = serde_json::from_str(SHAPES).unwrap();
    let output = shapes["operations"][operation].as_str().unwrap().to_string();
    let mut errors = Vec::new();
    check_shape(&shapes["shapes"], &output, response, operation, &mut errors);
    assert!(errors.is_empty(), "{operation}: {errors:#?}");
}

/// 6, continued: the responses the divergences concern have botocore's output shapes.
#[test]
fn responses_have_botocores_output_shapes() {
    // The check finds what botocore would not accept.
    let shapes: Value = serde_json::from_str(SHAPES).unwrap();
    let mut errors = Vec::new();
    let bad = json!({"tasks": [{"bogus": 1, "version": "2", "lastStatus": 3, "createdAt": "yesterday"}]});
    check_shape(
        &shapes["shapes"],
        "DescribeTasksResponse",
        &bad,
        "DescribeTasks",
        &mut errors,
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");

    let mut s = scenario_file("blog-cluster.json");
    ok(
        &mut s,
        r#"aws ecs register-task-definition --family e --network-mode awsvpc --container-definitions '[{"name":"e","memory":64,"portMappings":[{"containerPort":80}]}]'"#,
    );
    let run = ok(
        &mut s,
        "aws ecs run-task --task-definition e --count 2 --enable-execute-command --started-by nightly/job_1 --overrides containerOverrides=[{name=e,cpu=64}] --network-configuration awsvpcConfiguration={subnets=[subnet-0aaa1111]}",
    );
    assert_shape("RunTask", &run);
    let arns: Vec<String> = run["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["taskArn"].as_str().unwrap().to_string())
        .collect();
    let instance = run["tasks"][0]["containerInstanceArn"].as_str().unwrap().to_string();
    assert_shape(
        "DescribeTasks",
        &ok(&mut s, &format!("aws ecs describe-tasks --tasks {}", arns.join(" "))),
    );
    assert_shape(
        "StopTask",
        &ok(&mut s, &format!("aws ecs stop-task --task {}", arns[0])),
    );
    assert_shape(
        "DescribeTasks",
        &ok(&mut s, &format!("aws ecs describe-tasks --tasks {}", arns[0])),
    );
    assert_shape(
        "DescribeContainerInstances",
        &ok(
            &mut s,
            &format!("aws ecs describe-container-instances --container-instances {instance} a1-micro"),
        ),
    );
    let mut sample = ecs_placement::presets::sample().unwrap();
    let tasks = ok(&mut sample, "aws ecs list-tasks")["taskArns"].clone();
    let all: Vec<&str> = tasks.as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    for batch in all.chunks(100) {
        assert_shape(
            "DescribeTasks",
            &ok(
                &mut sample,
                &format!("aws ecs describe-tasks --tasks {}", batch.join(" ")),
            ),
        );
    }
}
