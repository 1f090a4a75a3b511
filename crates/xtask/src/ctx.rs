//! Shared plumbing: the workspace location, the tool search path, running commands, and the
//! error type (what failed, and how to fix it).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A failure: what went wrong, and (when known) how to fix it.
#[derive(Debug)]
pub struct Error {
    message: String,
    hint: Option<String>,
}

impl Error {
    /// An error with no hint yet.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    /// Sets how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint unless a more specific one is already present.
    pub fn or_hint(self, hint: impl Into<String>) -> Self {
        if self.hint.is_some() { self } else { self.hint(hint) }
    }

    /// Prefixes the message with context, e.g. the step that failed.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// Prints the error (and hint) to stderr.
    pub fn report(&self) {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("  fix: {hint}");
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Shorthand for results in this crate.
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// Where the workspace is and where to look for tools.
pub struct Ctx {
    /// The workspace root (the directory with the top-level `Cargo.toml`).
    pub root: PathBuf,
    /// `PATH` for child processes: the caller's, plus cargo's bin directory so that freshly
    /// `cargo install`ed tools are found even when it is not on the caller's `PATH`.
    path: OsString,
    /// The cargo that runs us (`$CARGO`), so child builds use the same toolchain.
    cargo: OsString,
}

impl Ctx {
    /// Locates the workspace and builds the tool search path.
    pub fn new() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(2)
            .ok_or_else(|| Error::new("cannot find the workspace root above crates/xtask"))?
            .to_path_buf();
        let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default();
        if let Some(bin) = cargo_bin_dir()
            && !dirs.contains(&bin)
        {
            dirs.push(bin);
        }
        let path = std::env::join_paths(dirs).map_err(|e| Error::new(format!("bad PATH: {e}")))?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Self { root, path, cargo })
    }

    /// A path inside the workspace.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Cargo's target directory: `$CARGO_TARGET_DIR` when set (relative to the workspace root
    /// unless absolute), else `target`.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| self.path("target"), |dir| self.root.join(dir))
    }

    /// Finds an executable on the tool search path.
    pub fn which(&self, name: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    }

    /// A command for `program` (looked up on the tool search path), run from the workspace root
    /// with that search path as its `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let resolved = self
            .which(program)
            .map_or_else(|| program.into(), PathBuf::into_os_string);
        let mut command = Command::new(resolved);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// `cargo <args>` with the toolchain that runs xtask.
    pub fn cargo<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(&self.cargo);
        command.current_dir(&self.root).env("PATH", &self.path).args(args);
        command
    }
}

/// `$CARGO_HOME/bin`, or `~/.cargo/bin`.
fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Whether `path` is a file we may run.
fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// The command line of `command`, for progress and error messages.
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(command.get_args().map(|arg| quote(&arg.to_string_lossy())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes an argument for display if it contains spaces or quotes.
fn quote(arg: &str) -> String {
    if arg.is_empty() || arg.contains([' ', '"', '\'']) {
        format!("'{}'", arg.replace('\'', r"'\''"))
    } else {
        arg.to_owned()
    }
}

/// Runs `command` with inherited stdio, failing if it cannot start or exits unsuccessfully.
pub fn run(command: &mut Command) -> Result {
    let line = describe(command);
    eprintln!("    $ {line}");
    let status = command.status().map_err(|e| spawn_error(&line, &e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!("`{line}` failed ({status})")))
    }
}

/// Runs `command` quietly and returns its stdout, failing if it exits unsuccessfully.
pub fn capture(command: &mut Command) -> Result<String> {
    let line = describe(command);
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| spawn_error(&line, &e))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(Error::new(format!(
            "`{line}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// The error for a program that could not be started.
fn spawn_error(line: &str, error: &std::io::Error) -> Error {
    let err = Error::new(format!("could not run `{line}`: {error}"));
    if error.kind() == std::io::ErrorKind::NotFound {
        err.hint("the program is not installed or not on PATH; `cargo xtask tools` installs the project's tools")
    } else {
        err
    }
}

/// Prints a step header such as `==> clippy (native)`.
pub fn header(title: &str) {
    eprintln!("==> {title}");
}

/// Formats a duration as `0.4s`, `12.3s` or `2m05s`.
pub fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = duration.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

/// Formats a byte count as `519316 bytes (507.1 KiB)`.
pub fn format_size(bytes: u64) -> String {
    // Display only: the precision lost converting to f64 does not matter at these sizes.
    #[allow(clippy::cast_precision_loss)]
    let kib = bytes as f64 / 1024.0;
    format!("{bytes} bytes ({kib:.1} KiB)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(format_duration(Duration::from_millis(420)), "0.4s");
        assert_eq!(format_duration(Duration::from_secs(125)), "2m05s");
    }

    #[test]
    fn describes_commands() {
        let mut command = Command::new("/usr/bin/cargo");
        command.args(["fmt", "--all", "a b"]);
        assert_eq!(describe(&command), "cargo fmt --all 'a b'");
    }

    #[test]
    fn sizes() {
        assert_eq!(format_size(2048), "2048 bytes (2.0 KiB)");
    }

    #[test]
    fn finds_the_workspace_root() {
        let ctx = Ctx::new().expect("ctx");
        assert!(ctx.path("Cargo.toml").is_file());
        assert!(ctx.path("crates/xtask").is_dir());
    }
}
