// WASI platform layer: the fd_* functions on open descriptors, readdir, and host-side opens.
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

_Static_assert(sizeof(cswasm_wasi_iovec) == sizeof(struct iovec), "cswasm_wasi_iovec is struct iovec");
_Static_assert(offsetof(cswasm_wasi_iovec, base) == offsetof(struct iovec, iov_base), "iovec base");
_Static_assert(offsetof(cswasm_wasi_iovec, len) == offsetof(struct iovec, iov_len), "iovec len");
_Static_assert(sizeof(cswasm_wasi_ciovec) == sizeof(struct iovec), "cswasm_wasi_ciovec is struct iovec");
_Static_assert(offsetof(cswasm_wasi_ciovec, len) == offsetof(struct iovec, iov_len), "ciovec len");
_Static_assert(sizeof(cswasm_wasi_filestat) == 64, "WASI filestat is 64 bytes");
_Static_assert(offsetof(cswasm_wasi_filestat, filetype) == 16, "filestat.filetype");
_Static_assert(offsetof(cswasm_wasi_filestat, nlink) == 24, "filestat.nlink");
_Static_assert(offsetof(cswasm_wasi_filestat, ctim) == 56, "filestat.ctim");

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

static int iov_count(size_t count) { return count > IOV_MAX ? IOV_MAX : (int)count; }

// MARK: reading and writing

uint16_t cswasm_wasi_fd_read(int fd, const cswasm_wasi_iovec *iovs, size_t count, size_t *nread) {
  ssize_t n;
  CSWASM_WASI_RETRY(n, readv(fd, (const struct iovec *)(const void *)iovs, iov_count(count)));
  if (n < 0) return cswasm_wasi_errno_from_host(errno);
  *nread = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_pread(int fd, const cswasm_wasi_iovec *iovs, size_t count, uint64_t offset,
                              size_t *nread) {
  if (offset > INT64_MAX) return CSWASM_WASI_EINVAL;
  ssize_t n;
  CSWASM_WASI_RETRY(n, preadv(fd, (const struct iovec *)(const void *)iovs, iov_count(count), (off_t)offset));
  if (n < 0) return cswasm_wasi_errno_from_host(errno);
  *nread = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_write(int fd, const cswasm_wasi_ciovec *iovs, size_t count, bool stream,
                              size_t *nwritten) {
  const struct iovec *vector = (const struct iovec *)(const void *)iovs;
  sigset_t pipe_signal, previous;
  bool consume = false;
  if (stream) {
    // Block SIGPIPE for this thread during the write. If it was not blocked before, no SIGPIPE
    // can be pending for the thread, so one pending after an EPIPE is ours to discard.
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous) == 0) consume = !sigismember(&previous, SIGPIPE);
    else stream = false;
  }
  ssize_t n;
  CSWASM_WASI_RETRY(n, writev(fd, vector, iov_count(count)));
  int error = errno;
  if (stream) {
    if (n < 0 && error == EPIPE && consume) {
      struct timespec zero = {0, 0};
      int taken;
      do taken = sigtimedwait(&pipe_signal, NULL, &zero);
      while (taken == -1 && errno == EINTR);
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
  }
  if (n < 0) return cswasm_wasi_errno_from_host(error);
  *nwritten = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_pwrite(int fd, const cswasm_wasi_ciovec *iovs, size_t count, uint64_t offset,
                               size_t *nwritten) {
  if (offset > INT64_MAX) return CSWASM_WASI_EINVAL;
  ssize_t n;
  CSWASM_WASI_RETRY(n, pwritev(fd, (const struct iovec *)(const void *)iovs, iov_count(count), (off_t)offset));
  if (n < 0) return cswasm_wasi_errno_from_host(errno);
  *nwritten = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_seek(int fd, int64_t offset, uint8_t whence, uint64_t *new_offset) {
  int how;
  switch (whence) {
  case CSWASM_WASI_WHENCE_SET: how = SEEK_SET; break;
  case CSWASM_WASI_WHENCE_CUR: how = SEEK_CUR; break;
  case CSWASM_WASI_WHENCE_END: how = SEEK_END; break;
  default: return CSWASM_WASI_EINVAL;
  }
  off_t result = lseek(fd, (off_t)offset, how);
  if (result < 0) return cswasm_wasi_errno_from_host(errno);
  *new_offset = (uint64_t)result;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_sync(int fd) {
  int result;
  CSWASM_WASI_RETRY(result, fsync(fd));
  return result == 0 ? CSWASM_WASI_ESUCCESS : cswasm_wasi_errno_from_host(errno);
}

uint16_t cswasm_wasi_fd_datasync(int fd) {
  int result;
  CSWASM_WASI_RETRY(result, fdatasync(fd));
  return result == 0 ? CSWASM_WASI_ESUCCESS : cswasm_wasi_errno_from_host(errno);
}

uint16_t cswasm_wasi_fd_close(int fd) {
  // Linux releases the descriptor even when close reports EINTR; retrying could close a
  // descriptor another thread just received.
  if (close(fd) == 0 || errno == EINTR) return CSWASM_WASI_ESUCCESS;
  return cswasm_wasi_errno_from_host(errno);
}

// MARK: status and flags

uint16_t cswasm_wasi_fd_fdstat_get(int fd, uint8_t *filetype, uint16_t *fdflags) {
  struct stat info;
  if (fstat(fd, &info) != 0) return cswasm_wasi_errno_from_host(errno);
  int status = fcntl(fd, F_GETFL);
  if (status == -1) return cswasm_wasi_errno_from_host(errno);
  uint8_t type = cswasm_wasi_filetype_from_mode(info.st_mode);
  if (S_ISSOCK(info.st_mode)) {
    int socket_type = 0;
    socklen_t size = sizeof socket_type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &socket_type, &size) == 0)
      type = socket_type == SOCK_DGRAM    ? CSWASM_WASI_FILETYPE_SOCKET_DGRAM
             : socket_type == SOCK_STREAM ? CSWASM_WASI_FILETYPE_SOCKET_STREAM
                                          : CSWASM_WASI_FILETYPE_UNKNOWN;
  }
  uint16_t flags = 0;
  if (status & O_APPEND) flags |= CSWASM_WASI_FDFLAGS_APPEND;
  if (status & O_NONBLOCK) flags |= CSWASM_WASI_FDFLAGS_NONBLOCK;
  if (status & O_DSYNC) flags |= CSWASM_WASI_FDFLAGS_DSYNC;
  if ((status & O_SYNC) == O_SYNC) flags |= CSWASM_WASI_FDFLAGS_SYNC | CSWASM_WASI_FDFLAGS_RSYNC;
  *filetype = type;
  *fdflags = flags;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_fdstat_set_flags(int fd, uint16_t fdflags) {
  const uint16_t known = CSWASM_WASI_FDFLAGS_APPEND | CSWASM_WASI_FDFLAGS_DSYNC | CSWASM_WASI_FDFLAGS_NONBLOCK |
                         CSWASM_WASI_FDFLAGS_RSYNC | CSWASM_WASI_FDFLAGS_SYNC;
  if (fdflags & ~known) return CSWASM_WASI_EINVAL;
  if (fdflags & (CSWASM_WASI_FDFLAGS_DSYNC | CSWASM_WASI_FDFLAGS_RSYNC | CSWASM_WASI_FDFLAGS_SYNC))
    return CSWASM_WASI_EINVAL;
  int status = fcntl(fd, F_GETFL);
  if (status == -1) return cswasm_wasi_errno_from_host(errno);
  status &= ~(O_APPEND | O_NONBLOCK);
  if (fdflags & CSWASM_WASI_FDFLAGS_APPEND) status |= O_APPEND;
  if (fdflags & CSWASM_WASI_FDFLAGS_NONBLOCK) status |= O_NONBLOCK;
  if (fcntl(fd, F_SETFL, status) == -1) return cswasm_wasi_errno_from_host(errno);
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_filestat_get(int fd, cswasm_wasi_filestat *out) {
  struct stat info;
  if (fstat(fd, &info) != 0) return cswasm_wasi_errno_from_host(errno);
  cswasm_wasi_filestat_from_stat(&info, out);
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_fd_filestat_set_size(int fd, uint64_t size) {
  if (size > INT64_MAX) return CSWASM_WASI_EINVAL;
  int result;
  CSWASM_WASI_RETRY(result, ftruncate(fd, (off_t)size));
  return result == 0 ? CSWASM_WASI_ESUCCESS : cswasm_wasi_errno_from_host(errno);
}

uint16_t cswasm_wasi_fd_filestat_set_times(int fd, uint64_t atim, uint64_t mtim, uint16_t fstflags) {
  struct timespec times[2];
  uint16_t result = cswasm_wasi_timespecs(atim, mtim, fstflags, times);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  return cswasm_wasi_set_times_on_fd(fd, times);
}

uint16_t cswasm_wasi_fd_advise(int fd, uint64_t offset, uint64_t len, uint8_t advice) {
  int how;
  switch (advice) {
  case CSWASM_WASI_ADVICE_NORMAL: how = POSIX_FADV_NORMAL; break;
  case CSWASM_WASI_ADVICE_SEQUENTIAL: how = POSIX_FADV_SEQUENTIAL; break;
  case CSWASM_WASI_ADVICE_RANDOM: how = POSIX_FADV_RANDOM; break;
  case CSWASM_WASI_ADVICE_WILLNEED: how = POSIX_FADV_WILLNEED; break;
  case CSWASM_WASI_ADVICE_DONTNEED: how = POSIX_FADV_DONTNEED; break;
  case CSWASM_WASI_ADVICE_NOREUSE: how = POSIX_FADV_NOREUSE; break;
  default: return CSWASM_WASI_EINVAL;
  }
  if (offset > INT64_MAX || len > INT64_MAX) return CSWASM_WASI_EINVAL;
  int error = posix_fadvise(fd, (off_t)offset, (off_t)len, how); // returns the error itself
  return cswasm_wasi_errno_from_host(error);
}

uint16_t cswasm_wasi_fd_nread(int fd, uint64_t *nbytes) {
  struct stat info;
  if (fstat(fd, &info) != 0) return cswasm_wasi_errno_from_host(errno);
  uint64_t count = 0;
  if (S_ISREG(info.st_mode)) {
    off_t position = lseek(fd, 0, SEEK_CUR);
    if (position >= 0 && info.st_size > position) count = (uint64_t)(info.st_size - position);
  } else {
    int available = 0;
    if (ioctl(fd, FIONREAD, &available) == 0 && available > 0) count = (uint64_t)available;
  }
  *nbytes = count;
  return CSWASM_WASI_ESUCCESS;
}

// MARK: readdir

/// A record of getdents64 (linux_dirent64).
struct cswasm_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static uint8_t filetype_from_dirent(int directory, const struct cswasm_dirent64 *entry) {
  switch (entry->d_type) {
  case DT_BLK: return CSWASM_WASI_FILETYPE_BLOCK_DEVICE;
  case DT_CHR: return CSWASM_WASI_FILETYPE_CHARACTER_DEVICE;
  case DT_DIR: return CSWASM_WASI_FILETYPE_DIRECTORY;
  case DT_REG: return CSWASM_WASI_FILETYPE_REGULAR_FILE;
  case DT_LNK: return CSWASM_WASI_FILETYPE_SYMBOLIC_LINK;
  case DT_SOCK: return CSWASM_WASI_FILETYPE_SOCKET_STREAM;
  case DT_FIFO: return CSWASM_WASI_FILETYPE_UNKNOWN;
  default: {
    // Some file systems leave the type out: ask for it, without following the name.
    struct stat info;
    if (fstatat(directory, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) return CSWASM_WASI_FILETYPE_UNKNOWN;
    return cswasm_wasi_filetype_from_mode(info.st_mode);
  }
  }
}

static void put_u64(uint8_t *out, uint64_t value) {
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(value >> (8 * i));
}

// Appends one dirent (header, then name) to `buf`, cut at its end as WASI specifies.
static void put_dirent(uint8_t *buf, size_t buf_len, size_t *used, uint64_t next, uint64_t ino, uint8_t type,
                       const char *name, size_t name_len) {
  uint8_t header[CSWASM_WASI_DIRENT_SIZE];
  memset(header, 0, sizeof header);
  put_u64(header, next);
  put_u64(header + 8, ino);
  uint32_t length = (uint32_t)name_len;
  for (int i = 0; i < 4; i++) header[16 + i] = (uint8_t)(length >> (8 * i));
  header[20] = type;
  size_t room = buf_len - *used;
  size_t part = room < sizeof header ? room : sizeof header;
  memcpy(buf + *used, header, part);
  *used += part;
  room = buf_len - *used;
  part = room < name_len ? room : name_len;
  if (part != 0) memcpy(buf + *used, name, part);
  *used += part;
}

uint16_t cswasm_wasi_fd_readdir(int fd, uint8_t *buf, size_t buf_len, uint64_t cookie, size_t *bufused) {
  // Cookies count entries, as wasmtime's do: `.` is 0, `..` 1, then the directory's other
  // entries in the kernel's order (small numbers that survive wasi-libc's 32-bit telldir).
  size_t used = 0;
  uint64_t index = 0;
  for (int dots = 1; dots <= 2 && used < buf_len; dots++, index++) {
    if (index < cookie) continue;
    struct stat status;
    if (fstatat(fd, dots == 1 ? "." : "..", &status, 0) != 0) memset(&status, 0, sizeof status);
    put_dirent(buf, buf_len, &used, index + 1, (uint64_t)status.st_ino, CSWASM_WASI_FILETYPE_DIRECTORY, "..", (size_t)dots);
  }
  if (lseek(fd, 0, SEEK_SET) < 0) return cswasm_wasi_errno_from_host(errno);
  _Alignas(8) char records[8192];
  while (used < buf_len) {
    long got;
    CSWASM_WASI_RETRY(got, syscall(SYS_getdents64, fd, records, sizeof records));
    if (got < 0) return cswasm_wasi_errno_from_host(errno);
    if (got == 0) break; // the end of the directory
    for (long at = 0; at < got && used < buf_len;) {
      const struct cswasm_dirent64 *entry = (const struct cswasm_dirent64 *)(const void *)(records + at);
      if (entry->d_reclen <= offsetof(struct cswasm_dirent64, d_name) || entry->d_reclen > got - at)
        return CSWASM_WASI_EIO; // never from a sane kernel; do not loop on it
      at += entry->d_reclen;
      size_t name_max = entry->d_reclen - offsetof(struct cswasm_dirent64, d_name);
      size_t name_len = strnlen(entry->d_name, name_max);
      if ((name_len == 1 && entry->d_name[0] == '.') || (name_len == 2 && entry->d_name[0] == '.' && entry->d_name[1] == '.'))
        continue; // given first, above
      if (index++ < cookie) continue;
      put_dirent(buf, buf_len, &used, index, entry->d_ino, filetype_from_dirent(fd, entry), entry->d_name, name_len);
    }
  }
  *bufused = used;
  return CSWASM_WASI_ESUCCESS;
}

// MARK: host-side opens

static uint16_t host_open(const char *path, int flags, mode_t mode, int *out_fd) {
  if (path == NULL) return CSWASM_WASI_EFAULT;
  int fd;
  CSWASM_WASI_RETRY(fd, open(path, flags | O_CLOEXEC | O_NOCTTY, mode));
  if (fd < 0) return cswasm_wasi_errno_from_host(errno);
  *out_fd = fd;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_host_open_directory(const char *path, int *out_fd) {
  return host_open(path, O_RDONLY | O_DIRECTORY, 0, out_fd);
}

uint16_t cswasm_wasi_host_open_read(const char *path, int *out_fd) { return host_open(path, O_RDONLY, 0, out_fd); }

uint16_t cswasm_wasi_host_open_write(const char *path, int *out_fd) {
  return host_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666, out_fd);
}

bool cswasm_wasi_fd_is_terminal(int fd) { return isatty(fd) == 1; }

uint16_t cswasm_wasi_fd_duplicate(int fd, int *out_fd) {
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return cswasm_wasi_errno_from_host(errno);
  *out_fd = copy;
  return CSWASM_WASI_ESUCCESS;
}
