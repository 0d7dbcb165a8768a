# shellcheck shell=bash
# Shared helpers for the checker scripts in this folder (sourced, not run).
# Everything is installed idempotently, version-pinned, into $CHECKERS_CACHE:
#   ${HALLBAR_CHECKERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hallbar-checkers}

CHECKERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHECKERS_CACHE="${HALLBAR_CHECKERS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/hallbar-checkers}"
mkdir -p "$CHECKERS_CACHE"
CHECKERS_CACHE="$(cd "$CHECKERS_CACHE" && pwd)"

# Pinned versions (override through the environment).
VNU_JAR_VERSION="${VNU_JAR_VERSION:-26.9.27}"
LYCHEE_VERSION="${LYCHEE_VERSION:-0.24.2}"
AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

log() { echo "$*" >&2; }
die() { echo "error: $*" >&2; exit 2; }

# apt_install PACKAGE...: apt-get install, as root only (runs apt-get update once per process).
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "please install: $* (apt-get, as root)"
  fi
  log "installing $* with apt-get ..."
  if [ -z "${_APT_UPDATED:-}" ]; then
    apt-get update -qq >&2 || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 \
    || die "apt-get install $* failed"
}

# need_cmd COMMAND PACKAGE...: apt-install the packages when COMMAND is missing.
need_cmd() {
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 || apt_install "$@"
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after installing $*"
}

# with_lock NAME CMD...: hold a lock in the cache so parallel runs do not install twice.
with_lock() {
  local name=$1; shift
  if command -v flock >/dev/null 2>&1; then
    ( flock 9; "$@" ) 9>"$CHECKERS_CACHE/.$name.lock"
  else
    "$@"
  fi
}

# npm_pkgs DIRNAME name@version...: install into $CHECKERS_CACHE/DIRNAME unless every
# package already has that exact version. Prints the prefix.
npm_pkgs() {
  local prefix="$CHECKERS_CACHE/$1"; shift
  local spec have missing=()
  for spec in "$@"; do
    have=$(node -p 'require(process.argv[1]).version' \
      "$prefix/node_modules/${spec%@*}/package.json" 2>/dev/null || true)
    [ "$have" = "${spec##*@}" ] || missing+=("$spec")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v npm >/dev/null 2>&1 || die "npm (Node.js) is required"
    log "installing ${missing[*]} into $prefix ..."
    mkdir -p "$prefix"
    # --ignore-scripts: vnu-jar's postinstall would download a JDK (no network for that).
    npm install --prefix "$prefix" --no-audit --no-fund --no-save --ignore-scripts \
      --no-update-notifier --loglevel=error "$@" >&2 || die "npm install $* failed"
  fi
  echo "$prefix"
}

# pip_venv DIRNAME NAME==VERSION: a venv in $CHECKERS_CACHE/DIRNAME holding that pin.
# Prints the venv path.
pip_venv() {
  local venv="$CHECKERS_CACHE/$1" req=$2 have
  have=$("$venv/bin/python" -c 'import sys, importlib.metadata as m; print(m.version(sys.argv[1]))' \
    "${req%%==*}" 2>/dev/null || true)
  if [ "$have" != "${req##*==}" ]; then
    log "installing $req into $venv ..."
    if [ ! -x "$venv/bin/python" ]; then
      python3 -m venv "$venv" >&2 || die "python3 -m venv failed (apt-get install python3-venv?)"
    fi
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$req" >&2 \
      || die "pip install $req failed"
  fi
  echo "$venv"
}

# start_server DIR: serve DIR on 127.0.0.1 at a free port; sets SERVER_PID and PORT.
# Callers must stop_server (trap ... EXIT).
start_server() {
  local portfile
  portfile=$(mktemp)
  python3 "$CHECKERS_DIR/serve.py" "$1" >"$portfile" 2>/dev/null &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 100); do
    PORT=$(head -n1 "$portfile" 2>/dev/null || true)
    case "$PORT" in (*[!0-9]*|"") PORT="";; (*) break;; esac
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$portfile"
  [ -n "$PORT" ] || { stop_server; die "could not start the loopback http server"; }
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

site_dir_arg() { # site_dir_arg DIR: validate, print it absolute (symlinks resolved)
  [ -n "${1:-}" ] || die "missing SITE_DIR argument"
  [ -d "$1" ] || die "not a directory: $1"
  (cd "$1" && pwd -P)
}
