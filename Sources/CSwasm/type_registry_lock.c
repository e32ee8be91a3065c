#include "TypeRegistryLock.h"

#include <pthread.h>

static pthread_mutex_t type_registry_mutex = PTHREAD_MUTEX_INITIALIZER;

void cswasm_type_registry_lock(void) { pthread_mutex_lock(&type_registry_mutex); }

void cswasm_type_registry_unlock(void) { pthread_mutex_unlock(&type_registry_mutex); }
