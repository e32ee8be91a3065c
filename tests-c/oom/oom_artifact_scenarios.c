// Allocation-failure scenarios for precompiled modules: serializing, deserializing from memory and
// from a file, then instantiating and calling what was loaded (see oom_scenarios.c for the rules).
#include "oom_artifact_scenarios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swasm.h>
#include <wasmtime.h>

static const unsigned char *compute_wasm;
static size_t compute_wasm_size;
static wasm_byte_vec_t compute_artifact, sha256_artifact;
static char artifact_path[64], image_path[64];

static int make_artifact(wasm_engine_t *engine, const unsigned char *wasm, size_t size, wasm_byte_vec_t *out) {
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, wasm, size, &module);
  if (error == NULL) error = wasmtime_module_serialize(module, out);
  wasmtime_module_delete(module);
  if (error) wasmtime_error_delete(error);
  return error == NULL;
}

// A module whose memory has an image (10000 bytes of data at 4096), for copy-on-write
// initialization from its artifact file.
enum { IMAGE_DATA = 10000 };
static unsigned char image_byte(int i) { return (unsigned char)(i % 253 + 1); }

static int write_image_artifact(wasm_engine_t *engine) {
  char *text = malloc(512 + 3 * IMAGE_DATA), *at = text;
  at += sprintf(at, "(module (memory 2) (data (i32.const 4096) \"");
  for (int i = 0; i < IMAGE_DATA; i++) at += sprintf(at, "\\%02x", image_byte(i));
  sprintf(at, "\") (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
              " (func (export \"poke\") (param i32 i32) (result i32) (i32.store8 (local.get 0) (local.get 1)) (i32.const 0))"
              " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))");
  wasm_byte_vec_t binary, artifact = {0, NULL};
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &binary);
  free(text);
  if (error) {
    wasmtime_error_delete(error);
    return 0;
  }
  int ok = make_artifact(engine, (const unsigned char *)binary.data, binary.size, &artifact);
  wasm_byte_vec_delete(&binary);
  strcpy(image_path, "/tmp/swasm-oom-image-XXXXXX");
  int fd = ok ? mkstemp(image_path) : -1;
  ok = fd >= 0 && write(fd, artifact.data, artifact.size) == (ssize_t)artifact.size;
  if (fd >= 0) close(fd);
  wasm_byte_vec_delete(&artifact);
  return ok;
}

int oom_artifacts_prepare(const unsigned char *compute, size_t compute_size, const unsigned char *sha256, size_t sha256_size) {
  compute_wasm = compute;
  compute_wasm_size = compute_size;
  wasm_engine_t *engine = wasm_engine_new();
  int ok = engine && make_artifact(engine, compute, compute_size, &compute_artifact) &&
           make_artifact(engine, sha256, sha256_size, &sha256_artifact) && write_image_artifact(engine);
  wasm_engine_delete(engine);
  if (!ok) return 0;
  strcpy(artifact_path, "/tmp/swasm-oom-artifact-XXXXXX");
  int fd = mkstemp(artifact_path);
  if (fd < 0) return 0;
  ok = write(fd, compute_artifact.data, compute_artifact.size) == (ssize_t)compute_artifact.size;
  close(fd);
  return ok;
}

void oom_artifacts_cleanup(void) {
  wasm_byte_vec_delete(&compute_artifact);
  wasm_byte_vec_delete(&sha256_artifact);
  if (artifact_path[0]) unlink(artifact_path);
  if (image_path[0]) unlink(image_path);
}

static oom_result error_result(wasmtime_error_t *error) {
  if (error == NULL) return OOM_RESULT_OK;
  int oom = swasm_error_is_oom(error);
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return oom ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
}

// Instantiates a loaded compute.wasm and calls it: a result, then a trap with its frames.
static oom_result run_compute(wasm_engine_t *engine, wasmtime_module_t *module) {
  wasmtime_store_t *store = OOM_CALL(wasmtime_store_new(engine, NULL, NULL));
  if (!store) return OOM_RESULT_OOM;
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap)));
  OOM_EXPECT(trap == NULL);
  wasmtime_extern_t item;
  if (result == OOM_RESULT_OK) {
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "sum_data", 8, &item)));
    wasmtime_val_t value;
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, NULL, 0, &value, 1, &trap)));
    if (result == OOM_RESULT_OK) OOM_EXPECT(trap == NULL && value.of.i32 == 36);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t arguments[2] = {{.kind = WASMTIME_I32, .of.i32 = 1}, {.kind = WASMTIME_I32, .of.i32 = 0}};
    wasmtime_val_t value;
    OOM_EXPECT(OOM_CALL(wasmtime_instance_export_get(context, &instance, "divide", 6, &item)));
    result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, arguments, 2, &value, 1, &trap)));
    OOM_EXPECT(result != OOM_RESULT_OK || trap != NULL);
    if (trap) {
      if (OOM_CALL(swasm_trap_is_oom(trap))) {
        result = OOM_RESULT_OOM;
      } else {
        wasm_frame_vec_t frames;
        OOM_CALL_VOID(wasm_trap_trace(trap, &frames));
        if (frames.size == 0) result = OOM_RESULT_OOM; // the frame vector could not be made
        OOM_CALL_VOID(wasm_frame_vec_delete(&frames));
      }
      OOM_CALL_VOID(wasm_trap_delete(trap));
    }
  }
  OOM_CALL_VOID(wasmtime_store_delete(store));
  return result;
}

// Serializing through wasmtime/module.h and wasm.h.
oom_result scenario_artifact_serialize(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_module_new(engine, compute_wasm, compute_wasm_size, &module)));
  if (result == OOM_RESULT_OK) {
    wasm_byte_vec_t artifact = {0, NULL};
    result = error_result(OOM_CALL(wasmtime_module_serialize(module, &artifact)));
    if (result == OOM_RESULT_OK)
      OOM_EXPECT(artifact.size == compute_artifact.size && memcmp(artifact.data, compute_artifact.data, artifact.size) == 0);
    OOM_CALL_VOID(wasm_byte_vec_delete(&artifact));
  }
  if (result == OOM_RESULT_OK) {
    wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
    wasm_byte_vec_t binary = {compute_wasm_size, (wasm_byte_t *)compute_wasm};
    wasm_module_t *wasm_module = store ? OOM_CALL(wasm_module_new(store, &binary)) : NULL;
    wasm_byte_vec_t artifact = {0, NULL};
    if (wasm_module) OOM_CALL_VOID(wasm_module_serialize(wasm_module, &artifact));
    if (artifact.size == 0) result = OOM_RESULT_OOM; // NULL store or module, or an empty vector
    OOM_CALL_VOID(wasm_byte_vec_delete(&artifact));
    if (wasm_module) OOM_CALL_VOID(wasm_module_delete(wasm_module));
    if (store) OOM_CALL_VOID(wasm_store_delete(store));
  }
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Deserializing from memory (two modules, and through wasm.h), then running one.
oom_result scenario_artifact_deserialize(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  oom_result result = error_result(OOM_CALL(
      wasmtime_module_deserialize(engine, (const uint8_t *)sha256_artifact.data, sha256_artifact.size, &module)));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  module = NULL;
  if (result == OOM_RESULT_OK)
    result = error_result(OOM_CALL(
        wasmtime_module_deserialize(engine, (const uint8_t *)compute_artifact.data, compute_artifact.size, &module)));
  if (result == OOM_RESULT_OK) result = run_compute(engine, module);
  if (result == OOM_RESULT_OK) {
    wasm_store_t *store = OOM_CALL(wasm_store_new(engine));
    wasm_module_t *wasm_module = store ? OOM_CALL(wasm_module_deserialize(store, &compute_artifact)) : NULL;
    if (!wasm_module) result = OOM_RESULT_OOM; // NULL is wasm.h's only failure signal
    if (wasm_module) OOM_CALL_VOID(wasm_module_delete(wasm_module));
    if (store) OOM_CALL_VOID(wasm_store_delete(store));
  }
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

// Deserializing a file (mapped, not copied first), then running it.
oom_result scenario_artifact_deserialize_file(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_module_deserialize_file(engine, artifact_path, &module)));
  if (result == OOM_RESULT_OK) result = run_compute(engine, module);
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}

static int32_t call_i32(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name,
                        wasmtime_val_t *arguments, size_t count, oom_result *result) {
  wasmtime_extern_t item;
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 0};
  wasm_trap_t *trap = NULL;
  if (!OOM_CALL(wasmtime_instance_export_get(context, instance, name, strlen(name), &item))) {
    *result = OOM_RESULT_OOM;
    return 0;
  }
  *result = error_result(OOM_CALL(wasmtime_func_call(context, &item.of.func, arguments, count, &value, 1, &trap)));
  if (trap) {
    *result = OOM_CALL(swasm_trap_is_oom(trap)) ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
    OOM_CALL_VOID(wasm_trap_delete(trap));
  }
  return value.of.i32;
}

// Copy-on-write initialization: instances of a module loaded from its file map the memory image
// (a refused mapping falls back to copying the segments, which is why the scenario allows benign
// swallows), write to it, and grow it within and past its first reservation (the memory is then
// copied, as the kernel cannot move its mixed mappings as one); a second instance still sees the
// image unchanged.
oom_result scenario_artifact_memory_image(void) {
  wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
  if (!engine) return OOM_RESULT_OOM;
  wasmtime_module_t *module = NULL;
  oom_result result = error_result(OOM_CALL(wasmtime_module_deserialize_file(engine, image_path, &module)));
  wasmtime_store_t *store = result == OOM_RESULT_OK ? OOM_CALL(wasmtime_store_new(engine, NULL, NULL)) : NULL;
  if (result == OOM_RESULT_OK && !store) result = OOM_RESULT_OOM;
  wasmtime_context_t *context = store ? wasmtime_store_context(store) : NULL;
  wasmtime_instance_t first, second;
  wasm_trap_t *trap = NULL;
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &first, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  wasmtime_val_t at = {.kind = WASMTIME_I32, .of.i32 = 4096 + 77};
  if (result == OOM_RESULT_OK) {
    int32_t byte = call_i32(context, &first, "peek", &at, 1, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(byte == image_byte(77));
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t poke[2] = {{.kind = WASMTIME_I32, .of.i32 = 4096 + 77}, {.kind = WASMTIME_I32, .of.i32 = 0}};
    call_i32(context, &first, "poke", poke, 2, &result);
  }
  int32_t sizes[2] = {1, 1100}, expected_old[2] = {2, 3};
  for (int i = 0; i < 2 && result == OOM_RESULT_OK; i++) {
    wasmtime_val_t pages = {.kind = WASMTIME_I32, .of.i32 = sizes[i]};
    int32_t old = call_i32(context, &first, "grow", &pages, 1, &result);
    if (result == OOM_RESULT_OK && old == -1) result = OOM_RESULT_OOM;
    if (result == OOM_RESULT_OK) OOM_EXPECT(old == expected_old[i]);
  }
  if (result == OOM_RESULT_OK) {
    wasmtime_val_t next = {.kind = WASMTIME_I32, .of.i32 = 4096 + 78};
    int32_t poked = call_i32(context, &first, "peek", &at, 1, &result);
    int32_t kept = result == OOM_RESULT_OK ? call_i32(context, &first, "peek", &next, 1, &result) : 0;
    if (result == OOM_RESULT_OK) OOM_EXPECT(poked == 0 && kept == image_byte(78));
  }
  if (result == OOM_RESULT_OK) {
    result = error_result(OOM_CALL(wasmtime_instance_new(context, module, NULL, 0, &second, &trap)));
    OOM_EXPECT(trap == NULL);
  }
  if (result == OOM_RESULT_OK) {
    int32_t byte = call_i32(context, &second, "peek", &at, 1, &result);
    if (result == OOM_RESULT_OK) OOM_EXPECT(byte == image_byte(77));
  }
  if (store) OOM_CALL_VOID(wasmtime_store_delete(store));
  if (module) OOM_CALL_VOID(wasmtime_module_delete(module));
  OOM_CALL_VOID(wasm_engine_delete(engine));
  return result;
}
