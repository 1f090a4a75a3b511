//! Every example expression of the AWS documentation and blog (spec §1.8, all 20) parses and
//! selects exactly the instances the documentation describes, on `tests/fixtures/docs-cluster.json`:
//!
//! | id | type | AZ | stack | agent | registered | tasks (desired RUNNING) |
//! |----|------|----|-------|-------|------------|-------------------------|
//! | a-t2small | t2.small | us-east-1a | prod | 1.14.4 | 2018-01-01 | service:production |
//! | b-t2medium | t2.medium | us-east-1b | dev | 1.14.5 | 2018-02-13 | database, databases |
//! | c-g2 | g2.2xlarge | us-east-1c | prod | 1.20.0 | 2019-05-05 | |
//! | d-g2 | g2.2xlarge | us-east-1d | (none) | 1.9.0 | 2017-12-31 | service:monitoring-daemon (+ a database task with desired status STOPPED) |
//! | e-p2 | p2.xlarge | us-east-1a | qa | 1.30.0 | 2020-01-01 | |
//! | f-t2micro | t2.micro | us-east-1b | prod | 1.68.0 | 2023-01-01 | service:production, service:monitoring-daemon |

use ecs_placement::Scenario;
use ecs_placement::query::{explain_instances, parse_expression};

fn cluster() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/docs-cluster.json");
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matching(cluster: &Scenario, source: &str) -> Vec<String> {
    let (expr, diagnostics) = parse_expression(source).unwrap_or_else(|e| panic!("{source}: {}", e.detailed()));
    assert!(diagnostics.is_empty(), "{source}: unexpected warnings {diagnostics:?}");
    explain_instances(cluster, &expr)
        .into_iter()
        .filter(|m| m.matched)
        .map(|m| ecs_placement::model::short_id(&m.container_instance_arn).to_string())
        .collect()
}

#[test]
fn the_twenty_documented_examples_select_what_the_docs_say() {
    let cluster = cluster();
    let cases: [(&str, &str, &[&str]); 20] = [
        (
            "1 instances of type t2.small",
            "attribute:ecs.instance-type == t2.small",
            &["a-t2small"],
        ),
        (
            "2 instances in either AZ",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            &["a-t2small", "b-t2medium", "e-p2", "f-t2micro"],
        ),
        (
            "3 G2 instances not in us-east-1d",
            "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
            &["c-g2"],
        ),
        (
            "4 task affinity",
            "task:group == service:production",
            &["a-t2small", "f-t2micro"],
        ),
        (
            "5 task anti-affinity (a STOPPED-desired database task does not count)",
            "not(task:group == database)",
            &["a-t2small", "c-g2", "d-g2", "e-p2", "f-t2micro"],
        ),
        (
            "6 exactly one running task",
            "runningTasksCount == 1",
            &["a-t2small", "d-g2"],
        ),
        (
            "7 agents older than 1.14.5 (1.9.0 is older)",
            "agentVersion < 1.14.5",
            &["a-t2small", "d-g2"],
        ),
        (
            "8 registered before 13 Feb 2018",
            "registeredAt < 2018-02-13",
            &["a-t2small", "d-g2"],
        ),
        (
            "9 those EC2 instances",
            "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
            &["a-t2small", "b-t2medium"],
        ),
        (
            "10 g2.2xlarge",
            "attribute:ecs.instance-type == g2.2xlarge",
            &["c-g2", "d-g2"],
        ),
        (
            "11 custom attribute",
            "attribute:stack == prod",
            &["a-t2small", "c-g2", "f-t2micro"],
        ),
        (
            "12 has stack, not prod (D5: d-g2 has no stack)",
            "attribute:stack != prod",
            &["b-t2medium", "e-p2"],
        ),
        (
            "13 list",
            "attribute:ecs.instance-type in [t2.small, t2.medium]",
            &["a-t2small", "b-t2medium"],
        ),
        (
            "14 t2 in us-east-1a",
            "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a",
            &["a-t2small"],
        ),
        (
            "15 Windows family",
            "attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL",
            &["e-p2"],
        ),
        (
            "16 all t2",
            "attribute:ecs.instance-type =~ t2.*",
            &["a-t2small", "b-t2medium", "f-t2micro"],
        ),
        (
            "17 group databases (not database)",
            "task:group == databases",
            &["b-t2medium"],
        ),
        (
            "18 where the daemon runs",
            "task:group == service:monitoring-daemon",
            &["d-g2", "f-t2micro"],
        ),
        ("19 p2.xlarge", "attribute:ecs.instance-type == p2.xlarge", &["e-p2"]),
        (
            "20 word operator",
            "attribute:ecs.instance-type matches t2.*",
            &["a-t2small", "b-t2medium", "f-t2micro"],
        ),
    ];
    for (what, source, expected) in cases {
        assert_eq!(matching(&cluster, source), expected, "example {what}: {source}");
    }
}

#[test]
fn documentation_placeholders_are_explained() {
    for source in [
        "task:group == service:<daemon-service>",
        "attribute:ecs.os-family == WINDOWS_SERVER_<OS_Release>_<FULL or CORE>",
    ] {
        let parsed = ecs_placement::cql::parse(source);
        assert!(parsed.expr.is_none());
        assert!(
            parsed.diagnostics.iter().any(|d| d.message.contains("placeholder")),
            "{source}: {:?}",
            parsed.diagnostics
        );
    }
}
