//! Which candidates tie with their group's best, counted in scenario order: how the indexed
//! chooser finds the drawn tie when thousands of equally good candidates lie in several groups
//! at once (equal instances in every zone before any has a task of the service).
//!
//! Per group, a candidate is marked when its own keys equal the smallest tuple of its group's
//! tree (the group's ties whenever the group is among the best). The marks of every group live
//! in one Fenwick tree over scenario indexes, a count per group in each node, so the `n`-th tie
//! in scenario order over any set of groups is one descent: O(groups · log n) reads of adjacent
//! numbers, where bisecting over the groups' trees costs O(groups · log² n) node reads.
//!
//! A group's marks hold while its smallest tuple stays the one they were taken against; a
//! placement that changes it leaves the group's marks stale until the next query that needs
//! them, which takes them again (a pass over the scenario's indexes). Retaking is rationed
//! ([`QUERY_CREDIT`]): when the ration is spent, the chooser bisects instead, so a call whose
//! groups' best change all the time costs at most what it cost before.

use super::strategy::{MAX_CHAIN, equal_keys};

/// A key tuple (the smallest one of a group's own keys).
type Keys = [i64; MAX_CHAIN];

/// Up to how many groups the marks are kept (more: the chooser bisects).
pub(super) const MAX_GROUPS: usize = 8;

/// How many marks each query may pay for retaking stale groups (a retake costs one per
/// scenario index): a query by bisection reads a few hundred tree nodes.
const QUERY_CREDIT: u64 = 256;

/// The marks of every group (see the module documentation).
#[derive(Debug, Clone)]
pub(super) struct TieMarks {
    /// Groups (the stride of `counts`).
    groups: usize,
    /// Scenario indexes counted (`0..len`).
    len: usize,
    /// Fenwick nodes `1..=len` (node 0 unused), `groups` counts each.
    counts: Vec<u32>,
    /// Per group, the smallest tuple its marks were taken against; `None`: stale.
    targets: Vec<Option<Keys>>,
    /// Per group, whether its counts are all zero (never taken: a first retake need not clear
    /// them, and every group's first retake comes in the first draw of a service's call).
    clean: Vec<bool>,
    /// Marks the next retakes may still cost.
    budget: u64,
}

impl TieMarks {
    /// No marks yet for `groups` groups over scenario indexes `0..len`, counted in `counts`
    /// (memory earlier marks left: it is cleared); the first retake of each group is paid for.
    pub(super) fn new(groups: usize, len: usize, mut counts: Vec<u32>) -> TieMarks {
        counts.clear();
        counts.resize((len + 1) * groups, 0);
        TieMarks {
            groups,
            len,
            counts,
            targets: vec![None; groups],
            clean: vec![true; groups],
            budget: (groups as u64).saturating_mul(len as u64),
        }
    }

    /// The memory of the counts, for later marks.
    pub(super) fn into_counts(self) -> Vec<u32> {
        self.counts
    }

    /// Adds one query's credit to the ration.
    pub(super) fn credit_query(&mut self) {
        self.budget = self.budget.saturating_add(QUERY_CREDIT);
    }

    /// Whether `group`'s marks were taken against `target`.
    pub(super) fn holds(&self, group: usize, target: &Keys) -> bool {
        self.target(group).is_some_and(|held| equal_keys(&held, target))
    }

    /// Whether a retake of a group is within the ration.
    pub(super) fn can_retake(&self) -> bool {
        self.budget >= self.len as u64
    }

    /// Takes `group`'s marks again: `ties` are the scenario indexes of its candidates whose own
    /// keys equal `target`.
    pub(super) fn retake(&mut self, group: usize, target: Keys, ties: impl Iterator<Item = usize>) {
        self.budget = self.budget.saturating_sub(self.len as u64);
        let stride = self.groups;
        let was_clean = self
            .clean
            .get_mut(group)
            .is_some_and(|clean| std::mem::replace(clean, false));
        if !was_clean {
            for count in self
                .counts
                .chunks_exact_mut(stride.max(1))
                .skip(1)
                .filter_map(|node| node.get_mut(group))
            {
                *count = 0;
            }
        }
        for index in ties.filter(|&i| i < self.len) {
            if let Some(count) = self.counts.get_mut((index + 1) * stride + group) {
                *count += 1;
            }
        }
        // The linear-time build: each node passes its count up to its parent.
        for node in 1..=self.len {
            let parent = node + lowest_bit(node);
            if parent > self.len {
                continue;
            }
            let here = self.counts.get(node * stride + group).copied().unwrap_or(0);
            if let Some(count) = self.counts.get_mut(parent * stride + group) {
                *count += here;
            }
        }
        if let Some(slot) = self.targets.get_mut(group) {
            *slot = Some(target);
        }
    }

    /// A leaf of `group` changed: the candidate at `index` was a tie of its group (`was`) and
    /// is one now (`is`), both against the marks' target, and the group's smallest tuple is now
    /// `smallest`. A changed smallest tuple leaves the group's marks stale.
    pub(super) fn leaf_changed(&mut self, group: usize, index: usize, was: bool, is: bool, smallest: Option<&Keys>) {
        let Some(target) = self.target(group) else {
            return;
        };
        if !smallest.is_some_and(|smallest| equal_keys(smallest, &target)) {
            if let Some(slot) = self.targets.get_mut(group) {
                *slot = None;
            }
            return;
        }
        if was != is {
            self.add(group, index, is);
        }
    }

    /// The target a group's marks were taken against, if they hold.
    pub(super) fn target(&self, group: usize) -> Option<Keys> {
        self.targets.get(group).copied().flatten()
    }

    fn add(&mut self, group: usize, index: usize, mark: bool) {
        let mut node = index + 1;
        while node <= self.len {
            if let Some(count) = self.counts.get_mut(node * self.groups + group) {
                *count = if mark { *count + 1 } else { count.saturating_sub(1) };
            }
            node += lowest_bit(node);
        }
    }

    /// The scenario index of the `wanted`-th (0-based) mark, in scenario order, over `groups`.
    pub(super) fn nth(&self, groups: &[usize], mut wanted: u32) -> usize {
        let mut position = 0;
        let mut step = if self.len == 0 { 0 } else { 1 << self.len.ilog2() };
        while step > 0 {
            let next = position + step;
            if next <= self.len {
                let base = next * self.groups;
                let here: u32 = groups
                    .iter()
                    .map(|&g| self.counts.get(base + g).copied().unwrap_or(0))
                    .sum();
                if here <= wanted {
                    position = next;
                    wanted -= here;
                }
            }
            step /= 2;
        }
        position
    }
}

/// The lowest set bit of a Fenwick node number.
fn lowest_bit(node: usize) -> usize {
    node & node.wrapping_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marks answer as a sorted list of the same indexes does, through changes.
    #[test]
    fn nth_mark_is_the_nth_index_in_order() {
        let target = [0; MAX_CHAIN];
        let mut marks = TieMarks::new(3, 20, Vec::new());
        marks.retake(0, target, [1, 4, 9, 15].into_iter());
        marks.retake(2, target, [0, 5, 19].into_iter());
        marks.retake(1, target, [2, 3].into_iter());
        let both = [0, 2];
        let expected = [0, 1, 4, 5, 9, 15, 19];
        for (n, &index) in expected.iter().enumerate() {
            assert_eq!(marks.nth(&both, n as u32), index);
        }
        marks.leaf_changed(0, 9, true, false, Some(&target));
        marks.leaf_changed(2, 7, false, true, Some(&target));
        let expected = [0, 1, 4, 5, 7, 15, 19];
        for (n, &index) in expected.iter().enumerate() {
            assert_eq!(marks.nth(&both, n as u32), index);
        }
        assert_eq!(marks.nth(&[1], 1), 3);
        assert!(marks.holds(1, &target));
        marks.leaf_changed(1, 3, true, false, Some(&[1; MAX_CHAIN]));
        assert!(
            !marks.holds(1, &target),
            "a changed smallest tuple leaves the marks stale"
        );
    }

    /// A retake replaces the group's earlier marks (the first one has none to clear) and
    /// leaves the other groups' alone.
    #[test]
    fn a_second_retake_replaces_the_first() {
        let (first, second) = ([0; MAX_CHAIN], [1; MAX_CHAIN]);
        let mut marks = TieMarks::new(2, 30, Vec::new());
        marks.retake(0, first, [3, 8, 21].into_iter());
        marks.retake(1, first, [4, 9].into_iter());
        marks.retake(0, second, [5, 29].into_iter());
        assert!(marks.holds(0, &second) && !marks.holds(0, &first));
        let expected = [4, 5, 9, 29];
        for (n, &index) in expected.iter().enumerate() {
            assert_eq!(marks.nth(&[0, 1], n as u32), index);
        }
        assert_eq!(marks.nth(&[0], 0), 5, "the first retake's marks are gone");
    }

    /// Retakes are rationed: the first of each group is paid for, later ones by queries.
    #[test]
    fn retakes_are_rationed() {
        let mut marks = TieMarks::new(2, 1_000, vec![7; 5]);
        marks.retake(0, [0; MAX_CHAIN], std::iter::empty());
        marks.retake(1, [0; MAX_CHAIN], std::iter::empty());
        assert!(!marks.can_retake());
        for _ in 0..(1_000 / QUERY_CREDIT + 1) {
            marks.credit_query();
        }
        assert!(marks.can_retake());
    }
}
