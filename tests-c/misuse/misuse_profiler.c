// The guest profiler given what wasmtime aborts on or mishandles: module lists that are NULL
// with a length, huge, or hold a NULL name or module, names that are not UTF-8, modules of another
// engine (all refused: NULL from new), and samples of stores that cannot show the profiler's
// frames: a store of another engine, a store that does not run, a store sampled from the epoch
// callback of another store (an empty stack each time, as in wasmtime).
#include <stdlib.h>

#include "misuse.h"

// Whether `size` bytes at `data` (not NUL-terminated) contain `text`.
static int bytes_contain(const char *data, size_t size, const char *text) {
  size_t length = strlen(text);
  for (size_t at = 0; data && at + length <= size; at++)
    if (memcmp(data + at, text, length) == 0) return 1;
  return 0;
}

static const size_t module_counts[] = {1, (size_t)1 << 40, SIZE_MAX};
static const char *const module_count_names[] = {"null_modules_length_1", "null_modules_length_2^40", "null_modules_SIZE_MAX"};

static void null_modules_case(const mcase *c) {
  wasm_name_t name = {1, (char *)"p"};
  wasmtime_guestprofiler_t *profiler = wasmtime_guestprofiler_new(fx()->engine, &name, 1, NULL, module_counts[c->a]);
  EXPECT(profiler == NULL, "a profiler of %zu modules at NULL", module_counts[c->a]);
  wasmtime_guestprofiler_delete(profiler);
}

static void huge_modules_case(const mcase *c) {
  (void)c;
  // A real array of one entry with a length no array can have: refused before it is read.
  wasm_name_t name = {1, (char *)"p"};
  wasmtime_guestprofiler_modules_t modules[1] = {{&name, fx()->module}};
  wasmtime_guestprofiler_t *profiler = wasmtime_guestprofiler_new(fx()->engine, &name, 1, modules, SIZE_MAX / 8);
  EXPECT(profiler == NULL, "a profiler of SIZE_MAX/8 modules");
  wasmtime_guestprofiler_delete(profiler);
}

enum { BAD_ENTRY_NAME_NULL, BAD_ENTRY_MODULE_NULL, BAD_ENTRY_NAME_DATA_NULL, BAD_ENTRY_NAME_NOT_UTF8,
       BAD_PROFILE_NAME_NOT_UTF8, BAD_ENTRY_OTHER_ENGINE, BAD_ENTRY_COUNT };
static const char *const bad_entry_names[] = {"entry_name_null", "entry_module_null", "entry_name_data_null",
                                              "entry_name_not_utf8", "profile_name_not_utf8", "module_of_other_engine"};

static void bad_entry_case(const mcase *c) {
  fixture *f = fx();
  wasm_name_t good = {1, (char *)"p"};
  const char *invalid = guarded_copy("a\xc0\xaf", 3);
  wasm_name_t bad = {3, (char *)invalid}, no_data = {5, NULL};
  wasm_engine_t *other_engine = NULL;
  wasmtime_module_t *foreign = NULL;
  wasmtime_guestprofiler_modules_t modules[2] = {{&good, f->module}, {&good, f->module}};
  const wasm_name_t *profile_name = &good;
  switch (c->a) {
  case BAD_ENTRY_NAME_NULL: modules[1].name = NULL; break;
  case BAD_ENTRY_MODULE_NULL: modules[1].mod = NULL; break;
  case BAD_ENTRY_NAME_DATA_NULL: modules[1].name = &no_data; break;
  case BAD_ENTRY_NAME_NOT_UTF8: modules[1].name = &bad; break;
  case BAD_PROFILE_NAME_NOT_UTF8: profile_name = &bad; break;
  case BAD_ENTRY_OTHER_ENGINE:
    other_engine = wasm_engine_new();
    foreign = compile_wat(other_engine, "(module (func))");
    modules[1].mod = foreign;
    break;
  }
  wasmtime_guestprofiler_t *profiler = wasmtime_guestprofiler_new(f->engine, profile_name, 1, modules, 2);
  note("wasmtime_guestprofiler_new: %s", profiler ? "non-NULL" : "NULL");
  EXPECT(profiler == NULL, "a profiler despite %s", bad_entry_names[c->a]);
  wasmtime_guestprofiler_delete(profiler);
  if (foreign) wasmtime_module_delete(foreign);
  if (other_engine) wasm_engine_delete(other_engine);
}

// Samples that must show an empty stack: `stack` names each sample's stack in the profile.
static void expect_empty_stacks(wasmtime_guestprofiler_t *profiler, int samples) {
  wasm_byte_vec_t out;
  EXPECT_OK("wasmtime_guestprofiler_finish", wasmtime_guestprofiler_finish(profiler, &out));
  char expected[256] = "\"stack\":[";
  for (int i = 0; i < samples; i++) strcat(expected, i ? ",null" : "null");
  strcat(expected, "]");
  note("%s", expected);
  EXPECT(bytes_contain(out.data, out.size, expected), "stacks not empty: %.*s", (int)out.size, out.data);
  wasm_byte_vec_delete(&out);
}

static wasmtime_guestprofiler_t *callback_profiler;
static wasmtime_store_t *callback_sampled;
static wasmtime_error_t *sample_other_store(wasmtime_context_t *context, void *data, uint64_t *delta,
                                            wasmtime_update_deadline_kind_t *kind) {
  (void)context, (void)data;
  wasmtime_guestprofiler_sample(callback_profiler, callback_sampled, 1);
  *delta = 1000;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

static void foreign_store_case(const mcase *c) {
  fixture *f = fx();
  wasm_name_t name = {1, (char *)"p"};
  wasmtime_guestprofiler_modules_t modules[1] = {{&name, f->module}};
  wasmtime_guestprofiler_t *profiler = wasmtime_guestprofiler_new(f->engine, &name, 1, modules, 1);
  EXPECT(profiler != NULL, "no profiler");
  if (c->a == 0) {
    // A store of another engine, and the fixture's stores, none running.
    wasm_engine_t *other_engine = wasm_engine_new();
    wasmtime_store_t *other = wasmtime_store_new(other_engine, NULL, NULL);
    wasmtime_guestprofiler_sample(profiler, other, UINT64_MAX);
    wasmtime_guestprofiler_sample(profiler, f->store, 0);
    wasmtime_guestprofiler_sample(profiler, f->store2, 0);
    wasmtime_store_delete(other);
    wasm_engine_delete(other_engine);
    expect_empty_stacks(profiler, 3);
  } else {
    // The fixture's store sampled from the epoch callback of a store running on another engine.
    wasm_config_t *config = wasm_config_new();
    wasmtime_config_epoch_interruption_set(config, true);
    wasm_engine_t *other_engine = wasm_engine_new_with_config(config);
    wasmtime_store_t *other = wasmtime_store_new(other_engine, NULL, NULL);
    wasmtime_module_t *module = compile_wat(other_engine, "(module (func (export \"f\")))");
    wasmtime_context_t *context = wasmtime_store_context(other);
    callback_profiler = profiler;
    callback_sampled = f->store;
    wasmtime_store_epoch_deadline_callback(other, sample_other_store, NULL, NULL);
    wasmtime_context_set_epoch_deadline(context, 1);
    wasmtime_engine_increment_epoch(other_engine);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    EXPECT_OK("instantiate", wasmtime_instance_new(context, module, NULL, 0, &instance, &trap));
    wasmtime_extern_t item;
    EXPECT(wasmtime_instance_export_get(context, &instance, "f", 1, &item), "no export");
    EXPECT(!call_failed("f", wasmtime_func_call(context, &item.of.func, NULL, 0, NULL, 0, &trap), trap), "f failed");
    // The running store itself, from its own callback, is not one of the profiler's modules.
    expect_empty_stacks(profiler, 1);
    wasmtime_module_delete(module);
    wasmtime_store_delete(other);
    wasm_engine_delete(other_engine);
  }
}

REGISTER(register_profiler) {
  for (int i = 0; i < 3; i++) add_case("size", "wasmtime_guestprofiler_new", module_count_names[i], null_modules_case, i, 0, NULL);
  add_case("size", "wasmtime_guestprofiler_new", "modules_length_SIZE_MAX/8", huge_modules_case, 0, 0, NULL);
  for (int i = 0; i < BAD_ENTRY_COUNT; i++)
    add_case("handle", "wasmtime_guestprofiler_new", bad_entry_names[i], bad_entry_case, i, 0, NULL);
  add_case("handle", "wasmtime_guestprofiler_sample", "stores_not_running_or_foreign", foreign_store_case, 0, 0, NULL);
  add_case("handle", "wasmtime_guestprofiler_sample", "store_idle_sampled_from_other_callback", foreign_store_case, 1, 0, NULL);
}
