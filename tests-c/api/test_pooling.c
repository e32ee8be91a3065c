// The pooling allocation strategy, with the same expectations on libswasm.so and on wasmtime
// 50.0.1's C library (test_pooling_wasmtime): modules that cannot fit the pool are refused when
// compiled (memory minimum over max_memory_size, table minimum over table_elements, more memories
// or tables than allowed per module); instances, memories and tables beyond the totals fail to
// instantiate with wasmtime's message, until a store that held them is deleted; memories grow up
// to max_memory_size and tables up to table_elements, then memory.grow / table.grow return -1; a
// memory slot reused by another store reads zero (no data leaks between tenants); memories made by
// the host are not pooled; a slot that keeps a module's memory image (copy-on-write data) shows
// every later instance exactly its module's data, whatever the last tenant wrote or grew, and
// another module's instance in that slot sees its own data and zeros elsewhere; thousands of store cycles run in a small pool, from four threads at
// once; (swasm) a store whose GC objects fill the pool gets the out-of-memory error, and the pool
// is whole again once the store goes.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

#ifndef ON_WASMTIME
#include <swasm.h>
#endif

#include "check.h"

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text, const char *expected_error) {
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &binary);
  if (error) {
    check_error(error, "");
    CHECK(!"wat2wasm");
    return NULL;
  }
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  if (expected_error) {
    CHECK(error != NULL);
    check_error(error, expected_error);
    return NULL;
  }
  CHECK(error == NULL);
  check_error(error, "");
  return module;
}

// Instantiates `module` in `store`; an error containing `expected_error` is expected when given.
static int instantiate(wasmtime_store_t *store, wasmtime_module_t *module, wasmtime_instance_t *instance, const char *expected_error) {
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, instance, &trap);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  if (expected_error) {
    CHECK(error != NULL);
    check_error(error, expected_error);
    return 0;
  }
  CHECK(error == NULL);
  check_error(error, "");
  return error == NULL;
}

static int32_t call_i32(wasmtime_store_t *store, wasmtime_instance_t *instance, const char *name, int32_t argument) {
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_extern_t export;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &export)) {
    CHECK(!"export");
    return INT32_MIN;
  }
  wasmtime_val_t args[1] = {I32(argument)}, result;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &export.of.func, args, 1, &result, 1, &trap);
  CHECK(error == NULL && trap == NULL);
  check_error(error, "");
  if (trap) wasm_trap_delete(trap);
  return error || trap ? INT32_MIN : result.of.i32;
}

static wasm_engine_t *pooling_engine(uint32_t instances, uint32_t memories, uint32_t tables, size_t memory_bytes, size_t table_elements) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_pooling_allocation_config_t *pooling = wasmtime_pooling_allocation_config_new();
  wasmtime_pooling_allocation_config_total_core_instances_set(pooling, instances);
  wasmtime_pooling_allocation_config_total_memories_set(pooling, memories);
  wasmtime_pooling_allocation_config_total_tables_set(pooling, tables);
  wasmtime_pooling_allocation_config_max_memory_size_set(pooling, memory_bytes);
  wasmtime_pooling_allocation_config_table_elements_set(pooling, table_elements);
  wasmtime_pooling_allocation_strategy_set(config, pooling);
  wasmtime_pooling_allocation_config_delete(pooling);
  return wasm_engine_new_with_config(config);
}

static const char tenant[] =
    "(module (memory (export \"memory\") 1) (table 1 funcref)"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    " (func (export \"table_grow\") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))"
    " (func (export \"peek\") (param i32) (result i32) (i32.load (local.get 0)))"
    " (func (export \"poke\") (param i32) (result i32) (i32.store (local.get 0) (i32.const 0x5ec2e7)) (i32.const 0)))";

static void module_limits(void) {
  wasm_engine_t *engine = pooling_engine(4, 4, 4, 3 << 16, 10);
  compile(engine, "(module (memory 4))", "memory has a minimum byte size of 262144 which exceeds the limit of 0x30000 bytes");
  compile(engine, "(module (table 11 funcref))", "table index 0 has a minimum element size of 11 which exceeds the limit of 10");
  compile(engine, "(module (memory 1) (memory 1))", "defined memories count of 2 exceeds the per-instance limit of 1");
  compile(engine, "(module (table 1 funcref) (table 1 funcref))", "defined tables count of 2 exceeds the per-instance limit of 1");
  // Imported memories and shared ones take no slot: they are accepted.
  wasmtime_module_t *imported = compile(engine, "(module (import \"m\" \"m\" (memory 100)))", NULL);
  if (imported) wasmtime_module_delete(imported);
  wasm_engine_delete(engine);
}

static void totals_and_growth(void) {
  wasm_engine_t *engine = pooling_engine(2, 2, 2, 3 << 16, 10);
  wasmtime_module_t *module = compile(engine, tenant, NULL);
  wasmtime_module_t *plain = compile(engine, "(module (func (export \"f\")))", NULL);
  if (!module || !plain) return;
  wasmtime_store_t *a = wasmtime_store_new(engine, NULL, NULL), *b = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t ia, ib, other;
  instantiate(a, module, &ia, NULL);
  instantiate(b, module, &ib, NULL);
  // Two instances are the total: a third fails, in either store or a new one.
  instantiate(a, plain, &other, "maximum concurrent limit of 2 for core instances reached");
  wasmtime_store_t *c = wasmtime_store_new(engine, NULL, NULL);
  instantiate(c, plain, &other, "maximum concurrent limit of 2 for core instances reached");
  // Growth: to max_memory_size (3 pages), then -1; tables to table_elements (10), then -1.
  CHECK(call_i32(a, &ia, "grow", 1) == 1);
  CHECK(call_i32(a, &ia, "grow", 1) == 2);
  CHECK(call_i32(a, &ia, "grow", 1) == -1);
  CHECK(call_i32(a, &ia, "table_grow", 9) == 1);
  CHECK(call_i32(a, &ia, "table_grow", 1) == -1);
  // A tenant's data...
  CHECK(call_i32(a, &ia, "poke", 2 * 65536 + 8) == 0);
  CHECK(call_i32(a, &ia, "peek", 2 * 65536 + 8) == 0x5ec2e7);
  CHECK(call_i32(a, &ia, "poke", 16) == 0);
  wasmtime_store_delete(a);
  // ... is gone when its slot serves the next one.
  instantiate(c, module, &other, NULL);
  CHECK(call_i32(c, &other, "peek", 16) == 0);
  CHECK(call_i32(c, &other, "grow", 2) == 1);
  CHECK(call_i32(c, &other, "peek", 2 * 65536 + 8) == 0);
  // Memories the host makes are not pooled: their size is not bounded by the slots.
  wasm_memorytype_t *type = NULL;
  CHECK(wasmtime_memorytype_new(10, false, 0, false, false, 16, &type) == NULL);
  wasmtime_memory_t memory;
  CHECK(type && wasmtime_memory_new(wasmtime_store_context(c), type, &memory) == NULL);
  if (type) wasm_memorytype_delete(type);
  wasmtime_store_delete(b);
  wasmtime_store_delete(c);
  wasmtime_module_delete(module);
  wasmtime_module_delete(plain);
  wasm_engine_delete(engine);
}

static void memory_slots(void) {
  // Instances to spare, one memory slot.
  wasm_engine_t *engine = pooling_engine(8, 1, 8, 1 << 16, 10);
  wasmtime_module_t *module = compile(engine, "(module (memory 1))", NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t first, second;
  instantiate(store, module, &first, NULL);
  instantiate(store, module, &second, "maximum concurrent limit of 1 for memor");
  wasmtime_store_delete(store);
  store = wasmtime_store_new(engine, NULL, NULL);
  instantiate(store, module, &second, NULL);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

// A module whose memory (3 pages, growable) holds `fill` over 4 KiB at 0 and 8 KiB at 0x11000, with
// the byte count of the module's data in the last word of page 0's image.
static wasmtime_module_t *image_module(wasm_engine_t *engine, char fill) {
  static char text[16384 + 2048];
  char first[4097], second[8193];
  memset(first, fill, 4096);
  first[4096] = 0;
  memset(second, fill, 8192);
  second[8192] = 0;
  snprintf(text, sizeof text,
           "(module (memory (export \"memory\") 3 8)"
           " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
           " (func (export \"peek\") (param i32) (result i32) (i32.load (local.get 0)))"
           " (func (export \"poke\") (param i32) (result i32) (i32.store (local.get 0) (i32.const 0x5ec2e7)) (i32.const 0))"
           " (data (i32.const 0) \"%s\") (data (i32.const 0x11000) \"%s\"))",
           first, second);
  return compile(engine, text, NULL);
}

static int32_t word_of(char fill) { return (int32_t)((uint32_t)(unsigned char)fill * 0x01010101u); }

// One tenant: the memory shows `fill`'s data and zeros, whatever earlier tenants of the slot did;
// then it writes over the data, between and after it, and grows.
static void image_tenant(wasm_engine_t *engine, wasmtime_module_t *module, char fill) {
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t instance;
  if (instantiate(store, module, &instance, NULL)) {
    static const int32_t data_at[] = {0, 4092, 0x11000, 0x12ffc};
    static const int32_t zero_at[] = {4096, 0x10ffc, 0x13000, 0x2fffc};
    for (size_t i = 0; i < sizeof data_at / sizeof *data_at; i++) CHECK(call_i32(store, &instance, "peek", data_at[i]) == word_of(fill));
    for (size_t i = 0; i < sizeof zero_at / sizeof *zero_at; i++) CHECK(call_i32(store, &instance, "peek", zero_at[i]) == 0);
    CHECK(call_i32(store, &instance, "grow", 0) == 3);
    CHECK(call_i32(store, &instance, "poke", 0) == 0 && call_i32(store, &instance, "poke", 0x11000) == 0);
    CHECK(call_i32(store, &instance, "poke", 8192) == 0 && call_i32(store, &instance, "poke", 0x2fffc) == 0);
    CHECK(call_i32(store, &instance, "grow", 2) == 3 && call_i32(store, &instance, "poke", 0x4fffc) == 0);
    CHECK(call_i32(store, &instance, "peek", 0) == 0x5ec2e7 && call_i32(store, &instance, "peek", 0x4fffc) == 0x5ec2e7);
  }
  wasmtime_store_delete(store);
}

static void memory_images(void) {
  // Two memory slots for three modules with data: slots change hands between modules.
  wasm_engine_t *engine = pooling_engine(4, 2, 4, 8 << 16, 10);
  wasmtime_module_t *a = image_module(engine, 'a'), *b = image_module(engine, 'b'), *c = image_module(engine, 'c');
  if (a && b && c) {
    const char *order = "aabacbccaabbcab";
    for (const char *at = order; *at; at++) image_tenant(engine, *at == 'a' ? a : *at == 'b' ? b : c, *at);
    // Two instances at once: both slots in use, each with its module's data.
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_instance_t first, second;
    if (instantiate(store, a, &first, NULL) && instantiate(store, b, &second, NULL)) {
      CHECK(call_i32(store, &first, "peek", 0x11000) == word_of('a') && call_i32(store, &second, "peek", 0x11000) == word_of('b'));
      CHECK(call_i32(store, &first, "poke", 0x11000) == 0 && call_i32(store, &second, "peek", 0x11000) == word_of('b'));
    }
    wasmtime_store_delete(store);
    image_tenant(engine, b, 'b');
    image_tenant(engine, a, 'a');
  }
  // A module deleted while a slot keeps its image: the slot serves another module correctly.
  if (a) wasmtime_module_delete(a);
  wasmtime_module_t *d = image_module(engine, 'd');
  if (d) {
    image_tenant(engine, d, 'd');
    image_tenant(engine, d, 'd');
    wasmtime_module_delete(d);
  }
  if (b) wasmtime_module_delete(b);
  if (c) wasmtime_module_delete(c);
  wasm_engine_delete(engine);
}

static void many_cycles(void) {
  wasm_engine_t *engine = pooling_engine(4, 4, 4, 4 << 16, 100);
  wasmtime_module_t *module = compile(engine, tenant, NULL);
  int good = 0;
  for (int i = 0; i < 3000 && module; i++) {
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_instance_t instance;
    if (instantiate(store, module, &instance, NULL) && call_i32(store, &instance, "peek", 16) == 0 &&
        call_i32(store, &instance, "grow", 3) == 1 && call_i32(store, &instance, "poke", 16) == 0)
      good++;
    wasmtime_store_delete(store);
  }
  CHECK(good == 3000);
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

// The engine may go first: stores, modules and errors made with it stay valid.
static void engine_deleted_first(void) {
  wasm_engine_t *engine = pooling_engine(2, 2, 2, 1 << 16, 10);
  wasmtime_module_t *module = compile(engine, tenant, NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t instance;
  instantiate(store, module, &instance, NULL);
  wasmtime_instance_t extra[2];
  wasmtime_error_t *error = NULL;
  wasm_trap_t *trap = NULL;
  instantiate(store, module, &extra[0], NULL);
  error = wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &extra[1], &trap);
  CHECK(error != NULL);
  wasm_engine_delete(engine);
  CHECK(call_i32(store, &instance, "poke", 100) == 0);
  CHECK(call_i32(store, &instance, "peek", 100) == 0x5ec2e7);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  check_error(error, "maximum concurrent limit of 2 for core instances reached");
}

// Four threads cycle stores on one pooling engine with three instances: each cycle either
// instantiates and runs or meets the instance limit; nothing else happens.
static wasm_engine_t *shared_engine;
static wasmtime_module_t *shared_module;
static _Atomic int cycles_run, cycles_limited, cycles_wrong;

static void *cycle_stores(void *unused) {
  (void)unused;
  for (int i = 0; i < 1000; i++) {
    wasmtime_store_t *store = wasmtime_store_new(shared_engine, NULL, NULL);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_instance_new(wasmtime_store_context(store), shared_module, NULL, 0, &instance, &trap);
    if (error) {
      wasm_message_t message;
      wasmtime_error_message(error, &message);
      if (strstr(message.data, "maximum concurrent limit of 3 for core instances reached")) cycles_limited++; else cycles_wrong++;
      wasm_byte_vec_delete(&message);
      wasmtime_error_delete(error);
    } else if (call_i32(store, &instance, "poke", 64) == 0 && call_i32(store, &instance, "peek", 64) == 0x5ec2e7) {
      cycles_run++;
    } else {
      cycles_wrong++;
    }
    wasmtime_store_delete(store);
  }
  return NULL;
}

static void threads(void) {
  shared_engine = pooling_engine(3, 3, 3, 1 << 16, 10);
  shared_module = compile(shared_engine, tenant, NULL);
  pthread_t workers[4];
  for (int i = 0; i < 4; i++) pthread_create(&workers[i], NULL, cycle_stores, NULL);
  for (int i = 0; i < 4; i++) pthread_join(workers[i], NULL);
  CHECK(cycles_run + cycles_limited == 4000 && cycles_wrong == 0 && cycles_run > 0);
  wasmtime_module_delete(shared_module);
  wasm_engine_delete(shared_engine);
}

#ifndef ON_WASMTIME
// GC objects come from the pool's arena: a store that keeps allocating gets the out-of-memory
// error, and once it is deleted the next store can do the same again.
static void arena_exhaustion(void) {
  wasm_engine_t *engine = pooling_engine(2, 2, 2, 1 << 16, 10);
  wasmtime_module_t *module = compile(engine,
      "(module (type $a (array (mut i64))) (type $o (array (mut (ref null $a))))"
      " (func (export \"hog\") (param $n i32) (result i32) (local $keep (ref null $o))"
      "  (local.set $keep (array.new $o (ref.null $a) (local.get $n)))"
      "  (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
      "   (array.set $o (local.get $keep) (local.get $n) (array.new $a (i64.const 1) (i32.const 100000)))"
      "   (br_if $l (local.get $n))) (i32.const 0)))", NULL);
  for (int round = 0; round < 3 && module; round++) {
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_instance_t instance;
    if (instantiate(store, module, &instance, NULL)) {
      wasmtime_context_t *context = wasmtime_store_context(store);
      wasmtime_extern_t hog;
      CHECK(wasmtime_instance_export_get(context, &instance, "hog", 3, &hog));
      wasmtime_val_t count = I32(1000), result;
      wasm_trap_t *trap = NULL;
      wasmtime_error_t *error = wasmtime_func_call(context, &hog.of.func, &count, 1, &result, 1, &trap);
      CHECK(error != NULL && trap == NULL && swasm_error_is_oom(error));
      if (error) wasmtime_error_delete(error);
      if (trap) wasm_trap_delete(trap);
      // The store still works: a small allocation after the failed call.
      count = (wasmtime_val_t)I32(2);
      error = wasmtime_func_call(context, &hog.of.func, &count, 1, &result, 1, &trap);
      CHECK(error == NULL && trap == NULL);
      check_error(error, "");
    }
    wasmtime_store_delete(store);
  }
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}
#endif

int main(void) {
  module_limits();
  totals_and_growth();
  memory_slots();
  memory_images();
  many_cycles();
  engine_deleted_first();
  threads();
#ifndef ON_WASMTIME
  arena_exhaustion();
#endif
  if (check_failures) {
    fprintf(stderr, "test_pooling: %d failure(s)\n", check_failures);
    return 1;
  }
  printf("test_pooling: ok\n");
  return 0;
}
