/**
 * \file wasmtime/instance.h
 *
 * Module instances (#wasmtime_instance_t) and pre-linked instantiation
 * (#wasmtime_instance_pre_t).
 */

#ifndef WASMTIME_INSTANCE_H
#define WASMTIME_INSTANCE_H

#include <wasm.h>
#include <wasmtime/extern.h>
#include <wasmtime/module.h>
#include <wasmtime/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An instance (16 bytes): a plain handle into a store, needing no
 * deletion. */
typedef struct wasmtime_instance {
  /** Identifier of the owning store; never zero. */
  uint64_t store_id;
  /** Private to the implementation. */
  size_t __private;
} wasmtime_instance_t;

/**
 * Instantiates `module` in the store with `imports` (`nimports` items, in the
 * module's import order, borrowed) and writes the instance to `*instance`.
 *
 * Returns NULL with `*trap` NULL on success. If instantiation traps (start
 * function trap, out-of-bounds data or element segment), returns NULL and
 * stores an owned trap in `*trap`. Link errors (wrong number or types of
 * imports) and other failures are returned as an owned error; out of memory
 * as the out-of-memory error or trap.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_instance_new(wasmtime_context_t *store, const wasmtime_module_t *module,
                      const wasmtime_extern_t *imports, size_t nimports,
                      wasmtime_instance_t *instance, wasm_trap_t **trap);

/** Looks up the export `name` (`name_len` bytes). Returns true and fills
 * `*item` (owned by the caller) if found; false otherwise. */
WASM_API_EXTERN bool wasmtime_instance_export_get(
    wasmtime_context_t *store, const wasmtime_instance_t *instance,
    const char *name, size_t name_len, wasmtime_extern_t *item);

/**
 * Returns export number `index`: stores a pointer to its name (not
 * NUL-terminated, owned by the store and valid while it lives) in `*name`,
 * its length in `*name_len`, and the item in `*item`. Returns false if
 * `index` is out of bounds.
 */
WASM_API_EXTERN bool wasmtime_instance_export_nth(
    wasmtime_context_t *store, const wasmtime_instance_t *instance,
    size_t index, char **name, size_t *name_len, wasmtime_extern_t *item);

/** An opaque module whose imports have already been resolved by a linker,
 * ready to be instantiated cheaply in any store of the engine. */
typedef struct wasmtime_instance_pre wasmtime_instance_pre_t;

/** Releases a pre-linked module. NULL is ignored. */
WASM_API_EXTERN void
wasmtime_instance_pre_delete(wasmtime_instance_pre_t *instance_pre);

/** Instantiates a pre-linked module in `store`; results and failures as for
 * #wasmtime_instance_new. */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_instance_pre_instantiate(const wasmtime_instance_pre_t *instance_pre,
                                  wasmtime_context_t *store,
                                  wasmtime_instance_t *instance,
                                  wasm_trap_t **trap_ptr);

/** Returns a new handle (owned by the caller) to the underlying module; NULL
 * on allocation failure. */
WASM_API_EXTERN wasmtime_module_t *
wasmtime_instance_pre_module(const wasmtime_instance_pre_t *instance_pre);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_INSTANCE_H
