//! `cargo xtask serve`: a small std-only, thread-per-connection static file server for `web/`.
//!
//! Only what a local playground needs: `GET`/`HEAD`, correct MIME types (`application/wasm`
//! for `instantiateStreaming`), `index.html` for directories, 404s, no path traversal, and
//! `Cache-Control: no-store` so a rebuilt bundle is always picked up.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::ctx::{Ctx, Error, Result};
use crate::web::Module;
use crate::{tools, web};

/// Options of `cargo xtask serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Address to listen on.
    pub host: String,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Build the web bundle first.
    pub build: bool,
    /// Skip the tools check before building.
    pub skip_install: bool,
    /// Directory to serve instead of `web/` (hidden option).
    pub dir: Option<PathBuf>,
    /// Which module to build (`--speed`: the one optimised for speed).
    pub module: Module,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8080,
            build: true,
            skip_install: false,
            dir: None,
            module: Module::Small,
        }
    }
}

/// Builds (unless `--no-build`), then serves until the process is killed.
pub fn run(ctx: &Ctx, options: &ServeOptions) -> Result {
    if options.build {
        if !options.skip_install {
            tools::ensure(ctx)?;
        }
        web::build(ctx, options.module)?;
    } else if options.dir.is_none() && !ctx.path(web::PKG_DIR).is_dir() {
        eprintln!(
            "warning: {} does not exist; the page cannot load until you run `cargo xtask build-web`",
            web::PKG_DIR
        );
    }
    let dir = options.dir.clone().unwrap_or_else(|| ctx.path("web"));
    let server = Server::bind(&options.host, options.port, &dir)?;
    // The one line on stdout: the end-to-end tests read it to find the URL.
    println!("Serving the ECS Placement Playground at {}", server.url());
    io::stdout()
        .flush()
        .map_err(|e| Error::new(format!("cannot write to stdout: {e}")))?;
    eprintln!("    serving {} (Ctrl-C to stop)", server.root.display());
    server.run();
    Ok(())
}

/// A bound listener and the directory it serves.
pub struct Server {
    listener: TcpListener,
    host: String,
    root: Arc<PathBuf>,
}

impl Server {
    /// Binds `host:port` to serve `dir`.
    pub fn bind(host: &str, port: u16, dir: &Path) -> Result<Self> {
        let root = dir.canonicalize().map_err(|e| {
            Error::new(format!("cannot serve {}: {e}", dir.display()))
                .hint("run from a checkout that has the web/ directory")
        })?;
        let listener = TcpListener::bind((host, port)).map_err(|e| {
            Error::new(format!("cannot listen on {host}:{port}: {e}"))
                .hint("pick another port with `--port N`, or `--port 0` for any free port")
        })?;
        Ok(Self {
            listener,
            host: host.to_owned(),
            root: Arc::new(root),
        })
    }

    /// `http://HOST:PORT/` with the port actually bound.
    pub fn url(&self) -> String {
        let port = self.listener.local_addr().map_or(0, |addr| addr.port());
        match self.host.parse::<IpAddr>() {
            Ok(IpAddr::V6(_)) => format!("http://[{}]:{port}/", self.host),
            _ => format!("http://{}:{port}/", self.host),
        }
    }

    /// Accepts connections forever, one thread each.
    pub fn run(self) {
        for stream in self.listener.incoming() {
            match stream {
                Ok(stream) => {
                    let root = Arc::clone(&self.root);
                    std::thread::spawn(move || handle(stream, &root));
                }
                Err(e) => eprintln!("serve: accept failed: {e}"),
            }
        }
    }
}

/// The largest request head we read.
const MAX_HEAD: u64 = 16 * 1024;

/// A parsed request line.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
}

/// A response ready to send.
struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    extra_headers: Vec<(&'static str, String)>,
    body: Body,
}

/// A response body.
enum Body {
    File(File, u64),
    Text(String),
}

impl Response {
    /// A short plain-text response (errors and redirects).
    fn text(status: u16, reason: &'static str, text: &str) -> Self {
        Self {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            extra_headers: Vec::new(),
            body: Body::Text(format!("{status} {reason}: {text}\n")),
        }
    }
}

/// Serves one connection (one request; `Connection: close`).
fn handle(stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let (head_only, response) = match read_request(&stream) {
        Ok(Some(request)) => {
            let response = respond(&request, root);
            if response.status >= 400 {
                eprintln!("serve: {} {} {}", response.status, request.method, request.target);
            }
            (request.method == "HEAD", response)
        }
        Ok(None) => return,
        Err(_) => (false, Response::text(400, "Bad Request", "malformed request")),
    };
    let _ = write_response(&stream, response, head_only);
}

/// Reads the request line and skips the headers; `None` if the client sent nothing.
fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let request =
        parse_request_line(&line).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad request line"))?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    Ok(Some(request))
}

/// Parses `GET /path HTTP/1.1`.
fn parse_request_line(line: &str) -> Option<Request> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    parts.next()?.starts_with("HTTP/").then_some(Request { method, target })
}

/// Decides the response to a request.
fn respond(request: &Request, root: &Path) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        let mut response = Response::text(405, "Method Not Allowed", "only GET and HEAD are supported");
        response.extra_headers.push(("Allow", "GET, HEAD".into()));
        return response;
    }
    let path = request.target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Response::text(400, "Bad Request", "the path must start with /");
    }
    let Some(decoded) = percent_decode(path) else {
        return Response::text(400, "Bad Request", "bad percent-encoding");
    };
    match resolve(root, &decoded) {
        Resolved::File(file) => serve_file(&file),
        Resolved::Directory if !path.ends_with('/') => {
            // Redirect so that relative URLs in index.html resolve inside the directory.
            let mut response = Response::text(301, "Moved Permanently", "see the Location header");
            response.extra_headers.push(("Location", format!("{path}/")));
            response
        }
        Resolved::Directory => Response::text(404, "Not Found", "this directory has no index.html"),
        Resolved::NotFound => Response::text(404, "Not Found", &decoded),
        Resolved::Forbidden => Response::text(403, "Forbidden", "path outside the served directory"),
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// A file to send (for a directory: its index.html).
    File(PathBuf),
    /// A directory without index.html, or one requested without a trailing slash.
    Directory,
    NotFound,
    /// `..`, or a symlink pointing outside the root.
    Forbidden,
}

/// Maps a decoded URL path onto the (canonical) root, refusing to leave it.
fn resolve(root: &Path, decoded: &str) -> Resolved {
    let mut path = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Resolved::Forbidden,
            s if s.contains(['\\', '\0']) || s.contains(':') => return Resolved::Forbidden,
            s => path.push(s),
        }
    }
    let Ok(real) = path.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::Forbidden;
    }
    if real.is_file() {
        return Resolved::File(real);
    }
    let index = real.join("index.html");
    if decoded.ends_with('/') && index.is_file() {
        Resolved::File(index)
    } else if real.is_dir() {
        Resolved::Directory
    } else {
        Resolved::NotFound
    }
}

/// A 200 response streaming `path`.
fn serve_file(path: &Path) -> Response {
    let opened = File::open(path).and_then(|file| {
        let len = file.metadata()?.len();
        Ok((file, len))
    });
    match opened {
        Ok((file, len)) => Response {
            status: 200,
            reason: "OK",
            content_type: mime_type(path),
            extra_headers: Vec::new(),
            body: Body::File(file, len),
        },
        Err(_) => Response::text(404, "Not Found", "cannot read the file"),
    }
}

/// Writes the status line, headers and (unless `HEAD`) the body.
fn write_response(mut stream: &TcpStream, response: Response, head_only: bool) -> io::Result<()> {
    let length = match &response.body {
        Body::File(_, len) => *len,
        Body::Text(text) => text.len() as u64,
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status, response.reason, response.content_type
    );
    for (name, value) in &response.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        match response.body {
            Body::File(mut file, _) => {
                io::copy(&mut file, &mut stream)?;
            }
            Body::Text(text) => stream.write_all(text.as_bytes())?,
        }
    }
    stream.flush()
}

/// Decodes `%XX` escapes; `None` if malformed or not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension.
fn mime_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary directory removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!("xtask-serve-{tag}-{}-{nanos}", std::process::id()));
            std::fs::create_dir_all(dir.join("web/pkg")).expect("mkdir");
            std::fs::write(dir.join("web/index.html"), "<!doctype html><title>t</title>").expect("write");
            std::fs::write(dir.join("web/pkg/app.wasm"), b"\0asm\x01\0\0\0").expect("write");
            std::fs::write(dir.join("web/pkg/app.js"), "export {};").expect("write");
            std::fs::write(dir.join("secret.txt"), "secret").expect("write");
            Self(dir)
        }
        fn web(&self) -> PathBuf {
            self.0.join("web").canonicalize().expect("canonical")
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Sends a raw request to a running server and returns the whole response.
    fn fetch(url: &str, request: &str) -> String {
        let address = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).expect("connect");
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("x.js")), "text/javascript");
        assert_eq!(mime_type(Path::new("x.MJS")), "text/javascript");
        assert_eq!(mime_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn request_lines() {
        assert_eq!(
            parse_request_line("GET /a?b HTTP/1.1\r\n"),
            Some(Request {
                method: "GET".into(),
                target: "/a?b".into()
            })
        );
        assert_eq!(parse_request_line("GET /a\r\n"), None);
        assert_eq!(parse_request_line(""), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/bad%2"), None);
        assert_eq!(percent_decode("/bad%zz"), None);
    }

    #[test]
    fn resolution_stays_inside_the_root() {
        let tmp = TempDir::new("resolve");
        let web = tmp.web();
        assert_eq!(resolve(&web, "/"), Resolved::File(web.join("index.html")));
        assert_eq!(resolve(&web, "/pkg/app.wasm"), Resolved::File(web.join("pkg/app.wasm")));
        assert_eq!(resolve(&web, "/pkg"), Resolved::Directory);
        assert_eq!(resolve(&web, "/pkg/"), Resolved::Directory);
        assert_eq!(resolve(&web, "/nope.js"), Resolved::NotFound);
        assert_eq!(resolve(&web, "/../secret.txt"), Resolved::Forbidden);
        assert_eq!(resolve(&web, "/pkg/../../secret.txt"), Resolved::Forbidden);
        assert_eq!(resolve(&web, "/..\\secret.txt"), Resolved::Forbidden);
    }

    #[test]
    fn serves_over_http() {
        let tmp = TempDir::new("http");
        let server = Server::bind("127.0.0.1", 0, &tmp.web()).expect("bind");
        let url = server.url();
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with('/'), "{url}");
        std::thread::spawn(move || server.run());

        let index = fetch(&url, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"), "{index}");
        assert!(index.contains("Cache-Control: no-store\r\n"), "{index}");
        assert!(index.ends_with("<title>t</title>"), "{index}");

        let wasm = fetch(&url, "GET /pkg/app.wasm?v=1 HTTP/1.1\r\n\r\n");
        assert!(wasm.contains("Content-Type: application/wasm\r\n"), "{wasm}");
        assert!(wasm.contains("Content-Length: 8\r\n"), "{wasm}");

        let head = fetch(&url, "HEAD /pkg/app.js HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Type: text/javascript\r\n"), "{head}");
        assert!(head.ends_with("\r\n\r\n"), "HEAD must have no body: {head}");

        let redirect = fetch(&url, "GET /pkg HTTP/1.1\r\n\r\n");
        assert!(redirect.starts_with("HTTP/1.1 301 "), "{redirect}");
        assert!(redirect.contains("Location: /pkg/\r\n"), "{redirect}");

        assert!(fetch(&url, "GET /missing.js HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
        assert!(fetch(&url, "GET /../secret.txt HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 403 "));
        assert!(fetch(&url, "GET /%2e%2e/secret.txt HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 403 "));
        assert!(fetch(&url, "POST / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
        assert!(fetch(&url, "nonsense\r\n\r\n").starts_with("HTTP/1.1 400 "));
    }
}
