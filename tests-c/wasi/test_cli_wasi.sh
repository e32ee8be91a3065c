#!/usr/bin/env bash
# `swasm run` with WASI commands (docs/wasi.md): program arguments and argv[0], --env in its two
# forms and --inherit-env, --dir and --dir-readonly (guest names, order from descriptor 3, mutability),
# inherited stdin, stdout and stderr, exit statuses (proc_exit, traps, errors), reactors and
# --invoke, and --fuel, --preload and --unknown-imports with WASI; option errors; and modules
# without WASI imports ignoring the WASI options. The fixtures are the .wat files in cli/ here.
# Usage: test_cli_wasi.sh SWASM EXAMPLES_DIR
set -uo pipefail
swasm=${1:?}; examples=${2:?}
fixtures=$(cd "$(dirname "${BASH_SOURCE[0]}")/cli" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# check STATUS STDOUT STDERR_SUBSTRING COMMAND...: the command exits with STATUS, its stdout is
# exactly STDOUT (given with $'...' escapes) and its stderr contains STDERR_SUBSTRING.
check() {
  local status=$1 stdout=$2 stderr=$3
  shift 3
  "$@" > "$work/out" 2> "$work/err" < "${STDIN:-/dev/null}"
  local actual=$?
  local out err
  out=$(cat "$work/out"; echo x); out=${out%x}
  err=$(cat "$work/err")
  if [ "$actual" -ne "$status" ] || [ "$out" != "$stdout" ] || [[ "$err" != *"$stderr"* ]]; then
    echo "FAIL: $* -> status $actual (expected $status)"
    echo "  stdout: $(printf '%q' "$out") (expected $(printf '%q' "$stdout"))"
    echo "  stderr: $err (expected to contain: $stderr)"
    failures=$((failures + 1))
  else
    echo "ok: $*"
  fi
}

# Arguments: argv[0] is the last component of the path (as wasmtime gives it), or --argv0; options
# after the module are the program's.
cp "$fixtures/echo.wat" "$work/echo.wat"
check 0 $'echo.wat\n' "" "$swasm" run "$work/echo.wat"
check 0 $'echo.wat\na\nb c\n--dir\n\n' "" "$swasm" run "$work/echo.wat" a "b c" --dir ""
(cd "$work" && check 0 $'echo.wat\nx\n' "" "$swasm" run echo.wat x)
check 0 $'name\n1\n' "" "$swasm" run --argv0 name "$work/echo.wat" 1
# Environment: none by default; --env NAME=VALUE; --env NAME takes swasm's own value, or nothing
# when swasm has none; --inherit-env passes swasm's environment before the --env ones.
check 0 $'echo.wat\n' "" env -i "$swasm" run "$work/echo.wat"
check 0 $'echo.wat\n' $'A=1\nB=x=y\nEMPTY=' env -i "$swasm" run --env A=1 --env B=x=y --env EMPTY= "$work/echo.wat"
check 0 $'echo.wat\n' $'FROM_HOST=host value\nLAST=1' env -i FROM_HOST="host value" "$swasm" run --env FROM_HOST --env UNSET_HERE --env LAST=1 "$work/echo.wat"
env -u UNSET_HERE "$swasm" run --env UNSET_HERE "$work/echo.wat" 2> "$work/unset" > /dev/null
if grep -q UNSET_HERE "$work/unset"; then echo "FAIL: --env of an unset NAME defines it"; failures=$((failures + 1)); else echo "ok: --env of an unset NAME leaves it unset"; fi
check 0 $'echo.wat\n' $'ONE=1\nTWO=2' env -i ONE=1 TWO=2 "$swasm" run --inherit-env "$work/echo.wat"
check 0 $'echo.wat\n' $'ONE=1\nTWO=2\nTHREE=3' env -i ONE=1 TWO=2 "$swasm" run --inherit-env --env THREE=3 "$work/echo.wat"
# stdin, stdout: inherited.
printf 'line one\nline two\n' > "$work/input"
STDIN="$work/input" check 0 $'line one\nline two\n' "" "$swasm" run "$fixtures/cat.wat"
head -c 100000 /dev/zero | tr '\0' 'z' > "$work/big"
"$swasm" run "$fixtures/cat.wat" < "$work/big" > "$work/big.out"
if cmp -s "$work/big" "$work/big.out"; then echo "ok: 100000 bytes through stdin and stdout"; else echo "FAIL: 100000 bytes through stdin and stdout"; failures=$((failures + 1)); fi

# Preopens: GUEST defaults to HOST, in the order given from descriptor 3; --dir-readonly refuses
# creation; a missing directory is an error.
mkdir -p "$work/one" "$work/two" "$work/three"
check 0 $'/ created\nguest refused\n'"$work/three"$' created\n' "" \
  "$swasm" run --dir "$work/one::/" --dir-readonly "$work/two::guest" --dir "$work/three" "$fixtures/preopens.wat"
[ -f "$work/one/probe" ] && [ ! -e "$work/two/probe" ] && [ -f "$work/three/probe" ] \
  && echo "ok: the mutable preopens took the file, the read-only one did not" \
  || { echo "FAIL: probe files: $(ls "$work/one" "$work/two" "$work/three")"; failures=$((failures + 1)); }
check 1 "" "failed to open directory '$work/missing'" "$swasm" run --dir "$work/missing" "$fixtures/preopens.wat"
check 1 "" "not a directory" "$swasm" run --dir "$work/input::in" "$fixtures/preopens.wat"
check 2 "" "--dir expects HOST or HOST::GUEST, got '::x'" "$swasm" run --dir ::x "$fixtures/preopens.wat"
check 2 "" "--dir-readonly expects HOST or HOST::GUEST, got 'a::'" "$swasm" run --dir-readonly a:: "$fixtures/preopens.wat"
check 2 "" "--env expects NAME=VALUE or NAME, got '=x'" "$swasm" run --env =x "$work/echo.wat"
check 2 "" "usage" "$swasm" run --env
check 2 "" "usage" "$swasm" run --dir

# Exit statuses: proc_exit(N) gives N without a message; a trap prints its message and gives 134;
# other errors give 1.
check 7 $'exiting\n' "" "$swasm" run "$fixtures/exit.wat"
check 0 "" "" "$swasm" run --invoke exit_with "$fixtures/exit.wat" 0
check 125 "" "" "$swasm" run --invoke exit_with "$fixtures/exit.wat" 125
# wasmtime's proc_exit takes 0..125: 126 is an error without an exit status.
check 1 "" "" "$swasm" run --invoke exit_with "$fixtures/exit.wat" 126
check 134 $'before the trap\n' "unreachable" "$swasm" run "$fixtures/trap.wat"
# Reactors: _initialize first, then --invoke with its arguments and printed results.
check 0 $'initialized\n5\n' "" "$swasm" run --invoke add "$fixtures/reactor.wat" 2 3
check 0 $'initialized\n' "" "$swasm" run "$fixtures/reactor.wat"
check 0 $'42\n' "" "$swasm" run --invoke answer "$fixtures/exit.wat"
check 2 $'initialized\n' "add expects 2 argument(s), got 1" "$swasm" run --invoke add "$fixtures/reactor.wat" 2
check 1 $'initialized\n' "no exported function nothing" "$swasm" run --invoke nothing "$fixtures/reactor.wat"
# --fuel, --preload and --unknown-imports with WASI.
check 0 $'done\n' "" "$swasm" run --fuel 10000000 "$fixtures/spin.wat"
check 134 "" "all fuel consumed" "$swasm" run --fuel 1000 "$fixtures/spin.wat"
check 0 $'from the preload\n' "" "$swasm" run --preload "lib=$fixtures/lib.wat" "$fixtures/uses_lib.wat"
check 1 "" "lib::say" "$swasm" run "$fixtures/uses_lib.wat"
check 1 "" "host::missing" "$swasm" run "$fixtures/unknown.wat"
check 0 $'fine\n' "" "$swasm" run --unknown-imports trap "$fixtures/unknown.wat"
check 1 "" "host::missing" "$swasm" run --unknown-imports trap --invoke call_missing "$fixtures/unknown.wat"
check 0 $'0\n' "" "$swasm" run --unknown-imports default --invoke call_missing "$fixtures/unknown.wat"

# Without WASI imports the WASI options are ignored and ARGS are the function's arguments.
check 0 $'3628800\n' "" "$swasm" run --dir "$work/missing" --env A=1 --inherit-env --invoke fac "$examples/factorial.wat" 10

if [ "$failures" -ne 0 ]; then
  echo "test_cli_wasi: $failures failure(s)"
  exit 1
fi
echo "test_cli_wasi: all checks passed"
