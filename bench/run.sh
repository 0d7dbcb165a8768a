#!/usr/bin/env bash
# Performance benchmark: hallbar against Hugo on the same generated report, in one run.
#   bash bench/run.sh                 # 100, 1,000 and 10,000 pages
#   SIZES="1000" RUNS=3 LARGE= bash bench/run.sh   # quicker: no 100,000-page run
# Installs Hugo, hyperfine and GNU time from Debian when missing (needs root and apt).
# Prints, per size: median wall time and peak memory of a full build for both tools and
# their ratios; then the save-to-reload latency of `hallbar serve` on the 1,000- and
# 10,000-page sites and the whole `hallbar build` of the bundled report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=${SIZES:-"100 1000 10000"}
RUNS=${RUNS:-5}
LARGE=${LARGE-100000}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/hallbar-bench-XXXXXX)}

need=()
command -v hugo >/dev/null || need+=(hugo)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "hugo: $(hugo version | cut -d' ' -f1-2); $(hyperfine --version)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB"

cargo build --release --quiet
cargo build --release --quiet --example corpus
BIN=$PWD/target/release/hallbar

echo "== full builds, alternating the two tools"
for n in $SIZES; do
  [ -d "$WORK/$n" ] || ./target/release/examples/corpus "$WORK/$n" "$n" >/dev/null
  runs=$RUNS
  [ "$n" -ge 10000 ] && runs=$(( RUNS < 3 ? RUNS : 3 ))
  python3 bench/compare.py "$WORK/$n" "$runs" "$BIN"
done

if [ -n "$LARGE" ]; then
  echo "== growth: hallbar alone on 1,000 and $LARGE pages (1.3 GB of Markdown; takes minutes)"
  [ -d "$WORK/1000" ] || ./target/release/examples/corpus "$WORK/1000" 1000 >/dev/null
  [ -d "$WORK/$LARGE" ] || ./target/release/examples/corpus "$WORK/$LARGE" "$LARGE" >/dev/null
  python3 bench/scale.py "$WORK/1000" "$WORK/$LARGE" 1 "$BIN"
fi

echo "== the bundled report, a whole hallbar build process"
hyperfine --warmup 3 --runs 30 --style basic --prepare "rm -rf $WORK/bundled" \
  "$BIN build --output $WORK/bundled" 2>&1 | grep -E "Time|Range"

echo "== hallbar serve: save to new page served (rebuild and write included), then compared with a clean build"
python3 bench/reload_latency.py "$BIN" --edits 20
for n in $SIZES; do
  [ "$n" -ge 1000 ] && python3 bench/reload_latency.py "$BIN" --site "$WORK/$n/hallbar" --edits 10
done
echo "== hallbar serve: one metric value edited (the pages showing it, listings, generated pages, open data)"
for n in $SIZES; do
  [ "$n" -ge 1000 ] && python3 bench/reload_latency.py "$BIN" --site "$WORK/$n/hallbar" --edits 6 --metrics
done
echo "(corpora kept in $WORK)"
