#!/usr/bin/env python3
"""Save-to-served latency of `hallbar serve`: the time from writing a page to the reload
event arriving on the live-reload stream and the page's new text being served (debounce,
rebuild and write included). Afterwards the served folder is compared, byte for byte,
with a clean `hallbar build` of the edited site.

Usage: python3 bench/reload_latency.py [HALLBAR_BINARY] [--pages N] [--edits N]
  --pages 0 (default) measures the bundled report; --pages 1000 a generated site.
Prints the median and the 95th percentile in milliseconds. Uses only 127.0.0.1.
"""
import argparse, filecmp, http.client, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=os.path.join(REPO, "target", "release", "hallbar"))
    ap.add_argument("--pages", type=int, default=0)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--site", help="an existing site folder (copied first), e.g. from examples/corpus.rs")
    ap.add_argument("--metrics", action="store_true",
                    help="edit a value in the first metrics file instead of a page's text "
                         "(measured to the reload event)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hallbar-latency-")
    if a.site:
        shutil.rmtree(work)
        shutil.copytree(a.site, work)
        pages = sorted(os.listdir(os.path.join(work, "content", "program")))
        page = os.path.join(work, "content", "program", [p for p in pages if p.endswith(".md") and p != "_index.md"][0])
        a.pages = len(pages)
    else:
        page = make_site(work, a.pages)
    rel = os.path.relpath(page, os.path.join(work, "content"))
    url = "/" + rel[: -len(".md")].replace(os.sep, "/") + "/"
    served = os.path.join(work, "served")
    proc = subprocess.Popen([a.binary, "serve", "--port", "0", "--root", work, "--output", served],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        deadline = time.time() + 600
        while port is None and time.time() < deadline:
            line = proc.stdout.readline()
            if line.startswith("serving http://"):
                port = int(line.split(":")[2].split("/")[0])
        if port is None:
            sys.exit("hallbar serve did not start")
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /__hallbar/events HTTP/1.1\r\nHost: x\r\n\r\n")
        f = s.makefile("rb")
        while not f.readline().startswith(b": connected"):
            pass
        if a.metrics:
            folder = os.path.dirname(page)
            page = os.path.join(folder, sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))[0])
        original = open(page, encoding="utf-8").read()
        samples = []
        for i in range(a.edits):
            time.sleep(0.15)  # let the previous build settle, as between two saves
            t0 = time.perf_counter()
            with open(page, "w", encoding="utf-8") as out:
                if a.metrics:
                    out.write(re.sub(r"\{2019: \d+", "{2019: %d" % (100000 + i), original, count=1))
                else:
                    out.write(original + f"\nÄndring {i}.\n")
            while True:
                line = f.readline()
                if not line:
                    sys.exit("the event stream closed")
                if line.startswith(b"data: reload"):
                    break
            if a.metrics:
                samples.append((time.perf_counter() - t0) * 1000)
                continue
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", url)
            body = conn.getresponse().read().decode("utf-8")
            conn.close()
            if f"Ändring {i}." not in body:
                sys.exit(f"{url} did not show edit {i} after the reload event")
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        what = a.site or ("bundled report" if a.pages == 0 else f"{a.pages}-page site")
        proc.terminate()
        proc.wait()
        clean = os.path.join(work, "clean")
        subprocess.run([a.binary, "build", "--root", work, "--output", clean], check=True,
                       stdout=subprocess.DEVNULL)
        same = same_tree(served, clean)
        edit = "metric value saved to reload event" if a.metrics else "save to new page served"
        print(f"{what}: {edit}, {a.edits} edits: median {statistics.median(samples):.0f} ms, "
              f"p95 {p95:.0f} ms; served folder {'byte-identical to' if same else 'DIFFERENT from'} a clean build")
        if not same:
            sys.exit(1)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
