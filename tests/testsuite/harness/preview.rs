//! The preview server: the real `hallbar serve` on 127.0.0.1 (port 0), spoken to over plain
//! HTTP, stopped when dropped. Every wait has a deadline. Requests name the host
//! `localhost`, one of the names a loopback preview answers.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{build, hallbar_command, scratch, stderr, tree, tree_while_changing};

pub const DEADLINE: Duration = Duration::from_secs(15);

/// A running `hallbar serve`, stopped when dropped.
pub struct Preview {
    child: Child,
    pub addr: SocketAddr,
    pub root: PathBuf,
    /// What it prints after its address, a line each.
    lines: mpsc::Receiver<String>,
    /// What it printed before its address: the first build.
    pub first_build: Vec<String>,
}

impl Preview {
    /// Serves `root`; its lines are what it prints to stdout (one per rebuild).
    pub fn start(root: &Path) -> Preview {
        Self::spawn(root, &["--port", "0"], &[], false)
    }

    /// Like [`Preview::start`], with extra environment variables for the server (such as
    /// `HALLBAR_SERVE_IDLE_MS`).
    pub fn start_with_env(root: &Path, env: &[(&str, &str)]) -> Preview {
        Self::spawn(root, &["--port", "0"], env, false)
    }

    /// Serves `root`; its lines are stdout and stderr as one stream, in the order printed:
    /// a rebuild's warnings or errors, then the line about the rebuild.
    pub fn start_with_stderr(root: &Path) -> Preview {
        Self::spawn(root, &["--port", "0"], &[], true)
    }

    fn spawn(root: &Path, args: &[&str], env: &[(&str, &str)], with_stderr: bool) -> Preview {
        let mut cmd = hallbar_command();
        cmd.arg("serve")
            .args(args)
            .args(["--root", root.to_str().unwrap()])
            .envs(env.iter().copied());
        // One pipe for both streams keeps their order: the watcher prints a rebuild's
        // diagnostics before the line that ends it.
        let (reader, writer) = std::io::pipe().unwrap();
        if with_stderr {
            cmd.stdout(writer.try_clone().unwrap())
                .stderr(Stdio::from(writer));
        } else {
            cmd.stdout(writer).stderr(Stdio::null());
        }
        let mut child = cmd.spawn().unwrap();
        // The parent's copies of the writer are gone with `cmd`, so the reader sees the end.
        drop(cmd);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep reading after the address is known, so the server never writes to a
            // closed pipe.
            for line in BufReader::new(reader).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let start = Instant::now();
        let mut first_build = Vec::new();
        loop {
            let Ok(line) = rx.recv_timeout(DEADLINE.saturating_sub(start.elapsed())) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("hallbar serve did not print its address in time: {first_build:?}");
            };
            if let Some(rest) = line.strip_prefix("serving http://") {
                let addr = rest.split('/').next().unwrap().parse().unwrap();
                return Preview {
                    child,
                    addr,
                    root: root.to_path_buf(),
                    lines: rx,
                    first_build,
                };
            }
            first_build.push(line);
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path)
    }

    /// `GET path` with this `Host` header, read to the end.
    pub fn get_for_host(&self, path: &str, host: &str) -> Reply {
        self.exchange(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Sends `raw` as it is and reads the reply to the end (see [`exchange`]).
    pub fn exchange(&self, raw: &str) -> Reply {
        exchange(self.addr, raw)
    }

    /// A new connection to the server, reads timing out after the deadline.
    pub fn connect(&self) -> TcpStream {
        connect(self.addr)
    }

    /// The resident memory of the server process, in bytes (from /proc; Linux only).
    pub fn rss(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("VmRSS in /proc/PID/status");
        kb * 1024
    }

    /// The next line it prints (one per rebuild), within the deadline.
    pub fn next_line(&self) -> String {
        self.lines
            .recv_timeout(DEADLINE)
            .expect("a line from hallbar serve")
    }

    /// The lines it prints up to and including the first that `last` accepts, within the
    /// deadline.
    pub fn lines_until(&self, last: impl Fn(&str) -> bool) -> Vec<String> {
        let start = Instant::now();
        let mut lines = Vec::new();
        loop {
            let Ok(line) = self
                .lines
                .recv_timeout(DEADLINE.saturating_sub(start.elapsed()))
            else {
                panic!("hallbar serve did not finish within {DEADLINE:?}; it printed {lines:?}");
            };
            let done = last(&line);
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// Opens the live-reload stream and waits until it is connected.
    pub fn events(&self) -> Events {
        let mut s = self.connect();
        write!(
            s,
            "GET /__hallbar/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut ev = Events {
            reader: BufReader::new(s),
        };
        ev.wait_for(": connected");
        ev
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The live-reload event stream of one client.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn wait_for(&mut self, prefix: &str) -> String {
        let start = Instant::now();
        let mut line = String::new();
        while start.elapsed() < DEADLINE {
            line.clear();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if line.starts_with(prefix) {
                return line;
            }
        }
        panic!("no `{prefix}` line on the event stream within {DEADLINE:?}");
    }

    pub fn reload(&mut self) {
        self.wait_for("data: reload");
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The status line and headers as sent, up to and including the blank line.
    pub head: String,
    /// By lower-case name.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Reply {
    /// A reply as read from the socket; status 0 if it has no status line.
    pub fn parse(bytes: &[u8]) -> Reply {
        let at = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(bytes.len(), |i| i + 4);
        let head = String::from_utf8_lossy(&bytes[..at]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes[at..]).into_owned(),
            head,
        }
    }
}

/// A connection to `addr`, reads timing out after the deadline.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s
}

/// One HTTP/1.1 request for `localhost`, read to the end.
pub fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    exchange(
        addr,
        &format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` as it is and reads the reply up to the end of the connection, which must
/// come within the deadline.
pub fn exchange(addr: SocketAddr, raw: &str) -> Reply {
    let mut s = connect(addr);
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
    Reply::parse(&bytes)
}

/// Whether the server closed `s` within `within` (the end of the stream or a reset, after
/// any reply).
pub fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
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

/// A clean `hallbar build` of the tree `p` serves, into a fresh scratch folder `name`.
/// Must succeed.
pub fn clean_build(p: &Preview, name: &str) -> PathBuf {
    let fresh = scratch(name).join("public");
    let o = build(&p.root, &fresh, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    fresh
}

/// Waits until the served output equals a clean build of the same tree.
pub fn assert_settles_to_clean_build(p: &Preview, name: &str) {
    let want = tree(&clean_build(p, &format!("serve-{name}-fresh")));
    let start = Instant::now();
    while tree_while_changing(&p.root.join("public")).as_ref() != Some(&want) {
        assert!(
            start.elapsed() < DEADLINE,
            "{name}: the served site never matched a clean build"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
