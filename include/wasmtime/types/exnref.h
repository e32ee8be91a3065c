/**
 * \file wasmtime/types/exnref.h
 *
 * Exception object types (exception-handling proposal).
 */

#ifndef WASMTIME_TYPES_EXNREF_H
#define WASMTIME_TYPES_EXNREF_H

#include <wasm.h>
#include <wasmtime/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque, owned exception type: the payload signature of a tag. */
typedef struct wasmtime_exn_type wasmtime_exn_type_t;

/**
 * Creates an exception type whose payload has the value types `params`
 * (copied). On success stores the new type in `*out` and returns NULL;
 * otherwise returns an error (the out-of-memory error on allocation failure)
 * and leaves `*out` untouched.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_exn_type_new(const wasm_engine_t *engine,
                      const wasm_valtype_vec_t *params,
                      wasmtime_exn_type_t **out);

/** Releases an exception type. NULL is ignored. */
WASM_API_EXTERN void wasmtime_exn_type_delete(wasmtime_exn_type_t *ty);

/** Returns a new handle to the same exception type; NULL on failure. */
WASM_API_EXTERN wasmtime_exn_type_t *
wasmtime_exn_type_copy(const wasmtime_exn_type_t *ty);

/** Returns the tag type (owned by the caller) whose payload this exception
 * type describes; NULL on allocation failure. */
WASM_API_EXTERN wasm_tagtype_t *
wasmtime_exn_type_tag_type(const wasmtime_exn_type_t *ty);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TYPES_EXNREF_H
