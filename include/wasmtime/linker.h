/**
 * \file wasmtime/linker.h
 *
 * Linkers (#wasmtime_linker_t): name-based resolution of module imports.
 *
 * A linker maps (module, name) pairs to items and instantiates modules by
 * looking their imports up. Host functions defined with
 * #wasmtime_linker_define_func are store-independent; other items belong to
 * the store they were created in. Names are byte strings given as pointer
 * plus length and need not be NUL-terminated.
 */

#ifndef WASMTIME_LINKER_H
#define WASMTIME_LINKER_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>
#include <wasmtime/extern.h>
#include <wasmtime/func.h>
#include <wasmtime/instance.h>
#include <wasmtime/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque linker, tied to one engine. */
typedef struct wasmtime_linker wasmtime_linker_t;

/** Creates an empty linker for `engine`; NULL on allocation failure. */
WASM_API_EXTERN wasmtime_linker_t *wasmtime_linker_new(wasm_engine_t *engine);

/** Returns an independent copy of the linker's definitions; NULL on
 * allocation failure. */
WASM_API_EXTERN wasmtime_linker_t *
wasmtime_linker_clone(const wasmtime_linker_t *linker);

/** Releases a linker. NULL is ignored. */
WASM_API_EXTERN void wasmtime_linker_delete(wasmtime_linker_t *linker);

/** Whether a later definition of an existing name replaces it (true) or is
 * an error (false, the default). */
WASM_API_EXTERN void wasmtime_linker_allow_shadowing(wasmtime_linker_t *linker,
                                                     bool allow_shadowing);

/** Defines every function import of `module` not yet defined as a function
 * that traps when called. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_define_unknown_imports_as_traps(wasmtime_linker_t *linker,
                                                const wasmtime_module_t *module);

/** Defines every function import of `module` not yet defined as a function
 * that ignores its arguments and returns zeros of its result types. Other
 * kinds of imports are left undefined. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_define_unknown_imports_as_default_values(
    wasmtime_linker_t *linker, wasmtime_context_t *store,
    const wasmtime_module_t *module);

/** Defines `module`::`name` as `item` (copied) of `store`. Returns NULL or an
 * error (duplicate name without shadowing, out of memory). */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_define(wasmtime_linker_t *linker, wasmtime_context_t *store,
                       const char *module, size_t module_len, const char *name,
                       size_t name_len, const wasmtime_extern_t *item);

/**
 * Defines `module`::`name` as a host function of type `ty` (copied),
 * usable in any store. `finalizer` (may be NULL) is called on `data` when
 * the linker and every store using the function have been released; on
 * failure it is called before returning. Returns NULL or an error.
 */
WASM_API_EXTERN wasmtime_error_t *wasmtime_linker_define_func(
    wasmtime_linker_t *linker, const char *module, size_t module_len,
    const char *name, size_t name_len, const wasm_functype_t *ty,
    wasmtime_func_callback_t cb, void *data, void (*finalizer)(void *));

/** Like #wasmtime_linker_define_func with a raw-value callback. */
WASM_API_EXTERN wasmtime_error_t *wasmtime_linker_define_func_unchecked(
    wasmtime_linker_t *linker, const char *module, size_t module_len,
    const char *name, size_t name_len, const wasm_functype_t *ty,
    wasmtime_func_unchecked_callback_t cb, void *data,
    void (*finalizer)(void *));

#ifdef WASMTIME_FEATURE_WASI

/** Defines the WASI preview 1 functions (`wasi_snapshot_preview1` and
 * `wasi_unstable`). Stores instantiating modules that use them need
 * wasmtime_context_set_wasi(). Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_define_wasi(wasmtime_linker_t *linker);

#endif // WASMTIME_FEATURE_WASI

/** Defines every export of `instance` (of `store`) under the module name
 * `name`. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_define_instance(wasmtime_linker_t *linker,
                                wasmtime_context_t *store, const char *name,
                                size_t name_len,
                                const wasmtime_instance_t *instance);

/**
 * Instantiates `module` in `store`, resolving its imports by name. Results
 * and failures as for wasmtime_instance_new(): a trap during instantiation
 * comes back in `*trap`, a missing or mismatched import as an error.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_instantiate(const wasmtime_linker_t *linker,
                            wasmtime_context_t *store,
                            const wasmtime_module_t *module,
                            wasmtime_instance_t *instance, wasm_trap_t **trap);

/**
 * Defines `module` under the name `name`: a module with a command-style
 * `_start` export is instantiated afresh each time one of its exports is
 * called; otherwise it is instantiated once in `store` and its exports are
 * defined. Returns NULL or an error (instantiation traps are reported as
 * errors here).
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_module(wasmtime_linker_t *linker, wasmtime_context_t *store,
                       const char *name, size_t name_len,
                       const wasmtime_module_t *module);

/** Stores in `*func` the default export of the module defined as `name`:
 * its empty-named export, else its `_start`, else a function that does
 * nothing. Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_get_default(const wasmtime_linker_t *linker,
                            wasmtime_context_t *store, const char *name,
                            size_t name_len, wasmtime_func_t *func);

/** Looks up `module`::`name`, materialising it in `store` if needed. Returns
 * true and fills `*item` (owned by the caller) if defined; false
 * otherwise. */
WASM_API_EXTERN bool wasmtime_linker_get(const wasmtime_linker_t *linker,
                                         wasmtime_context_t *store,
                                         const char *module, size_t module_len,
                                         const char *name, size_t name_len,
                                         wasmtime_extern_t *item);

/** Resolves the imports of `module` now and stores a pre-linked module in
 * `*instance_pre` (owned by the caller). Returns NULL or an error. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_linker_instantiate_pre(const wasmtime_linker_t *linker,
                                const wasmtime_module_t *module,
                                wasmtime_instance_pre_t **instance_pre);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_LINKER_H
