/*
 * wasm.h - the standard WebAssembly C API (wasm-c-api), as implemented by
 * swasm.
 *
 * This header declares the same types, macros and functions, with the same
 * layouts, as the copy of wasm.h shipped with wasmtime, so that programs
 * written against wasmtime's C API build unchanged against swasm.
 *
 * Conventions used throughout this header:
 *
 * - `own` marks ownership transfer. An `own` result belongs to the caller and
 *   must be released with the matching `wasm_xxx_delete`; an `own` parameter is
 *   consumed by the callee. An `own` parameter named `out` is an output slot
 *   that the callee fills in and the caller then owns.
 * - Vectors (`wasm_xxx_vec_t`) own their storage and, for vectors of pointers,
 *   the pointed-to elements as well.
 * - Allocation failure never aborts the process in swasm: constructors
 *   return NULL, and functions writing an output vector leave it empty
 *   (`size == 0`, `data == NULL`).
 * - A NULL argument where an object is required is tolerated: the call does
 *   nothing and returns NULL / 0 / false as appropriate, rather than crashing.
 */

#ifndef WASM_H
#define WASM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Symbol visibility of functions exported by the library. */
#ifndef WASM_API_EXTERN
#if defined(_WIN32) && !defined(__MINGW32__) && !defined(LIBWASM_STATIC)
#define WASM_API_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define WASM_API_EXTERN __attribute__((visibility("default")))
#else
#define WASM_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Auxiliaries                                                              */
/* ------------------------------------------------------------------------ */

/* The C API assumes IEEE single/double floats and 32- or 64-bit pointers. */
#ifdef __cplusplus
static_assert(sizeof(float) == sizeof(uint32_t), "float must be 32 bits");
static_assert(sizeof(double) == sizeof(uint64_t), "double must be 64 bits");
static_assert(sizeof(intptr_t) == sizeof(uint32_t) ||
                  sizeof(intptr_t) == sizeof(uint64_t),
              "pointers must be 32 or 64 bits");
#else
_Static_assert(sizeof(float) == sizeof(uint32_t), "float must be 32 bits");
_Static_assert(sizeof(double) == sizeof(uint64_t), "double must be 64 bits");
_Static_assert(sizeof(intptr_t) == sizeof(uint32_t) ||
                   sizeof(intptr_t) == sizeof(uint64_t),
               "pointers must be 32 or 64 bits");
#endif

/** A byte of a byte vector or name (plain `char`). */
typedef char byte_t;
/** 32-bit IEEE float. */
typedef float float32_t;
/** 64-bit IEEE float. */
typedef double float64_t;

/** Ownership annotation; expands to nothing (see the file comment). */
#define own

/*
 * WASM_DECLARE_OWN(name) declares the opaque type `wasm_name_t` and its
 * destructor `wasm_name_delete`, which releases the caller's ownership.
 * Deleting NULL is a no-op.
 */
#define WASM_DECLARE_OWN(name)                                                 \
  typedef struct wasm_##name##_t wasm_##name##_t;                              \
                                                                               \
  WASM_API_EXTERN void wasm_##name##_delete(own wasm_##name##_t *);

/*
 * WASM_DECLARE_VEC(name, ptr_or_none) declares `wasm_name_vec_t`, a
 * `{size, data}` pair, with:
 *   - `_new_empty(out)`: sets `out` to the empty vector;
 *   - `_new_uninitialized(out, n)`: allocates `n` elements (pointer elements
 *     are zeroed); on allocation failure `out` is left empty;
 *   - `_new(out, n, elems)`: allocates and fills `out` from `elems`, taking
 *     ownership of the elements; on allocation failure `out` is left empty;
 *   - `_copy(out, src)`: deep-copies `src` into `out`; on allocation failure
 *     `out` is left empty;
 *   - `_delete(vec)`: frees the storage and owned elements, leaving the vector
 *     empty.
 */
#define WASM_DECLARE_VEC(name, ptr_or_none)                                    \
  typedef struct wasm_##name##_vec_t {                                         \
    size_t size;                                                               \
    wasm_##name##_t ptr_or_none *data;                                         \
  } wasm_##name##_vec_t;                                                       \
                                                                               \
  WASM_API_EXTERN void wasm_##name##_vec_new_empty(                            \
      own wasm_##name##_vec_t *out);                                           \
  WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(                    \
      own wasm_##name##_vec_t *out, size_t);                                   \
  WASM_API_EXTERN void wasm_##name##_vec_new(                                  \
      own wasm_##name##_vec_t *out, size_t,                                    \
      own wasm_##name##_t ptr_or_none const[]);                                \
  WASM_API_EXTERN void wasm_##name##_vec_copy(own wasm_##name##_vec_t *out,    \
                                              const wasm_##name##_vec_t *);    \
  WASM_API_EXTERN void wasm_##name##_vec_delete(own wasm_##name##_vec_t *);

/* Byte vectors */

/** Element type of #wasm_byte_vec_t. */
typedef byte_t wasm_byte_t;
WASM_DECLARE_VEC(byte, )

/** A name: a byte vector, not necessarily NUL-terminated. */
typedef wasm_byte_vec_t wasm_name_t;

#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
#define wasm_name_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

/** Copies the C string `s` (without its NUL) into a new name in `out`. */
static inline void wasm_name_new_from_string(own wasm_name_t *out,
                                             const char *s) {
  wasm_name_new(out, strlen(s), s);
}

/** Copies the C string `s` including its terminating NUL into `out`. */
static inline void wasm_name_new_from_string_nt(own wasm_name_t *out,
                                                const char *s) {
  wasm_name_new(out, strlen(s) + 1, s);
}

/* ------------------------------------------------------------------------ */
/* Runtime environment                                                      */
/* ------------------------------------------------------------------------ */

/* Configuration: settings consumed by wasm_engine_new_with_config. The
 * `wasmtime_config_*_set` functions of <wasmtime/config.h> modify it. */
WASM_DECLARE_OWN(config)

/** Creates a configuration with default settings; NULL on allocation
 * failure. */
WASM_API_EXTERN own wasm_config_t *wasm_config_new(void);

/* Engine: the compilation/execution environment shared by stores. */
WASM_DECLARE_OWN(engine)

/** Creates an engine with the default configuration; NULL on failure. */
WASM_API_EXTERN own wasm_engine_t *wasm_engine_new(void);
/** Creates an engine from `config`, which is always consumed (even on
 * failure). Returns NULL if the configuration is invalid or on allocation
 * failure. */
WASM_API_EXTERN own wasm_engine_t *
wasm_engine_new_with_config(own wasm_config_t *);

/* Store: owns all runtime objects created through the wasm.h API. */
WASM_DECLARE_OWN(store)

/** Creates a store in `engine` (which must outlive it); NULL on failure. */
WASM_API_EXTERN own wasm_store_t *wasm_store_new(wasm_engine_t *);

/* ------------------------------------------------------------------------ */
/* Type representations                                                     */
/* ------------------------------------------------------------------------ */

/** Mutability of a global: one of #wasm_mutability_enum. */
typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum {
  WASM_CONST, /**< immutable (0) */
  WASM_VAR,   /**< mutable (1) */
};

/** Size limits of a table or memory (`max` is inclusive). */
typedef struct wasm_limits_t {
  uint32_t min; /**< minimum size */
  uint32_t max; /**< maximum size; #wasm_limits_max_default for "none" */
} wasm_limits_t;

/** Value of `wasm_limits_t.max` meaning "no maximum". */
static const uint32_t wasm_limits_max_default = 0xffffffff;

/*
 * WASM_DECLARE_TYPE(name) declares an owned type object with a vector type
 * of pointers and `wasm_name_copy`, which returns a new copy or NULL on
 * allocation failure.
 */
#define WASM_DECLARE_TYPE(name)                                                \
  WASM_DECLARE_OWN(name)                                                       \
  WASM_DECLARE_VEC(name, *)                                                    \
                                                                               \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy(                     \
      const wasm_##name##_t *);

/* Value types */

WASM_DECLARE_TYPE(valtype)

/** Kind of a value type: one of #wasm_valkind_enum. */
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,             /**< 0 */
  WASM_I64,             /**< 1 */
  WASM_F32,             /**< 2 */
  WASM_F64,             /**< 3 */
  WASM_EXTERNREF = 128, /**< 128 */
  WASM_FUNCREF,         /**< 129 */
};

/** Creates a value type of the given kind; NULL on failure or for a kind
 * that is not one of #wasm_valkind_enum. */
WASM_API_EXTERN own wasm_valtype_t *wasm_valtype_new(wasm_valkind_t);

/** Returns the kind of a value type. */
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *);

/** True for the numeric kinds (i32, i64, f32, f64). */
static inline bool wasm_valkind_is_num(wasm_valkind_t k) {
  return k < WASM_EXTERNREF;
}
/** True for the reference kinds (externref, funcref). */
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) {
  return k >= WASM_EXTERNREF;
}

/** True if `t` is a numeric type. */
static inline bool wasm_valtype_is_num(const wasm_valtype_t *t) {
  return wasm_valkind_is_num(wasm_valtype_kind(t));
}
/** True if `t` is a reference type. */
static inline bool wasm_valtype_is_ref(const wasm_valtype_t *t) {
  return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/* Function types */

WASM_DECLARE_TYPE(functype)

/** Creates a function type, taking ownership of the contents of both
 * vectors (which are left empty). NULL on allocation failure. */
WASM_API_EXTERN own wasm_functype_t *
wasm_functype_new(own wasm_valtype_vec_t *params,
                  own wasm_valtype_vec_t *results);

/** Parameter types; the vector is owned by the function type. */
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_params(const wasm_functype_t *);
/** Result types; the vector is owned by the function type. */
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_results(const wasm_functype_t *);

/* Global types */

WASM_DECLARE_TYPE(globaltype)

/** Creates a global type, consuming `content`. NULL on failure. */
WASM_API_EXTERN own wasm_globaltype_t *
wasm_globaltype_new(own wasm_valtype_t *content, wasm_mutability_t);

/** Content type; owned by the global type. */
WASM_API_EXTERN const wasm_valtype_t *
wasm_globaltype_content(const wasm_globaltype_t *);
/** Mutability of the global type. */
WASM_API_EXTERN wasm_mutability_t
wasm_globaltype_mutability(const wasm_globaltype_t *);

/* Table types */

WASM_DECLARE_TYPE(tabletype)

/** Creates a table type, consuming `element`; `limits` is copied. NULL on
 * failure. */
WASM_API_EXTERN own wasm_tabletype_t *
wasm_tabletype_new(own wasm_valtype_t *element, const wasm_limits_t *limits);

/** Element type; owned by the table type. */
WASM_API_EXTERN const wasm_valtype_t *
wasm_tabletype_element(const wasm_tabletype_t *);
/** Limits; owned by the table type. */
WASM_API_EXTERN const wasm_limits_t *
wasm_tabletype_limits(const wasm_tabletype_t *);

/* Memory types */

WASM_DECLARE_TYPE(memorytype)

/** Creates a 32-bit memory type with `limits` (in 64 KiB pages). NULL on
 * failure. See wasmtime_memorytype_new for 64-bit memories. */
WASM_API_EXTERN own wasm_memorytype_t *
wasm_memorytype_new(const wasm_limits_t *limits);

/** Limits; owned by the memory type. */
WASM_API_EXTERN const wasm_limits_t *
wasm_memorytype_limits(const wasm_memorytype_t *);

/* Tag types (exception handling) */

WASM_DECLARE_TYPE(tagtype)

/** Creates a tag type with the payload signature `functype` (consumed).
 * NULL on failure. */
WASM_API_EXTERN own wasm_tagtype_t *wasm_tagtype_new(own wasm_functype_t *);

/** Payload signature of the tag type; owned by the tag type. */
WASM_API_EXTERN const wasm_functype_t *
wasm_tagtype_functype(const wasm_tagtype_t *);

/* Extern types */

WASM_DECLARE_TYPE(externtype)

/** Kind of an extern type: one of #wasm_externkind_enum. */
typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,   /**< 0 */
  WASM_EXTERN_GLOBAL, /**< 1 */
  WASM_EXTERN_TABLE,  /**< 2 */
  WASM_EXTERN_MEMORY, /**< 3 */
  WASM_EXTERN_TAG,    /**< 4 */
};

/** Returns the kind of an extern type. */
WASM_API_EXTERN wasm_externkind_t
wasm_externtype_kind(const wasm_externtype_t *);

/*
 * Conversions between the specific type objects and wasm_externtype_t. They
 * do not allocate: the result aliases the argument (same owner). Downcasts
 * return NULL when the extern type is of a different kind.
 */
WASM_API_EXTERN wasm_externtype_t *
wasm_functype_as_externtype(wasm_functype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_globaltype_as_externtype(wasm_globaltype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_tabletype_as_externtype(wasm_tabletype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_memorytype_as_externtype(wasm_memorytype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_tagtype_as_externtype(wasm_tagtype_t *);

WASM_API_EXTERN wasm_functype_t *
wasm_externtype_as_functype(wasm_externtype_t *);
WASM_API_EXTERN wasm_globaltype_t *
wasm_externtype_as_globaltype(wasm_externtype_t *);
WASM_API_EXTERN wasm_tabletype_t *
wasm_externtype_as_tabletype(wasm_externtype_t *);
WASM_API_EXTERN wasm_memorytype_t *
wasm_externtype_as_memorytype(wasm_externtype_t *);
WASM_API_EXTERN wasm_tagtype_t *
wasm_externtype_as_tagtype(wasm_externtype_t *);

WASM_API_EXTERN const wasm_externtype_t *
wasm_functype_as_externtype_const(const wasm_functype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_globaltype_as_externtype_const(const wasm_globaltype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_tabletype_as_externtype_const(const wasm_tabletype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_memorytype_as_externtype_const(const wasm_memorytype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_tagtype_as_externtype_const(const wasm_tagtype_t *);

WASM_API_EXTERN const wasm_functype_t *
wasm_externtype_as_functype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_globaltype_t *
wasm_externtype_as_globaltype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_tabletype_t *
wasm_externtype_as_tabletype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_memorytype_t *
wasm_externtype_as_memorytype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_tagtype_t *
wasm_externtype_as_tagtype_const(const wasm_externtype_t *);

/* Import types */

WASM_DECLARE_TYPE(importtype)

/** Creates an import type, consuming both names and the extern type. NULL
 * on failure. */
WASM_API_EXTERN own wasm_importtype_t *
wasm_importtype_new(own wasm_name_t *module, own wasm_name_t *name,
                    own wasm_externtype_t *);

/** Module name of the import; owned by the import type. */
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_module(const wasm_importtype_t *);
/** Field name of the import; owned by the import type. */
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_name(const wasm_importtype_t *);
/** Type of the import; owned by the import type. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_importtype_type(const wasm_importtype_t *);

/* Export types */

WASM_DECLARE_TYPE(exporttype)

/** Creates an export type, consuming the name and the extern type. NULL on
 * failure. */
WASM_API_EXTERN own wasm_exporttype_t *
wasm_exporttype_new(own wasm_name_t *, own wasm_externtype_t *);

/** Name of the export; owned by the export type. */
WASM_API_EXTERN const wasm_name_t *
wasm_exporttype_name(const wasm_exporttype_t *);
/** Type of the export; owned by the export type. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_exporttype_type(const wasm_exporttype_t *);

/* ------------------------------------------------------------------------ */
/* Runtime objects                                                          */
/* ------------------------------------------------------------------------ */

/* Values */

struct wasm_ref_t;

/** A WebAssembly value tagged with its kind (16 bytes on 64-bit hosts). */
typedef struct wasm_val_t {
  wasm_valkind_t kind; /**< one of #wasm_valkind_enum */
  /** Payload selected by `kind`. */
  union {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    struct wasm_ref_t *ref; /**< owned reference, or NULL for null */
  } of;
} wasm_val_t;

/** Releases the reference held by a reference-typed value (no-op for
 * numbers). */
WASM_API_EXTERN void wasm_val_delete(own wasm_val_t *v);
/** Copies a value into `out`, duplicating any reference. On allocation
 * failure a reference-typed `out` holds a null reference. */
WASM_API_EXTERN void wasm_val_copy(own wasm_val_t *out, const wasm_val_t *);

WASM_DECLARE_VEC(val, )

/* References */

/*
 * WASM_DECLARE_REF_BASE(name): owned reference objects with
 *   - `_copy`: a new reference to the same object (NULL on failure);
 *   - `_same`: whether two references denote the same object;
 *   - host info: an opaque pointer the embedder may attach, optionally with a
 *     finalizer called when the object is deleted.
 */
#define WASM_DECLARE_REF_BASE(name)                                            \
  WASM_DECLARE_OWN(name)                                                       \
                                                                               \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy(                     \
      const wasm_##name##_t *);                                                \
  WASM_API_EXTERN bool wasm_##name##_same(const wasm_##name##_t *,             \
                                          const wasm_##name##_t *);            \
                                                                               \
  WASM_API_EXTERN void *wasm_##name##_get_host_info(const wasm_##name##_t *);  \
  WASM_API_EXTERN void wasm_##name##_set_host_info(wasm_##name##_t *, void *); \
  WASM_API_EXTERN void wasm_##name##_set_host_info_with_finalizer(             \
      wasm_##name##_t *, void *, void (*)(void *));

/*
 * WASM_DECLARE_REF(name): WASM_DECLARE_REF_BASE plus non-allocating
 * conversions to and from the generic wasm_ref_t (NULL when the reference is
 * not of the requested kind, or when the kind has no wasm_ref_t form).
 */
#define WASM_DECLARE_REF(name)                                                 \
  WASM_DECLARE_REF_BASE(name)                                                  \
                                                                               \
  WASM_API_EXTERN wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *);         \
  WASM_API_EXTERN wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *);           \
  WASM_API_EXTERN const wasm_ref_t *wasm_##name##_as_ref_const(                \
      const wasm_##name##_t *);                                                \
  WASM_API_EXTERN const wasm_##name##_t *wasm_ref_as_##name##_const(           \
      const wasm_ref_t *);

/*
 * WASM_DECLARE_SHARABLE_REF(name): WASM_DECLARE_REF plus a thread-shareable
 * form: `_share` creates a `wasm_shared_name_t` that can be moved to another
 * thread, and `_obtain` turns it back into an object of the given store.
 * Both return NULL on failure.
 */
#define WASM_DECLARE_SHARABLE_REF(name)                                        \
  WASM_DECLARE_REF(name)                                                       \
  WASM_DECLARE_OWN(shared_##name)                                              \
                                                                               \
  WASM_API_EXTERN own wasm_shared_##name##_t *wasm_##name##_share(             \
      const wasm_##name##_t *);                                                \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_obtain(                   \
      wasm_store_t *, const wasm_shared_##name##_t *);

WASM_DECLARE_REF_BASE(ref)

/* Frames: one entry of a trap's WebAssembly backtrace. */

WASM_DECLARE_OWN(frame)
WASM_DECLARE_VEC(frame, *)
/** Copies a frame; NULL on allocation failure. */
WASM_API_EXTERN own wasm_frame_t *wasm_frame_copy(const wasm_frame_t *);

/** Instance the frame belongs to. Not tracked by swasm: returns NULL. */
WASM_API_EXTERN struct wasm_instance_t *
wasm_frame_instance(const wasm_frame_t *);
/** Index of the function in its module's function index space. */
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t *);
/** Byte offset of the frame's instruction from the start of its function. */
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t *);
/** Byte offset of the frame's instruction from the start of the module. */
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t *);

/* Traps */

/** A trap message; by convention NUL-terminated. */
typedef wasm_name_t wasm_message_t;

WASM_DECLARE_REF(trap)

/** Creates a trap with the given message (copied; it should include a
 * terminating NUL). NULL on allocation failure. */
WASM_API_EXTERN own wasm_trap_t *wasm_trap_new(wasm_store_t *store,
                                               const wasm_message_t *);

/** Writes the trap's message, including a terminating NUL, into `out`. On
 * allocation failure `out` is left empty. */
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t *,
                                       own wasm_message_t *out);
/** Returns the innermost frame of the trap's backtrace, or NULL if there is
 * none (or on allocation failure). */
WASM_API_EXTERN own wasm_frame_t *wasm_trap_origin(const wasm_trap_t *);
/** Writes the trap's backtrace, innermost frame first, into `out` (left
 * empty if there is none or on allocation failure). */
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t *,
                                     own wasm_frame_vec_t *out);

/* Foreign objects: host-created references that carry only host info. */

WASM_DECLARE_REF(foreign)

/** Not supported: returns NULL. */
WASM_API_EXTERN own wasm_foreign_t *wasm_foreign_new(wasm_store_t *);

/* Modules */

WASM_DECLARE_SHARABLE_REF(module)

/** Compiles a binary module. NULL if it is invalid or on failure. */
WASM_API_EXTERN own wasm_module_t *wasm_module_new(wasm_store_t *,
                                                   const wasm_byte_vec_t *binary);

/** Returns whether `binary` is a valid module for the store's engine. */
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t *,
                                          const wasm_byte_vec_t *binary);

/** Writes the module's imports into `out` (empty on allocation failure). */
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t *,
                                         own wasm_importtype_vec_t *out);
/** Writes the module's exports into `out` (empty on allocation failure). */
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t *,
                                         own wasm_exporttype_vec_t *out);

/** Serializes the compiled module into `out` (empty on failure). */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t *,
                                           own wasm_byte_vec_t *out);
/** Recreates a module from wasm_module_serialize output; NULL if the bytes
 * are not a compatible serialized module or on failure. */
WASM_API_EXTERN own wasm_module_t *
wasm_module_deserialize(wasm_store_t *, const wasm_byte_vec_t *);

/* Function instances */

WASM_DECLARE_REF(func)

/** Host callback: reads `args`, writes `results` (already sized to the
 * result arity) and returns NULL, or returns an owned trap. */
typedef own wasm_trap_t *(*wasm_func_callback_t)(const wasm_val_vec_t *args,
                                                 own wasm_val_vec_t *results);
/** Like #wasm_func_callback_t with an embedder environment pointer. */
typedef own wasm_trap_t *(*wasm_func_callback_with_env_t)(
    void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results);

/** Creates a host function of type `type` (copied). NULL on failure. */
WASM_API_EXTERN own wasm_func_t *
wasm_func_new(wasm_store_t *, const wasm_functype_t *, wasm_func_callback_t);
/** Creates a host function with an environment; `finalizer` (may be NULL)
 * is called on `env` when the store is deleted. On failure returns NULL and
 * calls the finalizer immediately. */
WASM_API_EXTERN own wasm_func_t *
wasm_func_new_with_env(wasm_store_t *, const wasm_functype_t *type,
                       wasm_func_callback_with_env_t, void *env,
                       void (*finalizer)(void *));

/** Returns a new copy of the function's type; NULL on failure. */
WASM_API_EXTERN own wasm_functype_t *wasm_func_type(const wasm_func_t *);
/** Number of parameters. */
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t *);
/** Number of results. */
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t *);

/** Calls the function. `results` must be pre-sized to the result arity.
 * Returns NULL on success or an owned trap (also for argument mismatches
 * and allocation failure). */
WASM_API_EXTERN own wasm_trap_t *wasm_func_call(const wasm_func_t *,
                                                const wasm_val_vec_t *args,
                                                wasm_val_vec_t *results);

/* Global instances */

WASM_DECLARE_REF(global)

/** Creates a global of type `type` initialised to `val`. NULL on failure or
 * type mismatch. */
WASM_API_EXTERN own wasm_global_t *
wasm_global_new(wasm_store_t *, const wasm_globaltype_t *, const wasm_val_t *);

/** Returns a new copy of the global's type; NULL on failure. */
WASM_API_EXTERN own wasm_globaltype_t *wasm_global_type(const wasm_global_t *);

/** Reads the global's value into `out`. */
WASM_API_EXTERN void wasm_global_get(const wasm_global_t *,
                                     own wasm_val_t *out);
/** Writes the global's value; ignored if immutable or of the wrong type. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t *, const wasm_val_t *);

/* Table instances */

WASM_DECLARE_REF(table)

/** Table sizes and indices. */
typedef uint32_t wasm_table_size_t;

/** Creates a table, filling it with `init` (may be NULL). NULL on failure. */
WASM_API_EXTERN own wasm_table_t *
wasm_table_new(wasm_store_t *, const wasm_tabletype_t *, wasm_ref_t *init);

/** Returns a new copy of the table's type; NULL on failure. */
WASM_API_EXTERN own wasm_tabletype_t *wasm_table_type(const wasm_table_t *);

/** Returns the element at `index` (NULL if null or out of bounds). */
WASM_API_EXTERN own wasm_ref_t *wasm_table_get(const wasm_table_t *,
                                               wasm_table_size_t index);
/** Stores `ref` at `index`; false if out of bounds or of the wrong type. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t *, wasm_table_size_t index,
                                    wasm_ref_t *);

/** Current number of elements. */
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t *);
/** Grows by `delta` elements set to `init`; false if that fails. */
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t *, wasm_table_size_t delta,
                                     wasm_ref_t *init);

/* Memory instances */

WASM_DECLARE_REF(memory)

/** Memory sizes in 64 KiB pages. */
typedef uint32_t wasm_memory_pages_t;

/** Size of a WebAssembly page in bytes. */
static const size_t MEMORY_PAGE_SIZE = 0x10000;

/** Creates a memory of the given type. NULL on failure. */
WASM_API_EXTERN own wasm_memory_t *wasm_memory_new(wasm_store_t *,
                                                   const wasm_memorytype_t *);

/** Returns a new copy of the memory's type; NULL on failure. */
WASM_API_EXTERN own wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *);

/** Base address of the memory's bytes; invalidated by growth. */
WASM_API_EXTERN byte_t *wasm_memory_data(wasm_memory_t *);
/** Current size in bytes. */
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t *);

/** Current size in pages. */
WASM_API_EXTERN wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *);
/** Grows by `delta` pages; false if that fails. */
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t *,
                                      wasm_memory_pages_t delta);

/* Externals: any of function, global, table or memory. */

WASM_DECLARE_REF(extern)
WASM_DECLARE_VEC(extern, *)

/** Kind of the external. */
WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t *);
/** Returns a new copy of the external's type; NULL on failure. */
WASM_API_EXTERN own wasm_externtype_t *wasm_extern_type(const wasm_extern_t *);

/*
 * Non-allocating conversions between the specific objects and wasm_extern_t
 * (the result aliases the argument). Downcasts return NULL on a kind
 * mismatch.
 */
WASM_API_EXTERN wasm_extern_t *wasm_func_as_extern(wasm_func_t *);
WASM_API_EXTERN wasm_extern_t *wasm_global_as_extern(wasm_global_t *);
WASM_API_EXTERN wasm_extern_t *wasm_table_as_extern(wasm_table_t *);
WASM_API_EXTERN wasm_extern_t *wasm_memory_as_extern(wasm_memory_t *);

WASM_API_EXTERN wasm_func_t *wasm_extern_as_func(wasm_extern_t *);
WASM_API_EXTERN wasm_global_t *wasm_extern_as_global(wasm_extern_t *);
WASM_API_EXTERN wasm_table_t *wasm_extern_as_table(wasm_extern_t *);
WASM_API_EXTERN wasm_memory_t *wasm_extern_as_memory(wasm_extern_t *);

WASM_API_EXTERN const wasm_extern_t *
wasm_func_as_extern_const(const wasm_func_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_global_as_extern_const(const wasm_global_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_table_as_extern_const(const wasm_table_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_memory_as_extern_const(const wasm_memory_t *);

WASM_API_EXTERN const wasm_func_t *
wasm_extern_as_func_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_global_t *
wasm_extern_as_global_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_table_t *
wasm_extern_as_table_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_memory_t *
wasm_extern_as_memory_const(const wasm_extern_t *);

/* Module instances */

WASM_DECLARE_REF(instance)

/** Instantiates `module` with `imports` given in the module's import order.
 * Returns NULL on failure; if `trap` is non-NULL it then receives an owned
 * trap describing the failure (a start-function trap, a link error, or
 * allocation failure). */
WASM_API_EXTERN own wasm_instance_t *
wasm_instance_new(wasm_store_t *, const wasm_module_t *,
                  const wasm_extern_vec_t *imports, own wasm_trap_t **trap);

/** Writes the instance's exports, in export order, into `out` (empty on
 * allocation failure). */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t *,
                                           own wasm_extern_vec_t *out);

/* ------------------------------------------------------------------------ */
/* Convenience                                                              */
/* ------------------------------------------------------------------------ */

/** Initialiser for an empty vector. */
#define WASM_EMPTY_VEC {0, NULL}
/** Initialiser for a vector viewing a C array (not owned!). */
#define WASM_ARRAY_VEC(array) {sizeof(array) / sizeof(*(array)), array}

/* Value type shorthands: each returns a new value type, NULL on failure. */

static inline own wasm_valtype_t *wasm_valtype_new_i32(void) {
  return wasm_valtype_new(WASM_I32);
}
static inline own wasm_valtype_t *wasm_valtype_new_i64(void) {
  return wasm_valtype_new(WASM_I64);
}
static inline own wasm_valtype_t *wasm_valtype_new_f32(void) {
  return wasm_valtype_new(WASM_F32);
}
static inline own wasm_valtype_t *wasm_valtype_new_f64(void) {
  return wasm_valtype_new(WASM_F64);
}
static inline own wasm_valtype_t *wasm_valtype_new_externref(void) {
  return wasm_valtype_new(WASM_EXTERNREF);
}
static inline own wasm_valtype_t *wasm_valtype_new_funcref(void) {
  return wasm_valtype_new(WASM_FUNCREF);
}

/*
 * Function type shorthands wasm_functype_new_P_R: a function type with P
 * parameters and R results, consuming the given value types. NULL on
 * failure.
 */

/* Builds a function type from arrays of owned value types. Unlike a plain sequence of
 * wasm_valtype_vec_new and wasm_functype_new, it returns NULL when any step ran out of memory
 * (a NULL element, or a vector that could not be allocated), and frees what it was given. */
static inline own wasm_functype_t *swasm_functype_new_from_arrays_(size_t param_count, wasm_valtype_t *const params_in[],
                                                                   size_t result_count, wasm_valtype_t *const results_in[]) {
  wasm_valtype_vec_t params, results;
  if (param_count) wasm_valtype_vec_new(&params, param_count, params_in);
  else wasm_valtype_vec_new_empty(&params);
  if (params.size != param_count) { /* out of memory: give up before allocating again */
    for (size_t i = 0; i < result_count; i++) wasm_valtype_delete(results_in[i]);
    return NULL;
  }
  if (result_count) wasm_valtype_vec_new(&results, result_count, results_in);
  else wasm_valtype_vec_new_empty(&results);
  if (params.size != param_count || results.size != result_count) {
    wasm_valtype_vec_delete(&params);
    wasm_valtype_vec_delete(&results);
    return NULL;
  }
  return wasm_functype_new(&params, &results); /* rejects NULL elements */
}

static inline own wasm_functype_t *wasm_functype_new_0_0(void) {
  return swasm_functype_new_from_arrays_(0, NULL, 0, NULL);
}

static inline own wasm_functype_t *wasm_functype_new_1_0(own wasm_valtype_t *p) {
  wasm_valtype_t *ps[1] = {p};
  return swasm_functype_new_from_arrays_(1, ps, 0, NULL);
}

static inline own wasm_functype_t *wasm_functype_new_2_0(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2) {
  wasm_valtype_t *ps[2] = {p1, p2};
  return swasm_functype_new_from_arrays_(2, ps, 0, NULL);
}

static inline own wasm_functype_t *wasm_functype_new_3_0(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3) {
  wasm_valtype_t *ps[3] = {p1, p2, p3};
  return swasm_functype_new_from_arrays_(3, ps, 0, NULL);
}

static inline own wasm_functype_t *wasm_functype_new_0_1(own wasm_valtype_t *r) {
  wasm_valtype_t *rs[1] = {r};
  return swasm_functype_new_from_arrays_(0, NULL, 1, rs);
}

static inline own wasm_functype_t *wasm_functype_new_1_1(own wasm_valtype_t *p,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[1] = {p};
  wasm_valtype_t *rs[1] = {r};
  return swasm_functype_new_from_arrays_(1, ps, 1, rs);
}

static inline own wasm_functype_t *wasm_functype_new_2_1(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[2] = {p1, p2};
  wasm_valtype_t *rs[1] = {r};
  return swasm_functype_new_from_arrays_(2, ps, 1, rs);
}

static inline own wasm_functype_t *wasm_functype_new_3_1(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[3] = {p1, p2, p3};
  wasm_valtype_t *rs[1] = {r};
  return swasm_functype_new_from_arrays_(3, ps, 1, rs);
}

static inline own wasm_functype_t *wasm_functype_new_0_2(own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *rs[2] = {r1, r2};
  return swasm_functype_new_from_arrays_(0, NULL, 2, rs);
}

static inline own wasm_functype_t *wasm_functype_new_1_2(own wasm_valtype_t *p,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[1] = {p};
  wasm_valtype_t *rs[2] = {r1, r2};
  return swasm_functype_new_from_arrays_(1, ps, 2, rs);
}

static inline own wasm_functype_t *wasm_functype_new_2_2(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[2] = {p1, p2};
  wasm_valtype_t *rs[2] = {r1, r2};
  return swasm_functype_new_from_arrays_(2, ps, 2, rs);
}

static inline own wasm_functype_t *wasm_functype_new_3_2(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[3] = {p1, p2, p3};
  wasm_valtype_t *rs[2] = {r1, r2};
  return swasm_functype_new_from_arrays_(3, ps, 2, rs);
}

/* Value shorthands */

/** Stores a host pointer in `out` as an i32 or i64 (pointer-sized). */
static inline void wasm_val_init_ptr(own wasm_val_t *out, void *p) {
#if UINTPTR_MAX == UINT32_MAX
  out->kind = WASM_I32;
  out->of.i32 = (intptr_t)p;
#elif UINTPTR_MAX == UINT64_MAX
  out->kind = WASM_I64;
  out->of.i64 = (intptr_t)p;
#endif
}

/** Reads back a pointer stored with wasm_val_init_ptr. */
static inline void *wasm_val_ptr(const wasm_val_t *val) {
#if UINTPTR_MAX == UINT32_MAX
  return (void *)(intptr_t)val->of.i32;
#elif UINTPTR_MAX == UINT64_MAX
  return (void *)(intptr_t)val->of.i64;
#endif
}

/* Initialisers for wasm_val_t (designated initialisers; C or C++20). */
#define WASM_I32_VAL(i) {.kind = WASM_I32, .of = {.i32 = i}}
#define WASM_I64_VAL(i) {.kind = WASM_I64, .of = {.i64 = i}}
#define WASM_F32_VAL(z) {.kind = WASM_F32, .of = {.f32 = z}}
#define WASM_F64_VAL(z) {.kind = WASM_F64, .of = {.f64 = z}}
#define WASM_REF_VAL(r) {.kind = WASM_EXTERNREF, .of = {.ref = r}}
#define WASM_INIT_VAL {.kind = WASM_EXTERNREF, .of = {.ref = NULL}}

#undef own

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASM_H
