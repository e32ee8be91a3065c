/**
 * \file wasmtime/store.h
 *
 * Stores (#wasmtime_store_t) and their contexts (#wasmtime_context_t).
 */

#ifndef WASMTIME_STORE_H
#define WASMTIME_STORE_H

#include <wasi.h>
#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An opaque store: the owner of all runtime objects (instances, functions,
 * memories, GC objects, ...) created in it, which are freed together when the
 * store is deleted. Objects of one store cannot be used with another. A
 * store may move between threads but must not be used by two at once.
 */
typedef struct wasmtime_store wasmtime_store_t;

/**
 * A context: the pointer through which functions access a store. It is
 * obtained from #wasmtime_store_context (or wasmtime_caller_context() inside
 * a host function), stays the same for the store's whole lifetime, and must
 * not be used after the store is deleted. A `const wasmtime_context_t *`
 * parameter means the call only reads the store.
 */
typedef struct wasmtime_context wasmtime_context_t;

/**
 * Creates a store in `engine` (which must outlive it), carrying the user
 * pointer `data`; `finalizer` (may be NULL) is called on `data` when the
 * store is deleted. Returns NULL on allocation failure, in which case the
 * finalizer is called immediately.
 */
WASM_API_EXTERN wasmtime_store_t *wasmtime_store_new(wasm_engine_t *engine,
                                                     void *data,
                                                     void (*finalizer)(void *));

/** Returns the store's context. */
WASM_API_EXTERN wasmtime_context_t *
wasmtime_store_context(wasmtime_store_t *store);

/**
 * Limits resources that can be created in the store from now on: bytes per
 * linear memory, elements per table, and the numbers of instances, tables
 * and memories. A negative value keeps that limit's default (unlimited for
 * the first two, 10000 for the counts). Growth or instantiation exceeding a
 * limit fails.
 */
WASM_API_EXTERN void wasmtime_store_limiter(wasmtime_store_t *store,
                                            int64_t memory_size,
                                            int64_t table_elements,
                                            int64_t instances, int64_t tables,
                                            int64_t memories);

/** Deletes a store, everything it owns, and runs the finalizers. NULL is
 * ignored. */
WASM_API_EXTERN void wasmtime_store_delete(wasmtime_store_t *store);

/** Returns the user pointer given to #wasmtime_store_new (or the last
 * #wasmtime_context_set_data). */
WASM_API_EXTERN void *
wasmtime_context_get_data(const wasmtime_context_t *context);

/** Replaces the user pointer. The finalizer given at creation is still the
 * one called at deletion, on the current pointer. */
WASM_API_EXTERN void wasmtime_context_set_data(wasmtime_context_t *context,
                                               void *data);

#ifdef WASMTIME_FEATURE_GC

/** Runs a garbage collection in the store, finalizing unreachable
 * externrefs. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_gc(wasmtime_context_t *context);

#endif // WASMTIME_FEATURE_GC

/**
 * Sets the store's remaining fuel. Fuel must be enabled with
 * wasmtime_config_consume_fuel_set(), otherwise an error is returned. A
 * store starts with no fuel; running out traps with
 * WASMTIME_TRAP_CODE_OUT_OF_FUEL.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_set_fuel(wasmtime_context_t *store, uint64_t fuel);

/** Stores the remaining fuel in `*fuel`. Returns an error if fuel is not
 * enabled. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_get_fuel(const wasmtime_context_t *context, uint64_t *fuel);

#ifdef WASMTIME_FEATURE_WASI

/**
 * Installs the WASI state described by `wasi`, taking ownership of `wasi`
 * in every case (also when an error is returned). Needed by modules linked
 * with wasmtime_linker_define_wasi().
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_set_wasi(wasmtime_context_t *context, wasi_config_t *wasi);

#endif // WASMTIME_FEATURE_WASI

/**
 * Sets the store's epoch deadline to `ticks_beyond_current` increments of
 * the engine epoch from now. Past the deadline, running WebAssembly traps
 * with WASMTIME_TRAP_CODE_INTERRUPT, or calls the callback installed with
 * #wasmtime_store_epoch_deadline_callback. Requires
 * wasmtime_config_epoch_interruption_set().
 */
WASM_API_EXTERN void
wasmtime_context_set_epoch_deadline(wasmtime_context_t *context,
                                    uint64_t ticks_beyond_current);

/** What to do once an epoch-deadline callback returns: one of the
 * WASMTIME_UPDATE_DEADLINE_* values. */
typedef uint8_t wasmtime_update_deadline_kind_t;
/** Extend the deadline and keep running. */
#define WASMTIME_UPDATE_DEADLINE_CONTINUE 0
/** Extend the deadline and yield to the async caller first. */
#define WASMTIME_UPDATE_DEADLINE_YIELD 1

/**
 * Installs a callback run when WebAssembly in this store reaches its epoch
 * deadline. The callback either returns an error (which aborts the running
 * call and is reported to its caller), or sets `*epoch_deadline_delta` to
 * the number of further ticks allowed, sets `*update_kind`, and returns
 * NULL. `finalizer` (may be NULL) is called on `data` when the callback is
 * replaced or the store deleted.
 */
WASM_API_EXTERN void wasmtime_store_epoch_deadline_callback(
    wasmtime_store_t *store,
    wasmtime_error_t *(*func)(wasmtime_context_t *context, void *data,
                              uint64_t *epoch_deadline_delta,
                              wasmtime_update_deadline_kind_t *update_kind),
    void *data, void (*finalizer)(void *));

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_STORE_H
