// Writes the artifact of each module given (with the fuzz target's engine settings: fuel on) as
// OUT_DIR/NAME.cwasm; modules that do not compile are skipped.
// Usage: make_artifact_seeds OUT_DIR FILE.wasm...
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasmtime.h>

#include "../api/read_file.h"

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: make_artifact_seeds OUT_DIR FILE.wasm...\n"); return 2; }
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  int written = 0;
  for (int i = 2; i < argc; i++) {
    wasm_byte_vec_t bytes;
    if (!read_file(argv[i], &bytes)) continue;
    wasmtime_module_t *module = NULL;
    wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
    wasm_byte_vec_delete(&bytes);
    if (error) { wasmtime_error_delete(error); continue; }
    wasm_byte_vec_t artifact;
    error = wasmtime_module_serialize(module, &artifact);
    wasmtime_module_delete(module);
    if (error) { wasmtime_error_delete(error); continue; }
    const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cwasm", argv[1], base);
    FILE *out = fopen(path, "wb");
    if (out) {
      written += fwrite(artifact.data, 1, artifact.size, out) == artifact.size;
      fclose(out);
    }
    wasm_byte_vec_delete(&artifact);
  }
  wasm_engine_delete(engine);
  printf("%d artifacts written\n", written);
  return written > 0 ? 0 : 1;
}
