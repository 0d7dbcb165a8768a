#!/usr/bin/env python3
"""Whether hallbar's cost grows linearly: full builds of a small and a large corpus,
alternating, with wall time and peak memory of each (from /usr/bin/time), and the cost
per page of the large one as a ratio of the small one's. Hugo is not run here: at
100,000 pages it would need more memory than the machine has.

Usage: python3 bench/scale.py SMALL_CORPUS LARGE_CORPUS RUNS HALLBAR_BINARY
Each corpus folder holds hallbar/ as written by examples/corpus.rs.
With BENCH_RESULTS=FILE set, also appends one JSON line to FILE.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

from compare import pages, record

small, large, runs, hallbar = sys.argv[1], sys.argv[2], int(sys.argv[3]), os.path.abspath(sys.argv[4])
out = tempfile.mkdtemp(prefix="hallbar-scale-")


def timed(corpus):
    """Wall seconds and peak resident kilobytes of one full build into an empty folder."""
    target = os.path.join(out, "public")
    shutil.rmtree(target, ignore_errors=True)
    fmt = os.path.join(out, "time.txt")
    os.sync()
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", fmt, "-f", "%M", hallbar, "build", "--root",
                    os.path.join(corpus, "hallbar"), "--output", target], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    return wall, int(open(fmt).read().split()[-1])


samples = {small: [], large: []}
for i in range(runs + 1):  # the first round warms the file cache and is not counted
    for corpus in (small, large):
        result = timed(corpus)
        if i > 0:
            samples[corpus].append(result)
shutil.rmtree(out, ignore_errors=True)

per_page, peaks = {}, {}
for corpus, s in samples.items():
    n = pages(corpus)
    wall = statistics.median(w for w, _ in s)
    peak = max(k for _, k in s) / 1024
    per_page[corpus], peaks[corpus] = wall / n * 1000, peak
    print(f"scale {n} pages fresh, {runs} runs: hallbar {wall:.2f} s, {per_page[corpus]:.2f} ms per page, peak {peak:.0f} MB")
ratio = per_page[large] / per_page[small]
print(f"scale cost per page, {pages(large)} against {pages(small)} pages: {ratio:.2f}")
record("scale", small_pages=pages(small), large_pages=pages(large), runs=runs, small_ms_per_page=per_page[small],
       large_ms_per_page=per_page[large], ratio=ratio, large_peak_mb=peaks[large], small_peak_mb=peaks[small])
