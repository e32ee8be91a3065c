// A trap: abort() ends in `unreachable`, so the runtime exits with 134 (128 + SIGABRT, as
// `wasmtime run`), after the output flushed before it.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  abort();
}
