//! The front door of the preview server: a small, bounded and timed reader between the
//! network and tiny_http.
//!
//! tiny_http 0.12 reads a request line or header as long as the client keeps sending
//! (tiny-http issue #56) and waits for a keep-alive connection's next request forever, a
//! thread each. It offers no hook for either, and no way to hand it an accepted socket. So
//! the public TCP port is ours: each connection gets one front thread that
//!
//! - reads the request head (request line and headers) into a buffer of at most
//!   [`Limits::head`] bytes, within [`Limits::idle`] for the head as a whole (so a client that
//!   sends nothing, stops half-way or sends a byte at a time is closed; a partial head gets
//!   408, a head that outgrows the buffer 414 or 431);
//! - refuses request bodies (413): the preview answers GET and HEAD only;
//! - passes the head on to tiny_http, with `Connection: close`, over a socket private to
//!   this process, and copies tiny_http's answer back (whose write to a client that stops
//!   reading gives up after [`Limits::idle`]). One request per connection means no idle
//!   keep-alive connections at all; on loopback a new connection costs next to nothing.
//!
//! tiny_http still parses every request and writes every response. The socket between the
//! two is a Unix socket in a fresh folder that only this user may enter (see [`Inner`]);
//! elsewhere than on Unix it is a loopback TCP port, which local programs could reach
//! without these limits. Its memory per connection is the head buffer and a copy buffer.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How much a client may send, and how long it may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most bytes of a request head (request line and headers, with line ends).
    pub head: usize,
    /// The time a client has to send a whole request head, and to take each part of the answer.
    pub idle: Duration,
}

impl Limits {
    /// 16 KiB heads (twice the 8000-octet request line RFC 9112 asks for) and 20 seconds,
    /// or `HALLBAR_SERVE_IDLE_MS` milliseconds.
    pub fn from_env() -> Limits {
        let idle = std::env::var("HALLBAR_SERVE_IDLE_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&ms| ms > 0)
            .map_or(Duration::from_secs(20), Duration::from_millis);
        Limits {
            head: 16 * 1024,
            idle,
        }
    }
}

#[cfg(unix)]
type InnerStream = std::os::unix::net::UnixStream;
#[cfg(not(unix))]
type InnerStream = TcpStream;

/// Where tiny_http listens, private to this process.
#[derive(Debug, Clone)]
pub struct Inner {
    #[cfg(unix)]
    path: PathBuf,
    #[cfg(not(unix))]
    addr: std::net::SocketAddr,
}

impl Inner {
    /// A listener for tiny_http: on Unix a socket in a new folder of mode 0700 in the
    /// temporary folder (folders of earlier runs that were killed are removed first).
    #[cfg(unix)]
    pub fn listen() -> io::Result<(Inner, tiny_http::Listener)> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        sweep(&base);
        let pid = std::process::id();
        for n in 0..100 {
            let dir = base.join(format!("hallbar-serve-{pid}-{n}"));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {
                    let path = dir.join("s");
                    let listener = std::os::unix::net::UnixListener::bind(&path)?;
                    return Ok((Inner { path }, listener.into()));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(
            "no free name for the private socket folder",
        ))
    }

    #[cfg(not(unix))]
    pub fn listen() -> io::Result<(Inner, tiny_http::Listener)> {
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        Ok((Inner { addr }, listener.into()))
    }

    fn connect(&self) -> io::Result<InnerStream> {
        #[cfg(unix)]
        return InnerStream::connect(&self.path);
        #[cfg(not(unix))]
        return InnerStream::connect(self.addr);
    }

    /// Removes the private folder (when the server stops).
    pub fn remove(&self) {
        #[cfg(unix)]
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Removes the socket folders of hallbar processes that are gone (killed before they could
/// clean up). Linux only, where /proc tells which processes live.
#[cfg(unix)]
fn sweep(base: &std::path::Path) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("hallbar-serve-")) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().filter(|p| p.parse::<u32>().is_ok()) else {
            continue;
        };
        if !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The most connections served at once; one more is closed at once, so that a flood of
/// idle connections can neither exhaust the system's threads nor stop the accept loop.
const MAX_CONNECTIONS: usize = 512;

/// Accepts connections until the listener fails; one front thread each, at most
/// [`MAX_CONNECTIONS`] at a time. A thread the system refuses costs that connection only.
pub fn accept_loop(listener: TcpListener, inner: Inner, limits: Limits) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let live = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        match conn {
            Ok(client) => {
                if live.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    live.fetch_sub(1, Ordering::SeqCst);
                    drop(client);
                    continue;
                }
                let inner = inner.clone();
                // Gives the place back when the thread ends, however it ends.
                struct Place(Arc<AtomicUsize>);
                impl Drop for Place {
                    fn drop(&mut self) {
                        self.0.fetch_sub(1, Ordering::SeqCst);
                    }
                }
                let place = Place(live.clone());
                let spawned = std::thread::Builder::new().spawn(move || {
                    let _place = place;
                    front(client, &inner, limits);
                });
                // A refused thread drops its closure, and the place with it.
                drop(spawned);
            }
            // Out of file descriptors, or a connection reset before it was accepted.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Why a request head is not passed on.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Nothing came, or the connection ended: close without a word.
    Silent,
    /// Answer with this status, then close.
    Status(u16),
}

fn front(mut client: TcpStream, inner: &Inner, limits: Limits) {
    let _ = client.set_write_timeout(Some(limits.idle));
    let head = read_head(&mut client, limits).and_then(|h| pass_on(&h));
    let head = match head {
        Ok(head) => head,
        Err(Refusal::Silent) => return,
        Err(Refusal::Status(code)) => return refuse(client, code),
    };
    let Ok(mut up) = inner.connect() else {
        return refuse(client, 503);
    };
    if up.write_all(&head).is_err() {
        return refuse(client, 503);
    }
    // No more requests come this way; tiny_http sees the end if it looks for one.
    let _ = up.shutdown(Shutdown::Write);
    // Ends when tiny_http is done, or when the client stops taking the answer.
    let mut buf = vec![0; 16 * 1024];
    while let Ok(n) = up.read(&mut buf) {
        if n == 0 || client.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = client.shutdown(Shutdown::Both);
}

/// Reads one request head, up to and with its empty line, within the limits. What the
/// client sent after it (a body, a pipelined request) is not read.
pub fn read_head(client: &mut TcpStream, limits: Limits) -> Result<Vec<u8>, Refusal> {
    let deadline = Instant::now() + limits.idle;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || client.set_read_timeout(Some(left)).is_err() {
            return Err(late(&head));
        }
        // Peek, so that only the head itself is taken off the socket.
        let n = match client.peek(&mut buf) {
            Ok(0) => return Err(Refusal::Silent),
            Ok(n) => n.min(limits.head - head.len()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(late(&head));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(Refusal::Silent),
        };
        let start = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        let end = head[start..]
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| start + i + 4);
        let take = end.map_or(n, |e| e - (head.len() - n));
        head.truncate(head.len() - n + take);
        if client.read_exact(&mut buf[..take]).is_err() {
            return Err(Refusal::Silent);
        }
        if end.is_some() {
            return Ok(head);
        }
        if head.len() >= limits.head {
            let line_ended = head.windows(2).any(|w| w == b"\r\n");
            return Err(Refusal::Status(if line_ended { 431 } else { 414 }));
        }
    }
}

fn late(head: &[u8]) -> Refusal {
    if head.is_empty() {
        Refusal::Silent
    } else {
        Refusal::Status(408)
    }
}

/// The head to give tiny_http: the client's, less its `Connection` and `Keep-Alive`
/// headers, with `Connection: close`. A head that announces a body is refused.
pub fn pass_on(head: &[u8]) -> Result<Vec<u8>, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| Refusal::Status(400))?;
    let mut lines = text.split("\r\n");
    let mut out = String::with_capacity(text.len() + 20);
    out.push_str(lines.next().unwrap_or(""));
    out.push_str("\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(Refusal::Status(400))?;
        let name = name.trim();
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            return Err(Refusal::Status(413));
        }
        if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    Ok(out.into_bytes())
}

/// Answers with `code` and a line saying why, then closes after a short grace period, so
/// that the answer is not lost to a reset while the client is still sending.
fn refuse(mut client: TcpStream, code: u16) {
    let (reason, why) = match code {
        400 => ("Bad Request", "the request head is not text"),
        408 => ("Request Timeout", "the request head did not arrive in time"),
        413 => (
            "Content Too Large",
            "the preview server takes no request bodies",
        ),
        414 => ("URI Too Long", "the request line is too long"),
        431 => (
            "Request Header Fields Too Large",
            "the request headers are too long",
        ),
        _ => ("Service Unavailable", "the preview server is stopping"),
    };
    let body = format!("{code} {}: {why}\n", reason.to_ascii_lowercase());
    let msg = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if client.write_all(msg.as_bytes()).is_err() {
        return;
    }
    let _ = client.shutdown(Shutdown::Write);
    // Discard what still comes, for at most a second or a megabyte.
    let until = Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 4096];
    let mut left = 1usize << 20;
    while left > 0 {
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero() || client.set_read_timeout(Some(wait)).is_err() {
            break;
        }
        match client.read(&mut buf) {
            Ok(n) if n > 0 => left = left.saturating_sub(n),
            _ => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connected pair on 127.0.0.1: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        (c, s)
    }

    fn limits(ms: u64) -> Limits {
        Limits {
            head: 64,
            idle: Duration::from_millis(ms),
        }
    }

    #[test]
    fn reads_exactly_one_head() {
        let (mut c, mut s) = pair();
        c.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT")
            .unwrap();
        let head = read_head(&mut s, limits(2000)).unwrap();
        assert_eq!(head, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        let mut rest = [0u8; 4];
        s.read_exact(&mut rest).unwrap();
        assert_eq!(&rest, b"NEXT");
    }

    #[test]
    fn a_head_split_across_reads_is_joined() {
        let (mut c, mut s) = pair();
        let t = std::thread::spawn(move || {
            for part in [&b"GET / HTTP/1.1\r"[..], b"\nHost: a\r\n\r", b"\n"] {
                c.write_all(part).unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
            c
        });
        let head = read_head(&mut s, limits(2000)).unwrap();
        assert_eq!(head, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        drop(t.join());
    }

    #[test]
    fn refuses_long_heads_and_late_ones() {
        let (mut c, mut s) = pair();
        c.write_all(&[b'a'; 100]).unwrap();
        assert_eq!(read_head(&mut s, limits(2000)), Err(Refusal::Status(414)));
        let (mut c, mut s) = pair();
        c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        c.write_all(&[b'a'; 100]).unwrap();
        assert_eq!(read_head(&mut s, limits(2000)), Err(Refusal::Status(431)));
        let (mut c, mut s) = pair();
        c.write_all(b"GET / HT").unwrap();
        assert_eq!(read_head(&mut s, limits(100)), Err(Refusal::Status(408)));
        let (_c, mut s) = pair();
        assert_eq!(read_head(&mut s, limits(100)), Err(Refusal::Silent));
    }

    #[test]
    fn passes_on_with_connection_close_and_refuses_bodies() {
        let out = pass_on(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            out,
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        );
        assert!(pass_on(b"GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").is_ok());
        for bad in [
            &b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"[..],
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert_eq!(pass_on(bad), Err(Refusal::Status(413)));
        }
        assert_eq!(
            pass_on(b"GET / HTTP/1.1\r\nnocolon\r\n\r\n"),
            Err(Refusal::Status(400))
        );
    }
}
