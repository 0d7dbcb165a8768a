#!/usr/bin/env python3
"""Save-to-served latency of `hallbar serve`: the time from writing a file to the page
that shows the edit being served with the new content (debounce, rebuild, write, the
reload event on the live-reload stream and the page request included). Afterwards the
served folder is compared, byte for byte, with a clean `hallbar build` of the edited site.

Usage: python3 bench/reload_latency.py [HALLBAR_BINARY] [--pages N | --site DIR] [--edits N] [--metrics]
  --pages 0 (default) measures the bundled report; --pages 1000 a small generated site;
  --site DIR a copy of an existing site (such as a corpus from examples/corpus.rs).
  Page text (default): appends "Ändring i." to the first programme page and waits for it.
  --metrics: sets the latest year's value of the first metric in the first metrics file
  to 100000+i and waits for the programme page that shows it (the metric's `program:`)
  to show that number (in any thousands separator).
Prints median, p95 and worst in milliseconds. Uses only 127.0.0.1.
With BENCH_RESULTS=FILE set, also appends one JSON line to FILE.
"""
import argparse, filecmp, http.client, json, os, re, select, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def make_site(dest, pages):
    if pages == 0:
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(dest, "content"))
        shutil.copy(os.path.join(REPO, "site.yaml"), dest)
        return os.path.join(dest, "content", "program", "alla-spelar-roll.md")
    prog = os.path.join(dest, "content", "program")
    os.makedirs(prog)
    with open(os.path.join(dest, "content", "_index.md"), "w") as f:
        f.write("---\ntitle: Rapport\n---\n")
    with open(os.path.join(dest, "content", "nyckeltal.yaml"), "w") as f:
        for i in range(pages):
            f.write(f"m{i}:\n  label: Deltagare {i}\n  unit: deltagare\n  values: {{2019: {i}, 2020: {i + 7}}}\n")
    para = "Mimer samverkar med kommun och föreningsliv för gemenskap och trygghet i bostadsområdena. " * 8
    for i in range(pages):
        with open(os.path.join(prog, f"program-{i:05}.md"), "w") as f:
            f.write(f"---\ntitle: Program {i}\nweight: {i}\nkey_metrics: [m{i}]\n---\n\n")
            f.write(f"## Bakgrund\n\n{para}\n\nTotalt {{{{ metric(id=\"m{i}\") }}}} under året.\n\n")
            f.write(f"## Resultat\n\n{para}\n\n- Ett\n- Två\n\n[Nästa](program-{(i + 1) % pages:05}.md)\n")
    return os.path.join(prog, "program-00000.md")


def same_tree(a, b):
    """Whether two folders hold the same files with the same bytes."""
    def files(root):
        return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
    if files(a) != files(b):
        return False
    return all(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False) for f in files(a))


class Events:
    """The live-reload stream (SSE), read line by line from the raw socket with a deadline,
    so a refused or closed stream ends the run instead of being read again and again."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        # The Host must be a local name: serve refuses others (403, against DNS rebinding).
        self.sock.sendall(f"GET /__hallbar/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buf = b""
        status = self.line(30)
        if not status.startswith(b"HTTP/1.1 200"):
            sys.exit(f"the event stream was refused: {status.decode(errors='replace').strip()}")
        while not self.line(30).startswith(b": connected"):
            pass

    def line(self, timeout):
        """The next line; exits if none comes within `timeout` seconds or the stream ends."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                sys.exit(f"no (reload) event on the stream within {timeout:.0f} s")
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"

    def reload(self, timeout):
        """Waits for the next `data: reload` event (pings in between do not extend the wait)."""
        deadline = time.monotonic() + timeout
        while not self.line(max(0.001, deadline - time.monotonic())).startswith(b"data: reload"):
            pass

    def drain(self):
        """Drops reload events that are already here (from builds before this edit)."""
        while select.select([self.sock], [], [], 0)[0]:
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            self.buf += chunk
        self.buf = self.buf[self.buf.rfind(b"\n") + 1:]

    def close(self):
        self.sock.close()


def get(port, url):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", url)
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", errors="replace")
    conn.close()
    if resp.status != 200:
        sys.exit(f"GET {url}: {resp.status}")
    return body


# Between digit groups: nothing, a space, a no-break space (U+00A0) or a narrow one
# (U+202F), raw or as an HTML entity.
SEP = r"(?:\s|&nbsp;|&#160;|&#xa0;|&#8239;|&#x202f;)?"


def shows_number(body, n):
    """Whether the page shows the integer n, in any thousands separator."""
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return re.search(r"(?<![\d.,])" + SEP.join(groups) + r"(?![\d]|[.,]\d)", body, re.I) is not None


def first_metric(text):
    """(start, end) of the latest year's value of the first metric in a metrics file (its
    `values:` as `{YEAR: N, ...}` or as indented `YEAR: N` lines), and that metric's
    `program:` (the page that shows it), or None."""
    block = re.search(r"^[^\s#][^\n]*:[ \t]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)+)", text, re.M)
    if not block:
        sys.exit("no metric in the metrics file")
    start, body = block.start(1), block.group(1)
    values = re.search(r"^[ \t]+values:[ \t]*(\{[^}]*\}|\n(?:[ \t]+\d{4}:[^\n]*\n)+)", body, re.M)
    if not values:
        sys.exit("the first metric has no `values:`")
    pairs = list(re.finditer(r"(\d{4}): *(-?[\d.]+)", values.group(1)))
    latest = max(pairs, key=lambda p: int(p.group(1)))
    offset = start + values.start(1)
    prog = re.search(r"^[ \t]+program:[ \t]*(\S+)", body, re.M)
    return (offset + latest.start(2), offset + latest.end(2)), (prog.group(1) if prog else None)


def page_url(rel):
    """The URL of the page built from content/REL (a programme page, so no index)."""
    return "/" + rel[: -len(".md")].replace(os.sep, "/") + "/"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=os.path.join(REPO, "target", "release", "hallbar"))
    ap.add_argument("--pages", type=int, default=0)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--site", help="an existing site folder (copied first), e.g. from examples/corpus.rs")
    ap.add_argument("--metrics", action="store_true",
                    help="edit the latest value of the first metric instead of a page's text "
                         "(measured to the page showing it being served with the new value)")
    a = ap.parse_args()
    if a.metrics and a.edits < 5:
        ap.error("--metrics needs at least 5 edits")
    binary = os.path.abspath(a.binary)
    work = tempfile.mkdtemp(prefix="hallbar-latency-")
    if a.site:
        shutil.rmtree(work)
        shutil.copytree(a.site, work, ignore=shutil.ignore_patterns("served", "clean", "public"))
        prog = os.path.join(work, "content", "program")
        mds = sorted(p for p in os.listdir(prog) if p.endswith(".md") and p != "_index.md")
        page = os.path.join(prog, mds[0])
        a.pages = len(mds)
    else:
        page = make_site(work, a.pages)
    url = page_url(os.path.relpath(page, os.path.join(work, "content")))
    edited = page
    if a.metrics:
        folder = os.path.dirname(page)
        yamls = sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))
        if not yamls:  # the bundled report and the small site keep their metrics elsewhere
            yamls = [os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(os.path.join(work, "content"))
                     for f in sorted(fs) if f.endswith(".yaml")][:1]
        edited = os.path.normpath(os.path.join(folder, yamls[0]))
        _, prog_rel = first_metric(open(edited, encoding="utf-8").read())
        if prog_rel:
            url = page_url(prog_rel)
    served = os.path.join(work, "served")
    out_lines, started = [], threading.Event()
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", work, "--output", served],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def pump():
        # Reads serve's output to the end, so its pipe never fills and blocks it.
        for line in proc.stdout:
            out_lines.append(line)
            if line.startswith("serving http://"):
                started.set()
        started.set()

    threading.Thread(target=pump, daemon=True).start()
    events = None
    try:
        started.wait(600)
        port = next((int(l.split(":")[2].split("/")[0]) for l in out_lines if l.startswith("serving http://")), None)
        if port is None:
            sys.exit("hallbar serve did not start:\n" + "".join(out_lines[-5:]))
        events = Events(port)
        original = open(edited, encoding="utf-8").read()
        if a.metrics:
            (v0, v1), _ = first_metric(original)
            before = get(port, url)
            if not shows_number(before, int(float(original[v0:v1]))):
                sys.exit(f"{url} does not show the metric's value {original[v0:v1]} before the edits")
        samples, stale = [], 0
        for i in range(a.edits):
            time.sleep(0.15)  # let the previous build settle, as between two saves
            events.drain()
            if a.metrics:
                new, want = original[:v0] + str(100000 + i) + original[v1:], lambda b: shows_number(b, 100000 + i)
            else:
                new, want = original + f"\nÄndring {i}.\n", lambda b: f"Ändring {i}." in b
            t0 = time.perf_counter()
            with open(edited, "w", encoding="utf-8") as out:
                out.write(new)
            events.reload(60)
            # The page as the browser gets it on that reload; should it not show the edit yet,
            # it is counted as stale and asked for again on each later reload event.
            while not want(get(port, url)):
                stale += 1
                if stale > 3 * a.edits:
                    sys.exit(f"{url} did not show edit {i} after {stale} reload events")
                events.reload(60)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        med, worst = statistics.median(samples), samples[-1]
        what = a.site or ("bundled report" if a.pages == 0 else f"{a.pages}-page site")
        events.close()
        proc.terminate()
        proc.wait()
        clean = os.path.join(work, "clean")
        subprocess.run([binary, "build", "--root", work, "--output", clean], check=True,
                       stdout=subprocess.DEVNULL)
        same = same_tree(served, clean)
        edit = "metric value saved to page served" if a.metrics else "save to new page served"
        print(f"serve {what} ({a.pages} pages) {'metric' if a.metrics else 'text'}: {edit} {url}, "
              f"{a.edits} edits: median {med:.0f} ms, p95 {p95:.0f} ms, worst {worst:.0f} ms"
              f"{f', STALE after {stale} reload events' if stale else ''}; "
              f"served folder {'byte-identical to' if same else 'DIFFERENT from'} a clean build", flush=True)
        path = os.environ.get("BENCH_RESULTS")
        if path:
            with open(path, "a") as f:
                f.write(json.dumps({"kind": "serve", "site": what, "pages": a.pages,
                                    "edit": "metric" if a.metrics else "text", "edits": a.edits,
                                    "median_ms": med, "p95_ms": p95, "worst_ms": worst,
                                    "stale": stale, "same": same}) + "\n")
        if not same:
            sys.exit(1)
    except SystemExit as e:
        # Say where it stopped, with what serve said last, before the message itself.
        if e.code not in (None, 0, 1):
            state = "running" if proc.poll() is None else f"exited with {proc.returncode}"
            print(f"reload_latency: stopped after {len(samples) if 'samples' in locals() else 0} edits; "
                  f"hallbar serve {state}; its last lines:\n  " + "  ".join(out_lines[-5:]), file=sys.stderr)
        raise
    finally:
        if events:
            events.close()
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
