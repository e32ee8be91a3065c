#!/usr/bin/env bash
# Runs the wasmtime_wat2wasm fuzzer for SECONDS from a seed corpus of text: every module of the spec
# test suite (each `(module ...)` of each .wast, cut out by its parentheses) and the project's
# .wat files. Usage: run_fuzz_text.sh FUZZER SPEC_DIR WAT_DIR SECONDS [extra libFuzzer flags]
set -euo pipefail
fuzzer=${1:?}; spec_dir=${2:?}; wat_dir=${3:?}; seconds=${4:?}; shift 4
[ -d "$spec_dir" ] || { echo "FAIL: spec test suite not found at $spec_dir"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
python3 - "$spec_dir" "$work/corpus" <<'PY'
import os, sys
spec, out = sys.argv[1], sys.argv[2]
count = 0
for name in sorted(os.listdir(spec)):
    if not name.endswith(".wast"):
        continue
    text = open(os.path.join(spec, name), encoding="utf-8", errors="replace").read()
    i = 0
    while True:
        i = text.find("(module", i)
        if i < 0:
            break
        depth, j = 0, i
        while j < len(text):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        module = text[i:j + 1]
        if len(module) < 60000:
            open(os.path.join(out, "m%05d.wat" % count), "w").write(module)
            count += 1
        i = j + 1
print("extracted", count, "modules")
PY
cp "$wat_dir"/*.wat "$work/corpus/" 2>/dev/null || true
echo "seed corpus: $(ls "$work/corpus" | wc -l) texts; fuzzing for $seconds s"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@" "$work/corpus" 2>&1 | tail -20
