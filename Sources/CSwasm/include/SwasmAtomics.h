#ifndef SWASM_ATOMICS_H
#define SWASM_ATOMICS_H

// The threads proposal's atomic accesses on linear memory, sequentially consistent as
// WebAssembly's atomics are, and its wait/notify (atomic_wait.c). Addresses are host addresses
// inside a linear memory, already checked for bounds and natural alignment.

#include <stdint.h>

/// The read-modify-write operations, in the order of their opcodes (0xFE 0x1E + 7 × operation).
enum { SWASM_ATOMIC_ADD, SWASM_ATOMIC_SUB, SWASM_ATOMIC_AND, SWASM_ATOMIC_OR, SWASM_ATOMIC_XOR, SWASM_ATOMIC_XCHG };

#define SWASM_ATOMIC_WIDTH(T, N)                                                                           \
  static inline uint64_t swasm_atomic_load##N(const void *p) { return __atomic_load_n((const T *)p, __ATOMIC_SEQ_CST); } \
  static inline void swasm_atomic_store##N(void *p, uint64_t v) { __atomic_store_n((T *)p, (T)v, __ATOMIC_SEQ_CST); } \
  /* The old value, zero-extended. */                                                                      \
  static inline uint64_t swasm_atomic_rmw##N(void *p, uint32_t operation, uint64_t v) {                    \
    T *q = (T *)p;                                                                                         \
    switch (operation) {                                                                                   \
    case SWASM_ATOMIC_ADD: return __atomic_fetch_add(q, (T)v, __ATOMIC_SEQ_CST);                           \
    case SWASM_ATOMIC_SUB: return __atomic_fetch_sub(q, (T)v, __ATOMIC_SEQ_CST);                           \
    case SWASM_ATOMIC_AND: return __atomic_fetch_and(q, (T)v, __ATOMIC_SEQ_CST);                           \
    case SWASM_ATOMIC_OR: return __atomic_fetch_or(q, (T)v, __ATOMIC_SEQ_CST);                             \
    case SWASM_ATOMIC_XOR: return __atomic_fetch_xor(q, (T)v, __ATOMIC_SEQ_CST);                           \
    default: return __atomic_exchange_n(q, (T)v, __ATOMIC_SEQ_CST);                                        \
    }                                                                                                      \
  }                                                                                                        \
  /* Replaces the value with `replacement` if it equals `expected` (both wrapped to the width); the */   \
  /* old value, zero-extended. */                                                                          \
  static inline uint64_t swasm_atomic_cmpxchg##N(void *p, uint64_t expected, uint64_t replacement) {       \
    T old = (T)expected;                                                                                   \
    __atomic_compare_exchange_n((T *)p, &old, (T)replacement, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);      \
    return old;                                                                                            \
  }

SWASM_ATOMIC_WIDTH(uint8_t, 1)
SWASM_ATOMIC_WIDTH(uint16_t, 2)
SWASM_ATOMIC_WIDTH(uint32_t, 4)
SWASM_ATOMIC_WIDTH(uint64_t, 8)
#undef SWASM_ATOMIC_WIDTH

static inline void swasm_atomic_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/// `memory.atomic.wait32/64` on a shared memory: blocks the calling thread while the value at
/// `address` (4 or 8 `bytes`) equals `expected`, until a notify wakes it or `timeout` nanoseconds
/// pass (negative: no timeout). 0 when woken, 1 when the value differed, 2 on timeout. Allocates
/// nothing (the waiter lives on the waiting thread's stack).
uint32_t cswasm_atomic_wait(void *address, uint32_t bytes, uint64_t expected, int64_t timeout);

/// `memory.atomic.notify`: wakes up to `count` threads waiting on `address`, oldest first; how
/// many it woke.
uint32_t cswasm_atomic_notify(void *address, uint32_t count);

#endif
