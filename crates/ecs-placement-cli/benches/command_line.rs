//! The `placement` command line at 10,000 instances: issue #10's two command-line rows, each
//! measured as a ratio to loading the same cluster, in the same run.
//!
//! - **what-if:** `placement run CLUSTER --what-if -- aws ecs run-task --count 10000` (the
//!   headline `memberOf(attribute:ecs.instance-type =~ m5.*)` with spread by zone, then binpack
//!   by memory), the whole process: load, place, build and print the 19 MB answer. Goal: at most
//!   twice the time of loading that cluster.
//! - **reload:** the scenario that run saves (10,000 instances and 10,000 tasks) loaded again.
//!   Goal: at most twice the time of loading the cluster without its tasks.
//!
//! "Loading" is `placement run CLUSTER -- aws ecs list-task-definitions`: start, read and check
//! the scenario, answer a command that places nothing. The cluster is the generated
//! `fleet-1000` preset's instances ten times over (new ARNs and EC2 IDs, no tasks).
//!
//! Each of `CLI_RUNS` rounds (default 7) runs the three commands one after the other, so a busy
//! machine slows all three alike; the medians of the wall-clock times are printed with their
//! ratios (timed by the engine benches' `common/timing.rs`). The timed processes print to `/dev/null`; the one run that saves the scenario is
//! checked first (every task placed, none failed, the saved file holds them).
//!
//! `cargo bench -p ecs-placement-cli --bench command_line` (about a minute); `cargo test
//! --benches` runs the same commands once on the 1,000-instance fleet, as a smoke test.

// The timing of the core's bench binaries (only its wall-clock part applies to child processes).
#[allow(dead_code)]
#[path = "../../ecs-placement/benches/common/timing.rs"]
mod timing;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use timing::{Runs, env_number};

/// The `placement` binary cargo built for this bench.
const PLACEMENT: &str = env!("CARGO_BIN_EXE_placement");
/// Tasks per 1,000 instances: the what-if run places as many tasks as the cluster has instances.
const TASKS_PER_FLEET: usize = 1_000;

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let (copies, runs) = if measuring {
        (10, env_number("CLI_RUNS", 7).max(1))
    } else {
        (1, 1)
    };
    let folder = std::env::temp_dir().join(format!("placement-command-line-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    let files = Files::in_folder(&folder);
    write_cluster(&files, copies);
    let tasks = copies * TASKS_PER_FLEET;
    save_what_if(&files, tasks);
    let mut times = Times::default();
    for _ in 0..runs {
        times.load.time(|| run_quietly(load_command(&files.cluster)));
        times
            .what_if
            .time(|| run_quietly(what_if_command(&files.cluster, tasks, None)));
        times.reload.time(|| run_quietly(load_command(&files.with_tasks)));
    }
    times.print(copies * 1_000, tasks);
    std::fs::remove_dir_all(&folder).expect("the scratch folder removed");
}

/// The bench's files.
struct Files {
    /// The generated `fleet-1000` preset, as `placement --save` writes it.
    fleet: PathBuf,
    /// Its instances `copies` times over, without tasks.
    cluster: PathBuf,
    /// The cluster after the what-if run.
    with_tasks: PathBuf,
}

impl Files {
    fn in_folder(folder: &Path) -> Files {
        Files {
            fleet: folder.join("fleet-1000.json"),
            cluster: folder.join("cluster.json"),
            with_tasks: folder.join("cluster-with-tasks.json"),
        }
    }
}

/// Writes the cluster: the `fleet-1000` preset's instances `copies` times over, each copy with
/// its own container instance ARN and EC2 ID, its resources all free, and no tasks.
fn write_cluster(files: &Files, copies: usize) {
    let mut save = Command::new(PLACEMENT);
    save.args(["run", "preset:fleet-1000", "--save"])
        .arg(&files.fleet)
        .args(["--", "aws", "ecs", "list-clusters"]);
    run_checked(save);
    let text = std::fs::read_to_string(&files.fleet).expect("the saved fleet");
    let mut scenario: Value = serde_json::from_str(&text).expect("the saved fleet is JSON");
    let fleet = scenario["instances"].as_array().expect("the fleet's instances").clone();
    let mut instances = Vec::with_capacity(fleet.len() * copies);
    for copy in 0..copies {
        for (index, instance) in fleet.iter().enumerate() {
            instances.push(copied_instance(instance, copy * fleet.len() + index));
        }
    }
    scenario["instances"] = Value::Array(instances);
    scenario["tasks"] = Value::Array(Vec::new());
    std::fs::write(&files.cluster, scenario.to_string()).expect("the cluster written");
}

/// `instance` as the `number`th instance of the cluster: a new ID in its ARN and EC2 ID, and no
/// resources in use.
fn copied_instance(instance: &Value, number: usize) -> Value {
    let mut copy = instance.clone();
    let arn = copy["containerInstanceArn"].as_str().expect("an instance ARN");
    let prefix = arn.rsplit_once('/').map_or(arn, |(prefix, _)| prefix);
    copy["containerInstanceArn"] = Value::String(format!("{prefix}/{number:032x}"));
    copy["ec2InstanceId"] = Value::String(format!("i-{number:017x}"));
    if let Some(fields) = copy.as_object_mut() {
        fields.remove("remainingResources");
    }
    copy
}

/// Runs the what-if command once with `--save`, and checks that it placed every task and that
/// the saved scenario holds them.
fn save_what_if(files: &Files, tasks: usize) {
    let output = run_checked(what_if_command(&files.cluster, tasks, Some(&files.with_tasks)));
    let answer: Value = serde_json::from_slice(&output).expect("the run-task answer is JSON");
    let placed = answer["tasks"].as_array().map_or(0, Vec::len);
    let failures = answer["failures"].as_array().map_or(0, Vec::len);
    assert_eq!((placed, failures), (tasks, 0), "every what-if task placed");
    let saved = std::fs::read_to_string(&files.with_tasks).expect("the saved scenario");
    let saved: Value = serde_json::from_str(&saved).expect("the saved scenario is JSON");
    assert_eq!(
        saved["tasks"].as_array().map_or(0, Vec::len),
        tasks,
        "the saved scenario holds the tasks"
    );
}

/// `placement run SCENARIO -- aws ecs list-task-definitions`: load and answer a command that
/// places nothing.
fn load_command(scenario: &Path) -> Command {
    let mut command = Command::new(PLACEMENT);
    command
        .arg("run")
        .arg(scenario)
        .args(["--", "aws", "ecs", "list-task-definitions"]);
    command
}

/// The what-if RunTask of `tasks` tasks (the headline constraint and chain), saving the
/// scenario to `save` when given.
fn what_if_command(scenario: &Path, tasks: usize, save: Option<&Path>) -> Command {
    let mut command = Command::new(PLACEMENT);
    command.arg("run").arg(scenario).arg("--what-if");
    if let Some(save) = save {
        command.arg("--save").arg(save);
    }
    command.args([
        "--",
        "aws",
        "ecs",
        "run-task",
        "--task-definition",
        "nouvelleApp",
        "--count",
    ]);
    command.arg(tasks.to_string()).args([
        "--placement-constraints",
        "type=memberOf,expression=attribute:ecs.instance-type =~ m5.*",
        "--placement-strategy",
        "type=spread,field=attribute:ecs.availability-zone",
        "type=binpack,field=memory",
    ]);
    command
}

/// Runs `command`, panicking with its error output when it fails; returns its standard output.
fn run_checked(mut command: Command) -> Vec<u8> {
    let output = command.output().expect("placement starts");
    assert!(
        output.status.success(),
        "{command:?} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Runs `command` with its output thrown away; panics when it fails.
fn run_quietly(mut command: Command) {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("placement starts");
    assert!(status.success(), "{command:?} failed ({status})");
}

/// The times of each command, one run per round.
#[derive(Default)]
struct Times {
    load: Runs,
    what_if: Runs,
    reload: Runs,
}

impl Times {
    fn print(&self, instances: usize, tasks: usize) {
        let load = self.load.wall_median().as_secs_f64();
        let ratio = |runs: &Runs| runs.wall_median().as_secs_f64() / load;
        println!("command_line/{instances} instances:");
        println!(
            "  load the cluster (list-task-definitions): {}",
            self.load.wall_summary()
        );
        println!(
            "  {tasks} what-if tasks (run-task --count {tasks} --what-if, memberOf + spread -> binpack): {}",
            self.what_if.wall_summary()
        );
        println!("  reload with those {tasks} tasks: {}", self.reload.wall_summary());
        println!("  what-if / load: {:.2} (goal <= 2)", ratio(&self.what_if));
        println!("  reload / load: {:.2} (goal <= 2)", ratio(&self.reload));
    }
}
