/**
 * \file wasmtime/types/structref.h
 *
 * Field types and struct types of the WebAssembly GC proposal.
 */

#ifndef WASMTIME_TYPES_STRUCTREF_H
#define WASMTIME_TYPES_STRUCTREF_H

#include <wasm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Kind of a #wasmtime_storage_type_t: one of the
 * WASMTIME_STORAGE_TYPE_KIND_* values. */
typedef uint8_t wasmtime_storage_type_kind_t;

/** Packed 8-bit integer storage. */
#define WASMTIME_STORAGE_TYPE_KIND_I8 0
/** Packed 16-bit integer storage. */
#define WASMTIME_STORAGE_TYPE_KIND_I16 1
/** Storage of an ordinary value type, given by `valtype`. */
#define WASMTIME_STORAGE_TYPE_KIND_VALTYPE 2

/** The storage type of a struct field or array element. */
typedef struct wasmtime_storage_type {
  /** One of the WASMTIME_STORAGE_TYPE_KIND_* values. */
  wasmtime_storage_type_kind_t kind;
  /** Owned value type when `kind` is WASMTIME_STORAGE_TYPE_KIND_VALTYPE,
   * otherwise NULL. */
  wasm_valtype_t *valtype;
} wasmtime_storage_type_t;

/** Deep-copies `storage` into `out`. On allocation failure `out->valtype`
 * is NULL. */
WASM_API_EXTERN void
wasmtime_storage_type_clone(const wasmtime_storage_type_t *storage,
                            wasmtime_storage_type_t *out);

/** Releases what `storage` owns (not `storage` itself). */
WASM_API_EXTERN void
wasmtime_storage_type_delete(wasmtime_storage_type_t *storage);

/** A field of a struct type, or the element of an array type. */
typedef struct wasmtime_field_type {
  /** Whether the field may be written after allocation. */
  bool mutable_;
  /** The field's storage type (owned). */
  wasmtime_storage_type_t storage;
} wasmtime_field_type_t;

/** Deep-copies `field` into `out` (see wasmtime_storage_type_clone). */
WASM_API_EXTERN void
wasmtime_field_type_clone(const wasmtime_field_type_t *field,
                          wasmtime_field_type_t *out);

/** Releases what `field` owns (not `field` itself). */
WASM_API_EXTERN void wasmtime_field_type_delete(wasmtime_field_type_t *field);

/** An opaque, owned struct type registered with an engine. */
typedef struct wasmtime_struct_type wasmtime_struct_type_t;

/**
 * Creates a struct type in `engine` with the given fields (copied).
 * Returns NULL on allocation failure or if an argument is invalid.
 */
WASM_API_EXTERN wasmtime_struct_type_t *
wasmtime_struct_type_new(const wasm_engine_t *engine,
                         const wasmtime_field_type_t *fields, size_t nfields);

/** Returns a new handle to the same struct type; NULL on failure. */
WASM_API_EXTERN wasmtime_struct_type_t *
wasmtime_struct_type_copy(const wasmtime_struct_type_t *ty);

/** Releases a struct type handle. NULL is ignored. */
WASM_API_EXTERN void wasmtime_struct_type_delete(wasmtime_struct_type_t *ty);

/** Number of fields of the struct type. */
WASM_API_EXTERN size_t
wasmtime_struct_type_num_fields(const wasmtime_struct_type_t *ty);

/**
 * Copies field `index` into `out` (owned by the caller) and returns true;
 * returns false if `index` is out of bounds.
 */
WASM_API_EXTERN bool
wasmtime_struct_type_field(const wasmtime_struct_type_t *ty, size_t index,
                           wasmtime_field_type_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TYPES_STRUCTREF_H
