//! CQL over a scenario: which instances match an expression, and why.

use crate::Name;
use crate::cql::{self, ClauseTrace, Expr, InstanceFacts};
use crate::error::{Error, Result};
use crate::model::ContainerInstance;
use crate::scenario::Scenario;
use crate::time::Timestamp;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::borrow::Cow;

/// What CQL sees of one instance: the instance, and how many tasks of each group it runs
/// (desired status RUNNING). Queries build the counts from a scenario's tasks; the placement
/// engine lends its live counts, which change as a call places tasks.
#[derive(Debug, Clone)]
pub struct InstanceView<'a> {
    /// The instance.
    pub instance: &'a ContainerInstance,
    /// Tasks with desired status RUNNING, per task group.
    pub groups: GroupCounts<'a>,
}

impl InstanceView<'_> {
    /// Tasks of `group` (desired RUNNING) on the instance.
    pub fn group_count(&self, group: &str) -> u32 {
        self.groups.get(group)
    }
}

/// How many tasks (desired RUNNING) of each task group one instance runs.
#[derive(Debug, Clone)]
pub enum GroupCounts<'a> {
    /// By group name, ascending, each name once (what a query counts from the scenario's
    /// tasks; a sorted list, not a `BTreeMap<Name, u32>`: that map type would be the
    /// WebAssembly module's only one).
    Named(Cow<'a, [(Name, u32)]>),
    /// By group number in `names`, ascending (the placement engine's live counts: an instance
    /// of a large cluster runs tasks of hundreds of services, and a number is found without
    /// reading every name on the way).
    Numbered {
        /// (group number, tasks), ascending by number.
        counts: &'a [(u32, u32)],
        /// The names of the numbers.
        names: &'a GroupNames,
    },
}

impl GroupCounts<'_> {
    /// Tasks of `group`.
    pub fn get(&self, group: &str) -> u32 {
        match self {
            GroupCounts::Named(counts) => named_count(counts, group),
            GroupCounts::Numbered { counts, names } => names.number(group).map_or(0, |number| count_of(counts, number)),
        }
    }

    /// Tasks of every group.
    pub fn total(&self) -> u64 {
        match self {
            GroupCounts::Named(counts) => counts.iter().map(|(_, n)| u64::from(*n)).sum(),
            GroupCounts::Numbered { counts, .. } => counts.iter().map(|(_, n)| u64::from(*n)).sum(),
        }
    }

    /// Whether `test` holds for the name of a group with at least one task.
    pub fn any(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        match self {
            GroupCounts::Named(counts) => counts.iter().any(|(group, count)| *count > 0 && test(group)),
            GroupCounts::Numbered { counts, names } => counts
                .iter()
                .filter(|(_, count)| *count > 0)
                .filter_map(|(number, _)| names.name(*number))
                .any(|group| test(group)),
        }
    }
}

/// The tasks of `group` in a list ascending by name.
fn named_count(counts: &[(Name, u32)], group: &str) -> u32 {
    counts
        .binary_search_by(|(name, _)| name.as_str().cmp(group))
        .ok()
        .and_then(|at| counts.get(at))
        .map_or(0, |(_, count)| *count)
}

/// The tasks of group `number` in a list ascending by number.
pub(crate) fn count_of(counts: &[(u32, u32)], number: u32) -> u32 {
    counts
        .binary_search_by_key(&number, |(n, _)| *n)
        .ok()
        .and_then(|at| counts.get(at))
        .map_or(0, |(_, count)| *count)
}

/// Adds `tasks` tasks of group `number` to a list ascending by number.
pub(crate) fn add_count(counts: &mut Vec<(u32, u32)>, number: u32, tasks: u32) {
    // Groups are numbered as they are first seen: a new group is usually the last.
    if counts.last().is_none_or(|(last, _)| *last < number) {
        counts.push((number, tasks));
        return;
    }
    match counts.binary_search_by_key(&number, |(n, _)| *n) {
        Ok(at) => {
            if let Some((_, count)) = counts.get_mut(at) {
                *count += tasks;
            }
        }
        Err(at) => counts.insert(at, (number, tasks)),
    }
}

/// The task groups of a scenario, numbered in the order they were first seen.
#[derive(Debug, Clone, Default)]
pub struct GroupNames {
    names: Vec<Name>,
    /// (`usize`, not `u32`: the map type of the scenario's ARN index, so the WebAssembly
    /// module holds one map type less.)
    numbers: HashMap<Name, usize>,
}

impl GroupNames {
    /// The number of `group`, if it has one.
    pub fn number(&self, group: &str) -> Option<u32> {
        self.numbers.get(group).and_then(|&n| u32::try_from(n).ok())
    }

    /// The number of `group`, numbering it first if it is new.
    pub fn number_or_add(&mut self, group: &Name) -> u32 {
        if let Some(number) = self.number(group) {
            return number;
        }
        let number = self.names.len();
        self.names.push(group.clone());
        self.numbers.insert(group.clone(), number);
        u32::try_from(number).unwrap_or(u32::MAX)
    }

    /// Whether `number` is the group numbered last (the highest number).
    pub fn is_newest(&self, number: u32) -> bool {
        self.names.len() == number as usize + 1
    }

    /// The name of group `number`.
    pub fn name(&self, number: u32) -> Option<&Name> {
        self.names.get(number as usize)
    }
}

impl InstanceFacts for InstanceView<'_> {
    fn agent_connected(&self) -> bool {
        self.instance.agent_connected
    }

    fn agent_version(&self) -> &str {
        &self.instance.agent_version
    }

    fn ec2_instance_id(&self) -> &str {
        &self.instance.ec2_instance_id
    }

    fn registered_at(&self) -> Timestamp {
        self.instance.registered_at
    }

    fn running_tasks_count(&self) -> u64 {
        self.groups.total() + u64::from(self.instance.untracked_running_tasks)
    }

    fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.instance.attribute(name)
    }

    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.groups.any(test)
    }
}

/// Tasks with desired status RUNNING per group (ascending by name), per instance in scenario
/// order.
pub fn task_groups(scenario: &Scenario) -> Vec<Vec<(Name, u32)>> {
    let index_of = crate::scenario::instance_indexes(&scenario.instances);
    let mut by_instance: Vec<Vec<(Name, u32)>> = std::iter::repeat_with(Vec::new)
        .take(scenario.instances.len())
        .collect();
    for task in scenario.tasks.iter().filter(|t| t.is_desired_running()) {
        let Some(groups) = index_of
            .get(task.container_instance_arn.as_str())
            .and_then(|&index| by_instance.get_mut(index))
        else {
            continue;
        };
        match groups.binary_search_by(|(name, _)| name.cmp(&task.group)) {
            Ok(at) => {
                if let Some((_, count)) = groups.get_mut(at) {
                    *count += 1;
                }
            }
            Err(at) => groups.insert(at, (task.group.clone(), 1)),
        }
    }
    by_instance
}

/// One view per instance, in scenario order.
pub fn instance_views(scenario: &Scenario) -> Vec<InstanceView<'_>> {
    scenario
        .instances
        .iter()
        .zip(task_groups(scenario))
        .map(|(instance, groups)| InstanceView {
            instance,
            groups: GroupCounts::Named(Cow::Owned(groups)),
        })
        .collect()
}

/// Parses an expression for use as a filter or constraint; errors become an
/// `InvalidParameterException` carrying the diagnostics.
pub fn parse_expression(source: &str) -> Result<(Expr, Vec<crate::Diagnostic>)> {
    let parsed = cql::parse(source);
    match parsed.expr {
        Some(expr) => Ok((expr, parsed.diagnostics)),
        None => {
            let first = parsed
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map_or_else(String::new, |d| d.message.clone());
            Err(Error::invalid_parameter(format!("invalid expression: {first}"))
                .with_diagnostics(source, parsed.diagnostics))
        }
    }
}

/// How one instance fared against an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceMatch {
    /// The instance ARN.
    pub container_instance_arn: Name,
    /// Its EC2 instance ID.
    pub ec2_instance_id: Name,
    /// Whether the expression holds.
    pub matched: bool,
    /// The clause-by-clause truth table.
    pub clauses: Vec<ClauseTrace>,
}

/// Evaluates `expr` on every instance with its truth table, in scenario order.
pub fn explain_instances(scenario: &Scenario, expr: &Expr) -> Vec<InstanceMatch> {
    instance_views(scenario)
        .iter()
        .map(|view| instance_match(view, expr))
        .collect()
}

/// Evaluates `expr` on the instance at `index` of the scenario, with its truth table.
pub fn explain_instance(scenario: &Scenario, expr: &Expr, index: usize) -> Option<InstanceMatch> {
    instance_views(scenario)
        .get(index)
        .map(|view| instance_match(view, expr))
}

fn instance_match(view: &InstanceView<'_>, expr: &Expr) -> InstanceMatch {
    let clauses = cql::explain(expr, view);
    InstanceMatch {
        container_instance_arn: view.instance.container_instance_arn.clone(),
        ec2_instance_id: view.instance.ec2_instance_id.clone(),
        matched: clauses.first().is_some_and(|c| c.value),
        clauses,
    }
}

/// Renders truth tables as text: one block per instance, one line per clause.
pub fn render_explanations(source: &str, matches: &[InstanceMatch]) -> String {
    let mut out = String::new();
    for m in matches {
        let verdict = if m.matched { "matches" } else { "does not match" };
        out.push_str(&format!(
            "{} ({}): {verdict}\n",
            crate::model::short_id(&m.container_instance_arn),
            m.ec2_instance_id
        ));
        for clause in &m.clauses {
            let text = source.get(clause.span.clone()).unwrap_or("");
            let indent = "  ".repeat(clause.depth + 1);
            let value = if clause.value { "true " } else { "false" };
            out.push_str(&format!("{indent}{value}  {text}"));
            if let Some(actual) = &clause.actual {
                out.push_str(&format!("    [instance: {actual}]"));
            }
            out.push('\n');
            if let Some(note) = &clause.note {
                out.push_str(&format!("{indent}       note: {note}\n"));
            }
        }
    }
    out
}

/// The result of filtering a scenario with an expression: its diagnostics, and each instance's
/// verdict when the expression has no errors.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterOutcome {
    /// Errors and warnings, with byte spans.
    pub diagnostics: Vec<crate::Diagnostic>,
    /// One entry per instance in scenario order; absent when the expression has errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<InstanceMatch>>,
}

/// Parses `source` and evaluates it on every instance. A bad expression is not an error: it
/// comes back as diagnostics without matches. Without `tables` the truth tables are left empty
/// (a large cluster's verdicts, cheaply).
pub fn filter_scenario(scenario: &Scenario, source: &str, tables: bool) -> FilterOutcome {
    let parsed = cql::parse(source);
    let matches = parsed.expr.as_ref().map(|expr| {
        instance_views(scenario)
            .iter()
            .map(|view| {
                if tables {
                    instance_match(view, expr)
                } else {
                    InstanceMatch {
                        container_instance_arn: view.instance.container_instance_arn.clone(),
                        ec2_instance_id: view.instance.ec2_instance_id.clone(),
                        matched: cql::evaluate(expr, view),
                        clauses: Vec::new(),
                    }
                }
            })
            .collect()
    });
    FilterOutcome {
        diagnostics: parsed.diagnostics,
        matches,
    }
}

/// The result of [`explain_reference`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainOutcome {
    /// Errors and warnings, with byte spans.
    pub diagnostics: Vec<crate::Diagnostic>,
    /// The instance's verdict and truth table; absent when the expression has errors.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<InstanceMatch>,
}

/// The truth table of `source` on one instance, named by ARN, container instance ID or EC2
/// instance ID. An unknown instance is an error.
pub fn explain_reference(scenario: &Scenario, source: &str, instance: &str) -> Result<ExplainOutcome> {
    let index = scenario
        .instance_index(instance)
        .ok_or_else(|| Error::invalid_input(format!("the scenario has no container instance `{instance}`")))?;
    let parsed = cql::parse(source);
    let matched = parsed
        .expr
        .as_ref()
        .and_then(|expr| explain_instance(scenario, expr, index));
    Ok(ExplainOutcome {
        diagnostics: parsed.diagnostics,
        matched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Counts kept by group number read as the same counts kept by name.
    #[test]
    fn numbered_counts_read_as_named_ones() {
        let groups: Vec<Name> = ["service:b", "family:a", "service:a"].map(Name::from).to_vec();
        let mut names = GroupNames::default();
        let mut numbered = Vec::new();
        let mut named = BTreeMap::new();
        for (group, tasks) in [(2, 1), (0, 3), (2, 2), (1, 1)] {
            let number = names.number_or_add(&groups[group]);
            add_count(&mut numbered, number, tasks);
            *named.entry(groups[group].clone()).or_insert(0) += tasks;
        }
        assert!(numbered.windows(2).all(|w| w[0].0 < w[1].0), "ascending by number");
        let by_number = GroupCounts::Numbered {
            counts: &numbered,
            names: &names,
        };
        let by_name = GroupCounts::Named(Cow::Owned(named.into_iter().collect()));
        for group in ["service:a", "service:b", "family:a", "family:b"] {
            assert_eq!(by_number.get(group), by_name.get(group), "{group}");
        }
        assert_eq!(by_number.total(), 7);
        assert_eq!(by_name.total(), 7);
        for (prefix, any) in [("service:", true), ("family:", true), ("none", false)] {
            assert_eq!(by_number.any(&mut |g| g.starts_with(prefix)), any, "{prefix}");
            assert_eq!(by_name.any(&mut |g| g.starts_with(prefix)), any, "{prefix}");
        }
        assert_eq!(count_of(&numbered, 7), 0);
    }
}
