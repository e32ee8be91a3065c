// Standard input: reads what the runner feeds (the "write" operations of stdin.json: a first line,
// then 70 numbered lines) to the end with fd_read, a byte, then three bytes at a time; stdin's
// fd_fdstat_get.
#include <fcntl.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

#define LINES 70
#define LINE_LENGTH 28 // "line NNNN of the long input\n"

int main(void) {
  __wasi_fdstat_t status;
  CHECK(__wasi_fd_fdstat_get(0, &status) == 0, "fd_fdstat_get of stdin");
  CHECK(status.fs_rights_base & __WASI_RIGHTS_FD_READ, "stdin may be read");
  char line[64];
  size_t length = 0;
  while (length < sizeof line - 1 && read(0, line + length, 1) == 1 && line[length++] != '\n') {}
  line[length] = '\0';
  CHECK(strcmp(line, "first line\n") == 0, "the first line, a byte at a time");
  static char rest[4096];
  length = 0;
  ssize_t got;
  while ((got = read(0, rest + length, 3)) > 0) length += (size_t)got;
  CHECK(got == 0, "read reaches the end of the input");
  CHECK(read(0, rest, 1) == 0, "and reads 0 bytes again after it");
  CHECK(length == LINES * LINE_LENGTH, "the rest is %d bytes", LINES * LINE_LENGTH);
  int ok = 1;
  for (int i = 0; i < LINES; i++) {
    char expected[32];
    snprintf(expected, sizeof expected, "line %04d of the long input\n", i + 2);
    if ((size_t)(i + 1) * LINE_LENGTH > length || memcmp(rest + (size_t)i * LINE_LENGTH, expected, LINE_LENGTH) != 0) ok = 0;
  }
  CHECK(ok, "%d numbered lines, in order", LINES);
  printf("echo: %s", line);
  CHECKS_DONE();
}
