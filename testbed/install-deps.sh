#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those that are missing.
# Non-interactive (no stdin needed); 'apt-get update' runs only when something is missing.
# Not root and something missing: prints what to install and exits 1.
set -euo pipefail

REQUIRED=(postfix dovecot-core dovecot-imapd openssl postgresql-15 chromium python3 iproute2 ca-certificates)
OPTIONAL=(swaks)   # handy for poking the test bed by hand; no test needs it

log() { echo "install-deps: $*"; }

is_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing=() optional_missing=()
for p in "${REQUIRED[@]}"; do is_installed "$p" || missing+=("$p"); done
for p in "${OPTIONAL[@]}"; do is_installed "$p" || optional_missing+=("$p"); done
# node + npm run the test bed's OAuth2/OIDC server (testbed/oidc, npm package oidc-provider); a
# node installed another way (nvm, /usr/local) is fine, Debian's packages otherwise
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)

# testbed/oidc/node_modules from its package-lock.json (exact versions), when missing or stale
install_oidc() {
  local dir
  dir=$(dirname "$(readlink -f "$0")")/oidc
  [[ $dir/node_modules/.package-lock.json -nt $dir/package-lock.json ]] && return 0
  log "npm ci --prefix $dir"
  npm ci --prefix "$dir" --no-audit --no-fund >/tmp/install-deps-npm.log 2>&1 ||
    { log "npm ci failed, last lines of /tmp/install-deps-npm.log:" >&2; tail -n 30 /tmp/install-deps-npm.log >&2; exit 1; }
}

if ((${#missing[@]} == 0 && ${#optional_missing[@]} == 0)); then
  log "all packages present: ${REQUIRED[*]} ${OPTIONAL[*]} node npm"
  install_oidc
  exit 0
fi

if [[ $(id -u) != 0 ]]; then
  if ((${#missing[@]} > 0)); then
    log "MISSING packages: ${missing[*]}" >&2
    log "not root; install them with:" >&2
    log "  echo 'postfix postfix/main_mailer_type select No configuration' | sudo debconf-set-selections" >&2
    log "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "optional package(s) not installed (not root, skipping): ${optional_missing[*]}"
  install_oidc
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# default Recommends, as on the machine where the test bed recipes were verified
apt_get() { apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null; }

# Without this preseed the postfix package asks (or configures and starts) a system MTA on port 25.
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
log "preseeded postfix: main_mailer_type = No configuration"

log "apt-get update (missing: ${missing[*]} ${optional_missing[*]})"
apt_get update >/tmp/install-deps-apt.log 2>&1 || { tail -n 20 /tmp/install-deps-apt.log >&2; exit 1; }

if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  apt_get install "${missing[@]}" >>/tmp/install-deps-apt.log 2>&1 ||
    { log "apt-get install failed, last lines of /tmp/install-deps-apt.log:" >&2; tail -n 30 /tmp/install-deps-apt.log >&2; exit 1; }
  for p in "${missing[@]}"; do is_installed "$p" || { log "$p still not installed" >&2; exit 1; }; log "installed $p"; done
fi
if ((${#optional_missing[@]} > 0)); then
  if apt_get install "${optional_missing[@]}" >>/tmp/install-deps-apt.log 2>&1; then
    log "installed (optional) ${optional_missing[*]}"
  else
    log "optional ${optional_missing[*]} could not be installed; continuing"
  fi
fi
install_oidc
