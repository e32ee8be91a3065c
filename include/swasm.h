/**
 * \file swasm.h
 *
 * swasm-specific extensions to the wasmtime-compatible C API.
 *
 * Including this header also includes <wasmtime.h>. Nothing here is needed
 * by programs written for wasmtime; it lets embedders that know they run on
 * swasm query swasm-specific behaviour.
 *
 * Out-of-memory handling: swasm never aborts when an allocation fails.
 * Functions that return a `wasmtime_error_t *` return a dedicated
 * out-of-memory error; functions that return a trap through a
 * `wasm_trap_t **` out-parameter (or as their result) return a dedicated
 * out-of-memory trap; constructors return NULL and functions filling an
 * output vector leave it empty. The predicates below recognise the
 * out-of-memory error and trap.
 */

#ifndef SWASM_H
#define SWASM_H

#include <wasmtime.h>

/** swasm major version. */
#define SWASM_VERSION_MAJOR 0
/** swasm minor version. */
#define SWASM_VERSION_MINOR 1
/** swasm patch version. */
#define SWASM_VERSION_PATCH 0
/** swasm version as a string. */
#define SWASM_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns true if `error` is the error swasm reports when it runs out of
 * memory, i.e. when a host allocation it needed failed. Returns false for any
 * other error (including failures caused by store limits) and for NULL. The error is still released with
 * wasmtime_error_delete() as usual.
 */
WASM_API_EXTERN bool swasm_error_is_oom(const wasmtime_error_t *error);

/**
 * Returns true if `trap` is the trap swasm reports when it runs out of
 * memory while executing or instantiating WebAssembly. Returns false for any
 * other trap and for NULL. The trap is still released with wasm_trap_delete()
 * as usual.
 */
WASM_API_EXTERN bool swasm_trap_is_oom(const wasm_trap_t *trap);

/**
 * Writes a text listing of the interpreter's internal code for function `func_index` (in the
 * module's function index space; imported functions have no code) into `out`, one instruction
 * per line. For debugging and performance work; the format is not stable. Returns false (with
 * `out` empty) for an imported or out-of-range index, or on allocation failure. The caller frees
 * `out` with wasm_byte_vec_delete().
 */
WASM_API_EXTERN bool swasm_module_disassemble(const wasmtime_module_t *module, uint32_t func_index,
                                              wasm_byte_vec_t *out);

/* ------------------------------------------------------------------------------------------- */
/* The embedder's allocator                                                                      */
/* ------------------------------------------------------------------------------------------- */

/**
 * An allocator for all of the library's memory, installed with swasm_set_allocator(): arenas,
 * per-tenant accounting, or a fixed buffer on a system without `malloc`. Every function gets
 * `user` as its first argument. What the library asks, exactly:
 *
 * - `malloc(user, size)`: a new block of `size` bytes (never 0), aligned to 16 bytes (as
 *   `malloc` on 64-bit systems), or NULL when there is no memory. Zeroed memory is asked the
 *   same way; the library clears it itself.
 * - `realloc(user, ptr, size)`: the block `ptr` (never NULL, always one this allocator handed
 *   out and not yet freed) resized to `size` bytes (never 0), aligned to 16 bytes, keeping its
 *   contents up to the smaller of the two sizes; it may move. On failure NULL, with `ptr`
 *   untouched and still owned by the library.
 * - `free(user, ptr)`: releases the block `ptr` (never NULL).
 *
 * NULL is never fatal: the failure comes back to the host as usual (the out-of-memory error or
 * trap, a NULL result, `memory.grow` returning -1). The functions must be thread-safe (stores
 * on different threads allocate at the same time), must not call into the library, and must not
 * unwind or `longjmp` out. They may be called while the library holds internal locks.
 */
typedef struct swasm_allocator {
  void *(*malloc)(void *user, size_t size);
  void *(*realloc)(void *user, void *ptr, size_t size);
  void (*free)(void *user, void *ptr);
  /** Passed to every function unchanged. */
  void *user;
} swasm_allocator_t;

/**
 * Makes `allocator` (copied; the struct need not outlive the call) the allocator of all the
 * library's memory for the rest of the process: engines, modules, compiled code, stores,
 * instances, tables, the GC heap, linear memories, errors, traps, vectors and strings handed to
 * the host. Call it before anything else of the library: it returns false, changing nothing,
 * once the library has allocated anything (any object created, an engine or a config say), and
 * when it was called successfully before. It also returns false for a NULL `allocator` or one
 * whose functions are not all set. It allocates nothing.
 *
 * As in wasmtime, memory crosses the boundary only through the library's own functions: what
 * it hands out (vector data, messages) is released with its `*_delete` functions, never with
 * `free()`, and vectors the host hands over (to wasm_importtype_new(), say) are made with the
 * `wasm_*_vec_new*` functions.
 *
 * Not served by it: files mapped to be read (wasmtime_module_deserialize_file(),
 * wasmtime_config_cache_config_load()), and the C library's own bookkeeping on the library's
 * behalf. On glibc that is pthread_getattr_np() (which the library calls to learn a thread's
 * stack bounds when a store calls WebAssembly on a thread that is neither the process's main
 * thread nor the thread of the store's previous call): it allocates a few blocks with libc's
 * `malloc` and frees them before it returns.
 */
WASM_API_EXTERN bool swasm_set_allocator(const swasm_allocator_t *allocator);

/* ------------------------------------------------------------------------------------------- */
/* What a store holds, and a bound on it                                                         */
/* ------------------------------------------------------------------------------------------- */

/**
 * What a store holds, in bytes, by kind. Each thing is counted when the store takes it: an
 * instance's records, memories and tables at instantiation, growth as it happens, host objects
 * when the host makes them, the execution stack at the first call, GC objects until collected.
 * A module's compiled code belongs to the module (shared by all stores) and is not counted.
 */
typedef struct swasm_store_usage {
  /** Instance records: functions, globals, tables, memories, tags and segments as the
   *  interpreter sees them, and the instances' references to their modules. */
  uint64_t instances;
  /** Records of the functions, globals, tables, memories and tags the host made. */
  uint64_t host_objects;
  /** The execution stack (`max_wasm_stack` bytes from the store's first call). */
  uint64_t stacks;
  /** Table elements, 8 bytes each (the instances' and the host's tables). */
  uint64_t tables;
  /** Linear-memory sizes in bytes (the instances' and the host's memories; a shared memory's
   *  size when it was made). */
  uint64_t memories;
  /** GC objects (structs, arrays, exceptions) not yet collected. */
  uint64_t gc_heap;
  /** The sum of the above, which swasm_store_limiter_total() bounds. */
  uint64_t total;
} swasm_store_usage_t;

/**
 * Writes what `context`'s store holds into `out`. Returns false (writing nothing) if an argument
 * is NULL.
 */
WASM_API_EXTERN bool swasm_context_usage(const wasmtime_context_t *context, swasm_store_usage_t *out);

/**
 * Bounds the total of what `store` holds (swasm_store_usage_t.total) at `total_bytes`; a negative
 * value removes the bound (the default). What would pass it fails as if memory ran out:
 * `memory.grow` and `table.grow` return -1, wasmtime_memory_grow() and wasmtime_table_grow() return
 * an error, instantiation fails with an error saying how much the instance needs, making a host
 * object fails with the out-of-memory error, and a GC allocation collects first, then traps out of
 * memory. What the store already holds stays. wasmtime_store_limiter() leaves this bound as is.
 */
WASM_API_EXTERN void swasm_store_limiter_total(wasmtime_store_t *store, int64_t total_bytes);

/* ------------------------------------------------------------------------------------------- */
/* The GC heap's statistics                                                                      */
/* ------------------------------------------------------------------------------------------- */

/** What a store's GC heap holds and what its collections cost so far. */
typedef struct swasm_gc_statistics {
  /** Bytes of the objects alive or not yet collected (headers included), and their number. */
  uint64_t heap_bytes;
  uint64_t objects;
  /** Collections run (`wasmtime_context_gc` included), the longest one and all of them together,
   *  in nanoseconds. */
  uint64_t collections;
  uint64_t longest_pause_ns;
  uint64_t total_pause_ns;
} swasm_gc_statistics_t;

/**
 * Writes the statistics of `context`'s GC heap into `out`. Returns false (writing nothing) if an
 * argument is NULL.
 */
WASM_API_EXTERN bool swasm_context_gc_statistics(const wasmtime_context_t *context, swasm_gc_statistics_t *out);

/* ------------------------------------------------------------------------------------------- */
/* Conversions between the any and extern hierarchies (GC)                                       */
/* ------------------------------------------------------------------------------------------- */

/**
 * What `any.convert_extern` does, for the host: the `anyref` standing for the externref `ref`
 * (null for null). A host value becomes an anyref that is neither i31, struct nor array; an
 * externref that WebAssembly made from an anyref (`extern.convert_any`) becomes that anyref
 * again. Returns false (with `out` null) if `ref` is not a live reference of `context`'s store
 * or its root cannot be allocated. The result is rooted: release it with wasmtime_anyref_unroot().
 */
WASM_API_EXTERN bool swasm_anyref_convert_extern(wasmtime_context_t *context, const wasmtime_externref_t *ref,
                                                 wasmtime_anyref_t *out);

/**
 * What `extern.convert_any` does, for the host: the `externref` standing for `ref` (null for
 * null); wasmtime_externref_data() of it is the host data of an anyref made from an externref,
 * NULL for any other. Returns false (with `out` null) if `ref` is not a live reference of
 * `context`'s store or its root cannot be allocated. Release the result with
 * wasmtime_externref_unroot().
 */
WASM_API_EXTERN bool swasm_externref_convert_any(wasmtime_context_t *context, const wasmtime_anyref_t *ref,
                                                 wasmtime_externref_t *out);

/* ------------------------------------------------------------------------------------------- */
/* Scripts: the .wast format of the WebAssembly specification tests                             */
/* ------------------------------------------------------------------------------------------- */

/**
 * \typedef swasm_script_t
 * A parsed `.wast` script: the commands of the file, in order, with every module already
 * turned into binary form. Text modules (`(module ...)` written out, and `(module quote ...)`)
 * are assembled while the script is parsed; a module whose text is malformed does not make the
 * script fail to parse, it is recorded as not well-formed (which `assert_malformed` expects).
 * `(module binary ...)` modules keep their bytes exactly as written, without decoding them.
 *
 * A script owns everything that swasm_script_command() hands out; it is released, with all
 * of it, by swasm_script_delete(). It holds no engine or store: a runner compiles the modules,
 * instantiates them and calls their exports with the ordinary API.
 */
typedef struct swasm_script swasm_script_t;

/** What a script command asks for (the `kind` of swasm_script_command_t). */
typedef uint8_t swasm_script_command_kind_t;
/** `(module ...)`: compile and instantiate; it becomes the current module (and the named one). */
#define SWASM_SCRIPT_MODULE 0
/** `(register "as" $name?)`: make a module's exports importable under module name `as`. */
#define SWASM_SCRIPT_REGISTER 1
/** `(invoke ...)` or `(get ...)` on its own: perform the action, ignore the results. */
#define SWASM_SCRIPT_ACTION 2
/** `(assert_return action expected*)`: the results must match `expected`. */
#define SWASM_SCRIPT_ASSERT_RETURN 3
/** `(assert_trap action|module "text")`: the call (or the instantiation) must trap. */
#define SWASM_SCRIPT_ASSERT_TRAP 4
/** `(assert_exhaustion action "text")`: the call must exhaust the call stack. */
#define SWASM_SCRIPT_ASSERT_EXHAUSTION 5
/** `(assert_malformed module "text")`: the module must be rejected as malformed (its text
 *  does not assemble, or its binary does not decode). */
#define SWASM_SCRIPT_ASSERT_MALFORMED 6
/** `(assert_invalid module "text")`: the module must fail validation. */
#define SWASM_SCRIPT_ASSERT_INVALID 7
/** `(assert_unlinkable module "text")`: the module must compile but fail to link. */
#define SWASM_SCRIPT_ASSERT_UNLINKABLE 8
/** `(assert_uninstantiable module "text")`: the module must link but trap while instantiated. */
#define SWASM_SCRIPT_ASSERT_UNINSTANTIABLE 9
/** `(module instance $name? $definition)`: instantiate the module `(module definition
 *  $definition ...)` compiled; the instance becomes the current module (and the named one). */
#define SWASM_SCRIPT_MODULE_INSTANCE 10
/** `(assert_exception action)`: the call must end with an uncaught WebAssembly exception
 *  (exception handling; no message). */
#define SWASM_SCRIPT_ASSERT_EXCEPTION 11

/** How a script module was written (the `module_form` of swasm_script_command_t). */
typedef uint8_t swasm_script_module_form_t;
/** `(module field*)`, assembled from the script's own text. */
#define SWASM_SCRIPT_MODULE_TEXT 0
/** `(module binary "..."*)`: the bytes as written. */
#define SWASM_SCRIPT_MODULE_BINARY 1
/** `(module quote "..."*)`: quoted text, assembled on its own. */
#define SWASM_SCRIPT_MODULE_QUOTE 2

/** Whether an action calls a function or reads a global. */
typedef uint8_t swasm_script_action_kind_t;
/** `(invoke $module? "name" argument*)`. */
#define SWASM_SCRIPT_INVOKE 0
/** `(get $module? "name")`. */
#define SWASM_SCRIPT_GET 1

/** The type of a script constant (the `kind` of swasm_script_value_t). */
typedef uint8_t swasm_script_value_kind_t;
#define SWASM_SCRIPT_I32 0
#define SWASM_SCRIPT_I64 1
#define SWASM_SCRIPT_F32 2
#define SWASM_SCRIPT_F64 3
#define SWASM_SCRIPT_V128 4
/** `(ref.null func)`. */
#define SWASM_SCRIPT_FUNCREF_NULL 5
/** `(ref.null extern)`. */
#define SWASM_SCRIPT_EXTERNREF_NULL 6
/** `(ref.extern N)`: the host reference numbered N (in `bits`). */
#define SWASM_SCRIPT_EXTERNREF 7
/** `(ref.func N)`: a function reference (N in `bits`). */
#define SWASM_SCRIPT_FUNCREF 8
/** `(ref.null any|none|eq|i31|struct|array)`: the null of the `any` hierarchy. */
#define SWASM_SCRIPT_ANYREF_NULL 9
/** `(ref.null exn|noexn)`. */
#define SWASM_SCRIPT_EXNREF_NULL 10
/** `(ref.null $t)` or `(ref.null N)`: the null of a defined type, whose hierarchy the script does
 *  not tell (a runner takes it from the parameter, and accepts any null as a result). `bits`: N,
 *  or UINT64_MAX for a `$name`. */
#define SWASM_SCRIPT_TYPED_NULL 11
/** `(ref.host N)`: the host reference numbered N (in `bits`) seen as an `anyref`, as
 *  `any.convert_extern` makes it of `(ref.extern N)`. */
#define SWASM_SCRIPT_HOSTREF 12

/** Lane shapes of v128 constants and expectations. */
typedef uint8_t swasm_script_lane_shape_t;
#define SWASM_SCRIPT_I8X16 0
#define SWASM_SCRIPT_I16X8 1
#define SWASM_SCRIPT_I32X4 2
#define SWASM_SCRIPT_I64X2 3
#define SWASM_SCRIPT_F32X4 4
#define SWASM_SCRIPT_F64X2 5

/**
 * A constant of a script: an argument, or the value part of an expected result. Numbers are
 * bit patterns: i32 and f32 in the low 32 bits of `bits`, i64 and f64 in all of it (a float
 * keeps its exact bits, NaN payload included). A v128 is `v128`, 16 bytes little-endian (lane 0
 * first). The reference numbers of `(ref.extern N)`, `(ref.host N)` and `(ref.func N)` are in
 * `bits`.
 */
typedef struct swasm_script_value {
  swasm_script_value_kind_t kind;
  uint64_t bits;
  uint8_t v128[16];
} swasm_script_value_t;

/** How an expected result is matched (the `kind` of swasm_script_expected_t). */
typedef uint8_t swasm_script_expected_kind_t;
/** Exactly `value` (floats bit for bit). */
#define SWASM_SCRIPT_EXPECT_VALUE 0
/** `nan:canonical`: a canonical NaN of `value.kind` (f32 or f64), either sign. */
#define SWASM_SCRIPT_EXPECT_CANONICAL_NAN 1
/** `nan:arithmetic`: a NaN with the quiet bit set, of `value.kind`, either sign. */
#define SWASM_SCRIPT_EXPECT_ARITHMETIC_NAN 2
/** A v128 of `shape` (f32x4 or f64x2) compared lane by lane: lanes whose `lane_patterns`
 *  entry is SWASM_SCRIPT_LANE_EXACT must equal the lane of `value.v128`, the others must be
 *  the NaN asked for. */
#define SWASM_SCRIPT_EXPECT_LANES 3
/** `(ref.extern)`: any non-null extern reference. */
#define SWASM_SCRIPT_EXPECT_ANY_EXTERNREF 4
/** `(ref.func)`: any non-null function reference. */
#define SWASM_SCRIPT_EXPECT_ANY_FUNCREF 5
/** `(either ...)`: any of the `either_count` expectations that start at `either_start` in the
 *  command's `alternatives`. */
#define SWASM_SCRIPT_EXPECT_EITHER 6
/** `(ref.null)`: a null reference of any type. */
#define SWASM_SCRIPT_EXPECT_ANY_NULL 7
/** `(ref.any)`: any non-null reference of the `any` hierarchy. */
#define SWASM_SCRIPT_EXPECT_ANY_ANYREF 8
/** `(ref.eq)`: any non-null `eqref` (an i31, a struct or an array). */
#define SWASM_SCRIPT_EXPECT_ANY_EQREF 9
/** `(ref.i31)`: any `i31ref`. */
#define SWASM_SCRIPT_EXPECT_ANY_I31REF 10
/** `(ref.struct)`: any non-null `structref`. */
#define SWASM_SCRIPT_EXPECT_ANY_STRUCTREF 11
/** `(ref.array)`: any non-null `arrayref`. */
#define SWASM_SCRIPT_EXPECT_ANY_ARRAYREF 12

/** The pattern of one lane of a SWASM_SCRIPT_EXPECT_LANES expectation. */
#define SWASM_SCRIPT_LANE_EXACT 0
#define SWASM_SCRIPT_LANE_CANONICAL_NAN 1
#define SWASM_SCRIPT_LANE_ARITHMETIC_NAN 2

/** One expected result of `assert_return`. */
typedef struct swasm_script_expected {
  swasm_script_expected_kind_t kind;
  /** The lane shape of a v128 (the one the script wrote it in, for SWASM_SCRIPT_EXPECT_VALUE
   *  and SWASM_SCRIPT_EXPECT_LANES; it only matters for how lanes are compared and shown). */
  swasm_script_lane_shape_t shape;
  /** SWASM_SCRIPT_EXPECT_LANES: SWASM_SCRIPT_LANE_* for each lane (4 or 2 used). */
  uint8_t lane_patterns[4];
  swasm_script_value_t value;
  /** SWASM_SCRIPT_EXPECT_EITHER: the range of alternatives. */
  size_t either_start;
  size_t either_count;
} swasm_script_expected_t;

/**
 * The description of one command, filled by swasm_script_command(). Strings are not
 * NUL-terminated: each comes with its length (and may hold any bytes, as export names can).
 * Every pointer points into the script and stays valid until swasm_script_delete(); a pointer
 * for something the command does not have is NULL with length 0, and so may be an empty string
 * (an export named "", say): test the `has_*` flags and the name pointers, not the lengths.
 */
typedef struct swasm_script_command {
  swasm_script_command_kind_t kind;
  /** Where the command starts in the script, 1-based. */
  uint32_t line;
  uint32_t column;

  /** The module of SWASM_SCRIPT_MODULE and of the module assertions (and of assert_trap on a
   *  module). */
  bool has_module;
  swasm_script_module_form_t module_form;
  /** `$name` of the module (without `$`), or NULL. */
  const char *module_name;
  size_t module_name_size;
  /** False when the module's text did not assemble; `module_error` then says why, and
   *  `module_binary` is NULL. Binary modules are always "well-formed" here (their bytes are not
   *  looked at until they are compiled). */
  bool module_well_formed;
  const uint8_t *module_binary;
  size_t module_binary_size;
  const char *module_error;
  size_t module_error_size;
  /** SWASM_SCRIPT_MODULE_QUOTE: the quoted text (the strings joined with spaces). */
  const char *module_quote;
  size_t module_quote_size;

  /** SWASM_SCRIPT_REGISTER: the module to register (`$name`, NULL for the current one). Its
   *  new name (the `as` string) is `text`. */
  const char *register_module;
  size_t register_module_size;

  /** The action of SWASM_SCRIPT_ACTION, _ASSERT_RETURN, _ASSERT_EXHAUSTION, _ASSERT_EXCEPTION
   *  and of an assert_trap on a call. */
  bool has_action;
  swasm_script_action_kind_t action_kind;
  /** The module addressed (`$name`), or NULL for the current one. */
  const char *action_module;
  size_t action_module_size;
  /** The export called or read. */
  const char *action_field;
  size_t action_field_size;
  const swasm_script_value_t *arguments;
  size_t argument_count;

  /** SWASM_SCRIPT_ASSERT_RETURN: the expected results, in order. */
  const swasm_script_expected_t *expected;
  size_t expected_count;
  /** The expectations `(either ...)` results choose from (see SWASM_SCRIPT_EXPECT_EITHER). */
  const swasm_script_expected_t *alternatives;
  size_t alternative_count;

  /** The failure message an assertion expects, or the `as` name of SWASM_SCRIPT_REGISTER. */
  const char *text;
  size_t text_size;

  /** SWASM_SCRIPT_MODULE: `(module definition ...)`, compiled (and kept under its `$name`)
   *  but not instantiated. */
  bool module_definition;
  /** SWASM_SCRIPT_MODULE_INSTANCE: the definition to instantiate (`$name` without `$`); the
   *  instance's own name, if any, is `module_name`. */
  const char *definition;
  size_t definition_size;
} swasm_script_command_t;

/**
 * Parses the `.wast` script `text` (`size` bytes; need not be NUL-terminated). Returns the
 * script, or NULL with `*error` set: a script that is not well-formed gets an error whose message
 * ends with the position, as `LINE:COLUMN`; when memory runs out it is the out-of-memory error
 * (swasm_error_is_oom()). A file holding just module fields, as `.wat` files do, is a script of
 * one module command. `error` must not be NULL.
 */
WASM_API_EXTERN swasm_script_t *swasm_script_parse(const char *text, size_t size,
                                                   wasmtime_error_t **error);

/** The number of commands of `script` (0 for NULL). */
WASM_API_EXTERN size_t swasm_script_command_count(const swasm_script_t *script);

/**
 * Fills `*out` with command `index` of `script` (see swasm_script_command_t). Allocates
 * nothing. Returns false (with `*out` zeroed) for a NULL script or an index out of range.
 */
WASM_API_EXTERN bool swasm_script_command(const swasm_script_t *script, size_t index,
                                          swasm_script_command_t *out);

/** Releases `script` and everything swasm_script_command() handed out. NULL is ignored. */
WASM_API_EXTERN void swasm_script_delete(swasm_script_t *script);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // SWASM_H
