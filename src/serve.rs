//! Serve: the local preview server. Serves the output folder over HTTP on the address
//! `--bind` gives (127.0.0.1 unless told otherwise), adds the live-reload script (and,
//! after a failed build, an error overlay) to HTML responses, and pushes a reload event to
//! every open page after each build. Never reads a file outside the output folder. Uses
//! the HTML/URL helpers and the watch loop's shared build status.

mod front;

use std::fs;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::diag::Fatal;
use crate::html::{escape, percent_decode, percent_encode_path};
use crate::watch::Shared;

/// The reserved path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__hallbar/events";

/// The preview server: the public port, read by [`front`] within its limits, and tiny_http
/// behind it on a socket private to this process.
pub struct Server {
    public: TcpListener,
    http: tiny_http::Server,
    inner: front::Inner,
    limits: front::Limits,
    hosts: Hosts,
}

impl Server {
    /// Stops answering (requests under way are finished) and removes the private socket.
    pub fn unblock(&self) {
        self.http.unblock();
        self.inner.remove();
    }
}

/// Binds the server, trying up to ten ports from `port` on (port 0: any free port).
pub fn bind(ip: IpAddr, port: u16) -> Result<(Server, SocketAddr), Fatal> {
    let tries = if port == 0 { 1 } else { 10 };
    let mut last = String::new();
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(public) => {
                let addr = public.local_addr().unwrap_or(SocketAddr::new(ip, p));
                if p != port && port != 0 {
                    crate::watch::say!("port {port} is in use; using port {} instead", addr.port());
                }
                return Ok((behind(public, ip)?, addr));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Fatal::Refused(format!(
        "cannot listen on {ip} ports {port}–{}: {last}; choose another with --port",
        port.saturating_add(tries - 1)
    )))
}

/// tiny_http on a private socket, for the front threads to pass requests to.
fn behind(public: TcpListener, ip: IpAddr) -> Result<Server, Fatal> {
    let refused = |e: String| Fatal::Refused(format!("cannot start the preview server: {e}"));
    let (inner, listener) = front::Inner::listen().map_err(|e| refused(e.to_string()))?;
    let http = tiny_http::Server::from_listener(listener, None).map_err(|e| {
        inner.remove();
        refused(e.to_string())
    })?;
    Ok(Server {
        public,
        http,
        inner,
        limits: front::Limits::from_env(),
        hosts: Hosts::for_bind(ip),
    })
}

/// Answers requests until the server is unblocked; each connection and each request gets
/// its own thread so a slow client or an open event stream never holds up another.
pub fn run(server: Arc<Server>, out_dir: PathBuf, shared: Arc<Shared>) {
    match server.public.try_clone() {
        Ok(public) => {
            let (inner, limits) = (server.inner.clone(), server.limits);
            std::thread::spawn(move || front::accept_loop(public, inner, limits));
        }
        Err(e) => crate::watch::say!("error: cannot accept connections: {e}"),
    }
    let hosts = server.hosts;
    for request in server.http.incoming_requests() {
        let out_dir = out_dir.clone();
        let shared = shared.clone();
        // A thread the system refuses drops that request (its client sees the connection
        // close), never the server.
        let _ =
            std::thread::Builder::new().spawn(move || handle(request, &out_dir, &shared, hosts));
    }
}

/// Which `Host` headers are answered. A web page elsewhere can make the browser send
/// requests here under its own name by pointing that name at 127.0.0.1 (DNS rebinding);
/// refusing every name but local ones keeps such pages from reading the preview.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hosts {
    /// Bound to a loopback address: only local names (see [`local_host`]).
    Local,
    /// Bound to another address (such as 0.0.0.0, to be seen from the network): the preview
    /// is open to the network anyway, and is reached by names we cannot know.
    Any,
}

impl Hosts {
    fn for_bind(ip: IpAddr) -> Hosts {
        if ip.is_loopback() {
            Hosts::Local
        } else {
            Hosts::Any
        }
    }

    /// Whether a request with this `Host` header (if any) is answered. No header (HTTP/1.0)
    /// is fine: browsers always send one. The port is not checked: a tunnel or a container
    /// may map another port to ours, and rebinding is about the name.
    fn allow(self, host: Option<&str>) -> bool {
        self == Hosts::Any || host.is_none_or(local_host)
    }
}

/// Whether `host` (a `Host` header's value) names this machine in a way no outside web
/// page can take over: an IP address literal or `localhost` or a name under `.localhost`
/// (RFC 6761), each with a port or without. An empty value is no host at all (RFC 9110
/// §7.2), like a missing header. Any other name, even one of one label such as
/// `intranet`, is resolved by someone else's DNS, so may lead back here under a page's
/// own origin.
fn local_host(host: &str) -> bool {
    let host = host.trim();
    if host.is_empty() {
        return true;
    }
    let name = if let Some(rest) = host.strip_prefix('[') {
        return rest.split_once(']').is_some_and(|(ip, port)| {
            ip.parse::<std::net::Ipv6Addr>().is_ok() && valid_port(port)
        });
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if valid_port(&format!(":{port}")) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
}

/// An empty string or `:` and a port number.
fn valid_port(s: &str) -> bool {
    s.is_empty()
        || s.strip_prefix(':')
            .is_some_and(|p| p.parse::<u16>().is_ok())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("static header")
    })
}

/// What a request asks for, after checking it cannot leave the output folder.
#[derive(Debug, PartialEq)]
enum Target {
    /// Segments below the output folder (empty for the root), and whether the URL ended in `/`.
    Path(Vec<String>, bool),
    Events,
    Bad,
}

fn route(url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        return Target::Events;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Target::Bad;
    };
    let Some(decoded) = percent_decode(rest) else {
        return Target::Bad;
    };
    if decoded.contains(['\0', '\\']) {
        return Target::Bad;
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Target::Bad,
            s if s.contains(':') => return Target::Bad,
            // hallbar publishes no hidden files; its own (the manifest, a staging
            // folder, a file being replaced) are not for the browser.
            s if s.starts_with('.') => return Target::Bad,
            s => segments.push(s.to_string()),
        }
    }
    Target::Path(segments, decoded.is_empty() || decoded.ends_with('/'))
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The largest HTML page that gets the reload script; a bigger one is served as it is.
const HTML_CAP: u64 = 8 << 20;

fn respond<R: Read>(request: Request, response: Response<R>, ctype: &str, extra: Vec<Header>) {
    let mut response = response
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"));
    for h in extra {
        response = response.with_header(h);
    }
    // The client may have gone; nothing to do about it.
    let _ = request.respond(response);
}

fn text(request: Request, status: u16, body: String, extra: Vec<Header>) {
    let response = Response::from_string(body).with_status_code(StatusCode(status));
    respond(request, response, "text/plain; charset=utf-8", extra);
}

fn handle(request: Request, out_dir: &Path, shared: &Shared, hosts: Hosts) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let body = "405 method not allowed: the preview server answers GET and HEAD\n";
        let allow = vec![header("Allow", "GET, HEAD")];
        return text(request, 405, body.to_string(), allow);
    }
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !hosts.allow(host.as_deref()) {
        let body = format!(
            "403 forbidden: this preview answers only requests for localhost, names under .localhost and IP addresses (such as 127.0.0.1 or [::1]), not for `{}`, so that other web sites cannot read it through your browser (DNS rebinding).\nTo open it under another name, start it with --bind 0.0.0.0 (or this machine's address); that also makes it reachable from your network.\n",
            host.unwrap_or_default()
        );
        return text(request, 403, body, Vec::new());
    }
    match route(request.url()) {
        Target::Events if *request.method() == Method::Head => {
            // The headers of the stream alone: no body, and the response ends.
            respond(
                request,
                Response::empty(200),
                "text/event-stream",
                Vec::new(),
            )
        }
        Target::Events => events(request, shared),
        Target::Bad => text(request, 400, "400 bad request\n".to_string(), Vec::new()),
        Target::Path(segments, slash) => serve_path(request, out_dir, shared, &segments, slash),
    }
}

fn serve_path(request: Request, out: &Path, shared: &Shared, segments: &[String], slash: bool) {
    let mut path = out.to_path_buf();
    path.extend(segments);
    if path.is_dir() {
        if !slash {
            let url = request.url();
            let query = url.find('?').map_or("", |i| &url[i..]);
            // Built from the checked segments: `//host` in a request must not become a
            // redirect to another site.
            let encoded: Vec<String> = segments.iter().map(|s| percent_encode_path(s)).collect();
            let location = format!("/{}/{query}", encoded.join("/"));
            let response = Response::empty(301);
            let extra = vec![header("Location", &location)];
            return respond(request, response, "text/plain; charset=utf-8", extra);
        }
        path.push("index.html");
    }
    if let Ok(rel) = path.strip_prefix(out) {
        shared.wait_until_written(rel, Duration::from_secs(30));
    }
    let ctype = content_type(&path);
    match open_inside(out, &path) {
        Some(file) if ctype.starts_with("text/html") => match read_small(file) {
            Ok(html) => {
                let response = Response::from_data(inject(html, shared));
                respond(request, response, ctype, Vec::new());
            }
            Err(file) => respond(request, streamed(file), ctype, Vec::new()),
        },
        Some(file) => respond(request, streamed(file), ctype, Vec::new()),
        None => {
            let page = open_inside(out, &out.join("404.html"))
                .and_then(|f| read_small(f).ok())
                .unwrap_or_else(|| b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>".to_vec());
            let response = Response::from_data(inject(page, shared)).with_status_code(404);
            respond(request, response, "text/html; charset=utf-8", Vec::new());
        }
    }
}

/// A file sent as it is read, with its length (tiny_http would otherwise chunk it).
fn streamed(file: fs::File) -> Response<fs::File> {
    Response::from_file(file).with_chunked_threshold(usize::MAX)
}

/// The whole file if it is at most [`HTML_CAP`] bytes (or cannot be read), else the file.
fn read_small(file: fs::File) -> Result<Vec<u8>, fs::File> {
    if file.metadata().map_or(0, |m| m.len()) > HTML_CAP {
        return Err(file);
    }
    let mut bytes = Vec::new();
    let _ = file.take(HTML_CAP).read_to_end(&mut bytes);
    Ok(bytes)
}

/// Opens `path` only if it is a file that really lies inside `out_dir` (symbolic links
/// pointing elsewhere are refused).
fn open_inside(out_dir: &Path, path: &Path) -> Option<fs::File> {
    let root = fs::canonicalize(out_dir).ok()?;
    let real = fs::canonicalize(path).ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    fs::File::open(real).ok()
}

/// Adds the live-reload script and, after a failed build, the error overlay.
fn inject(html: Vec<u8>, shared: &Shared) -> Vec<u8> {
    let status = shared.status();
    let mut extra = String::new();
    if !status.errors.is_empty() {
        extra.push_str("<div id=\"hallbar-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.93);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2rem\"><h2 style=\"margin-top:0;color:#ffb4b4\">hallbar: the site has errors; showing the last good build</h2><ul style=\"padding-left:1.2rem\">");
        for e in &status.errors {
            extra.push_str(&format!("<li style=\"margin:.5rem 0\">{}</li>", escape(e)));
        }
        extra.push_str("</ul></div>");
    }
    extra.push_str(&format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}\");s.onmessage=function(){{location.reload();}};}})();</script>"
    ));
    let Ok(text) = std::str::from_utf8(&html) else {
        // Not ours (a file copied from content/): served exactly as it is.
        return html;
    };
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// A Server-Sent Events stream: one `data: reload` per build. Written straight to the
/// socket with a flush per event, since tiny_http would buffer a `Response` body.
fn events(request: Request, shared: &Shared) {
    let mut seen = shared.status().generation;
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let now = shared.wait_for_change(seen, Duration::from_secs(15));
        let msg = if now == seen {
            // A comment line, so a closed connection is noticed and its thread ends.
            ": ping\n\n".to_string()
        } else {
            seen = now;
            format!("data: reload {now}\n\n")
        };
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(v: &[&str], slash: bool) -> Target {
        Target::Path(v.iter().map(|s| s.to_string()).collect(), slash)
    }

    #[test]
    fn routes_normal_paths() {
        assert_eq!(route("/"), seg(&[], true));
        assert_eq!(route("/program/?x=1"), seg(&["program"], true));
        assert_eq!(route("/program"), seg(&["program"], false));
        assert_eq!(
            route("/Min%20rapport.pdf"),
            seg(&["Min rapport.pdf"], false)
        );
        assert_eq!(route("/%C3%A5r/"), seg(&["år"], true));
        assert_eq!(route(EVENTS_PATH), Target::Events);
    }

    #[test]
    fn refuses_every_way_out() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e/%2e%2e/x",
            "/..%5c..%5cwindows",
            "/a\\..\\b",
            "/%00",
            "/a%zz",
            "/a%2",
            "/a%+2",
            "/%+2e%+2e/x",
            "/%ff%fe",
            "/C:/Windows/win.ini",
            "/.hallbar-manifest",
            "/.hallbar-staging/index.html",
            "/program/.index.html.hallbar-tmp",
            "http://example.org/",
            "*",
        ] {
            assert_eq!(route(bad), Target::Bad, "{bad}");
        }
        // An absolute path after the slash is just a path inside the output.
        assert_eq!(route("//etc/passwd"), seg(&["etc", "passwd"], false));
    }

    #[test]
    fn local_host_names_only_on_loopback() {
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:1111",
            "app.localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
            "[::1]",
            "192.168.1.5:1111",
            // No host at all (RFC 9110 §7.2).
            "",
        ] {
            assert!(local_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example:1111",
            "localhost:http",
            "[::1]x",
            "[evil]:1111",
            // One label: resolved by the local network's DNS, which may point it anywhere.
            "intranet",
            "intranet:1111",
            "INTRANET.",
            "x",
            // A port and no name.
            ":1111",
        ] {
            assert!(!local_host(bad), "{bad}");
        }
        let loopback = Hosts::for_bind("127.0.0.1".parse().unwrap());
        assert!(loopback.allow(None));
        assert!(!loopback.allow(Some("evil.example")));
        assert!(!loopback.allow(Some("intranet")));
        let lan = Hosts::for_bind("0.0.0.0".parse().unwrap());
        assert!(lan.allow(Some("evil.example")));
        assert_eq!(Hosts::for_bind("::1".parse().unwrap()), Hosts::Local);
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.WOFF2")), "font/woff2");
        assert_eq!(
            content_type(Path::new("data.csv")),
            "text/csv; charset=utf-8"
        );
    }
}
