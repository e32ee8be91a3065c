// Relaxed SIMD's fused multiply-add, as wasmtime computes it on the same machine: with one
// rounding where the processor has an FMA instruction (wasmtime then emits it), with two
// (a multiply, then an add) where it has none. No libm: the FMA instruction is used directly.
#include "CSwasm.h"

#if defined(__x86_64__)
#include <cpuid.h>

__attribute__((target("fma"))) static float fused_f32(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
__attribute__((target("fma"))) static double fused_f64(double a, double b, double c) { return __builtin_fma(a, b, c); }

// 0 unknown, 1 no FMA, 2 FMA. FMA needs the instruction (CPUID.1:ECX bit 12) and the operating
// system's support of the AVX registers it uses (OSXSAVE, bit 27, and XCR0 bits 1 and 2).
static int fma_state;

static int has_fma(void) {
  int state = __atomic_load_n(&fma_state, __ATOMIC_RELAXED);
  if (state == 0) {
    unsigned eax, ebx, ecx, edx;
    state = 1;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 12)) && (ecx & (1u << 27))) {
      unsigned low, high;
      __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
      if ((low & 6) == 6) state = 2;
    }
    __atomic_store_n(&fma_state, state, __ATOMIC_RELAXED);
  }
  return state == 2;
}

float cswasm_relaxed_madd_f32(float a, float b, float c) {
  if (has_fma()) return fused_f32(a, b, c);
  volatile float product = a * b; // rounded on its own, not contracted into an FMA
  return product + c;
}

double cswasm_relaxed_madd_f64(double a, double b, double c) {
  if (has_fma()) return fused_f64(a, b, c);
  volatile double product = a * b;
  return product + c;
}
#else
// Other targets: the compiler's fused multiply-add where the target always has one (AArch64).
float cswasm_relaxed_madd_f32(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
double cswasm_relaxed_madd_f64(double a, double b, double c) { return __builtin_fma(a, b, c); }
#endif
