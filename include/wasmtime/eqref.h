/**
 * \file wasmtime/eqref.h
 *
 * Operations on `eqref` values (#wasmtime_eqref_t, defined in
 * <wasmtime/val.h>): references that can be compared for identity, i.e.
 * `i31ref`, `structref` and `arrayref`.
 */

#ifndef WASMTIME_EQREF_H
#define WASMTIME_EQREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes `ref` the null eqref. */
static inline void wasmtime_eqref_set_null(wasmtime_eqref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null eqref. */
static inline bool wasmtime_eqref_is_null(const wasmtime_eqref_t *ref) {
  return ref->store_id == 0;
}

/** Writes a new root for the same object into `out` (owned by the caller;
 * null on allocation failure). */
WASM_API_EXTERN void wasmtime_eqref_clone(const wasmtime_eqref_t *eqref,
                                          wasmtime_eqref_t *out);

/** Releases the root held by `ref`. Null references are ignored. */
WASM_API_EXTERN void wasmtime_eqref_unroot(wasmtime_eqref_t *ref);

/** Writes a new `anyref` root for the same object into `out`. */
WASM_API_EXTERN void wasmtime_eqref_to_anyref(const wasmtime_eqref_t *eqref,
                                              wasmtime_anyref_t *out);

/** Writes an `i31ref` holding the low 31 bits of `i31val` into `out`. */
WASM_API_EXTERN void wasmtime_eqref_from_i31(wasmtime_context_t *context,
                                             uint32_t i31val,
                                             wasmtime_eqref_t *out);

/** Returns whether `eqref` is an `i31ref`. */
WASM_API_EXTERN bool wasmtime_eqref_is_i31(wasmtime_context_t *context,
                                           const wasmtime_eqref_t *eqref);

/** If `eqref` is an `i31ref`, stores its value zero-extended in `*dst` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_eqref_i31_get_u(wasmtime_context_t *context,
                                              const wasmtime_eqref_t *eqref,
                                              uint32_t *dst);

/** If `eqref` is an `i31ref`, stores its value sign-extended in `*dst` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_eqref_i31_get_s(wasmtime_context_t *context,
                                              const wasmtime_eqref_t *eqref,
                                              int32_t *dst);

/** Returns whether `eqref` is an `arrayref`. */
WASM_API_EXTERN bool wasmtime_eqref_is_array(wasmtime_context_t *context,
                                             const wasmtime_eqref_t *eqref);

/** If `eqref` is an `arrayref`, writes a new root for it into `out` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_eqref_as_array(wasmtime_context_t *context,
                                             const wasmtime_eqref_t *eqref,
                                             wasmtime_arrayref_t *out);

/** Returns whether `eqref` is a `structref`. */
WASM_API_EXTERN bool wasmtime_eqref_is_struct(wasmtime_context_t *context,
                                              const wasmtime_eqref_t *eqref);

/** If `eqref` is a `structref`, writes a new root for it into `out` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_eqref_as_struct(wasmtime_context_t *context,
                                              const wasmtime_eqref_t *eqref,
                                              wasmtime_structref_t *out);

/** Writes the dynamic heap type of the referenced object into `out` (owned
 * by the caller) and returns true; false for null, a foreign reference, or
 * on allocation failure. */
WASM_API_EXTERN bool wasmtime_eqref_type(wasmtime_context_t *context,
                                         const wasmtime_eqref_t *eqref,
                                         wasmtime_heaptype_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_EQREF_H
