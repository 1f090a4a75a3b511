//! `cargo xtask test`: every check, in order, stopping at the first failure, with a timed
//! summary at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::ctx::{self, Ctx, Error, Result};
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::web;

/// One step of `cargo xtask test`, in running order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Check for (and install) the tools.
    Tools,
    /// `cargo fmt --all -- --check`.
    Fmt,
    /// clippy, native and wasm32, warnings denied.
    Clippy,
    /// `cargo test --workspace` (with insta in CI mode).
    Native,
    /// The real AWS CLI, boto3 and `jq` against `placement endpoint` (tests/clients).
    Clients,
    /// The wasm-bindgen tests in headless Chromium.
    Wasm,
    /// `cargo xtask build-web`.
    Web,
    /// The Playwright end-to-end tests in tests/e2e.
    E2e,
}

impl Step {
    /// Every step, in running order.
    pub const ALL: [Self; 8] = [
        Self::Tools,
        Self::Fmt,
        Self::Clippy,
        Self::Native,
        Self::Clients,
        Self::Wasm,
        Self::Web,
        Self::E2e,
    ];

    /// The name used by `--only`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tools => "tools",
            Self::Fmt => "fmt",
            Self::Clippy => "clippy",
            Self::Native => "native",
            Self::Clients => "clients",
            Self::Wasm => "wasm",
            Self::Web => "web",
            Self::E2e => "e2e",
        }
    }

    /// The step called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.name() == name)
    }

    /// Whether the step needs the tools that [`tools::ensure`] installs.
    fn needs_tools(self) -> bool {
        matches!(self, Self::Clippy | Self::Clients | Self::Wasm | Self::Web | Self::E2e)
    }

    /// How to fix a failure of this step, when the error itself does not say.
    fn hint(self) -> &'static str {
        match self {
            Self::Tools => "install the missing tool by hand, then re-run `cargo xtask test`",
            Self::Fmt => "run `cargo fmt --all`, review and commit the result",
            Self::Clippy => "fix the clippy findings above (re-run with `cargo xtask test --only clippy`)",
            Self::Native => {
                "fix the failing tests above (re-run with `cargo xtask test --only native`); for an intended \
                 snapshot change run `cargo insta test --review` (or `cargo test` then `cargo insta review`) \
                 and commit the .snap files"
            }
            Self::Clients => {
                "fix the failing client tests above (re-run with `cargo xtask test --only clients`; one file: \
                 `target/clients-venv/bin/python -m unittest discover -s tests/clients -p test_boto3.py`)"
            }
            Self::Wasm => {
                "fix the failing browser tests above (re-run with `cargo xtask test --only wasm`); to debug the \
                 browser set CHROMEDRIVER_ARGS='--verbose --log-path=/tmp/chromedriver.log'"
            }
            Self::Web => "fix the build error above (re-run with `cargo xtask build-web --out target/web-site`)",
            Self::E2e => {
                "fix the failing end-to-end tests above (re-run with `cargo xtask test --only e2e` \
                 after `cargo xtask build-web`)"
            }
        }
    }
}

/// Where the test run writes the deployable site (the end-to-end tests serve it too).
pub const SITE_DIR: &str = "target/web-site";

/// Options of `cargo xtask test`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TestOptions {
    /// Assume the tools are present: do not run the tools step unless asked by `--only`.
    pub skip_install: bool,
    /// Run only these steps (`--only`).
    pub only: Option<Vec<Step>>,
}

impl TestOptions {
    /// The steps to run, in running order. The tools step runs first whenever a selected step
    /// needs tools, unless `--skip-install`.
    fn steps(&self) -> Vec<Step> {
        let selected = |step: Step| self.only.as_ref().is_none_or(|only| only.contains(&step));
        let wants_tools = !self.skip_install && Step::ALL.into_iter().any(|s| selected(s) && s.needs_tools());
        let tools_requested = self.only.as_ref().is_some_and(|only| only.contains(&Step::Tools));
        Step::ALL
            .into_iter()
            .filter(|&step| match step {
                Step::Tools => wants_tools || tools_requested,
                other => selected(other),
            })
            .collect()
    }
}

/// What happened to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Skipped(&'static str),
    Failed,
}

/// Runs the selected steps, stopping at the first failure.
pub fn run(ctx: &Ctx, options: &TestOptions) -> Result {
    let steps = options.steps();
    let mut results: Vec<(Step, Outcome, Duration)> = Vec::new();
    let started = Instant::now();
    for &step in &steps {
        let start = Instant::now();
        let result = run_step(ctx, step);
        let elapsed = start.elapsed();
        match result {
            Ok(outcome) => results.push((step, outcome, elapsed)),
            Err(error) => {
                results.push((step, Outcome::Failed, elapsed));
                print_summary(&steps, &results, started.elapsed());
                eprintln!("FAILED: step `{}`", step.name());
                return Err(error
                    .context(format!("step `{}` failed", step.name()))
                    .or_hint(step.hint()));
            }
        }
    }
    print_summary(&steps, &results, started.elapsed());
    let skipped = results
        .iter()
        .filter(|(_, o, _)| matches!(o, Outcome::Skipped(_)))
        .count();
    let passed = results.len() - skipped;
    let steps_word = |n: usize| if n == 1 { "step" } else { "steps" };
    if skipped == 0 {
        eprintln!("PASSED: all {passed} {}.", steps_word(passed));
    } else {
        eprintln!(
            "PASSED: {passed} {}; {skipped} SKIPPED (see above).",
            steps_word(passed)
        );
    }
    Ok(())
}

/// Runs one step.
fn run_step(ctx: &Ctx, step: Step) -> Result<Outcome> {
    match step {
        Step::Tools => tools::ensure(ctx),
        Step::Fmt => fmt(ctx),
        Step::Clippy => clippy(ctx),
        Step::Native => native(ctx),
        Step::Clients => clients(ctx),
        Step::Wasm => wasm(ctx),
        Step::Web => web::build_site_within_budget(ctx, &ctx.path(SITE_DIR)),
        Step::E2e => return e2e(ctx),
    }
    .map(|()| Outcome::Passed)
}

/// Prints each step's outcome and duration.
fn print_summary(steps: &[Step], results: &[(Step, Outcome, Duration)], total: Duration) {
    ctx::header("summary");
    for &step in steps {
        let line = match results.iter().find(|(s, _, _)| *s == step) {
            Some((_, outcome, elapsed)) => {
                let (label, note) = match outcome {
                    Outcome::Passed => ("ok", String::new()),
                    Outcome::Skipped(why) => ("SKIPPED", format!("  ({why})")),
                    Outcome::Failed => ("FAILED", String::new()),
                };
                format!(
                    "{label:<8} {:<7} {:>7}{note}",
                    step.name(),
                    ctx::format_duration(*elapsed)
                )
            }
            None => format!("{:<8} {}", "not run", step.name()),
        };
        eprintln!("    {line}");
    }
    eprintln!("    total {}", ctx::format_duration(total));
}

/// b. Formatting.
fn fmt(ctx: &Ctx) -> Result {
    ctx::header("fmt");
    ctx::run(&mut ctx.cargo(["fmt", "--all", "--", "--check"]))
}

/// c. Lints for the native targets and for wasm32.
fn clippy(ctx: &Ctx) -> Result {
    ctx::header("clippy (native)");
    ctx::run(&mut ctx.cargo(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    ctx::header("clippy (wasm32)");
    ctx::run(&mut ctx.cargo([
        "clippy",
        "-p",
        "ecs-placement",
        "-p",
        "ecs-placement-wasm",
        "--all-targets",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))?;
    // The page's first module as shipped: without its tests, the core has no preset files
    // compiled in, and without the `full` feature it leaves `--query`, `--output text|table` and
    // importing AWS output out.
    ctx::header("clippy (wasm32, the page's first module as shipped)");
    ctx::run(&mut ctx.cargo([
        "clippy",
        "-p",
        "ecs-placement-wasm",
        "--lib",
        "--no-default-features",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))
}

/// d. Native tests. `CI=true` (and `INSTA_UPDATE=no`) keep insta from writing snapshots. Then
/// the core's tests of a build without the features the page's first module leaves out (what
/// it refuses before running, and that every use case runs whole on it), and a quick
/// check that the cargo-fuzz targets still build (the fuzzing itself is not run here).
fn native(ctx: &Ctx) -> Result {
    ctx::header("native tests");
    ctx::run(
        ctx.cargo(["test", "--workspace"])
            .env("CI", "true")
            .env("INSTA_UPDATE", "no"),
    )?;
    // The core as the page's first module has it: what it leaves out is refused before it runs.
    ctx::header(
        "native tests (the core as the page's first module has it: no `output-formats`, `aws-import`, `all-operations`, `generated-fleets`)",
    );
    ctx::run(&mut ctx.cargo([
        "test",
        "-p",
        "ecs-placement",
        "--no-default-features",
        "--features",
        "embedded-presets",
        "--lib",
        "left_out",
    ]))?;
    fuzz_targets_build(ctx)
}

/// The real clients against `placement endpoint`: the AWS CLI v1 and boto3 from the
/// virtualenv [`tools::CLIENTS_VENV`] (the tools step installs it, and Debian's `jq`), driving a
/// freshly built `placement` (tests/clients/README.md says what each test checks).
fn clients(ctx: &Ctx) -> Result {
    ctx::header("clients (AWS CLI, boto3, jq against placement endpoint)");
    let python = ctx.path(tools::CLIENTS_PYTHON);
    if !tools::clients_venv_ready(ctx) {
        return Err(Error::new(format!(
            "the virtualenv {} is missing or out of date",
            tools::CLIENTS_VENV
        ))
        .hint("run `cargo xtask tools` (or `cargo xtask test --only clients` without --skip-install)"));
    }
    if ctx.which("jq").is_none() {
        return Err(Error::new("jq is not on PATH").hint("run `cargo xtask tools` (or `apt-get install -y jq`)"));
    }
    ctx::run(&mut ctx.cargo(["build", "-p", "ecs-placement-cli", "--bin", "placement"]))?;
    ctx::run(
        ctx.command(&python.to_string_lossy())
            .args(["-m", "unittest", "discover", "-s", "tests/clients", "-v"])
            .env("PLACEMENT", placement_binary(ctx))
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )
}

/// The debug build of the `placement` binary the client tests drive (under `$CARGO_TARGET_DIR`
/// when set).
fn placement_binary(ctx: &Ctx) -> PathBuf {
    ctx.target_dir().join("debug").join("placement")
}

/// The fuzz crate (its own workspace) on the stable toolchain, without sanitizers and without
/// `link_libfuzzer` (which would compile libFuzzer's C++): `cargo check` of every target.
fn fuzz_targets_build(ctx: &Ctx) -> Result {
    ctx::header("fuzz targets build (cargo check)");
    ctx::run(&mut ctx.cargo(FUZZ_CHECK))
}

/// The arguments of the fuzz targets' build check.
const FUZZ_CHECK: [&str; 8] = [
    "check",
    "--manifest-path",
    "crates/ecs-placement/fuzz/Cargo.toml",
    "--no-default-features",
    "--bins",
    "--target-dir",
    "target/fuzz-check",
    "--quiet",
];

/// Chromium flags for the browser tests: headless, and able to run as root in a container.
/// `crates/ecs-placement-wasm/webdriver.json` holds the same list (a unit test keeps them in
/// sync) for running `cargo test --target wasm32-unknown-unknown` by hand.
const CHROME_ARGS: [&str; 8] = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// e. The wasm-bindgen tests in headless Chromium.
///
/// `wasm-bindgen-test-runner` (the wasm32 runner) starts `$CHROMEDRIVER` and reads extra
/// capabilities from `$WASM_BINDGEN_TEST_WEBDRIVER_JSON`, or else from `webdriver.json` in its
/// working directory (cargo runs tests from the crate directory, hence the committed file). It
/// merges `goog:chromeOptions.args` with its own `headless`, `no-sandbox` and
/// `disable-dev-shm-usage`. Here we write a per-run capabilities file that adds a fresh
/// `--user-data-dir`, and remove it (with the profile) afterwards.
fn wasm(ctx: &Ctx) -> Result {
    ctx::header("wasm tests (headless Chromium)");
    let scratch = Scratch::new("wasm-tests")?;
    let mut command = wasm_test_command(
        ctx,
        &scratch,
        &["test", "-p", "ecs-placement-wasm", "--target", WASM_TARGET],
    )?;
    ctx::run(&mut command)
}

/// `cargo xtask bench-wasm`: the browser placement benchmark at full size, built with the page's
/// optimisation profile, its medians printed (`--nocapture`).
pub fn bench_wasm(ctx: &Ctx, module: web::Module) -> Result {
    ctx::header(&format!(
        "placement benchmark in headless Chromium ({})",
        module.profile()
    ));
    let scratch = Scratch::new("wasm-bench")?;
    let features = [&["bench"], module.features()].concat().join(",");
    let args = [
        "test",
        "-p",
        "ecs-placement-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        module.profile(),
        "--features",
        &features,
        "--test",
        "placement_bench",
        "--test",
        "c1m_worker_bench",
        "--",
        "--nocapture",
    ];
    let mut command = wasm_test_command(ctx, &scratch, &args)?;
    // A case keeps the page busy for many seconds (the naive reference of the million-task case
    // took 17-52 s): the driver must wait for the renderer that long, not the tests' 30 s.
    command.env("WASM_BINDGEN_TEST_TIMEOUT", "1800");
    command.env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "900");
    ctx::run(&mut command)
}

/// `cargo ARGS` running wasm test binaries in headless Chromium through
/// `wasm-bindgen-test-runner`, with a fresh browser profile under `scratch`.
fn wasm_test_command(ctx: &Ctx, scratch: &Scratch, args: &[&str]) -> Result<Command> {
    for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
        if !Path::new(path).exists() {
            return Err(Error::new(format!("{path} is missing"))
                .hint(format!("run `cargo xtask tools` (or `apt-get install -y {package}`)")));
        }
    }
    let capabilities = scratch.0.join("webdriver.json");
    std::fs::write(
        &capabilities,
        capabilities_json(Some(&scratch.0.join("chrome-profile"))),
    )
    .map_err(|e| Error::new(format!("cannot write {}: {e}", capabilities.display())))?;

    let mut command = ctx.cargo(args.iter().copied());
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &capabilities);
    // Generous defaults for slow CI machines, unless the caller chose their own.
    for (name, secs) in [
        ("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        ("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30"),
    ] {
        if std::env::var_os(name).is_none() {
            command.env(name, secs);
        }
    }
    // The runner prefers these over CHROMEDRIVER, and NO_HEADLESS makes it wait for a human.
    for name in [
        "NO_HEADLESS",
        "GECKODRIVER",
        "GECKODRIVER_REMOTE",
        "SAFARIDRIVER",
        "SAFARIDRIVER_REMOTE",
        "CHROMEDRIVER_REMOTE",
        "MSEDGEDRIVER",
        "MSEDGEDRIVER_REMOTE",
    ] {
        command.env_remove(name);
    }
    Ok(command)
}

/// The `webdriver.json` capabilities: the Debian Chromium binary and [`CHROME_ARGS`], plus
/// `--user-data-dir` when given a profile directory.
fn capabilities_json(profile: Option<&Path>) -> String {
    let mut args: Vec<String> = CHROME_ARGS.iter().map(|arg| json_string(arg)).collect();
    if let Some(profile) = profile {
        args.push(json_string(&format!("--user-data-dir={}", profile.display())));
    }
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": {},\n    \"args\": [\n      {}\n    ]\n  }}\n}}\n",
        json_string(CHROMIUM),
        args.join(",\n      ")
    )
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A fresh temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("ecs-placement-xtask-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// g. The Playwright end-to-end tests (written in tests/e2e; skipped until they exist).
fn e2e(ctx: &Ctx) -> Result<Outcome> {
    ctx::header("e2e (tests/e2e)");
    let dir = ctx.path("tests/e2e");
    if !dir.join("package.json").is_file() {
        eprintln!("    ************************************************************");
        eprintln!("    SKIPPED: tests/e2e not present");
        eprintln!("    ************************************************************");
        return Ok(Outcome::Skipped("tests/e2e not present"));
    }
    if ctx.which("npm").is_none() {
        return Err(Error::new("npm is not on PATH").hint("install Node.js 20 (with npm), then re-run"));
    }
    if !ctx.path(web::PKG_DIR).is_dir() {
        return Err(
            Error::new(format!("{} is missing, so the page cannot load", web::PKG_DIR))
                .hint("run `cargo xtask build-web` first (or `cargo xtask test --only web,e2e`)"),
        );
    }
    let npm = |args: &[&str]| {
        let mut command = ctx.command("npm");
        command
            .args(args)
            .current_dir(&dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        command
    };
    let lock = dir.join("package-lock.json");
    if !lock.is_file() {
        eprintln!(
            "    warning: tests/e2e has no package-lock.json, so `npm ci` cannot run; using node_modules as it is"
        );
    } else if needs_npm_ci(&dir) {
        ctx::run(&mut npm(&["ci"])).map_err(|e| e.hint("check the network access to the npm registry, then re-run"))?;
    } else {
        eprintln!("    ok: tests/e2e/node_modules is up to date with package-lock.json");
    }
    ctx::run(&mut npm(&["test"]))?;
    Ok(Outcome::Passed)
}

/// Whether `node_modules` is missing or older than `package-lock.json`. npm rewrites
/// `node_modules/.package-lock.json` on every install, so the newer of it and the directory
/// tells when dependencies were last installed.
fn needs_npm_ci(dir: &Path) -> bool {
    let modified = |path: PathBuf| path.metadata().and_then(|m| m.modified()).ok();
    let Some(lock) = modified(dir.join("package-lock.json")) else {
        return false;
    };
    let installed = [dir.join("node_modules"), dir.join("node_modules/.package-lock.json")]
        .into_iter()
        .filter_map(modified)
        .max();
    installed.is_none_or(|installed| installed < lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed capabilities file, relative to the workspace root.
    const WEBDRIVER_JSON: &str = "crates/ecs-placement-wasm/webdriver.json";

    fn names(options: &TestOptions) -> Vec<&'static str> {
        options.steps().into_iter().map(Step::name).collect()
    }

    #[test]
    fn default_runs_everything_in_order() {
        assert_eq!(
            names(&TestOptions::default()),
            ["tools", "fmt", "clippy", "native", "clients", "wasm", "web", "e2e"]
        );
    }

    #[test]
    fn only_adds_tools_when_needed() {
        let only = |steps: &[Step], skip_install| TestOptions {
            skip_install,
            only: Some(steps.to_vec()),
        };
        assert_eq!(names(&only(&[Step::Fmt], false)), ["fmt"]);
        assert_eq!(names(&only(&[Step::Wasm], false)), ["tools", "wasm"]);
        assert_eq!(names(&only(&[Step::Wasm], true)), ["wasm"]);
        assert_eq!(names(&only(&[Step::E2e, Step::Web], true)), ["web", "e2e"]);
        assert_eq!(names(&only(&[Step::Tools], true)), ["tools"]);
        assert_eq!(names(&only(&[Step::Clients], false)), ["tools", "clients"]);
        assert_eq!(
            names(&only(&[Step::Clients, Step::Native], true)),
            ["native", "clients"]
        );
    }

    #[test]
    fn skip_install_drops_tools() {
        let options = TestOptions {
            skip_install: true,
            only: None,
        };
        assert_eq!(
            names(&options),
            ["fmt", "clippy", "native", "clients", "wasm", "web", "e2e"]
        );
    }

    #[test]
    fn committed_webdriver_json_matches_the_flags() {
        let ctx = Ctx::new().expect("ctx");
        let committed = std::fs::read_to_string(ctx.path(WEBDRIVER_JSON)).expect("read webdriver.json");
        assert_eq!(
            committed,
            capabilities_json(None),
            "{WEBDRIVER_JSON} is out of sync with CHROME_ARGS in crates/xtask/src/testing.rs"
        );
    }

    #[test]
    fn capabilities_include_a_profile() {
        let json = capabilities_json(Some(Path::new("/tmp/a \"b\"")));
        assert!(json.contains(r#""--user-data-dir=/tmp/a \"b\"""#), "{json}");
        assert!(json.contains(r#""binary": "/usr/bin/chromium""#), "{json}");
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_string("a\\b\"c\n"), r#""a\\b\"c\u000a""#);
    }

    #[test]
    fn npm_ci_when_node_modules_is_missing() {
        let scratch = Scratch::new("npm-ci-test").expect("scratch");
        assert!(!needs_npm_ci(&scratch.0), "no lock file: nothing to install");
        std::fs::write(scratch.0.join("package-lock.json"), "{}").expect("write");
        assert!(needs_npm_ci(&scratch.0));
        std::thread::sleep(Duration::from_millis(20));
        std::fs::create_dir(scratch.0.join("node_modules")).expect("mkdir");
        assert!(!needs_npm_ci(&scratch.0));
    }
}
