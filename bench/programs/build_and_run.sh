#!/usr/bin/env bash
# Real C programs, built from their public sources for wasm32-wasi, run under `swasm run` and under
# wasmtime 50.0.1's own C library (tests-c/wasi/wasi_capi_runner.c linked against the PyPI wheel's
# _libwasmtime.so) with identical arguments, environment and preopened scratch directories: their
# outputs are compared, their own tests run on both, and their times are tabled (README.md).
#
#   build_and_run.sh [--work DIR] [--swasm PATH] [--runs N] [--only NAMES] [--quick]
#                    [--build-only] [--rebuild] [--install] [--benchmarks] [--peers LIST] [--wasmkit PATH]
#
#   --work DIR     downloads, sources, builds and run folders (default: /tmp/swasm-programs)
#   --swasm PATH   the swasm command line (default: <project>/build/bin/swasm)
#   --runs N       timed runs of each benchmark, the best counts (default 3)
#   --only NAMES   comma-separated case names or prefixes (lua, brotli, sqlite, lua/fib, ...)
#   --quick        smaller tests (fuzzcheck on fuzzdata1.db only, brotli's CLI tests on fewer
#                  variants) and one benchmark run
#   --build-only   download and build, run nothing
#   --rebuild      rebuild every module even when its recipe has not changed
#   --install      apt-get install the Debian packages the script needs when missing (as root)
#   --benchmarks   build and run only what the benchmark cases need (no Binaryen: see README.md)
#   --peers LIST   also run the benchmarks under pulley (wasmtime's interpreter) and/or wasmkit
#                  (comma-separated), with --wasmkit PATH the wasmkit-cli (bench/compare.py builds one)
#
# Sources (downloaded into WORK/downloads as the first step; nothing is kept in the project):
#   Lua 5.4.8   the Lua repository snapshot bundled in the PyPI sdist lupa==2.8
#               (lupa-2.8/third-party/lua54, test suite in testes/)
#   brotli 1.2.1  the PyPI sdist brotli==1.2.1 (the C library and its command-line tool c/tools,
#               the test data tests/testdata, the CLI tests python/tests/bro_test.py)
#   SQLite 3.40.1  Debian's source package sqlite3 (bookworm), fetched with `apt-get source`
#               through a private apt configuration in WORK/apt that adds the deb-src line (the
#               machine's own apt configuration is not changed); the amalgamation is made from it
#               with the host's cc, make and tclsh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

work=/tmp/swasm-programs
swasm=$root/build/bin/swasm
runs=3
only=""
quick=0
build_only=0
rebuild=0
install=0
benchmarks=0
peers=""
wasmkit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --swasm) swasm=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --build-only) build_only=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    --install) install=1; shift ;;
    --benchmarks) benchmarks=1; shift ;;
    --peers) peers=$2; shift 2 ;;
    --wasmkit) wasmkit=$2; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "build_and_run.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
say() { printf '\n== %s\n' "$*"; }

# ---- what the machine needs ------------------------------------------------------------------------

say "checking the tools"
need_debs=()
# Asyncify for Lua's setjmp/longjmp, which only the test suite's lua-sjlj.wasm needs
[ "$benchmarks" = 1 ] || command -v wasm-opt >/dev/null || need_debs+=(binaryen)
command -v tclsh >/dev/null || need_debs+=(tcl)           # SQLite's amalgamation generator
command -v make >/dev/null || need_debs+=(make)
command -v cc >/dev/null || need_debs+=(gcc)
if ! "$root/tests-c/wasi/build_programs.sh" --check >/dev/null; then
  need_debs+=(wasi-libc libclang-rt-19-dev-wasm32)
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$install" = 1 ]; then
    apt-get install -y "${need_debs[@]}"
  else
    echo "build_and_run.sh: missing Debian packages: ${need_debs[*]} (apt-get install them, or pass --install)" >&2
    exit 2
  fi
fi
"$root/tests-c/wasi/build_programs.sh" --check
wasmtime_dir=$(python3 -c "import os, wasmtime; print(os.path.join(os.path.dirname(wasmtime.__file__), 'linux-x86_64'))")
wasmtime_version=$(python3 -c "import importlib.metadata as m; print(m.version('wasmtime'))")
[ -f "$wasmtime_dir/_libwasmtime.so" ] || { echo "build_and_run.sh: no _libwasmtime.so in $wasmtime_dir (pip install wasmtime==50.0.1)" >&2; exit 2; }
[ "$wasmtime_version" = 50.0.1 ] || echo "build_and_run.sh: warning: the wasmtime wheel is $wasmtime_version, not 50.0.1"
[ -x "$swasm" ] || { echo "build_and_run.sh: no swasm at $swasm (--swasm PATH)" >&2; exit 2; }

# ---- 1. downloads ----------------------------------------------------------------------------------

say "downloading the sources into $work/downloads"
dl=$work/downloads
mkdir -p "$dl"
for sdist in lupa==2.8 brotli==1.2.1; do
  name=${sdist%%==*}; version=${sdist##*==}
  if [ ! -f "$dl/$name-$version.tar.gz" ]; then
    python3 -m pip download --quiet --no-binary :all: --no-deps "$sdist" -d "$dl"
  fi
  echo "PyPI sdist $dl/$name-$version.tar.gz"
done
if ! ls "$dl"/sqlite3_3.40.1.orig.tar.xz >/dev/null 2>&1; then
  apt=$work/apt
  rm -rf "$apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources"
  cat > "$apt/sources/debian-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  aptopts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/sources"
           -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=$(id -un)")
  apt-get "${aptopts[@]}" -qq update
  (cd "$dl" && apt-get "${aptopts[@]}" -qq source --download-only sqlite3)
fi
ls "$dl"/sqlite3_*.dsc | sed 's/^/Debian source package /'

# ---- 2. sources --------------------------------------------------------------------------------------

say "unpacking into $work/src"
src=$work/src
mkdir -p "$src"
[ -d "$src/lupa-2.8" ] || tar -xzf "$dl/lupa-2.8.tar.gz" -C "$src"
[ -d "$src/brotli-1.2.1" ] || tar -xzf "$dl/brotli-1.2.1.tar.gz" -C "$src"
[ -d "$src/sqlite3-3.40.1" ] || tar -xJf "$dl/sqlite3_3.40.1.orig.tar.xz" -C "$src"
lua=$src/lupa-2.8/third-party/lua54
brotli=$src/brotli-1.2.1
sqlite=$src/sqlite3-3.40.1
grep -q 'LUA_VERSION_RELEASE	"8"' "$lua/lua.h" || { echo "build_and_run.sh: $lua is not Lua 5.4.8" >&2; exit 1; }

# ---- 3. toolchain: clang 21 + Debian's wasi-libc (the recipe of tests-c/wasi/build_programs.sh) ----

clang=${WASI_CLANG:-"$(dirname "$(readlink -f "$(command -v swift)")")/clang"}
prefix=${WASI_LIBC_PREFIX:-/usr}
builtins=${WASI_BUILTINS:-/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a}
toolchain=$work/toolchain
rm -rf "$toolchain"
mkdir -p "$toolchain/sysroot/include" "$toolchain/sysroot/lib" "$toolchain/resource/lib/wasm32-unknown-wasi"
ln -s "$prefix/include/wasm32-wasi" "$toolchain/sysroot/include/wasm32-wasi"
ln -s "$prefix/lib/wasm32-wasi" "$toolchain/sysroot/lib/wasm32-wasi"
ln -s "$("$clang" -print-resource-dir)/include" "$toolchain/resource/include"
ln -s "$builtins" "$toolchain/resource/lib/wasm32-unknown-wasi/libclang_rt.builtins.a"
# --no-wasm-opt: clang runs Binaryen's wasm-opt after linking whenever one is on PATH (and drops the
# name section); the modules here are the compiler's own, except Lua's Asyncify pass below.
cc_wasm=("$clang" --target=wasm32-wasi "--sysroot=$toolchain/sysroot" -resource-dir "$toolchain/resource" --no-wasm-opt
         -Wno-unused-command-line-argument)
# An 8 MiB shadow stack below the data (wasm-ld's default is 64 KiB above it, where SQLite's deep
# recursion overwrites its globals): a stack overflow is an out-of-bounds trap.
ld_wasm=(-Wl,-z,stack-size=8388608 -Wl,--stack-first)

wasm=$work/wasm
mkdir -p "$wasm" "$work/obj"
# up_to_date OUT RECIPE...: true when OUT exists and was built by the same recipe (the command and
# the project's files it uses), so a rerun skips it.
up_to_date() {
  local out=$1; shift
  local recipe
  recipe="$* $(cat "$here"/lua/*.h "$here"/wasi-sjlj/* "$here"/brotli/*.h "$here"/sqlite/*.h "$here"/sqlite/include/* | sha1sum)"
  if [ "$rebuild" = 0 ] && [ -f "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
    echo "up to date: $out"
    return 0
  fi
  printf '%s' "$recipe" > "$out.recipe.new"
  return 1
}
built() { mv "$1.recipe.new" "$1.recipe"; echo "built: $1 ($(stat -c %s "$1") bytes)"; }

# ---- 4. Lua 5.4.8 ------------------------------------------------------------------------------------

say "building Lua 5.4.8"
lua_sources=$(ls "$lua"/*.c | grep -vE '/(lua|luac|onelua|ltests)\.c$')
lua_flags=(-O2 -include "$here/lua/lua_wasi.h" -I "$here/wasi-sjlj" -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -w)
lua_libs=(-lwasi-emulated-signal -lwasi-emulated-process-clocks)
# lua.wasm: setjmp returns 0 and a Lua error (longjmp) aborts; for the benchmarks, which raise none.
if ! up_to_date "$wasm/lua.wasm" "${cc_wasm[*]} ${lua_flags[*]} ${ld_wasm[*]}"; then
  "${cc_wasm[@]}" "${lua_flags[@]}" $lua_sources "$lua/lua.c" "$here/wasi-sjlj/sjlj.c" "${lua_libs[@]}" "${ld_wasm[@]}" -o "$wasm/lua.wasm"
  built "$wasm/lua.wasm"
fi
# lua-sjlj.wasm: real setjmp/longjmp (wasi-sjlj/, Binaryen's Asyncify), so errors, pcall and
# coroutines work: Lua's own test suite runs on it.
if [ "$benchmarks" = 0 ] && ! up_to_date "$wasm/lua-sjlj.wasm" "asyncify ${cc_wasm[*]} ${lua_flags[*]} ${ld_wasm[*]}"; then
  objs=$work/obj/lua-sjlj
  rm -rf "$objs"; mkdir -p "$objs"
  (cd "$objs" &&
   "${cc_wasm[@]}" -c "${lua_flags[@]}" -DWASI_SJLJ_ASYNCIFY $lua_sources &&
   "${cc_wasm[@]}" -c "${lua_flags[@]}" -DWASI_SJLJ_ASYNCIFY -Dmain=wasi_sjlj_main "$lua/lua.c" &&
   "${cc_wasm[@]}" -c -O2 -DWASI_SJLJ_ASYNCIFY "$here/wasi-sjlj/sjlj.c" "$here/wasi-sjlj/sp.S")
  "${cc_wasm[@]}" "$objs"/*.o "${lua_libs[@]}" "${ld_wasm[@]}" -o "$objs/lua-sjlj-plain.wasm"
  wasm-opt --asyncify --pass-arg=asyncify-ignore-imports -O2 "$objs/lua-sjlj-plain.wasm" -o "$wasm/lua-sjlj.wasm"
  built "$wasm/lua-sjlj.wasm"
fi

# ---- 5. brotli 1.2.1 ---------------------------------------------------------------------------------

say "building brotli 1.2.1"
brotli_flags=(-O2 -D_WASI_EMULATED_PROCESS_CLOCKS -include "$here/brotli/wasi_compat.h" -I "$brotli/c/include")
if ! up_to_date "$wasm/brotli.wasm" "${cc_wasm[*]} ${brotli_flags[*]} ${ld_wasm[*]}"; then
  "${cc_wasm[@]}" "${brotli_flags[@]}" "$brotli"/c/common/*.c "$brotli"/c/dec/*.c "$brotli"/c/enc/*.c \
    "$brotli/c/tools/brotli.c" -lwasi-emulated-process-clocks -lm "${ld_wasm[@]}" -o "$wasm/brotli.wasm"
  built "$wasm/brotli.wasm"
fi

# ---- 6. SQLite 3.40.1 --------------------------------------------------------------------------------

say "building SQLite 3.40.1"
amalgamation=$sqlite/bld
if [ ! -f "$amalgamation/sqlite3.c" ] || [ ! -f "$amalgamation/shell.c" ]; then
  mkdir -p "$amalgamation"
  (cd "$amalgamation" && ../configure --disable-tcl >configure.log 2>&1 && make sqlite3.c shell.c >make.log 2>&1) ||
    { echo "build_and_run.sh: making SQLite's amalgamation failed: see $amalgamation/*.log" >&2; exit 1; }
fi
sqlite_flags=(-O2 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_WAL -DSQLITE_MAX_MMAP_SIZE=0
              -DSQLITE_NOHAVE_SYSTEM -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID
              -include "$here/sqlite/wasi_compat.h" -I "$here/sqlite/include" -I "$amalgamation")
sqlite_libs=(-lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid)
# The shell and speedtest1 as a user would build them (FTS, R-tree, math functions, dbstat).
sqlite_features=(-DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS
                 -DSQLITE_ENABLE_DBSTAT_VTAB)
if ! up_to_date "$work/obj/sqlite3.o" "${cc_wasm[*]} ${sqlite_flags[*]} ${sqlite_features[*]}"; then
  mkdir -p "$work/obj"
  "${cc_wasm[@]}" -c "${sqlite_flags[@]}" "${sqlite_features[@]}" "$amalgamation/sqlite3.c" -o "$work/obj/sqlite3.o"
  built "$work/obj/sqlite3.o"
  rm -f "$wasm/sqlite3.wasm.recipe" "$wasm/speedtest1.wasm.recipe"
fi
if ! up_to_date "$wasm/sqlite3.wasm" "${cc_wasm[*]} ${sqlite_flags[*]} ${sqlite_features[*]} ${ld_wasm[*]}"; then
  "${cc_wasm[@]}" "${sqlite_flags[@]}" "${sqlite_features[@]}" "$amalgamation/shell.c" "$work/obj/sqlite3.o" \
    "${sqlite_libs[@]}" "${ld_wasm[@]}" -o "$wasm/sqlite3.wasm"
  built "$wasm/sqlite3.wasm"
fi
if ! up_to_date "$wasm/speedtest1.wasm" "${cc_wasm[*]} ${sqlite_flags[*]} ${sqlite_features[*]} ${ld_wasm[*]}"; then
  "${cc_wasm[@]}" "${sqlite_flags[@]}" "${sqlite_features[@]}" "$sqlite/test/speedtest1.c" "$work/obj/sqlite3.o" \
    "${sqlite_libs[@]}" "${ld_wasm[@]}" -o "$wasm/speedtest1.wasm"
  built "$wasm/speedtest1.wasm"
fi
# fuzzcheck with the options of SQLite's Makefile (FUZZCHECK_OPT, FUZZCHECK_SRC): `make fuzztest`.
fuzz_flags=(-I "$sqlite/test" -I "$sqlite/ext/recover" -DSQLITE_ENABLE_MEMSYS5 -DSQLITE_OSS_FUZZ
            -DSQLITE_MAX_MEMORY=50000000 -DSQLITE_PRINTF_PRECISION_LIMIT=1000 -DSQLITE_ENABLE_FTS4
            -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY
            -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_BYTECODE_VTAB)
if [ "$benchmarks" = 0 ] && ! up_to_date "$wasm/fuzzcheck.wasm" "${cc_wasm[*]} ${sqlite_flags[*]} ${fuzz_flags[*]} ${ld_wasm[*]}"; then
  "${cc_wasm[@]}" "${sqlite_flags[@]}" "${fuzz_flags[@]}" "$sqlite/test/fuzzcheck.c" "$sqlite/test/ossfuzz.c" \
    "$sqlite/test/fuzzinvariants.c" "$sqlite/ext/recover/dbdata.c" "$sqlite/ext/recover/sqlite3recover.c" \
    "$sqlite/test/vt02.c" "$amalgamation/sqlite3.c" "${sqlite_libs[@]}" "${ld_wasm[@]}" -o "$wasm/fuzzcheck.wasm"
  built "$wasm/fuzzcheck.wasm"
fi

# ---- 7. native builds (the host's cc -O2): reference outputs and times for the benchmarks --------

say "building the native references"
native=$work/native
mkdir -p "$native"
if ! up_to_date "$native/lua" "cc -O2 -DLUA_USE_LINUX"; then
  cc -O2 -w -DLUA_USE_LINUX $lua_sources "$lua/lua.c" -lm -ldl -o "$native/lua"
  built "$native/lua"
fi
if ! up_to_date "$native/brotli" "cc -O2"; then
  cc -O2 -w -I "$brotli/c/include" "$brotli"/c/common/*.c "$brotli"/c/dec/*.c "$brotli"/c/enc/*.c "$brotli/c/tools/brotli.c" \
    -lm -o "$native/brotli"
  built "$native/brotli"
fi
native_sqlite=(-O2 -w -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=0 "${sqlite_features[@]}" -I "$amalgamation")
if ! up_to_date "$native/sqlite3" "cc ${native_sqlite[*]}"; then
  cc -c "${native_sqlite[@]}" "$amalgamation/sqlite3.c" -o "$work/obj/sqlite3-native.o"
  cc "${native_sqlite[@]}" "$amalgamation/shell.c" "$work/obj/sqlite3-native.o" -lm -o "$native/sqlite3"
  built "$native/sqlite3"
  cc "${native_sqlite[@]}" "$sqlite/test/speedtest1.c" "$work/obj/sqlite3-native.o" -lm -o "$native/speedtest1"
  echo "built: $native/speedtest1"
fi

# ---- 8. the reference runner -------------------------------------------------------------------------

say "building the reference runner (wasmtime $wasmtime_version's C library)"
mkdir -p "$work/bin"
runner=$work/bin/wasi_capi_runner_wasmtime
if ! up_to_date "$runner" "cc $wasmtime_dir $(sha1sum < "$root/tests-c/wasi/wasi_capi_runner.c")"; then
  cc -O2 -Wall -Wextra -I "$root/include" "$root/tests-c/wasi/wasi_capi_runner.c" -L "$wasmtime_dir" -l:_libwasmtime.so \
    -Wl,-rpath,"$wasmtime_dir" -o "$runner"
  built "$runner"
fi

[ "$build_only" = 1 ] && exit 0

# ---- 9. run, compare, time ---------------------------------------------------------------------------

say "running under $swasm and $runner"
args=(--work "$work" --swasm "$swasm" --wasmtime "$runner" --native "$native" --runs "$runs")
[ -n "$only" ] && args+=(--only "$only")
[ "$quick" = 1 ] && args+=(--quick)
[ "$benchmarks" = 1 ] && args+=(--benchmarks)
[ -n "$peers" ] && args+=(--peers "$peers")
[ -n "$wasmkit" ] && args+=(--wasmkit "$wasmkit")
exec python3 "$here/compare.py" "${args[@]}"
