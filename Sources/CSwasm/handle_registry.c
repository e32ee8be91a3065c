// The registry of HandleRegistry.h: the handles' own links chained in buckets by address, under
// one mutex. A lookup walks one bucket, so hosts may hold many handles (thousands of async call
// futures) at little cost; the bucket array is static, so nothing is allocated.
#include "HandleRegistry.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum { BUCKET_BITS = 12 };

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static swasm_handle_link *buckets[1u << BUCKET_BITS];

static swasm_handle_link **bucket_of(const void *address) {
  uint64_t hash = (uint64_t)(uintptr_t)address * 0x9e3779b97f4a7c15ull;
  return &buckets[hash >> (64 - BUCKET_BITS)];
}

void cswasm_handle_register(swasm_handle_link *link) {
  pthread_mutex_lock(&registry_lock);
  swasm_handle_link **first = bucket_of(link);
  link->previous = NULL;
  link->next = *first;
  if (*first) (*first)->previous = link;
  *first = link;
  pthread_mutex_unlock(&registry_lock);
}

bool cswasm_handle_unregister(const void *candidate) {
  pthread_mutex_lock(&registry_lock);
  swasm_handle_link **first = bucket_of(candidate);
  swasm_handle_link *link = *first;
  while (link != NULL && (const void *)link != candidate) link = link->next;
  if (link != NULL) {
    if (link->previous) link->previous->next = link->next; else *first = link->next;
    if (link->next) link->next->previous = link->previous;
    link->next = link->previous = NULL;
  }
  pthread_mutex_unlock(&registry_lock);
  return link != NULL;
}

bool cswasm_handle_is_registered(const void *candidate) {
  pthread_mutex_lock(&registry_lock);
  bool found = false;
  for (swasm_handle_link *link = *bucket_of(candidate); link != NULL && !found; link = link->next) found = (const void *)link == candidate;
  pthread_mutex_unlock(&registry_lock);
  return found;
}
