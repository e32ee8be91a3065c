// The pooling allocator's arena (Sources/CSwasm/allocation_pool.c), tested on its own: blocks of
// random sizes are allocated and freed at random, each filled with its own byte; a zeroed block
// must read zero, a block must still hold its byte when freed (no two blocks overlap), freed runs
// must merge with their neighbours so that once everything is freed one block of almost the whole
// arena fits again, and memory slots with and without images must come back as promised.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "AllocationPool.h"
#include "VirtualMemory.h"

static int failures;
#define CHECK(cond)                                                                    \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "test_allocation_pool: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                                      \
    }                                                                                  \
  } while (0)

enum { ARENA = 8 << 20, LIVE = 64 };

typedef struct {
  unsigned char *block;
  size_t size;
  unsigned char fill;
} live_block;

static uint64_t state = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static int all_bytes(const unsigned char *bytes, size_t size, unsigned char value) {
  for (size_t i = 0; i < size; i++)
    if (bytes[i] != value) return 0;
  return 1;
}

// Random allocations and frees; `small` mixes in blocks of the size classes.
static void churn(cswasm_pool *pool, int small, int steps) {
  live_block live[LIVE] = {0};
  size_t refused = 0;
  for (int step = 0; step < steps; step++) {
    live_block *slot = &live[next_random() % LIVE];
    if (slot->block) {
      CHECK(all_bytes(slot->block, slot->size, slot->fill));
      CHECK(cswasm_pool_free(slot->block));
      slot->block = NULL;
      continue;
    }
    size_t size = small && next_random() % 2 ? 1 + next_random() % 4000 : 4097 + next_random() % (600 << 10);
    int zeroed = (int)(next_random() % 2);
    unsigned char *block = cswasm_pool_malloc(pool, size, zeroed);
    if (!block) {
      refused++;
      continue;
    }
    if (zeroed) CHECK(all_bytes(block, size, 0));
    if (next_random() % 8 == 0) {
      // Grown in place or moved with its contents.
      memset(block, 0x5a, size);
      size_t grown = size + next_random() % (64 << 10);
      unsigned char *moved = cswasm_pool_realloc(block, grown);
      if (moved) {
        CHECK(all_bytes(moved, size, 0x5a));
        block = moved;
        size = grown;
      }
    }
    slot->block = block;
    slot->size = size;
    slot->fill = (unsigned char)(1 + step % 251);
    memset(block, slot->fill, size);
  }
  for (int i = 0; i < LIVE; i++) {
    if (!live[i].block) continue;
    CHECK(all_bytes(live[i].block, live[i].size, live[i].fill));
    CHECK(cswasm_pool_free(live[i].block));
  }
  // 64 blocks of up to 664 KiB do not all fit 8 MiB: some are refused, none fails otherwise.
  if (!small) CHECK(refused > 0);
}

static void runs_merge(void) {
  cswasm_pool_layout layout = {.arena_bytes = ARENA, .memory_slots = 0, .memory_slot_bytes = 0, .memory_keep_resident = 0};
  cswasm_pool *pool = cswasm_pool_create(&layout);
  CHECK(pool != NULL);
  if (!pool) return;
  churn(pool, 0, 6000);
  // Everything is free: the runs merged back into one, or into the untouched end.
  size_t page = cswasm_system_page_size();
  unsigned char *whole = cswasm_pool_malloc(pool, ARENA - page, 1);
  CHECK(whole != NULL);
  if (whole) {
    CHECK(all_bytes(whole, ARENA - page, 0));
    cswasm_pool_free(whole);
  }
  CHECK(cswasm_pool_malloc(pool, ARENA + page, 0) == NULL);
  churn(pool, 1, 6000);
  int local;
  CHECK(!cswasm_pool_free(&local));
  CHECK(!cswasm_pool_owns(&local));
  cswasm_pool_release(pool);
}

static void memory_slots(void) {
  size_t page = cswasm_system_page_size();
  cswasm_pool_layout layout = {.arena_bytes = 1 << 20, .memory_slots = 2, .memory_slot_bytes = 16 * page,
                               .memory_keep_resident = 2 * page};
  cswasm_pool *pool = cswasm_pool_create(&layout);
  CHECK(pool != NULL);
  if (!pool) return;
  bool holds;
  unsigned char *a = cswasm_pool_take_memory(pool, 0, &holds), *b = cswasm_pool_take_memory(pool, 7, &holds);
  CHECK(a && b && a != b && !holds);
  CHECK(cswasm_pool_take_memory(pool, 0, &holds) == NULL);
  if (!a || !b) return;
  memset(a, 0xee, 16 * page);
  cswasm_pool_return_memory(pool, a, 16 * page);
  // Slot b pretends to hold image 7 over its first 4 pages (anonymous pages stand in for the
  // file's): taken for image 7 again, it says so; taken for another image, it is all zero.
  memset(b, 0x77, 16 * page);
  cswasm_pool_keep_image(pool, b, 7, 4 * page);
  cswasm_pool_return_memory(pool, b, 16 * page);
  unsigned char *again = cswasm_pool_take_memory(pool, 7, &holds);
  CHECK(again == b && holds);
  cswasm_pool_return_memory(pool, again, 16 * page);
  unsigned char *other = cswasm_pool_take_memory(pool, 9, &holds);
  CHECK(!holds);
  unsigned char *plain = cswasm_pool_take_memory(pool, 0, &holds);
  CHECK(other && plain && !holds);
  if (other) CHECK(all_bytes(other, 16 * page, 0));
  if (plain) CHECK(all_bytes(plain, 16 * page, 0));
  // An image that failed part way: the slot reads zero when next taken, for any image.
  if (other) {
    memset(other, 0x99, 16 * page);
    cswasm_pool_abandon_image(pool, other, 4 * page);
    cswasm_pool_return_memory(pool, other, 16 * page);
  }
  if (plain) cswasm_pool_return_memory(pool, plain, 16 * page);
  unsigned char *first = cswasm_pool_take_memory(pool, 9, &holds);
  CHECK(!holds);
  unsigned char *second = cswasm_pool_take_memory(pool, 9, &holds);
  CHECK(!holds && first && second && (first == other || second == other));
  if (first) CHECK(all_bytes(first, 16 * page, 0));
  if (second) CHECK(all_bytes(second, 16 * page, 0));
  if (first) cswasm_pool_return_memory(pool, first, 16 * page);
  if (second) cswasm_pool_return_memory(pool, second, 16 * page);
  cswasm_pool_release(pool);
}

int main(void) {
  runs_merge();
  memory_slots();
  if (failures) {
    fprintf(stderr, "test_allocation_pool: %d failure(s)\n", failures);
    return 1;
  }
  printf("test_allocation_pool: ok\n");
  return 0;
}
