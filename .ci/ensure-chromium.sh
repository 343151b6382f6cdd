#!/usr/bin/env bash
# Debian's chromium drives the end-to-end tests (never `playwright install`: no browser downloads here),
# with fonts-noto-cjk so the Chinese interface renders as characters, not boxes, in screenshots.
set -euo pipefail
PACKAGES=()
[ -x /usr/bin/chromium ] || PACKAGES+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || PACKAGES+=(fonts-noto-cjk)
if [ ${#PACKAGES[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${PACKAGES[*]} for the browser tests…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
else
  echo "Note: ${PACKAGES[*]} missing and cannot be installed here (needs root); browser tests may be skipped." >&2
fi
