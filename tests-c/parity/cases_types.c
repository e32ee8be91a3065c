/* Type reflection: wasm.h types and vectors, wasmtime/types/val.h. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

CASE(valtype_kinds) {
  wasm_valkind_t kinds[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_EXTERNREF, WASM_FUNCREF};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    wasm_valtype_t *t = wasm_valtype_new(kinds[i]);
    char l[64];
    snprintf(l, sizeof l, "valtype_new(%u)", kinds[i]);
    report_valtype(l, t);
    wasm_valtype_t *c = wasm_valtype_copy(t);
    snprintf(l, sizeof l, "copy of %u", kinds[i]);
    report_valtype(l, c);
    out("equal to copy: %d", wasmtime_wasm_valtype_equal(t, c));
    wasm_valtype_delete(t);
    wasm_valtype_delete(c);
  }
}

CASE(valtype_new_invalid_kind) {
  char l[64];
  snprintf(l, sizeof l, "valtype_new(%d)", case_arg);
  wasm_valtype_t *t = wasm_valtype_new((wasm_valkind_t)case_arg);
  out("%s: %s", l, t ? "non-NULL" : "NULL");
  if (t) report_valtype(l, t);
}

CASE(valtype_v128_kind) {
  wasm_valtype_t *t = wasmtime_wasm_valtype_v128();
  out("v128 valtype: %s", t ? "non-NULL" : "NULL");
  wasm_valtype_t *i = wasm_valtype_new(WASM_I32);
  out("v128 equal i32: %d", wasmtime_wasm_valtype_equal(t, i));
  out("v128 equal v128: %d", wasmtime_wasm_valtype_equal(t, wasmtime_wasm_valtype_v128()));
  out("wasm_valtype_kind(v128): %u", wasm_valtype_kind(t));
}

CASE(valtype_equal) {
  wasm_valtype_t *a = wasm_valtype_new(WASM_FUNCREF), *b = wasm_valtype_new(WASM_FUNCREF);
  wasm_valtype_t *c = wasm_valtype_new(WASM_EXTERNREF), *d = wasm_valtype_new(WASM_I64);
  out("funcref == funcref: %d", wasmtime_wasm_valtype_equal(a, b));
  out("funcref == externref: %d", wasmtime_wasm_valtype_equal(a, c));
  out("externref == i64: %d", wasmtime_wasm_valtype_equal(c, d));
}

static void report_wasmtime_valtype(const char *label, const wasmtime_valtype_t *t) {
  if (t->kind == WASMTIME_VALTYPE_KIND_REF)
    out("%s: kind ref, nullable %d, heaptype kind %u", label, t->reftype.nullable, t->reftype.heaptype.kind);
  else
    out("%s: kind %u", label, t->kind);
}

CASE(wasmtime_valtype_conversions) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_valtype_t *types[] = {wasm_valtype_new(WASM_I32), wasm_valtype_new(WASM_I64), wasm_valtype_new(WASM_F32),
                             wasm_valtype_new(WASM_F64), wasmtime_wasm_valtype_v128(),
                             wasm_valtype_new(WASM_EXTERNREF), wasm_valtype_new(WASM_FUNCREF)};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    wasmtime_valtype_t wt;
    memset(&wt, 0, sizeof wt);
    wasmtime_valtype_new(types[i], &wt);
    char l[64];
    snprintf(l, sizeof l, "wasmtime_valtype_new [%zu]", i);
    report_wasmtime_valtype(l, &wt);
    wasmtime_valtype_t clone;
    memset(&clone, 0, sizeof clone);
    wasmtime_valtype_clone(&wt, &clone);
    snprintf(l, sizeof l, "clone [%zu]", i);
    report_wasmtime_valtype(l, &clone);
    wasm_valtype_t *back = wasmtime_valtype_to_wasm(engine, &wt);
    out("to_wasm [%zu] equal: %d", i, back ? wasmtime_wasm_valtype_equal(back, types[i]) : -1);
    if (back) wasm_valtype_delete(back);
    wasmtime_valtype_delete(&wt);
    wasmtime_valtype_delete(&clone);
  }
}

CASE(wasmtime_valtype_unsupported_heaptypes) {
  /* Reference types swasm does not run (GC proposal): (ref null any), (ref func). */
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_valtype_t t;
  memset(&t, 0, sizeof t);
  t.kind = WASMTIME_VALTYPE_KIND_REF;
  t.reftype.nullable = true;
  t.reftype.heaptype.kind = WASMTIME_HEAPTYPE_KIND_ANY;
  wasm_valtype_t *v = wasmtime_valtype_to_wasm(engine, &t);
  out("(ref null any) to_wasm: %s", v ? "non-NULL" : "NULL");
  t.reftype.nullable = false;
  t.reftype.heaptype.kind = WASMTIME_HEAPTYPE_KIND_FUNC;
  v = wasmtime_valtype_to_wasm(engine, &t);
  out("(ref func) to_wasm: %s", v ? "non-NULL" : "NULL");
  if (v) out("(ref func) equal funcref: %d", wasmtime_wasm_valtype_equal(v, wasm_valtype_new(WASM_FUNCREF)));
}

CASE(functype_basics) {
  wasm_valkind_t p[] = {WASM_I32, WASM_F64, WASM_EXTERNREF}, r[] = {WASM_FUNCREF, WASM_I64};
  wasm_functype_t *ft = functype(3, p, 2, r);
  report_functype("functype", ft);
  out("params: %zu, results: %zu", wasm_functype_params(ft)->size, wasm_functype_results(ft)->size);
  wasm_functype_t *c = wasm_functype_copy(ft);
  wasm_functype_delete(ft);
  report_functype("copy after original deleted", c);
  wasm_externtype_t *et = wasm_functype_as_externtype(c);
  out("as externtype kind: %u", wasm_externtype_kind(et));
  out("back as functype same: %d", wasm_externtype_as_functype(et) == c);
  out("as globaltype: %s", wasm_externtype_as_globaltype(et) ? "non-NULL" : "NULL");
  out("as tabletype: %s", wasm_externtype_as_tabletype(et) ? "non-NULL" : "NULL");
  out("as memorytype: %s", wasm_externtype_as_memorytype(et) ? "non-NULL" : "NULL");
  out("as_const functype same: %d", wasm_externtype_as_functype_const(et) == c);
  wasm_functype_t *empty = functype(0, NULL, 0, NULL);
  report_functype("empty functype", empty);
  out("empty params data: %s", wasm_functype_params(empty)->size == 0 ? "size 0" : "?");
}

CASE(functype_many) {
  wasm_valkind_t p[16];
  for (int i = 0; i < 16; i++) p[i] = (wasm_valkind_t)(i % 4);
  wasm_functype_t *ft = functype(16, p, 16, p);
  report_functype("16x16", ft);
}

CASE(globaltype_basics) {
  wasm_globaltype_t *g = wasm_globaltype_new(wasm_valtype_new(WASM_F32), WASM_VAR);
  report_globaltype("globaltype", g);
  out("mutability: %u", wasm_globaltype_mutability(g));
  wasm_externtype_t *et = wasm_globaltype_as_externtype(g);
  out("externtype kind: %u", wasm_externtype_kind(et));
  out("as functype: %s", wasm_externtype_as_functype(et) ? "non-NULL" : "NULL");
  wasm_globaltype_t *c = wasm_globaltype_copy(g);
  report_globaltype("copy", c);
  wasm_globaltype_t *v = wasm_globaltype_new(wasmtime_wasm_valtype_v128(), WASM_CONST);
  report_globaltype("v128 const", v);
}

CASE(globaltype_bad_mutability) {
  wasm_globaltype_t *g = wasm_globaltype_new(wasm_valtype_new(WASM_I32), 7);
  out("globaltype with mutability 7: %s", g ? "non-NULL" : "NULL");
  if (g) out("mutability: %u", wasm_globaltype_mutability(g));
}

CASE(tabletype_basics) {
  wasm_limits_t l = {3, 9};
  wasm_tabletype_t *t = wasm_tabletype_new(wasm_valtype_new(WASM_EXTERNREF), &l);
  report_tabletype("tabletype", t);
  wasm_externtype_t *et = wasm_tabletype_as_externtype(t);
  out("externtype kind: %u", wasm_externtype_kind(et));
  wasm_tabletype_t *c = wasm_tabletype_copy(t);
  report_tabletype("copy", c);
  wasm_limits_t nl = {0, wasm_limits_max_default};
  wasm_tabletype_t *n = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &nl);
  report_tabletype("no max", n);
}

CASE(tabletype_non_reference) {
  wasm_limits_t l = {1, 2};
  wasm_tabletype_t *t = wasm_tabletype_new(wasm_valtype_new(WASM_I32), &l);
  out("tabletype of i32: %s", t ? "non-NULL" : "NULL");
  if (t) report_tabletype("tabletype of i32", t);
}

CASE(memorytype_basics) {
  wasm_limits_t l = {2, 5};
  wasm_memorytype_t *m = wasm_memorytype_new(&l);
  report_memorytype("memorytype", m);
  wasm_externtype_t *et = wasm_memorytype_as_externtype(m);
  out("externtype kind: %u", wasm_externtype_kind(et));
  wasm_memorytype_t *c = wasm_memorytype_copy(m);
  report_memorytype("copy", c);
  wasm_externtype_t *ec = wasm_externtype_copy(et);
  report_externtype("externtype copy", ec);
  wasm_externtype_delete(ec);
}

CASE(importtype_exporttype) {
  wasm_name_t mod = name_of("mod"), nm = name_of("name");
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasm_importtype_t *it = wasm_importtype_new(&mod, &nm, wasm_functype_as_externtype(ft));
  report_name("importtype module", wasm_importtype_module(it));
  report_name("importtype name", wasm_importtype_name(it));
  report_externtype("importtype type", wasm_importtype_type(it));
  wasm_importtype_t *ic = wasm_importtype_copy(it);
  wasm_importtype_delete(it);
  report_name("copy module", wasm_importtype_module(ic));
  wasm_importtype_delete(ic);
  wasm_name_t en = name_of("exp");
  wasm_limits_t l = {1, 1};
  wasm_exporttype_t *xt = wasm_exporttype_new(&en, wasm_memorytype_as_externtype(wasm_memorytype_new(&l)));
  report_name("exporttype name", wasm_exporttype_name(xt));
  report_externtype("exporttype type", wasm_exporttype_type(xt));
  wasm_exporttype_t *xc = wasm_exporttype_copy(xt);
  report_name("copy name", wasm_exporttype_name(xc));
  wasm_exporttype_delete(xt);
  wasm_exporttype_delete(xc);
}

CASE(importtype_invalid_utf8) {
  wasm_name_t mod, nm = name_of("n");
  wasm_byte_vec_new(&mod, 2, "\xff\xfe");
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasm_importtype_t *it = wasm_importtype_new(&mod, &nm, wasm_functype_as_externtype(ft));
  out("importtype with invalid UTF-8 module: %s", it ? "non-NULL" : "NULL");
  if (it) report_name("module", wasm_importtype_module(it));
}

CASE(byte_vec) {
  wasm_byte_vec_t v;
  wasm_byte_vec_new_empty(&v);
  out("empty: size %zu", v.size);
  wasm_byte_vec_delete(&v);
  wasm_byte_vec_new_uninitialized(&v, 5);
  out("uninitialized: size %zu, data %s", v.size, v.data ? "non-NULL" : "NULL");
  memcpy(v.data, "abcde", 5);
  wasm_byte_vec_t c;
  wasm_byte_vec_copy(&c, &v);
  out_bytes("copy", c.data, c.size);
  wasm_byte_vec_delete(&v);
  wasm_byte_vec_delete(&c);
  wasm_byte_vec_new(&v, 3, "xyz");
  out_bytes("new", v.data, v.size);
  wasm_byte_vec_delete(&v);
  out("size after delete: %zu", v.size);
  wasm_byte_vec_new_uninitialized(&v, 0);
  out("uninitialized 0: size %zu", v.size);
  wasm_byte_vec_delete(&v);
}

CASE(byte_vec_huge) {
  wasm_byte_vec_t v;
  memset(&v, 0, sizeof v);
  wasm_byte_vec_new_uninitialized(&v, SIZE_MAX / 2);
  out("uninitialized SIZE_MAX/2: size %zu, data %s", v.size, v.data ? "non-NULL" : "NULL");
}

CASE(valtype_vec) {
  wasm_valtype_t *ts[3] = {wasm_valtype_new(WASM_I32), wasm_valtype_new(WASM_F64), wasm_valtype_new(WASM_FUNCREF)};
  wasm_valtype_vec_t v, c;
  wasm_valtype_vec_new(&v, 3, ts);
  wasm_valtype_vec_copy(&c, &v);
  wasm_valtype_vec_delete(&v);
  out("copy size: %zu", c.size);
  for (size_t i = 0; i < c.size; i++) {
    char l[32];
    snprintf(l, sizeof l, "copy[%zu]", i);
    report_valtype(l, c.data[i]);
  }
  wasm_valtype_vec_delete(&c);
  wasm_valtype_vec_new_uninitialized(&v, 2);
  out("uninitialized: size %zu, [0] %s", v.size, v.data[0] ? "non-NULL" : "NULL");
  wasm_valtype_vec_delete(&v);
}

CASE(externtype_vec_and_kinds) {
  wasm_limits_t l = {1, 2};
  wasm_externtype_t *ts[4] = {
      wasm_functype_as_externtype(functype(0, NULL, 0, NULL)),
      wasm_globaltype_as_externtype(wasm_globaltype_new(wasm_valtype_new(WASM_I64), WASM_CONST)),
      wasm_tabletype_as_externtype(wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &l)),
      wasm_memorytype_as_externtype(wasm_memorytype_new(&l)),
  };
  wasm_externtype_vec_t v, c;
  wasm_externtype_vec_new(&v, 4, ts);
  wasm_externtype_vec_copy(&c, &v);
  for (size_t i = 0; i < c.size; i++) {
    char lb[64];
    snprintf(lb, sizeof lb, "copy[%zu] kind %u", i, (unsigned)wasm_externtype_kind(c.data[i]));
    report_externtype(lb, c.data[i]);
  }
  wasm_externtype_vec_delete(&v);
  wasm_externtype_vec_delete(&c);
}

CASE(tagtype) {
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasm_tagtype_t *t = wasm_tagtype_new(ft);
  out("tagtype: %s", t ? "non-NULL" : "NULL");
  if (!t) return;
  wasm_externtype_t *et = wasm_tagtype_as_externtype(t);
  out("kind: %u", wasm_externtype_kind(et));
  out("as_tagtype_const same: %d", wasm_externtype_as_tagtype_const(et) == t);
}

CASE(externtype_as_tagtype_const_of_func) {
  /* What wasmtime's C++ API calls for every extern type. */
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  const wasm_tagtype_t *t = wasm_externtype_as_tagtype_const(wasm_functype_as_externtype_const(ft));
  out("as_tagtype_const of a function type: %s", t ? "non-NULL" : "NULL");
}

CASE(name_helpers) {
  wasm_name_t n;
  wasm_byte_vec_new(&n, 3, "abc");
  report_name("name", &n);
  wasm_name_delete(&n);
  out("deleted");
}

const parity_case_t cases_types[] = {
    {"types.valtype_kinds", valtype_kinds},
    {"types.valtype_new_invalid_kind.4", valtype_new_invalid_kind, 4},
    {"types.valtype_new_invalid_kind.5", valtype_new_invalid_kind, 5},
    {"types.valtype_new_invalid_kind.127", valtype_new_invalid_kind, 127},
    {"types.valtype_new_invalid_kind.130", valtype_new_invalid_kind, 130},
    {"types.valtype_new_invalid_kind.255", valtype_new_invalid_kind, 255},
    {"types.valtype_v128_kind", valtype_v128_kind},
    {"types.valtype_equal", valtype_equal},
    {"types.wasmtime_valtype_conversions", wasmtime_valtype_conversions},
    {"types.wasmtime_valtype_unsupported_heaptypes", wasmtime_valtype_unsupported_heaptypes},
    {"types.functype_basics", functype_basics},
    {"types.functype_many", functype_many},
    {"types.globaltype_basics", globaltype_basics},
    {"types.globaltype_bad_mutability", globaltype_bad_mutability},
    {"types.tabletype_basics", tabletype_basics},
    {"types.tabletype_non_reference", tabletype_non_reference},
    {"types.memorytype_basics", memorytype_basics},
    {"types.importtype_exporttype", importtype_exporttype},
    {"types.importtype_invalid_utf8", importtype_invalid_utf8},
    {"types.byte_vec", byte_vec},
    {"types.byte_vec_huge", byte_vec_huge},
    {"types.valtype_vec", valtype_vec},
    {"types.externtype_vec_and_kinds", externtype_vec_and_kinds},
    {"types.tagtype", tagtype},
    {"types.externtype_as_tagtype_const_of_func", externtype_as_tagtype_const_of_func},
    {"types.name_helpers", name_helpers},
    CASES_END};
