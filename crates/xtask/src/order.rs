//! The module's functions in an order gzip compresses better: alike functions side by side.
//!
//! rustc and wasm-opt leave a function where its crate and its caller put it, so the copies of
//! one generic function for different types (a derived reader, a `Vec`'s growth, a map's
//! insertion), which are nearly the same bytes, lie far apart: farther than the 32 KB gzip looks
//! back. Sorting the functions by their signature and then by their instructions (what
//! `wasm-dis` prints, names and numbers left out) puts them side by side; then, among the
//! functions of one signature, each is followed by the most alike of the next ones (the most
//! runs of four instructions in common, names left out). Only the order of the functions changes: wasm-opt
//! numbers them again and every call, export and table entry names the function it named
//! before, so the module does exactly what it did.

/// How many of the next functions (in sorted order) are compared to pick the one that follows:
/// more finds closer pairs but costs time (the square of it for one signature). 4,096 is more
/// than any signature of the playground's module has (the largest about 2,000 functions), so
/// each function is followed by the most alike of all the rest (1,024 left the module 575 bytes
/// larger gzipped, 512 1,270, measured when the runs left numbers out); sorting takes a second
/// or two.
const CANDIDATES: usize = 4096;

/// How many instructions (lines of text) make one of the runs functions are compared by.
const RUN: usize = 4;

/// Sorts the functions of a module in binaryen's text format (as `wasm-dis` prints it: one
/// top-level form per line starting with ` (`, the module's closing `)` alone on the last line)
/// by their signature (what they return first), then their instructions without names and
/// numbers, then their whole text; then, within a signature, each function followed by the most
/// alike of the next [`CANDIDATES`]. The other forms (imports, tables, data, exports) stay where
/// they are. `None` when the text is not laid out that way.
pub fn sort_functions(wat: &str) -> Option<String> {
    let mut lines = wat.lines();
    let first = lines.next()?;
    if !first.starts_with("(module") {
        return None;
    }
    let mut forms: Vec<Vec<&str>> = Vec::new();
    for line in lines {
        if line.starts_with(" (") || line == ")" {
            forms.push(vec![line]);
        } else {
            forms.last_mut()?.push(line);
        }
    }
    let mut functions: Vec<Function<'_>> = forms
        .iter()
        .filter(|form| is_function(form))
        .map(|form| Function::new(form))
        .collect();
    functions.sort_by(|a, b| a.key.cmp(&b.key));
    let mut sorted = chain_alike(functions).into_iter();
    let mut out = String::with_capacity(wat.len());
    out.push_str(first);
    out.push('\n');
    for form in &forms {
        let form = if is_function(form) { sorted.next()? } else { form };
        for line in form {
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

/// A function defined in the module (imported ones are `(import ... (func ...))` forms).
fn is_function(form: &[&str]) -> bool {
    form.first().is_some_and(|line| line.starts_with(" (func "))
}

/// A function's text, where it sorts, and the runs of instructions it is compared by.
struct Function<'a> {
    form: &'a [&'a str],
    key: (String, String, String, String),
    runs: Vec<u64>,
}

impl<'a> Function<'a> {
    fn new(form: &'a [&'a str]) -> Self {
        Function {
            form,
            key: sort_key(form),
            runs: runs(form),
        }
    }

    /// The same signature (what it returns and takes).
    fn same_signature(&self, other: &Function<'_>) -> bool {
        self.key.0 == other.key.0 && self.key.1 == other.key.1
    }
}

/// The functions (sorted) in the same order, except that within one signature each is followed
/// by the most alike of the next [`CANDIDATES`] (the first of them when several are as alike).
fn chain_alike(sorted: Vec<Function<'_>>) -> Vec<&[&str]> {
    let mut out = Vec::with_capacity(sorted.len());
    let mut rest = sorted.into_iter().peekable();
    while let Some(first) = rest.next() {
        let mut group = Vec::new();
        while let Some(next) = rest.next_if(|next| next.same_signature(&first)) {
            group.push(next);
        }
        let mut current = first;
        loop {
            let best = group.iter().take(CANDIDATES).enumerate().fold(
                None,
                |best: Option<(usize, Likeness)>, (index, candidate)| {
                    let likeness = Likeness::of(&current.runs, &candidate.runs);
                    match best {
                        Some((_, best_likeness)) if !likeness.beats(best_likeness) => best,
                        _ => Some((index, likeness)),
                    }
                },
            );
            out.push(current.form);
            match best {
                Some((index, _)) => current = group.remove(index),
                None => break,
            }
        }
    }
    out
}

/// How alike two functions are: the runs they have in common over the runs either has (the
/// Jaccard index), kept as a fraction.
#[derive(Clone, Copy)]
struct Likeness {
    common: usize,
    either: usize,
}

impl Likeness {
    fn of(a: &[u64], b: &[u64]) -> Self {
        let (mut i, mut j, mut common) = (0, 0, 0);
        while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Likeness {
            common,
            either: a.len() + b.len() - common,
        }
    }

    /// More alike than `other` (`common / either` larger; nothing in either counts as 0).
    fn beats(self, other: Likeness) -> bool {
        self.common * other.either.max(1) > other.common * self.either.max(1)
    }
}

/// The runs of [`RUN`] instructions of a function (its body's lines without names and
/// indentation, hashed; numbers kept: functions with the same constants and offsets compress
/// better together, 923 bytes on the playground's module), sorted, each once; a body shorter
/// than a run is one run.
fn runs(form: &[&str]) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let lines: Vec<String> = form
        .iter()
        .skip(1)
        .map(|line| without_names(line).trim().to_string())
        .collect();
    let mut runs: Vec<u64> = lines
        .windows(RUN.min(lines.len()).max(1))
        .map(|run| {
            let mut hasher = std::hash::DefaultHasher::new();
            run.hash(&mut hasher);
            hasher.finish()
        })
        .collect();
    runs.sort_unstable();
    runs.dedup();
    runs
}

/// What the function returns, its signature (the first line without the function's name), its
/// instructions without names and numbers, and its body as it is (so that the order does not
/// depend on the input's).
fn sort_key(form: &[&str]) -> (String, String, String, String) {
    let (first, body) = form.split_first().map_or(("", &[][..]), |(first, body)| (*first, body));
    let signature = first.strip_prefix(" (func ").map_or("", |rest| {
        rest.split_once(' ').map_or("", |(_name, signature)| signature)
    });
    let result = signature
        .find("(result")
        .and_then(|start| signature.get(start..))
        .unwrap_or("");
    let body = body.join("\n");
    (
        result.to_string(),
        signature.to_string(),
        without_names_and_numbers(&body),
        body,
    )
}

/// `text` without `$names` (up to the next white space).
fn without_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '$' {
            for next in chars.by_ref() {
                if next.is_whitespace() {
                    out.push(next);
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` without `$names` (up to the next white space) and without numbers (with their sign).
fn without_names_and_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => while chars.next_if(|next| !next.is_whitespace()).is_some() {},
            '-' if chars.peek().is_some_and(char::is_ascii_digit) => {}
            _ if c.is_ascii_digit() => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "(module
 (type $0 (func (param i32)))
 (import \"env\" \"f\" (func $fimport$0 (param i32)))
 (func $2 (param $0 i32) (result i32)
  (i32.add
   (local.get $0)
   (i32.const 7)
  )
 )
 (func $1 (param $0 i32)
  (call $2
   (i32.const -1)
  )
 )
 (func $0 (param $0 i32) (result i32)
  (i32.add
   (local.get $0)
   (i32.const 3)
  )
 )
 (export \"main\" (func $1))
)
";

    /// The names of a module text's functions, in order.
    fn function_names(module: &str) -> Vec<&str> {
        module
            .lines()
            .filter_map(|line| line.strip_prefix(" (func "))
            .filter_map(|rest| rest.split(' ').next())
            .collect()
    }

    #[test]
    fn functions_alike_end_up_side_by_side_and_nothing_else_moves() {
        let sorted = sort_functions(MODULE).expect("a module");
        let names = function_names(&sorted);
        // The function that returns nothing, then the two alike ones (the same instructions but
        // for a constant).
        assert_eq!(names, ["$1", "$0", "$2"]);
        assert_eq!(sorted.lines().count(), MODULE.lines().count());
        let mut before: Vec<&str> = MODULE.lines().collect();
        let mut after: Vec<&str> = sorted.lines().collect();
        before.sort_unstable();
        after.sort_unstable();
        assert_eq!(before, after, "the same lines, in another order");
        assert!(sorted.lines().nth(2).is_some_and(|line| line.starts_with(" (import")));
        assert!(sorted.ends_with(" (export \"main\" (func $1))\n)\n"));
    }

    #[test]
    fn within_a_signature_each_function_is_followed_by_the_most_alike() {
        let function = |name: &str, lines: &[&str]| {
            let mut text = format!(" (func ${name} (param $0 i32)\n");
            for line in lines {
                text.push_str(&format!("  {line}\n"));
            }
            text + " )\n"
        };
        let alike = ["(a)", "(b)", "(c)", "(d)", "(e)"];
        let module = [
            "(module\n".to_string(),
            function("first", &alike),
            function("other", &["(a)", "(z)", "(y)", "(x)", "(w)"]),
            function("twin", &["(b)", "(b)", "(c)", "(d)", "(e)"]),
            ")\n".to_string(),
        ]
        .concat();
        let sorted = sort_functions(&module).expect("a module");
        let names = function_names(&sorted);
        // Sorted by instructions alone, `other` ((a) (z)...) would follow `first` ((a) (b)...);
        // `twin` has a run of four in common with it, `other` none.
        assert_eq!(names, ["$first", "$twin", "$other"]);
    }

    #[test]
    fn likeness_is_the_share_of_runs_in_common() {
        let half = Likeness::of(&[1, 2, 3], &[2, 3, 4]);
        assert_eq!((half.common, half.either), (2, 4));
        assert!(half.beats(Likeness::of(&[1], &[2])));
        assert!(!Likeness::of(&[], &[]).beats(Likeness::of(&[], &[])));
    }

    #[test]
    fn the_order_does_not_depend_on_the_input_order() {
        let sorted = sort_functions(MODULE).expect("a module");
        assert_eq!(sort_functions(&sorted).as_deref(), Some(sorted.as_str()));
    }

    #[test]
    fn text_in_another_layout_is_left_alone() {
        assert_eq!(sort_functions("(func $0)"), None);
        assert_eq!(sort_functions("(module\n  (func $0)\n)"), None);
    }

    #[test]
    fn names_are_left_out_of_the_runs() {
        assert_eq!(
            without_names("(call $foo::bar<u8>\n (i32.const -12) $x"),
            "(call \n (i32.const -12) "
        );
    }

    #[test]
    fn names_and_numbers_are_left_out_of_the_comparison() {
        assert_eq!(
            without_names_and_numbers("(call $foo::bar<u8>\n (i32.const -12)\n (local.get $3))"),
            "(call \n (i.const )\n (local.get "
        );
    }
}
