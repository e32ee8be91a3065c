// What a store holds (swasm_context_usage) and the bound on it (swasm_store_limiter_total), swasm's
// extension of the store limiter: each kind is counted when the store takes it (instances with
// their memories and tables, growth, host objects, the execution stack, GC objects until
// collected); the total is the sum; past the bound memory.grow and table.grow return -1, the
// grow functions and instantiation fail with an error, host objects with the out-of-memory error,
// a GC allocation traps out of memory; the store keeps working, and works fully once the bound
// goes; wasmtime_store_limiter leaves the bound alone; pooled stores count the same way.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}

static const char tenant[] =
    "(module (memory (export \"memory\") 2) (table 10 funcref) (global (mut i32) (i32.const 0))"
    " (type $pair (struct (field i64) (field i64)))"
    " (global $keep (mut (ref null $pair)) (ref.null $pair))"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    " (func (export \"table_grow\") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))"
    " (func (export \"size\") (param i32) (result i32) (memory.size))"
    // Allocates n pairs, keeping only the last (the others are garbage).
    " (func (export \"allocate\") (param i32) (result i32)"
    "   (loop $again (global.set $keep (struct.new $pair (i64.const 1) (i64.const 2)))"
    "     (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))) (i32.const 0))"
    // Allocates n arrays of 1 KiB all kept alive in one array, then drops them.
    " (type $bytes (array (mut i8))) (type $list (array (mut (ref null $bytes))))"
    " (func (export \"hoard\") (param i32) (result i32) (local $list (ref null $list)) (local $i i32)"
    "   (local.set $list (array.new_default $list (local.get 0)))"
    "   (loop $again (array.set $list (local.get $list) (local.get $i) (array.new_default $bytes (i32.const 1024)))"
    "     (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0)))) (i32.const 0)))";

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &binary);
  CHECK(error == NULL);
  if (check_error(error, "")) return NULL;
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  CHECK(error == NULL);
  check_error(error, "");
  return module;
}

static swasm_store_usage_t usage_of(wasmtime_store_t *store) {
  swasm_store_usage_t usage;
  memset(&usage, 0xff, sizeof usage);
  CHECK(swasm_context_usage(wasmtime_store_context(store), &usage));
  CHECK(usage.total == usage.instances + usage.host_objects + usage.stacks + usage.tables + usage.memories + usage.gc_heap);
  return usage;
}

// Calls export `name` with one i32: its result, or INT32_MIN after an error or a trap (which
// `*oom_trap` says was out of memory, if given).
static int32_t call(wasmtime_store_t *store, wasmtime_instance_t *instance, const char *name, int32_t argument, int *oom) {
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_extern_t export;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &export)) {
    CHECK(!"export");
    return INT32_MIN;
  }
  wasmtime_val_t args[1] = {I32(argument)}, result;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &export.of.func, args, 1, &result, 1, &trap);
  if (oom) *oom = (error && swasm_error_is_oom(error)) || (trap && swasm_trap_is_oom(trap));
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  return error || trap ? INT32_MIN : result.of.i32;
}

static wasm_engine_t *engine_with_stack(size_t stack, int pooled) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_max_wasm_stack_set(config, stack);
  wasmtime_config_wasm_gc_set(config, true);
  wasmtime_config_wasm_function_references_set(config, true);
  if (pooled) {
    wasmtime_pooling_allocation_config_t *pooling = wasmtime_pooling_allocation_config_new();
    wasmtime_pooling_allocation_config_total_core_instances_set(pooling, 4);
    wasmtime_pooling_allocation_config_total_memories_set(pooling, 4);
    wasmtime_pooling_allocation_config_total_tables_set(pooling, 4);
    wasmtime_pooling_allocation_config_max_memory_size_set(pooling, 64 << 16);
    wasmtime_pooling_allocation_strategy_set(config, pooling);
    wasmtime_pooling_allocation_config_delete(pooling);
  }
  return wasm_engine_new_with_config(config);
}

static void counting(int pooled) {
  wasm_engine_t *engine = engine_with_stack(256 << 10, pooled);
  wasmtime_module_t *module = compile(engine, tenant);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  swasm_store_usage_t empty = usage_of(store);
  CHECK(empty.total == 0);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  check_error(error, "");
  swasm_store_usage_t made = usage_of(store);
  CHECK(made.memories == 2 * 65536 && made.tables == 10 * 8 && made.instances > 0 && made.stacks == 0 && made.host_objects == 0);
  // The first call takes the stack: max_wasm_stack bytes.
  CHECK(call(store, &instance, "size", 0, NULL) == 2);
  swasm_store_usage_t called = usage_of(store);
  CHECK(called.stacks == 256 << 10);
  CHECK(call(store, &instance, "grow", 3, NULL) == 2 && call(store, &instance, "table_grow", 5, NULL) == 10);
  swasm_store_usage_t grown = usage_of(store);
  CHECK(grown.memories == 5 * 65536 && grown.tables == 15 * 8 && grown.instances == made.instances);
  // Growth that fails counts nothing.
  CHECK(call(store, &instance, "grow", 70000, NULL) == -1);
  CHECK(usage_of(store).memories == 5 * 65536);

  // Host objects: a global, a table of 4, a memory of 1 page.
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_valtype_t *i32 = wasm_valtype_new(WASM_I32);
  wasm_globaltype_t *global_type = wasm_globaltype_new(i32, WASM_VAR);
  wasmtime_val_t zero = I32(0);
  wasmtime_global_t global;
  error = wasmtime_global_new(context, global_type, &zero, &global);
  CHECK(error == NULL);
  check_error(error, "");
  wasm_limits_t table_limits = {4, 100};
  wasm_tabletype_t *table_type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &table_limits);
  wasmtime_val_t null_func = {.kind = WASMTIME_FUNCREF};
  null_func.of.funcref.store_id = 0;
  wasmtime_table_t table;
  error = wasmtime_table_new(context, table_type, &null_func, &table);
  CHECK(error == NULL);
  check_error(error, "");
  wasm_memorytype_t *memory_type = NULL;
  check_error(wasmtime_memorytype_new(1, true, 10, false, false, 16, &memory_type), "");
  wasmtime_memory_t memory;
  error = wasmtime_memory_new(context, memory_type, &memory);
  CHECK(error == NULL);
  check_error(error, "");
  swasm_store_usage_t hosted = usage_of(store);
  CHECK(hosted.host_objects > 0 && hosted.tables == grown.tables + 4 * 8 && hosted.memories == grown.memories + 65536);
  uint64_t previous;
  error = wasmtime_memory_grow(context, &memory, 2, &previous);
  CHECK(error == NULL && usage_of(store).memories == hosted.memories + 2 * 65536);
  check_error(error, "");
  error = wasmtime_table_grow(context, &table, 6, &null_func, &previous);
  CHECK(error == NULL && usage_of(store).tables == hosted.tables + 6 * 8);
  check_error(error, "");

  // GC objects: counted until collected, as swasm_context_gc_statistics says.
  CHECK(call(store, &instance, "allocate", 1000, NULL) == 0);
  swasm_gc_statistics_t statistics;
  CHECK(swasm_context_gc_statistics(context, &statistics));
  swasm_store_usage_t allocated = usage_of(store);
  CHECK(allocated.gc_heap > 0 && allocated.gc_heap == statistics.heap_bytes);
  wasmtime_context_gc(context);
  CHECK(usage_of(store).gc_heap < allocated.gc_heap);

  // A bound 1 page above what is held: one page grows, the next does not; tables and host objects
  // are refused past it; instantiation fails with a message; the store still runs.
  swasm_store_usage_t before = usage_of(store);
  swasm_store_limiter_total(store, (int64_t)(before.total + 65536 + 100));
  // wasmtime's limiter leaves the bound as it is.
  wasmtime_store_limiter(store, -1, -1, -1, -1, -1);
  CHECK(call(store, &instance, "grow", 1, NULL) == 5);
  CHECK(call(store, &instance, "grow", 1, NULL) == -1);
  CHECK(call(store, &instance, "table_grow", 100, NULL) == -1);
  CHECK(call(store, &instance, "table_grow", 1, NULL) == 15);
  error = wasmtime_memory_grow(context, &memory, 1, &previous);
  CHECK(error != NULL);
  check_error(error, "failed to grow memory by `1`");
  error = wasmtime_table_grow(context, &table, 100, &null_func, &previous);
  CHECK(error != NULL);
  check_error(error, "failed to grow table by `100`");
  wasmtime_instance_t second;
  error = wasmtime_instance_new(context, module, NULL, 0, &second, &trap);
  CHECK(error != NULL && trap == NULL);
  check_error(error, "exceeds the store's limit of");
  wasmtime_memory_t refused_memory;
  wasm_memorytype_t *big = NULL;
  check_error(wasmtime_memorytype_new(4, false, 0, false, false, 16, &big), "");
  error = wasmtime_memory_new(context, big, &refused_memory);
  CHECK(error != NULL && swasm_error_is_oom(error));
  if (error) wasmtime_error_delete(error);
  wasm_memorytype_delete(big);
  swasm_store_usage_t bounded = usage_of(store);
  CHECK(bounded.total <= before.total + 65536 + 100);
  // GC objects past the bound: an out-of-memory trap once collecting leaves no room.
  int oom = 0;
  CHECK(call(store, &instance, "hoard", 1000, &oom) == INT32_MIN && oom);
  // Garbage alone never stops a program: it is collected first.
  CHECK(call(store, &instance, "allocate", 20000, NULL) == 0);
  CHECK(usage_of(store).total <= before.total + 65536 + 100);
  CHECK(call(store, &instance, "size", 0, NULL) == 6);
  // Without the bound everything works again.
  swasm_store_limiter_total(store, -1);
  CHECK(call(store, &instance, "grow", 1, NULL) == 6);
  CHECK(call(store, &instance, "hoard", 1000, &oom) == 0);
  error = wasmtime_instance_new(context, module, NULL, 0, &second, &trap);
  CHECK(error == NULL && trap == NULL);
  check_error(error, "");

  wasm_memorytype_delete(memory_type);
  wasm_tabletype_delete(table_type);
  wasm_globaltype_delete(global_type);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

// A bound too small for the execution stack: the first call fails with the out-of-memory error,
// and works once the bound allows the stack.
static void stack_bound(void) {
  wasm_engine_t *engine = engine_with_stack(512 << 10, 0);
  wasmtime_module_t *module = compile(engine, tenant);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  check_error(error, "");
  swasm_store_limiter_total(store, (int64_t)(usage_of(store).total + 1000));
  int oom = 0;
  CHECK(call(store, &instance, "size", 0, &oom) == INT32_MIN && oom);
  CHECK(usage_of(store).stacks == 0);
  swasm_store_limiter_total(store, (int64_t)(usage_of(store).total + (512 << 10)));
  CHECK(call(store, &instance, "size", 0, NULL) == 2);
  CHECK(usage_of(store).stacks == 512 << 10);
  // A store whose bound is below its first instance: refused with the amount.
  wasmtime_store_t *tight = wasmtime_store_new(engine, NULL, NULL);
  swasm_store_limiter_total(tight, 65536);
  error = wasmtime_instance_new(wasmtime_store_context(tight), module, NULL, 0, &instance, &trap);
  CHECK(error != NULL);
  check_error(error, "instance needs ");
  CHECK(usage_of(tight).total == 0);
  wasmtime_store_delete(tight);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

int main(void) {
  counting(0);
  counting(1);
  stack_bound();
  if (check_failures) {
    fprintf(stderr, "test_store_usage: %d failure(s)\n", check_failures);
    return 1;
  }
  printf("test_store_usage: ok\n");
  return 0;
}
