//! Parsing `aws ecs <subcommand> --param value ...` the way the AWS CLI does: global options,
//! `--flag value` and `--flag=value`, lists (`--subnets a b`), booleans (`--x` / `--no-x`),
//! shorthand and JSON structures, `file://` values, `--cli-input-json`, and the CLI's own
//! pagination options. The result is the API request as JSON.

use super::commands::{self, Command, Param};
#[cfg(feature = "output-formats")]
use super::output::check_query;
use super::output::{OUTPUT_CHOICES, OutputFormat, OutputOptions};
use super::shape::{Shape, check_json, coerce};
use super::shorthand;
use crate::error::{Error, Result};
use crate::similar;
use serde_json::{Map, Value};

/// Where `file://` arguments are read from (the CLI reads the disk; the page has none).
pub trait FileSource {
    /// The text of the file at `path`, or why it cannot be read.
    fn read(&self, path: &str) -> std::result::Result<String, String>;
}

/// A [`FileSource`] with no files.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> std::result::Result<String, String> {
        Err(format!("no file `{path}` is available here"))
    }
}

/// A [`FileSource`] over files given by name (an example's bundled files, or files a user
/// attached in a browser, where there is no file system).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct FileMap(pub std::collections::BTreeMap<String, String>);

impl FileSource for FileMap {
    fn read(&self, path: &str) -> std::result::Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| {
            format!("there is no file `{path}` here: paste its content into the command, or add it to the run's files")
        })
    }
}

/// The AWS CLI's own pagination options for list subcommands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// `--max-items`: print at most this many items and a `NextToken`.
    pub max_items: Option<usize>,
    /// `--starting-token`: continue from a previous `NextToken`.
    pub starting_token: Option<String>,
}

/// A parsed command line.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The subcommand.
    pub command: &'static Command,
    /// The API request (member names as in the API).
    pub request: Map<String, Value>,
    /// `--region`, when given.
    pub region: Option<String>,
    /// CLI-side pagination.
    pub paging: Paging,
    /// Repairs of the command line, one sentence each.
    pub warnings: Vec<String>,
    /// `--query` and `--output`: how the response is printed.
    pub output: OutputOptions,
}

impl Invocation {
    /// The invocation of an API request that is already JSON (an API call to `placement
    /// endpoint`): no region, no warnings, nothing of the CLI's own options.
    pub fn from_request(command: &'static Command, request: Map<String, Value>, paging: Paging) -> Invocation {
        Invocation {
            command,
            request,
            region: None,
            paging,
            warnings: Vec::new(),
            output: OutputOptions::default(),
        }
    }

    /// The API operation name (`ListContainerInstances`).
    pub fn operation(&self) -> &'static str {
        self.command.operation
    }
}

/// The AWS CLI's usage banner, printed before argument errors.
pub const USAGE: &str = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

fn argument_error(message: impl std::fmt::Display) -> Error {
    Error::usage(format!("{USAGE}\naws: error: {message}"))
}

/// Global options that take a value, and those that do not (accepted and ignored unless noted).
const GLOBAL_WITH_VALUE: &[&str] = &[
    "region",
    "profile",
    "output",
    "query",
    "endpoint-url",
    "cli-read-timeout",
    "cli-connect-timeout",
    "color",
    "ca-bundle",
    "cli-binary-format",
];
const GLOBAL_FLAGS: &[&str] = &[
    "no-cli-pager",
    "debug",
    "no-verify-ssl",
    "no-paginate",
    "no-sign-request",
    "cli-auto-prompt",
    "no-cli-auto-prompt",
];

/// Parses words such as `["aws", "ecs", "list-container-instances", "--filter", "..."]`.
pub fn parse_invocation(words: &[String], files: &dyn FileSource) -> Result<Invocation> {
    let (command, rest) = split_command(words)?;
    if !command.compiled_in() {
        return Err(Error::left_out(&format!("`aws ecs {}`", command.name)));
    }
    let mut parser = ArgParser {
        command,
        files,
        request: Map::new(),
        region: None,
        paging: Paging::default(),
        warnings: Vec::new(),
        unknown: Vec::new(),
        input_json: None,
        output: OutputOptions::default(),
    };
    global_output(rest)?;
    parser.parse(rest)?;
    parser.finish()
}

/// `--output` and `--query` are read before the subcommand's arguments, as the AWS CLI reads
/// its global options first: an invalid `--output` is the argument parser's error (exit 252), a
/// `--query` that is not JMESPath is `Bad value for --query ...` (exit 255), whatever else the
/// command line holds. The last of repeated options counts. Without the `output-formats`
/// feature, a `--query` or `--output text|table` is [`ErrorKind::FeatureLeftOut`](crate::error::ErrorKind).
fn global_output(words: &[String]) -> Result<()> {
    let (output, query) = output_words(words);
    let format = match output {
        Some(output) => Some(
            OutputFormat::parse(&output)
                .ok_or_else(|| argument_error(format!("argument --output: {}", invalid_choice(&OUTPUT_CHOICES))))?,
        ),
        None => None,
    };
    check_printing(format, query)
}

/// Checks `--query` as the AWS CLI does before calling the service.
#[cfg(feature = "output-formats")]
fn check_printing(_format: Option<OutputFormat>, query: Option<String>) -> Result<()> {
    query.map_or(Ok(()), |query| check_query(&query))
}

/// Without the `output-formats` feature: a `--query` or a format other than JSON is left out.
#[cfg(not(feature = "output-formats"))]
fn check_printing(format: Option<OutputFormat>, query: Option<String>) -> Result<()> {
    if beyond_json(format, query.as_deref()) {
        return Err(super::output::left_out());
    }
    Ok(())
}

/// The values of `--output` and `--query` on a command line, the last of repeated ones.
fn output_words(words: &[String]) -> (Option<String>, Option<String>) {
    let value_of = |name: &str| -> Option<String> {
        let mut found = None;
        let mut iter = words.iter().peekable();
        while let Some(word) = iter.next() {
            if let Some(inline) = word.strip_prefix(&format!("--{name}=")) {
                found = Some(inline.to_string());
            } else if word == &format!("--{name}") {
                found = iter.next_if(|w| !w.starts_with("--")).cloned().or(found);
            }
        }
        found
    };
    (value_of("output"), value_of("query"))
}

/// True when this build leaves out what a command line (its words) asks for: an operation of
/// [`commands::EXTRA_OPERATIONS`] without the `all-operations` feature, or a `--query` or
/// `--output text|table` without `output-formats`. [`parse_invocation`] refuses such a line with
/// [`ErrorKind::FeatureLeftOut`](crate::error::ErrorKind); a script is refused whole before it
/// runs.
pub fn left_out_here(words: &[String]) -> bool {
    let operation_left_out = split_command(words).is_ok_and(|(command, _)| !command.compiled_in());
    operation_left_out || (!cfg!(feature = "output-formats") && asks_for_formats(words))
}

/// True when a command line (its words) asks for more than the response's JSON: a `--query`,
/// or `--output text` or `table` (what the crate's `output-formats` feature prints).
pub fn asks_for_formats(words: &[String]) -> bool {
    let (output, query) = output_words(words);
    beyond_json(output.as_deref().and_then(OutputFormat::parse), query.as_deref())
}

/// True for a `--query`, or a format other than JSON.
fn beyond_json(format: Option<OutputFormat>, query: Option<&str>) -> bool {
    query.is_some() || format.is_some_and(|f| f != OutputFormat::Json)
}

/// The AWS CLI's words for a value outside an option's choices (`CLIArgParser._check_value`):
/// the choices two to a line, each padded to 40 columns.
fn invalid_choice(choices: &[&str]) -> String {
    let lines: Vec<String> = choices
        .chunks(2)
        .map(|pair| pair.iter().map(|c| format!("{c:<40}")).collect::<Vec<_>>().join(" | "))
        .collect();
    format!("Invalid choice, valid choices are:\n\n{}", lines.join("\n"))
}

fn split_command(words: &[String]) -> Result<(&'static Command, &[String])> {
    let [aws, service, name, rest @ ..] = words else {
        return Err(argument_error(
            "expected a command such as `aws ecs list-container-instances ...`",
        ));
    };
    if aws != "aws" {
        return Err(argument_error(format!("commands start with `aws ecs`, not `{aws}`")));
    }
    if service != "ecs" {
        return Err(argument_error(format!(
            "argument command: the playground simulates Amazon ECS only (`aws ecs ...`), not `aws {service}`"
        )));
    }
    if name == "wait" {
        return split_waiter(rest);
    }
    let command = commands::find(name).ok_or_else(|| unknown_subcommand(name))?;
    Ok((command, rest))
}

/// `aws ecs wait <waiter> ...`: the waiter is the command's second word.
fn split_waiter(words: &[String]) -> Result<(&'static Command, &[String])> {
    let Some((waiter, rest)) = words.split_first() else {
        return Err(argument_error("the following arguments are required: subcommand"));
    };
    let name = format!("wait {waiter}");
    match commands::find(&name) {
        Some(command) => Ok((command, rest)),
        None => {
            let waiters: Vec<&str> = commands::names()
                .into_iter()
                .filter_map(|n| n.strip_prefix("wait "))
                .collect();
            Err(argument_error(format!(
                "argument subcommand: Invalid choice `{waiter}`; the playground's waiters are: {}",
                waiters.join(", ")
            )))
        }
    }
}

fn unknown_subcommand(name: &str) -> Error {
    let valid = commands::names();
    let hint = similar::closest(name, valid.iter().copied())
        .map(|c| format!("\n\nDid you mean `{c}`?"))
        .unwrap_or_default();
    argument_error(format!(
        "argument operation: Invalid choice `{name}`; the playground supports: {}{hint}",
        valid.join(", ")
    ))
}

struct ArgParser<'a> {
    command: &'static Command,
    files: &'a dyn FileSource,
    request: Map<String, Value>,
    region: Option<String>,
    paging: Paging,
    warnings: Vec<String>,
    unknown: Vec<String>,
    input_json: Option<Map<String, Value>>,
    output: OutputOptions,
}

impl ArgParser<'_> {
    fn parse(&mut self, words: &[String]) -> Result<()> {
        let mut index = 0;
        while let Some(word) = words.get(index) {
            index += 1;
            let Some(option) = word.strip_prefix("--") else {
                self.unknown.push(word.clone());
                continue;
            };
            let (name, inline) = match option.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (option, None),
            };
            index = self.option(name, inline, words, index)?;
        }
        Ok(())
    }

    /// Handles one `--name`; returns the index of the next unread word.
    fn option(&mut self, name: &str, inline: Option<String>, words: &[String], index: usize) -> Result<usize> {
        if GLOBAL_FLAGS.contains(&name) {
            return Ok(index);
        }
        if GLOBAL_WITH_VALUE.contains(&name)
            || matches!(name, "cli-input-json" | "max-items" | "starting-token" | "page-size")
        {
            let (value, next) = one_value(name, inline, words, index)?;
            self.special(name, value)?;
            return Ok(next);
        }
        if let Some(param) = self.command.params.iter().find(|p| p.flag == name) {
            return self.param(param, inline, words, index);
        }
        if let Some(param) = self.boolean_negation(name) {
            self.request.insert(param.member.to_string(), Value::Bool(false));
            return Ok(index);
        }
        if let Some(param) = self.abbreviation(name) {
            return self.param(param, inline, words, index);
        }
        self.unknown_option(name, inline, words, index)
    }

    /// The parameter an unambiguous prefix names, as the AWS CLI's argument parser accepts
    /// (`aws ecs describe-clusters --cluster default`, as the AWS CLI's own example writes it).
    fn abbreviation(&self, name: &str) -> Option<&'static Param> {
        let mut matching = self.command.params.iter().filter(|p| p.flag.starts_with(name));
        match (matching.next(), matching.next()) {
            (Some(only), None) if !name.is_empty() => Some(only),
            _ => None,
        }
    }

    fn boolean_negation(&self, name: &str) -> Option<&'static Param> {
        let positive = name.strip_prefix("no-")?;
        self.command
            .params
            .iter()
            .find(|p| p.flag == positive && matches!(p.shape, Shape::Boolean))
    }

    fn unknown_option(&mut self, name: &str, inline: Option<String>, words: &[String], index: usize) -> Result<usize> {
        if let Some(param) = self.command.params.iter().find(|p| p.member == name) {
            self.warnings.push(format!(
                "`--{name}` is the API member name; the AWS CLI spells it `--{}` (accepted here, rejected by the AWS CLI)",
                param.flag
            ));
            return self.param(param, inline, words, index);
        }
        self.unknown.push(format!("--{name}"));
        Ok(index)
    }

    fn special(&mut self, name: &str, value: String) -> Result<()> {
        match name {
            "region" => self.region = Some(value),
            // Checked before the other arguments, as the AWS CLI does ([`global_output`]).
            "output" => self.output.format = OutputFormat::parse(&value).unwrap_or_default(),
            "query" => self.output.query = Some(value),
            "cli-input-json" => self.input_json = Some(self.cli_input_json(&value)?),
            "max-items" => self.paging.max_items = Some(positive_integer("--max-items", &value)?),
            "starting-token" => self.paging.starting_token = Some(value),
            _ => {}
        }
        Ok(())
    }

    fn cli_input_json(&self, value: &str) -> Result<Map<String, Value>> {
        let text = self.resolve_file("cli-input-json", value)?;
        match parse_json("cli-input-json", &text)? {
            Value::Object(map) => Ok(map),
            _ => Err(parameter_error("cli-input-json", "the value must be a JSON object")),
        }
    }

    fn param(
        &mut self,
        param: &'static Param,
        inline: Option<String>,
        words: &[String],
        index: usize,
    ) -> Result<usize> {
        let (values, next) = match param.shape {
            Shape::Boolean => match inline {
                Some(value) => (vec![value], index),
                None => (vec!["true".to_string()], index),
            },
            Shape::List(_) => many_values(param.flag, inline, words, index)?,
            _ => {
                let (value, next) = one_value(param.flag, inline, words, index)?;
                (vec![value], next)
            }
        };
        let value = self.param_value(param, values)?;
        let value = coerce(value, param.shape, param.member).map_err(|e| prefix_parameter(param.flag, e))?;
        self.request.insert(param.member.to_string(), value);
        Ok(next)
    }

    fn param_value(&mut self, param: &Param, words: Vec<String>) -> Result<Value> {
        let texts = words
            .iter()
            .map(|w| self.resolve_file(param.flag, w))
            .collect::<Result<Vec<_>>>()?;
        match param.shape {
            Shape::List(inner) => self.list_value(param, inner, texts),
            shape => {
                let text = texts.into_iter().next().unwrap_or_default();
                self.scalar_or_structure(param, shape, text)
            }
        }
    }

    fn list_value(&mut self, param: &Param, inner: &Shape, texts: Vec<String>) -> Result<Value> {
        if let [only] = texts.as_slice() {
            if only.trim_start().starts_with('[') {
                return check_json(parse_json(param.flag, only)?, param.shape, param.member)
                    .map_err(|e| prefix_parameter(param.flag, e));
            }
        }
        let items = texts
            .into_iter()
            .map(|text| self.scalar_or_structure(param, inner, text))
            .collect::<Result<Vec<_>>>()?;
        Ok(Value::Array(items))
    }

    fn scalar_or_structure(&mut self, param: &Param, shape: &Shape, text: String) -> Result<Value> {
        match shape {
            Shape::Structure(_) | Shape::Map(_) | Shape::Any => {
                if text.trim_start().starts_with(['{', '[']) {
                    check_json(parse_json(param.flag, &text)?, shape, param.member)
                        .map_err(|e| prefix_parameter(param.flag, e))
                } else {
                    self.shorthand(param, &text)
                }
            }
            _ => Ok(Value::String(text)),
        }
    }

    /// Shorthand, parsed as the AWS CLI parses it; the caller then coerces and validates the
    /// result against the shape, as botocore does.
    fn shorthand(&mut self, param: &Param, text: &str) -> Result<Value> {
        shorthand::parse(text).map_err(|e| parameter_error(param.flag, &e.message))
    }

    fn resolve_file(&self, flag: &str, value: &str) -> Result<String> {
        let path = value.strip_prefix("file://").or_else(|| value.strip_prefix("fileb://"));
        match path {
            Some(path) => self
                .files
                .read(path)
                .map_err(|e| parameter_error(flag, &format!("Unable to load paramfile {value}: {e}"))),
            None => Ok(value.to_string()),
        }
    }

    fn finish(mut self) -> Result<Invocation> {
        if !self.unknown.is_empty() {
            return Err(Error::usage(format!(
                "{USAGE}\nUnknown options: {}",
                self.unknown.join(", ")
            )));
        }
        if let Some(input) = self.input_json.take() {
            self.merge_input_json(input)?;
        }
        let missing: Vec<String> = missing_required(self.command, &self.request)
            .map(|p| format!("--{}", p.flag))
            .collect();
        if !missing.is_empty() {
            return Err(argument_error(format!(
                "the following arguments are required: {}",
                missing.join(", ")
            )));
        }
        Ok(Invocation {
            command: self.command,
            request: self.request,
            region: self.region,
            paging: self.paging,
            warnings: self.warnings,
            output: self.output,
        })
    }

    /// `--cli-input-json` supplies members; explicit arguments win. A `describe-*` document
    /// (wrapped, or with output-only members) is accepted with a warning.
    fn merge_input_json(&mut self, mut input: Map<String, Value>) -> Result<()> {
        if !self.command.read_only.is_empty() {
            input = self.unwrap_description(input);
        }
        for (key, value) in input {
            if self.request.contains_key(&key) {
                continue;
            }
            let value = json_member(self.command, &key, value)?;
            self.request.insert(key, value);
        }
        Ok(())
    }

    fn unwrap_description(&mut self, input: Map<String, Value>) -> Map<String, Value> {
        let mut input = match input.get("taskDefinition") {
            Some(Value::Object(inner)) if input.len() <= 2 => {
                self.warnings.push(
                    "--cli-input-json holds `describe-task-definition` output; registered its `taskDefinition` (the AWS CLI would reject the wrapper)"
                        .into(),
                );
                inner.clone()
            }
            _ => input,
        };
        let dropped: Vec<&str> = self
            .command
            .read_only
            .iter()
            .copied()
            .filter(|k| input.remove(*k).is_some())
            .collect();
        if !dropped.is_empty() {
            self.warnings.push(format!(
                "ignored output-only fields {} in --cli-input-json (the AWS CLI would reject them)",
                dropped.join(", ")
            ));
        }
        input
    }
}

/// One member of a request given as JSON (`--cli-input-json`, or the body of an API call to
/// `placement endpoint`): the command must have it, and its value must have the member's
/// shape, checked as botocore checks JSON input (no conversions).
pub(crate) fn json_member(command: &Command, key: &str, value: Value) -> Result<Value> {
    let Some(param) = command.params.iter().find(|p| p.member == key) else {
        let names: Vec<&str> = command.params.iter().map(|p| p.member).collect();
        return Err(Error::usage(format!(
            "Parameter validation failed:\nUnknown parameter in input: \"{key}\", must be one of: {}",
            names.join(", ")
        )));
    };
    check_json(value, param.shape, param.member)
}

/// The required parameters a request lacks.
pub(crate) fn missing_required<'a>(
    command: &'static Command,
    request: &'a Map<String, Value>,
) -> impl Iterator<Item = &'static Param> + 'a {
    command
        .params
        .iter()
        .filter(|p| p.required && !request.contains_key(p.member))
}

fn one_value(flag: &str, inline: Option<String>, words: &[String], index: usize) -> Result<(String, usize)> {
    if let Some(value) = inline {
        return Ok((value, index));
    }
    match words.get(index) {
        Some(word) if !word.starts_with("--") => Ok((word.clone(), index + 1)),
        _ => Err(argument_error(format!("argument --{flag}: expected one argument"))),
    }
}

fn many_values(flag: &str, inline: Option<String>, words: &[String], index: usize) -> Result<(Vec<String>, usize)> {
    let mut values: Vec<String> = inline.into_iter().collect();
    let mut next = index;
    while let Some(word) = words.get(next).filter(|w| !w.starts_with("--")) {
        values.push(word.clone());
        next += 1;
    }
    if values.is_empty() {
        return Err(argument_error(format!(
            "argument --{flag}: expected at least one argument"
        )));
    }
    Ok((values, next))
}

fn positive_integer(flag: &str, value: &str) -> Result<usize> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| argument_error(format!("argument {flag}: invalid int value: '{value}'")))
}

/// A JSON argument: duplicate keys and deep nesting are refused (with the JSON path).
fn parse_json(flag: &str, text: &str) -> Result<Value> {
    crate::json::parse(text).map_err(|e| {
        let at = e.path.as_deref().map(|p| format!(" (at `{p}`)")).unwrap_or_default();
        parameter_error(
            flag,
            &format!("Invalid JSON: {}{at}\nJSON received: {}", e.message, excerpt(text)),
        )
    })
}

/// Echoed input is cut at [`ECHO_LIMIT`] characters so that an error stays readable.
const ECHO_LIMIT: usize = 2_000;

fn excerpt(text: &str) -> String {
    match text.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => format!(
            "{}... ({} characters in all)",
            text.get(..cut).unwrap_or(""),
            text.chars().count()
        ),
        None => text.to_string(),
    }
}

fn parameter_error(flag: &str, message: &str) -> Error {
    Error::usage(format!("Error parsing parameter '--{flag}': {message}"))
}

fn prefix_parameter(flag: &str, error: Error) -> Error {
    if error.message.starts_with("Parameter validation failed") {
        return error;
    }
    parameter_error(flag, &error.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(text: &str) -> Vec<String> {
        super::super::words::split_command(text).unwrap().0
    }

    fn parse(text: &str) -> Result<Invocation> {
        parse_invocation(&words(text), &NoFiles)
    }

    #[test]
    fn asks_for_formats_reads_output_and_query_as_the_parser_does() {
        for text in [
            "aws ecs list-tasks --query taskArns",
            "aws ecs list-tasks --query=taskArns",
            "aws ecs list-tasks --output text",
            "aws ecs list-tasks --output=table",
            "aws ecs list-tasks --output json --output text",
        ] {
            assert!(asks_for_formats(&words(text)), "{text}");
        }
        for text in [
            "aws ecs list-tasks",
            "aws ecs list-tasks --output json",
            "aws ecs list-tasks --output text --output json",
            "aws ecs list-tasks --output yaml",
            "aws ecs list-tasks --query --output json",
        ] {
            assert!(!asks_for_formats(&words(text)), "{text}");
        }
    }

    /// Without the `output-formats` feature (`cargo test -p ecs-placement --no-default-features
    /// --features embedded-presets --lib left_out`): what asks for more than JSON is refused
    /// before it runs.
    #[test]
    #[cfg(not(feature = "output-formats"))]
    fn left_out_formats_are_refused_before_anything_runs() {
        use crate::error::ErrorKind;
        for text in [
            "aws ecs list-tasks --query taskArns",
            "aws ecs list-tasks --output table",
        ] {
            assert_eq!(parse(text).unwrap_err().kind, ErrorKind::FeatureLeftOut, "{text}");
        }
        assert!(parse("aws ecs list-tasks --output json").is_ok());
        assert_eq!(
            parse("aws ecs list-tasks --output yaml").unwrap_err().kind,
            ErrorKind::Usage
        );
        let mut scenario = crate::presets::sample().unwrap();
        let before = scenario.tasks.len();
        let script = "aws ecs run-task --task-definition webserver --count 2\naws ecs list-tasks --output text\n";
        let error = super::super::run_script(&mut scenario, script, &NoFiles, Default::default(), true).unwrap_err();
        assert_eq!(error.kind, ErrorKind::FeatureLeftOut);
        assert_eq!(scenario.tasks.len(), before, "the script's first command did not run");
        let traced = super::super::trace::run_traced(
            scenario.clone(),
            script,
            &NoFiles,
            Default::default(),
            true,
            &mut |_| {},
        );
        assert_eq!(traced.map(|_| ()).unwrap_err().kind, ErrorKind::FeatureLeftOut);
        let report = super::super::run_command(
            &mut scenario,
            "aws ecs list-tasks --query taskArns",
            &NoFiles,
            Default::default(),
        );
        assert_eq!(report.error.map(|e| e.error.kind), Some(ErrorKind::FeatureLeftOut));
    }

    /// Without the `all-operations` feature: the operations of `EXTRA_OPERATIONS` are refused
    /// before they run, and a script that holds one is refused whole.
    #[test]
    #[cfg(not(feature = "all-operations"))]
    fn left_out_operations_are_refused_before_anything_runs() {
        use crate::error::ErrorKind;
        for text in [
            "aws ecs describe-clusters",
            "aws ecs start-task --task-definition x --container-instances a",
        ] {
            assert!(left_out_here(&words(text)), "{text}");
            assert_eq!(parse(text).unwrap_err().kind, ErrorKind::FeatureLeftOut, "{text}");
        }
        // Each left-out operation's commands (DescribeTasks' waiters too), and nothing else.
        let mut left_out: Vec<&str> = super::super::commands::names()
            .iter()
            .map(|name| super::super::commands::find(name).unwrap())
            .filter(|command| !command.compiled_in())
            .map(|command| command.operation)
            .collect();
        left_out.sort_unstable();
        left_out.dedup();
        let mut extra = super::super::commands::EXTRA_OPERATIONS.to_vec();
        extra.sort_unstable();
        assert_eq!(left_out, extra);
        let mut scenario = crate::presets::sample().unwrap();
        let before = scenario.tasks.len();
        let script = "aws ecs run-task --task-definition webserver --count 2\naws ecs list-clusters\n";
        let error = super::super::run_script(&mut scenario, script, &NoFiles, Default::default(), true).unwrap_err();
        assert_eq!(error.kind, ErrorKind::FeatureLeftOut);
        assert!(error.message.contains("`aws ecs list-clusters`"), "{}", error.message);
        assert_eq!(scenario.tasks.len(), before, "the script's first command did not run");
    }

    /// Without the features the page's first module leaves out, every use case runs whole.
    #[test]
    #[cfg(not(any(feature = "all-operations", feature = "output-formats")))]
    fn left_out_nothing_a_use_case_runs() {
        use crate::error::ErrorKind;
        for example in crate::presets::EXAMPLES {
            let scenario = crate::presets::load(example.preset).unwrap();
            let files = crate::presets::ExampleFiles(example.files);
            let options = super::super::Options::default();
            let trace = super::super::trace::run_traced(scenario, example.script(), &files, options, true, &mut |_| {});
            let trace = trace.unwrap_or_else(|e| panic!("{}: {e:?}", example.name));
            assert!(!trace.commands.is_empty(), "{}", example.name);
            for step in &trace.commands {
                let kind = step.report.error.as_ref().map(|e| e.error.kind);
                assert_ne!(
                    kind,
                    Some(ErrorKind::FeatureLeftOut),
                    "{}: {:?}",
                    example.name,
                    step.report.words
                );
            }
        }
    }

    #[test]
    fn list_container_instances() {
        let inv = parse("aws ecs list-container-instances --cluster prod --filter 'attribute:a == b' --status=ACTIVE --region us-west-2").unwrap();
        assert_eq!(inv.operation(), "ListContainerInstances");
        assert_eq!(
            json!(inv.request),
            json!({"cluster": "prod", "filter": "attribute:a == b", "status": "ACTIVE"})
        );
        assert_eq!(inv.region.as_deref(), Some("us-west-2"));
    }

    #[test]
    fn usage_errors_look_like_the_aws_cli() {
        let err = parse("aws ecs list-container-instances --filter").unwrap_err();
        assert!(
            err.message
                .ends_with("aws: error: argument --filter: expected one argument"),
            "{}",
            err.message
        );
        let err = parse("aws ecs list-container-instances --bogus 1").unwrap_err();
        assert!(err.message.ends_with("Unknown options: --bogus, 1"), "{}", err.message);
        let err = parse("aws ecs list-container-instance").unwrap_err();
        assert!(
            err.message.contains("Did you mean `list-container-instances`?"),
            "{}",
            err.message
        );
        let err = parse("aws ec2 describe-instances").unwrap_err();
        assert!(err.message.contains("Amazon ECS only"), "{}", err.message);
        let err = parse("aws ecs list-container-instances --max-items many").unwrap_err();
        assert!(
            err.message.contains("argument --max-items: invalid int value: 'many'"),
            "{}",
            err.message
        );
    }

    #[test]
    fn cli_input_json_and_files() {
        struct OneFile;
        impl FileSource for OneFile {
            fn read(&self, path: &str) -> std::result::Result<String, String> {
                if path == "in.json" {
                    Ok(r#"{"filter": "agentConnected == true", "cluster": "x"}"#.into())
                } else {
                    Err("missing".into())
                }
            }
        }
        let inv = parse_invocation(
            &words("aws ecs list-container-instances --cli-input-json file://in.json --cluster y"),
            &OneFile,
        )
        .unwrap();
        assert_eq!(
            json!(inv.request),
            json!({"cluster": "y", "filter": "agentConnected == true"})
        );
        let err = parse_invocation(
            &words("aws ecs list-container-instances --filter file://nope"),
            &OneFile,
        )
        .unwrap_err();
        assert!(
            err.message.contains("Unable to load paramfile file://nope"),
            "{}",
            err.message
        );
    }
}
