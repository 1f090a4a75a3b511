//! The service operations as AWS answers them: CreateService defaults, DeleteService and its
//! `--force`, validation and AWS's messages, DescribeServices' shape, the waiters, and services in
//! the scenario format.

mod service_support;

use ecs_placement::service::{ServiceStatus, StopReason, StopWhy};
use ecs_placement::{Scenario, json};
use serde_json::{Value, json};
use service_support::*;

#[test]
fn create_service_defaults_rebalancing_by_compatibility() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    let spread = ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 0",
    );
    assert_eq!(
        spread.response.unwrap()["service"]["availabilityZoneRebalancing"],
        "ENABLED"
    );
    let binpack = ok(
        &mut s,
        "aws ecs create-service --service-name packed --task-definition app --desired-count 0 --placement-strategy type=binpack,field=memory",
    );
    assert_eq!(
        binpack.response.unwrap()["service"]["availabilityZoneRebalancing"],
        "DISABLED"
    );
}

#[test]
fn delete_needs_force_while_scaled_above_zero() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 3",
    );
    let (text, code) = error(&mut s, "aws ecs delete-service --service web");
    assert_eq!(
        text,
        "An error occurred (InvalidParameterException) when calling the DeleteService operation: The service cannot be stopped while it is scaled above 0."
    );
    assert_eq!(code, 254);
    let report = ok(&mut s, "aws ecs delete-service --service web --force");
    let response = report.response.as_ref().unwrap();
    assert_eq!(
        (
            response["service"]["status"].as_str(),
            response["service"]["desiredCount"].as_u64()
        ),
        (Some("DRAINING"), Some(0))
    );
    assert_eq!(stopped(&report.scheduler).len(), 3);
    assert!(
        stopped(&report.scheduler)
            .iter()
            .all(|(_, r, w)| *r == StopReason::Delete && *w == StopWhy::ServiceDeleted)
    );
    assert_eq!(s.services[0].status, ServiceStatus::Inactive);
    ok(&mut s, "aws ecs wait services-inactive --services web");
    let listed = ok(&mut s, "aws ecs list-services");
    assert_eq!(listed.response.unwrap()["serviceArns"], json!([]));
    let (text, _) = error(&mut s, "aws ecs update-service --service web --desired-count 1");
    assert!(
        text.contains("(ServiceNotActiveException)") && text.ends_with("Service was not ACTIVE."),
        "{text}"
    );
    let (text, code) = error(&mut s, "aws ecs wait services-stable --services web");
    assert_eq!(code, 255);
    assert_eq!(
        text,
        "Waiter ServicesStable failed: Waiter encountered a terminal failure state: For expression \"services[].status\" we matched expected path: \"INACTIVE\" at least once"
    );
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 1",
    );
    assert_eq!(s.services.len(), 1, "the INACTIVE service of that name is replaced");

    ok(&mut s, "aws ecs update-service --service web --desired-count 0");
    let report = ok(&mut s, "aws ecs delete-service --service web");
    assert_eq!(
        report.response.unwrap()["service"]["status"],
        "DRAINING",
        "no --force needed at 0"
    );
}

#[test]
fn requests_are_validated_as_aws_does() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    let cases = [
        (
            "aws ecs create-service --service-name 'web site' --task-definition app --desired-count 1",
            "(InvalidParameterException)",
            "Invalid service name `web site`",
        ),
        (
            "aws ecs create-service --service-name agent --task-definition agent --scheduling-strategy DAEMON --desired-count 2",
            "(InvalidParameterException)",
            "The daemon scheduling strategy does not support a desired count for services.",
        ),
        (
            "aws ecs create-service --service-name agent --task-definition agent --scheduling-strategy DAEMON --placement-strategy type=random",
            "(InvalidParameterException)",
            "The daemon scheduling strategy does not support placement strategies.",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app",
            "(InvalidParameterException)",
            "desiredCount is required",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app --desired-count -1",
            "(InvalidParameterException)",
            "Member must have value greater than or equal to 0",
        ),
        (
            "aws ecs create-service --service-name web --task-definition nope --desired-count 1",
            "(ClientException)",
            "TaskDefinition not found.",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app --desired-count 1 --scheduling-strategy SOMETIMES",
            "(InvalidParameterException)",
            "enum value set: [REPLICA, DAEMON]",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app --desired-count 1 --placement-strategy type=random type=random type=random type=random type=random type=random",
            "(InvalidParameterException)",
            "6 placement strategies given; the maximum is 5",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app --desired-count 1 --deployment-configuration maximumPercent=50",
            "(InvalidParameterException)",
            "deploymentConfiguration.maximumPercent 50 is not valid",
        ),
        (
            "aws ecs create-service --service-name web --task-definition app --desired-count 1 --launch-type FARGATE",
            "(InvalidParameterException)",
            "Task definition does not support launch_type FARGATE.",
        ),
        (
            "aws ecs update-service --service nope --desired-count 1",
            "(ServiceNotFoundException)",
            "Service not found.",
        ),
        (
            "aws ecs delete-service --service nope",
            "(ServiceNotFoundException)",
            "Service not found.",
        ),
    ];
    for (line, exception, message) in cases {
        let (text, code) = error(&mut s, line);
        assert!(text.contains(exception) && text.contains(message), "{line}: {text}");
        assert_eq!(code, 254, "{line}");
    }
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("type=memberOf,expression=attribute:n{i}==x"))
        .collect();
    let (text, _) = error(
        &mut s,
        &format!(
            "aws ecs create-service --service-name web --task-definition app --desired-count 1 --placement-constraints {}",
            eleven.join(" ")
        ),
    );
    assert!(text.contains("11 placement constraints"), "{text}");
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 1",
    );
    let (text, _) = error(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 1",
    );
    assert!(text.ends_with("Creation of service was not idempotent."), "{text}");
    let (text, _) = error(&mut s, "aws ecs update-service --service web --task-definition big");
    assert!(
        text.contains("another task definition starts a new deployment"),
        "{text}"
    );
    let (text, code) = error(&mut s, "aws ecs create-service --task-definition app --desired-count 1");
    assert!(
        text.ends_with("the following arguments are required: --service-name"),
        "{text}"
    );
    assert_eq!(code, 252);
}

#[test]
fn describe_services_answers_in_aws_shape() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 3",
    );
    let described = ok(&mut s, "aws ecs describe-services --services web nope");
    insta::assert_snapshot!(json::to_pretty(described.response.as_ref().unwrap()));
    let waited = ok(&mut s, "aws ecs wait services-stable --services web");
    assert!(waited.response.is_none(), "a waiter prints nothing");
    let (text, code) = error(&mut s, "aws ecs wait services-stable --services web nope");
    assert_eq!(code, 255);
    assert!(
        text.ends_with("For expression \"failures[].reason\" we matched expected path: \"MISSING\" at least once"),
        "{text}"
    );
    ok(&mut s, "aws ecs update-service --service web --desired-count 4000");
    let (text, code) = error(&mut s, "aws ecs wait services-stable --services web");
    assert_eq!(
        (text.as_str(), code),
        ("Waiter ServicesStable failed: Max attempts exceeded", 255)
    );
}

/// A scenario with services saves and loads back byte for byte, and the version-1 scenarios of
/// the repository keep version 1.
#[test]
fn scenarios_with_services_round_trip() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    assert_eq!(s.version, 1);
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 5",
    );
    ok(&mut s, "aws ecs update-service --service web --desired-count 2");
    assert_eq!(s.version, 2);
    let saved = s.to_json_pretty();
    let loaded = Scenario::from_json(&saved).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(loaded.to_json_pretty(), saved);
    let mut old = serde_json::from_str::<Value>(&saved).unwrap();
    old["version"] = json!(1);
    let error = Scenario::from_value(old).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("services"));
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/aws")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// Real `describe-services` output: the EC2 services become the scenario's, their tasks are the
/// imported tasks of group `service:NAME`, and the scheduler runs on them.
#[test]
fn describe_services_output_imports() {
    use ecs_placement::import::{ServiceEvents, import_all};
    let (instances, tasks, services) = (
        fixture("describe-container-instances.json"),
        fixture("describe-tasks.json"),
        fixture("describe-services.json"),
    );
    let imported = import_all(&instances, Some(&tasks), Some((&services, ServiceEvents::Keep))).unwrap();
    let mut s = imported.scenario;
    let names: Vec<&str> = s.services.iter().map(|s| s.service_name.as_str()).collect();
    assert_eq!(names, ["checkout", "checkout-worker"], "reports runs on Fargate");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.starts_with("skipped service reports: launch type FARGATE"))
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("which the scenario does not have"))
    );
    assert_eq!(s.version, 2);
    assert_eq!(
        s.clock.map(|c| c.to_string()).as_deref(),
        Some("2024-05-02T09:31:12.870Z")
    );
    let checkout = &s.services[0];
    assert_eq!(checkout.deployment_id, "ecs-svc/1234567890123456789");
    assert_eq!(checkout.events.len(), 3);
    assert_eq!(checkout.deployment_configuration.minimum_healthy_percent, Some(100));
    let worker = &s.services[1];
    assert_eq!(
        worker.placement_constraints[0].expression.as_deref(),
        Some("attribute:ecs.instance-type =~ m5.*")
    );
    assert!(worker.network_configuration.is_some());
    let listed = ok(&mut s, "aws ecs list-tasks --cluster prod --service-name checkout");
    assert_eq!(listed.response.unwrap()["taskArns"].as_array().unwrap().len(), 1);
    let described = ok(
        &mut s,
        "aws ecs describe-services --cluster prod --services checkout checkout-worker",
    );
    let described = described.response.unwrap();
    assert_eq!(described["services"][0]["runningCount"], 1);
    assert_eq!(described["services"][1]["deployments"][0]["rolloutState"], "COMPLETED");
    ok(
        &mut s,
        "aws ecs wait services-stable --cluster prod --services checkout checkout-worker",
    );
    let dropped = import_all(&instances, Some(&tasks), Some((&services, ServiceEvents::Drop))).unwrap();
    assert!(dropped.scenario.services.iter().all(|s| s.events.is_empty()));
    let saved = s.to_json_pretty();
    assert_eq!(Scenario::from_json(&saved).unwrap().to_json_pretty(), saved);
}
