/**
 * \file wasmtime/types/val.h
 *
 * Full value types (#wasmtime_valtype_t), which, unlike wasm_valtype_t, can
 * describe every reference type of the GC and function-references proposals.
 */

#ifndef WASMTIME_TYPES_VAL_H
#define WASMTIME_TYPES_VAL_H

#include <wasm.h>
#include <wasmtime/types/arrayref.h>
#include <wasmtime/types/exnref.h>
#include <wasmtime/types/structref.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Returns a new wasm_valtype_t for `v128`, or NULL on allocation failure. */
WASM_API_EXTERN wasm_valtype_t *wasmtime_wasm_valtype_v128(void);

/** Returns whether two value types are the same type. */
WASM_API_EXTERN bool wasmtime_wasm_valtype_equal(const wasm_valtype_t *a,
                                                 const wasm_valtype_t *b);

/** Kind of a heap type: one of the WASMTIME_HEAPTYPE_KIND_* values. */
typedef uint8_t wasmtime_heaptype_kind_t;

#define WASMTIME_HEAPTYPE_KIND_EXTERN 0          /**< `extern` */
#define WASMTIME_HEAPTYPE_KIND_NOEXTERN 1        /**< `noextern` */
#define WASMTIME_HEAPTYPE_KIND_FUNC 2            /**< `func` */
#define WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC 3   /**< a concrete function type */
#define WASMTIME_HEAPTYPE_KIND_NOFUNC 4          /**< `nofunc` */
#define WASMTIME_HEAPTYPE_KIND_ANY 5             /**< `any` */
#define WASMTIME_HEAPTYPE_KIND_NONE 6            /**< `none` */
#define WASMTIME_HEAPTYPE_KIND_EQ 7              /**< `eq` */
#define WASMTIME_HEAPTYPE_KIND_I31 8             /**< `i31` */
#define WASMTIME_HEAPTYPE_KIND_ARRAY 9           /**< `array` */
#define WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY 10 /**< a concrete array type */
#define WASMTIME_HEAPTYPE_KIND_STRUCT 11         /**< `struct` */
#define WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT 12 /**< a concrete struct type */
#define WASMTIME_HEAPTYPE_KIND_EXN 13            /**< `exn` */
#define WASMTIME_HEAPTYPE_KIND_CONCRETE_EXN 14   /**< a concrete exception type */
#define WASMTIME_HEAPTYPE_KIND_NOEXN 15          /**< `noexn` */

/** Payload of a concrete heap type; which member is valid depends on the
 * kind. Each member is owned by the enclosing #wasmtime_heaptype_t. */
typedef union wasmtime_heaptype_union {
  /** Valid for WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC. */
  wasm_functype_t *concrete_func;
  /** Valid for WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY. */
  wasmtime_array_type_t *concrete_array;
  /** Valid for WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT. */
  wasmtime_struct_type_t *concrete_struct;
  /** Valid for WASMTIME_HEAPTYPE_KIND_CONCRETE_EXN. */
  wasmtime_exn_type_t *concrete_exn;
} wasmtime_heaptype_union_t;

/** A heap type: an abstract heap type or a concrete defined type. */
typedef struct wasmtime_heaptype {
  /** One of the WASMTIME_HEAPTYPE_KIND_* values. */
  wasmtime_heaptype_kind_t kind;
  /** Concrete type, for the CONCRETE_* kinds. */
  wasmtime_heaptype_union_t of;
} wasmtime_heaptype_t;

/** Deep-copies `ty` into `out`. On allocation failure a concrete payload of
 * `out` is NULL. */
WASM_API_EXTERN void wasmtime_heaptype_clone(const wasmtime_heaptype_t *ty,
                                             wasmtime_heaptype_t *out);

/** Releases what `ty` owns (not `ty` itself). */
WASM_API_EXTERN void wasmtime_heaptype_delete(wasmtime_heaptype_t *ty);

/** A reference type: a heap type plus nullability. */
typedef struct wasmtime_reftype {
  /** Whether `null` is a value of this type. */
  bool nullable;
  /** The referenced heap type (owned). */
  wasmtime_heaptype_t heaptype;
} wasmtime_reftype_t;

/** Deep-copies `ty` into `out` (see wasmtime_heaptype_clone). */
WASM_API_EXTERN void wasmtime_reftype_clone(const wasmtime_reftype_t *ty,
                                            wasmtime_reftype_t *out);

/** Releases what `ty` owns (not `ty` itself). */
WASM_API_EXTERN void wasmtime_reftype_delete(wasmtime_reftype_t *ty);

/** Kind of a #wasmtime_valtype_t: one of the WASMTIME_VALTYPE_KIND_*
 * values. */
typedef uint8_t wasmtime_valtype_kind_t;

#define WASMTIME_VALTYPE_KIND_I32 0  /**< `i32` */
#define WASMTIME_VALTYPE_KIND_I64 1  /**< `i64` */
#define WASMTIME_VALTYPE_KIND_F32 2  /**< `f32` */
#define WASMTIME_VALTYPE_KIND_F64 3  /**< `f64` */
#define WASMTIME_VALTYPE_KIND_V128 4 /**< `v128` */
#define WASMTIME_VALTYPE_KIND_REF 5  /**< a reference type, see `reftype` */

/** A value type. */
typedef struct wasmtime_valtype {
  /** One of the WASMTIME_VALTYPE_KIND_* values. */
  wasmtime_valtype_kind_t kind;
  /** Valid when `kind` is WASMTIME_VALTYPE_KIND_REF (owned). */
  wasmtime_reftype_t reftype;
} wasmtime_valtype_t;

/** Converts a wasm_valtype_t into a #wasmtime_valtype_t written to `out`
 * (owned by the caller). */
WASM_API_EXTERN void wasmtime_valtype_new(const wasm_valtype_t *ty,
                                          wasmtime_valtype_t *out);

/** Deep-copies `ty` into `out` (see wasmtime_heaptype_clone). */
WASM_API_EXTERN void wasmtime_valtype_clone(const wasmtime_valtype_t *ty,
                                            wasmtime_valtype_t *out);

/** Releases what `ty` owns (not `ty` itself). */
WASM_API_EXTERN void wasmtime_valtype_delete(wasmtime_valtype_t *ty);

/** Converts `ty` to a new wasm_valtype_t for use with wasm.h type
 * constructors; NULL on allocation failure or if `ty` is invalid in
 * `engine`. */
WASM_API_EXTERN wasm_valtype_t *
wasmtime_valtype_to_wasm(const wasm_engine_t *engine,
                         const wasmtime_valtype_t *ty);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TYPES_VAL_H
