// One engine and one compiled module shared by several threads, each with its own store, running
// at the same time; clones of the engine and module are created and dropped concurrently.
// Usage: test_threads DATA_DIR
#include <pthread.h>
#include <stdlib.h>
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"
#include "read_file.h"

enum { THREADS = 4, ROUNDS = 200 };

static wasm_engine_t *engine;
static wasmtime_module_t *module;
static int failures[THREADS];

static void *worker(void *argument) {
  int index = (int)(intptr_t)argument;
  for (int round = 0; round < ROUNDS; round++) {
    wasmtime_module_t *clone = wasmtime_module_clone(module);
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_instance_new(context, clone, NULL, 0, &instance, &trap);
    wasmtime_extern_t fac;
    if (error || trap || !wasmtime_instance_export_get(context, &instance, "fac", 3, &fac)) {
      failures[index]++;
    } else {
      wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = 15 + round % 5};
      wasmtime_val_t result;
      error = wasmtime_func_call(context, &fac.of.func, &argument, 1, &result, 1, &trap);
      int64_t expected = 1;
      for (int64_t n = 2; n <= argument.of.i64; n++) expected *= n;
      if (error || trap || result.of.i64 != expected) failures[index]++;
    }
    wasmtime_error_delete(error);
    if (trap) wasm_trap_delete(trap);
    wasmtime_store_delete(store);
    wasmtime_module_delete(clone);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  wasm_byte_vec_t bytes;
  if (!read_file_in(argv[1], "compute.wasm", &bytes)) return 1;
  engine = wasm_engine_new();
  CHECK(wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module) == NULL);
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  for (int i = 0; i < THREADS; i++) CHECK(failures[i] == 0);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&bytes);
  return check_report("test_threads");
}
