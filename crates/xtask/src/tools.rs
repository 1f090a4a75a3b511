//! "Ensure tools": checks for everything the build and tests need and installs what is missing.
//! Idempotent, and quick (a few version queries) when everything is already present.

use std::path::Path;

use crate::ctx::{self, Ctx, Error, Result};

/// The Rust target of the browser build.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Where Debian's `chromium-driver` package puts chromedriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Checks every tool, installing what is missing.
pub fn ensure(ctx: &Ctx) -> Result {
    ctx::header("tools");
    ensure_rust_components(ctx)?;
    ensure_wasm_target(ctx)?;
    ensure_wasm_bindgen(ctx)?;
    ensure_debian_packages(ctx)?;
    ensure_clients_venv(ctx)?;
    Ok(())
}

/// The virtualenv of the real-client tests (step `clients`), under the build folder.
pub const CLIENTS_VENV: &str = "target/clients-venv";

/// Its Python.
pub const CLIENTS_PYTHON: &str = "target/clients-venv/bin/python";

/// The pinned AWS CLI v1, boto3 and what they pull in.
const CLIENTS_REQUIREMENTS: &str = "tests/clients/requirements.txt";

/// The copy of the requirements the virtualenv was last installed from.
const CLIENTS_STAMP: &str = "target/clients-venv/installed-requirements.txt";

/// Whether the virtualenv has the AWS CLI and was installed from the current requirements.
pub fn clients_venv_ready(ctx: &Ctx) -> bool {
    let read = |path: &str| std::fs::read_to_string(ctx.path(path)).ok();
    let current = read(CLIENTS_REQUIREMENTS);
    current.is_some()
        && current == read(CLIENTS_STAMP)
        && ctx.path(CLIENTS_PYTHON).is_file()
        && ctx.path(&format!("{CLIENTS_VENV}/bin/aws")).is_file()
}

/// Creates (or refreshes) the virtualenv with `pip install -r tests/clients/requirements.txt`
/// when it is missing or the requirements changed.
fn ensure_clients_venv(ctx: &Ctx) -> Result {
    if clients_venv_ready(ctx) {
        eprintln!("    ok: {CLIENTS_VENV} (AWS CLI v1 and boto3 as pinned in {CLIENTS_REQUIREMENTS})");
        return Ok(());
    }
    eprintln!("    installing {CLIENTS_VENV} from {CLIENTS_REQUIREMENTS} (PyPI)");
    let venv = ctx.path(CLIENTS_VENV);
    let _ = std::fs::remove_dir_all(&venv);
    ctx::run(ctx.command("python3").arg("-m").arg("venv").arg(&venv))
        .map_err(|e| e.hint("install Python 3 with venv (`apt-get install -y python3-venv`), then re-run"))?;
    ctx::run(ctx.command(&ctx.path(CLIENTS_PYTHON).to_string_lossy()).args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        "-r",
        CLIENTS_REQUIREMENTS,
    ]))
    .map_err(|e| e.hint("check the network access to PyPI, then re-run"))?;
    let requirements = ctx.path(CLIENTS_REQUIREMENTS);
    std::fs::copy(&requirements, ctx.path(CLIENTS_STAMP))
        .map(|_| ())
        .map_err(|e| Error::new(format!("cannot record the installed requirements: {e}")))
}

/// rustfmt and clippy (absent from rustup's `minimal` profile).
fn ensure_rust_components(ctx: &Ctx) -> Result {
    let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(subcommand, _)| ctx::capture(&mut ctx.cargo([*subcommand, "--version"])).is_err())
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        eprintln!("    ok: rustfmt and clippy");
        return Ok(());
    }
    eprintln!("    installing rust components: {}", missing.join(", "));
    ctx::run(ctx.command("rustup").args(["component", "add"]).args(&missing))
        .map_err(|e| e.or_hint("install rustup (https://rustup.rs), then re-run"))
}

/// The `wasm32-unknown-unknown` standard library.
fn ensure_wasm_target(ctx: &Ctx) -> Result {
    let installed = ctx::capture(ctx.command("rustup").args(["target", "list", "--installed"])).map_err(|e| {
        e.or_hint(format!(
            "install rustup (https://rustup.rs) or the `{WASM_TARGET}` target"
        ))
    })?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        eprintln!("    ok: {WASM_TARGET} target");
        return Ok(());
    }
    eprintln!("    installing the {WASM_TARGET} target");
    ctx::run(ctx.command("rustup").args(["target", "add", WASM_TARGET]))
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` at exactly the version in Cargo.lock (the CLI
/// refuses to process a module built by a different version of the library).
fn ensure_wasm_bindgen(ctx: &Ctx) -> Result {
    let wanted = locked_wasm_bindgen_version(ctx)?;
    let current = installed_wasm_bindgen_versions(ctx);
    if current.iter().all(|v| v.as_deref() == Some(wanted.as_str())) {
        eprintln!("    ok: wasm-bindgen-cli {wanted}");
        return Ok(());
    }
    eprintln!(
        "    installing wasm-bindgen-cli {wanted} (found: {}); this takes a few minutes",
        describe_versions(&current)
    );
    ctx::run(&mut ctx.cargo(["install", "wasm-bindgen-cli", "--version", &wanted, "--locked"]))
        .map_err(|e| e.hint("check the network access to crates.io, then re-run"))?;
    let after = installed_wasm_bindgen_versions(ctx);
    if after.iter().all(|v| v.as_deref() == Some(wanted.as_str())) {
        Ok(())
    } else {
        Err(Error::new(format!(
            "wasm-bindgen-cli {wanted} was installed, but PATH still finds {}",
            describe_versions(&after)
        ))
        .hint("put cargo's bin directory (~/.cargo/bin) before other wasm-bindgen installs on PATH"))
    }
}

/// The `wasm-bindgen` version recorded in Cargo.lock.
fn locked_wasm_bindgen_version(ctx: &Ctx) -> Result<String> {
    let lock_path = ctx.path("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| {
        Error::new(format!("cannot read {}: {e}", lock_path.display()))
            .hint("run `cargo generate-lockfile` (or any cargo build) to create Cargo.lock")
    })?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        Error::new("Cargo.lock has no `wasm-bindgen` package")
            .hint("build crates/ecs-placement-wasm once (e.g. `cargo check -p ecs-placement-wasm`) to record it")
    })
}

/// The version of the `[[package]]` called `name` in Cargo.lock text.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let name_line = format!("name = \"{name}\"");
    lock.split("[[package]]").find_map(|block| {
        let mut lines = block.lines().map(str::trim);
        if !lines.clone().any(|line| line == name_line) {
            return None;
        }
        lines.find_map(|line| {
            line.strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
                .map(String::from)
        })
    })
}

/// The versions reported by `wasm-bindgen --version` and `wasm-bindgen-test-runner --version`
/// (`None` when missing).
fn installed_wasm_bindgen_versions(ctx: &Ctx) -> [Option<String>; 2] {
    ["wasm-bindgen", "wasm-bindgen-test-runner"].map(|tool| {
        ctx.which(tool)?;
        let output = ctx::capture(ctx.command(tool).arg("--version")).ok()?;
        // "wasm-bindgen 0.2.129" (possibly followed by a commit hash).
        output.split_whitespace().nth(1).map(String::from)
    })
}

/// `0.2.128, missing`-style text for messages.
fn describe_versions(versions: &[Option<String>]) -> String {
    versions
        .iter()
        .map(|v| v.as_deref().unwrap_or("missing"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// chromium, chromedriver (for the browser tests), binaryen (wasm-opt), and jq and Python's
/// venv (for the client tests) from Debian.
fn ensure_debian_packages(ctx: &Ctx) -> Result {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push("chromium");
    }
    if !Path::new(CHROMEDRIVER).exists() {
        missing.push("chromium-driver");
    }
    if ctx.which("wasm-opt").is_none() {
        missing.push("binaryen");
    }
    if ctx.which("jq").is_none() {
        missing.push("jq");
    }
    if ctx.which("python3").is_none() {
        missing.extend(["python3", "python3-venv"]);
    } else if ctx::capture(ctx.command("python3").args(["-c", "import venv, ensurepip"])).is_err() {
        missing.push("python3-venv");
    }
    if missing.is_empty() {
        eprintln!("    ok: chromium, chromedriver, wasm-opt, jq, python3 with venv");
        return Ok(());
    }
    eprintln!("    installing Debian packages: {}", missing.join(" "));
    if ctx.which("apt-get").is_none() {
        return Err(
            Error::new(format!("missing {} and apt-get is not available", missing.join(", "))).hint(format!(
                "install them with your package manager ({CHROMIUM}, {CHROMEDRIVER} and wasm-opt are expected)"
            )),
        );
    }
    let sudo = !is_root(ctx);
    if sudo && ctx.which("sudo").is_none() {
        return Err(Error::new(format!(
            "installing {} needs root, and sudo is not available",
            missing.join(" ")
        ))
        .hint(format!(
            "as root, run: apt-get update && apt-get install -y {}",
            missing.join(" ")
        )));
    }
    apt_get(ctx, sudo, &["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend(&missing);
    apt_get(ctx, sudo, &install)
}

/// Runs `apt-get` non-interactively, through sudo when not root.
fn apt_get(ctx: &Ctx, sudo: bool, args: &[&str]) -> Result {
    let mut command = if sudo {
        // sudo resets the environment, so pass DEBIAN_FRONTEND on its command line.
        let mut command = ctx.command("sudo");
        command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        command
    } else {
        let mut command = ctx.command("apt-get");
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    ctx::run(command.args(args)).map_err(|e| e.hint("check the network access to the Debian mirrors, then re-run"))
}

/// Whether we run as root (`id -u` prints 0).
fn is_root(ctx: &Ctx) -> bool {
    ctx::capture(ctx.command("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "0.2.129"

[[package]]
name = "wasm-bindgen"
version = "0.2.129"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "wasm-bindgen-test"
version = "0.3.79"
"#;

    #[test]
    fn finds_the_exact_package() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").as_deref(), Some("0.2.129"));
        assert_eq!(locked_version(LOCK, "wasm-bindgen-test").as_deref(), Some("0.3.79"));
        assert_eq!(locked_version(LOCK, "serde"), None);
    }

    #[test]
    fn reads_the_real_lock_file() {
        let ctx = Ctx::new().expect("ctx");
        let version = locked_wasm_bindgen_version(&ctx).expect("wasm-bindgen in Cargo.lock");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
