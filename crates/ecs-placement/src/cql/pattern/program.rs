//! Compiles a parsed pattern into the instructions of a Thompson NFA, which the matcher runs.
//!
//! Counted repetitions are written out (`a{2,3}` is `a a a?`), so the program is capped at
//! [`MAX_INSTRUCTIONS`]: a pattern such as `(a{1000}){1000}` is rejected while it is being
//! compiled, before it takes the memory.

use super::syntax::{CharSet, Look, Node, Repeat};

/// The most instructions a pattern may compile to.
pub(super) const MAX_INSTRUCTIONS: usize = 5_000;

/// One step of the program.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Instruction {
    /// Consume one character of the set, then go on with the next instruction.
    Consume(CharSet),
    /// Go on with the next instruction only where the assertion holds.
    Assert(Look),
    /// Go on with both instructions.
    Split(usize, usize),
    /// Go on with the instruction.
    Jump(usize),
    /// The pattern matched.
    Match,
}

/// Compiles `tree`, or says that it is too large.
pub(super) fn compile(tree: &Node) -> Result<Vec<Instruction>, String> {
    let mut compiler = Compiler { program: Vec::new() };
    compiler.emit(tree)?;
    compiler.push(Instruction::Match)?;
    Ok(compiler.program)
}

/// The program being written.
struct Compiler {
    program: Vec<Instruction>,
}

impl Compiler {
    /// Appends `instruction` and returns its index.
    fn push(&mut self, instruction: Instruction) -> Result<usize, String> {
        if self.program.len() >= MAX_INSTRUCTIONS {
            return Err(format!(
                "invalid regular expression: the pattern is too large once its counted repetitions are written out (over {MAX_INSTRUCTIONS} steps); use smaller counts, or `*` and `+`"
            ));
        }
        self.program.push(instruction);
        Ok(self.program.len() - 1)
    }

    /// Replaces the placeholder at `index` once its targets are known.
    fn patch(&mut self, index: usize, instruction: Instruction) {
        if let Some(slot) = self.program.get_mut(index) {
            *slot = instruction;
        }
    }

    fn emit(&mut self, node: &Node) -> Result<(), String> {
        match node {
            Node::Set(set) => self.push(Instruction::Consume(set.clone())).map(drop),
            Node::Look(look) => self.push(Instruction::Assert(*look)).map(drop),
            Node::Concat(items) => items.iter().try_for_each(|item| self.emit(item)),
            Node::Alternation(branches) => self.alternation(branches),
            Node::Repeat(repeat) => self.repeat(repeat),
        }
    }

    /// `split(branch, next) branch jump(end)` for every branch but the last.
    fn alternation(&mut self, branches: &[Node]) -> Result<(), String> {
        let Some((last, others)) = branches.split_last() else {
            return Ok(());
        };
        let mut exits = Vec::new();
        for branch in others {
            let split = self.push(Instruction::Jump(0))?;
            self.emit(branch)?;
            exits.push(self.push(Instruction::Jump(0))?);
            self.patch(split, Instruction::Split(split + 1, self.program.len()));
        }
        self.emit(last)?;
        let end = self.program.len();
        for exit in exits {
            self.patch(exit, Instruction::Jump(end));
        }
        Ok(())
    }

    fn repeat(&mut self, repeat: &Repeat) -> Result<(), String> {
        let node = &repeat.node;
        match repeat.max {
            None if repeat.min > 0 => {
                self.copies(node, repeat.min - 1)?;
                self.one_or_more(node)
            }
            None => self.zero_or_more(node),
            Some(max) => {
                self.copies(node, repeat.min)?;
                (repeat.min..max).try_for_each(|_| self.optional(node))
            }
        }
    }

    /// `node` `count` times; once is enough when it compiles to nothing (`(){1000}`).
    fn copies(&mut self, node: &Node, count: u32) -> Result<(), String> {
        for _ in 0..count {
            let before = self.program.len();
            self.emit(node)?;
            if self.program.len() == before {
                break;
            }
        }
        Ok(())
    }

    /// `start: node split(start, next)`.
    fn one_or_more(&mut self, node: &Node) -> Result<(), String> {
        let start = self.program.len();
        self.emit(node)?;
        let split = self.program.len();
        self.push(Instruction::Split(start, split + 1)).map(drop)
    }

    /// `start: split(body, end) body: node jump(start) end:`.
    fn zero_or_more(&mut self, node: &Node) -> Result<(), String> {
        let start = self.push(Instruction::Jump(0))?;
        self.emit(node)?;
        self.push(Instruction::Jump(start))?;
        self.patch(start, Instruction::Split(start + 1, self.program.len()));
        Ok(())
    }

    /// `split(body, end) body: node end:`.
    fn optional(&mut self, node: &Node) -> Result<(), String> {
        let split = self.push(Instruction::Jump(0))?;
        self.emit(node)?;
        self.patch(split, Instruction::Split(split + 1, self.program.len()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax::parse;
    use super::*;

    fn program(pattern: &str) -> Result<Vec<Instruction>, String> {
        compile(&parse(pattern)?)
    }

    #[test]
    fn counted_repetition_is_written_out() {
        let Ok(compiled) = program("x{2,3}") else {
            panic!("x{{2,3}} compiles");
        };
        let x = compiled.first().cloned().unwrap();
        assert!(matches!(x, Instruction::Consume(_)));
        assert_eq!(
            compiled,
            vec![x.clone(), x.clone(), Instruction::Split(3, 4), x, Instruction::Match]
        );
    }

    #[test]
    fn loops_and_branches() {
        let compiled = program("a*|b+").unwrap();
        let (a, b) = (compiled.get(2).cloned().unwrap(), compiled.get(5).cloned().unwrap());
        assert_eq!(
            compiled,
            vec![
                Instruction::Split(1, 5),
                Instruction::Split(2, 4),
                a,
                Instruction::Jump(1),
                Instruction::Jump(7),
                b,
                Instruction::Split(5, 7),
                Instruction::Match,
            ]
        );
    }

    #[test]
    fn large_programs_are_rejected_before_they_are_built() {
        assert_eq!(program("a{4999}").map(|p| p.len()), Ok(5_000));
        for hostile in [
            "a{5000}",
            "(a{1000}){1000}",
            "((a{1000}){1000}){1000}",
            "a{0,4294967295}",
            "(a|b|c){2000}",
        ] {
            let error = program(hostile).unwrap_err();
            assert!(error.contains("the pattern is too large"), "{hostile}: {error}");
        }
    }

    #[test]
    fn repeating_nothing_stays_small() {
        assert_eq!(program("(){4294967295}").unwrap(), vec![Instruction::Match]);
        assert_eq!(
            program("((){4294967295}){4294967295}").unwrap(),
            vec![Instruction::Match]
        );
        assert_eq!(
            program("(?:){3,}").unwrap(),
            vec![Instruction::Split(0, 1), Instruction::Match]
        );
    }
}
