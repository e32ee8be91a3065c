#!/bin/sh
# Syntax-checks the public headers as C11 (gcc, clang) and C++17 (g++,
# clang++). Run from anywhere; exits non-zero on the first failure.
# Override compilers with CC, CXX, CLANG.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/tests-c/headers/include_all.c"
CC=${CC:-gcc}
CXX=${CXX:-g++}
CLANG=${CLANG:-/opt/swift/usr/bin/clang}
set -x
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -I "$root/include" -fsyntax-only "$src"
"$CXX" -std=c++17 -Wall -Wextra -Werror -I "$root/include" -fsyntax-only -x c++ "$src"
if [ -x "$CLANG" ] || command -v "$CLANG" >/dev/null 2>&1; then
  "$CLANG" -std=c11 -Wall -Wextra -Werror -pedantic -I "$root/include" -fsyntax-only "$src"
  "$CLANG" -std=c++17 -Wall -Wextra -Werror -I "$root/include" -fsyntax-only -x c++ "$src"
fi
