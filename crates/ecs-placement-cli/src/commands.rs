//! What each `placement` command does.

use crate::args::{Command, ImportFiles, RunOptions, USAGE, USAGE_ERROR};
use crate::files::{MAX_PARAMETER_FILE_BYTES, read_capped, read_input, write_atomically};
use crate::output::{err, err_raw, out, out_json, out_raw};
use ecs_placement::aws::words::ScriptCommand;
use ecs_placement::aws::{self, CommandReport, FileSource, Options};
use ecs_placement::diagnostic::{has_errors, render_plain};
use ecs_placement::engine::Explain;
use ecs_placement::import::ServiceEvents;
use ecs_placement::{Error, Scenario, cql, import, json, presets};
use std::path::{Path, PathBuf};

/// Runs a command and returns the process exit code.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Check { expression, json } => check(&expression, json),
        Command::Import(import) => report(import_files(&import)),
        Command::Run { run, aws } => run_aws(&run, aws),
        Command::Script { run, file } => run_script(&run, &file),
        Command::Presets => list_presets(),
        Command::Endpoint(options) => crate::endpoint::serve(&options),
        Command::ListOperations => crate::endpoint::list_operations(),
        Command::Help => {
            out(USAGE);
            0
        }
        Command::Version => {
            out(&format!("placement {}", env!("CARGO_PKG_VERSION")));
            0
        }
    }
}

fn check(expression: &str, as_json: bool) -> i32 {
    let diagnostics = cql::check(expression);
    let invalid = has_errors(&diagnostics);
    if as_json {
        out_json(&json::to_pretty(&diagnostics));
    } else {
        out_raw(&render_plain(expression, &diagnostics));
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        match (invalid, warnings) {
            (false, 0) => out("valid"),
            (false, w) => out(&format!("valid ({w} warning{})", plural(w))),
            (true, w) => out(&format!(
                "invalid: {errors} error{}, {w} warning{}",
                plural(errors),
                plural(w)
            )),
        }
    }
    i32::from(invalid)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints an error from reading files or scenarios (exit 255).
fn report(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(error) => {
            err(&format!("placement: {}", error.detailed()));
            255
        }
    }
}

fn import_files(files: &ImportFiles) -> Result<(), Error> {
    let instances = read_input(&files.instances)?;
    let tasks = files.tasks.as_deref().map(read_input).transpose()?;
    let services = files.services.as_deref().map(read_input).transpose()?;
    let events = if files.drop_events {
        ServiceEvents::Drop
    } else {
        ServiceEvents::Keep
    };
    let services = services.as_deref().map(|text| (text, events));
    let imported = import::import_all(&instances, tasks.as_deref(), services)?;
    for warning in &imported.warnings {
        err(&format!("warning: {warning}"));
    }
    out_json(&imported.scenario.to_json_pretty());
    Ok(())
}

fn list_presets() -> i32 {
    for preset in presets::PRESETS {
        out(&format!("preset:{:<12} {}", preset.name, preset.description));
    }
    0
}

/// Loads `preset:NAME` or a scenario file, and settles the seed (decision D18): `--seed`, else
/// the scenario's, else one drawn from the operating system and recorded.
pub(crate) fn load_scenario(options: &RunOptions) -> Result<Scenario, Error> {
    let mut scenario = match options.scenario.strip_prefix("preset:") {
        Some(name) => presets::load(name)?,
        None => Scenario::from_json(&read_input(Path::new(&options.scenario))?).map_err(|e| Error {
            message: format!("{}: {}", options.scenario, e.message),
            ..e
        })?,
    };
    scenario.seed = options.seed.or(scenario.seed).or_else(draw_seed);
    Ok(scenario)
}

fn draw_seed() -> Option<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .ok()
        .map(|()| u64::from_le_bytes(bytes) >> 11)
}

/// Reads `file://` arguments relative to a directory (absolute paths as they are).
struct DiskFiles {
    base: PathBuf,
}

impl FileSource for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        read_capped(&self.base.join(path), MAX_PARAMETER_FILE_BYTES)
    }
}

fn run_aws(options: &RunOptions, words: Vec<String>) -> i32 {
    let mut scenario = match load_scenario(options) {
        Ok(scenario) => scenario,
        Err(error) => return report(Err(error)),
    };
    let (words, repairs) = aws::words::repair_args(words);
    let files = DiskFiles {
        base: PathBuf::from("."),
    };
    let command = ScriptCommand {
        line: 1,
        words,
        repairs,
    };
    let outcome = aws::report::run_words(&mut scenario, command, &files, run_options(options));
    let code = print_report(&outcome, options.explain);
    let code = finish(code, &scenario, options);
    // The process ends with this command: its scenario and its answer are left to the system
    // instead of being freed piece by piece (a 10,000-task answer is millions of allocations).
    std::mem::forget((scenario, outcome));
    code
}

fn run_options(options: &RunOptions) -> Options {
    Options {
        explain: Explain::from(options.explain),
        what_if: options.what_if,
        scheduler_step: None,
    }
}

fn run_script(options: &RunOptions, file: &Path) -> i32 {
    let loaded = load_scenario(options).and_then(|s| read_input(file).map(|text| (s, text)));
    let (mut scenario, text) = match loaded {
        Ok(pair) => pair,
        Err(error) => return report(Err(error)),
    };
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let files = DiskFiles { base };
    let reports = match aws::run_script(&mut scenario, &text, &files, run_options(options), options.keep_going) {
        Ok(reports) => reports,
        Err(error) => {
            err(&format!("placement script: {}: {}", file.display(), error.message));
            return USAGE_ERROR;
        }
    };
    let mut code = 0;
    for outcome in &reports {
        out(&format!("$ {}", shell_join(&outcome.words)));
        let result = print_report(outcome, options.explain);
        if result != 0 {
            code = result;
            err(&format!("placement script: {}:{} failed", file.display(), outcome.line));
        }
    }
    finish(code, &scenario, options)
}

/// Prints a command's warnings, explanation and response (or error), then what the service
/// scheduler did (its events; with `explain` its placements and stops too); returns the exit
/// code.
fn print_report(outcome: &CommandReport, explain: bool) -> i32 {
    for warning in &outcome.warnings {
        print_warning(warning);
    }
    if let Some(explanation) = &outcome.explanation {
        err_raw(&explanation.render());
    }
    match (&outcome.output, &outcome.response) {
        (Some(output), _) => out_raw(output),
        (None, Some(response)) => out_json(&json::to_pretty(response)),
        (None, None) => {}
    }
    for step in &outcome.scheduler {
        err_raw(&step.render(explain));
    }
    match &outcome.error {
        Some(error) => {
            err(&format!("\n{}", error.text));
            error.exit_code
        }
        None => 0,
    }
}

/// Prints a warning; rendered diagnostics already carry their `warning:` label.
fn print_warning(warning: &str) {
    if warning.starts_with("warning:") {
        err(warning);
    } else {
        err(&format!("warning: {warning}"));
    }
}

/// Writes the scenario when `--save` was given (also after failed commands of a `--keep-going`
/// script: the scenario holds what the successful ones did).
fn finish(code: i32, scenario: &Scenario, options: &RunOptions) -> i32 {
    let Some(path) = &options.save else {
        return code;
    };
    match write_atomically(path, &(scenario.to_json_pretty() + "\n")) {
        Ok(()) => code,
        Err(error) => report(Err(error)),
    }
}

/// Quotes words for display so that the printed command can be pasted back into a shell.
fn shell_join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c));
            if plain {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
