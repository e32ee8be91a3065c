/**
 * \file wasmtime/engine.h
 *
 * Extensions to wasm_engine_t.
 */

#ifndef WASMTIME_ENGINE_H
#define WASMTIME_ENGINE_H

#include <wasm.h>
#include <wasmtime/conf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns a new handle to the same engine (sharing its configuration,
 * compiled code and epoch counter), to be released with wasm_engine_delete().
 * Returns NULL on allocation failure.
 */
WASM_API_EXTERN wasm_engine_t *wasmtime_engine_clone(const wasm_engine_t *engine);

/**
 * Advances the engine's epoch counter by one. WebAssembly running in a store
 * whose epoch deadline has passed then traps (or calls the store's epoch
 * callback). Safe to call from any thread and from a signal handler.
 */
WASM_API_EXTERN void
wasmtime_engine_increment_epoch(const wasm_engine_t *engine);

/** Returns whether the engine runs code on wasmtime's Pulley interpreter;
 * always false in swasm, which does not use Pulley. */
WASM_API_EXTERN bool wasmtime_engine_is_pulley(const wasm_engine_t *engine);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_ENGINE_H
