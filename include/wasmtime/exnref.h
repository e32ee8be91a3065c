/**
 * \file wasmtime/exnref.h
 *
 * Exception objects (#wasmtime_exnref_t, defined in <wasmtime/val.h>) and
 * throwing/catching them across the host boundary.
 */

#ifndef WASMTIME_EXNREF_H
#define WASMTIME_EXNREF_H

#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_GC

#include <wasmtime/tag.h>
#include <wasmtime/types/exnref.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocates an exception with tag `tag` and payload `fields` (`nfields`
 * values matching the tag's signature) and writes a root for it into
 * `exn_ret` (owned by the caller; release with #wasmtime_exnref_unroot).
 * Returns NULL on success or an error (the out-of-memory error on allocation
 * failure).
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_exnref_new(wasmtime_context_t *store, const wasmtime_tag_t *tag,
                    const wasmtime_val_t *fields, size_t nfields,
                    wasmtime_exnref_t *exn_ret);

/** Makes `ref` the null exnref. */
static inline void wasmtime_exnref_set_null(wasmtime_exnref_t *ref) {
  ref->store_id = 0;
}

/** Returns whether `ref` is the null exnref. */
static inline bool wasmtime_exnref_is_null(const wasmtime_exnref_t *ref) {
  return ref->store_id == 0;
}

/** Writes a new root for the same exception into `out` (null on allocation
 * failure). */
WASM_API_EXTERN void wasmtime_exnref_clone(const wasmtime_exnref_t *ref,
                                           wasmtime_exnref_t *out);

/** Releases the root held by `ref`. Null references are ignored. */
WASM_API_EXTERN void wasmtime_exnref_unroot(wasmtime_exnref_t *ref);

/** Converts the raw value `raw` (from a #wasmtime_val_raw_t) into a rooted
 * reference in `out` (null for 0 or on failure). */
WASM_API_EXTERN void wasmtime_exnref_from_raw(wasmtime_context_t *context,
                                              uint32_t raw,
                                              wasmtime_exnref_t *out);

/** Returns the raw form of `ref` for a #wasmtime_val_raw_t (0 for null).
 * The raw value is not a root: no collection may happen before it reaches
 * WebAssembly. */
WASM_API_EXTERN uint32_t wasmtime_exnref_to_raw(wasmtime_context_t *context,
                                                const wasmtime_exnref_t *ref);

/** Writes the exception's tag into `*tag_ret`. Returns NULL or an error (null
 * or foreign reference). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_exnref_tag(wasmtime_context_t *store, const wasmtime_exnref_t *exn,
                    wasmtime_tag_t *tag_ret);

/** Returns the number of payload fields (0 for a null or foreign
 * reference). */
WASM_API_EXTERN size_t wasmtime_exnref_field_count(wasmtime_context_t *store,
                                                   const wasmtime_exnref_t *exn);

/** Reads payload field `index` into `val_ret` (owned by the caller).
 * Returns NULL or an error (index out of bounds, null reference, out of
 * memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_exnref_field(wasmtime_context_t *store, const wasmtime_exnref_t *exn,
                      size_t index, wasmtime_val_t *val_ret);

/**
 * Makes `exn` the store's pending exception and returns a trap (owned by
 * the caller) that a host function must return to throw it into
 * WebAssembly. `*exn` is not consumed. Returns NULL if `exn` is null or
 * foreign; on allocation failure returns the out-of-memory trap.
 */
WASM_API_EXTERN wasm_trap_t *
wasmtime_context_set_exception(wasmtime_context_t *store,
                               const wasmtime_exnref_t *exn);

/** If an exception is pending (e.g. one that escaped a call), removes it from
 * the store, writes a root for it into `exn_ret` (owned by the caller) and
 * returns true; otherwise returns false. */
WASM_API_EXTERN bool
wasmtime_context_take_exception(wasmtime_context_t *store,
                                wasmtime_exnref_t *exn_ret);

/** Returns whether an exception is pending in the store. */
WASM_API_EXTERN bool wasmtime_context_has_exception(wasmtime_context_t *store);

/** Returns the exception's type (owned by the caller); NULL for a null or
 * foreign reference or on allocation failure. */
WASM_API_EXTERN wasmtime_exn_type_t *
wasmtime_exnref_type(wasmtime_context_t *context,
                     const wasmtime_exnref_t *exnref);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_GC

#endif // WASMTIME_EXNREF_H
