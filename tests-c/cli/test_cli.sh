#!/usr/bin/env bash
# The swasm command line: run (text, binary and precompiled modules, imports from --preload and
# --unknown-imports), compile, the reading of numbers (options and invocation arguments, as
# wasmtime reads them), and the exit statuses and messages of failures.
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

# expect_both STATUS TEXT1 TEXT2 COMMAND...: like expect, with two substrings (a failure's label
# and its reason, which a trap's backtrace may separate).
expect_both() {
  local status=$1 first=$2 second=$3
  shift 3
  local output
  output=$("$@" 2>&1)
  local actual=$?
  if [ "$actual" -ne "$status" ] || [[ "$output" != *"$first"* ]] || [[ "$output" != *"$second"* ]]; then
    echo "FAIL: $* -> status $actual (expected $status), output: $output (expected to contain: $first ... $second)"
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
expect_both 1 "swasm: run: " "unknown import: \`host::get_i32\` has not been defined" "$swasm" run --unknown-imports trap "$unknown"
expect_exactly 0 "$swasm" run --unknown-imports default "$unknown"
expect_exactly 0 "$swasm" run --unknown-imports default --invoke run_f64 "$unknown"
# As wasmtime's: memories, globals and tables get defaults too (zeroed memory, zero global), so
# run = scale(0) + 0 with the default function returning 0.
expect_exactly 0 "$swasm" run --unknown-imports default "$fixtures/imports_lib.wat"
expect 0 11 "$swasm" run -W unknown-imports-trap=y --invoke independent "$unknown"
expect_both 1 "swasm: run: " "unknown import: \`host::get_i32\`" "$swasm" run -W unknown-imports-trap "$unknown"
expect_exactly 0 "$swasm" run -W unknown-imports-default=y "$unknown"
expect 1 "instantiation: unknown import" "$swasm" run -W unknown-imports-default=n "$unknown"
expect 2 "usage" "$swasm" run --unknown-imports maybe "$unknown"
expect 2 "unsupported -W" "$swasm" run -W unknown-imports-sometimes=y "$unknown"

# Failing preloads are named with their path and reason.
expect 1 "preload lib=$work/missing.wat: cannot open $work/missing.wat: No such file" \
  "$swasm" run --preload "lib=$work/missing.wat" "$fixtures/imports_lib.wat"
echo '(module (func (result i32)))' > "$work/invalid.wat"
expect 1 "preload lib=$work/invalid.wat: type mismatch" "$swasm" run --preload "lib=$work/invalid.wat" "$fixtures/imports_lib.wat"
expect_both 134 "preload bad=$fixtures/preload_start_trap.wat: " "unreachable" \
  "$swasm" run --preload "bad=$fixtures/preload_start_trap.wat" "$fixtures/imports_lib.wat"
expect 2 "--preload expects NAME=PATH, got 'lib'" "$swasm" run --preload lib "$fixtures/imports_lib.wat"
expect 2 "--preload expects NAME=PATH, got '=$fixtures/preload_lib.wat'" \
  "$swasm" run --preload "=$fixtures/preload_lib.wat" "$fixtures/imports_lib.wat"
expect 2 "usage" "$swasm" run --preload "lib=" "$fixtures/imports_lib.wat"
expect 2 "usage" "$swasm" run --preload
# Preloads run on the store's fuel: a start function of 1000 iterations needs more than 100.
spin="spin=$fixtures/preload_start_spin.wat"
expect 0 3628800 "$swasm" run --fuel 100000 --preload "$spin" --invoke fac "$work/fact.wat" 10
expect_both 134 "preload $spin: " "all fuel consumed" "$swasm" run --fuel 100 --preload "$spin" --invoke fac "$work/fact.wat" 10

# Numbers on the command line are read as wasmtime reads them (Rust's parse); anything else is an
# error (status 2) naming the option or argument and what was expected, never a silent conversion.
fuel_expected="expected an unsigned integer from 0 to 18446744073709551615"
for value in abc -5 '' 99999999999999999999999 18446744073709551616 ' 5' 5x 0X10 0x 1.5; do
  expect 2 "swasm: invalid value '$value' for --fuel: $fuel_expected" \
    "$swasm" run --fuel "$value" --invoke fac "$work/fact.wat" 10
done
expect 0 3628800 "$swasm" run --fuel 18446744073709551615 --invoke fac "$work/fact.wat" 10
expect 0 3628800 "$swasm" run --fuel 0x100000 --invoke fac "$work/fact.wat" 10
expect 0 3628800 "$swasm" run --fuel +100000 --invoke fac "$work/fact.wat" 10
expect 134 "all fuel consumed" "$swasm" run --fuel 0 --invoke fac "$work/fact.wat" 10
# Decimal, not octal, as in wasmtime: fac 20 needs about 200 fuel, more than octal 0250 (168).
expect 0 2432902008176640000 "$swasm" run --fuel 0250 --invoke fac "$work/fact-fuel.cwasm" 20

arguments="$fixtures/arguments.wat"
# run_value FUNCTION ARGUMENT EXPECTED_OUTPUT: the argument is accepted and comes back as shown.
run_value() { expect_exactly "$3" "$swasm" run --invoke "$1" "$arguments" "$2"; }
# bad_value FUNCTION TYPE ARGUMENT EXPECTED: the argument is refused with the expected form named.
bad_value() {
  expect 2 "swasm: invalid value '$3' for argument 1 of '$1' ($2): $4" "$swasm" run --invoke "$1" "$arguments" "$3"
}
i32_expected="expected an integer from -2147483648 to 2147483647"
i64_expected="expected an integer from -9223372036854775808 to 9223372036854775807"
float_expected="expected a number (digits, an optional fraction and exponent), inf or nan"
run_value i32 2147483647 2147483647
run_value i32 -2147483648 -2147483648
run_value i32 +7 7
run_value i32 -0 0
run_value i32 010 10
run_value i32 0x7fffffff 2147483647
run_value i32 0X10 16
run_value i32 0x-10 -16
for value in 4294967296 4294967295 2147483648 -2147483649 0x80000000 -0x1 abc '' ' 1' '1 ' - + 1.0 1e3 1_000; do
  bad_value i32 i32 "$value" "$i32_expected"
done
run_value i64 9223372036854775807 9223372036854775807
run_value i64 -9223372036854775808 -9223372036854775808
run_value i64 0x-8000000000000000 -9223372036854775808
for value in 9223372036854775808 -9223372036854775809 0xffffffffffffffff abc '' 12abc; do
  bad_value i64 i64 "$value" "$i64_expected"
done
run_value f32 1.5 1.5
run_value f32 .5 0.5
run_value f32 5. 5
run_value f32 -2.5e+3 -2500
run_value f32 1e400 inf
run_value f32 -Infinity -inf
run_value f32_bits NaN 2143289344
run_value f32_bits -0 -2147483648
run_value f32_bits 1e-50 0
run_value f32_bits 16777217 1266679808
for value in 1.5x '' . e5 1e 1e+ 0x1p3 'nan(1)' ' 1' 1,5 infinit --1; do
  bad_value f32 f32 "$value" "$float_expected"
done
run_value f64 1.7976931348623157e308 1.7976931348623157e+308
run_value f64 1.8e308 inf
run_value f64_bits 4.9e-324 1
run_value f64_bits -nan -2251799813685248
for value in 1.5x '' 0x10 1e+-3; do
  bad_value f64 f64 "$value" "$float_expected"
done
# Every argument is checked, and the message names the one at fault.
run_value_mixed() { expect_exactly "$1" "$swasm" run --invoke mixed "$arguments" "${@:2}"; }
run_value_mixed 10.75 1 2 3.5 4.25
expect 2 "swasm: invalid value '3.5x' for argument 3 of 'mixed' (f32): $float_expected" \
  "$swasm" run --invoke mixed "$arguments" 1 2 3.5x 4.25
expect 2 "swasm: invalid value '' for argument 2 of 'mixed' (i64): $i64_expected" \
  "$swasm" run --invoke mixed "$arguments" 1 '' 3.5 4.25
# Parameters the command line cannot express, as in wasmtime.
expect 2 "swasm: argument 1 of 'v128': unsupported parameter type v128" "$swasm" run --invoke v128 "$arguments" 0
expect 2 "swasm: argument 1 of 'externref': unsupported parameter type externref" "$swasm" run --invoke externref "$arguments" 0
# `wast --timeout` takes 0..86400 seconds.
printf '(module (func (export "one") (result i32) (i32.const 1)))\n(assert_return (invoke "one") (i32.const 1))\n' > "$work/one.wast"
expect 0 "2 passed, 0 failed" "$swasm" wast --timeout 60 "$work/one.wast"
expect 0 "2 passed, 0 failed" "$swasm" wast --timeout 0 "$work/one.wast"
for value in -1 '' abc 86401 ' 5' 99999999999999999999999; do
  expect 2 "swasm wast: invalid value '$value' for --timeout: expected an unsigned integer from 0 to 86400 (seconds)" \
    "$swasm" wast --timeout "$value" "$work/one.wast"
done

# --profile=guest[,PATH[,INTERVAL]]: a guest profile of the run (docs/profiling.md), the Firefox
# profiler's JSON with samples whose stacks name the module's functions.
spin="$fixtures/profile_spin.wat"
check_profile() { # FILE: valid JSON, samples taken, $inner under $outer in some stack
  python3 - "$1" <<'PY'
import json, sys
profile = json.load(open(sys.argv[1]))
thread = profile["threads"][0]
strings, frames, funcs, stacks = thread["stringArray"], thread["frameTable"], thread["funcTable"], thread["stackTable"]
def names(stack):
    out = []
    while stack is not None:
        out.append(strings[funcs["name"][frames["func"][stacks["frame"][stack]]]])
        stack = stacks["prefix"][stack]
    return out[::-1]
found = [names(s) for s in thread["samples"]["stack"] if s is not None]
assert thread["samples"]["length"] > 0 and any(n[-2:] == ["outer", "inner"] for n in found), found[:3]
PY
}
expect 0 "" "$swasm" run --profile=guest,"$work/spin.json",1ms "$spin"
if check_profile "$work/spin.json"; then echo "ok: profile of $spin"; else echo "FAIL: profile of $spin"; failures=$((failures + 1)); fi
(cd "$work" && "$swasm" run --profile guest "$spin" > /dev/null) && [ -s "$work/wasmtime-guest-profile.json" ] \
  && echo "ok: --profile guest writes wasmtime-guest-profile.json" \
  || { echo "FAIL: --profile guest (default path)"; failures=$((failures + 1)); }
expect 2 "swasm: unsupported --profile perfmap" "$swasm" run --profile=perfmap "$spin"
expect 2 "swasm: invalid profiling interval '10parsecs'" "$swasm" run --profile=guest,x.json,10parsecs "$spin"
expect 1 "swasm: cannot write the guest profile to $work/no/such/dir.json" "$swasm" run --profile=guest,"$work/no/such/dir.json" "$spin"

if [ "$failures" -ne 0 ]; then
  echo "test_cli: $failures failure(s)"
  exit 1
fi
echo "test_cli: all checks passed"
