// Copy-on-write memory initialization from an artifact file (wasmtime_config_memory_init_cow_set),
// with the same expectations on libswasm.so and on wasmtime 50.0.1's C library
// (test_memory_cow_wasmtime): a module whose data segments fill parts of a 20-page memory is
// serialized, written to a file and loaded with wasmtime_module_deserialize_file, with
// memory_init_cow on and off. Either way every instance sees exactly what the segments write
// (zeros elsewhere); writes stay private to each instance (the file and the next instance are
// unchanged); memory.grow and wasmtime_memory_grow keep the contents, past the first reservation
// too (the memory moves); an out-of-bounds segment still traps, and an element segment that
// traps before the data segments leaves them unwritten. With copy-on-write, instantiating costs
// no memory until pages are touched: eight instances add less to the resident set than one copy
// of the data, where copying adds the data eight times.
// The same for a module compiled from bytes (its image is in anonymous memory).
// swasm only: the instances' memories map the file (/proc/self/maps; an anonymous file for a
// compiled module) exactly when copy-on-write is on, and a memory from a host memory creator gets
// the segments copied.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasmtime.h>

#include "check.h"
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}

enum { PAGE = 65536, MEMORY_PAGES = 20, MEMORY_BYTES = MEMORY_PAGES * PAGE };

// The data segments: offset and length (their bytes: data_byte(offset + i)). The first two are
// close enough to share a run of image pages, the third stands alone, unaligned.
static const struct {
  uint32_t offset, length;
} segments[] = {{4096, 20000}, {70001, 5000}, {1048593, 3000}, {MEMORY_BYTES - 200000, 200000}};
enum { SEGMENT_COUNT = sizeof segments / sizeof segments[0] };

static uint8_t data_byte(uint32_t at) { return (uint8_t)(at * 7 + 3) | 1; }

// The memory right after instantiation.
static uint8_t expected[MEMORY_BYTES];

static void fill_expected(void) {
  memset(expected, 0, sizeof expected);
  for (int s = 0; s < SEGMENT_COUNT; s++)
    for (uint32_t i = 0; i < segments[s].length; i++) expected[segments[s].offset + i] = data_byte(segments[s].offset + i);
}

// The module text: `imports`, the memory, the segments written as escaped strings, functions to
// read, write and grow, and `extra`.
static char *module_text(const char *imports, const char *extra) {
  size_t size = 4096 + strlen(imports) + strlen(extra);
  for (int s = 0; s < SEGMENT_COUNT; s++) size += 64 + 3 * (size_t)segments[s].length;
  char *text = malloc(size), *at = text;
  at += sprintf(at, "(module %s (memory (export \"m\") %d 4000)\n", imports, MEMORY_PAGES);
  for (int s = 0; s < SEGMENT_COUNT; s++) {
    at += sprintf(at, " (data (i32.const %u) \"", segments[s].offset);
    for (uint32_t i = 0; i < segments[s].length; i++) at += sprintf(at, "\\%02x", data_byte(segments[s].offset + i));
    at += sprintf(at, "\")\n");
  }
  sprintf(at,
          " (func (export \"load\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
          " (func (export \"store\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))"
          " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
          " %s)",
          extra);
  return text;
}

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t binary;
  wasmtime_module_t *module = NULL;
  if (check_error(wasmtime_wat2wasm(text, strlen(text), &binary), "")) return NULL;
  CHECK(!check_error(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module), ""));
  wasm_byte_vec_delete(&binary);
  return module;
}

// Serializes `text`'s module into `path`.
static bool write_artifact(wasm_engine_t *engine, const char *text, const char *path) {
  wasmtime_module_t *module = compile(engine, text);
  if (!module) return false;
  wasm_byte_vec_t artifact;
  bool ok = !check_error(wasmtime_module_serialize(module, &artifact), "");
  wasmtime_module_delete(module);
  if (!ok) return false;
  FILE *file = fopen(path, "wb");
  CHECK(file != NULL);
  if (file) {
    CHECK(fwrite(artifact.data, 1, artifact.size, file) == artifact.size);
    fclose(file);
  }
  wasm_byte_vec_delete(&artifact);
  return file != NULL;
}

// When set, `load` compiles this text instead of loading the artifact: modules compiled from bytes
// get the same copy-on-write images (wasmtime: from anonymous memory; swasm: an anonymous file).
static const char *compiled_text = NULL;

static wasmtime_module_t *load(wasm_engine_t *engine, const char *path) {
  if (compiled_text) return compile(engine, compiled_text);
  wasmtime_module_t *module = NULL;
  CHECK(!check_error(wasmtime_module_deserialize_file(engine, path, &module), ""));
  return module;
}

static wasm_engine_t *engine_with_cow(bool cow) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_memory_init_cow_set(config, cow);
  return wasm_engine_new_with_config(config);
}

typedef struct {
  wasmtime_context_t *context;
  wasmtime_instance_t instance;
  wasmtime_memory_t memory;
} instance_t;

static bool instantiate(wasmtime_context_t *context, wasmtime_module_t *module, instance_t *out) {
  out->context = context;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(context, module, NULL, 0, &out->instance, &trap);
  CHECK(error == NULL && trap == NULL);
  if (error) check_error(error, "");
  if (trap) wasm_trap_delete(trap);
  if (error || trap) return false;
  wasmtime_extern_t item;
  CHECK(wasmtime_instance_export_get(context, &out->instance, "m", 1, &item) && item.kind == WASMTIME_EXTERN_MEMORY);
  out->memory = item.of.memory;
  return true;
}

static int32_t call(instance_t *in, const char *name, wasmtime_val_t *args, size_t count) {
  wasmtime_extern_t item;
  CHECK(wasmtime_instance_export_get(in->context, &in->instance, name, strlen(name), &item));
  wasmtime_val_t result = I32(0);
  wasm_trap_t *trap = NULL;
  size_t results = strcmp(name, "store") == 0 ? 0 : 1;
  CHECK(!check_error(wasmtime_func_call(in->context, &item.of.func, args, count, &result, results, &trap), ""));
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  return result.of.i32;
}

static int32_t load_byte(instance_t *in, uint32_t at) {
  wasmtime_val_t arg = I32(at);
  return call(in, "load", &arg, 1);
}

static void store_byte(instance_t *in, uint32_t at, uint8_t value) {
  wasmtime_val_t args[2] = {I32(at), I32(value)};
  call(in, "store", args, 2);
}

static int32_t grow(instance_t *in, int32_t pages) {
  wasmtime_val_t arg = I32(pages);
  return call(in, "grow", &arg, 1);
}

// Whether the instance's memory holds exactly `expected` in its first MEMORY_BYTES, and zeros up
// to its size.
static bool holds_expected(instance_t *in) {
  const uint8_t *data = wasmtime_memory_data(in->context, &in->memory);
  size_t size = wasmtime_memory_data_size(in->context, &in->memory);
  if (data == NULL || size < MEMORY_BYTES) return false;
  if (memcmp(data, expected, MEMORY_BYTES) != 0) {
    if (getenv("SWASM_TEST_VERBOSE"))
      for (size_t at = 0; at < MEMORY_BYTES; at++)
        if (data[at] != expected[at]) {
          printf("first difference at %zu: %02x, expected %02x\n", at, data[at], expected[at]);
          break;
        }
    return false;
  }
  for (size_t at = MEMORY_BYTES; at < size; at += 4093)
    if (data[at] != 0) return false;
  return size == MEMORY_BYTES || data[size - 1] == 0;
}

static uint64_t resident_bytes(void) {
  FILE *file = fopen("/proc/self/statm", "r");
  unsigned long long size = 0, resident = 0;
  if (file) {
    if (fscanf(file, "%llu %llu", &size, &resident) != 2) resident = 0;
    fclose(file);
  }
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

#ifndef ON_WASMTIME
// Whether some mapping of this process is of `path` and writable (an instance's image; the
// artifact's own mapping while loading is read-only).
static bool maps_file_writable(const char *path) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[4096];
  bool found = false;
  while (maps && fgets(line, sizeof line, maps))
    if (strstr(line, path) && strstr(line, " rw")) found = true;
  if (maps) fclose(maps);
  return found;
}
#endif

static void test_contents(const char *path, bool cow) {
  wasm_engine_t *engine = engine_with_cow(cow);
  wasmtime_module_t *module = load(engine, path);
  if (!module) {
    wasm_engine_delete(engine);
    return;
  }
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_store_t *other_store = wasmtime_store_new(engine, NULL, NULL);
  instance_t a, b, c;
  if (instantiate(wasmtime_store_context(store), module, &a) && instantiate(wasmtime_store_context(store), module, &b) &&
      instantiate(wasmtime_store_context(other_store), module, &c)) {
    CHECK(holds_expected(&a) && holds_expected(&b) && holds_expected(&c));
#ifndef ON_WASMTIME
    CHECK(maps_file_writable(compiled_text ? "/memfd:swasm-memory-image" : path) == cow);
#endif
    // Writes are private to each instance.
    store_byte(&a, 4096, 0);
    store_byte(&a, 2 * PAGE + 5, 0x5a);
    CHECK(load_byte(&a, 4096) == 0 && load_byte(&b, 4096) == data_byte(4096) && load_byte(&c, 4096) == data_byte(4096));
    CHECK(load_byte(&b, 2 * PAGE + 5) == 0);
    uint8_t *data = wasmtime_memory_data(b.context, &b.memory);
    data[70001] ^= 0xff;
    CHECK(load_byte(&c, 70001) == data_byte(70001) && load_byte(&a, 70001) == data_byte(70001));
    data[70001] ^= 0xff;
    CHECK(holds_expected(&b) && holds_expected(&c));

    // Growth within the first reservation, then past it (the memory moves): contents kept,
    // new pages zero.
    CHECK(grow(&a, 10) == MEMORY_PAGES);
    CHECK(load_byte(&a, 4096) == 0 && load_byte(&a, 2 * PAGE + 5) == 0x5a && load_byte(&a, 4097) == data_byte(4097));
    uint64_t previous = 0;
    CHECK(!check_error(wasmtime_memory_grow(a.context, &a.memory, 1100, &previous), ""));
    CHECK(previous == MEMORY_PAGES + 10);
    store_byte(&a, 4096, data_byte(4096));
    store_byte(&a, 2 * PAGE + 5, 0);
    CHECK(holds_expected(&a));
    CHECK(wasmtime_memory_data_size(a.context, &a.memory) == (size_t)(MEMORY_PAGES + 1110) * PAGE);
    CHECK(grow(&c, 1200) == MEMORY_PAGES && holds_expected(&c));
    CHECK(holds_expected(&b));
  }
  wasmtime_store_delete(store);
  wasmtime_store_delete(other_store);

  // A new instance after all that: the file is unchanged.
  store = wasmtime_store_new(engine, NULL, NULL);
  if (instantiate(wasmtime_store_context(store), module, &a)) CHECK(holds_expected(&a));
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

// Eight instances: with copy-on-write, less than one copy of the data in the resident set
// (nothing is touched); copying adds all eight copies.
static void test_resident_set(const char *path, bool cow) {
  enum { INSTANCES = 8 };
  size_t data = 0;
  for (int s = 0; s < SEGMENT_COUNT; s++) data += segments[s].length;
  wasm_engine_t *engine = engine_with_cow(cow);
  wasmtime_module_t *module = load(engine, path);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  instance_t instances[INSTANCES];
  uint64_t before = resident_bytes();
  for (int i = 0; i < INSTANCES && module; i++) CHECK(instantiate(wasmtime_store_context(store), module, &instances[i]));
  uint64_t added = resident_bytes() - before;
  if (getenv("SWASM_TEST_VERBOSE")) printf("cow %d: %d instances added %llu KiB\n", cow, INSTANCES, (unsigned long long)added >> 10);
  if (RUNNING_ON_VALGRIND) {
    // Its own bookkeeping fills the resident set: nothing to compare.
  } else if (cow) {
    CHECK(added < data);
  } else {
    CHECK(added >= INSTANCES * data / 2);
  }
  wasmtime_store_delete(store);
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

// An out-of-bounds segment traps at instantiation; an element segment trapping before the data
// segments leaves them unwritten (seen through a function the first element segment put into an
// imported table).
static void test_traps(const char *directory, bool cow) {
  wasm_engine_t *engine = engine_with_cow(cow);
  char path[4096];
  snprintf(path, sizeof path, "%s/out_of_bounds.cwasm", directory);
  char *text = module_text("", " (data (i32.const 1310710) \"too long for the memory\")");
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  if (write_artifact(engine, text, path)) {
    wasmtime_module_t *module = load(engine, path);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    if (module) {
      CHECK(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap) == NULL && trap != NULL);
      wasmtime_trap_code_t code;
      CHECK(trap && wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
      if (trap) wasm_trap_delete(trap);
      wasmtime_module_delete(module);
    }
  }
  free(text);
  unlink(path);

  snprintf(path, sizeof path, "%s/element_trap.cwasm", directory);
  text = module_text("(import \"env\" \"t\" (table 1 funcref))",
                     " (elem (i32.const 0) $peek) (elem (i32.const 5) $peek) (func $peek (result i32) (i32.load8_u (i32.const 4096)))");
  if (write_artifact(engine, text, path)) {
    wasmtime_module_t *module = load(engine, path);
    wasm_limits_t limits = {1, 1};
    wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
    wasmtime_table_t table;
    wasmtime_val_t null = {.kind = WASMTIME_FUNCREF};
    wasmtime_funcref_set_null(&null.of.funcref);
    CHECK(!check_error(wasmtime_table_new(context, type, &null, &table), ""));
    wasm_tabletype_delete(type);
    wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_TABLE, .of.table = table};
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    if (module) {
      CHECK(wasmtime_instance_new(context, module, &import, 1, &instance, &trap) == NULL && trap != NULL);
      if (trap) wasm_trap_delete(trap);
      wasmtime_val_t element;
      CHECK(wasmtime_table_get(context, &table, 0, &element) && element.kind == WASMTIME_FUNCREF);
      wasmtime_val_t result = I32(-1);
      trap = NULL;
      CHECK(!check_error(wasmtime_func_call(context, &element.of.funcref, NULL, 0, &result, 1, &trap), ""));
#ifdef ON_WASMTIME
      // wasmtime maps the image when it makes the memory, before the element segments.
      CHECK(trap == NULL && result.of.i32 == (cow ? data_byte(4096) : 0));
#else
      CHECK(trap == NULL && result.of.i32 == 0);
#endif
      if (trap) wasm_trap_delete(trap);
      wasmtime_module_delete(module);
    }
  }
  free(text);
  unlink(path);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}

#ifndef ON_WASMTIME
static uint8_t *creator_get(void *env, size_t *size, size_t *capacity) {
  *size = *capacity = MEMORY_BYTES;
  return env;
}
static wasmtime_error_t *creator_grow(void *env, size_t size) {
  (void)env, (void)size;
  return wasmtime_error_new("fixed");
}
static wasmtime_error_t *creator_new_memory(void *env, const wasm_memorytype_t *type, size_t minimum, size_t maximum,
                                            size_t reserved, size_t guard, wasmtime_linear_memory_t *out) {
  (void)env, (void)type, (void)maximum, (void)reserved, (void)guard;
  CHECK(minimum == MEMORY_BYTES);
  *out = (wasmtime_linear_memory_t){calloc(1, MEMORY_BYTES), creator_get, creator_grow, free};
  return NULL;
}

// A memory from the host's creator: the segments are copied into it.
static void test_host_memory(const char *path) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_memory_creator_t creator = {NULL, creator_new_memory, NULL};
  wasmtime_config_host_memory_creator_set(config, &creator);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = load(engine, path);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  instance_t in;
  if (module && instantiate(wasmtime_store_context(store), module, &in)) {
    CHECK(holds_expected(&in));
    CHECK(!maps_file_writable(path));
  }
  wasmtime_store_delete(store);
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}
#endif

int main(void) {
  fill_expected();
  char directory[] = "/tmp/swasm_cow_XXXXXX";
  if (!mkdtemp(directory)) return 1;
  char *text = module_text("", "");
  for (int cow = 1; cow >= 0; cow--) {
    // wasmtime's artifacts record the setting (an engine with the other one refuses them);
    // swasm's do not (the image is there, used or not), as the last round checks.
    char path[4096];
    snprintf(path, sizeof path, "%s/module%d.cwasm", directory, cow);
    wasm_engine_t *engine = engine_with_cow(cow);
    bool written = write_artifact(engine, text, path);
    wasm_engine_delete(engine);
    if (written) {
      test_contents(path, cow);
      test_resident_set(path, cow);
#ifndef ON_WASMTIME
      if (cow) test_host_memory(path);
      if (!cow) {
        snprintf(path, sizeof path, "%s/module1.cwasm", directory);
        test_contents(path, false);
      }
#endif
    }
    test_traps(directory, cow);
  }
  // Modules compiled from bytes, with and without copy-on-write.
  compiled_text = text;
  for (int cow = 1; cow >= 0; cow--) {
    test_contents("(compiled)", cow);
    test_resident_set("(compiled)", cow);
  }
  compiled_text = NULL;
  free(text);
  for (int cow = 0; cow < 2; cow++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/module%d.cwasm", directory, cow);
    unlink(path);
  }
  rmdir(directory);
  return check_report("test_memory_cow");
}
