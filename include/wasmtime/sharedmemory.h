/**
 * \file wasmtime/sharedmemory.h
 *
 * Shared linear memories (threads proposal), which live in an engine rather
 * than a store and may be used from several threads.
 */

#ifndef WASMTIME_SHAREDMEMORY_H
#define WASMTIME_SHAREDMEMORY_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque, owned handle to a shared memory. */
typedef struct wasmtime_sharedmemory wasmtime_sharedmemory_t;

#ifdef WASMTIME_FEATURE_THREADS

/**
 * Creates a shared memory of type `ty` (which must be shared and have a
 * maximum). On success stores it in `*ret` and returns NULL; otherwise
 * returns an error (the out-of-memory error on allocation failure).
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_sharedmemory_new(const wasm_engine_t *engine,
                          const wasm_memorytype_t *ty,
                          wasmtime_sharedmemory_t **ret);

#endif // WASMTIME_FEATURE_THREADS

/** Releases this handle; the memory lives while other handles or instances
 * use it. NULL is ignored. */
WASM_API_EXTERN void wasmtime_sharedmemory_delete(wasmtime_sharedmemory_t *memory);

/** Returns a new handle to the same memory; NULL on allocation failure. */
WASM_API_EXTERN wasmtime_sharedmemory_t *
wasmtime_sharedmemory_clone(const wasmtime_sharedmemory_t *memory);

/** Returns the memory's type (owned by the caller); NULL on failure. */
WASM_API_EXTERN wasm_memorytype_t *
wasmtime_sharedmemory_type(const wasmtime_sharedmemory_t *memory);

/** Base address of the memory. Shared memories never move, so the pointer
 * stays valid while the memory lives. */
WASM_API_EXTERN uint8_t *
wasmtime_sharedmemory_data(const wasmtime_sharedmemory_t *memory);

/** Current size in bytes. */
WASM_API_EXTERN size_t
wasmtime_sharedmemory_data_size(const wasmtime_sharedmemory_t *memory);

/** Current size in pages. */
WASM_API_EXTERN uint64_t
wasmtime_sharedmemory_size(const wasmtime_sharedmemory_t *memory);

/** Grows the memory by `delta` pages, storing the previous size in pages in
 * `*prev_size`. Returns NULL on success or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_sharedmemory_grow(const wasmtime_sharedmemory_t *memory,
                           uint64_t delta, uint64_t *prev_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_SHAREDMEMORY_H
