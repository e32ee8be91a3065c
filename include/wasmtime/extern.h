/**
 * \file wasmtime/extern.h
 *
 * Store-owned external items (functions, globals, tables, memories, shared
 * memories, tags) and the tagged union #wasmtime_extern_t.
 */

#ifndef WASMTIME_EXTERN_H
#define WASMTIME_EXTERN_H

#include <wasmtime/conf.h>
#include <wasmtime/module.h>
#include <wasmtime/sharedmemory.h>
#include <wasmtime/store.h>
#include <wasmtime/tag.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The item types below are plain handles into a store: they need no
 * deletion, may be copied freely, and are only meaningful with the store
 * that created them. swasm reports a handle used with the wrong store as an
 * error instead of aborting.
 */

/** A function (16 bytes). A `store_id` of 0 denotes the null funcref. */
typedef struct wasmtime_func {
  /** Identifier of the owning store; 0 for a null function reference. */
  uint64_t store_id;
  /** Private to the implementation. */
  void *__private;
} wasmtime_func_t;

/** A table (24 bytes). */
typedef struct wasmtime_table {
  struct {
    /** Identifier of the owning store; never zero. */
    uint64_t store_id;
    /** Private to the implementation. */
    uint32_t __private1;
  };
  /** Private to the implementation. */
  uint32_t __private2;
} wasmtime_table_t;

/** A linear memory (24 bytes). */
typedef struct wasmtime_memory {
  struct {
    /** Identifier of the owning store; never zero. */
    uint64_t store_id;
    /** Private to the implementation. */
    uint32_t __private1;
  };
  /** Private to the implementation. */
  uint32_t __private2;
} wasmtime_memory_t;

/** A global (24 bytes). */
typedef struct wasmtime_global {
  /** Identifier of the owning store; never zero. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  uint32_t __private3;
} wasmtime_global_t;

/** Discriminant of #wasmtime_extern_t: one of the WASMTIME_EXTERN_* values
 * (WASMTIME_EXTERN_TAG is defined in <wasmtime/tag.h>). */
typedef uint8_t wasmtime_extern_kind_t;

#define WASMTIME_EXTERN_FUNC 0         /**< `of.func` is valid */
#define WASMTIME_EXTERN_GLOBAL 1       /**< `of.global` is valid */
#define WASMTIME_EXTERN_TABLE 2        /**< `of.table` is valid */
#define WASMTIME_EXTERN_MEMORY 3       /**< `of.memory` is valid */
#define WASMTIME_EXTERN_SHAREDMEMORY 4 /**< `of.sharedmemory` is valid */

/** Payload of #wasmtime_extern_t (24 bytes). */
typedef union wasmtime_extern_union {
  wasmtime_func_t func;     /**< for WASMTIME_EXTERN_FUNC */
  wasmtime_global_t global; /**< for WASMTIME_EXTERN_GLOBAL */
  wasmtime_table_t table;   /**< for WASMTIME_EXTERN_TABLE */
  wasmtime_memory_t memory; /**< for WASMTIME_EXTERN_MEMORY */
  /** For WASMTIME_EXTERN_SHAREDMEMORY. Owned when the extern was returned by
   * the library (release it with #wasmtime_extern_delete); borrowed when
   * passed in. */
  struct wasmtime_sharedmemory *sharedmemory;
  wasmtime_tag_t tag;       /**< for WASMTIME_EXTERN_TAG */
} wasmtime_extern_union_t;

/** An external item: kind byte plus payload at offset 8 (32 bytes). */
typedef struct wasmtime_extern {
  /** Which member of `of` is valid. */
  wasmtime_extern_kind_t kind;
  /** The item. */
  wasmtime_extern_union_t of;
} wasmtime_extern_t;

/** Releases what an extern returned by the library owns (only a shared
 * memory handle owns anything). */
WASM_API_EXTERN void wasmtime_extern_delete(wasmtime_extern_t *val);

/** Returns the item's type, owned by the caller; NULL on allocation failure
 * or if the item does not belong to `context`'s store. */
WASM_API_EXTERN wasm_externtype_t *
wasmtime_extern_type(wasmtime_context_t *context, const wasmtime_extern_t *val);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_EXTERN_H
