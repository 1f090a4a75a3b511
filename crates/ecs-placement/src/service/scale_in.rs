//! Which task stops when a service scales in (decision D16): the service's strategy chain (or
//! decision D12's default) applied in order with each step reversed — spread keeps the tasks
//! whose value has the most of the service's tasks, binpack the tasks whose instance will have
//! the most of the resource left after the stop — and a seeded random draw among the tasks left
//! (a `random` strategy draws at once). With the default chain this is "the zone with the most
//! tasks, then the instance with the most, then random".

use super::model::Service;
use super::request;
use super::steps::{ScaleInChoice, ScaleInStep};
use crate::engine::{Decision, Resource, SpreadField, Strategy, StrategySource};
use crate::model::{Task, short_id};
use crate::rng::{Rng, splitmix64};
use crate::scenario::Scenario;
use rustc_hash::FxHashMap as HashMap;

/// Mixed into the seed for scale-in draws.
const SCALE_IN_SALT: u64 = 0x7363_616c_652d_696e;

/// The generator of one batch of scale-in choices (decision D18): derived from the seed, the
/// number of tasks the scenario records and the clock, so every batch draws afresh and a saved
/// scenario replays exactly.
pub fn rng(scenario: &Scenario) -> Rng {
    let clock = scenario.clock.map_or(0, |c| c.0 as u64);
    let mut state = scenario.seed.unwrap_or(0)
        ^ SCALE_IN_SALT
        ^ (scenario.tasks.len() as u64).wrapping_mul(0xA076_1D64_78BD_642F)
        ^ clock;
    Rng::new(splitmix64(&mut state))
}

/// What the reversed steps look at: the service's running tasks per instance and where each
/// instance is in the scenario.
struct Counts<'a> {
    scenario: &'a Scenario,
    instance_of: HashMap<&'a str, usize>,
    per_instance: Vec<i64>,
}

impl<'a> Counts<'a> {
    fn new(scenario: &'a Scenario, service: &Service) -> Self {
        let instance_of: HashMap<&str, usize> = scenario
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.container_instance_arn.as_str(), i))
            .collect();
        let mut per_instance = vec![0i64; scenario.instances.len()];
        let group = service.group();
        for task in scenario
            .tasks
            .iter()
            .filter(|t| t.group == group && t.is_desired_running())
        {
            if let Some(slot) = instance_of
                .get(task.container_instance_arn.as_str())
                .and_then(|&i| per_instance.get_mut(i))
            {
                *slot += 1;
            }
        }
        Counts {
            scenario,
            instance_of,
            per_instance,
        }
    }

    fn task(&self, index: usize) -> Option<&'a Task> {
        self.scenario.tasks.get(index)
    }

    fn instance(&self, task: usize) -> Option<usize> {
        let task = self.task(task)?;
        self.instance_of.get(task.container_instance_arn.as_str()).copied()
    }

    /// The attribute value of the task's instance (`None`: the instance lacks it).
    fn value(&self, task: usize, name: &str) -> Option<&'a str> {
        let instance = self.scenario.instances.get(self.instance(task)?)?;
        instance.attribute(name).flatten()
    }

    /// Tasks of the service per value of an attribute (`None`: instances lacking it).
    /// (Counted as `usize`, in a map type the module has; the counts are never negative.)
    fn value_counts(&self, name: &str) -> HashMap<Option<&'a str>, usize> {
        let mut counts = HashMap::default();
        for (i, instance) in self.scenario.instances.iter().enumerate() {
            let value = instance.attribute(name).flatten();
            let tasks = self.per_instance.get(i).copied().unwrap_or(0);
            *counts.entry(value).or_insert(0) += usize::try_from(tasks).unwrap_or(0);
        }
        counts
    }

    /// The reversed key of a strategy for a task (larger stops first) and its words; `values`
    /// holds the per-value counts of an attribute spread.
    fn key(&self, strategy: &Strategy, task: usize, values: &HashMap<Option<&str>, usize>) -> (i64, String) {
        let plural = |n: i64| if n == 1 { "task" } else { "tasks" };
        let instance = self.instance(task);
        let id = instance
            .and_then(|i| self.scenario.instances.get(i))
            .map_or("?", |i| short_id(&i.container_instance_arn));
        match strategy {
            Strategy::Random => (0, "equally likely".into()),
            Strategy::Spread(SpreadField::Instance(_)) => {
                let n = instance.and_then(|i| self.per_instance.get(i).copied()).unwrap_or(0);
                (n, format!("{id}: {n} {} of the service", plural(n)))
            }
            Strategy::Spread(SpreadField::Attribute(name)) => {
                let value = self.value(task, name);
                let n = values.get(&value).map_or(0, |n| i64::try_from(*n).unwrap_or(i64::MAX));
                let value = value.map_or_else(|| format!("(no {name})"), str::to_string);
                (n, format!("{value}: {n} {} of the service", plural(n)))
            }
            Strategy::Binpack(resource) => self.left_after(*resource, task, id),
        }
    }

    /// What the task's instance has left of `resource` once the task stops.
    fn left_after(&self, resource: Resource, task: usize, id: &str) -> (i64, String) {
        let remaining = self
            .instance(task)
            .and_then(|i| self.scenario.instances.get(i))
            .map(|i| i.remaining().clone())
            .unwrap_or_default();
        let held = self.task(task).map_or((0, 0), |t| (t.cpu, t.memory));
        match resource {
            Resource::Cpu => {
                let left = i64::from(remaining.cpu) + held.0;
                (left, format!("{id}: {left} CPU units left after the stop"))
            }
            Resource::Memory => {
                let left = i64::from(remaining.memory) + held.1;
                (left, format!("{id}: {left} MiB left after the stop"))
            }
        }
    }
}

/// Chooses the task of `candidates` (scenario task indexes, the service's running tasks) to
/// stop, and says why.
pub fn choose(
    scenario: &Scenario,
    service: &Service,
    candidates: &[usize],
    rng: &mut Rng,
) -> Option<(usize, ScaleInChoice)> {
    let (chain, source) = request::chain(service).unwrap_or((request::default_chain(), StrategySource::ServiceDefault));
    let ranking = chain.iter().position(|s| *s == Strategy::Random).unwrap_or(chain.len());
    let counts = Counts::new(scenario, service);
    let mut survivors = candidates.to_vec();
    let mut steps = Vec::new();
    for strategy in chain.iter().take(ranking) {
        let values = match strategy {
            Strategy::Spread(SpreadField::Attribute(name)) => counts.value_counts(name),
            _ => HashMap::default(),
        };
        let keyed: Vec<(usize, i64, String)> = survivors
            .iter()
            .map(|&t| {
                let (key, label) = counts.key(strategy, t, &values);
                (t, key, label)
            })
            .collect();
        let worst = keyed.iter().map(|(_, key, _)| *key).max().unwrap_or(0);
        survivors = keyed
            .iter()
            .filter(|(_, k, _)| *k == worst)
            .map(|(t, _, _)| *t)
            .collect();
        let label = keyed
            .into_iter()
            .find(|(_, k, _)| *k == worst)
            .map(|(_, _, l)| l)
            .unwrap_or_default();
        steps.push(ScaleInStep {
            strategy: strategy.clone(),
            kept: survivors.len(),
            value: worst,
            label,
        });
    }
    let random = chain.get(ranking).is_some();
    let decision = decide(
        candidates.len(),
        &steps,
        survivors.len(),
        random,
        scenario.seed.unwrap_or(0),
    );
    let pick = match survivors.as_slice() {
        [only] => *only,
        many => many.get(rng.below(many.len() as u64) as usize).copied()?,
    };
    let choice = ScaleInChoice {
        candidates: candidates.len(),
        strategy_source: source,
        steps,
        decision,
    };
    Some((pick, choice))
}

/// What decided, as for a placement: the only candidate, the first step that left one task, or
/// a random draw.
fn decide(candidates: usize, steps: &[ScaleInStep], tied: usize, random: bool, seed: u64) -> Decision {
    if candidates == 1 {
        return Decision::OnlyCandidate;
    }
    if tied > 1 {
        return if random {
            Decision::RandomStrategy { among: tied, seed }
        } else {
            Decision::TieBreak { among: tied, seed }
        };
    }
    match steps.iter().enumerate().find(|(_, s)| s.kept == 1) {
        Some((step, s)) => Decision::Strategy {
            step,
            strategy: s.strategy.clone(),
        },
        None => Decision::OnlyCandidate,
    }
}
