//! What the integration tests share: running the built `placement` from the repository root.
// Each test crate compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (the tests' fixtures and scenarios are named from there).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `placement` with `args` in the repository root, stdin closed, its output captured.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_placement"))
        .args(args)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The arguments of `placement run SCENARIO OPTIONS... -- aws ecs COMMAND...`.
pub fn ecs_args<'a>(scenario: &'a str, options: &[&'a str], command: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", scenario];
    args.extend_from_slice(options);
    args.extend_from_slice(&["--", "aws", "ecs"]);
    args.extend_from_slice(command);
    args
}
