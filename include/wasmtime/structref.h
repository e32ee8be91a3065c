/**
 * \file wasmtime/structref.h
 *
 * Allocation of and access to GC struct objects (#wasmtime_structref_t,
 * defined in <wasmtime/val.h>).
 */

#ifndef WASMTIME_STRUCTREF_H
#define WASMTIME_STRUCTREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/types/structref.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque allocator for structs of one type in one store, created once
 * and reused for every allocation. */
typedef struct wasmtime_struct_ref_pre wasmtime_struct_ref_pre_t;

/** Prepares allocation of structs of type `ty` in the store. Returns NULL on
 * allocation failure or if `ty` belongs to another engine. */
WASM_API_EXTERN wasmtime_struct_ref_pre_t *
wasmtime_struct_ref_pre_new(wasmtime_context_t *context,
                            const wasmtime_struct_type_t *ty);

/** Releases a struct allocator. NULL is ignored. */
WASM_API_EXTERN void
wasmtime_struct_ref_pre_delete(wasmtime_struct_ref_pre_t *pre);

/** Makes `ref` the null structref. */
static inline void wasmtime_structref_set_null(wasmtime_structref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null structref. */
static inline bool wasmtime_structref_is_null(const wasmtime_structref_t *ref) {
  return ref->store_id == 0;
}

/**
 * Allocates a struct initialised with `fields` (`nfields` values matching
 * the type) and writes a root for it into `out` (owned by the caller).
 * Returns NULL on success or an error (the out-of-memory error on
 * allocation failure), leaving `out` untouched.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_structref_new(wasmtime_context_t *context,
                       const wasmtime_struct_ref_pre_t *pre,
                       const wasmtime_val_t *fields, size_t nfields,
                       wasmtime_structref_t *out);

/** Writes a new root for the same struct into `out` (null on allocation
 * failure). */
WASM_API_EXTERN void wasmtime_structref_clone(const wasmtime_structref_t *structref,
                                              wasmtime_structref_t *out);

/** Releases the root held by `ref`. Null references are ignored. */
WASM_API_EXTERN void wasmtime_structref_unroot(wasmtime_structref_t *ref);

/** Writes a new `anyref` root for the same struct into `out`. */
WASM_API_EXTERN void
wasmtime_structref_to_anyref(const wasmtime_structref_t *structref,
                             wasmtime_anyref_t *out);

/** Writes a new `eqref` root for the same struct into `out`. */
WASM_API_EXTERN void
wasmtime_structref_to_eqref(const wasmtime_structref_t *structref,
                            wasmtime_eqref_t *out);

/** Reads field `index` into `out` (owned by the caller; packed fields are
 * zero-extended to i32). Returns NULL or an error (null reference, index out
 * of bounds, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_structref_field(wasmtime_context_t *context,
                         const wasmtime_structref_t *structref, size_t index,
                         wasmtime_val_t *out);

/** Writes `val` to field `index` (packed fields are truncated). Returns NULL
 * or an error (null reference, index out of bounds, immutable field, type
 * mismatch). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_structref_set_field(wasmtime_context_t *context,
                             const wasmtime_structref_t *structref,
                             size_t index, const wasmtime_val_t *val);

/** Returns the struct's type (owned by the caller); NULL for a null or
 * foreign reference or on allocation failure. */
WASM_API_EXTERN wasmtime_struct_type_t *
wasmtime_structref_type(wasmtime_context_t *context,
                        const wasmtime_structref_t *structref);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_STRUCTREF_H
