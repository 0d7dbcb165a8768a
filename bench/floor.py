#!/usr/bin/env python3
"""The floor of a full build: how long it takes only to create hallbar's output files
(same folders, same sizes, any bytes) in an empty folder, against hallbar's whole build.

1. Builds once with hallbar and lists its output (`find -type f -printf '%P %s\n'`).
2. Alternates, run by run: hallbar into an emptied folder (wall time around the process,
   system CPU time from /usr/bin/time %S) and examples/floor.rs writing the listed files
   into an emptied folder (its own timing, the faster of 1 and 2 threads).
3. Runs `strace -c -f` once on a fresh hallbar build and once on a fresh Hugo build and
   prints the top of each summary, and the seconds in the calls that make the output.

Usage: python3 bench/floor.py CORPUS_DIR RUNS HALLBAR_BINARY FLOOR_BINARY [HUGO_BINARY]
CORPUS_DIR holds hallbar/ (and hugo/) as written by examples/corpus.rs.
With BENCH_RESULTS=FILE set, also appends JSON lines to FILE.
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

from compare import pages, record

# The system calls that create the output: folders, files, their bytes, renames into place.
OUTPUT_CALLS = {"mkdir", "mkdirat", "open", "openat", "creat", "write", "writev", "pwrite64",
                "close", "rename", "renameat", "renameat2", "unlink", "unlinkat", "fsync",
                "fdatasync", "ftruncate", "fallocate", "fchmod", "linkat"}


def hallbar_run(hallbar, corpus, out, scratch):
    """Wall seconds, system CPU seconds and user CPU seconds of one fresh hallbar build."""
    shutil.rmtree(out, ignore_errors=True)
    fmt = os.path.join(scratch, "time.txt")
    os.sync()
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", fmt, "-f", "%S %U", hallbar, "build", "--root",
                    os.path.join(corpus, "hallbar"), "--output", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    sys_s, user_s = open(fmt).read().split()[-2:]
    return wall, float(sys_s), float(user_s)


def floor_run(floor, listing, out, threads):
    """The floor's best seconds (of the thread counts given, in that order)."""
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    text = subprocess.run([floor, listing, out] + threads, check=True, capture_output=True,
                          text=True).stdout
    m = re.search(r"^floor best ([\d.]+) s \((\d+) thread", text, re.M)
    if not m:
        sys.exit(f"floor printed no best time:\n{text}")
    return float(m.group(1)), int(m.group(2))


def strace(name, cmd, cwd, scratch):
    """Runs cmd under `strace -c -f`, prints the top of the summary and the output calls."""
    summary = os.path.join(scratch, f"strace-{name}.txt")
    t0 = time.perf_counter()
    subprocess.run(["strace", "-c", "-f", "-o", summary] + cmd, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    lines = open(summary).read().splitlines()
    rows, total = [], None
    for line in lines:
        parts = line.split()
        if len(parts) >= 5 and re.match(r"^[\d.]+$", parts[0]):
            if parts[-1] == "total":
                total = float(parts[1])
            else:
                rows.append((parts[-1], float(parts[1]), int(parts[3]), line))
    out_s = sum(s for c, s, _, _ in rows if c in OUTPUT_CALLS)
    wait_s = sum(s for c, s, _, _ in rows if c in ("futex", "nanosleep", "epoll_pwait", "epoll_wait",
                                                   "sched_yield", "wait4", "clock_nanosleep"))
    print(f"strace {name}: {wall:.2f} s under strace; syscall seconds {total:.3f} in all, "
          f"{total - wait_s:.3f} without waiting (futex, sleeps, epoll), "
          f"{out_s:.3f} in output calls ({', '.join(c for c in sorted(OUTPUT_CALLS) if any(r[0] == c for r in rows))})")
    for line in lines[:2]:
        print(f"  {line}")
    for _, _, _, line in rows[:8]:
        print(f"  {line}")
    shown = {r[0] for r in rows[:8]}
    for c, _, _, line in rows:
        if c in ("mkdir", "mkdirat", "openat", "write", "rename", "renameat", "renameat2") and c not in shown:
            print(f"  {line}")
    return total, wait_s, out_s


def main():
    corpus, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    hallbar, floor = os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
    hugo = os.path.abspath(sys.argv[5]) if len(sys.argv) > 5 else None
    scratch = tempfile.mkdtemp(prefix="hallbar-floor-")
    try:
        built = os.path.join(scratch, "built")
        hallbar_run(hallbar, corpus, built, scratch)
        listing = os.path.join(scratch, "files.txt")
        with open(listing, "w") as f:
            subprocess.run(["find", built, "-type", "f", "-printf", "%P %s\n"], check=True, stdout=f)
        files = sum(1 for _ in open(listing))
        mb = sum(int(l.rsplit(" ", 1)[1]) for l in open(listing)) / 1e6

        h, fl = [], []
        for i in range(runs + 1):  # the first round warms the file cache and is not counted
            threads = ["1", "2"] if i % 2 == 0 else ["2", "1"]
            steps = [("h", lambda: hallbar_run(hallbar, corpus, built, scratch)),
                     ("f", lambda: floor_run(floor, listing, os.path.join(scratch, "floor"), threads))]
            for kind, step in (steps if i % 2 == 0 else steps[::-1]):
                result = step()
                if i > 0:
                    (h if kind == "h" else fl).append(result)
        n = pages(corpus)
        hw = statistics.median(w for w, _, _ in h)
        hs = statistics.median(s for _, s, _ in h)
        hu = statistics.median(u for _, _, u in h)
        fw = statistics.median(s for s, _ in fl)
        best_threads = statistics.mode(t for _, t in fl)
        print(f"floor {n} pages fresh ({files} files, {mb:.1f} MB, {runs} runs): hallbar {hw * 1000:.0f} ms "
              f"(user {hu:.2f} s, sys {hs:.2f} s CPU) | floor {fw * 1000:.0f} ms "
              f"(mostly {best_threads} thread{'s' if best_threads > 1 else ''}) | "
              f"hallbar above the floor {(hw - fw) * 1000:.0f} ms", flush=True)
        record("floor", pages=n, runs=runs, files=files, mb=mb, hallbar_s=hw, hallbar_sys_s=hs,
               hallbar_user_s=hu, floor_s=fw, above_s=hw - fw)

        if shutil.which("strace"):
            shutil.rmtree(built, ignore_errors=True)
            t, w, o = strace("hallbar", [hallbar, "build", "--root", os.path.join(corpus, "hallbar"),
                                         "--output", built], corpus, scratch)
            record("strace", tool="hallbar", pages=n, total_s=t, waiting_s=w, output_s=o)
            if hugo:
                g = os.path.join(scratch, "hugo-out")
                t, w, o = strace("hugo", [hugo, "--quiet", "-d", g], os.path.join(corpus, "hugo"), scratch)
                record("strace", tool="hugo", pages=n, total_s=t, waiting_s=w, output_s=o)
        else:
            print("strace: not installed, skipped")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
