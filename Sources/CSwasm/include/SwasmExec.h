// The execution context shared by the interpreter's C handlers and Swift instruction bodies.
#ifndef SWASM_EXEC_H
#define SWASM_EXEC_H

#include <stdint.h>

/// State of one activation of the interpreter. Hot values (memory 0) are also passed to every
/// handler in registers; handlers that may change them (calls, returns, memory.grow) reload them
/// from here.
typedef struct swasm_exec {
  /// The current frame, for handlers that switch frames (calls and returns).
  uint64_t *fp;
  /// Memory 0 of the current instance: base and size in bytes (a cache of what `memory_ref`
  /// and `memory_size_ref` point to, refreshed after calls, returns and growth).
  uint8_t *memory;
  uint64_t memory_size;
  uint8_t **memory_ref;
  uint64_t *memory_size_ref;
  /// Globals of the current instance: one 16-byte cell each.
  uint64_t *globals;
  /// Why execution stopped: 0 while running, otherwise a trap code + 1.
  uint32_t trap;
  uint32_t reserved;
  /// Bounds of the value stack: a frame must end before `stack_limit`.
  uint64_t *stack_limit;
  /// The call stack: return addresses and saved frames, `call_depth` entries below `call_limit`.
  struct swasm_call_record *calls;
  uint32_t call_depth;
  uint32_t call_limit;
  /// Remaining fuel (when metering) and the epoch deadline (when interrupting).
  int64_t fuel;
  uint64_t epoch_deadline;
  const uint64_t *epoch_counter;
  /// The function table the `call` instruction indexes (the current instance's functions).
  struct swasm_function **functions;
  /// Swift-side state (the store, the current instance), opaque to C.
  void *runtime;
  /// A word holding the `halt` handler: the return address of the host's entry frame.
  uint64_t halt_word;
} swasm_exec;

/// One entry of the call stack.
typedef struct swasm_call_record {
  const uint64_t *return_ip;
  uint64_t *fp;
  struct swasm_function **functions;
  uint8_t **memory_ref;
  uint64_t *memory_size_ref;
  uint64_t *globals;
} swasm_call_record;

/// A function as the `call` instruction sees it.
typedef struct swasm_function {
  /// Entry of its internal code; NULL for host functions.
  const uint64_t *code;
  /// Slots the frame needs (parameters, locals and temporaries) and the range of declared locals
  /// to zero on entry.
  uint32_t frame_slots;
  uint32_t locals_start;
  uint32_t locals_end;
  uint32_t parameter_slots;
  /// The instance context the function runs in (its functions, memory 0 and globals).
  struct swasm_function **functions;
  uint8_t **memory;
  uint64_t *memory_size;
  uint64_t *globals;
  /// The owning instance (Swift-side) and the function's type index in its module.
  void *instance;
  uint32_t type_index;
  uint32_t function_index;
  /// For host functions: Swift-side data.
  void *host;
} swasm_function;

/// `call`: [h][base slot][function index]. Pushes a call record, zeroes the callee's declared
/// locals, switches instance context when the callee belongs to another instance, and returns the
/// callee's first instruction (NULL after a trap: stack overflow, or a function without code).
static inline const uint64_t *swasm_call(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  swasm_function *function = ex->functions[ip[2]];
  uint64_t *callee = fp + (ip[1] & 0xffff);
  if (__builtin_expect(function == 0 || function->code == 0, 0)) {
    ex->trap = 9 + 1; /* unreachable: a function the interpreter cannot run */
    return 0;
  }
  uint32_t depth = ex->call_depth;
  if (__builtin_expect(depth >= ex->call_limit || callee + function->frame_slots > ex->stack_limit, 0)) {
    ex->trap = 0 + 1; /* stack overflow */
    return 0;
  }
  swasm_call_record *record = &ex->calls[depth];
  record->return_ip = ip + 3;
  record->fp = fp;
  record->functions = ex->functions;
  record->memory_ref = ex->memory_ref;
  record->memory_size_ref = ex->memory_size_ref;
  record->globals = ex->globals;
  ex->call_depth = depth + 1;
  for (uint32_t slot = function->locals_start; slot < function->locals_end; slot++) callee[slot] = 0;
  if (__builtin_expect(function->functions != ex->functions, 0)) {
    ex->functions = function->functions;
    ex->memory_ref = function->memory;
    ex->memory_size_ref = function->memory_size;
    ex->globals = function->globals;
    ex->memory = *function->memory;
    ex->memory_size = *function->memory_size;
  }
  ex->fp = callee;
  return function->code;
}

/// `return`: pops the call record and continues after the call (or at the host's halt word).
static inline const uint64_t *swasm_return(const uint64_t *ip, uint64_t *fp, swasm_exec *ex) {
  (void)ip;
  (void)fp;
  swasm_call_record *record = &ex->calls[--ex->call_depth];
  ex->fp = record->fp;
  ex->functions = record->functions;
  ex->memory_ref = record->memory_ref;
  ex->memory_size_ref = record->memory_size_ref;
  ex->globals = record->globals;
  ex->memory = *record->memory_ref;
  ex->memory_size = *record->memory_size_ref;
  return record->return_ip;
}

typedef const uint64_t *(*swasm_handler)(const uint64_t *ip, uint64_t *fp, swasm_exec *ex, uint8_t *mem, uint64_t mem_size);

#endif
