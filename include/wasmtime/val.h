/**
 * \file wasmtime/val.h
 *
 * WebAssembly values (#wasmtime_val_t), raw values (#wasmtime_val_raw_t) and
 * the GC reference handle types.
 */

#ifndef WASMTIME_VAL_H
#define WASMTIME_VAL_H

#include <stdalign.h>
#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/extern.h>
#include <wasmtime/types/val.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Discriminant of #wasmtime_val_t: one of the WASMTIME_<kind> values. */
typedef uint8_t wasmtime_valkind_t;
#define WASMTIME_I32 0       /**< `of.i32` */
#define WASMTIME_I64 1       /**< `of.i64` */
#define WASMTIME_F32 2       /**< `of.f32` */
#define WASMTIME_F64 3       /**< `of.f64` */
#define WASMTIME_V128 4      /**< `of.v128` */
#define WASMTIME_FUNCREF 5   /**< `of.funcref` */
#define WASMTIME_EXTERNREF 6 /**< `of.externref` */
#define WASMTIME_ANYREF 7    /**< `of.anyref` */
#define WASMTIME_EXNREF 8    /**< `of.exnref` */

/** A `v128` value, bytes in little-endian lane order. */
typedef uint8_t wasmtime_v128[16];

/*
 * GC references. Each is a 24-byte rooted handle into a store: a non-null
 * handle returned by the library is owned by the caller, who releases it with
 * the matching `*_unroot` function (or wasmtime_val_unroot() when it sits in
 * a #wasmtime_val_t). A `store_id` of 0 denotes the null reference; the
 * `*_set_null` / `*_is_null` helpers are static inline in the per-type
 * headers.
 */

/** An `anyref` (see <wasmtime/anyref.h>). */
typedef struct wasmtime_anyref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_anyref_t;

/** An `exnref` (see <wasmtime/exnref.h>). */
typedef struct wasmtime_exnref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_exnref_t;

/** An `externref` (see <wasmtime/externref.h>). */
typedef struct wasmtime_externref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_externref_t;

/** An `eqref` (see <wasmtime/eqref.h>). */
typedef struct wasmtime_eqref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_eqref_t;

/** A `structref` (see <wasmtime/structref.h>). */
typedef struct wasmtime_structref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_structref_t;

/** An `arrayref` (see <wasmtime/arrayref.h>). */
typedef struct wasmtime_arrayref {
  /** Identifier of the owning store; 0 for null. */
  uint64_t store_id;
  /** Private to the implementation. */
  uint32_t __private1;
  /** Private to the implementation. */
  uint32_t __private2;
  /** Private to the implementation. */
  void *__private3;
} wasmtime_arrayref_t;

/** Payload of #wasmtime_val_t (24 bytes with GC support, else 16). */
typedef union wasmtime_valunion {
  int32_t i32;   /**< WASMTIME_I32 */
  int64_t i64;   /**< WASMTIME_I64 */
  float32_t f32; /**< WASMTIME_F32 */
  float64_t f64; /**< WASMTIME_F64 */
#ifdef WASMTIME_FEATURE_GC
  wasmtime_anyref_t anyref;       /**< WASMTIME_ANYREF */
  wasmtime_externref_t externref; /**< WASMTIME_EXTERNREF */
  wasmtime_exnref_t exnref;       /**< WASMTIME_EXNREF */
#endif
  /** WASMTIME_FUNCREF; null when `store_id` is 0. */
  wasmtime_func_t funcref;
  wasmtime_v128 v128; /**< WASMTIME_V128 */
} wasmtime_valunion_t;

/** Makes `func` the null function reference. */
static inline void wasmtime_funcref_set_null(wasmtime_func_t *func) {
  func->store_id = 0;
}

/** Returns whether `func` is the null function reference. */
static inline bool wasmtime_funcref_is_null(const wasmtime_func_t *func) {
  return func->store_id == 0;
}

/**
 * An untyped value as used by wasmtime_func_new_unchecked() and
 * wasmtime_func_call_unchecked() (16 bytes). Numbers are stored
 * little-endian; GC references are raw 32-bit indices (0 for null) convertible
 * with the `*_from_raw` / `*_to_raw` functions; funcrefs are raw pointers
 * (NULL for null) convertible with wasmtime_func_from_raw() /
 * wasmtime_func_to_raw().
 */
typedef union wasmtime_val_raw {
  int32_t i32;        /**< an `i32` */
  int64_t i64;        /**< an `i64` */
  float32_t f32;      /**< an `f32` */
  float64_t f64;      /**< an `f64` */
  wasmtime_v128 v128; /**< a `v128` */
  uint32_t anyref;    /**< a raw `anyref` */
  uint32_t externref; /**< a raw `externref` */
  uint32_t exnref;    /**< a raw `exnref` */
  void *funcref;      /**< a raw `funcref` */
} wasmtime_val_raw_t;

#ifdef __cplusplus
static_assert(sizeof(wasmtime_valunion_t) >= 16 &&
                  sizeof(wasmtime_valunion_t) <= 24,
              "wasmtime_valunion_t must be 16 or 24 bytes");
static_assert(alignof(wasmtime_valunion_t) == alignof(uint64_t),
              "wasmtime_valunion_t must be 8-byte aligned");
static_assert(sizeof(wasmtime_val_raw_t) == 16,
              "wasmtime_val_raw_t must be 16 bytes");
static_assert(alignof(wasmtime_val_raw_t) == alignof(uint64_t),
              "wasmtime_val_raw_t must be 8-byte aligned");
#else
_Static_assert(sizeof(wasmtime_valunion_t) >= 16 &&
                   sizeof(wasmtime_valunion_t) <= 24,
               "wasmtime_valunion_t must be 16 or 24 bytes");
_Static_assert(_Alignof(wasmtime_valunion_t) == _Alignof(uint64_t),
               "wasmtime_valunion_t must be 8-byte aligned");
_Static_assert(sizeof(wasmtime_val_raw_t) == 16,
               "wasmtime_val_raw_t must be 16 bytes");
_Static_assert(_Alignof(wasmtime_val_raw_t) == _Alignof(uint64_t),
               "wasmtime_val_raw_t must be 8-byte aligned");
#endif

/**
 * A typed value: kind byte plus payload at offset 8 (32 bytes with GC
 * support). Arrays of values passed to wasmtime_func_call() use this
 * stride. A value returned by the library that holds a GC reference is
 * owned by the caller and released with #wasmtime_val_unroot; values passed
 * in are only borrowed.
 */
typedef struct wasmtime_val {
  /** Which member of `of` is valid. */
  wasmtime_valkind_t kind;
  /** The value. */
  wasmtime_valunion_t of;
} wasmtime_val_t;

/** Releases the GC reference held by `val`, if any (no-op for numbers,
 * funcrefs and null references). `*val` must not be used afterwards. */
WASM_API_EXTERN void wasmtime_val_unroot(wasmtime_val_t *val);

/** Copies `src` into `dst`, creating a new root for a GC reference. On
 * allocation failure a reference-typed `dst` holds a null reference. */
WASM_API_EXTERN void wasmtime_val_clone(const wasmtime_val_t *src,
                                        wasmtime_val_t *dst);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_VAL_H
