// Instantiating a module with a large data segment (16 MiB) loaded from an artifact file, with
// copy-on-write memory initialization on or off: the time to load the file, the time per
// instantiation, and what the instances add to the resident set, before and after one of them
// reads all its data. Built against libswasm.so (CMake target memory_cow) or wasmtime's C library
// (bench/memory_cow.py compiles it so); it prints one line of `key value` pairs.
//
// Usage: memory_cow write PATH [--cow on|off]          writes the artifact
//        memory_cow run PATH [--cow on|off] [INSTANCES] (default 16 instances)
// (wasmtime refuses an artifact written with the other copy-on-write setting.)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

#define BENCH_PROGRAM "memory_cow"
#include "measure.h"

enum { DATA_OFFSET = 65536, DATA_BYTES = 16 << 20, MEMORY_PAGES = (DATA_OFFSET + DATA_BYTES) / 65536 + 1 };

static uint8_t *put_leb(uint8_t *at, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    *at++ = byte | (value ? 0x80 : 0);
  } while (value);
  return at;
}

static uint8_t *put_section(uint8_t *at, uint8_t id, const uint8_t *body, size_t size) {
  *at++ = id;
  at = put_leb(at, size);
  memcpy(at, body, size);
  return at + size;
}

// The module: a memory of MEMORY_PAGES pages, DATA_BYTES of data at DATA_OFFSET, and
// `sum(start, count)` adding `count` bytes read one page apart from `start`.
static uint8_t *module_binary(size_t *size) {
  uint8_t *binary = malloc(DATA_BYTES + 4096), *at = binary;
  memcpy(at, "\0asm\1\0\0\0", 8);
  at += 8;
  static const uint8_t types[] = {1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f};
  at = put_section(at, 1, types, sizeof types);
  static const uint8_t functions[] = {1, 0};
  at = put_section(at, 3, functions, sizeof functions);
  uint8_t memory[8] = {1, 0}, *end = put_leb(memory + 2, MEMORY_PAGES);
  at = put_section(at, 5, memory, (size_t)(end - memory));
  static const uint8_t exports[] = {1, 3, 's', 'u', 'm', 0, 0};
  at = put_section(at, 7, exports, sizeof exports);
  // (local $total i32) (loop (if (local.get 1) (then total += load8_u(local 0); local 0 += 4096;
  // local 1 -= 1; br 1))) (local.get $total)
  static const uint8_t body[] = {1, 1, 0x7f,
                                 0x03, 0x40, 0x20, 0x01, 0x04, 0x40,
                                 0x20, 0x02, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x6a, 0x21, 0x02,
                                 0x20, 0x00, 0x41, 0x80, 0x20, 0x6a, 0x21, 0x00,
                                 0x20, 0x01, 0x41, 0x01, 0x6b, 0x21, 0x01,
                                 0x0c, 0x01, 0x0b, 0x0b, 0x20, 0x02, 0x0b};
  uint8_t code[64] = {1, sizeof body};
  memcpy(code + 2, body, sizeof body);
  at = put_section(at, 10, code, 2 + sizeof body);
  // The data section: one active segment; its size is known, so it is written in place.
  uint8_t header[32], *h = header;
  *h++ = 1;
  *h++ = 0;
  *h++ = 0x41;
  h = put_leb(h, DATA_OFFSET);
  *h++ = 0x0b;
  h = put_leb(h, DATA_BYTES);
  *at++ = 11;
  at = put_leb(at, (size_t)(h - header) + DATA_BYTES);
  memcpy(at, header, (size_t)(h - header));
  at += h - header;
  for (size_t i = 0; i < DATA_BYTES; i++) at[i] = (uint8_t)(i * 131 + 7) | 1;
  at += DATA_BYTES;
  *size = (size_t)(at - binary);
  return binary;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: memory_cow write|run PATH [--cow on|off] [INSTANCES]\n");
    return 2;
  }
  int cow = 1, instances = 16;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--cow") == 0 && i + 1 < argc) cow = strcmp(argv[++i], "off") != 0;
    else instances = atoi(argv[i]);
  }
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_memory_init_cow_set(config, cow);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_error_t *error;
  if (strcmp(argv[1], "write") == 0) {
    size_t size;
    uint8_t *binary = module_binary(&size);
    wasmtime_module_t *module;
    if ((error = wasmtime_module_new(engine, binary, size, &module))) fail("compile", error, NULL);
    wasm_byte_vec_t artifact;
    if ((error = wasmtime_module_serialize(module, &artifact))) fail("serialize", error, NULL);
    FILE *file = fopen(argv[2], "wb");
    if (!file || fwrite(artifact.data, 1, artifact.size, file) != artifact.size) return 1;
    fclose(file);
    printf("artifact_kib %zu\n", artifact.size >> 10);
    return 0;
  }
  unsigned long long start_kib = status_kib("VmRSS");
  double started = now_seconds();
  wasmtime_module_t *module;
  if ((error = wasmtime_module_deserialize_file(engine, argv[2], &module))) fail("load", error, NULL);
  double loaded = now_seconds();
  unsigned long long loaded_kib = status_kib("VmRSS");
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  for (int i = 0; i < instances; i++)
    if ((error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap)) || trap) fail("instantiate", error, trap);
  double instantiated = now_seconds();
  unsigned long long instances_kib = status_kib("VmRSS");
  // The last instance reads a byte of each page of its data.
  wasmtime_extern_t sum;
  wasmtime_instance_export_get(context, &instance, "sum", 3, &sum);
  wasmtime_val_t arguments[2] = {{.kind = WASMTIME_I32, .of.i32 = DATA_OFFSET}, {.kind = WASMTIME_I32, .of.i32 = DATA_BYTES / 4096}};
  wasmtime_val_t result;
  if ((error = wasmtime_func_call(context, &sum.of.func, arguments, 2, &result, 1, &trap)) || trap) fail("sum", error, trap);
  unsigned long long read_kib = status_kib("VmRSS");
  printf("load_ms %.3f instantiate_ms %.4f load_rss_kib %llu instance_rss_kib %.1f read_rss_kib %llu peak_kib %llu\n",
         (loaded - started) * 1e3, (instantiated - loaded) * 1e3 / instances, loaded_kib - start_kib,
         (double)(instances_kib - loaded_kib) / instances, read_kib - instances_kib, status_kib("VmHWM"));
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
