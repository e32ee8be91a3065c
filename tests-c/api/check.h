// Minimal assertions for the C API tests: count failures (from any thread), report file:line,
// never stop early.
#ifndef SWASM_TEST_CHECK_H
#define SWASM_TEST_CHECK_H

#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

static _Atomic int check_failures = 0;

#define CHECK(cond)                                                                     \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);          \
      check_failures++;                                                                 \
    }                                                                                   \
  } while (0)

// Checks that `vec` (a wasm_byte_vec_t / wasm_name_t) holds exactly the bytes of `text`.
#define CHECK_BYTES(vec, text)                                                          \
  do {                                                                                  \
    size_t expected_len = strlen(text);                                                 \
    if ((vec).size != expected_len || memcmp((vec).data, (text), expected_len) != 0) {  \
      fprintf(stderr, "%s:%d: expected \"%s\", got \"%.*s\"\n", __FILE__, __LINE__,     \
              (text), (int)(vec).size, (vec).data ? (vec).data : "");                   \
      check_failures++;                                                                 \
    }                                                                                   \
  } while (0)

// Whether `error` is an error (deleting it); a failure when its message lacks `expected` (any
// message does for NULL).
static inline int check_error(wasmtime_error_t *error, const char *expected) {
  if (error == NULL) return 0;
  wasm_message_t message;
  wasmtime_error_message(error, &message);
  if (expected != NULL && (message.size == 0 || strstr(message.data, expected) == NULL)) {
    fprintf(stderr, "unexpected message: %.*s (expected %s)\n", (int)message.size, message.data, expected);
    check_failures++;
  }
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
  return 1;
}

static inline int check_report(const char *name) {
  if (check_failures == 0) {
    printf("%s: all checks passed\n", name);
    return 0;
  }
  printf("%s: %d check(s) failed\n", name, (int)check_failures);
  return 1;
}

#endif
