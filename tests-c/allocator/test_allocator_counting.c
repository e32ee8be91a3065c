// swasm_set_allocator with an allocator that counts (ctest allocator_counting; README.md here):
// the workload runs with every block of the library coming from it, and at the end every block
// has been freed. libc_watch.c shows that nothing bypassed it: while the workload runs, no code
// of the process allocates from libc at all. The same program built with -DALLOCATOR_NO_WATCH
// takes its blocks from plain malloc so that valgrind checks them (ctest allocator_valgrind).
#define _GNU_SOURCE 1
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "libc_watch.h"
#include "workload.h"

#ifdef ALLOCATOR_NO_WATCH
// Under valgrind: blocks from malloc, which valgrind tracks; no watching.
#define BACKING_MALLOC malloc
#define BACKING_REALLOC realloc
#define BACKING_FREE free
void libc_watch_open(bool refuse) { (void)refuse; }
libc_watch_counts libc_watch_close(void) {
  libc_watch_counts none = {0, 0, 0};
  return none;
}
#else
#define BACKING_MALLOC __libc_malloc
#define BACKING_REALLOC __libc_realloc
#define BACKING_FREE __libc_free
#endif

static int failures;
#define EXPECT(cond, ...)                                       \
  do {                                                          \
    if (!(cond)) {                                              \
      fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);     \
      fprintf(stderr, __VA_ARGS__);                             \
      fprintf(stderr, "\n");                                    \
      failures++;                                               \
    }                                                           \
  } while (0)

// Each block carries its size and a mark in a 16-byte header, so the allocator can check what
// the library hands back and keep its alignment.
typedef struct {
  uint64_t size;
  uint64_t mark;
} header_t;
#define LIVE_MARK UINT64_C(0x5357534d414c4c43)

typedef struct {
  pthread_mutex_t lock;
  uint64_t mallocs, reallocs, frees;
  uint64_t live_blocks, live_bytes, peak_bytes, total_bytes;
  uint64_t largest;
  uint64_t misuse; // a NULL or foreign block, a size of 0, a misaligned result
} counting_t;

static counting_t counting = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void note_live(counting_t *c, uint64_t added, uint64_t removed) {
  c->live_bytes = c->live_bytes + added - removed;
  if (c->live_bytes > c->peak_bytes) c->peak_bytes = c->live_bytes;
  c->total_bytes += added;
  if (added > c->largest) c->largest = added;
}

static void *counting_malloc(void *user, size_t size) {
  counting_t *c = user;
  header_t *block = size <= SIZE_MAX - sizeof(header_t) ? BACKING_MALLOC(sizeof(header_t) + size) : NULL;
  pthread_mutex_lock(&c->lock);
  c->mallocs++;
  if (size == 0) c->misuse++;
  if (block != NULL) {
    block->size = size;
    block->mark = LIVE_MARK;
    c->live_blocks++;
    note_live(c, size, 0);
  }
  pthread_mutex_unlock(&c->lock);
  return block ? block + 1 : NULL;
}

static void *counting_realloc(void *user, void *ptr, size_t size) {
  counting_t *c = user;
  header_t *old = ptr ? (header_t *)ptr - 1 : NULL;
  pthread_mutex_lock(&c->lock);
  c->reallocs++;
  bool bad = old == NULL || old->mark != LIVE_MARK || size == 0;
  if (bad) c->misuse++;
  pthread_mutex_unlock(&c->lock);
  if (bad || size > SIZE_MAX - sizeof(header_t)) return NULL;
  uint64_t old_size = old->size;
  header_t *block = BACKING_REALLOC(old, sizeof(header_t) + size);
  if (block == NULL) return NULL;
  block->size = size;
  pthread_mutex_lock(&c->lock);
  note_live(c, size, old_size);
  pthread_mutex_unlock(&c->lock);
  return block + 1;
}

static void counting_free(void *user, void *ptr) {
  counting_t *c = user;
  header_t *block = ptr ? (header_t *)ptr - 1 : NULL;
  pthread_mutex_lock(&c->lock);
  c->frees++;
  if (block == NULL || block->mark != LIVE_MARK) {
    c->misuse++;
    pthread_mutex_unlock(&c->lock);
    return;
  }
  block->mark = 0;
  c->live_blocks--;
  c->live_bytes -= block->size;
  pthread_mutex_unlock(&c->lock);
  BACKING_FREE(block);
}

static counting_t snapshot(void) {
  pthread_mutex_lock(&counting.lock);
  counting_t copy = counting;
  pthread_mutex_unlock(&counting.lock);
  return copy;
}

static void *workload_on_thread(void *result) {
  libc_watch_open(false);
  *(workload_status *)result = workload_run(10);
  libc_watch_counts seen = libc_watch_close();
  libc_watch_counts *counts = malloc(sizeof *counts);
  if (counts) *counts = seen;
  return counts;
}

int main(void) {
  printf("allocator_counting: the embedder's allocator counts, libc is watched\n");
  fflush(stdout);

  swasm_allocator_t allocator = {counting_malloc, counting_realloc, counting_free, &counting};
  swasm_allocator_t incomplete = allocator;
  incomplete.realloc = NULL;
  EXPECT(!swasm_set_allocator(NULL), "a NULL allocator was installed");
  EXPECT(!swasm_set_allocator(&incomplete), "an allocator without realloc was installed");
  EXPECT(swasm_error_is_oom(NULL) == false, "swasm_error_is_oom(NULL)");
  EXPECT(swasm_set_allocator(&allocator), "the allocator was refused before anything was allocated");
  EXPECT(!swasm_set_allocator(&allocator), "a second allocator was installed");

  // The workload, on the main thread, with libc watched: not one allocation may reach it.
  libc_watch_open(false);
  workload_status status = workload_run(100000);
  libc_watch_counts libc = libc_watch_close();
  counting_t c = snapshot();
  EXPECT(status == WORKLOAD_OK, "the workload failed (status %d: %s, line %d)", status,
         workload_failure ? workload_failure : "out of memory", workload_failure_line);
  EXPECT(workload_finalized == 1, "the externref's finalizer ran %d times", workload_finalized);
  printf("workload: %" PRIu64 " mallocs, %" PRIu64 " reallocs, %" PRIu64 " frees through the hook; %" PRIu64
         " bytes allocated in all, peak %" PRIu64 " bytes live, largest block %" PRIu64 " bytes\n",
         c.mallocs, c.reallocs, c.frees, c.total_bytes, c.peak_bytes, c.largest);
  printf("left live after everything was deleted: %" PRIu64 " blocks, %" PRIu64 " bytes\n", c.live_blocks, c.live_bytes);
  EXPECT(c.mallocs > 1000, "the workload made only %" PRIu64 " allocations through the hook", c.mallocs);
  EXPECT(c.live_blocks == 0 && c.live_bytes == 0, "%" PRIu64 " blocks (%" PRIu64 " bytes) leaked", c.live_blocks, c.live_bytes);
  EXPECT(c.mallocs == c.frees, "%" PRIu64 " mallocs but %" PRIu64 " frees", c.mallocs, c.frees);
  EXPECT(c.peak_bytes >= (uint64_t)256 << 16, "peak %" PRIu64 " bytes: the grown linear memory did not come from the hook",
         c.peak_bytes);
  EXPECT(c.misuse == 0, "%" PRIu64 " calls broke the documented contract (NULL, foreign block, size 0)", c.misuse);
#ifndef ALLOCATOR_NO_WATCH
  printf("libc during the workload: %" PRIu64 " allocations, %" PRIu64 " frees\n", libc.allocations, libc.frees);
  EXPECT(libc.allocations == 0 && libc.frees == 0, "allocations bypassed the hook");
#else
  (void)libc;
#endif

  // Again on another thread: the library asks glibc for the thread's stack bounds there
  // (pthread_getattr_np), which allocates from libc for itself; nothing else may.
  workload_status thread_status = WORKLOAD_FAIL;
  pthread_t thread;
  void *returned = NULL;
  EXPECT(pthread_create(&thread, NULL, workload_on_thread, &thread_status) == 0, "pthread_create");
  pthread_join(thread, &returned);
  libc_watch_counts *on_thread = returned;
  c = snapshot();
  EXPECT(thread_status == WORKLOAD_OK, "the workload failed on a thread (status %d)", thread_status);
  EXPECT(c.live_blocks == 0 && c.live_bytes == 0, "%" PRIu64 " blocks leaked on the thread", c.live_blocks);
#ifndef ALLOCATOR_NO_WATCH
  if (on_thread) {
    printf("libc during the workload on a second thread: %" PRIu64 " allocations, %" PRIu64
           " frees (glibc's pthread_getattr_np)\n", on_thread->allocations, on_thread->frees);
    EXPECT(on_thread->allocations == on_thread->frees, "libc blocks left on the thread");
    EXPECT(on_thread->allocations <= 4, "more libc allocations on a thread than pthread_getattr_np's");
  }
#endif
  free(on_thread);
  printf("after both runs: %" PRIu64 " mallocs, %" PRIu64 " frees through the hook, %" PRIu64 " live\n", c.mallocs,
         c.frees, c.live_blocks);

  if (failures) {
    printf("allocator_counting: %d failure(s)\n", failures);
    return 1;
  }
  printf("allocator_counting: ok\n");
  return 0;
}
