// The native (C) stack of the calling thread, so that host -> WebAssembly -> host re-entry can
// stop with a stack-overflow trap before the thread's stack runs out.
#ifndef SWASM_NATIVE_STACK_H
#define SWASM_NATIVE_STACK_H

#include <stdint.h>

/// The calling thread's `pthread_t`.
uintptr_t cswasm_pthread_id(void);

/// The calling thread's identity, read without a call where the thread pointer is a register
/// (unique to each live thread, as a `pthread_t` is); its `pthread_t` elsewhere.
static inline uintptr_t cswasm_thread_id(void) {
#if defined(__linux__) && defined(__x86_64__)
  uintptr_t self;
  __asm__("movq %%fs:0, %0" : "=r"(self));
  return self;
#elif defined(__linux__) && defined(__aarch64__)
  uintptr_t self;
  __asm__("mrs %0, tpidr_el0" : "=r"(self));
  return self;
#else
  return cswasm_pthread_id();
#endif
}

/// Stores the lowest usable address of the calling thread's stack (it grows down) in `low`.
/// Returns 0, or an errno value: ENOMEM when the C library could not allocate what the query
/// needs (glibc allocates for it), another value when the stack cannot be determined.
int cswasm_stack_low_bound(uintptr_t *low);

/// An address in the caller's current stack frame.
static inline uintptr_t cswasm_stack_pointer(void) { return (uintptr_t)__builtin_frame_address(0); }

/// ENOMEM, for comparing with the bound query's result.
int cswasm_enomem(void);

#endif
