/* Settings for building Lua 5.4 for wasm32-wasi (forced into every Lua file with -include).
 * ISO C mode (WASI has no processes, so no popen/system: io.popen fails with an error and
 * os.execute says there is no shell), plus temporary files as POSIX Lua makes them: os.tmpname
 * and io.tmpfile create files /tmp/lua_NNNNNNNN (wasi-libc has no tmpnam, tmpfile or mkstemp),
 * so a run preopens a scratch directory as /tmp. os.setlocale knows only the C locale: wasi-libc
 * (musl) accepts any locale name but never changes the decimal point, which Lua's tests take as a
 * locale that works. An empty file name is not found (fopen("") opens the preopened directory in
 * WASI runtimes, where POSIX says ENOENT; package.searchpath's empty templates rely on it). */
#include <errno.h>
#include <locale.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* mkstemp's job: a new file /tmp/lua_<8 hex digits>, open for reading and writing. */
static inline int lua_wasi_mktemp(char name[32]) {
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned random;
    if (getentropy(&random, sizeof random) != 0) return -1;
    snprintf(name, 32, "/tmp/lua_%08x", random);
    int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd != -1 || errno != EEXIST) return fd;
  }
  return -1;
}

static inline FILE *lua_wasi_tmpfile(void) {
  char name[32];
  int fd = lua_wasi_mktemp(name);
  if (fd == -1) return NULL;
  unlink(name);
  return fdopen(fd, "w+");
}

static inline char *lua_wasi_setlocale(int category, const char *name) {
  if (name && *name && strcmp(name, "C") != 0 && strcmp(name, "POSIX") != 0) return NULL;
  return setlocale(category, name);
}
#define setlocale lua_wasi_setlocale

static inline FILE *lua_wasi_fopen(const char *name, const char *mode) {
  if (name[0] == '\0') {
    errno = ENOENT;
    return NULL;
  }
  return fopen(name, mode);
}
#define fopen lua_wasi_fopen

#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e) { e = lua_wasi_mktemp(b); if (e != -1) close(e); e = (e == -1); }
#define tmpfile lua_wasi_tmpfile
#define l_system(cmd) ((cmd) == NULL ? 0 : -1)
