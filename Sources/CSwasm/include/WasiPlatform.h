// The WASI preview 1 platform layer: the system calls behind every wasi_snapshot_preview1
// function, for the Swift WASI implementation (Embedded Swift has no Glibc). Linux only.
//
// Conventions (every function):
// - Returns a WASI errno (`uint16_t`: 0 is success, otherwise a value of the witx `errno` enum,
//   CSWASM_WASI_E* below) and writes its results through out-parameters, which are left untouched
//   on failure unless the function says otherwise.
// - Never allocates heap memory: buffers are the caller's, or bounded buffers on the stack (at
//   most about 24 KiB for path_rename, path_link and path_symlink in walk mode, 19 KiB for the
//   other path functions, 8.5 KiB for fd_readdir, under 1 KiB elsewhere). Paths longer than
//   CSWASM_WASI_PATH_MAX - 1 bytes fail with ENAMETOOLONG.
// - Thread-safe. The only global mutable state is one relaxed atomic flag that remembers that the
//   kernel lacks openat2 (so that every later call does not pay a failing system call first).
//   fd_readdir moves the directory's file offset, so readdir calls on one descriptor must not
//   run concurrently (a store belongs to one thread at a time, so the runtime never does).
// - Async-signal-safe except where noted; EINTR is retried wherever the call can be restarted
//   without changing its meaning (reads, writes, opens, poll with the remaining timeout).
// - Every descriptor created here is close-on-exec.
// - Host pointers and lengths (iovec arrays, buffers) are trusted: the caller has already
//   translated and bounds-checked the guest's addresses.
//
// Rights are the caller's business, with one exception: paths. Every path function takes a
// `cswasm_wasi_dir` (a directory descriptor plus flags) and a guest path (bytes and length, not
// NUL-terminated). The path must be valid UTF-8 (EILSEQ), contain no NUL byte (EINVAL), not be
// empty (ENOENT) and be relative (an absolute path gives EPERM, as in wasmtime). Resolution never
// leaves the directory: `..` above it, a symbolic link to an absolute path or one that leads
// above it, give EPERM; symbolic link loops and chains longer than 40 give ELOOP. Two
// implementations, chosen per call:
//  (a) openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), where the kernel has it (Linux 5.6);
//  (b) a component-by-component walk (openat with O_PATH | O_NOFOLLOW per component, symbolic
//      links read with readlinkat and expanded by this layer, `..` answered from the descriptors
//      of the directories already passed rather than by the kernel (beyond 16 levels, the
//      kernel's answer is checked against the device and inode recorded on the way down), so
//      that a directory moved during the walk cannot lead outside; at most 256 levels).
//      CSWASM_WASI_DIR_WALK_ONLY forces it; openat2 failing with ENOSYS (remembered) or EPERM
//      (seccomp sandboxes) falls back to it, and so do 4 EAGAINs in a row.
// Operations on the final name that must not follow it (unlink, rmdir, rename, symlink, link,
// readlink, filestat and set_times without SYMLINK_FOLLOW) resolve the parent beneath the
// directory and then act on the final name with the *at system call, which never follows it;
// path_open without SYMLINK_FOLLOW resolves beneath with O_NOFOLLOW on the final component. A
// trailing slash makes the final component name a directory, following a link to find it
// (beneath, like any other link).
//
// Without CSWASM_WASI_DIR_MUTABLE, every function that would change the file system through a
// path (create, write access, truncate, mkdir, rmdir, unlink, rename, link, symlink, set_times)
// fails with EPERM before touching it.
//
// Descriptor-level changes (fd_write, fd_filestat_set_size, fd_filestat_set_times) are NOT
// checked here: a file opened through a read-only directory is opened
// without write access, so the kernel refuses writes and truncation, but it allows
// the owner to change its times; the caller must refuse fd_filestat_set_times (EPERM, as
// wasmtime) on descriptors that came from a read-only directory, and on the directory itself.
#ifndef SWASM_WASI_PLATFORM_H
#define SWASM_WASI_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// MARK: errno (wasi_snapshot_preview1 witx `errno`)

#define CSWASM_WASI_ESUCCESS 0
#define CSWASM_WASI_E2BIG 1
#define CSWASM_WASI_EACCES 2
#define CSWASM_WASI_EADDRINUSE 3
#define CSWASM_WASI_EADDRNOTAVAIL 4
#define CSWASM_WASI_EAFNOSUPPORT 5
#define CSWASM_WASI_EAGAIN 6
#define CSWASM_WASI_EALREADY 7
#define CSWASM_WASI_EBADF 8
#define CSWASM_WASI_EBADMSG 9
#define CSWASM_WASI_EBUSY 10
#define CSWASM_WASI_ECANCELED 11
#define CSWASM_WASI_ECHILD 12
#define CSWASM_WASI_ECONNABORTED 13
#define CSWASM_WASI_ECONNREFUSED 14
#define CSWASM_WASI_ECONNRESET 15
#define CSWASM_WASI_EDEADLK 16
#define CSWASM_WASI_EDESTADDRREQ 17
#define CSWASM_WASI_EDOM 18
#define CSWASM_WASI_EDQUOT 19
#define CSWASM_WASI_EEXIST 20
#define CSWASM_WASI_EFAULT 21
#define CSWASM_WASI_EFBIG 22
#define CSWASM_WASI_EHOSTUNREACH 23
#define CSWASM_WASI_EIDRM 24
#define CSWASM_WASI_EILSEQ 25
#define CSWASM_WASI_EINPROGRESS 26
#define CSWASM_WASI_EINTR 27
#define CSWASM_WASI_EINVAL 28
#define CSWASM_WASI_EIO 29
#define CSWASM_WASI_EISCONN 30
#define CSWASM_WASI_EISDIR 31
#define CSWASM_WASI_ELOOP 32
#define CSWASM_WASI_EMFILE 33
#define CSWASM_WASI_EMLINK 34
#define CSWASM_WASI_EMSGSIZE 35
#define CSWASM_WASI_EMULTIHOP 36
#define CSWASM_WASI_ENAMETOOLONG 37
#define CSWASM_WASI_ENETDOWN 38
#define CSWASM_WASI_ENETRESET 39
#define CSWASM_WASI_ENETUNREACH 40
#define CSWASM_WASI_ENFILE 41
#define CSWASM_WASI_ENOBUFS 42
#define CSWASM_WASI_ENODEV 43
#define CSWASM_WASI_ENOENT 44
#define CSWASM_WASI_ENOEXEC 45
#define CSWASM_WASI_ENOLCK 46
#define CSWASM_WASI_ENOLINK 47
#define CSWASM_WASI_ENOMEM 48
#define CSWASM_WASI_ENOMSG 49
#define CSWASM_WASI_ENOPROTOOPT 50
#define CSWASM_WASI_ENOSPC 51
#define CSWASM_WASI_ENOSYS 52
#define CSWASM_WASI_ENOTCONN 53
#define CSWASM_WASI_ENOTDIR 54
#define CSWASM_WASI_ENOTEMPTY 55
#define CSWASM_WASI_ENOTRECOVERABLE 56
#define CSWASM_WASI_ENOTSOCK 57
#define CSWASM_WASI_ENOTSUP 58
#define CSWASM_WASI_ENOTTY 59
#define CSWASM_WASI_ENXIO 60
#define CSWASM_WASI_EOVERFLOW 61
#define CSWASM_WASI_EOWNERDEAD 62
#define CSWASM_WASI_EPERM 63
#define CSWASM_WASI_EPIPE 64
#define CSWASM_WASI_EPROTO 65
#define CSWASM_WASI_EPROTONOSUPPORT 66
#define CSWASM_WASI_EPROTOTYPE 67
#define CSWASM_WASI_ERANGE 68
#define CSWASM_WASI_EROFS 69
#define CSWASM_WASI_ESPIPE 70
#define CSWASM_WASI_ESRCH 71
#define CSWASM_WASI_ESTALE 72
#define CSWASM_WASI_ETIMEDOUT 73
#define CSWASM_WASI_ETXTBSY 74
#define CSWASM_WASI_EXDEV 75
#define CSWASM_WASI_ENOTCAPABLE 76

/// The WASI errno for a Linux errno value. Every Linux errno has a translation: the ones WASI
/// names map to their namesake (EWOULDBLOCK to EAGAIN, EOPNOTSUPP to ENOTSUP, EDEADLOCK to
/// EDEADLK), the rest to the nearest meaning (ESHUTDOWN to EPIPE, EBADFD to EBADF, ETIME to
/// ETIMEDOUT, ...) or EIO; 0 gives ESUCCESS, and unknown values EIO.
uint16_t cswasm_wasi_errno_from_host(int host_errno);

// MARK: WASI enums and flags used by this layer

#define CSWASM_WASI_FILETYPE_UNKNOWN 0
#define CSWASM_WASI_FILETYPE_BLOCK_DEVICE 1
#define CSWASM_WASI_FILETYPE_CHARACTER_DEVICE 2
#define CSWASM_WASI_FILETYPE_DIRECTORY 3
#define CSWASM_WASI_FILETYPE_REGULAR_FILE 4
#define CSWASM_WASI_FILETYPE_SOCKET_DGRAM 5
#define CSWASM_WASI_FILETYPE_SOCKET_STREAM 6
#define CSWASM_WASI_FILETYPE_SYMBOLIC_LINK 7

#define CSWASM_WASI_FDFLAGS_APPEND 0x1
#define CSWASM_WASI_FDFLAGS_DSYNC 0x2
#define CSWASM_WASI_FDFLAGS_NONBLOCK 0x4
#define CSWASM_WASI_FDFLAGS_RSYNC 0x8
#define CSWASM_WASI_FDFLAGS_SYNC 0x10

#define CSWASM_WASI_OFLAGS_CREAT 0x1
#define CSWASM_WASI_OFLAGS_DIRECTORY 0x2
#define CSWASM_WASI_OFLAGS_EXCL 0x4
#define CSWASM_WASI_OFLAGS_TRUNC 0x8

#define CSWASM_WASI_LOOKUPFLAGS_SYMLINK_FOLLOW 0x1

#define CSWASM_WASI_FSTFLAGS_ATIM 0x1
#define CSWASM_WASI_FSTFLAGS_ATIM_NOW 0x2
#define CSWASM_WASI_FSTFLAGS_MTIM 0x4
#define CSWASM_WASI_FSTFLAGS_MTIM_NOW 0x8

#define CSWASM_WASI_WHENCE_SET 0
#define CSWASM_WASI_WHENCE_CUR 1
#define CSWASM_WASI_WHENCE_END 2

#define CSWASM_WASI_ADVICE_NORMAL 0
#define CSWASM_WASI_ADVICE_SEQUENTIAL 1
#define CSWASM_WASI_ADVICE_RANDOM 2
#define CSWASM_WASI_ADVICE_WILLNEED 3
#define CSWASM_WASI_ADVICE_DONTNEED 4
#define CSWASM_WASI_ADVICE_NOREUSE 5

#define CSWASM_WASI_CLOCK_REALTIME 0
#define CSWASM_WASI_CLOCK_MONOTONIC 1
#define CSWASM_WASI_CLOCK_PROCESS_CPUTIME_ID 2
#define CSWASM_WASI_CLOCK_THREAD_CPUTIME_ID 3

#define CSWASM_WASI_RIFLAGS_RECV_PEEK 0x1
#define CSWASM_WASI_RIFLAGS_RECV_WAITALL 0x2
#define CSWASM_WASI_ROFLAGS_RECV_DATA_TRUNCATED 0x1
#define CSWASM_WASI_SDFLAGS_RD 0x1
#define CSWASM_WASI_SDFLAGS_WR 0x2

/// Longest path handled, terminating NUL included (Linux's PATH_MAX).
#define CSWASM_WASI_PATH_MAX 4096
/// Size of a serialized WASI `dirent` header (the name follows it).
#define CSWASM_WASI_DIRENT_SIZE 24

// MARK: shared types

/// A host buffer for reading, and one for writing (the layout of `struct iovec`).
typedef struct cswasm_wasi_iovec {
  void *base;
  size_t len;
} cswasm_wasi_iovec;
typedef struct cswasm_wasi_ciovec {
  const void *base;
  size_t len;
} cswasm_wasi_ciovec;

/// WASI's `filestat`, field for field and with its layout (64 bytes). Times are nanoseconds
/// since the Unix epoch; a time before the epoch reads as 0.
typedef struct cswasm_wasi_filestat {
  uint64_t dev;
  uint64_t ino;
  uint8_t filetype; /* CSWASM_WASI_FILETYPE_* */
  uint64_t nlink;
  uint64_t size;
  uint64_t atim;
  uint64_t mtim;
  uint64_t ctim;
} cswasm_wasi_filestat;

/// A directory that paths are resolved beneath: a preopen or a directory opened from one.
typedef struct cswasm_wasi_dir {
  int fd;
  uint32_t flags; /* CSWASM_WASI_DIR_* */
} cswasm_wasi_dir;

/// Changes through this directory are allowed (without it, EPERM: a read-only preopen).
#define CSWASM_WASI_DIR_MUTABLE 0x1u
/// Resolve with the component-by-component walk only, never openat2 (tests).
#define CSWASM_WASI_DIR_WALK_ONLY 0x2u

// MARK: descriptors

/// Reads into `iovs` (at most 1024 buffers are used; more give a short read). `*nread` is 0 at
/// end of file.
uint16_t cswasm_wasi_fd_read(int fd, const cswasm_wasi_iovec *iovs, size_t count, size_t *nread);
/// Reads at `offset` without moving the file offset (EINVAL above INT64_MAX, ESPIPE on pipes).
uint16_t cswasm_wasi_fd_pread(int fd, const cswasm_wasi_iovec *iovs, size_t count, uint64_t offset,
                              size_t *nread);
/// Writes `iovs` (at most 1024 buffers). `stream` must be true unless `fd` is known to be a
/// regular file, directory, block device or terminal: the write then holds SIGPIPE blocked for
/// the calling thread (and discards a SIGPIPE it raised), so that a pipe or socket whose reader
/// is gone gives EPIPE instead of killing the host (two more system calls per write).
uint16_t cswasm_wasi_fd_write(int fd, const cswasm_wasi_ciovec *iovs, size_t count, bool stream,
                              size_t *nwritten);
/// Writes at `offset` without moving the file offset. (Linux ignores the offset of a file opened
/// with O_APPEND and appends.)
uint16_t cswasm_wasi_fd_pwrite(int fd, const cswasm_wasi_ciovec *iovs, size_t count, uint64_t offset,
                               size_t *nwritten);
/// Moves the file offset (`whence`: CSWASM_WASI_WHENCE_*) and returns the new one. Linux lets
/// directories seek; WASI programs expect a refusal there (wasmtime: EBADF), which the caller
/// gives from the descriptor's type.
uint16_t cswasm_wasi_fd_seek(int fd, int64_t offset, uint8_t whence, uint64_t *new_offset);
uint16_t cswasm_wasi_fd_sync(int fd);
uint16_t cswasm_wasi_fd_datasync(int fd);
/// Closes `fd` (an EINTR from close still closed it on Linux and counts as success).
uint16_t cswasm_wasi_fd_close(int fd);
/// The WASI file type (sockets: DGRAM or STREAM from SO_TYPE) and fdflags from F_GETFL (O_SYNC
/// reports SYNC, RSYNC and DSYNC, as Linux cannot tell them apart).
uint16_t cswasm_wasi_fd_fdstat_get(int fd, uint8_t *filetype, uint16_t *fdflags);
/// Sets APPEND and NONBLOCK (clearing the one not given). DSYNC, RSYNC and SYNC cannot be changed
/// after opening on Linux: asking for any gives EINVAL, as in wasmtime; unknown bits EINVAL.
uint16_t cswasm_wasi_fd_fdstat_set_flags(int fd, uint16_t fdflags);
uint16_t cswasm_wasi_fd_filestat_get(int fd, cswasm_wasi_filestat *out);
/// ftruncate (EINVAL above INT64_MAX).
uint16_t cswasm_wasi_fd_filestat_set_size(int fd, uint64_t size);
/// Sets the access and modification times with WASI's `fstflags`: ATIM/MTIM take `atim`/`mtim`
/// (ns), ATIM_NOW/MTIM_NOW the current time, neither leaves the time alone; X together with
/// X_NOW, or an unknown bit, gives EINVAL and changes nothing. Works on O_PATH descriptors too.
uint16_t cswasm_wasi_fd_filestat_set_times(int fd, uint64_t atim, uint64_t mtim, uint16_t fstflags);
/// posix_fadvise (`advice`: CSWASM_WASI_ADVICE_*; EINVAL for an unknown one or offsets above
/// INT64_MAX).
uint16_t cswasm_wasi_fd_advise(int fd, uint64_t offset, uint64_t len, uint8_t advice);

/// Serializes the entries of directory `fd` from `cookie` on into `buf` as WASI dirents (d_next
/// u64, d_ino u64, d_namlen u32, d_type u8, 3 zero bytes, then the name, little-endian). Cookies
/// count entries, as wasmtime's do: `.` is 0, `..` is 1, the other entries follow in the
/// kernel's order, and an entry's d_next is its number + 1 (small numbers, which wasi-libc's
/// 32-bit `telldir` can hold). When more entries exist than fit, the last entry is cut at the end
/// of the buffer and `*bufused == buf_len` (WASI's way of saying "call again from the last whole
/// entry's d_next"); `*bufused < buf_len` means the end was reached. `fd` must be opened for
/// reading (not O_PATH); its file offset is moved. Names are copied as the file system has them
/// (not checked for UTF-8).
uint16_t cswasm_wasi_fd_readdir(int fd, uint8_t *buf, size_t buf_len, uint64_t cookie, size_t *bufused);

/// Number of bytes that can be read from `fd` without blocking: FIONREAD for pipes, sockets and
/// terminals, size minus offset for regular files, 0 where neither is known.
uint16_t cswasm_wasi_fd_nread(int fd, uint64_t *nbytes);

// MARK: paths (sandboxed beneath `dir`; see the top of this file)

#define CSWASM_WASI_ACCESS_READ 0x1u
#define CSWASM_WASI_ACCESS_WRITE 0x2u

/// Opens `path`: `lookupflags` CSWASM_WASI_LOOKUPFLAGS_*, `oflags` CSWASM_WASI_OFLAGS_*,
/// `fdflags` CSWASM_WASI_FDFLAGS_*, `access` CSWASM_WASI_ACCESS_* (neither READ nor WRITE opens
/// for reading; WRITE on a directory gives EISDIR). Without SYMLINK_FOLLOW a symbolic link as the
/// final component gives ELOOP (ENOTDIR with OFLAGS_DIRECTORY). CREAT or TRUNC with DIRECTORY, or unknown
/// bits, give EINVAL; CREAT on a path ending in a slash, `.` or `..` gives EISDIR. TRUNC without
/// WRITE access still truncates (Linux). New files get mode 0666 less the umask. Opening never
/// blocks the host on a FIFO (the open is non-blocking; the flag is cleared afterwards unless
/// NONBLOCK was asked for). Without CSWASM_WASI_DIR_MUTABLE, WRITE access, CREAT and TRUNC give
/// EPERM.
uint16_t cswasm_wasi_path_open(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len, uint32_t lookupflags,
                               uint16_t oflags, uint16_t fdflags, uint32_t access, int *out_fd);
/// mkdirat (mode 0777 less the umask). A trailing slash is allowed.
uint16_t cswasm_wasi_path_create_directory(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len);
/// Status of `path`, of the link itself unless `lookupflags` has SYMLINK_FOLLOW.
uint16_t cswasm_wasi_path_filestat_get(cswasm_wasi_dir dir, uint32_t lookupflags, const uint8_t *path,
                                       size_t path_len, cswasm_wasi_filestat *out);
/// Times of `path` (see cswasm_wasi_fd_filestat_set_times for `fstflags`), of the link itself
/// unless `lookupflags` has SYMLINK_FOLLOW.
uint16_t cswasm_wasi_path_filestat_set_times(cswasm_wasi_dir dir, uint32_t lookupflags, const uint8_t *path,
                                             size_t path_len, uint64_t atim, uint64_t mtim, uint16_t fstflags);
/// Hard link `new_path` (beneath `new_dir`) to `old_path` (beneath `old_dir`), never following
/// `old_path`'s final symbolic link: SYMLINK_FOLLOW in `old_lookupflags` gives EINVAL (as in
/// wasmtime). Both directories must be mutable (a link from a read-only directory into a
/// writable one would let the file be written). A hard link can only name a file that is already
/// inside the sandbox, so it cannot reach outside files. Directories cannot be linked (EPERM).
uint16_t cswasm_wasi_path_link(cswasm_wasi_dir old_dir, uint32_t old_lookupflags, const uint8_t *old_path,
                               size_t old_len, cswasm_wasi_dir new_dir, const uint8_t *new_path, size_t new_len);
/// The target of symbolic link `path`, truncated to `buf_len` bytes (not NUL-terminated; 0 bytes
/// when `buf_len` is 0). Not a link (a path ending in a slash included): EINVAL.
uint16_t cswasm_wasi_path_readlink(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len, uint8_t *buf,
                                   size_t buf_len, size_t *bufused);
/// rmdir (a trailing slash is allowed).
uint16_t cswasm_wasi_path_remove_directory(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len);
/// renameat (Linux's trailing-slash rules: `dir/` names a directory). Both directories must be
/// mutable.
uint16_t cswasm_wasi_path_rename(cswasm_wasi_dir old_dir, const uint8_t *old_path, size_t old_len,
                                 cswasm_wasi_dir new_dir, const uint8_t *new_path, size_t new_len);
/// Creates symbolic link `new_path` with contents `target`. The target is stored as given (it is
/// only ever followed by this layer's resolution, which keeps it inside), except that an
/// absolute target gives EPERM (wasmtime refuses them too), and the target must be UTF-8
/// without NUL (EILSEQ, EINVAL) and not empty (ENOENT). A `new_path` ending in a slash gives
/// EEXIST when it names an existing directory, else ENOENT or ENOTDIR (as wasmtime).
uint16_t cswasm_wasi_path_symlink(const uint8_t *target, size_t target_len, cswasm_wasi_dir dir,
                                  const uint8_t *new_path, size_t new_len);
/// unlinkat of a non-directory (a directory gives EISDIR, `name/` on a file ENOTDIR).
uint16_t cswasm_wasi_path_unlink_file(cswasm_wasi_dir dir, const uint8_t *path, size_t path_len);

// MARK: host-side opens (embedder configuration: host paths, not sandboxed)

/// Opens host directory `path` (NUL-terminated) for use as a preopen (read-only, O_DIRECTORY).
uint16_t cswasm_wasi_host_open_directory(const char *path, int *out_fd);
/// Opens host file `path` for reading (stdin from a file).
uint16_t cswasm_wasi_host_open_read(const char *path, int *out_fd);
/// Creates or truncates host file `path` for writing (stdout or stderr to a file), mode 0666.
uint16_t cswasm_wasi_host_open_write(const char *path, int *out_fd);
/// A close-on-exec duplicate of `fd` (inherited stdio).
uint16_t cswasm_wasi_fd_duplicate(int fd, int *out_fd);
/// Whether `fd` is a terminal (a standard stream that is one reports itself as a character device).
bool cswasm_wasi_fd_is_terminal(int fd);

// MARK: clocks, random, scheduling

/// `clock_id`: CSWASM_WASI_CLOCK_*; anything else gives EINVAL.
uint16_t cswasm_wasi_clock_res_get(uint32_t clock_id, uint64_t *resolution);
/// The clock's time in ns (`precision` is a hint and ignored). A realtime clock set before
/// 1970 gives EOVERFLOW.
uint16_t cswasm_wasi_clock_time_get(uint32_t clock_id, uint64_t precision, uint64_t *time);
/// Fills `buf` with random bytes (getrandom, looping; /dev/urandom where getrandom is missing).
uint16_t cswasm_wasi_random_get(void *buf, size_t len);
uint16_t cswasm_wasi_sched_yield(void);

// MARK: poll

/// One descriptor to poll: the layout of `struct pollfd`.
typedef struct cswasm_wasi_pollfd {
  int32_t fd;
  int16_t events;  /* CSWASM_WASI_POLL_READ and/or _WRITE */
  int16_t revents; /* filled: _READ, _WRITE, _ERROR, _HANGUP, _INVALID */
} cswasm_wasi_pollfd;

#define CSWASM_WASI_POLL_READ 0x001
#define CSWASM_WASI_POLL_WRITE 0x004
#define CSWASM_WASI_POLL_ERROR 0x008
#define CSWASM_WASI_POLL_HANGUP 0x010
#define CSWASM_WASI_POLL_INVALID 0x020

/// Waits until one of `fds` is ready or `timeout_ns` passes (negative: no timeout; 0: just
/// look), and stores how many are ready in `*ready` (0 on timeout). With `nbytes` (an array of
/// `count`, or NULL), each entry that became readable gets its cswasm_wasi_fd_nread count, the
/// others 0. Regular files are always ready. `count` 0 with a timeout sleeps; `count` 0 without
/// one gives EINVAL (it would never return). Interrupted waits resume with the remaining time.
/// Not async-signal-safe in the nbytes step (ioctl and lseek are, in practice).
uint16_t cswasm_wasi_poll(cswasm_wasi_pollfd *fds, size_t count, int64_t timeout_ns, uint64_t *nbytes,
                          size_t *ready);

// MARK: sockets (descriptors preopened or inherited by the embedder)

/// accept4 with CLOEXEC, and NONBLOCK when `fdflags` has it (other fdflags bits: EINVAL).
uint16_t cswasm_wasi_sock_accept(int fd, uint16_t fdflags, int *out_fd);
/// recvmsg into `iovs` with RECV_PEEK / RECV_WAITALL (other bits: EINVAL); `*roflags` gets
/// RECV_DATA_TRUNCATED when a datagram was longer than the buffers.
uint16_t cswasm_wasi_sock_recv(int fd, const cswasm_wasi_iovec *iovs, size_t count, uint16_t riflags,
                               size_t *nread, uint16_t *roflags);
/// sendmsg with MSG_NOSIGNAL (a closed peer gives EPIPE, never SIGPIPE); `siflags` must be 0.
uint16_t cswasm_wasi_sock_send(int fd, const cswasm_wasi_ciovec *iovs, size_t count, uint16_t siflags,
                               size_t *nwritten);
/// shutdown with `how` = CSWASM_WASI_SDFLAGS_RD and/or _WR (0 or other bits: EINVAL).
uint16_t cswasm_wasi_sock_shutdown(int fd, uint8_t how);

// MARK: the host process (wasi_config_inherit_env)

/// The host process's environment: `environ` (NULL-terminated array of "NAME=VALUE" strings).
const char *const *cswasm_wasi_host_environment(void);

#endif
