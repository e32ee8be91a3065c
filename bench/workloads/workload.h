/* Helpers for the extra benchmark workloads, one .c file per workload in this folder. Each is
 * freestanding C (no libc) exporting `u32 run(void)` that returns a deterministic checksum; it
 * compiles to wasm32 with the Swift toolchain's clang (see CMakeLists.txt) or natively for checking. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int i32;
typedef long long i64;

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run"), visibility("default")))
/* clang may lower loops to calls of these; without libc they must exist. Under -mbulk-memory it
 * emits memory.copy/memory.fill instead and these go unused. */
void *memset(void *d, int c, unsigned long n) {
  u8 *p = (u8 *)d;
  while (n--) *p++ = (u8)c;
  return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
  u8 *p = (u8 *)d;
  const u8 *q = (const u8 *)s;
  while (n--) *p++ = *q++;
  return d;
}
#else
#define EXPORT __attribute__((noinline))
#endif

#define NOINLINE __attribute__((noinline))

/* Fold a 64-bit value into 32 bits for checksums. */
static inline u32 fold64(u64 v) { return (u32)(v ^ (v >> 32)); }

/* The bits of a double, for checksums of floating-point results. */
static inline u64 f64_bits(double d) {
  union { double d; u64 u; } bits;
  bits.d = d;
  return bits.u;
}

/* A 32-bit linear congruential generator: deterministic pseudo-random input data. */
static inline u32 lcg_next(u32 *state) {
  *state = *state * 1103515245u + 12345u;
  return *state;
}

/* FNV-1a step, to mix values into a checksum. */
static inline u32 fnv_mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

#endif
