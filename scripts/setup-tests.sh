#!/usr/bin/env bash
# Installs what the tests need on Debian: Chromium (for the end-to-end tests) and the npm
# packages (which bring Node 24, wrangler/workerd and the rest). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup-tests: installing Debian's chromium (Playwright's own browser download does not work here)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "setup-tests: npm install"
npm install --no-audit --no-fund
