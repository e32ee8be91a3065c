// Reads a whole file into a wasm_byte_vec_t (for tests that load modules from disk).
#ifndef SWASM_TEST_READ_FILE_H
#define SWASM_TEST_READ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <wasm.h>

static inline int read_file(const char *path, wasm_byte_vec_t *out) {
  out->size = 0;
  out->data = NULL;
  FILE *file = fopen(path, "rb");
  if (!file) return 0;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  if (size < 0) { fclose(file); return 0; }
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  int ok = (size == 0 || out->data) && fread(out->data, 1, (size_t)size, file) == (size_t)size;
  fclose(file);
  if (!ok) wasm_byte_vec_delete(out);
  return ok;
}

static inline int read_file_in(const char *dir, const char *name, wasm_byte_vec_t *out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return read_file(path, out);
}

#endif
