// The runtime objects of wasm.h: instances, functions (host ones made with wasm_func_new and
// wasm_func_new_with_env), globals, tables, memories, externs, references and host info, and
// externref values made from wasm.h objects.
// Usage: test_wasm_h DATA_DIR
#include <stdlib.h>
#include <swasm.h>
#include <wasm.h>

#include "check.h"
#include "read_file.h"

static int finalized[8];
static void finalize(void *info) { finalized[(int)(intptr_t)info]++; }

static int add_calls;
static wasm_trap_t *add_callback(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  CHECK(env == (void *)(intptr_t)3);
  CHECK(args->size == 2 && results->size == 1);
  CHECK(args->data[0].kind == WASM_I32 && args->data[1].kind == WASM_I32);
  add_calls++;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
  return NULL;
}

static wasm_store_t *trapping_store;
static wasm_trap_t *refusing_add(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)env; (void)args; (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "host says no");
  wasm_trap_t *trap = wasm_trap_new(trapping_store, &message);
  wasm_byte_vec_delete(&message);
  return trap;
}

static wasm_trap_t *negate(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I64;
  results->data[0].of.i64 = -args->data[0].of.i64;
  return NULL;
}

static int trap_contains(wasm_trap_t *trap, const char *text) {
  if (!trap) return 0;
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  int found = message.size > 0 && message.data[message.size - 1] == '\0' && strstr(message.data, text) != NULL;
  if (!found) fprintf(stderr, "trap message \"%.*s\" lacks \"%s\"\n", (int)message.size, message.data ? message.data : "", text);
  wasm_byte_vec_delete(&message);
  return found;
}

static wasm_func_t *export_func(const wasm_extern_vec_t *exports, size_t index) {
  CHECK(index < exports->size);
  if (index >= exports->size) return NULL;
  wasm_func_t *func = wasm_extern_as_func(exports->data[index]);
  CHECK(func != NULL);
  return func;
}

static void test_compute(wasm_store_t *store, const char *dir) {
  wasm_byte_vec_t binary;
  CHECK(read_file_in(dir, "compute.wasm", &binary));
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  if (!module) return;

  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t *trap = (wasm_trap_t *)1;
  wasm_instance_t *instance = wasm_instance_new(store, module, &none, &trap);
  CHECK(instance != NULL && trap == NULL);
  if (!instance) { wasm_module_delete(module); return; }

  // Exports in export order, with the kinds the module declares.
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 9 && types.size == 9);
  for (size_t i = 0; i < exports.size && i < types.size; i++) {
    CHECK(wasm_extern_kind(exports.data[i]) == wasm_externtype_kind(wasm_exporttype_type(types.data[i])));
    wasm_externtype_t *type = wasm_extern_type(exports.data[i]);
    CHECK(type && wasm_externtype_kind(type) == wasm_extern_kind(exports.data[i]));
    wasm_externtype_delete(type);
  }
  wasm_exporttype_vec_delete(&types);
  CHECK(wasm_extern_kind(exports.data[0]) == WASM_EXTERN_MEMORY);

  // calls: 100 after the start function.
  wasm_val_t result_values[4];
  wasm_val_vec_t results = {1, result_values};
  wasm_val_vec_t no_args = WASM_EMPTY_VEC;
  wasm_func_t *calls = export_func(&exports, 2);
  CHECK(wasm_func_param_arity(calls) == 0 && wasm_func_result_arity(calls) == 1);
  CHECK(wasm_func_call(calls, &no_args, &results) == NULL);
  CHECK(result_values[0].kind == WASM_I32 && result_values[0].of.i32 == 100);
  CHECK(wasm_func_call(export_func(&exports, 1), &no_args, &results) == NULL); // sum_data
  CHECK(result_values[0].of.i32 == 36);

  // fac(20)
  wasm_val_t arg = WASM_I64_VAL(20);
  wasm_val_vec_t args = {1, &arg};
  CHECK(wasm_func_call(export_func(&exports, 3), &args, &results) == NULL);
  CHECK(result_values[0].kind == WASM_I64 && result_values[0].of.i64 == 2432902008176640000LL);

  // Traps: divide by zero, stack overflow, wrong arguments.
  wasm_val_t pair[2] = {WASM_I32_VAL(7), WASM_I32_VAL(0)};
  wasm_val_vec_t pair_args = {2, pair};
  trap = wasm_func_call(export_func(&exports, 4), &pair_args, &results);
  CHECK(trap_contains(trap, "divide by zero"));
  CHECK(!swasm_trap_is_oom(trap));
  wasm_frame_t *origin = wasm_trap_origin(trap); // the backtrace comes along; frames have no instance
  CHECK(origin != NULL && wasm_frame_instance(origin) == NULL);
  wasm_frame_delete(origin);
  wasm_trap_delete(trap);
  pair[1].of.i32 = 2;
  CHECK(wasm_func_call(export_func(&exports, 4), &pair_args, &results) == NULL && result_values[0].of.i32 == 3);
  trap = wasm_func_call(export_func(&exports, 5), &no_args, &results);
  CHECK(trap_contains(trap, "stack"));
  wasm_trap_delete(trap);
  trap = wasm_func_call(export_func(&exports, 4), &args, &results);
  CHECK(trap_contains(trap, "arguments"));
  wasm_trap_delete(trap);
  trap = wasm_func_call(export_func(&exports, 4), &args, &no_args);
  CHECK(trap != NULL);
  wasm_trap_delete(trap);
  wasm_val_t wrong[2] = {WASM_I64_VAL(1), WASM_I32_VAL(1)};
  wasm_val_vec_t wrong_args = {2, wrong};
  trap = wasm_func_call(export_func(&exports, 4), &wrong_args, &results);
  CHECK(trap_contains(trap, "mismatch"));
  wasm_trap_delete(trap);

  // Multi-value: mix(i32, i64, f32, f64) -> (f64, f32, i64, i32).
  wasm_val_t mixed[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_F32_VAL(3.5f), WASM_F64_VAL(4.25)};
  wasm_val_vec_t mixed_args = {4, mixed};
  wasm_val_vec_t mixed_results = {4, result_values};
  CHECK(wasm_func_call(export_func(&exports, 8), &mixed_args, &mixed_results) == NULL);
  CHECK(result_values[0].kind == WASM_F64 && result_values[0].of.f64 == 4.25);
  CHECK(result_values[1].kind == WASM_F32 && result_values[1].of.f32 == 3.5f);
  CHECK(result_values[2].kind == WASM_I64 && result_values[2].of.i64 == 2);
  CHECK(result_values[3].kind == WASM_I32 && result_values[3].of.i32 == 1);

  // Memory: data, growth from the host and from WebAssembly, the maximum of 4 pages.
  wasm_memory_t *memory = wasm_extern_as_memory(exports.data[0]);
  CHECK(memory != NULL && wasm_extern_as_func(exports.data[0]) == NULL);
  CHECK(wasm_memory_size(memory) == 1 && wasm_memory_data_size(memory) == 65536);
  CHECK(wasm_memory_data(memory)[16] == 1 && wasm_memory_data(memory)[23] == 8);
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 2 && wasm_memory_data_size(memory) == 131072);
  wasm_val_t one = WASM_I32_VAL(1);
  wasm_val_vec_t one_arg = {1, &one};
  CHECK(wasm_func_call(export_func(&exports, 6), &one_arg, &results) == NULL && result_values[0].of.i32 == 2);
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(!wasm_memory_grow(memory, 2));
  wasm_memorytype_t *memory_type = wasm_memory_type(memory);
  // As in wasmtime, a memory's type keeps its declared minimum after growth.
  CHECK(memory_type && wasm_memorytype_limits(memory_type)->min == 1 && wasm_memorytype_limits(memory_type)->max == 4);
  wasm_memorytype_delete(memory_type);

  // Externs are the same objects as funcs; copies are the same item.
  wasm_func_t *fac = export_func(&exports, 3);
  CHECK(wasm_func_as_extern(fac) == exports.data[3]);
  CHECK((const void *)wasm_func_as_extern_const(fac) == (const void *)fac);
  wasm_func_t *fac_copy = wasm_func_copy(fac);
  CHECK(fac_copy && fac_copy != fac && wasm_func_same(fac, fac_copy) && !wasm_func_same(fac, export_func(&exports, 4)));
  wasm_functype_t *fac_type = wasm_func_type(fac_copy);
  CHECK(fac_type && wasm_functype_params(fac_type)->size == 1 && wasm_valtype_kind(wasm_functype_params(fac_type)->data[0]) == WASM_I64);
  wasm_functype_delete(fac_type);
  wasm_extern_vec_t copies;
  wasm_extern_vec_copy(&copies, &exports);
  CHECK(copies.size == exports.size);
  for (size_t i = 0; i < copies.size; i++) CHECK(copies.data[i] != exports.data[i] && wasm_extern_same(copies.data[i], exports.data[i]));
  wasm_extern_vec_delete(&copies);

  // References: casts with kind checks, host info with finalizers.
  wasm_ref_t *ref = wasm_func_as_ref(fac_copy);
  CHECK(ref != NULL && wasm_ref_as_func(ref) == fac_copy && wasm_ref_as_global(ref) == NULL && wasm_ref_as_instance(ref) == NULL);
  CHECK(wasm_ref_as_extern(ref) == wasm_func_as_extern(fac_copy));
  wasm_ref_set_host_info_with_finalizer(ref, (void *)1, finalize);
  CHECK(wasm_func_get_host_info(fac_copy) == (void *)1);
  wasm_ref_t *ref_copy = wasm_ref_copy(ref);
  CHECK(ref_copy && wasm_ref_same(ref, ref_copy) && wasm_ref_get_host_info(ref_copy) == NULL);
  wasm_ref_delete(ref_copy);
  CHECK(finalized[1] == 0);
  wasm_func_delete(fac_copy);
  CHECK(finalized[1] == 1);

  wasm_ref_t *instance_ref = wasm_instance_as_ref(instance);
  CHECK(wasm_ref_as_instance(instance_ref) == instance && wasm_ref_as_func(instance_ref) == NULL && wasm_ref_as_extern(instance_ref) == NULL);
  wasm_instance_t *instance_copy = wasm_instance_copy(instance);
  CHECK(wasm_instance_same(instance, instance_copy));
  wasm_instance_delete(instance_copy);
  wasm_instance_set_host_info_with_finalizer(instance, (void *)2, finalize);
  CHECK(wasm_instance_get_host_info(instance) == (void *)2);
  wasm_ref_t *module_ref = wasm_module_as_ref(module);
  CHECK(module_ref && wasm_ref_as_module(module_ref) == module && wasm_ref_as_func(module_ref) == NULL && wasm_ref_as_instance(module_ref) == NULL);
  CHECK(wasm_ref_get_host_info(module_ref) == NULL);
  wasm_ref_t *module_copy = wasm_ref_copy(module_ref);
  CHECK(module_copy && wasm_ref_same(module_copy, module_ref) && wasm_module_same(wasm_ref_as_module(module_copy), module));
  wasm_ref_set_host_info_with_finalizer(module_copy, (void *)6, finalize);
  CHECK(wasm_module_get_host_info(wasm_ref_as_module(module_copy)) == (void *)6);
  wasm_ref_delete(module_copy);
  CHECK(finalized[6] == 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  CHECK(finalized[2] == 1);
  wasm_module_delete(module);
}

static void test_imports(wasm_engine_t *engine, const char *dir) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_byte_vec_t binary;
  CHECK(read_file_in(dir, "imports_exports.wasm", &binary));
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  if (!module) { wasm_store_delete(store); return; }

  wasm_functype_t *binop = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *add = wasm_func_new_with_env(store, binop, add_callback, (void *)(intptr_t)3, finalize);
  wasm_limits_t table_limits = {1, 10};
  wasm_tabletype_t *table_type = wasm_tabletype_new(wasm_valtype_new_funcref(), &table_limits);
  wasm_table_t *table = wasm_table_new(store, table_type, NULL);
  wasm_tabletype_delete(table_type);
  wasm_limits_t memory_limits = {1, 2};
  wasm_memorytype_t *memory_type = wasm_memorytype_new(&memory_limits);
  wasm_memory_t *memory = wasm_memory_new(store, memory_type);
  wasm_memorytype_delete(memory_type);
  wasm_globaltype_t *global_type = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t seven = WASM_I64_VAL(7);
  wasm_global_t *counter = wasm_global_new(store, global_type, &seven);
  wasm_globaltype_delete(global_type);
  CHECK(add && table && memory && counter);
  if (!(add && table && memory && counter)) { wasm_module_delete(module); wasm_store_delete(store); return; }
  CHECK(wasm_table_size(table) == 1 && wasm_table_get(table, 0) == NULL);

  wasm_extern_t *import_items[4] = {wasm_func_as_extern(add), wasm_table_as_extern(table), wasm_memory_as_extern(memory), wasm_global_as_extern(counter)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(import_items);
  wasm_trap_t *trap = NULL;

  // Wrong count, wrong order.
  wasm_extern_vec_t too_few = {2, import_items};
  CHECK(wasm_instance_new(store, module, &too_few, &trap) == NULL);
  CHECK(trap_contains(trap, "imports"));
  wasm_trap_delete(trap);
  wasm_extern_t *swapped[4] = {import_items[1], import_items[0], import_items[2], import_items[3]};
  wasm_extern_vec_t swapped_imports = WASM_ARRAY_VEC(swapped);
  CHECK(wasm_instance_new(store, module, &swapped_imports, &trap) == NULL);
  CHECK(trap_contains(trap, "incompatible import type"));
  wasm_trap_delete(trap);

  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  if (!instance) { wasm_module_delete(module); wasm_store_delete(store); return; }
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 6);

  // double(21) calls the host's add.
  wasm_val_t argument = WASM_I32_VAL(21);
  wasm_val_t result_values[2];
  wasm_val_vec_t args = {1, &argument}, results = {1, result_values};
  CHECK(wasm_func_call(export_func(&exports, 0), &args, &results) == NULL);
  CHECK(result_values[0].kind == WASM_I32 && result_values[0].of.i32 == 42 && add_calls == 1);
  // The host function called from the host.
  wasm_val_t pair[2] = {WASM_I32_VAL(2), WASM_I32_VAL(3)};
  wasm_val_vec_t pair_args = {2, pair};
  CHECK(wasm_func_call(add, &pair_args, &results) == NULL && result_values[0].of.i32 == 5 && add_calls == 2);

  // A host function made with wasm_func_new.
  wasm_functype_t *unop = wasm_functype_new_1_1(wasm_valtype_new_i64(), wasm_valtype_new_i64());
  wasm_func_t *neg = wasm_func_new(store, unop, negate);
  wasm_functype_delete(unop);
  wasm_val_t big = WASM_I64_VAL(1234567890123LL);
  wasm_val_vec_t big_args = {1, &big};
  CHECK(neg && wasm_func_call(neg, &big_args, &results) == NULL && result_values[0].of.i64 == -1234567890123LL);
  wasm_func_delete(neg);

  // Globals: the exported counter is the imported one.
  wasm_global_t *exported_counter = wasm_extern_as_global(exports.data[5]);
  CHECK(exported_counter && wasm_global_same(exported_counter, counter));
  wasm_val_t value;
  wasm_global_get(exported_counter, &value);
  CHECK(value.kind == WASM_I64 && value.of.i64 == 7);
  wasm_val_t nine = WASM_I64_VAL(9);
  wasm_global_set(exported_counter, &nine);
  wasm_global_get(counter, &value);
  CHECK(value.of.i64 == 9);
  wasm_global_t *scale = wasm_extern_as_global(exports.data[4]);
  wasm_global_get(scale, &value);
  CHECK(value.kind == WASM_F64 && value.of.f64 == 2.5);
  wasm_val_t other = WASM_F64_VAL(1.0);
  wasm_global_set(scale, &other); // immutable: ignored
  wasm_global_get(scale, &value);
  CHECK(value.of.f64 == 2.5);
  wasm_globaltype_t *scale_type = wasm_global_type(scale);
  CHECK(scale_type && wasm_globaltype_mutability(scale_type) == WASM_CONST);
  wasm_globaltype_delete(scale_type);

  // Tables: the element segment put `double` at 0.
  wasm_ref_t *element = wasm_table_get(table, 0);
  CHECK(element != NULL);
  wasm_func_t *element_func = wasm_ref_as_func(element);
  CHECK(element_func && wasm_func_same(element_func, export_func(&exports, 0)));
  argument.of.i32 = 5;
  CHECK(wasm_func_call(element_func, &args, &results) == NULL && result_values[0].of.i32 == 10);
  CHECK(wasm_table_set(table, 0, NULL) && wasm_table_get(table, 0) == NULL);
  CHECK(wasm_table_set(table, 0, element));
  CHECK(!wasm_table_set(table, 1, element));
  CHECK(wasm_table_grow(table, 2, wasm_func_as_ref(add)));
  CHECK(wasm_table_size(table) == 3);
  wasm_ref_t *grown = wasm_table_get(table, 2);
  CHECK(grown && wasm_ref_same(grown, wasm_func_as_ref(add)));
  wasm_ref_delete(grown);
  CHECK(!wasm_table_grow(table, 8, NULL));
  CHECK(wasm_table_get(table, 3) == NULL);
  wasm_ref_t *global_ref = wasm_global_as_ref(counter);
  CHECK(!wasm_table_set(table, 0, global_ref)); // not a function
  wasm_ref_delete(element);

  // Values holding references: copies and deletion.
  wasm_val_t func_value = {.kind = WASM_FUNCREF, .of = {.ref = wasm_func_as_ref(add)}};
  wasm_val_t func_copy;
  wasm_val_copy(&func_copy, &func_value);
  CHECK(func_copy.of.ref && func_copy.of.ref != func_value.of.ref && wasm_ref_same(func_copy.of.ref, func_value.of.ref));
  wasm_val_vec_t values;
  wasm_val_vec_new(&values, 1, &func_copy);
  wasm_val_vec_t values_copy;
  wasm_val_vec_copy(&values_copy, &values);
  CHECK(values_copy.size == 1 && values_copy.data[0].of.ref != func_copy.of.ref);
  wasm_val_vec_delete(&values_copy);
  wasm_val_vec_delete(&values);

  // Memory: the module's data segment wrote into the host's memory.
  CHECK(wasm_memory_data(memory)[16] == 'h' && wasm_memory_size(memory) == 1);
  CHECK(wasm_memory_grow(memory, 1) && !wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_same(memory, wasm_extern_as_memory(exports.data[3])));

  // A trap from a host function reaches the caller with its message.
  wasm_func_t *refuse = wasm_func_new_with_env(store, binop, refusing_add, NULL, NULL);
  trapping_store = store;
  import_items[0] = wasm_func_as_extern(refuse);
  CHECK(wasm_table_new(store, NULL, NULL) == NULL);
  wasm_instance_t *second = wasm_instance_new(store, module, &imports, &trap);
  CHECK(second != NULL && trap == NULL);
  if (second) {
    wasm_extern_vec_t second_exports;
    wasm_instance_exports(second, &second_exports);
    trap = wasm_func_call(export_func(&second_exports, 0), &args, &results);
    CHECK(trap_contains(trap, "host says no"));
    wasm_trap_set_host_info_with_finalizer(trap, (void *)4, finalize);
    CHECK(wasm_trap_get_host_info(trap) == (void *)4 && wasm_trap_same(trap, trap));
    wasm_ref_t *trap_ref = wasm_trap_as_ref(trap);
    CHECK(trap_ref && wasm_ref_as_trap(trap_ref) == trap && wasm_ref_as_func(trap_ref) == NULL && wasm_ref_get_host_info(trap_ref) == (void *)4);
    wasm_ref_t *trap_copy = wasm_ref_copy(trap_ref);
    CHECK(trap_copy && trap_contains(wasm_ref_as_trap(trap_copy), "host says no"));
    wasm_ref_delete(trap_copy);
    CHECK(finalized[4] == 0);
    wasm_trap_delete(trap);
    CHECK(finalized[4] == 1);
    wasm_extern_vec_delete(&second_exports);
    wasm_instance_delete(second);
  }
  wasm_func_delete(refuse);

  // Foreign objects.
  wasm_foreign_t *foreign = wasm_foreign_new(store);
  CHECK(foreign != NULL);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void *)5, finalize);
  wasm_ref_t *foreign_ref = wasm_foreign_as_ref(foreign);
  CHECK(wasm_ref_as_foreign(foreign_ref) == foreign && wasm_ref_as_func(foreign_ref) == NULL && wasm_ref_as_extern(foreign_ref) == NULL);
  wasm_foreign_t *foreign_copy = wasm_foreign_copy(foreign);
  wasm_foreign_t *another = wasm_foreign_new(store);
  CHECK(wasm_foreign_same(foreign, foreign_copy) && !wasm_foreign_same(foreign, another));
  wasm_foreign_delete(another);
  wasm_foreign_delete(foreign_copy);
  wasm_foreign_delete(foreign);
  CHECK(finalized[5] == 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_functype_delete(binop);
  wasm_func_delete(add);
  wasm_table_delete(table);
  wasm_memory_delete(memory);
  wasm_global_delete(counter);
  wasm_module_delete(module);
  CHECK(finalized[3] == 0);
  wasm_store_delete(store);
  CHECK(finalized[3] == 1); // the environment lives as long as the store
}

static int echo_calls;
static wasm_trap_t *echo_reference(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_EXTERNREF);
  echo_calls++;
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_val_t call_reference(wasm_func_t *func, wasm_val_t argument) {
  wasm_val_t result = {.kind = WASM_I32};
  wasm_val_vec_t args = {1, &argument}, results = {1, &result};
  wasm_trap_t *trap = wasm_func_call(func, &args, &results);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  return result;
}

static int holds_foreign(const wasm_val_t *value, const wasm_foreign_t *expected) {
  return value->kind == WASM_EXTERNREF && value->of.ref && wasm_foreign_same(wasm_ref_as_foreign_const(value->of.ref), expected);
}

// Any wasm.h reference passes as an externref and comes back as the same object (wasm_*_same);
// the store keeps what it was given until it is deleted.
static void test_externrefs(wasm_engine_t *engine, const char *dir) {
  wasm_byte_vec_t binary;
  CHECK(read_file_in(dir, "externrefs.wasm", &binary));
  if (!binary.data) return;
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  if (!module) { wasm_store_delete(store); return; }
  wasm_functype_t *echo_type = wasm_functype_new_1_1(wasm_valtype_new(WASM_EXTERNREF), wasm_valtype_new(WASM_EXTERNREF));
  wasm_func_t *echo = wasm_func_new(store, echo_type, echo_reference);
  wasm_extern_t *import_items[] = {wasm_func_as_extern(echo)};
  wasm_extern_vec_t imports = {1, import_items};
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  if (!instance) { wasm_store_delete(store); return; }
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 7);
  wasm_table_t *refs = wasm_extern_as_table(exports.data[0]);
  wasm_global_t *last = wasm_extern_as_global(exports.data[1]);
  wasm_func_t *identity = export_func(&exports, 2), *keep = export_func(&exports, 3), *load = export_func(&exports, 4);
  wasm_func_t *is_null = export_func(&exports, 5), *through_host = export_func(&exports, 6);

  wasm_foreign_t *foreign = wasm_foreign_new(store), *other = wasm_foreign_new(store);
  wasm_val_t as_value = {.kind = WASM_EXTERNREF, .of.ref = wasm_foreign_as_ref(foreign)};
  wasm_val_t null_value = {.kind = WASM_EXTERNREF, .of.ref = NULL};

  wasm_val_t result = call_reference(identity, as_value);
  CHECK(holds_foreign(&result, foreign) && !holds_foreign(&result, other));
  CHECK(result.of.ref != as_value.of.ref); // a new object for the caller to delete
  wasm_val_delete(&result);
  result = call_reference(is_null, as_value);
  CHECK(result.kind == WASM_I32 && result.of.i32 == 0);
  result = call_reference(is_null, null_value);
  CHECK(result.kind == WASM_I32 && result.of.i32 == 1);
  result = call_reference(identity, null_value);
  CHECK(result.kind == WASM_EXTERNREF && result.of.ref == NULL);

  // Through a host function, in both directions.
  result = call_reference(through_host, as_value);
  CHECK(echo_calls == 1 && holds_foreign(&result, foreign));
  wasm_val_delete(&result);

  // Stored by Wasm, read by the host: table, global.
  wasm_val_t keep_args[] = {{.kind = WASM_I32, .of.i32 = 1}, as_value};
  wasm_val_vec_t keep_vec = {2, keep_args}, no_results = {0, NULL};
  CHECK(wasm_func_call(keep, &keep_vec, &no_results) == NULL);
  wasm_ref_t *element = wasm_table_get(refs, 1);
  CHECK(element && wasm_foreign_same(wasm_ref_as_foreign(element), foreign));
  wasm_ref_delete(element);
  CHECK(wasm_table_get(refs, 0) == NULL);
  wasm_val_t global_value;
  wasm_global_get(last, &global_value);
  CHECK(holds_foreign(&global_value, foreign));
  wasm_val_delete(&global_value);

  // Stored by the host, read by Wasm.
  wasm_val_t other_value = {.kind = WASM_EXTERNREF, .of.ref = wasm_foreign_as_ref(other)};
  wasm_global_set(last, &other_value);
  wasm_global_get(last, &global_value);
  CHECK(holds_foreign(&global_value, other));
  wasm_val_delete(&global_value);
  CHECK(wasm_table_set(refs, 2, wasm_foreign_as_ref(other)));
  result = call_reference(load, (wasm_val_t){.kind = WASM_I32, .of.i32 = 2});
  CHECK(holds_foreign(&result, other));
  wasm_val_delete(&result);

  // A function object is a reference too; a funcref where an externref belongs is refused.
  wasm_val_t func_value = {.kind = WASM_EXTERNREF, .of.ref = wasm_func_as_ref(echo)};
  result = call_reference(identity, func_value);
  CHECK(result.kind == WASM_EXTERNREF && result.of.ref && wasm_func_same(wasm_ref_as_func(result.of.ref), echo));
  wasm_val_delete(&result);
  wasm_val_t wrong_kind = {.kind = WASM_FUNCREF, .of.ref = wasm_func_as_ref(echo)};
  wasm_val_vec_t wrong_args = {1, &wrong_kind};
  wasm_val_t unused = {.kind = WASM_I32};
  wasm_val_vec_t unused_results = {1, &unused};
  trap = wasm_func_call(identity, &wrong_args, &unused_results);
  CHECK(trap != NULL);
  if (trap) wasm_trap_delete(trap);

  // The host deletes its objects; Wasm still holds the references, with their identity.
  wasm_foreign_t *kept = wasm_foreign_copy(foreign);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void *)7, finalize);
  wasm_foreign_delete(foreign);
  CHECK(finalized[7] == 1);
  result = call_reference(load, (wasm_val_t){.kind = WASM_I32, .of.i32 = 1});
  CHECK(holds_foreign(&result, kept));
  wasm_val_delete(&result);
  wasm_foreign_delete(kept);
  wasm_foreign_delete(other);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(echo);
  wasm_functype_delete(echo_type);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  test_compute(store, dir);
  wasm_store_delete(store);
  test_imports(engine, dir);
  test_externrefs(engine, dir);
  CHECK(wasm_frame_instance(NULL) == NULL);
  wasm_engine_delete(engine);
  return check_report("test_wasm_h");
}
