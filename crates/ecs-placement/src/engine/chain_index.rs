//! The indexed chooser: the choice a scan of every candidate makes ([`super::strategy`]'s
//! one-pass comparison of key tuples), found without visiting every candidate per task.
//!
//! A chain's keys are of two kinds. Binpack and spread by instance give each instance its own key,
//! which changes only when the instance receives a task. Spread by an attribute gives every
//! instance of a value (a zone) the same key, which changes for all of them at once. So the
//! candidates are split into groups that share every attribute value the chain spreads on (one
//! group per zone for `spread(attribute:ecs.availability-zone)`), and each group keeps a
//! tournament tree over its own keys, its members in scenario order. A node holds the smallest
//! tuple of own keys below it and, for each prefix of that tuple, how many leaves share it.
//!
//! Each group's best (its root's tuple with the shared keys filled in from the spread counters,
//! how many of its candidates share each prefix of it, and its first candidate holding it) is
//! kept beside the groups. Choosing a task's instance compares the groups' bests in one pass,
//! keeps the best, and counts per chain step how many candidates share the best prefix: the
//! same counts, the same ties and the same draw from the generator as the scan. When each
//! tying group holds one best candidate (a spread over zones before binpack), the drawn tie is
//! read from their list in scenario order; otherwise it is found by descending the trees.
//! Placing a task updates one leaf and the bests of the groups it changed. Cost per task:
//! O(groups + log n), against O(n) for the scan.

use super::state::EngineState;
use super::strategy::{MAX_CHAIN, common_prefix, equal_keys};
use super::tie_marks::{MAX_GROUPS, TieMarks};
use super::{SpreadField, StepCounts, Strategy};
use crate::rng::Rng;
use rustc_hash::FxHashMap;

/// Up to how many ties spread over several groups are listed rather than bisected for.
const FEW_TIES: u32 = 64;

/// A key tuple of one node: the smallest tuple of own keys below it.
type Keys = [i64; MAX_CHAIN];

/// Up to how many own keys the narrow trees hold (most chains have one or two: a binpack or a
/// spread by instance, after spreads by attribute).
#[cfg(feature = "narrow-trees")]
const NARROW: usize = 2;

/// A tree node holding up to `W` own keys: the smallest own-key tuple below it, how many
/// leaves below pass every check (`passing`) and, per prefix length `p` from 1, how many share
/// its first `p` keys (`counts[p - 1]`), and the position (in the tree's leaf order) of the
/// first leaf holding the smallest tuple. A tree's nodes are most of what a call reads and
/// writes: a node of a narrow tree takes 32 bytes, one of [`MAX_CHAIN`] keys 72.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node<const W: usize> {
    min: [i64; W],
    counts: [u32; W],
    passing: u32,
    first: u32,
}

impl<const W: usize> Node<W> {
    /// A leaf whose instance does not pass (or a padding leaf).
    const EMPTY: Node<W> = Node {
        min: [i64::MAX; W],
        counts: [0; W],
        passing: 0,
        first: 0,
    };

    /// The leaf of a passing instance with own keys `keys` (their first `W`).
    fn leaf(keys: &Keys, position: usize) -> Node<W> {
        Node {
            min: std::array::from_fn(|k| keys.get(k).copied().unwrap_or_default()),
            counts: [1; W],
            passing: 1,
            first: u32::try_from(position).unwrap_or(u32::MAX),
        }
    }

    fn is_empty(&self) -> bool {
        self.passing == 0
    }

    /// The smallest tuple as a chain's key tuple (the keys past `W` are 0, as in a leaf).
    fn keys(&self) -> Keys {
        std::array::from_fn(|k| self.min.get(k).copied().unwrap_or_default())
    }

    /// The parent of two nodes comparing the first `width` keys: one pass finds how many keys
    /// they share, which says both which is smaller (the first on a tie) and which of the
    /// larger one's counts add to the smaller one's.
    fn merge(a: &Node<W>, b: &Node<W>, width: usize) -> Node<W> {
        if a.is_empty() {
            return *b;
        }
        if b.is_empty() {
            return *a;
        }
        let shared = a.min.iter().zip(&b.min).take(width).take_while(|(x, y)| x == y).count();
        let a_first = shared >= width || a.min.get(shared) < b.min.get(shared);
        let (low, high) = if a_first { (a, b) } else { (b, a) };
        let mut counts = [0u32; W];
        for (p, count) in counts.iter_mut().enumerate().take(width) {
            *count = low.count(p + 1) + if p < shared { high.count(p + 1) } else { 0 };
        }
        Node {
            min: low.min,
            counts,
            passing: low.passing + high.passing,
            first: low.first,
        }
    }

    /// How many leaves below share the first `p` keys of the node's smallest tuple (`p = 0`:
    /// how many pass).
    fn count(&self, p: usize) -> u32 {
        match p.checked_sub(1) {
            None => self.passing,
            Some(k) => self.counts.get(k).copied().unwrap_or(0),
        }
    }

    /// How many leaves below tie with `target` on all `width` keys.
    #[inline]
    fn ties_with(&self, target: &Keys, width: usize) -> u32 {
        // Without an early exit (at most `W` keys): no branch per key.
        let differ = self.min.iter().zip(target).take(width).fold(0, |d, (x, y)| d | (x ^ y));
        if !self.is_empty() && differ == 0 {
            self.count(width)
        } else {
            0
        }
    }
}

/// A tournament tree over one group's members (scenario indexes, ascending), its nodes holding
/// up to `W` own keys.
#[derive(Debug, Clone)]
struct Tree<const W: usize> {
    /// Leaves: a power of two at least the number of members.
    size: usize,
    /// Heap order: the root at 1, the children of `i` at `2i` and `2i + 1`.
    nodes: Vec<Node<W>>,
    /// Scenario index of each leaf's instance.
    members: Vec<usize>,
}

impl<const W: usize> Tree<W> {
    /// A tree over `members` whose leaves are `leaf(position, member)`, in `nodes` (memory an
    /// earlier call's tree left: its contents are overwritten). Each node is written
    /// once before the inner ones are computed: the inner nodes' places, then the leaves in
    /// order, then the padding (building a tree is most of a call's setup: a thousand services
    /// on 5,000 instances build a thousand).
    fn new(members: Vec<usize>, mut nodes: Vec<Node<W>>, leaf: impl Fn(usize, usize) -> Node<W>, width: usize) -> Self {
        let size = members.len().next_power_of_two();
        nodes.clear();
        nodes.reserve(2 * size);
        nodes.resize(size, Node::EMPTY);
        nodes.extend(
            members
                .iter()
                .enumerate()
                .map(|(position, &member)| leaf(position, member)),
        );
        nodes.resize(2 * size, Node::EMPTY);
        let mut tree = Tree { size, nodes, members };
        tree.recompute_all(width);
        tree
    }

    /// Node `i` (an empty one past the end, which cannot happen for `i < 2 * size`).
    fn node(&self, i: usize) -> &Node<W> {
        self.nodes.get(i).unwrap_or(&Node::EMPTY)
    }

    fn root(&self) -> &Node<W> {
        self.node(1)
    }

    /// The smallest own-key tuple of the tree's passing leaves (`None`: no leaf passes).
    fn smallest(&self) -> Option<Keys> {
        let root = self.root();
        (!root.is_empty()).then(|| root.keys())
    }

    /// Node `i` from its two children.
    fn recompute(&mut self, i: usize, width: usize) {
        let merged = match self.nodes.get(2 * i..2 * i + 2) {
            Some([left, right]) => Node::merge(left, right, width),
            _ => Node::EMPTY,
        };
        if let Some(slot) = self.nodes.get_mut(i) {
            *slot = merged;
        }
    }

    /// Writes leaf `position` and recomputes its ancestors.
    fn set(&mut self, position: usize, leaf: Node<W>, width: usize) {
        if self.below_every_other(&leaf, width) {
            if self.is_sole_smallest(position, width) {
                self.lower_sole_smallest(position, leaf);
            } else {
                self.set_smallest(position, leaf, width);
            }
            debug_assert!(
                self.path_is_merged(position, width),
                "a node differs from its children's merge"
            );
            return;
        }
        self.put_leaf(position, leaf);
        let mut i = self.size + position;
        while i > 1 {
            i /= 2;
            self.recompute(i, width);
        }
    }

    /// Whether a passing `leaf` has a first own key below the smallest of the tree as it is (so
    /// below every other leaf's): binpack's chosen instance after it receives a task, the usual
    /// update of a bulk call.
    fn below_every_other(&self, leaf: &Node<W>, width: usize) -> bool {
        let root = self.root();
        width > 0 && !leaf.is_empty() && !root.is_empty() && leaf.min.first() < root.min.first()
    }

    /// Whether leaf `position` holds the tree's smallest tuple and no other leaf shares any
    /// prefix of it (the root's first, its counts 1): binpack's chosen instance once it holds
    /// more tasks than any other of its group.
    fn is_sole_smallest(&self, position: usize, width: usize) -> bool {
        let root = self.root();
        !root.is_empty() && root.first as usize == position && root.counts.iter().take(width).all(|&count| count == 1)
    }

    /// [`Tree::set`] for the leaf that [`Tree::is_sole_smallest`] when its new tuple is
    /// [`Tree::below_every_other`]: the leaf stays the one smallest of every node on its path,
    /// which keeps its counts, passing leaves and first position; only their tuple changes.
    fn lower_sole_smallest(&mut self, position: usize, leaf: Node<W>) {
        self.put_leaf(position, leaf);
        let mut i = self.size + position;
        while i > 1 {
            i /= 2;
            if let Some(node) = self.nodes.get_mut(i) {
                node.min = leaf.min;
            }
        }
    }

    /// [`Tree::set`] for a leaf that [`Tree::below_every_other`]: it is the one smallest tuple of
    /// every node on its path, so each ancestor is what [`Node::merge`] gives without comparing
    /// keys: the leaf's tuple and first position, the passing leaves of both children and, once
    /// a sibling has passing leaves, the leaf's counts up to `width` (a node above only empty
    /// siblings is a copy of the leaf).
    fn set_smallest(&mut self, position: usize, leaf: Node<W>, width: usize) {
        self.put_leaf(position, leaf);
        let mut masked = leaf.counts;
        masked.iter_mut().skip(width).for_each(|count| *count = 0);
        let (mut counts, mut passing) = (leaf.counts, leaf.passing);
        let mut i = self.size + position;
        while i > 1 {
            let sibling = self.nodes.get(i ^ 1).map_or(0, |node| node.passing);
            if sibling > 0 {
                counts = masked;
                passing += sibling;
            }
            i /= 2;
            if let Some(node) = self.nodes.get_mut(i) {
                *node = Node {
                    min: leaf.min,
                    counts,
                    passing,
                    first: leaf.first,
                };
            }
        }
    }

    /// Whether every ancestor of leaf `position` is the merge of its children (debug builds'
    /// check of [`Tree::set_smallest`]).
    fn path_is_merged(&self, position: usize, width: usize) -> bool {
        let mut i = self.size + position;
        while i > 1 {
            i /= 2;
            let merged = Node::merge(self.node(2 * i), self.node(2 * i + 1), width);
            if *self.node(i) != merged {
                return false;
            }
        }
        true
    }

    /// Writes a leaf without its ancestors (see [`Tree::recompute_all`]).
    fn put_leaf(&mut self, position: usize, leaf: Node<W>) {
        if let Some(slot) = self.nodes.get_mut(self.size + position) {
            *slot = leaf;
        }
    }

    /// Whether `changed` leaves are cheaper to follow by recomputing every inner node than by
    /// one path to the root each.
    fn recomputes_whole(&self, changed: usize) -> bool {
        changed * (self.size.ilog2() as usize + 1) >= self.size
    }

    /// Every inner node from its children.
    fn recompute_all(&mut self, width: usize) {
        for i in (1..self.size).rev() {
            self.recompute(i, width);
        }
    }

    /// The scenario index of the `n`-th (0-based) leaf, in scenario order, that ties with the
    /// root on every key.
    fn nth_tie(&self, mut n: u32, width: usize) -> usize {
        if n == 0 {
            let first = self.root().first as usize;
            return self.members.get(first).copied().unwrap_or_default();
        }
        let target = self.root().keys();
        let mut i = 1;
        while i < self.size {
            let left = self.node(2 * i).ties_with(&target, width);
            if n < left {
                i *= 2;
            } else {
                n -= left;
                i = 2 * i + 1;
            }
        }
        self.members.get(i - self.size).copied().unwrap_or_default()
    }

    /// Appends the scenario indexes of the leaves that tie with the root on every key (`stack`:
    /// memory to reuse).
    fn collect_ties(&self, width: usize, out: &mut Vec<usize>, stack: &mut Vec<usize>) {
        if self.root().count(width) == 1 {
            // The usual case when zones tie: one best instance per zone, kept at the root.
            let first = self.root().first as usize;
            out.extend(self.members.get(first).copied());
            return;
        }
        let target = self.root().keys();
        stack.clear();
        stack.push(1);
        while let Some(i) = stack.pop() {
            if self.node(i).ties_with(&target, width) == 0 {
                continue;
            }
            if i >= self.size {
                out.extend(self.members.get(i - self.size).copied());
            } else {
                stack.extend([2 * i + 1, 2 * i]);
            }
        }
    }

    /// How many members with a scenario index below `below` tie with the root on every key.
    fn ties_below(&self, below: usize, width: usize) -> u32 {
        let target = self.root().keys();
        let (mut l, mut r) = (self.size, self.size + self.members.partition_point(|&m| m < below));
        let mut ties = 0;
        while l < r {
            if l & 1 == 1 {
                ties += self.node(l).ties_with(&target, width);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                ties += self.node(r).ties_with(&target, width);
            }
            l /= 2;
            r /= 2;
        }
        ties
    }
}

/// The `n`-th (0-based) of a few tied instances (scenario indexes), in scenario order.
fn nth_in_scenario_order(listed: &mut [usize], n: usize) -> usize {
    // At most 64 numbers: an insertion sort (the module keeps no unstable sort for this).
    for end in 1..listed.len() {
        let mut at = end;
        while at > 0 && listed.get(at - 1) > listed.get(at) {
            listed.swap(at - 1, at);
            at -= 1;
        }
    }
    listed.get(n).copied().unwrap_or_default()
}

/// The candidates sharing every spread-attribute value of the chain.
#[derive(Debug, Clone)]
struct Group<const W: usize> {
    /// A member, to read the shared keys through [`EngineState::key`].
    representative: usize,
    /// Its members' spread bucket at each shared position of the chain (-1: none; 0 at own
    /// positions): the groups a placement's spread counters change share one with it.
    buckets: Keys,
    tree: Tree<W>,
}

/// What the indexed choice reads of a group (see [`Index::bests`]), kept beside the groups so
/// that comparing them reads one short array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GroupBest {
    /// The smallest full key tuple of the group's candidates: own keys from its tree's root,
    /// shared ones from the spread counters; 0 past the chain.
    keys: Keys,
    /// Per prefix length `p` (0 to the chain's length), how many of its candidates share the
    /// first `p` keys of `keys` (`p = 0`: how many pass); 0 past the chain.
    sharing: [u32; MAX_CHAIN + 1],
    /// The scenario index of its first candidate (in scenario order) holding `keys`.
    first: usize,
}

impl GroupBest {
    /// A group none of whose candidates passes: it adds nothing to any count.
    const NONE: GroupBest = GroupBest {
        keys: [0; MAX_CHAIN],
        sharing: [0; MAX_CHAIN + 1],
        first: 0,
    };

    /// Whether some candidate of the group passes.
    fn passes(&self) -> bool {
        self.sharing.first().is_some_and(|&passing| passing > 0)
    }

    /// How many of its candidates hold exactly `keys` (the chain's `len` keys).
    fn ties(&self, len: usize) -> u32 {
        self.sharing.get(len).copied().unwrap_or(0)
    }
}

/// The indexed chooser of one call (see the module documentation), its trees narrow when the
/// chain has at most two own keys (with the `narrow-trees` feature). The same choices either
/// way.
#[derive(Debug, Clone)]
pub enum ChainIndex {
    /// At most two own keys (`NARROW`).
    #[cfg(feature = "narrow-trees")]
    Narrow(Index<NARROW>),
    /// Up to [`MAX_CHAIN`] own keys.
    Wide(Index<MAX_CHAIN>),
}

/// The indexed chooser over trees of nodes holding up to `W` own keys.
#[derive(Debug, Clone)]
pub struct Index<const W: usize> {
    /// The ranking chain (up to its first `random`), at most [`MAX_CHAIN`] long.
    chain: Vec<Strategy>,
    /// Chain positions whose key is each instance's own (binpack, spread by instance).
    own: Vec<usize>,
    /// Group and leaf position of each scenario instance (`None`: not a candidate).
    slot_of: Vec<Option<(usize, usize)>>,
    groups: Vec<Group<W>>,
    /// Per chain position `p`, how many of the first `p` keys are own keys.
    own_before: [usize; MAX_CHAIN + 1],
    /// What the choice reads of each group, kept current: filled whole when the index is built
    /// or carried over, then after each placement for the groups it changed
    /// ([`Index::refresh_after`]).
    bests: Vec<GroupBest>,
    /// The groups whose best is the task's best, in group order (reused between tasks).
    tying: Vec<usize>,
    /// The few ties listed when they lie in several groups, and the stack that finds them
    /// (reused between tasks).
    listed: Vec<usize>,
    stack: Vec<usize>,
    /// Each group's ties in scenario order, once a draw falls among many ties of several
    /// groups (at most [`MAX_GROUPS`] groups).
    marks: Option<TieMarks>,
    /// Memory for the marks' counts, until they are needed.
    spare_marks: Vec<u32>,
    /// The leaves a carried-over call changed, for the marks (memory kept between calls).
    marked: Vec<(usize, usize, bool, bool)>,
}

/// The memory of a call's index, kept for the next call's: the service scheduler places
/// services one after the other, each call building trees over every candidate, and building
/// them in fresh memory cost more than the building (the allocator returned the freed trees to
/// the system, so every call's first writes were page faults). Only the capacity is reused.
#[derive(Debug, Clone, Default)]
pub struct IndexMemory {
    #[cfg(feature = "narrow-trees")]
    narrow: Vec<Vec<Node<NARROW>>>,
    wide: Vec<Vec<Node<MAX_CHAIN>>>,
    lists: ListMemory,
}

/// The memory of an index's lists (see [`IndexMemory`]).
#[derive(Debug, Clone, Default)]
struct ListMemory {
    members: Vec<Vec<usize>>,
    slot_of: Vec<Option<(usize, usize)>>,
    marks: Vec<u32>,
}

impl ChainIndex {
    /// Indexes the call's candidates for `chain` (the strategies before the first `random`),
    /// in the memory an earlier call's index left (see [`IndexMemory`]).
    pub fn new(state: &EngineState, chain: &[Strategy], memory: &mut IndexMemory) -> ChainIndex {
        let chain: Vec<Strategy> = chain.iter().take(MAX_CHAIN).cloned().collect();
        let own: Vec<usize> = chain
            .iter()
            .enumerate()
            .filter(|(_, s)| !is_shared(s))
            .map(|(k, _)| k)
            .collect();
        let lists = &mut memory.lists;
        #[cfg(feature = "narrow-trees")]
        if own.len() <= NARROW {
            return ChainIndex::Narrow(Index::new(state, chain, own, &mut memory.narrow, lists));
        }
        ChainIndex::Wide(Index::new(state, chain, own, &mut memory.wide, lists))
    }

    /// Re-reads the instance at scenario index `index` after it received a task.
    pub fn update(&mut self, state: &EngineState, index: usize) {
        match self {
            #[cfg(feature = "narrow-trees")]
            ChainIndex::Narrow(narrow) => narrow.update(state, index),
            ChainIndex::Wide(wide) => wide.update(state, index),
        }
    }

    /// The chosen instance and, per ranking step, how many candidates it kept: exactly what the
    /// scan returns, drawing from `rng` exactly when it does. At least one candidate must pass.
    pub fn choose(&mut self, state: &EngineState, rng: &mut Rng) -> (usize, StepCounts) {
        match self {
            #[cfg(feature = "narrow-trees")]
            ChainIndex::Narrow(narrow) => narrow.choose(state, rng),
            ChainIndex::Wide(wide) => wide.choose(state, rng),
        }
    }

    /// The index of the previous call, for this call's `state` carried over from the previous
    /// call's (see [`EngineState::carried_index`]): the leaves of the `changed` instances are read
    /// again, and the tie marks follow them. The same trees as an index built afresh
    /// (asserted in debug builds), the same draws.
    pub fn carry_over(&mut self, state: &EngineState, changed: &[usize]) {
        match self {
            #[cfg(feature = "narrow-trees")]
            ChainIndex::Narrow(narrow) => narrow.carry_over(state, changed),
            ChainIndex::Wide(wide) => wide.carry_over(state, changed),
        }
    }

    /// Whether both index the same candidates with the same trees (debug builds' check of
    /// [`ChainIndex::carry_over`]).
    pub fn same_trees(&self, other: &ChainIndex) -> bool {
        match (self, other) {
            #[cfg(feature = "narrow-trees")]
            (ChainIndex::Narrow(a), ChainIndex::Narrow(b)) => a.same_trees(b),
            (ChainIndex::Wide(a), ChainIndex::Wide(b)) => a.same_trees(b),
            #[cfg(feature = "narrow-trees")]
            _ => false,
        }
    }

    /// Gives the index's memory back for the next call's (see [`IndexMemory`]).
    pub fn recycle(self, memory: &mut IndexMemory) {
        match self {
            #[cfg(feature = "narrow-trees")]
            ChainIndex::Narrow(narrow) => narrow.recycle(&mut memory.narrow, &mut memory.lists),
            ChainIndex::Wide(wide) => wide.recycle(&mut memory.wide, &mut memory.lists),
        }
    }
}

impl<const W: usize> Index<W> {
    /// Indexes the call's candidates for `chain`, whose own keys (at most `W`) are at
    /// positions `own`, in memory earlier indexes left.
    fn new(
        state: &EngineState,
        chain: Vec<Strategy>,
        own: Vec<usize>,
        nodes: &mut Vec<Vec<Node<W>>>,
        memory: &mut ListMemory,
    ) -> Self {
        let mut groups_by_key = GroupFinder::default();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut slot_of = std::mem::take(&mut memory.slot_of);
        slot_of.clear();
        slot_of.resize(state.instance_count(), None);
        for candidate in &state.candidates {
            let group = groups_by_key.find_or_add(shared_buckets(state, &chain, candidate.index));
            if group == members.len() {
                let mut list = memory.members.pop().unwrap_or_default();
                list.clear();
                members.push(list);
            }
            if let (Some(slot), Some(list)) = (slot_of.get_mut(candidate.index), members.get_mut(group)) {
                *slot = Some((group, list.len()));
                list.push(candidate.index);
            }
        }
        let own_before = std::array::from_fn(|p| own.iter().take_while(|&&k| k < p).count());
        let mut index = Index {
            chain,
            own,
            own_before,
            slot_of,
            groups: Vec::new(),
            bests: Vec::new(),
            tying: Vec::new(),
            listed: Vec::new(),
            stack: Vec::new(),
            marks: None,
            spare_marks: std::mem::take(&mut memory.marks),
            marked: Vec::new(),
        };
        let groups = members
            .into_iter()
            .zip(groups_by_key.keys)
            .map(|(list, buckets)| Group {
                representative: list.first().copied().unwrap_or_default(),
                buckets,
                tree: Tree::new(
                    list,
                    nodes.pop().unwrap_or_default(),
                    |position, i| index.leaf(state, i, position),
                    index.own.len(),
                ),
            })
            .collect();
        index.groups = groups;
        index.fill_bests(state);
        index
    }

    /// [`ChainIndex::carry_over`]. A tree with many changed leaves is recomputed whole (fewer
    /// merges than one path to the root per leaf).
    fn carry_over(&mut self, state: &EngineState, changed: &[usize]) {
        let width = self.own.len();
        let mut per_group = vec![0usize; self.groups.len()];
        for &index in changed {
            if let Some(Some((group, _))) = self.slot_of.get(index) {
                if let Some(count) = per_group.get_mut(*group) {
                    *count += 1;
                }
            }
        }
        let mut marked = std::mem::take(&mut self.marked);
        marked.clear();
        for &index in changed {
            let Some(Some((group, position))) = self.slot_of.get(index).copied() else {
                continue;
            };
            let leaf = self.leaf(state, index, position);
            let count = per_group.get(group).copied().unwrap_or(0);
            let Some(tree) = self.groups.get_mut(group).map(|g| &mut g.tree) else {
                continue;
            };
            if let Some(target) = self.marks.as_ref().and_then(|marks| marks.target(group)) {
                let before = tree.node(tree.size + position);
                marked.push((
                    group,
                    index,
                    before.ties_with(&target, width) > 0,
                    leaf.ties_with(&target, width) > 0,
                ));
            }
            if tree.recomputes_whole(count) {
                tree.put_leaf(position, leaf);
            } else {
                tree.set(position, leaf, width);
            }
        }
        for (group, &count) in self.groups.iter_mut().zip(&per_group) {
            if count > 0 && group.tree.recomputes_whole(count) {
                group.tree.recompute_all(width);
            }
        }
        self.carry_marks_over(&marked);
        self.marked = marked;
        self.fill_bests(state);
    }

    /// The tie marks of the previous call, kept where each group's smallest tuple is still the
    /// one they were taken against (each changed leaf, in `marked` whether it tied with its
    /// group's target before and after, marked or unmarked as [`ChainIndex::update`] does); a
    /// group whose smallest tuple changed is taken again when a draw needs it. Whichever way the
    /// marks go, the draw finds the same tie.
    fn carry_marks_over(&mut self, marked: &[(usize, usize, bool, bool)]) {
        let Some(marks) = self.marks.as_mut() else {
            return;
        };
        for &(group, index, was, is) in marked {
            let Some(tree) = self.groups.get(group).map(|g| &g.tree) else {
                continue;
            };
            let smallest = tree.smallest();
            marks.leaf_changed(group, index, was, is, smallest.as_ref());
        }
    }

    /// [`ChainIndex::same_trees`].
    fn same_trees(&self, other: &Index<W>) -> bool {
        self.slot_of == other.slot_of
            && self.groups.len() == other.groups.len()
            && self.groups.iter().zip(&other.groups).all(|(a, b)| {
                a.representative == b.representative && a.tree.members == b.tree.members && a.tree.nodes == b.tree.nodes
            })
    }

    /// Gives the index's memory back for the next call's.
    fn recycle(self, nodes: &mut Vec<Vec<Node<W>>>, memory: &mut ListMemory) {
        for group in self.groups {
            nodes.push(group.tree.nodes);
            memory.members.push(group.tree.members);
        }
        memory.slot_of = self.slot_of;
        memory.marks = match self.marks {
            Some(marks) => marks.into_counts(),
            None => self.spare_marks,
        };
    }

    /// [`ChainIndex::update`].
    fn update(&mut self, state: &EngineState, index: usize) {
        let Some(Some((group, position))) = self.slot_of.get(index).copied() else {
            return;
        };
        let leaf = self.leaf(state, index, position);
        let width = self.own.len();
        let Some(tree) = self.groups.get_mut(group).map(|g| &mut g.tree) else {
            return;
        };
        let before = *tree.node(tree.size + position);
        tree.set(position, leaf, width);
        if let Some(marks) = self.marks.as_mut()
            && let Some(target) = marks.target(group)
        {
            let smallest = tree.smallest();
            let (was, is) = (before.ties_with(&target, width) > 0, leaf.ties_with(&target, width) > 0);
            marks.leaf_changed(group, index, was, is, smallest.as_ref());
        }
        self.refresh_after(state, group);
    }

    /// The bests of the groups a placement in `group` changed: its own (its tree's root and
    /// its spread counters) and those of the groups sharing one of its spread buckets (with one
    /// spread by attribute in the chain, no other: each group is one bucket).
    fn refresh_after(&mut self, state: &EngineState, group: usize) {
        let shared_positions = self.chain.len() - self.own.len();
        if shared_positions <= 1 {
            self.refresh(state, group);
            return;
        }
        let Some(placed) = self.groups.get(group).map(|g| g.buckets) else {
            return;
        };
        for other in 0..self.groups.len() {
            if self
                .groups
                .get(other)
                .is_some_and(|g| self.share_a_bucket(&g.buckets, &placed))
            {
                self.refresh(state, other);
            }
        }
    }

    /// Whether two groups' buckets are equal at some shared position of the chain.
    fn share_a_bucket(&self, a: &Keys, b: &Keys) -> bool {
        let buckets = a.iter().zip(b);
        self.chain
            .iter()
            .zip(buckets)
            .any(|(strategy, (x, y))| is_shared(strategy) && x == y)
    }

    /// Reads group `group`'s best again.
    fn refresh(&mut self, state: &EngineState, group: usize) {
        let best = self
            .groups
            .get(group)
            .map_or(GroupBest::NONE, |g| self.group_best(state, g));
        if let Some(slot) = self.bests.get_mut(group) {
            *slot = best;
        }
    }

    /// [`ChainIndex::choose`]: one pass over the groups' kept bests (the scan's comparison of
    /// key tuples, a group standing for its candidates), no tree read but the drawn tie's when
    /// a group holds several.
    fn choose(&mut self, state: &EngineState, rng: &mut Rng) -> (usize, StepCounts) {
        let len = self.chain.len();
        debug_assert!(self.bests_are_current(state), "a group's best is stale");
        // Per prefix length `p`, how many candidates share the first `p` keys of the best so
        // far: a group adds its counts for every prefix it shares (they are 0 past the chain).
        let mut sharing = [0u32; MAX_CHAIN + 1];
        let mut best: Option<&GroupBest> = None;
        let mut firsts = SingleTies::default();
        let tying = &mut self.tying;
        tying.clear();
        for (g, group) in self.bests.iter().enumerate().filter(|(_, group)| group.passes()) {
            let shared = best.map_or(0, |b| common_prefix(&group.keys, &b.keys, len));
            let before = best.is_none_or(|b| shared < len && group.keys.get(shared) < b.keys.get(shared));
            for (p, (total, &count)) in sharing.iter_mut().zip(&group.sharing).enumerate() {
                *total = if p <= shared {
                    *total + count
                } else if before {
                    count
                } else {
                    *total
                };
            }
            if before {
                best = Some(group);
                tying.clear();
                firsts = SingleTies::default();
            }
            if before || shared == len {
                tying.push(g);
                firsts.add(group.first, group.ties(len));
            }
        }
        let kept: StepCounts = sharing.iter().skip(1).take(len).map(|&n| n as usize).collect();
        let ties = sharing.get(len).copied().unwrap_or(0);
        let wanted = if ties > 1 { rng.below(u64::from(ties)) as u32 } else { 0 };
        let instance = match firsts.nth(wanted) {
            Some(instance) => {
                debug_assert_eq!(instance, self.nth_tie(wanted), "the single ties disagree");
                instance
            }
            None => self.nth_tie(wanted),
        };
        (instance, kept)
    }

    /// Every group's best (in the memory of the previous ones: a carried-over index fills them
    /// once per call).
    fn fill_bests(&mut self, state: &EngineState) {
        let mut bests = std::mem::take(&mut self.bests);
        bests.clear();
        bests.extend(self.groups.iter().map(|g| self.group_best(state, g)));
        self.bests = bests;
    }

    /// Whether every group's kept best is what it would read now (debug builds' check of
    /// [`Index::refresh_after`]).
    fn bests_are_current(&self, state: &EngineState) -> bool {
        let current = self.groups.iter().map(|g| self.group_best(state, g));
        self.bests.len() == self.groups.len() && self.bests.iter().copied().eq(current)
    }

    /// What the choice reads of a group: its full key tuple (own keys from its root, shared
    /// ones from the spread counters), how many of its candidates share each prefix of it and
    /// its first candidate holding it; [`GroupBest::NONE`] when no candidate of the group passes.
    fn group_best(&self, state: &EngineState, group: &Group<W>) -> GroupBest {
        let root = group.tree.root();
        if root.is_empty() {
            return GroupBest::NONE;
        }
        let mut keys = [0i64; MAX_CHAIN];
        let mut own = root.min.iter();
        for (k, (slot, strategy)) in keys.iter_mut().zip(&self.chain).enumerate() {
            *slot = if is_shared(strategy) {
                state.key(strategy, k, group.representative)
            } else {
                own.next().copied().unwrap_or_default()
            };
        }
        let mut sharing = [0u32; MAX_CHAIN + 1];
        for (count, &own) in sharing.iter_mut().zip(&self.own_before).take(self.chain.len() + 1) {
            *count = root.count(own);
        }
        let first = group.tree.members.get(root.first as usize).copied().unwrap_or_default();
        GroupBest { keys, sharing, first }
    }

    /// The trees of the groups holding the task's best candidates ([`Self::tying`]).
    fn tying_trees(&self) -> impl Iterator<Item = &Tree<W>> + '_ {
        self.tying
            .iter()
            .filter_map(|&g| self.groups.get(g))
            .map(|group| &group.tree)
    }

    /// The `wanted`-th (0-based, scenario order) candidate whose keys all equal the best (the
    /// candidates of the [`Self::tying`] groups that tie with their root).
    fn nth_tie(&mut self, wanted: u32) -> usize {
        let width = self.own.len();
        {
            let mut tying = self.tying_trees();
            match (tying.next(), tying.next()) {
                (Some(only), None) => return only.nth_tie(wanted, width),
                (None, _) => return 0,
                _ => {}
            }
        }
        // Ties in several groups. A few: list them in scenario order. Many (equal instances
        // across zones before any has a task): from the groups' tie marks, else the smallest
        // scenario index with more than `wanted` ties at or below it, by bisection.
        let ties: u32 = self.tying_trees().map(|t| t.root().count(width)).sum();
        if ties <= FEW_TIES {
            let (mut listed, mut stack) = (std::mem::take(&mut self.listed), std::mem::take(&mut self.stack));
            listed.clear();
            for tree in self.tying_trees() {
                tree.collect_ties(width, &mut listed, &mut stack);
            }
            let nth = nth_in_scenario_order(&mut listed, wanted as usize);
            (self.listed, self.stack) = (listed, stack);
            return nth;
        }
        if let Some(index) = self.nth_marked(wanted) {
            debug_assert_eq!(index, self.nth_by_bisection(wanted), "the tie marks disagree");
            return index;
        }
        self.nth_by_bisection(wanted)
    }

    /// The `wanted`-th tie of [`Index::nth_tie`] among several groups, by bisection over
    /// scenario indexes: O(groups · log² n).
    fn nth_by_bisection(&self, wanted: u32) -> usize {
        let width = self.own.len();
        let ties_below = |below: usize| -> u32 { self.tying_trees().map(|tree| tree.ties_below(below, width)).sum() };
        let (mut lo, mut hi) = (0usize, self.slot_of.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if ties_below(mid + 1) > wanted {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// The `wanted`-th tie of [`Index::nth_tie`] read from the groups' marks (see
    /// [`TieMarks`]), taking stale ones again; `None` when there are too many groups or the
    /// ration of retakes is spent (the caller bisects).
    fn nth_marked(&mut self, wanted: u32) -> Option<usize> {
        let width = self.own.len();
        if self.groups.len() > MAX_GROUPS {
            return None;
        }
        let mut tying = [0usize; MAX_GROUPS];
        let mut count = 0;
        for (slot, &group) in tying.iter_mut().zip(&self.tying) {
            *slot = group;
            count += 1;
        }
        let tying = tying.get(..count).unwrap_or_default();
        let (groups, instances) = (self.groups.len(), self.slot_of.len());
        let spare = &mut self.spare_marks;
        let marks = self
            .marks
            .get_or_insert_with(|| TieMarks::new(groups, instances, std::mem::take(spare)));
        marks.credit_query();
        for &group in tying {
            let Some(tree) = self.groups.get(group).map(|g| &g.tree) else {
                continue;
            };
            let target = tree.root().keys();
            if marks.holds(group, &target) {
                continue;
            }
            if !marks.can_retake() {
                return None;
            }
            // The leaves read as one slice beside the members (no bounds check per leaf).
            let leaves = tree.nodes.get(tree.size..).unwrap_or_default();
            let ties = leaves
                .iter()
                .zip(&tree.members)
                .filter(|(leaf, _)| leaf.ties_with(&target, width) > 0)
                .map(|(_, &index)| index);
            marks.retake(group, target, ties);
        }
        Some(marks.nth(tying, wanted))
    }

    /// The leaf of the instance at scenario index `index`, at `position` in its group: its own
    /// keys when it passes.
    fn leaf(&self, state: &EngineState, index: usize, position: usize) -> Node<W> {
        if !state.passes(index) {
            return Node::EMPTY;
        }
        let mut min = [0i64; MAX_CHAIN];
        for (slot, &k) in min.iter_mut().zip(&self.own) {
            if let Some(strategy) = self.chain.get(k) {
                *slot = state.key(strategy, k, index);
            }
        }
        Node::leaf(&min, position)
    }
}

/// The best candidates of a task when each tying group holds one (the usual draw of a spread
/// over zones before binpack: one fullest instance per zone), noted from the groups' bests while
/// they are compared; `nth` then needs no descent, list or sort.
#[derive(Default)]
struct SingleTies {
    /// The tying groups' best instances (scenario indexes), in group order.
    members: [usize; MAX_GROUPS],
    len: usize,
    /// Whether a tying group holds several ties, or more than [`MAX_GROUPS`] groups tie.
    other: bool,
}

impl SingleTies {
    /// Notes a tying group: its first best candidate and how many candidates tie with it.
    fn add(&mut self, first: usize, ties: u32) {
        match self.members.get_mut(self.len) {
            Some(slot) if ties == 1 => {
                *slot = first;
                self.len += 1;
            }
            _ => self.other = true,
        }
    }

    /// The `wanted`-th (0-based) of the ties in scenario order, when every tying group held one;
    /// `None` otherwise (the caller descends the trees).
    fn nth(&mut self, wanted: u32) -> Option<usize> {
        if self.other || wanted as usize >= self.len {
            return None;
        }
        let members = self.members.get_mut(..self.len)?;
        Some(nth_in_scenario_order(members, wanted as usize))
    }
}

/// The groups' spread buckets, in the order the groups were found: a candidate's group is
/// looked for along them while they are few (a group per zone: cheaper than hashing the key
/// for each of the call's candidates), and through a table once they are many.
#[derive(Default)]
struct GroupFinder {
    keys: Vec<Keys>,
    table: Option<FxHashMap<GroupKey, usize>>,
}

/// Groups up to which [`GroupFinder`] looks along the keys.
const FEW_GROUPS: usize = 16;

impl GroupFinder {
    /// The number of the group with spread buckets `key` (the next number for a new key).
    fn find_or_add(&mut self, key: Keys) -> usize {
        let next = self.keys.len();
        let found = match &mut self.table {
            Some(table) => *table.entry(GroupKey(key)).or_insert(next),
            None => self.keys.iter().position(|k| equal_keys(k, &key)).unwrap_or(next),
        };
        if found == next {
            self.keys.push(key);
            if self.table.is_none() && self.keys.len() > FEW_GROUPS {
                let numbered = self.keys.iter().enumerate().map(|(group, &k)| (GroupKey(k), group));
                self.table = Some(numbered.collect());
            }
        }
        found
    }
}

/// A group's spread buckets as a table key, compared by [`equal_keys`] (hashed as the array,
/// which equal keys hash alike).
struct GroupKey(Keys);

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        equal_keys(&self.0, &other.0)
    }
}

impl Eq for GroupKey {}

impl std::hash::Hash for GroupKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// Whether a strategy's key is shared by every instance of an attribute value.
fn is_shared(strategy: &Strategy) -> bool {
    matches!(strategy, Strategy::Spread(SpreadField::Attribute(_)))
}

/// The spread buckets an instance falls in, for the chain's shared positions (0 elsewhere).
fn shared_buckets(state: &EngineState, chain: &[Strategy], index: usize) -> Keys {
    let mut buckets = [0i64; MAX_CHAIN];
    for (k, (slot, strategy)) in buckets.iter_mut().zip(chain).enumerate() {
        if is_shared(strategy) {
            *slot = state.bucket(k, index).map_or(-1, |b| b as i64);
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::{FEW_GROUPS, GroupFinder, Keys, MAX_GROUPS, Node, SingleTies, Tree};

    fn key(n: i64) -> Keys {
        [n, -1, 2 * n, 0, 0]
    }

    #[test]
    fn groups_are_numbered_in_the_order_found_before_and_after_the_table() {
        let mut finder = GroupFinder::default();
        let many = FEW_GROUPS as i64 * 3;
        for n in 0..many {
            assert_eq!(
                finder.find_or_add(key(n)),
                n as usize,
                "a new key takes the next number"
            );
            assert_eq!(
                finder.find_or_add(key(n / 2)),
                (n / 2) as usize,
                "a known key keeps its number"
            );
        }
        assert!(finder.table.is_some(), "many groups are found through a table");
        for n in (0..many).rev() {
            assert_eq!(finder.find_or_add(key(n)), n as usize);
        }
        assert_eq!(finder.keys.len(), many as usize);
    }

    /// A tree of `leaves` built from scratch: what every update must leave.
    fn built(leaves: &[Node<2>], width: usize) -> Tree<2> {
        let members = (0..leaves.len()).collect();
        Tree::new(members, Vec::new(), |position, _| leaves[position], width)
    }

    #[test]
    fn single_ties_are_drawn_in_scenario_order() {
        let mut ties = SingleTies::default();
        for first in [40, 7, 19, 3] {
            ties.add(first, 1);
        }
        let drawn: Vec<Option<usize>> = (0..5).map(|n| ties.nth(n)).collect();
        assert_eq!(drawn, [Some(3), Some(7), Some(19), Some(40), None]);
        ties.add(11, 2);
        assert_eq!(ties.nth(0), None, "a group holding two ties needs its tree");
        let mut full = SingleTies::default();
        for first in 0..=MAX_GROUPS {
            full.add(first, 1);
        }
        assert_eq!(full.nth(0), None, "more groups than it holds");
    }

    #[test]
    fn updates_leave_the_tree_a_fresh_build_would_make() {
        for width in [1, 2] {
            let leaf = |first: i64, second: i64, position: usize| Node::leaf(&[first, second, 0, 0, 0], position);
            // Six members (two padding leaves), one not passing: paths above empty siblings.
            let mut leaves: Vec<Node<2>> = (0..6).map(|p| leaf(100, 7, p)).collect();
            leaves[3] = Node::EMPTY;
            let mut tree = built(&leaves, width);
            // New smallest first keys (the direct path; leaves 0 and 4 lowered again while
            // they are their tree's sole smallest), ties and larger keys (merging), a leaf
            // that stops passing and one that passes again below every other.
            let updates = [
                (0, Some((90, 7))),
                (0, Some((80, 9))),
                (5, Some((80, 9))),
                (4, Some((10, 1))),
                (4, Some((5, 1))),
                (4, None),
                (2, Some((200, 0))),
                (3, Some((1, 3))),
                (1, Some((1, 2))),
                (1, Some((0, 2))),
            ];
            for (position, keys) in updates {
                let node = keys.map_or(Node::EMPTY, |(first, second)| leaf(first, second, position));
                leaves[position] = node;
                tree.set(position, node, width);
                assert_eq!(
                    tree.nodes,
                    built(&leaves, width).nodes,
                    "width {width}, leaf {position}"
                );
            }
        }
    }
}
