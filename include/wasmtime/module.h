/**
 * \file wasmtime/module.h
 *
 * Compiled WebAssembly modules (#wasmtime_module_t).
 */

#ifndef WASMTIME_MODULE_H
#define WASMTIME_MODULE_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque compiled module. Modules are tied to the engine that compiled
 * them, may be shared between threads and instantiated into many stores. */
typedef struct wasmtime_module wasmtime_module_t;

#ifdef WASMTIME_FEATURE_COMPILER

/**
 * Validates and compiles the binary module `wasm` (`wasm_len` bytes, not
 * retained). On success stores the new module in `*ret` and returns NULL;
 * otherwise returns an error (the out-of-memory error on allocation failure)
 * and leaves `*ret` untouched.
 */
WASM_API_EXTERN wasmtime_error_t *wasmtime_module_new(wasm_engine_t *engine,
                                                      const uint8_t *wasm,
                                                      size_t wasm_len,
                                                      wasmtime_module_t **ret);

#endif // WASMTIME_FEATURE_COMPILER

/** Releases a module. NULL is ignored. Instances already created from it are
 * unaffected. */
WASM_API_EXTERN void wasmtime_module_delete(wasmtime_module_t *m);

/** Returns a new handle to the same module (cheap, no recompilation); NULL on
 * allocation failure. */
WASM_API_EXTERN wasmtime_module_t *
wasmtime_module_clone(const wasmtime_module_t *m);

/** Writes the module's imports, in order, into `out` (owned by the caller;
 * left empty on allocation failure). */
WASM_API_EXTERN void wasmtime_module_imports(const wasmtime_module_t *module,
                                             wasm_importtype_vec_t *out);

/** Writes the module's exports, in order, into `out` (owned by the caller;
 * left empty on allocation failure). */
WASM_API_EXTERN void wasmtime_module_exports(const wasmtime_module_t *module,
                                             wasm_exporttype_vec_t *out);

#ifdef WASMTIME_FEATURE_COMPILER

/** Returns NULL if `wasm` is a valid module for `engine`'s configuration,
 * otherwise an error describing the problem. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_module_validate(wasm_engine_t *engine, const uint8_t *wasm,
                         size_t wasm_len);

/**
 * Serializes the compiled module into `ret` (owned by the caller), for later
 * use with #wasmtime_module_deserialize by the same library build. Returns
 * NULL on success or an error, leaving `ret` untouched.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_module_serialize(const wasmtime_module_t *module, wasm_byte_vec_t *ret);

#endif // WASMTIME_FEATURE_COMPILER

/**
 * Recreates a module from bytes produced by #wasmtime_module_serialize
 * (copied, not retained). The bytes are checked for being a swasm serialized
 * module compatible with `engine`; an error is returned otherwise. On success
 * stores the module in `*ret` and returns NULL.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_module_deserialize(wasm_engine_t *engine, const uint8_t *bytes,
                            size_t bytes_len, wasmtime_module_t **ret);

/** Like #wasmtime_module_deserialize, reading the bytes from the file at the
 * NUL-terminated `path`. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_module_deserialize_file(wasm_engine_t *engine, const char *path,
                                 wasmtime_module_t **ret);

/**
 * Reports the address range of the module's in-memory compiled image in
 * `*start` / `*end` (both NULL when the module has no such image).
 */
WASM_API_EXTERN void wasmtime_module_image_range(const wasmtime_module_t *module,
                                                 void **start, void **end);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_MODULE_H
