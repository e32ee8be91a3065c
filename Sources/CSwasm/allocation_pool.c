// The pooling allocator's memory (AllocationPool.h). One mapping per pool:
//
//   [ header page(s): struct cswasm_pool, the free memory-slot indexes, each slot's image ][ arena ][ memory slots ]
//
// The arena serves blocks with a 16-byte header: small blocks in 27 size classes (freed ones kept
// on a list per class), large ones as runs of whole pages. Freed runs are decommitted, merged with
// free neighbours at once (each free run's first and last pages are tagged with its length in a
// table of the header) and kept on lists by length, or given back to the untouched end; so taking
// and freeing a run costs the same however many runs are free. The last few runs freed (up to
// RESIDENT_RUN_BYTES) stay resident instead, for a block of the same length soon after (an
// instance's records, cycle after cycle), which costs a memset instead of page faults.
// Untouched arena memory, decommitted runs and returned memory slots read as zero, but for the
// pages of a memory image a slot keeps mapped (copy-on-write) for the next instance of its module.
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

// What a memory slot holds when free: zero pages, or a memory image whose pages are mapped over
// its first `extent` bytes (reset to the image's contents when the slot returned).
typedef struct {
  uint64_t image; // 0: none; BROKEN_SLOT: a system call left it unusable
  size_t extent;
} slot_state;
static const uint64_t BROKEN_SLOT = UINT64_MAX;
// Part of an image was mapped when mapping the rest failed: zero pages replace it when the slot is
// next taken.
static const uint64_t STALE_IMAGE = UINT64_MAX - 1;

typedef struct free_run {
  struct free_run *next, *previous;
  uint64_t pages;
} free_run;

// Lists of free runs by length: one per length up to EXACT_LISTS pages, then one per power of two.
enum { EXACT_LISTS = 16, RUN_LISTS = EXACT_LISTS + 48 };
static const uint32_t FREE_TAG = 0x80000000u;
enum { RESIDENT_RUNS = 32 };
static const size_t RESIDENT_RUN_BYTES = 8u << 20;

struct cswasm_pool {
  pthread_mutex_t lock;
  char *mapping;
  size_t mapping_bytes;
  size_t page;
  char *arena, *arena_end, *untouched; // [untouched, arena_end) has never been handed out
  void *small_free[CLASS_COUNT];
  free_run *runs[RUN_LISTS];
  uint32_t *page_tags; // per arena page: FREE_TAG | length at a free run's first and last page
  char *resident_runs[RESIDENT_RUNS]; // freed runs not decommitted (their bytes are not zero)
  uint64_t resident_pages[RESIDENT_RUNS];
  size_t resident_count, resident_bytes;
  size_t arena_pages;
  size_t live_blocks;
  char *memories;
  size_t memory_slot_bytes, keep_resident;
  uint32_t *free_slots; // indexes of returned memory slots (a stack)
  slot_state *slot_states;
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
  if (layout->arena_bytes > SIZE_MAX / 2 || layout->memory_slot_bytes > SIZE_MAX / 2) return NULL;
  arena_bytes = round_up(layout->arena_bytes, page);
  // Page lengths are tagged in 31 bits.
  if (arena_bytes / page >= FREE_TAG) return NULL;
  if (__builtin_mul_overflow(layout->memory_slots, sizeof(uint32_t) + sizeof(slot_state), &header_bytes) ||
      __builtin_add_overflow(header_bytes, sizeof(cswasm_pool) + 32 + page + arena_bytes / page * sizeof(uint32_t), &header_bytes))
    return NULL;
  header_bytes = round_up(header_bytes, page);
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
  pool->slot_states = (slot_state *)(mapping + round_up(sizeof(cswasm_pool), 16));
  pool->free_slots = (uint32_t *)(pool->slot_states + layout->memory_slots);
  pool->page_tags = pool->free_slots + layout->memory_slots;
  pool->arena_pages = arena_bytes / page;
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

static int run_list(uint64_t pages) {
  if (pages <= EXACT_LISTS) return (int)pages - 1;
  int list = EXACT_LISTS + (63 - __builtin_clzll(pages)) - 4;
  return list < RUN_LISTS ? list : RUN_LISTS - 1;
}

static size_t page_of(const cswasm_pool *pool, const void *address) {
  return (size_t)((const char *)address - pool->arena) / pool->page;
}

static void link_run(cswasm_pool *pool, free_run *run, uint64_t pages) {
  free_run **head = &pool->runs[run_list(pages)];
  run->pages = pages;
  run->previous = NULL;
  run->next = *head;
  if (*head != NULL) (*head)->previous = run;
  *head = run;
  size_t first = page_of(pool, run);
  pool->page_tags[first] = FREE_TAG | (uint32_t)pages;
  pool->page_tags[first + pages - 1] = FREE_TAG | (uint32_t)pages;
}

// Takes `run` off its list and clears its tags and header: all of it reads as zero again.
static void unlink_run(cswasm_pool *pool, free_run *run) {
  if (run->previous != NULL) {
    run->previous->next = run->next;
  } else {
    pool->runs[run_list(run->pages)] = run->next;
  }
  if (run->next != NULL) run->next->previous = run->previous;
  size_t first = page_of(pool, run);
  pool->page_tags[first] = 0;
  pool->page_tags[first + run->pages - 1] = 0;
  memset(run, 0, sizeof(free_run));
}

static void give_back_run(cswasm_pool *pool, char *start, size_t pages);

// Decommits the resident runs and frees them as any run.
static void flush_resident_runs(cswasm_pool *pool) {
  while (pool->resident_count > 0) {
    pool->resident_count--;
    give_back_run(pool, pool->resident_runs[pool->resident_count], pool->resident_pages[pool->resident_count]);
  }
  pool->resident_bytes = 0;
}

// `pages` whole pages: a resident run of that length (`*dirty`: its bytes are not zero), or,
// reading as zero, one from the freed runs (the first that fits on the shortest list that may
// hold one) or the untouched end; NULL when none has room.
static char *take_run(cswasm_pool *pool, size_t pages, bool *dirty) {
  size_t bytes = pages * pool->page;
  *dirty = false;
  for (size_t i = pool->resident_count; i-- > 0;) {
    if (pool->resident_pages[i] != pages) continue;
    char *run = pool->resident_runs[i];
    pool->resident_count--;
    pool->resident_runs[i] = pool->resident_runs[pool->resident_count];
    pool->resident_pages[i] = pool->resident_pages[pool->resident_count];
    pool->resident_bytes -= bytes;
    *dirty = true;
    return run;
  }
  for (int list = run_list(pages); list < RUN_LISTS; list++) {
    for (free_run *run = pool->runs[list]; run != NULL; run = run->next) {
      if (run->pages < pages) continue;
      uint64_t left = run->pages - pages;
      unlink_run(pool, run);
      if (left > 0) link_run(pool, (free_run *)((char *)run + bytes), left);
      return (char *)run;
    }
  }
  char *start = (char *)round_up((uintptr_t)pool->untouched, pool->page);
  if (start > pool->arena_end || (size_t)(pool->arena_end - start) < bytes) {
    if (pool->resident_count == 0) return NULL;
    // The resident runs may make room once merged with their neighbours.
    flush_resident_runs(pool);
    return take_run(pool, pages, dirty);
  }
  // The gap before `start` is left unused: small blocks come from the untouched end too.
  pool->untouched = start + bytes;
  return start;
}

// Frees a run: kept resident while there is room for it, otherwise decommitted.
static void free_run_of_block(cswasm_pool *pool, char *start, size_t pages) {
  size_t bytes = pages * pool->page;
  if (pool->resident_count < RESIDENT_RUNS && bytes <= RESIDENT_RUN_BYTES - pool->resident_bytes) {
    pool->resident_runs[pool->resident_count] = start;
    pool->resident_pages[pool->resident_count] = pages;
    pool->resident_count++;
    pool->resident_bytes += bytes;
    return;
  }
  give_back_run(pool, start, pages);
}

static void give_back_run(cswasm_pool *pool, char *start, size_t pages) {
  cswasm_decommit(start, pages * pool->page);
  size_t first = page_of(pool, start);
  // Merge with a free run just before, then with one just after.
  if (first > 0 && (pool->page_tags[first - 1] & FREE_TAG)) {
    size_t before = pool->page_tags[first - 1] & ~FREE_TAG;
    free_run *run = (free_run *)(start - before * pool->page);
    unlink_run(pool, run);
    start = (char *)run;
    first -= before;
    pages += before;
  }
  if (first + pages < pool->arena_pages && (pool->page_tags[first + pages] & FREE_TAG)) {
    free_run *run = (free_run *)(start + pages * pool->page);
    pages += run->pages;
    unlink_run(pool, run);
  }
  if (start + pages * pool->page == pool->untouched) {
    pool->untouched = start;
    return;
  }
  link_run(pool, (free_run *)start, pages);
}

static size_t usable_bytes(const cswasm_pool *pool, const block_header *header) {
  return (header->kind == LARGE ? header->pages * pool->page : class_bytes[header->kind]) - HEADER_BYTES;
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
    bool dirty;
    start = take_run(pool, header.pages, &dirty);
    fresh = !dirty; // other runs come decommitted or untouched
  }
  if (start == NULL) {
    pthread_mutex_unlock(&pool->lock);
    return NULL;
  }
  pool->live_blocks++;
  pthread_mutex_unlock(&pool->lock);
  memcpy(start, &header, sizeof header);
  if (zeroed && !fresh) memset(start + HEADER_BYTES, 0, usable_bytes(pool, &header));
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


bool cswasm_pool_free(void *block) {
  cswasm_pool *pool = block == NULL ? NULL : owner(block);
  if (pool == NULL) return false;
  char *begin = (char *)block - HEADER_BYTES;
  block_header header;
  memcpy(&header, begin, sizeof header);
  pthread_mutex_lock(&pool->lock);
  if (header.kind == LARGE) {
    free_run_of_block(pool, begin, header.pages);
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

static size_t slot_index(const cswasm_pool *pool, const void *slot) {
  return (size_t)((const char *)slot - pool->memories) / pool->memory_slot_bytes;
}

// Gives a slot that holds another module's image zero pages again; false (the slot is then
// broken) when the system refuses.
static bool forget_image(cswasm_pool *pool, size_t index) {
  slot_state *state = &pool->slot_states[index];
  if (state->image == 0) return true;
  if (cswasm_map_zero_pages(pool->memories + index * pool->memory_slot_bytes, state->extent)) {
    state->image = 0;
    state->extent = 0;
    return true;
  }
  state->image = BROKEN_SLOT;
  return false;
}

void *cswasm_pool_take_memory(cswasm_pool *pool, uint64_t image, bool *holds_image) {
  *holds_image = false;
  for (;;) {
    pthread_mutex_lock(&pool->lock);
    size_t index = SIZE_MAX;
    if (pool->free_slot_count > 0) {
      // Affinity: the most recently returned slot that holds this image, else the most recent.
      size_t chosen = pool->free_slot_count - 1;
      for (size_t at = pool->free_slot_count; image != 0 && at-- > 0;) {
        if (pool->slot_states[pool->free_slots[at]].image == image) {
          chosen = at;
          break;
        }
      }
      index = pool->free_slots[chosen];
      pool->free_slots[chosen] = pool->free_slots[--pool->free_slot_count];
    } else if (pool->fresh_slots < pool->memory_slots) {
      index = pool->fresh_slots++;
    }
    if (index == SIZE_MAX) {
      pthread_mutex_unlock(&pool->lock);
      return NULL;
    }
    pool->taken_slots++;
    pthread_mutex_unlock(&pool->lock);
    if (image != 0 && pool->slot_states[index].image == image) {
      *holds_image = true;
    } else if (!forget_image(pool, index)) {
      // Dropped for good: the next free slot is tried.
      pthread_mutex_lock(&pool->lock);
      pool->taken_slots--;
      unlock_or_destroy(pool);
      continue;
    }
    return pool->memories + index * pool->memory_slot_bytes;
  }
}

void cswasm_pool_keep_image(cswasm_pool *pool, void *slot, uint64_t image, size_t extent) {
  slot_state *state = &pool->slot_states[slot_index(pool, slot)];
  state->image = image;
  state->extent = extent;
}

void cswasm_pool_abandon_image(cswasm_pool *pool, void *slot, size_t extent) {
  slot_state *state = &pool->slot_states[slot_index(pool, slot)];
  state->image = STALE_IMAGE;
  state->extent = extent;
}

void cswasm_pool_return_memory(cswasm_pool *pool, void *slot, size_t used_bytes) {
  size_t index = slot_index(pool, slot);
  slot_state *state = &pool->slot_states[index];
  if (state->image == BROKEN_SLOT) {
    // Never touched again, nor reused.
    pthread_mutex_lock(&pool->lock);
    pool->taken_slots--;
    unlock_or_destroy(pool);
    return;
  }
  size_t used = round_up(used_bytes < pool->memory_slot_bytes ? used_bytes : pool->memory_slot_bytes, pool->page);
  if (state->image != 0) {
    // Decommitting resets the image's pages to the file's contents and the others to zero.
    cswasm_decommit(slot, used > state->extent ? used : state->extent);
  } else {
    size_t kept = used < pool->keep_resident ? used : pool->keep_resident;
    memset(slot, 0, kept);
    if (used > kept) cswasm_decommit((char *)slot + kept, used - kept);
  }
  pthread_mutex_lock(&pool->lock);
  pool->free_slots[pool->free_slot_count++] = (uint32_t)index;
  pool->taken_slots--;
  unlock_or_destroy(pool);
}
