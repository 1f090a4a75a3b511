//! Project automation for the ECS Placement Playground, run as `cargo xtask <command>`
//! (the alias lives in `.cargo/config.toml`).
//!
//! The two commands the README promises:
//!
//! * `cargo xtask serve`: build the web bundle and serve `web/` at <http://127.0.0.1:8080/>.
//! * `cargo xtask test`: every check CI runs (fmt, clippy, native tests, browser tests, the web
//!   build and the end-to-end tests), installing any missing tool first.
//!
//! Deliberately std-only so that it compiles in a couple of seconds on a fresh machine.
#![forbid(unsafe_code)]

mod args;
mod bundle;
mod ctx;
mod order;
mod serve;
mod testing;
mod tools;
mod web;

use std::process::ExitCode;

use args::Command;
use ctx::{Ctx, Error};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.report();
            ExitCode::FAILURE
        }
    }
}

/// Parses the command line and runs the chosen command.
fn run(argv: &[String]) -> Result<(), Error> {
    let command = args::parse(argv)?;
    let ctx = Ctx::new()?;
    match command {
        Command::Help => {
            print!("{}", args::USAGE);
            Ok(())
        }
        Command::Serve(options) => serve::run(&ctx, &options),
        Command::BuildWeb {
            skip_install,
            out,
            module,
            page_only,
        } => {
            if !skip_install {
                tools::ensure(&ctx)?;
            }
            if page_only {
                web::build_page_only(&ctx, module)?;
            } else {
                web::build(&ctx, module)?;
            }
            match out {
                Some(out) => bundle::write(&ctx, &out),
                None => Ok(()),
            }
        }
        Command::Test(options) => testing::run(&ctx, &options),
        Command::BenchWasm { skip_install, module } => {
            if !skip_install {
                tools::ensure(&ctx)?;
            }
            testing::bench_wasm(&ctx, module)
        }
        Command::Tools => tools::ensure(&ctx),
    }
}
