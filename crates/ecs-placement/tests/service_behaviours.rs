//! One case per documented service-scheduler behaviour (`ecs-placement-spec.md` §6 and decisions
//! D12, D16, D17), run through the AWS command layer and cluster edits as users run them.

mod service_support;

use ecs_placement::Scenario;
use ecs_placement::edit::{self, ClusterEdit};
use ecs_placement::engine::{Decision, SpreadField, Strategy, StrategySource};
use ecs_placement::service::{DaemonCause, PlaceReason, SchedulerStep, StopReason, StopWhy};
use serde_json::{Value, json};
use service_support::*;
use std::collections::BTreeMap;

#[test]
fn the_default_placement_is_az_balanced_then_instance_balanced() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    let report = ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 6",
    );
    assert_eq!(report.response.as_ref().unwrap()["service"]["runningCount"], 0);
    let step = placements(&report.scheduler)[0];
    assert_eq!(step.reason, PlaceReason::ScaleOut);
    assert_eq!(step.placement.call.strategy_source, StrategySource::ServiceDefault);
    assert_eq!(
        step.placement.call.strategies,
        [
            Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
            Strategy::Spread(SpreadField::Instance("instanceId".into())),
        ],
        "decision D12"
    );
    assert_eq!(step.placement.call.group, "service:web");
    assert!(running(&s, "web").values().all(|&n| n == 1), "{:?}", running(&s, "web"));
    assert!(zones(&s, "web").values().all(|&n| n == 2));
    let started_by: Vec<_> = s.tasks.iter().map(|t| t.started_by.clone().unwrap()).collect();
    assert!(
        started_by.iter().all(|b| b.starts_with("ecs-svc/") && b.len() == 27),
        "{started_by:?}"
    );
    assert_eq!(
        events(&report.scheduler).last().unwrap(),
        "(service web) has reached a steady state."
    );
}

/// Zone b has 3 of the 5 tasks, b1 two of them: D16 without strategies stops one on b1.
#[test]
fn scale_in_without_strategies_takes_the_busiest_zone_then_instance() {
    let tasks = vec![
        task("t1", "a1"),
        task("t2", "b1"),
        task("t3", "b1"),
        task("t4", "b2"),
        task("t5", "c1"),
    ];
    let mut s = scenario(six_instances(), tasks, vec![web(5, json!({}))]);
    let report = ok(&mut s, "aws ecs update-service --service web --desired-count 4");
    let stops = stopped(&report.scheduler);
    assert_eq!(stops.len(), 1);
    let (on, reason, why) = &stops[0];
    assert_eq!((on.as_str(), *reason), ("b1", StopReason::ScaleIn));
    let StopWhy::ScaleIn(choice) = why else {
        panic!("{why:?}")
    };
    assert_eq!(choice.candidates, 5);
    assert_eq!(choice.strategy_source, StrategySource::ServiceDefault);
    assert_eq!((choice.steps[0].kept, choice.steps[0].value), (3, 3), "zone b: 3 tasks");
    assert_eq!(choice.steps[0].label, "us-east-1b: 3 tasks of the service");
    assert_eq!((choice.steps[1].kept, choice.steps[1].value), (2, 2), "b1: 2 tasks");
    assert!(matches!(choice.decision, Decision::TieBreak { among: 2, seed: 5 }));
}

/// With spread(zone) then binpack(memory), D16 keeps zone balance, then stops the task whose
/// instance will have the most memory left.
#[test]
fn scale_in_with_strategies_reverses_each_step() {
    let mut instances = six_instances();
    instances[3] = instance("b2", "us-east-1b", 4096, 16384);
    let tasks = vec![
        task("t1", "a1"),
        task("t2", "b1"),
        task("t3", "b1"),
        task("t4", "b2"),
        task("t5", "c1"),
    ];
    let strategies = json!({"placementStrategy": [
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"}
    ]});
    let mut s = scenario(instances, tasks, vec![web(5, strategies)]);
    let report = ok(&mut s, "aws ecs update-service --service web --desired-count 4");
    let (on, _, why) = &stopped(&report.scheduler)[0];
    assert_eq!(
        on, "b2",
        "b2 keeps the most memory after the stop, although b1 runs more tasks"
    );
    let StopWhy::ScaleIn(choice) = why else { panic!() };
    assert_eq!(choice.steps[1].label, "b2: 16384 MiB left after the stop");
    assert!(matches!(choice.decision, Decision::Strategy { step: 1, .. }));
}

#[test]
fn binpack_scale_in_stops_on_the_instance_left_with_the_most() {
    let instances = vec![
        instance("small", "us-east-1a", 4096, 2048),
        instance("large", "us-east-1a", 4096, 8192),
    ];
    let strategy = json!({"placementStrategy": [{"type": "binpack", "field": "memory"}], "availabilityZoneRebalancing": "DISABLED"});
    let mut s = scenario(
        instances,
        vec![task("t1", "small"), task("t2", "large")],
        vec![web(2, strategy)],
    );
    let report = ok(&mut s, "aws ecs update-service --service web --desired-count 1");
    assert_eq!(stopped(&report.scheduler)[0].0, "large");
    let stopped_task = s.tasks.iter().find(|t| t.task_arn.ends_with("/t2")).unwrap();
    assert_eq!(
        stopped_task.details().stop_code.as_deref(),
        Some("ServiceSchedulerInitiated")
    );
    assert_eq!(
        stopped_task.details().stopped_reason.as_deref(),
        Some("Scaling activity initiated by (deployment ecs-svc/1000000000000000001)")
    );
    assert_eq!(running(&s, "web"), BTreeMap::from([("small".to_string(), 1)]));
}

#[test]
fn a_daemon_runs_once_on_each_active_instance() {
    let mut instances = six_instances();
    instances[1]["status"] = json!("DRAINING");
    let mut s = scenario(instances, vec![], vec![]);
    let report = ok(
        &mut s,
        "aws ecs create-service --service-name agent --task-definition agent --scheduling-strategy DAEMON",
    );
    assert_eq!(placements(&report.scheduler)[0].reason, PlaceReason::Daemon);
    assert_eq!(running(&s, "agent").len(), 5, "not on the draining a2");
    assert!(!running(&s, "agent").contains_key("a2"));
    let described = ok(&mut s, "aws ecs describe-services --services agent");
    assert_eq!(described.response.unwrap()["services"][0]["desiredCount"], 5);

    let add = ClusterEdit::from_value(
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1c", "count": 1}),
    )
    .unwrap();
    let outcome = edit::apply(&mut s, &add).unwrap();
    assert_eq!(
        placements(&outcome.scheduler).len(),
        1,
        "the new instance gets the daemon"
    );
    assert_eq!(running(&s, "agent").len(), 6);

    let report = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances b1 --status DRAINING",
    );
    let stops = stopped(&report.scheduler);
    assert_eq!(stops.len(), 1);
    assert_eq!(stops[0].0, "b1");
    assert_eq!(
        stops[0].2,
        StopWhy::DaemonIneligible {
            cause: DaemonCause::NotActive
        }
    );
    let report = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances a2 b1 --status ACTIVE",
    );
    assert_eq!(placed(&report.scheduler).len(), 2);
    assert!(
        running(&s, "agent").values().all(|&n| n == 1),
        "never twice on one instance"
    );
}

#[test]
fn a_daemon_follows_its_constraints_and_is_placed_before_replicas() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    ok(
        &mut s,
        "aws ecs create-service --service-name agent --task-definition agent --scheduling-strategy DAEMON --placement-constraints type=memberOf,expression=attribute:role==agent",
    );
    assert!(running(&s, "agent").is_empty());
    let report = ok(
        &mut s,
        "aws ecs put-attributes --attributes name=role,value=agent,targetId=c1,targetType=container-instance",
    );
    assert_eq!(placed(&report.scheduler), ["c1"]);
    let report = ok(
        &mut s,
        "aws ecs delete-attributes --attributes name=role,targetId=c1,targetType=container-instance",
    );
    let (_, reason, why) = &stopped(&report.scheduler)[0];
    assert_eq!(*reason, StopReason::DaemonIneligible);
    assert!(
        matches!(why, StopWhy::DaemonIneligible { cause: DaemonCause::ConstraintUnsatisfied { expression } } if expression == "attribute:role==agent")
    );
    ok(
        &mut s,
        "aws ecs update-service --service agent --placement-constraints '[]'",
    );
    assert_eq!(running(&s, "agent").len(), 6);
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition app --desired-count 1",
    );
    let add = ClusterEdit::from_value(
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1a", "count": 1}),
    )
    .unwrap();
    let outcome = edit::apply(&mut s, &add).unwrap();
    assert_eq!(
        placements(&outcome.scheduler)[0].service,
        "agent",
        "daemons are placed first"
    );
}

fn drain_setup(deployment: Value) -> Scenario {
    let instances = vec![
        instance("i1", "us-east-1a", 4096, 8192),
        instance("i2", "us-east-1b", 4096, 8192),
        instance("i3", "us-east-1a", 4096, 8192),
        instance("i4", "us-east-1b", 4096, 8192),
    ];
    let tasks = vec![task("t1", "i1"), task("t2", "i2")];
    let extra = json!({"deploymentConfiguration": deployment, "availabilityZoneRebalancing": "DISABLED"});
    scenario(instances, tasks, vec![web(2, extra)])
}

#[test]
fn draining_within_min_100_max_200_starts_the_replacement_first() {
    let mut s = drain_setup(json!({"maximumPercent": 200, "minimumHealthyPercent": 100}));
    let report = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances i1 --status DRAINING",
    );
    let kinds: Vec<&str> = report
        .scheduler
        .iter()
        .filter_map(|s| match s {
            SchedulerStep::Placement(_) => Some("placement"),
            SchedulerStep::Stop(_) => Some("stop"),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        ["placement", "stop"],
        "start first (max 200), then stop (min 100)"
    );
    assert_eq!(placements(&report.scheduler)[0].reason, PlaceReason::ReplaceDraining);
    assert_eq!(stopped(&report.scheduler)[0].1, StopReason::Draining);
    assert!(!running(&s, "web").contains_key("i1"));
    assert_eq!(running(&s, "web").values().sum::<usize>(), 2);
    let standalone = ok(&mut s, "aws ecs run-task --task-definition app");
    assert!(standalone.scheduler.is_empty(), "RunTask does not reconcile");
}

#[test]
fn draining_with_min_100_max_100_stalls_visibly() {
    let mut s = drain_setup(json!({"maximumPercent": 100, "minimumHealthyPercent": 100}));
    let report = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances i1 --status DRAINING",
    );
    assert!(placements(&report.scheduler).is_empty() && stopped(&report.scheduler).is_empty());
    assert_eq!(
        events(&report.scheduler),
        [
            "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
        ]
    );
    assert!(
        running(&s, "web").contains_key("i1"),
        "the task stays on the draining instance"
    );
    let (text, code) = error(&mut s, "aws ecs wait services-inactive --services web");
    assert_eq!(code, 255, "{text}");
    let report = ok(
        &mut s,
        "aws ecs update-service --service web --deployment-configuration minimumHealthyPercent=50",
    );
    assert_eq!(stopped(&report.scheduler).len(), 1, "min 50 allows the stop");
    assert_eq!(placed(&report.scheduler).len(), 1, "then the replacement");
    ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances i2 --status DRAINING",
    );
    let standalone_free = running(&s, "web");
    assert!(!standalone_free.contains_key("i1") && !standalone_free.contains_key("i2"));
}

#[test]
fn draining_leaves_standalone_tasks_alone() {
    let mut s = scenario(six_instances(), vec![], vec![]);
    ok(
        &mut s,
        "aws ecs run-task --task-definition app --count 6 --placement-strategy type=spread,field=instanceId",
    );
    let report = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances a1 --status DRAINING",
    );
    assert!(report.scheduler.is_empty());
    assert_eq!(s.tasks.iter().filter(|t| t.is_desired_running()).count(), 6);
}

#[test]
fn az_rebalancing_moves_a_task_to_the_zone_with_the_fewest() {
    let instances = vec![
        instance("a1", "us-east-1a", 4096, 8192),
        instance("b1", "us-east-1b", 4096, 8192),
        instance("c1", "us-east-1c", 4096, 8192),
    ];
    let tasks = vec![task("t1", "a1"), task("t2", "b1"), task("t3", "c1")];
    let mut s = scenario(instances, tasks, vec![web(3, json!({}))]);
    let drain = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances a1 --status DRAINING",
    );
    assert_eq!(
        zones(&s, "web").values().copied().max(),
        Some(2),
        "the replacement went to b or c"
    );
    assert!(
        !events(&drain.scheduler).iter().any(|e| e.contains("AZ balanced")),
        "zone a has no ACTIVE instance"
    );
    let back = ok(
        &mut s,
        "aws ecs update-container-instances-state --container-instances a1 --status ACTIVE",
    );
    let messages = events(&back.scheduler);
    assert!(
        messages[0].starts_with("(service web) is not AZ balanced with 0 tasks in us-east-1a, "),
        "{messages:?}"
    );
    assert!(messages[0].ends_with(". AZ Rebalancing in progress."));
    assert!(messages.iter().any(|e| {
        e.starts_with("(service web) has started 1 tasks in Availability Zone us-east-1a to AZ Rebalance: (task ")
    }));
    assert!(
        messages
            .iter()
            .any(|e| e.contains("running tasks in Availability Zone us-east-1") && e.contains("due to AZ rebalancing"))
    );
    assert!(messages.contains(&"(service web) is AZ balanced with 1 tasks in us-east-1a, 1 tasks in us-east-1b, and 1 tasks in us-east-1c.".to_string()));
    let step = placements(&back.scheduler)[0];
    assert_eq!(step.reason, PlaceReason::Rebalance);
    assert_eq!(
        step.placement.call.constraints[0].expression.as_deref(),
        Some("attribute:ecs.availability-zone == 'us-east-1a'")
    );
    let (_, reason, why) = &stopped(&back.scheduler)[0];
    assert_eq!(*reason, StopReason::Rebalance);
    assert!(
        matches!(why, StopWhy::Rebalance { zone_tasks: 2, fewest_zone, fewest_tasks: 0, .. } if fewest_zone == "us-east-1a")
    );
    assert!(zones(&s, "web").values().all(|&n| n == 1));
}

#[test]
fn az_rebalancing_only_when_enabled_and_the_chain_starts_with_zone_spread() {
    for extra in [
        json!({"availabilityZoneRebalancing": "DISABLED"}),
        json!({"placementStrategy": [{"type": "binpack", "field": "memory"}]}),
    ] {
        let instances = vec![
            instance("a1", "us-east-1a", 4096, 8192),
            instance("b1", "us-east-1b", 4096, 8192),
        ];
        let tasks = vec![task("t1", "b1"), task("t2", "b1")];
        let mut s = scenario(instances, tasks, vec![web(2, extra.clone())]);
        let report = ok(&mut s, "aws ecs update-service --service web --desired-count 2");
        assert!(
            report
                .scheduler
                .iter()
                .all(|s| !matches!(s, SchedulerStep::Placement(_))),
            "{extra}"
        );
        assert_eq!(zones(&s, "web").get("us-east-1b"), Some(&2));
    }
}

fn unplaceable(definition: &str, instances: Vec<Value>) -> String {
    let mut s = scenario(instances, vec![], vec![]);
    let line = format!("aws ecs create-service --service-name web --task-definition {definition} --desired-count 2");
    let report = ok(&mut s, &line);
    let messages = events(&report.scheduler);
    messages
        .into_iter()
        .find(|e| e.contains("unable to place"))
        .unwrap_or_else(|| panic!("{definition}: no unable-to-place event"))
}

#[test]
fn unplaceable_services_say_why_in_aws_words() {
    let head = "(service web) was unable to place a task because no container instance met all of its requirements.";
    let tail = "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
    let pair = |a: (i64, i64), b: (i64, i64)| {
        vec![
            instance("x1", "us-east-1a", a.0, a.1),
            instance("x2", "us-east-1a", b.0, b.1),
        ]
    };
    let closest = |id: &str, why: &str| format!("{head} The closest matching (container-instance {id}) {why}. {tail}");
    assert_eq!(
        unplaceable("big", pair((4096, 2048), (4096, 1024))),
        closest("x1", "has insufficient memory available")
    );
    assert_eq!(
        unplaceable("big", pair((128, 8192), (4096, 1024))),
        closest("x2", "has insufficient memory available"),
        "x2 passes the CPU check x1 fails: it is the closest match (decision D14's order)"
    );
    assert_eq!(
        unplaceable("cpu", pair((1024, 8192), (2048, 8192))),
        closest("x1", "has insufficient CPU units available")
    );
    assert_eq!(
        unplaceable("web80", vec![instance("only", "us-east-1a", 4096, 8192)]),
        closest("only", "is already using a port required by your task")
    );
    assert_eq!(
        unplaceable("ebs", pair((4096, 8192), (4096, 8192))),
        closest("x1", "is missing an attribute required by your task")
    );
    assert_eq!(
        unplaceable("app", vec![]),
        format!("{head} Reason: No Container Instances were found in your cluster.")
    );
}

#[test]
fn a_repeated_event_is_not_recorded_again() {
    let mut s = scenario(vec![instance("m1", "us-east-1a", 4096, 2048)], vec![], vec![]);
    ok(
        &mut s,
        "aws ecs create-service --service-name web --task-definition big --desired-count 1",
    );
    let again = ok(
        &mut s,
        "aws ecs put-attributes --attributes name=color,value=blue,targetId=m1,targetType=container-instance",
    );
    assert_eq!(placements(&again.scheduler).len(), 1, "the scheduler tries again");
    assert!(events(&again.scheduler).is_empty(), "but says nothing new");
    assert_eq!(s.services[0].events.len(), 1);
}

#[test]
fn a_stopped_service_task_is_replaced() {
    let mut s = scenario(
        six_instances(),
        vec![task("t1", "a1"), task("t2", "b1")],
        vec![web(2, json!({}))],
    );
    let report = ok(&mut s, "aws ecs stop-task --task t1");
    assert_eq!(report.response.unwrap()["task"]["stopCode"], "UserInitiated");
    assert_eq!(placements(&report.scheduler)[0].reason, PlaceReason::ScaleOut);
    assert_eq!(running(&s, "web").values().sum::<usize>(), 2);
}

/// Cluster edits settle the cluster too: draining an instance or removing one moves the service's
/// tasks, and a task the scheduler placed after an edit is explained on demand.
#[test]
fn cluster_edits_reconcile_services() {
    let tasks = vec![task("t1", "a1"), task("t2", "b1"), task("t3", "c1")];
    let mut s = scenario(six_instances(), tasks, vec![web(3, json!({}))]);
    let drain = ClusterEdit::from_value(json!({"type": "setStatus", "instance": "a1", "status": "DRAINING"})).unwrap();
    let before = s.clone();
    let outcome = edit::apply(&mut s, &drain).unwrap();
    let on = placed(&outcome.scheduler);
    assert_eq!(
        on.len(),
        2,
        "a replacement (zone a still counts its draining task), then AZ rebalancing"
    );
    assert_eq!(on[1], "a2", "rebalancing brings a task back to zone a");
    assert_eq!(stopped(&outcome.scheduler)[0].1, StopReason::Draining);
    assert!(zones(&s, "web").values().all(|&n| n == 1));
    let index = outcome
        .scheduler
        .iter()
        .position(|step| matches!(step, SchedulerStep::Placement(_)))
        .unwrap();
    let explained = edit::explain_task(&before, &drain, index, 1).unwrap();
    assert_eq!(
        explained.tasks[0]
            .placed_on
            .as_deref()
            .map(ecs_placement::model::short_id),
        Some(on[0].as_str()),
        "the first placement after the edit, explained"
    );
    let remove = ClusterEdit::from_value(json!({"type": "removeInstance", "instance": "b1"})).unwrap();
    let outcome = edit::apply(&mut s, &remove).unwrap();
    assert_eq!(placed(&outcome.scheduler), ["b2"]);
    assert_eq!(running(&s, "web").values().sum::<usize>(), 3);
    let plain =
        ClusterEdit::from_value(json!({"type": "setAgentConnected", "instance": "c2", "connected": false})).unwrap();
    assert!(
        edit::apply(&mut s, &plain).unwrap().scheduler.is_empty(),
        "nothing to do: no step"
    );
}

/// The stop reasons serialize in camelCase, fields included (the page reads them).
#[test]
fn stop_reasons_serialize_in_camel_case() {
    let instances = vec![
        instance("a1", "us-east-1a", 4096, 8192),
        instance("b1", "us-east-1b", 4096, 8192),
    ];
    let mut s = scenario(
        instances,
        vec![task("t1", "b1"), task("t2", "b1")],
        vec![web(2, json!({}))],
    );
    let report = ok(&mut s, "aws ecs update-service --service web --desired-count 2");
    let stop = report
        .scheduler
        .iter()
        .find(|step| matches!(step, SchedulerStep::Stop(_)))
        .unwrap();
    let why = &serde_json::to_value(stop).unwrap()["tasks"][0]["why"];
    assert_eq!(why["kind"], "rebalance");
    assert_eq!(
        (why["zoneTasks"].as_u64(), why["fewestTasks"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(why["fewestZone"], "us-east-1a");
    assert_eq!(why["choice"]["strategySource"], "serviceDefault");
    let cause = serde_json::to_value(StopWhy::DaemonIneligible {
        cause: DaemonCause::ConstraintUnsatisfied { expression: "x".into() },
    })
    .unwrap();
    assert_eq!(
        cause,
        json!({"kind": "daemonIneligible", "cause": {"kind": "constraintUnsatisfied", "expression": "x"}})
    );
}
