//! Chained strategies (decision D9): lexicographic, each keeping only its best candidates, then a
//! uniform random tie-break with the scenario's seeded generator. `random` in a chain ends it:
//! it chooses uniformly among the candidates left, so later strategies have no effect.
//!
//! Two implementations give the same choice: a one-pass comparison of key tuples (fast), and a
//! step-by-step filter that records every step for the explanation.

use super::explain::{CandidateScore, StrategyStep};
use super::state::EngineState;
use super::{PlacementRequest, Resource, SpreadField, Strategy};
use crate::rng::Rng;
use crate::scenario::Scenario;
use std::cmp::Ordering;

/// The chosen instance and how it was chosen.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Scenario index of the chosen instance.
    pub instance: usize,
    /// The strategy steps (explain mode only).
    pub steps: Vec<StrategyStep>,
    /// What decided: a strategy, the random tie-break, or a single candidate.
    pub decided_by: String,
    /// The instances tied at the end (more than one means a random draw chose).
    pub tied: Vec<usize>,
}

/// The strategies that rank candidates: the chain up to (not including) the first `random`.
fn ranking(strategies: &[Strategy]) -> usize {
    strategies
        .iter()
        .position(|s| *s == Strategy::Random)
        .unwrap_or(strategies.len())
}

/// Chooses among the candidates that pass every check (at least one).
pub fn choose(
    scenario: &Scenario,
    state: &EngineState,
    request: &PlacementRequest,
    rng: &mut Rng,
    explain: bool,
) -> Choice {
    let chain = request
        .strategies
        .get(..ranking(&request.strategies))
        .unwrap_or_default();
    if !explain {
        return Choice {
            instance: fast_choice(state, chain, rng),
            steps: Vec::new(),
            decided_by: String::new(),
            tied: Vec::new(),
        };
    }
    let eligible = state.eligible();
    let (tied, steps, decisive) = stepwise(scenario, state, request, chain, &eligible);
    let instance = pick(&tied, rng);
    let decided_by = describe_decision(
        request,
        eligible.len(),
        tied.len(),
        decisive,
        scenario.seed.unwrap_or(0),
    );
    Choice {
        instance,
        steps,
        decided_by,
        tied,
    }
}

/// One uniform draw among the tied candidates (none when there is only one).
fn pick(tied: &[usize], rng: &mut Rng) -> usize {
    match tied {
        [only] => *only,
        _ => tied
            .get(rng.below(tied.len() as u64) as usize)
            .copied()
            .unwrap_or_default(),
    }
}

/// The most strategies a chain holds (AWS's limit), so keys fit in a fixed array.
const MAX_CHAIN: usize = 5;

/// The candidate's key tuple for the chain.
fn keys(state: &EngineState, chain: &[Strategy], index: usize) -> [i64; MAX_CHAIN] {
    let mut keys = [0i64; MAX_CHAIN];
    for (slot, (k, strategy)) in keys.iter_mut().zip(chain.iter().enumerate()) {
        *slot = state.key(strategy, k, index);
    }
    keys
}

/// The same choice as [`stepwise`] without recording anything: one pass finds the smallest key
/// tuple and counts the ties, one draw picks the j-th tie, a second pass finds it. No allocation.
fn fast_choice(state: &EngineState, chain: &[Strategy], rng: &mut Rng) -> usize {
    let eligible = || state.candidates.iter().filter(|c| c.passes).map(|c| c.index);
    let mut best: Option<([i64; MAX_CHAIN], usize)> = None;
    let mut ties = 0u64;
    for index in eligible() {
        let key = keys(state, chain, index);
        match best.map(|(b, _)| key.cmp(&b)) {
            None | Some(Ordering::Less) => {
                best = Some((key, index));
                ties = 1;
            }
            Some(Ordering::Equal) => ties += 1,
            Some(Ordering::Greater) => {}
        }
    }
    let Some((best_key, first)) = best else { return 0 };
    let wanted = if ties > 1 { rng.below(ties) } else { 0 };
    if wanted == 0 {
        return first;
    }
    eligible()
        .filter(|&i| keys(state, chain, i) == best_key)
        .nth(wanted as usize)
        .unwrap_or(first)
}

/// Filters strategy by strategy, recording each step; returns the final ties, the steps and
/// the index of the strategy that narrowed the candidates to one.
fn stepwise(
    scenario: &Scenario,
    state: &EngineState,
    request: &PlacementRequest,
    chain: &[Strategy],
    eligible: &[usize],
) -> (Vec<usize>, Vec<StrategyStep>, Option<usize>) {
    let mut survivors = eligible.to_vec();
    let mut steps = Vec::new();
    let mut decisive = None;
    for (k, strategy) in chain.iter().enumerate() {
        let scored: Vec<(usize, i64)> = survivors.iter().map(|&i| (i, state.key(strategy, k, i))).collect();
        let best = scored.iter().map(|(_, key)| *key).min().unwrap_or(0);
        let kept: Vec<usize> = scored.iter().filter(|(_, key)| *key == best).map(|(i, _)| *i).collect();
        if kept.len() == 1 && survivors.len() > 1 && decisive.is_none() {
            decisive = Some(k);
        }
        steps.push(StrategyStep {
            strategy: strategy.to_string(),
            candidates: scored
                .iter()
                .map(|(i, key)| CandidateScore {
                    container_instance_arn: arn(scenario, *i),
                    value: *key,
                    label: label(state, strategy, k, *i, *key),
                    kept: *key == best,
                })
                .collect(),
            kept: kept.len(),
        });
        survivors = kept;
    }
    if request.strategies.get(chain.len()) == Some(&Strategy::Random) {
        steps.push(random_step(scenario, &survivors));
    }
    (survivors, steps, decisive)
}

fn random_step(scenario: &Scenario, survivors: &[usize]) -> StrategyStep {
    StrategyStep {
        strategy: Strategy::Random.to_string(),
        candidates: survivors
            .iter()
            .map(|i| CandidateScore {
                container_instance_arn: arn(scenario, *i),
                value: 0,
                label: "equally likely".into(),
                kept: true,
            })
            .collect(),
        kept: survivors.len(),
    }
}

fn arn(scenario: &Scenario, index: usize) -> String {
    scenario
        .instances
        .get(index)
        .map(|i| i.container_instance_arn.clone())
        .unwrap_or_default()
}

fn label(state: &EngineState, strategy: &Strategy, k: usize, index: usize, key: i64) -> String {
    let plural = |n: i64| if n == 1 { "task" } else { "tasks" };
    match strategy {
        Strategy::Random => "equally likely".into(),
        Strategy::Binpack(Resource::Cpu) => format!("{key} CPU units remaining"),
        Strategy::Binpack(Resource::Memory) => format!("{key} MiB remaining"),
        Strategy::Spread(SpreadField::Instance(_)) => format!("{key} {} of the group on it", plural(key)),
        Strategy::Spread(SpreadField::Attribute(name)) => {
            let value = state
                .spread
                .get(k)
                .and_then(Option::as_ref)
                .and_then(|s| s.bucket_of.get(index).and_then(|b| s.labels.get(*b)))
                .cloned()
                .flatten();
            let value = value.unwrap_or_else(|| format!("(no {name})"));
            format!("{value}: {key} {}", plural(key))
        }
    }
}

fn describe_decision(
    request: &PlacementRequest,
    eligible: usize,
    tied: usize,
    decisive: Option<usize>,
    seed: u64,
) -> String {
    if eligible == 1 {
        return "only one instance passed every check".into();
    }
    if tied > 1 {
        let chose = if request.strategies.contains(&Strategy::Random) {
            "random strategy"
        } else {
            "random tie-break"
        };
        return format!("{chose} among {tied} equally good instances (seed {seed})");
    }
    match decisive.and_then(|k| request.strategies.get(k)) {
        Some(strategy) => strategy.to_string(),
        None => request
            .strategies
            .first()
            .map_or_else(|| "the strategies".into(), ToString::to_string),
    }
}
