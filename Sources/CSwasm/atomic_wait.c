// memory.atomic.wait and memory.atomic.notify (SwasmAtomics.h). Waiters queue in one of a fixed
// number of buckets chosen by address, each guarded by its own mutex; a waiter is a node on the
// waiting thread's stack with its own condition variable, so waiting never allocates. The value
// is compared under the bucket's lock, and notify takes the same lock: a notify that follows a
// store cannot slip between a waiter's comparison and its sleep.
#include "SwasmAtomics.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>

typedef struct waiter {
  struct waiter *next;
  struct waiter *previous;
  void *address;
  pthread_cond_t wake;
  int woken;
} waiter;

typedef struct bucket {
  pthread_mutex_t lock;
  waiter *first;
  waiter *last;
} bucket;

#define BUCKET_COUNT 64
static bucket buckets[BUCKET_COUNT] = {[0 ... BUCKET_COUNT - 1] = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL}};

static bucket *bucket_of(const void *address) {
  uintptr_t key = (uintptr_t)address;
  key ^= key >> 17;
  key *= 0x9e3779b97f4a7c15ull;
  return &buckets[(key >> 58) % BUCKET_COUNT];
}

static void unlink_waiter(bucket *b, waiter *w) {
  if (w->previous) w->previous->next = w->next; else b->first = w->next;
  if (w->next) w->next->previous = w->previous; else b->last = w->previous;
  w->next = w->previous = NULL;
}

/// The absolute CLOCK_MONOTONIC time `nanoseconds` from now (saturating).
static struct timespec deadline_after(int64_t nanoseconds) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t seconds = nanoseconds / 1000000000;
  long rest = (long)(nanoseconds % 1000000000);
  struct timespec deadline;
  if (seconds > INT64_MAX / 2 - now.tv_sec) {
    deadline.tv_sec = INT64_MAX / 2;
    deadline.tv_nsec = 0;
    return deadline;
  }
  deadline.tv_sec = now.tv_sec + seconds;
  deadline.tv_nsec = now.tv_nsec + rest;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000;
  }
  return deadline;
}

uint32_t cswasm_atomic_wait(void *address, uint32_t bytes, uint64_t expected, int64_t timeout) {
  bucket *b = bucket_of(address);
  pthread_mutex_lock(&b->lock);
  uint64_t current = bytes == 4 ? swasm_atomic_load4(address) : swasm_atomic_load8(address);
  if (current != (bytes == 4 ? (uint32_t)expected : expected)) {
    pthread_mutex_unlock(&b->lock);
    return 1;
  }
  waiter self = {.next = NULL, .previous = b->last, .address = address, .woken = 0};
  pthread_condattr_t attributes;
  pthread_condattr_init(&attributes);
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
  pthread_cond_init(&self.wake, &attributes);
  pthread_condattr_destroy(&attributes);
  if (b->last) b->last->next = &self; else b->first = &self;
  b->last = &self;
  uint32_t result = 0;
  struct timespec deadline;
  if (timeout >= 0) deadline = deadline_after(timeout);
  while (!self.woken) {
    if (timeout < 0) {
      pthread_cond_wait(&self.wake, &b->lock);
    } else if (pthread_cond_timedwait(&self.wake, &b->lock, &deadline) == ETIMEDOUT && !self.woken) {
      unlink_waiter(b, &self);
      result = 2;
      break;
    }
  }
  pthread_mutex_unlock(&b->lock);
  pthread_cond_destroy(&self.wake);
  return result;
}

uint32_t cswasm_atomic_notify(void *address, uint32_t count) {
  bucket *b = bucket_of(address);
  uint32_t woken = 0;
  pthread_mutex_lock(&b->lock);
  for (waiter *w = b->first; w != NULL && woken < count;) {
    waiter *next = w->next;
    if (w->address == address) {
      unlink_waiter(b, w);
      w->woken = 1;
      pthread_cond_signal(&w->wake);
      woken++;
    }
    w = next;
  }
  pthread_mutex_unlock(&b->lock);
  return woken;
}
