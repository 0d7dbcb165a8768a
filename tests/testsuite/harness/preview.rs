//! The preview server: the real `hallbar serve` on 127.0.0.1 (port 0), spoken to over plain
//! HTTP, stopped when dropped. Every wait has a deadline.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{build, hallbar_command, scratch, stderr, tree};

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
        Self::spawn(root, &["--port", "0"], false)
    }

    /// Serves `root`; its lines are stdout and stderr as one stream, in the order printed:
    /// a rebuild's warnings or errors, then the line about the rebuild.
    pub fn start_with_stderr(root: &Path) -> Preview {
        Self::spawn(root, &["--port", "0"], true)
    }

    fn spawn(root: &Path, args: &[&str], with_stderr: bool) -> Preview {
        let mut cmd = hallbar_command();
        cmd.arg("serve")
            .args(args)
            .args(["--root", root.to_str().unwrap()]);
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
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        write!(s, "GET /__hallbar/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
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
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// One HTTP/1.1 request, read to the end.
pub fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
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
        body: body.to_string(),
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
    while tree(&p.root.join("public")) != want {
        assert!(
            start.elapsed() < DEADLINE,
            "{name}: the served site never matched a clean build"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
