#!/usr/bin/env bash
# Installs Debian's chromium for the browser journeys and the preview screenshots (playwright-core
# drives it; no browser is ever downloaded by a test tool), plus a small CJK font so Chinese text
# renders in screenshots. Does nothing when both are present. Needs root (CI runs as root);
# without root it says what is missing and leaves the journeys to skip themselves.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then
  echo "browser ready: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: missing ${missing[*]} and not root; as root run: apt-get install -y ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# A failed install must not hide the other tests: the journeys then skip and say why.
if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "installed ${missing[*]}: $(/usr/bin/chromium --version)"
else
  echo "install-browser: could not install ${missing[*]}; the browser journeys will be skipped" >&2
fi
