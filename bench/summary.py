#!/usr/bin/env python3
"""The closing table of bench/run.sh: each performance target with the value measured in
this run (from the JSON lines compare.py, floor.py, scale.py and reload_latency.py append
to $BENCH_RESULTS), and whether it is met. A target whose measurement was not run (a size
left out of SIZES, LARGE empty) says so.

Usage: python3 bench/summary.py RESULTS_FILE
"""
import json, sys


def load(path):
    try:
        return [json.loads(l) for l in open(path) if l.strip()]
    except FileNotFoundError:
        return []


def main():
    rows = load(sys.argv[1])

    def find(kind, **match):
        found = [r for r in rows if r["kind"] == kind and all(r.get(k) == v for k, v in match.items())]
        return found[-1] if found else None

    table = []  # (target, measured, met)

    def add(target, value, ok, detail=""):
        if value is None:
            table.append((target, "not measured", "-"))
        else:
            table.append((target, value + (f" ({detail})" if detail else ""), "yes" if ok else "NO"))

    for n, limit_t, limit_m, modes in ((10000, 0.25, 0.25, ("fresh", "existing")), (1000, 0.4, None, ("fresh",))):
        for mode in modes:
            r = find("compare", pages=n, mode=mode)
            detail = r and f"hallbar {r['hallbar_s']:.2f} s, Hugo {r['hugo_s']:.2f} s"
            add(f"{n:,} pages {mode}: time <= {limit_t}x Hugo", r and f"{r['time_ratio']:.2f}x",
                r and r["time_ratio"] <= limit_t, detail)
            if limit_m:
                detail = r and f"hallbar {r['hallbar_mb']:.0f} MB, Hugo {r['hugo_mb']:.0f} MB"
                add(f"{n:,} pages {mode}: memory <= {limit_m}x Hugo", r and f"{r['memory_ratio']:.2f}x",
                    r and r["memory_ratio"] <= limit_m, detail)

    r = find("serve", pages=10000, edit="metric")
    add("serve, metric edit, 10,000 pages: median <= 150 ms", r and f"{r['median_ms']:.0f} ms",
        r and r["median_ms"] <= 150, r and f"p95 {r['p95_ms']:.0f} ms, {r['edits']} edits")
    add("serve, metric edit, 10,000 pages: worst < 300 ms", r and f"{r['worst_ms']:.0f} ms",
        r and r["worst_ms"] < 300)
    texts = [r for r in rows if r["kind"] == "serve" and r["edit"] == "text"]
    for r in texts or [None]:
        where = "" if r is None else (" bundled report" if r["site"] == "bundled report" else f" {r['pages']:,} pages")
        add(f"serve, page text{where}: median <= 50 ms", r and f"{r['median_ms']:.0f} ms",
            r and r["median_ms"] <= 50, r and f"p95 {r['p95_ms']:.0f} ms, worst {r['worst_ms']:.0f} ms")

    r = find("scale")
    label = f"{r['large_pages']:,}" if r else "100,000"
    add(f"{label} pages: cost per page within 25% of 1,000", r and f"{r['ratio']:.2f}x",
        r and r["ratio"] <= 1.25, r and f"{r['large_ms_per_page']:.2f} against {r['small_ms_per_page']:.2f} ms per page, whole build")
    add(f"{label} pages: peak memory < 2 GB", r and f"{r['large_peak_mb']:.0f} MB", r and r["large_peak_mb"] < 2048)
    scale = r

    # Not targets; for the README's "where the time goes".
    notes = []
    if scale and "above_ratio" in scale:
        r = scale
        notes.append((f"{label} pages: cost per page above the floor, against 1,000",
                      f"{r['above_ratio']:.2f}x ({r['large_above_ms_per_page']:.3f} against "
                      f"{r['small_above_ms_per_page']:.3f} ms); the floor's own {r['floor_ratio']:.2f}x "
                      f"({r['large_floor_ms_per_page']:.3f} against {r['small_floor_ms_per_page']:.3f} ms)"))
    r = find("floor")
    if r:
        notes.append((f"{r['pages']:,} pages fresh: hallbar above the floor",
                      f"{r['above_s'] * 1000:.0f} ms (hallbar {r['hallbar_s'] * 1000:.0f} ms, "
                      f"floor {r['floor_s'] * 1000:.0f} ms, hallbar sys CPU {r['hallbar_sys_s']:.2f} s)"))
    for tool in ("hallbar", "hugo"):
        r = find("strace", tool=tool)
        if r:
            notes.append((f"{r['pages']:,} pages fresh, {tool} under strace -c",
                          f"{r['output_s']:.3f} s in output calls, {r['total_s'] - r['waiting_s']:.3f} s in all "
                          f"calls but waiting"))

    w = max(len(t) for t, _, _ in table + [(n, 0, 0) for n, _ in notes])
    print(f"{'target':<{w}}  {'met':<3}  measured")
    for target, value, ok in table:
        print(f"{target:<{w}}  {ok:<3}  {value}")
    for name, value in notes:
        print(f"{name:<{w}}  {'':<3}  {value}")


if __name__ == "__main__":
    main()
