// Growth of a linear memory: the time of one memory.grow from WebAssembly and the resident set
// (current and peak, /proc/self/status) after it, then after writing the memory's last byte.
// Built against libswasm.so (CMake target memory_growth) or wasmtime's C library
// (bench/memory_growth.py compiles it so), it prints one line of `key value` pairs.
//
// Usage: memory_growth [PAGES] [--memory64]   (default 65535 pages: a memory of one page grows to 4 GiB)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

#define BENCH_PROGRAM "memory_growth"
#include "measure.h"

int main(int argc, char **argv) {
  unsigned long long pages = 65535;
  int memory64 = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--memory64") == 0) memory64 = 1;
    else pages = strtoull(argv[i], NULL, 0);
  }
  const char *text = memory64
      ? "(module (memory (export \"mem\") i64 1)"
        " (func (export \"grow\") (param i64) (result i64) (memory.grow (local.get 0)))"
        " (func (export \"touch\") (param i64) (i64.store8 (local.get 0) (i64.const 1))))"
      : "(module (memory (export \"mem\") 1)"
        " (func (export \"grow\") (param i64) (result i64) (i64.extend_i32_s (memory.grow (i32.wrap_i64 (local.get 0)))))"
        " (func (export \"touch\") (param i64) (i32.store8 (i32.wrap_i64 (local.get 0)) (i32.const 1))))";
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_memory64_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &binary);
  if (error) fail("wat2wasm", error, NULL);
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  if (error) fail("compile", error, NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  if (error || trap) fail("instantiate", error, trap);
  wasmtime_extern_t grow, touch;
  wasmtime_instance_export_get(context, &instance, "grow", 4, &grow);
  wasmtime_instance_export_get(context, &instance, "touch", 5, &touch);

  unsigned long long rss_before = status_kib("VmRSS");
  wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = (int64_t)pages}, result;
  double start = now_seconds();
  error = wasmtime_func_call(context, &grow.of.func, &argument, 1, &result, 1, &trap);
  double seconds = now_seconds() - start;
  if (error || trap) fail("grow", error, trap);
  if (result.of.i64 != 1) {
    fprintf(stderr, "memory_growth: memory.grow returned %lld\n", (long long)result.of.i64);
    return 1;
  }
  unsigned long long rss_grown = status_kib("VmRSS"), peak_grown = status_kib("VmHWM");
  argument.of.i64 = (int64_t)((pages + 1) * 65536 - 1);
  error = wasmtime_func_call(context, &touch.of.func, &argument, 1, NULL, 0, &trap);
  if (error || trap) fail("touch", error, trap);
  printf("pages %llu grow_ms %.3f rss_before_kib %llu rss_kib %llu peak_kib %llu rss_touched_kib %llu peak_touched_kib %llu\n",
         pages + 1, seconds * 1e3, rss_before, rss_grown, peak_grown, status_kib("VmRSS"), status_kib("VmHWM"));
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
