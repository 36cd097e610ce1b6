#!/usr/bin/env bash
# Install what OpenPES needs to build, run and test on Debian 12.  Idempotent: packages that
# are present are skipped, so a second run does nothing and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3
      libpq-dev libssl-dev libargon2-dev libcurl4-openssl-dev libunistring-dev libcriterion-dev
      postgresql chromium wrk curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js is needed for the API and browser test runners.  A machine may already have a newer
# Node (e.g. from NodeSource) whose package conflicts with Debian's npm: only install when absent.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end test packages (playwright-core only: it drives Debian's chromium, no browser download).
if [ ! -d tests/node_modules/playwright-core ]; then
  echo "setup: npm install (tests)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error)
fi
