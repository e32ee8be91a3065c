// The native (C) stack of the calling thread, so that host -> WebAssembly -> host re-entry can
// stop with a stack-overflow trap before the thread's stack runs out.
#ifndef SWASM_NATIVE_STACK_H
#define SWASM_NATIVE_STACK_H

#include <stdint.h>

/// The calling thread's identity (its `pthread_t`).
uintptr_t cswasm_thread_id(void);

/// Stores the lowest usable address of the calling thread's stack (it grows down) in `low`.
/// Returns 0, or an errno value: ENOMEM when the C library could not allocate what the query
/// needs (glibc allocates for it), another value when the stack cannot be determined.
int cswasm_stack_low_bound(uintptr_t *low);

/// An address in the caller's current stack frame.
static inline uintptr_t cswasm_stack_pointer(void) { return (uintptr_t)__builtin_frame_address(0); }

/// ENOMEM, for comparing with the bound query's result.
int cswasm_enomem(void);

#endif
