/* The setjmp/longjmp runtime of clang's Wasm lowering (-mllvm -wasm-enable-sjlj), for workloads
 * without a libc, in a translation unit of its own (the lowering declares these functions in the
 * units that call setjmp). */
typedef unsigned int u32;

/* The setjmp/longjmp runtime of clang's Wasm lowering: setjmp records which call of which
 * function set the buffer (and under which label it resumes), longjmp throws the buffer and value
 * with the __c_longjmp tag, and each function that called setjmp catches it, asks whether the
 * buffer is one of its own, and resumes there or throws it on. */
#ifdef __wasm__
typedef struct {
  void *invocation;
  u32 label;
  struct { void *buffer; int value; } thrown;
} jump_buffer;

void __wasm_setjmp(void *buffer, u32 label, void *invocation) {
  jump_buffer *jump = (jump_buffer *)buffer;
  jump->invocation = invocation;
  jump->label = label;
}

u32 __wasm_setjmp_test(void *buffer, void *invocation) {
  jump_buffer *jump = (jump_buffer *)buffer;
  return jump->invocation == invocation ? jump->label : 0;
}

void __wasm_longjmp(void *buffer, int value) {
  jump_buffer *jump = (jump_buffer *)buffer;
  jump->thrown.buffer = buffer;
  jump->thrown.value = value == 0 ? 1 : value;
  __builtin_wasm_throw(1, &jump->thrown); /* tag 1: __c_longjmp */
}
#endif
