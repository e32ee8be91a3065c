#!/usr/bin/env bash
# Runs `swasm wast` over every top-level script of the WebAssembly spec test suite.
#
#   run_wast.sh SPEC_DIR SWASM [SWASM WAST OPTIONS...]
#
# No converter is involved: swasm parses the scripts itself (text, binary and quoted modules), so
# every *.wast of SPEC_DIR runs, including those wast2json cannot convert. SPEC_EXPECTED_FAILURES
# names scripts (shell patterns, space separated) known to fail (as for run_spec.sh): each runs on
# its own and must still fail; one that passes is an error ("now passes": take it off the list).
# The other scripts run together and must all pass. Exits non-zero on any failure.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: run_wast.sh SPEC_DIR SWASM [OPTIONS...]" >&2
  exit 2
fi
spec_dir=$1
swasm=$2
shift 2

if [ ! -d "$spec_dir" ]; then
  echo "run_wast.sh: ERROR: spec test suite not found: $spec_dir is not a directory" >&2
  exit 2
fi
if [ ! -x "$swasm" ]; then
  echo "run_wast.sh: ERROR: $swasm is not an executable" >&2
  exit 2
fi

shopt -s nullglob
wasts=("$spec_dir"/*.wast)
if [ ${#wasts[@]} -eq 0 ]; then
  echo "run_wast.sh: ERROR: no .wast files in $spec_dir" >&2
  exit 2
fi
echo "${#wasts[@]} scripts in $spec_dir"

expected=()
kept=()
read -r -a patterns <<<"${SPEC_EXPECTED_FAILURES:-}" # no pathname expansion
for wast in "${wasts[@]}"; do
  name=$(basename "$wast" .wast)
  matched=0
  for pattern in "${patterns[@]}"; do
    # shellcheck disable=SC2053
    [[ $name == $pattern ]] && matched=1
  done
  if [ $matched -eq 1 ]; then expected+=("$wast"); else kept+=("$wast"); fi
done

unexpected_passes=0
if [ ${#expected[@]} -gt 0 ]; then
  echo "EXPECTED FAILURES: ${#expected[@]} scripts are known to fail (${SPEC_EXPECTED_FAILURES}); each must still fail"
  still_failing=0
  for wast in "${expected[@]}"; do
    name=$(basename "$wast")
    if result=$("$swasm" wast "$@" "$wast" 2>&1); then
      echo "run_wast.sh: ERROR: $name now passes: remove it from SPEC_EXPECTED_FAILURES" >&2
      unexpected_passes=$((unexpected_passes + 1))
    else
      still_failing=$((still_failing + 1))
      echo "  expected failure: $(grep -E "^$name: " <<<"$result" | tail -n 1 || echo "$name: (no result line)")"
    fi
  done
  echo "EXPECTED FAILURES still failing: $still_failing of ${#expected[@]}"
fi

status=0
if [ ${#kept[@]} -gt 0 ]; then
  "$swasm" wast "$@" "${kept[@]}" || status=$?
fi
if [ "$unexpected_passes" -ne 0 ]; then
  echo "run_wast.sh: ERROR: $unexpected_passes expected failure(s) now pass" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
