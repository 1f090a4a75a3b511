//! `--query` and `--output text|table|json` against the AWS CLI v1's own formatters: every case
//! of `output/cases.json` (a response, a query, a format) must print exactly what
//! `output/expected/NAME.txt` holds, which `output/generate.py` wrote with `awscli.formatter`.
//! Errors are compared as `error: MESSAGE`, the AWS CLI's text for them.

use ecs_placement::aws::output::{OutputFormat, OutputOptions, format};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Case {
    name: String,
    operation: String,
    response: String,
    query: Option<String>,
    output: String,
}

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/output")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_case_prints_what_the_aws_cli_prints() {
    let cases: Vec<Case> = serde_json::from_str(&read(folder().join("cases.json"))).unwrap();
    assert!(cases.len() >= 30, "the golden cases are missing");
    let mut mismatches = Vec::new();
    for case in &cases {
        let response: serde_json::Value =
            serde_json::from_str(&read(folder().join("responses").join(&case.response))).unwrap();
        let options = OutputOptions {
            query: case.query.clone(),
            format: OutputFormat::parse(&case.output).unwrap(),
        };
        let ours = match format(&case.operation, false, &response, &options) {
            Ok(text) => text,
            Err(error) => format!("error: {}\n", error.message),
        };
        let expected = read(folder().join("expected").join(format!("{}.txt", case.name)));
        if ours != expected {
            mismatches.push(format!("--- {}: expected\n{expected}--- ours\n{ours}", case.name));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
