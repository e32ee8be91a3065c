// WASI platform layer: the path_* functions, on top of the sandboxed resolution of wasi_paths.c.
// Operations that must not follow the final component act on (parent directory, name) with the
// *at system calls, which never follow a final symbolic link themselves; the few lookups that
// the kernel would follow for a trailing slash (fstatat, utimensat, readlinkat, linkat's source)
// resolve the whole path beneath the directory instead.
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <fcntl.h>
#include <stdio.h> // renameat
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool mutable_dir(cswasm_wasi_dir dir) { return (dir.flags & CSWASM_WASI_DIR_MUTABLE) != 0; }

/// Resolves the guest's whole path (checked again into `buffer`) beneath `dir`.
static uint16_t resolve_whole(cswasm_wasi_dir dir, const uint8_t *path, size_t len, char buffer[CSWASM_WASI_PATH_MAX],
                              int flags, bool follow, int *out_fd) {
  uint16_t result = cswasm_wasi_copy_path(path, len, buffer);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  return cswasm_wasi_resolve(dir, buffer, flags, 0, follow, out_fd);
}

/// What creating `name/` (a new link or symbolic link named with a trailing slash) gives: the
/// path must then name an existing directory, so EEXIST if it does, else the lookup's error
/// (ENOENT, ENOTDIR), as wasmtime answers.
static uint16_t create_with_trailing_slash(cswasm_wasi_dir dir, const uint8_t *path, size_t len,
                                           char buffer[CSWASM_WASI_PATH_MAX]) {
  int fd;
  uint16_t result = resolve_whole(dir, path, len, buffer, O_PATH | O_DIRECTORY, true, &fd);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  close(fd);
  return CSWASM_WASI_EEXIST;
}

// MARK: path_open

uint16_t cswasm_wasi_path_open(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len, uint32_t lookupflags,
                               uint16_t oflags, uint16_t fdflags, uint32_t access, int *out_fd) {
  const uint16_t known_oflags = CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_DIRECTORY | CSWASM_WASI_OFLAGS_EXCL |
                                CSWASM_WASI_OFLAGS_TRUNC;
  const uint16_t known_fdflags = CSWASM_WASI_FDFLAGS_APPEND | CSWASM_WASI_FDFLAGS_DSYNC |
                                 CSWASM_WASI_FDFLAGS_NONBLOCK | CSWASM_WASI_FDFLAGS_RSYNC | CSWASM_WASI_FDFLAGS_SYNC;
  if ((lookupflags & ~(uint32_t)CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) || (oflags & ~known_oflags) ||
      (fdflags & ~known_fdflags) || (access & ~(CSWASM_WASI_ACCESS_READ | CSWASM_WASI_ACCESS_WRITE)))
    return CSWASM_WASI_EINVAL;
  if ((oflags & (CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_TRUNC)) && (oflags & CSWASM_WASI_OFLAGS_DIRECTORY))
    return CSWASM_WASI_EINVAL;
  if (!mutable_dir(dir) &&
      ((access & CSWASM_WASI_ACCESS_WRITE) || (oflags & (CSWASM_WASI_OFLAGS_CREAT | CSWASM_WASI_OFLAGS_TRUNC))))
    return CSWASM_WASI_EPERM;

  char buffer[CSWASM_WASI_PATH_MAX];
  uint16_t result = cswasm_wasi_copy_path(path, path_len, buffer);
  if (result != CSWASM_WASI_ESUCCESS) return result;

  // Non-blocking so that opening a FIFO never blocks the host thread; cleared below.
  int flags = O_NOCTTY | O_NONBLOCK;
  if ((access & CSWASM_WASI_ACCESS_READ) && (access & CSWASM_WASI_ACCESS_WRITE)) flags |= O_RDWR;
  else if (access & CSWASM_WASI_ACCESS_WRITE) flags |= O_WRONLY;
  else flags |= O_RDONLY;
  if (oflags & CSWASM_WASI_OFLAGS_CREAT) flags |= O_CREAT;
  if (oflags & CSWASM_WASI_OFLAGS_DIRECTORY) flags |= O_DIRECTORY;
  if (oflags & CSWASM_WASI_OFLAGS_EXCL) flags |= O_EXCL;
  if (oflags & CSWASM_WASI_OFLAGS_TRUNC) flags |= O_TRUNC;
  if (fdflags & CSWASM_WASI_FDFLAGS_APPEND) flags |= O_APPEND;
  if (fdflags & CSWASM_WASI_FDFLAGS_DSYNC) flags |= O_DSYNC;
  if (fdflags & CSWASM_WASI_FDFLAGS_RSYNC) flags |= O_RSYNC;
  if (fdflags & CSWASM_WASI_FDFLAGS_SYNC) flags |= O_SYNC;
  bool follow = (lookupflags & CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) != 0;

  int fd;
  result = cswasm_wasi_resolve(dir, buffer, flags, 0666, follow, &fd);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  if (!(fdflags & CSWASM_WASI_FDFLAGS_NONBLOCK)) {
    int status = fcntl(fd, F_GETFL);
    if (status == -1 || fcntl(fd, F_SETFL, status & ~O_NONBLOCK) == -1) {
      int error = errno;
      close(fd);
      return cswasm_wasi_errno_from_host(error);
    }
  }
  *out_fd = fd;
  return CSWASM_WASI_ESUCCESS;
}

// MARK: directories

uint16_t cswasm_wasi_path_create_directory(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len) {
  if (!mutable_dir(dir)) return CSWASM_WASI_EPERM;
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  uint16_t result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result == CSWASM_WASI_ESUCCESS) {
    int status;
    // A trailing slash is ignored (mkdir "d/" makes d); "." and ".." exist already (EEXIST).
    CSWASM_WASI_RETRY(status, mkdirat(parent.fd, parent.name, 0777));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&parent);
  return result;
}

uint16_t cswasm_wasi_path_remove_directory(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len) {
  if (!mutable_dir(dir)) return CSWASM_WASI_EPERM;
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  uint16_t result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result == CSWASM_WASI_ESUCCESS) {
    int status;
    CSWASM_WASI_RETRY(status, unlinkat(parent.fd, cswasm_wasi_parent_slashed_name(&parent), AT_REMOVEDIR));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&parent);
  return result;
}

uint16_t cswasm_wasi_path_unlink_file(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len) {
  if (!mutable_dir(dir)) return CSWASM_WASI_EPERM;
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  uint16_t result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result == CSWASM_WASI_ESUCCESS) {
    int status;
    // "dir/" gives EISDIR and "file/" ENOTDIR (Linux's answers for a trailing slash).
    CSWASM_WASI_RETRY(status, unlinkat(parent.fd, cswasm_wasi_parent_slashed_name(&parent), 0));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&parent);
  return result;
}

// MARK: links

uint16_t cswasm_wasi_path_rename(cswasm_wasi_dir old_dir, const uint8_t *old_path, size_t old_len,
                                 cswasm_wasi_dir new_dir, const uint8_t *new_path, size_t new_len) {
  if (!mutable_dir(old_dir) || !mutable_dir(new_dir)) return CSWASM_WASI_EPERM;
  char old_buffer[CSWASM_WASI_PATH_MAX], new_buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent old_parent, new_parent;
  uint16_t result = cswasm_wasi_open_parent(old_dir, old_path, old_len, old_buffer, &old_parent);
  if (result != CSWASM_WASI_ESUCCESS) {
    cswasm_wasi_parent_close(&old_parent);
    return result;
  }
  result = cswasm_wasi_open_parent(new_dir, new_path, new_len, new_buffer, &new_parent);
  if (result == CSWASM_WASI_ESUCCESS) {
    int status;
    CSWASM_WASI_RETRY(status, renameat(old_parent.fd, cswasm_wasi_parent_slashed_name(&old_parent), new_parent.fd,
                                       cswasm_wasi_parent_slashed_name(&new_parent)));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&new_parent);
  cswasm_wasi_parent_close(&old_parent);
  return result;
}

uint16_t cswasm_wasi_path_symlink(const uint8_t *target, size_t target_len, cswasm_wasi_dir dir,
                                  const uint8_t *new_path, size_t new_len) {
  if (!mutable_dir(dir)) return CSWASM_WASI_EPERM;
  char target_buffer[CSWASM_WASI_PATH_MAX];
  // The same checks as a path: UTF-8, no NUL, not empty, not absolute, not too long.
  uint16_t result = cswasm_wasi_copy_path(target, target_len, target_buffer);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  result = cswasm_wasi_open_parent(dir, new_path, new_len, buffer, &parent);
  if (result == CSWASM_WASI_ESUCCESS) {
    if (parent.trailing_slash) {
      cswasm_wasi_parent_close(&parent);
      return create_with_trailing_slash(dir, new_path, new_len, buffer);
    }
    int status;
    CSWASM_WASI_RETRY(status, symlinkat(target_buffer, parent.fd, parent.name));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&parent);
  return result;
}

uint16_t cswasm_wasi_path_link(cswasm_wasi_dir old_dir, uint32_t old_lookupflags, const uint8_t *old_path,
                               size_t old_len, cswasm_wasi_dir new_dir, const uint8_t *new_path, size_t new_len) {
  // Following the source's final link could make a hard link to what the link names; wasmtime
  // refuses it, and so does this layer (unknown bits too).
  if (old_lookupflags != 0) return CSWASM_WASI_EINVAL;
  if (!mutable_dir(old_dir) || !mutable_dir(new_dir)) return CSWASM_WASI_EPERM;
  char old_buffer[CSWASM_WASI_PATH_MAX], new_buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent old_parent, new_parent;
  uint16_t result = cswasm_wasi_open_parent(old_dir, old_path, old_len, old_buffer, &old_parent);
  if (result != CSWASM_WASI_ESUCCESS) {
    cswasm_wasi_parent_close(&old_parent);
    return result;
  }
  if (old_parent.trailing_slash) {
    // "name/" names a directory (the kernel would follow a link to find it): directories cannot
    // be hard-linked.
    cswasm_wasi_parent_close(&old_parent);
    int fd;
    result = resolve_whole(old_dir, old_path, old_len, old_buffer, O_PATH | O_DIRECTORY, true, &fd);
    if (result != CSWASM_WASI_ESUCCESS) return result;
    close(fd);
    return CSWASM_WASI_EPERM;
  }
  result = cswasm_wasi_open_parent(new_dir, new_path, new_len, new_buffer, &new_parent);
  if (result == CSWASM_WASI_ESUCCESS && new_parent.trailing_slash) {
    cswasm_wasi_parent_close(&new_parent);
    cswasm_wasi_parent_close(&old_parent);
    return create_with_trailing_slash(new_dir, new_path, new_len, new_buffer);
  }
  if (result == CSWASM_WASI_ESUCCESS) {
    int status;
    CSWASM_WASI_RETRY(status, linkat(old_parent.fd, old_parent.name, new_parent.fd, new_parent.name, 0));
    if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  }
  cswasm_wasi_parent_close(&new_parent);
  cswasm_wasi_parent_close(&old_parent);
  return result;
}

uint16_t cswasm_wasi_path_readlink(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len, uint8_t *buf,
                                   size_t buf_len, size_t *bufused) {
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  uint16_t result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result != CSWASM_WASI_ESUCCESS) {
    cswasm_wasi_parent_close(&parent);
    return result;
  }
  if (parent.trailing_slash) {
    // "name/" names a directory, never a link.
    cswasm_wasi_parent_close(&parent);
    int fd;
    result = resolve_whole(dir, path, path_len, buffer, O_PATH | O_DIRECTORY, true, &fd);
    if (result != CSWASM_WASI_ESUCCESS) return result;
    close(fd);
    return CSWASM_WASI_EINVAL;
  }
  char scratch[1];
  char *into = buf_len != 0 ? (char *)buf : scratch;
  size_t room = buf_len != 0 ? buf_len : sizeof scratch;
  ssize_t n = readlinkat(parent.fd, parent.name, into, room);
  if (n < 0) {
    result = cswasm_wasi_errno_from_host(errno);
  } else {
    *bufused = buf_len != 0 ? (size_t)n : 0;
  }
  cswasm_wasi_parent_close(&parent);
  return result;
}

// MARK: status and times

static uint16_t stat_fd(int fd, cswasm_wasi_filestat *out) {
  struct stat info;
  if (fstat(fd, &info) != 0) return cswasm_wasi_errno_from_host(errno);
  cswasm_wasi_filestat_from_stat(&info, out);
  return CSWASM_WASI_ESUCCESS;
}

/// Status of what the whole path names, following a final link.
static uint16_t stat_following(cswasm_wasi_dir dir, const uint8_t *path, size_t len, char buffer[CSWASM_WASI_PATH_MAX],
                               int flags, cswasm_wasi_filestat *out) {
  int fd;
  uint16_t result = resolve_whole(dir, path, len, buffer, O_PATH | flags, true, &fd);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  result = stat_fd(fd, out);
  close(fd);
  return result;
}

uint16_t cswasm_wasi_path_filestat_get(cswasm_wasi_dir dir, uint32_t lookupflags, const uint8_t *path,
                                       size_t path_len, cswasm_wasi_filestat *out) {
  if (lookupflags & ~(uint32_t)CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) return CSWASM_WASI_EINVAL;
  bool follow = (lookupflags & CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) != 0;
  char buffer[CSWASM_WASI_PATH_MAX];
  cswasm_wasi_parent parent;
  uint16_t result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result != CSWASM_WASI_ESUCCESS) {
    cswasm_wasi_parent_close(&parent);
    return result;
  }
  if (parent.dot) {
    result = stat_fd(parent.fd, out);
    cswasm_wasi_parent_close(&parent);
    return result;
  }
  if (parent.trailing_slash) {
    cswasm_wasi_parent_close(&parent);
    return stat_following(dir, path, path_len, buffer, O_DIRECTORY, out);
  }
  struct stat info;
  int status = fstatat(parent.fd, parent.name, &info, AT_SYMLINK_NOFOLLOW);
  int error = errno;
  cswasm_wasi_parent_close(&parent);
  if (status != 0) return cswasm_wasi_errno_from_host(error);
  if (follow && S_ISLNK(info.st_mode)) return stat_following(dir, path, path_len, buffer, 0, out);
  cswasm_wasi_filestat_from_stat(&info, out);
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_path_filestat_set_times(cswasm_wasi_dir dir, uint32_t lookupflags, const uint8_t *path,
                                             size_t path_len, uint64_t atim, uint64_t mtim, uint16_t fstflags) {
  if (lookupflags & ~(uint32_t)CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) return CSWASM_WASI_EINVAL;
  struct timespec times[2];
  uint16_t result = cswasm_wasi_timespecs(atim, mtim, fstflags, times);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  if (!mutable_dir(dir)) return CSWASM_WASI_EPERM;
  bool follow = (lookupflags & CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) != 0;
  char buffer[CSWASM_WASI_PATH_MAX];
  int fd;
  if (follow) {
    result = resolve_whole(dir, path, path_len, buffer, O_PATH, true, &fd);
    if (result != CSWASM_WASI_ESUCCESS) return result;
    result = cswasm_wasi_set_times_on_fd(fd, times);
    close(fd);
    return result;
  }
  cswasm_wasi_parent parent;
  result = cswasm_wasi_open_parent(dir, path, path_len, buffer, &parent);
  if (result != CSWASM_WASI_ESUCCESS) {
    cswasm_wasi_parent_close(&parent);
    return result;
  }
  if (parent.dot) {
    result = cswasm_wasi_set_times_on_fd(parent.fd, times);
    cswasm_wasi_parent_close(&parent);
    return result;
  }
  if (parent.trailing_slash) {
    cswasm_wasi_parent_close(&parent);
    result = resolve_whole(dir, path, path_len, buffer, O_PATH | O_DIRECTORY, true, &fd);
    if (result != CSWASM_WASI_ESUCCESS) return result;
    result = cswasm_wasi_set_times_on_fd(fd, times);
    close(fd);
    return result;
  }
  int status;
  CSWASM_WASI_RETRY(status, utimensat(parent.fd, parent.name, times, AT_SYMLINK_NOFOLLOW));
  if (status != 0) result = cswasm_wasi_errno_from_host(errno);
  cswasm_wasi_parent_close(&parent);
  return result;
}
