// Arguments and environment: prints argc, each argument and each variable, in order (args_get,
// args_sizes_get, environ_get, environ_sizes_get), and checks getenv.
#include <stdlib.h>
#include <wasi/api.h>

#include "check.h"

extern char **environ;

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d] [%s]\n", i, argv[i]);
  int count = 0;
  for (char **entry = environ; *entry; entry++) printf("env [%s]\n", *entry), count++;
  __wasi_size_t arguments, argument_bytes, variables, variable_bytes;
  CHECK(__wasi_args_sizes_get(&arguments, &argument_bytes) == 0 && (int)arguments == argc, "args_sizes_get agrees with argc");
  CHECK(__wasi_environ_sizes_get(&variables, &variable_bytes) == 0 && (int)variables == count,
        "environ_sizes_get agrees with environ");
  CHECK(getenv("GREETING") && strcmp(getenv("GREETING"), "hello world") == 0, "getenv(GREETING)");
  CHECK(getenv("EMPTY") && strcmp(getenv("EMPTY"), "") == 0, "getenv(EMPTY) is empty");
  CHECK(getenv("MISSING") == NULL, "getenv(MISSING) is NULL");
  CHECK(getenv("PATH") == NULL, "the host's environment is not inherited");
  CHECKS_DONE();
}
