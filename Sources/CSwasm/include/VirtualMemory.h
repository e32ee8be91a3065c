// Address space for linear memories: reserved inaccessible, made accessible page by page as a
// memory grows (the kernel supplies zero pages when they are first touched), moved without
// copying when a reservation runs out. Every function reports failure instead of aborting.
#ifndef SWASM_VIRTUAL_MEMORY_H
#define SWASM_VIRTUAL_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// The system's page size in bytes: sizes and offsets passed below are multiples of it.
size_t cswasm_system_page_size(void);

/// Reserves `size` bytes (not 0) of inaccessible address space, committing no memory. NULL when
/// the address space or the mapping count runs out.
void *cswasm_reserve(size_t size);

/// Makes `size` bytes at `address`, inside a reservation, readable and writable. False when the
/// kernel refuses (no memory for its page tables or for the commit charge, too many mappings).
bool cswasm_make_accessible(void *address, size_t size);

/// Makes `size` bytes at `address` inaccessible again (pages never touched stay uncommitted).
/// Best effort: bounds are checked explicitly, so a failure changes nothing that matters.
void cswasm_make_inaccessible(void *address, size_t size);

/// Resizes the mapping of `size` bytes at `address` to `new_size`, in place when the address
/// space after it is free, otherwise moving its pages (not copying them). The new address, or
/// NULL with the old mapping untouched. Added bytes have the mapping's protection.
void *cswasm_resize_mapping(void *address, size_t size, size_t new_size);

/// Maps `size` bytes (not 0) readable and writable without commit charge: the kernel supplies
/// zero pages as they are first touched. NULL when the address space runs out.
void *cswasm_map_zeroed(size_t size);

/// Maps fresh zero pages (readable, writable, no commit charge) over `size` bytes at `address`,
/// replacing what was there (a memory image in a pooled slot). False when the kernel refuses; the
/// range may then hold nothing.
bool cswasm_map_zero_pages(void *address, size_t size);

/// Gives the pages of `size` bytes at `address` back to the system; they read as zero again.
void cswasm_decommit(void *address, size_t size);

/// Releases `size` bytes of address space at `address`, accessible or not.
void cswasm_release(void *address, size_t size);

/// Maps `size` bytes of the file `fd` from `offset` at `address` (inside a reservation),
/// readable and writable, private: writes copy the page, the file never changes (a memory image,
/// docs/artifact-format.md). Replaces what was there. False when the kernel refuses; the range
/// may then hold nothing, so the caller releases the whole reservation.
bool cswasm_map_file_pages(void *address, size_t size, int fd, uint64_t offset);

/// Copies the pages of `size` bytes (whole system pages) from `source` to `destination` (fresh,
/// zero pages), skipping those that are all zeros, so that pages never written cost nothing.
void cswasm_copy_nonzero_pages(void *destination, const void *source, size_t size);

/// Whether `size` bytes at `bytes` are all zero.
bool cswasm_is_zero(const void *bytes, size_t size);

#endif
