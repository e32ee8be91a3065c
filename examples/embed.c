// The smallest embedding of swasm: an engine with fuel metering, a store with host data, and
// the error the API gives when something is misused.
#include <stdio.h>
#include <swasm.h>
#include <wasmtime.h>

static void print_error(const char *what, wasmtime_error_t *error) {
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  printf("%s: %.*s%s\n", what, (int)message.size, message.data,
         swasm_error_is_oom(error) ? " (out of memory)" : "");
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
}

int main(void) {
  printf("swasm %s (wasmtime C API level %s)\n", SWASM_VERSION, WASMTIME_VERSION);

  wasm_config_t *config = wasm_config_new();
  if (!config) return 1;
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) return 1;

  int host_state = 42;
  wasmtime_store_t *store = wasmtime_store_new(engine, &host_state, NULL);
  if (!store) return 1;
  wasmtime_context_t *context = wasmtime_store_context(store);

  wasmtime_error_t *error = wasmtime_context_set_fuel(context, 10000);
  if (error) print_error("set_fuel", error);
  uint64_t fuel = 0;
  error = wasmtime_context_get_fuel(context, &fuel);
  if (error) print_error("get_fuel", error);
  printf("store has %llu units of fuel and host data %d\n", (unsigned long long)fuel,
         *(int *)wasmtime_context_get_data(context));

  wasm_engine_t *plain = wasm_engine_new();
  wasmtime_store_t *unfueled = wasmtime_store_new(plain, NULL, NULL);
  error = wasmtime_context_set_fuel(wasmtime_store_context(unfueled), 1);
  if (error) print_error("set_fuel without consume_fuel", error);

  wasmtime_store_delete(unfueled);
  wasm_engine_delete(plain);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
