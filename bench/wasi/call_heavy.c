// A WASI program whose time goes into WASI calls that do little: the monotonic clock, the
// environment's sizes and the status of stdout, 3 million calls each, and 200,000 short lines
// written to stdout one fd_write at a time. Prints a digest of what the calls returned (the
// clock's values only as "it never went backwards"), so that runtimes can be compared.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define CALLS 3000000
#define LINES 200000

int main(void) {
  __wasi_timestamp_t previous = 0, now = 0;
  int backwards = 0;
  unsigned long long digest = 0;
  for (int i = 0; i < CALLS; i++) {
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now) != 0) return 1;
    if (now < previous) backwards++;
    previous = now;
    __wasi_size_t count, size;
    if (__wasi_environ_sizes_get(&count, &size) != 0) return 1;
    __wasi_fdstat_t status;
    if (__wasi_fd_fdstat_get(1, &status) != 0) return 1;
    digest = digest * 31 + count + size + status.fs_filetype + (status.fs_rights_base & 0xff);
  }
  char line[32];
  for (int i = 0; i < LINES; i++) {
    int length = snprintf(line, sizeof line, "line %d\n", i);
    __wasi_ciovec_t piece = {(const uint8_t *)line, (size_t)length};
    size_t written;
    if (__wasi_fd_write(1, &piece, 1, &written) != 0 || written != (size_t)length) return 1;
    digest = digest * 31 + written;
  }
  printf("calls %d, lines %d, clock backwards %d, digest %llu\n", 3 * CALLS, LINES, backwards, digest);
  return 0;
}
