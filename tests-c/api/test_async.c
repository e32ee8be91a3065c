// Async calls (wasmtime/async.h) with the same expectations on libswasm.so and on wasmtime 50.0.1's
// C library (ctests async_capi and async_capi_wasmtime): calls that yield on fuel intervals and
// on epoch deadlines and resume where they stopped, fuel that runs out for good, traps and errors
// through the future's out-parameters, many futures of many stores polled in turn. Misuse that
// wasmtime leaves undefined (another call while a future is pending, a collection between polls)
// is checked on swasm only (`on_swasm()`, docs/wasmtime-differences.md).
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"

#pragma weak swasm_error_is_oom

static bool on_swasm(void) { return swasm_error_is_oom != NULL; }

// "sum" adds 1..n in a loop; "spin" never ends; "boom" traps; "boxed" keeps a GC object in a local
// across the loop and reads it at the end.
static const char module_text[] =
    "(module (type $box (struct (field i64)))"
    " (func (export \"sum\") (param $n i64) (result i64) (local $s i64)"
    "  (block $done (loop $l (br_if $done (i64.eqz (local.get $n)))"
    "   (local.set $s (i64.add (local.get $s) (local.get $n)))"
    "   (local.set $n (i64.sub (local.get $n) (i64.const 1))) (br $l)))"
    "  (local.get $s))"
    " (func (export \"spin\") (loop $l (br $l)))"
    " (func (export \"boom\") (result i32) (unreachable))"
    " (func (export \"boxed\") (param $n i64) (result i64) (local $b (ref null $box)) (local $s i64)"
    "  (local.set $b (struct.new $box (i64.const 1000)))"
    "  (block $done (loop $l (br_if $done (i64.eqz (local.get $n)))"
    "   (drop (struct.new $box (local.get $n)))"
    "   (local.set $s (i64.add (local.get $s) (local.get $n)))"
    "   (local.set $n (i64.sub (local.get $n) (i64.const 1))) (br $l)))"
    "  (i64.add (local.get $s) (struct.get $box 0 (local.get $b)))))";

typedef struct {
  wasm_engine_t *engine;
  wasmtime_module_t *module;
} runtime;

static runtime make_runtime(bool fuel, bool epochs) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, fuel);
  wasmtime_config_epoch_interruption_set(config, epochs);
  wasmtime_config_async_stack_size_set(config, 1 << 20);
  runtime r = {wasm_engine_new_with_config(config), NULL};
  wasm_byte_vec_t wasm;
  CHECK(!check_error(wasmtime_wat2wasm(module_text, strlen(module_text), &wasm), NULL));
  CHECK(!check_error(wasmtime_module_new(r.engine, (const uint8_t *)wasm.data, wasm.size, &r.module), NULL));
  wasm_byte_vec_delete(&wasm);
  return r;
}

static void drop_runtime(runtime r) {
  if (r.module) wasmtime_module_delete(r.module);
  wasm_engine_delete(r.engine);
}

static wasmtime_func_t export_of(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name) {
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  CHECK(wasmtime_instance_export_get(context, instance, name, strlen(name), &item) && item.kind == WASMTIME_EXTERN_FUNC);
  return item.of.func;
}

static bool instantiate(wasmtime_context_t *context, wasmtime_module_t *module, wasmtime_instance_t *instance) {
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(context, module, NULL, 0, instance, &trap);
  if (error) {
    wasm_message_t message;
    wasmtime_error_message(error, &message);
    fprintf(stderr, "instantiation failed: %.*s\n", (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
  }
  bool ok = !check_error(error, NULL) && trap == NULL;
  if (trap) wasm_trap_delete(trap);
  return ok;
}

// Whether a synchronous instantiation succeeds, its error expected to say that async is required.
static bool instantiate_quietly(wasmtime_context_t *context, wasmtime_module_t *module, wasmtime_instance_t *instance) {
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(context, module, NULL, 0, instance, &trap);
  if (trap) wasm_trap_delete(trap);
  return !check_error(error, "`*_async` functions are used instead");
}

// A future that ended in a trap with `expected` code (and no error); deletes the trap.
static void expect_trap(wasmtime_error_t *error, wasm_trap_t *trap, wasmtime_trap_code_t expected) {
  CHECK(error == NULL && trap != NULL);
  if (!trap) return;
  wasmtime_trap_code_t code;
  CHECK(wasmtime_trap_code(trap, &code) && code == expected);
  wasm_trap_delete(trap);
}

// Polls until done; the number of polls that returned false (yields).
static int drive(wasmtime_call_future_t *future) {
  int pending = 0;
  while (!wasmtime_call_future_poll(future)) pending++;
  return pending;
}

// Fuel in intervals: the call yields about once per interval and gives the synchronous call's
// result and fuel.
static void test_fuel_yields(void) {
  runtime r = make_runtime(true, false);
  wasmtime_store_t *store = wasmtime_store_new(r.engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  CHECK(!check_error(wasmtime_context_set_fuel(context, 100000000), NULL));
  wasmtime_instance_t instance;
  CHECK(instantiate(context, r.module, &instance));
  wasmtime_func_t sum = export_of(context, &instance, "sum");
  wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = 100000}, result;
  // Synchronously first, for the fuel it takes.
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_func_call(context, &sum, &arg, 1, &result, 1, &trap), NULL) && trap == NULL);
  uint64_t after_sync = 0;
  CHECK(!check_error(wasmtime_context_get_fuel(context, &after_sync), NULL));
  uint64_t used = 100000000 - after_sync;
  CHECK(result.kind == WASMTIME_I64 && result.of.i64 == 5000050000LL);

  CHECK(!check_error(wasmtime_context_set_fuel(context, 100000000), NULL));
  CHECK(!check_error(wasmtime_context_fuel_async_yield_interval(context, 10000), NULL));
  memset(&result, 0, sizeof result);
  CHECK(check_error(wasmtime_func_call(context, &sum, &arg, 1, &result, 1, &trap), "`*_async` functions are used instead"));
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future = wasmtime_func_call_async(context, &sum, &arg, 1, &result, 1, &trap, &error);
  CHECK(future != NULL);
  int yields = drive(future);
  CHECK(error == NULL && trap == NULL);
  CHECK(result.kind == WASMTIME_I64 && result.of.i64 == 5000050000LL);
  uint64_t after_async = 0;
  CHECK(!check_error(wasmtime_context_get_fuel(context, &after_async), NULL));
  CHECK(after_async == after_sync);
  // One yield per interval spent, give or take the interval in progress.
  CHECK(yields >= (int)(used / 10000) - 1 && yields <= (int)(used / 10000) + 1);
  if (getenv("SWASM_TEST_VERBOSE")) printf("fuel: %llu used, %d yields\n", (unsigned long long)used, yields);
  wasmtime_call_future_delete(future);

  // Fuel that runs out for good traps, through the future.
  CHECK(!check_error(wasmtime_context_set_fuel(context, 50000), NULL));
  wasmtime_func_t spin = export_of(context, &instance, "spin");
  future = wasmtime_func_call_async(context, &spin, NULL, 0, NULL, 0, &trap, &error);
  yields = drive(future);
  CHECK(yields >= 4 && yields <= 6);
  expect_trap(error, trap, WASMTIME_TRAP_CODE_OUT_OF_FUEL);
  wasmtime_call_future_delete(future);

  // A trap and an argument error come back through the future too.
  wasmtime_func_t boom = export_of(context, &instance, "boom");
  CHECK(!check_error(wasmtime_context_set_fuel(context, 100000), NULL));
  future = wasmtime_func_call_async(context, &boom, NULL, 0, &result, 1, &trap, &error);
  drive(future);
  expect_trap(error, trap, WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED);
  wasmtime_call_future_delete(future);
  trap = NULL;
  error = NULL;
  future = wasmtime_func_call_async(context, &sum, NULL, 0, &result, 1, &trap, &error);
  if (future) {
    drive(future);
    wasmtime_call_future_delete(future);
  }
  if (getenv("SWASM_TEST_VERBOSE")) printf("arity: future %p error %p trap %p\n", (void *)future, (void *)error, (void *)trap);
  CHECK(error != NULL && trap == NULL);
  if (error) wasmtime_error_delete(error);

  wasmtime_store_delete(store);
  drop_runtime(r);
}

// Epoch deadlines: the call yields at each deadline, and on resuming the deadline is one tick
// beyond the epoch then; a host function the loop calls advances the epoch, so every iteration
// yields once.
static wasm_trap_t *tick(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                         wasmtime_val_t *results, size_t nresults) {
  (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  wasmtime_engine_increment_epoch((wasm_engine_t *)env);
  return NULL;
}

static void test_epoch_yields(void) {
  runtime r = make_runtime(false, true);
  static const char text[] =
      "(module (import \"host\" \"tick\" (func $tick))"
      " (func (export \"ticking\") (param $n i32) (result i32) (local $i i32)"
      "  (loop $l (call $tick) (local.set $i (i32.add (local.get $i) (i32.const 1)))"
      "   (br_if $l (i32.lt_u (local.get $i) (local.get $n))))"
      "  (local.get $i)))";
  wasm_byte_vec_t wasm;
  CHECK(!check_error(wasmtime_wat2wasm(text, strlen(text), &wasm), NULL));
  wasmtime_module_t *module = NULL;
  CHECK(!check_error(wasmtime_module_new(r.engine, (const uint8_t *)wasm.data, wasm.size, &module), NULL));
  wasm_byte_vec_delete(&wasm);
  wasmtime_store_t *store = wasmtime_store_new(r.engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_linker_t *linker = wasmtime_linker_new(r.engine);
  wasm_functype_t *type = wasm_functype_new_0_0();
  CHECK(!check_error(wasmtime_linker_define_func(linker, "host", 4, "tick", 4, type, tick, r.engine, NULL), NULL));
  wasm_functype_delete(type);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_linker_instantiate(linker, context, module, &instance, &trap), NULL) && trap == NULL);
  wasmtime_func_t ticking = export_of(context, &instance, "ticking");
  // wasmtime 50's implementation returns nothing although its header declares an error.
  (void)wasmtime_context_epoch_deadline_async_yield_and_update(context, 1);
  wasmtime_context_set_epoch_deadline(context, 1);
  wasmtime_val_t arg = {.kind = WASMTIME_I32, .of.i32 = 50}, result;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future = wasmtime_func_call_async(context, &ticking, &arg, 1, &result, 1, &trap, &error);
  int yields = drive(future);
  CHECK(error == NULL && trap == NULL);
  CHECK(result.kind == WASMTIME_I32 && result.of.i32 == 50);
  if (getenv("SWASM_TEST_VERBOSE")) printf("epoch: %d yields\n", yields);
  CHECK(yields >= 49 && yields <= 50);
  wasmtime_call_future_delete(future);

  // A synchronous call that reaches such a deadline fails (wasmtime crashes: swasm only).
  if (on_swasm()) {
    error = wasmtime_func_call(context, &ticking, &arg, 1, &result, 1, &trap);
    CHECK(error != NULL || trap != NULL);
    if (error) CHECK(check_error(error, "async"));
    if (trap) wasm_trap_delete(trap);
  }
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  drop_runtime(r);
}

// Many stores, one future each, polled in turn until all finish.
static void test_round_robin(void) {
  enum { STORES = 200 };
  runtime r = make_runtime(true, false);
  wasmtime_linker_t *linker = wasmtime_linker_new(r.engine);
  wasmtime_store_t *stores[STORES];
  wasmtime_call_future_t *futures[STORES];
  wasmtime_func_t functions[STORES];
  wasmtime_val_t args[STORES], results[STORES];
  wasm_trap_t *traps[STORES];
  wasmtime_error_t *errors[STORES];
  for (int i = 0; i < STORES; i++) {
    stores[i] = wasmtime_store_new(r.engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(stores[i]);
    CHECK(!check_error(wasmtime_context_set_fuel(context, UINT64_MAX / 2), NULL));
    CHECK(!check_error(wasmtime_context_fuel_async_yield_interval(context, 1000), NULL));
    // With fuel in intervals, instantiation must be async too.
    wasmtime_instance_t instance;
    CHECK(!instantiate_quietly(context, r.module, &instance));
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    wasmtime_call_future_t *instantiation = wasmtime_linker_instantiate_async(linker, context, r.module, &instance, &trap, &error);
    CHECK(instantiation != NULL);
    drive(instantiation);
    wasmtime_call_future_delete(instantiation);
    CHECK(error == NULL && trap == NULL);
    // Everything a future was given must stay in place until it is deleted (wasmtime reads it
    // when first polled).
    functions[i] = export_of(context, &instance, "sum");
    args[i].kind = WASMTIME_I64;
    args[i].of.i64 = 1000 + i;
    traps[i] = NULL;
    errors[i] = NULL;
    futures[i] = wasmtime_func_call_async(context, &functions[i], &args[i], 1, &results[i], 1, &traps[i], &errors[i]);
    CHECK(futures[i] != NULL);
  }
  int remaining = STORES, rounds = 0;
  while (remaining > 0) {
    rounds++;
    for (int i = 0; i < STORES; i++) {
      if (futures[i] && wasmtime_call_future_poll(futures[i])) {
        CHECK(errors[i] == NULL && traps[i] == NULL);
        int64_t n = 1000 + i;
        CHECK(results[i].kind == WASMTIME_I64 && results[i].of.i64 == n * (n + 1) / 2);
        wasmtime_call_future_delete(futures[i]);
        futures[i] = NULL;
        remaining--;
      }
    }
  }
  CHECK(rounds > 3);
  for (int i = 0; i < STORES; i++) wasmtime_store_delete(stores[i]);
  wasmtime_linker_delete(linker);
  drop_runtime(r);
}

// swasm only: a pending future refuses other calls into its store; deleting it leaves the store
// usable; a collection between polls keeps what the suspended frames hold.
static void test_pending_future(void) {
  if (!on_swasm()) return;
  runtime r = make_runtime(true, false);
  wasmtime_store_t *store = wasmtime_store_new(r.engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  CHECK(!check_error(wasmtime_context_set_fuel(context, 100000000), NULL));
  wasmtime_instance_t instance;
  CHECK(instantiate(context, r.module, &instance));
  CHECK(!check_error(wasmtime_context_fuel_async_yield_interval(context, 500), NULL));
  wasmtime_func_t sum = export_of(context, &instance, "sum");
  wasmtime_func_t boxed = export_of(context, &instance, "boxed");
  wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = 100000}, result;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future = wasmtime_func_call_async(context, &sum, &arg, 1, &result, 1, &trap, &error);
  CHECK(!wasmtime_call_future_poll(future));
  wasmtime_val_t small = {.kind = WASMTIME_I64, .of.i64 = 10}, other;
  wasm_trap_t *sync_trap = NULL;
  CHECK(check_error(wasmtime_func_call(context, &sum, &small, 1, &other, 1, &sync_trap), "async call pending"));
  wasmtime_call_future_delete(future); // abandoned while pending
  future = wasmtime_func_call_async(context, &sum, &small, 1, &other, 1, &trap, &error);
  drive(future);
  wasmtime_call_future_delete(future);
  CHECK(error == NULL && trap == NULL && other.kind == WASMTIME_I64 && other.of.i64 == 55);

  // A collection between polls: the object in the suspended frame's local survives.
  arg.of.i64 = 20000;
  future = wasmtime_func_call_async(context, &boxed, &arg, 1, &result, 1, &trap, &error);
  int yields = 0;
  while (!wasmtime_call_future_poll(future)) {
    yields++;
    CHECK(!check_error(wasmtime_context_gc(context), NULL));
  }
  CHECK(yields > 10 && error == NULL && trap == NULL);
  CHECK(result.kind == WASMTIME_I64 && result.of.i64 == 200010000LL + 1000);
  wasmtime_call_future_delete(future);

  // A future that outlives its store finishes with an error and touches nothing.
  wasmtime_store_t *doomed = wasmtime_store_new(r.engine, NULL, NULL);
  wasmtime_context_t *doomed_context = wasmtime_store_context(doomed);
  CHECK(!check_error(wasmtime_context_set_fuel(doomed_context, 100000000), NULL));
  wasmtime_instance_t doomed_instance;
  CHECK(instantiate(doomed_context, r.module, &doomed_instance));
  CHECK(!check_error(wasmtime_context_fuel_async_yield_interval(doomed_context, 500), NULL));
  wasmtime_func_t doomed_sum = export_of(doomed_context, &doomed_instance, "sum");
  arg.of.i64 = 100000;
  wasmtime_call_future_t *pending = wasmtime_func_call_async(doomed_context, &doomed_sum, &arg, 1, &result, 1, &trap, &error);
  wasmtime_call_future_t *unpolled = wasmtime_func_call_async(doomed_context, &doomed_sum, &arg, 1, &other, 1, &sync_trap, &error);
  CHECK(!wasmtime_call_future_poll(pending));
  wasmtime_store_delete(doomed);
  CHECK(wasmtime_call_future_poll(pending));
  CHECK(check_error(error, "store of this async call was deleted"));
  error = NULL;
  wasmtime_call_future_delete(pending);
  wasmtime_call_future_delete(unpolled);

  // NULL and deleted futures are ignored.
  CHECK(wasmtime_call_future_poll(NULL));
  wasmtime_call_future_delete(NULL);
  CHECK(wasmtime_call_future_poll(future)); // deleted above: not a live future
  wasmtime_store_delete(store);
  drop_runtime(r);
}

int main(void) {
  const bool verbose = getenv("SWASM_TEST_VERBOSE") != NULL;
  test_fuel_yields();
  if (verbose) printf("fuel yields done\n");
  test_epoch_yields();
  if (verbose) printf("epoch yields done\n");
  test_round_robin();
  if (verbose) printf("round robin done\n");
  test_pending_future();
  return check_report("async");
}
