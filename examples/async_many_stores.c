// One thread serving many tenants: each gets its own store, instance and async call of a loop
// that runs on fuel in intervals, so every call yields back here after each interval; the loop
// below polls the futures in turn until all have finished, and reports the time per yield and
// the memory it took. Builds unchanged against wasmtime's C API.
//
//     async_many_stores [STORES] [ITERATIONS] [INTERVAL]      (defaults: 10000 2000 1000)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <wasmtime.h>

static const char guest[] =
    "(module (func (export \"count\") (param $n i64) (result i64) (local $s i64)"
    "  (block $done (loop $l (br_if $done (i64.eqz (local.get $n)))"
    "   (local.set $s (i64.add (local.get $s) (local.get $n)))"
    "   (local.set $n (i64.sub (local.get $n) (i64.const 1))) (br $l)))"
    "  (local.get $s)))";

typedef struct {
  wasmtime_store_t *store;
  wasmtime_func_t function;
  wasmtime_val_t argument, result;
  wasm_trap_t *trap;
  wasmtime_error_t *error;
  wasmtime_call_future_t *future;
} tenant;

static int fail(const char *what, wasmtime_error_t *error) {
  wasm_name_t message = {0, NULL};
  if (error) wasmtime_error_message(error, &message);
  fprintf(stderr, "async_many_stores: %s: %.*s\n", what, (int)message.size, message.data ? message.data : "");
  if (error) {
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
  }
  return 1;
}

static double seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 10000;
  long iterations = argc > 2 ? atol(argv[2]) : 2000;
  unsigned long long interval = argc > 3 ? strtoull(argv[3], NULL, 10) : 1000;
  if (count <= 0 || iterations <= 0 || interval == 0) return fail("usage: [STORES] [ITERATIONS] [INTERVAL]", NULL);

  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm(guest, strlen(guest), &wasm);
  if (error) return fail("wat2wasm", error);
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error) return fail("compile", error);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);

  double start = seconds();
  tenant *tenants = calloc((size_t)count, sizeof *tenants);
  if (!tenants) return fail("out of memory", NULL);
  for (int i = 0; i < count; i++) {
    tenant *t = &tenants[i];
    t->store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(t->store);
    if ((error = wasmtime_context_set_fuel(context, UINT64_MAX / 2)) != NULL) return fail("set fuel", error);
    if ((error = wasmtime_context_fuel_async_yield_interval(context, interval)) != NULL) return fail("yield interval", error);
    wasmtime_instance_t instance;
    wasmtime_call_future_t *instantiation = wasmtime_linker_instantiate_async(linker, context, module, &instance, &t->trap, &t->error);
    if (!instantiation) return fail("instantiate", t->error);
    while (!wasmtime_call_future_poll(instantiation)) {
    }
    wasmtime_call_future_delete(instantiation);
    if (t->error || t->trap) return fail("instantiate", t->error);
    wasmtime_extern_t item;
    if (!wasmtime_instance_export_get(context, &instance, "count", 5, &item)) return fail("no export", NULL);
    t->function = item.of.func;
    t->argument.kind = WASMTIME_I64;
    t->argument.of.i64 = iterations + i % 7;
    t->future = wasmtime_func_call_async(context, &t->function, &t->argument, 1, &t->result, 1, &t->trap, &t->error);
    if (!t->future) return fail("call", t->error);
  }
  double started = seconds();

  long long yields = 0;
  int remaining = count;
  while (remaining > 0) {
    for (int i = 0; i < count; i++) {
      tenant *t = &tenants[i];
      if (!t->future) continue;
      if (!wasmtime_call_future_poll(t->future)) {
        yields++;
        continue;
      }
      wasmtime_call_future_delete(t->future);
      t->future = NULL;
      remaining--;
      long long n = iterations + i % 7;
      if (t->error || t->trap || t->result.kind != WASMTIME_I64 || t->result.of.i64 != n * (n + 1) / 2)
        return fail("wrong result", t->error);
    }
  }
  double finished = seconds();

  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("async_many_stores: %d stores, %lld yields, setup %.3f s, run %.3f s, %.0f ns per yield, peak RSS %.1f MiB\n",
         count, yields, started - start, finished - started, yields ? (finished - started) * 1e9 / (double)yields : 0.0,
         (double)usage.ru_maxrss / 1024.0);
  for (int i = 0; i < count; i++) wasmtime_store_delete(tenants[i].store);
  free(tenants);
  wasmtime_linker_delete(linker);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
