// Runs the cases of fusions.txt: assembles each module, disassembles its first function with
// swasm_module_disassemble and compares the internal code with the expected lines exactly
// (trailing spaces aside). Prints each case's verdict and, for a mismatch, both listings.
//
//   fusion_test FUSIONS.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swasm.h>
#include <wasmtime.h>

// `text` without the spaces that end its lines.
static void strip_line_ends(char *text) {
  char *out = text;
  for (char *in = text; *in; in++) {
    if (*in == '\n') {
      while (out > text && out[-1] == ' ') out--;
    }
    *out++ = *in;
  }
  while (out > text && (out[-1] == ' ' || out[-1] == '\n')) out--;
  *out = '\0';
}

static int run_case(wasm_engine_t *engine, const char *what, const char *wat, char *expected) {
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  if (error) {
    printf("FAIL %s: the module does not assemble\n", what);
    wasmtime_error_delete(error);
    return 1;
  }
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error) {
    printf("FAIL %s: the module does not compile\n", what);
    wasmtime_error_delete(error);
    return 1;
  }
  wasm_byte_vec_t listing;
  int failed = 0;
  if (!swasm_module_disassemble(module, 0, &listing)) {
    printf("FAIL %s: no disassembly\n", what);
    failed = 1;
  } else {
    char *actual = malloc(listing.size + 1);
    memcpy(actual, listing.data, listing.size);
    actual[listing.size] = '\0';
    strip_line_ends(actual);
    strip_line_ends(expected);
    if (strcmp(actual, expected) != 0) {
      printf("FAIL %s\n  expected:\n%s\n  emitted:\n%s\n", what, expected, actual);
      failed = 1;
    } else {
      printf("ok %s\n", what);
    }
    free(actual);
    wasm_byte_vec_delete(&listing);
  }
  wasmtime_module_delete(module);
  return failed;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fusion_test FUSIONS.txt\n");
    return 2;
  }
  FILE *file = fopen(argv[1], "r");
  if (!file) {
    perror(argv[1]);
    return 2;
  }
  static char text[1 << 20];
  size_t length = fread(text, 1, sizeof text - 1, file);
  fclose(file);
  text[length] = '\0';

  wasm_engine_t *engine = wasm_engine_new();
  int cases = 0, failures = 0;
  // Cases start at lines "## "; in each, the module runs to a line "--", the listing to the next case.
  char *at = strstr(text, "\n## ");
  while (at) {
    char *what = at + 4;
    char *line_end = strchr(what, '\n');
    if (!line_end) break;
    *line_end = '\0';
    char *wat = line_end + 1;
    char *separator = strstr(wat, "\n--\n");
    if (!separator) {
      printf("FAIL %s: no `--` line\n", what);
      failures++;
      break;
    }
    *separator = '\0';
    char *expected = separator + 4;
    char *next = strstr(expected, "\n## ");
    if (next) *next = '\0';
    cases++;
    failures += run_case(engine, what, wat, expected);
    if (!next) break;
    *next = '\n';
    at = next;
  }
  wasm_engine_delete(engine);
  printf("%d cases, %d failed\n", cases, failures);
  return cases == 0 || failures ? 1 : 0;
}
