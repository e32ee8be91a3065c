// The pooling allocator's memory (wasmtime's pooling allocation strategy): address space an engine
// reserves once, from which its stores take everything they allocate afterwards, so that a pooled
// embedder's instantiate -> call -> delete cycles never reach the system allocator (and can
// never fail for want of memory once the engine exists).
//
// A pool has two regions, both mapped readable and writable without commit charge
// (MAP_NORESERVE), so the kernel supplies zero pages as they are first touched and nothing needs
// mapping or protecting later:
//   - the arena, a size-class allocator serving every allocation made while a thread is inside
//     one of the pool's stores (cswasm_pool_enter): stores, instances, tables, stacks, objects;
//   - linear-memory slots of a fixed size, taken by the memories instances define.
// Blocks and slots may outlive the engine (an error the host frees later): the pool is unmapped
// once the engine has released it and its last block and slot are back.
#ifndef SWASM_ALLOCATION_POOL_H
#define SWASM_ALLOCATION_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cswasm_pool cswasm_pool;

typedef struct {
  size_t arena_bytes;         // store-scoped allocations, rounded up to pages
  size_t memory_slots;        // linear memories in use at once
  size_t memory_slot_bytes;   // bytes of each memory slot, rounded up to pages
  size_t memory_keep_resident; // bytes of a returned slot cleared by writing, not decommitted
} cswasm_pool_layout;

/// Reserves a pool; NULL when the address space or the table of pools (64 at once) runs out.
cswasm_pool *cswasm_pool_create(const cswasm_pool_layout *layout);

/// The engine's release of its pool: it is unmapped now or when its last block or slot returns.
void cswasm_pool_release(cswasm_pool *pool);

/// Makes this thread's allocations come from `pool` (NULL: from the library's allocator) until
/// cswasm_pool_leave(previous), with `previous` the value returned here. Scopes nest.
cswasm_pool *cswasm_pool_enter(cswasm_pool *pool);
void cswasm_pool_leave(cswasm_pool *previous);

/// A linear-memory slot (memory_slot_bytes long), or NULL when all are taken. For a memory with an
/// image (`image`, a nonzero id: cswasm_next_image_id), a slot that still holds that image is
/// preferred: `*holds_image` then says its pages show the image already. Otherwise the slot is
/// zero-filled.
void *cswasm_pool_take_memory(cswasm_pool *pool, uint64_t image, bool *holds_image);
/// Records that the image `image` is mapped over the first `extent` bytes of a taken slot, so that
/// returning the slot resets them to the image and a later memory with that image keeps them.
void cswasm_pool_keep_image(cswasm_pool *pool, void *slot, uint64_t image, size_t extent);
/// Records that mapping an image over the first `extent` bytes of a taken slot failed part way:
/// the slot must not be accessed; zero pages replace those bytes when it is next taken.
void cswasm_pool_abandon_image(cswasm_pool *pool, void *slot, size_t extent);
/// Returns a slot whose first `used_bytes` may have been written.
void cswasm_pool_return_memory(cswasm_pool *pool, void *slot, size_t used_bytes);

// For allocator.c: the scope of this thread, and the arena's malloc, calloc, realloc and free.
cswasm_pool *cswasm_pool_current(void);
void *cswasm_pool_malloc(cswasm_pool *pool, size_t size, bool zeroed);
/// The block's new address (maybe moved to the pool of the current scope), or NULL with the
/// block untouched.
void *cswasm_pool_realloc(void *block, size_t size);
/// Frees `block` if it belongs to a pool and says whether it did.
bool cswasm_pool_free(void *block);
/// Whether `block` belongs to some pool.
bool cswasm_pool_owns(const void *block);

#endif
