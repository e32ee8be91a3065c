// Checks shared by the project's WASI test programs (tests-c/wasi/programs, docs/wasi.md).
//
// Each program prints one line per check to stdout, "ok: WHAT" or "FAIL: WHAT (details)", and
// exits 1 when a check failed (CHECKS_DONE). Its specification (NAME.json, in the WASI test
// suite's format) lists the expected "ok" lines, so the runner compares them exactly, and only
// lines that do not depend on the run (no times, sizes of random data, addresses) are printed.
#ifndef WASI_PROGRAM_CHECK_H
#define WASI_PROGRAM_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

// CHECK(condition, "what", ...): prints the result of one check; on failure, errno too.
#define CHECK(condition, ...)                                                                       \
  do {                                                                                              \
    int check_passed_ = (condition);                                                                \
    int check_errno_ = errno;                                                                       \
    if (check_passed_) {                                                                            \
      printf("ok: ");                                                                               \
      printf(__VA_ARGS__);                                                                          \
      printf("\n");                                                                                 \
    } else {                                                                                        \
      printf("FAIL: ");                                                                             \
      printf(__VA_ARGS__);                                                                          \
      printf(" (line %d, errno %d: %s)\n", __LINE__, check_errno_, strerror(check_errno_));        \
      check_failures++;                                                                             \
    }                                                                                               \
  } while (0)

// CHECK_ERRNO(call, ERRNO, "what", ...): the call returns -1 with errno ERRNO.
#define CHECK_ERRNO(call, expected, ...)                                                           \
  do {                                                                                              \
    errno = 0;                                                                                      \
    long check_result_ = (long)(call);                                                              \
    int check_errno_ = errno;                                                                       \
    if (check_result_ == -1 && check_errno_ == (expected)) {                                        \
      printf("ok: ");                                                                               \
      printf(__VA_ARGS__);                                                                          \
      printf(" -> %s\n", #expected);                                                                \
    } else {                                                                                        \
      printf("FAIL: ");                                                                             \
      printf(__VA_ARGS__);                                                                          \
      printf(" (line %d: returned %ld, errno %d: %s; expected -1 with %s)\n", __LINE__,             \
             check_result_, check_errno_, strerror(check_errno_), #expected);                      \
      check_failures++;                                                                             \
    }                                                                                               \
  } while (0)

// Ends main: 0 when every check passed, else 1.
#define CHECKS_DONE()                                                                              \
  do {                                                                                              \
    if (check_failures) printf("%d check(s) failed\n", check_failures);                            \
    return check_failures ? 1 : 0;                                                                  \
  } while (0)

#endif
