//! Issue 9's reproducers, end to end: hostile and extreme input gets a clear error or a correct
//! result, never a panic, a hang or a corrupted file. Each test names the reproducer it pins.

mod common;

use common::{ecs_args, repo_root, run};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Exit code, stdout and stderr.
fn placement<S: AsRef<OsStr>>(args: &[S]) -> (i32, String, String) {
    let output = run(args);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// `placement run SCENARIO OPTIONS... -- aws ecs COMMAND...`: exit code, stdout and stderr.
fn ecs(scenario: &str, options: &[&str], command: &[&str]) -> (i32, String, String) {
    placement(&ecs_args(scenario, options, command))
}

/// A fresh folder for one test's files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("placement-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// A small scenario: one t2.small instance (1024 CPU units, 1996 MiB) and `extra` fields.
fn scenario(extra: &str) -> String {
    format!(
        r#"{{"version": 1, "seed": 1, "instances": [{{"containerInstanceArn": "web-1", "attributes": {{"ecs.instance-type": "t2.small", "ecs.availability-zone": "us-east-1a"}}}}]{extra}}}"#
    )
}

/// Checks that a run exited with `expected_code` and said `expected` on stderr; returns stderr.
fn assert_fails((code, _, stderr): (i32, String, String), expected_code: i32, expected: &str) -> String {
    assert_eq!(code, expected_code, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    stderr
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// 1. Deep nesting in shorthand ------------------------------------------------------------

#[test]
fn r01_deep_shorthand_nesting_is_a_usage_error() {
    let lists = format!("a={}{}", "[".repeat(10_000), "]".repeat(10_000));
    let structures = format!("a={}{}", "{a=".repeat(10_000), "}".repeat(10_000));
    for overrides in [lists, structures] {
        let (code, _, stderr) = ecs(
            "preset:sample",
            &[],
            &["run-task", "--task-definition", "x", "--overrides", &overrides],
        );
        assert_eq!(code, 252, "{stderr}");
        assert!(
            stderr.contains(
                "Error parsing parameter '--overrides': the shorthand nests lists and structures deeper than 127 levels"
            ),
            "{stderr}"
        );
    }
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (code, _, stderr) = ecs(
        "preset:sample",
        &[],
        &["run-task", "--task-definition", "x", "--placement-constraints", &json],
    );
    assert_eq!(code, 252, "{stderr}");
    assert!(stderr.contains("Invalid JSON: recursion limit exceeded"), "{stderr}");
}

// 2. Negative and overflowing sizes ---------------------------------------------------------

#[test]
fn r02_negative_and_overflowing_sizes_are_refused() {
    let dir = folder("r02");
    let negative = write(
        &dir,
        "negative.json",
        &scenario(
            r#", "taskDefinitions": [{"family": "x", "containerDefinitions": [{"name": "x", "memory": -128, "cpu": -4096}]}]"#,
        ),
    );
    assert_fails(
        ecs(&negative, &[], &["list-task-definitions"]),
        255,
        "Invalid setting for container 'x'. 'cpu' is -4096; it must be between 0 and 2147483647. (at `taskDefinitions[0]`)",
    );

    assert_fails(
        ecs(
            "preset:sample",
            &[],
            &[
                "run-task",
                "--task-definition",
                "nouvelleApp",
                "--overrides",
                r#"{"containerOverrides":[{"name":"nouvelleApp","cpu":-100000,"memory":-100000}]}"#,
            ],
        ),
        254,
        "The override of 'cpu' is -100000; it must be between 0 and 2147483647.",
    );

    let huge = r#"{"family": "big", "containerDefinitions": [
        {"name": "a", "memory": 1, "cpu": 9223372036854775807}, {"name": "b", "memory": 1, "cpu": 9223372036854775807}]}"#;
    assert_fails(
        ecs(
            "preset:sample",
            &[],
            &["register-task-definition", "--cli-input-json", huge],
        ),
        254,
        "'cpu' is 9223372036854775807; it must be between 0 and 2147483647",
    );
    let at_limit = huge.replace("9223372036854775807", "2147483647");
    assert_fails(
        ecs(
            "preset:sample",
            &[],
            &["register-task-definition", "--cli-input-json", &at_limit],
        ),
        254,
        "The containers reserve 4294967294 CPU units together; a task reserves at most 2147483647.",
    );
}

// 3. Files that load but whose saved copy would not ------------------------------------------

#[test]
fn r03_timestamps_the_format_cannot_write_are_refused() {
    let dir = folder("r03");
    for registered_at in ["1e13", "-62167219201", r#""9999-12-31T23:59:59-05:00""#] {
        let file = write(
            &dir,
            "s.json",
            &format!(
                r#"{{"version": 1, "instances": [{{"containerInstanceArn": "a", "registeredAt": {registered_at}, "attributes": {{"ecs.instance-type": "t2.small"}}}}]}}"#
            ),
        );
        let (code, _, stderr) = ecs(&file, &[], &["list-container-instances"]);
        assert_eq!(code, 255, "{registered_at}: {stderr}");
        assert!(stderr.contains("between the years 0000 and 9999"), "{stderr}");
        assert!(stderr.contains("(at `instances[0].registeredAt`)"), "{stderr}");
    }
    let output = write(
        &dir,
        "describe.json",
        r#"{"containerInstances": [{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/a",
            "registeredAt": 1e13, "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 1024},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024}]}]}"#,
    );
    let (code, _, stderr) = placement(&["import", "--instances", &output]);
    assert_eq!(code, 255, "{stderr}");
    assert!(stderr.contains("between the years 0000 and 9999"), "{stderr}");
}

#[test]
fn r03_an_over_committed_instance_is_refused_at_load() {
    let dir = folder("r03-over");
    let file = write(
        &dir,
        "s.json",
        &scenario(
            r#", "tasks": [{"taskArn": "t1", "containerInstanceArn": "web-1", "group": "g", "cpu": 2048, "memory": 128}]"#,
        ),
    );
    assert_fails(
        ecs(&file, &[], &["list-tasks"]),
        255,
        "instance `web-1` is over-committed: its tasks hold 2048 CPU units and 128 MiB, but it registered 1024 and 1996",
    );
}

#[test]
fn r03_saving_over_the_input_keeps_a_loadable_file() {
    let dir = folder("r03-same");
    let file = write(&dir, "s.json", &scenario(""));
    for _ in 0..2 {
        let (code, _, stderr) = ecs(&file, &["--save", &file], &["run-task", "--task-definition", "x"]);
        assert_eq!(code, 254, "{stderr}");
    }
    let (code, _, stderr) = ecs(&file, &[], &["list-container-instances"]);
    assert_eq!(code, 0, "{stderr}");
    let leftovers = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(leftovers, 1, "a temporary file was left behind");
}

// 4. Bounded explanations -----------------------------------------------------------------

#[test]
fn r04_what_if_explain_of_a_large_run_stays_small() {
    let (code, stdout, stderr) = ecs(
        "preset:fleet-300",
        &["--what-if", "--explain"],
        &["run-task", "--task-definition", "nouvelleApp", "--count", "3000"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("\"desiredStatus\"").count(), 3000);
    assert_eq!(
        stderr.matches("\nTask ").count(),
        10,
        "the first 10 tasks are explained"
    );
    assert!(
        stderr.contains("Note: tasks 11-3000 (2990 tasks) are not explained one by one, to keep the explanation small"),
        "{}",
        &stderr[stderr.len().saturating_sub(2000)..]
    );
    assert!(stderr.len() < 1_000_000, "{} bytes of explanation", stderr.len());
}

// 5. Atomic --save -----------------------------------------------------------------------

#[test]
fn r05_a_failed_save_is_a_clear_error_and_leaves_the_file() {
    let dir = folder("r05");
    let input = write(&dir, "s.json", &scenario(""));
    let before = std::fs::read_to_string(&input).unwrap();
    // A save whose folder is a file.
    let out = format!("{input}/out.json");
    let (code, stdout, stderr) = ecs(&input, &["--save", &out], &["list-container-instances"]);
    assert_eq!(code, 255, "{stderr}");
    assert!(stdout.contains("containerInstanceArns"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "placement: cannot write {out}: writing a temporary copy beside it failed"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("the file was left as it was"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        before,
        "the input was changed"
    );
    // A save past a file-size limit (the shell ignores SIGXFSZ so that the write fails).
    let script = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' run '{input}' --save '{input}' -- aws ecs run-task --task-definition x",
        env!("CARGO_BIN_EXE_placement")
    );
    let padded = scenario(&format!(
        r#", "subnets": [{}]"#,
        vec![r#"{"subnetId": "subnet-1", "availabilityZone": "us-east-1a"}"#; 20].join(", ")
    ));
    std::fs::write(&input, &padded).unwrap();
    let output = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(255), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        padded,
        "the input was changed"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "a temporary file was left behind"
    );
}

// 6. A closed pipe ---------------------------------------------------------------------------

#[test]
fn r06_a_closed_pipe_ends_quietly_and_still_saves() {
    let dir = folder("r06");
    let saved = dir.join("o.json");
    let script = format!(
        "'{bin}' run preset:sample --save '{out}' -- aws ecs describe-container-instances --container-instances 0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c 1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d | head -c 10 >/dev/null; echo \"first: ${{PIPESTATUS[0]}}\"; \
         '{bin}' run preset:sample -- aws ecs list-task-definitions | head -1 >/dev/null; echo \"second: ${{PIPESTATUS[0]}}\"",
        bin = env!("CARGO_BIN_EXE_placement"),
        out = saved.display()
    );
    let output = Command::new("bash").arg("-c").arg(&script).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_no_panic(&stderr);
    assert!(
        stdout.contains("first: 0") && stdout.contains("second: 0"),
        "{stdout}{stderr}"
    );
    let (code, _, stderr) = ecs(saved.to_str().unwrap(), &[], &["list-tasks"]);
    assert_eq!(code, 0, "the save happened and loads: {stderr}");
}

// 7. Invalid UTF-8 in an argument ---------------------------------------------------------------

#[test]
fn r07_invalid_utf8_in_an_argument_is_a_usage_error() {
    assert_fails(
        placement(&[OsStr::new("check"), OsStr::from_bytes(b"\xff")]),
        252,
        "placement: argument 2 is not valid UTF-8 (\\xff)",
    );
}

// 8. Duplicate JSON keys ------------------------------------------------------------------------

#[test]
fn r08_duplicate_json_keys_are_refused_with_their_path() {
    let dir = folder("r08");
    let file = write(
        &dir,
        "s.json",
        r#"{"version":1,"instances":[{"containerInstanceArn":"a","attributes":{"ecs.instance-type":"t2.small"}}],"instances":[]}"#,
    );
    let stderr = assert_fails(
        ecs(&file, &[], &["list-container-instances"]),
        255,
        "the scenario is not valid JSON: duplicate key `instances`",
    );
    assert!(stderr.contains("(at `instances`)"), "{stderr}");

    let (code, _, stderr) = ecs(
        "preset:sample",
        &[],
        &[
            "list-container-instances",
            "--cli-input-json",
            r#"{"filter": "agentConnected == true", "filter": "agentConnected == false"}"#,
        ],
    );
    assert_eq!(code, 252, "{stderr}");
    assert!(stderr.contains("Invalid JSON: duplicate key `filter`"), "{stderr}");

    let (code, _, stderr) = ecs(
        "preset:sample",
        &[],
        &[
            "run-task",
            "--task-definition",
            "nouvelleApp",
            "--overrides",
            r#"{"containerOverrides": [{"name": "nouvelleApp", "cpu": 1, "cpu": 2}]}"#,
        ],
    );
    assert_eq!(code, 252, "{stderr}");
    assert!(
        stderr.contains("duplicate key `cpu`") && stderr.contains("(at `containerOverrides[0].cpu`)"),
        "{stderr}"
    );

    let tasks = write(&dir, "tasks.json", r#"{"tasks": [], "tasks": []}"#);
    let instances = repo_root().join("tests/fixtures/aws/describe-container-instances.json");
    let (code, _, stderr) = placement(&["import", "--instances", instances.to_str().unwrap(), "--tasks", &tasks]);
    assert_eq!(code, 255, "{stderr}");
    assert!(stderr.contains("duplicate key `tasks`"), "{stderr}");
}

// 9. Attribute values are at most 128 characters -------------------------------------------------

#[test]
fn r09_long_attribute_values_are_refused() {
    let dir = folder("r09");
    let long = "a".repeat(100_000);
    let file = write(
        &dir,
        "s.json",
        &format!(
            r#"{{"version": 1, "instances": [{{"containerInstanceArn": "a", "attributes": {{"ecs.instance-type": "t2.small", "x": "{long}"}}}}]}}"#
        ),
    );
    assert_fails(
        ecs(
            &file,
            &[],
            &["list-container-instances", "--filter", "attribute:x =~ (.*a){1000}"],
        ),
        255,
        "the value of attribute `x` is 100000 characters long; AWS allows at most 128",
    );
}

// 10. Far past the expression limit --------------------------------------------------------------

#[test]
fn r10_a_huge_expression_is_refused_at_once() {
    let dir = folder("r10");
    let word = "x".repeat(5_000_000);
    let script = write(
        &dir,
        "s.sh",
        &format!("aws ecs list-container-instances --filter '{word}'\n"),
    );
    let started = std::time::Instant::now();
    let (code, _, stderr) = placement(&["script", "preset:sample", &script]);
    assert_eq!(code, 254, "{}", &stderr[..500.min(stderr.len())]);
    assert!(stderr.contains("the expression is 5000000 characters long; AWS allows at most 2000"));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

// 11. What used to be accepted silently ---------------------------------------------------------

#[test]
fn r11_out_of_range_and_duplicate_revisions_are_refused() {
    let dir = folder("r11-rev");
    let definition = r#"{"family": "x", "revision": REV, "containerDefinitions": [{"name": "x", "memory": 128}]}"#;
    let file = write(
        &dir,
        "s.json",
        &scenario(&format!(
            r#", "taskDefinitions": [{}]"#,
            definition.replace("REV", "4294967295")
        )),
    );
    let stderr = assert_fails(
        ecs(&file, &[], &["list-task-definitions"]),
        255,
        "revision 4294967295 is out of range: revisions are numbered from 1 to 1000000",
    );
    assert!(stderr.contains("(at `taskDefinitions[0].revision`)"), "{stderr}");
    let twice = format!(r#", "taskDefinitions": [{0}, {0}]"#, definition.replace("REV", "3"));
    let file = write(&dir, "s.json", &scenario(&twice));
    assert_fails(
        ecs(&file, &[], &["list-task-definitions"]),
        255,
        "task definition `x:3` is registered twice (also taskDefinitions[0])",
    );
}

#[test]
fn r11_a_host_port_or_gpu_is_held_once_and_only_if_the_instance_has_it() {
    let dir = folder("r11-hold");
    let task = |id: &str, extra: &str| {
        format!(r#"{{"taskArn": "{id}", "containerInstanceArn": "web-1", "group": "g", "cpu": 1, "memory": 1{extra}}}"#)
    };
    let ports = scenario(&format!(
        r#", "tasks": [{}, {}]"#,
        task("t1", r#", "ports": [80]"#),
        task("t2", r#", "ports": [80]"#)
    ));
    assert_fails(
        ecs(&write(&dir, "s.json", &ports), &[], &["list-tasks"]),
        255,
        "tasks[0] and task `t2` both hold TCP port 80 on instance `web-1`",
    );
    let gpus = scenario(&format!(r#", "tasks": [{}]"#, task("t1", r#", "gpuIds": ["GPU-9"]"#)));
    assert_fails(
        ecs(&write(&dir, "s.json", &gpus), &[], &["list-tasks"]),
        255,
        "task `t1` holds GPU `GPU-9`, which instance `web-1` does not have",
    );
}

#[test]
fn r11_empty_ids_are_refused() {
    let dir = folder("r11-ids");
    let file = write(
        &dir,
        "s.json",
        r#"{"version": 1, "instances": [{"containerInstanceArn": "", "attributes": {"ecs.instance-type": "t2.small"}}]}"#,
    );
    assert_fails(
        ecs(&file, &[], &["list-container-instances"]),
        255,
        "the container instance has no ID: give `containerInstanceArn` an ARN or a short ID",
    );
}

#[test]
fn r11_overrides_and_input_json_are_typed() {
    for (overrides, expected) in [
        (
            r#"{"containerOverrides": [{"name": "nouvelleApp", "cpu": "abc"}]}"#,
            "Invalid type for parameter overrides.containerOverrides[0].cpu, value: abc, type: <class 'str'>",
        ),
        (
            r#"{"containerOverrides": [{"name": "nouvelleApp", "cpu": 1e20}]}"#,
            "Invalid type for parameter overrides.containerOverrides[0].cpu, value: 1e+20, type: <class 'float'>",
        ),
        (
            "containerOverrides=[{name=nouvelleApp,cpu=abc}]",
            "invalid literal for int() with base 10: 'abc'",
        ),
        (
            r#"{"containerOverride": []}"#,
            "Unknown parameter in overrides: \"containerOverride\"",
        ),
    ] {
        let (code, _, stderr) = ecs(
            "preset:sample",
            &[],
            &["run-task", "--task-definition", "nouvelleApp", "--overrides", overrides],
        );
        assert_eq!(code, 252, "{overrides}: {stderr}");
        assert!(stderr.contains(expected), "{overrides}: {stderr}");
    }
    let (code, _, stderr) = ecs(
        "preset:sample",
        &[],
        &[
            "run-task",
            "--task-definition",
            "nouvelleApp",
            "--cli-input-json",
            r#"{"count":"3"}"#,
        ],
    );
    assert_eq!(code, 252, "{stderr}");
    assert!(
        stderr.contains("Invalid type for parameter count, value: 3, type: <class 'str'>, valid types: <class 'int'>"),
        "{stderr}"
    );
}

#[test]
fn r11_task_arns_stay_unique_after_a_task_is_removed_by_hand() {
    let dir = folder("r11-arns");
    let first = dir.join("a.json");
    let (code, _, stderr) = ecs(
        "preset:sample",
        &["--seed", "5", "--save", first.to_str().unwrap()],
        &["run-task", "--task-definition", "nouvelleApp", "--count", "3"],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let tasks = value["tasks"].as_array_mut().unwrap();
    let removed = tasks.remove(tasks.len() - 3);
    assert!(removed["taskArn"].is_string());
    for instance in value["instances"].as_array_mut().unwrap() {
        instance.as_object_mut().unwrap().remove("remainingResources");
    }
    let edited = write(&dir, "b.json", &value.to_string());
    let second = dir.join("c.json");
    let (code, _, stderr) = ecs(
        &edited,
        &["--save", second.to_str().unwrap()],
        &["run-task", "--task-definition", "nouvelleApp", "--count", "3"],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = ecs(second.to_str().unwrap(), &[], &["list-tasks"]);
    assert_eq!(code, 0, "the save loads again: {stderr}");
}

// 12. Terminal escape sequences ---------------------------------------------------------------

#[test]
fn r12_escape_sequences_from_scenarios_are_shown_escaped() {
    let dir = folder("r12");
    let file = write(
        &dir,
        "s.json",
        r#"{"version": 1, "seed": 1, "instances": [{"containerInstanceArn": "evil\u001b]0;pwned\u0007\u001b[2J", "ec2InstanceId": "i-\u009b31m",
            "attributes": {"ecs.instance-type": "t2.small"}}],
            "taskDefinitions": [{"family": "x", "containerDefinitions": [{"name": "x", "memory": 128}]}]}"#,
    );
    let (code, stdout, stderr) = ecs(&file, &["--explain"], &["run-task", "--task-definition", "x"]);
    assert_eq!(code, 0, "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'),
            "{text:?}"
        );
    }
    assert!(stderr.contains("evil\\x1b]0;pwned\\x07\\x1b[2J"), "{stderr}");
    assert!(stdout.contains("evil\\u001b]0;pwned\\u0007\\u001b[2J"), "{stdout}");
}

#[test]
fn r12_the_service_schedulers_output_is_shown_escaped_too() {
    let dir = folder("r12-scheduler");
    let file = write(
        &dir,
        "s.json",
        r#"{"version": 1, "seed": 1, "instances": [{"containerInstanceArn": "evil\u001b]0;pwned\u0007", "attributes": {"ecs.instance-type": "t2.small"}}],
            "taskDefinitions": [{"family": "x", "containerDefinitions": [{"name": "x", "memory": 128}]}]}"#,
    );
    let (code, _, stderr) = ecs(
        &file,
        &["--explain"],
        &[
            "create-service",
            "--service-name",
            "s",
            "--task-definition",
            "x",
            "--desired-count",
            "1",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Service scheduler, s: placing tasks"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "{stderr:?}");
    assert!(stderr.contains("placed on evil\\x1b]0;pwned\\x07"), "{stderr}");
}

// 13. Seeds a JavaScript number holds ---------------------------------------------------------

#[test]
fn r13_seeds_above_2_pow_53_are_refused() {
    assert_fails(
        ecs("preset:sample", &["--seed", "9007199254740992"], &["list-tasks"]),
        252,
        "--seed takes a whole number from 0 to 9007199254740991",
    );
    let dir = folder("r13");
    let file = write(
        &dir,
        "s.json",
        &scenario("").replace(r#""seed": 1"#, r#""seed": 18446744073709551615"#),
    );
    let stderr = assert_fails(
        ecs(&file, &[], &["list-tasks"]),
        255,
        "the seed 18446744073709551615 is above 9007199254740991 (2^53 - 1)",
    );
    assert!(stderr.contains("(at `seed`)"), "{stderr}");
    let (code, _, stderr) = ecs("preset:sample", &["--seed", "9007199254740991"], &["list-tasks"]);
    assert_eq!(code, 0, "{stderr}");
}

// 14. Reads are capped --------------------------------------------------------------------------

#[test]
fn r14_endless_files_are_refused() {
    assert_fails(
        ecs("/dev/zero", &[], &["list-tasks"]),
        255,
        "cannot read /dev/zero: it is larger than 64 MiB",
    );
    assert_fails(
        ecs(
            "preset:sample",
            &[],
            &["register-task-definition", "--cli-input-json", "file:///dev/zero"],
        ),
        252,
        "Unable to load paramfile file:///dev/zero: it is larger than 1 MiB",
    );
}
