//! The operations: one module per API operation, each a typed request, the behaviour on a
//! scenario, and a typed AWS-shaped response.

pub(crate) mod attributes;
mod clusters;
pub(crate) mod container_instances;
mod deregister_container_instance;
pub(crate) mod fargate;
mod list_container_instances;
pub(super) mod register_task_definition;
pub(crate) mod run_task;
pub(crate) mod service_shape;
mod services;
mod start_task;
mod task_definition_families;
mod task_definitions;
pub(crate) mod task_shape;
pub(crate) mod tasks;
pub(crate) mod validation;
mod waiters;

use super::{Invocation, Options, Outcome};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Runs the operation the invocation names. Without the `all-operations` feature the operations
/// of [`EXTRA_OPERATIONS`](super::commands::EXTRA_OPERATIONS) are not here: the command line was
/// refused when it was parsed ([`super::parse_invocation`]).
pub fn dispatch(scenario: &mut Scenario, invocation: &Invocation, options: Options) -> Result<Outcome> {
    if let Some(waiter) = invocation.command.waiter {
        return waiters::wait(scenario, waiter, invocation);
    }
    match invocation.operation() {
        "ListContainerInstances" => list_container_instances::run(scenario, request(invocation)?, options),
        "RunTask" => run_task::run(scenario, request(invocation)?, options),
        "RegisterTaskDefinition" => register_task_definition::run(scenario, invocation.request.clone()),
        #[cfg(feature = "all-operations")]
        "DescribeTaskDefinition" => task_definitions::describe(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "ListTaskDefinitions" => task_definitions::list(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "DeregisterTaskDefinition" => task_definitions::deregister(scenario, request(invocation)?),
        "PutAttributes" => attributes::put(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "DeleteAttributes" => attributes::delete(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "ListAttributes" => attributes::list(scenario, request(invocation)?),
        "UpdateContainerInstancesState" => container_instances::update_state(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "DescribeContainerInstances" => container_instances::describe(scenario, request(invocation)?),
        "ListTasks" => tasks::list(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "DescribeTasks" => tasks::describe(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "StopTask" => tasks::stop(scenario, request(invocation)?),
        "CreateService" => services::create(scenario, request(invocation)?),
        "UpdateService" => services::update(scenario, request(invocation)?),
        "DeleteService" => services::delete(scenario, request(invocation)?),
        "DescribeServices" => service_shape::describe(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "ListServices" => service_shape::list(scenario, request(invocation)?),
        // Issue 11's commands.
        #[cfg(feature = "all-operations")]
        "StartTask" => start_task::run(scenario, invocation, options),
        #[cfg(feature = "all-operations")]
        "ListClusters" => clusters::list(scenario),
        #[cfg(feature = "all-operations")]
        "DescribeClusters" => clusters::describe(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "DeregisterContainerInstance" => deregister_container_instance::deregister(scenario, request(invocation)?),
        #[cfg(feature = "all-operations")]
        "ListTaskDefinitionFamilies" => task_definition_families::list(scenario, request(invocation)?),
        other => Err(Error::invalid_parameter(format!(
            "the playground does not implement {other} yet"
        ))),
    }
}

/// The typed request of an invocation.
pub(super) fn request<T: DeserializeOwned>(invocation: &Invocation) -> Result<T> {
    crate::json::typed::from_value(Value::Object(invocation.request.clone()))
        .map_err(|e| Error::invalid_parameter(e.message).at_path(e.path))
}

/// A response as JSON.
fn response<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::invalid_input(format!("cannot serialize the response: {e}")))
}
