// Files: create, write, read, seek and tell, truncate, append, pread and pwrite, through wasi-libc
// (fd_write, fd_read, fd_seek, fd_tell, fd_filestat_set_size, fd_pread, fd_pwrite, path_open
// with O_APPEND, O_TRUNC, O_EXCL). Runs in a mutable preopen of sandbox.dir as "/".
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int contents_are(const char *path, const char *expected) {
  char buffer[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t length = read(fd, buffer, sizeof buffer);
  close(fd);
  return length == (ssize_t)strlen(expected) && memcmp(buffer, expected, (size_t)length) == 0;
}

int main(void) {
  char buffer[64];
  // The fixture is there, and reads back as it was copied.
  CHECK(contents_are("data.txt", "hello, wasi\n"), "the fixture data.txt reads 'hello, wasi'");

  int fd = open("new.txt", O_CREAT | O_EXCL | O_RDWR, 0644);
  CHECK(fd >= 0, "create new.txt with O_CREAT|O_EXCL");
  CHECK_ERRNO(open("new.txt", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST, "create it again with O_EXCL");
  CHECK(write(fd, "0123456789", 10) == 10, "write 10 bytes");
  CHECK(lseek(fd, 0, SEEK_CUR) == 10, "tell is 10 after the write");
  CHECK(lseek(fd, 2, SEEK_SET) == 2, "seek to 2 from the start");
  CHECK(read(fd, buffer, 3) == 3 && memcmp(buffer, "234", 3) == 0, "read 3 bytes there: 234");
  CHECK(lseek(fd, -4, SEEK_END) == 6, "seek to 4 before the end: 6");
  CHECK(read(fd, buffer, 10) == 4 && memcmp(buffer, "6789", 4) == 0, "read to the end: 6789");
  CHECK(read(fd, buffer, 10) == 0, "read at the end gives 0 bytes");
  CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL, "seek before the start");
  CHECK(lseek(fd, 20, SEEK_SET) == 20, "seek past the end");
  CHECK(write(fd, "X", 1) == 1, "write past the end");
  struct stat info;
  CHECK(fstat(fd, &info) == 0 && info.st_size == 21, "the file grew to 21 bytes");
  CHECK(pread(fd, buffer, 2, 10) == 2 && buffer[0] == 0 && buffer[1] == 0, "the gap reads as zeros");

  // pread and pwrite leave the position alone.
  CHECK(lseek(fd, 5, SEEK_SET) == 5, "seek to 5");
  CHECK(pwrite(fd, "ab", 2, 0) == 2, "pwrite 'ab' at 0");
  CHECK(pread(fd, buffer, 4, 0) == 4 && memcmp(buffer, "ab23", 4) == 0, "pread 4 bytes at 0: ab23");
  CHECK(lseek(fd, 0, SEEK_CUR) == 5, "the position is still 5");

  // Truncation, shorter and longer.
  CHECK(ftruncate(fd, 4) == 0, "ftruncate to 4 bytes");
  CHECK(fstat(fd, &info) == 0 && info.st_size == 4, "the size is 4");
  CHECK(lseek(fd, 0, SEEK_CUR) == 5, "ftruncate leaves the position at 5");
  CHECK(ftruncate(fd, 8) == 0 && fstat(fd, &info) == 0 && info.st_size == 8, "ftruncate to 8 bytes extends");
  CHECK(pread(fd, buffer, 8, 0) == 8 && memcmp(buffer, "ab23\0\0\0\0", 8) == 0, "the extension reads as zeros");
  CHECK(close(fd) == 0, "close");
  CHECK(truncate("new.txt", 2) == 0 && contents_are("new.txt", "ab"), "truncate by path to 2 bytes");

  // O_TRUNC and O_APPEND.
  fd = open("new.txt", O_WRONLY | O_TRUNC);
  CHECK(fd >= 0 && fstat(fd, &info) == 0 && info.st_size == 0, "open with O_TRUNC empties the file");
  CHECK(write(fd, "first\n", 6) == 6, "write a first line");
  close(fd);
  fd = open("new.txt", O_WRONLY | O_APPEND);
  CHECK(fd >= 0, "open with O_APPEND");
  CHECK(lseek(fd, 0, SEEK_SET) == 0, "seek to 0");
  CHECK(write(fd, "second\n", 7) == 7, "write a second line");
  CHECK(fcntl(fd, F_GETFL) & O_APPEND, "F_GETFL shows O_APPEND");
  close(fd);
  CHECK(contents_are("new.txt", "first\nsecond\n"), "appending wrote at the end despite the seek");

  // Streams.
  FILE *file = fopen("stream.txt", "w+");
  CHECK(file != NULL, "fopen w+");
  CHECK(fprintf(file, "line %d\n", 1) == 7 && fputs("line 2\n", file) >= 0, "fprintf and fputs");
  CHECK(fflush(file) == 0 && ftell(file) == 14, "ftell after fflush is 14");
  rewind(file);
  CHECK(fgets(buffer, sizeof buffer, file) && strcmp(buffer, "line 1\n") == 0, "fgets reads the first line back");
  CHECK(fclose(file) == 0, "fclose");

  // Errors.
  CHECK_ERRNO(open("missing.txt", O_RDONLY), ENOENT, "open a missing file");
  CHECK_ERRNO(open("data.txt/x", O_RDONLY), ENOTDIR, "open through a file as if it were a directory");
  CHECK_ERRNO(read(99, buffer, 1), EBADF, "read from an unopened descriptor");
  fd = open("data.txt", O_RDONLY);
  CHECK_ERRNO(write(fd, "x", 1), EBADF, "write to a descriptor opened read-only");
  close(fd);
  fd = open("sub", O_RDONLY | O_DIRECTORY);
  // wasmtime answers EBADF (the descriptor has no read right), where POSIX says EISDIR.
  CHECK_ERRNO(read(fd, buffer, 1), EBADF, "read from a directory");
  close(fd);
  CHECKS_DONE();
}
