// Cost of WASI calls from WebAssembly, in nanoseconds per call: a loop in WebAssembly calling
// `clock_time_get` (monotonic), and `fd_write` of 8 bytes to stdout sent to a custom callback
// (swasm) or discarded, so that only the call path is measured. Runs on any library with
// wasmtime's C API (build against swasm's include/; see bench/host_calls.c).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi.h>
#include <wasmtime.h>

static const char *wat =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"clock_time_get\" (func $clock (param i32 i64 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $write (param i32 i32 i32 i32) (result i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 16) \"12345678\")\n"
    "  (data (i32.const 32) \"\\10\\00\\00\\00\\08\\00\\00\\00\")\n"
    "  (func (export \"clocks\") (param $n i32)\n"
    "    (loop $again (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 64)))\n"
    "      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func (export \"writes\") (param $n i32)\n"
    "    (loop $again (drop (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 64)))\n"
    "      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))\n";

static ptrdiff_t sink(void *data, const unsigned char *bytes, size_t len) {
  (void)data, (void)bytes;
  return (ptrdiff_t)len;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void check(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  if (!error && !trap) return;
  fprintf(stderr, "wasi_calls: %s failed\n", what);
  exit(1);
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 2000000;
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_byte_vec_t binary;
  check("wat2wasm", wasmtime_wat2wasm(wat, strlen(wat), &binary), NULL);
  wasmtime_module_t *module;
  check("module_new", wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module), NULL);
  wasm_byte_vec_delete(&binary);
  wasi_config_t *config = wasi_config_new();
  wasi_config_set_stdout_custom(config, sink, NULL, NULL);
  check("set_wasi", wasmtime_context_set_wasi(context, config), NULL);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  check("define_wasi", wasmtime_linker_define_wasi(linker), NULL);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  check("instantiate", wasmtime_linker_instantiate(linker, context, module, &instance, &trap), trap);
  const char *names[2] = {"clocks", "writes"};
  double best[2] = {1e9, 1e9};
  for (int round = 0; round < 5; round++) {
    for (int k = 0; k < 2; k++) {
      wasmtime_extern_t item;
      wasmtime_instance_export_get(context, &instance, names[k], strlen(names[k]), &item);
      wasmtime_val_t arg = {.kind = WASMTIME_I32, .of.i32 = iterations};
      double start = now();
      check(names[k], wasmtime_func_call(context, &item.of.func, &arg, 1, NULL, 0, &trap), trap);
      double t = (now() - start) * 1e9 / iterations;
      if (t < best[k]) best[k] = t;
    }
  }
  printf("clock_time_get_ns %.1f\nfd_write_ns %.1f\n", best[0], best[1]);
  wasmtime_linker_delete(linker);
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
