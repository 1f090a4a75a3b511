//! "Did you mean ...?" suggestions by edit distance.

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-sensitive.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for (i, slot) in rows.iter_mut().step_by(width).enumerate() {
        *slot = i;
    }
    for (j, slot) in rows.iter_mut().take(width).enumerate() {
        *slot = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a.get(i - 1) != b.get(j - 1));
            let get = |i, j| rows.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let mut best = (get(i - 1, j) + 1).min(get(i, j - 1) + 1).min(get(i - 1, j - 1) + cost);
            let transposed = i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1);
            if transposed {
                best = best.min(get(i - 2, j - 2) + 1);
            }
            if let Some(slot) = rows.get_mut(at(i, j)) {
                *slot = best;
            }
        }
    }
    rows.last().copied().unwrap_or(0)
}

/// The candidate closest to `name`: an exact case-insensitive match first, then the smallest edit
/// distance within `max(2, len / 3)`.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    nearest(name, candidates)
        .filter(|(_, distance)| *distance <= limit)
        .map(|(c, _)| c)
}

/// Names longer than this are compared with nothing: every name a suggestion could be is far
/// shorter (attribute names have at most 128 characters), and the comparison's cost grows with
/// the length.
pub const MAX_COMPARED: usize = 256;

/// The nearest candidate whatever the distance (case-insensitive equality counts as distance 0).
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    if name.len() > MAX_COMPARED {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let distance = if c.to_ascii_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &c.to_ascii_lowercase())
            };
            (c, distance)
        })
        .min_by_key(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_prefers_case_insensitive_match() {
        let fields = ["agentConnected", "agentVersion"];
        assert_eq!(closest("agentconnected", fields), Some("agentConnected"));
        assert_eq!(closest("agentVersoin", fields), Some("agentVersion"));
        assert_eq!(closest("zzz", fields), None);
        assert_eq!(closest(&"agentVersion".repeat(1_000_000), fields), None);
    }
}
