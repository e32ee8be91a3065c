#!/usr/bin/env bash
# Static check of the shipped libswasm.so (see ../shared/docs/oom-testing.md, "Static check"):
#  1. it depends on libc alone and has a SONAME;
#  2. it exports only wasm_*, wasi_*, wasmtime_* and swasm_* symbols;
#  3. no code calls an allocation entry point that aborts on failure (swift_allocObject,
#     swift_slowAlloc, ...) or the Embedded runtime's deallocation entry points; malloc-family
#     functions and free are called only from the allocator's dispatch (Sources/CSwasm/allocator.c,
#     which may route to the embedder's allocator instead) and those unreachable runtime entry
#     points; and only Support/Heap.swift calls the dispatch's allocation functions;
#  4. address space is mapped (mmap, mremap, mprotect, munmap) only by virtual_memory.c and
#     file_mapping.c;
#  5. no code copies a kilobyte or more at once (a memcpy of a constant size of 1024 or more) but
#     the known sites below: such a copy is a large struct passed by value, which is how a
#     non-mutating method of the store called through a pointer copied the whole store per host
#     call (Runtime/Store.swift).
set -euo pipefail
lib=${1:?usage: check_library.sh path/to/libswasm.so}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
[ "$needed" = "libc.so.6" ] || fail "libswasm.so needs more than libc: $(echo $needed)"
readelf -d "$lib" | grep -q '(SONAME).*\[libswasm\.so\.[0-9]*\]' || fail "no SONAME libswasm.so.N"

# Global symbols only: a local one in the dynamic table (the pool's thread-local scope, which its
# initial-exec relocation names) cannot be bound by anyone.
stray=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ {print $3}' | grep -Ev '^(wasm_|wasi_|wasmtime_|swasm_)' || true)
[ -z "$stray" ] || fail "exports outside the API: $(echo $stray | head -c 400)"
exported=$(nm -D --defined-only "$lib" | wc -l)
echo "exports: $exported API symbols, no others"

# Functions (by symbol) that call or tail-call exactly `target`.
disassembly=$(objdump -d --no-show-raw-insn "$lib")
callers_of() {
  echo "$disassembly" | awk -v target="<$1>" '
    /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn) }
    /(call|j[a-z]+) / && index($0, target) { print fn }' | sort -u
}
runtime_allocators="swift_allocObject swift_allocBox swift_allocEmptyBox swift_slowAlloc swift_allocError swift_initStackObject swift_once swift_coroFrameAlloc"
runtime_allocators="$runtime_allocators swift_slowDealloc swift_deallocObject swift_deallocUninitializedObject swift_deallocClassInstance"
for aborting in $runtime_allocators; do
  callers=$(callers_of "$aborting" | grep -vx "$aborting" || true)
  [ -z "$callers" ] || fail "code calls $aborting, which aborts when memory runs out: $(echo $callers | head -c 400)"
done
# Every call into libc's allocator must come from the dispatch of Sources/CSwasm/allocator.c
# (which turns to the embedder's allocator once one is installed) or from a runtime entry point
# that the loop above proved unreachable; the dispatch's allocation functions are called only by
# Support/Heap.swift's raw functions, which turn NULL into SwasmError.outOfMemory.
sites=0
for entry in malloc calloc realloc posix_memalign aligned_alloc memalign valloc free; do
  for fn in $(callers_of "$entry@plt"); do
    sites=$((sites + 1))
    case "$fn" in
      "$entry@plt") sites=$((sites - 1)) ;; # the PLT stub itself
      cswasm_malloc|cswasm_calloc|cswasm_realloc|cswasm_free) ;;
      swift_slowAlloc|swift_allocObject|swift_allocBox|swift_allocEmptyBox|swift_coroFrameAlloc) ;;
      swift_slowDealloc|swift_deallocObject|swift_deallocUninitializedObject|swift_deallocClassInstance) ;;
      *) fail "$entry called outside the allocator, from $fn" ;;
    esac
  done
done
for dispatch in cswasm_malloc cswasm_calloc cswasm_realloc; do
  for fn in $(callers_of "$dispatch"); do
    case "$fn" in
      "$dispatch") ;; # its own tail of the function, e.g. a branch back
      '$e5Swasm4HeapO'*|'$s5Swasm4HeapO'*) ;; # Embedded and hosted manglings of Support/Heap.swift
      *) fail "$dispatch called from $fn, not from Support/Heap.swift" ;;
    esac
  done
done
echo "allocation call sites: $sites, all in the allocator's dispatch or unreachable runtime entry points"
# Address space is mapped only by the C functions that own it: linear memories'
# (Sources/CSwasm/virtual_memory.c, whose failures LinearMemory turns into -1 or out of memory,
# or for a memory image into copying the segments) and the read-only mapping of artifact files
# (file_mapping.c).
mapping_sites=0
for entry in mmap mmap64 mremap mprotect munmap; do
  for fn in $(callers_of "$entry@plt"); do
    case "$fn" in
      "$entry@plt") ;;
      cswasm_reserve|cswasm_make_accessible|cswasm_make_inaccessible|cswasm_resize_mapping|cswasm_release|cswasm_map_zeroed|cswasm_map_zero_pages|cswasm_decommit|cswasm_map_file_pages) mapping_sites=$((mapping_sites + 1)) ;;
      cswasm_map_file|cswasm_unmap_file|cswasm_anonymous_file|cswasm_finish_anonymous_file) mapping_sites=$((mapping_sites + 1)) ;;
      *) fail "$entry called outside virtual_memory.c and file_mapping.c, from $fn" ;;
    esac
  done
done
echo "mapping call sites: $mapping_sites, all in virtual_memory.c and file_mapping.c"

# Known large copies: creating and deleting a store (its value moves into and out of its heap
# cell), the constant evaluator's and decoder's 1 KiB scratch stacks, and the text parser, which
# copies itself for non-mutating calls (text is parsed once; not on a call path).
large_copies=$(printf '%s\n' "$disassembly" | awk '
  function hex(text,   value, i) { value = 0; for (i = 1; i <= length(text); i++) value = value * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1; return value }
  /^[0-9a-f]+ <.*>:$/ { fn = $2; sub(/^</, "", fn); sub(/>:$/, "", fn); size = 0; next }
  /mov +\$0x[0-9a-f]+,%edx/ { match($0, /\$0x[0-9a-f]+/); size = hex(substr($0, RSTART + 3, RLENGTH - 3)); next }
  /call.*<(memcpy|memmove)@plt>/ { if (size >= 1024) print fn; size = 0; next }
  /call/ { size = 0 }' | sort -u)
large_sites=0
for fn in $large_copies; do
  case "$fn" in
    *5StoreV6create6engine*|*5StoreV6engine8hostData*|wasm_store_new|wasm_store_delete|wasmtime_store_new|wasmtime_store_delete) large_sites=$((large_sites + 1)) ;;
    *wasm_store_new*|*wasm_store_delete*|*wasmtime_store_new*|*wasmtime_store_delete*) large_sites=$((large_sites + 1)) ;;
    *ConstantEvaluatorO12evaluateWide*|*ModuleDecoderState*decodeConstantExpression*|*10TextParserV*|*13TextAssemblerO*|*6Script[OV]5parse*) large_sites=$((large_sites + 1)) ;;
    *) fail "a copy of 1 KiB or more at once in $fn (a large struct passed by value?)" ;;
  esac
done
echo "copies of 1 KiB or more: $large_sites functions, all known"

if [ "$failures" -ne 0 ]; then
  echo "static check: $failures failure(s)"
  exit 1
fi
echo "static check: ok"
