// Tests of the WASI platform layer (Sources/CSwasm/wasi_*.c, WasiPlatform.h), compiled directly
// against its sources (it is not part of libswasm.so's API):
//
//   cc -Wall -Wextra -Werror -I Sources/CSwasm/include Sources/CSwasm/wasi_*.c tests-c/wasi/platform_test.c
//
// Builds a directory tree in a fresh temporary directory and attacks the sandbox in both
// resolution modes (openat2, and the component-by-component walk): `..`, absolute paths, symbolic
// links to absolute paths, to `..`, relative chains that escape, loops, links created by the guest,
// links swapped while resolving, directories moved while resolving, hard links and renames out of
// the sandbox; then the positive cases, readdir cookies, status and times, I/O, clocks, random,
// poll, sockets, the errno table, read-only directories, and descriptor leaks. Exit status 0 when
// every check passes. Run as root or not (permission checks that root bypasses are not tested).
#define _GNU_SOURCE
#include "WasiPlatform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stddef.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

// MARK: harness

static int checks, failures;
static const char *mode_name = "common";

static const char *wasi_name(unsigned e) {
  static const char *names[] = {
      "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY", "BADF",
      "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK",
      "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ",
      "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE",
      "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS", "NODEV",
      "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS",
      "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY", "NXIO",
      "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS",
      "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE"};
  return e < sizeof names / sizeof names[0] ? names[e] : "?";
}

#define CHECK(cond)                                                                          \
  do {                                                                                       \
    checks++;                                                                                \
    if (!(cond)) {                                                                           \
      failures++;                                                                            \
      fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__, __LINE__, mode_name, #cond); \
    }                                                                                        \
  } while (0)

#define CHECK_ERR(expr, expected) check_errno((expr), (expected), (expected), #expr, __LINE__)
#define CHECK_ERR2(expr, one, other) check_errno((expr), (one), (other), #expr, __LINE__)
#define CHECK_OK(expr) check_errno((expr), 0, 0, #expr, __LINE__)

static bool check_errno(uint16_t got, uint16_t one, uint16_t other, const char *what, int line) {
  checks++;
  if (got == one || got == other) return true;
  failures++;
  fprintf(stderr, "%s:%d: [%s] %s -> E%s (%u), expected E%s", __FILE__, line, mode_name, what, wasi_name(got), got,
          wasi_name(one));
  if (other != one) fprintf(stderr, " or E%s", wasi_name(other));
  fputc('\n', stderr);
  return false;
}

/// A guest path: bytes and length.
#define P(s) (const uint8_t *)(s), strlen(s)

static void die(const char *what) {
  perror(what);
  exit(2);
}

// MARK: the tree

static char base[512];     // the temporary directory of this run
static char top[1024];     // base/<mode>: everything of one mode
static char sandbox[1536]; // top/sandbox: the preopen
static cswasm_wasi_dir D;      // the sandbox, mutable
static cswasm_wasi_dir RO;     // the sandbox, read-only
static uint32_t mode_flags;    // 0 or CSWASM_WASI_DIR_WALK_ONLY

static void at(char *out, const char *relative) { snprintf(out, PATH_MAX, "%s/%s", top, relative); }

static void make_dir(const char *relative) {
  char path[PATH_MAX];
  at(path, relative);
  if (mkdir(path, 0777) != 0) die(path);
}

static void make_file(const char *relative, const char *content) {
  char path[PATH_MAX];
  at(path, relative);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) die(path);
  size_t len = strlen(content);
  if (write(fd, content, len) != (ssize_t)len) die(path);
  close(fd);
}

static void make_link(const char *target, const char *relative) {
  char path[PATH_MAX];
  at(path, relative);
  if (symlink(target, path) != 0) die(path);
}

static bool exists(const char *relative) {
  char path[PATH_MAX];
  struct stat info;
  at(path, relative);
  return lstat(path, &info) == 0;
}

static bool content_is(const char *relative, const char *expected) {
  char path[PATH_MAX], data[256];
  at(path, relative);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return false;
  ssize_t n = read(fd, data, sizeof data - 1);
  close(fd);
  if (n < 0) return false;
  data[n] = '\0';
  return strcmp(data, expected) == 0;
}

static struct timespec mtime_of(const char *relative) {
  char path[PATH_MAX];
  struct stat info;
  at(path, relative);
  memset(&info, 0, sizeof info);
  lstat(path, &info);
  return info.st_mtim;
}

static bool same_time(struct timespec a, struct timespec b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *ftw) {
  (void)info, (void)ftw;
  return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static int count_open_fds(void) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL) return -1;
  int n = 0;
  while (readdir(dir) != NULL) n++;
  closedir(dir);
  return n;
}

// Everything outside the sandbox that an escape would reach is named "secret" / "SECRET" here.
static void build_tree(void) {
  snprintf(top, sizeof top, "%s/%s", base, mode_name);
  if (mkdir(top, 0777) != 0) die(top);
  make_file("outside_secret", "SECRET");
  make_file("file.txt", "SECRET file.txt outside");
  make_dir("sandbox");
  snprintf(sandbox, sizeof sandbox, "%s/sandbox", top);
  make_file("sandbox/file.txt", "hello");
  make_dir("sandbox/sub");
  make_dir("sandbox/sub/nested");
  make_file("sandbox/sub/nested/deep.txt", "deep");
  make_link("file.txt", "sandbox/link_inside");
  make_link("sub", "sandbox/link_dir");
  make_link("/etc/passwd", "sandbox/link_etc");
  make_link("/", "sandbox/link_root");
  make_link("..", "sandbox/link_dotdot");
  char absolute[PATH_MAX];
  at(absolute, "outside_secret");
  make_link(absolute, "sandbox/link_secret_abs");
  make_link("../outside_secret", "sandbox/link_secret_rel");
  make_link("chain2", "sandbox/chain1");
  make_link("sub/chain3", "sandbox/chain2");
  make_link("../../outside_secret", "sandbox/sub/chain3");
  make_link("sub/ok2", "sandbox/ok1");
  make_link("nested/deep.txt", "sandbox/sub/ok2");
  make_link("loop2", "sandbox/loop1");
  make_link("loop1", "sandbox/loop2");
  make_link("self", "sandbox/self");
  make_link("../../", "sandbox/sub/up2");
  make_link("..", "sandbox/sub/up1");
  make_link("nonexistent", "sandbox/dangling");
  make_link("../created_outside", "sandbox/dangle_out");
}

static uint16_t open_path(cswasm_wasi_dir dir, const char *path, uint32_t lookup, uint16_t oflags, uint32_t access,
                          int *fd) {
  *fd = -1;
  return cswasm_wasi_path_open(dir, P(path), lookup, oflags, 0, access, fd);
}

/// Opens `path` expecting `expected`; closes what opened.
static void expect_open(const char *path, uint32_t lookup, uint16_t oflags, uint16_t expected, int line) {
  int fd = -1;
  uint16_t got = open_path(D, path, lookup, oflags, CSWASM_WASI_ACCESS_READ, &fd);
  char what[PATH_MAX + 64];
  snprintf(what, sizeof what, "path_open(\"%s\", lookup %u, oflags %u)", path, lookup, oflags);
  check_errno(got, expected, expected, what, line);
  if (got == 0) close(fd);
}
#define EXPECT_OPEN(path, lookup, oflags, expected) expect_open(path, lookup, oflags, expected, __LINE__)

static const uint32_t FOLLOW = CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;

/// Reads what fd holds (up to 255 bytes) as a string.
static void read_all(int fd, char *out) {
  cswasm_wasi_iovec iov = {out, 255};
  size_t n = 0;
  if (cswasm_wasi_fd_read(fd, &iov, 1, &n) != 0) n = 0;
  out[n] = '\0';
}

static bool opens_to(const char *path, uint32_t lookup, const char *expected) {
  int fd;
  if (open_path(D, path, lookup, 0, CSWASM_WASI_ACCESS_READ, &fd) != 0) return false;
  char data[256];
  read_all(fd, data);
  close(fd);
  return strcmp(data, expected) == 0;
}

// MARK: sandbox attacks

static void test_escapes(void) {
  // `..` above the directory, directly and after descending.
  EXPECT_OPEN("..", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("../outside_secret", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("../outside_secret", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("sub/../../outside_secret", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("sub/nested/../../../outside_secret", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("./../sandbox/file.txt", 0, 0, CSWASM_WASI_EPERM); // leaves, even if it would come back
  EXPECT_OPEN("sub/..//../file.txt", 0, 0, CSWASM_WASI_EPERM);
  // Absolute paths.
  EXPECT_OPEN("/etc/passwd", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("/", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN(sandbox, FOLLOW, 0, CSWASM_WASI_EPERM); // even the sandbox's own absolute path
  // Symbolic links to absolute paths.
  EXPECT_OPEN("link_etc", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_etc", 0, 0, CSWASM_WASI_ELOOP); // not followed at all
  EXPECT_OPEN("link_secret_abs", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_root/etc/passwd", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_root", FOLLOW, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_EPERM);
  // Symbolic links to `..`.
  EXPECT_OPEN("link_dotdot", FOLLOW, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_dotdot/outside_secret", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_dotdot/sandbox/file.txt", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_dotdot/", 0, 0, CSWASM_WASI_EPERM); // a trailing slash follows the link
  EXPECT_OPEN("link_secret_rel", FOLLOW, 0, CSWASM_WASI_EPERM);
  // A relative chain that escapes on its third link, and a link in a subdirectory to ../../.
  EXPECT_OPEN("chain1", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("chain2", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("sub/up2", FOLLOW, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_EPERM);
  EXPECT_OPEN("sub/up2/outside_secret", FOLLOW, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("sub/up2/sandbox/file.txt", 0, 0, CSWASM_WASI_EPERM);
  EXPECT_OPEN("link_dir/up2/outside_secret", 0, 0, CSWASM_WASI_EPERM);
  // Loops.
  EXPECT_OPEN("loop1", FOLLOW, 0, CSWASM_WASI_ELOOP);
  EXPECT_OPEN("self", FOLLOW, 0, CSWASM_WASI_ELOOP);
  EXPECT_OPEN("self/x", 0, 0, CSWASM_WASI_ELOOP);
  EXPECT_OPEN("loop1", 0, 0, CSWASM_WASI_ELOOP);
  // Creating through a dangling link that points outside.
  int fd = -1;
  CHECK_ERR(cswasm_wasi_path_open(D, P("dangle_out"), FOLLOW, CSWASM_WASI_OFLAGS_CREAT, 0,
                                  CSWASM_WASI_ACCESS_WRITE, &fd),
            CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(D, P("dangle_out"), 0, CSWASM_WASI_OFLAGS_CREAT, 0, CSWASM_WASI_ACCESS_WRITE, &fd),
            CSWASM_WASI_ELOOP);
  CHECK(!exists("created_outside"));
  // Truncating through a link that points outside.
  CHECK_ERR(cswasm_wasi_path_open(D, P("link_secret_rel"), FOLLOW, CSWASM_WASI_OFLAGS_TRUNC, 0,
                                  CSWASM_WASI_ACCESS_WRITE, &fd),
            CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(D, P("link_secret_abs"), FOLLOW, CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_TRUNC,
                                  0, CSWASM_WASI_ACCESS_WRITE, &fd),
            CSWASM_WASI_EPERM);
  CHECK(content_is("outside_secret", "SECRET"));

  // Links created by the guest: stored (relative), never followed outside.
  CHECK_OK(cswasm_wasi_path_symlink(P("../outside_secret"), D, P("evil")));
  CHECK_ERR(cswasm_wasi_path_symlink(P("/etc/passwd"), D, P("evil_abs")), CSWASM_WASI_EPERM);
  CHECK(!exists("sandbox/evil_abs"));
  EXPECT_OPEN("evil", FOLLOW, 0, CSWASM_WASI_EPERM);
  cswasm_wasi_filestat stat;
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("evil"), &stat), CSWASM_WASI_EPERM);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("evil"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_SYMBOLIC_LINK);
  uint8_t target[64];
  size_t used = 0;
  CHECK_OK(cswasm_wasi_path_readlink(D, P("evil"), target, sizeof target, &used));
  CHECK(used == 17 && memcmp(target, "../outside_secret", 17) == 0);
  CHECK_OK(cswasm_wasi_path_symlink(P("sub/../.."), D, P("evil_dir")));
  EXPECT_OPEN("evil_dir/outside_secret", 0, 0, CSWASM_WASI_EPERM);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("evil_dir")));

  // Status and times through escaping paths.
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 0, P(".."), &stat), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 0, P("../outside_secret"), &stat), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("link_dotdot"), &stat), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 0, P("link_dotdot/"), &stat), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 0, P("link_dotdot/outside_secret"), &stat), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("link_etc"), &stat), CSWASM_WASI_EPERM);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("link_dotdot"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_SYMBOLIC_LINK);
  struct timespec before = mtime_of("outside_secret");
  const uint16_t mtim = CSWASM_WASI_FSTFLAGS_MTIM;
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, 0, P("../outside_secret"), 0, 1000000000, mtim), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, FOLLOW, P("link_secret_rel"), 0, 1000000000, mtim),
            CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, FOLLOW, P("link_secret_abs"), 0, 1000000000, mtim),
            CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, 0, P("link_dotdot/outside_secret"), 0, 1000000000, mtim),
            CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, 0, P("link_dotdot/"), 0, 1000000000, mtim), CSWASM_WASI_EPERM);
  // Without SYMLINK_FOLLOW the link's own times change, not its target's.
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, 0, P("link_secret_abs"), 0, 1000000000, mtim));
  CHECK(same_time(mtime_of("outside_secret"), before));
  CHECK(mtime_of("sandbox/link_secret_abs").tv_sec == 1);
  CHECK_ERR(cswasm_wasi_path_readlink(D, P("../outside_secret"), target, sizeof target, &used), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_readlink(D, P("link_dotdot/sandbox/link_etc"), target, sizeof target, &used),
            CSWASM_WASI_EPERM);

  // Hard links to outside files, and out of the sandbox.
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("../outside_secret"), D, P("hard")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("link_dotdot/outside_secret"), D, P("hard")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("sub/up2/outside_secret"), D, P("hard")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(D, FOLLOW, P("link_secret_abs"), D, P("hard")), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("link_secret_abs/"), D, P("hard")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("../hard_out")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("link_dotdot/hard_out")), CSWASM_WASI_EPERM);
  CHECK(!exists("sandbox/hard") && !exists("hard_out"));
  // Hard-linking the link itself is allowed and yields another link that still cannot be followed.
  CHECK_OK(cswasm_wasi_path_link(D, 0, P("link_secret_abs"), D, P("hard")));
  EXPECT_OPEN("hard", FOLLOW, 0, CSWASM_WASI_EPERM);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("hard")));

  // Renames out of (and into) the sandbox.
  CHECK_ERR(cswasm_wasi_path_rename(D, P("file.txt"), D, P("../moved")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("file.txt"), D, P("link_dotdot/moved")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("file.txt"), D, P("sub/up2/moved")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("sub"), D, P("link_root/tmp/moved")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("../outside_secret"), D, P("stolen")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("link_dotdot/outside_secret"), D, P("stolen")), CSWASM_WASI_EPERM);
  CHECK(!exists("moved") && !exists("sandbox/stolen") && exists("sandbox/file.txt") && exists("outside_secret"));
  // Renaming the link moves the link, not what it names.
  CHECK_OK(cswasm_wasi_path_rename(D, P("link_dotdot"), D, P("renamed_link")));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("renamed_link"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_OK(cswasm_wasi_path_rename(D, P("renamed_link"), D, P("link_dotdot")));

  // Creating and removing outside.
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("../newdir")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("link_dotdot/newdir")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("link_root/tmp/newdir")), CSWASM_WASI_EPERM);
  CHECK(!exists("newdir"));
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("../outside_secret")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("link_dotdot/outside_secret")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("sub/up2/outside_secret")), CSWASM_WASI_EPERM);
  CHECK(exists("outside_secret"));
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("..")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("../sandbox")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("sub/../..")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_symlink(P("x"), D, P("../planted")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_symlink(P("x"), D, P("link_dotdot/planted")), CSWASM_WASI_EPERM);
  CHECK(!exists("planted"));
  CHECK(content_is("outside_secret", "SECRET") && content_is("file.txt", "SECRET file.txt outside"));
}

static void test_path_checks(void) {
  int fd;
  // NUL bytes, invalid UTF-8, empty paths.
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"file.txt\0", 9, 0, 0, 0, 0, &fd), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"fi\0le.txt", 9, 0, 0, 0, 0, &fd), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"\xff", 1, 0, 0, 0, 0, &fd), CSWASM_WASI_EILSEQ);
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"a\xc0\xaf", 3, 0, 0, 0, 0, &fd), CSWASM_WASI_EILSEQ);
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"\xed\xa0\x80", 3, 0, 0, 0, 0, &fd), CSWASM_WASI_EILSEQ);
  CHECK_ERR(cswasm_wasi_path_open(D, (const uint8_t *)"", 0, 0, 0, 0, 0, &fd), CSWASM_WASI_ENOENT);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, (const uint8_t *)"x\0y", 3), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_symlink((const uint8_t *)"a\0b", 3, D, P("nul_link")), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_symlink((const uint8_t *)"", 0, D, P("empty_link")), CSWASM_WASI_ENOENT);
  // Valid UTF-8 outside ASCII is fine.
  CHECK_OK(cswasm_wasi_path_create_directory(D, P("d\xc3\xa9j\xc3\xa0-\xf0\x9f\x98\x80")));
  CHECK_OK(cswasm_wasi_path_remove_directory(D, P("d\xc3\xa9j\xc3\xa0-\xf0\x9f\x98\x80")));
  // Lengths: a path of 4096 bytes or more, a component longer than 255.
  static char long_path[5000];
  memset(long_path, 'a', sizeof long_path - 1);
  for (size_t i = 100; i < sizeof long_path - 1; i += 100) long_path[i] = '/';
  long_path[sizeof long_path - 1] = '\0';
  CHECK_ERR(cswasm_wasi_path_open(D, P(long_path), 0, 0, 0, 0, &fd), CSWASM_WASI_ENAMETOOLONG);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P(long_path)), CSWASM_WASI_ENAMETOOLONG);
  char long_name[300];
  memset(long_name, 'n', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  CHECK_ERR(cswasm_wasi_path_open(D, P(long_name), 0, 0, 0, 0, &fd), CSWASM_WASI_ENAMETOOLONG);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P(long_name)), CSWASM_WASI_ENAMETOOLONG);
  // Unknown flags.
  CHECK_ERR(cswasm_wasi_path_open(D, P("file.txt"), 2, 0, 0, 0, &fd), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_open(D, P("file.txt"), 0, 0x10, 0, 0, &fd), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_open(D, P("file.txt"), 0, 0, 0x20, 0, &fd), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_open(D, P("new"), 0, CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_DIRECTORY, 0, 0, &fd),
            CSWASM_WASI_EINVAL);
  // A directory descriptor that is not a directory.
  int file_fd;
  CHECK_OK(open_path(D, "file.txt", 0, 0, CSWASM_WASI_ACCESS_READ, &file_fd));
  cswasm_wasi_dir not_dir = {file_fd, CSWASM_WASI_DIR_MUTABLE | mode_flags};
  CHECK_ERR(cswasm_wasi_path_open(not_dir, P("x"), 0, 0, 0, 0, &fd), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_create_directory(not_dir, P("x")), CSWASM_WASI_ENOTDIR);
  close(file_fd);
  cswasm_wasi_dir bad = {-1, CSWASM_WASI_DIR_MUTABLE | mode_flags};
  CHECK_ERR(cswasm_wasi_path_open(bad, P("x"), 0, 0, 0, 0, &fd), CSWASM_WASI_EBADF);
}

// MARK: positive cases

static void test_inside(void) {
  CHECK(opens_to("file.txt", 0, "hello"));
  CHECK(opens_to("./file.txt", 0, "hello"));
  CHECK(opens_to("sub/nested/deep.txt", 0, "deep"));
  CHECK(opens_to("sub/./nested/../nested/deep.txt", 0, "deep"));
  CHECK(opens_to("sub/nested/../../file.txt", 0, "hello"));
  CHECK(opens_to("sub//nested///deep.txt", 0, "deep"));
  CHECK(opens_to("link_inside", FOLLOW, "hello"));
  CHECK(opens_to("link_dir/nested/deep.txt", 0, "deep"));
  CHECK(opens_to("link_dir/../file.txt", 0, "hello")); // `..` after a link: the link target's parent
  CHECK(opens_to("sub/up1/file.txt", 0, "hello"));     // a link to `..` that stays inside
  CHECK(opens_to("sub/up1/sub/up1/link_inside", FOLLOW, "hello"));
  CHECK(opens_to("ok1", FOLLOW, "deep"));              // a relative chain that stays inside
  CHECK(opens_to("dir/../ok1", FOLLOW, "deep") == false); // no such dir: ENOENT
  EXPECT_OPEN("dir/../ok1", FOLLOW, 0, CSWASM_WASI_ENOENT);
  EXPECT_OPEN(".", 0, 0, 0);
  EXPECT_OPEN("./", 0, CSWASM_WASI_OFLAGS_DIRECTORY, 0);
  EXPECT_OPEN("sub/..", 0, CSWASM_WASI_OFLAGS_DIRECTORY, 0);
  EXPECT_OPEN("sub/nested/../..", 0, CSWASM_WASI_OFLAGS_DIRECTORY, 0);
  EXPECT_OPEN("sub/", 0, 0, 0);
  EXPECT_OPEN("sub///", 0, 0, 0);
  EXPECT_OPEN("link_dir/", 0, 0, 0); // a trailing slash follows
  EXPECT_OPEN("link_dir", FOLLOW, CSWASM_WASI_OFLAGS_DIRECTORY, 0);
  // Errors inside.
  EXPECT_OPEN("missing", 0, 0, CSWASM_WASI_ENOENT);
  EXPECT_OPEN("missing/x", 0, 0, CSWASM_WASI_ENOENT);
  EXPECT_OPEN("file.txt/", 0, 0, CSWASM_WASI_ENOTDIR);
  EXPECT_OPEN("file.txt/x", 0, 0, CSWASM_WASI_ENOTDIR);
  EXPECT_OPEN("file.txt", 0, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_ENOTDIR);
  EXPECT_OPEN("link_inside", 0, 0, CSWASM_WASI_ELOOP);
  EXPECT_OPEN("link_inside/", 0, 0, CSWASM_WASI_ENOTDIR);
  int fd = -1;
  uint16_t got = open_path(D, "link_dir", 0, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_ACCESS_READ, &fd);
  CHECK_ERR2(got, CSWASM_WASI_ENOTDIR, CSWASM_WASI_ELOOP);
  EXPECT_OPEN("dangling", FOLLOW, 0, CSWASM_WASI_ENOENT);
  EXPECT_OPEN("dangling", 0, 0, CSWASM_WASI_ELOOP);
  CHECK_ERR(open_path(D, ".", 0, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_ACCESS_READ | CSWASM_WASI_ACCESS_WRITE, &fd),
            CSWASM_WASI_EISDIR);
  CHECK_ERR(open_path(D, "file.txt", 0, CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_EXCL, CSWASM_WASI_ACCESS_WRITE,
                      &fd),
            CSWASM_WASI_EEXIST);
  // Creating with a trailing slash, or creating `.`: EISDIR, as Linux answers.
  CHECK_ERR(open_path(D, "sub/", 0, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_ACCESS_READ, &fd), CSWASM_WASI_EISDIR);
  CHECK_ERR(open_path(D, "brand_new/", 0, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_ACCESS_READ, &fd), CSWASM_WASI_EISDIR);
  CHECK_ERR(open_path(D, "sub/..", 0, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_ACCESS_READ, &fd), CSWASM_WASI_EISDIR);
  CHECK_ERR(open_path(D, ".", 0, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_ACCESS_READ, &fd), CSWASM_WASI_EISDIR);
  CHECK(!exists("sandbox/brand_new"));
  // Through an O_CREAT with SYMLINK_FOLLOW, a dangling link inside creates its target inside.
  CHECK_OK(cswasm_wasi_path_symlink(P("sub/created_via_link"), D, P("dangle_in")));
  CHECK_OK(open_path(D, "dangle_in", FOLLOW, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_ACCESS_WRITE, &fd));
  close(fd);
  CHECK(exists("sandbox/sub/created_via_link"));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("dangle_in")));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("sub/created_via_link")));
  // CREAT, TRUNC, fdflags.
  CHECK_OK(cswasm_wasi_path_open(D, P("sub/new.txt"), 0, CSWASM_WASI_OFLAGS_CREAT, CSWASM_WASI_FDFLAGS_APPEND,
                                 CSWASM_WASI_ACCESS_READ | CSWASM_WASI_ACCESS_WRITE, &fd));
  uint8_t type = 0;
  uint16_t flags = 0;
  CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_REGULAR_FILE);
  CHECK(flags == CSWASM_WASI_FDFLAGS_APPEND); // NONBLOCK used for the open was cleared
  CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  cswasm_wasi_ciovec out = {"abc", 3};
  size_t n = 0;
  CHECK_OK(cswasm_wasi_fd_write(fd, &out, 1, false, &n));
  close(fd);
  CHECK(content_is("sandbox/sub/new.txt", "abc"));
  CHECK_OK(cswasm_wasi_path_open(D, P("sub/new.txt"), 0, CSWASM_WASI_OFLAGS_TRUNC, CSWASM_WASI_FDFLAGS_NONBLOCK,
                                 CSWASM_WASI_ACCESS_WRITE, &fd));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
  CHECK(flags == CSWASM_WASI_FDFLAGS_NONBLOCK);
  close(fd);
  CHECK(content_is("sandbox/sub/new.txt", ""));
  CHECK_OK(cswasm_wasi_path_open(D, P("sub/new.txt"), 0, 0, CSWASM_WASI_FDFLAGS_SYNC, CSWASM_WASI_ACCESS_WRITE, &fd));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
  CHECK((flags & CSWASM_WASI_FDFLAGS_SYNC) && (flags & CSWASM_WASI_FDFLAGS_DSYNC));
  close(fd);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("sub/new.txt")));
  // Permissions still apply inside (root bypasses them).
  if (geteuid() != 0) {
    CHECK_OK(cswasm_wasi_path_create_directory(D, P("locked")));
    CHECK_OK(cswasm_wasi_path_create_directory(D, P("locked/inner")));
    char locked[PATH_MAX];
    at(locked, "sandbox/locked");
    chmod(locked, 0);
    EXPECT_OPEN("locked/inner", 0, 0, CSWASM_WASI_EACCES);
    CHECK_ERR(cswasm_wasi_path_create_directory(D, P("locked/x")), CSWASM_WASI_EACCES);
    chmod(locked, 0755);
    CHECK_OK(cswasm_wasi_path_remove_directory(D, P("locked/inner")));
    CHECK_OK(cswasm_wasi_path_remove_directory(D, P("locked")));
  }
  // Opening a FIFO does not block.
  char fifo[PATH_MAX];
  at(fifo, "sandbox/fifo");
  if (mkfifo(fifo, 0666) == 0) {
    CHECK_OK(open_path(D, "fifo", 0, 0, CSWASM_WASI_ACCESS_READ, &fd));
    CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
    CHECK(type == CSWASM_WASI_FILETYPE_UNKNOWN && flags == 0);
    close(fd);
    CHECK_OK(cswasm_wasi_path_unlink_file(D, P("fifo")));
  }
}

static void test_directory_operations(void) {
  cswasm_wasi_filestat stat;
  // create / remove, with the trailing-slash answers of the WASI test suite.
  CHECK_OK(cswasm_wasi_path_create_directory(D, P("d")));
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("d")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P(".")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("sub/..")), CSWASM_WASI_EEXIST);
  CHECK_OK(cswasm_wasi_path_create_directory(D, P("d/e/")));
  CHECK_ERR(cswasm_wasi_path_create_directory(D, P("missing/e")), CSWASM_WASI_ENOENT);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("d")), CSWASM_WASI_ENOTEMPTY);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("d/e")), CSWASM_WASI_EISDIR);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("d/e/")), CSWASM_WASI_EISDIR);
  CHECK_OK(cswasm_wasi_path_remove_directory(D, P("d/e/")));
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P(".")), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("file.txt")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("file.txt/")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_remove_directory(D, P("link_dir")), CSWASM_WASI_ENOTDIR); // not followed
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("file.txt/")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("missing")), CSWASM_WASI_ENOENT);
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P(".")), CSWASM_WASI_EISDIR);
  CHECK(exists("sandbox/sub/nested/deep.txt")); // unlinking `link_dir/` must not follow
  CHECK_ERR(cswasm_wasi_path_unlink_file(D, P("link_dir/")), CSWASM_WASI_ENOTDIR);
  CHECK(exists("sandbox/link_dir"));

  // rename, trailing slashes as in the WASI test suite.
  CHECK_OK(cswasm_wasi_path_rename(D, P("d"), D, P("target")));
  CHECK_OK(cswasm_wasi_path_rename(D, P("target/"), D, P("d")));
  CHECK_OK(cswasm_wasi_path_rename(D, P("d"), D, P("target/")));
  CHECK_OK(cswasm_wasi_path_rename(D, P("target/"), D, P("d/")));
  CHECK_OK(cswasm_wasi_path_create_directory(D, P("other")));
  int fd;
  CHECK_OK(cswasm_wasi_path_open(D, P("other/f"), 0, CSWASM_WASI_OFLAGS_CREAT, 0, CSWASM_WASI_ACCESS_WRITE, &fd));
  close(fd);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("d"), D, P("other")), CSWASM_WASI_ENOTEMPTY);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("d"), D, P("other/f")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("other/f"), D, P("d")), CSWASM_WASI_EISDIR);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("other/f/"), D, P("g")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("other/f"), D, P("g/")), CSWASM_WASI_ENOTDIR);
  CHECK_OK(cswasm_wasi_path_rename(D, P("other/f"), D, P("d/f")));
  CHECK_OK(cswasm_wasi_path_rename(D, P("d/f"), D, P("sub/nested/../f"))); // `..` inside
  CHECK(exists("sandbox/sub/f"));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("sub/f")));
  CHECK_OK(cswasm_wasi_path_remove_directory(D, P("other")));

  // symlink, trailing slashes as in the WASI test suite.
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P("target/")), CSWASM_WASI_ENOENT);
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P("d/")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P("d")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P("file.txt/")), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P("file.txt")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_symlink(P("source"), D, P(".")), CSWASM_WASI_EEXIST);
  CHECK_OK(cswasm_wasi_path_symlink(P("../file.txt"), D, P("d/up_link")));
  CHECK(opens_to("d/up_link", FOLLOW, "hello"));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, FOLLOW, P("d/up_link"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_REGULAR_FILE && stat.size == 5);

  // link, as in the WASI test suite.
  CHECK_OK(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("d/hard")));
  CHECK(opens_to("d/hard", 0, "hello"));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("file.txt"), &stat));
  CHECK(stat.nlink == 2);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("d/hard")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("file.txt")), CSWASM_WASI_EEXIST);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("sub")), CSWASM_WASI_EEXIST);
  CHECK_ERR2(cswasm_wasi_path_link(D, 0, P("sub"), D, P("sub_link")), CSWASM_WASI_EPERM, CSWASM_WASI_EACCES);
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("newlink/")), CSWASM_WASI_ENOENT);
  CHECK_OK(cswasm_wasi_path_link(D, 0, P("dangling"), D, P("d/dangling_copy"))); // the link itself
  CHECK_OK(cswasm_wasi_path_link(D, 0, P("loop1"), D, P("d/loop_copy")));
  CHECK_ERR(cswasm_wasi_path_link(D, 0, P("file.txt"), D, P("dangling")), CSWASM_WASI_EEXIST);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("d/dangling_copy")));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("d/loop_copy")));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("d/hard")));
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("d/up_link")));

  // readlink: whole and truncated; not a link.
  uint8_t buf[10];
  memset(buf, 0, sizeof buf);
  size_t used = 99;
  CHECK_OK(cswasm_wasi_path_readlink(D, P("link_inside"), buf, sizeof buf, &used));
  CHECK(used == 8 && memcmp(buf, "file.txt", 8) == 0 && buf[8] == 0 && buf[9] == 0);
  CHECK_OK(cswasm_wasi_path_readlink(D, P("link_inside"), buf, 4, &used));
  CHECK(used == 4 && memcmp(buf, "file", 4) == 0);
  CHECK_OK(cswasm_wasi_path_readlink(D, P("link_inside"), buf, 0, &used));
  CHECK(used == 0);
  CHECK_ERR(cswasm_wasi_path_readlink(D, P("file.txt"), buf, sizeof buf, &used), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_readlink(D, P("link_dir/"), buf, sizeof buf, &used), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_readlink(D, P("."), buf, sizeof buf, &used), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_path_readlink(D, P("sub/up2"), buf, sizeof buf, &used)); // reading is harmless
  CHECK(used == 6 && memcmp(buf, "../../", 6) == 0);
  CHECK_OK(cswasm_wasi_path_remove_directory(D, P("d")));
}

// MARK: read-only directories

static void test_read_only(void) {
  int fd = -1;
  const uint32_t W = CSWASM_WASI_ACCESS_WRITE, R = CSWASM_WASI_ACCESS_READ;
  CHECK_ERR(cswasm_wasi_path_open(RO, P("file.txt"), 0, 0, 0, W, &fd), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(RO, P("file.txt"), 0, 0, 0, R | W, &fd), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(RO, P("new"), 0, CSWASM_WASI_OFLAGS_CREAT, 0, R, &fd), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(RO, P("file.txt"), 0, CSWASM_WASI_OFLAGS_TRUNC, 0, R, &fd), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_create_directory(RO, P("newdir")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_remove_directory(RO, P("sub/nested")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_unlink_file(RO, P("file.txt")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(RO, P("file.txt"), RO, P("renamed")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(RO, P("file.txt"), D, P("renamed")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_rename(D, P("file.txt"), RO, P("renamed")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_symlink(P("file.txt"), RO, P("l")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(RO, 0, P("file.txt"), RO, P("h")), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_link(RO, 0, P("file.txt"), D, P("h")), CSWASM_WASI_EPERM); // would allow writes
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(RO, 0, P("file.txt"), 0, 0, CSWASM_WASI_FSTFLAGS_MTIM_NOW),
            CSWASM_WASI_EPERM);
  CHECK(content_is("sandbox/file.txt", "hello") && !exists("sandbox/newdir") && !exists("sandbox/renamed") &&
        !exists("sandbox/h") && !exists("sandbox/l"));
  // Reading still works, and a file opened through it refuses writes and truncation.
  CHECK_OK(cswasm_wasi_path_open(RO, P("file.txt"), 0, 0, 0, R, &fd));
  cswasm_wasi_ciovec out = {"x", 1};
  size_t n;
  CHECK_ERR(cswasm_wasi_fd_write(fd, &out, 1, false, &n), CSWASM_WASI_EBADF);
  CHECK_ERR2(cswasm_wasi_fd_filestat_set_size(fd, 0), CSWASM_WASI_EINVAL, CSWASM_WASI_EBADF);
  close(fd);
  cswasm_wasi_filestat stat;
  CHECK_OK(cswasm_wasi_path_filestat_get(RO, FOLLOW, P("link_inside"), &stat));
  uint8_t buf[16];
  CHECK_OK(cswasm_wasi_path_readlink(RO, P("link_inside"), buf, sizeof buf, &n));
  // The sandbox holds for read-only directories too.
  CHECK_ERR(cswasm_wasi_path_open(RO, P("../outside_secret"), 0, 0, 0, R, &fd), CSWASM_WASI_EPERM);
  CHECK_ERR(cswasm_wasi_path_open(RO, P("link_secret_rel"), FOLLOW, 0, 0, R, &fd), CSWASM_WASI_EPERM);
}

// MARK: openat2 refused

/// In a child whose seccomp filter makes openat2 fail with `error` (ENOSYS: an old kernel; EPERM:
/// sandboxes such as systemd's that refuse unknown system calls), the default mode must fall back
/// to the walk and still refuse every escape.
static void test_openat2_refused(int error) {
  fflush(NULL);
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 437 /* openat2 */, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)error & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {(unsigned short)(sizeof filter / sizeof filter[0]), filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
      _exit(77); // no seccomp here: nothing to test
    failures = 0;
    mode_name = error == ENOSYS ? "openat2 ENOSYS" : "openat2 EPERM";
    for (int round = 0; round < 2; round++) { // the second round after ENOSYS was remembered
      EXPECT_OPEN("../outside_secret", 0, 0, CSWASM_WASI_EPERM);
      EXPECT_OPEN("link_secret_rel", FOLLOW, 0, CSWASM_WASI_EPERM);
      EXPECT_OPEN("link_dotdot/outside_secret", 0, 0, CSWASM_WASI_EPERM);
      EXPECT_OPEN("chain1", FOLLOW, 0, CSWASM_WASI_EPERM);
      EXPECT_OPEN("loop1", FOLLOW, 0, CSWASM_WASI_ELOOP);
      CHECK(opens_to("sub/up1/link_dir/nested/deep.txt", 0, "deep"));
      CHECK(opens_to("ok1", FOLLOW, "deep"));
      cswasm_wasi_filestat stat;
      CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("link_etc"), &stat), CSWASM_WASI_EPERM);
      CHECK_ERR(cswasm_wasi_path_rename(D, P("file.txt"), D, P("sub/up2/moved")), CSWASM_WASI_EPERM);
    }
    _exit(failures == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  checks++;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    printf("  [%s] seccomp unavailable: openat2 refusal (%s) not tested\n", mode_name, strerror(error));
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    failures++;
    fprintf(stderr, "[%s] with openat2 refused (%s): the child failed (status %d)\n", mode_name, strerror(error),
            status);
  }
}

// MARK: races

typedef struct race {
  volatile int stop;
  int kind;
} race;

static void *swap_links(void *argument) {
  race *r = argument;
  char tmp[PATH_MAX], name[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s/race.tmp", sandbox);
  snprintf(name, sizeof name, "%s/race", sandbox);
  for (unsigned i = 0; !r->stop; i++) {
    unlink(tmp);
    // Alternately a link that stays inside and one that leads outside (relative or absolute).
    const char *target = (i & 1) ? "sub" : (i & 2) ? ".." : top;
    if (symlink(target, tmp) == 0) rename(tmp, name);
  }
  return NULL;
}

static void *move_directory(void *argument) {
  race *r = argument;
  char inside[PATH_MAX], outside[PATH_MAX];
  if (r->kind == 0) {
    snprintf(inside, sizeof inside, "%s/mv", sandbox);
    snprintf(outside, sizeof outside, "%s/mv_out", top);
  } else {
    // The 18th directory of the deep chain, moved to the top (outside) and back.
    snprintf(inside, sizeof inside, "%s/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17", sandbox);
    snprintf(outside, sizeof outside, "%s/d17", top);
  }
  while (!r->stop) {
    rename(inside, outside);
    rename(outside, inside);
  }
  return NULL;
}

static void test_races(int iterations) {
  // A link swapped between inside and outside targets while it is resolved: never outside.
  race r = {0, 0};
  pthread_t thread;
  if (pthread_create(&thread, NULL, swap_links, &r) != 0) die("pthread_create");
  int inside = 0, refused = 0, leaked = 0;
  for (int i = 0; i < iterations; i++) {
    int fd;
    uint16_t got = open_path(D, "race/outside_secret", 0, 0, CSWASM_WASI_ACCESS_READ, &fd);
    if (got == 0) {
      leaked++;
      close(fd);
    } else if (got == CSWASM_WASI_EPERM) {
      refused++;
    } else {
      inside++;
    }
    got = open_path(D, "race/nested/deep.txt", 0, 0, CSWASM_WASI_ACCESS_READ, &fd);
    if (got == 0) close(fd);
  }
  r.stop = 1;
  pthread_join(thread, NULL);
  CHECK(leaked == 0);
  printf("  [%s] swapped links: %d refused, %d not found inside, %d escapes\n", mode_name, refused, inside, leaked);
  char race_path[PATH_MAX];
  snprintf(race_path, sizeof race_path, "%s/race", sandbox);
  unlink(race_path);
  snprintf(race_path, sizeof race_path, "%s/race.tmp", sandbox);
  unlink(race_path);

  // A directory moved out of the sandbox and back while a path goes down into it and climbs
  // back up with `..`: always the sandbox's file.txt (or not found), never the one outside.
  make_dir("sandbox/mv");
  make_dir("sandbox/mv/inner");
  make_dir("sandbox/deep");
  char chain[PATH_MAX] = "sandbox/deep";
  for (int i = 1; i <= 20; i++) {
    snprintf(chain + strlen(chain), sizeof chain - strlen(chain), "/d%d", i);
    make_dir(chain);
  }
  char deep_path[PATH_MAX] = "deep";
  for (int i = 1; i <= 20; i++) snprintf(deep_path + strlen(deep_path), sizeof deep_path - strlen(deep_path), "/d%d", i);
  // Climbing 4 levels from d20 ends in d16 (its file.txt is "hello" too): if d17 is moved out
  // meanwhile, the walk's `..` from it must not be answered by the kernel's new parent.
  char climb_path[PATH_MAX];
  strcpy(climb_path, deep_path);
  strcat(climb_path, "/../../../../file.txt");
  snprintf(chain, sizeof chain, "sandbox/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/file.txt");
  make_file(chain, "hello");
  for (int i = 0; i <= 20; i++) strcat(deep_path, "/..");
  strcat(deep_path, "/file.txt");
  CHECK(opens_to(deep_path, 0, "hello"));
  CHECK(opens_to(climb_path, 0, "hello"));
  for (int kind = 0; kind < 3; kind++) {
    race m = {0, kind == 0 ? 0 : 1};
    if (pthread_create(&thread, NULL, move_directory, &m) != 0) die("pthread_create");
    int good = 0, other = 0, escaped = 0;
    for (int i = 0; i < iterations; i++) {
      int fd;
      const char *path = kind == 0 ? "mv/inner/../../file.txt" : kind == 1 ? deep_path : climb_path;
      if (open_path(D, path, 0, 0, CSWASM_WASI_ACCESS_READ, &fd) == 0) {
        char data[256];
        read_all(fd, data);
        close(fd);
        if (strcmp(data, "hello") == 0) good++;
        else escaped++;
      } else {
        other++;
      }
    }
    m.stop = 1;
    pthread_join(thread, NULL);
    CHECK(escaped == 0);
    printf("  [%s] moved directory (%s): %d inside, %d refused or not found, %d escapes\n", mode_name,
           kind == 0 ? "shallow" : kind == 1 ? "depth 18, back to the top" : "depth 18, climbing out of it", good,
           other, escaped);
  }
  CHECK(opens_to(deep_path, 0, "hello"));
}

// MARK: readdir

typedef struct entry {
  uint64_t next, ino;
  uint32_t namlen;
  uint8_t type;
  char name[256];
} entry;

static uint64_t get_u64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

/// Parses the whole entries of a readdir buffer; returns how many.
static int parse_entries(const uint8_t *buf, size_t used, entry *out, int max) {
  int n = 0;
  size_t at = 0;
  while (at + CSWASM_WASI_DIRENT_SIZE <= used && n < max) {
    entry *e = &out[n];
    e->next = get_u64(buf + at);
    e->ino = get_u64(buf + at + 8);
    e->namlen = (uint32_t)buf[at + 16] | (uint32_t)buf[at + 17] << 8 | (uint32_t)buf[at + 18] << 16 |
                (uint32_t)buf[at + 19] << 24;
    e->type = buf[at + 20];
    if (buf[at + 21] || buf[at + 22] || buf[at + 23]) return -1; // padding must be zero
    if (e->namlen > 255 || at + CSWASM_WASI_DIRENT_SIZE + e->namlen > used) break;
    memcpy(e->name, buf + at + CSWASM_WASI_DIRENT_SIZE, e->namlen);
    e->name[e->namlen] = '\0';
    at += CSWASM_WASI_DIRENT_SIZE + e->namlen;
    n++;
  }
  return n;
}

enum { FILES = 60, MAX_ENTRIES = FILES + 8 };

static int find(const entry *entries, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(entries[i].name, name) == 0) return i;
  return -1;
}

static void test_readdir(void) {
  make_dir("sandbox/rd");
  char name[64], relative[96];
  for (int i = 0; i < FILES; i++) {
    // Names of different lengths, so that entries fall at every position of small buffers.
    int len = snprintf(name, sizeof name, "f%d_", i);
    for (int k = 0; k < i % 23; k++) name[len++] = (char)('a' + k);
    name[len] = '\0';
    snprintf(relative, sizeof relative, "sandbox/rd/%s", name);
    if (i == 7) make_dir(relative);
    else if (i == 8) make_link("f0_", relative);
    else make_file(relative, "x");
  }
  int dir;
  CHECK_OK(open_path(D, "rd", 0, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_ACCESS_READ, &dir));
  static uint8_t big[65536];
  size_t used = 0;
  CHECK_OK(cswasm_wasi_fd_readdir(dir, big, sizeof big, 0, &used));
  CHECK(used < sizeof big);
  static entry all[MAX_ENTRIES];
  int count = parse_entries(big, used, all, MAX_ENTRIES);
  CHECK(count == FILES + 2);
  int dot = find(all, count, "."), dotdot = find(all, count, "..");
  CHECK(dot >= 0 && dotdot >= 0);
  cswasm_wasi_filestat stat;
  CHECK_OK(cswasm_wasi_fd_filestat_get(dir, &stat));
  if (dot >= 0) CHECK(all[dot].ino == stat.ino && all[dot].type == CSWASM_WASI_FILETYPE_DIRECTORY);
  if (dotdot >= 0) CHECK(all[dotdot].type == CSWASM_WASI_FILETYPE_DIRECTORY);
  int f0 = find(all, count, "f0_"), f7 = find(all, count, "f7_abcdefg"), f8 = find(all, count, "f8_abcdefgh");
  CHECK(f0 >= 0 && f7 >= 0 && f8 >= 0);
  if (f0 >= 0) {
    CHECK(all[f0].type == CSWASM_WASI_FILETYPE_REGULAR_FILE);
    CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("rd/f0_"), &stat));
    CHECK(all[f0].ino == stat.ino);
  }
  if (f7 >= 0) CHECK(all[f7].type == CSWASM_WASI_FILETYPE_DIRECTORY);
  if (f8 >= 0) CHECK(all[f8].type == CSWASM_WASI_FILETYPE_SYMBOLIC_LINK);
  for (int i = 0; i < FILES; i++) {
    int len = snprintf(name, sizeof name, "f%d_", i);
    for (int k = 0; k < i % 23; k++) name[len++] = (char)('a' + k);
    name[len] = '\0';
    CHECK(find(all, count, name) >= 0);
  }

  // Resuming from every entry's cookie gives exactly the entries after it.
  static uint8_t rest[65536];
  static entry after[MAX_ENTRIES];
  int bad_resumes = 0;
  for (int i = 0; i < count; i++) {
    size_t rest_used = 0;
    if (cswasm_wasi_fd_readdir(dir, rest, sizeof rest, all[i].next, &rest_used) != 0) {
      bad_resumes++;
      continue;
    }
    int m = parse_entries(rest, rest_used, after, MAX_ENTRIES);
    if (m != count - i - 1) {
      bad_resumes++;
      continue;
    }
    for (int k = 0; k < m; k++)
      if (strcmp(after[k].name, all[i + 1 + k].name) != 0 || after[k].next != all[i + 1 + k].next) bad_resumes++;
  }
  CHECK(bad_resumes == 0);
  // The last entry's cookie is the end.
  size_t end_used = 99;
  CHECK_OK(cswasm_wasi_fd_readdir(dir, rest, sizeof rest, all[count - 1].next, &end_used));
  CHECK(end_used == 0);
  // A zero-length buffer gets nothing.
  CHECK_OK(cswasm_wasi_fd_readdir(dir, rest, 0, 0, &end_used));
  CHECK(end_used == 0);

  // Small buffers, read the WASI way: a full buffer means "more"; resume from the last whole entry.
  int bad_sizes = 0;
  for (size_t size = 1; size <= 300; size++) {
    static uint8_t small[300];
    static entry got[MAX_ENTRIES];
    int total = 0;
    uint64_t cookie = 0;
    bool ok = true;
    for (int round = 0; round < 1000 && ok; round++) {
      size_t n = 0;
      memset(small, 0xAA, sizeof small);
      if (cswasm_wasi_fd_readdir(dir, small, size, cookie, &n) != 0 || n > size) {
        ok = false;
        break;
      }
      // Whatever was written (whole or cut) is a prefix of the serialized listing.
      entry part[MAX_ENTRIES];
      int m = parse_entries(small, n, part, MAX_ENTRIES);
      if (m < 0 || total + m > MAX_ENTRIES) {
        ok = false;
        break;
      }
      for (int k = 0; k < m; k++) got[total + k] = part[k];
      total += m;
      if (n < size) break; // the end
      if (m == 0) {
        // Not even one entry fits this size: it must be cut, and the bytes must be the header's.
        if (size >= CSWASM_WASI_DIRENT_SIZE + 255) ok = false;
        total = -1;
        break;
      }
      cookie = part[m - 1].next;
    }
    if (total == -1) continue; // too small for some entry: a client can never get past it
    if (!ok || total != count) {
      bad_sizes++;
      continue;
    }
    for (int k = 0; k < total; k++)
      if (strcmp(got[k].name, all[k].name) != 0) bad_sizes++;
  }
  CHECK(bad_sizes == 0);
  // The exact cut: one entry and 5 bytes of the next header fill the buffer.
  size_t first_size = CSWASM_WASI_DIRENT_SIZE + all[0].namlen;
  uint8_t cut[CSWASM_WASI_DIRENT_SIZE + 300];
  size_t cut_used = 0;
  CHECK_OK(cswasm_wasi_fd_readdir(dir, cut, first_size + 5, 0, &cut_used));
  CHECK(cut_used == first_size + 5);
  CHECK(memcmp(cut, big, first_size + 5) == 0);

  // Cookies count entries (as wasmtime's): `.` and `..` come first, the cookie of the entry at
  // position k is k + 1, and a cookie past the end reads nothing.
  CHECK(count >= 2 && strcmp(all[0].name, ".") == 0 && strcmp(all[1].name, "..") == 0);
  int numbered = 1;
  for (int i = 0; i < count; i++)
    if (all[i].next != (uint64_t)i + 1) numbered = 0;
  CHECK(numbered);
  size_t later_used = 1;
  CHECK_OK(cswasm_wasi_fd_readdir(dir, rest, sizeof rest, (uint64_t)1 << 63, &later_used));
  CHECK(later_used == 0);
  int file_fd;
  CHECK_OK(open_path(D, "file.txt", 0, 0, CSWASM_WASI_ACCESS_READ, &file_fd));
  CHECK_ERR(cswasm_wasi_fd_readdir(file_fd, rest, sizeof rest, 0, &later_used), CSWASM_WASI_ENOTDIR);
  close(file_fd);
  close(dir);
}

// MARK: status, times, I/O

static void test_files(void) {
  int fd;
  CHECK_OK(cswasm_wasi_path_open(D, P("io.bin"), 0, CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_EXCL, 0,
                                 CSWASM_WASI_ACCESS_READ | CSWASM_WASI_ACCESS_WRITE, &fd));
  cswasm_wasi_ciovec out[3] = {{"abc", 3}, {"", 0}, {"defg", 4}};
  size_t n = 0;
  CHECK_OK(cswasm_wasi_fd_write(fd, out, 3, false, &n));
  CHECK(n == 7);
  uint64_t position = 99;
  CHECK_OK(cswasm_wasi_fd_seek(fd, 0, CSWASM_WASI_WHENCE_CUR, &position));
  CHECK(position == 7);
  CHECK_OK(cswasm_wasi_fd_seek(fd, 0, CSWASM_WASI_WHENCE_SET, &position));
  char a[2], b[10];
  cswasm_wasi_iovec in[2] = {{a, 2}, {b, 10}};
  CHECK_OK(cswasm_wasi_fd_read(fd, in, 2, &n));
  CHECK(n == 7 && memcmp(a, "ab", 2) == 0 && memcmp(b, "cdefg", 5) == 0);
  CHECK_OK(cswasm_wasi_fd_read(fd, in, 2, &n));
  CHECK(n == 0); // end of file
  CHECK_OK(cswasm_wasi_fd_pread(fd, in, 2, 3, &n));
  CHECK(n == 4 && memcmp(a, "de", 2) == 0 && memcmp(b, "fg", 2) == 0);
  CHECK_OK(cswasm_wasi_fd_seek(fd, 0, CSWASM_WASI_WHENCE_CUR, &position));
  CHECK(position == 7); // pread does not move the offset
  cswasm_wasi_ciovec tail = {"XYZ", 3};
  CHECK_OK(cswasm_wasi_fd_pwrite(fd, &tail, 1, 10, &n));
  CHECK(n == 3);
  CHECK_OK(cswasm_wasi_fd_seek(fd, -1, CSWASM_WASI_WHENCE_END, &position));
  CHECK(position == 12);
  CHECK_ERR(cswasm_wasi_fd_seek(fd, -100, CSWASM_WASI_WHENCE_CUR, &position), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_seek(fd, 0, 3, &position), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_pread(fd, in, 1, (uint64_t)1 << 63, &n), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_pwrite(fd, &tail, 1, (uint64_t)1 << 63, &n), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_fd_sync(fd));
  CHECK_OK(cswasm_wasi_fd_datasync(fd));

  // filestat
  cswasm_wasi_filestat stat;
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &stat));
  struct stat host;
  fstat(fd, &host);
  CHECK(stat.size == 13 && stat.filetype == CSWASM_WASI_FILETYPE_REGULAR_FILE && stat.nlink == 1);
  CHECK(stat.ino == host.st_ino && stat.dev == host.st_dev);
  CHECK(stat.mtim == (uint64_t)host.st_mtim.tv_sec * 1000000000u + (uint64_t)host.st_mtim.tv_nsec);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("io.bin"), &stat));
  CHECK(stat.size == 13 && stat.ino == host.st_ino);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("sub"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_DIRECTORY);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("sub/"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_DIRECTORY);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("link_dir/"), &stat)); // a trailing slash follows
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_DIRECTORY);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("link_dir"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, FOLLOW, P("link_dir"), &stat));
  CHECK(stat.filetype == CSWASM_WASI_FILETYPE_DIRECTORY);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 0, P("file.txt/"), &stat), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("loop1"), &stat), CSWASM_WASI_ELOOP);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, FOLLOW, P("dangling"), &stat), CSWASM_WASI_ENOENT);
  CHECK_ERR(cswasm_wasi_path_filestat_get(D, 2, P("file.txt"), &stat), CSWASM_WASI_EINVAL);
  cswasm_wasi_filestat sandbox_stat, via_dotdot;
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("."), &sandbox_stat));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("sub/nested/../.."), &via_dotdot));
  CHECK(sandbox_stat.ino == via_dotdot.ino && sandbox_stat.filetype == CSWASM_WASI_FILETYPE_DIRECTORY);

  // set_times: conflicting and unknown flags change nothing.
  const uint16_t ATIM = CSWASM_WASI_FSTFLAGS_ATIM, ATIM_NOW = CSWASM_WASI_FSTFLAGS_ATIM_NOW,
                 MTIM = CSWASM_WASI_FSTFLAGS_MTIM, MTIM_NOW = CSWASM_WASI_FSTFLAGS_MTIM_NOW;
  CHECK_ERR(cswasm_wasi_fd_filestat_set_times(fd, 100, 200, MTIM | MTIM_NOW), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_filestat_set_times(fd, 100, 200, ATIM | ATIM_NOW), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_filestat_set_times(fd, 100, 200, 0x10), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, 0, P("io.bin"), 0, 5, MTIM | MTIM_NOW), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_path_filestat_set_times(D, 0, P("io.bin"), 5, 0, ATIM | ATIM_NOW), CSWASM_WASI_EINVAL);
  cswasm_wasi_filestat after;
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &after));
  CHECK(after.mtim == (uint64_t)host.st_mtim.tv_sec * 1000000000u + (uint64_t)host.st_mtim.tv_nsec &&
        after.atim == (uint64_t)host.st_atim.tv_sec * 1000000000u + (uint64_t)host.st_atim.tv_nsec); // untouched
  CHECK_OK(cswasm_wasi_fd_filestat_set_times(fd, 1234567890123456789u, 987654321000000001u, ATIM | MTIM));
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &after));
  CHECK(after.atim == 1234567890123456789u && after.mtim == 987654321000000001u);
  CHECK_OK(cswasm_wasi_fd_filestat_set_times(fd, 0, 5000000000u, MTIM)); // atime left alone
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &after));
  CHECK(after.atim == 1234567890123456789u && after.mtim == 5000000000u);
  uint64_t now = 0;
  CHECK_OK(cswasm_wasi_clock_time_get(CSWASM_WASI_CLOCK_REALTIME, 0, &now));
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, 0, P("io.bin"), 0, 0, ATIM_NOW | MTIM_NOW));
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &after));
  CHECK(after.atim + 5000000000u >= now && after.mtim + 5000000000u >= now);
  // Following and not following a link; through an O_PATH resolution; on directories.
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, FOLLOW, P("link_inside"), 0, 7000000000u, MTIM));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("file.txt"), &after));
  CHECK(after.mtim == 7000000000u);
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, 0, P("link_inside"), 0, 8000000000u, MTIM));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("file.txt"), &after));
  CHECK(after.mtim == 7000000000u);
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("link_inside"), &after));
  CHECK(after.mtim == 8000000000u);
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, 0, P("sub/"), 0, 9000000000u, MTIM));
  CHECK_OK(cswasm_wasi_path_filestat_set_times(D, 0, P("sub/nested/.."), 0, 9000000000u, MTIM));
  CHECK_OK(cswasm_wasi_path_filestat_get(D, 0, P("sub"), &after));
  CHECK(after.mtim == 9000000000u);

  // size, advise, flags
  CHECK_OK(cswasm_wasi_fd_filestat_set_size(fd, 3));
  CHECK_OK(cswasm_wasi_fd_filestat_get(fd, &after));
  CHECK(after.size == 3);
  CHECK_ERR(cswasm_wasi_fd_filestat_set_size(fd, (uint64_t)1 << 63), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_fd_advise(fd, 10, 50, CSWASM_WASI_ADVICE_NORMAL));
  CHECK_OK(cswasm_wasi_fd_advise(fd, 0, 0, CSWASM_WASI_ADVICE_DONTNEED));
  CHECK_ERR(cswasm_wasi_fd_advise(fd, 0, 0, 6), CSWASM_WASI_EINVAL);
  uint8_t type;
  uint16_t flags;
  CHECK_OK(cswasm_wasi_fd_fdstat_set_flags(fd, CSWASM_WASI_FDFLAGS_APPEND));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
  CHECK(flags == CSWASM_WASI_FDFLAGS_APPEND);
  CHECK_OK(cswasm_wasi_fd_seek(fd, 0, CSWASM_WASI_WHENCE_SET, &position));
  CHECK_OK(cswasm_wasi_fd_write(fd, &tail, 1, false, &n));
  CHECK_OK(cswasm_wasi_fd_seek(fd, 0, CSWASM_WASI_WHENCE_CUR, &position));
  CHECK(position == 6u); // appended
  CHECK_ERR(cswasm_wasi_fd_fdstat_set_flags(fd, CSWASM_WASI_FDFLAGS_DSYNC), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_fdstat_set_flags(fd, CSWASM_WASI_FDFLAGS_SYNC), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_fd_fdstat_set_flags(fd, 0x40), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_fd_fdstat_set_flags(fd, CSWASM_WASI_FDFLAGS_NONBLOCK));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(fd, &type, &flags));
  CHECK(flags == CSWASM_WASI_FDFLAGS_NONBLOCK && type == CSWASM_WASI_FILETYPE_REGULAR_FILE);
  CHECK_OK(cswasm_wasi_fd_fdstat_set_flags(fd, 0));
  uint64_t available = 0;
  CHECK_OK(cswasm_wasi_fd_seek(fd, 1, CSWASM_WASI_WHENCE_SET, &position));
  CHECK_OK(cswasm_wasi_fd_nread(fd, &available));
  CHECK(available == 5u);
  // Directories: their file type, and reading one.
  int dir;
  CHECK_OK(open_path(D, "sub", 0, CSWASM_WASI_OFLAGS_DIRECTORY, CSWASM_WASI_ACCESS_READ, &dir));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(dir, &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_DIRECTORY);
  CHECK_ERR(cswasm_wasi_fd_read(dir, in, 1, &n), CSWASM_WASI_EISDIR);
  // The directory's own times through its descriptor.
  CHECK_OK(cswasm_wasi_fd_filestat_set_times(dir, 0, 11000000000u, MTIM));
  CHECK_OK(cswasm_wasi_fd_filestat_get(dir, &after));
  CHECK(after.mtim == 11000000000u);
  close(dir);
  CHECK_OK(cswasm_wasi_fd_close(fd));
  CHECK_ERR(cswasm_wasi_fd_close(fd), CSWASM_WASI_EBADF);
  CHECK_ERR(cswasm_wasi_fd_filestat_get(-1, &after), CSWASM_WASI_EBADF);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("io.bin")));
  // Many iovecs (more than IOV_MAX): a short but successful transfer.
  static cswasm_wasi_ciovec many[2000];
  for (int i = 0; i < 2000; i++) many[i] = (cswasm_wasi_ciovec){"z", 1};
  CHECK_OK(cswasm_wasi_path_open(D, P("many"), 0, CSWASM_WASI_OFLAGS_CREAT, 0, CSWASM_WASI_ACCESS_WRITE, &fd));
  CHECK_OK(cswasm_wasi_fd_write(fd, many, 2000, false, &n));
  CHECK(n == 1024);
  close(fd);
  CHECK_OK(cswasm_wasi_path_unlink_file(D, P("many")));
}

// MARK: mode-independent parts

static void test_errno_table(void) {
  mode_name = "errno";
  CHECK(cswasm_wasi_errno_from_host(0) == CSWASM_WASI_ESUCCESS);
  CHECK(cswasm_wasi_errno_from_host(-1) == CSWASM_WASI_EIO);
  CHECK(cswasm_wasi_errno_from_host(4096) == CSWASM_WASI_EIO);
  CHECK(cswasm_wasi_errno_from_host(ENOENT) == CSWASM_WASI_ENOENT);
  CHECK(cswasm_wasi_errno_from_host(EXDEV) == CSWASM_WASI_EXDEV);
  CHECK(cswasm_wasi_errno_from_host(EWOULDBLOCK) == CSWASM_WASI_EAGAIN);
  CHECK(cswasm_wasi_errno_from_host(EOPNOTSUPP) == CSWASM_WASI_ENOTSUP);
  CHECK(cswasm_wasi_errno_from_host(ENOTSUP) == CSWASM_WASI_ENOTSUP);
  CHECK(cswasm_wasi_errno_from_host(EDEADLOCK) == CSWASM_WASI_EDEADLK);
  CHECK(cswasm_wasi_errno_from_host(ENOTCONN) == CSWASM_WASI_ENOTCONN);
  CHECK(cswasm_wasi_errno_from_host(EILSEQ) == CSWASM_WASI_EILSEQ);
  CHECK(cswasm_wasi_errno_from_host(ENOTRECOVERABLE) == CSWASM_WASI_ENOTRECOVERABLE);
  CHECK(cswasm_wasi_errno_from_host(ESHUTDOWN) == CSWASM_WASI_EPIPE);
  // Every errno Linux defines (1...133, except the unused 41 and 58) has a translation, and
  // every errno WASI names (other than ENOTCAPABLE, which Linux lacks) is reached by its namesake.
  int unmapped = 0;
  bool reached[77] = {false};
  for (int e = 1; e <= 133; e++) {
    if (e == 41 || e == 58) continue;
    uint16_t w = cswasm_wasi_errno_from_host(e);
    if (w == 0 || w > 76) unmapped++;
    else reached[w] = true;
  }
  CHECK(unmapped == 0);
  int unreached = 0;
  for (int w = 1; w < 76; w++)
    if (!reached[w]) {
      unreached++;
      fprintf(stderr, "WASI errno E%s is not reached\n", wasi_name((unsigned)w));
    }
  CHECK(unreached == 0);
  // Named examples across the table.
  const struct { int host; uint16_t wasi; } pairs[] = {
      {E2BIG, 1}, {EACCES, 2}, {EADDRINUSE, 3}, {EADDRNOTAVAIL, 4}, {EAFNOSUPPORT, 5}, {EAGAIN, 6},
      {EALREADY, 7}, {EBADF, 8}, {EBADMSG, 9}, {EBUSY, 10}, {ECANCELED, 11}, {ECHILD, 12},
      {ECONNABORTED, 13}, {ECONNREFUSED, 14}, {ECONNRESET, 15}, {EDEADLK, 16}, {EDESTADDRREQ, 17},
      {EDOM, 18}, {EDQUOT, 19}, {EEXIST, 20}, {EFAULT, 21}, {EFBIG, 22}, {EHOSTUNREACH, 23}, {EIDRM, 24},
      {EILSEQ, 25}, {EINPROGRESS, 26}, {EINTR, 27}, {EINVAL, 28}, {EIO, 29}, {EISCONN, 30}, {EISDIR, 31},
      {ELOOP, 32}, {EMFILE, 33}, {EMLINK, 34}, {EMSGSIZE, 35}, {EMULTIHOP, 36}, {ENAMETOOLONG, 37},
      {ENETDOWN, 38}, {ENETRESET, 39}, {ENETUNREACH, 40}, {ENFILE, 41}, {ENOBUFS, 42}, {ENODEV, 43},
      {ENOENT, 44}, {ENOEXEC, 45}, {ENOLCK, 46}, {ENOLINK, 47}, {ENOMEM, 48}, {ENOMSG, 49},
      {ENOPROTOOPT, 50}, {ENOSPC, 51}, {ENOSYS, 52}, {ENOTCONN, 53}, {ENOTDIR, 54}, {ENOTEMPTY, 55},
      {ENOTRECOVERABLE, 56}, {ENOTSOCK, 57}, {ENOTSUP, 58}, {ENOTTY, 59}, {ENXIO, 60}, {EOVERFLOW, 61},
      {EOWNERDEAD, 62}, {EPERM, 63}, {EPIPE, 64}, {EPROTO, 65}, {EPROTONOSUPPORT, 66}, {EPROTOTYPE, 67},
      {ERANGE, 68}, {EROFS, 69}, {ESPIPE, 70}, {ESRCH, 71}, {ESTALE, 72}, {ETIMEDOUT, 73}, {ETXTBSY, 74},
      {EXDEV, 75}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) CHECK(cswasm_wasi_errno_from_host(pairs[i].host) == pairs[i].wasi);
}

static void test_clocks_random(void) {
  mode_name = "clocks";
  for (uint32_t id = 0; id < 4; id++) {
    uint64_t resolution = 0, t1 = 0, t2 = 0;
    CHECK_OK(cswasm_wasi_clock_res_get(id, &resolution));
    CHECK(resolution > 0 && resolution <= 1000000000u);
    CHECK_OK(cswasm_wasi_clock_time_get(id, 1, &t1));
    for (volatile int spin = 0; spin < 100000; spin++) {}
    CHECK_OK(cswasm_wasi_clock_time_get(id, 1, &t2));
    CHECK(t2 >= t1);
    if (id == CSWASM_WASI_CLOCK_REALTIME) CHECK(t1 > 1577836800000000000u); // after 2020
    if (id >= CSWASM_WASI_CLOCK_PROCESS_CPUTIME_ID) CHECK(t2 > t1);
  }
  uint64_t value;
  CHECK_ERR(cswasm_wasi_clock_res_get(4, &value), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_clock_time_get(99, 0, &value), CSWASM_WASI_EINVAL);
  static uint8_t random_a[100000], random_b[100000];
  CHECK_OK(cswasm_wasi_random_get(random_a, sizeof random_a));
  CHECK_OK(cswasm_wasi_random_get(random_b, sizeof random_b));
  CHECK_OK(cswasm_wasi_random_get(NULL, 0));
  CHECK(memcmp(random_a, random_b, sizeof random_a) != 0);
  int zeros = 0;
  for (size_t i = 0; i < sizeof random_a; i++) zeros += random_a[i] == 0;
  CHECK(zeros < 1000); // about 390 expected
  CHECK_OK(cswasm_wasi_sched_yield());
}

static uint64_t monotonic_ns(void) {
  uint64_t t = 0;
  cswasm_wasi_clock_time_get(CSWASM_WASI_CLOCK_MONOTONIC, 0, &t);
  return t;
}

static void test_poll_pipe_sockets(void) {
  mode_name = "poll";
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) die("pipe");
  cswasm_wasi_pollfd fds[3] = {{pipe_fds[0], CSWASM_WASI_POLL_READ, 0},
                               {pipe_fds[1], CSWASM_WASI_POLL_WRITE, 0},
                               {1000000, CSWASM_WASI_POLL_READ, 0}}; // not a descriptor
  uint64_t nbytes[3];
  size_t ready = 99;
  uint64_t start = monotonic_ns();
  CHECK_OK(cswasm_wasi_poll(fds, 1, 20000000, nbytes, &ready)); // empty pipe: a 20 ms timeout
  CHECK(ready == 0 && fds[0].revents == 0 && nbytes[0] == 0);
  CHECK(monotonic_ns() - start >= 19000000u);
  CHECK_OK(cswasm_wasi_poll(fds, 2, 0, nbytes, &ready)); // the write end is ready at once
  CHECK(ready == 1 && fds[1].revents == CSWASM_WASI_POLL_WRITE && fds[0].revents == 0);
  cswasm_wasi_ciovec five = {"12345", 5};
  size_t n;
  CHECK_OK(cswasm_wasi_fd_write(pipe_fds[1], &five, 1, true, &n));
  CHECK_OK(cswasm_wasi_poll(fds, 1, -1, nbytes, &ready));
  CHECK(ready == 1 && (fds[0].revents & CSWASM_WASI_POLL_READ) && nbytes[0] == 5);
  uint8_t type;
  uint16_t flags;
  CHECK_OK(cswasm_wasi_fd_fdstat_get(pipe_fds[0], &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_UNKNOWN);
  uint64_t position;
  CHECK_ERR(cswasm_wasi_fd_seek(pipe_fds[0], 0, CSWASM_WASI_WHENCE_CUR, &position), CSWASM_WASI_ESPIPE);
  char data[8];
  cswasm_wasi_iovec in = {data, sizeof data};
  CHECK_ERR(cswasm_wasi_fd_pread(pipe_fds[0], &in, 1, 0, &n), CSWASM_WASI_ESPIPE);
  CHECK_OK(cswasm_wasi_fd_read(pipe_fds[0], &in, 1, &n));
  CHECK(n == 5);
  // Non-blocking read of an empty pipe.
  CHECK_OK(cswasm_wasi_fd_fdstat_set_flags(pipe_fds[0], CSWASM_WASI_FDFLAGS_NONBLOCK));
  CHECK_ERR(cswasm_wasi_fd_read(pipe_fds[0], &in, 1, &n), CSWASM_WASI_EAGAIN);
  // An invalid descriptor, and a hang-up.
  CHECK_OK(cswasm_wasi_poll(fds + 2, 1, 0, NULL, &ready));
  CHECK(ready == 1 && fds[2].revents == CSWASM_WASI_POLL_INVALID);
  close(pipe_fds[1]);
  CHECK_OK(cswasm_wasi_poll(fds, 1, 1000000000, nbytes, &ready));
  CHECK(ready == 1 && (fds[0].revents & CSWASM_WASI_POLL_HANGUP));
  close(pipe_fds[0]);
  // Sleeping with no descriptor; refusing to wait forever on nothing.
  start = monotonic_ns();
  CHECK_OK(cswasm_wasi_poll(NULL, 0, 5000000, NULL, &ready));
  CHECK(ready == 0 && monotonic_ns() - start >= 4900000u);
  CHECK_ERR(cswasm_wasi_poll(NULL, 0, -1, NULL, &ready), CSWASM_WASI_EINVAL);
  // A regular file is always ready, with what is left to read.
  int file;
  CHECK_OK(open_path(D, "file.txt", 0, 0, CSWASM_WASI_ACCESS_READ, &file));
  cswasm_wasi_pollfd file_poll = {file, CSWASM_WASI_POLL_READ | CSWASM_WASI_POLL_WRITE, 0};
  CHECK_OK(cswasm_wasi_poll(&file_poll, 1, -1, nbytes, &ready));
  CHECK(ready == 1 && (file_poll.revents & CSWASM_WASI_POLL_READ) && nbytes[0] == 5);
  close(file);

  // Writing to a pipe whose reader is gone: EPIPE, and the process lives on (SIGPIPE is at its
  // default, which would kill it).
  signal(SIGPIPE, SIG_DFL);
  if (pipe(pipe_fds) != 0) die("pipe");
  close(pipe_fds[0]);
  CHECK_ERR(cswasm_wasi_fd_write(pipe_fds[1], &five, 1, true, &n), CSWASM_WASI_EPIPE);
  sigset_t pending;
  sigpending(&pending);
  CHECK(!sigismember(&pending, SIGPIPE));
  // A thread that blocks SIGPIPE itself keeps its pending signal.
  sigset_t pipe_set, previous;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &previous);
  CHECK_ERR(cswasm_wasi_fd_write(pipe_fds[1], &five, 1, true, &n), CSWASM_WASI_EPIPE);
  sigpending(&pending);
  CHECK(sigismember(&pending, SIGPIPE));
  int taken;
  struct timespec zero = {0, 0};
  taken = sigtimedwait(&pipe_set, NULL, &zero);
  CHECK(taken == SIGPIPE);
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  close(pipe_fds[1]);

  // Sockets.
  mode_name = "sockets";
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) die("socketpair");
  CHECK_OK(cswasm_wasi_fd_fdstat_get(pair[0], &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_SOCKET_STREAM);
  cswasm_wasi_ciovec hello[2] = {{"hel", 3}, {"lo", 2}};
  CHECK_OK(cswasm_wasi_sock_send(pair[0], hello, 2, 0, &n));
  CHECK(n == 5);
  CHECK_ERR(cswasm_wasi_sock_send(pair[0], hello, 2, 1, &n), CSWASM_WASI_EINVAL);
  uint16_t roflags = 99;
  char got[16];
  cswasm_wasi_iovec into = {got, sizeof got};
  CHECK_OK(cswasm_wasi_sock_recv(pair[1], &into, 1, CSWASM_WASI_RIFLAGS_RECV_PEEK, &n, &roflags));
  CHECK(n == 5 && roflags == 0 && memcmp(got, "hello", 5) == 0);
  cswasm_wasi_iovec small = {got, 2};
  CHECK_OK(cswasm_wasi_sock_recv(pair[1], &small, 1, 0, &n, &roflags));
  CHECK(n == 2 && roflags == 0); // a stream is not truncated
  cswasm_wasi_iovec three = {got, 3};
  CHECK_OK(cswasm_wasi_sock_recv(pair[1], &three, 1, CSWASM_WASI_RIFLAGS_RECV_WAITALL, &n, &roflags));
  CHECK(n == 3 && memcmp(got, "llo", 3) == 0);
  CHECK_ERR(cswasm_wasi_sock_recv(pair[1], &into, 1, 4, &n, &roflags), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_sock_shutdown(pair[0], CSWASM_WASI_SDFLAGS_WR));
  CHECK_OK(cswasm_wasi_sock_recv(pair[1], &into, 1, 0, &n, &roflags));
  CHECK(n == 0);
  CHECK_ERR(cswasm_wasi_sock_shutdown(pair[0], 0), CSWASM_WASI_EINVAL);
  CHECK_ERR(cswasm_wasi_sock_shutdown(pair[0], 4), CSWASM_WASI_EINVAL);
  close(pair[1]);
  CHECK_ERR(cswasm_wasi_sock_send(pair[0], hello, 2, 0, &n), CSWASM_WASI_EPIPE); // no SIGPIPE
  close(pair[0]);
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0) die("socketpair");
  CHECK_OK(cswasm_wasi_fd_fdstat_get(pair[0], &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_SOCKET_DGRAM);
  CHECK_OK(cswasm_wasi_sock_send(pair[0], hello, 2, 0, &n));
  CHECK_OK(cswasm_wasi_sock_recv(pair[1], &small, 1, 0, &n, &roflags));
  CHECK(n == 2 && roflags == CSWASM_WASI_ROFLAGS_RECV_DATA_TRUNCATED);
  close(pair[0]);
  close(pair[1]);
  // accept, on a listening socket bound in the temporary directory.
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  // An abstract address (leading NUL): nothing in the file system.
  snprintf(address.sun_path + 1, sizeof address.sun_path - 1, "wasi_platform_test_%d", (int)getpid());
  socklen_t address_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(address.sun_path + 1));
  if (listener < 0 || bind(listener, (struct sockaddr *)&address, address_len) != 0 || listen(listener, 4) != 0)
    die("listen");
  CHECK_OK(cswasm_wasi_fd_fdstat_set_flags(listener, CSWASM_WASI_FDFLAGS_NONBLOCK));
  int accepted = -1;
  CHECK_ERR(cswasm_wasi_sock_accept(listener, 0, &accepted), CSWASM_WASI_EAGAIN);
  int client = socket(AF_UNIX, SOCK_STREAM, 0);
  if (client < 0 || connect(client, (struct sockaddr *)&address, address_len) != 0) die("connect");
  CHECK_ERR(cswasm_wasi_sock_accept(listener, CSWASM_WASI_FDFLAGS_APPEND, &accepted), CSWASM_WASI_EINVAL);
  CHECK_OK(cswasm_wasi_sock_accept(listener, CSWASM_WASI_FDFLAGS_NONBLOCK, &accepted));
  CHECK_OK(cswasm_wasi_fd_fdstat_get(accepted, &type, &flags));
  CHECK(type == CSWASM_WASI_FILETYPE_SOCKET_STREAM && flags == CSWASM_WASI_FDFLAGS_NONBLOCK);
  CHECK((fcntl(accepted, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK_ERR(cswasm_wasi_sock_recv(accepted, &into, 1, 0, &n, &roflags), CSWASM_WASI_EAGAIN);
  close(accepted);
  close(client);
  close(listener);
  int not_socket;
  CHECK_OK(open_path(D, "file.txt", 0, 0, CSWASM_WASI_ACCESS_READ, &not_socket));
  CHECK_ERR(cswasm_wasi_sock_accept(not_socket, 0, &accepted), CSWASM_WASI_ENOTSOCK);
  close(not_socket);
}

static void test_host_opens(void) {
  mode_name = "host";
  int fd;
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/stdout.txt", base);
  CHECK_OK(cswasm_wasi_host_open_write(path, &fd));
  cswasm_wasi_ciovec out = {"out", 3};
  size_t n;
  CHECK_OK(cswasm_wasi_fd_write(fd, &out, 1, false, &n));
  CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  close(fd);
  CHECK_OK(cswasm_wasi_host_open_read(path, &fd));
  int copy;
  CHECK_OK(cswasm_wasi_fd_duplicate(fd, &copy));
  CHECK(copy != fd && (fcntl(copy, F_GETFD) & FD_CLOEXEC) != 0);
  close(copy);
  close(fd);
  CHECK_ERR(cswasm_wasi_host_open_directory(path, &fd), CSWASM_WASI_ENOTDIR);
  CHECK_ERR(cswasm_wasi_host_open_read("/nonexistent/x", &fd), CSWASM_WASI_ENOENT);
  CHECK_OK(cswasm_wasi_host_open_directory(base, &fd));
  close(fd);
}

// MARK: main

static bool kernel_has_openat2(void) {
  struct {
    uint64_t flags, mode, resolve;
  } how = {O_PATH | O_DIRECTORY, 0, 0x08};
  long fd = syscall(437, AT_FDCWD, ".", &how, sizeof how);
  if (fd >= 0) close((int)fd);
  return fd >= 0;
}

static void run_mode(const char *name, uint32_t flags, int race_iterations) {
  mode_name = name;
  mode_flags = flags;
  int fds_before = count_open_fds();
  build_tree();
  int fd;
  if (cswasm_wasi_host_open_directory(sandbox, &fd) != 0) die("open sandbox");
  D = (cswasm_wasi_dir){fd, CSWASM_WASI_DIR_MUTABLE | flags};
  RO = (cswasm_wasi_dir){fd, flags};
  test_escapes();
  if (flags == 0) {
    test_openat2_refused(ENOSYS);
    test_openat2_refused(EPERM);
  }
  test_path_checks();
  test_inside();
  test_directory_operations();
  test_read_only();
  test_readdir();
  test_files();
  test_races(race_iterations);
  close(fd);
  int fds_after = count_open_fds();
  CHECK(fds_before == fds_after);
  if (fds_before != fds_after) fprintf(stderr, "descriptors: %d before, %d after\n", fds_before, fds_after);
}

int main(int argc, char **argv) {
  int race_iterations = argc > 1 ? atoi(argv[1]) : 3000;
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *tmp = getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 256 ? getenv("TMPDIR") : "/tmp";
  snprintf(base, sizeof base, "%s/wasi_platform_XXXXXX", tmp);
  if (mkdtemp(base) == NULL) die("mkdtemp");
  umask(022);
  bool openat2 = kernel_has_openat2();
  printf("wasi_platform: openat2 %s on this kernel%s\n", openat2 ? "available" : "unavailable",
         openat2 ? "" : " (the openat2 mode falls back to the walk)");
  int fds_before = count_open_fds();
  test_errno_table();
  test_clocks_random();
  run_mode("openat2", 0, race_iterations);
  run_mode("walk", CSWASM_WASI_DIR_WALK_ONLY, race_iterations);
  int fd;
  if (cswasm_wasi_host_open_directory(sandbox, &fd) != 0) die("open sandbox");
  D = (cswasm_wasi_dir){fd, CSWASM_WASI_DIR_MUTABLE};
  test_poll_pipe_sockets();
  test_host_opens();
  close(fd);
  mode_name = "end";
  CHECK(count_open_fds() == fds_before);
  remove_tree(base);
  printf("wasi_platform: %d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
