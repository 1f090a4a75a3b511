//! The use cases of the blog posts the product grew from (`shared/reference/seed-aws-blog-posts.txt`),
//! run from the scenario fixtures and scripts in `tests/scenarios/` exactly as a user would run
//! them with `placement script`, with their outcomes asserted and a transcript snapshot.

use ecs_placement::aws::{self, CommandReport, FileSource, Options};
use ecs_placement::engine::Explain;
use ecs_placement::model::short_id;
use ecs_placement::service::{PlaceReason, PlacementStep, SchedulerStep, ServiceStatus, StopReason};
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
    fn scheduled(&self) -> Vec<String>;
    fn scheduler_failures(&self) -> Vec<(String, String)>;
    fn stopped(&self) -> Vec<(String, StopReason)>;
    fn events(&self) -> Vec<String>;
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

    /// Short IDs of the instances the service scheduler placed tasks on after the command.
    fn scheduled(&self) -> Vec<String> {
        placements(self)
            .flat_map(|p| &p.placement.frames)
            .filter_map(|f| f.instance)
            .map(|i| short_id(&i.container_instance_arn).to_string())
            .collect()
    }

    /// (short instance ID, reason) of the scheduler's last failed placement.
    fn scheduler_failures(&self) -> Vec<(String, String)> {
        placements(self)
            .filter(|p| !p.failures.is_empty())
            .last()
            .map(|p| {
                p.failures
                    .iter()
                    .map(|f| (short_id(&f.arn).to_string(), f.reason.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// (short instance ID, why) of the tasks the scheduler stopped.
    fn stopped(&self) -> Vec<(String, StopReason)> {
        self.scheduler
            .iter()
            .filter_map(|s| match s {
                SchedulerStep::Stop(stop) => Some(stop),
                _ => None,
            })
            .flat_map(|stop| {
                stop.tasks
                    .iter()
                    .map(|t| (short_id(&t.container_instance_arn).to_string(), stop.reason))
            })
            .collect()
    }

    /// The service events the scheduler recorded after the command.
    fn events(&self) -> Vec<String> {
        self.scheduler
            .iter()
            .filter_map(|s| s.event().map(|e| e.message.to_string()))
            .collect()
    }
}

fn placements(report: &CommandReport) -> impl Iterator<Item = &PlacementStep> {
    report.scheduler.iter().filter_map(|s| match s {
        SchedulerStep::Placement(p) => Some(p.as_ref()),
        _ => None,
    })
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
        out.push_str(&scheduler_summary(step));
        out.push('\n');
    }
    out
}

/// The scheduler's steps after a command: placements as instance counts, stops, events.
fn scheduler_summary(step: &CommandReport) -> String {
    let mut out = String::new();
    for s in &step.scheduler {
        match s {
            SchedulerStep::Placement(p) => {
                let on: Vec<String> = p
                    .placement
                    .frames
                    .iter()
                    .filter_map(|f| f.instance)
                    .map(|i| short_id(&i.container_instance_arn).to_string())
                    .collect();
                let failed = if p.failures.is_empty() {
                    ""
                } else {
                    "; then no instance"
                };
                out.push_str(&format!(
                    "scheduler placed {} task(s) of {} ({:?}): {:?}{failed}\n",
                    on.len(),
                    p.service,
                    p.reason,
                    counts(&on)
                ));
            }
            SchedulerStep::Stop(stop) => {
                for task in &stop.tasks {
                    out.push_str(&format!(
                        "scheduler stopped {} of {} on {} ({:?}): {}\n",
                        short_id(&task.task_arn),
                        stop.service,
                        short_id(&task.container_instance_arn),
                        stop.reason,
                        ecs_placement::service::why_in_words(&task.why)
                    ));
                }
            }
            SchedulerStep::Event(e) => out.push_str(&format!("event: {}\n", e.event.message)),
            SchedulerStep::Note(n) => out.push_str(&format!("note: {}\n", n.message)),
            SchedulerStep::Fargate(f) => {
                out.push_str(&format!("scheduler on Fargate, {}: {:?}\n", f.service, f.action))
            }
        }
    }
    out
}

fn summarize(operation: &str, response: &Value) -> String {
    if matches!(operation, "CreateService" | "UpdateService" | "DeleteService") {
        let service = &response["service"];
        return format!(
            "service {}: status {}, desiredCount {}, runningCount {}, schedulingStrategy {}, availabilityZoneRebalancing {}\n",
            service["serviceName"].as_str().unwrap_or_default(),
            service["status"].as_str().unwrap_or_default(),
            service["desiredCount"],
            service["runningCount"],
            service["schedulingStrategy"].as_str().unwrap_or_default(),
            service["availabilityZoneRebalancing"].as_str().unwrap_or_default()
        );
    }
    if operation != "RunTask" {
        return format!("{}\n", json::to_pretty(response));
    }
    let mut out = String::new();
    for task in tasks(response) {
        let on = match task["launchType"].as_str() {
            Some("FARGATE") => format!(
                "Fargate, subnet {}",
                task["attachments"][0]["details"][0]["value"].as_str().unwrap_or("?")
            ),
            _ => short(&task, "containerInstanceArn"),
        };
        out.push_str(&format!(
            "placed {} on {on} ({})\n",
            short(&task, "taskArn"),
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
fn mariya_one_task_ten_random_then_a_service_of_300() {
    let run = run("blog-cluster.json", "mariya.sh");
    assert_eq!(run.steps[0].placed().len(), 1);
    let ten = run.steps[1].placed();
    assert_eq!(ten.len(), 10);
    assert!(run.steps[1].failures().is_empty());
    assert!(counts(&ten).len() >= 4, "random placement uses many instances: {ten:?}");
    let service = &run.steps[2];
    assert!(
        service.warnings().contains("replaced `--desiredCount`"),
        "{}",
        service.warnings()
    );
    assert_eq!(service.outcome()["service"]["desiredCount"], 300);
    let scheduled = service.scheduled();
    assert!(
        (150..300).contains(&scheduled.len()),
        "the 12 instances hold about 200 copies: {}",
        scheduled.len()
    );
    assert_eq!(counts(&scheduled).len(), 12, "random uses every instance");
    let failures = service.scheduler_failures();
    assert_eq!(failures.len(), 12, "every instance is full: {failures:?}");
    assert!(failures.iter().all(|(_, reason)| reason.starts_with("RESOURCE:")));
    let events = service.events();
    assert!(
        events.iter().any(|e| e.starts_with(
            "(service nouvelleApp) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance "
        )),
        "{events:?}"
    );
    assert!(
        !events.iter().any(|e| e.contains("steady state")),
        "300 are never reached"
    );
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
fn ming_ya_one_monitor_per_instance_up_to_the_desired_count() {
    let run = run("blog-cluster.json", "ming-ya.sh");
    let create = &run.steps[0];
    assert!(create.warnings().contains("`--desired-count`"), "{}", create.warnings());
    let monitors = create.scheduled();
    assert_eq!(monitors.len(), 12, "one monitor on each of the 12 instances");
    assert_eq!(counts(&monitors).len(), 12, "never two on one instance");
    let failures = create.scheduler_failures();
    assert_eq!(failures.len(), 12);
    assert!(
        failures
            .iter()
            .all(|(_, reason)| reason == "DistinctInstance placement constraint unsatisfied."),
        "{failures:?}"
    );
    assert!(
        create
            .events()
            .iter()
            .any(|e| e.contains("encountered error \"DistinctInstance placement constraint unsatisfied.\"")),
        "{:?}",
        create.events()
    );
    let listed = run.steps[1].outcome()["taskArns"].as_array().unwrap().len();
    assert_eq!(listed, 12);
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
    assert!(as_written.scheduled().is_empty());
    let failures = as_written.scheduler_failures();
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
    assert!(
        as_written
            .events()
            .iter()
            .any(|e| e.contains("MemberOf placement constraint unsatisfied."))
    );
    let meant = run.steps[1].scheduled();
    assert_eq!(
        meant.into_iter().collect::<BTreeSet<_>>(),
        ["a3-g2", "c3-p2"].map(String::from).into()
    );
    assert!(
        run.steps[1]
            .events()
            .iter()
            .any(|e| e.contains("encountered error \"RESOURCE:GPU\"")),
        "the other 28 wait for GPUs: {:?}",
        run.steps[1].events()
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
fn ebs_walkthrough_draining_moves_mysql_within_its_volumes_zone() {
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
    let create = &run.steps[1];
    assert_eq!(
        create.outcome()["service"]["runningCount"],
        0,
        "the response comes before the scheduler"
    );
    assert_eq!(create.scheduled(), ["ebs-node-1"]);
    let text = placements(create)
        .next()
        .unwrap()
        .explanation
        .as_ref()
        .unwrap()
        .render();
    assert!(
        text.contains("plain-node")
            && text.contains("ATTRIBUTE (missing attribute ecs.capability.docker-plugin.rexray/ebs)"),
        "{text}"
    );
    assert!(text.contains("LOCATION"), "ebs-node-3 is in another zone: {text}");
    let drain = &run.steps[3];
    assert_eq!(
        drain.stopped(),
        [("ebs-node-1".to_string(), StopReason::Draining)],
        "the scheduler stops the task on the draining instance"
    );
    assert_eq!(
        drain.scheduled(),
        ["ebs-node-2"],
        "the replacement goes to the other instance with the plugin in the volume's zone"
    );
    let replacement = placements(drain).next().unwrap();
    assert_eq!(replacement.reason, PlaceReason::ReplaceDraining);
    let zone = replacement
        .placement
        .frames
        .get(0)
        .unwrap()
        .instance
        .unwrap()
        .availability_zone;
    assert_eq!(zone.as_deref(), Some("us-west-2a"), "the EBS volume's zone");
    let listed = run.steps[4].outcome()["taskArns"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 1);
    assert_eq!(run.steps[6].outcome()["service"]["status"], "DRAINING");
    assert_eq!(run.scenario.services[0].status, ServiceStatus::Inactive);
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn efs_walkthrough_the_service_fills_the_eni_slots() {
    let run = run("efs-cluster.json", "efs-space.sh");
    let placed = run.steps[1].scheduled();
    assert_eq!(
        counts(&placed).values().copied().collect::<Vec<_>>(),
        vec![2, 2],
        "2 task ENIs per m5.large, two copies per zone"
    );
    let wait = &run.steps[2];
    assert!(
        wait.succeeded() && wait.response.is_none(),
        "the waiter returns quietly"
    );
    assert_eq!(run.steps[3].stopped().len(), 4, "scaled to 0");
    assert_eq!(run.scenario.services[0].status, ServiceStatus::Inactive);
    insta::assert_snapshot!(transcript(&run));
}

#[test]
fn private_registry_on_fargate_then_on_ec2() {
    let run = run("blog-cluster.json", "private-registry.sh");
    let task = &tasks(run.steps[1].outcome())[0];
    assert_eq!(task["launchType"], "FARGATE", "the post runs its task on Fargate");
    assert!(task.get("containerInstanceArn").is_none(), "no container instance");
    let zone = task["availabilityZone"].as_str().unwrap();
    assert!(
        ["us-east-1a", "us-east-1b"].contains(&zone),
        "a zone of the two subnets: {zone}"
    );
    assert_eq!(task["platformVersion"], "1.4.0");
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
    let listed = run.steps[4].outcome()["taskArns"].as_array().unwrap().clone();
    assert_eq!(listed, [task["taskArn"].clone()], "list-tasks --launch-type FARGATE");
    assert_eq!(
        run.steps[5].error().message,
        "Task definition does not support launch_type EC2."
    );
    insta::assert_snapshot!(transcript(&run));
}
