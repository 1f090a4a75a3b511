//! The operations: one module per API operation, each a typed request, the behaviour on a
//! scenario, and a typed AWS-shaped response.

mod list_container_instances;

use super::{Invocation, Options, Outcome};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Runs the operation the invocation names.
pub fn dispatch(
    scenario: &mut Scenario,
    invocation: &Invocation,
    options: Options,
) -> Result<Outcome> {
    match invocation.operation() {
        "ListContainerInstances" => {
            list_container_instances::run(scenario, request(invocation)?, options)
        }
        other => Err(Error::invalid_parameter(format!(
            "the playground does not implement {other} yet"
        ))),
    }
}

/// The typed request of an invocation.
fn request<T: DeserializeOwned>(invocation: &Invocation) -> Result<T> {
    serde_path_to_error::deserialize(Value::Object(invocation.request.clone())).map_err(|e| {
        let path = e.path().to_string();
        Error::invalid_parameter(e.into_inner().to_string()).at_path(path)
    })
}

/// A response as JSON.
fn response<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::invalid_input(format!("cannot serialize the response: {e}")))
}
