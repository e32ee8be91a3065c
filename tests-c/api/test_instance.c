// Instantiation, exports, calls (including multi-value), traps and memory growth.
// Usage: test_instance DATA_DIR
#include <pthread.h>
#include <stdlib.h>
#include <swasm.h>
#include <unistd.h>
#include <wasmtime.h>

#include "check.h"
#include "read_file.h"

static wasmtime_context_t *context;
static wasmtime_instance_t instance;

static wasmtime_func_t export_func(const char *name) {
  wasmtime_extern_t item;
  wasmtime_func_t none = {0, NULL};
  if (!wasmtime_instance_export_get(context, &instance, name, strlen(name), &item) || item.kind != WASMTIME_EXTERN_FUNC) {
    fprintf(stderr, "no exported function %s\n", name);
    check_failures++;
    return none;
  }
  return item.of.func;
}

// Calls `name` with one i32/i64 argument or none; returns the trap code or -1, and the result.
static int call1(const char *name, const wasmtime_val_t *argument, wasmtime_val_t *result) {
  wasmtime_func_t func = export_func(name);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &func, argument, argument ? 1 : 0, result, result ? 1 : 0, &trap);
  if (error) {
    wasm_name_t message;
    wasmtime_error_message(error, &message);
    fprintf(stderr, "%s: unexpected error %.*s\n", name, (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
    check_failures++;
    return -2;
  }
  if (!trap) return -1;
  wasmtime_trap_code_t code = 255;
  CHECK(wasmtime_trap_code(trap, &code));
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  CHECK(message.size > 1 && message.data[message.size - 1] == '\0'); // wasm.h messages end in NUL
  wasm_byte_vec_delete(&message);
  CHECK(!swasm_trap_is_oom(trap));
  wasm_trap_delete(trap);
  return code;
}

static void check_message_contains_text(wasmtime_error_t *error, const char *needle) {
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  int found = 0;
  for (size_t i = 0; i + strlen(needle) <= message.size; i++)
    if (memcmp(message.data + i, needle, strlen(needle)) == 0) found = 1;
  if (!found) {
    fprintf(stderr, "message \"%.*s\" lacks \"%s\"\n", (int)message.size, message.data, needle);
    check_failures++;
  }
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
}

static int environment_finalized;
static void finalize_environment(void *data) { environment_finalized += data == &environment_finalized; }

static wasm_trap_t *add_from_environment(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                         wasmtime_val_t *results, size_t nresults) {
  (void)caller;
  (void)nargs;
  (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 + (env == &environment_finalized ? 100 : 0);
  return NULL;
}

static wasm_trap_t *triple_raw(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *values, size_t count) {
  (void)env;
  (void)caller;
  (void)count;
  values[0].i32 = values[0].i32 * 3;
  return NULL;
}

static void *tick_later(void *engine) {
  usleep(50 * 1000);
  wasmtime_engine_increment_epoch(engine);
  return NULL;
}

static void *tick_repeatedly(void *engine) {
  for (int i = 0; i < 8; i++) {
    usleep(20 * 1000);
    wasmtime_engine_increment_epoch(engine);
  }
  return NULL;
}

// Counts its calls in the int its environment points to (each default-export test has its own).
static wasm_trap_t *count_call(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                               wasmtime_val_t *results, size_t nresults) {
  (void)caller;
  (void)args;
  (void)nargs;
  (void)results;
  (void)nresults;
  ++*(int *)env;
  return NULL;
}

static int callback_calls;
static wasmtime_error_t *extend_deadline(wasmtime_context_t *context, void *data, uint64_t *delta,
                                         wasmtime_update_deadline_kind_t *kind) {
  (void)context;
  (void)data;
  if (++callback_calls > 3) return wasmtime_error_new("enough");
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

// Epoch interruption: the default deadline traps at once, a later one lets code run, another
// thread's increment interrupts a loop, and the deadline callback can extend or stop.
static void test_epochs(const wasm_byte_vec_t *bytes) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes->data, bytes->size, &module);
  CHECK(error == NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  wasmtime_context_set_epoch_deadline(context, 1); // the start function must run
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  wasmtime_val_t result;
  CHECK(call1("sum_data", NULL, &result) == -1 && result.of.i32 == 36);
  wasmtime_engine_increment_epoch(engine);
  CHECK(call1("sum_data", NULL, &result) == WASMTIME_TRAP_CODE_INTERRUPT);

  wasmtime_context_set_epoch_deadline(context, 1);
  pthread_t thread;
  pthread_create(&thread, NULL, tick_later, engine);
  CHECK(call1("spin", NULL, NULL) == WASMTIME_TRAP_CODE_INTERRUPT); // stopped from the other thread
  pthread_join(thread, NULL);

  wasmtime_store_epoch_deadline_callback(store, extend_deadline, NULL, NULL);
  wasmtime_context_set_epoch_deadline(context, 0);
  wasmtime_func_t sum = export_func("sum_data");
  error = wasmtime_func_call(context, &sum, NULL, 0, &result, 1, &trap);
  CHECK(error == NULL && trap == NULL && callback_calls >= 1);
  // The callback extends the deadline at each tick until it has had enough.
  pthread_create(&thread, NULL, tick_repeatedly, engine);
  wasmtime_func_t spin = export_func("spin");
  error = wasmtime_func_call(context, &spin, NULL, 0, NULL, 0, &trap);
  pthread_join(thread, NULL);
  CHECK(error != NULL && trap == NULL && callback_calls == 4); // the callback's error ends the call
  wasmtime_error_delete(error);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  wasm_byte_vec_t bytes;
  if (!read_file_in(argv[1], "compute.wasm", &bytes)) {
    fprintf(stderr, "cannot read %s/compute.wasm\n", argv[1]);
    return 1;
  }
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_max_wasm_stack_set(config, 64 * 1024);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);

  wasmtime_val_t result;
  CHECK(call1("calls", NULL, &result) == -1 && result.kind == WASMTIME_I32 && result.of.i32 == 100); // start ran
  CHECK(call1("sum_data", NULL, &result) == -1 && result.of.i32 == 36);                              // data segment
  CHECK(call1("calls", NULL, &result) == -1 && result.of.i32 == 101);

  wasmtime_val_t argument = {.kind = WASMTIME_I64, .of.i64 = 20};
  CHECK(call1("fac", &argument, &result) == -1 && result.kind == WASMTIME_I64 && result.of.i64 == 2432902008176640000LL);

  wasmtime_val_t pair[2] = {{.kind = WASMTIME_I32, .of.i32 = 7}, {.kind = WASMTIME_I32, .of.i32 = 0}};
  wasmtime_func_t divide = export_func("divide");
  error = wasmtime_func_call(context, &divide, pair, 2, &result, 1, &trap);
  CHECK(error == NULL && trap != NULL);
  wasmtime_trap_code_t code;
  CHECK(trap && wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO);
  wasm_trap_delete(trap);
  pair[0].of.i32 = INT32_MIN;
  pair[1].of.i32 = -1;
  error = wasmtime_func_call(context, &divide, pair, 2, &result, 1, &trap);
  CHECK(error == NULL && trap && wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_INTEGER_OVERFLOW);
  wasm_trap_delete(trap);

  // Unbounded recursion is a trap, and the store works afterwards.
  CHECK(call1("recurse", NULL, &result) == WASMTIME_TRAP_CODE_STACK_OVERFLOW);
  CHECK(call1("sum_data", NULL, &result) == -1 && result.of.i32 == 36);

  // Growth within the maximum, then past it (-1), seen through the memory export too.
  argument.kind = WASMTIME_I32;
  argument.of.i32 = 1;
  CHECK(call1("grow", &argument, &result) == -1 && result.of.i32 == 1);
  argument.of.i32 = 10;
  CHECK(call1("grow", &argument, &result) == -1 && result.of.i32 == -1);
  wasmtime_extern_t memory;
  CHECK(wasmtime_instance_export_get(context, &instance, "memory", 6, &memory) && memory.kind == WASMTIME_EXTERN_MEMORY);
  CHECK(wasmtime_memory_size(context, &memory.of.memory) == 2);
  CHECK(wasmtime_memory_data_size(context, &memory.of.memory) == 2 * 65536);
  CHECK(wasmtime_memory_data(context, &memory.of.memory)[16] == 1);
  uint64_t previous = 0;
  error = wasmtime_memory_grow(context, &memory.of.memory, 1, &previous);
  CHECK(error == NULL && previous == 2);

  CHECK(wasmtime_memory_page_size(context, &memory.of.memory) == 65536);
  CHECK(wasmtime_memory_page_size_log2(context, &memory.of.memory) == 16);
  wasm_externtype_t *memory_type = wasmtime_extern_type(context, &memory);
  CHECK(memory_type && wasm_externtype_kind(memory_type) == WASM_EXTERN_MEMORY);
  // As in wasmtime, a memory's type keeps its declared minimum after growth.
  CHECK(memory_type && wasmtime_memorytype_minimum(wasm_externtype_as_memorytype(memory_type)) == 1);
  wasm_externtype_delete(memory_type);
  char *export_name = NULL;
  size_t export_length = 0;
  wasmtime_extern_t first;
  CHECK(wasmtime_instance_export_nth(context, &instance, 0, &export_name, &export_length, &first));
  CHECK(export_length == 6 && memcmp(export_name, "memory", 6) == 0 && first.kind == WASMTIME_EXTERN_MEMORY);
  CHECK(!wasmtime_instance_export_nth(context, &instance, 1000, &export_name, &export_length, &first));

  // Multi-value results in order.
  wasmtime_val_t mixed[4] = {{.kind = WASMTIME_I32, .of.i32 = -5}, {.kind = WASMTIME_I64, .of.i64 = 1LL << 40},
                             {.kind = WASMTIME_F32, .of.f32 = 1.5f}, {.kind = WASMTIME_F64, .of.f64 = -2.25}};
  wasmtime_val_t outputs[4];
  wasmtime_func_t mix = export_func("mix");
  error = wasmtime_func_call(context, &mix, mixed, 4, outputs, 4, &trap);
  CHECK(error == NULL && trap == NULL);
  CHECK(outputs[0].kind == WASMTIME_F64 && outputs[0].of.f64 == -2.25);
  CHECK(outputs[1].kind == WASMTIME_F32 && outputs[1].of.f32 == 1.5f);
  CHECK(outputs[2].kind == WASMTIME_I64 && outputs[2].of.i64 == 1LL << 40);
  CHECK(outputs[3].kind == WASMTIME_I32 && outputs[3].of.i32 == -5);

  // Wrong argument counts and types are errors, not traps.
  error = wasmtime_func_call(context, &mix, mixed, 3, outputs, 4, &trap);
  CHECK(error != NULL && trap == NULL);
  wasmtime_error_delete(error);
  mixed[0].kind = WASMTIME_F32;
  error = wasmtime_func_call(context, &mix, mixed, 4, outputs, 4, &trap);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  wasmtime_extern_t missing;
  CHECK(!wasmtime_instance_export_get(context, &instance, "nope", 4, &missing));

  // A function handle from another store is refused.
  wasmtime_store_t *other = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_func_t sum = export_func("sum_data");
  error = wasmtime_func_call(wasmtime_store_context(other), &sum, NULL, 0, &result, 1, &trap);
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  wasmtime_store_delete(other);

  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  test_epochs(&bytes);
  wasm_byte_vec_delete(&bytes);

  // Unknown imports: defined as traps (the call fails with the import's name) or as defaults (0).
  if (!read_file_in(argv[1], "unknown_imports.wasm", &bytes)) return 1;
  error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL);
  for (int defaults = 0; defaults < 2; defaults++) {
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    wasmtime_linker_t *linker = wasmtime_linker_new(engine);
    error = defaults ? wasmtime_linker_define_unknown_imports_as_default_values(linker, context, module)
                     : wasmtime_linker_define_unknown_imports_as_traps(linker, module);
    CHECK(error == NULL);
    error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
    CHECK(error == NULL && trap == NULL);
    wasmtime_func_t missing = export_func("call_missing");
    error = wasmtime_func_call(context, &missing, NULL, 0, &result, 1, &trap);
    if (defaults) {
      CHECK(error == NULL && trap == NULL && result.of.i32 == 0);
    } else {
      CHECK(error != NULL && trap == NULL);
      if (error) {
        // The error keeps the WebAssembly frame it left through: call_missing, at its call.
        wasm_frame_vec_t frames;
        wasmtime_error_wasm_trace(error, &frames);
        CHECK(frames.size == 1);
        if (frames.size == 1) CHECK(wasm_frame_func_index(frames.data[0]) == 1 && wasm_frame_func_offset(frames.data[0]) > 0);
        wasm_frame_vec_delete(&frames);
        check_message_contains_text(error, "unknown import: `env::missing` has not been defined");
      }
      if (trap) wasm_trap_delete(trap);
    }
    wasmtime_linker_delete(linker);
    wasmtime_store_delete(store);
  }
  // The raw-value API: an unchecked host function satisfies the import, called both ways.
  store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  wasm_functype_t *raw_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  CHECK(wasmtime_linker_define_func_unchecked(linker, "env", 3, "missing", 7, raw_type, triple_raw, NULL, NULL) == NULL);
  error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  wasmtime_func_t via_import = export_func("call_missing");
  wasmtime_val_raw_t raw_values[1] = {{.i32 = 0}};
  error = wasmtime_func_call_unchecked(context, &via_import, raw_values, 1, &trap);
  CHECK(error == NULL && trap == NULL && raw_values[0].i32 == 21);
  wasmtime_func_t direct;
  wasmtime_func_new_unchecked(context, raw_type, triple_raw, NULL, NULL, &direct);
  void *raw_pointer = wasmtime_func_to_raw(context, &direct);
  wasmtime_func_t again;
  wasmtime_func_from_raw(context, raw_pointer, &again);
  raw_values[0].i32 = 5;
  error = wasmtime_func_call_unchecked(context, &again, raw_values, 1, &trap);
  CHECK(error == NULL && trap == NULL && raw_values[0].i32 == 15);
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);

  // A linker's host data outlives the linker while a store still uses the function made from it,
  // and is finalized once, when the last user goes.
  store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  linker = wasmtime_linker_new(engine);
  CHECK(wasmtime_linker_define_func(linker, "env", 3, "missing", 7, raw_type, add_from_environment, &environment_finalized,
                                    finalize_environment) == NULL);
  error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  wasmtime_linker_delete(linker);
  CHECK(environment_finalized == 0);
  CHECK(call1("call_missing", NULL, &result) == -1 && result.of.i32 == 107);
  wasmtime_store_delete(store);
  CHECK(environment_finalized == 1);

  // A cloned linker keeps its definitions after the original goes; an instance_pre made from it
  // instantiates into several stores and keeps the host data alive until it is deleted.
  environment_finalized = 0;
  linker = wasmtime_linker_new(engine);
  CHECK(wasmtime_linker_define_func(linker, "env", 3, "missing", 7, raw_type, add_from_environment, &environment_finalized,
                                    finalize_environment) == NULL);
  wasmtime_linker_t *copy = wasmtime_linker_clone(linker);
  CHECK(copy != NULL);
  wasmtime_linker_delete(linker);
  wasmtime_linker_t *empty = wasmtime_linker_new(engine);
  wasmtime_instance_pre_t *pre = (wasmtime_instance_pre_t *)&pre;
  error = wasmtime_linker_instantiate_pre(empty, module, &pre);
  CHECK(error != NULL && pre == NULL);
  if (error) check_message_contains_text(error, "unknown import: `env::missing` has not been defined");
  wasmtime_linker_delete(empty);
  error = wasmtime_linker_instantiate_pre(copy, module, &pre);
  CHECK(error == NULL && pre != NULL);
  wasmtime_linker_delete(copy);
  wasmtime_module_t *pre_module = wasmtime_instance_pre_module(pre);
  CHECK(pre_module != NULL);
  wasmtime_module_delete(pre_module);
  for (int round = 0; round < 2; round++) {
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    error = wasmtime_instance_pre_instantiate(pre, context, &instance, &trap);
    CHECK(error == NULL && trap == NULL);
    CHECK(call1("call_missing", NULL, &result) == -1 && result.of.i32 == 107);
    wasmtime_store_delete(store);
  }
  CHECK(environment_finalized == 0);
  wasmtime_instance_pre_delete(pre);
  CHECK(environment_finalized == 1);

  // Default exports: the empty name wins over `_start`; without either, a function that does nothing.
  {
    int empty_calls = 0, start_calls = 0;
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    linker = wasmtime_linker_new(engine);
    wasm_functype_t *nothing = wasm_functype_new_0_0();
    CHECK(wasmtime_linker_define_func(linker, "cmd", 3, "_start", 6, nothing, count_call, &start_calls, NULL) == NULL);
    CHECK(wasmtime_linker_define_func(linker, "both", 4, "_start", 6, nothing, count_call, &start_calls, NULL) == NULL);
    CHECK(wasmtime_linker_define_func(linker, "both", 4, "", 0, nothing, count_call, &empty_calls, NULL) == NULL);
    wasmtime_func_t function;
    CHECK(wasmtime_linker_get_default(linker, context, "cmd", 3, &function) == NULL);
    CHECK(wasmtime_func_call(context, &function, NULL, 0, NULL, 0, &trap) == NULL && trap == NULL && start_calls == 1);
    CHECK(wasmtime_linker_get_default(linker, context, "both", 4, &function) == NULL);
    CHECK(wasmtime_func_call(context, &function, NULL, 0, NULL, 0, &trap) == NULL && trap == NULL && empty_calls == 1);
    CHECK(wasmtime_linker_get_default(linker, context, "absent", 6, &function) == NULL);
    wasm_functype_t *type = wasmtime_func_type(context, &function);
    CHECK(type && wasm_functype_params(type)->size == 0 && wasm_functype_results(type)->size == 0);
    if (type) wasm_functype_delete(type);
    CHECK(wasmtime_func_call(context, &function, NULL, 0, NULL, 0, &trap) == NULL && trap == NULL);
    CHECK(start_calls == 1 && empty_calls == 1);
    wasm_functype_delete(nothing);
    wasmtime_linker_delete(linker);
    wasmtime_store_delete(store);
  }

  // wasmtime_linker_module: a reactor is instantiated once and initialized; every call of a
  // command's function runs in a fresh instance.
  {
    static const char reactor_text[] =
        "(module (global $g (mut i32) (i32.const 0))"
        "  (func (export \"_initialize\") (global.set $g (i32.const 41)))"
        "  (func (export \"get\") (result i32) (global.get $g)))";
    static const char command_text[] =
        "(module (import \"env\" \"tick\" (func $tick)) (global $g (mut i32) (i32.const 0)) (memory 1)"
        "  (func (export \"_start\") (call $tick))"
        "  (func (export \"bump\") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))";
    static const char both_text[] = "(module (func (export \"_start\")) (func (export \"_initialize\")))";
    const char *texts[3] = {reactor_text, command_text, both_text};
    wasmtime_module_t *modules[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
      wasm_byte_vec_t binary;
      CHECK(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary) == NULL);
      CHECK(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules[i]) == NULL);
      wasm_byte_vec_delete(&binary);
    }
    int ticks = 0;
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    linker = wasmtime_linker_new(engine);
    wasm_functype_t *nothing = wasm_functype_new_0_0();
    CHECK(wasmtime_linker_define_func(linker, "env", 3, "tick", 4, nothing, count_call, &ticks, NULL) == NULL);
    wasm_functype_delete(nothing);
    CHECK(wasmtime_linker_module(linker, context, "r", 1, modules[0]) == NULL);
    wasmtime_extern_t item;
    CHECK(wasmtime_linker_get(linker, context, "r", 1, "get", 3, &item) && item.kind == WASMTIME_EXTERN_FUNC);
    CHECK(wasmtime_func_call(context, &item.of.func, NULL, 0, &result, 1, &trap) == NULL && trap == NULL && result.of.i32 == 41);
    // As in wasmtime, a command may export functions only (each call has its own instance).
    {
      static const char exports_memory[] = "(module (memory (export \"mem\") 1) (func (export \"_start\")))";
      wasm_byte_vec_t bytes;
      wasmtime_module_t *with_memory = NULL;
      CHECK(wasmtime_wat2wasm(exports_memory, sizeof exports_memory - 1, &bytes) == NULL);
      CHECK(wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &with_memory) == NULL);
      wasm_byte_vec_delete(&bytes);
      wasmtime_error_t *refused = wasmtime_linker_module(linker, context, "m", 1, with_memory);
      CHECK(refused != NULL);
      if (refused) {
        wasm_message_t message;
        wasmtime_error_message(refused, &message);
        CHECK_BYTES(message, "command export 'mem' is not a function");
        wasm_byte_vec_delete(&message);
        wasmtime_error_delete(refused);
      }
      CHECK(!wasmtime_linker_get(linker, context, "m", 1, "_start", 6, &item));
      wasmtime_module_delete(with_memory);
    }
    CHECK(wasmtime_linker_module(linker, context, "c", 1, modules[1]) == NULL);
    CHECK(!wasmtime_linker_get(linker, context, "c", 1, "mem", 3, &item));
    wasmtime_func_t start;
    CHECK(wasmtime_linker_get_default(linker, context, "c", 1, &start) == NULL);
    CHECK(wasmtime_func_call(context, &start, NULL, 0, NULL, 0, &trap) == NULL && trap == NULL && ticks == 1);
    CHECK(wasmtime_linker_get(linker, context, "c", 1, "bump", 4, &item) && item.kind == WASMTIME_EXTERN_FUNC);
    for (int i = 0; i < 2; i++)
      CHECK(wasmtime_func_call(context, &item.of.func, NULL, 0, &result, 1, &trap) == NULL && trap == NULL && result.of.i32 == 1);
    error = wasmtime_linker_module(linker, context, "both", 4, modules[2]);
    CHECK(error != NULL);
    if (error) check_message_contains_text(error, "both `_start` and `_initialize`");
    wasmtime_linker_delete(linker);
    wasmtime_store_delete(store);
    for (int i = 0; i < 3; i++) wasmtime_module_delete(modules[i]);
  }

  // The limiter counts instances and the tables and memories they define.
  {
    static const char *texts[3] = {"(module (memory 1) (table 1 funcref))", "(module (table 1 funcref))", "(module)"};
    wasmtime_module_t *modules[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
      wasm_byte_vec_t binary;
      CHECK(wasmtime_wat2wasm(texts[i], strlen(texts[i]), &binary) == NULL);
      CHECK(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &modules[i]) == NULL);
      wasm_byte_vec_delete(&binary);
    }
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    wasmtime_store_limiter(store, -1, -1, 3, 2, 1);
    CHECK(wasmtime_instance_new(context, modules[0], NULL, 0, &instance, &trap) == NULL);
    error = wasmtime_instance_new(context, modules[0], NULL, 0, &instance, &trap);
    CHECK(error != NULL);
    if (error) check_message_contains_text(error, "resource limit exceeded: memory count too high at 2");
    // As wasmtime counts them, the instantiation that failed on its memory still counts as an
    // instance (wasmtime 50 gives these same messages for this sequence).
    CHECK(wasmtime_instance_new(context, modules[1], NULL, 0, &instance, &trap) == NULL);
    error = wasmtime_instance_new(context, modules[1], NULL, 0, &instance, &trap);
    CHECK(error != NULL);
    if (error) check_message_contains_text(error, "resource limit exceeded: instance count too high at 4");
    error = wasmtime_instance_new(context, modules[2], NULL, 0, &instance, &trap);
    CHECK(error != NULL);
    if (error) check_message_contains_text(error, "resource limit exceeded: instance count too high at 4");
    wasmtime_store_delete(store);
    // The table limit on its own.
    store = wasmtime_store_new(engine, NULL, NULL);
    context = wasmtime_store_context(store);
    wasmtime_store_limiter(store, -1, -1, 10, 1, 10);
    CHECK(wasmtime_instance_new(context, modules[1], NULL, 0, &instance, &trap) == NULL);
    error = wasmtime_instance_new(context, modules[1], NULL, 0, &instance, &trap);
    CHECK(error != NULL);
    if (error) check_message_contains_text(error, "resource limit exceeded: table count too high at 2");
    wasmtime_store_delete(store);
    for (int i = 0; i < 3; i++) wasmtime_module_delete(modules[i]);
  }
  wasm_functype_delete(raw_type);
  wasmtime_module_delete(module);
  wasm_byte_vec_delete(&bytes);

  // Backtraces: innermost frame first, with module offsets and name-section names.
  if (!read_file_in(argv[1], "backtrace.wasm", &bytes)) return 1;
  error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL);
  store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  wasmtime_func_t outer = export_func("outer");
  error = wasmtime_func_call(context, &outer, NULL, 0, &result, 1, &trap);
  CHECK(error == NULL && trap != NULL);
  if (trap) {
    wasm_frame_vec_t frames;
    wasm_trap_trace(trap, &frames);
    CHECK(frames.size == 3);
    if (frames.size == 3) {
      const size_t offsets[3] = {0x2e, 0x34, 0x3e}; // i32.div_s, call $inner, call $middle (wasm-objdump)
      for (size_t i = 0; i < 3; i++) {
        CHECK(wasm_frame_func_index(frames.data[i]) == i);
        CHECK(wasm_frame_module_offset(frames.data[i]) == offsets[i]);
      }
      const wasm_name_t *name = wasmtime_frame_func_name(frames.data[1]);
      CHECK(name && name->size == 6 && memcmp(name->data, "middle", 6) == 0);
      const wasm_name_t *module_name = wasmtime_frame_module_name(frames.data[0]);
      CHECK(module_name && module_name->size == 4 && memcmp(module_name->data, "calc", 4) == 0);
      CHECK(wasmtime_frame_func_name(frames.data[2]) == NULL); // no name in the name section
    }
    wasm_frame_vec_delete(&frames);
    wasm_frame_t *origin = wasm_trap_origin(trap);
    CHECK(origin && wasm_frame_func_index(origin) == 0);
    wasm_frame_delete(origin);
    wasm_trap_delete(trap);
  }
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_byte_vec_delete(&bytes);

  // Tables and call_indirect: structurally equal types match, null and out-of-range entries trap.
  if (!read_file_in(argv[1], "indirect.wasm", &bytes)) {
    fprintf(stderr, "cannot read %s/indirect.wasm\n", argv[1]);
    return 1;
  }
  error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL);
  store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  CHECK(call1("run", NULL, &result) == -1 && result.of.i32 == 39);
  CHECK(call1("null", NULL, &result) == WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL);
  CHECK(call1("oob", NULL, &result) == WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS);
  CHECK(call1("isnull", NULL, &result) == -1 && result.of.i32 == 41);
  // A host-made table grows from the API.
  wasm_limits_t table_limits = {1, 4};
  wasm_tabletype_t *table_type = wasm_tabletype_new(wasm_valtype_new_funcref(), &table_limits);
  wasmtime_val_t null_ref = {.kind = WASMTIME_FUNCREF};
  wasmtime_funcref_set_null(&null_ref.of.funcref);
  wasmtime_table_t host_table;
  CHECK(wasmtime_table_new(context, table_type, &null_ref, &host_table) == NULL);
  wasm_tabletype_delete(table_type);
  uint64_t old_size = 0;
  CHECK(wasmtime_table_grow(context, &host_table, 2, &null_ref, &old_size) == NULL && old_size == 1);
  CHECK(wasmtime_table_size(context, &host_table) == 3);
  error = wasmtime_table_grow(context, &host_table, 5, &null_ref, &old_size); // past the maximum
  CHECK(error != NULL);
  wasmtime_error_delete(error);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_byte_vec_delete(&bytes);

  // Bulk memory: fill, init from a passive segment, copy, drop.
  if (!read_file_in(argv[1], "bulk.wasm", &bytes)) return 1;
  error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  CHECK(error == NULL);
  store = wasmtime_store_new(engine, NULL, NULL);
  context = wasmtime_store_context(store);
  error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  CHECK(call1("run", NULL, &result) == -1 && result.of.i32 == 108);
  CHECK(call1("dropped", NULL, &result) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(call1("oob", NULL, &result) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_byte_vec_delete(&bytes);
  wasm_engine_delete(engine);
  return check_report("test_instance");
}
