/* wasmtime/global.h, wasmtime/table.h, wasmtime/memory.h. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wasm_globaltype_t *globaltype(wasm_valkind_t kind, wasm_mutability_t mut) {
  return wasm_globaltype_new(vt(kind), mut);
}

static wasm_globaltype_t *globaltype_v128(wasm_mutability_t mut) {
  return wasm_globaltype_new(wasmtime_wasm_valtype_v128(), mut);
}

static wasmtime_val_t v_v128(uint8_t fill) {
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_V128;
  for (int i = 0; i < 16; i++) v.of.v128[i] = (uint8_t)(fill + i);
  return v;
}

/* A host function to have a non-null funcref. */
static wasm_trap_t *nop_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                           size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return NULL;
}

static wasmtime_val_t v_funcref_new(wasmtime_context_t *cx) {
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_FUNCREF;
  wasmtime_func_new(cx, ft, nop_cb, NULL, NULL, &v.of.funcref);
  wasm_functype_delete(ft);
  return v;
}

static wasmtime_val_t v_externref_new(wasmtime_context_t *cx, const char *tag) {
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_EXTERNREF;
  if (!wasmtime_externref_new(cx, (void *)tag, NULL, &v.of.externref)) out("externref_new failed");
  return v;
}

/* ---- globals ---- */

static void global_roundtrip(env_t *e, const char *label, wasm_globaltype_t *gt,
                             wasmtime_val_t init, wasmtime_val_t next) {
  wasmtime_global_t g;
  char l[200];
  snprintf(l, sizeof l, "%s global_new", label);
  wasmtime_error_t *err = wasmtime_global_new(e->cx, gt, &init, &g);
  wasm_globaltype_delete(gt);
  bool failed = err != NULL;
  report_error(l, err);
  if (failed) return;
  wasmtime_val_t v;
  wasmtime_global_get(e->cx, &g, &v);
  snprintf(l, sizeof l, "%s get", label);
  report_val(l, e->cx, &v);
  wasmtime_val_unroot(&v);
  wasm_globaltype_t *t = wasmtime_global_type(e->cx, &g);
  snprintf(l, sizeof l, "%s type", label);
  report_globaltype(l, t);
  wasm_globaltype_delete(t);
  snprintf(l, sizeof l, "%s set", label);
  report_error(l, wasmtime_global_set(e->cx, &g, &next));
  wasmtime_global_get(e->cx, &g, &v);
  snprintf(l, sizeof l, "%s get after set", label);
  report_val(l, e->cx, &v);
  wasmtime_val_unroot(&v);
}

CASE(global_i32) {
  env_t e = env_new();
  global_roundtrip(&e, "var i32", globaltype(WASM_I32, WASM_VAR), v_i32(7), v_i32(-8));
  global_roundtrip(&e, "const i32", globaltype(WASM_I32, WASM_CONST), v_i32(7), v_i32(9));
}

CASE(global_i64) {
  env_t e = env_new();
  global_roundtrip(&e, "var i64", globaltype(WASM_I64, WASM_VAR), v_i64(1ll << 40), v_i64(-1));
}

CASE(global_f32_f64) {
  env_t e = env_new();
  global_roundtrip(&e, "var f32", globaltype(WASM_F32, WASM_VAR), v_f32(1.5f), v_f32(-0.0f));
  global_roundtrip(&e, "var f64", globaltype(WASM_F64, WASM_VAR), v_f64(2.25), v_f64(1e300));
}

CASE(global_v128) {
  env_t e = env_new();
  global_roundtrip(&e, "var v128", globaltype_v128(WASM_VAR), v_v128(1), v_v128(0x80));
}

CASE(global_funcref) {
  env_t e = env_new();
  global_roundtrip(&e, "var funcref", globaltype(WASM_FUNCREF, WASM_VAR), v_funcref_null(),
                   v_funcref_new(e.cx));
  global_roundtrip(&e, "var funcref 2", globaltype(WASM_FUNCREF, WASM_VAR), v_funcref_new(e.cx),
                   v_funcref_null());
}

CASE(global_externref) {
  env_t e = env_new();
  global_roundtrip(&e, "var externref", globaltype(WASM_EXTERNREF, WASM_VAR), v_externref_null(),
                   v_externref_new(e.cx, "first"));
  global_roundtrip(&e, "const externref", globaltype(WASM_EXTERNREF, WASM_CONST),
                   v_externref_new(e.cx, "second"), v_externref_null());
}

/* Values of the wrong kind given to global_new and global_set. */
CASE(global_new_wrong_kind) {
  env_t e = env_new();
  struct {
    const char *label;
    wasm_valkind_t kind;
    wasmtime_val_t v;
  } cases[] = {
      {"i32 global, i64 value", WASM_I32, v_i64(1)},
      {"i64 global, i32 value", WASM_I64, v_i32(1)},
      {"f32 global, f64 value", WASM_F32, v_f64(1)},
      {"f64 global, i32 value", WASM_F64, v_i32(1)},
      {"i32 global, v128 value", WASM_I32, v_v128(0)},
      {"funcref global, i64 value", WASM_FUNCREF, v_i64(5)},
      {"funcref global, externref null", WASM_FUNCREF, v_externref_null()},
      {"externref global, funcref null", WASM_EXTERNREF, v_funcref_null()},
      {"externref global, i32 value", WASM_EXTERNREF, v_i32(0)},
      {"i32 global, funcref null", WASM_I32, v_funcref_null()},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasm_globaltype_t *gt = globaltype(cases[i].kind, WASM_VAR);
    wasmtime_global_t g;
    report_error(cases[i].label, wasmtime_global_new(e.cx, gt, &cases[i].v, &g));
    wasm_globaltype_delete(gt);
  }
}

CASE(global_new_bad_kind_byte) {
  env_t e = env_new();
  wasm_globaltype_t *gt = globaltype(WASM_I32, WASM_VAR);
  wasmtime_val_t v = v_i32(1);
  v.kind = 42;
  wasmtime_global_t g;
  report_error("kind 42", wasmtime_global_new(e.cx, gt, &v, &g));
  wasm_globaltype_delete(gt);
}

CASE(global_set_wrong_kind) {
  env_t e = env_new();
  wasm_globaltype_t *gt = globaltype(WASM_I32, WASM_VAR);
  wasmtime_val_t init = v_i32(1);
  wasmtime_global_t g;
  report_error("global_new", wasmtime_global_new(e.cx, gt, &init, &g));
  wasm_globaltype_delete(gt);
  wasmtime_val_t bad[] = {v_i64(2), v_f32(3), v_f64(4), v_v128(5), v_funcref_null(),
                          v_externref_null()};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char l[64];
    snprintf(l, sizeof l, "set %s", kind_name(bad[i].kind));
    report_error(l, wasmtime_global_set(e.cx, &g, &bad[i]));
  }
  wasmtime_val_t v;
  wasmtime_global_get(e.cx, &g, &v);
  report_val("get", e.cx, &v);
  /* A funcref global set to an i64 or an externref. */
  gt = globaltype(WASM_FUNCREF, WASM_VAR);
  init = v_funcref_null();
  report_error("funcref global_new", wasmtime_global_new(e.cx, gt, &init, &g));
  wasm_globaltype_delete(gt);
  wasmtime_val_t bad2[] = {v_i64(2), v_externref_null(), v_i32(0)};
  for (size_t i = 0; i < sizeof bad2 / sizeof bad2[0]; i++) {
    char l[64];
    snprintf(l, sizeof l, "funcref global set %s", kind_name(bad2[i].kind));
    report_error(l, wasmtime_global_set(e.cx, &g, &bad2[i]));
  }
}

CASE(global_set_immutable) {
  env_t e = env_new();
  wasm_globaltype_t *gt = globaltype(WASM_I32, WASM_CONST);
  wasmtime_val_t init = v_i32(1), next = v_i32(2);
  wasmtime_global_t g;
  report_error("global_new", wasmtime_global_new(e.cx, gt, &init, &g));
  wasm_globaltype_delete(gt);
  report_error("set const", wasmtime_global_set(e.cx, &g, &next));
  wasmtime_val_t wrong = v_i64(3);
  report_error("set const with wrong kind", wasmtime_global_set(e.cx, &g, &wrong));
  wasmtime_val_t v;
  wasmtime_global_get(e.cx, &g, &v);
  report_val("get", e.cx, &v);
}

CASE(global_wrong_store_value) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_val_t f = v_funcref_new(other.cx);
  wasm_globaltype_t *gt = globaltype(WASM_FUNCREF, WASM_VAR);
  wasmtime_global_t g;
  report_error("global_new with funcref of other store", wasmtime_global_new(e.cx, gt, &f, &g));
  wasmtime_val_t n = v_funcref_null();
  report_error("global_new null", wasmtime_global_new(e.cx, gt, &n, &g));
  report_error("global_set funcref of other store", wasmtime_global_set(e.cx, &g, &f));
  wasm_globaltype_delete(gt);
}

CASE(global_wrong_store_externref) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_global_t g;
  wasmtime_val_t x = v_externref_new(other.cx, "other");
  wasm_globaltype_t *gt = globaltype(WASM_EXTERNREF, WASM_VAR);
  report_error("global_new with externref of other store", wasmtime_global_new(e.cx, gt, &x, &g));
  wasm_globaltype_delete(gt);
}

CASE(global_wrong_store_handle) {
  env_t e = env_new();
  env_t other = env_new();
  wasm_globaltype_t *gt = globaltype(WASM_I32, WASM_VAR);
  wasmtime_val_t init = v_i32(1);
  wasmtime_global_t g;
  report_error("global_new", wasmtime_global_new(other.cx, gt, &init, &g));
  wasm_globaltype_delete(gt);
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  wasmtime_global_get(e.cx, &g, &v);
  report_val("get through wrong store", e.cx, &v);
}

CASE(global_exported) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (global (export \"c\") i32 (i32.const 42))"
                   " (global (export \"m\") (mut i64) (i64.const -1))"
                   " (global (export \"v\") v128 (v128.const i32x4 1 2 3 4))"
                   " (global (export \"r\") (mut funcref) (ref.func $f))"
                   " (func $f (export \"f\") (result i32) i32.const 3))",
                   &inst))
    return;
  const char *names[] = {"c", "m", "v", "r"};
  for (int i = 0; i < 4; i++) {
    wasmtime_extern_t x = export_of(&e, &inst, names[i]);
    if (x.kind != WASMTIME_EXTERN_GLOBAL) continue;
    char l[64];
    snprintf(l, sizeof l, "global %s", names[i]);
    wasmtime_val_t v;
    wasmtime_global_get(e.cx, &x.of.global, &v);
    report_val(l, e.cx, &v);
    wasm_globaltype_t *t = wasmtime_global_type(e.cx, &x.of.global);
    report_globaltype(l, t);
    wasm_globaltype_delete(t);
  }
  wasmtime_extern_t m = export_of(&e, &inst, "m");
  wasmtime_val_t nv = v_i64(77);
  report_error("set m", wasmtime_global_set(e.cx, &m.of.global, &nv));
  wasmtime_val_t v;
  wasmtime_global_get(e.cx, &m.of.global, &v);
  report_val("m after set", e.cx, &v);
  wasmtime_extern_t c = export_of(&e, &inst, "c");
  report_error("set c", wasmtime_global_set(e.cx, &c.of.global, &nv));
}

CASE(global_v128_imported_initializer) {
  /* A v128 global initialised by global.get of an imported v128 global keeps all 128 bits. */
  env_t e = env_new();
  wasmtime_global_t g;
  wasm_globaltype_t *gt = globaltype_v128(WASM_CONST);
  wasmtime_val_t init = v_v128(0xa0);
  report_error("host v128 global_new", wasmtime_global_new(e.cx, gt, &init, &g));
  wasm_globaltype_delete(gt);
  wasmtime_module_t *m = module_of(&e, "(module (import \"env\" \"g\" (global $i v128))"
                                           " (global (export \"copy\") v128 (global.get $i))"
                                           " (global (export \"const\") v128 (v128.const i64x2 0x0102030405060708 0x1112131415161718))"
                                           " (func (export \"lanes\") (result i64 i64)"
                                           "   (i64x2.extract_lane 0 (global.get 1)) (i64x2.extract_lane 1 (global.get 1))))");
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_GLOBAL, .of.global = g};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  const char *names[] = {"copy", "const"};
  for (int i = 0; i < 2; i++) {
    wasmtime_extern_t x = export_of(&e, &inst, names[i]);
    if (x.kind != WASMTIME_EXTERN_GLOBAL) continue;
    wasmtime_val_t v;
    wasmtime_global_get(e.cx, &x.of.global, &v);
    report_val(names[i], e.cx, &v);
  }
  call_export(&e, &inst, "lanes", NULL, 0, 2);
}

/* ---- tables ---- */

static wasm_tabletype_t *tabletype(wasm_valkind_t kind, uint32_t min, uint32_t max) {
  wasm_limits_t l = {min, max};
  return wasm_tabletype_new(vt(kind), &l);
}

static void report_table(env_t *e, const char *label, const wasmtime_table_t *t) {
  char l[200];
  snprintf(l, sizeof l, "%s size", label);
  out("%s: %llu", l, (unsigned long long)wasmtime_table_size(e->cx, t));
  wasm_tabletype_t *tt = wasmtime_table_type(e->cx, t);
  snprintf(l, sizeof l, "%s type", label);
  report_tabletype(l, tt);
  wasm_tabletype_delete(tt);
}

static void table_get(env_t *e, const wasmtime_table_t *t, uint64_t i) {
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  char l[100];
  snprintf(l, sizeof l, "get %llu", (unsigned long long)i);
  if (wasmtime_table_get(e->cx, t, i, &v)) {
    report_val(l, e->cx, &v);
    wasmtime_val_unroot(&v);
  } else {
    out("%s: false", l);
  }
}

CASE(table_funcref_basics) {
  env_t e = env_new();
  wasm_tabletype_t *tt = tabletype(WASM_FUNCREF, 2, 5);
  wasmtime_val_t init = v_funcref_null();
  wasmtime_table_t t;
  report_error("table_new", wasmtime_table_new(e.cx, tt, &init, &t));
  wasm_tabletype_delete(tt);
  report_table(&e, "new", &t);
  table_get(&e, &t, 0);
  table_get(&e, &t, 1);
  table_get(&e, &t, 2);
  table_get(&e, &t, UINT64_MAX);
  wasmtime_val_t f = v_funcref_new(e.cx);
  report_error("set 1 func", wasmtime_table_set(e.cx, &t, 1, &f));
  table_get(&e, &t, 1);
  report_error("set 2 (out of bounds)", wasmtime_table_set(e.cx, &t, 2, &f));
  report_error("set 2^32 (out of bounds)", wasmtime_table_set(e.cx, &t, 1ull << 32, &f));
  uint64_t prev = 99;
  report_error("grow 2 with func", wasmtime_table_grow(e.cx, &t, 2, &f, &prev));
  out("prev: %llu", (unsigned long long)prev);
  report_table(&e, "after grow", &t);
  table_get(&e, &t, 3);
  prev = 99;
  report_error("grow 0", wasmtime_table_grow(e.cx, &t, 0, &init, &prev));
  out("prev: %llu", (unsigned long long)prev);
  prev = 99;
  report_error("grow 2 (beyond max 5)", wasmtime_table_grow(e.cx, &t, 2, &init, &prev));
  out("prev: %llu", (unsigned long long)prev);
  prev = 99;
  report_error("grow 1 (to max)", wasmtime_table_grow(e.cx, &t, 1, &init, &prev));
  out("prev: %llu", (unsigned long long)prev);
  report_table(&e, "at max", &t);
  prev = 99;
  report_error("grow UINT64_MAX", wasmtime_table_grow(e.cx, &t, UINT64_MAX, &init, &prev));
  out("prev: %llu", (unsigned long long)prev);
}

CASE(table_externref_basics) {
  env_t e = env_new();
  wasm_tabletype_t *tt = tabletype(WASM_EXTERNREF, 1, 0xffffffffu);
  wasmtime_val_t init = v_externref_new(e.cx, "init");
  wasmtime_table_t t;
  report_error("table_new", wasmtime_table_new(e.cx, tt, &init, &t));
  wasm_tabletype_delete(tt);
  report_table(&e, "new", &t);
  table_get(&e, &t, 0);
  wasmtime_val_t x = v_externref_new(e.cx, "second");
  uint64_t prev = 99;
  report_error("grow 3", wasmtime_table_grow(e.cx, &t, 3, &x, &prev));
  out("prev: %llu", (unsigned long long)prev);
  report_table(&e, "after grow", &t);
  table_get(&e, &t, 3);
  wasmtime_val_t n = v_externref_null();
  report_error("set 0 null", wasmtime_table_set(e.cx, &t, 0, &n));
  table_get(&e, &t, 0);
}

CASE(table_new_wrong_kind) {
  env_t e = env_new();
  struct {
    const char *label;
    wasm_valkind_t elem;
    wasmtime_val_t v;
  } cases[] = {
      {"funcref table, i32 init", WASM_FUNCREF, v_i32(0)},
      {"funcref table, i64 init", WASM_FUNCREF, v_i64(12345)},
      {"funcref table, v128 init", WASM_FUNCREF, v_v128(3)},
      {"funcref table, externref null init", WASM_FUNCREF, v_externref_null()},
      {"externref table, funcref null init", WASM_EXTERNREF, v_funcref_null()},
      {"externref table, f64 init", WASM_EXTERNREF, v_f64(0)},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasm_tabletype_t *tt = tabletype(cases[i].elem, 1, 10);
    wasmtime_table_t t;
    report_error(cases[i].label, wasmtime_table_new(e.cx, tt, &cases[i].v, &t));
    wasm_tabletype_delete(tt);
  }
}

CASE(table_set_grow_wrong_kind) {
  env_t e = env_new();
  wasm_tabletype_t *tt = tabletype(WASM_FUNCREF, 2, 10);
  wasmtime_val_t init = v_funcref_null();
  wasmtime_table_t t;
  report_error("table_new", wasmtime_table_new(e.cx, tt, &init, &t));
  wasm_tabletype_delete(tt);
  wasmtime_val_t bad[] = {v_i32(1), v_i64(0x1234), v_f32(1), v_v128(9), v_externref_null()};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char l[64];
    snprintf(l, sizeof l, "set %s", kind_name(bad[i].kind));
    report_error(l, wasmtime_table_set(e.cx, &t, 0, &bad[i]));
    snprintf(l, sizeof l, "grow with %s", kind_name(bad[i].kind));
    uint64_t prev = 99;
    report_error(l, wasmtime_table_grow(e.cx, &t, 1, &bad[i], &prev));
  }
  report_table(&e, "after", &t);
  table_get(&e, &t, 0);
}

CASE(table_wrong_store_value) {
  env_t e = env_new();
  env_t other = env_new();
  wasm_tabletype_t *tt = tabletype(WASM_FUNCREF, 1, 10);
  wasmtime_val_t f = v_funcref_new(other.cx);
  wasmtime_table_t t;
  report_error("table_new init of other store", wasmtime_table_new(e.cx, tt, &f, &t));
  wasmtime_val_t n = v_funcref_null();
  report_error("table_new null", wasmtime_table_new(e.cx, tt, &n, &t));
  report_error("set funcref of other store", wasmtime_table_set(e.cx, &t, 0, &f));
  uint64_t prev = 99;
  report_error("grow with funcref of other store", wasmtime_table_grow(e.cx, &t, 1, &f, &prev));
  report_table(&e, "after", &t);
  wasm_tabletype_delete(tt);
}

CASE(table_wrong_store_externref) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_table_t t;
  wasm_tabletype_t *tt = tabletype(WASM_EXTERNREF, 1, 10);
  wasmtime_val_t x = v_externref_new(other.cx, "other");
  report_error("externref table_new init of other store", wasmtime_table_new(e.cx, tt, &x, &t));
  wasm_tabletype_delete(tt);
}

CASE(table_wrong_store_handle) {
  env_t e = env_new();
  env_t other = env_new();
  wasm_tabletype_t *tt = tabletype(WASM_FUNCREF, 1, 10);
  wasmtime_val_t n = v_funcref_null();
  wasmtime_table_t t;
  report_error("table_new", wasmtime_table_new(other.cx, tt, &n, &t));
  wasm_tabletype_delete(tt);
  out("size through wrong store: %llu", (unsigned long long)wasmtime_table_size(e.cx, &t));
}

CASE(table_limits) {
  env_t e = env_new();
  struct {
    uint32_t min, max;
  } cases[] = {{0, 0}, {5, 3}, {0, 0xffffffffu}, {10000001, 0xffffffffu}, {0xffffffffu, 0xffffffffu}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasm_tabletype_t *tt = tabletype(WASM_FUNCREF, cases[i].min, cases[i].max);
    wasmtime_val_t n = v_funcref_null();
    wasmtime_table_t t;
    char l[100];
    snprintf(l, sizeof l, "table_new min=%u max=%u", cases[i].min, cases[i].max);
    wasmtime_error_t *err = wasmtime_table_new(e.cx, tt, &n, &t);
    bool ok = err == NULL;
    report_error(l, err);
    if (ok) report_table(&e, l, &t);
    wasm_tabletype_delete(tt);
  }
}

CASE(table_exported_after_wasm_growth) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (table (export \"t\") 1 8 funcref)"
                   " (func $f (export \"f\"))"
                   " (func (export \"grow\") (param i32) (result i32)"
                   "   (table.grow 0 (ref.func $f) (local.get 0)))"
                   " (func (export \"size\") (result i32) table.size 0))",
                   &inst))
    return;
  wasmtime_extern_t t = export_of(&e, &inst, "t");
  report_table(&e, "initial", &t.of.table);
  wasmtime_val_t a = v_i32(3);
  call_export(&e, &inst, "grow", &a, 1, 1);
  report_table(&e, "after wasm grow 3", &t.of.table);
  table_get(&e, &t.of.table, 2);
  a = v_i32(10);
  call_export(&e, &inst, "grow", &a, 1, 1);
  call_export(&e, &inst, "size", NULL, 0, 1);
}

static wasm_trap_t *host42_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                              size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)nresults;
  results[0] = v_i32(42);
  return NULL;
}

CASE(table_funcref_roundtrip) {
  /* Functions taken out of a Wasm table and called from the host; a host function put into the
     table and called by call_indirect. */
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (type $r (func (result i32))) (table (export \"t\") 3 funcref)"
                   " (func $seven (result i32) i32.const 7) (elem (i32.const 0) $seven)"
                   " (func (export \"call\") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))",
                   &inst))
    return;
  wasmtime_extern_t t = export_of(&e, &inst, "t");
  wasmtime_val_t v;
  if (wasmtime_table_get(e.cx, &t.of.table, 0, &v)) {
    report_val("t[0]", e.cx, &v);
    wasmtime_val_t r;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *err = wasmtime_func_call(e.cx, &v.of.funcref, NULL, 0, &r, 1, &trap);
    bool ok = !err && !trap;
    report_call("call t[0] from the host", err, trap);
    if (ok) report_val("result", e.cx, &r);
  }
  static const wasm_valkind_t i32k[] = {WASM_I32};
  wasm_functype_t *ft = functype(0, NULL, 1, i32k);
  wasmtime_val_t hv;
  memset(&hv, 0, sizeof hv);
  hv.kind = WASMTIME_FUNCREF;
  wasmtime_func_new(e.cx, ft, host42_cb, NULL, NULL, &hv.of.funcref);
  wasm_functype_delete(ft);
  report_error("set t[1] to a host function", wasmtime_table_set(e.cx, &t.of.table, 1, &hv));
  wasm_functype_t *vft = functype(0, NULL, 0, NULL);
  wasmtime_val_t wrong;
  memset(&wrong, 0, sizeof wrong);
  wrong.kind = WASMTIME_FUNCREF;
  wasmtime_func_new(e.cx, vft, nop_cb, NULL, NULL, &wrong.of.funcref);
  wasm_functype_delete(vft);
  report_error("set t[2] to a host function of another type", wasmtime_table_set(e.cx, &t.of.table, 2, &wrong));
  for (int i = 0; i < 4; i++) {
    wasmtime_val_t a = v_i32(i);
    call_export(&e, &inst, "call", &a, 1, 1);
  }
}

/* ---- memories ---- */

static wasm_memorytype_t *memorytype(uint32_t min, uint32_t max) {
  wasm_limits_t l = {min, max};
  return wasm_memorytype_new(&l);
}

static void report_memory(env_t *e, const char *label, const wasmtime_memory_t *m) {
  out("%s: size=%llu data_size=%zu page_size=%llu page_size_log2=%u", label,
      (unsigned long long)wasmtime_memory_size(e->cx, m), wasmtime_memory_data_size(e->cx, m),
      (unsigned long long)wasmtime_memory_page_size(e->cx, m), wasmtime_memory_page_size_log2(e->cx, m));
  wasm_memorytype_t *mt = wasmtime_memory_type(e->cx, m);
  char l[200];
  snprintf(l, sizeof l, "%s type", label);
  report_memorytype(l, mt);
  wasm_memorytype_delete(mt);
}

CASE(memory_basics) {
  env_t e = env_new();
  wasm_memorytype_t *mt = memorytype(1, 4);
  wasmtime_memory_t m;
  report_error("memory_new", wasmtime_memory_new(e.cx, mt, &m));
  wasm_memorytype_delete(mt);
  report_memory(&e, "new", &m);
  uint8_t *d = wasmtime_memory_data(e.cx, &m);
  out("data: %s, first bytes %d %d", d ? "non-NULL" : "NULL", d ? d[0] : -1, d ? d[65535] : -1);
  if (!d) return;
  d[100] = 42;
  uint64_t prev = 99;
  report_error("grow 2", wasmtime_memory_grow(e.cx, &m, 2, &prev));
  out("prev: %llu", (unsigned long long)prev);
  report_memory(&e, "after grow", &m);
  d = wasmtime_memory_data(e.cx, &m);
  out("byte 100 kept: %d, new page zero: %d", d[100], d[3 * 65536 - 1]);
  prev = 99;
  report_error("grow 2 (beyond max 4)", wasmtime_memory_grow(e.cx, &m, 2, &prev));
  out("prev: %llu", (unsigned long long)prev);
  prev = 99;
  report_error("grow 0", wasmtime_memory_grow(e.cx, &m, 0, &prev));
  out("prev: %llu", (unsigned long long)prev);
  prev = 99;
  report_error("grow UINT64_MAX", wasmtime_memory_grow(e.cx, &m, UINT64_MAX, &prev));
  out("prev: %llu", (unsigned long long)prev);
  prev = 99;
  report_error("grow 1 (to max)", wasmtime_memory_grow(e.cx, &m, 1, &prev));
  report_memory(&e, "at max", &m);
}

CASE(memory_no_max) {
  env_t e = env_new();
  wasm_memorytype_t *mt = memorytype(0, 0xffffffffu);
  wasmtime_memory_t m;
  report_error("memory_new", wasmtime_memory_new(e.cx, mt, &m));
  wasm_memorytype_delete(mt);
  report_memory(&e, "new", &m);
  out("data of empty memory: %s", wasmtime_memory_data_size(e.cx, &m) == 0 ? "size 0" : "?");
  uint64_t prev = 99;
  /* (Growing to the full 4 GiB would need that much memory on a machine without overcommit.) */
  report_error("grow 65537", wasmtime_memory_grow(e.cx, &m, 65537, &prev));
  report_error("grow 65536 + 1 in two steps: 1", wasmtime_memory_grow(e.cx, &m, 1, &prev));
  report_error("grow 65536 + 1 in two steps: 65536", wasmtime_memory_grow(e.cx, &m, 65536, &prev));
  report_error("grow 10", wasmtime_memory_grow(e.cx, &m, 10, &prev));
  out("prev: %llu", (unsigned long long)prev);
  report_memory(&e, "after", &m);
}

CASE(memory_limits) {
  env_t e = env_new();
  struct {
    uint32_t min, max;
  } cases[] = {{0, 0}, {2, 1}, {1, 65536}, {65537, 0xffffffffu}, {0, 65537}, {0xffffffffu, 0xffffffffu}};
  {
    size_t i = (size_t)case_arg;
    wasm_memorytype_t *mt = memorytype(cases[i].min, cases[i].max);
    char l[100];
    snprintf(l, sizeof l, "memorytype min=%u max=%u", cases[i].min, cases[i].max);
    report_memorytype(l, mt);
    wasmtime_memory_t m;
    snprintf(l, sizeof l, "memory_new min=%u max=%u", cases[i].min, cases[i].max);
    wasmtime_error_t *err = wasmtime_memory_new(e.cx, mt, &m);
    bool ok = !err;
    report_error(l, err);
    if (ok) report_memory(&e, l, &m);
    wasm_memorytype_delete(mt);
  }
}

CASE(memorytype_wasmtime_new) {
  struct {
    uint64_t min;
    bool has_max;
    uint64_t max;
    bool is64, shared;
    uint8_t log2;
  } cases[] = {
      {1, false, 0, false, false, 16}, {1, true, 2, false, false, 16},
      {3, true, 2, false, false, 16},  {1, true, 2, false, true, 16},
      {1, false, 0, false, true, 16},  {1, false, 0, true, false, 16},
      {1ull << 32, false, 0, true, false, 16}, {65537, false, 0, false, false, 16},
      {1, false, 0, false, false, 0},  {1, false, 0, false, false, 12},
      {1, false, 0, false, false, 17}, {0, true, 1ull << 48, true, false, 16},
  };
  {
    size_t i = (size_t)case_arg;
    wasm_memorytype_t *mt = NULL;
    char l[160];
    snprintf(l, sizeof l, "memorytype_new min=%llu max=%s%llu is64=%d shared=%d log2=%u",
             (unsigned long long)cases[i].min, cases[i].has_max ? "" : "none/",
             (unsigned long long)cases[i].max, cases[i].is64, cases[i].shared, cases[i].log2);
    wasmtime_error_t *err = wasmtime_memorytype_new(cases[i].min, cases[i].has_max, cases[i].max,
                                                    cases[i].is64, cases[i].shared, cases[i].log2, &mt);
    report_error(l, err);
    if (mt) {
      report_memorytype("  type", mt);
      out("  page_size: %llu", (unsigned long long)wasmtime_memorytype_page_size(mt));
      wasm_memorytype_delete(mt);
    }
  }
}

CASE(memory_new_unsupported_types) {
  /* Memory types swasm's engine does not run: 64-bit, shared, custom page size. */
  env_t e = env_new();
  struct {
    const char *label;
    bool is64, shared;
    uint8_t log2;
  } cases[] = {{"memory64", true, false, 16}, {"shared", false, true, 16}, {"page size 1", false, false, 0}};
  for (size_t i = 0; i < 3; i++) {
    wasm_memorytype_t *mt = NULL;
    wasmtime_error_t *err = wasmtime_memorytype_new(1, true, 2, cases[i].is64, cases[i].shared, cases[i].log2, &mt);
    if (err) {
      report_error(cases[i].label, err);
      continue;
    }
    wasmtime_memory_t m;
    char l[100];
    snprintf(l, sizeof l, "%s memory_new", cases[i].label);
    err = wasmtime_memory_new(e.cx, mt, &m);
    bool ok = !err;
    report_error(l, err);
    if (ok) report_memory(&e, l, &m);
    wasm_memorytype_delete(mt);
  }
}

CASE(memory_exported_after_wasm_growth) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (memory (export \"m\") 1 3)"
                   " (data (i32.const 10) \"hello\")"
                   " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
                   " (func (export \"size\") (result i32) memory.size))",
                   &inst))
    return;
  wasmtime_extern_t m = export_of(&e, &inst, "m");
  report_memory(&e, "initial", &m.of.memory);
  out_bytes("data[10..15]", wasmtime_memory_data(e.cx, &m.of.memory) + 10, 5);
  wasmtime_val_t a = v_i32(1);
  call_export(&e, &inst, "grow", &a, 1, 1);
  report_memory(&e, "after wasm grow 1", &m.of.memory);
  a = v_i32(5);
  call_export(&e, &inst, "grow", &a, 1, 1);
  a = v_i32(-1);
  call_export(&e, &inst, "grow", &a, 1, 1);
  uint64_t prev = 99;
  report_error("host grow 1", wasmtime_memory_grow(e.cx, &m.of.memory, 1, &prev));
  out("prev: %llu", (unsigned long long)prev);
  call_export(&e, &inst, "size", NULL, 0, 1);
  report_memory(&e, "after host grow", &m.of.memory);
}

CASE(memory_wrong_store_handle) {
  env_t e = env_new();
  env_t other = env_new();
  wasm_memorytype_t *mt = memorytype(1, 2);
  wasmtime_memory_t m;
  report_error("memory_new", wasmtime_memory_new(other.cx, mt, &m));
  wasm_memorytype_delete(mt);
  out("size through wrong store: %llu", (unsigned long long)wasmtime_memory_size(e.cx, &m));
}

CASE(memory_limiter) {
  env_t e = env_new();
  wasmtime_store_limiter(e.store, 3 * 65536, -1, -1, -1, -1);
  wasm_memorytype_t *mt = memorytype(1, 0xffffffffu);
  wasmtime_memory_t m;
  report_error("memory_new 1 page", wasmtime_memory_new(e.cx, mt, &m));
  wasm_memorytype_delete(mt);
  uint64_t prev = 99;
  report_error("grow 2 (to limit)", wasmtime_memory_grow(e.cx, &m, 2, &prev));
  report_error("grow 1 (beyond limit)", wasmtime_memory_grow(e.cx, &m, 1, &prev));
  report_memory(&e, "after", &m);
  mt = memorytype(4, 0xffffffffu);
  report_error("memory_new 4 pages (beyond limit)", wasmtime_memory_new(e.cx, mt, &m));
  wasm_memorytype_delete(mt);
}

const parity_case_t cases_global_table_memory[] = {
    {"global.i32", global_i32},
    {"global.i64", global_i64},
    {"global.f32_f64", global_f32_f64},
    {"global.v128", global_v128},
    {"global.funcref", global_funcref},
    {"global.externref", global_externref},
    {"global.new_wrong_kind", global_new_wrong_kind},
    {"global.new_bad_kind_byte", global_new_bad_kind_byte},
    {"global.set_wrong_kind", global_set_wrong_kind},
    {"global.set_immutable", global_set_immutable},
    {"global.wrong_store_value", global_wrong_store_value},
    {"global.wrong_store_externref", global_wrong_store_externref},
    {"global.wrong_store_handle", global_wrong_store_handle},
    {"global.exported", global_exported},
    {"global.v128_imported_initializer", global_v128_imported_initializer},
    {"table.funcref_basics", table_funcref_basics},
    {"table.externref_basics", table_externref_basics},
    {"table.new_wrong_kind", table_new_wrong_kind},
    {"table.set_grow_wrong_kind", table_set_grow_wrong_kind},
    {"table.wrong_store_value", table_wrong_store_value},
    {"table.wrong_store_externref", table_wrong_store_externref},
    {"table.wrong_store_handle", table_wrong_store_handle},
    {"table.limits", table_limits},
    {"table.funcref_roundtrip", table_funcref_roundtrip},
    {"table.exported_after_wasm_growth", table_exported_after_wasm_growth},
    {"memory.basics", memory_basics},
    {"memory.no_max", memory_no_max},
    {"memory.limits.0_0", memory_limits, 0},
    {"memory.limits.2_1", memory_limits, 1},
    {"memory.limits.1_65536", memory_limits, 2},
    {"memory.limits.65537_none", memory_limits, 3},
    {"memory.limits.0_65537", memory_limits, 4},
    {"memory.limits.4294967295_none", memory_limits, 5},
    {"memory.memorytype_new.min1", memorytype_wasmtime_new, 0},
    {"memory.memorytype_new.min1_max2", memorytype_wasmtime_new, 1},
    {"memory.memorytype_new.min3_max2", memorytype_wasmtime_new, 2},
    {"memory.memorytype_new.shared_max2", memorytype_wasmtime_new, 3},
    {"memory.memorytype_new.shared_no_max", memorytype_wasmtime_new, 4},
    {"memory.memorytype_new.is64", memorytype_wasmtime_new, 5},
    {"memory.memorytype_new.is64_min_2pow32", memorytype_wasmtime_new, 6},
    {"memory.memorytype_new.min65537", memorytype_wasmtime_new, 7},
    {"memory.memorytype_new.page_size_log2_0", memorytype_wasmtime_new, 8},
    {"memory.memorytype_new.page_size_log2_12", memorytype_wasmtime_new, 9},
    {"memory.memorytype_new.page_size_log2_17", memorytype_wasmtime_new, 10},
    {"memory.memorytype_new.is64_max_2pow48", memorytype_wasmtime_new, 11},
    {"memory.new_unsupported_types", memory_new_unsupported_types},
    {"memory.exported_after_wasm_growth", memory_exported_after_wasm_growth},
    {"memory.wrong_store_handle", memory_wrong_store_handle},
    {"memory.limiter", memory_limiter},
    CASES_END};
