//! Every export of the WebAssembly adapter, called the way the page calls it, in a real browser:
//! the happy paths and the error paths (thrown `Error` objects with `kind`, `path`, ...).
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p ecs-placement-wasm --target
//! wasm32-unknown-unknown` (the runner is `wasm-bindgen-test-runner`).
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

mod common;

use common::{blog, example, example_files, examples, load_preset, page_options, preset_file, sample, to_js, to_json};
use ecs_placement_wasm as api;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn field(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(name)).expect("Reflect.get")
}

fn string_field(value: &JsValue, name: &str) -> Option<String> {
    field(value, name).as_string()
}

/// The thrown value of a failed export: checks it is a real `Error` with a message and `kind`.
fn thrown(result: Result<JsValue, JsValue>) -> JsValue {
    let error = match result {
        Ok(value) => panic!("expected an Error, got {:?}", to_json(&value)),
        Err(error) => error,
    };
    assert!(error.is_instance_of::<js_sys::Error>(), "not an Error: {error:?}");
    let message = string_field(&error, "message").unwrap_or_default();
    assert!(!message.is_empty(), "the Error has no message");
    assert!(
        string_field(&error, "kind").is_some(),
        "the Error has no kind: {message}"
    );
    error
}

fn span(value: &Value) -> (u64, u64) {
    (
        value["span"]["start"].as_u64().unwrap(),
        value["span"]["end"].as_u64().unwrap(),
    )
}

// ---------------------------------------------------------------- tokenize

#[wasm_bindgen_test]
fn tokenize_classifies_every_token_with_byte_spans() {
    let tokens = to_json(&api::tokenize("attribute:ecs.instance-type =~ t2.*").unwrap());
    assert_eq!(
        tokens,
        json!([
            {"kind": "subject", "span": {"start": 0, "end": 27}},
            {"kind": "operator", "span": {"start": 28, "end": 30}},
            {"kind": "value", "span": {"start": 31, "end": 35}},
        ])
    );
}

#[wasm_bindgen_test]
fn tokenize_spans_are_utf8_byte_offsets() {
    let source = "attribute:café == \"naïve🙂\"";
    let tokens = to_json(&api::tokenize(source).unwrap());
    let tokens = tokens.as_array().unwrap();
    let kinds: Vec<&str> = tokens.iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["subject", "operator", "string"]);
    // `é` is 2 bytes, `ï` 2 and `🙂` 4: the string token ends at the byte length.
    assert_eq!(span(&tokens[0]), (0, 15));
    assert_eq!(span(&tokens[2]), (19, source.len() as u64));
    assert_eq!(source.len(), 31);
}

#[wasm_bindgen_test]
fn tokenize_of_nothing_and_of_garbage_does_not_throw() {
    assert_eq!(to_json(&api::tokenize("").unwrap()), json!([]));
    let tokens = to_json(&api::tokenize("== ] \"open").unwrap());
    assert!(!tokens.as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------- check

#[wasm_bindgen_test]
fn check_of_a_clean_expression_is_empty() {
    let diagnostics = to_json(&api::check("not(task:group == database)").unwrap());
    assert_eq!(diagnostics, json!([]));
}

#[wasm_bindgen_test]
fn check_reports_an_error_with_help_and_a_suggestion() {
    let diagnostics = to_json(&api::check("attribute:ecs.instance-type = t2.small").unwrap());
    let d = &diagnostics[0];
    assert_eq!(diagnostics.as_array().unwrap().len(), 1);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "single-equals");
    assert_eq!(span(d), (28, 29));
    assert!(d["message"].as_str().unwrap().contains("=="));
    assert!(d["help"].is_string());
    assert_eq!(
        d["suggestion"],
        json!({"span": {"start": 28, "end": 29}, "replacement": "=="})
    );
}

#[wasm_bindgen_test]
fn check_reports_the_glob_mistake_as_a_warning() {
    let diagnostics = to_json(&api::check("attribute:ecs.instance-type =~ g2*").unwrap());
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(span(d), (31, 34));
    assert_eq!(d["suggestion"]["replacement"], "g2.*");
}

#[wasm_bindgen_test]
fn check_reports_zero_width_spans_at_the_end_of_input() {
    let diagnostics = to_json(&api::check("attribute:ecs.instance-type ==").unwrap());
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(span(d), (30, 30));
}

#[wasm_bindgen_test]
fn check_spans_of_non_ascii_input_are_byte_offsets() {
    let diagnostics = to_json(&api::check("attribute:café == \"naïve🙂\"").unwrap());
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "error");
    // `café` is bytes 10..15.
    assert_eq!(span(d), (10, 15));
}

// ---------------------------------------------------------------- filter

#[wasm_bindgen_test]
fn filter_matches_the_t2_instances_of_the_sample() {
    let outcome = to_json(&api::filter(sample(), "attribute:ecs.instance-type =~ t2.*", None).unwrap());
    assert_eq!(outcome["diagnostics"], json!([]));
    let matches = outcome["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 9);
    let matched: Vec<&str> = matches
        .iter()
        .filter(|m| m["matched"] == true)
        .map(|m| m["ec2InstanceId"].as_str().unwrap())
        .collect();
    assert_eq!(matched, ["i-abcd1234", "i-wxyx7890", "i-0a1b2c3d4e5f60006"]);
    let first = &matches[0];
    assert!(
        first["containerInstanceArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:ecs:us-east-1:123456789012:container-instance/")
    );
    assert_eq!(
        first["clauses"],
        json!([{
            "span": {"start": 0, "end": 35},
            "depth": 0,
            "kind": "compare",
            "value": true,
            "actual": "t2.small",
        }])
    );
}

#[wasm_bindgen_test]
fn filter_returns_truth_tables_in_pre_order() {
    let source = "not(task:group == database) and agentVersion < 1.14.5";
    let outcome = to_json(&api::filter(sample(), source, None).unwrap());
    let clauses = outcome["matches"][0]["clauses"].as_array().unwrap().clone();
    let shape: Vec<(&str, u64)> = clauses
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["depth"].as_u64().unwrap()))
        .collect();
    assert_eq!(shape, [("and", 0), ("not", 1), ("compare", 2), ("compare", 1)]);
    assert_eq!(span(&clauses[0]), (0, source.len() as u64));
    assert_eq!(clauses[3]["actual"], "1.9.0");
}

#[wasm_bindgen_test]
fn filter_without_tables_gives_the_same_verdicts_and_no_clauses() {
    // The query panel asks for verdicts only (`tables: false`); the default is `true`.
    let source = "attribute:ecs.instance-type =~ t2.* and not(task:group == database)";
    let tables = to_json(&api::filter(sample(), source, Some(true)).unwrap());
    assert_eq!(tables, to_json(&api::filter(sample(), source, None).unwrap()));
    let verdicts = to_json(&api::filter(sample(), source, Some(false)).unwrap());
    assert_eq!(verdicts["diagnostics"], tables["diagnostics"]);
    let (with, without) = (
        tables["matches"].as_array().unwrap(),
        verdicts["matches"].as_array().unwrap(),
    );
    assert_eq!(with.len(), 9);
    assert_eq!(without.len(), with.len());
    for (a, b) in with.iter().zip(without) {
        assert_eq!(a["containerInstanceArn"], b["containerInstanceArn"]);
        assert_eq!(a["ec2InstanceId"], b["ec2InstanceId"]);
        assert_eq!(a["matched"], b["matched"]);
        assert!(!a["clauses"].as_array().unwrap().is_empty());
        assert_eq!(b["clauses"], json!([]));
    }
    assert!(with.iter().any(|m| m["matched"] == true));
    // A bad expression is still diagnostics without matches.
    let bad = to_json(&api::filter(sample(), "attribute:x = y", Some(false)).unwrap());
    assert_eq!(bad["diagnostics"][0]["code"], "single-equals");
    assert!(bad.get("matches").is_none(), "{bad}");
}

#[wasm_bindgen_test]
fn filter_with_a_warning_still_matches() {
    let outcome = to_json(&api::filter(sample(), "attribute:ecs.instance-type =~ g2*", None).unwrap());
    assert_eq!(outcome["diagnostics"][0]["severity"], "warning");
    let matches = outcome["matches"].as_array().unwrap();
    assert!(matches.iter().all(|m| m["matched"] == false));
}

#[wasm_bindgen_test]
fn filter_with_errors_has_diagnostics_and_no_matches() {
    let outcome = to_json(&api::filter(sample(), "attribute:ecs.instance-type = t2.small", None).unwrap());
    assert_eq!(outcome["diagnostics"][0]["code"], "single-equals");
    assert!(outcome.get("matches").is_none(), "{outcome}");

    let empty = to_json(&api::filter(sample(), "", None).unwrap());
    assert_eq!(empty["diagnostics"][0]["severity"], "error");
    assert!(empty.get("matches").is_none());
}

#[wasm_bindgen_test]
fn filter_accepts_a_minimal_scenario_object() {
    let scenario = to_js(&json!({
        "version": 1,
        "instances": [{
            "containerInstanceArn": "abc",
            "ec2InstanceId": "i-1",
            "registeredResources": {"cpu": 1024, "memory": 2048},
            "attributes": {"stack": "prod", "flag": null},
        }],
    }));
    let outcome = to_json(&api::filter(scenario, "attribute:stack == prod", None).unwrap());
    assert_eq!(outcome["matches"][0]["matched"], true);
    assert_eq!(
        outcome["matches"][0]["containerInstanceArn"],
        "arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc"
    );
}

#[wasm_bindgen_test]
fn filter_of_a_malformed_scenario_throws_with_the_path() {
    let scenario = to_js(&json!({
        "version": 1,
        "instances": [{
            "containerInstanceArn": "abc",
            "registeredResources": {"cpu": "lots", "memory": 2048},
        }],
    }));
    let error = thrown(api::filter(scenario, "attribute:stack == prod", None));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(
        string_field(&error, "path").as_deref(),
        Some("instances[0].registeredResources.cpu")
    );
}

#[wasm_bindgen_test]
fn filter_of_a_scenario_with_a_missing_field_throws_with_the_path() {
    let scenario = to_js(&json!({"version": 1, "instances": [{"ec2InstanceId": "i-1"}]}));
    let error = thrown(api::filter(scenario, "attribute:stack == prod", None));
    assert_eq!(string_field(&error, "path").as_deref(), Some("instances[0]"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("containerInstanceArn"), "{message}");
}

#[wasm_bindgen_test]
fn filter_of_a_scenario_of_the_wrong_version_throws() {
    let error = thrown(api::filter(to_js(&json!({"version": 99})), "a == b", None));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
}

#[wasm_bindgen_test]
fn filter_of_values_that_are_not_scenarios_throws() {
    for value in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_str("sample")] {
        thrown(api::filter(value, "a == b", None));
    }
}

// ---------------------------------------------------------------- presets

#[wasm_bindgen_test]
fn presets_lists_the_sample() {
    let presets = to_json(&api::presets().unwrap());
    let list = presets.as_array().unwrap();
    let sample = list.iter().find(|p| p["name"] == "sample").expect("sample");
    assert!(!sample["description"].as_str().unwrap().is_empty());
    for preset in list {
        let name = preset["name"].as_str().unwrap();
        load_preset(name).unwrap_or_else(|_| panic!("preset {name} loads"));
    }
}

#[wasm_bindgen_test]
fn load_preset_returns_a_normalized_scenario() {
    let scenario = to_json(&sample());
    assert_eq!(scenario["version"], 1);
    assert_eq!(scenario["cluster"]["name"], "default");
    let instances = scenario["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 9);
    let mut zones: Vec<&str> = instances
        .iter()
        .map(|i| i["attributes"]["ecs.availability-zone"].as_str().unwrap())
        .collect();
    zones.dedup();
    assert_eq!(zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    for instance in instances {
        assert!(
            instance["containerInstanceArn"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:ecs:")
        );
        assert!(instance["remainingResources"]["cpu"].is_i64());
    }
    // Remaining = registered - what the tasks hold (t2.small runs a 256-CPU batch task).
    assert_eq!(instances[0]["registeredResources"]["cpu"], 1024);
    assert_eq!(instances[0]["remainingResources"]["cpu"], 768);
    let tasks = scenario["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    assert!(tasks[0]["taskArn"].as_str().unwrap().starts_with("arn:aws:ecs:"));
}

#[wasm_bindgen_test]
fn presets_name_the_files_the_page_fetches() {
    let presets = to_json(&api::presets().unwrap());
    let file = |name: &str| {
        presets
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p.get("file").cloned())
    };
    assert_eq!(file("sample"), Some(Some(json!("sample.json"))));
    assert_eq!(file("blog"), Some(Some(json!("blog-cluster.json"))));
    assert_eq!(
        file("fleet-300"),
        Some(Some(json!("sample.json"))),
        "generated from the sample"
    );
    let example = to_json(&api::examples().unwrap())[0].clone();
    assert_eq!(example["scriptFile"], "mariya.sh");
    assert_eq!(example["files"], json!([]));
    assert_eq!(example["preset"], "blog");
}

#[wasm_bindgen_test]
fn load_preset_reads_the_text_it_is_given() {
    let from_text = to_json(&api::load_preset("sample", Some(preset_file("sample.json"))).unwrap());
    assert_eq!(from_text, to_json(&sample()));
    let error = thrown(api::load_preset("sample", None));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(
        string_field(&error, "message").as_deref(),
        Some("the built-in scenario `sample` is read from its file `sample.json`, which was not given")
    );
    let error = thrown(api::load_preset("sample", Some("{\"version\": 99}".to_string())));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
}

#[wasm_bindgen_test]
fn load_preset_of_an_unknown_name_throws() {
    let error = thrown(api::load_preset("no-such-preset", None));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("no-such-preset"), "{message}");
}

// ---------------------------------------------------------------- parseScenario

#[wasm_bindgen_test]
fn parse_scenario_reads_and_normalizes_json() {
    let text = json!({
        "version": 1,
        "seed": 7,
        "cluster": {"name": "prod", "region": "eu-west-1", "accountId": "111122223333"},
        "instances": [{
            "containerInstanceArn": "i1",
            "ec2InstanceId": "i-0123",
            "registeredAt": "2024-01-02T03:04:05Z",
            "registeredResources": {"cpu": 2048, "memory": 4096},
        }],
        "tasks": [{
            "taskArn": "t1",
            "containerInstanceArn": "i1",
            "group": "service:web",
            "cpu": 512,
            "memory": 1024,
        }],
    })
    .to_string();
    let scenario = to_json(&api::parse_scenario(&text).unwrap());
    assert_eq!(scenario["seed"], 7);
    let instance = &scenario["instances"][0];
    assert_eq!(
        instance["containerInstanceArn"],
        "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/i1"
    );
    assert_eq!(instance["remainingResources"]["cpu"], 1536);
    assert_eq!(instance["remainingResources"]["memory"], 3072);
    assert_eq!(
        scenario["tasks"][0]["containerInstanceArn"],
        instance["containerInstanceArn"]
    );
    // The normalized scenario goes back into `filter` unchanged.
    let outcome =
        to_json(&api::filter(api::parse_scenario(&text).unwrap(), "task:group == service:web", None).unwrap());
    assert_eq!(outcome["matches"][0]["matched"], true);
}

#[wasm_bindgen_test]
fn parse_scenario_of_invalid_json_throws() {
    let error = thrown(api::parse_scenario("{\"version\": 1,"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("not valid JSON"), "{message}");
}

#[wasm_bindgen_test]
fn parse_scenario_of_the_wrong_version_throws_at_version() {
    let error = thrown(api::parse_scenario(r#"{"version": 3, "instances": []}"#));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("version 3"), "{message}");
}

#[wasm_bindgen_test]
fn parse_scenario_names_the_path_of_a_bad_field() {
    let text = r#"{"version": 1, "instances": [
        {"containerInstanceArn": "a", "registeredResources": {"cpu": 1, "memory": 1}},
        {"containerInstanceArn": "b", "registeredResources": {"cpu": -5, "memory": 1}}
    ]}"#;
    let error = thrown(api::parse_scenario(text));
    assert_eq!(
        string_field(&error, "path").as_deref(),
        Some("instances[1].registeredResources")
    );
}

#[wasm_bindgen_test]
fn parse_scenario_of_describe_container_instances_output_says_what_to_do() {
    let error = thrown(api::parse_scenario(DESCRIBE_CONTAINER_INSTANCES));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("describe-container-instances"), "{message}");
    assert!(message.contains("import"), "{message}");
}

#[wasm_bindgen_test]
fn parse_scenario_of_describe_tasks_output_says_what_to_do() {
    let error = thrown(api::parse_scenario(DESCRIBE_TASKS));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("describe-tasks"), "{message}");
}

// ---------------------------------------------------------------- importAws

/// `aws ecs describe-container-instances` output as the API returns it (epoch-second
/// `registeredAt`) and as the CLI prints it (ISO 8601).
const DESCRIBE_CONTAINER_INSTANCES: &str = r#"{
    "containerInstances": [
        {
            "containerInstanceArn": "arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d",
            "ec2InstanceId": "i-0123456789abcdef0",
            "version": 12,
            "versionInfo": {"agentVersion": "1.68.2", "agentHash": "1a2b3c4d", "dockerVersion": "DockerVersion: 20.10.23"},
            "remainingResources": [
                {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 1536},
                {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 6656},
                {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": ["22", "2376", "2375", "51678", "51679", "80"]},
                {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": []}
            ],
            "registeredResources": [
                {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 2048},
                {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 7680},
                {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": ["22", "2376", "2375", "51678", "51679"]},
                {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": []}
            ],
            "status": "ACTIVE",
            "agentConnected": true,
            "runningTasksCount": 1,
            "pendingTasksCount": 0,
            "attributes": [
                {"name": "ecs.capability.secrets.asm.environment-variables"},
                {"name": "ecs.instance-type", "value": "m5.large"},
                {"name": "ecs.availability-zone", "value": "us-west-2a"},
                {"name": "ecs.os-type", "value": "linux"},
                {"name": "stack", "value": "prod"}
            ],
            "registeredAt": 1525981339.218,
            "attachments": [],
            "tags": []
        },
        {
            "containerInstanceArn": "arn:aws:ecs:us-west-2:111122223333:container-instance/prod/9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "ec2InstanceId": "i-0fedcba9876543210",
            "versionInfo": {"agentVersion": "1.14.4"},
            "registeredResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 1024},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 1993}
            ],
            "status": "DRAINING",
            "agentConnected": false,
            "runningTasksCount": 2,
            "attributes": [
                {"name": "ecs.instance-type", "value": "t2.small"},
                {"name": "ecs.availability-zone", "value": "us-west-2b"}
            ],
            "registeredAt": "2018-02-10T08:30:00.123000-08:00"
        }
    ],
    "failures": []
}"#;

/// `aws ecs describe-tasks` output: one task on the first instance, one Fargate task.
const DESCRIBE_TASKS: &str = r#"{
    "tasks": [
        {
            "taskArn": "arn:aws:ecs:us-west-2:111122223333:task/prod/1234567890abcdef1234567890abcdef",
            "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/prod",
            "containerInstanceArn": "arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d",
            "taskDefinitionArn": "arn:aws:ecs:us-west-2:111122223333:task-definition/web:7",
            "group": "service:web",
            "lastStatus": "RUNNING",
            "desiredStatus": "RUNNING",
            "cpu": "512",
            "memory": "1024",
            "containers": [
                {"name": "web", "networkBindings": [{"bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 80, "protocol": "tcp"}]}
            ],
            "launchType": "EC2",
            "createdAt": "2024-05-01T10:00:00.000000+00:00",
            "startedBy": "ecs-svc/1234567890123456789"
        },
        {
            "taskArn": "arn:aws:ecs:us-west-2:111122223333:task/prod/fargate0000000000000000000000000",
            "taskDefinitionArn": "arn:aws:ecs:us-west-2:111122223333:task-definition/job:1",
            "group": "family:job",
            "lastStatus": "RUNNING",
            "desiredStatus": "RUNNING",
            "cpu": "256",
            "memory": "512",
            "launchType": "FARGATE",
            "createdAt": 1714557600.5
        }
    ],
    "failures": []
}"#;

#[wasm_bindgen_test]
fn import_aws_builds_a_scenario_from_describe_container_instances() {
    let outcome = to_json(&api::import_aws(DESCRIBE_CONTAINER_INSTANCES, None).unwrap());
    let scenario = &outcome["scenario"];
    assert_eq!(
        scenario["cluster"],
        json!({"name": "prod", "region": "us-west-2", "accountId": "111122223333"})
    );
    let instances = scenario["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 2);
    let first = &instances[0];
    assert_eq!(first["ec2InstanceId"], "i-0123456789abcdef0");
    assert_eq!(first["agentVersion"], "1.68.2");
    assert_eq!(first["registeredAt"], "2018-05-10T19:42:19.218Z");
    assert_eq!(first["registeredResources"]["cpu"], 2048);
    assert_eq!(first["remainingResources"]["cpu"], 1536);
    assert_eq!(first["remainingResources"]["memory"], 6656);
    assert_eq!(first["attributes"]["ecs.instance-type"], "m5.large");
    assert_eq!(
        first["attributes"]["ecs.capability.secrets.asm.environment-variables"],
        Value::Null
    );
    assert_eq!(first["untrackedRunningTasks"], 1);
    let second = &instances[1];
    assert_eq!(second["status"], "DRAINING");
    assert_eq!(second["agentConnected"], false);
    assert_eq!(second["registeredAt"], "2018-02-10T16:30:00.123Z");
    assert_eq!(scenario["tasks"], json!([]));
    assert!(outcome["warnings"].is_array());

    // The imported scenario is a scenario: filter it.
    let imported = field(
        &api::import_aws(DESCRIBE_CONTAINER_INSTANCES, None).unwrap(),
        "scenario",
    );
    let filtered = to_json(&api::filter(imported, "runningTasksCount == 2", None).unwrap());
    let matched: Vec<bool> = filtered["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["matched"].as_bool().unwrap())
        .collect();
    assert_eq!(matched, [false, true]);
}

#[wasm_bindgen_test]
fn import_aws_with_describe_tasks_places_the_tasks() {
    let outcome = to_json(&api::import_aws(DESCRIBE_CONTAINER_INSTANCES, Some(DESCRIBE_TASKS.to_string())).unwrap());
    let tasks = outcome["scenario"]["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "the Fargate task is skipped");
    assert_eq!(tasks[0]["group"], "service:web");
    assert_eq!(tasks[0]["cpu"], 512);
    assert_eq!(tasks[0]["memory"], 1024);
    assert_eq!(tasks[0]["ports"], json!([80]));
    let warnings = outcome["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("fargate0000"));
    // The described task is no longer untracked.
    assert!(
        outcome["scenario"]["instances"][0]
            .get("untrackedRunningTasks")
            .is_none()
    );
}

#[wasm_bindgen_test]
fn import_aws_of_bad_json_throws() {
    let error = thrown(api::import_aws("{\"containerInstances\": [", None));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("not valid JSON"), "{message}");

    let error = thrown(api::import_aws(
        DESCRIBE_CONTAINER_INSTANCES,
        Some("not json".to_string()),
    ));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("describe-tasks"), "{message}");
}

#[wasm_bindgen_test]
fn import_aws_names_the_path_of_a_bad_field() {
    let text = r#"{"containerInstances": [{
        "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1",
        "status": "SLEEPING"
    }]}"#;
    let error = thrown(api::import_aws(text, None));
    assert_eq!(
        string_field(&error, "path").as_deref(),
        Some("containerInstances[0].status")
    );

    let error = thrown(api::import_aws(r#"{"containerInstances": []}"#, None));
    assert_eq!(string_field(&error, "path").as_deref(), Some("containerInstances"));
    let error = thrown(api::import_aws(r#"{"version": 1}"#, None));
    assert!(string_field(&error, "message").unwrap().contains("containerInstances"));
}

// ---------------------------------------------------------------- drawSeed

#[wasm_bindgen_test]
fn draw_seed_returns_a_u32() {
    let seeds: Vec<f64> = (0..8).map(|_| api::draw_seed().unwrap()).collect();
    for seed in &seeds {
        assert!(seed.fract() == 0.0 && *seed >= 0.0 && *seed <= f64::from(u32::MAX));
    }
    assert!(seeds.windows(2).any(|w| w[0] != w[1]), "eight equal seeds: {seeds:?}");
}

// ---------------------------------------------------------------- errors

#[wasm_bindgen_test]
fn errors_are_error_objects_with_the_documented_fields() {
    let error = thrown(api::parse_scenario(r#"{"version": 1, "instances": 5}"#));
    let error: &js_sys::Error = error.unchecked_ref();
    let message = String::from(error.message());
    assert!(message.contains("instances"), "{message}");
    assert_eq!(string_field(error, "path").as_deref(), Some("instances"));
    // Errors without an AWS exception carry no `exception` field.
    assert!(field(error, "exception").is_undefined());
}

// ---------------------------------------------------------------- runCommand / runScript

/// `{explain: true, keepGoing: true}` plus `extra`.
fn run_options(extra: Value) -> JsValue {
    let mut options = json!({"explain": true, "keepGoing": true});
    if let (Some(target), Some(more)) = (options.as_object_mut(), extra.as_object()) {
        target.extend(more.clone());
    }
    to_js(&options)
}

fn tasks_of(scenario: &Value) -> usize {
    scenario["tasks"].as_array().map_or(0, Vec::len)
}

/// The commands of a run's timeline.
fn commands(trace: &Value) -> &Vec<Value> {
    trace["commands"].as_array().expect("the timeline has commands")
}

/// The report of command `index` of a run's timeline.
fn report_of(trace: &Value, index: usize) -> &Value {
    &trace["commands"][index]["report"]
}

/// Runs a script as the page does (no explanation, keep going, no progress callback).
fn run_on(scenario: JsValue, script: &str) -> Value {
    to_json(&api::run_script(scenario, script, page_options(), None).unwrap())
}

const JAKE: &str = "aws ecs run-task --task-definition nouvelleApp --count 9 \\\n  --placement-strategy type=\"spread\",field=\"attribute:ecs.availability-zone\" type=\"binpack\",field=\"memory\"";

/// Jake's use case as the repository's scenario script writes it (comments, a continuation).
const JAKE_SH: &str = include_str!("../../../tests/scenarios/jake.sh");

#[wasm_bindgen_test]
fn run_command_places_tasks_and_explains_every_decision() {
    let trace = to_json(&api::run_command(blog(), JAKE, run_options(json!({}))).unwrap());
    assert_eq!(trace["seed"], 2016, "the blog preset's seed");
    let commands = commands(&trace);
    assert_eq!(commands.len(), 1);
    let report = &commands[0]["report"];
    assert_eq!(report["line"], 1);
    assert_eq!(report["operation"], "RunTask");
    assert!(report.get("error").is_none(), "{report}");
    assert_eq!(report["words"][2], "run-task");
    let placed = report["response"]["tasks"].as_array().unwrap();
    assert_eq!(placed.len(), 9);
    assert_eq!(report["response"]["failures"], json!([]));

    // The scenario after the run holds the new tasks and the seed; the command changed the
    // cluster, so it carries the scenario and the view after it.
    let scenario = &trace["scenario"];
    assert_eq!(tasks_of(scenario), 9);
    assert_eq!(scenario["seed"], 2016);
    assert_eq!(&commands[0]["scenario"], scenario);
    assert_eq!(
        commands[0]["view"],
        to_json(&api::cluster_view(to_js(scenario)).unwrap())
    );
    let mut zones: Vec<&str> = placed.iter().map(|t| t["availabilityZone"].as_str().unwrap()).collect();
    zones.sort_unstable();
    assert_eq!(
        zones,
        [
            "us-east-1a",
            "us-east-1a",
            "us-east-1a",
            "us-east-1b",
            "us-east-1b",
            "us-east-1b",
            "us-east-1c",
            "us-east-1c",
            "us-east-1c"
        ]
    );

    let explanation = &report["explanation"];
    let chain = json!([
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"},
    ]);
    assert_eq!(explanation["type"], "placement");
    assert_eq!(explanation["group"], "family:nouvelleApp");
    assert_eq!(explanation["reservation"]["memory"], 128);
    assert_eq!(explanation["networkMode"], "bridge");
    assert_eq!(explanation["strategies"], chain);
    assert_eq!(explanation["strategySource"], "request");
    assert!(explanation.get("strategyNote").is_none(), "{explanation}");
    assert_eq!(explanation["seed"], 2016);
    let tasks = explanation["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 9);
    for (index, task) in tasks.iter().enumerate() {
        assert_eq!(task["attempt"], index + 1);
        assert_eq!(task["instances"].as_array().unwrap().len(), 12);
        let steps: Vec<&Value> = task["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["strategy"])
            .collect();
        assert_eq!(json!(steps), chain);
        assert!(task.get("decidedBy").is_none(), "{task}");
        // The explanation names the tasks of the response, in order.
        assert_eq!(task["taskArn"], placed[index]["taskArn"]);
        assert_eq!(task["placedOn"], placed[index]["containerInstanceArn"]);
    }
    // The third task is decided by binpack alone; the first by a seeded draw among 3.
    assert_eq!(
        tasks[2]["decision"],
        json!({"kind": "strategy", "step": 1, "strategy": {"type": "binpack", "field": "memory"}})
    );
    assert!(tasks[2].get("tied").is_none());
    assert_eq!(
        tasks[0]["decision"],
        json!({"kind": "tieBreak", "among": 3, "seed": 2016})
    );
    assert_eq!(tasks[0]["tied"].as_array().unwrap().len(), 3);
    // A finding carries its title, AWS reason, summary and figures.
    let memory = tasks[0]["instances"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "memory")
        .unwrap()
        .clone();
    assert_eq!(
        memory,
        json!({
            "check": "memory",
            "title": "memory",
            "reason": "RESOURCE:MEMORY",
            "summary": "Not enough memory left",
            "constraint": false,
            "passed": true,
            "detail": "needs 128 MiB, 993 MiB remaining",
            "figures": {"needed": 128, "available": 993, "unit": "mib"},
        })
    );
    let binpack = &tasks[0]["steps"][1]["candidates"][0];
    assert_eq!(binpack["label"], "993 MiB remaining");
    assert_eq!(binpack["value"], 993);

    // The placement trace: the call without tasks, and one frame per task that agrees with the
    // explanation.
    let placement = &report["placement"];
    assert_eq!(placement["call"]["strategies"], chain);
    assert_eq!(placement["call"]["tasks"], json!([]));
    let frames = placement["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 9);
    for (frame, task) in frames.iter().zip(tasks) {
        assert_eq!(frame["attempt"], task["attempt"]);
        assert_eq!(frame["decision"], task["decision"]);
        assert_eq!(frame["funnel"], task["funnel"]);
        assert_eq!(frame["task"]["taskArn"], task["taskArn"]);
        assert_eq!(frame["instance"]["containerInstanceArn"], task["placedOn"]);
    }
}

#[wasm_bindgen_test]
fn run_command_without_explain_has_no_explanation_and_the_same_placements() {
    let plain = to_json(&api::run_command(blog(), JAKE, JsValue::UNDEFINED).unwrap());
    let explained = to_json(&api::run_command(blog(), JAKE, run_options(json!({}))).unwrap());
    let (plain_report, explained_report) = (report_of(&plain, 0), report_of(&explained, 0));
    assert!(plain_report.get("explanation").is_none(), "{plain_report}");
    assert!(explained_report["explanation"].is_object());
    assert_eq!(plain_report["response"], explained_report["response"]);
    assert_eq!(plain_report["placement"], explained_report["placement"]);
    assert_eq!(plain["scenario"], explained["scenario"]);
    assert_eq!(plain, without_explanations(&explained));
}

/// A timeline with the reports' explanations removed.
fn without_explanations(trace: &Value) -> Value {
    let mut trace = trace.clone();
    for command in trace["commands"].as_array_mut().unwrap() {
        command["report"].as_object_mut().unwrap().remove("explanation");
    }
    trace
}

#[wasm_bindgen_test]
fn run_command_reports_a_failed_command_as_data_and_keeps_the_scenario() {
    let trace = to_json(
        &api::run_command(
            blog(),
            "aws ecs run-task --task-definition nope",
            run_options(json!({})),
        )
        .unwrap(),
    );
    let report = report_of(&trace, 0);
    assert_eq!(report["operation"], "RunTask");
    assert!(report.get("response").is_none());
    assert!(report.get("placement").is_none());
    let error = &report["error"];
    assert_eq!(
        error["text"],
        "An error occurred (ClientException) when calling the RunTask operation: TaskDefinition not found."
    );
    assert_eq!(error["exitCode"], 254);
    assert_eq!(error["error"]["kind"], "client");
    assert_eq!(error["error"]["exception"], "ClientException");
    assert_eq!(error["error"]["message"], "TaskDefinition not found.");
    // Nothing changed: the command carries no scenario or view.
    assert!(trace["commands"][0].get("scenario").is_none());
    assert!(trace["commands"][0].get("view").is_none());
    assert_eq!(tasks_of(&trace["scenario"]), 0);
    assert_eq!(trace["scenario"]["instances"], to_json(&blog())["instances"]);

    // A command-line mistake: the AWS CLI's usage error, exit code 252, no operation.
    let trace = to_json(&api::run_command(blog(), "aws ecs run-tasks --count 1", run_options(json!({}))).unwrap());
    let usage = report_of(&trace, 0);
    assert_eq!(usage["error"]["exitCode"], 252);
    assert_eq!(usage["error"]["error"]["kind"], "usage");
    assert!(usage.get("operation").is_none(), "{usage}");
    assert!(
        usage["error"]["text"].as_str().unwrap().starts_with("usage: aws"),
        "{usage}"
    );
}

#[wasm_bindgen_test]
fn run_command_goes_beyond_aws_limits_only_in_what_if_mode() {
    let line = "aws ecs run-task --task-definition nouvelleApp --count 20";
    let refused = to_json(&api::run_command(blog(), line, run_options(json!({}))).unwrap());
    let text = report_of(&refused, 0)["error"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("An error occurred (InvalidParameterException) when calling the RunTask operation: "),
        "{text}"
    );
    assert_eq!(tasks_of(&refused["scenario"]), 0);

    let allowed = to_json(&api::run_command(blog(), line, run_options(json!({"whatIf": true}))).unwrap());
    let report = report_of(&allowed, 0);
    assert!(report.get("error").is_none(), "{report}");
    assert_eq!(report["response"]["tasks"].as_array().unwrap().len(), 20);
    assert_eq!(report["placement"]["frames"].as_array().unwrap().len(), 20);
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("what-if"))
    );
    assert_eq!(tasks_of(&allowed["scenario"]), 20);
}

#[wasm_bindgen_test]
fn run_command_records_a_seed_when_the_scenario_has_none() {
    let mut scenario = to_json(&blog());
    scenario.as_object_mut().unwrap().remove("seed");
    let line = "aws ecs run-task --task-definition nouvelleApp --count 3";
    let trace = to_json(&api::run_command(to_js(&scenario), line, run_options(json!({}))).unwrap());
    let seed = trace["seed"].as_u64().expect("the timeline has the seed");
    assert_eq!(trace["scenario"]["seed"], seed, "the seed is recorded in the scenario");
    assert_eq!(report_of(&trace, 0)["placement"]["call"]["seed"], seed);
    assert_eq!(report_of(&trace, 0)["explanation"]["seed"], seed);

    // The same scenario and seed replay the same placements (decision D18).
    scenario["seed"] = json!(seed);
    let again = to_json(&api::run_command(to_js(&scenario), line, run_options(json!({}))).unwrap());
    assert_eq!(again["seed"], seed);
    assert_eq!(report_of(&again, 0)["response"], report_of(&trace, 0)["response"]);
    assert_eq!(report_of(&again, 0)["placement"], report_of(&trace, 0)["placement"]);
}

#[wasm_bindgen_test]
fn run_command_explains_a_list_container_instances_filter_when_asked() {
    let line = "aws ecs list-container-instances --filter 'attribute:ecs.instance-type =~ t2.*'";
    let trace = to_json(&api::run_command(blog(), line, run_options(json!({}))).unwrap());
    let listed = report_of(&trace, 0);
    assert_eq!(listed["operation"], "ListContainerInstances");
    assert_eq!(listed["response"]["containerInstanceArns"].as_array().unwrap().len(), 7);
    assert!(listed.get("placement").is_none());
    let explanation = &listed["explanation"];
    assert_eq!(explanation["type"], "filter");
    assert_eq!(explanation["expression"], "attribute:ecs.instance-type =~ t2.*");
    assert_eq!(explanation["instances"].as_array().unwrap().len(), 12);
    assert!(explanation["instances"][0]["clauses"].is_array());
    // A read-only command changes nothing: no scenario or view after it.
    assert!(trace["commands"][0].get("scenario").is_none());
    assert!(trace["commands"][0].get("view").is_none());

    let plain = to_json(&api::run_command(blog(), line, JsValue::UNDEFINED).unwrap());
    assert!(report_of(&plain, 0).get("explanation").is_none());
    assert_eq!(report_of(&plain, 0)["response"], listed["response"]);
}

#[wasm_bindgen_test]
fn run_command_of_a_bad_scenario_or_bad_options_throws() {
    let scenario = to_js(
        &json!({"version": 1, "instances": [{"containerInstanceArn": "a", "registeredResources": {"cpu": "lots", "memory": 1}}]}),
    );
    let error = thrown(api::run_command(
        scenario,
        "aws ecs list-container-instances",
        JsValue::UNDEFINED,
    ));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(
        string_field(&error, "path").as_deref(),
        Some("instances[0].registeredResources.cpu")
    );
    for value in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_str("blog")] {
        thrown(api::run_command(
            value,
            "aws ecs list-container-instances",
            JsValue::UNDEFINED,
        ));
    }
    let error = thrown(api::run_command(
        blog(),
        "aws ecs list-container-instances",
        to_js(&json!({"explain": "yes"})),
    ));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(string_field(&error, "path").as_deref(), Some("explain"));
}

#[wasm_bindgen_test]
fn run_command_reads_files_from_the_options_only() {
    let example = example("ebs-mysql");
    let preset = load_preset(example["preset"].as_str().unwrap()).unwrap();
    let line = "aws ecs register-task-definition --cli-input-json file://mysql-taskdef.json";
    let missing = to_json(&api::run_command(preset.clone(), line, run_options(json!({}))).unwrap());
    let text = report_of(&missing, 0)["error"]["text"].as_str().unwrap();
    assert!(
        text.contains("Unable to load paramfile file://mysql-taskdef.json: there is no file `mysql-taskdef.json` here"),
        "{text}"
    );

    let files = json!({"mysql-taskdef.json": example["files"][0][1]});
    let registered = to_json(&api::run_command(preset, line, run_options(json!({"files": files}))).unwrap());
    let report = report_of(&registered, 0);
    assert!(report.get("error").is_none(), "{report}");
    assert_eq!(report["response"]["taskDefinition"]["family"], "mysql");
    // Registering changes the scenario (its task definitions) but not what the bins draw.
    let command = &registered["commands"][0];
    assert!(command["scenario"].is_object());
    assert_eq!(
        command["view"],
        to_json(&api::cluster_view(to_js(&command["scenario"])).unwrap())
    );
}

const TWO_COMMANDS: &str = "# a comment\naws ecs run-task --task-definition nope\n\naws ecs run-task \\\n  --task-definition nouvelleApp --count 2\n";

#[wasm_bindgen_test]
fn run_script_stops_at_the_first_failure_unless_keep_going() {
    let stopped = to_json(&api::run_script(blog(), TWO_COMMANDS, to_js(&json!({"explain": true})), None).unwrap());
    let commands_run = commands(&stopped);
    assert_eq!(commands_run.len(), 1);
    assert_eq!(commands_run[0]["report"]["line"], 2);
    assert!(commands_run[0]["report"]["error"].is_object());
    assert_eq!(tasks_of(&stopped["scenario"]), 0);

    let kept_going = to_json(&api::run_script(blog(), TWO_COMMANDS, run_options(json!({})), None).unwrap());
    let commands_run = commands(&kept_going);
    assert_eq!(commands_run.len(), 2);
    let second = &commands_run[1]["report"];
    assert_eq!(second["line"], 4, "the line where the continued command starts");
    assert!(second.get("error").is_none());
    assert_eq!(second["explanation"]["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(second["placement"]["frames"].as_array().unwrap().len(), 2);
    assert_eq!(tasks_of(&kept_going["scenario"]), 2);
    // Only the command that changed the cluster carries the cluster after it.
    assert!(commands_run[0].get("scenario").is_none());
    assert_eq!(commands_run[1]["scenario"], kept_going["scenario"]);
}

/// A JavaScript function that records its argument in `calls`, as the page's worker callback.
fn recorder() -> (js_sys::Array, js_sys::Function) {
    let calls = js_sys::Array::new();
    let make = js_sys::Function::new_with_args("calls", "return (progress) => { calls.push(progress); };");
    let callback = make
        .call1(&JsValue::NULL, &calls)
        .expect("the recorder is made")
        .unchecked_into::<js_sys::Function>();
    (calls, callback)
}

#[wasm_bindgen_test]
fn run_script_calls_on_progress_once_per_command() {
    let script = format!("aws ecs list-container-instances\n{TWO_COMMANDS}aws ecs list-tasks\n");
    let (calls, on_progress) = recorder();
    let trace = to_json(&api::run_script(blog(), &script, page_options(), Some(on_progress)).unwrap());
    assert_eq!(commands(&trace).len(), 4);
    let seen: Vec<Value> = calls.iter().map(|call| to_json(&call)).collect();
    assert_eq!(
        seen,
        [
            json!({"done": 1, "total": 4}),
            json!({"done": 2, "total": 4}),
            json!({"done": 3, "total": 4}),
            json!({"done": 4, "total": 4}),
        ]
    );

    // Stopping at the first failure stops the calls too; `total` is still the script's.
    let (calls, on_progress) = recorder();
    let trace = to_json(&api::run_script(blog(), &script, JsValue::UNDEFINED, Some(on_progress)).unwrap());
    assert_eq!(commands(&trace).len(), 2);
    let seen: Vec<Value> = calls.iter().map(|call| to_json(&call)).collect();
    assert_eq!(seen, [json!({"done": 1, "total": 4}), json!({"done": 2, "total": 4})]);

    // An empty script runs nothing and reports no progress.
    let (calls, on_progress) = recorder();
    let trace = to_json(&api::run_script(blog(), "# nothing\n", page_options(), Some(on_progress)).unwrap());
    assert_eq!(trace["commands"], json!([]));
    assert_eq!(calls.length(), 0);
}

#[wasm_bindgen_test]
fn run_script_repairs_blog_pastes_and_warns() {
    // A typographic dash and an unquoted expression with spaces, as in the Task Placement post.
    let script = "aws ecs run-task –task-definition nouvelleApp --count 2 --placement-constraints type=memberOf,expression=\"attribute:ecs.instance-type =~ g2*\"";
    let trace = to_json(&api::run_script(blog(), script, run_options(json!({})), None).unwrap());
    let report = report_of(&trace, 0);
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(warnings.iter().any(|w| w.contains("typographic dash")), "{warnings:?}");
    // The glob warning is a rendered diagnostic with carets.
    let glob = warnings
        .iter()
        .find(|w| w.contains("reads like a shell glob"))
        .expect("the glob warning");
    assert!(glob.contains('\n') && glob.contains("^^^"), "{glob}");
    assert_eq!(report["response"]["tasks"], json!([]));
    let failures = report["response"]["failures"].as_array().unwrap();
    assert!(
        failures
            .iter()
            .any(|f| f["reason"] == "MemberOf placement constraint unsatisfied.")
    );
    // The first task fails and nothing changes, so the second is not attempted: one frame,
    // decided `failed`, with no task or instance.
    let frames = report["placement"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 1);
    let frame = &frames[0];
    assert_eq!(frame["decision"], json!({"kind": "failed"}));
    assert_eq!(frame["funnel"]["passedConstraints"], 0);
    assert!(
        frame.get("task").is_none() && frame.get("instance").is_none(),
        "{frame}"
    );
}

#[wasm_bindgen_test]
fn run_script_of_text_that_cannot_be_split_throws() {
    let error = thrown(api::run_script(
        blog(),
        "aws ecs run-task --task-definition 'nouvelleApp",
        JsValue::UNDEFINED,
        None,
    ));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("quote is never closed"), "{message}");
    // An empty script runs nothing: the timeline is the scenario as given, with its seed.
    let trace = run_on(blog(), "# nothing\n\n");
    assert_eq!(trace["commands"], json!([]));
    assert_eq!(trace["seed"], 2016);
    assert_eq!(trace["scenario"], to_json(&blog()));
}

#[wasm_bindgen_test]
fn run_script_of_a_bad_scenario_or_bad_options_throws() {
    let error = thrown(api::run_script(
        to_js(&json!({"version": 99})),
        JAKE_SH,
        page_options(),
        None,
    ));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
    let error = thrown(api::run_script(
        blog(),
        JAKE_SH,
        to_js(&json!({"keepGoing": true, "files": ["a.json"]})),
        None,
    ));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(string_field(&error, "path").as_deref(), Some("files"));
}

// ---------------------------------------------------------------- explainTask

#[wasm_bindgen_test]
fn explain_task_gives_each_task_of_jakes_run_as_the_full_explanation_does() {
    let trace = run_on(blog(), JAKE_SH);
    let report = report_of(&trace, 0);
    assert!(
        report.get("explanation").is_none(),
        "the page runs without explanations"
    );
    let frames = report["placement"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 9);
    let explained = to_json(&api::run_script(blog(), JAKE_SH, run_options(json!({})), None).unwrap());
    let all = &explained["commands"][0]["report"]["explanation"];
    assert_eq!(all["tasks"].as_array().unwrap().len(), 9);

    // The page explains a task from the cluster its command started from and its words.
    let words = to_js(&report["words"]);
    for attempt in 1..=9_u32 {
        let index = attempt as usize - 1;
        let one = to_json(&api::explain_task(blog(), words.clone(), page_options(), attempt).unwrap());
        let tasks = one["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 1, "task {attempt}");
        assert_eq!(tasks[0], all["tasks"][index], "task {attempt}");
        for key in [
            "group",
            "reservation",
            "networkMode",
            "requiredAttributes",
            "constraints",
            "strategies",
            "strategySource",
            "seed",
            "skipped",
            "notes",
        ] {
            assert_eq!(one[key], all[key], "task {attempt}: {key}");
        }
        // It agrees with the frame the page shows.
        let frame = &frames[index];
        assert_eq!(tasks[0]["attempt"], frame["attempt"]);
        assert_eq!(tasks[0]["decision"], frame["decision"]);
        assert_eq!(tasks[0]["funnel"], frame["funnel"]);
        assert_eq!(tasks[0]["taskArn"], frame["task"]["taskArn"]);
        assert_eq!(tasks[0]["placedOn"], frame["task"]["containerInstanceArn"]);
    }
}

#[wasm_bindgen_test]
fn explain_task_of_a_seedless_run_uses_the_seed_the_run_drew() {
    // The page keeps the run's start with the timeline's seed, and explains from it.
    let mut scenario = to_json(&blog());
    scenario.as_object_mut().unwrap().remove("seed");
    let trace = run_on(to_js(&scenario), JAKE_SH);
    scenario["seed"] = trace["seed"].clone();
    let report = report_of(&trace, 0);
    let words = to_js(&report["words"]);
    for frame in report["placement"]["frames"].as_array().unwrap() {
        let attempt = u32::try_from(frame["attempt"].as_u64().unwrap()).unwrap();
        let one = to_json(&api::explain_task(to_js(&scenario), words.clone(), JsValue::UNDEFINED, attempt).unwrap());
        assert_eq!(one["seed"], trace["seed"]);
        assert_eq!(one["tasks"][0]["decision"], frame["decision"], "task {attempt}");
        assert_eq!(one["tasks"][0]["taskArn"], frame["task"]["taskArn"], "task {attempt}");
    }
}

#[wasm_bindgen_test]
fn explain_task_of_a_later_command_starts_from_the_cluster_before_it() {
    let script = "aws ecs run-task --task-definition nouvelleApp --count 3\n\
                  aws ecs run-task --task-definition nouvelleApp --count 2 --placement-strategy type=binpack,field=memory\n";
    let trace = run_on(blog(), script);
    let before = &trace["commands"][0]["scenario"];
    let report = report_of(&trace, 1);
    let frames = report["placement"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 2);
    for frame in frames {
        let attempt = u32::try_from(frame["attempt"].as_u64().unwrap()).unwrap();
        let one = to_json(&api::explain_task(to_js(before), to_js(&report["words"]), page_options(), attempt).unwrap());
        assert_eq!(one["tasks"][0]["taskArn"], frame["task"]["taskArn"], "task {attempt}");
        assert_eq!(one["tasks"][0]["decision"], frame["decision"], "task {attempt}");
    }
}

#[wasm_bindgen_test]
fn explain_task_errors_are_thrown() {
    let trace = run_on(blog(), JAKE_SH);
    let words = to_js(&report_of(&trace, 0)["words"]);

    let error = thrown(api::explain_task(blog(), words.clone(), page_options(), 10));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("fewer than 10"), "{message}");

    let error = thrown(api::explain_task(blog(), words.clone(), page_options(), 0));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("numbered from 1"), "{message}");

    let listing = to_js(&json!(["aws", "ecs", "list-container-instances"]));
    let error = thrown(api::explain_task(blog(), listing, page_options(), 1));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("places no tasks"), "{message}");

    // A command that fails throws its own error, with the AWS exception.
    let failing = to_js(&json!(["aws", "ecs", "run-task", "--task-definition", "nope"]));
    let error = thrown(api::explain_task(blog(), failing, page_options(), 1));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("client"));
    assert_eq!(string_field(&error, "exception").as_deref(), Some("ClientException"));
    assert_eq!(
        string_field(&error, "message").as_deref(),
        Some("TaskDefinition not found.")
    );

    // Words are an array of strings; the scenario and options are read as everywhere else.
    let error = thrown(api::explain_task(
        blog(),
        JsValue::from_str("aws ecs run-task --task-definition nouvelleApp"),
        page_options(),
        1,
    ));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("invalid command words"), "{message}");
    let error = thrown(api::explain_task(
        to_js(&json!({"version": 99})),
        words.clone(),
        page_options(),
        1,
    ));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
    let error = thrown(api::explain_task(blog(), words, to_js(&json!({"whatIf": "no"})), 1));
    assert_eq!(string_field(&error, "path").as_deref(), Some("whatIf"));
}

// ---------------------------------------------------------------- clusterView

#[wasm_bindgen_test]
fn cluster_view_draws_every_instance_and_the_tasks_holding_resources() {
    let scenario = to_json(&sample());
    let view = to_json(&api::cluster_view(sample()).unwrap());
    let instances = view["instances"].as_array().unwrap();
    let arns: Vec<&Value> = instances.iter().map(|i| &i["containerInstanceArn"]).collect();
    let expected: Vec<&Value> = scenario["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["containerInstanceArn"])
        .collect();
    assert_eq!(arns, expected, "one entry per instance, in scenario order");
    let tasks = view["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    for usage in instances {
        assert!(usage["ec2InstanceId"].is_string());
        assert!(usage["status"].is_string());
        assert!(usage["agentConnected"].is_boolean());
        assert!(usage["runningTasks"].is_u64());
        let held = |resource: &str| -> i64 {
            tasks
                .iter()
                .filter(|t| t["containerInstanceArn"] == usage["containerInstanceArn"])
                .map(|t| t[resource].as_i64().unwrap())
                .sum()
        };
        for resource in ["cpu", "memory"] {
            let amount = &usage[resource];
            assert_eq!(
                amount["registered"].as_i64().unwrap() - amount["remaining"].as_i64().unwrap(),
                held(resource),
                "{resource} of {usage}"
            );
        }
    }
    assert_eq!(instances[0]["cpu"], json!({"registered": 1024, "remaining": 768}));
    assert_eq!(instances[0]["instanceType"], "t2.small");
    for task in tasks {
        assert!(task["taskArn"].as_str().unwrap().starts_with("arn:aws:ecs:"));
        assert!(task["group"].is_string());
    }
}

#[wasm_bindgen_test]
fn cluster_view_of_a_bad_scenario_throws_with_the_path() {
    let scenario = to_js(&json!({
        "version": 1,
        "instances": [{"containerInstanceArn": "a", "registeredResources": {"cpu": "lots", "memory": 1}}],
    }));
    let error = thrown(api::cluster_view(scenario));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    assert_eq!(
        string_field(&error, "path").as_deref(),
        Some("instances[0].registeredResources.cpu")
    );
    thrown(api::cluster_view(JsValue::UNDEFINED));
}

/// What the page does with a frame (`applyFrame` in web/js/timeline.js): replace the frame's
/// instance by `containerInstanceArn` and append the frame's task. Only copies, no arithmetic.
fn apply_frame(view: &Value, frame: &Value) -> Value {
    let (Some(task), Some(instance)) = (frame.get("task"), frame.get("instance")) else {
        return view.clone();
    };
    let mut view = view.clone();
    let slot = view["instances"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["containerInstanceArn"] == instance["containerInstanceArn"])
        .expect("the frame's instance is in the view");
    *slot = instance.clone();
    view["tasks"].as_array_mut().unwrap().push(task.clone());
    view
}

#[wasm_bindgen_test]
fn jakes_frames_applied_to_the_start_view_give_the_view_after() {
    let start = to_json(&api::cluster_view(blog()).unwrap());
    let trace = run_on(blog(), JAKE_SH);
    let command = &trace["commands"][0];
    let frames = command["report"]["placement"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 9);
    let after = frames
        .iter()
        .fold(start.clone(), |view, frame| apply_frame(&view, frame));
    assert_ne!(after, start);
    assert_eq!(after, command["view"]);
    assert_eq!(after, to_json(&api::cluster_view(to_js(&trace["scenario"])).unwrap()));
}

#[wasm_bindgen_test]
fn frames_of_every_command_rebuild_each_view_as_the_page_does() {
    // A read-only command, a placement, a registration, and a placement that half fails.
    let script = "aws ecs list-container-instances\n\
        aws ecs run-task --task-definition nouvelleApp --count 3\n\
        aws ecs register-task-definition --family web --container-definitions '[{\"name\":\"web\",\"image\":\"nginx\",\"cpu\":256,\"memory\":512}]'\n\
        aws ecs run-task --task-definition web --count 2 --group gpu --placement-constraints type=distinctInstance 'type=memberOf,expression=attribute:ecs.instance-type == g2.2xlarge'\n";
    let trace = run_on(blog(), script);
    let commands = commands(&trace);
    assert_eq!(commands.len(), 4);
    assert!(commands.iter().all(|c| c["report"].get("error").is_none()));
    let mut view = to_json(&api::cluster_view(blog()).unwrap());
    let mut placed = 0;
    for (index, command) in commands.iter().enumerate() {
        let frames = command["report"]["placement"]["frames"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rebuilt = frames
            .iter()
            .fold(view.clone(), |view, frame| apply_frame(&view, frame));
        placed += frames.iter().filter(|f| f.get("task").is_some()).count();
        // The page takes the command's view when it has one, else keeps the one before.
        let after = command.get("view").cloned().unwrap_or_else(|| view.clone());
        assert_eq!(rebuilt, after, "command {}", index + 1);
        assert_eq!(command.get("scenario").is_some(), command.get("view").is_some());
        view = after;
    }
    assert_eq!(placed, 4);
    let last = commands[3]["report"]["placement"]["frames"].as_array().unwrap();
    let kinds: Vec<&Value> = last.iter().map(|f| &f["decision"]["kind"]).collect();
    assert_eq!(kinds, ["onlyCandidate", "failed"]);
    assert_eq!(view, to_json(&api::cluster_view(to_js(&trace["scenario"])).unwrap()));
}

// ---------------------------------------------------------------- applyEdit

/// The sample's m5.large in us-east-1a, by EC2 instance ID and container instance ID.
const M5_1A_EC2: &str = "i-0a1b2c3d4e5f60001";
const M5_1A: &str = "1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d";

fn instance_by_arn<'a>(scenario: &'a Value, arn: &Value) -> &'a Value {
    scenario["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["containerInstanceArn"] == *arn)
        .unwrap_or_else(|| panic!("no instance {arn}"))
}

/// The instances a run-task report placed its tasks on, in order.
fn placed_on(report: &Value) -> Vec<&str> {
    report["response"]["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .map(|t| t["containerInstanceArn"].as_str().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn apply_edit_adds_instances_and_drains_one_by_its_ec2_instance_id() {
    let add = to_js(
        &json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1a", "count": 2}),
    );
    let outcome = to_json(&api::apply_edit(sample(), add.clone()).unwrap());
    assert_eq!(outcome["summary"], "Added 2 t2.micro instances in us-east-1a");
    assert!(outcome.get("warnings").is_none(), "{outcome}");
    let added = outcome["instances"].as_array().unwrap();
    assert_eq!(added.len(), 2);
    let scenario = &outcome["scenario"];
    assert_eq!(scenario["instances"].as_array().unwrap().len(), 11);
    for arn in added {
        let instance = instance_by_arn(scenario, arn);
        assert_eq!(instance["attributes"]["ecs.instance-type"], "t2.micro");
        assert_eq!(instance["attributes"]["ecs.availability-zone"], "us-east-1a");
        assert_eq!(instance["status"], "ACTIVE");
        assert_eq!(instance["registeredResources"]["cpu"], 1024);
        assert_eq!(instance["registeredResources"]["memory"], 993);
        assert_eq!(instance["remainingResources"]["memory"], 993);
    }
    // The same edit on the same scenario creates the same instances (IDs come from the seed).
    let again = to_json(&api::apply_edit(sample(), add).unwrap());
    assert_eq!(again["instances"], outcome["instances"]);
    // The page draws the edited scenario.
    let view = to_json(&api::cluster_view(to_js(scenario)).unwrap());
    assert_eq!(view["instances"].as_array().unwrap().len(), 11);
    let usage = instance_by_arn(&view, &added[0]);
    assert_eq!(usage["memory"], json!({"registered": 993, "remaining": 993}));
    assert_eq!(usage["runningTasks"], 0);

    // Drain the m5.large, named by its EC2 instance ID.
    let drain = to_js(&json!({"type": "setStatus", "instance": M5_1A_EC2, "status": "DRAINING"}));
    let drained = to_json(&api::apply_edit(to_js(scenario), drain).unwrap());
    assert_eq!(drained["summary"], format!("Set instance {M5_1A} to DRAINING"));
    let arn = &drained["instances"][0];
    assert_eq!(drained["instances"].as_array().unwrap().len(), 1);
    assert!(arn.as_str().unwrap().ends_with(M5_1A), "{arn}");
    let instance = instance_by_arn(&drained["scenario"], arn);
    assert_eq!(instance["ec2InstanceId"], M5_1A_EC2);
    assert_eq!(instance["status"], "DRAINING");
    assert_eq!(drained["scenario"]["instances"].as_array().unwrap().len(), 11);
    let view = to_json(&api::cluster_view(to_js(&drained["scenario"])).unwrap());
    assert_eq!(instance_by_arn(&view, arn)["status"], "DRAINING");
    // A run on the drained cluster skips it.
    let trace = run_on(
        to_js(&drained["scenario"]),
        "aws ecs run-task --task-definition nouvelleApp --count 10",
    );
    let run = report_of(&trace, 0);
    assert!(run.get("error").is_none(), "{run}");
    let skipped = run["placement"]["call"]["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["containerInstanceArn"] == *arn && s["cause"]["kind"] == "notActive"),
        "{skipped:?}"
    );
    assert!(!placed_on(run).contains(&arn.as_str().unwrap()));
}

#[wasm_bindgen_test]
fn apply_edit_warns_about_a_zone_outside_the_region() {
    let add = to_js(
        &json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "eu-west-1a", "count": 1}),
    );
    let outcome = to_json(&api::apply_edit(sample(), add).unwrap());
    assert_eq!(
        outcome["warnings"],
        json!(["availability zone eu-west-1a is not in the cluster's region us-east-1"])
    );
}

#[wasm_bindgen_test]
fn apply_edit_refuses_an_unknown_instance_type_naming_the_field() {
    let add = to_js(
        &json!({"type": "addInstances", "instanceType": "t2.mirco", "availabilityZone": "us-east-1a", "count": 1}),
    );
    let error = thrown(api::apply_edit(sample(), add));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidParameter"));
    assert_eq!(
        string_field(&error, "exception").as_deref(),
        Some("InvalidParameterException")
    );
    assert_eq!(string_field(&error, "path").as_deref(), Some("instanceType"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("unknown instance type `t2.mirco`"), "{message}");
    assert!(message.contains("did you mean `t2.micro`?"), "{message}");
}

#[wasm_bindgen_test]
fn apply_edit_refusals_name_the_offending_field() {
    let refused = |edit: Value| thrown(api::apply_edit(sample(), to_js(&edit)));
    let path = |error: &JsValue| string_field(error, "path");
    let error = refused(
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1a", "count": 0}),
    );
    assert_eq!(path(&error).as_deref(), Some("count"));
    let error = refused(json!({"type": "setStatus", "instance": "i-nope", "status": "DRAINING"}));
    assert_eq!(path(&error).as_deref(), Some("instance"));
    let error = refused(json!({"type": "setStatus", "instance": M5_1A_EC2, "status": "INACTIVE"}));
    assert_eq!(path(&error).as_deref(), Some("status"));
    let error = refused(json!({"type": "setStatus", "instance": M5_1A_EC2, "satus": "DRAINING"}));
    assert_eq!(path(&error).as_deref(), Some("satus"));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    let error = refused(json!({"type": "addInstance", "instanceType": "t2.micro"}));
    assert_eq!(path(&error).as_deref(), Some("type"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("did you mean `addInstances`?"), "{message}");
    let error = refused(json!({"type": "stopTask", "task": "ghost"}));
    assert_eq!(path(&error).as_deref(), Some("task"));
    refused(json!("addInstances"));
    thrown(api::apply_edit(sample(), JsValue::UNDEFINED));
    // A bad scenario is refused before the edit.
    let error = thrown(api::apply_edit(
        to_js(&json!({"version": 99})),
        to_js(&json!({"type": "setStatus", "instance": M5_1A_EC2, "status": "DRAINING"})),
    ));
    assert_eq!(path(&error).as_deref(), Some("version"));
}

// ---------------------------------------------------------------- instanceTypes

#[wasm_bindgen_test]
fn instance_types_lists_the_catalog_with_what_instances_register() {
    let types = to_json(&api::instance_types().unwrap());
    let types = types.as_array().unwrap();
    let micro = types.iter().find(|t| t["name"] == "t2.micro").expect("t2.micro");
    assert_eq!(
        micro,
        &json!({"name": "t2.micro", "vcpus": 1, "memoryMib": 1024, "cpu": 1024, "memory": 993,
                "gpus": 0, "taskEnis": 1, "cpuArchitecture": "x86_64"})
    );
    let mut names: Vec<&str> = types.iter().map(|t| t["name"].as_str().unwrap()).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "names are unique");
    for kind in types {
        let vcpus = kind["vcpus"].as_i64().unwrap();
        assert_eq!(kind["cpu"].as_i64().unwrap(), vcpus * 1024, "{kind}");
        assert!(
            kind["memory"].as_i64().unwrap() < kind["memoryMib"].as_i64().unwrap(),
            "{kind}"
        );
        assert!(["x86_64", "arm64"].contains(&kind["cpuArchitecture"].as_str().unwrap()));
        // The cluster editor offers these names: each one adds an instance that registers
        // exactly the listed figures.
        let add =
            json!({"type": "addInstances", "instanceType": kind["name"], "availabilityZone": "us-east-1a", "count": 1});
        let outcome = to_json(&api::apply_edit(sample(), to_js(&add)).unwrap());
        let instance = instance_by_arn(&outcome["scenario"], &outcome["instances"][0]);
        assert_eq!(instance["registeredResources"]["cpu"], kind["cpu"], "{kind}");
        assert_eq!(instance["registeredResources"]["memory"], kind["memory"], "{kind}");
    }
}

// ---------------------------------------------------------------- composeRun / parseRun

/// Jake's run as the run builder holds it (the blog's nouvelleApp is already registered).
fn jake_spec() -> Value {
    json!({
        "taskDefinition": {
            "family": "nouvelleApp",
            "revision": null,
            "register": false,
            "networkMode": "bridge",
            "cpu": 128,
            "memory": 128,
            "ports": [],
            "image": "example/nouvelleapp",
        },
        "count": 9,
        "group": null,
        "startedBy": null,
        "constraints": [],
        "strategies": [
            {"type": "spread", "field": "attribute:ecs.availability-zone"},
            {"type": "binpack", "field": "memory"},
        ],
        "subnets": [],
        "securityGroups": [],
        "assignPublicIp": null,
        "cluster": null,
    })
}

/// A run that registers its definition first.
fn web_spec() -> Value {
    json!({
        "taskDefinition": {
            "family": "web",
            "revision": null,
            "register": true,
            "networkMode": "bridge",
            "cpu": 256,
            "memory": 512,
            "ports": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
            "image": "nginx",
        },
        "count": 5,
        "group": "webserver",
        "startedBy": null,
        "constraints": [
            {"type": "distinctInstance"},
            {"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"},
        ],
        "strategies": [{"type": "binpack", "field": "cpu"}],
        "subnets": [],
        "securityGroups": [],
        "assignPublicIp": null,
        "cluster": null,
    })
}

#[wasm_bindgen_test]
fn compose_run_then_run_script_places_like_the_hand_written_command() {
    let script = api::compose_run(to_js(&jake_spec()), to_js(&json!({}))).unwrap();
    assert!(script.starts_with("aws ecs run-task"), "{script}");
    let composed = run_on(blog(), &script);
    let by_hand = run_on(blog(), JAKE_SH);
    assert_eq!(commands(&composed).len(), 1);
    let (run, expected) = (report_of(&composed, 0), report_of(&by_hand, 0));
    assert!(run.get("error").is_none(), "{run}");
    assert!(run.get("warnings").is_none(), "no repairs: {run}");
    assert_eq!(placed_on(run).len(), 9);
    assert_eq!(placed_on(run), placed_on(expected));
    assert_eq!(run["response"], expected["response"], "same tasks, same ARNs");
    assert_eq!(run["placement"], expected["placement"]);
    assert_eq!(composed["scenario"], by_hand["scenario"]);

    // A registering spec composes two commands: the registration, then the run.
    let script = api::compose_run(to_js(&web_spec()), JsValue::UNDEFINED).unwrap();
    let trace = run_on(blog(), &script);
    assert_eq!(commands(&trace).len(), 2);
    assert_eq!(report_of(&trace, 0)["operation"], "RegisterTaskDefinition");
    assert_eq!(report_of(&trace, 1)["operation"], "RunTask");
    assert_eq!(placed_on(report_of(&trace, 1)).len(), 5);
}

#[wasm_bindgen_test]
fn compose_run_refuses_what_the_operations_refuse() {
    let compose = |spec: &Value, options: Value| api::compose_run(to_js(spec), to_js(&options)).map(JsValue::from);
    // RunTask's count limit, lifted in what-if mode.
    let mut big = jake_spec();
    big["count"] = json!(20);
    let error = thrown(compose(&big, json!({})));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidParameter"));
    assert_eq!(
        string_field(&error, "exception").as_deref(),
        Some("InvalidParameterException")
    );
    let message = string_field(&error, "message").unwrap();
    assert!(message.starts_with("count must be between 1 and 10"), "{message}");
    let script = api::compose_run(to_js(&big), to_js(&json!({"whatIf": true}))).unwrap();
    assert!(script.contains("--count 20"), "{script}");

    // A bad expression carries its diagnostics.
    let mut bad = jake_spec();
    bad["constraints"] = json!([{"type": "memberOf", "expression": "attribute:color = blue"}]);
    let error = thrown(compose(&bad, json!({})));
    let message = string_field(&error, "message").unwrap();
    assert!(
        message.starts_with("invalid expression: `=` is not an operator"),
        "{message}"
    );
    let diagnostics = to_json(&field(&error, "diagnostics"));
    assert_eq!(diagnostics[0]["code"], "single-equals", "{diagnostics}");

    // A spec the builder could not have made: unknown fields, a strategy without its field.
    let mut unknown = jake_spec();
    unknown["overrides"] = json!({});
    let error = thrown(compose(&unknown, json!({})));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidInput"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("invalid run spec"), "{message}");
    assert!(message.contains("overrides"), "{message}");
    let mut strategy = jake_spec();
    strategy["strategies"] = json!([{"type": "binpack"}]);
    let error = thrown(compose(&strategy, json!({})));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("binpack needs a `field`"), "{message}");
    assert_eq!(string_field(&error, "path").as_deref(), Some("strategies[0]"));
    thrown(compose(&json!("jake"), json!({})));
}

#[wasm_bindgen_test]
fn parse_run_of_a_composed_script_gives_the_spec_back() {
    for spec in [jake_spec(), web_spec()] {
        let script = api::compose_run(to_js(&spec), JsValue::UNDEFINED).unwrap();
        let parsed = to_json(&api::parse_run(blog(), &script, to_js(&json!({}))).unwrap());
        assert_eq!(parsed, spec, "{script}");
    }
    // The hand-written command loads too, with the definition's figures from the scenario.
    let parsed = to_json(&api::parse_run(blog(), JAKE_SH, JsValue::UNDEFINED).unwrap());
    assert_eq!(parsed, jake_spec());
}

#[wasm_bindgen_test]
fn parse_run_reads_files_from_the_options() {
    let definition = json!({
        "family": "td",
        "containerDefinitions": [{"name": "td", "image": "nginx", "cpu": 256, "memory": 512}],
    })
    .to_string();
    let script =
        "aws ecs register-task-definition --cli-input-json file://td.json\naws ecs run-task --task-definition td";
    let error = thrown(api::parse_run(blog(), script, JsValue::UNDEFINED));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("file://td.json"), "{message}");
    let options = to_js(&json!({"files": {"td.json": definition}}));
    let spec = to_json(&api::parse_run(blog(), script, options).unwrap());
    assert_eq!(spec["taskDefinition"]["family"], "td");
    assert_eq!(spec["taskDefinition"]["register"], true);
    assert_eq!(spec["taskDefinition"]["memory"], 512);
}

#[wasm_bindgen_test]
fn parse_run_of_what_the_builder_cannot_represent_throws_not_in_builder() {
    let script = r#"aws ecs run-task --task-definition nouvelleApp --overrides '{"cpu":"512"}'"#;
    let error = thrown(api::parse_run(blog(), script, JsValue::UNDEFINED));
    assert_eq!(string_field(&error, "hint").as_deref(), Some("not-in-builder"));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("invalidParameter"));
    assert_eq!(
        string_field(&error, "message").as_deref(),
        Some("--overrides cannot be edited in the builder")
    );
    let error = thrown(api::parse_run(blog(), "aws ecs list-tasks\n", JsValue::UNDEFINED));
    assert_eq!(string_field(&error, "hint").as_deref(), Some("not-in-builder"));
    let message = string_field(&error, "message").unwrap();
    assert!(message.contains("no `aws ecs run-task` command"), "{message}");

    // A command that is not valid fails as running it would, without the hint.
    let error = thrown(api::parse_run(
        blog(),
        "aws ecs run-task --task-definition nope",
        JsValue::UNDEFINED,
    ));
    assert_eq!(string_field(&error, "kind").as_deref(), Some("client"));
    assert_eq!(string_field(&error, "exception").as_deref(), Some("ClientException"));
    assert!(field(&error, "hint").is_undefined());
    let error = thrown(api::parse_run(
        to_js(&json!({"version": 99})),
        "aws ecs run-task --task-definition nouvelleApp",
        JsValue::UNDEFINED,
    ));
    assert_eq!(string_field(&error, "path").as_deref(), Some("version"));
}

// ---------------------------------------------------------------- examples

#[wasm_bindgen_test]
fn presets_include_the_blog_clusters() {
    let names: Vec<String> = to_json(&api::presets().unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for name in ["sample", "blog", "ebs-walkthrough", "efs-walkthrough"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
}

#[wasm_bindgen_test]
fn every_example_runs_on_its_preset_with_its_files() {
    let examples = examples();
    let names: Vec<&str> = examples.iter().map(|e| e["name"].as_str().unwrap()).collect();
    for name in [
        "mariya",
        "christopher",
        "ming-ya",
        "alex",
        "jake",
        "aditya",
        "task-placement-post",
        "ebs-mysql",
        "efs-space",
        "private-registry",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    for example in &examples {
        let name = example["name"].as_str().unwrap();
        assert!(!example["title"].as_str().unwrap().is_empty(), "{name}");
        let preset = load_preset(example["preset"].as_str().unwrap()).unwrap_or_else(|_| panic!("{name}: preset"));
        let options = run_options(json!({"files": example_files(example)}));
        let trace = to_json(&api::run_script(preset, example["script"].as_str().unwrap(), options, None).unwrap());
        let reports: Vec<&Value> = commands(&trace).iter().map(|c| &c["report"]).collect();
        assert!(!reports.is_empty(), "{name}: no command");
        let failed: Vec<usize> = reports
            .iter()
            .enumerate()
            .filter(|(_, r)| r.get("error").is_some())
            .map(|(i, _)| i)
            .collect();
        if name == "private-registry" {
            assert_eq!(failed, [5], "{name}: only the last command (space-td on EC2) fails");
            let error = &reports[5]["error"];
            assert_eq!(error["error"]["exception"], "InvalidParameterException");
            assert!(
                error["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("An error occurred (InvalidParameterException) when calling the RunTask operation: ")
            );
        } else {
            assert_eq!(
                failed,
                Vec::<usize>::new(),
                "{name}: {:?}",
                failed.first().map(|&i| &reports[i]["error"]["text"])
            );
        }
        // Every RunTask on container instances is explained (`explain: true`), task by task, and
        // has one frame per explained task; a RunTask on Fargate has no funnel to explain.
        let on_fargate = |r: &&&Value| r["response"]["tasks"][0]["launchType"] == "FARGATE";
        for report in reports
            .iter()
            .filter(|r| r["operation"] == "RunTask")
            .filter(on_fargate)
        {
            assert!(report.get("placement").is_none(), "{name}: no frames on Fargate");
        }
        for report in reports
            .iter()
            .filter(|r| r["operation"] == "RunTask" && r.get("error").is_none())
            .filter(|r| !on_fargate(r))
        {
            let explanation = &report["explanation"];
            assert_eq!(explanation["type"], "placement", "{name}");
            let tasks = explanation["tasks"].as_array().unwrap();
            assert!(!tasks.is_empty(), "{name}");
            let frames = report["placement"]["frames"].as_array().unwrap();
            assert_eq!(frames.len(), tasks.len(), "{name}");
            for (frame, task) in frames.iter().zip(tasks) {
                assert_eq!(frame["decision"], task["decision"], "{name}");
            }
        }
    }
}
