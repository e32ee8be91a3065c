#define _GNU_SOURCE
#include "VirtualMemory.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

size_t cswasm_system_page_size(void) {
  static size_t page_size; // threads racing to fill it store the same value
  size_t known = __atomic_load_n(&page_size, __ATOMIC_RELAXED);
  if (known == 0) {
    long size = sysconf(_SC_PAGESIZE);
    known = size > 0 ? (size_t)size : 4096;
    __atomic_store_n(&page_size, known, __ATOMIC_RELAXED);
  }
  return known;
}

void *cswasm_reserve(size_t size) {
  // MAP_NORESERVE: no commit charge for pages never touched (unless overcommit is disabled).
  void *address = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return address == MAP_FAILED ? NULL : address;
}

bool cswasm_make_accessible(void *address, size_t size) {
  return mprotect(address, size, PROT_READ | PROT_WRITE) == 0;
}

void cswasm_make_inaccessible(void *address, size_t size) { (void)mprotect(address, size, PROT_NONE); }

void *cswasm_resize_mapping(void *address, size_t size, size_t new_size) {
  void *moved = mremap(address, size, new_size, MREMAP_MAYMOVE);
  return moved == MAP_FAILED ? NULL : moved;
}

void cswasm_release(void *address, size_t size) { (void)munmap(address, size); }

void *cswasm_map_zeroed(size_t size) {
  void *address = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return address == MAP_FAILED ? NULL : address;
}

bool cswasm_map_zero_pages(void *address, size_t size) {
  if (size == 0) return true;
  void *mapped = mmap(address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  return mapped == address;
}

void cswasm_decommit(void *address, size_t size) { (void)madvise(address, size, MADV_DONTNEED); }

bool cswasm_map_file_pages(void *address, size_t size, int fd, uint64_t offset) {
  void *mapped = mmap(address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, (off_t)offset);
  return mapped == address;
}

bool cswasm_is_zero(const void *bytes, size_t size) {
  const unsigned char *at = bytes;
  for (; size > 0 && ((uintptr_t)at & 7) != 0; size--, at++)
    if (*at) return false;
  uint64_t any = 0;
  for (; size >= 64; size -= 64, at += 64) {
    const uint64_t *words = (const uint64_t *)(const void *)at;
    for (int i = 0; i < 8; i++) any |= words[i];
    if (any) return false;
  }
  for (; size >= 8; size -= 8, at += 8) any |= *(const uint64_t *)(const void *)at;
  for (; size > 0; size--, at++) any |= *at;
  return any == 0;
}

void cswasm_copy_nonzero_pages(void *destination, const void *source, size_t size) {
  size_t page = cswasm_system_page_size();
  for (size_t at = 0; at < size; at += page) {
    size_t length = size - at < page ? size - at : page;
    if (!cswasm_is_zero((const char *)source + at, length)) memcpy((char *)destination + at, (const char *)source + at, length);
  }
}
