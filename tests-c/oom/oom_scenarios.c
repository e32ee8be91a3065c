// Allocation-failure scenarios for libswasm.so: every public path, swept by oom_harness.c in the
// transient, persistent and strict modes. Each scenario tears down everything it made, returns
// OOM_RESULT_OOM only after checking that the failure was reported as out of memory (the static
// out-of-memory error, a NULL return, or an empty output vector), and OOM_RESULT_OK otherwise.
#include <fcntl.h>
#include <wasi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "oom_artifact_scenarios.h"
#include "oom_pooling_scenarios.h"
#include "oom_harness.h"

// A wasmtime_error_t result: NULL is success; anything else must be the out-of-memory error.
static oom_result error_result(wasmtime_error_t *error) {
  if (error == NULL) return OOM_RESULT_OK;
  int oom = swasm_error_is_oom(error);
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return oom ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
}

// MARK: configuration and engines

static oom_result scenario_config_new(void) {
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_consume_fuel_set(config, true));
  OOM_CALL_VOID(wasmtime_config_max_wasm_stack_set(config, 65536));
  oom_result result = error_result(OOM_CALL(wasmtime_config_target_set(config, "x86_64-unknown-linux-gnu")));
  OOM_CALL_VOID(wasm_config_delete(config));
  return result;
}

static oom_result scenario_engine_new(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return OOM_RESULT_OK;
}

// A host stack creator: swasm never asks it for a stack; its environment is finalized once, with
// the engine or when no engine could be made.
static int stack_creator_finalized;
static void count_stack_creator(void *env) {
  (void)env;
  stack_creator_finalized++;
}
static wasmtime_error_t *unused_new_stack(void *env, size_t size, bool zeroed, wasmtime_stack_memory_t *stack) {
  (void)env, (void)size, (void)zeroed, (void)stack;
  return NULL;
}

static oom_result scenario_engine_new_with_config(void) {
  stack_creator_finalized = 0;
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_epoch_interruption_set(config, true));
  wasmtime_stack_creator_t creator = {NULL, unused_new_stack, count_stack_creator};
  OOM_CALL_VOID(wasmtime_config_host_stack_creator_set(config, &creator));
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new_with_config(config)); // consumes config
  if (!engine) {
    OOM_EXPECT(stack_creator_finalized == 1);
    return OOM_RESULT_OOM;
  }
  wasm_engine_t *clone = OOM_CALL(wasmtime_engine_clone(engine));
  OOM_EXPECT(clone != NULL);
  OOM_CALL_VOID(wasm_engine_delete(engine));
  OOM_CALL_VOID(wasmtime_engine_increment_epoch(clone));
  OOM_CALL_VOID(wasm_engine_delete(clone));
  OOM_EXPECT(stack_creator_finalized == 1);
  return OOM_RESULT_OK;
}

// MARK: stores

static int finalizer_calls;
static void count_finalizer(void *data) {
  (void)data;
  finalizer_calls++;
}

static oom_result scenario_store_new(void) {
  finalizer_calls = 0;
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  int data = 1;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, &data, count_finalizer));
  if (!store) {
    OOM_EXPECT(finalizer_calls == 1); // a failed store_new finalizes the data at once
    OOM_CALL_VOID(wasm_engine_delete(engine));
    return OOM_RESULT_OOM;
  }
  wasmtime_context_t *context = OOM_CALL(wasmtime_store_context(store));
  OOM_EXPECT(OOM_CALL(wasmtime_context_get_data(context)) == &data);
  OOM_CALL_VOID(wasmtime_context_set_epoch_deadline(context, 5));
  OOM_CALL_VOID(wasmtime_store_limiter(store, 65536, 100, 1, 1, 1));
  OOM_CALL_VOID(wasm_engine_delete(engine)); // the store keeps the engine alive
  OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_EXPECT(finalizer_calls == 1);
  return OOM_RESULT_OK;
}

static oom_result scenario_wasm_store_new(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  if (!store) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_store_delete(store));
  return OOM_RESULT_OK;
}

// Fuel on an engine that meters it, then the "not configured" error on one that does not: the
// error object itself needs memory, and without it the error must be the out-of-memory one.
static oom_result scenario_fuel(void) {
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_consume_fuel_set(config, true));
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new_with_config(config));
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  if (!store) return OOM_RESULT_OOM;
  wasmtime_context_t *context = wasmtime_store_context(store);
  oom_result result = error_result(OOM_CALL(wasmtime_context_set_fuel(context, 1000)));
  uint64_t fuel = 0;
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_get_fuel(context, &fuel)));
  if (result == OOM_RESULT_OK) OOM_EXPECT(fuel == 1000);
  OOM_CALL_VOID(wasmtime_store_delete(store));
  if (result != OOM_RESULT_OK) return result;

  wasm_engine_t *plain = OOM_CALL(wasm_engine_new());
  if (!plain) return OOM_RESULT_OOM;
  wasmtime_store_t *unmetered = OOM_CALL(wasmtime_store_new(plain, NULL, NULL));
  OOM_CALL_VOID(wasm_engine_delete(plain));
  if (!unmetered) return OOM_RESULT_OOM;
  wasmtime_error_t *error = OOM_CALL(wasmtime_context_set_fuel(wasmtime_store_context(unmetered), 1));
  OOM_EXPECT(error != NULL); // an error either way: which one depends on memory
  result = OOM_RESULT_OK;
  if (error && swasm_error_is_oom(error)) {
    result = OOM_RESULT_OOM;
    oom_disarm(); // the store must still work after the failure
    OOM_EXPECT(OOM_CALL(wasmtime_context_get_data(wasmtime_store_context(unmetered))) == NULL);
  }
  OOM_CALL_VOID(wasmtime_error_delete(error));
  OOM_CALL_VOID(wasmtime_store_delete(unmetered));
  return result;
}

// MARK: errors

static oom_result scenario_error_message(void) {
  wasmtime_error_t *error = OOM_CALL(wasmtime_error_new("host failure"));
  OOM_EXPECT(error != NULL);
  if (swasm_error_is_oom(error)) {
    OOM_CALL_VOID(wasmtime_error_delete(error)); // a no-op on the static error
    return OOM_RESULT_OOM;
  }
  wasm_name_t message;
  OOM_CALL_VOID(wasmtime_error_message(error, &message));
  int got_message = message.size == strlen("host failure");
  OOM_CALL_VOID(wasm_byte_vec_delete(&message));
  int status = 0;
  OOM_EXPECT(!OOM_CALL(wasmtime_error_exit_status(error, &status)));
  wasm_frame_vec_t trace;
  OOM_CALL_VOID(wasmtime_error_wasm_trace(error, &trace));
  OOM_CALL_VOID(wasm_frame_vec_delete(&trace));
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return got_message ? OOM_RESULT_OK : OOM_RESULT_OOM; // an empty message means it could not be copied
}

// The static out-of-memory error reads like any other error: its message is "out of memory".
static oom_result scenario_oom_error_message(void) {
  wasmtime_error_t *error = OOM_CALL(wasmtime_error_new("x"));
  if (!swasm_error_is_oom(error)) {
    OOM_CALL_VOID(wasmtime_error_delete(error));
    return OOM_RESULT_OK;
  }
  oom_disarm();
  wasm_name_t message;
  OOM_CALL_VOID(wasmtime_error_message(error, &message));
  OOM_EXPECT(message.size == 13 && memcmp(message.data, "out of memory", 13) == 0);
  OOM_CALL_VOID(wasm_byte_vec_delete(&message));
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return OOM_RESULT_OOM;
}

// MARK: vectors and names

static oom_result scenario_byte_vectors(void) {
  wasm_byte_vec_t bytes;
  OOM_CALL_VOID(wasm_byte_vec_new(&bytes, 11, "hello world"));
  if (bytes.size != 11) return OOM_RESULT_OOM;
  wasm_byte_vec_t copy;
  OOM_CALL_VOID(wasm_byte_vec_copy(&copy, &bytes));
  OOM_CALL_VOID(wasm_byte_vec_delete(&bytes));
  if (copy.size != 11) return OOM_RESULT_OOM;
  OOM_EXPECT(memcmp(copy.data, "hello world", 11) == 0);
  OOM_CALL_VOID(wasm_byte_vec_delete(&copy));
  wasm_byte_vec_t uninitialized;
  OOM_CALL_VOID(wasm_byte_vec_new_uninitialized(&uninitialized, 4096));
  if (uninitialized.size != 4096) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_byte_vec_delete(&uninitialized));
  wasm_name_t name;
  OOM_CALL_VOID(wasm_name_new_from_string_nt(&name, "module"));
  if (name.size != 7) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_name_delete(&name));
  return OOM_RESULT_OK;
}

// MARK: type objects

static oom_result scenario_valtypes(void) {
  wasm_valtype_t *i64 = OOM_CALL(wasm_valtype_new(WASM_I64));
  if (!i64) return OOM_RESULT_OOM;
  wasm_valtype_t *copy = OOM_CALL(wasm_valtype_copy(i64));
  OOM_CALL_VOID(wasm_valtype_delete(i64));
  if (!copy) return OOM_RESULT_OOM;
  wasm_valtype_t *v128 = OOM_CALL(wasmtime_wasm_valtype_v128());
  if (!v128) {
    OOM_CALL_VOID(wasm_valtype_delete(copy));
    return OOM_RESULT_OOM;
  }
  OOM_EXPECT(!OOM_CALL(wasmtime_wasm_valtype_equal(copy, v128)));
  wasmtime_valtype_t full;
  OOM_CALL_VOID(wasmtime_valtype_new(copy, &full));
  OOM_CALL_VOID(wasm_valtype_delete(copy));
  OOM_CALL_VOID(wasm_valtype_delete(v128));
  wasm_valtype_t *back = OOM_CALL(wasmtime_valtype_to_wasm(NULL, &full));
  OOM_CALL_VOID(wasmtime_valtype_delete(&full));
  if (!back) return OOM_RESULT_OOM;
  OOM_EXPECT(wasm_valtype_kind(back) == WASM_I64);
  OOM_CALL_VOID(wasm_valtype_delete(back));
  return OOM_RESULT_OK;
}

// The header's inline helpers: given value types whose creation succeeded, a failure inside the
// helper (a vector it could not allocate) reaches the caller as NULL, with everything freed.
static oom_result scenario_functype(void) {
  wasm_valtype_t *types[5];
  const wasm_valkind_t kinds[5] = {WASM_I32, WASM_I64, WASM_FUNCREF, WASM_F32, WASM_EXTERNREF};
  for (int i = 0; i < 5; i++) {
    types[i] = OOM_CALL(wasm_valtype_new(kinds[i]));
    if (!types[i]) {
      for (int j = 0; j < i; j++) OOM_CALL_VOID(wasm_valtype_delete(types[j]));
      return OOM_RESULT_OOM;
    }
  }
  wasm_functype_t *type = OOM_CALL(wasm_functype_new_3_2(types[0], types[1], types[2], types[3], types[4]));
  if (!type) return OOM_RESULT_OOM;
  OOM_EXPECT(wasm_functype_params(type)->size == 3 && wasm_functype_results(type)->size == 2);
  wasm_functype_t *copy = OOM_CALL(wasm_functype_copy(type));
  wasm_externtype_t *as_extern_copy = copy ? NULL : NULL;
  if (copy) as_extern_copy = OOM_CALL(wasm_externtype_copy(wasm_functype_as_externtype(copy)));
  oom_result result = (copy && as_extern_copy) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  if (as_extern_copy) {
    OOM_EXPECT(wasm_externtype_kind(as_extern_copy) == WASM_EXTERN_FUNC);
    OOM_CALL_VOID(wasm_externtype_delete(as_extern_copy));
  }
  if (copy) OOM_CALL_VOID(wasm_functype_delete(copy));
  OOM_CALL_VOID(wasm_functype_delete(type));
  return result;
}

static oom_result scenario_global_table_memory_types(void) {
  wasm_valtype_t *content = OOM_CALL(wasm_valtype_new(WASM_F64));
  if (!content) return OOM_RESULT_OOM;
  wasm_globaltype_t *global = OOM_CALL(wasm_globaltype_new(content, WASM_VAR)); // consumes content
  if (!global) return OOM_RESULT_OOM;
  wasm_globaltype_t *global_copy = OOM_CALL(wasm_globaltype_copy(global));
  OOM_CALL_VOID(wasm_globaltype_delete(global));
  if (!global_copy) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_globaltype_delete(global_copy));

  wasm_limits_t limits = {1, 100};
  wasm_valtype_t *element = OOM_CALL(wasm_valtype_new(WASM_FUNCREF));
  if (!element) return OOM_RESULT_OOM;
  wasm_tabletype_t *table = OOM_CALL(wasm_tabletype_new(element, &limits));
  if (!table) return OOM_RESULT_OOM;
  wasm_tabletype_t *table_copy = OOM_CALL(wasm_tabletype_copy(table));
  OOM_CALL_VOID(wasm_tabletype_delete(table));
  if (!table_copy) return OOM_RESULT_OOM;
  OOM_EXPECT(wasm_tabletype_limits(table_copy)->max == 100);
  OOM_CALL_VOID(wasm_tabletype_delete(table_copy));

  wasm_memorytype_t *memory = OOM_CALL(wasm_memorytype_new(&limits));
  if (!memory) return OOM_RESULT_OOM;
  wasm_memorytype_t *memory_copy = OOM_CALL(wasm_memorytype_copy(memory));
  OOM_CALL_VOID(wasm_memorytype_delete(memory));
  if (!memory_copy) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_memorytype_delete(memory_copy));

  wasm_memorytype_t *memory64 = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_memorytype_new(1, true, 1ull << 33, true, false, 16, &memory64)));
  if (result != OOM_RESULT_OK) {
    OOM_EXPECT(memory64 == NULL);
    return result;
  }
  OOM_CALL_VOID(wasm_memorytype_delete(memory64));
  return OOM_RESULT_OK;
}

static oom_result scenario_import_export_types(void) {
  wasm_name_t module, name;
  OOM_CALL_VOID(wasm_name_new_from_string(&module, "env"));
  if (module.size == 0) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_name_new_from_string(&name, "table"));
  if (name.size == 0) {
    OOM_CALL_VOID(wasm_name_delete(&module));
    return OOM_RESULT_OOM;
  }
  wasm_limits_t limits = {0, wasm_limits_max_default};
  wasm_valtype_t *element = OOM_CALL(wasm_valtype_new(WASM_EXTERNREF));
  wasm_tabletype_t *table = element ? OOM_CALL(wasm_tabletype_new(element, &limits)) : NULL;
  // wasm_importtype_new takes ownership of the names and the type, whatever happens.
  wasm_importtype_t *import = OOM_CALL(wasm_importtype_new(&module, &name, table ? wasm_tabletype_as_externtype(table) : NULL));
  if (!import) return OOM_RESULT_OOM;

  wasm_importtype_vec_t imports;
  wasm_importtype_t *items[1] = {import};
  OOM_CALL_VOID(wasm_importtype_vec_new(&imports, 1, items)); // takes ownership of import
  if (imports.size != 1) return OOM_RESULT_OOM;
  wasm_importtype_vec_t copy;
  OOM_CALL_VOID(wasm_importtype_vec_copy(&copy, &imports));
  OOM_CALL_VOID(wasm_importtype_vec_delete(&imports));
  if (copy.size != 1) return OOM_RESULT_OOM;
  OOM_EXPECT(wasm_importtype_name(copy.data[0])->size == 5);
  OOM_CALL_VOID(wasm_importtype_vec_delete(&copy));

  wasm_name_t export_name;
  OOM_CALL_VOID(wasm_name_new_from_string(&export_name, "run"));
  if (export_name.size == 0) return OOM_RESULT_OOM;
  wasm_functype_t *function = OOM_CALL(wasm_functype_new_0_0());
  wasm_exporttype_t *export = OOM_CALL(wasm_exporttype_new(&export_name, function ? wasm_functype_as_externtype(function) : NULL));
  if (!export) return OOM_RESULT_OOM;
  wasm_exporttype_t *export_copy = OOM_CALL(wasm_exporttype_copy(export));
  OOM_CALL_VOID(wasm_exporttype_delete(export));
  if (!export_copy) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasm_exporttype_delete(export_copy));
  return OOM_RESULT_OK;
}

// MARK: modules
//
// Module bytes are read before the sweeps start (from SWASM_OOM_DATA_DIR and
// SWASM_OOM_BENCH_DIR), so the scenarios sweep only what the library allocates.

typedef struct {
  const char *file;
  int in_bench_dir; // a benchmark workload (SWASM_OOM_BENCH_DIR), else a test module (SWASM_OOM_DATA_DIR)
  unsigned char *bytes;
  size_t size;
  size_t imports, exports; // counted before the sweeps, without failures
} test_module;

static test_module modules[] = {
    {.file = "imports_exports.wasm"}, {.file = "all_sections.wasm"}, {.file = "simd.wasm"},
    {.file = "fib.wasm", .in_bench_dir = 1}, {.file = "sha256.wasm", .in_bench_dir = 1}, {.file = "matmul.wasm", .in_bench_dir = 1},
    {.file = "compute.wasm"}, {.file = "externrefs.wasm"},
};

// Records how many imports and exports a module has, so a sweep can tell an empty vector
// (allocation failed) from a short one.
static int count_imports_exports(test_module *module) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_module_t *compiled = NULL;
  wasmtime_error_t *error = engine ? wasmtime_module_new(engine, module->bytes, module->size, &compiled) : NULL;
  int ok = engine && !error && compiled;
  if (ok) {
    wasm_importtype_vec_t imports;
    wasmtime_module_imports(compiled, &imports);
    wasm_exporttype_vec_t exports;
    wasmtime_module_exports(compiled, &exports);
    module->imports = imports.size;
    module->exports = exports.size;
    wasm_importtype_vec_delete(&imports);
    wasm_exporttype_vec_delete(&exports);
  }
  wasmtime_error_delete(error);
  wasmtime_module_delete(compiled);
  wasm_engine_delete(engine);
  return ok;
}

static int load_module(test_module *module, const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, module->file);
  FILE *file = fopen(path, "rb");
  if (!file) return 0;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  module->bytes = size > 0 ? malloc((size_t)size) : NULL;
  module->size = module->bytes && fread(module->bytes, 1, (size_t)size, file) == (size_t)size ? (size_t)size : 0;
  fclose(file);
  return module->size > 0;
}

// Compile, reflect on imports and exports, clone and validate one module.
static oom_result sweep_module(const test_module *module) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *compiled = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_module_new(engine, module->bytes, module->size, &compiled)));
  if (result == OOM_RESULT_OK) {
    wasm_importtype_vec_t imports;
    OOM_CALL_VOID(wasmtime_module_imports(compiled, &imports));
    wasm_exporttype_vec_t exports;
    OOM_CALL_VOID(wasmtime_module_exports(compiled, &exports));
    wasmtime_module_t *clone = OOM_CALL(wasmtime_module_clone(compiled));
    OOM_CALL_VOID(wasmtime_module_delete(compiled));
    // A vector shorter than the module's count means its allocation failed (it is left empty).
    int reflected = imports.size == module->imports && exports.size == module->exports;
    OOM_CALL_VOID(wasm_importtype_vec_delete(&imports));
    OOM_CALL_VOID(wasm_exporttype_vec_delete(&exports));
    OOM_CALL_VOID(wasmtime_module_delete(clone));
    if (!reflected) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_module_validate(engine, module->bytes, module->size)));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

#define MODULE_SCENARIO(index, name)                                        \
  static oom_result scenario_module_##name(void) { return sweep_module(&modules[index]); }
MODULE_SCENARIO(0, imports_exports)
MODULE_SCENARIO(1, all_sections)
MODULE_SCENARIO(2, simd)
MODULE_SCENARIO(3, fib)
MODULE_SCENARIO(4, sha256)
MODULE_SCENARIO(5, matmul)

// wasm.h modules: new, validate, copy, share and obtain in another store.
static oom_result scenario_wasm_module(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
  if (!store) {
    OOM_CALL_VOID(wasm_engine_delete(engine));
    return OOM_RESULT_OOM;
  }
  wasm_byte_vec_t binary = {modules[0].size, (wasm_byte_t *)modules[0].bytes};
  oom_result result = OOM_RESULT_OOM;
  wasm_module_t *module = OOM_CALL(wasm_module_new(store, &binary));
  if (module) {
    wasm_module_t *copy = OOM_CALL(wasm_module_copy(module));
    wasm_shared_module_t *shared = OOM_CALL(wasm_module_share(module));
    OOM_CALL_VOID(wasm_module_delete(module));
    wasm_module_t *obtained = shared ? OOM_CALL(wasm_module_obtain(store, shared)) : NULL;
    if (copy && shared && obtained) result = OOM_RESULT_OK;
    if (obtained) OOM_CALL_VOID(wasm_module_delete(obtained));
    if (shared) OOM_CALL_VOID(wasm_shared_module_delete(shared));
    if (copy) OOM_CALL_VOID(wasm_module_delete(copy));
  }
  OOM_CALL_VOID(wasm_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Instantiation (memory, data, globals, start function) and calls: results, a trap and its
// message, memory growth from WebAssembly and from the API, then the store still works.
static oom_result scenario_instance_and_calls(void) {
  const test_module *compute = &modules[6];
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_module_new(engine, compute->bytes, compute->size, &module)));
  wasmtime_store_t *store = result == OOM_RESULT_OK ? OOM_CALL(wasmtime_store_new(engine, NULL, NULL)) : NULL;
  if (result == OOM_RESULT_OK && !store) result = OOM_RESULT_OOM;
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  wasmtime_extern_t item;
  if (result == OOM_RESULT_OK) {
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "sum_data", 8, &item)));
    wasmtime_val_t value;
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, &value, 1, &trap)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(trap == NULL && value.of.i32 == 36);
  }
  if (result == OOM_RESULT_OK) {
    // A trap object needs memory too: without it, the static out-of-memory trap.
    wasmtime_val_t arguments[2] = {{.kind = WASMTIME_I32, .of.i32 = 1}, {.kind = WASMTIME_I32, .of.i32 = 0}};
    wasmtime_val_t value;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "divide", 6, &item)));
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, arguments, 2, &value, 1, &trap)));
    OOM_EXPECT(result != OOM_RESULT_OK || trap != NULL);
    if (trap) {
      if (OOM_CALL(swasm_trap_is_oom(trap))) {
        result = OOM_RESULT_OOM;
      } else {
        wasm_message_t message;
        OOM_CALL_VOID(wasm_trap_message(trap, &message));
        if (message.size == 0) result = OOM_RESULT_OOM;
        OOM_CALL_VOID(wasm_byte_vec_delete(&message));
      }
      OOM_CALL_VOID(wasm_trap_delete(trap));
      trap = NULL;
    }
  }
  if (result == OOM_RESULT_OK) {
    // memory.grow from WebAssembly: -1 when the allocation fails, never an error.
    wasmtime_val_t pages = {.kind = WASMTIME_I32, .of.i32 = 1};
    wasmtime_val_t value;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "grow", 4, &item)));
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &pages, 1, &value, 1, &trap)));
    if (result == OOM_RESULT_OK && value.of.i32 == -1) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OOM && store) {
    // The store still works after the failure.
    oom_disarm();
    wasmtime_val_t value;
    if (OOM_CALL(wasmtime_instance_export_get(context, &instance, "calls", 5, &item))) {
      wasmtime_error_t *error = OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, &value, 1, &trap));
      OOM_EXPECT(error == NULL && trap == NULL && value.of.i32 >= 100);
      if (error) OOM_CALL_VOID(wasmtime_error_delete(error));
      if (trap) OOM_CALL_VOID(wasm_trap_delete(trap));
    }
  }
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// The linker with host-defined items: a host function, a global, a table and a memory satisfy
// imports_exports.wat's imports; its `double` export calls back into the host function.
static wasm_trap_t *host_add(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                             wasmtime_val_t *results, size_t nresults) {
  (void)env;
  (void)caller;
  (void)nargs;
  (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return NULL;
}

static oom_result scenario_linker_host(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_module_t *module = NULL;
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  if (result == OOM_RESULT_OK)
    result = error_result(OOM_CALL(wasmtime_module_new(engine, modules[0].bytes, modules[0].size, &module)));
  if (result == OOM_RESULT_OK) {
    // One API call at a time, so strict mode sees where each begins and ends.
    wasm_valtype_t *a = OOM_CALL(wasm_valtype_new_i32());
    wasm_valtype_t *b = a ? OOM_CALL(wasm_valtype_new_i32()) : NULL;
    wasm_valtype_t *r = b ? OOM_CALL(wasm_valtype_new_i32()) : NULL;
    wasm_functype_t *type = r ? OOM_CALL(wasm_functype_new_2_1(a, b, r)) : NULL;
    if (!r) {
      if (a) OOM_CALL_VOID(wasm_valtype_delete(a));
      if (b) OOM_CALL_VOID(wasm_valtype_delete(b));
    }
    if (!type) result = OOM_RESULT_OOM;
    else {
      result = error_result(OOM_CALL(wasmtime_linker_define_func(linker, "env", 3, "add", 3, type, host_add, NULL, NULL)));
      OOM_CALL_VOID(wasm_functype_delete(type));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *content = OOM_CALL(wasm_valtype_new_i64());
    wasm_globaltype_t *type = content ? OOM_CALL(wasm_globaltype_new(content, WASM_VAR)) : NULL;
    if (!type) result = OOM_RESULT_OOM;
    else {
      wasmtime_val_t value = {.kind = WASMTIME_I64, .of.i64 = 5};
      wasmtime_global_t global;
      result = error_result(OOM_CALL(wasmtime_global_new(context, type, &value, &global)));
      OOM_CALL_VOID(wasm_globaltype_delete(type));
      if (result == OOM_RESULT_OK) {
        wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_GLOBAL, .of.global = global};
        result = error_result(OOM_CALL(wasmtime_linker_define(linker, context, "env", 3, "counter", 7, &item)));
      }
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_limits_t limits = {1, 10};
    wasm_valtype_t *element = OOM_CALL(wasm_valtype_new_funcref());
    wasm_tabletype_t *type = element ? OOM_CALL(wasm_tabletype_new(element, &limits)) : NULL;
    if (!type) result = OOM_RESULT_OOM;
    else {
      wasmtime_val_t null_ref = {.kind = WASMTIME_FUNCREF};
      wasmtime_funcref_set_null(&null_ref.of.funcref);
      wasmtime_table_t table;
      result = error_result(OOM_CALL(wasmtime_table_new(context, type, &null_ref, &table)));
      OOM_CALL_VOID(wasm_tabletype_delete(type));
      if (result == OOM_RESULT_OK) {
        wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_TABLE, .of.table = table};
        result = error_result(OOM_CALL(wasmtime_linker_define(linker, context, "env", 3, "table", 5, &item)));
      }
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_limits_t limits = {1, 2};
    wasm_memorytype_t *type = OOM_CALL(wasm_memorytype_new(&limits));
    if (!type) result = OOM_RESULT_OOM;
    else {
      wasmtime_memory_t memory;
      result = error_result(OOM_CALL(wasmtime_memory_new(context, type, &memory)));
      OOM_CALL_VOID(wasm_memorytype_delete(type));
      if (result == OOM_RESULT_OK) {
        wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_MEMORY, .of.memory = memory};
        result = error_result(OOM_CALL(wasmtime_linker_define(linker, context, "env", 3, "memory", 6, &item)));
      }
    }
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_linker_instantiate(linker, context, module, &instance, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "double", 6, &item)));
    wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 21};
    wasmtime_val_t value;
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(trap == NULL && value.of.i32 == 42);
  }
  // A clone of the linker pre-links the module; the instance_pre instantiates it a second time.
  wasmtime_linker_t *copy = NULL;
  wasmtime_instance_pre_t *pre = NULL;
  if (result == OOM_RESULT_OK) {
    copy = OOM_CALL(wasmtime_linker_clone(linker));
    if (!copy) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_linker_instantiate_pre(copy, module, &pre)));
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_instance_pre_instantiate(pre, context, &instance, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "double", 6, &item)));
    wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 5};
    wasmtime_val_t value;
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(trap == NULL && value.of.i32 == 10);
  }
  if (result == OOM_RESULT_OK) {
    // No default export under this name: the linker makes a function that does nothing.
    wasmtime_func_t nothing;
    result = error_result(OOM_CALL(wasmtime_linker_get_default(linker, context, "absent", 6, &nothing)));
    if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_func_call(context, &nothing, NULL, 0, NULL, 0, &trap)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(trap == NULL);
  }
  if (pre) OOM_CALL_VOID(wasmtime_instance_pre_delete(pre));
  if (copy) OOM_CALL_VOID(wasmtime_linker_delete(copy));
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// wasm.h runtime objects: host objects made with wasm_*_new (a host function with an
// environment and finalizer), wasm_instance_new with them as imports, the exports, and
// wasm_func_call into WebAssembly that calls back into the host function.
static int wasm_h_add_calls;
static wasm_trap_t *wasm_h_add(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)env;
  wasm_h_add_calls++;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
  return NULL;
}

// A wasm.h trap result: NULL is success; anything else must be the out-of-memory trap.
static oom_result trap_result(wasm_trap_t *trap) {
  if (trap == NULL) return OOM_RESULT_OK;
  int oom = swasm_trap_is_oom(trap);
  // Every trap, the shared out-of-memory one included, is a reference of the trap kind.
  wasm_ref_t *ref = OOM_CALL(wasm_trap_as_ref(trap));
  OOM_EXPECT(ref != NULL && OOM_CALL(wasm_ref_as_trap(ref)) == trap && OOM_CALL(wasm_ref_as_func(ref)) == NULL);
  OOM_CALL_VOID(wasm_trap_delete(trap));
  return oom ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
}

static oom_result scenario_wasm_h_instance(void) {
  finalizer_calls = 0;
  wasm_h_add_calls = 0;
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasm_byte_vec_t binary = {modules[0].size, (wasm_byte_t *)modules[0].bytes};
  wasm_module_t *module = store ? OOM_CALL(wasm_module_new(store, &binary)) : NULL;
  if (!module) result = OOM_RESULT_OOM;
  wasm_func_t *add = NULL;
  int add_attempted = 0;
  wasm_table_t *table = NULL;
  wasm_memory_t *memory = NULL;
  wasm_global_t *counter = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *a = OOM_CALL(wasm_valtype_new_i32());
    wasm_valtype_t *b = OOM_CALL(wasm_valtype_new_i32());
    wasm_valtype_t *c = OOM_CALL(wasm_valtype_new_i32());
    wasm_functype_t *binop = OOM_CALL(wasm_functype_new_2_1(a, b, c)); // takes the value types, NULL or not
    if (!binop) {
      result = OOM_RESULT_OOM;
    } else {
      add_attempted = 1;
      add = OOM_CALL(wasm_func_new_with_env(store, binop, wasm_h_add, NULL, count_finalizer));
      OOM_CALL_VOID(wasm_functype_delete(binop));
      if (!add) result = OOM_RESULT_OOM;
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_limits_t limits = {1, 10};
    wasm_valtype_t *element = OOM_CALL(wasm_valtype_new_funcref());
    wasm_tabletype_t *type = element ? OOM_CALL(wasm_tabletype_new(element, &limits)) : NULL;
    table = type ? OOM_CALL(wasm_table_new(store, type, NULL)) : NULL;
    if (type) OOM_CALL_VOID(wasm_tabletype_delete(type));
    if (!table) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) {
    wasm_limits_t limits = {1, 2};
    wasm_memorytype_t *type = OOM_CALL(wasm_memorytype_new(&limits));
    memory = type ? OOM_CALL(wasm_memory_new(store, type)) : NULL;
    if (type) OOM_CALL_VOID(wasm_memorytype_delete(type));
    if (!memory) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *content = OOM_CALL(wasm_valtype_new_i64());
    wasm_globaltype_t *type = content ? OOM_CALL(wasm_globaltype_new(content, WASM_VAR)) : NULL;
    wasm_val_t initial = WASM_I64_VAL(7);
    counter = type ? OOM_CALL(wasm_global_new(store, type, &initial)) : NULL;
    if (type) OOM_CALL_VOID(wasm_globaltype_delete(type));
    if (!counter) result = OOM_RESULT_OOM;
  }
  wasm_instance_t *instance = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_extern_t *items[4] = {OOM_CALL(wasm_func_as_extern(add)), OOM_CALL(wasm_table_as_extern(table)),
                               OOM_CALL(wasm_memory_as_extern(memory)), OOM_CALL(wasm_global_as_extern(counter))};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(items);
    wasm_trap_t *trap = NULL;
    instance = OOM_CALL(wasm_instance_new(store, module, &imports, &trap));
    if (!instance) {
      OOM_EXPECT(trap != NULL);
      result = trap ? trap_result(trap) : OOM_RESULT_OTHER_ERROR;
    } else {
      OOM_EXPECT(trap == NULL);
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_extern_vec_t exports;
    OOM_CALL_VOID(wasm_instance_exports(instance, &exports));
    if (exports.size != modules[0].exports) result = OOM_RESULT_OOM; // empty: allocation failed
    else {
      wasm_func_t *twice = OOM_CALL(wasm_extern_as_func(exports.data[0]));
      wasm_val_t argument = WASM_I32_VAL(21);
      wasm_val_t value;
      wasm_val_vec_t args = {1, &argument}, results = {1, &value};
      result = trap_result(OOM_CALL(wasm_func_call(twice, &args, &results)));
      if (result == OOM_RESULT_OK) OOM_EXPECT(value.kind == WASM_I32 && value.of.i32 == 42 && wasm_h_add_calls == 1);
      // The table's element is `double`: a call through a reference made from it.
      if (result == OOM_RESULT_OK) {
        wasm_ref_t *element = OOM_CALL(wasm_table_get(table, 0));
        if (!element) result = OOM_RESULT_OOM;
        else {
          result = trap_result(OOM_CALL(wasm_func_call(OOM_CALL(wasm_ref_as_func(element)), &args, &results)));
          OOM_CALL_VOID(wasm_ref_delete(element));
        }
      }
      OOM_CALL_VOID(wasm_extern_vec_delete(&exports));
    }
    OOM_CALL_VOID(wasm_instance_delete(instance));
  }
  if (counter) OOM_CALL_VOID(wasm_global_delete(counter));
  if (memory) OOM_CALL_VOID(wasm_memory_delete(memory));
  if (table) OOM_CALL_VOID(wasm_table_delete(table));
  if (add) OOM_CALL_VOID(wasm_func_delete(add));
  if (module) OOM_CALL_VOID(wasm_module_delete(module));
  if (store) OOM_CALL_VOID(wasm_store_delete(store));
  // The environment's finalizer runs exactly once: with the store, or when wasm_func_new_with_env failed.
  OOM_EXPECT(finalizer_calls == add_attempted);
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// wasm.h objects passed as externrefs: into Wasm as an argument, out of it as a result, through
// a host function, and read back from the table and global Wasm stored them in.
static wasm_trap_t *wasm_h_echo(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  wasm_val_copy(&results->data[0], &args->data[0]); // a copy that cannot be made is null
  return NULL;
}

static oom_result externref_call(wasm_func_t *func, wasm_val_t *args, size_t count, wasm_val_t *result) {
  wasm_val_vec_t arguments = {count, args}, results = {result ? 1 : 0, result};
  return trap_result(OOM_CALL(wasm_func_call(func, &arguments, &results)));
}

static int holds_same_foreign(const wasm_val_t *value, const wasm_foreign_t *foreign) {
  return value->kind == WASM_EXTERNREF && value->of.ref &&
         OOM_CALL(wasm_foreign_same(OOM_CALL(wasm_ref_as_foreign_const(value->of.ref)), foreign));
}

static oom_result scenario_wasm_h_externrefs(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasm_byte_vec_t binary = {modules[7].size, (wasm_byte_t *)modules[7].bytes};
  wasm_module_t *module = store ? OOM_CALL(wasm_module_new(store, &binary)) : NULL;
  if (!module) result = OOM_RESULT_OOM;
  wasm_func_t *echo = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *parameter = OOM_CALL(wasm_valtype_new(WASM_EXTERNREF));
    wasm_valtype_t *returned = OOM_CALL(wasm_valtype_new(WASM_EXTERNREF));
    wasm_functype_t *type = OOM_CALL(wasm_functype_new_1_1(parameter, returned));
    echo = type ? OOM_CALL(wasm_func_new(store, type, wasm_h_echo)) : NULL;
    if (type) OOM_CALL_VOID(wasm_functype_delete(type));
    if (!echo) result = OOM_RESULT_OOM;
  }
  wasm_foreign_t *foreign = result == OOM_RESULT_OK ? OOM_CALL(wasm_foreign_new(store)) : NULL;
  if (!foreign) result = OOM_RESULT_OOM;
  wasm_instance_t *instance = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_extern_t *items[1] = {OOM_CALL(wasm_func_as_extern(echo))};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(items);
    wasm_trap_t *trap = NULL;
    instance = OOM_CALL(wasm_instance_new(store, module, &imports, &trap));
    if (!instance) result = trap ? trap_result(trap) : OOM_RESULT_OTHER_ERROR;
  }
  if (result == OOM_RESULT_OK) {
    wasm_extern_vec_t exports;
    OOM_CALL_VOID(wasm_instance_exports(instance, &exports));
    if (exports.size != modules[7].exports) result = OOM_RESULT_OOM; // empty: allocation failed
    else {
      wasm_table_t *refs = OOM_CALL(wasm_extern_as_table(exports.data[0]));
      wasm_global_t *last = OOM_CALL(wasm_extern_as_global(exports.data[1]));
      wasm_val_t reference = {.kind = WASM_EXTERNREF, .of.ref = OOM_CALL(wasm_foreign_as_ref(foreign))};
      wasm_val_t value = {.kind = WASM_EXTERNREF, .of.ref = NULL};
      // through_host: the host's copy of its argument can fail, which Wasm sees as null.
      result = externref_call(OOM_CALL(wasm_extern_as_func(exports.data[6])), &reference, 1, &value);
      if (result == OOM_RESULT_OK) {
        if (!value.of.ref) result = OOM_RESULT_OOM;
        else OOM_EXPECT(holds_same_foreign(&value, foreign));
        OOM_CALL_VOID(wasm_val_delete(&value));
      }
      if (result == OOM_RESULT_OK) {
        wasm_val_t keep_args[2] = {WASM_I32_VAL(1), reference};
        result = externref_call(OOM_CALL(wasm_extern_as_func(exports.data[3])), keep_args, 2, NULL);
      }
      if (result == OOM_RESULT_OK) {
        wasm_ref_t *element = OOM_CALL(wasm_table_get(refs, 1));
        if (!element) result = OOM_RESULT_OOM; // the element is not null: only allocation can fail
        else {
          OOM_EXPECT(OOM_CALL(wasm_foreign_same(OOM_CALL(wasm_ref_as_foreign(element)), foreign)));
          OOM_CALL_VOID(wasm_ref_delete(element));
        }
      }
      if (result == OOM_RESULT_OK) {
        OOM_CALL_VOID(wasm_global_get(last, &value));
        if (!value.of.ref) result = OOM_RESULT_OOM;
        else OOM_EXPECT(holds_same_foreign(&value, foreign));
        OOM_CALL_VOID(wasm_val_delete(&value));
      }
      OOM_CALL_VOID(wasm_extern_vec_delete(&exports));
    }
    OOM_CALL_VOID(wasm_instance_delete(instance));
  }
  if (foreign) OOM_CALL_VOID(wasm_foreign_delete(foreign));
  if (echo) OOM_CALL_VOID(wasm_func_delete(echo));
  if (module) OOM_CALL_VOID(wasm_module_delete(module));
  if (store) OOM_CALL_VOID(wasm_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// wasmtime_linker_module with a reactor (instantiated and initialized once) and a command (a
// fresh instance per call), then the command's default export and another of its functions.
static wasm_trap_t *host_tick(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                              wasmtime_val_t *results, size_t nresults) {
  (void)env;
  (void)caller;
  (void)args;
  (void)nargs;
  (void)results;
  (void)nresults;
  return NULL;
}

static oom_result call_result(wasmtime_error_t *error, wasm_trap_t *trap) {
  if (error) return error_result(error);
  return trap ? trap_result(trap) : OOM_RESULT_OK;
}

static oom_result scenario_linker_module(void) {
  static const char *texts[2] = {
      "(module (global $g (mut i32) (i32.const 0)) (func (export \"_initialize\") (global.set $g (i32.const 41)))"
      " (func (export \"get\") (result i32) (global.get $g)))",
      "(module (import \"env\" \"tick\" (func $tick)) (global $g (mut i32) (i32.const 0))"
      " (func (export \"_start\") (call $tick))"
      " (func (export \"bump\") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))"};
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_module_t *modules[2] = {NULL, NULL};
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  for (int i = 0; i < 2 && result == OOM_RESULT_OK; i++) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules[i])));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_functype_t *type = OOM_CALL(wasm_functype_new_0_0());
    if (!type) result = OOM_RESULT_OOM;
    else {
      result = error_result(OOM_CALL(wasmtime_linker_define_func(linker, "env", 3, "tick", 4, type, host_tick, NULL, NULL)));
      OOM_CALL_VOID(wasm_functype_delete(type));
    }
  }
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_linker_module(linker, context, "r", 1, modules[0])));
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_linker_module(linker, context, "c", 1, modules[1])));
  wasmtime_extern_t item;
  wasmtime_val_t value;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) {
    if (!OOM_CALL(wasmtime_linker_get(linker, context, "r", 1, "get", 3, &item))) result = OOM_RESULT_OOM;
    else {
      result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, &value, 1, &trap)), trap);
      if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i32 == 41);
    }
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_func_t start;
    result = error_result(OOM_CALL(wasmtime_linker_get_default(linker, context, "c", 1, &start)));
    trap = NULL;
    if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_func_call(context, &start, NULL, 0, NULL, 0, &trap)), trap);
  }
  if (result == OOM_RESULT_OK) {
    if (!OOM_CALL(wasmtime_linker_get(linker, context, "c", 1, "bump", 4, &item))) result = OOM_RESULT_OOM;
    else {
      trap = NULL;
      result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, &value, 1, &trap)), trap);
      if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i32 == 1);
    }
  }
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  for (int i = 0; i < 2; i++)
    if (modules[i]) OOM_CALL_VOID(wasmtime_module_delete(modules[i]));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// The WebAssembly 3.0 proposals implemented so far. Tail calls (return_call,
// return_call_indirect), an extended constant expression and relaxed SIMD: a module
// tail-recursing 100,000 times, mutual recursion through a table, a tail call of a host function,
// and a second instance whose export tail-calls into the first (another instance's function takes
// over the frame). A third module: multi-memory, memory64 and a 64-bit table (growth, data),
// wide arithmetic, and exceptions (caught through calls, caught with _ref and rethrown, thrown
// and caught 1,000 times, and one escaping the call, then taken from the store).
static wasm_trap_t *host_double(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 * 2;
  return NULL;
}

static oom_result scenario_proposals_3_0(void) {
  static const char *texts[3] = {
      "(module (import \"env\" \"double\" (func $double (param i32) (result i32)))"
      " (type $t (func (param i64) (result i32))) (table funcref (elem $even $odd))"
      " (global (export \"k\") i32 (i32.add (i32.mul (i32.const 6) (i32.const 7)) (i32.const 0)))"
      " (func (export \"fma\") (param v128 v128 v128) (result v128)"
      "   (f32x4.relaxed_madd (i8x16.relaxed_swizzle (local.get 0) (local.get 1)) (local.get 1) (local.get 2)))"
      " (func $count (export \"count\") (param i64) (result i64)"
      "   (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 7))"
      "     (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))"
      " (func $even (export \"even\") (param i64) (result i32)"
      "   (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))"
      "     (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))"
      " (func $odd (param i64) (result i32)"
      "   (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))"
      "     (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))"
      " (func (export \"twice\") (param i32) (result i32) (return_call $double (local.get 0)))"
      " (func (export \"twice_next\") (param i32) (result i32)"
      "   (i32.const 5) (drop) (return_call $double (i32.add (local.get 0) (i32.const 1)))))",
      // Typed function references: a table of non-null references with an initializer, a
      // non-defaultable local, call_ref of another module's function.
      "(module (import \"a\" \"count\" (func $count (param i64) (result i64)))"
      " (type $c (func (param i64) (result i64)))"
      " (table $t 2 (ref $c) (ref.func $count))"
      " (func (export \"far\") (param i64) (result i64) (return_call $count (local.get 0)))"
      " (func (export \"via_ref\") (param i64) (result i64) (local $f (ref $c))"
      "   (local.set $f (table.get $t (i32.const 1))) (call_ref $c (local.get 0) (local.get $f))))",
      // Multi-memory, memory64, a 64-bit table, wide arithmetic and exceptions.
      "(module (memory $a 1) (memory $b i64 1 2) (table $t i64 2 funcref) (tag $e (param i64)) (tag $f)"
      " (data (memory $b) (i64.const 8) \"\\2a\")"
      " (func $thrower (param i64) (throw $e (local.get 0)))"
      " (func $inner (param i64) (result i64) (call $thrower (local.get 0)) (i64.const -1))"
      " (func (export \"mm\") (param i64) (result i64)"
      "   (i64.store $b (i64.const 16) (local.get 0)) (i32.store8 $a (i32.const 3) (i32.const 9))"
      // -1 when a growth failed (for lack of memory: the call then counts as out of memory).
      "   (if (i64.eq (memory.grow $b (i64.const 1)) (i64.const -1)) (then (return (i64.const -1))))"
      "   (if (i64.eq (table.grow $t (ref.null func) (i64.const 3)) (i64.const -1)) (then (return (i64.const -1))))"
      "   (i64.add (i64.load $b (i64.const 16)) (i64.extend_i32_u (i32.load8_u $b (i64.const 8)))))"
      " (func (export \"wide\") (param i64) (result i64) (drop (i64.mul_wide_u (local.get 0) (i64.const 4))))"
      " (func (export \"catch\") (param i64) (result i64)"
      "   (i64.add (block $h (result i64) (try_table (result i64) (catch $e $h) (call $inner (local.get 0)))) (i64.const 1)))"
      " (func (export \"rethrow\") (param i64) (result i64)"
      "   (block $outer (result i64) (try_table (result i64) (catch $e $outer)"
      "     (block $h (result i64 exnref) (try_table (result i64 exnref) (catch_ref $e $h) (call $thrower (local.get 0)) unreachable))"
      "     (throw_ref) )))"
      " (func (export \"loop\") (param i64) (result i64) (local $n i64)"
      "   (loop $l (block $h (try_table (catch_all $h) (throw $f)))"
      "     (local.set $n (i64.add (local.get $n) (i64.const 1))) (br_if $l (i64.lt_u (local.get $n) (local.get 0))))"
      "   (local.get $n))"
      " (func (export \"escape\") (param i64) (result i64) (call $thrower (local.get 0)) (i64.const 0)))"};
  static const char *names[3] = {"a", "b", "c"};
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_module_t *modules[3] = {NULL, NULL, NULL};
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *param = OOM_CALL(wasm_valtype_new(WASM_I32)), *returned = OOM_CALL(wasm_valtype_new(WASM_I32));
    // wasm_functype_new_1_1 takes both types, also when it fails.
    wasm_functype_t *type = param && returned ? OOM_CALL(wasm_functype_new_1_1(param, returned)) : NULL;
    if (!type) {
      if (!param || !returned) {
        if (param) OOM_CALL_VOID(wasm_valtype_delete(param));
        if (returned) OOM_CALL_VOID(wasm_valtype_delete(returned));
      }
      result = OOM_RESULT_OOM;
    } else {
      result = error_result(OOM_CALL(wasmtime_linker_define_func(linker, "env", 3, "double", 6, type, host_double, NULL, NULL)));
      OOM_CALL_VOID(wasm_functype_delete(type));
    }
  }
  for (int i = 0; i < 3 && result == OOM_RESULT_OK; i++) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules[i])));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
    if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_linker_module(linker, context, names[i], 1, modules[i])));
  }
  static const struct {
    const char *module, *name;
    wasmtime_valkind_t kind;
    int64_t argument, expected;
  } calls[] = {{"a", "count", WASMTIME_I64, 100000, 7}, {"a", "even", WASMTIME_I64, 10001, 0},
               {"a", "twice", WASMTIME_I32, 21, 42}, {"a", "twice_next", WASMTIME_I32, 21, 44},
               {"b", "far", WASMTIME_I64, 1000, 7},   {"b", "via_ref", WASMTIME_I64, 100, 7},
               {"c", "mm", WASMTIME_I64, 5, 47},
               {"c", "wide", WASMTIME_I64, 3, 12},    {"c", "catch", WASMTIME_I64, 10, 11},
               {"c", "rethrow", WASMTIME_I64, 7, 7},  {"c", "loop", WASMTIME_I64, 1000, 1000}};
  for (size_t i = 0; i < OOM_COUNTOF(calls) && result == OOM_RESULT_OK; i++) {
    wasmtime_extern_t item;
    if (!OOM_CALL(wasmtime_linker_get(linker, context, calls[i].module, 1, calls[i].name, strlen(calls[i].name), &item))) {
      result = OOM_RESULT_OOM;
      break;
    }
    wasmtime_val_t argument = {.kind = calls[i].kind}, value;
    if (calls[i].kind == WASMTIME_I64) argument.of.i64 = calls[i].argument;
    else argument.of.i32 = (int32_t)calls[i].argument;
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap)), trap);
    if (result == OOM_RESULT_OK && strcmp(calls[i].name, "mm") == 0 && value.of.i64 == -1) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK)
      OOM_EXPECT((calls[i].kind == WASMTIME_I64 ? value.of.i64 : value.of.i32) == calls[i].expected);
  }
  // An exception that escapes: the call fails with a trap (or, when the exception could not be
  // made, with the out-of-memory error) and the exception stays pending until taken.
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    if (!OOM_CALL(wasmtime_linker_get(linker, context, "c", 1, "escape", 6, &item))) {
      result = OOM_RESULT_OOM;
    } else {
      wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = 3}, value;
      wasm_trap_t *trap = NULL;
      wasmtime_error_t *error = OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap));
      if (error != NULL) {
        result = error_result(error);
      } else if (trap != NULL && swasm_trap_is_oom(trap)) { // no room for the trap object
        result = trap_result(trap);
      } else {
        OOM_EXPECT(trap != NULL);
        if (trap) OOM_CALL_VOID(wasm_trap_delete(trap));
        OOM_EXPECT(OOM_CALL(wasmtime_context_has_exception(context)));
        wasmtime_exnref_t exn;
        OOM_EXPECT(OOM_CALL(wasmtime_context_take_exception(context, &exn)));
        OOM_CALL_VOID(wasmtime_exnref_unroot(&exn));
        OOM_EXPECT(!OOM_CALL(wasmtime_context_has_exception(context)));
      }
    }
  }
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  for (int i = 0; i < 3; i++)
    if (modules[i]) OOM_CALL_VOID(wasmtime_module_delete(modules[i]));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Garbage collection: a module building and dropping lists and trees (structs), byte arrays and
// arrays of references, under a store limit small enough that its heap is collected many times
// while the calls run; objects kept in a global and one handed to the host survive collections
// (`wasmtime_context_gc` included) and are read again. An allocation that fails after a collection
// ends the call with the out-of-memory error; the store stays usable.
static oom_result scenario_gc_programs(void) {
  static const char text[] =
      "(module"
      " (type $list (struct (field $v i32) (field $next (ref null $list))))"
      " (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree))))"
      " (type $bytes (array (mut i8)))"
      " (type $lists (array (mut (ref null $list))))"
      " (global $keep (mut (ref null $list)) (ref.null $list))"
      " (func $build (param $n i32) (result (ref null $list)) (local $l (ref null $list))"
      "   (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))"
      "     (local.set $l (struct.new $list (local.get $n) (local.get $l)))"
      "     (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))"
      "   (local.get $l))"
      " (func $sum (param $l (ref null $list)) (result i32) (local $s i32)"
      "   (block $done (loop $next (br_if $done (ref.is_null (local.get $l)))"
      "     (local.set $s (i32.add (local.get $s) (struct.get $list $v (local.get $l))))"
      "     (local.set $l (struct.get $list $next (local.get $l))) (br $next)))"
      "   (local.get $s))"
      " (func $tree (param $d i32) (result (ref $tree))"
      "   (if (result (ref $tree)) (i32.eqz (local.get $d)) (then (struct.new_default $tree))"
      "     (else (struct.new $tree (call $tree (i32.sub (local.get $d) (i32.const 1)))"
      "                             (call $tree (i32.sub (local.get $d) (i32.const 1)))))))"
      " (func $count (param $t (ref null $tree)) (result i32)"
      "   (if (result i32) (ref.is_null (local.get $t)) (then (i32.const 0))"
      "     (else (i32.add (i32.const 1) (i32.add (call $count (struct.get $tree $l (local.get $t)))"
      "                                            (call $count (struct.get $tree $r (local.get $t))))))))"
      " (func (export \"lists\") (param $rounds i32) (result i32) (local $total i32)"
      "   (global.set $keep (call $build (i32.const 3)))"
      "   (loop $r (local.set $total (i32.add (local.get $total) (call $sum (call $build (i32.const 20)))))"
      "     (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1))) (br_if $r (local.get $rounds)))"
      "   (i32.add (local.get $total) (call $sum (global.get $keep))))"
      " (func (export \"trees\") (param $rounds i32) (result i32) (local $total i32)"
      "   (loop $r (local.set $total (i32.add (local.get $total) (call $count (call $tree (i32.const 4)))))"
      "     (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1))) (br_if $r (local.get $rounds)))"
      "   (local.get $total))"
      " (func (export \"arrays\") (param $n i32) (result i32) (local $b (ref $bytes)) (local $c (ref $bytes)) (local $a (ref $lists))"
      "   (local.set $b (array.new $bytes (i32.const 7) (local.get $n)))"
      "   (local.set $c (array.new_default $bytes (local.get $n)))"
      "   (array.copy $bytes $bytes (local.get $c) (i32.const 1) (local.get $b) (i32.const 0) (i32.sub (local.get $n) (i32.const 1)))"
      "   (array.fill $bytes (local.get $b) (i32.const 0) (i32.const 3) (i32.const 2))"
      "   (local.set $a (array.new_fixed $lists 3 (call $build (i32.const 2)) (ref.null $list) (global.get $keep)))"
      "   (i32.add (i32.add (array.get_u $bytes (local.get $c) (i32.const 1)) (array.get_u $bytes (local.get $b) (i32.const 0)))"
      "            (i32.add (array.len (local.get $a)) (call $sum (array.get $lists (local.get $a) (i32.const 0))))))"
      " (func (export \"make\") (param $n i32) (result anyref) (call $build (local.get $n)))"
      " (func (export \"total\") (param $l anyref) (result i32) (call $sum (ref.cast (ref null $list) (local.get $l)))))";
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_module_t *module = NULL;
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  // About 400 list nodes: the calls below allocate several times that.
  if (store) OOM_CALL_VOID(wasmtime_store_limiter(store, 16384, -1, -1, -1, -1));
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(text, sizeof text - 1, &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  wasmtime_instance_t instance;
  if (result == OOM_RESULT_OK) {
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap)), trap);
  }
  static const struct {
    const char *name;
    int32_t argument, expected;
  } calls[] = {{"lists", 40, 40 * 210 + 6}, {"trees", 20, 20 * 31}, {"arrays", 100, 7 + 3 + 3 + 3}, {"lists", 10, 10 * 210 + 6}};
  for (size_t i = 0; i < OOM_COUNTOF(calls) && result == OOM_RESULT_OK; i++) {
    wasmtime_extern_t item;
    if (!OOM_CALL(wasmtime_instance_export_get(context, &instance, calls[i].name, strlen(calls[i].name), &item))) {
      result = OOM_RESULT_OOM;
      break;
    }
    wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = calls[i].argument}, value;
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap)), trap);
    if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i32 == calls[i].expected);
  }
  // A list handed to the host survives a collection while rooted, and reads back whole.
  wasmtime_extern_t make, total;
  if (result == OOM_RESULT_OK && (!OOM_CALL(wasmtime_instance_export_get(context, &instance, "make", 4, &make)) ||
                                  !OOM_CALL(wasmtime_instance_export_get(context, &instance, "total", 5, &total))))
    result = OOM_RESULT_OOM;
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 30}, list;
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_func_call(context, &make.of.func, &argument, 1, &list, 1, &trap)), trap);
    if (result == OOM_RESULT_OK) {
      OOM_EXPECT(list.kind == WASMTIME_ANYREF);
      OOM_EXPECT(OOM_CALL(wasmtime_context_gc(context)) == NULL);
      wasmtime_val_t sum;
      result = call_result(OOM_CALL(wasmtime_func_call(context, &total.of.func, &list, 1, &sum, 1, &trap)), trap);
      if (result == OOM_RESULT_OK) OOM_EXPECT(sum.of.i32 == 30 * 31 / 2);
      OOM_CALL_VOID(wasmtime_val_unroot(&list));
    }
  }
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Exceptions of the host: a host tag, an exception made by the host (fields read back, through a
// raw value), a host function throwing into its caller's try_table (50 times) and out of the
// call, and the host throwing outside any call.
static wasmtime_tag_t oom_host_tag;
static bool oom_host_throw_failed;

static wasm_trap_t *host_throw(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                               wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)nargs, (void)results, (void)nresults;
  wasmtime_context_t *context = OOM_CALL(wasmtime_caller_context(caller));
  wasmtime_exnref_t exn;
  wasmtime_error_t *error = OOM_CALL(wasmtime_exnref_new(context, &oom_host_tag, args, 1, &exn));
  if (error != NULL) {
    oom_host_throw_failed = true; // the scenario then reports the error's kind
    if (!swasm_error_is_oom(error)) OOM_EXPECT(0);
    OOM_CALL_VOID(wasmtime_error_delete(error));
    return OOM_CALL(wasmtime_trap_new("no exception", 12));
  }
  wasm_trap_t *trap = OOM_CALL(wasmtime_context_set_exception(context, &exn));
  OOM_CALL_VOID(wasmtime_exnref_unroot(&exn));
  return trap;
}

static oom_result scenario_host_exceptions(void) {
  static const char text[] =
      "(module (import \"host\" \"tag\" (tag $t (param i64))) (import \"host\" \"throw\" (func $throw (param i64)))"
      " (func (export \"catch\") (param i64) (result i64) (local $n i64) (local $sum i64)"
      "   (loop $l"
      "     (local.set $sum (i64.add (local.get $sum)"
      "       (block $h (result i64) (try_table (catch $t $h) (call $throw (local.get 0))) (i64.const -1000))))"
      "     (local.set $n (i64.add (local.get $n) (i64.const 1))) (br_if $l (i64.lt_u (local.get $n) (i64.const 50))))"
      "   (local.get $sum))"
      " (func (export \"escape\") (param i64) (result i64) (call $throw (local.get 0)) (i64.const 0)))";
  oom_host_throw_failed = false;
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_module_t *module = NULL;
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  // The tag (param i64) and the host function (param i64).
  wasm_functype_t *type = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *param = OOM_CALL(wasm_valtype_new(WASM_I64));
    type = param ? OOM_CALL(wasm_functype_new_1_0(param)) : NULL; // takes param, also when it fails
    if (!type) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) {
    wasm_functype_t *copy = OOM_CALL(wasm_functype_copy(type));
    wasm_tagtype_t *tag_type = copy ? OOM_CALL(wasm_tagtype_new(copy)) : NULL;
    if (!tag_type) result = OOM_RESULT_OOM;
    else {
      result = error_result(OOM_CALL(wasmtime_tag_new(context, tag_type, &oom_host_tag)));
      OOM_CALL_VOID(wasm_tagtype_delete(tag_type));
    }
  }
  wasmtime_func_t thrower;
  if (result == OOM_RESULT_OK) {
    OOM_CALL_VOID(wasmtime_func_new(context, type, host_throw, NULL, NULL, &thrower));
    if (thrower.store_id == 0) result = OOM_RESULT_OOM; // a null function: it could not be made
  }
  if (type) OOM_CALL_VOID(wasm_functype_delete(type));
  // An exception made by the host, read back.
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t field = {.kind = WASMTIME_I64, .of.i64 = 1234}, back;
    wasmtime_exnref_t exn, from_raw;
    result = error_result(OOM_CALL(wasmtime_exnref_new(context, &oom_host_tag, &field, 1, &exn)));
    if (result == OOM_RESULT_OK) {
      OOM_EXPECT(OOM_CALL(wasmtime_exnref_field_count(context, &exn)) == 1);
      OOM_CALL_VOID(wasmtime_exnref_from_raw(context, OOM_CALL(wasmtime_exnref_to_raw(context, &exn)), &from_raw));
      result = error_result(OOM_CALL(wasmtime_exnref_field(context, &from_raw, 0, &back)));
      if (result == OOM_RESULT_OK) OOM_EXPECT(back.kind == WASMTIME_I64 && back.of.i64 == 1234);
      wasmtime_exn_type_t *exn_type = OOM_CALL(wasmtime_exnref_type(context, &exn));
      if (exn_type) OOM_CALL_VOID(wasmtime_exn_type_delete(exn_type));
      else if (result == OOM_RESULT_OK) result = OOM_RESULT_OOM;
      // Thrown outside any call: pending until taken.
      wasm_trap_t *trap = OOM_CALL(wasmtime_context_set_exception(context, &exn));
      OOM_EXPECT(trap != NULL && OOM_CALL(wasmtime_context_has_exception(context)));
      if (trap && swasm_trap_is_oom(trap)) result = OOM_RESULT_OOM; // no room for the trap object
      if (trap) OOM_CALL_VOID(wasm_trap_delete(trap));
      wasmtime_exnref_t taken;
      OOM_EXPECT(OOM_CALL(wasmtime_context_take_exception(context, &taken)));
      OOM_CALL_VOID(wasmtime_exnref_unroot(&taken));
      OOM_CALL_VOID(wasmtime_exnref_unroot(&from_raw));
      OOM_CALL_VOID(wasmtime_exnref_unroot(&exn));
    }
  }
  wasmtime_instance_t instance;
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(text, sizeof text - 1, &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t imports[2] = {{.kind = WASMTIME_EXTERN_TAG, .of.tag = oom_host_tag}, {.kind = WASMTIME_EXTERN_FUNC, .of.func = thrower}};
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_instance_new(context, module, imports, 2, &instance, &trap)), trap);
  }
  // Thrown by the host function 50 times, caught by the caller.
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    if (!OOM_CALL(wasmtime_instance_export_get(context, &instance, "catch", 5, &item))) {
      result = OOM_RESULT_OOM;
    } else {
      wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = 3}, value;
      wasm_trap_t *trap = NULL;
      result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap)), trap);
      if (oom_host_throw_failed) result = OOM_RESULT_OOM;
      else if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i64 == 150);
    }
  }
  // Out of the call: a trap, the exception pending.
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    if (!OOM_CALL(wasmtime_instance_export_get(context, &instance, "escape", 6, &item))) {
      result = OOM_RESULT_OOM;
    } else {
      wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = 4}, value;
      wasm_trap_t *trap = NULL;
      wasmtime_error_t *error = OOM_CALL(wasmtime_func_call(context, &item.of.func, &argument, 1, &value, 1, &trap));
      if (oom_host_throw_failed || error != NULL || (trap != NULL && swasm_trap_is_oom(trap))) {
        result = call_result(error, trap);
        if (oom_host_throw_failed) result = OOM_RESULT_OOM;
      } else {
        OOM_EXPECT(trap != NULL);
        if (trap) OOM_CALL_VOID(wasm_trap_delete(trap));
        wasmtime_exnref_t exn;
        OOM_EXPECT(OOM_CALL(wasmtime_context_take_exception(context, &exn)));
        wasmtime_val_t field;
        result = error_result(OOM_CALL(wasmtime_exnref_field(context, &exn, 0, &field)));
        if (result == OOM_RESULT_OK) OOM_EXPECT(field.of.i64 == 4);
        OOM_CALL_VOID(wasmtime_exnref_unroot(&exn));
      }
    }
  }
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Threads: a shared memory made by the host (cloned, grown), imported by a module through a
// linker and used with atomics (read-modify-writes, compare-exchange, a wait that times out, a
// notify), the module serialized and deserialized and run again, and a module defining its own
// shared memory, whose export is a handle of the host's.
static oom_result scenario_threads(void) {
  static const char importer[] =
      "(module (import \"env\" \"mem\" (memory 1 4 shared))"
      " (func (export \"run\") (param i32) (result i32)"
      "   (drop (i32.atomic.rmw.add (i32.const 8) (local.get 0)))"
      "   (drop (i64.atomic.rmw8.xor_u offset=16 (i32.const 0) (i64.const 5)))"
      "   (drop (i32.atomic.rmw.cmpxchg (i32.const 8) (local.get 0) (i32.const 100)))"
      "   (drop (memory.atomic.wait32 (i32.const 12) (i32.const 0) (i64.const 0)))"
      "   (drop (memory.atomic.notify (i32.const 12) (i32.const 1)))"
      "   (atomic.fence)"
      "   (i32.add (i32.atomic.load (i32.const 8)) (i32.atomic.load8_u (i32.const 16)))))";
  static const char definer[] = "(module (memory (export \"m\") 1 2 shared) (func (export \"grow\") (result i32) (memory.grow (i32.const 1))))";
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_shared_memory_set(config, true));
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new_with_config(config));
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  oom_result result = store && linker ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_sharedmemory_t *memory = NULL, *clone = NULL;
  wasmtime_module_t *modules[3] = {NULL, NULL, NULL};
  if (result == OOM_RESULT_OK) {
    wasm_memorytype_t *type = NULL;
    result = error_result(OOM_CALL(wasmtime_memorytype_new(1, true, 4, false, true, 16, &type)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_sharedmemory_new(engine, type, &memory)));
      OOM_CALL_VOID(wasm_memorytype_delete(type));
    }
  }
  if (result == OOM_RESULT_OK) {
    clone = OOM_CALL(wasmtime_sharedmemory_clone(memory));
    if (!clone) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) {
    uint64_t previous = 0;
    result = error_result(OOM_CALL(wasmtime_sharedmemory_grow(clone, 1, &previous)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(previous == 1 && OOM_CALL(wasmtime_sharedmemory_size(memory)) == 2);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = memory};
    result = error_result(OOM_CALL(wasmtime_linker_define(linker, context, "env", 3, "mem", 3, &item)));
  }
  const char *texts[2] = {importer, definer};
  for (int i = 0; i < 2 && result == OOM_RESULT_OK; i++) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules[i])));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  // The importer through an artifact too.
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t artifact = {0, NULL};
    result = error_result(OOM_CALL(wasmtime_module_serialize(modules[0], &artifact)));
    if (result == OOM_RESULT_OK)
      result = error_result(OOM_CALL(wasmtime_module_deserialize(engine, (const uint8_t *)artifact.data, artifact.size, &modules[2])));
    OOM_CALL_VOID(wasm_byte_vec_delete(&artifact));
  }
  // First run: 8 holds 7, the compare-exchange then stores 100; 16 holds 5. Second: 107 (the
  // compare-exchange finds no 7), 16 back to 0.
  int32_t expected[2] = {100 + 5, 107};
  for (int i = 0; i < 2 && result == OOM_RESULT_OK; i++) {
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_linker_instantiate(linker, context, modules[i == 0 ? 0 : 2], &instance, &trap)), trap);
    wasmtime_extern_t run;
    if (result == OOM_RESULT_OK && !OOM_CALL(wasmtime_instance_export_get(context, &instance, "run", 3, &run))) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) {
      wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 7}, value;
      result = call_result(OOM_CALL(wasmtime_func_call(context, &run.of.func, &argument, 1, &value, 1, &trap)), trap);
      if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i32 == expected[i]);
    }
    if (result == OOM_RESULT_OK) {
      // wait32 on 12 (value 0, timeout 0): timed out; the bytes written are visible to the host.
      uint8_t *data = OOM_CALL(wasmtime_sharedmemory_data(memory));
      OOM_EXPECT(data != NULL && data[16] == (i == 0 ? 5 : 0));
    }
  }
  // A module's own shared memory: its export is a handle of the host's (deleted with the extern).
  if (result == OOM_RESULT_OK) {
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_instance_new(context, modules[1], NULL, 0, &instance, &trap)), trap);
    wasmtime_extern_t exported;
    if (result == OOM_RESULT_OK && !OOM_CALL(wasmtime_instance_export_get(context, &instance, "m", 1, &exported))) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) {
      OOM_EXPECT(exported.kind == WASMTIME_EXTERN_SHAREDMEMORY);
      wasmtime_extern_t grow;
      if (!OOM_CALL(wasmtime_instance_export_get(context, &instance, "grow", 4, &grow))) result = OOM_RESULT_OOM;
      wasmtime_val_t value;
      if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_func_call(context, &grow.of.func, NULL, 0, &value, 1, &trap)), trap);
      // memory.grow returns -1 when the new page cannot be made accessible.
      if (result == OOM_RESULT_OK && value.of.i32 == -1) result = OOM_RESULT_OOM;
      if (result == OOM_RESULT_OK) OOM_EXPECT(value.of.i32 == 1 && OOM_CALL(wasmtime_sharedmemory_size(exported.of.sharedmemory)) == 2);
      OOM_CALL_VOID(wasmtime_extern_delete(&exported));
    }
  }
  if (clone) OOM_CALL_VOID(wasmtime_sharedmemory_delete(clone));
  if (memory) OOM_CALL_VOID(wasmtime_sharedmemory_delete(memory));
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  for (int i = 0; i < 3; i++)
    if (modules[i]) OOM_CALL_VOID(wasmtime_module_delete(modules[i]));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// A host function's message trap leaves WebAssembly as an error that keeps the frame it passed
// through (wasmtime_error_wasm_trace).
static wasm_trap_t *host_fail(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                              wasmtime_val_t *results, size_t nresults) {
  (void)env;
  (void)caller;
  (void)args;
  (void)nargs;
  (void)results;
  (void)nresults;
  return wasmtime_trap_new("host failed", 11);
}

static oom_result scenario_host_error_frames(void) {
  static const char text[] = "(module (import \"env\" \"fail\" (func $fail)) (func (export \"run\") (call $fail)))";
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_module_t *module = NULL;
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(text, strlen(text), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_functype_t *type = OOM_CALL(wasm_functype_new_0_0());
    if (!type) result = OOM_RESULT_OOM;
    else {
      result = error_result(OOM_CALL(wasmtime_linker_define_func(linker, "env", 3, "fail", 4, type, host_fail, NULL, NULL)));
      OOM_CALL_VOID(wasm_functype_delete(type));
    }
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_linker_instantiate(linker, context, module, &instance, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "run", 3, &item)));
    wasmtime_error_t *error = OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, NULL, 0, &trap));
    OOM_EXPECT(error != NULL && trap == NULL);
    if (error && OOM_CALL(swasm_error_is_oom(error))) result = OOM_RESULT_OOM;
    else if (error) {
      wasm_frame_vec_t frames;
      OOM_CALL_VOID(wasmtime_error_wasm_trace(error, &frames));
      if (frames.size == 0) result = OOM_RESULT_OOM; // the copy could not be made
      else OOM_EXPECT(frames.size == 1 && OOM_CALL(wasm_frame_func_index(frames.data[0])) == 1);
      OOM_CALL_VOID(wasm_frame_vec_delete(&frames));
    }
    if (error) OOM_CALL_VOID(wasmtime_error_delete(error));
  }
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}


// WASI: configuration, define_wasi, set_wasi, instantiation, and a program that calls every
// wasi_snapshot_preview1 function (errnos ignored; the program ends with proc_exit(0)). Also
// checks that no host descriptor is left open whatever failed.
static const char wasi_program[] =
    "(module\n"
    " (import \"wasi_snapshot_preview1\" \"args_sizes_get\" (func $args_sizes_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"args_get\" (func $args_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"environ_sizes_get\" (func $environ_sizes_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"environ_get\" (func $environ_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"clock_res_get\" (func $clock_res_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"clock_time_get\" (func $clock_time_get (param i32 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"random_get\" (func $random_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sched_yield\" (func $sched_yield (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"proc_raise\" (func $proc_raise (param i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_read\" (func $fd_read (param i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_pwrite\" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_pread\" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_seek\" (func $fd_seek (param i32 i64 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_tell\" (func $fd_tell (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_sync\" (func $fd_sync (param i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_datasync\" (func $fd_datasync (param i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_advise\" (func $fd_advise (param i32 i64 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_allocate\" (func $fd_allocate (param i32 i64 i64) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_fdstat_get\" (func $fd_fdstat_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_fdstat_set_flags\" (func $fd_fdstat_set_flags (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_fdstat_set_rights\" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_filestat_get\" (func $fd_filestat_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_filestat_set_size\" (func $fd_filestat_set_size (param i32 i64) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_filestat_set_times\" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_prestat_get\" (func $fd_prestat_get (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_prestat_dir_name\" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_readdir\" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_renumber\" (func $fd_renumber (param i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_close\" (func $fd_close (param i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_open\" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_create_directory\" (func $path_create_directory (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_remove_directory\" (func $path_remove_directory (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_unlink_file\" (func $path_unlink_file (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_filestat_get\" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_filestat_set_times\" (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_link\" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_rename\" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_symlink\" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_readlink\" (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"poll_oneoff\" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sock_accept\" (func $sock_accept (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sock_recv\" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sock_send\" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sock_shutdown\" (func $sock_shutdown (param i32 i32) (result i32)))\n"
    " (memory (export \"memory\") 1)\n"
    " (data (i32.const 16) \"hello\\n\")\n"            /* 16: text */
    " (data (i32.const 32) \"\\10\\00\\00\\00\\06\\00\\00\\00\")\n" /* 32: iovec {16, 6} */
    " (data (i32.const 48) \"f\")\n"                   /* 48: file name */
    " (data (i32.const 52) \"d\")\n"                   /* 52: directory name */
    " (data (i32.const 56) \"g\")\n"                   /* 56: renamed / link names */
    " (data (i32.const 60) \"l\")\n"
    " (data (i32.const 64) \"h\")\n"
    " (data (i32.const 512) \"\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\01\")\n" /* poll: a 1 ns relative clock */
    " (func (export \"_start\") (local $fd i32)\n"
    "  (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))\n"
    "  (drop (call $args_get (i32.const 1024) (i32.const 2048)))\n"
    "  (drop (call $environ_sizes_get (i32.const 100) (i32.const 104)))\n"
    "  (drop (call $environ_get (i32.const 1024) (i32.const 2048)))\n"
    "  (drop (call $clock_res_get (i32.const 1) (i32.const 100)))\n"
    "  (drop (call $clock_time_get (i32.const 0) (i64.const 0) (i32.const 100)))\n"
    "  (drop (call $random_get (i32.const 200) (i32.const 64)))\n"
    "  (drop (call $sched_yield))\n"
    "  (drop (call $proc_raise (i32.const 6)))\n"
    "  (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 100)))\n"
    "  (drop (call $fd_fdstat_get (i32.const 1) (i32.const 300)))\n"
    "  (drop (call $fd_prestat_get (i32.const 3) (i32.const 100)))\n"
    "  (drop (call $fd_prestat_dir_name (i32.const 3) (i32.const 400) (i32.const 64)))\n"
    "  (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 48) (i32.const 1) (i32.const 1)\n"
    "         (i64.const 0x1ffffff) (i64.const 0) (i32.const 0) (i32.const 100)))\n"
    "  (local.set $fd (i32.load (i32.const 100)))\n"
    "  (drop (call $fd_write (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 104)))\n"
    "  (drop (call $fd_pwrite (local.get $fd) (i32.const 32) (i32.const 1) (i64.const 2) (i32.const 104)))\n"
    "  (drop (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 104)))\n"
    "  (drop (call $fd_tell (local.get $fd) (i32.const 104)))\n"
    "  (drop (call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 104)))\n"
    "  (drop (call $fd_pread (local.get $fd) (i32.const 32) (i32.const 1) (i64.const 0) (i32.const 104)))\n"
    "  (drop (call $fd_sync (local.get $fd)))\n"
    "  (drop (call $fd_datasync (local.get $fd)))\n"
    "  (drop (call $fd_advise (local.get $fd) (i64.const 0) (i64.const 4) (i32.const 0)))\n"
    "  (drop (call $fd_allocate (local.get $fd) (i64.const 0) (i64.const 16)))\n"
    "  (drop (call $fd_fdstat_set_flags (local.get $fd) (i32.const 0)))\n"
    "  (drop (call $fd_filestat_get (local.get $fd) (i32.const 600)))\n"
    "  (drop (call $fd_filestat_set_size (local.get $fd) (i64.const 3)))\n"
    "  (drop (call $fd_filestat_set_times (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 10)))\n"
    "  (drop (call $fd_fdstat_set_rights (local.get $fd) (i64.const 0) (i64.const 0)))\n"
    "  (drop (call $fd_renumber (local.get $fd) (i32.const 60)))\n"
    "  (drop (call $fd_close (local.get $fd)))\n"
    "  (drop (call $fd_readdir (i32.const 3) (i32.const 4096) (i32.const 512) (i64.const 0) (i32.const 104)))\n"
    "  (drop (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 48) (i32.const 1) (i32.const 600)))\n"
    "  (drop (call $path_filestat_set_times (i32.const 3) (i32.const 0) (i32.const 48) (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 10)))\n"
    "  (drop (call $path_create_directory (i32.const 3) (i32.const 52) (i32.const 1)))\n"
    "  (drop (call $path_link (i32.const 3) (i32.const 0) (i32.const 48) (i32.const 1) (i32.const 3) (i32.const 64) (i32.const 1)))\n"
    "  (drop (call $path_rename (i32.const 3) (i32.const 48) (i32.const 1) (i32.const 3) (i32.const 56) (i32.const 1)))\n"
    "  (drop (call $path_symlink (i32.const 56) (i32.const 1) (i32.const 3) (i32.const 60) (i32.const 1)))\n"
    "  (drop (call $path_readlink (i32.const 3) (i32.const 60) (i32.const 1) (i32.const 700) (i32.const 64) (i32.const 104)))\n"
    "  (drop (call $path_unlink_file (i32.const 3) (i32.const 60) (i32.const 1)))\n"
    "  (drop (call $path_unlink_file (i32.const 3) (i32.const 56) (i32.const 1)))\n"
    "  (drop (call $path_unlink_file (i32.const 3) (i32.const 64) (i32.const 1)))\n"
    "  (drop (call $path_remove_directory (i32.const 3) (i32.const 52) (i32.const 1)))\n"
    "  (drop (call $poll_oneoff (i32.const 512) (i32.const 800) (i32.const 1) (i32.const 104)))\n"
    "  (drop (call $sock_accept (i32.const 1) (i32.const 0) (i32.const 104)))\n"
    "  (drop (call $sock_recv (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 0) (i32.const 104) (i32.const 108)))\n"
    "  (drop (call $sock_send (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 0) (i32.const 104)))\n"
    "  (drop (call $sock_shutdown (i32.const 1) (i32.const 1)))\n"
    "  (call $proc_exit (i32.const 0))))\n";

static ptrdiff_t wasi_sink(void *data, const unsigned char *bytes, size_t len) {
  (void)data, (void)bytes;
  return (ptrdiff_t)len;
}

// Open descriptors among the first 4096, counted without allocating (the harness may be failing
// every allocation).
static int open_descriptors(void) {
  int count = 0;
  for (int fd = 0; fd < 4096; fd++)
    if (fcntl(fd, F_GETFD) != -1) count++;
  return count;
}

static char wasi_directory[64];

static oom_result scenario_wasi(void) {
  if (!wasi_directory[0]) {
    strcpy(wasi_directory, "/tmp/swasm-oom-wasi-XXXXXX");
    if (!mkdtemp(wasi_directory)) return OOM_RESULT_OOM;
  }
  int descriptors = open_descriptors();
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_module_t *module = NULL;
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(wasi_program, strlen(wasi_program), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasi_config_t *config = OOM_CALL(wasi_config_new());
    const char *argv[] = {"program", "argument"};
    const char *names[] = {"NAME"}, *values[] = {"value"};
    if (!config) result = OOM_RESULT_OOM;
    else if (!OOM_CALL(wasi_config_set_argv(config, 2, argv)) || !OOM_CALL(wasi_config_set_env(config, 1, names, values)) ||
             !OOM_CALL(wasi_config_preopen_dir(config, wasi_directory, "/", true))) {
      result = OOM_RESULT_OOM; // each fails only for lack of memory here
      OOM_CALL_VOID(wasi_config_delete(config));
    } else {
      wasm_byte_vec_t input;
      OOM_CALL_VOID(wasm_byte_vec_new(&input, 3, "in\n"));
      if (input.data == NULL) result = OOM_RESULT_OOM; // the vector could not be made
      OOM_CALL_VOID(wasi_config_set_stdin_bytes(config, &input));
      OOM_CALL_VOID(wasm_byte_vec_delete(&input));
      OOM_CALL_VOID(wasi_config_set_stdout_custom(config, wasi_sink, NULL, NULL));
      if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_set_wasi(context, config)));
      else OOM_CALL_VOID(wasi_config_delete(config));
    }
  }
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_linker_define_wasi(linker)));
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_linker_instantiate(linker, context, module, &instance, &trap)), trap);
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "_start", 6, &item)));
    trap = NULL;
    wasmtime_error_t *error = OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, NULL, 0, &trap));
    OOM_EXPECT(trap == NULL && error != NULL);
    int status = -1;
    if (error && OOM_CALL(wasmtime_error_exit_status(error, &status))) {
      OOM_EXPECT(status == 0);
      OOM_CALL_VOID(wasmtime_error_delete(error));
    } else {
      result = error_result(error);
    }
  }
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  OOM_EXPECT(open_descriptors() == descriptors);
  return result;
}

// MARK: guest profiler

// Samples from a host function (which moves the epoch on) and from the epoch callback, 9 calls
// deep and in a loop, before and after the call. A sample that runs out of memory is dropped, and
// finish then reports out of memory: so every failure surfaces as the finish's error.
static wasmtime_guestprofiler_t *profiled;
static wasmtime_store_t *profiled_store;
static wasm_engine_t *profiled_engine;
static int profiled_samples; // samples taken, dropped or not

static wasm_trap_t *profiled_host(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                  wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  OOM_CALL_VOID(wasmtime_guestprofiler_sample(profiled, profiled_store, 1000));
  profiled_samples++;
  OOM_CALL_VOID(wasmtime_engine_increment_epoch(profiled_engine));
  return NULL;
}

static wasmtime_error_t *profiled_epoch(wasmtime_context_t *context, void *data, uint64_t *delta,
                                        wasmtime_update_deadline_kind_t *kind) {
  (void)context, (void)data;
  OOM_CALL_VOID(wasmtime_guestprofiler_sample(profiled, profiled_store, 1000000));
  profiled_samples++;
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

// Whether `size` bytes at `data` (not NUL-terminated) contain `text`.
static int bytes_contain(const char *data, size_t size, const char *text) {
  size_t length = strlen(text);
  for (size_t at = 0; data && at + length <= size; at++)
    if (memcmp(data + at, text, length) == 0) return 1;
  return 0;
}

static oom_result scenario_guest_profiler(void) {
  static const char text[] =
      "(module $profiled (import \"env\" \"host\" (func $host))\n"
      " (func $leaf (call $host))\n"
      " (func $deep (param i32) (if (local.get 0) (then (call $deep (i32.sub (local.get 0) (i32.const 1)))) (else (call $leaf))))\n"
      " (func (export \"run\") (local i32)\n"
      "   (loop $l (call $deep (i32.const 8)) (local.set 0 (i32.add (local.get 0) (i32.const 1)))\n"
      "     (br_if $l (i32.lt_u (local.get 0) (i32.const 4))))))";
  oom_result result = OOM_RESULT_OK;
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_epoch_interruption_set(config, true));
  profiled_engine = OOM_CALL(wasm_engine_new_with_config(config));
  if (!profiled_engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  wasm_byte_vec_t binary;
  result = error_result(OOM_CALL(wasmtime_wat2wasm(text, strlen(text), &binary)));
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_module_new(profiled_engine, (const uint8_t *)binary.data, binary.size, &module)));
    OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
  }
  profiled = NULL;
  profiled_samples = 0;
  if (result == OOM_RESULT_OK) {
    wasm_name_t name = {7, (char *)"profile"}, module_name = {13, (char *)"profiled.wasm"};
    wasmtime_guestprofiler_modules_t modules[1] = {{&module_name, module}};
    profiled = OOM_CALL(wasmtime_guestprofiler_new(profiled_engine, &name, 1000000, modules, 1));
    if (!profiled) result = OOM_RESULT_OOM;
  }
  profiled_store = NULL;
  if (result == OOM_RESULT_OK) {
    profiled_store = OOM_CALL(wasmtime_store_new(profiled_engine, NULL, NULL));
    if (!profiled_store) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_context_t *context = OOM_CALL(wasmtime_store_context(profiled_store));
    OOM_CALL_VOID(wasmtime_store_epoch_deadline_callback(profiled_store, profiled_epoch, NULL, NULL));
    OOM_CALL_VOID(wasmtime_context_set_epoch_deadline(context, 1));
    OOM_CALL_VOID(wasmtime_guestprofiler_sample(profiled, profiled_store, 5)); // nothing runs yet
    profiled_samples++;
    wasm_functype_t *type = OOM_CALL(wasm_functype_new_0_0());
    wasmtime_func_t host;
    if (!type) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) {
      OOM_CALL_VOID(wasmtime_func_new(context, type, profiled_host, NULL, NULL, &host));
      OOM_CALL_VOID(wasm_functype_delete(type));
      if (host.store_id == 0) result = OOM_RESULT_OOM; // a null function: it could not be made
    }
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_FUNC, .of.func = host}, run;
    if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_instance_new(context, module, &import, 1, &instance, &trap)), trap);
    if (result == OOM_RESULT_OK && !OOM_CALL(wasmtime_instance_export_get(context, &instance, "run", 3, &run))) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_func_call(context, &run.of.func, NULL, 0, NULL, 0, &trap)), trap);
    OOM_CALL_VOID(wasmtime_guestprofiler_sample(profiled, profiled_store, 0));
    profiled_samples++;
  }
  // finish consumes the profiler whatever happened before; its error includes dropped samples.
  if (profiled) {
    wasm_byte_vec_t out = {0, NULL};
    oom_result finished = error_result(OOM_CALL(wasmtime_guestprofiler_finish(profiled, &out)));
    if (finished == OOM_RESULT_OK) {
      // Every sample taken is in the profile (the host function's, the callback's, the two outside).
      char expected[64];
      snprintf(expected, sizeof expected, "\"samples\":{\"length\":%d,", profiled_samples);
      OOM_EXPECT(bytes_contain(out.data, out.size, expected));
      if (result == OOM_RESULT_OK) OOM_EXPECT(profiled_samples >= 6); // the whole call ran
      if (result == OOM_RESULT_OK) OOM_EXPECT(bytes_contain(out.data, out.size, "\"deep\"") && bytes_contain(out.data, out.size, "\"profiled.wasm\""));
    } else {
      OOM_EXPECT(out.size == 0 && out.data == NULL);
    }
    OOM_CALL_VOID(wasm_byte_vec_delete(&out));
    if (result == OOM_RESULT_OK) result = finished;
  }
  if (profiled_store) OOM_CALL_VOID(wasmtime_store_delete(profiled_store));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(profiled_engine));
  return result;
}

// MARK: GC objects made by the host

// Struct and array types, allocators, objects, fields and a collection, all from the host.
static oom_result scenario_gc_host_objects(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  oom_result result = OOM_RESULT_OK;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_context_t *context = store ? OOM_CALL(wasmtime_store_context(store)) : NULL;
  wasmtime_valtype_t any_full = {.kind = WASMTIME_VALTYPE_KIND_REF, .reftype = {.nullable = true, .heaptype = {.kind = WASMTIME_HEAPTYPE_KIND_ANY}}};
  wasm_valtype_t *i32_type = OOM_CALL(wasm_valtype_new(WASM_I32));
  wasm_valtype_t *i64_type = OOM_CALL(wasm_valtype_new(WASM_I64));
  wasm_valtype_t *any_type = OOM_CALL(wasmtime_valtype_to_wasm(engine, &any_full));
  wasmtime_field_type_t fields[4] = {{.mutable_ = true, .storage = {WASMTIME_STORAGE_TYPE_KIND_VALTYPE, i32_type}},
                                     {.mutable_ = false, .storage = {WASMTIME_STORAGE_TYPE_KIND_VALTYPE, i64_type}},
                                     {.mutable_ = true, .storage = {WASMTIME_STORAGE_TYPE_KIND_I16, NULL}},
                                     {.mutable_ = true, .storage = {WASMTIME_STORAGE_TYPE_KIND_VALTYPE, any_type}}};
  wasmtime_struct_type_t *struct_type = NULL, *object_type = NULL;
  wasmtime_array_type_t *array_type = NULL;
  wasmtime_struct_ref_pre_t *struct_pre = NULL;
  wasmtime_array_ref_pre_t *array_pre = NULL;
  wasmtime_structref_t object = {0};
  wasmtime_arrayref_t array = {0};
  wasmtime_anyref_t any = {0};
  if (!store || !i32_type || !i64_type || !any_type) {
    result = OOM_RESULT_OOM;
    goto done;
  }
  struct_type = OOM_CALL(wasmtime_struct_type_new(engine, fields, 4));
  array_type = OOM_CALL(wasmtime_array_type_new(engine, &fields[0]));
  if (!struct_type || !array_type) {
    result = OOM_RESULT_OOM;
    goto done;
  }
  wasmtime_field_type_t field;
  OOM_EXPECT(OOM_CALL(wasmtime_struct_type_field(struct_type, 1, &field)));
  bool described = field.storage.valtype != NULL;
  OOM_CALL_VOID(wasmtime_field_type_delete(&field));
  struct_pre = OOM_CALL(wasmtime_struct_ref_pre_new(context, struct_type));
  array_pre = OOM_CALL(wasmtime_array_ref_pre_new(context, array_type));
  if (!described || !struct_pre || !array_pre) {
    result = OOM_RESULT_OOM;
    goto done;
  }
  wasmtime_val_t values[4] = {{.kind = WASMTIME_I32, .of.i32 = 1}, {.kind = WASMTIME_I64, .of.i64 = 2},
                              {.kind = WASMTIME_I32, .of.i32 = 3}, {.kind = WASMTIME_ANYREF}};
  OOM_CALL_VOID(wasmtime_anyref_from_i31(context, 4, &values[3].of.anyref));
  result = error_result(OOM_CALL(wasmtime_structref_new(context, struct_pre, values, 4, &object)));
  if (result != OOM_RESULT_OK) goto done;
  wasmtime_val_t element = {.kind = WASMTIME_I32, .of.i32 = 9};
  result = error_result(OOM_CALL(wasmtime_arrayref_new(context, array_pre, &element, 1000, &array)));
  if (result != OOM_RESULT_OK) goto done;
  // Garbage: arrays dropped at once and collected. (Garbage left when an allocation fails would
  // be collected and the allocation retried: a failure recovered from, not swept here.)
  for (int i = 0; i < 3 && result == OOM_RESULT_OK; i++) {
    wasmtime_arrayref_t garbage;
    result = error_result(OOM_CALL(wasmtime_arrayref_new(context, array_pre, &element, 100, &garbage)));
    if (result == OOM_RESULT_OK) OOM_CALL_VOID(wasmtime_arrayref_unroot(&garbage));
    if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_gc(context)));
  }
  if (result != OOM_RESULT_OK) goto done;
  wasmtime_val_t value;
  result = error_result(OOM_CALL(wasmtime_structref_field(context, &object, 3, &value)));
  if (result != OOM_RESULT_OK) goto done;
  uint32_t small = 0;
  OOM_EXPECT(value.kind == WASMTIME_ANYREF && OOM_CALL(wasmtime_anyref_i31_get_u(context, &value.of.anyref, &small)) && small == 4);
  value.kind = WASMTIME_I32, value.of.i32 = -1;
  result = error_result(OOM_CALL(wasmtime_structref_set_field(context, &object, 2, &value)));
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_arrayref_set(context, &array, 999, &value)));
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_gc(context)));
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_arrayref_get(context, &array, 999, &value)));
  if (result != OOM_RESULT_OK) goto done;
  OOM_EXPECT(value.of.i32 == -1);
  object_type = OOM_CALL(wasmtime_structref_type(context, &object));
  if (!object_type) {
    result = OOM_RESULT_OOM;
    goto done;
  }
  OOM_EXPECT(OOM_CALL(wasmtime_struct_type_num_fields(object_type)) == 4);
  OOM_CALL_VOID(wasmtime_structref_to_anyref(&object, &any));
  wasmtime_heaptype_t heap;
  if (!OOM_CALL(wasmtime_anyref_type(context, &any, &heap))) {
    result = OOM_RESULT_OOM;
    goto done;
  }
  OOM_EXPECT(heap.kind == WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT);
  OOM_CALL_VOID(wasmtime_heaptype_delete(&heap));
done:
  OOM_CALL_VOID(wasmtime_anyref_unroot(&any));
  OOM_CALL_VOID(wasmtime_structref_unroot(&object));
  OOM_CALL_VOID(wasmtime_arrayref_unroot(&array));
  OOM_CALL_VOID(wasmtime_struct_type_delete(object_type));
  OOM_CALL_VOID(wasmtime_struct_ref_pre_delete(struct_pre));
  OOM_CALL_VOID(wasmtime_array_ref_pre_delete(array_pre));
  OOM_CALL_VOID(wasmtime_struct_type_delete(struct_type));
  OOM_CALL_VOID(wasmtime_array_type_delete(array_type));
  for (int i = 0; i < 4; i++) OOM_CALL_VOID(wasmtime_field_type_delete(&fields[i]));
  OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Linear memory past its first reservation (64 MiB): memory.grow from WebAssembly takes a memory
// of one page to 2001 (it moves, its contents kept), the host grows it again through the API (a
// failure there is the out-of-memory error), and a 64-bit memory grows past 4 GiB. A failed
// growth leaves the memory as it was, and the store still works.
static int32_t call_i32(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name,
                        const wasmtime_val_t *arguments, size_t count, oom_result *result) {
  wasmtime_extern_t item;
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 0};
  wasm_trap_t *trap = NULL;
  if (!OOM_CALL(wasmtime_instance_export_get(context, instance, name, strlen(name), &item))) {
    *result = OOM_RESULT_OOM;
    return 0;
  }
  *result = call_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, arguments, count, &value, 1, &trap)), trap);
  return value.kind == WASMTIME_I64 ? (int32_t)value.of.i64 : value.of.i32;
}

// Async calls (wasmtime/async.h): an instantiation and calls that yield on fuel intervals, one
// of them GC-allocating with collections between polls, one abandoned while pending; every
// future that cannot be made is NULL with the out-of-memory error, and the store stays usable.
static oom_result async_step(wasmtime_call_future_t *future, wasmtime_error_t **error, wasm_trap_t **trap, int *yields) {
  if (!future) return error_result(*error);
  while (!OOM_CALL(wasmtime_call_future_poll(future))) (*yields)++;
  OOM_CALL_VOID(wasmtime_call_future_delete(future));
  return call_result(*error, *trap);
}

// An async host function whose work completes at the third call of its continuation, giving 5;
// it allocates nothing itself. Every continuation handed over must be finalized once.
static int async_host_remaining, async_host_started, async_host_finalized;
static bool async_host_continue(void *env) {
  wasmtime_val_t *results = env;
  if (async_host_remaining-- > 0) return false;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = 5;
  return true;
}
static void async_host_finalize(void *env) {
  (void)env;
  async_host_finalized++;
}
static void async_host_wait(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs, wasmtime_val_t *results,
                            size_t nresults, wasm_trap_t **trap_ret, wasmtime_async_continuation_t *continuation) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)nresults, (void)trap_ret;
  async_host_started++;
  async_host_remaining = 2;
  continuation->callback = async_host_continue;
  continuation->env = results;
  continuation->finalizer = async_host_finalize;
}

// Polls `future` to the end, collecting between polls; deletes it.
static oom_result async_drive_collecting(wasmtime_context_t *context, wasmtime_call_future_t *future, wasmtime_error_t **error,
                                         wasm_trap_t **trap, int *yields) {
  if (!future) return error_result(*error);
  while (!OOM_CALL(wasmtime_call_future_poll(future))) {
    (*yields)++;
    wasmtime_error_t *collected = OOM_CALL(wasmtime_context_gc(context));
    if (collected) OOM_CALL_VOID(wasmtime_error_delete(collected));
  }
  OOM_CALL_VOID(wasmtime_call_future_delete(future));
  return call_result(*error, *trap);
}

static oom_result scenario_async_calls(void) {
  static const char text[] =
      "(module (type $box (struct (field i64)))"
      " (import \"host\" \"wait\" (func $wait (result i32)))"
      " (func (export \"boxed\") (param $n i64) (result i64) (local $b (ref null $box)) (local $s i64)"
      "  (local.set $b (struct.new $box (i64.const 1000)))"
      "  (block $done (loop $l (br_if $done (i64.eqz (local.get $n)))"
      "   (drop (struct.new $box (local.get $n)))"
      "   (local.set $s (i64.add (local.get $s) (local.get $n)))"
      "   (local.set $n (i64.sub (local.get $n) (i64.const 1))) (br $l)))"
      "  (i64.add (local.get $s) (struct.get $box 0 (local.get $b))))"
      " (func (export \"waiting\") (result i32) (local $b (ref null $box))"
      "  (local.set $b (struct.new $box (i64.const 9)))"
      "  (i32.add (call $wait) (i32.wrap_i64 (struct.get $box 0 (local.get $b))))))";
  async_host_started = async_host_finalized = 0;
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  OOM_CALL_VOID(wasmtime_config_consume_fuel_set(config, true));
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new_with_config(config));
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_linker_t *linker = OOM_CALL(wasmtime_linker_new(engine));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  oom_result result = (store && linker) ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(text, strlen(text), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  if (result == OOM_RESULT_OK) {
    wasm_valtype_t *i32 = OOM_CALL(wasm_valtype_new_i32());
    wasm_functype_t *type = i32 ? OOM_CALL(wasm_functype_new_0_1(i32)) : NULL;
    result = type ? error_result(OOM_CALL(wasmtime_linker_define_async_func(linker, "host", 4, "wait", 4, type, async_host_wait, NULL, NULL)))
                  : OOM_RESULT_OOM;
    if (type) OOM_CALL_VOID(wasm_functype_delete(type));
  }
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_set_fuel(context, 1000000)));
  if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_context_fuel_async_yield_interval(context, 200)));
  wasmtime_instance_t instance;
  int yields = 0;
  if (result == OOM_RESULT_OK) {
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    wasmtime_call_future_t *future = OOM_CALL(wasmtime_linker_instantiate_async(linker, context, module, &instance, &trap, &error));
    result = async_step(future, &error, &trap, &yields);
  }
  wasmtime_func_t boxed = {0}, waiting = {0};
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "boxed", 5, &item)) && item.kind == WASMTIME_EXTERN_FUNC);
    boxed = item.of.func;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "waiting", 7, &item)) && item.kind == WASMTIME_EXTERN_FUNC);
    waiting = item.of.func;
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = 300}, value = {.kind = WASMTIME_I32};
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    wasmtime_call_future_t *future = OOM_CALL(wasmtime_func_call_async(context, &boxed, &arg, 1, &value, 1, &trap, &error));
    if (future) {
      while (!OOM_CALL(wasmtime_call_future_poll(future))) {
        yields++;
        wasmtime_error_t *collected = OOM_CALL(wasmtime_context_gc(context));
        if (collected) OOM_CALL_VOID(wasmtime_error_delete(collected));
      }
      OOM_CALL_VOID(wasmtime_call_future_delete(future));
    }
    result = future ? call_result(error, trap) : error_result(error);
    if (result == OOM_RESULT_OK) OOM_EXPECT(value.kind == WASMTIME_I64 && value.of.i64 == 45150 + 1000);
  }
  if (result == OOM_RESULT_OK) {
    // Abandoned after one yield.
    wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = 1000}, value;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    wasmtime_call_future_t *future = OOM_CALL(wasmtime_func_call_async(context, &boxed, &arg, 1, &value, 1, &trap, &error));
    if (future) {
      bool done = OOM_CALL(wasmtime_call_future_poll(future));
      OOM_CALL_VOID(wasmtime_call_future_delete(future));
      result = done ? call_result(error, trap) : OOM_RESULT_OK;
    } else {
      result = error_result(error);
    }
  }
  if (result == OOM_RESULT_OK) {
    // Through the async host function: suspended in it twice, collections between polls.
    wasmtime_val_t value = {.kind = WASMTIME_I64};
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    int pending = 0;
    wasmtime_call_future_t *future = OOM_CALL(wasmtime_func_call_async(context, &waiting, NULL, 0, &value, 1, &trap, &error));
    result = async_drive_collecting(context, future, &error, &trap, &pending);
    if (result == OOM_RESULT_OK) OOM_EXPECT(pending >= 2 && value.kind == WASMTIME_I32 && value.of.i32 == 14);
  }
  if (result == OOM_RESULT_OK) {
    // Abandoned while waiting in the host function.
    wasmtime_val_t value;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    wasmtime_call_future_t *future = OOM_CALL(wasmtime_func_call_async(context, &waiting, NULL, 0, &value, 1, &trap, &error));
    if (future) {
      bool done = OOM_CALL(wasmtime_call_future_poll(future));
      OOM_CALL_VOID(wasmtime_call_future_delete(future));
      result = done ? call_result(error, trap) : OOM_RESULT_OK;
    } else {
      result = error_result(error);
    }
  }
  if (result == OOM_RESULT_OK) OOM_EXPECT(yields > 2);
  if (result == OOM_RESULT_OOM && context) {
    // The store still works: a short async call completes (memory is back).
    oom_disarm();
    wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = 3}, value;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    if (module && boxed.store_id != 0) {
      wasmtime_call_future_t *future = OOM_CALL(wasmtime_func_call_async(context, &boxed, &arg, 1, &value, 1, &trap, &error));
      int more = 0;
      OOM_EXPECT(async_step(future, &error, &trap, &more) == OOM_RESULT_OK && value.of.i64 == 1006);
    }
  }
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  if (linker) OOM_CALL_VOID(wasmtime_linker_delete(linker));
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  OOM_EXPECT(async_host_finalized == async_host_started);
  if (result == OOM_RESULT_OK) OOM_EXPECT(async_host_started == 2);
  return result;
}

static oom_result scenario_memory_growth(void) {
  static const char text[] =
      "(module (memory (export \"mem\") 1) (memory $wide i64 1)"
      " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
      " (func (export \"grow_wide\") (param i64) (result i64) (memory.grow $wide (local.get 0)))"
      " (func (export \"poke\") (param i32 i64) (result i32)"
      "   (i32.store8 (local.get 0) (i32.const 7)) (i64.store8 $wide (local.get 1) (i64.const 9)) (i32.const 0))"
      " (func (export \"peek\") (param i32 i64) (result i32)"
      "   (i32.add (i32.load8_u (local.get 0)) (i32.load8_u $wide (local.get 1)))))";
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(text, strlen(text), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module)));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  wasmtime_instance_t instance;
  if (result == OOM_RESULT_OK) {
    wasm_trap_t *trap = NULL;
    result = call_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap)), trap);
  }
  int poked = 0;
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t at[2] = {{.kind = WASMTIME_I32, .of.i32 = 100}, {.kind = WASMTIME_I64, .of.i64 = 100}};
    call_i32(context, &instance, "poke", at, 2, &result);
    poked = result == OOM_RESULT_OK;
  }
  if (result == OOM_RESULT_OK) {
    // memory.grow returns -1 when the system refuses the address space or the pages.
    wasmtime_val_t pages = {.kind = WASMTIME_I32, .of.i32 = 2000};
    int32_t old = call_i32(context, &instance, "grow", &pages, 1, &result);
    if (result == OOM_RESULT_OK && old == -1) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) OOM_EXPECT(old == 1);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_extern_t item;
    uint64_t previous = 0;
    if (!OOM_CALL(wasmtime_instance_export_get(context, &instance, "mem", 3, &item))) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) result = error_result(OOM_CALL(wasmtime_memory_grow(context, &item.of.memory, 100, &previous)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(previous == 2001 && OOM_CALL(wasmtime_memory_size(context, &item.of.memory)) == 2101);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t pages = {.kind = WASMTIME_I64, .of.i64 = 65536};
    int32_t old = call_i32(context, &instance, "grow_wide", &pages, 1, &result);
    if (result == OOM_RESULT_OK && old == -1) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) OOM_EXPECT(old == 1);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t last[2] = {{.kind = WASMTIME_I32, .of.i32 = 2101 * 65536 - 1}, {.kind = WASMTIME_I64, .of.i64 = 65537ll * 65536 - 1}};
    int32_t sum = call_i32(context, &instance, "peek", last, 2, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(sum == 0);
  }
  if (result == OOM_RESULT_OOM && module && store) {
    // Nothing was lost, and the memories still grow.
    oom_disarm();
    wasmtime_val_t at[2] = {{.kind = WASMTIME_I32, .of.i32 = 100}, {.kind = WASMTIME_I64, .of.i64 = 100}};
    oom_result check = OOM_RESULT_OK;
    int32_t sum = call_i32(context, &instance, "peek", at, 2, &check);
    OOM_EXPECT(check != OOM_RESULT_OK || !poked || sum == 16);
    wasmtime_val_t pages = {.kind = WASMTIME_I32, .of.i32 = 1};
    int32_t old = call_i32(context, &instance, "grow", &pages, 1, &check);
    OOM_EXPECT(check != OOM_RESULT_OK || old >= 1);
  } else if (result == OOM_RESULT_OK) {
    wasmtime_val_t at[2] = {{.kind = WASMTIME_I32, .of.i32 = 100}, {.kind = WASMTIME_I64, .of.i64 = 100}};
    int32_t sum = call_i32(context, &instance, "peek", at, 2, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(sum == 16);
  }
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Linear memories from the embedder's memory creator: instantiation asks it for the memory (its
// data segment copied in), memory.grow and wasmtime_memory_grow ask it to grow (the block moves),
// a refusal is -1 and an error whose cause is the host's message, and a creator error fails an
// instantiation with its message. The host's own allocations are fixtures (not swept). Every
// memory is finalized with its store, the creator with its engine, whatever failed.
typedef struct {
  uint8_t *base;
  size_t size;
} creator_memory_t;
static int creator_memories, creator_memories_finalized, creators_finalized;

static uint8_t *creator_get(void *env, size_t *size, size_t *capacity) {
  creator_memory_t *memory = env;
  *size = *capacity = memory->size;
  return memory->base;
}

static wasmtime_error_t *creator_grow(void *env, size_t new_size) {
  creator_memory_t *memory = env;
  oom_suspend();
  wasmtime_error_t *refusal = NULL;
  uint8_t *moved = new_size > 3 * 65536 ? NULL : calloc(1, new_size);
  if (moved) {
    memcpy(moved, memory->base, memory->size);
    free(memory->base);
    memory->base = moved;
    memory->size = new_size;
  } else {
    refusal = wasmtime_error_new("the host keeps this memory at 3 pages");
  }
  oom_resume();
  return refusal;
}

static void creator_finalize_memory(void *env) {
  creator_memory_t *memory = env;
  creator_memories_finalized++;
  oom_suspend();
  free(memory->base);
  free(memory);
  oom_resume();
}

static wasmtime_error_t *creator_new_memory(void *env, const wasm_memorytype_t *type, size_t minimum, size_t maximum,
                                            size_t reserved, size_t guard, wasmtime_linear_memory_t *out) {
  (void)env, (void)type, (void)maximum, (void)reserved, (void)guard;
  oom_suspend();
  wasmtime_error_t *error = NULL;
  if (minimum > 3 * 65536) {
    error = wasmtime_error_new("the host has no memory that large");
  } else {
    creator_memory_t *memory = calloc(1, sizeof *memory);
    memory->base = calloc(1, minimum);
    memory->size = minimum;
    *out = (wasmtime_linear_memory_t){memory, creator_get, creator_grow, creator_finalize_memory};
    creator_memories++;
  }
  oom_resume();
  return error;
}

static void creator_finalize(void *env) {
  (void)env;
  creators_finalized++;
}

// An expected non-OOM error: OK when its message contains `expected`, OOM when it is the
// out-of-memory error.
static oom_result expected_error_result(wasmtime_error_t *error, const char *expected) {
  if (error == NULL) return OOM_RESULT_OTHER_ERROR;
  if (OOM_CALL(swasm_error_is_oom(error))) {
    OOM_CALL_VOID(wasmtime_error_delete(error));
    return OOM_RESULT_OOM;
  }
  wasm_message_t message;
  OOM_CALL_VOID(wasmtime_error_message(error, &message));
  oom_result result = OOM_RESULT_OK;
  if (message.size == 0) result = OOM_RESULT_OOM; // the copy could not be made
  else {
    size_t length = strlen(expected), at = 0;
    while (at + length <= message.size && memcmp(message.data + at, expected, length) != 0) at++;
    OOM_EXPECT(at + length <= message.size);
  }
  OOM_CALL_VOID(wasm_byte_vec_delete(&message));
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return result;
}

static oom_result scenario_memory_creator(void) {
  static const char *texts[2] = {
      "(module (memory (export \"mem\") 1 8) (data (i32.const 16) \"hi\")"
      " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
      " (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0))))",
      "(module (memory 4))"};
  creator_memories = creator_memories_finalized = creators_finalized = 0;
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (!config) return OOM_RESULT_OOM;
  wasmtime_memory_creator_t creator = {NULL, creator_new_memory, creator_finalize};
  OOM_CALL_VOID(wasmtime_config_host_memory_creator_set(config, &creator));
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new_with_config(config));
  if (!engine) {
    OOM_EXPECT(creators_finalized == 1);
    return OOM_RESULT_OOM;
  }
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  oom_result result = store ? OOM_RESULT_OK : OOM_RESULT_OOM;
  wasmtime_module_t *modules_made[2] = {NULL, NULL};
  for (int i = 0; i < 2 && result == OOM_RESULT_OK; i++) {
    wasm_byte_vec_t binary;
    result = error_result(OOM_CALL(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary)));
    if (result == OOM_RESULT_OK) {
      result = error_result(OOM_CALL(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules_made[i])));
      OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
    }
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) result = call_result(OOM_CALL(wasmtime_instance_new(context, modules_made[0], NULL, 0, &instance, &trap)), trap);
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t at = {.kind = WASMTIME_I32, .of.i32 = 17};
    int32_t byte = call_i32(context, &instance, "peek", &at, 1, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(byte == 'i');
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t pages = {.kind = WASMTIME_I32, .of.i32 = 1};
    int32_t old = call_i32(context, &instance, "grow", &pages, 1, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(old == 1);
    pages.of.i32 = 5; // past what the host grants: -1
    old = result == OOM_RESULT_OK ? call_i32(context, &instance, "grow", &pages, 1, &result) : 0;
    if (result == OOM_RESULT_OK) OOM_EXPECT(old == -1);
  }
  wasmtime_extern_t item;
  if (result == OOM_RESULT_OK && !OOM_CALL(wasmtime_instance_export_get(context, &instance, "mem", 3, &item))) result = OOM_RESULT_OOM;
  if (result == OOM_RESULT_OK) {
    uint64_t previous = 0;
    result = error_result(OOM_CALL(wasmtime_memory_grow(context, &item.of.memory, 1, &previous)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(previous == 2);
  }
  if (result == OOM_RESULT_OK) {
    uint64_t previous = 0;
    result = expected_error_result(OOM_CALL(wasmtime_memory_grow(context, &item.of.memory, 1, &previous)), "keeps this memory at 3 pages");
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_instance_t refused;
    trap = NULL;
    result = expected_error_result(OOM_CALL(wasmtime_instance_new(context, modules_made[1], NULL, 0, &refused, &trap)),
                                   "the host has no memory that large");
    OOM_EXPECT(trap == NULL);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t at = {.kind = WASMTIME_I32, .of.i32 = 16};
    int32_t byte = call_i32(context, &instance, "peek", &at, 1, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(byte == 'h');
  }
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  OOM_EXPECT(creator_memories_finalized == creator_memories);
  for (int i = 0; i < 2; i++)
    if (modules_made[i]) OOM_CALL_VOID(wasmtime_module_delete(modules_made[i]));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  OOM_EXPECT(creators_finalized == 1);
  return result;
}

static const oom_scenario scenarios[] = {
    {"config_new", scenario_config_new, 0},
    {"async_calls", scenario_async_calls, 0},
    {"pooling_setup", scenario_pooling_setup, 0},
    // Zero allocation points is the property under test: OOM_NO_ALLOCATION makes the driver
    // accept it, and the scenario asserts it (OOM_EXPECT on the allocation count).
    {"pooling_cycles", scenario_pooling_cycles, OOM_NO_ALLOCATION},
    {"engine_new", scenario_engine_new, 0},
    {"engine_new_with_config", scenario_engine_new_with_config, 0},
    {"store_new", scenario_store_new, 0},
    {"wasm_store_new", scenario_wasm_store_new, 0},
    {"fuel", scenario_fuel, 0},
    {"error_message", scenario_error_message, 0},
    {"oom_error_message", scenario_oom_error_message, 0},
    {"byte_vectors", scenario_byte_vectors, 0},
    {"valtypes", scenario_valtypes, 0},
    {"functype", scenario_functype, 0},
    {"global_table_memory_types", scenario_global_table_memory_types, 0},
    {"import_export_types", scenario_import_export_types, 0},
    {"module_imports_exports", scenario_module_imports_exports, 0},
    {"module_all_sections", scenario_module_all_sections, 0},
    {"module_simd", scenario_module_simd, 0},
    {"module_fib", scenario_module_fib, 0},
    {"module_sha256", scenario_module_sha256, 0},
    {"module_matmul", scenario_module_matmul, 0},
    {"wasm_module", scenario_wasm_module, 0},
    {"instance_and_calls", scenario_instance_and_calls, 0},
    {"linker_host", scenario_linker_host, 0},
    {"linker_module", scenario_linker_module, 0},
    {"proposals_3_0", scenario_proposals_3_0, 0},
    {"gc_programs", scenario_gc_programs, 0},
    {"host_exceptions", scenario_host_exceptions, 0},
    {"gc_host_objects", scenario_gc_host_objects, 0},
    {"threads", scenario_threads, 0},
    {"memory_growth", scenario_memory_growth, 0},
    {"memory_creator", scenario_memory_creator, 0},
    {"wasi", scenario_wasi, 0},
    {"host_error_frames", scenario_host_error_frames, 0},
    {"wasm_h_instance", scenario_wasm_h_instance, 0},
    {"wasm_h_externrefs", scenario_wasm_h_externrefs, 0},
    {"artifact_serialize", scenario_artifact_serialize, 0},
    {"artifact_deserialize", scenario_artifact_deserialize, 0},
    {"artifact_deserialize_file", scenario_artifact_deserialize_file, 0},
    {"artifact_memory_image", scenario_artifact_memory_image, OOM_ALLOW_BENIGN_SWALLOW},
    {"guest_profiler", scenario_guest_profiler, 0},
};

int main(int argc, char **argv) {
  const char *data_dir = getenv("SWASM_OOM_DATA_DIR");
  const char *bench_dir = getenv("SWASM_OOM_BENCH_DIR");
  for (size_t i = 0; i < OOM_COUNTOF(modules); i++) {
    const char *dir = modules[i].in_bench_dir ? bench_dir : data_dir;
    if (!dir || !load_module(&modules[i], dir) || !count_imports_exports(&modules[i])) {
      fprintf(stderr, "oom_sweep: cannot read %s (set SWASM_OOM_DATA_DIR and SWASM_OOM_BENCH_DIR; ctest does)\n",
              modules[i].file);
      return 2;
    }
  }
  if (!oom_artifacts_prepare(modules[6].bytes, modules[6].size, modules[4].bytes, modules[4].size)) {
    fprintf(stderr, "oom_sweep: cannot make the artifacts the artifact scenarios load\n");
    return 2;
  }
  int status = oom_run_scenarios(scenarios, OOM_COUNTOF(scenarios), argc, argv);
  oom_artifacts_cleanup();
  for (size_t i = 0; i < OOM_COUNTOF(modules); i++) free(modules[i].bytes);
  return status;
}
