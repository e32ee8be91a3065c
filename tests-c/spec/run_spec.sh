#!/usr/bin/env bash
# Converts the WebAssembly spec test suite with wabt's wast2json and runs spec_runner over it.
#
#   run_spec.sh SPEC_DIR BUILD_DIR RUNNER [RUNNER OPTIONS...]
#
# SPEC_DIR holds the *.wast scripts (the top level of the spec test suite). Each NAME.wast is
# converted into BUILD_DIR/spec-json/NAME/NAME.json plus its modules (reconverted only when the
# .wast is newer). The scripts wast2json 1.0.32 cannot parse are skipped with a note. Exits with
# the runner's status, or non-zero if a conversion that should work failed. The environment
# variable WAST2JSON names the converter (default: wast2json from PATH). SPEC_EXPECTED_FAILURES
# names scripts (shell patterns, space separated) whose execution is known to fail: they run in a
# separate pass that must fail, so a fixed one shows up (as "now passes") and leaves the list.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: run_spec.sh SPEC_DIR BUILD_DIR RUNNER [RUNNER OPTIONS...]" >&2
  exit 2
fi
spec_dir=$1
build_dir=$2
runner=$3
shift 3

if [ ! -d "$spec_dir" ]; then
  echo "run_spec.sh: ERROR: spec test suite not found: $spec_dir is not a directory" >&2
  exit 2
fi
wast2json=${WAST2JSON:-wast2json}
if ! command -v "$wast2json" >/dev/null 2>&1; then
  echo "run_spec.sh: ERROR: $wast2json not found (Debian package 'wabt')" >&2
  exit 2
fi
wast2json=$(command -v "$wast2json")
if [ ! -x "$runner" ]; then
  echo "run_spec.sh: ERROR: runner $runner is not an executable" >&2
  exit 2
fi

# wast2json (wabt 1.0.32) cannot parse these scripts.
unconvertible=" comments if table_fill table_get table_grow table_set table_size "

out_dir=$build_dir/spec-json
mkdir -p "$out_dir"
shopt -s nullglob
wasts=("$spec_dir"/*.wast)
if [ ${#wasts[@]} -eq 0 ]; then
  echo "run_spec.sh: ERROR: no .wast files in $spec_dir" >&2
  exit 2
fi

version=$("$wast2json" --version 2>/dev/null || echo "(unknown version)")
jsons=()
conversion_failures=0
skipped=0
for wast in "${wasts[@]}"; do
  name=$(basename "$wast" .wast)
  case "$unconvertible" in
  *" $name "*)
    echo "note: $name.wast skipped: wast2json $version cannot convert it"
    skipped=$((skipped + 1))
    continue
    ;;
  esac
  dir=$out_dir/$name
  json=$dir/$name.json
  if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    # wast2json writes the modules beside the JSON file: run it in that directory.
    if ! (cd "$dir" && "$wast2json" "$(cd "$(dirname "$wast")" && pwd)/$name.wast" -o "$name.json") \
      >"$dir/wast2json.log" 2>&1; then
      echo "run_spec.sh: ERROR: wast2json failed on $wast:" >&2
      cat "$dir/wast2json.log" >&2
      rm -f "$json"
      conversion_failures=$((conversion_failures + 1))
      continue
    fi
  fi
  jsons+=("$json")
done
echo "converted ${#jsons[@]} scripts into $out_dir ($skipped skipped, $conversion_failures failed)"

# Split off the scripts listed as expected failures.
expected=()
unexpected_passes=0
if [ -n "${SPEC_EXPECTED_FAILURES:-}" ]; then
  kept=()
  for json in "${jsons[@]}"; do
    name=$(basename "$json" .json)
    matched=0
    read -r -a patterns <<<"$SPEC_EXPECTED_FAILURES" # no pathname expansion
    for pattern in "${patterns[@]}"; do
      # shellcheck disable=SC2053
      [[ $name == $pattern ]] && matched=1
    done
    if [ $matched -eq 1 ]; then expected+=("$json"); else kept+=("$json"); fi
  done
  jsons=("${kept[@]}")
  echo "EXPECTED FAILURES: ${#expected[@]} scripts are known to fail (${SPEC_EXPECTED_FAILURES}); they run below and must still fail"
  still_failing=0
  for json in "${expected[@]}"; do
    if "$runner" "$@" "$json" >/dev/null 2>&1; then
      echo "run_spec.sh: $(basename "$json" .json) now passes: remove it from SPEC_EXPECTED_FAILURES" >&2
      unexpected_passes=$((unexpected_passes + 1))
    else
      still_failing=$((still_failing + 1))
    fi
  done
  echo "expected failures still failing: $still_failing of ${#expected[@]}"
fi

if [ ${#jsons[@]} -eq 0 ]; then
  echo "run_spec.sh: ERROR: nothing to run" >&2
  exit 2
fi

status=0
"$runner" "$@" "${jsons[@]}" || status=$?
if [ "$unexpected_passes" -ne 0 ]; then
  echo "run_spec.sh: ERROR: $unexpected_passes expected failure(s) now pass" >&2
  [ "$status" -ne 0 ] || status=1
fi
if [ "$conversion_failures" -ne 0 ]; then
  echo "run_spec.sh: ERROR: $conversion_failures script(s) could not be converted" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
