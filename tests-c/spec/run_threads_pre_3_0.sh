#!/bin/sh
# Runs the threads proposal's memory.wast and imports.wast (written before WebAssembly 3.0) with
# multi-memory and memory64 off, through `swasm wast` directly and through artifacts. Every
# command must pass except the six whose expectation WebAssembly 3.0 changed, and those must
# fail: memory.wast 83, 87, 91 (`(memory 0x1_0000_0000)` and friends, malformed before 3.0,
# invalid since: the 3.0 suite's memory.wast checks that) and imports.wast 309, 313, 317 (two
# tables, invalid before reference types).
# Usage: run_threads_pre_3_0.sh SWASM_CLI THREADS_DIR
set -u
cli=$1
dir=$2
if [ ! -f "$dir/memory.wast" ]; then
  echo "run_threads_pre_3_0.sh: ERROR: $dir/memory.wast is missing (../shared/spec-testsuite-3.0 not found?)" >&2
  exit 1
fi
expected='imports.wast:309
imports.wast:313
imports.wast:317
memory.wast:83
memory.wast:87
memory.wast:91'
status=0
for mode in "" --via-artifacts; do
  output=$("$cli" wast $mode -W multi-memory=n -W memory64=n "$dir/memory.wast" "$dir/imports.wast" 2>&1)
  failed=$(printf '%s\n' "$output" | grep ': FAIL' | sed 's/^\([a-z]*\.wast:[0-9]*\):.*/\1/' | sort)
  if [ "$failed" != "$expected" ]; then
    echo "run_threads_pre_3_0.sh: ERROR ($mode): failing commands differ from the expected six:" >&2
    printf '%s\n' "$failed" >&2
    status=1
  fi
  printf '%s\n' "$output" | tail -1
done
[ $status -eq 0 ] && echo "run_threads_pre_3_0.sh: ok (only the six superseded assertions fail, in both modes)"
exit $status
