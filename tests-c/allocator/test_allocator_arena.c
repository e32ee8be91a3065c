// swasm_set_allocator with a fixed buffer (ctest allocator_arena; README.md here): all of the
// library's memory comes from one static 64 MiB array, handed out first fit from an
// address-ordered free list that merges neighbours, as on a system without malloc. To make that
// literal, libc's allocator refuses every call while the workload runs (libc_watch.c). At the end
// the free list is one block of the whole buffer again. Then the buffer runs out: a workload
// whose memory cannot fit fails with out of memory, and the next one succeeds.
#define _GNU_SOURCE 1
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include "libc_watch.h"
#include "workload.h"

#define ARENA_BYTES ((size_t)64 << 20)
#define ALIGNMENT 16

// A block: a 16-byte header (its size, header included), then the caller's bytes. A free block
// keeps the next free block's address in its first bytes.
typedef struct free_block {
  size_t size;
  struct free_block *next;
} free_block;

typedef struct {
  pthread_mutex_t lock;
  free_block *free_list; // ordered by address
  size_t used, peak;     // bytes handed out, headers included
  uint64_t allocations, failures;
} arena_t;

static _Alignas(ALIGNMENT) unsigned char buffer[ARENA_BYTES];
static arena_t arena = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void arena_init(arena_t *a) {
  a->free_list = (free_block *)buffer;
  a->free_list->size = ARENA_BYTES;
  a->free_list->next = NULL;
}

// Under the lock. First fit; the rest of a block stays free when it can hold a header.
static void *take(arena_t *a, size_t size) {
  if (size > ARENA_BYTES) return NULL;
  size_t needed = (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT + ALIGNMENT;
  a->allocations++;
  for (free_block **link = &a->free_list; *link != NULL; link = &(*link)->next) {
    free_block *block = *link;
    if (block->size < needed) continue;
    if (block->size - needed >= 2 * ALIGNMENT) {
      free_block *rest = (free_block *)((unsigned char *)block + needed);
      rest->size = block->size - needed;
      rest->next = block->next;
      *link = rest;
      block->size = needed;
    } else {
      *link = block->next;
    }
    a->used += block->size;
    if (a->used > a->peak) a->peak = a->used;
    return (unsigned char *)block + ALIGNMENT;
  }
  a->failures++;
  return NULL;
}

// Under the lock. Back into the list at its address, merged with free neighbours.
static void give_back(arena_t *a, void *ptr) {
  free_block *block = (free_block *)((unsigned char *)ptr - ALIGNMENT);
  a->used -= block->size;
  free_block **link = &a->free_list;
  free_block *previous = NULL;
  while (*link != NULL && *link < block) {
    previous = *link;
    link = &(*link)->next;
  }
  block->next = *link;
  *link = block;
  if (block->next && (unsigned char *)block + block->size == (unsigned char *)block->next) {
    block->size += block->next->size;
    block->next = block->next->next;
  }
  if (previous && (unsigned char *)previous + previous->size == (unsigned char *)block) {
    previous->size += block->size;
    previous->next = block->next;
  }
}

static void *arena_malloc(void *user, size_t size) {
  arena_t *a = user;
  pthread_mutex_lock(&a->lock);
  void *result = take(a, size);
  pthread_mutex_unlock(&a->lock);
  return result;
}

// A new block and a copy (the old one stays if there is no room).
static void *arena_realloc(void *user, void *ptr, size_t size) {
  arena_t *a = user;
  size_t old = ((free_block *)((unsigned char *)ptr - ALIGNMENT))->size - ALIGNMENT;
  pthread_mutex_lock(&a->lock);
  void *moved = take(a, size);
  if (moved != NULL) {
    memcpy(moved, ptr, old < size ? old : size);
    give_back(a, ptr);
  }
  pthread_mutex_unlock(&a->lock);
  return moved;
}

static void arena_free(void *user, void *ptr) {
  arena_t *a = user;
  pthread_mutex_lock(&a->lock);
  give_back(a, ptr);
  pthread_mutex_unlock(&a->lock);
}

static bool arena_whole(arena_t *a) {
  return a->used == 0 && a->free_list == (free_block *)buffer && a->free_list->size == ARENA_BYTES && a->free_list->next == NULL;
}

int main(void) {
  printf("allocator_arena: the library's memory from a static %zu MiB buffer, libc refusing\n", ARENA_BYTES >> 20);
  fflush(stdout);
  int failures = 0;
  arena_init(&arena);
  swasm_allocator_t allocator = {arena_malloc, arena_realloc, arena_free, &arena};
  if (!swasm_set_allocator(&allocator)) {
    printf("FAIL: swasm_set_allocator refused the arena\n");
    return 1;
  }

  libc_watch_open(true);
  workload_status status = workload_run(100000);
  libc_watch_counts libc = libc_watch_close();
  printf("workload: status %d, %" PRIu64 " allocations from the arena, peak %zu bytes used; libc asked %" PRIu64
         " times (all refused)\n", status, arena.allocations, arena.peak, libc.allocations);
  if (status != WORKLOAD_OK) {
    printf("FAIL: the workload failed (%s, workload.h line %d)\n", workload_failure ? workload_failure : "out of memory",
           workload_failure_line);
    failures++;
  }
  if (libc.allocations != 0) {
    printf("FAIL: the library asked libc for memory\n");
    failures++;
  }
  if (!arena_whole(&arena)) {
    printf("FAIL: the arena is not whole again (%zu bytes still used)\n", arena.used);
    failures++;
  }

  // A buffer too small: the linear memory of the large workload (258 pages, 16 MiB) no longer
  // fits beside 50 MiB held elsewhere, so it runs out; afterwards everything is given back.
  pthread_mutex_lock(&arena.lock);
  void *hog = take(&arena, (size_t)50 << 20);
  pthread_mutex_unlock(&arena.lock);
  uint64_t refused_before = arena.failures;
  status = workload_run(100000);
  printf("with 50 MiB held: status %d, %" PRIu64 " allocations refused\n", status, arena.failures - refused_before);
  if (status != WORKLOAD_OOM || arena.failures == refused_before) {
    printf("FAIL: a workload that cannot fit did not run out of memory\n");
    failures++;
  }
  arena_free(&arena, hog);
  status = workload_run(1000);
  if (status != WORKLOAD_OK || !arena_whole(&arena)) {
    printf("FAIL: the library did not recover once memory was back (status %d, %zu bytes used)\n", status, arena.used);
    failures++;
  }

  printf("allocator_arena: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
