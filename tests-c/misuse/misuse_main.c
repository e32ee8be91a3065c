// The host-misuse suite: every public function of libswasm.so given what a careless or hostile
// host may pass: wrong value kinds, values and handles of another store or of a deleted store,
// forged handles, NULL for every pointer argument, huge sizes, invalid UTF-8 names, zero-length
// and unterminated buffers, re-entry from host functions. swasm promises that none of it crashes
// the host process; where the API lets swasm detect the misuse, the case also asserts the refusal
// (an error, NULL, false, 0, a trap).
//
// Each case runs in a forked child; the parent records how it ended:
//   ok                     the child exited 0
//   FAIL                   an expectation failed (exit 1): e.g. a misuse accepted
//   CRASH signal N         the child died from a signal: the promise is broken
//   TIMEOUT                the child ran longer than --timeout seconds (SIGALRM)
//   skipped                the library lacks the function (exit 77)
// The families (one source file each):
//   misuse_values.c    wasmtime_val_t of every wrong kind / store / forged at every entry point
//   misuse_handles.c   func/table/memory/global/instance/externref handles of another store, of a
//                      deleted store, forged, with a zero or foreign store_id
//   misuse_nulls.c     NULL for each pointer argument of every exported function (and a baseline)
//   misuse_sizes.c     huge counts, lengths, deltas, indices; limits and configuration extremes
//   misuse_names.c     invalid UTF-8 names; zero-length and unterminated (guard-page) buffers
//   misuse_reentry.c   re-entry from host functions, object lifetimes, wasm.h runtime misuse
// What the API does not let an implementation detect, and which the suite therefore does not try:
// wasm.h object pointers that are forged or already deleted (they are plain pointers to memory the
// library may have freed), a wasmtime_store_t/context/module/linker pointer after its deletion,
// lengths that exceed the real buffer but fit in the address space, raw values of the *_unchecked
// functions and wasmtime_func_from_raw (unchecked by definition), externref handles forged and then
// passed to the store-less wasmtime_externref_clone/unroot, and double deletes.
//
// Usage: host_misuse [--list] [--timeout SEC] [--as-limit GIB] [--coverage-lib PATH] [FILTER...]
//   FILTER          run only cases whose name contains one of the strings (^PREFIX: starts with)
//   --as-limit      address-space limit of each child in GiB (default 8, so that huge requests
//                   fail as allocation failures instead of driving the machine into swap; 0: none,
//                   needed with wasmtime's library, which reserves 4 GiB per linear memory, and
//                   under valgrind)
//   --exec          each forked child execs this program for its case (--run-case N) instead of
//                   running it in the fork: a fresh process per case, as valgrind wants it
//                   (run_valgrind.sh's thorough mode, with --trace-children=yes)
//   --coverage-lib  check that every function exported by PATH (nm -D) has a case
// Exit status: 0 when every case passed, 1 otherwise.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "misuse.h"

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

static mcase *cases;
static size_t case_count, case_capacity;
static const char **covered;
static size_t covered_count, covered_capacity;

void add_coverage(const char *function) {
  if (covered_count == covered_capacity) {
    covered_capacity = covered_capacity ? covered_capacity * 2 : 256;
    covered = realloc(covered, covered_capacity * sizeof *covered);
  }
  covered[covered_count++] = function;
}

void add_case(const char *family, const char *function, const char *variant, case_fn fn, int a, int b,
              const void *p) {
  if (case_count == case_capacity) {
    case_capacity = case_capacity ? case_capacity * 2 : 1024;
    cases = realloc(cases, case_capacity * sizeof *cases);
  }
  size_t length = strlen(family) + strlen(function) + strlen(variant) + 3;
  char *name = malloc(length);
  snprintf(name, length, "%s/%s/%s", family, function, variant);
  cases[case_count++] = (mcase){.name = name, .function = function, .fn = fn, .a = a, .b = b, .p = p};
  add_coverage(function);
}

void add_null_family(const char *function, case_fn fn, const char *args) {
  add_case("null", function, "baseline", fn, -1, 0, NULL);
  int index = 0;
  const char *start = args;
  while (*start) {
    const char *end = strchr(start, ',');
    size_t length = end ? (size_t)(end - start) : strlen(start);
    char variant[96];
    snprintf(variant, sizeof variant, "%.*s=NULL", (int)length, start);
    add_case("null", function, variant, fn, index, 0, NULL);
    index++;
    if (!end) break;
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting (child side)
// ---------------------------------------------------------------------------------------------

static int failures;

void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("    ", stdout);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
  fflush(stdout);
}

bool soft_expectations;

void fail_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *base = strrchr(file, '/');
  if (soft_expectations) {
    printf("    note (not required, representation-dependent): ");
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
    return;
  }
  printf("    FAIL (%s:%d): ", base ? base + 1 : file, line);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
  fflush(stdout);
  failures++;
}

void skip(const char *why) {
  note("skipped: %s", why);
  fflush(stdout);
  _exit(77);
}

void print_message(const char *prefix, const char *data, size_t size) {
  if (!data) size = 0;
  size_t length = 0;
  while (length < size && data[length] != '\n' && data[length] != '\0') length++;
  // wasmtime's messages may start with "error while executing at wasm backtrace:" and give the
  // cause last: show that line too.
  const char *cause = NULL;
  size_t cause_length = 0;
  for (size_t i = 0; i + 10 <= size; i++)
    if (memcmp(data + i, "Caused by:", 10) == 0) cause = data + i + 10;
  if (cause) {
    while (cause < data + size && (*cause == '\n' || *cause == ' ')) cause++;
    while (cause + cause_length < data + size && cause[cause_length] != '\n') cause_length++;
  }
  if (length > 200) length = 200;
  if (cause_length > 200) cause_length = 200;
  if (cause)
    note("%s\"%.*s ... %.*s\"", prefix, (int)length, data, (int)cause_length, cause);
  else
    note("%s\"%.*s\"", prefix, (int)length, data ? data : "");
}

bool show_error(const char *what, wasmtime_error_t *error) {
  if (!error) return false;
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  char prefix[160];
  snprintf(prefix, sizeof prefix, "%s: error ", what);
  print_message(prefix, message.data, message.size);
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
  return true;
}

bool show_trap(const char *what, wasm_trap_t *trap) {
  if (!trap) return false;
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  wasmtime_trap_code_t code = 255;
  bool has_code = wasmtime_trap_code(trap, &code);
  char prefix[160];
  if (has_code)
    snprintf(prefix, sizeof prefix, "%s: trap (code %d) ", what, code);
  else
    snprintf(prefix, sizeof prefix, "%s: trap ", what);
  print_message(prefix, message.data, message.size);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  return true;
}

void expect_error_at(const char *file, int line, const char *what, wasmtime_error_t *error) {
  if (!show_error(what, error)) fail_at(file, line, "%s: succeeded; expected an error", what);
}

void expect_ok_at(const char *file, int line, const char *what, wasmtime_error_t *error) {
  if (show_error(what, error)) fail_at(file, line, "%s: failed; expected success", what);
}

bool call_failed(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  bool e = show_error(what, error);
  bool t = show_trap(what, trap);
  if (!e && !t) note("%s: succeeded", what);
  return e || t;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

wasmtime_val_t val_i32(int32_t v) { return (wasmtime_val_t){.kind = WASMTIME_I32, .of.i32 = v}; }
wasmtime_val_t val_i64(int64_t v) { return (wasmtime_val_t){.kind = WASMTIME_I64, .of.i64 = v}; }
wasmtime_val_t val_f32(float v) { return (wasmtime_val_t){.kind = WASMTIME_F32, .of.f32 = v}; }
wasmtime_val_t val_f64(double v) { return (wasmtime_val_t){.kind = WASMTIME_F64, .of.f64 = v}; }
wasmtime_val_t val_funcref(wasmtime_func_t f) { return (wasmtime_val_t){.kind = WASMTIME_FUNCREF, .of.funcref = f}; }
wasmtime_val_t val_externref(wasmtime_externref_t r) {
  return (wasmtime_val_t){.kind = WASMTIME_EXTERNREF, .of.externref = r};
}

const char *guarded_copy(const void *data, size_t size) {
  long page = sysconf(_SC_PAGESIZE);
  size_t span = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
  char *base = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    perror("mmap");
    _exit(3);
  }
  mprotect(base + span, (size_t)page, PROT_NONE);
  char *start = base + span - size;
  if (size) memcpy(start, data, size);
  mprotect(base, span ? span : 1, PROT_READ);
  return start;
}

void wat_to_binary(const char *wat, wasm_byte_vec_t *out) {
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), out);
  if (error) {
    show_error("wat2wasm (fixture)", error);
    FAIL("fixture text does not assemble");
    fflush(stdout);
    _exit(3);
  }
}

wasmtime_module_t *compile_wat(wasm_engine_t *engine, const char *wat) {
  wasm_byte_vec_t binary;
  wat_to_binary(wat, &binary);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  if (error) {
    show_error("module_new (fixture)", error);
    FAIL("fixture module does not compile");
    fflush(stdout);
    _exit(3);
  }
  return module;
}

wasm_functype_t *functype_1(wasm_valkind_t param, int has_param, wasm_valkind_t result, int has_result) {
  wasm_valtype_vec_t params, results;
  if (has_param) {
    wasm_valtype_t *p = wasm_valtype_new(param);
    wasm_valtype_vec_new(&params, 1, &p);
  } else {
    wasm_valtype_vec_new_empty(&params);
  }
  if (has_result) {
    wasm_valtype_t *r = wasm_valtype_new(result);
    wasm_valtype_vec_new(&results, 1, &r);
  } else {
    wasm_valtype_vec_new_empty(&results);
  }
  return wasm_functype_new(&params, &results);
}

wasm_functype_t *functype_i_i(void) { return functype_1(WASM_I32, 1, WASM_I32, 1); }
wasm_functype_t *functype_v_v(void) { return functype_1(WASM_I32, 0, WASM_I32, 0); }

int32_t call_i32(wasmtime_context_t *ctx, const wasmtime_func_t *f, int nargs, int32_t arg) {
  wasmtime_val_t argument = val_i32(arg), result = val_i32(INT32_MIN);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(ctx, f, &argument, (size_t)nargs, &result, 1, &trap);
  if (call_failed("call", error, trap)) return INT32_MIN;
  if (result.kind != WASMTIME_I32) {
    note("result kind %d", result.kind);
    return INT32_MIN;
  }
  return result.of.i32;
}

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

enum host_mode host_mode = HOST_NORMAL;
wasmtime_val_t host_result;
wasm_trap_t *(*host_hook)(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                          wasmtime_val_t *results, size_t nresults);
int host_calls;
int fixture_ext_data, fixture_ext2_data, dead_ext_data;

static const char fixture_wat[] =
    "(module\n"
    "  (type $v_i (func (result i32)))\n"
    "  (import \"host\" \"f\" (func $hf (param i32) (result i32)))\n"
    "  (import \"host\" \"fref\" (func $hfref (result funcref)))\n"
    "  (import \"host\" \"eref\" (func $heref (result externref)))\n"
    "  (import \"host\" \"fi64\" (func $hfi64 (param i64) (result i64)))\n"
    "  (memory (export \"mem\") 1)\n"
    "  (table $tab (export \"tab\") 4 funcref)\n"
    "  (table $etab (export \"etab\") 4 externref)\n"
    "  (global $g (export \"g\") (mut i32) (i32.const 7))\n"
    "  (global $gc (export \"gc\") i32 (i32.const 9))\n"
    "  (global $gf (export \"gf\") (mut funcref) (ref.null func))\n"
    "  (global $ge (export \"ge\") (mut externref) (ref.null extern))\n"
    "  (global $gv (export \"gv\") (mut v128) (v128.const i64x2 1 2))\n"
    "  (global $gi64 (export \"gi64\") (mut i64) (i64.const 5))\n"
    "  (func $add (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))\n"
    "  (func $seven (export \"seven\") (type $v_i) (i32.const 7))\n"
    "  (elem (table $tab) (i32.const 0) func $add $seven)\n"
    "  (func (export \"call_tab\") (param i32) (result i32) (call_indirect $tab (type $v_i) (local.get 0)))\n"
    "  (func (export \"call_gf\") (result i32)\n"
    "    (table.set $tab (i32.const 3) (global.get $gf)) (call_indirect $tab (type $v_i) (i32.const 3)))\n"
    "  (func (export \"call_ref_arg\") (param funcref) (result i32)\n"
    "    (table.set $tab (i32.const 3) (local.get 0)) (call_indirect $tab (type $v_i) (i32.const 3)))\n"
    "  (func (export \"call_host\") (param i32) (result i32) (call $hf (local.get 0)))\n"
    "  (func (export \"call_hosti64\") (param i64) (result i64) (call $hfi64 (local.get 0)))\n"
    "  (func (export \"call_hfref\") (result i32)\n"
    "    (table.set $tab (i32.const 3) (call $hfref)) (call_indirect $tab (type $v_i) (i32.const 3)))\n"
    "  (func (export \"call_heref\") (result externref) (call $heref))\n"
    "  (func (export \"is_null_ext\") (param externref) (result i32) (ref.is_null (local.get 0)))\n"
    "  (func (export \"ext_id\") (param externref) (result externref) (local.get 0))\n"
    "  (func (export \"get_ge\") (result externref) (global.get $ge))\n"
    "  (func (export \"etab_get\") (param i32) (result externref) (table.get $etab (local.get 0)))\n"
    "  (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0)))\n"
    "  (func (export \"store\") (param i32 i32) (i32.store (local.get 0) (local.get 1)))\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"v128id\") (param v128) (result v128) (local.get 0))\n"
    "  (func (export \"f64id\") (param f64) (result f64) (local.get 0))\n"
    "  (func (export \"i64id\") (param i64) (result i64) (local.get 0))\n"
    "  (func (export \"i32id\") (param i32) (result i32) (local.get 0)))\n";

static fixture the_fixture;
static bool fixture_ready;

// The fixture's host functions; env selects the import: 1 "f", 2 "fref", 3 "eref", 4 "fi64".
static wasm_trap_t *host_callback(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                  wasmtime_val_t *results, size_t nresults) {
  host_calls++;
  switch (host_mode) {
  case HOST_HOOK:
    return host_hook(caller, args, nargs, results, nresults);
  case HOST_RESULT_VALUE:
    for (size_t i = 0; i < nresults; i++) results[i] = host_result;
    return NULL;
  case HOST_NO_RESULT:
    return NULL;
  case HOST_NORMAL:
    break;
  }
  switch ((intptr_t)env) {
  case 1:
    results[0] = val_i32(args[0].of.i32 + 1);
    break;
  case 2:
    results[0] = val_funcref(the_fixture.seven);
    break;
  case 3:
    results[0] = (wasmtime_val_t){.kind = WASMTIME_EXTERNREF};
    results[0].of.externref.store_id = 0;
    break;
  case 4:
    results[0] = val_i64(args[0].of.i64 + 1);
    break;
  }
  return NULL;
}

// The four imports, created in `ctx`.
static void fixture_imports(wasmtime_context_t *ctx, wasmtime_extern_t imports[4]) {
  wasm_functype_t *types[4] = {functype_i_i(), functype_1(WASM_I32, 0, WASM_FUNCREF, 1),
                               functype_1(WASM_I32, 0, WASM_EXTERNREF, 1), functype_1(WASM_I64, 1, WASM_I64, 1)};
  for (int i = 0; i < 4; i++) {
    imports[i].kind = WASMTIME_EXTERN_FUNC;
    wasmtime_func_new(ctx, types[i], host_callback, (void *)(intptr_t)(i + 1), NULL, &imports[i].of.func);
    wasm_functype_delete(types[i]);
  }
}

static void fixture_instantiate(wasmtime_context_t *ctx, wasmtime_module_t *module, wasmtime_instance_t *inst) {
  wasmtime_extern_t imports[4];
  fixture_imports(ctx, imports);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(ctx, module, imports, 4, inst, &trap);
  if (error || trap) {
    call_failed("instantiate (fixture)", error, trap);
    FAIL("fixture does not instantiate");
    _exit(3);
  }
}

wasmtime_extern_t fx_export(wasmtime_context_t *ctx, const wasmtime_instance_t *inst, const char *name) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(ctx, inst, name, strlen(name), &item)) {
    FAIL("fixture export %s missing", name);
    _exit(3);
  }
  return item;
}

wasmtime_func_t fx_export_func(wasmtime_context_t *ctx, const wasmtime_instance_t *inst, const char *name) {
  return fx_export(ctx, inst, name).of.func;
}

static void fixture_externref(wasmtime_context_t *ctx, void *data, wasmtime_externref_t *out) {
  if (!wasmtime_externref_new(ctx, data, NULL, out)) {
    FAIL("fixture externref");
    _exit(3);
  }
}

fixture *fx(void) {
  fixture *f = &the_fixture;
  if (fixture_ready) return f;
  fixture_ready = true;
  f->engine = wasm_engine_new();
  f->store = wasmtime_store_new(f->engine, NULL, NULL);
  f->store2 = wasmtime_store_new(f->engine, NULL, NULL);
  f->ctx = wasmtime_store_context(f->store);
  f->ctx2 = wasmtime_store_context(f->store2);
  wat_to_binary(fixture_wat, &f->wasm);
  wasmtime_error_t *error =
      wasmtime_module_new(f->engine, (const uint8_t *)f->wasm.data, f->wasm.size, &f->module);
  if (error) {
    show_error("fixture module", error);
    _exit(3);
  }
  fixture_instantiate(f->ctx, f->module, &f->inst);
  fixture_instantiate(f->ctx2, f->module, &f->inst2);
  f->linker = wasmtime_linker_new(f->engine);
#define EXPORT_FUNC(field, name) f->field = fx_export_func(f->ctx, &f->inst, name)
  EXPORT_FUNC(add, "add");
  EXPORT_FUNC(seven, "seven");
  EXPORT_FUNC(call_tab, "call_tab");
  EXPORT_FUNC(call_gf, "call_gf");
  EXPORT_FUNC(call_ref_arg, "call_ref_arg");
  EXPORT_FUNC(call_host, "call_host");
  EXPORT_FUNC(call_hosti64, "call_hosti64");
  EXPORT_FUNC(call_hfref, "call_hfref");
  EXPORT_FUNC(call_heref, "call_heref");
  EXPORT_FUNC(is_null_ext, "is_null_ext");
  EXPORT_FUNC(ext_id, "ext_id");
  EXPORT_FUNC(get_ge, "get_ge");
  EXPORT_FUNC(etab_get, "etab_get");
  EXPORT_FUNC(load, "load");
  EXPORT_FUNC(store_fn, "store");
  EXPORT_FUNC(grow, "grow");
  EXPORT_FUNC(v128id, "v128id");
  EXPORT_FUNC(f64id, "f64id");
  EXPORT_FUNC(i64id, "i64id");
  EXPORT_FUNC(i32id, "i32id");
  f->tab = fx_export(f->ctx, &f->inst, "tab").of.table;
  f->etab = fx_export(f->ctx, &f->inst, "etab").of.table;
  f->mem = fx_export(f->ctx, &f->inst, "mem").of.memory;
  f->g = fx_export(f->ctx, &f->inst, "g").of.global;
  f->gc = fx_export(f->ctx, &f->inst, "gc").of.global;
  f->gf = fx_export(f->ctx, &f->inst, "gf").of.global;
  f->ge = fx_export(f->ctx, &f->inst, "ge").of.global;
  f->gv = fx_export(f->ctx, &f->inst, "gv").of.global;
  f->gi64 = fx_export(f->ctx, &f->inst, "gi64").of.global;
  wasm_functype_t *type = functype_i_i();
  wasmtime_func_new(f->ctx, type, host_callback, (void *)(intptr_t)1, NULL, &f->host_func);
  wasm_functype_delete(type);
  fixture_externref(f->ctx, &fixture_ext_data, &f->ext);
  // Store 2.
  f->seven2 = fx_export_func(f->ctx2, &f->inst2, "seven");
  f->tab2 = fx_export(f->ctx2, &f->inst2, "tab").of.table;
  f->mem2 = fx_export(f->ctx2, &f->inst2, "mem").of.memory;
  f->g2 = fx_export(f->ctx2, &f->inst2, "g").of.global;
  fixture_externref(f->ctx2, &fixture_ext2_data, &f->ext2);
  // A store that is deleted: its handles stay behind.
  wasmtime_store_t *dead = wasmtime_store_new(f->engine, NULL, NULL);
  wasmtime_context_t *dead_ctx = wasmtime_store_context(dead);
  fixture_instantiate(dead_ctx, f->module, &f->dead_instance);
  f->dead_func = fx_export_func(dead_ctx, &f->dead_instance, "seven");
  f->dead_table = fx_export(dead_ctx, &f->dead_instance, "tab").of.table;
  f->dead_memory = fx_export(dead_ctx, &f->dead_instance, "mem").of.memory;
  f->dead_global = fx_export(dead_ctx, &f->dead_instance, "g").of.global;
  fixture_externref(dead_ctx, &dead_ext_data, &f->dead_ext);
  wasmtime_store_delete(dead);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Runner
// ---------------------------------------------------------------------------------------------

static int timeout_seconds = 30;
static long as_limit_gib = 8;
static int exec_cases;         // --exec: each child execs this program for its one case
static const char *self_path;  // argv[0], for --exec

static void run_child(const mcase *c) {
  // Huge requests must fail as allocation failures, not drive the machine into swap.
  if (as_limit_gib > 0) {
    struct rlimit limit = {.rlim_cur = (rlim_t)as_limit_gib << 30, .rlim_max = (rlim_t)as_limit_gib << 30};
    setrlimit(RLIMIT_AS, &limit);
  }
  alarm((unsigned)timeout_seconds);
  c->fn(c);
  fflush(stdout);
  _exit(failures ? 1 : 0);
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// Functions exported by `library` without a case; returns how many.
static int check_coverage(const char *library) {
  char command[4096];
  snprintf(command, sizeof command, "nm -D --defined-only '%s'", library);
  FILE *pipe = popen(command, "r");
  if (!pipe) {
    printf("coverage: cannot run nm\n");
    return 1;
  }
  qsort(covered, covered_count, sizeof *covered, compare_strings);
  char line[1024];
  int exported = 0, missing = 0;
  while (fgets(line, sizeof line, pipe)) {
    char address[64], kind[8], symbol[512];
    if (sscanf(line, "%63s %7s %511s", address, kind, symbol) != 3) continue;
    if (kind[0] != 'T' && kind[0] != 'W' && kind[0] != 'i') continue;
    exported++;
    const char *key = symbol;
    if (!bsearch(&key, covered, covered_count, sizeof *covered, compare_strings)) {
      printf("coverage: no case exercises %s\n", symbol);
      missing++;
    }
  }
  int status = pclose(pipe);
  if (exported == 0 || status != 0) {
    printf("coverage: nm failed on %s\n", library);
    return 1;
  }
  printf("coverage: %d exported functions, %d without a case\n", exported, missing);
  return missing;
}

// Known, not yet fixed bugs (README.md): a case listed in the open-bugs file may still fail or
// crash (it is reported as OPEN BUG, loudly, and counted); a listed case that passes fails the run
// until it is removed, so the list only shrinks. Any other failure fails the run at once.
static const char *open_bugs_path, *write_open_bugs_path;
static char *open_bugs[4096];
static size_t open_bug_count;

static void load_open_bugs(void) {
  if (!open_bugs_path) return;
  FILE *f = fopen(open_bugs_path, "r");
  if (!f) {
    fprintf(stderr, "host_misuse: cannot read %s\n", open_bugs_path);
    exit(2);
  }
  char line[512];
  while (fgets(line, sizeof line, f) && open_bug_count < sizeof open_bugs / sizeof *open_bugs) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, " \t\n")] = '\0';
    open_bugs[open_bug_count++] = strdup(line);
  }
  fclose(f);
}

static int is_open_bug(const char *name) {
  for (size_t i = 0; i < open_bug_count; i++)
    if (strcmp(open_bugs[i], name) == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  const char *coverage_lib = NULL;
  int list = 0;
  const char **filters = calloc((size_t)argc, sizeof *filters);
  int filter_count = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--list") == 0)
      list = 1;
    else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
      timeout_seconds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--exec") == 0)
      exec_cases = 1;
    else if (strcmp(argv[i], "--run-case") == 0 && i + 1 < argc) {
      size_t index = (size_t)strtoul(argv[++i], NULL, 10);
      if (index >= case_count) return 2;
      setvbuf(stdout, NULL, _IOLBF, 0);
      run_child(&cases[index]);
    } else if (strcmp(argv[i], "--as-limit") == 0 && i + 1 < argc)
      as_limit_gib = atol(argv[++i]);
    else if (strcmp(argv[i], "--coverage-lib") == 0 && i + 1 < argc)
      coverage_lib = argv[++i];
    else if (strcmp(argv[i], "--open-bugs") == 0 && i + 1 < argc)
      open_bugs_path = argv[++i];
    else if (strcmp(argv[i], "--write-open-bugs") == 0 && i + 1 < argc)
      write_open_bugs_path = argv[++i];
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: %s [--list] [--timeout SEC] [--as-limit GIB] [--exec] [--coverage-lib PATH] [FILTER...]\n",
              argv[0]);
      return 2;
    } else
      filters[filter_count++] = argv[i];
  }
  self_path = argv[0];
  load_open_bugs();
  FILE *write_open_bugs = write_open_bugs_path ? fopen(write_open_bugs_path, "w") : NULL;
  if (write_open_bugs)
    fprintf(write_open_bugs, "# host_misuse cases that fail or crash because of swasm bugs not fixed yet (issue 11).\n"
                             "# Not deliberate: each is reported as OPEN BUG; a listed case that passes fails the run.\n");
  int open_failing = 0, fixed = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  int ran = 0, passed = 0, failed = 0, crashed = 0, timed_out = 0, skipped = 0;
  char **bad = calloc(case_count + 1, sizeof *bad);
  size_t bad_count = 0;
  for (size_t i = 0; i < case_count; i++) {
    const mcase *c = &cases[i];
    if (filter_count) {
      int match = 0;
      for (int f = 0; f < filter_count; f++)
        match |= filters[f][0] == '^' ? strncmp(c->name, filters[f] + 1, strlen(filters[f] + 1)) == 0
                                      : strstr(c->name, filters[f]) != NULL;
      if (!match) continue;
    }
    if (list) {
      printf("%s\n", c->name);
      continue;
    }
    ran++;
    printf("case %s\n", c->name);
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
      perror("fork");
      return 2;
    }
    if (child == 0) {
      if (exec_cases) {
        char index[32], timeout[32], limit[32];
        snprintf(index, sizeof index, "%zu", i);
        snprintf(timeout, sizeof timeout, "%d", timeout_seconds);
        snprintf(limit, sizeof limit, "%ld", as_limit_gib);
        execl(self_path, self_path, "--timeout", timeout, "--as-limit", limit, "--run-case", index, (char *)NULL);
        perror("execl");
        _exit(3);
      }
      run_child(c);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    char verdict[160];
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
      snprintf(verdict, sizeof verdict, "TIMEOUT after %d s", timeout_seconds);
      timed_out++;
    } else if (WIFSIGNALED(status)) {
      snprintf(verdict, sizeof verdict, "CRASH signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
      crashed++;
    } else if (WEXITSTATUS(status) == 77) {
      snprintf(verdict, sizeof verdict, "skipped");
      skipped++;
    } else if (WEXITSTATUS(status) != 0) {
      snprintf(verdict, sizeof verdict, "FAIL (exit %d)", WEXITSTATUS(status));
      failed++;
    } else {
      snprintf(verdict, sizeof verdict, "ok");
      passed++;
    }
    int bad_verdict = strcmp(verdict, "ok") != 0 && strcmp(verdict, "skipped") != 0;
    if (write_open_bugs && bad_verdict) fprintf(write_open_bugs, "%s %s\n", c->name, verdict);
    if (is_open_bug(c->name)) {
      if (bad_verdict) {
        printf("case %s: %s (OPEN BUG, listed in %s)\n", c->name, verdict, open_bugs_path);
        open_failing++;
        if (WIFSIGNALED(status) && WTERMSIG(status) != SIGALRM) crashed--;
        else if (WIFSIGNALED(status)) timed_out--;
        else failed--;
        continue;
      }
      printf("case %s: ok, but listed in %s: FIXED, remove it from the list\n", c->name, open_bugs_path);
      fixed++;
      continue;
    }
    printf("case %s: %s\n", c->name, verdict);
    if (bad_verdict) {
      size_t length = strlen(c->name) + strlen(verdict) + 4;
      bad[bad_count] = malloc(length);
      snprintf(bad[bad_count++], length, "%s: %s", c->name, verdict);
    }
  }
  if (list) return 0;
  int uncovered = coverage_lib ? check_coverage(coverage_lib) : 0;
  if (bad_count) {
    printf("\nnot ok:\n");
    for (size_t i = 0; i < bad_count; i++) printf("  %s\n", bad[i]);
  }
  if (write_open_bugs) fclose(write_open_bugs);
  printf("\nhost_misuse: %d cases: %d ok, %d failed, %d crashed, %d timed out, %d skipped, %d open bugs still failing, "
         "%d listed open bugs fixed%s\n", ran, passed, failed, crashed, timed_out, skipped, open_failing, fixed,
         uncovered ? "; some exported functions have no case" : "");
  return (failed || crashed || timed_out || uncovered || fixed) ? 1 : 0;
}
