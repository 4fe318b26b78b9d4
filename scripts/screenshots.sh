#!/usr/bin/env bash
# Screenshots of the workbench for the README, from a store built from data/:
#   scripts/screenshots.sh      (writes docs/workbench-*.png)
# Needs Chromium (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin govkg
W=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$W"' EXIT
B=target/release/govkg
$B --store "$W/store" ingest data/ >/dev/null 2>&1
$B --store "$W/store" serve --bind 127.0.0.1:7880 2>/dev/null &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:7880/ && break; sleep 0.2; done
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$W/profile" --window-size=1280,"$3" \
    --virtual-time-budget=3000 --screenshot="$1" "$2" 2>/dev/null
  echo "wrote $1"
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
shot docs/workbench-home.png "http://127.0.0.1:7880/" 720
shot docs/workbench-entity.png "http://127.0.0.1:7880/entity?iri=$(enc https://w3id.org/govkg/id/person/孟锦锦)" 1100
shot docs/workbench-map.png "http://127.0.0.1:7880/map?district=$(enc 大鹏新区)" 900
