/**
 * \file wasmtime/wat.h
 *
 * Conversion of the WebAssembly text format to the binary format.
 */

#ifndef WASMTIME_WAT_H
#define WASMTIME_WAT_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>

#ifdef WASMTIME_FEATURE_WAT

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Parses the text-format module `wat` (`wat_len` bytes, not retained) and
 * writes the binary module into `ret` (owned by the caller). Returns NULL on
 * success; otherwise returns an error describing the parse failure (or the
 * out-of-memory error) and leaves `ret` empty (size 0, data NULL).
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_wat2wasm(const char *wat, size_t wat_len, wasm_byte_vec_t *ret);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_WAT

#endif // WASMTIME_WAT_H
