// Every fd_* function on every kind of descriptor, and what each kind reports: the standard
// streams, the preopen, files opened with each combination of rights and flags that decides how
// they are opened, directories, a file opened as a directory, and a descriptor that is not open.
// For each it prints fd_fdstat_get (type, flags, rights) and the errno of 19 calls in a row, then
// tries to shrink its rights. The expected output (descriptors.json) is what wasmtime 50.0.1
// prints; the program asserts nothing itself, the comparison is the test.
#include <stdio.h>
#include <wasi/api.h>

static char buffer[64];

static void row(const char *kind, int fd) {
  __wasi_fdstat_t status = {0};
  int got = __wasi_fd_fdstat_get(fd, &status);
  if (got == 0)
    printf("%s fdstat: type %d flags %#x base %#llx inheriting %#llx\n", kind, status.fs_filetype, status.fs_flags,
           (unsigned long long)status.fs_rights_base, (unsigned long long)status.fs_rights_inheriting);
  else
    printf("%s fdstat: errno %d\n", kind, got);
  __wasi_iovec_t in = {(uint8_t *)buffer, 0};
  __wasi_ciovec_t out = {(const uint8_t *)buffer, 0};
  size_t count;
  __wasi_filesize_t position;
  __wasi_filestat_t stat;
  __wasi_prestat_t prestat;
  int errnos[] = {
      __wasi_fd_read(fd, &in, 1, &count),
      __wasi_fd_write(fd, &out, 1, &count),
      __wasi_fd_pread(fd, &in, 1, 0, &count),
      __wasi_fd_pwrite(fd, &out, 1, 0, &count),
      __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &position),
      __wasi_fd_tell(fd, &position),
      __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &position),
      __wasi_fd_filestat_get(fd, &stat),
      __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL),
      __wasi_fd_allocate(fd, 0, 1),
      __wasi_fd_datasync(fd),
      __wasi_fd_sync(fd),
      __wasi_fd_fdstat_set_flags(fd, 0),
      __wasi_fd_filestat_set_times(fd, 0, 0, 0),
      __wasi_fd_readdir(fd, (uint8_t *)buffer, sizeof buffer, 0, &count),
      __wasi_fd_prestat_get(fd, &prestat),
      __wasi_fd_filestat_set_size(fd, 0),
      __wasi_path_filestat_get(fd, 0, ".", &stat),
      __wasi_fd_fdstat_set_rights(fd, status.fs_rights_base, status.fs_rights_inheriting),
  };
  printf("%s read write pread pwrite seek tell seek0 filestat advise allocate datasync sync setflags settimes "
         "readdir prestat setsize pathstat setrights:", kind);
  for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++) printf(" %d", errnos[i]);
  printf("\n");
  if (got == 0 && fd > 3) {
    int shrunk = __wasi_fd_fdstat_set_rights(fd, status.fs_rights_base & ~(__wasi_rights_t)__WASI_RIGHTS_FD_READ,
                                             status.fs_rights_inheriting);
    __wasi_fdstat_t after = {0};
    (void)__wasi_fd_fdstat_get(fd, &after);
    printf("%s shrink rights: %d, base %#llx\n", kind, shrunk, (unsigned long long)after.fs_rights_base);
  }
}

static int open_at(const char *path, int oflags, __wasi_rights_t base, int fdflags) {
  __wasi_fd_t fd;
  int got = __wasi_path_open(3, 0, path, oflags, base, base, fdflags, &fd);
  if (got != 0) {
    printf("open %s oflags %d rights %#llx fdflags %d: errno %d\n", path, oflags, (unsigned long long)base, fdflags, got);
    return 1000; // not open
  }
  return (int)fd;
}

int main(void) {
  row("stdin", 0);
  row("stdout", 1);
  row("stderr", 2);
  row("preopen", 3);
  const __wasi_rights_t all = 0x3fffffff, R = __WASI_RIGHTS_FD_READ, W = __WASI_RIGHTS_FD_WRITE;
  int fd = open_at("file", __WASI_OFLAGS_CREAT, R | W, 0);
  const char text[] = "0123456789";
  __wasi_ciovec_t data = {(const uint8_t *)text, 10};
  size_t written;
  if (__wasi_fd_write(fd, &data, 1, &written) != 0 || written != 10) printf("writing the file failed\n");
  row("file rw", fd);
  (void)__wasi_fd_close(fd);
  row("file ro", open_at("file", 0, R, 0));
  row("file wo", open_at("file", 0, W, 0));
  row("file none", open_at("file", 0, 0, 0));
  row("file all", open_at("file", 0, all, 0));
  row("file append", open_at("file", 0, R, __WASI_FDFLAGS_APPEND));
  row("file append wo", open_at("file", 0, W, __WASI_FDFLAGS_APPEND));
  row("file seek only", open_at("file", 0, __WASI_RIGHTS_FD_SEEK, 0));
  row("file readdir", open_at("file", 0, __WASI_RIGHTS_FD_READDIR, 0));
  row("file write readdir", open_at("file", 0, W | __WASI_RIGHTS_FD_READDIR, 0));
  row("file datasync", open_at("file", 0, __WASI_RIGHTS_FD_DATASYNC, 0));
  row("file allocate", open_at("file", 0, __WASI_RIGHTS_FD_ALLOCATE, 0));
  row("file setsize", open_at("file", 0, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0));
  row("file nonblock", open_at("file", 0, R, __WASI_FDFLAGS_NONBLOCK));
  row("file dsync", open_at("file", 0, W, __WASI_FDFLAGS_DSYNC));
  row("file sync", open_at("file", 0, R, __WASI_FDFLAGS_SYNC));
  row("file rsync", open_at("file", 0, R, __WASI_FDFLAGS_RSYNC));
  row("file trunc ro", open_at("file", __WASI_OFLAGS_TRUNC, R, 0));
  row("file creat none", open_at("file", __WASI_OFLAGS_CREAT, 0, 0));
  row("file trunc none", open_at("file", __WASI_OFLAGS_TRUNC, 0, 0));
  row("file excl without creat", open_at("file", __WASI_OFLAGS_EXCL, R, 0));
  if (__wasi_path_create_directory(3, "dir") != 0) printf("mkdir failed\n");
  row("dir", open_at("dir", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0));
  row("dir all", open_at("dir", __WASI_OFLAGS_DIRECTORY, all, 0));
  row("dir read", open_at("dir", 0, R, 0));
  row("dir write", open_at("dir", 0, W, 0));
  row("dir setsize", open_at("dir", 0, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0));
  row("dir datasync", open_at("dir", 0, __WASI_RIGHTS_FD_DATASYNC, 0));
  row("dir append", open_at("dir", 0, 0, __WASI_FDFLAGS_APPEND));
  row("dir none", open_at("dir", 0, 0, 0));
  row("dir creat", open_at("dir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, R, 0));
  row("dir trunc", open_at("dir", __WASI_OFLAGS_TRUNC | __WASI_OFLAGS_DIRECTORY, R, 0));
  row("file as dir", open_at("file", __WASI_OFLAGS_DIRECTORY, 0, 0));
  row("closed", 77);
  return 0;
}
