/**
 * \file wasmtime/tag.h
 *
 * Exception tags (#wasmtime_tag_t).
 */

#ifndef WASMTIME_TAG_H
#define WASMTIME_TAG_H

#include <wasm.h>
#include <wasmtime/error.h>
#include <wasmtime/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A tag owned by a store (24 bytes). The value is a plain handle: it needs
 * no deletion, may be copied freely, and is only meaningful with the store
 * that created it.
 */
typedef struct wasmtime_tag {
  struct {
    /** Identifier of the owning store; never zero for a valid tag. */
    uint64_t store_id;
    /** Private to the implementation. */
    uint32_t __private1;
  };
  /** Private to the implementation. */
  uint32_t __private2;
} wasmtime_tag_t;

/** #wasmtime_extern_kind_t value of a tag. */
#define WASMTIME_EXTERN_TAG 5

/** Creates a host tag of type `tt` in the store, written to `*ret`. Returns
 * NULL on success or an error (the out-of-memory error on allocation
 * failure). */
WASM_API_EXTERN wasmtime_error_t *wasmtime_tag_new(wasmtime_context_t *store,
                                                   const wasm_tagtype_t *tt,
                                                   wasmtime_tag_t *ret);

/** Returns the tag's type, owned by the caller; NULL on allocation
 * failure. */
WASM_API_EXTERN wasm_tagtype_t *
wasmtime_tag_type(const wasmtime_context_t *store, const wasmtime_tag_t *tag);

/** Returns whether `a` and `b` denote the same tag definition. */
WASM_API_EXTERN bool wasmtime_tag_eq(const wasmtime_context_t *store,
                                     const wasmtime_tag_t *a,
                                     const wasmtime_tag_t *b);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TAG_H
