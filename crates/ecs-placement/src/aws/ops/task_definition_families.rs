//! `ListTaskDefinitionFamilies`: the families registered in the scenario.
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::validation::enum_value;
use super::{Outcome, response};
use crate::error::Result;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `TaskDefinitionFamilyStatus` enum.
const STATUSES: [&str; 3] = ["ACTIVE", "INACTIVE", "ALL"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Request {
    #[serde(default)]
    family_prefix: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Serialize)]
struct Response {
    families: Vec<String>,
}

/// `ListTaskDefinitionFamilies`, sorted by name. `--status` (default `ALL`, as AWS lists
/// families with and without ACTIVE revisions): `ACTIVE` keeps the families with at least one
/// ACTIVE revision, `INACTIVE` those with none. `--family-prefix` keeps the names that begin
/// with it.
pub(super) fn list(scenario: &Scenario, request: Request) -> Result<Outcome> {
    let status = enum_value(request.status.as_deref(), "ALL", "status", &STATUSES)?;
    let prefix = request.family_prefix.as_deref().unwrap_or("");
    // The number of ACTIVE revisions of each family (a count rather than a flag: the map type
    // is one the module already has).
    let mut active: BTreeMap<&str, usize> = BTreeMap::new();
    for definition in &scenario.task_definitions {
        let is_active = definition.status.as_deref().unwrap_or("ACTIVE") == "ACTIVE";
        *active.entry(definition.family.as_str()).or_default() += usize::from(is_active);
    }
    let families = active
        .into_iter()
        .filter(|(family, active_revisions)| {
            family.starts_with(prefix)
                && match status {
                    "ACTIVE" => *active_revisions > 0,
                    "INACTIVE" => *active_revisions == 0,
                    _ => true,
                }
        })
        .map(|(family, _)| family.to_string())
        .collect();
    Ok(Outcome::response(response(&Response { families })?))
}
