/**
 * \file wasmtime/config.h
 *
 * Settings of wasm_config_t beyond those of wasm.h.
 *
 * All setters take effect when the configuration is passed to
 * wasm_engine_new_with_config(). swasm accepts every setting; those that
 * concern native code generation (compiler choice, Cranelift flags,
 * profiling, unwind info, memory reservation strategies, pooling) are
 * recorded but have no observable effect unless documented otherwise. A
 * NULL configuration is ignored.
 */

#ifndef WASMTIME_CONFIG_H
#define WASMTIME_CONFIG_H

#include <wasm.h>
#include <wasmtime/conf.h>
#include <wasmtime/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Code generation strategy: one of #wasmtime_strategy_enum. */
typedef uint8_t wasmtime_strategy_t;

/** Values of #wasmtime_strategy_t. */
enum wasmtime_strategy_enum {
  WASMTIME_STRATEGY_AUTO,      /**< let the runtime choose (default) */
  WASMTIME_STRATEGY_CRANELIFT, /**< optimizing compiler */
  WASMTIME_STRATEGY_WINCH,     /**< baseline compiler */
};

/** Optimization level: one of #wasmtime_opt_level_enum. */
typedef uint8_t wasmtime_opt_level_t;

/** Values of #wasmtime_opt_level_t. */
enum wasmtime_opt_level_enum {
  WASMTIME_OPT_LEVEL_NONE,           /**< no optimization */
  WASMTIME_OPT_LEVEL_SPEED,          /**< optimize for speed (default) */
  WASMTIME_OPT_LEVEL_SPEED_AND_SIZE, /**< speed, without growing code much */
};

/** JIT profiling integration: one of #wasmtime_profiling_strategy_enum. */
typedef uint8_t wasmtime_profiling_strategy_t;

/** Values of #wasmtime_profiling_strategy_t. */
enum wasmtime_profiling_strategy_enum {
  WASMTIME_PROFILING_STRATEGY_NONE,    /**< none (default) */
  WASMTIME_PROFILING_STRATEGY_JITDUMP, /**< Linux perf jitdump */
  WASMTIME_PROFILING_STRATEGY_VTUNE,   /**< Intel VTune */
  WASMTIME_PROFILING_STRATEGY_PERFMAP, /**< Linux perf map files */
};

/** Register allocator: one of #wasmtime_regalloc_algorithm_enum. */
typedef uint8_t wasmtime_regalloc_algorithm_t;

/** Values of #wasmtime_regalloc_algorithm_t. */
enum wasmtime_regalloc_algorithm_enum {
  WASMTIME_REGALLOC_BACKTRACKING, /**< backtracking allocator (default) */
  WASMTIME_REGALLOC_SINGLE_PASS,  /**< fast single-pass allocator */
};

/* Declares `ret wasmtime_config_<name>_set(wasm_config_t *, ty)`. */
#define WASMTIME_CONFIG_PROP(ret, name, ty)                                    \
  WASM_API_EXTERN ret wasmtime_config_##name##_set(wasm_config_t *, ty);

/** Generate native debug information for compiled code (default false). */
WASMTIME_CONFIG_PROP(void, debug_info, bool)

/** Count fuel while executing; running out traps (default false). See
 * wasmtime_context_set_fuel(). */
WASMTIME_CONFIG_PROP(void, consume_fuel, bool)

/** Enable epoch-based interruption (default false). See
 * wasmtime_context_set_epoch_deadline() and
 * wasmtime_engine_increment_epoch(). */
WASMTIME_CONFIG_PROP(void, epoch_interruption, bool)

/** Maximum WebAssembly stack usage in bytes; exceeding it traps with
 * WASMTIME_TRAP_CODE_STACK_OVERFLOW. */
WASMTIME_CONFIG_PROP(void, max_wasm_stack, size_t)

#ifdef WASMTIME_FEATURE_THREADS

/** Enable the threads proposal (shared memories, atomics). */
WASMTIME_CONFIG_PROP(void, wasm_threads, bool)

#endif // WASMTIME_FEATURE_THREADS

/** Allow creation of shared memories. */
WASMTIME_CONFIG_PROP(void, shared_memory, bool)

/** Enable the tail-call proposal. */
WASMTIME_CONFIG_PROP(void, wasm_tail_call, bool)

#ifdef WASMTIME_FEATURE_GC

/** Enable the reference-types proposal. */
WASMTIME_CONFIG_PROP(void, wasm_reference_types, bool)

/** Enable the typed function references proposal. */
WASMTIME_CONFIG_PROP(void, wasm_function_references, bool)

/** Enable the GC proposal. */
WASMTIME_CONFIG_PROP(void, wasm_gc, bool)

#endif // WASMTIME_FEATURE_GC

/** Enable the runtime support for GC-managed objects. */
WASMTIME_CONFIG_PROP(void, gc_support, bool)

/** Enable the fixed-width SIMD proposal. */
WASMTIME_CONFIG_PROP(void, wasm_simd, bool)

/** Enable the relaxed-SIMD proposal. */
WASMTIME_CONFIG_PROP(void, wasm_relaxed_simd, bool)

/** Make relaxed-SIMD instructions produce deterministic results. */
WASMTIME_CONFIG_PROP(void, wasm_relaxed_simd_deterministic, bool)

/** Enable the bulk-memory proposal. */
WASMTIME_CONFIG_PROP(void, wasm_bulk_memory, bool)

/** Enable the multi-value proposal. */
WASMTIME_CONFIG_PROP(void, wasm_multi_value, bool)

/** Enable the multi-memory proposal. */
WASMTIME_CONFIG_PROP(void, wasm_multi_memory, bool)

/** Enable the memory64 proposal. */
WASMTIME_CONFIG_PROP(void, wasm_memory64, bool)

/** Enable the wide-arithmetic proposal. */
WASMTIME_CONFIG_PROP(void, wasm_wide_arithmetic, bool)

/** Enable the branch-hinting proposal. */
WASMTIME_CONFIG_PROP(void, wasm_branch_hinting, bool)

#ifdef WASMTIME_FEATURE_GC

/** Enable the exception-handling proposal. */
WASMTIME_CONFIG_PROP(void, wasm_exceptions, bool)

#endif // WASMTIME_FEATURE_GC

/** Enable the custom-page-sizes proposal. */
WASMTIME_CONFIG_PROP(void, wasm_custom_page_sizes, bool)

#ifdef WASMTIME_FEATURE_COMPILER

/** Enable the stack-switching proposal. */
WASMTIME_CONFIG_PROP(void, wasm_stack_switching, bool)

/** Select the code generation strategy. */
WASMTIME_CONFIG_PROP(void, strategy, wasmtime_strategy_t)

#endif // WASMTIME_FEATURE_COMPILER

#ifdef WASMTIME_FEATURE_PARALLEL_COMPILATION

/** Allow compilation on several threads. */
WASMTIME_CONFIG_PROP(void, parallel_compilation, bool)

#endif // WASMTIME_FEATURE_PARALLEL_COMPILATION

#ifdef WASMTIME_FEATURE_COMPILER

/** Enable the code generator's internal consistency checks. */
WASMTIME_CONFIG_PROP(void, cranelift_debug_verifier, bool)

/** Canonicalize NaN results of floating-point operations. */
WASMTIME_CONFIG_PROP(void, cranelift_nan_canonicalization, bool)

/** Select the optimization level. */
WASMTIME_CONFIG_PROP(void, cranelift_opt_level, wasmtime_opt_level_t)

/** Select the register allocator. */
WASMTIME_CONFIG_PROP(void, cranelift_regalloc_algorithm,
                     wasmtime_regalloc_algorithm_t)

#endif // WASMTIME_FEATURE_COMPILER

/** Select the profiler integration. */
WASMTIME_CONFIG_PROP(void, profiler, wasmtime_profiling_strategy_t)

/** Whether linear memories may be moved in host memory when grown. */
WASMTIME_CONFIG_PROP(void, memory_may_move, bool)

/** Bytes of address space reserved up front for each linear memory. */
WASMTIME_CONFIG_PROP(void, memory_reservation, uint64_t)

/** Bytes of guard region placed after each linear memory. */
WASMTIME_CONFIG_PROP(void, memory_guard_size, uint64_t)

/** Extra bytes reserved for growth when a linear memory is moved. */
WASMTIME_CONFIG_PROP(void, memory_reservation_for_growth, uint64_t)

/** Generate native unwind information for compiled code. */
WASMTIME_CONFIG_PROP(void, native_unwind_info, bool)

#ifdef WASMTIME_FEATURE_CACHE

/**
 * Enables the compilation cache, configured from the file at the
 * NUL-terminated `path` (NULL for defaults). Returns NULL on success or an
 * error if the configuration cannot be loaded.
 */
WASM_API_EXTERN wasmtime_error_t *
wasmtime_config_cache_config_load(wasm_config_t *, const char *);

#endif // WASMTIME_FEATURE_CACHE

/** Sets the target triple code is generated for (NUL-terminated). Returns
 * NULL on success or an error for an unknown or unsupported target. */
WASMTIME_CONFIG_PROP(wasmtime_error_t *, target, const char *)

#ifdef WASMTIME_FEATURE_COMPILER

/** Enables the named boolean code generator flag. */
WASM_API_EXTERN void wasmtime_config_cranelift_flag_enable(wasm_config_t *,
                                                           const char *);

/** Sets the named code generator flag `key` to `value`. */
WASM_API_EXTERN void wasmtime_config_cranelift_flag_set(wasm_config_t *,
                                                        const char *key,
                                                        const char *value);

#endif // WASMTIME_FEATURE_COMPILER

/** On macOS, use Mach ports rather than signals for trap handling. */
WASMTIME_CONFIG_PROP(void, macos_use_mach_ports, bool)

/** Whether traps may be detected through host signals (e.g. faults on
 * guard pages) rather than explicit checks. */
WASMTIME_CONFIG_PROP(void, signals_based_traps, bool)

/**
 * Callback of a host-provided linear memory: returns the base address and
 * stores the current size in bytes in `*byte_size` and the bytes usable
 * without moving in `*byte_capacity`.
 */
typedef uint8_t *(*wasmtime_memory_get_callback_t)(void *env, size_t *byte_size,
                                                   size_t *byte_capacity);

/** Callback of a host-provided linear memory: grows it to `new_size` bytes;
 * returns NULL on success or an error. */
typedef wasmtime_error_t *(*wasmtime_memory_grow_callback_t)(void *env,
                                                             size_t new_size);

/** A host-provided linear memory, filled in by a
 * #wasmtime_new_memory_callback_t. */
typedef struct wasmtime_linear_memory {
  /** Passed to the callbacks. */
  void *env;
  /** Reports the memory's address and size. */
  wasmtime_memory_get_callback_t get_memory;
  /** Grows the memory. */
  wasmtime_memory_grow_callback_t grow_memory;
  /** Called on `env` when the memory is released (may be NULL). */
  void (*finalizer)(void *);
} wasmtime_linear_memory_t;

/**
 * Callback creating a host-provided linear memory of type `ty` with at
 * least `minimum` and at most `maximum` bytes, `reserved_size_in_bytes` of
 * address space and `guard_size_in_bytes` of guard region. It fills in
 * `*memory_ret` and returns NULL, or returns an error. May be called from
 * any thread.
 */
typedef wasmtime_error_t *(*wasmtime_new_memory_callback_t)(
    void *env, const wasm_memorytype_t *ty, size_t minimum, size_t maximum,
    size_t reserved_size_in_bytes, size_t guard_size_in_bytes,
    wasmtime_linear_memory_t *memory_ret);

/** A host memory creator, see wasmtime_config_host_memory_creator_set(). */
typedef struct wasmtime_memory_creator {
  /** Passed to `new_memory`. */
  void *env;
  /** Creates memories. */
  wasmtime_new_memory_callback_t new_memory;
  /** Called on `env` when the engine is released (may be NULL). */
  void (*finalizer)(void *);
} wasmtime_memory_creator_t;

/** Makes the engine allocate the linear memories instances define (shared
 * ones excepted) through `creator` (copied: the configuration, then the engine
 * made from it, takes over its `env`/`finalizer`, which runs once when that
 * owner is released; a creator set before is finalized now). swasm passes a
 * reservation and guard size of 0, calls `grow_memory` for every growth and
 * re-reads `get_memory` after it. With a NULL configuration or `new_memory`
 * nothing is taken over. */
WASM_API_EXTERN void
wasmtime_config_host_memory_creator_set(wasm_config_t *,
                                        wasmtime_memory_creator_t *);

/** Whether memory initialisation may use copy-on-write mappings: in swasm,
 * instances of a module loaded with wasmtime_module_deserialize_file map its
 * memory images from the file (docs/artifact-format.md). On by default. */
WASMTIME_CONFIG_PROP(void, memory_init_cow, bool)

#ifdef WASMTIME_FEATURE_POOLING_ALLOCATOR

/** An opaque set of pooling allocator settings. */
typedef struct wasmtime_pooling_allocation_config_t
    wasmtime_pooling_allocation_config_t;

/** Creates pooling settings with default values; NULL on allocation
 * failure. */
WASM_API_EXTERN wasmtime_pooling_allocation_config_t *
wasmtime_pooling_allocation_config_new(void);

/** Releases pooling settings. NULL is ignored. */
WASM_API_EXTERN void wasmtime_pooling_allocation_config_delete(
    wasmtime_pooling_allocation_config_t *);

/* Declares `ret wasmtime_pooling_allocation_config_<name>_set(cfg *, ty)`. */
#define WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(ret, name, ty)                 \
  WASM_API_EXTERN ret wasmtime_pooling_allocation_config_##name##_set(         \
      wasmtime_pooling_allocation_config_t *, ty);

/** Number of unused slots kept warm for reuse. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_unused_warm_slots, uint32_t)

/** Number of slots decommitted together. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, decommit_batch_size, size_t)

#ifdef WASMTIME_FEATURE_ASYNC
/** Bytes of each async stack kept resident when reused. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, async_stack_keep_resident, size_t)
#endif

/** Bytes of each linear memory kept resident when reused. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, linear_memory_keep_resident,
                                        size_t)

/** Bytes of each table kept resident when reused. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, table_keep_resident, size_t)

/** Total number of component instances in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_component_instances,
                                        uint32_t)

/** Maximum size in bytes of a component instance's metadata. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_component_instance_size,
                                        size_t)

/** Maximum number of core instances per component. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_core_instances_per_component,
                                        uint32_t)

/** Maximum number of linear memories per component. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_memories_per_component,
                                        uint32_t)

/** Maximum number of tables per component. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_tables_per_component,
                                        uint32_t)

/** Total number of linear memories in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_memories, uint32_t)

/** Total number of tables in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_tables, uint32_t)

#ifdef WASMTIME_FEATURE_ASYNC
/** Total number of async stacks in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_stacks, uint32_t)
#endif

/** Total number of core instances in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_core_instances, uint32_t)

/** Maximum size in bytes of a core instance's metadata. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_core_instance_size, size_t)

/** Maximum number of tables per module. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_tables_per_module, uint32_t)

/** Maximum number of elements per table. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, table_elements, size_t)

/** Maximum number of linear memories per module. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_memories_per_module,
                                        uint32_t)

/** Maximum size in bytes of a linear memory. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, max_memory_size, size_t)

/** Total number of GC heaps in the pool. */
WASMTIME_POOLING_ALLOCATION_CONFIG_PROP(void, total_gc_heaps, uint32_t)

/** Makes the engine use the pooling allocator with the given settings
 * (copied). */
WASM_API_EXTERN void wasmtime_pooling_allocation_strategy_set(
    wasm_config_t *, const wasmtime_pooling_allocation_config_t *);

#endif // WASMTIME_FEATURE_POOLING_ALLOCATOR

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_CONFIG_H
