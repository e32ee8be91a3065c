/**
 * \file wasmtime/table.h
 *
 * Tables (#wasmtime_table_t, defined in <wasmtime/extern.h>).
 */

#ifndef WASMTIME_TABLE_H
#define WASMTIME_TABLE_H

#include <wasm.h>
#include <wasmtime/extern.h>
#include <wasmtime/store.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Creates a table of type `ty` with every element set to `init` (borrowed)
 * and writes it to `*table`. Returns NULL or an error (type mismatch, store
 * limits, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_table_new(wasmtime_context_t *store, const wasm_tabletype_t *ty,
                   const wasmtime_val_t *init, wasmtime_table_t *table);

/** Returns the table's type (owned by the caller); NULL on allocation
 * failure or for a table of another store. */
WASM_API_EXTERN wasm_tabletype_t *
wasmtime_table_type(const wasmtime_context_t *store,
                    const wasmtime_table_t *table);

/** Reads element `index` into `*val` (owned by the caller) and returns true;
 * returns false if `index` is out of bounds. */
WASM_API_EXTERN bool wasmtime_table_get(wasmtime_context_t *store,
                                        const wasmtime_table_t *table,
                                        uint64_t index, wasmtime_val_t *val);

/** Writes `value` (borrowed) to element `index`. Returns NULL or an error
 * (index out of bounds, type mismatch, value from another store). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_table_set(wasmtime_context_t *store, const wasmtime_table_t *table,
                   uint64_t index, const wasmtime_val_t *value);

/** Current number of elements. */
WASM_API_EXTERN uint64_t wasmtime_table_size(const wasmtime_context_t *store,
                                             const wasmtime_table_t *table);

/** Grows the table by `delta` elements set to `init`, storing the previous
 * size in `*prev_size`. Returns NULL or an error (maximum or store limit
 * exceeded, out of memory), leaving the table unchanged on error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_table_grow(wasmtime_context_t *store, const wasmtime_table_t *table,
                    uint64_t delta, const wasmtime_val_t *init,
                    uint64_t *prev_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TABLE_H
