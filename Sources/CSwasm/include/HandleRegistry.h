#ifndef SWASM_HANDLE_REGISTRY_H
#define SWASM_HANDLE_REGISTRY_H

// A process-wide set of live host handles that are plain heap objects (shared memories, which
// belong to no store): each handle starts with a link, and a pointer the host hands in is looked
// up by address, never dereferenced, before it is used. Thread-safe; allocates nothing.

#include <stdbool.h>

typedef struct swasm_handle_link {
  struct swasm_handle_link *next;
  struct swasm_handle_link *previous;
} swasm_handle_link;

void cswasm_handle_register(swasm_handle_link *link);
/// Unregisters `candidate` if it is a registered handle, in one step; whether it was (a handle
/// deleted twice, even at once on two threads, is freed once).
bool cswasm_handle_unregister(const void *candidate);
/// Whether `candidate` is a registered handle (compared by address only).
bool cswasm_handle_is_registered(const void *candidate);

#endif
