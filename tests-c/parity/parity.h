/* C API parity suite: what the case files share.
 *
 * Every case is a function run in a forked child that has dlopen'ed the library under test
 * (libswasm.so or wasmtime's libwasmtime.so) and resolved every function of the C API with dlsym.
 * Calls in the case files are written with the API's own names; api.h redirects each name to its
 * resolved pointer, and a function the library does not export ends the case with
 * "unexported: NAME" instead of crashing. A case prints a transcript of what it observed with out()
 * and the report_* helpers: only values, never addresses, so the transcripts of both libraries
 * compare line by line. */
#ifndef PARITY_H
#define PARITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wasi.h>
#include <wasmtime.h>

#include "api.h"

#define PARITY_DECLARE_POINTER(name, tier, header) extern __typeof__(name) *p_##name;
PARITY_API_LIST(PARITY_DECLARE_POINTER)
#undef PARITY_DECLARE_POINTER

_Noreturn void parity_unexported(const char *name);
#define PARITY_FN(name) (p_##name ? p_##name : (parity_unexported(#name), p_##name))

#define PARITY_REDIRECT_CALLS
#include "api.h"

/* A case: a stable name (header.topic.what) and its body. */
typedef struct {
  const char *name;
  void (*run)(void);
  int arg; /* for cases run with several parameters: read as case_arg */
} parity_case_t;
extern int case_arg;

#define CASE(fn) static void fn(void)
#define CASES_END {NULL, NULL}

/* ---- transcript ---- */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints `label: "escaped bytes"` (non-printable bytes as \xNN, NUL as \0). */
void out_bytes(const char *label, const void *data, size_t len);
/* "label: ok" for NULL, else "label: error <message>"; deletes the error. */
void report_error(const char *label, wasmtime_error_t *error);
/* "label: no trap" for NULL, else the trap's message, code, origin and frames; deletes the trap. */
void report_trap(const char *label, wasm_trap_t *trap);
/* The outcome of a call returning an error and a trap. */
void report_call(const char *label, wasmtime_error_t *error, wasm_trap_t *trap);
/* wasmtime_trap_code's outcome: "none", the code, or "true, code not written". */
const char *trap_code_str(const wasm_trap_t *trap);
void report_frame(const char *label, const wasm_frame_t *frame);
void report_frames(const char *label, const wasm_frame_vec_t *frames);
/* A value: `label: i32 7`, `label: funcref null`, ... (references by identity, not address). */
void report_val(const char *label, wasmtime_context_t *cx, const wasmtime_val_t *val);
void report_valtype(const char *label, const wasm_valtype_t *vt);
void report_externtype(const char *label, const wasm_externtype_t *et);
void report_functype(const char *label, const wasm_functype_t *ft);
void report_globaltype(const char *label, const wasm_globaltype_t *gt);
void report_tabletype(const char *label, const wasm_tabletype_t *tt);
void report_memorytype(const char *label, const wasm_memorytype_t *mt);
void report_name(const char *label, const wasm_name_t *name);
void report_importtypes(const char *label, const wasm_importtype_vec_t *v);
void report_exporttypes(const char *label, const wasm_exporttype_vec_t *v);
const char *kind_name(wasmtime_valkind_t kind);

/* ---- modules ---- */
typedef struct {
  uint8_t *data;
  size_t size;
} bytes_t;
/* The binary of a module written in the text format, assembled by wabt's wat2wasm --debug-names
 * (an independent assembler, so both libraries run the same bytes); ends the process when wabt
 * fails. */
bytes_t wat(const char *text);
/* The same with one more wabt option (e.g. "--enable-tail-call"), or none for NULL. */
bytes_t wat_flags(const char *text, const char *flag);
/* Validates BYTES with wasmtime_module_validate and prints "LABEL: ok" or the error. */
void report_validate(const char *label, wasm_engine_t *engine, bytes_t bytes);

/* ---- fixtures ---- */
typedef struct {
  wasm_engine_t *engine;
  wasmtime_store_t *store;
  wasmtime_context_t *cx;
} env_t;
env_t env_new(void);
env_t env_with_config(wasm_config_t *config); /* takes the config */
void env_delete(env_t *env);
/* Compiles a module; prints and returns NULL on failure. */
wasmtime_module_t *module_of(env_t *env, const char *text);
/* Instantiates a module without imports; prints what failed and returns false on failure. */
bool instance_of(env_t *env, const char *text, wasmtime_instance_t *out);
/* The export NAME of an instance; prints "no export NAME" and returns kind 255 if missing. */
wasmtime_extern_t export_of(env_t *env, const wasmtime_instance_t *inst, const char *name);
/* Calls an exported function with i32/i64 arguments given as wasmtime_val_t; prints the outcome and
 * the results. */
void call_export(env_t *env, const wasmtime_instance_t *inst, const char *name,
                 const wasmtime_val_t *args, size_t nargs, size_t nresults);
wasm_valtype_t *vt(wasm_valkind_t kind);
wasm_functype_t *functype(int nparams, const wasm_valkind_t *params, int nresults,
                          const wasm_valkind_t *results);
wasmtime_val_t v_i32(int32_t x);
wasmtime_val_t v_i64(int64_t x);
wasmtime_val_t v_f32(float x);
wasmtime_val_t v_f64(double x);
wasmtime_val_t v_funcref_null(void);
wasmtime_val_t v_externref_null(void);
/* A name as a wasm_name_t the library owns (wasm_byte_vec_new). */
wasm_name_t name_of(const char *s);

/* Tables of cases, one per file, terminated by CASES_END. */
extern const parity_case_t cases_config[];
extern const parity_case_t cases_store[];
extern const parity_case_t cases_module[];
extern const parity_case_t cases_instance_linker[];
extern const parity_case_t cases_func[];
extern const parity_case_t cases_global_table_memory[];
extern const parity_case_t cases_trap_error[];
extern const parity_case_t cases_types[];
extern const parity_case_t cases_wasm_h[];
extern const parity_case_t cases_ref_wat[];

#endif
