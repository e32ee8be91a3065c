// An invalid argument that WASI's types cannot hold: clock_time_get of clock id 99 is not an
// EINVAL answer in wasmtime but an error that ends the call ("Invalid enum value Clockid"), with no
// exit status, so the runtime exits with 1 (the output flushed before it is kept).
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  printf("asking clock 99\n");
  fflush(stdout);
  __wasi_timestamp_t stamp;
  __wasi_errno_t error = __wasi_clock_time_get(99, 1, &stamp);
  printf("FAIL: clock_time_get of clock 99 returned %d\n", error);
  return 0;
}
