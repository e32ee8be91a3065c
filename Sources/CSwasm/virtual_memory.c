#define _GNU_SOURCE
#include "VirtualMemory.h"

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

void cswasm_decommit(void *address, size_t size) { (void)madvise(address, size, MADV_DONTNEED); }
