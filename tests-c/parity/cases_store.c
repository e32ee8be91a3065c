/* wasmtime/store.h: stores, contexts, host data, fuel, epochs. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *finalized_with;
static int finalizer_calls;
static void data_finalizer(void *p) {
  finalized_with = p;
  finalizer_calls++;
}

CASE(store_data) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *s = wasmtime_store_new(engine, "first", data_finalizer);
  wasmtime_context_t *cx = wasmtime_store_context(s);
  out("same context twice: %d", cx == wasmtime_store_context(s));
  const char *d = wasmtime_context_get_data(cx);
  out("data: %s", d ? d : "NULL");
  wasmtime_context_set_data(cx, "second");
  d = wasmtime_context_get_data(cx);
  out("data after set: %s", d ? d : "NULL");
  out("finalizer calls before delete: %d", finalizer_calls);
  wasmtime_store_delete(s);
  out("finalizer calls after delete: %d, with %s", finalizer_calls, finalized_with ? finalized_with : "NULL");
  wasm_engine_delete(engine);
}

CASE(store_null_data) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *s = wasmtime_store_new(engine, NULL, data_finalizer);
  wasmtime_store_delete(s);
  out("finalizer calls for NULL data: %d", finalizer_calls);
  wasm_engine_delete(engine);
}

CASE(store_outlives_engine_handle) {
  /* The store keeps its engine alive: modules compiled by that engine still instantiate in it. */
  wasm_engine_t *engine = wasm_engine_new();
  wasm_engine_t *keep = wasmtime_engine_clone(engine);
  wasmtime_store_t *s = wasmtime_store_new(engine, NULL, NULL);
  wasm_engine_delete(engine);
  bytes_t b = wat("(module (func (export \"f\") (result i32) i32.const 3))");
  wasmtime_module_t *m = NULL;
  report_error("module_new on the engine's clone", wasmtime_module_new(keep, b.data, b.size, &m));
  free(b.data);
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instantiate in the store", wasmtime_instance_new(wasmtime_store_context(s), m, NULL, 0, &inst, &trap), trap);
  env_t e = {keep, s, wasmtime_store_context(s)};
  call_export(&e, &inst, "f", NULL, 0, 1);
}

CASE(store_delete_null) {
  wasmtime_store_delete(NULL);
  out("wasmtime_store_delete(NULL): returned");
}

/* ---- fuel ---- */

CASE(fuel_not_enabled) {
  env_t e = env_new();
  report_error("set_fuel", wasmtime_context_set_fuel(e.cx, 10));
  uint64_t fuel = 99;
  report_error("get_fuel", wasmtime_context_get_fuel(e.cx, &fuel));
  out("fuel: %llu", (unsigned long long)fuel);
}

static env_t fuel_env(void) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_consume_fuel_set(c, true);
  return env_with_config(c);
}

static void report_fuel(env_t *e, const char *label) {
  uint64_t fuel = 99;
  wasmtime_error_t *err = wasmtime_context_get_fuel(e->cx, &fuel);
  if (err) {
    report_error(label, err);
    return;
  }
  out("%s: %llu", label, (unsigned long long)fuel);
}

static const char *fuel_module =
    "(module (memory 1 100) (table 1 1000 funcref)"
    " (data $d \"0123456789012345678901234567890123456789\")"
    " (elem $e func $nop $nop $nop $nop $nop $nop $nop $nop $nop $nop)"
    " (func $nop)"
    " (func (export \"nop\"))"
    " (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))"
    " (func (export \"loop\") (param i32) (result i32) (local i32)"
    "   (block $done (loop $l"
    "     (br_if $done (i32.ge_u (local.get 1) (local.get 0)))"
    "     (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
    "     (br $l)))"
    "   (local.get 1))"
    " (func (export \"calls\") (call $nop) (call $nop) (call $nop))"
    " (func (export \"fill\") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))"
    " (func (export \"copy\") (param i32) (memory.copy (i32.const 100) (i32.const 0) (local.get 0)))"
    " (func (export \"init\") (param i32) (memory.init $d (i32.const 0) (i32.const 0) (local.get 0)))"
    " (func (export \"mgrow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    " (func (export \"tgrow\") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))"
    " (func (export \"tfill\") (param i32) (table.fill 0 (i32.const 0) (ref.null func) (local.get 0)))"
    " (func (export \"tcopy\") (param i32) (table.copy (i32.const 0) (i32.const 0) (local.get 0)))"
    " (func (export \"tinit\") (param i32) (table.init $e (i32.const 0) (i32.const 0) (local.get 0)))"
    " (func (export \"spin\") (loop $l (br $l))))";

/* Fuel consumed by one call of EXPORT(ARG). */
static void fuel_of(env_t *e, const wasmtime_instance_t *inst, const char *name, int nargs, int32_t arg,
                    int nresults) {
  wasmtime_error_t *err = wasmtime_context_set_fuel(e->cx, 1000000);
  if (err) {
    report_error("set_fuel", err);
    return;
  }
  wasmtime_val_t a = v_i32(arg);
  wasmtime_extern_t f = export_of(e, inst, name);
  wasmtime_val_t r;
  wasm_trap_t *trap = NULL;
  err = wasmtime_func_call(e->cx, &f.of.func, &a, (size_t)nargs, &r, (size_t)nresults, &trap);
  char l[100];
  snprintf(l, sizeof l, "%s(%d)", name, arg);
  if (err || trap) {
    report_call(l, err, trap);
    return;
  }
  uint64_t left = 0;
  report_error("get_fuel", wasmtime_context_get_fuel(e->cx, &left));
  out("%s consumed %llu", l, (unsigned long long)(1000000 - left));
}

CASE(fuel_accounting) {
  env_t e = fuel_env();
  report_fuel(&e, "initial fuel");
  report_error("set_fuel 1000000", wasmtime_context_set_fuel(e.cx, 1000000));
  wasmtime_instance_t inst;
  if (!instance_of(&e, fuel_module, &inst)) return;
  report_fuel(&e, "after instantiation");
  fuel_of(&e, &inst, "nop", 0, 0, 0);
  fuel_of(&e, &inst, "add", 1, 0, 0); /* wrong arity: an error, no fuel */
  fuel_of(&e, &inst, "calls", 0, 0, 0);
  fuel_of(&e, &inst, "loop", 1, 0, 1);
  fuel_of(&e, &inst, "loop", 1, 1, 1);
  fuel_of(&e, &inst, "loop", 1, 100, 1);
}

/* Fuel consumed by instantiating modules with and without initializers. */
CASE(fuel_instantiation) {
  const char *modules[] = {
      "(module)",
      "(module (func))",
      "(module (memory 1) (data (i32.const 0) \"abc\"))",
      "(module (memory 1) (data (i32.const 0) \"abc\") (data (i32.const 5) \"def\"))",
      "(module (table 3 funcref) (func $x) (elem (i32.const 0) func $x $x $x))",
      "(module (global i32 (i32.const 7)) (global i64 (i64.const 8)))",
      "(module (memory 1) (data \"passive\"))",
      "(module (func $init) (start $init))",
      "(module (table 1 funcref) (func $x) (elem func $x $x))",
      "(module (table 1 funcref) (func $x) (elem declare func $x))",
      "(module (table 10 funcref) (func $x) (elem (i32.const 0) funcref (ref.func $x) (ref.null func)))",
  };
  for (int i = 0; i < 11; i++) {
    env_t e = fuel_env();
    report_error("set_fuel", wasmtime_context_set_fuel(e.cx, 1000));
    wasmtime_instance_t inst;
    out("module %d:", i);
    if (instance_of(&e, modules[i], &inst)) report_fuel(&e, "  fuel after instantiation");
  }
}

CASE(fuel_bulk_accounting) {
  env_t e = fuel_env();
  report_error("set_fuel", wasmtime_context_set_fuel(e.cx, 1000000));
  wasmtime_instance_t inst;
  if (!instance_of(&e, fuel_module, &inst)) return;
  const char *names[] = {"fill", "copy", "init", "tfill", "tcopy", "tinit"};
  int32_t sizes[] = {0, 1, 10, 1000};
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 4; j++) {
      int32_t n = sizes[j];
      if ((i == 2 && n > 40) || (i >= 3 && n > 10)) continue;
      fuel_of(&e, &inst, names[i], 1, n, 0);
    }
  fuel_of(&e, &inst, "mgrow", 1, 0, 1);
  fuel_of(&e, &inst, "mgrow", 1, 1, 1);
  fuel_of(&e, &inst, "mgrow", 1, 10, 1);
  fuel_of(&e, &inst, "tgrow", 1, 0, 1);
  fuel_of(&e, &inst, "tgrow", 1, 100, 1);
}

CASE(fuel_exhaustion) {
  env_t e = fuel_env();
  wasmtime_instance_t inst;
  if (!instance_of(&e, fuel_module, &inst)) return;
  report_fuel(&e, "fuel after instantiation with none");
  call_export(&e, &inst, "nop", NULL, 0, 0);
  report_error("set_fuel 1000", wasmtime_context_set_fuel(e.cx, 1000));
  call_export(&e, &inst, "spin", NULL, 0, 0);
  report_fuel(&e, "fuel after exhaustion");
  report_error("set_fuel 5", wasmtime_context_set_fuel(e.cx, 5));
  wasmtime_val_t a = v_i32(1000);
  call_export(&e, &inst, "fill", &a, 1, 0);
  report_fuel(&e, "fuel after bulk exhaustion");
}

CASE(fuel_start_function) {
  env_t e = fuel_env();
  report_error("set_fuel 3", wasmtime_context_set_fuel(e.cx, 3));
  wasmtime_instance_t inst;
  instance_of(&e, "(module (func $spin (loop $l (br $l))) (start $spin))", &inst);
  report_fuel(&e, "fuel after");
}

CASE(fuel_huge) {
  env_t e = fuel_env();
  report_error("set_fuel UINT64_MAX", wasmtime_context_set_fuel(e.cx, UINT64_MAX));
  report_fuel(&e, "fuel");
  report_error("set_fuel 2^63", wasmtime_context_set_fuel(e.cx, 1ull << 63));
  report_fuel(&e, "fuel");
  wasmtime_instance_t inst;
  if (!instance_of(&e, fuel_module, &inst)) return;
  call_export(&e, &inst, "nop", NULL, 0, 0);
  report_fuel(&e, "fuel after nop");
}

static wasm_trap_t *nop_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                           size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return NULL;
}

static wasm_trap_t *fuel_reading_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                    size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)args, (void)nargs, (void)results, (void)nresults;
  uint64_t f = 0;
  wasmtime_context_t *cx = wasmtime_caller_context(caller);
  report_error("host get_fuel", wasmtime_context_get_fuel(cx, &f));
  out("fuel inside host: %llu", (unsigned long long)f);
  report_error("host set_fuel 2", wasmtime_context_set_fuel(cx, 2));
  return NULL;
}

CASE(fuel_host_calls) {
  env_t e = fuel_env();
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_t hf, rf;
  wasmtime_func_new(e.cx, ft, nop_cb, NULL, NULL, &hf);
  wasmtime_func_new(e.cx, ft, fuel_reading_cb, NULL, NULL, &rf);
  wasm_functype_delete(ft);
  report_error("set_fuel", wasmtime_context_set_fuel(e.cx, 100));
  wasm_trap_t *trap = NULL;
  report_call("call host directly", wasmtime_func_call(e.cx, &hf, NULL, 0, NULL, 0, &trap), trap);
  report_fuel(&e, "fuel after direct host call");
  wasmtime_module_t *m = module_of(&e, "(module (import \"h\" \"n\" (func $n)) (import \"h\" \"r\" (func $r))"
                                           " (func (export \"one\") (call $n))"
                                           " (func (export \"reader\") (call $r) (call $n) (call $n) (call $n)))");
  if (!m) return;
  wasmtime_extern_t imps[2] = {{.kind = WASMTIME_EXTERN_FUNC, .of.func = hf}, {.kind = WASMTIME_EXTERN_FUNC, .of.func = rf}};
  wasmtime_instance_t inst;
  trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, imps, 2, &inst, &trap), trap);
  report_error("set_fuel 100", wasmtime_context_set_fuel(e.cx, 100));
  call_export(&e, &inst, "one", NULL, 0, 0);
  report_fuel(&e, "fuel after wasm calling host");
  report_error("set_fuel 100", wasmtime_context_set_fuel(e.cx, 100));
  call_export(&e, &inst, "reader", NULL, 0, 0);
  report_fuel(&e, "fuel after reader");
}

/* ---- epochs ---- */

static env_t epoch_env(void) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_epoch_interruption_set(c, true);
  return env_with_config(c);
}

static const char *epoch_module =
    "(module $ep (import \"h\" \"tick\" (func $tick))"
    " (func $ticker (export \"ticks\") (param i32) (local i32)"
    "   (loop $l (call $tick)"
    "     (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
    "     (br_if $l (i32.lt_u (local.get 1) (local.get 0)))))"
    " (func (export \"f\") (result i32) i32.const 1))";

static wasm_engine_t *tick_engine;
static int ticks;
static wasm_trap_t *tick_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                            size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  ticks++;
  wasmtime_engine_increment_epoch(tick_engine);
  return NULL;
}

static bool epoch_instance(env_t *e, wasmtime_instance_t *inst) {
  tick_engine = e->engine;
  wasmtime_module_t *m = module_of(e, epoch_module);
  if (!m) return false;
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC};
  wasmtime_func_new(e->cx, ft, tick_cb, NULL, NULL, &imp.of.func);
  wasm_functype_delete(ft);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_instance_new(e->cx, m, &imp, 1, inst, &trap);
  bool ok = !err && !trap;
  report_call("instance_new", err, trap);
  return ok;
}

CASE(epoch_deadline_trap) {
  env_t e = epoch_env();
  wasmtime_context_set_epoch_deadline(e.cx, 3);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(10);
  ticks = 0;
  call_export(&e, &inst, "ticks", &a, 1, 0);
  out("ticks before interrupt: %d", ticks);
  call_export(&e, &inst, "f", NULL, 0, 1);
  wasmtime_context_set_epoch_deadline(e.cx, 100);
  ticks = 0;
  call_export(&e, &inst, "ticks", &a, 1, 0);
  out("ticks: %d", ticks);
}

CASE(epoch_not_enabled) {
  env_t e = env_new();
  wasmtime_context_set_epoch_deadline(e.cx, 1);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(10);
  ticks = 0;
  call_export(&e, &inst, "ticks", &a, 1, 0);
  out("ticks: %d", ticks);
}

static int callback_calls;
static int callback_mode;
static wasmtime_error_t *epoch_cb(wasmtime_context_t *cx, void *data, uint64_t *delta,
                                  wasmtime_update_deadline_kind_t *kind) {
  (void)cx;
  callback_calls++;
  out("callback %d, data %s", callback_calls, data ? (const char *)data : "NULL");
  switch (callback_mode) {
    case 0: /* continue twice, then fail */
      if (callback_calls >= 3) return wasmtime_error_new("enough ticks");
      *delta = 1;
      *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
      return NULL;
    case 1: /* yield (async only) */
      *delta = 1;
      *kind = WASMTIME_UPDATE_DEADLINE_YIELD;
      return NULL;
    case 2: /* an unknown kind */
      *delta = 1;
      *kind = 9;
      return NULL;
    default: /* continue with a delta of 0 */
      if (callback_calls >= 3) return wasmtime_error_new("stop");
      *delta = 0;
      *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
      return NULL;
  }
}

static int cb_finalized;
static void cb_finalizer(void *p) {
  (void)p;
  cb_finalized++;
}

static void epoch_callback_case(int mode) {
  env_t e = epoch_env();
  callback_mode = mode;
  wasmtime_store_epoch_deadline_callback(e.store, epoch_cb, "cbdata", cb_finalizer);
  wasmtime_context_set_epoch_deadline(e.cx, 1);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(20);
  ticks = 0;
  call_export(&e, &inst, "ticks", &a, 1, 0);
  out("ticks: %d, callback calls: %d", ticks, callback_calls);
  wasmtime_store_delete(e.store);
  out("callback finalizer calls: %d", cb_finalized);
}

CASE(epoch_callback_continue_then_error) { epoch_callback_case(0); }
CASE(epoch_callback_yield_sync) { epoch_callback_case(1); }
CASE(epoch_callback_bad_kind) { epoch_callback_case(2); }
CASE(epoch_callback_zero_delta) { epoch_callback_case(3); }

CASE(epoch_callback_replaced) {
  env_t e = epoch_env();
  wasmtime_store_epoch_deadline_callback(e.store, epoch_cb, "one", cb_finalizer);
  wasmtime_store_epoch_deadline_callback(e.store, epoch_cb, "two", cb_finalizer);
  out("finalizer calls after replacing: %d", cb_finalized);
  callback_mode = 0;
  wasmtime_context_set_epoch_deadline(e.cx, 1);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(5);
  call_export(&e, &inst, "ticks", &a, 1, 0);
}

CASE(epoch_callback_cleared) {
  env_t e = epoch_env();
  wasmtime_store_epoch_deadline_callback(e.store, epoch_cb, "one", cb_finalizer);
  wasmtime_store_epoch_deadline_callback(e.store, NULL, NULL, NULL);
  out("finalizer calls after clearing: %d", cb_finalized);
  wasmtime_context_set_epoch_deadline(e.cx, 1);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(5);
  call_export(&e, &inst, "ticks", &a, 1, 0);
}

CASE(epoch_fuel_together) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_epoch_interruption_set(c, true);
  wasmtime_config_consume_fuel_set(c, true);
  env_t e = env_with_config(c);
  report_error("set_fuel", wasmtime_context_set_fuel(e.cx, 100000));
  wasmtime_context_set_epoch_deadline(e.cx, 2);
  wasmtime_instance_t inst;
  if (!epoch_instance(&e, &inst)) return;
  wasmtime_val_t a = v_i32(10);
  call_export(&e, &inst, "ticks", &a, 1, 0);
}

/* ---- the store limiter ---- */

CASE(limiter_memory_growth_in_wasm) {
  env_t e = env_new();
  wasmtime_store_limiter(e.store, 2 * 65536, -1, -1, -1, -1);
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))", &inst))
    return;
  wasmtime_val_t a = v_i32(1);
  call_export(&e, &inst, "grow", &a, 1, 1);
  call_export(&e, &inst, "grow", &a, 1, 1);
  a = v_i32(0);
  call_export(&e, &inst, "grow", &a, 1, 1);
}

CASE(limiter_zero) {
  env_t e = env_new();
  wasmtime_store_limiter(e.store, 0, 0, 0, 0, 0);
  wasmtime_instance_t inst;
  instance_of(&e, "(module)", &inst);
  out("-- a module without memories or tables, instances limited to 0");
}

const parity_case_t cases_store[] = {
    {"store.data", store_data},
    {"store.null_data", store_null_data},
    {"store.outlives_engine_handle", store_outlives_engine_handle},
    {"store.delete_null", store_delete_null},
    {"fuel.not_enabled", fuel_not_enabled},
    {"fuel.accounting", fuel_accounting},
    {"fuel.instantiation", fuel_instantiation},
    {"fuel.bulk_accounting", fuel_bulk_accounting},
    {"fuel.exhaustion", fuel_exhaustion},
    {"fuel.start_function", fuel_start_function},
    {"fuel.huge", fuel_huge},
    {"fuel.host_calls", fuel_host_calls},
    {"epoch.deadline_trap", epoch_deadline_trap},
    {"epoch.not_enabled", epoch_not_enabled},
    {"epoch.callback_continue_then_error", epoch_callback_continue_then_error},
    {"epoch.callback_yield_sync", epoch_callback_yield_sync},
    {"epoch.callback_bad_kind", epoch_callback_bad_kind},
    {"epoch.callback_zero_delta", epoch_callback_zero_delta},
    {"epoch.callback_replaced", epoch_callback_replaced},
    {"epoch.callback_cleared", epoch_callback_cleared},
    {"epoch.fuel_together", epoch_fuel_together},
    {"limiter.memory_growth_in_wasm", limiter_memory_growth_in_wasm},
    {"limiter.zero", limiter_zero},
    CASES_END};
