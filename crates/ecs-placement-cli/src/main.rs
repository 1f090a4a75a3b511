//! `placement`: the ECS Placement Playground in a terminal.
//!
//! ```text
//! placement check [--format text|json] EXPRESSION
//! placement import --instances DESCRIBE_CONTAINER_INSTANCES.json [--tasks DESCRIBE_TASKS.json]
//!                  [--services DESCRIBE_SERVICES.json [--drop-events]]
//! placement run SCENARIO [--seed N] [--save OUT] [--explain] [--what-if] -- aws ecs <command> ...
//! placement script SCENARIO FILE [--seed N] [--save OUT] [--explain] [--what-if] [--keep-going]
//! placement presets
//! placement endpoint SCENARIO [--host H] [--port N] [--seed N] [--save OUT]
//! placement endpoint --list-operations
//! ```
//! Exit codes follow the AWS CLI: 0 success, 252 command-line mistakes, 254 service errors
//! (`InvalidParameterException`, ...), 255 other failures (unreadable files, a `wait` that gives
//! up); `check` exits 1 for an invalid expression.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod endpoint;
mod files;
mod output;

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = match args::from_os(std::env::args_os().skip(1)).and_then(args::parse) {
        Ok(command) => commands::run(command),
        Err(message) => {
            output::err(&format!("{message}\n\n{}", args::USAGE));
            args::USAGE_ERROR
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(255))
}
