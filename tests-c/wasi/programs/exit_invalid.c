// An exit status outside WASI's 0..125: wasmtime's proc_exit(126) is an error without an exit
// status (wasmtime_error_exit_status gives none), so `wasmtime run`, `swasm run` and the C runner
// exit with 1, after the output flushed before it.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("exiting with 126\n");
  exit(126);
}
