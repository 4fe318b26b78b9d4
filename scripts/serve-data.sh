# Sourced by scripts that need `govkg serve` over the store built from data/:
#   PORT=7880 . scripts/serve-data.sh     (sets W, the work folder, and $pid; cleans up on exit)
cargo build --release --quiet --bin govkg
W=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$W"' EXIT
target/release/govkg --store "$W/store" ingest data/ >/dev/null 2>&1
target/release/govkg --store "$W/store" serve --bind "127.0.0.1:$PORT" 2>/dev/null &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
