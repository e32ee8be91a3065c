/**
 * \file wasmtime/profiling.h
 *
 * Sampling profiler for WebAssembly guests, producing Firefox-profiler JSON.
 */

#ifndef WASMTIME_PROFILING_H
#define WASMTIME_PROFILING_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>
#include <wasmtime/module.h>
#include <wasmtime/store.h>

#ifdef WASMTIME_FEATURE_PROFILING

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \brief A sampling profiler for WebAssembly guests.
 *
 * Call #wasmtime_guestprofiler_sample at regular intervals while the guest
 * runs, most simply from a callback registered with
 * #wasmtime_store_epoch_deadline_callback (or from host functions the guest
 * calls); #wasmtime_guestprofiler_finish then writes the profile as JSON in
 * the Firefox profiler's processed format (open it at profiler.firefox.com).
 *
 * Frames are those of the modules given to #wasmtime_guestprofiler_new, named
 * by their name section or `<wasm function N>` (N counting the module's
 * defined functions, imports excluded), as wasmtime names them; frames of
 * other modules and host functions are left out. swasm interprets its own
 * internal code, so addresses in the profile are offsets in the module's
 * bytes (wasmtime's are offsets in its native code).
 */
typedef struct wasmtime_guestprofiler wasmtime_guestprofiler_t;

/** Releases a profiler without producing output. NULL is ignored. */
WASM_API_EXTERN void
wasmtime_guestprofiler_delete(wasmtime_guestprofiler_t *guestprofiler);

/** A module whose functions the profiler should symbolise. */
typedef struct wasmtime_guestprofiler_modules {
  /** Name shown for the module (borrowed). */
  const wasm_name_t *name;
  /** The module (borrowed). */
  const wasmtime_module_t *mod;
} wasmtime_guestprofiler_modules_t;

/**
 * Creates a profiler named `module_name` (the profile's product, process and
 * thread name) expecting a sample every `interval_nanos` nanoseconds,
 * recording frames of the `modules_len` given modules (names copied, modules
 * kept alive by the profiler). Samples' times count from this call.
 *
 * Returns NULL on allocation failure, and where wasmtime aborts: a NULL
 * engine, name, module or `modules` with a nonzero `modules_len`, a name
 * that is not UTF-8, or a module of another engine.
 */
WASM_API_EXTERN wasmtime_guestprofiler_t *wasmtime_guestprofiler_new(
    const wasm_engine_t *engine, const wasm_name_t *module_name,
    uint64_t interval_nanos, const wasmtime_guestprofiler_modules_t *modules,
    size_t modules_len);

/**
 * Records the WebAssembly call stack `store` runs now as a sample, with
 * `delta_nanos` of CPU time (written in whole microseconds). Typically
 * called from an epoch or fuel callback, or from a host function, on the
 * thread running the store: the stack is every WebAssembly frame below the
 * callback, through nested calls. A store that runs nothing gives a sample
 * with an empty stack, as in wasmtime, and so does (in swasm) a store
 * running on another thread than the caller's: its frames are never read
 * from another thread (two words of the store are, without synchronization).
 *
 * NULL profiler or store: nothing happens. When memory runs out the sample
 * is dropped and #wasmtime_guestprofiler_finish reports out of memory.
 */
WASM_API_EXTERN void
wasmtime_guestprofiler_sample(wasmtime_guestprofiler_t *guestprofiler,
                              const wasmtime_store_t *store,
                              uint64_t delta_nanos);

/**
 * Writes the collected profile as JSON into `out` (owned by the caller,
 * freed with #wasm_byte_vec_delete) and consumes the profiler: it must not be
 * used or deleted afterwards, whatever the result.
 *
 * Returns NULL, or an error with `out` left empty: out of memory when the
 * JSON cannot be written, or when a sample had been dropped for lack of
 * memory (the profile would be incomplete); an error for a NULL profiler or
 * `out` (the profiler is still consumed).
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_guestprofiler_finish(wasmtime_guestprofiler_t *guestprofiler,
                              wasm_byte_vec_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_PROFILING

#endif // WASMTIME_PROFILING_H
