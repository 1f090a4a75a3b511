//! # ecs-placement
//!
//! A faithful simulator of Amazon ECS task placement: the Cluster Query Language (CQL), the
//! placement funnel, and the AWS API shapes, with an explanation of every decision.
//!
//! The crate is pure Rust with no WebAssembly or I/O dependencies; the `ecs-placement-wasm` and
//! `ecs-placement-cli` crates are thin adapters over it.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod aws;
pub mod catalog;
pub mod cql;
mod decimal;
pub mod diagnostic;
pub mod edit;
pub mod engine;
pub mod error;
pub mod fargate;
#[cfg(feature = "aws-import")]
pub mod import;
pub mod json;
pub mod model;
pub mod name;
mod order;
pub mod presets;
pub mod query;
pub mod rng;
pub mod scenario;
pub mod service;
pub mod similar;
pub mod task_arn;
pub mod taskdef;
pub mod time;
pub mod view;

pub use diagnostic::{Diagnostic, Severity, Span};
pub use error::{Error, ErrorKind, Result};
pub use name::Name;
pub use scenario::Scenario;
pub use task_arn::TaskArn;
