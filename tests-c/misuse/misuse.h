// The host-misuse suite: shared declarations (see misuse_main.c for the runner and the overview).
#ifndef SWASM_MISUSE_H
#define SWASM_MISUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <swasm.h>
#include <wasm.h>
#include <wasmtime.h>

// Functions that a library may lack: swasm's own extensions (absent from wasmtime's library, which
// the suite can also be built against for comparison) and functions swasm declares but does not
// export yet. A case calling one checks `HAVE(f)` first and is skipped (reported, not failed) when
// the library lacks it.
#pragma weak swasm_error_is_oom
#pragma weak swasm_trap_is_oom
#pragma weak swasm_module_disassemble
#pragma weak swasm_script_parse
#pragma weak swasm_script_command_count
#pragma weak swasm_script_command
#pragma weak swasm_script_delete
#pragma weak swasm_set_allocator
#pragma weak wasmtime_context_gc
#pragma weak wasmtime_externref_from_raw
#pragma weak wasmtime_externref_to_raw
#pragma weak wasm_externtype_as_tagtype_const
#pragma weak wasm_externtype_as_tagtype
#pragma weak wasm_tagtype_as_externtype
#pragma weak wasm_tagtype_as_externtype_const
#define HAVE(f) ((void *)(f) != NULL)

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

typedef struct mcase mcase;
typedef void (*case_fn)(const mcase *c);

struct mcase {
  char *name;        // "family/function/variant"
  const char *function; // the exported function the case is about (coverage)
  case_fn fn;
  int a, b;          // variant parameters, meaning chosen by the family
  const void *p;     // variant data
};

// Registers a case. `function` is the API function under test (for the coverage check); the name
// is "family/function/variant".
void add_case(const char *family, const char *function, const char *variant, case_fn fn, int a, int b,
              const void *p);
// Marks more functions as exercised by the suite (for the coverage check), without a case.
void add_coverage(const char *function);

// NULL-argument family: one case per pointer argument (each NULL in turn) plus a baseline with
// every argument valid. `args` names the arguments, comma-separated. In the case function,
// NUL(i, x) is NULL when argument i is the one nulled, else x; BASELINE is true in the baseline.
void add_null_family(const char *function, case_fn fn, const char *args);
#define NUL(i, x) (c->a == (i) ? NULL : (x))
#define BASELINE (c->a < 0)
#define NULLED (c->a >= 0)
// A bool result: true in the baseline, false with a NULL argument.
#define EXPECT_TRUE_IFF_BASELINE(b, what)                                                \
  do {                                                                                   \
    bool b_ = (b);                                                                       \
    note("%s: %s", what, b_ ? "true" : "false");                                         \
    if (BASELINE) EXPECT(b_, "%s: false in the baseline", what);                        \
    else EXPECT(!b_, "%s: true with a NULL argument", what);                            \
  } while (0)

#define MISUSE_CONCAT2(a, b) a##b
#define MISUSE_CONCAT(a, b) MISUSE_CONCAT2(a, b)

// Defines a NULL-family case function for `function` and registers it at startup.
#define NULL_CASE(function, args)                                                           \
  static void MISUSE_CONCAT(null_, function)(const mcase * c __attribute__((unused)));     \
  __attribute__((constructor)) static void MISUSE_CONCAT(register_null_, function)(void) {  \
    add_null_family(#function, MISUSE_CONCAT(null_, function), args);                        \
  }                                                                                         \
  static void MISUSE_CONCAT(null_, function)(const mcase * c __attribute__((unused)))

// Runs `body` at startup (registration of generated families).
#define REGISTER(name) __attribute__((constructor)) static void name(void)

// ---------------------------------------------------------------------------------------------
// Reporting inside a case (the child process)
// ---------------------------------------------------------------------------------------------

// Prints an indented line of what the case got.
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// When set, failed expectations are printed as notes ("not refused") instead of failing the case:
// for misuse that only some handle representations can detect.
extern bool soft_expectations;
// Records a failed expectation (the case then exits with status 1) and prints it.
void fail_at(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define EXPECT(cond, ...)          \
  do {                             \
    if (!(cond)) FAIL(__VA_ARGS__); \
  } while (0)
// Skips the rest of the case (exit 0), e.g. when the library lacks a function.
void skip(const char *why) __attribute__((noreturn));

// Describes and releases an error / trap; returns whether there was one.
bool show_error(const char *what, wasmtime_error_t *error);
bool show_trap(const char *what, wasm_trap_t *trap);
// Expectations on an error result (each prints it and releases it).
void expect_error_at(const char *file, int line, const char *what, wasmtime_error_t *error);
void expect_ok_at(const char *file, int line, const char *what, wasmtime_error_t *error);
#define EXPECT_ERROR(what, e) expect_error_at(__FILE__, __LINE__, what, e)
#define EXPECT_OK(what, e) expect_ok_at(__FILE__, __LINE__, what, e)
// An error expected unless `ok` (baseline) in which case success is expected.
#define EXPECT_ERROR_UNLESS(ok, what, e)              \
  do {                                                \
    if (ok)                                           \
      expect_ok_at(__FILE__, __LINE__, what, e);      \
    else                                              \
      expect_error_at(__FILE__, __LINE__, what, e);   \
  } while (0)
// The outcome of a call that may fail by error or by trap: prints both, releases both; returns
// true if the call failed (error or trap).
bool call_failed(const char *what, wasmtime_error_t *error, wasm_trap_t *trap);
// The first line of a message (wasmtime appends backtraces), for printing.
void print_message(const char *prefix, const char *data, size_t size);

// ---------------------------------------------------------------------------------------------
// The fixture: engine, stores, a module with host imports, instances, objects of another store
// and of a deleted store. Built lazily, once per child.
// ---------------------------------------------------------------------------------------------

// Behaviour of the fixture's host functions (set by a case before calling into Wasm).
enum host_mode {
  HOST_NORMAL,        // return the expected values
  HOST_RESULT_VALUE,  // return `host_result` (possibly a bad value) as the result
  HOST_NO_RESULT,     // write nothing into results
  HOST_HOOK,          // call `host_hook` (re-entry cases)
};
extern enum host_mode host_mode;
extern wasmtime_val_t host_result;
extern wasm_trap_t *(*host_hook)(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                 wasmtime_val_t *results, size_t nresults);
extern int host_calls;

typedef struct fixture {
  wasm_engine_t *engine;
  wasmtime_store_t *store, *store2;
  wasmtime_context_t *ctx, *ctx2;
  wasmtime_module_t *module;
  wasm_byte_vec_t wasm; // the module's binary
  wasmtime_linker_t *linker; // "host" functions defined, store-independent
  wasmtime_instance_t inst, inst2; // the module in store 1 and store 2
  // Exports of inst (store 1).
  wasmtime_func_t add, seven, call_tab, call_gf, call_ref_arg, call_host, call_hfref, call_heref, is_null_ext,
      ext_id, get_ge, etab_get, load, store_fn, grow, v128id, f64id, i64id, i32id, call_hosti64;
  wasmtime_table_t tab, etab;
  wasmtime_memory_t mem;
  wasmtime_global_t g, gc, gf, ge, gv, gi64;
  // Host-created objects in store 1.
  wasmtime_func_t host_func; // (i32) -> i32, HOST_NORMAL returns arg + 1
  wasmtime_externref_t ext;  // data = &fixture_ext_data
  // Objects of store 2 (alive).
  wasmtime_func_t seven2;
  wasmtime_table_t tab2;
  wasmtime_memory_t mem2;
  wasmtime_global_t g2;
  wasmtime_externref_t ext2;
  // Objects of a store that has been deleted.
  wasmtime_func_t dead_func;
  wasmtime_table_t dead_table;
  wasmtime_memory_t dead_memory;
  wasmtime_global_t dead_global;
  wasmtime_instance_t dead_instance;
  wasmtime_externref_t dead_ext;
} fixture;

extern int fixture_ext_data, fixture_ext2_data, dead_ext_data;
fixture *fx(void);
// An export of `inst` (the case fails and exits when it is missing).
wasmtime_func_t fx_export_func(wasmtime_context_t *ctx, const wasmtime_instance_t *inst, const char *name);
wasmtime_extern_t fx_export(wasmtime_context_t *ctx, const wasmtime_instance_t *inst, const char *name);

// Compiles WAT text (fails the case on error).
wasmtime_module_t *compile_wat(wasm_engine_t *engine, const char *wat);
// WAT -> binary (caller deletes).
void wat_to_binary(const char *wat, wasm_byte_vec_t *out);

// Function types.
wasm_functype_t *functype_i_i(void);  // (i32) -> i32
wasm_functype_t *functype_v_v(void);  // () -> ()
wasm_functype_t *functype_1(wasm_valkind_t param, int has_param, wasm_valkind_t result, int has_result);

// Calls fixture function `f` with one i32 argument (or none if nargs 0); returns the i32 result,
// or INT32_MIN after printing an error or trap.
int32_t call_i32(wasmtime_context_t *ctx, const wasmtime_func_t *f, int nargs, int32_t arg);

// A buffer whose last byte is the last byte before an inaccessible page: any read past `size`
// bytes faults. `size` may be 0 (then the pointer is the inaccessible page itself).
const char *guarded_copy(const void *data, size_t size);

// Value constructors.
wasmtime_val_t val_i32(int32_t v);
wasmtime_val_t val_i64(int64_t v);
wasmtime_val_t val_f32(float v);
wasmtime_val_t val_f64(double v);
wasmtime_val_t val_funcref(wasmtime_func_t f);
wasmtime_val_t val_externref(wasmtime_externref_t r);

#endif
