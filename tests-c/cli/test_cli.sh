#!/usr/bin/env bash
# The swasm command line: run (text, binary and precompiled modules), compile, and the exit
# statuses and messages of failures.
# Usage: test_cli.sh SWASM EXAMPLES_DIR
set -uo pipefail
swasm=${1:?}; examples=${2:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect STATUS EXPECTED_OUTPUT_SUBSTRING COMMAND...: the command exits with STATUS and its
# stdout+stderr contains the text.
expect() {
  local status=$1 text=$2
  shift 2
  local output
  output=$("$@" 2>&1)
  local actual=$?
  if [ "$actual" -ne "$status" ] || [[ "$output" != *"$text"* ]]; then
    echo "FAIL: $* -> status $actual (expected $status), output: $output (expected to contain: $text)"
    failures=$((failures + 1))
  else
    echo "ok: $*"
  fi
}

cp "$examples/factorial.wat" "$work/fact.wat"
expect 0 3628800 "$swasm" run --invoke fac "$work/fact.wat" 10
expect 0 "" "$swasm" compile "$work/fact.wat"
[ -s "$work/fact.cwasm" ] || { echo "FAIL: compile wrote no $work/fact.cwasm"; failures=$((failures + 1)); }
expect 0 3628800 "$swasm" run --invoke fac "$work/fact.cwasm" 10
# Recognized by its contents, not its name.
cp "$work/fact.cwasm" "$work/renamed.bin"
expect 0 3628800 "$swasm" run --invoke fac "$work/renamed.bin" 10
expect 0 "" "$swasm" compile --fuel "$work/fact.wat" -o "$work/fact-fuel.cwasm"
expect 0 2432902008176640000 "$swasm" run --fuel 100000 --invoke fac "$work/fact-fuel.cwasm" 20
expect 134 "all fuel consumed" "$swasm" run --fuel 10 --invoke fac "$work/fact-fuel.cwasm" 20
expect 1 "compiled without fuel consumption" "$swasm" run --fuel 100 --invoke fac "$work/fact.cwasm" 10
expect 1 "compiled with fuel consumption" "$swasm" run --invoke fac "$work/fact-fuel.cwasm" 10
# A damaged artifact is refused with a reason.
head -c 100 "$work/fact.cwasm" > "$work/short.cwasm"
expect 1 "size does not match" "$swasm" run --invoke fac "$work/short.cwasm" 10
expect 1 "No such file" "$swasm" compile "$work/missing.wasm"
expect 2 "usage" "$swasm" compile

if [ "$failures" -ne 0 ]; then
  echo "test_cli: $failures failure(s)"
  exit 1
fi
echo "test_cli: all checks passed"
