// Read-only mapping of a whole file, for deserializing artifacts without copying them first.
#ifndef SWASM_FILE_MAPPING_H
#define SWASM_FILE_MAPPING_H

#include <stddef.h>

typedef struct cswasm_mapped_file {
  const void *data; /* NULL for an empty file */
  size_t size;
  int fd; /* open while mapped; -1 once taken (cswasm_take_file) or closed */
} cswasm_mapped_file;

/// Maps the regular file at `path`. Returns 0, or an errno value (EISDIR-like failures for
/// files that are not regular: ENODEV).
int cswasm_map_file(const char *path, cswasm_mapped_file *out);

/// Unmaps a file mapped by `cswasm_map_file` and closes it unless it was taken.
void cswasm_unmap_file(cswasm_mapped_file *file);

/// The mapped file's descriptor, which the caller now owns (cswasm_close_file): memory images
/// are mapped from it after the mapping is gone.
int cswasm_take_file(cswasm_mapped_file *file);

/// Closes a descriptor taken with `cswasm_take_file`.
void cswasm_close_file(int fd);

/// An anonymous file (memfd) of `size` bytes, zero, mapped shared and writable at `*contents`:
/// the memory images of a module compiled from bytes are written there, then
/// cswasm_finish_anonymous_file unmaps it and the descriptor serves as an artifact file would.
/// -1 when the system refuses (the module then copies its segments at instantiation).
int cswasm_anonymous_file(size_t size, void **contents);
void cswasm_finish_anonymous_file(void *contents, size_t size);

/// The C library's description of an errno value.
const char *cswasm_error_text(int error);

#endif
