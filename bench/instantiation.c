// Instantiation cost, the same program on swasm and on wasmtime (bench/instantiation.py builds it
// against both): for a small module (one memory with data, a table, globals, a few functions) and
// a large one (5,000 functions, a 1 MiB data segment, a table of 5,000 elements), with and
// without the pooling allocator, it reports
//   cycle_us      median time of store new + instantiate + store delete,
//   allocs        allocation calls (malloc family, counted by this program) per cycle,
//   kib_per_inst  resident set added per instance while 1,000 instances (one store each) live.
// Usage: instantiation small|large [--pooled]
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

#define BENCH_PROGRAM "instantiation"
#include "measure.h"

// Counting allocator: the program's own malloc family, forwarding to glibc's.
extern void *__libc_malloc(size_t), *__libc_calloc(size_t, size_t), *__libc_realloc(void *, size_t),
    *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
static size_t allocations;
void *malloc(size_t size) { allocations++; return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { allocations++; return __libc_calloc(count, size); }
void *realloc(void *block, size_t size) { allocations++; return __libc_realloc(block, size); }
void free(void *block) { __libc_free(block); }
int posix_memalign(void **out, size_t alignment, size_t size) {
  allocations++;
  *out = __libc_memalign(alignment, size);
  return *out ? 0 : 12;
}
void *aligned_alloc(size_t alignment, size_t size) { allocations++; return __libc_memalign(alignment, size); }
void *memalign(size_t alignment, size_t size) { allocations++; return __libc_memalign(alignment, size); }

enum { LIVE = 1000, CYCLES = 2000 };

// The module's text: small, or large (5,000 functions, 1 MiB of data, 5,000 table elements).
static char *module_text(int large) {
  size_t capacity = 4 << 20, used = 0;
  char *text = malloc(capacity);
  int functions = large ? 5000 : 4;
  used += sprintf(text + used, "(module (memory (export \"memory\") %d) (table %d funcref) (global $g (mut i32) (i32.const 0))\n",
                  large ? 32 : 1, functions);
  used += sprintf(text + used, " (global (mut i64) (i64.const 1)) (global f64 (f64.const 2))\n");
  for (int i = 0; i < functions; i++)
    used += sprintf(text + used, " (func $f%d (param i32) (result i32) (i32.add (local.get 0) (i32.const %d)))\n", i, i);
  used += sprintf(text + used, " (elem (i32.const 0) func");
  for (int i = 0; i < functions; i++) used += sprintf(text + used, " $f%d", i);
  used += sprintf(text + used, ")\n (func (export \"run\") (result i32) (call $f0 (global.get $g)))\n");
  int data = large ? (1 << 20) : 64;
  used += sprintf(text + used, " (data (i32.const 1024) \"");
  for (int i = 0; i < data; i++) text[used++] = 'a' + i % 26;
  used += sprintf(text + used, "\"))");
  return text;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s small|large [--pooled]\n", argv[0]);
    return 2;
  }
  int large = strcmp(argv[1], "large") == 0, pooled = argc > 2 && strcmp(argv[2], "--pooled") == 0;
  wasm_config_t *config = wasm_config_new();
  if (pooled) {
    wasmtime_pooling_allocation_config_t *pooling = wasmtime_pooling_allocation_config_new();
    wasmtime_pooling_allocation_config_total_core_instances_set(pooling, LIVE + 8);
    wasmtime_pooling_allocation_config_total_memories_set(pooling, LIVE + 8);
    wasmtime_pooling_allocation_config_total_tables_set(pooling, LIVE + 8);
    wasmtime_pooling_allocation_config_max_memory_size_set(pooling, 4 << 20);
    wasmtime_pooling_allocation_config_table_elements_set(pooling, 5000);
    wasmtime_pooling_allocation_strategy_set(config, pooling);
    wasmtime_pooling_allocation_config_delete(pooling);
  }
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) fail("engine", NULL, NULL);
  char *text = module_text(large);
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &binary);
  if (error) fail("wat2wasm", error, NULL);
  free(text);
  wasmtime_module_t *module;
  error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  if (error) fail("compile", error, NULL);
  wasm_byte_vec_delete(&binary);

  // Cycles: store new + instantiate + store delete.
  static double times[CYCLES];
  size_t counted = 0;
  for (int i = -100; i < CYCLES; i++) {
    size_t before = allocations;
    double start = now_seconds();
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    error = wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &instance, &trap);
    if (error || trap) fail("instantiate", error, trap);
    wasmtime_store_delete(store);
    double elapsed = now_seconds() - start;
    if (i >= 0) {
      times[i] = elapsed;
      counted += allocations - before;
    }
  }
  for (int i = 1; i < CYCLES; i++)
    for (int j = i; j > 0 && times[j] < times[j - 1]; j--) {
      double swap = times[j];
      times[j] = times[j - 1];
      times[j - 1] = swap;
    }

  // Memory per live instance.
  static wasmtime_store_t *stores[LIVE];
  unsigned long long before = status_kib("VmRSS");
  for (int i = 0; i < LIVE; i++) {
    stores[i] = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    error = wasmtime_instance_new(wasmtime_store_context(stores[i]), module, NULL, 0, &instance, &trap);
    if (error || trap) fail("instantiate (live)", error, trap);
    // Touch the instance the way a first call does: run it once.
    wasmtime_extern_t run;
    wasmtime_instance_export_get(wasmtime_store_context(stores[i]), &instance, "run", 3, &run);
    wasmtime_val_t result;
    error = wasmtime_func_call(wasmtime_store_context(stores[i]), &run.of.func, NULL, 0, &result, 1, &trap);
    if (error || trap) fail("call", error, trap);
  }
  unsigned long long after = status_kib("VmRSS");
  for (int i = 0; i < LIVE; i++) wasmtime_store_delete(stores[i]);
  printf("cycle_us %.3f allocs %.1f kib_per_inst %.1f\n", times[CYCLES / 2] * 1e6, (double)counted / CYCLES,
         ((double)after - (double)before) / LIVE);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
