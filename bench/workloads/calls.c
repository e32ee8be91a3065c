/* Call-heavy code: indirect calls through a function-pointer table (call_indirect), each of which
 * makes small direct calls to helpers that are kept out of line. */
#include "workload.h"

typedef u32 (*Operation)(u32 state, u32 step);

static volatile u32 calls_iterations = 18000000;

NOINLINE static u32 rotate_left(u32 v, u32 n) { return (v << (n & 31)) | (v >> ((32 - n) & 31)); }
NOINLINE static u32 scramble(u32 v) { return (v ^ (v >> 15)) * 0x2c1b3c6du; }
NOINLINE static u32 select_smaller(u32 a, u32 b) { return a < b ? a : b; }
NOINLINE static u32 add3(u32 a, u32 b, u32 c) { return a + b + c; }

static u32 op_add(u32 s, u32 k) { return add3(s, k, 0x9e3779b9u); }
static u32 op_sub(u32 s, u32 k) { return scramble(s - k); }
static u32 op_xor(u32 s, u32 k) { return s ^ rotate_left(k, s); }
static u32 op_mul(u32 s, u32 k) { return s * (k | 1u) + 1u; }
static u32 op_rotate(u32 s, u32 k) { return rotate_left(s, k) + 7u; }
static u32 op_scramble(u32 s, u32 k) { return scramble(s) ^ k; }
static u32 op_min(u32 s, u32 k) { return select_smaller(s, k * 2654435761u) + s; }
static u32 op_double_scramble(u32 s, u32 k) { return scramble(scramble(s) + k); }
static u32 op_mix(u32 s, u32 k) { return add3(rotate_left(s, 5), scramble(k), s >> 3); }
static u32 op_not(u32 s, u32 k) { return ~s + k; }
static u32 op_swap_halves(u32 s, u32 k) { return rotate_left(s, 16) - k; }
static u32 op_shift(u32 s, u32 k) { return (s << 3) ^ (s >> 7) ^ k; }

/* Not const, so the compiler cannot resolve the targets. */
static Operation operations[16] = {
  op_add, op_sub, op_xor, op_mul, op_rotate, op_scramble, op_min, op_double_scramble,
  op_mix, op_not, op_swap_halves, op_shift, op_add, op_scramble, op_mix, op_rotate,
};

/* One dispatch step, itself a direct call. */
NOINLINE static u32 apply(u32 state, u32 step) { return operations[(state >> 7) & 15](state, step); }

EXPORT u32 run(void) {
  u32 iterations = calls_iterations;
  u32 state = 0x12345678u, check = 0;
  for (u32 i = 0; i < iterations; i++) {
    state = apply(state, i);
    check += state;
  }
  return check ^ state;
}
