//! The use cases of the blog posts the product grew from (`shared/reference/seed-aws-blog-posts.txt`),
//! run from the scenario fixtures and scripts in `tests/scenarios/` exactly as a user would run
//! them with `placement script`, with their outcomes asserted and a transcript snapshot.

use ecs_placement::aws::{self, CommandReport, FileSource, Options};
use ecs_placement::engine::Explain;
use ecs_placement::model::short_id;
use ecs_placement::{Error, Scenario, json};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

struct Files;

impl FileSource for Files {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(scenarios_dir().join(path)).map_err(|e| e.to_string())
    }
}

/// What a command of a use case produced, with the accessors the assertions need.
trait Step {
    fn outcome(&self) -> &Value;
    fn error(&self) -> &Error;
    fn placed(&self) -> Vec<String>;
    fn failures(&self) -> Vec<(String, String)>;
    fn warnings(&self) -> String;
}

impl Step for CommandReport {
    /// The response (the command must have succeeded).
    fn outcome(&self) -> &Value {
        match (&self.response, &self.error) {
            (Some(response), _) => response,
            (None, error) => panic!(
                "`{}` failed: {:?}",
                self.words.join(" "),
                error.as_ref().map(|e| &e.text)
            ),
        }
    }

    fn error(&self) -> &Error {
        match &self.error {
            Some(error) => &error.error,
            None => panic!("`{}` should have failed", self.words.join(" ")),
        }
    }

    /// Short IDs of the instances the tasks of a run-task response went to, in order.
    fn placed(&self) -> Vec<String> {
        tasks(self.outcome())
            .iter()
            .map(|t| short(t, "containerInstanceArn"))
            .collect()
    }

    /// (short instance ID, reason) of a run-task response's failures.
    fn failures(&self) -> Vec<(String, String)> {
        let failures = self
            .outcome()
            .get("failures")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        failures
            .iter()
            .map(|f| (short(f, "arn"), f["reason"].as_str().unwrap_or_default().to_string()))
            .collect()
    }

    fn warnings(&self) -> String {
        self.warnings.join("\n")
    }
}

fn tasks(response: &Value) -> Vec<Value> {
    response
        .get("tasks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn short(value: &Value, key: &str) -> String {
    short_id(value[key].as_str().unwrap_or_default()).to_string()
}

struct Run {
    scenario: Scenario,
    steps: Vec<CommandReport>,
}

/// Runs every command of `script` on `scenario_file` with explanations, going on after errors.
fn run(scenario_file: &str, script: &str) -> Run {
    let dir = scenarios_dir();
    let mut scenario = Scenario::from_json(&std::fs::read_to_string(dir.join(scenario_file)).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.join(script)).unwrap();
    let options = Options {
        explain: Explain::All,
        what_if: false,
        scheduler_step: None,
    };
    let steps = aws::run_script(&mut scenario, &text, &Files, options, true).unwrap();
    Run { scenario, steps }
}

/// A readable transcript: each command, its warnings, and a summary of its response or error.
fn transcript(run: &Run) -> String {
    let mut out = String::new();
    for step in &run.steps {
        out.push_str(&format!("$ {}\n", step.words.join(" ")));
        for warning in &step.warnings {
            let label = if warning.starts_with("warning:") {
                ""
            } else {
                "warning: "
            };
            out.push_str(&format!("{label}{warning}\n"));
        }
        match (&step.response, &step.error) {
            (Some(response), _) => out.push_str(&summarize(step.operation.unwrap_or_default(), response)),
            (None, Some(error)) => out.push_str(&format!("{}\n", error.text)),
            (None, None) => {}
        }
        out.push('\n');
    }
    out
}

fn summarize(operation: &str, response: &Value) -> String {
    if operation != "RunTask" {
        return format!("{}\n", json::to_pretty(response));
    }
    let mut out = String::new();
    for task in tasks(response) {
        out.push_str(&format!(
            "placed {} on {} ({})\n",
            short(&task, "taskArn"),
            short(&task, "containerInstanceArn"),
            task["availabilityZone"].as_str().unwrap_or("?")
        ));
    }
    for failure in response["failures"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "failure {}: {} ({})\n",
            short(failure, "arn"),
            failure["reason"].as_str().unwrap_or(""),
            failure["detail"].as_str().unwrap_or("")
        ));
    }
    out
}

fn zone_of(scenario: &Scenario, instance: &str) -> String {
    let index = scenario.instance_index(instance).unwrap();
    scenario.instances[index].availability_zone().unwrap().to_string()
}

fn counts(items: &[String]) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for item in items {
        *map.entry(item.clone()).or_insert(0) += 1;
    }
    map
}

#[test]
fn mariya_one_task_then_ten_random() {
    let run = run("blog-cluster.json", "mariya.sh");
    assert_eq!(run.steps[0].placed().len(), 1);
    let ten = run.steps[1].placed();
    assert_eq!(ten.len(), 10);
    assert!(run.steps[1].failures().is_empty());
    assert!(counts(&ten).len() >= 4, "random placement uses many instances: {ten:?}");
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn christopher_spread_over_hosts() {
    let run = run("blog-cluster.json", "christopher.sh");
    let placed = run.steps[0].placed();
    assert_eq!(placed.len(), 9);
    assert_eq!(counts(&placed).len(), 9, "9 tasks on 9 different instances: {placed:?}");
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn ming_ya_one_monitor_per_instance() {
    let run = run("blog-cluster.json", "ming-ya.sh");
    let first = run.steps[0].placed();
    let second = run.steps[1].placed();
    assert_eq!((first.len(), second.len()), (10, 2));
    let all: BTreeSet<String> = first.iter().chain(&second).cloned().collect();
    assert_eq!(all.len(), 12, "one monitor on each of the 12 instances");
    let failures = run.steps[1].failures();
    assert_eq!(failures.len(), 12);
    assert!(
        failures
            .iter()
            .all(|(_, reason)| reason == "DistinctInstance placement constraint unsatisfied.")
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn alex_webservers_next_to_caches() {
    let run = run("blog-cluster.json", "alex.sh");
    let caches: BTreeSet<String> = run.steps[0].placed().into_iter().collect();
    assert_eq!(caches.len(), 9, "distinct instances");
    let webservers = run.steps[1].placed();
    assert_eq!(webservers.len(), 9);
    assert_eq!(
        webservers.iter().cloned().collect::<BTreeSet<_>>(),
        caches,
        "each webserver next to a cache, one per instance"
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn jake_spread_zones_then_binpack_memory() {
    let run = run("blog-cluster.json", "jake.sh");
    let placed = run.steps[0].placed();
    let zones: Vec<String> = placed.iter().map(|i| zone_of(&run.scenario, i)).collect();
    assert_eq!(
        counts(&zones).values().copied().collect::<Vec<_>>(),
        vec![3, 3, 3],
        "3 tasks per zone"
    );
    assert_eq!(
        counts(&placed).keys().cloned().collect::<Vec<_>>(),
        vec!["a1-micro", "b1-micro", "c4-micro"],
        "within each zone binpack packs the instance with the least memory (a t2.micro)"
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn aditya_globs_select_no_gpu_instance_and_the_regex_does() {
    let run = run("blog-cluster.json", "aditya.sh");
    let as_written = &run.steps[0];
    assert!(as_written.placed().is_empty());
    let failures = as_written.failures();
    for gpu in ["a3-g2", "c3-p2"] {
        assert!(
            failures.contains(&(
                gpu.to_string(),
                "MemberOf placement constraint unsatisfied.".to_string()
            )),
            "{gpu} is not selected by `g2*` / `p2*`: {failures:?}"
        );
    }
    assert!(
        as_written.warnings().contains("`g2*` reads like a shell glob"),
        "{}",
        as_written.warnings()
    );
    assert!(as_written.warnings().contains("g2.*"), "suggests g2.*");
    let meant = run.steps[1].placed();
    assert_eq!(
        meant.into_iter().collect::<BTreeSet<_>>(),
        ["a3-g2", "c3-p2"].map(String::from).into()
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn the_other_commands_of_the_task_placement_post() {
    let run = run("blog-cluster.json", "task-placement-post.sh");
    let binpacked = run.steps[0].placed();
    assert_eq!(
        counts(&binpacked).len(),
        1,
        "binpack memory on t2.small packs one instance: {binpacked:?}"
    );
    assert!(["a2-small", "b2-small", "c1-small"].contains(&binpacked[0].as_str()));
    assert!(run.steps[0].warnings().contains("written twice"));
    let distinct = run.steps[1].placed();
    assert_eq!(counts(&distinct).len(), 5);
    assert!(
        !distinct.contains(&binpacked[0]),
        "that instance already runs nouvelleApp"
    );
    assert!(
        run.steps[2].warnings().contains("no `\\`"),
        "the line break after --placement-constraints was joined"
    );
    assert!(run.steps[2].placed().iter().all(|i| i.ends_with("micro")));
    assert!(run.steps[3].placed().iter().all(|i| i.ends_with("micro")));
    let affinity = &run.steps[4];
    assert!(affinity.placed().is_empty(), "no instance runs a webserver yet");
    for (instance, reason) in affinity.failures() {
        let expected = if instance == binpacked[0] {
            "RESOURCE:CPU"
        } else {
            "MemberOf placement constraint unsatisfied."
        };
        assert_eq!(
            reason, expected,
            "{instance}: the binpacked t2.small has no CPU left, which is checked before memberOf (D14)"
        );
    }
    let anti = &run.steps[5];
    assert!(anti.warnings().contains("typographic dash"));
    assert_eq!(
        counts(&anti.placed()).len(),
        5,
        "anti-affinity: one webserver per instance"
    );
    let listed = run.steps[10].outcome()["containerInstanceArns"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed, 9, "12 instances, 3 of them t2.micro");
    let blue = run.steps[11].outcome()["containerInstanceArns"].clone();
    assert_eq!(
        blue.as_array()
            .unwrap()
            .iter()
            .map(|v| short_id(v.as_str().unwrap()))
            .collect::<Vec<_>>(),
        ["b3-m5"]
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn ebs_walkthrough_mysql_follows_its_volume() {
    let run = run("ebs-cluster.json", "ebs-mysql.sh");
    let registered = &run.steps[0].outcome()["taskDefinition"];
    let required: Vec<&str> = registered["requiresAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        required.contains(&"ecs.capability.docker-plugin.rexray/ebs"),
        "{required:?}"
    );
    assert!(required.contains(&"ecs.capability.task-eni"));
    assert_eq!(run.steps[1].placed(), ["ebs-node-1"]);
    let text = run.steps[1].explanation.as_ref().unwrap().render();
    assert!(
        text.contains("plain-node")
            && text.contains("ATTRIBUTE (missing attribute ecs.capability.docker-plugin.rexray/ebs)"),
        "{text}"
    );
    assert!(text.contains("LOCATION"), "ebs-node-3 is in another zone: {text}");
    run.steps[2].outcome();
    assert_eq!(
        run.steps[3].placed(),
        ["ebs-node-2"],
        "the replacement goes to the other instance with the plugin in the volume's zone"
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn efs_walkthrough_fills_the_eni_slots() {
    let run = run("efs-cluster.json", "efs-space.sh");
    let placed = run.steps[1].placed();
    assert_eq!(
        counts(&placed).values().copied().collect::<Vec<_>>(),
        vec![2, 2],
        "2 task ENIs per m5.large"
    );
    let fifth = &run.steps[2];
    assert!(fifth.placed().is_empty());
    assert!(
        fifth.failures().iter().all(|(_, reason)| reason == "RESOURCE:ENI"),
        "{:?}",
        fifth.failures()
    );
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn private_registry_fargate_only_then_ec2() {
    let run = run("blog-cluster.json", "private-registry.sh");
    assert_eq!(
        run.steps[1].error().message,
        "Task definition does not support launch_type EC2."
    );
    assert_eq!(
        run.steps[1].error().kind.aws_exception(),
        Some("InvalidParameterException")
    );
    let registered = &run.steps[2].outcome()["taskDefinition"];
    assert!(
        registered
            .to_string()
            .contains("private-registry-authentication.secretsmanager")
    );
    assert_eq!(
        run.steps[3].placed(),
        ["b3-m5"],
        "the only instance in the subnet's zone with the capability"
    );
    insta::assert_snapshot!(transcript(&run));
}
