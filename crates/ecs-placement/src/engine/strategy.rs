//! Chained strategies (decision D9): lexicographic, each keeping only its best candidates, then a
//! uniform random tie-break with the scenario's seeded generator. `random` in a chain ends it:
//! it chooses uniformly among the candidates left, so later strategies have no effect.
//!
//! Three implementations give the same choice, the same decision and the same funnel counts: the
//! indexed chooser ([`ChainIndex`], bulk placement), a one-pass comparison of key tuples (the
//! scan it is tested against), and a step-by-step filter that records every step for the
//! explanation. Both draw from the generator exactly when more than one candidate is
//! tied, so explaining a task never changes what happens after it.

use super::chain_index::ChainIndex;
use super::decision::Decision;
use super::explain::{CandidateScore, StrategyStep};
use super::state::EngineState;
use super::{PlacementRequest, Resource, SpreadField, StepCounts, Strategy};
use crate::rng::Rng;
use crate::scenario::Scenario;

/// The chosen instance and how it was chosen.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Scenario index of the chosen instance.
    pub instance: usize,
    /// What decided.
    pub decision: Decision,
    /// Candidates kept after each step of the chain (a trailing `random` step included).
    pub kept: StepCounts,
    /// The strategy steps (explained tasks only).
    pub steps: Vec<StrategyStep>,
    /// The instances tied at the end (explained tasks only; more than one means a random draw).
    pub tied: Vec<usize>,
}

/// The strategies that rank candidates: the chain up to (not including) the first `random`.
pub(super) fn ranking_chain(strategies: &[Strategy]) -> &[Strategy] {
    let end = strategies
        .iter()
        .position(|s| *s == Strategy::Random)
        .unwrap_or(strategies.len());
    strategies.get(..end).unwrap_or_default()
}

/// Chooses among the candidates that pass every check (at least one). An unexplained task is
/// chosen through `index` when there is one (the indexed chooser), else by a scan of every
/// candidate; both give the same choice.
pub fn choose(
    scenario: &Scenario,
    state: &EngineState,
    request: &PlacementRequest,
    rng: &mut Rng,
    explain: bool,
    index: Option<&mut ChainIndex>,
) -> Choice {
    let chain = ranking_chain(&request.strategies);
    let seed = scenario.seed.unwrap_or(0);
    if !explain {
        let (instance, mut kept) = match index {
            Some(index) => index.choose(state, rng),
            None => scan_choice(state, chain, rng),
        };
        let tied = kept.last().unwrap_or(state.eligible_count);
        let decision = decide(request, state.eligible_count, kept, tied, seed);
        add_random_step(request, chain, &mut kept, tied);
        return Choice {
            instance,
            decision,
            kept,
            steps: Vec::new(),
            tied: Vec::new(),
        };
    }
    let eligible = state.eligible();
    let (tied, mut steps) = stepwise(scenario, state, chain, &eligible);
    let mut kept: StepCounts = steps.iter().map(|s| s.kept).collect();
    let decision = decide(request, eligible.len(), kept, tied.len(), seed);
    if add_random_step(request, chain, &mut kept, tied.len()) {
        steps.push(random_step(scenario, &tied));
    }
    Choice {
        instance: pick(&tied, rng),
        decision,
        kept,
        steps,
        tied,
    }
}

/// Records the trailing `random` step of the chain, when there is one; returns whether it did.
fn add_random_step(request: &PlacementRequest, chain: &[Strategy], kept: &mut StepCounts, survivors: usize) -> bool {
    let random = request.strategies.get(chain.len()) == Some(&Strategy::Random);
    if random {
        kept.push(survivors);
    }
    random
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
pub(super) const MAX_CHAIN: usize = 5;

/// The candidate's key tuple for the chain.
fn keys(state: &EngineState, chain: &[Strategy], index: usize) -> [i64; MAX_CHAIN] {
    let mut keys = [0i64; MAX_CHAIN];
    for (slot, (k, strategy)) in keys.iter_mut().zip(chain.iter().enumerate()) {
        *slot = state.key(strategy, k, index);
    }
    keys
}

/// Whether two key tuples are equal, every key compared without an early exit: `==` on the
/// arrays becomes a call to `memcmp` for their 40 bytes, about a twentieth of a large
/// scale-out's time in the chain index's group table and tie marks.
pub(super) fn equal_keys(a: &[i64; MAX_CHAIN], b: &[i64; MAX_CHAIN]) -> bool {
    a.iter().zip(b).fold(0, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// How many leading keys of the chain two tuples share.
pub(super) fn common_prefix(a: &[i64; MAX_CHAIN], b: &[i64; MAX_CHAIN], len: usize) -> usize {
    a.iter().zip(b).take(len).take_while(|(x, y)| x == y).count()
}

/// The same choice as [`stepwise`] without recording anything: one pass finds the smallest key
/// tuple and, per chain position, how many candidates share its prefix (what each step keeps);
/// one draw picks the j-th tie; a second pass finds it. No allocation but the counts. The
/// reference the indexed chooser ([`ChainIndex`]) is tested against.
fn scan_choice(state: &EngineState, chain: &[Strategy], rng: &mut Rng) -> (usize, StepCounts) {
    let eligible = || state.candidates.iter().filter(|c| c.passes).map(|c| c.index);
    let len = chain.len().min(MAX_CHAIN);
    let mut best: Option<([i64; MAX_CHAIN], usize)> = None;
    let mut prefix = [0usize; MAX_CHAIN];
    let mut ties = 0u64;
    for index in eligible() {
        let key = keys(state, chain, index);
        let Some((best_key, _)) = best else {
            best = Some((key, index));
            prefix = [1; MAX_CHAIN];
            ties = 1;
            continue;
        };
        let common = common_prefix(&key, &best_key, len);
        for count in prefix.iter_mut().take(common) {
            *count += 1;
        }
        if common == len {
            ties += 1;
        } else if key.get(common) < best_key.get(common) {
            for count in prefix.iter_mut().take(len).skip(common) {
                *count = 1;
            }
            best = Some((key, index));
            ties = 1;
        }
    }
    let kept = prefix.iter().take(len).copied().collect();
    let Some((best_key, first)) = best else {
        return (0, kept);
    };
    let wanted = if ties > 1 { rng.below(ties) } else { 0 };
    if wanted == 0 {
        return (first, kept);
    }
    let instance = eligible()
        .filter(|&i| keys(state, chain, i).iter().take(len).eq(best_key.iter().take(len)))
        .nth(wanted as usize)
        .unwrap_or(first);
    (instance, kept)
}

/// Filters strategy by strategy, recording each step; returns the final ties and the steps.
fn stepwise(
    scenario: &Scenario,
    state: &EngineState,
    chain: &[Strategy],
    eligible: &[usize],
) -> (Vec<usize>, Vec<StrategyStep>) {
    let mut survivors = eligible.to_vec();
    let mut steps = Vec::new();
    for (k, strategy) in chain.iter().enumerate() {
        let scored: Vec<(usize, i64)> = survivors.iter().map(|&i| (i, state.key(strategy, k, i))).collect();
        let best = scored.iter().map(|(_, key)| *key).min().unwrap_or(0);
        let kept: Vec<usize> = scored.iter().filter(|(_, key)| *key == best).map(|(i, _)| *i).collect();
        steps.push(StrategyStep {
            strategy: strategy.clone(),
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
            best,
        });
        survivors = kept;
    }
    (survivors, steps)
}

fn random_step(scenario: &Scenario, survivors: &[usize]) -> StrategyStep {
    StrategyStep {
        strategy: Strategy::Random,
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
        best: 0,
    }
}

fn arn(scenario: &Scenario, index: usize) -> crate::Name {
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
                .and_then(|s| s.bucket(index).and_then(|b| s.labels.get(b)))
                .cloned()
                .flatten();
            let value = value.unwrap_or_else(|| format!("(no {name})"));
            format!("{value}: {key} {}", plural(key))
        }
    }
}

/// What decided, from the number of candidates, what each ranking step kept and the final ties.
fn decide(request: &PlacementRequest, eligible: usize, kept: StepCounts, tied: usize, seed: u64) -> Decision {
    if eligible == 1 {
        return Decision::OnlyCandidate;
    }
    if tied > 1 {
        let among = tied;
        return if request.strategies.contains(&Strategy::Random) {
            Decision::RandomStrategy { among, seed }
        } else {
            Decision::TieBreak { among, seed }
        };
    }
    let step = kept.iter().position(|n| n == 1).unwrap_or(0);
    match request.strategies.get(step) {
        Some(strategy) => Decision::Strategy {
            step,
            strategy: strategy.clone(),
        },
        None => Decision::OnlyCandidate,
    }
}
