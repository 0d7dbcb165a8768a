#!/usr/bin/env bash
# What search costs a build, and how that compares with the way a Hugo site gets search
# (Hugo, then the Pagefind CLI on its output), on the generated corpus and the bundled
# report, in one run.
#   bash bench/search.sh                       # 1,000 pages and the bundled report
#   SIZES="1000 10000" RUNS=3 bash bench/search.sh
# Per size, alternating, RUNS times each into a fresh output folder: hallbar with
# `search: false` (the corpus as bench/run.sh builds it), hallbar with search, Hugo 0.168.0,
# and Pagefind 1.6.0's CLI (npm `pagefind@1.6.0`, pinned into ~/.cache/hallbar-bench) on
# Hugo's output. Prints medians of wall time, the highest peak memory (GNU time), and the
# ratio hallbar with search ÷ (Hugo + Pagefind). The bundled report: hyperfine, search on
# and off. Needs what bench/run.sh installs (Hugo, hyperfine, GNU time) and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=${SIZES:-1000}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/hallbar-search-bench-XXXXXX)}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/hallbar-bench
HUGO=$CACHE/hugo-0.168.0/hugo/binaries/hugo
PAGEFIND_DIR=$CACHE/pagefind-1.6.0
PAGEFIND=$PAGEFIND_DIR/node_modules/@pagefind/linux-x64/bin/pagefind_extended
[ -x "$HUGO" ] || { echo "no Hugo at $HUGO: run bench/run.sh once, which installs it" >&2; exit 1; }
if [[ "$("$PAGEFIND" --version 2>/dev/null || true)" != "pagefind 1.6.0" ]]; then
  echo "installing pagefind@1.6.0 from npm into $PAGEFIND_DIR ..." >&2
  mkdir -p "$PAGEFIND_DIR"
  (cd "$PAGEFIND_DIR" && npm install --silent --no-audit --no-fund pagefind@1.6.0 >/dev/null)
fi
[ -x "$PAGEFIND" ] || { echo "no Pagefind binary at $PAGEFIND" >&2; exit 1; }
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --quiet
  cargo build --release --quiet --example corpus
fi
BIN=$PWD/target/release/hallbar
mkdir -p "$WORK"
echo "$("$HUGO" version | cut -d' ' -f1-2), $("$PAGEFIND" --version), $(nproc) cores; corpora in $WORK"

# measure NAME CMD...: appends "NAME seconds kilobytes" to $WORK/times.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "$name %e %M" -a -o "$WORK/times" "$@" >/dev/null 2>&1
}

for n in $SIZES; do
  c=$WORK/$n
  [ -d "$c/hallbar" ] || ./target/release/examples/corpus "$c" "$n" >/dev/null
  # (A corpus made before search existed lacks the line.)
  grep -q '^search: false$' "$c/hallbar/site.yaml" || echo 'search: false' >>"$c/hallbar/site.yaml"
  rm -rf "$c/with-search" && cp -r "$c/hallbar" "$c/with-search"
  sed -i '/^search: false$/d' "$c/with-search/site.yaml"
  : >"$WORK/times"
  for _ in $(seq "$RUNS"); do
    rm -rf "$c/out-off" && measure off "$BIN" build --root "$c/hallbar" --output "$c/out-off"
    rm -rf "$c/out-on" && measure on "$BIN" build --root "$c/with-search" --output "$c/out-on"
    rm -rf "$c/out-hugo" && measure hugo "$HUGO" --quiet -s "$c/hugo" -d "$c/out-hugo"
    measure pagefind "$PAGEFIND" --site "$c/out-hugo" --quiet
  done
  python3 - "$WORK/times" "$n" "$c" <<'PY'
import statistics, subprocess, sys
times, n, c = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = {}
for line in open(times):
    name, s, kb = line.split()
    runs.setdefault(name, []).append((float(s), int(kb)))
t = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
m = {k: max(kb for _, kb in v) / 1024 for k, v in runs.items()}
def du(path):
    return int(subprocess.run(["du", "-sk", path], capture_output=True, text=True).stdout.split()[0]) / 1024
print(f"\n{n:,} pages, {len(runs['on'])} runs each (medians; peak memory the highest):")
print(f"  hallbar, search: false   {t['off']:7.2f} s  {m['off']:6.0f} MB")
print(f"  hallbar, with search     {t['on']:7.2f} s  {m['on']:6.0f} MB   search adds {t['on'] - t['off']:.2f} s"
      f" ({(t['on'] - t['off']) / n * 1000:.2f} ms a page); index {du(c + '/out-on/pagefind'):.1f} MB")
print(f"  Hugo 0.168               {t['hugo']:7.2f} s  {m['hugo']:6.0f} MB")
print(f"  Pagefind 1.6 CLI         {t['pagefind']:7.2f} s  {m['pagefind']:6.0f} MB   index {du(c + '/out-hugo/pagefind'):.1f} MB")
both = t['hugo'] + t['pagefind']
print(f"  hallbar with search / (Hugo + Pagefind): {t['on']:.2f} / {both:.2f} s = {t['on'] / both:.2f}; "
      f"memory {m['on']:.0f} / {max(m['hugo'], m['pagefind']):.0f} MB = {m['on'] / max(m['hugo'], m['pagefind']):.2f}")
PY
done

# The bundled report, search on (as it ships) and off.
b=$WORK/bundled
rm -rf "$b" && mkdir -p "$b/off" && cp -r content site.yaml "$b/off/"
cp -r "$b/off" "$b/on" && printf 'search: false\n' >>"$b/off/site.yaml"
echo
hyperfine --warmup 3 --runs 30 --style basic \
  -n "bundled, search" "$BIN build --root $b/on --output $b/out-on" \
  -n "bundled, search: false" "$BIN build --root $b/off --output $b/out-off" 2>&1 | grep -E 'Time|±|bundled'
