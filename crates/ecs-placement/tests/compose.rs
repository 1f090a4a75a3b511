//! The run builder's mapping (`aws::compose`): composed scripts (snapshots), what they place
//! (the same as the hand-written commands), the round trip script → spec → script, what real
//! bash reads from them, and which commands of the use-case scripts the builder can load.

use ecs_placement::aws::compose::{
    ConstraintSpec, NOT_IN_BUILDER, PortSpec, Protocol, RunSpec, StrategySpec, TaskDefinitionSpec, compose_script,
    compose_script_with, parse_run_spec, parse_run_spec_with_files,
};
use ecs_placement::aws::words::split_script;
use ecs_placement::aws::{self, CommandReport, FileSource, NoFiles, Options};
use ecs_placement::{ErrorKind, Scenario, presets};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn blog() -> Scenario {
    presets::load("blog").unwrap()
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

struct Files;

impl FileSource for Files {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(scenarios_dir().join(path)).map_err(|e| e.to_string())
    }
}

/// A definition already registered in the scenario (its figures are not written).
fn registered(family: &str) -> TaskDefinitionSpec {
    TaskDefinitionSpec {
        family: family.into(),
        revision: None,
        register: false,
        network_mode: "bridge".into(),
        cpu: 128,
        memory: 128,
        ports: Vec::new(),
        image: Some(format!("example/{}", family.to_lowercase())),
    }
}

/// A definition the script registers.
fn registering(family: &str, network_mode: &str, ports: Vec<PortSpec>) -> TaskDefinitionSpec {
    TaskDefinitionSpec {
        family: family.into(),
        revision: None,
        register: true,
        network_mode: network_mode.into(),
        cpu: 256,
        memory: 512,
        ports,
        image: Some("nginx".into()),
    }
}

fn run(task_definition: TaskDefinitionSpec, count: u32) -> RunSpec {
    RunSpec {
        task_definition,
        count,
        group: None,
        started_by: None,
        constraints: Vec::new(),
        strategies: Vec::new(),
        subnets: Vec::new(),
        security_groups: Vec::new(),
        assign_public_ip: None,
        cluster: None,
    }
}

fn member_of(expression: &str) -> ConstraintSpec {
    ConstraintSpec::MemberOf {
        expression: expression.into(),
    }
}

fn spread(field: &str) -> StrategySpec {
    StrategySpec::Spread { field: field.into() }
}

fn binpack(field: &str) -> StrategySpec {
    StrategySpec::Binpack { field: field.into() }
}

fn jake() -> RunSpec {
    RunSpec {
        strategies: vec![spread("attribute:ecs.availability-zone"), binpack("memory")],
        ..run(registered("nouvelleApp"), 9)
    }
}

fn port(container_port: u16, host_port: u16) -> PortSpec {
    PortSpec {
        container_port,
        host_port,
        protocol: Protocol::Tcp,
    }
}

/// The specs whose scripts are snapshotted, by name.
fn examples() -> Vec<(&'static str, RunSpec)> {
    vec![
        ("jake_spread_then_binpack", jake()),
        (
            "member_of_with_spaces",
            RunSpec {
                constraints: vec![member_of("attribute:ecs.instance-type == t2.small")],
                strategies: vec![binpack("memory")],
                ..run(registered("nouvelleApp"), 8)
            },
        ),
        (
            "member_of_with_commas_stays_shorthand",
            RunSpec {
                constraints: vec![member_of(
                    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == 'web, db')",
                )],
                ..run(registered("nouvelleApp"), 2)
            },
        ),
        (
            "member_of_with_double_quotes_is_json",
            RunSpec {
                constraints: vec![
                    ConstraintSpec::DistinctInstance,
                    member_of(r#"attribute:color == "light blue""#),
                ],
                ..run(registered("nouvelleApp"), 2)
            },
        ),
        (
            "distinct_instance_with_group",
            RunSpec {
                group: Some("caching".into()),
                constraints: vec![ConstraintSpec::DistinctInstance],
                ..run(registered("cache"), 9)
            },
        ),
        (
            "register_bridge_with_ports",
            RunSpec {
                started_by: Some("builder".into()),
                strategies: vec![spread("host"), StrategySpec::Random],
                ..run(
                    registering(
                        "web",
                        "bridge",
                        vec![
                            port(80, 8080),
                            port(9000, 0),
                            PortSpec {
                                container_port: 53,
                                host_port: 53,
                                protocol: Protocol::Udp,
                            },
                        ],
                    ),
                    3,
                )
            },
        ),
        (
            "register_awsvpc_with_subnets",
            RunSpec {
                subnets: vec!["subnet-0a1a".into(), "subnet-0b1b".into()],
                security_groups: vec!["sg-0web".into()],
                assign_public_ip: Some("DISABLED".into()),
                cluster: Some("default".into()),
                strategies: vec![spread("attribute:ecs.availability-zone")],
                ..run(registering("api", "awsvpc", vec![port(443, 0)]), 2)
            },
        ),
        (
            "quoting_of_odd_values",
            RunSpec {
                group: Some("-it's ‘odd’".into()),
                started_by: Some("me-and/you_2".into()),
                task_definition: TaskDefinitionSpec {
                    image: Some("it's \"odd\"".into()),
                    ..registering("odd_one", "host", vec![port(80, 80)])
                },
                ..run(registering("odd_one", "host", vec![]), 1)
            },
        ),
    ]
}

#[test]
fn composed_scripts() {
    for (name, spec) in examples() {
        let script = compose_script(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(name, script);
    }
}

#[test]
fn composed_scripts_read_back_without_repairs_or_warnings() {
    for (name, spec) in examples() {
        let script = compose_script(&spec).unwrap();
        for command in split_script(&script).unwrap() {
            assert!(command.repairs.is_empty(), "{name}: {:?}", command.repairs);
            let invocation = aws::parse_invocation(&command.words, &NoFiles).unwrap();
            assert!(invocation.warnings.is_empty(), "{name}: {:?}", invocation.warnings);
        }
    }
}

/// The instances a run-task report placed its tasks on, in order.
fn placed(report: &CommandReport) -> Vec<String> {
    let response = report.response.as_ref().unwrap_or_else(|| panic!("{:?}", report.error));
    response["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["containerInstanceArn"].as_str().unwrap().to_string())
        .collect()
}

fn run_on_blog(script: &str) -> (Vec<CommandReport>, Scenario) {
    let mut scenario = blog();
    let reports = aws::run_script(&mut scenario, script, &NoFiles, Options::default(), false).unwrap();
    (reports, scenario)
}

#[test]
fn composed_jake_places_like_jake_sh() {
    let by_hand = std::fs::read_to_string(scenarios_dir().join("jake.sh")).unwrap();
    let (expected, expected_scenario) = run_on_blog(&by_hand);
    let (reports, scenario) = run_on_blog(&compose_script(&jake()).unwrap());
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(placed(report).len(), 9);
    assert_eq!(placed(report), placed(&expected[0]));
    assert_eq!(report.response, expected[0].response, "same tasks, same ARNs");
    assert_eq!(scenario.tasks, expected_scenario.tasks);
}

#[test]
fn composed_registration_places_like_the_hand_written_commands() {
    let spec = RunSpec {
        group: Some("webserver".into()),
        constraints: vec![
            ConstraintSpec::DistinctInstance,
            member_of("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"),
        ],
        strategies: vec![binpack("cpu")],
        ..run(registering("web", "bridge", vec![port(80, 80)]), 5)
    };
    let by_hand = "aws ecs register-task-definition --family web --network-mode bridge \
        --container-definitions '[{\"name\":\"web\",\"image\":\"nginx\",\"cpu\":256,\"memory\":512,\"portMappings\":[{\"containerPort\":80,\"hostPort\":80}]}]'\n\
        aws ecs run-task --task-definition web --count 5 --group webserver \
        --placement-constraints type=distinctInstance 'type=memberOf,expression=\"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]\"' \
        --placement-strategy type=binpack,field=cpu\n";
    let (expected, _) = run_on_blog(by_hand);
    let (reports, _) = run_on_blog(&compose_script(&spec).unwrap());
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.warnings.is_empty()), "{reports:?}");
    assert_eq!(placed(&reports[1]).len(), 5);
    assert_eq!(placed(&reports[1]), placed(&expected[1]));
}

#[test]
fn composing_checks_like_the_operations() {
    let error = |spec: RunSpec| compose_script(&spec).unwrap_err();
    let base = || run(registered("nouvelleApp"), 1);
    let e = error(RunSpec { count: 11, ..base() });
    assert_eq!(e.kind, ErrorKind::InvalidParameter);
    assert!(e.message.starts_with("count must be between 1 and 10"), "{e}");
    assert!(
        compose_script_with(
            &RunSpec { count: 11, ..base() },
            Options {
                what_if: true,
                ..Options::default()
            }
        )
        .is_ok()
    );
    let e = error(RunSpec { count: 0, ..base() });
    assert!(e.message.starts_with("count must be between 1 and 10"), "{e}");
    let e = error(RunSpec {
        constraints: vec![ConstraintSpec::DistinctInstance; 11],
        ..base()
    });
    assert_eq!(
        e.message,
        "11 placement constraints (task definition and request together); the maximum is 10"
    );
    let e = error(RunSpec {
        strategies: vec![StrategySpec::Random; 6],
        ..base()
    });
    assert_eq!(e.message, "6 placement strategies given; the maximum is 5");
    let e = error(RunSpec {
        strategies: vec![binpack("disk")],
        ..base()
    });
    assert_eq!(e.message, "binpack needs field cpu or memory, not `disk`");
    let e = error(RunSpec {
        strategies: vec![spread("zone")],
        ..base()
    });
    assert_eq!(
        e.message,
        "invalid spread field `zone`: use instanceId, host or attribute:<name>"
    );
    let e = error(RunSpec {
        strategies: vec![spread("attribute:a b")],
        ..base()
    });
    assert_eq!(
        e.message,
        "invalid spread field `attribute:a b`: use instanceId, host or attribute:<name>"
    );
    let e = error(RunSpec {
        constraints: vec![member_of("attribute:color = blue")],
        ..base()
    });
    assert!(
        e.message.starts_with("invalid expression: `=` is not an operator"),
        "{e}"
    );
    assert!(!e.diagnostics.is_empty());
    let e = error(RunSpec {
        group: Some("g".repeat(256)),
        ..base()
    });
    assert_eq!(e.message, "group names are at most 255 characters");
}

#[test]
fn composing_checks_the_definition_and_network() {
    let error = |spec: RunSpec| compose_script(&spec).unwrap_err();
    let e = error(run(registering("api", "awsvpc", vec![]), 1));
    assert_eq!(
        e.message,
        "Network Configuration must be provided when networkMode 'awsvpc' is specified."
    );
    let e = error(RunSpec {
        subnets: vec!["subnet-1".into()],
        ..run(registering("web", "bridge", vec![]), 1)
    });
    assert_eq!(
        e.message,
        "Network Configuration is not valid for the given networkMode of this task definition."
    );
    let e = error(run(registering("bad family", "bridge", vec![]), 1));
    assert_eq!(e.kind, ErrorKind::Client);
    assert!(e.message.starts_with("Family `bad family` is invalid"), "{e}");
    let e = error(run(registering("web", "overlay", vec![]), 1));
    assert!(e.message.starts_with("Invalid networkMode `overlay`"), "{e}");
    let e = error(run(registering("web", "host", vec![port(80, 8080)]), 1));
    assert_eq!(
        e.message,
        "When networkMode=host, the host ports and container ports in port mappings must match."
    );
    let e = error(run(
        TaskDefinitionSpec {
            revision: Some(2),
            ..registering("web", "bridge", vec![])
        },
        1,
    ));
    assert!(e.message.starts_with("a revision can only be run"), "{e}");
    let e = error(run(
        TaskDefinitionSpec {
            memory: 0,
            ..registering("web", "bridge", vec![])
        },
        1,
    ));
    assert!(e.message.starts_with("the task size must be at least"), "{e}");
}

#[test]
fn specs_are_camel_case_json_and_refuse_unknown_fields() {
    let spec = RunSpec {
        constraints: vec![ConstraintSpec::DistinctInstance, member_of("task:group == cache")],
        ..jake()
    };
    let value = serde_json::to_value(&spec).unwrap();
    insta::assert_json_snapshot!(value);
    assert_eq!(serde_json::from_value::<RunSpec>(value.clone()).unwrap(), spec);
    let minimal = json!({
        "taskDefinition": {"family": "web", "register": true, "networkMode": "bridge", "cpu": 0, "memory": 64,
                           "ports": [{"containerPort": 80}]},
        "count": 1,
    });
    let parsed: RunSpec = serde_json::from_value(minimal).unwrap();
    assert_eq!(parsed.task_definition.ports, [port(80, 0)]);
    for (path, extra) in [
        ("", json!({"overrides": {}})),
        ("/taskDefinition", json!({"volumes": []})),
        ("/constraints/0", json!({"field": "x"})),
        ("/strategies/0", json!({"expression": "x"})),
        ("/strategies/1", json!({"extra": 1})),
    ] {
        let mut value = value.clone();
        let target = value.pointer_mut(path).unwrap().as_object_mut().unwrap();
        target.extend(extra.as_object().unwrap().clone());
        assert!(serde_json::from_value::<RunSpec>(value).is_err(), "{path} {extra}");
    }
    for (item, message) in [
        (json!({"type": "random", "field": "cpu"}), "random takes no `field`"),
        (json!({"type": "binpack"}), "binpack needs a `field`"),
        (json!({"type": "pack", "field": "cpu"}), "unknown strategy type `pack`"),
    ] {
        let error = serde_json::from_value::<StrategySpec>(item).unwrap_err().to_string();
        assert!(error.starts_with(message), "{error}");
    }
    for (item, message) in [
        (json!({"type": "memberOf"}), "memberOf needs an `expression`"),
        (
            json!({"type": "distinctInstance", "expression": "x"}),
            "distinctInstance takes no `expression`",
        ),
    ] {
        let error = serde_json::from_value::<ConstraintSpec>(item).unwrap_err().to_string();
        assert!(error.starts_with(message), "{error}");
    }
}

#[test]
fn registered_definitions_round_trip_on_the_blog_cluster() {
    let scenario = blog();
    let specs = [
        jake(),
        RunSpec {
            group: Some("webserver".into()),
            constraints: vec![member_of("not(task:group == webserver)")],
            ..run(registered("nouvelleApp"), 5)
        },
        RunSpec {
            constraints: vec![ConstraintSpec::DistinctInstance, member_of("task:group == caching")],
            started_by: Some("alex".into()),
            cluster: Some("default".into()),
            ..run(registered("webserver"), 9)
        },
    ];
    for spec in specs {
        let mut spec = spec;
        let parsed = parse_run_spec(&scenario, &compose_script(&spec).unwrap()).unwrap();
        if spec.task_definition.family == "webserver" {
            spec.task_definition.ports = vec![port(80, 80)];
            spec.task_definition.image = Some("example/webserver".into());
        }
        assert_eq!(parsed, spec);
    }
    let gpu = parse_run_spec(&scenario, "aws ecs run-task --task-definition GPU").unwrap();
    assert_eq!(
        (
            gpu.task_definition.cpu,
            gpu.task_definition.memory,
            gpu.task_definition.register
        ),
        (1024, 2048, false),
        "what the engine reserves; the GPU is the definition's and stays in it"
    );
    assert_eq!(parse_run_spec(&scenario, &compose_script(&gpu).unwrap()).unwrap(), gpu);
}

#[test]
fn revisions_and_arns_name_registered_definitions() {
    let mut scenario = blog();
    let register = "aws ecs register-task-definition --family web --container-definitions '[{\"name\":\"web\",\"image\":\"nginx\",\"memory\":64}]'";
    for _ in 0..2 {
        aws::run_command(&mut scenario, register, &NoFiles, Options::default());
    }
    let by_revision = parse_run_spec(&scenario, "aws ecs run-task --task-definition web:1").unwrap();
    assert_eq!(by_revision.task_definition.revision, Some(1));
    assert!(
        compose_script(&by_revision)
            .unwrap()
            .contains("--task-definition web:1 \\")
    );
    let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";
    let by_arn = parse_run_spec(&scenario, &format!("aws ecs run-task --task-definition {arn}")).unwrap();
    assert_eq!(
        (by_arn.task_definition.family.as_str(), by_arn.task_definition.revision),
        ("web", Some(2))
    );
    let latest = parse_run_spec(&scenario, "aws ecs run-task --task-definition web").unwrap();
    assert_eq!(latest.task_definition.revision, None);
}

#[test]
fn parsing_takes_the_last_run_task_and_its_registration() {
    let scenario = blog();
    let script = "aws ecs run-task --task-definition nouvelleApp --count 2\n\
        aws ecs register-task-definition --family nouvelleApp --network-mode host --cpu '0.5 vCPU' --memory 1GB \
        --container-definitions '[{\"name\":\"app\",\"image\":\"example/app\",\"memory\":300,\"memoryReservation\":200,\"portMappings\":[{\"containerPort\":8080}],\"environment\":[]}]'\n\
        aws ecs list-tasks\n\
        aws ecs run-task --task-definition nouvelleApp --count 3 --launch-type EC2 --region us-east-1\n";
    let spec = parse_run_spec(&scenario, script).unwrap();
    assert_eq!(spec.count, 3);
    assert_eq!(
        spec.task_definition,
        TaskDefinitionSpec {
            family: "nouvelleApp".into(),
            revision: None,
            register: true,
            network_mode: "host".into(),
            cpu: 512,
            memory: 1024,
            ports: vec![port(8080, 0)],
            image: Some("example/app".into()),
        },
        "task-level sizes win (D15)"
    );
    let (reports, _) = run_on_blog(&compose_script(&spec).unwrap());
    assert!(reports.iter().all(CommandReport::succeeded), "{reports:?}");
}

fn builder_error(scenario: &Scenario, script: &str) -> String {
    let error = parse_run_spec(scenario, script).unwrap_err();
    assert_eq!(error.hint, Some(NOT_IN_BUILDER), "{error}");
    assert_eq!(error.kind, ErrorKind::InvalidParameter);
    error.message
}

#[test]
fn what_the_builder_cannot_represent_is_named() {
    let scenario = blog();
    assert_eq!(
        builder_error(&scenario, "aws ecs list-tasks\n# aws ecs run-task\n"),
        "the script has no `aws ecs run-task` command: the builder edits a run-task"
    );
    let cases = [
        (
            r#"aws ecs run-task --task-definition nouvelleApp --overrides '{"cpu":"512"}'"#,
            "--overrides cannot be edited in the builder",
        ),
        (
            "aws ecs run-task --task-definition nouvelleApp --capacity-provider-strategy capacityProvider=cp",
            "--capacity-provider-strategy cannot be edited in the builder",
        ),
        (
            "aws ecs run-task --task-definition nouvelleApp --launch-type EXTERNAL",
            "--launch-type EXTERNAL cannot be edited in the builder",
        ),
        (
            "aws ecs run-task --task-definition nouvelleApp --tags key=a,value=b",
            "--tags cannot be edited in the builder",
        ),
        (
            "aws ecs run-task --task-definition nouvelleApp --region eu-west-1",
            "--region eu-west-1 cannot be edited in the builder (the scenario's cluster is in us-east-1)",
        ),
        (
            "aws ecs register-task-definition --family two --container-definitions '[{\"name\":\"a\",\"memory\":64,\"portMappings\":[{\"containerPort\":80}]},{\"name\":\"b\",\"memory\":64,\"portMappings\":[{\"containerPort\":81}]}]'\naws ecs run-task --task-definition two",
            "a task definition with 2 containers cannot be edited in the builder (it registers one container)",
        ),
        (
            "aws ecs register-task-definition --family g --container-definitions '[{\"name\":\"g\",\"memory\":64,\"resourceRequirements\":[{\"type\":\"GPU\",\"value\":\"1\"}]}]'\naws ecs run-task --task-definition g",
            "GPU resource requirements cannot be edited in the builder",
        ),
        (
            "aws ecs register-task-definition --family c --placement-constraints 'type=memberOf,expression=\"attribute:a == b\"' --container-definitions '[{\"name\":\"c\",\"memory\":64}]'\naws ecs run-task --task-definition c",
            "task definition placement constraints cannot be edited in the builder (give them to run-task instead)",
        ),
        (
            "aws ecs register-task-definition --family r --task-role-arn arn:aws:iam::1:role/r --container-definitions '[{\"name\":\"r\",\"memory\":64}]'\naws ecs run-task --task-definition r",
            "a task definition that requires the instance attributes com.amazonaws.ecs.capability.task-iam-role (from its roles, volumes, logging, secrets or registry credentials) cannot be edited in the builder",
        ),
        (
            "aws ecs register-task-definition --family p --container-definitions '[{\"name\":\"p\",\"memory\":64,\"portMappings\":[{\"containerPortRange\":\"8000-8010\"}]}]'\naws ecs run-task --task-definition p",
            "port mappings without a containerPort (port ranges) cannot be edited in the builder",
        ),
    ];
    for (script, message) in cases {
        assert_eq!(builder_error(&scenario, script), message, "{script}");
    }
}

#[test]
fn invalid_commands_fail_as_running_them_would() {
    let scenario = blog();
    let e = parse_run_spec(&scenario, "aws ecs run-task --task-definition nope").unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Client, "TaskDefinition not found.")
    );
    let e = parse_run_spec(
        &scenario,
        "aws ecs run-task --task-definition nouvelleApp --placement-strategy type=binpack,field=disk",
    )
    .unwrap_err();
    assert_eq!(e.message, "binpack needs field cpu or memory, not `disk`");
    let e = parse_run_spec(&scenario, "aws ecs run-task --count 2").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
    let e = parse_run_spec(
        &scenario,
        "aws ecs register-task-definition --cli-input-json file://td.json\naws ecs run-task --task-definition td",
    )
    .unwrap_err();
    assert!(e.message.contains("Unable to load paramfile file://td.json"), "{e}");
    let what_if = parse_run_spec(&scenario, "aws ecs run-task --task-definition nouvelleApp --count 500").unwrap();
    assert_eq!(what_if.count, 500, "what-if counts load; composing them needs what-if");
}

#[test]
fn random_keeps_no_field_and_spellings_are_kept() {
    let scenario = blog();
    let spec = parse_run_spec(
        &scenario,
        "aws ecs run-task --task-definition nouvelleApp --placement-strategy type=random,field=memory type=spread,field=instanceId type=binpack,field=CPU",
    )
    .unwrap();
    assert_eq!(
        spec.strategies,
        [StrategySpec::Random, spread("instanceId"), binpack("CPU")]
    );
}

/// Which scenario each use-case script runs on (as in `blog_use_cases.rs`).
fn scenario_of(script: &str) -> &'static str {
    match script {
        "ebs-mysql.sh" => "ebs-cluster.json",
        "efs-space.sh" => "efs-cluster.json",
        _ => "blog-cluster.json",
    }
}

#[test]
fn use_case_scripts_load_into_the_builder_or_say_why_not() {
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sh"))
        .collect();
    names.sort();
    let mut table = serde_json::Map::new();
    for name in names {
        let text = std::fs::read_to_string(scenarios_dir().join(&name)).unwrap();
        if !text.contains("run-task") {
            continue;
        }
        let json = std::fs::read_to_string(scenarios_dir().join(scenario_of(&name))).unwrap();
        let scenario = Scenario::from_json(&json).unwrap();
        let result = match parse_run_spec_with_files(&scenario, &text, &Files) {
            Ok(spec) => {
                let again = parse_run_spec(&scenario, &compose_script(&spec).unwrap()).unwrap();
                assert_eq!(again, spec, "{name}: the composed script loads back");
                json!({"spec": spec})
            }
            Err(error) => {
                assert_eq!(error.hint, Some(NOT_IN_BUILDER), "{name}: {error}");
                json!({"notInBuilder": error.message})
            }
        };
        table.insert(name, result);
    }
    insta::assert_json_snapshot!(Value::Object(table));
}

/// Runs a script in real bash with `aws` printing its arguments: one list of words per command.
fn bash_words(script: &str) -> Vec<Vec<String>> {
    let program =
        format!("aws() {{ for a in aws \"$@\"; do printf '%s\\0' \"$a\"; done; printf '\\1\\0'; }}\n{script}");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .output()
        .expect("bash runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let mut commands = vec![Vec::new()];
    for word in text.split('\0').filter(|w| !w.is_empty()) {
        if word == "\u{1}" {
            commands.push(Vec::new());
        } else if let Some(last) = commands.last_mut() {
            last.push(word.to_string());
        }
    }
    commands.retain(|c| !c.is_empty());
    commands
}

fn own_words(script: &str) -> Vec<Vec<String>> {
    split_script(script).unwrap().into_iter().map(|c| c.words).collect()
}

#[test]
fn bash_reads_composed_scripts_as_the_playground_does() {
    for (name, spec) in examples() {
        let script = compose_script(&spec).unwrap();
        assert_eq!(bash_words(&script), own_words(&script), "{name}");
    }
}

/// Strings with every character the quoting has to care about.
fn odd_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "Z", "0", " ", "'", "\"", "\\", "$", "`", "#", "*", "-", "–", "‘", "’", "“", "”", "=", ",", "[", "]",
            "{", "}", "!", "~", "\n", "é",
        ]),
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

const EXPRESSIONS: [&str; 8] = [
    "attribute:ecs.instance-type == t2.small",
    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
    "attribute:ecs.instance-type =~ t2\\..*",
    "attribute:color == \"light blue\" or attribute:color == 'dark, red'",
    "not(task:group == database) and agentConnected == true",
    "runningTasksCount < 3",
    "attribute:ecs.os-type exists",
    "attribute:team != payments || attribute:tier == web",
];

fn constraint() -> impl Strategy<Value = ConstraintSpec> {
    prop_oneof![
        Just(ConstraintSpec::DistinctInstance),
        prop::sample::select(EXPRESSIONS.to_vec()).prop_map(member_of),
    ]
}

fn strategy() -> impl Strategy<Value = StrategySpec> {
    prop_oneof![
        Just(StrategySpec::Random),
        prop::sample::select(vec!["cpu", "memory", "CPU", "MEMORY"]).prop_map(binpack),
        prop::sample::select(vec![
            "instanceId",
            "host",
            "attribute:ecs.availability-zone",
            "attribute:team/x_y",
            "attribute:odd\\name",
            "instance:attribute:ecs.instance-type",
        ])
        .prop_map(spread),
    ]
}

fn ports(mode: &'static str) -> impl Strategy<Value = Vec<PortSpec>> {
    let one = (1u16.., 0u16..3, any::<bool>()).prop_map(move |(container_port, host, udp)| PortSpec {
        container_port,
        host_port: match (mode, host) {
            (_, 0) => 0,
            ("bridge", 2) => container_port.wrapping_add(1).max(1),
            _ => container_port,
        },
        protocol: if udp { Protocol::Udp } else { Protocol::Tcp },
    });
    let max = if mode == "none" { 0 } else { 3 };
    prop::collection::vec(one, 0..=max)
}

fn definition() -> impl Strategy<Value = TaskDefinitionSpec> {
    prop::sample::select(vec!["bridge", "host", "awsvpc", "none"]).prop_flat_map(|mode| {
        (
            "[A-Za-z][A-Za-z0-9_-]{0,12}",
            0i64..4096,
            1i64..16384,
            ports(mode),
            prop_oneof![
                Just("nginx".to_string()),
                Just("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1".to_string()),
                odd_text()
            ],
        )
            .prop_map(move |(family, cpu, memory, ports, image)| TaskDefinitionSpec {
                family,
                revision: None,
                register: true,
                network_mode: mode.into(),
                cpu,
                memory,
                ports,
                image: Some(image),
            })
    })
}

fn ids(prefix: &'static str, range: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<String>> {
    let id = prop_oneof![
        4 => "[0-9a-f]{4}".prop_map(move |hex| format!("{prefix}-{hex}")),
        1 => odd_text(),
    ];
    prop::collection::vec(id, range)
}

fn spec() -> impl Strategy<Value = RunSpec> {
    definition().prop_flat_map(|task_definition| {
        let awsvpc = task_definition.network_mode == "awsvpc";
        (
            1u32..=10,
            prop::option::of(odd_text()),
            // RunTask refuses other characters in startedBy (and more than 128 of them).
            prop::option::of("[A-Za-z0-9_/-]{1,128}"),
            prop::collection::vec(constraint(), 0..=10),
            prop::collection::vec(strategy(), 0..=5),
            ids("subnet", if awsvpc { 1..=16 } else { 0..=0 }),
            ids("sg", if awsvpc { 0..=5 } else { 0..=0 }),
            // ENABLED is for Fargate tasks only; EC2 refuses it.
            prop::option::of(Just("DISABLED".to_string())).prop_map(move |a| a.filter(|_| awsvpc)),
            prop::option::of(prop_oneof![Just("default".to_string()), odd_text()]),
        )
            .prop_map(
                move |(
                    count,
                    group,
                    started_by,
                    constraints,
                    strategies,
                    subnets,
                    security_groups,
                    assign,
                    cluster,
                )| {
                    RunSpec {
                        task_definition: task_definition.clone(),
                        count,
                        group,
                        started_by,
                        constraints,
                        strategies,
                        subnets,
                        security_groups,
                        assign_public_ip: assign,
                        cluster,
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any valid spec composes, reads back to itself, and reads the same in bash.
    #[test]
    fn compose_then_parse_is_the_identity(spec in spec()) {
        let script = compose_script(&spec).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let parsed = parse_run_spec(&blog(), &script).map_err(|e| TestCaseError::fail(format!("{e}\n{script}")))?;
        prop_assert_eq!(&parsed, &spec, "{}", script);
        for command in split_script(&script).unwrap() {
            prop_assert!(command.repairs.is_empty(), "{:?}\n{}", command.repairs, script);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// bash splits composed scripts into the same words as the playground.
    #[test]
    fn bash_agrees_on_generated_scripts(spec in spec()) {
        let script = compose_script(&spec).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(bash_words(&script), own_words(&script), "{}", script);
    }
}
