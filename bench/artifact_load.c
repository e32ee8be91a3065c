// Loading precompiled modules versus compiling: for each module, the median time of
// wasmtime_module_new, wasmtime_module_deserialize (bytes in memory) and
// wasmtime_module_deserialize_file (a file on disk), and the speedups. Each deserialized module
// must export the same things, and when it exports `run`, return the compiled module's result.
// Usage: artifact_load [--repeat N] FILE.wasm...
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wasmtime.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *samples, int count) {
  qsort(samples, count, sizeof *samples, compare_doubles);
  return samples[count / 2];
}

static int report(const char *what, wasmtime_error_t *error) {
  wasm_name_t message = {0, NULL};
  wasmtime_error_message(error, &message);
  fprintf(stderr, "%s: %.*s\n", what, (int)message.size, message.data ? message.data : "");
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
  return 1;
}

// The result of `run` (or -1 without one), to check that a loaded module computes the same.
static long long run_once(wasm_engine_t *engine, wasmtime_module_t *module) {
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  long long value = -2;
  wasmtime_error_t *error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  if (error == NULL && trap == NULL) {
    wasmtime_extern_t run;
    value = -1;
    if (wasmtime_instance_export_get(context, &instance, "run", 3, &run) && run.kind == WASMTIME_EXTERN_FUNC) {
      wasmtime_val_t result;
      if (wasmtime_func_call(context, &run.of.func, NULL, 0, &result, 1, &trap) == NULL && trap == NULL) value = (unsigned)result.of.i32;
    }
  }
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  wasmtime_store_delete(store);
  return value;
}

static int measure(wasm_engine_t *engine, const char *path, int repeat, int execute) {
  FILE *file = fopen(path, "rb");
  if (!file) { perror(path); return 1; }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *bytes = malloc(size);
  if (!bytes || fread(bytes, 1, size, file) != (size_t)size) { fclose(file); free(bytes); return 1; }
  fclose(file);

  // The three ways of making a module are measured in turn, round after round, so that a
  // drift of the machine's speed affects them alike; each figure is the median of its rounds.
  double *compile_samples = calloc(repeat, sizeof(double)), *memory_samples = calloc(repeat, sizeof(double)),
         *file_samples = calloc(repeat, sizeof(double));
  wasmtime_module_t *module = NULL, *loaded = NULL, *from_file = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, bytes, size, &module);
  if (error) return report("compile", error);
  wasm_byte_vec_t artifact;
  double start = now();
  error = wasmtime_module_serialize(module, &artifact);
  double serialize = now() - start;
  if (error) return report("serialize", error);
  char artifact_path[] = "/tmp/swasm-bench-XXXXXX";
  int fd = mkstemp(artifact_path);
  if (fd < 0 || write(fd, artifact.data, artifact.size) != (ssize_t)artifact.size) { perror("artifact file"); return 1; }
  close(fd);
  for (int i = 0; i < repeat; i++) {
    wasmtime_module_delete(module);
    start = now();
    error = wasmtime_module_new(engine, bytes, size, &module);
    compile_samples[i] = now() - start;
    if (error) return report("compile", error);
    if (loaded) wasmtime_module_delete(loaded);
    start = now();
    error = wasmtime_module_deserialize(engine, (const uint8_t *)artifact.data, artifact.size, &loaded);
    memory_samples[i] = now() - start;
    if (error) return report("deserialize", error);
    if (from_file) wasmtime_module_delete(from_file);
    start = now();
    error = wasmtime_module_deserialize_file(engine, artifact_path, &from_file);
    file_samples[i] = now() - start;
    if (error) return report("deserialize_file", error);
  }
  unlink(artifact_path);
  double compile = median(compile_samples, repeat), deserialize = median(memory_samples, repeat),
         deserialize_file = median(file_samples, repeat);
  free(compile_samples);
  free(memory_samples);
  free(file_samples);

  int status = 0;
  if (execute) {
    long long expected = run_once(engine, module), got = run_once(engine, loaded), got_file = run_once(engine, from_file);
    if (expected != got || expected != got_file) {
      fprintf(stderr, "%s: run gives %lld compiled, %lld deserialized, %lld from file\n", path, expected, got, got_file);
      status = 1;
    }
  }
  const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  printf("| %s | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.1fx | %.1fx |\n", name, size / 1e6, artifact.size / 1e6,
         compile * 1e3, serialize * 1e3, deserialize * 1e3, deserialize_file * 1e3, compile / deserialize, compile / deserialize_file);
  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);
  wasmtime_module_delete(loaded);
  wasmtime_module_delete(from_file);
  free(bytes);
  return status;
}

int main(int argc, char **argv) {
  int repeat = 9, first = 1, execute = 1;
  for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
    if (strcmp(argv[first], "--repeat") == 0 && first + 1 < argc) repeat = atoi(argv[++first]);
    else if (strcmp(argv[first], "--no-run") == 0) execute = 0;
    else { fprintf(stderr, "usage: artifact_load [--repeat N] [--no-run] FILE.wasm...\n"); return 2; }
  }
  if (repeat < 1) repeat = 1;
  wasm_engine_t *engine = wasm_engine_new();
  printf("| module | wasm MB | artifact MB | compile ms | serialize ms | deserialize ms | deserialize_file ms | speedup | speedup (file) |\n");
  printf("|---|---|---|---|---|---|---|---|---|\n");
  int status = 0;
  for (int i = first; i < argc; i++) status |= measure(engine, argv[i], repeat, execute);
  wasm_engine_delete(engine);
  return status;
}
