/**
 * \file wasmtime/anyref.h
 *
 * Operations on `anyref` values (#wasmtime_anyref_t, defined in
 * <wasmtime/val.h>).
 *
 * Functions taking a context fail (return false / 0 / leave `out` null)
 * when the reference does not belong to that context's store.
 */

#ifndef WASMTIME_ANYREF_H
#define WASMTIME_ANYREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes `ref` the null anyref. */
static inline void wasmtime_anyref_set_null(wasmtime_anyref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null anyref. */
static inline bool wasmtime_anyref_is_null(const wasmtime_anyref_t *ref) {
  return ref->store_id == 0;
}

/** Writes a new root for the object `anyref` refers to into `out` (owned by
 * the caller). On allocation failure `out` is null. */
WASM_API_EXTERN void wasmtime_anyref_clone(const wasmtime_anyref_t *anyref,
                                           wasmtime_anyref_t *out);

/** Releases the root held by `ref`, letting the object be collected. `*ref`
 * must not be used afterwards. Null references are ignored. */
WASM_API_EXTERN void wasmtime_anyref_unroot(wasmtime_anyref_t *ref);

/** Converts the raw value `raw` (from a #wasmtime_val_raw_t) into a rooted
 * reference in `out` (owned by the caller; null for 0 or on failure). */
WASM_API_EXTERN void wasmtime_anyref_from_raw(wasmtime_context_t *context,
                                              uint32_t raw,
                                              wasmtime_anyref_t *out);

/** Returns the raw form of `ref` for a #wasmtime_val_raw_t (0 for null).
 * The raw value is not a root: no collection may happen before it reaches
 * WebAssembly. */
WASM_API_EXTERN uint32_t wasmtime_anyref_to_raw(wasmtime_context_t *context,
                                                const wasmtime_anyref_t *ref);

/** Writes an `i31ref` holding the low 31 bits of `i31val` into `out`. */
WASM_API_EXTERN void wasmtime_anyref_from_i31(wasmtime_context_t *context,
                                              uint32_t i31val,
                                              wasmtime_anyref_t *out);

/** Returns whether `anyref` is an `i31ref`. */
WASM_API_EXTERN bool wasmtime_anyref_is_i31(wasmtime_context_t *context,
                                            const wasmtime_anyref_t *anyref);

/** If `anyref` is an `i31ref`, stores its value zero-extended in `*dst` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_anyref_i31_get_u(wasmtime_context_t *context,
                                               const wasmtime_anyref_t *anyref,
                                               uint32_t *dst);

/** If `anyref` is an `i31ref`, stores its value sign-extended in `*dst` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_anyref_i31_get_s(wasmtime_context_t *context,
                                               const wasmtime_anyref_t *anyref,
                                               int32_t *dst);

/** Returns whether `anyref` is an `eqref`. */
WASM_API_EXTERN bool wasmtime_anyref_is_eqref(wasmtime_context_t *context,
                                              const wasmtime_anyref_t *anyref);

/** If `anyref` is an `eqref`, writes a new root for it into `out` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_anyref_as_eqref(wasmtime_context_t *context,
                                              const wasmtime_anyref_t *anyref,
                                              wasmtime_eqref_t *out);

/** Returns whether `anyref` is a `structref`. */
WASM_API_EXTERN bool wasmtime_anyref_is_struct(wasmtime_context_t *context,
                                               const wasmtime_anyref_t *anyref);

/** If `anyref` is a `structref`, writes a new root for it into `out` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_anyref_as_struct(wasmtime_context_t *context,
                                               const wasmtime_anyref_t *anyref,
                                               wasmtime_structref_t *out);

/** Returns whether `anyref` is an `arrayref`. */
WASM_API_EXTERN bool wasmtime_anyref_is_array(wasmtime_context_t *context,
                                              const wasmtime_anyref_t *anyref);

/** If `anyref` is an `arrayref`, writes a new root for it into `out` and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_anyref_as_array(wasmtime_context_t *context,
                                              const wasmtime_anyref_t *anyref,
                                              wasmtime_arrayref_t *out);

/** Writes the dynamic heap type of the referenced object into `out` (owned
 * by the caller) and returns true; returns false for a null reference, a
 * foreign reference, or on allocation failure. */
WASM_API_EXTERN bool wasmtime_anyref_type(wasmtime_context_t *context,
                                          const wasmtime_anyref_t *anyref,
                                          wasmtime_heaptype_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_ANYREF_H
