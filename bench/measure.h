// What the benchmark programs measure with, on swasm and on wasmtime's library alike: a monotonic
// clock, fields of /proc/self/status, and a fatal error that names the program (define
// BENCH_PROGRAM before including this).
#ifndef SWASM_BENCH_MEASURE_H
#define SWASM_BENCH_MEASURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// A field of /proc/self/status in KiB (VmRSS, VmHWM), 0 when missing.
static unsigned long long status_kib(const char *field) {
  FILE *file = fopen("/proc/self/status", "r");
  char line[256];
  unsigned long long value = 0;
  size_t length = strlen(field);
  while (file && fgets(line, sizeof line, file)) {
    if (strncmp(line, field, length) == 0 && line[length] == ':') {
      value = strtoull(line + length + 1, NULL, 10);
      break;
    }
  }
  if (file) fclose(file);
  return value;
}

static void fail(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  wasm_message_t message = {0, NULL};
  if (error) wasmtime_error_message(error, &message);
  if (trap) wasm_trap_message(trap, &message);
  fprintf(stderr, "%s: %s: %.*s\n", BENCH_PROGRAM, what, (int)message.size, message.data ? message.data : "");
  exit(1);
}

#endif
