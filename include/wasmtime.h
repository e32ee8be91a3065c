/**
 * \file wasmtime.h
 *
 * Umbrella header of swasm's wasmtime-compatible C API.
 *
 * swasm implements wasmtime's C API (the non-component part) with the same
 * declarations and binary layouts, so programs written against wasmtime
 * build unchanged against these headers and run against libswasm.so. This
 * header includes every other header of the API, including <wasm.h> (the
 * standard wasm-c-api) and <wasi.h>.
 *
 * General conventions:
 * - Functions returning `wasmtime_error_t *` return NULL on success and an
 *   owned error otherwise (see <wasmtime/error.h>).
 * - swasm never aborts the process: allocation failure yields NULL, the
 *   out-of-memory error or trap, or an empty output vector, as documented
 *   per function; misuse wasmtime would abort on (NULL arguments, items of
 *   another store) yields an error, NULL, or false instead.
 * - A `wasmtime_context_t *` may not be used from two threads at once; a
 *   `const wasmtime_context_t *` parameter marks a read-only use of the
 *   store.
 *
 * swasm-specific additions are in <swasm.h>.
 */

#ifndef WASMTIME_API_H
#define WASMTIME_API_H

#include <wasi.h>
#include <wasmtime/conf.h>
// clang-format off
#include <wasmtime/anyref.h>
#include <wasmtime/arrayref.h>
#include <wasmtime/async.h>
#include <wasmtime/config.h>
#include <wasmtime/engine.h>
#include <wasmtime/eqref.h>
#include <wasmtime/error.h>
#include <wasmtime/exnref.h>
#include <wasmtime/externref.h>
#include <wasmtime/extern.h>
#include <wasmtime/func.h>
#include <wasmtime/global.h>
#include <wasmtime/instance.h>
#include <wasmtime/linker.h>
#include <wasmtime/memory.h>
#include <wasmtime/module.h>
#include <wasmtime/profiling.h>
#include <wasmtime/sharedmemory.h>
#include <wasmtime/store.h>
#include <wasmtime/structref.h>
#include <wasmtime/table.h>
#include <wasmtime/tag.h>
#include <wasmtime/trap.h>
#include <wasmtime/types.h>
#include <wasmtime/val.h>
#include <wasmtime/wat.h>
// clang-format on

/** Version of the wasmtime C API these headers mirror, as a string. */
#define WASMTIME_VERSION "50.0.1"
/** Major version of the mirrored wasmtime C API. */
#define WASMTIME_VERSION_MAJOR 50
/** Minor version of the mirrored wasmtime C API. */
#define WASMTIME_VERSION_MINOR 0
/** Patch version of the mirrored wasmtime C API. */
#define WASMTIME_VERSION_PATCH 1

#endif // WASMTIME_API_H
