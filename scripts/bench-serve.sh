#!/usr/bin/env bash
# Load run of `govkg serve` over the store built from data/ (a benchmark, not a test):
#   scripts/bench-serve.sh [CLIENTS] [SECONDS]     (default 8 clients, 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=7881 . scripts/serve-data.sh
python3 scripts/load.py http://127.0.0.1:7881/sparql --clients "${1:-8}" --seconds "${2:-30}"
