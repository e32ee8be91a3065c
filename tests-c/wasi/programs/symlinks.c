// Symbolic links: symlink, readlink, lstat against stat, links followed inside the preopen, loops,
// O_NOFOLLOW, dangling links; and every way out of the preopen refused with the errno wasmtime
// gives (EPERM: wasmtime's preview 1 reports escapes so, not as WASI's ENOTCAPABLE): `..` above the root,
// absolute paths, links to absolute paths (refused when created), links to `..` and chains of
// links that climb out, created by the program itself, and hard links, renames, directories and
// links made outside. Runs in a mutable preopen of sandbox.dir as "/" (descriptor 3).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

// path_open straight from the preopen (descriptor 3), without wasi-libc's own path handling.
static __wasi_errno_t open_raw(const char *path, int follow) {
  __wasi_fd_t fd;
  __wasi_errno_t error = __wasi_path_open(3, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, 0,
                                          __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (error == 0) (void)!__wasi_fd_close(fd);
  return error;
}

static int reads(const char *path, const char *expected) {
  char buffer[64];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t length = read(fd, buffer, sizeof buffer);
  close(fd);
  return length == (ssize_t)strlen(expected) && memcmp(buffer, expected, (size_t)length) == 0;
}

int main(void) {
  char buffer[64];
  struct stat info;
  // Links inside the preopen.
  CHECK(symlink("data.txt", "link") == 0, "symlink link -> data.txt");
  CHECK(readlink("link", buffer, sizeof buffer) == 8 && memcmp(buffer, "data.txt", 8) == 0, "readlink gives data.txt");
  CHECK(readlink("link", buffer, 4) == 4 && memcmp(buffer, "data", 4) == 0, "readlink into a short buffer truncates");
  CHECK(lstat("link", &info) == 0 && S_ISLNK(info.st_mode) && info.st_size == 8, "lstat: a link of 8 bytes");
  CHECK(stat("link", &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 12, "stat follows it to the 12-byte file");
  CHECK(reads("link", "hello, wasi\n"), "open follows it");
  CHECK_ERRNO(open("link", O_RDONLY | O_NOFOLLOW), ELOOP, "open with O_NOFOLLOW");
  CHECK(open_raw("link", 0) == __WASI_ERRNO_LOOP, "path_open of the link without SYMLINK_FOLLOW -> ELOOP");
  CHECK_ERRNO(readlink("data.txt", buffer, sizeof buffer), EINVAL, "readlink of a file");
  CHECK_ERRNO(symlink("other", "link"), EEXIST, "symlink over an existing link");
  CHECK(symlink("sub", "dirlink") == 0 && reads("dirlink/inner.txt", "inner\n"), "a link to a directory, followed in a path");
  CHECK(symlink("..", "sub/parent") == 0 && reads("sub/parent/data.txt", "hello, wasi\n"), "a link to .. that stays inside");
  CHECK(symlink("sub/../link", "chain") == 0 && reads("chain", "hello, wasi\n"), "a chain of two links");
  CHECK(symlink("missing", "dangling") == 0, "symlink to a missing file");
  CHECK_ERRNO(stat("dangling", &info), ENOENT, "stat of the dangling link");
  CHECK(lstat("dangling", &info) == 0 && S_ISLNK(info.st_mode), "lstat of the dangling link");
  int fd = open("dangling", O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0 && close(fd) == 0 && stat("missing", &info) == 0, "O_CREAT through the dangling link creates its target");
  CHECK(symlink("loop2", "loop1") == 0 && symlink("loop1", "loop2") == 0, "two links to each other");
  CHECK_ERRNO(open("loop1", O_RDONLY), ELOOP, "open of a loop");
  CHECK(symlink("data.txt/", "slash") == 0, "a link to a file with a trailing slash");
  CHECK_ERRNO(open("slash", O_RDONLY), ENOTDIR, "open it");
  CHECK(rename("link", "renamed") == 0 && lstat("renamed", &info) == 0 && S_ISLNK(info.st_mode), "rename moves the link itself");
  CHECK(unlink("renamed") == 0 && stat("data.txt", &info) == 0, "unlink removes the link, not its target");

  // Ways out, each refused.
  CHECK(open_raw("..", 1) == __WASI_ERRNO_PERM, "path_open of .. -> EPERM");
  CHECK(open_raw("../x", 1) == __WASI_ERRNO_PERM, "path_open of ../x -> EPERM");
  CHECK(open_raw("sub/../../x", 1) == __WASI_ERRNO_PERM, "path_open of sub/../../x -> EPERM");
  CHECK(open_raw("/", 1) == __WASI_ERRNO_PERM, "path_open of / -> EPERM");
  CHECK(open_raw("/etc/passwd", 1) == __WASI_ERRNO_PERM, "path_open of /etc/passwd -> EPERM");
  CHECK_ERRNO(symlink("/etc/passwd", "absolute"), EPERM, "symlink to an absolute path");
  CHECK(lstat("absolute", &info) != 0, "no link was made");
  CHECK(symlink("../outside", "up") == 0, "symlink to ../outside (made, not followed)");
  CHECK(lstat("up", &info) == 0 && S_ISLNK(info.st_mode), "lstat of it");
  CHECK(readlink("up", buffer, sizeof buffer) == 10 && memcmp(buffer, "../outside", 10) == 0, "readlink of it");
  CHECK_ERRNO(open("up", O_RDONLY), EPERM, "open through it");
  CHECK_ERRNO(open("up", O_CREAT | O_WRONLY, 0644), EPERM, "create through it");
  CHECK_ERRNO(stat("up", &info), EPERM, "stat through it");
  CHECK(symlink("up/x", "via_up") == 0 && open_raw("via_up", 1) == __WASI_ERRNO_PERM, "a link to a path through it -> EPERM");
  CHECK(symlink("sub/../..", "dotdot") == 0 && open_raw("dotdot/data.txt", 1) == __WASI_ERRNO_PERM,
        "a link to sub/../.. -> EPERM");
  CHECK(symlink("../..", "sub/grandparent") == 0, "a link in sub to ../..");
  CHECK_ERRNO(open("sub/grandparent/x", O_RDONLY), EPERM, "open through it");
  CHECK_ERRNO(readlink("sub/../../x", buffer, sizeof buffer), EPERM, "readlink above the root");
  CHECK_ERRNO(link("data.txt", "../hard"), EPERM, "a hard link made outside");
  CHECK_ERRNO(link("../x", "hard"), EPERM, "a hard link to a file outside");
  CHECK_ERRNO(rename("data.txt", "../data.txt"), EPERM, "rename out");
  CHECK_ERRNO(rename("../x", "x"), EPERM, "rename in");
  CHECK_ERRNO(mkdir("../d", 0755), EPERM, "mkdir outside");
  CHECK_ERRNO(mkdir("sub/../../d", 0755), EPERM, "mkdir outside through sub/../..");
  CHECK_ERRNO(unlink("../x"), EPERM, "unlink outside");
  CHECK_ERRNO(rmdir(".."), EPERM, "rmdir ..");
  CHECK_ERRNO(symlink("x", "../link"), EPERM, "a link made outside");
  CHECK(stat("data.txt", &info) == 0 && reads("data.txt", "hello, wasi\n"), "data.txt is untouched");
  CHECKS_DONE();
}
