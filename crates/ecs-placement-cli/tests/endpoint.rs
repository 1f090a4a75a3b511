//! `placement endpoint` end to end with raw HTTP (std::net): the first line, AWS JSON bodies and
//! error bodies, concurrent clients, `--save`, and a clean stop on SIGINT and SIGTERM. The real
//! AWS CLI and boto3 drive it in `cargo xtask test`'s `clients` step (tests/clients).

mod common;

use common::repo_root;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

const TARGET: &str = "AmazonEC2ContainerServiceV20141113.";

/// A running `placement endpoint`, killed if a test fails before stopping it.
struct Endpoint {
    child: Child,
    address: String,
    stderr: Option<ChildStderr>,
}

impl Endpoint {
    fn start(extra: &[&str]) -> Endpoint {
        let mut child = Command::new(env!("CARGO_BIN_EXE_placement"))
            .args(["endpoint", "preset:blog", "--port", "0", "--seed", "7"])
            .args(extra)
            .current_dir(repo_root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .trim_end()
            .strip_prefix("ECS endpoint: http://")
            .unwrap_or_else(|| panic!("first line: {first:?}"));
        let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0, "the real port is printed");
        let stderr = child.stderr.take();
        Endpoint {
            child,
            address: url.to_string(),
            stderr,
        }
    }

    /// `POST /` of `body` to `operation`; the status, headers (lower-cased names) and JSON body.
    fn call(&self, operation: &str, body: &str) -> (u16, Vec<(String, String)>, Value) {
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {TARGET}{operation}\r\nContent-Type: application/x-amz-json-1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address,
            body.len()
        );
        self.raw(&request)
    }

    fn raw(&self, request: &str) -> (u16, Vec<(String, String)>, Value) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
        (status, headers, json)
    }

    /// Sends `signal` (INT or TERM) and waits for the exit; the exit code and stderr.
    fn stop(self, signal: &str) -> (i32, String) {
        self.signal(signal);
        self.finish()
    }

    fn signal(&self, signal: &str) {
        let killed = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }

    /// Waits for the exit (after a signal); the exit code and stderr.
    fn finish(mut self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the endpoint did not stop after the signal");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        self.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        (status.code().unwrap_or(-1), stderr)
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn list_operations_follows_the_command_table() {
    let output = common::run(&["endpoint", "--list-operations"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let operations: Vec<&str> = text.lines().collect();
    for expected in [
        "RunTask",
        "ListContainerInstances",
        "DescribeServices",
        "RegisterTaskDefinition",
    ] {
        assert!(operations.contains(&expected), "{operations:?}");
    }
    assert!(
        !operations.iter().any(|o| o.contains(' ')),
        "no waiters: {operations:?}"
    );
}

#[test]
fn answers_in_aws_json_and_stops_on_sigint() {
    let endpoint = Endpoint::start(&[]);
    let (status, headers, body) = endpoint.call("ListContainerInstances", "{}");
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&headers, "content-type"), Some("application/x-amz-json-1.1"));
    assert!(header(&headers, "x-amzn-requestid").is_some_and(|id| id.len() == 36));
    assert_eq!(body["containerInstanceArns"].as_array().unwrap().len(), 12);

    let run = json!({"taskDefinition": "nouvelleApp", "count": 2, "startedBy": "endpoint-test"});
    let (status, _, body) = endpoint.call("RunTask", &run.to_string());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tasks"].as_array().unwrap().len(), 2);
    let (_, _, listed) = endpoint.call("ListTasks", r#"{"startedBy": "endpoint-test"}"#);
    assert_eq!(listed["taskArns"].as_array().unwrap().len(), 2, "{listed}");

    let (code, stderr) = endpoint.stop("INT");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("endpoint: RunTask 200"), "{stderr}");
    assert!(stderr.trim_end().ends_with("endpoint: stopped"), "{stderr}");
}

#[test]
fn errors_are_aws_error_bodies() {
    let endpoint = Endpoint::start(&[]);
    let cases: [(&str, &str, u16, &str); 7] = [
        ("FlyToTheMoon", "{}", 400, "UnknownOperationException"),
        ("RunTask", "{not json", 400, "SerializationException"),
        ("RunTask", r#"{"count": 1}"#, 400, "InvalidParameterException"),
        (
            "RunTask",
            r#"{"taskDefinition": "nouvelleApp", "count": "1"}"#,
            400,
            "SerializationException",
        ),
        (
            "RunTask",
            r#"{"taskDefinition": "no-such-family"}"#,
            400,
            "ClientException",
        ),
        (
            "ListTasks",
            r#"{"cluster": "production"}"#,
            400,
            "ClusterNotFoundException",
        ),
        ("DescribeServices", r#"{"services": ["ghost"]}"#, 200, ""),
    ];
    for (operation, body, status, exception) in cases {
        let (got, headers, reply) = endpoint.call(operation, body);
        assert_eq!(got, status, "{operation} {body}: {reply}");
        assert!(header(&headers, "x-amzn-requestid").is_some());
        if !exception.is_empty() {
            assert_eq!(reply["__type"], exception, "{operation} {body}: {reply}");
            assert!(reply["message"].as_str().is_some_and(|m| !m.is_empty()), "{reply}");
        }
    }
    let (status, _, reply) = endpoint.raw(&format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        endpoint.address
    ));
    assert_eq!(status, 405, "{reply}");
    assert_eq!(reply["__type"], "UnknownOperationException");
    let (code, _) = endpoint.stop("TERM");
    assert_eq!(code, 0);
}

#[test]
fn concurrent_clients_do_not_corrupt_the_scenario() {
    let endpoint = Endpoint::start(&[]);
    let threads = 8;
    let per_thread = 5;
    let revisions: Vec<i64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    (0..per_thread)
                        .map(|_| {
                            let body = json!({"family": "crowd", "containerDefinitions": [{"name": "c", "image": "nginx", "memory": 16}]});
                            let (status, _, reply) = endpoint.call("RegisterTaskDefinition", &body.to_string());
                            assert_eq!(status, 200, "{reply}");
                            reply["taskDefinition"]["revision"].as_i64().unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = revisions.clone();
    sorted.sort_unstable();
    let expected: Vec<i64> = (1..=threads * per_thread).collect();
    assert_eq!(sorted, expected, "each registration got its own revision");
    let (_, _, listed) = endpoint.call("ListTaskDefinitions", r#"{"familyPrefix": "crowd"}"#);
    assert_eq!(
        listed["taskDefinitionArns"].as_array().unwrap().len(),
        usize::try_from(threads * per_thread).unwrap()
    );
}

/// A fresh folder under the build folder for `--save` files.
fn scratch(name: &str) -> PathBuf {
    let dir = repo_root()
        .join("target")
        .join(format!("endpoint-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn save_writes_the_scenario_after_each_change_only() {
    let dir = scratch("save");
    let out = dir.join("saved.json");
    let endpoint = Endpoint::start(&["--save", out.to_str().unwrap()]);
    endpoint.call("ListTasks", "{}");
    endpoint.call("DescribeContainerInstances", r#"{"containerInstances": ["a1-micro"]}"#);
    assert!(files_in(&dir).is_empty(), "reads do not save: {:?}", files_in(&dir));

    let (status, _, reply) = endpoint.call(
        "PutAttributes",
        r#"{"attributes": [{"name": "stack", "value": "prod", "targetType": "container-instance", "targetId": "a1-micro"}]}"#,
    );
    assert_eq!(status, 200, "{reply}");
    assert_eq!(files_in(&dir), ["saved.json"], "no temporary file is left");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(saved["seed"], 7);
    assert!(saved.to_string().contains("\"stack\""), "{saved}");

    let (status, _, _) = endpoint.call("RunTask", r#"{"taskDefinition": "nouvelleApp", "count": 3}"#);
    assert_eq!(status, 200);
    let (_, _, listed) = endpoint.call("ListTasks", "{}");
    let (code, _) = endpoint.stop("INT");
    assert_eq!(code, 0);

    // The saved scenario is the served one: a new `placement run` on it lists the same tasks.
    let again = common::run(&["run", out.to_str().unwrap(), "--", "aws", "ecs", "list-tasks"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let relisted: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(relisted, listed);
    assert_eq!(files_in(&dir), ["saved.json"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let endpoint = Endpoint::start(&[]);
    let port = endpoint.address.rsplit(':').next().unwrap().to_string();
    let output = common::run(&["endpoint", "preset:blog", "--port", &port]);
    assert_eq!(output.status.code(), Some(255));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn a_signal_lets_the_request_in_flight_finish() {
    let endpoint = Endpoint::start(&[]);
    let body = json!({"taskDefinition": "nouvelleApp", "count": 2}).to_string();
    let mut stream = TcpStream::connect(&endpoint.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {TARGET}RunTask\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        endpoint.address,
        body.len()
    )
    .unwrap();
    // `100 Continue` comes when the endpoint starts reading the body: the request is in flight.
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 100"), "{line:?}");
    endpoint.signal("INT");
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(body.as_bytes()).unwrap();
    let mut text = String::new();
    reader.read_to_string(&mut text).unwrap();
    assert!(text.contains("HTTP/1.1 200"), "{text}");
    assert!(text.contains("\"tasks\""), "{text}");
    let (code, stderr) = endpoint.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("endpoint: RunTask 200"), "{stderr}");
}
