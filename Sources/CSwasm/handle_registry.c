// The registry of HandleRegistry.h: a doubly linked list of the handles' own links under one
// mutex. Lookups walk it; hosts hold few such handles.
#include "HandleRegistry.h"

#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static swasm_handle_link *registry_first = NULL;

void cswasm_handle_register(swasm_handle_link *link) {
  pthread_mutex_lock(&registry_lock);
  link->previous = NULL;
  link->next = registry_first;
  if (registry_first) registry_first->previous = link;
  registry_first = link;
  pthread_mutex_unlock(&registry_lock);
}

bool cswasm_handle_unregister(const void *candidate) {
  pthread_mutex_lock(&registry_lock);
  swasm_handle_link *link = registry_first;
  while (link != NULL && (const void *)link != candidate) link = link->next;
  if (link != NULL) {
    if (link->previous) link->previous->next = link->next; else registry_first = link->next;
    if (link->next) link->next->previous = link->previous;
    link->next = link->previous = NULL;
  }
  pthread_mutex_unlock(&registry_lock);
  return link != NULL;
}

bool cswasm_handle_is_registered(const void *candidate) {
  pthread_mutex_lock(&registry_lock);
  bool found = false;
  for (swasm_handle_link *link = registry_first; link != NULL && !found; link = link->next) found = (const void *)link == candidate;
  pthread_mutex_unlock(&registry_lock);
  return found;
}
