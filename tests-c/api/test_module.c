// Compiling, validating and inspecting modules through wasmtime/module.h and wasm.h.
// Usage: test_module DATA_DIR (the folder holding the test modules compiled from tests-c/data).
#include <stdlib.h>
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"
#include "read_file.h"

static const char *data_dir;

static wasm_byte_vec_t load(const char *name) {
  wasm_byte_vec_t bytes = {0, NULL};
  if (!read_file_in(data_dir, name, &bytes)) {
    fprintf(stderr, "cannot read %s/%s\n", data_dir, name);
    check_failures++;
  }
  return bytes;
}

static void check_message_contains(wasmtime_error_t *error, const char *needle) {
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  int found = 0;
  for (size_t i = 0; needle && i + strlen(needle) <= message.size; i++)
    if (memcmp(message.data + i, needle, strlen(needle)) == 0) found = 1;
  if (!found) {
    fprintf(stderr, "message \"%.*s\" lacks \"%s\"\n", (int)message.size, message.data, needle);
    check_failures++;
  }
  wasm_byte_vec_delete(&message);
}

static void test_reflection(wasm_engine_t *engine) {
  wasm_byte_vec_t bytes = load("imports_exports.wasm");
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL && module != NULL);
  if (!module) { wasmtime_error_delete(error); wasm_byte_vec_delete(&bytes); return; }
  CHECK(wasmtime_module_validate(engine, (const uint8_t *)bytes.data, bytes.size) == NULL);

  wasm_importtype_vec_t imports;
  wasmtime_module_imports(module, &imports);
  CHECK(imports.size == 4);
  if (imports.size == 4) {
    CHECK_BYTES(*wasm_importtype_module(imports.data[0]), "env");
    CHECK_BYTES(*wasm_importtype_name(imports.data[0]), "add");
    const wasm_functype_t *add = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[0]));
    CHECK(add && wasm_functype_params(add)->size == 2 && wasm_functype_results(add)->size == 1);
    const wasm_tabletype_t *table = wasm_externtype_as_tabletype_const(wasm_importtype_type(imports.data[1]));
    CHECK(table && wasm_tabletype_limits(table)->min == 1 && wasm_tabletype_limits(table)->max == 10);
    CHECK(table && wasm_valtype_kind(wasm_tabletype_element(table)) == WASM_FUNCREF);
    const wasm_memorytype_t *memory = wasm_externtype_as_memorytype_const(wasm_importtype_type(imports.data[2]));
    CHECK(memory && wasm_memorytype_limits(memory)->min == 1 && wasm_memorytype_limits(memory)->max == 2);
    const wasm_globaltype_t *global = wasm_externtype_as_globaltype_const(wasm_importtype_type(imports.data[3]));
    CHECK(global && wasm_globaltype_mutability(global) == WASM_VAR);
    CHECK(global && wasm_valtype_kind(wasm_globaltype_content(global)) == WASM_I64);
  }
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t exports;
  wasmtime_module_exports(module, &exports);
  CHECK(exports.size == 6);
  if (exports.size == 6) {
    CHECK_BYTES(*wasm_exporttype_name(exports.data[0]), "double");
    CHECK_BYTES(*wasm_exporttype_name(exports.data[1]), "multi");
    const wasm_functype_t *multi = wasm_externtype_as_functype_const(wasm_exporttype_type(exports.data[1]));
    CHECK(multi && wasm_functype_results(multi)->size == 2);
    CHECK(multi && wasm_valtype_kind(wasm_functype_results(multi)->data[0]) == WASM_F32);
    CHECK(wasm_externtype_kind(wasm_exporttype_type(exports.data[2])) == WASM_EXTERN_TABLE);
    CHECK(wasm_externtype_kind(wasm_exporttype_type(exports.data[3])) == WASM_EXTERN_MEMORY);
    const wasm_globaltype_t *scale = wasm_externtype_as_globaltype_const(wasm_exporttype_type(exports.data[4]));
    CHECK(scale && wasm_globaltype_mutability(scale) == WASM_CONST);
    CHECK(scale && wasm_valtype_kind(wasm_globaltype_content(scale)) == WASM_F64);
    CHECK_BYTES(*wasm_exporttype_name(exports.data[5]), "counter"); // a re-exported import
  }
  wasm_exporttype_vec_delete(&exports);

  // Clones share the compiled module and outlive the original.
  wasmtime_module_t *clone = wasmtime_module_clone(module);
  CHECK(clone != NULL);
  wasmtime_module_delete(module);
  wasmtime_module_exports(clone, &exports);
  CHECK(exports.size == 6);
  wasm_exporttype_vec_delete(&exports);
  wasmtime_module_delete(clone);
  wasm_byte_vec_delete(&bytes);
}

static void test_all_sections(wasm_engine_t *engine) {
  const char *names[] = {"all_sections.wasm", "simd.wasm"};
  for (size_t i = 0; i < 2; i++) {
    wasm_byte_vec_t bytes = load(names[i]);
    wasmtime_module_t *module = NULL;
    wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
    if (error) {
      wasm_name_t message;
      wasmtime_error_message(error, &message);
      fprintf(stderr, "%s: %.*s\n", names[i], (int)message.size, message.data);
      wasm_byte_vec_delete(&message);
      wasmtime_error_delete(error);
      check_failures++;
    }
    wasmtime_module_delete(module);
    wasm_byte_vec_delete(&bytes);
  }
}

static void test_errors(wasm_engine_t *engine) {
  wasmtime_module_t *module = (wasmtime_module_t *)1;
  const uint8_t not_wasm[] = {'\0', 'a', 's', 'n', 1, 0, 0, 0};
  wasmtime_error_t *error = wasmtime_module_new(engine, not_wasm, sizeof not_wasm, &module);
  CHECK(error != NULL && module == NULL);
  if (error) {
    CHECK(!swasm_error_is_oom(error));
    check_message_contains(error, "magic header not detected");
    wasmtime_error_delete(error);
  }
  const uint8_t truncated[] = {0, 'a', 's', 'm', 1, 0};
  error = wasmtime_module_validate(engine, truncated, sizeof truncated);
  CHECK(error != NULL);
  if (error) check_message_contains(error, "unexpected end");
  wasmtime_error_delete(error);

  // (module (func (result i32) (f64.const 0))): a type mismatch in function 0.
  const uint8_t mismatch[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0,
                              10, 13, 1, 11, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b};
  error = wasmtime_module_new(engine, mismatch, sizeof mismatch, &module);
  CHECK(error != NULL);
  if (error) check_message_contains(error, "type mismatch");
  wasmtime_error_delete(error);

  // An empty module is valid; SIMD is rejected when the engine disables it.
  const uint8_t empty[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  CHECK(wasmtime_module_validate(engine, empty, sizeof empty) == NULL);
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_simd_set(config, false);
  wasm_engine_t *no_simd = wasm_engine_new_with_config(config);
  wasm_byte_vec_t simd = load("simd.wasm");
  error = wasmtime_module_validate(no_simd, (const uint8_t *)simd.data, simd.size);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  wasm_byte_vec_delete(&simd);
  wasm_engine_delete(no_simd);

  // Bad arguments give errors, not crashes.
  error = wasmtime_module_new(NULL, empty, sizeof empty, &module);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  error = wasmtime_module_new(engine, NULL, 8, &module);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  error = wasmtime_module_new(engine, empty, sizeof empty, NULL);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  wasmtime_module_delete(NULL);
}

static int host_info_freed = 0;
static void free_host_info(void *info) { host_info_freed += info == &host_info_freed; }

static void test_wasm_h_modules(wasm_engine_t *engine) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_byte_vec_t bytes = load("imports_exports.wasm");
  CHECK(wasm_module_validate(store, &bytes));
  wasm_module_t *module = wasm_module_new(store, &bytes);
  CHECK(module != NULL);
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  CHECK(imports.size == 4);
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  CHECK(exports.size == 6);
  wasm_exporttype_vec_delete(&exports);

  wasm_module_t *copy = wasm_module_copy(module);
  CHECK(wasm_module_same(module, copy));
  wasm_module_set_host_info_with_finalizer(copy, &host_info_freed, free_host_info);
  CHECK(wasm_module_get_host_info(copy) == &host_info_freed);
  CHECK(wasm_module_get_host_info(module) == NULL);
  wasm_module_delete(copy);
  CHECK(host_info_freed == 1);

  wasm_shared_module_t *shared = wasm_module_share(module);
  wasm_module_delete(module);
  wasm_store_t *other = wasm_store_new(engine);
  wasm_module_t *obtained = wasm_module_obtain(other, shared);
  CHECK(obtained != NULL);
  wasm_module_delete(obtained);
  wasm_engine_t *foreign_engine = wasm_engine_new();
  wasm_store_t *foreign = wasm_store_new(foreign_engine);
  CHECK(wasm_module_obtain(foreign, shared) == NULL); // another engine's store
  wasm_store_delete(foreign);
  wasm_engine_delete(foreign_engine);
  wasm_shared_module_delete(shared);
  wasm_store_delete(other);

  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 3, "abc");
  CHECK(!wasm_module_validate(store, &garbage));
  CHECK(wasm_module_new(store, &garbage) == NULL);
  wasm_byte_vec_delete(&garbage);
  wasm_byte_vec_delete(&bytes);
  wasm_store_delete(store);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_module DATA_DIR\n");
    return 2;
  }
  data_dir = argv[1];
  wasm_engine_t *engine = wasm_engine_new();
  test_reflection(engine);
  test_all_sections(engine);
  test_errors(engine);
  test_wasm_h_modules(engine);
  wasm_engine_delete(engine);
  return check_report("test_module");
}
