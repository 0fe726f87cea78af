#!/usr/bin/env bash
# Installs what the `native` stack provider runs, on Debian 12: PostgreSQL and NGINX from the OS
# packages, Toxiproxy and versitygw built with `go install`; and Chromium from the OS packages,
# in which the report tests and `npm run bench:report` open report.html. Idempotent: it only installs what
# is missing, runs `apt-get update` at most once, and then prints what is present.
# Run as root, or as a user with sudo (apt only; `go install` runs as the calling user).
set -euo pipefail

TOXIPROXY_MODULE=github.com/Shopify/toxiproxy/v2
TOXIPROXY_VERSION=v2.12.0
VERSITYGW_MODULE=github.com/versity/versitygw
VERSITYGW_VERSION=v1.8.0

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo --non-interactive)
else
  SUDO=()
fi

postgres_bin_dir() {
  local dir
  dir=$({ find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null || true; } | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/postgres && -x $dir/initdb ]] && printf '%s\n' "$dir"
}

nginx_path() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && printf '/usr/sbin/nginx\n'; }
}

# --- OS packages -------------------------------------------------------------------------------
missing_packages=()
postgres_bin_dir >/dev/null || missing_packages+=(postgresql)
nginx_path >/dev/null || missing_packages+=(nginx-light)
[[ -x /usr/bin/chromium ]] || missing_packages+=(chromium)
# coturn (BSD): the TURN relay of the native stack's Calls media path (the users-turn link).
command -v turnserver >/dev/null 2>&1 || missing_packages+=(coturn)
# nftables (GPL-2.0, a tool run as a process, not linked): the egress watch's kernel rule that
# rejects and records the app tier's connections to non-loopback addresses (docs/egress.md).
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing_packages+=(nftables)
# python3-venv (PSF): the venv of the Python third-party client test (mattermostdriver).
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing_packages+=(python3-venv)
fi

if ((${#missing_packages[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing_packages[*]} by hand"
  if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "not root and no sudo: install ${missing_packages[*]} as root"
  fi
  log "installing ${missing_packages[*]}"
  # Package scripts must not start the system services: we run private instances only, and the
  # nginx service cannot start here (the postinst would fail the install). policy-rc.d exit 101
  # tells invoke-rc.d "not allowed"; ours is removed again unless one was there before.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 0755 "$policy"
    trap '"${SUDO[@]}" rm -f "$policy"' EXIT
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing_packages[@]}"
else
  log 'OS packages present: nothing to install'
fi

# --- Go-built servers --------------------------------------------------------------------------
# Installed version of a go-installed binary's main module, e.g. v2.12.0 (empty if unknown).
module_version() {
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

go_install() {
  local binary=$1 package=$2 version=$3
  local path
  path="$GOBIN_DIR/$binary"
  if [[ -x $path && $(module_version "$path") == "$version" ]]; then
    log "$binary $version present"
    return
  fi
  log "go install $package@$version"
  go install "$package@$version"
}

if command -v go >/dev/null 2>&1; then
  GOBIN_DIR=$(go env GOBIN)
  [[ -n $GOBIN_DIR ]] || GOBIN_DIR="$(go env GOPATH | cut -d: -f1)/bin"
  go_install server "$TOXIPROXY_MODULE/cmd/server" "$TOXIPROXY_VERSION"
  go_install versitygw "$VERSITYGW_MODULE/cmd/versitygw" "$VERSITYGW_VERSION"
else
  GOBIN_DIR="${GOBIN:-${GOPATH:-$HOME/go}/bin}"
  if [[ ! -x $GOBIN_DIR/server || ! -x $GOBIN_DIR/versitygw ]]; then
    die "Go is not installed: Toxiproxy and versitygw are built with 'go install' (versitygw v1.8.0 needs Go >= 1.25: https://go.dev/dl/)"
  fi
  log "Go not installed; using prebuilt binaries in $GOBIN_DIR"
fi

# --- Third-party clients (test/integration/double-third-party-clients.test.ts) -------------------
# Python's mattermostdriver in a venv and a Go program on Mattermost's model.Client4, both cached
# under $MMDRILL_CLIENTS_DIR; reinstalled/rebuilt only when the pinned version or the source changed.
MATTERMOSTDRIVER_VERSION=7.3.2
CLIENTS_DIR=${MMDRILL_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mmdrill/clients}
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$CLIENTS_DIR"
if command -v python3 >/dev/null 2>&1; then
  if [[ $("$CLIENTS_DIR/py/bin/python" -c 'import importlib.metadata as m; print(m.version("mattermostdriver"))' 2>/dev/null) == "$MATTERMOSTDRIVER_VERSION" ]]; then
    log "mattermostdriver $MATTERMOSTDRIVER_VERSION present"
  else
    log "pip install mattermostdriver==$MATTERMOSTDRIVER_VERSION into $CLIENTS_DIR/py"
    python3 -m venv "$CLIENTS_DIR/py"
    "$CLIENTS_DIR/py/bin/pip" install -q --disable-pip-version-check "mattermostdriver==$MATTERMOSTDRIVER_VERSION"
  fi
else
  log 'python3 not found: the Python third-party client test will fail'
fi
if command -v go >/dev/null 2>&1; then
  go_src="$REPO_DIR/test/clients/go"
  go_stamp=$(cat "$go_src/go.mod" "$go_src/go.sum" "$go_src"/*.go | sha256sum | cut -c1-16)
  if [[ -x $CLIENTS_DIR/go-client && $(cat "$CLIENTS_DIR/go-client.stamp" 2>/dev/null) == "$go_stamp" ]]; then
    log 'go-client present'
  else
    log "go build test/clients/go -> $CLIENTS_DIR/go-client"
    (cd "$go_src" && go build -o "$CLIENTS_DIR/go-client" .)
    printf '%s\n' "$go_stamp" >"$CLIENTS_DIR/go-client.stamp"
  fi
fi

# --- Report ------------------------------------------------------------------------------------
pg_dir=$(postgres_bin_dir) || die 'PostgreSQL server binaries still missing'
nginx_bin=$(nginx_path) || die 'nginx still missing'
log "postgres   $pg_dir/postgres ($("$pg_dir/postgres" --version))"
log "nginx      $nginx_bin ($("$nginx_bin" -v 2>&1))"
[[ -x /usr/bin/chromium ]] || die 'chromium still missing'
command -v turnserver >/dev/null 2>&1 || die 'coturn (turnserver) still missing'
log "coturn     $(command -v turnserver)"
{ command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ]; } || die 'nftables (nft) still missing'
log "nftables   $(command -v nft || echo /usr/sbin/nft)"
log "chromium   /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || true))"
log "toxiproxy  $GOBIN_DIR/server ($(module_version "$GOBIN_DIR/server" || true))"
log "versitygw  $GOBIN_DIR/versitygw ($(module_version "$GOBIN_DIR/versitygw" || true))"
if [[ $(id -u) -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
  die "OS user 'postgres' missing (PostgreSQL refuses to run as root; the postgresql package creates it)"
fi
