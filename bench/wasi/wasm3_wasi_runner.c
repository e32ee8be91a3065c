// A runner for WASI commands on wasm3, for the benchmark harness only (bench/wasi/compare.py):
// wasm3's core (from the PyPI sdist pywasm3==0.5.0, which lacks wasm3's own WASI layer) plus the
// part of WASI preview 1 that programs using only the standard streams need: arguments,
// environment (empty), clocks, random bytes, reading stdin, writing stdout and stderr, their
// status, exit. No preopens: fd_prestat_get says EBADF, so wasi-libc finds no directories.
//
//   wasm3_wasi_runner FILE.wasm [ARGS...]      exit status: the program's, 134 on a trap
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasm3.h"

#define WASI_EBADF 8
#define WASI_EINVAL 28
#define WASI_EIO 29
#define WASI_ESPIPE 70

static int program_argc;
static char **program_argv;
static int exit_status;
static const char exit_marker[] = "program exited";

#define CHECK_MEM(offset, length)                                                                  \
  do {                                                                                              \
    if ((uint64_t)(offset) + (uint64_t)(length) > m3_GetMemorySize(runtime)) return m3Err_trapOutOfBoundsMemoryAccess; \
  } while (0)
#define MEM(offset) ((uint8_t *)_mem + (uint32_t)(offset))

static int errno_to_wasi(int error) { return error == EBADF ? WASI_EBADF : error == ESPIPE ? WASI_ESPIPE : error == EINVAL ? WASI_EINVAL : WASI_EIO; }

m3ApiRawFunction(args_sizes_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, count_at);
  m3ApiGetArg(uint32_t, size_at);
  CHECK_MEM(count_at, 4);
  CHECK_MEM(size_at, 4);
  uint32_t size = 0;
  for (int i = 0; i < program_argc; i++) size += (uint32_t)strlen(program_argv[i]) + 1;
  memcpy(MEM(count_at), &program_argc, 4);
  memcpy(MEM(size_at), &size, 4);
  m3ApiReturn(0);
}

m3ApiRawFunction(args_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, pointers);
  m3ApiGetArg(uint32_t, buffer);
  for (int i = 0; i < program_argc; i++) {
    uint32_t length = (uint32_t)strlen(program_argv[i]) + 1;
    CHECK_MEM(pointers + 4u * (uint32_t)i, 4);
    CHECK_MEM(buffer, length);
    memcpy(MEM(pointers + 4u * (uint32_t)i), &buffer, 4);
    memcpy(MEM(buffer), program_argv[i], length);
    buffer += length;
  }
  m3ApiReturn(0);
}

m3ApiRawFunction(environ_sizes_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, count_at);
  m3ApiGetArg(uint32_t, size_at);
  CHECK_MEM(count_at, 4);
  CHECK_MEM(size_at, 4);
  memset(MEM(count_at), 0, 4);
  memset(MEM(size_at), 0, 4);
  m3ApiReturn(0);
}

m3ApiRawFunction(environ_get) {
  m3ApiReturnType(uint32_t);
  m3ApiReturn(0);
}

static const void *transfer(IM3Runtime runtime, uint64_t *_sp, void *_mem, int writing) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, fd);
  m3ApiGetArg(uint32_t, vectors);
  m3ApiGetArg(uint32_t, count);
  m3ApiGetArg(uint32_t, result_at);
  if (count > 1024) m3ApiReturn(WASI_EINVAL);
  struct iovec host[1024];
  CHECK_MEM(vectors, 8ull * count);
  CHECK_MEM(result_at, 4);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t base, length;
    memcpy(&base, MEM(vectors + 8 * i), 4);
    memcpy(&length, MEM(vectors + 8 * i + 4), 4);
    CHECK_MEM(base, length);
    host[i].iov_base = MEM(base);
    host[i].iov_len = length;
  }
  if (writing ? (fd != 1 && fd != 2) : fd != 0) m3ApiReturn(WASI_EBADF);
  ssize_t done = writing ? writev((int)fd, host, (int)count) : readv((int)fd, host, (int)count);
  if (done < 0) m3ApiReturn(errno_to_wasi(errno));
  uint32_t transferred = (uint32_t)done;
  memcpy(MEM(result_at), &transferred, 4);
  m3ApiReturn(0);
}

m3ApiRawFunction(fd_write) { return transfer(runtime, _sp, _mem, 1); }
m3ApiRawFunction(fd_read) { return transfer(runtime, _sp, _mem, 0); }

m3ApiRawFunction(fd_close) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, fd);
  m3ApiReturn(fd <= 2 ? 0 : WASI_EBADF);
}

m3ApiRawFunction(fd_seek) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, fd);
  m3ApiReturn(fd <= 2 ? WASI_ESPIPE : WASI_EBADF);
}

m3ApiRawFunction(fd_fdstat_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, fd);
  m3ApiGetArg(uint32_t, status_at);
  if (fd > 2) m3ApiReturn(WASI_EBADF);
  CHECK_MEM(status_at, 24);
  memset(MEM(status_at), 0, 24);
  uint64_t rights = fd == 0 ? 0x2 : 0x40; // fd_read / fd_write; type unknown: not a terminal
  memcpy(MEM(status_at + 8), &rights, 8);
  memcpy(MEM(status_at + 16), &rights, 8);
  m3ApiReturn(0);
}

m3ApiRawFunction(fd_prestat_get) {
  m3ApiReturnType(uint32_t);
  m3ApiReturn(WASI_EBADF);
}

m3ApiRawFunction(fd_prestat_dir_name) {
  m3ApiReturnType(uint32_t);
  m3ApiReturn(WASI_EBADF);
}

m3ApiRawFunction(clock_time_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, id);
  m3ApiGetArg(uint64_t, precision);
  m3ApiGetArg(uint32_t, result_at);
  (void)precision;
  static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
  if (id > 3) m3ApiReturn(WASI_EINVAL);
  CHECK_MEM(result_at, 8);
  struct timespec now;
  clock_gettime(clocks[id], &now);
  uint64_t nanoseconds = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
  memcpy(MEM(result_at), &nanoseconds, 8);
  m3ApiReturn(0);
}

m3ApiRawFunction(random_get) {
  m3ApiReturnType(uint32_t);
  m3ApiGetArg(uint32_t, buffer);
  m3ApiGetArg(uint32_t, length);
  CHECK_MEM(buffer, length);
  for (uint32_t done = 0; done < length;) {
    ssize_t got = getrandom(MEM(buffer + done), length - done, 0);
    if (got < 0) m3ApiReturn(WASI_EIO);
    done += (uint32_t)got;
  }
  m3ApiReturn(0);
}

m3ApiRawFunction(proc_exit) {
  m3ApiGetArg(uint32_t, status);
  exit_status = (int)status;
  return exit_marker;
}

static const struct {
  const char *name, *signature;
  M3RawCall function;
} functions[] = {
    {"args_sizes_get", "i(ii)", args_sizes_get}, {"args_get", "i(ii)", args_get},
    {"environ_sizes_get", "i(ii)", environ_sizes_get}, {"environ_get", "i(ii)", environ_get},
    {"fd_write", "i(iiii)", fd_write}, {"fd_read", "i(iiii)", fd_read}, {"fd_close", "i(i)", fd_close},
    {"fd_seek", "i(iIii)", fd_seek}, {"fd_fdstat_get", "i(ii)", fd_fdstat_get},
    {"fd_prestat_get", "i(ii)", fd_prestat_get}, {"fd_prestat_dir_name", "i(iii)", fd_prestat_dir_name},
    {"clock_time_get", "i(iIi)", clock_time_get}, {"random_get", "i(ii)", random_get}, {"proc_exit", "v(i)", proc_exit},
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wasm3_wasi_runner FILE.wasm [ARGS...]\n");
    return 2;
  }
  FILE *file = fopen(argv[1], "rb");
  if (!file) {
    perror(argv[1]);
    return 2;
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  uint8_t *bytes = malloc((size_t)size);
  if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) return 2;
  fclose(file);
  const char *slash = strrchr(argv[1], '/');
  argv[1] = (char *)(slash ? slash + 1 : argv[1]); // argv[0] of the program: the file's name
  program_argc = argc - 1;
  program_argv = argv + 1;

  IM3Environment environment = m3_NewEnvironment();
  IM3Runtime runtime = m3_NewRuntime(environment, 1 << 20, NULL);
  IM3Module module;
  M3Result result = m3_ParseModule(environment, &module, bytes, (uint32_t)size);
  if (!result) result = m3_LoadModule(runtime, module);
  for (size_t i = 0; !result && i < sizeof functions / sizeof functions[0]; i++) {
    M3Result linked = m3_LinkRawFunction(module, "wasi_snapshot_preview1", functions[i].name, functions[i].signature, functions[i].function);
    if (linked && linked != m3Err_functionLookupFailed) result = linked;
  }
  IM3Function start;
  if (!result) result = m3_FindFunction(&start, runtime, "_start");
  if (!result) result = m3_CallV(start);
  if (result == exit_marker) return exit_status;
  if (result) {
    fprintf(stderr, "wasm3_wasi_runner: %s\n", result);
    return 134;
  }
  return 0;
}
