#!/usr/bin/env bash
# Search in a real browser: serves SITE_DIR under /SUBPATH/ on 127.0.0.1 and lets
# search.cjs use the search page SEARCH_PAGE (relative to the site) as a reader would, in
# Debian's headless Chromium: type each query, check the announced count, the results and
# their marked excerpts, the keys (ArrowDown/ArrowUp/Enter/Escape), that results follow
# to the page under the sub-path, what the first search transfers, that nothing comes from
# another host, no layout shift, the page without JavaScript, and axe with results open
# (light and dark, 360 and 1280 px).
# Usage: tests/checkers/search.sh SITE_DIR SUBPATH SEARCH_PAGE QUERY=PAGE [QUERY=PAGE ...]
#   QUERY=PAGE: typing QUERY must find PAGE (a path relative to the site, e.g.
#   program/en-frisk-generation/); QUERY=- must find nothing.
# Exit: 0 all held, 1 something did not, 2 setup error.
# Env: SEARCH_MAX_KB (what the first search may transfer, default 150), CHROMIUM,
#      AXE_CORE_VERSION, PLAYWRIGHT_CORE_VERSION, HALLBAR_CHECKERS_CACHE.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SITE=$(site_dir_arg "${1:-}") || exit 2
SUBPATH=$(printf '%s' "${2:-}" | sed -e 's#^/*##' -e 's#/*$##')
PAGE=${3:-}
[ -n "$SUBPATH" ] && [ -n "$PAGE" ] && [ $# -ge 4 ] || die "usage: search.sh SITE_DIR SUBPATH SEARCH_PAGE QUERY=PAGE..."
shift 3
[ -x "$CHROMIUM" ] || apt_install chromium
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM"
need_cmd node nodejs
need_cmd npm npm
PREFIX=$(with_lock npm-a11y npm_pkgs npm-a11y "axe-core@$AXE_CORE_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION") || exit 2

WORK=$(mktemp -d)
# shellcheck disable=SC2317,SC2329
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/webroot/$(dirname "$SUBPATH")"
ln -s "$SITE" "$WORK/webroot/$SUBPATH"
start_server "$WORK/webroot"
rc=0
node "$CHECKERS_DIR/search.cjs" "$PREFIX" "http://127.0.0.1:$PORT/$SUBPATH/" "$PAGE" "$@" || rc=$?
exit "$rc"
