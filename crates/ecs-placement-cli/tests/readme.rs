//! The CLI examples of the README work verbatim: every ```console block is run with bash from the
//! repository root, with the freshly built `placement` first on PATH, and its output (stdout and
//! stderr together) must be what the README shows. A line `...` in the README stands for any
//! number of lines.

mod common;

use common::repo_root;
use std::path::Path;
use std::process::Command;

/// A command of a console block and the output the README shows for it.
struct Example {
    command: String,
    expected: Vec<String>,
}

fn console_examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        match (in_console, line.trim_end()) {
            (false, "```console") => in_console = true,
            (true, "```") => in_console = false,
            (true, text) => match text.strip_prefix("$ ") {
                Some(command) => examples.push(Example {
                    command: command.to_string(),
                    expected: Vec::new(),
                }),
                None => examples
                    .last_mut()
                    .expect("output before a command")
                    .expected
                    .push(text.to_string()),
            },
            _ => {}
        }
    }
    examples
}

/// Matches `actual` against `expected`, where an expected `...` line matches any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, tail)| a.trim_end() == first && matches(rest, tail)),
    }
}

fn run(command: &str) -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_placement"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(repo_root())
        .env("PATH", path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_console_example_of_the_readme_works_verbatim() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let examples = console_examples(&readme);
    assert!(
        examples.len() >= 8,
        "the README shows the CLI: found {} examples",
        examples.len()
    );
    for example in &examples {
        let actual = run(&example.command);
        let lines: Vec<&str> = actual.lines().collect();
        let mut expected = example.expected.clone();
        while expected.last().is_some_and(String::is_empty) && lines.last().is_none_or(|l| !l.is_empty()) {
            expected.pop();
        }
        assert!(
            matches(&expected, &lines),
            "README example `{}`\n--- expected\n{}\n--- actual\n{actual}",
            example.command,
            expected.join("\n")
        );
    }
}

#[test]
fn the_wildcard_matches_any_lines() {
    let expected: Vec<String> = ["a", "...", "d"].map(String::from).to_vec();
    assert!(matches(&expected, &["a", "b", "c", "d"]));
    assert!(matches(&expected, &["a", "d"]));
    assert!(!matches(&expected, &["a", "b"]));
}
