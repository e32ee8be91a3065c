/**
 * \file wasmtime/func.h
 *
 * Functions (#wasmtime_func_t): creating host functions and calling
 * functions.
 */

#ifndef WASMTIME_FUNC_H
#define WASMTIME_FUNC_H

#include <wasm.h>
#include <wasmtime/error.h>
#include <wasmtime/extern.h>
#include <wasmtime/store.h>
#include <wasmtime/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque view of the caller of a host function, valid only during that
 * call. */
typedef struct wasmtime_caller wasmtime_caller_t;

/**
 * A host function implementation. `args` holds `nargs` borrowed arguments;
 * the callback writes `nresults` results into `results` (any GC references
 * written there become owned by the runtime). It returns NULL on success or
 * an owned trap. wasmtime_func_call() reports a trap made with
 * wasmtime_trap_new_code() as a trap with that code and one made with
 * wasmtime_trap_new() as an error.
 */
typedef wasm_trap_t *(*wasmtime_func_callback_t)(
    void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
    size_t nargs, wasmtime_val_t *results, size_t nresults);

/**
 * Creates a host function of type `type` (copied) in the store and writes it
 * to `*ret`. `finalizer` (may be NULL) is called on `env` when the store is
 * deleted. On allocation failure `*ret` is the null funcref (store_id 0) and
 * the finalizer has been called.
 */
WASM_API_EXTERN void wasmtime_func_new(wasmtime_context_t *store,
                                       const wasm_functype_t *type,
                                       wasmtime_func_callback_t callback,
                                       void *env, void (*finalizer)(void *),
                                       wasmtime_func_t *ret);

/**
 * A host function implementation working on raw values: on entry the first
 * parameter-count slots of `args_and_results` hold the arguments; on return
 * the first result-count slots must hold the results. The array has
 * `num_args_and_results` = max(params, results) slots. Returns NULL or an
 * owned trap, as for #wasmtime_func_callback_t.
 */
typedef wasm_trap_t *(*wasmtime_func_unchecked_callback_t)(
    void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *args_and_results,
    size_t num_args_and_results);

/** Like #wasmtime_func_new with a raw-value callback. */
WASM_API_EXTERN void wasmtime_func_new_unchecked(
    wasmtime_context_t *store, const wasm_functype_t *type,
    wasmtime_func_unchecked_callback_t callback, void *env,
    void (*finalizer)(void *), wasmtime_func_t *ret);

/** Returns the function's type (owned by the caller); NULL on allocation
 * failure or if `func` is not from this store. */
WASM_API_EXTERN wasm_functype_t *
wasmtime_func_type(const wasmtime_context_t *store, const wasmtime_func_t *func);

/**
 * Calls `func` with the `nargs` values in `args`, writing `nresults` results
 * into `results` (owned by the caller on success).
 *
 * Returns NULL with `*trap` NULL on success. If the function traps (including
 * a trap returned by a host function with wasmtime_trap_new_code()), returns
 * NULL and stores an owned trap in `*trap`. Other failures — argument count or
 * type mismatch, a value from another store, an error returned by a host
 * function or created with wasmtime_trap_new() — are returned as an owned
 * error. Out of memory is reported as the out-of-memory error or trap.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_func_call(wasmtime_context_t *store, const wasmtime_func_t *func,
                   const wasmtime_val_t *args, size_t nargs,
                   wasmtime_val_t *results, size_t nresults, wasm_trap_t **trap);

/**
 * Calls `func` with raw values: the arguments are read from and the results
 * written to `args_and_results`, which must have at least max(params,
 * results) slots (`args_and_results_len`). Types are not checked. Failure is
 * reported as for #wasmtime_func_call.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_func_call_unchecked(wasmtime_context_t *store,
                             const wasmtime_func_t *func,
                             wasmtime_val_raw_t *args_and_results,
                             size_t args_and_results_len, wasm_trap_t **trap);

/**
 * Looks up the export `name` (`name_len` bytes) of the instance that called
 * the running host function. Returns true and fills `*item` (owned by the
 * caller, see wasmtime_extern_delete()) if found; false otherwise.
 */
WASM_API_EXTERN bool wasmtime_caller_export_get(wasmtime_caller_t *caller,
                                                const char *name,
                                                size_t name_len,
                                                wasmtime_extern_t *item);

/** Returns the context of the store the host function runs in, valid for
 * the duration of the call. */
WASM_API_EXTERN wasmtime_context_t *
wasmtime_caller_context(wasmtime_caller_t *caller);

/** Converts a raw funcref (from a #wasmtime_val_raw_t) into `*ret` (the null
 * funcref for NULL). */
WASM_API_EXTERN void wasmtime_func_from_raw(wasmtime_context_t *context,
                                            void *raw, wasmtime_func_t *ret);

/** Returns the raw form of `func` for a #wasmtime_val_raw_t. */
WASM_API_EXTERN void *wasmtime_func_to_raw(wasmtime_context_t *context,
                                           const wasmtime_func_t *func);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FUNC_H
