/* Tail calls (WebAssembly 3.0): a threaded interpreter of a small bytecode whose handlers end in
 * guaranteed tail calls (`musttail`, compiled with -mtail-call to return_call and
 * return_call_indirect), as interpreters and functional-language compilers write them. Without
 * tail calls its call stack would grow by one frame per executed instruction. */
#include "workload.h"

typedef struct Machine Machine;
typedef u32 (*Handler)(Machine *m, u32 pc, u32 acc);

struct Machine {
  const u8 *code;
  u32 counter;
  u32 x;
};

static Handler handlers[8];

/* Dispatch: a tail call through the table (return_call_indirect). */
#define NEXT(m, pc, acc) __attribute__((musttail)) return handlers[(m)->code[pc]]((m), (pc), (acc))

static u32 op_add(Machine *m, u32 pc, u32 acc) { NEXT(m, pc + 1, acc + m->code[pc + 1]); }
static u32 op_mul(Machine *m, u32 pc, u32 acc) { NEXT(m, pc + 1, acc * 0x01000193u); }
static u32 op_xor(Machine *m, u32 pc, u32 acc) { m->x ^= acc; NEXT(m, pc + 1, acc ^ (acc >> 13)); }
static u32 op_rot(Machine *m, u32 pc, u32 acc) { NEXT(m, pc + 1, (acc << 5) | (acc >> 27)); }
static u32 op_mix(Machine *m, u32 pc, u32 acc) { NEXT(m, pc + 1, acc + m->x + pc); }
static u32 op_nop(Machine *m, u32 pc, u32 acc) { NEXT(m, pc + 1, acc); }
/* Jumps back to the start until the counter runs out. */
static u32 op_loop(Machine *m, u32 pc, u32 acc) {
  if (--m->counter == 0) return acc ^ m->x;
  NEXT(m, 0, acc);
}

/* A direct tail-recursive function as well (return_call). */
NOINLINE static u32 collatz_steps(u32 n, u32 steps) {
  if (n <= 1) return steps;
  __attribute__((musttail)) return collatz_steps((n & 1) ? 3 * n + 1 : n / 2, steps + 1);
}

static volatile u32 tail_iterations = 2000000;

EXPORT u32 run(void) {
  static const u8 program[] = {0, 3, 1, 2, 3, 4, 5, 1, 0, 7, 2, 3, 4, 6};
  handlers[0] = op_add;
  handlers[1] = op_mul;
  handlers[2] = op_xor;
  handlers[3] = op_rot;
  handlers[4] = op_mix;
  handlers[5] = op_nop;
  handlers[6] = op_loop;
  handlers[7] = op_nop;
  Machine m = {program, tail_iterations, 0};
  u32 acc = handlers[program[0]](&m, 0, 1);
  for (u32 n = 1; n < 30000; n++) acc += collatz_steps(n, 0);
  return acc;
}

#ifndef __wasm__
#include <stdio.h>
int main(void) { printf("%u\n", run()); return 0; }
#endif
