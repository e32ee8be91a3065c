/**
 * \file wasmtime/trap.h
 *
 * Trap codes and extensions to wasm_trap_t and wasm_frame_t.
 */

#ifndef WASMTIME_TRAP_H
#define WASMTIME_TRAP_H

#include <wasm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Reason of a trap: one of #wasmtime_trap_code_enum. */
typedef uint8_t wasmtime_trap_code_t;

/** Values of #wasmtime_trap_code_t. */
enum wasmtime_trap_code_enum {
  /** 0: the call stack was exhausted. */
  WASMTIME_TRAP_CODE_STACK_OVERFLOW,
  /** 1: out-of-bounds linear memory access. */
  WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS,
  /** 2: misaligned atomic access. */
  WASMTIME_TRAP_CODE_HEAP_MISALIGNED,
  /** 3: out-of-bounds table access. */
  WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS,
  /** 4: indirect call through a null table entry. */
  WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL,
  /** 5: indirect call with a mismatched signature. */
  WASMTIME_TRAP_CODE_BAD_SIGNATURE,
  /** 6: integer overflow (e.g. INT_MIN / -1). */
  WASMTIME_TRAP_CODE_INTEGER_OVERFLOW,
  /** 7: integer division or remainder by zero. */
  WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO,
  /** 8: float-to-integer conversion of NaN or an out-of-range value. */
  WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER,
  /** 9: `unreachable` was executed. */
  WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED,
  /** 10: execution interrupted (epoch deadline reached). */
  WASMTIME_TRAP_CODE_INTERRUPT,
  /** 11: the store ran out of fuel. */
  WASMTIME_TRAP_CODE_OUT_OF_FUEL,
  /** 12: atomic wait on a non-shared memory. */
  WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY,
  /** 13: null reference dereferenced. */
  WASMTIME_TRAP_CODE_NULL_REFERENCE,
  /** 14: out-of-bounds array access. */
  WASMTIME_TRAP_CODE_ARRAY_OUT_OF_BOUNDS,
  /** 15: GC allocation larger than supported. */
  WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE,
  /** 16: failed reference cast. */
  WASMTIME_TRAP_CODE_CAST_FAILURE,
  /** 17: component-model re-entrance violation. */
  WASMTIME_TRAP_CODE_CANNOT_ENTER_COMPONENT,
  /** 18: async call returned without a result. */
  WASMTIME_TRAP_CODE_NO_ASYNC_RESULT,
  /** 19: suspension to a tag with no handler. */
  WASMTIME_TRAP_CODE_UNHANDLED_TAG,
  /** 20: continuation resumed twice. */
  WASMTIME_TRAP_CODE_CONTINUATION_ALREADY_CONSUMED,
  /** 21: instruction disabled by configuration was executed. */
  WASMTIME_TRAP_CODE_DISABLED_OPCODE,
  /** 22: async deadlock detected. */
  WASMTIME_TRAP_CODE_ASYNC_DEADLOCK,
  /** 23: component-model exit violation. */
  WASMTIME_TRAP_CODE_CANNOT_LEAVE_COMPONENT,
  /** 24: synchronous task attempted to block. */
  WASMTIME_TRAP_CODE_CANNOT_BLOCK_SYNC_TASK,
  /** 25: invalid `char` value. */
  WASMTIME_TRAP_CODE_INVALID_CHAR,
  /** 26: component string transcoding check failed. */
  WASMTIME_TRAP_CODE_DEBUG_ASSERT_STRING_ENCODING_FINISHED,
  /** 27: component string transcoding check failed. */
  WASMTIME_TRAP_CODE_DEBUG_ASSERT_EQUAL_CODE_UNITS,
  /** 28: component pointer alignment check failed. */
  WASMTIME_TRAP_CODE_DEBUG_ASSERT_POINTER_ALIGNED,
  /** 29: component upper-bits check failed. */
  WASMTIME_TRAP_CODE_DEBUG_ASSERT_UPPER_BITS_UNSET,
  /** 30: string out of bounds. */
  WASMTIME_TRAP_CODE_STRING_OUT_OF_BOUNDS,
  /** 31: list out of bounds. */
  WASMTIME_TRAP_CODE_LIST_OUT_OF_BOUNDS,
  /** 32: invalid variant discriminant. */
  WASMTIME_TRAP_CODE_INVALID_DISCRIMINANT,
  /** 33: unaligned pointer. */
  WASMTIME_TRAP_CODE_UNALIGNED_POINTER,
  /** 34: task cancellation protocol violation. */
  WASMTIME_TRAP_CODE_TASK_CANCEL_NOT_CANCELLED,
  /** 35: task cancelled or returned twice. */
  WASMTIME_TRAP_CODE_TASK_CANCEL_OR_RETURN_TWICE,
  /** 36: subtask cancelled after completing. */
  WASMTIME_TRAP_CODE_SUBTASK_CANCEL_AFTER_TERMINAL,
  /** 37: invalid task return. */
  WASMTIME_TRAP_CODE_TASK_RETURN_INVALID,
  /** 38: waitable set dropped while waited on. */
  WASMTIME_TRAP_CODE_WAITABLE_SET_DROP_HAS_WAITERS,
  /** 39: subtask dropped before resolving. */
  WASMTIME_TRAP_CODE_SUBTASK_DROP_NOT_RESOLVED,
  /** 40: invalid type for a new thread. */
  WASMTIME_TRAP_CODE_THREAD_NEW_INDIRECT_INVALID_TYPE,
  /** 41: uninitialised function for a new thread. */
  WASMTIME_TRAP_CODE_THREAD_NEW_INDIRECT_UNINITIALIZED,
  /** 42: backpressure counter overflow. */
  WASMTIME_TRAP_CODE_BACKPRESSURE_OVERFLOW,
  /** 43: unsupported async callback code. */
  WASMTIME_TRAP_CODE_UNSUPPORTED_CALLBACK_CODE,
  /** 44: thread cannot be resumed. */
  WASMTIME_TRAP_CODE_CANNOT_RESUME_THREAD,
  /** 45: concurrent future/stream operation. */
  WASMTIME_TRAP_CODE_CONCURRENT_FUTURE_STREAM_OP,
  /** 46: reference count overflow. */
  WASMTIME_TRAP_CODE_REFERENCE_COUNT_OVERFLOW,
  /** 47: stream operation too large. */
  WASMTIME_TRAP_CODE_STREAM_OP_TOO_BIG,
  /** 48: waitable used both synchronously and asynchronously. */
  WASMTIME_TRAP_CODE_WAITABLE_SYNC_AND_ASYNC,
  /** 49: an exception escaped to the host. */
  WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION,
};

/**
 * Creates a trap with the message `msg` (`msg_len` bytes, copied), owned by
 * the caller. Returned from a host function it is reported to the caller of
 * wasmtime_func_call() as an error carrying the message. Returns NULL on
 * allocation failure.
 */
WASM_API_EXTERN wasm_trap_t *wasmtime_trap_new(const char *msg, size_t msg_len);

/**
 * Creates a trap with the given code, owned by the caller. Returned from a
 * host function it is reported to the caller of wasmtime_func_call() as a
 * trap with that code. Returns NULL on allocation failure or for a code
 * outside #wasmtime_trap_code_enum.
 */
WASM_API_EXTERN wasm_trap_t *wasmtime_trap_new_code(wasmtime_trap_code_t code);

/** If the trap has a code, stores it in `*code` and returns true; returns
 * false for traps created from a message (and for the out-of-memory
 * trap). */
WASM_API_EXTERN bool wasmtime_trap_code(const wasm_trap_t *,
                                        wasmtime_trap_code_t *code);

/** Returns the name of the frame's function from the module's name section,
 * or NULL if unknown. The name is owned by the frame. */
WASM_API_EXTERN const wasm_name_t *
wasmtime_frame_func_name(const wasm_frame_t *);

/** Returns the name of the frame's module, or NULL if unknown. The name is
 * owned by the frame. */
WASM_API_EXTERN const wasm_name_t *
wasmtime_frame_module_name(const wasm_frame_t *);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_TRAP_H
