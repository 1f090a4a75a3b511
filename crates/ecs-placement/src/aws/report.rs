//! Running command lines and scripts into reports: what the AWS CLI would print (the response,
//! or the error text and exit code), plus the playground's warnings and explanation. The CLI
//! prints reports; the page draws them.

use super::words::{self, ScriptCommand};
use super::{Explanation, FileSource, Options, execute, exit_code, parse_invocation, render_error};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use serde::Serialize;
use serde_json::Value;

/// What one command produced.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandReport {
    /// 1-based line of the command in its script (1 for a single command).
    pub line: usize,
    /// The words as run, after repairs.
    pub words: Vec<String>,
    /// The API operation, once the command line was understood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<&'static str>,
    /// The AWS-shaped response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// What the AWS CLI prints on stdout when the command line has `--query` or `--output text`
    /// / `table` (the response filtered and formatted); absent for plain JSON output, which is
    /// the response itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Why (when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// Repairs, lenient readings and expression warnings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The failure, when the command failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CommandError>,
    /// A placement's call summary and per-task frames (RunTask).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<crate::engine::PlacementTrace>,
    /// What the service scheduler did after the command: placements (with frames like
    /// `placement`'s), stops (each task, why, its instance after) and service events, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scheduler: Vec<crate::service::SchedulerStep>,
}

/// A failed command as the AWS CLI reports it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    /// The text the AWS CLI prints on stderr.
    pub text: String,
    /// The AWS CLI's exit code (252 command line, 254 service error, 255 other, e.g. a waiter
    /// that gave up).
    pub exit_code: i32,
    /// The error with its kind, exception name, path and diagnostics.
    pub error: Error,
}

impl CommandReport {
    /// The report of a command before it runs: its words and repairs, nothing else yet.
    fn new(line: usize, words: Vec<String>, warnings: Vec<String>) -> CommandReport {
        CommandReport {
            line,
            words,
            operation: None,
            response: None,
            output: None,
            explanation: None,
            warnings,
            error: None,
            placement: None,
            scheduler: Vec::new(),
        }
    }

    /// True when the command succeeded.
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Runs one command (already split into words). The scenario changes only when it succeeds.
pub fn run_words(
    scenario: &mut Scenario,
    command: ScriptCommand,
    files: &dyn FileSource,
    options: Options,
) -> CommandReport {
    let mut report = CommandReport::new(command.line, command.words, command.repairs);
    let invocation = match parse_invocation(&report.words, files) {
        Ok(invocation) => invocation,
        Err(error) => return failed(report, None, error),
    };
    let operation = invocation.operation();
    report.operation = Some(operation);
    match execute(scenario, &invocation, options) {
        Ok(outcome) => {
            report.warnings.extend(outcome.warnings);
            report.response = (!outcome.response.is_null()).then_some(outcome.response);
            report.explanation = outcome.explanation;
            report.placement = outcome.placement;
            report.scheduler = outcome.scheduler;
            match printed(&invocation, report.response.as_ref()) {
                Ok(output) => {
                    report.output = output;
                    report
                }
                // The command ran (the scenario changed); only its printing failed, and the
                // AWS CLI prints nothing on stdout then.
                Err(error) => {
                    report.output = Some(String::new());
                    failed(report, None, error)
                }
            }
        }
        Err(error) => {
            report.warnings.extend(invocation.warnings);
            failed(report, Some(operation), error)
        }
    }
}

/// The formatted output when `--query` or `--output` asks for more than the response's JSON.
#[cfg(feature = "output-formats")]
fn printed(invocation: &super::Invocation, response: Option<&Value>) -> Result<Option<String>> {
    let options = &invocation.output;
    match response {
        Some(response) if !options.is_plain() => super::output::format(
            invocation.operation(),
            invocation.command.paginated.is_some(),
            response,
            options,
        )
        .map(Some),
        _ => Ok(None),
    }
}

/// Without the `output-formats` feature the command line was refused before it ran when it asked
/// for more than JSON ([`parse_invocation`]), so there is nothing to format.
#[cfg(not(feature = "output-formats"))]
fn printed(_invocation: &super::Invocation, _response: Option<&Value>) -> Result<Option<String>> {
    Ok(None)
}

fn failed(mut report: CommandReport, operation: Option<&str>, error: Error) -> CommandReport {
    report.error = Some(CommandError {
        text: render_error(operation, &error),
        exit_code: exit_code(&error),
        error,
    });
    report
}

/// Runs one command line (continuations allowed).
pub fn run_command(scenario: &mut Scenario, line: &str, files: &dyn FileSource, options: Options) -> CommandReport {
    match words::split_command(line) {
        Ok((words, repairs)) => run_words(
            scenario,
            ScriptCommand {
                line: 1,
                words,
                repairs,
            },
            files,
            options,
        ),
        Err(error) => failed(CommandReport::new(1, Vec::new(), Vec::new()), None, error),
    }
}

/// The commands of a script ([`words::split_script`]). A script one of whose commands asks for
/// what this build leaves out ([`left_out_here`](super::cli::left_out_here)) is refused whole with
/// that command's error ([`ErrorKind::FeatureLeftOut`](crate::error::ErrorKind)), so that none of
/// it runs where it cannot all run.
pub(crate) fn script_commands(text: &str) -> Result<Vec<ScriptCommand>> {
    let commands = words::split_script(text)?;
    if let Some(command) = commands.iter().find(|c| super::cli::left_out_here(&c.words)) {
        return Err(match parse_invocation(&command.words, &super::NoFiles) {
            Err(error) if error.kind == ErrorKind::FeatureLeftOut => error,
            _ => super::output::left_out(),
        });
    }
    Ok(commands)
}

/// Runs every command of a script, stopping at the first failure unless `keep_going`.
/// Fails only when the script cannot be split into commands (an unclosed quote), or, without
/// the `output-formats` feature, when one of its commands asks for `--query` or `--output
/// text|table` ([`ErrorKind::FeatureLeftOut`](crate::error::ErrorKind), before any runs).
pub fn run_script(
    scenario: &mut Scenario,
    text: &str,
    files: &dyn FileSource,
    options: Options,
    keep_going: bool,
) -> Result<Vec<CommandReport>> {
    let mut reports = Vec::new();
    for command in script_commands(text)? {
        let report = run_words(scenario, command, files, options);
        let stop = !report.succeeded() && !keep_going;
        reports.push(report);
        if stop {
            break;
        }
    }
    Ok(reports)
}
