// A tiny client of an installed swasm: creates an engine and a store and reports the version.
#include <stdio.h>
#include <swasm.h>
#include <wasmtime.h>

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  if (!engine) return 1;
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  if (!store) return 2;
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  printf("swasm %s works\n", SWASM_VERSION);
  return 0;
}
