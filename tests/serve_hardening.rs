//! The preview server under hostile or careless clients: over-long request heads, idle and
//! dripping connections, large files, `HEAD` of the event stream, and requests for other
//! host names (DNS rebinding). The real `hallbar serve` on a temporary copy of a fixture
//! site, on 127.0.0.1; every wait has a deadline.
//!
//! The helpers are copied from tests/serve.rs (to be folded into the shared harness).

use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(15);

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap();
        if name.to_string_lossy().starts_with("expected") {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(name));
        } else {
            fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// The minimal fixture site copied to a scratch folder.
fn site(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-hardening-{test}"));
    let _ = fs::remove_dir_all(&dir);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal-site");
    copy_dir(&fixture, &dir);
    dir
}

/// A running `hallbar serve`, stopped when dropped.
struct Preview {
    child: Child,
    addr: SocketAddr,
    _lines: mpsc::Receiver<String>,
}

impl Preview {
    fn start(root: &Path, env: &[(&str, &str)]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hallbar"))
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let start = Instant::now();
        loop {
            let Ok(line) = rx.recv_timeout(DEADLINE.saturating_sub(start.elapsed())) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("hallbar serve did not print its address in time");
            };
            if let Some(rest) = line.strip_prefix("serving http://") {
                let addr = rest.split('/').next().unwrap().parse().unwrap();
                return Preview {
                    child,
                    addr,
                    _lines: rx,
                };
            }
        }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        s
    }

    /// The resident memory of the server process, in bytes.
    fn rss(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("VmRSS in /proc/PID/status");
        kb * 1024
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Sends `raw` and reads the reply up to the end of the connection, which must come
/// within the deadline.
fn exchange(p: &Preview, raw: &str) -> Reply {
    let mut s = p.connect();
    s.write_all(raw.as_bytes()).unwrap();
    let start = Instant::now();
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let left = DEADLINE.saturating_sub(start.elapsed());
        assert!(
            !left.is_zero(),
            "no end to the reply within {DEADLINE:?}; so far: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("{e}; so far: {:?}", String::from_utf8_lossy(&bytes)),
        }
    }
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Reply {
    let at = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&bytes[..at]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head,
        body: bytes[at..].to_vec(),
    }
}

fn get(p: &Preview, path: &str, host: &str) -> Reply {
    exchange(
        p,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

/// Whether the server closed `s` within `within` (EOF or a reset, after any reply).
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let start = Instant::now();
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) if start.elapsed() < within => {}
            Ok(_) => return false,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn an_endless_request_line_is_refused_without_growing_the_server() {
    let root = site("long-line");
    let p = Preview::start(&root, &[]);
    // Warm up: the first request starts the threads and pools it will use anyway.
    assert_eq!(get(&p, "/", "localhost").status, 200);
    let before = p.rss();
    const LINE: usize = 8 << 20;
    let mut s = p.connect();
    let mut w = s.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 << 10];
        let _ = w.write_all(b"GET /");
        for _ in 0..LINE / chunk.len() {
            if w.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    // The server answers (414) or closes well before the client could send it all...
    let mut reply = Vec::new();
    let start = Instant::now();
    let _ = s.read_to_end(&mut reply);
    let answered_in = start.elapsed();
    writer.join().unwrap();
    let grew = p.rss().saturating_sub(before);
    // ...and never holds the line in memory.
    assert!(
        grew < (LINE / 4) as u64,
        "the server grew by {grew} bytes on an {LINE}-byte request line"
    );
    assert!(
        answered_in < Duration::from_secs(5),
        "no answer or close for {answered_in:?}"
    );
    if !reply.is_empty() {
        assert_eq!(parse(&reply).status, 414, "{reply:?}");
    }
    // It still serves.
    assert_eq!(get(&p, "/", "localhost").status, 200);
}

#[test]
fn too_many_header_bytes_get_431_and_a_long_but_fair_url_still_works() {
    let root = site("long-headers");
    let p = Preview::start(&root, &[]);
    let many: String = (0..400)
        .map(|i| format!("X-Filler-{i:03}: {}\r\n", "v".repeat(60)))
        .collect();
    let r = exchange(
        &p,
        &format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}Connection: close\r\n\r\n"),
    );
    assert_eq!(r.status, 431, "{}", r.head);
    // 8000 octets of request line is what RFC 9112 asks every server to take.
    let long = format!("/{}", "a".repeat(8000));
    assert_eq!(get(&p, &long, "localhost").status, 404);
}

#[test]
fn idle_and_dripping_connections_are_closed_but_the_event_stream_stays() {
    let root = site("idle");
    let p = Preview::start(&root, &[("HALLBAR_SERVE_IDLE_MS", "400")]);
    let slack = Duration::from_secs(4);
    // Connected, sends nothing.
    let mut silent = p.connect();
    // Stops in the middle of the head.
    let mut halfway = p.connect();
    halfway
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    // The event stream is quiet between builds, but must stay open.
    let mut events = p.connect();
    events
        .write_all(b"GET /__hallbar/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    // Sends a byte at a time, each well inside the deadline: the head as a whole is late.
    let mut drip = p.connect();
    let start = Instant::now();
    let mut dripped_shut = false;
    for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: yes\r\n\r\n"
        .iter()
        .cycle()
    {
        std::thread::sleep(Duration::from_millis(100));
        if drip.write_all(&[*b]).is_err() || start.elapsed() > slack {
            dripped_shut = start.elapsed() <= slack;
            break;
        }
    }
    assert!(
        closed_within(&mut silent, slack),
        "a silent connection stayed open"
    );
    assert!(
        closed_within(&mut halfway, slack),
        "a half-sent request stayed open"
    );
    assert!(
        dripped_shut || closed_within(&mut drip, Duration::from_millis(100)),
        "a dripping request stayed open for {:?}",
        start.elapsed()
    );
    // Well past the idle deadline the stream still carries the next build's event.
    fs::write(
        root.join("content/program/halsa.md"),
        "---\ntitle: Hälsa igen\n---\n",
    )
    .unwrap();
    let mut reader = BufReader::new(&mut events);
    let mut line = String::new();
    while !line.starts_with("data: reload") {
        line.clear();
        let n = reader.read_line(&mut line).unwrap_or(0);
        assert!(n > 0, "the event stream was closed");
    }
}

#[test]
fn a_large_file_is_streamed_not_read_into_memory() {
    let root = site("large-file");
    let p = Preview::start(&root, &[]);
    const SIZE: u64 = 96 << 20;
    // Sparse: costs no disk, reads as zeros.
    let f = fs::File::create(root.join("public/stor.bin")).unwrap();
    f.set_len(SIZE).unwrap();
    drop(f);
    assert_eq!(get(&p, "/", "localhost").status, 200);
    let before = p.rss();
    let mut s = p.connect();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET /stor.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    // Read the first bytes only, then let the server sit on a full socket for a moment.
    let mut first = [0u8; 4096];
    s.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"));
    std::thread::sleep(Duration::from_millis(700));
    let grew = p.rss().saturating_sub(before);
    assert!(
        grew < SIZE / 4,
        "serving a {SIZE}-byte file grew the server by {grew} bytes"
    );
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    let head_len = first.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&first[..head_len]).to_ascii_lowercase();
    assert!(head.contains(&format!("content-length: {SIZE}")), "{head}");
    assert_eq!((first.len() - head_len + rest.len()) as u64, SIZE);
}

#[test]
fn head_of_the_event_stream_sends_headers_only_and_ends() {
    let root = site("head-events");
    let p = Preview::start(&root, &[]);
    let start = Instant::now();
    let r = exchange(
        &p,
        "HEAD /__hallbar/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("content-type: text/event-stream"),
        "{}",
        r.head
    );
    assert!(r.body.is_empty(), "HEAD got a body: {:?}", r.body);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn only_local_host_names_are_answered_on_a_loopback_bind() {
    let root = site("hosts");
    let p = Preview::start(&root, &[]);
    let port = p.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(get(&p, "/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in ["/", "/style.css", "/__hallbar/events", "/nope/"] {
            let r = get(&p, path, &host);
            assert_eq!(r.status, 403, "{host} {path}: {}", r.head);
            let body = String::from_utf8_lossy(&r.body);
            assert!(body.contains("--bind"), "{body}");
        }
    }
    // HTTP/1.0 without a Host header is fine on loopback.
    let r = exchange(&p, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 200, "{}", r.head);
}
