#!/usr/bin/env bash
# Installs the built project into a temporary prefix, then builds and runs a small C program
# against the installed tree twice: through pkg-config and through find_package(swasm).
set -euo pipefail
build_dir=${1:?usage: run_install_test.sh BUILD_DIR SOURCE_DIR}
source_dir=${2:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build_dir" --prefix "$prefix" > "$work/install.log"
for f in lib/libswasm.so lib/libswasm.so.0 include/wasm.h include/wasmtime.h include/swasm.h \
         lib/pkgconfig/swasm.pc lib/cmake/swasm/swasmConfig.cmake; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done

# Route 1: pkg-config.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cc $(pkg-config --cflags swasm) -o "$work/consumer-pc" "$source_dir/tests-c/install/consumer/main.c" $(pkg-config --libs swasm)
LD_LIBRARY_PATH=$prefix/lib "$work/consumer-pc" | tee "$work/pc.out"
grep -q "works" "$work/pc.out"
echo "pkg-config route: ok"

# Route 2: find_package(swasm) + target_link_libraries(app swasm::swasm).
cmake -S "$source_dir/tests-c/install/consumer" -B "$work/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log"
cmake --build "$work/consumer-build" > "$work/build.log"
"$work/consumer-build/consumer" | tee "$work/cmake.out" # RPATH from the imported target
grep -q "works" "$work/cmake.out"
echo "find_package route: ok"
