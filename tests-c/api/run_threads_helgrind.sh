#!/usr/bin/env bash
# Runs a threaded C API test (test_threads) under valgrind's helgrind and fails on any report that
# threads_helgrind.supp (next to this script) does not suppress: a data race, a lock-order
# inversion or a misuse of the pthread API.
#
# Usage: run_threads_helgrind.sh TEST_BINARY LIBRARY_DIR [TEST_ARGS...]
#
#   TEST_BINARY   the program, e.g. build/tests-c/test_threads
#   LIBRARY_DIR   the directory holding libswasm.so.0 (e.g. build/lib); the program is run with it
#                 first in LD_LIBRARY_PATH, which takes precedence over its RUNPATH
#
# Exit status: 0 when the program succeeds with no unsuppressed report; 1 on a report, on the
# program's own failure, or when valgrind is missing; 2 on bad arguments.
#
# helgrind runs with --default-suppressions=no and only threads_helgrind.supp, whose entries are
# limited to glibc's pthread internals reached from libswasm (see its header). Extra valgrind
# options can be given through valgrind's own VALGRIND_OPTS variable (e.g. VALGRIND_OPTS=
# --free-is-write=yes, which also reports reference-count releases that this file does not
# suppress; see threads_helgrind.supp). VALGRIND names another valgrind binary.
#
# valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift's clang emits and then drops the
# whole library's symbols, so when LIBRARY_DIR's libswasm carries DWARF sections other than
# .debug_frame, the program runs against a copy without them (objcopy), as
# tests-c/misuse/run_valgrind.sh does: stack traces keep every function name, without line
# numbers. The suppressions name objects, not functions, so they match either way.
set -uo pipefail

usage() { echo "usage: ${0##*/} TEST_BINARY LIBRARY_DIR [TEST_ARGS...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
program=$1 libdir=$2
shift 2
script=${BASH_SOURCE[0]}
[ "${script%/*}" = "$script" ] && here=. || here=${script%/*}
suppressions="$here/threads_helgrind.supp"
valgrind=${VALGRIND:-valgrind}

[ -x "$program" ] || { echo "run_threads_helgrind.sh: $program is not an executable" >&2; exit 2; }
[ -d "$libdir" ] || { echo "run_threads_helgrind.sh: $libdir is not a directory" >&2; exit 2; }
[ -f "$suppressions" ] || { echo "run_threads_helgrind.sh: $suppressions is missing" >&2; exit 2; }
if ! command -v "$valgrind" >/dev/null 2>&1; then
  echo "FAIL: valgrind is not installed (or '$valgrind' is not on PATH), so the helgrind check of ${program##*/} cannot run."
  echo "      Install it (apt-get install valgrind; .ci/setup checks for it) and run again."
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/swasm-helgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The library the program will load: a copy without unreadable DWARF when needed.
rundir=$libdir
lib=""
for candidate in "$libdir"/libswasm.so.0 "$libdir"/libswasm.so; do
  [ -e "$candidate" ] && { lib=$(readlink -f "$candidate"); break; }
done
if [ -n "$lib" ] && command -v readelf >/dev/null 2>&1; then
  sections=$(readelf -SW "$lib" 2>/dev/null | grep -o '\.debug_[a-z_.]*' | sort -u | grep -vx '\.debug_frame')
  if [ -n "$sections" ]; then
    if command -v objcopy >/dev/null 2>&1; then
      soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
      soname=${soname:-libswasm.so.0}
      strip_args=()
      for section in $sections; do strip_args+=(-R "$section"); done
      mkdir -p "$work/lib"
      objcopy "${strip_args[@]}" "$lib" "$work/lib/$soname" || { echo "FAIL: objcopy of $lib"; exit 1; }
      ln -sf "$soname" "$work/lib/libswasm.so"
      rundir="$work/lib"
    else
      echo "note: objcopy not found; running against $lib with its DWARF (valgrind may lose its symbols)"
    fi
  fi
fi
export LD_LIBRARY_PATH="$rundir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Say which libswasm the program gets (a DT_RPATH, unlike RUNPATH, would override LD_LIBRARY_PATH).
if loaded=$(ldd "$program" 2>/dev/null | sed -n 's/^[[:space:]]*libswasm[^ ]* => \([^ ]*\).*/\1/p' | head -1) && [ -n "$loaded" ]; then
  case "$(readlink -f "$loaded")" in
    "$(readlink -f "$rundir")"/*) ;;
    *) echo "warning: $(basename "$program") loads $loaded, not the library in $rundir" ;;
  esac
fi

log="$work/helgrind.log"
options=(--tool=helgrind --default-suppressions=no --suppressions="$suppressions"
         --error-exitcode=99 --num-callers=40 --log-file="$log")
start=$SECONDS
"$valgrind" "${options[@]}" "$program" "$@" > "$work/output.txt" 2>&1
status=$?
errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" 2>/dev/null | tail -1)
suppressed=$(sed -n 's/.*(suppressed: \([0-9]*\) from.*/\1/p' "$log" 2>/dev/null | tail -1)

if [ "$status" = 0 ] && [ "${errors:-x}" = 0 ]; then
  echo "ok: $(basename "$program") under helgrind ($((SECONDS - start)) s, no unsuppressed report, ${suppressed:-0} glibc-internal report(s) suppressed)"
  exit 0
fi

echo "FAIL: $(basename "$program") under helgrind (exit $status, ${errors:-unknown} unsuppressed report(s), $((SECONDS - start)) s)"
echo "---- program output (last 30 lines) ----"
tail -n 30 "$work/output.txt"
echo "---- helgrind ----"
demangle=$(command -v swift-demangle || true)
if [ -n "$demangle" ]; then "$demangle" --simplified < "$log"; else cat "$log"; fi | grep -v '^==[0-9]*== *$' | head -n 400
if [ -z "$errors" ]; then
  echo "(no ERROR SUMMARY: valgrind did not run the program to the end)"
elif [ "$errors" = 0 ]; then
  echo "(no report: the program itself failed under helgrind)"
else
  echo "(each report above is either a bug or, if it is shown to be a tool false positive, a case for threads_helgrind.supp)"
fi
exit 1
