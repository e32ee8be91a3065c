/* f32 rounding and conversions: min/max clamping, floor/ceil/trunc/nearest, int<->float conversions
 * (signed, unsigned, 64-bit) and f32<->f64 promotion/demotion, as in quantization code. */
#include "workload.h"

/* wasm's f32.min/f32.max (NaN-propagating); C's fminf/fmaxf would be library calls. */
#define f32_min(a, b) __builtin_elementwise_minimum(a, b)
#define f32_max(a, b) __builtin_elementwise_maximum(a, b)

#define COUNT 4096
static float values[COUNT];
static volatile u32 floatconv_passes = 1500;

EXPORT u32 run(void) {
  u32 passes = floatconv_passes;
  u32 seed = 4242u;
  for (u32 i = 0; i < COUNT; i++) values[i] = (float)(i32)lcg_next(&seed) * (1000.0f / 2147483648.0f);
  u32 h = 0x811c9dc5u;
  i64 total = 0;
  for (u32 pass = 0; pass < passes; pass++) {
    float scale = 1.0f + (float)(pass & 511u) * (1.0f / 256.0f);
    for (u32 i = 0; i < COUNT; i++) {
      float clamped = f32_max(-1000.0f, f32_min(1000.0f, values[i] * scale));
      float fraction = clamped - __builtin_floorf(clamped);
      i32 level = (i32)__builtin_nearbyintf(clamped * 4.0f);
      u32 bucket = (u32)__builtin_ceilf(fraction * 15.0f);
      i64 fixed = (i64)(__builtin_truncf(clamped) * 65536.0f);
      double wide = (double)clamped * 1.0000001;
      i32 eighths = (i32)__builtin_floor(wide * 0.125);
      total += fixed + level + eighths;
      h = fnv_mix(h, (u32)level ^ bucket << 16);
      /* stays within [-1000, 1000]: |wide/2| <= 500, the rest <= 64 */
      values[i] = (float)(wide * 0.5) + (float)(level & 255) * 0.25f - (float)bucket;
    }
  }
  return h ^ fold64((u64)total);
}
