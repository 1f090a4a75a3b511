//! The AWS CLI's global `--query` and `--output json|text|table`: what `aws ecs ...` prints
//! on stdout for a response. The query is JMESPath (the `jmespath` crate, tested upstream
//! against the JMESPath compliance suite); the formats follow the AWS CLI v1's
//! `awscli/formatter.py`, `text.py` and `table.py`.

pub(crate) mod python;
mod table;
mod text;
mod width;

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

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

/// Checks a `--query` expression as the AWS CLI does before calling the service; its error is
/// the AWS CLI's `Bad value for --query EXPR: ...` (exit code 255).
pub fn check_query(expression: &str) -> Result<()> {
    compile(expression).map(|_| ())
}

/// The built-in functions, with `abs`, `ceil`, `floor` and `sum` answering integers where
/// Python's JMESPath does (the crate computes them as floats, so `sum` of `[1, 2]` would print
/// `3.0` where the AWS CLI prints `3`).
static RUNTIME: std::sync::LazyLock<jmespath::Runtime> = std::sync::LazyLock::new(|| {
    use jmespath::functions::{AbsFn, CeilFn, FloorFn, SumFn};
    let mut runtime = jmespath::Runtime::new();
    runtime.register_builtin_functions();
    let integer_when = |name: &str, rule: IntegerWhen, inner: Box<dyn jmespath::functions::Function>| {
        (
            name.to_string(),
            Box::new(PythonNumbers { inner, rule }) as Box<dyn jmespath::functions::Function>,
        )
    };
    for (name, function) in [
        integer_when("abs", IntegerWhen::ArgumentsAre, Box::new(AbsFn::new())),
        integer_when("ceil", IntegerWhen::Always, Box::new(CeilFn::new())),
        integer_when("floor", IntegerWhen::Always, Box::new(FloorFn::new())),
        integer_when("sum", IntegerWhen::ArgumentsAre, Box::new(SumFn::new())),
    ] {
        runtime.register_function(&name, function);
    }
    runtime
});

/// When Python's function answers an integer.
#[derive(Clone, Copy)]
enum IntegerWhen {
    /// `ceil`, `floor`.
    Always,
    /// `abs`, `sum`: when the numbers given are integers.
    ArgumentsAre,
}

/// A built-in whose whole-number result is an integer under `rule`.
struct PythonNumbers {
    inner: Box<dyn jmespath::functions::Function>,
    rule: IntegerWhen,
}

impl jmespath::functions::Function for PythonNumbers {
    fn evaluate(&self, args: &[jmespath::Rcvar], ctx: &mut jmespath::Context<'_>) -> jmespath::SearchResult {
        let result = self.inner.evaluate(args, ctx)?;
        let integers = match self.rule {
            IntegerWhen::Always => true,
            IntegerWhen::ArgumentsAre => args.iter().all(|a| all_integers(a)),
        };
        let whole = match &*result {
            jmespath::Variable::Number(n) if integers && n.is_f64() => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64),
            _ => None,
        };
        Ok(whole.map_or(result, |i| {
            jmespath::Rcvar::new(jmespath::Variable::Number(serde_json::Number::from(i)))
        }))
    }
}

/// True when every number in the value is an integer.
fn all_integers(value: &jmespath::Variable) -> bool {
    match value {
        jmespath::Variable::Number(n) => !n.is_f64(),
        jmespath::Variable::Array(items) => items.iter().all(|i| all_integers(i)),
        _ => true,
    }
}

fn compile(expression: &str) -> Result<jmespath::Expression<'static>> {
    RUNTIME.compile(expression).map_err(|e| {
        Error::new(
            ErrorKind::OutputFailed,
            format!(
                "Bad value for --query {expression}: Invalid jmespath expression: {}",
                describe(&e)
            ),
        )
    })
}

/// A JMESPath error in the Python library's layout: the reason, the expression in quotes, and
/// a caret under the offending column.
fn describe(error: &jmespath::JmespathError) -> String {
    let reason = match &error.reason {
        jmespath::ErrorReason::Parse(message) => message.clone(),
        jmespath::ErrorReason::Runtime(runtime) => runtime.to_string(),
    };
    format!("{reason}:\n\"{}\"\n{}^", error.expression, " ".repeat(error.offset + 1))
}

/// Applies `--query` to a response.
pub fn search(expression: &str, response: &Value) -> Result<Value> {
    let compiled = compile(expression)?;
    // The interpreter is called directly on converted data: `Expression::search` converts
    // through serde, which would link the crate's whole serializer into the browser's module.
    let mut context = jmespath::Context::new(compiled.as_str(), &RUNTIME);
    let found = jmespath::interpret(&to_variable(response), compiled.as_ast(), &mut context)
        .map_err(|e| Error::new(ErrorKind::OutputFailed, describe(&e)))?;
    Ok(to_value(&found))
}

fn to_variable(value: &Value) -> jmespath::Rcvar {
    use jmespath::Variable;
    jmespath::Rcvar::new(match value {
        Value::Null => Variable::Null,
        Value::Bool(b) => Variable::Bool(*b),
        Value::Number(n) => Variable::Number(n.clone()),
        Value::String(s) => Variable::String(s.clone()),
        Value::Array(items) => Variable::Array(items.iter().map(to_variable).collect()),
        Value::Object(map) => Variable::Object(crate::order::map_of(
            map.iter().map(|(k, v)| (k.clone(), to_variable(v))),
        )),
    })
}

fn to_value(variable: &jmespath::Variable) -> Value {
    use jmespath::Variable;
    match variable {
        Variable::Null | Variable::Expref(_) => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(n) => Value::Number(n.clone()),
        Variable::String(s) => Value::String(s.clone()),
        Variable::Array(items) => Value::Array(items.iter().map(|v| to_value(v)).collect()),
        Variable::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

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

fn queried(options: &OutputOptions, value: &Value) -> Result<Value> {
    match &options.query {
        Some(expression) => search(expression, value),
        None => Ok(value.clone()),
    }
}

/// A paginated response without its `NextToken`, and the token.
fn split_next_token(response: &Value, paginated: bool) -> (Value, Option<Value>) {
    match response {
        Value::Object(map) if paginated && map.contains_key("NextToken") => {
            let mut page = map.clone();
            let token = page.shift_remove("NextToken");
            (Value::Object(page), token)
        }
        other => (other.clone(), None),
    }
}
