// WASI platform layer: errno translation, path checks, file types, status and times.
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

// MARK: errno

// Every Linux errno (1...133; 41 and 58 are unused), indexed by its value. WASI names most of
// them; the rest get the closest meaning a program can act on, or EIO.
static const uint8_t wasi_errno_table[134] = {
    [EPERM] = CSWASM_WASI_EPERM,
    [ENOENT] = CSWASM_WASI_ENOENT,
    [ESRCH] = CSWASM_WASI_ESRCH,
    [EINTR] = CSWASM_WASI_EINTR,
    [EIO] = CSWASM_WASI_EIO,
    [ENXIO] = CSWASM_WASI_ENXIO,
    [E2BIG] = CSWASM_WASI_E2BIG,
    [ENOEXEC] = CSWASM_WASI_ENOEXEC,
    [EBADF] = CSWASM_WASI_EBADF,
    [ECHILD] = CSWASM_WASI_ECHILD,
    [EAGAIN] = CSWASM_WASI_EAGAIN, /* = EWOULDBLOCK */
    [ENOMEM] = CSWASM_WASI_ENOMEM,
    [EACCES] = CSWASM_WASI_EACCES,
    [EFAULT] = CSWASM_WASI_EFAULT,
    [ENOTBLK] = CSWASM_WASI_ENOTSUP,  /* block device required */
    [EBUSY] = CSWASM_WASI_EBUSY,
    [EEXIST] = CSWASM_WASI_EEXIST,
    [EXDEV] = CSWASM_WASI_EXDEV,
    [ENODEV] = CSWASM_WASI_ENODEV,
    [ENOTDIR] = CSWASM_WASI_ENOTDIR,
    [EISDIR] = CSWASM_WASI_EISDIR,
    [EINVAL] = CSWASM_WASI_EINVAL,
    [ENFILE] = CSWASM_WASI_ENFILE,
    [EMFILE] = CSWASM_WASI_EMFILE,
    [ENOTTY] = CSWASM_WASI_ENOTTY,
    [ETXTBSY] = CSWASM_WASI_ETXTBSY,
    [EFBIG] = CSWASM_WASI_EFBIG,
    [ENOSPC] = CSWASM_WASI_ENOSPC,
    [ESPIPE] = CSWASM_WASI_ESPIPE,
    [EROFS] = CSWASM_WASI_EROFS,
    [EMLINK] = CSWASM_WASI_EMLINK,
    [EPIPE] = CSWASM_WASI_EPIPE,
    [EDOM] = CSWASM_WASI_EDOM,
    [ERANGE] = CSWASM_WASI_ERANGE,
    [EDEADLK] = CSWASM_WASI_EDEADLK, /* = EDEADLOCK */
    [ENAMETOOLONG] = CSWASM_WASI_ENAMETOOLONG,
    [ENOLCK] = CSWASM_WASI_ENOLCK,
    [ENOSYS] = CSWASM_WASI_ENOSYS,
    [ENOTEMPTY] = CSWASM_WASI_ENOTEMPTY,
    [ELOOP] = CSWASM_WASI_ELOOP,
    [ENOMSG] = CSWASM_WASI_ENOMSG,
    [EIDRM] = CSWASM_WASI_EIDRM,
    [ECHRNG] = CSWASM_WASI_ERANGE,    /* channel number out of range */
    [EL2NSYNC] = CSWASM_WASI_EIO,
    [EL3HLT] = CSWASM_WASI_EIO,
    [EL3RST] = CSWASM_WASI_EIO,
    [ELNRNG] = CSWASM_WASI_ERANGE,    /* link number out of range */
    [EUNATCH] = CSWASM_WASI_EIO,
    [ENOCSI] = CSWASM_WASI_EIO,
    [EL2HLT] = CSWASM_WASI_EIO,
    [EBADE] = CSWASM_WASI_EIO,
    [EBADR] = CSWASM_WASI_EIO,
    [EXFULL] = CSWASM_WASI_ENOSPC,    /* exchange full */
    [ENOANO] = CSWASM_WASI_EIO,
    [EBADRQC] = CSWASM_WASI_EINVAL,   /* invalid request code */
    [EBADSLT] = CSWASM_WASI_EINVAL,   /* invalid slot */
    [EBFONT] = CSWASM_WASI_EIO,
    [ENOSTR] = CSWASM_WASI_ENOTSUP,   /* not a STREAM */
    [ENODATA] = CSWASM_WASI_ENOMSG,   /* no data (STREAMS, extended attributes) */
    [ETIME] = CSWASM_WASI_ETIMEDOUT,
    [ENOSR] = CSWASM_WASI_ENOMEM,     /* out of streams resources */
    [ENONET] = CSWASM_WASI_ENETUNREACH,
    [ENOPKG] = CSWASM_WASI_ENOSYS,    /* package not installed */
    [EREMOTE] = CSWASM_WASI_EIO,
    [ENOLINK] = CSWASM_WASI_ENOLINK,
    [EADV] = CSWASM_WASI_EIO,
    [ESRMNT] = CSWASM_WASI_EIO,
    [ECOMM] = CSWASM_WASI_EIO,
    [EPROTO] = CSWASM_WASI_EPROTO,
    [EMULTIHOP] = CSWASM_WASI_EMULTIHOP,
    [EDOTDOT] = CSWASM_WASI_EIO,
    [EBADMSG] = CSWASM_WASI_EBADMSG,
    [EOVERFLOW] = CSWASM_WASI_EOVERFLOW,
    [ENOTUNIQ] = CSWASM_WASI_EIO,
    [EBADFD] = CSWASM_WASI_EBADF,     /* descriptor in bad state */
    [EREMCHG] = CSWASM_WASI_EIO,
    [ELIBACC] = CSWASM_WASI_ENOEXEC,
    [ELIBBAD] = CSWASM_WASI_ENOEXEC,
    [ELIBSCN] = CSWASM_WASI_ENOEXEC,
    [ELIBMAX] = CSWASM_WASI_ENOEXEC,
    [ELIBEXEC] = CSWASM_WASI_ENOEXEC,
    [EILSEQ] = CSWASM_WASI_EILSEQ,
    [ERESTART] = CSWASM_WASI_EINTR,
    [ESTRPIPE] = CSWASM_WASI_EPIPE,
    [EUSERS] = CSWASM_WASI_EIO,
    [ENOTSOCK] = CSWASM_WASI_ENOTSOCK,
    [EDESTADDRREQ] = CSWASM_WASI_EDESTADDRREQ,
    [EMSGSIZE] = CSWASM_WASI_EMSGSIZE,
    [EPROTOTYPE] = CSWASM_WASI_EPROTOTYPE,
    [ENOPROTOOPT] = CSWASM_WASI_ENOPROTOOPT,
    [EPROTONOSUPPORT] = CSWASM_WASI_EPROTONOSUPPORT,
    [ESOCKTNOSUPPORT] = CSWASM_WASI_EPROTONOSUPPORT,
    [EOPNOTSUPP] = CSWASM_WASI_ENOTSUP, /* = ENOTSUP */
    [EPFNOSUPPORT] = CSWASM_WASI_EAFNOSUPPORT,
    [EAFNOSUPPORT] = CSWASM_WASI_EAFNOSUPPORT,
    [EADDRINUSE] = CSWASM_WASI_EADDRINUSE,
    [EADDRNOTAVAIL] = CSWASM_WASI_EADDRNOTAVAIL,
    [ENETDOWN] = CSWASM_WASI_ENETDOWN,
    [ENETUNREACH] = CSWASM_WASI_ENETUNREACH,
    [ENETRESET] = CSWASM_WASI_ENETRESET,
    [ECONNABORTED] = CSWASM_WASI_ECONNABORTED,
    [ECONNRESET] = CSWASM_WASI_ECONNRESET,
    [ENOBUFS] = CSWASM_WASI_ENOBUFS,
    [EISCONN] = CSWASM_WASI_EISCONN,
    [ENOTCONN] = CSWASM_WASI_ENOTCONN,
    [ESHUTDOWN] = CSWASM_WASI_EPIPE,  /* send after shutdown */
    [ETOOMANYREFS] = CSWASM_WASI_EMFILE,
    [ETIMEDOUT] = CSWASM_WASI_ETIMEDOUT,
    [ECONNREFUSED] = CSWASM_WASI_ECONNREFUSED,
    [EHOSTDOWN] = CSWASM_WASI_EHOSTUNREACH,
    [EHOSTUNREACH] = CSWASM_WASI_EHOSTUNREACH,
    [EALREADY] = CSWASM_WASI_EALREADY,
    [EINPROGRESS] = CSWASM_WASI_EINPROGRESS,
    [ESTALE] = CSWASM_WASI_ESTALE,
    [EUCLEAN] = CSWASM_WASI_EIO,
    [ENOTNAM] = CSWASM_WASI_EIO,
    [ENAVAIL] = CSWASM_WASI_EIO,
    [EISNAM] = CSWASM_WASI_EIO,
    [EREMOTEIO] = CSWASM_WASI_EIO,
    [EDQUOT] = CSWASM_WASI_EDQUOT,
    [ENOMEDIUM] = CSWASM_WASI_ENODEV,
    [EMEDIUMTYPE] = CSWASM_WASI_ENODEV,
    [ECANCELED] = CSWASM_WASI_ECANCELED,
    [ENOKEY] = CSWASM_WASI_EACCES,
    [EKEYEXPIRED] = CSWASM_WASI_EACCES,
    [EKEYREVOKED] = CSWASM_WASI_EACCES,
    [EKEYREJECTED] = CSWASM_WASI_EACCES,
    [EOWNERDEAD] = CSWASM_WASI_EOWNERDEAD,
    [ENOTRECOVERABLE] = CSWASM_WASI_ENOTRECOVERABLE,
    [ERFKILL] = CSWASM_WASI_ENETDOWN,  /* radio turned off */
    [EHWPOISON] = CSWASM_WASI_EIO,
};

uint16_t cswasm_wasi_errno_from_host(int host_errno) {
  if (host_errno == 0) return CSWASM_WASI_ESUCCESS;
  if (host_errno < 0 || (size_t)host_errno >= sizeof wasi_errno_table) return CSWASM_WASI_EIO;
  uint8_t wasi = wasi_errno_table[host_errno];
  return wasi != 0 ? wasi : CSWASM_WASI_EIO;
}

// MARK: paths

bool cswasm_wasi_utf8_valid(const uint8_t *bytes, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint8_t lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    size_t extra;
    uint8_t low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      if (lead == 0xE0) low = 0xA0;  // no overlong forms
      if (lead == 0xED) high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      if (lead == 0xF0) low = 0x90;  // no overlong forms
      if (lead == 0xF4) high = 0x8F; // nothing above U+10FFFF
    } else {
      return false;
    }
    if (len - i <= extra) return false;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return false;
    for (size_t k = 2; k <= extra; k++)
      if ((bytes[i + k] & 0xC0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

uint16_t cswasm_wasi_copy_path(const uint8_t *path, size_t len, char buffer[CSWASM_WASI_PATH_MAX]) {
  if (len != 0 && path == NULL) return CSWASM_WASI_EFAULT;
  if (!cswasm_wasi_utf8_valid(path, len)) return CSWASM_WASI_EILSEQ;
  if (len != 0 && memchr(path, 0, len) != NULL) return CSWASM_WASI_EINVAL;
  if (len == 0) return CSWASM_WASI_ENOENT;
  if (path[0] == '/') return CSWASM_WASI_EPERM;
  if (len >= CSWASM_WASI_PATH_MAX) return CSWASM_WASI_ENAMETOOLONG;
  memcpy(buffer, path, len);
  buffer[len] = '\0';
  return CSWASM_WASI_ESUCCESS;
}

// MARK: file types and status

uint8_t cswasm_wasi_filetype_from_mode(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFBLK: return CSWASM_WASI_FILETYPE_BLOCK_DEVICE;
  case S_IFCHR: return CSWASM_WASI_FILETYPE_CHARACTER_DEVICE;
  case S_IFDIR: return CSWASM_WASI_FILETYPE_DIRECTORY;
  case S_IFREG: return CSWASM_WASI_FILETYPE_REGULAR_FILE;
  case S_IFLNK: return CSWASM_WASI_FILETYPE_SYMBOLIC_LINK;
  case S_IFSOCK: return CSWASM_WASI_FILETYPE_SOCKET_STREAM; // descriptors refine this with SO_TYPE
  default: return CSWASM_WASI_FILETYPE_UNKNOWN;             // FIFOs: preview 1 has no type for them
  }
}

static uint64_t nanoseconds(struct timespec time) {
  if (time.tv_sec < 0) return 0;
  uint64_t seconds = (uint64_t)time.tv_sec;
  if (seconds > (UINT64_MAX - 999999999u) / 1000000000u) return UINT64_MAX;
  return seconds * 1000000000u + (uint64_t)time.tv_nsec;
}

void cswasm_wasi_filestat_from_stat(const struct stat *info, cswasm_wasi_filestat *out) {
  memset(out, 0, sizeof *out);
  out->dev = (uint64_t)info->st_dev;
  out->ino = (uint64_t)info->st_ino;
  out->filetype = cswasm_wasi_filetype_from_mode(info->st_mode);
  out->nlink = (uint64_t)info->st_nlink;
  out->size = info->st_size < 0 ? 0 : (uint64_t)info->st_size;
  out->atim = nanoseconds(info->st_atim);
  out->mtim = nanoseconds(info->st_mtim);
  out->ctim = nanoseconds(info->st_ctim);
}

// MARK: times

static struct timespec timespec_from_ns(uint64_t ns) {
  struct timespec time;
  time.tv_sec = (time_t)(ns / 1000000000u);
  time.tv_nsec = (long)(ns % 1000000000u);
  return time;
}

uint16_t cswasm_wasi_timespecs(uint64_t atim, uint64_t mtim, uint16_t fstflags, struct timespec times[2]) {
  const uint16_t known = CSWASM_WASI_FSTFLAGS_ATIM | CSWASM_WASI_FSTFLAGS_ATIM_NOW | CSWASM_WASI_FSTFLAGS_MTIM |
                         CSWASM_WASI_FSTFLAGS_MTIM_NOW;
  if (fstflags & ~known) return CSWASM_WASI_EINVAL;
  if ((fstflags & CSWASM_WASI_FSTFLAGS_ATIM) && (fstflags & CSWASM_WASI_FSTFLAGS_ATIM_NOW)) return CSWASM_WASI_EINVAL;
  if ((fstflags & CSWASM_WASI_FSTFLAGS_MTIM) && (fstflags & CSWASM_WASI_FSTFLAGS_MTIM_NOW)) return CSWASM_WASI_EINVAL;
  struct timespec omit = {0, UTIME_OMIT}, now = {0, UTIME_NOW};
  times[0] = (fstflags & CSWASM_WASI_FSTFLAGS_ATIM)       ? timespec_from_ns(atim)
             : (fstflags & CSWASM_WASI_FSTFLAGS_ATIM_NOW) ? now
                                                          : omit;
  times[1] = (fstflags & CSWASM_WASI_FSTFLAGS_MTIM)       ? timespec_from_ns(mtim)
             : (fstflags & CSWASM_WASI_FSTFLAGS_MTIM_NOW) ? now
                                                          : omit;
  return CSWASM_WASI_ESUCCESS;
}

// Writes "/proc/self/fd/N" without stdio.
static void proc_fd_path(int fd, char out[32]) {
  static const char prefix[] = "/proc/self/fd/";
  memcpy(out, prefix, sizeof prefix - 1);
  char digits[12];
  size_t n = 0;
  unsigned value = (unsigned)fd;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  size_t at = sizeof prefix - 1;
  while (n > 0) out[at++] = digits[--n];
  out[at] = '\0';
}

uint16_t cswasm_wasi_set_times_on_fd(int fd, const struct timespec times[2]) {
  int result;
  CSWASM_WASI_RETRY(result, futimens(fd, times));
  if (result == 0) return CSWASM_WASI_ESUCCESS;
  if (errno != EBADF || fd < 0) return cswasm_wasi_errno_from_host(errno);
  // An O_PATH descriptor: utimensat with AT_EMPTY_PATH (Linux 5.8), else through /proc, whose
  // magic link leads to the very object the descriptor holds.
  CSWASM_WASI_RETRY(result, utimensat(fd, "", times, AT_EMPTY_PATH));
  if (result == 0) return CSWASM_WASI_ESUCCESS;
  if (errno != EINVAL && errno != ENOENT) return cswasm_wasi_errno_from_host(errno);
  char proc[32];
  proc_fd_path(fd, proc);
  CSWASM_WASI_RETRY(result, utimensat(AT_FDCWD, proc, times, 0));
  if (result == 0) return CSWASM_WASI_ESUCCESS;
  return cswasm_wasi_errno_from_host(errno == ENOENT ? EBADF : errno);
}

extern char **environ;

const char *const *cswasm_wasi_host_environment(void) { return (const char *const *)environ; }
