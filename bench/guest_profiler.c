// The cost of the guest profiler: runs a workload's exported `run` once, either plainly, with
// epoch interruption and a thread moving the epoch on every millisecond (the callback only
// continues), or the same with the callback sampling into a guest profiler (wasmtime's CLI does
// this with --profile=guest), then writes the profile. Prints the run's time, the samples taken,
// the mean time of one wasmtime_guestprofiler_sample call, the time of finish and the profile's
// size. Built against swasm and wasmtime alike
// (bench/guest_profiler.py compares them).
// Usage: guest_profiler FILE.wasm plain|epoch|sample
#define BENCH_PROGRAM "guest_profiler"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "measure.h"

static wasm_engine_t *engine;
static wasmtime_store_t *store;
static wasmtime_guestprofiler_t *profiler;
static atomic_int ticking = 1;
static long samples;
static uint64_t last_cpu;
static double sampling_seconds; // inside wasmtime_guestprofiler_sample

static uint64_t thread_cpu_nanos(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *ticker(void *arg) {
  (void)arg;
  while (atomic_load(&ticking)) {
    usleep(1000);
    wasmtime_engine_increment_epoch(engine);
  }
  return NULL;
}

static wasmtime_error_t *on_epoch(wasmtime_context_t *context, void *data, uint64_t *delta,
                                  wasmtime_update_deadline_kind_t *kind) {
  (void)context, (void)data;
  if (profiler) {
    uint64_t cpu = thread_cpu_nanos();
    double start = now_seconds();
    wasmtime_guestprofiler_sample(profiler, store, cpu - last_cpu);
    sampling_seconds += now_seconds() - start;
    last_cpu = cpu;
    samples++;
  }
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE.wasm plain|epoch|sample\n", argv[0]);
    return 2;
  }
  (void)status_kib;
  int epoch = strcmp(argv[2], "plain") != 0, sampling = strcmp(argv[2], "sample") == 0;
  FILE *file = fopen(argv[1], "rb");
  if (!file) return perror(argv[1]), 1;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  uint8_t *bytes = malloc(size);
  if (!bytes || fread(bytes, 1, size, file) != (size_t)size) return 1;
  fclose(file);
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, epoch);
  engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, bytes, size, &module);
  if (error) fail("compile", error, NULL);
  free(bytes);
  store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  if (epoch) {
    wasmtime_store_epoch_deadline_callback(store, on_epoch, NULL, NULL);
    wasmtime_context_set_epoch_deadline(context, 1);
  }
  if (sampling) {
    wasm_name_t name = {strlen(argv[1]), argv[1]};
    wasmtime_guestprofiler_modules_t modules[1] = {{&name, module}};
    profiler = wasmtime_guestprofiler_new(engine, &name, 1000000, modules, 1);
    if (!profiler) fail("profiler", NULL, NULL);
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  if (error || trap) fail("instantiate", error, trap);
  wasmtime_extern_t run;
  if (!wasmtime_instance_export_get(context, &instance, "run", 3, &run)) fail("no run export", NULL, NULL);
  pthread_t thread;
  if (epoch) pthread_create(&thread, NULL, ticker, NULL);
  wasmtime_val_t result;
  last_cpu = thread_cpu_nanos();
  double before = now_seconds();
  error = wasmtime_func_call(context, &run.of.func, NULL, 0, &result, 1, &trap);
  double after = now_seconds();
  if (error || trap) fail("run", error, trap);
  if (epoch) {
    atomic_store(&ticking, 0);
    pthread_join(thread, NULL);
  }
  double finish = 0;
  size_t profile_bytes = 0;
  if (sampling) {
    wasm_byte_vec_t out;
    double start = now_seconds();
    error = wasmtime_guestprofiler_finish(profiler, &out);
    finish = now_seconds() - start;
    if (error) fail("finish", error, NULL);
    profile_bytes = out.size;
    wasm_byte_vec_delete(&out);
  }
  printf("seconds %.6f samples %ld sample_us %.3f finish_ms %.3f profile_bytes %zu\n", after - before, samples,
         samples ? sampling_seconds * 1e6 / samples : 0.0, finish * 1e3, profile_bytes);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
