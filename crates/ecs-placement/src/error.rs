//! The crate's one error type: a kind (mapped to AWS exception names), a message, and where the
//! problem is (a JSON path or CQL diagnostics with spans).

use crate::diagnostic::{Diagnostic, render_plain};
use serde::Serialize;
use std::fmt;

/// What went wrong, in the terms the AWS API and CLI use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ErrorKind {
    /// AWS `InvalidParameterException`: a request parameter is wrong.
    InvalidParameter,
    /// AWS `ClientException`: the request cannot be served as given.
    Client,
    /// AWS `ClusterNotFoundException`.
    ClusterNotFound,
    /// AWS `TargetNotFoundException`: an attribute target does not exist.
    TargetNotFound,
    /// AWS `AttributeLimitExceededException`: more than 10 custom attributes on a resource.
    AttributeLimitExceeded,
    /// AWS `ServiceNotFoundException`: no service of that name or ARN in the cluster.
    ServiceNotFound,
    /// AWS `ServiceNotActiveException`: the service is DRAINING or INACTIVE.
    ServiceNotActive,
    /// AWS `SerializationException`: an API request body that is not JSON, or a member of
    /// the wrong type (what the AWS JSON protocol answers; the AWS CLI checks this itself).
    Serialization,
    /// AWS `UnknownOperationException`: an API call to an operation the service lacks (or the
    /// playground does not simulate).
    UnknownOperation,
    /// An AWS CLI waiter gave up (`Waiter ServicesStable failed: Max attempts exceeded`); the
    /// AWS CLI exits with 255.
    WaiterFailed,
    /// The AWS CLI could not print the response as asked: a `--query` that is not valid
    /// JMESPath or fails on the response, or a shape `--output table` cannot draw (exit 255).
    OutputFailed,
    /// A command line the AWS CLI itself would reject before calling the service.
    Usage,
    /// A scenario or imported AWS JSON document that cannot be read.
    InvalidInput,
    /// What was asked for is not compiled into this build (the crate's `output-formats` or
    /// `aws-import` feature is off, as in the browser page's first module); nothing ran. A
    /// build with the feature does it.
    FeatureLeftOut,
}

impl ErrorKind {
    /// The AWS exception name for service errors; `None` for usage and input errors.
    pub fn aws_exception(self) -> Option<&'static str> {
        match self {
            ErrorKind::InvalidParameter => Some("InvalidParameterException"),
            ErrorKind::Client => Some("ClientException"),
            ErrorKind::ClusterNotFound => Some("ClusterNotFoundException"),
            ErrorKind::TargetNotFound => Some("TargetNotFoundException"),
            ErrorKind::AttributeLimitExceeded => Some("AttributeLimitExceededException"),
            ErrorKind::ServiceNotFound => Some("ServiceNotFoundException"),
            ErrorKind::ServiceNotActive => Some("ServiceNotActiveException"),
            ErrorKind::Serialization => Some("SerializationException"),
            ErrorKind::UnknownOperation => Some("UnknownOperationException"),
            ErrorKind::Usage
            | ErrorKind::InvalidInput
            | ErrorKind::WaiterFailed
            | ErrorKind::OutputFailed
            | ErrorKind::FeatureLeftOut => None,
        }
    }
}

/// An error with its kind, message and location. Serialized with its AWS `exception` name.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The kind.
    pub kind: ErrorKind,
    /// What went wrong.
    pub message: String,
    /// The JSON path (e.g. `instances[2].registeredResources.cpu`) of the offending input.
    pub path: Option<String>,
    /// The CQL source the diagnostics refer to.
    pub source_text: Option<String>,
    /// CQL diagnostics behind the error.
    pub diagnostics: Vec<Diagnostic>,
    /// A machine-readable next step for user interfaces (`import-instances`: this is
    /// `describe-container-instances` output; `import-tasks`: `describe-tasks` output).
    pub hint: Option<&'static str>,
}

/// The serialized form of [`Error`]: its fields plus the AWS exception name of its kind.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorView<'a> {
    kind: ErrorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: Option<&'static str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_text: Option<&'a str>,
    #[serde(skip_serializing_if = "<[Diagnostic]>::is_empty")]
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'static str>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        ErrorView {
            kind: self.kind,
            exception: self.kind.aws_exception(),
            message: &self.message,
            path: self.path.as_deref(),
            source_text: self.source_text.as_deref(),
            diagnostics: &self.diagnostics,
            hint: self.hint,
        }
        .serialize(serializer)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            path: None,
            source_text: None,
            diagnostics: Vec::new(),
            hint: None,
        }
    }

    /// Adds a machine-readable hint.
    pub fn with_hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameter, message)
    }

    /// A command-line mistake.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    /// Unreadable input.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// `what` is not compiled into this build (a crate feature is off); nothing ran.
    pub fn left_out(what: &str) -> Self {
        Self::new(
            ErrorKind::FeatureLeftOut,
            format!("{what}: not in this build of the engine (the page runs it on its full module)"),
        )
    }

    /// Adds the JSON path of the offending input.
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attaches CQL diagnostics and the source they refer to.
    pub fn with_diagnostics(mut self, source: &str, diagnostics: Vec<Diagnostic>) -> Self {
        self.source_text = Some(source.to_string());
        self.diagnostics = diagnostics;
        self
    }

    /// The message with the JSON path and rendered diagnostics, for terminals.
    pub fn detailed(&self) -> String {
        let mut text = self.to_string();
        if let (Some(source), false) = (&self.source_text, self.diagnostics.is_empty()) {
            text.push('\n');
            text.push_str(render_plain(source, &self.diagnostics).trim_end());
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) if !path.is_empty() && path != "." => {
                write!(f, "{} (at `{path}`)", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}
