#!/usr/bin/env bash
# Every generated source is what its generator makes of the checked-in description: runs each
# tools/gen_*.py with `--out` into a scratch folder and compares every file it writes with the
# file of the same path in the source tree. A stale or hand-edited file fails, naming the
# generator to rerun. Needs python3 only ($PYTHON overrides it).
#
#   check_generated.sh [SOURCE_DIR]   (default: the repository holding this script)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
python=${PYTHON:-python3}
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in the source tree
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failures=0
checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

shopt -s nullglob
generators=("$root"/tools/gen_*.py)
[ ${#generators[@]} -gt 0 ] || { echo "FAIL: no tools/gen_*.py under $root"; exit 1; }

for generator in "${generators[@]}"; do
  name=tools/$(basename "$generator")
  out=$scratch/$(basename "$generator" .py)
  mkdir -p "$out"
  if ! "$python" "$generator" --out "$out" > "$scratch/log" 2>&1; then
    cat "$scratch/log"
    fail "$name --out failed"
    continue
  fi
  files=$(cd "$out" && find . -type f | sed 's|^\./||' | sort)
  if [ -z "$files" ]; then
    fail "$name wrote nothing under --out"
    continue
  fi
  while IFS= read -r file; do
    checked=$((checked + 1))
    if [ ! -f "$root/$file" ]; then
      fail "$file is missing; regenerate it with: python3 $name"
    elif ! diff -u --label "$file (checked in)" --label "$file (from $name)" \
        "$root/$file" "$out/$file" > "$scratch/diff"; then
      fail "$file is stale or edited by hand; regenerate it with: python3 $name"
      head -n 40 "$scratch/diff"
      lines=$(wc -l < "$scratch/diff")
      [ "$lines" -le 40 ] || echo "... ($lines diff lines in all)"
    fi
  done <<< "$files"
done

# The parity runner's table of C API functions, generated from the shared reference list.
reference=${SWASM_SHARED_DIR:-$root/../shared}/reference/capi-functions.tsv
if [ ! -f "$reference" ]; then
  fail "tests-c/parity/api.h cannot be checked: $reference is missing (set SWASM_SHARED_DIR)"
else
  checked=$((checked + 1))
  "$python" "$root/tests-c/parity/gen_api.py" "$reference" > "$scratch/api.h"
  if ! diff -u "$root/tests-c/parity/api.h" "$scratch/api.h" > "$scratch/diff"; then
    fail "tests-c/parity/api.h is stale or edited by hand; regenerate it with: python3 tests-c/parity/gen_api.py > tests-c/parity/api.h"
    head -n 40 "$scratch/diff"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s) among $checked generated files of ${#generators[@]} generators"
  exit 1
fi
echo "$checked generated files from ${#generators[@]} generators match the source tree"
