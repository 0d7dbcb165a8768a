#!/usr/bin/env bash
# The print edition as a reader's PDF: Chromium prints SITE_DIR/PRINT_PATH (default
# utskrift/index.html) to PDF, and pdfinfo/pdftotext check that it is A4, numbered on every
# page, has a table of contents naming every programme, prints no link targets inside the
# report, and shows every column of every key-figure table; then Chromium, in print media
# at A4 width, checks that no table is wider than the paper and no scroll box is left.
# Usage: tests/checkers/print.sh SITE_DIR [PRINT_PATH]
# Final line: "print: N problems". Exit: 0 clean, 1 problems, 2 setup error.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
PRINT_PATH=${2:-utskrift/index.html}
[ -f "$SITE/$PRINT_PATH" ] || die "no print page $SITE/$PRINT_PATH"
[ -x "$CHROMIUM" ] || apt_install chromium
command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
need_cmd pdfinfo poppler-utils
need_cmd python3 python3
need_cmd node nodejs
PREFIX=$(with_lock npm-a11y npm_pkgs npm-a11y "axe-core@$AXE_CORE_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION") || exit 2

WORK=$(mktemp -d)
# shellcheck disable=SC2317,SC2329
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
start_server "$SITE"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$WORK/profile" --no-pdf-header-footer \
  --print-to-pdf="$WORK/print.pdf" "http://127.0.0.1:$PORT/$PRINT_PATH" >/dev/null 2>&1 || true
[ -s "$WORK/print.pdf" ] || die "Chromium made no PDF of $PRINT_PATH"
pdfinfo "$WORK/print.pdf" > "$WORK/info.txt"
pdftotext -layout "$WORK/print.pdf" "$WORK/text.txt"
problems=0
python3 - "$SITE/$PRINT_PATH" "$WORK/info.txt" "$WORK/text.txt" <<'PY' || problems=$?
import html, re, sys
page_html, info, text = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
found = []
pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
w, h = float(size.group(1)), float(size.group(2))
if abs(w - 595.3) > 2 or abs(h - 841.9) > 2:
    found.append(f"paper is {w:.0f} x {h:.0f} pt, not A4 portrait (595 x 842)")
sheets = text.split("\f")
for n in range(1, pages + 1):
    if not re.search(rf"(^|\s){n}\s*/\s*{pages}\s*$", sheets[n - 1], re.M):
        found.append(f"page {n} has no page number '{n} / {pages}'")
flat = " ".join(text.split())
def words(s):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", s)).split())
toc = re.search(r'<nav class="print-toc".*?</nav>', page_html, re.S)
if not toc:
    found.append("no table of contents")
else:
    for item in re.findall(r"<li><a [^>]*>(.*?)</a></li>", toc.group(0), re.S):
        if words(item) not in flat:
            found.append(f"contents entry {words(item)!r} not printed")
for target in re.findall(r"\((\.\./[^)]*|[^)\s]*index\.html[^)]*)\)", text):
    found.append(f"a link target inside the report is printed: ({target})")
for table in re.findall(r'<table class="key-figures".*?</table>', page_html, re.S):
    for th in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S):
        if words(th) and words(th) not in flat:
            found.append(f"key-figure column {words(th)!r} is not printed")
for f in found:
    print(f"print: {f}")
print(f"print: {pages} A4 pages checked, {len(found)} problems in the PDF")
sys.exit(1 if found else 0)
PY
rc=0
LAYOUT_PRINT="$PRINT_PATH" node "$CHECKERS_DIR/layout.cjs" "$PREFIX" "http://127.0.0.1:$PORT/" "$SITE" || rc=$?
[ "$rc" = 0 ] || problems=1
[ "$problems" = 0 ] && echo "print: 0 problems" || echo "print: problems found"
[ "$problems" = 0 ]
