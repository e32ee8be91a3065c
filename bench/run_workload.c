// Runs benchmark workloads through libswasm's public API: compiles each module, instantiates it,
// calls its exported `run` once, and prints the time of the call alone and the checksum.
// Usage: run_workload FILE.wasm...
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <swasm.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int fail(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  wasm_name_t message = {0, NULL};
  if (error) wasmtime_error_message(error, &message);
  else if (trap) wasm_trap_message(trap, &message);
  fprintf(stderr, "%s: %.*s\n", what, (int)message.size, message.data ? message.data : "");
  wasm_byte_vec_delete(&message);
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  return 1;
}

static int run_file(wasm_engine_t *engine, const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) { perror(path); return 1; }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *bytes = malloc(size);
  if (!bytes || fread(bytes, 1, size, file) != (size_t)size) { fclose(file); free(bytes); return 1; }
  fclose(file);

  double start = now();
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, bytes, size, &module);
  double compiled = now();
  free(bytes);
  if (error) return fail("compile", error, NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  if (error || trap) return fail("instantiate", error, trap);
  wasmtime_extern_t run;
  int status = 0;
  if (!wasmtime_instance_export_get(context, &instance, "run", 3, &run) || run.kind != WASMTIME_EXTERN_FUNC) {
    fprintf(stderr, "%s: no exported function `run`\n", path);
    status = 1;
  } else {
    wasmtime_val_t result;
    double before = now();
    error = wasmtime_func_call(context, &run.of.func, NULL, 0, &result, 1, &trap);
    double after = now();
    if (error || trap) status = fail("run", error, trap);
    else printf("%-40s run %.3f s  compile %.4f s  checksum %u\n", path, after - before, compiled - start, (unsigned)result.of.i32);
    // What the GC heap cost, for workloads that allocate objects.
    swasm_gc_statistics_t gc;
    if (status == 0 && swasm_context_gc_statistics(context, &gc) && gc.collections > 0)
      printf("%-40s gc %llu collections, longest pause %.3f ms, total %.3f ms, heap after %.1f KiB\n", path,
             (unsigned long long)gc.collections, gc.longest_pause_ns / 1e6, gc.total_pause_ns / 1e6, gc.heap_bytes / 1024.0);
  }
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  return status;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  int status = 0;
  for (int i = 1; i < argc; i++) status |= run_file(engine, argv[i]);
  wasm_engine_delete(engine);
  return status;
}
