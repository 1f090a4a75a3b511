//! The module's functions in an order gzip compresses better: alike functions side by side.
//!
//! rustc and wasm-opt leave a function where its crate and its caller put it, so the copies of
//! one generic function for different types (a derived reader, a `Vec`'s growth, a map's
//! insertion), which are nearly the same bytes, lie far apart: farther than the 32 KB gzip looks
//! back. Sorting the functions by their signature and then by their instructions (what
//! `wasm-dis` prints, names and numbers left out) puts them side by side. Only the order of the
//! functions changes: `wasm-as` numbers them again and every call, export and table entry names
//! the function it named before, so the module does exactly what it did.

/// Sorts the functions of a module in binaryen's text format (as `wasm-dis` prints it: one
/// top-level form per line starting with ` (`, the module's closing `)` alone on the last line)
/// by their signature (what they return first), then their instructions without names and
/// numbers, then their whole text. The other forms (imports, tables, data, exports) stay where
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
    let mut functions: Vec<&Vec<&str>> = forms.iter().filter(|form| is_function(form)).collect();
    functions.sort_by_cached_key(|form| sort_key(form));
    let mut sorted = functions.into_iter();
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

    #[test]
    fn functions_alike_end_up_side_by_side_and_nothing_else_moves() {
        let sorted = sort_functions(MODULE).expect("a module");
        let names: Vec<&str> = sorted
            .lines()
            .filter_map(|line| line.strip_prefix(" (func "))
            .filter_map(|rest| rest.split(' ').next())
            .collect();
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
    fn names_and_numbers_are_left_out_of_the_comparison() {
        assert_eq!(
            without_names_and_numbers("(call $foo::bar<u8>\n (i32.const -12)\n (local.get $3))"),
            "(call \n (i.const )\n (local.get "
        );
    }
}
