//! Built-in scenarios: the sample cluster the page opens with, and the clusters of the docs.

use crate::error::Result;
use crate::scenario::Scenario;

/// A built-in scenario: its name, a one-line description and its JSON.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Name used in `preset:<name>` and on the page.
    pub name: &'static str,
    /// What the scenario shows.
    pub description: &'static str,
    /// The scenario JSON.
    pub json: &'static str,
}

/// Every built-in scenario.
pub const PRESETS: &[Preset] = &[Preset {
    name: "sample",
    description: "9 instances in 3 Availability Zones (t2, m5, g2) with a few running task groups",
    json: include_str!("../presets/sample.json"),
}];

/// Loads a built-in scenario by name.
pub fn load(name: &str) -> Option<Result<Scenario>> {
    PRESETS
        .iter()
        .find(|p| p.name == name)
        .map(|p| Scenario::from_json(p.json))
}

/// The sample cluster the playground opens with.
pub fn sample() -> Result<Scenario> {
    Scenario::from_json(include_str!("../presets/sample.json"))
}
