/**
 * \file wasmtime/conf.h
 *
 * Build configuration of the library: which optional parts of the
 * wasmtime-compatible C API are available.
 *
 * The set below reproduces wasmtime's default build, minus the component
 * model (swasm implements core WebAssembly only). Other headers consult these
 * macros, exactly as wasmtime's headers do, to decide which declarations and
 * struct members exist; keeping them identical keeps struct layouts identical
 * (for example WASMTIME_FEATURE_GC makes wasmtime_val_t 32 bytes).
 */

#ifndef WASMTIME_CONF_H
#define WASMTIME_CONF_H

#define WASMTIME_FEATURE_PROFILING
#define WASMTIME_FEATURE_WAT
#define WASMTIME_FEATURE_CACHE
#define WASMTIME_FEATURE_PARALLEL_COMPILATION
#define WASMTIME_FEATURE_WASI
#define WASMTIME_FEATURE_LOGGING
#define WASMTIME_FEATURE_COREDUMP
#define WASMTIME_FEATURE_ADDR2LINE
#define WASMTIME_FEATURE_DEMANGLE
#define WASMTIME_FEATURE_THREADS
#define WASMTIME_FEATURE_GC
#define WASMTIME_FEATURE_GC_DRC
#define WASMTIME_FEATURE_GC_NULL
#define WASMTIME_FEATURE_ASYNC
#define WASMTIME_FEATURE_CRANELIFT
#define WASMTIME_FEATURE_WINCH
#define WASMTIME_FEATURE_DEBUG_BUILTINS
#define WASMTIME_FEATURE_POOLING_ALLOCATOR
#define WASMTIME_FEATURE_PULLEY
/* Not provided by swasm: WASMTIME_FEATURE_COMPONENT_MODEL,
 * WASMTIME_FEATURE_COMPONENT_MODEL_ASYNC, WASMTIME_FEATURE_WASI_HTTP. */

#if defined(WASMTIME_FEATURE_CRANELIFT) || defined(WASMTIME_FEATURE_WINCH)
#define WASMTIME_FEATURE_COMPILER
#endif

/* Visibility of the library's exported functions. WASM_API_EXTERN (wasm.h)
 * and WASI_API_EXTERN (wasi.h) are the macros the declarations use;
 * WASMTIME_API_EXTERN is provided for embedders that spell it that way. */
#ifndef WASMTIME_API_EXTERN
#if defined(_WIN32) && !defined(__MINGW32__) && !defined(LIBWASM_STATIC)
#define WASMTIME_API_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define WASMTIME_API_EXTERN __attribute__((visibility("default")))
#else
#define WASMTIME_API_EXTERN
#endif
#endif

#endif // WASMTIME_CONF_H
