/**
 * \file wasmtime/memory.h
 *
 * Linear memories (#wasmtime_memory_t, defined in <wasmtime/extern.h>) and
 * extended memory types.
 */

#ifndef WASMTIME_MEMORY_H
#define WASMTIME_MEMORY_H

#include <wasm.h>
#include <wasmtime/error.h>
#include <wasmtime/extern.h>
#include <wasmtime/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Creates a memory type with `min` pages and, if `max_present`, at most
 * `max` pages; 64-bit indices if `is_64`; shared if `shared`; pages of
 * 2^`page_size_log2` bytes (16 for the default 64 KiB, 0 for one-byte
 * pages). On success stores the type (owned by the caller) in `*ret` and
 * returns NULL; otherwise returns an error for invalid limits or the
 * out-of-memory error.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_memorytype_new(uint64_t min, bool max_present, uint64_t max,
                        bool is_64, bool shared, uint8_t page_size_log2,
                        wasm_memorytype_t **ret);

/** Minimum size in pages. */
WASM_API_EXTERN uint64_t
wasmtime_memorytype_minimum(const wasm_memorytype_t *ty);

/** If the type has a maximum, stores it (in pages) in `*max` and returns
 * true; otherwise returns false. */
WASM_API_EXTERN bool wasmtime_memorytype_maximum(const wasm_memorytype_t *ty,
                                                 uint64_t *max);

/** Whether the memory uses 64-bit indices. */
WASM_API_EXTERN bool wasmtime_memorytype_is64(const wasm_memorytype_t *ty);

/** Whether the memory is shared. */
WASM_API_EXTERN bool wasmtime_memorytype_isshared(const wasm_memorytype_t *ty);

/** Page size in bytes. */
WASM_API_EXTERN uint64_t
wasmtime_memorytype_page_size(const wasm_memorytype_t *ty);

/** Base-2 logarithm of the page size. */
WASM_API_EXTERN uint8_t
wasmtime_memorytype_page_size_log2(const wasm_memorytype_t *ty);

/** Creates a memory of type `ty` in the store and writes it to `*ret`.
 * Returns NULL or an error (invalid type, store limits, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_memory_new(wasmtime_context_t *store, const wasm_memorytype_t *ty,
                    wasmtime_memory_t *ret);

/** Returns the memory's type (owned by the caller); NULL on allocation
 * failure or for a memory of another store. */
WASM_API_EXTERN wasm_memorytype_t *
wasmtime_memory_type(const wasmtime_context_t *store,
                     const wasmtime_memory_t *memory);

/** Base address of the memory's bytes. The pointer is invalidated by any
 * operation that may grow the memory, including calls into WebAssembly.
 * NULL for a memory of another store. */
WASM_API_EXTERN uint8_t *wasmtime_memory_data(wasmtime_context_t *store,
                                              const wasmtime_memory_t *memory);

/** Current size in bytes. */
WASM_API_EXTERN size_t
wasmtime_memory_data_size(const wasmtime_context_t *store,
                          const wasmtime_memory_t *memory);

/** Current size in pages. */
WASM_API_EXTERN uint64_t wasmtime_memory_size(const wasmtime_context_t *store,
                                              const wasmtime_memory_t *memory);

/** Grows the memory by `delta` pages, storing the previous size in pages in
 * `*prev_size`. Returns NULL or an error (maximum or store limit exceeded,
 * out of memory), leaving the memory unchanged on error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_memory_grow(wasmtime_context_t *store, const wasmtime_memory_t *memory,
                     uint64_t delta, uint64_t *prev_size);

/** Page size of the memory in bytes. */
WASM_API_EXTERN uint64_t wasmtime_memory_page_size(wasmtime_context_t *store,
                                                   const wasmtime_memory_t *memory);

/** Base-2 logarithm of the memory's page size. */
WASM_API_EXTERN uint8_t
wasmtime_memory_page_size_log2(wasmtime_context_t *store,
                               const wasmtime_memory_t *memory);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_MEMORY_H
