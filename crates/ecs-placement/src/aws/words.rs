//! Splitting command lines into words the way a POSIX shell does (quotes, backslashes,
//! backslash-newline continuations, comments), and repairing what copying from a blog post breaks:
//! typographic dashes (`–count`) and quotes (`”…”`), a flag repeated by mistake, and a line that
//! ends after a flag without `\`. Every repair is reported as a warning that says what changed.

use crate::error::{Error, Result};

/// One command of a script, with where it starts and what was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptCommand {
    /// 1-based line where the command starts.
    pub line: usize,
    /// The words, quotes removed.
    pub words: Vec<String>,
    /// What was repaired, one sentence each.
    pub repairs: Vec<String>,
}

const DOUBLE_QUOTES: [char; 4] = ['"', '“', '”', '„'];
/// Characters read as single quotes (bash: only `'`); the script composer quotes them all.
pub(crate) const SINGLE_QUOTES: [char; 3] = ['\'', '‘', '’'];
/// Typographic dashes, read as `-` at the start of a word; the composer keeps values starting
/// with one attached to their option.
pub(crate) const DASHES: [char; 3] = ['–', '—', '−'];

/// Splits a script into commands: one per line, joined across `\` continuations and multi-line
/// quotes; `#` starts a comment.
pub fn split_script(text: &str) -> Result<Vec<ScriptCommand>> {
    let mut splitter = Splitter::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        splitter.push(c, &mut chars)?;
    }
    splitter.finish()?;
    let mut commands = splitter.commands;
    join_dangling_flags(&mut commands);
    for command in &mut commands {
        repair_words(&mut command.words, &mut command.repairs);
    }
    Ok(commands)
}

/// Splits one command line (continuations allowed) into words.
pub fn split_command(text: &str) -> Result<(Vec<String>, Vec<String>)> {
    let commands = split_script(text)?;
    let mut words = Vec::new();
    let mut repairs = Vec::new();
    for (index, command) in commands.into_iter().enumerate() {
        if index > 0 {
            repairs.push(format!(
                "line {} was joined to the command (a line break without `\\`)",
                command.line
            ));
        }
        words.extend(command.words);
        repairs.extend(command.repairs);
    }
    Ok((words, repairs))
}

/// Repairs arguments that already went through a real shell: typographic dashes, typographic
/// quotes (which the shell kept, splitting the quoted text at its spaces), repeated flags.
pub fn repair_args(args: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut repairs = Vec::new();
    let mut words = rejoin_typographic_quotes(args, &mut repairs);
    repair_words(&mut words, &mut repairs);
    (words, repairs)
}

#[derive(Default)]
struct Splitter {
    commands: Vec<ScriptCommand>,
    words: Vec<String>,
    word: Option<String>,
    quote: Option<Quote>,
    line: usize,
    start_line: usize,
    repairs: Vec<String>,
    quote_line: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Single,
    Double,
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

impl Splitter {
    fn push(&mut self, c: char, chars: &mut Chars<'_>) -> Result<()> {
        if c == '\n' {
            self.line += 1;
        }
        match self.quote {
            Some(Quote::Single) => self.in_single(c),
            Some(Quote::Double) => self.in_double(c, chars),
            None => self.unquoted(c, chars),
        }
        Ok(())
    }

    fn current(&mut self) -> &mut String {
        if self.word.is_none() && self.words.is_empty() {
            self.start_line = self.line;
        }
        self.word.get_or_insert_with(String::new)
    }

    fn end_word(&mut self) {
        if let Some(word) = self.word.take() {
            self.words.push(word);
        }
    }

    fn end_command(&mut self) {
        self.end_word();
        if !self.words.is_empty() {
            self.commands.push(ScriptCommand {
                line: self.start_line + 1,
                words: std::mem::take(&mut self.words),
                repairs: std::mem::take(&mut self.repairs),
            });
        }
        self.repairs.clear();
    }

    fn open_quote(&mut self, quote: Quote, c: char) {
        if !matches!(c, '"' | '\'') {
            self.note_typographic_quote(c);
        }
        self.current();
        self.quote = Some(quote);
        self.quote_line = self.line;
    }

    fn note_typographic_quote(&mut self, c: char) {
        let message = format!("replaced the typographic quote `{c}` with a plain quote");
        if !self.repairs.contains(&message) {
            self.repairs.push(message);
        }
    }

    fn in_single(&mut self, c: char) {
        if SINGLE_QUOTES.contains(&c) {
            if c != '\'' {
                self.note_typographic_quote(c);
            }
            self.quote = None;
        } else {
            self.current().push(c);
        }
    }

    fn in_double(&mut self, c: char, chars: &mut Chars<'_>) {
        match c {
            '\\' => match chars.peek().copied() {
                Some(next @ ('"' | '\\' | '$' | '`')) => {
                    chars.next();
                    self.current().push(next);
                }
                Some('\n') => {
                    chars.next();
                    self.line += 1;
                }
                _ => self.current().push('\\'),
            },
            c if DOUBLE_QUOTES.contains(&c) => {
                if c != '"' {
                    self.note_typographic_quote(c);
                }
                self.quote = None;
            }
            '$' => self.note_variable(c, chars),
            c => self.current().push(c),
        }
    }

    fn unquoted(&mut self, c: char, chars: &mut Chars<'_>) {
        match c {
            '\n' => self.end_command(),
            c if c.is_whitespace() => self.end_word(),
            '#' if self.word.is_none() => skip_comment(chars),
            '\\' => match chars.next() {
                Some('\n') => self.line += 1,
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    self.line += 1;
                }
                Some(next) => self.current().push(next),
                None => {}
            },
            c if DOUBLE_QUOTES.contains(&c) => self.open_quote(Quote::Double, c),
            c if SINGLE_QUOTES.contains(&c) => self.open_quote(Quote::Single, c),
            '$' => self.note_variable(c, chars),
            c => self.current().push(c),
        }
    }

    fn note_variable(&mut self, c: char, chars: &mut Chars<'_>) {
        self.current().push(c);
        if chars
            .peek()
            .is_some_and(|n| n.is_ascii_alphabetic() || *n == '{' || *n == '_')
        {
            let message = "shell variables such as `$NAME` are not expanded: the playground passes the text as it is; replace them with values".to_string();
            if !self.repairs.contains(&message) {
                self.repairs.push(message);
            }
        }
    }

    fn finish(&mut self) -> Result<()> {
        if self.quote.is_some() {
            return Err(Error::usage(format!(
                "line {}: a quote is never closed",
                self.quote_line + 1
            )));
        }
        self.end_command();
        Ok(())
    }
}

fn skip_comment(chars: &mut Chars<'_>) {
    while chars.peek().is_some_and(|c| *c != '\n') {
        chars.next();
    }
}

/// A command that ends with a `--flag` and a next line that is not a new `aws` command were
/// probably one command whose `\` got lost (the blog's `--placement-constraints` line).
fn join_dangling_flags(commands: &mut Vec<ScriptCommand>) {
    let mut index = 0;
    while index + 1 < commands.len() {
        let dangling = commands
            .get(index)
            .and_then(|c| c.words.last())
            .is_some_and(|w| is_flag(w));
        let next_is_new = commands
            .get(index + 1)
            .and_then(|c| c.words.first())
            .is_some_and(|w| w == "aws");
        if dangling && !next_is_new {
            let next = commands.remove(index + 1);
            if let Some(command) = commands.get_mut(index) {
                command.repairs.push(format!(
                    "line {} ends with `{}` and no `\\`; joined it with line {}",
                    next.line.saturating_sub(1),
                    command.words.last().map_or("", String::as_str),
                    next.line
                ));
                command.words.extend(next.words);
                command.repairs.extend(next.repairs);
            }
        } else {
            index += 1;
        }
    }
}

fn is_flag(word: &str) -> bool {
    word.starts_with("--") && word.len() > 2 || word.starts_with(DASHES) && word.chars().count() > 1
}

/// Typographic dashes become `--`; a flag repeated right after itself loses its empty copy; a
/// flag written as the API member name (`--desiredCount`, as blog posts write it) becomes the
/// AWS CLI's flag (`--desired-count`).
fn repair_words(words: &mut Vec<String>, repairs: &mut Vec<String>) {
    repair_dashes(words, repairs);
    repair_member_names(words, repairs);
    drop_repeated_flags(words, repairs);
}

fn repair_dashes(words: &mut [String], repairs: &mut Vec<String>) {
    for word in words.iter_mut() {
        let Some(first) = word.chars().next() else {
            continue;
        };
        let rest = word.get(first.len_utf8()..).unwrap_or("");
        if DASHES.contains(&first) && rest.chars().next().is_some_and(char::is_alphabetic) {
            let repaired = format!("--{rest}");
            repairs.push(format!("replaced the typographic dash in `{word}` with `--`"));
            *word = repaired;
        }
    }
}

/// `--desiredCount` (the API's member name) as the AWS CLI's `--desired-count`, for the
/// subcommand the words name.
fn repair_member_names(words: &mut [String], repairs: &mut Vec<String>) {
    let Some(command) = words.get(2).and_then(|name| super::commands::find(name)) else {
        return;
    };
    for word in words.iter_mut().skip(3) {
        let Some(name) = word.strip_prefix("--") else {
            continue;
        };
        let param = command.params.iter().find(|p| p.member == name && p.flag != name);
        if let Some(param) = param {
            repairs.push(format!(
                "replaced `{word}` (the API member name) with the AWS CLI's `--{}`; the AWS CLI rejects `{word}`",
                param.flag
            ));
            *word = format!("--{}", param.flag);
        }
    }
}

fn drop_repeated_flags(words: &mut Vec<String>, repairs: &mut Vec<String>) {
    let mut index = 1;
    while index < words.len() {
        let repeated =
            words.get(index) == words.get(index - 1) && words.get(index).is_some_and(|w| w.starts_with("--"));
        if repeated {
            let flag = words.remove(index);
            repairs.push(format!(
                "`{flag}` was written twice in a row; dropped the empty first one"
            ));
        } else {
            index += 1;
        }
    }
}

/// The shell kept typographic quotes as ordinary characters, so `expression=”a == b”` arrived as
/// the words `expression=”a`, `==`, `b”`: put them back together without the quotes.
fn rejoin_typographic_quotes(args: Vec<String>, repairs: &mut Vec<String>) -> Vec<String> {
    let typographic = |c: char| matches!(c, '“' | '”' | '„' | '‘' | '’');
    let mut out: Vec<String> = Vec::new();
    let mut open: Option<String> = None;
    for arg in args {
        let quotes = arg.chars().filter(|c| typographic(*c)).count();
        let merged = match open.take() {
            Some(mut pending) => {
                pending.push(' ');
                pending.push_str(&arg);
                pending
            }
            None => arg,
        };
        let total = merged.chars().filter(|c| typographic(*c)).count();
        if total % 2 == 1 {
            open = Some(merged);
            continue;
        }
        if quotes > 0 || total > 0 {
            repairs
                .push("removed typographic quotes (`“`, `”`, `‘`, `’`) the shell did not treat as quotes".to_string());
            out.push(merged.chars().filter(|c| !typographic(*c)).collect());
        } else {
            out.push(merged);
        }
    }
    if let Some(pending) = open {
        out.push(pending.chars().filter(|c| !typographic(*c)).collect());
    }
    repairs.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        split_command(text).unwrap().0
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(words(r#"a 'b c' "d \"e\"" f\ g"#), ["a", "b c", "d \"e\"", "f g"]);
        assert_eq!(
            words(r#"type="memberOf",expression="a == b""#),
            ["type=memberOf,expression=a == b"]
        );
    }

    #[test]
    fn continuations_and_comments() {
        let script =
            "# comment\naws ecs run-task --task-definition app \\\n  --count 2  # trailing\n\naws ecs list-tasks\n";
        let commands = split_script(script).unwrap();
        assert_eq!(commands.len(), 2);
        assert_eq!(commands[0].line, 2);
        assert_eq!(
            commands[0].words,
            ["aws", "ecs", "run-task", "--task-definition", "app", "--count", "2"]
        );
        assert_eq!(commands[1].words, ["aws", "ecs", "list-tasks"]);
    }

    #[test]
    fn blog_typography_is_repaired() {
        let (words, repairs) = split_command(
            "aws ecs run-task –task-definition nouvelleApp –count 5 –group webserver –placement-constraints type=memberOf,expression=”not(task:group == webserver)”",
        )
        .unwrap();
        assert_eq!(
            words,
            [
                "aws",
                "ecs",
                "run-task",
                "--task-definition",
                "nouvelleApp",
                "--count",
                "5",
                "--group",
                "webserver",
                "--placement-constraints",
                "type=memberOf,expression=not(task:group == webserver)"
            ]
        );
        assert!(repairs.iter().any(|r| r.contains("typographic dash")));
        assert!(repairs.iter().any(|r| r.contains("typographic quote")));
    }

    #[test]
    fn dangling_flag_line_is_joined() {
        let script = "aws ecs run-task --task-definition nouvelleApp \\\n--count 5 \\\n--placement-constraints \ntype=\"memberOf\",expression=\"attribute:ecs.instance-type == t2.micro\"\n";
        let commands = split_script(script).unwrap();
        assert_eq!(commands.len(), 1);
        assert_eq!(
            commands[0].words.last().unwrap(),
            "type=memberOf,expression=attribute:ecs.instance-type == t2.micro"
        );
        assert!(commands[0].repairs[0].contains("no `\\`"));
    }

    #[test]
    fn repeated_flag_is_dropped() {
        let (words, repairs) =
            split_command("run-task --placement-strategy --placement-strategy type=binpack,field=memory").unwrap();
        assert_eq!(words, ["run-task", "--placement-strategy", "type=binpack,field=memory"]);
        assert_eq!(repairs.len(), 1);
    }

    #[test]
    fn api_member_names_become_cli_flags() {
        let (words, repairs) = split_command(
            "aws ecs create-service --service-name monitoring --task-definition monitor --desiredCount 500",
        )
        .unwrap();
        assert_eq!(words[7], "--desired-count");
        assert_eq!(
            repairs,
            [
                "replaced `--desiredCount` (the API member name) with the AWS CLI's `--desired-count`; the AWS CLI rejects `--desiredCount`"
            ]
        );
        let (words, repairs) = split_command("aws ecs run-task --task-definition app --count 2").unwrap();
        assert_eq!(words[5], "--count");
        assert!(repairs.is_empty(), "a member name that is also the flag is left alone");
    }

    #[test]
    fn argv_from_a_real_shell() {
        let args = [
            "–count",
            "5",
            "type=memberOf,expression=”not(task:group",
            "==",
            "webserver)”",
        ]
        .map(String::from)
        .to_vec();
        let (words, repairs) = repair_args(args);
        assert_eq!(
            words,
            ["--count", "5", "type=memberOf,expression=not(task:group == webserver)"]
        );
        assert_eq!(repairs.len(), 2);
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        assert!(split_script("aws ecs list-tasks --cluster 'x").is_err());
    }
}
