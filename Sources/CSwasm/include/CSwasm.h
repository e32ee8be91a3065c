// libc shims for the Swift core. Everything here is `static inline` so that it compiles into the
// Swift module in both the Embedded (shipping) and hosted (test) builds; the `Glibc` module does not
// exist in Embedded mode. Only Support/Heap.swift may call the allocation shims.
#ifndef CSWASM_H
#define CSWASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

// The public API, so the CAPI layer converts exactly the C types the headers declare.
#include <wasm.h>
#include <wasmtime/types/val.h>
#if __has_include(<swasm.h>)
#include <swasm.h>
#endif
#if __has_include(<wasi.h>)
#include <wasi.h>
#endif

#include "SwasmHandlers.h"
#include "FileMapping.h"
#include "VirtualMemory.h"
#include "AllocationPool.h"
#include "NativeStack.h"
#include "WasiPlatform.h"
#include "SwasmOpcodeTable.h"
#include "SwasmCodeCheck.h"
#include "SwasmAtomics.h"
#include "HandleRegistry.h"
#include "TypeRegistryLock.h"
#include "SwasmClock.h"

// MARK: allocation (Support/Heap.swift is the only caller of the four allocation functions)

// libc's allocator, or the embedder's once swasm_set_allocator installed one (allocator.c).
// With the embedder's, a size of 0 is asked as 1, realloc of NULL is its malloc and free of NULL
// does nothing, so the embedder never sees these cases.
void *cswasm_malloc(size_t size);
void *cswasm_calloc(size_t count, size_t size);
void *cswasm_realloc(void *ptr, size_t size);
void cswasm_free(void *ptr);

/// Whether the embedder's allocator serves the library (swasm_set_allocator). Memory the library
/// would otherwise map from the system (linear memory) must then come from `Heap` instead. The
/// answer never changes once asked.
bool cswasm_allocator_is_custom(void);

/// swasm_set_allocator: installs `allocator` unless the library has allocated already.
bool cswasm_allocator_install(const swasm_allocator_t *allocator);

// MARK: testing

/// Whether the environment asks for the collector's stress mode (`SWASM_GC_STRESS=1`, docs/gc.md).
static inline bool cswasm_gc_stress_requested(void) {
  const char *value = getenv("SWASM_GC_STRESS");
  return value != NULL && value[0] == '1';
}

// MARK: memory primitives

static inline void cswasm_memcpy(void *dst, const void *src, size_t n) { if (n) memcpy(dst, src, n); }
static inline void cswasm_memmove(void *dst, const void *src, size_t n) { if (n) memmove(dst, src, n); }
static inline void cswasm_memset(void *dst, int value, size_t n) { if (n) memset(dst, value, n); }
static inline int cswasm_memcmp(const void *a, const void *b, size_t n) { return n ? memcmp(a, b, n) : 0; }
static inline size_t cswasm_strlen(const char *s) { return strlen(s); }

// MARK: floating point without libm

// Square roots with the hardware instruction (correctly rounded, as WebAssembly requires).
static inline double cswasm_sqrt_f64(double x) {
#if defined(__x86_64__)
  __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
  return x;
#elif defined(__aarch64__)
  __asm__("fsqrt %d0, %d1" : "=w"(x) : "w"(x));
  return x;
#else
  return __builtin_sqrt(x);
#endif
}
static inline float cswasm_sqrt_f32(float x) {
#if defined(__x86_64__)
  __asm__("sqrtss %1, %0" : "=x"(x) : "x"(x));
  return x;
#elif defined(__aarch64__)
  __asm__("fsqrt %s0, %s1" : "=w"(x) : "w"(x));
  return x;
#else
  return __builtin_sqrtf(x);
#endif
}

/// Relaxed SIMD's `madd`: `a * b + c`, fused where the processor has an FMA instruction (as
/// wasmtime's generated code on it), rounded twice otherwise (relaxed_simd.c).
float cswasm_relaxed_madd_f32(float a, float b, float c);
double cswasm_relaxed_madd_f64(double a, double b, double c);

/// Truncation toward zero to int64 in one conversion instruction, without the range checks
/// Swift's initializers add. Only for |x| < 2^63 (callers check; NaN and larger values are
/// undefined here).
static inline int64_t cswasm_truncate_f32_i64(float x) { return (int64_t)x; }
static inline int64_t cswasm_truncate_f64_i64(double x) { return (int64_t)x; }

// MARK: atomics (sequentially consistent unless named otherwise)

static inline size_t cswasm_atomic_load_size(const size_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline size_t cswasm_atomic_increment_size(size_t *p) { return __atomic_add_fetch(p, 1, __ATOMIC_RELAXED); }
static inline size_t cswasm_atomic_decrement_size(size_t *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_ACQ_REL); }
static inline uint64_t cswasm_atomic_load_u64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void cswasm_atomic_store_u64(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline uint64_t cswasm_atomic_add_u64(uint64_t *p, uint64_t v) { return __atomic_add_fetch(p, v, __ATOMIC_ACQ_REL); }
static inline bool cswasm_atomic_compare_exchange_u64(uint64_t *p, uint64_t expected, uint64_t desired) {
  return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

// MARK: statically allocated objects

// The out-of-memory error: returned without allocating, and never freed.
extern char cswasm_out_of_memory_error[16];
static inline void *cswasm_out_of_memory_error_address(void) { return cswasm_out_of_memory_error; }

// The out-of-memory trap, like the out-of-memory error.
extern char cswasm_out_of_memory_trap[16];
static inline void *cswasm_out_of_memory_trap_address(void) { return cswasm_out_of_memory_trap; }

// Store identifiers: unique and never zero (zero marks a null reference in the C API).
extern uint64_t cswasm_store_id_counter;
static inline uint64_t cswasm_next_store_id(void) { return __atomic_add_fetch(&cswasm_store_id_counter, 1, __ATOMIC_RELAXED); }

// Memory-image identifiers (a pooled memory slot remembers which image it holds): `count`
// consecutive ones, never zero, never reused.
extern uint64_t cswasm_image_id_counter;
static inline uint64_t cswasm_next_image_ids(uint64_t count) {
  return __atomic_fetch_add(&cswasm_image_id_counter, count, __ATOMIC_RELAXED) + 1;
}

#endif
