//! Runs a compiled program over a value (a Pike VM without captures): whether the pattern matches
//! the whole value.
//!
//! Every thread of the NFA advances in step over the value's characters, and a position holds each
//! instruction at most once, so the time is at most the value's length times the program's size:
//! no pattern makes it backtrack (`(a*)*b` against a long run of `a` answers at once).

use super::program::Instruction;

/// True when `program` matches the whole of `value`.
pub(super) fn is_match(program: &[Instruction], value: &str) -> bool {
    let mut threads = Threads {
        program,
        seen: vec![0; program.len()],
        generation: 1,
        pending: Vec::new(),
    };
    let mut chars = value.chars();
    let mut after = chars.next();
    let mut current = Vec::new();
    threads.add(&mut current, 0, None, after);
    let mut next = Vec::new();
    while let Some(c) = after {
        after = chars.next();
        threads.generation += 1;
        next.clear();
        for &index in &current {
            if matches!(program.get(index), Some(Instruction::Consume(set)) if set.contains(c)) {
                threads.add(&mut next, index + 1, Some(c), after);
            }
        }
        std::mem::swap(&mut current, &mut next);
        if current.is_empty() {
            return false;
        }
    }
    current
        .iter()
        .any(|&index| matches!(program.get(index), Some(Instruction::Match)))
}

/// The threads at one position of the value.
struct Threads<'a> {
    program: &'a [Instruction],
    /// The generation (position) at which each instruction was last reached.
    seen: Vec<usize>,
    generation: usize,
    /// Instructions still to follow while adding a thread.
    pending: Vec<usize>,
}

impl Threads<'_> {
    /// Adds to `list` the instructions that consume a character or match, reachable from `start`
    /// without consuming one, at the position between `before` and `after`.
    fn add(&mut self, list: &mut Vec<usize>, start: usize, before: Option<char>, after: Option<char>) {
        self.pending.push(start);
        while let Some(index) = self.pending.pop() {
            match self.seen.get_mut(index) {
                Some(seen) if *seen != self.generation => *seen = self.generation,
                _ => continue,
            }
            match self.program.get(index) {
                Some(Instruction::Jump(target)) => self.pending.push(*target),
                Some(Instruction::Split(first, second)) => self.pending.extend([*second, *first]),
                Some(Instruction::Assert(look)) if look.holds(before, after) => self.pending.push(index + 1),
                Some(Instruction::Consume(_) | Instruction::Match) => list.push(index),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Pattern;

    #[test]
    fn nested_stars_do_not_backtrack() {
        let long = "a".repeat(20_000);
        let pattern = Pattern::compile("(a*)*b").unwrap();
        assert!(!pattern.is_match(&long));
        assert!(pattern.is_match(&format!("{long}b")));
        let pattern = Pattern::compile("(a|aa)+c").unwrap();
        assert!(!pattern.is_match(&long));
        let pattern = Pattern::compile("(.*a){20}").unwrap();
        assert!(pattern.is_match(&long) && !pattern.is_match(&"a".repeat(19)));
    }

    #[test]
    fn optional_copies_then_required_ones() {
        let pattern = Pattern::compile("(a?){30}a{30}").unwrap();
        assert!(pattern.is_match(&"a".repeat(30)));
        assert!(pattern.is_match(&"a".repeat(60)));
        assert!(!pattern.is_match(&"a".repeat(61)));
    }

    #[test]
    fn loops_over_empty_matches_end() {
        let pattern = Pattern::compile("(a?)*(^)*($)+(\\b|\\B)*").unwrap();
        assert!(pattern.is_match("aaa") && pattern.is_match(""));
        assert!(!pattern.is_match("ab"));
    }

    #[test]
    fn a_value_the_pattern_leaves_early_is_rejected() {
        let pattern = Pattern::compile("ab").unwrap();
        assert!(!pattern.is_match("ba") && !pattern.is_match("abc") && !pattern.is_match("a"));
    }
}
