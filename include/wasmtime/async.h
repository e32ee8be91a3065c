/**
 * \file wasmtime/async.h
 *
 * Asynchronous execution: WebAssembly that can suspend (on fuel or epoch
 * yields, or in async host functions) and be resumed by polling a
 * #wasmtime_call_future_t.
 *
 * A future must be polled until completion or deleted before the store is
 * used for anything else; the store's context must not be used while a
 * future on it is pending.
 */

#ifndef WASMTIME_ASYNC_H
#define WASMTIME_ASYNC_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/config.h>
#include <wasmtime/error.h>
#include <wasmtime/func.h>
#include <wasmtime/linker.h>
#include <wasmtime/store.h>

#ifdef WASMTIME_FEATURE_ASYNC

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of stack available to asynchronous WebAssembly execution. */
WASMTIME_CONFIG_PROP(void, async_stack_size, size_t)

/** Makes async WebAssembly in the store yield each time it has consumed
 * `interval` units of fuel. Returns an error if fuel is not enabled. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_fuel_async_yield_interval(wasmtime_context_t *context,
                                           uint64_t interval);

/** Makes async WebAssembly yield when the epoch deadline is reached, then
 * continue with a deadline `delta` ticks later. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_context_epoch_deadline_async_yield_and_update(
    wasmtime_context_t *context, uint64_t delta);

/** Continuation step of an async host function: returns true once the host
 * work is complete, false to suspend and be called again later. */
typedef bool (*wasmtime_func_async_continuation_callback_t)(void *env);

/** A pending async host function result. */
typedef struct wasmtime_async_continuation_t {
  /** Polled until it returns true. */
  wasmtime_func_async_continuation_callback_t callback;
  /** Passed to `callback`. */
  void *env;
  /** Called on `env` afterwards (may be NULL). */
  void (*finalizer)(void *);
} wasmtime_async_continuation_t;

/**
 * An async host function implementation. Like #wasmtime_func_callback_t,
 * except that it reports a trap through `*trap_ret` and fills
 * `*continuation_ret`, which is polled until complete; `results` must be
 * written by the time it completes.
 */
typedef void (*wasmtime_func_async_callback_t)(
    void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
    size_t nargs, wasmtime_val_t *results, size_t nresults,
    wasm_trap_t **trap_ret, wasmtime_async_continuation_t *continuation_ret);

/** An opaque in-progress asynchronous operation. */
typedef struct wasmtime_call_future wasmtime_call_future_t;

/** Runs the operation until it completes (returns true) or suspends
 * (returns false; poll again later). */
WASM_API_EXTERN bool wasmtime_call_future_poll(wasmtime_call_future_t *future);

/** Releases a future, abandoning the operation if it has not completed.
 * NULL is ignored. */
WASM_API_EXTERN void wasmtime_call_future_delete(wasmtime_call_future_t *future);

/**
 * Starts an asynchronous call of `func`. All pointer arguments must stay
 * valid until the returned future completes; then the outcome is as for
 * wasmtime_func_call(), with the error stored in `*error_ret` and the trap
 * in `*trap_ret`. Returns NULL on allocation failure, with the out-of-memory
 * error in `*error_ret`.
 */
WASM_API_EXTERN wasmtime_call_future_t *wasmtime_func_call_async(
    wasmtime_context_t *context, const wasmtime_func_t *func,
    const wasmtime_val_t *args, size_t nargs, wasmtime_val_t *results,
    size_t nresults, wasm_trap_t **trap_ret, wasmtime_error_t **error_ret);

/**
 * Like wasmtime_linker_define_func() for an async host function. When
 * WebAssembly running in an async call calls it, `cb` runs and fills a
 * continuation; the call waits (wasmtime_call_future_poll() returns false)
 * until the continuation's callback returns true, polled once at once and
 * once per poll. Then the continuation is finalized, and the call fails with
 * the trap `cb` returned through `trap_ret` (which, like `args` and
 * `results`, stays valid until then) or takes the results, checked as a
 * synchronous host function's. A continuation without a callback is done at
 * once. Its finalizer runs exactly once, also when the future or the store is
 * deleted while it is pending. A linker defining an async function
 * instantiates only asynchronously, and a store with an instance importing
 * one takes only async calls. Where the call cannot be suspended (a
 * synchronous call, WebAssembly a host function called back into, a start
 * function) the function fails the call without running `cb`. On allocation
 * failure while it is called, the call fails with the out-of-memory error
 * before `cb` runs. See docs/async.md.
 */
WASM_API_EXTERN wasmtime_error_t *wasmtime_linker_define_async_func(
    wasmtime_linker_t *linker, const char *module, size_t module_len,
    const char *name, size_t name_len, const wasm_functype_t *ty,
    wasmtime_func_async_callback_t cb, void *data, void (*finalizer)(void *));

/** Starts an asynchronous wasmtime_linker_instantiate(); outcome reported
 * through `*trap_ret` / `*error_ret` once the future completes. Returns NULL
 * on allocation failure, with the out-of-memory error in `*error_ret`. */
WASM_API_EXTERN wasmtime_call_future_t *wasmtime_linker_instantiate_async(
    const wasmtime_linker_t *linker, wasmtime_context_t *store,
    const wasmtime_module_t *module, wasmtime_instance_t *instance,
    wasm_trap_t **trap_ret, wasmtime_error_t **error_ret);

/** Starts an asynchronous wasmtime_instance_pre_instantiate(); as
 * #wasmtime_linker_instantiate_async. */
WASM_API_EXTERN wasmtime_call_future_t *wasmtime_instance_pre_instantiate_async(
    const wasmtime_instance_pre_t *instance_pre, wasmtime_context_t *store,
    wasmtime_instance_t *instance, wasm_trap_t **trap_ret,
    wasmtime_error_t **error_ret);

/** Callback of a host-provided stack: returns the stack's top address and
 * stores its length in `*out_len`. */
typedef uint8_t *(*wasmtime_stack_memory_get_callback_t)(void *env,
                                                         size_t *out_len);

/** A host-provided stack for async execution. */
typedef struct {
  /** Passed to `get_stack_memory`. */
  void *env;
  /** Reports the stack's memory. */
  wasmtime_stack_memory_get_callback_t get_stack_memory;
  /** Called on `env` when the stack is released (may be NULL). */
  void (*finalizer)(void *);
} wasmtime_stack_memory_t;

/** Callback creating a stack of at least `size` bytes (zero-filled if
 * `zeroed`) in `*stack_ret`; returns NULL or an error. */
typedef wasmtime_error_t *(*wasmtime_new_stack_memory_callback_t)(
    void *env, size_t size, bool zeroed, wasmtime_stack_memory_t *stack_ret);

/** A host stack creator, see #wasmtime_config_host_stack_creator_set. */
typedef struct {
  /** Passed to `new_stack`. */
  void *env;
  /** Creates stacks. */
  wasmtime_new_stack_memory_callback_t new_stack;
  /** Called on `env` when the engine is released (may be NULL). */
  void (*finalizer)(void *);
} wasmtime_stack_creator_t;

/** Gives the configuration a host stack creator (copied; the configuration,
 * then the engine made from it, takes over its `env`/`finalizer`). swasm never
 * calls `new_stack`: WebAssembly runs on each store's own stack. The `env` is
 * finalized once: when the creator is replaced, the configuration deleted, no
 * engine made from it, or the engine released. A NULL creator is ignored; with
 * a NULL configuration it is finalized at once. */
WASM_API_EXTERN void
wasmtime_config_host_stack_creator_set(wasm_config_t *,
                                       wasmtime_stack_creator_t *);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_ASYNC

#endif // WASMTIME_ASYNC_H
