// The execution context shared by the interpreter's C handlers and Swift instruction bodies.
#ifndef SWASM_EXEC_H
#define SWASM_EXEC_H

#include <stdint.h>
#include <string.h>

#include "SwasmTrapCodes.h"

/// A data segment's bytes as `memory.init` sees them; `data.drop` sets the size to 0.
typedef struct swasm_segment {
  const uint8_t *bytes;
  uint64_t size;
} swasm_segment;

/// A linear memory as compiled code sees it: the leading fields of the runtime's `LinearMemory`.
typedef struct swasm_memory {
  uint8_t *base;
  uint64_t size; /* in bytes */
} swasm_memory;

/// A memory's size, read atomically (a shared memory grows from any thread).
static inline uint64_t swasm_memory_size(const swasm_memory *memory) { return __atomic_load_n(&memory->size, __ATOMIC_ACQUIRE); }

/// What compiled code of one instance reaches: its functions, memory 0, globals, tables and the
/// canonical ids of its module's function types. One per instance, at a fixed address.
typedef struct swasm_context {
  struct swasm_function **functions;
  uint8_t **memory;      /* &(memory 0's base) */
  uint64_t *memory_size; /* &(memory 0's size in bytes) */
  uint64_t **globals;    /* one two-word cell per global (imported ones belong to their exporter) */
  struct swasm_table **tables;
  const uint32_t *type_ids;
  /// The engine's type id of each of the module's type indices (Runtime/TypeRegistry.swift).
  const uint32_t *engine_type_ids;
  swasm_segment *data;
  swasm_segment *elements; /* element segments' values (8 bytes each); size in values */
  void *instance;          /* the Swift-side instance */
  swasm_memory **memories; /* every memory by index (memory 0 included) */
  void **tags;             /* every tag by index: the runtime's TagInstance (exception handling) */
  /// The layout (the runtime's GCType) of each of the module's struct and array types, by type
  /// index (NULL for function types).
  const void *const *gc_layouts;
} swasm_context;

/// A table of references: `size` words, each a `swasm_function *` (funcref) or an externref
/// value, 0 for null.
typedef struct swasm_table {
  uint64_t *elements;
  uint64_t size;
  uint64_t maximum; /* UINT64_MAX when the type has none */
} swasm_table;

/// State of one activation of the interpreter. Hot values (memory 0) are also passed to every
/// handler in registers; handlers that may change them (calls, returns, memory.grow) reload them
/// from here.
typedef struct swasm_exec {
  /// The current frame, for handlers that switch frames (calls and returns).
  uint64_t *fp;
  /// Memory 0 and globals of the current instance, cached from `context` (memory is refreshed
  /// after calls, returns and growth).
  uint8_t *memory;
  uint64_t memory_size;
  uint64_t **globals;
  swasm_context *context;
  /// Why execution stopped: 0 while running, SWASM_TRAP_STOP(code) after a trap, or a SWASM_STOP_*
  /// value (SwasmTrapCodes.h).
  uint32_t trap;
  /// Nonzero when the engine meters fuel: bulk instructions and growth then charge per unit.
  uint32_t meters_fuel;
  /// One region of `max_wasm_stack` bytes holds both stacks: frames grow up from its start, call
  /// records grow down from its end (`stack_limit`, where `calls` points: record k is `calls[-1 - k]`),
  /// and a call that would make them meet is a stack overflow.
  uint64_t *stack_limit;
  struct swasm_call_record *calls;
  uint32_t call_depth;
  uint32_t unused;
  /// Remaining fuel (when metering) and the epoch deadline (when interrupting).
  int64_t fuel;
  /// The fuel at the last call, return or `unreachable` (when metering): what the store reports
  /// after another trap, as wasmtime saves its fuel counter only at those points.
  int64_t fuel_saved;
  /// The first out-of-bounds address of the load or store that trapped (UINT64_MAX: none).
  uint64_t fault_address;
  uint64_t epoch_deadline;
  const uint64_t *epoch_counter;
  /// Swift-side state (the store), opaque to C.
  void *runtime;
  /// A word holding the `halt` handler: the return address of the host's entry frame.
  uint64_t halt_word;
  /// The instruction that trapped (for backtraces).
  const uint64_t *trap_ip;
} swasm_exec;

/// One entry of the call stack.
typedef struct swasm_call_record {
  const uint64_t *return_ip;
  uint64_t *fp;
  swasm_context *context;
  /// The function this record entered (for backtraces).
  struct swasm_function *function;
} swasm_call_record;

/// A function as the call instructions see it.
typedef struct swasm_function {
  /// Entry of its internal code; NULL for host functions.
  const uint64_t *code;
  /// Slots the frame needs (parameters, locals and temporaries) and the range of declared locals
  /// to zero on entry.
  uint32_t frame_slots;
  uint32_t locals_start;
  uint32_t locals_end;
  uint32_t parameter_slots;
  /// The function's type as a canonical id (equal ids, equal signatures) for call_indirect.
  uint32_t type_id;
  uint32_t type_index;
  uint32_t function_index;
  /// The function's type in its engine's type registry (0 for host functions, whose types are
  /// compared by signature).
  uint32_t engine_type_id;
  /// The instance context the function runs in.
  swasm_context *context;
  /// The owning instance (Swift-side).
  void *instance;
  /// For host functions: Swift-side data.
  void *host;
} swasm_function;

/// Calls a host function (Swift side): arguments at `frame[0...]`, results written there. Returns
/// `return_ip`; or, when the function threw an exception that a catch clause takes, that
/// clause's landing pad (with fewer call records); or NULL after a trap (recorded in `ex`).
/// `tail`: a tail call, the function replaces its caller.
__attribute__((swiftcall)) const uint64_t *swasm_host_call(struct swasm_function *function, const uint64_t *return_ip,
                                                          uint64_t *frame, swasm_exec *ex, uint32_t tail);

/// Whether `function`'s type matches type `type_index` of `context`'s module (the slow path of
/// `call_indirect` and `call_ref`: functions of other modules, host functions, subtypes).
__attribute__((swiftcall)) _Bool swasm_signature_matches(struct swasm_function *function, swasm_context *context, uint32_t type_index);

/// Whether a function of another module has exactly type `type_index` of `context`'s module:
/// the same type in the engine's registry, compared without taking the registry's lock (subtypes
/// and host functions go on to `swasm_signature_matches`).
static inline int swasm_same_engine_type(const struct swasm_function *function, const swasm_context *context, uint32_t type_index) {
  return function->host == 0 && function->engine_type_id == context->engine_type_ids[type_index];
}

/// The slow path of a callee's type check (another module's function, a host function, a
/// subtype), out of line so that the call handlers stay small.
__attribute__((noinline, unused)) static int swasm_callee_type_matches(struct swasm_function *function, swasm_context *context, uint32_t type_index) {
  return swasm_same_engine_type(function, context, type_index) || swasm_signature_matches(function, context, type_index);
}

/// Makes `function`'s instance current (after a call into another instance, or a return).
static inline void swasm_switch_context(swasm_exec *ex, swasm_context *context) {
  ex->context = context;
  ex->globals = context->globals;
  ex->memory = *context->memory;
  ex->memory_size = __atomic_load_n(context->memory_size, __ATOMIC_ACQUIRE); /* a shared memory grows from any thread */
}

/// Whether a frame ending at `frame_end` and the record of call `depth` would overlap.
static inline int swasm_stacks_meet(const uint64_t *frame_end, uint32_t depth, const swasm_exec *ex) {
  return (uintptr_t)frame_end > (uintptr_t)ex->calls - ((uintptr_t)depth + 1) * sizeof(struct swasm_call_record);
}

/// Pushes the call record for entering `function` (room checked by the caller), zeroes the
/// callee's declared locals and makes `callee` the current frame.
static inline void swasm_push_frame(swasm_function *function, const uint64_t *return_ip, uint64_t *fp,
                                    uint64_t *callee, swasm_exec *ex) {
  uint32_t depth = ex->call_depth;
  swasm_call_record *record = ex->calls - 1 - depth;
  record->return_ip = return_ip;
  record->fp = fp;
  record->context = ex->context;
  record->function = function;
  ex->call_depth = depth + 1;
  // The empty asm hides the loop from LLVM's memset recognition: a call to memset would give the
  // call handlers a stack frame, which costs more than the few stores a function's locals take.
  for (uint32_t slot = function->locals_start; slot < function->locals_end; slot++) {
    __asm__("" : "+r"(slot));
    callee[slot] = 0;
  }
  ex->fp = callee;
}

/// Enters `function` with its frame at `callee`, returning to `return_ip`: pushes a call record,
/// zeroes the declared locals, switches instance when needed. NULL after a trap.
static inline const uint64_t *swasm_enter_function(swasm_function *function, const uint64_t *return_ip,
                                                   uint64_t *fp, uint64_t *callee, swasm_exec *ex) {
  if (__builtin_expect(function->code == 0, 0)) {
    if (function->host) return swasm_host_call(function, return_ip, callee, ex, 0);
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_UNREACHABLE); /* a function the interpreter cannot run */
    return 0;
  }
  uint32_t depth = ex->call_depth;
  if (__builtin_expect(swasm_stacks_meet(callee + function->frame_slots, depth, ex), 0)) {
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_STACK_OVERFLOW);
    return 0;
  }
  swasm_push_frame(function, return_ip, fp, callee, ex);
  if (__builtin_expect(function->context != ex->context, 0)) swasm_switch_context(ex, function->context);
  return function->code;
}

/// The common case of a call, inline in the call handlers: compiled code of the current instance
/// with room on both stacks (memory and globals stay). Returns where the callee starts, or NULL,
/// having changed nothing, when `swasm_enter_function` must handle the call.
static inline const uint64_t *swasm_enter_local(swasm_function *function, const uint64_t *return_ip,
                                                uint64_t *fp, uint64_t *callee, swasm_exec *ex) {
  uint32_t depth = ex->call_depth;
  if (__builtin_expect(function->code == 0 || function->context != ex->context ||
                       swasm_stacks_meet(callee + function->frame_slots, depth, ex), 0))
    return 0;
  swasm_push_frame(function, return_ip, fp, callee, ex);
  return function->code;
}

static inline const uint64_t *swasm_call_fast(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  return swasm_enter_local(ex->context->functions[ip[2]], ip + 3, fp, fp + (ip[1] & 0xffff), ex);
}

/// `call_indirect` to a function of the current instance whose type id matches; NULL for anything
/// else (a trap, another instance's function), which `swasm_call_indirect` then sorts out.
static inline const uint64_t *swasm_call_indirect_fast(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  uint64_t operands = ip[1];
  swasm_table *table = ex->context->tables[operands >> 32];
  uint32_t index = (uint32_t)fp[(operands >> 16) & 0xffff];
  if (__builtin_expect(index >= table->size, 0)) return 0;
  swasm_function *function = (swasm_function *)(uintptr_t)table->elements[index];
  if (__builtin_expect(function == 0 || function->type_id != (uint32_t)ip[2], 0)) return 0;
  return swasm_enter_local(function, ip + 3, fp, fp + (operands & 0xffff), ex);
}

/// `call`: [h][base slot][function index].
static inline const uint64_t *swasm_call(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = ex->context->functions[ip[2]];
  return swasm_enter_function(function, ip + 3, fp, fp + (ip[1] & 0xffff), ex);
}

/// The callee of `call_indirect` or `return_call_indirect` ([h][base slot | index slot << 16 |
/// table << 32][expected type id]): the table's element at the index, if it is a function of the
/// expected type; NULL after a trap.
static inline swasm_function *swasm_indirect_callee(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  uint64_t operands = ip[1];
  swasm_table *table = ex->context->tables[operands >> 32];
  uint32_t index = (uint32_t)fp[(operands >> 16) & 0xffff];
  if (__builtin_expect(index >= table->size, 0)) {
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_TABLE_OUT_OF_BOUNDS);
    return 0;
  }
  swasm_function *function = (swasm_function *)(uintptr_t)table->elements[index];
  if (__builtin_expect(function == 0, 0)) {
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_INDIRECT_CALL_TO_NULL);
    return 0;
  }
  /* Type ids are canonical within a module: equal ids of the module's own functions match at
     once; anything else (another module's function, a host function, a declared subtype) is
     checked by `swasm_signature_matches`. */
  if (__builtin_expect(function->context != ex->context || function->type_id != (uint32_t)ip[2], 0)) {
    if (!swasm_callee_type_matches(function, ex->context, (uint32_t)ip[2])) {
      ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_BAD_SIGNATURE);
      return 0;
    }
  }
  return function;
}

/// The callee of `call_ref` or `return_call_ref` ([h][base slot | reference slot << 16][expected
/// type id]): the referenced function; NULL after a trap (a null reference). Validation makes the
/// function's type match the expected one; the type is checked all the same where the ids differ,
/// so that code can never call a function with a frame of another layout.
static inline swasm_function *swasm_reference_callee(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = (swasm_function *)(uintptr_t)fp[(ip[1] >> 16) & 0xffff];
  if (__builtin_expect(function == 0, 0)) {
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_NULL_REFERENCE);
    return 0;
  }
  if (__builtin_expect(function->context != ex->context || function->type_id != (uint32_t)ip[2], 0)) {
    if (!swasm_callee_type_matches(function, ex->context, (uint32_t)ip[2])) {
      ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_BAD_SIGNATURE);
      return 0;
    }
  }
  return function;
}

/// `call_ref`: [h][base slot | reference slot << 16][expected type id].
static inline const uint64_t *swasm_call_ref(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = swasm_reference_callee(ip, fp, ex);
  if (__builtin_expect(function == 0, 0)) return 0;
  return swasm_enter_function(function, ip + 3, fp, fp + (ip[1] & 0xffff), ex);
}

/// `call_indirect`: [h][base slot | index slot << 16 | table << 32][expected type id].
static inline const uint64_t *swasm_call_indirect(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = swasm_indirect_callee(ip, fp, ex);
  if (__builtin_expect(function == 0, 0)) return 0;
  return swasm_enter_function(function, ip + 3, fp, fp + (ip[1] & 0xffff), ex);
}

/// `return`: pops the call record and continues after the call (or at the host's halt word).
static inline const uint64_t *swasm_return(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  (void)ip;
  (void)fp;
  uint32_t depth = --ex->call_depth;
  swasm_call_record *record = ex->calls - 1 - depth;
  ex->fp = record->fp;
  if (__builtin_expect(record->context != ex->context, 0)) swasm_switch_context(ex, record->context);
  return record->return_ip;
}

/// A tail call of `function` with its arguments at `arguments` (the caller's operand slots): the
/// callee replaces the caller, whose frame (at `fp`) and call record it takes over, so that
/// unbounded tail recursion runs in constant space on both stacks. The arguments move to the
/// frame's start; the callee's results land there, where the caller's caller expects the
/// caller's (the validator made the result types equal). A host function is called in place and
/// then returns for the caller. NULL after a trap.
static inline const uint64_t *swasm_tail_call(swasm_function *function, const uint64_t *ip, uint64_t *fp, uint64_t *arguments,
                                              swasm_exec *ex) {
  if (function->parameter_slots) memmove(fp, arguments, (size_t)function->parameter_slots * sizeof(uint64_t));
  uint32_t depth = ex->call_depth; /* the caller's record is the last one, depth - 1 */
  swasm_call_record *record = ex->calls - depth;
  if (__builtin_expect(function->code == 0, 0)) {
    if (!function->host) {
      ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_UNREACHABLE); /* a function the interpreter cannot run */
      return 0;
    }
    const uint64_t *next = swasm_host_call(function, record->return_ip, fp, ex, 1);
    if (!next || ex->call_depth != depth) return next; /* a trap, or an exception caught further out */
    return swasm_return(ip, fp, ex);
  }
  if (__builtin_expect(swasm_stacks_meet(fp + function->frame_slots, depth - 1, ex), 0)) {
    ex->trap = SWASM_TRAP_STOP(SWASM_TRAP_STACK_OVERFLOW);
    return 0;
  }
  record->function = function;
  for (uint32_t slot = function->locals_start; slot < function->locals_end; slot++) {
    __asm__("" : "+r"(slot));
    fp[slot] = 0;
  }
  ex->fp = fp;
  if (__builtin_expect(function->context != ex->context, 0)) swasm_switch_context(ex, function->context);
  return function->code;
}

/// `return_call`: [h][base slot][function index].
static inline const uint64_t *swasm_return_call(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  return swasm_tail_call(ex->context->functions[ip[2]], ip, fp, fp + (ip[1] & 0xffff), ex);
}

/// `return_call_indirect`: [h][base slot | index slot << 16 | table << 32][expected type id].
static inline const uint64_t *swasm_return_call_indirect(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = swasm_indirect_callee(ip, fp, ex);
  if (__builtin_expect(function == 0, 0)) return 0;
  return swasm_tail_call(function, ip, fp, fp + (ip[1] & 0xffff), ex);
}

/// `return_call_ref`: [h][base slot | reference slot << 16][expected type id].
static inline const uint64_t *swasm_return_call_ref(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = swasm_reference_callee(ip, fp, ex);
  if (__builtin_expect(function == 0, 0)) return 0;
  return swasm_tail_call(function, ip, fp, fp + (ip[1] & 0xffff), ex);
}

typedef const uint64_t *(*swasm_handler)(const uint64_t *ip, uint64_t *fp, swasm_exec *ex, uint8_t *mem, uint64_t mem_size);

#endif
