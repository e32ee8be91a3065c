// Allocation-failure scenarios for the pooling allocator (see oom_pooling_scenarios.h).
#include "oom_pooling_scenarios.h"

#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

#include <swasm.h>

// Instantiated with a host import through a linker: a memory with data (a page of it, so that
// the memory has a copy-on-write image, which a pooled slot keeps between instances), a table
// with elements, a mutable global; `run` grows the memory, reads a byte of the image and
// overwrites it (the next instance must read it again), writes and reads past the data, calls the
// host and through the table. `%s` is the page of data.
static const char pooled_template[] =
    "(module (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))"
    " (memory (export \"memory\") 1 4) (table 4 funcref) (global $g (mut i32) (i32.const 5))"
    " (data (i32.const 16) \"pooled\") (data (i32.const 4096) \"%s\") (elem (i32.const 0) $seven $add)"
    " (type $unary (func (result i32)))"
    " (func $seven (result i32) i32.const 7)"
    " (func (export \"run\") (param $n i32) (result i32)"
    "  (drop (memory.grow (i32.const 1)))"
    "  (i32.store (i32.const 70000) (i32.add (local.get $n) (i32.load8_u (i32.const 5001))))"
    "  (i32.store8 (i32.const 5001) (i32.const 0))"
    "  (global.set $g (i32.add (global.get $g) (i32.load8_u (i32.const 16))))"
    "  (call $add (i32.load (i32.const 70000))"
    "   (i32.add (global.get $g) (call_indirect (type $unary) (i32.const 0))))))";

static char pooled_text[sizeof pooled_template + 4096];

static void write_pooled_text(void) {
  char page[4097];
  memset(page, 'q', 4096);
  page[4096] = 0;
  snprintf(pooled_text, sizeof pooled_text, pooled_template, page);
}

static wasm_trap_t *host_add(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                             wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return NULL;
}

static oom_result error_kind(wasmtime_error_t *error) {
  if (error == NULL) return OOM_RESULT_OK;
  oom_result result = swasm_error_is_oom(error) ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return result;
}

static wasm_engine_t *pooling_engine(void) {
  wasm_config_t *config = OOM_CALL(wasm_config_new());
  if (config == NULL) return NULL;
  wasmtime_pooling_allocation_config_t *pooling = OOM_CALL(wasmtime_pooling_allocation_config_new());
  if (pooling == NULL) {
    OOM_CALL_VOID(wasm_config_delete(config));
    return NULL;
  }
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_total_core_instances_set(pooling, 8));
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_total_memories_set(pooling, 8));
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_total_tables_set(pooling, 8));
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_max_memory_size_set(pooling, 4 << 16));
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pooling, 4096));
  OOM_CALL_VOID(wasmtime_pooling_allocation_strategy_set(config, pooling));
  OOM_CALL_VOID(wasmtime_pooling_allocation_config_delete(pooling));
  return OOM_CALL(wasm_engine_new_with_config(config));
}

// Engine, linker and module of a pooled embedder; NULLs on failure (everything made is deleted).
typedef struct {
  wasm_engine_t *engine;
  wasmtime_linker_t *linker;
  wasmtime_module_t *module;
} pooled_setup;

static oom_result make_setup(pooled_setup *setup) {
  memset(setup, 0, sizeof *setup);
  write_pooled_text();
  setup->engine = pooling_engine();
  if (setup->engine == NULL) return OOM_RESULT_OOM;
  oom_result result = OOM_RESULT_OK;
  wasm_byte_vec_t binary = {0, NULL};
  result = error_kind(OOM_CALL(wasmtime_wat2wasm(pooled_text, strlen(pooled_text), &binary)));
  if (result == OOM_RESULT_OK) {
    result = error_kind(OOM_CALL(wasmtime_module_new(setup->engine, (const uint8_t *)binary.data, binary.size, &setup->module)));
    OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
  }
  if (result == OOM_RESULT_OK) {
    setup->linker = OOM_CALL(wasmtime_linker_new(setup->engine));
    if (setup->linker == NULL) result = OOM_RESULT_OOM;
  }
  wasm_functype_t *type = NULL;
  if (result == OOM_RESULT_OK) {
    type = OOM_CALL(wasm_functype_new_2_1(OOM_CALL(wasm_valtype_new_i32()), OOM_CALL(wasm_valtype_new_i32()),
                                          OOM_CALL(wasm_valtype_new_i32())));
    if (type == NULL) result = OOM_RESULT_OOM;
  }
  if (result == OOM_RESULT_OK)
    result = error_kind(OOM_CALL(wasmtime_linker_define_func(setup->linker, "host", 4, "add", 3, type, host_add, NULL, NULL)));
  if (type) OOM_CALL_VOID(wasm_functype_delete(type));
  return result;
}

static void drop_setup(pooled_setup *setup) {
  if (setup->linker) OOM_CALL_VOID(wasmtime_linker_delete(setup->linker));
  if (setup->module) OOM_CALL_VOID(wasmtime_module_delete(setup->module));
  if (setup->engine) OOM_CALL_VOID(wasm_engine_delete(setup->engine));
}

// One store's life: instantiate, call `run`, check the answer, delete the store.
static oom_result cycle(pooled_setup *setup, int n) {
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(setup->engine, NULL, NULL));
  if (store == NULL) return OOM_RESULT_OOM;
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  oom_result result = error_kind(OOM_CALL(wasmtime_linker_instantiate(setup->linker, context, setup->module, &instance, &trap)));
  if (trap) {
    OOM_CALL_VOID(wasm_trap_delete(trap));
    result = OOM_RESULT_OTHER_ERROR;
  }
  wasmtime_extern_t run;
  if (result == OOM_RESULT_OK && !OOM_CALL(wasmtime_instance_export_get(context, &instance, "run", 3, &run)))
    result = OOM_RESULT_OTHER_ERROR;
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = n}, answer;
    result = error_kind(OOM_CALL(wasmtime_func_call(context, &run.of.func, &argument, 1, &answer, 1, &trap)));
    if (trap) {
      OOM_CALL_VOID(wasm_trap_delete(trap));
      result = OOM_RESULT_OTHER_ERROR;
    }
    // n + 'q' + (5 + 'p') + 7
    if (result == OOM_RESULT_OK) OOM_EXPECT(answer.kind == WASMTIME_I32 && answer.of.i32 == n + 'q' + 5 + 'p' + 7);
  }
  OOM_CALL_VOID(wasmtime_store_delete(store));
  return result;
}

oom_result scenario_pooling_setup(void) {
  pooled_setup setup;
  oom_result result = make_setup(&setup);
  if (result == OOM_RESULT_OK) result = cycle(&setup, 1);
  drop_setup(&setup);
  return result;
}

oom_result scenario_pooling_cycles(void) {
  // Setup and one cycle (the first call of each function fills nothing lazily, but a first cycle
  // shows that) are not counted.
  oom_suspend();
  pooled_setup setup;
  oom_result result = make_setup(&setup);
  if (result == OOM_RESULT_OK) result = cycle(&setup, 0);
  oom_resume();
  if (result != OOM_RESULT_OK) {
    oom_suspend();
    drop_setup(&setup);
    oom_resume();
    return result;
  }
  size_t before = oom_alloc_count();
  for (int n = 1; n <= 50 && result == OOM_RESULT_OK; n++) result = cycle(&setup, n);
  OOM_EXPECT(oom_alloc_count() == before);
  oom_suspend();
  drop_setup(&setup);
  oom_resume();
  return result;
}
