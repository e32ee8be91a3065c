/**
 * \file swasm.h
 *
 * swasm-specific extensions to the wasmtime-compatible C API.
 *
 * Including this header also includes <wasmtime.h>. Nothing here is needed
 * by programs written for wasmtime; it lets embedders that know they run on
 * swasm query swasm-specific behaviour.
 *
 * Out-of-memory handling: swasm never aborts when an allocation fails.
 * Functions that return a `wasmtime_error_t *` return a dedicated
 * out-of-memory error; functions that return a trap through a
 * `wasm_trap_t **` out-parameter (or as their result) return a dedicated
 * out-of-memory trap; constructors return NULL and functions filling an
 * output vector leave it empty. The predicates below recognise the
 * out-of-memory error and trap.
 */

#ifndef SWASM_H
#define SWASM_H

#include <wasmtime.h>

/** swasm major version. */
#define SWASM_VERSION_MAJOR 0
/** swasm minor version. */
#define SWASM_VERSION_MINOR 1
/** swasm patch version. */
#define SWASM_VERSION_PATCH 0
/** swasm version as a string. */
#define SWASM_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns true if `error` is the error swasm reports when it runs out of
 * memory, i.e. when a host allocation it needed failed. Returns false for any
 * other error (including failures caused by store limits) and for NULL. The error is still released with
 * wasmtime_error_delete() as usual.
 */
WASM_API_EXTERN bool swasm_error_is_oom(const wasmtime_error_t *error);

/**
 * Returns true if `trap` is the trap swasm reports when it runs out of
 * memory while executing or instantiating WebAssembly. Returns false for any
 * other trap and for NULL. The trap is still released with wasm_trap_delete()
 * as usual.
 */
WASM_API_EXTERN bool swasm_trap_is_oom(const wasm_trap_t *trap);

/**
 * Writes a text listing of the interpreter's internal code for function `func_index` (in the
 * module's function index space; imported functions have no code) into `out`, one instruction
 * per line. For debugging and performance work; the format is not stable. Returns false (with
 * `out` empty) for an imported or out-of-range index, or on allocation failure. The caller frees
 * `out` with wasm_byte_vec_delete().
 */
WASM_API_EXTERN bool swasm_module_disassemble(const wasmtime_module_t *module, uint32_t func_index,
                                              wasm_byte_vec_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // SWASM_H
