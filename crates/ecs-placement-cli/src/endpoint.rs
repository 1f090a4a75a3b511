//! `placement endpoint`: the ECS API over HTTP for the AWS CLI and the SDKs.
//!
//! The protocol is AWS JSON 1.1: `POST /` with `X-Amz-Target:
//! AmazonEC2ContainerServiceV20141113.<Operation>` and the request JSON as the body; the answer
//! is the operation's JSON, or `{"__type": "<Exception>", "message": "..."}` with status 400
//! (500 for `ServerException`). What an API call does is the core's
//! ([`ecs_placement::aws::api::call`]); this module is the HTTP around it: one scenario behind a
//! mutex, a few worker threads, `--save` after every change, and a clean stop on SIGINT or
//! SIGTERM. Signatures are not checked: any credentials are accepted.

use crate::args::{EndpointOptions, RunOptions};
use crate::commands::load_scenario;
use crate::files::write_atomically;
use crate::output::{err, err_raw, out};
use ecs_placement::aws::api::{self, Reply};
use ecs_placement::{Error, Scenario};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Method, Request, Response, Server};

/// Requests served at once (the scenario itself is behind one lock; requests are fast).
const WORKERS: usize = 4;

/// The largest request body read (the AWS CLI's largest, a task definition, is 64 KiB at AWS).
const MAX_BODY_BYTES: u64 = 8 << 20;

/// The exit code when the endpoint cannot start (the scenario cannot be read, the port is taken).
const START_FAILED: i32 = 255;

/// What the workers share.
struct Shared {
    /// The scenario and where to save it.
    state: Mutex<State>,
    /// Set when a signal asked the endpoint to stop.
    stopping: AtomicBool,
    /// Numbers the `x-amzn-RequestId` of each reply.
    requests: AtomicU64,
    /// Distinguishes this run's request IDs from another run's.
    run: u64,
}

struct State {
    scenario: Scenario,
    save: Option<PathBuf>,
}

/// Lists the operations the endpoint serves.
pub fn list_operations() -> i32 {
    for operation in api::operations() {
        out(operation);
    }
    0
}

/// Serves the scenario until SIGINT or SIGTERM; returns the exit code (0 after a signal).
pub fn serve(options: &EndpointOptions) -> i32 {
    let run_options = RunOptions {
        scenario: options.scenario.clone(),
        seed: options.seed,
        ..RunOptions::default()
    };
    let scenario = match load_scenario(&run_options) {
        Ok(scenario) => scenario,
        Err(error) => return start_failed(&error.detailed()),
    };
    let server = match Server::http((options.host.as_str(), options.port)) {
        Ok(server) => Arc::new(server),
        Err(error) => {
            return start_failed(&format!("cannot listen on {}:{}: {error}", options.host, options.port));
        }
    };
    let Some(address) = server.server_addr().to_ip() else {
        return start_failed("the server has no IP address");
    };
    announce(address, &scenario, options);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            scenario,
            save: options.save.clone(),
        }),
        stopping: AtomicBool::new(false),
        requests: AtomicU64::new(0),
        run: run_id(),
    });
    if let Err(error) = stop_on_signals(&server, &shared) {
        return start_failed(&format!("cannot handle Ctrl-C: {error}"));
    }
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || work(&server, &shared))
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    err("endpoint: stopped");
    0
}

fn start_failed(message: &str) -> i32 {
    err(&format!("placement endpoint: {message}"));
    START_FAILED
}

/// The first line on stdout (what scripts and tests read), then how to use it on stderr.
fn announce(address: SocketAddr, scenario: &Scenario, options: &EndpointOptions) {
    out(&format!("ECS endpoint: {}", url(address)));
    let _ = std::io::stdout().flush();
    let cluster = &scenario.cluster;
    err(&format!(
        "endpoint: cluster `{}` in {} ({} instances, seed {}); try:\n  aws ecs list-container-instances --endpoint-url {} --region {} --cluster {}\n  Any credentials are accepted (signatures are not checked). Ctrl-C stops.",
        cluster.name,
        cluster.region,
        scenario.instances.len(),
        scenario.seed.map_or_else(|| "none".into(), |s| s.to_string()),
        url(address),
        cluster.region,
        cluster.name
    ));
    if !address.ip().is_loopback() {
        err(&format!(
            "warning: listening on {address}, beyond this machine: anyone who reaches it can change the simulated cluster (no signature is checked)"
        ));
    }
    if let Some(save) = &options.save {
        err(&format!("endpoint: saving to {} after every change", save.display()));
    }
}

/// `http://HOST:PORT`, an IPv6 host in brackets.
fn url(address: SocketAddr) -> String {
    format!("http://{address}")
}

/// On SIGINT, SIGTERM (and SIGHUP) the workers finish the request in hand and stop.
fn stop_on_signals(server: &Arc<Server>, shared: &Arc<Shared>) -> Result<(), ctrlc::Error> {
    let server = Arc::clone(server);
    let shared = Arc::clone(shared);
    ctrlc::set_handler(move || {
        if shared.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        err("endpoint: stopping after the requests in flight");
        for _ in 0..WORKERS {
            server.unblock();
        }
    })
}

fn work(server: &Server, shared: &Shared) {
    while !shared.stopping.load(Ordering::SeqCst) {
        match server.recv() {
            Ok(request) => handle(request, shared),
            Err(_) => break,
        }
    }
}

/// Answers one HTTP request and logs it.
fn handle(mut request: Request, shared: &Shared) {
    let request_id = shared.next_request_id();
    let reply = match read_call(&mut request) {
        Ok(call) => shared.call(call.target.as_deref(), &call.body, call.region.as_deref()),
        Err(refusal) => refusal.reply(),
    };
    let label = reply.operation.unwrap_or("-");
    match reply.exception {
        Some(exception) => err(&format!("endpoint: {label} {} {exception}", reply.status)),
        None => err(&format!("endpoint: {label} {}", reply.status)),
    }
    let mut response = Response::from_string(reply.body.to_string()).with_status_code(reply.status);
    for (name, value) in [("Content-Type", api::CONTENT_TYPE), ("x-amzn-RequestId", &request_id)] {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    if let Err(error) = request.respond(response) {
        err(&format!("endpoint: could not send the reply: {error}"));
    }
}

/// What an HTTP request asks of the API.
struct Call {
    /// The `X-Amz-Target` header.
    target: Option<String>,
    /// The request JSON.
    body: String,
    /// The region the request was signed for.
    region: Option<String>,
}

/// An HTTP request refused before it reaches the API.
struct Refusal {
    status: u16,
    exception: &'static str,
    message: String,
}

impl Refusal {
    fn reply(self) -> Reply {
        Reply {
            operation: None,
            status: self.status,
            body: serde_json::json!({"__type": self.exception, "message": self.message}),
            exception: Some(self.exception),
            changed: false,
            outcome: None,
        }
    }
}

/// The target, body and signing region of a `POST`; any other method is refused.
fn read_call(request: &mut Request) -> Result<Call, Refusal> {
    if *request.method() != Method::Post {
        return Err(refused(
            405,
            "UnknownOperationException",
            format!(
                "The ECS API takes POST requests (JSON 1.1), not {}: point the AWS CLI (--endpoint-url) or an SDK at this URL.",
                request.method()
            ),
        ));
    }
    let target = header_value(request, "X-Amz-Target");
    let region = header_value(request, "Authorization").and_then(|a| signing_region(&a).map(str::to_string));
    let mut bytes = Vec::new();
    let read = request.as_reader().take(MAX_BODY_BYTES + 1).read_to_end(&mut bytes);
    if let Err(error) = read {
        return Err(refused(
            400,
            "SerializationException",
            format!("cannot read the request body: {error}"),
        ));
    }
    if bytes.len() as u64 > MAX_BODY_BYTES {
        return Err(refused(
            413,
            "SerializationException",
            format!("The request body is larger than {} MiB.", MAX_BODY_BYTES >> 20),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(body) => Ok(Call { target, body, region }),
        Err(e) => Err(refused(
            400,
            "SerializationException",
            format!(
                "The request body is not UTF-8 text (invalid byte at offset {}).",
                e.utf8_error().valid_up_to()
            ),
        )),
    }
}

fn refused(status: u16, exception: &'static str, message: String) -> Refusal {
    Refusal {
        status,
        exception,
        message,
    }
}

fn header_value(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

/// The region of a Signature Version 4 `Authorization` header: `AWS4-HMAC-SHA256
/// Credential=AKID/20240101/us-west-2/ecs/aws4_request, ...`.
fn signing_region(authorization: &str) -> Option<&str> {
    let credential = authorization.split("Credential=").nth(1)?;
    let scope = credential.split([',', ' ']).next()?;
    let mut parts = scope.split('/');
    let region = parts.nth(2)?;
    (!region.is_empty()).then_some(region)
}

impl Shared {
    /// Runs one API call under the lock, saving after a change.
    fn call(&self, target: Option<&str>, body: &str, region: Option<&str>) -> Reply {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        let reply = api::call(&mut state.scenario, target, body, region);
        if let Some(outcome) = &reply.outcome {
            for warning in &outcome.warnings {
                err(&format!("warning: {warning}"));
            }
            for step in &outcome.scheduler {
                err_raw(&step.render(false));
            }
        }
        if reply.changed {
            if let Some(path) = &state.save {
                let text = state.scenario.to_json_pretty() + "\n";
                if let Err(error) = write_atomically(path, &text) {
                    report_save_failure(&error);
                }
            }
        }
        reply
    }

    /// A request ID shaped like AWS's (a UUID): this run's number and the request's.
    fn next_request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let run = self.run;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            run >> 32,
            (run >> 16) & 0xffff,
            run & 0xfff,
            (n >> 48) & 0xfff,
            n & 0xffff_ffff_ffff
        )
    }
}

fn report_save_failure(error: &Error) {
    err(&format!("endpoint: --save failed: {}", error.detailed()));
}

/// A number for this run: the time it started, mixed with the process ID.
fn run_id() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ (u64::from(std::process::id()) << 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_signing_region() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-west-2/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(signing_region(header), Some("us-west-2"));
        assert_eq!(signing_region("Bearer x"), None);
        assert_eq!(signing_region("AWS4-HMAC-SHA256 Credential=AK//"), None);
    }

    #[test]
    fn urls_bracket_ipv6() {
        assert_eq!(url("127.0.0.1:80".parse().unwrap()), "http://127.0.0.1:80");
        assert_eq!(url("[::1]:80".parse().unwrap()), "http://[::1]:80");
    }
}
