//! Command-line parsing (by hand: no dependencies).

use std::path::PathBuf;

use crate::ctx::Error;
use crate::serve::ServeOptions;
use crate::testing::{Step, TestOptions};
use crate::web::Module;

/// Printed by `cargo xtask help` and on usage errors.
pub const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  serve       Build the web bundle, then serve web/ over HTTP until killed
                --host H       address to listen on (default 127.0.0.1)
                --port N       port to listen on; 0 picks a free one (default 8080)
                --no-build     serve web/ as it is, without building
                --speed        the page's own module optimised for speed too (about 1.7x the
                               download, long runs in 0.6-0.7x the time; the page always uses
                               that module for clusters of 1,000 instances or more)
                --skip-install do not check or install tools before building
  test        Run every check CI runs, stopping at the first failure
                --only STEP[,STEP...]  run only these steps:
                               tools, fmt, clippy, native, clients, wasm, web, e2e
                --skip-install assume the tools are present (skips the tools step)
  build-web   Build crates/ecs-placement-wasm into web/pkg (wasm-bindgen + wasm-opt): the page's
              module (optimised for size) and the one large clusters run on (for speed)
                --out DIR      also write a static site to DIR: the page, embed.html, docs.html
                               and embed.js, assets under a versioned folder (DIR/v-<hash>/)
                --speed        the page's module optimised for speed instead of size
                --page-only    the page's module only, without the one for large clusters
                               (to measure the page's module's size sooner)
                --skip-install do not check or install tools first
  bench-wasm  Run the placement benchmark in headless Chromium (the page's optimisation profile)
              and print its medians beside the scan and naive references of the same run
                --speed        benchmark the module optimised for speed instead
                --skip-install do not check or install tools first
  tools       Check for (and install) the wasm target, wasm-bindgen-cli, chromium,
              chromedriver, binaryen, jq and the client tests' virtualenv
              (target/clients-venv: the AWS CLI v1 and boto3 from PyPI)
  help        Show this message
";

/// A parsed `cargo xtask` invocation.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `cargo xtask serve`.
    Serve(ServeOptions),
    /// `cargo xtask build-web`.
    BuildWeb {
        /// Skip the tools check.
        skip_install: bool,
        /// Where to write the deployable site, if anywhere.
        out: Option<PathBuf>,
        /// Which module to build.
        module: Module,
        /// Build the page's module only (`--page-only`), not the one for large clusters.
        page_only: bool,
    },
    /// `cargo xtask test`.
    Test(TestOptions),
    /// `cargo xtask bench-wasm`.
    BenchWasm {
        /// Skip the tools check.
        skip_install: bool,
        /// Which module to benchmark.
        module: Module,
    },
    /// `cargo xtask tools`.
    Tools,
    /// `cargo xtask help`.
    Help,
}

/// Parses the arguments after `cargo xtask`.
pub fn parse(argv: &[String]) -> Result<Command, Error> {
    let Some((name, rest)) = argv.split_first() else {
        return Ok(Command::Help);
    };
    let mut flags = Flags::new(rest);
    let command = match name.as_str() {
        "serve" => Command::Serve(parse_serve(&mut flags)?),
        "build-web" => Command::BuildWeb {
            skip_install: flags.switch("--skip-install"),
            out: flags.value("--out")?.map(PathBuf::from),
            module: module(&mut flags),
            page_only: flags.switch("--page-only"),
        },
        "test" => Command::Test(parse_test(&mut flags)?),
        "bench-wasm" => Command::BenchWasm {
            skip_install: flags.switch("--skip-install"),
            module: module(&mut flags),
        },
        "tools" => Command::Tools,
        "help" | "--help" | "-h" => Command::Help,
        other => return Err(usage_error(format!("unknown command `{other}`"))),
    };
    flags.finish()?;
    Ok(command)
}

/// Options of `cargo xtask serve`.
fn parse_serve(flags: &mut Flags) -> Result<ServeOptions, Error> {
    let mut options = ServeOptions::default();
    if let Some(host) = flags.value("--host")? {
        options.host = host;
    }
    if let Some(port) = flags.value("--port")? {
        options.port = port
            .parse()
            .map_err(|_| usage_error(format!("--port expects a number from 0 to 65535, got `{port}`")))?;
    }
    options.build = !flags.switch("--no-build");
    options.skip_install = flags.switch("--skip-install");
    options.module = module(flags);
    // Hidden: serve another directory (used to test the server itself).
    options.dir = flags.value("--dir")?.map(PathBuf::from);
    Ok(options)
}

/// The module `--speed` asks for (optimised for speed), else the small one.
fn module(flags: &mut Flags) -> Module {
    if flags.switch("--speed") {
        Module::Fast
    } else {
        Module::Small
    }
}

/// Options of `cargo xtask test`.
fn parse_test(flags: &mut Flags) -> Result<TestOptions, Error> {
    let skip_install = flags.switch("--skip-install");
    let mut only = Vec::new();
    while let Some(list) = flags.value("--only")? {
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let step = Step::from_name(name).ok_or_else(|| {
                usage_error(format!(
                    "unknown step `{name}`; the steps are: {}",
                    Step::ALL.map(Step::name).join(", ")
                ))
            })?;
            if !only.contains(&step) {
                only.push(step);
            }
        }
    }
    Ok(TestOptions {
        skip_install,
        only: (!only.is_empty()).then_some(only),
    })
}

/// An error about the command line, pointing at the usage text.
fn usage_error(message: String) -> Error {
    Error::new(message).hint("run `cargo xtask help` for the list of commands and options")
}

/// The not-yet-consumed flags of a command; each option is taken out as it is parsed, and
/// [`Flags::finish`] rejects whatever is left.
struct Flags {
    rest: Vec<String>,
}

impl Flags {
    fn new(args: &[String]) -> Self {
        Self { rest: args.to_vec() }
    }

    /// Removes a boolean flag, returning whether it was present.
    fn switch(&mut self, flag: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|arg| arg != flag);
        self.rest.len() != before
    }

    /// Removes the first `--flag VALUE` or `--flag=VALUE`, returning the value.
    fn value(&mut self, flag: &str) -> Result<Option<String>, Error> {
        let prefix = format!("{flag}=");
        let Some(index) = self.rest.iter().position(|arg| arg == flag || arg.starts_with(&prefix)) else {
            return Ok(None);
        };
        let arg = self.rest.remove(index);
        if let Some(value) = arg.strip_prefix(&prefix) {
            return Ok(Some(value.to_owned()));
        }
        if index < self.rest.len() {
            Ok(Some(self.rest.remove(index)))
        } else {
            Err(usage_error(format!("{flag} expects a value")))
        }
    }

    /// Fails if any argument was not recognised.
    fn finish(self) -> Result<(), Error> {
        match self.rest.first() {
            None => Ok(()),
            Some(arg) => Err(usage_error(format!("unexpected argument `{arg}`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command, Error> {
        let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(&argv)
    }

    #[test]
    fn serve_defaults() {
        let Ok(Command::Serve(options)) = parse_str("serve") else {
            panic!("expected serve");
        };
        assert_eq!(options, ServeOptions::default());
        assert_eq!(
            (options.host.as_str(), options.port, options.build),
            ("127.0.0.1", 8080, true)
        );
    }

    #[test]
    fn serve_options_in_both_spellings() {
        let Ok(Command::Serve(options)) = parse_str("serve --no-build --port 0 --host=0.0.0.0 --dir /tmp/x") else {
            panic!("expected serve");
        };
        assert_eq!(options.port, 0);
        assert_eq!(options.host, "0.0.0.0");
        assert!(!options.build);
        assert_eq!(options.dir, Some(PathBuf::from("/tmp/x")));
    }

    #[test]
    fn test_only_accepts_lists_and_repeats() {
        let Ok(Command::Test(options)) = parse_str("test --only fmt,clippy --only wasm --skip-install") else {
            panic!("expected test");
        };
        assert!(options.skip_install);
        assert_eq!(options.only, Some(vec![Step::Fmt, Step::Clippy, Step::Wasm]));
    }

    #[test]
    fn rejects_unknown_things() {
        assert!(parse_str("frobnicate").is_err());
        assert!(parse_str("test --only nope").is_err());
        assert!(parse_str("serve --port").is_err());
        assert!(parse_str("serve --port 99999").is_err());
        assert!(parse_str("test --verbose").is_err());
    }

    #[test]
    fn bench_wasm_takes_skip_install_and_speed() {
        assert_eq!(
            parse_str("bench-wasm --skip-install").ok(),
            Some(Command::BenchWasm {
                skip_install: true,
                module: Module::Small
            })
        );
        assert_eq!(
            parse_str("bench-wasm --speed").ok(),
            Some(Command::BenchWasm {
                skip_install: false,
                module: Module::Fast
            })
        );
        assert!(parse_str("bench-wasm --only wasm").is_err());
    }

    #[test]
    fn speed_builds_the_fast_module() {
        let Ok(Command::Serve(options)) = parse_str("serve --speed --port 0") else {
            panic!("expected serve");
        };
        assert_eq!((options.module, options.port), (Module::Fast, 0));
        assert_eq!(
            parse_str("build-web --speed").ok(),
            Some(Command::BuildWeb {
                skip_install: false,
                out: None,
                module: Module::Fast,
                page_only: false
            })
        );
        assert_eq!(
            parse_str("build-web --page-only --skip-install").ok(),
            Some(Command::BuildWeb {
                skip_install: true,
                out: None,
                module: Module::Small,
                page_only: true
            })
        );
        let Ok(Command::BuildWeb { module, .. }) = parse_str("build-web") else {
            panic!("expected build-web");
        };
        assert_eq!(module, Module::Small);
        assert_eq!(
            (Module::Small.profile(), Module::Fast.profile()),
            ("wasm-release", "wasm-speed")
        );
        assert!(
            parse_str("test --speed").is_err(),
            "the tests build the small module only"
        );
    }

    #[test]
    fn no_arguments_means_help() {
        assert_eq!(parse_str("").ok(), Some(Command::Help));
    }
}
