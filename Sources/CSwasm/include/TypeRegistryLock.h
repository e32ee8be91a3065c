#ifndef SWASM_TYPE_REGISTRY_LOCK_H
#define SWASM_TYPE_REGISTRY_LOCK_H

// The lock of the engines' type registries (Runtime/TypeRegistry.swift): one process-wide mutex,
// taken while a module's types are registered or a cross-module type check reads a registry.
// Both are short and rare (compilation, and the slow paths of calls through references to other
// modules' functions), so one lock for all engines costs nothing measurable. Allocates nothing.

void cswasm_type_registry_lock(void);
void cswasm_type_registry_unlock(void);

#endif
