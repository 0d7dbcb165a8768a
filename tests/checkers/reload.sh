#!/usr/bin/env bash
# Live reload in a real browser: starts `hallbar serve` on a copy of the bundled report and
# lets reload.cjs save a page the ways editors do while Chromium shows it.
# Usage: tests/checkers/reload.sh HALLBAR_BINARY
# Exit: 0 every save shown and the error overlay came and went, 1 otherwise, 2 setup error.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BIN=${1:-}
[ -x "$BIN" ] || die "usage: reload.sh HALLBAR_BINARY"
ROOT="$(cd "$CHECKERS_DIR/../.." && pwd)"
[ -x "$CHROMIUM" ] || apt_install chromium
need_cmd node nodejs
need_cmd npm npm
PREFIX=$(with_lock npm-a11y npm_pkgs npm-a11y "axe-core@$AXE_CORE_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION") || exit 2

WORK=$(mktemp -d)
cp -r "$ROOT/content" "$ROOT/site.yaml" "$WORK/"
"$BIN" serve --port 0 --root "$WORK" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
# shellcheck disable=SC2317,SC2329
cleanup() { kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
URL=""
for _ in $(seq 200); do
  URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$WORK/serve.log" | head -n1 || true)
  [ -n "$URL" ] && break
  kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.log"; die "hallbar serve stopped"; }
  sleep 0.05
done
[ -n "$URL" ] || die "hallbar serve printed no address"
node "$CHECKERS_DIR/reload.cjs" "$PREFIX" "$URL" "$WORK"
