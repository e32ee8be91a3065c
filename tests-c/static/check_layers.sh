#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on the sources:
#  1. CAPI/ converts between C and the runtime: no file there runs code (`invoke`), lays out
#     slots (`FunctionCompiler.width`, `slotCount`) or walks linker definitions (`Linker.key`,
#     `definitions`); that behaviour lives in Runtime/.
#  2. No Swift in the library calls a function of the C API (`wasm_*`, `wasmtime_*`, `wasi_*`):
#     the API's functions call the runtime, never each other.
#  3. The layers below the C API (everything but CAPI/ and CObjects/) do not name the C API's
#     objects (TrapReport, ErrorReport, FrameObject, RefObjects, ...) or its value structs.
set -euo pipefail
root=${1:?usage: check_layers.sh path/to/project}
src="$root/Sources/Swasm"
failures=0
report() { echo "FAIL: $1"; echo "$2" | sed 's/^/    /'; failures=$((failures + 1)); }

found=$(grep -nE '\.invoke\(|FunctionCompiler\.|slotCount|Linker\.key\(|\.definitions\b' "$src"/CAPI/*.swift || true)
[ -z "$found" ] && echo "rule 1: CAPI/ only converts" || report "rule 1: behaviour in CAPI/ (move it into Runtime/)" "$found"

found=$(grep -nE '(^|[^_A-Za-z0-9."])(wasm|wasmtime|wasi)_[a-z0-9_]+\(' -r "$src" --include=*.swift \
  | grep -vE '@_cdecl\(|public func (wasm|wasmtime|wasi)_|_t\(' | grep -vE ':[0-9]+:\s*//' || true)
[ -z "$found" ] && echo "rule 2: no Swift calls a C API function" || report "rule 2: Swift calls a C API function (call the runtime instead)" "$found"

lower=$(find "$src" -name '*.swift' -not -path '*/CAPI/*' -not -path '*/CObjects/*')
found=$(grep -nE '\b(TrapReport|ErrorReport|FrameObject|RefObjects|ExternObject|InstanceObject|ExternRefObject|[A-Za-z]+TypeObject|CVector|PointerVector)\b|\b(wasm|wasmtime)_[a-z0-9_]+_t\b' $lower \
  | grep -vE ':[0-9]+:\s*///?' || true)
[ -z "$found" ] && echo "rule 3: the runtime does not name C API objects" || report "rule 3: a layer below the C API names its objects" "$found"

if [ "$failures" -gt 0 ]; then echo "layer check: $failures rule(s) broken"; exit 1; fi
echo "layer check: ok"
