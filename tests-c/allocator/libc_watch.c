// See libc_watch.h. Defined in the executable, these functions take the place of libc's for
// every shared library of the process; they forward to glibc's __libc_* entry points.
#define _GNU_SOURCE 1
#include "libc_watch.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifndef __GLIBC__
#error "libc_watch.c interposes glibc's allocator and needs glibc"
#endif

void *__libc_calloc(size_t count, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);

static atomic_bool watching, refusing;
static atomic_uint_fast64_t allocations, frees, refused;

void libc_watch_open(bool refuse) {
  atomic_store(&allocations, 0);
  atomic_store(&frees, 0);
  atomic_store(&refused, 0);
  atomic_store(&refusing, refuse);
  atomic_store(&watching, true);
}

libc_watch_counts libc_watch_close(void) {
  atomic_store(&watching, false);
  atomic_store(&refusing, false);
  libc_watch_counts counts = {atomic_load(&allocations), atomic_load(&frees), atomic_load(&refused)};
  return counts;
}

// Counts an allocation; false when it must fail.
static bool admit(void) {
  if (!atomic_load_explicit(&watching, memory_order_relaxed)) return true;
  atomic_fetch_add(&allocations, 1);
  if (!atomic_load(&refusing)) return true;
  atomic_fetch_add(&refused, 1);
  errno = ENOMEM;
  return false;
}

void *malloc(size_t size) { return admit() ? __libc_malloc(size) : NULL; }

void *calloc(size_t count, size_t size) { return admit() ? __libc_calloc(count, size) : NULL; }

void *realloc(void *ptr, size_t size) {
  if (size == 0) { // glibc frees the block
    free(ptr);
    return NULL;
  }
  return admit() ? __libc_realloc(ptr, size) : NULL;
}

void *reallocarray(void *ptr, size_t count, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(ptr, bytes);
}

void free(void *ptr) {
  if (ptr != NULL && atomic_load_explicit(&watching, memory_order_relaxed)) atomic_fetch_add(&frees, 1);
  __libc_free(ptr);
}

void *memalign(size_t alignment, size_t size) { return admit() ? __libc_memalign(alignment, size) : NULL; }

void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void *block = memalign(alignment, size);
  if (block == NULL) return ENOMEM;
  *out = block;
  return 0;
}

void *valloc(size_t size) { return admit() ? __libc_valloc(size) : NULL; }

void *pvalloc(size_t size) { return admit() ? __libc_pvalloc(size) : NULL; }
