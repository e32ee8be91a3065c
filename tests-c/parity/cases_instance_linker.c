/* wasmtime/instance.h and wasmtime/linker.h. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const wasm_valkind_t K_I32[] = {WASM_I32};

static int finalizer_runs;
static void finalizer(void *p) {
  (void)p;
  finalizer_runs++;
}

static wasm_trap_t *const7_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                              size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)nresults;
  results[0] = v_i32(7);
  return NULL;
}

static wasm_trap_t *const8_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                              size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)nresults;
  results[0] = v_i32(8);
  return NULL;
}

static wasm_trap_t *unchecked7_cb(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *raw,
                                  size_t n) {
  (void)env, (void)caller, (void)n;
  raw[0].i32 = 7;
  return NULL;
}

static wasm_functype_t *ft_void_i32(void) { return functype(0, NULL, 1, K_I32); }

static void report_exports(env_t *e, const wasmtime_instance_t *inst) {
  for (size_t i = 0;; i++) {
    char *name = NULL;
    size_t len = 0;
    wasmtime_extern_t x;
    if (!wasmtime_instance_export_nth(e->cx, inst, i, &name, &len, &x)) {
      out("export_nth %zu: false", i);
      break;
    }
    char l[64];
    snprintf(l, sizeof l, "export_nth %zu name", i);
    out_bytes(l, name, len);
    wasm_externtype_t *t = wasmtime_extern_type(e->cx, &x);
    snprintf(l, sizeof l, "export_nth %zu type", i);
    report_externtype(l, t);
    wasm_externtype_delete(t);
    wasmtime_extern_delete(&x);
  }
}

static const char *exports_module =
    "(module (func (export \"f\") (result i32) i32.const 1)"
    " (global (export \"g\") (mut i32) (i32.const 2))"
    " (table (export \"t\") 1 2 funcref)"
    " (memory (export \"m\") 1 2)"
    " (export \"f again\" (func 0))"
    " (export \"\" (func 0)))";

CASE(instance_exports) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, exports_module, &inst)) return;
  report_exports(&e, &inst);
  wasmtime_extern_t x;
  out("export_get \"missing\": %d", wasmtime_instance_export_get(e.cx, &inst, "missing", 7, &x));
  out("export_get \"f\\xff\": %d", wasmtime_instance_export_get(e.cx, &inst, "f\xff", 2, &x));
  out("export_get \"\": %d", wasmtime_instance_export_get(e.cx, &inst, "", 0, &x));
  out("export_get \"f\" with length 1 of \"fX\": %d", wasmtime_instance_export_get(e.cx, &inst, "fX", 1, &x));
  out("export_nth SIZE_MAX: %d", wasmtime_instance_export_nth(e.cx, &inst, SIZE_MAX, NULL, NULL, &x));
}

CASE(instance_wrong_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&other, exports_module, &inst)) return;
  wasmtime_extern_t x;
  out("export_get through wrong store: %d", wasmtime_instance_export_get(e.cx, &inst, "f", 1, &x));
}

static const char *importing_module =
    "(module (import \"env\" \"f\" (func $f (result i32)))"
    " (import \"env\" \"g\" (global $g (mut i32)))"
    " (import \"env\" \"t\" (table 1 funcref))"
    " (import \"env\" \"m\" (memory 1))"
    " (func (export \"run\") (result i32) (i32.add (call $f) (global.get $g))))";

typedef struct {
  wasmtime_extern_t f, g, t, m;
} host_externs_t;

static host_externs_t host_externs(env_t *e) {
  host_externs_t h;
  wasm_functype_t *ft = ft_void_i32();
  h.f.kind = WASMTIME_EXTERN_FUNC;
  wasmtime_func_new(e->cx, ft, const7_cb, NULL, NULL, &h.f.of.func);
  wasm_functype_delete(ft);
  wasm_globaltype_t *gt = wasm_globaltype_new(vt(WASM_I32), WASM_VAR);
  wasmtime_val_t v = v_i32(100);
  h.g.kind = WASMTIME_EXTERN_GLOBAL;
  report_error("host global_new", wasmtime_global_new(e->cx, gt, &v, &h.g.of.global));
  wasm_globaltype_delete(gt);
  wasm_limits_t tl = {1, 10};
  wasm_tabletype_t *tt = wasm_tabletype_new(vt(WASM_FUNCREF), &tl);
  wasmtime_val_t n = v_funcref_null();
  h.t.kind = WASMTIME_EXTERN_TABLE;
  report_error("host table_new", wasmtime_table_new(e->cx, tt, &n, &h.t.of.table));
  wasm_tabletype_delete(tt);
  wasm_limits_t ml = {1, 10};
  wasm_memorytype_t *mt = wasm_memorytype_new(&ml);
  h.m.kind = WASMTIME_EXTERN_MEMORY;
  report_error("host memory_new", wasmtime_memory_new(e->cx, mt, &h.m.of.memory));
  wasm_memorytype_delete(mt);
  return h;
}

static void instantiate_with(env_t *e, const char *label, wasmtime_module_t *m,
                             const wasmtime_extern_t *imports, size_t n) {
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_instance_new(e->cx, m, imports, n, &inst, &trap);
  bool ok = !err && !trap;
  report_call(label, err, trap);
  if (ok) call_export(e, &inst, "run", NULL, 0, 1);
}

CASE(instance_imports) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, importing_module);
  if (!m) return;
  host_externs_t h = host_externs(&e);
  wasmtime_extern_t all[4] = {h.f, h.g, h.t, h.m};
  instantiate_with(&e, "all imports", m, all, 4);
  instantiate_with(&e, "no imports", m, NULL, 0);
  instantiate_with(&e, "3 imports", m, all, 3);
  wasmtime_extern_t five[5] = {h.f, h.g, h.t, h.m, h.m};
  instantiate_with(&e, "5 imports", m, five, 5);
  wasmtime_extern_t swapped[4] = {h.g, h.f, h.t, h.m};
  instantiate_with(&e, "func and global swapped", m, swapped, 4);
  wasmtime_extern_t mem_for_table[4] = {h.f, h.g, h.m, h.m};
  instantiate_with(&e, "memory for table", m, mem_for_table, 4);
}

CASE(instance_import_type_mismatch) {
  env_t e = env_new();
  host_externs_t h = host_externs(&e);
  struct {
    const char *label;
    const char *text;
    wasmtime_extern_t x;
  } cases[] = {
      {"const global for mut import", "(module (import \"env\" \"g\" (global i32)))", h.g},
      {"i64 global import", "(module (import \"env\" \"g\" (global (mut i64))))", h.g},
      {"memory min too big", "(module (import \"env\" \"m\" (memory 2)))", h.m},
      {"memory max too small", "(module (import \"env\" \"m\" (memory 1 5)))", h.m},
      {"table min too big", "(module (import \"env\" \"t\" (table 11 funcref)))", h.t},
      {"externref table import", "(module (import \"env\" \"t\" (table 1 externref)))", h.t},
      {"func type", "(module (import \"env\" \"f\" (func (param i32) (result i32))))", h.f},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasmtime_module_t *m = module_of(&e, cases[i].text);
    if (!m) continue;
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    report_call(cases[i].label, wasmtime_instance_new(e.cx, m, &cases[i].x, 1, &inst, &trap), trap);
    wasmtime_module_delete(m);
  }
}

CASE(instance_import_other_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_module_t *m = module_of(&e, "(module (import \"env\" \"f\" (func (result i32))))");
  host_externs_t h = host_externs(&other);
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new with func of other store", wasmtime_instance_new(e.cx, m, &h.f, 1, &inst, &trap), trap);
}

CASE(instance_import_bad_kind_byte) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, "(module (import \"env\" \"f\" (func (result i32))))");
  host_externs_t h = host_externs(&e);
  h.f.kind = 77;
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new with extern kind 77", wasmtime_instance_new(e.cx, m, &h.f, 1, &inst, &trap), trap);
}

CASE(instance_limiter) {
  env_t e = env_new();
  wasmtime_store_limiter(e.store, -1, -1, 2, 1, 1);
  wasmtime_module_t *m = module_of(&e, "(module (memory 1) (table 1 funcref))");
  for (int i = 0; i < 3; i++) {
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    char l[64];
    snprintf(l, sizeof l, "instance %d", i + 1);
    report_call(l, wasmtime_instance_new(e.cx, m, NULL, 0, &inst, &trap), trap);
  }
  env_t e2 = env_new();
  wasmtime_store_limiter(e2.store, -1, -1, 5, 1, 1);
  wasmtime_module_t *m2 = module_of(&e2, "(module (memory 1))");
  wasmtime_module_t *t2 = module_of(&e2, "(module (table 1 funcref))");
  for (int i = 0; i < 2; i++) {
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    char l[64];
    snprintf(l, sizeof l, "memory instance %d", i + 1);
    report_call(l, wasmtime_instance_new(e2.cx, m2, NULL, 0, &inst, &trap), trap);
    snprintf(l, sizeof l, "table instance %d", i + 1);
    trap = NULL;
    report_call(l, wasmtime_instance_new(e2.cx, t2, NULL, 0, &inst, &trap), trap);
  }
  env_t e3 = env_new();
  wasmtime_store_limiter(e3.store, 65536, 5, -1, -1, -1);
  wasmtime_module_t *m3 = module_of(&e3, "(module (memory 2))");
  wasmtime_module_t *t3 = module_of(&e3, "(module (table 6 funcref))");
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("memory of 2 pages, limit 1 page", wasmtime_instance_new(e3.cx, m3, NULL, 0, &inst, &trap), trap);
  trap = NULL;
  report_call("table of 6, limit 5", wasmtime_instance_new(e3.cx, t3, NULL, 0, &inst, &trap), trap);
  wasmtime_instance_t g;
  if (instance_of(&e3, "(module (table 2 funcref) (memory 1)"
                       " (func (export \"tg\") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))"
                       " (func (export \"mg\") (param i32) (result i32) (memory.grow (local.get 0))))", &g)) {
    wasmtime_val_t a = v_i32(3);
    call_export(&e3, &g, "tg", &a, 1, 1);
    a = v_i32(4);
    call_export(&e3, &g, "tg", &a, 1, 1);
    a = v_i32(1);
    call_export(&e3, &g, "mg", &a, 1, 1);
  }
}

CASE(instance_pre) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const7_cb, NULL, NULL));
  wasm_functype_delete(ft);
  wasmtime_module_t *m = module_of(&e, "(module (import \"env\" \"f\" (func $f (result i32)))"
                                           " (func (export \"run\") (result i32) (call $f)))");
  wasmtime_instance_pre_t *pre = NULL;
  report_error("instantiate_pre", wasmtime_linker_instantiate_pre(linker, m, &pre));
  if (!pre) return;
  wasmtime_module_t *pm = wasmtime_instance_pre_module(pre);
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(pm, &imports);
  report_importtypes("instance_pre_module imports", &imports);
  wasm_importtype_vec_delete(&imports);
  wasmtime_module_delete(pm);
  for (int i = 0; i < 2; i++) {
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    report_call("instance_pre_instantiate", wasmtime_instance_pre_instantiate(pre, e.cx, &inst, &trap), trap);
    call_export(&e, &inst, "run", NULL, 0, 1);
  }
  /* In a second store of the same engine. */
  wasmtime_store_t *s2 = wasmtime_store_new(e.engine, NULL, NULL);
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_pre_instantiate other store",
              wasmtime_instance_pre_instantiate(pre, wasmtime_store_context(s2), &inst, &trap), trap);
  wasmtime_instance_pre_delete(pre);
  wasmtime_store_delete(s2);
  /* A module whose imports the linker lacks. */
  wasmtime_module_t *m2 = module_of(&e, "(module (import \"env\" \"missing\" (func)))");
  pre = NULL;
  report_error("instantiate_pre missing import", wasmtime_linker_instantiate_pre(linker, m2, &pre));
  out("pre: %s", pre ? "non-NULL" : "NULL");
}

/* ---- linker ---- */

static void linker_instantiate(env_t *e, wasmtime_linker_t *linker, const char *label,
                               const char *text, bool call_run) {
  wasmtime_module_t *m = module_of(e, text);
  if (!m) return;
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_linker_instantiate(linker, e->cx, m, &inst, &trap);
  bool ok = !err && !trap;
  report_call(label, err, trap);
  if (ok && call_run) call_export(e, &inst, "run", NULL, 0, 1);
  wasmtime_module_delete(m);
}

CASE(linker_define_func_and_instantiate) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func env::f", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const7_cb, NULL, finalizer));
  wasm_functype_delete(ft);
  linker_instantiate(&e, linker, "instantiate", "(module (import \"env\" \"f\" (func $f (result i32)))"
                                                " (func (export \"run\") (result i32) (call $f)))", true);
  linker_instantiate(&e, linker, "instantiate missing import",
                     "(module (import \"env\" \"nope\" (func)) (func (export \"run\") (result i32) i32.const 0))", true);
  linker_instantiate(&e, linker, "instantiate type mismatch",
                     "(module (import \"env\" \"f\" (func (param i64))) (func (export \"run\") (result i32) i32.const 0))", true);
  linker_instantiate(&e, linker, "instantiate kind mismatch",
                     "(module (import \"env\" \"f\" (global i32)) (func (export \"run\") (result i32) i32.const 0))", true);
  wasmtime_linker_delete(linker);
  out("finalizer runs after linker delete: %d", finalizer_runs);
  wasmtime_store_delete(e.store);
  out("finalizer runs after store delete: %d", finalizer_runs);
}

/* An async host function: its continuation completes after `async_polls` calls; it then gives 7,
 * an i64 (the wrong type) or the trap its callback returned. */
static int async_polls, async_continuation_calls, async_mode;
static bool async_continue(void *env) {
  wasmtime_val_t *results = env;
  async_continuation_calls++;
  if (async_continuation_calls <= async_polls) return false;
  results[0] = async_mode == 2 ? v_i64(7) : v_i32(7);
  return true;
}
static void async_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs, wasmtime_val_t *results,
                     size_t nresults, wasm_trap_t **trap_ret, wasmtime_async_continuation_t *continuation) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)nresults;
  if (async_mode == 1) *trap_ret = wasmtime_trap_new("async host trap", 15);
  continuation->callback = async_continue;
  continuation->env = results;
  continuation->finalizer = finalizer;
}

static void async_call_run(env_t *e, const wasmtime_instance_t *inst, const char *label, int mode) {
  async_mode = mode;
  async_polls = 2;
  async_continuation_calls = 0;
  wasmtime_extern_t run = export_of(e, inst, "run");
  wasmtime_val_t result = v_i32(0);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future = wasmtime_func_call_async(e->cx, &run.of.func, NULL, 0, &result, 1, &trap, &error);
  int pending = 0;
  while (!wasmtime_call_future_poll(future)) pending++;
  wasmtime_call_future_delete(future);
  out("%s: %d polls pending, continuation called %d times, finalizers %d", label, pending, async_continuation_calls, finalizer_runs);
  report_call(label, error, trap);
  if (!error && !trap) report_val(label, e->cx, &result);
}

CASE(linker_define_async_func) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_async_func env::f", wasmtime_linker_define_async_func(linker, "env", 3, "f", 1, ft, async_cb, NULL, finalizer));
  wasm_functype_delete(ft);
  wasmtime_module_t *m = module_of(&e, "(module (import \"env\" \"f\" (func $f (result i32)))"
                                       " (func (export \"run\") (result i32) (i32.add (call $f) (i32.const 1))))");
  if (!m) return;
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  report_call("instantiate", wasmtime_linker_instantiate(linker, e.cx, m, &inst, &trap), trap);
  trap = NULL;
  wasmtime_call_future_t *future = wasmtime_linker_instantiate_async(linker, e.cx, m, &inst, &trap, &error);
  while (!wasmtime_call_future_poll(future)) {
  }
  wasmtime_call_future_delete(future);
  report_call("instantiate_async", error, trap);
  trap = NULL;
  wasmtime_extern_t run = export_of(&e, &inst, "run");
  wasmtime_val_t result;
  report_call("call", wasmtime_func_call(e.cx, &run.of.func, NULL, 0, &result, 1, &trap), trap);
  async_call_run(&e, &inst, "call_async", 0);
  async_call_run(&e, &inst, "call_async trap", 1);
  async_call_run(&e, &inst, "call_async wrong type", 2);
  wasmtime_store_delete(e.store);
  out("finalizer runs after store delete: %d", finalizer_runs);
  wasmtime_linker_delete(linker);
  out("finalizer runs after linker delete: %d", finalizer_runs);
  wasmtime_module_delete(m);
}

CASE(linker_define_externs) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  host_externs_t h = host_externs(&e);
  report_error("define f", wasmtime_linker_define(linker, e.cx, "env", 3, "f", 1, &h.f));
  report_error("define g", wasmtime_linker_define(linker, e.cx, "env", 3, "g", 1, &h.g));
  report_error("define t", wasmtime_linker_define(linker, e.cx, "env", 3, "t", 1, &h.t));
  report_error("define m", wasmtime_linker_define(linker, e.cx, "env", 3, "m", 1, &h.m));
  linker_instantiate(&e, linker, "instantiate", importing_module, true);
  wasmtime_extern_t x;
  out("get env::g: %d", wasmtime_linker_get(linker, e.cx, "env", 3, "g", 1, &x));
  if (x.kind == WASMTIME_EXTERN_GLOBAL) {
    wasmtime_val_t v;
    wasmtime_global_get(e.cx, &x.of.global, &v);
    report_val("env::g value", e.cx, &v);
  }
  out("get env::missing: %d", wasmtime_linker_get(linker, e.cx, "env", 3, "missing", 7, &x));
  out("get other::f: %d", wasmtime_linker_get(linker, e.cx, "other", 5, "f", 1, &x));
}

CASE(linker_shadowing) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func env::f (7)", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const7_cb, NULL, NULL));
  report_error("define_func env::f (8) again", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const8_cb, NULL, finalizer));
  out("finalizer runs after refused define: %d", finalizer_runs);
  host_externs_t h = host_externs(&e);
  report_error("define env::f extern again", wasmtime_linker_define(linker, e.cx, "env", 3, "f", 1, &h.f));
  report_error("define env::f as global", wasmtime_linker_define(linker, e.cx, "env", 3, "f", 1, &h.g));
  const char *text = "(module (import \"env\" \"f\" (func $f (result i32)))"
                     " (func (export \"run\") (result i32) (call $f)))";
  linker_instantiate(&e, linker, "before shadowing", text, true);
  wasmtime_linker_allow_shadowing(linker, true);
  report_error("define_func env::f (8) with shadowing", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const8_cb, NULL, NULL));
  linker_instantiate(&e, linker, "after shadowing", text, true);
  wasmtime_linker_allow_shadowing(linker, false);
  report_error("define_func env::f (7) shadowing off again", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const7_cb, NULL, NULL));
  wasm_functype_delete(ft);
}

CASE(linker_define_instance) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasmtime_instance_t inst;
  if (!instance_of(&e, exports_module, &inst)) return;
  report_error("define_instance lib", wasmtime_linker_define_instance(linker, e.cx, "lib", 3, &inst));
  report_error("define_instance lib again", wasmtime_linker_define_instance(linker, e.cx, "lib", 3, &inst));
  linker_instantiate(&e, linker, "instantiate importing lib::f lib::g",
                     "(module (import \"lib\" \"f\" (func $f (result i32))) (import \"lib\" \"g\" (global $g (mut i32)))"
                     " (import \"lib\" \"m\" (memory 1)) (import \"lib\" \"f again\" (func (result i32)))"
                     " (func (export \"run\") (result i32) (i32.add (call $f) (global.get $g))))", true);
  wasmtime_extern_t x;
  bool got = wasmtime_linker_get(linker, e.cx, "lib", 3, "t", 1, &x);
  out("get lib::t: %d kind %d", got, got ? x.kind : -1);
  out("get lib::\"\": %d", wasmtime_linker_get(linker, e.cx, "lib", 3, "", 0, &x));
  wasmtime_func_t f;
  wasmtime_error_t *err = wasmtime_linker_get_default(linker, e.cx, "lib", 3, &f);
  bool ok = !err;
  report_error("get_default lib", err);
  if (ok) {
    wasmtime_val_t r;
    wasm_trap_t *trap = NULL;
    report_call("call default", wasmtime_func_call(e.cx, &f, NULL, 0, &r, 1, &trap), trap);
  }
}

CASE(linker_module) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasmtime_module_t *reactor = module_of(&e, "(module (global $c (mut i32) (i32.const 0))"
                                                 " (func (export \"bump\") (result i32)"
                                                 "   (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c))"
                                                 " (memory (export \"memory\") 1))");
  report_error("linker_module reactor", wasmtime_linker_module(linker, e.cx, "reactor", 7, reactor));
  linker_instantiate(&e, linker, "instantiate using reactor",
                     "(module (import \"reactor\" \"bump\" (func $b (result i32)))"
                     " (func (export \"run\") (result i32) (drop (call $b)) (call $b)))", true);
  wasmtime_module_t *command = module_of(&e, "(module (global $c (mut i32) (i32.const 0))"
                                                 " (func (export \"_start\"))"
                                                 " (func (export \"count\") (result i32)"
                                                 "   (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c)))");
  report_error("linker_module command", wasmtime_linker_module(linker, e.cx, "command", 7, command));
  wasmtime_extern_t x;
  bool got = wasmtime_linker_get(linker, e.cx, "command", 7, "count", 5, &x);
  out("get command::count: %d", got);
  if (got) {
    for (int i = 0; i < 2; i++) {
      wasmtime_val_t r;
      wasm_trap_t *trap = NULL;
      wasmtime_error_t *err = wasmtime_func_call(e.cx, &x.of.func, NULL, 0, &r, 1, &trap);
      bool ok = !err && !trap;
      report_call("call command::count", err, trap);
      if (ok) report_val("result (a new instance per call)", e.cx, &r);
    }
  }
  wasmtime_func_t f;
  report_error("get_default command", wasmtime_linker_get_default(linker, e.cx, "command", 7, &f));
  report_error("get_default reactor", wasmtime_linker_get_default(linker, e.cx, "reactor", 7, &f));
  wasmtime_error_t *err = wasmtime_linker_get_default(linker, e.cx, "nothing", 7, &f);
  bool ok = !err;
  report_error("get_default of undefined name", err);
  if (ok) {
    wasm_functype_t *t = wasmtime_func_type(e.cx, &f);
    report_functype("default type", t);
    wasm_functype_delete(t);
    wasm_trap_t *trap = NULL;
    report_call("call default", wasmtime_func_call(e.cx, &f, NULL, 0, NULL, 0, &trap), trap);
  }
  wasmtime_module_t *bad = module_of(&e, "(module (import \"missing\" \"x\" (func)))");
  report_error("linker_module with unresolvable import", wasmtime_linker_module(linker, e.cx, "bad", 3, bad));
}

CASE(linker_unknown_imports_as_traps) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasmtime_module_t *m = module_of(&e, "(module $uk (import \"host\" \"missing\" (func $m (param i32) (result i32)))"
                                           " (func $caller (export \"run\") (result i32) (call $m (i32.const 1))))");
  report_error("define_unknown_imports_as_traps", wasmtime_linker_define_unknown_imports_as_traps(linker, m));
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instantiate", wasmtime_linker_instantiate(linker, e.cx, m, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 1);
  wasmtime_module_t *mm = module_of(&e, "(module (import \"host\" \"mem\" (memory 1)))");
  report_error("define_unknown_imports_as_traps (memory import)", wasmtime_linker_define_unknown_imports_as_traps(linker, mm));
  trap = NULL;
  report_call("instantiate (memory import)", wasmtime_linker_instantiate(linker, e.cx, mm, &inst, &trap), trap);
}

CASE(linker_unknown_imports_as_default_values) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasmtime_module_t *m = module_of(&e, "(module (import \"host\" \"f\" (func $f (param i32) (result i32 i64 f32 externref)))"
                                           " (func (export \"run\") (result i32 i64 f32 externref) (call $f (i32.const 1))))");
  report_error("define_unknown_imports_as_default_values",
               wasmtime_linker_define_unknown_imports_as_default_values(linker, e.cx, m));
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instantiate", wasmtime_linker_instantiate(linker, e.cx, m, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 4);
  const char *others[] = {"(module (import \"host\" \"g\" (global i32)))",
                          "(module (import \"host\" \"m\" (memory 1)))",
                          "(module (import \"host\" \"t\" (table 1 funcref)))"};
  for (int i = 0; i < 3; i++) {
    wasmtime_module_t *o = module_of(&e, others[i]);
    char l[100];
    snprintf(l, sizeof l, "define_unknown_imports_as_default_values %d", i);
    report_error(l, wasmtime_linker_define_unknown_imports_as_default_values(linker, e.cx, o));
    trap = NULL;
    snprintf(l, sizeof l, "instantiate %d", i);
    report_call(l, wasmtime_linker_instantiate(linker, e.cx, o, &inst, &trap), trap);
  }
}

CASE(linker_clone) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func env::f", wasmtime_linker_define_func(linker, "env", 3, "f", 1, ft, const7_cb, NULL, NULL));
  wasmtime_linker_t *clone = wasmtime_linker_clone(linker);
  report_error("define_func env::h in clone", wasmtime_linker_define_func(clone, "env", 3, "h", 1, ft, const8_cb, NULL, NULL));
  wasm_functype_delete(ft);
  wasmtime_linker_delete(linker);
  wasmtime_extern_t x;
  out("clone get env::f: %d", wasmtime_linker_get(clone, e.cx, "env", 3, "f", 1, &x));
  out("clone get env::h: %d", wasmtime_linker_get(clone, e.cx, "env", 3, "h", 1, &x));
  wasmtime_linker_delete(clone);
}

CASE(linker_define_func_unchecked) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func_unchecked",
               wasmtime_linker_define_func_unchecked(linker, "env", 3, "f", 1, ft, unchecked7_cb, NULL, NULL));
  wasm_functype_delete(ft);
  wasmtime_extern_t x;
  out("get env::f: %d", wasmtime_linker_get(linker, e.cx, "env", 3, "f", 1, &x));
  linker_instantiate(&e, linker, "instantiate", "(module (import \"env\" \"f\" (func $f (result i32)))"
                                                " (func (export \"run\") (result i32) (call $f)))", true);
}

CASE(linker_define_func_null_callback) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func_unchecked NULL callback",
               wasmtime_linker_define_func_unchecked(linker, "env", 3, "u", 1, ft, NULL, NULL, NULL));
  report_error("define_func NULL callback",
               wasmtime_linker_define_func(linker, "env", 3, "c", 1, ft, NULL, NULL, NULL));
  wasm_functype_delete(ft);
  wasmtime_extern_t x;
  out("get env::u: %d", wasmtime_linker_get(linker, e.cx, "env", 3, "u", 1, &x));
  out("get env::c: %d", wasmtime_linker_get(linker, e.cx, "env", 3, "c", 1, &x));
}

CASE(linker_define_other_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  host_externs_t h = host_externs(&other);
  report_error("define extern of other store", wasmtime_linker_define(linker, e.cx, "env", 3, "f", 1, &h.f));
  linker_instantiate(&e, linker, "instantiate", "(module (import \"env\" \"f\" (func $f (result i32)))"
                                                " (func (export \"run\") (result i32) (call $f)))", true);
}

CASE(linker_instantiate_other_engine) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(other.engine);
  linker_instantiate(&e, linker, "instantiate with linker of other engine",
                     "(module (func (export \"run\") (result i32) i32.const 1))", true);
}

/* ---- names that are not UTF-8 ---- */

CASE(linker_invalid_utf8_define_func) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  finalizer_runs = 0;
  report_error("define_func module \"\\xff\"", wasmtime_linker_define_func(linker, "\xff", 1, "f", 1, ft, const7_cb, NULL, finalizer));
  out("finalizer runs: %d", finalizer_runs);
  report_error("define_func name \"a\\xc3\"", wasmtime_linker_define_func(linker, "env", 3, "a\xc3", 2, ft, const7_cb, NULL, finalizer));
  out("finalizer runs: %d", finalizer_runs);
  report_error("define_func_unchecked name \"\\xff\"",
               wasmtime_linker_define_func_unchecked(linker, "env", 3, "\xff", 1, ft, unchecked7_cb, NULL, finalizer));
  out("finalizer runs: %d", finalizer_runs);
  wasm_functype_delete(ft);
}

CASE(linker_invalid_utf8_define) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  host_externs_t h = host_externs(&e);
  report_error("define module \"\\xff\"", wasmtime_linker_define(linker, e.cx, "\xff", 1, "f", 1, &h.f));
  report_error("define name \"\\xff\"", wasmtime_linker_define(linker, e.cx, "env", 3, "\xff", 1, &h.f));
  wasmtime_instance_t inst;
  if (!instance_of(&e, exports_module, &inst)) return;
  report_error("define_instance \"\\xfe\"", wasmtime_linker_define_instance(linker, e.cx, "\xfe", 1, &inst));
  wasmtime_module_t *m = module_of(&e, "(module)");
  report_error("linker_module \"\\xfe\"", wasmtime_linker_module(linker, e.cx, "\xfe", 1, m));
  wasmtime_func_t f;
  report_error("get_default \"\\xfe\"", wasmtime_linker_get_default(linker, e.cx, "\xfe", 1, &f));
  wasmtime_extern_t x;
  out("get \"\\xff\"::f: %d", wasmtime_linker_get(linker, e.cx, "\xff", 1, "f", 1, &x));
  out("get env::\"\\xff\": %d", wasmtime_linker_get(linker, e.cx, "env", 3, "\xff", 1, &x));
}

CASE(linker_embedded_nul_names) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  wasm_functype_t *ft = ft_void_i32();
  report_error("define_func env::\"a\\0b\"", wasmtime_linker_define_func(linker, "env", 3, "a\0b", 3, ft, const7_cb, NULL, NULL));
  wasm_functype_delete(ft);
  wasmtime_extern_t x;
  out("get env::\"a\\0b\": %d", wasmtime_linker_get(linker, e.cx, "env", 3, "a\0b", 3, &x));
  out("get env::\"a\": %d", wasmtime_linker_get(linker, e.cx, "env", 3, "a", 1, &x));
}

CASE(linker_delete_null) {
  wasmtime_linker_delete(NULL);
  out("wasmtime_linker_delete(NULL): returned");
}

CASE(linker_define_wasi) {
  env_t e = env_new();
  wasmtime_linker_t *linker = wasmtime_linker_new(e.engine);
  report_error("define_wasi", wasmtime_linker_define_wasi(linker));
}

const parity_case_t cases_instance_linker[] = {
    {"instance.exports", instance_exports},
    {"instance.wrong_store", instance_wrong_store},
    {"instance.imports", instance_imports},
    {"instance.import_type_mismatch", instance_import_type_mismatch},
    {"instance.import_other_store", instance_import_other_store},
    {"instance.import_bad_kind_byte", instance_import_bad_kind_byte},
    {"instance.limiter", instance_limiter},
    {"instance.pre", instance_pre},
    {"linker.define_func_and_instantiate", linker_define_func_and_instantiate},
    {"linker.define_async_func", linker_define_async_func},
    {"linker.define_externs", linker_define_externs},
    {"linker.shadowing", linker_shadowing},
    {"linker.define_instance", linker_define_instance},
    {"linker.module", linker_module},
    {"linker.unknown_imports_as_traps", linker_unknown_imports_as_traps},
    {"linker.unknown_imports_as_default_values", linker_unknown_imports_as_default_values},
    {"linker.clone", linker_clone},
    {"linker.define_func_unchecked", linker_define_func_unchecked},
    {"linker.define_func_null_callback", linker_define_func_null_callback},
    {"linker.define_other_store", linker_define_other_store},
    {"linker.instantiate_other_engine", linker_instantiate_other_engine},
    {"linker.invalid_utf8.define_func", linker_invalid_utf8_define_func},
    {"linker.invalid_utf8.define", linker_invalid_utf8_define},
    {"linker.embedded_nul_names", linker_embedded_nul_names},
    {"linker.delete_null", linker_delete_null},
    {"linker.define_wasi", linker_define_wasi},
    CASES_END};
