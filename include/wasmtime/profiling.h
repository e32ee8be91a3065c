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

/** An opaque guest profiler. */
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
 * Creates a profiler named `module_name` expecting a sample every
 * `interval_nanos` nanoseconds, covering the `modules_len` given modules
 * (copied). Returns NULL on allocation failure.
 */
WASM_API_EXTERN wasmtime_guestprofiler_t *wasmtime_guestprofiler_new(
    const wasm_engine_t *engine, const wasm_name_t *module_name,
    uint64_t interval_nanos, const wasmtime_guestprofiler_modules_t *modules,
    size_t modules_len);

/** Records the current WebAssembly stack of `store` as a sample, attributing
 * `delta_nanos` of CPU time to it. Typically called from an epoch or fuel
 * callback. */
WASM_API_EXTERN void
wasmtime_guestprofiler_sample(wasmtime_guestprofiler_t *guestprofiler,
                              const wasmtime_store_t *store,
                              uint64_t delta_nanos);

/** Writes the collected profile as JSON into `out` (owned by the caller)
 * and consumes the profiler (it must not be used or deleted afterwards).
 * Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_guestprofiler_finish(wasmtime_guestprofiler_t *guestprofiler,
                              wasm_byte_vec_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_PROFILING

#endif // WASMTIME_PROFILING_H
