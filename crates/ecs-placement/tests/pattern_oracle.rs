//! Differential property tests of the CQL pattern engine (`=~` / `!~`) against `regex-lite`, the
//! engine it replaced: on random patterns both accept, the two agree on every random value; and
//! they accept the same patterns, but for the deliberate differences listed in
//! [`deliberate_difference`].

use ecs_placement::cql::pattern::Pattern;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;

/// What regex-lite says: `None` when it rejects the pattern.
fn oracle(pattern: &str) -> Option<regex_lite::Regex> {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok()
}

/// Where the playground deliberately differs from regex-lite on acceptance (following Java):
/// - a quantifier right after another (`a**`, `a{2}*`) is an error, as in Java; regex-lite
///   repeats the repetition;
/// - a `)` that closes no group is an error, as in Java; regex-lite accepted `a)(b` because it
///   closed its own `^(?:` wrapper (the pattern then no longer had to match the whole value);
/// - a quantifier after a flag directive (`a(?i)*`) has nothing to repeat, as in Java; regex-lite
///   repeats the atom before the directive;
/// - a possessive quantifier (`a*+`) is named as a Java construct the engine cannot run (as
///   before, when a scan ahead of regex-lite rejected it); regex-lite repeats the repetition;
/// - a flag named twice (`(?ii)`) is accepted, as in Java; regex-lite rejects it;
/// - under `(?i)`, a class range may start or end with an escaped letter (`(?i)[\x41-a]`), as in
///   Java; regex-lite rejects it (it folds the escape into a two-letter class first).
fn deliberate_difference(pattern: &str, ours: &Result<Pattern, String>, theirs_accepts: bool) -> bool {
    match ours {
        Err(message) if theirs_accepts => {
            message.contains("follows another quantifier")
                || message.contains("closes a group that was never opened")
                || (message.contains("has nothing before it to repeat") && pattern.contains("(?"))
                || message.starts_with("the possessive quantifier")
        }
        Ok(_) if !theirs_accepts => {
            has_a_repeated_flag(pattern)
                || (pattern.contains("(?i") && (pattern.contains("\\x41-") || pattern.contains("-\\x41")))
        }
        _ => false,
    }
}

/// True when a flag group such as `(?ii)` or `(?i-i:` names a flag twice.
fn has_a_repeated_flag(pattern: &str) -> bool {
    pattern.split("(?").skip(1).any(|rest| {
        let flags: Vec<char> = rest
            .chars()
            .take_while(|c| !matches!(c, ':' | ')'))
            .filter(|c| *c != '-')
            .collect();
        flags
            .iter()
            .enumerate()
            .any(|(i, c)| flags.iter().skip(i + 1).any(|d| d == c))
    })
}

/// Checks acceptance and, when both accept, every value.
fn agree(pattern: &str, values: &[String]) -> Result<(), TestCaseError> {
    let ours = Pattern::compile(pattern);
    let theirs = oracle(pattern);
    if ours.is_ok() != theirs.is_some() {
        prop_assert!(
            deliberate_difference(pattern, &ours, theirs.is_some()),
            "{pattern:?}: ours {:?}, regex-lite accepts: {}",
            ours.as_ref().err(),
            theirs.is_some()
        );
        return Ok(());
    }
    if let (Ok(ours), Some(theirs)) = (ours, theirs) {
        for value in values {
            prop_assert_eq!(
                ours.is_match(value),
                theirs.is_match(value),
                "{:?} on {:?}",
                pattern,
                value
            );
        }
    }
    Ok(())
}

/// A character, escape, dot, shorthand class or assertion.
fn atom() -> impl Strategy<Value = String> {
    let simple = select(vec![
        "a", "b", "A", "1", "-", "_", " ", "é", ".", "\\.", "\\-", "\\n", "\\t", "\\x41", "\\u00e9", "\\d", "\\D",
        "\\w", "\\W", "\\s", "\\S", "^", "$", "\\b", "\\B", "\\A", "\\z", "}", "]",
    ])
    .prop_map(String::from);
    prop_oneof![4 => simple, 1 => class()]
}

/// A bracketed class of characters, ranges, escapes and shorthand classes.
fn class() -> impl Strategy<Value = String> {
    let item = select(vec![
        "a", "b", "A", "1", "-", "_", " ", "é", ".", "^", "a-b", "0-9", "A-Z", "\\d", "\\D", "\\w", "\\W", "\\s",
        "\\S", "\\]", "\\n", "\\-", "\\\\", "\\x41",
    ]);
    (any::<bool>(), prop::collection::vec(item, 1..4))
        .prop_map(|(negated, items)| format!("[{}{}]", if negated { "^" } else { "" }, items.concat()))
}

fn quantifier() -> impl Strategy<Value = &'static str> {
    select(vec![
        "*", "+", "?", "{2}", "{0}", "{0,1}", "{1,}", "{1,3}", "{0,2}", "*?", "+?", "??", "{2}?", "{1,}?", "{0,2}?",
    ])
}

fn group_opening() -> impl Strategy<Value = &'static str> {
    select(vec!["(", "(?:", "(?i:", "(?-i:", "(?s:", "(?m:", "(?im:"])
}

/// Patterns from a small grammar: atoms, groups, concatenation, alternation and quantifiers.
fn pattern() -> impl Strategy<Value = String> {
    let tree = atom().prop_recursive(4, 32, 4, |inner| {
        let unit = prop_oneof![atom(), inner.clone().prop_map(|x| format!("(?:{x})"))];
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|items| items.concat()),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|branches| branches.join("|")),
            (group_opening(), inner).prop_map(|(open, x)| format!("{open}{x})")),
            (unit, quantifier()).prop_map(|(unit, q)| format!("{unit}{q}")),
        ]
    });
    let flags = select(vec!["", "", "", "(?i)", "(?s)", "(?m)", "(?is)"]);
    (flags, tree).prop_map(|(flags, tree)| format!("{flags}{tree}"))
}

/// Values over the grammar's characters (and a few it does not write).
fn values() -> impl Strategy<Value = Vec<String>> {
    let c = select(vec![
        'a', 'b', 'A', 'B', '1', '0', '-', '_', ' ', 'é', '\n', '.', ']', '}', '\\',
    ]);
    prop::collection::vec(prop::collection::vec(c, 0..7).prop_map(String::from_iter), 12)
}

/// Any short string of metacharacters and a few letters: mostly invalid patterns.
fn raw_pattern() -> impl Strategy<Value = String> {
    let c = select(vec![
        'a', 'b', 'i', 'd', 'w', 's', '0', '1', '2', '(', ')', '[', ']', '{', '}', '|', '*', '+', '?', '^', '$', '.',
        '\\', '-', ',', ':',
    ]);
    prop::collection::vec(c, 0..10).prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Patterns of the grammar: same acceptance, same answer on every value.
    #[test]
    fn grammar_patterns_match_like_regex_lite(pattern in pattern(), values in values()) {
        agree(&pattern, &values)?;
    }

    /// Arbitrary metacharacter soup: same acceptance but for the deliberate differences, and
    /// the same answers when both accept.
    #[test]
    fn raw_patterns_are_accepted_like_regex_lite(pattern in raw_pattern(), values in values()) {
        agree(&pattern, &values)?;
    }
}

#[test]
fn the_deliberate_differences_are_real() {
    for (pattern, ours_accepts) in [
        ("a**", false),
        ("a{2}*", false),
        ("a)(b", false),
        ("a(?i)*", false),
        ("a*+", false),
        ("(?ii)a", true),
        ("(?i)[\\x41-a]", true),
    ] {
        let ours = Pattern::compile(pattern);
        assert_eq!(ours.is_ok(), ours_accepts, "{pattern}");
        assert_eq!(oracle(pattern).is_some(), !ours_accepts, "{pattern}");
        assert!(deliberate_difference(pattern, &ours, !ours_accepts), "{pattern}");
    }
}

/// The grammar is not vacuous: most of its patterns compile, and a fair share of the random
/// values match them (so the differential test compares `true` answers too).
#[test]
fn the_grammar_compiles_and_matches() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (patterns, values) = (pattern(), values());
    let (mut compiled, mut pairs, mut matched) = (0, 0, 0);
    for _ in 0..500 {
        let pattern = patterns.new_tree(&mut runner).map(|t| t.current()).unwrap_or_default();
        let values = values.new_tree(&mut runner).map(|t| t.current()).unwrap_or_default();
        if let Ok(compiled_pattern) = Pattern::compile(&pattern) {
            compiled += 1;
            pairs += values.len();
            matched += values.iter().filter(|v| compiled_pattern.is_match(v)).count();
        }
    }
    println!("{compiled} of 500 patterns compiled; {matched} of {pairs} values matched");
    assert!(compiled > 400, "only {compiled} of 500 grammar patterns compiled");
    assert!(matched * 20 > pairs, "only {matched} of {pairs} values matched");
}
