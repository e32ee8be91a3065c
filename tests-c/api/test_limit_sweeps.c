// The two sweeps of ../shared/docs/oom-testing.md beside the allocation-failure ones:
//  - stack: for every max_wasm_stack from tiny to enough, a deep recursion either completes or
//    traps with "call stack exhausted" (never a native overflow), and the store works afterwards;
//  - fuel: for F = 0, 1, 2, ... until the call completes, it traps with out-of-fuel, and after
//    refuelling the same store completes it.
// Usage: test_limit_sweeps DATA_DIR
#include <stdlib.h>
#include <swasm.h>
#include <wasmtime.h>

#include "check.h"
#include "read_file.h"

static wasm_byte_vec_t bytes;

// Instantiates compute.wasm in a new store of `engine` and calls `name` (i64 -> i64 or () -> i32).
static int call(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name, int64_t argument,
                wasmtime_trap_code_t *code, int64_t *value) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &item)) return -1;
  wasmtime_val_t arg = {.kind = WASMTIME_I64, .of.i64 = argument};
  wasmtime_val_t result;
  wasm_trap_t *trap = NULL;
  int has_argument = strcmp(name, "fac") == 0;
  wasmtime_error_t *error = wasmtime_func_call(context, &item.of.func, has_argument ? &arg : NULL, has_argument, &result, 1, &trap);
  if (error) {
    wasmtime_error_delete(error);
    return -1;
  }
  if (trap) {
    CHECK(wasmtime_trap_code(trap, code));
    wasm_trap_delete(trap);
    return 1;
  }
  *value = result.kind == WASMTIME_I64 ? result.of.i64 : result.of.i32;
  return 0;
}

static void stack_sweep(void) {
  int exhausted = 0, completed = 0;
  for (size_t stack = 64; stack <= 64 * 1024; stack += stack / 4 + 8) {
    wasm_config_t *config = wasm_config_new();
    wasmtime_config_max_wasm_stack_set(config, stack);
    wasm_engine_t *engine = wasm_engine_new_with_config(config);
    wasmtime_module_t *module = NULL;
    CHECK(wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module) == NULL);
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_instance_new(context, module, NULL, 0, &instance, &trap);
    if (error || trap) { // the start function itself may not fit in the smallest stacks
      wasmtime_error_delete(error);
      if (trap) wasm_trap_delete(trap);
    } else {
      wasmtime_trap_code_t code = 255;
      int64_t value = 0;
      int outcome = call(context, &instance, "fac", 400, &code, &value);
      if (outcome == 1) {
        CHECK(code == WASMTIME_TRAP_CODE_STACK_OVERFLOW);
        exhausted++;
      } else {
        CHECK(outcome == 0);
        completed++;
      }
      // The store still works: a shallow call completes.
      CHECK(call(context, &instance, "calls", 0, &code, &value) == 0);
    }
    wasmtime_store_delete(store);
    wasmtime_module_delete(module);
    wasm_engine_delete(engine);
  }
  printf("stack sweep: %d limits exhausted, %d completed\n", exhausted, completed);
  CHECK(exhausted > 0 && completed > 0);
}

static void fuel_sweep(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_module_t *module = NULL;
  CHECK(wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module) == NULL);
  int points = 0;
  for (uint64_t fuel = 0;; fuel++) {
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_context_set_fuel(context, 1000);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    CHECK(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap) == NULL && trap == NULL);
    wasmtime_context_set_fuel(context, fuel);
    wasmtime_trap_code_t code = 255;
    int64_t value = 0;
    int outcome = call(context, &instance, "sum_data", 0, &code, &value);
    int done = outcome == 0;
    if (outcome == 1) {
      CHECK(code == WASMTIME_TRAP_CODE_OUT_OF_FUEL);
      wasmtime_context_set_fuel(context, 1000); // refuel: the same store completes the call
      CHECK(call(context, &instance, "sum_data", 0, &code, &value) == 0 && value == 36);
    } else {
      CHECK(outcome == 0 && value == 36);
    }
    wasmtime_store_delete(store);
    points++;
    if (done || fuel > 100000) break;
  }
  printf("fuel sweep: %d fuel amounts tried before the call completed\n", points);
  CHECK(points > 1);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
}

int main(int argc, char **argv) {
  if (argc < 2 || !read_file_in(argv[1], "compute.wasm", &bytes)) {
    fprintf(stderr, "usage: test_limit_sweeps DATA_DIR (with compute.wasm)\n");
    return 2;
  }
  stack_sweep();
  fuel_sweep();
  wasm_byte_vec_delete(&bytes);
  return check_report("test_limit_sweeps");
}
