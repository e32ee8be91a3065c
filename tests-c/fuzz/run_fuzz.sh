#!/usr/bin/env bash
# Runs a libFuzzer target for SECONDS from a seed corpus made of every module of the spec test
# suite (converted with wast2json) plus the project's test modules.
# Usage: run_fuzz.sh FUZZER SPEC_DIR SEED_DIR SECONDS [extra libFuzzer flags]
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
echo "seed corpus: $(ls "$work/corpus" | wc -l) modules; fuzzing for $seconds s"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@" "$work/corpus" 2>&1 | tail -20
