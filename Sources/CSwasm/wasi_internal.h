// Shared by the wasi_*.c files of the WASI platform layer (WasiPlatform.h); not part of the Swift
// module. Like every C function of the library, these are kept out of libswasm.so's dynamic
// symbols by the linker version script (cmake/exports.map).
#ifndef SWASM_WASI_INTERNAL_H
#define SWASM_WASI_INTERNAL_H

#include "WasiPlatform.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/// Retries `expression` (a system call returning -1 and setting errno) while it fails with EINTR.
#define CSWASM_WASI_RETRY(result, expression) \
  do { (result) = (expression); } while ((result) == -1 && errno == EINTR)

/// Copies a guest path into `buffer` with a terminating NUL after checking it: UTF-8 (EILSEQ), no
/// NUL byte (EINVAL), not empty (ENOENT), relative (EPERM), shorter than CSWASM_WASI_PATH_MAX
/// (ENAMETOOLONG).
uint16_t cswasm_wasi_copy_path(const uint8_t *path, size_t len, char buffer[CSWASM_WASI_PATH_MAX]);
bool cswasm_wasi_utf8_valid(const uint8_t *bytes, size_t len);

uint8_t cswasm_wasi_filetype_from_mode(mode_t mode);
void cswasm_wasi_filestat_from_stat(const struct stat *info, cswasm_wasi_filestat *out);
/// The two timespecs of utimensat for WASI's times and fstflags (EINVAL for conflicting or
/// unknown flags).
uint16_t cswasm_wasi_timespecs(uint64_t atim, uint64_t mtim, uint16_t fstflags, struct timespec times[2]);
/// utimensat on what `fd` refers to, O_PATH descriptors included.
uint16_t cswasm_wasi_set_times_on_fd(int fd, const struct timespec times[2]);

/// Opens `path` (checked, NUL-terminated, relative) beneath `dir` with open(2) `flags` (O_CLOEXEC
/// is added) and `mode`, following a final symbolic link only when `follow` (intermediate ones
/// always, inside `dir`). openat2 unless the directory asks for the walk or the kernel lacks it.
uint16_t cswasm_wasi_resolve(cswasm_wasi_dir dir, const char *path, int flags, mode_t mode, bool follow,
                             int *out_fd);
/// The component-by-component resolution alone (what cswasm_wasi_resolve falls back to).
uint16_t cswasm_wasi_resolve_walk(int start, const char *path, int flags, mode_t mode, bool follow,
                                  int *out_fd);

/// The directory holding a path's final component, and that component.
///  - "a/b/name" -> the directory a/b and "name";
///  - "name", "name/" -> `dir` itself (borrowed) and "name" (trailing_slash for the second);
///  - ".", "a/..", "a/." (and those with trailing slashes) -> the directory they name, and ".".
/// The name is NUL-terminated inside the caller's buffer; for a trailing slash the character after
/// it can be made a slash again with cswasm_wasi_parent_slashed_name.
typedef struct cswasm_wasi_parent {
  int fd;
  bool owned;          /* fd was opened here: cswasm_wasi_parent_close closes it */
  bool trailing_slash; /* the path ended in slashes after a normal name */
  bool dot;            /* the final component is "." (the path named a directory by . or ..) */
  char *name;          /* in the caller's buffer, or dot_name */
  size_t name_len;
  char dot_name[2];
} cswasm_wasi_parent;

/// Checks and copies `path` into `buffer`, splits it and opens its parent beneath `dir`.
uint16_t cswasm_wasi_open_parent(cswasm_wasi_dir dir, const uint8_t *path, size_t len,
                                 char buffer[CSWASM_WASI_PATH_MAX], cswasm_wasi_parent *out);
void cswasm_wasi_parent_close(cswasm_wasi_parent *parent);
/// The final name with one trailing slash when the path had any ("name/"), else the name.
const char *cswasm_wasi_parent_slashed_name(cswasm_wasi_parent *parent);

#endif
