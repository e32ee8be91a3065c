// Timestamps and status: utimensat and futimens (path_filestat_set_times, fd_filestat_set_times:
// explicit times, one time alone, "now", conflicting flags), stat and fstat (path_filestat_get,
// fd_filestat_get: sizes, types, link counts, devices and inodes). Runs in a mutable preopen of
// sandbox.dir as "/" (descriptor 3).
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static int same_time(struct timespec a, long long seconds, long nanoseconds) {
  return a.tv_sec == seconds && a.tv_nsec == nanoseconds;
}

int main(void) {
  struct stat info, other;
  CHECK(stat("data.txt", &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 12, "stat data.txt: a regular file of 12 bytes");
  CHECK(info.st_nlink == 1, "it has one link");
  CHECK(stat("sub", &info) == 0 && S_ISDIR(info.st_mode), "stat sub: a directory");
  CHECK(stat(".", &other) == 0 && S_ISDIR(other.st_mode) && other.st_ino != info.st_ino, "stat .: another directory");
  CHECK(stat("sub/inner.txt", &info) == 0 && stat("sub/../sub/inner.txt", &other) == 0 && info.st_ino == other.st_ino &&
            info.st_dev == other.st_dev,
        "one file by two paths: the same device and inode");
  int fd = open("data.txt", O_RDWR);
  CHECK(fd >= 0 && fstat(fd, &other) == 0 && stat("data.txt", &info) == 0 && info.st_ino == other.st_ino, "fstat agrees with stat");
  CHECK_ERRNO(stat("missing", &info), ENOENT, "stat a missing file");

  // Explicit times, to the nanosecond.
  struct timespec times[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
  CHECK(utimensat(AT_FDCWD, "data.txt", times, 0) == 0, "utimensat sets atime and mtime");
  CHECK(stat("data.txt", &info) == 0 && same_time(info.st_atim, 1000000000, 123456789) &&
            same_time(info.st_mtim, 1500000000, 987654321),
        "stat reads them back to the nanosecond");
  // Leaving one alone, and "now": Debian's wasi-libc refuses UTIME_OMIT and UTIME_NOW (EINVAL)
  // before asking the host, so the flags go to the host directly.
  CHECK(__wasi_fd_filestat_set_times(fd, 0, 1600000000000000005ull, __WASI_FSTFLAGS_MTIM) == 0,
        "fd_filestat_set_times of mtime alone");
  CHECK(fstat(fd, &info) == 0 && same_time(info.st_atim, 1000000000, 123456789) && same_time(info.st_mtim, 1600000000, 5),
        "atime kept, mtime changed");
  struct timespec now;
  CHECK(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW) == 0 && clock_gettime(CLOCK_REALTIME, &now) == 0,
        "fd_filestat_set_times of mtime to now");
  CHECK(fstat(fd, &info) == 0 && llabs((long long)info.st_mtim.tv_sec - (long long)now.tv_sec) < 60 &&
            same_time(info.st_atim, 1000000000, 123456789),
        "mtime is now (within a minute of the realtime clock), atime kept");
  CHECK(__wasi_path_filestat_set_times(3, 0, "sub/inner.txt", 7000000000ull, 0,
                                       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM_NOW) == 0 &&
            stat("sub/inner.txt", &info) == 0 && same_time(info.st_atim, 7, 0) &&
            llabs((long long)info.st_mtim.tv_sec - (long long)now.tv_sec) < 60,
        "path_filestat_set_times of atime to 7 s and mtime to now");
  CHECK(__wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW) == __WASI_ERRNO_INVAL,
        "fd_filestat_set_times with ATIM and ATIM_NOW -> EINVAL");
  CHECK(__wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW) == __WASI_ERRNO_INVAL,
        "fd_filestat_set_times with MTIM and MTIM_NOW -> EINVAL");
  // Both now (not through utimensat(..., NULL, ...), which this wasi-libc turns into time 0).
  CHECK(__wasi_path_filestat_set_times(3, 0, "sub/inner.txt", 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW) == 0 &&
            stat("sub/inner.txt", &info) == 0 && llabs((long long)info.st_atim.tv_sec - (long long)now.tv_sec) < 60 &&
            llabs((long long)info.st_mtim.tv_sec - (long long)now.tv_sec) < 60,
        "path_filestat_set_times of both to now");
  // A directory's times.
  CHECK(utimensat(AT_FDCWD, "sub", times, 0) == 0 && stat("sub", &info) == 0 && same_time(info.st_mtim, 1500000000, 987654321),
        "utimensat on a directory");
  // Writing changes the size and the modification time.
  CHECK(utimensat(AT_FDCWD, "data.txt", times, 0) == 0, "reset the times");
  CHECK(write(fd, "more", 4) == 4 && fstat(fd, &info) == 0 && info.st_size == 12 && info.st_mtim.tv_sec != 1500000000,
        "a write changes mtime");
  CHECK(lseek(fd, 0, SEEK_END) == 12 && write(fd, "!", 1) == 1 && fstat(fd, &info) == 0 && info.st_size == 13,
        "a write at the end grows the size");
  close(fd);
  CHECK_ERRNO(utimensat(AT_FDCWD, "missing", times, 0), ENOENT, "utimensat on a missing file");
  struct timespec invalid[2] = {{0, 1000000000}, {0, 0}};
  CHECK_ERRNO(utimensat(AT_FDCWD, "data.txt", invalid, 0), EINVAL, "utimensat with 1e9 nanoseconds");
  CHECKS_DONE();
}
