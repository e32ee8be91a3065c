/*
 * Compile-time checks of the binary layout facts of wasmtime's C API (see
 * shared/reference/abi.md) against swasm's headers, plus a few layouts that
 * follow from wasmtime's header definitions (x86-64 / LP64).
 *
 * Build: cc -std=c11 -I include tests-c/api/abi_layout.c
 * The program needs no library: it only uses types, macros and the headers'
 * static inline helpers. It exits 0 when the run-time checks pass.
 */

#include <stddef.h>
#include <stdint.h>
#include <wasi.h>
#include <wasm.h>
#include <wasmtime.h>

#define CHECK_SIZE(type, size)                                                 \
  _Static_assert(sizeof(type) == (size), "sizeof(" #type ") != " #size)
#define CHECK_OFFSET(type, member, off)                                        \
  _Static_assert(offsetof(type, member) == (off),                              \
                 "offsetof(" #type ", " #member ") != " #off)
#define CHECK_ALIGN(type, al)                                                  \
  _Static_assert(_Alignof(type) == (al), "_Alignof(" #type ") != " #al)
#define CHECK_VALUE(expr, value)                                               \
  _Static_assert((expr) == (value), #expr " != " #value)

_Static_assert(sizeof(void *) == 8, "these checks assume a 64-bit target");

/* ---- Feature macros of wasmtime's default build (minus components);
 * WASMTIME_FEATURE_GC in particular changes wasmtime_val_t. ---- */
#ifndef WASMTIME_FEATURE_WAT
#error "WASMTIME_FEATURE_WAT must be defined"
#endif
#ifndef WASMTIME_FEATURE_WASI
#error "WASMTIME_FEATURE_WASI must be defined"
#endif
#ifndef WASMTIME_FEATURE_GC
#error "WASMTIME_FEATURE_GC must be defined"
#endif
#ifndef WASMTIME_FEATURE_GC_DRC
#error "WASMTIME_FEATURE_GC_DRC must be defined"
#endif
#ifndef WASMTIME_FEATURE_GC_NULL
#error "WASMTIME_FEATURE_GC_NULL must be defined"
#endif
#ifndef WASMTIME_FEATURE_ASYNC
#error "WASMTIME_FEATURE_ASYNC must be defined"
#endif
#ifndef WASMTIME_FEATURE_CACHE
#error "WASMTIME_FEATURE_CACHE must be defined"
#endif
#ifndef WASMTIME_FEATURE_COMPILER
#error "WASMTIME_FEATURE_COMPILER must be defined"
#endif
#ifndef WASMTIME_FEATURE_CRANELIFT
#error "WASMTIME_FEATURE_CRANELIFT must be defined"
#endif
#ifndef WASMTIME_FEATURE_WINCH
#error "WASMTIME_FEATURE_WINCH must be defined"
#endif
#ifndef WASMTIME_FEATURE_PULLEY
#error "WASMTIME_FEATURE_PULLEY must be defined"
#endif
#ifndef WASMTIME_FEATURE_THREADS
#error "WASMTIME_FEATURE_THREADS must be defined"
#endif
#ifndef WASMTIME_FEATURE_PARALLEL_COMPILATION
#error "WASMTIME_FEATURE_PARALLEL_COMPILATION must be defined"
#endif
#ifndef WASMTIME_FEATURE_POOLING_ALLOCATOR
#error "WASMTIME_FEATURE_POOLING_ALLOCATOR must be defined"
#endif
#ifndef WASMTIME_FEATURE_PROFILING
#error "WASMTIME_FEATURE_PROFILING must be defined"
#endif
#ifndef WASMTIME_FEATURE_LOGGING
#error "WASMTIME_FEATURE_LOGGING must be defined"
#endif
#ifndef WASMTIME_FEATURE_DEMANGLE
#error "WASMTIME_FEATURE_DEMANGLE must be defined"
#endif
#ifndef WASMTIME_FEATURE_ADDR2LINE
#error "WASMTIME_FEATURE_ADDR2LINE must be defined"
#endif
#ifndef WASMTIME_FEATURE_COREDUMP
#error "WASMTIME_FEATURE_COREDUMP must be defined"
#endif
#ifndef WASMTIME_FEATURE_DEBUG_BUILTINS
#error "WASMTIME_FEATURE_DEBUG_BUILTINS must be defined"
#endif
#ifdef WASMTIME_FEATURE_COMPONENT_MODEL
#error "swasm has no component model (WASMTIME_FEATURE_COMPONENT_MODEL)"
#endif
#ifdef WASMTIME_FEATURE_COMPONENT_MODEL_ASYNC
#error "swasm has no component model (WASMTIME_FEATURE_COMPONENT_MODEL_ASYNC)"
#endif
#ifdef WASMTIME_FEATURE_WASI_HTTP
#error "swasm has no component model (WASMTIME_FEATURE_WASI_HTTP)"
#endif

/* ---- Versions ---- */
CHECK_VALUE(WASMTIME_VERSION_MAJOR, 50);
CHECK_VALUE(WASMTIME_VERSION_MINOR, 0);
CHECK_VALUE(WASMTIME_VERSION_PATCH, 1);

/* ---- wasm.h ---- */
CHECK_SIZE(wasm_byte_vec_t, 16);
CHECK_OFFSET(wasm_byte_vec_t, size, 0);
CHECK_OFFSET(wasm_byte_vec_t, data, 8);
CHECK_SIZE(wasm_name_t, 16);
CHECK_SIZE(wasm_valtype_vec_t, 16);
CHECK_SIZE(wasm_val_vec_t, 16);
CHECK_SIZE(wasm_extern_vec_t, 16);
CHECK_SIZE(wasm_frame_vec_t, 16);
CHECK_SIZE(wasm_limits_t, 8);
CHECK_OFFSET(wasm_limits_t, min, 0);
CHECK_OFFSET(wasm_limits_t, max, 4);
CHECK_SIZE(wasm_val_t, 16);
CHECK_OFFSET(wasm_val_t, kind, 0);
CHECK_OFFSET(wasm_val_t, of, 8);
CHECK_SIZE(wasm_valkind_t, 1);
CHECK_SIZE(wasm_mutability_t, 1);
CHECK_SIZE(wasm_externkind_t, 1);
CHECK_SIZE(byte_t, 1);

CHECK_VALUE(WASM_I32, 0);
CHECK_VALUE(WASM_I64, 1);
CHECK_VALUE(WASM_F32, 2);
CHECK_VALUE(WASM_F64, 3);
CHECK_VALUE(WASM_EXTERNREF, 128);
CHECK_VALUE(WASM_FUNCREF, 129);
CHECK_VALUE(WASM_CONST, 0);
CHECK_VALUE(WASM_VAR, 1);
CHECK_VALUE(WASM_EXTERN_FUNC, 0);
CHECK_VALUE(WASM_EXTERN_GLOBAL, 1);
CHECK_VALUE(WASM_EXTERN_TABLE, 2);
CHECK_VALUE(WASM_EXTERN_MEMORY, 3);
CHECK_VALUE(WASM_EXTERN_TAG, 4);

/* ---- wasmtime_val_t: 32 bytes with GC, payload at offset 8 ---- */
CHECK_SIZE(wasmtime_valkind_t, 1);
CHECK_SIZE(wasmtime_v128, 16);
CHECK_SIZE(wasmtime_valunion_t, 24);
CHECK_ALIGN(wasmtime_valunion_t, 8);
CHECK_SIZE(wasmtime_val_t, 32);
CHECK_ALIGN(wasmtime_val_t, 8);
CHECK_OFFSET(wasmtime_val_t, kind, 0);
CHECK_OFFSET(wasmtime_val_t, of, 8);
CHECK_OFFSET(wasmtime_val_t, of.i32, 8);
CHECK_OFFSET(wasmtime_val_t, of.i64, 8);
CHECK_OFFSET(wasmtime_val_t, of.f32, 8);
CHECK_OFFSET(wasmtime_val_t, of.f64, 8);
CHECK_OFFSET(wasmtime_val_t, of.v128, 8);
CHECK_OFFSET(wasmtime_val_t, of.funcref, 8);
CHECK_OFFSET(wasmtime_val_t, of.externref, 8);
CHECK_OFFSET(wasmtime_val_t, of.anyref, 8);
CHECK_OFFSET(wasmtime_val_t, of.exnref, 8);
CHECK_SIZE(wasmtime_val_raw_t, 16);
CHECK_ALIGN(wasmtime_val_raw_t, 8);

CHECK_VALUE(WASMTIME_I32, 0);
CHECK_VALUE(WASMTIME_I64, 1);
CHECK_VALUE(WASMTIME_F32, 2);
CHECK_VALUE(WASMTIME_F64, 3);
CHECK_VALUE(WASMTIME_V128, 4);
CHECK_VALUE(WASMTIME_FUNCREF, 5);
CHECK_VALUE(WASMTIME_EXTERNREF, 6);
CHECK_VALUE(WASMTIME_ANYREF, 7);
CHECK_VALUE(WASMTIME_EXNREF, 8);

/* ---- GC reference handles: {uint64_t; uint32_t; uint32_t; void *} ---- */
#define CHECK_REF(type)                                                        \
  CHECK_SIZE(type, 24);                                                        \
  CHECK_ALIGN(type, 8);                                                        \
  CHECK_OFFSET(type, store_id, 0);                                             \
  CHECK_OFFSET(type, __private1, 8);                                           \
  CHECK_OFFSET(type, __private2, 12);                                          \
  CHECK_OFFSET(type, __private3, 16)
CHECK_REF(wasmtime_externref_t);
CHECK_REF(wasmtime_anyref_t);
CHECK_REF(wasmtime_exnref_t);
CHECK_REF(wasmtime_eqref_t);
CHECK_REF(wasmtime_structref_t);
CHECK_REF(wasmtime_arrayref_t);

/* ---- Store items ---- */
CHECK_SIZE(wasmtime_func_t, 16);
CHECK_OFFSET(wasmtime_func_t, store_id, 0);
CHECK_OFFSET(wasmtime_func_t, __private, 8);
CHECK_SIZE(wasmtime_global_t, 24);
CHECK_OFFSET(wasmtime_global_t, store_id, 0);
CHECK_OFFSET(wasmtime_global_t, __private1, 8);
CHECK_OFFSET(wasmtime_global_t, __private2, 12);
CHECK_OFFSET(wasmtime_global_t, __private3, 16);
CHECK_SIZE(wasmtime_table_t, 24);
CHECK_OFFSET(wasmtime_table_t, store_id, 0);
CHECK_OFFSET(wasmtime_table_t, __private1, 8);
CHECK_OFFSET(wasmtime_table_t, __private2, 16);
CHECK_SIZE(wasmtime_memory_t, 24);
CHECK_OFFSET(wasmtime_memory_t, store_id, 0);
CHECK_OFFSET(wasmtime_memory_t, __private1, 8);
CHECK_OFFSET(wasmtime_memory_t, __private2, 16);
CHECK_SIZE(wasmtime_tag_t, 24);
CHECK_OFFSET(wasmtime_tag_t, store_id, 0);
CHECK_OFFSET(wasmtime_tag_t, __private2, 16);
CHECK_SIZE(wasmtime_instance_t, 16);
CHECK_OFFSET(wasmtime_instance_t, store_id, 0);
CHECK_OFFSET(wasmtime_instance_t, __private, 8);

/* ---- wasmtime_extern_t: kind byte + 24-byte union at offset 8 ---- */
CHECK_SIZE(wasmtime_extern_kind_t, 1);
CHECK_SIZE(wasmtime_extern_union_t, 24);
CHECK_SIZE(wasmtime_extern_t, 32);
CHECK_OFFSET(wasmtime_extern_t, kind, 0);
CHECK_OFFSET(wasmtime_extern_t, of, 8);
CHECK_OFFSET(wasmtime_extern_t, of.func, 8);
CHECK_OFFSET(wasmtime_extern_t, of.global, 8);
CHECK_OFFSET(wasmtime_extern_t, of.table, 8);
CHECK_OFFSET(wasmtime_extern_t, of.memory, 8);
CHECK_OFFSET(wasmtime_extern_t, of.sharedmemory, 8);
CHECK_OFFSET(wasmtime_extern_t, of.tag, 8);

CHECK_VALUE(WASMTIME_EXTERN_FUNC, 0);
CHECK_VALUE(WASMTIME_EXTERN_GLOBAL, 1);
CHECK_VALUE(WASMTIME_EXTERN_TABLE, 2);
CHECK_VALUE(WASMTIME_EXTERN_MEMORY, 3);
CHECK_VALUE(WASMTIME_EXTERN_SHAREDMEMORY, 4);
CHECK_VALUE(WASMTIME_EXTERN_TAG, 5);

/* ---- Trap codes: uint8_t, 0..49 in wasmtime's order ---- */
CHECK_SIZE(wasmtime_trap_code_t, 1);
CHECK_VALUE(WASMTIME_TRAP_CODE_STACK_OVERFLOW, 0);
CHECK_VALUE(WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS, 1);
CHECK_VALUE(WASMTIME_TRAP_CODE_HEAP_MISALIGNED, 2);
CHECK_VALUE(WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS, 3);
CHECK_VALUE(WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL, 4);
CHECK_VALUE(WASMTIME_TRAP_CODE_BAD_SIGNATURE, 5);
CHECK_VALUE(WASMTIME_TRAP_CODE_INTEGER_OVERFLOW, 6);
CHECK_VALUE(WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO, 7);
CHECK_VALUE(WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER, 8);
CHECK_VALUE(WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED, 9);
CHECK_VALUE(WASMTIME_TRAP_CODE_INTERRUPT, 10);
CHECK_VALUE(WASMTIME_TRAP_CODE_OUT_OF_FUEL, 11);
CHECK_VALUE(WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY, 12);
CHECK_VALUE(WASMTIME_TRAP_CODE_NULL_REFERENCE, 13);
CHECK_VALUE(WASMTIME_TRAP_CODE_CAST_FAILURE, 16);
CHECK_VALUE(WASMTIME_TRAP_CODE_DISABLED_OPCODE, 21);
CHECK_VALUE(WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION, 49);

/* ---- Other enums and #defines ---- */
CHECK_VALUE(WASMTIME_STRATEGY_AUTO, 0);
CHECK_VALUE(WASMTIME_STRATEGY_CRANELIFT, 1);
CHECK_VALUE(WASMTIME_STRATEGY_WINCH, 2);
CHECK_VALUE(WASMTIME_OPT_LEVEL_NONE, 0);
CHECK_VALUE(WASMTIME_OPT_LEVEL_SPEED, 1);
CHECK_VALUE(WASMTIME_OPT_LEVEL_SPEED_AND_SIZE, 2);
CHECK_VALUE(WASMTIME_PROFILING_STRATEGY_NONE, 0);
CHECK_VALUE(WASMTIME_PROFILING_STRATEGY_PERFMAP, 3);
CHECK_VALUE(WASMTIME_REGALLOC_BACKTRACKING, 0);
CHECK_VALUE(WASMTIME_REGALLOC_SINGLE_PASS, 1);
CHECK_VALUE(WASMTIME_UPDATE_DEADLINE_CONTINUE, 0);
CHECK_VALUE(WASMTIME_UPDATE_DEADLINE_YIELD, 1);
CHECK_VALUE(WASMTIME_HEAPTYPE_KIND_EXTERN, 0);
CHECK_VALUE(WASMTIME_HEAPTYPE_KIND_ANY, 5);
CHECK_VALUE(WASMTIME_HEAPTYPE_KIND_NOEXN, 15);
CHECK_VALUE(WASMTIME_VALTYPE_KIND_I32, 0);
CHECK_VALUE(WASMTIME_VALTYPE_KIND_REF, 5);
CHECK_VALUE(WASMTIME_STORAGE_TYPE_KIND_I8, 0);
CHECK_VALUE(WASMTIME_STORAGE_TYPE_KIND_I16, 1);
CHECK_VALUE(WASMTIME_STORAGE_TYPE_KIND_VALTYPE, 2);

/* ---- Structs passed by value or pointer across the ABI ---- */
CHECK_SIZE(wasmtime_storage_type_t, 16);
CHECK_OFFSET(wasmtime_storage_type_t, valtype, 8);
CHECK_SIZE(wasmtime_field_type_t, 24);
CHECK_OFFSET(wasmtime_field_type_t, storage, 8);
CHECK_SIZE(wasmtime_heaptype_t, 16);
CHECK_OFFSET(wasmtime_heaptype_t, of, 8);
CHECK_SIZE(wasmtime_reftype_t, 24);
CHECK_OFFSET(wasmtime_reftype_t, heaptype, 8);
CHECK_SIZE(wasmtime_valtype_t, 32);
CHECK_OFFSET(wasmtime_valtype_t, reftype, 8);
CHECK_SIZE(wasmtime_linear_memory_t, 32);
CHECK_SIZE(wasmtime_memory_creator_t, 24);
CHECK_SIZE(wasmtime_async_continuation_t, 24);
CHECK_SIZE(wasmtime_stack_memory_t, 24);
CHECK_SIZE(wasmtime_stack_creator_t, 24);
CHECK_SIZE(wasmtime_guestprofiler_modules_t, 16);

int main(void) {
  /* Null references are store_id == 0; the helpers are static inline, so
   * this runs without the library. */
  wasmtime_val_t v;
  v.kind = WASMTIME_FUNCREF;
  v.of.funcref.store_id = 7;
  if (wasmtime_funcref_is_null(&v.of.funcref))
    return 1;
  wasmtime_funcref_set_null(&v.of.funcref);
  if (!wasmtime_funcref_is_null(&v.of.funcref) || v.of.funcref.store_id != 0)
    return 2;

  wasmtime_externref_t e;
  e.store_id = 1;
  wasmtime_externref_set_null(&e);
  if (!wasmtime_externref_is_null(&e))
    return 3;
  wasmtime_anyref_t a;
  a.store_id = 1;
  wasmtime_anyref_set_null(&a);
  if (!wasmtime_anyref_is_null(&a))
    return 4;

  /* Array stride used by wasmtime_func_call. */
  wasmtime_val_t args[2];
  if ((char *)&args[1] - (char *)&args[0] != 32)
    return 5;

  wasm_val_t w = WASM_I32_VAL(42);
  if (w.kind != WASM_I32 || w.of.i32 != 42)
    return 6;
  return 0;
}
