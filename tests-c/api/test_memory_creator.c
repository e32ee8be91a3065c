// Linear memories from the embedder's memory creator (wasmtime_config_host_memory_creator_set),
// with the same expectations on libswasm.so and on wasmtime 50.0.1's C library
// (test_memory_creator_wasmtime), where their behaviour is the same:
// - the creator is asked for each memory a module defines, at instantiation, with the minimum and
//   maximum in bytes and the memory's type; never for wasmtime_memory_new or wasm_memory_new;
// - contents (data segments, stores from WebAssembly, writes by the host) live in the host's
//   block, which wasmtime_memory_data returns; growth from WebAssembly and from the API calls
//   grow_memory (not for 0 pages, not past the maximum), and the memory follows the block when it
//   moves; a refusal is -1 in WebAssembly and an error from wasmtime_memory_grow;
// - an error from new_memory fails instantiation with its message;
// - each memory's finalizer runs once, when its store is deleted; the creator's runs once, when
//   the configuration is deleted without an engine, when it is replaced, or when the engine and
//   everything holding it (stores, modules) are gone.
// The engine asks for no reservation and no guard region (memory_reservation and
// memory_guard_size 0, which swasm always asks for), and memory_init_cow is off: wasmtime 50.0.1
// panics instantiating a module with data segments through a memory creator otherwise.
// swasm only: what a creator returns is checked (no get_memory, no base, a size smaller than
// asked for, a grow that reports less): an error, never an access past what the host reports.
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasmtime.h>

#include "check.h"

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}

static const size_t PAGE = 65536;

// What the host does when asked; what it saw.
typedef enum { HOST_NORMAL, HOST_NO_GET, HOST_NULL_BASE, HOST_SHORT, HOST_SHRINKS_ON_GROW } host_mode_t;

static struct {
  _Atomic int new_calls, grow_calls, get_calls, memories_finalized, creators_finalized;
  size_t minimum, maximum, reserved, guard;
  uint64_t type_minimum, type_maximum;
  bool type_has_maximum, type_shared, type_64;
  const char *fail_with; // new_memory returns an error with this message
  bool refuse_growth;
  host_mode_t mode;
} host;

// A host memory: one malloc block, exactly its size, that moves whenever it grows.
typedef struct {
  uint8_t *base;
  size_t size;
  host_mode_t mode;
} host_memory_t;

static uint8_t *host_get(void *env, size_t *size, size_t *capacity) {
  host_memory_t *memory = env;
  host.get_calls++;
  *size = memory->mode == HOST_SHORT ? memory->size / 2 : memory->size;
  *capacity = memory->size;
  return memory->mode == HOST_NULL_BASE ? NULL : memory->base;
}

static wasmtime_error_t *host_grow(void *env, size_t new_size) {
  host_memory_t *memory = env;
  host.grow_calls++;
  if (host.refuse_growth) return wasmtime_error_new("the host keeps this memory small");
  uint8_t *moved = malloc(new_size);
  if (moved == NULL) return wasmtime_error_new("host out of memory");
  size_t kept = memory->size < new_size ? memory->size : new_size;
  memcpy(moved, memory->base, kept);
  memset(moved + kept, 0, new_size - kept);
  free(memory->base);
  memory->base = moved;
  memory->size = new_size;
  if (memory->mode == HOST_SHRINKS_ON_GROW) memory->mode = HOST_SHORT;
  return NULL;
}

static void host_memory_finalize(void *env) {
  host_memory_t *memory = env;
  host.memories_finalized++;
  free(memory->base);
  free(memory);
}

static wasmtime_error_t *host_new_memory(void *env, const wasm_memorytype_t *type, size_t minimum, size_t maximum,
                                         size_t reserved, size_t guard, wasmtime_linear_memory_t *out) {
  CHECK(env == &host);
  host.new_calls++;
  host.minimum = minimum, host.maximum = maximum, host.reserved = reserved, host.guard = guard;
  host.type_minimum = wasmtime_memorytype_minimum(type);
  host.type_has_maximum = wasmtime_memorytype_maximum(type, &host.type_maximum);
  host.type_shared = wasmtime_memorytype_isshared(type);
  host.type_64 = wasmtime_memorytype_is64(type);
  if (host.fail_with) return wasmtime_error_new(host.fail_with);
  host_memory_t *memory = calloc(1, sizeof *memory);
  memory->base = calloc(1, minimum ? minimum : 1);
  memory->size = minimum;
  memory->mode = host.mode;
  out->env = memory;
  out->get_memory = host.mode == HOST_NO_GET ? NULL : host_get;
  out->grow_memory = host_grow;
  out->finalizer = host_memory_finalize;
  return NULL;
}

static void host_creator_finalize(void *env) {
  CHECK(env == &host);
  host.creators_finalized++;
}

static wasmtime_memory_creator_t creator = {&host, host_new_memory, host_creator_finalize};

static wasm_config_t *config_with_creator(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_host_memory_creator_set(config, &creator);
  wasmtime_config_memory_reservation_set(config, 0);
  wasmtime_config_memory_guard_size_set(config, 0);
  wasmtime_config_memory_init_cow_set(config, false);
  return config;
}

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t binary;
  wasmtime_module_t *module = NULL;
  if (check_error(wasmtime_wat2wasm(text, strlen(text), &binary), "")) return NULL;
  CHECK(!check_error(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module), ""));
  wasm_byte_vec_delete(&binary);
  return module;
}

static const char *module_text =
    "(module (memory (export \"m\") 1 8) (data (i32.const 16) \"hello\")"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    " (func (export \"size\") (result i32) (memory.size))"
    " (func (export \"load\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
    " (func (export \"store\") (param i32 i32) (result i32) (i32.store8 (local.get 0) (local.get 1)) (i32.const 0)))";

typedef struct {
  wasmtime_store_t *store;
  wasmtime_context_t *context;
  wasmtime_instance_t instance;
  wasmtime_memory_t memory;
} instance_t;

// Instantiates `module` in a new store; false (the error checked against `expected`) on failure.
static bool instantiate(wasm_engine_t *engine, wasmtime_module_t *module, instance_t *out, const char *expected) {
  out->store = wasmtime_store_new(engine, NULL, NULL);
  out->context = wasmtime_store_context(out->store);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(out->context, module, NULL, 0, &out->instance, &trap);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  if (error) {
    check_error(error, expected);
    return false;
  }
  CHECK(expected == NULL);
  wasmtime_extern_t item;
  if (wasmtime_instance_export_get(out->context, &out->instance, "m", 1, &item)) {
    if (item.kind == WASMTIME_EXTERN_MEMORY) out->memory = item.of.memory;
    else wasmtime_extern_delete(&item); // a shared memory: a handle of its own
  }
  return true;
}

static int32_t call(instance_t *in, const char *name, wasmtime_val_t *args, size_t count) {
  wasmtime_extern_t item;
  CHECK(wasmtime_instance_export_get(in->context, &in->instance, name, strlen(name), &item));
  wasmtime_val_t result = I32(-999);
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_func_call(in->context, &item.of.func, args, count, &result, 1, &trap), ""));
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  return result.of.i32;
}

static int32_t grow(instance_t *in, int32_t pages) {
  wasmtime_val_t arg = I32(pages);
  return call(in, "grow", &arg, 1);
}

static int32_t load(instance_t *in, int32_t address) {
  wasmtime_val_t arg = I32(address);
  return call(in, "load", &arg, 1);
}

static void store_byte(instance_t *in, int32_t address, int32_t value) {
  wasmtime_val_t args[2] = {I32(address), I32(value)};
  call(in, "store", args, 2);
}

// The creator's finalizer: once when the configuration is deleted without an engine, once per
// replacement.
static void test_configuration_lifetime(void) {
  host.creators_finalized = 0;
  wasm_config_t *config = config_with_creator();
  CHECK(host.creators_finalized == 0);
  wasm_config_delete(config);
  CHECK(host.creators_finalized == 1);
  config = config_with_creator();
  wasmtime_config_host_memory_creator_set(config, &creator);
  CHECK(host.creators_finalized == 2); // the first one, replaced
  wasm_config_delete(config);
  CHECK(host.creators_finalized == 3);
  CHECK(host.new_calls == 0);
#ifndef ON_WASMTIME
  // An engine that cannot be made (wasmtime panics) takes the creator with it.
  config = config_with_creator();
  wasmtime_config_max_wasm_stack_set(config, 0);
  CHECK(wasm_engine_new_with_config(config) == NULL);
  CHECK(host.creators_finalized == 4);
#endif
}

// Instantiation, contents, growth from both sides, refusals, finalizers.
static void test_memory_through_creator(wasm_engine_t *engine, wasmtime_module_t *module) {
  host.new_calls = host.grow_calls = host.memories_finalized = 0;
  instance_t in;
  if (!instantiate(engine, module, &in, NULL)) return;
  CHECK(host.new_calls == 1);
  CHECK(host.minimum == PAGE && host.maximum == 8 * PAGE);
  CHECK(host.reserved == 0 && host.guard == 0);
  CHECK(host.type_minimum == 1 && host.type_has_maximum && host.type_maximum == 8 && !host.type_shared && !host.type_64);
  CHECK(host.grow_calls == 0);

  // The data segment is in the host's block, which the API hands out.
  uint8_t *data = wasmtime_memory_data(in.context, &in.memory);
  CHECK(data != NULL && memcmp(data + 16, "hello", 5) == 0);
  CHECK(wasmtime_memory_data_size(in.context, &in.memory) == PAGE);
  CHECK(load(&in, 17) == 'e');
  store_byte(&in, 100, 42);
  CHECK(data[100] == 42);
  data[200] = 7;
  CHECK(load(&in, 200) == 7);

  // Growth from WebAssembly: the block moves, the memory follows it with its contents.
  CHECK(grow(&in, 1) == 1);
  CHECK(host.grow_calls == 1);
  CHECK(call(&in, "size", NULL, 0) == 2);
  uint8_t *moved = wasmtime_memory_data(in.context, &in.memory);
  CHECK(moved != data);
  CHECK(wasmtime_memory_data_size(in.context, &in.memory) == 2 * PAGE);
  CHECK(memcmp(moved + 16, "hello", 5) == 0 && moved[100] == 42 && moved[200] == 7);
  CHECK(load(&in, 2 * PAGE - 1) == 0);
  store_byte(&in, 2 * PAGE - 1, 9);
  CHECK(moved[2 * PAGE - 1] == 9);

  // 0 pages and growth past the maximum never reach the host.
  CHECK(grow(&in, 0) == 2);
  CHECK(grow(&in, 7) == -1);
  CHECK(host.grow_calls == 1);

  // Growth from the API.
  uint64_t previous = 0;
  CHECK(!check_error(wasmtime_memory_grow(in.context, &in.memory, 2, &previous), ""));
  CHECK(previous == 2 && host.grow_calls == 2);
  CHECK(wasmtime_memory_size(in.context, &in.memory) == 4);
  CHECK(load(&in, 2 * PAGE - 1) == 9 && load(&in, 4 * PAGE - 1) == 0);
  CHECK(check_error(wasmtime_memory_grow(in.context, &in.memory, 5, &previous), "failed to grow memory"));
  CHECK(host.grow_calls == 2);

  // The host refuses: -1 from WebAssembly, an error from the API; the memory stays as it was.
  host.refuse_growth = true;
  CHECK(grow(&in, 1) == -1);
  CHECK(host.grow_calls == 3);
  previous = 99;
  CHECK(check_error(wasmtime_memory_grow(in.context, &in.memory, 1, &previous), "failed to grow memory by `1`"));
  CHECK(previous == 99 && host.grow_calls == 4);
  host.refuse_growth = false;
  CHECK(call(&in, "size", NULL, 0) == 4);
  CHECK(load(&in, 17) == 'e' && load(&in, 2 * PAGE - 1) == 9);

  // Accesses past the size still trap.
  wasmtime_extern_t item;
  CHECK(wasmtime_instance_export_get(in.context, &in.instance, "load", 4, &item));
  wasmtime_val_t arg = I32(4 * PAGE), result;
  wasm_trap_t *trap = NULL;
  CHECK(wasmtime_func_call(in.context, &item.of.func, &arg, 1, &result, 1, &trap) == NULL && trap != NULL);
  if (trap) wasm_trap_delete(trap);

  // Host-made memories never come from the creator.
  wasm_memorytype_t *type = NULL;
  CHECK(!check_error(wasmtime_memorytype_new(1, true, 2, false, false, 16, &type), ""));
  wasmtime_memory_t own;
  CHECK(!check_error(wasmtime_memory_new(in.context, type, &own), ""));
  wasm_store_t *wasm_store = wasm_store_new(engine);
  wasm_memory_t *wasm_memory = wasm_memory_new(wasm_store, type);
  CHECK(wasm_memory != NULL);
  wasm_memory_delete(wasm_memory);
  wasm_store_delete(wasm_store);
  wasm_memorytype_delete(type);
  CHECK(host.new_calls == 1);

  CHECK(host.memories_finalized == 0);
  wasmtime_store_delete(in.store);
  CHECK(host.memories_finalized == 1);
}

// Every store gets its own memory; each is finalized with its store.
static void test_several_stores(wasm_engine_t *engine, wasmtime_module_t *module) {
  host.new_calls = host.memories_finalized = 0;
  instance_t a, b;
  if (!instantiate(engine, module, &a, NULL) || !instantiate(engine, module, &b, NULL)) return;
  CHECK(host.new_calls == 2);
  store_byte(&a, 16, 'j');
  CHECK(load(&a, 16) == 'j' && load(&b, 16) == 'h');
  CHECK(wasmtime_memory_data(a.context, &a.memory) != wasmtime_memory_data(b.context, &b.memory));
  CHECK(grow(&b, 3) == 1 && call(&a, "size", NULL, 0) == 1);
  wasmtime_store_delete(a.store);
  CHECK(host.memories_finalized == 1);
  CHECK(load(&b, 16) == 'h' && load(&b, 17) == 'e');
  wasmtime_store_delete(b.store);
  CHECK(host.memories_finalized == 2);
}

// An error from new_memory fails instantiation with its message.
static void test_creator_error(wasm_engine_t *engine, wasmtime_module_t *module) {
  host.new_calls = host.memories_finalized = 0;
  host.fail_with = "the host has no memory for this module";
  instance_t in;
  CHECK(!instantiate(engine, module, &in, "the host has no memory for this module"));
  CHECK(host.new_calls == 1 && host.memories_finalized == 0);
  wasmtime_store_delete(in.store);
  host.fail_with = NULL;
}

// The maximum passed for memories without one: the index space's (4 GiB for 32 bits; 2^64 less a
// page, the largest size_t of whole pages, for 64 bits).
static void test_unbounded_maximum(wasm_engine_t *engine) {
  wasmtime_module_t *narrow = compile(engine, "(module (memory 0))");
  wasmtime_module_t *wide = compile(engine, "(module (memory i64 2))");
  instance_t in;
  host.new_calls = 0;
  if (narrow && instantiate(engine, narrow, &in, NULL)) {
    CHECK(host.minimum == 0 && host.maximum == 4ull * 1024 * 1024 * 1024 && !host.type_has_maximum);
    wasmtime_store_delete(in.store);
  }
  if (wide && instantiate(engine, wide, &in, NULL)) {
    CHECK(host.minimum == 2 * PAGE && host.maximum == SIZE_MAX - (PAGE - 1) && host.type_64);
    wasmtime_store_delete(in.store);
  }
  CHECK(host.new_calls == 2);
  if (narrow) wasmtime_module_delete(narrow);
  if (wide) wasmtime_module_delete(wide);
}

// A shared memory a module defines: wasmtime asks the creator; swasm keeps it itself (it never
// moves and grows from any thread; wasmtime-differences.md).
static void test_shared_memory(void) {
  wasm_config_t *config = config_with_creator();
  wasmtime_config_wasm_threads_set(config, true);
  wasmtime_config_shared_memory_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = compile(engine, "(module (memory (export \"m\") 1 4 shared))");
  host.new_calls = 0;
  instance_t in;
  if (module && instantiate(engine, module, &in, NULL)) {
#ifdef ON_WASMTIME
    CHECK(host.new_calls == 1 && host.type_shared);
#else
    CHECK(host.new_calls == 0);
#endif
    wasmtime_store_delete(in.store);
  }
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

static void *instantiate_on_thread(void *arg) {
  void **pair = arg;
  instance_t in;
  if (instantiate(pair[0], pair[1], &in, NULL)) {
    CHECK(load(&in, 16) == 'h');
    CHECK(grow(&in, 1) == 1);
    wasmtime_store_delete(in.store);
  }
  return NULL;
}

// Memories may be asked for from any thread.
static void test_other_threads(wasm_engine_t *engine, wasmtime_module_t *module) {
  host.new_calls = host.memories_finalized = 0;
  void *pair[2] = {engine, module};
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) CHECK(pthread_create(&threads[i], NULL, instantiate_on_thread, pair) == 0);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  CHECK(host.new_calls == 2 && host.memories_finalized == 2);
}

#ifndef ON_WASMTIME
// What the creator returns is checked; nothing past what the host reports is ever accessed.
static void test_misbehaving_host(wasm_engine_t *engine, wasmtime_module_t *module) {
  instance_t in;
  host.memories_finalized = 0;
  host.mode = HOST_NO_GET;
  CHECK(!instantiate(engine, module, &in, "without a `get_memory` callback"));
  wasmtime_store_delete(in.store);
  CHECK(host.memories_finalized == 1);
  host.mode = HOST_NULL_BASE;
  CHECK(!instantiate(engine, module, &in, "65536 bytes and no base address for a memory of 65536 bytes"));
  wasmtime_store_delete(in.store);
  CHECK(host.memories_finalized == 2);
  host.mode = HOST_SHORT;
  CHECK(!instantiate(engine, module, &in, "reports 32768 bytes for a memory of 65536 bytes"));
  wasmtime_store_delete(in.store);
  CHECK(host.memories_finalized == 3);

  // A memory that reports less after growing: growth fails, and the memory holds what is reported.
  host.mode = HOST_SHRINKS_ON_GROW;
  if (instantiate(engine, module, &in, NULL)) {
    CHECK(grow(&in, 3) == -1); // 4 pages grown, 2 reported: 1 kept (never more than before)
    CHECK(call(&in, "size", NULL, 0) == 1 && load(&in, 17) == 'e');
    uint64_t previous;
    CHECK(check_error(wasmtime_memory_grow(in.context, &in.memory, 1, &previous), "fewer than the"));
    CHECK(wasmtime_memory_data_size(in.context, &in.memory) <= PAGE);
    wasmtime_store_delete(in.store);
  }
  host.mode = HOST_NORMAL;

  // A creator without new_memory is not taken; a NULL creator or configuration changes nothing.
  wasm_config_t *config = wasm_config_new();
  wasmtime_memory_creator_t empty = {&host, NULL, host_creator_finalize};
  int finalized = host.creators_finalized;
  wasmtime_config_host_memory_creator_set(config, &empty);
  wasmtime_config_host_memory_creator_set(config, NULL);
  wasmtime_config_host_memory_creator_set(NULL, &creator);
  wasm_config_delete(config);
  CHECK(host.creators_finalized == finalized);
}

// Copy-on-write initialization does not apply to host memories: the segments are copied in.
static void test_with_cow_on(void) {
  wasm_config_t *config = config_with_creator();
  wasmtime_config_memory_init_cow_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = compile(engine, module_text);
  instance_t in;
  if (module && instantiate(engine, module, &in, NULL)) {
    CHECK(memcmp(wasmtime_memory_data(in.context, &in.memory) + 16, "hello", 5) == 0);
    wasmtime_store_delete(in.store);
  }
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}
#endif

int main(void) {
  test_configuration_lifetime();
  host.creators_finalized = 0;
  wasm_engine_t *engine = wasm_engine_new_with_config(config_with_creator());
  wasmtime_module_t *module = compile(engine, module_text);
  if (module) {
    test_memory_through_creator(engine, module);
    test_several_stores(engine, module);
    test_creator_error(engine, module);
    test_unbounded_maximum(engine);
    test_other_threads(engine, module);
#ifndef ON_WASMTIME
    test_misbehaving_host(engine, module);
#endif
  }
  // The engine lives while a store or module holds it; its creator's finalizer runs after.
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  int finalized = host.creators_finalized;
  wasm_engine_delete(engine);
  CHECK(host.creators_finalized == finalized);
  if (module) wasmtime_module_delete(module);
  CHECK(host.creators_finalized == finalized);
  wasmtime_store_delete(store);
  CHECK(host.creators_finalized == finalized + 1);
  test_shared_memory();
#ifndef ON_WASMTIME
  test_with_cow_on();
#endif
  return check_report("test_memory_creator");
}
