/**
 * \file wasmtime/types/arrayref.h
 *
 * Array types of the WebAssembly GC proposal.
 */

#ifndef WASMTIME_TYPES_ARRAYREF_H
#define WASMTIME_TYPES_ARRAYREF_H

#include <wasm.h>
#include <wasmtime/types/structref.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque, owned array type registered with an engine. */
typedef struct wasmtime_array_type wasmtime_array_type_t;

/**
 * Creates an array type in `engine` whose elements have type `field`
 * (copied). Returns NULL on allocation failure or an invalid argument.
 */
WASM_API_EXTERN wasmtime_array_type_t *
wasmtime_array_type_new(const wasm_engine_t *engine,
                        const wasmtime_field_type_t *field);

/** Returns a new handle to the same array type; NULL on failure. */
WASM_API_EXTERN wasmtime_array_type_t *
wasmtime_array_type_copy(const wasmtime_array_type_t *ty);

/** Releases an array type handle. NULL is ignored. */
WASM_API_EXTERN void wasmtime_array_type_delete(wasmtime_array_type_t *ty);

/** Copies the element type into `out` (owned by the caller). */
WASM_API_EXTERN void
wasmtime_array_type_element(const wasmtime_array_type_t *ty,
                            wasmtime_field_type_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TYPES_ARRAYREF_H
