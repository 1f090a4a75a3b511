//! The AWS CLI's global `--query` and `--output json|text|table`: what `aws ecs ...` prints
//! on stdout for a response. The query is JMESPath as the AWS CLI's Python library runs it
//! ([`jmespath`]); the formats follow the AWS CLI v1's `awscli/formatter.py`, `text.py` and
//! `table.py`.
//!
//! The query and the text and table formats are the crate's `output-formats` feature. Without
//! it (the browser page's first module) only the choices and [`OutputOptions`] are here, and a
//! command line that asks for more than JSON fails with [`ErrorKind::FeatureLeftOut`] before it
//! runs ([`asks_for_formats`](super::cli::asks_for_formats)).

#[cfg(feature = "output-formats")]
mod jmespath;
// Python's `repr` is also how `aws::shape` words its type errors; the rest serves the formats.
#[cfg_attr(not(feature = "output-formats"), allow(dead_code))]
pub(crate) mod python;
#[cfg(feature = "output-formats")]
mod table;
#[cfg(feature = "output-formats")]
mod text;
#[cfg(feature = "output-formats")]
mod width;

use crate::error::Error;
#[cfg(feature = "output-formats")]
use crate::error::{ErrorKind, Result};
#[cfg(feature = "output-formats")]
use serde_json::{Map, Value};

#[cfg(feature = "output-formats")]
pub use table::TERMINAL_WIDTH;

/// `--output`: how the response is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// JSON with 4-space indentation (the default).
    #[default]
    Json,
    /// Tab-separated text.
    Text,
    /// A box-drawn table titled with the operation's name.
    Table,
}

/// The `--output` choices, in the AWS CLI's order.
pub const OUTPUT_CHOICES: [&str; 3] = ["json", "text", "table"];

impl OutputFormat {
    /// The format a `--output` value names.
    pub fn parse(value: &str) -> Option<OutputFormat> {
        match value {
            "json" => Some(OutputFormat::Json),
            "text" => Some(OutputFormat::Text),
            "table" => Some(OutputFormat::Table),
            _ => None,
        }
    }
}

/// What to print: the `--query` (checked when the command line was parsed) and `--output`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// The JMESPath expression of `--query`.
    pub query: Option<String>,
    /// The format of `--output`.
    pub format: OutputFormat,
}

impl OutputOptions {
    /// True when the output is the response as JSON, unfiltered (what the playground shows by
    /// default).
    pub fn is_plain(&self) -> bool {
        self.query.is_none() && self.format == OutputFormat::Json
    }
}

/// The error of a build without the `output-formats` feature for a command line that asks for
/// `--query` or `--output text|table`: nothing ran.
pub fn left_out() -> Error {
    Error::left_out("`--query` and `--output text|table`")
}

/// Checks a `--query` expression as the AWS CLI does before calling the service (its syntax
/// only: like Python's library, an unknown function or a wrong number of arguments fails when
/// the query runs); its error is the AWS CLI's `Bad value for --query EXPR: ...` (exit code
/// 255).
#[cfg(feature = "output-formats")]
pub fn check_query(expression: &str) -> Result<()> {
    compile(expression).map(|_| ())
}

#[cfg(feature = "output-formats")]
/// The compiled expression, or the AWS CLI's error for a syntax error.
fn compile(expression: &str) -> Result<jmespath::Ast> {
    jmespath::compile(expression).map_err(|e| {
        Error::new(
            ErrorKind::OutputFailed,
            format!("Bad value for --query {expression}: {}", e.describe(expression)),
        )
    })
}

#[cfg(feature = "output-formats")]
/// Applies `--query` to a response; a failure's message is the text of the exception the AWS
/// CLI prints.
pub fn search(expression: &str, response: &Value) -> Result<Value> {
    let compiled = compile(expression)?;
    jmespath::search(&compiled, response).map_err(|message| Error::new(ErrorKind::OutputFailed, message))
}

#[cfg(feature = "output-formats")]
/// What the AWS CLI prints on stdout for `response` of `operation` (a title for tables).
/// `paginated` is the list key of a paginated operation: its text output prints a `NextToken`
/// on a line of its own after the items, as the AWS CLI's does.
pub fn format(operation: &str, paginated: bool, response: &Value, options: &OutputOptions) -> Result<String> {
    match options.format {
        OutputFormat::Text => {
            let (page, token) = split_next_token(response, paginated);
            let mut out = text::format(&queried(options, &page)?);
            if let Some(token) = token {
                let mut inner = Map::new();
                inner.insert("NextToken".into(), token);
                let mut outer = Map::new();
                outer.insert("NextToken".into(), Value::Object(inner));
                out.push_str(&text::format(&queried(options, &Value::Object(outer))?));
            }
            Ok(out)
        }
        OutputFormat::Json => {
            let value = queried(options, response)?;
            if value.as_object().is_some_and(Map::is_empty) {
                return Ok(String::new());
            }
            Ok(crate::json::to_pretty(&value) + "\n")
        }
        OutputFormat::Table => {
            let value = queried(options, response)?;
            table::format(operation, &value).map_err(|message| Error::new(ErrorKind::OutputFailed, message))
        }
    }
}

#[cfg(feature = "output-formats")]
fn queried(options: &OutputOptions, value: &Value) -> Result<Value> {
    match &options.query {
        Some(expression) => search(expression, value),
        None => Ok(value.clone()),
    }
}

#[cfg(feature = "output-formats")]
/// A paginated response without its `NextToken`, and the token.
fn split_next_token(response: &Value, paginated: bool) -> (Value, Option<Value>) {
    match response {
        Value::Object(map) if paginated && map.contains_key("NextToken") => {
            // The page rebuilt without the token, in its order: `shift_remove` would be the
            // module's only removal that keeps the order, with code of its own.
            let mut page = Map::new();
            let mut token = None;
            for (key, value) in map {
                if key == "NextToken" {
                    token = Some(value.clone());
                } else {
                    page.insert(key.clone(), value.clone());
                }
            }
            (Value::Object(page), token)
        }
        other => (other.clone(), None),
    }
}
