#!/usr/bin/env bash
# HTML validity: the W3C Nu Html Checker (vnu.jar from the npm package vnu-jar) on every
# .html file under SITE_DIR.
# Usage: tests/checkers/html.sh SITE_DIR
# Prints each error as  file:line.col: message  then
#   html: N errors in M files
# Exit: 0 valid, 1 errors, 2 setup error (or no HTML files).
# Env: VNU_ARGS (extra vnu options, e.g. --also-check-css), VNU_JAR_VERSION,
#      HALLBAR_CHECKERS_CACHE.
# Note: with --also-check-css, vnu 26.9.27 reports HTML line numbers one lower than the
# real line (seen on this machine); the messages themselves are unaffected.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
need_cmd java openjdk-17-jre-headless
PREFIX=$(with_lock npm-vnu npm_pkgs npm-vnu "vnu-jar@$VNU_JAR_VERSION") || exit 2
JAR="$PREFIX/node_modules/vnu-jar/build/dist/vnu.jar"
[ -f "$JAR" ] || die "vnu.jar not found in $PREFIX"

OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
# vnu exits 1 when it finds errors; the JSON report decides, so its status is ignored.
# shellcheck disable=SC2086
java -Xss1m -jar "$JAR" --skip-non-html --errors-only --format json --stdout \
  ${VNU_ARGS:-} "$SITE" >"$OUT" || true

python3 - "$OUT" "$SITE" "${VNU_ARGS:-}" <<'PY'
import json, os, sys
from urllib.parse import unquote, urlparse

out, site, args = sys.argv[1], sys.argv[2], sys.argv[3].split()
exts = [".html", ".htm", ".xhtml", ".xht"]
if "--also-check-css" in args:
    exts.append(".css")
if "--also-check-svg" in args:
    exts.append(".svg")
checked = sum(1 for _, _, fs in os.walk(site) for f in fs if f.lower().endswith(tuple(exts)))
if not any(f.lower().endswith((".html", ".htm", ".xhtml", ".xht"))
           for _, _, fs in os.walk(site) for f in fs):
    print(f"html: no HTML files under {site}")
    print("html: 0 errors in 0 files")
    sys.exit(2)
try:
    with open(out, encoding="utf-8") as fh:
        report = json.load(fh)
except ValueError:
    with open(out, encoding="utf-8", errors="replace") as fh:
        sys.stdout.write(fh.read()[-2000:])
    print("html: vnu produced no JSON report (see above)")
    sys.exit(2)
lines = []
for m in report.get("messages", []):
    if m.get("type") not in ("error", "non-document-error"):
        continue
    path = unquote(urlparse(m.get("url", "")).path)
    rel = os.path.relpath(os.path.realpath(path), site) if path else "?"
    line = m.get("firstLine", m.get("lastLine", "?"))
    col = m.get("firstColumn", m.get("lastColumn", "?"))
    msg = " ".join(m.get("message", "").split())
    num = lambda v: v if isinstance(v, int) else 0
    lines.append((rel, num(line), num(col), f"{rel}:{line}.{col}: {msg}"))
for *_, text in sorted(lines, key=lambda t: t[:3]):
    print(text)
print(f"html: {len(lines)} errors in {checked} files")
sys.exit(1 if lines else 0)
PY
