// The library's one way to the heap: libc's allocator, or the embedder's (swasm_set_allocator in
// swasm.h); inside a store of a pooling engine, that engine's pool (AllocationPool.h). Support/Heap.swift is the only caller of the cswasm_* functions here, and these are
// the only callers of libc's malloc, calloc, realloc and free (tests-c/static/check_library.sh).
#include "CSwasm.h"

#include <sched.h>
#include <stdatomic.h>

// Which allocator serves the library. It is settled by the first allocation (libc's) or by
// swasm_set_allocator (the embedder's), and never changes afterwards.
enum { ALLOCATOR_UNSETTLED, ALLOCATOR_LIBC, ALLOCATOR_INSTALLING, ALLOCATOR_CUSTOM };

static _Atomic int allocator_state = ALLOCATOR_UNSETTLED;
// The embedder's functions: written once, before allocator_state becomes ALLOCATOR_CUSTOM.
static swasm_allocator_t custom;

// The settled state: an unsettled one is settled for libc here; an installation in progress
// (another thread inside swasm_set_allocator) is waited for.
__attribute__((noinline)) static int settle(void) {
  int state = atomic_load_explicit(&allocator_state, memory_order_acquire);
  for (;;) {
    if (state == ALLOCATOR_LIBC || state == ALLOCATOR_CUSTOM) return state;
    if (state == ALLOCATOR_UNSETTLED) {
      if (atomic_compare_exchange_weak_explicit(&allocator_state, &state, ALLOCATOR_LIBC, memory_order_acq_rel,
                                                memory_order_acquire))
        return ALLOCATOR_LIBC;
      continue;
    }
    sched_yield();
    state = atomic_load_explicit(&allocator_state, memory_order_acquire);
  }
}

static inline bool uses_custom(void) {
  int state = atomic_load_explicit(&allocator_state, memory_order_acquire);
  if (__builtin_expect(state == ALLOCATOR_LIBC, 1)) return false;
  if (state == ALLOCATOR_CUSTOM) return true;
  return settle() == ALLOCATOR_CUSTOM;
}

void *cswasm_malloc(size_t size) {
  cswasm_pool *pool = cswasm_pool_current();
  if (pool != NULL) return cswasm_pool_malloc(pool, size, false);
  if (uses_custom()) return custom.malloc(custom.user, size == 0 ? 1 : size);
  return malloc(size);
}

void *cswasm_calloc(size_t count, size_t size) {
  cswasm_pool *pool = cswasm_pool_current();
  size_t bytes;
  if (pool != NULL) return __builtin_mul_overflow(count, size, &bytes) ? NULL : cswasm_pool_malloc(pool, bytes, true);
  if (!uses_custom()) return calloc(count, size);
  if (__builtin_mul_overflow(count, size, &bytes)) return NULL;
  if (bytes == 0) bytes = 1;
  void *block = custom.malloc(custom.user, bytes);
  if (block != NULL) memset(block, 0, bytes);
  return block;
}

void *cswasm_realloc(void *ptr, size_t size) {
  if (ptr == NULL) {
    cswasm_pool *pool = cswasm_pool_current();
    if (pool != NULL) return cswasm_pool_malloc(pool, size, false);
  } else if (cswasm_pool_owns(ptr)) {
    return cswasm_pool_realloc(ptr, size);
  }
  if (!uses_custom()) return realloc(ptr, size);
  if (size == 0) size = 1;
  return ptr == NULL ? custom.malloc(custom.user, size) : custom.realloc(custom.user, ptr, size);
}

void cswasm_free(void *ptr) {
  if (ptr == NULL || cswasm_pool_free(ptr)) return;
  // A block exists, so the allocator is settled.
  if (atomic_load_explicit(&allocator_state, memory_order_acquire) == ALLOCATOR_CUSTOM) {
    custom.free(custom.user, ptr);
  } else {
    free(ptr);
  }
}

bool cswasm_allocator_is_custom(void) { return settle() == ALLOCATOR_CUSTOM; }

bool cswasm_allocator_install(const swasm_allocator_t *allocator) {
  if (allocator == NULL || allocator->malloc == NULL || allocator->realloc == NULL || allocator->free == NULL)
    return false;
  int expected = ALLOCATOR_UNSETTLED;
  if (!atomic_compare_exchange_strong_explicit(&allocator_state, &expected, ALLOCATOR_INSTALLING,
                                               memory_order_acq_rel, memory_order_acquire))
    return false;
  custom = *allocator;
  atomic_store_explicit(&allocator_state, ALLOCATOR_CUSTOM, memory_order_release);
  return true;
}
