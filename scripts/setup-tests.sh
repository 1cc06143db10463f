#!/usr/bin/env bash
# Installs what the tests need on Debian: Chromium (end-to-end tests) with a colour emoji font
# (screenshots), coturn (a real TURN server for the TURN tests), iproute2 and nftables (network
# namespaces and packet loss for the network tests) and the npm packages (which bring Node 24,
# wrangler/workerd and the rest).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
# Playwright's own browser download does not work here; Debian's chromium does.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
# The kernel has no netem here: loss and blocked paths are nftables rules inside namespaces.
# (`ip` and `nft` live in /usr/sbin, which a non-root PATH may lack.)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)
# Names with emoji in the screenshots show as empty boxes without a colour emoji font.
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-tests: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests start their own coturn on free ports; the package's system service is not wanted.
if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ]; then
  as_root systemctl disable --now coturn >/dev/null 2>&1 || true
fi

echo "setup-tests: npm install"
npm install --no-audit --no-fund
