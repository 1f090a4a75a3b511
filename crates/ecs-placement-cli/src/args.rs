//! The `placement` command line (hand-written: everything after `--` belongs to `aws`).

use ecs_placement::scenario::{MAX_SEED, check_seed};
use std::ffi::OsString;
use std::path::PathBuf;

/// Exit code for command-line mistakes (the AWS CLI's 252).
pub const USAGE_ERROR: i32 = 252;

/// The help text.
pub const USAGE: &str = "\
placement - the ECS Placement Playground in a terminal

USAGE:
  placement check [--format text|json] EXPRESSION
      Check a Cluster Query Language expression; prints diagnostics with carets.
      Exit 0 when valid (warnings allowed), 1 when not.
  placement import --instances FILE [--tasks FILE] [--services FILE [--drop-events]]
      Convert `aws ecs describe-container-instances` output (and optionally
      `aws ecs describe-tasks` and `aws ecs describe-services` output) into a scenario
      JSON on stdout. --drop-events imports the services without their events.
  placement run SCENARIO [--seed N] [--save OUT] [--explain] [--what-if] -- aws ecs COMMAND ...
      Run one AWS CLI command against the scenario; prints the AWS-shaped JSON response.
  placement script SCENARIO FILE [--seed N] [--save OUT] [--explain] [--what-if] [--keep-going]
      Run a file of `aws ecs ...` commands (comments and `\\` continuations allowed); it stops
      at the first failed command unless --keep-going.
  placement presets
      List the built-in scenarios (use them as SCENARIO with `preset:NAME`).
  placement endpoint SCENARIO [--host H] [--port N] [--seed N] [--save OUT]
      Serve the ECS API (JSON 1.1: POST / with X-Amz-Target) on http://H:N (default
      127.0.0.1:8090; --port 0 picks a free port) for the AWS CLI (--endpoint-url or
      AWS_ENDPOINT_URL_ECS) and the SDKs (boto3's endpoint_url=). The first line on stdout
      is `ECS endpoint: http://HOST:PORT`; one line per request goes to stderr. Any
      credentials are accepted: signatures are not checked, so keep it on 127.0.0.1.
      --save OUT rewrites OUT (atomically) after every call that changes the cluster.
      Ctrl-C or SIGTERM stops it after the call in flight (exit 0); exit 255 when it
      cannot start (an unreadable scenario, a port in use).
  placement endpoint --list-operations
      List the API operations the endpoint serves, one per line.

SCENARIO is a scenario JSON file or `preset:NAME` (e.g. `preset:sample`).
--explain prints why (truth tables, placement traces) on stderr.
--what-if allows requests beyond AWS's limits (e.g. run-task --count 1000), labelled as such.
After each command the service scheduler settles the cluster; its events are printed on
stderr as `scheduler: ...` lines (with --explain, also its placements and stops).
Exit codes: 0 ok, 1 invalid expression (check), 252 command-line mistake,
254 AWS service error (e.g. InvalidParameterException), 255 other failure (e.g. a
`wait services-stable` that gives up).";

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `placement check`.
    Check { expression: String, json: bool },
    /// `placement import`.
    Import(ImportFiles),
    /// `placement run`.
    Run { run: RunOptions, aws: Vec<String> },
    /// `placement script`.
    Script { run: RunOptions, file: PathBuf },
    /// `placement presets`.
    Presets,
    /// `placement endpoint`.
    Endpoint(EndpointOptions),
    /// `placement endpoint --list-operations`.
    ListOperations,
    /// `placement --help`.
    Help,
    /// `placement --version`.
    Version,
}

/// What `placement import` reads.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct ImportFiles {
    /// `--instances FILE`: describe-container-instances output.
    pub instances: PathBuf,
    /// `--tasks FILE`: describe-tasks output.
    pub tasks: Option<PathBuf>,
    /// `--services FILE`: describe-services output.
    pub services: Option<PathBuf>,
    /// `--drop-events`: import the services without their events.
    pub drop_events: bool,
}

/// Options shared by `run` and `script`.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// Scenario file or `preset:NAME`.
    pub scenario: String,
    /// `--seed N`.
    pub seed: Option<u64>,
    /// `--save OUT`.
    pub save: Option<PathBuf>,
    /// `--explain`.
    pub explain: bool,
    /// `--what-if`: allow requests beyond AWS's limits (RunTask counts above 10).
    pub what_if: bool,
    /// `--keep-going` (script): run the remaining commands after a failed one.
    pub keep_going: bool,
}

/// What `placement endpoint` serves, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct EndpointOptions {
    /// Scenario file or `preset:NAME`.
    pub scenario: String,
    /// `--host H`: the address to listen on.
    pub host: String,
    /// `--port N` (0: a free port).
    pub port: u16,
    /// `--seed N`.
    pub seed: Option<u64>,
    /// `--save OUT`.
    pub save: Option<PathBuf>,
}

/// The endpoint's address unless `--host` / `--port` say otherwise.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// The endpoint's port unless `--port` says otherwise.
pub const DEFAULT_PORT: u16 = 8090;

/// The arguments as text: one that is not valid UTF-8 is a usage error naming it (with its
/// bytes shown escaped), not a panic.
pub fn from_os(args: impl Iterator<Item = OsString>) -> Result<Vec<String>, String> {
    args.enumerate()
        .map(|(index, arg)| {
            arg.into_string().map_err(|raw| {
                format!(
                    "placement: argument {} is not valid UTF-8 ({}); arguments are text: check the encoding of your terminal or script",
                    index + 1,
                    raw.as_encoded_bytes().escape_ascii()
                )
            })
        })
        .collect()
}

/// Parses the arguments after the program name.
pub fn parse(argv: Vec<String>) -> Result<Command, String> {
    let mut words = argv.into_iter();
    let Some(first) = words.next() else {
        return Ok(Command::Help);
    };
    let rest: Vec<String> = words.collect();
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "-V" | "--version" => Ok(Command::Version),
        "check" => parse_check(rest),
        "import" => parse_import(rest),
        "run" => parse_run(rest),
        "script" => parse_script(rest),
        "presets" => no_more("presets", &rest).map(|()| Command::Presets),
        "endpoint" => parse_endpoint(rest),
        other => Err(format!("placement: unknown command `{other}`")),
    }
}

fn no_more(command: &str, rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(extra) => Err(format!("placement {command}: unexpected argument `{extra}`")),
    }
}

fn value(command: &str, flag: &str, words: &mut impl Iterator<Item = String>) -> Result<String, String> {
    words
        .next()
        .ok_or_else(|| format!("placement {command}: {flag} needs a value"))
}

fn parse_check(rest: Vec<String>) -> Result<Command, String> {
    let mut json = false;
    let mut expression = None;
    let mut words = rest.into_iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--format" => match value("check", "--format", &mut words)?.as_str() {
                "json" => json = true,
                "text" => json = false,
                other => {
                    return Err(format!("placement check: --format is `text` or `json`, not `{other}`"));
                }
            },
            "--" => expression = Some(words.by_ref().collect::<Vec<_>>().join(" ")),
            _ if expression.is_none() => expression = Some(word),
            _ => {
                return Err("placement check: give the expression as one argument (quote it)".into());
            }
        }
    }
    let expression = expression.ok_or("placement check: missing EXPRESSION")?;
    Ok(Command::Check { expression, json })
}

fn parse_import(rest: Vec<String>) -> Result<Command, String> {
    let mut instances = None;
    let mut files = ImportFiles::default();
    let mut words = rest.into_iter();
    while let Some(word) = words.next() {
        let mut path = |flag: &str| value("import", flag, &mut words).map(PathBuf::from);
        match word.as_str() {
            "--instances" => instances = Some(path("--instances")?),
            "--tasks" => files.tasks = Some(path("--tasks")?),
            "--services" => files.services = Some(path("--services")?),
            "--drop-events" => files.drop_events = true,
            other => return Err(format!("placement import: unexpected argument `{other}`")),
        }
    }
    files.instances = instances.ok_or("placement import: --instances FILE is required")?;
    if files.drop_events && files.services.is_none() {
        return Err("placement import: --drop-events needs --services FILE".into());
    }
    Ok(Command::Import(files))
}

fn parse_run(rest: Vec<String>) -> Result<Command, String> {
    let split = rest.iter().position(|w| w == "--");
    let (options, aws) = match split {
        Some(index) => (
            rest.get(..index).unwrap_or_default().to_vec(),
            rest.get(index + 1..).unwrap_or_default().to_vec(),
        ),
        None => {
            return Err(
                "placement run: put the AWS CLI command after `--`: placement run SCENARIO -- aws ecs ...".into(),
            );
        }
    };
    if aws.is_empty() {
        return Err("placement run: nothing after `--`; expected `aws ecs COMMAND ...`".into());
    }
    let (run, extra) = parse_run_options("run", options)?;
    if let Some(extra) = extra.first() {
        return Err(format!("placement run: unexpected argument `{extra}` before `--`"));
    }
    Ok(Command::Run { run, aws })
}

fn parse_script(rest: Vec<String>) -> Result<Command, String> {
    let (run, positional) = parse_run_options("script", rest)?;
    match positional.as_slice() {
        [file] => Ok(Command::Script {
            run,
            file: PathBuf::from(file),
        }),
        [] => Err("placement script: missing FILE".into()),
        [_, extra, ..] => Err(format!("placement script: unexpected argument `{extra}`")),
    }
}

fn parse_endpoint(rest: Vec<String>) -> Result<Command, String> {
    if rest.first().map(String::as_str) == Some("--list-operations") {
        return no_more("endpoint --list-operations", rest.get(1..).unwrap_or_default())
            .map(|()| Command::ListOperations);
    }
    let mut options = EndpointOptions {
        scenario: String::new(),
        host: DEFAULT_HOST.into(),
        port: DEFAULT_PORT,
        seed: None,
        save: None,
    };
    let mut words = rest.into_iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--host" => options.host = value("endpoint", "--host", &mut words)?,
            "--port" => {
                let text = value("endpoint", "--port", &mut words)?;
                options.port = text.parse().map_err(|_| {
                    format!(
                        "placement endpoint: --port takes a port number from 0 to 65535 (0: a free port), not `{text}`"
                    )
                })?;
            }
            "--seed" => options.seed = Some(parse_seed("endpoint", &value("endpoint", "--seed", &mut words)?)?),
            "--save" => options.save = Some(PathBuf::from(value("endpoint", "--save", &mut words)?)),
            flag if flag.starts_with("--") => {
                return Err(format!("placement endpoint: unknown option `{flag}`"));
            }
            _ if options.scenario.is_empty() => options.scenario = word,
            _ => return Err(format!("placement endpoint: unexpected argument `{word}`")),
        }
    }
    if options.scenario.is_empty() {
        return Err("placement endpoint: missing SCENARIO (a scenario JSON file or preset:NAME)".into());
    }
    Ok(Command::Endpoint(options))
}

/// A `--seed` value: a whole number a JavaScript number holds exactly.
fn parse_seed(command: &str, text: &str) -> Result<u64, String> {
    text.parse().ok().and_then(|seed| check_seed(seed).ok()).ok_or_else(|| {
        format!(
            "placement {command}: --seed takes a whole number from 0 to {MAX_SEED} (2^53 - 1, the largest a JavaScript number holds exactly, so that the page can replay the run), not `{text}`"
        )
    })
}

/// Reads SCENARIO and the shared flags; returns the remaining positional words.
fn parse_run_options(command: &str, words: Vec<String>) -> Result<(RunOptions, Vec<String>), String> {
    let mut options = RunOptions::default();
    let mut positional = Vec::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--seed" => {
                let text = value(command, "--seed", &mut words)?;
                let seed = text.parse().ok().and_then(|seed| check_seed(seed).ok()).ok_or_else(|| {
                    format!(
                        "placement {command}: --seed takes a whole number from 0 to {MAX_SEED} (2^53 - 1, the largest a JavaScript number holds exactly, so that the page can replay the run), not `{text}`"
                    )
                })?;
                options.seed = Some(seed);
            }
            "--save" => options.save = Some(PathBuf::from(value(command, "--save", &mut words)?)),
            "--explain" => options.explain = true,
            "--what-if" => options.what_if = true,
            "--keep-going" if command == "script" => options.keep_going = true,
            flag if flag.starts_with("--") => {
                return Err(format!("placement {command}: unknown option `{flag}`"));
            }
            _ if options.scenario.is_empty() => options.scenario = word,
            _ => positional.push(word),
        }
    }
    if options.scenario.is_empty() {
        return Err(format!(
            "placement {command}: missing SCENARIO (a scenario JSON file or preset:NAME)"
        ));
    }
    Ok((options, positional))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn run_splits_at_double_dash() {
        let command = parse(args(
            "run s.json --seed 7 --explain -- aws ecs list-container-instances",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Run {
                run: RunOptions {
                    scenario: "s.json".into(),
                    seed: Some(7),
                    explain: true,
                    ..RunOptions::default()
                },
                aws: args("aws ecs list-container-instances"),
            }
        );
    }

    #[test]
    fn seeds_fit_a_javascript_number() {
        assert!(parse(args("run s.json --seed 9007199254740991 -- aws")).is_ok());
        let err = parse(args("run s.json --seed 9007199254740992 -- aws")).unwrap_err();
        assert!(err.contains("from 0 to 9007199254740991"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_is_a_usage_error() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![OsString::from("check"), OsString::from_vec(vec![0xff, b'a'])];
        let err = from_os(args.into_iter()).unwrap_err();
        assert!(err.contains("argument 2 is not valid UTF-8 (\\xffa)"), "{err}");
    }

    #[test]
    fn endpoint_options() {
        assert_eq!(
            parse(args(
                "endpoint preset:blog --port 0 --seed 3 --save out.json --host 0.0.0.0"
            ))
            .unwrap(),
            Command::Endpoint(EndpointOptions {
                scenario: "preset:blog".into(),
                host: "0.0.0.0".into(),
                port: 0,
                seed: Some(3),
                save: Some(PathBuf::from("out.json")),
            })
        );
        let Command::Endpoint(defaults) = parse(args("endpoint s.json")).unwrap() else {
            panic!("not an endpoint");
        };
        assert_eq!((defaults.host.as_str(), defaults.port), (DEFAULT_HOST, DEFAULT_PORT));
        assert_eq!(
            parse(args("endpoint --list-operations")).unwrap(),
            Command::ListOperations
        );
        assert!(parse(args("endpoint")).unwrap_err().contains("missing SCENARIO"));
        assert!(
            parse(args("endpoint s.json --port 70000"))
                .unwrap_err()
                .contains("0 to 65535")
        );
        assert!(
            parse(args("endpoint s.json --explain"))
                .unwrap_err()
                .contains("unknown option")
        );
        assert!(
            parse(args("endpoint s.json --seed -1"))
                .unwrap_err()
                .contains("whole number")
        );
    }

    #[test]
    fn mistakes_are_reported() {
        assert!(parse(args("run s.json aws ecs x")).unwrap_err().contains("after `--`"));
        assert!(
            parse(args("run s.json --seed x -- aws"))
                .unwrap_err()
                .contains("whole number")
        );
        assert!(parse(args("frobnicate")).unwrap_err().contains("unknown command"));
        assert!(parse(args("check")).unwrap_err().contains("missing EXPRESSION"));
    }
}
