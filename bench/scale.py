#!/usr/bin/env python3
"""Whether hallbar's cost grows linearly: full builds of a small and then a large corpus, with wall time and peak memory of each (from /usr/bin/time), and the cost
per page of the large one as a ratio of the small one's. Hugo is not run here: at
100,000 pages it would need more memory than the machine has.

With FLOOR_BINARY (examples/floor.rs), each build is followed by the floor on that same
output: only creating its folders and files, with the same sizes, in an emptied folder
(2 threads, as hallbar has). The cost per page above the floor is hallbar's own work; the
floor's cost per page is the kernel's, and it does not stay flat on ext4 from 1,000 to
100,000 pages (3.3 GB in 200,000 inodes pass the dirty-page limits and are written back
while the build runs).

Usage: python3 bench/scale.py SMALL_CORPUS LARGE_CORPUS RUNS HALLBAR_BINARY [FLOOR_BINARY]
Each corpus folder holds hallbar/ as written by examples/corpus.rs.
With BENCH_RESULTS=FILE set, also appends one JSON line to FILE.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

from compare import pages, record
from floor import floor_run

small, large, runs, hallbar = sys.argv[1], sys.argv[2], int(sys.argv[3]), os.path.abspath(sys.argv[4])
floor = os.path.abspath(sys.argv[5]) if len(sys.argv) > 5 else None
out = tempfile.mkdtemp(prefix="hallbar-scale-")


def settle():
    """Lets the disk finish the last run's work (dirty pages written back, deleted blocks
    discarded) before the next run is timed: gigabytes of it otherwise land in the next
    run, whichever it is."""
    os.sync()
    time.sleep(SETTLE_S)


SETTLE_S = 5


def timed(corpus):
    """Wall seconds and peak resident kilobytes of one full build into an empty folder,
    and the floor's seconds on its output (`None` without FLOOR_BINARY)."""
    target = os.path.join(out, "public")
    shutil.rmtree(target, ignore_errors=True)
    fmt = os.path.join(out, "time.txt")
    settle()
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", fmt, "-f", "%M", hallbar, "build", "--root",
                    os.path.join(corpus, "hallbar"), "--output", target], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = int(open(fmt).read().split()[-1])
    if not floor:
        return wall, peak, None
    listing = os.path.join(out, "files.txt")
    with open(listing, "w") as f:
        subprocess.run(["find", target, "-type", "f", "-printf", "%P %s\n"], check=True, stdout=f)
    shutil.rmtree(target, ignore_errors=True)
    settle()
    floor_s, _ = floor_run(floor, listing, os.path.join(out, "floor"), ["2"])
    shutil.rmtree(os.path.join(out, "floor"), ignore_errors=True)
    return wall, peak, floor_s


# One size after the other, not alternating: deleting the large output (3 GB in 200,000
# files) keeps this machine's virtual disk busy for longer than any settling, and a small
# build run after it measured twice its time on a quiet disk.
samples = {small: [], large: []}
for corpus in (small, large):
    for i in range(runs + 1):  # the first run warms the file cache and is not counted
        result = timed(corpus)
        if i > 0:
            samples[corpus].append(result)
shutil.rmtree(out, ignore_errors=True)

per_page, peaks, floor_pp, above_pp = {}, {}, {}, {}
for corpus, s in samples.items():
    n = pages(corpus)
    wall = statistics.median(w for w, _, _ in s)
    peak = max(k for _, k, _ in s) / 1024
    per_page[corpus], peaks[corpus] = wall / n * 1000, peak
    line = f"scale {n} pages fresh, {runs} runs: hallbar {wall:.2f} s, {per_page[corpus]:.3f} ms per page, peak {peak:.0f} MB"
    if floor:
        floor_s = statistics.median(f for _, _, f in s)
        above = statistics.median(w - f for w, _, f in s)
        floor_pp[corpus], above_pp[corpus] = floor_s / n * 1000, above / n * 1000
        line += (f"; floor {floor_s:.2f} s ({floor_pp[corpus]:.3f} ms per page), "
                 f"hallbar above it {above:.2f} s ({above_pp[corpus]:.3f} ms per page)")
    print(line)
ratio = per_page[large] / per_page[small]
print(f"scale cost per page, {pages(large)} against {pages(small)} pages: {ratio:.2f}")
extra = {}
if floor:
    extra = dict(floor_ratio=floor_pp[large] / floor_pp[small], above_ratio=above_pp[large] / above_pp[small],
                 small_above_ms_per_page=above_pp[small], large_above_ms_per_page=above_pp[large],
                 small_floor_ms_per_page=floor_pp[small], large_floor_ms_per_page=floor_pp[large])
    print(f"scale cost per page above the floor, {pages(large)} against {pages(small)} pages: {extra['above_ratio']:.2f}; "
          f"the floor's own: {extra['floor_ratio']:.2f}")
record("scale", small_pages=pages(small), large_pages=pages(large), runs=runs, small_ms_per_page=per_page[small],
       large_ms_per_page=per_page[large], ratio=ratio, large_peak_mb=peaks[large], small_peak_mb=peaks[small],
       **extra)
