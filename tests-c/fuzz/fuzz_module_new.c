// libFuzzer target: arbitrary bytes into wasmtime_module_new, then reflection on whatever compiles.
// Every input must give a module or an error, never a crash, hang or leak (run with
// -detect_leaks=1 under the address sanitizer build, see tests-c/fuzz/README.md).
#include <stddef.h>
#include <stdint.h>

#include <swasm.h>
#include <wasmtime.h>

static wasm_engine_t *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!engine) engine = wasm_engine_new();
  if (!engine) return 0;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, data, size, &module);
  if (error) {
    wasm_name_t message;
    wasmtime_error_message(error, &message);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
    return 0;
  }
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(module, &imports);
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_t exports;
  wasmtime_module_exports(module, &exports);
  wasm_exporttype_vec_delete(&exports);
  wasmtime_module_delete(module);
  return 0;
}
