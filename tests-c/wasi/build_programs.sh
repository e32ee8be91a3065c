#!/usr/bin/env bash
# Builds the project's WASI test programs (tests-c/wasi/programs/*.c) for wasm32-wasi with the Swift
# toolchain's clang and Debian's wasi-libc, and lays them out as a test folder for run_testsuite.py:
# OUTDIR/NAME.wasm beside a copy of programs/NAME.json, and copies of the fixture folders
# (programs/*.dir). See docs/wasi.md.
#
#   build_programs.sh OUTDIR     build every program (clang -O2, -Wall -Wextra -Werror)
#   build_programs.sh --check    only say whether the pieces below exist: exit 0, or 77 after
#                                naming what is missing (CMake decides with it at configure time)
#   build_programs.sh --skipped  the ctests configured without the pieces: 77 (skipped) after
#                                naming what is missing, or 1 when they exist now (reconfigure)
#
# The pieces (.ci/setup installs the Debian packages wasi-libc and libclang-rt-19-dev-wasm32):
#   WASI_CLANG        clang 21 of the Swift toolchain (default: the clang beside `swift`)
#   WASI_LIBC_PREFIX  the prefix holding include/wasm32-wasi and lib/wasm32-wasi (default: /usr)
#   WASI_BUILTINS     the wasm32 compiler builtins (default: LLVM 19's
#                     /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a)
# clang 21 looks for the C library under a sysroot holding include/wasm32-wasi and lib/wasm32-wasi,
# and for the builtins under its resource folder as lib/wasm32-unknown-wasi/libclang_rt.builtins.a;
# Debian puts them elsewhere, so OUTDIR/toolchain gets a sysroot and a resource folder made of
# symlinks (the resource folder's include/ is clang 21's own headers).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check_only=0
if [ "${1:-}" = "--check" ]; then
  check_only=1
elif [ "${1:-}" = "--skipped" ]; then
  check_only=2
else
  out=${1:?usage: build_programs.sh OUTDIR | --check}
fi

clang=${WASI_CLANG:-}
if [ -z "$clang" ] && command -v swift >/dev/null; then
  clang="$(dirname "$(readlink -f "$(command -v swift)")")/clang"
fi
prefix=${WASI_LIBC_PREFIX:-/usr}
builtins=${WASI_BUILTINS:-/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a}

missing=()
[ -n "$clang" ] && [ -x "$clang" ] || missing+=("the Swift toolchain's clang (${clang:-no swift on PATH}; set WASI_CLANG)")
[ -f "$prefix/include/wasm32-wasi/stdio.h" ] || missing+=("wasi-libc's headers $prefix/include/wasm32-wasi (Debian package wasi-libc)")
[ -f "$prefix/lib/wasm32-wasi/libc.a" ] || missing+=("wasi-libc's libraries $prefix/lib/wasm32-wasi (Debian package wasi-libc)")
[ -f "$builtins" ] || missing+=("the wasm32 builtins $builtins (Debian package libclang-rt-19-dev-wasm32)")
resource=""
if [ ${#missing[@]} -eq 0 ]; then
  resource=$("$clang" -print-resource-dir)
  [ -d "$resource/include" ] || missing+=("clang's own headers $resource/include")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "build_programs.sh: cannot build the WASI test programs; missing:"
  for piece in "${missing[@]}"; do echo "  - $piece"; done
  echo "  (.ci/setup installs the Debian packages wasi-libc and libclang-rt-19-dev-wasm32)"
  exit 77
fi
[ "$check_only" -eq 1 ] && { echo "build_programs.sh: $clang, $prefix/{include,lib}/wasm32-wasi, $builtins"; exit 0; }
if [ "$check_only" -eq 2 ]; then
  echo "build_programs.sh: the toolchain pieces exist now, but CMake was configured without them: reconfigure (cmake -S . -B build)"
  exit 1
fi

mkdir -p "$out"
toolchain="$out/toolchain"
sysroot="$toolchain/sysroot"
resdir="$toolchain/resource"
rm -rf "$toolchain"
mkdir -p "$sysroot/include" "$sysroot/lib" "$resdir/lib/wasm32-unknown-wasi"
ln -s "$prefix/include/wasm32-wasi" "$sysroot/include/wasm32-wasi"
ln -s "$prefix/lib/wasm32-wasi" "$sysroot/lib/wasm32-wasi"
ln -s "$resource/include" "$resdir/include"
ln -s "$builtins" "$resdir/lib/wasm32-unknown-wasi/libclang_rt.builtins.a"

status=0
for source in "$here"/programs/*.c; do
  name=$(basename "$source" .c)
  if ! "$clang" --target=wasm32-wasi --sysroot="$sysroot" -resource-dir "$resdir" -O2 -Wall -Wextra -Werror \
       -I "$here/programs" "$source" -o "$out/$name.wasm"; then
    echo "build_programs.sh: $name.c does not compile"
    rm -f "$out/$name.wasm"
    status=1
    continue
  fi
  if [ -f "$here/programs/$name.json" ]; then cp "$here/programs/$name.json" "$out/$name.json"; else rm -f "$out/$name.json"; fi
done
for fixture in "$here"/programs/*.dir; do
  rm -rf "$out/$(basename "$fixture")"
  cp -R "$fixture" "$out/"
done
exit $status
