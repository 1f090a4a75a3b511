//! The checks of the funnel, in the order of decision D14: AGENT, ATTRIBUTE, LOCATION,
//! RESOURCE:CPU, RESOURCE:MEMORY, RESOURCE:GPU, RESOURCE:PORTS, RESOURCE:ENI, MemberOf,
//! DistinctInstance. Every check is evaluated (the explanation lists all failures); the first
//! failing one is the instance's reason.

use super::{Constraint, PlacementRequest};
use crate::cql::{self, InstanceFacts};
use crate::model::ContainerInstance;
use crate::query::InstanceView;
use crate::taskdef::NetworkMode;
use serde::Serialize;
use serde::ser::Serializer;

/// Most host ports an instance can reserve, the agent's defaults included (spec §4.2).
pub const MAX_RESERVED_PORTS: usize = 100;

/// A check of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Check {
    /// The agent must be connected.
    Agent,
    /// The instance must have every required attribute (and the subnets' VPC).
    Attribute,
    /// awsvpc: the instance must be in a zone of the requested subnets.
    Location,
    /// Enough CPU.
    Cpu,
    /// Enough memory.
    Memory,
    /// Enough GPUs.
    Gpu,
    /// Static host ports free.
    Ports,
    /// A free task ENI slot (awsvpc).
    Eni,
    /// A `memberOf` constraint.
    MemberOf,
    /// `distinctInstance`.
    DistinctInstance,
}

impl Check {
    /// The AWS failure reason (decision D14).
    pub fn reason(self) -> &'static str {
        match self {
            Check::Agent => "AGENT",
            Check::Attribute => "ATTRIBUTE",
            Check::Location => "LOCATION",
            Check::Cpu => "RESOURCE:CPU",
            Check::Memory => "RESOURCE:MEMORY",
            Check::Gpu => "RESOURCE:GPU",
            Check::Ports => "RESOURCE:PORTS",
            Check::Eni => "RESOURCE:ENI",
            Check::MemberOf => "MemberOf placement constraint unsatisfied.",
            Check::DistinctInstance => "DistinctInstance placement constraint unsatisfied.",
        }
    }

    /// Whether the check is a placement constraint (`memberOf`, `distinctInstance`) rather than a
    /// cluster check.
    pub fn is_constraint(self) -> bool {
        matches!(self, Check::MemberOf | Check::DistinctInstance)
    }

    /// What a failure of the check means, in plain words.
    pub fn summary(self) -> &'static str {
        match self {
            Check::Agent => "The ECS agent is disconnected",
            Check::Attribute => "An attribute the task definition requires is missing",
            Check::Location => "The instance is not in a zone of the requested subnets",
            Check::Cpu => "Not enough CPU left",
            Check::Memory => "Not enough memory left",
            Check::Gpu => "Not enough free GPUs",
            Check::Ports => "A host port the task needs is taken",
            Check::Eni => "No free network interface slot for an awsvpc task",
            Check::MemberOf => "The memberOf expression is false on the instance",
            Check::DistinctInstance => "The instance already runs a task of the group",
        }
    }

    /// A short column title for tables.
    pub fn title(self) -> &'static str {
        match self {
            Check::Agent => "agent",
            Check::Attribute => "attributes",
            Check::Location => "location",
            Check::Cpu => "cpu",
            Check::Memory => "memory",
            Check::Gpu => "gpu",
            Check::Ports => "ports",
            Check::Eni => "eni",
            Check::MemberOf => "memberOf",
            Check::DistinctInstance => "distinctInstance",
        }
    }
}

/// The verdict of one check on one instance, with the figures behind it. Serialized with the
/// check's table title and AWS reason, so an interface shows them without a copy of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which check.
    pub check: Check,
    /// Whether it passed.
    pub passed: bool,
    /// The figures in words ("needs 512 MiB, 256 MiB remaining").
    pub detail: String,
    /// The figures as numbers, for the resource checks.
    pub figures: Option<Figures>,
}

/// What a resource check compared: the amount needed and the amount available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// What one task needs.
    pub needed: i64,
    /// What the instance has left.
    pub available: i64,
    /// `cpuUnits`, `mib`, `gpus` or `eniSlots`.
    pub unit: &'static str,
}

/// The serialized form of [`Finding`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingView<'a> {
    check: Check,
    title: &'static str,
    reason: &'static str,
    summary: &'static str,
    constraint: bool,
    passed: bool,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    figures: Option<Figures>,
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        FindingView {
            check: self.check,
            title: self.check.title(),
            reason: self.check.reason(),
            summary: self.check.summary(),
            constraint: self.check.is_constraint(),
            passed: self.passed,
            detail: &self.detail,
            figures: self.figures,
        }
        .serialize(serializer)
    }
}

fn finding(check: Check, passed: bool, detail: String) -> Finding {
    Finding {
        check,
        passed,
        detail,
        figures: None,
    }
}

fn measured(check: Check, needed: i64, available: i64, unit: &'static str, detail: String) -> Finding {
    Finding {
        check,
        passed: needed <= available,
        detail,
        figures: Some(Figures {
            needed,
            available,
            unit,
        }),
    }
}

/// Every check on one instance, in order.
pub fn evaluate(
    instance: &ContainerInstance,
    facts: &InstanceView<'_>,
    eni_used: u32,
    request: &PlacementRequest,
) -> Vec<Finding> {
    let mut out = vec![agent(instance), attributes(instance, request)];
    if let Some(location) = location(instance, request) {
        out.push(location);
    }
    out.extend(resources(instance, request));
    if let Some(eni) = eni(instance, eni_used, request) {
        out.push(eni);
    }
    out.extend(constraints(facts, request));
    out
}

fn agent(instance: &ContainerInstance) -> Finding {
    let detail = if instance.agent_connected {
        "agent connected"
    } else {
        "the ECS agent is disconnected"
    };
    finding(Check::Agent, instance.agent_connected, detail.into())
}

fn attributes(instance: &ContainerInstance, request: &PlacementRequest) -> Finding {
    let missing: Vec<String> = request
        .required_attributes
        .iter()
        .filter(|(name, value)| match (instance.attribute(name), value) {
            (None, _) => true,
            (Some(actual), Some(wanted)) => actual != Some(wanted.as_str()),
            (Some(_), None) => false,
        })
        .map(|(name, value)| value.as_ref().map_or_else(|| name.clone(), |v| format!("{name}={v}")))
        .collect();
    let vpc_mismatch = request.location.as_ref().and_then(|l| l.vpc.as_ref()).and_then(|vpc| {
        let own = instance.attribute("ecs.vpc-id").flatten()?;
        (own != vpc).then(|| format!("the instance is in {own}, the subnets in {vpc}"))
    });
    match (missing.is_empty(), vpc_mismatch) {
        (true, None) if request.required_attributes.is_empty() => {
            finding(Check::Attribute, true, "no attributes required".into())
        }
        (true, None) => finding(
            Check::Attribute,
            true,
            format!("has all {} required attributes", request.required_attributes.len()),
        ),
        (true, Some(vpc)) => finding(Check::Attribute, false, vpc),
        (false, _) => finding(
            Check::Attribute,
            false,
            format!("missing attribute {}", missing.join(", ")),
        ),
    }
}

fn location(instance: &ContainerInstance, request: &PlacementRequest) -> Option<Finding> {
    let location = request.location.as_ref()?;
    let zone = instance.availability_zone();
    let allowed: Vec<&str> = location.zones.iter().map(String::as_str).collect();
    let passed = zone.is_some_and(|z| location.zones.contains(z));
    let detail = format!(
        "in {}; the subnets are in {}",
        zone.unwrap_or("no known zone"),
        allowed.join(", ")
    );
    Some(finding(Check::Location, passed, detail))
}

fn resources(instance: &ContainerInstance, request: &PlacementRequest) -> Vec<Finding> {
    let need = &request.reservation;
    let have = instance.remaining();
    let amount = |check, unit: &str, key, need: i64, have: i64| {
        measured(
            check,
            need,
            have,
            key,
            format!("needs {need} {unit}, {have} {unit} remaining"),
        )
    };
    let mut out = vec![
        amount(Check::Cpu, "CPU units", "cpuUnits", need.cpu, have.cpu),
        amount(Check::Memory, "MiB", "mib", need.memory, have.memory),
    ];
    if need.gpus > 0 || !have.gpus.is_empty() {
        let (need, free) = (need.gpus, have.gpus.len());
        let gpus = |n: usize| if n == 1 { "GPU" } else { "GPUs" };
        let detail = format!("needs {need} {}, {free} {} free", gpus(need as usize), gpus(free));
        out.push(measured(Check::Gpu, i64::from(need), free as i64, "gpus", detail));
    }
    if !need.ports.is_empty() || !need.ports_udp.is_empty() {
        out.push(ports(instance, request));
    }
    out
}

fn ports(instance: &ContainerInstance, request: &PlacementRequest) -> Finding {
    let have = instance.remaining();
    let need = &request.reservation;
    let taken: Vec<String> = need
        .ports
        .iter()
        .filter(|p| have.ports.contains(p))
        .map(|p| format!("{p}/tcp"))
        .chain(
            need.ports_udp
                .iter()
                .filter(|p| have.ports_udp.contains(p))
                .map(|p| format!("{p}/udp")),
        )
        .collect();
    let reserved = have.ports.len() + have.ports_udp.len() + need.ports.len() + need.ports_udp.len();
    if !taken.is_empty() {
        return finding(
            Check::Ports,
            false,
            format!("host port {} already in use", taken.join(", ")),
        );
    }
    if reserved > MAX_RESERVED_PORTS {
        return finding(
            Check::Ports,
            false,
            format!("would reserve {reserved} host ports; an instance allows {MAX_RESERVED_PORTS}"),
        );
    }
    let wanted: Vec<String> = need
        .ports
        .iter()
        .map(|p| format!("{p}/tcp"))
        .chain(need.ports_udp.iter().map(|p| format!("{p}/udp")))
        .collect();
    finding(Check::Ports, true, format!("host port {} free", wanted.join(", ")))
}

fn eni(instance: &ContainerInstance, used: u32, request: &PlacementRequest) -> Option<Finding> {
    if request.network_mode != NetworkMode::Awsvpc {
        return None;
    }
    Some(match instance.eni_limit() {
        Some(limit) => measured(
            Check::Eni,
            1,
            i64::from(limit) - i64::from(used),
            "eniSlots",
            format!("{used} of {limit} task ENI slots in use"),
        ),
        None => finding(
            Check::Eni,
            true,
            format!("{used} task ENIs in use; limit unknown (set taskEniLimit)"),
        ),
    })
}

/// memberOf constraints, then distinctInstance: the D14 order, whatever order the request lists them in.
fn constraints(facts: &InstanceView<'_>, request: &PlacementRequest) -> Vec<Finding> {
    let member_of = request.constraints.iter().filter_map(|constraint| match constraint {
        Constraint::MemberOf { expression, expr, .. } => Some(member_of(expression, expr, facts)),
        Constraint::DistinctInstance { .. } => None,
    });
    member_of.chain(distinct_instance(facts, request)).collect()
}

fn member_of(expression: &str, expr: &cql::Expr, facts: &InstanceView<'_>) -> Finding {
    let holds = cql::evaluate(expr, facts);
    let verdict = if holds { "holds" } else { "is false" };
    finding(Check::MemberOf, holds, format!("`{expression}` {verdict}"))
}

fn distinct_instance(facts: &InstanceView<'_>, request: &PlacementRequest) -> Option<Finding> {
    let distinct = request
        .constraints
        .iter()
        .any(|c| matches!(c, Constraint::DistinctInstance { .. }));
    distinct.then(|| {
        let occupied = facts.any_task_group(&mut |g| g == request.group);
        let detail = if occupied {
            format!("already runs a task of {}", request.group)
        } else {
            format!("runs no task of {}", request.group)
        };
        finding(Check::DistinctInstance, !occupied, detail)
    })
}

/// The checks of an instance that has just received a task of the request, given its findings
/// before (`previous`, from [`evaluate`]): what a placement cannot change is kept (the agent,
/// the attributes, the location, and `memberOf` expressions that read no tasks); the resources,
/// the ENI slots, task-reading `memberOf` expressions and `distinctInstance` are evaluated again.
/// The same findings as [`evaluate`] on the instance now (asserted on every placement in debug
/// builds, so every test of the funnel checks it).
pub fn refresh(
    previous: Vec<Finding>,
    instance: &ContainerInstance,
    facts: &InstanceView<'_>,
    eni_used: u32,
    request: &PlacementRequest,
) -> Vec<Finding> {
    let mut out = Vec::with_capacity(previous.len());
    let mut member_of_before = Vec::new();
    for finding in previous {
        match finding.check {
            Check::Agent | Check::Attribute | Check::Location => out.push(finding),
            Check::MemberOf => member_of_before.push(finding),
            _ => {}
        }
    }
    out.extend(resources(instance, request));
    out.extend(eni(instance, eni_used, request));
    let expressions = request.constraints.iter().filter_map(|c| match c {
        Constraint::MemberOf { expression, expr, .. } => Some((expression, expr)),
        Constraint::DistinctInstance { .. } => None,
    });
    for ((expression, expr), before) in expressions.zip(member_of_before) {
        out.push(if expr.reads_tasks() {
            member_of(expression, expr, facts)
        } else {
            before
        });
    }
    out.extend(distinct_instance(facts, request));
    out
}
