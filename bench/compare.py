#!/usr/bin/env python3
"""Full builds of hallbar and Hugo on the same corpus, alternating the two tools run by
run, so both see the same machine load. Prints median wall time and peak memory (from
/usr/bin/time) for each, and their ratios.

Usage: python3 bench/compare.py CORPUS_DIR RUNS HALLBAR_BINARY
CORPUS_DIR holds hallbar/ and hugo/ as written by examples/corpus.rs.
"""
import os, shutil, statistics, subprocess, sys, tempfile

corpus, runs, hallbar = sys.argv[1], int(sys.argv[2]), sys.argv[3]
out = tempfile.mkdtemp(prefix="hallbar-bench-")


def timed(cmd, cwd):
    """Wall seconds and peak resident kilobytes of one run."""
    fmt = os.path.join(out, "time.txt")
    subprocess.run(["/usr/bin/time", "-o", fmt, "-f", "%e %M"] + cmd, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, kb = open(fmt).read().split()[-2:]
    return float(wall), int(kb)


tools = {
    "hallbar": ([hallbar, "build", "--root", os.path.join(corpus, "hallbar"), "--output", os.path.join(out, "h")], corpus),
    "hugo": (["hugo", "--quiet", "-d", os.path.join(out, "g")], os.path.join(corpus, "hugo")),
}
samples = {name: [] for name in tools}
for i in range(runs + 1):  # the first round warms the file cache and is not counted
    for name, (cmd, cwd) in tools.items():
        shutil.rmtree(os.path.join(out, name[0]), ignore_errors=True)
        result = timed(cmd, cwd)
        if i > 0:
            samples[name].append(result)
shutil.rmtree(out, ignore_errors=True)

med = {n: (statistics.median(w for w, _ in s), max(k for _, k in s)) for n, s in samples.items()}
pages = len([f for f in os.listdir(os.path.join(corpus, "hallbar", "content", "program")) if f.endswith(".md")]) - 1
(hw, hm), (gw, gm) = med["hallbar"], med["hugo"]
print(f"{pages} pages, {runs} runs each: hallbar {hw:.2f} s {hm / 1024:.0f} MB | hugo {gw:.2f} s {gm / 1024:.0f} MB | "
      f"time ratio {hw / gw:.2f}, memory ratio {hm / gm:.2f}")
