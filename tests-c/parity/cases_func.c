/* wasmtime/func.h: host functions, calls (checked and unchecked), callers, raw functions. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const wasm_valkind_t K_I32[] = {WASM_I32};
static const wasm_valkind_t K_MIX[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64};
static const wasm_valkind_t K_I64_F64[] = {WASM_I64, WASM_F64};

static wasm_trap_t *mix_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                           size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env;
  out("host mix: nargs=%zu nresults=%zu caller=%s", nargs, nresults, caller ? "non-NULL" : "NULL");
  wasmtime_context_t *cx = caller ? wasmtime_caller_context(caller) : NULL;
  for (size_t i = 0; i < nargs; i++) {
    char l[32];
    snprintf(l, sizeof l, "host arg[%zu]", i);
    report_val(l, cx, &args[i]);
  }
  results[0] = v_i64((int64_t)args[0].of.i32 + args[1].of.i64);
  results[1] = v_f64((double)args[2].of.f32 + args[3].of.f64);
  return NULL;
}

static wasmtime_func_t host_mix(env_t *e) {
  wasm_functype_t *ft = functype(4, K_MIX, 2, K_I64_F64);
  wasmtime_func_t f;
  wasmtime_func_new(e->cx, ft, mix_cb, NULL, NULL, &f);
  wasm_functype_delete(ft);
  return f;
}

static void call_and_report(env_t *e, const char *label, const wasmtime_func_t *f,
                            const wasmtime_val_t *args, size_t nargs, size_t nresults) {
  wasmtime_val_t res[8];
  memset(res, 0, sizeof res);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e->cx, f, args, nargs, res, nresults, &trap);
  bool ok = !err && !trap;
  report_call(label, err, trap);
  if (ok)
    for (size_t i = 0; i < nresults && i < 8; i++) {
      char l[200];
      snprintf(l, sizeof l, "%s result[%zu]", label, i);
      report_val(l, e->cx, &res[i]);
    }
}

CASE(func_host_call_from_host) {
  env_t e = env_new();
  wasmtime_func_t f = host_mix(&e);
  wasm_functype_t *t = wasmtime_func_type(e.cx, &f);
  report_functype("type", t);
  wasm_functype_delete(t);
  wasmtime_val_t args[] = {v_i32(2), v_i64(40), v_f32(0.5f), v_f64(0.25)};
  call_and_report(&e, "call", &f, args, 4, 2);
}

CASE(func_host_call_from_wasm) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e,
                                   "(module (import \"h\" \"mix\" (func $mix (param i32 i64 f32 f64) (result i64 f64)))"
                                   " (func (export \"run\") (result i64 f64)"
                                   "   (call $mix (i32.const -1) (i64.const 10) (f32.const 1.5) (f64.const -2))))");
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = host_mix(&e)};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 2);
}

CASE(func_wasm_type_and_multi_value) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (func (export \"three\") (param i64) (result i32 i64 f32)"
                   "   (i32.const 1) (local.get 0) (f32.const 2.5))"
                   " (func (export \"none\")))",
                   &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "three");
  wasm_functype_t *t = wasmtime_func_type(e.cx, &f.of.func);
  report_functype("three type", t);
  wasm_functype_delete(t);
  wasmtime_val_t a = v_i64(-5);
  call_export(&e, &inst, "three", &a, 1, 3);
  wasmtime_extern_t n = export_of(&e, &inst, "none");
  wasm_trap_t *trap = NULL;
  report_call("none with NULL args/results", wasmtime_func_call(e.cx, &n.of.func, NULL, 0, NULL, 0, &trap), trap);
}

CASE(func_call_counts) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"f\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))", &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "f");
  wasmtime_val_t args[3] = {v_i32(1), v_i32(2), v_i32(3)};
  call_and_report(&e, "0 args", &f.of.func, args, 0, 1);
  call_and_report(&e, "1 arg", &f.of.func, args, 1, 1);
  call_and_report(&e, "3 args", &f.of.func, args, 3, 1);
  call_and_report(&e, "0 results", &f.of.func, args, 2, 0);
  call_and_report(&e, "2 results", &f.of.func, args, 2, 2);
  call_and_report(&e, "exact", &f.of.func, args, 2, 1);
}

CASE(func_call_huge_counts) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"f\") (param i32) (result i32) local.get 0))", &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "f");
  wasmtime_val_t arg = v_i32(1), res;
  wasm_trap_t *trap = NULL;
  report_call("nargs SIZE_MAX", wasmtime_func_call(e.cx, &f.of.func, &arg, SIZE_MAX, &res, 1, &trap), trap);
  trap = NULL;
  report_call("nresults SIZE_MAX", wasmtime_func_call(e.cx, &f.of.func, &arg, 1, &res, SIZE_MAX, &trap), trap);
  trap = NULL;
  report_call("nargs 2^63", wasmtime_func_call(e.cx, &f.of.func, &arg, (size_t)1 << 63, &res, 1, &trap), trap);
}

CASE(func_call_arg_kinds) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (func (export \"i32\") (param i32) (result i32) local.get 0)"
                   " (func (export \"funcref\") (param funcref) (result funcref) local.get 0)"
                   " (func (export \"externref\") (param externref) (result externref) local.get 0)"
                   " (func (export \"v128\") (param v128) (result v128) local.get 0))",
                   &inst))
    return;
  wasmtime_val_t v128;
  memset(&v128, 0, sizeof v128);
  v128.kind = WASMTIME_V128;
  wasmtime_val_t wrongs[] = {v_i64(1), v_f32(1), v_f64(1), v128, v_funcref_null(), v_externref_null()};
  const char *fns[] = {"i32", "funcref", "externref", "v128"};
  for (int fi = 0; fi < 4; fi++) {
    wasmtime_extern_t f = export_of(&e, &inst, fns[fi]);
    for (size_t i = 0; i < sizeof wrongs / sizeof wrongs[0]; i++) {
      char l[100];
      snprintf(l, sizeof l, "%s(%s)", fns[fi], kind_name(wrongs[i].kind));
      call_and_report(&e, l, &f.of.func, &wrongs[i], 1, 1);
    }
  }
}

CASE(func_call_arg_kind42) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"i32\") (param i32) (result i32) local.get 0))", &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "i32");
  wasmtime_val_t bad = v_i32(0);
  bad.kind = 42;
  call_and_report(&e, "i32(kind 42)", &f.of.func, &bad, 1, 1);
}

static wasm_trap_t *nop_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                           size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return NULL;
}

CASE(func_call_arg_other_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (type $v (func)) (table 1 funcref)"
                   " (func (export \"call\") (param funcref)"
                   "   (table.set 0 (i32.const 0) (local.get 0))"
                   "   (call_indirect (type $v) (i32.const 0)))"
                   " (func (export \"keep\") (param externref) (result externref) local.get 0))",
                   &inst))
    return;
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_val_t fv;
  memset(&fv, 0, sizeof fv);
  fv.kind = WASMTIME_FUNCREF;
  wasmtime_func_new(other.cx, ft, nop_cb, NULL, NULL, &fv.of.funcref);
  wasm_functype_delete(ft);
  wasmtime_extern_t f = export_of(&e, &inst, "call");
  call_and_report(&e, "call(funcref of other store)", &f.of.func, &fv, 1, 0);
}

CASE(func_call_externref_arg_other_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"keep\") (param externref) (result externref) local.get 0))", &inst))
    return;
  wasmtime_val_t xv;
  memset(&xv, 0, sizeof xv);
  xv.kind = WASMTIME_EXTERNREF;
  wasmtime_externref_new(other.cx, "other", NULL, &xv.of.externref);
  wasmtime_extern_t k = export_of(&e, &inst, "keep");
  call_and_report(&e, "keep(externref of other store)", &k.of.func, &xv, 1, 1);
}

CASE(func_call_wrong_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_func_t f = host_mix(&other);
  wasmtime_val_t args[] = {v_i32(2), v_i64(40), v_f32(0.5f), v_f64(0.25)};
  call_and_report(&e, "call func of other store", &f, args, 4, 2);
}

CASE(func_type_wrong_store) {
  env_t e = env_new();
  env_t other = env_new();
  wasmtime_func_t f = host_mix(&other);
  wasm_functype_t *t = wasmtime_func_type(e.cx, &f);
  report_functype("type through wrong store", t);
}

CASE(func_call_null_funcref) {
  env_t e = env_new();
  wasmtime_func_t f;
  memset(&f, 0, sizeof f);
  call_and_report(&e, "call null funcref", &f, NULL, 0, 0);
}

/* ---- host functions returning traps, errors and bad results ---- */

static wasm_trap_t *trap_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                            size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  const char *msg = env;
  return wasmtime_trap_new(msg, strlen(msg));
}

CASE(func_host_returns_trap) {
  env_t e = env_new();
  wasm_functype_t *ft = functype(0, NULL, 1, K_I32);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, trap_cb, "host failure", NULL, &hf);
  wasm_functype_delete(ft);
  call_and_report(&e, "direct", &hf, NULL, 0, 1);
  wasmtime_module_t *m = module_of(&e, "(module $m (import \"h\" \"t\" (func $t (result i32)))"
                                           " (func $caller (export \"run\") (result i32) (call $t)))");
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 1);
}

static int result_mode;
static wasm_trap_t *bad_result_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                  size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)args, (void)nargs, (void)nresults;
  memset(&results[0], 0, sizeof results[0]);
  switch (result_mode) {
    case 0: results[0] = v_i64(1); break;
    case 1: results[0] = v_f32(1); break;
    case 2: results[0].kind = WASMTIME_V128; break;
    case 3: results[0] = v_funcref_null(); break;
    case 4: results[0].kind = 42; break;
    case 5: results[0] = v_i32(5); break; /* right kind, control */
    case 6: { /* a funcref of another store where a funcref is declared */
      static wasmtime_store_t *other;
      if (!other) other = wasmtime_store_new(wasm_engine_new(), NULL, NULL);
      wasm_functype_t *ft = functype(0, NULL, 0, NULL);
      results[0].kind = WASMTIME_FUNCREF;
      wasmtime_func_new(wasmtime_store_context(other), ft, nop_cb, NULL, NULL, &results[0].of.funcref);
      wasm_functype_delete(ft);
      break;
    }
    case 7: results[0] = v_i64(0x12345678); break; /* i64 where a funcref is declared */
    case 8: results[0] = v_externref_null(); break; /* externref where a funcref is declared */
  }
  (void)caller;
  return NULL;
}

static void host_bad_result(wasm_valkind_t declared) {
  env_t e = env_new();
  wasm_functype_t *ft = functype(0, NULL, 1, &declared);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, bad_result_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  char l[100];
  snprintf(l, sizeof l, "direct call, mode %d", result_mode);
  call_and_report(&e, l, &hf, NULL, 0, 1);
  const char *text = declared == WASM_I32
                         ? "(module (import \"h\" \"f\" (func $f (result i32)))"
                           " (func (export \"run\") (result i32) (call $f)))"
                         : "(module (type $v (func)) (table 1 funcref)"
                           " (import \"h\" \"f\" (func $f (result funcref)))"
                           " (func (export \"run\") (result i32)"
                           "   (table.set 0 (i32.const 0) (call $f))"
                           "   (call_indirect (type $v) (i32.const 0)) (i32.const 7)))";
  wasmtime_module_t *m = module_of(&e, text);
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 1);
}

CASE(func_host_bad_result_i32) {
  result_mode = case_arg;
  host_bad_result(WASM_I32);
}

CASE(func_host_bad_result_funcref) {
  result_mode = case_arg;
  host_bad_result(WASM_FUNCREF);
}

/* ---- callers ---- */

static wasm_trap_t *caller_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                              size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)args, (void)nargs, (void)results, (void)nresults;
  wasmtime_context_t *cx = wasmtime_caller_context(caller);
  out("caller context data: %s", wasmtime_context_get_data(cx) ? (const char *)wasmtime_context_get_data(cx) : "NULL");
  const char *names[] = {"mem", "fn", "glob", "tab", "missing", "", "mem\xff"};
  size_t lens[] = {3, 2, 4, 3, 7, 0, 4};
  for (int i = 0; i < 7; i++) {
    wasmtime_extern_t x;
    memset(&x, 0, sizeof x);
    char l[64];
    snprintf(l, sizeof l, "caller_export_get %d", i);
    bool found = wasmtime_caller_export_get(caller, names[i], lens[i], &x);
    out("%s: found=%d kind=%d", l, found, found ? x.kind : -1);
    if (found && x.kind == WASMTIME_EXTERN_MEMORY) {
      uint8_t *d = wasmtime_memory_data(cx, &x.of.memory);
      out_bytes("memory bytes 0..5", d, 5);
    }
    if (found && x.kind == WASMTIME_EXTERN_FUNC) {
      wasmtime_val_t r;
      wasm_trap_t *trap = NULL;
      wasmtime_error_t *err = wasmtime_func_call(cx, &x.of.func, NULL, 0, &r, 1, &trap);
      bool ok = !err && !trap;
      report_call("call through caller", err, trap);
      if (ok) report_val("result", cx, &r);
    }
    if (found) wasmtime_extern_delete(&x);
  }
  return NULL;
}

CASE(func_caller_export_get) {
  env_t e = env_new();
  wasmtime_context_set_data(e.cx, "store data");
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, caller_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_module_t *m = module_of(&e,
                                   "(module (import \"h\" \"c\" (func $c))"
                                   " (memory (export \"mem\") 1) (data (i32.const 0) \"hello\")"
                                   " (global (export \"glob\") i32 (i32.const 1))"
                                   " (table (export \"tab\") 1 funcref)"
                                   " (func (export \"fn\") (result i32) i32.const 99)"
                                   " (func (export \"run\") (call $c)))");
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 0);
  out("-- called directly from the host:");
  trap = NULL;
  report_call("direct", wasmtime_func_call(e.cx, &hf, NULL, 0, NULL, 0, &trap), trap);
}

/* ---- unchecked calls and raw functions ---- */

static wasm_trap_t *unchecked_cb(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *raw,
                                 size_t n) {
  (void)env, (void)caller;
  out("unchecked host: n=%zu a=%d b=%lld", n, raw[0].i32, (long long)raw[1].i64);
  raw[0].i64 = raw[0].i32 * raw[1].i64;
  return NULL;
}

CASE(func_unchecked) {
  env_t e = env_new();
  wasm_valkind_t p[] = {WASM_I32, WASM_I64}, r[] = {WASM_I64};
  wasm_functype_t *ft = functype(2, p, 1, r);
  wasmtime_func_t hf;
  wasmtime_func_new_unchecked(e.cx, ft, unchecked_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_val_raw_t raw[2];
  memset(raw, 0, sizeof raw);
  raw[0].i32 = 6;
  raw[1].i64 = 7;
  wasm_trap_t *trap = NULL;
  report_call("call_unchecked host", wasmtime_func_call_unchecked(e.cx, &hf, raw, 2, &trap), trap);
  out("raw result: %lld", (long long)raw[0].i64);
  wasmtime_val_t args[] = {v_i32(3), v_i64(5)};
  call_and_report(&e, "checked call of unchecked host", &hf, args, 2, 1);
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"f\") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))"
                       " (func (export \"t\") unreachable))", &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "f");
  raw[0].i32 = 10;
  raw[1].i32 = 3;
  trap = NULL;
  report_call("call_unchecked wasm", wasmtime_func_call_unchecked(e.cx, &f.of.func, raw, 2, &trap), trap);
  out("raw result: %d", raw[0].i32);
  wasmtime_extern_t t = export_of(&e, &inst, "t");
  trap = NULL;
  report_call("call_unchecked trapping", wasmtime_func_call_unchecked(e.cx, &t.of.func, raw, 0, &trap), trap);
}

CASE(func_raw_roundtrip) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"f\") (result i32) i32.const 11)"
                       " (func (export \"id\") (param funcref) (result funcref) local.get 0))", &inst))
    return;
  wasmtime_extern_t f = export_of(&e, &inst, "f");
  void *raw = wasmtime_func_to_raw(e.cx, &f.of.func);
  out("to_raw: %s", raw ? "non-NULL" : "NULL");
  wasmtime_func_t back;
  memset(&back, 0, sizeof back);
  wasmtime_func_from_raw(e.cx, raw, &back);
  call_and_report(&e, "call from_raw", &back, NULL, 0, 1);
  /* A funcref through an unchecked call: raw funcref values. */
  wasmtime_extern_t id = export_of(&e, &inst, "id");
  wasmtime_val_raw_t rv[1];
  rv[0].funcref = raw;
  wasm_trap_t *trap = NULL;
  report_call("call_unchecked id(raw)", wasmtime_func_call_unchecked(e.cx, &id.of.func, rv, 1, &trap), trap);
  wasmtime_func_t got;
  wasmtime_func_from_raw(e.cx, rv[0].funcref, &got);
  call_and_report(&e, "call returned raw", &got, NULL, 0, 1);
}

CASE(func_from_raw_null) {
  env_t e = env_new();
  wasmtime_func_t nul;
  memset(&nul, 0xaa, sizeof nul);
  wasmtime_func_from_raw(e.cx, NULL, &nul);
  out("from_raw(NULL) is null: %d", nul.store_id == 0);
}

static int finalized;
static void count_finalizer(void *p) {
  (void)p;
  finalized++;
}

CASE(func_finalizer) {
  env_t e = env_new();
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, nop_cb, "env", count_finalizer, &hf);
  wasmtime_func_new_unchecked(e.cx, ft, unchecked_cb, "env2",
                              count_finalizer, &hf);
  wasm_functype_delete(ft);
  out("finalized before store delete: %d", finalized);
  wasmtime_store_delete(e.store);
  out("finalized after store delete: %d", finalized);
}

/* Host -> Wasm -> host recursion. */
static wasmtime_func_t reentry_wasm;
static wasm_trap_t *reentry_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                               size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)nargs, (void)nresults;
  wasmtime_context_t *cx = wasmtime_caller_context(caller);
  int32_t n = args[0].of.i32;
  if (n <= 0) {
    results[0] = v_i32(0);
    return NULL;
  }
  wasmtime_val_t a = v_i32(n - 1), r;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(cx, &reentry_wasm, &a, 1, &r, 1, &trap);
  if (err) {
    wasm_name_t msg;
    wasmtime_error_message(err, &msg);
    wasmtime_error_delete(err);
    wasm_trap_t *t = wasmtime_trap_new(msg.data, msg.size);
    wasm_byte_vec_delete(&msg);
    return t;
  }
  if (trap) return trap;
  results[0] = v_i32(r.of.i32 + 1);
  return NULL;
}

static void reentry(int32_t depth, bool report_detail) {
  env_t e = env_new();
  wasm_functype_t *ft = functype(1, K_I32, 1, K_I32);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, reentry_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_module_t *m = module_of(&e, "(module (import \"h\" \"r\" (func $r (param i32) (result i32)))"
                                           " (func (export \"w\") (param i32) (result i32) (call $r (local.get 0))))");
  if (!m) return;
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  reentry_wasm = export_of(&e, &inst, "w").of.func;
  wasmtime_val_t a = v_i32(depth), r;
  trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e.cx, &reentry_wasm, &a, 1, &r, 1, &trap);
  if (report_detail) {
    bool ok = !err && !trap;
    report_call("call", err, trap);
    if (ok) report_val("result", e.cx, &r);
    return;
  }
  out("error: %s", err ? "yes" : "no");
  if (trap) {
    out("trap code: %s", trap_code_str(trap));
    wasm_trap_delete(trap);
  } else {
    out("no trap");
  }
}

CASE(func_reentry_shallow) { reentry(20, true); }
CASE(func_reentry_deep) { reentry(1000000, false); }

CASE(func_import_type_mismatch) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, "(module (import \"h\" \"f\" (func (param i32) (result i32))))");
  if (!m) return;
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_t hf;
  wasmtime_func_new(e.cx, ft, nop_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
}

CASE(func_new_v128_host) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_t *p[1] = {wasmtime_wasm_valtype_v128()};
  wasm_valtype_t *r[1] = {wasmtime_wasm_valtype_v128()};
  wasm_valtype_vec_new(&params, 1, p);
  wasm_valtype_vec_new(&results, 1, r);
  wasm_functype_t *ft = wasm_functype_new(&params, &results);
  report_functype("v128 functype", ft);
  wasm_functype_delete(ft);
}

const parity_case_t cases_func[] = {
    {"func.host_call_from_host", func_host_call_from_host},
    {"func.host_call_from_wasm", func_host_call_from_wasm},
    {"func.wasm_type_and_multi_value", func_wasm_type_and_multi_value},
    {"func.call_counts", func_call_counts},
    {"func.call_huge_counts", func_call_huge_counts},
    {"func.call_arg_kinds", func_call_arg_kinds},
    {"func.call_arg_kind42", func_call_arg_kind42},
    {"func.call_arg_other_store", func_call_arg_other_store},
    {"func.call_externref_arg_other_store", func_call_externref_arg_other_store},
    {"func.call_wrong_store", func_call_wrong_store},
    {"func.type_wrong_store", func_type_wrong_store},
    {"func.call_null_funcref", func_call_null_funcref},
    {"func.host_returns_trap", func_host_returns_trap},
    {"func.host_bad_result.i32.i64", func_host_bad_result_i32, 0},
    {"func.host_bad_result.i32.f32", func_host_bad_result_i32, 1},
    {"func.host_bad_result.i32.v128", func_host_bad_result_i32, 2},
    {"func.host_bad_result.i32.funcref", func_host_bad_result_i32, 3},
    {"func.host_bad_result.i32.kind42", func_host_bad_result_i32, 4},
    {"func.host_bad_result.i32.control", func_host_bad_result_i32, 5},
    {"func.host_bad_result.funcref.other_store", func_host_bad_result_funcref, 6},
    {"func.host_bad_result.funcref.i64", func_host_bad_result_funcref, 7},
    {"func.host_bad_result.funcref.externref", func_host_bad_result_funcref, 8},
    {"func.host_bad_result.funcref.control_null", func_host_bad_result_funcref, 3},
    {"func.caller_export_get", func_caller_export_get},
    {"func.unchecked", func_unchecked},
    {"func.raw_roundtrip", func_raw_roundtrip},
    {"func.from_raw_null", func_from_raw_null},
    {"func.finalizer", func_finalizer},
    {"func.reentry_shallow", func_reentry_shallow},
    {"func.reentry_deep", func_reentry_deep},
    {"func.import_type_mismatch", func_import_type_mismatch},
    {"func.new_v128_host", func_new_v128_host},
    CASES_END};
