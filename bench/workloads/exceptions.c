/* Exceptions (WebAssembly 3.0): error recovery with setjmp/longjmp, which clang lowers to Wasm
 * exception handling (-mllvm -wasm-enable-sjlj: `throw` of the __c_longjmp tag, `try_table`
 * with catch clauses) as C programs compiled for Wasm use it. A recursive-descent evaluator of
 * generated arithmetic expressions reports a division by zero or an overflowing literal by
 * jumping out of any depth to the loop that parses; about a third of the expressions fail. The
 * jump's runtime (three functions a libc would provide) is in sjlj_runtime.c, linked with it. */
#include "workload.h"

#ifdef __wasm__
typedef long jmp_buf[8]; /* room for sjlj_runtime.c's jump_buffer */
int setjmp(jmp_buf) __attribute__((returns_twice));
void longjmp(jmp_buf, int) __attribute__((noreturn));
#else
#include <setjmp.h>
#endif

static jmp_buf recovery;
static u8 text[256];
static u32 position;

static NOINLINE void fail(int why) { longjmp(recovery, why); }

static i32 expression(void);

static i32 primary(void) {
  if (text[position] == '(') {
    position++;
    i32 value = expression();
    position++; /* ')' */
    return value;
  }
  i32 value = 0;
  while (text[position] >= '0' && text[position] <= '9') {
    value = value * 10 + (text[position++] - '0');
    if (value > 100000) fail(2); /* literal too large */
  }
  return value;
}

static i32 term(void) {
  i32 value = primary();
  while (text[position] == '*' || text[position] == '/') {
    u8 op = text[position++];
    i32 right = primary();
    if (op == '*') value = value * right;
    else if (right == 0) fail(1); /* division by zero */
    else value = value / right;
  }
  return value;
}

static i32 expression(void) {
  i32 value = term();
  while (text[position] == '+' || text[position] == '-') {
    u8 op = text[position++];
    i32 right = term();
    value = op == '+' ? value + right : value - right;
  }
  return value;
}

/* Writes a random expression of nesting `depth` at `at`; returns the end. */
static u32 state = 0x2545f491u;
static u32 next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}
static u32 generate(u32 at, u32 depth) {
  u32 terms = 1 + next() % 3;
  for (u32 i = 0; i < terms && at < 200; i++) {
    if (i > 0) text[at++] = "+-*/"[next() % 4];
    if (depth > 0 && next() % 3 == 0) {
      text[at++] = '(';
      at = generate(at, depth - 1);
      text[at++] = ')';
    } else {
      u32 digits = next() % 7 == 0 ? 6 : 1 + next() % 2; /* sometimes a literal too large */
      for (u32 d = 0; d < digits; d++) text[at++] = (u8)('0' + (d == 0 && digits > 1 ? 1 + next() % 9 : next() % 10));
    }
  }
  return at;
}

EXPORT u32 run(void) {
  u32 checksum = 0, failures = 0;
  for (u32 round = 0; round < 600000; round++) {
    u32 end = generate(0, 4);
    text[end] = 0;
    position = 0;
    int why = setjmp(recovery);
    if (why == 0) {
      checksum = checksum * 31 + (u32)expression();
    } else {
      failures++;
      checksum = checksum * 31 + (u32)why * 7 + position;
    }
  }
  return checksum ^ (failures << 20);
}
