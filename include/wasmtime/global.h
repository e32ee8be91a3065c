/**
 * \file wasmtime/global.h
 *
 * Globals (#wasmtime_global_t, defined in <wasmtime/extern.h>).
 */

#ifndef WASMTIME_GLOBAL_H
#define WASMTIME_GLOBAL_H

#include <wasm.h>
#include <wasmtime/extern.h>
#include <wasmtime/store.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Creates a global of type `type` initialised to `val` (borrowed) and
 * writes it to `*ret`. Returns NULL or an error (type mismatch, value from
 * another store, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_global_new(wasmtime_context_t *store, const wasm_globaltype_t *type,
                    const wasmtime_val_t *val, wasmtime_global_t *ret);

/** Returns the global's type (owned by the caller); NULL on allocation
 * failure or for a global of another store. */
WASM_API_EXTERN wasm_globaltype_t *
wasmtime_global_type(const wasmtime_context_t *store,
                     const wasmtime_global_t *global);

/** Reads the global's value into `*out` (owned by the caller: release GC
 * references with wasmtime_val_unroot()). */
WASM_API_EXTERN void wasmtime_global_get(wasmtime_context_t *store,
                                         const wasmtime_global_t *global,
                                         wasmtime_val_t *out);

/** Writes `val` (borrowed) to the global. Returns NULL or an error
 * (immutable global, type mismatch, value from another store). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_global_set(wasmtime_context_t *store, const wasmtime_global_t *global,
                    const wasmtime_val_t *val);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_GLOBAL_H
