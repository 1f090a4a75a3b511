//! Sorting and ordered collections without a sort per element type. The standard library's
//! stable sort (also behind `collect::<BTreeMap<_, _>>()` and `collect::<BTreeSet<_>>()`) is
//! compiled once per element type and comparison, about 4.5 KB of WebAssembly each; these
//! helpers give the same results with one sort of indices shared by every caller, or with
//! inserts, whose code each map or set type already has.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, keeping equal items in their order: what `slice::sort_by`
/// gives.
pub(crate) fn sort_stable_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let slice = items.as_slice();
        stable_order(slice.len(), &|a, b| match (slice.get(a), slice.get(b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        })
    };
    permute(items, &order);
}

/// Puts `items` in `order` (`order[k]`: the index of the item that goes to place `k`) by swaps
/// along the permutation's cycles: code per element type only, where moving them out and back
/// compiled per element type and comparison.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; order.len()];
    for start in 0..order.len() {
        let mut place = start;
        while let Some(done @ false) = placed.get_mut(place) {
            *done = true;
            let Some(&from) = order.get(place) else {
                break;
            };
            if from == start || from >= items.len() {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// Sorts `items` by `key`, keeping items of equal keys in their order: what
/// `slice::sort_by_key` gives.
pub(crate) fn sort_stable_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_stable_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..len` in the stable order of `compare` (one sort, compiled once).
#[inline(never)]
pub(crate) fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// A set of the items: what `collect::<BTreeSet<_>>()` gives.
pub(crate) fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// A map of the entries, a later entry replacing the value of an earlier one with the same key:
/// what `collect::<BTreeMap<_, _>>()` gives.
pub(crate) fn map_of<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in entries {
        map.insert(key, value);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_library(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut ours = items.clone();
            sort_stable_by_key(&mut ours, |(key, _)| *key);
            let mut theirs = items.clone();
            theirs.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(&ours, &theirs);
            let mut ours = items.clone();
            sort_stable_by(&mut ours, |a, b| a.0.cmp(&b.0).reverse());
            let mut theirs = items.clone();
            theirs.sort_by(|a, b| a.0.cmp(&b.0).reverse());
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn collects_like_the_standard_library(items in proptest::collection::vec((0u8..12, any::<u16>()), 0..60)) {
            prop_assert_eq!(set_of(items.iter().map(|(k, _)| *k)), items.iter().map(|(k, _)| *k).collect::<BTreeSet<_>>());
            prop_assert_eq!(map_of(items.iter().copied()), items.iter().copied().collect::<BTreeMap<_, _>>());
        }
    }
}
