#!/usr/bin/env bash
# Layout in a real browser: every .html page of SITE_DIR, served on 127.0.0.1, in Debian's
# headless Chromium (playwright-core), light and dark, at 360 and 1280 px. Checks that
#   - no page is wider than the screen (WCAG 1.4.10 reflow);
#   - at 1280 px no table or chart is cut off inside its scroll box;
#   - h1 is larger than h2, and h2 at least as large as h3;
#   - no figure breaks between its number and its unit (.figure-nowrap, .figure-value).
# Usage: tests/checkers/layout.sh SITE_DIR
# Final line: "layout: N problems on M pages". Exit: 0 clean, 1 problems, 2 setup error.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
[ -x "$CHROMIUM" ] || apt_install chromium
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM"
need_cmd node nodejs
need_cmd npm npm
PREFIX=$(with_lock npm-a11y npm_pkgs npm-a11y "axe-core@$AXE_CORE_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION") || exit 2

# shellcheck disable=SC2317,SC2329
cleanup() { stop_server; }
trap cleanup EXIT
start_server "$SITE"
rc=0
node "$CHECKERS_DIR/layout.cjs" "$PREFIX" "http://127.0.0.1:$PORT/" "$SITE" || rc=$?
exit "$rc"
