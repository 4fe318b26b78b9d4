#!/usr/bin/env bash
# Load run of `govkg serve` over the store built from data/ (a benchmark, not a test):
#   scripts/bench-serve.sh [CLIENTS] [SECONDS]     (default 8 clients, 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin govkg
W=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$W"' EXIT
B=target/release/govkg
$B --store "$W/store" ingest data/ >/dev/null 2>&1
$B --store "$W/store" serve --bind 127.0.0.1:7881 2>/dev/null &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:7881/ && break; sleep 0.2; done
python3 scripts/load.py http://127.0.0.1:7881/sparql --clients "${1:-8}" --seconds "${2:-30}"
