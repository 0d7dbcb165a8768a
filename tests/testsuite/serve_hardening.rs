//! The preview server under hostile or careless clients: over-long request heads, idle and
//! dripping connections, large files, `HEAD` of the event stream, and requests for other
//! host names (DNS rebinding). The real `hallbar serve` on a scratch copy of
//! `build/minimal-site`, on 127.0.0.1; every wait has a deadline.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::time::{Duration, Instant};

use crate::harness::preview::{Preview, Reply, closed_within};
use crate::harness::site;

#[test]
fn an_endless_request_line_is_refused_without_growing_the_server() {
    let root = site("build/minimal-site", "serve-hardening-long-line");
    let p = Preview::start(&root);
    // Warm up: the first request starts the threads and pools it will use anyway.
    assert_eq!(p.get("/").status, 200);
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
        assert_eq!(Reply::parse(&reply).status, 414, "{reply:?}");
    }
    // It still serves.
    assert_eq!(p.get("/").status, 200);
}

#[test]
fn too_many_header_bytes_get_431_and_a_long_but_fair_url_still_works() {
    let root = site("build/minimal-site", "serve-hardening-long-headers");
    let p = Preview::start(&root);
    let many: String = (0..400)
        .map(|i| format!("X-Filler-{i:03}: {}\r\n", "v".repeat(60)))
        .collect();
    let r = p.exchange(&format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{many}Connection: close\r\n\r\n"
    ));
    assert_eq!(r.status, 431, "{}", r.head);
    // 8000 octets of request line is what RFC 9112 asks every server to take.
    let long = format!("/{}", "a".repeat(8000));
    assert_eq!(p.get(&long).status, 404);
}

#[test]
fn idle_and_dripping_connections_are_closed_but_the_event_stream_stays() {
    let root = site("build/minimal-site", "serve-hardening-idle");
    let p = Preview::start_with_env(&root, &[("HALLBAR_SERVE_IDLE_MS", "400")]);
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
    let root = site("build/minimal-site", "serve-hardening-large-file");
    let p = Preview::start(&root);
    const SIZE: u64 = 96 << 20;
    // Sparse: costs no disk, reads as zeros.
    let f = fs::File::create(root.join("public/stor.bin")).unwrap();
    f.set_len(SIZE).unwrap();
    drop(f);
    assert_eq!(p.get("/").status, 200);
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
    let root = site("build/minimal-site", "serve-hardening-head-events");
    let p = Preview::start(&root);
    let start = Instant::now();
    let r = p.exchange(
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
    let root = site("build/minimal-site", "serve-hardening-hosts");
    let p = Preview::start(&root);
    let port = p.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        format!("app.localhost:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(p.get_for_host("/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        // One label: a name on the local network, which may point anywhere.
        format!("intranet:{port}"),
        "intranet".to_string(),
    ] {
        for path in ["/", "/style.css", "/__hallbar/events", "/nope/"] {
            let r = p.get_for_host(path, &host);
            assert_eq!(r.status, 403, "{host} {path}: {}", r.head);
            // It says what is answered, and how to open the preview under other names.
            for needed in ["localhost", ".localhost", "IP address", "--bind"] {
                assert!(r.body.contains(needed), "no `{needed}` in: {}", r.body);
            }
        }
    }
    // HTTP/1.0 without a Host header is fine on loopback.
    let r = p.exchange("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 200, "{}", r.head);
}
