// Cost of crossing the C boundary, in nanoseconds per call: host -> WebAssembly through
// wasmtime_func_call (checked values) and wasmtime_func_call_unchecked (raw values) of a
// function that returns its argument, and WebAssembly -> host through a loop in WebAssembly
// that calls a host function (checked and raw-value callbacks). Builds against swasm's include/
// and runs on any library with wasmtime's C API (bench/host_calls.py runs swasm and wasmtime).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

static const char *wat =
    "(module\n"
    "  (import \"host\" \"f\" (func $f (param i32) (result i32)))\n"
    "  (import \"host\" \"g\" (func $g (param i32) (result i32)))\n"
    "  (func (export \"identity\") (param i32) (result i32) local.get 0)\n"
    "  (func (export \"call_host\") (param $n i32) (result i32) (local $sum i32)\n"
    "    (block $done (loop $again\n"
    "      (br_if $done (i32.eqz (local.get $n)))\n"
    "      (local.set $sum (i32.add (local.get $sum) (call $f (local.get $n))))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br $again)))\n"
    "    local.get $sum)\n"
    "  (func (export \"call_host_raw\") (param $n i32) (result i32) (local $sum i32)\n"
    "    (block $done (loop $again\n"
    "      (br_if $done (i32.eqz (local.get $n)))\n"
    "      (local.set $sum (i32.add (local.get $sum) (call $g (local.get $n))))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br $again)))\n"
    "    local.get $sum))\n";

static wasm_trap_t *plus_one(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                             wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 + 1;
  return NULL;
}

static wasm_trap_t *plus_one_raw(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *values, size_t count) {
  (void)env, (void)caller, (void)count;
  values[0].i32 = values[0].i32 + 1;
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  fprintf(stderr, "host_calls: %s failed\n", what);
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  exit(1);
}

static wasmtime_func_t export_func(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &item) || item.kind != WASMTIME_EXTERN_FUNC)
    fail(name, NULL, NULL);
  return item.of.func;
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? atol(argv[1]) : 2000000;
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &binary);
  if (error) fail("wat2wasm", error, NULL);
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  if (error) fail("module_new", error, NULL);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  wasm_valtype_vec_t params, results;
  wasm_valtype_t *p = wasm_valtype_new(WASM_I32), *r = wasm_valtype_new(WASM_I32);
  wasm_valtype_vec_new(&params, 1, &p);
  wasm_valtype_vec_new(&results, 1, &r);
  wasm_functype_t *type = wasm_functype_new(&params, &results);
  if ((error = wasmtime_linker_define_func(linker, "host", 4, "f", 1, type, plus_one, NULL, NULL))) fail("define f", error, NULL);
  if ((error = wasmtime_linker_define_func_unchecked(linker, "host", 4, "g", 1, type, plus_one_raw, NULL, NULL))) fail("define g", error, NULL);
  wasm_functype_delete(type);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if ((error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap)) || trap) fail("instantiate", error, trap);
  wasmtime_func_t identity = export_func(context, &instance, "identity");
  wasmtime_func_t call_host = export_func(context, &instance, "call_host");
  wasmtime_func_t call_host_raw = export_func(context, &instance, "call_host_raw");

  // Best of five rounds each, in ns per call.
  double best[4] = {1e9, 1e9, 1e9, 1e9};
  for (int round = 0; round < 5; round++) {
    wasmtime_val_t arg = {.kind = WASMTIME_I32, .of.i32 = 7}, res;
    double start = now();
    for (long i = 0; i < iterations; i++)
      if ((error = wasmtime_func_call(context, &identity, &arg, 1, &res, 1, &trap)) || trap) fail("call", error, trap);
    double t = (now() - start) * 1e9 / iterations;
    if (t < best[0]) best[0] = t;

    wasmtime_val_raw_t raw[1];
    start = now();
    for (long i = 0; i < iterations; i++) {
      raw[0].i32 = 7;
      if ((error = wasmtime_func_call_unchecked(context, &identity, raw, 1, &trap)) || trap) fail("call_unchecked", error, trap);
    }
    t = (now() - start) * 1e9 / iterations;
    if (t < best[1]) best[1] = t;

    arg.of.i32 = (int32_t)iterations;
    start = now();
    if ((error = wasmtime_func_call(context, &call_host, &arg, 1, &res, 1, &trap)) || trap) fail("call_host", error, trap);
    t = (now() - start) * 1e9 / iterations;
    if (t < best[2]) best[2] = t;

    start = now();
    if ((error = wasmtime_func_call(context, &call_host_raw, &arg, 1, &res, 1, &trap)) || trap) fail("call_host_raw", error, trap);
    t = (now() - start) * 1e9 / iterations;
    if (t < best[3]) best[3] = t;
  }
  printf("host_to_wasm_checked_ns %.1f\nhost_to_wasm_raw_ns %.1f\nwasm_to_host_checked_ns %.1f\nwasm_to_host_raw_ns %.1f\n",
         best[0], best[1], best[2], best[3]);
  wasmtime_linker_delete(linker);
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
