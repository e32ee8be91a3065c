#!/usr/bin/env bash
# Runs C API test programs under valgrind's memcheck and fails on any memory error or definite
# leak (ctest valgrind_capi; issue 11).
#
# Usage: run_valgrind.sh --lib LIBSWASM [--valgrind PATH] [--suppressions FILE] [--demangle PATH]
#                        [--thorough] [--keep DIR] :: [@OPTION...] PROGRAM [ARGS...] [:: ...]
#
# --keep DIR copies every program's output and valgrind logs (one per process) into DIR.
#
# Each `::` starts a program to run. Options before a program:
#   @thorough   run it only in thorough mode (--thorough or SWASM_VALGRIND_THOROUGH=1)
#   @noleak     no leak check (for programs that leak on purpose, such as host_misuse, whose
#               forked cases leave objects whose ownership a refused call makes unclear)
#   @children   follow exec'd children (--trace-children=yes), e.g. host_misuse --exec
#
# The programs run against a copy of LIBSWASM without the DWARF sections that valgrind 3.19
# (Debian 12) cannot read: Swift's clang emits DWARF 5 forms (DW_FORM_strx1, DW_FORM_addrx) on
# which that valgrind gives up on the whole library ("unhandled dwarf2 abbrev form code 0x25 ...
# can't recover"). The copy keeps the symbol table and .debug_frame, so stack traces name every
# function (Swift symbols are demangled when swift-demangle is found); they lack line numbers.
# The programs find the copy through LD_LIBRARY_PATH, which takes precedence over their RUNPATH.
# The copy is also a snapshot: a rebuild of the library during the run does not disturb it.
#
# Thorough mode (documented in tests-c/misuse/README.md) adds the programs marked @thorough,
# e.g. every host-misuse case under valgrind (about ten minutes).
set -uo pipefail

lib="" valgrind="valgrind" suppressions="" demangle="" thorough="${SWASM_VALGRIND_THOROUGH:-0}" keep=""
while [ $# -gt 0 ] && [ "$1" != "::" ]; do
  case "$1" in
    --lib) lib=$2; shift 2 ;;
    --valgrind) valgrind=$2; shift 2 ;;
    --suppressions) suppressions=$2; shift 2 ;;
    --demangle) demangle=$2; shift 2 ;;
    --thorough) thorough=1; shift ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "run_valgrind.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$lib" ] && [ -f "$lib" ] || { echo "run_valgrind.sh: --lib LIBSWASM is required (got '$lib')" >&2; exit 2; }
command -v "$valgrind" >/dev/null || { echo "FAIL: valgrind is not installed (.ci/setup installs it)"; exit 1; }
if [ -z "$demangle" ]; then demangle=$(command -v swift-demangle || true); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/swasm-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -z "$keep" ] || mkdir -p "$keep"

# The library copy (named by its SONAME so that the dynamic loader picks it).
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
soname=${soname:-libswasm.so.0}
if command -v objcopy >/dev/null; then
  strip_args=()
  for section in $(readelf -SW "$lib" | grep -o '\.debug_[a-z_.]*' | sort -u); do
    [ "$section" = ".debug_frame" ] || strip_args+=(-R "$section")
  done
  objcopy "${strip_args[@]}" "$lib" "$work/$soname" || { echo "FAIL: objcopy of $lib"; exit 1; }
else
  cp "$lib" "$work/$soname"
fi
ln -sf "$soname" "$work/libswasm.so"

vg_options=(--error-exitcode=99 --num-callers=40 --track-fds=no --child-silent-after-fork=no)
[ -n "$suppressions" ] && vg_options+=(--suppressions="$suppressions")

failures=0 ran=0 skipped=0 index=0
show_log() {
  local log=$1
  if [ -n "$demangle" ]; then "$demangle" --simplified < "$log"; else cat "$log"; fi
}

run_one() {
  local leak=1 only_thorough=0 children=()
  while [ $# -gt 0 ] && [ "${1:0:1}" = "@" ]; do
    case "$1" in
      @thorough) only_thorough=1 ;;
      @noleak) leak=0 ;;
      @children) children=(--trace-children=yes) ;;
      *) echo "run_valgrind.sh: unknown program option $1" >&2; exit 2 ;;
    esac
    shift
  done
  [ $# -gt 0 ] || return 0
  local name
  name=$(basename "$1")
  if [ "$only_thorough" = 1 ] && [ "$thorough" != 1 ]; then
    echo "skipped (thorough mode only): $name"
    skipped=$((skipped + 1))
    return 0
  fi
  index=$((index + 1))
  local leak_options=(--leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite)
  [ "$leak" = 1 ] || leak_options=(--leak-check=no)
  local logs="$work/$index-$name"
  mkdir -p "$logs"
  local start=$SECONDS
  LD_LIBRARY_PATH="$work${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$valgrind" "${vg_options[@]}" "${leak_options[@]}" "${children[@]}" --log-file="$logs/valgrind.%p.log" "$@" \
    > "$logs/output.txt" 2>&1
  local status=$?
  ran=$((ran + 1))
  # Every process's summary (a forking program has one log per process).
  local errors=0 bad_logs=()
  for log in "$logs"/valgrind.*.log; do
    [ -f "$log" ] || continue
    local count
    count=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    if [ -n "$count" ] && [ "$count" != 0 ]; then
      errors=$((errors + count))
      bad_logs+=("$log")
    fi
  done
  if [ "$status" = 0 ] && [ "$errors" = 0 ]; then
    echo "ok: $name ($((SECONDS - start)) s, no errors$([ "$leak" = 1 ] && echo ", no definite leaks"))"
  else
    failures=$((failures + 1))
    echo "FAIL: $name (exit $status, $errors valgrind error(s) in ${#bad_logs[@]} process(es), $((SECONDS - start)) s)"
    echo "---- $* ----"
    tail -n 30 "$logs/output.txt"
    local shown=0
    for log in "${bad_logs[@]}"; do
      [ $shown -lt 5 ] || { echo "(more logs in $logs)"; break; }
      echo "---- $(basename "$log") ----"
      show_log "$log" | grep -v '^==[0-9]*== *$' | head -n 200
      shown=$((shown + 1))
    done
    [ "$status" != 0 ] && [ "$errors" = 0 ] && echo "(the program itself failed under valgrind)"
  fi
  [ -z "$keep" ] || cp -r "$logs" "$keep/"
}

[ "${1:-}" = "::" ] || { echo "run_valgrind.sh: no program given (:: PROGRAM ARGS...)" >&2; exit 2; }
shift
group=()
while [ $# -gt 0 ]; do
  if [ "$1" = "::" ]; then
    run_one "${group[@]}"
    group=()
  else
    group+=("$1")
  fi
  shift
done
[ ${#group[@]} -gt 0 ] && run_one "${group[@]}"

echo "valgrind_capi: $ran program(s) run, $failures failed, $skipped skipped$([ "$thorough" = 1 ] && echo " (thorough mode)")"
[ "$failures" = 0 ]
