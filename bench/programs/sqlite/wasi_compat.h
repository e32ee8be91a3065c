/* What SQLite 3.40's unix VFS and shell need from POSIX that wasm32-wasi lacks (forced into
 * sqlite3.c, shell.c, speedtest1.c and fuzzcheck.c with -include; SQLite supports WASI itself
 * only from 3.41). One process owns the database, so file locks are granted at once (fcntl
 * F_SETLK succeeds, F_GETLK reports no lock), as the "unix-none" VFS would; ownership and
 * permissions do not exist (fchown, fchmod, chmod succeed, the user is root). Built with SQLITE_OMIT_WAL
 * and SQLITE_MAX_MMAP_SIZE=0, so no shared memory or mmap is needed. */
#ifndef SWASM_SQLITE_WASI_COMPAT_H
#define SWASM_SQLITE_WASI_COMPAT_H
#include <fcntl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <unistd.h>

/* wasi-libc declares struct flock but not the commands and lock types. */
#ifndef F_RDLCK
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#endif
#ifndef F_GETLK
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#endif

static inline int sqlite_wasi_fcntl(int fd, int cmd, ...) {
  va_list arguments;
  va_start(arguments, cmd);
  void *argument = va_arg(arguments, void *);
  va_end(arguments);
  switch (cmd) {
  case F_GETLK: ((struct flock *)argument)->l_type = F_UNLCK; return 0;
  case F_SETLK: case F_SETLKW: return 0;
  default: return fcntl(fd, cmd, (int)(long)argument);
  }
}
#define fcntl sqlite_wasi_fcntl

static inline int sqlite_wasi_fchmod(int fd, mode_t mode) { (void)fd; (void)mode; return 0; }
static inline int sqlite_wasi_fchown(int fd, uid_t uid, gid_t gid) { (void)fd; (void)uid; (void)gid; return 0; }
static inline int sqlite_wasi_chmod(const char *path, mode_t mode) { (void)path; (void)mode; return 0; }
static inline uid_t sqlite_wasi_geteuid(void) { return 0; }
#define fchmod sqlite_wasi_fchmod
#define fchown sqlite_wasi_fchown
#define chmod sqlite_wasi_chmod
#define geteuid sqlite_wasi_geteuid
#define getuid sqlite_wasi_geteuid

/* No processes: the shell's "|command" outputs and inputs fail to open. */
static inline FILE *sqlite_wasi_popen(const char *command, const char *mode) {
  (void)command; (void)mode; errno = ENOSYS; return 0;
}
static inline int sqlite_wasi_pclose(FILE *file) { (void)file; return -1; }
#define popen sqlite_wasi_popen
#define pclose sqlite_wasi_pclose
#endif
