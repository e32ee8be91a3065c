// Normal behaviour and bad arguments of byte vectors, names and the type objects of wasm.h
// and wasmtime's memory and value-type extensions.
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"

static void test_byte_vectors(void) {
  wasm_byte_vec_t empty;
  wasm_byte_vec_new_empty(&empty);
  CHECK(empty.size == 0);
  wasm_byte_vec_delete(&empty);

  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, 5, "hello");
  CHECK_BYTES(bytes, "hello");
  wasm_byte_vec_t copy;
  wasm_byte_vec_copy(&copy, &bytes);
  CHECK_BYTES(copy, "hello");
  CHECK(copy.data != bytes.data);
  wasm_byte_vec_delete(&bytes);
  CHECK(bytes.size == 0 && bytes.data == NULL);
  wasm_byte_vec_delete(&copy);

  wasm_byte_vec_t uninitialized;
  wasm_byte_vec_new_uninitialized(&uninitialized, 64);
  CHECK(uninitialized.size == 64 && uninitialized.data != NULL);
  memset(uninitialized.data, 'x', 64);
  wasm_byte_vec_delete(&uninitialized);

  wasm_name_t name;
  wasm_name_new_from_string(&name, "env");
  CHECK_BYTES(name, "env");
  wasm_name_delete(&name);
  wasm_name_new_from_string_nt(&name, "env");
  CHECK(name.size == 4 && name.data[3] == '\0');
  wasm_name_delete(&name);
  wasm_byte_vec_delete(NULL);
}

static void test_valtypes(void) {
  const wasm_valkind_t kinds[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_EXTERNREF, WASM_FUNCREF};
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    wasm_valtype_t *type = wasm_valtype_new(kinds[i]);
    CHECK(type != NULL);
    CHECK(wasm_valtype_kind(type) == kinds[i]);
    wasm_valtype_t *copy = wasm_valtype_copy(type);
    CHECK(wasm_valtype_kind(copy) == kinds[i]);
    CHECK(wasm_valtype_is_num(type) == (kinds[i] < WASM_EXTERNREF));
    CHECK(wasm_valtype_is_ref(type) == (kinds[i] >= WASM_EXTERNREF));
    wasm_valtype_delete(type);
    wasm_valtype_delete(copy);
  }
  CHECK(wasm_valtype_new(42) == NULL);
  wasm_valtype_delete(NULL);

  wasm_valtype_t *v128 = wasmtime_wasm_valtype_v128();
  CHECK(v128 != NULL);
  wasm_valtype_t *i32 = wasm_valtype_new_i32();
  wasm_valtype_t *i32b = wasm_valtype_new(WASM_I32);
  CHECK(wasmtime_wasm_valtype_equal(i32, i32b));
  CHECK(!wasmtime_wasm_valtype_equal(i32, v128));

  wasmtime_valtype_t full;
  wasmtime_valtype_new(i32, &full);
  CHECK(full.kind == WASMTIME_VALTYPE_KIND_I32);
  wasmtime_valtype_new(v128, &full);
  CHECK(full.kind == WASMTIME_VALTYPE_KIND_V128);
  wasm_valtype_t *funcref = wasm_valtype_new_funcref();
  wasmtime_valtype_new(funcref, &full);
  CHECK(full.kind == WASMTIME_VALTYPE_KIND_REF);
  CHECK(full.reftype.nullable);
  CHECK(full.reftype.heaptype.kind == WASMTIME_HEAPTYPE_KIND_FUNC);
  wasmtime_valtype_t cloned;
  wasmtime_valtype_clone(&full, &cloned);
  wasm_engine_t *engine = wasm_engine_new();
  wasm_valtype_t *back = wasmtime_valtype_to_wasm(engine, &cloned);
  CHECK(back != NULL && wasm_valtype_kind(back) == WASM_FUNCREF);
  wasm_valtype_delete(back);
  wasmtime_valtype_delete(&cloned);
  wasmtime_valtype_delete(&full);
  wasm_engine_delete(engine);
  wasm_valtype_delete(funcref);
  wasm_valtype_delete(i32);
  wasm_valtype_delete(i32b);
  wasm_valtype_delete(v128);
}

static void test_functypes(void) {
  wasm_functype_t *type = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_f64(), wasm_valtype_new_i64());
  CHECK(type != NULL);
  const wasm_valtype_vec_t *params = wasm_functype_params(type);
  const wasm_valtype_vec_t *results = wasm_functype_results(type);
  CHECK(params->size == 2 && results->size == 1);
  CHECK(wasm_valtype_kind(params->data[0]) == WASM_I32);
  CHECK(wasm_valtype_kind(params->data[1]) == WASM_F64);
  CHECK(wasm_valtype_kind(results->data[0]) == WASM_I64);

  wasm_functype_t *copy = wasm_functype_copy(type);
  CHECK(copy != NULL && wasm_functype_params(copy)->size == 2);
  CHECK(wasm_functype_params(copy)->data[0] != params->data[0]);

  wasm_externtype_t *as_extern = wasm_functype_as_externtype(type);
  CHECK(wasm_externtype_kind(as_extern) == WASM_EXTERN_FUNC);
  CHECK(wasm_externtype_as_functype(as_extern) == type);
  CHECK(wasm_externtype_as_globaltype(as_extern) == NULL);
  CHECK(wasm_externtype_as_memorytype(as_extern) == NULL);
  wasm_externtype_t *extern_copy = wasm_externtype_copy(as_extern);
  CHECK(wasm_externtype_kind(extern_copy) == WASM_EXTERN_FUNC);
  wasm_externtype_delete(extern_copy);

  wasm_functype_t *empty = wasm_functype_new_0_0();
  CHECK(wasm_functype_params(empty)->size == 0 && wasm_functype_results(empty)->size == 0);
  wasm_functype_delete(empty);
  wasm_functype_delete(copy);
  wasm_functype_delete(type);
  wasm_functype_delete(NULL);
}

static void test_global_table_memory_types(void) {
  wasm_globaltype_t *global = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_VAR);
  CHECK(global != NULL);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(global)) == WASM_F32);
  CHECK(wasm_globaltype_mutability(global) == WASM_VAR);
  wasm_globaltype_t *global_copy = wasm_globaltype_copy(global);
  CHECK(wasm_globaltype_mutability(global_copy) == WASM_VAR);
  CHECK(wasm_externtype_kind(wasm_globaltype_as_externtype(global)) == WASM_EXTERN_GLOBAL);
  wasm_globaltype_delete(global_copy);
  wasm_globaltype_delete(global);
  CHECK(wasm_globaltype_new(NULL, WASM_CONST) == NULL);
  CHECK(wasm_globaltype_new(wasm_valtype_new_i32(), 7) == NULL); // bad mutability: NULL, content freed

  wasm_limits_t limits = {1, 10};
  wasm_tabletype_t *table = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  CHECK(table != NULL);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(table)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(table)->min == 1 && wasm_tabletype_limits(table)->max == 10);
  wasm_tabletype_t *table_copy = wasm_tabletype_copy(table);
  CHECK(wasm_tabletype_limits(table_copy)->max == 10);
  wasm_tabletype_delete(table_copy);
  wasm_tabletype_delete(table);
  CHECK(wasm_tabletype_new(wasm_valtype_new_i32(), &limits) == NULL); // tables hold references

  wasm_limits_t unbounded = {2, wasm_limits_max_default};
  wasm_memorytype_t *memory = wasm_memorytype_new(&unbounded);
  CHECK(memory != NULL);
  CHECK(wasm_memorytype_limits(memory)->min == 2);
  CHECK(wasm_memorytype_limits(memory)->max == wasm_limits_max_default);
  uint64_t max = 0;
  CHECK(!wasmtime_memorytype_maximum(memory, &max));
  CHECK(wasmtime_memorytype_minimum(memory) == 2);
  CHECK(!wasmtime_memorytype_is64(memory));
  CHECK(!wasmtime_memorytype_isshared(memory));
  CHECK(wasmtime_memorytype_page_size(memory) == 65536);
  CHECK(wasmtime_memorytype_page_size_log2(memory) == 16);
  wasm_externtype_t *memory_extern = wasm_memorytype_as_externtype(memory);
  CHECK(wasm_externtype_as_memorytype(memory_extern) == memory);
  CHECK(wasm_externtype_as_tabletype(memory_extern) == NULL);
  wasm_memorytype_delete(memory);

  wasm_memorytype_t *memory64 = NULL;
  wasmtime_error_t *error = wasmtime_memorytype_new(1, true, 1ull << 40, true, false, 16, &memory64);
  CHECK(error == NULL && memory64 != NULL);
  CHECK(wasmtime_memorytype_is64(memory64));
  CHECK(wasmtime_memorytype_maximum(memory64, &max) && max == 1ull << 40);
  wasm_memorytype_delete(memory64);

  wasm_memorytype_t *bad = NULL;
  error = wasmtime_memorytype_new(5, true, 4, false, false, 16, &bad); // min > max
  CHECK(error != NULL && bad == NULL);
  wasmtime_error_delete(error);
  error = wasmtime_memorytype_new(65537, false, 0, false, false, 16, &bad); // beyond 4 GiB
  CHECK(error != NULL && bad == NULL);
  wasmtime_error_delete(error);
  error = wasmtime_memorytype_new(1, false, 0, false, true, 16, &bad); // shared needs a maximum
  CHECK(error != NULL && bad == NULL);
  wasmtime_error_delete(error);
  error = wasmtime_memorytype_new(1, false, 0, false, false, 3, &bad); // page size 8 bytes
  CHECK(error != NULL && bad == NULL);
  wasmtime_error_delete(error);
  error = wasmtime_memorytype_new(1, false, 0, false, false, 0, &bad); // 1-byte pages are allowed
  CHECK(error == NULL && bad != NULL && wasmtime_memorytype_page_size(bad) == 1);
  wasm_memorytype_delete(bad);
}

static void test_import_export_types(void) {
  wasm_name_t module, name;
  wasm_name_new_from_string(&module, "env");
  wasm_name_new_from_string(&name, "memory");
  wasm_limits_t limits = {1, 2};
  wasm_importtype_t *import = wasm_importtype_new(&module, &name, wasm_memorytype_as_externtype(wasm_memorytype_new(&limits)));
  CHECK(import != NULL);
  CHECK_BYTES(*wasm_importtype_module(import), "env");
  CHECK_BYTES(*wasm_importtype_name(import), "memory");
  CHECK(wasm_externtype_kind(wasm_importtype_type(import)) == WASM_EXTERN_MEMORY);

  wasm_name_new_from_string(&name, "run");
  wasm_exporttype_t *export = wasm_exporttype_new(&name, wasm_functype_as_externtype(wasm_functype_new_0_0()));
  CHECK(export != NULL);
  CHECK_BYTES(*wasm_exporttype_name(export), "run");
  CHECK(wasm_externtype_kind(wasm_exporttype_type(export)) == WASM_EXTERN_FUNC);

  // Vectors own their elements, and copies are deep.
  wasm_importtype_t *import_items[1] = {import};
  wasm_importtype_vec_t imports;
  wasm_importtype_vec_new(&imports, 1, import_items);
  wasm_importtype_vec_t imports_copy;
  wasm_importtype_vec_copy(&imports_copy, &imports);
  CHECK(imports_copy.size == 1 && imports_copy.data[0] != import);
  CHECK_BYTES(*wasm_importtype_name(imports_copy.data[0]), "memory");
  wasm_importtype_vec_delete(&imports_copy);
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t exports;
  wasm_exporttype_vec_new_uninitialized(&exports, 2);
  CHECK(exports.size == 2 && exports.data[0] == NULL && exports.data[1] == NULL);
  exports.data[0] = export;
  wasm_exporttype_vec_delete(&exports); // NULL elements are skipped

  wasm_valtype_vec_t empty;
  wasm_valtype_vec_new_empty(&empty);
  CHECK(empty.size == 0);
  wasm_valtype_vec_delete(&empty);
}

int main(void) {
  test_byte_vectors();
  test_valtypes();
  test_functypes();
  test_global_table_memory_types();
  test_import_export_types();
  return check_report("test_types");
}
