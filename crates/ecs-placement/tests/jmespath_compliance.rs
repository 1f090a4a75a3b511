//! `--query` against the JMESPath compliance suite, read from the source of the `jmespath`
//! crate (a dev-dependency, so its source is in Cargo's registry once the tests build):
//! `$CARGO_HOME/registry/src/*/jmespath-0.5.0/tests/compliance/*.json`. Every case with a
//! result or an error runs; a result must be equal (numbers by value, objects whatever their
//! key order), an error must be an error (a syntax error when compiling, with the AWS CLI's
//! `Bad value for --query` text). The benchmark cases (no result given) must just run.

use ecs_placement::aws::output::search;
use serde_json::Value;
use std::path::PathBuf;

/// The cases where Python's `jmespath` (what the AWS CLI runs, and what ours follows) does not
/// give what the suite expects: (file, expression, why).
const PYTHON_DIFFERS: &[(&str, &str, &str)] = &[];

/// The suite's folder, or a failure that says where it was looked for.
fn suite() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .expect("neither CARGO_HOME nor HOME is set: cannot find Cargo's registry");
    let registry = home.join("registry/src");
    let found = std::fs::read_dir(&registry)
        .into_iter()
        .flatten()
        .flatten()
        .map(|index| index.path().join("jmespath-0.5.0/tests/compliance"))
        .find(|folder| folder.is_dir());
    found.unwrap_or_else(|| {
        panic!(
            "the JMESPath compliance suite is not in {}/*/jmespath-0.5.0/tests/compliance: \
             fetch the dev-dependencies (cargo fetch) or set CARGO_HOME",
            registry.display()
        )
    })
}

/// Equal as JSON values: numbers by value, objects whatever their key order.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// What is wrong with our answer to one case, if anything.
fn check(expression: &str, given: &Value, case: &Value) -> Option<String> {
    let ours = search(expression, given);
    if let Some(expected) = case.get("result") {
        return match ours {
            Ok(found) if same(&found, expected) => None,
            Ok(found) => Some(format!("gave {found}, expected {expected}")),
            Err(e) => Some(format!("failed ({}), expected {expected}", e.message)),
        };
    }
    let kind = case.get("error")?.as_str().unwrap_or_default();
    match ours {
        Err(e) if kind != "syntax" || e.message.starts_with("Bad value for --query ") => None,
        Err(e) => Some(format!("failed at run time ({}), expected a syntax error", e.message)),
        Ok(found) => Some(format!("gave {found}, expected a {kind} error")),
    }
}

#[test]
fn every_compliance_case_gives_what_the_suite_expects() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the compliance suite looks incomplete: {files:?}");
    let (mut checked, mut failures, mut excused) = (0, Vec::new(), 0);
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let groups: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for group in &groups {
            for case in group["cases"].as_array().unwrap() {
                let expression = case["expression"].as_str().unwrap();
                let Some(problem) = check(expression, &group["given"], case) else {
                    checked += usize::from(case.get("result").is_some() || case.get("error").is_some());
                    continue;
                };
                checked += 1;
                if PYTHON_DIFFERS.iter().any(|(f, e, _)| *f == file && *e == expression) {
                    excused += 1;
                } else {
                    failures.push(format!("{file}: {expression}: {problem}"));
                }
            }
        }
    }
    println!("{checked} compliance cases checked, {excused} known Python differences");
    assert_eq!(excused, PYTHON_DIFFERS.len(), "a listed difference no longer differs");
    assert!(checked > 600, "only {checked} cases were found");
    assert!(
        failures.is_empty(),
        "{} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
