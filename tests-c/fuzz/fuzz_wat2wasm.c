// libFuzzer target: arbitrary text into wasmtime_wat2wasm; whatever assembles must also be a
// module the decoder judges without crashing. Every input must give bytes or an error with a
// message, never a crash, hang or leak.
#include <stddef.h>
#include <stdint.h>

#include <wasmtime.h>

static wasm_engine_t *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!engine) engine = wasm_engine_new();
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm((const char *)data, size, &binary);
  if (error) {
    wasm_name_t message;
    wasmtime_error_message(error, &message);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
    return 0;
  }
  if (engine) {
    error = wasmtime_module_validate(engine, (const uint8_t *)binary.data, binary.size);
    wasmtime_error_delete(error);
  }
  wasm_byte_vec_delete(&binary);
  return 0;
}
