/**
 * \file wasmtime/error.h
 *
 * #wasmtime_error_t: the error object returned by most wasmtime_* functions.
 *
 * Functions returning `wasmtime_error_t *` return NULL on success and an
 * owned error on failure, which the caller releases with
 * #wasmtime_error_delete. When swasm fails to allocate memory it returns a
 * statically allocated out-of-memory error (recognisable with
 * swasm_error_is_oom() from <swasm.h>); it may be passed to every function
 * below, including #wasmtime_error_delete, like any other error.
 */

#ifndef WASMTIME_ERROR_H
#define WASMTIME_ERROR_H

#include <wasm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque error: a message plus, possibly, a WASI exit status and a
 * WebAssembly backtrace. Errors may be moved between threads. */
typedef struct wasmtime_error wasmtime_error_t;

/**
 * Creates an error carrying a copy of the NUL-terminated `msg`.
 * Returns the out-of-memory error if the copy cannot be allocated, and an
 * error with an empty message if `msg` is NULL.
 */
WASM_API_EXTERN wasmtime_error_t *wasmtime_error_new(const char *msg);

/** Releases an error. NULL is ignored. */
WASM_API_EXTERN void wasmtime_error_delete(wasmtime_error_t *error);

/**
 * Writes the error's message into `message` (not NUL-terminated), which the
 * caller then owns and frees with wasm_byte_vec_delete(). On allocation
 * failure `message` is left empty.
 */
WASM_API_EXTERN void wasmtime_error_message(const wasmtime_error_t *error,
                                            wasm_name_t *message);

/**
 * If the error is a WASI `proc_exit`, stores the exit code in `*status` and
 * returns true; otherwise returns false and leaves `*status` untouched.
 */
WASM_API_EXTERN bool wasmtime_error_exit_status(const wasmtime_error_t *,
                                                int *status);

/**
 * Writes the WebAssembly backtrace recorded with the error, innermost frame
 * first, into `out` (owned by the caller). `out` is left empty if there is no
 * backtrace or on allocation failure.
 */
WASM_API_EXTERN void wasmtime_error_wasm_trace(const wasmtime_error_t *,
                                               wasm_frame_vec_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_ERROR_H
