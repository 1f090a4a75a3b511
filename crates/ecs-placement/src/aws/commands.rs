//! The `aws ecs` subcommands the playground understands: their parameters and API shapes.
//! New subcommands are added here (parameters) and in `ops` (behaviour).

use super::shape::Shape;

/// One `--parameter` of a subcommand.
#[derive(Debug)]
pub struct Param {
    /// The CLI flag without dashes (`placement-constraints`).
    pub flag: &'static str,
    /// The API member name (`placementConstraints`).
    pub member: &'static str,
    /// Its shape.
    pub shape: &'static Shape,
    /// Whether the AWS CLI requires it.
    pub required: bool,
}

/// Shorthand for declaring parameters.
pub const fn param(flag: &'static str, member: &'static str, shape: &'static Shape) -> Param {
    Param {
        flag,
        member,
        shape,
        required: false,
    }
}

/// Shorthand for declaring required parameters.
pub const fn required(flag: &'static str, member: &'static str, shape: &'static Shape) -> Param {
    Param {
        flag,
        member,
        shape,
        required: true,
    }
}

/// A subcommand of `aws ecs`.
#[derive(Debug)]
pub struct Command {
    /// The CLI name (`list-container-instances`).
    pub name: &'static str,
    /// The API operation (`ListContainerInstances`).
    pub operation: &'static str,
    /// Its parameters.
    pub params: &'static [Param],
    /// For paginated list operations, the key of the list in the response; the AWS CLI then
    /// offers `--max-items`, `--starting-token` and `--page-size`.
    pub paginated: Option<&'static str>,
}

/// `--cluster`, accepted by every subcommand.
const CLUSTER_PARAM: Param = param("cluster", "cluster", &Shape::String);

/// Every supported subcommand.
pub static COMMANDS: &[Command] = &[Command {
    name: "list-container-instances",
    operation: "ListContainerInstances",
    params: &[
        CLUSTER_PARAM,
        param("filter", "filter", &Shape::String),
        param("status", "status", &Shape::String),
    ],
    paginated: Some("containerInstanceArns"),
}];

/// Looks a subcommand up by its CLI name.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The names of every supported subcommand.
pub fn names() -> Vec<&'static str> {
    COMMANDS.iter().map(|c| c.name).collect()
}
