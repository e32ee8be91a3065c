/**
 * \file wasmtime/arrayref.h
 *
 * Allocation of and access to GC array objects (#wasmtime_arrayref_t,
 * defined in <wasmtime/val.h>).
 */

#ifndef WASMTIME_ARRAYREF_H
#define WASMTIME_ARRAYREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/types/arrayref.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque allocator for arrays of one type in one store, created once and
 * reused for every allocation. */
typedef struct wasmtime_array_ref_pre wasmtime_array_ref_pre_t;

/** Prepares allocation of arrays of type `ty` in the store. Returns NULL on
 * allocation failure or if `ty` belongs to another engine. */
WASM_API_EXTERN wasmtime_array_ref_pre_t *
wasmtime_array_ref_pre_new(wasmtime_context_t *context,
                           const wasmtime_array_type_t *ty);

/** Releases an array allocator. NULL is ignored. */
WASM_API_EXTERN void wasmtime_array_ref_pre_delete(wasmtime_array_ref_pre_t *pre);

/** Makes `ref` the null arrayref. */
static inline void wasmtime_arrayref_set_null(wasmtime_arrayref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null arrayref. */
static inline bool wasmtime_arrayref_is_null(const wasmtime_arrayref_t *ref) {
  return ref->store_id == 0;
}

/**
 * Allocates an array of `len` elements, each a copy of `*elem`, and writes a
 * root for it into `out` (owned by the caller). Returns NULL on success or an
 * error (the out-of-memory error on allocation failure), leaving `out`
 * untouched.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_arrayref_new(wasmtime_context_t *context,
                      const wasmtime_array_ref_pre_t *pre,
                      const wasmtime_val_t *elem, uint32_t len,
                      wasmtime_arrayref_t *out);

/** Writes a new root for the same array into `out` (null on allocation
 * failure). */
WASM_API_EXTERN void wasmtime_arrayref_clone(const wasmtime_arrayref_t *arrayref,
                                             wasmtime_arrayref_t *out);

/** Releases the root held by `ref`. Null references are ignored. */
WASM_API_EXTERN void wasmtime_arrayref_unroot(wasmtime_arrayref_t *ref);

/** Writes a new `anyref` root for the same array into `out`. */
WASM_API_EXTERN void
wasmtime_arrayref_to_anyref(const wasmtime_arrayref_t *arrayref,
                            wasmtime_anyref_t *out);

/** Writes a new `eqref` root for the same array into `out`. */
WASM_API_EXTERN void
wasmtime_arrayref_to_eqref(const wasmtime_arrayref_t *arrayref,
                           wasmtime_eqref_t *out);

/** Stores the array's length in `*out`. Returns NULL or an error (null or
 * foreign reference). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_arrayref_len(wasmtime_context_t *context,
                      const wasmtime_arrayref_t *arrayref, uint32_t *out);

/** Reads element `index` into `out` (owned by the caller; packed elements
 * are zero-extended to i32). Returns NULL or an error (null reference, index
 * out of bounds, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_arrayref_get(wasmtime_context_t *context,
                      const wasmtime_arrayref_t *arrayref, uint32_t index,
                      wasmtime_val_t *out);

/** Writes `val` to element `index` (packed elements are truncated). Returns
 * NULL or an error (null reference, index out of bounds, immutable array,
 * type mismatch). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_arrayref_set(wasmtime_context_t *context,
                      const wasmtime_arrayref_t *arrayref, uint32_t index,
                      const wasmtime_val_t *val);

/** Returns the array's type (owned by the caller); NULL for a null or
 * foreign reference or on allocation failure. */
WASM_API_EXTERN wasmtime_array_type_t *
wasmtime_arrayref_type(wasmtime_context_t *context,
                       const wasmtime_arrayref_t *arrayref);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_ARRAYREF_H
