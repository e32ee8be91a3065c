// Normal behaviour and bad arguments of configs, engines, stores, fuel, epochs and errors.
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "check.h"

static int finalized_count = 0;
static void *finalized_data = NULL;
static void count_finalizer(void *data) {
  finalized_count++;
  finalized_data = data;
}

static void test_config_and_engine(void) {
  wasm_config_t *config = wasm_config_new();
  CHECK(config != NULL);
  // Every setter accepts its value; JIT-only ones are recorded no-ops.
  wasmtime_config_debug_info_set(config, true);
  wasmtime_config_consume_fuel_set(config, true);
  wasmtime_config_epoch_interruption_set(config, true);
  wasmtime_config_max_wasm_stack_set(config, 1 << 20);
  wasmtime_config_wasm_threads_set(config, false);
  wasmtime_config_shared_memory_set(config, false);
  wasmtime_config_wasm_tail_call_set(config, false);
  wasmtime_config_wasm_reference_types_set(config, true);
  wasmtime_config_wasm_function_references_set(config, false);
  wasmtime_config_wasm_gc_set(config, false);
  wasmtime_config_gc_support_set(config, true);
  wasmtime_config_wasm_simd_set(config, true);
  wasmtime_config_wasm_relaxed_simd_set(config, false);
  wasmtime_config_wasm_relaxed_simd_deterministic_set(config, false);
  wasmtime_config_wasm_bulk_memory_set(config, true);
  wasmtime_config_wasm_multi_value_set(config, true);
  wasmtime_config_wasm_multi_memory_set(config, false);
  wasmtime_config_wasm_memory64_set(config, false);
  wasmtime_config_wasm_wide_arithmetic_set(config, false);
  wasmtime_config_wasm_branch_hinting_set(config, false);
  wasmtime_config_wasm_exceptions_set(config, false);
  wasmtime_config_wasm_custom_page_sizes_set(config, false);
  wasmtime_config_wasm_stack_switching_set(config, false);
  wasmtime_config_strategy_set(config, WASMTIME_STRATEGY_AUTO);
  wasmtime_config_parallel_compilation_set(config, false);
  wasmtime_config_cranelift_debug_verifier_set(config, false);
  wasmtime_config_cranelift_nan_canonicalization_set(config, false);
  wasmtime_config_cranelift_opt_level_set(config, WASMTIME_OPT_LEVEL_SPEED);
  wasmtime_config_cranelift_flag_enable(config, "enable_verifier");
  wasmtime_config_cranelift_flag_set(config, "opt_level", "speed");
  wasmtime_config_profiler_set(config, WASMTIME_PROFILING_STRATEGY_NONE);
  wasmtime_config_memory_may_move_set(config, true);
  wasmtime_config_memory_reservation_set(config, 1 << 30);
  wasmtime_config_memory_guard_size_set(config, 0);
  wasmtime_config_memory_reservation_for_growth_set(config, 0);
  wasmtime_config_native_unwind_info_set(config, false);
  wasmtime_config_macos_use_mach_ports_set(config, false);
  wasmtime_config_signals_based_traps_set(config, false);
  wasmtime_config_memory_init_cow_set(config, false);
  wasmtime_error_t *error = wasmtime_config_target_set(config, "x86_64-unknown-linux-gnu");
  CHECK(error == NULL);
  error = wasmtime_config_cache_config_load(config, NULL);
  CHECK(error == NULL);

  wasm_engine_t *engine = wasm_engine_new_with_config(config); // consumes config
  CHECK(engine != NULL);
  CHECK(!wasmtime_engine_is_pulley(engine));
  wasm_engine_t *clone = wasmtime_engine_clone(engine);
  CHECK(clone != NULL);
  wasm_engine_delete(engine);
  wasmtime_engine_increment_epoch(clone); // still alive through the clone
  wasm_engine_delete(clone);

  // Setters and deletes tolerate NULL instead of aborting.
  wasmtime_config_consume_fuel_set(NULL, true);
  wasm_config_delete(NULL);
  wasm_engine_delete(NULL);
  CHECK(wasm_engine_new_with_config(NULL) == NULL);
  CHECK(wasmtime_engine_clone(NULL) == NULL);
  error = wasmtime_config_target_set(NULL, "x");
  CHECK(error != NULL);
  wasmtime_error_delete(error);

  // An inconsistent configuration gives NULL (wasmtime aborts).
  config = wasm_config_new();
  wasmtime_config_wasm_simd_set(config, false);
  wasmtime_config_wasm_relaxed_simd_set(config, true);
  CHECK(wasm_engine_new_with_config(config) == NULL);

  engine = wasm_engine_new();
  CHECK(engine != NULL);
  wasm_engine_delete(engine);
}

static void test_store(void) {
  wasm_engine_t *engine = wasm_engine_new();
  int data = 7;
  wasmtime_store_t *store = wasmtime_store_new(engine, &data, count_finalizer);
  CHECK(store != NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  CHECK(context != NULL);
  CHECK(wasmtime_context_get_data(context) == &data);
  int other = 8;
  wasmtime_context_set_data(context, &other);
  CHECK(wasmtime_context_get_data(context) == &other);

  // Fuel is an error when the engine does not consume it.
  wasmtime_error_t *error = wasmtime_context_set_fuel(context, 100);
  CHECK(error != NULL);
  if (error) {
    wasm_name_t message;
    wasmtime_error_message(error, &message);
    CHECK_BYTES(message, "fuel is not configured in this store");
    wasm_byte_vec_delete(&message);
    CHECK(!swasm_error_is_oom(error));
    wasmtime_error_delete(error);
  }
  uint64_t fuel = 123;
  error = wasmtime_context_get_fuel(context, &fuel);
  CHECK(error != NULL);
  CHECK(fuel == 123);
  wasmtime_error_delete(error);

  wasmtime_context_set_epoch_deadline(context, 10);
  wasmtime_store_limiter(store, 1 << 20, 1000, -1, -1, -1);

  // The finalizer runs once, with the data the store was created with (set_data doesn't change it).
  wasmtime_store_delete(store);
  CHECK(finalized_count == 1);
  CHECK(finalized_data == &other);

  // With fuel enabled, set and get agree.
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *fuel_engine = wasm_engine_new_with_config(config);
  store = wasmtime_store_new(fuel_engine, NULL, NULL);
  context = wasmtime_store_context(store);
  error = wasmtime_context_set_fuel(context, 12345);
  CHECK(error == NULL);
  error = wasmtime_context_get_fuel(context, &fuel);
  CHECK(error == NULL);
  CHECK(fuel == 12345);
  wasmtime_store_delete(store);
  wasm_engine_delete(fuel_engine);

  // The engine may be deleted before its stores: the store keeps it alive.
  store = wasmtime_store_new(engine, NULL, NULL);
  wasm_engine_delete(engine);
  wasmtime_context_set_epoch_deadline(wasmtime_store_context(store), 1);
  wasmtime_store_delete(store);

  // wasm.h stores.
  engine = wasm_engine_new();
  wasm_store_t *plain = wasm_store_new(engine);
  CHECK(plain != NULL);
  wasm_store_delete(plain);
  wasm_engine_delete(engine);

  CHECK(wasmtime_store_new(NULL, NULL, NULL) == NULL);
  CHECK(wasm_store_new(NULL) == NULL);
  wasmtime_store_delete(NULL);
  wasm_store_delete(NULL);
}

static void test_errors(void) {
  wasmtime_error_t *error = wasmtime_error_new("something went wrong");
  CHECK(error != NULL);
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  CHECK_BYTES(message, "something went wrong"); // no terminating NUL, as in wasmtime
  wasm_byte_vec_delete(&message);
  int status = 42;
  CHECK(!wasmtime_error_exit_status(error, &status));
  CHECK(status == 42);
  wasm_frame_vec_t trace;
  wasmtime_error_wasm_trace(error, &trace);
  CHECK(trace.size == 0);
  wasm_frame_vec_delete(&trace);
  CHECK(!swasm_error_is_oom(error));
  CHECK(!swasm_error_is_oom(NULL));
  wasmtime_error_delete(error);
  wasmtime_error_delete(NULL);
}

// A proposal swasm does not implement, switched on, makes engine creation fail (NULL, as for an
// inconsistent configuration) rather than being silently ignored; switched off again, the engine
// is made and compiles modules.
static void test_unsupported_features(void) {
  static const uint8_t empty_module[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (int i = 0; i < 2; i++) {
    wasm_config_t *config = wasm_config_new();
    if (i == 0) wasmtime_config_wasm_stack_switching_set(config, true);
    else wasmtime_config_wasm_branch_hinting_set(config, true);
    wasm_engine_t *engine = wasm_engine_new_with_config(config);
    CHECK(engine == NULL);
    wasm_engine_delete(engine);
  }
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_stack_switching_set(config, true);
  wasmtime_config_wasm_stack_switching_set(config, false);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  CHECK(engine != NULL);
  wasmtime_module_t *module = NULL;
  CHECK(wasmtime_module_new(engine, empty_module, sizeof empty_module, &module) == NULL);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

int main(void) {
  test_config_and_engine();
  test_unsupported_features();
  test_store();
  test_errors();
  return check_report("test_engine_store");
}
