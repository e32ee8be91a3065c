// Runs benchmark workloads through libswasm's public API: compiles each module, instantiates it,
// calls its exported `run` once, and prints the time of the call alone (wall clock and the
// calling thread's CPU time) and the checksum.
// Usage: run_workload [--fuel N] [--epoch] FILE.wasm...
//   --fuel N   meter fuel, the store starting with N units (the call must not run out)
//   --epoch    check epoch deadlines, the deadline set out of reach (nothing increments the epoch)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <swasm.h>

static double clock_seconds(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double thread_cpu(void) { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

static unsigned long long fuel;  // 0: not metered
static int epoch;

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
  if (fuel && (error = wasmtime_context_set_fuel(context, fuel))) return fail("fuel", error, NULL);
  if (epoch) wasmtime_context_set_epoch_deadline(context, UINT64_MAX / 2);
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
    double before = now(), cpu_before = thread_cpu();
    error = wasmtime_func_call(context, &run.of.func, NULL, 0, &result, 1, &trap);
    double cpu_after = thread_cpu(), after = now();
    if (error || trap) status = fail("run", error, trap);
    else printf("%-40s run %.4f s  cpu %.4f s  compile %.4f s  checksum %u\n", path, after - before, cpu_after - cpu_before,
                compiled - start, (unsigned)result.of.i32);
    // Proof that metering was on: the fuel the call consumed.
    uint64_t left = 0;
    if (status == 0 && fuel && !(error = wasmtime_context_get_fuel(context, &left)))
      printf("%-40s fuel consumed %llu\n", path, fuel - (unsigned long long)left);
    else if (status == 0 && fuel) status = fail("fuel", error, NULL);
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
  int first = 1;
  for (; first < argc && argv[first][0] == '-'; first++) {
    if (strcmp(argv[first], "--epoch") == 0) epoch = 1;
    else if (strcmp(argv[first], "--fuel") == 0 && first + 1 < argc && (fuel = strtoull(argv[first + 1], NULL, 10)) > 0) first++;
    else {
      fprintf(stderr, "usage: run_workload [--fuel N] [--epoch] FILE.wasm...\n");
      return 2;
    }
  }
  wasm_config_t *config = wasm_config_new();
  if (!config) return fail("config", NULL, NULL);
  wasmtime_config_consume_fuel_set(config, fuel > 0);
  wasmtime_config_epoch_interruption_set(config, epoch);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) return fail("engine", NULL, NULL);
  int status = 0;
  for (int i = first; i < argc; i++) status |= run_file(engine, argv[i]);
  wasm_engine_delete(engine);
  return status;
}
