// libFuzzer target: bytes into wasmtime_module_deserialize, then instantiation and calls of
// whatever loads. Artifacts are untrusted input: every one must be refused with an error or load
// and run safely (traps and errors are fine; crashes, hangs and leaks are findings).
//
// The custom mutator rewrites the checksum (and the payload size) after most mutations, so that
// the mutated artifacts reach the module decoder and the code verifier instead of stopping at the
// checksum; one mutation in 16 keeps the old checksum to exercise that check too. Seeds are
// artifacts of the spec suite's modules made with the same engine settings (fuel on):
// make_artifact_seeds.c, run_fuzz_artifacts.sh.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "../artifact/artifact_layout.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static wasm_engine_t *engine;

static void discard_error(wasmtime_error_t *error) {
  if (!error) return;
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
}

// Calls every exported function with zero or null arguments, on a bounded fuel budget.
static void call_exports(wasmtime_context_t *context, wasmtime_instance_t *instance) {
  char *name;
  size_t length;
  wasmtime_extern_t item;
  for (size_t index = 0; index < 64 && wasmtime_instance_export_nth(context, instance, index, &name, &length, &item); index++) {
    if (item.kind != WASMTIME_EXTERN_FUNC) continue;
    wasm_functype_t *type = wasmtime_func_type(context, &item.of.func);
    const wasm_valtype_vec_t *params = wasm_functype_params(type), *results = wasm_functype_results(type);
    wasmtime_val_t args[16], outs[16];
    if (params->size <= 16 && results->size <= 16) {
      for (size_t i = 0; i < params->size; i++) {
        memset(&args[i], 0, sizeof args[i]);
        wasm_valkind_t kind = wasm_valtype_kind(params->data[i]);
        // wasm.h names no v128 kind: anything else than the four numbers and two references is one.
        args[i].kind = kind == WASM_I32 ? WASMTIME_I32 : kind == WASM_I64 ? WASMTIME_I64 : kind == WASM_F32 ? WASMTIME_F32
                     : kind == WASM_F64 ? WASMTIME_F64 : kind == WASM_FUNCREF ? WASMTIME_FUNCREF
                     : kind == WASM_EXTERNREF ? WASMTIME_EXTERNREF : WASMTIME_V128;
      }
      wasmtime_context_set_fuel(context, 100000);
      wasm_trap_t *trap = NULL;
      discard_error(wasmtime_func_call(context, &item.of.func, args, params->size, outs, results->size, &trap));
      if (trap) wasm_trap_delete(trap);
      for (size_t i = 0; trap == NULL && i < results->size; i++) wasmtime_val_unroot(&outs[i]);
    }
    wasm_functype_delete(type);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!engine) {
    wasm_config_t *config = wasm_config_new();
    wasmtime_config_consume_fuel_set(config, true);
    engine = wasm_engine_new_with_config(config);
  }
  if (!engine) return 0;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_deserialize(engine, data, size, &module);
  if (error) {
    discard_error(error);
    return 0;
  }
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_store_limiter(store, 16 << 20, 100000, 10, 10, 10);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_context_set_fuel(context, 100000);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  discard_error(wasmtime_linker_define_unknown_imports_as_traps(linker, module));
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
  if (error == NULL && trap == NULL) call_exports(context, &instance);
  discard_error(error);
  if (trap) wasm_trap_delete(trap);
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
  size_t mutated = LLVMFuzzerMutate(data, size, max_size);
  if (seed % 16 != 0 && mutated >= ARTIFACT_HEADER_SIZE) {
    uint64_t payload = mutated - ARTIFACT_HEADER_SIZE;
    memcpy(data + 40, &payload, 8);
    artifact_reseal(data, mutated);
  }
  return mutated;
}
