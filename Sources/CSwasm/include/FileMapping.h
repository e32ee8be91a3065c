// Read-only mapping of a whole file, for deserializing artifacts without copying them first.
#ifndef SWASM_FILE_MAPPING_H
#define SWASM_FILE_MAPPING_H

#include <stddef.h>

typedef struct cswasm_mapped_file {
  const void *data; /* NULL for an empty file */
  size_t size;
} cswasm_mapped_file;

/// Maps the regular file at `path`. Returns 0, or an errno value (EISDIR-like failures for
/// files that are not regular: ENODEV).
int cswasm_map_file(const char *path, cswasm_mapped_file *out);

/// Unmaps a file mapped by `cswasm_map_file`.
void cswasm_unmap_file(cswasm_mapped_file *file);

/// The C library's description of an errno value.
const char *cswasm_error_text(int error);

#endif
