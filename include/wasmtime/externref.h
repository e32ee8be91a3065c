/**
 * \file wasmtime/externref.h
 *
 * Operations on `externref` values (#wasmtime_externref_t, defined in
 * <wasmtime/val.h>): opaque host pointers passed through WebAssembly.
 */

#ifndef WASMTIME_EXTERNREF_H
#define WASMTIME_EXTERNREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes `ref` the null externref. */
static inline void wasmtime_externref_set_null(wasmtime_externref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null externref. */
static inline bool wasmtime_externref_is_null(const wasmtime_externref_t *ref) {
  return ref->store_id == 0;
}

/**
 * Creates an externref wrapping the host pointer `data` and writes a root for
 * it into `out` (owned by the caller). `finalizer` (may be NULL) is called on
 * `data` once the object is unreachable and collected, or when the store is
 * deleted. Returns false on allocation failure, in which case `out` is null
 * and the finalizer has already been called.
 */
WASM_API_EXTERN bool wasmtime_externref_new(wasmtime_context_t *context,
                                            void *data,
                                            void (*finalizer)(void *),
                                            wasmtime_externref_t *out);

/** Returns the host pointer wrapped by `data` (NULL for a null or foreign
 * reference). */
WASM_API_EXTERN void *wasmtime_externref_data(wasmtime_context_t *context,
                                              const wasmtime_externref_t *data);

/** Writes a new root for the same object into `out` (null on allocation
 * failure). */
WASM_API_EXTERN void wasmtime_externref_clone(const wasmtime_externref_t *ref,
                                              wasmtime_externref_t *out);

/** Releases the root held by `ref`. Null references are ignored. */
WASM_API_EXTERN void wasmtime_externref_unroot(wasmtime_externref_t *ref);

/** Converts the raw value `raw` (from a #wasmtime_val_raw_t) into a rooted
 * reference in `out` (null for 0 or on failure). */
WASM_API_EXTERN void wasmtime_externref_from_raw(wasmtime_context_t *context,
                                                 uint32_t raw,
                                                 wasmtime_externref_t *out);

/** Returns the raw form of `ref` for a #wasmtime_val_raw_t (0 for null).
 * The raw value is not a root: no collection may happen before it reaches
 * WebAssembly. */
WASM_API_EXTERN uint32_t
wasmtime_externref_to_raw(wasmtime_context_t *context,
                          const wasmtime_externref_t *ref);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_EXTERNREF_H
