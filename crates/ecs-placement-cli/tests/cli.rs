//! The `placement` binary end to end: stdout, stderr and exit codes as users' scripts see them.

mod common;

use common::{ecs_args, run};

/// Runs `placement` with `args` in the repository root; returns "exit: N", stdout and stderr.
fn placement(args: &[&str]) -> String {
    let output = run(args);
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The exit code of `placement` with `args` (its output captured, not printed).
fn exit_code(args: &[&str]) -> i32 {
    run(args).status.code().unwrap()
}

/// `placement run preset:sample -- aws ecs list-container-instances` followed by `extra`.
fn list_on_sample<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut command = vec!["list-container-instances"];
    command.extend_from_slice(extra);
    ecs_args("preset:sample", &[], &command)
}

#[test]
fn check_valid_invalid_and_warnings() {
    insta::assert_snapshot!(
        "check_valid",
        placement(&[
            "check",
            "attribute:ecs.instance-type =~ t2.* and not(task:group == database)"
        ])
    );
    insta::assert_snapshot!(
        "check_invalid",
        placement(&["check", "attribute:color = blue and agentconnected == true"])
    );
    insta::assert_snapshot!(
        "check_glob_warning",
        placement(&["check", "attribute:ecs.instance-type =~ g2*"])
    );
    insta::assert_snapshot!(
        "check_json",
        placement(&["check", "--format", "json", "agentVersion =~ 1.*"])
    );
}

#[test]
fn list_container_instances_with_filter_status_and_paging() {
    let filter = "attribute:ecs.instance-type =~ t2.*";
    insta::assert_snapshot!(
        "list_filter",
        placement(&ecs_args(
            "preset:sample",
            &[],
            &["list-container-instances", "--filter", filter]
        ))
    );
    insta::assert_snapshot!(
        "list_status_and_max_items",
        placement(&list_on_sample(&["--status", "ACTIVE", "--max-items", "2"]))
    );
    insta::assert_snapshot!(
        "list_explain",
        placement(&ecs_args(
            "preset:sample",
            &["--explain"],
            &[
                "list-container-instances",
                "--filter",
                "runningTasksCount > 1 or agentVersion < 1.14.5"
            ]
        ))
    );
}

#[test]
fn service_errors_exit_254_and_usage_errors_252() {
    let bad = list_on_sample(&["--filter", "attribute:ecs.instance-type = t2.small"]);
    insta::assert_snapshot!("list_bad_filter", placement(&bad));
    assert_eq!(exit_code(&bad), 254);
    let wrong_cluster = list_on_sample(&["--cluster", "prod"]);
    assert_eq!(exit_code(&wrong_cluster), 254);
    let bad_status = list_on_sample(&["--status", "RUNNING"]);
    insta::assert_snapshot!("list_bad_status", placement(&bad_status));
    let missing_value = list_on_sample(&["--filter"]);
    insta::assert_snapshot!("list_missing_value", placement(&missing_value));
    assert_eq!(exit_code(&missing_value), 252);
    assert_eq!(exit_code(&list_on_sample(&["--nope"])), 252);
    assert_eq!(exit_code(&["run", "preset:sample", "aws", "ecs"]), 252);
    assert_eq!(exit_code(&["frobnicate"]), 252);
}

#[test]
fn unreadable_scenarios_exit_255_with_the_json_path() {
    let dir = std::env::temp_dir().join(format!("placement-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"version": 1, "instances": [{"containerInstanceArn": "a", "registeredResources": {"cpu": "lots", "memory": 1}}]}"#).unwrap();
    let out = placement(&ecs_args(broken.to_str().unwrap(), &[], &["list-container-instances"]));
    assert!(out.starts_with("exit: 255"), "{out}");
    assert!(out.contains("instances[0].registeredResources.cpu"), "{out}");
    let dci = placement(&ecs_args(
        "tests/fixtures/aws/describe-container-instances.json",
        &[],
        &["list-container-instances"],
    ));
    assert!(dci.contains("placement import --instances"), "{dci}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn import_keeps_the_users_arns_and_ids() {
    let out = placement(&[
        "import",
        "--instances",
        "tests/fixtures/aws/describe-container-instances.json",
        "--tasks",
        "tests/fixtures/aws/describe-tasks.json",
    ]);
    insta::assert_snapshot!("import", out);
    let api = placement(&[
        "import",
        "--instances",
        "tests/fixtures/aws/describe-container-instances-api.json",
    ]);
    assert!(api.contains("\"registeredAt\": \"2024-02-11T14:08:02.381Z\""), "{api}");
}

#[test]
fn imported_scenario_answers_with_the_users_arns() {
    let dir = std::env::temp_dir().join(format!("placement-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = run(&[
        "import",
        "--instances",
        "tests/fixtures/aws/describe-container-instances.json",
    ]);
    let scenario = dir.join("prod.json");
    std::fs::write(&scenario, &output.stdout).unwrap();
    let out = placement(&ecs_args(
        scenario.to_str().unwrap(),
        &[],
        &[
            "list-container-instances",
            "--cluster",
            "prod",
            "--filter",
            "attribute:team == payments",
        ],
    ));
    assert!(
        out.contains("arn:aws:ecs:us-west-2:111122223333:container-instance/prod/1f3c5a7e9b2d4f6a8c0e2b4d6f8a0c2e"),
        "{out}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// The EBS walkthrough as the CLI prints it: AWS's responses on stdout, the scheduler's events
/// on stderr.
#[test]
fn ebs_walkthrough_script() {
    insta::assert_snapshot!(
        "ebs_walkthrough",
        placement(&[
            "script",
            "tests/scenarios/ebs-cluster.json",
            "tests/scenarios/ebs-mysql.sh"
        ])
    );
}

#[test]
fn service_commands_and_their_exit_codes() {
    let monitoring = ecs_args(
        "preset:blog",
        &[],
        &[
            "create-service",
            "--service-name",
            "monitoring",
            "--task-definition",
            "monitor",
            "--desiredCount",
            "500",
            "--placement-constraints",
            "type=distinctInstance",
        ],
    );
    let out = placement(&monitoring);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains("warning: replaced `--desiredCount` (the API member name) with the AWS CLI's `--desired-count`"),
        "{out}"
    );
    assert!(out.contains("\"desiredCount\": 500,"), "{out}");
    assert!(
        out.contains("scheduler: (service monitoring) has started 10 tasks: "),
        "{out}"
    );
    assert!(
        out.contains("encountered error \"DistinctInstance placement constraint unsatisfied.\""),
        "{out}"
    );

    let dir = std::env::temp_dir().join(format!("placement-cli-services-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("stuck.sh");
    std::fs::write(
        &script,
        "aws ecs create-service --service-name gpu --task-definition GPU --desired-count 3\naws ecs wait services-stable --services gpu\n",
    )
    .unwrap();
    let out = placement(&["script", "tests/scenarios/blog-cluster.json", script.to_str().unwrap()]);
    assert!(out.starts_with("exit: 255"), "{out}");
    assert!(
        out.contains("\nWaiter ServicesStable failed: Max attempts exceeded\n"),
        "{out}"
    );
    let scaled = ecs_args("preset:blog", &[], &["delete-service", "--service", "nope"]);
    let out = placement(&scaled);
    assert!(out.starts_with("exit: 254"), "{out}");
    assert!(
        out.contains(
            "An error occurred (ServiceNotFoundException) when calling the DeleteService operation: Service not found."
        ),
        "{out}"
    );
    assert_eq!(
        exit_code(&ecs_args(
            "preset:blog",
            &[],
            &["wait", "services-stale", "--services", "x"]
        )),
        252
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn import_services_from_describe_services_output() {
    let out = placement(&[
        "import",
        "--instances",
        "tests/fixtures/aws/describe-container-instances.json",
        "--tasks",
        "tests/fixtures/aws/describe-tasks.json",
        "--services",
        "tests/fixtures/aws/describe-services.json",
        "--drop-events",
    ]);
    insta::assert_snapshot!("import_services", out);
    assert_eq!(
        exit_code(&[
            "import",
            "--instances",
            "tests/fixtures/aws/describe-container-instances.json",
            "--drop-events"
        ]),
        252
    );
}
