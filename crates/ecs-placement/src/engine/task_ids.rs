//! The task IDs a new task must not repeat ([`TakenIds`]). A new task's ID is numbered: it is
//! `id_bits(seed, n)` for the scenario's task count `n`, or the next number whose ID no task
//! holds (tasks removed with their instance leave gaps in the numbering). Since an ID gives back
//! its number (`rng::sequence_of`), the IDs taken are kept as a set of numbers: a bit per
//! number for the numbers tasks are given (new tasks take the next ones, so marking them writes
//! to the end of a bit set, where a set of IDs wrote to a random place in a table the size of
//! the scenario), and a small set for the rest (IDs of another seed, which give back numbers
//! far away).

use crate::rng::sequence_of;
use crate::scenario::Scenario;
use rustc_hash::FxHashSet;

/// Numbers up to which the bit set grows without asking (a million bits: 128 KiB).
const NEAR: u64 = 1 << 20;

/// The numbers whose IDs (under the scenario's seed) the scenario's tasks hold.
#[derive(Debug, Clone, Default)]
pub struct TakenIds {
    /// The seed the numbers are read under.
    seed: u64,
    /// Bit `n % 64` of word `n / 64`: number `n` is taken.
    near: Vec<u64>,
    /// Taken numbers beyond the bit set.
    far: FxHashSet<u64>,
}

impl TakenIds {
    /// The numbers of the IDs of the scenario's tasks in its cluster (the cluster's task ARN
    /// prefix and 32 lowercase hex digits; other task ARNs cannot be repeated).
    pub fn of(scenario: &Scenario) -> Self {
        let seed = scenario.seed.unwrap_or(0);
        let prefix = scenario.cluster.resource_arn("task", "");
        let mut taken = TakenIds {
            seed,
            ..TakenIds::default()
        };
        let ids = scenario.tasks.iter().filter_map(|t| t.task_arn.id_bits(&prefix));
        for bits in ids {
            if let Some(number) = sequence_of(seed, bits) {
                taken.mark(number);
            }
        }
        taken
    }

    /// The seed the numbers are read under.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Takes the first number from `first` on whose ID no task holds.
    pub fn take_from(&mut self, first: u64) -> u64 {
        let mut number = first;
        while self.is_taken(number) {
            number = number.wrapping_add(1);
        }
        self.mark(number);
        number
    }

    /// Whether a task holds the ID of `number`.
    pub fn is_taken(&self, number: u64) -> bool {
        let word = usize::try_from(number / 64).ok().and_then(|w| self.near.get(w));
        word.is_some_and(|word| word & (1 << (number % 64)) != 0)
            || (!self.far.is_empty() && self.far.contains(&number))
    }

    /// Records that a task holds the ID of `number`.
    fn mark(&mut self, number: u64) {
        let words = self.near.len() as u64;
        if number / 64 < words.max(NEAR / 64) + NEAR / 64 {
            let word = (number / 64) as usize;
            if self.near.len() <= word {
                self.near.resize(word + 1, 0);
            }
            if let Some(bits) = self.near.get_mut(word) {
                *bits |= 1 << (number % 64);
            }
        } else {
            self.far.insert(number);
        }
    }

    /// How many numbers are taken.
    fn count(&self) -> usize {
        let near: u32 = self.near.iter().map(|w| w.count_ones()).sum();
        near as usize + self.far.len()
    }

    /// Every taken number.
    fn numbers(&self) -> impl Iterator<Item = u64> + '_ {
        let near = self.near.iter().enumerate().flat_map(|(w, bits)| {
            (0..64u64)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| w as u64 * 64 + b)
        });
        near.chain(self.far.iter().copied())
    }
}

impl PartialEq for TakenIds {
    /// The same seed and the same numbers (however they are kept).
    fn eq(&self, other: &Self) -> bool {
        self.seed == other.seed && self.count() == other.count() && self.numbers().all(|n| other.is_taken(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario_with_ids(seed: u64, ids: &[(u64, u64)]) -> Scenario {
        let mut scenario = Scenario::new(crate::scenario::ClusterInfo::default());
        scenario.seed = Some(seed);
        for &(id_seed, number) in ids {
            let arn = scenario
                .cluster
                .resource_arn("task", &crate::rng::hex_id(id_seed, number));
            scenario.tasks.push(crate::model::Task {
                task_arn: arn.into(),
                ..crate::model::Task::default()
            });
        }
        scenario
    }

    #[test]
    fn the_tasks_ids_are_read_back_as_numbers_and_new_tasks_skip_them() {
        // Task 1 went with its instance: numbers 0 and 2 are held, the count is 2.
        let scenario = scenario_with_ids(9, &[(9, 0), (9, 2), (4, 7)]);
        let mut taken = TakenIds::of(&scenario);
        assert_eq!(taken.seed(), 9);
        assert!(taken.is_taken(0) && !taken.is_taken(1) && taken.is_taken(2));
        assert_eq!(taken.far.len(), 1, "the ID of another seed is a number far away");
        assert_eq!(taken.take_from(3), 3);
        assert_eq!(taken.take_from(2), 4, "2 and 3 are taken");
        let other_arn = scenario.cluster.resource_arn("task", &crate::rng::hex_id(4, 7));
        let other_bits = crate::rng::parse_hex_id(other_arn.rsplit('/').next().unwrap()).unwrap();
        for number in 0..10 {
            assert_ne!(crate::rng::id_bits(9, number), other_bits);
        }
    }

    #[test]
    fn numbers_are_taken_once_near_or_far() {
        let mut taken = TakenIds::default();
        assert_eq!(taken.take_from(0), 0);
        assert_eq!(taken.take_from(0), 1, "0 is taken");
        assert_eq!(taken.take_from(5), 5);
        assert_eq!(taken.take_from(4), 4);
        assert_eq!(taken.take_from(4), 6, "4 and 5 are taken");
        let far = u64::MAX - 3;
        assert_eq!(taken.take_from(far), far);
        assert_eq!(taken.take_from(far), far + 1);
        assert!(taken.is_taken(far) && taken.is_taken(6) && !taken.is_taken(7));
        assert_eq!(taken.far.len(), 2, "far numbers do not grow the bit set");
        assert_eq!(taken.count(), 7);
        let mut same = TakenIds::default();
        for n in [far + 1, 6, 5, 4, 1, 0, far] {
            same.mark(n);
        }
        assert_eq!(taken, same);
        same.mark(100);
        assert_ne!(taken, same);
    }
}
