/* wasmtime/externref.h, wasmtime/val.h, wasmtime_context_gc, wasmtime/wat.h. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finalized;
static const char *last_finalized;
static void ref_finalizer(void *p) {
  finalized++;
  last_finalized = p;
}

CASE(externref_basics) {
  env_t e = env_new();
  wasmtime_externref_t r;
  memset(&r, 0, sizeof r);
  out("new: %d", wasmtime_externref_new(e.cx, "payload", ref_finalizer, &r));
  out("is null: %d", r.store_id == 0);
  const char *d = wasmtime_externref_data(e.cx, &r);
  out("data: %s", d ? d : "NULL");
  wasmtime_externref_t c;
  wasmtime_externref_clone(&r, &c);
  d = wasmtime_externref_data(e.cx, &c);
  out("clone data: %s", d ? d : "NULL");
  wasmtime_externref_unroot(&r);
  out("finalized after unrooting one of two: %d", finalized);
  wasmtime_externref_unroot(&c);
  out("finalized after unrooting both (before gc): %d", finalized);
  wasmtime_store_delete(e.store);
  out("finalized after store delete: %d (%s)", finalized, last_finalized ? last_finalized : "NULL");
}

CASE(externref_null) {
  env_t e = env_new();
  wasmtime_externref_t n;
  memset(&n, 0, sizeof n);
  void *d = wasmtime_externref_data(e.cx, &n);
  out("data of null: %s", d ? "non-NULL" : "NULL");
  wasmtime_externref_t c;
  memset(&c, 0xab, sizeof c);
  wasmtime_externref_clone(&n, &c);
  out("clone of null is null: %d", c.store_id == 0);
  wasmtime_externref_unroot(&n);
  out("unroot of null: returned");
}

CASE(externref_new_null_data) {
  env_t e = env_new();
  wasmtime_externref_t r;
  out("new with NULL data: %d", wasmtime_externref_new(e.cx, NULL, NULL, &r));
  void *d = wasmtime_externref_data(e.cx, &r);
  out("data: %s", d ? "non-NULL" : "NULL");
}

CASE(externref_through_wasm) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (table $t 2 externref) (global $g (mut externref) (ref.null extern))"
                   " (func (export \"id\") (param externref) (result externref) local.get 0)"
                   " (func (export \"store\") (param externref) (table.set $t (i32.const 0) (local.get 0))"
                   "   (global.set $g (local.get 0)))"
                   " (func (export \"load\") (result externref) (table.get $t (i32.const 0)))"
                   " (func (export \"is_null\") (param externref) (result i32) (ref.is_null (local.get 0)))"
                   " (func (export \"clear\") (table.set $t (i32.const 0) (ref.null extern))"
                   "   (global.set $g (ref.null extern))))",
                   &inst))
    return;
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_EXTERNREF;
  wasmtime_externref_new(e.cx, "through", ref_finalizer, &v.of.externref);
  call_export(&e, &inst, "id", &v, 1, 1);
  call_export(&e, &inst, "is_null", &v, 1, 1);
  call_export(&e, &inst, "store", &v, 1, 0);
  wasmtime_val_unroot(&v);
  call_export(&e, &inst, "load", NULL, 0, 1);
  wasmtime_val_t n = v_externref_null();
  call_export(&e, &inst, "is_null", &n, 1, 1);
  out("finalized: %d", finalized);
}

CASE(externref_gc_table_global) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (table $t 2 externref) (global $g (mut externref) (ref.null extern))"
                   " (func (export \"store\") (param externref) (table.set $t (i32.const 0) (local.get 0))"
                   "   (global.set $g (local.get 0)))"
                   " (func (export \"clear_table\") (table.set $t (i32.const 0) (ref.null extern)))"
                   " (func (export \"clear_global\") (global.set $g (ref.null extern))))",
                   &inst))
    return;
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_EXTERNREF;
  wasmtime_externref_new(e.cx, "kept", ref_finalizer, &v.of.externref);
  call_export(&e, &inst, "store", &v, 1, 0);
  wasmtime_val_unroot(&v);
  report_error("gc while referenced", wasmtime_context_gc(e.cx));
  out("finalized while referenced by table and global: %d", finalized);
  call_export(&e, &inst, "clear_table", NULL, 0, 0);
  report_error("gc after clearing the table", wasmtime_context_gc(e.cx));
  out("finalized while referenced by the global: %d", finalized);
  call_export(&e, &inst, "clear_global", NULL, 0, 0);
  report_error("gc after clearing the global", wasmtime_context_gc(e.cx));
  out("finalized after clearing both and gc: %d", finalized);
}

CASE(externref_gc_empty_store) {
  env_t e = env_new();
  report_error("gc of an empty store", wasmtime_context_gc(e.cx));
  report_error("gc again", wasmtime_context_gc(e.cx));
}

CASE(context_gc_unrooted) {
  env_t e = env_new();
  wasmtime_externref_t r;
  wasmtime_externref_new(e.cx, "gc me", ref_finalizer, &r);
  report_error("gc while rooted", wasmtime_context_gc(e.cx));
  out("finalized while rooted: %d", finalized);
  wasmtime_externref_unroot(&r);
  report_error("gc after unroot", wasmtime_context_gc(e.cx));
  out("finalized after gc: %d", finalized);
}

CASE(externref_raw) {
  env_t e = env_new();
  wasmtime_externref_t r;
  wasmtime_externref_new(e.cx, "raw", ref_finalizer, &r);
  uint32_t raw = wasmtime_externref_to_raw(e.cx, &r);
  out("to_raw: %s", raw ? "non-zero" : "zero");
  wasmtime_externref_t back;
  memset(&back, 0, sizeof back);
  wasmtime_externref_from_raw(e.cx, raw, &back);
  const char *d = wasmtime_externref_data(e.cx, &back);
  out("from_raw data: %s", d ? d : "NULL");
  wasmtime_externref_t z;
  memset(&z, 0xab, sizeof z);
  wasmtime_externref_from_raw(e.cx, 0, &z);
  out("from_raw(0) is null: %d", z.store_id == 0);
  wasmtime_externref_t n;
  memset(&n, 0, sizeof n);
  out("to_raw(null): %u", wasmtime_externref_to_raw(e.cx, &n));
  /* Through an unchecked call. */
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"id\") (param externref) (result externref) local.get 0))", &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "id");
  wasmtime_val_raw_t rv;
  memset(&rv, 0, sizeof rv);
  rv.externref = raw;
  wasm_trap_t *trap = NULL;
  report_call("call_unchecked id(raw)", wasmtime_func_call_unchecked(e.cx, &f.of.func, &rv, 1, &trap), trap);
  wasmtime_externref_t got;
  wasmtime_externref_from_raw(e.cx, rv.externref, &got);
  d = wasmtime_externref_data(e.cx, &got);
  out("returned data: %s", d ? d : "NULL");
}

CASE(externref_wrong_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_externref_t r;
  wasmtime_externref_new(other.cx, "other", NULL, &r);
  void *d = wasmtime_externref_data(e.cx, &r);
  out("data through wrong store: %s", d ? (const char *)d : "NULL");
}

CASE(val_clone_unroot) {
  env_t e = env_new();
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = WASMTIME_EXTERNREF;
  wasmtime_externref_new(e.cx, "cloned", ref_finalizer, &v.of.externref);
  wasmtime_val_t c;
  wasmtime_val_clone(&v, &c);
  report_val("clone", e.cx, &c);
  wasmtime_val_unroot(&v);
  report_val("clone after unrooting the original", e.cx, &c);
  wasmtime_val_unroot(&c);
  wasmtime_val_t i = v_i64(5), ic;
  wasmtime_val_clone(&i, &ic);
  report_val("clone of i64", e.cx, &ic);
  wasmtime_val_unroot(&ic);
  wasmtime_val_t f = v_funcref_null(), fc;
  wasmtime_val_clone(&f, &fc);
  report_val("clone of null funcref", e.cx, &fc);
  wasmtime_store_delete(e.store);
  out("finalized after store delete: %d", finalized);
}

/* ---- wat2wasm ---- */

static void wat_case(const char *label, const char *text, size_t len) {
  wasm_byte_vec_t out_bytes_vec;
  memset(&out_bytes_vec, 0, sizeof out_bytes_vec);
  wasmtime_error_t *err = wasmtime_wat2wasm(text, len, &out_bytes_vec);
  bool ok = !err;
  report_error(label, err);
  if (ok) {
    out("%s: %zu bytes, header ok %d", label, out_bytes_vec.size,
        out_bytes_vec.size >= 8 && memcmp(out_bytes_vec.data, "\0asm\1\0\0\0", 8) == 0);
    wasm_byte_vec_delete(&out_bytes_vec);
  }
}

CASE(wat2wasm_valid) {
  const char *t = "(module (func (export \"f\") (param i32) (result i32) local.get 0))";
  wat_case("valid", t, strlen(t));
  const char *t2 = "(module)";
  wat_case("empty module", t2, strlen(t2));
  const char *t3 = "(func)";
  wat_case("bare field", t3, strlen(t3));
  const char *t4 = "";
  wat_case("empty text", t4, 0);
}

CASE(wat2wasm_output_bytes) {
  /* The library's assembler output: size and hash, so the two libraries' bytes compare. */
  const char *texts[] = {
      "(module (memory 1) (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))"
      " (export \"f\" (func 0)) (data (i32.const 0) \"hi\"))",
      "(module $named (func $fn (export \"g\") (param $p i64) (local $l f32) nop) (global $gl (mut i32) (i32.const -1)))",
      "(module (type $t (func (param i32))) (table 3 funcref) (elem (i32.const 0) func 0 0) (func (type $t))"
      " (func (call_indirect (type $t) (i32.const 0) (i32.const 1))))",
      "(module (func (result v128) (v128.const f32x4 1 2 3 4)) (func (param f64) (result f64) (f64.sqrt (local.get 0))))",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    wasm_byte_vec_t v;
    wasmtime_error_t *err = wasmtime_wat2wasm(texts[i], strlen(texts[i]), &v);
    char l[32];
    snprintf(l, sizeof l, "module %zu", i);
    if (err) {
      report_error(l, err);
      continue;
    }
    /* Sections other than custom ones, then each custom section by name and size. */
    const uint8_t *p = (const uint8_t *)v.data;
    size_t pos = 8;
    uint64_t h = 1469598103934665603ull;
    size_t core = 0;
    char customs[512] = "";
    while (pos < v.size) {
      uint8_t id = p[pos];
      size_t q = pos + 1, len = 0;
      int shift = 0;
      while (q < v.size) {
        len |= (size_t)(p[q] & 0x7f) << shift;
        shift += 7;
        if (!(p[q++] & 0x80)) break;
      }
      if (q + len > v.size) break;
      if (id == 0) {
        size_t nl = p[q];
        size_t k = strlen(customs);
        snprintf(customs + k, sizeof customs - k, " %.*s(%zu)", (int)nl, (const char *)p + q + 1, len);
      } else {
        for (size_t i = pos; i < q + len; i++) h = (h ^ p[i]) * 1099511628211ull;
        core += q + len - pos;
      }
      pos = q + len;
    }
    out("%s: non-custom sections %zu bytes, fnv %016llx; custom sections:%s", l, core, (unsigned long long)h,
        customs[0] ? customs : " none");
    wasm_byte_vec_delete(&v);
  }
}

CASE(wat2wasm_errors) {
  struct {
    const char *label, *text;
  } cases[] = {
      {"unbalanced parens", "(module (func)"},
      {"unknown instruction", "(module (func i32.foo))"},
      {"unknown identifier", "(module (func (call $nope)))"},
      {"bad integer", "(module (func (drop (i32.const 99999999999))))"},
      {"type mismatch is not a parse error", "(module (func (result i32) i64.const 1))"},
      {"garbage", "hello world"},
      {"unterminated string", "(module (data \"abc))"},
      {"duplicate identifier", "(module (func $a) (func $a))"},
      {"multi-line error position", "(module\n  (func\n    (i32.add\n      oops)))"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    wat_case(cases[i].label, cases[i].text, strlen(cases[i].text));
}

CASE(wat2wasm_invalid_utf8) {
#define WAT_LITERAL(label, s) wat_case(label, s, sizeof(s) - 1)
  WAT_LITERAL("invalid utf-8 in a comment", ";; \xff\xfe\n(module)");
  WAT_LITERAL("invalid utf-8 in a string", "(module (memory 1) (data (i32.const 0) \"\xff\"))");
  WAT_LITERAL("embedded NUL", "(module)\0(func)");
}

const parity_case_t cases_ref_wat[] = {
    {"externref.basics", externref_basics},
    {"externref.null", externref_null},
    {"externref.new_null_data", externref_new_null_data},
    {"externref.through_wasm", externref_through_wasm},
    {"externref.gc_table_global", externref_gc_table_global},
    {"externref.gc_empty_store", externref_gc_empty_store},
    {"externref.context_gc_unrooted", context_gc_unrooted},
    {"externref.raw", externref_raw},
    {"externref.wrong_store", externref_wrong_store},
    {"val.clone_unroot", val_clone_unroot},
    {"wat2wasm.valid", wat2wasm_valid},
    {"wat2wasm.output_bytes", wat2wasm_output_bytes},
    {"wat2wasm.errors", wat2wasm_errors},
    {"wat2wasm.invalid_utf8", wat2wasm_invalid_utf8},
    CASES_END};
