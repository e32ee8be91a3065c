/* The wasm.h runtime objects: stores, modules, instances, functions, globals, tables,
 * memories, externs, values, references and host info. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  wasm_engine_t *engine;
  wasm_store_t *store;
} wenv_t;

static wenv_t wenv(void) {
  wenv_t w;
  w.engine = wasm_engine_new();
  w.store = wasm_store_new(w.engine);
  return w;
}

static wasm_module_t *wmodule(wenv_t *w, const char *text) {
  bytes_t b = wat(text);
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, b.size, (const char *)b.data);
  free(b.data);
  wasm_module_t *m = wasm_module_new(w->store, &v);
  wasm_byte_vec_delete(&v);
  if (!m) out("wasm_module_new: NULL");
  return m;
}

static void report_wasm_val(const char *label, const wasm_val_t *v) {
  switch (v->kind) {
    case WASM_I32: out("%s: i32 %d", label, v->of.i32); break;
    case WASM_I64: out("%s: i64 %lld", label, (long long)v->of.i64); break;
    case WASM_F32: out("%s: f32 %g", label, (double)v->of.f32); break;
    case WASM_F64: out("%s: f64 %g", label, v->of.f64); break;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: out("%s: %s %s", label, v->kind == WASM_FUNCREF ? "funcref" : "externref", v->of.ref ? "non-null" : "null"); break;
    default: out("%s: kind %u", label, v->kind);
  }
}

static wasm_val_t wv_i32(int32_t x) {
  wasm_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASM_I32;
  v.of.i32 = x;
  return v;
}

static wasm_val_t wv_i64(int64_t x) {
  wasm_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASM_I64;
  v.of.i64 = x;
  return v;
}

static void wcall(const char *label, const wasm_func_t *f, wasm_val_t *args, size_t nargs, size_t nresults) {
  wasm_val_vec_t a, r;
  if (nargs)
    wasm_val_vec_new(&a, nargs, args);
  else
    wasm_val_vec_new_empty(&a);
  wasm_val_vec_new_uninitialized(&r, nresults);
  for (size_t i = 0; i < nresults; i++) memset(&r.data[i], 0, sizeof r.data[i]);
  wasm_trap_t *trap = wasm_func_call(f, &a, &r);
  if (trap) {
    report_trap(label, trap);
  } else {
    out("%s: ok", label);
    for (size_t i = 0; i < r.size; i++) {
      char l[128];
      snprintf(l, sizeof l, "%s result[%zu]", label, i);
      report_wasm_val(l, &r.data[i]);
    }
  }
  wasm_val_vec_delete(&a);
  wasm_val_vec_delete(&r);
}

CASE(wasm_h_module) {
  wenv_t w = wenv();
  bytes_t b = wat("(module (import \"a\" \"b\" (func)) (func (export \"f\") (result i32) i32.const 5) (memory (export \"m\") 1))");
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, b.size, (const char *)b.data);
  out("validate: %d", wasm_module_validate(w.store, &v));
  wasm_module_t *m = wasm_module_new(w.store, &v);
  out("module: %s", m ? "non-NULL" : "NULL");
  wasm_importtype_vec_t imports;
  wasm_module_imports(m, &imports);
  report_importtypes("imports", &imports);
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(m, &exports);
  report_exporttypes("exports", &exports);
  wasm_exporttype_vec_delete(&exports);
  wasm_byte_vec_t bad;
  wasm_byte_vec_new(&bad, 4, "\0asX");
  out("validate bad: %d", wasm_module_validate(w.store, &bad));
  out("module_new bad: %s", wasm_module_new(w.store, &bad) ? "non-NULL" : "NULL");
  wasm_module_t *c = wasm_module_copy(m);
  wasm_module_delete(m);
  wasm_module_exports(c, &exports);
  out("copy exports: %zu", exports.size);
}

CASE(wasm_h_module_serialize_share) {
  wenv_t w = wenv();
  wasm_module_t *m = wmodule(&w, "(module (func (export \"f\") (result i32) i32.const 5))");
  if (!m) return;
  wasm_byte_vec_t ser;
  wasm_module_serialize(m, &ser);
  out("serialized: %s", ser.size ? "non-empty" : "empty");
  wasm_module_t *d = wasm_module_deserialize(w.store, &ser);
  out("deserialized: %s", d ? "non-NULL" : "NULL");
  wasm_byte_vec_t junk;
  wasm_byte_vec_new(&junk, 5, "junk!");
  out("deserialize junk: %s", wasm_module_deserialize(w.store, &junk) ? "non-NULL" : "NULL");
  wasm_shared_module_t *sh = wasm_module_share(m);
  wasm_store_t *s2 = wasm_store_new(w.engine);
  wasm_module_t *o = wasm_module_obtain(s2, sh);
  out("obtained: %s", o ? "non-NULL" : "NULL");
  wasm_shared_module_delete(sh);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  wasm_instance_t *inst = wasm_instance_new(s2, o, &none, &trap);
  out("instance in other store: %s", inst ? "non-NULL" : "NULL");
  if (trap) report_trap("trap", trap);
  if (inst) {
    wasm_extern_vec_t exps;
    wasm_instance_exports(inst, &exps);
    wcall("call f", wasm_extern_as_func(exps.data[0]), NULL, 0, 1);
    wasm_extern_vec_delete(&exps);
  }
}

static wasm_trap_t *plus_one_cb(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0] = wv_i32(args->data[0].of.i32 + 1);
  return NULL;
}

static wasm_store_t *trap_store;
static wasm_trap_t *trap_cb(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)args, (void)results;
  wasm_message_t m;
  wasm_byte_vec_new(&m, 9, "wasm.h!!");
  wasm_trap_t *t = wasm_trap_new(trap_store, &m);
  wasm_byte_vec_delete(&m);
  return t;
}

static int env_finalized;
static wasm_trap_t *env_cb(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)args;
  results->data[0] = wv_i32(*(int *)env);
  return NULL;
}
static void env_finalizer(void *p) {
  (void)p;
  env_finalized++;
}

CASE(wasm_h_instance_and_funcs) {
  wenv_t w = wenv();
  trap_store = w.store;
  wasm_module_t *m = wmodule(&w, "(module $wh (import \"h\" \"inc\" (func $inc (param i32) (result i32)))"
                                 " (import \"h\" \"trap\" (func $trap))"
                                 " (func (export \"run\") (param i32) (result i32) (call $inc (local.get 0)))"
                                 " (func $thrower (export \"trap\") (call $trap))"
                                 " (global (export \"g\") (mut i64) (i64.const 9))"
                                 " (table (export \"t\") 2 funcref) (memory (export \"m\") 1 3))");
  if (!m) return;
  wasm_valkind_t i32k[] = {WASM_I32};
  wasm_functype_t *ft = functype(1, i32k, 1, i32k);
  wasm_func_t *inc = wasm_func_new(w.store, ft, plus_one_cb);
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasm_func_t *tr = wasm_func_new(w.store, vft, trap_cb);
  out("param arity %zu, result arity %zu", wasm_func_param_arity(inc), wasm_func_result_arity(inc));
  wasm_extern_t *imps[2] = {wasm_func_as_extern(inc), wasm_func_as_extern(tr)};
  wasm_extern_vec_t iv;
  wasm_extern_vec_new(&iv, 2, imps);
  wasm_trap_t *trap = NULL;
  wasm_instance_t *inst = wasm_instance_new(w.store, m, &iv, &trap);
  out("instance: %s", inst ? "non-NULL" : "NULL");
  if (trap) report_trap("instance trap", trap);
  if (!inst) return;
  wasm_extern_vec_t exps;
  wasm_instance_exports(inst, &exps);
  out("exports: %zu", exps.size);
  for (size_t i = 0; i < exps.size; i++) {
    char l[64];
    snprintf(l, sizeof l, "export[%zu] kind %u", i, wasm_extern_kind(exps.data[i]));
    wasm_externtype_t *et = wasm_extern_type(exps.data[i]);
    report_externtype(l, et);
    wasm_externtype_delete(et);
  }
  wasm_func_t *run = wasm_extern_as_func(exps.data[0]);
  wasm_val_t a = wv_i32(41);
  wcall("run(41)", run, &a, 1, 1);
  wcall("trap()", wasm_extern_as_func(exps.data[1]), NULL, 0, 0);
  wcall("run with no args", run, NULL, 0, 1);
  wasm_val_t b = wv_i64(1);
  wcall("run(i64)", run, &b, 1, 1);
  wcall("run with no results", run, &a, 1, 0);
  out("as_func of global: %s", wasm_extern_as_func(exps.data[2]) ? "non-NULL" : "NULL");
  out("as_global of func: %s", wasm_extern_as_global(exps.data[0]) ? "non-NULL" : "NULL");
  out("as_memory of table: %s", wasm_extern_as_memory(exps.data[3]) ? "non-NULL" : "NULL");
  out("as_table_const of table: %s", wasm_extern_as_table_const(exps.data[3]) ? "non-NULL" : "NULL");
  wasm_functype_t *rt = wasm_func_type(run);
  report_functype("run type", rt);
  wasm_functype_delete(rt);
  static int env_value = 12;
  wasm_func_t *ef = wasm_func_new_with_env(w.store, vft, env_cb, &env_value, env_finalizer);
  wasm_functype_t *r32 = functype(0, NULL, 1, i32k);
  wasm_func_t *ef2 = wasm_func_new_with_env(w.store, r32, env_cb, &env_value, env_finalizer);
  wcall("env func", ef2, NULL, 0, 1);
  /* Every object of the store deleted, then the store. */
  wasm_extern_vec_delete(&exps);
  wasm_extern_vec_delete(&iv);
  wasm_instance_delete(inst);
  wasm_func_delete(ef);
  wasm_func_delete(ef2);
  wasm_module_delete(m);
  out("env finalizers before store delete: %d", env_finalized);
  wasm_store_delete(w.store);
  out("env finalizers after store delete: %d", env_finalized);
}

CASE(wasm_h_instance_errors) {
  wenv_t w = wenv();
  wasm_module_t *m = wmodule(&w, "(module (import \"h\" \"f\" (func)) (func $start unreachable) (start $start))");
  if (!m) return;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  wasm_instance_t *inst = wasm_instance_new(w.store, m, &none, &trap);
  out("missing imports: instance %s", inst ? "non-NULL" : "NULL");
  if (trap) report_trap("missing imports trap", trap);
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasm_func_t *f = wasm_func_new(w.store, vft, (wasm_func_callback_t)trap_cb);
  wasm_extern_t *imps[1] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t iv;
  wasm_extern_vec_new(&iv, 1, imps);
  trap = NULL;
  inst = wasm_instance_new(w.store, m, &iv, &trap);
  out("start traps: instance %s", inst ? "non-NULL" : "NULL");
  if (trap) report_trap("start trap", trap);
  wasm_instance_t *i2 = wasm_instance_new(w.store, m, &iv, NULL);
  out("start traps, trap pointer NULL: instance %s", i2 ? "non-NULL" : "NULL");
}

CASE(wasm_h_global) {
  wenv_t w = wenv();
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_VAR);
  wasm_val_t init = wv_i32(3);
  wasm_global_t *g = wasm_global_new(w.store, gt, &init);
  out("global: %s", g ? "non-NULL" : "NULL");
  wasm_val_t v;
  wasm_global_get(g, &v);
  report_wasm_val("get", &v);
  wasm_val_t n = wv_i32(-4);
  wasm_global_set(g, &n);
  wasm_global_get(g, &v);
  report_wasm_val("get after set", &v);
  wasm_globaltype_t *t = wasm_global_type(g);
  report_globaltype("type", t);
  wasm_global_t *c = wasm_global_copy(g);
  wasm_global_get(c, &v);
  report_wasm_val("copy get", &v);
  wasm_val_t bad = wv_i64(1);
  wasm_global_t *g2 = wasm_global_new(w.store, gt, &bad);
  out("global_new with i64 for i32: %s", g2 ? "non-NULL" : "NULL");
}

CASE(wasm_h_global_set_wrong_kind) {
  wenv_t w = wenv();
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_VAR);
  wasm_val_t init = wv_i32(3);
  wasm_global_t *g = wasm_global_new(w.store, gt, &init);
  wasm_val_t bad = wv_i64(1);
  wasm_global_set(g, &bad);
  wasm_val_t v;
  wasm_global_get(g, &v);
  report_wasm_val("get after wrong-kind set", &v);
}

CASE(wasm_h_global_set_immutable) {
  wenv_t w = wenv();
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_CONST);
  wasm_val_t init = wv_i32(3);
  wasm_global_t *g = wasm_global_new(w.store, gt, &init);
  wasm_val_t n = wv_i32(5);
  wasm_global_set(g, &n);
  wasm_val_t v;
  wasm_global_get(g, &v);
  report_wasm_val("get after set of const", &v);
}

CASE(wasm_h_table) {
  wenv_t w = wenv();
  wasm_limits_t l = {2, 4};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &l);
  wasm_table_t *t = wasm_table_new(w.store, tt, NULL);
  out("table: %s", t ? "non-NULL" : "NULL");
  out("size: %u", wasm_table_size(t));
  wasm_ref_t *r = wasm_table_get(t, 0);
  out("get 0: %s", r ? "non-NULL" : "NULL");
  r = wasm_table_get(t, 5);
  out("get 5: %s", r ? "non-NULL" : "NULL");
  out("set 1 NULL: %d", wasm_table_set(t, 1, NULL));
  out("set 9 NULL: %d", wasm_table_set(t, 9, NULL));
  out("grow 1: %d", wasm_table_grow(t, 1, NULL));
  out("grow 5: %d", wasm_table_grow(t, 5, NULL));
  out("size: %u", wasm_table_size(t));
  wasm_tabletype_t *ty = wasm_table_type(t);
  report_tabletype("type", ty);
}

CASE(wasm_h_func_as_ref) {
  wenv_t w = wenv();
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasm_func_t *f = wasm_func_new(w.store, vft, (wasm_func_callback_t)trap_cb);
  wasm_ref_t *fr = wasm_func_as_ref(f);
  out("func as ref: %s", fr ? "non-NULL" : "NULL");
}

CASE(wasm_h_memory) {
  wenv_t w = wenv();
  wasm_limits_t l = {1, 3};
  wasm_memorytype_t *mt = wasm_memorytype_new(&l);
  wasm_memory_t *m = wasm_memory_new(w.store, mt);
  out("memory: %s", m ? "non-NULL" : "NULL");
  out("size %u data_size %zu", wasm_memory_size(m), wasm_memory_data_size(m));
  out("data: %s", wasm_memory_data(m) ? "non-NULL" : "NULL");
  out("grow 1: %d", wasm_memory_grow(m, 1));
  out("grow 5: %d", wasm_memory_grow(m, 5));
  out("size %u data_size %zu", wasm_memory_size(m), wasm_memory_data_size(m));
  wasm_memorytype_t *ty = wasm_memory_type(m);
  report_memorytype("type", ty);
  wasm_memory_t *c = wasm_memory_copy(m);
  out("copy size %u", wasm_memory_size(c));
}

CASE(wasm_h_val_copy) {
  wasm_val_t a = wv_i64(77), b;
  wasm_val_copy(&b, &a);
  report_wasm_val("copy", &b);
  wasm_val_delete(&b);
  wasm_val_t n;
  memset(&n, 0, sizeof n);
  n.kind = WASM_FUNCREF;
  n.of.ref = NULL;
  wasm_val_t nc;
  wasm_val_copy(&nc, &n);
  report_wasm_val("null funcref copy", &nc);
  wasm_val_vec_t v, vc;
  wasm_val_t items[2] = {wv_i32(1), wv_i64(2)};
  wasm_val_vec_new(&v, 2, items);
  wasm_val_vec_copy(&vc, &v);
  report_wasm_val("vec copy[1]", &vc.data[1]);
  wasm_val_vec_delete(&v);
  wasm_val_vec_delete(&vc);
}

CASE(wasm_h_funcref_values) {
  /* A funcref crossing wasm.h's wasm_val_t. */
  wenv_t w = wenv();
  wasm_module_t *m = wmodule(&w, "(module (func $f (result i32) i32.const 3) (elem declare func $f)"
                                 " (func (export \"get\") (result funcref) ref.func $f)"
                                 " (func (export \"call\") (param funcref) (result i32)"
                                 "   (table.set 0 (i32.const 0) (local.get 0)) (call_indirect (result i32) (i32.const 0)))"
                                 " (table 1 funcref))");
  if (!m) return;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t *inst = wasm_instance_new(w.store, m, &none, NULL);
  if (!inst) return;
  wasm_extern_vec_t exps;
  wasm_instance_exports(inst, &exps);
  wasm_val_vec_t a = WASM_EMPTY_VEC, r;
  wasm_val_vec_new_uninitialized(&r, 1);
  wasm_trap_t *trap = wasm_func_call(wasm_extern_as_func(exps.data[0]), &a, &r);
  if (trap) {
    report_trap("get", trap);
    return;
  }
  report_wasm_val("get", &r.data[0]);
  wasm_val_vec_t a2;
  wasm_val_vec_new(&a2, 1, r.data);
  wcall("call(ref)", wasm_extern_as_func(exps.data[1]), a2.data, 1, 1);
}

CASE(wasm_h_externref_null_values) {
  wenv_t w = wenv();
  wasm_module_t *m = wmodule(&w, "(module (func (export \"is_null\") (param externref) (result i32) (ref.is_null (local.get 0)))"
                                 " (func (export \"get_null\") (result externref) ref.null extern))");
  if (!m) return;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t *inst = wasm_instance_new(w.store, m, &none, NULL);
  if (!inst) return;
  wasm_extern_vec_t exps;
  wasm_instance_exports(inst, &exps);
  if (case_arg == 0) {
    wasm_val_t n;
    memset(&n, 0, sizeof n);
    n.kind = WASM_EXTERNREF;
    n.of.ref = NULL;
    wcall("is_null(null externref)", wasm_extern_as_func(exps.data[0]), &n, 1, 1);
  } else {
    wcall("get_null()", wasm_extern_as_func(exps.data[1]), NULL, 0, 1);
  }
}

/* ---- host info and references (wasm.h's optional parts) ---- */

static int host_info_finalized;
static void host_info_finalizer(void *p) {
  (void)p;
  host_info_finalized++;
}

CASE(wasm_h_host_info_module) {
  wenv_t w = wenv();
  wasm_module_t *m = wmodule(&w, "(module)");
  if (!m) return;
  out("initial: %s", wasm_module_get_host_info(m) ? "non-NULL" : "NULL");
  wasm_module_set_host_info(m, "info");
  const char *i = wasm_module_get_host_info(m);
  out("after set: %s", i ? i : "NULL");
  wasm_module_set_host_info_with_finalizer(m, "info2", host_info_finalizer);
  wasm_module_delete(m);
  out("finalizer calls: %d", host_info_finalized);
}

CASE(wasm_h_host_info_func) {
  wenv_t w = wenv();
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasm_func_t *f = wasm_func_new(w.store, vft, (wasm_func_callback_t)trap_cb);
  wasm_func_set_host_info(f, "finfo");
  const char *i = wasm_func_get_host_info(f);
  out("func host info: %s", i ? i : "NULL");
}

CASE(wasm_h_ref_same) {
  wenv_t w = wenv();
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasm_func_t *f = wasm_func_new(w.store, vft, (wasm_func_callback_t)trap_cb);
  wasm_func_t *c = wasm_func_copy(f);
  out("func same as copy: %d", wasm_func_same(f, c));
}

CASE(wasm_h_foreign) {
  wenv_t w = wenv();
  wasm_foreign_t *f = wasm_foreign_new(w.store);
  out("foreign: %s", f ? "non-NULL" : "NULL");
}

CASE(wasm_h_trap_same) {
  wenv_t w = wenv();
  wasm_message_t m;
  wasm_byte_vec_new(&m, 2, "x");
  wasm_trap_t *t = wasm_trap_new(w.store, &m);
  wasm_trap_t *c = wasm_trap_copy(t);
  out("trap same as copy: %d", wasm_trap_same(t, c));
}

CASE(wasm_h_store_delete_null) {
  wasm_store_delete(NULL);
  out("wasm_store_delete(NULL): returned");
}

const parity_case_t cases_wasm_h[] = {
    {"wasm_h.module", wasm_h_module},
    {"wasm_h.module_serialize_share", wasm_h_module_serialize_share},
    {"wasm_h.instance_and_funcs", wasm_h_instance_and_funcs},
    {"wasm_h.instance_errors", wasm_h_instance_errors},
    {"wasm_h.global", wasm_h_global},
    {"wasm_h.global_set_wrong_kind", wasm_h_global_set_wrong_kind},
    {"wasm_h.global_set_immutable", wasm_h_global_set_immutable},
    {"wasm_h.table", wasm_h_table},
    {"wasm_h.func_as_ref", wasm_h_func_as_ref},
    {"wasm_h.memory", wasm_h_memory},
    {"wasm_h.val_copy", wasm_h_val_copy},
    {"wasm_h.funcref_values", wasm_h_funcref_values},
    {"wasm_h.externref_null_param", wasm_h_externref_null_values, 0},
    {"wasm_h.externref_null_result", wasm_h_externref_null_values, 1},
    {"wasm_h.host_info_module", wasm_h_host_info_module},
    {"wasm_h.host_info_func", wasm_h_host_info_func},
    {"wasm_h.ref_same", wasm_h_ref_same},
    {"wasm_h.foreign", wasm_h_foreign},
    {"wasm_h.trap_same", wasm_h_trap_same},
    {"wasm_h.store_delete_null", wasm_h_store_delete_null},
    CASES_END};
