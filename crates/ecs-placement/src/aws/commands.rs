//! The `aws ecs` subcommands the playground understands: their parameters and API shapes.
//! New subcommands are added here (parameters) and in `ops` (behaviour).

use super::shape::{STRING_LIST, Shape, member, required_member};

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
    /// Output-only members that `--cli-input-json` may carry (a `describe-*` document passed
    /// back in); they are dropped with a warning.
    pub read_only: &'static [&'static str],
    /// For `aws ecs wait <waiter>` commands (named `wait services-stable`): the waiter's name in
    /// botocore (`ServicesStable`); `operation` is the operation it polls.
    pub waiter: Option<&'static str>,
}

const fn command(name: &'static str, operation: &'static str, params: &'static [Param]) -> Command {
    Command {
        name,
        operation,
        params,
        paginated: None,
        read_only: &[],
        waiter: None,
    }
}

const fn waiter(name: &'static str, waiter: &'static str, params: &'static [Param]) -> Command {
    Command {
        name,
        operation: "DescribeServices",
        params,
        paginated: None,
        read_only: &[],
        waiter: Some(waiter),
    }
}

/// An `aws ecs wait tasks-*` command: a waiter over DescribeTasks.
const fn tasks_waiter(name: &'static str, waiter: &'static str, params: &'static [Param]) -> Command {
    Command {
        operation: "DescribeTasks",
        ..self::waiter(name, waiter, params)
    }
}

const fn paginated(
    name: &'static str,
    operation: &'static str,
    params: &'static [Param],
    key: &'static str,
) -> Command {
    Command {
        name,
        operation,
        params,
        paginated: Some(key),
        read_only: &[],
        waiter: None,
    }
}

/// `--cluster`, accepted by every subcommand.
const CLUSTER: Param = param("cluster", "cluster", &Shape::String);

static PLACEMENT_CONSTRAINT: Shape = Shape::Structure(&[
    required_member("type", &Shape::String),
    member("expression", &Shape::String),
]);
static PLACEMENT_CONSTRAINTS: Shape = Shape::List(&PLACEMENT_CONSTRAINT);
static PLACEMENT_STRATEGY: Shape =
    Shape::Structure(&[required_member("type", &Shape::String), member("field", &Shape::String)]);
static PLACEMENT_STRATEGIES: Shape = Shape::List(&PLACEMENT_STRATEGY);
static AWSVPC_CONFIGURATION: Shape = Shape::Structure(&[
    required_member("subnets", &STRING_LIST),
    member("securityGroups", &STRING_LIST),
    member("assignPublicIp", &Shape::String),
]);
static NETWORK_CONFIGURATION: Shape = Shape::Structure(&[member("awsvpcConfiguration", &AWSVPC_CONFIGURATION)]);
static TAG: Shape = Shape::Structure(&[required_member("key", &Shape::String), member("value", &Shape::String)]);
static TAGS: Shape = Shape::List(&TAG);
static CAPACITY_PROVIDER_ITEM: Shape = Shape::Structure(&[
    required_member("capacityProvider", &Shape::String),
    member("weight", &Shape::Integer),
    member("base", &Shape::Integer),
]);
static CAPACITY_PROVIDER_STRATEGY: Shape = Shape::List(&CAPACITY_PROVIDER_ITEM);
static ANY_LIST: Shape = Shape::List(&Shape::Any);
static CONTAINER_OVERRIDE: Shape = Shape::Structure(&[
    member("name", &Shape::String),
    member("command", &STRING_LIST),
    member("environment", &ANY_LIST),
    member("environmentFiles", &ANY_LIST),
    member("cpu", &Shape::Integer),
    member("memory", &Shape::Integer),
    member("memoryReservation", &Shape::Integer),
    member("resourceRequirements", &ANY_LIST),
]);
static CONTAINER_OVERRIDES: Shape = Shape::List(&CONTAINER_OVERRIDE);
/// `TaskOverride`: the members the API defines (an unknown member is refused, as botocore does).
static TASK_OVERRIDE: Shape = Shape::Structure(&[
    member("containerOverrides", &CONTAINER_OVERRIDES),
    member("cpu", &Shape::String),
    member("inferenceAcceleratorOverrides", &ANY_LIST),
    member("executionRoleArn", &Shape::String),
    member("memory", &Shape::String),
    member("taskRoleArn", &Shape::String),
    member("ephemeralStorage", &Shape::Any),
]);
static ATTRIBUTE: Shape = Shape::Structure(&[
    required_member("name", &Shape::String),
    member("value", &Shape::String),
    member("targetType", &Shape::String),
    member("targetId", &Shape::String),
]);
static ATTRIBUTES: Shape = Shape::List(&ATTRIBUTE);
static CIRCUIT_BREAKER: Shape = Shape::Structure(&[
    required_member("enable", &Shape::Boolean),
    required_member("rollback", &Shape::Boolean),
    member("resetOnHealthyTask", &Shape::Boolean),
    member("thresholdConfiguration", &Shape::Any),
]);
static DEPLOYMENT_CONFIGURATION: Shape = Shape::Structure(&[
    member("deploymentCircuitBreaker", &CIRCUIT_BREAKER),
    member("maximumPercent", &Shape::Integer),
    member("minimumHealthyPercent", &Shape::Integer),
    member("alarms", &Shape::Any),
    member("strategy", &Shape::String),
    member("bakeTimeInMinutes", &Shape::Integer),
    member("lifecycleHooks", &ANY_LIST),
    member("linearConfiguration", &Shape::Any),
    member("canaryConfiguration", &Shape::Any),
]);
static DEPLOYMENT_CONTROLLER: Shape = Shape::Structure(&[required_member("type", &Shape::String)]);

/// The members CreateService and UpdateService share (besides `cluster`).
macro_rules! service_params {
    ($($extra:expr),* $(,)?) => {
        &[
            CLUSTER,
            $($extra,)*
            param("task-definition", "taskDefinition", &Shape::String),
            param("desired-count", "desiredCount", &Shape::Integer),
            param(
                "capacity-provider-strategy",
                "capacityProviderStrategy",
                &CAPACITY_PROVIDER_STRATEGY,
            ),
            param("deployment-configuration", "deploymentConfiguration", &DEPLOYMENT_CONFIGURATION),
            param("availability-zone-rebalancing", "availabilityZoneRebalancing", &Shape::String),
            param("network-configuration", "networkConfiguration", &NETWORK_CONFIGURATION),
            param("placement-constraints", "placementConstraints", &PLACEMENT_CONSTRAINTS),
            param("placement-strategy", "placementStrategy", &PLACEMENT_STRATEGIES),
            param("platform-version", "platformVersion", &Shape::String),
            param("health-check-grace-period-seconds", "healthCheckGracePeriodSeconds", &Shape::Integer),
            param("deployment-controller", "deploymentController", &DEPLOYMENT_CONTROLLER),
            param("enable-execute-command", "enableExecuteCommand", &Shape::Boolean),
            param("enable-ecs-managed-tags", "enableECSManagedTags", &Shape::Boolean),
            param("load-balancers", "loadBalancers", &ANY_LIST),
            param("propagate-tags", "propagateTags", &Shape::String),
            param("service-registries", "serviceRegistries", &ANY_LIST),
            param("service-connect-configuration", "serviceConnectConfiguration", &Shape::Any),
            param("volume-configurations", "volumeConfigurations", &ANY_LIST),
            param("vpc-lattice-configurations", "vpcLatticeConfigurations", &ANY_LIST),
            param("monitoring", "monitoring", &Shape::Any),
        ]
    };
}

/// DescribeServices' parameters, which `aws ecs wait services-stable` and `services-inactive`
/// take too.
const DESCRIBE_SERVICES_PARAMS: &[Param] = &[
    CLUSTER,
    required("services", "services", &STRING_LIST),
    param("include", "include", &STRING_LIST),
];

/// Every supported subcommand.
pub static COMMANDS: &[Command] = &[
    paginated(
        "list-container-instances",
        "ListContainerInstances",
        &[
            CLUSTER,
            param("filter", "filter", &Shape::String),
            param("status", "status", &Shape::String),
        ],
        "containerInstanceArns",
    ),
    command(
        "run-task",
        "RunTask",
        &[
            CLUSTER,
            required("task-definition", "taskDefinition", &Shape::String),
            param(
                "capacity-provider-strategy",
                "capacityProviderStrategy",
                &CAPACITY_PROVIDER_STRATEGY,
            ),
            param("count", "count", &Shape::Integer),
            param("enable-ecs-managed-tags", "enableECSManagedTags", &Shape::Boolean),
            param("enable-execute-command", "enableExecuteCommand", &Shape::Boolean),
            param("group", "group", &Shape::String),
            param("launch-type", "launchType", &Shape::String),
            param("network-configuration", "networkConfiguration", &NETWORK_CONFIGURATION),
            param("overrides", "overrides", &TASK_OVERRIDE),
            param("placement-constraints", "placementConstraints", &PLACEMENT_CONSTRAINTS),
            param("placement-strategy", "placementStrategy", &PLACEMENT_STRATEGIES),
            param("platform-version", "platformVersion", &Shape::String),
            param("propagate-tags", "propagateTags", &Shape::String),
            param("reference-id", "referenceId", &Shape::String),
            param("started-by", "startedBy", &Shape::String),
            param("tags", "tags", &TAGS),
            param("client-token", "clientToken", &Shape::String),
            param("volume-configurations", "volumeConfigurations", &ANY_LIST),
        ],
    ),
    Command {
        read_only: &[
            "taskDefinitionArn",
            "revision",
            "status",
            "requiresAttributes",
            "compatibilities",
            "registeredAt",
            "registeredBy",
            "deregisteredAt",
        ],
        ..command(
            "register-task-definition",
            "RegisterTaskDefinition",
            &[
                required("family", "family", &Shape::String),
                param("task-role-arn", "taskRoleArn", &Shape::String),
                param("execution-role-arn", "executionRoleArn", &Shape::String),
                param("network-mode", "networkMode", &Shape::String),
                required("container-definitions", "containerDefinitions", &ANY_LIST),
                param("volumes", "volumes", &ANY_LIST),
                param("placement-constraints", "placementConstraints", &PLACEMENT_CONSTRAINTS),
                param("requires-compatibilities", "requiresCompatibilities", &STRING_LIST),
                param("cpu", "cpu", &Shape::String),
                param("memory", "memory", &Shape::String),
                param("tags", "tags", &TAGS),
                param("pid-mode", "pidMode", &Shape::String),
                param("ipc-mode", "ipcMode", &Shape::String),
                param("proxy-configuration", "proxyConfiguration", &Shape::Any),
                param("inference-accelerators", "inferenceAccelerators", &ANY_LIST),
                param("ephemeral-storage", "ephemeralStorage", &Shape::Any),
                param("runtime-platform", "runtimePlatform", &Shape::Any),
                param("enable-fault-injection", "enableFaultInjection", &Shape::Boolean),
            ],
        )
    },
    command(
        "describe-task-definition",
        "DescribeTaskDefinition",
        &[
            required("task-definition", "taskDefinition", &Shape::String),
            param("include", "include", &STRING_LIST),
        ],
    ),
    paginated(
        "list-task-definitions",
        "ListTaskDefinitions",
        &[
            param("family-prefix", "familyPrefix", &Shape::String),
            param("status", "status", &Shape::String),
            param("sort", "sort", &Shape::String),
        ],
        "taskDefinitionArns",
    ),
    command(
        "deregister-task-definition",
        "DeregisterTaskDefinition",
        &[required("task-definition", "taskDefinition", &Shape::String)],
    ),
    command(
        "put-attributes",
        "PutAttributes",
        &[CLUSTER, required("attributes", "attributes", &ATTRIBUTES)],
    ),
    command(
        "delete-attributes",
        "DeleteAttributes",
        &[CLUSTER, required("attributes", "attributes", &ATTRIBUTES)],
    ),
    paginated(
        "list-attributes",
        "ListAttributes",
        &[
            CLUSTER,
            required("target-type", "targetType", &Shape::String),
            param("attribute-name", "attributeName", &Shape::String),
            param("attribute-value", "attributeValue", &Shape::String),
        ],
        "attributes",
    ),
    command(
        "update-container-instances-state",
        "UpdateContainerInstancesState",
        &[
            CLUSTER,
            required("container-instances", "containerInstances", &STRING_LIST),
            required("status", "status", &Shape::String),
        ],
    ),
    command(
        "describe-container-instances",
        "DescribeContainerInstances",
        &[
            CLUSTER,
            required("container-instances", "containerInstances", &STRING_LIST),
            param("include", "include", &STRING_LIST),
        ],
    ),
    paginated(
        "list-tasks",
        "ListTasks",
        &[
            CLUSTER,
            param("container-instance", "containerInstance", &Shape::String),
            param("family", "family", &Shape::String),
            param("started-by", "startedBy", &Shape::String),
            param("service-name", "serviceName", &Shape::String),
            param("desired-status", "desiredStatus", &Shape::String),
            param("launch-type", "launchType", &Shape::String),
        ],
        "taskArns",
    ),
    command(
        "describe-tasks",
        "DescribeTasks",
        &[
            CLUSTER,
            required("tasks", "tasks", &STRING_LIST),
            param("include", "include", &STRING_LIST),
        ],
    ),
    command(
        "stop-task",
        "StopTask",
        &[
            CLUSTER,
            required("task", "task", &Shape::String),
            param("reason", "reason", &Shape::String),
        ],
    ),
    command(
        "create-service",
        "CreateService",
        service_params![
            required("service-name", "serviceName", &Shape::String),
            param("launch-type", "launchType", &Shape::String),
            param("scheduling-strategy", "schedulingStrategy", &Shape::String),
            param("client-token", "clientToken", &Shape::String),
            param("role", "role", &Shape::String),
            param("tags", "tags", &TAGS),
        ],
    ),
    command(
        "update-service",
        "UpdateService",
        service_params![
            required("service", "service", &Shape::String),
            param("force-new-deployment", "forceNewDeployment", &Shape::Boolean),
        ],
    ),
    command(
        "delete-service",
        "DeleteService",
        &[
            CLUSTER,
            required("service", "service", &Shape::String),
            param("force", "force", &Shape::Boolean),
        ],
    ),
    command("describe-services", "DescribeServices", DESCRIBE_SERVICES_PARAMS),
    paginated(
        "list-services",
        "ListServices",
        &[
            CLUSTER,
            param("launch-type", "launchType", &Shape::String),
            param("scheduling-strategy", "schedulingStrategy", &Shape::String),
            param("resource-management-type", "resourceManagementType", &Shape::String),
        ],
        "serviceArns",
    ),
    waiter("wait services-stable", "ServicesStable", DESCRIBE_SERVICES_PARAMS),
    waiter("wait services-inactive", "ServicesInactive", DESCRIBE_SERVICES_PARAMS),
    // Issue 11: StartTask, the cluster operations, DeregisterContainerInstance, task definition
    // families and the task waiters.
    command(
        "start-task",
        "StartTask",
        &[
            CLUSTER,
            required("container-instances", "containerInstances", &STRING_LIST),
            required("task-definition", "taskDefinition", &Shape::String),
            param("enable-ecs-managed-tags", "enableECSManagedTags", &Shape::Boolean),
            param("enable-execute-command", "enableExecuteCommand", &Shape::Boolean),
            param("group", "group", &Shape::String),
            param("network-configuration", "networkConfiguration", &NETWORK_CONFIGURATION),
            param("overrides", "overrides", &TASK_OVERRIDE),
            param("propagate-tags", "propagateTags", &Shape::String),
            param("reference-id", "referenceId", &Shape::String),
            param("started-by", "startedBy", &Shape::String),
            param("tags", "tags", &TAGS),
            param("volume-configurations", "volumeConfigurations", &ANY_LIST),
        ],
    ),
    command(
        "describe-clusters",
        "DescribeClusters",
        &[
            param("clusters", "clusters", &STRING_LIST),
            param("include", "include", &STRING_LIST),
        ],
    ),
    paginated("list-clusters", "ListClusters", &[], "clusterArns"),
    command(
        "deregister-container-instance",
        "DeregisterContainerInstance",
        &[
            CLUSTER,
            required("container-instance", "containerInstance", &Shape::String),
            param("force", "force", &Shape::Boolean),
        ],
    ),
    paginated(
        "list-task-definition-families",
        "ListTaskDefinitionFamilies",
        &[
            param("family-prefix", "familyPrefix", &Shape::String),
            param("status", "status", &Shape::String),
        ],
        "families",
    ),
    tasks_waiter("wait tasks-running", "TasksRunning", DESCRIBE_TASKS_PARAMS),
    tasks_waiter("wait tasks-stopped", "TasksStopped", DESCRIBE_TASKS_PARAMS),
];

/// DescribeTasks' parameters, which `aws ecs wait tasks-running` and `tasks-stopped` take.
const DESCRIBE_TASKS_PARAMS: &[Param] = &[
    CLUSTER,
    required("tasks", "tasks", &STRING_LIST),
    param("include", "include", &STRING_LIST),
];

/// The operations of the crate's `all-operations` feature: every AWS CLI command the playground
/// simulates but no use case, run builder or page button runs. A build without the feature (the
/// browser page's first module) refuses them before they run ([`Command::compiled_in`]); what it
/// keeps is what those run: `run-task`, `create-service`, `update-service`, `delete-service`,
/// `list-container-instances`, `list-tasks`, `put-attributes`, `register-task-definition`,
/// `update-container-instances-state` and `wait services-stable` (over DescribeServices).
pub const EXTRA_OPERATIONS: [&str; 14] = [
    "DescribeTaskDefinition",
    "ListTaskDefinitions",
    "DeregisterTaskDefinition",
    "DeleteAttributes",
    "ListAttributes",
    "DescribeContainerInstances",
    "DescribeTasks",
    "StopTask",
    "ListServices",
    "StartTask",
    "ListClusters",
    "DescribeClusters",
    "DeregisterContainerInstance",
    "ListTaskDefinitionFamilies",
];

impl Command {
    /// Whether this build runs the command: always with the `all-operations` feature, and
    /// without it unless its operation is one of [`EXTRA_OPERATIONS`].
    pub fn compiled_in(&self) -> bool {
        cfg!(feature = "all-operations") || !EXTRA_OPERATIONS.contains(&self.operation)
    }
}

/// Looks a subcommand up by its CLI name.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The names of every supported subcommand.
pub fn names() -> Vec<&'static str> {
    COMMANDS.iter().map(|c| c.name).collect()
}
