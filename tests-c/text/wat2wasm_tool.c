// Assembles a WebAssembly text file with swasm's wasmtime_wat2wasm and writes the binary.
// Usage: wat2wasm_tool input.wat output.wasm
// Exit status: 0 on success, 1 when the text is rejected (the error message goes to stderr),
// 2 on usage or I/O errors.
#include <stdio.h>
#include <stdlib.h>
#include <wasm.h>
#include <wasmtime/error.h>
#include <wasmtime/wat.h>

static int read_file(const char *path, char **data, size_t *size) {
  FILE *file = fopen(path, "rb");
  if (!file) return 0;
  size_t capacity = 1 << 16, length = 0;
  char *buffer = malloc(capacity);
  if (!buffer) { fclose(file); return 0; }
  for (;;) {
    if (length == capacity) {
      capacity *= 2;
      char *grown = realloc(buffer, capacity);
      if (!grown) { free(buffer); fclose(file); return 0; }
      buffer = grown;
    }
    size_t got = fread(buffer + length, 1, capacity - length, file);
    if (got == 0) break;
    length += got;
  }
  fclose(file);
  *data = buffer;
  *size = length;
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s input.wat output.wasm\n", argv[0]);
    return 2;
  }
  char *text = NULL;
  size_t length = 0;
  if (!read_file(argv[1], &text, &length)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, length, &binary);
  free(text);
  if (error) {
    wasm_byte_vec_t message;
    wasmtime_error_message(error, &message);
    fprintf(stderr, "%.*s\n", (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
    return 1;
  }
  FILE *out = fopen(argv[2], "wb");
  if (!out || fwrite(binary.data, 1, binary.size, out) != binary.size) {
    fprintf(stderr, "cannot write %s\n", argv[2]);
    if (out) fclose(out);
    wasm_byte_vec_delete(&binary);
    return 2;
  }
  fclose(out);
  wasm_byte_vec_delete(&binary);
  return 0;
}
