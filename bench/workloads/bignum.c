/* i64 arithmetic: multi-precision schoolbook multiplication, 32-bit limbs with 64-bit products and
 * carries, chained so each product feeds the next operands. */
#include "workload.h"

#define LIMBS 128
static u32 a[LIMBS], b[LIMBS], product[2 * LIMBS];
static volatile u32 bignum_reps = 7500;

static void multiply(const u32 *x, const u32 *y, u32 *out) {
  for (u32 i = 0; i < 2 * LIMBS; i++) out[i] = 0;
  for (u32 i = 0; i < LIMBS; i++) {
    u64 carry = 0, xi = x[i];
    for (u32 j = 0; j < LIMBS; j++) {
      u64 t = xi * y[j] + out[i + j] + carry;
      out[i + j] = (u32)t;
      carry = t >> 32;
    }
    out[i + LIMBS] = (u32)carry;
  }
}

/* out = x + y over LIMBS limbs, returning the carry out. */
static u32 add(const u32 *x, const u32 *y, u32 *out) {
  u64 carry = 0;
  for (u32 i = 0; i < LIMBS; i++) {
    u64 t = (u64)x[i] + y[i] + carry;
    out[i] = (u32)t;
    carry = t >> 32;
  }
  return (u32)carry;
}

EXPORT u32 run(void) {
  u32 reps = bignum_reps;
  u32 seed = 99u;
  for (u32 i = 0; i < LIMBS; i++) { a[i] = lcg_next(&seed); b[i] = lcg_next(&seed); }
  u64 check = 0;
  for (u32 r = 0; r < reps; r++) {
    multiply(a, b, product);
    /* next operands: a = low half + high half, b = high half with its lowest limb forced odd */
    u32 carry = add(product, product + LIMBS, a);
    for (u32 i = 0; i < LIMBS; i++) b[i] = product[LIMBS + i];
    b[0] |= 1u;
    check = check * 0x100000001b3ull + ((u64)product[r % (2 * LIMBS)] << 32 | product[LIMBS]) + carry;
  }
  return fold64(check);
}
