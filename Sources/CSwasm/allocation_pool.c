// The pooling allocator's memory (AllocationPool.h). One mapping per pool:
//
//   [ header page(s): struct cswasm_pool, the free memory-slot indexes ][ arena ][ memory slots ]
//
// The arena serves blocks with a 16-byte header: small blocks in 27 size classes (freed ones kept
// on a list per class), large ones as runs of whole pages (freed runs are decommitted, kept on an
// address-ordered list and merged with their neighbours, or given back to the untouched end).
// Untouched arena memory, decommitted runs and returned memory slots read as zero.
#define _GNU_SOURCE
#include "AllocationPool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "VirtualMemory.h"

enum { HEADER_BYTES = 16, CLASS_COUNT = 27, LARGE = 0xFFFF, MAX_POOLS = 64 };
static const uint32_t BLOCK_MAGIC = 0x5357504Cu; // "SWPL"

static const uint32_t class_bytes[CLASS_COUNT] = {32,   48,   64,   80,   96,   112,  128,  160,  192,
                                                  224,  256,  320,  384,  448,  512,  640,  768,  896,
                                                  1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096};

typedef struct {
  uint32_t magic;
  uint32_t kind;  // a size class, or LARGE
  uint64_t pages; // a large block's pages
} block_header;

typedef struct free_run {
  struct free_run *next;
  uint64_t pages;
} free_run;

struct cswasm_pool {
  pthread_mutex_t lock;
  char *mapping;
  size_t mapping_bytes;
  size_t page;
  char *arena, *arena_end, *untouched; // [untouched, arena_end) has never been handed out
  void *small_free[CLASS_COUNT];
  free_run *runs; // freed page runs, by address
  size_t live_blocks;
  char *memories;
  size_t memory_slot_bytes, keep_resident;
  uint32_t *free_slots; // indexes of returned memory slots (a stack)
  size_t free_slot_count, taken_slots;
  size_t memory_slots, fresh_slots; // slots from `fresh_slots` on were never taken
  bool engine_released;
  int registry_index;
};

// Where each live pool's arena is, read without a lock by cswasm_pool_free. An entry is filled
// before the pool's first block exists and cleared after its last is freed.
static struct {
  _Atomic(uintptr_t) start, end;
  _Atomic(cswasm_pool *) pool;
} registry[MAX_POOLS];
static atomic_uint pools_in_use;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static __thread cswasm_pool *scope __attribute__((tls_model("initial-exec")));

static size_t round_up(size_t value, size_t unit) { return (value + unit - 1) / unit * unit; }

cswasm_pool *cswasm_pool_create(const cswasm_pool_layout *layout) {
  size_t page = cswasm_system_page_size();
  size_t header_bytes, arena_bytes, slot_bytes, memory_bytes, total;
  if (layout->memory_slots > UINT32_MAX) return NULL;
  if (__builtin_mul_overflow(layout->memory_slots, sizeof(uint32_t), &header_bytes) ||
      __builtin_add_overflow(header_bytes, sizeof(cswasm_pool) + page, &header_bytes))
    return NULL;
  header_bytes = round_up(header_bytes, page);
  if (layout->arena_bytes > SIZE_MAX / 2 || layout->memory_slot_bytes > SIZE_MAX / 2) return NULL;
  arena_bytes = round_up(layout->arena_bytes, page);
  slot_bytes = round_up(layout->memory_slot_bytes, page);
  if (__builtin_mul_overflow(slot_bytes, layout->memory_slots, &memory_bytes) ||
      __builtin_add_overflow(header_bytes, arena_bytes, &total) || __builtin_add_overflow(total, memory_bytes, &total))
    return NULL;

  pthread_mutex_lock(&registry_lock);
  int index = -1;
  for (int i = 0; i < MAX_POOLS; i++) {
    if (atomic_load_explicit(&registry[i].start, memory_order_relaxed) == 0) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    pthread_mutex_unlock(&registry_lock);
    return NULL;
  }
  char *mapping = cswasm_map_zeroed(total);
  if (mapping == NULL) {
    pthread_mutex_unlock(&registry_lock);
    return NULL;
  }
  cswasm_pool *pool = (cswasm_pool *)mapping;
  pthread_mutex_init(&pool->lock, NULL);
  pool->mapping = mapping;
  pool->mapping_bytes = total;
  pool->page = page;
  pool->arena = mapping + header_bytes;
  pool->arena_end = pool->arena + arena_bytes;
  pool->untouched = pool->arena;
  pool->memories = pool->arena_end;
  pool->memory_slot_bytes = slot_bytes;
  pool->keep_resident = round_up(layout->memory_keep_resident < slot_bytes ? layout->memory_keep_resident : slot_bytes, page);
  pool->free_slots = (uint32_t *)(mapping + round_up(sizeof(cswasm_pool), 16));
  pool->memory_slots = layout->memory_slots;
  pool->registry_index = index;
  atomic_store_explicit(&registry[index].pool, pool, memory_order_relaxed);
  atomic_store_explicit(&registry[index].end, (uintptr_t)pool->arena_end, memory_order_relaxed);
  atomic_store_explicit(&registry[index].start, (uintptr_t)pool->arena, memory_order_release);
  atomic_fetch_add_explicit(&pools_in_use, 1, memory_order_release);
  pthread_mutex_unlock(&registry_lock);
  return pool;
}

// Called with the pool's lock held; unlocks it.
static void unlock_or_destroy(cswasm_pool *pool) {
  bool dead = pool->engine_released && pool->live_blocks == 0 && pool->taken_slots == 0;
  pthread_mutex_unlock(&pool->lock);
  if (!dead) return;
  pthread_mutex_lock(&registry_lock);
  atomic_store_explicit(&registry[pool->registry_index].start, 0, memory_order_relaxed);
  atomic_store_explicit(&registry[pool->registry_index].end, 0, memory_order_relaxed);
  atomic_fetch_sub_explicit(&pools_in_use, 1, memory_order_release);
  pthread_mutex_unlock(&registry_lock);
  pthread_mutex_destroy(&pool->lock);
  cswasm_release(pool->mapping, pool->mapping_bytes);
}

void cswasm_pool_release(cswasm_pool *pool) {
  if (pool == NULL) return;
  pthread_mutex_lock(&pool->lock);
  pool->engine_released = true;
  unlock_or_destroy(pool);
}

cswasm_pool *cswasm_pool_enter(cswasm_pool *pool) {
  cswasm_pool *previous = scope;
  scope = pool;
  return previous;
}

void cswasm_pool_leave(cswasm_pool *previous) { scope = previous; }

cswasm_pool *cswasm_pool_current(void) { return scope; }

static int class_of(size_t total) {
  for (int i = 0; i < CLASS_COUNT; i++)
    if (total <= class_bytes[i]) return i;
  return -1;
}

// `pages` whole pages, reading as zero, from the freed runs (first fit) or the untouched end; NULL
// when neither has room.
static char *take_run(cswasm_pool *pool, size_t pages) {
  size_t bytes = pages * pool->page;
  for (free_run **link = &pool->runs; *link != NULL; link = &(*link)->next) {
    free_run *run = *link;
    if (run->pages < pages) continue;
    if (run->pages == pages) {
      *link = run->next;
    } else {
      free_run *rest = (free_run *)((char *)run + bytes);
      rest->next = run->next;
      rest->pages = run->pages - pages;
      *link = rest;
    }
    memset(run, 0, sizeof(free_run)); // the rest of a freed run is decommitted
    return (char *)run;
  }
  char *start = (char *)round_up((uintptr_t)pool->untouched, pool->page);
  if (start > pool->arena_end || (size_t)(pool->arena_end - start) < bytes) return NULL;
  // The gap before `start` is left unused: small blocks come from the untouched end too.
  pool->untouched = start + bytes;
  return start;
}

static void give_back_run(cswasm_pool *pool, char *start, size_t pages) {
  size_t bytes = pages * pool->page;
  cswasm_decommit(start, bytes);
  if (start + bytes == pool->untouched) {
    pool->untouched = start;
    // A freed run that now ends at the untouched end joins it too.
    for (free_run **link = &pool->runs; *link != NULL; link = &(*link)->next) {
      free_run *run = *link;
      if ((char *)run + run->pages * pool->page == pool->untouched) {
        *link = run->next;
        pool->untouched = (char *)run;
        memset(run, 0, sizeof(free_run));
        break;
      }
    }
    return;
  }
  free_run **link = &pool->runs;
  while (*link != NULL && (char *)*link < start) link = &(*link)->next;
  free_run *run = (free_run *)start;
  run->pages = pages;
  run->next = *link;
  *link = run;
  // Merge with the following run, then with the preceding one.
  if (run->next != NULL && (char *)run + run->pages * pool->page == (char *)run->next) {
    free_run *after = run->next;
    run->pages += after->pages;
    run->next = after->next;
    memset(after, 0, sizeof(free_run));
  }
  if (link != &pool->runs) {
    free_run *before = (free_run *)((char *)link - offsetof(free_run, next));
    if ((char *)before + before->pages * pool->page == (char *)run) {
      before->pages += run->pages;
      before->next = run->next;
      memset(run, 0, sizeof(free_run));
    }
  }
}

void *cswasm_pool_malloc(cswasm_pool *pool, size_t size, bool zeroed) {
  if (size > SIZE_MAX / 2) return NULL;
  size_t total = size + HEADER_BYTES;
  pthread_mutex_lock(&pool->lock);
  char *start = NULL;
  block_header header = {BLOCK_MAGIC, LARGE, 0};
  int class = class_of(total);
  bool fresh = false;
  if (class >= 0) {
    header.kind = (uint32_t)class;
    if (pool->small_free[class] != NULL) {
      start = pool->small_free[class];
      pool->small_free[class] = *(void **)start;
    } else if ((size_t)(pool->arena_end - pool->untouched) >= class_bytes[class]) {
      start = pool->untouched;
      pool->untouched += class_bytes[class];
      fresh = true;
    }
  } else {
    header.pages = round_up(total, pool->page) / pool->page;
    start = take_run(pool, header.pages);
    fresh = true; // runs come decommitted or untouched
  }
  if (start == NULL) {
    pthread_mutex_unlock(&pool->lock);
    return NULL;
  }
  pool->live_blocks++;
  pthread_mutex_unlock(&pool->lock);
  memcpy(start, &header, sizeof header);
  if (zeroed && !fresh) memset(start + HEADER_BYTES, 0, class_bytes[class] - HEADER_BYTES);
  return start + HEADER_BYTES;
}

// The pool whose arena holds `block`, or NULL. Reads the registry without a lock: a live block's
// pool stays registered.
static cswasm_pool *owner(const void *block) {
  if (atomic_load_explicit(&pools_in_use, memory_order_acquire) == 0) return NULL;
  uintptr_t address = (uintptr_t)block;
  for (int i = 0; i < MAX_POOLS; i++) {
    uintptr_t start = atomic_load_explicit(&registry[i].start, memory_order_acquire);
    if (start != 0 && address >= start && address < atomic_load_explicit(&registry[i].end, memory_order_relaxed))
      return atomic_load_explicit(&registry[i].pool, memory_order_relaxed);
  }
  return NULL;
}

bool cswasm_pool_owns(const void *block) { return block != NULL && owner(block) != NULL; }

static size_t usable_bytes(const cswasm_pool *pool, const block_header *header) {
  return (header->kind == LARGE ? header->pages * pool->page : class_bytes[header->kind]) - HEADER_BYTES;
}

bool cswasm_pool_free(void *block) {
  cswasm_pool *pool = block == NULL ? NULL : owner(block);
  if (pool == NULL) return false;
  char *begin = (char *)block - HEADER_BYTES;
  block_header header;
  memcpy(&header, begin, sizeof header);
  pthread_mutex_lock(&pool->lock);
  if (header.kind == LARGE) {
    give_back_run(pool, begin, header.pages);
  } else {
    *(void **)begin = pool->small_free[header.kind];
    pool->small_free[header.kind] = begin;
  }
  pool->live_blocks--;
  unlock_or_destroy(pool);
  return true;
}

void *cswasm_pool_realloc(void *block, size_t size) {
  cswasm_pool *pool = owner(block);
  block_header header;
  memcpy(&header, (char *)block - HEADER_BYTES, sizeof header);
  size_t usable = usable_bytes(pool, &header);
  if (size <= usable) return block;
  // Stays in its pool: cswasm_pool_free returns the old block there.
  void *moved = cswasm_pool_malloc(pool, size, false);
  if (moved == NULL) return NULL;
  memcpy(moved, block, usable);
  cswasm_pool_free(block);
  return moved;
}

void *cswasm_pool_take_memory(cswasm_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  void *slot = NULL;
  size_t index = SIZE_MAX;
  if (pool->free_slot_count > 0) {
    index = pool->free_slots[--pool->free_slot_count];
  } else if (pool->fresh_slots < pool->memory_slots) {
    index = pool->fresh_slots++;
  }
  if (index != SIZE_MAX) {
    slot = pool->memories + index * pool->memory_slot_bytes;
    pool->taken_slots++;
  }
  pthread_mutex_unlock(&pool->lock);
  return slot;
}

void cswasm_pool_return_memory(cswasm_pool *pool, void *slot, size_t used_bytes) {
  size_t used = round_up(used_bytes < pool->memory_slot_bytes ? used_bytes : pool->memory_slot_bytes, pool->page);
  size_t kept = used < pool->keep_resident ? used : pool->keep_resident;
  memset(slot, 0, kept);
  if (used > kept) cswasm_decommit((char *)slot + kept, used - kept);
  pthread_mutex_lock(&pool->lock);
  pool->free_slots[pool->free_slot_count++] = (uint32_t)(((char *)slot - pool->memories) / pool->memory_slot_bytes);
  pool->taken_slots--;
  unlock_or_destroy(pool);
}
