#!/usr/bin/env bash
# Accessibility: axe-core (WCAG 2.0/2.1 A+AA, color-contrast included) on every .html page
# of SITE_DIR, served on 127.0.0.1, in Debian's headless Chromium driven by playwright-core.
# Usage: tests/checkers/a11y.sh SITE_DIR
# Prints per-page results (rule id, impact, element count), then
#   a11y: N violations on M pages
# Exit: 0 clean, 1 violations (or a page could not be checked), 2 setup error.
# Env: A11Y_SCHEME (light|dark, default light), A11Y_WIDTH (viewport width, default 1280),
#      A11Y_TAGS, CHROMIUM (default /usr/bin/chromium), AXE_CORE_VERSION,
#      PLAYWRIGHT_CORE_VERSION, HALLBAR_CHECKERS_CACHE.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
case "${A11Y_SCHEME:=light}" in (light|dark) ;; (*) die "A11Y_SCHEME must be light or dark";; esac
case "${A11Y_WIDTH:=1280}" in (''|*[!0-9]*) die "A11Y_WIDTH must be a number";; esac
export A11Y_SCHEME A11Y_WIDTH
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
node "$CHECKERS_DIR/a11y.cjs" "$PREFIX" "http://127.0.0.1:$PORT/" "$SITE" || rc=$?
exit "$rc"
