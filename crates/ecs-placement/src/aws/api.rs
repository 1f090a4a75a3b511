//! The ECS API as the AWS JSON 1.1 protocol carries it: an operation name (from the
//! `X-Amz-Target` header) and the request JSON in, a status and a JSON body out. This is what
//! `placement endpoint` serves to the AWS CLI and the SDKs; the HTTP itself lives in the CLI
//! crate, so that this stays free of I/O.
//!
//! Every operation of the command table ([`super::commands::COMMANDS`]) is served, except the
//! AWS CLI's waiters (`aws ecs wait ...`), which the real CLI runs itself by polling the
//! operation they name. A request body is checked with the same code that checks
//! `--cli-input-json` ([`super::cli`]), so the command line and the endpoint accept the same
//! requests and refuse the same mistakes in the same words.

use super::cli::{Paging, json_member, missing_required};
use super::commands::{COMMANDS, Command};
use super::{Invocation, Options, Outcome, execute};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use crate::time::Timestamp;
use serde_json::{Map, Value, json};

/// What an `X-Amz-Target` header starts with for ECS: the operation name follows.
pub const TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113.";

/// The content type of JSON 1.1 requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The exception for failures of the playground itself (HTTP 500).
pub const SERVER_EXCEPTION: &str = "ServerException";

/// The API's page members of list operations (the AWS CLI sends them for `--page-size` and to
/// fetch the next page).
const MAX_RESULTS: &str = "maxResults";
const NEXT_TOKEN: &str = "nextToken";

/// The largest `maxResults` the list operations take.
const MAX_PAGE: i64 = 100;

/// Every operation the endpoint serves, in the command table's order.
pub fn operations() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for command in COMMANDS.iter().filter(|c| c.waiter.is_none()) {
        if !names.contains(&command.operation) {
            names.push(command.operation);
        }
    }
    names
}

/// The command behind an operation (waiters excluded: they are the CLI's, not the API's).
pub fn command_for(operation: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.waiter.is_none() && c.operation == operation)
}

/// Whether an operation only reads: `Describe*` and `List*`, by the API's naming rule. Every
/// other operation may change the scenario (the endpoint saves after it).
pub fn is_read_only(operation: &str) -> bool {
    operation.starts_with("Describe") || operation.starts_with("List")
}

/// The operation an `X-Amz-Target` header names, or `UnknownOperationException`.
pub fn operation_from_target(target: Option<&str>) -> Result<&'static Command> {
    let Some(target) = target else {
        return Err(Error::new(
            ErrorKind::UnknownOperation,
            format!(
                "The request has no X-Amz-Target header; ECS API calls name their operation as `{TARGET_PREFIX}<Operation>`."
            ),
        ));
    };
    let operation = target.strip_prefix(TARGET_PREFIX).ok_or_else(|| {
        Error::new(
            ErrorKind::UnknownOperation,
            format!("`{target}` is not an ECS operation: X-Amz-Target starts with `{TARGET_PREFIX}`."),
        )
    })?;
    command_for(operation).ok_or_else(|| {
        Error::new(
            ErrorKind::UnknownOperation,
            format!(
                "The playground does not simulate the {operation} operation; it serves: {}.",
                operations().join(", ")
            ),
        )
    })
}

/// Builds the invocation of an API call from its operation name and request JSON, checked as
/// `--cli-input-json` is: the body must be a JSON object (`SerializationException`), each
/// member must be one of the operation's, with its type (`SerializationException` for a wrong
/// type, `InvalidParameterException` for an unknown member) and the required members must be
/// there (`InvalidParameterException`). `null` members count as absent, as at AWS. List
/// operations also take the API's `maxResults` (1 to 100) and `nextToken`.
pub fn invocation(operation: &str, body: &str) -> Result<Invocation> {
    let command = command_for(operation).ok_or_else(|| {
        Error::new(
            ErrorKind::UnknownOperation,
            format!("The playground does not simulate the {operation} operation."),
        )
    })?;
    invocation_for(command, body)
}

fn invocation_for(command: &'static Command, body: &str) -> Result<Invocation> {
    let input = request_object(body)?;
    let mut request = Map::new();
    let mut paging = Paging::default();
    for (key, value) in input {
        if value.is_null() {
            continue;
        }
        if command.paginated.is_some() && (key == MAX_RESULTS || key == NEXT_TOKEN) {
            page_member(&mut paging, &key, value)?;
            continue;
        }
        let value = json_member(command, &key, value).map_err(validation_error)?;
        request.insert(key, value);
    }
    if let Some(missing) = missing_required(command, &request).next() {
        return Err(Error::invalid_parameter(format!(
            "Parameter validation failed:\nMissing required parameter in input: \"{}\"",
            missing.member
        )));
    }
    Ok(Invocation::from_request(command, request, paging))
}

/// The body as a JSON object; an empty body is an empty request.
fn request_object(body: &str) -> Result<Map<String, Value>> {
    if body.trim().is_empty() {
        return Ok(Map::new());
    }
    let value = crate::json::parse(body).map_err(|e| {
        let at = e.path.as_deref().map(|p| format!(" (at `{p}`)")).unwrap_or_default();
        Error::new(
            ErrorKind::Serialization,
            format!("The request body is not valid JSON: {}{at}", e.message),
        )
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Error::new(
            ErrorKind::Serialization,
            format!(
                "The request body must be a JSON object of the operation's members, not {}.",
                json_kind(&other)
            ),
        )),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `maxResults` and `nextToken` of a list operation, as the AWS CLI's `--page-size` and
/// next-page requests send them.
fn page_member(paging: &mut Paging, key: &str, value: Value) -> Result<()> {
    if key == NEXT_TOKEN {
        let Value::String(token) = value else {
            return Err(type_error(key, &value, "str"));
        };
        paging.starting_token = Some(token);
        return Ok(());
    }
    let Some(n) = value.as_i64() else {
        return Err(type_error(key, &value, "int"));
    };
    if !(1..=MAX_PAGE).contains(&n) {
        return Err(Error::invalid_parameter(format!(
            "maxResults must be between 1 and {MAX_PAGE}, not {n}."
        )));
    }
    paging.max_items = usize::try_from(n).ok();
    Ok(())
}

fn type_error(key: &str, value: &Value, expected: &str) -> Error {
    let value = crate::json::text::compact(value);
    Error::new(
        ErrorKind::Serialization,
        format!(
            "Parameter validation failed:\nInvalid type for parameter {key}, value: {value}, valid types: <class '{expected}'>"
        ),
    )
}

/// The shape checks' errors (command-line errors of the AWS CLI) as the API answers them: a
/// value of the wrong type cannot be deserialized (`SerializationException`); anything else
/// (an unknown member) is an invalid parameter.
fn validation_error(error: Error) -> Error {
    let kind = if error.message.contains("Invalid type for parameter") {
        ErrorKind::Serialization
    } else {
        ErrorKind::InvalidParameter
    };
    Error { kind, ..error }
}

/// An API call's answer: the HTTP status and the JSON body, plus what the playground has to
/// say beside it.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The operation, when the target named one the playground serves.
    pub operation: Option<&'static str>,
    /// 200, 400 for client exceptions, 500 for `ServerException`.
    pub status: u16,
    /// The response JSON, or the error body `{"__type": ..., "message": ...}`.
    pub body: Value,
    /// The exception name of an error reply.
    pub exception: Option<&'static str>,
    /// Whether the call may have changed the scenario (a successful operation that is not
    /// `Describe*` or `List*`): the endpoint saves after it.
    pub changed: bool,
    /// The outcome of a successful call (warnings, and what the service scheduler did).
    pub outcome: Option<Outcome>,
}

/// Serves one API call on the scenario: `target` is the `X-Amz-Target` header, `region` the
/// region the request was signed for (when known; a region other than the scenario's is
/// `ClusterNotFoundException`, as at AWS). After an operation that can change what services
/// need, the service scheduler settles the cluster, as after a command of `placement run`.
pub fn call(scenario: &mut Scenario, target: Option<&str>, body: &str, region: Option<&str>) -> Reply {
    let command = match operation_from_target(target) {
        Ok(command) => command,
        Err(error) => return error_reply(None, &error),
    };
    let operation = command.operation;
    let mut invocation = match invocation_for(command, body) {
        Ok(invocation) => invocation,
        Err(error) => return error_reply(Some(operation), &error),
    };
    invocation.region = region.map(str::to_string);
    match execute(scenario, &invocation, Options::default()) {
        Ok(mut outcome) => {
            let body = wire_response(std::mem::take(&mut outcome.response));
            Reply {
                operation: Some(operation),
                status: 200,
                body,
                exception: None,
                changed: !is_read_only(operation),
                outcome: Some(outcome),
            }
        }
        Err(error) => error_reply(Some(operation), &error),
    }
}

/// The response as the API sends it: timestamps as epoch seconds, the CLI's `NextToken` (from
/// [`execute`]'s pagination) as the API's `nextToken`, and a `null` response (nothing to
/// print) as an empty object.
fn wire_response(response: Value) -> Value {
    let mut response = match response {
        Value::Object(mut map) => {
            if let Some(token) = map.remove("NextToken") {
                map.insert(NEXT_TOKEN.into(), token);
            }
            Value::Object(map)
        }
        Value::Null => json!({}),
        other => other,
    };
    timestamps_to_epoch_seconds(&mut response);
    response
}

/// The members the ECS service model types as timestamps (every one of them, in every
/// structure; no member of these names has another type). The operations answer them as the
/// AWS CLI prints them (`2024-04-01T09:00:01Z`); the API's JSON sends seconds since the epoch.
const TIMESTAMP_MEMBERS: [&str; 19] = [
    "connectivityAt",
    "createdAt",
    "deleteRequestedAt",
    "deregisteredAt",
    "executionStoppedAt",
    "expirationDate",
    "expiresAt",
    "finishedAt",
    "lastStartedAt",
    "lastStatusChange",
    "lastUpdated",
    "pullStartedAt",
    "pullStoppedAt",
    "registeredAt",
    "stabilityStatusAt",
    "startedAt",
    "stoppedAt",
    "stoppingAt",
    "updatedAt",
];

/// Rewrites every timestamp member holding ISO 8601 text as epoch seconds (`1711962001.5`).
fn timestamps_to_epoch_seconds(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let instant = match item {
                    Value::String(text) if TIMESTAMP_MEMBERS.contains(&key.as_str()) => Timestamp::parse(text),
                    _ => None,
                };
                match instant {
                    Some(instant) => *item = epoch_seconds(instant),
                    None => timestamps_to_epoch_seconds(item),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(timestamps_to_epoch_seconds),
        _ => {}
    }
}

/// Seconds since the epoch as a JSON number (millisecond precision, as AWS sends them).
fn epoch_seconds(instant: Timestamp) -> Value {
    serde_json::Number::from_f64(instant.0 as f64 / 1000.0).map_or(Value::Null, Value::Number)
}

/// The error reply of a failed call.
fn error_reply(operation: Option<&'static str>, error: &Error) -> Reply {
    let (status, exception) = status_and_exception(error);
    Reply {
        operation,
        status,
        body: json!({"__type": exception, "message": error.detailed()}),
        exception: Some(exception),
        changed: false,
        outcome: None,
    }
}

/// The HTTP status and AWS exception of an error: the service exceptions as they are (400);
/// a command-line rule that reaches an operation (a bad page token) is an invalid parameter;
/// anything else is the playground's own failure, `ServerException` (500).
pub fn status_and_exception(error: &Error) -> (u16, &'static str) {
    match error.kind {
        ErrorKind::Usage => (400, "InvalidParameterException"),
        kind => match kind.aws_exception() {
            Some(exception) => (400, exception),
            None => (500, SERVER_EXCEPTION),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let mut scenario = crate::presets::load("sample").unwrap();
        scenario.seed = Some(7);
        scenario
    }

    fn target(operation: &str) -> String {
        format!("{TARGET_PREFIX}{operation}")
    }

    #[test]
    fn operations_come_from_the_command_table_without_waiters() {
        let names = operations();
        assert!(names.contains(&"RunTask") && names.contains(&"DescribeServices"));
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for command in COMMANDS {
            assert!(names.contains(&command.operation), "{}", command.name);
        }
    }

    #[test]
    fn bodies_are_checked_as_cli_input_json() {
        let error = invocation("RunTask", "{").unwrap_err();
        assert_eq!(error.kind, ErrorKind::Serialization, "{}", error.message);
        let error = invocation("RunTask", "[1]").unwrap_err();
        assert_eq!(error.kind, ErrorKind::Serialization);
        let error = invocation("RunTask", r#"{"taskDefinition": "web", "count": "2"}"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Serialization);
        assert!(
            error.message.contains("Invalid type for parameter count"),
            "{}",
            error.message
        );
        let error = invocation("RunTask", r#"{"taskDefinition": "web", "cuont": 2}"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidParameter);
        assert!(
            error.message.contains("Unknown parameter in input: \"cuont\""),
            "{}",
            error.message
        );
        let error = invocation("RunTask", r#"{"count": 2}"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidParameter);
        assert!(
            error
                .message
                .ends_with("Missing required parameter in input: \"taskDefinition\"")
        );
        let error = invocation("FlyToTheMoon", "{}").unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnknownOperation);
        let ok = invocation("RunTask", r#"{"taskDefinition": "web", "count": 2, "group": null}"#).unwrap();
        assert_eq!(Value::Object(ok.request), json!({"taskDefinition": "web", "count": 2}));
        assert!(invocation("ListTasks", "").unwrap().request.is_empty());
    }

    #[test]
    fn calls_answer_in_aws_shapes() {
        let mut scenario = scenario();
        let reply = call(&mut scenario, Some(&target("ListContainerInstances")), "{}", None);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.body["containerInstanceArns"].is_array());
        assert!(!reply.changed);
        let reply = call(
            &mut scenario,
            Some(&target("RunTask")),
            r#"{"taskDefinition": "nope"}"#,
            None,
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body["__type"], "ClientException", "{}", reply.body);
        assert!(reply.body["message"].is_string());
        let reply = call(
            &mut scenario,
            Some(&target("ListTasks")),
            r#"{"cluster": "elsewhere"}"#,
            None,
        );
        assert_eq!(reply.body["__type"], "ClusterNotFoundException");
        let reply = call(&mut scenario, Some("Other_20200101.Thing"), "{}", None);
        assert_eq!(
            (reply.status, reply.exception),
            (400, Some("UnknownOperationException"))
        );
        let reply = call(&mut scenario, None, "{}", None);
        assert_eq!(reply.exception, Some("UnknownOperationException"));
    }

    #[test]
    fn a_region_other_than_the_clusters_finds_no_cluster() {
        let mut scenario = scenario();
        let region = scenario.cluster.region.clone();
        let reply = call(&mut scenario, Some(&target("ListTasks")), "{}", Some(&region));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = call(&mut scenario, Some(&target("ListTasks")), "{}", Some("xx-nowhere-1"));
        assert_eq!(reply.exception, Some("ClusterNotFoundException"), "{}", reply.body);
    }

    #[test]
    fn list_operations_page_with_the_api_members() {
        let mut scenario = scenario();
        let all = call(&mut scenario, Some(&target("ListContainerInstances")), "{}", None);
        let total = all.body["containerInstanceArns"].as_array().unwrap().len();
        assert!(total > 2, "{total}");
        let first = call(
            &mut scenario,
            Some(&target("ListContainerInstances")),
            r#"{"maxResults": 2}"#,
            None,
        );
        assert_eq!(first.body["containerInstanceArns"].as_array().unwrap().len(), 2);
        let token = first.body["nextToken"].as_str().unwrap().to_string();
        assert!(first.body.get("NextToken").is_none());
        let rest = call(
            &mut scenario,
            Some(&target("ListContainerInstances")),
            &json!({"nextToken": token, "maxResults": 100}).to_string(),
            None,
        );
        assert_eq!(rest.body["containerInstanceArns"].as_array().unwrap().len(), total - 2);
        assert!(rest.body.get("nextToken").is_none());
        let bad = call(
            &mut scenario,
            Some(&target("ListContainerInstances")),
            r#"{"maxResults": 0}"#,
            None,
        );
        assert_eq!(bad.exception, Some("InvalidParameterException"));
        let bad = call(
            &mut scenario,
            Some(&target("ListContainerInstances")),
            r#"{"nextToken": "x"}"#,
            None,
        );
        assert_eq!(bad.exception, Some("InvalidParameterException"));
    }

    #[test]
    fn changes_are_flagged_for_saving() {
        let mut scenario = scenario();
        let arn = scenario.instances[0].container_instance_arn.clone();
        let body = json!({"attributes": [{"name": "stack", "value": "prod", "targetId": arn}]});
        let reply = call(&mut scenario, Some(&target("PutAttributes")), &body.to_string(), None);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.changed);
        assert!(is_read_only("DescribeTasks") && !is_read_only("StopTask"));
    }

    #[test]
    fn timestamps_travel_as_epoch_seconds() {
        let mut response = json!({"service": {"createdAt": "2024-04-01T09:00:01Z", "serviceName": "2024-04-01",
            "events": [{"createdAt": "2024-04-01T09:00:03.250Z", "message": "m"}]}});
        timestamps_to_epoch_seconds(&mut response);
        assert_eq!(response["service"]["createdAt"], json!(1_711_962_001.0));
        assert_eq!(response["service"]["events"][0]["createdAt"], json!(1_711_962_003.25));
        assert_eq!(response["service"]["serviceName"], "2024-04-01");
    }

    #[test]
    fn server_failures_are_500() {
        let error = Error::invalid_input("broken");
        assert_eq!(status_and_exception(&error), (500, SERVER_EXCEPTION));
        assert_eq!(
            status_and_exception(&Error::usage("Bad starting token")),
            (400, "InvalidParameterException")
        );
    }
}
