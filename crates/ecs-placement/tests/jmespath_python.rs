//! `--query` against Python's `jmespath`, the library the AWS CLI v1 runs: every case of
//! `jmespath/cases.json` (an expression and a document, inline or a response of
//! `output/responses/`) must give exactly what `jmespath/expected.json` holds, which
//! `jmespath/generate.py` wrote with the Python library: the result printed as the AWS CLI's
//! JSON (so in Python's key order, with Python's integers and floats), or the error's text.

use ecs_placement::aws::output::search;
use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Case {
    name: String,
    query: String,
    response: Option<String>,
    given: Option<Value>,
}

#[derive(Deserialize)]
struct Expected {
    name: String,
    printed: Option<String>,
    error: Option<String>,
}

fn tests_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn read_json<T: serde::de::DeserializeOwned>(path: PathBuf) -> T {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn document(case: &Case) -> Value {
    match (&case.response, &case.given) {
        (Some(file), _) => read_json(tests_folder().join("output/responses").join(file)),
        (None, Some(given)) => given.clone(),
        (None, None) => panic!("{}: neither a response nor a given document", case.name),
    }
}

/// What we print for the case, in the layout of `expected.json`.
fn ours(case: &Case) -> (Option<String>, Option<String>) {
    match search(&case.query, &document(case)) {
        Ok(value) => (Some(ecs_placement::json::to_pretty(&value)), None),
        Err(error) => (None, Some(error.message)),
    }
}

#[test]
fn every_case_gives_what_python_jmespath_gives() {
    let cases: Vec<Case> = read_json(tests_folder().join("jmespath/cases.json"));
    let expected: Vec<Expected> = read_json(tests_folder().join("jmespath/expected.json"));
    assert!(cases.len() >= 100, "the cases are missing");
    assert_eq!(
        cases.len(),
        expected.len(),
        "expected.json is stale: run jmespath/generate.py"
    );
    let mut mismatches = Vec::new();
    for (case, expected) in cases.iter().zip(&expected) {
        assert_eq!(
            case.name, expected.name,
            "expected.json is stale: run jmespath/generate.py"
        );
        let (printed, error) = ours(case);
        if printed != expected.printed || error != expected.error {
            mismatches.push(format!(
                "--- {} `{}`: expected\n{}\n--- ours\n{}",
                case.name,
                case.query,
                expected
                    .printed
                    .as_deref()
                    .or(expected.error.as_deref())
                    .unwrap_or_default(),
                printed.or(error).unwrap_or_default()
            ));
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
