//! Serve: the local preview server. Serves the output folder over HTTP on the address
//! `--bind` gives (127.0.0.1 unless told otherwise), adds the live-reload script (and,
//! after a failed build, an error overlay) to HTML responses, and pushes a reload event to
//! every open page after each build. Never reads a file outside the output folder. Uses
//! the HTML/URL helpers and the watch loop's shared build status.

use std::fs;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::diag::Fatal;
use crate::html::{escape, percent_decode, percent_encode_path};
use crate::watch::Shared;

/// The reserved path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__hallbar/events";

/// Binds the server, trying up to ten ports from `port` on (port 0: any free port).
pub fn bind(ip: IpAddr, port: u16) -> Result<(Server, SocketAddr), Fatal> {
    let tries = if port == 0 { 1 } else { 10 };
    let mut last = String::new();
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match Server::http(SocketAddr::new(ip, p)) {
            Ok(server) => {
                let addr = server
                    .server_addr()
                    .to_ip()
                    .unwrap_or_else(|| SocketAddr::new(ip, p));
                if p != port && port != 0 {
                    crate::watch::say!("port {port} is in use; using port {} instead", addr.port());
                }
                return Ok((server, addr));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Fatal::Refused(format!(
        "cannot listen on {ip} ports {port}–{}: {last}; choose another with --port",
        port.saturating_add(tries - 1)
    )))
}

/// Answers requests until the server is dropped; each request gets its own thread so a
/// slow client or an open event stream never holds up another.
pub fn run(server: Arc<Server>, out_dir: PathBuf, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let out_dir = out_dir.clone();
        let shared = shared.clone();
        std::thread::spawn(move || handle(request, &out_dir, &shared));
    }
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

fn respond(request: Request, status: u16, ctype: &str, body: Vec<u8>, extra: Vec<Header>) {
    let mut response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"));
    for h in extra {
        response = response.with_header(h);
    }
    // The client may have gone; nothing to do about it.
    let _ = request.respond(response);
}

fn handle(request: Request, out_dir: &Path, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let body = b"405 method not allowed: the preview server answers GET and HEAD\n".to_vec();
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            body,
            vec![header("Allow", "GET, HEAD")],
        );
    }
    let (segments, slash) = match route(request.url()) {
        Target::Events => return events(request, shared),
        Target::Bad => {
            return respond(
                request,
                400,
                "text/plain; charset=utf-8",
                b"400 bad request\n".to_vec(),
                Vec::new(),
            );
        }
        Target::Path(segments, slash) => (segments, slash),
    };
    let mut path = out_dir.to_path_buf();
    path.extend(&segments);
    if path.is_dir() {
        if !slash {
            let url = request.url();
            let query = url.find('?').map_or("", |i| &url[i..]);
            // Built from the checked segments: `//host` in a request must not become a
            // redirect to another site.
            let encoded: Vec<String> = segments.iter().map(|s| percent_encode_path(s)).collect();
            let location = format!("/{}/{query}", encoded.join("/"));
            return respond(
                request,
                301,
                "text/plain; charset=utf-8",
                Vec::new(),
                vec![header("Location", &location)],
            );
        }
        path.push("index.html");
    }
    match read_inside(out_dir, &path) {
        Some(bytes) => {
            let ctype = content_type(&path);
            let body = if ctype.starts_with("text/html") {
                inject(bytes, shared)
            } else {
                bytes
            };
            respond(request, 200, ctype, body, Vec::new());
        }
        None => {
            let page = read_inside(out_dir, &out_dir.join("404.html"))
                .unwrap_or_else(|| b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>".to_vec());
            respond(
                request,
                404,
                "text/html; charset=utf-8",
                inject(page, shared),
                Vec::new(),
            );
        }
    }
}

/// Reads `path` only if it is a file that really lies inside `out_dir` (symbolic links
/// pointing elsewhere are refused).
fn read_inside(out_dir: &Path, path: &Path) -> Option<Vec<u8>> {
    let root = fs::canonicalize(out_dir).ok()?;
    let real = fs::canonicalize(path).ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    fs::read(real).ok()
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
