#!/usr/bin/env bash
# The WASI test suite through the C API runner under valgrind's memcheck (ctest
# wasi_testsuite_valgrind): any memory error or definite leak in the library's WASI layer makes
# the valgrind exit status (99) differ from the test's expected one.
# Usage: valgrind_suite.sh LIBSWASM RUNNER [run_testsuite.py options...]
set -euo pipefail
lib=${1:?usage: valgrind_suite.sh LIBSWASM RUNNER [options]}
runner=${2:?usage: valgrind_suite.sh LIBSWASM RUNNER [options]}
shift 2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (.ci/setup installs it)"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/swasm-wasi-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A copy without the DWARF 5 sections valgrind 3.19 cannot read (see tests-c/misuse/run_valgrind.sh),
# found through LD_LIBRARY_PATH, which precedes the runner's RUNPATH.
strip_args=()
for section in $(readelf -SW "$lib" | grep -o '\.debug_[a-z_.]*' | sort -u); do
  [ "$section" = ".debug_frame" ] || strip_args+=(-R "$section")
done
objcopy "${strip_args[@]}" "$lib" "$work/libswasm.so.0"
export LD_LIBRARY_PATH="$work${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec python3 "$here/run_testsuite.py" --runtime capi --exe "$runner" --timeout 600 \
  --wrapper "valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" "$@"
