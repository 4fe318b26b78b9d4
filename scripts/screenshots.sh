#!/usr/bin/env bash
# Screenshots of the workbench and the briefing for the README, from a store built from data/:
#   scripts/screenshots.sh      (writes docs/workbench-*.png and docs/brief.png)
# Needs Chromium (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=7880 . scripts/serve-data.sh
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$W/profile" --window-size=1280,"$3" \
    --virtual-time-budget=3000 --screenshot="$1" "$2" 2>/dev/null
  echo "wrote $1"
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
shot docs/workbench-home.png "http://127.0.0.1:7880/" 720
shot docs/workbench-entity.png "http://127.0.0.1:7880/entity?iri=$(enc https://w3id.org/govkg/id/person/孟锦锦/place/大鹏新区)" 1100
shot docs/workbench-map.png "http://127.0.0.1:7880/map?district=$(enc 大鹏新区)" 900
# The weekly briefing: the HTML file `govkg brief --city 深圳市` writes (the
# server owns the store, so it is asked for the same file).
shot docs/brief.png "http://127.0.0.1:7880/brief?place=$(enc 深圳市)&format=html" 1150
