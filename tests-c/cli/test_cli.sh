#!/usr/bin/env bash
# The swasm command line: run (text, binary and precompiled modules, imports from --preload and
# --unknown-imports), compile, and the exit statuses and messages of failures.
# Usage: test_cli.sh SWASM EXAMPLES_DIR (the .wat fixtures are beside this script)
set -uo pipefail
swasm=${1:?}; examples=${2:?}
fixtures=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
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

# expect_exactly OUTPUT COMMAND...: the command succeeds and its stdout+stderr is exactly OUTPUT.
expect_exactly() {
  local text=$1
  shift
  local output
  output=$("$@" 2>&1)
  local actual=$?
  if [ "$actual" -ne 0 ] || [ "$output" != "$text" ]; then
    echo "FAIL: $* -> status $actual (expected 0), output: $output (expected exactly: $text)"
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

# Imports from preloads: a function, a memory (with the preload's data) and a global.
lib="lib=$fixtures/preload_lib.wat"
middle="middle=$fixtures/preload_middle.wat"
expect 0 705 "$swasm" run --preload "$lib" "$fixtures/imports_lib.wat"
# A precompiled preload is recognized by its contents too.
expect 0 "" "$swasm" compile "$fixtures/preload_lib.wat" -o "$work/lib.cwasm"
expect 0 705 "$swasm" run --preload "lib=$work/lib.cwasm" "$fixtures/imports_lib.wat"
# A later preload imports from an earlier one; in the other order it cannot link.
expect 0 147 "$swasm" run --preload "$lib" --preload "$middle" "$fixtures/imports_middle.wat"
expect 1 "preload $middle: unknown import: \`lib::scale\` has not been defined" \
  "$swasm" run --preload "$middle" --preload "$lib" "$fixtures/imports_middle.wat"
expect 1 "preload $lib: import of \`lib::scale\` defined twice" \
  "$swasm" run --preload "$lib" --preload "$lib" "$fixtures/imports_lib.wat"
# Without the preload the main module cannot link, and the message names the import.
expect 1 "instantiation: unknown import: \`lib::scale\` has not been defined" "$swasm" run "$fixtures/imports_lib.wat"

# Unknown imports: as traps, instantiation succeeds and only a call to one fails (with wasmtime's
# message, as an error); as defaults, they return zeros; neither defines non-function imports.
unknown="$fixtures/imports_unknown.wat"
expect 1 "instantiation: unknown import: \`host::get_i32\` has not been defined" "$swasm" run "$unknown"
expect 0 11 "$swasm" run --unknown-imports trap --invoke independent "$unknown"
expect 1 "swasm: run: unknown import: \`host::get_i32\` has not been defined" "$swasm" run --unknown-imports trap "$unknown"
expect_exactly 0 "$swasm" run --unknown-imports default "$unknown"
expect_exactly 0 "$swasm" run --unknown-imports default --invoke run_f64 "$unknown"
expect 1 "instantiation: unknown import: \`lib::memory\` has not been defined" \
  "$swasm" run --unknown-imports default "$fixtures/imports_lib.wat"
expect 0 11 "$swasm" run -W unknown-imports-trap=y --invoke independent "$unknown"
expect 1 "swasm: run: unknown import: \`host::get_i32\`" "$swasm" run -W unknown-imports-trap "$unknown"
expect_exactly 0 "$swasm" run -W unknown-imports-default=y "$unknown"
expect 1 "instantiation: unknown import" "$swasm" run -W unknown-imports-default=n "$unknown"
expect 2 "usage" "$swasm" run --unknown-imports maybe "$unknown"
expect 2 "unsupported -W" "$swasm" run -W unknown-imports-sometimes=y "$unknown"

# Failing preloads are named with their path and reason.
expect 1 "preload lib=$work/missing.wat: cannot open $work/missing.wat: No such file" \
  "$swasm" run --preload "lib=$work/missing.wat" "$fixtures/imports_lib.wat"
echo '(module (func (result i32)))' > "$work/invalid.wat"
expect 1 "preload lib=$work/invalid.wat: type mismatch" "$swasm" run --preload "lib=$work/invalid.wat" "$fixtures/imports_lib.wat"
expect 134 "preload bad=$fixtures/preload_start_trap.wat: unreachable" \
  "$swasm" run --preload "bad=$fixtures/preload_start_trap.wat" "$fixtures/imports_lib.wat"
expect 2 "--preload expects NAME=PATH, got 'lib'" "$swasm" run --preload lib "$fixtures/imports_lib.wat"
expect 2 "--preload expects NAME=PATH, got '=$fixtures/preload_lib.wat'" \
  "$swasm" run --preload "=$fixtures/preload_lib.wat" "$fixtures/imports_lib.wat"
expect 2 "usage" "$swasm" run --preload "lib=" "$fixtures/imports_lib.wat"
expect 2 "usage" "$swasm" run --preload
# Preloads run on the store's fuel: a start function of 1000 iterations needs more than 100.
spin="spin=$fixtures/preload_start_spin.wat"
expect 0 3628800 "$swasm" run --fuel 100000 --preload "$spin" --invoke fac "$work/fact.wat" 10
expect 134 "preload $spin: all fuel consumed" "$swasm" run --fuel 100 --preload "$spin" --invoke fac "$work/fact.wat" 10

if [ "$failures" -ne 0 ]; then
  echo "test_cli: $failures failure(s)"
  exit 1
fi
echo "test_cli: all checks passed"
