// A read-only preopen (readonly.dir, preopened with fs_mutable false beside the mutable root
// sandbox.dir): reading works, and every change is refused with wasmtime's errno, EPERM: create,
// write, truncate, mkdir, rmdir, unlink, rename (in, out and within), link, symlink, time
// changes; a descriptor opened for reading cannot be written (EBADF).
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

int main(void) {
  char buffer[64];
  struct stat info;
  int fd = open("readonly.dir/data.txt", O_RDONLY);
  CHECK(fd >= 0 && read(fd, buffer, sizeof buffer) == 8 && memcmp(buffer, "read me\n", 8) == 0, "read readonly.dir/data.txt");
  CHECK(fstat(fd, &info) == 0 && info.st_size == 8, "fstat it");
  CHECK(stat("readonly.dir/sub/inner.txt", &info) == 0 && S_ISREG(info.st_mode), "stat readonly.dir/sub/inner.txt");
  CHECK_ERRNO(write(fd, "x", 1), EBADF, "write to the descriptor opened for reading");
  CHECK_ERRNO(ftruncate(fd, 0), EPERM, "ftruncate it");
  struct timespec times[2] = {{1, 0}, {2, 0}};
  CHECK_ERRNO(futimens(fd, times), EPERM, "futimens it");
  close(fd);
  CHECK_ERRNO(open("readonly.dir/data.txt", O_RDWR), EPERM, "open for writing");
  CHECK_ERRNO(open("readonly.dir/data.txt", O_WRONLY | O_APPEND), EPERM, "open for appending");
  CHECK_ERRNO(open("readonly.dir/data.txt", O_RDONLY | O_TRUNC), EPERM, "open with O_TRUNC");
  CHECK_ERRNO(open("readonly.dir/new.txt", O_CREAT | O_WRONLY, 0644), EPERM, "create a file");
  CHECK_ERRNO(truncate("readonly.dir/data.txt", 0), EPERM, "truncate by path");
  CHECK_ERRNO(utimensat(AT_FDCWD, "readonly.dir/data.txt", times, 0), EPERM, "utimensat");
  CHECK_ERRNO(mkdir("readonly.dir/d", 0755), EPERM, "mkdir");
  CHECK_ERRNO(rmdir("readonly.dir/sub"), EPERM, "rmdir");
  CHECK_ERRNO(unlink("readonly.dir/data.txt"), EPERM, "unlink");
  CHECK_ERRNO(rename("readonly.dir/data.txt", "readonly.dir/moved.txt"), EPERM, "rename within");
  CHECK_ERRNO(rename("readonly.dir/data.txt", "moved.txt"), EPERM, "rename out to the mutable preopen");
  CHECK_ERRNO(rename("data.txt", "readonly.dir/data2.txt"), EPERM, "rename in from the mutable preopen");
  CHECK_ERRNO(link("readonly.dir/data.txt", "readonly.dir/hard"), EPERM, "link within");
  CHECK_ERRNO(link("readonly.dir/data.txt", "hard"), EPERM, "link out to the mutable preopen");
  CHECK_ERRNO(symlink("data.txt", "readonly.dir/link"), EPERM, "symlink");
  CHECK(stat("readonly.dir/data.txt", &info) == 0 && info.st_size == 8 && stat("readonly.dir/sub", &info) == 0,
        "everything is still there");
  CHECK(stat("moved.txt", &info) != 0 && stat("hard", &info) != 0, "nothing reached the mutable preopen");
  // The mutable preopen beside it still takes changes.
  fd = open("written.txt", O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0 && write(fd, "yes", 3) == 3 && close(fd) == 0, "the mutable root takes a new file");
  CHECKS_DONE();
}
