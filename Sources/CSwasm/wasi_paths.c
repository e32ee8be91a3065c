// WASI platform layer: sandboxed path resolution. Every path a guest names is resolved beneath a
// directory descriptor and can never leave it, whatever the path, the symbolic links on the way
// (including ones created by the guest, or swapped while resolving) or concurrent renames.
//
// Two implementations:
//  - openat2 with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: the kernel refuses (EXDEV) any step
//    that leaves the directory, `..` and symbolic links included, atomically. EAGAIN (a rename
//    somewhere on the system during the lookup) is retried a few times; ENOSYS (before Linux 5.6)
//    is remembered in a flag; EPERM (seccomp sandboxes that refuse unknown system calls) falls back
//    to the walk for that call.
//  - the walk: one openat(O_PATH | O_DIRECTORY | O_NOFOLLOW) per component, so the kernel never
//    follows a link itself. A component that turns out to be a symbolic link is read with
//    readlinkat and its target spliced in front of the rest of the path (absolute targets are
//    refused; at most 40 links per resolution, ELOOP beyond). `..` pops a stack of the
//    directories passed: the descriptors of the outermost 16 are held, so `..` returns to the
//    very directory it came from; deeper ones are recorded by device and inode, and `..`
//    re-opened through the kernel is checked against them (a directory moved out meanwhile
//    gives EPERM).
//    `..` at the starting directory is an escape (EPERM). Paths may pass through at most 256
//    directories (ENAMETOOLONG beyond). Memory: about 15 KiB of stack.
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437 /* the same on every architecture */
#endif
#ifndef RESOLVE_NO_MAGICLINKS
#define RESOLVE_NO_MAGICLINKS 0x02
#endif
#ifndef RESOLVE_BENEATH
#define RESOLVE_BENEATH 0x08
#endif

/// `struct open_how` of linux/openat2.h, declared here so that older kernel headers build.
struct cswasm_open_how {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};

// The one piece of global mutable state: set once the kernel has answered ENOSYS to openat2.
// Relaxed atomics suffice (a stale read costs one failing system call).
static int openat2_missing;

enum { OPENAT2_FALL_BACK = -1 };

/// 0 with the descriptor, a WASI errno, or OPENAT2_FALL_BACK.
static int try_openat2(int start, const char *path, int flags, mode_t mode, int *out_fd) {
  if (__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED)) return OPENAT2_FALL_BACK;
  struct cswasm_open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(unsigned)flags;
  how.mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (uint64_t)mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < 4;) {
    long fd = syscall(SYS_openat2, start, path, &how, sizeof how);
    if (fd >= 0) {
      *out_fd = (int)fd;
      return 0;
    }
    switch (errno) {
    case EINTR: continue;
    case EAGAIN: attempt++; continue;
    case ENOSYS: __atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED); return OPENAT2_FALL_BACK;
    case EPERM: return OPENAT2_FALL_BACK;
    case EXDEV: return CSWASM_WASI_EPERM; // the path tried to leave the directory
    default: return cswasm_wasi_errno_from_host(errno);
    }
  }
  return OPENAT2_FALL_BACK;
}

uint16_t cswasm_wasi_resolve(cswasm_wasi_dir dir, const char *path, int flags, mode_t mode, bool follow,
                             int *out_fd) {
  flags |= O_CLOEXEC;
  if (!(dir.flags & CSWASM_WASI_DIR_WALK_ONLY)) {
    int result = try_openat2(dir.fd, path, follow ? flags : flags | O_NOFOLLOW, mode, out_fd);
    if (result != OPENAT2_FALL_BACK) return (uint16_t)result;
  }
  return cswasm_wasi_resolve_walk(dir.fd, path, flags, mode, follow, out_fd);
}

// MARK: the walk

enum {
  WALK_MAX_LINKS = 40,   /* Linux's MAXSYMLINKS */
  WALK_MAX_DEPTH = 256,  /* directories on the stack */
  WALK_HELD = 16,        /* of which the outermost 16 keep their descriptors */
};

typedef struct walk_level {
  int fd;        /* held descriptor, or -1 when only the identity is kept */
  bool owned;    /* fd is ours to close (false only for the starting directory) */
  dev_t dev;
  ino_t ino;
} walk_level;

typedef struct walk_state {
  int cur;       /* the directory the next component is looked up in */
  bool cur_owned;
  size_t depth;
  unsigned links;
  walk_level levels[WALK_MAX_DEPTH];
} walk_state;

static void walk_release(walk_state *walk) {
  for (size_t i = 0; i < walk->depth; i++)
    if (walk->levels[i].fd >= 0 && walk->levels[i].owned) close(walk->levels[i].fd);
  walk->depth = 0;
  if (walk->cur_owned) close(walk->cur);
  walk->cur_owned = false;
}

/// Descends into `child` (a directory descriptor just opened in walk->cur).
static uint16_t walk_push(walk_state *walk, int child) {
  if (walk->depth == WALK_MAX_DEPTH) {
    close(child);
    return CSWASM_WASI_ENAMETOOLONG;
  }
  walk_level *level = &walk->levels[walk->depth];
  level->fd = walk->cur;
  level->owned = walk->cur_owned;
  level->dev = 0;
  level->ino = 0;
  if (walk->depth >= WALK_HELD) {
    // Keep the identity only, so that a deep path does not hold hundreds of descriptors.
    struct stat info;
    if (fstat(walk->cur, &info) != 0) {
      int error = errno;
      close(child);
      return cswasm_wasi_errno_from_host(error);
    }
    level->dev = info.st_dev;
    level->ino = info.st_ino;
    if (walk->cur_owned) close(walk->cur);
    level->fd = -1;
  }
  walk->depth++;
  walk->cur = child;
  walk->cur_owned = true;
  return CSWASM_WASI_ESUCCESS;
}

/// Returns to the parent of walk->cur (the caller checked depth > 0).
static uint16_t walk_pop(walk_state *walk) {
  walk_level *level = &walk->levels[walk->depth - 1];
  if (level->fd >= 0) {
    if (walk->cur_owned) close(walk->cur);
    walk->cur = level->fd;
    walk->cur_owned = level->owned;
  } else {
    int parent;
    CSWASM_WASI_RETRY(parent, openat(walk->cur, "..", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (parent < 0) return cswasm_wasi_errno_from_host(errno);
    struct stat info;
    if (fstat(parent, &info) != 0) {
      int error = errno;
      close(parent);
      return cswasm_wasi_errno_from_host(error);
    }
    if (info.st_dev != level->dev || info.st_ino != level->ino) {
      // The directory was moved while we were inside it: its parent is no longer the one we
      // came through, and may be outside.
      close(parent);
      return CSWASM_WASI_EPERM;
    }
    if (walk->cur_owned) close(walk->cur);
    walk->cur = parent;
    walk->cur_owned = true;
  }
  walk->depth--;
  return CSWASM_WASI_ESUCCESS;
}

/// Replaces the symbolic link just consumed (the rest of the path starts at work[rest]) by its
/// target: work becomes target + work[rest...].
static uint16_t walk_splice(walk_state *walk, char *work, size_t *work_len, size_t rest, const char *target,
                            ssize_t target_len) {
  if (++walk->links > WALK_MAX_LINKS) return CSWASM_WASI_ELOOP;
  if (target_len <= 0) return CSWASM_WASI_ENOENT;
  if ((size_t)target_len >= CSWASM_WASI_PATH_MAX) return CSWASM_WASI_ENAMETOOLONG;
  if (target[0] == '/') return CSWASM_WASI_EPERM; // absolute: outside by definition
  size_t rest_len = *work_len - rest;
  if ((size_t)target_len + rest_len >= CSWASM_WASI_PATH_MAX) return CSWASM_WASI_ENAMETOOLONG;
  memmove(work + target_len, work + rest, rest_len);
  memcpy(work, target, (size_t)target_len);
  *work_len = (size_t)target_len + rest_len;
  work[*work_len] = '\0';
  return CSWASM_WASI_ESUCCESS;
}

/// Opens "." in the current directory with the caller's flags (the path ended in . or ..).
static uint16_t walk_open_dot(walk_state *walk, int flags, mode_t mode, int *out_fd) {
  int fd;
  CSWASM_WASI_RETRY(fd, openat(walk->cur, ".", flags, mode));
  if (fd < 0) return cswasm_wasi_errno_from_host(errno);
  *out_fd = fd;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_resolve_walk(int start, const char *path, int flags, mode_t mode, bool follow,
                                  int *out_fd) {
  char work[CSWASM_WASI_PATH_MAX];
  char target[CSWASM_WASI_PATH_MAX];
  char name[NAME_MAX + 1];
  size_t work_len = strlen(path);
  if (work_len >= CSWASM_WASI_PATH_MAX) return CSWASM_WASI_ENAMETOOLONG;
  if (work_len == 0) return CSWASM_WASI_ENOENT;
  if (path[0] == '/') return CSWASM_WASI_EPERM;
  memcpy(work, path, work_len + 1);
  flags = (flags | O_CLOEXEC) & ~O_NOFOLLOW; // the final open adds O_NOFOLLOW itself

  walk_state walk;
  walk.cur = start;
  walk.cur_owned = false;
  walk.depth = 0;
  walk.links = 0;

  uint16_t result;
  size_t pos = 0;
  for (;;) {
    while (pos < work_len && work[pos] == '/') pos++;
    if (pos == work_len) {
      // Only slashes were left (a target ending in "/" after "." or ".."): the directory itself.
      result = walk_open_dot(&walk, flags, mode, out_fd);
      break;
    }
    size_t begin = pos;
    while (pos < work_len && work[pos] != '/') pos++;
    size_t length = pos - begin;
    size_t after = pos;
    while (after < work_len && work[after] == '/') after++;
    bool last = after == work_len;
    bool trailing_slash = last && pos < work_len;
    if (length > NAME_MAX) {
      result = CSWASM_WASI_ENAMETOOLONG;
      break;
    }
    memcpy(name, work + begin, length);
    name[length] = '\0';

    if (length == 1 && name[0] == '.') {
      if (last) {
        result = walk_open_dot(&walk, flags, mode, out_fd);
        break;
      }
      continue;
    }
    if (length == 2 && name[0] == '.' && name[1] == '.') {
      if (walk.depth == 0) {
        result = CSWASM_WASI_EPERM; // above the starting directory
        break;
      }
      result = walk_pop(&walk);
      if (result != CSWASM_WASI_ESUCCESS) break;
      if (last) {
        result = walk_open_dot(&walk, flags, mode, out_fd);
        break;
      }
      continue;
    }

    if (!last) {
      // An intermediate component must be a directory or a symbolic link to follow.
      int fd;
      CSWASM_WASI_RETRY(fd, openat(walk.cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (fd >= 0) {
        result = walk_push(&walk, fd);
        if (result != CSWASM_WASI_ESUCCESS) break;
        continue;
      }
      int error = errno;
      if (error == ENOTDIR || error == ELOOP) {
        ssize_t n = readlinkat(walk.cur, name, target, sizeof target);
        if (n >= 0) {
          result = walk_splice(&walk, work, &work_len, pos, target, n);
          if (result != CSWASM_WASI_ESUCCESS) break;
          pos = 0;
          continue;
        }
      }
      result = cswasm_wasi_errno_from_host(error);
      break;
    }

    // The final component. A trailing slash requires a directory and follows a link; creating
    // with one is refused as the kernel refuses it.
    if (trailing_slash && (flags & O_CREAT)) {
      result = CSWASM_WASI_EISDIR;
      break;
    }
    bool follow_final = follow || trailing_slash;
    int final_flags = flags | O_NOFOLLOW | (trailing_slash ? O_DIRECTORY : 0);
    int fd;
    CSWASM_WASI_RETRY(fd, openat(walk.cur, name, final_flags, mode));
    if (fd >= 0) {
      bool is_link = false;
      if ((final_flags & O_PATH) && !(final_flags & O_DIRECTORY) && follow_final) {
        // O_PATH | O_NOFOLLOW opens a symbolic link itself instead of failing.
        struct stat info;
        if (fstat(fd, &info) != 0) {
          int error = errno;
          close(fd);
          result = cswasm_wasi_errno_from_host(error);
          break;
        }
        is_link = S_ISLNK(info.st_mode);
      }
      if (!is_link) {
        *out_fd = fd;
        result = CSWASM_WASI_ESUCCESS;
        break;
      }
      close(fd);
    } else {
      int error = errno;
      if (!follow_final || (error != ELOOP && error != ENOTDIR)) {
        result = cswasm_wasi_errno_from_host(error);
        break;
      }
      // ELOOP or ENOTDIR: a symbolic link, or just not a directory.
      ssize_t n = readlinkat(walk.cur, name, target, sizeof target);
      if (n < 0) {
        result = cswasm_wasi_errno_from_host(error);
        break;
      }
      result = walk_splice(&walk, work, &work_len, pos, target, n);
      if (result != CSWASM_WASI_ESUCCESS) break;
      pos = 0;
      continue;
    }
    ssize_t n = readlinkat(walk.cur, name, target, sizeof target);
    if (n < 0) {
      result = cswasm_wasi_errno_from_host(errno);
      break;
    }
    result = walk_splice(&walk, work, &work_len, pos, target, n);
    if (result != CSWASM_WASI_ESUCCESS) break;
    pos = 0;
  }
  walk_release(&walk);
  return result;
}

// MARK: parents

uint16_t cswasm_wasi_open_parent(cswasm_wasi_dir dir, const uint8_t *path, size_t len,
                                 char buffer[CSWASM_WASI_PATH_MAX], cswasm_wasi_parent *out) {
  out->fd = dir.fd;
  out->owned = false;
  out->trailing_slash = false;
  out->dot = false;
  out->dot_name[0] = '.';
  out->dot_name[1] = '\0';
  out->name = out->dot_name;
  out->name_len = 1;
  uint16_t result = cswasm_wasi_copy_path(path, len, buffer);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  size_t end = len;
  while (end > 0 && buffer[end - 1] == '/') end--; // end > 0: the path is relative
  size_t begin = end;
  while (begin > 0 && buffer[begin - 1] != '/') begin--;
  size_t name_len = end - begin;

  bool dots = (name_len == 1 && buffer[begin] == '.') ||
              (name_len == 2 && buffer[begin] == '.' && buffer[begin + 1] == '.');
  const char *directory;
  if (dots) {
    // "x/.." or "x/.": the whole path names the directory; act on its ".".
    buffer[end] = '\0';
    directory = buffer;
    out->dot = true;
  } else {
    out->trailing_slash = end < len;
    buffer[end] = '\0';
    out->name = buffer + begin;
    out->name_len = name_len;
    if (name_len > NAME_MAX) return CSWASM_WASI_ENAMETOOLONG;
    if (begin == 0) return CSWASM_WASI_ESUCCESS; // a name directly in dir
    buffer[begin - 1] = '\0';                     // the separator before the name
    directory = buffer;
  }
  if (directory[0] == '.' && directory[1] == '\0') return CSWASM_WASI_ESUCCESS;
  int fd;
  result = cswasm_wasi_resolve(dir, directory, O_PATH | O_DIRECTORY, 0, true, &fd);
  if (result != CSWASM_WASI_ESUCCESS) return result;
  out->fd = fd;
  out->owned = true;
  return CSWASM_WASI_ESUCCESS;
}

void cswasm_wasi_parent_close(cswasm_wasi_parent *parent) {
  if (parent->owned) close(parent->fd);
  parent->owned = false;
}

const char *cswasm_wasi_parent_slashed_name(cswasm_wasi_parent *parent) {
  if (parent->trailing_slash) {
    // The path had at least one slash after the name: buffer[end] was '/', buffer[end + 1]
    // exists (end < len < CSWASM_WASI_PATH_MAX).
    parent->name[parent->name_len] = '/';
    parent->name[parent->name_len + 1] = '\0';
  }
  return parent->name;
}
