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

/// Whether the instance lacks a required attribute (or has it with another value).
fn lacks(instance: &ContainerInstance, name: &str, value: Option<&String>) -> bool {
    match (instance.attribute(name), value) {
        (None, _) => true,
        (Some(actual), Some(wanted)) => actual != Some(wanted.as_str()),
        (Some(_), None) => false,
    }
}

/// The instance's VPC and the subnets', when they differ.
fn vpc_mismatch<'a>(instance: &'a ContainerInstance, request: &'a PlacementRequest) -> Option<(&'a str, &'a str)> {
    let vpc = request.location.as_ref()?.vpc.as_deref()?;
    let own = instance.attribute("ecs.vpc-id").flatten()?;
    (own != vpc).then_some((own, vpc))
}

fn attributes(instance: &ContainerInstance, request: &PlacementRequest) -> Finding {
    let missing: Vec<String> = request
        .required_attributes
        .iter()
        .filter(|(name, value)| lacks(instance, name, value.as_ref()))
        .map(|(name, value)| value.as_ref().map_or_else(|| name.clone(), |v| format!("{name}={v}")))
        .collect();
    let vpc_mismatch =
        vpc_mismatch(instance, request).map(|(own, vpc)| format!("the instance is in {own}, the subnets in {vpc}"));
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

/// Whether the instance is in a zone of the requested subnets (or no subnets were requested).
fn in_location(instance: &ContainerInstance, request: &PlacementRequest) -> bool {
    request
        .location
        .as_ref()
        .is_none_or(|location| instance.availability_zone().is_some_and(|z| location.zones.contains(z)))
}

fn location(instance: &ContainerInstance, request: &PlacementRequest) -> Option<Finding> {
    let location = request.location.as_ref()?;
    let zone = instance.availability_zone();
    let allowed: Vec<&str> = location.zones.iter().map(String::as_str).collect();
    let passed = in_location(instance, request);
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
        amount(Check::Cpu, "CPU units", "cpuUnits", need.cpu, have.cpu.into()),
        amount(Check::Memory, "MiB", "mib", need.memory, have.memory.into()),
    ];
    if checks_gpus(instance, request) {
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

/// Whether the GPU check applies (the task needs GPUs or the instance has some).
fn checks_gpus(instance: &ContainerInstance, request: &PlacementRequest) -> bool {
    request.reservation.gpus > 0 || !instance.remaining().gpus.is_empty()
}

/// The host ports the task needs that are taken on the instance, and how many host ports the
/// instance would reserve with the task.
fn port_use(instance: &ContainerInstance, request: &PlacementRequest) -> (impl Iterator<Item = String>, usize) {
    let have = instance.remaining();
    let need = &request.reservation;
    let tcp = need
        .ports
        .iter()
        .filter(|p| have.ports.contains(p))
        .map(|p| format!("{p}/tcp"));
    let udp = need
        .ports_udp
        .iter()
        .filter(|p| have.ports_udp.contains(p))
        .map(|p| format!("{p}/udp"));
    let reserved = have.ports.len() + have.ports_udp.len() + need.ports.len() + need.ports_udp.len();
    (tcp.chain(udp), reserved)
}

/// Whether CPU, memory, GPUs, host ports and (awsvpc) an ENI slot are left for the task: the
/// verdicts of [`resources`] and [`eni`] without their words.
fn resources_pass(instance: &ContainerInstance, eni_used: u32, request: &PlacementRequest) -> bool {
    let need = &request.reservation;
    let have = instance.remaining();
    let gpus_ok = !checks_gpus(instance, request) || need.gpus as usize <= have.gpus.len();
    let ports_ok = || {
        let (mut taken, reserved) = port_use(instance, request);
        taken.next().is_none() && reserved <= MAX_RESERVED_PORTS
    };
    let eni_ok = request.network_mode != NetworkMode::Awsvpc
        || instance
            .eni_limit()
            .is_none_or(|limit| 1 <= i64::from(limit) - i64::from(eni_used));
    need.cpu <= i64::from(have.cpu)
        && need.memory <= i64::from(have.memory)
        && gpus_ok
        && (need.ports.is_empty() && need.ports_udp.is_empty() || ports_ok())
        && eni_ok
}

fn ports(instance: &ContainerInstance, request: &PlacementRequest) -> Finding {
    let need = &request.reservation;
    let (taken, reserved) = port_use(instance, request);
    let taken: Vec<String> = taken.collect();
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
    has_distinct_instance(request).then(|| {
        let occupied = facts.any_task_group(&mut |g| g == request.group);
        let detail = if occupied {
            format!("already runs a task of {}", request.group)
        } else {
            format!("runs no task of {}", request.group)
        };
        finding(Check::DistinctInstance, !occupied, detail)
    })
}

/// What a candidate's checks decide, without their words: kept per candidate, while the
/// [`Finding`]s (with figures and text) are built only for failures and explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Every cluster check passes (constraints aside).
    pub passes_checks: bool,
    /// Every check passes.
    pub passes: bool,
}

impl Verdict {
    /// The verdict the findings of [`evaluate`] give.
    pub fn of(findings: &[Finding]) -> Verdict {
        Verdict {
            passes_checks: findings.iter().all(|f| f.passed || f.check.is_constraint()),
            passes: findings.iter().all(|f| f.passed),
        }
    }
}

/// The checks a placement on the instance cannot change: the agent, the attributes, the
/// location, and the `memberOf` expressions that read no tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    checks: bool,
    constraints: bool,
}

/// Evaluates the checks a placement cannot change (once per candidate and call), given the
/// verdict of the `memberOf` expressions that read no tasks ([`static_member_of_pass`]).
pub fn fixed(instance: &ContainerInstance, request: &PlacementRequest, static_member_of: bool) -> Fixed {
    let attributes = !request
        .required_attributes
        .iter()
        .any(|(name, value)| lacks(instance, name, value.as_ref()))
        && vpc_mismatch(instance, request).is_none();
    Fixed {
        checks: instance.agent_connected && attributes && in_location(instance, request),
        constraints: static_member_of,
    }
}

/// Whether every `memberOf` expression that reads no tasks and reads only attributes
/// (`by_attributes`), or every other one that reads no tasks, holds on the instance. The first
/// kind gives the same verdict for instances that share an attribute map.
pub fn static_member_of_pass(facts: &InstanceView<'_>, request: &PlacementRequest, by_attributes: bool) -> bool {
    request.constraints.iter().all(|c| match c {
        Constraint::MemberOf { expr, .. } if !expr.reads_tasks() && expr.reads_attributes_only() == by_attributes => {
            cql::evaluate(expr, facts)
        }
        _ => true,
    })
}

/// Whether some `memberOf` expression that reads no tasks reads only attributes.
pub fn has_attribute_member_of(request: &PlacementRequest) -> bool {
    request.constraints.iter().any(|c| match c {
        Constraint::MemberOf { expr, .. } => !expr.reads_tasks() && expr.reads_attributes_only(),
        _ => false,
    })
}

/// Which placement constraints a placement on an instance can change the verdict of, read once
/// per call from the request: a `memberOf` expression that reads tasks, `distinctInstance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rechecks {
    task_member_of: bool,
    distinct_instance: bool,
}

impl Rechecks {
    /// The request's constraints that a placement can change.
    pub fn of(request: &PlacementRequest) -> Rechecks {
        let constraints = &request.constraints;
        Rechecks {
            task_member_of: constraints
                .iter()
                .any(|c| matches!(c, Constraint::MemberOf { expr, .. } if expr.reads_tasks())),
            distinct_instance: has_distinct_instance(request),
        }
    }
}

/// Whether the request has a `distinctInstance` constraint.
fn has_distinct_instance(request: &PlacementRequest) -> bool {
    request
        .constraints
        .iter()
        .any(|c| matches!(c, Constraint::DistinctInstance { .. }))
}

/// The verdict of every check now, from the [`Fixed`] part and the ones a placement changes
/// (resources, ENI slots and the request's [`Rechecks`]). The same verdict as [`Verdict::of`]
/// the findings of [`evaluate`] (asserted on every evaluation in debug builds).
pub fn verdict(
    fixed: Fixed,
    rechecks: Rechecks,
    instance: &ContainerInstance,
    facts: &InstanceView<'_>,
    eni_used: u32,
    request: &PlacementRequest,
) -> Verdict {
    let passes_checks = fixed.checks && resources_pass(instance, eni_used, request);
    let member_of = || !rechecks.task_member_of || task_member_of_pass(facts, request);
    let distinct = || !rechecks.distinct_instance || !facts.any_task_group(&mut |g| g == request.group);
    let passes = passes_checks && fixed.constraints && member_of() && distinct();
    Verdict { passes_checks, passes }
}

/// Whether every `memberOf` expression that reads tasks holds on the instance (the others are
/// [`static_member_of_pass`]'s).
fn task_member_of_pass(facts: &InstanceView<'_>, request: &PlacementRequest) -> bool {
    request.constraints.iter().all(|c| match c {
        Constraint::MemberOf { expr, .. } if expr.reads_tasks() => cql::evaluate(expr, facts),
        _ => true,
    })
}
