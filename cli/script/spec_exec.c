// Execution half of the spec-test runner: see spec_exec.h.
//
// This file has two builds. With SPEC_EXEC_RUNTIME=1 (the implementation under
// `#if SPEC_EXEC_RUNTIME` below) every command runs through the library: a store, a linker with
// the "spectest" module, instantiation, registration, calls and global reads. `swasm wast`
// (swasm_cli in CMakeLists.txt; ctest swasm_wast_suite, swasm_wast_suite_artifacts, project_wast)
// and tests-c's spec_runner_exec (ctest spec_execution) are built that way and run every command
// of the spec suite. With SPEC_EXEC_RUNTIME=0, the default of spec_exec.h, which tests-c's
// spec_runner uses (ctest spec_testsuite, which judges compilation only: module definitions,
// assert_malformed, assert_invalid), modules are still compiled and tracked, and every execution
// request reports SPEC_EXEC_UNSUPPORTED (NOT_IMPLEMENTED), which the runner counts as skipped.
#include "spec_exec.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swasm.h>

#define NOT_IMPLEMENTED "execution is not compiled into this runner (build with SPEC_EXEC_RUNTIME=1)"

typedef enum entry_state {
  ENTRY_READY,       // instantiated
  ENTRY_UNAVAILABLE, // failed to compile or instantiate: actions on it fail
  ENTRY_SKIPPED,     // could not be attempted (text module, no runtime): actions on it are skipped
} entry_state_t;

// One module of the script: the current one and every named one ("$id"; the latest of a name wins).
typedef struct entry {
  char *name; // NULL for an anonymous module
  entry_state_t state;
  char *why; // ENTRY_UNAVAILABLE / ENTRY_SKIPPED: the reason
#if SPEC_EXEC_RUNTIME
  wasmtime_instance_t instance; // ENTRY_READY
#endif
} entry_t;

struct spec_exec {
  wasm_engine_t *engine;
  entry_t *entries;
  size_t count;
  size_t cap;
  bool has_current;
  size_t current; // index into entries
#if SPEC_EXEC_RUNTIME
  wasmtime_store_t *store;
  wasmtime_context_t *context;
  wasmtime_linker_t *linker;
#endif
};

static void set_message(spec_exec_result_t *out, spec_exec_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_message(spec_exec_result_t *out, spec_exec_status_t status, const char *fmt, ...) {
  out->status = status;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->message, sizeof out->message, fmt, ap);
  va_end(ap);
}

static void result_init(spec_exec_result_t *out) { memset(out, 0, sizeof *out); }

void spec_exec_result_clear(spec_exec_result_t *r) {
  if (r == NULL) return;
  free(r->values);
  memset(r, 0, sizeof *r);
}

static char *dup_string(const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d != NULL) memcpy(d, s, n);
  return d;
}

static void entry_clear(entry_t *e) {
  free(e->name);
  free(e->why);
  memset(e, 0, sizeof *e);
}

// Makes a new entry the current module (reusing the slot of an anonymous current module, which
// nothing can refer to any more). Returns NULL on allocation failure.
static entry_t *add_current(spec_exec_t *ex, const char *name) {
  char *copy = NULL;
  if (name != NULL && (copy = dup_string(name)) == NULL) return NULL;
  size_t index;
  if (ex->has_current && ex->entries[ex->current].name == NULL) {
    index = ex->current;
    entry_clear(&ex->entries[index]);
  } else {
    if (ex->count == ex->cap) {
      size_t cap = ex->cap == 0 ? 16 : ex->cap * 2;
      entry_t *grown = realloc(ex->entries, cap * sizeof *grown);
      if (grown == NULL) {
        free(copy);
        return NULL;
      }
      ex->entries = grown;
      ex->cap = cap;
    }
    index = ex->count++;
    memset(&ex->entries[index], 0, sizeof ex->entries[index]);
  }
  ex->entries[index].name = copy;
  ex->has_current = true;
  ex->current = index;
  return &ex->entries[index];
}

static void mark_unavailable(entry_t *e, entry_state_t state, const char *why) {
  e->state = state;
  free(e->why);
  e->why = dup_string(why); // NULL on allocation failure: reported as "(reason unknown)"
}

// Finds module `name` (NULL: the current one) and checks it can be used. On failure fills `out`
// and returns NULL.
static entry_t *lookup(spec_exec_t *ex, const char *name, spec_exec_result_t *out) {
  entry_t *e = NULL;
  if (name == NULL) {
    if (!ex->has_current) {
      set_message(out, SPEC_EXEC_ERROR, "no module defined yet");
      return NULL;
    }
    e = &ex->entries[ex->current];
  } else {
    for (size_t i = ex->count; i-- > 0;) {
      if (ex->entries[i].name != NULL && strcmp(ex->entries[i].name, name) == 0) {
        e = &ex->entries[i];
        break;
      }
    }
    if (e == NULL) {
      set_message(out, SPEC_EXEC_ERROR, "unknown module %s", name);
      return NULL;
    }
  }
  const char *label = name != NULL ? name : "current module";
  const char *why = e->why != NULL ? e->why : "(reason unknown)";
  switch (e->state) {
  case ENTRY_READY:
    return e;
  case ENTRY_UNAVAILABLE:
    set_message(out, SPEC_EXEC_UNAVAILABLE, "%s unavailable: %s", label, why);
    return NULL;
  case ENTRY_SKIPPED:
    set_message(out, SPEC_EXEC_UNSUPPORTED, "%s skipped: %s", label, why);
    return NULL;
  }
  return NULL;
}

void spec_exec_module_unavailable(spec_exec_t *ex, const char *name, bool skipped,
                                  const char *why) {
  entry_t *e = add_current(ex, name);
  if (e == NULL) {
    // Out of memory: forget the current module rather than leave a stale one current.
    ex->has_current = false;
    return;
  }
  mark_unavailable(e, skipped ? ENTRY_SKIPPED : ENTRY_UNAVAILABLE, why);
}

// ---------------------------------------------------------------------------------------------
// Compiling and trap kinds (no runtime needed).

// Copies a library error's message into a new string (NULL if out of memory) and deletes the error.
static char *take_error_message(wasmtime_error_t *error) {
  wasm_name_t msg;
  wasmtime_error_message(error, &msg);
  size_t n = msg.size;
  char *s = malloc(n + 1);
  if (s != NULL) {
    if (n > 0) memcpy(s, msg.data, n);
    s[n] = '\0';
  }
  wasm_byte_vec_delete(&msg);
  wasmtime_error_delete(error);
  return s;
}

static char *format_string(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format_string(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return dup_string(buf);
}

static bool artifact_mode = false;

void spec_exec_set_artifact_mode(bool enabled) { artifact_mode = enabled; }

// Replaces *module by its serialize/deserialize round trip; false (with *message) on failure.
static bool round_trip(wasm_engine_t *engine, wasmtime_module_t **module, char **message) {
  wasm_byte_vec_t artifact = {0, NULL};
  wasmtime_error_t *error = wasmtime_module_serialize(*module, &artifact);
  if (error != NULL) {
    char *text = take_error_message(error);
    *message = format_string("wasmtime_module_serialize failed: %s", text != NULL ? text : "(no message)");
    free(text);
    return false;
  }
  wasmtime_module_t *loaded = NULL;
  error = wasmtime_module_deserialize(engine, (const uint8_t *)artifact.data, artifact.size, &loaded);
  wasm_byte_vec_delete(&artifact);
  if (error != NULL || loaded == NULL) {
    char *text = error != NULL ? take_error_message(error) : NULL;
    *message = format_string("wasmtime_module_deserialize refused a fresh artifact: %s", text != NULL ? text : "(no message)");
    free(text);
    return false;
  }
  wasmtime_module_delete(*module);
  *module = loaded;
  return true;
}

spec_compile_status_t spec_exec_compile(wasm_engine_t *engine, const uint8_t *wasm, size_t len,
                                        wasmtime_module_t **module, char **message) {
  *module = NULL;
  *message = NULL;
  wasmtime_error_t *validate_error = wasmtime_module_validate(engine, wasm, len);
  wasmtime_error_t *error = wasmtime_module_new(engine, wasm, len, module);
  bool valid = validate_error == NULL;
  char *validate_message = valid ? NULL : take_error_message(validate_error);
  if (error == NULL) {
    if (*module == NULL) {
      free(validate_message);
      *message = format_string("wasmtime_module_new returned no error and no module");
      return SPEC_BROKEN;
    }
    if (!valid) {
      *message = format_string(
          "wasmtime_module_new accepts the module but wasmtime_module_validate says: %s",
          validate_message != NULL ? validate_message : "(no message)");
      free(validate_message);
      wasmtime_module_delete(*module);
      *module = NULL;
      return SPEC_BROKEN;
    }
    if (artifact_mode && !round_trip(engine, module, message)) {
      wasmtime_module_delete(*module);
      *module = NULL;
      return SPEC_BROKEN;
    }
    return SPEC_COMPILED;
  }
  char *new_message = take_error_message(error);
  free(validate_message);
  if (valid) {
    // Rejected by wasmtime_module_new only: fine if it ran out of memory, a bug otherwise.
    *message = format_string(
        "wasmtime_module_validate accepts the module but wasmtime_module_new says: %s",
        new_message != NULL ? new_message : "(no message)");
    free(new_message);
    return SPEC_BROKEN;
  }
  if (new_message == NULL) return SPEC_BROKEN; // out of memory
  *message = new_message;
  return SPEC_REJECTED;
}

// The spec names a trap by its message, the library by a code.
static const struct {
  const char *text; // prefix of the spec's message
  wasmtime_trap_code_t code;
} trap_kinds[] = {
    {"unreachable", WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED},
    {"integer divide by zero", WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO},
    {"integer overflow", WASMTIME_TRAP_CODE_INTEGER_OVERFLOW},
    {"invalid conversion to integer", WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER},
    {"out of bounds memory access", WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS},
    {"out of bounds table access", WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS},
    {"undefined element", WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS},
    {"uninitialized element", WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL},
    {"indirect call type mismatch", WASMTIME_TRAP_CODE_BAD_SIGNATURE},
    {"call stack exhausted", WASMTIME_TRAP_CODE_STACK_OVERFLOW},
    {"null", WASMTIME_TRAP_CODE_NULL_REFERENCE}, /* null function / structure / array / i31 reference */
    {"cast failure", WASMTIME_TRAP_CODE_CAST_FAILURE},
    {"out of bounds array access", WASMTIME_TRAP_CODE_ARRAY_OUT_OF_BOUNDS},
    {"allocation size too large", WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE},
};

const char *spec_exec_trap_code_name(wasmtime_trap_code_t code) {
  static const char *const names[] = {
      [WASMTIME_TRAP_CODE_STACK_OVERFLOW] = "STACK_OVERFLOW",
      [WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS] = "MEMORY_OUT_OF_BOUNDS",
      [WASMTIME_TRAP_CODE_HEAP_MISALIGNED] = "HEAP_MISALIGNED",
      [WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS] = "TABLE_OUT_OF_BOUNDS",
      [WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL] = "INDIRECT_CALL_TO_NULL",
      [WASMTIME_TRAP_CODE_BAD_SIGNATURE] = "BAD_SIGNATURE",
      [WASMTIME_TRAP_CODE_INTEGER_OVERFLOW] = "INTEGER_OVERFLOW",
      [WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO] = "INTEGER_DIVISION_BY_ZERO",
      [WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER] = "BAD_CONVERSION_TO_INTEGER",
      [WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED] = "UNREACHABLE_CODE_REACHED",
      [WASMTIME_TRAP_CODE_INTERRUPT] = "INTERRUPT",
      [WASMTIME_TRAP_CODE_OUT_OF_FUEL] = "OUT_OF_FUEL",
      [WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY] = "ATOMIC_WAIT_NON_SHARED_MEMORY",
      [WASMTIME_TRAP_CODE_NULL_REFERENCE] = "NULL_REFERENCE",
      [WASMTIME_TRAP_CODE_ARRAY_OUT_OF_BOUNDS] = "ARRAY_OUT_OF_BOUNDS",
      [WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE] = "ALLOCATION_TOO_LARGE",
      [WASMTIME_TRAP_CODE_CAST_FAILURE] = "CAST_FAILURE",
      [WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION] = "UNCAUGHT_EXCEPTION",
  };
  if (code < sizeof names / sizeof names[0] && names[code] != NULL) return names[code];
  return "another trap code";
}

bool spec_exec_expected_trap_code(const char *text, wasmtime_trap_code_t *code) {
  if (text == NULL) return false;
  for (size_t i = 0; i < sizeof trap_kinds / sizeof trap_kinds[0]; i++) {
    if (strncmp(text, trap_kinds[i].text, strlen(trap_kinds[i].text)) == 0) {
      *code = trap_kinds[i].code;
      return true;
    }
  }
  return false;
}

#if SPEC_EXEC_RUNTIME

// ---------------------------------------------------------------------------------------------
// The implementation over the library's stores, linker and calls (SPEC_EXEC_RUNTIME=1).

// Copies a library error's message into `out` and deletes the error.
static void take_error(spec_exec_result_t *out, const char *what, wasmtime_error_t *error) {
  wasm_name_t msg;
  wasmtime_error_message(error, &msg);
  set_message(out, SPEC_EXEC_ERROR, "%s: %.*s", what, (int)msg.size, msg.data ? msg.data : "");
  wasm_byte_vec_delete(&msg);
  wasmtime_error_delete(error);
}

// Copies a trap's message and kind into `out` and deletes the trap.
static void take_trap(spec_exec_result_t *out, wasm_trap_t *trap) {
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  size_t n = msg.size;
  if (n > 0 && msg.data[n - 1] == '\0') n--; // the message includes its NUL
  set_message(out, SPEC_EXEC_TRAP, "%.*s", (int)n, msg.data ? msg.data : "");
  wasm_byte_vec_delete(&msg);
  out->has_trap_code = wasmtime_trap_code(trap, &out->trap_code);
  wasm_trap_delete(trap);
}

// After a failed call or instantiation (`out` already filled): an exception left pending in the
// store escaped WebAssembly. It is taken and released, so that the store is clean for the next
// command, and `out` becomes a SPEC_EXEC_TRAP with `exception` set.
static void take_exception(spec_exec_t *ex, spec_exec_result_t *out) {
  if (!wasmtime_context_has_exception(ex->context)) return;
  wasmtime_exnref_t exn;
  if (!wasmtime_context_take_exception(ex->context, &exn)) return;
  wasmtime_exnref_unroot(&exn);
  char cause[sizeof out->message];
  memcpy(cause, out->message, sizeof cause);
  cause[sizeof cause - 1] = '\0';
  out->exception = true;
  set_message(out, SPEC_EXEC_TRAP, "uncaught exception (%.400s)", cause);
}

// The "spectest" module's functions do nothing (the reference interpreter prints their
// arguments; nothing in the suite depends on that).
static wasm_trap_t *spectest_print(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                   size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return NULL;
}

static bool define_extern(spec_exec_t *ex, const char *name, const wasmtime_extern_t *item,
                          char *err, size_t err_len) {
  wasmtime_error_t *error =
      wasmtime_linker_define(ex->linker, ex->context, "spectest", 8, name, strlen(name), item);
  if (error == NULL) return true;
  spec_exec_result_t r;
  result_init(&r);
  take_error(&r, name, error);
  snprintf(err, err_len, "defining spectest.%s: %s", name, r.message);
  return false;
}

static bool define_global(spec_exec_t *ex, const char *name, wasm_valkind_t kind,
                          const wasmtime_val_t *value, char *err, size_t err_len) {
  wasm_valtype_t *vt = wasm_valtype_new(kind);
  wasm_globaltype_t *gt = vt != NULL ? wasm_globaltype_new(vt, WASM_CONST) : NULL;
  if (gt == NULL) { // wasm_globaltype_new consumes `vt` even when it fails
    snprintf(err, err_len, "out of memory creating spectest.%s", name);
    return false;
  }
  wasmtime_global_t global;
  wasmtime_error_t *error = wasmtime_global_new(ex->context, gt, value, &global);
  wasm_globaltype_delete(gt);
  if (error != NULL) {
    spec_exec_result_t r;
    result_init(&r);
    take_error(&r, name, error);
    snprintf(err, err_len, "creating spectest.%s: %s", name, r.message);
    return false;
  }
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_GLOBAL, .of.global = global};
  return define_extern(ex, name, &item, err, err_len);
}

// spectest.table64, (table i64 10 20 funcref): no C function makes a 64-bit table, so a module
// exports one. An engine without memory64 (the 2.0 suite's) compiles no such module and has none.
static bool define_table64(spec_exec_t *ex, char *err, size_t err_len) {
  static const char text[] = "(module (table (export \"t\") i64 10 20 funcref))";
  wasm_byte_vec_t bytes;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, sizeof text - 1, &bytes);
  wasmtime_module_t *module = NULL;
  if (error == NULL) {
    error = wasmtime_module_new(ex->engine, (const uint8_t *)bytes.data, bytes.size, &module);
    wasm_byte_vec_delete(&bytes);
    if (error != NULL) { // no memory64 here
      wasmtime_error_delete(error);
      return true;
    }
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (error == NULL) error = wasmtime_instance_new(ex->context, module, NULL, 0, &instance, &trap);
  wasmtime_module_delete(module);
  wasmtime_extern_t item;
  if (error != NULL || trap != NULL || !wasmtime_instance_export_get(ex->context, &instance, "t", 1, &item)) {
    if (trap != NULL) wasm_trap_delete(trap);
    spec_exec_result_t r;
    result_init(&r);
    if (error != NULL) take_error(&r, "table64", error);
    snprintf(err, err_len, "creating spectest.table64: %s", error != NULL ? r.message : "no table");
    return false;
  }
  return define_extern(ex, "table64", &item, err, err_len);
}

// spectest.shared_memory, (memory 1 1 shared), when the engine has shared memories (not with
// threads off: the 2.0 suite's engine).
static bool define_shared_memory(spec_exec_t *ex, char *err, size_t err_len) {
  wasm_memorytype_t *type = NULL;
  wasmtime_error_t *error = wasmtime_memorytype_new(1, true, 1, false, true, 16, &type);
  if (error != NULL) {
    wasmtime_error_delete(error);
    snprintf(err, err_len, "out of memory creating spectest.shared_memory");
    return false;
  }
  wasmtime_sharedmemory_t *memory = NULL;
  error = wasmtime_sharedmemory_new(ex->engine, type, &memory);
  wasm_memorytype_delete(type);
  if (error != NULL) { // shared memories are off
    wasmtime_error_delete(error);
    return true;
  }
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = memory};
  bool defined = define_extern(ex, "shared_memory", &item, err, err_len);
  wasmtime_sharedmemory_delete(memory); // the linker keeps its own share
  return defined;
}

// Defines the "spectest" host module every spec script may import from.
static bool define_spectest(spec_exec_t *ex, char *err, size_t err_len) {
  static const struct {
    const char *name;
    size_t nparams;
    wasm_valkind_t params[2];
  } funcs[] = {
      {"print", 0, {0, 0}},
      {"print_i32", 1, {WASM_I32, 0}},
      {"print_i64", 1, {WASM_I64, 0}},
      {"print_f32", 1, {WASM_F32, 0}},
      {"print_f64", 1, {WASM_F64, 0}},
      {"print_i32_f32", 2, {WASM_I32, WASM_F32}},
      {"print_f64_f64", 2, {WASM_F64, WASM_F64}},
  };
  for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
    wasm_functype_t *ty;
    if (funcs[i].nparams == 0) {
      ty = wasm_functype_new_0_0();
    } else if (funcs[i].nparams == 1) {
      ty = wasm_functype_new_1_0(wasm_valtype_new(funcs[i].params[0]));
    } else {
      ty = wasm_functype_new_2_0(wasm_valtype_new(funcs[i].params[0]),
                                 wasm_valtype_new(funcs[i].params[1]));
    }
    if (ty == NULL) {
      snprintf(err, err_len, "out of memory creating spectest.%s", funcs[i].name);
      return false;
    }
    wasmtime_error_t *error =
        wasmtime_linker_define_func(ex->linker, "spectest", 8, funcs[i].name,
                                    strlen(funcs[i].name), ty, spectest_print, NULL, NULL);
    wasm_functype_delete(ty);
    if (error != NULL) {
      spec_exec_result_t r;
      result_init(&r);
      take_error(&r, funcs[i].name, error);
      snprintf(err, err_len, "defining spectest.%s: %s", funcs[i].name, r.message);
      return false;
    }
  }

  wasmtime_val_t v;
  v.kind = WASMTIME_I32;
  v.of.i32 = 666;
  if (!define_global(ex, "global_i32", WASM_I32, &v, err, err_len)) return false;
  v.kind = WASMTIME_I64;
  v.of.i64 = 666;
  if (!define_global(ex, "global_i64", WASM_I64, &v, err, err_len)) return false;
  v.kind = WASMTIME_F32;
  v.of.f32 = 666.6f;
  if (!define_global(ex, "global_f32", WASM_F32, &v, err, err_len)) return false;
  v.kind = WASMTIME_F64;
  v.of.f64 = 666.6;
  if (!define_global(ex, "global_f64", WASM_F64, &v, err, err_len)) return false;

  // (table 10 20 funcref), filled with null.
  wasm_limits_t table_limits = {10, 20};
  wasm_valtype_t *elem = wasm_valtype_new(WASM_FUNCREF);
  wasm_tabletype_t *tt = elem != NULL ? wasm_tabletype_new(elem, &table_limits) : NULL;
  if (tt == NULL) { // wasm_tabletype_new consumes `elem` even when it fails
    snprintf(err, err_len, "out of memory creating spectest.table");
    return false;
  }
  wasmtime_val_t null_func;
  memset(&null_func, 0, sizeof null_func);
  null_func.kind = WASMTIME_FUNCREF;
  wasmtime_funcref_set_null(&null_func.of.funcref);
  wasmtime_table_t table;
  wasmtime_error_t *error = wasmtime_table_new(ex->context, tt, &null_func, &table);
  wasm_tabletype_delete(tt);
  if (error != NULL) {
    spec_exec_result_t r;
    result_init(&r);
    take_error(&r, "table", error);
    snprintf(err, err_len, "creating spectest.table: %s", r.message);
    return false;
  }
  wasmtime_extern_t table_item = {.kind = WASMTIME_EXTERN_TABLE, .of.table = table};
  if (!define_extern(ex, "table", &table_item, err, err_len)) return false;

  // (memory 1 2).
  wasm_limits_t memory_limits = {1, 2};
  wasm_memorytype_t *mt = wasm_memorytype_new(&memory_limits);
  if (mt == NULL) {
    snprintf(err, err_len, "out of memory creating spectest.memory");
    return false;
  }
  wasmtime_memory_t memory;
  error = wasmtime_memory_new(ex->context, mt, &memory);
  wasm_memorytype_delete(mt);
  if (error != NULL) {
    spec_exec_result_t r;
    result_init(&r);
    take_error(&r, "memory", error);
    snprintf(err, err_len, "creating spectest.memory: %s", r.message);
    return false;
  }
  wasmtime_extern_t memory_item = {.kind = WASMTIME_EXTERN_MEMORY, .of.memory = memory};
  if (!define_extern(ex, "memory", &memory_item, err, err_len)) return false;
  return define_shared_memory(ex, err, err_len) && define_table64(ex, err, err_len);
}

// ref.extern N is an externref whose host data is the (never dereferenced) pointer value N + 1,
// so that N = 0 is not NULL (which wasmtime_externref_data returns for foreign references).
// ref.host N is that externref converted with any.convert_extern.
static bool make_externref(spec_exec_t *ex, uint64_t n, wasmtime_externref_t *out, char *err,
                           size_t err_len) {
  if (n >= UINTPTR_MAX) {
    snprintf(err, err_len, "host reference %" PRIu64 " too large", n);
    return false;
  }
  if (!wasmtime_externref_new(ex->context, (void *)(uintptr_t)(n + 1), NULL, out)) {
    snprintf(err, err_len, "wasmtime_externref_new failed");
    return false;
  }
  return true;
}

// N of ref.extern N for a non-null externref (UINT64_MAX for one the runner did not create).
static uint64_t externref_number(spec_exec_t *ex, const wasmtime_externref_t *ref) {
  void *data = wasmtime_externref_data(ex->context, ref);
  return data == NULL ? UINT64_MAX : (uint64_t)(uintptr_t)data - 1;
}

// The reference kind (WASMTIME_FUNCREF, _EXTERNREF, _ANYREF, _EXNREF) of the hierarchy of value
// type `ty`; false for a number or vector type.
static bool hierarchy_of(const wasm_valtype_t *ty, wasmtime_valkind_t *kind) {
  wasmtime_valtype_t full;
  wasmtime_valtype_new(ty, &full);
  bool found = full.kind == WASMTIME_VALTYPE_KIND_REF;
  if (found) {
    switch (full.reftype.heaptype.kind) {
    case WASMTIME_HEAPTYPE_KIND_EXTERN:
    case WASMTIME_HEAPTYPE_KIND_NOEXTERN: *kind = WASMTIME_EXTERNREF; break;
    case WASMTIME_HEAPTYPE_KIND_FUNC:
    case WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC:
    case WASMTIME_HEAPTYPE_KIND_NOFUNC: *kind = WASMTIME_FUNCREF; break;
    case WASMTIME_HEAPTYPE_KIND_EXN:
    case WASMTIME_HEAPTYPE_KIND_CONCRETE_EXN:
    case WASMTIME_HEAPTYPE_KIND_NOEXN: *kind = WASMTIME_EXNREF; break;
    default: *kind = WASMTIME_ANYREF; break; // any, eq, i31, struct, array, none and defined ones
    }
  }
  wasmtime_valtype_delete(&full);
  return found;
}

// The argument `v` for a parameter of type `param` (which only decides the hierarchy of a null of
// no particular type).
static bool to_wasmtime(spec_exec_t *ex, const spec_value_t *v, const wasm_valtype_t *param,
                        wasmtime_val_t *out, char *err, size_t err_len) {
  memset(out, 0, sizeof *out);
  switch (v->kind) {
  case SPEC_I32:
    out->kind = WASMTIME_I32;
    out->of.i32 = (int32_t)(uint32_t)v->bits;
    return true;
  case SPEC_I64:
    out->kind = WASMTIME_I64;
    out->of.i64 = (int64_t)v->bits;
    return true;
  case SPEC_F32: {
    uint32_t bits = (uint32_t)v->bits;
    out->kind = WASMTIME_F32;
    memcpy(&out->of.f32, &bits, sizeof bits);
    return true;
  }
  case SPEC_F64:
    out->kind = WASMTIME_F64;
    memcpy(&out->of.f64, &v->bits, sizeof v->bits);
    return true;
  case SPEC_V128:
    out->kind = WASMTIME_V128;
    memcpy(out->of.v128, v->v128, 16);
    return true;
  case SPEC_FUNCREF:
    if (!v->is_null) {
      snprintf(err, err_len, "non-null funcref arguments are not supported");
      return false;
    }
    out->kind = WASMTIME_FUNCREF;
    wasmtime_funcref_set_null(&out->of.funcref);
    return true;
  case SPEC_NULLREF:
    if (param == NULL || !hierarchy_of(param, &out->kind)) {
      snprintf(err, err_len, "a null reference for a parameter of no reference type");
      return false;
    }
    return true; // store_id 0: the null of every kind
  case SPEC_EXTERNREF:
    out->kind = WASMTIME_EXTERNREF;
    if (v->is_null) return true; // store_id 0: null
    if (v->wildcard) break;
    return make_externref(ex, v->ref, &out->of.externref, err, err_len);
  case SPEC_ANYREF: {
    out->kind = WASMTIME_ANYREF;
    if (v->is_null) return true;
    if (v->wildcard || v->object != SPEC_ANY_HOST) break;
    wasmtime_externref_t host;
    if (!make_externref(ex, v->ref, &host, err, err_len)) return false;
    bool converted = swasm_anyref_convert_extern(ex->context, &host, &out->of.anyref);
    wasmtime_externref_unroot(&host);
    if (!converted) {
      wasmtime_anyref_set_null(&out->of.anyref);
      snprintf(err, err_len, "swasm_anyref_convert_extern failed");
      return false;
    }
    return true;
  }
  case SPEC_EXNREF:
    out->kind = WASMTIME_EXNREF;
    if (v->is_null) return true;
    break;
  case SPEC_EQREF:
  case SPEC_I31REF:
  case SPEC_STRUCTREF:
  case SPEC_ARRAYREF:
    break;
  }
  memset(out, 0, sizeof *out);
  snprintf(err, err_len, "%s arguments of no particular reference are not supported",
           spec_valkind_name(v->kind));
  return false;
}

// The spec_values form of a non-null anyref: an i31 (with its value), a struct, an array, or
// (converted to an externref) a host reference.
static bool anyref_value(spec_exec_t *ex, const wasmtime_anyref_t *ref, spec_value_t *out,
                         char *err, size_t err_len) {
  uint32_t i31;
  if (wasmtime_anyref_i31_get_u(ex->context, ref, &i31)) {
    *out = spec_value_anyref(SPEC_ANY_I31, i31);
  } else if (wasmtime_anyref_is_struct(ex->context, ref)) {
    *out = spec_value_anyref(SPEC_ANY_STRUCT, 0);
  } else if (wasmtime_anyref_is_array(ex->context, ref)) {
    *out = spec_value_anyref(SPEC_ANY_ARRAY, 0);
  } else if (wasmtime_anyref_is_eqref(ex->context, ref)) {
    *out = spec_value_anyref(SPEC_ANY_OTHER, 0);
  } else {
    wasmtime_externref_t host;
    if (!swasm_externref_convert_any(ex->context, ref, &host)) {
      snprintf(err, err_len, "swasm_externref_convert_any failed");
      return false;
    }
    *out = host.store_id == 0 ? spec_value_anyref(SPEC_ANY_OTHER, 0)
                              : spec_value_anyref(SPEC_ANY_HOST, externref_number(ex, &host));
    wasmtime_externref_unroot(&host);
  }
  return true;
}

static bool from_wasmtime(spec_exec_t *ex, const wasmtime_val_t *v, spec_value_t *out, char *err,
                          size_t err_len) {
  switch (v->kind) {
  case WASMTIME_I32:
    *out = spec_value_i32((uint32_t)v->of.i32);
    return true;
  case WASMTIME_I64:
    *out = spec_value_i64((uint64_t)v->of.i64);
    return true;
  case WASMTIME_F32: {
    uint32_t bits;
    memcpy(&bits, &v->of.f32, sizeof bits);
    *out = spec_value_f32(bits);
    return true;
  }
  case WASMTIME_F64: {
    uint64_t bits;
    memcpy(&bits, &v->of.f64, sizeof bits);
    *out = spec_value_f64(bits);
    return true;
  }
  case WASMTIME_V128:
    *out = spec_value_v128(v->of.v128);
    return true;
  case WASMTIME_FUNCREF:
    *out = spec_value_funcref(wasmtime_funcref_is_null(&v->of.funcref));
    return true;
  case WASMTIME_EXTERNREF:
    if (v->of.externref.store_id == 0) {
      *out = spec_value_externref(true, 0);
      return true;
    }
    // A reference the runner did not create (an externalized i31, say) shows as UINT64_MAX
    // (matches no ref.extern N, only (ref.extern)).
    *out = spec_value_externref(false, externref_number(ex, &v->of.externref));
    return true;
  case WASMTIME_ANYREF:
    if (wasmtime_anyref_is_null(&v->of.anyref)) {
      *out = spec_value_null(SPEC_ANYREF);
      return true;
    }
    return anyref_value(ex, &v->of.anyref, out, err, err_len);
  case WASMTIME_EXNREF:
    *out = spec_value_exnref(wasmtime_exnref_is_null(&v->of.exnref));
    return true;
  default:
    snprintf(err, err_len, "result of unsupported kind %u", (unsigned)v->kind);
    return false;
  }
}

// Releases the GC roots held by values the runner owns.
static void unroot_all(wasmtime_val_t *vals, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (vals[i].kind == WASMTIME_EXTERNREF || vals[i].kind == WASMTIME_ANYREF ||
        vals[i].kind == WASMTIME_EXNREF) {
      wasmtime_val_unroot(&vals[i]);
    }
  }
}

spec_exec_t *spec_exec_new(wasm_engine_t *engine, char *err, size_t err_len) {
  spec_exec_t *ex = calloc(1, sizeof *ex);
  if (ex == NULL) {
    snprintf(err, err_len, "out of memory");
    return NULL;
  }
  ex->engine = engine;
  ex->store = wasmtime_store_new(engine, NULL, NULL);
  ex->linker = wasmtime_linker_new(engine);
  if (ex->store == NULL || ex->linker == NULL) {
    snprintf(err, err_len, "out of memory creating the store or the linker");
    spec_exec_delete(ex);
    return NULL;
  }
  ex->context = wasmtime_store_context(ex->store);
  wasmtime_linker_allow_shadowing(ex->linker, true);
  if (!define_spectest(ex, err, err_len)) {
    spec_exec_delete(ex);
    return NULL;
  }
  return ex;
}

void spec_exec_delete(spec_exec_t *ex) {
  if (ex == NULL) return;
  for (size_t i = 0; i < ex->count; i++) entry_clear(&ex->entries[i]);
  free(ex->entries);
  wasmtime_linker_delete(ex->linker); // both ignore NULL
  wasmtime_store_delete(ex->store);   // instances, functions and globals go with the store
  free(ex);
}

void spec_exec_instantiate(spec_exec_t *ex, const wasmtime_module_t *module, const char *name,
                           bool make_current, spec_exec_result_t *out) {
  result_init(out);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error =
      wasmtime_linker_instantiate(ex->linker, ex->context, module, &instance, &trap);
  if (error != NULL) {
    take_error(out, "instantiation failed", error);
    take_exception(ex, out);
  } else if (trap != NULL) {
    take_trap(out, trap);
    take_exception(ex, out);
  } else {
    out->status = SPEC_EXEC_OK;
  }
  if (!make_current) return;
  entry_t *e = add_current(ex, name);
  if (e == NULL) {
    ex->has_current = false;
    if (out->status == SPEC_EXEC_OK) set_message(out, SPEC_EXEC_ERROR, "out of memory");
    return;
  }
  if (out->status == SPEC_EXEC_OK) {
    e->state = ENTRY_READY;
    e->instance = instance;
  } else {
    mark_unavailable(e, ENTRY_UNAVAILABLE, out->message);
  }
}

void spec_exec_register(spec_exec_t *ex, const char *name, const char *as, size_t as_len,
                        spec_exec_result_t *out) {
  result_init(out);
  entry_t *e = lookup(ex, name, out);
  if (e == NULL) return;
  wasmtime_error_t *error =
      wasmtime_linker_define_instance(ex->linker, ex->context, as, as_len, &e->instance);
  if (error != NULL) {
    take_error(out, "register failed", error);
    return;
  }
  out->status = SPEC_EXEC_OK;
}

// Looks up export `field` of `e` and checks its kind; on failure fills `out`.
static bool get_export(spec_exec_t *ex, entry_t *e, const char *field, size_t field_len,
                       wasmtime_extern_kind_t kind, wasmtime_extern_t *item,
                       spec_exec_result_t *out) {
  if (!wasmtime_instance_export_get(ex->context, &e->instance, field, field_len, item)) {
    set_message(out, SPEC_EXEC_ERROR, "no export named \"%.*s\"", (int)field_len, field);
    return false;
  }
  if (item->kind != kind) {
    set_message(out, SPEC_EXEC_ERROR, "export \"%.*s\" is not a %s", (int)field_len, field,
                kind == WASMTIME_EXTERN_FUNC ? "function" : "global");
    wasmtime_extern_delete(item);
    return false;
  }
  return true;
}

void spec_exec_invoke(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                      const spec_value_t *args, size_t nargs, spec_exec_result_t *out) {
  result_init(out);
  entry_t *e = lookup(ex, module, out);
  if (e == NULL) return;
  wasmtime_extern_t item;
  if (!get_export(ex, e, field, field_len, WASMTIME_EXTERN_FUNC, &item, out)) return;

  wasmtime_val_t *params = NULL, *results = NULL;
  size_t nparams_made = 0, nresults = 0;
  wasm_functype_t *ty = wasmtime_func_type(ex->context, &item.of.func);
  if (ty == NULL) {
    set_message(out, SPEC_EXEC_ERROR, "wasmtime_func_type failed");
    goto done;
  }
  if (wasm_functype_params(ty)->size != nargs) {
    set_message(out, SPEC_EXEC_ERROR, "\"%.*s\" takes %zu arguments, the script passes %zu",
                (int)field_len, field, wasm_functype_params(ty)->size, nargs);
    goto done;
  }
  nresults = wasm_functype_results(ty)->size;
  params = calloc(nargs > 0 ? nargs : 1, sizeof *params);
  results = calloc(nresults > 0 ? nresults : 1, sizeof *results);
  if (params == NULL || results == NULL) {
    set_message(out, SPEC_EXEC_ERROR, "out of memory");
    goto done;
  }
  for (; nparams_made < nargs; nparams_made++) {
    char err[160];
    const wasm_valtype_t *param = wasm_functype_params(ty)->data[nparams_made];
    if (!to_wasmtime(ex, &args[nparams_made], param, &params[nparams_made], err, sizeof err)) {
      set_message(out, SPEC_EXEC_ERROR, "argument %zu: %s", nparams_made, err);
      goto done;
    }
  }
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error =
      wasmtime_func_call(ex->context, &item.of.func, params, nargs, results, nresults, &trap);
  if (error != NULL) {
    take_error(out, "call failed", error);
    take_exception(ex, out);
    goto done;
  }
  if (trap != NULL) {
    take_trap(out, trap);
    take_exception(ex, out);
    goto done;
  }
  out->values = calloc(nresults > 0 ? nresults : 1, sizeof *out->values);
  if (out->values == NULL) {
    set_message(out, SPEC_EXEC_ERROR, "out of memory");
  } else {
    out->status = SPEC_EXEC_OK;
    out->count = nresults;
    for (size_t i = 0; i < nresults; i++) {
      char err[160];
      if (!from_wasmtime(ex, &results[i], &out->values[i], err, sizeof err)) {
        free(out->values);
        out->values = NULL;
        out->count = 0;
        set_message(out, SPEC_EXEC_ERROR, "result %zu: %s", i, err);
        break;
      }
    }
  }
  unroot_all(results, nresults);
done:
  if (params != NULL) unroot_all(params, nparams_made);
  free(params);
  free(results);
  wasm_functype_delete(ty);
  wasmtime_extern_delete(&item);
}

void spec_exec_get(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                   spec_exec_result_t *out) {
  result_init(out);
  entry_t *e = lookup(ex, module, out);
  if (e == NULL) return;
  wasmtime_extern_t item;
  if (!get_export(ex, e, field, field_len, WASMTIME_EXTERN_GLOBAL, &item, out)) return;
  wasmtime_val_t value;
  wasmtime_global_get(ex->context, &item.of.global, &value);
  out->values = calloc(1, sizeof *out->values);
  char err[160];
  if (out->values == NULL) {
    set_message(out, SPEC_EXEC_ERROR, "out of memory");
  } else if (!from_wasmtime(ex, &value, &out->values[0], err, sizeof err)) {
    free(out->values);
    out->values = NULL;
    set_message(out, SPEC_EXEC_ERROR, "global: %s", err);
  } else {
    out->status = SPEC_EXEC_OK;
    out->count = 1;
  }
  unroot_all(&value, 1);
  wasmtime_extern_delete(&item);
}

#else // !SPEC_EXEC_RUNTIME

// ---------------------------------------------------------------------------------------------
// The compile-only build (spec_testsuite): keep track of the modules (so that actions on a module
// that failed to compile still fail) and report everything else as unsupported (skipped).

spec_exec_t *spec_exec_new(wasm_engine_t *engine, char *err, size_t err_len) {
  spec_exec_t *ex = calloc(1, sizeof *ex);
  if (ex == NULL) {
    snprintf(err, err_len, "out of memory");
    return NULL;
  }
  ex->engine = engine;
  // No store, linker or "spectest" module: this build runs nothing.
  return ex;
}

void spec_exec_delete(spec_exec_t *ex) {
  if (ex == NULL) return;
  for (size_t i = 0; i < ex->count; i++) entry_clear(&ex->entries[i]);
  free(ex->entries);
  free(ex);
}

void spec_exec_instantiate(spec_exec_t *ex, const wasmtime_module_t *module, const char *name,
                           bool make_current, spec_exec_result_t *out) {
  (void)module;
  result_init(out);
  // Not instantiated in this build (the SPEC_EXEC_RUNTIME=1 build does it).
  set_message(out, SPEC_EXEC_UNSUPPORTED, NOT_IMPLEMENTED);
  if (make_current) spec_exec_module_unavailable(ex, name, true, NOT_IMPLEMENTED);
}

void spec_exec_register(spec_exec_t *ex, const char *name, const char *as, size_t as_len,
                        spec_exec_result_t *out) {
  (void)as, (void)as_len;
  result_init(out);
  if (lookup(ex, name, out) == NULL) return;
  // Not registered in this build (the SPEC_EXEC_RUNTIME=1 build does it).
  set_message(out, SPEC_EXEC_UNSUPPORTED, NOT_IMPLEMENTED);
}

void spec_exec_invoke(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                      const spec_value_t *args, size_t nargs, spec_exec_result_t *out) {
  (void)field, (void)field_len, (void)args, (void)nargs;
  result_init(out);
  if (lookup(ex, module, out) == NULL) return;
  // Not invoked in this build (the SPEC_EXEC_RUNTIME=1 build does it).
  set_message(out, SPEC_EXEC_UNSUPPORTED, NOT_IMPLEMENTED);
}

void spec_exec_get(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                   spec_exec_result_t *out) {
  (void)field, (void)field_len;
  result_init(out);
  if (lookup(ex, module, out) == NULL) return;
  // Not read in this build (the SPEC_EXEC_RUNTIME=1 build does it).
  set_message(out, SPEC_EXEC_UNSUPPORTED, NOT_IMPLEMENTED);
}

#endif // SPEC_EXEC_RUNTIME
